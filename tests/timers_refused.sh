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
# glibc passes CLOCK_PROCESS_CPUTIME_ID as the clock of pid 0, -6.
refused_checkpoint cpu "timers-cpu-$$" \
	"task 1 (timers): POSIX timer 0: CPU-time clocks (clock -6) are not supported yet"
pass
