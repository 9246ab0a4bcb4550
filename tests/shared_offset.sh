#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# shared_offset: an open regular file inherited by a child process shares
# its offset with the parent.  Since image format 4 an open file is saved
# once, before the first descriptor of it, and restart gives every
# descriptor of it the same open file again (up to format 3 checkpoint
# refused it: issue 4).  The image must have the file once, named by both
# processes' fd 3; after the restart, a read by the child must move the
# offset the parent sees.
. "$(dirname "$0")/ckpt_lib.sh"
require

printf 'abcdefghijklmnopqrstuvwxyz\n' >"$WORK/data"
# The parent reads 3 bytes, forks; the child reads 2 more once told to.
ct_run "shoff-$$" "$WORK/run.log" /bin/sh -c "
	exec 3<'$WORK/data'
	dd bs=3 count=1 <&3 >/dev/null 2>&1
	(while [ ! -e '$WORK/go' ]; do sleep 0.1; done
	 echo \"CHILD-READ \$(dd bs=2 count=1 <&3 2>/dev/null)\"
	 exec sleep 1000) &
	echo READY; wait"
wait_for "$WORK/run.log" "^READY" 120 || die "no READY after 120 s"

# The offset of the open file of fd 3 of the container's init.
pos3() {
	sed -n 's/^pos:[[:space:]]*//p' "/proc/$CT_PID/fdinfo/3" 2>/dev/null
}
[ "$(pos3)" = 3 ] || die "offset $(pos3) before the checkpoint, expected 3"

checkpoint_kill "shoff-$$" "$CT_PID" "$WORK/shoff.img"
ckptctl info "$WORK/shoff.img" >"$WORK/info.out" 2>&1 ||
	die "ckptctl info failed: $(tail -3 "$WORK/info.out")"
n=$(grep -c "^    file [0-9]*: reg rdonly.* pos 3 $WORK/data " "$WORK/info.out")
[ "$n" = 1 ] || die "the data file is in the image $n times, expected once: $(grep "$WORK/data" "$WORK/info.out")"
id=$(sed -n "s|^    file \([0-9]*\): reg rdonly.* pos 3 $WORK/data .*|\1|p" "$WORK/info.out")
n=$(grep -c "^    fd 3   file $id\$" "$WORK/info.out")
[ "$n" -ge 2 ] || die "fd 3 names open file $id in $n file tables, expected 2 or more"

restart_bg "$WORK/shoff.img" "shoff-r-$$"
[ "$(pos3)" = 3 ] || die "offset $(pos3) after the restart, expected 3"
touch "$WORK/go"
wait_for "$WORK/run.log" "^CHILD-READ" 60 || die "the child did not read after the restart"
grep -q "^CHILD-READ de\$" "$WORK/run.log" ||
	die "the child read '$(sed -n 's/^CHILD-READ //p' "$WORK/run.log")', expected 'de'"
[ "$(pos3)" = 5 ] ||
	die "the parent's offset is $(pos3) after the child read 2 bytes: the open file is no longer shared"
pass
