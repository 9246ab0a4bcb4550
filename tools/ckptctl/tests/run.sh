#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Tests of ckptctl that need no ckpt kernel.
#
#   run.sh CKPTCTL BINDIR
#
# BINDIR holds mkimage, imgedit and xxh64sum (built by the Makefile here).
# The container tests need root and a cgroup2 hierarchy; they work in a
# scratch cgroup and a scratch run directory, and remove both.
# Ends with "N passed, N failed, N skipped"; exits 1 if any failed.

CKPTCTL=${1:?usage: run.sh CKPTCTL BINDIR}
BIN=${2:?usage: run.sh CKPTCTL BINDIR}
T=$(mktemp -d /tmp/ckptctl-test.XXXXXX) || exit 1
pass=0 fail=0 skip=0

cleanup() {
	[ -n "$SCRATCH_CG" ] && scratch_cgroup_remove
	rm -rf "$T"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

ok()   { pass=$((pass + 1)); echo "ok - $1"; }
nok()  { fail=$((fail + 1)); echo "not ok - $1"; [ -s "$T/err" ] && sed 's/^/#   /' "$T/err" | head -5; }
skip() { skip=$((skip + 1)); echo "ok - $1 # SKIP $2"; }

# expect EXIT NAME CMD...: run CMD (stdout in $T/out, stderr in $T/err).
expect() {
	want=$1 name=$2
	shift 2
	"$@" >"$T/out" 2>"$T/err"
	got=$?
	if [ "$got" = "$want" ]; then ok "$name"; else nok "$name: exit $got, want $want"; fi
}

# grep_ok NAME FILE PATTERN
grep_ok() {
	if grep -q -- "$3" "$2"; then ok "$1"; else nok "$1: no '$3' in $(basename "$2")"; fi
}

size_of() { wc -c <"$1" | tr -d ' '; }

# ---- xxh64 against the reference xxhsum ----

xxh64_tests() {
	if ! command -v xxhsum >/dev/null; then
		skip "xxh64 matches xxhsum" "no xxhsum (apt-get install xxhash)"
		return
	fi
	head -c 1100000 /dev/urandom >"$T/rand"
	bad=""
	for n in 0 1 3 4 7 8 9 15 16 31 32 33 63 64 65 100 1000 4096 65537 1100000; do
		head -c "$n" "$T/rand" >"$T/part"
		want=$(xxhsum -H1 <"$T/part" | cut -d' ' -f1)
		got=$("$BIN/xxh64sum" <"$T/part")
		[ "$want" = "$got" ] || bad="$bad $n"
	done
	if [ -z "$bad" ]; then ok "xxh64 matches xxhsum on 20 lengths"; else nok "xxh64 differs from xxhsum at lengths:$bad"; fi
}

# ---- the decoder on valid images ----

valid_tests() {
	"$BIN/mkimage" "$T/a.img" || { nok "mkimage"; return; }
	expect 0 "info on a valid image" "$CKPTCTL" info "$T/a.img"
	grep_ok "info says the checksum verifies" "$T/out" "^checksum: ok"
	grep_ok "info shows an open file with a space in its path" "$T/out" "^    file 5: reg rdwr,largefile pos 4096 /tmp/data file (ino 7 size 4096)\$"
	grep_ok "info shows an fd and its open file" "$T/out" "^    fd 5   file 5, cloexec\$"
	grep_ok "info shows the vdso" "$T/out" "r-xp vdso"
	grep_ok "info shows a dup'ed fd" "$T/out" "^    fd 6   file 5, cloexec\$"
	grep_ok "info shows a new file table" "$T/out" "^  files:   table 1, 9 descriptors\$"
	grep_ok "info shows a table shared by a process" "$T/out" "^  files:   table 2, saved before (shared)\$"
	grep_ok "info shows a pipe with data and a packet" "$T/out" "^    pipe 1: size 65536, 8 bytes buffered in 2 buffers, 1 packet\$"
	grep_ok "info shows a pipe's read end" "$T/out" "^    file 3: pipe rdonly, read end of pipe 1\$"
	grep_ok "info shows a pipe's write end" "$T/out" "^    file 4: pipe wronly,nonblock, write end of pipe 1\$"
	grep_ok "info shows an open directory" "$T/out" "^    file 6: dir rdonly pos 0 /tmp "
	grep_ok "info shows an open memfd" "$T/out" "^    file 7: shmem rdwr,largefile pos 10, shmem 0\$"
	grep_ok "info shows an inherited open file" "$T/out" "^    fd 3   file 3\$"
	grep_ok "info counts files and pipes" "$T/out" "file tables 3, fds 13, open files 8, pipes 2 (8 bytes buffered, 1 packets)"
	grep_ok "info counts the tree" "$T/out" "^tree: 6 tasks: 4 processes, 2 threads, 1 zombie"
	grep_ok "info draws init at the root" "$T/out" "^ *1 *1 *0 *1 *1  live .*subreaper,session_leader *1\$"
	grep_ok "info draws a grandchild two levels down" "$T/out" "SIGUSR2 .*-      *\\\\_ 9\$"
	grep_ok "info draws a thread under its leader" "$T/out" "share_fs .*\\\\_ {6} thread of 5\$"
	grep_ok "info shows the zombie's exit status" "$T/out" "zombie: exit 3 .*<defunct>"
	grep_ok "info shows a thread's section" "$T/out" "^thread 6 (tgid 5) \"worker-thr\", fs of its leader\$"
	grep_ok "info shows a message queue" "$T/out" "^  MSQ record, 88 bytes:"
	grep_ok "info shows a message" "$T/out" "^      type 7, 11 bytes"
	grep_ok "info shows a semaphore set" "$T/out" "^    2 semaphores; ctime 0; values 3 0"
	grep_ok "info shows SEM_UNDO adjustments" "$T/out" "^    semaphore set id 65536, 2 adjustments: 1 0"
	grep_ok "info shows a POSIX timer with its pending signal" "$T/out" "^    id 2: clock monotonic, notify thread_id (tid 1) SIG36, sigval 0xd0d; in 0.150000000s, every 0.200000000s; overrun 0, pending with si_overrun 4\$"
	grep_ok "info shows an absolute POSIX timer" "$T/out" "^    id 1: clock realtime, notify signal SIG35, sigval 0xb0b; at 2023-11-14T22:13:25.000000000Z, one-shot; overrun 0\$"
	grep_ok "info shows a SIGEV_NONE POSIX timer" "$T/out" "^    id 0: clock boottime, notify none, sigval 0x0; in 3.000000000s, one-shot; overrun 3\$"
	grep_ok "info shows a POSIX timer signalling a thread" "$T/out" "notify thread_id (tid 6) SIGUSR1"
	grep_ok "info shows the memfd" "$T/out" "shmem 0: memfd \"shm-buf\", seals seal,shrink, 12388 bytes, 2 pages saved"
	grep_ok "info shows shared memory pages by offset" "$T/out" "pages at offset 0x3000: 1 "
	grep_ok "info shows a shared mapping" "$T/out" "rw-s shmem .* shmem 0\$"
	grep_ok "info shows interval timers" "$T/out" "itimers: real 1.500000000s"
	grep_ok "info shows the container's clocks" "$T/out" "^  clocks:    monotonic 123.456789012s, boottime 130.000000001s "

	cat "$T/a.img" | "$CKPTCTL" info - >"$T/out" 2>"$T/err"
	if [ $? = 0 ] && grep -q "^checksum: ok" "$T/out"; then ok "info reads a pipe"; else nok "info reads a pipe"; fi

	expect 0 "info --json" "$CKPTCTL" info --json "$T/a.img"
	cp "$T/out" "$T/a.json"
	if command -v python3 >/dev/null; then
		if python3 - "$T/a.json" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
assert d["valid"] is True and d["checksum_ok"] is True
assert d["header"]["version"] == 6 and d["header"]["page_size"] == 4096
assert d["container"]["hostname"] == "c1"
assert d["container"]["monotonic_ns"] == 123456789012 and d["container"]["boottime_ns"] == 130000000001
assert d["container"]["nr_ipc"] == 3 and d["container"]["nr_shmem"] == 1
assert [e["pid"] for e in d["tree"]] == [1, 5, 6, 8, 7, 9]
z = d["tree"][4]
assert z["state"] == "zombie" and z["exit_code"] == 0x300 and z["exit"] == "exit 3"
assert d["tree"][2]["thread"] and d["tree"][2]["flag_names"] == ["share_fs"]
assert [r["type"] for r in d["ipc"]] == ["SHM", "PAGES", "MSQ", "MSG", "MSG", "SEM"]
assert d["ipc"][0]["decoded"] is True and d["ipc"][0]["length"] == 96
assert d["ipc"][0]["size"] == 8192 and d["ipc"][0]["key"] == "0x1234"
assert d["ipc"][5]["values"] == [3, 0]
s = d["shmem"][0]
assert s["memfd"] and s["name"] == "shm-buf" and [p["offset"] for p in s["pages"]] == ["0x0", "0x3000"]
assert [t["pid"] for t in d["tasks"]] == [1, 5, 6, 8, 9]
t = d["tasks"][0]
assert t["pid"] == 1 and t["comm"] == "sleeper"
assert [v["kind"] for v in t["mm"]["vmas"]] == ["file", "file", "anon", "shmem", "vvar", "vdso", "anon"]
assert t["mm"]["vmas"][3]["shmem"] == 0
f = t["files"]
assert f["table"] == 1 and f["nr_fds"] == 9 and not f["saved_before"]
assert [e["fd"] for e in f["fds"]] == [0, 1, 2, 3, 4, 5, 6, 7, 9]
assert [e["file"] for e in f["fds"]] == [1, 2, 2, 3, 4, 5, 5, 6, 7]
assert [e["cloexec"] for e in f["fds"]] == [False] * 4 + [True] * 3 + [False] * 2
assert [e["new_file"]["id"] for e in f["fds"] if "new_file" in e] == [1, 2, 3, 4, 5, 6, 7]
assert [e["new_file"]["kind"] for e in f["fds"] if "new_file" in e] == ["chr", "reg", "pipe", "pipe", "reg", "dir", "shmem"]
p = f["fds"][3]["new_pipe"]
assert p["id"] == 1 and p["size"] == 65536 and p["bytes"] == 8 and p["packets"] == 1
assert [(b["len"], b["packet"]) for b in p["bufs"]] == [(5, False), (3, True)]
assert f["fds"][3]["new_file"]["obj"] == 1 and f["fds"][4]["new_file"]["obj"] == 1
assert f["fds"][4]["new_file"]["flag_names"] == ["wronly", "nonblock"]
assert f["fds"][8]["new_file"]["pos"] == 10 and f["fds"][8]["new_file"]["obj"] == 0
w = d["tasks"][1]["files"]
assert w["table"] == 2 and [e["file"] for e in w["fds"]] == [1, 3, 8]
assert w["fds"][2]["new_pipe"]["id"] == 2 and w["fds"][2]["new_pipe"]["bufs"] == []
assert t["signals"]["pending"][0]["name"] == "SIGUSR1"
assert t["cpu"]["restart"] == "nanosleep"
assert t["itimers"]["prof"]["interval_ns"] == 20000000
assert [r["id"] for r in t["posix_timers"]] == [2, 1, 0]
pt = t["posix_timers"][0]
assert pt["type"] == "POSIX_TIMER" and pt["decoded"] is True and pt["length"] == 64
assert pt["clock"] == "monotonic" and pt["clockid"] == 1
assert pt["notify_name"] == "thread_id" and pt["tid"] == 1
assert pt["signal"] == 36 and pt["sigval"] == "0xd0d" and pt["pending"] is True
assert pt["value_ns"] == 150000000 and pt["interval_ns"] == 200000000
assert pt["overrun"] == 4 and pt["overrun_last"] == 0
pt = t["posix_timers"][1]
assert pt["abstime"] is True and pt["value_ns"] == 1700000005000000000 and pt["clock"] == "realtime"
pt = t["posix_timers"][2]
assert pt["notify_name"] == "none" and pt["signal_name"] == "" and pt["overrun_last"] == 3
assert [r["tid"] for r in d["tasks"][1]["posix_timers"]] == [6]
assert d["tasks"][4]["posix_timers"] == []
assert [r["type"] for r in t["sem_undo"]] == ["SEM_UNDO"]
assert t["sem_undo"][0]["semid"] == 65536 and t["sem_undo"][0]["adjustments"] == [1, 0]
th = d["tasks"][2]
assert th["thread"] and th["files"] == {"table": 2, "nr_fds": 0, "saved_before": True}
assert "mm" not in th and "fs" not in th
assert th["signals"]["pending"][0]["shared"] is False
assert d["tasks"][3]["files"]["table"] == 3 and "fs" not in d["tasks"][3]
assert d["tasks"][4]["files"] == {"table": 2, "nr_fds": 0, "saved_before": True}
assert d["totals"]["tasks"] == 6 and d["totals"]["zombies"] == 1 and d["totals"]["sections"] == 5
assert d["totals"]["pages"] == 15 and d["totals"]["page_bytes"] == 15 * 4096
assert d["totals"]["file_tables"] == 3 and d["totals"]["fds"] == 13 and d["totals"]["files"] == 8
assert d["totals"]["pipes"] == 2 and d["totals"]["pipe_bytes"] == 8 and d["totals"]["packets"] == 1
PY
		then ok "info --json is valid JSON with the expected content"
		else nok "info --json is valid JSON with the expected content"; fi
	else
		skip "info --json is valid JSON" "no python3"
	fi

	# The trailer's checksum, recomputed by a reference implementation.
	if command -v xxhsum >/dev/null; then
		n=$(($(size_of "$T/a.img") - 24))
		want=$(head -c "$n" "$T/a.img" | xxhsum -H1 | cut -d' ' -f1)
		if grep -q "\"csum\": \"0x0*${want#"${want%%[!0]*}"}\"" "$T/a.json"; then
			ok "trailer checksum equals xxhsum of the image"
		else
			nok "trailer checksum equals xxhsum of the image"
		fi
	fi

	"$BIN/mkimage" -p 3000 -g 65536 "$T/big.img"
	expect 0 "info on a 12 MB image with 65536 groups" "$CKPTCTL" info "$T/big.img"
	grep_ok "info counts 3012 pages" "$T/out" "pages 3012 "
	"$BIN/mkimage" -p 0 -g 0 "$T/small.img"
	expect 0 "info on an image without heap nor groups" "$CKPTCTL" info --json "$T/small.img"
	"$BIN/mkimage" -1 "$T/one.img"
	expect 0 "info on a single-task image" "$CKPTCTL" info "$T/one.img"
	grep_ok "single task: a tree of one" "$T/out" "^tree: 1 task: 1 process, 0 threads, 0 zombies"
	grep_ok "single task: its table without the memfd" "$T/out" "^  files:   table 1, 8 descriptors\$"
	grep_ok "single task: one pipe, both ends" "$T/out" "file tables 1, fds 8, open files 6, pipes 1 (8 bytes buffered, 1 packets)"
	"$BIN/mkimage" -x full-page "$T/page.img"
	expect 0 "info on a pipe buffer of a whole page" "$CKPTCTL" info "$T/page.img"
	grep_ok "a one-page pipe, full" "$T/out" "^    pipe 2: size 4096, 4096 bytes buffered in 1 buffer, 0 packets\$"
	"$BIN/mkimage" -x unix "$T/unix.img"
	expect 0 "info on a unix socket pair (UNIX 37, UNIX_SKB 38)" "$CKPTCTL" info "$T/unix.img"
	grep_ok "unix: the socket and its queue" "$T/out" "^    unix socket 1: stream, peer 2, 2 messages queued,"
	grep_ok "unix: the closed peer" "$T/out" "^    unix socket 2: stream, peer 1 (closed), 0 messages queued,"
	grep_ok "unix: its open file (kind 11)" "$T/out" "^    file 8: unix rdwr,nonblock, unix socket 1\$"
	listen_tests
	dgram_tests
	inotify_tests
	tty_tests
	unlinked_tests
	mount_info_tests
	clock_tests
}

# Listening sockets and their connections, names (format 5): see mkimage's
# -x listen.
listen_tests() {
	"$BIN/mkimage" -x listen "$T/listen.img"
	expect 0 "info on listening unix sockets and their connections" "$CKPTCTL" info "$T/listen.img"
	grep_ok "listen: a listening socket bound to a path" "$T/out" "^    unix socket 1: stream, listening, backlog 16, 2 connections, name /run/srv.sock (mode 0755, ino 4242), 0 messages queued,"
	grep_ok "listen: an accepted connection" "$T/out" "^    unix socket 2: stream, peer 3, accepted on socket 1, 1 message queued,"
	grep_ok "listen: its client" "$T/out" "^    unix socket 3: stream, peer 2, 1 message queued,"
	grep_ok "listen: a pending connection" "$T/out" "^    unix socket 4: stream, peer 5, pending on socket 1, 1 message queued,"
	grep_ok "listen: an autobound listening socket" "$T/out" "^    unix socket 6: seqpacket, listening, backlog 0, 1 connection, 0 messages queued, .* autobind\$"
	grep_ok "listen: its pending connection" "$T/out" "^    unix socket 7: seqpacket, peer 8, pending on socket 6,"
	grep_ok "listen: an abstract name, escaped" "$T/out" "^    unix socket 8: seqpacket, peer 7, name @cli\\\\x01ent, 0 messages"
	grep_ok "listen: a datagram socket bound to a path" "$T/out" "^    unix socket 9: dgram, name /run/dg.sock (mode 0600, ino 77), 0 messages"
	grep_ok "listen: the pending client's open file" "$T/out" "^    file 11: unix rdwr, unix socket 5\$"
	grep_ok "listen: counts the sockets" "$T/out" "unix sockets 11 (4 messages, 19 bytes)"
	expect 0 "info --json on listening unix sockets" "$CKPTCTL" info --json "$T/listen.img"
	if ! command -v python3 >/dev/null; then
		skip "listen: JSON lists" "no python3"
	elif python3 - "$T/out" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
fds = [t for t in d["tasks"] if t["pid"] == 5][0]["files"]["fds"]
g = [(e["fd"], e["new_unix"]) for e in fds if "new_unix" in e]
assert [(fd, [u["id"] for u in l]) for fd, l in g] == [(4, [1, 2, 3, 4, 5]), (8, [6, 7, 8]), (10, [9]), (11, [10, 11])]
l = g[0][1]
assert l[0]["listening"] and l[0]["backlog"] == 16 and l[0]["nr_conns"] == 2
assert l[0]["name"] == "/run/srv.sock" and not l[0]["abstract"] and l[0]["mode"] == 0o755 and l[0]["ino"] == 4242
assert [(u["listener"], u["pending"]) for u in l[1:]] == [(1, False), (0, False), (1, True), (0, False)]
assert g[1][1][0]["options"] == ["autobind"] and g[1][1][0]["name"] == ""
assert g[1][1][2]["name"] == "@cli\\x01ent" and g[1][1][2]["abstract"]
assert g[2][1][0]["type"] == "dgram" and g[2][1][0]["name"] == "/run/dg.sock"
PY
	then ok "listen: JSON keeps a listening socket and its connections in one list"
	else nok "listen: JSON keeps a listening socket and its connections in one list"; fi
}

# A group of datagram sockets (UNIX_GROUP 48, format 6): see mkimage's
# -x dgram.
dgram_tests() {
	"$BIN/mkimage" -x dgram "$T/dgram.img"
	expect 0 "info on a group of datagram sockets (UNIX_GROUP 48)" "$CKPTCTL" info "$T/dgram.img"
	grep_ok "dgram: the group" "$T/out" "^    unix group of 5 sockets, 1 to 5\$"
	grep_ok "dgram: the server" "$T/out" "^    unix socket 1: dgram, name /run/log.sock (mode 0666, ino 99), 4 messages queued,"
	grep_ok "dgram: a named client connected one way" "$T/out" "^    unix socket 2: dgram, connected one way to socket 1, name @cli, 1 message queued,"
	grep_ok "dgram: an autobound client connected one way" "$T/out" "^    unix socket 3: dgram, connected one way to socket 1, 1 message queued, .* autobind\$"
	grep_ok "dgram: a closed sender" "$T/out" "^    unix socket 4: dgram (closed), name @gone, 0 messages queued,"
	grep_ok "dgram: an unnamed sender" "$T/out" "^    unix socket 5: dgram, 0 messages queued,"
	grep_ok "dgram: a message with its sender and credentials" "$T/out" "^      message to socket 1 from socket 2: 7 bytes, credentials pid 5 uid 1000 gid 1000\$"
	grep_ok "dgram: a message from the closed socket" "$T/out" "^      message to socket 1 from socket 4: 7 bytes\$"
	grep_ok "dgram: an empty datagram" "$T/out" "^      message to socket 1 from socket 5: 0 bytes\$"
	grep_ok "dgram: a reply by name" "$T/out" "^      message to socket 3 from socket 1: 4 bytes\$"
	grep_ok "dgram: the group's FILE after its messages" "$T/out" "^    file 8: unix rdwr, unix socket 1\$"
	grep_ok "dgram: a pair after the group" "$T/out" "^    unix socket 7: dgram, peer 6, 1 message queued,"
	if grep -q "message to socket 7" "$T/out"; then nok "dgram: a pair's message has no sender to show"; else ok "dgram: a pair's message has no sender to show"; fi
	grep_ok "dgram: counts" "$T/out" "unix sockets 7 (7 messages, 32 bytes)"
	grep_ok "dgram: checksum" "$T/out" "^checksum: ok"
	expect 0 "info --json on a group of datagram sockets" "$CKPTCTL" info --json "$T/dgram.img"
	if ! command -v python3 >/dev/null; then
		skip "dgram: JSON group" "no python3"
	elif python3 - "$T/out" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
fds = [t for t in d["tasks"] if t["pid"] == 5][0]["files"]["fds"]
g = [(e["fd"], e["new_unix_group"]) for e in fds if "new_unix_group" in e]
assert len(g) == 1 and g[0][0] == 4
g = g[0][1]
assert g["first"] == 1 and g["nr_socks"] == 5
s = g["sockets"]
assert [(u["id"], u["peer"], u["oneway"], u["closed"]) for u in s] == [(1, 0, False, False), (2, 1, True, False), (3, 1, True, False), (4, 0, False, True), (5, 0, False, False)]
assert s[1]["name"] == "@cli" and s[1]["abstract"] and s[2]["options"] == ["autobind"]
m = g["messages"]
assert [(x["to"], x["from"], x["bytes"]) for x in m] == [(1, 2, 7), (1, 3, 7), (1, 4, 7), (1, 5, 0), (2, 1, 3), (3, 1, 4)]
assert m[0]["creds"] and m[0]["pid"] == 5 and m[0]["uid"] == 1000 and not m[1]["creds"]
p = [e["new_unix"] for e in fds if "new_unix" in e]
assert [[u["id"] for u in l] for l in p] == [[6, 7]] and not p[0][0]["oneway"]
PY
	then ok "dgram: JSON keeps a group's sockets and messages in its object"
	else nok "dgram: JSON keeps a group's sockets and messages in its object"; fi
}

# A pty (TTY 39, TTY_BUF 40, CTTY 41): printed, and each field checked.
tty_tests() {
	"$BIN/mkimage" -x tty "$T/tty.img"
	expect 0 "info on a pty (TTY 39, TTY_BUF 40, CTTY 41)" "$CKPTCTL" info "$T/tty.img"
	grep_ok "tty: the pty" "$T/out" "^    pty 1: /dev/pts/3 (0:5 0620) through /dev/ptmx, 24x80, iflag 00 "
	grep_ok "tty: the master's input" "$T/out" "^      master input: 5 bytes\$"
	grep_ok "tty: the slave's line and a half" "$T/out" "^      slave input: 5 bytes, canonical, 1 line and a line being edited\$"
	grep_ok "tty: init's terminal" "$T/out" "^  controlling terminal: pty 1 (session leader, foreground group 1)\$"
	grep_ok "tty: the worker's terminal" "$T/out" "^  controlling terminal: pty 1\$"
	grep_ok "tty: the master's open file (kind 12)" "$T/out" "^    file 8: tty rdwr master of pty 1\$"
	grep_ok "tty: the totals" "$T/out" "^ptys:    1 (10 bytes of input held)\$"
	expect 0 "info --json on a pty" "$CKPTCTL" info --json "$T/tty.img"
	if command -v python3 >/dev/null; then
		if python3 - "$T/out" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
s = json.dumps(d)
assert '"new_tty"' in s and '"ctty"' in s, "no new_tty or ctty"
assert d["totals"]["ttys"] == 1 and d["totals"]["tty_bytes"] == 10
PY
		then ok "info --json on a pty is valid JSON with new_tty and ctty"
		else nok "info --json on a pty is valid JSON with new_tty and ctty"; fi
	fi
	while IFS='|' read -r name where value reason; do
		cp "$T/tty.img" "$T/e.img" && "$BIN/imgedit" "$T/e.img" "$where" "$value" ||
			{ nok "$name: cannot edit $where"; continue; }
		damaged "$name" 3 "$reason" "$T/e.img"
	done <<'EOF_TTY'
TTY id out of order|rec:39:0:0|u32:2|TTY id 2 out of order: the next pty is 1
TTY index past devpts|rec:39:0:4|u32:0x100000|pty 1: bad index 1048576
TTY unknown flags|rec:39:0:8|u32:0x10|pty 1: bad index 3 or flags 0x10
TTY mode beyond 07777|rec:39:0:20|u32:0x1000|pty 1: bad mode 010000, owner 0 or group 5
TTY owner -1|rec:39:0:24|u32:0xffffffff|pty 1: bad mode 0620, owner 4294967295
TTY packet status without packet mode|rec:39:0:12|u32:1|pty 1: packet status 0x1 without packet mode
TTY another line discipline|rec:39:0:64|u32:1|pty 1: a line discipline other than N_TTY
TTY_BUF of another pty|rec:40:0:0|u32:2|TTY_BUF of pty 2 end 0, expected pty 1 end 0
TTY_BUF of the wrong end|rec:40:0:4|u32:1|TTY_BUF of pty 1 end 1, expected pty 1 end 0
TTY_BUF longer than its data|rec:40:1:8|u32:6|TTY_BUF record length
TTY_BUF too long|rec:40:1:8|u32:4096|pty 1: 4096 bytes (at most 4095)
TTY_BUF canonical master|rec:40:0:12|u32:1|pty 1: canonical input for a raw end
CTTY of no pty|rec:41:0:0|u32:2|CTTY of pid 1: pty 2 (1 so far)
CTTY unknown flags|rec:41:0:4|u32:3|CTTY of pid 1: pty 1 (1 so far), flags 0x3
CTTY of a leader without a group|rec:41:0:8|u32:0|CTTY of pid 1: pty 1 (1 so far), flags 0x1, group 0
CTTY of a process with a group|rec:41:1:8|u32:5|CTTY of pid 5: pty 1 (1 so far), flags 0x0, group 5
CTTY leader flag on a process that does not lead|rec:41:1:4|u32:1|CTTY of pid 5: pty 1 (1 so far), flags 0x1, group 0
FILE of a pty not defined|rec:10:7:52|u32:2|file 8: pty 2, not defined before
FILE of a console as a pty master|rec:10:7:48|u32:0x500001|file 8: no path for a file opened by path
EOF_TTY
}

# A file with no name (UNLINKED 47 and its PAGES, FILE kind 14): printed,
# and each field checked.
unlinked_tests() {
	"$BIN/mkimage" -x unlinked "$T/unl.img"
	expect 0 "info on a file with no name (UNLINKED 47)" "$CKPTCTL" info "$T/unl.img"
	grep_ok "unlinked: the file" "$T/out" "^    unlinked 1 in /data: mode 640 uid 1000 gid 100, 9000 bytes, 2 pages, linkable\$"
	grep_ok "unlinked: its open file (kind 14)" "$T/out" "^    file 8: unlinked rdwr pos 100, unlinked file 1\$"
	grep_ok "unlinked: the totals" "$T/out" "^unlinked files: 1\$"
	expect 0 "info --json on a file with no name" "$CKPTCTL" info --json "$T/unl.img"
	if command -v python3 >/dev/null; then
		if python3 - "$T/out" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
s = json.dumps(d)
assert '"new_unlinked"' in s and '"linkable": true' in s, "no new_unlinked"
assert '"dir": "/data"' in s and '"nr_pages": 2' in s
assert d["totals"]["unlinked"] == 1
PY
		then ok "info --json on a file with no name is valid JSON with new_unlinked"
		else nok "info --json on a file with no name is valid JSON with new_unlinked"; fi
	fi
	while IFS='|' read -r name where value reason; do
		cp "$T/unl.img" "$T/e.img" && "$BIN/imgedit" "$T/e.img" "$where" "$value" ||
			{ nok "$name: cannot edit $where"; continue; }
		damaged "$name" 3 "$reason" "$T/e.img"
	done <<'EOF_UNL'
UNLINKED id out of order|rec:47:0:0|u32:2|UNLINKED id 2 out of order: the next is 1
UNLINKED unknown flags|rec:47:0:4|u32:2|unlinked file 1: unknown flags 0x2
UNLINKED a directory|rec:47:0:8|u32:0x41ed|unlinked file 1: mode 040755 is not a regular file's
UNLINKED mode beyond 07777|rec:47:0:8|u32:0x91a0|unlinked file 1: mode 0110640 is not a regular file's
UNLINKED no path|rec:47:0:20|u32:0|bad path length 0
UNLINKED relative path|rec:47:0:56|u32:0x74616461|directory: path is not absolute
UNLINKED size below its pages|rec:47:0:24|u32:4096|unlinked file 1: 2 saved pages do not fit in 4096 bytes
UNLINKED more pages than said|rec:47:0:32|u32:1|a UNLINKED record not followed by a FILE record (found PAGES)
UNLINKED fewer pages than said|rec:47:0:32|u32:3|expected a PAGES record, found FILE
FILE of an unlinked file not defined|rec:10:7:52|u32:2|file 8: UNLINKED file 2, not defined before (1 so far)
FILE of an unlinked file with an inode|rec:10:7:24|u32:5|file 8: inode, size, mtime or device set for a file with no name
EOF_UNL
	# Over CKPT_UNLINKED_DATA_MAX: 16385 pages, in a file big enough.
	cp "$T/unl.img" "$T/e.img" && "$BIN/imgedit" "$T/e.img" rec:47:0:28 u32:1 &&
		"$BIN/imgedit" "$T/e.img" rec:47:0:32 u32:16385 ||
		nok "UNLINKED over the limit: cannot edit"
	damaged "UNLINKED over the limit" 3 "unlinked file 1: more than 67108864 bytes of data (CKPT_UNLINKED_DATA_MAX)" "$T/e.img"
}

# An inotify instance (INOTIFY 44, INOTIFY_WATCH 45, INOTIFY_EVENT 46):
# printed, and each field checked.
inotify_tests() {
	"$BIN/mkimage" -x inotify "$T/inotify.img"
	expect 0 "info on an inotify instance (INOTIFY 44, _WATCH 45, _EVENT 46)" "$CKPTCTL" info "$T/inotify.img"
	grep_ok "inotify: its open file (kind 13)" "$T/out" "^    file 8: inotify rdonly,nonblock"
	grep_ok "inotify: the instance" "$T/out" "^      inotify 3 watches, 6 events queued, next wd 5\$"
	grep_ok "inotify: a one-shot watch" "$T/out" "^        watch wd 2 mask 0x80000002 /tmp/d/f\$"
	grep_ok "inotify: a watch with IN_EXCL_UNLINK" "$T/out" "^        watch wd 4 mask 0x4000fff /tmp\$"
	grep_ok "inotify: an event with a name" "$T/out" "^        event wd 1 mask 0x100 cookie 0 name x\$"
	grep_ok "inotify: a move's second half" "$T/out" "^        event wd 1 mask 0x80 cookie 7 name y\$"
	grep_ok "inotify: the overflow" "$T/out" "^        event wd -1 mask 0x4000 cookie 0\$"
	grep_ok "inotify: the totals" "$T/out" "^inotify: 1 (3 watches, 6 events queued)\$"
	expect 0 "info --json on an inotify instance" "$CKPTCTL" info --json "$T/inotify.img"
	if command -v python3 >/dev/null; then
		if python3 - "$T/out" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
def find(o):
    if isinstance(o, dict):
        if "inotify" in o:
            return o["inotify"]
        o = list(o.values())
    if isinstance(o, list):
        for x in o:
            r = find(x)
            if r:
                return r
n = find(d)
assert n["next_wd"] == 5
assert (d["totals"]["inotify"], d["totals"]["inotify_watches"], d["totals"]["inotify_events"]) == (1, 3, 6)
assert [(w["wd"], w["path"]) for w in n["watches"]] == [(1, "/tmp/d"), (2, "/tmp/d/f"), (4, "/tmp")]
assert [(e["wd"], e["mask"], e["cookie"], e["name"]) for e in n["events"]] == [(-1, "0x4000", 0, ""), (1, "0x100", 0, "x"), (3, "0x2", 0, ""), (3, "0x8000", 0, ""), (1, "0x40", 7, "x"), (1, "0x80", 7, "y")], n["events"]
PY
		then ok "info --json on an inotify instance: its watches and events"
		else nok "info --json on an inotify instance: its watches and events"; fi
	fi
	while IFS='|' read -r name where value reason; do
		cp "$T/inotify.img" "$T/e.img" && "$BIN/imgedit" "$T/e.img" "$where" "$value" ||
			{ nok "$name: cannot edit $where"; continue; }
		damaged "$name" 3 "$reason" "$T/e.img"
	done <<'EOF_INOTIFY'
INOTIFY file read-write|rec:10:7:8|u32:0x802|file 8: an inotify instance not O_RDONLY
INOTIFY next wd past 2^31|rec:44:0:8|u32:0x80000001|next wd 2147483649
INOTIFY padding|rec:44:0:12|u32:1|or padding
INOTIFY too many events|rec:44:0:4|u32:0x100001|1048577 events
INOTIFY_WATCH wd 0|rec:45:0:0|u32:0|inotify watch 0: not above 0
INOTIFY_WATCH wd out of order|rec:45:1:0|u32:1|inotify watch 1: not above 0 and the wd before
INOTIFY_WATCH wd negative|rec:45:0:0|u32:0xffffffff|inotify watch -1: not above 0
INOTIFY_WATCH IN_MASK_CREATE kept|rec:45:0:4|u32:0x10000100|mask 0x10000100 has bits other than
INOTIFY_WATCH padding|rec:45:2:12|u32:1|inotify watch 4: mask 0x4000fff has bits other than events, IN_ONESHOT and IN_EXCL_UNLINK, or padding
INOTIFY_WATCH relative path|rec:45:0:16|xor:0x4e|inotify watch: path is not absolute
INOTIFY_EVENT unknown mask bit|rec:46:1:4|u32:0x1000100|inotify event 1: wd 1, mask 0x1000100
INOTIFY_EVENT wd 0|rec:46:1:0|u32:0|inotify event 1: wd 0, mask 0x100
INOTIFY_EVENT of an unknown wd|rec:46:1:0|u32:9|an inotify event of wd 9, which is no watch and is not removed later
INOTIFY_EVENT removed watch not removed|rec:46:3:4|u32:0x2|an inotify event of wd 3, which is no watch
INOTIFY_EVENT overflow with a wd|rec:46:0:0|u32:1|inotify event 0: wd 1, mask 0x4000
INOTIFY_EVENT overflow with a cookie|rec:46:0:8|u32:1|inotify event 0: wd -1, mask 0x4000
INOTIFY_EVENT second overflow|rec:46:3:4|u32:0x4000|inotify event 3: wd 3, mask 0x4000
INOTIFY_EVENT name longer than NAME_MAX|rec:46:1:12|u32:256|inotify event 1: wd 1, mask 0x100, name of 256 bytes
INOTIFY_EVENT name with a NUL|rec:46:1:16|xor:0x78|inotify event 1: name with a '/' or a NUL
INOTIFY_EVENT name with a slash|rec:46:1:16|xor:0x57|inotify event 1: name with a '/' or a NUL
INOTIFY_EVENT no name, IN_MOVED_FROM's record|rec:46:4:12|u32:0|INOTIFY_EVENT
EOF_INOTIFY
}

# The container's mounts (MOUNT 42, TMPFS_ENTRY 43), as mkimage writes them.
mount_info_tests() {
	expect 0 "info on an image with mounts" "$CKPTCTL" info "$T/a.img"
	grep_ok "mounts: the root" "$T/out" "^  mount 1 on 0: / host (ext4) relatime\$"
	grep_ok "mounts: a tmpfs" "$T/out" "^  mount 2 on 1: /tmp tmpfs (tmpfs) nosuid nodev relatime size=1048576 nr_inodes=1000 mode=1777 uid=0 gid=0, 5 entries\$"
	grep_ok "mounts: its root" "$T/out" "^    entry 1 in 0: dir \"/\" mode 1777 uid 1000 gid 1000, 0 bytes\$"
	grep_ok "mounts: a file" "$T/out" "^    entry 3 in 2: file \"f\" mode 640 uid 1000 gid 1000, 5 bytes\$"
	grep_ok "mounts: a hard link" "$T/out" "^    entry 4 in 1: hard link \"h\" to entry 3\$"
	grep_ok "mounts: a symbolic link" "$T/out" "^    entry 5 in 1: symlink \"l\" mode 777 uid 1000 gid 1000, 3 bytes\$"
	grep_ok "mounts: a proc" "$T/out" "^  mount 3 on 1: /proc proc (proc) nosuid nodev noexec relatime hidepid=2 subset=pid gid=0\$"
	grep_ok "mounts: a bind" "$T/out" "^  mount 4 on 1: /mnt bind (ext4) of /srv/data ro relatime\$"
	grep_ok "mounts: totals" "$T/out" "^mounts:  4 (tmpfs entries 5, 8 bytes)\$"
	expect 0 "info --json on an image with mounts" "$CKPTCTL" info --json "$T/a.img"
	grep_ok "json: nr_mounts" "$T/out" '"nr_mounts": 4'
	grep_ok "json: a bind's source" "$T/out" '"source": "/srv/data"'
	grep_ok "json: a tmpfs entry" "$T/out" '"name": "h"'
	if command -v python3 >/dev/null; then
		if python3 -c '
import json, sys
d = json.load(open(sys.argv[1]))
m = d["mounts"]
assert [x["kind"] for x in m] == ["host", "tmpfs", "proc", "bind"], m
assert [e["type"] for e in m[1]["entries"]] == ["dir", "dir", "file", "file", "symlink"]
assert m[1]["entries"][3]["link"] == 3 and m[2]["subset_pid"] is True
assert d["totals"]["mounts"] == 4 and d["totals"]["tmpfs_entries"] == 5
' "$T/out" 2>"$T/err"; then
			ok "json: the mounts and their entries"
		else
			nok "json: the mounts and their entries"
		fi
	else
		skip "json: the mounts and their entries" "no python3"
	fi
}

# The container's clocks: 0..KTIME_SEC_MAX/2 s (4611686018 s), both ends
# included, as restart(2) checks them.  Built by mkimage, with a valid
# checksum: only the range check can refuse them.
clock_tests() {
	max=4611686018000000000
	"$BIN/mkimage" -1 -m 0 -b $max "$T/c.img"
	expect 0 "clocks 0 and KTIME_SEC_MAX/2 s are valid" "$CKPTCTL" info --json "$T/c.img"
	grep_ok "clocks at the limit in JSON" "$T/out" "\"boottime_ns\": $max\$"
	"$BIN/mkimage" -1 -m $max -b 0 "$T/c.img"
	expect 0 "clocks KTIME_SEC_MAX/2 s and 0 are valid" "$CKPTCTL" info "$T/c.img"
	grep_ok "clocks at the limit in text" "$T/out" "monotonic 4611686018.000000000s, boottime 0.000000000s"
	"$BIN/mkimage" -1 -m -1 "$T/c.img"
	damaged "negative CLOCK_MONOTONIC" 3 "offset 296: CLOCK_MONOTONIC at -1 ns, out of 0..$max" "$T/c.img"
	"$BIN/mkimage" -1 -m $((max + 1)) "$T/c.img"
	damaged "CLOCK_MONOTONIC past KTIME_SEC_MAX/2 s" 3 "CLOCK_MONOTONIC at $((max + 1)) ns, out of" "$T/c.img"
	"$BIN/mkimage" -1 -b -9223372036854775808 "$T/c.img"
	damaged "CLOCK_BOOTTIME at INT64_MIN" 3 "offset 304: CLOCK_BOOTTIME at -9223372036854775808 ns" "$T/c.img"
	"$BIN/mkimage" -1 -b $((max + 1)) "$T/c.img"
	damaged "CLOCK_BOOTTIME past KTIME_SEC_MAX/2 s" 3 "CLOCK_BOOTTIME at $((max + 1)) ns, out of" "$T/c.img"
}

# ---- the decoder on damaged images ----

# damaged NAME EXIT PATTERN IMAGE: info must give EXIT and PATTERN on stderr.
damaged() {
	expect "$2" "$1" "$CKPTCTL" info "$4"
	grep_ok "$1: reason" "$T/err" "$3"
}

edited() {
	cp "$T/a.img" "$T/e.img" && "$BIN/imgedit" "$T/e.img" "$1" "$2"
}

damage_tests() {
	size=$(size_of "$T/a.img")

	edited 8 xor:1
	damaged "bad magic" 3 "offset 8: not a ckpt image: bad magic" "$T/e.img"
	edited 16 u32:7
	damaged "unknown format version" 3 "offset 16: unsupported format version 7" "$T/e.img"
	edited 16 u32:5
	damaged "format 5 image refused" 3 "offset 16: format 5 image (before groups of datagram sockets" "$T/e.img"
	edited 16 u32:4
	damaged "format 4 image refused" 3 "offset 16: format 4 image (UNIX records of 56 bytes" "$T/e.img"
	edited 16 u32:1
	damaged "format 1 image refused" 3 "offset 16: format 1 image (single task" "$T/e.img"
	edited 16 u32:2
	damaged "format 2 image refused" 3 "offset 16: format 2 image (without the container's clocks)" "$T/e.img"
	edited 136 u32:99
	damaged "unknown record type" 3 "offset 136: unknown record type 99" "$T/e.img"
	edited 140 u32:9
	damaged "record length below its struct" 3 "offset 140: CONTAINER record too short" "$T/e.img"
	edited $((size - 100)) xor:0x40
	damaged "flipped bit in page data" 3 "checksum mismatch" "$T/e.img"
	edited $((size - 8)) xor:1
	damaged "flipped bit in the trailer checksum" 3 "checksum mismatch" "$T/e.img"

	tree_tests

	cp "$T/a.img" "$T/e.img" && printf 'x' >>"$T/e.img"
	damaged "data after the trailer" 3 "data after the trailer" "$T/e.img"
	head -c $((size - 24)) "$T/a.img" >"$T/e.img"
	damaged "no trailer" 3 "no trailer" "$T/e.img"
	head -c 1000 "$T/a.img" >"$T/e.img"
	damaged "truncated in a record" 3 "truncated image" "$T/e.img"
	: >"$T/e.img"
	damaged "empty file" 3 "offset 0: truncated image" "$T/e.img"

	# JSON of a damaged image: still one valid object, with the error.
	edited 136 u32:99
	"$CKPTCTL" info --json "$T/e.img" >"$T/out" 2>"$T/err"
	if [ $? = 3 ] && { ! command -v python3 >/dev/null ||
	     python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); assert not d["valid"] and d["error"]["offset"] == 136' "$T/out"; }; then
		ok "info --json on a damaged image: valid JSON, error at 136"
	else
		nok "info --json on a damaged image: valid JSON, error at 136"
	fi

	# Every truncation is an invalid image (exit 3), never a crash.
	bad=""
	n=0
	while [ $n -lt "$size" ]; do
		head -c $n "$T/a.img" >"$T/e.img"
		"$CKPTCTL" info "$T/e.img" >/dev/null 2>&1
		rc=$?
		[ $rc = 3 ] || bad="$bad $n:$rc"
		if [ $n -lt 2200 ]; then n=$((n + 1)); else n=$((n + 97)); fi
	done
	if [ -z "$bad" ]; then ok "truncated images all give exit 3"; else nok "truncations with another exit:$bad"; fi

	# Every flipped byte is detected: by validation or by the checksum.
	bad=""
	n=0
	cp "$T/a.img" "$T/e.img"
	while [ $n -lt "$size" ]; do
		"$BIN/imgedit" "$T/e.img" $n xor:0x81
		cat "$T/e.img" | "$CKPTCTL" info - >/dev/null 2>&1
		rc=$?
		[ $rc = 3 ] || bad="$bad $n:$rc"
		"$BIN/imgedit" "$T/e.img" $n xor:0x81
		if [ $n -lt 2200 ]; then n=$((n + 1)); else n=$((n + 89)); fi
	done
	if [ -z "$bad" ]; then ok "flipped bytes all give exit 3"; else nok "flipped bytes with another exit:$bad"; fi
}

# Crafted trees, shared memory and IPC counts: the field's own check
# fires before the checksum would.  One case a line: name, where
# (imgedit's rec:TYPE:INDEX:FIELD), new value, expected reason.
# TREE (18) fields: pid 0, tgid 4, ppid 8, pgid 12, sid 16, exit_signal 20,
# state 24, exit_code 28, flags 32, nr_sem_undo 36.  TREE order in a.img: 1, 5,
# 6 (thread of 5, shares fs and file table), 8 (thread of 5, shares fs),
# 7 (zombie), 9 (child of 5, shares its file table).
tree_cases() {
	cat <<'EOF'
no tasks|rec:2:0:4|u32:0|bad number of tasks 0
more tasks than CKPT_TASKS_MAX|rec:2:0:4|u32:32769|bad number of tasks 32769
first TREE entry not pid 1|rec:18:0:0|u32:2|first TREE record is pid 2
init with a parent|rec:18:0:8|u32:3|first TREE record is pid 1 tgid 1 ppid 3
init a zombie|rec:18:0:24|u32:1|first TREE record is pid 1 tgid 1 ppid 0 (zombie)
duplicate pid|rec:18:1:0|u32:1|pid 1 appears twice
parent not earlier|rec:18:5:8|u32:12345|pid 9: its parent 12345 does not come before it
parent a zombie|rec:18:5:8|u32:7|pid 9: its parent 7 is a zombie
parent is a thread|rec:18:5:8|u32:6|pid 9: its parent 6 does not come before it
thread before its leader|rec:18:2:4|u32:9|thread 6: its leader 9 does not come before it
thread with another parent|rec:18:3:8|u32:5|thread 8: ppid, pgid or sid differ
thread with an exit signal|rec:18:2:20|u32:17|thread 6: exit signal 17, not -1
thread with process flags|rec:18:3:32|u32:4|thread 8: process flags 0x4
process with thread flags|rec:18:1:32|u32:1|pid 5: thread flags 0x1 on a process
bad state|rec:18:1:24|u32:2|pid 5: unknown state 2
unknown flags|rec:18:1:32|u32:16|pid 5: unknown flags 0x10
SHARE_FILES, gone in format 4|rec:18:2:32|u32:3|pid 6: unknown flags 0x3
SEM_UNDO count in a zombie|rec:18:4:36|u32:1|pid 7: 1 SEM_UNDO records in a zombie
SEM_UNDO count past nr_ipc|rec:18:1:36|u32:4|pid 5: 4 SEM_UNDO records in a process (3 IPC objects)
negative pgid|rec:18:1:12|u32:0xffffffff|pid 5: negative ppid 1, pgid -1 or sid 1
negative sid|rec:18:1:16|u32:0xfffffffe|negative ppid 1, pgid 5 or sid -2
group outside, session inside|rec:18:1:12|u32:0|session 1 inside the container, process group outside
session leader of another session|rec:18:1:32|u32:8|pid 5: a session leader in session 1
exit signal out of range|rec:18:1:20|u32:65|pid 5: bad exit signal 65
negative exit signal|rec:18:1:20|u32:0xffffffff|pid 5: bad exit signal -1
live task with an exit code|rec:18:1:28|u32:1|pid 5: bad exit code 0x1 for a live task
zombie with a bad exit code|rec:18:4:28|u32:0x10000|pid 7: bad exit code 0x10000
zombie made live, no section|rec:18:4:24|u32:0|pid 7: bad exit code 0x300 for a live task
TASK pid not matching its TREE entry|rec:3:4:0|u32:10|TASK of pid 10 tgid 9 where the TREE has pid 9 tgid 9 next
TASK exit signal not its TREE's|rec:3:1:8|u32:10|pid 5: exit signal 10, 17 in its TREE record
nr_shmem past the records|rec:2:0:12|u32:2|expected a SHMEM record, found TASK
nr_ipc past the records|rec:2:0:8|u32:4|IPC object 4 of 4: expected a SHM, MSQ or SEM record, found SHMEM
nr_ipc without an IPC namespace|rec:2:0:0|u32:0x20000000|3 IPC objects without an IPC namespace of its own
negative CLOCK_MONOTONIC|rec:2:0:156|u32:0x80000000|offset 296: CLOCK_MONOTONIC at -[0-9]* ns, out of 0..4611686018000000000
CLOCK_BOOTTIME past the limit|rec:2:0:164|u32:0x40000000|offset 304: CLOCK_BOOTTIME at 46116860[0-9]* ns, out of 0..4611686018000000000
SHM pages past its size|rec:21:0:40|u32:3|id 0: 3 pages in a segment of 8192 bytes
SHM page offset past its size|rec:9:0:0|u32:0x2000|pages 0x2000+1 out of order or outside their object
MSG longer than its tail|rec:23:1:8|u32:12|MSG record length 35, expected 36
SEM with no semaphores|rec:24:0:40|u32:0|id 65536: bad number of semaphores 0
SEM value out of range|rec:24:0:48|u32:40000|semaphore 0: value 40000
SEM_UNDO of a set not in the image|rec:25:0:0|u32:7|SEM_UNDO for semaphore set id 7, not in the image
shmem id out of order|rec:26:0:0|u32:1|shared memory object 0 has id 1
shmem pages past its size|rec:26:0:8|u32:4096|2 saved pages do not fit in 4096 bytes
vma of a missing shmem|rec:8:3:44|u32:5|shared mapping of object 5, the image has 1
shmem id in an anonymous vma|rec:8:2:44|u32:1|shared memory id 1 in a vma of kind anon
process-wide signal in a thread|rec:13:1:0|u32:1|a signal pending on the process in a thread's section
ITIMER_REAL interval without a value|rec:19:1:8|u32:1|ITIMER_REAL: an interval but no value
too many POSIX timers|rec:19:0:48|u32:4097|4097 POSIX timers (at most 4096)
more POSIX timers than records|rec:19:0:48|u32:4|expected a POSIX_TIMER record, found FS
fewer POSIX timers than records|rec:19:0:48|u32:2|expected a FS record, found POSIX_TIMER
negative next POSIX timer id|rec:19:0:52|u32:0xffffffff|negative next POSIX timer id -1
negative POSIX timer id|rec:20:0:0|u32:0xffffffff|bad POSIX timer id -1
POSIX timer on a CPU clock|rec:20:0:4|u32:2|POSIX timer 2: bad clock 2
POSIX timer on CLOCK_BOOTTIME_ALARM|rec:20:2:4|u32:9|POSIX timer 0: bad clock 9
POSIX timer with a bad notification|rec:20:1:8|u32:3|POSIX timer 1: bad notification 3
POSIX timer SIGEV_THREAD with SIGEV_THREAD_ID|rec:20:0:8|u32:6|POSIX timer 2: bad notification 6
POSIX timer with unknown flags|rec:20:0:20|u32:5|POSIX timer 2: unknown flags 0x5
POSIX timer thread without SIGEV_THREAD_ID|rec:20:1:16|u32:1|POSIX timer 1: thread 1 without SIGEV_THREAD_ID
POSIX timer value past KTIME_MAX|rec:20:0:36|u32:0x80000000|POSIX timer 2: time out of range
POSIX timer interval past KTIME_MAX|rec:20:0:44|u32:0x80000000|POSIX timer 2: time out of range
POSIX timer interval without a value|rec:20:0:32|u32:0|POSIX timer 2: an interval but no value
POSIX timer absolute on CLOCK_MONOTONIC|rec:20:0:20|u32:3|POSIX timer 2: absolute expiry on a clock other than CLOCK_REALTIME
POSIX timer absolute but disarmed|rec:20:2:20|u32:2|POSIX timer 0: absolute expiry on a clock other than CLOCK_REALTIME
POSIX timer overrun_last past INT_MAX|rec:20:1:48|u32:0x80000000|POSIX timer 1: overrun count out of range
POSIX timer si_overrun past INT_MAX|rec:20:0:52|u32:0x80000000|POSIX timer 2: overrun count out of range
POSIX timer overrun without a pending signal|rec:20:1:52|u32:1|POSIX timer 1: an overrun but no pending signal
POSIX timer SIGEV_NONE with a pending signal|rec:20:2:20|u32:1|POSIX timer 0: a pending signal with SIGEV_NONE
POSIX timer signal 0|rec:20:1:12|u32:0|POSIX timer 1: bad signal 0
POSIX timer signal past 64|rec:20:1:12|u32:65|POSIX timer 1: bad signal 65
POSIX timer for a thread of another process|rec:20:0:16|u32:6|POSIX timer 2: thread 6 is not a thread of process 1
POSIX timer for a pid not in the tree|rec:20:3:16|u32:12345|POSIX timer 0: thread 12345 is not a thread of process 5
POSIX timer for a zombie|rec:20:3:16|u32:7|POSIX timer 0: thread 7 is not a thread of process 5
POSIX timer id twice|rec:20:1:0|u32:2|POSIX timer id 2 appears twice
EOF
}

# File tables, open files and pipes (format 4), as restart checks them.
# FILES (27): id 0, nr_fds 4; in a.img: init's table 1 (9 fds), 5's table
# 2 (3 fds), 6 and 9 naming table 2 (records 2 and 4), 8's table 3 (1 fd).
# FD (28): fd 0, file 4, flags 8, pad 12; records 0-8 init's fds 0 1 2 3 4
# 5 6 7 9, 9-11 5's fds 0 3 4, 12 8's fd 0.  FILE (10): id 0, kind 4,
# flags 8, path_len 12, pos 16, ino 24, size 32, mtime_ns 40, rdev 48,
# obj 52; records 0-7 are files 1-8: /dev/null, the log, pipe 1's read and
# write ends, the data file, /tmp, the memfd, pipe 2's write end.  PIPE
# (29): id 0, size 4, nr_bufs 8, pad 12; pipe 1 (64 KiB, 2 buffers), pipe
# 2 (4 KiB, none).  PIPE_BUF (30): len 0, flags 4; 5 bytes, then a 3-byte
# packet.
object_cases() {
	cat <<'EOF'
FD naming an unknown open file|rec:28:0:4|u32:9|fd 0: open file 9, not defined before (1 so far)
FD naming open file 0|rec:28:0:4|u32:0|fd 0: open file 0, not defined before
FD naming a file defined later|rec:28:9:4|u32:8|fd 0: open file 8, not defined before (7 so far)
FD flags beyond cloexec|rec:28:1:8|u32:2|fd 1: unknown flags 0x2
FD padding|rec:28:1:12|u32:1|padding is not zero
fds not increasing|rec:28:1:0|u32:0|fd 0 is negative or out of order (after fd 0)
fds decreasing|rec:28:2:0|u32:0|fd 0 is negative or out of order (after fd 1)
negative fd|rec:28:0:0|u32:0xffffffff|fd -1 is negative or out of order
FILE id out of order (2 before 1)|rec:10:0:0|u32:2|FILE id 2 out of order: the next open file is 1
FILE id 0|rec:10:0:0|u32:0|FILE id 0 out of order
FILE id repeated|rec:10:1:0|u32:1|FILE id 1 out of order: the next open file is 2
FILE with O_CLOEXEC in its flags|rec:10:4:8|u32:0x88002|file 5: bad file flags
FILE with O_ACCMODE 3|rec:10:4:8|u32:3|file 5: bad file flags 03
FILE of an unknown kind|rec:10:0:4|u32:15|file 1: unknown file kind 15
FILE of kind 3 (DUP up to format 3, DIR now) with a device|rec:10:0:4|u32:3|file 1: bad size, device number or object for a directory
FILE of a pipe end with a path|rec:10:0:4|u32:4|file 1: a path for a file of a kind without one
FILE negative offset|rec:10:4:20|u32:0x80000000|file 5: negative file offset
FILE of a device with an offset|rec:10:0:16|u32:1|file 1: offset, inode, size, mtime or object set for a device
FILE of a device restart does not open|rec:10:0:48|u32:0x100001|file 1: device 1:1 is not one restart opens
FILE of a regular file with an object|rec:10:1:52|u32:1|file 2: bad size, device number or object for a regular file
directory open for writing|rec:10:5:8|u32:1|file 6: a directory open for writing
directory open for reading and writing|rec:10:5:8|u32:2|file 6: a directory open for writing
pipe end open O_RDWR|rec:10:2:8|u32:2|file 3: a pipe end open for reading and writing
pipe end with an offset|rec:10:2:16|u32:5|file 3: offset, inode, size, mtime or device set for a pipe end
FILE of kind PIPE naming an unknown pipe|rec:10:3:52|u32:2|file 4: end of pipe 2, not defined before (1 pipes so far)
FILE of kind PIPE naming pipe 0|rec:10:2:52|u32:0|file 3: end of pipe 0, not defined before
same pipe end taken by two FILE records|rec:10:3:8|u32:0|file 4: the read end of pipe 1 is another open file's
same write end taken twice|rec:10:2:8|u32:1|file 4: the write end of pipe 1 is another open file's
FILE of a memfd past nr_shmem|rec:10:6:52|u32:1|file 7: shared memory object 1, the image has 1
FILE of a memfd with an inode number|rec:10:6:24|u32:7|file 7: inode, size, mtime or device set for a shared memory object
FILES reusing a table id with nr_fds > 0|rec:27:2:4|u32:1|file table 2 was saved before, yet 1 descriptors follow
FILES of a process reusing init's table with fds|rec:27:1:0|u32:1|file table 1 was saved before, yet 3 descriptors follow
new FILES id that skips one|rec:27:3:0|u32:4|FILES id 4: neither a table saved before nor the next one (3)
FILES naming a table not saved yet|rec:27:2:0|u32:4|FILES id 4: neither a table saved before nor the next one (3)
a thread's empty new table 3, then 8's table 3 with fds|rec:27:2:0|u32:3|file table 3 was saved before, yet 1 descriptors follow
FILES id 0|rec:27:0:0|u32:0|FILES id 0: neither a table saved before nor the next one (1)
FILES with more than CKPT_FDS_MAX fds|rec:27:0:4|u32:0x100001|file table 1: 1048577 descriptors (at most 1048576)
FILES announcing more fds than follow|rec:27:0:4|u32:10|file table 1: descriptor 10 of 10: expected a PIPE, FILE or FD record, found SIGHAND
FILES announcing fewer fds than follow|rec:27:0:4|u32:8|expected a SIGHAND record, found FILE
FILES announcing no fds, some follow|rec:27:3:4|u32:0|expected a SIGNALS record, found FD
PIPE id out of order|rec:29:1:0|u32:3|PIPE id 3 out of order: the next pipe is 2
PIPE id 0|rec:29:0:0|u32:0|PIPE id 0 out of order: the next pipe is 1
PIPE size not a power of two|rec:29:0:4|u32:65535|pipe 1: bad size 65535
PIPE smaller than a page|rec:29:1:4|u32:2048|pipe 2: bad size 2048
PIPE larger than CKPT_PIPE_MAX|rec:29:0:4|u32:0x20000000|pipe 1: bad size 536870912
PIPE flags|rec:29:0:12|u32:2|pipe 1: unknown flags 0x2
more PIPE_BUF than the pipe's pages|rec:29:1:8|u32:2|pipe 2: 2 buffers in a pipe of 1 pages
PIPE announcing more PIPE_BUF than follow|rec:29:0:8|u32:3|expected a PIPE_BUF record, found FILE
PIPE followed by more PIPE_BUF than announced|rec:29:0:8|u32:1|a PIPE record not followed by a FILE record (found PIPE_BUF)
PIPE_BUF longer than a page|rec:30:0:0|u32:4097|pipe 1: buffer of 4097 bytes (1 to 4096)
PIPE_BUF empty|rec:30:0:0|u32:0|pipe 1: buffer of 0 bytes
PIPE_BUF length not its data's|rec:30:0:0|u32:4|PIPE_BUF record length 21, expected 20
PIPE_BUF with unknown flags|rec:30:1:4|u32:3|pipe 1: unknown buffer flags 0x3
EOF
}

tree_tests() {
	tree_cases >"$T/cases"
	object_cases >>"$T/cases"
	while IFS='|' read -r name where value reason; do
		edited "$where" "$value" || { nok "$name: cannot edit $where"; continue; }
		damaged "$name" 3 "$reason" "$T/e.img"
	done <"$T/cases"

	# What one field cannot break: a PIPE followed by an FD.
	"$BIN/mkimage" -x pipe-fd "$T/e.img"
	damaged "PIPE not followed by its FILE" 3 "a PIPE record not followed by a FILE record (found FD)" "$T/e.img"
	"$BIN/mkimage" -x unix-fd "$T/e.img"
	damaged "UNIX not followed by its FILE" 3 "a UNIX record not followed by a FILE record (found FD)" "$T/e.img"

	unix_cases >"$T/cases"
	while IFS='|' read -r name where value reason; do
		cp "$T/listen.img" "$T/e.img" &&
		"$BIN/imgedit" "$T/e.img" "$where" "$value" ||
			{ nok "$name: cannot edit $where"; continue; }
		damaged "$name" 3 "$reason" "$T/e.img"
	done <"$T/cases"
	# What one field cannot break.
	"$BIN/mkimage" -x listen-pending-first "$T/e.img"
	damaged "UNIX accepted connection after a pending one" 3 "unix socket 4: an accepted connection after a pending one (listening socket 1)" "$T/e.img"
	"$BIN/mkimage" -x listen-pending-msg "$T/e.img"
	damaged "UNIX pending client with a message" 3 "unix socket 5: 1 messages from a connection not accepted yet" "$T/e.img"
	"$BIN/mkimage" -x listen-long "$T/e.img"
	damaged "UNIX name of 109 bytes" 3 "UNIX record too long: len 205" "$T/e.img"

	# Groups of datagram sockets, each case one or more edits of dgram.img.
	dgram_cases >"$T/cases"
	while IFS='|' read -r name edits reason; do
		cp "$T/dgram.img" "$T/e.img" || { nok "$name: copy"; continue; }
		okedit=1
		for e in $edits; do
			"$BIN/imgedit" "$T/e.img" "${e%%=*}" "${e#*=}" || okedit=
		done
		[ -n "$okedit" ] || { nok "$name: cannot edit $edits"; continue; }
		damaged "$name" 3 "$reason" "$T/e.img"
	done <"$T/cases"

	# Socket 1 closed, alone: its peer 0 is also its id - 1.
	cp "$T/unix.img" "$T/e.img" &&
	"$BIN/imgedit" "$T/e.img" rec:37:0:8 u32:0 &&
	"$BIN/imgedit" "$T/e.img" rec:37:0:12 u32:1 &&
	"$BIN/imgedit" "$T/e.img" rec:37:0:16 u32:0 ||
		nok "UNIX socket 1 closed, alone: cannot edit"
	damaged "UNIX socket 1 closed, alone" 3 "unix socket 1: closed, yet not the second of a pair nor in a group" "$T/e.img"

	mount_cases >"$T/cases"
	while IFS='|' read -r name where value reason; do
		edited "$where" "$value" || { nok "$name: cannot edit $where"; continue; }
		damaged "$name" 3 "$reason" "$T/e.img"
	done <"$T/cases"
}

# UNIX records of format 5, edited in listen.img (mkimage -x listen): UNIX
# (37) fields id 0, type 4 (16 bits), shutdown 6, peer 8, flags 12, nr_skbs
# 16, err 20, listener 56, nr_conns 60, backlog 64, name_len 68, mode 72,
# pad 76, ino 80, the name from 88.  UNIX records 0-10 are sockets 1-11:
# 1 listening on /run/srv.sock, its connections 2-3 (accepted) and 4-5
# (pending); 6 listening (autobind), its pending connection 7-8 (8 named
# "\0cli\1ent"); 9 on /run/dg.sock; pair 10-11.  FILE (10) records 7-14
# are files 8-15, of sockets 1, 2, 3, 5, 6, 8, 9, 10.  Flags: CLOSED 0x1,
# AUTOBIND 0x10, LISTEN 0x80, PENDING 0x100, ONEWAY 0x200.
unix_cases() {
	cat <<'EOF'
UNIX padding|rec:37:0:76|u32:1|unix socket 1: padding is not zero
UNIX name_len past UNIX_PATH_MAX|rec:37:0:68|u32:109|unix socket 1: name of 109 bytes (at most 108)
UNIX name_len beyond the tail|rec:37:0:68|u32:20|UNIX record length 109, expected 116
UNIX name_len short of the tail|rec:37:0:68|u32:5|UNIX record length 109, expected 101
UNIX mode beyond 07777|rec:37:0:72|u32:0x1000|unix socket 1: mode 010000
UNIX path name without an inode number|rec:37:0:80|u32:0|unix socket 1: path name without an inode number
UNIX relative path name|rec:37:0:88|xor:0x5d|unix socket 1: path name is not absolute
UNIX path name with a NUL|rec:37:0:92|xor:0x2f|offset [0-9]*: unix socket 1: path name contains a NUL byte
UNIX abstract name with a mode|rec:37:7:72|u32:0600|unix socket 8: an abstract name with an inode number or mode
UNIX abstract name with an inode number|rec:37:7:80|u32:5|unix socket 8: an abstract name with an inode number or mode
UNIX inode number without a name|rec:37:1:80|u32:9|unix socket 2: an inode number or mode without a name
UNIX mode without a name|rec:37:4:72|u32:0644|unix socket 5: an inode number or mode without a name
UNIX name and autobind|rec:37:8:12|u32:0x10|unix socket 9: a name of 12 bytes and autobind
UNIX listening with a peer|rec:37:0:8|u32:2|unix socket 1: listening, yet
UNIX listening datagram socket|rec:37:0:4|u32:2|unix socket 1: listening, yet
UNIX listening and closed|rec:37:0:12|u32:0x81|unix socket 1: listening, yet
UNIX listening and pending|rec:37:0:12|u32:0x180|unix socket 1: listening, yet
UNIX listening with a listener|rec:37:5:56|u32:1|unix socket 6: listening, yet
UNIX listening with a pending error|rec:37:0:20|u32:104|unix socket 1: listening, yet .* a pending error
UNIX closed end of a pair, autobound|rec:37:10:12|u32:0x11|unix socket 11: the closed end of a pair, yet named
UNIX listening without a name|rec:37:5:12|u32:0x80|unix socket 6: listening without a name
UNIX negative backlog|rec:37:0:64|u32:0xffffffff|unix socket 1: backlog -1, 2 connections
UNIX more than CKPT_UNIX_CONNS_MAX connections|rec:37:0:60|u32:0x100001|unix socket 1: backlog 16, 1048577 connections (at most 1048576)
UNIX backlog, not listening|rec:37:8:64|u32:5|unix socket 9: a backlog or connections, yet not listening
UNIX connections, not listening|rec:37:8:60|u32:1|unix socket 9: a backlog or connections, yet not listening
UNIX listener not before it|rec:37:1:56|u32:2|unix socket 2: listener 2 does not come before it
UNIX listener after it|rec:37:3:56|u32:9|unix socket 4: listener 9 does not come before it
UNIX listener not a listening socket|rec:37:3:56|u32:2|unix socket 4: listener 2, not listening socket 1, whose connection 2 of 2 it is
UNIX listener of another group|rec:37:6:56|u32:1|unix socket 7: listener 1, not listening socket 6, whose connection 1 of 1 it is
UNIX connection without a listener in a group|rec:37:3:56|u32:0|unix socket 4: pending, yet not a connection of a listening socket
UNIX connection apart from its listener|rec:37:9:56|u32:6|unix socket 10: a connection of listening socket 6 apart from it
UNIX client with a listener|rec:37:2:56|u32:1|unix socket 3: a connection of listener 1, yet not the first of a pair
UNIX server end autobound|rec:37:1:12|u32:0x10|unix socket 2: a connection of listener 1, yet
UNIX pending without a listener|rec:37:8:12|u32:0x100|unix socket 9: pending, yet not a connection of a listening socket
UNIX pending client|rec:37:4:12|u32:0x100|unix socket 5: pending, yet not a connection of a listening socket
UNIX pending server end closed|rec:37:3:12|u32:0x101|unix socket 4: closed, yet not the second of a pair
UNIX fewer connections than follow|rec:37:0:60|u32:1|a UNIX record not followed by a FILE record (found UNIX)
UNIX more connections than follow|rec:37:0:60|u32:3|listening unix socket 1: connection 3 of 3: expected a UNIX record, found FILE
UNIX unknown flag|rec:37:9:12|u32:0x400|unix socket 10: unknown flags 0x400
UNIX closed, alone, outside a group|rec:37:8:12|u32:0x1|unix socket 9: closed, yet not the second of a pair nor in a group
UNIX messages without a peer outside a group|rec:37:8:16|u32:1|unix socket 9: 1 messages without a peer to send them
FILE of a pending socket|rec:10:8:52|u32:4|file 9: unix socket 4, a connection not accepted yet, has no open file
FILE of the pending socket of an autobound listener|rec:10:12:52|u32:7|file 13: unix socket 7, a connection not accepted yet, has no open file
FILE of a socket another FILE took|rec:10:9:52|u32:2|file 10: unix socket 2, not defined before, closed or another file's
EOF
}

# Groups of datagram sockets (format 6), edited in dgram.img (mkimage -x
# dgram): "where=value" edits, separated by spaces.  UNIX_GROUP (48):
# nr_socks 0, pad 4.  UNIX (37) fields as above; UNIX records 0-4 are the
# group's sockets 1-5 (1 on /run/log.sock; 2 "\0cli" and 3 autobound,
# ONEWAY to 1; 4 closed, "\0gone"; 5 unnamed), 5-6 pair 6-7.  UNIX_SKB
# (38): len 0, flags 4, pid 8, sender 20; records 0-3 are 1's (from 2, 3,
# 4, 5), 4 is 2's (from 1), 5 is 3's (from 1), 6 is 7's (the pair's).
# FILE (10) records 7-11 are files 8-12, of sockets 1, 2, 3, 5, 6.
dgram_cases() {
	cat <<'EOF'
UNIX_GROUP of no socket|rec:48:0:0=u32:0|unix group of 0 sockets (1 to 65536)
UNIX_GROUP past CKPT_UNIX_GROUP_MAX|rec:48:0:0=u32:65537|unix group of 65537 sockets (1 to 65536)
UNIX_GROUP padding|rec:48:0:4=u32:1|unix group: padding is not zero
UNIX_GROUP more sockets than follow|rec:48:0:0=u32:6|unix group of 6 sockets: socket 6 of 6: expected a UNIX record, found UNIX_SKB
UNIX_GROUP fewer sockets than follow|rec:48:0:0=u32:4|expected a UNIX_SKB record, found UNIX
UNIX group member out of order|rec:37:2:0=u32:4|UNIX id 4 out of order: the next socket is 3
UNIX group member listening|rec:37:3:4=u32:1 rec:37:3:12=u32:0x80|unix socket 4: in a group, yet listening, pending or a connection
UNIX group member listening datagram socket|rec:37:0:12=u32:0x80|unix socket 1: listening, yet a datagram socket
UNIX group member pending|rec:37:2:4=u32:1 rec:37:2:8=u32:4 rec:37:2:12=u32:0x100 rec:37:2:56=u32:1|unix socket 3: in a group, yet listening, pending or a connection
UNIX group member one of a pair|rec:37:2:8=u32:4 rec:37:2:12=u32:0x10|unix socket 3: in a group, yet one of a pair (peer 4)
UNIX group member a stream socket|rec:37:3:4=u32:1|unix socket 4: in a group, yet of type 1, not a datagram socket
ONEWAY to itself|rec:37:1:8=u32:2|unix socket 2: connected one way, yet not a datagram socket, to itself or to no socket (peer 2)
ONEWAY to no socket|rec:37:1:8=u32:0|unix socket 2: connected one way, yet .* (peer 0)
ONEWAY stream socket|rec:37:1:4=u32:1|unix socket 2: connected one way, yet not a datagram socket
ONEWAY and closed|rec:37:1:12=u32:0x201|unix socket 2: connected one way, yet
ONEWAY outside the group's range|rec:37:1:8=u32:6|unix socket 2: connected one way to socket 6, not of its group (1 to 5)
ONEWAY to a closed member|rec:37:1:8=u32:4|unix socket 2: connected one way to socket 4, closed
ONEWAY to an unnamed member|rec:37:1:8=u32:5|unix socket 2: connected one way to socket 5, which has no name
ONEWAY chained|rec:37:1:8=u32:3|unix socket 2: connected one way to socket 3, itself connected one way
UNIX group member closed with a path name|rec:37:3:88=xor:0x2f rec:37:3:80=u32:5|unix socket 4: closed, yet bound to a path
UNIX group member closed with messages|rec:37:3:16=u32:1|unix socket 4: closed, yet not the second of a pair or with messages
FILE of a group's closed socket|rec:10:10:52=u32:4|file 11: unix socket 4, not defined before, closed or another file's
FILE of a group's socket another FILE took|rec:10:9:52=u32:2|file 10: unix socket 2, not defined before, closed or another file's
UNIX_SKB without a sender in a group|rec:38:0:20=u32:0|unix socket 1: message from socket 0, not of its group (1 to 5)
UNIX_SKB from past the group|rec:38:0:20=u32:6|unix socket 1: message from socket 6, not of its group (1 to 5)
UNIX_SKB from its receiver|rec:38:0:20=u32:1|unix socket 1: message from itself
UNIX_SKB by name to an unnamed socket|rec:37:2:12=u32:0x200|unix socket 3: message from socket 1, not connected to it, yet it has no name
UNIX_SKB by name to a socket connected to another|rec:38:4:20=u32:5|unix socket 2: message from socket 5 by name, yet it is connected to socket 1
UNIX_SKB from a client connected to another socket|rec:38:4:20=u32:3|unix socket 2: message from socket 3 by name, yet it is connected to socket 1
ONEWAY outside a group|rec:37:5:12=u32:0x200|unix socket 6: connected one way to socket 7, outside a group
UNIX_SKB with a sender outside a group|rec:38:6:20=u32:6|unix socket 7: message from socket 6, yet not in a group
EOF
}

# Damaged MOUNT (42) and TMPFS_ENTRY (43) records.  MOUNT fields: id 0,
# parent 4, kind 8, flags 12, path_len 16, source_len 20, fstype_len 24,
# opts 28, uid 32, gid 36, mode 40, nr_entries 44, size 48, nr_inodes 56;
# its strings at 64.  TMPFS_ENTRY: index 0, parent 4, mode 8, uid 12,
# gid 16, name_len 20, link 24, pad 28, size 32; its name at 56.
mount_cases() {
	cat <<'EOF'
no mounts with a mount namespace|rec:2:0:148|u32:0|0 mounts with a mount namespace
more mounts than CKPT_MOUNTS_MAX|rec:2:0:148|u32:1025|1025 mounts with a mount namespace
mount ids out of order|rec:42:1:0|u32:3|MOUNT id 3 out of order: the next mount is 2
mount on itself|rec:42:1:4|u32:2|mount 2: parent 2 is not an earlier mount
root mount not host|rec:42:0:8|u32:3|mount 1: kind 3
unknown mount kind|rec:42:1:8|u32:9|mount 2: kind 9
unknown mount flags|rec:42:1:12|u32:0x400|mount 2: flags 0x400
noatime and relatime|rec:42:1:12|u32:0x50|mount 2: flags 0x50
read-only super on a bind|rec:42:3:12|u32:0x100|mount 4: flags 0x100
mount strings too long|rec:42:1:16|u32:5|mount 2: string lengths 5, 0, 5 in 9 bytes
a bind without source|rec:42:3:20|u32:0|mount 4: string lengths 4, 0, 4 in 17 bytes
hidepid=3|rec:42:2:28|u32:3|mount 3: options 0x3
options on a tmpfs|rec:42:1:28|u32:1|mount 2: options 0x1
tmpfs fields on a proc|rec:42:2:44|u32:1|mount 3: tmpfs fields set on a proc mount
tmpfs mode past 07777|rec:42:1:40|u32:0x1000|mount 2: tmpfs mode 010000
relative mount point|rec:42:1:64|u32:0x706d742e|mount 2: bad mount point
dot-dot mount point|rec:42:3:64|u32:0x2f2e2e2f|mount 4: bad mount point
proc of type prod|rec:42:2:72|xor:0x07|mount 3: bad file system type
entry out of order|rec:43:1:0|u32:5|tmpfs entry 5 out of order: the next is 2
entry in a file|rec:43:4:4|u32:3|tmpfs entry 5: parent 3, name of 1 bytes
entry in a later entry|rec:43:1:4|u32:4|tmpfs entry 2: parent 4, name of 1 bytes
root entry a file|rec:43:0:8|u32:0x81a4|tmpfs entry 1: parent 0, name of 0 bytes
a device in a tmpfs|rec:43:1:8|u32:0x21a4|tmpfs entry 2: mode 020644
hard link to a directory|rec:43:3:24|u32:2|tmpfs entry 4: hard link to entry 2
hard link to itself|rec:43:3:24|u32:4|tmpfs entry 4: hard link to entry 4
entry padding|rec:43:2:28|u32:1|tmpfs entry 3: mode 0100640
file size past the record|rec:43:2:32|u32:6|tmpfs entry 3: 6 bytes of contents in a record of 6
entry named dot|rec:43:1:56|xor:0x4a|tmpfs entry 2: bad name
EOF
}

# ---- command line ----

usage_tests() {
	expect 2 "no command" "$CKPTCTL"
	expect 2 "unknown command" "$CKPTCTL" frobnicate
	expect 0 "--help" "$CKPTCTL" --help
	grep_ok "--help lists the exit codes" "$T/out" "3 invalid image"
	for c in run checkpoint restart info freeze thaw kill ps; do
		expect 0 "$c --help" "$CKPTCTL" $c --help
	done
	expect 0 "--version" "$CKPTCTL" --version
	grep_ok "--version names the format" "$T/out" "image format 6"
	expect 2 "info without a file" "$CKPTCTL" info
	expect 2 "info with two files" "$CKPTCTL" info a b
	expect 2 "info with a bad option" "$CKPTCTL" info --bogus x
	expect 1 "info on a missing file" "$CKPTCTL" info "$T/missing.img"
	expect 2 "run without a command" "$CKPTCTL" run
	expect 2 "run with an all-digit name" "$CKPTCTL" run --name 123 -- true
	expect 2 "run with a slash in the name" "$CKPTCTL" run --name a/b -- true
	expect 2 "checkpoint without a target" "$CKPTCTL" checkpoint
	expect 2 "checkpoint with two targets" "$CKPTCTL" checkpoint a b
	expect 2 "restart without -i" "$CKPTCTL" restart
	expect 2 "restart with an argument" "$CKPTCTL" restart -i x y
	expect 2 "freeze without a target" "$CKPTCTL" freeze
	expect 2 "ps with an argument" "$CKPTCTL" ps x
}

# ---- containers, in a scratch cgroup ----

scratch_cgroup_remove() {
	for d in "$SCRATCH_CG"/ckpt/*/; do
		[ -d "$d" ] || continue
		echo 1 >"$d/cgroup.kill" 2>/dev/null
		sleep 0.2
		rmdir "$d" 2>/dev/null
	done
	rmdir "$SCRATCH_CG/ckpt" "$SCRATCH_CG" 2>/dev/null
	SCRATCH_CG=
}

container_tests() {
	cg2=$(awk '$9 == "cgroup2" || $(NF-2) == "cgroup2" { print $5; exit }' /proc/self/mountinfo)
	if [ "$(id -u)" != 0 ] || [ -z "$cg2" ]; then
		skip "container tests" "need root and cgroup2"
		return
	fi
	SCRATCH_CG=$cg2/ckptctl-test.$$
	if ! mkdir "$SCRATCH_CG" 2>/dev/null; then
		SCRATCH_CG=
		skip "container tests" "cannot create a cgroup under $cg2"
		return
	fi
	export CKPT_CGROUP_ROOT="$SCRATCH_CG" CKPT_RUN_DIR="$T/run"
	cg=$SCRATCH_CG/ckpt

	expect 0 "run prints the pid" "$CKPTCTL" run --name t1 -- sleep 100
	pid=$(cat "$T/out")
	if [ -n "$pid" ] && grep -q "^0::.*/ckpt/t1\$" "/proc/$pid/cgroup"; then ok "init is in cgroup ckpt/t1"; else nok "init is in cgroup ckpt/t1"; fi
	grep_ok "state records the pid" "$T/run/t1/pid" "^$pid\$"
	expect 0 "ps" "$CKPTCTL" ps
	grep_ok "ps shows t1 running" "$T/out" "^t1 .* $pid running"
	fds=$(ls "/proc/$pid/fd" | tr '\n' ' ')
	if [ "$fds" = "0 1 2 " ]; then ok "init holds only fds 0 1 2"; else nok "init holds fds $fds"; fi
	if [ "$(readlink "/proc/$pid/fd/0")" = /dev/null ] &&
	   [ "$(readlink "/proc/$pid/fd/1")" = "$T/run/t1.log" ]; then
		ok "stdin is /dev/null, stdout the log"
	else
		nok "stdin is /dev/null, stdout the log"
	fi
	if [ "$(readlink /proc/$pid/ns/pid)" != "$(readlink /proc/self/ns/pid)" ] &&
	   [ "$(readlink /proc/$pid/ns/uts)" != "$(readlink /proc/self/ns/uts)" ] &&
	   [ "$(readlink /proc/$pid/ns/ipc)" != "$(readlink /proc/self/ns/ipc)" ] &&
	   [ "$(readlink /proc/$pid/ns/mnt)" != "$(readlink /proc/self/ns/mnt)" ]; then
		ok "init has its own pid, uts, ipc and mount namespaces"
	else
		nok "init has its own pid, uts, ipc and mount namespaces"
	fi

	expect 0 "freeze by name" "$CKPTCTL" freeze t1
	grep_ok "cgroup is frozen" "$cg/t1/cgroup.events" "frozen 1"
	expect 0 "ps" "$CKPTCTL" ps
	grep_ok "ps shows t1 frozen" "$T/out" "^t1 .* frozen"
	expect 0 "thaw by pid" "$CKPTCTL" thaw "$pid"
	grep_ok "cgroup is thawed" "$cg/t1/cgroup.events" "frozen 0"

	expect 1 "run with a name in use" "$CKPTCTL" run --name t1 -- true
	grep_ok "name in use is explained" "$T/err" "name t1 is in use"

	# Without a ckpt kernel, checkpoint and restart fail cleanly.
	cd "$T" || return
	expect 1 "checkpoint on a kernel without ckpt" "$CKPTCTL" checkpoint t1
	grep_ok "checkpoint says why" "$T/err" "ckpt"
	if [ ! -e "$T/t1.img" ] && ! ls "$T"/t1.img.tmp.* >/dev/null 2>&1; then ok "no image left behind"; else nok "no image left behind"; fi
	grep_ok "container not left frozen" "$cg/t1/cgroup.events" "frozen 0"
	expect 1 "restart on a kernel without ckpt" "$CKPTCTL" restart -i "$T/a.img" --name r1
	if [ ! -d "$cg/r1" ] && [ ! -d "$T/run/r1" ]; then ok "failed restart leaves no cgroup or state"; else nok "failed restart leaves no cgroup or state"; fi
	cd / || return

	expect 0 "kill by name" "$CKPTCTL" kill t1
	if [ ! -d "$cg/t1" ] && [ ! -d "$T/run/t1" ] && [ -f "$T/run/t1.log" ]; then
		ok "kill removes cgroup and state, keeps the log"
	else
		nok "kill removes cgroup and state, keeps the log"
	fi
	# Gone, or a zombie until whoever adopted it reaps it.
	if [ ! -e "/proc/$pid" ] || grep -q '^State:.*Z' "/proc/$pid/status" 2>/dev/null; then
		ok "init is gone after kill"
	else
		nok "init is gone after kill"
	fi

	expect 7 "run --wait passes the exit status" "$CKPTCTL" run --wait -- sh -c 'exit 7'
	# An init ignores SIGKILL from inside its namespace: kill it from here.
	"$CKPTCTL" run --wait --name k1 -- sleep 100 >"$T/k1.out" 2>"$T/err" &
	waiter=$!
	sleep 0.5
	kill -9 "$(cat "$T/k1.out")" 2>/dev/null
	wait $waiter
	rc=$?
	if [ $rc = 137 ]; then ok "run --wait: 128 + signal"; else nok "run --wait: 128 + signal: exit $rc"; fi
	expect 0 "run --wait: init is pid 1, hostname is the name" \
		"$CKPTCTL" run --wait --name w1 --log "$T/w1.log" -- sh -c 'echo pid=$$ host=$(hostname)'
	grep_ok "log shows pid 1 and the hostname" "$T/w1.log" "^pid=1 host=w1\$"
	if [ ! -d "$cg/w1" ] && [ ! -d "$T/run/w1" ]; then ok "run --wait cleans up after exit"; else nok "run --wait cleans up after exit"; fi

	expect 1 "run of a missing program" "$CKPTCTL" run --name m1 -- /nonexistent/prog
	grep_ok "exec error is reported" "$T/err" "exec /nonexistent/prog: No such file"
	if [ ! -d "$cg/m1" ] && [ ! -d "$T/run/m1" ]; then ok "failed run leaves no cgroup or state"; else nok "failed run leaves no cgroup or state"; fi

	expect 0 "run with a generated name" "$CKPTCTL" run -- sleep 100
	apid=$(cat "$T/out")
	if [ -d "$cg/c1" ] && grep -q "^$apid\$" "$T/run/c1/pid"; then ok "generated name is c1"; else nok "generated name is c1"; fi
	kill -9 "$apid"
	sleep 0.3
	expect 0 "ps after the init died" "$CKPTCTL" ps
	grep_ok "ps shows c1 exited" "$T/out" "^c1 .* exited"
	expect 1 "checkpoint of an exited container" "$CKPTCTL" checkpoint -o "$T/c1.img" c1
	grep_ok "checkpoint says it is not running" "$T/err" "c1 is not running"
	expect 0 "kill cleans up an exited container" "$CKPTCTL" kill c1
	if [ ! -d "$cg/c1" ]; then ok "c1 cgroup removed"; else nok "c1 cgroup removed"; fi
	expect 1 "freeze of an unknown name" "$CKPTCTL" freeze nosuch
	mkdir "$T/run/s1"	# what a crash between claim and state leaves
	expect 1 "run with a name held by stale state" "$CKPTCTL" run --name s1 -- true
	expect 0 "kill removes stale state" "$CKPTCTL" kill s1
	if [ ! -d "$T/run/s1" ]; then ok "stale state removed"; else nok "stale state removed"; fi
	fake_kernel_tests
	unset CKPT_CGROUP_ROOT CKPT_RUN_DIR
	scratch_cgroup_remove
}

# checkpoint and restart against fakeckpt.so, which stands in for the
# system calls: the kernel's part is faked, ckptctl's is real.
fake_kernel_tests() {
	if [ ! -x "$BIN/ckptctl-dyn" ] || [ ! -f "$BIN/fakeckpt.so" ]; then
		skip "checkpoint/restart with a fake kernel" "no ckptctl-dyn or fakeckpt.so"
		return
	fi
	F="env LD_PRELOAD=$BIN/fakeckpt.so FAKECKPT_IMAGE=$T/a.img $BIN/ckptctl-dyn"
	expect 0 "fake: --version shows the kernel's ABI" $F --version
	grep_ok "fake: ABI 3" "$T/out" "^kernel: ckpt ABI 3"

	expect 0 "fake: run" $F run --name f1 -- sleep 100
	expect 0 "fake: checkpoint" $F checkpoint -o "$T/f1.img" f1
	if cmp -s "$T/f1.img" "$T/a.img"; then ok "fake: image written"; else nok "fake: image written"; fi
	grep_ok "fake: kernel log passed on" "$T/err" "^ckptctl: kernel: fake: checkpoint done, flags 0x0"

	expect 0 "fake: checkpoint --subtree" $F checkpoint -o "$T/f1.img" --subtree f1
	grep_ok "fake: --subtree passes CKPT_CHECKPOINT_SUBTREE" "$T/err" "checkpoint done, flags 0x4\$"
	expect 1 "fake: --subtree on an ABI 1 kernel" env FAKECKPT_ABI=1 $F checkpoint -o "$T/f1.img" --subtree f1
	grep_ok "fake: --subtree needs ABI 2" "$T/err" "^ckptctl: --subtree needs ckpt ABI 2, the kernel has ABI 1"
	grep_ok "fake: refused --subtree leaves it thawed" "$cg/f1/cgroup.events" "frozen 0"
	expect 0 "fake: checkpoint on an ABI 1 kernel" env FAKECKPT_ABI=1 $F checkpoint -o "$T/f1.img" f1
	grep_ok "fake: container thawed after checkpoint" "$cg/f1/cgroup.events" "frozen 0"

	expect 0 "fake: checkpoint --keep-frozen" $F checkpoint -o "$T/f1.img" --keep-frozen f1
	grep_ok "fake: container left frozen" "$cg/f1/cgroup.events" "frozen 1"
	expect 0 "fake: checkpoint of a frozen container" $F checkpoint -o "$T/f1.img" f1
	grep_ok "fake: a frozen container stays frozen" "$cg/f1/cgroup.events" "frozen 1"
	expect 0 "fake: thaw" $F thaw f1

	expect 1 "fake: refused checkpoint" \
		env FAKECKPT_FAIL=EBUSY $F checkpoint -o "$T/f1b.img" f1
	grep_ok "fake: every kernel line is passed on" "$T/err" "^ckptctl: kernel: fake: second line without newline"
	grep_ok "fake: EBUSY hint" "$T/err" "is the container frozen / ptraced"
	if [ ! -e "$T/f1b.img" ] && ! ls "$T"/f1b.img.tmp.* >/dev/null 2>&1; then ok "fake: no image after a refusal"; else nok "fake: no image after a refusal"; fi
	grep_ok "fake: thawed after a refusal" "$cg/f1/cgroup.events" "frozen 0"

	$F checkpoint -o - f1 2>"$T/err" | "$CKPTCTL" info - >"$T/out" 2>&1
	grep_ok "fake: checkpoint -o - | info -" "$T/out" "^checksum: ok"

	expect 0 "fake: checkpoint --kill" $F checkpoint -o "$T/f1.img" --kill f1
	if [ ! -d "$cg/f1" ] && [ ! -d "$T/run/f1" ] && [ -f "$T/run/f1.log" ]; then
		ok "fake: --kill removes cgroup and state, keeps the log"
	else
		nok "fake: --kill removes cgroup and state, keeps the log"
	fi

	expect 0 "fake: restart under the freed name" $F restart -i "$T/f1.img" --name f1
	rpid=$(cat "$T/out")
	if grep -q "^$rpid\$" "$T/run/f1/pid" && grep -q "/ckpt/f1\$" "/proc/$rpid/cgroup"; then
		ok "fake: restarted init in its cgroup, state recorded"
	else
		nok "fake: restarted init in its cgroup, state recorded"
	fi
	expect 1 "fake: restart under a name in use" $F restart -i "$T/f1.img" --name f1
	expect 0 "fake: restart --frozen" $F restart -i "$T/f1.img" --name f2 --frozen
	grep_ok "fake: restarted frozen" "$cg/f2/cgroup.events" "frozen 1"
	expect 5 "fake: restart --wait from a pipe" \
		sh -c "FAKECKPT_CMD='exit 5' $F restart -i - --wait <'$T/f1.img'"
	expect 1 "fake: refused restart" \
		env FAKECKPT_FAIL=EOPNOTSUPP $F restart -i "$T/f1.img" --name f3
	if [ ! -d "$cg/f3" ] && [ ! -d "$T/run/f3" ]; then ok "fake: refused restart leaves nothing"; else nok "fake: refused restart leaves nothing"; fi
	expect 0 "fake: kill f1" $F kill f1
	expect 0 "fake: kill a frozen container" $F kill f2
	if [ ! -d "$cg/f1" ] && [ ! -d "$cg/f2" ]; then ok "fake: all cleaned up"; else nok "fake: all cleaned up"; fi
}

xxh64_tests
valid_tests
damage_tests
usage_tests
container_tests

echo "$pass passed, $fail failed, $skip skipped"
[ $fail = 0 ]
