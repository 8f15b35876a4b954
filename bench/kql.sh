#!/bin/sh
# bench/kql.sh: triage-kql turning a large Log Analytics response into
# NDJSON.  A 100,000-row, 20-column response (every column type, dynamic
# values as JSON text, 64-bit longs, 7-digit datetimes) is generated with
# awk, then converted three ways: by build/tests/kql-convert, which runs
# the program's own reading and output code and times them apart, on the
# path live responses take (read in place) and on the general one
# (Jansson values, as for a local workspace); and by triage-kql itself,
# fetching it from the mock over loopback HTTP.
# Prints one markdown section on stdout; progress on stderr.
set -eu
TOP=${TOP:-$(cd "$(dirname "$0")/.." && pwd)}
BIN=${BIN:-$TOP/bin}
BUILD=${BUILD:-$TOP/build}
BENCH_TMP=${BENCH_TMP:-$TOP/bench/out}
ROWS=${KQL_BENCH_ROWS:-100000}
dir=$BENCH_TMP/kql
rm -rf "$dir"
mkdir -p "$dir"
conv=$BUILD/tests/kql-convert
[ -x "$conv" ] || { echo "bench/kql.sh: $conv is not built" >&2; exit 1; }

echo "kql: generating $ROWS rows" >&2
awk -v rows="$ROWS" 'BEGIN {
	printf "{\"tables\":[{\"name\":\"PrimaryResult\",\"columns\":["
	n = split("TimeGenerated:datetime Computer:string Account:string " \
	    "EventID:int ProcessId:long Score:real IsAdmin:bool Id:guid " \
	    "CommandLine:string Tactics:dynamic Properties:dynamic " \
	    "Duration:timespan SourceIP:string DestPort:int Bytes:long " \
	    "Severity:string TenantId:guid FirstSeen:datetime Ratio:real " \
	    "Note:string", cols, " ")
	for (i = 1; i <= n; i++) {
		split(cols[i], nt, ":")
		printf "%s{\"name\":\"%s\",\"type\":\"%s\"}", (i > 1 ? "," : ""),
		    nt[1], nt[2]
	}
	printf "],\"rows\":["
	split("Low Medium High Informational", sev, " ")
	for (r = 0; r < rows; r++) {
		s = r % 60; m = int(r / 60) % 60; h = int(r / 3600) % 24
		printf "%s[\"2024-05-01T%02d:%02d:%02d.%07dZ\",", (r > 0 ? "," : ""),
		    h, m, s, (r * 7919) % 10000000
		printf "\"WS-%05d.contoso.local\",\"user%d@contoso.com\",", r % 5000, r % 977
		printf "%d,%.0f,%.3f,%s,", 4600 + r % 200, 4294967296 + r * 13,
		    (r % 1000) / 7.0, r % 3 ? "false" : "true"
		printf "\"%08x-0000-4000-8000-%012x\",", r, r * 31
		printf "\"powershell.exe -NoProfile -enc \\\"SQBFAFgA%06d\\\" C:\\\\Windows\\\\Temp\\\\run%d.ps1\",", r, r % 89
		printf "\"[\\\"Execution\\\",\\\"Persistence\\\"]\","
		printf "\"{\\\"alertsCount\\\":%d,\\\"provider\\\":\\\"MDATP\\\",\\\"ratio\\\":0.%d}\",", r % 9, r % 97
		printf "\"00:%02d:%02d\",\"10.%d.%d.%d\",%d,%d,\"%s\",", m, s, r % 250, (r / 250) % 250, r % 199, 1024 + r % 60000, r * 1021, sev[r % 4 + 1]
		printf "\"72f988bf-86f1-41af-91ab-2d7cd011db47\",\"2024-04-30T%02d:%02d:%02dZ\",%.6f,", h, m, s, r / (r + 3.0)
		printf "%s]", r % 5 ? "\"reviewed by tier 1\"" : "null"
	}
	printf "]}]}\n"
}' > "$dir/response.json"
bytes=$(wc -c < "$dir/response.json")

# The median (by total time) of three runs of each path.
median() {
	awk '{ print $4 + $6, $0 }' "$1" | sort -n | sed -n 2p | cut -d' ' -f2-
}
for i in 1 2 3; do
	"$conv" "$dir/response.json" > "$dir/convert.ndjson" 2>> "$dir/convert.log"
	"$conv" -j "$dir/response.json" > "$dir/dom.ndjson" 2>> "$dir/dom.log"
done
raw=$(median "$dir/convert.log")
dom=$(median "$dir/dom.log")
out_bytes=$(wc -c < "$dir/convert.ndjson")
lines=$(wc -l < "$dir/convert.ndjson")
[ "$lines" -eq "$ROWS" ] || { echo "kql: $lines rows written" >&2; exit 1; }

# The whole program, fetching the response from the mock.
e2e=""
if [ -x "$BUILD/triage-mock" ] && [ -f "$TOP/tests/lib/mock.sh" ]; then
	cat > "$dir/scenario.json" <<-'EOF'
	{"routes": [
	 {"path": "/tenant-1/oauth2/v2.0/token", "check": "token",
	  "responses": [{"body": {"token_type": "Bearer", "expires_in": 3599, "access_token": "tok"}}]},
	 {"path": "/v1/workspaces/*", "check": "loganalytics",
	  "responses": [{"body_file": "response.json"}]}]}
	EOF
	TMPDIR_CASE=$dir TRIAGE_MOCK=$BUILD/triage-mock
	export TMPDIR_CASE TRIAGE_MOCK
	. "$TOP/tests/lib/mock.sh"
	mock_start "$dir/scenario.json"
	trap 'mock_stop' EXIT
	for i in 1 2 3; do
		env XDG_CACHE_HOME="$dir/cache" AZURE_AUTHORITY_HOST="$MOCK_URL" \
		    AZURE_TENANT_ID=tenant-1 AZURE_CLIENT_ID=app-1 \
		    AZURE_CLIENT_SECRET=bench TRIAGE_AZURE_CREDENTIAL=env \
		    TRIAGE_LOGANALYTICS_URL="$MOCK_URL" \
		    LOG_ANALYTICS_WORKSPACE_ID=11111111-2222-3333-4444-555555555555 \
		    "$conv" -r "$BIN/triage-kql" 'Bench | take 100000' \
		    > "$dir/e2e.ndjson" 2>> "$dir/e2e.log"
	done
	cmp -s "$dir/e2e.ndjson" "$dir/convert.ndjson" ||
	    { echo "kql: triage-kql wrote something else" >&2; exit 1; }
	e2e=$(grep '^wall_ms' "$dir/e2e.log" | sort -t' ' -k2,2n | sed -n 2p)
	case "$e2e" in
	*" status 0") ;;
	*) echo "kql: triage-kql failed: $e2e" >&2; exit 1 ;;
	esac
fi

awk -v bytes="$bytes" -v out="$out_bytes" -v rows="$ROWS" \
    -v raw="$raw" -v dom="$dom" -v e2e="$e2e" '
function row(what, ms, rss,    mem) {
	mem = ""
	if (rss != "")
		mem = sprintf("%.0f MB (%.1f x the response)", rss / 1024,
		    rss * 1024 / bytes)
	if (ms < 1)
		ms = 1
	printf "| %s | %d ms | %.0f MB/s | %s |\n", what, ms,
	    mb / (ms / 1000), mem
}
BEGIN {
	mb = bytes / 1e6
	split(raw, r, " ")
	split(dom, d, " ")
	printf "## triage-kql: Log Analytics response to NDJSON\n\n"
	printf "A generated response of %d rows by 20 columns (every column " \
	    "type; dynamic values as JSON text), %.1f MB, written as %.1f MB " \
	    "of NDJSON.  Median of three runs; throughput is response bytes " \
	    "per second.\n\n", rows, mb, out / 1e6
	printf "| step | time | throughput | peak RSS |\n"
	printf "| --- | ---: | ---: | ---: |\n"
	row("read and check the response in place (live path)", r[4], "")
	row("typed conversion to NDJSON from the bytes", r[6], "")
	row("**live path, read + conversion**", r[4] + r[6], r[8])
	row("general path (Jansson values: local workspace, table, CSV)",
	    d[4] + d[6], d[8])
	if (e2e != "") {
		split(e2e, f, " ")
		row("triage-kql end to end (token, query over loopback " \
		    "HTTP from the mock, output)", f[2], f[4])
	}
	printf "\nTarget: at least 50 MB/s, memory a small multiple of the " \
	    "response.  The live path holds the response once and writes " \
	    "rows through a 64 KiB buffer; the general path holds Jansson " \
	    "values for every cell.\n"
}'
