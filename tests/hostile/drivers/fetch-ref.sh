# triage-fetch-incident given the input as the incident NUMBER | GUID.
drv_run() {
	triage-fetch-incident "$(cat "$1")"
}
