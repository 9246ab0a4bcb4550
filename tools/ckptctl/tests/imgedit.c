// SPDX-License-Identifier: GPL-2.0
/*
 * imgedit: damage an image in place, for decoder tests.
 *
 *   imgedit FILE OFFSET xor:N     XOR the byte at OFFSET with N
 *   imgedit FILE OFFSET u32:N     store N there, little-endian
 */
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../ckptctl.h"

int main(int argc, char **argv)
{
	unsigned long long off, v;
	uint8_t b[4];
	size_t n;
	int fd;

	if (argc != 4 || (strncmp(argv[3], "xor:", 4) && strncmp(argv[3], "u32:", 4))) {
		fprintf(stderr, "usage: imgedit FILE OFFSET xor:N|u32:N\n");
		return 2;
	}
	off = strtoull(argv[2], NULL, 0);
	v = strtoull(argv[3] + 4, NULL, 0);
	fd = open(argv[1], O_RDWR);
	if (fd < 0) {
		perror(argv[1]);
		return 1;
	}
	n = argv[3][0] == 'x' ? 1 : 4;
	if (pread(fd, b, n, off) != (ssize_t)n) {
		fprintf(stderr, "imgedit: offset %llu past the end\n", off);
		return 1;
	}
	if (n == 1) {
		b[0] ^= v;
	} else {
		b[0] = v;
		b[1] = v >> 8;
		b[2] = v >> 16;
		b[3] = v >> 24;
	}
	if (pwrite(fd, b, n, off) != (ssize_t)n || close(fd)) {
		perror(argv[1]);
		return 1;
	}
	return 0;
}
