#!/bin/sh
# The demo: a container keeps rewriting 16 MiB of memory and prints a line
# per round.  We checkpoint it mid-run with --kill, show the image, restart
# it from the image, and see it carry on from the round it was at and end
# with the same checksum as an uninterrupted run of the same program.
set -eu
W=/tests/memhog
ARGS="16 24 7 400"	# MiB, rounds, seed, pause (ms) between rounds
log=/tmp/demo.log ref=/tmp/reference.log img=/tmp/demo.img

say() { printf '\n\033[1mdemo:\033[0m %s\n' "$*"; }
step() { printf '\ndemo$ %s\n' "$*"; "$@"; }

say "an uninterrupted run, for reference (this takes ~15 s)"
step ckptctl run --wait --name reference --log "$ref" -- $W $ARGS
tail -n 1 "$ref"

say "the same program in a container, checkpointed and killed mid-run"
step ckptctl run --name demo --log "$log" -- $W $ARGS
sleep 5
step tail -n 3 "$log"
step ckptctl checkpoint -o "$img" --kill demo
before=$(grep -c '^round' "$log")
say "container killed after round $before; the image:"
ckptctl info "$img" | head -n 25
sleep 2
say "no more output while it is gone: still $(grep -c '^round' "$log") rounds"

say "restart from the image"
step ckptctl restart -i "$img" --name demo --wait || true
step tail -n 4 "$log"

# Same rounds, in order, no gap and no repeat; same result; still pid 1.
if grep '^round' "$log" | awk '{ if ($2 != NR - 1) exit 1 }' &&
   [ "$(tail -n 1 "$log")" = "$(tail -n 1 "$ref")" ] &&
   ! grep '^round' "$log" | grep -qv ' pid 1$'; then
	say "OK: it went on from round $before to the end as pid 1, and its $(tail -n 1 "$log") equals the uninterrupted run's"
else
	say "FAILED: the restarted run differs from the uninterrupted one"
	exit 1
fi
