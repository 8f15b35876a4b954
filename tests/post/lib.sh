# lib.sh: what the triage-post cases share.  Source it from a case's cmd
# or check:  . "$TOP/tests/post/lib.sh"
DATA=$TOP/tests/post/data
RECORDS=$DATA/records.ndjson
# The runner's canary, so webhook URLs can hold it: any leak fails a case.
canary=${ANTHROPIC_API_KEY#sk-ant-}
canary=${canary%-anthropic}
TRIAGE_HTTP_MAX_ATTEMPTS=${TRIAGE_HTTP_MAX_ATTEMPTS:-3}
TRIAGE_HTTP_TIMEOUT=${TRIAGE_HTTP_TIMEOUT:-20}
TRIAGE_NOW=2026-11-28T10:00:00Z
export TRIAGE_HTTP_MAX_ATTEMPTS TRIAGE_HTTP_TIMEOUT TRIAGE_NOW

# teams_url [PATH]: a Workflows webhook URL on the mock, signed with the
# canary.
teams_url() {
	printf '%s/%s/workflows/4f1c/triggers/manual/paths/invoke?api-version=1&sp=%%2Ftriggers%%2Fmanual%%2Frun&sv=1.0&sig=%s\n' \
	    "$MOCK_URL" "${1:-powerautomate}" "$canary"
}

# slack_url [PATH]: a Slack incoming webhook on the mock.
slack_url() {
	printf '%s/%s/T0001/B0001/%s\n' "$MOCK_URL" "${1:-services}" "$canary"
}

# brief DIR: render the records into DIR as markdown and its sidecar.
brief() {
	triage-render -o "$1" < "$RECORDS" 2> /dev/null
	ls "$1"/*.md
}

# req N FILTER: the Nth request the mock received, through jq.
req() {
	jq -c "select(.seq == $1) | $2" "$MOCK_LOG"
}

fail() {
	printf 'check: %s\n' "$*"
	exit 1
}
