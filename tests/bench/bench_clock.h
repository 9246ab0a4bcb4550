/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The clock and the best-of-N series of the benchmarks, as static functions
 * shared by ckpt_bench.c and ckpt_bench_tasks.c: include it once, in the
 * benchmark's only source file.  clock_setup() first, then
 * now() in seconds.
 */
#ifndef CKPT_BENCH_CLOCK_H
#define CKPT_BENCH_CLOCK_H

#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define MAX_REPS	15

/*
 * The clock.  Under QEMU TCG the clocksource watchdog finds the TSC
 * "unstable" a few seconds after boot (timer ticks come late, not the
 * TSC); with an HPET or ACPI PM timer the kernel moves to those, without
 * (no CONFIG_ACPI) to refined-jiffies: 4 ms steps at HZ=250, and ticks get
 * lost (jiffies ran 4% to 30% slow in our trials).  So, in this order:
 *   - the TSC at the frequency the kernel calibrated at boot against the
 *     PIT, HPET or PM timer ("tsc: Detected ... MHz" in its log); under
 *     TCG the guest's TSC is the host's;
 *   - CLOCK_MONOTONIC, if the clocksource is neither jiffies nor tsc-early
 *     (which the watchdog may still replace by jiffies);
 *   - the TSC calibrated against CLOCK_MONOTONIC over one second, with a
 *     warning: only as good as the jiffies.
 */
static double tsc_hz;
static char clock_name[200] = "CLOCK_MONOTONIC";

static double mono(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec * 1e-9;
}

/* Spins until CLOCK_MONOTONIC steps; the TSC and the time just after. */
static void tick_edge(uint64_t *tsc, double *t)
{
	double t0 = mono();

	do {
		*tsc = __builtin_ia32_rdtsc();
		*t = mono();
	} while (*t == t0);
}

/* The TSC frequency in the kernel's log, or 0. */
static double kmsg_tsc_hz(void)
{
	static const char *const keys[] = {
		"tsc: Refined TSC clocksource calibration: ",
		"tsc: Detected ",
	};
	char rec[2048];
	double hz[2] = { 0, 0 };
	int fd = open("/dev/kmsg", O_RDONLY | O_NONBLOCK | O_CLOEXEC);
	ssize_t n;
	int i;

	if (fd < 0)
		return 0;
	for (;;) {
		n = read(fd, rec, sizeof(rec) - 1);
		if (n < 0 && errno == EPIPE)	/* overwritten record */
			continue;
		if (n <= 0)
			break;
		rec[n] = '\0';
		for (i = 0; i < 2; i++) {
			char *p = strstr(rec, keys[i]);

			if (p && strstr(p, " MHz"))
				hz[i] = strtod(p + strlen(keys[i]), NULL) * 1e6;
		}
	}
	close(fd);
	return hz[0] > 0 ? hz[0] : hz[1];
}

static void clock_setup(void)
{
	struct timespec one = { 1, 0 };
	uint64_t c0, c1;
	double t0, t1;
	char cs[64] = "";
	FILE *f;

	f = fopen("/sys/devices/system/clocksource/clocksource0/current_clocksource",
		  "re");
	if (f) {
		if (fgets(cs, sizeof(cs), f))
			cs[strcspn(cs, "\n")] = '\0';
		fclose(f);
	}
	snprintf(clock_name, sizeof(clock_name),
		 "CLOCK_MONOTONIC (clocksource %s)", cs[0] ? cs : "?");
	tsc_hz = kmsg_tsc_hz();
	if (tsc_hz > 0) {
		snprintf(clock_name, sizeof(clock_name),
			 "rdtsc at %.3f MHz, the kernel's calibration (clocksource %s)",
			 tsc_hz / 1e6, cs[0] ? cs : "?");
		return;
	}
	if (cs[0] && !strstr(cs, "jiffies") && strcmp(cs, "tsc-early"))
		return;
	tick_edge(&c0, &t0);
	nanosleep(&one, NULL);
	tick_edge(&c1, &t1);
	if (t1 <= t0 || c1 <= c0)
		return;
	tsc_hz = (c1 - c0) / (t1 - t0);
	snprintf(clock_name, sizeof(clock_name),
		 "rdtsc at %.1f MHz, calibrated over %.3f s of CLOCK_MONOTONIC (clocksource %s)"
		 " -- WARNING: the kernel found no TSC frequency, times may be several %% off",
		 tsc_hz / 1e6, t1 - t0, cs);
}

static double now(void)
{
	if (tsc_hz > 0)
		return __builtin_ia32_rdtsc() / tsc_hz;
	return mono();
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

/* A series of REPS times: best and median. */
struct series {
	double t[MAX_REPS];
	int n;
};

static void add(struct series *s, double t)
{
	if (s->n < MAX_REPS)
		s->t[s->n++] = t;
}

static double best(const struct series *s)
{
	double b = s->n ? s->t[0] : 0;
	int i;

	for (i = 1; i < s->n; i++)
		if (s->t[i] < b)
			b = s->t[i];
	return b;
}

static double median(const struct series *s)
{
	double t[MAX_REPS];

	if (!s->n)
		return 0;
	memcpy(t, s->t, s->n * sizeof(double));
	qsort(t, s->n, sizeof(double), cmp_double);
	return s->n % 2 ? t[s->n / 2] : (t[s->n / 2 - 1] + t[s->n / 2]) / 2;
}

#endif /* CKPT_BENCH_CLOCK_H */
