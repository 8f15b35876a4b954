# Sourced by the secrets cases: argscan_start watches the argv of every
# process below this shell for the run's canary (and any needles given as
# arguments); argscan_stop ends it and leaves its report in argscan.out.
argscan_start() {
	argscan_stopfile=$TMPDIR/argscan.stop
	rm -f "$argscan_stopfile"
	printf '%s\n' "$CANARY" "$@" |
	    argscan $$ "$argscan_stopfile" > argscan.out &
	argscan_pid=$!
}

# argscan_stop: the scanner's status (0: no needle seen).
argscan_stop() {
	: > "$argscan_stopfile"
	wait "$argscan_pid"
}
