// SPDX-License-Identifier: GPL-2.0
/*
 * files - open files shared and saved once, pipes, a directory, a deleted
 * file and a memfd.
 *
 * Usage: files DIR [TICKS [TICK_MS]]	(defaults: 40 ticks of 100 ms)
 *
 * The init (P) sets up, under DIR:
 *   shared   opened O_RDWR; fd 20 is a dup() of it, fd 21 a
 *            F_DUPFD_CLOEXEC one: one open file, one offset
 *   a, b     two pipes on which P and its child C pass a token each tick
 *   data     a 256 KiB pipe holding 150000 bytes nobody reads until the end
 *   packets  an O_DIRECT pipe holding 5 packets (1, 100, 4096, 7, 3000 bytes)
 *   half     a pipe holding 15 bytes whose write end is closed
 *   d/       a directory of 40 files, read part way with getdents64
 *   del      a 64 KiB file, unlinked while open at offset 1234
 *   memfd    10000 bytes, offset 77
 *   fifo     a named pipe open for reading and writing and for reading
 *            only (O_NONBLOCK), holding 14 bytes
 *   lockf    locked with flock(LOCK_EX), a POSIX write lock on bytes
 *            0..99 and an OFD read lock on bytes 200..249
 * then forks C, which inherits all of it, and makes F with
 * clone(CLONE_FILES): F shares P's file table.
 *
 * Each tick P appends "P k" to shared, passes the token k % 255 + 1 to C,
 * which appends "C <token>" through the same open file (the offset is shared: the lines follow
 * each other) and passes it back.  At tick TICKS/2 F opens DIR/late as fd
 * 30 and closes fd 20: P sees both in its own table.  P prints "tick K pid
 * P" each tick.
 *
 * When P passes the last token, C checks that it cannot take the locks:
 * flock(LOCK_EX | LOCK_NB) on its own open file of lockf fails, F_GETLK
 * shows P's write lock (pid 1), F_OFD_GETLK the read lock.
 *
 * At the end P checks: C's lock results; the contents of shared line by line; fd 20 closed
 * and fd 30 open; fd 21 still close-on-exec at the shared offset; the
 * data pipe's 150000 bytes and size; the packets with their boundaries;
 * the half pipe's bytes then end of file; the FIFO's bytes, 5 read through
 * one open file and 9 through the other; the directory's entries, each
 * once, 42 in all; the deleted file's offset, link count and bytes; the
 * memfd's offset and bytes.  It prints "RESULT OK <hash>" (the hash of
 * everything read) or "RESULT FAIL".
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdarg.h>
#include <string.h>
#include <sys/file.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>

#include "workload.h"

#define FD_DUP		20
#define FD_DUP_CLOEXEC	21
#define FD_LATE		30
#define DATA_LEN	150000
#define DATA_PIPE_SZ	(256 * 1024)
#define NR_DIR		40
#define DEL_LEN		65536
#define DEL_POS		1234
#define MEMFD_LEN	10000
#define MEMFD_POS	77

static const int packet_len[] = { 1, 100, 4096, 7, 3000 };
static const char half_msg[] = "tail data 12345";
static const char fifo_msg[] = "fifo data 0123";

static uint64_t hash = FNV_INIT;
static volatile int *late_done;

/* Deterministic bytes: the same in every run. */
static void pattern(unsigned char *buf, size_t len, uint64_t seed)
{
	size_t i;

	for (i = 0; i < len; i++)
		buf[i] = xorshift64(&seed);
}

static void write_all(int fd, const void *buf, size_t len, const char *what)
{
	const char *p = buf;

	while (len) {
		ssize_t n = write(fd, p, len);

		if (n <= 0)
			workload_die(what);
		p += n;
		len -= n;
	}
}

static void read_all(int fd, void *buf, size_t len, const char *what)
{
	char *p = buf;

	while (len) {
		ssize_t n = read(fd, p, len);

		if (n <= 0)
			workload_die(what);
		p += n;
		len -= n;
	}
}

struct setup {
	int shared, a[2], b[2], data[2], pk[2], half, dir, del, memfd, lockf;
	int fifo_rw, fifo_r;
	char lockpath[512];
	char names[64][256];
	int nr_names;
};

static void read_dir(struct setup *s, int max)
{
	char buf[512];
	int got = 0;

	while (got < max) {
		long n = syscall(SYS_getdents64, s->dir, buf, sizeof(buf));
		long off = 0;

		if (n < 0)
			workload_die("getdents64");
		if (!n)
			break;
		while (off < n) {
			struct dirent64 *d = (void *)(buf + off);

			if (s->nr_names < 64)
				snprintf(s->names[s->nr_names++], 256, "%s", d->d_name);
			off += d->d_reclen;
			got++;
		}
	}
}

static void setup(struct setup *s, const char *dir)
{
	unsigned char buf[DEL_LEN];
	char path[512];
	int i, p[2];

	mkdir(dir, 0755);
	snprintf(path, sizeof(path), "%s/d", dir);
	mkdir(path, 0755);
	for (i = 0; i < NR_DIR; i++) {
		int fd;

		snprintf(path, sizeof(path), "%s/d/f%02d", dir, i);
		fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
		if (fd < 0)
			workload_die("create d/fNN");
		close(fd);
	}
	snprintf(path, sizeof(path), "%s/late", dir);
	close(open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644));

	snprintf(path, sizeof(path), "%s/shared", dir);
	s->shared = open(path, O_RDWR | O_CREAT | O_TRUNC, 0644);
	if (s->shared < 0 || dup2(s->shared, FD_DUP) != FD_DUP ||
	    fcntl(s->shared, F_DUPFD_CLOEXEC, FD_DUP_CLOEXEC) != FD_DUP_CLOEXEC)
		workload_die("shared");

	if (pipe(s->a) || pipe(s->b))
		workload_die("pipe");

	if (pipe2(s->data, O_NONBLOCK) ||
	    fcntl(s->data[1], F_SETPIPE_SZ, DATA_PIPE_SZ) != DATA_PIPE_SZ)
		workload_die("data pipe");
	{
		static unsigned char data[DATA_LEN];

		pattern(data, DATA_LEN, 1);
		write_all(s->data[1], data, DATA_LEN, "data write");
	}

	if (pipe2(s->pk, O_DIRECT))
		workload_die("packet pipe");
	for (i = 0; i < (int)(sizeof(packet_len) / sizeof(packet_len[0])); i++) {
		pattern(buf, packet_len[i], 100 + i);
		if (write(s->pk[1], buf, packet_len[i]) != packet_len[i])
			workload_die("packet write");
	}

	if (pipe(p))
		workload_die("half pipe");
	write_all(p[1], half_msg, sizeof(half_msg) - 1, "half write");
	close(p[1]);
	s->half = p[0];

	snprintf(path, sizeof(path), "%s/d", dir);
	s->dir = open(path, O_RDONLY | O_DIRECTORY);
	if (s->dir < 0)
		workload_die("open d");
	read_dir(s, 15);

	snprintf(path, sizeof(path), "%s/del", dir);
	s->del = open(path, O_RDWR | O_CREAT | O_TRUNC, 0600);
	if (s->del < 0)
		workload_die("del");
	pattern(buf, DEL_LEN, 2);
	write_all(s->del, buf, DEL_LEN, "del write");
	if (unlink(path) || lseek(s->del, DEL_POS, SEEK_SET) != DEL_POS)
		workload_die("del unlink");

	snprintf(path, sizeof(path), "%s/fifo", dir);
	unlink(path);
	if (mkfifo(path, 0600))
		workload_die("mkfifo");
	s->fifo_rw = open(path, O_RDWR);
	s->fifo_r = open(path, O_RDONLY | O_NONBLOCK);
	if (s->fifo_rw < 0 || s->fifo_r < 0)
		workload_die("open fifo");
	write_all(s->fifo_rw, fifo_msg, sizeof(fifo_msg) - 1, "fifo write");

	snprintf(s->lockpath, sizeof(s->lockpath), "%s/lockf", dir);
	s->lockf = open(s->lockpath, O_RDWR | O_CREAT | O_TRUNC, 0644);
	if (s->lockf < 0 || flock(s->lockf, LOCK_EX))
		workload_die("flock");
	{
		struct flock w = { .l_type = F_WRLCK, .l_whence = SEEK_SET,
				   .l_start = 0, .l_len = 100 };
		struct flock r = { .l_type = F_RDLCK, .l_whence = SEEK_SET,
				   .l_start = 200, .l_len = 50 };

		if (fcntl(s->lockf, F_SETLK, &w) ||
		    fcntl(s->lockf, F_OFD_SETLK, &r))
			workload_die("fcntl lock");
	}

	s->memfd = memfd_create("files", 0);
	if (s->memfd < 0)
		workload_die("memfd");
	pattern(buf, MEMFD_LEN, 3);
	write_all(s->memfd, buf, MEMFD_LEN, "memfd write");
	if (lseek(s->memfd, MEMFD_POS, SEEK_SET) != MEMFD_POS)
		workload_die("memfd seek");
}

static void line(int fd, char who, long k)
{
	char buf[32];
	int n = snprintf(buf, sizeof(buf), "%c %ld\n", who, k);

	write_all(fd, buf, n, "append");
}

/* C, at the end: P's locks must still keep it out.  Bits of what held. */
static int check_locks(struct setup *s)
{
	struct flock w = { .l_type = F_WRLCK, .l_whence = SEEK_SET,
			   .l_start = 0, .l_len = 100 };
	struct flock o = { .l_type = F_WRLCK, .l_whence = SEEK_SET,
			   .l_start = 200, .l_len = 50 };
	int fd = open(s->lockpath, O_RDWR), ok = 0;

	if (fd < 0)
		return 0;
	if (flock(fd, LOCK_EX | LOCK_NB) == -1 && errno == EWOULDBLOCK)
		ok |= 1;
	if (!fcntl(fd, F_GETLK, &w) && w.l_type == F_WRLCK &&
	    w.l_pid == getppid() && w.l_start == 0 && w.l_len == 100)
		ok |= 2;
	if (!fcntl(fd, F_OFD_GETLK, &o) && o.l_type == F_RDLCK &&
	    o.l_start == 200 && o.l_len == 50)
		ok |= 4;
	close(fd);
	return ok;
}

static void __attribute__((noreturn)) child_c(struct setup *s)
{
	char t;

	for (;;) {
		read_all(s->a[0], &t, 1, "C token");
		if (!t) {
			__atomic_store_n(&late_done[1], check_locks(s) | 8,
					 __ATOMIC_SEQ_CST);
			exit(0);
		}
		line(s->shared, 'C', (unsigned char)t);
		write_all(s->b[1], &t, 1, "C token back");
	}
}

static int child_f(void *arg)
{
	const char *dir = arg;
	char path[512];
	int fd;

	while (!__atomic_load_n(late_done, __ATOMIC_SEQ_CST))
		sleep_ms(10);
	snprintf(path, sizeof(path), "%s/late", dir);
	fd = open(path, O_RDONLY);
	if (fd < 0 || dup2(fd, FD_LATE) != FD_LATE || close(fd) ||
	    close(FD_DUP))
		_exit(1);
	__atomic_store_n(late_done, 2, __ATOMIC_SEQ_CST);
	while (__atomic_load_n(late_done, __ATOMIC_SEQ_CST) != 3)
		sleep_ms(10);
	_exit(0);
}

static void check_shared(struct setup *s, long ticks)
{
	char want[32], got[32];
	off_t end = lseek(s->shared, 0, SEEK_CUR), pos = 0;
	long k;
	int who;

	if (lseek(FD_DUP_CLOEXEC, 0, SEEK_CUR) != end)
		workload_fail("fd %d is not at the shared offset", FD_DUP_CLOEXEC);
	if (fcntl(FD_DUP_CLOEXEC, F_GETFD) != FD_CLOEXEC)
		workload_fail("fd %d lost close-on-exec", FD_DUP_CLOEXEC);
	if (fcntl(s->shared, F_GETFD) != 0)
		workload_fail("fd %d gained close-on-exec", s->shared);
	if (fcntl(FD_DUP, F_GETFD) != -1 || errno != EBADF)
		workload_fail("fd %d still open after F closed it", FD_DUP);
	if (fcntl(FD_LATE, F_GETFD) < 0)
		workload_fail("fd %d that F opened is not in P's table", FD_LATE);
	for (k = 1; k <= ticks; k++) {
		for (who = 0; who < 2; who++) {
			int n = snprintf(want, sizeof(want), "%c %ld\n",
					 who ? 'C' : 'P', who ? k % 255 + 1 : k);

			if (pread(s->shared, got, n, pos) != n ||
			    memcmp(got, want, n)) {
				workload_fail("shared: line %ld of %c differs at %lld",
				     k, who ? 'C' : 'P', (long long)pos);
				return;
			}
			hash = fnv1a(hash, got, n);
			pos += n;
		}
	}
	if (pos != end)
		workload_fail("shared: offset %lld, %lld bytes written", (long long)end,
		     (long long)pos);
}

static void check_pipes(struct setup *s)
{
	static unsigned char data[DATA_LEN], want[DATA_LEN];
	unsigned char buf[8192];
	size_t i;
	ssize_t n;

	if (fcntl(s->data[0], F_GETPIPE_SZ) != DATA_PIPE_SZ)
		workload_fail("data pipe size %d", fcntl(s->data[0], F_GETPIPE_SZ));
	pattern(want, DATA_LEN, 1);
	n = read(s->data[0], data, DATA_LEN);
	if (n != DATA_LEN || memcmp(data, want, DATA_LEN))
		workload_fail("data pipe: read %zd bytes, or different", n);
	if (read(s->data[0], buf, 1) != -1 || errno != EAGAIN)
		workload_fail("data pipe: more data, or not O_NONBLOCK");
	hash = fnv1a(hash, data, DATA_LEN);

	for (i = 0; i < sizeof(packet_len) / sizeof(packet_len[0]); i++) {
		pattern(want, packet_len[i], 100 + i);
		n = read(s->pk[0], buf, sizeof(buf));
		if (n != packet_len[i] || memcmp(buf, want, n))
			workload_fail("packet %zu: %zd bytes, expected %d", i, n,
			     packet_len[i]);
		hash = fnv1a(hash, buf, n > 0 ? n : 0);
	}

	n = read(s->half, buf, sizeof(buf));
	if (n != sizeof(half_msg) - 1 || memcmp(buf, half_msg, n))
		workload_fail("half pipe: %zd bytes", n);
	if (read(s->half, buf, sizeof(buf)) != 0)
		workload_fail("half pipe: no end of file");
	hash = fnv1a(hash, buf, n > 0 ? n : 0);

	if (read(s->fifo_r, buf, 5) != 5 ||
	    read(s->fifo_rw, buf + 5, sizeof(buf) - 5) != sizeof(fifo_msg) - 6 ||
	    memcmp(buf, fifo_msg, sizeof(fifo_msg) - 1))
		workload_fail("fifo: not its 14 bytes");
	if (read(s->fifo_r, buf, 1) != -1 || errno != EAGAIN)
		workload_fail("fifo: more data, or not O_NONBLOCK");
	hash = fnv1a(hash, buf, sizeof(fifo_msg) - 1);
}

static int name_cmp(const void *a, const void *b)
{
	return strcmp(a, b);
}

static void check_dir_and_data(struct setup *s)
{
	unsigned char buf[DEL_LEN], want[DEL_LEN];
	struct stat st;
	int i;

	read_dir(s, 1000);
	qsort(s->names, s->nr_names, sizeof(s->names[0]), name_cmp);
	if (s->nr_names != NR_DIR + 2)
		workload_fail("directory: %d entries, expected %d", s->nr_names, NR_DIR + 2);
	for (i = 1; i < s->nr_names; i++)
		if (!strcmp(s->names[i - 1], s->names[i]))
			workload_fail("directory: %s twice", s->names[i]);
	for (i = 0; i < s->nr_names; i++)
		hash = fnv1a(hash, s->names[i], strlen(s->names[i]));

	if (lseek(s->del, 0, SEEK_CUR) != DEL_POS)
		workload_fail("deleted file: offset %lld", (long long)lseek(s->del, 0, SEEK_CUR));
	if (fstat(s->del, &st) || st.st_nlink != 0 || st.st_size != DEL_LEN)
		workload_fail("deleted file: %ld links, %lld bytes", (long)st.st_nlink,
		     (long long)st.st_size);
	pattern(want, DEL_LEN, 2);
	if (pread(s->del, buf, DEL_LEN, 0) != DEL_LEN || memcmp(buf, want, DEL_LEN))
		workload_fail("deleted file: contents differ");
	hash = fnv1a(hash, buf, DEL_LEN);

	if (lseek(s->memfd, 0, SEEK_CUR) != MEMFD_POS)
		workload_fail("memfd: offset %lld", (long long)lseek(s->memfd, 0, SEEK_CUR));
	/* Not a whole number of pages: the last one is not written past it. */
	if (fstat(s->memfd, &st) || st.st_size != MEMFD_LEN)
		workload_fail("memfd: size %lld", (long long)st.st_size);
	pattern(want, MEMFD_LEN, 3);
	if (pread(s->memfd, buf, MEMFD_LEN, 0) != MEMFD_LEN ||
	    memcmp(buf, want, MEMFD_LEN))
		workload_fail("memfd: contents differ");
	hash = fnv1a(hash, buf, MEMFD_LEN);
}

int main(int argc, char **argv)
{
	static char fstack[64 * 1024];
	struct setup s = { 0 };
	long ticks, tick_ms, k;
	pid_t c, f;
	int status;
	char t;

	workload_init();
	if (argc < 2) {
		fprintf(stderr, "usage: files DIR [TICKS [TICK_MS]]\n");
		return 2;
	}
	ticks = arg_long(argc, argv, 2, 40);
	tick_ms = arg_long(argc, argv, 3, 100);
	signal(SIGPIPE, SIG_IGN);
	late_done = mmap(NULL, 4096, PROT_READ | PROT_WRITE,
			 MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (late_done == MAP_FAILED)
		workload_die("mmap");
	setup(&s, argv[1]);

	fflush(stdout);
	c = fork();
	if (c < 0)
		workload_die("fork");
	if (!c)
		child_c(&s);
	f = clone(child_f, fstack + sizeof(fstack), CLONE_FILES | SIGCHLD,
		  argv[1]);
	if (f < 0)
		workload_die("clone");
	printf("ready pid %d\n", getpid());

	for (k = 1; k <= ticks; k++) {
		line(s.shared, 'P', k);
		t = k % 255 + 1;
		write_all(s.a[1], &t, 1, "P token");
		read_all(s.b[0], &t, 1, "P token back");
		if (k == ticks / 2) {
			__atomic_store_n(late_done, 1, __ATOMIC_SEQ_CST);
			while (__atomic_load_n(late_done, __ATOMIC_SEQ_CST) != 2)
				sleep_ms(10);
		}
		printf("tick %ld pid %d\n", k, getpid());
		sleep_ms(tick_ms);
	}
	t = 0;
	write_all(s.a[1], &t, 1, "P quit");
	__atomic_store_n(late_done, 3, __ATOMIC_SEQ_CST);
	if (waitpid(c, &status, 0) != c || status)
		workload_fail("C ended with status %#x", status);
	if (waitpid(f, &status, 0) != f || status)
		workload_fail("F ended with status %#x", status);
	if (late_done[1] != 15)
		workload_fail("C could take P's locks (checks %#x of 0xf)", late_done[1]);

	check_shared(&s, ticks);
	check_pipes(&s);
	check_dir_and_data(&s);
	if (workload_bad)
		printf("RESULT FAIL\n");
	else
		printf("RESULT OK %016llx\n", (unsigned long long)hash);
	return workload_bad != 0;
}
