// SPDX-License-Identifier: GPL-2.0
/*
 * imgedit: damage an image in place, for decoder tests.
 *
 *   imgedit FILE OFFSET xor:N     XOR the byte at OFFSET with N
 *   imgedit FILE OFFSET u32:N     store N there, little-endian
 *
 * OFFSET is a byte offset, or rec:TYPE:INDEX:FIELD: byte FIELD of the
 * payload of the INDEX-th (from 0) record of type TYPE, found by walking
 * the record headers (so an image's layout need not be hard-coded).
 */
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../ckptctl.h"

/* The offset of "rec:TYPE:INDEX:FIELD" in the image open at @fd. */
static long long rec_offset(int fd, const char *spec)
{
	unsigned long type, index, field;
	struct ckpt_rec r;
	long long off = 0;

	if (sscanf(spec, "rec:%lu:%lu:%lu", &type, &index, &field) != 3)
		return -1;
	while (pread(fd, &r, sizeof(r), off) == (ssize_t)sizeof(r) &&
	       r.len >= sizeof(r)) {
		if (r.type == type && !index--)
			return off + sizeof(r) + field;
		off += r.len;
	}
	return -1;
}

int main(int argc, char **argv)
{
	long long off;
	unsigned long long v;
	uint8_t b[4];
	size_t n;
	int fd;

	if (argc != 4 || (strncmp(argv[3], "xor:", 4) && strncmp(argv[3], "u32:", 4))) {
		fprintf(stderr, "usage: imgedit FILE OFFSET xor:N|u32:N\n");
		return 2;
	}
	v = strtoull(argv[3] + 4, NULL, 0);
	fd = open(argv[1], O_RDWR);
	if (fd < 0) {
		perror(argv[1]);
		return 1;
	}
	off = strncmp(argv[2], "rec:", 4) ? (long long)strtoull(argv[2], NULL, 0) :
	      rec_offset(fd, argv[2]);
	if (off < 0) {
		fprintf(stderr, "imgedit: no record %s\n", argv[2]);
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
