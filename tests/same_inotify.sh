#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# same_inotify: two inotify instances on a tmpfs of the container's own
# (workloads/inotify.c): watches of directories and files with distinct
# masks (IN_MASK_ADD, IN_EXCL_UNLINK, IN_ONLYDIR, a one-shot watch armed
# before the checkpoint and fired after it), a watch removed (a hole in
# the wd's), and events queued unread at the checkpoint: those of the
# tick, and on the second instance, read only twice, a queue past
# fs.inotify.max_queued_events (set to 64 here) with its IN_Q_OVERFLOW.
# Checkpointed (--kill) at tick 30 of 50 and restarted: every event read
# (wd, mask, cookie order, name), in order, and every wd a watch gets
# (one added after the restart must follow the others) must be those of
# an uninterrupted run: same RESULT, same "ev" and "wd" lines.  No event
# of the checkpoint's or the restart's own file accesses may show.
. "$(dirname "$0")/ckpt_lib.sh"
require

TICKS=${INOTIFY_TICKS:-50}
TICK_MS=${INOTIFY_TICK_MS:-100}
AT=${INOTIFY_AT:-30}
Q=/proc/sys/fs/inotify/max_queued_events

[ -w "$Q" ] || skip "no $Q"
OLD_Q=$(cat "$Q")
echo 64 >"$Q" || die "cannot set $Q"
mkdir -p "$WORK/ct" || die "cannot make the mount point"

same_result inotify "^tick $AT pid" "^tick \|^ready " \
	"$TESTS_DIR/inotify" run "$WORK/ct" "$TICKS" "$TICK_MS"
echo "$OLD_Q" >"$Q"
case $REF in *" bad 0") ;; *) die "reference RESULT '$REF'" ;; esac
check_sequence "$LOG" tick 1 "$TICKS"
[ "$(grep -c '^ready ' "$LOG")" = 1 ] || die "the workload started over"
# In the RESULT already; compared again for a readable difference.
same_lines "$LOG_REF" "$LOG" "^ev \|^wd "
grep -q "^ev $((AT + 1)) I " "$LOG" || die "no event read right after the restart"
grep -q "^ev [0-9]* J -1 0x4000 " "$LOG" || die "no IN_Q_OVERFLOW read"
grep -q "^wd d35 " "$LOG" || die "no watch added after the restart"
msg "$(grep -c '^ev ' "$LOG") events read, $(grep -c "^ev $((AT + 1)) I " "$LOG") of them queued at the checkpoint on I; wd's: $(grep '^wd ' "$LOG" | awk '{ printf "%s=%s ", $2, $3 }')"
pass "RESULT $RES"
