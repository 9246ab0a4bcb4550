#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# same_shmem: two processes with MAP_SHARED|MAP_ANONYMOUS memory, a memfd
# mapped MAP_SHARED (twice in one of them), and private memory shared
# copy-on-write since the fork (workloads/shmem.c).  Checkpointed (--kill)
# at round 40 of 120 and restarted: each round after the restart, a write
# by one process to the shared mappings must be seen by the other (else
# "did not answer" or FAIL), and a write to a private page that was
# shared copy-on-write at the checkpoint must NOT be seen; the final
# contents (checksums of all four areas) equal the reference run's.
. "$(dirname "$0")/ckpt_lib.sh"
require

ROUNDS=${SHMEM_ROUNDS:-120}
PACE_MS=${SHMEM_PACE_MS:-80}
AT=${SHMEM_AT:-40}

same_result_tasks shmem "^round $AT pid" "^round \|^child " 2 2 \
	"$TESTS_DIR/shmem" "$ROUNDS" "$PACE_MS"
case $REF in OK\ *) ;; *) die "reference RESULT '$REF'" ;; esac
check_sequence "$LOG" round 1 "$ROUNDS"
[ "$(grep -c '^child ' "$LOG")" = 1 ] || die "the workload started over"
same_lines "$LOG_REF" "$LOG" "^child \|^sums \|^RESULT "
pass "RESULT $RES"
