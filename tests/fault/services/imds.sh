# The instance metadata service (managed identity on a VM): triage-kql
# pinned to the managed identity, with no App Service endpoint set.
. "$TOP/tests/fault/services/azure.inc"

svc_route() {
	echo '{"path": "/metadata/identity/oauth2/token", "check": "imds",
	    "check_options": {"allow_probe": true, "api_version": "2018-02-01",
	    "resource": "https://api.loganalytics.io"}}'
}
svc_good() {
	echo '{"body": {"access_token": "mi-tok", "refresh_token": "",
	    "expires_in": "3599", "expires_on": "{{now+3599}}",
	    "not_before": "{{now}}", "resource": "https://api.loganalytics.io",
	    "token_type": "Bearer"}}'
}
svc_fault_response() {
	jq -n -c --argjson s "$1" '{status: $s, body: {error:
	    (if $s < 500 then "invalid_request" else "server_error" end),
	    error_description: "fault injected"}}'
}
svc_extra_routes() {
	jq -n -c --argjson r "$(la_route mi-tok)" --argjson g "$(la_good)" \
	    '[$r + {responses: [$g]}]'
}

svc_run() {
	TRIAGE_AZURE_CREDENTIAL=managed TRIAGE_IMDS_URL=$FAULT_URL \
	    kql "$MOCK_URL"
}
