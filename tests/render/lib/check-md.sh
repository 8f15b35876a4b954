#!/bin/sh
# check-md.sh FILE: renders the markdown with a real GFM parser
# (cmark-gfm, raw HTML allowed so that any that slipped through shows) and
# checks that only our own markup came out: known tags only, links only to
# the portal and attack.mitre.org, every table row as wide as its header,
# and the 12 section headings of a brief per document.
set -u
f=$1
st=0
html=$(mktemp)
cmark-gfm --unsafe -e table -e strikethrough -e autolink \
    "$f" > "$html" || { echo "cmark-gfm failed"; exit 1; }
bad=$(grep -o '<[a-zA-Z][a-zA-Z0-9]*' "$html" | sort -u | grep -v -x -E \
    '<(p|h1|h2|h3|table|thead|tbody|tr|th|td|ul|ol|li|pre|code|strong|em|a|hr)')
if [ -n "$bad" ]; then
	echo "$f: unexpected tags:" $bad
	st=1
fi
links=$(grep -o '<a [^>]*>' "$html" | grep -v -E \
    '^<a href="https://(portal\.azure\.com|attack\.mitre\.org)/[^"]*">$')
if [ -n "$links" ]; then
	echo "$f: unexpected links: $links"
	st=1
fi
# Each table: every row has as many unescaped pipes as its header row
# (GFM would silently drop the cells a stray pipe adds).
if ! awk '
	/^\|/ {
		line = $0
		gsub(/\\\\/, "", line)
		gsub(/\\\|/, "", line)
		n = gsub(/\|/, "", line)
		if (!intable) { want = n; intable = 1 }
		else if (n != want) { print "line " NR ": " n " pipes, want " want; bad = 1 }
		next
	}
	{ intable = 0 }
	END { exit bad }' "$f"; then
	echo "$f: a table row has the wrong number of cells"
	st=1
fi
docs=$(grep -c '^<h1>' "$html")
heads=$(grep -c -E '^<h[23]>' "$html")
if [ "$docs" -lt 1 ] || [ "$heads" -ne $((docs * 12)) ]; then
	echo "$f: $docs documents with $heads section headings (want 12 each)"
	st=1
fi
rm -f "$html"
exit $st
