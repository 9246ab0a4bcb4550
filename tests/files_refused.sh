#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# files_refused: open files that checkpoint refuses, each in a container
# of its own: a lease, an owner for SIGIO
# (F_SETOWN), an O_PATH descriptor and an inet socket (fileholder.c).
# Each checkpoint must
# fail with EOPNOTSUPP and a reason naming the task and the descriptor,
# before writing anything, and the container must go on.  (Shared open
# files and pipes, refused before issue 4, are saved now: see same_files.)
. "$(dirname "$0")/ckpt_lib.sh"
require

# refused NAME SETUP REASON: the container runs SETUP (a shell snippet that
# opens fd 3) and waits; its checkpoint must be refused with REASON.
refused() {
	local name=$1-$$
	ct_run "$name" "$WORK/$1.log" /bin/sh -c "$2; echo READY; exec sleep 1000"
	wait_for "$WORK/$1.log" "^READY" 120 || die "$1: no READY after 120 s"
	refused_checkpoint "$1" "$name" "task 1 ([a-z]*): fd 3: $3"
}

echo data >"$WORK/file"
H=$TESTS_DIR/fileholder
refused lease "exec $H lease '$WORK/file'" "a lease is not supported yet"
refused setown "exec $H setown '$WORK/file'" \
	"an owner for SIGIO (F_SETOWN) is not supported yet"
refused opath "exec $H opath '$WORK/file'" "an O_PATH descriptor is not supported yet"
refused inet "exec $H inet -" "a socket .*not supported"
pass
