// SPDX-License-Identifier: GPL-2.0
/*
 * A minimal container for the C tests, built without ckptctl: ckpt_target
 * as the init of a new pid namespace (clone3 with CLONE_NEWPID and
 * CLONE_INTO_CGROUP), in a cgroup v2 of its own that can be frozen.
 *
 * The init exec()s ckpt_target instead of running code of the test
 * itself: the test's memory holds MAP_SHARED mappings (the kselftest
 * harness shares its results that way) that checkpoint refuses.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <linux/capability.h>
#include <linux/sched.h>

#include "ckpt_test.h"

#define CGROUP_ROOT	"/sys/fs/cgroup"
/* Generous: exec and freezing are slow under QEMU TCG with KASAN. */
#define CT_READY_MS	30000
#define CT_FREEZE_MS	30000

static void sleep_ms(int ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };

	while (nanosleep(&ts, &ts) && errno == EINTR)
		;
}

const char *ct_target_path(void)
{
	static char path[PATH_MAX];
	ssize_t n;
	char *slash;

	if (path[0])
		return path;
	n = readlink("/proc/self/exe", path, sizeof(path) - 32);
	if (n <= 0)
		return NULL;
	path[n] = '\0';
	slash = strrchr(path, '/');
	if (!slash)
		return NULL;
	strcpy(slash + 1, CKPT_TARGET_NAME);
	return path;
}

static int write_file(const char *dir, const char *name, const char *val)
{
	char path[512];
	int fd, ret = 0;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	fd = open(path, O_WRONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	if (write(fd, val, strlen(val)) != (ssize_t)strlen(val))
		ret = -1;
	close(fd);
	return ret;
}

static int read_file(const char *dir, const char *name, char *buf,
		     size_t size)
{
	char path[512];
	ssize_t n;
	int fd;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	n = read(fd, buf, size - 1);
	close(fd);
	if (n < 0)
		return -1;
	buf[n] = '\0';
	return 0;
}

int ct_cgroup_create(struct ct *ct, const char *tag)
{
	memset(ct, 0, sizeof(*ct));
	ct->pid = -1;
	ct->pidfd = -1;
	ct->cgfd = -1;
	snprintf(ct->cgpath, sizeof(ct->cgpath), "%s/ckpt-test-%s-%d",
		 CGROUP_ROOT, tag, getpid());
	/* A leftover of an earlier run with the same pid: start afresh. */
	rmdir(ct->cgpath);
	if (mkdir(ct->cgpath, 0755) && errno != EEXIST)
		return -1;
	ct->cgfd = open(ct->cgpath, O_DIRECTORY | O_RDONLY | O_CLOEXEC);
	return ct->cgfd < 0 ? -1 : 0;
}

int ct_cgroup_nr_procs(const struct ct *ct)
{
	char buf[4096];
	int n = 0;
	char *p;

	if (read_file(ct->cgpath, "cgroup.procs", buf, sizeof(buf)))
		return -1;
	for (p = buf; *p; p++)
		n += *p == '\n';
	return n;
}

int ct_cgroup_destroy(struct ct *ct)
{
	int i;

	if (ct->cgfd >= 0)
		close(ct->cgfd);
	ct->cgfd = -1;
	if (!ct->cgpath[0])
		return 0;
	write_file(ct->cgpath, "cgroup.kill", "1");
	/* Dying tasks keep the cgroup busy for a moment. */
	for (i = 0; i < 500; i++) {
		if (!rmdir(ct->cgpath) || errno == ENOENT) {
			ct->cgpath[0] = '\0';
			return 0;
		}
		sleep_ms(10);
	}
	return -1;
}

/* In the new init, before exec: a clean slate of fds and signals. */
static void __attribute__((noreturn)) ct_child(int ready, const char *mode)
{
	const char *target = ct_target_path();
	char *argv[] = { (char *)CKPT_TARGET_NAME, (char *)mode, NULL };
	char *envp[] = { NULL };
	struct sigaction sa = { .sa_handler = SIG_DFL };
	sigset_t none;
	int sig, fd;

	for (sig = 1; sig < NSIG; sig++)
		sigaction(sig, &sa, NULL);
	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);

	ready = fcntl(ready, F_DUPFD, 100);
	fd = open("/dev/null", O_RDWR);
	if (ready < 0 || fd < 0)
		_exit(126);
	dup2(fd, 0);
	dup2(fd, 1);
	dup2(fd, 2);
	dup2(ready, 3);
	syscall(__NR_close_range, 4, ~0U, 0);
	if (target)
		execve(target, argv, envp);
	_exit(127);
}

int ct_start(struct ct *ct, const char *tag, const char *mode)
{
	struct clone_args args = { 0 };
	struct pollfd pfd;
	int ready[2], pidfd = -1;
	char c;
	long pid;

	if (ct_cgroup_create(ct, tag))
		return -1;
	if (pipe2(ready, O_CLOEXEC))
		return -1;

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
	if (pid == 0)
		ct_child(ready[1], mode);

	close(ready[1]);
	ct->pid = pid;
	ct->pidfd = pidfd;

	/*
	 * ckpt_target writes one byte once it is set up, then closes the
	 * pipe: wait for both, the pipe must be gone before a checkpoint.
	 */
	pfd.fd = ready[0];
	pfd.events = POLLIN;
	if (poll(&pfd, 1, CT_READY_MS) != 1 || read(ready[0], &c, 1) != 1 ||
	    c != 'R' || poll(&pfd, 1, CT_READY_MS) != 1 ||
	    read(ready[0], &c, 1) != 0) {
		close(ready[0]);
		errno = ETIMEDOUT;
		return -1;
	}
	close(ready[0]);
	return 0;
}

/* Waits for "frozen @want" in cgroup.events. */
static int ct_wait_frozen(struct ct *ct, int want)
{
	char buf[256], expect[16];
	int waited;

	snprintf(expect, sizeof(expect), "frozen %d", want);
	for (waited = 0; waited < CT_FREEZE_MS; waited += 10) {
		if (read_file(ct->cgpath, "cgroup.events", buf, sizeof(buf)))
			return -1;
		if (strstr(buf, expect))
			return 0;
		sleep_ms(10);
	}
	errno = ETIMEDOUT;
	return -1;
}

int ct_freeze(struct ct *ct)
{
	if (write_file(ct->cgpath, "cgroup.freeze", "1"))
		return -1;
	return ct_wait_frozen(ct, 1);
}

int ct_thaw(struct ct *ct)
{
	if (write_file(ct->cgpath, "cgroup.freeze", "0"))
		return -1;
	return ct_wait_frozen(ct, 0);
}

int ct_reap(pid_t pid, int *status, int timeout_ms)
{
	int waited;

	for (waited = 0; waited <= timeout_ms; waited += 10) {
		pid_t r = waitpid(pid, status, WNOHANG | __WALL);

		if (r == pid)
			return 0;
		if (r < 0)
			return -1;
		sleep_ms(10);
	}
	errno = ETIMEDOUT;
	return -1;
}

void ct_destroy(struct ct *ct)
{
	int status;

	if (ct->pid > 0) {
		if (ct->cgpath[0])
			write_file(ct->cgpath, "cgroup.kill", "1");
		kill(ct->pid, SIGKILL);
		ct_reap(ct->pid, &status, 30000);
		ct->pid = -1;
	}
	if (ct->pidfd >= 0)
		close(ct->pidfd);
	ct->pidfd = -1;
	ct_cgroup_destroy(ct);
}

int memfd(const char *name)
{
	return memfd_create(name, MFD_CLOEXEC);
}

off_t fd_size(int fd)
{
	struct stat st;

	if (fstat(fd, &st))
		return -1;
	return st.st_size;
}

char *fd_read_all(int fd, size_t *len)
{
	size_t size = 65536, n = 0;
	char *buf = malloc(size + 1);
	ssize_t r;

	if (!buf)
		return NULL;
	if (lseek(fd, 0, SEEK_SET) < 0 && errno != ESPIPE)
		goto fail;
	for (;;) {
		if (n == size) {
			char *bigger = realloc(buf, size * 2 + 1);

			if (!bigger)
				goto fail;
			buf = bigger;
			size *= 2;
		}
		r = read(fd, buf + n, size - n);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0)
			goto fail;
		if (r == 0)
			break;
		n += r;
	}
	buf[n] = '\0';	/* handy for logs */
	*len = n;
	return buf;
fail:
	free(buf);
	return NULL;
}

int fd_write_all(int fd, const void *buf, size_t len)
{
	const char *p = buf;

	while (len) {
		ssize_t r = write(fd, p, len);

		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			return -1;
		p += r;
		len -= r;
	}
	return 0;
}

int drop_privileges(void)
{
	struct __user_cap_header_struct hdr = {
		.version = _LINUX_CAPABILITY_VERSION_3,
	};
	struct __user_cap_data_struct data[2] = { 0 };

	if (setgroups(0, NULL) || setresgid(65534, 65534, 65534) ||
	    setresuid(65534, 65534, 65534))
		return -1;
	/* Leaving uid 0 clears the capabilities; make sure of it. */
	if (syscall(__NR_capset, &hdr, data))
		return -1;
	if (syscall(__NR_capget, &hdr, data))
		return -1;
	if (data[0].effective || data[0].permitted || data[1].effective ||
	    data[1].permitted)
		return -1;
	return 0;
}

int ct_checkpoint_memfd(struct ct *ct, unsigned int flags, int logfd)
{
	struct ckpt_checkpoint_args args = {
		.pidfd = ct->pidfd,
		.logfd = logfd,
	};
	int img = memfd("ckpt-image");

	if (img < 0)
		return -1;
	args.fd = img;
	if (sys_checkpoint(&args, sizeof(args), flags)) {
		int err = errno;

		close(img);
		errno = err;
		return -1;
	}
	lseek(img, 0, SEEK_SET);
	return img;
}

int no_children_left(int grace_ms)
{
	int waited, status;

	for (waited = 0; waited <= grace_ms; waited += 10) {
		pid_t r = waitpid(-1, &status, WNOHANG | __WALL);

		if (r < 0 && errno == ECHILD)
			return 0;
		if (r > 0) {
			/* A zombie handed to the caller is a leak too. */
			fprintf(stderr, "# leftover child %d, status %#x\n",
				r, status);
			return -1;
		}
		sleep_ms(10);
	}
	fprintf(stderr, "# a child is still running after %d ms\n", grace_ms);
	return -1;
}
