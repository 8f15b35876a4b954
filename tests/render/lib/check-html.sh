#!/bin/sh
# check-html.sh FILE: one self-contained page: a strict CSP whose style hash
# matches the one stylesheet, known tags only, no script, no event
# handler, no external resource, links only to the portal and ATT&CK.
set -u
f=$1
st=0
csp=$(grep -c '<meta http-equiv="Content-Security-Policy" content="default-src '"'"'none'"'"'; style-src '"'"'sha256-[A-Za-z0-9+/=]*'"'"'; img-src '"'"'none'"'"'; base-uri '"'"'none'"'"'; form-action '"'"'none'"'"'">' "$f")
[ "$csp" -eq 1 ] || { echo "$f: no strict CSP meta tag"; st=1; }
want=$(sed -n "s/.*style-src 'sha256-\([^']*\)'.*/\1/p" "$f" | base64 -d |
    od -An -tx1 | tr -d ' \n')
css=$(sed -n 's/^<style>\(.*\)<\/style>$/\1/p' "$f")
got=$(printf '%s' "$css" | sha256sum | cut -d' ' -f1)
[ -n "$want" ] && [ "$want" = "$got" ] ||
    { echo "$f: CSP hash $want is not the stylesheet's $got"; st=1; }
[ "$(grep -c '^<style>' "$f")" -eq 1 ] || { echo "$f: not one stylesheet"; st=1; }
bad=$(grep -o '<[a-zA-Z][a-zA-Z0-9]*' "$f" | sort -u | grep -v -x -E \
    '<(html|head|meta|title|style|body|main|article|section|footer|h1|h2|h3|p|table|thead|tbody|tr|th|td|ul|ol|li|pre|code|strong|em|a|span)')
[ -z "$bad" ] || { echo "$f: unexpected tags:" $bad; st=1; }
if grep -o '<[a-zA-Z][^>]*>' "$f" |
    grep -q -i -E ' (on[a-z]+|src|srcset|action|formaction|style)='; then
	echo "$f: an event handler or a resource attribute"
	st=1
fi
if grep -q -i -E '@import|url\(' "$f"; then
	echo "$f: the stylesheet loads something"
	st=1
fi
links=$(grep -o '<a [^>]*>' "$f" | grep -v -E \
    '^<a href="https://(portal\.azure\.com|attack\.mitre\.org)/[^"]*" rel="noopener noreferrer">$')
[ -z "$links" ] || { echo "$f: unexpected links: $links"; st=1; }
exit $st
