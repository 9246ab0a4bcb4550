#!/bin/sh
# Benchmarks, run by /init for ckpt.mode=bench (make bench).
# Runs, with the images on the /tmp tmpfs, and prints their tables and their
# "BENCH key=value" (and "BENCH_TASKS ...") lines:
#   /tests/bench/ckpt_bench        (tests/bench/ckpt_bench.c): memory size
#   /tests/bench/ckpt_bench_tasks  (tests/bench/ckpt_bench_tasks.c): number
#                                  of processes and threads
# Kernel command line (commas for spaces):
#   ckpt.bench_args="..."        replaces ckpt_bench's default arguments
#                                (sizes in MiB, -r REPS), e.g. ckpt.bench_args=64,256
#   ckpt.bench_tasks_args="..."  replaces ckpt_bench_tasks's (pN tN, -r REPS,
#                                -k KIB), e.g. ckpt.bench_tasks_args=-r,1,p10,t16
#   ckpt.bench_only=mem|tasks    runs only one of the two
# Exit status: ckpt_bench's if not 0, else ckpt_bench_tasks's (3: the kernel
# refused the process trees or threads with EOPNOTSUPP).
B=/tests/bench/ckpt_bench
BT=/tests/bench/ckpt_bench_tasks
args='' targs='' only=''
for arg in $(cat /proc/cmdline); do
	case $arg in
	ckpt.bench_args=*) args=$(echo "${arg#ckpt.bench_args=}" | tr , ' ');;
	ckpt.bench_tasks_args=*) targs=$(echo "${arg#ckpt.bench_tasks_args=}" | tr , ' ');;
	ckpt.bench_only=*) only=${arg#ckpt.bench_only=};;
	esac
done

echo "# bench: kernel $(uname -r) $(uname -v), clocksource $(cat /sys/devices/system/clocksource/clocksource0/current_clocksource)"
echo "# bench: $(grep -c ^processor /proc/cpuinfo) CPU(s) online ($(cat /sys/devices/system/cpu/online)), $(grep MemTotal /proc/meminfo | tr -s ' ')," \
	"/tmp: $(df -m /tmp | awk 'NR==2 { print $2 " MiB " $1 }')"

status=0
if [ "$only" != tasks ]; then
	if [ ! -x "$B" ]; then
		echo "# bench: $B missing"
		status=1
	else
		echo "# bench: $B $args"
		# shellcheck disable=SC2086
		"$B" $args
		status=$?
		echo "# bench: ckpt_bench exited with $status"
	fi
fi

tstatus=0
if [ "$only" != mem ]; then
	if [ ! -x "$BT" ]; then
		echo "# bench: $BT missing"
		tstatus=1
	else
		echo
		echo "# bench: $BT $targs"
		# shellcheck disable=SC2086
		"$BT" $targs
		tstatus=$?
		case $tstatus in
		0) echo "# bench: ckpt_bench_tasks exited with 0" ;;
		3) echo "# bench: ckpt_bench_tasks exited with 3: this kernel refuses process trees or threads (EOPNOTSUPP), those rows are not measured" ;;
		*) echo "# bench: ckpt_bench_tasks exited with $tstatus" ;;
		esac
	fi
fi

[ "$status" = 0 ] && status=$tstatus
exit "$status"
