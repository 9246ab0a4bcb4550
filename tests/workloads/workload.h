/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Common helpers of the same-result workloads.
 *
 * A workload prints progress lines to stdout, then exactly one
 * "RESULT <value>" line, and exits 0 (1 if it found itself broken).  The
 * value must be the same in an uninterrupted run and in a run that was
 * checkpointed, killed and restarted; progress lines carry getpid() so a
 * test can check the restarted process is still pid 1 of its namespace.
 */
#ifndef CKPT_WORKLOAD_H
#define CKPT_WORKLOAD_H

#include <errno.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

/* Checks that failed so far, counted by workload_fail(). */
static int workload_bad __attribute__((unused));

/* A check failed: one "FAIL pid P: ..." line; the run goes on. */
static inline void __attribute__((format(printf, 1, 2)))
workload_fail(const char *fmt, ...)
{
	va_list ap;

	workload_bad++;
	printf("FAIL pid %d: ", getpid());
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
}

/*
 * A line of a workload's final report: printed, and hashed (with its NUL)
 * into *@h, the value of its RESULT line.
 */
static inline void __attribute__((format(printf, 2, 3)))
workload_report(uint64_t *h, const char *fmt, ...);

/* Setting up failed: the run cannot go on. */
static inline void __attribute__((noreturn)) workload_die(const char *what)
{
	printf("FAIL %s: errno %d\n", what, errno);
	printf("RESULT FAIL\n");
	exit(1);
}

/*
 * stdout is a regular file in a container: make it line buffered so that
 * progress shows as it happens (a line half-written into the buffer at
 * checkpoint time is part of the saved memory and comes back with it).
 */
static inline void workload_init(void)
{
	setvbuf(stdout, NULL, _IOLBF, 0);
}

/* Parses a decimal argument, or gives @def when it is missing. */
static inline long arg_long(int argc, char **argv, int i, long def)
{
	char *end;
	long v;

	if (argc <= i)
		return def;
	v = strtol(argv[i], &end, 0);
	if (*end || v < 0) {
		fprintf(stderr, "bad argument %s\n", argv[i]);
		exit(2);
	}
	return v;
}

static inline uint64_t xorshift64(uint64_t *s)
{
	uint64_t x = *s;

	x ^= x << 13;
	x ^= x >> 7;
	x ^= x << 17;
	return *s = x;
}

/* FNV-1a, 64 bits, over bytes. */
static inline uint64_t fnv1a(uint64_t h, const void *buf, size_t len)
{
	const unsigned char *p = buf;

	while (len--) {
		h ^= *p++;
		h *= 0x100000001b3ULL;
	}
	return h;
}
#define FNV_INIT	0xcbf29ce484222325ULL

static inline void workload_report(uint64_t *h, const char *fmt, ...)
{
	char line[8192];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	if (n < 0 || n >= (int)sizeof(line))
		workload_die("report line");
	printf("%s\n", line);
	*h = fnv1a(*h, line, n + 1);
}

static inline int64_t mono_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

/* Sleeps @ms milliseconds, through signals. */
static inline void sleep_ms(long ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };

	while (nanosleep(&ts, &ts) && errno == EINTR)
		;
}

/*
 * Receives from socket @fd of @type into @buf: exactly @len bytes from a
 * stream, one message of at most @cap bytes from any other type.  Returns
 * the number of bytes received; an error or an early end of the stream is
 * fatal (@what names the step).
 */
static inline size_t workload_recv(int fd, int type, void *buf, size_t len,
				   size_t cap, const char *what)
{
	size_t got = 0;
	ssize_t n;

	if (type != SOCK_STREAM) {
		n = recv(fd, buf, cap, 0);
		if (n < 0)
			workload_die(what);
		return n;
	}
	while (got < len) {
		n = read(fd, (char *)buf + got, len - got);
		if (n <= 0)
			workload_die(what);
		got += n;
	}
	return got;
}

#endif /* CKPT_WORKLOAD_H */
