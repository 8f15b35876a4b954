# triage-render -f teams reading the input on stdin.

drv_run() {
	triage-render -f teams < "$1"
}
drv_after() {
	# Teams refuses a card past 28 KB (triage-render(1)).
	[ "$(wc -c < out)" -le 28000 ] || bad "a card of $(wc -c < out) bytes"
}
