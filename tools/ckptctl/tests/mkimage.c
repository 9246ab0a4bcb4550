// SPDX-License-Identifier: GPL-2.0
/*
 * mkimage: write a synthetic, valid ckpt image (format 6) for testing
 * `ckptctl info` without a ckpt kernel.
 *
 * By default a tree of six tasks: init (pid 1, a session leader and
 * subreaper) with file, anonymous, shared memory, stack, vvar and vdso
 * mappings, a few fds, handlers, a pending signal, a nanosleep to restart,
 * interval timers, three POSIX timers (newest first: a periodic
 * SIGEV_THREAD_ID one with its signal pending, an absolute CLOCK_REALTIME
 * one, a SIGEV_NONE one) and a SEM_UNDO record; its child 5 with two
 * threads (6 shares its leader's fs and file table, 8 only its fs; 5 has
 * a POSIX timer that signals thread 6) and a child 9 made with CLONE_FILES
 * (it shares 5's file table); and a zombie 7 that exited with status 3.
 * Open files: init has /dev/null, a log open on fds 1 and 2, both ends of
 * a pipe holding 5 bytes and a 3-byte packet, a data file dup'ed on fds 5
 * and 6, a directory and the memfd; 5 has init's /dev/null and pipe read
 * end (inherited: the same open files), and the write end of an empty
 * pipe of one page.  Before the tasks, three SysV IPC objects (a SHM with
 * a page, a MSQ with two messages, a SEM, which init's SEM_UNDO record
 * names) and a memfd with two saved pages.
 *
 *   mkimage [-1] [-p HEAP_PAGES] [-g NGROUPS] [-m MONO_NS] [-b BOOT_NS]
 *           [-x VARIANT] FILE|-
 *
 * -1 writes init alone, without IPC or shared memory objects.  -m and -b
 * set the container's CLOCK_MONOTONIC and CLOCK_BOOTTIME (default
 * 123.456789012 s and 130.000000001 s), even to values out of range.
 * -x changes what a one-field edit cannot:
 *   full-page  pipe 2 holds one buffer of a whole page (valid)
 *   pipe-fd    pipe 2's PIPE is followed by an FD, not by its FILE
 *   unix       5's fd 4 is a stream socket instead (open file 8, unix
 *              socket 1) with 2 messages queued; its peer is closed
 *   unix-fd    that pair's records are followed by an FD, not by a FILE
 *   listen     5's fds 4 to 11 are unix sockets (valid): listening
 *              stream socket 1 bound to /run/srv.sock (mode 0755, ino
 *              4242, backlog 16) with connection 2-3 accepted (fds 5
 *              and 6) and 4-5 pending (client on fd 7); autobound
 *              listening seqpacket socket 6 with connection 7-8 pending,
 *              its client (fd 9) bound to the abstract name "\0cli\1ent";
 *              datagram socket 9 bound to /run/dg.sock (mode 0600, ino
 *              77) (fd 10); pair 10-11 (fd 11), 11 closed.  Each server
 *              end has a message from its client, accepted client 3 one
 *              back.
 *   listen-pending-first  as listen, the pending connection of 1 first
 *   listen-pending-msg    as listen, pending client 5 with a message
 *   listen-long           as listen, socket 1's name 109 bytes long
 *   inotify    5's fd 4 is an inotify instance (open file 8, O_NONBLOCK)
 *              with watches 1 on /tmp/d (create, delete, moves), 2 on
 *              /tmp/d/f (IN_MODIFY | IN_ONESHOT) and 4 on /tmp (all
 *              events, IN_EXCL_UNLINK), next wd 5, and 6 events queued:
 *              an overflow (the reader read some since); IN_CREATE "x"
 *              on 1; IN_MODIFY and IN_IGNORED on 3 (a one-shot watch
 *              that fired); IN_MOVED_FROM "x" and IN_MOVED_TO "y" on 1
 *              (cookie 7)
 *   dgram      5's fds 4 to 8 are datagram unix sockets (valid): a group
 *              (UNIX_GROUP) of 5: server 1 bound to /run/log.sock (mode
 *              0666, ino 99) (fd 4), client 2 named "\0cli" and client 3
 *              autobound, both connected one way to 1 (fds 5, 6), 4
 *              closed with the abstract name "\0gone", 5 unnamed,
 *              unconnected (fd 7); 1 holds a message from each of 2 to 5
 *              (2's with credentials), 2 and 3 one each from 1 (by
 *              name).  Then pair 6-7 (fd 8), 7 with a message from 6.
 *   unlinked   5's fd 4 is a file with no name instead (open file 8 at
 *              offset 100, UNLINKED file 1: directory /data, linkable,
 *              mode 0640, owner 1000:100, 9000 bytes, its first 2 pages saved
 *              in two PAGES records)
 *
 * The container has a mount namespace of its own: after the TREE records
 * come four MOUNT records, the root (host), a tmpfs on /tmp with five
 * entries (its root, a directory d, a file d/f of 5 bytes, a hard link h
 * to it, a symbolic link l), a proc on /proc and a read-only bind of
 * /srv/data on /mnt.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "../ckptctl.h"

#define PAGE	4096ULL

static struct {
	uint8_t *p;
	size_t len, cap;
} img;

static void put(const void *data, size_t n)
{
	if (img.len + n > img.cap) {
		img.cap = (img.len + n) * 2;
		img.p = realloc(img.p, img.cap);
		if (!img.p) {
			perror("mkimage: realloc");
			exit(1);
		}
	}
	memcpy(img.p + img.len, data, n);
	img.len += n;
}

static void rec(uint32_t type, const void *payload, size_t n,
		const void *tail, size_t tail_len)
{
	struct ckpt_rec r = { type, sizeof(r) + n + tail_len };

	put(&r, sizeof(r));
	put(payload, n);
	if (tail_len)
		put(tail, tail_len);
}

static void header(void)
{
	struct ckpt_hdr h;

	memset(&h, 0, sizeof(h));
	h.magic = CKPT_IMAGE_MAGIC;
	h.version = CKPT_FORMAT_VERSION;
	h.arch = CKPT_ARCH_X86_64;
	h.page_size = PAGE;
	h.xfeatures = 0x7;
	h.cpuid_1_ecx = 0x7ffafbff;
	h.cpuid_1_edx = 0xbfebfbff;
	h.cpuid_7_ebx = 0x029c6fbf;
	h.time_ns = 1700000000123456789ULL;
	strcpy(h.release, "6.12.0-ckpt-test");
	rec(CKPT_REC_HEADER, &h, sizeof(h), NULL, 0);
}

static bool single;
static int64_t monotonic_ns = 123456789012LL, boottime_ns = 130000000001LL;
static const char *variant = "";

/* The tree: pid, tgid, ppid, pgid, sid, exit signal, state, code, flags. */
static const struct ckpt_tree tree[] = {
	{ 1, 1, 0, 1, 1, SIGCHLD, CKPT_TREE_LIVE, 0,
	  CKPT_TREE_SESSION_LEADER | CKPT_TREE_SUBREAPER, 0 },
	{ 5, 5, 1, 5, 1, SIGCHLD, CKPT_TREE_LIVE, 0, 0, 0 },
	{ 6, 5, 1, 5, 1, -1, CKPT_TREE_LIVE, 0, CKPT_TREE_SHARE_FS, 0 },
	{ 8, 5, 1, 5, 1, -1, CKPT_TREE_LIVE, 0, CKPT_TREE_SHARE_FS, 0 },
	{ 7, 7, 1, 1, 1, SIGCHLD, CKPT_TREE_ZOMBIE, 3 << 8, 0, 0 },
	{ 9, 9, 5, 5, 1, SIGUSR2, CKPT_TREE_LIVE, 0, 0, 0 },
};

static size_t nr_tasks(void)
{
	return single ? 1 : sizeof(tree) / sizeof(tree[0]);
}

static void container(void)
{
	struct ckpt_container c;

	memset(&c, 0, sizeof(c));
	c.ns_flags = CKPT_NS_ALL;
	c.nr_tasks = nr_tasks();
	c.nr_ipc = single ? 0 : 3;
	c.nr_shmem = single ? 0 : 1;
	c.nr_mounts = 4;
	strcpy(c.nodename, "c1");
	strcpy(c.domainname, "(none)");
	c.monotonic_ns = monotonic_ns;
	c.boottime_ns = boottime_ns;
	rec(CKPT_REC_CONTAINER, &c, sizeof(c), NULL, 0);
}

static void mount_rec(uint32_t id, uint32_t parent, uint32_t kind,
		      uint32_t flags, const char *path, const char *source,
		      const char *fstype, uint32_t nr_entries)
{
	char tail[3 * CKPT_PATH_MAX];
	struct ckpt_mount m;

	memset(&m, 0, sizeof(m));
	m.id = id;
	m.parent = parent;
	m.kind = kind;
	m.flags = flags;
	m.path_len = strlen(path);
	m.source_len = source ? strlen(source) : 0;
	m.fstype_len = strlen(fstype);
	if (kind == CKPT_MOUNT_PROC)
		m.opts = 2 | CKPT_MOUNT_PROC_SUBSET;
	if (kind == CKPT_MOUNT_TMPFS) {
		m.mode = 01777;
		m.size = 1 << 20;
		m.nr_inodes = 1000;
		m.nr_entries = nr_entries;
	}
	snprintf(tail, sizeof(tail), "%s%s%s", path, source ? source : "",
		 fstype);
	rec(CKPT_REC_MOUNT, &m, sizeof(m), tail, strlen(tail));
}

static void tmpfs_entry(uint32_t index, uint32_t parent, uint32_t mode,
			const char *name, uint32_t link, const char *data)
{
	char tail[512];
	struct ckpt_tmpfs_entry e;

	memset(&e, 0, sizeof(e));
	e.index = index;
	e.parent = parent;
	e.mode = mode;
	e.uid = 1000;
	e.gid = 1000;
	e.name_len = strlen(name);
	e.link = link;
	e.size = data ? strlen(data) : 0;
	e.atime_ns = 1600000000000000000LL;
	e.mtime_ns = 1600000000500000000LL + index;
	snprintf(tail, sizeof(tail), "%s%s", name, data ? data : "");
	rec(CKPT_REC_TMPFS_ENTRY, &e, sizeof(e), tail, strlen(tail));
}

static void mounts(void)
{
	mount_rec(1, 0, CKPT_MOUNT_HOST, CKPT_MOUNT_RELATIME, "/", NULL,
		  "ext4", 0);
	mount_rec(2, 1, CKPT_MOUNT_TMPFS, CKPT_MOUNT_NOSUID |
		  CKPT_MOUNT_NODEV | CKPT_MOUNT_RELATIME, "/tmp", NULL,
		  "tmpfs", 5);
	tmpfs_entry(1, 0, S_IFDIR | 01777, "", 0, NULL);
	tmpfs_entry(2, 1, S_IFDIR | 0755, "d", 0, NULL);
	tmpfs_entry(3, 2, S_IFREG | 0640, "f", 0, "hello");
	tmpfs_entry(4, 1, S_IFREG | 0640, "h", 3, NULL);
	tmpfs_entry(5, 1, S_IFLNK | 0777, "l", 0, "d/f");
	mount_rec(3, 1, CKPT_MOUNT_PROC, CKPT_MOUNT_NOSUID | CKPT_MOUNT_NODEV |
		  CKPT_MOUNT_NOEXEC | CKPT_MOUNT_RELATIME, "/proc", NULL,
		  "proc", 0);
	mount_rec(4, 1, CKPT_MOUNT_BIND, CKPT_MOUNT_RDONLY |
		  CKPT_MOUNT_RELATIME, "/mnt", "/srv/data", "ext4", 0);
}

static void task(const struct ckpt_tree *tr, uint32_t ngroups)
{
	struct ckpt_task t;
	struct ckpt_creds cr;
	uint32_t *groups = calloc(ngroups + 1, sizeof(*groups)), i;

	memset(&t, 0, sizeof(t));
	t.pid = tr->pid;
	t.tgid = tr->tgid;
	t.exit_signal = tr->exit_signal;
	t.flags = CKPT_TASK_DUMPABLE;
	strcpy(t.comm, tr->pid == 1 ? "sleeper" : tr->pid == tr->tgid ?
	       "worker" : "worker-thr");
	t.clear_child_tid = 0x7f0000001000ULL;
	t.robust_list = 0x7f0000002000ULL;
	t.robust_list_len = 24;
	t.rseq = 0x7f0000003000ULL;
	t.rseq_len = 32;
	t.rseq_sig = 0x53053053;
	rec(CKPT_REC_TASK, &t, sizeof(t), NULL, 0);

	memset(&cr, 0, sizeof(cr));
	cr.ngroups = ngroups;
	cr.cap_permitted = cr.cap_effective = cr.cap_bset = 0x1ffffffffffULL;
	for (i = 0; i < ngroups; i++)
		groups[i] = 100 + i;
	rec(CKPT_REC_CREDS, &cr, sizeof(cr), groups, 4 * ngroups);
	free(groups);
}

/*
 * POSIX timers of init, newest first: id, clock, notify, signo, tid,
 * flags, sigval, value_ns, interval_ns, overrun_last, overrun.
 */
static const struct ckpt_posix_timer init_timers[] = {
	{ 2, CLOCK_MONOTONIC, SIGEV_SIGNAL | SIGEV_THREAD_ID, 36, 1,
	  CKPT_TIMER_PENDING, 0xd0d, 150000000, 200000000, 0, 4 },
	{ 1, CLOCK_REALTIME, SIGEV_SIGNAL, 35, 0, CKPT_TIMER_ABSTIME, 0xb0b,
	  1700000005000000000ULL, 0, 0, 0 },
	{ 0, CLOCK_BOOTTIME, SIGEV_NONE, 0, 0, 0, 0, 3000000000ULL, 0, 3, 0 },
};

/* Process 5's: SIGUSR1 to its thread 6 every second. */
static const struct ckpt_posix_timer worker_timer = {
	0, CLOCK_MONOTONIC, SIGEV_SIGNAL | SIGEV_THREAD_ID, SIGUSR1, 6, 0, 0,
	1000000000, 1000000000, 0, 0
};

/* RLIMITS, ITIMERS and POSIX_TIMERs: thread group leaders only. */
static void limits_timers(const struct ckpt_tree *tr)
{
	const struct ckpt_posix_timer *timers = NULL;
	struct ckpt_rlimits rl;
	struct ckpt_itimers it;
	uint32_t i, nr = 0;

	memset(&rl, 0xff, sizeof(rl));
	rl.rlim[7].cur = 1024;		/* nofile */
	rl.rlim[7].max = 4096;
	rl.rlim[3].cur = 8 << 20;	/* stack */
	rl.rlim[4].cur = 0;		/* core */
	rec(CKPT_REC_RLIMITS, &rl, sizeof(rl), NULL, 0);

	memset(&it, 0, sizeof(it));
	if (tr->pid == 1 && !single) {
		it.it[0].value_ns = 1500000000ULL;	/* real: alarm(2)-like */
		it.it[2].value_ns = 20000000ULL;	/* prof, periodic */
		it.it[2].interval_ns = 20000000ULL;
		timers = init_timers;
		nr = ARRAY_SIZE(init_timers);
	} else if (tr->pid == 5) {
		timers = &worker_timer;
		nr = 1;
	}
	it.nr_posix_timers = nr;
	it.next_posix_timer_id = nr;
	rec(CKPT_REC_ITIMERS, &it, sizeof(it), NULL, 0);
	for (i = 0; i < nr; i++)
		rec(CKPT_REC_POSIX_TIMER, &timers[i], sizeof(timers[i]), NULL, 0);
}

static void fs(void)
{
	struct ckpt_fs f = { 022, 1, 4, 0 };

	rec(CKPT_REC_FS, &f, sizeof(f), "//tmp", 5);
}

static void vma(uint64_t start, uint64_t end, uint32_t kind, uint32_t flags,
		const char *path, uint64_t pgoff, uint64_t nr_pages)
{
	struct ckpt_vma v;
	size_t plen = path ? strlen(path) : 0;

	memset(&v, 0, sizeof(v));
	v.start = start;
	v.end = end;
	v.kind = kind;
	v.flags = flags;
	v.nr_pages = nr_pages;
	v.path_len = plen;
	if (path) {
		v.pgoff = pgoff;
		v.ino = 42;
		v.size = 16384;
		v.mtime_ns = 1690000000000000000LL;
	}
	rec(CKPT_REC_VMA, &v, sizeof(v), path, plen);
}

/* @nr pages at @addr, in records of at most CKPT_PAGES_MAX. */
static void pages(uint64_t addr, uint64_t nr)
{
	static uint8_t data[CKPT_PAGES_MAX * PAGE];
	uint64_t i;

	while (nr) {
		struct ckpt_pages p = { addr, nr > CKPT_PAGES_MAX ?
					CKPT_PAGES_MAX : nr, 0 };

		for (i = 0; i < p.nr_pages * PAGE; i++)
			data[i] = (uint8_t)(addr / PAGE + i * 7);
		rec(CKPT_REC_PAGES, &p, sizeof(p), data, p.nr_pages * PAGE);
		addr += p.nr_pages * PAGE;
		nr -= p.nr_pages;
	}
}

static void mm(uint64_t heap_pages, bool shmem)
{
	const uint32_t rw = CKPT_VMA_READ | CKPT_VMA_WRITE;
	const uint64_t heap = 0x405000, vvar = 0x7ffff7ff8000ULL;
	const uint64_t stack_end = 0x7ffffffff000ULL;
	const char *exe = "/bin/sleeper";
	struct ckpt_mm m;

	memset(&m, 0, sizeof(m));
	m.start_code = 0x400000;
	m.end_code = 0x401000;
	m.start_data = 0x402000;
	m.end_data = 0x403000;
	m.start_brk = heap;
	m.brk = heap + heap_pages * PAGE;
	m.start_stack = stack_end - 0x1000;
	m.arg_start = m.arg_end = m.env_start = m.env_end = stack_end - 0x800;
	m.auxv[0] = 6;		/* AT_PAGESZ */
	m.auxv[1] = PAGE;	/* then AT_NULL */
	m.nr_vmas = (heap_pages ? 6 : 5) + shmem;
	m.exe_len = strlen(exe);
	m.vdso_size = 8192;
	m.vdso_csum = 0x1234567890abcdefULL;
	rec(CKPT_REC_MM, &m, sizeof(m), exe, m.exe_len);

	vma(0x400000, 0x401000, CKPT_VMA_FILE, CKPT_VMA_READ | CKPT_VMA_EXEC,
	    exe, 0, 0);
	vma(0x402000, 0x404000, CKPT_VMA_FILE, rw, exe, 2, 1);
	pages(0x403000, 1);
	if (heap_pages) {
		vma(heap, heap + heap_pages * PAGE, CKPT_VMA_ANON, rw, NULL, 0,
		    heap_pages);
		pages(heap, heap_pages);
	}
	if (shmem) {
		struct ckpt_vma v;

		memset(&v, 0, sizeof(v));
		v.start = 0x7f0000000000ULL;
		v.end = v.start + 4 * PAGE;
		v.kind = CKPT_VMA_SHMEM;
		v.flags = rw;
		v.shmem = 0;
		rec(CKPT_REC_VMA, &v, sizeof(v), NULL, 0);
	}
	vma(vvar, vvar + 4 * PAGE, CKPT_VMA_VVAR, CKPT_VMA_READ, NULL, 0, 0);
	vma(vvar + 4 * PAGE, vvar + 6 * PAGE, CKPT_VMA_VDSO,
	    CKPT_VMA_READ | CKPT_VMA_EXEC, NULL, 0, 0);
	vma(stack_end - 33 * PAGE, stack_end, CKPT_VMA_ANON,
	    rw | CKPT_VMA_GROWSDOWN | CKPT_VMA_DONTFORK, NULL, 0, 2);
	pages(stack_end - 2 * PAGE, 2);
}

static void files_rec(uint32_t id, uint32_t nr_fds)
{
	struct ckpt_files f = { id, nr_fds };

	rec(CKPT_REC_FILES, &f, sizeof(f), NULL, 0);
}

static void fd_rec(int fd, uint32_t file, bool cloexec)
{
	struct ckpt_fd r = { fd, file, cloexec ? CKPT_FD_CLOEXEC : 0, 0 };

	rec(CKPT_REC_FD, &r, sizeof(r), NULL, 0);
}

/* A FILE record: @obj is the pipe or shared memory object. */
static void file(uint32_t id, uint32_t kind, uint32_t flags, int64_t pos,
		 const char *path, uint32_t obj)
{
	struct ckpt_file f;

	memset(&f, 0, sizeof(f));
	f.id = id;
	f.kind = kind;
	f.flags = flags;
	f.pos = pos;
	f.obj = obj;
	if (kind == CKPT_FILE_REG || kind == CKPT_FILE_DIR) {
		f.ino = 7;
		f.size = kind == CKPT_FILE_REG ? pos : 4096;
		f.mtime_ns = 1700000000000000000LL;
	} else if (kind == CKPT_FILE_CHR) {
		f.rdev = 1 << 20 | 3;
	} else if (kind == CKPT_FILE_TTY) {
		/* The master has no path; a slave /dev/pts/3. */
		f.rdev = path ? 136 << 20 | 3 : 5 << 20 | 2;
	}
	f.path_len = path ? strlen(path) : 0;
	rec(CKPT_REC_FILE, &f, sizeof(f), path, f.path_len);
}

static void pipe_rec(uint32_t id, uint32_t size, uint32_t nr_bufs)
{
	struct ckpt_pipe p = { id, size, nr_bufs, 0 };

	rec(CKPT_REC_PIPE, &p, sizeof(p), NULL, 0);
}

static void pipe_buf(const char *data, bool packet)
{
	struct ckpt_pipe_buf b = { strlen(data),
				   packet ? CKPT_PIPE_BUF_PACKET : 0 };

	rec(CKPT_REC_PIPE_BUF, &b, sizeof(b), data, b.len);
}

/* init's file table, 1: open files 1 to 7, pipe 1. */
static void init_files(void)
{
	const uint32_t largefile = 0100000;

	files_rec(1, single ? 8 : 9);
	file(1, CKPT_FILE_CHR, O_RDONLY, 0, "/dev/null", 0);
	fd_rec(0, 1, false);
	file(2, CKPT_FILE_REG, O_WRONLY | O_APPEND | largefile, 100,
	     "/run/ckpt/c1.log", 0);
	fd_rec(1, 2, false);
	fd_rec(2, 2, false);
	pipe_rec(1, 65536, 2);
	pipe_buf("hello", false);
	pipe_buf("pkt", true);
	file(3, CKPT_FILE_PIPE, O_RDONLY, 0, NULL, 1);
	fd_rec(3, 3, false);
	file(4, CKPT_FILE_PIPE, O_WRONLY | O_NONBLOCK, 0, NULL, 1);
	fd_rec(4, 4, true);
	file(5, CKPT_FILE_REG, O_RDWR | largefile, 4096, "/tmp/data file", 0);
	fd_rec(5, 5, true);
	fd_rec(6, 5, true);
	file(6, CKPT_FILE_DIR, O_RDONLY, 0, "/tmp", 0);
	fd_rec(7, 6, false);
	if (!single) {
		file(7, CKPT_FILE_SHMEM, O_RDWR | largefile, 10, NULL, 0);
		fd_rec(9, 7, false);
	}
}

/* A UNIX record without a name, as a socket's default options have it. */
static struct ckpt_unix unix_def(uint32_t id, uint16_t type, uint32_t peer,
				 uint32_t flags, uint32_t nr_skbs)
{
	struct ckpt_unix u;

	memset(&u, 0, sizeof(u));
	u.id = id;
	u.type = type;
	u.peer = peer;
	u.flags = flags;
	u.nr_skbs = nr_skbs;
	u.sndbuf = 212992;
	u.rcvbuf = 212992;
	u.peek_off = -1;
	u.rcvlowat = 1;
	return u;
}

/* @u with its name: @len bytes (a path, or "\0" and an abstract name). */
static void unix_put(struct ckpt_unix *u, const char *name, size_t len)
{
	u->name_len = len;
	rec(CKPT_REC_UNIX, u, sizeof(*u), name, len);
}

static void unix_rec(uint32_t id, uint32_t peer, uint32_t flags,
		     uint32_t nr_skbs)
{
	struct ckpt_unix u = unix_def(id, 1 /* SOCK_STREAM */, peer, flags,
				      nr_skbs);

	unix_put(&u, NULL, 0);
}

static void unix_skb(const char *data)
{
	struct ckpt_unix_skb b;

	memset(&b, 0, sizeof(b));
	b.len = strlen(data);
	rec(CKPT_REC_UNIX_SKB, &b, sizeof(b), data, b.len);
}

/*
 * Connection @id (server end), @id + 1 (client) of listening socket @lsn:
 * the server end has a message from the client; the client @cli_msgs
 * messages back and the name @name (@len bytes), if any.
 */
static void unix_conn(uint32_t lsn, uint32_t id, uint16_t type, bool pending,
		      uint32_t cli_msgs, const char *name, size_t len)
{
	struct ckpt_unix u;
	uint32_t i;

	u = unix_def(id, type, id + 1, pending ? CKPT_UNIX_PENDING : 0, 1);
	u.listener = lsn;
	unix_put(&u, NULL, 0);
	u = unix_def(id + 1, type, id, 0, cli_msgs);
	unix_put(&u, name, len);
	unix_skb("hello");
	for (i = 0; i < cli_msgs; i++)
		unix_skb("back");
}

/* Table 2 for -x listen...: see the variants at the top. */
static void listen_files(void)
{
	static const char abstract[] = "\0cli\001ent";
	static char path[110] = "/run/srv.sock";
	bool pending_first = !strcmp(variant, "listen-pending-first");
	uint32_t acc = pending_first ? 4 : 2;
	struct ckpt_unix u;

	if (!strcmp(variant, "listen-long")) {
		memset(path + 1, 'a', 108);
		path[109] = '\0';
	}
	files_rec(2, 10);
	fd_rec(0, 1, false);
	fd_rec(3, 3, false);

	u = unix_def(1, 1 /* SOCK_STREAM */, 0, CKPT_UNIX_LISTEN, 0);
	u.backlog = 16;
	u.nr_conns = 2;
	u.mode = 0755;
	u.ino = 4242;
	unix_put(&u, path, strlen(path));
	if (pending_first)
		unix_conn(1, 2, 1, true, 0, NULL, 0);
	unix_conn(1, acc, 1, false, 1, NULL, 0);
	if (!pending_first)
		unix_conn(1, 4, 1, true,
			  !strcmp(variant, "listen-pending-msg"), NULL, 0);
	file(8, CKPT_FILE_UNIX, O_RDWR, 0, NULL, 1);
	fd_rec(4, 8, false);
	file(9, CKPT_FILE_UNIX, O_RDWR, 0, NULL, acc);
	fd_rec(5, 9, false);
	file(10, CKPT_FILE_UNIX, O_RDWR, 0, NULL, acc + 1);
	fd_rec(6, 10, false);
	file(11, CKPT_FILE_UNIX, O_RDWR, 0, NULL, 5);
	fd_rec(7, 11, false);

	u = unix_def(6, 5 /* SOCK_SEQPACKET */, 0,
		     CKPT_UNIX_LISTEN | CKPT_UNIX_AUTOBIND, 0);
	u.nr_conns = 1;
	unix_put(&u, NULL, 0);
	unix_conn(6, 7, 5, true, 0, abstract, sizeof(abstract) - 1);
	file(12, CKPT_FILE_UNIX, O_RDWR, 0, NULL, 6);
	fd_rec(8, 12, false);
	file(13, CKPT_FILE_UNIX, O_RDWR, 0, NULL, 8);
	fd_rec(9, 13, false);

	u = unix_def(9, 2 /* SOCK_DGRAM */, 0, 0, 0);
	u.mode = 0600;
	u.ino = 77;
	unix_put(&u, "/run/dg.sock", 12);
	file(14, CKPT_FILE_UNIX, O_RDWR, 0, NULL, 9);
	fd_rec(10, 14, false);

	unix_rec(10, 11, 0, 0);
	unix_rec(11, 10, CKPT_UNIX_CLOSED, 0);
	file(15, CKPT_FILE_UNIX, O_RDWR, 0, NULL, 10);
	fd_rec(11, 15, true);
}

/* A message of a group, from socket @sender, with credentials or not. */
static void unix_skb_from(const char *data, uint32_t sender, bool creds)
{
	struct ckpt_unix_skb b;

	memset(&b, 0, sizeof(b));
	b.len = strlen(data);
	b.sender = sender;
	if (creds) {
		b.flags = CKPT_UNIX_SKB_CREDS;
		b.pid = 5;
		b.uid = 1000;
		b.gid = 1000;
	}
	rec(CKPT_REC_UNIX_SKB, &b, sizeof(b), data, b.len);
}

/* Table 2 for -x dgram: see the variants at the top. */
static void dgram_files(void)
{
	struct ckpt_unix_group g = { 5, 0 };
	struct ckpt_unix u;

	files_rec(2, 7);
	fd_rec(0, 1, false);
	fd_rec(3, 3, false);

	rec(CKPT_REC_UNIX_GROUP, &g, sizeof(g), NULL, 0);
	u = unix_def(1, 2 /* SOCK_DGRAM */, 0, 0, 4);
	u.mode = 0666;
	u.ino = 99;
	unix_put(&u, "/run/log.sock", 13);
	u = unix_def(2, 2, 1, CKPT_UNIX_ONEWAY, 1);
	unix_put(&u, "\0cli", 4);
	u = unix_def(3, 2, 1, CKPT_UNIX_ONEWAY | CKPT_UNIX_AUTOBIND, 1);
	unix_put(&u, NULL, 0);
	u = unix_def(4, 2, 0, CKPT_UNIX_CLOSED, 0);
	unix_put(&u, "\0gone", 5);
	u = unix_def(5, 2, 0, 0, 0);
	unix_put(&u, NULL, 0);
	/* 1's queue: through 2's and 3's connections, to its name by 4, 5. */
	unix_skb_from("<13>one", 2, true);
	unix_skb_from("<13>two", 3, false);
	unix_skb_from("<13>bye", 4, false);
	unix_skb_from("", 5, false);
	/* 2's and 3's: from 1, by name. */
	unix_skb_from("ack", 1, false);
	unix_skb_from("ack!", 1, false);
	file(8, CKPT_FILE_UNIX, O_RDWR, 0, NULL, 1);
	fd_rec(4, 8, false);
	file(9, CKPT_FILE_UNIX, O_RDWR, 0, NULL, 2);
	fd_rec(5, 9, false);
	file(10, CKPT_FILE_UNIX, O_RDWR, 0, NULL, 3);
	fd_rec(6, 10, false);
	file(11, CKPT_FILE_UNIX, O_RDWR, 0, NULL, 5);
	fd_rec(7, 11, false);

	u = unix_def(6, 2, 7, 0, 0);
	unix_put(&u, NULL, 0);
	u = unix_def(7, 2, 6, 0, 1);
	unix_put(&u, NULL, 0);
	unix_skb("pair");
	file(12, CKPT_FILE_UNIX, O_RDWR, 0, NULL, 6);
	fd_rec(8, 12, false);
}

/*
 * Variant "tty": a pty (/dev/pts/3), before init's FILES with a CTTY
 * making it init's terminal (init leads session 1): the master holds
 * "hello", the canonical slave a line "ls\n" and "ca" being edited.
 */
static void tty_rec(void)
{
	static const unsigned char slave[] = { 'l', 's', '\n', 'c', 'a', 1 << 2 };
	struct ckpt_tty_buf b = { 1, CKPT_TTY_MASTER, 5, 0 };
	const char *ptmx = "/dev/ptmx";
	struct ckpt_tty t;

	memset(&t, 0, sizeof(t));
	t.id = 1;
	t.index = 3;
	t.path_len = strlen(ptmx);
	t.mode = 0620;
	t.gid = 5;
	t.rows = 24;
	t.cols = 80;
	t.termios.lflag = ICANON | ECHO | ISIG;
	t.termios.oflag = OPOST | ONLCR;
	t.termios.cflag = CS8 | CREAD;
	rec(CKPT_REC_TTY, &t, sizeof(t), ptmx, t.path_len);
	rec(CKPT_REC_TTY_BUF, &b, sizeof(b), "hello", 5);
	b.end = CKPT_TTY_SLAVE;
	b.flags = CKPT_TTY_BUF_CANON;
	rec(CKPT_REC_TTY_BUF, &b, sizeof(b), slave, sizeof(slave));
}

static void ctty_rec(uint32_t flags, int32_t pgrp)
{
	struct ckpt_ctty c = { 1, flags, pgrp, 0 };

	rec(CKPT_REC_CTTY, &c, sizeof(c), NULL, 0);
}

static void inotify_watch(int32_t wd, uint32_t mask, const char *path)
{
	struct ckpt_inotify_watch w = { wd, mask, strlen(path), 0 };

	rec(CKPT_REC_INOTIFY_WATCH, &w, sizeof(w), path, w.path_len);
}

static void inotify_event(int32_t wd, uint32_t mask, uint32_t cookie,
			  const char *name)
{
	struct ckpt_inotify_event e = { wd, mask, cookie, strlen(name) };

	rec(CKPT_REC_INOTIFY_EVENT, &e, sizeof(e), name, e.name_len);
}

/* Variant "inotify": open file 8, an inotify instance; see the top. */
static void inotify_recs(void)
{
	struct ckpt_inotify in = { 3, 6, 5, 0 };

	file(8, CKPT_FILE_INOTIFY, O_RDONLY | O_NONBLOCK, 0, NULL, 0);
	rec(CKPT_REC_INOTIFY, &in, sizeof(in), NULL, 0);
	inotify_watch(1, 0x100 | 0x200 | 0x40 | 0x80, "/tmp/d");
	inotify_watch(2, 0x2 | 0x80000000, "/tmp/d/f");
	inotify_watch(4, 0xfff | 0x04000000, "/tmp");
	inotify_event(-1, 0x4000, 0, "");
	inotify_event(1, 0x100, 0, "x");
	inotify_event(3, 0x2, 0, "");
	inotify_event(3, 0x8000, 0, "");
	inotify_event(1, 0x40, 7, "x");
	inotify_event(1, 0x80, 7, "y");
}

/* The file table of 5 (and 6 and 9), 2: pipe 2 and its open file 8. */
static void worker_files(void)
{
	static char page[PAGE + 1];

	if (!strncmp(variant, "listen", 6)) {
		listen_files();
		return;
	}
	if (!strcmp(variant, "dgram")) {
		dgram_files();
		return;
	}
	files_rec(2, 3);
	fd_rec(0, 1, false);
	fd_rec(3, 3, false);
	if (!strcmp(variant, "inotify")) {
		inotify_recs();
		fd_rec(4, 8, true);
		return;
	}
	if (!strcmp(variant, "tty")) {
		/* The master of pty 1, and its slave by path. */
		file(8, CKPT_FILE_TTY, O_RDWR, 0, NULL, 1);
		fd_rec(4, 8, true);
		return;
	}
	if (!strcmp(variant, "unlinked")) {
		struct ckpt_unlinked u = {
			.id = 1, .flags = CKPT_UNLINKED_LINKABLE,
			.mode = S_IFREG | 0640, .uid = 1000, .gid = 100,
			.path_len = 5, .size = 9000, .nr_pages = 2,
			.atime_ns = 1700000000000000000LL,
			.mtime_ns = 1700000000000000001LL,
		};
		struct ckpt_pages p = { 0, 1, 0 };

		memset(page, 'u', PAGE);
		rec(CKPT_REC_UNLINKED, &u, sizeof(u), "/data", 5);
		rec(CKPT_REC_PAGES, &p, sizeof(p), page, PAGE);
		p.addr = PAGE;
		rec(CKPT_REC_PAGES, &p, sizeof(p), page, PAGE);
		file(8, CKPT_FILE_UNLINKED, O_RDWR, 100, NULL, 1);
		fd_rec(4, 8, true);
		return;
	}
	if (!strncmp(variant, "unix", 4)) {
		/* Socket 1's queue, then socket 2's (the closed peer). */
		unix_rec(1, 2, 0, 2);
		unix_rec(2, 1, CKPT_UNIX_CLOSED, 0);
		unix_skb("ping");
		unix_skb("pong!");
		if (strcmp(variant, "unix-fd"))
			file(8, CKPT_FILE_UNIX, O_RDWR | O_NONBLOCK, 0, NULL, 1);
		fd_rec(4, 8, true);
		return;
	}
	if (!strcmp(variant, "full-page")) {
		memset(page, 'p', PAGE);
		pipe_rec(2, 4096, 1);
		pipe_buf(page, false);
	} else {
		pipe_rec(2, 4096, 0);
	}
	if (strcmp(variant, "pipe-fd"))
		file(8, CKPT_FILE_PIPE, O_WRONLY, 0, NULL, 2);
	fd_rec(4, 8, true);
}

static void sighand(void)
{
	static struct ckpt_sighand sh;

	memset(&sh, 0, sizeof(sh));
	sh.action[SIGINT - 1].handler = 0x401100;
	sh.action[SIGINT - 1].flags = 0x04000004;	/* SA_RESTORER|SA_SIGINFO */
	sh.action[SIGINT - 1].restorer = 0x401200;
	sh.action[SIGPIPE - 1].handler = 1;		/* SIG_IGN */
	rec(CKPT_REC_SIGHAND, &sh, sizeof(sh), NULL, 0);
}

/* SIGNALS with one pending @signo (0: none), on the process or thread. */
static void signals(int32_t signo, bool shared)
{
	struct ckpt_signals s;
	struct ckpt_siginfo si;

	memset(&s, 0, sizeof(s));
	s.blocked = 1ULL << (SIGUSR1 - 1) | 1ULL << (40 - 1);
	s.ss_flags = SS_DISABLE;
	s.nr_pending = signo != 0;
	rec(CKPT_REC_SIGNALS, &s, sizeof(s), NULL, 0);
	if (!signo)
		return;
	memset(&si, 0, sizeof(si));
	si.shared = shared;
	memcpy(si.info, &signo, sizeof(signo));
	rec(CKPT_REC_SIGINFO, &si, sizeof(si), NULL, 0);
}

static void cpu(void)
{
	static uint8_t xsave[832];
	struct ckpt_fpu f = { sizeof(xsave), 0, 0x7 };
	struct ckpt_cpu c;

	memset(&c, 0, sizeof(c));
	c.regs[16] = 0x400123;		/* ip */
	c.regs[19] = 0x7fffffffe000ULL;	/* sp */
	c.regs[10] = (uint64_t)-4;	/* ax */
	c.regs[15] = 35;		/* orig_ax: nanosleep */
	c.restart = CKPT_SYSCALL_NANOSLEEP;
	c.clockid = CLOCK_MONOTONIC;
	c.remaining_ns = 5000000000LL;
	rec(CKPT_REC_CPU, &c, sizeof(c), NULL, 0);

	memcpy(xsave + 512, &f.xfeatures, sizeof(f.xfeatures));
	rec(CKPT_REC_FPU, &f, sizeof(f), xsave, sizeof(xsave));
}

/* SysV IPC objects, then the memfd, before the task sections. */
static void objects(void)
{
	struct ckpt_sem_val vals[2] = { { 3, 1, 0 }, { 0, 0, 0 } };
	struct ckpt_shmem sh;
	struct ckpt_shm shm;
	struct ckpt_msq msq;
	struct ckpt_msg msg = { 0, 0, 0 };
	struct ckpt_sem sem;
	const char *name = "shm-buf";
	static uint8_t data[PAGE];
	struct ckpt_pages p = { 0, 1, 0 };

	if (single)
		return;
	memset(&shm, 0, sizeof(shm));
	shm.perm = (struct ckpt_ipc_perm){ 0x1234, 0, 0, 0, 0, 0, 0640, 0 };
	shm.size = 2 * PAGE;
	shm.nr_pages = 1;
	shm.cpid = 1;
	rec(CKPT_REC_SHM, &shm, sizeof(shm), NULL, 0);
	memset(data, 0x5a, sizeof(data));
	rec(CKPT_REC_PAGES, &p, sizeof(p), data, PAGE);
	memset(&msq, 0, sizeof(msq));
	msq.perm = (struct ckpt_ipc_perm){ 0x99, 32768, 0, 0, 0, 0, 0600, 0 };
	msq.qbytes = 16384;
	msq.nr_msgs = 2;
	rec(CKPT_REC_MSQ, &msq, sizeof(msq), NULL, 0);
	msg.type = 1;
	msg.len = 4;
	rec(CKPT_REC_MSG, &msg, sizeof(msg), "ping", 4);
	msg.type = 7;
	msg.len = 11;
	rec(CKPT_REC_MSG, &msg, sizeof(msg), "hello world", 11);
	memset(&sem, 0, sizeof(sem));
	sem.perm = (struct ckpt_ipc_perm){ 0x5e, 65536, 0, 0, 0, 0, 0600, 0 };
	sem.nsems = 2;
	rec(CKPT_REC_SEM, &sem, sizeof(sem), vals, sizeof(vals));

	memset(&sh, 0, sizeof(sh));
	sh.id = 0;
	sh.flags = CKPT_SHMEM_MEMFD;
	sh.size = 3 * PAGE + 100;
	sh.nr_pages = 2;
	sh.seals = 0x3;		/* F_SEAL_SEAL | F_SEAL_SHRINK */
	sh.name_len = strlen(name);
	rec(CKPT_REC_SHMEM, &sh, sizeof(sh), name, sh.name_len);
	rec(CKPT_REC_PAGES, &p, sizeof(p), data, PAGE);
	p.addr = 3 * PAGE;
	rec(CKPT_REC_PAGES, &p, sizeof(p), data, PAGE);
}

/* The section of a live task, as the TREE flags and leader-ness say. */
static void section(const struct ckpt_tree *tr, unsigned long heap_pages,
		    unsigned long ngroups)
{
	bool init = tr->pid == 1, leader = tr->pid == tr->tgid;

	task(tr, init ? ngroups : 0);
	if (leader)
		limits_timers(tr);
	if (!(tr->flags & CKPT_TREE_SHARE_FS))
		fs();
	if (leader)
		mm(init ? heap_pages : 0, init && !single);
	if (!strcmp(variant, "tty") && init) {
		tty_rec();
		ctty_rec(CKPT_CTTY_LEADER, 1);
	} else if (!strcmp(variant, "tty") && tr->pid == 5) {
		ctty_rec(0, 0);
	}
	if (init) {
		init_files();
	} else if (tr->pid == 5) {
		worker_files();
	} else if (tr->pid == 8) {
		files_rec(3, 1);	/* its own table (unshare) */
		fd_rec(0, 1, false);
	} else {
		files_rec(2, 0);	/* 5's table */
	}
	if (leader)
		sighand();
	signals(init ? SIGUSR1 : tr->pid == 6 ? SIGUSR2 : 0, init);
	if (init && !single) {
		struct ckpt_sem_undo u = { 65536, 2 };
		int16_t adj[2] = { 1, 0 };

		rec(CKPT_REC_SEM_UNDO, &u, sizeof(u), adj, sizeof(adj));
	}
	cpu();
	rec(CKPT_REC_TASK_END, NULL, 0, NULL, 0);
}

int main(int argc, char **argv)
{
	unsigned long heap_pages = 3, ngroups = 2;
	struct ckpt_trailer t;
	int opt, fd;
	size_t i;

	while ((opt = getopt(argc, argv, "1p:g:m:b:x:")) != -1) {
		if (opt == 'x')
			variant = optarg;
		else if (opt == 'p')
			heap_pages = strtoul(optarg, NULL, 0);
		else if (opt == 'g')
			ngroups = strtoul(optarg, NULL, 0);
		else if (opt == '1')
			single = true;
		else if (opt == 'm')
			monotonic_ns = strtoll(optarg, NULL, 0);
		else if (opt == 'b')
			boottime_ns = strtoll(optarg, NULL, 0);
		else
			return 2;
	}
	if (optind != argc - 1) {
		fprintf(stderr, "usage: mkimage [-1] [-p HEAP_PAGES] [-g NGROUPS] [-m MONO_NS] [-b BOOT_NS] [-x VARIANT] FILE|-\n");
		return 2;
	}
	header();
	container();
	for (i = 0; i < nr_tasks(); i++) {
		struct ckpt_tree e = tree[i];

		/* init's section has one SEM_UNDO record. */
		e.nr_sem_undo = e.pid == 1 && !single;
		rec(CKPT_REC_TREE, &e, sizeof(e), NULL, 0);
	}
	mounts();
	objects();
	for (i = 0; i < nr_tasks(); i++)
		if (tree[i].state == CKPT_TREE_LIVE)
			section(&tree[i], heap_pages, ngroups);
	t.image_len = img.len;
	t.csum = xxh64(img.p, img.len, 0);
	rec(CKPT_REC_TRAILER, &t, sizeof(t), NULL, 0);

	fd = strcmp(argv[optind], "-") ?
	     open(argv[optind], O_WRONLY | O_CREAT | O_TRUNC, 0644) : 1;
	if (fd < 0 || write_full(fd, img.p, img.len) || (fd != 1 && close(fd))) {
		perror("mkimage: write");
		return 1;
	}
	free(img.p);
	return 0;
}
