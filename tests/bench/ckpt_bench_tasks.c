// SPDX-License-Identifier: GPL-2.0
/*
 * ckpt_bench_tasks - checkpoint(2) and restart(2) time against the number
 * of tasks in the container: processes and threads.
 *
 * Usage: ckpt_bench_tasks [-r REPS] [-d DIR] [-k KIB] [CONFIG...]
 *	CONFIG: pN (a tree of N processes), tN (one process of N threads) or
 *	fN (one process with N more open descriptors);
 *	default: p10 p100 p1000 t1 t16 t256 f10 f1000 f10000 u10 u1000 u5000
 *
 * For each configuration, a container (this program, exec()ed as the init
 * of a new pid namespace in a cgroup v2 of its own) runs N tasks:
 *
 *   pN: the init and N-1 children of it; each of the N processes maps and
 *       touches KIB (default 64) KiB of private anonymous memory of its own
 *       (the children before the init maps its own, so none inherits it),
 *       then waits in pause();
 *   tN: the init and N-1 more threads (pthreads); each thread maps and
 *       touches KIB KiB of its own, then waits in pause();
 *   fN: the init alone (KIB KiB of memory) opens N more descriptors, in
 *       groups of four: an open file of its own on a tmpfs file (at an
 *       offset of its own), a dup() of it, and the two ends of a pipe
 *       holding 8 bytes; then it waits in pause().  Its check after the
 *       restart: every offset, every dup sharing its file's offset, every
 *       pipe's bytes.
 *
 * Then REPS times (default 3), with a new container each time, as in
 * ckpt_bench: cgroup.freeze, wait for "frozen 1", checkpoint(2) with
 * CKPT_CHECKPOINT_KILL to a new file in DIR (default /tmp), restart(2) of
 * that file into a new cgroup.  Restart is followed by a check that
 * everything came back, which is not timed:
 *
 *   - the new cgroup holds N processes (pN) or N threads of 1 process (tN);
 *   - on SIGUSR1 the restarted init signals every child (pN: kill()) or
 *     thread (tN: tgkill(), by the tids it recorded before the checkpoint);
 *     each checks its pid (and parent) or tid and its memory and reports,
 *     a child by its exit status (which the init reaps), a thread through
 *     a counter; the init checks its own memory and exits 42 if all N
 *     tasks answered and were intact.
 *
 * A configuration whose checkpoint, restart or check fails prints an
 * error in its row (with the kernel's log line) and the next configuration
 * runs.  The growth table compares the per-task time (and image size) of
 * consecutive configurations of the same kind.
 *
 * Exit status: 0 if every configuration was measured and checked; 3 if
 * the only failures were checkpoints the kernel refused with EOPNOTSUPP
 * (process trees or threads not supported by this kernel); 1 otherwise;
 * 4 if the kernel does not answer the ckpt ABI query.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <stddef.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <sys/syscall.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <linux/sched.h>

#include "lib/ckpt_test.h"
#include "bench_clock.h"

#define KIB		1024UL
#define MIB		(1024UL * 1024)
#define MAX_TASKS	4096
#define MAX_FDS		16384
#define MAX_CONFIGS	16
/* Starting 1000 processes under QEMU TCG takes seconds; be generous. */
#define READY_MS	600000
#define FREEZE_MS	300000
/* The restarted init gives up (SIGALRM) after this many seconds. */
#define VERIFY_S	300
#define VERIFY_MS	((VERIFY_S + 30) * 1000)

#define INIT_ARG	"--tasks-init"

/* Exit statuses of the restarted init (and of the children). */
#define ST_OK		CKPT_TARGET_OK	/* 42: all there and intact */
#define ST_BAD_SELF	43	/* the task's own memory is not intact */
#define ST_BAD_OTHER	44	/* a child's or thread's memory is not */
#define ST_MISSING	45	/* a child or thread is gone or did not answer */
#define ST_MOVED	46	/* a pid, parent or tid changed */

/* ------------------------------------------------------------------ */
/* The container's init. */

static size_t task_words;		/* 64-bit words per task */
static uint64_t *own_mem;		/* this process's (or init's) memory */
static uint64_t own_seed;
static pid_t own_pid;			/* getpid() before the checkpoint */

static pid_t kids[MAX_TASKS];		/* pN: the children */
static int nr_kids;

static pid_t tids[MAX_TASKS];		/* tN: tid of thread i, 0 = init */
static uint64_t *thread_mem[MAX_TASKS];
static int nr_threads;
static __thread int my_idx;		/* this thread's index in tids[] */
static int nr_ready, nr_ok, nr_bad, nr_moved;

static inline uint64_t pattern(uint64_t i, uint64_t seed)
{
	/* Never zero, different in every word of every task. */
	return ((i + 1) * 0x9e3779b97f4a7c15ULL ^
		(seed + 1) * 0xc2b2ae3d27d4eb4fULL) | 1;
}

static uint64_t *task_memory(uint64_t seed)
{
	uint64_t *m = mmap(NULL, task_words * sizeof(*m),
			   PROT_READ | PROT_WRITE,
			   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	size_t i;

	if (m == MAP_FAILED)
		return NULL;
	for (i = 0; i < task_words; i++)
		m[i] = pattern(i, seed);
	return m;
}

static int intact(const uint64_t *m, uint64_t seed)
{
	size_t i;

	for (i = 0; i < task_words; i++)
		if (m[i] != pattern(i, seed))
			return 0;
	return 1;
}

static void sleep_ms(int ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };

	while (nanosleep(&ts, &ts) && errno == EINTR)
		;
}

/* pN, in a child: check where we are and our memory, and exit. */
static void child_on_usr1(int sig)
{
	(void)sig;
	if (getpid() != own_pid || getppid() != 1)
		_exit(ST_MOVED);
	_exit(intact(own_mem, own_seed) ? ST_OK : ST_BAD_SELF);
}

/* pN, in the init: every child must answer, intact and in its place. */
static void procs_init_on_usr1(int sig)
{
	int i, st, missing = 0, bad = 0, moved = 0;

	(void)sig;
	alarm(VERIFY_S);
	for (i = 0; i < nr_kids; i++)
		if (kill(kids[i], SIGUSR1)) {
			missing++;
			kids[i] = 0;
		}
	for (i = 0; i < nr_kids; i++) {
		if (!kids[i])
			continue;
		if (waitpid(kids[i], &st, 0) != kids[i])
			missing++;
		else if (!WIFEXITED(st))
			missing++;
		else if (WEXITSTATUS(st) == ST_MOVED)
			moved++;
		else if (WEXITSTATUS(st) != ST_OK)
			bad++;
	}
	if (missing)
		_exit(ST_MISSING);
	if (moved || getpid() != 1)
		_exit(ST_MOVED);
	if (bad)
		_exit(ST_BAD_OTHER);
	_exit(intact(own_mem, own_seed) ? ST_OK : ST_BAD_SELF);
}

static int procs_init(int n)
{
	struct sigaction sa = { .sa_handler = procs_init_on_usr1 };
	int p[2], i, got = 0;
	ssize_t r;
	char c;

	if (pipe(p))
		return 2;
	for (i = 1; i < n; i++) {
		pid_t pid = fork();

		if (pid < 0)
			return 2;
		if (pid == 0) {
			struct sigaction csa = { .sa_handler = child_on_usr1 };

			close(3);
			close(p[0]);
			own_pid = getpid();
			own_seed = i;
			own_mem = task_memory(own_seed);
			if (!own_mem || sigaction(SIGUSR1, &csa, NULL) ||
			    write(p[1], "r", 1) != 1)
				_exit(2);
			close(p[1]);
			for (;;)
				pause();
		}
		kids[nr_kids++] = pid;
	}
	close(p[1]);
	/* EOF once every child has closed its end: none holds the pipe. */
	while ((r = read(p[0], &c, 1)) != 0) {
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0)
			return 2;
		got++;
	}
	close(p[0]);
	if (got != n - 1)
		return 2;
	own_pid = getpid();
	own_seed = 0;
	own_mem = task_memory(own_seed);
	if (!own_mem || sigaction(SIGUSR1, &sa, NULL))
		return 2;
	return 0;
}

/* tN, in a thread other than the init's: SIGUSR2 from the init. */
static void thread_on_usr2(int sig)
{
	int i = my_idx;

	(void)sig;
	if (i <= 0 || i >= nr_threads || gettid() != tids[i])
		__atomic_add_fetch(&nr_moved, 1, __ATOMIC_SEQ_CST);
	else if (!intact(thread_mem[i], i))
		__atomic_add_fetch(&nr_bad, 1, __ATOMIC_SEQ_CST);
	else
		__atomic_add_fetch(&nr_ok, 1, __ATOMIC_SEQ_CST);
}

/* tN, in the init's thread: every thread must answer. */
static void threads_init_on_usr1(int sig)
{
	int i, sent = 0, missing = 0, done;

	(void)sig;
	alarm(VERIFY_S);
	for (i = 1; i < nr_threads; i++) {
		if (syscall(SYS_tgkill, own_pid, tids[i], SIGUSR2))
			missing++;
		else
			sent++;
	}
	/* SIGALRM ends the wait if some thread never answers. */
	do {
		done = __atomic_load_n(&nr_ok, __ATOMIC_SEQ_CST) +
		       __atomic_load_n(&nr_bad, __ATOMIC_SEQ_CST) +
		       __atomic_load_n(&nr_moved, __ATOMIC_SEQ_CST);
		if (done < sent)
			sleep_ms(1);
	} while (done < sent);
	if (missing)
		_exit(ST_MISSING);
	if (nr_moved || getpid() != 1 || gettid() != tids[0])
		_exit(ST_MOVED);
	if (nr_bad)
		_exit(ST_BAD_OTHER);
	_exit(intact(own_mem, own_seed) ? ST_OK : ST_BAD_SELF);
}

static void *thread_main(void *arg)
{
	int i = (int)(intptr_t)arg;

	my_idx = i;
	tids[i] = gettid();
	thread_mem[i] = task_memory(i);
	if (!thread_mem[i])
		_exit(2);
	__atomic_add_fetch(&nr_ready, 1, __ATOMIC_SEQ_CST);
	for (;;)
		pause();
	return NULL;
}

static int threads_init(int n)
{
	struct sigaction sa1 = { .sa_handler = threads_init_on_usr1 };
	struct sigaction sa2 = { .sa_handler = thread_on_usr2 };
	sigset_t usr1;
	pthread_t th;
	int i;

	own_pid = getpid();
	own_seed = 0;
	own_mem = task_memory(own_seed);
	my_idx = 0;
	tids[0] = gettid();
	nr_threads = n;
	if (!own_mem || sigaction(SIGUSR1, &sa1, NULL) ||
	    sigaction(SIGUSR2, &sa2, NULL))
		return 2;
	/* The threads inherit SIGUSR1 blocked: it is for the init's thread. */
	sigemptyset(&usr1);
	sigaddset(&usr1, SIGUSR1);
	pthread_sigmask(SIG_BLOCK, &usr1, NULL);
	for (i = 1; i < n; i++)
		if (pthread_create(&th, NULL, thread_main, (void *)(intptr_t)i))
			return 2;
	pthread_sigmask(SIG_UNBLOCK, &usr1, NULL);
	while (__atomic_load_n(&nr_ready, __ATOMIC_SEQ_CST) != n - 1)
		sleep_ms(1);
	return 0;
}

/* fN: the descriptors, in groups of 4 (file, dup, pipe read, pipe write). */
static int *fds;
static int nr_fds;

static void fds_init_on_usr1(int sig)
{
	int i;

	(void)sig;
	for (i = 0; i + 4 <= nr_fds; i += 4) {
		uint64_t v = 0;

		if (lseek(fds[i], 0, SEEK_CUR) != i ||
		    lseek(fds[i + 1], 0, SEEK_CUR) != i ||
		    read(fds[i + 2], &v, sizeof(v)) != sizeof(v) ||
		    v != (uint64_t)i + 2)
			_exit(ST_BAD_SELF);
	}
	/* The rest: single open files. */
	for (; i < nr_fds; i++)
		if (lseek(fds[i], 0, SEEK_CUR) != i)
			_exit(ST_BAD_SELF);
	if (getpid() != 1)
		_exit(ST_MOVED);
	_exit(intact(own_mem, own_seed) ? ST_OK : ST_BAD_SELF);
}

static int fds_init(int n)
{
	struct sigaction sa = { .sa_handler = fds_init_on_usr1 };
	struct rlimit rl = { n + 64, n + 64 };
	const char *path = "/dev/shm/ckpt-bench-fds";
	int i;

	fds = calloc(n, sizeof(*fds));
	if (!fds || setrlimit(RLIMIT_NOFILE, &rl))
		return 2;
	for (i = 0; i < n; i++) {
		uint64_t v = i;
		int p[2];

		/* Whole groups of four, then single open files. */
		switch (n - (i - i % 4) >= 4 ? i % 4 : 0) {
		case 0:
			fds[i] = open(path, O_RDWR | O_CREAT, 0600);
			if (fds[i] < 0 || lseek(fds[i], i, SEEK_SET) != i)
				return 2;
			break;
		case 1:
			fds[i] = dup(fds[i - 1]);
			break;
		case 2:
			if (pipe(p) || write(p[1], &v, sizeof(v)) != sizeof(v))
				return 2;
			fds[i] = p[0];
			fds[++i] = p[1];
			break;
		}
		if (fds[i] < 0)
			return 2;
	}
	nr_fds = n;
	own_pid = getpid();
	own_seed = 0;
	own_mem = task_memory(own_seed);
	if (!own_mem || sigaction(SIGUSR1, &sa, NULL))
		return 2;
	return 0;
}

/*
 * uN: N unix stream connections accepted from one listening socket (2N
 * descriptors and the listener), 8 bytes queued each way on each.
 */
static void conns_init_on_usr1(int sig)
{
	int i;

	(void)sig;
	for (i = 0; i + 2 <= nr_fds; i += 2) {
		uint64_t a = 0, b = 0;

		if (read(fds[i], &a, sizeof(a)) != sizeof(a) || a != (uint64_t)i ||
		    read(fds[i + 1], &b, sizeof(b)) != sizeof(b) ||
		    b != (uint64_t)i + 1)
			_exit(ST_BAD_SELF);
	}
	if (getpid() != 1)
		_exit(ST_MOVED);
	_exit(intact(own_mem, own_seed) ? ST_OK : ST_BAD_SELF);
}

static int conns_init(int n)
{
	struct sigaction sa = { .sa_handler = conns_init_on_usr1 };
	struct rlimit rl = { 2 * n + 64, 2 * n + 64 };
	struct sockaddr_un sun = { .sun_family = AF_UNIX };
	socklen_t len = offsetof(struct sockaddr_un, sun_path) + 16;
	int i, lfd;

	/* An abstract name, unique to this container. */
	snprintf(sun.sun_path + 1, sizeof(sun.sun_path) - 1, "ckb%012d",
		 (int)getppid());
	fds = calloc(2 * n, sizeof(*fds));
	lfd = socket(AF_UNIX, SOCK_STREAM, 0);
	if (!fds || setrlimit(RLIMIT_NOFILE, &rl) || lfd < 0 ||
	    bind(lfd, (struct sockaddr *)&sun, len) || listen(lfd, 4096))
		return 2;
	for (i = 0; i < 2 * n; i += 2) {
		uint64_t a = i, b = i + 1;

		fds[i] = socket(AF_UNIX, SOCK_STREAM, 0);
		if (fds[i] < 0 || connect(fds[i], (struct sockaddr *)&sun, len))
			return 2;
		fds[i + 1] = accept(lfd, NULL, NULL);
		/* Each reads what the other wrote. */
		if (fds[i + 1] < 0 ||
		    write(fds[i + 1], &a, sizeof(a)) != sizeof(a) ||
		    write(fds[i], &b, sizeof(b)) != sizeof(b))
			return 2;
	}
	nr_fds = 2 * n;
	own_pid = getpid();
	own_seed = 0;
	own_mem = task_memory(own_seed);
	if (!own_mem || sigaction(SIGUSR1, &sa, NULL))
		return 2;
	return 0;
}

static int container_init(const char *kind, const char *n_s,
			  const char *kib_s)
{
	int n = atoi(n_s), ret;

	task_words = strtoul(kib_s, NULL, 10) * KIB / sizeof(uint64_t);
	if (n < 1 || n > (kind[0] == 'f' ? MAX_FDS : kind[0] == 'u' ?
			  MAX_FDS / 2 : MAX_TASKS))
		return 2;
	ret = kind[0] == 'p' ? procs_init(n) : kind[0] == 'f' ? fds_init(n) :
	      kind[0] == 'u' ? conns_init(n) : threads_init(n);
	if (ret)
		return ret;
	if (write(3, "R", 1) != 1)
		return 2;
	close(3);
	for (;;)
		pause();
}

/* ------------------------------------------------------------------ */
/* The benchmark. */

static char self_exe[PATH_MAX];
static const char *dir = "/tmp";
static int reps = 3;
static size_t kib = 64;

struct config {
	char kind;		/* 'p' processes, 't' threads, 'f' descriptors,
				 * 'u' unix connections */
	int n;			/* tasks */
	/* results */
	int ok;
	int unsupported;	/* checkpoint refused with EOPNOTSUPP */
	int skipped;		/* does not fit in memory or DIR */
	char err[512];
	off_t image;
	struct series ckpt, rst, frozen, freeze;
};

static const char *kind_name(char kind)
{
	return kind == 'p' ? "procs" : kind == 'f' ? "fds" :
	       kind == 'u' ? "unix" : "threads";
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

static long free_mib(const char *path)
{
	struct statvfs vfs;

	if (statvfs(path, &vfs))
		return -1;
	return (long)((unsigned long long)vfs.f_bavail * vfs.f_frsize / MIB);
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

/* Lines of a cgroup file (cgroup.procs, cgroup.threads), or -1. */
static int cg_count(const struct ct *ct, const char *name)
{
	char path[512], *buf;
	size_t len, i;
	int fd, n = 0;

	snprintf(path, sizeof(path), "%s/%s", ct->cgpath, name);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	buf = fd_read_all(fd, &len);
	close(fd);
	if (!buf)
		return -1;
	for (i = 0; i < len; i++)
		n += buf[i] == '\n';
	free(buf);
	return n;
}

/* Starts a container of @c's tasks; as bench_ct_start() of ckpt_bench. */
static int tasks_ct_start(struct ct *ct, const struct config *c)
{
	struct clone_args args = { 0 };
	struct pollfd pfd;
	int ready[2], pidfd = -1;
	char n_s[16], kib_s[32], ch;
	long pid;

	if (ct_cgroup_create(ct, "tasks"))
		return -1;
	if (pipe2(ready, O_CLOEXEC))
		return -1;
	snprintf(n_s, sizeof(n_s), "%d", c->n);
	snprintf(kib_s, sizeof(kib_s), "%zu", kib);

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
		char *argv[] = { (char *)"ckpt_bench_tasks", (char *)INIT_ARG,
				 (char *)(c->kind == 'p' ? "p" : c->kind == 'f' ? "f" :
					  c->kind == 'u' ? "u" : "t"), n_s,
				 kib_s, NULL };
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

	/* "R" once all tasks are set up, then EOF: the pipe is gone. */
	pfd.fd = ready[0];
	pfd.events = POLLIN;
	if (poll(&pfd, 1, READY_MS) != 1 || read(ready[0], &ch, 1) != 1 ||
	    ch != 'R' || poll(&pfd, 1, READY_MS) != 1 ||
	    read(ready[0], &ch, 1) != 0) {
		close(ready[0]);
		errno = ETIMEDOUT;
		return -1;
	}
	close(ready[0]);
	return 0;
}

/* As bench_freeze() of ckpt_bench: 1 to cgroup.freeze, wait "frozen 1". */
static int tasks_freeze(struct ct *ct, double *t_start)
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

/*
 * The last line the kernel wrote to the log memfd @logfd, in @buf (empty if
 * none); every line is also copied to stderr, prefixed with "# ".
 */
static void log_last_line(int logfd, char *buf, size_t size)
{
	char *log, *line, *save = NULL;
	size_t len;

	buf[0] = '\0';
	if (logfd < 0 || lseek(logfd, 0, SEEK_SET))
		return;
	log = fd_read_all(logfd, &len);
	if (!log)
		return;
	for (line = strtok_r(log, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save)) {
		fprintf(stderr, "# kernel log: %s\n", line);
		snprintf(buf, size, "%s", line);
	}
	free(log);
}

static void fail(struct config *c, const char *what, int err, int logfd)
{
	char line[400];

	log_last_line(logfd, line, sizeof(line));
	snprintf(c->err, sizeof(c->err), "%s: %s%s%s", what,
		 err ? strerror(err) : "failed", line[0] ? ": " : "", line);
}

static const char *init_status(int status, char *buf, size_t size)
{
	if (WIFSIGNALED(status)) {
		snprintf(buf, size, "the restarted init was killed by signal %d%s",
			 WTERMSIG(status),
			 WTERMSIG(status) == SIGALRM ?
			 " (some task never answered)" : "");
		return buf;
	}
	switch (WEXITSTATUS(status)) {
	case ST_BAD_SELF:
		return "the restarted init's memory is not intact";
	case ST_BAD_OTHER:
		return "a restarted child's or thread's memory is not intact";
	case ST_MISSING:
		return "a child or thread is missing after restart";
	case ST_MOVED:
		return "a pid, parent or tid changed across restart";
	}
	snprintf(buf, size, "the restarted init exited with status %d",
		 WEXITSTATUS(status));
	return buf;
}

/* One checkpoint and restart of a new container; 0 if all went well. */
static int one_round(struct config *c, const char *img)
{
	struct ckpt_checkpoint_args cargs = { .fd = -1 };
	struct ckpt_restart_args rargs = { .fd = -1 };
	struct ct ct, rct;
	double t0, t1, t2;
	int fd, logfd, status, procs, threads, err;
	int want_procs = c->kind == 'p' ? c->n : 1;
	int want_threads = c->kind == 'f' || c->kind == 'u' ? 1 : c->n;
	char buf[128];
	long pid;

	logfd = memfd("ckpt-bench-log");
	if (logfd < 0) {
		fail(c, "memfd", errno, -1);
		return -1;
	}
	if (tasks_ct_start(&ct, c)) {
		fail(c, "container start", errno, -1);
		goto fail_ct;
	}
	fd = open(img, O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	if (fd < 0) {
		fail(c, "image", errno, -1);
		goto fail_ct;
	}
	if (tasks_freeze(&ct, &t0)) {
		fail(c, "freeze", errno, -1);
		close(fd);
		goto fail_ct;
	}
	cargs.pidfd = ct.pidfd;
	cargs.fd = fd;
	cargs.logfd = logfd;
	t1 = now();
	if (sys_checkpoint(&cargs, sizeof(cargs), CKPT_CHECKPOINT_KILL)) {
		err = errno;
		c->unsupported = err == EOPNOTSUPP;
		fail(c, "checkpoint", err, logfd);
		close(fd);
		goto fail_ct;
	}
	t2 = now();
	add(&c->freeze, t1 - t0);
	add(&c->ckpt, t2 - t1);
	add(&c->frozen, t2 - t0);
	c->image = fd_size(fd);
	close(fd);
	/* Reaps the killed init, and so all the tasks: memory is freed. */
	ct_destroy(&ct);

	if (ct_cgroup_create(&rct, "tasks-rst")) {
		fail(c, "restart cgroup", errno, -1);
		goto fail_log;
	}
	fd = open(img, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		fail(c, "image", errno, -1);
		goto fail_rct;
	}
	rargs.fd = fd;
	rargs.logfd = logfd;
	rargs.cgroup_fd = rct.cgfd;
	t1 = now();
	pid = sys_restart(&rargs, sizeof(rargs), 0);
	t2 = now();
	err = errno;
	close(fd);
	if (pid <= 0) {
		fail(c, "restart", err, logfd);
		goto fail_rct;
	}
	add(&c->rst, t2 - t1);
	rct.pid = pid;

	/* Everything back?  First as the cgroup sees it, then as init does. */
	procs = cg_count(&rct, "cgroup.procs");
	threads = cg_count(&rct, "cgroup.threads");
	if (procs != want_procs || threads != want_threads) {
		snprintf(c->err, sizeof(c->err),
			 "restart: the new cgroup holds %d processes and %d threads, not %d and %d",
			 procs, threads, want_procs, want_threads);
		goto fail_rct;
	}
	if (kill(pid, SIGUSR1) || ct_reap(pid, &status, VERIFY_MS)) {
		fail(c, "restarted container", errno, -1);
		goto fail_rct;
	}
	rct.pid = -1;
	ct_destroy(&rct);
	close(logfd);
	if (!WIFEXITED(status) || WEXITSTATUS(status) != ST_OK) {
		snprintf(c->err, sizeof(c->err), "check after restart: %s",
			 init_status(status, buf, sizeof(buf)));
		return -1;
	}
	return 0;

fail_ct:
	ct_destroy(&ct);
	close(logfd);
	return -1;
fail_rct:
	ct_destroy(&rct);
fail_log:
	close(logfd);
	return -1;
}

/* Rough peak need in MiB: the container, its image and the restarted one. */
static long need_mib(const struct config *c)
{
	/* Per task: KIB, its page tables and stack, and ~100 KiB of records. */
	long per_task_kib = (long)kib + 256;

	if (c->kind == 'f')	/* one task; a pipe is at most a page */
		return 3L * (per_task_kib + c->n) / 1024 + 64;
	if (c->kind == 'u')	/* one task; two sockets and skbs a connection */
		return 3L * (per_task_kib + 8 * c->n) / 1024 + 64;
	return 3L * c->n * per_task_kib / 1024 + 64;
}

static int fits(struct config *c)
{
	long avail = meminfo_kib("MemAvailable") / 1024;
	long fr = free_mib(dir), need = need_mib(c);

	if (avail >= 0 && avail < need) {
		c->skipped = 1;
		snprintf(c->err, sizeof(c->err),
			 "skipped: needs about %ld MiB of memory, MemAvailable is %ld MiB",
			 need, avail);
		return 0;
	}
	if (fr >= 0 && fr < need / 3) {
		c->skipped = 1;
		snprintf(c->err, sizeof(c->err),
			 "skipped: %s has only %ld MiB free", dir, fr);
		return 0;
	}
	return 1;
}

static void bench_config(struct config *c)
{
	char img[PATH_MAX];
	int i;

	snprintf(img, sizeof(img), "%s/ckpt-bench-tasks-%d.img", dir, getpid());
	for (i = 0; i < reps; i++) {
		if (one_round(c, img)) {
			fprintf(stderr, "# %s %d round %d: %s\n",
				kind_name(c->kind), c->n, i + 1, c->err);
			unlink(img);
			return;
		}
		fprintf(stderr, "# %s %d round %d: checkpoint %.3f s, restart %.3f s, image %lld bytes\n",
			kind_name(c->kind), c->n, i + 1, c->ckpt.t[i],
			c->rst.t[i], (long long)c->image);
	}
	unlink(img);
	c->ok = 1;
}

/* ms per task */
static double per_task(const struct series *s, int n)
{
	return best(s) * 1e3 / n;
}

static const char *verdict(double ratio)
{
	if (ratio > 1.5)
		return "SUPERLINEAR";
	if (ratio < 1 / 1.5)
		return "sublinear";
	return "linear";
}

/*
 * The growth from configuration @i to the next one of the same kind (with
 * more tasks), if any: a row of the growth table, or (@bench) its
 * BENCH_TASKS_GROWTH line.
 */
static void print_growth(const struct config *cfg, int n, int i, int bench)
{
	const struct config *a = &cfg[i], *b = NULL;
	double rc, rr, ri, mc, mr;
	int j;

	for (j = i + 1; j < n; j++)
		if (cfg[j].kind == a->kind) {
			b = &cfg[j];
			break;
		}
	if (!b || b->n <= a->n)
		return;
	if (!a->ok || !b->ok) {
		if (bench)
			printf("BENCH_TASKS_GROWTH config=%s from=%d to=%d status=n/a\n",
			       kind_name(a->kind), a->n, b->n);
		else
			printf("%7s %5d %5d  n/a: no measurement at %d tasks\n",
			       kind_name(a->kind), a->n, b->n,
			       a->ok ? b->n : a->n);
		return;
	}
	rc = per_task(&b->ckpt, b->n) / per_task(&a->ckpt, a->n);
	rr = per_task(&b->rst, b->n) / per_task(&a->rst, a->n);
	ri = ((double)b->image / b->n) / ((double)a->image / a->n);
	mc = (best(&b->ckpt) - best(&a->ckpt)) * 1e3 / (b->n - a->n);
	mr = (best(&b->rst) - best(&a->rst)) * 1e3 / (b->n - a->n);
	if (bench)
		printf("BENCH_TASKS_GROWTH config=%s from=%d to=%d status=ok"
		       " ckpt_ratio=%.3f ckpt_growth=%s"
		       " restart_ratio=%.3f restart_growth=%s"
		       " image_ratio=%.3f image_growth=%s"
		       " ckpt_marginal_ms=%.4f restart_marginal_ms=%.4f\n",
		       kind_name(a->kind), a->n, b->n, rc, verdict(rc), rr,
		       verdict(rr), ri, verdict(ri), mc, mr);
	else
		printf("%7s %5d %5d %6.2f %-11s %6.2f %-11s %6.2f %-11s %8.3f %8.3f\n",
		       kind_name(a->kind), a->n, b->n, rc, verdict(rc), rr,
		       verdict(rr), ri, verdict(ri), mc, mr);
}

static void print_tables(const struct config *cfg, int n)
{
	int i;

	printf("\n# ckpt_bench_tasks: best of %d; per task = time (or image size) / tasks;\n"
	       "# procs N = init + N-1 child processes, threads N = one process of N threads;\n"
	       "# fds N = one process with N more descriptors (\"per task\" is per descriptor:\n"
	       "# files at offsets of their own, dups, pipe ends with 8 bytes);\n"
	       "# unix N = one process with N unix connections accepted from one listening\n"
	       "# socket, 8 bytes queued each way (\"per task\" is per connection);\n"
	       "# each task with %zu KiB of touched private anonymous memory; freeze = ms\n"
	       "# until frozen 1, frozen = freeze + checkpoint\n", reps, kib);
	printf("%7s %6s %9s %9s %9s %9s %9s %9s %9s %9s\n", "config",
	       "tasks", "ckpt", "per task", "restart", "per task", "freeze",
	       "frozen", "image", "per task");
	printf("%7s %6s %9s %9s %9s %9s %9s %9s %9s %9s\n", "", "", "ms",
	       "ms", "ms", "ms", "ms", "ms", "KiB", "KiB");
	for (i = 0; i < n; i++) {
		const struct config *c = &cfg[i];

		if (!c->ok) {
			printf("%7s %6d  %s%s\n", kind_name(c->kind), c->n,
			       c->skipped ? "" : "ERROR ", c->err);
			continue;
		}
		printf("%7s %6d %9.1f %9.3f %9.1f %9.3f %9.1f %9.1f %9.0f %9.1f\n",
		       kind_name(c->kind), c->n,
		       best(&c->ckpt) * 1e3, per_task(&c->ckpt, c->n),
		       best(&c->rst) * 1e3, per_task(&c->rst, c->n),
		       best(&c->freeze) * 1e3, best(&c->frozen) * 1e3,
		       c->image / 1024.0, c->image / 1024.0 / c->n);
	}

	printf("\n# growth from one count to the next of the same kind: ratio = per-task\n"
	       "# cost at the larger count / at the smaller; linear if 0.67-1.5,\n"
	       "# SUPERLINEAR above (each task costs more when there are more),\n"
	       "# sublinear below (a fixed cost spread over more tasks); +ckpt, +restart =\n"
	       "# marginal ms per added task, (time(to) - time(from)) / (to - from)\n");
	printf("%7s %5s %5s %6s %-11s %6s %-11s %6s %-11s %8s %8s\n",
	       "config", "from", "to", "ckpt", "per task", "restart",
	       "per task", "image", "per task", "+ckpt", "+restart");
	printf("%7s %5s %5s %6s %-11s %6s %-11s %6s %-11s %8s %8s\n",
	       "", "", "", "ratio", "", "ratio", "", "ratio", "", "ms", "ms");
	for (i = 0; i < n; i++)
		print_growth(cfg, n, i, 0);

	printf("\n");
	for (i = 0; i < n; i++) {
		const struct config *c = &cfg[i];

		if (!c->ok) {
			printf("BENCH_TASKS config=%s tasks=%d kib_per_task=%zu status=%s\n",
			       kind_name(c->kind), c->n, kib,
			       c->skipped ? "skipped" :
			       c->unsupported ? "unsupported" : "error");
			continue;
		}
		printf("BENCH_TASKS config=%s tasks=%d kib_per_task=%zu status=ok reps=%d"
		       " ckpt_s=%.4f ckpt_s_median=%.4f ckpt_per_task_ms=%.4f"
		       " restart_s=%.4f restart_s_median=%.4f restart_per_task_ms=%.4f"
		       " freeze_ms=%.1f frozen_ms=%.1f frozen_ms_median=%.1f"
		       " image_bytes=%lld image_per_task_bytes=%.0f\n",
		       kind_name(c->kind), c->n, kib, reps,
		       best(&c->ckpt), median(&c->ckpt), per_task(&c->ckpt, c->n),
		       best(&c->rst), median(&c->rst), per_task(&c->rst, c->n),
		       best(&c->freeze) * 1e3, best(&c->frozen) * 1e3,
		       median(&c->frozen) * 1e3, (long long)c->image,
		       (double)c->image / c->n);
	}
	for (i = 0; i < n; i++)
		print_growth(cfg, n, i, 1);
}

static void usage(void)
{
	fprintf(stderr,
		"usage: ckpt_bench_tasks [-r REPS] [-d DIR] [-k KIB] [pN|tN...]\n"
		"  pN: N processes (init and N-1 children), tN: one process of N threads\n"
		"  (1 <= N <= %d), fN (N <= %d); default p10 p100 p1000 t1 t16 t256\n"
		"  f10 f1000 f10000 u10 u1000 u5000\n",
		MAX_TASKS, MAX_FDS);
	exit(2);
}

int main(int argc, char **argv)
{
	static struct config cfg[MAX_CONFIGS];
	static const char *const defaults[] = {
		"p10", "p100", "p1000", "t1", "t16", "t256", "f10", "f1000", "f10000",
		"u10", "u1000", "u5000",
	};
	const char *const *names = defaults;
	int nnames = 6, n = 0, opt, i, unsupported = 0, failed = 0;
	ssize_t len;

	if (argc == 5 && !strcmp(argv[1], INIT_ARG))
		return container_init(argv[2], argv[3], argv[4]);

	while ((opt = getopt(argc, argv, "r:d:k:h")) != -1) {
		switch (opt) {
		case 'r':
			reps = atoi(optarg);
			if (reps < 1 || reps > MAX_REPS)
				usage();
			break;
		case 'd':
			dir = optarg;
			break;
		case 'k':
			kib = strtoul(optarg, NULL, 10);
			if (!kib || kib % 4 || kib > 1024 * 1024)
				usage();
			break;
		default:
			usage();
		}
	}
	if (optind < argc) {
		names = (const char *const *)&argv[optind];
		nnames = argc - optind;
	}
	for (i = 0; i < nnames && n < MAX_CONFIGS; i++) {
		char *end;
		long v;

		if (names[i][0] != 'p' && names[i][0] != 't' &&
		    names[i][0] != 'f' && names[i][0] != 'u')
			usage();
		v = strtol(names[i] + 1, &end, 10);
		if (*end || v < 1 ||
		    v > (names[i][0] == 'f' ? MAX_FDS : names[i][0] == 'u' ?
			 MAX_FDS / 2 : MAX_TASKS))
			usage();
		cfg[n].kind = names[i][0];
		cfg[n].n = v;
		n++;
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
	printf("# ckpt_bench_tasks: clock %s\n", clock_name);

	for (i = 0; i < n; i++) {
		struct config *c = &cfg[i];

		if (fits(c))
			bench_config(c);
		if (c->ok)
			continue;
		if (c->skipped)
			printf("# SKIP %s %d: %s\n", kind_name(c->kind), c->n,
			       c->err);
		if (c->unsupported)
			unsupported = 1;
		else if (!c->skipped)
			failed = 1;
	}
	print_tables(cfg, n);
	if (failed)
		return 1;
	return unsupported ? 3 : 0;
}
