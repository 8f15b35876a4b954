# triage queue --json FILE: the input as an exported queue.
drv_json=0
drv_run() {
	triage queue --json "$1"
}
