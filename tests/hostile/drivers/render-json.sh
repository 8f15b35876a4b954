# triage-render -f json reading the input on stdin.

drv_run() {
	triage-render -f json < "$1"
}
