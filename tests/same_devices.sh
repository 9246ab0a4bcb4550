#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# same_devices: a process holding /dev/null, zero, full, random, urandom
# and console open at fixed descriptors, with distinct status and
# descriptor flags (workloads/devices.c), checkpointed (--kill) and
# restarted: each descriptor is the same device with the same flags and
# works as it did, and the RESULT is the reference's.
. "$(dirname "$0")/ckpt_lib.sh"
require

same_result devices "^tick 3 pid" "^tick " "$TESTS_DIR/devices" 30 100
case $REF in OK\ *) ;; *) die "reference RESULT '$REF'" ;; esac
pass "RESULT $RES"
