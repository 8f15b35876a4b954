# The Sentinel REST API (Azure Resource Manager, TRIAGE_ARM_URL):
# triage-fetch-incident --source sentinel with an incident's GUID.  The
# faulty route is the incident's GET; the token endpoint and the alerts'
# and entities' POSTs after it answer well.  The answers are the fetch
# cases' (tests/fetch/data).
. "$TOP/tests/fault/services/azure.inc"

SUB=5f1c9a3e-2b7d-4e8a-9c61-0d3f7b2a8e14
INC=3f2a0c4e-6a1b-4c55-9b1e-2d1f0e7c9a11
INC_PATH=/subscriptions/$SUB/resourceGroups/rg-cyber-range/providers/Microsoft.OperationalInsights/workspaces/law-cyber-range/providers/Microsoft.SecurityInsights/incidents/$INC
sentinel_data=$TOP/tests/fetch/data

sentinel_route() {
	jq -n -c --arg m "$1" --arg p "$2" '{method: $m, path: $p,
	    check: "sentinel",
	    check_options: {token: "tok", api_version: "2025-09-01"}}'
}
svc_route() { sentinel_route GET "$INC_PATH"; }
svc_good() {
	jq -n -c --arg f "$sentinel_data/sentinel-incident.json" \
	    '{body_file: $f}'
}
# ARM's error shape.
svc_fault_response() {
	jq -n -c --argjson s "$1" '{status: $s, body: {error: {code:
	    (if $s == 401 then "AuthenticationFailed"
	     elif $s == 403 then "AuthorizationFailed"
	     elif $s == 429 then "TooManyRequests"
	     else "InternalServerError" end),
	    message: "fault injected"}}}'
}
svc_extra_routes() {
	jq -n -c --argjson t "$(token_route)" \
	    --argjson a "$(sentinel_route POST "$INC_PATH/alerts")" \
	    --argjson e "$(sentinel_route POST "$INC_PATH/entities")" \
	    --arg d "$sentinel_data" '
	    [($t | .check_options.scope = "https://management.azure.com/.default") +
	        {responses: [{body: {token_type: "Bearer", expires_in: 3599,
	        access_token: "tok"}}]},
	     $a + {responses: [{body_file: ($d + "/sentinel-alerts.json")}]},
	     $e + {responses: [{body_file: ($d + "/sentinel-entities.json")}]}]'
}

svc_run() {
	AZURE_AUTHORITY_HOST=$MOCK_URL AZURE_TENANT_ID=tenant-1 \
	    AZURE_CLIENT_ID=app-1 TRIAGE_AZURE_CREDENTIAL=env \
	    TRIAGE_ARM_URL=$FAULT_URL AZURE_SUBSCRIPTION_ID=$SUB \
	    SENTINEL_RESOURCE_GROUP=rg-cyber-range \
	    SENTINEL_WORKSPACE_NAME=law-cyber-range \
	    triage-fetch-incident --source sentinel "$INC"
}

# One incident record, or nothing.
svc_after() {
	if [ "$1" -eq 0 ]; then
		[ "$(jq -r .id out 2>/dev/null)" = "$INC" ] ||
		    bad "stdout is not the incident"
	else
		[ ! -s out ] || bad "output on failure: $(head -c 200 out)"
	fi
}
