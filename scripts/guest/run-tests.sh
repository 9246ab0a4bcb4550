#!/bin/sh
# run-tests.sh [TESTS_FILE]   (default /tests/TESTS)
# Each non-comment line of TESTS_FILE is: NAME TIMEOUT_SECONDS COMMAND [ARGS...]
# COMMAND is relative to the TESTS file's directory, or absolute, or on PATH.
# Prints TAP: "ok N NAME", "not ok N NAME # exit S", "ok N NAME # SKIP" (exit 4).
# Exits 1 if any test failed.
TESTS=${1:-/tests/TESTS}
DIR=$(cd "$(dirname "$TESTS")" && pwd)
set -f	# no globbing of the TESTS words

if [ ! -r "$TESTS" ]; then
	echo "run-tests: $TESTS not found"
	echo "TAP version 13"
	echo "1..0 # SKIP no tests"
	exit 0
fi

# kmemleak: forget what leaked during boot; report only what the tests leak.
KML=/sys/kernel/debug/kmemleak
[ -w $KML ] && echo clear > $KML

total=$(grep -cv -e '^[[:space:]]*#' -e '^[[:space:]]*$' "$TESTS")
echo "TAP version 13"
echo "1..$total"
n=0 failed=0
while read -r name tmo cmd args; do
	case $name in ''|'#'*) continue;; esac
	n=$((n + 1))
	case $cmd in
	/*) ;;
	*) [ -e "$DIR/$cmd" ] && cmd=$DIR/$cmd ;;
	esac
	echo "# [$n/$total] $name: $cmd $args"
	tmp=$(mktemp -d /tmp/test.XXXXXX)
	start=$(cut -d' ' -f1 /proc/uptime)
	# setsid: the test leads its own process group, killed as a whole after.
	# shellcheck disable=SC2086
	(cd "$DIR" && TMPDIR=$tmp exec timeout -s KILL "$tmo" setsid "$cmd" $args) </dev/null &
	pid=$!
	wait $pid
	st=$?
	kill -KILL -"$pid" 2>/dev/null
	rm -rf "$tmp"
	end=$(cut -d' ' -f1 /proc/uptime)
	echo "# $name: exit $st after $(awk "BEGIN { print $end - $start }")s"
	if [ $st = 0 ]; then
		echo "ok $n $name"
	elif [ $st = 4 ]; then
		echo "ok $n $name # SKIP"
	else
		[ $st = 137 ] && why=" (killed: timeout ${tmo}s?)" || why=
		echo "not ok $n $name # exit $st$why"
		failed=$((failed + 1))
	fi
done < "$TESTS"

if [ -w $KML ]; then
	echo "# kmemleak scan"
	echo scan > $KML; sleep 1; echo scan > $KML
	cat $KML
fi
echo "# run-tests: $n tests, $failed failed"
[ $failed = 0 ]
