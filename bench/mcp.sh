#!/bin/sh
# mcp: what triage-mcp adds to a tool call.  Start-up to the initialize
# reply; pings, which never leave the server; calls of a tool that answers
# at once (cat of a 50-row KQL result), where the time left is the
# server's own (validation, fork and exec, bounding the output, the
# reply); and calls of a tool that sleeps, to show that calls in flight
# run at once, eight at a time.
set -eu
T=$BENCH_TMP/mcp
rm -rf "$T"
mkdir -p "$T"
RUNS=${BENCH_RUNS:-7}

jq -nc '{columns: [{name: "TimeGenerated", type: "datetime"},
    {name: "DeviceName", type: "string"}, {name: "ProcessCommandLine",
    type: "string"}], rows: [range(50) | ["2026-11-28T07:00:00Z",
    "akshita-vm.contoso.local", ("powershell.exe -nop -w hidden -c \(.) " * 8)]],
    row_count: 50, returned_rows: 50, truncated: false}' > "$T/result.json"
jq -n --arg r "$T/result.json" '{builtins: false, tools: [
  {name: "canned", description: "A KQL result at once.",
   input_schema: {type: "object", properties: {query: {type: "string"}},
                  required: ["query"], additionalProperties: false},
   argv: ["cat", $r]},
  {name: "slow", description: "Half a second.",
   input_schema: {type: "object", additionalProperties: false},
   argv: ["sleep", "0.5"]}]}' > "$T/manifest.json"

init='{"jsonrpc":"2.0","id":0,"method":"initialize","params":{"protocolVersion":"2025-06-18","capabilities":{},"clientInfo":{"name":"bench","version":"1"}}}'
now() { date +%s%N; }
ms() { echo $(( ($2 - $1) / 1000000 )); }
median() { sort -n "$1" | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }'; }

# session FILE: runs one session from FILE; prints wall ms.
session() {
	t0=$(now)
	triage-mcp -q --tools "$T/manifest.json" < "$1" > "$T/out.ndjson"
	ms "$t0" "$(now)"
}

echo "$init" > "$T/init.ndjson"
{
	echo "$init"
	i=0
	while [ "$i" -lt 2000 ]; do
		echo '{"jsonrpc":"2.0","id":'$((i + 1))',"method":"ping"}'
		i=$((i + 1))
	done
} > "$T/pings.ndjson"
{
	echo "$init"
	i=0
	while [ "$i" -lt 200 ]; do
		echo '{"jsonrpc":"2.0","id":'$((i + 1))',"method":"tools/call","params":{"name":"canned","arguments":{"query":"DeviceProcessEvents | take 50"}}}'
		i=$((i + 1))
	done
} > "$T/calls.ndjson"
{
	echo "$init"
	i=0
	while [ "$i" -lt 16 ]; do
		echo '{"jsonrpc":"2.0","id":'$((i + 1))',"method":"tools/call","params":{"name":"slow","arguments":{}}}'
		i=$((i + 1))
	done
} > "$T/slow.ndjson"

for kind in init pings calls slow; do
	: > "$T/$kind.ms"
	i=0
	while [ "$i" -lt "$RUNS" ]; do
		session "$T/$kind.ndjson" >> "$T/$kind.ms"
		i=$((i + 1))
	done
	n=$(wc -l < "$T/out.ndjson")
	want=$(wc -l < "$T/$kind.ndjson")
	[ "$n" -eq "$want" ] || { echo "mcp bench: $kind: $n replies for $want requests" >&2; exit 1; }
done
errors=$(jq -s '[.[] | select(.result.isError == true or .error != null)] | length' "$T/out.ndjson")
[ "$errors" -eq 0 ] || { echo "mcp bench: $errors errors" >&2; exit 1; }
tinit=$(median "$T/init.ms")
tping=$(median "$T/pings.ms")
tcall=$(median "$T/calls.ms")
tslow=$(median "$T/slow.ms")
per() { echo "$1 $2 $3" | awk '{ printf "%.2f", ($1 - $2) / $3 }'; }
triage-mcp -q --tools "$T/manifest.json" < "$T/calls.ndjson" > "$T/out.ndjson"
cbytes=$(jq -s '[.[] | .result.content[0].text // empty | length] | max' "$T/out.ndjson")

cat <<EOS
## MCP server: what a call costs

\`triage-mcp\` fed a prepared session on standard input, median of $RUNS
runs; each session ends with the input, once every call is answered.
The tools answer at once (\`cat\` of a 50-row KQL result, cut to the
agent's bounds: $cbytes bytes of text a reply) or sleep 0.5 s.

| session | wall time | per message |
| --- | --- | --- |
| start-up and initialize | $tinit ms | |
| 2000 pings | $tping ms | $(per "$tping" "$tinit" 2000) ms |
| 200 tool calls (fork, exec, bound, reply; 8 at once) | $tcall ms | $(per "$tcall" "$tinit" 200) ms |
| 16 calls of a 0.5 s tool (8 at once: 2 rounds, 1.0 s at best; 8.0 s one at a time) | $tslow ms | |
EOS
