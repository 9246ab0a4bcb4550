#!/bin/sh
# Benchmarks (placeholder: the benchmark owners fill this in).
# Runs every executable in /tests/bench/, if any.
status=0
found=
for b in /tests/bench/*; do
	[ -x "$b" ] || continue
	found=1
	echo "# bench: $b"
	"$b" || { echo "# bench: $b failed with exit $?"; status=1; }
done
[ -n "$found" ] || echo "# bench: no benchmarks in /tests/bench"
exit $status
