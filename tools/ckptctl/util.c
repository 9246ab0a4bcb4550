// SPDX-License-Identifier: GPL-2.0
/*
 * ckptctl: error reporting, small I/O helpers and raw system calls.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/wait.h>

#include "ckptctl.h"

const char *prog = "ckptctl";
volatile sig_atomic_t interrupted;

static void vmsg(const char *fmt, va_list ap)
{
	fprintf(stderr, "%s: ", prog);
	vfprintf(stderr, fmt, ap);
}

/* The reporting functions keep errno, so that a hint can still use it. */
void err_msg(const char *fmt, ...)
{
	int saved = errno;
	va_list ap;

	va_start(ap, fmt);
	vmsg(fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	errno = saved;
}

void err_errno(int errnum, const char *fmt, ...)
{
	int saved = errno;
	va_list ap;

	va_start(ap, fmt);
	vmsg(fmt, ap);
	va_end(ap);
	fprintf(stderr, ": %s\n", strerror(errnum));
	errno = saved;
}

void hint(const char *fmt, ...)
{
	int saved = errno;
	va_list ap;

	fprintf(stderr, "%s: hint: ", prog);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	errno = saved;
}

/* The hints that hold whatever failed. */
void hint_errno(int errnum)
{
	switch (errnum) {
	case EPERM:
	case EACCES:
		if (geteuid() != 0)
			hint("run as root");
		break;
	case ENOSYS:
		hint("the kernel lacks a system call ckptctl needs (Linux 5.14 or later)");
		break;
	case EROFS:
		hint("is cgroup2 mounted read-only?");
		break;
	default:
		break;
	}
}

int usage_error(const char *cmd, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vmsg(fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	if (cmd)
		fprintf(stderr, "Try '%s %s --help'.\n", prog, cmd);
	else
		fprintf(stderr, "Try '%s --help'.\n", prog);
	return EXIT_USAGE;
}

/* Read up to @len bytes, short only at end of file. */
ssize_t read_full(int fd, void *buf, size_t len)
{
	size_t done = 0;

	while (done < len) {
		ssize_t n = read(fd, (char *)buf + done, len - done);

		if (n < 0) {
			if (errno == EINTR && !interrupted)
				continue;
			return -1;
		}
		if (n == 0)
			break;
		done += n;
	}
	return done;
}

int write_full(int fd, const void *buf, size_t len)
{
	size_t done = 0;

	while (done < len) {
		ssize_t n = write(fd, (const char *)buf + done, len - done);

		if (n < 0) {
			if (errno == EINTR && !interrupted)
				continue;
			return -1;
		}
		done += n;
	}
	return 0;
}

/* Read a small text file into @buf, NUL terminated. */
int read_small_file(const char *path, char *buf, size_t size)
{
	ssize_t n;
	int fd, saved;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	n = read_full(fd, buf, size - 1);
	saved = errno;
	close(fd);
	if (n < 0) {
		errno = saved;
		return -1;
	}
	buf[n] = '\0';
	return 0;
}

static int write_small(const char *path, const char *s, int oflags)
{
	int fd, ret, saved;

	fd = open(path, O_WRONLY | O_CLOEXEC | oflags, 0644);
	if (fd < 0)
		return -1;
	ret = write_full(fd, s, strlen(s));
	saved = errno;
	if (close(fd) && !ret) {
		ret = -1;
		saved = errno;
	}
	errno = saved;
	return ret;
}

/* Write to an existing file, as cgroup control files want. */
int write_small_file(const char *path, const char *s)
{
	return write_small(path, s, 0);
}

/* Create or replace a small file (state files). */
int write_small_file_new(const char *path, const char *s)
{
	return write_small(path, s, O_CREAT | O_TRUNC);
}

void chomp(char *s)
{
	size_t n = strlen(s);

	while (n && (s[n - 1] == '\n' || s[n - 1] == ' '))
		s[--n] = '\0';
}

int parse_pid(const char *s, pid_t *pid)
{
	unsigned long v = 0;
	const char *p;

	if (!*s)
		return -1;
	for (p = s; *p; p++) {
		if (*p < '0' || *p > '9')
			return -1;
		v = v * 10 + (*p - '0');
		if (v > 0x3fffffff)
			return -1;
	}
	if (!v)
		return -1;
	*pid = v;
	return 0;
}

/* strlcpy that tells: -1 (ENAMETOOLONG) and an empty @dst if @src is too long. */
int str_copy(char *dst, size_t size, const char *src)
{
	size_t n = strlen(src);

	if (n >= size) {
		if (size)
			dst[0] = '\0';
		errno = ENAMETOOLONG;
		return -1;
	}
	memcpy(dst, src, n + 1);
	return 0;
}

int path_join(char *buf, size_t size, const char *a, const char *b)
{
	int n = snprintf(buf, size, "%s/%s", a, b);

	if (n < 0 || (size_t)n >= size) {
		errno = ENAMETOOLONG;
		return -1;
	}
	return 0;
}

long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000L + ts.tv_nsec / 1000000;
}

void sleep_ms(int ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };

	nanosleep(&ts, NULL);
}

static void on_signal(int sig)
{
	(void)sig;
	interrupted = 1;
}

/*
 * A checkpoint leaves the container frozen while it runs: turn the usual
 * terminating signals into a flag, without SA_RESTART, so that a blocked
 * call returns EINTR and the container is thawed before ckptctl exits.  A
 * reader of -o - that goes away gives EPIPE, not a silent death.
 */
void install_signal_handlers(void)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
	sa.sa_handler = SIG_IGN;
	sigaction(SIGPIPE, &sa, NULL);
}

void restore_signal_handlers(void)
{
	signal(SIGINT, SIG_DFL);
	signal(SIGTERM, SIG_DFL);
	signal(SIGHUP, SIG_DFL);
	signal(SIGPIPE, SIG_DFL);
}

int exit_code_of(int status)
{
	if (WIFEXITED(status))
		return WEXITSTATUS(status);
	if (WIFSIGNALED(status))
		return 128 + WTERMSIG(status);
	return EXIT_FAIL;
}

long sys_checkpoint(const struct ckpt_checkpoint_args *args, size_t size,
		    unsigned int flags)
{
	return syscall(__NR_checkpoint, args, size, flags, 0, 0, 0);
}

long sys_restart(const struct ckpt_restart_args *args, size_t size,
		 unsigned int flags)
{
	return syscall(__NR_restart, args, size, flags, 0, 0, 0);
}

int sys_pidfd_open(pid_t pid, unsigned int flags)
{
	return syscall(__NR_pidfd_open, pid, flags);
}

int sys_pidfd_send_signal(int pidfd, int sig)
{
	return syscall(__NR_pidfd_send_signal, pidfd, sig, NULL, 0);
}

int sys_close_range(unsigned int first, unsigned int last, unsigned int flags)
{
	return syscall(__NR_close_range, first, last, flags);
}

/*
 * Ask the kernel for its ckpt ABI.  Other kernels use our system call
 * numbers for other calls: only a positive answer to this query makes it
 * safe to call them for real.
 */
int ckpt_abi_query(bool restart, long *abi)
{
	long ret;

	if (restart)
		ret = sys_restart(NULL, 0, CKPT_ABI_VERSION);
	else
		ret = sys_checkpoint(NULL, 0, CKPT_ABI_VERSION);
	if (ret < 0)
		return -1;
	*abi = ret;
	return 0;
}

/*
 * Make sure the kernel answers the ABI query with at least @min_abi;
 * @why names what needs that revision (an option), or NULL.
 */
int ckpt_require_kernel(bool restart, long min_abi, const char *why)
{
	long abi;

	if (ckpt_abi_query(restart, &abi)) {
		if (errno == ENOSYS) {
			err_msg("kernel has no ckpt support (CONFIG_CKPT)");
			hint("boot a kernel built with CONFIG_CKPT=y");
		} else {
			err_errno(errno, "kernel does not answer the ckpt ABI query");
			hint("this kernel uses system call %d for something else: boot a ckpt kernel",
			     restart ? __NR_restart : __NR_checkpoint);
		}
		return -1;
	}
	if (abi < min_abi) {
		if (why)
			err_msg("%s needs ckpt ABI %ld, the kernel has ABI %ld",
				why, min_abi, abi);
		else
			err_msg("kernel ckpt ABI %ld is older than %ld", abi,
				min_abi);
		hint("boot a newer ckpt kernel");
		return -1;
	}
	return 0;
}

/*
 * The kernel writes its reasons to the log fd during the call.  A pipe
 * could fill up and block it, a memfd cannot.
 */
int log_fd_create(void)
{
	int fd = memfd_create("ckptctl-log", MFD_CLOEXEC);

	if (fd < 0)
		err_errno(errno, "memfd_create");
	return fd;
}

/* Pass the kernel's messages on to stderr, one prefixed line each. */
void log_fd_dump(int fd)
{
	char buf[4096];
	bool bol = true;
	ssize_t n, i;

	if (fd < 0 || lseek(fd, 0, SEEK_SET) < 0)
		return;
	fflush(stderr);
	while ((n = read(fd, buf, sizeof(buf))) > 0) {
		for (i = 0; i < n; i++) {
			if (bol)
				fprintf(stderr, "%s: kernel: ", prog);
			fputc(buf[i], stderr);
			bol = buf[i] == '\n';
		}
	}
	if (!bol)
		fputc('\n', stderr);
}
