#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# same_memhog: memhog mutates 64 MiB of private anonymous memory for 120
# rounds (about 11 s in the debug guest).  Checkpointed (--kill) at round
# 40 and restarted, it must print the same rounds (each once, in order, as
# pid 1) and the same checksum as an uninterrupted run.
. "$(dirname "$0")/ckpt_lib.sh"
require

MIB=${MEMHOG_MIB:-64}
ROUNDS=${MEMHOG_ROUNDS:-120}
AT=${MEMHOG_AT:-40}

same_result memhog "^round $AT pid" "^round " \
	"$TESTS_DIR/memhog" "$MIB" "$ROUNDS" 1
check_sequence "$LOG" round 0 "$ROUNDS"
same_lines "$LOG_REF" "$LOG" "^round \|^RESULT "
pass "RESULT $RES"
