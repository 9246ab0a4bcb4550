#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# same_unix: an echo server and its clients over unix socketpairs (stream,
# seqpacket and datagram, SO_PASSCRED on some ends), with messages queued
# both ways at checkpoint time, and sockets whose peer closed, shut down,
# filled until EAGAIN, with options set, or connected to nothing
# (workloads/unix.c).  Checkpointed (--kill) at tick 5, before anybody
# reads (tick 150), and restarted: every client must get every message
# back, in order and with its boundaries, the server must see the
# clients' credentials, and the RESULT must be the reference's.
. "$(dirname "$0")/ckpt_lib.sh"
require

CLIENTS=${UNIX_CLIENTS:-6}
TICK_MS=${UNIX_TICK_MS:-100}
START=${UNIX_START:-150}
AT=${UNIX_AT:-5}

same_result_tasks unix "^tick $AT pid" "^tick \|^ready " $((CLIENTS + 1)) \
	$((CLIENTS + 1)) "$TESTS_DIR/unix" "$CLIENTS" "$TICK_MS" "$START"
case $REF in OK\ *) ;; *) die "reference RESULT '$REF'" ;; esac
[ "$(grep -c '^ready ' "$LOG")" = 1 ] || die "the workload started over"
ckptctl info "$IMG" >"$WORK/info.txt" 2>&1 || die "ckptctl info: $(tail -3 "$WORK/info.txt")"
grep -q "unix socket .* messages queued" "$WORK/info.txt" ||
	die "ckptctl info shows no unix socket"
pass "RESULT $RES"
