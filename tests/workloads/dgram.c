// SPDX-License-Identifier: GPL-2.0
/*
 * dgram - a datagram server and its clients connected one way, syslog
 * style, with messages queued both ways at checkpoint time.
 *
 * Usage: dgram TICK_MS START PATH
 *
 * The init (S) binds a datagram socket to PATH (mode 0620 after bind) and
 * another to an abstract name, and forks three clients:
 *   C1  autobinds, connects to PATH
 *   C2  binds an abstract name of its own, connects to the abstract server
 *   C3  has no name, connects to PATH
 * Each client sends a HELLO; S reads the three (learning C1's and C2's
 * names), sends GREET datagrams to C1 and C2 by name (sendto), and tells
 * the clients to go on through shared memory.  Each client then sends
 * BURST datagrams of varied lengths and sleeps until tick START.  S also
 * sends, before START, datagrams to PATH from an unconnected socket it
 * keeps (U), from a socket it closes at once (Z), and from a socket bound
 * to an abstract name that it closes too (ZB, to the abstract server).
 * S prints "tick K pid 1" every tick and reads nothing before START, so a
 * checkpoint taken before then finds messages queued on both servers, from
 * five senders, and on C1 and C2.
 *
 * From tick START, S reads every queued datagram and checks its sender's
 * address (C1: an automatic name; C2 and ZB: their names; C3, U and Z:
 * none) and that each sender's datagrams arrive in order, intact; it
 * echoes each client datagram to the sender's address from the socket it
 * arrived on.  Each client reads its greetings, then the echoes of its
 * burst (C3 gets none: no name), then sends MSGS more one by one and reads
 * each echo, checking lengths and bytes, and hashes all it received into
 * shared memory.  S prints "RESULT OK <hash>" or "RESULT FAIL".
 */
#define _GNU_SOURCE
#include <stddef.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>

#include "workload.h"

#define NCLIENTS	3
#define GREET		4
#define MSGS		5
/*
 * What waits on PATH's server before START: 2 * BURST + NU + NZ = 10.  A
 * datagram socket takes at most net.unix.max_dgram_qlen + 1 (11 by
 * default) from senders it is not connected to; one more and a sender
 * blocks (S itself, or a client, by timing), and so would restart's
 * sends (EAGAIN).
 */
#define BURST		3
#define NU		2
#define NZ		2
#define NZB		2
#define MSG_MAX		2000
#define HDR		8

static const char *const abs_srv = "ckpt-dgram-srv";
static const char *const abs_c2 = "ckpt-dgram-c2";
static const char *const abs_zb = "ckpt-dgram-zb";

struct shared {
	volatile int go;
	uint64_t hash[NCLIENTS];
	int bad[NCLIENTS];
};

static struct shared *sh;
static long tick_ms;
static long start_tick;
static int64_t t0;

static socklen_t addr_path(struct sockaddr_un *sun, const char *path)
{
	memset(sun, 0, sizeof(*sun));
	sun->sun_family = AF_UNIX;
	strncpy(sun->sun_path, path, sizeof(sun->sun_path) - 1);
	return sizeof(*sun);
}

static socklen_t addr_abs(struct sockaddr_un *sun, const char *name)
{
	memset(sun, 0, sizeof(*sun));
	sun->sun_family = AF_UNIX;
	memcpy(sun->sun_path + 1, name, strlen(name));
	return offsetof(struct sockaddr_un, sun_path) + 1 + strlen(name);
}

/* Datagram @i of sender @who: "who i len" then bytes of a pattern. */
static size_t make_msg(char *buf, int who, int i)
{
	size_t len = HDR + (size_t)(who * 131 + i * 377) % (MSG_MAX - HDR);
	size_t k;

	memset(buf, 0, HDR);
	buf[0] = 'A' + who;
	buf[1] = i;
	for (k = HDR; k < len; k++)
		buf[k] = (char)(who * 7 + i * 13 + k);
	return len;
}

static int check_msg(const char *buf, size_t len, int who, int i)
{
	char want[MSG_MAX];
	size_t n = make_msg(want, who, i);

	return n == len && !memcmp(buf, want, n);
}

static void wait_tick(long k)
{
	int64_t until = t0 + k * tick_ms * 1000000LL;
	int64_t now;

	while ((now = mono_ns()) < until)
		sleep_ms((until - now) / 1000000 + 1);
}

static int dgram_socket(void)
{
	int fd = socket(AF_UNIX, SOCK_DGRAM, 0);

	if (fd < 0)
		workload_die("socket");
	return fd;
}

/*
 * Client @c: sender ids 0..2.  Receives GREET greetings, BURST echoes
 * (named clients), then MSGS round trips.
 */
static void client(int c, const char *path)
{
	struct sockaddr_un sun;
	char buf[MSG_MAX + 1];
	uint64_t h = FNV_INIT;
	socklen_t len;
	int fd = dgram_socket(), i, bad = 0;
	ssize_t n;

	if (c == 0) {
		sun.sun_family = AF_UNIX;
		if (bind(fd, (struct sockaddr *)&sun, sizeof(sa_family_t)))
			workload_die("autobind");
	} else if (c == 1) {
		len = addr_abs(&sun, abs_c2);
		if (bind(fd, (struct sockaddr *)&sun, len))
			workload_die("bind c2");
	}
	len = c == 1 ? addr_abs(&sun, abs_srv) : addr_path(&sun, path);
	if (connect(fd, (struct sockaddr *)&sun, len))
		workload_die("connect");
	if (send(fd, "HELLO", 5, 0) != 5)
		workload_die("hello");
	while (!sh->go)
		sleep_ms(5);
	for (i = 0; i < BURST; i++) {
		size_t m = make_msg(buf, c, i);

		if (send(fd, buf, m, 0) != (ssize_t)m)
			workload_die("burst");
	}
	wait_tick(start_tick);

	if (c != 2) {
		for (i = 0; i < GREET; i++) {
			n = recv(fd, buf, sizeof(buf), 0);
			if (n < 0 || !check_msg(buf, n, 10 + c, i))
				bad++;
			h = fnv1a(h, buf, n > 0 ? n : 0);
		}
		for (i = 0; i < BURST; i++) {
			n = recv(fd, buf, sizeof(buf), 0);
			if (n < 0 || !check_msg(buf, n, c, i))
				bad++;
			h = fnv1a(h, buf, n > 0 ? n : 0);
		}
	}
	for (i = BURST; i < BURST + MSGS; i++) {
		size_t m = make_msg(buf, c, i);

		if (send(fd, buf, m, 0) != (ssize_t)m)
			workload_die("send");
		if (c == 2)
			continue;
		n = recv(fd, buf, sizeof(buf), 0);
		if (n < 0 || !check_msg(buf, n, c, i))
			bad++;
		h = fnv1a(h, buf, n > 0 ? n : 0);
	}
	sh->hash[c] = h;
	sh->bad[c] = bad;
	exit(0);
}

/* Sends @nr datagrams of sender @who from a new socket (bound to @name). */
static int send_from(const char *name, int who, int nr,
		     const struct sockaddr_un *to, socklen_t to_len, int keep)
{
	struct sockaddr_un sun;
	char buf[MSG_MAX];
	int fd = dgram_socket(), i;

	if (name && bind(fd, (struct sockaddr *)&sun, addr_abs(&sun, name)))
		workload_die("bind sender");
	for (i = 0; i < nr; i++) {
		size_t m = make_msg(buf, who, i);

		if (sendto(fd, buf, m, 0, (const struct sockaddr *)to,
			   to_len) != (ssize_t)m)
			workload_die("sendto");
	}
	if (keep)
		return fd;
	close(fd);
	return -1;
}

/* What the sender of a datagram is, from its address. */
static int sender_kind(const struct sockaddr_un *sun, socklen_t len)
{
	size_t n = len - offsetof(struct sockaddr_un, sun_path);
	int i;

	if (len <= offsetof(struct sockaddr_un, sun_path))
		return 'n';		/* no name */
	if (n == strlen(abs_c2) + 1 && !sun->sun_path[0] &&
	    !memcmp(sun->sun_path + 1, abs_c2, n - 1))
		return '2';
	if (n == strlen(abs_zb) + 1 && !sun->sun_path[0] &&
	    !memcmp(sun->sun_path + 1, abs_zb, n - 1))
		return 'b';
	if (n != 6 || sun->sun_path[0])
		return '?';
	for (i = 1; i < 6; i++)
		if (!strchr("0123456789abcdef", sun->sun_path[i]))
			return '?';
	return 'a';		/* an automatic name */
}

/* Reads and checks every datagram queued on @fd, echoing clients'. */
static void drain(int fd, int *next, uint64_t *h, int *bad)
{
	char buf[MSG_MAX + 1];
	struct sockaddr_un from;
	socklen_t len;
	ssize_t n;

	for (;;) {
		int who, kind;

		len = sizeof(from);
		n = recvfrom(fd, buf, sizeof(buf), MSG_DONTWAIT,
			     (struct sockaddr *)&from, &len);
		if (n < 0) {
			if (errno != EAGAIN)
				workload_die("recvfrom");
			return;
		}
		who = n >= HDR ? buf[0] - 'A' : -1;
		kind = sender_kind(&from, len);
		/* Who may have a name of which kind. */
		if (who < 0 || who > 5 || next[who] != buf[1] ||
		    !check_msg(buf, n, who, buf[1]) ||
		    kind != "a2nnnb"[who]) {
			workload_fail("datagram %d of %d from '%c' (n %zd)",
				      buf[1], who, kind, n);
			(*bad)++;
			continue;
		}
		next[who]++;
		/* Per sender: the senders' datagrams interleave by timing. */
		h[who] = fnv1a(h[who], buf, n);
		if (who <= 1 && sendto(fd, buf, n, 0, (struct sockaddr *)&from,
				       len) != n)
			workload_die("echo");
	}
}

int main(int argc, char **argv)
{
	struct sockaddr_un sun, srv_a, c_addr[2];
	socklen_t srv_a_len, c_len[2] = { 0 }, len;
	int srv, srv2, u, i, c, bad = 0, next[6] = { 0 };
	const char *path;
	uint64_t h = FNV_INIT, hs[6];
	char buf[MSG_MAX];
	pid_t pids[NCLIENTS];
	long k;

	workload_init();
	if (argc != 4) {
		printf("usage: dgram TICK_MS START PATH\nRESULT FAIL\n");
		return 2;
	}
	tick_ms = arg_long(argc, argv, 1, 100);
	start_tick = arg_long(argc, argv, 2, 100);
	path = argv[3];
	sh = mmap(NULL, sizeof(*sh), PROT_READ | PROT_WRITE,
		  MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (sh == MAP_FAILED)
		workload_die("mmap");
	t0 = mono_ns();
	for (i = 0; i < 6; i++)
		hs[i] = FNV_INIT;

	unlink(path);
	srv = dgram_socket();
	if (bind(srv, (struct sockaddr *)&sun, addr_path(&sun, path)))
		workload_die("bind path");
	if (chmod(path, 0620))
		workload_die("chmod");
	srv2 = dgram_socket();
	srv_a_len = addr_abs(&srv_a, abs_srv);
	if (bind(srv2, (struct sockaddr *)&srv_a, srv_a_len))
		workload_die("bind abstract");

	for (c = 0; c < NCLIENTS; c++) {
		pids[c] = fork();
		if (pids[c] < 0)
			workload_die("fork");
		if (!pids[c])
			client(c, path);
	}
	/* The hellos: C1's and C3's on PATH, C2's on the abstract name. */
	for (i = 0; i < NCLIENTS; i++) {
		struct sockaddr_un from;
		int fd = i < 2 ? srv : srv2;

		len = sizeof(from);
		if (recvfrom(fd, buf, sizeof(buf), 0, (struct sockaddr *)&from,
			     &len) != 5)
			workload_die("hello");
		if (sender_kind(&from, len) == 'a') {
			c_addr[0] = from;
			c_len[0] = len;
		} else if (sender_kind(&from, len) == '2') {
			c_addr[1] = from;
			c_len[1] = len;
		} else if (sender_kind(&from, len) != 'n') {
			workload_die("hello's sender");
		}
	}
	for (i = 0; i < GREET; i++)
		for (c = 0; c < 2; c++) {
			size_t m = make_msg(buf, 10 + c, i);

			if (sendto(c ? srv2 : srv, buf, m, 0,
				   (struct sockaddr *)&c_addr[c],
				   c_len[c]) != (ssize_t)m)
				workload_die("greet");
		}
	sh->go = 1;
	len = addr_path(&sun, path);
	u = send_from(NULL, 3, NU, &sun, len, 1);
	send_from(NULL, 4, NZ, &sun, len, 0);
	send_from(abs_zb, 5, NZB, &srv_a, srv_a_len, 0);
	printf("ready pid %d\n", getpid());

	for (k = 1; k < start_tick; k++) {
		wait_tick(k);
		printf("tick %ld pid %d\n", k, getpid());
	}
	drain(srv, next, hs, &bad);
	drain(srv2, next, hs, &bad);
	/* The clients' round trips, until they are all done. */
	for (c = 0; c < NCLIENTS; c++) {
		int status;

		while (waitpid(pids[c], &status, WNOHANG) == 0) {
			drain(srv, next, hs, &bad);
			drain(srv2, next, hs, &bad);
			sleep_ms(5);
		}
		if (!WIFEXITED(status) || WEXITSTATUS(status))
			workload_fail("client %d: status 0x%x", c, status);
	}
	drain(srv, next, hs, &bad);
	drain(srv2, next, hs, &bad);
	for (i = 0; i < 6; i++) {
		if (next[i] != (i < 3 ? BURST + MSGS : i == 3 ? NU :
				i == 4 ? NZ : NZB))
			workload_fail("sender %d: %d datagrams", i, next[i]);
		h = fnv1a(h, &hs[i], sizeof(hs[i]));
	}
	for (c = 0; c < NCLIENTS; c++) {
		if (sh->bad[c])
			workload_fail("client %d: %d bad datagrams", c,
				      sh->bad[c]);
		h = fnv1a(h, &sh->hash[c], sizeof(sh->hash[c]));
	}
	close(u);
	if (bad || workload_bad)
		printf("RESULT FAIL\n");
	else
		printf("RESULT OK %016llx\n", (unsigned long long)h);
	return 0;
}
