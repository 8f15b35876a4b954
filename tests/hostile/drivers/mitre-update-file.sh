# triage-mitre update -f FILE: the input as an ATT&CK bundle.  The index
# installed before must survive a bad bundle, with nothing left beside it.
drv_run() {
	triage-mitre update --dataset-version 1.0 \
	    -f "$TOP/tests/mitre/fixtures/attack-small.json" 2> /dev/null ||
	    bad "cannot install the first index"
	idx=$(triage-mitre info | jq -r .index)
	old_sum=$(cksum < "$idx")
	triage-mitre update -f "$1"
}
drv_after() {
	if [ "$1" -ne 0 ]; then
		[ "$(cksum < "$idx")" = "$old_sum" ] ||
		    bad "the previous index changed"
	fi
	# The bundled copy's own index (bundled-*.idx) may sit beside it.
	left=$(ls -A "$(dirname "$idx")" | grep -v -e '^bundled-.*\.idx$')
	[ "$left" = "$(basename "$idx")" ] ||
	    bad "stray files beside the index: $(echo $left)"
}
