# triage, the front door, given the input as its command name.
drv_json=0
drv_run() {
	triage "$(cat "$1")"
}
