#!/bin/sh
# check-safe.sh FILE: the output holds no terminal escape (ESC, C1 CSI), no
# invisible or direction-changing character as is, and is valid UTF-8.
set -u
f=$1
st=0
if LC_ALL=C grep -q "$(printf '\033')" "$f"; then
	echo "$f: an ESC byte got through"
	st=1
fi
# U+202A-202E, U+2066-2069, U+200B-200F, U+FEFF, U+2060, U+061C, C1 controls
for seq in '\342\200\252' '\342\200\253' '\342\200\254' '\342\200\255' \
    '\342\200\256' '\342\201\246' '\342\201\247' '\342\201\250' \
    '\342\201\251' '\342\200\213' '\342\200\214' '\342\200\215' \
    '\342\200\216' '\342\200\217' '\357\273\277' '\342\201\240' \
    '\330\234' '\302\233' '\302\205'; do
	if LC_ALL=C grep -q "$(printf "$seq")" "$f"; then
		echo "$f: a raw $(printf "$seq" | od -An -tx1) got through"
		st=1
	fi
done
if ! iconv -f UTF-8 -t UTF-8 "$f" > /dev/null 2>&1; then
	echo "$f: not valid UTF-8"
	st=1
fi
exit $st
