// SPDX-License-Identifier: GPL-2.0
/*
 * clocks - what the container's clocks do across checkpoints and restarts.
 *
 * Usage: clocks [DEADLINE_S [AFTER_S]]		(defaults: 20 s, 2 s)
 *
 * Two threads:
 *
 *  - a sleeper, which reads CLOCK_MONOTONIC, prints "SLEEPING ... pid P"
 *    and sleeps in clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME) until
 *    DEADLINE_S seconds after that reading; when it wakes it reads
 *    CLOCK_MONOTONIC and CLOCK_REALTIME again and prints "WOKE late_ns L
 *    mono_s M real_s R pid P": how long after the deadline it woke, on
 *    the container's own CLOCK_MONOTONIC (never negative, a little more
 *    than 0), and how long the sleep took on the monotonic and the
 *    realtime clocks (the realtime clock also counts the time the
 *    container was dead);
 *
 *  - the main thread, which prints "READY pid P" and samples
 *    CLOCK_MONOTONIC, CLOCK_BOOTTIME and CLOCK_REALTIME every 20 ms,
 *    keeping for each the largest forward jump between two consecutive
 *    samples and whether CLOCK_MONOTONIC or CLOCK_BOOTTIME ever went
 *    backwards.  A realtime jump of 2 s or more (a checkpoint and
 *    restart, where the container was dead) is printed as "GAP K real_s R
 *    mono_s M boot_s B pid P" when it is seen.  Once the sleeper woke and
 *    AFTER_S more seconds passed on CLOCK_MONOTONIC, it prints "REPORT
 *    samples N real_max_s R mono_max_s M boot_max_s B mono_back N
 *    boot_back N pid P", then "RESULT OK", or FAIL lines and "RESULT
 *    FAIL" if a clock went backwards or the sleeper woke before its
 *    deadline or more than LATE_MAX_S after it.
 *
 * Whether the time the container was dead counts on CLOCK_MONOTONIC and
 * CLOCK_BOOTTIME (it must not: the container's time namespace hides it)
 * is for the test to judge from the GAP and REPORT lines, knowing how
 * long it kept the container dead (see same_clocks.sh).
 */
#define _GNU_SOURCE
#include <pthread.h>
#include <signal.h>
#include <string.h>

#include "workload.h"

#define SAMPLE_MS	20
#define GAP_NS		2000000000LL
#define LATE_MAX_S	2

static int failures;

#define CHECK(cond, ...) do {						\
		if (!(cond)) {						\
			printf("FAIL " __VA_ARGS__);			\
			printf("\n");					\
			failures++;					\
		}							\
	} while (0)

static int64_t clock_ns(clockid_t clock)
{
	struct timespec ts;

	if (clock_gettime(clock, &ts)) {
		perror("clock_gettime");
		exit(1);
	}
	return ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

static long deadline_s;
static int woke;		/* set by the sleeper, read by main */

static void *sleeper(void *arg)
{
	int64_t start, real0, deadline, now, real;
	struct timespec ts;
	int err;

	(void)arg;
	start = clock_ns(CLOCK_MONOTONIC);
	real0 = clock_ns(CLOCK_REALTIME);
	deadline = start + deadline_s * 1000000000LL;
	ts.tv_sec = deadline / 1000000000LL;
	ts.tv_nsec = deadline % 1000000000LL;
	printf("SLEEPING until %lld.%09lld (%ld s) pid %d\n",
	       (long long)ts.tv_sec, (long long)ts.tv_nsec, deadline_s,
	       getpid());
	while ((err = clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &ts,
				      NULL)) == EINTR)
		;
	now = clock_ns(CLOCK_MONOTONIC);
	real = clock_ns(CLOCK_REALTIME);
	if (err)
		CHECK(0, "clock_nanosleep: %s", strerror(err));
	printf("WOKE late_ns %lld mono_s %.3f real_s %.3f pid %d\n",
	       (long long)(now - deadline), (now - start) / 1e9,
	       (real - real0) / 1e9, getpid());
	CHECK(now >= deadline,
	      "woke %lld ns before the deadline, on CLOCK_MONOTONIC",
	      (long long)(deadline - now));
	CHECK(now - deadline <= LATE_MAX_S * 1000000000LL,
	      "woke %.3f s after the deadline", (now - deadline) / 1e9);
	__atomic_store_n(&woke, 1, __ATOMIC_RELEASE);
	return NULL;
}

int main(int argc, char **argv)
{
	int64_t mono, boot, real, pmono, pboot, preal, after, end = 0;
	int64_t dmono, dboot, dreal, max_mono = 0, max_boot = 0, max_real = 0;
	long samples = 0, mono_back = 0, boot_back = 0, gaps = 0;
	pthread_t thread;
	sigset_t all, old;
	int err;

	workload_init();
	deadline_s = arg_long(argc, argv, 1, 20);
	after = arg_long(argc, argv, 2, 2) * 1000000000LL;
	if (deadline_s < 1) {
		fprintf(stderr, "DEADLINE_S must be at least 1\n");
		return 2;
	}

	/* The sleeper takes no signal (none is expected anyway). */
	sigfillset(&all);
	pthread_sigmask(SIG_BLOCK, &all, &old);
	err = pthread_create(&thread, NULL, sleeper, NULL);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	if (err) {
		fprintf(stderr, "pthread_create: %s\n", strerror(err));
		return 1;
	}

	pmono = clock_ns(CLOCK_MONOTONIC);
	pboot = clock_ns(CLOCK_BOOTTIME);
	preal = clock_ns(CLOCK_REALTIME);
	printf("READY pid %d\n", getpid());
	for (;;) {
		sleep_ms(SAMPLE_MS);
		mono = clock_ns(CLOCK_MONOTONIC);
		boot = clock_ns(CLOCK_BOOTTIME);
		real = clock_ns(CLOCK_REALTIME);
		samples++;
		dmono = mono - pmono;
		dboot = boot - pboot;
		dreal = real - preal;
		mono_back += dmono < 0;
		boot_back += dboot < 0;
		if (dmono > max_mono)
			max_mono = dmono;
		if (dboot > max_boot)
			max_boot = dboot;
		if (dreal > max_real)
			max_real = dreal;
		if (dreal >= GAP_NS)
			printf("GAP %ld real_s %.3f mono_s %.3f boot_s %.3f pid %d\n",
			       ++gaps, dreal / 1e9, dmono / 1e9, dboot / 1e9,
			       getpid());
		pmono = mono;
		pboot = boot;
		preal = real;
		/* AFTER_S more seconds once the sleeper woke. */
		if (!end && __atomic_load_n(&woke, __ATOMIC_ACQUIRE))
			end = mono + after;
		if (end && mono >= end)
			break;
	}
	pthread_join(thread, NULL);

	printf("REPORT samples %ld real_max_s %.3f mono_max_s %.3f boot_max_s %.3f mono_back %ld boot_back %ld pid %d\n",
	       samples, max_real / 1e9, max_mono / 1e9, max_boot / 1e9,
	       mono_back, boot_back, getpid());
	CHECK(!mono_back, "CLOCK_MONOTONIC went backwards %ld times", mono_back);
	CHECK(!boot_back, "CLOCK_BOOTTIME went backwards %ld times", boot_back);
	printf("RESULT %s\n", failures ? "FAIL" : "OK");
	return 0;
}
