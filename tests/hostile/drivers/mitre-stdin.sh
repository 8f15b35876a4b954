# triage-mitre reading the input on stdin (IDs, text, requests, records).
drv_run() {
	triage-mitre < "$1"
}
