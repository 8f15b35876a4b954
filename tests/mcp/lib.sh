# lib.sh: what the triage-mcp cases share.  Source it from a case's cmd
# or check:  . "$TOP/tests/mcp/lib.sh"
FAKE=$TOP/tests/mcp/fake
# The sanitizer build lives in build/san/bin, away from data/.
TRIAGE_DATA_DIR=${TRIAGE_DATA_DIR:-$TOP}
export TRIAGE_DATA_DIR

# init [VERSION]: the initialize request (id 0) and the initialized
# notification, as a client sends them.
init() {
	printf '{"jsonrpc":"2.0","id":0,"method":"initialize","params":{"protocolVersion":"%s","capabilities":{},"clientInfo":{"name":"tests","version":"1.0"}}}\n' "${1:-2025-06-18}"
	echo '{"jsonrpc":"2.0","method":"notifications/initialized"}'
}

# call ID TOOL ARGUMENTS: a tools/call request.
call() {
	printf '{"jsonrpc":"2.0","id":%s,"method":"tools/call","params":{"name":"%s","arguments":%s}}\n' "$1" "$2" "$3"
}

# mcp ARGS...: triage-mcp with the fake tools beside the built-in ones.
mcp() {
	triage-mcp -q --tools "$FAKE/manifest.json" "$@"
}

# shapes FILE: fails, showing them, if any reply in FILE is not shaped as
# JSON-RPC 2.0 and MCP say, or if FILE holds anything but JSON.
shapes() {
	jq -c -f "$TOP/tests/mcp/shapes.jq" "$1" > shapes.bad || {
		echo "shapes: $1 holds something that is not JSON"
		return 1
	}
	if [ -s shapes.bad ]; then
		echo "shapes: badly shaped replies:"
		cat shapes.bad
		return 1
	fi
}

# reply FILE ID FILTER: the reply to request ID, through jq.
reply() {
	jq -c --argjson id "$2" "select(type == \"object\" and .id == \$id) | $3" "$1"
}

# wait_for FILE [PATTERN]: waits (at most 30 s) until FILE exists, or
# holds a line matching PATTERN.
wait_for() {
	i=0
	while :; do
		if [ $# -eq 1 ]; then
			[ -e "$1" ] && return 0
		else
			grep -q -- "$2" "$1" 2>/dev/null && return 0
		fi
		i=$((i + 1))
		[ "$i" -gt 600 ] && { echo "wait_for: gave up on $*"; return 1; }
		sleep 0.05
	done
}
