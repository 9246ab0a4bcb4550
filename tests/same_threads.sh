#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# same_threads: 16 pthreads (17 tasks with main) mostly blocked in
# pthread_mutex_lock, pthread_cond_wait and pthread_barrier_wait, each
# with its own signal mask and a thread-directed pending real-time signal
# with a value (workloads/threads.c).  Checkpointed (--kill) at round 60
# of 200 and restarted, every thread must resume from its wait (no
# deadlock: the restart's timeout), keep its tid, pthread_self, TLS,
# mask and pending signal (checked every round by each thread), and the
# program must end with the reference's per-thread checksums, ring
# accumulator and RESULT.
. "$(dirname "$0")/ckpt_lib.sh"
require

ROUNDS=${THREADS_ROUNDS:-200}
PACE_MS=${THREADS_PACE_MS:-50}
AT=${THREADS_AT:-60}

same_result_tasks threads "^round $AT pid" "^round \|^tids " 1 17 \
	"$TESTS_DIR/threads" "$ROUNDS" "$PACE_MS"
case $REF in OK\ *) ;; *) die "reference RESULT '$REF'" ;; esac
check_sequence "$LOG" round 1 "$ROUNDS"
[ "$(grep -c '^tids ' "$LOG")" = 1 ] || die "the threads started over"
same_lines "$LOG_REF" "$LOG" "^tids \|^thread \|^ring \|^RESULT "
pass "RESULT $RES"
