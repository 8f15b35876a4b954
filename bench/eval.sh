#!/bin/sh
# eval: the playbook's own scores on the demo set.  "triage eval --provider
# none" investigates the fourteen labelled incidents of examples/eval
# offline (the demo workspace built fresh, the workspace's threat
# intelligence, the bundled ATT&CK data; no keys, so no outside service is
# asked) and scores every brief against its label.  The labels say what a
# careful analyst would conclude from the evidence; they were not tuned to
# the playbook.  Prints one markdown section; the run is kept in
# bench/out/eval/run.
set -eu
TOP=${TOP:-$(cd "$(dirname "$0")/.." && pwd)}
BENCH_TMP=${BENCH_TMP:-$TOP/bench/out}
T=$BENCH_TMP/eval
rm -rf "$T"
mkdir -p "$T"

# Offline is triage eval's default with -p none (only the workspace's
# own threat intelligence is asked); no model keys either, whatever the
# shell has, and a cache of our own.
unset ANTHROPIC_API_KEY OPENAI_API_KEY 2>/dev/null || true
XDG_CACHE_HOME=$T/cache
export XDG_CACHE_HOME

echo "eval: the playbook over examples/eval" >&2
triage-eval -p none -j "${BENCH_JOBS:-2}" -o "$T/run" "$TOP/examples/eval" > "$T/report.md"

cat <<EOS
## Eval: the playbook on the demo set

\`triage eval --provider none\` over the $(jq '.summary.incidents' "$T/run/report.json")
labelled incidents of \`examples/eval\`, offline (no model; threat intelligence
is the workspace's own, \`--offline\` being the default with \`-p none\`); facts
are matched as whole words. The labels were written
from the evidence in the workspace, not tuned to the playbook; the
playbook cannot weigh intent and never calls anything benign
(triage-agent(1)), so its answer for benign and false positives is
\`undetermined\`, and the scores below say so.

EOS
# The report without its own title.
sed '1,2d' "$T/report.md"
