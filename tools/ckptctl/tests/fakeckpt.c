// SPDX-License-Identifier: GPL-2.0
/*
 * fakeckpt.so: an LD_PRELOAD stand-in for the ckpt system calls, so that
 * ckptctl's checkpoint and restart paths (freezing, pidfd, log fd, output
 * file, cleanup, state) can be tested on a kernel without ckpt.  It
 * replaces glibc's syscall() for __NR_checkpoint and __NR_restart only.
 *
 *   FAKECKPT_IMAGE  file whose bytes checkpoint writes as "the image"
 *   FAKECKPT_FAIL   errno name (EBUSY, EOPNOTSUPP, EINVAL) to fail with,
 *                   after writing a reason to the log fd
 *   FAKECKPT_CMD    what the restarted "init" runs (sh -c), default
 *                   "exec sleep 1000"
 *   FAKECKPT_ABI    the ABI revision to answer, default CKPT_ABI; an
 *                   ABI 1 kernel does not know CKPT_CHECKPOINT_SUBTREE
 *
 * The checkpoint's log says which flags it was given.
 */
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/syscall.h>

#include <linux/sched.h>

#include "../ckptctl.h"

typedef long (*syscall_fn)(long, ...);

static long fake_abi(void)
{
	const char *abi = getenv("FAKECKPT_ABI");

	return abi && *abi ? atol(abi) : CKPT_ABI;
}

static void say(int logfd, const char *msg)
{
	if (logfd >= 0 && write(logfd, msg, strlen(msg)) < 0)
		return;
}

static long fail_if_asked(int logfd)
{
	const char *f = getenv("FAKECKPT_FAIL");

	if (!f || !*f)
		return 0;
	say(logfd, "fake: refusing as asked\nfake: second line without newline");
	errno = !strcmp(f, "EBUSY") ? EBUSY : !strcmp(f, "EOPNOTSUPP") ?
		EOPNOTSUPP : EINVAL;
	return -1;
}

/* The pid behind a pidfd, from its fdinfo. */
static pid_t pidfd_pid(int pidfd)
{
	char path[64], buf[1024], *p;
	int fd;
	ssize_t n;

	snprintf(path, sizeof(path), "/proc/self/fdinfo/%d", pidfd);
	fd = open(path, O_RDONLY);
	if (fd < 0)
		return -1;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return -1;
	buf[n] = '\0';
	p = strstr(buf, "Pid:");
	return p ? atoi(p + 4) : -1;
}

static long fake_checkpoint(const struct ckpt_checkpoint_args *a,
			    unsigned int flags)
{
	const char *img = getenv("FAKECKPT_IMAGE");
	char buf[65536], msg[64];
	ssize_t n;
	pid_t pid;
	int fd;

	unsigned int known = CKPT_CHECKPOINT_FLAGS;

	if (fake_abi() < 2)
		known &= ~CKPT_CHECKPOINT_SUBTREE;
	if (!a && flags == CKPT_ABI_VERSION)
		return fake_abi();
	if (!a || a->reserved || (flags & ~known)) {
		errno = EINVAL;
		return -1;
	}
	pid = pidfd_pid(a->pidfd);
	if (pid <= 0) {
		errno = EBADF;
		return -1;
	}
	if (fail_if_asked(a->logfd))
		return -1;
	fd = img ? open(img, O_RDONLY) : -1;
	if (fd < 0) {
		errno = ENOENT;
		return -1;
	}
	while ((n = read(fd, buf, sizeof(buf))) > 0)
		if (write(a->fd, buf, n) != n) {	/* short: fine for tests */
			close(fd);
			return -1;
		}
	close(fd);
	snprintf(msg, sizeof(msg), "fake: checkpoint done, flags 0x%x\n", flags);
	say(a->logfd, msg);
	if (flags & CKPT_CHECKPOINT_KILL)
		kill(pid, SIGKILL);
	return 0;
}

static long fake_restart(const struct ckpt_restart_args *a, unsigned int flags)
{
	const char *cmd = getenv("FAKECKPT_CMD");
	struct clone_args ca;
	char buf[65536];
	ssize_t n;
	long pid;

	if (!a && flags == CKPT_ABI_VERSION)
		return fake_abi();
	if (!a || a->reserved || (flags & ~CKPT_RESTART_FLAGS)) {
		errno = EINVAL;
		return -1;
	}
	while ((n = read(a->fd, buf, sizeof(buf))) > 0)
		;
	if (n < 0 || fail_if_asked(a->logfd))
		return -1;
	memset(&ca, 0, sizeof(ca));
	ca.flags = CLONE_NEWPID | (a->cgroup_fd >= 0 ? CLONE_INTO_CGROUP : 0);
	ca.exit_signal = SIGCHLD;
	ca.cgroup = a->cgroup_fd;
	pid = syscall(__NR_clone3, &ca, sizeof(ca));
	if (pid == 0) {
		setsid();
		execl("/bin/sh", "sh", "-c", cmd ? cmd : "exec sleep 1000",
		      (char *)NULL);
		_exit(127);
	}
	return pid;
}

long syscall(long nr, ...)
{
	static syscall_fn real;
	long a[6];
	va_list ap;
	int i;

	va_start(ap, nr);
	for (i = 0; i < 6; i++)
		a[i] = va_arg(ap, long);
	va_end(ap);
	if (nr == __NR_checkpoint)
		return fake_checkpoint((const void *)a[0], a[2]);
	if (nr == __NR_restart)
		return fake_restart((const void *)a[0], a[2]);
	if (!real)
		real = (syscall_fn)dlsym(RTLD_NEXT, "syscall");
	return real(nr, a[0], a[1], a[2], a[3], a[4], a[5]);
}
