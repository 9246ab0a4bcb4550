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
# of the checkpoint's or the restart's own file accesses may show.  Then
# the limit: the same container checkpointed at tick 30 (its second
# instance holds 64 events and the overflow), restarted with
# fs.inotify.max_queued_events at 16, must be refused with ENOSPC and the
# reason, leaving nothing running; and restarted at 64, it ends as the
# reference did.
. "$(dirname "$0")/ckpt_lib.sh"
require

TICKS=${INOTIFY_TICKS:-50}
TICK_MS=${INOTIFY_TICK_MS:-100}
AT=${INOTIFY_AT:-30}
Q=/proc/sys/fs/inotify/max_queued_events

[ -w "$Q" ] || skip "no $Q"
OLD_Q=$(cat "$Q")
# ckpt_lib.sh's cleanup, and the queue limit put back however the test ends.
cleanup() {
	local n
	for n in $CT_NAMES; do
		ckptctl kill "$n" >/dev/null 2>&1
	done
	rm -rf "$WORK"
	echo "$OLD_Q" >"$Q"
}
echo 64 >"$Q" || die "cannot set $Q"
mkdir -p "$WORK/ct" || die "cannot make the mount point"

same_result inotify "^tick $AT pid" "^tick \|^ready " \
	"$TESTS_DIR/inotify" run "$WORK/ct" "$TICKS" "$TICK_MS"
case $REF in *" bad 0") ;; *) die "reference RESULT '$REF'" ;; esac
check_sequence "$LOG" tick 1 "$TICKS"
[ "$(grep -c '^ready ' "$LOG")" = 1 ] || die "the workload started over"
# In the RESULT already; compared again for a readable difference.
same_lines "$LOG_REF" "$LOG" "^ev \|^wd "
grep -q "^ev $((AT + 1)) I " "$LOG" || die "no event read right after the restart"
grep -q "^ev [0-9]* J -1 0x4000 " "$LOG" || die "no IN_Q_OVERFLOW read"
grep -q "^wd d35 " "$LOG" || die "no watch added after the restart"
# The new instance's queue is too small for the saved one.
ct_run "inotify-lim-$$" "$WORK/lim.log" "$TESTS_DIR/inotify" run "$WORK/ct" \
	"$TICKS" "$TICK_MS"
wait_for "$WORK/lim.log" "^tick $AT pid" 300 || die "no tick $AT in lim.log"
checkpoint_kill "inotify-lim-$$" "$CT_PID" "$WORK/lim.img"
echo 16 >"$Q"
CT_NAMES="$CT_NAMES inotify-small-$$"
if ckptctl restart -i "$WORK/lim.img" --name "inotify-small-$$" \
	>"$WORK/small.out" 2>&1; then
	die "a restart with max_queued_events 16 succeeded"
fi
echo 64 >"$Q"
grep -q "inotify events queued, more than fs.inotify.max_queued_events allows" \
	"$WORK/small.out" || die "no reason for the small queue: $(cat "$WORK/small.out")"
grep -qi "ENOSPC\|no space" "$WORK/small.out" ||
	die "not ENOSPC: $(cat "$WORK/small.out")"
[ "$(ct_nr_procs "inotify-small-$$")" = 0 ] ||
	die "the refused restart left tasks running"
restart_wait "$WORK/lim.img" "inotify-big-$$" 300
result_of "$WORK/lim.log"
[ "$RES" = "$REF" ] || die "RESULT after restart at 64 '$RES', reference '$REF'"
msg "limit: refused at 16 ($(grep -o 'file [0-9]*: [0-9]* inotify events queued' "$WORK/small.out")), same RESULT at 64"

msg "$(grep -c '^ev ' "$LOG") events read, $(grep -c "^ev $((AT + 1)) I " "$LOG") of them queued at the checkpoint on I; wd's: $(grep '^wd ' "$LOG" | awk '{ printf "%s=%s ", $2, $3 }')"
pass "RESULT $RES"
