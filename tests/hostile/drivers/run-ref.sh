# triage run given the input as the incident number (the playbook, an
# output directory of the case's own).
drv_json=0
drv_run() {
	triage run "$(cat "$1")" --provider none --output-dir out.d
}
drv_after() {
	# Nothing written for a refused reference.
	[ "$1" -eq 0 ] || [ -z "$(ls -A out.d 2> /dev/null)" ] ||
	    bad "files in the output directory: $(ls -A out.d)"
}
