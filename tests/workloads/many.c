// SPDX-License-Identifier: GPL-2.0
/*
 * many - a thousand tasks, processes and threads, that sleep.
 *
 * Usage: many [TASKS [GROUPS [THREADS [TICKS [TICK_MS]]]]]
 *	(defaults: 1000 tasks, 20 thread groups of 10 threads, 60 ticks of
 *	 200 ms)
 *
 * The init (task 0) forks GROUPS processes that start THREADS - 1 threads
 * each, and MANAGERS (29) processes that fork the remaining processes
 * between them (leaves), so that there are TASKS tasks in all: with the
 * defaults 1 + 200 + 29 + 770.  Every task records its getpid(), gettid()
 * and getppid() in a slot of a MAP_SHARED anonymous area and waits for
 * SIGUSR1 in sigwaitinfo() (SIGUSR1 is blocked everywhere).
 *
 * Once all are there the init prints "ready N pid P", then "tick K pid P"
 * every TICK_MS for TICKS ticks (the test checkpoints and restarts it
 * meanwhile), then sends SIGUSR1 to every task by the pid it recorded:
 * kill() for single-threaded processes, tgkill() for the threads of a
 * group.  Each task checks that the signal came from the init and that
 * its ids are those it recorded, reports them again, and exits (managers
 * and group leaders after reaping their leaves, with status 0, or joining
 * their threads).  The init checks every report against the recorded ids,
 * reaps its children and prints "RESULT OK tasks N" (FAIL and counts if a
 * task is missing, did not answer, or saw other ids).
 */
#define _GNU_SOURCE
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/wait.h>

#include "workload.h"

#define MANAGERS	29
#define MAX_TASKS	4096
#define WAKE_TIMEOUT_S	300

struct slot {
	int tgid, tid, ppid;		/* recorded at start */
	int tgid2, tid2, ppid2;		/* reported after the wake-up */
	int woke;
	int threaded;			/* in a thread group: tgkill */
};

struct shared {
	int created;
	int checked;
	int bad;
	struct slot s[MAX_TASKS];
};

static struct shared *sh;
static long ntasks, ngroups, nthreads, ticks, tick_ms;

static void __attribute__((format(printf, 1, 2))) fail(const char *fmt, ...)
{
	va_list ap;
	int n = __atomic_add_fetch(&sh->bad, 1, __ATOMIC_SEQ_CST);

	if (n > 20)
		return;
	printf("FAIL pid %d tid %d: ", getpid(), gettid());
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
}

static void record(int i, int threaded)
{
	struct slot *s = &sh->s[i];

	s->tgid = getpid();
	s->tid = gettid();
	s->ppid = getppid();
	s->threaded = threaded;
	__atomic_add_fetch(&sh->created, 1, __ATOMIC_SEQ_CST);
}

/* Waits for the init's SIGUSR1 and reports. */
static void wait_wake(int i)
{
	struct slot *s = &sh->s[i];
	siginfo_t si;
	sigset_t usr1;
	int sig;

	sigemptyset(&usr1);
	sigaddset(&usr1, SIGUSR1);
	do
		sig = sigwaitinfo(&usr1, &si);
	while (sig < 0 && errno == EINTR);
	if (sig != SIGUSR1 || si.si_pid != 1)
		fail("task %d: signal %d from %d", i, sig, si.si_pid);
	s->tgid2 = getpid();
	s->tid2 = gettid();
	s->ppid2 = getppid();
	if (s->tgid2 != s->tgid || s->tid2 != s->tid || s->ppid2 != s->ppid)
		fail("task %d: ids %d/%d/%d, were %d/%d/%d", i, s->tgid2,
		     s->tid2, s->ppid2, s->tgid, s->tid, s->ppid);
	__atomic_store_n(&s->woke, 1, __ATOMIC_SEQ_CST);
	__atomic_add_fetch(&sh->checked, 1, __ATOMIC_SEQ_CST);
}

static void *thread_fn(void *arg)
{
	int i = (int)(long)arg;

	record(i, 1);
	wait_wake(i);
	return NULL;
}

static pid_t xfork(void)
{
	pid_t p;

	fflush(stdout);
	p = fork();
	if (p < 0) {
		perror("fork");
		exit(1);
	}
	return p;
}

static int reap(pid_t pid)
{
	int status;
	pid_t r;

	do
		r = waitpid(pid, &status, 0);
	while (r < 0 && errno == EINTR);
	if (r != pid || status != 0) {
		fail("waitpid(%d) gave %d, status %#x", pid, r, status);
		return 0;
	}
	return 1;
}

/* A group: its main thread is task @first, its threads the next ones. */
static void __attribute__((noreturn)) group(int first)
{
	pthread_t th[64];
	pthread_attr_t attr;
	int t;

	record(first, 1);	/* tgkill: kill() would wake any of them */
	pthread_attr_init(&attr);
	pthread_attr_setstacksize(&attr, 64 * 1024);
	for (t = 1; t < nthreads; t++)
		if (pthread_create(&th[t], &attr, thread_fn,
				   (void *)(long)(first + t))) {
			fail("pthread_create");
			exit(1);
		}
	wait_wake(first);
	for (t = 1; t < nthreads; t++)
		pthread_join(th[t], NULL);
	exit(0);
}

static void __attribute__((noreturn)) manager(int m, int first_leaf, int nleaves)
{
	static pid_t leaves[MAX_TASKS];
	int i, n = 0, ok = 1;

	record(first_leaf - MANAGERS + m, 0);
	for (i = m; i < nleaves; i += MANAGERS) {
		leaves[n] = xfork();
		if (leaves[n] == 0) {
			record(first_leaf + i, 0);
			wait_wake(first_leaf + i);
			exit(0);
		}
		n++;
	}
	wait_wake(first_leaf - MANAGERS + m);
	for (i = 0; i < n; i++)
		ok &= reap(leaves[i]);
	exit(ok ? 0 : 1);
}

int main(int argc, char **argv)
{
	static pid_t kids[MAX_TASKS];
	int nkids = 0, nleaves, first_mgr, first_leaf, i, g, bad;
	sigset_t usr1;
	int64_t deadline, t0 = mono_ns();
	long t;

	ntasks = arg_long(argc, argv, 1, 1000);
	ngroups = arg_long(argc, argv, 2, 20);
	nthreads = arg_long(argc, argv, 3, 10);
	ticks = arg_long(argc, argv, 4, 60);
	tick_ms = arg_long(argc, argv, 5, 200);
	workload_init();
	first_mgr = 1 + ngroups * nthreads;
	first_leaf = first_mgr + MANAGERS;
	nleaves = ntasks - first_leaf;
	if (getpid() != 1 || ntasks > MAX_TASKS || nthreads < 1 ||
	    nthreads > 64 || nleaves < 0) {
		fprintf(stderr, "many: bad arguments, or not the init of a pid namespace\n");
		return 2;
	}
	sh = mmap(NULL, sizeof(*sh), PROT_READ | PROT_WRITE,
		  MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (sh == MAP_FAILED) {
		perror("mmap");
		return 1;
	}
	sigemptyset(&usr1);
	sigaddset(&usr1, SIGUSR1);
	sigprocmask(SIG_BLOCK, &usr1, NULL);
	record(0, 0);

	for (g = 0; g < ngroups; g++) {
		kids[nkids] = xfork();
		if (kids[nkids] == 0)
			group(1 + g * nthreads);
		nkids++;
	}
	for (i = 0; i < MANAGERS; i++) {
		kids[nkids] = xfork();
		if (kids[nkids] == 0)
			manager(i, first_leaf, nleaves);
		nkids++;
	}
	deadline = mono_ns() + WAKE_TIMEOUT_S * 1000000000LL;
	while (__atomic_load_n(&sh->created, __ATOMIC_SEQ_CST) < ntasks) {
		if (mono_ns() > deadline) {
			printf("FAIL only %d tasks after %d s\n", sh->created,
			       WAKE_TIMEOUT_S);
			printf("RESULT FAIL\n");
			return 1;
		}
		sleep_ms(20);
	}
	printf("ready %d pid %d\n", sh->created, getpid());
	printf("info created in %.1f s\n", (mono_ns() - t0) / 1e9);

	for (t = 1; t <= ticks; t++) {
		sleep_ms(tick_ms);
		printf("tick %ld pid %d\n", t, getpid());
	}

	t0 = mono_ns();
	for (i = 1; i < ntasks; i++) {
		struct slot *s = &sh->s[i];
		int r = s->threaded ? syscall(SYS_tgkill, s->tgid, s->tid, SIGUSR1) :
				      kill(s->tgid, SIGUSR1);

		if (r)
			fail("signal to task %d (%d/%d): errno %d", i, s->tgid,
			     s->tid, errno);
	}
	while (__atomic_load_n(&sh->checked, __ATOMIC_SEQ_CST) < ntasks - 1 &&
	       mono_ns() < deadline + WAKE_TIMEOUT_S * 1000000000LL)
		sleep_ms(20);
	printf("woke %d\n", sh->checked);
	printf("info woke in %.1f s\n", (mono_ns() - t0) / 1e9);
	t0 = mono_ns();
	for (i = 0; i < nkids; i++)
		reap(kids[i]);
	printf("info reaped in %.1f s\n", (mono_ns() - t0) / 1e9);
	if (waitpid(-1, NULL, __WALL | WNOHANG) != -1 || errno != ECHILD)
		fail("a child is left");
	for (i = 1; i < ntasks; i++)
		if (!sh->s[i].woke)
			fail("task %d (%d/%d) did not answer", i,
			     sh->s[i].tgid, sh->s[i].tid);
	bad = __atomic_load_n(&sh->bad, __ATOMIC_SEQ_CST);
	if (bad)
		printf("RESULT FAIL tasks %d woke %d bad %d\n", sh->created,
		       sh->checked + 1, bad);
	else
		printf("RESULT OK tasks %d\n", sh->created);
	return bad ? 1 : 0;
}
