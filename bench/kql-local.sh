#!/bin/sh
# kql-local: the local workspace at scale.  A generated 1,000,000-row
# DeviceProcessEvents table: how long the import takes, and five typical
# hunting queries, each timed as KQL (translated) and as SQL written by
# hand for the same question, on the same read-only connection; the
# ratio is KQL time over SQL time (best of three runs each).  The two
# must return the same rows.  Also: what share of the 1,000-query corpus
# parses and translates.
set -eu
ROWS=${KQL_BENCH_ROWS:-1000000}
dir=$BENCH_TMP/kql-local
rm -rf "$dir"
mkdir -p "$dir"
csv=$dir/dpe.csv
ws=$dir/ws.db
run=$BUILD/tests/kql-run
now=2024-05-08T00:00:00Z

now_s() {
	date +%s.%N
}

calc() {
	awk "BEGIN { print $1 }"
}

# Hosts, users and a handful of processes, with a few needles in the
# haystack: encoded PowerShell, Office spawning a shell, a known-bad
# download.
echo "kql-local: generating $ROWS rows" >&2
awk -v rows="$ROWS" 'BEGIN {
	srand(42)
	split("explorer.exe svchost.exe chrome.exe msedge.exe teams.exe outlook.exe winword.exe excel.exe cmd.exe powershell.exe conhost.exe notepad.exe taskhostw.exe rundll32.exe", proc, " ")
	split("services.exe explorer.exe svchost.exe winword.exe excel.exe cmd.exe userinit.exe", parent, " ")
	print "TimeGenerated,DeviceName,DeviceId,ActionType,AccountDomain,AccountName,FileName,FolderPath,ProcessCommandLine,ProcessId,InitiatingProcessFileName,InitiatingProcessCommandLine,InitiatingProcessId,SHA256,ReportId"
	base = 1714521600	# 2024-05-01T00:00:00Z
	for (i = 0; i < rows; i++) {
		t = base + int(i * 604800 / rows)
		h = int(rand() * 500)
		u = int(rand() * 300)
		p = proc[1 + int(rand() * 14)]
		pp = parent[1 + int(rand() * 7)]
		cl = p " /flag" int(rand() * 50)
		r = rand()
		if (p == "powershell.exe" && r < 0.02)
			cl = "powershell.exe -NoProfile -EncodedCommand SQBFAFgA" int(rand() * 1000)
		else if (p == "powershell.exe" && r < 0.03)
			cl = "powershell.exe -Command \047Invoke-WebRequest -Uri https://sacyberrange00.blob.core.windows.net/vm-applications/7z2408-x64.exe\047"
		printf "%s,host-%04d,dev%08d,ProcessCreated,CONTOSO,user%03d,%s,C:\\Windows\\System32\\%s,\"%s\",%d,%s,%s.exe,%d,%064x,%d\n",
		    strftime("%Y-%m-%dT%H:%M:%SZ", t, 1), h, h, u, p, p, cl,
		    1000 + int(rand() * 60000), pp, pp, 100 + int(rand() * 9000),
		    int(rand() * 2147483647), i
	}
}' > "$csv"
size=$(du -m "$csv" | cut -f1)

echo "kql-local: importing" >&2
t0=$(now_s)
triage-kql import -w "$ws" --now "$now" DeviceProcessEvents "$csv"
t1=$(now_s)
import_s=$(calc "$t1 - $t0")
rate=$(calc "$ROWS / $import_s")
dbsize=$(du -m "$ws" | cut -f1)

# best of three wall-clock seconds for one run of "$@"
best() {
	b=
	for _ in 1 2 3; do
		s=$(now_s)
		"$@" > "$dir/last.json"
		e=$(now_s)
		d=$(calc "$e - $s")
		if [ -z "$b" ] || [ "$(calc "$d < $b")" = 1 ]; then
			b=$d
		fi
	done
	echo "$b"
}

rows_md=
n=0
compare() {
	n=$((n + 1))
	name=$1
	kql=$2
	sql=$3
	echo "kql-local: query $n: $name" >&2
	kt=$(best "$run" -r -n "$now" "$ws" "$kql")
	jq -cS 'sort' "$dir/last.json" > "$dir/kql.json"
	st=$(best "$run" -s "$ws" "$sql")
	jq -cS 'sort' "$dir/last.json" > "$dir/sql.json"
	if ! cmp -s "$dir/kql.json" "$dir/sql.json"; then
		echo "kql-local: query $n: KQL and SQL answers differ" >&2
		diff "$dir/kql.json" "$dir/sql.json" | head -c 2000 >&2
		exit 1
	fi
	nres=$(jq 'length' "$dir/kql.json")
	rows_md="$rows_md
| $n. $name | $nres | $(printf '%.3f' "$st") | $(printf '%.3f' "$kt") | $(printf '%.2f' "$(calc "$kt / $st")") |"
}

compare "encoded PowerShell in the last 7 days, by host" \
    'DeviceProcessEvents
     | where TimeGenerated > ago(7d)
     | where FileName in~ ("powershell.exe", "pwsh.exe")
     | where ProcessCommandLine has_any ("-enc", "-EncodedCommand")
     | summarize n = count() by DeviceName
     | sort by n desc, DeviceName asc
     | take 10' \
    "SELECT DeviceName, count(*) AS n FROM DeviceProcessEvents
     WHERE TimeGenerated > '2024-05-01T00:00:00.0000000Z'
       AND lower(FileName) IN ('powershell.exe', 'pwsh.exe')
       AND (ProcessCommandLine LIKE '% -enc %' OR ProcessCommandLine LIKE '% -EncodedCommand %')
     GROUP BY DeviceName ORDER BY n DESC, DeviceName LIMIT 10"

compare "Office spawning a shell, newest first" \
    'DeviceProcessEvents
     | where InitiatingProcessFileName in~ ("winword.exe", "excel.exe")
       and FileName in~ ("cmd.exe", "powershell.exe")
     | project TimeGenerated, DeviceName, AccountName, ProcessCommandLine
     | sort by TimeGenerated desc
     | take 100' \
    "SELECT TimeGenerated, DeviceName, AccountName, ProcessCommandLine
     FROM DeviceProcessEvents
     WHERE lower(InitiatingProcessFileName) IN ('winword.exe', 'excel.exe')
       AND lower(FileName) IN ('cmd.exe', 'powershell.exe')
     ORDER BY TimeGenerated DESC LIMIT 100"

compare "rare processes: seen on fewer than 3 hosts" \
    'DeviceProcessEvents
     | summarize hosts = dcount(DeviceName), n = count() by FileName, ProcessCommandLine
     | where hosts < 3
     | count' \
    "SELECT count(*) FROM (SELECT FileName, ProcessCommandLine,
       count(DISTINCT DeviceName) AS hosts FROM DeviceProcessEvents
       GROUP BY FileName, ProcessCommandLine HAVING hosts < 3)"

compare "one host's activity per hour" \
    'DeviceProcessEvents
     | where DeviceName == "host-0042"
     | summarize n = count() by bin(TimeGenerated, 1h)' \
    "SELECT substr(TimeGenerated, 1, 13) || ':00:00.0000000Z', count(*)
     FROM DeviceProcessEvents WHERE DeviceName = 'host-0042' GROUP BY 1"

compare "the download from the incident: latest per host" \
    'DeviceProcessEvents
     | where ProcessCommandLine contains "7z2408-x64.exe"
     | summarize arg_max(TimeGenerated, AccountName, ProcessCommandLine) by DeviceName
     | count' \
    "SELECT count(*) FROM (SELECT DeviceName, max(TimeGenerated), AccountName
       FROM DeviceProcessEvents WHERE ProcessCommandLine LIKE '%7z2408-x64.exe%'
       GROUP BY DeviceName)"

echo "kql-local: corpus" >&2
"$BUILD/tests/kql-corpus" -t "$TOP/data/tables" \
    "$TOP/tests/kql-local/corpus/kql-corpus.ndjson" > "$dir/corpus.txt" || true
parse=$(sed -n 's/^parse: //p' "$dir/corpus.txt")
xlate=$(sed -n 's/^translate: //p' "$dir/corpus.txt")
reasons=$(sed -n '/^top reasons/,$p' "$dir/corpus.txt" | sed '1d' | head -n 6 |
    sed 's/^ *\([0-9]*\)  \(.*\)$/| \1 | \2 |/')

cat <<EOS
## Local workspace: KQL over SQLite

Import of a generated DeviceProcessEvents table, $(printf '%d' "$ROWS") rows,
15 of the table's columns filled (CSV, ${size} MB; workspace ${dbsize} MB):
**$(printf '%.1f' "$import_s") s** ($(printf '%.0f' "$rate") rows/s).

Five hunting queries over it, each as KQL translated to SQL and as SQL
written by hand for the same question; both run on the same read-only
connection through build/tests/kql-run and return the same rows.  Seconds
are wall-clock, best of three, process start included.

| query | rows | hand SQL s | KQL s | KQL / SQL |
| --- | ---: | ---: | ---: | ---: |$rows_md

Corpus (tests/kql-local/corpus, 1,000 real detection and hunting queries
from Azure-Sentinel): parse **$parse**, translate **$xlate** (against the
bundled table schemas; a table the schemas lack, such as an ASIM parser,
is assumed to have the columns the query uses).  Most common reasons for
not translating:

| queries | reason |
| ---: | --- |
$reasons
EOS
rm -rf "$dir"
