// SPDX-License-Identifier: GPL-2.0
/*
 * logger - write two files through their file offsets.
 *
 * Usage: logger DIR [COUNT [PAUSE_MS]]   (defaults: 3000 records, 2 ms)
 *
 * DIR/append.log, opened O_APPEND, gets COUNT lines "line NNNNNN".
 * DIR/records.dat, opened O_RDWR, is positioned once with lseek() past a
 * hole of HOLE bytes, then gets COUNT fixed-size records with plain write()
 * calls: each lands where the file offset is, so a restart that loses the
 * offset shows as overwritten or misplaced records.  Every 50 records a
 * counter at offset 0 is rewritten with lseek() + write() and the offset
 * put back with lseek(), and every 100 the offset is read back and checked.
 *
 * At the end both files are read back and checked against what they must
 * hold (no gap, no duplicate, nothing misplaced); the result is a checksum
 * of both, or FAIL with the first difference.
 */
#include <fcntl.h>
#include <string.h>

#include "workload.h"

#define HOLE		4096
#define REC_LEN		24	/* "rec NNNNNN XXXXXXXXXXXX\n" */
#define LINE_LEN	12	/* "line NNNNNN\n" */
#define COUNTER_LEN	13	/* "count NNNNNN\n" */

static void fail(const char *what, long n)
{
	printf("FAIL %s at %ld\n", what, n);
	printf("RESULT FAIL\n");
	exit(1);
}

static void write_all(int fd, const char *buf, size_t len, const char *what,
		      long n)
{
	if (write(fd, buf, len) != (ssize_t)len)
		fail(what, n);
}

static void format_rec(char *rec, long i)
{
	char tmp[64];

	snprintf(tmp, sizeof(tmp), "rec %06ld %012llx\n", i,
		 (unsigned long long)(i * 0x9e3779b97f4aULL) & 0xffffffffffffULL);
	memcpy(rec, tmp, REC_LEN);
}

static char *read_file(const char *path, size_t *len)
{
	FILE *f = fopen(path, "r");
	char *buf;
	long size;

	if (!f)
		return NULL;
	fseek(f, 0, SEEK_END);
	size = ftell(f);
	rewind(f);
	buf = malloc(size + 1);
	if (!buf || fread(buf, 1, size, f) != (size_t)size) {
		fclose(f);
		free(buf);
		return NULL;
	}
	fclose(f);
	*len = size;
	return buf;
}

int main(int argc, char **argv)
{
	const char *dir = argc > 1 ? argv[1] : ".";
	long count = arg_long(argc, argv, 2, 3000);
	long pause_ms = arg_long(argc, argv, 3, 2);
	char apath[4096], rpath[4096], line[64], rec[REC_LEN];
	char counter[64];
	size_t alen, rlen;
	char *a, *r;
	uint64_t h;
	long i;
	int afd, rfd;

	workload_init();
	if (count > 999999) {
		fprintf(stderr, "logger: at most 999999 records\n");
		return 2;
	}
	snprintf(apath, sizeof(apath), "%s/append.log", dir);
	snprintf(rpath, sizeof(rpath), "%s/records.dat", dir);
	afd = open(apath, O_WRONLY | O_CREAT | O_TRUNC | O_APPEND, 0644);
	rfd = open(rpath, O_RDWR | O_CREAT | O_TRUNC, 0644);
	if (afd < 0 || rfd < 0) {
		perror("open");
		return 1;
	}
	if (lseek(rfd, HOLE, SEEK_SET) != HOLE)
		fail("lseek to the first record", 0);
	printf("START pid %d\n", getpid());

	for (i = 0; i < count; i++) {
		off_t expect = HOLE + (off_t)i * REC_LEN;

		snprintf(line, sizeof(line), "line %06ld\n", i);
		write_all(afd, line, LINE_LEN, "append", i);
		format_rec(rec, i);
		write_all(rfd, rec, REC_LEN, "record", i);

		if ((i + 1) % 50 == 0) {
			snprintf(counter, sizeof(counter), "count %06ld\n",
				 i + 1);
			if (lseek(rfd, 0, SEEK_SET) != 0)
				fail("lseek to the counter", i);
			write_all(rfd, counter, COUNTER_LEN, "counter", i);
			if (lseek(rfd, expect + REC_LEN, SEEK_SET) !=
			    expect + REC_LEN)
				fail("lseek back", i);
		}
		if ((i + 1) % 100 == 0 &&
		    lseek(rfd, 0, SEEK_CUR) != expect + REC_LEN)
			fail("file offset", i);
		if ((i + 1) % 500 == 0)
			printf("progress %ld pid %d\n", i + 1, getpid());
		if (pause_ms)
			sleep_ms(pause_ms);
	}
	snprintf(counter, sizeof(counter), "count %06ld\n", count);
	if (pwrite(rfd, counter, COUNTER_LEN, 0) != COUNTER_LEN)
		fail("final counter", count);
	if (close(afd) || close(rfd))
		fail("close", count);

	/* Read both back and check every byte. */
	a = read_file(apath, &alen);
	r = read_file(rpath, &rlen);
	if (!a || !r)
		fail("read back", count);
	if (alen != (size_t)count * LINE_LEN)
		fail("append.log size", alen);
	for (i = 0; i < count; i++) {
		snprintf(line, sizeof(line), "line %06ld\n", i);
		if (memcmp(a + i * LINE_LEN, line, LINE_LEN))
			fail("append.log line", i);
	}
	if (rlen != HOLE + (size_t)count * REC_LEN)
		fail("records.dat size", rlen);
	if (memcmp(r, counter, COUNTER_LEN))
		fail("records.dat counter", 0);
	for (i = COUNTER_LEN; i < HOLE; i++)
		if (r[i])
			fail("records.dat hole", i);
	for (i = 0; i < count; i++) {
		format_rec(rec, i);
		if (memcmp(r + HOLE + i * REC_LEN, rec, REC_LEN))
			fail("records.dat record", i);
	}

	h = fnv1a(FNV_INIT, a, alen);
	h = fnv1a(h, r, rlen);
	printf("RESULT %016llx\n", (unsigned long long)h);
	return 0;
}
