# lib.sh: what the triage-agent cases share.  Source it from a case's cmd
# or check:  . "$TOP/tests/agent/lib.sh"
FAKE=$TOP/tests/agent/fake
DATA=$TOP/tests/agent/data
INCIDENT=$DATA/incident.ndjson
# The sanitizer build lives in build/san/bin, away from prompts/ and data/.
TRIAGE_DATA_DIR=${TRIAGE_DATA_DIR:-$TOP}
export TRIAGE_DATA_DIR
# Fast retries: tests must not wait for real backoff schedules.
TRIAGE_HTTP_MAX_ATTEMPTS=${TRIAGE_HTTP_MAX_ATTEMPTS:-2}
TRIAGE_HTTP_TIMEOUT=${TRIAGE_HTTP_TIMEOUT:-20}
export TRIAGE_HTTP_MAX_ATTEMPTS TRIAGE_HTTP_TIMEOUT
if [ -n "${MOCK_URL:-}" ]; then
	ANTHROPIC_BASE_URL=$MOCK_URL
	OPENAI_BASE_URL=$MOCK_URL/v1
	export ANTHROPIC_BASE_URL OPENAI_BASE_URL
fi

# agent ARGS...: triage-agent with the fake tools.
agent() {
	triage-agent --tools "$FAKE/manifest.json" "$@"
}

# req N FILTER: the Nth request the mock received, through jq.
req() {
	jq -c "select(.seq == $1) | $2" "$MOCK_LOG"
}

# rec TYPE FILTER: the output records of a type, through jq.
rec() {
	jq -c "select(.type == \"$1\") | $2" "$OUT_FILE"
}

# fail MESSAGE: say why and fail the check.
fail() {
	printf 'check: %s\n' "$*"
	exit 1
}

# expect WHAT GOT WANT
expect() {
	[ "$2" = "$3" ] || fail "$1: got '$2', want '$3'"
}

# no_violations: fail when the mock saw a request the real API would not
# accept (or a request it did not expect).
no_violations() {
	v=$(jq -c 'select((.violations | length) > 0) |
	    {seq, path, violations}' "$MOCK_LOG")
	[ -z "$v" ] || fail "mock violations: $v"
}

# requests: how many requests the mock received.
requests() {
	jq -s 'length' "$MOCK_LOG"
}
