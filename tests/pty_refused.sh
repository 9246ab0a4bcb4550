#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# pty_refused: terminals that checkpoint refuses, each in a container of
# its own as fd 3 (tests/pty_hold.c): a slave whose master is outside the
# container (EBUSY, a leak), and saved with CKPT_CHECKPOINT_SUBTREE;
# a serial line; a pty whose output is stopped; a literal-next character
# pending in the line discipline; more input than the line discipline
# takes; a slave whose master was closed.  Each checkpoint must fail
# with a reason naming the task and the descriptor, before writing
# anything, and the container must go on.
. "$(dirname "$0")/ckpt_lib.sh"
require
[ -c /dev/ptmx ] && [ -d /dev/pts ] || skip "no /dev/ptmx or /dev/pts"

HOLD=$TESTS_DIR/pty_hold

# refused NAME "SETUP" REASON [ERRNO] [FLAGS]: the container runs SETUP
# (which leaves the terminal at fd 3, then sleeps); its checkpoint must be
# refused with REASON.
refused() {
	local name=$1-$$
	ct_run "$name" "$WORK/$1.log" /bin/sh -c "echo READY; $2"
	wait_for "$WORK/$1.log" "^READY" 120 || die "$1: no READY after 120 s"
	sleep 1
	refused_checkpoint "$1" "$name" "task 1\( ([a-z]*)\)\?: $3" "${4:-}" "${5:-}"
}

# A master outside the container; the container opens its slave.
"$HOLD" serve >"$WORK/serve.log" 2>&1 &
SERVE=$!
wait_for "$WORK/serve.log" "^SERVING" 60 || die "no pty outside"
PTS=$(sed -n 's/^SERVING //p' "$WORK/serve.log")
refused outside "exec sleep 1000 3<>$PTS" \
	"fd 3: its pty /dev/pts/[0-9]* is open outside the container" "EBUSY\|busy"
# With CKPT_CHECKPOINT_SUBTREE it is saved, as the container sees it.
ct_run "subtree-$$" "$WORK/subtree.log" /bin/sh -c "echo READY; exec sleep 1000 3<>$PTS"
wait_for "$WORK/subtree.log" "^READY" 120 || die "subtree: no READY"
sleep 1
ckptctl checkpoint --subtree -o "$WORK/subtree.img" "subtree-$$" >"$WORK/subtree.out" 2>&1 ||
	die "subtree: checkpoint --subtree failed: $(cat "$WORK/subtree.out")"
ckptctl info "$WORK/subtree.img" | grep -q "pty 1: $PTS (0:0 0[0-7]*) through" ||
	die "subtree: no pty in the image"
ckptctl kill "subtree-$$" >/dev/null 2>&1
kill "$SERVE"
wait "$SERVE" 2>/dev/null

# /dev/console is saved (same_devices); a serial line is not.
if [ -c /dev/ttyS0 ]; then
	refused serial "exec sleep 1000 3</dev/ttyS0" \
		"fd 3: a terminal other than a Unix98 pty (virtual console, serial line, BSD pty)"
fi
refused stopped "exec $HOLD stopped -- sleep 1000" \
	"fd 3: /dev/pts/[0-9]*: a pty whose output is stopped"
refused lnext "exec $HOLD lnext -- sleep 1000" \
	"fd 3: /dev/pts/[0-9]*: a literal-next, an ECHOPRT erase"
refused full "exec $HOLD full -- sleep 1000" \
	"fd 3: /dev/pts/[0-9]*: input its line discipline has not taken"
refused hungup "exec $HOLD hungup -- sleep 1000" \
	"fd 3: a hung-up terminal"
pass
