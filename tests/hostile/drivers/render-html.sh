# triage-render -f html reading the input on stdin.
drv_json=0
drv_run() {
	triage-render -f html < "$1"
}
drv_after() {
	# Nothing from the data becomes markup.
	if grep -qiE '<(script|img|iframe)|(href|src)="(javascript|data):' out; then
		bad "markup from the data in the page"
	fi
}
