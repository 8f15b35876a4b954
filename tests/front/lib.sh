# lib.sh: what the front-door cases share (triage run, queue, batch, the
# demo, install).  Source it from a case's cmd or check:
#	. "$TOP/tests/front/lib.sh"
. "$TOP/tests/docs/lib.sh"
# Retries are tested where they matter; elsewhere they only slow a case.
TRIAGE_HTTP_MAX_ATTEMPTS=${TRIAGE_HTTP_MAX_ATTEMPTS:-2}
TRIAGE_HTTP_TIMEOUT=${TRIAGE_HTTP_TIMEOUT:-20}
TRIAGE_DATA_DIR=${TRIAGE_DATA_DIR:-$TOP}
export TRIAGE_HTTP_MAX_ATTEMPTS TRIAGE_HTTP_TIMEOUT TRIAGE_DATA_DIR
BRIEF_INPUT=$TOP/tests/agent/data/brief-input.json
WS_ID=11111111-2222-3333-4444-555555555555

# The runner's canary, for values that must never show.
canary=${ANTHROPIC_API_KEY#sk-ant-}
canary=${canary%-anthropic}

# la_body [ROWS_JSON]: a Log Analytics answer (azure-apis.md B.3) from
# triage-kql's -f json result on stdin: one PrimaryResult table, dynamic
# values sent as JSON text, as the service sends them.
la_body() {
	jq -c '.columns as $c | {tables: [{name: "PrimaryResult",
	    columns: $c, rows: [.rows[] | [to_entries[] |
	    if $c[.key].type == "dynamic" and .value != null
	    then .value | tojson else .value end]]}]}'
}

# record_kql DIR: a triage-kql for TRIAGE_KQL that answers from the local
# workspace and keeps every request in DIR/requests and every answer in
# DIR/answers, so a live scenario can be built from real rows.
record_kql() {
	mkdir -p "$1"
	cat > "$1/kql" <<EOS
#!/bin/sh
tee -a "$1/requests" | triage-kql "\$@" | tee -a "$1/answers"
EOS
	chmod +x "$1/kql"
}

# The empty answer a workspace-TI lookup gets: both TI tables' columns,
# no rows.
la_no_ti='{"tables":[{"name":"PrimaryResult","columns":[{"name":"TimeGenerated","type":"datetime"},{"name":"Id","type":"string"},{"name":"ObservableValue","type":"string"},{"name":"IsActive","type":"bool"},{"name":"Confidence","type":"int"},{"name":"Data","type":"dynamic"},{"name":"IndicatorId","type":"string"},{"name":"FileHashValue","type":"string"},{"name":"Active","type":"bool"},{"name":"ConfidenceScore","type":"real"},{"name":"ThreatType","type":"string"}],"rows":[]}]}'

# live_env: every service on the mock, with a service principal in the
# environment (its secret stays the runner's canary).
live_env() {
	unset TRIAGE_WORKSPACE
	AZURE_AUTHORITY_HOST=$MOCK_URL
	AZURE_TENANT_ID=tenant-1
	AZURE_CLIENT_ID=app-1
	TRIAGE_AZURE_CREDENTIAL=env
	LOG_ANALYTICS_WORKSPACE_ID=$WS_ID
	TRIAGE_LOGANALYTICS_URL=$MOCK_URL
	ANTHROPIC_BASE_URL=$MOCK_URL
	TRIAGE_ABUSEIPDB_URL=$MOCK_URL/api/v2
	TRIAGE_VIRUSTOTAL_URL=$MOCK_URL/api/v3
	TRIAGE_INTERNETDB_URL=$MOCK_URL/internetdb
	export AZURE_AUTHORITY_HOST AZURE_TENANT_ID AZURE_CLIENT_ID \
	    TRIAGE_AZURE_CREDENTIAL LOG_ANALYTICS_WORKSPACE_ID \
	    TRIAGE_LOGANALYTICS_URL ANTHROPIC_BASE_URL TRIAGE_ABUSEIPDB_URL \
	    TRIAGE_VIRUSTOTAL_URL TRIAGE_INTERNETDB_URL
}

fail() {
	printf 'check: %s\n' "$*"
	exit 1
}

# offline: no threat-intelligence keys, as in the demo: only the
# workspace's own TI answers (a run or two, no rate-limit waits).
offline() {
	unset ABUSEIPDB_API_KEY VIRUSTOTAL_API_KEY
}
