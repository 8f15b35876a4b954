#!/bin/sh
# fetch-incident: what normalising an incident costs as a whole process:
# the demo incident, the real 171-alert msticpy export, and a synthetic
# incident of 5,000 alerts (each with the demo's $ref-linked Entities, 50
# hosts and 500 accounts among them, so most entities merge); and the
# queue from 20,000 incident rows.
# Needs: triage-fetch-incident, runstat (tests/helpers), jq.
set -eu
work=$BENCH_TMP/fetch-incident
rm -rf "$work"
mkdir -p "$work"
data=$TOP/tests/fetch/data
cat "$data/demo-357335-incident.json" "$data/demo-357335-alerts.json" > "$work/demo.json"

echo "fetch-incident: making the synthetic exports" >&2
jq -c --argjson n 5000 '.tables[0] as $t | $t.rows[1] as $r |
  {tables: [{name: "PrimaryResult", columns: $t.columns, rows: [range(0; $n) | . as $i |
   $r | .[12] = "alert-\($i)" | .[21] = (.[21] |
     gsub("akshita-vm"; "host-\($i % 50)") |
     gsub("\"akshita\""; "\"user-\($i % 500)\"") |
     gsub("-500\""; "-\(1000 + $i % 500)\"") |
     gsub("\"6412\""; "\"\(10000 + $i)\""))]}]}' \
    "$data/demo-357335-alerts.json" > "$work/alerts.json"
jq -c --argjson n 20000 '.tables[0] as $t | $t.rows[0] as $r |
  {tables: [{name: "PrimaryResult", columns: $t.columns, rows: [range(0; $n) | . as $i |
   $r | .[2] = "00000000-0000-4000-8000-\($i + 100000000000)" | .[19] = $i |
   .[5] = (["Low", "Medium", "High", "Informational"][$i % 4]) |
   .[6] = (["New", "Active", "Closed"][$i % 3])]}]}' \
    "$data/demo-357335-incident.json" > "$work/queue.json"

echo "fetch-incident: demo" >&2
demo=$(runstat 50 triage-fetch-incident -j "$work/demo.json")
echo "fetch-incident: alertlist.csv" >&2
real=$(runstat 20 triage-fetch-incident -j "$data/alertlist.csv")
echo "fetch-incident: 5,000 alerts" >&2
big=$(runstat 5 triage-fetch-incident -j "$work/alerts.json")
triage-fetch-incident -j "$work/alerts.json" > "$work/big.out"
ents=$(jq '.entities | length' "$work/big.out")
out_size=$(wc -c < "$work/big.out")
echo "fetch-incident: queue of 20,000" >&2
queue=$(runstat 5 triage-fetch-incident -j "$work/queue.json" --list)
load=$(cut -d ' ' -f 1 /proc/loadavg 2>/dev/null || echo '?')
cores=$(nproc 2>/dev/null || echo '?')
in_size=$(wc -c < "$work/alerts.json")
csv_size=$(wc -c < "$data/alertlist.csv")
q_size=$(wc -c < "$work/queue.json")

set -- $demo
d_med=$1 d_rss=$4
set -- $real
r_med=$1 r_rss=$4
set -- $big
b_med=$1 b_rss=$4
set -- $queue
q_med=$1 q_rss=$4

awk -v dm="$d_med" -v dr="$d_rss" -v rm="$r_med" -v rr="$r_rss" \
    -v bm="$b_med" -v br="$b_rss" -v qm="$q_med" -v qr="$q_rss" \
    -v is="$in_size" -v cs="$csv_size" -v qs="$q_size" -v os="$out_size" \
    -v ents="$ents" -v load="$load" -v cores="$cores" '
function mb(kib) { return sprintf("%.1f MB", kib / 1024) }
BEGIN {
	print "## triage-fetch-incident: normalising incidents"
	print ""
	print "Whole process, from an export file (the KQL, Graph and REST sources"
	print "end in the same code). Wall times are medians; memory is the peak RSS."
	print ""
	print "| input | wall | peak memory |"
	print "| --- | --- | --- |"
	printf "| the demo incident: 2 incident rows, 2 alert rows, 12 entities (50 runs) | %.2f ms | %s |\n", dm, mb(dr)
	printf "| msticpy alertlist.csv: 171 real alerts, %.2f MB of CSV, 313 entities (20 runs) | %.1f ms | %s |\n", cs / 1e6, rm, mb(rr)
	printf "| 5,000 alerts, %.1f MB of JSON, merged into %d entities (5 runs) | %.0f ms (%.1f MB/s) | %s |\n", is / 1e6, ents, bm, is / 1e3 / bm, mb(br)
	printf "| `--list` over 20,000 SecurityIncident rows, %.1f MB (5 runs) | %.0f ms | %s |\n", qs / 1e6, qm, mb(qr)
	print ""
	printf "The 5,000-alert record is %.1f MB (each entity keeps at most 16 originals under raw).\n", os / 1e6
	printf "Time grows linearly with the alerts. Load average when measured: %s on %s cores (wall times stretch with it).\n", load, cores
}'
rm -rf "$work"
