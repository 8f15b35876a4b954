# lib.sh: what the documentation cases share.  Source it from a case's cmd:
#   . "$TOP/tests/docs/lib.sh"

# help_opts PROGRAM: the options its --help lists, one a line, sorted:
# every -x and --long at the start of an indented line, before the text
# that describes it (two spaces or more).
help_opts() {
	"$1" --help 2>/dev/null |
	    grep -E '^[[:space:]]+--?[A-Za-z]' |
	    sed -E 's/^[[:space:]]+//; s/   *.*//' |
	    grep -oE '(^|[ ,])--?[A-Za-z][A-Za-z0-9-]*' |
	    tr -d ' ,' | sort -u
}

# man_opts PAGE: the options its item lists document (.It Fl x, .It Fl
# -long, with \- or without), one a line, sorted.
man_opts() {
	grep -E '^\.It Fl ' "$1" |
	    grep -oE 'Fl \\?-?[A-Za-z][A-Za-z0-9-]*' |
	    sed -E 's/^Fl \\?-/--/; s/^Fl /-/' | sort -u
}
