# mock.sh: run triage-mock from a test case.  Source it:
#
#	. "$TOP/tests/lib/mock.sh"
#	mock_start "$CASE/scenario.json"	# exports MOCK_URL, MOCK_LOG, MOCK_PID
#	curl -s "$MOCK_URL/v1/messages" ...
#	mock_requests '.headers["x-api-key"]'
#	mock_violations || exit 1
#	mock_stop
#
# A second mock takes a NAME and gets suffixed variables (MOCK_URL_NAME).
# The binary is $TRIAGE_MOCK, else build/triage-mock under $TOP (or the
# repository root).  Files go to $TMPDIR_CASE, else a new mktemp -d.

mock__top() {
	if [ -n "${TOP:-}" ]; then
		printf '%s\n' "$TOP"
	else
		git rev-parse --show-toplevel 2>/dev/null || pwd
	fi
}

mock__bin() {
	if [ -n "${TRIAGE_MOCK:-}" ]; then
		printf '%s\n' "$TRIAGE_MOCK"
	else
		printf '%s/build/triage-mock\n' "$(mock__top)"
	fi
}

# mock__get VAR [NAME]: the value of VAR or VAR_NAME.
mock__get() {
	eval "printf '%s\n' \"\${$1${2:+_$2}:-}\""
}

# mock_start SCENARIO [NAME]: start a mock, wait (at most 5 s) for its
# port and export MOCK_URL, MOCK_PORT, MOCK_LOG, MOCK_PID (_NAME).
mock_start() {
	mock_scenario=$1
	mock_name=${2:-}
	mock_bin=$(mock__bin)
	if [ ! -x "$mock_bin" ]; then
		printf 'mock_start: %s: not built (make mock)\n' "$mock_bin" >&2
		return 1
	fi
	mock_dir=${TMPDIR_CASE:-}
	if [ -z "$mock_dir" ]; then
		mock_dir=$(mktemp -d) || return 1
	fi
	mock_base="$mock_dir/mock${mock_name:+-$mock_name}"
	rm -f "$mock_base.port"
	: > "$mock_base.log"
	"$mock_bin" --scenario "$mock_scenario" --log "$mock_base.log" \
	    --port-file "$mock_base.port" > "$mock_base.stdout" \
	    2> "$mock_base.stderr" &
	mock_pid=$!
	mock_tries=0
	while [ ! -s "$mock_base.port" ]; do
		if ! kill -0 "$mock_pid" 2>/dev/null; then
			cat "$mock_base.stderr" >&2
			wait "$mock_pid"
			return $?
		fi
		mock_tries=$((mock_tries + 1))
		if [ "$mock_tries" -gt 100 ]; then
			kill "$mock_pid" 2>/dev/null
			wait "$mock_pid" 2>/dev/null
			printf 'mock_start: no port after 5 s\n' >&2
			return 1
		fi
		sleep 0.05
	done
	mock_port=$(cat "$mock_base.port")
	mock_suffix=${mock_name:+_$mock_name}
	eval "MOCK_URL$mock_suffix=http://127.0.0.1:$mock_port"
	eval "MOCK_PORT$mock_suffix=$mock_port"
	eval "MOCK_LOG$mock_suffix=\$mock_base.log"
	eval "MOCK_PID$mock_suffix=$mock_pid"
	export "MOCK_URL$mock_suffix" "MOCK_PORT$mock_suffix" \
	    "MOCK_LOG$mock_suffix" "MOCK_PID$mock_suffix"
}

# mock_stop [NAME]: SIGTERM the mock and wait for it; returns its exit
# status (0 when it shut down cleanly).
mock_stop() {
	mock_pid=$(mock__get MOCK_PID "${1:-}")
	[ -n "$mock_pid" ] || return 0
	kill "$mock_pid" 2>/dev/null
	mock_tries=0
	while kill -0 "$mock_pid" 2>/dev/null; do
		mock_tries=$((mock_tries + 1))
		if [ "$mock_tries" -gt 100 ]; then
			printf 'mock_stop: %s did not stop; killing\n' \
			    "$mock_pid" >&2
			kill -9 "$mock_pid" 2>/dev/null
			break
		fi
		sleep 0.05
	done
	wait "$mock_pid" 2>/dev/null
	mock_status=$?
	eval "unset MOCK_PID${1:+_$1}"
	return "$mock_status"
}

# mock_requests [FILTER [NAME]]: the request log through jq -c FILTER.
mock_requests() {
	mock_log=$(mock__get MOCK_LOG "${2:-}")
	jq -c "${1:-.}" "$mock_log"
}

# mock_violations [NAME]: print each request with violations; non-zero
# when there are any.
mock_violations() {
	mock_log=$(mock__get MOCK_LOG "${1:-}")
	mock_out=$(jq -c 'select((.violations | length) > 0) |
	    {seq, method, path, violations}' "$mock_log") || return 2
	[ -z "$mock_out" ] && return 0
	printf '%s\n' "$mock_out"
	return 1
}
