#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# same_mounts: the container's own mount view (workloads/mounts.c).  In
# its mount namespace the container mounts a proc of its pid namespace, a
# tmpfs with directories, files (modes, owners, fixed times, a set-uid
# bit, a 100 KiB one), a hard link and symbolic links, a second tmpfs
# inside the first, a read-only bind of a directory of the caller's, and
# a /proc (hidepid=2) over the caller's; it keeps a file of the tmpfs open
# and writes to it through its offset each tick.  Checkpointed (--kill) at
# tick 8 of 30 and restarted: the mount table of its directory (mount
# point, root, type, options), the tmpfs listing and contents, the pids
# its proc shows (only itself, pid 1) and the RESULT must be those of an
# uninterrupted run; ckptctl info shows the image's mounts.  Then
# containers with a new ramfs, a tmpfs holding 17 MiB, and one holding a
# FIFO must be refused (EOPNOTSUPP) with a reason naming the mount point
# and the type, and go on running.
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
grep -q "^mount /proc root / opts rw,nosuid,nodev,noexec,relatime type proc super rw,hidepid=invisible" "$LOG" ||
	die "no /proc with hidepid=2 over the caller's in the restarted container"
grep -q "^mount /tmp/a/m root / .* type tmpfs super rw,size=64k,mode=711" "$LOG" ||
	die "no tmpfs in the tmpfs in the restarted container"
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
	"^  mount [0-9]* on [0-9]*: $CT/tmp tmpfs (tmpfs) nosuid relatime size=1048576 .* mode=750 uid=0 gid=0, 11 entries" \
	"^    entry [0-9]* in 1: file \"log\" mode 600 uid 0 gid 0, [0-9]* bytes" \
	"^    entry [0-9]* in [0-9]*: hard link \"f1[-a-z]*\" to entry [0-9]*$" \
	"^  mount [0-9]* on [0-9]*: $CT/bind bind (tmpfs) of $WORK/src ro nodev relatime" \
	"^  mount [0-9]* on [0-9]*: $CT/tmp/a/m tmpfs (tmpfs) nodev noexec relatime size=65536 .* mode=711 uid=0 gid=0, 2 entries" \
	"^  mount [0-9]* on 2: /proc proc (proc) nosuid nodev noexec relatime hidepid=2 gid=0"; do
	grep -q "$want" "$WORK/info.out" ||
		die "info: no '$want' in: $(grep 'mount\|entry' "$WORK/info.out")"
done
rm -f "$WORK/info.img"

# What cannot be saved is refused, naming the mount and its type.
refused() {
	local name=$1-$$
	mkdir -p "$WORK/$1"
	ct_run "$name" "$WORK/$1.log" "$TESTS_DIR/mounts" hold "$WORK/$1" "$2"
	wait_for "$WORK/$1.log" "^READY" 120 || die "$1: no READY after 120 s"
	refused_checkpoint "$1" "$name" "mount $WORK/$1 ($3): $4"
}

refused ram ramfs ramfs "a file system of this type that the caller cannot reach by a path is not supported"
refused big big tmpfs "holds more than 16777216 bytes: too big to save"
refused fifo fifo tmpfs "x is a device, FIFO or socket: not supported"
pass "RESULT $RES"
