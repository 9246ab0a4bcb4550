#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# many_tasks: 1000 tasks, 820 processes (20 of them with 10 threads each)
# sleeping in sigwaitinfo() (workloads/many.c).  Checkpointed (--kill) and
# restarted: all 1000 must be back (counted in the cgroup, processes and
# threads), each must then find the ids it recorded before the checkpoint
# (pid, tid, ppid; the init signals each one by its recorded pid or tid),
# and the init must reap them all.  The image size and the checkpoint and
# restart times are printed as "# info" lines: they are not pass criteria.
. "$(dirname "$0")/ckpt_lib.sh"
require

TASKS=${MANY_TASKS:-1000}
NGROUPS=${MANY_GROUPS:-20}
THREADS=${MANY_THREADS:-10}
TICKS=${MANY_TICKS:-40}
TICK_MS=${MANY_TICK_MS:-200}
AT=${MANY_AT:-5}
PROCS=$((TASKS - NGROUPS * (THREADS - 1)))

# The result of an uninterrupted run is known: no reference run (it would
# take as long as the rest of the test).
# shellcheck disable=SC2034 # read by same_result_tasks
EXPECT_RESULT="OK tasks $TASKS"
same_result_tasks many "^tick $AT pid" "^tick \|^ready " "$PROCS" "$TASKS" \
	"$TESTS_DIR/many" "$TASKS" "$NGROUPS" "$THREADS" "$TICKS" "$TICK_MS"
grep '^info ' "$LOG" | sed 's/^/# info: many_tasks: /'
check_sequence "$LOG" tick 1 "$TICKS"
[ "$(grep -c '^ready ' "$LOG")" = 1 ] || die "the workload started over"
echo "# info: many_tasks: $TASKS tasks ($PROCS processes): image $IMG_BYTES bytes ($(calc "$IMG_BYTES / 1048576") MiB), checkpoint --kill $CKPT_SECS s, restart until all tasks back $RESTART_SECS s"
echo "# info: many_tasks: guest memory after the restart: $(grep -E '^(MemTotal|MemAvailable)' /proc/meminfo | tr -s ' ' | tr '\n' ' ')"
pass "RESULT $RES"
