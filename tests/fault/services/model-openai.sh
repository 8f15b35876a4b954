# The model through an OpenAI-compatible chat API (OpenAI itself here):
# as model-anthropic, with the OpenAI wire format.

svc_route() {
	echo '{"method": "POST", "path": "/v1/chat/completions",
	    "check": "openai"}'
}

svc_good() {
	jq -c '{auto: "openai", body: {choices: [{message: {tool_calls: [
	    {id: "call_1", function: {name: "submit_brief",
	    arguments: .}}]}}]}}' "$TOP/tests/agent/data/brief-input.json"
}

svc_fault_response() {
	jq -n -c --argjson s "$1" '{status: $s, auto: "openai"}'
}

svc_run() {
	TRIAGE_DATA_DIR=$TOP OPENAI_BASE_URL=$FAULT_URL/v1 \
	    triage-agent -q -p openai --transcript transcript.ndjson \
	    --tools "$TOP/tests/agent/fake/manifest.json" \
	    < "$TOP/tests/agent/data/incident.ndjson"
}

. "$TOP/tests/fault/services/model.inc"
