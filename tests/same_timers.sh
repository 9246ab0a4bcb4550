#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# same_timers: the timers workload arms alarm(), ITIMER_PROF,
# ITIMER_VIRTUAL and four POSIX timers (periodic SIGEV_SIGNAL with a
# value, one-shot CLOCK_REALTIME, SIGEV_NONE read by timer_gettime(), and
# a SIGEV_THREAD_ID one whose signal stays blocked and pending) and
# checks each against the others and against its CPU time (see
# workloads/timers.c).  Checkpointed (--kill) mid-run, dead for 2 s and
# restarted, it must end with the same RESULT, the same timer ids, the
# same id for its next timer and the same one-shot firings as an
# uninterrupted run.  A timer that stopped, started over, or counted the
# 2 s the container was dead, fails the workload's checks.
. "$(dirname "$0")/ckpt_lib.sh"
require
SECS=${TIMERS_SECONDS:-8}

reference "timers-ref-$$" "$WORK/ref.log" "$TESTS_DIR/timers" "$SECS"
[ "$RES" = OK ] || die "reference RESULT $RES ($(grep '^FAIL' "$WORK/ref.log" | head -5 | tr '\n' ';'))"

ct_run "timers-run-$$" "$WORK/run.log" "$TESTS_DIR/timers" "$SECS"
wait_for "$WORK/run.log" "^READY" 120 || die "no READY after 120 s"
sleep 1
# A timer signal that wakes the frozen task during checkpoint(2) makes it
# fail with EAGAIN (the task "ran"; see Documentation/ckpt/supported.rst,
# Timers details).  Freeze first: timer A's one wake-up, before its signal
# is dequeued and the timer rearmed, happens before the checkpoint.
ckptctl freeze "timers-run-$$" >"$WORK/freeze.out" 2>&1 ||
	die "ckptctl freeze failed: $(cat "$WORK/freeze.out")"
sleep 0.5
checkpoint_kill "timers-run-$$" "$CT_PID" "$WORK/timers.img"
grep -q '^RESULT' "$WORK/run.log" && die "timers ended before the checkpoint"
# ckptctl checks the POSIX_TIMER records the kernel wrote, and shows them.
ckptctl info "$WORK/timers.img" >"$WORK/info.out" 2>&1 ||
	die "ckptctl info failed: $(tail -3 "$WORK/info.out")"
[ "$(grep -c '^    id [0-9]*: clock ' "$WORK/info.out")" = 4 ] ||
	die "ckptctl info does not show 4 POSIX timers: $(grep -A1 POSIX_TIMER "$WORK/info.out")"
grep -q 'clock monotonic, notify thread_id (tid 1) SIG[0-9]*, sigval 0xd0d; in .* pending with si_overrun' "$WORK/info.out" ||
	die "ckptctl info does not show D pending: $(grep -A1 POSIX_TIMER "$WORK/info.out")"
sleep 2
restart_wait "$WORK/timers.img" "timers-rst-$$" 300

result_of "$WORK/run.log"
[ "$RES" = OK ] || die "RESULT after restart: $RES ($(grep '^FAIL' "$WORK/run.log" | head -5 | tr '\n' ';'))"
check_pid1 "$WORK/run.log" "^READY \|^pid "
# Once: a restart that started over would have set up and said READY again.
[ "$(grep -c '^READY' "$WORK/run.log")" = 1 ] || die "timers started over"
grep -q '^pid 1 restarts 1 ' "$WORK/run.log" ||
	die "the workload did not see its CPU clock start again: was it restarted?"
same_lines "$WORK/ref.log" "$WORK/run.log" "^ids \|^next id \|^fired \|^RESULT "
msg "$(grep '^A \|^C left\|^pid ' "$WORK/run.log" | tr '\n' ';')"
pass
