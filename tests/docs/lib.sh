# lib.sh: what the documentation cases share.  Source it from a case's cmd:
#   . "$TOP/tests/docs/lib.sh"

# opts_of: the options a help text on stdin lists, one a line: every -x
# and --long at the start of an indented line, before the text that
# describes it (two spaces or more).
opts_of() {
	grep -E '^[[:space:]]+--?[A-Za-z]' |
	    sed -E 's/^[[:space:]]+//; s/   *.*//' |
	    grep -oE '(^|[ ,])--?[A-Za-z][A-Za-z0-9-]*' |
	    tr -d ' ,'
}

# help_opts PROGRAM: the options its --help lists, and those of each
# subcommand its usage lines name ("triage-kql import ..."), sorted.
help_opts() {
	"$1" --help 2>/dev/null > help.txt
	{
		opts_of < help.txt
		sed -n '/^usage:/,/^$/p' help.txt |
		    sed -E 's/^usage://; s/\[[^]]*\]//g' |
		    awk -v p="${1##*/}" '$1 == p {
			for (i = 2; i <= NF; i++)
				if ($i ~ /^[a-z][a-z-]+$/) print $i }' |
		    sort -u | while IFS= read -r sub; do
			"$1" "$sub" --help 2>/dev/null | opts_of
		    done
	} | sort -u
}

# man_opts PAGE: the options its item lists document (.It Fl x, .It Fl
# -long, with \- or without), one a line, sorted.
man_opts() {
	grep -E '^\.It Fl ' "$1" |
	    grep -oE 'Fl \\?-?[A-Za-z][A-Za-z0-9-]*' |
	    sed -E 's/^Fl \\?-/--/; s/^Fl /-/' | sort -u
}

# demo_workspace: build the demo workspace with its recorded times into
# $TMPDIR_CASE/demo.db, and point TRIAGE_WORKSPACE and TRIAGE_NOW at it.
demo_workspace() {
	TRIAGE_NOW=$(jq -r .anchor "$TOP/examples/workspace/workspace.json") &&
	    "$TOP/scripts/build-workspace" --now "$TRIAGE_NOW" \
	    "$TMPDIR_CASE/demo.db" > /dev/null || return 1
	TRIAGE_WORKSPACE=$TMPDIR_CASE/demo.db
	TRIAGE_DATA_DIR=${TRIAGE_DATA_DIR:-$TOP}
	export TRIAGE_NOW TRIAGE_WORKSPACE TRIAGE_DATA_DIR
}

# recipes README DIR: each "<!-- recipe: NAME -->" block of README (the
# fenced sh code after the marker) into DIR/NN-NAME.
recipes() {
	mkdir -p "$2"
	awk -v dir="$2" '
	    /^<!-- recipe: [a-z0-9-]+ -->$/ {
		name = $3; n++; file = sprintf("%s/%02d-%s", dir, n, name)
		want = 1; next
	    }
	    want && /^```sh$/ { inside = 1; want = 0; next }
	    inside && /^```$/ { inside = 0; close(file); next }
	    inside { print > file }
	' "$1"
}
