// SPDX-License-Identifier: GPL-2.0
/*
 * events - an epoll loop over an eventfd, a signalfd, a timerfd, a pipe
 * and a nested epoll.
 *
 * Usage: events [TICKS [TICK_MS]]	(defaults: 100 ticks of 100 ms)
 *        events fanotify		(holds a fanotify instance, and waits)
 *
 * Set up once (then "ready pid P"):
 *   E   eventfd, EFD_SEMAPHORE | EFD_NONBLOCK
 *   S   signalfd of SIGRTMIN (blocked), SFD_NONBLOCK
 *   T   timerfd, CLOCK_MONOTONIC, every 20 ms, never read until the end
 *   P   pipe; its read end is O_NONBLOCK
 *   IN  epoll: E (level-triggered, data 1), P's read end (EPOLLET, data 2)
 *   OUT epoll: IN (data 3), S (data 4), T (EPOLLONESHOT, data 5)
 *
 * Each tick: 2 is added to E, SIGRTMIN is queued twice (values 2k and
 * 2k + 1), two bytes are written to P; then one epoll_wait() on OUT must
 * report IN and S, and T right after it was rearmed (EPOLL_CTL_MOD, every
 * 10th tick, and at tick 1; never otherwise: it is one-shot); for IN one epoll_wait()
 * must report E and P (edge: one new byte); one read of E gives 1
 * (semaphore), one read of S gives the next value in order, one byte of
 * P is read.  So E's counter, the queued signals and the bytes in P grow
 * by one each tick, and T's expirations are never read: all are in the
 * image when it is checkpointed.  "tick K pid P" each tick.
 *
 * At the end: E must count TICKS, S must give the TICKS values not yet
 * read in order, P the TICKS bytes left; and T's one read must return
 * about the container's CLOCK_MONOTONIC time since it was set divided by
 * 20 ms: within 10% + 5 (a timer lost at restart, or set again from 0,
 * or whose expirations were lost, is far off; the clock goes on across
 * restart, without the time the container was not running).  Prints
 * "timer N expirations, M expected" and "RESULT OK <hash>" (FAIL if any
 * check failed); the hash is over what each tick saw, not over T's count.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <signal.h>
#include <stdarg.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/fanotify.h>
#include <sys/signalfd.h>
#include <sys/timerfd.h>

#include "workload.h"

#define PERIOD_NS	20000000LL

static int bad;
static uint64_t h = FNV_INIT;

static void __attribute__((format(printf, 1, 2))) fail(const char *fmt, ...)
{
	va_list ap;

	bad++;
	printf("FAIL: ");
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
}

static void mix(uint64_t v)
{
	h = fnv1a(h, &v, sizeof(v));
}

static int xcheck(int r, const char *what)
{
	if (r < 0) {
		perror(what);
		exit(1);
	}
	return r;
}

static void watch(int ep, int fd, uint32_t events, uint64_t data)
{
	struct epoll_event ev = { .events = events, .data.u64 = data };

	xcheck(epoll_ctl(ep, EPOLL_CTL_ADD, fd, &ev), "epoll_ctl");
}

static void __attribute__((noreturn)) wait_fanotify(void)
{
	int fd = fanotify_init(FAN_CLASS_NOTIF | FAN_NONBLOCK, O_RDONLY);

	if (fd < 0) {
		printf("NOFANOTIFY errno %d\n", errno);
		exit(1);
	}
	xcheck(fanotify_mark(fd, FAN_MARK_ADD, FAN_CLOSE_WRITE, AT_FDCWD, "/"),
	       "fanotify_mark");
	printf("READY pid %d\n", getpid());
	for (;;)
		sleep_ms(1000);
}

/* Reports of @ep, as a bit mask of their data (1 << data). */
static unsigned int reports(int ep)
{
	struct epoll_event ev[8];
	unsigned int seen = 0;
	int i, n;

	n = epoll_wait(ep, ev, 8, 0);
	if (n < 0)
		fail("epoll_wait: errno %d", errno);
	for (i = 0; i < n; i++)
		seen |= 1U << ev[i].data.u64;
	return seen;
}

int main(int argc, char **argv)
{
	long ticks, tick_ms, k;
	int e, s, t, p[2], in, out;
	struct itimerspec its = {
		.it_value = { 0, PERIOD_NS },
		.it_interval = { 0, PERIOD_NS },
	};
	struct epoll_event ev;
	int64_t t0, elapsed;
	uint64_t v, total;
	sigset_t rt;
	long n;

	workload_init();
	if (argc > 1 && !strcmp(argv[1], "fanotify"))
		wait_fanotify();
	ticks = arg_long(argc, argv, 1, 100);
	tick_ms = arg_long(argc, argv, 2, 100);

	sigemptyset(&rt);
	sigaddset(&rt, SIGRTMIN);
	sigprocmask(SIG_BLOCK, &rt, NULL);
	e = xcheck(eventfd(0, EFD_SEMAPHORE | EFD_NONBLOCK), "eventfd");
	s = xcheck(signalfd(-1, &rt, SFD_NONBLOCK), "signalfd");
	t = xcheck(timerfd_create(CLOCK_MONOTONIC, TFD_NONBLOCK), "timerfd_create");
	xcheck(pipe2(p, 0), "pipe2");
	fcntl(p[0], F_SETFL, O_NONBLOCK);
	in = xcheck(epoll_create1(EPOLL_CLOEXEC), "epoll_create1");
	out = xcheck(epoll_create1(0), "epoll_create1");
	watch(in, e, EPOLLIN, 1);
	watch(in, p[0], EPOLLIN | EPOLLET, 2);
	watch(out, in, EPOLLIN, 3);
	watch(out, s, EPOLLIN, 4);
	watch(out, t, EPOLLIN | EPOLLONESHOT, 5);
	t0 = mono_ns();
	xcheck(timerfd_settime(t, 0, &its, NULL), "timerfd_settime");
	sleep_ms(2 * PERIOD_NS / 1000000);	/* T has expired at tick 1 */
	printf("ready pid %d\n", getpid());

	for (k = 1; k <= ticks; k++) {
		unsigned int seen, want;
		union sigval sv;
		struct signalfd_siginfo si;
		char c[2] = { 'a' + k % 26, 'A' + k % 26 }, got;

		v = 2;
		if (write(e, &v, sizeof(v)) != sizeof(v))
			fail("tick %ld: eventfd write: errno %d", k, errno);
		sv.sival_int = 2 * k;
		sigqueue(getpid(), SIGRTMIN, sv);
		sv.sival_int = 2 * k + 1;
		sigqueue(getpid(), SIGRTMIN, sv);
		if (write(p[1], c, 2) != 2)
			fail("tick %ld: pipe write: errno %d", k, errno);
		if (k % 10 == 0) {
			ev.events = EPOLLIN | EPOLLONESHOT;
			ev.data.u64 = 5;
			if (epoll_ctl(out, EPOLL_CTL_MOD, t, &ev))
				fail("tick %ld: EPOLL_CTL_MOD: errno %d", k, errno);
		}

		seen = reports(out);
		/* T once at the start (it expired), then after each rearm. */
		want = 1U << 3 | 1U << 4 | (k == 1 || k % 10 == 0 ? 1U << 5 : 0);
		if (seen != want)
			fail("tick %ld: outer epoll reported %#x, expected %#x",
			     k, seen, want);
		seen = reports(in);
		if (seen != (1U << 1 | 1U << 2))
			fail("tick %ld: inner epoll reported %#x", k, seen);
		if (read(e, &v, sizeof(v)) != sizeof(v) || v != 1)
			fail("tick %ld: eventfd read: errno %d value %llu", k,
			     errno, (unsigned long long)v);
		if (read(s, &si, sizeof(si)) != sizeof(si) ||
		    si.ssi_signo != (uint32_t)SIGRTMIN || si.ssi_int != k + 1)
			fail("tick %ld: signalfd read: errno %d signal %u value %d",
			     k, errno, si.ssi_signo, si.ssi_int);
		if (read(p[0], &got, 1) != 1)
			fail("tick %ld: pipe read: errno %d", k, errno);
		mix(k);
		mix(seen);
		mix(si.ssi_int);
		mix(got);
		printf("tick %ld pid %d\n", k, getpid());
		sleep_ms(tick_ms);
	}

	/* What piled up: TICKS of each. */
	for (n = 0; read(e, &v, sizeof(v)) == sizeof(v); n++)
		;
	if (n != ticks)
		fail("eventfd counted %ld, expected %ld", n, ticks);
	for (n = 0;; n++) {
		struct signalfd_siginfo si;

		if (read(s, &si, sizeof(si)) != sizeof(si))
			break;
		if (si.ssi_int != ticks + 2 + n)
			fail("signal %ld has value %d", n, si.ssi_int);
		mix(si.ssi_int);
	}
	if (n != ticks)
		fail("signalfd gave %ld signals, expected %ld", n, ticks);
	for (n = 0;; n++) {
		char got;

		if (read(p[0], &got, 1) != 1)
			break;
		mix(got);
	}
	if (n != ticks)
		fail("pipe held %ld bytes, expected %ld", n, ticks);

	elapsed = mono_ns() - t0;
	if (read(t, &total, sizeof(total)) != sizeof(total))
		fail("timerfd read: errno %d", errno);
	v = elapsed / PERIOD_NS;
	printf("timer %llu expirations, %llu expected\n",
	       (unsigned long long)total, (unsigned long long)v);
	if (total + v / 10 + 5 < v || total > v + v / 10 + 5)
		fail("timerfd: %llu expirations in %lld ms, expected %llu",
		     (unsigned long long)total, (long long)(elapsed / 1000000),
		     (unsigned long long)v);
	if (bad)
		printf("RESULT FAIL %d\n", bad);
	else
		printf("RESULT OK %016llx\n", (unsigned long long)h);
	return bad != 0;
}
