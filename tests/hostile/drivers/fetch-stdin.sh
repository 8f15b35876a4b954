# triage-fetch-incident --stdin: the input as an export on stdin.
drv_run() {
	triage-fetch-incident --stdin < "$1"
}
