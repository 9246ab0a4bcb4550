// SPDX-License-Identifier: GPL-2.0
/*
 * ckpt_bench - throughput of checkpoint(2) and restart(2) against the
 * limits of the machine, measured in the same run on the same bytes.
 *
 * Usage: ckpt_bench [-r REPS] [-d DIR] [MIB...]	(default: 64 256 1024)
 *
 * For each size N, a container (this program, exec()ed as the init of a
 * new pid namespace in a cgroup v2 of its own) touches N MiB of private
 * anonymous memory with a non-zero pattern and waits in pause().  Then,
 * REPS times (default 3):
 *
 *   - cgroup.freeze is set and we wait for "frozen 1" in cgroup.events;
 *   - checkpoint(2) with CKPT_CHECKPOINT_KILL writes the image to a new
 *     file in DIR (default /tmp, a tmpfs in the guest);
 *   - restart(2) recreates the container from that file, in a new cgroup;
 *     the restarted init verifies all of its N MiB on SIGUSR1 and exits
 *     42 if they are intact.
 *
 * and then, on the last image, the limits: read() of the whole image file
 * into a touched buffer (the I/O limit of restart), write() of as many
 * bytes from that buffer to a fresh file in DIR (the I/O limit of
 * checkpoint), memcpy() of as many bytes between two touched buffers (the
 * absolute limit).  For a rough breakdown it also times checkpoint(2) to
 * /dev/null (no image I/O at all), sendfile() of the image to a fresh file
 * in DIR, or /dev/shm if DIR has no room for a second copy (tmpfs written
 * from kernel pages, as checkpoint writes it), read()
 * of the image into fresh, untouched memory (the copy plus the page
 * allocation restart needs too), xxh64 of the image in user space (the
 * checksum both calls compute, same algorithm), and faulting in N MiB of
 * fresh anonymous memory (page allocation and zeroing alone).
 *
 * Every measurement is repeated REPS times and the best (shortest) time is
 * kept; the median is in the BENCH lines too.  Every MiB/s figure is the
 * container's memory size N divided by the time, even for operations that
 * move the image's bytes (a little more than N MiB): so ratios between
 * columns are ratios of times.  The frozen time runs from the write of 1
 * to cgroup.freeze until checkpoint(2) returns, the container killed.
 *
 * Memory: at most about 2 N MiB are in use at any time (container and
 * image, restarted container and image, buffer and file, two buffers).  A
 * size that does not fit in MemAvailable or in DIR's free space is skipped
 * with a message.
 *
 * Exit status: 0 if every size that fit was measured and every restarted
 * container had its memory intact; 1 otherwise; 4 if the kernel does not
 * answer the ckpt ABI query.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/sendfile.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <linux/sched.h>

#include "lib/ckpt_test.h"
#include "bench_clock.h"

#define MIB		(1024UL * 1024)
#define PAGE		4096UL
#define MAX_SIZES	16
/* Touching 1 GiB under QEMU TCG takes seconds; be generous. */
#define READY_MS	300000
#define FREEZE_MS	60000
#define VERIFY_MS	300000

#define INIT_ARG	"--container-init"

/* ------------------------------------------------------------------ */
/* The container's init. */

static uint64_t *mem;
static size_t mem_words;

static inline uint64_t pattern(uint64_t i)
{
	/* Never zero, different in every word of every page. */
	return (i + 1) * 0x9e3779b97f4a7c15ULL | 1;
}

static void init_on_usr1(int sig)
{
	size_t i;

	(void)sig;
	for (i = 0; i < mem_words; i++)
		if (mem[i] != pattern(i))
			_exit(CKPT_TARGET_BAD);
	_exit(CKPT_TARGET_OK);
}

static int container_init(const char *mib)
{
	struct sigaction sa = { .sa_handler = init_on_usr1 };
	size_t len = strtoul(mib, NULL, 10) * MIB, i;

	mem = mmap(NULL, len, PROT_READ | PROT_WRITE,
		   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (mem == MAP_FAILED)
		return 2;
	mem_words = len / sizeof(*mem);
	for (i = 0; i < mem_words; i++)
		mem[i] = pattern(i);
	if (sigaction(SIGUSR1, &sa, NULL))
		return 2;
	if (write(3, "R", 1) != 1)
		return 2;
	close(3);
	for (;;)
		pause();
}

/* ------------------------------------------------------------------ */
/* Helpers of the benchmark. */

static char self_exe[PATH_MAX];
static const char *dir = "/tmp";
static int reps = 3;
static int failed;

static double mibs(size_t mib, double t)
{
	return t > 0 ? mib / t : 0;
}

static int cg_write(const struct ct *ct, const char *name, const char *val)
{
	char path[512];
	int fd, ret = 0;

	snprintf(path, sizeof(path), "%s/%s", ct->cgpath, name);
	fd = open(path, O_WRONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	if (write(fd, val, strlen(val)) != (ssize_t)strlen(val))
		ret = -1;
	close(fd);
	return ret;
}

static long meminfo_kib(const char *key)
{
	char line[256];
	long val = -1;
	FILE *f = fopen("/proc/meminfo", "re");

	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f))
		if (!strncmp(line, key, strlen(key)) &&
		    line[strlen(key)] == ':') {
			val = strtol(line + strlen(key) + 1, NULL, 10);
			break;
		}
	fclose(f);
	return val;
}

/* Free space of the filesystem of @path in MiB, or -1. */
static long free_mib(const char *path)
{
	struct statvfs vfs;

	if (statvfs(path, &vfs))
		return -1;
	return (long)((unsigned long long)vfs.f_bavail * vfs.f_frsize / MIB);
}

static void *touched_buffer(size_t len)
{
	void *p = mmap(NULL, len, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS | MAP_POPULATE, -1, 0);

	if (p == MAP_FAILED)
		return NULL;
	memset(p, 0x5a, len);
	return p;
}

static int read_full(int fd, void *buf, size_t len)
{
	char *p = buf;

	while (len) {
		ssize_t r = read(fd, p, len);

		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			return -1;
		p += r;
		len -= r;
	}
	return 0;
}

/*
 * Starts a container whose init is this program in INIT_ARG mode, with
 * @mib MiB touched: as ct_start() of tests/lib, but exec()ing ourselves.
 */
static int bench_ct_start(struct ct *ct, size_t mib)
{
	struct clone_args args = { 0 };
	struct pollfd pfd;
	int ready[2], pidfd = -1;
	char arg[32], c;
	long pid;

	if (ct_cgroup_create(ct, "bench"))
		return -1;
	if (pipe2(ready, O_CLOEXEC))
		return -1;
	snprintf(arg, sizeof(arg), "%zu", mib);

	args.flags = CLONE_NEWPID | CLONE_INTO_CGROUP | CLONE_PIDFD;
	args.pidfd = (uintptr_t)&pidfd;
	args.exit_signal = SIGCHLD;
	args.cgroup = ct->cgfd;
	pid = syscall(__NR_clone3, &args, sizeof(args));
	if (pid < 0) {
		close(ready[0]);
		close(ready[1]);
		return -1;
	}
	if (pid == 0) {
		char *argv[] = { (char *)"ckpt_bench", (char *)INIT_ARG, arg,
				 NULL };
		char *envp[] = { NULL };
		struct sigaction dfl = { .sa_handler = SIG_DFL };
		sigset_t none;
		int sig, fd, r;

		for (sig = 1; sig < NSIG; sig++)
			sigaction(sig, &dfl, NULL);
		sigemptyset(&none);
		sigprocmask(SIG_SETMASK, &none, NULL);
		r = fcntl(ready[1], F_DUPFD, 100);
		fd = open("/dev/null", O_RDWR);
		if (r < 0 || fd < 0)
			_exit(126);
		dup2(fd, 0);
		dup2(fd, 1);
		dup2(fd, 2);
		dup2(r, 3);
		syscall(__NR_close_range, 4, ~0U, 0);
		execve(self_exe, argv, envp);
		_exit(127);
	}
	close(ready[1]);
	ct->pid = pid;
	ct->pidfd = pidfd;

	/* "R" once the memory is touched, then EOF: the pipe is gone. */
	pfd.fd = ready[0];
	pfd.events = POLLIN;
	if (poll(&pfd, 1, READY_MS) != 1 || read(ready[0], &c, 1) != 1 ||
	    c != 'R' || poll(&pfd, 1, READY_MS) != 1 ||
	    read(ready[0], &c, 1) != 0) {
		close(ready[0]);
		errno = ETIMEDOUT;
		return -1;
	}
	close(ready[0]);
	return 0;
}

/*
 * Freezes @ct: writes 1 to cgroup.freeze, sets *@t_start just before, and
 * returns once cgroup.events says "frozen 1" (notified through POLLPRI).
 */
static int bench_freeze(struct ct *ct, double *t_start)
{
	char path[512], buf[256];
	struct pollfd pfd;
	double deadline;
	int fd, ret = -1;

	snprintf(path, sizeof(path), "%s/cgroup.events", ct->cgpath);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	*t_start = now();
	if (cg_write(ct, "cgroup.freeze", "1"))
		goto out;
	deadline = *t_start + FREEZE_MS / 1000.0;
	for (;;) {
		ssize_t n = pread(fd, buf, sizeof(buf) - 1, 0);

		if (n < 0)
			goto out;
		buf[n] = '\0';
		if (strstr(buf, "frozen 1")) {
			ret = 0;
			break;
		}
		if (now() > deadline) {
			errno = ETIMEDOUT;
			break;
		}
		pfd.fd = fd;
		pfd.events = POLLPRI;
		poll(&pfd, 1, 20);
	}
out:
	close(fd);
	return ret;
}

static int checkpoint_to(struct ct *ct, int fd, unsigned int flags)
{
	struct ckpt_checkpoint_args args = {
		.pidfd = ct->pidfd,
		.fd = fd,
		.logfd = 2,
	};

	return sys_checkpoint(&args, sizeof(args), flags) ? -1 : 0;
}

struct result {
	size_t mib;
	off_t image;
	struct series ckpt, rst, frozen, freeze, wr, rd, cpy, null, csum,
		      fault, splice, rdfresh;
};

static void image_path(char *buf, size_t len, const char *what)
{
	snprintf(buf, len, "%s/ckpt-bench-%d.%s", dir, getpid(), what);
}

/* One checkpoint and restart of a new container; 0 if all went well. */
static int one_round(struct result *res, const char *img)
{
	struct ckpt_restart_args rargs = { .logfd = 2 };
	struct ct ct, rct;
	double t0, t1, t2;
	int fd, status;
	long pid;

	if (bench_ct_start(&ct, res->mib)) {
		perror("# container start");
		ct_destroy(&ct);
		return -1;
	}
	fd = open(img, O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	if (fd < 0) {
		perror("# image");
		ct_destroy(&ct);
		return -1;
	}
	if (bench_freeze(&ct, &t0)) {
		perror("# freeze");
		close(fd);
		ct_destroy(&ct);
		return -1;
	}
	t1 = now();
	if (checkpoint_to(&ct, fd, CKPT_CHECKPOINT_KILL)) {
		perror("# checkpoint");
		close(fd);
		ct_destroy(&ct);
		return -1;
	}
	t2 = now();
	add(&res->freeze, t1 - t0);
	add(&res->ckpt, t2 - t1);
	add(&res->frozen, t2 - t0);
	res->image = fd_size(fd);
	close(fd);
	/* Reaps the killed init: its memory is freed before the restart. */
	ct_destroy(&ct);

	if (ct_cgroup_create(&rct, "bench-rst")) {
		perror("# restart cgroup");
		return -1;
	}
	fd = open(img, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		perror("# image");
		ct_destroy(&rct);
		return -1;
	}
	rargs.fd = fd;
	rargs.cgroup_fd = rct.cgfd;
	t1 = now();
	pid = sys_restart(&rargs, sizeof(rargs), 0);
	t2 = now();
	close(fd);
	if (pid <= 0) {
		perror("# restart");
		ct_destroy(&rct);
		return -1;
	}
	add(&res->rst, t2 - t1);
	rct.pid = pid;
	if (kill(pid, SIGUSR1) || ct_reap(pid, &status, VERIFY_MS)) {
		perror("# restarted container");
		ct_destroy(&rct);
		return -1;
	}
	rct.pid = -1;
	ct_destroy(&rct);
	if (!WIFEXITED(status) || WEXITSTATUS(status) != CKPT_TARGET_OK) {
		fprintf(stderr,
			"# restarted container: memory not intact (status %#x)\n",
			status);
		return -1;
	}
	return 0;
}

/* checkpoint(2) of one frozen container to /dev/null, REPS times. */
static int null_rounds(struct result *res)
{
	struct ct ct;
	double t0, t1;
	int fd, i, ret = 0;

	if (bench_ct_start(&ct, res->mib) || bench_freeze(&ct, &t0)) {
		perror("# container for /dev/null");
		ct_destroy(&ct);
		return -1;
	}
	fd = open("/dev/null", O_WRONLY | O_CLOEXEC);
	for (i = 0; i < reps && fd >= 0; i++) {
		t0 = now();
		if (checkpoint_to(&ct, fd, 0)) {
			perror("# checkpoint to /dev/null");
			ret = -1;
			break;
		}
		t1 = now();
		add(&res->null, t1 - t0);
	}
	if (fd >= 0)
		close(fd);
	ct_destroy(&ct);
	return ret;
}

/* The limits, on the last image @img (which this unlinks). */
static int limits(struct result *res, const char *img)
{
	size_t len = res->image, mlen = res->mib * MIB, j;
	char path[PATH_MAX];
	char *buf, *dst;
	volatile uint64_t sink = 0;
	int fd, i, reps_splice = reps;
	double t0;

	image_path(path, sizeof(path), "write");

	/*
	 * sendfile() of the image to a fresh file: tmpfs written from kernel
	 * pages through vfs_iter_write() of a bvec, as checkpoint writes.  If
	 * DIR cannot hold a second copy (a tmpfs gets half the RAM), the copy
	 * goes to the /dev/shm tmpfs.
	 */
	if (free_mib(dir) < (long)(len / MIB) + 16) {
		if (free_mib("/dev/shm") < (long)(len / MIB) + 16) {
			printf("# %zu MiB: no room for the sendfile() copy, skipped\n",
			       res->mib);
			reps_splice = 0;
		} else {
			snprintf(path, sizeof(path), "/dev/shm/ckpt-bench-%d.sendfile",
				 getpid());
		}
	}
	for (i = 0; i < reps_splice; i++) {
		int in = open(img, O_RDONLY | O_CLOEXEC);
		size_t left = len;

		fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
		if (in < 0 || fd < 0) {
			perror("# sendfile");
			if (in >= 0)
				close(in);
			if (fd >= 0)
				close(fd);
			return -1;
		}
		t0 = now();
		while (left) {
			ssize_t n = sendfile(fd, in, NULL, left);

			if (n <= 0) {
				perror("# sendfile");
				close(in);
				close(fd);
				unlink(path);
				return -1;
			}
			left -= n;
		}
		add(&res->splice, now() - t0);
		close(in);
		close(fd);
		unlink(path);
	}
	image_path(path, sizeof(path), "write");

	/* read() of the image into fresh memory: allocation included. */
	fd = open(img, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	for (i = 0; i < reps; i++) {
		char *p = mmap(NULL, len, PROT_READ | PROT_WRITE,
			       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

		if (p == MAP_FAILED) {
			close(fd);
			return -1;
		}
		t0 = now();
		if (lseek(fd, 0, SEEK_SET) || read_full(fd, p, len)) {
			perror("# read");
			munmap(p, len);
			close(fd);
			return -1;
		}
		add(&res->rdfresh, now() - t0);
		munmap(p, len);
	}
	close(fd);

	buf = touched_buffer(len);
	if (!buf) {
		perror("# buffer");
		return -1;
	}
	/* read() of the image into a touched buffer. */
	fd = open(img, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		goto fail;
	for (i = 0; i < reps; i++) {
		t0 = now();
		if (lseek(fd, 0, SEEK_SET) || read_full(fd, buf, len))
			goto fail_fd;
		add(&res->rd, now() - t0);
	}
	close(fd);
	/* xxh64 of the image, in user space. */
	for (i = 0; i < reps; i++) {
		t0 = now();
		sink += xxh64(buf, len, 0);
		add(&res->csum, now() - t0);
	}
	unlink(img);

	/* write() of as many bytes to a fresh file. */
	for (i = 0; i < reps; i++) {
		fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
		if (fd < 0)
			goto fail;
		t0 = now();
		if (fd_write_all(fd, buf, len))
			goto fail_fd;
		add(&res->wr, now() - t0);
		close(fd);
		unlink(path);
	}

	/* memcpy() between two touched buffers. */
	dst = touched_buffer(len);
	if (!dst)
		goto fail;
	for (i = 0; i < reps; i++) {
		t0 = now();
		memcpy(dst, buf, len);
		__asm__ volatile("" : : "r"(dst) : "memory");
		add(&res->cpy, now() - t0);
	}
	munmap(dst, len);
	munmap(buf, len);

	/* Faulting in fresh anonymous memory: allocation and zeroing. */
	for (i = 0; i < reps; i++) {
		char *p = mmap(NULL, mlen, PROT_READ | PROT_WRITE,
			       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

		if (p == MAP_FAILED)
			return -1;
		t0 = now();
		for (j = 0; j < mlen; j += PAGE)
			p[j] = 1;
		add(&res->fault, now() - t0);
		munmap(p, mlen);
	}
	(void)sink;
	return 0;
fail_fd:
	close(fd);
fail:
	perror("# limits");
	munmap(buf, len);
	unlink(img);
	unlink(path);
	return -1;
}

static int fits(size_t mib)
{
	long avail = meminfo_kib("MemAvailable") / 1024, fr;
	/* Peak: two copies of N MiB (plus the image's records), and slack. */
	long need = 2 * (long)mib + mib / 16 + 128;

	if (avail >= 0 && avail < need) {
		printf("# SKIP %zu MiB: needs about %ld MiB of memory, MemAvailable is %ld MiB\n",
		       mib, need, avail);
		return 0;
	}
	fr = free_mib(dir);
	if (fr >= 0 && fr < (long)mib + (long)mib / 16 + 16) {
		printf("# SKIP %zu MiB: %s has only %ld MiB free\n", mib, dir,
		       fr);
		return 0;
	}
	return 1;
}

static int bench_size(struct result *res)
{
	char img[PATH_MAX];
	int i;

	image_path(img, sizeof(img), "img");
	for (i = 0; i < reps; i++) {
		if (one_round(res, img)) {
			unlink(img);
			return -1;
		}
		fprintf(stderr, "# %zu MiB round %d: checkpoint %.3f s, restart %.3f s\n",
			res->mib, i + 1, res->ckpt.t[i], res->rst.t[i]);
	}
	if (limits(res, img)) {
		unlink(img);
		return -1;
	}
	return null_rounds(res);
}

static void print_bench(const struct result *r)
{
	const size_t m = r->mib;

	printf("BENCH size_mib=%zu image_bytes=%lld mem_bytes=%zu reps=%d"
	       " ckpt_mibs=%.1f ckpt_s=%.4f ckpt_s_median=%.4f"
	       " write_mibs=%.1f write_s=%.4f ckpt_write_ratio=%.3f"
	       " restart_mibs=%.1f restart_s=%.4f restart_s_median=%.4f"
	       " read_mibs=%.1f read_s=%.4f restart_read_ratio=%.3f"
	       " memcpy_mibs=%.1f memcpy_s=%.4f"
	       " frozen_ms=%.1f frozen_ms_median=%.1f freeze_ms=%.1f"
	       " ckpt_null_mibs=%.1f sendfile_mibs=%.1f read_new_mibs=%.1f"
	       " xxh64_mibs=%.1f fault_mibs=%.1f\n",
	       m, (long long)r->image, m * MIB, reps,
	       mibs(m, best(&r->ckpt)), best(&r->ckpt), median(&r->ckpt),
	       mibs(m, best(&r->wr)), best(&r->wr),
	       best(&r->wr) / best(&r->ckpt),
	       mibs(m, best(&r->rst)), best(&r->rst), median(&r->rst),
	       mibs(m, best(&r->rd)), best(&r->rd),
	       best(&r->rd) / best(&r->rst),
	       mibs(m, best(&r->cpy)), best(&r->cpy),
	       best(&r->frozen) * 1e3, median(&r->frozen) * 1e3,
	       best(&r->freeze) * 1e3,
	       mibs(m, best(&r->null)), mibs(m, best(&r->splice)),
	       mibs(m, best(&r->rdfresh)), mibs(m, best(&r->csum)),
	       mibs(m, best(&r->fault)));
}

static void print_tables(const struct result *res, int n)
{
	int i;

	printf("\n# ckpt_bench: best of %d; MiB/s = memory size / time; ratio = limit time / ckpt time\n",
	       reps);
	printf("%6s %9s %9s %6s %9s %9s %6s %9s %9s %8s\n", "MiB",
	       "ckpt", "write", "ratio", "restart", "read", "ratio",
	       "memcpy", "frozen", "img/mem");
	printf("%6s %9s %9s %6s %9s %9s %6s %9s %9s %8s\n", "",
	       "MiB/s", "MiB/s", "", "MiB/s", "MiB/s", "", "MiB/s", "ms", "");
	for (i = 0; i < n; i++) {
		const struct result *r = &res[i];
		const size_t m = r->mib;

		printf("%6zu %9.0f %9.0f %6.2f %9.0f %9.0f %6.2f %9.0f %9.1f %8.4f\n",
		       m, mibs(m, best(&r->ckpt)), mibs(m, best(&r->wr)),
		       best(&r->wr) / best(&r->ckpt),
		       mibs(m, best(&r->rst)), mibs(m, best(&r->rd)),
		       best(&r->rd) / best(&r->rst),
		       mibs(m, best(&r->cpy)), best(&r->frozen) * 1e3,
		       (double)r->image / (m * MIB));
	}
	printf("\n# breakdown (MiB/s, best of %d): ckpt>null = checkpoint to /dev/null;\n"
	       "# sendfile = image to a fresh tmpfs file from the kernel; read>new = read()\n"
	       "# of the image into fresh (untouched) memory; xxh64 in user space; fault =\n"
	       "# faulting in fresh anonymous memory; freeze = ms until frozen 1\n",
	       reps);
	printf("%6s %9s %9s %9s %9s %9s %9s\n", "MiB", "ckpt>null",
	       "sendfile", "read>new", "xxh64", "fault", "freeze");
	for (i = 0; i < n; i++) {
		const struct result *r = &res[i];

		printf("%6zu %9.0f %9.0f %9.0f %9.0f %9.0f %9.1f\n", r->mib,
		       mibs(r->mib, best(&r->null)),
		       mibs(r->mib, best(&r->splice)),
		       mibs(r->mib, best(&r->rdfresh)),
		       mibs(r->mib, best(&r->csum)),
		       mibs(r->mib, best(&r->fault)),
		       best(&r->freeze) * 1e3);
	}
	printf("\n");
	for (i = 0; i < n; i++)
		print_bench(&res[i]);
}

static void usage(void)
{
	fprintf(stderr, "usage: ckpt_bench [-r REPS] [-d DIR] [MIB...]\n");
	exit(2);
}

int main(int argc, char **argv)
{
	static struct result res[MAX_SIZES];
	size_t sizes[MAX_SIZES] = { 64, 256, 1024 };
	int nsizes = 3, n = 0, opt, i;
	ssize_t len;

	if (argc == 3 && !strcmp(argv[1], INIT_ARG))
		return container_init(argv[2]);

	while ((opt = getopt(argc, argv, "r:d:h")) != -1) {
		switch (opt) {
		case 'r':
			reps = atoi(optarg);
			if (reps < 1 || reps > MAX_REPS)
				usage();
			break;
		case 'd':
			dir = optarg;
			break;
		default:
			usage();
		}
	}
	if (optind < argc) {
		nsizes = 0;
		for (i = optind; i < argc && nsizes < MAX_SIZES; i++) {
			sizes[nsizes] = strtoul(argv[i], NULL, 10);
			if (!sizes[nsizes])
				usage();
			nsizes++;
		}
	}

	len = readlink("/proc/self/exe", self_exe, sizeof(self_exe) - 1);
	if (len <= 0) {
		perror("# /proc/self/exe");
		return 1;
	}
	self_exe[len] = '\0';
	if (sys_checkpoint(NULL, 0, CKPT_ABI_VERSION) != CKPT_ABI) {
		printf("# SKIP: this kernel does not answer the ckpt ABI query\n");
		return 4;
	}
	setvbuf(stdout, NULL, _IOLBF, 0);
	clock_setup();
	printf("# ckpt_bench: clock %s\n", clock_name);

	for (i = 0; i < nsizes; i++) {
		struct result *r = &res[n];

		if (!fits(sizes[i]))
			continue;
		memset(r, 0, sizeof(*r));
		r->mib = sizes[i];
		if (bench_size(r)) {
			printf("# FAIL %zu MiB\n", sizes[i]);
			failed = 1;
			continue;
		}
		n++;
	}
	print_tables(res, n);
	return failed;
}
