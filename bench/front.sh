#!/bin/sh
# front: what the front door costs around the stages, and what parallel
# batches buy.  On the demo workspace with the playbook (no model, no
# network, the enrichment cache emptied before each measurement), it
# times one "triage run" against the bare pipeline it wraps, a whole
# queue through "triage batch" at 1, 2 and 4 jobs, and "triage post
# --dry-run" re-rendering a card from a sidecar.
set -eu
T=$BENCH_TMP/front
rm -rf "$T"
mkdir -p "$T"
RUNS=${BENCH_RUNS:-5}
TRIAGE_NOW=$(jq -r .anchor "$TOP/examples/workspace/workspace.json")
TRIAGE_WORKSPACE=$T/demo.db
TRIAGE_DATA_DIR=$TOP
XDG_CACHE_HOME=$T/cache
export TRIAGE_NOW TRIAGE_WORKSPACE TRIAGE_DATA_DIR XDG_CACHE_HOME
unset ANTHROPIC_API_KEY ABUSEIPDB_API_KEY VIRUSTOTAL_API_KEY TRIAGE_OUTPUT_DIR
# Offline and quick: InternetDB answers "connection refused" at once.
export TRIAGE_INTERNETDB_URL=http://127.0.0.1:1 TRIAGE_HTTP_MAX_ATTEMPTS=1
"$TOP/scripts/build-workspace" --now "$TRIAGE_NOW" "$TRIAGE_WORKSPACE" >&2

now_ms() {
	date +%s%3N
}

# median of the numbers on stdin
median() {
	sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'
}

# time_ms CMD...: wall milliseconds of one run, the cache emptied first.
time_ms() {
	rm -rf "$XDG_CACHE_HOME"
	s=$(now_ms)
	"$@" > /dev/null 2>&1 || true
	e=$(now_ms)
	echo $((e - s))
}

pipeline() {
	triage-fetch-incident 357335 | triage-agent -q -p none |
	    triage-render -o "$T/pipe" 2> /dev/null
}

i=0
: > "$T/run"
: > "$T/pipe.ms"
while [ $i -lt "$RUNS" ]; do
	time_ms triage run 357335 -q -p none -o "$T/out" >> "$T/run"
	time_ms pipeline >> "$T/pipe.ms"
	i=$((i + 1))
done
run=$(median < "$T/run")
pipe=$(median < "$T/pipe.ms")

n=$(triage-fetch-incident --list | jq -s length)
b1=$(time_ms triage batch -p none --status all -j 1 -o "$T/b1")
b2=$(time_ms triage batch -p none --status all -j 2 -o "$T/b2")
b4=$(time_ms triage batch -p none --status all -j 4 -o "$T/b4")
briefs=$(ls "$T"/b4/*-incident-*[0-9].md | wc -l)

# The same queue with a model that takes a second to answer (the mock:
# one turn, the brief at once): the runs wait on the network, as real ones
# do, and the jobs overlap their waits.
. "$TOP/tests/lib/mock.sh"
TMPDIR_CASE=$T
jq -n --slurpfile b "$TOP/tests/agent/data/brief-input.json" '{routes: [
    {path: "/v1/messages", responses: [{auto: "anthropic", delay_ms: 1000,
     body: {content: [{type: "tool_use", id: "toolu_1", name: "submit_brief",
     input: $b[0]}]}}]}]}' > "$T/model.json"
mock_start "$T/model.json" >&2
export ANTHROPIC_BASE_URL=$MOCK_URL ANTHROPIC_API_KEY=bench-key
m1=$(time_ms triage batch --status all -j 1 -o "$T/m1")
m4=$(time_ms triage batch --status all -j 4 -o "$T/m4")
m8=$(time_ms triage batch --status all -j 8 -o "$T/m8")
mock_stop >&2
unset ANTHROPIC_BASE_URL ANTHROPIC_API_KEY
mbriefs=$(ls "$T"/m8/*-incident-*[0-9].md | wc -l)
load=$(cut -d' ' -f1 /proc/loadavg)

side=$(ls "$T"/out/*-incident-357335.json | head -n 1)
: > "$T/post"
i=0
while [ $i -lt "$RUNS" ]; do
	time_ms triage post --dry-run --teams "$side" >> "$T/post"
	i=$((i + 1))
done
post=$(median < "$T/post")

rate() {
	awk -v n="$n" -v ms="$1" 'BEGIN { printf "%.1f", n * 60000 / ms }'
}

cat <<EOF2
## Front door: triage run, batch and post

The demo workspace, the playbook (\`-p none\`: no model, so what is left
is the programs' own time), no keys (the workspace's own threat
intelligence only), the enrichment cache emptied before each run; median
of $RUNS, on $(nproc) cores.

| what | wall time |
| --- | --- |
| \`triage run 357335\` (fetch, agent, render, transcript) | $run ms |
| the same stages as a bare pipeline | $pipe ms |
| \`triage post --dry-run --teams\` (a card re-rendered from a sidecar) | $post ms |

The whole queue, $n incidents, with the playbook ($briefs briefs), and
with a model on the mock that answers each request after one second
($mbriefs briefs):

| \`triage batch -j\` | playbook | incidents a minute | model, 1 s a turn | incidents a minute |
| --- | --- | --- | --- | --- |
| 1 | $b1 ms | $(rate "$b1") | $m1 ms | $(rate "$m1") |
| 2 | $b2 ms | $(rate "$b2") | | |
| 4 | $b4 ms | $(rate "$b4") | $m4 ms | $(rate "$m4") |
| 8 | | | $m8 ms | $(rate "$m8") |

The load average was $load when it finished (other work shares the
machine). Between \`triage run\` and the bare pipeline, $((run - pipe)) ms:
its own work (work files, jq's checks, the transcript's move) and noise.
The playbook is CPU work (a process per tool, KQL on SQLite), so on two cores more jobs
do not help; a model run waits on the network, and the jobs overlap those
waits. Real limits are the services' quotas and the model's cost, which
every parallel run shares through the cache's file locks.
EOF2
