#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# same_fpu: fpu iterates chaotic maps in SSE and x87 registers, with
# non-default rounding modes.  Checkpointed (--kill) at round 12 and
# restarted, it must print the same state after every round and the same
# final bits as an uninterrupted run: one bit of a register, or a rounding
# mode, lost in the restart would change them all.
. "$(dirname "$0")/ckpt_lib.sh"
require

ROUNDS=${FPU_ROUNDS:-40}
ITERS=${FPU_ITERS:-250000}
AT=${FPU_AT:-12}

same_result fpu "^round $AT pid" "^round " \
	"$TESTS_DIR/fpu" "$ROUNDS" "$ITERS"
check_sequence "$LOG" round 1 "$ROUNDS"
same_lines "$LOG_REF" "$LOG" "^round \|^RESULT "
pass
