// SPDX-License-Identifier: GPL-2.0
/*
 * unix - an echo server and its clients over unix socketpairs, with data
 * queued both ways at checkpoint time.
 *
 * Usage: unix [CLIENTS [TICK_MS [START]]]	(defaults: 6 clients, 100 ms,
 *						 start at tick 150)
 *
 * The init (S) makes one socketpair per client, of the types stream,
 * seqpacket and dgram in turn, sets SO_PASSCRED on its ends of the stream
 * pairs (and on the client end of the first dgram pair, which autobinds
 * it), forks the clients and queues GREET messages to each.  Each client
 * at once queues BURST messages to S, then sleeps until tick START.  S
 * prints "tick K pid 1" every tick and reads nothing before tick START, so
 * a checkpoint taken before it finds messages queued both ways.
 *
 * From tick START: each client reads its greetings, then the echoes of its
 * burst, then sends the rest of its MSGS messages one by one and reads
 * each echo; it checks every message's length (message boundaries) and
 * bytes, hashes all it received into shared memory and exits.  S echoes
 * whatever it reads, message by message, checks the credentials of what
 * the stream clients send (their pid and uid), and hashes what it reads.
 *
 * S also holds, from the start:
 *   half_s   a stream socket whose peer wrote 15 bytes and closed
 *   half_d   a datagram socket whose peer sent 3 datagrams and closed
 *   shut     a stream pair, one end wrote 15 bytes and shut down writing
 *   nb       a stream pair: one end O_NONBLOCK with SO_SNDBUF 8192, filled
 *            until EAGAIN; the other with SO_RCVTIMEO 1.5 s
 *   lone     a datagram socket connected to nothing
 * and checks them at the end: bytes then end of file, datagrams then
 * EAGAIN then ECONNREFUSED then ENOTCONN, EPIPE on the shut end, the
 * options and flags.  It prints "RESULT OK <hash>" or "RESULT FAIL".
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <poll.h>
#include <stdarg.h>
#include <stdbool.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/wait.h>

#include "workload.h"

#define MAX_CLIENTS	256
#define GREET		10
#define BURST		20
#define MSGS		40
#define MSG_MAX		3000
#define HDR		8

static int nclients;
static long tick_ms;
static long start_tick;
static int64_t t0;

static const int types[3] = { SOCK_STREAM, SOCK_SEQPACKET, SOCK_DGRAM };

/* Message @seq of the stream from @from (0: the server) to client @c. */
static size_t make_msg(unsigned char *buf, int c, int from, uint32_t seq)
{
	uint64_t seed = 0x9e3779b97f4a7c15ULL * (c + 1) + seq * 7919 + from;
	uint32_t len, i;

	xorshift64(&seed);
	len = 1 + xorshift64(&seed) % MSG_MAX;
	memcpy(buf, &seq, 4);
	memcpy(buf + 4, &len, 4);
	for (i = 0; i < len; i++)
		buf[HDR + i] = xorshift64(&seed);
	return HDR + len;
}

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

/* Reads one message (stream: by its header) and checks it is @want. */
static void recv_msg(int fd, int type, const unsigned char *want, size_t len,
		     uint64_t *hash, const char *what)
{
	unsigned char buf[HDR + MSG_MAX + 16];
	size_t got = workload_recv(fd, type, buf, len, sizeof(buf), what);

	if (got != len || memcmp(buf, want, len))
		workload_fail("%s: message of %zu bytes, expected %zu (or other bytes)",
		     what, got, len);
	*hash = fnv1a(*hash, buf, got);
}

static void client(int c, int fd, uint64_t *out)
{
	unsigned char msg[HDR + MSG_MAX];
	int type = types[c % 3];
	uint64_t hash = FNV_INIT;
	uint32_t seq;
	size_t len;

	for (seq = 0; seq < BURST; seq++) {
		len = make_msg(msg, c, 1, seq);
		if (send(fd, msg, len, 0) != (ssize_t)len)
			workload_die("client burst");
	}
	sleep_until_tick(start_tick);
	for (seq = 0; seq < GREET; seq++) {
		len = make_msg(msg, c, 0, seq);
		recv_msg(fd, type, msg, len, &hash, "greeting");
	}
	for (seq = 0; seq < BURST; seq++) {
		len = make_msg(msg, c, 1, seq);
		recv_msg(fd, type, msg, len, &hash, "burst echo");
	}
	for (; seq < MSGS; seq++) {
		len = make_msg(msg, c, 1, seq);
		if (send(fd, msg, len, 0) != (ssize_t)len)
			workload_die("client send");
		recv_msg(fd, type, msg, len, &hash, "echo");
	}
	*out = hash;
	exit(workload_bad ? 1 : 0);
}

static int type_of(int fd)
{
	socklen_t l = sizeof(int);
	int v = -1;

	if (getsockopt(fd, SOL_SOCKET, SO_TYPE, &v, &l))
		workload_die("SO_TYPE");
	return v;
}

/* Echoes what @fd has (false at end of file); checks SCM_CREDENTIALS when @pid is set. */
static bool echo(int fd, pid_t pid, uint64_t *hash)
{
	static unsigned char buf[65536];
	union {
		struct cmsghdr h;
		char b[CMSG_SPACE(sizeof(struct ucred))];
	} ctl;
	struct iovec iov = { buf, sizeof(buf) };
	struct msghdr mh = {
		.msg_iov = &iov, .msg_iovlen = 1,
		.msg_control = &ctl, .msg_controllen = sizeof(ctl),
	};
	ssize_t n;

	n = recvmsg(fd, &mh, MSG_DONTWAIT);
	if (n < 0 && errno == EAGAIN)
		return true;
	if (n < 0)
		workload_die("server recvmsg");
	if (!n && type_of(fd) != SOCK_DGRAM)
		return false;	/* end of file: the client is done */
	if (pid) {
		struct cmsghdr *cm = CMSG_FIRSTHDR(&mh);
		struct ucred uc;

		if (!cm || cm->cmsg_type != SCM_CREDENTIALS)
			workload_fail("no credentials from client pid %d", pid);
		else {
			memcpy(&uc, CMSG_DATA(cm), sizeof(uc));
			if (uc.pid != pid || uc.uid != getuid())
				workload_fail("credentials pid %d uid %u, expected %d %u",
				     uc.pid, uc.uid, pid, getuid());
		}
	}
	*hash = fnv1a(*hash, buf, n);
	if (n && send(fd, buf, n, MSG_NOSIGNAL) != n)
		workload_die("server echo");
	return true;
}

static int xsocketpair(int type, int sv[2])
{
	if (socketpair(AF_UNIX, type, 0, sv))
		workload_die("socketpair");
	return 0;
}

static void setint(int fd, int opt, int v)
{
	if (setsockopt(fd, SOL_SOCKET, opt, &v, sizeof(v)))
		workload_die("setsockopt");
}

static int getint(int fd, int opt)
{
	socklen_t l = sizeof(int);
	int v = -1;

	if (getsockopt(fd, SOL_SOCKET, opt, &v, &l))
		workload_die("getsockopt");
	return v;
}

struct special {
	int half_s, half_d, shut[2], nb[2], lone;
	int nb_sndbuf;
	size_t nb_bytes;
};

static void make_special(struct special *sp)
{
	struct timeval tv = { 1, 500000 };
	unsigned char chunk[1000];
	int sv[2];

	xsocketpair(SOCK_STREAM, sv);
	if (write(sv[1], "tail data 12345", 15) != 15)
		workload_die("half_s");
	close(sv[1]);
	sp->half_s = sv[0];

	xsocketpair(SOCK_DGRAM, sv);
	if (send(sv[1], "a", 1, 0) != 1 ||
	    send(sv[1], "fifty bytes of a datagram, to the very last one..", 50, 0) != 50 ||
	    send(sv[1], "seven!!", 7, 0) != 7)
		workload_die("half_d");
	close(sv[1]);
	sp->half_d = sv[0];

	xsocketpair(SOCK_STREAM, sp->shut);
	if (write(sp->shut[0], "before shutdown", 15) != 15 ||
	    shutdown(sp->shut[0], SHUT_WR))
		workload_die("shut");

	xsocketpair(SOCK_STREAM, sp->nb);
	setint(sp->nb[0], SO_SNDBUF, 8192);
	sp->nb_sndbuf = getint(sp->nb[0], SO_SNDBUF);
	if (setsockopt(sp->nb[1], SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv)) ||
	    fcntl(sp->nb[0], F_SETFL, O_NONBLOCK))
		workload_die("nb");
	for (;;) {
		ssize_t n;

		memset(chunk, sp->nb_bytes / 1000 % 251, sizeof(chunk));
		n = write(sp->nb[0], chunk, sizeof(chunk));
		if (n < 0 && errno == EAGAIN)
			break;
		if (n != sizeof(chunk))
			workload_die("nb fill");
		sp->nb_bytes += n;
	}

	sp->lone = socket(AF_UNIX, SOCK_DGRAM, 0);
	if (sp->lone < 0)
		workload_die("lone");
}

static void check_special(struct special *sp, uint64_t *hash)
{
	unsigned char buf[4096];
	struct timeval tv;
	socklen_t l = sizeof(tv);
	size_t got = 0;
	ssize_t n;

	n = read(sp->half_s, buf, sizeof(buf));
	if (n != 15 || memcmp(buf, "tail data 12345", 15) ||
	    read(sp->half_s, buf, sizeof(buf)) != 0)
		workload_fail("half_s: %zd bytes, then no end of file", n);
	*hash = fnv1a(*hash, buf, 15);

	if (recv(sp->half_d, buf, sizeof(buf), MSG_DONTWAIT) != 1 ||
	    recv(sp->half_d, buf, sizeof(buf), MSG_DONTWAIT) != 50 ||
	    recv(sp->half_d, buf, sizeof(buf), MSG_DONTWAIT) != 7 ||
	    memcmp(buf, "seven!!", 7))
		workload_fail("half_d: datagrams lost or merged");
	if (recv(sp->half_d, buf, sizeof(buf), MSG_DONTWAIT) != -1 ||
	    errno != EAGAIN)
		workload_fail("half_d: no EAGAIN after the datagrams");
	if (send(sp->half_d, "x", 1, 0) != -1 || errno != ECONNREFUSED)
		workload_fail("half_d: sending to the closed peer: errno %d", errno);
	if (send(sp->half_d, "x", 1, 0) != -1 || errno != ENOTCONN)
		workload_fail("half_d: sending again: errno %d", errno);

	n = read(sp->shut[1], buf, sizeof(buf));
	if (n != 15 || memcmp(buf, "before shutdown", 15) ||
	    read(sp->shut[1], buf, sizeof(buf)) != 0)
		workload_fail("shut: %zd bytes, then no end of file", n);
	if (send(sp->shut[0], "x", 1, MSG_NOSIGNAL) != -1 || errno != EPIPE)
		workload_fail("shut: writing after shutdown: errno %d", errno);

	if (!(fcntl(sp->nb[0], F_GETFL) & O_NONBLOCK))
		workload_fail("nb: O_NONBLOCK lost");
	if (getint(sp->nb[0], SO_SNDBUF) != sp->nb_sndbuf)
		workload_fail("nb: SO_SNDBUF %d, was %d", getint(sp->nb[0], SO_SNDBUF),
		     sp->nb_sndbuf);
	if (getsockopt(sp->nb[1], SOL_SOCKET, SO_RCVTIMEO, &tv, &l) ||
	    tv.tv_sec != 1 || tv.tv_usec != 500000)
		workload_fail("nb: SO_RCVTIMEO %ld.%06ld", (long)tv.tv_sec,
		     (long)tv.tv_usec);
	if (read(sp->nb[0], buf, 1) != -1 || errno != EAGAIN)
		workload_fail("nb: a read that should not block did not say EAGAIN");
	while (got < sp->nb_bytes) {
		n = read(sp->nb[1], buf, sizeof(buf));
		if (n <= 0)
			break;
		for (ssize_t i = 0; i < n; i++)
			if (buf[i] != (got + i) / 1000 % 251)
				workload_fail("nb: byte %zd", got + i);
		*hash = fnv1a(*hash, buf, n);
		got += n;
	}
	if (got != sp->nb_bytes)
		workload_fail("nb: %zu bytes of %zu", got, sp->nb_bytes);

	if (getint(sp->lone, SO_TYPE) != SOCK_DGRAM ||
	    getpeername(sp->lone, (struct sockaddr *)buf, &l) != -1 ||
	    errno != ENOTCONN)
		workload_fail("lone: not an unconnected datagram socket");
}

int main(int argc, char **argv)
{
	int sfd[MAX_CLIENTS], cfd[MAX_CLIENTS];
	pid_t pids[MAX_CLIENTS];
	uint64_t srv_hash[MAX_CLIENTS], *cl_hash;
	bool eof[MAX_CLIENTS] = { };
	struct special sp = { };
	unsigned char msg[HDR + MSG_MAX];
	uint64_t hash = FNV_INIT;
	long tick = 0;
	int c, alive, status;

	workload_init();
	nclients = arg_long(argc, argv, 1, 6);
	tick_ms = arg_long(argc, argv, 2, 100);
	start_tick = arg_long(argc, argv, 3, 150);
	if (nclients < 1 || nclients > MAX_CLIENTS || !tick_ms)
		workload_die("arguments");
	cl_hash = mmap(NULL, MAX_CLIENTS * sizeof(*cl_hash),
		       PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (cl_hash == MAP_FAILED)
		workload_die("mmap");
	t0 = mono_ns();
	make_special(&sp);
	for (c = 0; c < nclients; c++) {
		int sv[2];

		xsocketpair(types[c % 3], sv);
		sfd[c] = sv[0];
		cfd[c] = sv[1];
		if (types[c % 3] == SOCK_STREAM)
			setint(sfd[c], SO_PASSCRED, 1);
		if (c == 2)	/* the first dgram client autobinds */
			setint(cfd[c], SO_PASSCRED, 1);
		srv_hash[c] = FNV_INIT;
	}
	printf("ready pid %d\n", getpid());
	for (c = 0; c < nclients; c++) {
		pids[c] = fork();
		if (pids[c] < 0)
			workload_die("fork");
		if (!pids[c]) {
			for (int i = 0; i < nclients; i++) {
				close(sfd[i]);
				if (i != c)
					close(cfd[i]);
			}
			client(c, cfd[c], &cl_hash[c]);
		}
		close(cfd[c]);
	}
	for (c = 0; c < nclients; c++) {
		uint32_t seq;

		for (seq = 0; seq < GREET; seq++) {
			size_t len = make_msg(msg, c, 0, seq);

			if (send(sfd[c], msg, len, 0) != (ssize_t)len)
				workload_die("greet");
		}
	}

	for (alive = nclients; alive;) {
		struct pollfd pfd[MAX_CLIENTS];
		pid_t p;

		while (tick < current_tick() + 1) {
			printf("tick %ld pid %d\n", ++tick, getpid());
		}
		if (tick <= start_tick) {
			sleep_until_tick(tick);
			continue;
		}
		for (c = 0; c < nclients; c++)
			pfd[c] = (struct pollfd){ .fd = eof[c] ? -1 : sfd[c],
						  .events = POLLIN };
		if (poll(pfd, nclients, tick_ms) < 0 && errno != EINTR)
			workload_die("poll");
		for (c = 0; c < nclients; c++)
			if (pfd[c].revents & (POLLIN | POLLHUP) &&
			    !echo(sfd[c],
				  types[c % 3] == SOCK_STREAM ? pids[c] : 0,
				  &srv_hash[c]))
				eof[c] = true;
		while ((p = waitpid(-1, &status, WNOHANG)) > 0) {
			alive--;
			if (!WIFEXITED(status) || WEXITSTATUS(status))
				workload_fail("client pid %d: status 0x%x", p, status);
		}
	}
	for (c = 0; c < nclients; c++) {
		hash = fnv1a(hash, &srv_hash[c], sizeof(srv_hash[c]));
		hash = fnv1a(hash, &cl_hash[c], sizeof(cl_hash[c]));
	}
	check_special(&sp, &hash);
	if (workload_bad)
		printf("RESULT FAIL\n");
	else
		printf("RESULT OK %016llx\n", (unsigned long long)hash);
	return workload_bad ? 1 : 0;
}
