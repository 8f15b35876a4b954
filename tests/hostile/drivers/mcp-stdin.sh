# triage-mcp reading the input as JSON-RPC messages on stdin: each bad
# line gets a JSON-RPC error answer, and the server ends with its input.
drv_run() {
	triage-mcp -q < "$1"
}
drv_after() {
	# Every answer is a JSON-RPC 2.0 error object.
	[ ! -s out ] || jq -s -e 'all(.[]; .jsonrpc == "2.0" and
	    (.error.code | type == "number" and . < 0) and
	    (.error.message | type == "string" and length > 0))' out \
	    > /dev/null || bad "an answer that is not a JSON-RPC error"
}
