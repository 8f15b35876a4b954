# golden.sh: golden tests for the local workspace, each checked twice.
#
# A queries file holds blank-line separated cases:
#
#	name: where-eq
#	kql: Proc | where Account == "alice" | project Pid
#	sql: SELECT Pid FROM Proc WHERE Account = 'alice'
#	order: yes			(optional: compare rows in order)
#
# golden_run prints each case's name and the engine's response (the
# golden answer, compared with the case's stdout file), and prints a
# MISMATCH line when the rows the KQL gives differ from the rows the
# hand-written SQL gives on the same data, so a golden answer is never
# just whatever the translator produced.

KQLRUN=$BUILD/tests/kql-run
GOLDEN_NOW=2024-05-04T00:00:00Z

# golden_ws: the workspace ws.db from tests/kql-local/data/golden.
golden_ws() {
	d=$TOP/tests/kql-local/data/golden
	for t in Proc Net Users; do
		triage-kql import -w ws.db --now "$GOLDEN_NOW" "$t" \
		    "$d/$t.ndjson" || exit 1
	done
}

golden_case() {
	[ -n "$name" ] || return 0
	printf '== %s\n' "$name"
	if ! "$KQLRUN" -n "$GOLDEN_NOW" ws.db "$kql" 2>&1; then
		printf 'FAILED: %s\n' "$name"
	fi
	if [ -n "$sql" ]; then
		got=$("$KQLRUN" -r -n "$GOLDEN_NOW" ws.db "$kql" 2>&1)
		want=$("$KQLRUN" -s ws.db "$sql" 2>&1)
		if [ "$order" != yes ]; then
			got=$(printf '%s\n' "$got" | jq -cS 'sort' 2>&1)
			want=$(printf '%s\n' "$want" | jq -cS 'sort' 2>&1)
		fi
		if [ "$got" != "$want" ]; then
			printf 'MISMATCH %s\n  kql: %s\n  sql: %s\n' "$name" \
			    "$got" "$want"
		fi
	fi
	name= kql= sql= order=
}

golden_run() {
	name= kql= sql= order=
	while IFS= read -r line || [ -n "$line" ]; do
		case $line in
		'#'*) ;;
		'') golden_case ;;
		'name: '*) name=${line#name: } ;;
		'kql: '*) kql=${line#kql: } ;;
		'sql: '*) sql=${line#sql: } ;;
		'order: '*) order=${line#order: } ;;
		*) printf 'BAD LINE: %s\n' "$line" ;;
		esac
	done < "$1"
	golden_case
}
