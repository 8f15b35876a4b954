# The Log Analytics query API: triage-kql with a good token from the
# environment service principal.
. "$TOP/tests/fault/services/azure.inc"

svc_route() { la_route tok; }
svc_good() { la_good; }
svc_fault_response() {
	jq -n -c --argjson s "$1" '{status: $s, body: {error: {code:
	    (if $s == 401 then "AuthenticationFailed"
	     elif $s == 403 then "InsufficientAccessError"
	     elif $s == 429 then "TooManyRequests"
	     else "ServiceUnavailable" end),
	    message: "fault injected", correlationId: "c-1"}}}'
}
svc_extra_routes() {
	jq -n -c --argjson r "$(token_route)" --argjson g "$(token_good)" \
	    '[$r + {responses: [$g]}]'
}
# Past the 256 MiB triage-kql caps an answer at.
svc_oversize=300000000

# triage-kql waits for the query's own timeout plus 10 s, not
# TRIAGE_HTTP_TIMEOUT: the slow cell asks for a 1 s query, answers after
# 12 s and tries once, which is 11 s of waiting rather than 22.
svc_slow_ms=12000

svc_run() {
	if [ "$fault" = slow ]; then
		set -- --timeout 1
		TRIAGE_HTTP_MAX_ATTEMPTS=1
	fi
	AZURE_AUTHORITY_HOST=$MOCK_URL AZURE_TENANT_ID=tenant-1 \
	    AZURE_CLIENT_ID=app-1 kql "$FAULT_URL" "$@"
}
