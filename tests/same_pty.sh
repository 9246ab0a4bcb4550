#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# same_pty: an interactive busybox shell on a pty (workloads/pty.c).  The
# container's init drives "sh -i" through the master: the shell leads a
# session whose controlling terminal is the slave, has a background job
# appending a counter to a file, and runs "(sleep S)" in the foreground
# while a line and a half are typed ahead.  The checkpoint (--kill) is
# taken in that window: the slave holds the typed-ahead input in canonical
# mode (a whole line and the line being edited), the master holds the
# echoes and output not yet read, and the foreground group is the
# subshell's.  After the restart the driver finishes the half line and
# goes on; the RESULT (hash of everything read from the master, the job's
# lines, the foreground group in the window and at the end, the slave's
# name, owner and mode, the shell's exit status) must be the reference's.
# The image must hold input in both directions, so the test cannot pass
# with a checkpoint that missed the window.
. "$(dirname "$0")/ckpt_lib.sh"
require
[ -c /dev/ptmx ] && [ -d /dev/pts ] || skip "no /dev/ptmx or /dev/pts"

PREFIX=pty
# How long the driver leaves the input held: the time for the checkpoint.
WINDOW=${PTY_WINDOW_MS:-6000}
LOG_REF=$WORK/$PREFIX-ref.log
LOG=$WORK/$PREFIX-ckpt.log
IMG=$WORK/$PREFIX.img

msg "reference run"
reference "$PREFIX-ref-$$" "$LOG_REF" "$TESTS_DIR/pty" "$WORK/ref" "$WINDOW"
REF=$RES
case $REF in OK\ *) ;; *) die "reference RESULT '$REF'" ;; esac
msg "reference RESULT $REF"
check_pid1 "$LOG_REF" "^ready \|^ckpt-window \|^after "

ct_run "$PREFIX-run-$$" "$LOG" "$TESTS_DIR/pty" "$WORK/ckpt" "$WINDOW"
wait_for "$LOG" "^ckpt-window pid" 300 || die "no ckpt-window in $LOG"
checkpoint_kill "$PREFIX-run-$$" "$CT_PID" "$IMG"
grep -q '^after ' "$LOG" &&
	die "the checkpoint came after the window (the driver went on first)"

# What the pty held at the checkpoint.
ckptctl info "$IMG" >"$WORK/info.out" 2>&1 || die "ckptctl info: $(tail -3 "$WORK/info.out")"
grep -q "pty 1: /dev/pts/[0-9]* ([0-9]*:[0-9]* 0[0-7]*) through /dev/ptmx, 33x101" "$WORK/info.out" ||
	die "no pty of 33x101 in the image: $(grep -i pty "$WORK/info.out")"
grep -q "slave input: [1-9][0-9]* bytes, canonical, 1 line and a line being edited" "$WORK/info.out" ||
	die "the slave's typed-ahead line and a half are not in the image: $(grep 'input:' "$WORK/info.out")"
grep -q "master input: [1-9][0-9]* bytes" "$WORK/info.out" ||
	die "the echoes not yet read are not in the image: $(grep 'input:' "$WORK/info.out")"
grep -q "controlling terminal: pty 1 (session leader, foreground group [0-9]*)" "$WORK/info.out" ||
	die "no session leader with the pty as controlling terminal: $(grep 'controlling' "$WORK/info.out")"
msg "image: $(grep 'input:' "$WORK/info.out" | tr -s ' ' | tr '\n' ';')"

restart_wait "$IMG" "$PREFIX-rst-$$" 600
result_of "$LOG"
[ "$RES" = "$REF" ] || die "RESULT after restart '$RES', reference '$REF'"
check_pid1 "$LOG" "^ready \|^ckpt-window \|^after "
pass "RESULT $RES"
