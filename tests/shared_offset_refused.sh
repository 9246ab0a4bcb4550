#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# shared_offset_refused: an open regular file inherited by a child process
# shares its offset with the parent; restart cannot keep that shared yet
# (issue 4), so checkpoint must refuse it with EOPNOTSUPP and a reason
# naming the task, before writing anything, and the container goes on.
# A write-only O_APPEND file (the container's log) is accepted: its offset
# is never used.
. "$(dirname "$0")/ckpt_lib.sh"
require

echo data >"$WORK/data"
ct_run "shoff-$$" "$WORK/run.log" /bin/sh -c \
	"exec 3<'$WORK/data'; sleep 1000 & echo READY; wait"
wait_for "$WORK/run.log" "^READY" 120 || die "no READY after 120 s"
out="$WORK/ckpt.out"
if ckptctl checkpoint -o "$WORK/shoff.img" "shoff-$$" >"$out" 2>&1; then
	die "the checkpoint of a file shared by two processes succeeded"
fi
grep -q "fd 3 is the open file of fd 3 of process [0-9]* (inherited): a shared offset is not supported yet" "$out" ||
	die "no reason in the checkpoint's output: $(cat "$out")"
grep -qi "not supported\|EOPNOTSUPP" "$out" || die "not EOPNOTSUPP: $(cat "$out")"
[ ! -s "$WORK/shoff.img" ] || die "a refused checkpoint left a non-empty image"
pid_alive "$CT_PID" || die "the container died"
pass
