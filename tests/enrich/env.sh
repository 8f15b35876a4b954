# Sourced by the enrich cases: every provider points at the case's mock,
# retries are few and quick, and the rate limits are relaxed unless a
# case sets its own.
export TRIAGE_ABUSEIPDB_URL="$MOCK_URL/api/v2"
export TRIAGE_VIRUSTOTAL_URL="$MOCK_URL/api/v3"
export TRIAGE_INTERNETDB_URL="$MOCK_URL/internetdb"
export TRIAGE_HTTP_MAX_ATTEMPTS="${TRIAGE_HTTP_MAX_ATTEMPTS:-2}"
export TRIAGE_HTTP_TIMEOUT="${TRIAGE_HTTP_TIMEOUT:-10}"
export TRIAGE_RATE_VIRUSTOTAL="${TRIAGE_RATE_VIRUSTOTAL:-none}"
export TRIAGE_RATE_ABUSEIPDB="${TRIAGE_RATE_ABUSEIPDB:-none}"
export TRIAGE_RATE_INTERNETDB="${TRIAGE_RATE_INTERNETDB:-none}"

# The parts of a record a case compares (fetched_at changes every run).
brief() {
	jq -c '[.indicator.value, .provider, .verdict, .reason, .score]'
}
