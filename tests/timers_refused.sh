#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# timers_refused: a POSIX timer on a CPU-time clock is not supported.
# The checkpoint must fail with EOPNOTSUPP and the reason, naming the
# task and the timer, must be in the log; the container must go on.
. "$(dirname "$0")/ckpt_lib.sh"
require

ct_run "timers-cpu-$$" "$WORK/run.log" "$TESTS_DIR/timers" cputimer
wait_for "$WORK/run.log" "^READY" 120 || die "no READY after 120 s"
out="$WORK/ckpt.out"
if ckptctl checkpoint -o "$WORK/cpu.img" "timers-cpu-$$" >"$out" 2>&1; then
	die "the checkpoint of a CPU-time POSIX timer succeeded"
fi
# glibc passes CLOCK_PROCESS_CPUTIME_ID as the clock of pid 0, -6.
grep -q "POSIX timer 0: CPU-time clocks (clock -6) are not supported yet" "$out" ||
	die "no reason in the checkpoint's output: $(cat "$out")"
grep -qi "not supported\|EOPNOTSUPP" "$out" || die "not EOPNOTSUPP: $(cat "$out")"
grep -q "task 1 (timers)" "$out" || die "the reason does not name the task: $(cat "$out")"
[ ! -s "$WORK/cpu.img" ] || die "a refused checkpoint left a non-empty image"
pid_alive "$CT_PID" || die "the container died"
pass
