# Workload identity (AKS): the federated token file is the client
# assertion sent to the Entra ID token endpoint; triage-kql needs the
# token to query.
. "$TOP/tests/fault/services/azure.inc"

assertion=eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJzeXN0ZW06c2EifQ.c2ln

svc_route() {
	token_route | jq -c --arg a "$assertion" \
	    '.check_options.client_assertion = $a'
}
svc_good() { token_good; }
svc_fault_response() {
	jq -n -c --argjson s "$1" '{status: $s, body: {
	    error: (if $s == 401 then "invalid_client"
	     elif $s == 403 then "unauthorized_client"
	     else "temporarily_unavailable" end),
	    error_description: "AADSTS700213: fault injected.",
	    error_codes: [700213]}}'
}
svc_extra_routes() {
	jq -n -c --argjson r "$(la_route tok)" --argjson g "$(la_good)" \
	    '[$r + {responses: [$g]}]'
}

svc_setup() {
	printf '%s\n' "$assertion" > fed.jwt
}
svc_run() {
	(
		unset AZURE_CLIENT_SECRET
		TRIAGE_AZURE_CREDENTIAL=workload AZURE_AUTHORITY_HOST=$FAULT_URL \
		    AZURE_TENANT_ID=tenant-1 AZURE_CLIENT_ID=app-1 \
		    AZURE_FEDERATED_TOKEN_FILE=$PWD/fed.jwt kql "$MOCK_URL"
	)
}
