# kql-env.sh: sourced by the KQL cases: triage-fetch-incident runs the fake
# triage-kql, which answers with the demo incident unless the case says
# otherwise and logs every query to kql.log.
TRIAGE_KQL=$TOP/tests/fetch/lib/fake-kql
FAKE_KQL_INCIDENT=${FAKE_KQL_INCIDENT-$TOP/tests/fetch/data/demo-357335-incident.json}
FAKE_KQL_ALERTS=${FAKE_KQL_ALERTS-$TOP/tests/fetch/data/demo-357335-alerts.json}
FAKE_KQL_LOG=$PWD/kql.log
export TRIAGE_KQL FAKE_KQL_INCIDENT FAKE_KQL_ALERTS FAKE_KQL_LOG
