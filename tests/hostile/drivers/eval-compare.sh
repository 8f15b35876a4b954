# triage-eval --compare with the input as both reports.
drv_json=0
drv_run() {
	triage-eval --compare "$1" "$1"
}
