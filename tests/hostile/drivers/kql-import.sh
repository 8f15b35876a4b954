# triage-kql import: the input as a file of logs for a new table, in a
# workspace that already holds one.  A bad file imports nothing: no new
# table, the old one untouched.
. "$TOP/tests/hostile/drivers/kql-local.inc"
drv_json=0
drv_run() {
	kql_workspace
	triage-kql import -w ws.db Hostile "$1"
}
drv_after() {
	kql_intact
	if [ "$1" -ne 0 ] && triage-kql --workspace ws.db 'Hostile | count' \
	    > /dev/null 2>&1; then
		bad "a table was made from a bad file"
	fi
}
