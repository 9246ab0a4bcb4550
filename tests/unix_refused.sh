#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# unix_refused: sockets that checkpoint refuses, each in a container of
# its own, as fd 3 (tests/unix_hold.c): an inet socket, a descriptor in
# flight (SCM_RIGHTS), out-of-band data, a socket whose file was removed, an
# accepted socket whose listening socket was closed, a listening socket with
# a connection from outside waiting, a socket whose peer is outside the
# container, and datagram sockets tied in ways restart cannot remake.  Each
# checkpoint must fail (EOPNOTSUPP, or EBUSY for the leak) with a reason
# naming the task and the descriptor, before writing anything, and the
# container must go on.
. "$(dirname "$0")/ckpt_lib.sh"
require

HOLD=$TESTS_DIR/unix_hold

# refused NAME "MODE [ARG]" REASON [ERRNO]: the container holds the socket
# as fd 3 and sleeps; its checkpoint must be refused with REASON.
refused() {
	local name=$1-$$
	ct_run "$name" "$WORK/$1.log" /bin/sh -c \
		"echo READY; exec $HOLD $2 -- sleep 1000"
	wait_for "$WORK/$1.log" "^READY" 120 || die "$1: no READY after 120 s"
	# The shell has exec'd the helper, which execs sleep.
	sleep 1
	${PRE:-true}
	refused_checkpoint "$1" "$name" "task 1\( (sleep)\)\?: fd 3: $3" "${4:-}"
}

refused inet inet "a socket of family 2 is not supported yet"
refused rights rights "descriptors in flight (SCM_RIGHTS) are not supported yet"
refused oob oob "out-of-band data (MSG_OOB) is not supported yet"
refused unlinked "unlinked $WORK/gone.sock" "the file of its unix socket (bound to $WORK/gone.sock) was removed"
refused orphan "orphan ckpt-orphan-$$" \
	"an accepted unix socket whose listening socket is not open in the container is not supported yet"

# A client outside the container waits on a listener of the container
# (run by refused() once the container is up).
dial() {
	"$HOLD" dial "ckpt-dialed-$$" >"$WORK/dial.log" 2>&1 &
	DIAL=$!
	wait_for "$WORK/dial.log" "^DIALED" 60 || die "no client outside"
}
PRE=dial
refused dialed "listen ckpt-dialed-$$" \
	"a connection from a socket open outside the container or in flight waits on its listening socket" \
	"EBUSY\|busy"
PRE=
kill "$DIAL"
wait "$DIAL" 2>/dev/null

# A listener outside the container; the container connects to it.
"$HOLD" serve "ckpt-outside-$$" >"$WORK/serve.log" 2>&1 &
SERVE=$!
wait_for "$WORK/serve.log" "^SERVING" 60 || die "no listener outside"
refused outside "connect ckpt-outside-$$" \
	"the peer of its unix socket is open outside the container" "EBUSY\|busy"
kill "$SERVE"
wait "$SERVE" 2>/dev/null

# Datagram sockets: connected to a server outside, in a chain, to a peer
# that disconnected; a datagram from a closed socket bound to a path.
"$HOLD" dgserve "ckpt-dgout-$$" >"$WORK/dgserve.log" 2>&1 &
SERVE=$!
wait_for "$WORK/dgserve.log" "^SERVING" 60 || die "no datagram server outside"
refused dgout "dgconnect ckpt-dgout-$$" \
	"its datagram socket is connected to a socket open outside the container" \
	"EBUSY\|busy"
kill "$SERVE"
wait "$SERVE" 2>/dev/null
refused chain "chain ckpt-chain-$$" \
	"a datagram socket connected to a socket that is itself connected to another is not supported yet"
refused halfpair halfpair \
	"a datagram socket connected to a socket without name (its peer disconnected) is not supported yet"
refused pathsent "pathsent $WORK/sent.sock" \
	"a queued datagram from a closed socket bound to a path is not supported"
pass
