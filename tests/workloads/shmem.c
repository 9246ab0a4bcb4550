// SPDX-License-Identifier: GPL-2.0
/*
 * shmem - shared and copy-on-write memory between two processes.
 *
 * Usage: shmem [ROUNDS [PACE_MS [SEED]]]	(defaults: 120 rounds, 80 ms;
 *						 at most 126 rounds)
 *
 * Before forking, the init (P) maps, each 1 MiB and filled with a pattern:
 *   SH    MAP_SHARED | MAP_ANONYMOUS
 *   MF    a memfd, MAP_SHARED, mapped twice (MF and MFA, the same pages at
 *         two addresses; the fd is closed after mmap)
 *   PRIV  MAP_PRIVATE | MAP_ANONYMOUS: after fork the child (C) and P share
 *         its pages copy-on-write
 * P and C then take turns (a turn word in SH, polled): in round r, P writes
 * a value into a new page of SH and of MF (through MFA on odd rounds) and
 * into the same page of its PRIV; C checks it sees P's values in SH, MF
 * and MFA and still the original pattern in its own PRIV, then writes its
 * own values into another new page, which P checks the same way.  Each
 * round uses pages nobody wrote before, so after a checkpoint the pages
 * written were still shared copy-on-write when it was taken: a restart
 * that made the shared mappings private (C would not see P's value, and
 * the turn would never come: "C did not answer"), or the private ones
 * shared (a write would show in the other), fails here.
 *
 * P prints "round K pid P"; at the end C puts the checksum of its PRIV
 * into SH and exits 0, and P prints "RESULT OK <hash of SH, MF, both
 * PRIVs>" (FAIL if any check failed).
 */
#define _GNU_SOURCE
#include <stdarg.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>

#include "workload.h"

#define SIZE		(1 << 20)
#define PAGE		4096
#define WORDS		(SIZE / 8)
#define PAGE_WORDS	(PAGE / 8)
#define MAX_ROUNDS	126
#define TIMEOUT_S	120

/* The control words live in the last page of SH, never used for data. */
struct ctl {
	int turn;		/* 0: P's, 1: C's */
	int round;		/* the round whose turn it is */
	int bad;
	int c_done;
	uint64_t c_sum;
};

static uint64_t *sh, *mf, *mfa, *priv;
static struct ctl *ctl;
static uint64_t seed;
static long rounds, pace_ms;
static const char *who = "P";

static uint64_t pattern(size_t i, uint64_t salt)
{
	uint64_t x = (i + 1) * 0x9e3779b97f4a7c15ULL ^ (seed + salt);

	x ^= x >> 31;
	x *= 0xbf58476d1ce4e5b9ULL;
	x ^= x >> 29;
	return x;
}

static uint64_t value(long r, int c)
{
	return pattern(r * 2 + c, 0x5eed);
}

/* The word that round @r of side @c (0: P, 1: C) writes. */
static size_t word(long r, int c)
{
	return (size_t)(2 * r + c) * PAGE_WORDS + (r * 37 % PAGE_WORDS);
}

static void __attribute__((format(printf, 1, 2))) fail(const char *fmt, ...)
{
	va_list ap;

	__atomic_add_fetch(&ctl->bad, 1, __ATOMIC_SEQ_CST);
	printf("FAIL %s (pid %d): ", who, getpid());
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
}

static void wait_turn(int c, long r)
{
	int64_t deadline = mono_ns() + TIMEOUT_S * 1000000000LL;

	while (__atomic_load_n(&ctl->turn, __ATOMIC_SEQ_CST) != c ||
	       __atomic_load_n(&ctl->round, __ATOMIC_SEQ_CST) != r) {
		if (mono_ns() > deadline) {
			fail("round %ld: %s did not answer in %d s", r,
			     c ? "P" : "C", TIMEOUT_S);
			printf("RESULT FAIL\n");
			exit(1);
		}
		sleep_ms(1);
	}
}

static void give_turn(int c, long r)
{
	__atomic_store_n(&ctl->round, r, __ATOMIC_SEQ_CST);
	__atomic_store_n(&ctl->turn, c, __ATOMIC_SEQ_CST);
}

/* What side @c wrote in round @r, seen by the other one. */
static void check_other(int c, long r)
{
	size_t w = word(r, c);
	uint64_t v = value(r, c);

	if (sh[w] != v)
		fail("round %ld: SH word %zu is %016llx, expected %016llx",
		     r, w, (unsigned long long)sh[w], (unsigned long long)v);
	if (mf[w] != v || mfa[w] != v)
		fail("round %ld: memfd word %zu is %016llx/%016llx, expected %016llx",
		     r, w, (unsigned long long)mf[w],
		     (unsigned long long)mfa[w], (unsigned long long)v);
	if (priv[w] != pattern(w, 3))
		fail("round %ld: private word %zu is %016llx: the other's write shows",
		     r, w, (unsigned long long)priv[w]);
}

/* Side @c's own writes of round @r are still there. */
static void check_own(int c, long r)
{
	size_t w = word(r, c);

	if (priv[w] != (value(r, c) ^ 0xff00ff00ff00ff00ULL))
		fail("round %ld: own private word %zu lost", r, w);
}

static void write_own(int c, long r)
{
	size_t w = word(r, c);
	uint64_t v = value(r, c);

	sh[w] = v;
	if (r & 1)
		mfa[w] = v;
	else
		mf[w] = v;
	priv[w] = v ^ 0xff00ff00ff00ff00ULL;
}

static uint64_t sum(const uint64_t *p, size_t words)
{
	uint64_t h = FNV_INIT;
	size_t i;

	for (i = 0; i < words; i++)
		h = (h ^ p[i]) * 0x100000001b3ULL;
	return h;
}

static void __attribute__((noreturn)) child(void)
{
	long r;

	who = "C";
	for (r = 1; r <= rounds; r++) {
		wait_turn(1, r);
		check_other(0, r);
		if (r > 1)
			check_own(1, r - 1);
		write_own(1, r);
		give_turn(0, r);
	}
	wait_turn(1, rounds + 1);
	ctl->c_sum = sum(priv, WORDS);
	__atomic_store_n(&ctl->c_done, 1, __ATOMIC_SEQ_CST);
	exit(0);
}

int main(int argc, char **argv)
{
	uint64_t h, s_sh, s_mf, s_priv;
	int fd, status;
	size_t i;
	pid_t c;
	long r;

	rounds = arg_long(argc, argv, 1, 120);
	pace_ms = arg_long(argc, argv, 2, 80);
	seed = arg_long(argc, argv, 3, 1);
	workload_init();
	if (rounds < 1 || rounds > MAX_ROUNDS) {
		fprintf(stderr, "shmem: 1 to %d rounds\n", MAX_ROUNDS);
		return 2;
	}
	sh = mmap(NULL, SIZE, PROT_READ | PROT_WRITE,
		  MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	priv = mmap(NULL, SIZE, PROT_READ | PROT_WRITE,
		    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	fd = memfd_create("ckpt-shmem", MFD_CLOEXEC);
	if (sh == MAP_FAILED || priv == MAP_FAILED || fd < 0 ||
	    ftruncate(fd, SIZE)) {
		perror("mmap/memfd");
		return 1;
	}
	mf = mmap(NULL, SIZE, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	mfa = mmap(NULL, SIZE, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	if (mf == MAP_FAILED || mfa == MAP_FAILED) {
		perror("mmap memfd");
		return 1;
	}
	close(fd);
	ctl = (struct ctl *)(sh + WORDS - PAGE_WORDS);
	for (i = 0; i < WORDS - PAGE_WORDS; i++) {
		sh[i] = pattern(i, 1);
		mf[i] = pattern(i, 2);
	}
	for (i = 0; i < WORDS; i++)
		priv[i] = pattern(i, 3);
	if (mfa[12345] != pattern(12345, 2)) {
		printf("FAIL the memfd's two mappings differ from the start\n");
		return 1;
	}

	fflush(stdout);
	c = fork();
	if (c < 0) {
		perror("fork");
		return 1;
	}
	if (c == 0)
		child();
	printf("child %d pid %d\n", c, getpid());

	for (r = 1; r <= rounds; r++) {
		if (r > 1) {
			wait_turn(0, r - 1);
			check_other(1, r - 1);
			check_own(0, r - 1);
		}
		write_own(0, r);
		give_turn(1, r);
		printf("round %ld pid %d\n", r, getpid());
		sleep_ms(pace_ms);
	}
	wait_turn(0, rounds);
	check_other(1, rounds);
	give_turn(1, rounds + 1);
	if (waitpid(c, &status, 0) != c || status != 0)
		fail("child %d: status %#x", c, status);
	if (!ctl->c_done)
		fail("the child's checksum did not arrive");
	s_sh = sum(sh, WORDS - PAGE_WORDS);
	s_mf = sum(mf, WORDS);
	s_priv = sum(priv, WORDS);
	if (sum(mfa, WORDS) != s_mf)
		fail("the memfd's two mappings differ");
	printf("sums SH %016llx MF %016llx PRIV %016llx %016llx\n",
	       (unsigned long long)s_sh, (unsigned long long)s_mf,
	       (unsigned long long)s_priv, (unsigned long long)ctl->c_sum);
	h = FNV_INIT;
	h = fnv1a(h, &s_sh, 8);
	h = fnv1a(h, &s_mf, 8);
	h = fnv1a(h, &s_priv, 8);
	h = fnv1a(h, &ctl->c_sum, 8);
	h = fnv1a(h, &c, sizeof(c));
	printf("RESULT %s %016llx\n", ctl->bad ? "FAIL" : "OK",
	       (unsigned long long)h);
	return ctl->bad ? 1 : 0;
}
