# triage batch --json FILE with the playbook: the input as an exported
# queue to triage.  Nothing is written for a bad export.
drv_json=0
drv_run() {
	triage batch --json "$1" --provider none --output-dir out.d
}
drv_after() {
	[ "$1" -eq 0 ] || [ -z "$(ls -A out.d 2> /dev/null)" ] ||
	    bad "files in the output directory: $(ls -A out.d)"
}
