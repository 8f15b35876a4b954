# Microsoft Graph security incidents: triage-fetch-incident --source graph
# fetches the demo incident (one GET with its alerts expanded) with a
# token for the environment service principal.  Not in the list
# of services, but an outside service all the same.

svc_route() {
	echo '{"method": "GET", "path": "/v1.0/security/incidents/357335",
	    "check": "graph", "check_options": {"token": "tok"}}'
}
svc_good() {
	jq -n -c --arg f "$TOP/tests/fetch/data/graph-incident.json" \
	    '{body_file: $f}'
}
svc_fault_response() {
	jq -n -c --argjson s "$1" '{status: $s, body: {error: {code:
	    (if $s == 401 then "InvalidAuthenticationToken"
	     elif $s == 403 then "Forbidden"
	     elif $s == 429 then "TooManyRequests"
	     else "ServiceNotAvailable" end), message: "fault injected",
	    innerError: {date: "2026-01-01T00:00:00", "request-id": "r",
	    "client-request-id": "c"}}}}'
}
svc_extra_routes() {
	echo '[{"path": "/tenant-1/oauth2/v2.0/token", "check": "token",
	    "check_options": {"tenant": "tenant-1", "client_id": "app-1",
	    "scope": "https://graph.microsoft.com/.default"},
	    "responses": [{"body": {"token_type": "Bearer", "expires_in": 3599,
	    "access_token": "tok"}}]}]'
}

svc_run() {
	TRIAGE_GRAPH_URL=$FAULT_URL AZURE_AUTHORITY_HOST=$MOCK_URL \
	    AZURE_TENANT_ID=tenant-1 AZURE_CLIENT_ID=app-1 \
	    triage-fetch-incident --source graph 357335
}

# The incident whole, or nothing.
svc_after() {
	if [ "$1" -eq 0 ]; then
		[ "$(jq -r '[.type, .number] | @tsv' out)" = "$(printf 'incident\t357335')" ] ||
		    bad "no incident record"
	else
		[ ! -s out ] || bad "output on failure"
	fi
}
