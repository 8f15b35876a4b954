# triage-kql import into the existing table SecurityEvent: a bad file
# adds no row.
. "$TOP/tests/hostile/drivers/kql-local.inc"
drv_json=0
drv_run() {
	kql_workspace
	triage-kql import -w ws.db SecurityEvent "$1"
}
drv_after() {
	if [ "$1" -ne 0 ]; then
		kql_intact
	fi
}
