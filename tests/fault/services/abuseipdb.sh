# AbuseIPDB's check endpoint, for a public address.
intel_provider=abuseipdb
intel_indicator=118.25.6.39

svc_route() {
	echo '{"path": "/api/v2/check", "check": "abuseipdb"}'
}
svc_good() {
	echo '{"body": {"data": {"ipAddress": "118.25.6.39", "isPublic": true,
	    "ipVersion": 4, "isWhitelisted": false, "abuseConfidenceScore": 100,
	    "countryCode": "CN", "usageType": "Data Center/Web Hosting/Transit",
	    "isp": "Tencent Cloud Computing", "domain": "tencent.com",
	    "hostnames": [], "isTor": false, "totalReports": 47,
	    "numDistinctUsers": 22,
	    "lastReportedAt": "2024-05-25T09:14:02+00:00"}}}'
}
svc_fault_response() {
	jq -n -c --argjson s "$1" '{status: $s, body: {errors: [{detail:
	    (if $s == 401 then "Authentication failed. Your API key is either missing, incorrect, or revoked."
	     elif $s == 429 then "Daily rate limit of 1000 requests exceeded for this endpoint."
	     else "fault injected" end), status: $s}]}}'
}
. "$TOP/tests/fault/services/intel.inc"
