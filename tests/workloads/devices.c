// SPDX-License-Identifier: GPL-2.0
/*
 * devices - the character devices a container holds open.
 *
 * Usage: devices TICKS TICK_MS
 *
 * Opens /dev/null (write, append), /dev/zero (read), /dev/full (read and
 * write), /dev/random (read, non-blocking), /dev/urandom (read) and
 * /dev/console (write, close-on-exec) at descriptors 10 to 15, prints
 * "tick K pid P" for TICKS ticks, then checks each descriptor: the same
 * device (st_rdev), the same status and descriptor flags, and that it
 * works as its device does (null swallows, zero reads zeros, full reads
 * zeros and refuses writes with ENOSPC, random and urandom give bytes,
 * console takes a line).  RESULT: a hash of the devices and flags.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>

#include "workload.h"

static const struct dev {
	const char *path;
	int flags;
	unsigned int major, minor;
} devs[] = {
	{ "/dev/null", O_WRONLY | O_APPEND, 1, 3 },
	{ "/dev/zero", O_RDONLY, 1, 5 },
	{ "/dev/full", O_RDWR, 1, 7 },
	{ "/dev/random", O_RDONLY | O_NONBLOCK, 1, 8 },
	{ "/dev/urandom", O_RDONLY, 1, 9 },
	{ "/dev/console", O_WRONLY | O_NOCTTY | O_CLOEXEC, 5, 1 },
};
#define NDEVS	(sizeof(devs) / sizeof(devs[0]))
#define FD0	10

static int check(unsigned int i, uint64_t *h)
{
	const struct dev *d = &devs[i];
	int fd = FD0 + i, fl, fdfl, bad = 0;
	char buf[64], zero[64] = { 0 };
	struct stat st;
	ssize_t n;

	fl = fcntl(fd, F_GETFL);
	fdfl = fcntl(fd, F_GETFD);
	if (fl < 0 || fdfl < 0 || fstat(fd, &st)) {
		workload_fail("%s: fd %d is gone", d->path, fd);
		return 1;
	}
	if (!S_ISCHR(st.st_mode) || major(st.st_rdev) != d->major ||
	    minor(st.st_rdev) != d->minor) {
		workload_fail("%s: fd %d is %u:%u", d->path, fd,
			      major(st.st_rdev), minor(st.st_rdev));
		bad++;
	}
	/* What open() was given, as F_GETFL reports it. */
	if ((fl & (O_ACCMODE | O_APPEND | O_NONBLOCK)) !=
	    (d->flags & (O_ACCMODE | O_APPEND | O_NONBLOCK)) ||
	    !!(fdfl & FD_CLOEXEC) != !!(d->flags & O_CLOEXEC)) {
		workload_fail("%s: flags 0%o fd flags %d", d->path, fl, fdfl);
		bad++;
	}
	switch (i) {
	case 0:
		bad += write(fd, "x", 1) != 1;
		break;
	case 1:
	case 2:
		n = read(fd, buf, sizeof(buf));
		bad += n != sizeof(buf) || memcmp(buf, zero, sizeof(buf));
		if (i == 2)
			bad += write(fd, "x", 1) != -1 || errno != ENOSPC;
		break;
	case 3:
	case 4:
		n = read(fd, buf, 16);
		bad += n != 16;
		break;
	case 5:
		n = snprintf(buf, sizeof(buf), "devices: console fd %d\n", fd);
		bad += write(fd, buf, n) != n;
		break;
	}
	*h = fnv1a(*h, d->path, strlen(d->path));
	*h = fnv1a(*h, &fl, sizeof(fl));
	*h = fnv1a(*h, &fdfl, sizeof(fdfl));
	if (bad)
		workload_fail("%s: does not work as before", d->path);
	return bad;
}

int main(int argc, char **argv)
{
	long ticks, tick_ms, k;
	uint64_t h = FNV_INIT;
	unsigned int i;
	int bad = 0;

	workload_init();
	ticks = arg_long(argc, argv, 1, 30);
	tick_ms = arg_long(argc, argv, 2, 100);
	for (i = 0; i < NDEVS; i++) {
		int fd = open(devs[i].path, devs[i].flags);

		if (fd < 0 || dup3(fd, FD0 + i, devs[i].flags & O_CLOEXEC) < 0)
			workload_die(devs[i].path);
		close(fd);
	}
	for (k = 1; k <= ticks; k++) {
		sleep_ms(tick_ms);
		printf("tick %ld pid %d\n", k, getpid());
	}
	for (i = 0; i < NDEVS; i++)
		bad += check(i, &h);
	if (bad || workload_bad)
		printf("RESULT FAIL\n");
	else
		printf("RESULT OK %016llx\n", (unsigned long long)h);
	return 0;
}
