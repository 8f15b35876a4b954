# The App Service managed identity endpoint (IDENTITY_ENDPOINT, with the
# X-IDENTITY-HEADER secret): triage-kql needs its token to query.
. "$TOP/tests/fault/services/azure.inc"

svc_route() {
	echo '{"path": "/msi/token", "check": "appservice",
	    "check_options": {"resource": "https://api.loganalytics.io"}}'
}
svc_good() {
	echo '{"body": {"access_token": "as-tok", "expires_on": "{{now+3600}}",
	    "resource": "https://api.loganalytics.io", "token_type": "Bearer",
	    "client_id": "c"}}'
}
svc_fault_response() {
	jq -n -c --argjson s "$1" '{status: $s, body: {statusCode: $s,
	    message: "fault injected"}}'
}
svc_extra_routes() {
	jq -n -c --argjson r "$(la_route as-tok)" --argjson g "$(la_good)" \
	    '[$r + {responses: [$g]}]'
}

svc_run() {
	TRIAGE_AZURE_CREDENTIAL=managed IDENTITY_ENDPOINT=$FAULT_URL/msi/token \
	    kql "$MOCK_URL"
}
