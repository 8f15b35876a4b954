# A Microsoft Teams Workflows webhook: triage-post --teams.
. "$TOP/tests/fault/services/webhook.inc"

svc_route() {
	echo '{"method": "POST", "path": "/powerautomate/workflows/*",
	    "check": "teams"}'
}
svc_good() {
	echo '{"status": 202}'
}
svc_fault_response() {
	jq -n -c --argjson s "$1" '{status: $s, body: {error: {code:
	    (if $s == 401 then "DirectApiAuthorizationRequired"
	     elif $s == 403 then "Forbidden"
	     elif $s == 429 then "TooManyRequests"
	     else "ServiceUnavailable" end), message: "fault injected"}}}'
}
svc_run() {
	TEAMS_WEBHOOK_URL="$FAULT_URL/powerautomate/workflows/4f1c/triggers/manual/paths/invoke?api-version=1&sig=$canary" \
	    triage-post --teams brief/*.md
}
