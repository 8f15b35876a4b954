# triage-kql (live) given the input as the --timespan argument.
. "$TOP/tests/hostile/drivers/kql.inc"
drv_run() {
	kql_live -t "$(cat "$1")" 'T'
}
