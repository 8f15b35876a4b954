# triage-enrich reading the input on stdin (indicators, requests,
# records); every service is a dead port, so a lookup is an error record.
drv_run() {
	TRIAGE_HTTP_MAX_ATTEMPTS=1 triage-enrich --no-cache < "$1"
}
