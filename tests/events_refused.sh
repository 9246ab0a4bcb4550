#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# events_refused: what of the event files is not supported.  A fanotify
# instance (workloads/events.c fanotify), and an inotify watch on a file
# that was deleted while open and watched (workloads/inotify.c deleted:
# the watch has no name left to save).  Each checkpoint must fail with
# EOPNOTSUPP and the reason, naming the task and the descriptor (and the
# watch), must be in the log; the container must go on.
. "$(dirname "$0")/ckpt_lib.sh"
require

ct_run "events-fanotify-$$" "$WORK/run.log" "$TESTS_DIR/events" fanotify
wait_for "$WORK/run.log" "^READY\|^NOFANOTIFY" 120 || die "no READY after 120 s"
if grep -q "^NOFANOTIFY" "$WORK/run.log"; then
	msg "fanotify_init() failed ($(cat "$WORK/run.log")): fanotify case skipped"
	ckptctl kill "events-fanotify-$$" >/dev/null 2>&1
else
	refused_checkpoint fanotify "events-fanotify-$$" \
		"task 1 (events): fd [0-9]*: fanotify is not supported yet"
fi

mkdir -p "$WORK/ct" || die "cannot make the mount point"
ct_run "events-inodel-$$" "$WORK/del.log" "$TESTS_DIR/inotify" deleted "$WORK/ct"
wait_for "$WORK/del.log" "^READY" 120 || die "no READY after 120 s: $(cat "$WORK/del.log")"
refused_checkpoint inotify-deleted "events-inodel-$$" \
	"task 1 (inotify): fd [0-9]*: inotify watch 1 is on a file that was deleted (it has no name left): not supported"
pass
