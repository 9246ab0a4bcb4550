# SPDX-License-Identifier: GPL-2.0
#
# ckpt_lib.sh - shared by the same-result tests (sourced, POSIX sh: they
# run under busybox in the guest).
#
# The same-result method: run a workload uninterrupted in a container to
# get its reference RESULT; run it again, checkpoint it mid-run with
# --kill, check it is gone, restart it from the image, and check it ends
# with the same RESULT, exit status 0 and still pid 1 of its namespace.
#
# Exit codes follow kselftest: 0 pass, 1 fail, 4 skip.

set -u

TESTS_DIR=$(cd "$(dirname "$0")" && pwd)
T=$(basename "$0" .sh)
WORK=/tmp/ckpt-$T.$$
# Containers to kill at exit.
CT_NAMES=""
# A cgroup v2 hierarchy holds ckptctl's containers under this directory.
CT_CGROUP_ROOT=/sys/fs/cgroup/ckpt

# Diagnostics go to stderr, kselftest style ("# " lines).
msg() {
	echo "# $T: $*" >&2
}

cleanup() {
	local n
	for n in $CT_NAMES; do
		ckptctl kill "$n" >/dev/null 2>&1
	done
	rm -rf "$WORK"
}

# Shows the tail of every log of the test, then fails.
die() {
	local f
	echo "# $T: FAIL: $*" >&2
	for f in "$WORK"/*.log "$WORK"/*.out; do
		[ -f "$f" ] || continue
		echo "# ---- $f (last 30 lines)" >&2
		tail -n 30 "$f" | sed 's/^/#   /' >&2
	done
	cleanup
	exit 1
}

skip() {
	echo "# $T: SKIP: $*" >&2
	cleanup
	exit 4
}

pass() {
	echo "# $T: PASS${1:+: $*}" >&2
	cleanup
	exit 0
}

trap 'cleanup; exit 1' INT TERM

# Root, cgroup v2 and ckptctl, or there is nothing to test.
require() {
	[ "$(id -u)" = 0 ] || skip "needs root"
	[ -f /sys/fs/cgroup/cgroup.controllers ] || skip "needs cgroup v2 at /sys/fs/cgroup"
	command -v ckptctl >/dev/null 2>&1 || die "ckptctl is not on PATH"
	mkdir -p "$WORK" || die "cannot create $WORK"
}

# Seconds since boot, with hundredths.
now() {
	cut -d' ' -f1 /proc/uptime
}

# Floating-point arithmetic and comparisons: calc "EXPR" prints its value.
calc() {
	awk "BEGIN { printf \"%.2f\", $1 }"
}

# True if the awk condition holds: holds "a < b".
holds() {
	awk "BEGIN { exit !($1) }"
}

nap() {
	sleep 0.1 2>/dev/null || sleep 1
}

# wait_for FILE REGEX TIMEOUT: waits until a line of FILE matches.
wait_for() {
	local deadline
	deadline=$(calc "$(now) + $3")
	while ! grep -q -- "$2" "$1" 2>/dev/null; do
		holds "$(now) < $deadline" || return 1
		nap
	done
	return 0
}

# Sets RES to the value of the RESULT line of a log; fails unless there
# is exactly one.  (The helpers set variables rather than print, so that
# they never run in a subshell: die must end the test itself.)
result_of() {
	local n
	n=$(grep -c '^RESULT ' "$1" 2>/dev/null)
	[ "$n" = 1 ] || die "$1 has $n RESULT lines, expected 1"
	RES=$(sed -n 's/^RESULT //p' "$1")
}

# Is PID a live process (not a zombie)?
pid_alive() {
	local state
	[ -r "/proc/$1/stat" ] || return 1
	state=$(sed 's/.*) //' "/proc/$1/stat" 2>/dev/null | cut -d' ' -f1)
	[ -n "$state" ] && [ "$state" != Z ] && [ "$state" != X ]
}

# Number of processes in container NAME's cgroup (0 if it is gone).
ct_nr_procs() {
	local f="$CT_CGROUP_ROOT/$1/cgroup.procs"
	if [ -f "$f" ]; then
		wc -l <"$f" | tr -d ' '
	else
		echo 0
	fi
}

# ct_run NAME LOG CMD...: starts a container; sets CT_PID to its pid.
ct_run() {
	local name=$1 log=$2
	shift 2
	CT_NAMES="$CT_NAMES $name"
	CT_PID=$(ckptctl run --name "$name" --log "$log" -- "$@" 2>"$WORK/run-$name.out") ||
		die "ckptctl run $name failed: $(cat "$WORK/run-$name.out")"
	case "$CT_PID" in
	''|*[!0-9]*) die "ckptctl run $name printed '$CT_PID', not a pid" ;;
	esac
}

# reference NAME LOG CMD...: runs to the end; sets RES to its RESULT.
reference() {
	local name=$1 log=$2 rc
	shift 2
	CT_NAMES="$CT_NAMES $name"
	timeout -s KILL 900 ckptctl run --name "$name" --log "$log" --wait -- "$@" \
		>/dev/null 2>"$WORK/run-$name.out"
	rc=$?
	[ "$rc" = 0 ] || die "reference run $name exited with $rc: $(cat "$WORK/run-$name.out")"
	result_of "$log"
}

# checkpoint_kill NAME PID IMAGE: checkpoints with --kill and checks that
# the container is gone, process and cgroup.
checkpoint_kill() {
	local name=$1 pid=$2 img=$3 deadline
	ckptctl checkpoint --kill -o "$img" "$name" >"$WORK/ckpt-$name.out" 2>&1 ||
		die "ckptctl checkpoint --kill $name failed: $(cat "$WORK/ckpt-$name.out")"
	[ -s "$img" ] || die "checkpoint of $name wrote an empty image"
	deadline=$(calc "$(now) + 30")
	while pid_alive "$pid" || [ "$(ct_nr_procs "$name")" != 0 ]; do
		holds "$(now) < $deadline" ||
			die "container $name (pid $pid) still there after checkpoint --kill"
		nap
	done
}

# refused_checkpoint TAG NAME REASON [ERRNO [FLAGS]]: the checkpoint of
# running container NAME (pid CT_PID), with ckptctl checkpoint FLAGS, must
# fail with a line matching REASON and an error matching ERRNO (default
# EOPNOTSUPP), before writing anything, and the container must go on; it
# is killed then.  Files are $WORK/TAG.out and $WORK/TAG.img.
refused_checkpoint() {
	local tag=$1 name=$2 reason=$3 errno="${4:-not supported\|EOPNOTSUPP}"
	local out=$WORK/$1.out img=$WORK/$1.img
	# shellcheck disable=SC2086 # FLAGS are words
	if ckptctl checkpoint ${5:-} -o "$img" "$name" >"$out" 2>&1; then
		die "$tag: the checkpoint succeeded"
	fi
	grep -q -- "$reason" "$out" ||
		die "$tag: no reason '$reason' in the checkpoint's output: $(cat "$out")"
	grep -qi -- "$errno" "$out" ||
		die "$tag: not $errno: $(cat "$out")"
	[ ! -s "$img" ] || die "$tag: a refused checkpoint left a non-empty image"
	pid_alive "$CT_PID" || die "$tag: the container died"
	ckptctl kill "$name" >/dev/null 2>&1
}

# restart_bg IMAGE NAME: restarts without waiting; sets CT_PID.
restart_bg() {
	local img=$1 name=$2
	CT_NAMES="$CT_NAMES $name"
	CT_PID=$(ckptctl restart -i "$img" --name "$name" 2>"$WORK/rst-$name.out") ||
		die "ckptctl restart $name failed: $(cat "$WORK/rst-$name.out")"
	case "$CT_PID" in
	''|*[!0-9]*) die "ckptctl restart $name printed '$CT_PID', not a pid" ;;
	esac
}

# restart_wait IMAGE NAME TIMEOUT: restarts and waits for the end; fails
# unless the container exits 0.
restart_wait() {
	local img=$1 name=$2 rc
	CT_NAMES="$CT_NAMES $name"
	timeout -s KILL "$3" ckptctl restart -i "$img" --name "$name" --wait \
		>"$WORK/rst-$name.out" 2>&1
	rc=$?
	[ "$rc" = 0 ] || die "restarted $name exited with $rc: $(cat "$WORK/rst-$name.out")"
}

# check_pid1 LOG REGEX: every "pid N" that the workload printed on the
# lines matching REGEX says pid 1 (and there are such lines).
check_pid1() {
	local pids
	pids=$(grep -- "$2" "$1" | grep -o 'pid [0-9]*' | sort -u | tr '\n' ' ')
	[ "$pids" = "pid 1 " ] ||
		die "$1: the workload saw itself as '$pids', expected 'pid 1'"
}

# same_lines A B REGEX: the lines of A and B that match REGEX are equal.
same_lines() {
	grep -- "$3" "$1" >"$WORK/a.lines"
	grep -- "$3" "$2" >"$WORK/b.lines"
	cmp -s "$WORK/a.lines" "$WORK/b.lines" ||
		die "$2 differs from $1: first difference: $(diff "$WORK/a.lines" "$WORK/b.lines" 2>/dev/null | sed -n '2,3p' | tr '\n' ' ')"
}

# check_sequence LOG WORD FIRST LAST: lines "WORD k" run FIRST..LAST, each
# once and in order (no step lost or done twice across a restart).
check_sequence() {
	awk -v w="$2" -v first="$3" -v last="$4" '
		$1 == w { if ($2 != first + n) { bad = 1; exit } n++ }
		END { exit bad || n != last - first + 1 }' "$1" ||
		die "$1: the '$2' lines are not exactly $3..$4 in order"
}

# same_result PREFIX WAIT_REGEX PID_REGEX CMD...: the same-result method.
# The checkpoint is taken once a line of the log matches WAIT_REGEX; the
# lines matching PID_REGEX must all say "pid 1".  Sets REF, LOG_REF and
# LOG (the log of the checkpointed run) for further checks.
same_result() {
	local prefix=$1 wait_re=$2 pid_re=$3 img t0
	shift 3
	LOG_REF=$WORK/$prefix-ref.log
	LOG=$WORK/$prefix-ckpt.log
	img=$WORK/$prefix.img

	msg "reference run: $*"
	t0=$(now)
	reference "$prefix-ref-$$" "$LOG_REF" "$@"
	REF=$RES
	msg "reference RESULT $REF in $(calc "$(now) - $t0") s"
	check_pid1 "$LOG_REF" "$pid_re"

	ct_run "$prefix-run-$$" "$LOG" "$@"
	wait_for "$LOG" "$wait_re" 300 ||
		die "no '$wait_re' in $LOG after 300 s"
	t0=$(now)
	checkpoint_kill "$prefix-run-$$" "$CT_PID" "$img"
	grep -q '^RESULT' "$LOG" &&
		die "the workload ended before the checkpoint: make it longer"
	msg "checkpointed after $(wc -l <"$LOG" | tr -d ' ') lines in $(calc "$(now) - $t0") s, image of $(wc -c <"$img" | tr -d ' ') bytes"

	t0=$(now)
	restart_wait "$img" "$prefix-rst-$$" 900
	msg "restarted run ended $(calc "$(now) - $t0") s after the restart"
	rm -f "$img"
	result_of "$LOG"
	[ "$RES" = "$REF" ] || die "RESULT after restart '$RES', reference '$REF'"
	check_pid1 "$LOG" "$pid_re"
}

# ---- Multi-task containers (same_tree, same_threads, many_tasks...) ----

# ct_tasks NAME: sets NPROCS and NTHREADS to the number of processes and
# of tasks (threads included) in container NAME's cgroup (0 if gone).
ct_tasks() {
	local d="$CT_CGROUP_ROOT/$1"
	NPROCS=0 NTHREADS=0
	[ -f "$d/cgroup.procs" ] || return 0
	NPROCS=$(wc -l <"$d/cgroup.procs" 2>/dev/null | tr -d ' ')
	NTHREADS=$(wc -l <"$d/cgroup.threads" 2>/dev/null | tr -d ' ')
	: "${NPROCS:=0}" "${NTHREADS:=0}"
}

# wait_tasks NAME PROCS THREADS TIMEOUT: waits until container NAME has
# exactly PROCS processes and THREADS tasks; fails after TIMEOUT seconds.
wait_tasks() {
	local deadline
	deadline=$(calc "$(now) + $4")
	while :; do
		ct_tasks "$1"
		[ "$NPROCS" = "$2" ] && [ "$NTHREADS" = "$3" ] && return 0
		holds "$(now) < $deadline" ||
			die "container $1 has $NPROCS processes and $NTHREADS tasks, expected $2 and $3"
		nap
	done
}

# restart_wait_bg IMAGE NAME TIMEOUT: like restart_wait, in the background
# (ckptctl restart --wait); restart_finish then checks its exit status.
restart_wait_bg() {
	CT_NAMES="$CT_NAMES $2"
	RST_OUT=$WORK/rst-$2.out
	RST_NAME=$2
	timeout -s KILL "$3" ckptctl restart -i "$1" --name "$2" --wait \
		>"$RST_OUT" 2>&1 &
	RST_PID=$!
}

restart_finish() {
	local rc
	wait "$RST_PID"
	rc=$?
	[ "$rc" = 0 ] || die "restarted $RST_NAME exited with $rc: $(cat "$RST_OUT")"
}

# same_result_tasks PREFIX WAIT_REGEX PID_REGEX PROCS THREADS CMD...:
# same_result for a workload of several tasks: the container must have
# exactly PROCS processes and THREADS tasks when the checkpoint is taken
# and again after the restart (counted in its cgroup), and, as in
# same_result, end with the reference's RESULT.  Also sets CKPT_SECS,
# RESTART_SECS and IMG_BYTES, and leaves the image in $IMG.  With
# EXPECT_RESULT set, there is no reference run: that is the RESULT.
same_result_tasks() {
	local prefix=$1 wait_re=$2 pid_re=$3 procs=$4 threads=$5 t0
	shift 5
	LOG_REF=$WORK/$prefix-ref.log
	LOG=$WORK/$prefix-ckpt.log
	IMG=$WORK/$prefix.img

	if [ -n "${EXPECT_RESULT:-}" ]; then
		REF=$EXPECT_RESULT
	else
		msg "reference run: $*"
		t0=$(now)
		reference "$prefix-ref-$$" "$LOG_REF" "$@"
		REF=$RES
		msg "reference RESULT $REF in $(calc "$(now) - $t0") s"
		check_pid1 "$LOG_REF" "$pid_re"
	fi

	t0=$(now)
	ct_run "$prefix-run-$$" "$LOG" "$@"
	wait_for "$LOG" "$wait_re" 300 ||
		die "no '$wait_re' in $LOG after 300 s"
	msg "'$wait_re' after $(calc "$(now) - $t0") s"
	wait_tasks "$prefix-run-$$" "$procs" "$threads" 30
	t0=$(now)
	checkpoint_kill "$prefix-run-$$" "$CT_PID" "$IMG"
	CKPT_SECS=$(calc "$(now) - $t0")
	IMG_BYTES=$(wc -c <"$IMG" | tr -d ' ')
	grep -q '^RESULT' "$LOG" &&
		die "the workload ended before the checkpoint: make it longer"
	msg "checkpointed $procs processes, $threads tasks after $(wc -l <"$LOG" | tr -d ' ') lines in $CKPT_SECS s, image of $IMG_BYTES bytes"

	t0=$(now)
	restart_wait_bg "$IMG" "$prefix-rst-$$" 900
	wait_tasks "$prefix-rst-$$" "$procs" "$threads" 120
	RESTART_SECS=$(calc "$(now) - $t0")
	msg "all $threads tasks back $RESTART_SECS s after the restart began"
	restart_finish
	msg "restarted run ended $(calc "$(now) - $t0") s after the restart"
	result_of "$LOG"
	[ "$RES" = "$REF" ] || die "RESULT after restart '$RES', reference '$REF'"
	check_pid1 "$LOG" "$pid_re"
	grep -q '^FAIL' "$LOG" && die "$LOG: $(grep '^FAIL' "$LOG" | head -3 | tr '\n' ';')"
	return 0
}
