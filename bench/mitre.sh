#!/bin/sh
# mitre: what an ATT&CK lookup costs as a whole process, against finding the
# same technique with jq over the bundle, and what building the index costs,
# from the bundled cut and from a bundle the size of a full release (what
# "triage-mitre update" downloads: about 45-50 MB).  No full release is
# bundled or downloaded here: the full-size one is the cut padded with
# generated objects of the kinds the cut leaves out (groups, software, and
# "uses" relationships to the real techniques, with description text), so
# the builder reads and skips what it would in a real release.
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

echo "mitre: a full-size bundle" >&2
mkdir "$work/full"
cat > "$work/pad.jq" <<'EOF'
def lorem: "Adversaries in this synthetic object used the technique during intrusions against several sectors, as reported in public threat intelligence; the text stands in for the procedure descriptions and citations of a real ATT&CK object. (Citation: Synthetic Report)";
def text($n): [range(0; $n) | lorem] | join(" ");
def kind($i): ["intrusion-set", "malware", "tool"][$i % 3];
def sid($k; $i; $s): "\($k)--00000000-0000-4000-\($s)-\($i | tostring | ("000000000000" + .)[-12:])";
[.objects[] | select(.type == "attack-pattern") | .id] as $ap
| ($ap | length) as $nap
| .objects += [range(0; $groups) as $i
    | {type: kind($i), id: sid(kind($i); $i; "8000"), spec_version: "2.1",
       created: "2020-01-01T00:00:00.000Z", modified: "2025-10-01T00:00:00.000Z",
       name: "Synthetic \($i)", description: text(12),
       external_references: [{source_name: "mitre-attack", external_id: "S\(9000 + $i)",
           url: "https://attack.mitre.org/"}],
       x_mitre_version: "1.0", x_mitre_domains: ["enterprise-attack"]}]
| .objects += [range(0; $rels) as $i
    | {type: "relationship", relationship_type: "uses", id: sid("relationship"; $i; "9000"),
       spec_version: "2.1", created: "2020-01-01T00:00:00.000Z", modified: "2025-10-01T00:00:00.000Z",
       source_ref: sid(kind($i % $groups); $i % $groups; "8000"), target_ref: $ap[$i % $nap],
       description: text(6),
       external_references: [{source_name: "Synthetic Report",
           description: "A synthetic citation \($i).", url: "https://example.com/\($i)"}],
       x_mitre_domains: ["enterprise-attack"]}]
EOF
full=$work/full/enterprise-attack-18.1.json
zcat "$gz" | jq -c --argjson groups 900 --argjson rels 19000 -f "$work/pad.jq" > "$full"
full_size=$(wc -c < "$full")
full_objects=$(jq '.objects | length' "$full")
fbuild=$(runstat 3 triage-mitre-update --dataset-version 18.1 --from "$full")
[ "$(triage-mitre T1059.001 | jq -r .name)" = PowerShell ]
fidx_size=$(wc -c < "$work/cache/triage/attack/enterprise-attack.idx")
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
set -- $fbuild
fb_med=$1 fb_rss=$4

awk -v lm="$l_med" -v lp="$l_p90" -v ln="$l_min" -v lr="$l_rss" \
    -v jm="$j_med" -v jr="$j_rss" -v sm="$s_med" -v sr="$s_rss" \
    -v am="$a_med" -v bm="$b_med" -v br="$b_rss" -v fm="$f_med" \
    -v is="$idx_size" -v gs="$gz_size" -v js="$json_size" \
    -v fbm="$fb_med" -v fbr="$fb_rss" -v fs="$full_size" -v fo="$full_objects" \
    -v fis="$fidx_size" -v load="$(cut -d ' ' -f 1 /proc/loadavg 2>/dev/null || echo unknown)" '
function mb(kib) { return sprintf("%.1f MB", kib / 1024) }
BEGIN {
	print "## triage-mitre: ATT&CK lookups"
	print ""
	print "The bundled ATT&CK v18.1 cut (" sprintf("%.1f", js / 1e6) \
	    " MB of JSON, " sprintf("%.2f", gs / 1e6) " MB gzipped); the index is " \
	    sprintf("%.2f", is / 1e6) " MB. Wall times are medians; memory is the peak RSS; the load average was " load " (2 cores) when they were taken."
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
	printf "| index build from a full-size bundle: %.1f MB of JSON, %d objects (synthetic, below; 3 runs) | **%.0f ms** | **%s** |\n", fs / 1e6, fo, fbm, mb(fbr)
	print ""
	printf "The full-size bundle is the cut padded, in the bench, with %d generated objects of the kinds the cut leaves out (900 groups and software, %d `uses` relationships to the real techniques, with description text), to the size of a full release, which `triage-mitre update` downloads; no full release is bundled. Its index is %.2f MB, the same techniques as the cut'"'"'s.\n", fo - 2672, fo - 2672 - 900, fis / 1e6
	print ""
	printf "Targets: under 5 ms and 10 MB a lookup, 50x faster than jq: %s.\n", \
	    (lm < 5 && lr < 10240 && jm / lm >= 50) ? "met" : "**not met**"
}'
rm -rf "$work"
