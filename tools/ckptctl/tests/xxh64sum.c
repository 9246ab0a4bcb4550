// SPDX-License-Identifier: GPL-2.0
/*
 * xxh64sum: ckptctl's xxh64 over standard input, fed in chunks of
 * varying size, for comparison with a reference implementation.
 */
#include <unistd.h>

#include "../ckptctl.h"

int main(void)
{
	static uint8_t buf[65536];
	struct xxh64_state st;
	size_t chunk = 1;
	ssize_t n;

	xxh64_init(&st, 0);
	/* 1, 2, 3... byte reads exercise the buffering of partial stripes. */
	while ((n = read(0, buf, chunk)) > 0) {
		xxh64_update(&st, buf, n);
		chunk = chunk % 97 + 1;
	}
	if (n < 0)
		return 1;
	printf("%016llx\n", (unsigned long long)xxh64_digest(&st));
	return 0;
}
