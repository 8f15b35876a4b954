# triage-kql on a local workspace, the query as the argument.
. "$TOP/tests/hostile/drivers/kql-local.inc"
drv_run() {
	kql_workspace
	triage-kql --workspace ws.db "$(cat "$1")"
}
