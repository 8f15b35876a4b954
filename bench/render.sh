#!/bin/sh
# bench/render.sh: how long triage-render takes: the demo brief in every
# format, a stream with a 1 MB command line, and a 100-incident stream
# written to a directory (with fsync per file).  Prints one markdown
# section for BENCHMARKS.md.
set -eu
tmp=$BENCH_TMP/render
rm -rf "$tmp"
mkdir -p "$tmp"
data=$TOP/tests/render/data
now=2026-11-28T09:15:00Z

ms() {
	echo $(( ($(date +%s%N) - $1) / 1000000 ))
}

# Runs "$@" n times; prints the mean wall time in ms (to one decimal).
mean() {
	n=$1
	shift
	t0=$(date +%s%N)
	i=0
	while [ "$i" -lt "$n" ]; do
		"$@" > /dev/null
		i=$((i + 1))
	done
	echo "$(( ($(date +%s%N) - t0) / n / 100000 ))" |
	    sed 's/\(.\)$/.\1/; s/^\./0./'
}

sh "$data/hostile.sh" > "$tmp/1mb.ndjson"
i=0
while [ "$i" -lt 100 ]; do
	jq -c --argjson n "$i" 'if .type == "incident" then .number += $n
	    else . end' "$data/demo-model.ndjson"
	i=$((i + 1))
done > "$tmp/100.ndjson"

echo "## triage-render"
echo
echo "Wall time on this machine ($(nproc) cores), mean of several runs."
echo
echo "| input | format | ms |"
echo "| --- | --- | ---: |"
for f in markdown json html teams slack; do
	printf '| demo incident with brief (17 records) | %s | %s |\n' "$f" \
	    "$(mean 20 sh -c "triage-render -f $f --now $now < '$data/demo-model.ndjson'")"
done
for f in markdown json teams; do
	printf '| hostile, 1 MB command line | %s | %s |\n' "$f" \
	    "$(mean 5 sh -c "triage-render -f $f --now $now < '$tmp/1mb.ndjson'")"
done
printf '| 100 incidents, one stream | markdown | %s |\n' \
    "$(mean 3 sh -c "triage-render --now $now < '$tmp/100.ndjson'")"
t0=$(date +%s%N)
triage-render -o "$tmp/out" --now "$now" < "$tmp/100.ndjson" 2> /dev/null
printf '| 100 incidents, one stream | -o dir (200 files, synced) | %s |\n' \
    "$(ms "$t0")"
rm -rf "$tmp"
