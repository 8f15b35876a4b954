# triage-enrich given the input as one indicator argument.
drv_run() {
	TRIAGE_HTTP_MAX_ATTEMPTS=1 triage-enrich --no-cache "$(cat "$1")"
}
