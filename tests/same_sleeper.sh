#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# same_sleeper: sleeper is in one nanosleep() of S seconds when it is
# checkpointed (--kill), some seconds into it; the container stays dead a
# few seconds, then is restarted.  The restarted sleep must go on with the
# time it had left: not start over from S, not end at once, and not keep
# the old deadline either (the downtime would then be slept off).
#
# Usage: same_sleeper.sh [libc|raw]: glibc's nanosleep(), which is the
# clock_nanosleep(2) system call, or the nanosleep(2) system call itself.
#
# All times come from /proc/uptime, in the guest, around each step:
#
#   t0       before ckptctl run         (the sleep starts after t0)
#   t_seen   "SLEEPING" seen in the log (the sleep started before t_seen)
#   t_cb/ce  around ckptctl checkpoint  (it froze in between)
#   t_rb/re  around ckptctl restart     (the sleep resumed in between)
#   t_end    "RESULT" seen in the log   (it woke before t_end)
#
# so the time left at the checkpoint lies between S - (t_ce - t0) and
# S - (t_cb - t_seen), and the restarted sleeper must wake between
# t_rb + that minimum and t_re + that maximum (plus polling slack).
. "$(dirname "$0")/ckpt_lib.sh"
require

S=${SLEEPER_SECONDS:-20}
BEFORE=${SLEEPER_BEFORE:-8}	# seconds asleep before the checkpoint
DOWN=${SLEEPER_DOWN:-3}		# seconds dead between checkpoint and restart
SLACK=${SLEEPER_SLACK:-2}	# polling and wakeup latency allowed
MODE=${1:-${SLEEPER_MODE:-libc}}	# libc: clock_nanosleep(2); raw: nanosleep(2)
LOG=$WORK/sleeper.log
IMG=$WORK/sleeper.img

t0=$(now)
msg "sleeper $S s ($MODE), checkpoint after $BEFORE s, $DOWN s dead"
ct_run "sleeper-run-$$" "$LOG" "$TESTS_DIR/sleeper" "$S" "$MODE"
wait_for "$LOG" "^SLEEPING" 120 || die "no SLEEPING line after 120 s"
t_seen=$(now)
sleep "$BEFORE"
t_cb=$(now)
checkpoint_kill "sleeper-run-$$" "$CT_PID" "$IMG"
t_ce=$(now)
grep -q '^SLEPT\|^RESULT' "$LOG" && die "the sleeper woke before the checkpoint"
sleep "$DOWN"

t_rb=$(now)
restart_bg "$IMG" "sleeper-rst-$$"
t_re=$(now)
wait_for "$LOG" "^RESULT" $((S + 120)) || die "no RESULT $((S + 120)) s after the restart"
t_end=$(now)

left_min=$(calc "$S - ($t_ce - $t0)")
left_max=$(calc "$S - ($t_cb - $t_seen)")
woke_min=$(calc "$t_end - $t_re")	# at least this long after the restart
woke_max=$(calc "$t_end - $t_rb")	# at most this long (t_end is late)
msg "times: t0=$t0 seen=$t_seen ckpt=$t_cb..$t_ce restart=$t_rb..$t_re end=$t_end"
msg "time left at checkpoint: $left_min..$left_max s; woke $woke_min..$woke_max s after the restart"

# Discriminating by construction: starting over would take S.
holds "$left_max + $SLACK < $S" ||
	die "test mis-sized: $left_max s left + $SLACK s slack is not below $S s"
holds "$woke_min <= $left_max + $SLACK" ||
	die "woke $woke_min s after the restart, but only $left_max s were left (the sleep started over?)"
holds "$woke_max >= $left_min - 0.5" ||
	die "woke $woke_max s after the restart, but $left_min s were left (the sleep was cut short)"

result_of "$LOG"
[ "$RES" = OK ] || die "RESULT $RES"
check_pid1 "$LOG" "^SLEEPING \|^SLEPT "
pass "$(grep '^SLEPT' "$LOG")"
