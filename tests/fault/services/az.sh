# The Azure CLI ("az account get-access-token"), a program rather than a
# service: each fault is a fake az first on PATH that fails that way.
# "refused" is az not installed; "slow" is az that hangs.
. "$TOP/tests/fault/services/azure.inc"

svc_extra_routes() {
	jq -n -c --argjson r "$(la_route cli-tok)" --argjson g "$(la_good)" \
	    '[$r + {responses: [$g]}]'
}

svc_prepare() {
	mkdir -p fakebin
	good='{"accessToken": "cli-tok", "expiresOn": "2099-01-01 00:00:00.000000", "expires_on": 4070908800, "tokenType": "Bearer"}'
	case $1 in
	refused)
		body='exit 127' ;;
	slow)
		body='exec sleep 30' ;;
	429)
		body="echo 'ERROR: (TooManyRequests) Too many requests. Retry after 1 second.' >&2; exit 1" ;;
	500|503)
		body="echo 'ERROR: The server returned HTTP $1.' >&2; exit 1" ;;
	malformed)
		body="echo '{\"accessToken\":'" ;;
	truncated)
		body="printf '%s' '{\"accessToken\": \"cli-tok\", \"expir'" ;;
	401)
		body="echo \"ERROR: Please run 'az login' to setup account.\" >&2; exit 1" ;;
	403)
		body="echo 'ERROR: AADSTS50105: the signed in user is not assigned to a role.' >&2; exit 1" ;;
	oversized)
		body="head -c 3000000 /dev/zero | tr '\\\\0' x" ;;
	esac
	{
		echo '#!/bin/sh'
		echo "echo run >> \"$PWD/az.count\""
		[ "$1" = ok ] && echo "echo '$good'" || echo "$body"
	} > fakebin/az
	chmod +x fakebin/az
	[ "$1" = refused ] && rm fakebin/az
	: > az.count
}

svc_count() { wc -l < az.count; }

svc_run() {
	PATH=$PWD/fakebin:$PATH TRIAGE_AZURE_CREDENTIAL=cli \
	    TRIAGE_AZ_TIMEOUT=1 kql "$MOCK_URL"
}
