# lib.sh: what the kql-live cases share.  Source it from a case's cmd:
#
#	. "$TOP/tests/kql-live/lib.sh"
#	use_env_sp			# the environment service principal
#	triage-kql 'T | take 1'
#
# The scenarios answer the token endpoint at /tenant-1/oauth2/v2.0/token
# with access token "tok" and the query API for workspace $WS.

WS=11111111-2222-3333-4444-555555555555
LOG_ANALYTICS_WORKSPACE_ID=$WS
TRIAGE_LOGANALYTICS_URL=${MOCK_URL:-http://127.0.0.1:1}
# Retries are tested where they matter; elsewhere they only slow a case.
TRIAGE_HTTP_MAX_ATTEMPTS=${TRIAGE_HTTP_MAX_ATTEMPTS:-1}
export LOG_ANALYTICS_WORKSPACE_ID TRIAGE_LOGANALYTICS_URL \
    TRIAGE_HTTP_MAX_ATTEMPTS

# use_env_sp: the client-secret service principal, against the mock.
# The secret stays the runner's canary, so any leak fails the case.
use_env_sp() {
	AZURE_AUTHORITY_HOST=$MOCK_URL
	AZURE_TENANT_ID=tenant-1
	AZURE_CLIENT_ID=app-1
	export AZURE_AUTHORITY_HOST AZURE_TENANT_ID AZURE_CLIENT_ID
}

# fake_az MODE: an "az" first on PATH that logs its argv to az.log and
# its AZURE_CORE_NO_COLOR to az.env, then: ok (prints a token "cli-tok"
# with expires_on), old (only the older expiresOn), login (not logged
# in), hang (sleeps), missing (exit 127).
fake_az() {
	mkdir -p fakebin
	cat > fakebin/az <<AZ
#!/bin/sh
here=$(pwd)
printf '%s\n' "\$*" >> "\$here/az.log"
printf '%s\n' "\${AZURE_CORE_NO_COLOR:-unset}" > "\$here/az.env"
case "$1" in
ok)
	exp=\$((\$(date +%s) + 3600))
	printf '{"accessToken": "cli-tok", "expiresOn": "2099-01-01 00:00:00.000000", "expires_on": %s, "subscription": "s", "tenant": "t", "tokenType": "Bearer"}\n' "\$exp"
	;;
old)
	exp=\$(date -u -d '+1 hour' '+%Y-%m-%d %H:%M:%S.000000')
	printf '{"accessToken": "cli-tok", "expiresOn": "%s", "tokenType": "Bearer"}\n' "\$exp"
	;;
login)
	echo "ERROR: Please run 'az login' to setup account." >&2
	exit 1
	;;
hang)
	exec sleep 30
	;;
missing)
	exit 127
	;;
esac
AZ
	chmod +x fakebin/az
	PATH=$(pwd)/fakebin:$PATH
	export PATH
}

# token_requests / query_requests: how many the mock saw.
token_requests() {
	jq -s '[.[] | select(.path | endswith("/oauth2/v2.0/token"))] | length' \
	    "$MOCK_LOG"
}
query_requests() {
	jq -s '[.[] | select(.path | endswith("/query"))] | length' "$MOCK_LOG"
}
