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
refused_checkpoint inotify "events-inotify-$$" \
	"task 1 (events): fd [0-9]*: inotify is not supported yet"
pass
