#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# files_refused: open files that checkpoint refuses, each in a container
# of its own: a lease, an owner for SIGIO
# (F_SETOWN), an O_PATH descriptor and an inet socket (fileholder.c); a
# deleted file with more data than CKPT_UNLINKED_DATA_MAX, and five whose
# data adds up to more than CKPT_UNLINKED_TOTAL_MAX (EFBIG, the reason
# names the limit) on a ramfs mounted before the container, a file
# opened by a name since deleted that keeps another (hard link); a
# deleted file on 9p, which has no O_TMPFILE, when the guest has a 9p share
# (a virtio-9p device: qemu-run --share; skipped, and said so, without).
# Each checkpoint must
# fail with EOPNOTSUPP (or the errno given) and a reason naming the task
# and the descriptor, before writing anything, and the container must go
# on.  (Shared open
# files and pipes, refused before issue 4, are saved now: see same_files.)
. "$(dirname "$0")/ckpt_lib.sh"
require

# refused NAME SETUP REASON: the container runs SETUP (a shell snippet that
# opens fd 3) and waits; its checkpoint must be refused with REASON.
refused() {
	local name=$1-$$
	ct_run "$name" "$WORK/$1.log" /bin/sh -c "$2; echo READY; exec sleep 1000"
	wait_for "$WORK/$1.log" "^READY" 120 || die "$1: no READY after 120 s"
	refused_checkpoint "$1" "$name" "task 1 ([a-z]*): fd 3: $3" ${4:+"$4"}
}

# Mounts made here, unmounted before $WORK is removed.
MOUNTS=""
cleanup() {
	local n
	for n in $CT_NAMES; do
		ckptctl kill "$n" >/dev/null 2>&1
	done
	for n in $MOUNTS; do
		umount "$n" 2>/dev/null || umount -l "$n" 2>/dev/null
	done
	rm -rf "$WORK"
}

echo data >"$WORK/file"
H=$TESTS_DIR/fileholder
refused lease "exec $H lease '$WORK/file'" "a lease is not supported yet"
refused setown "exec $H setown '$WORK/file'" \
	"an owner for SIGIO (F_SETOWN) is not supported yet"
refused opath "exec $H opath '$WORK/file'" "an O_PATH descriptor is not supported yet"
refused inet "exec $H inet -" "a socket .*not supported"

# A deleted file with 65 MiB of data, over CKPT_UNLINKED_DATA_MAX (64 MiB).
mkdir -p "$WORK/ram" && mount -t ramfs ramfs "$WORK/ram" || die "cannot mount a ramfs"
MOUNTS="$MOUNTS $WORK/ram"
dd if=/dev/zero of="$WORK/ram/big" bs=1048576 count=65 2>/dev/null ||
	die "cannot write $WORK/ram/big"
refused unlinked_big "exec 3<'$WORK/ram/big'; rm '$WORK/ram/big'" \
	"a deleted file with more than 67108864 bytes of data (CKPT_UNLINKED_DATA_MAX) is not supported" \
	"too large\|EFBIG"
# Five deleted files of 52 MiB: over CKPT_UNLINKED_TOTAL_MAX (256 MiB) at
# the fifth, fd 7.
for i in 3 4 5 6 7; do
	dd if=/dev/zero of="$WORK/ram/t$i" bs=1048576 count=52 2>/dev/null ||
		die "cannot write $WORK/ram/t$i"
done
name=unlinked_total-$$
ct_run "$name" "$WORK/unlinked_total.log" /bin/sh -c \
	"cd '$WORK/ram' && exec 3<t3 4<t4 5<t5 6<t6 7<t7 && rm t3 t4 t5 t6 t7 && echo READY && exec sleep 1000"
wait_for "$WORK/unlinked_total.log" "^READY" 120 || die "unlinked_total: no READY after 120 s"
refused_checkpoint unlinked_total "$name" \
	"task 1 ([a-z]*): fd 7: deleted files with more than 268435456 bytes of data in all (CKPT_UNLINKED_TOTAL_MAX) are not supported" \
	"too large\|EFBIG"

# A name deleted of a file that keeps another (a hard link).
echo data >"$WORK/ram/h" && ln "$WORK/ram/h" "$WORK/ram/h2" || die "cannot link $WORK/ram/h"
refused unlinked_link "exec 3<'$WORK/ram/h'; rm '$WORK/ram/h'" \
	"a file opened by a name since deleted, that has other names (hard links), is not supported"

# A deleted file on 9p: the guest's share if it is mounted, else a new
# mount of it if the guest has the device.
p9=$(awk '$3 == "9p" { print $2; exit }' /proc/mounts)
if [ -z "$p9" ] && mkdir -p "$WORK/9p" &&
	mount -t 9p -o trans=virtio,version=9p2000.L share "$WORK/9p" 2>/dev/null; then
	p9=$WORK/9p
	MOUNTS="$MOUNTS $p9"
fi
if [ -n "$p9" ]; then
	f=$p9/ckpt-unlinked.$$
	refused unlinked_9p "echo data >'$f'; exec 3<'$f'; rm '$f'" \
		"a deleted file on 9p, a file system without O_TMPFILE, is not supported"
else
	msg "no 9p share in this guest (qemu-run --share): the 9p case is skipped"
fi
pass
