# The ATT&CK download: triage-mitre update fetches the STIX bundle from
# $TRIAGE_ATTACK_URL and swaps in a new index only when it is whole and
# valid.  Sourced by tests/fault/cell.

svc_route() {
	echo '{"method": "GET", "path": "/enterprise-attack.json"}'
}

svc_good() {
	jq -n --arg f "$TOP/tests/mitre/fixtures/attack-small.json" \
	    '{body_file: $f}'
}

# Past MAX_DOWNLOAD (512 MiB); curl gives up on the Content-Length alone.
svc_oversize=600000000

# An index that is already there, so a failure must keep it.
svc_setup() {
	triage-mitre update --dataset-version 1.0 \
	    -f "$TOP/tests/mitre/fixtures/attack-small-stix20.json" \
	    2> setup.err || bad "cannot install the first index"
	idx=$(triage-mitre info | jq -r .index)
	old_sum=$(cksum < "$idx")
}

svc_run() {
	TRIAGE_ATTACK_URL=$FAULT_URL/enterprise-attack.json triage-mitre update
}

svc_after() {
	version=$(triage-mitre info | jq -r .version)
	if [ "$1" -eq 0 ]; then
		[ "$version" = 99.1 ] || bad "new index not in use ($version)"
	else
		[ "$version" = 1.0 ] || bad "previous index lost ($version)"
		[ "$(cksum < "$idx")" = "$old_sum" ] ||
		    bad "previous index changed"
	fi
	left=$(ls -A "$(dirname "$idx")")
	[ "$left" = "$(basename "$idx")" ] ||
	    bad "stray files beside the index: $(echo $left)"
}
