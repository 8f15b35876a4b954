#!/bin/sh
# check-slack.sh FILE: each line a Slack incoming-webhook payload: text
# (with & < > escaped) and at most 50 blocks of the kinds we use, headers
# of at most 150 characters in plain_text, no mrkdwn at all (it has no
# escape for * _ ~ `), every rich_text block under 3,000 characters of text,
# links https only, the whole within 40,000 bytes.
set -u
f=$1
st=0
n=0
while IFS= read -r line; do
	n=$((n + 1))
	size=$(printf '%s' "$line" | wc -c)
	[ "$size" -le 40000 ] || { echo "$f:$n: $size bytes"; st=1; }
	printf '%s' "$line" | jq -e '
	  (.text | type == "string" and length > 0 and
	    (test("[<>]") | not)) and .mrkdwn == false and
	  (.blocks | type == "array" and length <= 50) and
	  ([.blocks[].type] - ["rich_text", "header", "divider", "context"]
	    == []) and
	  ([.blocks[] | select(.type == "header") | .text |
	    .type == "plain_text" and (.text | length) <= 150] | all) and
	  ([.. | objects | select(.type? == "mrkdwn")] | length == 0) and
	  ([.blocks[] | select(.type == "rich_text") |
	    [.. | objects | .text? | strings | length] | add] | max <= 3000)
	  and ([.. | objects | select(.type? == "link") | .url |
	    startswith("https://")] | all)
	' > /dev/null || { echo "$f:$n: not the Slack shape"; st=1; }
done < "$f"
[ "$n" -ge 1 ] || { echo "$f: no payload"; st=1; }
exit $st
