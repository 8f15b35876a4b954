# triage-kql (live) given the input as the query argument.
. "$TOP/tests/hostile/drivers/kql.inc"
drv_run() {
	kql_live "$(cat "$1")"
}
