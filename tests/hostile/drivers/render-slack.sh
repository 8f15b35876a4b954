# triage-render -f slack reading the input on stdin.

drv_run() {
	triage-render -f slack < "$1"
}
drv_after() {
	# Slack refuses a message of more than 50 blocks.
	[ ! -s out ] || [ "$(jq '.blocks | length' out)" -le 50 ] ||
	    bad "more than 50 blocks"
}
