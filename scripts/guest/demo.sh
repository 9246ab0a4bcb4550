#!/bin/sh
# Demo (placeholder; the ckptctl owners refine it): a container prints a
# counter to its log; we checkpoint it with --kill, restart it from the image,
# and the log carries on from where it stopped.
set -eu
if ! command -v ckptctl >/dev/null; then
	echo "demo: ckptctl is not built yet; nothing to show"
	exit 0
fi
cd /tmp
log=/tmp/counter.log img=/tmp/counter.img

step() { echo; echo "demo\$ $*"; "$@"; }

step ckptctl run --name counter --log "$log" -- \
	sh -c 'i=0; while :; do i=$((i + 1)); echo "count $i"; sleep 1; done'
sleep 4
step cat "$log"
step ckptctl checkpoint -o "$img" --kill counter
lines=$(wc -l < "$log")
before=$(tail -n 1 "$log" | cut -d' ' -f2)
step ckptctl info "$img"
sleep 2
echo "demo: container killed; its log still ends at count $before"
step ckptctl restart -i "$img" --name counter
sleep 4
step cat "$log"
after=$(tail -n 1 "$log" | cut -d' ' -f2)
next=$(sed -n "$((lines + 1))p" "$log")
if [ "$next" = "count $((before + 1))" ] && [ "$after" -gt "$before" ]; then
	echo "demo: OK: the counter went on from $before to $after after restart"
else
	echo "demo: FAILED: counter at $before before, $after after restart"
	exit 1
fi
