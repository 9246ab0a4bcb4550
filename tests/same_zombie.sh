#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# same_zombie: zombies that nobody reaped before the checkpoint (exit
# codes 3, 77, 0, 5 and 6, killed by SIGUSR2 and by SIGKILL), one of them
# the zombie of a child subreaper; an orphan adopted by the init and one
# adopted by the subreaper (with a parent-death signal); a child whose exit
# signal is SIGUSR1 (workloads/zombie.c).  Checkpointed (--kill) at tick 30
# of 100 and restarted, the 5 live processes (and no zombie among them)
# must come back; every zombie must still be one, with its status
# (waitid(WNOWAIT) each tick), reaped by waitpid(pid) with the same pid
# and status as in the reference; the orphans keep their reaper as parent;
# the exit signal and the parent-death signal arrive.
. "$(dirname "$0")/ckpt_lib.sh"
require

TICKS=${ZOMBIE_TICKS:-100}
TICK_MS=${ZOMBIE_TICK_MS:-100}
AT=${ZOMBIE_AT:-30}

# Live: the init, O1, S, O2 and E; zombies are not in cgroup.procs.
same_result_tasks zombie "^tick $AT pid" "^tick \|^ready " 5 5 \
	"$TESTS_DIR/zombie" "$TICKS" "$TICK_MS"
case $REF in OK\ *) ;; *) die "reference RESULT '$REF'" ;; esac
check_sequence "$LOG" tick 1 "$TICKS"
[ "$(grep -c '^ready ' "$LOG")" = 1 ] || die "the workload started over"
same_lines "$LOG_REF" "$LOG" "^[A-Z][A-Z0-9]* pid \|^reaped \|^RESULT "
pass "RESULT $RES"
