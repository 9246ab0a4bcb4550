// SPDX-License-Identifier: GPL-2.0
/*
 * leak - a container that shares an object with a process outside it.
 *
 * Usage: leak [fd|shm|mm]...	(default: all three)
 *
 * This program is the process outside.  For each case it starts a
 * container (clone with CLONE_NEWPID, CLONE_NEWUTS, CLONE_NEWIPC and
 * CLONE_NEWNS, like ckptctl run, into a cgroup of its own; nothing else is
 * shared with us but the object under test) and keeps the object itself:
 *
 *   fd   a regular file opened here and inherited as fd 3 by the
 *        container's init, which exec()s "leak holder" (a fresh mm) and
 *        reads 4 bytes from it: the file offset is shared with us too
 *   shm  a MAP_SHARED|MAP_ANONYMOUS page mapped here before the fork; the
 *        init does not exec and keeps writing a heartbeat into it
 *   mm   the init is created with CLONE_VM: its whole memory is ours
 *
 * Each case checks:
 *   1. the sharing is real (the offset moved, the heartbeat shows);
 *   2. checkpoint(0) fails with EBUSY, writes nothing to the image, logs a
 *      line with "outside" (fd and mm: naming our pid as "task N"; fd:
 *      and the file's name), and the container thaws and runs on;
 *   3. checkpoint(CKPT_CHECKPOINT_SUBTREE) succeeds;
 *   4. we then change the object on our side (fd: lseek to 0; shm, mm: a
 *      flag 1 -> 2) and restart the image: the restarted init must see the
 *      object as it was at the checkpoint and not our change: its own
 *      copy (it reports through its exit status, 100 + the first digit it
 *      reads for fd, 100 + the flag for shm and mm);
 *   5. fd and shm: once we drop our copy (close, munmap), checkpoint(KILL)
 *      without SUBTREE succeeds, so the EBUSY was for that object, and
 *      the image restarts with the object's current state.
 *
 * The expected errno is LEAK_ERRNO below.  Exit: 0 pass, 1 fail, 4 skip.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <sched.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <linux/sched.h>

#include "lib/ckpt_test.h"

#ifndef CKPT_CHECKPOINT_SUBTREE
#define CKPT_CHECKPOINT_SUBTREE	(1U << 2)
#endif

/* checkpoint() of a container sharing an object with an outside task. */
#define LEAK_ERRNO	EBUSY

#define CT_FLAGS	(CLONE_NEWPID | CLONE_NEWUTS | CLONE_NEWIPC | CLONE_NEWNS)
#define FILE_DATA	"0123456789abcdefghijklmnopqrstuvwxyz\n"
#define WAIT_MS		30000

static int failures;
static char self_path[PATH_MAX];

static void __attribute__((format(printf, 1, 2))) info(const char *fmt, ...)
{
	va_list ap;

	printf("# ");
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
	fflush(stdout);
}

#define CHECK(cond, ...) ({						\
		int __ok = !!(cond);					\
		if (!__ok) {						\
			printf("# FAIL %s:%d: ", __func__, __LINE__);	\
			printf(__VA_ARGS__);				\
			printf("\n");					\
			failures++;					\
		}							\
		__ok;							\
	})

static void nap_ms(int ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };

	while (nanosleep(&ts, &ts) && errno == EINTR)
		;
}

/* ---- the container side ---- */

/* Raw system calls for the CLONE_VM child: it shares our libc state. */
static long raw6(long n, long a, long b, long c, long d)
{
	long ret;
	register long r10 asm("r10") = d;

	asm volatile("syscall"
		     : "=a"(ret)
		     : "0"(n), "D"(a), "S"(b), "d"(c), "r"(r10)
		     : "rcx", "r11", "memory");
	return ret;
}

/* Shared with the shm and mm children. */
struct box {
	volatile int flag;	/* 1 before the checkpoint, 2 after */
	volatile int beat;	/* the child's heartbeat */
	volatile int moved;	/* mm: the child is in its cgroup */
};
static struct box mm_box;	/* in our data: shared by CLONE_VM */
static char mm_stack[64 * 1024] __attribute__((aligned(16)));

/*
 * Waits for SIGUSR1 (blocked), beating meanwhile; then exits with 100 +
 * the flag it sees.  Raw system calls only.
 */
static void __attribute__((noreturn)) beat_until_usr1(struct box *b)
{
	unsigned long set = 1UL << (SIGUSR1 - 1);
	struct timespec ts = { 0, 100 * 1000000L };

	raw6(__NR_rt_sigprocmask, SIG_BLOCK, (long)&set, 0, 8);
	for (;;) {
		long sig = raw6(__NR_rt_sigtimedwait, (long)&set, 0, (long)&ts, 8);

		if (sig == SIGUSR1)
			break;
		b->beat++;
	}
	raw6(__NR_exit_group, 100 + b->flag, 0, 0, 0);
	for (;;)
		;
}

static int mm_child(void *arg)
{
	struct box *b = arg;

	while (!b->moved)
		raw6(__NR_sched_yield, 0, 0, 0, 0);
	raw6(__NR_close_range, 0, ~0U, 0, 0);
	raw6(__NR_setsid, 0, 0, 0, 0);
	beat_until_usr1(b);
}

/* "leak holder": the exec'd init of the fd case; fd 3 is the file. */
static int holder(void)
{
	char c[4];
	sigset_t usr1;
	int sig;

	if (read(3, c, 4) != 4)
		return 90;
	sigemptyset(&usr1);
	sigaddset(&usr1, SIGUSR1);
	sigprocmask(SIG_BLOCK, &usr1, NULL);
	do
		sig = sigwaitinfo(&usr1, NULL);
	while (sig < 0 && errno == EINTR);
	if (read(3, c, 4) != 4)
		return 91;
	if (c[0] < '0' || c[0] > '9')
		return 92;
	return 100 + c[0] - '0';
}

/* ---- the outside ---- */

struct leak_ct {
	struct ct ct;		/* cgroup; pid and pidfd of the init */
	int logfd;
};

static char *read_log(int logfd)
{
	size_t len;
	char *s = fd_read_all(logfd, &len);

	if (ftruncate(logfd, 0) || lseek(logfd, 0, SEEK_SET))
		CHECK(0, "cannot reset the log");
	return s ? s : strdup("");
}

static void show_log(const char *what, const char *log)
{
	const char *p = log;

	while (*p) {
		const char *nl = strchr(p, '\n');
		int n = nl ? (int)(nl - p) : (int)strlen(p);

		printf("# %s log: %.*s\n", what, n, p);
		p += n + (nl != NULL);
	}
}

/* The child sets itself up for the fd and shm cases (not CLONE_VM). */
static void __attribute__((noreturn)) fork_child(const char *mode, int filefd,
						  struct box *b)
{
	int null = open("/dev/null", O_RDWR);

	if (null < 0)
		_exit(120);
	dup2(null, 0);
	dup2(null, 1);
	dup2(null, 2);
	if (filefd >= 0)
		dup2(filefd, 3);
	syscall(__NR_close_range, filefd >= 0 ? 4 : 3, ~0U, 0);
	setsid();
	if (!strcmp(mode, "fd")) {
		char *argv[] = { "leak", "holder", NULL };
		char *envp[] = { NULL };

		execve(self_path, argv, envp);
		_exit(121);
	}
	beat_until_usr1(b);
}

static int start(struct leak_ct *c, const char *mode, int filefd,
		 struct box *b)
{
	char buf[32], procs[300];
	int fd;

	if (ct_cgroup_create(&c->ct, mode))
		return -1;
	if (!strcmp(mode, "mm")) {
		c->ct.pid = clone(mm_child, mm_stack + sizeof(mm_stack),
				  CLONE_VM | CT_FLAGS | SIGCHLD, b);
		if (c->ct.pid < 0)
			return -1;
		snprintf(procs, sizeof(procs), "%s/cgroup.procs", c->ct.cgpath);
		snprintf(buf, sizeof(buf), "%d", c->ct.pid);
		fd = open(procs, O_WRONLY | O_CLOEXEC);
		if (fd < 0 || write(fd, buf, strlen(buf)) < 0)
			return -1;
		close(fd);
		b->moved = 1;
		c->ct.pidfd = syscall(__NR_pidfd_open, c->ct.pid, 0);
	} else {
		struct clone_args args = { 0 };

		args.flags = CT_FLAGS | CLONE_INTO_CGROUP | CLONE_PIDFD;
		args.pidfd = (uintptr_t)&c->ct.pidfd;
		args.exit_signal = SIGCHLD;
		args.cgroup = c->ct.cgfd;
		fflush(stdout);
		c->ct.pid = syscall(__NR_clone3, &args, sizeof(args));
		if (c->ct.pid < 0)
			return -1;
		if (c->ct.pid == 0)
			fork_child(mode, filefd, b);
	}
	return c->ct.pidfd < 0 ? -1 : 0;
}

static long do_checkpoint(struct leak_ct *c, int img, unsigned int flags)
{
	struct ckpt_checkpoint_args args = {
		.pidfd = c->ct.pidfd, .fd = img, .logfd = c->logfd,
	};
	long ret;
	int err;

	if (ct_freeze(&c->ct)) {
		CHECK(0, "cannot freeze: %s", strerror(errno));
		return -2;
	}
	ret = sys_checkpoint(&args, sizeof(args), flags);
	err = errno;
	if (!(flags & CKPT_CHECKPOINT_KILL) || ret)
		CHECK(!ct_thaw(&c->ct), "cannot thaw after checkpoint: %s",
		      strerror(errno));
	errno = err;
	return ret;
}

/* Restarts @img into a new cgroup; returns the pid of its init or -1. */
static pid_t do_restart(int img, int logfd, struct ct *into, const char *tag)
{
	struct ckpt_restart_args args = { .logfd = logfd };
	long pid;

	if (ct_cgroup_create(into, tag))
		return -1;
	lseek(img, 0, SEEK_SET);
	args.fd = img;
	args.cgroup_fd = into->cgfd;
	pid = sys_restart(&args, sizeof(args), 0);
	if (pid < 0) {
		int err = errno;
		char *log = read_log(logfd);

		show_log("restart", log);
		free(log);
		errno = err;
		return -1;
	}
	into->pid = pid;
	return pid;
}

/* Sends SIGUSR1 to a restarted init and checks its exit status. */
static void expect_exit(struct ct *r, int code, const char *what)
{
	int status = 0;

	/* Let it reach its wait before the signal (it is blocked anyway). */
	kill(r->pid, SIGUSR1);
	if (CHECK(!ct_reap(r->pid, &status, WAIT_MS), "%s: pid %d did not exit: %s",
		  what, r->pid, strerror(errno))) {
		CHECK(WIFEXITED(status) && WEXITSTATUS(status) == code,
		      "%s: status %#x, expected exit %d", what, status, code);
		r->pid = -1;
	}
	ct_destroy(r);
}

static int contains_word_num(const char *s, const char *prefix, int n)
{
	char want[64];
	const char *p = s;
	size_t l;

	snprintf(want, sizeof(want), "%s%d", prefix, n);
	l = strlen(want);
	while ((p = strstr(p, want))) {
		if (p[l] < '0' || p[l] > '9')
			return 1;
		p += l;
	}
	return 0;
}

static void run_case(const char *mode)
{
	int fails_before = failures, img = -1, img2 = -1, filefd = -1, status;
	char path[] = "/tmp/ckpt-leak-shared-XXXXXX";
	struct leak_ct c = { .logfd = -1 };
	struct box *b = NULL;
	struct ct r1 = { .pid = -1, .pidfd = -1, .cgfd = -1 };
	struct ct r2 = { .pid = -1, .pidfd = -1, .cgfd = -1 };
	int is_fd = !strcmp(mode, "fd"), is_mm = !strcmp(mode, "mm");
	int is_shm = !strcmp(mode, "shm");
	char *log = NULL;
	long ret;
	int i, beat;

	c.ct.pid = -1;
	c.ct.pidfd = -1;
	c.ct.cgfd = -1;
	info("---- %s", mode);
	c.logfd = memfd("ckpt-leak-log");
	img = memfd("ckpt-leak-img");
	img2 = memfd("ckpt-leak-img2");
	if (!CHECK(c.logfd >= 0 && img >= 0 && img2 >= 0, "memfd: %s",
		   strerror(errno)))
		goto out;

	if (is_fd) {
		int w = mkstemp(path);

		if (!CHECK(w >= 0 && write(w, FILE_DATA, strlen(FILE_DATA)) ==
			   (ssize_t)strlen(FILE_DATA), "create %s", path))
			goto out;
		close(w);
		filefd = open(path, O_RDONLY);	/* inherited: no O_CLOEXEC */
		if (!CHECK(filefd >= 0, "open %s", path))
			goto out;
	} else if (is_mm) {
		b = &mm_box;
	} else {
		b = mmap(NULL, 4096, PROT_READ | PROT_WRITE,
			 MAP_SHARED | MAP_ANONYMOUS, -1, 0);
		if (!CHECK(b != MAP_FAILED, "mmap"))
			goto out;
	}
	if (b) {
		b->flag = 1;
		b->beat = 0;
		b->moved = 0;
	}
	if (!CHECK(!start(&c, mode, filefd, b), "start the container: %s",
		   strerror(errno)))
		goto out;
	info("container init %d (we are %d)", c.ct.pid, getpid());

	/* 1. The sharing is real. */
	for (i = 0; i < WAIT_MS / 10; i++) {
		if (is_fd ? lseek(filefd, 0, SEEK_CUR) == 4 : b->beat >= 3)
			break;
		nap_ms(10);
	}
	if (is_fd)
		CHECK(lseek(filefd, 0, SEEK_CUR) == 4,
		      "our offset is %ld, not 4: the file is not shared",
		      (long)lseek(filefd, 0, SEEK_CUR));
	else
		CHECK(b->beat >= 3, "no heartbeat from the container");

	/* 2. Refused, for the object, and harmless. */
	ret = do_checkpoint(&c, img, 0);
	CHECK(ret == -1 && errno == LEAK_ERRNO,
	      "checkpoint: %ld (%s), expected %s", ret,
	      ret ? strerror(errno) : "success", strerror(LEAK_ERRNO));
	log = read_log(c.logfd);
	show_log("checkpoint", log);
	CHECK(strstr(log, "outside"), "the log does not say \"outside\"");
	/* The shm message names the object, not who maps it outside. */
	if (is_shm)
		info("%s: the log %s task %d (us)", mode,
		     contains_word_num(log, "task ", getpid()) ? "names" :
		     "does not name", getpid());
	else
		CHECK(contains_word_num(log, "task ", getpid()),
		      "the log does not name task %d (us)", getpid());
	if (is_fd)
		CHECK(strstr(log, strrchr(path, '/') + 1),
		      "the log does not name the file %s", path);
	free(log);
	log = NULL;
	CHECK(fd_size(img) == 0, "the refused checkpoint wrote %ld bytes",
	      (long)fd_size(img));
	CHECK(waitpid(c.ct.pid, &status, WNOHANG) == 0,
	      "the container is gone after the refusal");
	if (b) {
		beat = b->beat;
		for (i = 0; i < 500 && b->beat == beat; i++)
			nap_ms(10);
		CHECK(b->beat != beat, "the container does not run after the refusal");
	}

	/* 3. With SUBTREE it is saved as seen. */
	ret = do_checkpoint(&c, img, CKPT_CHECKPOINT_SUBTREE);
	if (!CHECK(ret == 0, "checkpoint(SUBTREE): %s", strerror(errno))) {
		log = read_log(c.logfd);
		show_log("checkpoint(SUBTREE)", log);
		goto out;
	}
	info("SUBTREE image: %ld bytes", (long)fd_size(img));

	/* 4. Our change after the checkpoint must not reach the restarted one. */
	if (is_fd)
		lseek(filefd, 0, SEEK_SET);
	else
		b->flag = 2;
	if (CHECK(do_restart(img, c.logfd, &r1, "leak-r1") > 0,
		  "restart of the SUBTREE image: %s", strerror(errno)))
		expect_exit(&r1, is_fd ? 104 : 101,
			    "restarted from the SUBTREE image");

	/* 5. Without our copy, a plain checkpoint works. */
	if (is_mm)
		goto out;
	if (is_fd) {
		close(filefd);
		filefd = -1;
	} else {
		munmap(b, 4096);
		b = NULL;
	}
	ret = do_checkpoint(&c, img2, CKPT_CHECKPOINT_KILL);
	if (!CHECK(ret == 0, "checkpoint once we dropped our copy: %s",
		   strerror(errno))) {
		log = read_log(c.logfd);
		show_log("checkpoint", log);
		goto out;
	}
	CHECK(!ct_reap(c.ct.pid, &status, WAIT_MS) && WIFSIGNALED(status) &&
	      WTERMSIG(status) == SIGKILL, "the container did not die of SIGKILL");
	c.ct.pid = -1;
	/* fd: our lseek(0) was on the shared offset; shm: the flag was 2. */
	if (CHECK(do_restart(img2, c.logfd, &r2, "leak-r2") > 0,
		  "restart of the plain image: %s", strerror(errno)))
		expect_exit(&r2, is_fd ? 100 : 102, "restarted from the plain image");

out:
	free(log);
	if (r1.cgpath[0])
		ct_destroy(&r1);
	if (r2.cgpath[0])
		ct_destroy(&r2);
	if (c.ct.cgpath[0] || c.ct.pid > 0)
		ct_destroy(&c.ct);
	if (filefd >= 0)
		close(filefd);
	if (is_fd)
		unlink(path);
	if (b && !is_mm)
		munmap(b, 4096);
	if (c.logfd >= 0)
		close(c.logfd);
	if (img >= 0)
		close(img);
	if (img2 >= 0)
		close(img2);
	printf("%s %s\n", failures == fails_before ? "ok" : "not ok", mode);
	fflush(stdout);
}

int main(int argc, char **argv)
{
	static const char *const all[] = { "fd", "shm", "mm" };
	const char *const *cases = all;
	int n = 3, i;
	ssize_t l;

	if (argc == 2 && !strcmp(argv[1], "holder"))
		return holder();
	setvbuf(stdout, NULL, _IOLBF, 0);
	if (argc > 1) {
		cases = (const char *const *)argv + 1;
		n = argc - 1;
	}
	if (geteuid()) {
		printf("# SKIP: needs root\n");
		return 4;
	}
	if (access("/sys/fs/cgroup/cgroup.controllers", F_OK)) {
		printf("# SKIP: needs cgroup v2 at /sys/fs/cgroup\n");
		return 4;
	}
	l = readlink("/proc/self/exe", self_path, sizeof(self_path) - 1);
	if (l <= 0) {
		printf("# cannot read /proc/self/exe\n");
		return 1;
	}
	self_path[l] = '\0';
	if (sys_checkpoint(NULL, 0, CKPT_ABI_VERSION) != CKPT_ABI) {
		printf("# the kernel does not answer the ckpt ABI query: %s\n",
		       strerror(errno));
		return 1;
	}
	printf("1..%d\n", n);
	for (i = 0; i < n; i++) {
		if (strcmp(cases[i], "fd") && strcmp(cases[i], "shm") &&
		    strcmp(cases[i], "mm")) {
			printf("# unknown case %s\n", cases[i]);
			return 2;
		}
		run_case(cases[i]);
	}
	printf("# leak: %s\n", failures ? "FAIL" : "PASS");
	return failures ? 1 : 0;
}
