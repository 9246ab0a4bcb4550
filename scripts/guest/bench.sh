#!/bin/sh
# Benchmarks, run by /init for ckpt.mode=bench (make bench).
# Runs /tests/bench/ckpt_bench (tests/bench/ckpt_bench.c) with the image on
# the /tmp tmpfs and prints its table and its "BENCH key=value" lines.
# Kernel command line: ckpt.bench_args="..." replaces the default arguments
# (sizes in MiB, -r REPS), e.g. ckpt.bench_args=64,256 (commas for spaces).
B=/tests/bench/ckpt_bench
args=
for arg in $(cat /proc/cmdline); do
	case $arg in ckpt.bench_args=*) args=$(echo "${arg#ckpt.bench_args=}" | tr , ' ');; esac
done

echo "# bench: kernel $(uname -r) $(uname -v), clocksource $(cat /sys/devices/system/clocksource/clocksource0/current_clocksource)"
echo "# bench: $(grep -c ^processor /proc/cpuinfo) CPU(s) online ($(cat /sys/devices/system/cpu/online)), $(grep MemTotal /proc/meminfo | tr -s ' ')," \
	"/tmp: $(df -m /tmp | awk 'NR==2 { print $2 " MiB " $1 }')"
if [ ! -x "$B" ]; then
	echo "# bench: $B missing"
	exit 1
fi
echo "# bench: $B $args"
# shellcheck disable=SC2086
"$B" $args
status=$?
echo "# bench: ckpt_bench exited with $status"
exit $status
