// SPDX-License-Identifier: GPL-2.0
/*
 * unlinked - files with no name on a file system other than tmpfs.
 *
 * Usage: unlinked DIR [TICKS [TICK_MS]]	(defaults: 40 ticks of 100 ms)
 *
 * DIR is a directory of a file system with O_TMPFILE (the test mounts a
 * ramfs there).  The init (P) makes in it:
 *   A  a file written with a 64 KiB pattern, mode 0640, opened twice (fd A1
 *      read-write at offset 3000, fd A2 read-only at offset 50000), then
 *      deleted; a child (C) dup()s A1 and writes a line "c K" through the
 *      dup each tick, at the offset it shares with P's A1;
 *   T  an O_TMPFILE file, mode 0604, to which P appends a line each tick;
 *      at the end P gives it the name DIR/published with
 *      linkat(fd, "", AT_EMPTY_PATH) and reads it back by that name;
 *   X  an O_TMPFILE | O_EXCL file, which linkat() must refuse (ENOENT);
 *   S  a sparse file (4 bytes at 0 and at 1 MiB + 100), deleted.
 * Each tick P reads 4 bytes through A2 and checks them against the pattern.
 *
 * P prints "tick K pid P"; at the end it waits for C and prints
 * "RESULT OK" followed by, for each file, the xxh-like hash of its data,
 * its size, link count, mode and the offsets of its open files (FAIL if a
 * check failed).
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include "workload.h"

#define A_SIZE		65536
#define S_TAIL		((1 << 20) + 100)

static char dir[4096];

static unsigned char pattern(long i)
{
	return (unsigned char)(i * 131 + (i >> 8) * 7 + 3);
}

/* FNV-1a of the data of @fd, read with pread() (no offset moves). */
static uint64_t hash_fd(int fd, long long *size)
{
	uint64_t h = 0xcbf29ce484222325ULL;
	char buf[65536];
	long long at = 0;
	ssize_t n, i;

	while ((n = pread(fd, buf, sizeof(buf), at)) > 0) {
		for (i = 0; i < n; i++)
			h = (h ^ (unsigned char)buf[i]) * 0x100000001b3ULL;
		at += n;
	}
	if (n < 0)
		workload_fail("pread: errno %d", errno);
	*size = at;
	return h;
}

static void describe(const char *name, int fd, int fd2, char *out, size_t len)
{
	long long size;
	uint64_t h = hash_fd(fd, &size);
	struct stat st;
	long long off2 = fd2 >= 0 ? lseek(fd2, 0, SEEK_CUR) : -1;

	if (fstat(fd, &st))
		workload_die("fstat");
	if (st.st_size != size)
		workload_fail("%s: st_size %lld, read %lld", name,
			      (long long)st.st_size, size);
	snprintf(out, len, " %s=%016llx/%lld/%lu/%o/%lld/%lld", name,
		 (unsigned long long)h, size, (unsigned long)st.st_nlink,
		 st.st_mode & 07777, (long long)lseek(fd, 0, SEEK_CUR), off2);
}

int main(int argc, char **argv)
{
	long ticks = arg_long(argc, argv, 2, 40), tick_ms = arg_long(argc, argv, 3, 100);
	char path[4200], pub[4200], res[4][256];
	static unsigned char buf[A_SIZE];
	int a1, a2, t, x, s, st;
	long k, i;
	pid_t c;

	workload_init();
	if (argc < 2 || strlen(argv[1]) >= sizeof(dir))
		return 2;
	strcpy(dir, argv[1]);
	snprintf(pub, sizeof(pub), "%s/published", dir);
	unlink(pub);

	/* A */
	snprintf(path, sizeof(path), "%s/a", dir);
	for (i = 0; i < A_SIZE; i++)
		buf[i] = pattern(i);
	a1 = open(path, O_RDWR | O_CREAT | O_TRUNC, 0600);
	if (a1 < 0 || write(a1, buf, A_SIZE) != A_SIZE || fchmod(a1, 0640))
		workload_die("file A");
	a2 = open(path, O_RDONLY);
	if (a2 < 0 || lseek(a1, 3000, SEEK_SET) != 3000 ||
	    lseek(a2, 50000, SEEK_SET) != 50000 || unlink(path))
		workload_die("file A: second open");

	/* T and X */
	t = open(dir, O_TMPFILE | O_RDWR, 0604);
	x = open(dir, O_TMPFILE | O_EXCL | O_RDWR, 0600);
	if (t < 0 || x < 0 || fchmod(t, 0604) || write(x, "x\n", 2) != 2)
		workload_die("O_TMPFILE");

	/* S */
	snprintf(path, sizeof(path), "%s/s", dir);
	s = open(path, O_RDWR | O_CREAT | O_TRUNC, 0600);
	if (s < 0 || pwrite(s, "head", 4, 0) != 4 ||
	    pwrite(s, "tail", 4, S_TAIL) != 4 || unlink(path))
		workload_die("file S");

	c = fork();
	if (c < 0)
		workload_die("fork");
	if (!c) {
		int a3 = dup(a1);

		close(a1);
		if (a3 < 0)
			workload_die("dup");
		for (k = 1; k <= ticks; k++) {
			char line[32];
			int n = snprintf(line, sizeof(line), "c %ld\n", k);

			if (write(a3, line, n) != n)
				workload_fail("C: write A: errno %d", errno);
			sleep_ms(tick_ms);
		}
		return workload_bad ? 1 : 0;
	}

	printf("ready pid %d\n", getpid());
	for (k = 1; k <= ticks; k++) {
		unsigned char got[4];
		off_t at = lseek(a2, 0, SEEK_CUR);
		char line[32];
		int n = snprintf(line, sizeof(line), "t %ld\n", k);

		if (read(a2, got, 4) != 4)
			workload_fail("P: read A2 at %lld: errno %d",
				      (long long)at, errno);
		else
			for (i = 0; i < 4; i++)
				if (got[i] != pattern(at + i))
					workload_fail("P: A2 byte %lld", (long long)at + i);
		if (write(t, line, n) != n)
			workload_fail("P: write T: errno %d", errno);
		printf("tick %ld pid %d\n", k, getpid());
		sleep_ms(tick_ms);
	}
	if (waitpid(c, &st, 0) != c || !WIFEXITED(st) || WEXITSTATUS(st))
		workload_fail("C ended with status %#x", st);

	describe("a", a1, a2, res[0], sizeof(res[0]));
	describe("t", t, -1, res[1], sizeof(res[1]));
	describe("s", s, -1, res[2], sizeof(res[2]));
	/* Publish T; X must stay nameless. */
	snprintf(path, sizeof(path), "%s/excl", dir);
	if (linkat(t, "", AT_FDCWD, pub, AT_EMPTY_PATH)) {
		workload_fail("linkat T: errno %d", errno);
		snprintf(res[3], sizeof(res[3]), " pub=none");
	} else {
		int p = open(pub, O_RDONLY);

		if (p < 0)
			workload_die("open published");
		describe("pub", p, -1, res[3], sizeof(res[3]));
		close(p);
		unlink(pub);
	}
	if (!linkat(x, "", AT_FDCWD, path, AT_EMPTY_PATH)) {
		workload_fail("linkat X succeeded");
		unlink(path);
	} else if (errno != ENOENT) {
		workload_fail("linkat X: errno %d, not ENOENT", errno);
	}
	printf("RESULT %s%s%s%s%s\n", workload_bad ? "FAIL" : "OK", res[0],
	       res[1], res[2], res[3]);
	return workload_bad ? 1 : 0;
}
