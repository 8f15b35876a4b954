# triage-post --teams --dry-run with the input as the file to post: a
# payload is written to stdout, never sent.
drv_json=0
drv_run() {
	triage-post --teams --dry-run "$1"
}
drv_after() {
	# A Teams payload stays within the service's 28,000 bytes.
	[ "$1" -ne 0 ] || [ "$(wc -c < out)" -le 28000 ] ||
	    bad "a payload of $(wc -c < out) bytes"
}
