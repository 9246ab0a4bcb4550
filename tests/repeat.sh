#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# repeat: memhog (16 MiB, paced) checkpointed with --kill and restarted ten
# times in a row, each time after it made some progress; at the end it
# must give the same RESULT as an uninterrupted run, with every round done
# once, in order, as pid 1.
. "$(dirname "$0")/ckpt_lib.sh"
require

MIB=${REPEAT_MIB:-16}
ROUNDS=${REPEAT_ROUNDS:-120}
PACE_MS=${REPEAT_PACE_MS:-100}
CYCLES=${REPEAT_CYCLES:-10}
LOG=$WORK/repeat.log
IMG=$WORK/repeat.img
CMD="$TESTS_DIR/memhog $MIB $ROUNDS 7 $PACE_MS"

msg "reference run: $CMD"
reference "repeat-ref-$$" "$WORK/ref.log" $CMD
REF=$RES
msg "reference RESULT $REF"

# The last round the log shows.
last_round() {
	awk '$1 == "round" { r = $2 } END { print r + 0 }' "$LOG"
}

name="repeat-0-$$"
ct_run "$name" "$LOG" $CMD
wait_for "$LOG" "^round 3 pid" 300 || die "no round 3 after 300 s"
i=1
while [ "$i" -le "$CYCLES" ]; do
	checkpoint_kill "$name" "$CT_PID" "$IMG"
	grep -q '^RESULT' "$LOG" &&
		die "memhog ended after $((i - 1)) cycles: raise REPEAT_ROUNDS"
	last=$(last_round)
	msg "cycle $i: checkpointed at round $last, image of $(wc -c <"$IMG" | tr -d ' ') bytes"
	name="repeat-$i-$$"
	if [ "$i" -lt "$CYCLES" ]; then
		restart_bg "$IMG" "$name"
		# Let it run a bit: one more round.
		wait_for "$LOG" "^round $((last + 1)) pid" 300 ||
			die "cycle $i: no round $((last + 1)) after the restart"
	fi
	i=$((i + 1))
done
# The last restart runs to the end.
restart_wait "$IMG" "$name" 900
rm -f "$IMG"

result_of "$LOG"
[ "$RES" = "$REF" ] || die "RESULT after $CYCLES restarts '$RES', reference '$REF'"
check_sequence "$LOG" round 0 "$ROUNDS"
check_pid1 "$LOG" "^round "
same_lines "$WORK/ref.log" "$LOG" "^round \|^RESULT "
pass "RESULT $RES after $CYCLES restarts"
