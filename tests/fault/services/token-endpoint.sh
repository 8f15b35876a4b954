# The Entra ID token endpoint, for the environment service principal
# (client secret): triage-kql needs a token before it can query.
. "$TOP/tests/fault/services/azure.inc"

svc_route() { token_route; }
svc_good() { token_good; }
svc_fault_response() {
	jq -n -c --argjson s "$1" '{status: $s, body: {
	    error: (if $s == 401 then "invalid_client"
	     elif $s == 403 then "unauthorized_client"
	     else "temporarily_unavailable" end),
	    error_description: "AADSTS7000215: fault injected.",
	    error_codes: [7000215]}}'
}
svc_extra_routes() {
	jq -n -c --argjson r "$(la_route tok)" --argjson g "$(la_good)" \
	    '[$r + {responses: [$g]}]'
}

svc_run() {
	TRIAGE_AZURE_CREDENTIAL=env AZURE_AUTHORITY_HOST=$FAULT_URL \
	    AZURE_TENANT_ID=tenant-1 AZURE_CLIENT_ID=app-1 kql "$MOCK_URL"
}
