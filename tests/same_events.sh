#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# same_events: an epoll loop over an eventfd in semaphore mode, a signalfd
# with queued signals, a periodic timerfd whose expirations are never read
# until the end, a pipe and a nested epoll (workloads/events.c), whose
# counter, signals, bytes and expirations pile up.  Checkpointed (--kill)
# at tick 30 of 100 and restarted, every tick must see the same epoll
# reports (level, edge-triggered and one-shot watches, the inner epoll
# through the outer one), the same eventfd, signalfd and pipe reads, and
# at the end the same piles, as the reference run: same RESULT.  The
# timerfd's one read must count the container's time since it was set
# (within 10% + 5 periods): a timer lost, set again from zero or whose
# expirations were lost fails the workload.
. "$(dirname "$0")/ckpt_lib.sh"
require

TICKS=${EVENTS_TICKS:-100}
TICK_MS=${EVENTS_TICK_MS:-100}
AT=${EVENTS_AT:-30}

same_result events "^tick $AT pid" "^tick \|^ready " "$TESTS_DIR/events" \
	"$TICKS" "$TICK_MS"
case $REF in OK\ *) ;; *) die "reference RESULT '$REF'" ;; esac
check_sequence "$LOG" tick 1 "$TICKS"
[ "$(grep -c '^ready ' "$LOG")" = 1 ] || die "the workload started over"
msg "reference: $(grep '^timer ' "$LOG_REF"); restarted: $(grep '^timer ' "$LOG")"
pass "RESULT $RES"
