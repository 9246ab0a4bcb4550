#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# same_mounts: the container's own mount view (workloads/mounts.c).  In
# its mount namespace the container mounts a proc of its pid namespace, a
# tmpfs with directories, files (modes, owners, fixed times, a set-uid
# bit, a 100 KiB one), a hard link and symbolic links, and a read-only
# bind of a directory of the caller's; it keeps a file of the tmpfs open
# and writes to it through its offset each tick.  Checkpointed (--kill) at
# tick 8 of 30 and restarted: the mount table of its directory (mount
# point, root, type, options), the tmpfs listing and contents, the pids
# its proc shows (only itself, pid 1) and the RESULT must be those of an
# uninterrupted run.  Then a container that mounts a new ramfs must be
# refused (EOPNOTSUPP) with a reason naming the mount point and the type,
# and go on running.
. "$(dirname "$0")/ckpt_lib.sh"
require

TICKS=${MOUNTS_TICKS:-30}
TICK_MS=${MOUNTS_TICK_MS:-100}
AT=${MOUNTS_AT:-8}
CT=$WORK/ct

mkdir -p "$CT/proc" "$CT/tmp" "$CT/bind" "$WORK/src" "$WORK/ram" ||
	die "cannot make the mount points"
awk 'BEGIN { for (i = 0; i < 3000; i++) print "line", i }' >"$WORK/src/data"

same_result mounts "^tick $AT pid" "^tick \|^ready " \
	"$TESTS_DIR/mounts" run "$CT" "$WORK/src" "$TICKS" "$TICK_MS"
case $REF in *" bad 0") ;; *) die "reference RESULT '$REF'" ;; esac
check_sequence "$LOG" tick 1 "$TICKS"
[ "$(grep -c '^ready ' "$LOG")" = 1 ] || die "the workload started over"
# In the RESULT already; compared again for a readable difference.
same_lines "$LOG_REF" "$LOG" "^mount \|^tree \|^hardlink \|^proc \|^bind \|^log "
grep -q "^mount /tmp root / .* type tmpfs super rw,size=1024k,mode=750" "$LOG" ||
	die "no tmpfs in the restarted container's mount table"
grep -q "^mount /proc .* type proc " "$LOG" ||
	die "no proc in the restarted container's mount table"
grep -q "^mount /bind root .*/src opts ro,nodev" "$LOG" ||
	die "no read-only bind in the restarted container's mount table"
[ "$(grep -c '^proc pid ' "$LOG")" = 1 ] && grep -q '^proc pid 1$' "$LOG" ||
	die "the restarted container's proc shows other pids than 1"

# ckptctl info decodes the kernel's MOUNT and TMPFS_ENTRY records.
name=info-$$
ct_run "$name" "$WORK/info.log" "$TESTS_DIR/mounts" run "$CT" "$WORK/src" 600 100
wait_for "$WORK/info.log" "^tick 2 pid" 120 || die "info: no tick 2 after 120 s"
ckptctl checkpoint -o "$WORK/info.img" "$name" >"$WORK/info.out" 2>&1 ||
	die "info: checkpoint failed: $(cat "$WORK/info.out")"
ckptctl kill "$name" >/dev/null 2>&1
ckptctl info "$WORK/info.img" >"$WORK/info.out" 2>&1 ||
	die "info: ckptctl info fails on the image: $(tail -3 "$WORK/info.out")"
for want in "^  mount 1 on 0: / host (rootfs)" \
	"^  mount [0-9]* on [0-9]*: $CT/proc proc (proc) nosuid nodev noexec relatime hidepid=0" \
	"^  mount [0-9]* on [0-9]*: $CT/tmp tmpfs (tmpfs) nosuid relatime size=1048576 .* mode=750 uid=0 gid=0, 10 entries" \
	"^    entry [0-9]* in 1: file \"log\" mode 600 uid 0 gid 0, [0-9]* bytes" \
	"^    entry [0-9]* in [0-9]*: hard link \"f1[-a-z]*\" to entry [0-9]*$" \
	"^  mount [0-9]* on [0-9]*: $CT/bind bind (tmpfs) of $WORK/src ro nodev relatime"; do
	grep -q "$want" "$WORK/info.out" ||
		die "info: no '$want' in: $(grep 'mount\|entry' "$WORK/info.out")"
done
rm -f "$WORK/info.img"

# A new ramfs cannot be saved: refused, naming the mount and its type.
name=ram-$$
ct_run "$name" "$WORK/ram.log" "$TESTS_DIR/mounts" hold "$WORK/ram" ramfs
wait_for "$WORK/ram.log" "^READY" 120 || die "ramfs: no READY after 120 s"
if ckptctl checkpoint -o "$WORK/ram.img" "$name" >"$WORK/ram.out" 2>&1; then
	die "ramfs: the checkpoint succeeded"
fi
grep -q "mount $WORK/ram (ramfs): .*not supported" "$WORK/ram.out" ||
	die "ramfs: no reason naming the mount in: $(cat "$WORK/ram.out")"
grep -qi "not supported\|EOPNOTSUPP" "$WORK/ram.out" ||
	die "ramfs: not EOPNOTSUPP: $(cat "$WORK/ram.out")"
[ ! -s "$WORK/ram.img" ] || die "ramfs: a refused checkpoint left a non-empty image"
pid_alive "$CT_PID" || die "ramfs: the container died"
pass "RESULT $RES"
