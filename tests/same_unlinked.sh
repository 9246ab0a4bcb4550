#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# same_unlinked: files with no name on a file system other than tmpfs
# (workloads/unlinked.c), on a ramfs the test mounts before starting the
# container (a mount the container has from its copy of the caller's
# namespace): a deleted file open twice at two offsets, one open file
# shared with a child through dup(), an O_TMPFILE file being written that
# the workload names with linkat(AT_EMPTY_PATH) after the restart, an
# O_TMPFILE | O_EXCL one that must stay nameless, and a sparse deleted
# file.  Checkpointed (--kill) at tick 10 of 40 and restarted: the data
# hashes, sizes, link counts, modes and offsets of each file, and the
# published file's, in the RESULT, must be the reference's; ckptctl info
# shows the UNLINKED records.
. "$(dirname "$0")/ckpt_lib.sh"
require

TICKS=${UNLINKED_TICKS:-40}
TICK_MS=${UNLINKED_TICK_MS:-100}
AT=${UNLINKED_AT:-10}
RAM=$WORK/ram

mkdir -p "$RAM" || die "cannot make $RAM"
mount -t ramfs -o mode=755 ramfs "$RAM" || skip "cannot mount a ramfs"
# As ckpt_lib.sh's, unmounting the ramfs before $WORK is removed.
cleanup() {
	local n
	for n in $CT_NAMES; do
		ckptctl kill "$n" >/dev/null 2>&1
	done
	umount "$RAM" 2>/dev/null || umount -l "$RAM" 2>/dev/null
	rm -rf "$WORK"
}
mkdir -p "$RAM/d" || die "cannot make $RAM/d"

# The image is kept for ckptctl info: same_result_tasks leaves it in $IMG.
same_result_tasks unlinked "^tick $AT pid" "^tick \|^ready " 2 2 \
	"$TESTS_DIR/unlinked" "$RAM/d" "$TICKS" "$TICK_MS"
case $REF in OK\ a=*/0/640/*\ t=*/0/604/*\ s=*\ pub=*/1/604/*) ;;
*) die "reference RESULT '$REF'" ;; esac
check_sequence "$LOG" tick 1 "$TICKS"
[ "$(grep -c '^ready ' "$LOG")" = 1 ] || die "the workload started over"
ls -A "$RAM/d" >"$WORK/left.out"
[ ! -s "$WORK/left.out" ] || die "files left in $RAM/d: $(cat "$WORK/left.out")"

# ckptctl info decodes the UNLINKED records.
name=info-$$
ct_run "$name" "$WORK/info.log" "$TESTS_DIR/unlinked" "$RAM/d" 600 100
wait_for "$WORK/info.log" "^tick 2 pid" 120 || die "info: no tick 2 after 120 s"
ckptctl checkpoint -o "$WORK/info.img" "$name" >"$WORK/info.out" 2>&1 ||
	die "info: checkpoint failed: $(cat "$WORK/info.out")"
ckptctl kill "$name" >/dev/null 2>&1
ckptctl info "$WORK/info.img" >"$WORK/info.out" 2>&1 ||
	die "info: ckptctl info fails on the image: $(tail -3 "$WORK/info.out")"
for want in "unlinked 1 in $RAM/d: mode 640 uid 0 gid 0, 65536 bytes, 16 pages" \
	"unlinked [0-9] in $RAM/d: mode 604 uid 0 gid 0, [0-9]* bytes, 1 pages, linkable" \
	"unlinked [0-9] in $RAM/d: mode 600 uid 0 gid 0, 2 bytes, 1 pages$"; do
	grep -q "$want" "$WORK/info.out" ||
		die "info: no '$want' in: $(grep -i 'unlinked' "$WORK/info.out")"
done
rm -f "$WORK/info.img" "$IMG"
pass "RESULT $RES"
