#!/bin/sh
# check-teams.sh FILE: each line a Teams Workflows payload as the spec
# gives it (a message with one Adaptive Card attachment, version 1.2-1.4,
# no Action.Submit, https links only) within 28,000 bytes, with hostile
# text only in TextRuns (TextBlocks hold our headings; no FactSet, whose
# values are markdown, and no backslash escapes, which Teams mobile shows).
set -u
f=$1
st=0
n=0
while IFS= read -r line; do
	n=$((n + 1))
	size=$(printf '%s' "$line" | wc -c)
	[ "$size" -le 28000 ] || { echo "$f:$n: $size bytes"; st=1; }
	printf '%s' "$line" | jq -e '
	  .type == "message" and (.attachments | length) == 1 and
	  (.attachments[0] | .contentType ==
	    "application/vnd.microsoft.card.adaptive" and
	    has("contentUrl") and .contentUrl == null) and
	  (.attachments[0].content | .type == "AdaptiveCard" and
	    ."$schema" == "http://adaptivecards.io/schemas/adaptive-card.json"
	    and (.version | IN("1.2", "1.3", "1.4")) and
	    (.body | type == "array" and length > 0) and
	    ([.. | objects | select(.type? != null) | .type] - ["AdaptiveCard",
	      "TextBlock", "RichTextBlock", "TextRun",
	      "Action.OpenUrl"] == []) and
	    ([.. | objects | select(.type? == "Action.OpenUrl") | .url |
	      startswith("https://") | not] | any | not) and
	    ([.body[] | select(.type == "TextBlock") | .text] - ["Summary",
	      "Entities", "ATT&CK mapping", "Process chain", "Timeline",
	      "Anomalies", "Enrichment results", "Recommended actions",
	      "Severity verdict", "Visibility gaps and errors"] == []))
	' > /dev/null || { echo "$f:$n: not the Teams shape"; st=1; }
done < "$f"
[ "$n" -ge 1 ] || { echo "$f: no payload"; st=1; }
exit $st
