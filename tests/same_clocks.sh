#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# same_clocks: a container's CLOCK_MONOTONIC and CLOCK_BOOTTIME go on
# across a checkpoint and restart from where they were, without the time
# the container was dead; CLOCK_REALTIME jumps over it.  The clocks
# workload (workloads/clocks.c) samples the three clocks every 20 ms and
# has a thread in clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME) until a
# deadline DEADLINE seconds after its start.  It is checkpointed (--kill),
# dead DOWN seconds, restarted; checkpointed again (the container now has
# a time namespace of its own, which a checkpoint must take), dead DOWN
# seconds, restarted again; then the sleeper wakes, and the workload
# reports.  Checks:
#
#  - each restart shows as one GAP of the realtime clock of at least DOWN
#    seconds, over which CLOCK_MONOTONIC and CLOCK_BOOTTIME moved at least
#    MARGIN seconds less than CLOCK_REALTIME (the container was dead at
#    least DOWN seconds: its clocks must not count them);
#  - the largest jumps over the whole run, likewise: realtime at least
#    DOWN, monotonic and boottime at least MARGIN below it;
#  - CLOCK_MONOTONIC and CLOCK_BOOTTIME never went backwards;
#  - the sleeper woke at its deadline as its own CLOCK_MONOTONIC reads it,
#    not before and at most 2 s after; the sleep took at least 2 * MARGIN
#    seconds more on CLOCK_REALTIME than on CLOCK_MONOTONIC (both dead
#    times are not slept off);
#  - the workload is still pid 1 and ends with RESULT OK.
#
# Without a time namespace restored with the container's clocks, the
# restarted container reads the host's clocks: each GAP is as long on the
# monotonic and boottime clocks as on the realtime one, and the sleeper's
# deadline comes DOWN seconds early for each restart.
. "$(dirname "$0")/ckpt_lib.sh"
require

DEADLINE=${CLOCKS_DEADLINE:-20}	# seconds of container time the sleeper sleeps
AFTER=${CLOCKS_AFTER:-2}	# seconds it runs on after the sleeper woke
DOWN=${CLOCKS_DOWN:-4}		# seconds dead, each time
MARGIN=${CLOCKS_MARGIN:-3}	# what the clocks must lag the realtime one by
LOG=$WORK/clocks.log

t0=$(now)
msg "clocks: deadline $DEADLINE s, two checkpoints, $DOWN s dead each"
ct_run "clocks-run-$$" "$LOG" "$TESTS_DIR/clocks" "$DEADLINE" "$AFTER"
wait_for "$LOG" "^READY" 120 || die "no READY after 120 s"
wait_for "$LOG" "^SLEEPING" 30 || die "no SLEEPING after 30 s"
sleep 2
checkpoint_kill "clocks-run-$$" "$CT_PID" "$WORK/clocks1.img"
grep -q '^WOKE\|^RESULT' "$LOG" &&
	die "test mis-sized: the sleeper woke before the first checkpoint"
msg "first checkpoint $(calc "$(now) - $t0") s after the start"
sleep "$DOWN"
restart_bg "$WORK/clocks1.img" "clocks-rst1-$$"
wait_for "$LOG" "^GAP 1 " 120 || die "no GAP line 120 s after the first restart"
sleep 2
checkpoint_kill "clocks-rst1-$$" "$CT_PID" "$WORK/clocks2.img"
grep -q '^WOKE\|^RESULT' "$LOG" &&
	die "test mis-sized: the sleeper woke before the second checkpoint"
msg "second checkpoint $(calc "$(now) - $t0") s after the start"
sleep "$DOWN"
restart_wait "$WORK/clocks2.img" "clocks-rst2-$$" 240
msg "$(grep '^GAP \|^WOKE \|^REPORT ' "$LOG" | tr '\n' ';')"

result_of "$LOG"
[ "$RES" = OK ] || die "RESULT $RES ($(grep '^FAIL' "$LOG" | head -5 | tr '\n' ';'))"
check_pid1 "$LOG" "^READY \|^SLEEPING \|^GAP \|^WOKE \|^REPORT "
[ "$(grep -c '^READY' "$LOG")" = 1 ] || die "the workload started over"

# One GAP per restart, each at least DOWN s on the realtime clock, with
# the monotonic and boottime clocks at least MARGIN s behind.
n=$(awk -v down="$DOWN" '$1 == "GAP" && $4 >= down { n++ } END { print n + 0 }' "$LOG")
[ "$n" = 2 ] || die "$n realtime jumps of $DOWN s or more, expected 2 (one per restart)"
awk -v m="$MARGIN" -v down="$DOWN" '
	$1 == "GAP" && $4 >= down && ($6 > $4 - m || $8 > $4 - m) { bad = 1; print }
	END { exit bad }' "$LOG" >"$WORK/gaps.out" ||
	die "monotonic or boottime jumped with the realtime clock, the dead time counted: $(tr '\n' ';' <"$WORK/gaps.out")"

# The same on the largest jumps of the whole run.
set -- $(sed -n 's/^REPORT samples \([0-9]*\) real_max_s \([0-9.]*\) mono_max_s \([0-9.]*\) boot_max_s \([0-9.]*\) mono_back \([0-9]*\) boot_back \([0-9]*\) .*/\1 \2 \3 \4 \5 \6/p' "$LOG")
[ $# = 6 ] || die "no REPORT line"
samples=$1 real_max=$2 mono_max=$3 boot_max=$4
[ "$5" = 0 ] && [ "$6" = 0 ] ||
	die "CLOCK_MONOTONIC went backwards $5 times, CLOCK_BOOTTIME $6 times"
holds "$real_max >= $DOWN" ||
	die "the largest realtime jump is $real_max s, below the $DOWN s the container was dead"
holds "$mono_max <= $real_max - $MARGIN" ||
	die "the largest monotonic jump is $mono_max s, the realtime one $real_max s: the dead time counted"
holds "$boot_max <= $real_max - $MARGIN" ||
	die "the largest boottime jump is $boot_max s, the realtime one $real_max s: the dead time counted"

# The sleeper: not early on its own clock (the workload checked), and
# both dead times passed on the realtime clock only.
set -- $(sed -n 's/^WOKE late_ns \(-*[0-9]*\) mono_s \([0-9.]*\) real_s \([0-9.]*\) .*/\1 \2 \3/p' "$LOG")
[ $# = 3 ] || die "no WOKE line"
holds "$1 >= 0" || die "the sleeper woke $1 ns after its deadline (before it)"
holds "$3 - $2 >= 2 * $MARGIN" ||
	die "the sleep took $2 s on CLOCK_MONOTONIC and $3 s on CLOCK_REALTIME: the dead time was slept off"
pass "$samples samples; largest jumps: realtime $real_max s, monotonic $mono_max s, boottime $boot_max s; sleeper late $1 ns, slept $2 s monotonic, $3 s realtime"
