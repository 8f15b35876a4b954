# triage-fetch-incident -j FILE: the input as an exported incident.
drv_run() {
	triage-fetch-incident -j "$1"
}
