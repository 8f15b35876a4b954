#!/bin/sh
# foundation: what every stage pays for: reading and writing NDJSON, and
# starting a subprocess tool through lib/proc.
set -eu
f=$BENCH_TMP/records.ndjson
jq -nc 'range(0; 200000) | {type: "enrichment",
    indicator: {kind: "ip", value: "203.0.113.\(. % 250)"},
    provider: "abuseipdb", verdict: "clean", score: (. % 100),
    facts: {country: "US", isp: "Example Networks", reports: ., tags: ["a", "b"]}}' > "$f"
nd=$(lib-bench ndjson "$f")
sp=$(lib-bench spawn 300)
cat <<EOS
## Foundation: NDJSON and subprocesses

| measure | result |
| --- | --- |
| NDJSON read + parse + re-serialise (200,000 enrichment records) | $nd |
| subprocess tool call through lib/proc (\`true\`, request on stdin) | $sp |
EOS
rm -f "$f"
