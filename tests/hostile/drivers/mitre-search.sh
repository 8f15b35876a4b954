# triage-mitre search with the input as the search text.
drv_run() {
	triage-mitre search "$(cat "$1")"
}
