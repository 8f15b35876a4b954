# triage-kql on a local workspace, the query on stdin.
. "$TOP/tests/hostile/drivers/kql-local.inc"
drv_run() {
	kql_workspace
	triage-kql --workspace ws.db < "$1"
}
