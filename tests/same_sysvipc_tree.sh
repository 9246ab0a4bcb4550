#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# same_sysvipc_tree: sysvipc --tree runs two processes, init and its
# forked child, that both attach the same shm segment and a segment
# removed while attached (nattch 2 each), and that each have SEM_UNDO
# adjustments of their own on one set.  Checkpointed (--kill) and
# restarted, the attach counts, times and pids must be as they were, the
# removed segment must live until its last detach, a write of the child
# must show in the parent, and each process's adjustments must apply when
# it exits or drops its undo list (see workloads/sysvipc.c), exactly like
# an uninterrupted run.  ckptctl info must show the IPC records.
. "$(dirname "$0")/ckpt_lib.sh"
require

: >"$WORK/go-ref" || die "cannot create the go file"
reference "ipct-ref-$$" "$WORK/ref.log" "$TESTS_DIR/sysvipc" --tree "$WORK/go-ref"
case $RES in OK*) ;; *) die "reference RESULT $RES" ;; esac

ct_run "ipct-run-$$" "$WORK/run.log" "$TESTS_DIR/sysvipc" --tree "$WORK/go-run"
wait_for "$WORK/run.log" "^READY" 120 || die "no READY after 120 s"
checkpoint_kill "ipct-run-$$" "$CT_PID" "$WORK/tree.img"
grep -q '^GO' "$WORK/run.log" && die "sysvipc went on before the checkpoint"
msg "image of $(wc -c <"$WORK/tree.img" | tr -d ' ') bytes"
ckptctl info "$WORK/tree.img" >"$WORK/info.out" 2>&1 ||
	die "ckptctl info failed: $(tail -3 "$WORK/info.out")"
for rec in SHM SEM SEM_UNDO; do
	grep -q "^ *$rec " "$WORK/info.out" ||
		die "ckptctl info shows no $rec record: $(head -40 "$WORK/info.out")"
done
[ "$(grep -c '^ *SEM_UNDO ' "$WORK/info.out")" = 2 ] ||
	die "expected 2 SEM_UNDO records (one per process): $(grep SEM_UNDO "$WORK/info.out")"
: >"$WORK/go-run" || die "cannot create the go file"
restart_wait "$WORK/tree.img" "ipct-rst-$$" 300

result_of "$WORK/run.log"
[ "$RES" = "$(sed -n 's/^RESULT //p' "$WORK/ref.log")" ] ||
	die "RESULT after restart: $RES ($(grep '^FAIL' "$WORK/run.log" | head -5 | tr '\n' ';'))"
check_pid1 "$WORK/run.log" "^READY \|^GO "
[ "$(grep -c '^READY' "$WORK/run.log")" = 1 ] || die "sysvipc started over"
same_lines "$WORK/ref.log" "$WORK/run.log" "^ids \|^RESULT "
pass
