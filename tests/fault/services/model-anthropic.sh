# The model, Anthropic's Messages API: triage-agent investigates the demo
# incident with the fake tools of tests/agent.  The good answer submits
# the brief at once.  When the model cannot be used the playbook writes
# the brief and says why (triage-agent(1)), so the exit status stays 0.

svc_route() {
	echo '{"method": "POST", "path": "/v1/messages", "check": "anthropic"}'
}

svc_good() {
	jq -c '{auto: "anthropic", body: {content: [{type: "tool_use",
	    id: "toolu_1", name: "submit_brief", input: .}]}}' \
	    "$TOP/tests/agent/data/brief-input.json"
}

# The API's own error bodies (A.7), made by the mock.
svc_fault_response() {
	jq -n -c --argjson s "$1" '{status: $s, auto: "anthropic"}'
}

svc_run() {
	TRIAGE_DATA_DIR=$TOP ANTHROPIC_BASE_URL=$FAULT_URL \
	    triage-agent -q -p anthropic --transcript transcript.ndjson \
	    --tools "$TOP/tests/agent/fake/manifest.json" \
	    < "$TOP/tests/agent/data/incident.ndjson"
}

. "$TOP/tests/fault/services/model.inc"
