#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# thaw_blocked: nothing can thaw a container in the middle of its
# checkpoint.  The checkpoint writes its image into a FIFO that nobody
# reads yet, so it blocks inside checkpoint(2) once the pipe is full,
# deterministically.  While it is blocked, writing 0 to the container's
# cgroup.freeze must fail with EBUSY and the container must stay frozen.
# Then the reader drains the FIFO: the checkpoint completes, the image
# restarts, and thawing works again.
. "$(dirname "$0")/ckpt_lib.sh"
require

fifo=$WORK/image.fifo
img=$WORK/image
log=$WORK/ct.log
freeze=$CT_CGROUP_ROOT/thaw_blocked/cgroup.freeze

# 8 MiB of memory: far more than a pipe holds.
ct_run thaw_blocked "$log" "$TESTS_DIR/memhog" 8 100000 3 200
wait_for "$log" '^round 1 ' 60 || die "the workload did not start"

mkfifo "$fifo" || die "mkfifo failed"
ckptctl checkpoint -o - --keep-frozen thaw_blocked >"$fifo" 2>"$WORK/ckpt.out" &
ckpt=$!
exec 3<"$fifo"		# the writer's open returns; nothing is read yet
sleep 3
pid_alive "$ckpt" || die "checkpoint ended without a reader: $(cat "$WORK/ckpt.out")"
grep -q '^frozen 1' "$CT_CGROUP_ROOT/thaw_blocked/cgroup.events" ||
	die "the container is not frozen during its checkpoint"

if echo 0 2>"$WORK/thaw.err" >"$freeze"; then
	die "cgroup.freeze=0 succeeded in the middle of a checkpoint"
fi
grep -qi 'busy' "$WORK/thaw.err" ||
	die "thaw failed, but not with EBUSY: $(cat "$WORK/thaw.err")"
grep -q '^frozen 1' "$CT_CGROUP_ROOT/thaw_blocked/cgroup.events" ||
	die "the container thawed during its checkpoint"
msg "thaw refused while the checkpoint was blocked: $(cat "$WORK/thaw.err")"

cat <&3 >"$img"
exec 3<&-
wait "$ckpt" || die "checkpoint failed: $(cat "$WORK/ckpt.out")"
ckptctl info "$img" >/dev/null || die "the image does not decode"

echo 0 >"$freeze" || die "thaw refused after the checkpoint"
nap
grep -q '^frozen 0' "$CT_CGROUP_ROOT/thaw_blocked/cgroup.events" ||
	die "the container did not thaw after the checkpoint"
pass "thaw refused during the checkpoint, allowed after"
