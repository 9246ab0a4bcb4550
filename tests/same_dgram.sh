#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# same_dgram: a datagram server bound to a path (mode 0620) and to an
# abstract name, with clients connected one way (an autobound one, one
# with an abstract name, one without name), and senders without
# connection, one of them kept, two closed since (workloads/dgram.c).
# Checkpointed (--kill) while datagrams from six senders wait on the two
# servers and the server's greetings wait on two clients; restarted: each
# datagram arrives once, in its sender's order, with its sender's kind of
# name, the server's echoes reach the clients by their names, and the
# RESULT is the reference's.
. "$(dirname "$0")/ckpt_lib.sh"
require

TICK_MS=${DGRAM_TICK_MS:-100}
START=${DGRAM_START:-100}
AT=${DGRAM_AT:-3}

same_result_tasks dgram "^tick $AT pid" "^tick \|^ready " 4 4 \
	"$TESTS_DIR/dgram" "$TICK_MS" "$START" "$WORK/dgram.sock"
case $REF in OK\ *) ;; *) die "reference RESULT '$REF'" ;; esac
[ "$(grep -c '^ready ' "$LOG")" = 1 ] || die "the workload started over"
ckptctl info "$IMG" >"$WORK/info.txt" 2>&1 || die "ckptctl info: $(tail -3 "$WORK/info.txt")"
# 15 on the servers and 8 greetings, unless a client had not sent yet.
n=$(grep -c "^ *message to socket [0-9]* from socket" "$WORK/info.txt")
msg "$n messages queued in datagram groups at checkpoint (23 expected)"
[ "$n" -ge 10 ] || die "only $n messages in datagram groups: the test did not test them"
pass "RESULT $RES; checkpoint $CKPT_SECS s, restart $RESTART_SECS s, image $IMG_BYTES bytes"
