# triage-mitre tactic with the input as the tactic's name.
drv_run() {
	triage-mitre tactic "$(cat "$1")"
}
