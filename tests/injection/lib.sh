# lib.sh: what the injection cases share.  Source it from cmd or check.
. "$TOP/tests/agent/lib.sh"
INJ=$TOP/tests/injection

# The hostile incident: every string field carries INJECT-<path> and the
# payload (make-incident).
hostile_incident() {
	sh "$INJ/make-incident"
}

# first_text N: the text of the first user message of request N.
first_text() {
	jq -r "select(.seq == $1) | .json.messages[0].content |
	    if type == \"string\" then . else map(.text // empty) | join(\"\")
	    end" "$MOCK_LOG"
}

# in_block FILE: fail unless every line of FILE naming INJECT- lies
# between the nonce tag's line and its closing line, the block holds no
# raw '<', and the tag is opened and closed once each.
in_block() {
	tag=$(grep -o '^<incident-data-[0-9a-f]\{16\}>$' "$1") ||
	    fail "no nonce tag on a line of its own"
	close="</${tag#<}"
	[ "$(grep -c -x -F "$tag" "$1")" -eq 1 ] || fail "the tag opens twice"
	[ "$(grep -c -x -F "$close" "$1")" -eq 1 ] || fail "the tag closes twice"
	awk -v t="$tag" -v c="$close" '
		$0 == t { inside = 1; next }
		$0 == c { inside = 0; next }
		/INJECT-/ && !inside { print "outside: " substr($0, 1, 120); bad = 1 }
		inside && /</ { print "raw < inside: " substr($0, 1, 120); bad = 1 }
		END { exit bad }' "$1" || fail "incident data outside the block"
	grep -q 'INJECT-title' "$1" || fail "the title did not reach the model"
}
