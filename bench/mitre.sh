#!/bin/sh
# mitre: what an ATT&CK lookup costs as a whole process, against finding the
# same technique with jq over the bundle, and what building the index costs.
# Needs: triage-mitre, triage-mitre-update, runstat (tests/helpers), jq.
set -eu
work=$BENCH_TMP/mitre
rm -rf "$work"
mkdir -p "$work/cache"
XDG_CACHE_HOME=$work/cache
TRIAGE_DATA_DIR=$TOP
export XDG_CACHE_HOME TRIAGE_DATA_DIR
gz=$TOP/data/attack/enterprise-attack-18.1-min.json.gz
zcat "$gz" > "$work/bundle.json"
# jq's best case: the bundle already inflated, one select over the objects.
cat > "$work/find.jq" <<'EOF'
.objects[] | select(.type == "attack-pattern" and
    any(.external_references[]?; .source_name == "mitre-attack" and
        .external_id == "T1059.001"))
EOF

echo "mitre: first lookups (building the bundled index)" >&2
first=$(runstat 5 sh -c 'rm -rf "$XDG_CACHE_HOME/triage"; exec triage-mitre T1059.001')
triage-mitre T1059.001 > /dev/null		# the cached index from here on
[ "$(triage-mitre T1059.001 | jq -r .name)" = PowerShell ]
echo "mitre: lookups" >&2
look=$(runstat 300 triage-mitre T1059.001)
echo "mitre: jq" >&2
jqr=$(runstat 10 jq -c -f "$work/find.jq" "$work/bundle.json")
echo "mitre: search, stdin" >&2
srch=$(runstat 50 triage-mitre search powershell)
zcat "$gz" | jq -r '.objects[] | select(.type == "attack-pattern") |
    .external_references[0].external_id' > "$work/ids"
all=$(runstat 20 sh -c 'exec triage-mitre < "$0"' "$work/ids")
echo "mitre: index builds" >&2
build=$(runstat 5 triage-mitre-update --from "$gz")
idx_size=$(wc -c < "$work/cache/triage/attack/enterprise-attack.idx")
gz_size=$(wc -c < "$gz")
json_size=$(wc -c < "$work/bundle.json")

set -- $look
l_med=$1 l_p90=$2 l_min=$3 l_rss=$4
set -- $jqr
j_med=$1 j_rss=$4
set -- $srch
s_med=$1 s_rss=$4
set -- $all
a_med=$1
set -- $build
b_med=$1 b_rss=$4
set -- $first
f_med=$1

awk -v lm="$l_med" -v lp="$l_p90" -v ln="$l_min" -v lr="$l_rss" \
    -v jm="$j_med" -v jr="$j_rss" -v sm="$s_med" -v sr="$s_rss" \
    -v am="$a_med" -v bm="$b_med" -v br="$b_rss" -v fm="$f_med" \
    -v is="$idx_size" -v gs="$gz_size" -v js="$json_size" '
function mb(kib) { return sprintf("%.1f MB", kib / 1024) }
BEGIN {
	print "## triage-mitre: ATT&CK lookups"
	print ""
	print "The bundled ATT&CK v18.1 cut (" sprintf("%.1f", js / 1e6) \
	    " MB of JSON, " sprintf("%.2f", gs / 1e6) " MB gzipped); the index is " \
	    sprintf("%.2f", is / 1e6) " MB. Wall times are medians; memory is the peak RSS."
	print ""
	print "| measure | wall | peak memory |"
	print "| --- | --- | --- |"
	printf "| one lookup, whole process: `triage-mitre T1059.001` (300 runs; p90 %.2f ms, best %.2f ms) | **%.2f ms** | **%s** |\n", lp, ln, lm, mb(lr)
	printf "| the same technique with `jq` over the inflated bundle (10 runs) | %.1f ms | %s |\n", jm, mb(jr)
	printf "| speed-up over jq | **%.0fx** | %.0fx less |\n", jm / lm, jr / lr
	printf "| `triage-mitre search powershell` (50 runs) | %.2f ms | %s |\n", sm, mb(sr)
	printf "| all 691 techniques as IDs on stdin, one process (20 runs) | %.1f ms (%.1f us each) | |\n", am, am * 1000 / 691
	printf "| index build: `triage-mitre-update --from` the bundled .gz (5 runs) | %.0f ms | %s |\n", bm, mb(br)
	printf "| first lookup with an empty cache (builds and caches the index; 5 runs) | %.0f ms | |\n", fm
	print ""
	printf "Targets: under 5 ms and 10 MB a lookup, 50x faster than jq: %s.\n", \
	    (lm < 5 && lr < 10240 && jm / lm >= 50) ? "met" : "**not met**"
}'
rm -rf "$work"
