// SPDX-License-Identifier: GPL-2.0
/*
 * echo - an epoll-driven unix socket echo server and its many clients,
 * connected through two listening sockets, with data in flight both ways
 * and connections not yet accepted at checkpoint time.
 *
 * Usage: echo CONNS PROCS TICK_MS DELAY PATH
 *
 * The init (S) listens on PATH (SOCK_STREAM, backlog 128) and on an
 * abstract name (SOCK_SEQPACKET, backlog 16), forks PROCS client
 * processes and serves with one epoll set.  Client p makes connections
 * p, p + PROCS, ... below CONNS: every tenth one seqpacket to the abstract
 * name, the others stream to PATH.  On each, a client at once sends BURST
 * messages, then tells S through a pipe and sleeps until tick START.
 *
 * Before tick START, S accepts all but 20 stream and 4 seqpacket
 * connections (fewer than the backlogs: no client is left waiting in
 * connect()), greets each (GREET bytes) and reads nothing: a checkpoint
 * then finds every
 * connection's burst unread, the greetings unread, and 24 connections
 * (with their bursts) waiting in the listeners' queues.  S prints "ready"
 * once it is so and every client has made its connections; tick START is
 * DELAY ticks later.  From tick START
 * S accepts the rest and echoes whatever it reads, message by message on
 * seqpacket connections, until every client has closed every connection.
 *
 * From tick START each client reads, on every connection, the greeting
 * and the echoes of its burst, makes one more connection (through the
 * path or the abstract name: after a restart, the names must still lead
 * to S) for one message and its echo, then runs ROUNDS rounds of one message per
 * connection and its echo, checking every byte and message boundary, and
 * exits with a hash of all it received in shared memory.  S prints "tick
 * K pid 1" every tick before START, then "RESULT OK <hash>" (or "RESULT
 * FAIL").
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <signal.h>
#include <stddef.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/wait.h>

#include "workload.h"

#define MAX_CONNS	4096	/* with the late ones */
#define MAX_PROCS	64
/* Connections left in the queue of each listener until tick START. */
static const int pend[2] = { 20, 4 };
#define BURST		2
#define ROUNDS		10
#define GREET		64
#define MSG_MAX		1200
#define ABSTRACT	"ckpt-echo-test"

static int nconns, nprocs;
static long tick_ms, start_tick;
static const char *path;
static int64_t t0;

static long current_tick(void)
{
	return (mono_ns() - t0) / (tick_ms * 1000000LL);
}

static void sleep_until_tick(long k)
{
	int64_t at = t0 + k * tick_ms * 1000000LL, now = mono_ns();

	if (at > now)
		sleep_ms((at - now + 999999) / 1000000);
}

static int conn_type(int j)
{
	return j % 10 == 9 ? SOCK_SEQPACKET : SOCK_STREAM;
}

/* Message @k of connection @j: its length, and its bytes in @buf. */
static size_t make_msg(unsigned char *buf, int j, int k)
{
	uint64_t seed = 0x9e3779b97f4a7c15ULL * (j + 1) + k * 7919;
	size_t len, i;

	xorshift64(&seed);
	len = 8 + xorshift64(&seed) % (MSG_MAX - 8);
	memcpy(buf, &j, 4);
	memcpy(buf + 4, &k, 4);
	for (i = 8; i < len; i++)
		buf[i] = xorshift64(&seed);
	return len;
}

static void make_greet(unsigned char *buf)
{
	int i;

	for (i = 0; i < GREET; i++)
		buf[i] = 'a' + i % 26;
}

static socklen_t addr_of(int type, struct sockaddr_un *sun)
{
	memset(sun, 0, sizeof(*sun));
	sun->sun_family = AF_UNIX;
	if (type == SOCK_STREAM) {
		strncpy(sun->sun_path, path, sizeof(sun->sun_path) - 1);
		return sizeof(*sun);
	}
	memcpy(sun->sun_path + 1, ABSTRACT, strlen(ABSTRACT));
	return offsetof(struct sockaddr_un, sun_path) + 1 + strlen(ABSTRACT);
}

/* Reads exactly @len bytes (stream) or one message (seqpacket). */
static void recv_check(int fd, int type, const unsigned char *want, size_t len,
		       uint64_t *hash, int j, const char *what)
{
	unsigned char buf[MSG_MAX + 16];
	size_t got = workload_recv(fd, type, buf, len, sizeof(buf), what);

	if (got != len || memcmp(buf, want, len))
		workload_fail("conn %d: %s: %zu bytes, expected %zu (or other bytes)",
			      j, what, got, len);
	*hash = fnv1a(*hash, buf, got);
}

static void send_all(int fd, const unsigned char *buf, size_t len,
		     const char *what)
{
	if (send(fd, buf, len, MSG_NOSIGNAL) != (ssize_t)len)
		workload_die(what);
}

static void client(int p, uint64_t *out, int ready)
{
	static int fds[MAX_CONNS];
	unsigned char msg[MSG_MAX], greet[GREET];
	uint64_t hash = FNV_INIT;
	struct sockaddr_un sun;
	int j, k;
	size_t len;

	make_greet(greet);
	for (j = p; j < nconns; j += nprocs) {
		int type = conn_type(j);
		socklen_t alen = addr_of(type, &sun);

		/* A byte lost is a failure in minutes, not a hang. */
		struct timeval tv = { .tv_sec = 120 };

		fds[j] = socket(AF_UNIX, type, 0);
		if (fds[j] < 0 || connect(fds[j], (void *)&sun, alen) ||
		    setsockopt(fds[j], SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv)))
			workload_die("client connect");
		for (k = 0; k < BURST; k++) {
			len = make_msg(msg, j, k);
			send_all(fds[j], msg, len, "client burst");
		}
	}
	if (write(ready, "r", 1) != 1)
		workload_die("ready");
	while (!__atomic_load_n(&out[MAX_PROCS], __ATOMIC_ACQUIRE))
		sleep_ms(tick_ms);
	sleep_until_tick(out[MAX_PROCS]);
	for (j = p; j < nconns; j += nprocs) {
		recv_check(fds[j], conn_type(j), greet, GREET, &hash, j, "greeting");
		for (k = 0; k < BURST; k++) {
			len = make_msg(msg, j, k);
			recv_check(fds[j], conn_type(j), msg, len, &hash, j,
				   "burst echo");
		}
	}
	/* A connection made after tick START: the names still work. */
	j = nconns + p;
	fds[j] = socket(AF_UNIX, conn_type(j), 0);
	if (fds[j] < 0 || connect(fds[j], (void *)&sun, addr_of(conn_type(j), &sun)))
		workload_die("late connect");
	recv_check(fds[j], conn_type(j), greet, GREET, &hash, j, "late greeting");
	len = make_msg(msg, j, 0);
	send_all(fds[j], msg, len, "late send");
	recv_check(fds[j], conn_type(j), msg, len, &hash, j, "late echo");
	close(fds[j]);
	for (k = BURST; k < BURST + ROUNDS; k++) {
		for (j = p; j < nconns; j += nprocs) {
			len = make_msg(msg, j, k);
			send_all(fds[j], msg, len, "client round");
		}
		for (j = p; j < nconns; j += nprocs) {
			len = make_msg(msg, j, k);
			recv_check(fds[j], conn_type(j), msg, len, &hash, j,
				   "round echo");
		}
	}
	for (j = p; j < nconns; j += nprocs)
		close(fds[j]);
	out[p] = workload_bad ? 0 : hash;
	exit(workload_bad ? 1 : 0);
}

static int listen_on(int type, int backlog)
{
	struct sockaddr_un sun;
	socklen_t alen = addr_of(type, &sun);
	int fd = socket(AF_UNIX, type | SOCK_NONBLOCK, 0);

	if (type == SOCK_STREAM)
		unlink(path);
	if (fd < 0 || bind(fd, (void *)&sun, alen) || listen(fd, backlog))
		workload_die("listen");
	return fd;
}

static void watch(int ep, int fd)
{
	struct epoll_event ev = { .events = EPOLLIN, .data.fd = fd };

	if (epoll_ctl(ep, EPOLL_CTL_ADD, fd, &ev))
		workload_die("epoll_ctl");
}

/* Accepts one connection of @lfd, greets it and watches it; 1 if one. */
static int accept_one(int ep, int lfd)
{
	unsigned char greet[GREET];
	int fd = accept4(lfd, NULL, NULL, 0);

	if (fd < 0) {
		if (errno == EAGAIN)
			return 0;
		workload_die("accept");
	}
	make_greet(greet);
	send_all(fd, greet, GREET, "greet");
	watch(ep, fd);
	return 1;
}

int main(int argc, char **argv)
{
	struct rlimit rl = { MAX_CONNS + 64, MAX_CONNS + 64 };
	struct epoll_event evs[64];
	unsigned char buf[65536];
	uint64_t *hashes, hash = FNV_INIT, bytes = 0;
	int lfd[2], rp[2], ep, p, i, n, accepted = 0, closed = 0, st, bad = 0;
	int nready = 0, said = 0, nacc[2] = { 0, 0 }, nof[2] = { 0, 0 };
	char c;

	workload_init();
	nconns = arg_long(argc, argv, 1, 1000);
	nprocs = arg_long(argc, argv, 2, 4);
	tick_ms = arg_long(argc, argv, 3, 100);
	start_tick = arg_long(argc, argv, 4, 100);
	path = argc > 5 ? argv[5] : "/tmp/ckpt-echo.sock";
	if (nconns < 100 || nconns + MAX_PROCS > MAX_CONNS || nprocs < 1 ||
	    nprocs > MAX_PROCS || tick_ms < 1 || strlen(path) > 100) {
		printf("usage: echo CONNS PROCS TICK_MS DELAY PATH\nRESULT FAIL\n");
		return 1;
	}
	for (i = 0; i < nconns; i++)
		nof[conn_type(i) == SOCK_SEQPACKET]++;
	if (setrlimit(RLIMIT_NOFILE, &rl))
		workload_die("setrlimit");
	signal(SIGPIPE, SIG_IGN);
	hashes = mmap(NULL, (MAX_PROCS + 1) * sizeof(*hashes), PROT_READ | PROT_WRITE,
		      MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (hashes == MAP_FAILED)
		workload_die("mmap");
	ep = epoll_create1(0);
	lfd[0] = listen_on(SOCK_STREAM, 128);
	lfd[1] = listen_on(SOCK_SEQPACKET, 16);
	if (ep < 0 || pipe2(rp, O_NONBLOCK))
		workload_die("epoll_create1, pipe2");
	t0 = mono_ns();
	for (p = 0; p < nprocs; p++) {
		pid_t pid = fork();

		if (pid < 0)
			workload_die("fork");
		if (!pid) {
			close(lfd[0]);
			close(lfd[1]);
			close(ep);
			close(rp[0]);
			client(p, hashes, rp[1]);
		}
	}

	/* Accept all but pend[] connections; read nothing. */
	while (!said || current_tick() < start_tick) {
		for (i = 0; i < 2; i++)
			while (nacc[i] < nof[i] - pend[i] && accept_one(ep, lfd[i]))
				nacc[i]++;
		accepted = nacc[0] + nacc[1];
		while (read(rp[0], &c, 1) == 1)
			nready++;
		if (!said && nready == nprocs &&
		    accepted == nconns - pend[0] - pend[1]) {
			start_tick += current_tick();
			__atomic_store_n(&hashes[MAX_PROCS], start_tick,
					 __ATOMIC_RELEASE);
			printf("ready, start at tick %ld\n", start_tick);
			said = 1;
		}
		printf("tick %ld pid %d accepted %d\n", current_tick(), getpid(),
		       accepted);
		sleep_ms(tick_ms);
	}
	watch(ep, lfd[0]);
	watch(ep, lfd[1]);
	while (closed < nconns + nprocs) {
		n = epoll_wait(ep, evs, 64, -1);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			workload_die("epoll_wait");
		for (i = 0; i < n; i++) {
			int fd = evs[i].data.fd;
			ssize_t got;

			if (fd == lfd[0] || fd == lfd[1]) {
				while (accept_one(ep, fd))
					accepted++;
				continue;
			}
			got = read(fd, buf, sizeof(buf));
			if (got < 0)
				workload_die("server read");
			if (!got) {
				epoll_ctl(ep, EPOLL_CTL_DEL, fd, NULL);
				close(fd);
				closed++;
				continue;
			}
			bytes += got;
			send_all(fd, buf, got, "echo");
		}
	}
	for (p = 0; p < nprocs; p++) {
		if (wait(&st) < 0 || !WIFEXITED(st) || WEXITSTATUS(st))
			bad++;
	}
	if (accepted != nconns + nprocs)
		workload_fail("accepted %d connections, expected %d", accepted,
			      nconns + nprocs);
	for (p = 0; p < nprocs; p++) {
		if (!hashes[p])
			bad++;
		hash = fnv1a(hash, &hashes[p], sizeof(hashes[p]));
	}
	hash = fnv1a(hash, &bytes, sizeof(bytes));
	printf("echoed %llu bytes on %d connections\n",
	       (unsigned long long)bytes, accepted);
	if (bad || workload_bad)
		printf("RESULT FAIL (%d clients failed)\n", bad);
	else
		printf("RESULT OK %016llx\n", (unsigned long long)hash);
	unlink(path);
	return 0;
}
