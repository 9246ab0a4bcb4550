// SPDX-License-Identifier: GPL-2.0
/*
 * sigtest - signal state that a restart must bring back.
 *
 * Usage: sigtest GOFILE
 *
 * Sets up handlers (SA_SIGINFO, SA_RESTART, SA_ONSTACK...), an ignored
 * signal, a sigaltstack and a blocked mask, then queues blocked signals
 * with sigqueue() values: standard and real-time ones pending on the
 * process, and one pending on the thread.  Prints "READY pid P" and waits,
 * in a sleep loop, until GOFILE exists; the test checkpoints and restarts
 * it meanwhile, then creates GOFILE.
 *
 * It then checks the mask, the dispositions (read back with sigaction()),
 * the altstack and the pending set, unblocks everything at once and checks
 * that each signal is delivered once, with its value, sender and code, in
 * the order Linux delivers them: the thread's pending signals first, then
 * the process's, lowest number first, real-time ones in queue order.
 * Prints "RESULT OK", or FAIL lines and "RESULT FAIL".
 */
#define _GNU_SOURCE
#include <signal.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>

#include "workload.h"

#ifndef SA_RESTORER
#define SA_RESTORER	0x04000000	/* set by libc, as on x86 */
#endif

#define MAX_DELIVERED	16
#define ALTSTACK_SIZE	(64 * 1024)

static char altstack[ALTSTACK_SIZE] __attribute__((aligned(16)));

/* What the handlers saw, in delivery order. */
static struct {
	int sig;
	int value;
	int code;
	pid_t pid;
	uid_t uid;
	int on_altstack;
} delivered[MAX_DELIVERED];
static volatile int nr_delivered;

static int failures;

#define CHECK(cond, ...) do {						\
		if (!(cond)) {						\
			printf("FAIL " __VA_ARGS__);			\
			printf("\n");					\
			failures++;					\
		}							\
	} while (0)

static void handler(int sig, siginfo_t *info, void *uctx)
{
	char here;
	int n = nr_delivered;

	(void)uctx;
	if (n >= MAX_DELIVERED)
		return;
	delivered[n].sig = sig;
	delivered[n].value = info->si_value.sival_int;
	delivered[n].code = info->si_code;
	delivered[n].pid = info->si_pid;
	delivered[n].uid = info->si_uid;
	delivered[n].on_altstack = &here >= altstack &&
				   &here < altstack + ALTSTACK_SIZE;
	nr_delivered = n + 1;
}

/* An installed but never raised handler, for the readback only. */
static void other_handler(int sig)
{
	(void)sig;
}

struct disposition {
	int sig;
	void *handler;		/* sa_sigaction or sa_handler */
	int flags;		/* without SA_RESTORER, added by libc */
	int mask_sig;		/* one signal sa_mask must hold, or 0 */
	int full_mask;		/* sa_mask is every signal */
};

/* Filled in main(): SIGRTMIN is not a constant. */
static struct disposition dispositions[8];
static int nr_dispositions;

/* The pending signals, in the order they must be delivered. */
struct pending {
	int sig;
	int value;
	int thread;		/* queued on the thread, not the process */
};
static struct pending pending[8];
static int nr_pending;

static void add_disposition(int sig, void *h, int flags, int mask_sig,
			    int full_mask)
{
	struct disposition *d = &dispositions[nr_dispositions++];
	struct sigaction sa = { 0 };

	d->sig = sig;
	d->handler = h;
	d->flags = flags;
	d->mask_sig = mask_sig;
	d->full_mask = full_mask;

	if (full_mask)
		sigfillset(&sa.sa_mask);
	else
		sigemptyset(&sa.sa_mask);
	if (mask_sig)
		sigaddset(&sa.sa_mask, mask_sig);
	sa.sa_flags = flags;
	if (flags & SA_SIGINFO)
		sa.sa_sigaction = h;
	else
		sa.sa_handler = h;
	if (sigaction(sig, &sa, NULL)) {
		perror("sigaction");
		exit(2);
	}
}

static void check_dispositions(void)
{
	int i, s;

	for (i = 0; i < nr_dispositions; i++) {
		struct disposition *d = &dispositions[i];
		struct sigaction sa;
		void *h;

		if (sigaction(d->sig, NULL, &sa)) {
			CHECK(0, "sigaction(%d) readback", d->sig);
			continue;
		}
		h = (d->flags & SA_SIGINFO) ? (void *)sa.sa_sigaction :
					      (void *)sa.sa_handler;
		CHECK(h == d->handler, "signal %d: handler %p, expected %p",
		      d->sig, h, d->handler);
		CHECK((sa.sa_flags & ~SA_RESTORER) == d->flags,
		      "signal %d: flags %#x, expected %#x", d->sig,
		      sa.sa_flags & ~SA_RESTORER, d->flags);
		if (d->mask_sig)
			CHECK(sigismember(&sa.sa_mask, d->mask_sig) == 1,
			      "signal %d: sa_mask lacks %d", d->sig,
			      d->mask_sig);
		for (s = 1; s <= SIGRTMAX; s++) {
			/* glibc keeps 32 and 33 out of sigfillset(). */
			int want = d->full_mask && s != SIGKILL &&
				   s != SIGSTOP && (s < 32 || s >= SIGRTMIN);

			if (s == d->mask_sig)
				continue;
			CHECK(sigismember(&sa.sa_mask, s) == want,
			      "signal %d: sa_mask has %d: %d, expected %d",
			      d->sig, s, sigismember(&sa.sa_mask, s), want);
		}
	}
	/* Untouched dispositions are still the default. */
	for (s = 1; s <= SIGRTMAX; s++) {
		struct sigaction sa;
		int touched = 0;

		for (i = 0; i < nr_dispositions; i++)
			touched |= dispositions[i].sig == s;
		if (touched || s == SIGKILL || s == SIGSTOP ||
		    sigaction(s, NULL, &sa))
			continue;
		CHECK(sa.sa_handler == SIG_DFL, "signal %d: not SIG_DFL", s);
	}
}

int main(int argc, char **argv)
{
	const char *gofile = argc > 1 ? argv[1] : "/tmp/sigtest.go";
	sigset_t blocked, cur, set;
	stack_t ss = {
		.ss_sp = altstack, .ss_size = ALTSTACK_SIZE, .ss_flags = 0,
	};
	pid_t me = getpid();
	uid_t uid = getuid();
	struct stat st;
	int i, s;

	workload_init();
	/* Whatever we inherited (SIG_IGN from a shell...), start from SIG_DFL. */
	for (s = 1; s <= SIGRTMAX; s++) {
		struct sigaction dfl = { .sa_handler = SIG_DFL };

		if (s != SIGKILL && s != SIGSTOP)
			sigaction(s, &dfl, NULL);	/* glibc refuses 32, 33 */
	}
	add_disposition(SIGUSR1, handler, SA_SIGINFO | SA_RESTART, 0, 1);
	add_disposition(SIGUSR2, handler, SA_SIGINFO | SA_ONSTACK, 0, 1);
	add_disposition(SIGRTMIN + 1, handler, SA_SIGINFO | SA_RESTART, 0, 1);
	add_disposition(SIGRTMIN + 2, handler, SA_SIGINFO, 0, 1);
	add_disposition(SIGRTMIN + 3, handler, SA_SIGINFO | SA_ONSTACK, 0, 1);
	add_disposition(SIGALRM, other_handler, SA_RESETHAND | SA_NODEFER,
			SIGINT, 0);
	add_disposition(SIGHUP, SIG_IGN, 0, 0, 0);
	if (sigaltstack(&ss, NULL)) {
		perror("sigaltstack");
		return 2;
	}

	sigemptyset(&blocked);
	sigaddset(&blocked, SIGUSR1);
	sigaddset(&blocked, SIGUSR2);
	sigaddset(&blocked, SIGRTMIN + 1);
	sigaddset(&blocked, SIGRTMIN + 2);
	sigaddset(&blocked, SIGRTMIN + 3);
	sigaddset(&blocked, SIGWINCH);	/* blocked, never sent */
	sigprocmask(SIG_SETMASK, &blocked, NULL);

	/* In delivery order: the thread's first, then by signal number. */
	pending[nr_pending++] = (struct pending){ SIGRTMIN + 3, 301, 1 };
	pending[nr_pending++] = (struct pending){ SIGUSR1, 11, 0 };
	pending[nr_pending++] = (struct pending){ SIGUSR2, 22, 0 };
	pending[nr_pending++] = (struct pending){ SIGRTMIN + 1, 101, 0 };
	pending[nr_pending++] = (struct pending){ SIGRTMIN + 1, 102, 0 };
	pending[nr_pending++] = (struct pending){ SIGRTMIN + 2, 201, 0 };
	/*
	 * Queue them in another order than they come out (but the two
	 * instances of SIGRTMIN + 1 in theirs: real-time signals are FIFO).
	 */
	for (i = 0; i < nr_pending; i++) {
		static const int queue_order[] = { 5, 3, 2, 4, 1, 0 };
		const struct pending *p = &pending[queue_order[i]];
		union sigval v = { .sival_int = p->value };

		if (p->thread) {
			siginfo_t info = { 0 };

			info.si_signo = p->sig;
			info.si_code = SI_QUEUE;
			info.si_pid = me;
			info.si_uid = uid;
			info.si_value = v;
			if (syscall(SYS_rt_tgsigqueueinfo, me, gettid(),
				    p->sig, &info)) {
				perror("rt_tgsigqueueinfo");
				return 2;
			}
		} else if (sigqueue(me, p->sig, v)) {
			perror("sigqueue");
			return 2;
		}
	}

	printf("READY pid %d\n", getpid());
	while (stat(gofile, &st))
		sleep_ms(100);
	printf("GO pid %d\n", getpid());
	CHECK(getpid() == me, "pid %d, was %d", getpid(), me);

	/* The mask, exactly. */
	sigprocmask(SIG_BLOCK, NULL, &cur);
	for (s = 1; s <= SIGRTMAX; s++)
		CHECK(sigismember(&cur, s) == sigismember(&blocked, s),
		      "blocked mask: signal %d is %d, expected %d", s,
		      sigismember(&cur, s), sigismember(&blocked, s));
	check_dispositions();

	/* The altstack. */
	memset(&ss, 0, sizeof(ss));
	sigaltstack(NULL, &ss);
	CHECK(ss.ss_sp == altstack && ss.ss_size == ALTSTACK_SIZE &&
	      ss.ss_flags == 0, "altstack %p size %zu flags %#x", ss.ss_sp,
	      ss.ss_size, ss.ss_flags);

	/* The pending set, exactly. */
	sigpending(&set);
	for (s = 1; s <= SIGRTMAX; s++) {
		int want = 0;

		for (i = 0; i < nr_pending; i++)
			want |= pending[i].sig == s;
		CHECK(sigismember(&set, s) == want,
		      "pending: signal %d is %d, expected %d", s,
		      sigismember(&set, s), want);
	}

	/*
	 * Unblock everything at once: each handler blocks all signals, so
	 * they run one after the other in delivery order.
	 */
	sigemptyset(&set);
	sigprocmask(SIG_SETMASK, &set, NULL);

	CHECK(nr_delivered == nr_pending, "%d signals delivered, expected %d",
	      nr_delivered, nr_pending);
	for (i = 0; i < nr_delivered && i < nr_pending; i++) {
		int altstack_wanted = pending[i].sig == SIGUSR2 ||
				      pending[i].sig == SIGRTMIN + 3;

		printf("delivered %d value %d code %d\n", delivered[i].sig,
		       delivered[i].value, delivered[i].code);
		CHECK(delivered[i].sig == pending[i].sig &&
		      delivered[i].value == pending[i].value,
		      "delivery %d: signal %d value %d, expected %d value %d",
		      i, delivered[i].sig, delivered[i].value, pending[i].sig,
		      pending[i].value);
		CHECK(delivered[i].code == SI_QUEUE &&
		      delivered[i].pid == me && delivered[i].uid == uid,
		      "delivery %d: code %d pid %d uid %d", i,
		      delivered[i].code, delivered[i].pid, delivered[i].uid);
		CHECK(delivered[i].on_altstack == altstack_wanted,
		      "delivery %d (signal %d): on the altstack: %d", i,
		      delivered[i].sig, delivered[i].on_altstack);
	}
	sigpending(&set);
	for (s = 1; s <= SIGRTMAX; s++)
		CHECK(!sigismember(&set, s), "signal %d still pending", s);

	if (failures) {
		printf("RESULT FAIL\n");
		return 1;
	}
	printf("RESULT OK\n");
	return 0;
}
