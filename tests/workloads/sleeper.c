// SPDX-License-Identifier: GPL-2.0
/*
 * sleeper - one long nanosleep(), which a restart must resume with the time
 * it had left.
 *
 * Usage: sleeper SECONDS [libc|raw]
 *
 * Reads CLOCK_MONOTONIC, prints "SLEEPING S pid P", then sleeps S seconds
 * in a single nanosleep() (glibc's, which is clock_nanosleep(2), or with
 * "raw" the nanosleep(2) system call itself); an EINTR goes on with the
 * remaining time it reports.  Then prints "SLEPT <ms> ms pid P" and
 * "RESULT OK" if at least S seconds passed on CLOCK_MONOTONIC, else
 * "RESULT SHORT".
 *
 * That the sleep did not start over from S after a restart is for the test
 * to check from outside, from when the output appears (see
 * same_sleeper.sh): inside, the time the container spent dead counts as
 * slept either way.
 */
#include <string.h>
#include <sys/syscall.h>

#include "workload.h"

/* Clock readings are in ns; allow for a coarse clock at the edges. */
#define SLACK_MS	20

int main(int argc, char **argv)
{
	long secs = arg_long(argc, argv, 1, 20);
	int raw = argc > 2 && !strcmp(argv[2], "raw");
	struct timespec req = { secs, 0 }, rem;
	int64_t t0, t1, slept_ms;
	int eintr = 0;

	workload_init();
	t0 = mono_ns();
	printf("SLEEPING %ld pid %d\n", secs, getpid());
	for (;;) {
		int ret;

		if (raw)
			ret = syscall(SYS_nanosleep, &req, &rem);
		else
			ret = nanosleep(&req, &rem);
		if (!ret)
			break;
		if (errno != EINTR) {
			perror("nanosleep");
			printf("RESULT FAIL\n");
			return 1;
		}
		eintr++;
		req = rem;
	}
	t1 = mono_ns();
	slept_ms = (t1 - t0) / 1000000;
	printf("SLEPT %lld ms pid %d eintr %d\n", (long long)slept_ms,
	       getpid(), eintr);
	if (slept_ms + SLACK_MS < secs * 1000) {
		printf("RESULT SHORT\n");
		return 1;
	}
	printf("RESULT OK\n");
	return 0;
}
