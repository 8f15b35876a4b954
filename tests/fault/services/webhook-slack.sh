# A Slack incoming webhook: triage-post --slack.
. "$TOP/tests/fault/services/webhook.inc"

svc_route() {
	echo '{"method": "POST", "path": "/services/*", "check": "slack"}'
}
svc_good() {
	echo '{"body": "ok"}'
}
svc_fault_response() {
	jq -n -c --argjson s "$1" '{status: $s, body:
	    (if $s == 403 then "invalid_token"
	     elif $s == 401 then "invalid_auth"
	     elif $s == 429 then "rate_limited"
	     else "service_unavailable" end)}'
}
svc_run() {
	SLACK_WEBHOOK_URL="$FAULT_URL/services/T0001/B0001/$canary" \
	    triage-post --slack brief/*.md
}
