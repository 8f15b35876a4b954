# triage-kql (live) reading the input on stdin: one query, or request
# lines when the first line is a JSON object.
. "$TOP/tests/hostile/drivers/kql.inc"
drv_run() {
	kql_live < "$1"
}
drv_after() {
	# A query that ran reached the service whole, byte for byte.
	if [ "$1" -eq 0 ] && ! head -c 1 "$TMPDIR/input" | grep -q '{'; then
		sent=$(jq -s '[.[] | select(.path | endswith("/query"))] |
		    last | .json.query | utf8bytelength' "$MOCK_LOG")
		[ "$sent" -eq "$(wc -c < "$TMPDIR/input")" ] ||
		    bad "the service got $sent bytes of query"
	fi
}
