// SPDX-License-Identifier: GPL-2.0
/*
 * fpu - long chaotic floating-point computations held in registers.
 *
 * Usage: fpu [ROUNDS [ITERS]]   (defaults: 40 rounds of 250000 iterations)
 *
 * Sixteen logistic maps x <- r * x * (1 - x) run in eight SSE2 registers
 * (two doubles each) and four more in x87 long doubles, for ITERS
 * iterations per round without a function call, so a checkpoint taken
 * during a round saves them in XMM and x87 registers, not in memory.  The
 * maps are chaotic: one bit lost in a register, or a different rounding,
 * gives a completely different final state.
 *
 * The rounding modes are set away from their defaults (SSE: toward zero,
 * x87: downward) and checked after each round, so MXCSR and the x87 control
 * word must survive a restart as well.  Prints "round K pid P <state>"
 * after each round and "RESULT <bits of the final state>" at the end.
 */
#include <stdint.h>
#include <string.h>
#include <emmintrin.h>

#include "workload.h"

#define MXCSR_RC_ZERO	0x6000		/* round toward zero */
#define MXCSR_MASKS	0x1f80		/* all exceptions masked */
#define FCW_WANTED	0x077f		/* round down, 64-bit precision, masked */

static inline uint16_t get_fcw(void)
{
	uint16_t cw;

	__asm__ volatile("fnstcw %0" : "=m"(cw));
	return cw;
}

static inline void set_fcw(uint16_t cw)
{
	__asm__ volatile("fldcw %0" : : "m"(cw));
}

static uint64_t bits(double d)
{
	uint64_t u;

	memcpy(&u, &d, sizeof(u));
	return u;
}

/* The 80 significant bits of a long double, as 20 hex digits. */
static void print_ld(const char *sep, long double ld)
{
	unsigned char b[16] = { 0 };
	uint64_t mant;
	uint16_t se;

	memcpy(b, &ld, 10);
	memcpy(&mant, b, 8);
	memcpy(&se, b + 8, 2);
	printf("%s%04x%016llx", sep, se, (unsigned long long)mant);
}

static void print_state(const __m128d *x, const long double *q)
{
	double d[16];
	int i;

	for (i = 0; i < 8; i++)
		_mm_storeu_pd(&d[2 * i], x[i]);
	for (i = 0; i < 16; i++)
		printf("%s%016llx", i ? "" : " ", (unsigned long long)bits(d[i]));
	for (i = 0; i < 4; i++)
		print_ld(i ? "" : " ", q[i]);
}

static int check_modes(void)
{
	unsigned int mxcsr = _mm_getcsr() & ~0x3fU;	/* minus sticky flags */

	if (mxcsr != (MXCSR_MASKS | MXCSR_RC_ZERO) || get_fcw() != FCW_WANTED) {
		printf("FAIL mxcsr %#x fcw %#x, expected %#x %#x\n", mxcsr,
		       get_fcw(), MXCSR_MASKS | MXCSR_RC_ZERO, FCW_WANTED);
		return -1;
	}
	return 0;
}

int main(int argc, char **argv)
{
	long rounds = arg_long(argc, argv, 1, 40);
	long iters = arg_long(argc, argv, 2, 250000);
	__m128d x[8], r[8], one = _mm_set1_pd(1.0);
	long double q[4], rq[4];
	long k, i;
	int j;

	workload_init();
	_mm_setcsr(MXCSR_MASKS | MXCSR_RC_ZERO);
	set_fcw(FCW_WANTED);

	for (j = 0; j < 8; j++) {
		x[j] = _mm_set_pd(0.1 + 0.05 * j, 0.13 + 0.05 * j);
		r[j] = _mm_set_pd(3.9 + 0.01 * j, 3.95 + 0.005 * j);
	}
	for (j = 0; j < 4; j++) {
		q[j] = 0.2L + 0.15L * j;
		rq[j] = 3.91L + 0.02L * j;
	}

	for (k = 1; k <= rounds; k++) {
		/* Locals so that the compiler keeps them in registers. */
		__m128d x0 = x[0], x1 = x[1], x2 = x[2], x3 = x[3];
		__m128d x4 = x[4], x5 = x[5], x6 = x[6], x7 = x[7];
		long double q0 = q[0], q1 = q[1], q2 = q[2], q3 = q[3];

#define STEP(v, n) ((v) = _mm_mul_pd(_mm_mul_pd(r[n], (v)), _mm_sub_pd(one, (v))))
		for (i = 0; i < iters; i++) {
			STEP(x0, 0); STEP(x1, 1); STEP(x2, 2); STEP(x3, 3);
			STEP(x4, 4); STEP(x5, 5); STEP(x6, 6); STEP(x7, 7);
			q0 = rq[0] * q0 * (1.0L - q0);
			q1 = rq[1] * q1 * (1.0L - q1);
			q2 = rq[2] * q2 * (1.0L - q2);
			q3 = rq[3] * q3 * (1.0L - q3);
		}
#undef STEP
		x[0] = x0; x[1] = x1; x[2] = x2; x[3] = x3;
		x[4] = x4; x[5] = x5; x[6] = x6; x[7] = x7;
		q[0] = q0; q[1] = q1; q[2] = q2; q[3] = q3;

		if (check_modes()) {
			printf("RESULT FAIL\n");
			return 1;
		}
		printf("round %ld pid %d", k, getpid());
		print_state(x, q);
		printf("\n");
	}

	printf("RESULT");
	print_state(x, q);
	printf("\n");
	return 0;
}
