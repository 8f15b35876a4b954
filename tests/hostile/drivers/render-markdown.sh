# triage-render -f markdown reading the input on stdin.
drv_json=0
drv_run() {
	triage-render -f markdown < "$1"
}
