// SPDX-License-Identifier: GPL-2.0
/*
 * memhog - mutate a private anonymous buffer for a number of rounds.
 *
 * Usage: memhog [MIB [ROUNDS [SEED [PACE_MS]]]]
 *	(defaults: 64 MiB, 40 rounds, seed 1, no pause between rounds)
 *
 * The buffer is filled from a xorshift PRNG, then each round rewrites every
 * word from its old value, the round number and a chain value carried from
 * word to word, so that any page lost, stale or zeroed by a checkpoint and
 * restart changes the final checksum.  Prints "round K pid P" after each
 * round and "RESULT <checksum>" at the end.
 *
 * PACE_MS pauses (nanosleep) after each round: the run then lasts about as
 * long on any machine, and a checkpoint may catch it asleep or computing.
 * It does not change the result.
 */
#include <string.h>
#include <sys/mman.h>

#include "workload.h"

static inline uint64_t rotl(uint64_t x, unsigned int r)
{
	return (x << r) | (x >> (64 - r));
}

int main(int argc, char **argv)
{
	size_t mib = arg_long(argc, argv, 1, 64);
	long rounds = arg_long(argc, argv, 2, 40);
	uint64_t seed = arg_long(argc, argv, 3, 1);
	long pace_ms = arg_long(argc, argv, 4, 0);
	size_t words = (mib << 20) / sizeof(uint64_t), i;
	uint64_t *buf, state = seed * 0x9e3779b97f4a7c15ULL + 1, h;
	long r;

	workload_init();
	if (!mib) {
		fprintf(stderr, "memhog: empty buffer\n");
		return 2;
	}
	buf = mmap(NULL, mib << 20, PROT_READ | PROT_WRITE,
		   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (buf == MAP_FAILED) {
		perror("mmap");
		return 1;
	}
	for (i = 0; i < words; i++)
		buf[i] = xorshift64(&state);
	printf("round 0 pid %d\n", getpid());

	for (r = 1; r <= rounds; r++) {
		uint64_t chain = xorshift64(&state);

		for (i = 0; i < words; i++) {
			uint64_t v = rotl(buf[i] ^ chain, r % 63 + 1) + i;

			buf[i] = v;
			chain = chain * 0x5851f42d4c957f2dULL + (v >> 7);
		}
		/* A few random words per round, out of the sweep order. */
		for (i = 0; i < 1024; i++)
			buf[xorshift64(&state) % words] ^= chain + i;
		printf("round %ld pid %d\n", r, getpid());
		if (pace_ms)
			sleep_ms(pace_ms);
	}

	h = FNV_INIT;
	for (i = 0; i < words; i++)
		h = (h ^ buf[i]) * 0x100000001b3ULL;
	printf("RESULT %016llx\n", (unsigned long long)h);
	return 0;
}
