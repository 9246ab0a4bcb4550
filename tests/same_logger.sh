#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# same_logger: logger writes an O_APPEND log and a file of records placed
# by the file offset.  Checkpointed (--kill) mid-run and restarted, it must
# leave files identical to an uninterrupted run's: every line and record
# once, in order, at the right offset (the logger checks them itself too),
# and the same RESULT.
. "$(dirname "$0")/ckpt_lib.sh"
require

COUNT=${LOGGER_COUNT:-3000}
PAUSE_MS=${LOGGER_PAUSE_MS:-2}
AT=${LOGGER_AT:-1000}

mkdir -p "$WORK/ref" "$WORK/run" || die "mkdir"

msg "reference run"
reference "logger-ref-$$" "$WORK/ref.log" "$TESTS_DIR/logger" "$WORK/ref" "$COUNT" "$PAUSE_MS"
REF=$RES
msg "reference RESULT $REF"

ct_run "logger-run-$$" "$WORK/run.log" "$TESTS_DIR/logger" "$WORK/run" "$COUNT" "$PAUSE_MS"
wait_for "$WORK/run.log" "^progress $AT pid" 300 || die "no progress $AT after 300 s"
checkpoint_kill "logger-run-$$" "$CT_PID" "$WORK/logger.img"
grep -q '^RESULT' "$WORK/run.log" && die "the logger ended before the checkpoint"
lines=$(wc -l <"$WORK/run/append.log" | tr -d ' ')
msg "checkpointed after $lines lines"
[ "$lines" -gt 0 ] && [ "$lines" -lt "$COUNT" ] || die "checkpointed after $lines of $COUNT lines"

restart_wait "$WORK/logger.img" "logger-rst-$$" 900
result_of "$WORK/run.log"
[ "$RES" = "$REF" ] || die "RESULT after restart '$RES', reference '$REF'"
check_pid1 "$WORK/run.log" "^START \|^progress "
[ "$(grep -c '^START' "$WORK/run.log")" = 1 ] || die "the logger started over"
awk '$1 == "progress" { if ($2 != 500 * ++n) exit 1 } END { exit n != int('"$COUNT"' / 500) }' \
	"$WORK/run.log" || die "progress lines lost or repeated"

# The files, against an independent expectation and the reference run.
awk -v n="$COUNT" 'BEGIN { for (i = 0; i < n; i++) printf "line %06d\n", i }' \
	>"$WORK/expect.log"
cmp "$WORK/expect.log" "$WORK/run/append.log" >/dev/null ||
	die "append.log differs from the expected lines: $(cmp "$WORK/expect.log" "$WORK/run/append.log" 2>&1)"
cmp "$WORK/ref/records.dat" "$WORK/run/records.dat" >/dev/null ||
	die "records.dat differs from the reference run's: $(cmp "$WORK/ref/records.dat" "$WORK/run/records.dat" 2>&1)"
pass "RESULT $RES"
