# mock-env.sh: sourced by the Graph and Sentinel cases.  Both APIs and the
# token endpoint are the mock; the credential is the environment service
# principal (tenant-1, app-1, the runner's canary secret), whose token the
# scenarios answer as "tok"; the Sentinel workspace is the demo's; and
# each request gets one attempt unless the case asks for more.
AZURE_AUTHORITY_HOST=$MOCK_URL
AZURE_TENANT_ID=tenant-1
AZURE_CLIENT_ID=app-1
TRIAGE_GRAPH_URL=$MOCK_URL
TRIAGE_ARM_URL=$MOCK_URL
AZURE_SUBSCRIPTION_ID=5f1c9a3e-2b7d-4e8a-9c61-0d3f7b2a8e14
SENTINEL_RESOURCE_GROUP=rg-cyber-range
SENTINEL_WORKSPACE_NAME=law-cyber-range
TRIAGE_HTTP_MAX_ATTEMPTS=${TRIAGE_HTTP_MAX_ATTEMPTS:-1}
export AZURE_AUTHORITY_HOST AZURE_TENANT_ID AZURE_CLIENT_ID TRIAGE_GRAPH_URL \
    TRIAGE_ARM_URL AZURE_SUBSCRIPTION_ID SENTINEL_RESOURCE_GROUP \
    SENTINEL_WORKSPACE_NAME TRIAGE_HTTP_MAX_ATTEMPTS

# requests: the mock's log as one line per request: method, path, decoded
# query arguments and the bearer token (never the token request's body,
# which holds the client secret).
requests() {
	mock_requests '[.method, .path, .args, (.headers.authorization // null), .violations]'
}
