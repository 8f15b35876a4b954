# VirusTotal v3, a file by its MD5.
intel_provider=virustotal
intel_indicator=b56ef0ef1a00e740e557f4e61299af57

svc_route() {
	echo '{"path": "/api/v3/files/*", "check": "virustotal"}'
}
svc_good() {
	echo '{"body": {"data": {"type": "file",
	    "id": "a6d2bed892733676e4193536ad41bf890d9c13b7e3dd492b7e6d4e6a97302822",
	    "attributes": {"md5": "b56ef0ef1a00e740e557f4e61299af57",
	    "meaningful_name": "invoice_0423.exe", "reputation": -43,
	    "last_analysis_date": 1716629512,
	    "last_analysis_stats": {"harmless": 0, "suspicious": 0,
	    "malicious": 58, "undetected": 13, "timeout": 0}}}}}'
}
svc_fault_response() {
	jq -n -c --argjson s "$1" '{status: $s, body: {error: {code:
	    (if $s == 401 then "WrongCredentialsError"
	     elif $s == 403 then "ForbiddenError"
	     elif $s == 429 then "QuotaExceededError"
	     else "TransientError" end), message: "fault injected"}}}'
}
. "$TOP/tests/fault/services/intel.inc"
