# triage-agent reading the input on stdin, with the playbook (no model)
# and the fake tools of tests/agent, so only the input varies.
drv_run() {
	TRIAGE_DATA_DIR=$TOP triage-agent -q -p none \
	    --tools "$TOP/tests/agent/fake/manifest.json" < "$1"
}
drv_after() {
	# A brief, when there is one, is whole and says who made it.
	if [ "$1" -eq 0 ]; then
		[ "$(jq -r 'select(.type == "brief") | .made_by.path' out)" = \
		    playbook ] || bad "no playbook brief"
	fi
}
