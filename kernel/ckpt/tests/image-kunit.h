/* SPDX-License-Identifier: GPL-2.0 */
/*
 * KUnit tests of the image validators in image.c, included at its end so
 * that static helpers are reachable.  Table-driven: each case is a record
 * and the errno its validator must give.
 */

#include <kunit/test.h>
#include <linux/eventpoll.h>
#include <linux/inotify.h>

struct ckpt_rec_case {
	const char *name;
	u32 type, len, expect;
	size_t size;
	int err;
	u32 tail;
};

static const struct ckpt_rec_case ckpt_rec_cases[] = {
	{ "exact", CKPT_REC_TASK, 8 + 80, CKPT_REC_TASK, 80, 0, 0 },
	{ "wrong type", CKPT_REC_CREDS, 8 + 80, CKPT_REC_TASK, 80, -EINVAL },
	{ "type zero", 0, 8, 0, 0, -EINVAL },
	{ "type past the last", CKPT_REC_MAX + 1, 8, CKPT_REC_MAX + 1, 0,
	  -EINVAL },
	{ "shorter than its header", CKPT_REC_TASK, 7, CKPT_REC_TASK, 80,
	  -EINVAL },
	{ "shorter than its payload", CKPT_REC_TASK, 8 + 79, CKPT_REC_TASK,
	  80, -EINVAL },
	{ "tail where none allowed", CKPT_REC_TASK, 8 + 81, CKPT_REC_TASK,
	  80, -EINVAL },
	{ "path tail", CKPT_REC_FILE, 8 + 56 + 10, CKPT_REC_FILE, 56, 0, 10 },
	{ "path tail too long", CKPT_REC_FILE, 8 + 56 + CKPT_PATH_MAX + 1,
	  CKPT_REC_FILE, 56, -EINVAL },
	{ "most pages", CKPT_REC_PAGES, 8 + 16 + CKPT_PAGES_MAX * 4096,
	  CKPT_REC_PAGES, 16, 0, CKPT_PAGES_MAX * 4096 },
	{ "too many pages", CKPT_REC_PAGES, 8 + 16 + CKPT_PAGES_MAX * 4096 + 1,
	  CKPT_REC_PAGES, 16, -EINVAL },
	{ "length wraps", CKPT_REC_PAGES, 0xffffffff, CKPT_REC_PAGES, 16,
	  -EINVAL },
	{ "huge fpu", CKPT_REC_FPU, 8 + 16 + CKPT_FPU_MAX + 1, CKPT_REC_FPU,
	  16, -EINVAL },
	{ "unix name of UNIX_PATH_MAX bytes", CKPT_REC_UNIX,
	  8 + 88 + UNIX_PATH_MAX, CKPT_REC_UNIX, 88, 0, UNIX_PATH_MAX },
	{ "unix name past UNIX_PATH_MAX", CKPT_REC_UNIX,
	  8 + 88 + UNIX_PATH_MAX + 1, CKPT_REC_UNIX, 88, -EINVAL },
};

static void ckpt_test_rec(struct kunit *test)
{
	int i;

	for (i = 0; i < ARRAY_SIZE(ckpt_rec_cases); i++) {
		const struct ckpt_rec_case *c = &ckpt_rec_cases[i];
		u32 tail = 0xdead;
		int err;

		err = ckpt_check_rec(c->type, c->len, c->expect, c->size, &tail);
		KUNIT_EXPECT_EQ_MSG(test, err, c->err, "case: %s", c->name);
		if (!err && !c->err)
			KUNIT_EXPECT_EQ_MSG(test, tail, c->tail, "case: %s",
					    c->name);
	}
}

static void ckpt_good_hdr(struct ckpt_hdr *h)
{
	memset(h, 0, sizeof(*h));
	h->magic = CKPT_IMAGE_MAGIC;
	h->version = CKPT_FORMAT_VERSION;
	h->arch = CKPT_ARCH_X86_64;
	h->page_size = PAGE_SIZE;
	strscpy(h->release, "6.12.0");
}

static void ckpt_test_hdr(struct kunit *test)
{
	struct ckpt_hdr h;

	ckpt_good_hdr(&h);
	KUNIT_EXPECT_EQ(test, ckpt_check_hdr(&h), 0);

	h.magic ^= 1;
	KUNIT_EXPECT_EQ(test, ckpt_check_hdr(&h), -ENOEXEC);
	ckpt_good_hdr(&h);
	h.version = CKPT_FORMAT_VERSION + 1;
	KUNIT_EXPECT_EQ(test, ckpt_check_hdr(&h), -ENOEXEC);
	ckpt_good_hdr(&h);
	h.version = 0;
	KUNIT_EXPECT_EQ(test, ckpt_check_hdr(&h), -ENOEXEC);
	ckpt_good_hdr(&h);
	h.arch = 0x40000028;	/* AUDIT_ARCH_ARM */
	KUNIT_EXPECT_EQ(test, ckpt_check_hdr(&h), -ENOEXEC);
	ckpt_good_hdr(&h);
	h.page_size = 65536;
	KUNIT_EXPECT_EQ(test, ckpt_check_hdr(&h), -ENOEXEC);
	ckpt_good_hdr(&h);
	h.flags = 1;
	KUNIT_EXPECT_EQ(test, ckpt_check_hdr(&h), -EINVAL);
	ckpt_good_hdr(&h);
	h.reserved = 1;
	KUNIT_EXPECT_EQ(test, ckpt_check_hdr(&h), -EINVAL);
	ckpt_good_hdr(&h);
	memset(h.release, 'x', sizeof(h.release));
	KUNIT_EXPECT_EQ(test, ckpt_check_hdr(&h), -EINVAL);
}

static void ckpt_test_path(struct kunit *test)
{
	static const char nul[] = "/a\0b";

	KUNIT_EXPECT_EQ(test, ckpt_check_path("/", 1), 0);
	KUNIT_EXPECT_EQ(test, ckpt_check_path("/bin/sh", 7), 0);
	KUNIT_EXPECT_EQ(test, ckpt_check_path("bin/sh", 6), -EINVAL);
	KUNIT_EXPECT_EQ(test, ckpt_check_path("", 0), -EINVAL);
	KUNIT_EXPECT_EQ(test, ckpt_check_path(nul, 4), -EINVAL);
	KUNIT_EXPECT_EQ(test, ckpt_check_path("/x", CKPT_PATH_MAX), -EINVAL);
}

static void ckpt_good_vma(struct ckpt_vma *v, u32 kind)
{
	memset(v, 0, sizeof(*v));
	v->start = 0x400000;
	v->end = 0x410000;
	v->kind = kind;
	v->flags = CKPT_VMA_READ | CKPT_VMA_WRITE;
	if (kind == CKPT_VMA_FILE)
		v->path_len = 8;
}

static void ckpt_test_vma(struct kunit *test)
{
	struct ckpt_vma v;

	ckpt_good_vma(&v, CKPT_VMA_ANON);
	KUNIT_EXPECT_EQ(test, ckpt_check_vma(&v), 0);
	v.nr_pages = 16;
	KUNIT_EXPECT_EQ(test, ckpt_check_vma(&v), 0);
	v.nr_pages = 17;
	KUNIT_EXPECT_EQ(test, ckpt_check_vma(&v), -EINVAL);

	ckpt_good_vma(&v, CKPT_VMA_ANON);
	v.end = v.start;
	KUNIT_EXPECT_EQ(test, ckpt_check_vma(&v), -EINVAL);
	ckpt_good_vma(&v, CKPT_VMA_ANON);
	v.start += 1;
	KUNIT_EXPECT_EQ(test, ckpt_check_vma(&v), -EINVAL);
	ckpt_good_vma(&v, CKPT_VMA_ANON);
	v.end = TASK_SIZE_MAX + PAGE_SIZE;
	KUNIT_EXPECT_EQ(test, ckpt_check_vma(&v), -EINVAL);
	ckpt_good_vma(&v, CKPT_VMA_ANON);
	v.flags |= 1U << 31;
	KUNIT_EXPECT_EQ(test, ckpt_check_vma(&v), -EINVAL);
	ckpt_good_vma(&v, CKPT_VMA_ANON);
	v.path_len = 3;
	KUNIT_EXPECT_EQ(test, ckpt_check_vma(&v), -EINVAL);
	ckpt_good_vma(&v, CKPT_VMA_ANON);
	v.kind = 0;
	KUNIT_EXPECT_EQ(test, ckpt_check_vma(&v), -EINVAL);
	ckpt_good_vma(&v, CKPT_VMA_ANON);
	v.kind = CKPT_VMA_SYSVSHM + 1;
	KUNIT_EXPECT_EQ(test, ckpt_check_vma(&v), -EINVAL);

	/* Shared memory: an object id, no path, no pages of its own. */
	ckpt_good_vma(&v, CKPT_VMA_SHMEM);
	v.shmem = 3;
	KUNIT_EXPECT_EQ(test, ckpt_check_vma(&v), 0);
	v.shmem = -1;
	KUNIT_EXPECT_EQ(test, ckpt_check_vma(&v), -EINVAL);
	v.shmem = 0;
	v.nr_pages = 1;
	KUNIT_EXPECT_EQ(test, ckpt_check_vma(&v), -EINVAL);
	ckpt_good_vma(&v, CKPT_VMA_SHMEM);
	v.path_len = 4;
	KUNIT_EXPECT_EQ(test, ckpt_check_vma(&v), -EINVAL);
	ckpt_good_vma(&v, CKPT_VMA_SHMEM);
	v.flags |= CKPT_VMA_MAYWRITE;
	KUNIT_EXPECT_EQ(test, ckpt_check_vma(&v), -EINVAL);
	ckpt_good_vma(&v, CKPT_VMA_ANON);
	v.shmem = 1;
	KUNIT_EXPECT_EQ(test, ckpt_check_vma(&v), -EINVAL);

	/* A shared file mapping: a path, its contents stay in the file. */
	ckpt_good_vma(&v, CKPT_VMA_FILE_SHARED);
	v.path_len = 8;
	v.flags |= CKPT_VMA_MAYWRITE;
	KUNIT_EXPECT_EQ(test, ckpt_check_vma(&v), 0);
	v.nr_pages = 1;
	KUNIT_EXPECT_EQ(test, ckpt_check_vma(&v), -EINVAL);
	v.nr_pages = 0;
	v.path_len = 0;
	KUNIT_EXPECT_EQ(test, ckpt_check_vma(&v), -EINVAL);

	ckpt_good_vma(&v, CKPT_VMA_FILE);
	KUNIT_EXPECT_EQ(test, ckpt_check_vma(&v), 0);
	v.path_len = 0;
	KUNIT_EXPECT_EQ(test, ckpt_check_vma(&v), -EINVAL);
	ckpt_good_vma(&v, CKPT_VMA_FILE);
	v.pgoff = ~0ULL;
	KUNIT_EXPECT_EQ(test, ckpt_check_vma(&v), -EINVAL);

	ckpt_good_vma(&v, CKPT_VMA_VDSO);
	KUNIT_EXPECT_EQ(test, ckpt_check_vma(&v), 0);
	v.nr_pages = 1;
	KUNIT_EXPECT_EQ(test, ckpt_check_vma(&v), -EINVAL);

	/* shmem names a SysV segment only in a SYSVSHM mapping. */
	ckpt_good_vma(&v, CKPT_VMA_ANON);
	v.shmem = 1;
	KUNIT_EXPECT_EQ(test, ckpt_check_vma(&v), -EINVAL);
	ckpt_good_vma(&v, CKPT_VMA_SYSVSHM);
	v.shmem = 32768;
	KUNIT_EXPECT_EQ(test, ckpt_check_vma(&v), 0);
	v.shmem = -1;
	KUNIT_EXPECT_EQ(test, ckpt_check_vma(&v), -EINVAL);
	ckpt_good_vma(&v, CKPT_VMA_SYSVSHM);
	v.nr_pages = 1;
	KUNIT_EXPECT_EQ(test, ckpt_check_vma(&v), -EINVAL);
	ckpt_good_vma(&v, CKPT_VMA_SYSVSHM);
	v.pgoff = 1;
	KUNIT_EXPECT_EQ(test, ckpt_check_vma(&v), -EINVAL);
	ckpt_good_vma(&v, CKPT_VMA_SYSVSHM);
	v.flags = CKPT_VMA_WRITE;
	KUNIT_EXPECT_EQ(test, ckpt_check_vma(&v), -EINVAL);
}

static void ckpt_test_pages(struct kunit *test)
{
	struct ckpt_pages p = { .addr = 0x400000, .nr_pages = 4 };
	struct ckpt_vma v;
	u64 left;

	ckpt_good_vma(&v, CKPT_VMA_ANON);
	v.nr_pages = 16;
	left = 16;
	KUNIT_EXPECT_EQ(test, ckpt_check_pages(&p, &v, &left), 0);
	KUNIT_EXPECT_EQ(test, left, 12ULL);

	p.addr = 0x40c000;	/* the last four pages */
	KUNIT_EXPECT_EQ(test, ckpt_check_pages(&p, &v, &left), 0);
	p.addr = 0x40d000;	/* one past the end */
	KUNIT_EXPECT_EQ(test, ckpt_check_pages(&p, &v, &left), -EINVAL);
	p.addr = 0x3ff000;
	KUNIT_EXPECT_EQ(test, ckpt_check_pages(&p, &v, &left), -EINVAL);
	p.addr = 0x400001;
	KUNIT_EXPECT_EQ(test, ckpt_check_pages(&p, &v, &left), -EINVAL);
	p.addr = 0x400000;
	p.nr_pages = 0;
	KUNIT_EXPECT_EQ(test, ckpt_check_pages(&p, &v, &left), -EINVAL);
	p.nr_pages = 9;		/* more than left */
	KUNIT_EXPECT_EQ(test, ckpt_check_pages(&p, &v, &left), -EINVAL);
	p.nr_pages = 1;
	p.pad = 1;
	KUNIT_EXPECT_EQ(test, ckpt_check_pages(&p, &v, &left), -EINVAL);
	/* An address so high that addr + len wraps around. */
	p.pad = 0;
	p.addr = ~0ULL & PAGE_MASK;
	KUNIT_EXPECT_EQ(test, ckpt_check_pages(&p, &v, &left), -EINVAL);
}

static void ckpt_test_file(struct kunit *test)
{
	struct ckpt_file f = {
		.id = 1, .kind = CKPT_FILE_REG, .flags = O_RDWR | O_APPEND,
		.pos = 10, .path_len = 4,
	};
	struct ckpt_file p = {
		.id = 2, .kind = CKPT_FILE_PIPE, .flags = O_WRONLY | O_NONBLOCK,
		.obj = 1,
	};

	KUNIT_EXPECT_EQ(test, ckpt_check_file(&f), 0);
	f.id = 0;
	KUNIT_EXPECT_EQ(test, ckpt_check_file(&f), -EINVAL);
	f.id = 1;
	f.pos = -1;
	KUNIT_EXPECT_EQ(test, ckpt_check_file(&f), -EINVAL);
	f.pos = 0;
	f.flags = O_RDWR | O_CREAT;
	KUNIT_EXPECT_EQ(test, ckpt_check_file(&f), -EINVAL);
	f.flags = O_RDWR | O_TRUNC;
	KUNIT_EXPECT_EQ(test, ckpt_check_file(&f), -EINVAL);
	f.flags = O_RDWR | O_CLOEXEC;	/* a descriptor's flag, not a file's */
	KUNIT_EXPECT_EQ(test, ckpt_check_file(&f), -EINVAL);
	f.flags = 3;	/* O_ACCMODE with both bits */
	KUNIT_EXPECT_EQ(test, ckpt_check_file(&f), -EINVAL);
	f.flags = O_RDONLY;
	f.path_len = 0;	/* by path, without one */
	KUNIT_EXPECT_EQ(test, ckpt_check_file(&f), -EINVAL);
	f.path_len = 4;
	f.obj = 1;
	KUNIT_EXPECT_EQ(test, ckpt_check_file(&f), -EINVAL);
	f.obj = 0;
	f.kind = CKPT_FILE_DIR;
	KUNIT_EXPECT_EQ(test, ckpt_check_file(&f), 0);
	f.flags = O_WRONLY;	/* directories are read only */
	KUNIT_EXPECT_EQ(test, ckpt_check_file(&f), -EINVAL);
	f.flags = O_RDONLY;
	f.kind = CKPT_FILE_CHR;
	f.rdev = (1 << 20) | 3;
	KUNIT_EXPECT_EQ(test, ckpt_check_file(&f), 0);
	f.rdev = (1 << 20) | 1;	/* /dev/mem */
	KUNIT_EXPECT_EQ(test, ckpt_check_file(&f), -EINVAL);
	f.rdev = (8 << 20) | 0;	/* a disk */
	KUNIT_EXPECT_EQ(test, ckpt_check_file(&f), -EINVAL);
	f.rdev = (1 << 20) | 3;
	f.kind = CKPT_FILE_UNIX + 1;	/* no such kind */
	KUNIT_EXPECT_EQ(test, ckpt_check_file(&f), -EINVAL);

	KUNIT_EXPECT_EQ(test, ckpt_check_file(&p), 0);
	p.flags = O_RDWR;	/* an end is read or write */
	KUNIT_EXPECT_EQ(test, ckpt_check_file(&p), -EINVAL);
	p.flags = O_RDONLY;
	p.obj = 0;		/* no pipe */
	KUNIT_EXPECT_EQ(test, ckpt_check_file(&p), -EINVAL);
	p.obj = 1;
	p.path_len = 4;		/* a pipe has no path */
	KUNIT_EXPECT_EQ(test, ckpt_check_file(&p), -EINVAL);
	p.path_len = 0;
	p.pos = 1;
	KUNIT_EXPECT_EQ(test, ckpt_check_file(&p), -EINVAL);
	p.pos = 0;
	p.kind = CKPT_FILE_SHMEM;
	p.obj = 0;		/* shared memory ids start at 0 */
	KUNIT_EXPECT_EQ(test, ckpt_check_file(&p), 0);
	p.obj = CKPT_SHMEM_MAX;
	KUNIT_EXPECT_EQ(test, ckpt_check_file(&p), -EINVAL);
	p.kind = CKPT_FILE_UNLINKED;
	p.obj = 1;
	p.pos = 100;
	KUNIT_EXPECT_EQ(test, ckpt_check_file(&p), 0);
	p.obj = 0;		/* UNLINKED ids start at 1 */
	KUNIT_EXPECT_EQ(test, ckpt_check_file(&p), -EINVAL);
	p.obj = 1;
	p.ino = 7;		/* identity is the UNLINKED record's */
	KUNIT_EXPECT_EQ(test, ckpt_check_file(&p), -EINVAL);
	p.ino = 0;
	p.path_len = 4;		/* no path of its own */
	KUNIT_EXPECT_EQ(test, ckpt_check_file(&p), -EINVAL);
}

static void ckpt_test_unlinked(struct kunit *test)
{
	struct ckpt_unlinked u = { .id = 1, .flags = CKPT_UNLINKED_LINKABLE,
				   .mode = S_IFREG | 0640, .path_len = 4,
				   .size = 5000, .nr_pages = 2 };

	KUNIT_EXPECT_EQ(test, ckpt_check_unlinked_rec(&u, 4, 4096), 0);
	KUNIT_EXPECT_EQ(test, ckpt_check_unlinked_rec(&u, 5, 4096), -EINVAL);
	u.nr_pages = 3;		/* more than the size holds */
	KUNIT_EXPECT_EQ(test, ckpt_check_unlinked_rec(&u, 4, 4096), -EINVAL);
	u.nr_pages = 0;		/* all holes */
	KUNIT_EXPECT_EQ(test, ckpt_check_unlinked_rec(&u, 4, 4096), 0);
	u.size = MAX_LFS_FILESIZE;
	u.nr_pages = CKPT_UNLINKED_DATA_MAX / 4096;
	KUNIT_EXPECT_EQ(test, ckpt_check_unlinked_rec(&u, 4, 4096), 0);
	u.nr_pages++;		/* over the limit */
	KUNIT_EXPECT_EQ(test, ckpt_check_unlinked_rec(&u, 4, 4096), -EFBIG);
	u.nr_pages = 0;
	u.size = (u64)MAX_LFS_FILESIZE + 1;
	KUNIT_EXPECT_EQ(test, ckpt_check_unlinked_rec(&u, 4, 4096), -EINVAL);
	u.size = 0;
	u.mode = S_IFDIR | 0755;
	KUNIT_EXPECT_EQ(test, ckpt_check_unlinked_rec(&u, 4, 4096), -EINVAL);
	u.mode = S_IFREG | 010640;
	KUNIT_EXPECT_EQ(test, ckpt_check_unlinked_rec(&u, 4, 4096), -EINVAL);
	u.mode = S_IFREG;
	KUNIT_EXPECT_EQ(test, ckpt_check_unlinked_rec(&u, 4, 4096), 0);
	u.flags = 2;
	KUNIT_EXPECT_EQ(test, ckpt_check_unlinked_rec(&u, 4, 4096), -EINVAL);
	u.flags = 0;
	u.id = 0;
	KUNIT_EXPECT_EQ(test, ckpt_check_unlinked_rec(&u, 4, 4096), -EINVAL);
	u.id = 1;
	u.path_len = 0;
	KUNIT_EXPECT_EQ(test, ckpt_check_unlinked_rec(&u, 0, 4096), -EINVAL);
	u.path_len = CKPT_PATH_MAX;
	KUNIT_EXPECT_EQ(test, ckpt_check_unlinked_rec(&u, CKPT_PATH_MAX, 4096),
			-EINVAL);
}

static void ckpt_test_pipe(struct kunit *test)
{
	struct ckpt_pipe p = { .id = 1, .size = 65536, .nr_bufs = 16 };
	struct ckpt_pipe_buf b = { .len = 100 };

	KUNIT_EXPECT_EQ(test, ckpt_check_pipe_rec(&p, 4096), 0);
	p.nr_bufs = 17;		/* more buffers than it holds */
	KUNIT_EXPECT_EQ(test, ckpt_check_pipe_rec(&p, 4096), -EINVAL);
	p.nr_bufs = 0;
	p.size = 3 * 4096;	/* not a power of two */
	KUNIT_EXPECT_EQ(test, ckpt_check_pipe_rec(&p, 4096), -EINVAL);
	p.size = 2048;		/* less than a page */
	KUNIT_EXPECT_EQ(test, ckpt_check_pipe_rec(&p, 4096), -EINVAL);
	p.size = CKPT_PIPE_MAX * 2;
	KUNIT_EXPECT_EQ(test, ckpt_check_pipe_rec(&p, 4096), -EINVAL);
	p.size = 4096;
	p.id = 0;
	KUNIT_EXPECT_EQ(test, ckpt_check_pipe_rec(&p, 4096), -EINVAL);

	KUNIT_EXPECT_EQ(test, ckpt_check_pipe_buf(&b, 100), 0);
	KUNIT_EXPECT_EQ(test, ckpt_check_pipe_buf(&b, 99), -EINVAL);
	b.len = 0;
	KUNIT_EXPECT_EQ(test, ckpt_check_pipe_buf(&b, 0), -EINVAL);
	b.len = PAGE_SIZE + 1;
	KUNIT_EXPECT_EQ(test, ckpt_check_pipe_buf(&b, PAGE_SIZE + 1), -EINVAL);
	b.len = 1;
	b.flags = 2;
	KUNIT_EXPECT_EQ(test, ckpt_check_pipe_buf(&b, 1), -EINVAL);
}

static void ckpt_test_unix(struct kunit *test)
{
	struct ckpt_unix u = {
		.id = 3, .type = SOCK_STREAM, .peer = 4, .nr_skbs = 2,
		.sndbuf = 4608, .rcvbuf = 4608, .peek_off = -1, .rcvlowat = 1,
	};
	struct ckpt_unix_skb b = { .len = 10 };
	struct ckpt_file f = {
		.id = 1, .kind = CKPT_FILE_UNIX, .flags = O_RDWR | O_NONBLOCK,
		.obj = 3,
	};

	KUNIT_EXPECT_EQ(test, ckpt_check_file(&f), 0);
	f.flags = O_RDONLY;	/* a socket's file is O_RDWR */
	KUNIT_EXPECT_EQ(test, ckpt_check_file(&f), -EINVAL);
	f.flags = O_RDWR;
	f.obj = 0;
	KUNIT_EXPECT_EQ(test, ckpt_check_file(&f), -EINVAL);

	KUNIT_EXPECT_EQ(test, ckpt_check_unix_rec(&u), 0);
	u.peer = 2;		/* the second of a pair */
	KUNIT_EXPECT_EQ(test, ckpt_check_unix_rec(&u), 0);
	u.flags = CKPT_UNIX_CLOSED;	/* closed, with messages */
	KUNIT_EXPECT_EQ(test, ckpt_check_unix_rec(&u), -EINVAL);
	u.nr_skbs = 0;
	KUNIT_EXPECT_EQ(test, ckpt_check_unix_rec(&u), 0);
	u.name_len = 5;		/* a closed end of a pair has no name */
	KUNIT_EXPECT_EQ(test, ckpt_check_unix_rec(&u), -EINVAL);
	u.name_len = 0;
	u.peer = 4;		/* only the second may be closed */
	KUNIT_EXPECT_EQ(test, ckpt_check_unix_rec(&u), -EINVAL);
	u.peer = 0;		/* or a socket of a group */
	KUNIT_EXPECT_EQ(test, ckpt_check_unix_rec(&u), 0);
	u.flags = 0;
	u.peer = 5;		/* not next to it */
	KUNIT_EXPECT_EQ(test, ckpt_check_unix_rec(&u), -EINVAL);
	u.flags = CKPT_UNIX_ONEWAY;	/* connected one way: a datagram */
	KUNIT_EXPECT_EQ(test, ckpt_check_unix_rec(&u), -EINVAL);
	u.type = SOCK_DGRAM;
	KUNIT_EXPECT_EQ(test, ckpt_check_unix_rec(&u), 0);
	u.peer = 3;		/* to itself */
	KUNIT_EXPECT_EQ(test, ckpt_check_unix_rec(&u), -EINVAL);
	u.peer = 0;
	KUNIT_EXPECT_EQ(test, ckpt_check_unix_rec(&u), -EINVAL);
	u.peer = 1;
	u.flags |= CKPT_UNIX_CLOSED;
	KUNIT_EXPECT_EQ(test, ckpt_check_unix_rec(&u), -EINVAL);
	u.flags = 0;
	u.type = SOCK_SEQPACKET;
	u.peer = 0;
	KUNIT_EXPECT_EQ(test, ckpt_check_unix_rec(&u), 0);
	u.nr_skbs = CKPT_UNIX_SKBS_MAX + 1;
	KUNIT_EXPECT_EQ(test, ckpt_check_unix_rec(&u), -EINVAL);
	u.nr_skbs = 0;
	u.type = SOCK_RAW;
	KUNIT_EXPECT_EQ(test, ckpt_check_unix_rec(&u), -EINVAL);
	u.type = SOCK_SEQPACKET;
	u.shutdown = 4;
	KUNIT_EXPECT_EQ(test, ckpt_check_unix_rec(&u), -EINVAL);
	u.shutdown = CKPT_UNIX_SHUT_RD | CKPT_UNIX_SHUT_WR;
	u.err = EPIPE;
	KUNIT_EXPECT_EQ(test, ckpt_check_unix_rec(&u), -EINVAL);
	u.err = ECONNRESET;
	KUNIT_EXPECT_EQ(test, ckpt_check_unix_rec(&u), 0);
	u.flags = 0x400;
	KUNIT_EXPECT_EQ(test, ckpt_check_unix_rec(&u), -EINVAL);
	u.flags = 0;
	u.rcvlowat = 0;
	KUNIT_EXPECT_EQ(test, ckpt_check_unix_rec(&u), -EINVAL);
	u.rcvlowat = 1;
	u.peek_off = -2;
	KUNIT_EXPECT_EQ(test, ckpt_check_unix_rec(&u), -EINVAL);
	u.peek_off = 0;
	u.sndbuf = -1;
	KUNIT_EXPECT_EQ(test, ckpt_check_unix_rec(&u), -EINVAL);
	u.sndbuf = 0;
	u.id = 0;
	KUNIT_EXPECT_EQ(test, ckpt_check_unix_rec(&u), -EINVAL);
	u.id = U32_MAX;
	KUNIT_EXPECT_EQ(test, ckpt_check_unix_rec(&u), -EINVAL);

	KUNIT_EXPECT_EQ(test, ckpt_check_unix_skb(&b, 10, SOCK_STREAM), 0);
	KUNIT_EXPECT_EQ(test, ckpt_check_unix_skb(&b, 9, SOCK_STREAM), -EINVAL);
	b.len = 0;		/* an empty datagram, not an empty stream run */
	KUNIT_EXPECT_EQ(test, ckpt_check_unix_skb(&b, 0, SOCK_DGRAM), 0);
	KUNIT_EXPECT_EQ(test, ckpt_check_unix_skb(&b, 0, SOCK_STREAM), -EINVAL);
	b.len = CKPT_UNIX_MSG_MAX + 1;
	KUNIT_EXPECT_EQ(test, ckpt_check_unix_skb(&b, b.len, SOCK_DGRAM),
			-EINVAL);
	b.len = 1;
	b.uid = 1000;		/* credentials without the flag */
	KUNIT_EXPECT_EQ(test, ckpt_check_unix_skb(&b, 1, SOCK_DGRAM), -EINVAL);
	b.flags = CKPT_UNIX_SKB_CREDS;
	KUNIT_EXPECT_EQ(test, ckpt_check_unix_skb(&b, 1, SOCK_DGRAM), -EINVAL);
	b.pid = 1;
	KUNIT_EXPECT_EQ(test, ckpt_check_unix_skb(&b, 1, SOCK_DGRAM), 0);
	b.pid = -1;
	KUNIT_EXPECT_EQ(test, ckpt_check_unix_skb(&b, 1, SOCK_DGRAM), -EINVAL);
	b.pid = 1;
	b.flags = 2;
	KUNIT_EXPECT_EQ(test, ckpt_check_unix_skb(&b, 1, SOCK_DGRAM), -EINVAL);
	b.flags = CKPT_UNIX_SKB_CREDS;
	b.sender = 1;		/* checked by the reader, which knows the group */
	KUNIT_EXPECT_EQ(test, ckpt_check_unix_skb(&b, 1, SOCK_DGRAM), 0);
}

/* A listening socket bound to a path, and a connection of it. */
static void ckpt_good_listener(struct ckpt_unix *l, struct ckpt_unix *c)
{
	*l = (struct ckpt_unix) {
		.id = 3, .type = SOCK_STREAM, .flags = CKPT_UNIX_LISTEN,
		.sndbuf = 4608, .rcvbuf = 4608, .peek_off = -1, .rcvlowat = 1,
		.nr_conns = 2, .backlog = 16, .name_len = 9, .mode = 0755,
		.ino = 12,
	};
	*c = (struct ckpt_unix) {
		.id = 4, .type = SOCK_STREAM, .peer = 5, .nr_skbs = 1,
		.sndbuf = 4608, .rcvbuf = 4608, .peek_off = -1, .rcvlowat = 1,
		.listener = 3,
	};
}

static void ckpt_test_unix_listen(struct kunit *test)
{
	struct ckpt_unix l, c;

	ckpt_good_listener(&l, &c);
	KUNIT_EXPECT_EQ(test, ckpt_check_unix_rec(&l), 0);
	KUNIT_EXPECT_EQ(test, ckpt_check_unix_rec(&c), 0);
	l.err = ECONNRESET;	/* not restored on a listener */
	KUNIT_EXPECT_EQ(test, ckpt_check_unix_rec(&l), -EINVAL);
	l.err = 0;
	c.flags = CKPT_UNIX_PENDING;
	KUNIT_EXPECT_EQ(test, ckpt_check_unix_rec(&c), 0);
	l.type = SOCK_SEQPACKET;
	KUNIT_EXPECT_EQ(test, ckpt_check_unix_rec(&l), 0);
	l.backlog = 0;
	l.nr_conns = 0;
	KUNIT_EXPECT_EQ(test, ckpt_check_unix_rec(&l), 0);
	l.nr_conns = CKPT_UNIX_CONNS_MAX;
	KUNIT_EXPECT_EQ(test, ckpt_check_unix_rec(&l), 0);
	/* Autobound: no name, inode nor mode of its own. */
	l.name_len = 0;
	l.mode = 0;
	l.ino = 0;
	l.flags |= CKPT_UNIX_AUTOBIND;
	KUNIT_EXPECT_EQ(test, ckpt_check_unix_rec(&l), 0);
	/* An abstract name: no inode nor mode (checked by the reader). */
	l.flags = CKPT_UNIX_LISTEN;
	l.name_len = 1;
	KUNIT_EXPECT_EQ(test, ckpt_check_unix_rec(&l), 0);

	/* The listening socket: named, alone, a connection-oriented type. */
	ckpt_good_listener(&l, &c);
	l.peer = 4;
	KUNIT_EXPECT_EQ(test, ckpt_check_unix_rec(&l), -EINVAL);
	l.peer = 2;
	KUNIT_EXPECT_EQ(test, ckpt_check_unix_rec(&l), -EINVAL);
	ckpt_good_listener(&l, &c);
	l.type = SOCK_DGRAM;
	KUNIT_EXPECT_EQ(test, ckpt_check_unix_rec(&l), -EINVAL);
	ckpt_good_listener(&l, &c);
	l.backlog = -1;
	KUNIT_EXPECT_EQ(test, ckpt_check_unix_rec(&l), -EINVAL);
	ckpt_good_listener(&l, &c);
	l.nr_conns = CKPT_UNIX_CONNS_MAX + 1;
	KUNIT_EXPECT_EQ(test, ckpt_check_unix_rec(&l), -EINVAL);
	ckpt_good_listener(&l, &c);
	l.listener = 1;
	KUNIT_EXPECT_EQ(test, ckpt_check_unix_rec(&l), -EINVAL);
	ckpt_good_listener(&l, &c);
	l.flags |= CKPT_UNIX_PENDING;
	KUNIT_EXPECT_EQ(test, ckpt_check_unix_rec(&l), -EINVAL);
	ckpt_good_listener(&l, &c);
	l.nr_skbs = 1;
	KUNIT_EXPECT_EQ(test, ckpt_check_unix_rec(&l), -EINVAL);
	ckpt_good_listener(&l, &c);
	l.name_len = 0;		/* nor a name, nor autobind */
	l.mode = 0;
	l.ino = 0;
	KUNIT_EXPECT_EQ(test, ckpt_check_unix_rec(&l), -EINVAL);

	/* A backlog or connections without CKPT_UNIX_LISTEN. */
	ckpt_good_listener(&l, &c);
	l.flags = 0;
	KUNIT_EXPECT_EQ(test, ckpt_check_unix_rec(&l), -EINVAL);
	l.nr_conns = 0;
	KUNIT_EXPECT_EQ(test, ckpt_check_unix_rec(&l), -EINVAL);
	l.backlog = 0;
	KUNIT_EXPECT_EQ(test, ckpt_check_unix_rec(&l), 0);
	l.nr_conns = 1;
	KUNIT_EXPECT_EQ(test, ckpt_check_unix_rec(&l), -EINVAL);

	/* The server end: after its listener, first of its pair, unnamed. */
	ckpt_good_listener(&l, &c);
	c.listener = 4;
	KUNIT_EXPECT_EQ(test, ckpt_check_unix_rec(&c), -EINVAL);
	c.listener = 5;
	KUNIT_EXPECT_EQ(test, ckpt_check_unix_rec(&c), -EINVAL);
	ckpt_good_listener(&l, &c);
	c.peer = 0;
	c.nr_skbs = 0;
	KUNIT_EXPECT_EQ(test, ckpt_check_unix_rec(&c), -EINVAL);
	c.peer = 3;		/* the second of a pair: the client */
	KUNIT_EXPECT_EQ(test, ckpt_check_unix_rec(&c), -EINVAL);
	ckpt_good_listener(&l, &c);
	c.name_len = 5;
	KUNIT_EXPECT_EQ(test, ckpt_check_unix_rec(&c), -EINVAL);
	ckpt_good_listener(&l, &c);
	c.flags = CKPT_UNIX_AUTOBIND;
	KUNIT_EXPECT_EQ(test, ckpt_check_unix_rec(&c), -EINVAL);
	ckpt_good_listener(&l, &c);
	c.type = SOCK_DGRAM;
	KUNIT_EXPECT_EQ(test, ckpt_check_unix_rec(&c), -EINVAL);
	ckpt_good_listener(&l, &c);
	c.flags = CKPT_UNIX_CLOSED;
	KUNIT_EXPECT_EQ(test, ckpt_check_unix_rec(&c), -EINVAL);
	/* PENDING only for the server end of a listener's connection. */
	ckpt_good_listener(&l, &c);
	c.listener = 0;
	KUNIT_EXPECT_EQ(test, ckpt_check_unix_rec(&c), 0);
	c.flags = CKPT_UNIX_PENDING;
	KUNIT_EXPECT_EQ(test, ckpt_check_unix_rec(&c), -EINVAL);
	c.id = 5;
	c.peer = 4;
	c.nr_skbs = 0;
	KUNIT_EXPECT_EQ(test, ckpt_check_unix_rec(&c), -EINVAL);
}

static void ckpt_test_unix_name(struct kunit *test)
{
	struct ckpt_unix l, c;

	ckpt_good_listener(&l, &c);
	l.name_len = UNIX_PATH_MAX;
	KUNIT_EXPECT_EQ(test, ckpt_check_unix_rec(&l), 0);
	l.name_len = UNIX_PATH_MAX + 1;
	KUNIT_EXPECT_EQ(test, ckpt_check_unix_rec(&l), -EINVAL);
	l.name_len = U32_MAX;
	KUNIT_EXPECT_EQ(test, ckpt_check_unix_rec(&l), -EINVAL);
	ckpt_good_listener(&l, &c);
	l.flags |= CKPT_UNIX_AUTOBIND;	/* a name and autobind */
	KUNIT_EXPECT_EQ(test, ckpt_check_unix_rec(&l), -EINVAL);
	ckpt_good_listener(&l, &c);
	l.mode = 010000;
	KUNIT_EXPECT_EQ(test, ckpt_check_unix_rec(&l), -EINVAL);
	l.mode = 07777;
	KUNIT_EXPECT_EQ(test, ckpt_check_unix_rec(&l), 0);
	ckpt_good_listener(&l, &c);
	l.pad = 1;
	KUNIT_EXPECT_EQ(test, ckpt_check_unix_rec(&l), -EINVAL);

	/* An inode number or mode without a name. */
	ckpt_good_listener(&l, &c);
	c.ino = 12;
	KUNIT_EXPECT_EQ(test, ckpt_check_unix_rec(&c), -EINVAL);
	c.ino = 0;
	c.mode = 0600;
	KUNIT_EXPECT_EQ(test, ckpt_check_unix_rec(&c), -EINVAL);
	ckpt_good_listener(&l, &c);
	l.flags |= CKPT_UNIX_AUTOBIND;
	l.name_len = 0;
	KUNIT_EXPECT_EQ(test, ckpt_check_unix_rec(&l), -EINVAL);
	l.ino = 0;
	KUNIT_EXPECT_EQ(test, ckpt_check_unix_rec(&l), -EINVAL);
	l.mode = 0;
	KUNIT_EXPECT_EQ(test, ckpt_check_unix_rec(&l), 0);

	/* The client of a connection, and a datagram socket, may be named. */
	ckpt_good_listener(&l, &c);
	c.id = 5;
	c.peer = 4;
	c.listener = 0;
	c.name_len = 4;
	KUNIT_EXPECT_EQ(test, ckpt_check_unix_rec(&c), 0);
	c.type = SOCK_DGRAM;
	c.peer = 0;
	c.nr_skbs = 0;
	KUNIT_EXPECT_EQ(test, ckpt_check_unix_rec(&c), 0);
}

static void ckpt_test_cpu(struct kunit *test)
{
	struct ckpt_cpu c = { };

	KUNIT_EXPECT_EQ(test, ckpt_check_cpu(&c), 0);
	c.restart = CKPT_SYSCALL_NANOSLEEP;
	c.clockid = CLOCK_MONOTONIC;
	c.remaining_ns = 1000;
	c.rmtp_type = 1;
	c.rmtp = 0x1000;
	KUNIT_EXPECT_EQ(test, ckpt_check_cpu(&c), 0);
	c.clockid = CLOCK_PROCESS_CPUTIME_ID;
	KUNIT_EXPECT_EQ(test, ckpt_check_cpu(&c), -EINVAL);
	c.clockid = CLOCK_MONOTONIC;
	c.remaining_ns = -1;
	KUNIT_EXPECT_EQ(test, ckpt_check_cpu(&c), -EINVAL);
	c.remaining_ns = 0;
	c.rmtp_type = 2;	/* compat */
	KUNIT_EXPECT_EQ(test, ckpt_check_cpu(&c), -EINVAL);
	c.rmtp_type = 1;
	c.rmtp = TASK_SIZE_MAX;
	KUNIT_EXPECT_EQ(test, ckpt_check_cpu(&c), -EINVAL);
	c.rmtp = 0;
	c.restart = 2;
	KUNIT_EXPECT_EQ(test, ckpt_check_cpu(&c), -EINVAL);
	memset(&c, 0, sizeof(c));
	c.clockid = CLOCK_MONOTONIC;	/* fields of another kind */
	KUNIT_EXPECT_EQ(test, ckpt_check_cpu(&c), -EINVAL);
	c.clockid = 0;
	c.pad = 1;
	KUNIT_EXPECT_EQ(test, ckpt_check_cpu(&c), -EINVAL);
}

static void ckpt_test_posix_timer(struct kunit *test)
{
	struct ckpt_posix_timer t = {
		.id = 3, .clock = CLOCK_MONOTONIC, .notify = SIGEV_SIGNAL,
		.signo = SIGRTMIN, .value_ns = 1000, .interval_ns = 1000,
	};

	KUNIT_EXPECT_EQ(test, ckpt_check_posix_timer(&t), 0);
	t.flags = CKPT_TIMER_PENDING;
	t.overrun = 7;
	KUNIT_EXPECT_EQ(test, ckpt_check_posix_timer(&t), 0);
	t.notify = SIGEV_NONE;		/* never queues its signal */
	KUNIT_EXPECT_EQ(test, ckpt_check_posix_timer(&t), -EINVAL);
	t.flags = 0;			/* an overrun needs a pending signal */
	KUNIT_EXPECT_EQ(test, ckpt_check_posix_timer(&t), -EINVAL);
	t.overrun = 0;
	KUNIT_EXPECT_EQ(test, ckpt_check_posix_timer(&t), 0);
	t.tid = 1;			/* only SIGEV_THREAD_ID has a tid */
	KUNIT_EXPECT_EQ(test, ckpt_check_posix_timer(&t), -EINVAL);
	t.notify = SIGEV_SIGNAL | SIGEV_THREAD_ID;
	KUNIT_EXPECT_EQ(test, ckpt_check_posix_timer(&t), 0);
	t.notify = SIGEV_THREAD | SIGEV_THREAD_ID;
	KUNIT_EXPECT_EQ(test, ckpt_check_posix_timer(&t), -EINVAL);
	t.notify = SIGEV_SIGNAL;
	t.tid = 0;
	t.clock = CLOCK_PROCESS_CPUTIME_ID;
	KUNIT_EXPECT_EQ(test, ckpt_check_posix_timer(&t), -EINVAL);
	t.clock = CLOCK_BOOTTIME_ALARM;
	KUNIT_EXPECT_EQ(test, ckpt_check_posix_timer(&t), -EINVAL);
	t.clock = CLOCK_MONOTONIC;
	t.flags = CKPT_TIMER_ABSTIME;	/* CLOCK_REALTIME only */
	KUNIT_EXPECT_EQ(test, ckpt_check_posix_timer(&t), -EINVAL);
	t.clock = CLOCK_REALTIME;
	KUNIT_EXPECT_EQ(test, ckpt_check_posix_timer(&t), 0);
	t.flags = 4;
	KUNIT_EXPECT_EQ(test, ckpt_check_posix_timer(&t), -EINVAL);
	t.flags = 0;
	t.id = -1;
	KUNIT_EXPECT_EQ(test, ckpt_check_posix_timer(&t), -EINVAL);
	t.id = 3;
	t.value_ns = 0;			/* an interval without a value */
	KUNIT_EXPECT_EQ(test, ckpt_check_posix_timer(&t), -EINVAL);
	t.value_ns = (u64)KTIME_MAX + 1;
	KUNIT_EXPECT_EQ(test, ckpt_check_posix_timer(&t), -EINVAL);
	t.value_ns = 1;
	t.overrun_last = (u32)INT_MAX + 1;
	KUNIT_EXPECT_EQ(test, ckpt_check_posix_timer(&t), -EINVAL);
}

static void ckpt_test_event_files(struct kunit *test)
{
	struct ckpt_file f = { .id = 3, .kind = CKPT_FILE_EVENTFD,
			       .flags = O_RDWR | O_NONBLOCK };
	struct ckpt_eventfd e = { .count = ULLONG_MAX - 1,
				  .flags = CKPT_EVENTFD_SEMAPHORE };
	struct ckpt_signalfd s = { .mask = BIT_ULL(SIGUSR1 - 1) };
	struct ckpt_timerfd t = { .clockid = CLOCK_MONOTONIC, .value_ns = 1,
				  .interval_ns = 1000000, .ticks = 7 };
	struct ckpt_epoll_item it = { .file = 2, .fd = 5,
				      .events = (__force u32)(EPOLLIN | EPOLLET),
				      .data = ~0ULL };

	KUNIT_EXPECT_EQ(test, ckpt_check_file(&f), 0);
	f.kind = CKPT_FILE_EPOLL;
	KUNIT_EXPECT_EQ(test, ckpt_check_file(&f), 0);
	f.obj = 1;		/* anonymous: no object */
	KUNIT_EXPECT_EQ(test, ckpt_check_file(&f), -EINVAL);
	f.obj = 0;
	f.flags = O_RDONLY;
	KUNIT_EXPECT_EQ(test, ckpt_check_file(&f), -EINVAL);
	f.flags = O_RDWR;
	f.path_len = 3;
	KUNIT_EXPECT_EQ(test, ckpt_check_file(&f), -EINVAL);

	KUNIT_EXPECT_EQ(test, ckpt_check_eventfd(&e), 0);
	e.count = ULLONG_MAX;	/* more than a write can make */
	KUNIT_EXPECT_EQ(test, ckpt_check_eventfd(&e), -EINVAL);
	e.count = 0;
	e.flags = 2;
	KUNIT_EXPECT_EQ(test, ckpt_check_eventfd(&e), -EINVAL);
	e.flags = 0;
	e.pad = 1;
	KUNIT_EXPECT_EQ(test, ckpt_check_eventfd(&e), -EINVAL);

	KUNIT_EXPECT_EQ(test, ckpt_check_signalfd(&s), 0);
	s.mask |= BIT_ULL(SIGKILL - 1);
	KUNIT_EXPECT_EQ(test, ckpt_check_signalfd(&s), -EINVAL);
	s.mask = BIT_ULL(SIGSTOP - 1);
	KUNIT_EXPECT_EQ(test, ckpt_check_signalfd(&s), -EINVAL);

	KUNIT_EXPECT_EQ(test, ckpt_check_timerfd(&t), 0);
	t.clockid = CLOCK_BOOTTIME_ALARM;
	KUNIT_EXPECT_EQ(test, ckpt_check_timerfd(&t), -EINVAL);
	t.clockid = CLOCK_PROCESS_CPUTIME_ID;
	KUNIT_EXPECT_EQ(test, ckpt_check_timerfd(&t), -EINVAL);
	t.clockid = CLOCK_REALTIME;
	t.flags = CKPT_TIMERFD_ABSTIME;
	KUNIT_EXPECT_EQ(test, ckpt_check_timerfd(&t), 0);
	t.flags = 2;
	KUNIT_EXPECT_EQ(test, ckpt_check_timerfd(&t), -EINVAL);
	t.flags = 0;
	t.value_ns = -1;
	KUNIT_EXPECT_EQ(test, ckpt_check_timerfd(&t), -EINVAL);
	t.value_ns = 0;
	t.interval_ns = -1;
	KUNIT_EXPECT_EQ(test, ckpt_check_timerfd(&t), -EINVAL);

	KUNIT_EXPECT_EQ(test, ckpt_check_epoll_item(&it, 3), 0);
	KUNIT_EXPECT_EQ(test, ckpt_check_epoll_item(&it, 2), -EINVAL);
	it.file = 0;
	KUNIT_EXPECT_EQ(test, ckpt_check_epoll_item(&it, 3), -EINVAL);
	it.file = 1;
	it.fd = -1;
	KUNIT_EXPECT_EQ(test, ckpt_check_epoll_item(&it, 3), -EINVAL);
	it.fd = 0;
	it.events = (__force u32)(EPOLLIN | EPOLLONESHOT | EPOLLEXCLUSIVE);
	KUNIT_EXPECT_EQ(test, ckpt_check_epoll_item(&it, 3), 0);
	it.events = (__force u32)EPOLLIN;
	it.pad = 1;
	KUNIT_EXPECT_EQ(test, ckpt_check_epoll_item(&it, 3), -EINVAL);
}

static void ckpt_test_inotify(struct kunit *test)
{
	struct ckpt_file f = { .id = 4, .kind = CKPT_FILE_INOTIFY,
			       .flags = O_RDONLY | O_NONBLOCK };
	struct ckpt_inotify in = { .nr_watches = 3, .nr_events = 2,
				   .next_wd = 4 };
	struct ckpt_inotify_watch w = { .wd = 2, .mask = IN_MODIFY | IN_ONESHOT,
					.path_len = 6 };
	struct ckpt_inotify_event e = { .wd = 2, .mask = IN_CREATE | IN_ISDIR,
					.cookie = 9, .name_len = NAME_MAX };

	KUNIT_EXPECT_EQ(test, ckpt_check_file(&f), 0);
	f.flags = O_RDWR;	/* inotify_init1() makes it O_RDONLY */
	KUNIT_EXPECT_EQ(test, ckpt_check_file(&f), -EINVAL);
	f.flags = O_RDONLY;
	f.path_len = 4;
	KUNIT_EXPECT_EQ(test, ckpt_check_file(&f), -EINVAL);

	KUNIT_EXPECT_EQ(test, ckpt_check_inotify(&in), 0);
	in.next_wd = (u32)INT_MAX + 1;	/* after wd INT_MAX: wraps to 1 */
	KUNIT_EXPECT_EQ(test, ckpt_check_inotify(&in), 0);
	in.next_wd = (u32)INT_MAX + 2;
	KUNIT_EXPECT_EQ(test, ckpt_check_inotify(&in), -EINVAL);
	in.next_wd = 0;
	in.nr_watches = CKPT_INOTIFY_WATCHES_MAX + 1;
	KUNIT_EXPECT_EQ(test, ckpt_check_inotify(&in), -EINVAL);
	in.nr_watches = 0;
	in.nr_events = CKPT_INOTIFY_EVENTS_MAX + 1;
	KUNIT_EXPECT_EQ(test, ckpt_check_inotify(&in), -EINVAL);
	in.nr_events = 0;
	in.pad = 1;
	KUNIT_EXPECT_EQ(test, ckpt_check_inotify(&in), -EINVAL);

	KUNIT_EXPECT_EQ(test, ckpt_check_inotify_watch(&w, 1), 0);
	KUNIT_EXPECT_EQ(test, ckpt_check_inotify_watch(&w, 2), -EINVAL);
	w.wd = 0;
	KUNIT_EXPECT_EQ(test, ckpt_check_inotify_watch(&w, 0), -EINVAL);
	w.wd = -1;
	KUNIT_EXPECT_EQ(test, ckpt_check_inotify_watch(&w, -5), -EINVAL);
	w.wd = INT_MAX;
	w.mask = 0;		/* a watch added with IN_DONT_FOLLOW alone */
	KUNIT_EXPECT_EQ(test, ckpt_check_inotify_watch(&w, 1), 0);
	w.mask = IN_ALL_EVENTS | IN_EXCL_UNLINK | IN_ONESHOT;
	KUNIT_EXPECT_EQ(test, ckpt_check_inotify_watch(&w, 1), 0);
	w.mask = IN_MASK_CREATE;	/* acts when added, never kept */
	KUNIT_EXPECT_EQ(test, ckpt_check_inotify_watch(&w, 1), -EINVAL);
	w.mask = IN_ISDIR;
	KUNIT_EXPECT_EQ(test, ckpt_check_inotify_watch(&w, 1), -EINVAL);
	w.mask = IN_MODIFY;
	w.path_len = 0;
	KUNIT_EXPECT_EQ(test, ckpt_check_inotify_watch(&w, 1), -EINVAL);
	w.path_len = CKPT_PATH_MAX;
	KUNIT_EXPECT_EQ(test, ckpt_check_inotify_watch(&w, 1), -EINVAL);
	w.path_len = 1;
	w.pad = 1;
	KUNIT_EXPECT_EQ(test, ckpt_check_inotify_watch(&w, 1), -EINVAL);

	KUNIT_EXPECT_EQ(test, ckpt_check_inotify_event(&e), 0);
	e.name_len = NAME_MAX + 1;
	KUNIT_EXPECT_EQ(test, ckpt_check_inotify_event(&e), -EINVAL);
	e.name_len = 0;
	e.mask = 0;
	KUNIT_EXPECT_EQ(test, ckpt_check_inotify_event(&e), -EINVAL);
	e.mask = IN_ONESHOT;	/* a watch's flag, never an event's */
	KUNIT_EXPECT_EQ(test, ckpt_check_inotify_event(&e), -EINVAL);
	e.mask = IN_IGNORED;
	KUNIT_EXPECT_EQ(test, ckpt_check_inotify_event(&e), 0);
	e.wd = 0;
	KUNIT_EXPECT_EQ(test, ckpt_check_inotify_event(&e), -EINVAL);
	e.wd = -1;
	e.cookie = 0;
	e.mask = IN_Q_OVERFLOW;
	KUNIT_EXPECT_EQ(test, ckpt_check_inotify_event(&e), 0);
	e.wd = 1;
	KUNIT_EXPECT_EQ(test, ckpt_check_inotify_event(&e), -EINVAL);
	e.wd = -1;
	e.mask = IN_Q_OVERFLOW | IN_MODIFY;
	KUNIT_EXPECT_EQ(test, ckpt_check_inotify_event(&e), -EINVAL);
	e.mask = IN_Q_OVERFLOW;
	e.name_len = 1;
	KUNIT_EXPECT_EQ(test, ckpt_check_inotify_event(&e), -EINVAL);

	KUNIT_EXPECT_EQ(test, ckpt_check_inotify_name("a.b", 3), 0);
	KUNIT_EXPECT_EQ(test, ckpt_check_inotify_name("a/b", 3), -EINVAL);
	KUNIT_EXPECT_EQ(test, ckpt_check_inotify_name("a\0b", 3), -EINVAL);
	KUNIT_EXPECT_EQ(test, ckpt_check_inotify_name("", 0), -EINVAL);
}

static void ckpt_test_mount_path(struct kunit *test)
{
	static const struct { const char *p; int err; } cases[] = {
		{ "/", 0 }, { "/a", 0 }, { "/a/b.c/..d", 0 }, { "/...", 0 },
		{ "", -EINVAL }, { "a/b", -EINVAL }, { "//", -EINVAL },
		{ "/a//b", -EINVAL }, { "/a/", -EINVAL }, { "/a/./b", -EINVAL },
		{ "/a/../b", -EINVAL }, { "/..", -EINVAL }, { "/.", -EINVAL },
	};
	char name[NAME_MAX + 3] = "/";
	int i;

	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		const char *p = cases[i].p;

		KUNIT_EXPECT_EQ_MSG(test, ckpt_check_mount_path(p, strlen(p)),
				    cases[i].err, "path \"%s\"", p);
	}
	KUNIT_EXPECT_EQ(test, ckpt_check_mount_path("/a\0b", 4), -EINVAL);
	memset(name + 1, 'x', NAME_MAX + 1);
	KUNIT_EXPECT_EQ(test, ckpt_check_mount_path(name, NAME_MAX + 2), -EINVAL);
	KUNIT_EXPECT_EQ(test, ckpt_check_mount_path(name, NAME_MAX + 1), 0);

	KUNIT_EXPECT_EQ(test, ckpt_check_file_name("f", 1), 0);
	KUNIT_EXPECT_EQ(test, ckpt_check_file_name("...", 3), 0);
	KUNIT_EXPECT_EQ(test, ckpt_check_file_name("", 0), -EINVAL);
	KUNIT_EXPECT_EQ(test, ckpt_check_file_name(".", 1), -EINVAL);
	KUNIT_EXPECT_EQ(test, ckpt_check_file_name("..", 2), -EINVAL);
	KUNIT_EXPECT_EQ(test, ckpt_check_file_name("a/b", 3), -EINVAL);
	KUNIT_EXPECT_EQ(test, ckpt_check_file_name("a\0b", 3), -EINVAL);
	KUNIT_EXPECT_EQ(test, ckpt_check_file_name(name + 1, NAME_MAX + 1),
			-EINVAL);
}

static void ckpt_good_mount(struct ckpt_mount *m, u32 kind)
{
	memset(m, 0, sizeof(*m));
	m->id = 2;
	m->parent = 1;
	m->kind = kind;
	m->flags = CKPT_MOUNT_NOSUID | CKPT_MOUNT_RELATIME;
	m->path_len = 4;
	m->fstype_len = 5;
	if (kind == CKPT_MOUNT_BIND)
		m->source_len = 3;
	if (kind == CKPT_MOUNT_TMPFS) {
		m->mode = 01777;
		m->nr_entries = 1;
		m->size = 1 << 20;
	}
}

static void ckpt_test_mount(struct kunit *test)
{
	struct ckpt_mount m;
	u32 k;

	for (k = CKPT_MOUNT_HOST; k <= CKPT_MOUNT_TMPFS; k++) {
		ckpt_good_mount(&m, k);
		KUNIT_EXPECT_EQ_MSG(test, ckpt_check_mount(&m, 9 + m.source_len),
				    0, "kind %u", k);
		KUNIT_EXPECT_EQ(test, ckpt_check_mount(&m, 10 + m.source_len),
				-EINVAL);
		m.parent = 2;
		KUNIT_EXPECT_EQ(test, ckpt_check_mount(&m, 9 + m.source_len),
				-EINVAL);
		ckpt_good_mount(&m, k);
		m.parent = 0;
		KUNIT_EXPECT_EQ(test, ckpt_check_mount(&m, 9 + m.source_len),
				-EINVAL);
		ckpt_good_mount(&m, k);
		m.flags |= CKPT_MOUNT_NOATIME;
		KUNIT_EXPECT_EQ(test, ckpt_check_mount(&m, 9 + m.source_len),
				-EINVAL);
		ckpt_good_mount(&m, k);
		m.flags = 1U << 9;
		KUNIT_EXPECT_EQ(test, ckpt_check_mount(&m, 9 + m.source_len),
				-EINVAL);
		ckpt_good_mount(&m, k);
		m.fstype_len = CKPT_FSTYPE_MAX;
		KUNIT_EXPECT_EQ(test, ckpt_check_mount(&m, 4 + CKPT_FSTYPE_MAX +
						       m.source_len), -EINVAL);
		ckpt_good_mount(&m, k);
		m.path_len = CKPT_PATH_MAX;
		KUNIT_EXPECT_EQ(test, ckpt_check_mount(&m, CKPT_PATH_MAX + 5 +
						       m.source_len), -EINVAL);
	}
	/* The root: id 1, parent 0, HOST only. */
	ckpt_good_mount(&m, CKPT_MOUNT_HOST);
	m.id = 1;
	m.parent = 0;
	KUNIT_EXPECT_EQ(test, ckpt_check_mount(&m, 9), 0);
	ckpt_good_mount(&m, CKPT_MOUNT_PROC);
	m.id = 1;
	m.parent = 0;
	KUNIT_EXPECT_EQ(test, ckpt_check_mount(&m, 9), -EINVAL);
	ckpt_good_mount(&m, CKPT_MOUNT_HOST);
	m.id = 0;
	m.parent = 0;
	KUNIT_EXPECT_EQ(test, ckpt_check_mount(&m, 9), -EINVAL);
	ckpt_good_mount(&m, CKPT_MOUNT_HOST);
	m.id = CKPT_MOUNTS_MAX + 1;
	KUNIT_EXPECT_EQ(test, ckpt_check_mount(&m, 9), -EINVAL);
	/* Kinds and their fields. */
	ckpt_good_mount(&m, 5);
	KUNIT_EXPECT_EQ(test, ckpt_check_mount(&m, 9), -EINVAL);
	ckpt_good_mount(&m, CKPT_MOUNT_HOST);
	m.source_len = 1;
	KUNIT_EXPECT_EQ(test, ckpt_check_mount(&m, 10), -EINVAL);
	ckpt_good_mount(&m, CKPT_MOUNT_BIND);
	m.source_len = 0;
	KUNIT_EXPECT_EQ(test, ckpt_check_mount(&m, 9), -EINVAL);
	ckpt_good_mount(&m, CKPT_MOUNT_HOST);
	m.flags |= CKPT_MOUNT_SB_RDONLY;
	KUNIT_EXPECT_EQ(test, ckpt_check_mount(&m, 9), -EINVAL);
	ckpt_good_mount(&m, CKPT_MOUNT_BIND);
	m.gid = 1;
	KUNIT_EXPECT_EQ(test, ckpt_check_mount(&m, 12), -EINVAL);
	ckpt_good_mount(&m, CKPT_MOUNT_PROC);
	m.opts = 2 | CKPT_MOUNT_PROC_SUBSET;
	m.gid = 5;
	m.flags |= CKPT_MOUNT_SB_RDONLY;
	KUNIT_EXPECT_EQ(test, ckpt_check_mount(&m, 9), 0);
	m.opts = 3;
	KUNIT_EXPECT_EQ(test, ckpt_check_mount(&m, 9), -EINVAL);
	m.opts = 1U << 9;
	KUNIT_EXPECT_EQ(test, ckpt_check_mount(&m, 9), -EINVAL);
	ckpt_good_mount(&m, CKPT_MOUNT_PROC);
	m.nr_entries = 1;
	KUNIT_EXPECT_EQ(test, ckpt_check_mount(&m, 9), -EINVAL);
	ckpt_good_mount(&m, CKPT_MOUNT_TMPFS);
	m.opts = 1;
	KUNIT_EXPECT_EQ(test, ckpt_check_mount(&m, 9), -EINVAL);
	ckpt_good_mount(&m, CKPT_MOUNT_TMPFS);
	m.mode = 010000;
	KUNIT_EXPECT_EQ(test, ckpt_check_mount(&m, 9), -EINVAL);
	ckpt_good_mount(&m, CKPT_MOUNT_TMPFS);
	m.nr_entries = 0;
	KUNIT_EXPECT_EQ(test, ckpt_check_mount(&m, 9), -EINVAL);
	m.nr_entries = CKPT_TMPFS_ENTRIES_MAX + 1;
	KUNIT_EXPECT_EQ(test, ckpt_check_mount(&m, 9), -EINVAL);
	ckpt_good_mount(&m, CKPT_MOUNT_TMPFS);
	m.size = U64_MAX;
	KUNIT_EXPECT_EQ(test, ckpt_check_mount(&m, 9), -EINVAL);

	/* The strings. */
	ckpt_good_mount(&m, CKPT_MOUNT_TMPFS);
	KUNIT_EXPECT_EQ(test, ckpt_check_mount_strings(&m, "/tmp", NULL,
						       "tmpfs"), 0);
	KUNIT_EXPECT_EQ(test, ckpt_check_mount_strings(&m, "/tmp", NULL,
						       "ramfs"), -EINVAL);
	KUNIT_EXPECT_EQ(test, ckpt_check_mount_strings(&m, "/../", NULL,
						       "tmpfs"), -EINVAL);
	m.path_len = 1;
	KUNIT_EXPECT_EQ(test, ckpt_check_mount_strings(&m, "/", NULL, "tmpfs"),
			-EINVAL);
	ckpt_good_mount(&m, CKPT_MOUNT_HOST);
	m.id = 1;
	m.parent = 0;
	m.path_len = 1;
	KUNIT_EXPECT_EQ(test, ckpt_check_mount_strings(&m, "/", NULL,
						       "tmpfs"), 0);
	m.fstype_len = 4;
	KUNIT_EXPECT_EQ(test, ckpt_check_mount_strings(&m, "/", NULL,
						       "ext4"), 0);
	ckpt_good_mount(&m, CKPT_MOUNT_BIND);
	KUNIT_EXPECT_EQ(test, ckpt_check_mount_strings(&m, "/mnt", "/ab",
						       "ext-4"), 0);
	KUNIT_EXPECT_EQ(test, ckpt_check_mount_strings(&m, "/mnt", "/..",
						       "ext-4"), -EINVAL);
	KUNIT_EXPECT_EQ(test, ckpt_check_mount_strings(&m, "/mnt", "ab/",
						       "ext-4"), -EINVAL);
	KUNIT_EXPECT_EQ(test, ckpt_check_mount_strings(&m, "/mnt", "/ab",
						       "Ext 4"), -EINVAL);
}

static void ckpt_good_tmpfs_entry(struct ckpt_tmpfs_entry *e, u32 mode)
{
	memset(e, 0, sizeof(*e));
	e->index = 3;
	e->parent = 1;
	e->mode = mode;
	e->name_len = 4;
	if (S_ISREG(mode))
		e->size = 100;
	if (S_ISLNK(mode))
		e->size = 10;
}

static void ckpt_test_tmpfs_entry(struct kunit *test)
{
	static const u32 modes[] = { S_IFDIR | 0755, S_IFREG | 04644,
				     S_IFLNK | 0777 };
	struct ckpt_tmpfs_entry e;
	int i;

	for (i = 0; i < ARRAY_SIZE(modes); i++) {
		u32 tail;

		ckpt_good_tmpfs_entry(&e, modes[i]);
		tail = 4 + e.size;
		KUNIT_EXPECT_EQ(test, ckpt_check_tmpfs_entry(&e, 3, tail), 0);
		KUNIT_EXPECT_EQ(test, ckpt_check_tmpfs_entry(&e, 4, tail),
				-EINVAL);
		KUNIT_EXPECT_EQ(test, ckpt_check_tmpfs_entry(&e, 3, tail + 1),
				-EINVAL);
		e.parent = 3;
		KUNIT_EXPECT_EQ(test, ckpt_check_tmpfs_entry(&e, 3, tail),
				-EINVAL);
		ckpt_good_tmpfs_entry(&e, modes[i]);
		e.parent = 0;
		KUNIT_EXPECT_EQ(test, ckpt_check_tmpfs_entry(&e, 3, tail),
				-EINVAL);
		ckpt_good_tmpfs_entry(&e, modes[i]);
		e.pad = 1;
		KUNIT_EXPECT_EQ(test, ckpt_check_tmpfs_entry(&e, 3, tail),
				-EINVAL);
		ckpt_good_tmpfs_entry(&e, modes[i]);
		e.name_len = 0;
		KUNIT_EXPECT_EQ(test, ckpt_check_tmpfs_entry(&e, 3, e.size),
				-EINVAL);
		ckpt_good_tmpfs_entry(&e, modes[i]);
		e.name_len = NAME_MAX + 1;
		KUNIT_EXPECT_EQ(test, ckpt_check_tmpfs_entry(&e, 3, NAME_MAX +
							     1 + e.size),
				-EINVAL);
	}
	/* The root: a directory, no name, no parent. */
	memset(&e, 0, sizeof(e));
	e.index = 1;
	e.mode = S_IFDIR | 01777;
	KUNIT_EXPECT_EQ(test, ckpt_check_tmpfs_entry(&e, 1, 0), 0);
	e.mode = S_IFREG | 0644;
	KUNIT_EXPECT_EQ(test, ckpt_check_tmpfs_entry(&e, 1, 0), -EINVAL);
	/* Other file types, modes and sizes. */
	ckpt_good_tmpfs_entry(&e, S_IFCHR | 0644);
	KUNIT_EXPECT_EQ(test, ckpt_check_tmpfs_entry(&e, 3, 4), -EINVAL);
	ckpt_good_tmpfs_entry(&e, S_IFIFO | 0644);
	KUNIT_EXPECT_EQ(test, ckpt_check_tmpfs_entry(&e, 3, 4), -EINVAL);
	ckpt_good_tmpfs_entry(&e, S_IFREG | 0644);
	e.mode |= 010000;
	KUNIT_EXPECT_EQ(test, ckpt_check_tmpfs_entry(&e, 3, 104), -EINVAL);
	ckpt_good_tmpfs_entry(&e, S_IFDIR | 0755);
	e.size = 1;
	KUNIT_EXPECT_EQ(test, ckpt_check_tmpfs_entry(&e, 3, 5), -EINVAL);
	ckpt_good_tmpfs_entry(&e, S_IFLNK | 0777);
	e.size = 0;
	KUNIT_EXPECT_EQ(test, ckpt_check_tmpfs_entry(&e, 3, 4), -EINVAL);
	e.size = CKPT_PATH_MAX;
	KUNIT_EXPECT_EQ(test, ckpt_check_tmpfs_entry(&e, 3, 4 + CKPT_PATH_MAX),
			-EINVAL);
	ckpt_good_tmpfs_entry(&e, S_IFREG | 0644);
	e.size = CKPT_TMPFS_DATA_MAX + 1;
	KUNIT_EXPECT_EQ(test, ckpt_check_tmpfs_entry(&e, 3, 4 + e.size),
			-EINVAL);
	/* Hard links: to an earlier entry, regular, no data of their own. */
	ckpt_good_tmpfs_entry(&e, S_IFREG | 0644);
	e.link = 2;
	e.size = 0;
	KUNIT_EXPECT_EQ(test, ckpt_check_tmpfs_entry(&e, 3, 4), 0);
	e.link = 3;
	KUNIT_EXPECT_EQ(test, ckpt_check_tmpfs_entry(&e, 3, 4), -EINVAL);
	e.link = 2;
	e.size = 1;
	KUNIT_EXPECT_EQ(test, ckpt_check_tmpfs_entry(&e, 3, 5), -EINVAL);
	ckpt_good_tmpfs_entry(&e, S_IFDIR | 0755);
	e.link = 2;
	KUNIT_EXPECT_EQ(test, ckpt_check_tmpfs_entry(&e, 3, 4), -EINVAL);
}

static struct kunit_case ckpt_image_cases[] = {
	KUNIT_CASE(ckpt_test_rec),
	KUNIT_CASE(ckpt_test_hdr),
	KUNIT_CASE(ckpt_test_path),
	KUNIT_CASE(ckpt_test_vma),
	KUNIT_CASE(ckpt_test_pages),
	KUNIT_CASE(ckpt_test_file),
	KUNIT_CASE(ckpt_test_pipe),
	KUNIT_CASE(ckpt_test_unlinked),
	KUNIT_CASE(ckpt_test_unix),
	KUNIT_CASE(ckpt_test_unix_listen),
	KUNIT_CASE(ckpt_test_unix_name),
	KUNIT_CASE(ckpt_test_cpu),
	KUNIT_CASE(ckpt_test_posix_timer),
	KUNIT_CASE(ckpt_test_event_files),
	KUNIT_CASE(ckpt_test_inotify),
	KUNIT_CASE(ckpt_test_mount_path),
	KUNIT_CASE(ckpt_test_mount),
	KUNIT_CASE(ckpt_test_tmpfs_entry),
	{}
};

static struct kunit_suite ckpt_image_suite = {
	.name = "ckpt_image",
	.test_cases = ckpt_image_cases,
};

kunit_test_suite(ckpt_image_suite);
