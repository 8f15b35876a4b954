# triage-mitre given the input as one technique ID argument.
drv_run() {
	triage-mitre "$(cat "$1")"
}
