#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# same_echo: an epoll-driven echo server (the container's init) with
# ECHO_CONNS (1000) unix connections from ECHO_PROCS (4) client processes,
# through a listening socket bound to a path (stream) and one bound to an
# abstract name (seqpacket) (workloads/echo.c).  Checkpointed (--kill) once
# every client has connected and sent its burst, the server has accepted
# all but 24 connections, greeted them and read nothing: data queued both
# ways, connections waiting in the listeners' queues with their data, and
# the socket file left at the path.  After the restart every client must
# get every byte back in order (and each makes one new connection by each
# name), and the RESULT must be the reference's.
. "$(dirname "$0")/ckpt_lib.sh"
require

CONNS=${ECHO_CONNS:-1000}
PROCS=${ECHO_PROCS:-4}
TICK_MS=${ECHO_TICK_MS:-100}
DELAY=${ECHO_DELAY:-50}

same_result_tasks echo "^ready" "^tick " $((PROCS + 1)) $((PROCS + 1)) \
	"$TESTS_DIR/echo" "$CONNS" "$PROCS" "$TICK_MS" "$DELAY" "$WORK/echo.sock"
case $REF in OK\ *) ;; *) die "reference RESULT '$REF'" ;; esac
[ "$(grep -c '^ready' "$LOG")" = 1 ] || die "the workload started over"
# The server accepted exactly CONNS - 24 before the checkpoint: the rest
# were waiting in the listeners' queues.
grep -q "^tick .* accepted $((CONNS - 24))\$" "$LOG" ||
	die "no tick line with $((CONNS - 24)) connections accepted before the checkpoint"
pass "RESULT $RES, checkpoint $CKPT_SECS s, restart $RESTART_SECS s, image $IMG_BYTES bytes"
