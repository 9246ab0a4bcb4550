#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# same_tree: a tree of 50 processes, five levels deep, with process groups
# (setpgid), a live session leader (setsid) and a double-forked daemon
# whose session and group leader no longer exists (workloads/tree.c).
# Each process mutates its own memory (copy-on-write shared with all the
# others for half of it until after the checkpoint), checks its pid, ppid,
# pgid and sid every round, and has a SIGUSR2 with a value pending.
# Checkpointed (--kill) at round 20 of 60 and restarted, the container
# must come back with the same 50 processes, print the same rounds (each
# once, in order, as pid 1), the same per-process checksums and ids, and
# the same RESULT, which the init prints after reaping everyone with the
# right exit statuses.
. "$(dirname "$0")/ckpt_lib.sh"
require

ROUNDS=${TREE_ROUNDS:-60}
PACE_MS=${TREE_PACE_MS:-100}
AT=${TREE_AT:-20}

same_result_tasks tree "^round $AT pid" "^round \|^daemon " 50 50 \
	"$TESTS_DIR/tree" "$ROUNDS" "$PACE_MS"
case $REF in OK\ *) ;; *) die "reference RESULT '$REF'" ;; esac
check_sequence "$LOG" round 1 "$ROUNDS"
[ "$(grep -c '^node 0 ' "$LOG")" = 1 ] || die "the tree started over"
# The ids of every node as recorded before the checkpoint, and the
# checksums and ids reported at the end, equal the reference run's.
same_lines "$LOG_REF" "$LOG" "^node \|^daemon \|^sum \|^RESULT "
pass "RESULT $RES"
