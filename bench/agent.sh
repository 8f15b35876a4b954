#!/bin/sh
# agent: what triage-agent costs outside the model, and how much it sends
# to the model.  The thirteen-call investigation of the demo incident
# (tests/agent/001-thirteen-calls) runs against the mock, which answers at
# once, with tools that answer at once (cat of canned results, a realistic
# 400-row DeviceProcessEvents result among them): the time left is the
# agent's own.  Then the same session with every tool result sent whole,
# to weigh the output bounds; the mock's prompt-cache emulation gives the
# cached share.
set -eu
T=$BENCH_TMP/agent
rm -rf "$T"
mkdir -p "$T"
FAKE=$TOP/tests/agent/fake
SCEN=$TOP/tests/agent/001-thirteen-calls/scenario.json
RUNS=${BENCH_RUNS:-7}

# A wide result, as a real hunting query returns: 400 process events.
jq -c '.rows as $r | .rows = [range(0; 400) | . as $i | $r[$i % 5] |
    .[8] = (.[8] + " " + ("-Arg\($i) " * 20))] |
    .row_count = 400 | .returned_rows = 400' "$FAKE/process.json" > "$T/process.json"
# Tools that answer at once: the canned results, whatever the input.
tools() {
	jq -n --arg t "$T" --arg f "$FAKE" --argjson out "$1" '{tools: [
	  {name: "run_kql_query", argv: ["cat", "\($t)/process.json"]},
	  {name: "enrich_ip", argv: ["cat", "\($t)/enrich.ndjson"]},
	  {name: "enrich_hash", argv: ["cat", "\($t)/enrich.ndjson"]},
	  {name: "enrich_domain", argv: ["cat", "\($t)/enrich.ndjson"]},
	  {name: "enrich_url", argv: ["cat", "\($t)/enrich.ndjson"]},
	  {name: "lookup_mitre_technique", argv: ["cat", "\($t)/technique.ndjson"]}
	] | map(. + (if $out then {output: $out} else {} end))}'
}
echo '{"ip":"20.60.181.193"}' | "$FAKE/fake-enrich" > "$T/enrich.ndjson"
echo '{"technique_id":"T1059.001"}' | "$FAKE/fake-mitre" |
    jq -c '.description = ("Adversaries may abuse PowerShell commands and scripts for execution. " * 40)' \
    > "$T/technique.ndjson"
tools false > "$T/bounded.json"
tools '{"max_rows": 100000, "max_bytes": 67108864, "max_cell": 1000000}' > "$T/whole.json"

# run MANIFEST OUT: one session against a fresh mock; prints wall ms.
run() {
	rm -f "$T/port"
	triage-mock --scenario "$SCEN" --port-file "$T/port" > /dev/null 2>&1 &
	mp=$!
	while [ ! -s "$T/port" ]; do sleep 0.05; done
	s=$(date +%s%N)
	ANTHROPIC_BASE_URL=http://127.0.0.1:$(cat "$T/port") \
	ANTHROPIC_API_KEY=bench-key-0123456789 TRIAGE_DATA_DIR=$TOP \
	    triage-agent -q --tools "$1" < "$TOP/tests/agent/data/incident.ndjson" > "$2"
	e=$(date +%s%N)
	kill "$mp"
	wait "$mp" 2>/dev/null || true
	echo $(( (e - s) / 1000000 ))
}

: > "$T/walls"
i=0
while [ "$i" -lt "$RUNS" ]; do
	run "$T/bounded.json" "$T/out.ndjson" >> "$T/walls"
	jq -s '[.[] | select(.type == "usage") | .per_turn[].duration_ms] | add' "$T/out.ndjson" >> "$T/model"
	jq -s '[.[] | select(.type == "tool_call") | .duration_ms] | add' "$T/out.ndjson" >> "$T/toolms"
	i=$((i + 1))
done
median() { sort -n "$1" | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }'; }
wall=$(median "$T/walls")
model=$(median "$T/model")
calls=$(jq -s '[.[] | select(.type == "tool_call")] | length' "$T/out.ndjson")
[ "$calls" -eq 13 ] || { echo "agent bench: $calls tool calls, expected 13" >&2; exit 1; }
outside=$((wall - model))
per=$(echo "$outside $calls" | awk '{ printf "%.1f", $1 / $2 }')
toolms=$(median "$T/toolms")

cp "$T/out.ndjson" "$T/bounded.ndjson"
run "$T/whole.json" "$T/whole.ndjson" > /dev/null
usage() { jq -s -c '.[] | select(.type == "usage")' "$1"; }
ub=$(usage "$T/bounded.ndjson")
uw=$(usage "$T/whole.ndjson")
bb=$(echo "$ub" | jq .request_bytes)
wb=$(echo "$uw" | jq .request_bytes)
# Input tokens weighted as billed: cache writes 1.25x, reads 0.1x.
billed() { echo "$1" | jq '.input_tokens + 1.25 * .cache_creation_input_tokens + 0.1 * .cache_read_input_tokens | floor'; }
prompt() { echo "$1" | jq '.input_tokens + .cache_creation_input_tokens + .cache_read_input_tokens'; }
bbill=$(billed "$ub")
wprompt=$(prompt "$uw")
bprompt=$(prompt "$ub")
ratio() { echo "$1 $2" | awk '{ printf "%.2f", $1 / $2 }'; }

cat <<EOS
## Agent: the thirteen-call session

The demo incident's thirteen-call investigation (six model turns) against
the mock, which answers at once, with tools that answer at once; median of
$RUNS runs. Time outside the model is the wall time less the model
requests' round trips.

| measure | result |
| --- | --- |
| wall time, whole session | $wall ms |
| in model requests (mock) | $model ms |
| outside the model (aim: under 300 ms) | $outside ms |
| per tool call, outside the model | $per ms |
| of which in the tool processes (13 calls, 5 batches run at once) | $toolms ms summed over calls |

Bytes and tokens sent to the model over the session (the mock counts 4
bytes a token and emulates the prompt cache):

| | bounded output + cache (default) | whole tool results | ratio |
| --- | --- | --- | --- |
| request bytes | $bb | $wb | $(ratio "$bb" "$wb") |
| prompt tokens | $bprompt | $wprompt | $(ratio "$bprompt" "$wprompt") |
| prompt tokens as billed (cache writes 1.25x, reads 0.1x; whole results uncached) | $bbill | $wprompt | $(ratio "$bbill" "$wprompt") |
EOS
