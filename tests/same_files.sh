#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# same_files: open files saved once and shared (fork, dup, CLONE_FILES),
# close-on-exec flags and fd numbers, pipes with data in them (a 256 KiB
# one, a packet pipe, one whose write end is closed) and a token passed
# through two pipes between two processes each tick, a directory read part
# way, a deleted file and a memfd (workloads/files.c).  Checkpointed
# (--kill) at tick 10 of 40 and restarted: the file both processes append
# to through one open file must have every line once and in order, every
# pipe its bytes and boundaries, the directory the rest of its entries,
# and a descriptor opened by the CLONE_FILES process after the restart
# must show in its parent's table; the RESULT must be the reference's.
. "$(dirname "$0")/ckpt_lib.sh"
require

TICKS=${FILES_TICKS:-40}
TICK_MS=${FILES_TICK_MS:-100}
AT=${FILES_AT:-10}

same_result_tasks files "^tick $AT pid" "^tick \|^ready " 3 3 \
	"$TESTS_DIR/files" "$WORK/dir" "$TICKS" "$TICK_MS"
case $REF in OK\ *) ;; *) die "reference RESULT '$REF'" ;; esac
check_sequence "$LOG" tick 1 "$TICKS"
[ "$(grep -c '^ready ' "$LOG")" = 1 ] || die "the workload started over"
pass "RESULT $RES"
