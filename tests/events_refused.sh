#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# events_refused: an inotify instance is not supported.  The checkpoint
# must fail with EOPNOTSUPP and the reason, naming the task and the
# descriptor, must be in the log; the container must go on.
. "$(dirname "$0")/ckpt_lib.sh"
require

ct_run "events-inotify-$$" "$WORK/run.log" "$TESTS_DIR/events" inotify
wait_for "$WORK/run.log" "^READY" 120 || die "no READY after 120 s"
out="$WORK/ckpt.out"
if ckptctl checkpoint -o "$WORK/inotify.img" "events-inotify-$$" >"$out" 2>&1; then
	die "the checkpoint of an inotify instance succeeded"
fi
grep -q "fd [0-9]*: inotify is not supported yet" "$out" ||
	die "no reason in the checkpoint's output: $(cat "$out")"
grep -qi "not supported\|EOPNOTSUPP" "$out" || die "not EOPNOTSUPP: $(cat "$out")"
grep -q "task 1 (events)" "$out" || die "the reason does not name the task: $(cat "$out")"
[ ! -s "$WORK/inotify.img" ] || die "a refused checkpoint left a non-empty image"
pid_alive "$CT_PID" || die "the container died"
pass
