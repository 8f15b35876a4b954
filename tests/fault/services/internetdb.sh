# Shodan InternetDB (no key): triage-enrich looks up one public address.
# Like the keyed services, a failure is an error record for the indicator,
# exit 0, and nothing but a verdict is cached.
intel_provider=internetdb
intel_indicator=118.25.6.39

svc_route() {
	echo '{"method": "GET", "path": "/internetdb/118.25.6.39"}'
}
svc_good() {
	echo '{"body": {"ip": "118.25.6.39", "ports": [22, 80, 443],
	    "hostnames": [], "cpes": ["cpe:/a:openbsd:openssh"],
	    "tags": ["cloud"], "vulns": []}}'
}
# InternetDB's error shape (FastAPI).
svc_fault_response() {
	jq -n -c --argjson s "$1" '{status: $s, body: {detail: "fault injected"}}'
}
. "$TOP/tests/fault/services/intel.inc"

svc_run() {
	TRIAGE_INTERNETDB_URL=$FAULT_URL/internetdb TRIAGE_RATE_INTERNETDB=none \
	    triage-enrich --providers internetdb "$intel_indicator"
}
