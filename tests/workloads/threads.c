// SPDX-License-Identifier: GPL-2.0
/*
 * threads - 16 pthreads that spend most of their time blocked in a mutex,
 * condition variables and a barrier.
 *
 * Usage: threads [ROUNDS [PACE_MS [SEED]]]	(defaults: 200 rounds, 50 ms)
 *
 * The main thread and 16 workers (17 tasks, tids 1 to 17 in a fresh pid
 * namespace).  Each round:
 *
 *   main       holds mutex "hold" while it sleeps PACE_MS, then opens the
 *              round's gate (gate = r under mutex "m", broadcast on
 *              "gate_cv"), releases "hold" and waits on barrier "end"
 *   t % 4 == 0, 2   wait on gate_cv until the gate opens (condvar wait)
 *   t % 4 == 1      lock and unlock "hold" (blocked in the mutex)
 *   t % 4 == 3      go straight on (and wait on barrier "mid")
 *   then every worker rewrites its own 32 KiB buffer from its own PRNG,
 *   waits on barrier "mid" (workers only), then takes its turn in a ring
 *   (condvar "turn_cv": worker t waits until turn == t), folding its value
 *   into an order-dependent accumulator, and waits on barrier "end"
 *
 * So a checkpoint catches threads blocked in pthread_mutex_lock,
 * pthread_cond_wait and pthread_barrier_wait, and main in nanosleep.  A
 * lost wake-up or a futex that no longer matches after a restart hangs
 * the program (the test's timeout catches it); anything out of order
 * changes the accumulator.
 *
 * Per-thread state checked every round by each worker: gettid() and
 * pthread_self() unchanged, a __thread variable (the fs base), its signal
 * mask (different in each thread: SIGRTMIN+t, plus SIGUSR1/SIGUSR2/SIGHUP/
 * SIGWINCH after the bits of t), and its pending signals: main queued
 * SIGRTMIN+t with value 1000*t+7 on thread t only, so sigpending() in
 * thread t must show SIGRTMIN+t and none of the other 15 (a restart that
 * moved thread signals to the process, or lost them, shows here).  At the
 * end each worker takes its signal with sigtimedwait() and checks the
 * value.  Prints "round K pid P" per round and
 * "RESULT OK <hash of tids, checksums, accumulators>" (FAIL if a check
 * failed).
 */
#define _GNU_SOURCE
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <string.h>

#include "workload.h"

#define NT		16
#define BUF_WORDS	(32 * 1024 / 8)

static pthread_mutex_t m = PTHREAD_MUTEX_INITIALIZER;
static pthread_mutex_t hold = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t gate_cv = PTHREAD_COND_INITIALIZER;
static pthread_cond_t turn_cv = PTHREAD_COND_INITIALIZER;
static pthread_barrier_t mid, end;
static long gate, rounds, pace_ms;
static int turn;
static uint64_t ring_acc = 1, sum_acc, seed;

static struct worker {
	pthread_t self;
	pid_t tid;
	int bad;
	int sigval;
	uint64_t sum;
} w[NT];

static __thread int my_idx = -1;
static __thread uint64_t tls_canary;

static pthread_mutex_t out = PTHREAD_MUTEX_INITIALIZER;

static void __attribute__((format(printf, 2, 3))) fail(int t, const char *fmt, ...)
{
	va_list ap;

	pthread_mutex_lock(&out);
	w[t].bad++;
	if (w[t].bad <= 5) {
		printf("FAIL thread %d (tid %d): ", t, gettid());
		va_start(ap, fmt);
		vprintf(fmt, ap);
		va_end(ap);
		printf("\n");
	}
	pthread_mutex_unlock(&out);
}

/* The signals whose mask and pending state are checked. */
static int interesting(int s)
{
	return (s >= 1 && s <= 31 && s != SIGKILL && s != SIGSTOP) ||
	       (s >= SIGRTMIN && s < SIGRTMIN + NT);
}

static void mask_of(int t, sigset_t *set)
{
	sigemptyset(set);
	sigaddset(set, SIGRTMIN + t);
	if (t & 1)
		sigaddset(set, SIGUSR1);
	if (t & 2)
		sigaddset(set, SIGUSR2);
	if (t & 4)
		sigaddset(set, SIGHUP);
	if (t & 8)
		sigaddset(set, SIGWINCH);
}

static void check_self(int t, int own_pending)
{
	sigset_t want, cur, pend;
	int s;

	if (gettid() != w[t].tid)
		fail(t, "gettid %d, was %d", gettid(), w[t].tid);
	if (!pthread_equal(pthread_self(), w[t].self))
		fail(t, "pthread_self changed");
	if (my_idx != t || tls_canary != (seed ^ (0x1234567ULL * (t + 1))))
		fail(t, "__thread variables %d %llx", my_idx,
		     (unsigned long long)tls_canary);
	mask_of(t, &want);
	pthread_sigmask(SIG_BLOCK, NULL, &cur);
	sigpending(&pend);
	for (s = 1; s < SIGRTMIN + NT; s++) {
		if (!interesting(s))
			continue;
		if (sigismember(&cur, s) != sigismember(&want, s))
			fail(t, "signal %d blocked: %d", s, sigismember(&cur, s));
		if (s >= SIGRTMIN &&
		    sigismember(&pend, s) != (own_pending && s == SIGRTMIN + t))
			fail(t, "signal %d pending: %d", s,
			     sigismember(&pend, s));
		if (s < SIGRTMIN && sigismember(&pend, s))
			fail(t, "signal %d pending", s);
	}
}

static inline uint64_t rotl(uint64_t x, unsigned int r)
{
	return (x << r) | (x >> (64 - r));
}

static void *worker(void *arg)
{
	int t = (int)(long)arg;
	uint64_t state = (seed + 1) * 0x9e3779b97f4a7c15ULL * (t + 3) + t;
	uint64_t *buf = malloc(BUF_WORDS * sizeof(*buf)), h;
	struct timespec zero = { 0, 0 };
	sigset_t set;
	siginfo_t si;
	long r;
	size_t i;

	if (!buf) {
		perror("malloc");
		exit(1);
	}
	my_idx = t;
	tls_canary = seed ^ (0x1234567ULL * (t + 1));
	mask_of(t, &set);
	pthread_sigmask(SIG_SETMASK, &set, NULL);
	__atomic_store_n(&w[t].tid, gettid(), __ATOMIC_SEQ_CST);
	for (i = 0; i < BUF_WORDS; i++)
		buf[i] = xorshift64(&state);
	/* Main queues our signal once all are set up. */
	pthread_barrier_wait(&end);
	pthread_barrier_wait(&end);

	for (r = 1; r <= rounds; r++) {
		uint64_t chain = xorshift64(&state);

		switch (t % 4) {
		case 0:
		case 2:
			pthread_mutex_lock(&m);
			while (gate < r)
				pthread_cond_wait(&gate_cv, &m);
			pthread_mutex_unlock(&m);
			break;
		case 1:
			pthread_mutex_lock(&hold);
			pthread_mutex_unlock(&hold);
			break;
		}
		for (i = 0; i < BUF_WORDS; i++) {
			uint64_t v = rotl(buf[i] ^ chain, r % 63 + 1) + i;

			buf[i] = v;
			chain = chain * 0x5851f42d4c957f2dULL + (v >> 7);
		}
		check_self(t, 1);
		pthread_barrier_wait(&mid);

		pthread_mutex_lock(&m);
		sum_acc += chain;
		while (turn != t)
			pthread_cond_wait(&turn_cv, &m);
		ring_acc = rotl(ring_acc * 0x100000001b3ULL ^ (chain + t), 7);
		turn = (t + 1) % NT;
		pthread_cond_broadcast(&turn_cv);
		pthread_mutex_unlock(&m);
		pthread_barrier_wait(&end);
	}

	sigemptyset(&set);
	sigaddset(&set, SIGRTMIN + t);
	if (sigtimedwait(&set, &si, &zero) != SIGRTMIN + t)
		fail(t, "SIGRTMIN+%d not pending at the end (errno %d)", t, errno);
	else if (si.si_code != SI_QUEUE || si.si_pid != 1)
		fail(t, "SIGRTMIN+%d: code %d pid %d", t, si.si_code, si.si_pid);
	else
		w[t].sigval = si.si_value.sival_int;
	if (w[t].sigval != 1000 * t + 7)
		fail(t, "signal value %d", w[t].sigval);
	check_self(t, 0);
	h = FNV_INIT;
	for (i = 0; i < BUF_WORDS; i++)
		h = (h ^ buf[i]) * 0x100000001b3ULL;
	w[t].sum = h;
	free(buf);
	return NULL;
}

int main(int argc, char **argv)
{
	pthread_attr_t attr;
	sigset_t all;
	uint64_t h;
	long r;
	int t, bad = 0;

	rounds = arg_long(argc, argv, 1, 200);
	pace_ms = arg_long(argc, argv, 2, 50);
	seed = arg_long(argc, argv, 3, 1);
	workload_init();

	/* Main blocks every signal the workers may block; they set theirs. */
	sigemptyset(&all);
	for (t = 0; t < NT; t++)
		sigaddset(&all, SIGRTMIN + t);
	sigaddset(&all, SIGUSR1);
	sigaddset(&all, SIGUSR2);
	sigaddset(&all, SIGHUP);
	sigaddset(&all, SIGWINCH);
	pthread_sigmask(SIG_SETMASK, &all, NULL);

	pthread_barrier_init(&mid, NULL, NT);
	pthread_barrier_init(&end, NULL, NT + 1);
	pthread_attr_init(&attr);
	pthread_attr_setstacksize(&attr, 256 * 1024);
	/* One at a time, so that the tids are the same in every run. */
	for (t = 0; t < NT; t++) {
		if (pthread_create(&w[t].self, &attr, worker, (void *)(long)t)) {
			fprintf(stderr, "pthread_create failed\n");
			return 1;
		}
		while (!__atomic_load_n(&w[t].tid, __ATOMIC_SEQ_CST))
			sleep_ms(1);
	}
	pthread_barrier_wait(&end);
	for (t = 0; t < NT; t++) {
		union sigval v = { .sival_int = 1000 * t + 7 };
		int err = pthread_sigqueue(w[t].self, SIGRTMIN + t, v);

		if (err) {
			printf("FAIL pthread_sigqueue(%d): %d\n", t, err);
			bad++;
		}
	}
	pthread_barrier_wait(&end);
	printf("tids");
	for (t = 0; t < NT; t++)
		printf(" %d", w[t].tid);
	printf(" pid %d\n", getpid());

	for (r = 1; r <= rounds; r++) {
		pthread_mutex_lock(&hold);
		sleep_ms(pace_ms);
		pthread_mutex_lock(&m);
		gate = r;
		pthread_cond_broadcast(&gate_cv);
		pthread_mutex_unlock(&m);
		pthread_mutex_unlock(&hold);
		pthread_barrier_wait(&end);
		printf("round %ld pid %d\n", r, getpid());
	}

	h = FNV_INIT;
	for (t = 0; t < NT; t++) {
		pthread_join(w[t].self, NULL);
		printf("thread %d tid %d sum %016llx signal %d\n", t, w[t].tid,
		       (unsigned long long)w[t].sum, w[t].sigval);
		h = fnv1a(h, &w[t].tid, sizeof(w[t].tid));
		h = fnv1a(h, &w[t].sum, sizeof(w[t].sum));
		h = fnv1a(h, &w[t].sigval, sizeof(w[t].sigval));
		bad += w[t].bad;
	}
	h = fnv1a(h, &ring_acc, sizeof(ring_acc));
	h = fnv1a(h, &sum_acc, sizeof(sum_acc));
	printf("ring %016llx sum %016llx\n", (unsigned long long)ring_acc,
	       (unsigned long long)sum_acc);
	printf("RESULT %s %016llx\n", bad ? "FAIL" : "OK", (unsigned long long)h);
	return bad ? 1 : 0;
}
