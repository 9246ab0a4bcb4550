#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# same_sigtest: sigtest sets handlers, an altstack, a blocked mask and
# queues blocked signals with values (on the process and on the thread),
# then waits for a go file.  Checkpointed (--kill) while it waits and
# restarted, it must find all of it as it was and get each pending signal
# delivered once, with its value, in Linux's order (sigtest checks; see
# workloads/sigtest.c), exactly like an uninterrupted run.
. "$(dirname "$0")/ckpt_lib.sh"
require

# Reference: the go file is there from the start.
: >"$WORK/go-ref" || die "cannot create the go file"
reference "sigtest-ref-$$" "$WORK/ref.log" "$TESTS_DIR/sigtest" "$WORK/go-ref"
[ "$RES" = OK ] || die "reference RESULT $RES"

ct_run "sigtest-run-$$" "$WORK/run.log" "$TESTS_DIR/sigtest" "$WORK/go-run"
wait_for "$WORK/run.log" "^READY" 120 || die "no READY after 120 s"
sleep 1
checkpoint_kill "sigtest-run-$$" "$CT_PID" "$WORK/sigtest.img"
grep -q '^GO' "$WORK/run.log" && die "sigtest went on before the checkpoint"
: >"$WORK/go-run" || die "cannot create the go file"
restart_wait "$WORK/sigtest.img" "sigtest-rst-$$" 300

result_of "$WORK/run.log"
[ "$RES" = OK ] || die "RESULT after restart: $RES ($(grep '^FAIL' "$WORK/run.log" | head -5 | tr '\n' ';'))"
check_pid1 "$WORK/run.log" "^READY \|^GO "
# Once: a restart that started over would have set up and said READY again.
[ "$(grep -c '^READY' "$WORK/run.log")" = 1 ] || die "sigtest started over"
same_lines "$WORK/ref.log" "$WORK/run.log" "^delivered \|^RESULT "
pass
