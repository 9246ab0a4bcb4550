#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# same_pipeline: a shell pipeline of five busybox processes (a sh loop
# writing numbered lines, tr, sed, cut and cat -n into a file), with data
# in every pipe, checkpointed (--kill) mid-stream and restarted: the file
# it writes must be byte for byte the reference run's (its md5sum is the
# RESULT).
. "$(dirname "$0")/ckpt_lib.sh"
require

LINES=${PIPELINE_LINES:-600}
AT=${PIPELINE_AT:-150}

OUT=$WORK/pipeline.out
# The init is the sh running the pipeline: 6 processes, and a usleep
# now and then, so the number of tasks is not checked.
SCRIPT='i=0
while [ $i -lt '"$LINES"' ]; do
	echo "line $i of the pipeline, padded to make the pipes fill up a bit"
	[ $((i % 50)) = 0 ] && echo "tick $i pid $$" >&2
	i=$((i + 1))
	usleep 10000
done | tr a-z A-Z | sed "s/LINE/L/" | cut -c1-40 | cat -n >'"$OUT"'
echo "RESULT $(md5sum <'"$OUT"' | cut -d" " -f1) $(wc -l <'"$OUT"')"'

same_result pipeline "^tick $AT pid" "^tick " /bin/sh -c "$SCRIPT"
[ "$(echo "$REF" | cut -d' ' -f2)" = "$LINES" ] || die "reference RESULT '$REF'"
pass "RESULT $RES"
