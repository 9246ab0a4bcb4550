#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# same_sysvipc: sysvipc creates a shm segment (attached, with holes), a
# segment removed while attached, a message queue with messages of
# several types and sizes and a semaphore set with SEM_UNDO adjustments
# outstanding, in its container's IPC namespace, then waits for a go file.
# Checkpointed (--kill) while it waits and restarted, it must find every
# id, key, owner, time, content, message and value as it was, and the
# adjustments applied when it drops its undo list (see
# workloads/sysvipc.c), exactly like an uninterrupted run.  Then: a
# SHM_LOCKed segment is refused at checkpoint, with the reason.
. "$(dirname "$0")/ckpt_lib.sh"
require

: >"$WORK/go-ref" || die "cannot create the go file"
reference "ipc-ref-$$" "$WORK/ref.log" "$TESTS_DIR/sysvipc" "$WORK/go-ref"
case $RES in OK*) ;; *) die "reference RESULT $RES" ;; esac

ct_run "ipc-run-$$" "$WORK/run.log" "$TESTS_DIR/sysvipc" "$WORK/go-run"
wait_for "$WORK/run.log" "^READY" 120 || die "no READY after 120 s"
checkpoint_kill "ipc-run-$$" "$CT_PID" "$WORK/ipc.img"
grep -q '^GO' "$WORK/run.log" && die "sysvipc went on before the checkpoint"
msg "image of $(wc -c <"$WORK/ipc.img" | tr -d ' ') bytes"
: >"$WORK/go-run" || die "cannot create the go file"
restart_wait "$WORK/ipc.img" "ipc-rst-$$" 300

result_of "$WORK/run.log"
[ "$RES" = "$(sed -n 's/^RESULT //p' "$WORK/ref.log")" ] ||
	die "RESULT after restart: $RES ($(grep '^FAIL' "$WORK/run.log" | head -5 | tr '\n' ';'))"
check_pid1 "$WORK/run.log" "^READY \|^GO "
[ "$(grep -c '^READY' "$WORK/run.log")" = 1 ] || die "sysvipc started over"
same_lines "$WORK/ref.log" "$WORK/run.log" "^ids \|^RESULT "

# Refused: a SHM_LOCKed segment.  The container stays as it was.
ct_run "ipc-lock-$$" "$WORK/lock.log" "$TESTS_DIR/sysvipc" --lock "$WORK/go-lock"
wait_for "$WORK/lock.log" "^READY" 120 || die "no READY after 120 s (--lock)"
if ckptctl checkpoint -o "$WORK/lock.img" "ipc-lock-$$" >"$WORK/lock.out" 2>&1; then
	die "checkpoint of a SHM_LOCKed segment succeeded"
fi
grep -q "shm segment id .*SHM_LOCK is not supported" "$WORK/lock.out" ||
	die "no SHM_LOCK reason: $(cat "$WORK/lock.out")"
pid_alive "$CT_PID" || die "the refused container died"
pass
