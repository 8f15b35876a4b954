#!/bin/sh
# agent: what triage-agent costs outside the model, and how much it sends
# to the model.  The thirteen-call investigation of the demo incident
# (tests/agent/001-thirteen-calls) runs against the mock, which answers at
# once, with the real tools where they need no network: triage-kql on the
# bundled demo workspace (scripts/build-workspace) answers every query with
# the rows it really returns (take N respected), triage-mitre answers from
# its bundled ATT&CK copy; the enrichments are canned (they would need the
# network).  The time left is the agent's own.  Then the same session with
# every tool result sent whole, to weigh the output bounds; the mock's
# prompt-cache emulation gives the cached share.
set -eu
T=$BENCH_TMP/agent
rm -rf "$T"
mkdir -p "$T"
FAKE=$TOP/tests/agent/fake
SCEN=$TOP/tests/agent/001-thirteen-calls/scenario.json
RUNS=${BENCH_RUNS:-7}

"$TOP/scripts/build-workspace" "$T/ws.db" > /dev/null
# The real programs, except enrichment (canned: no network here).
tools() {
	jq -n --arg t "$T" --argjson out "$1" '{tools: [
	  {name: "run_kql_query", argv: ["triage-kql", "--format", "json",
	      "--workspace", "\($t)/ws.db"]},
	  {name: "enrich_ip", argv: ["cat", "\($t)/enrich.ndjson"]},
	  {name: "enrich_hash", argv: ["cat", "\($t)/enrich.ndjson"]},
	  {name: "enrich_domain", argv: ["cat", "\($t)/enrich.ndjson"]},
	  {name: "enrich_url", argv: ["cat", "\($t)/enrich.ndjson"]},
	  {name: "lookup_mitre_technique", argv: ["triage-mitre"]}
	] | map(. + (if $out then {output: $out} else {} end))}'
}
echo '{"ip":"20.60.181.193"}' | "$FAKE/fake-enrich" > "$T/enrich.ndjson"
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
the mock, which answers at once; the queries run through the real
triage-kql on the bundled demo workspace (each returns the rows it really
has, \`take N\` respected), techniques come from the real triage-mitre, the
enrichments are canned; median of $RUNS runs. Time outside the model is
the wall time less the model requests' round trips: the agent's own work
and the tools' (real KQL queries on SQLite among them).

| measure | result |
| --- | --- |
| wall time, whole session | $wall ms |
| in model requests (mock) | $model ms |
| outside the model, tools included (aim: under 300 ms) | $outside ms |
| per tool call, outside the model | $per ms |
| in the tool processes (13 calls in 5 batches run at once) | $toolms ms summed over calls |

Bytes and tokens sent to the model over the session (the mock counts 4
bytes a token and emulates the prompt cache). The demo workspace is small,
so the bounds cut little of the bytes; most of the saving is the prompt
cache, which the billed figure shows:

| | bounded output + cache (default) | whole tool results | ratio |
| --- | --- | --- | --- |
| request bytes | $bb | $wb | $(ratio "$bb" "$wb") |
| prompt tokens | $bprompt | $wprompt | $(ratio "$bprompt" "$wprompt") |
| prompt tokens as billed (cache writes 1.25x, reads 0.1x; whole results uncached) | $bbill | $wprompt | $(ratio "$bbill" "$wprompt") |
EOS
