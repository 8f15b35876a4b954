#!/bin/sh
# bench/enrich.sh: how much lookups in flight at once buy.  50 indicators
# against the loopback mock, which answers every request after 200 ms (a
# typical round trip to a threat-intelligence API), with the rate limits
# relaxed and the cache off, at --parallel 1 (one at a time) and up.
# Prints one markdown section; progress on stderr.
set -eu
TOP=${TOP:-$(cd "$(dirname "$0")/.." && pwd)}
BIN=${BIN:-$TOP/bin}
BUILD=${BUILD:-$TOP/build}
BENCH_TMP=${BENCH_TMP:-$TOP/bench/out}
PATH=$BIN:$BUILD:$PATH
work=$BENCH_TMP/enrich
rm -rf "$work"
mkdir -p "$work"
TMPDIR_CASE=$work
TRIAGE_MOCK=${TRIAGE_MOCK:-$BUILD/triage-mock}
export PATH TMPDIR_CASE TRIAGE_MOCK

DELAY=200
N=50
cat > "$work/scenario.json" <<EOF
{"routes": [
  {"path": "/api/v3/ip_addresses/*", "responses": [{"delay_ms": $DELAY, "body":
    {"data": {"type": "ip_address", "id": "x", "attributes":
      {"last_analysis_stats": {"malicious": 0, "undetected": 70}}}}}]},
  {"path": "/api/v3/*", "responses": [{"delay_ms": $DELAY, "body": {"data":
    {"type": "file", "id": "x", "attributes": {"last_analysis_stats":
      {"malicious": 0, "undetected": 70}}}}}]},
  {"path": "/api/v2/check", "responses": [{"delay_ms": $DELAY, "body":
    {"data": {"abuseConfidenceScore": 0}}}]},
  {"path": "/internetdb/*", "responses": [{"delay_ms": $DELAY, "body":
    {"ports": [443], "tags": []}}]}
]}
EOF
. "$TOP/tests/lib/mock.sh"
mock_start "$work/scenario.json"
trap 'mock_stop' EXIT

export XDG_CACHE_HOME="$work/cache"
export ABUSEIPDB_API_KEY=bench VIRUSTOTAL_API_KEY=bench
export TRIAGE_ABUSEIPDB_URL="$MOCK_URL/api/v2"
export TRIAGE_VIRUSTOTAL_URL="$MOCK_URL/api/v3"
export TRIAGE_INTERNETDB_URL="$MOCK_URL/internetdb"
export TRIAGE_RATE_VIRUSTOTAL=none TRIAGE_RATE_ABUSEIPDB=none
export TRIAGE_RATE_INTERNETDB=none
unset TRIAGE_WORKSPACE LOG_ANALYTICS_WORKSPACE_ID

i=0
: > "$work/hashes.txt"
: > "$work/ips.txt"
while [ "$i" -lt "$N" ]; do
	i=$((i + 1))
	printf '%032x\n' "$i" >> "$work/hashes.txt"
	printf "45.155.%d.%d\n" $((i / 200 + 1)) $((i % 200 + 1)) \
	    >> "$work/ips.txt"
done

now() { date +%s.%N; }
# arithmetic on decimals (awk: bc is not in a minimal Debian)
calc() { awk "BEGIN { printf \"%.6f\\n\", $1 }"; }

# run FILE ARGS...: wall seconds for one run; checks every record came.
run() {
	file=$1
	shift
	t0=$(now)
	triage-enrich --no-cache "$@" < "$file" > "$work/out.json"
	t1=$(now)
	bad=$(jq -r 'select(.verdict == "error") | .message' "$work/out.json" |
	    head -n 1)
	if [ -n "$bad" ]; then
		echo "bench/enrich: a lookup failed: $bad" >&2
		exit 1
	fi
	d=$(calc "$t1 - $t0")
	echo "$d"
	echo "bench:   $* $d" >&2
}

# median of three runs
median() {
	a=$(run "$@")
	b=$(run "$@")
	c=$(run "$@")
	printf '%s\n%s\n%s\n' "$a" "$b" "$c" | sort -n | sed -n 2p
}

echo "bench: enrich, one at a time" >&2
serial=$(run "$work/hashes.txt" --providers virustotal --parallel 1)
rows=""
for p in 4 16 50; do
	echo "bench: enrich, --parallel $p" >&2
	t=$(median "$work/hashes.txt" --providers virustotal --parallel "$p")
	rows="$rows$p $t
"
done
echo "bench: enrich, three providers" >&2
three=$(median "$work/ips.txt" --providers abuseipdb,virustotal,internetdb)
three_serial=$(run "$work/ips.txt" --providers abuseipdb,virustotal,internetdb \
    --parallel 1)

fmt() { printf '%.2f' "$1"; }
ratio() { printf '%.1f' "$(calc "$1 / $2")"; }
rate() { printf '%.1f' "$(calc "$N / $1")"; }

cat <<EOF
## triage-enrich: lookups in flight

$N file hashes looked up in VirusTotal against the loopback mock, which
answers every request after $DELAY ms; rate limits relaxed, cache off.
One-at-a-time is \`--parallel 1\`; the default is 16. Parallel rows are the
median of three runs.

| \`--parallel\` | wall time | lookups/s | speed-up |
| ---: | ---: | ---: | ---: |
| 1 | $(fmt "$serial") s | $(rate "$serial") | 1.0x |
EOF
printf '%s' "$rows" | while read -r p t; do
	label=$p
	[ "$p" = 16 ] && label="16 (default)"
	r=$(rate "$t")
	g=$(ratio "$serial" "$t")
	echo "| $label | $(fmt "$t") s | $r | ${g}x |"
done
one=$(fmt "$three_serial")
many=$(fmt "$three")
gain=$(ratio "$three_serial" "$three")
cat <<EOF

$N public IP addresses, each asked of AbuseIPDB, VirusTotal and
InternetDB ($((N * 3)) requests): $one s one at a time, $many s with the
default \`--parallel 16\` (${gain}x). Every request first books a slot in
its provider's shared rate-limit file (flock, read, rewrite); that cost
is included.
EOF
