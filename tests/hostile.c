// SPDX-License-Identifier: GPL-2.0
/*
 * ckpt hostile image tests: restart(2) fed truncated, corrupted and crafted
 * images must fail with an error, leave no process behind (no child of the
 * caller, nothing in the cgroup it asked for) and never crash the kernel
 * (the host scans the guest's kernel log for splats).
 *
 * Every test starts from a fresh valid image of an idle ckpt_target, and
 * first checks that this image does restart: otherwise every "must fail"
 * below would pass for the wrong reason.
 *
 * Random mutations use a seeded PRNG; the seed is printed and can be set
 * with CKPT_SEED=<n>, the number of mutations with CKPT_MUTATIONS=<n>.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/inotify.h>
#include <sys/syscall.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <time.h>
#include <termios.h>
#include <unistd.h>

#include <linux/capability.h>

#include "kselftest_harness.h"
#include "lib/ckpt_test.h"

/* Expected errnos (kernel-doc of sys_restart()), in one place. */
#define ERR_TRUNCATED		EBADMSG	/* the image ends early */
#define ERR_CSUM		EBADMSG	/* trailer length or checksum wrong */
/* Magic, version, arch, page size, or a first record that is no header. */
#define ERR_NOT_IMAGE		ENOEXEC
#define ERR_MALFORMED		EINVAL	/* bad record type, length or field */
/* A socket's path taken by a file that is not its stale socket file. */
#define ERR_NAME_TAKEN		EADDRINUSE

#define DEFAULT_SEED		20241112ULL
#define DEFAULT_MUTATIONS	300
/* How long a failed restart may take to get rid of what it created. */
#define LEFTOVER_GRACE_MS	2000
#define HOSTILE_TIMEOUT		900

static uint64_t prng_state;

static uint64_t prng(void)
{
	/* xorshift64* */
	prng_state ^= prng_state >> 12;
	prng_state ^= prng_state << 25;
	prng_state ^= prng_state >> 27;
	return prng_state * 0x2545f4914f6cdd1dULL;
}

static uint64_t env_u64(const char *name, uint64_t def)
{
	const char *s = getenv(name);

	return s && *s ? strtoull(s, NULL, 0) : def;
}

FIXTURE(img) {
	struct ct ct;		/* the container the image comes from */
	struct ct rst;		/* the cgroup restarts go into */
	unsigned char *img;	/* the valid image */
	size_t len;
	unsigned char *buf;	/* a scratch copy to mutate */
	size_t cap;		/* its size: room for records added */
	size_t cur;		/* bytes of it in use (crafted images) */
	struct img_rec *recs;
	int nr_recs;
	int fd;			/* memfd a restart reads */
	int log;		/* memfd of the restart's log */
	int restarted;		/* restarts that succeeded (and were killed) */
};

/*
 * Restarts @len bytes of @self->buf.  Returns 0 and the errno in @err if
 * it failed, 1 if it succeeded (the new container is killed), -1 if
 * something was left behind or could not be set up.
 */
static int restart_buf(struct __test_metadata *_metadata,
		       FIXTURE_DATA(img) *self, size_t len, int *err)
{
	struct ckpt_restart_args args = {
		.fd = self->fd,
		.logfd = self->log,
		.cgroup_fd = self->rst.cgfd,
	};
	int status, waited;
	long pid;

	if (ftruncate(self->fd, 0) || lseek(self->fd, 0, SEEK_SET) ||
	    fd_write_all(self->fd, self->buf, len) ||
	    lseek(self->fd, 0, SEEK_SET) || ftruncate(self->log, 0) ||
	    lseek(self->log, 0, SEEK_SET))
		return -1;

	pid = sys_restart(&args, sizeof(args), 0);
	*err = pid < 0 ? errno : 0;
	if (pid > 0) {
		/* Never let a crafted container run. */
		kill(pid, SIGKILL);
		if (ct_reap(pid, &status, 30000)) {
			TH_LOG("restarted pid %ld does not die", pid);
			return -1;
		}
		self->restarted++;
	}
	if (no_children_left(LEFTOVER_GRACE_MS))
		return -1;
	for (waited = 0; ct_cgroup_nr_procs(&self->rst) != 0; waited += 10) {
		if (waited >= LEFTOVER_GRACE_MS) {
			TH_LOG("tasks left in %s", self->rst.cgpath);
			return -1;
		}
		usleep(10000);
	}
	return pid > 0;
}

/* Prints the restart's log (for a failure report). */
static void show_log(struct __test_metadata *_metadata,
		     FIXTURE_DATA(img) *self)
{
	size_t len;
	char *log = fd_read_all(self->log, &len);

	TH_LOG("restart log: %s", log ? log : "(unreadable)");
	free(log);
}

/* The restart of self->buf must fail with @expect (0: any errno). */
#define ASSERT_RESTART_FAILS(len, expect, fmt, ...) do {		\
		int __err = 0;						\
		int __r = restart_buf(_metadata, self, (len), &__err);	\
		ASSERT_NE(-1, __r) {					\
			TH_LOG("leftovers after: " fmt, ##__VA_ARGS__);	\
		}							\
		ASSERT_EQ(0, __r) {					\
			TH_LOG("restart succeeded: " fmt, ##__VA_ARGS__); \
		}							\
		if ((expect) && __err != (expect)) {			\
			show_log(_metadata, self);			\
			ASSERT_EQ((expect), __err) {			\
				TH_LOG("expected %s, got %s: " fmt,	\
				       strerrorname_np(expect),		\
				       strerrorname_np(__err),		\
				       ##__VA_ARGS__);			\
			}						\
		}							\
	} while (0)

FIXTURE_SETUP(img)
{
	char why[256];
	int status, err = 0;

	memset(&self->ct, 0, sizeof(self->ct));
	memset(&self->rst, 0, sizeof(self->rst));
	self->ct.pid = self->rst.pid = -1;
	self->ct.pidfd = self->rst.pidfd = -1;
	self->ct.cgfd = self->rst.cgfd = -1;

	prng_state = env_u64("CKPT_SEED", DEFAULT_SEED) | 1;

	ASSERT_EQ(0, ct_start(&self->ct, "hostile", CT_IDLE)) {
		TH_LOG("cannot start the container: %m");
	}
	ASSERT_EQ(0, ct_freeze(&self->ct));
	self->log = memfd("log");
	ASSERT_LE(0, self->log);
	self->fd = ct_checkpoint_memfd(&self->ct, CKPT_CHECKPOINT_KILL,
				       self->log);
	ASSERT_LE(0, self->fd) {
		TH_LOG("checkpoint: %m");
		show_log(_metadata, self);
	}
	ASSERT_EQ(0, ct_reap(self->ct.pid, &status, 30000));
	self->ct.pid = -1;

	self->img = (unsigned char *)fd_read_all(self->fd, &self->len);
	ASSERT_NE(NULL, self->img);
	ASSERT_EQ(0, img_check_layout(self->img, self->len, why, sizeof(why))) {
		TH_LOG("the kernel's image is malformed: %s", why);
	}
	self->nr_recs = img_walk(self->img, self->len, NULL, 0);
	self->recs = calloc(self->nr_recs, sizeof(*self->recs));
	ASSERT_NE(NULL, self->recs);
	img_walk(self->img, self->len, self->recs, self->nr_recs);
	/* Room for crafted images: a few more TREE records and sections. */
	self->cap = 4 * self->len + 65536;
	self->buf = malloc(self->cap);
	ASSERT_NE(NULL, self->buf);

	ASSERT_EQ(0, ct_cgroup_create(&self->rst, "hostile-rst"));

	/* The intact image restarts: the failures below mean something. */
	memcpy(self->buf, self->img, self->len);
	ASSERT_EQ(1, restart_buf(_metadata, self, self->len, &err)) {
		TH_LOG("the intact image does not restart: %s",
		       strerrorname_np(err));
		show_log(_metadata, self);
	}
	self->restarted = 0;
}

FIXTURE_TEARDOWN(img)
{
	TH_LOG("image of %zu bytes, %d records; %d crafted restarts succeeded",
	       self->len, self->nr_recs, self->restarted);
	ct_destroy(&self->ct);
	ct_destroy(&self->rst);
	free(self->img);
	free(self->buf);
	free(self->recs);
	close(self->fd);
	close(self->log);
}

/* Payload of record @i in the scratch copy. */
static void *payload(FIXTURE_DATA(img) *self, int i)
{
	return self->buf + self->recs[i].off + sizeof(struct ckpt_rec);
}

static struct ckpt_rec *rec_hdr(FIXTURE_DATA(img) *self, int i)
{
	return (struct ckpt_rec *)(self->buf + self->recs[i].off);
}

static void reset(FIXTURE_DATA(img) *self)
{
	memcpy(self->buf, self->img, self->len);
}

/* Bytes of record @i that are not page contents. */
static size_t meta_len(FIXTURE_DATA(img) *self, int i)
{
	if (self->recs[i].type == CKPT_REC_PAGES)
		return sizeof(struct ckpt_rec) + sizeof(struct ckpt_pages);
	return self->recs[i].len;
}

/* A random offset outside page contents. */
static size_t random_meta_offset(FIXTURE_DATA(img) *self)
{
	size_t total = 0, pick;
	int i;

	for (i = 0; i < self->nr_recs; i++)
		total += meta_len(self, i);
	pick = prng() % total;
	for (i = 0; i < self->nr_recs; i++) {
		if (pick < meta_len(self, i))
			return self->recs[i].off + pick;
		pick -= meta_len(self, i);
	}
	return 0;
}

TEST_F_TIMEOUT(img, truncated, HOSTILE_TIMEOUT)
{
	size_t cut;
	int i, n;

	/* At every record boundary, and inside every record header. */
	for (i = 0; i < self->nr_recs; i++) {
		reset(self);
		cut = self->recs[i].off;
		ASSERT_RESTART_FAILS(cut, ERR_TRUNCATED,
				     "cut at %zu (record %d, type %u)", cut, i,
				     self->recs[i].type);
		cut += 4;
		ASSERT_RESTART_FAILS(cut, ERR_TRUNCATED,
				     "cut at %zu (record %d, type %u)", cut, i,
				     self->recs[i].type);
	}
	/* One byte short. */
	ASSERT_RESTART_FAILS(self->len - 1, ERR_TRUNCATED, "last byte cut");
	/* And at random places. */
	for (n = 0; n < 50; n++) {
		cut = prng() % self->len;
		ASSERT_RESTART_FAILS(cut, ERR_TRUNCATED, "cut at %zu", cut);
	}
}

/*
 * Random byte flips, the checksum left as it is: whatever they hit, the
 * restart must fail.  Half of them aim at record headers and fields, which
 * are a small part of the image but where the parsing is.
 */
TEST_F_TIMEOUT(img, random_flips, HOSTILE_TIMEOUT)
{
	uint64_t seed = prng_state;
	int n, nr = env_u64("CKPT_MUTATIONS", DEFAULT_MUTATIONS);

	TH_LOG("seed %#llx (CKPT_SEED), %d mutations (CKPT_MUTATIONS)",
	       (unsigned long long)seed, nr);
	for (n = 0; n < nr; n++) {
		size_t off[4];
		int k, nflips = 1 + prng() % 4;

		reset(self);
		for (k = 0; k < nflips; k++) {
			off[k] = (n & 1) ? random_meta_offset(self) :
					   prng() % self->len;
			/* XOR with a non-zero byte: always a change. */
			self->buf[off[k]] ^= 1 + prng() % 255;
		}
		ASSERT_RESTART_FAILS(self->len, 0,
				     "mutation %d of seed %#llx: %d bytes from offset %zu",
				     n, (unsigned long long)seed, nflips, off[0]);
	}
}

/*
 * Record headers changed with the checksum recomputed, so the parser is
 * what must notice: any change of a type or a length desynchronises the
 * stream, and the restart must fail.
 */
TEST_F_TIMEOUT(img, record_headers, HOSTILE_TIMEOUT)
{
	uint64_t seed = prng_state;
	int n, nr = env_u64("CKPT_MUTATIONS", DEFAULT_MUTATIONS) / 3;

	TH_LOG("seed %#llx, %d mutations", (unsigned long long)seed, nr);
	for (n = 0; n < nr; n++) {
		int i = prng() % (self->nr_recs - 1);	/* not the trailer */
		size_t off = self->recs[i].off + prng() % 8;

		reset(self);
		self->buf[off] ^= 1 + prng() % 255;
		ASSERT_EQ(0, img_fix_trailer(self->buf, self->len));
		ASSERT_RESTART_FAILS(self->len, 0,
				     "mutation %d of seed %#llx: header byte %zu of record %d (type %u)",
				     n, (unsigned long long)seed, off, i,
				     self->recs[i].type);
	}
}

/*
 * Record fields changed with the checksum recomputed: the result may be a
 * valid image (a register or a page of data is just different), so success
 * is allowed; what is checked is that the call returns, the kernel stays
 * healthy, and nothing is left behind.
 */
TEST_F_TIMEOUT(img, record_fields, HOSTILE_TIMEOUT)
{
	uint64_t seed = prng_state;
	int n, nr = env_u64("CKPT_MUTATIONS", DEFAULT_MUTATIONS) / 3;
	int failed = 0;

	TH_LOG("seed %#llx, %d mutations", (unsigned long long)seed, nr);
	for (n = 0; n < nr; n++) {
		size_t off = random_meta_offset(self);
		int err, r;

		reset(self);
		self->buf[off] ^= 1 + prng() % 255;
		/* Now and then a 32-bit word made huge: out-of-range values. */
		if (prng() % 4 == 0 && (off | 3) < self->len)
			self->buf[off | 3] |= 0x80;
		ASSERT_EQ(0, img_fix_trailer(self->buf, self->len));
		r = restart_buf(_metadata, self, self->len, &err);
		ASSERT_NE(-1, r) {
			TH_LOG("leftovers after mutation %d of seed %#llx at %zu",
			       n, (unsigned long long)seed, off);
		}
		failed += r == 0;
	}
	TH_LOG("%d of %d crafted images refused", failed, nr);
}

/* Copies @val into the header's field at @off, and fixes the trailer. */
static void set_hdr32(FIXTURE_DATA(img) *self, size_t off, uint32_t val)
{
	reset(self);
	memcpy((char *)payload(self, 0) + off, &val, sizeof(val));
	img_fix_trailer(self->buf, self->len);
}

TEST_F_TIMEOUT(img, header, HOSTILE_TIMEOUT)
{
	static const uint32_t bad_versions[] = {
		0, CKPT_FORMAT_VERSION - 1, CKPT_FORMAT_VERSION + 1, 0xffffffff,
	};
	static const uint32_t bad_arches[] = {
		0, 0x40000003 /* i386 */, 0xc00000b7 /* aarch64 */,
		CKPT_ARCH_X86_64 ^ 0x80000000,
	};
	static const uint32_t bad_page_sizes[] = {
		0, 1, 2048, 4095, 8192, 16384, 65536, 0x80000000,
	};
	const size_t hdr_len = sizeof(struct ckpt_rec) + sizeof(struct ckpt_hdr);
	struct ckpt_hdr *h;
	unsigned int i;
	uint64_t magic;

	/* Magic: every byte of it, and the whole of it. */
	for (i = 0; i < 8; i++) {
		reset(self);
		((unsigned char *)payload(self, 0))[i] ^= 0x20;
		img_fix_trailer(self->buf, self->len);
		ASSERT_RESTART_FAILS(self->len, ERR_NOT_IMAGE,
				     "magic byte %u", i);
	}
	reset(self);
	magic = __builtin_bswap64(CKPT_IMAGE_MAGIC);
	memcpy(payload(self, 0), &magic, sizeof(magic));
	img_fix_trailer(self->buf, self->len);
	ASSERT_RESTART_FAILS(self->len, ERR_NOT_IMAGE, "big-endian magic");

	for (i = 0; i < ARRAY_SIZE(bad_versions); i++) {
		set_hdr32(self, offsetof(struct ckpt_hdr, version),
			  bad_versions[i]);
		ASSERT_RESTART_FAILS(self->len, ERR_NOT_IMAGE, "version %u",
				     bad_versions[i]);
	}
	for (i = 0; i < ARRAY_SIZE(bad_arches); i++) {
		set_hdr32(self, offsetof(struct ckpt_hdr, arch), bad_arches[i]);
		ASSERT_RESTART_FAILS(self->len, ERR_NOT_IMAGE, "arch %#x",
				     bad_arches[i]);
	}
	for (i = 0; i < ARRAY_SIZE(bad_page_sizes); i++) {
		set_hdr32(self, offsetof(struct ckpt_hdr, page_size),
			  bad_page_sizes[i]);
		ASSERT_RESTART_FAILS(self->len, ERR_NOT_IMAGE, "page size %u",
				     bad_page_sizes[i]);
	}
	set_hdr32(self, offsetof(struct ckpt_hdr, flags), 1);
	ASSERT_RESTART_FAILS(self->len, ERR_MALFORMED, "header flags 1");
	set_hdr32(self, offsetof(struct ckpt_hdr, reserved), 0x100);
	ASSERT_RESTART_FAILS(self->len, ERR_MALFORMED, "header reserved");

	/* A release string without its NUL. */
	reset(self);
	h = payload(self, 0);
	memset(h->release, 'x', sizeof(h->release));
	img_fix_trailer(self->buf, self->len);
	ASSERT_RESTART_FAILS(self->len, ERR_MALFORMED, "release not NUL-ended");

	/* Not an image at all: zeroes, and the header alone. */
	memset(self->buf, 0, self->len);
	ASSERT_RESTART_FAILS(self->len, 0, "all zeroes");
	reset(self);
	ASSERT_RESTART_FAILS(hdr_len, ERR_TRUNCATED, "header only");
}

/* A first record that is not a well-formed header: not an image at all. */
static int malformed(int i)
{
	return i == 0 ? ERR_NOT_IMAGE : ERR_MALFORMED;
}

TEST_F_TIMEOUT(img, record_lengths, HOSTILE_TIMEOUT)
{
	static const uint32_t small[] = { 0, 4, 7 };
	static const uint32_t huge[] = { 0xffffffff, 0x80000008, 0x7ffffff8 };
	int i;

	for (i = 0; i < self->nr_recs; i++) {
		uint32_t len = self->recs[i].len;
		uint32_t type = self->recs[i].type;

		/* Shorter than its header: always malformed. */
		reset(self);
		rec_hdr(self, i)->len = small[i % 3];
		img_fix_trailer(self->buf, self->len);
		ASSERT_RESTART_FAILS(self->len, malformed(i),
				     "record %d (type %u) of length %u", i,
				     type, small[i % 3]);
		/* Longer than any record may be. */
		reset(self);
		rec_hdr(self, i)->len = huge[i % 3];
		img_fix_trailer(self->buf, self->len);
		ASSERT_RESTART_FAILS(self->len, malformed(i),
				     "record %d (type %u) of length %#x", i,
				     type, huge[i % 3]);
		/* Off by one either way: any error. */
		reset(self);
		rec_hdr(self, i)->len = len + 1;
		img_fix_trailer(self->buf, self->len);
		ASSERT_RESTART_FAILS(self->len, 0,
				     "record %d (type %u) one byte longer", i,
				     type);
		reset(self);
		rec_hdr(self, i)->len = len - 1;
		img_fix_trailer(self->buf, self->len);
		ASSERT_RESTART_FAILS(self->len, 0,
				     "record %d (type %u) one byte shorter", i,
				     type);
	}
}

TEST_F_TIMEOUT(img, record_types, HOSTILE_TIMEOUT)
{
	static const uint32_t unknown[] = {
		0, CKPT_REC_MAX + 1, 0x100, 0xffffffff,
	};
	int i;

	for (i = 0; i < self->nr_recs; i++) {
		uint32_t type = unknown[i % 4];

		reset(self);
		rec_hdr(self, i)->type = type;
		img_fix_trailer(self->buf, self->len);
		ASSERT_RESTART_FAILS(self->len, malformed(i),
				     "record %d (type %u) with type %#x", i,
				     self->recs[i].type, type);
		/* A known type out of place. */
		reset(self);
		rec_hdr(self, i)->type = self->recs[i].type == CKPT_REC_TASK ?
					 CKPT_REC_FILE : CKPT_REC_TASK;
		img_fix_trailer(self->buf, self->len);
		ASSERT_RESTART_FAILS(self->len, 0,
				     "record %d (type %u) out of place", i,
				     self->recs[i].type);
	}
}

TEST_F_TIMEOUT(img, trailer, HOSTILE_TIMEOUT)
{
	struct ckpt_trailer *t;
	int last = self->nr_recs - 1;

	ASSERT_EQ(CKPT_REC_TRAILER, self->recs[last].type);

	reset(self);
	t = payload(self, last);
	t->csum += 1;
	ASSERT_RESTART_FAILS(self->len, ERR_CSUM, "checksum + 1");
	reset(self);
	t->csum -= 1;
	ASSERT_RESTART_FAILS(self->len, ERR_CSUM, "checksum - 1");
	reset(self);
	t->csum = 0;
	ASSERT_RESTART_FAILS(self->len, ERR_CSUM, "checksum 0");
	reset(self);
	t->image_len += 1;
	ASSERT_RESTART_FAILS(self->len, ERR_CSUM, "length + 1");
	reset(self);
	t->image_len -= 1;
	ASSERT_RESTART_FAILS(self->len, ERR_CSUM, "length - 1");
	/* The seed is 0: the checksum with seed 1 is wrong. */
	reset(self);
	t->csum = xxh64(self->buf, self->recs[last].off, 1);
	ASSERT_RESTART_FAILS(self->len, ERR_CSUM, "checksum with seed 1");
	/* No trailer at all, and a trailer record cut short. */
	ASSERT_RESTART_FAILS(self->recs[last].off, ERR_TRUNCATED, "no trailer");
	ASSERT_RESTART_FAILS(self->len - 8, ERR_TRUNCATED, "trailer cut");
	/* Our own trailer computation agrees with the kernel's. */
	reset(self);
	ASSERT_EQ(0, img_fix_trailer(self->buf, self->len));
	ASSERT_EQ(0, memcmp(self->buf, self->img, self->len));
}

/*
 * Crafted process trees and shared memory references (format 2).
 *
 * The container's image has one task; these cases add TREE records, task
 * sections copied from init's, SHMEM records, or change counts, so that
 * each breaks one rule of linux/ckpt.h and nothing else, with the trailer
 * recomputed.  tree_control first shows that the same machinery builds an
 * image that restarts (init and a copy of it as its child), so that the
 * refusals below are the kernel's checks at work, not a broken builder.
 *
 * To add a case: write a craft function (it starts from the intact image
 * in self->buf, self->cur bytes) and add a line to tree_cases[].
 */

/* Malformed: EINVAL, or ENOEXEC for a kernel that says so. */
static bool refused_as_malformed(int err)
{
	return err == ERR_MALFORMED || err == ERR_NOT_IMAGE;
}

static void cur_reset(FIXTURE_DATA(img) *self)
{
	reset(self);
	self->cur = self->len;
}

/* Offset of the @nth record of @type in the working image, or -1. */
static long cur_find(FIXTURE_DATA(img) *self, uint32_t type, int nth)
{
	int n = img_walk(self->buf, self->cur, NULL, 0), i;
	struct img_rec *recs;
	long off = -1;

	if (n < 0)
		return -1;
	recs = calloc(n, sizeof(*recs));
	if (!recs)
		return -1;
	img_walk(self->buf, self->cur, recs, n);
	i = img_find(recs, n, type, nth);
	if (i >= 0)
		off = recs[i].off;
	free(recs);
	return off;
}

/* Payload of the @nth record of @type in the working image, or NULL. */
static void *cur_payload(FIXTURE_DATA(img) *self, uint32_t type, int nth)
{
	long off = cur_find(self, type, nth);

	return off < 0 ? NULL : self->buf + off + sizeof(struct ckpt_rec);
}

/* Insert @n bytes at @at. */
static int cur_insert(FIXTURE_DATA(img) *self, size_t at, const void *data,
		      size_t n)
{
	if (self->cur + n > self->cap || at > self->cur)
		return -1;
	memmove(self->buf + at + n, self->buf + at, self->cur - at);
	memcpy(self->buf + at, data, n);
	self->cur += n;
	return 0;
}

/* Remove the @n bytes at @at. */
static void cur_remove(FIXTURE_DATA(img) *self, size_t at, size_t n)
{
	memmove(self->buf + at, self->buf + at + n, self->cur - at - n);
	self->cur -= n;
}

/* Insert a record of @type with @n bytes of payload at @at. */
static int cur_insert_rec(FIXTURE_DATA(img) *self, size_t at, uint32_t type,
			  const void *payload, size_t n)
{
	struct ckpt_rec r = { type, sizeof(r) + n };

	if (cur_insert(self, at, payload, n) ||
	    cur_insert(self, at, &r, sizeof(r)))
		return -1;
	return 0;
}

static struct ckpt_container *cur_container(FIXTURE_DATA(img) *self)
{
	return cur_payload(self, CKPT_REC_CONTAINER, 0);
}

static struct ckpt_tree init_tree(FIXTURE_DATA(img) *self)
{
	struct ckpt_tree t;
	int i = img_find(self->recs, self->nr_recs, CKPT_REC_TREE, 0);

	memcpy(&t, self->img + self->recs[i].off + sizeof(struct ckpt_rec),
	       sizeof(t));
	return t;
}

/* A live child process @pid of init, in init's group and session. */
static struct ckpt_tree child_tree(FIXTURE_DATA(img) *self, int32_t pid)
{
	struct ckpt_tree t = init_tree(self);

	t.pid = t.tgid = pid;
	t.ppid = 1;
	t.exit_signal = SIGCHLD;
	t.flags = 0;
	return t;
}

/* Append @e to the TREE records and count it in CONTAINER.nr_tasks. */
static int add_tree(FIXTURE_DATA(img) *self, const struct ckpt_tree *e)
{
	struct ckpt_container *c = cur_container(self);
	uint32_t nr = c->nr_tasks;
	long last = cur_find(self, CKPT_REC_TREE, nr - 1);

	if (last < 0)
		return -1;
	c->nr_tasks = nr + 1;
	return cur_insert_rec(self, last + sizeof(struct ckpt_rec) +
			      sizeof(*e), CKPT_REC_TREE, e, sizeof(*e));
}

/* Is a record of @type in a section of a task with TREE entry @e? */
static bool in_section(const struct ckpt_tree *e, uint32_t type)
{
	bool leader = e->pid == e->tgid;

	switch (type) {
	case CKPT_REC_RLIMITS:
	case CKPT_REC_ITIMERS:
	case CKPT_REC_POSIX_TIMER:
	case CKPT_REC_MM:
	case CKPT_REC_VMA:
	case CKPT_REC_PAGES:
	case CKPT_REC_SIGHAND:
	case CKPT_REC_SEM_UNDO:
	case CKPT_REC_SIGINFO:	/* dropped from threads: none pending */
		return leader;
	case CKPT_REC_FS:
		return !(e->flags & CKPT_TREE_SHARE_FS);
	case CKPT_REC_FD:	/* FILES names init's table: no descriptors */
	case CKPT_REC_FILE:
	case CKPT_REC_PIPE:
	case CKPT_REC_PIPE_BUF:
		return false;
	default:
		return true;
	}
}

/*
 * Append, before the trailer, a copy of init's section shaped for @e (the
 * records its flags and leader-ness call for), with TASK pid @pid.  Its
 * FILES record names init's file table, saved before, as a thread's or a
 * CLONE_FILES child's does.
 */
static int add_section(FIXTURE_DATA(img) *self, const struct ckpt_tree *e,
		       int32_t pid)
{
	int first = img_find(self->recs, self->nr_recs, CKPT_REC_TASK, 0);
	int last = img_find(self->recs, self->nr_recs, CKPT_REC_TASK_END, 0);
	size_t at = self->cur - sizeof(struct ckpt_rec) -
		    sizeof(struct ckpt_trailer);
	int i;

	if (first < 0 || last < first)
		return -1;
	for (i = first; i <= last; i++) {
		const struct img_rec *r = &self->recs[i];
		unsigned char *p;

		if (!in_section(e, r->type))
			continue;
		if (cur_insert(self, at, self->img + r->off, r->len))
			return -1;
		p = self->buf + at + sizeof(struct ckpt_rec);
		if (r->type == CKPT_REC_TASK) {
			struct ckpt_task *t = (struct ckpt_task *)p;

			t->pid = pid;
			t->tgid = e->tgid;
			t->exit_signal = e->exit_signal;
		} else if (r->type == CKPT_REC_FILES) {
			((struct ckpt_files *)p)->nr_fds = 0;
		} else if (r->type == CKPT_REC_SIGNALS && e->pid != e->tgid) {
			((struct ckpt_signals *)p)->nr_pending = 0;
		}
		at += r->len;
	}
	return 0;
}

static int add_task(FIXTURE_DATA(img) *self, const struct ckpt_tree *e)
{
	if (add_tree(self, e))
		return -1;
	return e->state == CKPT_TREE_LIVE ? add_section(self, e, e->pid) : 0;
}

/* An entry @e added with a section, as if it were valid. */
#define ADD_CHILD(field, value) do {					\
		struct ckpt_tree __e = child_tree(self, 2);		\
		__e.field = (value);					\
		return add_tree(self, &__e) ||				\
		       add_section(self, &__e, 2);			\
	} while (0)

static int craft_nr_tasks_zero(FIXTURE_DATA(img) *self)
{
	cur_container(self)->nr_tasks = 0;
	return 0;
}

static int craft_nr_tasks_max(FIXTURE_DATA(img) *self)
{
	cur_container(self)->nr_tasks = CKPT_TASKS_MAX + 1;
	return 0;
}

static int craft_nr_tasks_huge(FIXTURE_DATA(img) *self)
{
	cur_container(self)->nr_tasks = 0xffffffff;
	return 0;
}

/* Two announced, one TREE record: a TASK comes where a TREE should. */
static int craft_nr_tasks_past(FIXTURE_DATA(img) *self)
{
	cur_container(self)->nr_tasks = 2;
	return 0;
}

static int craft_first_not_pid1(FIXTURE_DATA(img) *self)
{
	struct ckpt_tree *t = cur_payload(self, CKPT_REC_TREE, 0);
	struct ckpt_task *k = cur_payload(self, CKPT_REC_TASK, 0);

	t->pid = t->tgid = k->pid = k->tgid = 2;
	return 0;
}

static int craft_first_with_parent(FIXTURE_DATA(img) *self)
{
	((struct ckpt_tree *)cur_payload(self, CKPT_REC_TREE, 0))->ppid = 1;
	return 0;
}

/*
 * Init in a process group or session of the container that is not its
 * own: the exiting init would wait forever for that pid to be freed.
 */
static int craft_init_other_pgrp(FIXTURE_DATA(img) *self)
{
	((struct ckpt_tree *)cur_payload(self, CKPT_REC_TREE, 0))->pgid = 2048;
	return 0;
}

static int craft_init_other_session(FIXTURE_DATA(img) *self)
{
	struct ckpt_tree *t = cur_payload(self, CKPT_REC_TREE, 0);

	t->sid = 2048;
	if (!t->pgid)
		t->pgid = 2048;
	return 0;
}

static int craft_first_zombie(FIXTURE_DATA(img) *self)
{
	((struct ckpt_tree *)cur_payload(self, CKPT_REC_TREE, 0))->state =
		CKPT_TREE_ZOMBIE;
	return 0;
}

static int craft_first_thread(FIXTURE_DATA(img) *self)
{
	((struct ckpt_tree *)cur_payload(self, CKPT_REC_TREE, 0))->tgid = 2;
	return 0;
}

static int craft_duplicate_pid(FIXTURE_DATA(img) *self)
{
	struct ckpt_tree e = child_tree(self, 1);

	return add_task(self, &e);
}

static int craft_parent_later(FIXTURE_DATA(img) *self)
{
	struct ckpt_tree a = child_tree(self, 2), b = child_tree(self, 3);

	a.ppid = 3;
	return add_task(self, &a) || add_task(self, &b);
}

static int craft_parent_missing(FIXTURE_DATA(img) *self)
{
	ADD_CHILD(ppid, 4000);
}

static int craft_parent_zombie(FIXTURE_DATA(img) *self)
{
	struct ckpt_tree z = child_tree(self, 2), c = child_tree(self, 3);

	z.state = CKPT_TREE_ZOMBIE;
	c.ppid = 2;
	return add_task(self, &z) || add_task(self, &c);
}

/* A thread of 3 (sharing its fs and file table) before 3 itself. */
static int craft_thread_before_leader(FIXTURE_DATA(img) *self)
{
	struct ckpt_tree t = child_tree(self, 2), l = child_tree(self, 3);

	t.tgid = 3;
	t.exit_signal = -1;
	t.flags = CKPT_TREE_SHARE_FS;
	return add_task(self, &t) || add_task(self, &l);
}

static int craft_thread_of_zombie(FIXTURE_DATA(img) *self)
{
	struct ckpt_tree z = child_tree(self, 2), t = child_tree(self, 3);

	z.state = CKPT_TREE_ZOMBIE;
	t.tgid = 2;
	t.exit_signal = -1;
	t.flags = CKPT_TREE_SHARE_FS;
	return add_task(self, &z) || add_task(self, &t);
}

/* A thread of init with another parent than init's. */
static int craft_thread_other_parent(FIXTURE_DATA(img) *self)
{
	struct ckpt_tree t = init_tree(self);

	t.pid = 2;
	t.ppid = 1;
	t.exit_signal = -1;
	t.flags = CKPT_TREE_SHARE_FS;
	return add_task(self, &t);
}

static int craft_thread_exit_signal(FIXTURE_DATA(img) *self)
{
	struct ckpt_tree t = init_tree(self);

	t.pid = 2;
	t.exit_signal = SIGCHLD;
	t.flags = CKPT_TREE_SHARE_FS;
	return add_task(self, &t);
}

static int craft_zombie_with_section(FIXTURE_DATA(img) *self)
{
	struct ckpt_tree z = child_tree(self, 2);

	z.state = CKPT_TREE_ZOMBIE;
	return add_tree(self, &z) || add_section(self, &z, 2);
}

static int craft_zombie_bad_exit_code(FIXTURE_DATA(img) *self)
{
	struct ckpt_tree z = child_tree(self, 2);

	z.state = CKPT_TREE_ZOMBIE;
	z.exit_code = 0x10000;
	return add_task(self, &z);
}

static int craft_live_exit_code(FIXTURE_DATA(img) *self)
{
	ADD_CHILD(exit_code, 3 << 8);
}

static int craft_bad_state(FIXTURE_DATA(img) *self)
{
	ADD_CHILD(state, 2);
}

static int craft_bad_state_huge(FIXTURE_DATA(img) *self)
{
	ADD_CHILD(state, 0x80000001);
}

static int craft_unknown_flags(FIXTURE_DATA(img) *self)
{
	ADD_CHILD(flags, CKPT_TREE_FLAGS + 1);
}

static int craft_thread_flags_on_process(FIXTURE_DATA(img) *self)
{
	ADD_CHILD(flags, CKPT_TREE_SHARE_FS);
}

/* Bit 1 was CKPT_TREE_SHARE_FILES up to format 3: unknown since. */
static int craft_old_share_files(FIXTURE_DATA(img) *self)
{
	struct ckpt_tree t = init_tree(self);

	t.pid = 2;
	t.exit_signal = -1;
	t.flags = CKPT_TREE_SHARE_FS | 1U << 1;
	return add_task(self, &t);
}

static int craft_session_leader_elsewhere(FIXTURE_DATA(img) *self)
{
	ADD_CHILD(flags, CKPT_TREE_SESSION_LEADER);
}

static int craft_sem_undo_no_ipc(FIXTURE_DATA(img) *self)
{
	ADD_CHILD(nr_sem_undo, 1);
}

static int craft_negative_pgid(FIXTURE_DATA(img) *self)
{
	ADD_CHILD(pgid, -1);
}

static int craft_negative_sid(FIXTURE_DATA(img) *self)
{
	ADD_CHILD(sid, -2);
}

static int craft_negative_ppid(FIXTURE_DATA(img) *self)
{
	ADD_CHILD(ppid, -1);
}

static int craft_negative_pid(FIXTURE_DATA(img) *self)
{
	struct ckpt_tree e = child_tree(self, -2);

	return add_task(self, &e);
}

static int craft_exit_signal_high(FIXTURE_DATA(img) *self)
{
	ADD_CHILD(exit_signal, 65);
}

static int craft_exit_signal_negative(FIXTURE_DATA(img) *self)
{
	ADD_CHILD(exit_signal, -1);
}

static int craft_task_pid_mismatch(FIXTURE_DATA(img) *self)
{
	((struct ckpt_task *)cur_payload(self, CKPT_REC_TASK, 0))->pid = 2;
	return 0;
}

/* Entry 2, but the section that comes for it is pid 3's. */
static int craft_section_pid_mismatch(FIXTURE_DATA(img) *self)
{
	struct ckpt_tree e = child_tree(self, 2);

	return add_tree(self, &e) || add_section(self, &e, 3);
}

/* A live entry without its section. */
static int craft_section_missing(FIXTURE_DATA(img) *self)
{
	struct ckpt_tree e = child_tree(self, 2);

	return add_tree(self, &e);
}

/* A thread's section with its leader's MM in it. */
static int craft_thread_with_mm(FIXTURE_DATA(img) *self)
{
	struct ckpt_tree t = init_tree(self), as_leader;

	t.pid = 2;
	t.exit_signal = -1;
	t.flags = CKPT_TREE_SHARE_FS;
	as_leader = t;
	as_leader.tgid = 2;	/* the section of a leader... */
	as_leader.flags = 0;
	if (add_tree(self, &t) || add_section(self, &as_leader, 2))
		return -1;
	/* ...with the thread's tgid in its TASK. */
	((struct ckpt_task *)cur_payload(self, CKPT_REC_TASK, 1))->tgid = 1;
	return 0;
}

static int craft_nr_shmem_past(FIXTURE_DATA(img) *self)
{
	cur_container(self)->nr_shmem = 1;
	return 0;
}

static int craft_nr_ipc_past(FIXTURE_DATA(img) *self)
{
	cur_container(self)->nr_ipc = 1;
	return 0;
}

/*
 * The first private anonymous VMA of init, its saved pages dropped, or
 * NULL: the mapping a shared memory case turns into a SHMEM one.
 */
static struct ckpt_vma *anon_vma_no_pages(FIXTURE_DATA(img) *self)
{
	struct ckpt_mm *mm = cur_payload(self, CKPT_REC_MM, 0);
	struct ckpt_vma *v = NULL, *any = NULL;
	struct ckpt_rec r;
	long at;
	int k;

	/* Rather not the heap nor the stack, which have rules of their own. */
	for (k = 0; mm && (v = cur_payload(self, CKPT_REC_VMA, k)); k++) {
		if (v->kind != CKPT_VMA_ANON || v->path_len)
			continue;
		if (!any)
			any = v;
		if (!(v->flags & CKPT_VMA_GROWSDOWN) &&
		    (v->end <= mm->start_brk || v->start >= mm->brk))
			break;
	}
	if (!v)
		v = any;
	if (!v)
		return NULL;
	at = (unsigned char *)v - self->buf + sizeof(*v);
	for (;;) {
		memcpy(&r, self->buf + at, sizeof(r));
		if (r.type != CKPT_REC_PAGES)
			break;
		cur_remove(self, at, r.len);
	}
	v->nr_pages = 0;
	return v;
}

/*
 * One SHMEM object as large as init's first anonymous VMA, without saved
 * pages, and that VMA made a shared mapping of object @shmem.
 */
static int shmem_vma(FIXTURE_DATA(img) *self, int32_t shmem)
{
	struct ckpt_shmem s = { 0 };
	struct ckpt_vma *v = anon_vma_no_pages(self);
	long at;

	if (!v)
		return -1;
	v->kind = CKPT_VMA_SHMEM;
	v->shmem = shmem;
	s.id = 0;
	s.size = v->end - v->start;
	cur_container(self)->nr_shmem = 1;
	at = cur_find(self, CKPT_REC_TASK, 0);
	if (at < 0)
		return -1;
	return cur_insert_rec(self, at, CKPT_REC_SHMEM, &s, sizeof(s));
}

static int craft_vma_missing_shmem(FIXTURE_DATA(img) *self)
{
	return shmem_vma(self, 1);
}

static int craft_vma_negative_shmem(FIXTURE_DATA(img) *self)
{
	return shmem_vma(self, -1);
}

/* A shared mapping of an object the image does not have at all. */
static int craft_vma_shmem_none(FIXTURE_DATA(img) *self)
{
	struct ckpt_vma *v = anon_vma_no_pages(self);

	if (!v)
		return -1;
	v->kind = CKPT_VMA_SHMEM;
	v->shmem = 0;
	return 0;
}

static int craft_shmem_bad_id(FIXTURE_DATA(img) *self)
{
	if (shmem_vma(self, 0))
		return -1;
	((struct ckpt_shmem *)cur_payload(self, CKPT_REC_SHMEM, 0))->id = 1;
	return 0;
}

static int craft_shmem_bad_flags(FIXTURE_DATA(img) *self)
{
	if (shmem_vma(self, 0))
		return -1;
	((struct ckpt_shmem *)cur_payload(self, CKPT_REC_SHMEM, 0))->flags =
		1U << 31;	/* no such flag */
	return 0;
}

/* Pages announced, none saved: the next record is a TASK. */
static int craft_shmem_pages_missing(FIXTURE_DATA(img) *self)
{
	if (shmem_vma(self, 0))
		return -1;
	((struct ckpt_shmem *)cur_payload(self, CKPT_REC_SHMEM, 0))->nr_pages = 1;
	return 0;
}

/*
 * SysV IPC objects: records inserted before init's TASK (there are no
 * SHMEM records in this image), counted in CONTAINER.nr_ipc, with the
 * container given an IPC namespace of its own.
 */
static int ipc_rec(FIXTURE_DATA(img) *self, uint32_t type, const void *rec,
		   size_t n, const void *tail, size_t tail_n)
{
	struct ckpt_rec r = { type, sizeof(r) + n + tail_n };
	long at = cur_find(self, CKPT_REC_TASK, 0);

	if (at < 0 || cur_insert(self, at, &r, sizeof(r)) ||
	    cur_insert(self, at + sizeof(r), rec, n) ||
	    cur_insert(self, at + sizeof(r) + n, tail, tail_n))
		return -1;
	return 0;
}

static int ipc_obj(FIXTURE_DATA(img) *self, uint32_t type, const void *rec,
		   size_t n, const void *tail, size_t tail_n)
{
	struct ckpt_container *c = cur_container(self);

	c->ns_flags |= CKPT_NS_IPC;
	c->nr_ipc++;
	return ipc_rec(self, type, rec, n, tail, tail_n);
}

/* A set of @nsems semaphores of value 1, id @id. */
static int ipc_sem(FIXTURE_DATA(img) *self, int32_t id, uint32_t nsems)
{
	struct ckpt_sem s = { .perm = { .key = 0x5e, .id = id, .mode = 0600 },
			      .nsems = nsems };
	struct ckpt_sem_val v[2] = { { 1, 0, 0 }, { 1, 0, 0 } };

	return ipc_obj(self, CKPT_REC_SEM, &s, sizeof(s), v,
		       (nsems < 2 ? nsems : 2) * sizeof(v[0]));
}

/* Init gets @nr SEM_UNDO records for set @semid, before its CPU. */
static int init_sem_undo(FIXTURE_DATA(img) *self, int32_t semid)
{
	struct ckpt_sem_undo u = { semid, 1 };
	int16_t adj = -1;
	struct ckpt_rec r = { CKPT_REC_SEM_UNDO,
			      sizeof(r) + sizeof(u) + sizeof(adj) };
	long at = cur_find(self, CKPT_REC_CPU, 0);
	struct ckpt_tree *t = cur_payload(self, CKPT_REC_TREE, 0);

	if (at < 0 || !t)
		return -1;
	t->nr_sem_undo = 1;
	if (cur_insert(self, at, &r, sizeof(r)) ||
	    cur_insert(self, at + sizeof(r), &u, sizeof(u)) ||
	    cur_insert(self, at + sizeof(r) + sizeof(u), &adj, sizeof(adj)))
		return -1;
	return 0;
}

static int craft_ipc_without_ns(FIXTURE_DATA(img) *self)
{
	if (ipc_sem(self, 0, 1))
		return -1;
	cur_container(self)->ns_flags &= ~CKPT_NS_IPC;
	return 0;
}

static int craft_msg_past_tail(FIXTURE_DATA(img) *self)
{
	struct ckpt_msq q = { .perm = { .key = 0x99, .mode = 0600 },
			      .qbytes = 16384, .nr_msgs = 1 };
	struct ckpt_msg m = { .type = 1, .len = 10 };

	if (ipc_obj(self, CKPT_REC_MSQ, &q, sizeof(q), NULL, 0))
		return -1;
	return ipc_rec(self, CKPT_REC_MSG, &m, sizeof(m), "ping", 4);
}

static int craft_sem_no_sems(FIXTURE_DATA(img) *self)
{
	return ipc_sem(self, 0, 0);
}

static int craft_sem_too_many(FIXTURE_DATA(img) *self)
{
	return ipc_sem(self, 0, CKPT_SEM_NSEMS_MAX + 1);
}

static int craft_shm_pages_past_size(FIXTURE_DATA(img) *self)
{
	static unsigned char page[4096];
	struct ckpt_shm s = { .perm = { .key = 0x1234, .mode = 0600 },
			      .size = 4096, .nr_pages = 1 };
	struct ckpt_pages p = { .addr = 0x2000, .nr_pages = 1 };

	if (ipc_obj(self, CKPT_REC_SHM, &s, sizeof(s), NULL, 0))
		return -1;
	return ipc_rec(self, CKPT_REC_PAGES, &p, sizeof(p), page, sizeof(page));
}

static int craft_sem_undo_unknown_set(FIXTURE_DATA(img) *self)
{
	return ipc_sem(self, 0, 1) || init_sem_undo(self, 5);
}

static const struct tree_case {
	const char *name;
	/* 0, or -1 if the image lacks what the case needs (skipped). */
	int (*craft)(FIXTURE_DATA(img) *self);
} tree_cases[] = {
	{ "nr_tasks 0", craft_nr_tasks_zero },
	{ "nr_tasks CKPT_TASKS_MAX + 1", craft_nr_tasks_max },
	{ "nr_tasks 0xffffffff", craft_nr_tasks_huge },
	{ "nr_tasks past the TREE records", craft_nr_tasks_past },
	{ "first TREE entry not pid 1", craft_first_not_pid1 },
	{ "init with a parent", craft_first_with_parent },
	{ "init a zombie", craft_first_zombie },
	{ "init in another process group of the container", craft_init_other_pgrp },
	{ "init in another session of the container", craft_init_other_session },
	{ "init a thread", craft_first_thread },
	{ "duplicate pid", craft_duplicate_pid },
	{ "parent after its child", craft_parent_later },
	{ "parent not in the tree", craft_parent_missing },
	{ "parent a zombie", craft_parent_zombie },
	{ "thread before its leader", craft_thread_before_leader },
	{ "thread of a zombie", craft_thread_of_zombie },
	{ "thread with another parent than its leader", craft_thread_other_parent },
	{ "thread with an exit signal", craft_thread_exit_signal },
	{ "zombie with a TASK section", craft_zombie_with_section },
	{ "zombie with a bad exit code", craft_zombie_bad_exit_code },
	{ "live task with an exit code", craft_live_exit_code },
	{ "state 2", craft_bad_state },
	{ "state 0x80000001", craft_bad_state_huge },
	{ "unknown TREE flags", craft_unknown_flags },
	{ "thread flags on a process", craft_thread_flags_on_process },
	{ "thread with the old SHARE_FILES bit", craft_old_share_files },
	{ "session leader of another session", craft_session_leader_elsewhere },
	{ "TREE nr_sem_undo without IPC objects", craft_sem_undo_no_ipc },
	{ "nr_ipc without CKPT_NS_IPC", craft_ipc_without_ns },
	{ "MSG longer than its tail", craft_msg_past_tail },
	{ "SEM with no semaphores", craft_sem_no_sems },
	{ "SEM with more than CKPT_SEM_NSEMS_MAX", craft_sem_too_many },
	{ "SHM PAGES offset past its size", craft_shm_pages_past_size },
	{ "SEM_UNDO for a set not in the image", craft_sem_undo_unknown_set },
	{ "negative pgid", craft_negative_pgid },
	{ "negative sid", craft_negative_sid },
	{ "negative ppid", craft_negative_ppid },
	{ "negative pid", craft_negative_pid },
	{ "exit signal 65", craft_exit_signal_high },
	{ "exit signal -1 on a process", craft_exit_signal_negative },
	{ "TASK pid not its TREE entry's", craft_task_pid_mismatch },
	{ "section of another pid", craft_section_pid_mismatch },
	{ "live task without a section", craft_section_missing },
	{ "thread section with leader records", craft_thread_with_mm },
	{ "nr_shmem past the records", craft_nr_shmem_past },
	{ "nr_ipc past the records", craft_nr_ipc_past },
	{ "VMA SHMEM of a missing id", craft_vma_missing_shmem },
	{ "VMA SHMEM of id -1", craft_vma_negative_shmem },
	{ "VMA SHMEM without SHMEM records", craft_vma_shmem_none },
	{ "SHMEM id out of order", craft_shmem_bad_id },
	{ "SHMEM unknown flags", craft_shmem_bad_flags },
	{ "SHMEM pages announced, none saved", craft_shmem_pages_missing },
};

/* The builder makes images that restart: init and a copy of it as child. */
TEST_F_TIMEOUT(img, tree_control, HOSTILE_TIMEOUT)
{
	struct ckpt_tree e = child_tree(self, 2);
	int err = 0;

	cur_reset(self);
	ASSERT_EQ(0, add_task(self, &e));
	ASSERT_EQ(0, img_fix_trailer(self->buf, self->cur));
	ASSERT_EQ(1, restart_buf(_metadata, self, self->cur, &err)) {
		TH_LOG("init and a copy of it as its child do not restart: %s",
		       strerrorname_np(err));
		show_log(_metadata, self);
	}
}

/* ... and a SysV semaphore set with init's SEM_UNDO adjustment for it. */
TEST_F_TIMEOUT(img, ipc_control, HOSTILE_TIMEOUT)
{
	int err = 0;

	cur_reset(self);
	ASSERT_EQ(0, ipc_sem(self, 0, 1));
	ASSERT_EQ(0, init_sem_undo(self, 0));
	ASSERT_EQ(0, img_fix_trailer(self->buf, self->cur));
	ASSERT_EQ(1, restart_buf(_metadata, self, self->cur, &err)) {
		TH_LOG("init with a semaphore set and its SEM_UNDO does not restart: %s",
		       strerrorname_np(err));
		show_log(_metadata, self);
	}
}

/* ... and a shared memory object mapped by init. */
TEST_F_TIMEOUT(img, shmem_control, HOSTILE_TIMEOUT)
{
	int err = 0;

	cur_reset(self);
	ASSERT_EQ(0, shmem_vma(self, 0)) {
		TH_LOG("init has no private anonymous mapping");
	}
	ASSERT_EQ(0, img_fix_trailer(self->buf, self->cur));
	ASSERT_EQ(1, restart_buf(_metadata, self, self->cur, &err)) {
		TH_LOG("init with a SHMEM mapping does not restart: %s",
		       strerrorname_np(err));
		show_log(_metadata, self);
	}
}

/*
 * The container's clocks (CONTAINER.monotonic_ns and boottime_ns, format
 * 3): 0..KTIME_SEC_MAX / 2 s, both ends included, else EINVAL, with no
 * task left.  The ends restart, so the refusals are the range check's.
 */
TEST_F_TIMEOUT(img, container_clocks, HOSTILE_TIMEOUT)
{
	static const struct {
		const char *what;
		int64_t mono, boot;
		bool valid;
	} cases[] = {
		{ "both clocks 0", 0, 0, true },
		{ "both clocks at KTIME_SEC_MAX / 2 s", CKPT_CLOCK_NS_MAX,
		  CKPT_CLOCK_NS_MAX, true },
		{ "CLOCK_MONOTONIC -1 ns", -1, 0, false },
		{ "CLOCK_MONOTONIC INT64_MIN", INT64_MIN, 0, false },
		{ "CLOCK_MONOTONIC 1 ns past KTIME_SEC_MAX / 2 s",
		  CKPT_CLOCK_NS_MAX + 1, 0, false },
		{ "CLOCK_BOOTTIME -1 ns", 0, -1, false },
		{ "CLOCK_BOOTTIME 1 ns past KTIME_SEC_MAX / 2 s", 0,
		  CKPT_CLOCK_NS_MAX + 1, false },
		{ "CLOCK_BOOTTIME INT64_MAX", 0, INT64_MAX, false },
	};
	unsigned int k;

	for (k = 0; k < ARRAY_SIZE(cases); k++) {
		struct ckpt_container *c;
		int err = 0;

		cur_reset(self);
		c = cur_container(self);
		ASSERT_NE(NULL, c);
		c->monotonic_ns = cases[k].mono;
		c->boottime_ns = cases[k].boot;
		ASSERT_EQ(0, img_fix_trailer(self->buf, self->cur));
		if (!cases[k].valid) {
			ASSERT_RESTART_FAILS(self->cur, ERR_MALFORMED, "%s",
					     cases[k].what);
			continue;
		}
		ASSERT_EQ(1, restart_buf(_metadata, self, self->cur, &err)) {
			TH_LOG("%s: does not restart: %s", cases[k].what,
			       strerrorname_np(err));
			show_log(_metadata, self);
		}
	}
}

TEST_F_TIMEOUT(img, tree_crafted, HOSTILE_TIMEOUT)
{
	unsigned int k;
	int skipped = 0;

	for (k = 0; k < ARRAY_SIZE(tree_cases); k++) {
		const struct tree_case *tc = &tree_cases[k];
		int err = 0, r;

		cur_reset(self);
		if (tc->craft(self)) {
			TH_LOG("%s: not applicable to this image, skipped",
			       tc->name);
			skipped++;
			continue;
		}
		ASSERT_EQ(0, img_fix_trailer(self->buf, self->cur));
		r = restart_buf(_metadata, self, self->cur, &err);
		ASSERT_NE(-1, r) {
			TH_LOG("leftovers after: %s", tc->name);
		}
		ASSERT_EQ(0, r) {
			TH_LOG("restart succeeded: %s", tc->name);
		}
		if (!refused_as_malformed(err)) {
			show_log(_metadata, self);
			ASSERT_TRUE(refused_as_malformed(err)) {
				TH_LOG("%s: %s, expected %s or %s", tc->name,
				       strerrorname_np(err),
				       strerrorname_np(ERR_MALFORMED),
				       strerrorname_np(ERR_NOT_IMAGE));
			}
		}
	}
	TH_LOG("%zu crafted trees refused, %d skipped",
	       ARRAY_SIZE(tree_cases) - skipped, skipped);
}

/*
 * File tables, open files and pipes (format 4).
 *
 * The intact image's init has /dev/null on fds 0-2; these cases append
 * descriptors to its file table (records before its SIGHAND, counted in
 * its FILES record): pipes with data and packets, the FILE records of
 * their ends, FD records, each case with one defect.  pipe_control shows
 * the same builder without a defect makes an image that restarts.
 */

/* Records to append to init's file table. */
struct fbuild {
	unsigned char buf[3 * 8192];
	size_t len;
	uint32_t nr_fds;	/* FD records among them */
	uint32_t file;		/* the next FILE id */
	uint32_t pipe;		/* the next PIPE id */
	uint32_t sock;		/* the next UNIX id */
	int32_t fd;		/* the next descriptor */
};

static uint32_t cur_count(FIXTURE_DATA(img) *self, uint32_t type)
{
	uint32_t nr = 0;

	while (cur_find(self, type, nr) >= 0)
		nr++;
	return nr;
}

static void fb_init(FIXTURE_DATA(img) *self, struct fbuild *fb)
{
	memset(fb, 0, sizeof(*fb));
	fb->file = cur_count(self, CKPT_REC_FILE) + 1;
	fb->pipe = cur_count(self, CKPT_REC_PIPE) + 1;
	fb->sock = cur_count(self, CKPT_REC_UNIX) + 1;
	fb->fd = 100;	/* above init's, below its RLIMIT_NOFILE */
}

static void fb_rec(struct fbuild *fb, uint32_t type, const void *p, size_t n,
		   const void *tail, size_t tail_n)
{
	struct ckpt_rec r = { type, sizeof(r) + n + tail_n };

	if (fb->len + r.len > sizeof(fb->buf))
		abort();
	memcpy(fb->buf + fb->len, &r, sizeof(r));
	memcpy(fb->buf + fb->len + sizeof(r), p, n);
	if (tail_n)
		memcpy(fb->buf + fb->len + sizeof(r) + n, tail, tail_n);
	fb->len += r.len;
}

static void fb_pipe(struct fbuild *fb, uint32_t id, uint32_t size,
		    uint32_t nr_bufs, uint32_t pad)
{
	struct ckpt_pipe p = { id, size, nr_bufs, pad };

	fb_rec(fb, CKPT_REC_PIPE, &p, sizeof(p), NULL, 0);
}

static void fb_pipe_buf(struct fbuild *fb, const void *data, uint32_t len,
			uint32_t flags)
{
	struct ckpt_pipe_buf b = { len, flags };

	fb_rec(fb, CKPT_REC_PIPE_BUF, &b, sizeof(b), data, len);
}

static void fb_file(struct fbuild *fb, uint32_t id, uint32_t kind,
		    uint32_t flags, uint32_t obj, const char *path)
{
	struct ckpt_file f = { .id = id, .kind = kind, .flags = flags,
			       .obj = obj };

	f.path_len = path ? strlen(path) : 0;
	fb_rec(fb, CKPT_REC_FILE, &f, sizeof(f), path, f.path_len);
}

static void fb_fd(struct fbuild *fb, int32_t fd, uint32_t file, uint32_t flags,
		  uint32_t pad)
{
	struct ckpt_fd d = { fd, file, flags, pad };

	fb_rec(fb, CKPT_REC_FD, &d, sizeof(d), NULL, 0);
	fb->nr_fds++;
}

/* Appends @fb's records to init's file table. */
static int fb_apply(FIXTURE_DATA(img) *self, const struct fbuild *fb)
{
	struct ckpt_files *files = cur_payload(self, CKPT_REC_FILES, 0);
	long at = cur_find(self, CKPT_REC_SIGHAND, 0);

	if (!files || at < 0)
		return -1;
	files->nr_fds += fb->nr_fds;
	return cur_insert(self, at, fb->buf, fb->len);
}

enum file_defect {
	FD_NONE,
	FD_UNKNOWN_FILE,	/* an FD naming an open file not defined */
	FD_FILE_ZERO,		/* an FD naming open file 0 */
	FD_FLAGS,		/* FD flags beyond CKPT_FD_CLOEXEC */
	FD_PAD,			/* FD padding */
	FD_NOT_INCREASING,	/* the second end's fd equals the first's */
	FD_BELOW_LAST,		/* an fd below init's last one */
	FILE_ID_AHEAD,		/* FILE id 2 where 1 is next */
	FILE_ID_REPEATED,	/* the write end's FILE reuses the read end's id */
	FILE_UNKNOWN_PIPE,	/* FILE of kind PIPE naming pipe 2 of 1 */
	FILE_PIPE_ZERO,		/* ... naming pipe 0 */
	FILE_RDWR_END,		/* an O_RDWR pipe end */
	FILE_END_TWICE,		/* both FILE records take the read end */
	FILE_PIPE_PATH,		/* a pipe end with a path */
	FILE_CLOEXEC_FLAG,	/* O_CLOEXEC in FILE flags (format 3's way) */
	PIPE_ID_AHEAD,		/* PIPE id 2 where 1 is next */
	PIPE_NOT_POW2,		/* PIPE size 3 pages */
	PIPE_BELOW_PAGE,	/* PIPE size 2048 */
	PIPE_ABOVE_MAX,		/* PIPE size 2 * CKPT_PIPE_MAX */
	PIPE_PAD,		/* PIPE padding */
	PIPE_TOO_MANY_BUFS,	/* 2 buffers in a pipe of one page */
	PIPE_MORE_BUFS,		/* nr_bufs 1, two PIPE_BUF follow */
	PIPE_FEWER_BUFS,	/* nr_bufs 3, two PIPE_BUF follow */
	PIPE_THEN_FD,		/* a PIPE followed by an FD, not its FILE */
	BUF_LONG,		/* a PIPE_BUF of a page and a byte */
	BUF_EMPTY,		/* a PIPE_BUF of 0 bytes */
	BUF_FLAGS,		/* PIPE_BUF flags beyond PACKET */
	BUF_LEN_NOT_TAIL,	/* PIPE_BUF len 4, 5 bytes of data */
};

/*
 * A pipe of 64 KiB holding "hello" and a packet "pkt", its read end on
 * fd 100 and its write end (close-on-exec) on fd 101, with @defect.
 */
static int craft_pipe(FIXTURE_DATA(img) *self, enum file_defect defect)
{
	static unsigned char page[4097];
	uint32_t size = 65536, nr_bufs = 2, pad = 0, rd, wr, pipe;
	uint32_t rflags = O_RDONLY, wflags = O_WRONLY;
	struct fbuild fb;

	fb_init(self, &fb);
	pipe = fb.pipe;
	rd = fb.file;
	wr = fb.file + 1;
	switch (defect) {
	case PIPE_ID_AHEAD:	pipe++; break;
	case PIPE_NOT_POW2:	size = 3 * 4096; break;
	case PIPE_BELOW_PAGE:	size = 2048; break;
	case PIPE_ABOVE_MAX:	size = 2 * CKPT_PIPE_MAX; break;
	case PIPE_PAD:		pad = 1; break;
	case PIPE_TOO_MANY_BUFS: size = 4096; break;
	case PIPE_MORE_BUFS:	nr_bufs = 1; break;
	case PIPE_FEWER_BUFS:	nr_bufs = 3; break;
	case FILE_RDWR_END:	rflags = O_RDWR; break;
	case FILE_END_TWICE:	wflags = O_RDONLY; break;
	case FILE_CLOEXEC_FLAG:	wflags |= O_CLOEXEC; break;
	case FILE_ID_AHEAD:	rd++; wr++; break;
	case FILE_ID_REPEATED:	wr = rd; break;
	default:		break;
	}
	fb_pipe(&fb, pipe, size, nr_bufs, pad);
	memset(page, 'x', sizeof(page));
	switch (defect) {
	case BUF_LONG:
		fb_pipe_buf(&fb, page, 4097, 0);
		break;
	case BUF_EMPTY:
		fb_pipe_buf(&fb, "", 0, 0);
		break;
	case BUF_LEN_NOT_TAIL: {
		struct ckpt_pipe_buf b = { 4, 0 };

		fb_rec(&fb, CKPT_REC_PIPE_BUF, &b, sizeof(b), "hello", 5);
		break;
	}
	default:
		fb_pipe_buf(&fb, "hello", 5, 0);
	}
	fb_pipe_buf(&fb, "pkt", 3, defect == BUF_FLAGS ? 2 :
		    CKPT_PIPE_BUF_PACKET);
	if (defect == PIPE_THEN_FD) {
		fb_fd(&fb, fb.fd, 1, 0, 0);	/* /dev/null again */
		return fb_apply(self, &fb);
	}
	if (defect == FILE_PIPE_PATH)
		fb_file(&fb, rd, CKPT_FILE_PIPE, rflags, pipe, "/dev/null");
	else
		fb_file(&fb, rd, CKPT_FILE_PIPE, rflags,
			defect == FILE_UNKNOWN_PIPE ? pipe + 1 :
			defect == FILE_PIPE_ZERO ? 0 : pipe, NULL);
	fb_fd(&fb, defect == FD_BELOW_LAST ? 1 : fb.fd,
	      defect == FD_UNKNOWN_FILE ? wr + 5 :
	      defect == FD_FILE_ZERO ? 0 : rd,
	      defect == FD_FLAGS ? 2 : 0, defect == FD_PAD ? 1 : 0);
	fb_file(&fb, wr, CKPT_FILE_PIPE, wflags, pipe, NULL);
	fb_fd(&fb, defect == FD_NOT_INCREASING ? fb.fd : fb.fd + 1, wr,
	      CKPT_FD_CLOEXEC, 0);
	return fb_apply(self, &fb);
}

static const struct file_case {
	const char *name;
	enum file_defect defect;
} file_cases[] = {
	{ "FD naming an unknown open file", FD_UNKNOWN_FILE },
	{ "FD naming open file 0", FD_FILE_ZERO },
	{ "FD flags beyond cloexec", FD_FLAGS },
	{ "FD padding", FD_PAD },
	{ "fds not increasing", FD_NOT_INCREASING },
	{ "fd below the table's last one", FD_BELOW_LAST },
	{ "FILE id out of order (2 before 1)", FILE_ID_AHEAD },
	{ "FILE id repeated", FILE_ID_REPEATED },
	{ "FILE of kind PIPE naming an unknown pipe", FILE_UNKNOWN_PIPE },
	{ "FILE of kind PIPE naming pipe 0", FILE_PIPE_ZERO },
	{ "pipe end open O_RDWR", FILE_RDWR_END },
	{ "same pipe end taken by two FILE records", FILE_END_TWICE },
	{ "pipe end with a path", FILE_PIPE_PATH },
	{ "O_CLOEXEC in FILE flags", FILE_CLOEXEC_FLAG },
	{ "PIPE id out of order", PIPE_ID_AHEAD },
	{ "PIPE size not a power of two", PIPE_NOT_POW2 },
	{ "PIPE smaller than a page", PIPE_BELOW_PAGE },
	{ "PIPE larger than CKPT_PIPE_MAX", PIPE_ABOVE_MAX },
	{ "PIPE padding", PIPE_PAD },
	{ "more PIPE_BUF than the pipe's pages", PIPE_TOO_MANY_BUFS },
	{ "more PIPE_BUF than announced", PIPE_MORE_BUFS },
	{ "fewer PIPE_BUF than announced", PIPE_FEWER_BUFS },
	{ "PIPE not followed by its FILE", PIPE_THEN_FD },
	{ "PIPE_BUF longer than a page", BUF_LONG },
	{ "PIPE_BUF empty", BUF_EMPTY },
	{ "PIPE_BUF with unknown flags", BUF_FLAGS },
	{ "PIPE_BUF length not its data's", BUF_LEN_NOT_TAIL },
};

/* A directory "/" open for writing. */
static int craft_dir_for_writing(FIXTURE_DATA(img) *self)
{
	struct fbuild fb;

	fb_init(self, &fb);
	fb_file(&fb, fb.file, CKPT_FILE_DIR, O_WRONLY, 0, "/");
	fb_fd(&fb, fb.fd, fb.file, 0, 0);
	return fb_apply(self, &fb);
}

/* A child whose FILES names init's table, saved before, with an fd. */
static int craft_files_reused_with_fds(FIXTURE_DATA(img) *self)
{
	struct ckpt_tree e = child_tree(self, 2);
	struct ckpt_fd d = { 0, 1, 0, 0 };
	struct ckpt_files *f;
	long at;

	if (add_task(self, &e))
		return -1;
	f = cur_payload(self, CKPT_REC_FILES, 1);
	at = cur_find(self, CKPT_REC_FILES, 1);
	if (!f || at < 0)
		return -1;
	f->nr_fds = 1;
	return cur_insert_rec(self, at + sizeof(struct ckpt_rec) + sizeof(*f),
			      CKPT_REC_FD, &d, sizeof(d));
}

/* A child whose FILES is table 3, when 2 is the next new one. */
static int craft_files_id_skips(FIXTURE_DATA(img) *self)
{
	struct ckpt_tree e = child_tree(self, 2);
	struct ckpt_files *f;

	if (add_task(self, &e))
		return -1;
	f = cur_payload(self, CKPT_REC_FILES, 1);
	if (!f)
		return -1;
	f->id = 3;
	return 0;
}

static int craft_files_id_zero(FIXTURE_DATA(img) *self)
{
	struct ckpt_files *f = cur_payload(self, CKPT_REC_FILES, 0);

	if (!f)
		return -1;
	f->id = 0;
	return 0;
}

/* Init's FILES announcing one fd more than follow. */
static int craft_files_more_fds(FIXTURE_DATA(img) *self)
{
	struct ckpt_files *f = cur_payload(self, CKPT_REC_FILES, 0);

	if (!f)
		return -1;
	f->nr_fds++;
	return 0;
}

static const struct tree_case table_cases[] = {
	{ "directory open for writing", craft_dir_for_writing },
	{ "FILES reusing a table id with nr_fds > 0", craft_files_reused_with_fds },
	{ "new FILES id that skips one", craft_files_id_skips },
	{ "FILES id 0", craft_files_id_zero },
	{ "FILES announcing more fds than follow", craft_files_more_fds },
};

/* Restarts self->cur bytes of self->buf: 0 and the errno if refused. */
static int restart_cur(struct __test_metadata *_metadata,
		       FIXTURE_DATA(img) *self, int *err)
{
	if (img_fix_trailer(self->buf, self->cur))
		return -1;
	return restart_buf(_metadata, self, self->cur, err);
}

/*
 * The builder's pipe restarts, in init and in a child that shares init's
 * file table (FILES {1, 0}): an end held twice, data and a packet.
 */
TEST_F_TIMEOUT(img, pipe_control, HOSTILE_TIMEOUT)
{
	struct ckpt_tree e = child_tree(self, 2);
	int err = 0;

	cur_reset(self);
	ASSERT_EQ(0, craft_pipe(self, FD_NONE));
	ASSERT_EQ(0, add_task(self, &e));
	ASSERT_EQ(1, restart_cur(_metadata, self, &err)) {
		TH_LOG("init with a pipe, and a child sharing its table, do not restart: %s",
		       strerrorname_np(err));
		show_log(_metadata, self);
	}
}

TEST_F_TIMEOUT(img, file_crafted, HOSTILE_TIMEOUT)
{
	unsigned int k, nr = ARRAY_SIZE(file_cases) + ARRAY_SIZE(table_cases);

	for (k = 0; k < nr; k++) {
		bool pipe_case = k < ARRAY_SIZE(file_cases);
		const char *name = pipe_case ? file_cases[k].name :
				   table_cases[k - ARRAY_SIZE(file_cases)].name;
		int r;

		cur_reset(self);
		r = pipe_case ? craft_pipe(self, file_cases[k].defect) :
		    table_cases[k - ARRAY_SIZE(file_cases)].craft(self);
		ASSERT_EQ(0, r) {
			TH_LOG("%s: cannot build it", name);
		}
		ASSERT_EQ(0, img_fix_trailer(self->buf, self->cur));
		ASSERT_RESTART_FAILS(self->cur, ERR_MALFORMED, "%s", name);
	}
	TH_LOG("%u crafted file tables refused", nr);
}

/*
 * Unix sockets (format 5): listening sockets and their connections, names.
 *
 * The cases append to init's file table a listening stream socket with an
 * abstract name (unique to the test process) and two connections, one
 * accepted and one pending (each server end with a message from its
 * client, the accepted client with one back), and the open files of the
 * listener, the accepted connection's ends and the pending client; each
 * case with one defect.  unix_control shows the same builder without a
 * defect makes an image that restarts.
 */
enum unix_defect {
	UX_NONE,
	UX_ACCEPTED_AFTER_PENDING,	/* the pending connection first */
	UX_PENDING_FILE,		/* a FILE takes the pending server end */
	UX_PENDING_CLIENT_MSG,		/* the pending client has a message */
	UX_OTHER_LISTENER,		/* pending server end: listener = 1st server end */
	UX_APART,			/* a connection after its group */
	UX_LISTEN_PEER,			/* the listening socket has a peer */
	UX_PATH_NUL,			/* a path name with a NUL inside */
	UX_PATH_RELATIVE,		/* a path name not from the root */
	UX_PATH_NO_INO,			/* a path name without an inode */
	UX_ABSTRACT_INO,		/* an abstract name with an inode */
	UX_NAME_PAST_TAIL,		/* name_len beyond the record's tail */
	UX_NAME_TOO_LONG,		/* name_len UNIX_PATH_MAX + 1 */
	UX_NAME_AUTOBIND,		/* a name and CKPT_UNIX_AUTOBIND */
};

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

/* @u and its name, @len bytes (its name_len unless set already). */
static void fb_unix(struct fbuild *fb, struct ckpt_unix *u, const char *name,
		    size_t len)
{
	if (!u->name_len)
		u->name_len = len;
	fb_rec(fb, CKPT_REC_UNIX, u, sizeof(*u), name, len);
}

static void fb_unix_skb(struct fbuild *fb, const char *data)
{
	struct ckpt_unix_skb b = { .len = strlen(data) };

	fb_rec(fb, CKPT_REC_UNIX_SKB, &b, sizeof(b), data, b.len);
}

/*
 * Connection @id (server end), @id + 1 (client) of listening socket @lsn;
 * @pending: not accepted yet; @back: the client's messages.
 */
static void fb_unix_conn(struct fbuild *fb, uint32_t lsn, uint32_t id,
			 bool pending, uint32_t back)
{
	struct ckpt_unix u;
	uint32_t i;

	u = unix_def(id, SOCK_STREAM, id + 1, pending ? CKPT_UNIX_PENDING : 0,
		     1);
	u.listener = lsn;
	fb_unix(fb, &u, NULL, 0);
	u = unix_def(id + 1, SOCK_STREAM, id, 0, back);
	fb_unix(fb, &u, NULL, 0);
	fb_unix_skb(fb, "hello");
	for (i = 0; i < back; i++)
		fb_unix_skb(fb, "back");
}

/* The FILE of socket @obj, on the next descriptor. */
static void fb_unix_file(struct fbuild *fb, uint32_t obj)
{
	fb_file(fb, fb->file, CKPT_FILE_UNIX, O_RDWR, obj, NULL);
	fb_fd(fb, fb->fd++, fb->file++, 0, 0);
}

static int craft_unix(FIXTURE_DATA(img) *self, enum unix_defect defect)
{
	char name[64];
	uint32_t l, acc, pend;
	struct ckpt_unix u;
	struct fbuild fb;
	size_t len;

	/* An abstract name: "\0" and a name no other test uses. */
	len = 1 + snprintf(name + 1, sizeof(name) - 1, "ckpt-hostile-%d",
			   getpid());
	name[0] = '\0';
	fb_init(self, &fb);
	l = fb.sock;
	acc = defect == UX_ACCEPTED_AFTER_PENDING ? l + 3 : l + 1;
	pend = defect == UX_ACCEPTED_AFTER_PENDING ? l + 1 : l + 3;

	u = unix_def(l, SOCK_STREAM, 0, CKPT_UNIX_LISTEN, 0);
	u.backlog = 4;
	u.nr_conns = 2;
	switch (defect) {
	case UX_LISTEN_PEER:
		u.peer = l + 1;
		break;
	case UX_PATH_NUL:
		memcpy(name, "/tm\0p", 5);
		len = 5;
		u.ino = 1;
		break;
	case UX_PATH_RELATIVE:
		memcpy(name, "tmp/ckpt-sock", 13);
		len = 13;
		u.ino = 1;
		break;
	case UX_PATH_NO_INO:
		memcpy(name, "/tmp/ckpt-sock", 14);
		len = 14;
		break;
	case UX_ABSTRACT_INO:
		u.ino = 5;
		break;
	case UX_NAME_PAST_TAIL:
		u.name_len = len + 4;
		break;
	case UX_NAME_TOO_LONG:
		u.name_len = 109;	/* UNIX_PATH_MAX + 1 */
		break;
	case UX_NAME_AUTOBIND:
		u.flags |= CKPT_UNIX_AUTOBIND;
		break;
	default:
		break;
	}
	if (defect == UX_APART)
		u.nr_conns = 1;	/* the pending one comes after a FILE */
	fb_unix(&fb, &u, name, len);
	if (defect == UX_ACCEPTED_AFTER_PENDING)
		fb_unix_conn(&fb, l, pend, true, 0);
	fb_unix_conn(&fb, l, acc, false, 1);
	if (defect != UX_ACCEPTED_AFTER_PENDING && defect != UX_APART) {
		size_t at = fb.len;

		fb_unix_conn(&fb, l, pend, true,
			     defect == UX_PENDING_CLIENT_MSG);
		if (defect == UX_OTHER_LISTENER) {
			/* The pending server end names the accepted one. */
			struct ckpt_unix *p = (void *)(fb.buf + at +
						       sizeof(struct ckpt_rec));

			p->listener = acc;
		}
	}
	fb_unix_file(&fb, l);
	if (defect == UX_APART)
		fb_unix_conn(&fb, l, pend, true, 0);
	fb_unix_file(&fb, acc);
	fb_unix_file(&fb, acc + 1);
	fb_unix_file(&fb, defect == UX_PENDING_FILE ? pend : pend + 1);
	return fb_apply(self, &fb);
}

static const struct unix_case {
	const char *name;
	enum unix_defect defect;
} unix_cases[] = {
	{ "accepted connection after a pending one", UX_ACCEPTED_AFTER_PENDING },
	{ "FILE of a pending connection's server end", UX_PENDING_FILE },
	{ "pending client with a message", UX_PENDING_CLIENT_MSG },
	{ "connection naming another socket as its listener", UX_OTHER_LISTENER },
	{ "connection after its listener's group", UX_APART },
	{ "listening socket with a peer", UX_LISTEN_PEER },
	{ "path name with a NUL", UX_PATH_NUL },
	{ "relative path name", UX_PATH_RELATIVE },
	{ "path name without an inode number", UX_PATH_NO_INO },
	{ "abstract name with an inode number", UX_ABSTRACT_INO },
	{ "name_len beyond the record's tail", UX_NAME_PAST_TAIL },
	{ "name_len UNIX_PATH_MAX + 1", UX_NAME_TOO_LONG },
	{ "name and autobind", UX_NAME_AUTOBIND },
};

/*
 * A socket bound to @path, its socket file of inode @ino left there by
 * the checkpointed container, on the next descriptor.
 */
static int craft_unix_path(FIXTURE_DATA(img) *self, const char *path,
			   uint64_t ino)
{
	struct ckpt_unix u;
	struct fbuild fb;

	fb_init(self, &fb);
	u = unix_def(fb.sock, SOCK_DGRAM, 0, 0, 0);
	u.mode = 0600;
	u.ino = ino;
	fb_unix(&fb, &u, path, strlen(path));
	fb_unix_file(&fb, fb.sock);
	return fb_apply(self, &fb);
}

/*
 * The builder's listening socket and its connections restart, and so does
 * a socket whose socket file was left at its path (restart removes it).
 */
TEST_F_TIMEOUT(img, unix_control, HOSTILE_TIMEOUT)
{
	struct sockaddr_un sun = { .sun_family = AF_UNIX };
	char dir[] = "/tmp/ckpt-hostile.XXXXXX";
	struct stat st;
	int err = 0, s;

	cur_reset(self);
	ASSERT_EQ(0, craft_unix(self, UX_NONE));
	ASSERT_EQ(1, restart_cur(_metadata, self, &err)) {
		TH_LOG("a listening socket with an accepted and a pending connection does not restart: %s",
		       strerrorname_np(err));
		show_log(_metadata, self);
	}

	ASSERT_NE(NULL, mkdtemp(dir));
	snprintf(sun.sun_path, sizeof(sun.sun_path), "%s/sock", dir);
	s = socket(AF_UNIX, SOCK_DGRAM, 0);
	ASSERT_LE(0, s);
	ASSERT_EQ(0, bind(s, (struct sockaddr *)&sun, sizeof(sun)));
	close(s);	/* its socket file stays */
	ASSERT_EQ(0, stat(sun.sun_path, &st));
	cur_reset(self);
	ASSERT_EQ(0, craft_unix_path(self, sun.sun_path, st.st_ino));
	err = 0;
	s = restart_cur(_metadata, self, &err);
	if (s != 1)
		show_log(_metadata, self);
	unlink(sun.sun_path);
	rmdir(dir);
	ASSERT_EQ(1, s) {
		TH_LOG("a socket bound to %s, its stale socket file there, does not restart: %s",
		       sun.sun_path, strerrorname_np(err));
	}
}

TEST_F_TIMEOUT(img, unix_crafted, HOSTILE_TIMEOUT)
{
	char dir[] = "/tmp/ckpt-hostile.XXXXXX", path[64];
	struct stat st, after;
	unsigned int k;
	int err = 0, r, fd, gone;

	for (k = 0; k < ARRAY_SIZE(unix_cases); k++) {
		const char *name = unix_cases[k].name;

		cur_reset(self);
		ASSERT_EQ(0, craft_unix(self, unix_cases[k].defect)) {
			TH_LOG("%s: cannot build it", name);
		}
		ASSERT_EQ(0, img_fix_trailer(self->buf, self->cur));
		ASSERT_RESTART_FAILS(self->cur, ERR_MALFORMED, "%s", name);
	}

	/*
	 * The inode number of a socket's stale socket file names a regular
	 * file at its path: restart must not remove it, and fails.
	 */
	ASSERT_NE(NULL, mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/data", dir);
	fd = open(path, O_WRONLY | O_CREAT | O_EXCL, 0600);
	ASSERT_LE(0, fd);
	ASSERT_EQ(4, write(fd, "keep", 4));
	close(fd);
	ASSERT_EQ(0, stat(path, &st));
	cur_reset(self);
	ASSERT_EQ(0, craft_unix_path(self, path, st.st_ino));
	err = 0;
	r = restart_cur(_metadata, self, &err);
	memset(&after, 0, sizeof(after));
	gone = stat(path, &after);
	if (r != 0 || err != ERR_NAME_TAKEN)
		show_log(_metadata, self);
	unlink(path);
	rmdir(dir);
	ASSERT_NE(-1, r) {
		TH_LOG("leftovers after: a regular file at a socket's path");
	}
	ASSERT_EQ(0, r) {
		TH_LOG("restart succeeded: a regular file at a socket's path");
	}
	ASSERT_EQ(ERR_NAME_TAKEN, err) {
		TH_LOG("a regular file at a socket's path: %s, expected %s",
		       strerrorname_np(err), strerrorname_np(ERR_NAME_TAKEN));
	}
	ASSERT_EQ(0, gone) {
		TH_LOG("restart removed the regular file %s", path);
	}
	ASSERT_TRUE(S_ISREG(after.st_mode) && after.st_ino == st.st_ino &&
		    after.st_size == 4) {
		TH_LOG("restart replaced or changed the regular file %s", path);
	}
	TH_LOG("%zu crafted unix sockets refused, and a regular file kept",
	       ARRAY_SIZE(unix_cases));
}

/*
 * Groups of datagram sockets (format 6: UNIX_GROUP, CKPT_UNIX_ONEWAY,
 * UNIX_SKB.sender).
 *
 * The control appends to init's file table a group of two: a datagram
 * server S bound to an abstract name (unique to the test process) and a
 * client C bound to another, connected one way to S; S holds a message
 * from C (through the connection), C one from S (sent to C's name); then
 * the FILE records of both.  Some defects add a third socket X (and a
 * fourth Y) to the group, or build sockets outside any group; each case
 * has one defect, everything else as the grammar of struct
 * ckpt_unix_group wants it (C's message from S is left out when C is not
 * connected to S: S could not send it by name).
 */
enum dgram_defect {
	DG_NONE,
	DG_ONEWAY_SELF,		/* C connected one way to itself */
	DG_ONEWAY_OUTSIDE,	/* C connected to the id after the group */
	DG_ONEWAY_CLOSED,	/* C connected to X, closed */
	DG_ONEWAY_UNNAMED,	/* C connected to X, without a name */
	DG_ONEWAY_CHAINED,	/* C to S, S itself connected one way to X */
	DG_CLOSED_PATH,		/* X closed, bound to a path */
	DG_CLOSED_MSGS,		/* X closed, a message from S queued on it */
	DG_CLOSED_FILE,		/* X closed, a FILE record names it */
	DG_SENDER_ZERO,		/* S's message with sender 0 */
	DG_SENDER_OUTSIDE,	/* S's message from the id after the group */
	DG_SENDER_SELF,		/* S's message from S */
	DG_BYNAME_UNNAMED,	/* a message from S to X, which has no name */
	DG_NR_ZERO,		/* UNIX_GROUP nr_socks 0 */
	DG_NR_PAST_MAX,		/* nr_socks CKPT_UNIX_GROUP_MAX + 1 */
	DG_PAD,			/* UNIX_GROUP pad 1 */
	DG_LISTEN,		/* X a listening stream socket */
	DG_PAIR,		/* X and Y a datagram pair in the group */
	DG_ONEWAY_ALONE,	/* no UNIX_GROUP: S, another, C ONEWAY to S */
	DG_SENDER_ALONE,	/* a pair (no group), a message with a sender */
};

/* "\0ckpt-hostile-dg<tag>-<pid>" in @name: its length. */
static size_t dgram_name(char *name, size_t size, char tag)
{
	name[0] = '\0';
	return 1 + snprintf(name + 1, size - 1, "ckpt-hostile-dg%c-%d", tag,
			    getpid());
}

static void fb_unix_skb_from(struct fbuild *fb, const char *data,
			     uint32_t sender)
{
	struct ckpt_unix_skb b = { .len = strlen(data), .sender = sender };

	fb_rec(fb, CKPT_REC_UNIX_SKB, &b, sizeof(b), data, b.len);
}

/* Sockets outside a group: DG_ONEWAY_ALONE and DG_SENDER_ALONE. */
static void craft_dgram_alone(struct fbuild *fb, enum dgram_defect defect)
{
	uint32_t s = fb->sock;
	struct ckpt_unix u;
	char name[64];
	size_t len;

	if (defect == DG_SENDER_ALONE) {
		/* A datagram pair, the second's message naming the first. */
		u = unix_def(s, SOCK_DGRAM, s + 1, 0, 0);
		fb_unix(fb, &u, NULL, 0);
		u = unix_def(s + 1, SOCK_DGRAM, s, 0, 1);
		fb_unix(fb, &u, NULL, 0);
		fb_unix_skb_from(fb, "pair", s);
		fb_unix_file(fb, s);
		fb_unix_file(fb, s + 1);
		return;
	}
	/*
	 * S named, alone; another socket; then C connected one way to S,
	 * alone (S is not C's id - 1: C is no second of a pair either).
	 */
	len = dgram_name(name, sizeof(name), 's');
	u = unix_def(s, SOCK_DGRAM, 0, 0, 0);
	fb_unix(fb, &u, name, len);
	fb_unix_file(fb, s);
	u = unix_def(s + 1, SOCK_DGRAM, 0, 0, 0);
	fb_unix(fb, &u, NULL, 0);
	fb_unix_file(fb, s + 1);
	len = dgram_name(name, sizeof(name), 'c');
	u = unix_def(s + 2, SOCK_DGRAM, s, CKPT_UNIX_ONEWAY, 0);
	fb_unix(fb, &u, name, len);
	fb_unix_file(fb, s + 2);
}

static int craft_dgram(FIXTURE_DATA(img) *self, enum dgram_defect defect)
{
	struct ckpt_unix_group g = { 2, 0 };
	uint32_t s, c, x, peer;
	struct ckpt_unix u;
	struct fbuild fb;
	char name[64];
	bool reply;
	size_t len;

	fb_init(self, &fb);
	if (defect == DG_ONEWAY_ALONE || defect == DG_SENDER_ALONE) {
		craft_dgram_alone(&fb, defect);
		return fb_apply(self, &fb);
	}
	s = fb.sock;
	c = s + 1;
	x = s + 2;
	switch (defect) {
	case DG_ONEWAY_CLOSED:
	case DG_ONEWAY_UNNAMED:
	case DG_ONEWAY_CHAINED:
	case DG_CLOSED_PATH:
	case DG_CLOSED_MSGS:
	case DG_CLOSED_FILE:
	case DG_BYNAME_UNNAMED:
	case DG_LISTEN:
		g.nr_socks = 3;
		break;
	case DG_PAIR:
		g.nr_socks = 4;
		break;
	case DG_NR_ZERO:
		g.nr_socks = 0;
		break;
	case DG_NR_PAST_MAX:
		g.nr_socks = CKPT_UNIX_GROUP_MAX + 1;
		break;
	case DG_PAD:
		g.pad = 1;
		break;
	default:
		break;
	}
	peer = defect == DG_ONEWAY_SELF ? c :
	       defect == DG_ONEWAY_OUTSIDE ? s + g.nr_socks :
	       defect == DG_ONEWAY_CLOSED || defect == DG_ONEWAY_UNNAMED ? x :
	       s;
	/* S sends to C's name: C must be connected to S, or to nothing. */
	reply = peer == s;
	fb_rec(&fb, CKPT_REC_UNIX_GROUP, &g, sizeof(g), NULL, 0);

	/* S: bound, a message from C; connected one way to X if chained. */
	len = dgram_name(name, sizeof(name), 's');
	u = unix_def(s, SOCK_DGRAM, 0, 0, 1);
	if (defect == DG_ONEWAY_CHAINED) {
		u.flags |= CKPT_UNIX_ONEWAY;
		u.peer = x;
	}
	fb_unix(&fb, &u, name, len);
	/* C: bound, connected one way to @peer, S's reply queued. */
	len = dgram_name(name, sizeof(name), 'c');
	u = unix_def(c, SOCK_DGRAM, peer, CKPT_UNIX_ONEWAY, reply);
	fb_unix(&fb, &u, name, len);
	if (g.nr_socks >= 3 && g.nr_socks <= 4) {
		/* X: named (abstract) and open, unless the defect says. */
		len = dgram_name(name, sizeof(name), 'x');
		u = unix_def(x, SOCK_DGRAM, 0, 0, 0);
		switch (defect) {
		case DG_ONEWAY_CLOSED:
		case DG_CLOSED_FILE:
			u.flags = CKPT_UNIX_CLOSED;
			break;
		case DG_CLOSED_PATH:
			u.flags = CKPT_UNIX_CLOSED;
			len = snprintf(name, sizeof(name),
				       "/tmp/ckpt-hostile-dgx-%d", getpid());
			u.ino = 1;
			u.mode = 0755;
			break;
		case DG_CLOSED_MSGS:
			u.flags = CKPT_UNIX_CLOSED;
			u.nr_skbs = 1;
			break;
		case DG_ONEWAY_UNNAMED:
		case DG_BYNAME_UNNAMED:
			len = 0;
			u.nr_skbs = defect == DG_BYNAME_UNNAMED;
			break;
		case DG_LISTEN:
			u.type = SOCK_STREAM;
			u.flags = CKPT_UNIX_LISTEN;
			break;
		case DG_PAIR:
			u.peer = x + 1;
			len = 0;
			break;
		default:
			break;
		}
		fb_unix(&fb, &u, len ? name : NULL, len);
		if (defect == DG_PAIR) {
			u = unix_def(x + 1, SOCK_DGRAM, x, 0, 0);
			fb_unix(&fb, &u, NULL, 0);
		}
	}

	/* The queues, in the order of the sockets: S's, C's, X's. */
	fb_unix_skb_from(&fb, "<14>hello",
			 defect == DG_SENDER_ZERO ? 0 :
			 defect == DG_SENDER_OUTSIDE ? s + g.nr_socks :
			 defect == DG_SENDER_SELF ? s : c);
	if (reply)
		fb_unix_skb_from(&fb, "ack", s);
	if (defect == DG_CLOSED_MSGS || defect == DG_BYNAME_UNNAMED)
		fb_unix_skb_from(&fb, "to x", s);

	fb_unix_file(&fb, s);
	fb_unix_file(&fb, c);
	if (defect == DG_ONEWAY_UNNAMED || defect == DG_ONEWAY_CHAINED ||
	    defect == DG_BYNAME_UNNAMED || defect == DG_LISTEN ||
	    defect == DG_PAIR || defect == DG_CLOSED_FILE)
		fb_unix_file(&fb, x);
	if (defect == DG_PAIR)
		fb_unix_file(&fb, x + 1);
	return fb_apply(self, &fb);
}

static const struct dgram_case {
	const char *name;
	enum dgram_defect defect;
} dgram_cases[] = {
	{ "ONEWAY to itself", DG_ONEWAY_SELF },
	{ "ONEWAY to an id past the group", DG_ONEWAY_OUTSIDE },
	{ "ONEWAY to a CLOSED member", DG_ONEWAY_CLOSED },
	{ "ONEWAY to an unnamed member", DG_ONEWAY_UNNAMED },
	{ "ONEWAY to a member itself ONEWAY", DG_ONEWAY_CHAINED },
	{ "CLOSED member bound to a path", DG_CLOSED_PATH },
	{ "CLOSED member with a message", DG_CLOSED_MSGS },
	{ "FILE of a CLOSED member", DG_CLOSED_FILE },
	{ "UNIX_SKB with sender 0 in a group", DG_SENDER_ZERO },
	{ "UNIX_SKB from an id past the group", DG_SENDER_OUTSIDE },
	{ "UNIX_SKB from its receiver", DG_SENDER_SELF },
	{ "UNIX_SKB by name to an unnamed member", DG_BYNAME_UNNAMED },
	{ "UNIX_GROUP of 0 sockets", DG_NR_ZERO },
	{ "UNIX_GROUP of CKPT_UNIX_GROUP_MAX + 1 sockets", DG_NR_PAST_MAX },
	{ "UNIX_GROUP padding", DG_PAD },
	{ "listening member", DG_LISTEN },
	{ "pair inside a group", DG_PAIR },
	{ "ONEWAY outside a group", DG_ONEWAY_ALONE },
	{ "UNIX_SKB with a sender outside a group", DG_SENDER_ALONE },
};

/*
 * The builder's group restarts (a server and a client connected one way
 * to it, a message each way); each defect is refused with EINVAL, and
 * nothing is left.
 */
TEST_F_TIMEOUT(img, unix_group_crafted, HOSTILE_TIMEOUT)
{
	unsigned int k;
	int err = 0;

	cur_reset(self);
	ASSERT_EQ(0, craft_dgram(self, DG_NONE));
	ASSERT_EQ(1, restart_cur(_metadata, self, &err)) {
		TH_LOG("a datagram server and a client connected one way to it, a message each way, do not restart: %s",
		       strerrorname_np(err));
		show_log(_metadata, self);
	}
	for (k = 0; k < ARRAY_SIZE(dgram_cases); k++) {
		const char *name = dgram_cases[k].name;

		cur_reset(self);
		ASSERT_EQ(0, craft_dgram(self, dgram_cases[k].defect)) {
			TH_LOG("%s: cannot build it", name);
		}
		ASSERT_EQ(0, img_fix_trailer(self->buf, self->cur));
		ASSERT_RESTART_FAILS(self->cur, ERR_MALFORMED, "%s", name);
	}
	TH_LOG("a datagram group restarted, %zu crafted groups refused",
	       ARRAY_SIZE(dgram_cases));
}

/* Drops CAP_SYS_RESOURCE from the caller's sets, keeps the others. */
static int drop_sys_resource(void)
{
	struct __user_cap_header_struct hdr = {
		.version = _LINUX_CAPABILITY_VERSION_3,
	};
	struct __user_cap_data_struct data[2];

	if (syscall(__NR_capget, &hdr, data))
		return -1;
	data[CAP_SYS_RESOURCE / 32].effective &= ~(1U << (CAP_SYS_RESOURCE % 32));
	data[CAP_SYS_RESOURCE / 32].permitted &= ~(1U << (CAP_SYS_RESOURCE % 32));
	data[CAP_SYS_RESOURCE / 32].inheritable &= ~(1U << (CAP_SYS_RESOURCE % 32));
	return syscall(__NR_capset, &hdr, data);
}

/*
 * A pipe larger than fs.pipe-max-size: restart makes it with the checks of
 * F_SETPIPE_SZ, so a caller without CAP_SYS_RESOURCE is refused (EPERM)
 * and one with it is not.
 */
TEST_F_TIMEOUT(img, pipe_max_size, HOSTILE_TIMEOUT)
{
	unsigned long max = 0;
	struct ckpt_pipe *p;
	char buf[32] = "";
	int fd, err = 0, status;
	uint32_t size;
	pid_t pid;

	fd = open("/proc/sys/fs/pipe-max-size", O_RDONLY);
	ASSERT_LE(0, fd);
	ASSERT_LT(0, read(fd, buf, sizeof(buf) - 1));
	close(fd);
	max = strtoul(buf, NULL, 10);
	for (size = 4096; size <= max && size < CKPT_PIPE_MAX; size *= 2)
		;
	if (size <= max)
		SKIP(return, "fs.pipe-max-size %lu is CKPT_PIPE_MAX or more", max);
	TH_LOG("fs.pipe-max-size %lu: a pipe of %u bytes", max, size);

	cur_reset(self);
	ASSERT_EQ(0, craft_pipe(self, FD_NONE));
	p = cur_payload(self, CKPT_REC_PIPE, 0);
	ASSERT_NE(NULL, p);
	p->size = size;
	ASSERT_EQ(1, restart_cur(_metadata, self, &err)) {
		TH_LOG("a pipe of %u bytes does not restart with CAP_SYS_RESOURCE: %s",
		       size, strerrorname_np(err));
		show_log(_metadata, self);
	}

	pid = fork();
	ASSERT_LE(0, pid);
	if (pid == 0) {
		int r;

		if (drop_sys_resource())
			_exit(100);
		r = restart_buf(_metadata, self, self->cur, &err);
		_exit(r < 0 ? 101 : r > 0 ? 102 : err == EPERM ? 0 :
		      err ? err : 103);
	}
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	ASSERT_TRUE(WIFEXITED(status));
	if (WEXITSTATUS(status))
		show_log(_metadata, self);
	ASSERT_EQ(0, WEXITSTATUS(status)) {
		TH_LOG("without CAP_SYS_RESOURCE: exit %d (100: capset, 101: leftovers, 102: restarted, 103: no errno, else the errno)",
		       WEXITSTATUS(status));
	}
	ASSERT_EQ(0, no_children_left(LEFTOVER_GRACE_MS));
	ASSERT_EQ(0, ct_cgroup_nr_procs(&self->rst));
}

/*
 * Ptys (TTY, TTY_BUF, CTTY records).  The builder appends to init's file
 * table a pty (/dev/pts/40 through /dev/ptmx) whose master holds "out"
 * and whose canonical slave holds a line "ab\n" and "cd" being edited,
 * its master on fd 100 and its slave, by path, on fd 101; with
 * TTY_AT_CTTY the TTY record comes instead before init's FILES, with a
 * CTTY record making it init's controlling terminal, init leading a
 * session of its own.
 * tty_control shows the builder without a defect restarts.
 */
enum tty_defect {
	TTY_NONE,
	TTY_ID_AHEAD,		/* TTY id 2 where 1 is next */
	TTY_FLAGS,		/* unknown TTY flags */
	TTY_PKTSTATUS,		/* packet status without packet mode */
	TTY_INDEX,		/* index 1 << 20 */
	TTY_NO_PATH,		/* no ptmx path */
	TTY_LINE,		/* line discipline 1 */
	TTY_EXTPROC,		/* EXTPROC in lflag */
	TTY_TERMIOS_PAD,	/* termios padding */
	TTY_MODE,		/* mode beyond 07777 */
	TTY_OWNER,		/* owner -1 */
	TTY_BUF_SWAPPED,	/* the slave's TTY_BUF first */
	TTY_BUF_MASTER_CANON,	/* the master's input canonical */
	TTY_BUF_RAW_FOR_CANON,	/* the slave's input raw, ICANON set */
	TTY_BUF_OTHER_TTY,	/* a TTY_BUF naming pty 2 */
	TTY_BUF_LONG,		/* len CKPT_TTY_BUF_MAX + 1 */
	TTY_BUF_TAIL,		/* len not its data's */
	TTY_BUF_EOLS,		/* three characters ending lines */
	TTY_BUF_BIT_PAST,	/* a line end past the last byte */
	TTY_BUF_MISSING,	/* one TTY_BUF only */
	TTY_FILE_UNKNOWN,	/* FILE of pty 2 */
	TTY_FILE_MASTER_TWICE,	/* two FILE records take the master */
	TTY_FILE_MASTER_RDONLY,	/* the master's FILE O_RDONLY */
	TTY_FILE_CONSOLE,	/* FILE of device 5:1 */
	TTY_FILE_MASTER_PATH,	/* the master's FILE with a path */
	TTY_FILE_SLAVE_NO_PATH,	/* a slave's FILE without one */
	TTY_CTTY_PGRP,		/* CTTY of a non-leader with a group */
	TTY_CTTY_NO_PGRP,	/* CTTY of a leader without one */
	TTY_CTTY_UNKNOWN,	/* CTTY naming pty 2 */
	TTY_CTTY_FLAGS,		/* unknown CTTY flags */
	TTY_THEN_FILES,		/* TTY before FILES without its CTTY */
	TTY_AT_CTTY = 0x100,	/* flag: the pty is init's controlling terminal */
};

static int craft_tty(FIXTURE_DATA(img) *self, int defect)
{
	struct ckpt_tty t = { .id = 1, .index = 40, .mode = 0620,
			      .rows = 24, .cols = 80 };
	struct ckpt_tty_buf mb = { .tty = 1, .end = CKPT_TTY_MASTER, .len = 3 };
	struct ckpt_tty_buf sb = { .tty = 1, .end = CKPT_TTY_SLAVE, .len = 5,
				   .flags = CKPT_TTY_BUF_CANON };
	unsigned char sdata[6] = { 'a', 'b', '\n', 'c', 'd', 1 << 2 };
	struct ckpt_ctty c = { .tty = 1, .flags = CKPT_CTTY_LEADER, .pgrp = 1 };
	const char *ptmx = "/dev/ptmx";
	bool at_ctty = defect & TTY_AT_CTTY;
	uint32_t master_flags = O_RDWR, master_rdev = 5 << 20 | 2;
	uint32_t slave_rdev = 136 << 20 | 40, pty = 1, files_at;
	const char *master_path = NULL, *slave_path = "/dev/pts/40";
	struct fbuild fb, pre;
	struct ckpt_tree *tree;
	uint32_t slen = 6;

	defect &= ~TTY_AT_CTTY;
	t.termios.lflag = ICANON | ECHO | ISIG | IEXTEN;
	t.termios.iflag = ICRNL;
	t.termios.oflag = OPOST | ONLCR;
	t.termios.cflag = CS8 | CREAD | B38400;
	t.termios.cc[VINTR] = 3;
	t.termios.cc[VEOF] = 4;
	t.path_len = strlen(ptmx);
	switch (defect) {
	case TTY_ID_AHEAD: t.id = 2; mb.tty = 2; sb.tty = 2; pty = 2; c.tty = 2; break;
	case TTY_FLAGS: t.flags = 0x80; break;
	case TTY_PKTSTATUS: t.pktstatus = 1; break;
	case TTY_INDEX: t.index = 1 << 20; break;
	case TTY_NO_PATH: t.path_len = 0; break;
	case TTY_LINE: t.termios.line = 1; break;
	case TTY_EXTPROC: t.termios.lflag |= EXTPROC; break;
	case TTY_TERMIOS_PAD: t.termios.pad[0] = 1; break;
	case TTY_MODE: t.mode = 010620; break;
	case TTY_OWNER: t.uid = -1; break;
	case TTY_BUF_MASTER_CANON: mb.flags = CKPT_TTY_BUF_CANON; break;
	case TTY_BUF_RAW_FOR_CANON: sb.flags = 0; slen = 5; break;
	case TTY_BUF_OTHER_TTY: sb.tty = 2; break;
	case TTY_BUF_LONG: sb.len = CKPT_TTY_BUF_MAX + 1; break;
	case TTY_BUF_TAIL: sb.len = 4; break;
	case TTY_BUF_EOLS:
		sdata[0] = 0x11; sdata[1] = 0x12; sdata[2] = 0x13;
		sdata[5] = 7;
		break;
	case TTY_BUF_BIT_PAST: sb.len = 3; slen = 4; sdata[3] = 1 << 2 | 1 << 5; break;
	case TTY_FILE_UNKNOWN: pty = 2; break;
	case TTY_FILE_MASTER_RDONLY: master_flags = O_RDONLY; break;
	case TTY_FILE_CONSOLE: slave_rdev = 5 << 20 | 1; slave_path = "/dev/console"; break;
	case TTY_FILE_MASTER_PATH: master_path = ptmx; break;
	case TTY_FILE_SLAVE_NO_PATH: slave_path = NULL; break;
	case TTY_CTTY_PGRP: c.flags = 0; break;
	case TTY_CTTY_NO_PGRP: c.pgrp = 0; break;
	case TTY_CTTY_UNKNOWN: c.tty = 2; break;
	case TTY_CTTY_FLAGS: c.flags |= 4; break;
	}
	if (defect == TTY_BUF_BIT_PAST)
		memcpy(sdata, "ab\n", 3);

	/* The pty's records, in init's table or before its FILES. */
	fb_init(self, &pre);
	fb_rec(&pre, CKPT_REC_TTY, &t, sizeof(t), ptmx, t.path_len);
	if (defect == TTY_BUF_SWAPPED) {
		fb_rec(&pre, CKPT_REC_TTY_BUF, &sb, sizeof(sb), sdata, slen);
		fb_rec(&pre, CKPT_REC_TTY_BUF, &mb, sizeof(mb), "out", 3);
	} else {
		fb_rec(&pre, CKPT_REC_TTY_BUF, &mb, sizeof(mb), "out", 3);
		if (defect != TTY_BUF_MISSING)
			fb_rec(&pre, CKPT_REC_TTY_BUF, &sb, sizeof(sb), sdata, slen);
	}
	if (at_ctty && defect != TTY_THEN_FILES)
		fb_rec(&pre, CKPT_REC_CTTY, &c, sizeof(c), NULL, 0);

	fb_init(self, &fb);
	if (!at_ctty) {
		memcpy(fb.buf, pre.buf, pre.len);
		fb.len = pre.len;
	}
	fb_file(&fb, fb.file, CKPT_FILE_TTY, master_flags, pty, master_path);
	((struct ckpt_file *)(fb.buf + fb.len - sizeof(struct ckpt_file) -
			      (master_path ? strlen(master_path) : 0)))->rdev = master_rdev;
	fb_fd(&fb, fb.fd, fb.file, 0, 0);
	if (defect == TTY_FILE_MASTER_TWICE) {
		fb_file(&fb, fb.file + 1, CKPT_FILE_TTY, O_RDWR, pty, NULL);
		((struct ckpt_file *)(fb.buf + fb.len -
				      sizeof(struct ckpt_file)))->rdev = master_rdev;
	} else {
		fb_file(&fb, fb.file + 1, CKPT_FILE_TTY, O_RDWR, pty, slave_path);
		((struct ckpt_file *)(fb.buf + fb.len - sizeof(struct ckpt_file) -
				      (slave_path ? strlen(slave_path) : 0)))->rdev = slave_rdev;
	}
	fb_fd(&fb, fb.fd + 1, fb.file + 1, 0, 0);
	if (fb_apply(self, &fb))
		return -1;
	if (!at_ctty)
		return 0;
	/* Init leads a session of its own, as after setsid(). */
	tree = cur_payload(self, CKPT_REC_TREE, 0);
	if (!tree)
		return -1;
	tree->pgid = 1;
	tree->sid = 1;
	tree->flags |= CKPT_TREE_SESSION_LEADER;
	files_at = cur_find(self, CKPT_REC_FILES, 0);
	return cur_insert(self, files_at, pre.buf, pre.len);
}

static const struct tty_case {
	const char *name;
	int defect;
} tty_cases[] = {
	{ "TTY id out of order", TTY_ID_AHEAD },
	{ "TTY with unknown flags", TTY_FLAGS },
	{ "TTY packet status without packet mode", TTY_PKTSTATUS },
	{ "TTY index past the devpts maximum", TTY_INDEX },
	{ "TTY without its ptmx path", TTY_NO_PATH },
	{ "TTY with another line discipline", TTY_LINE },
	{ "TTY in EXTPROC mode", TTY_EXTPROC },
	{ "TTY termios padding", TTY_TERMIOS_PAD },
	{ "TTY mode beyond 07777", TTY_MODE },
	{ "TTY owner -1", TTY_OWNER },
	{ "TTY_BUF of the slave first", TTY_BUF_SWAPPED },
	{ "TTY_BUF of the master canonical", TTY_BUF_MASTER_CANON },
	{ "TTY_BUF raw for an ICANON slave", TTY_BUF_RAW_FOR_CANON },
	{ "TTY_BUF of another pty", TTY_BUF_OTHER_TTY },
	{ "TTY_BUF longer than the line discipline holds", TTY_BUF_LONG },
	{ "TTY_BUF length not its data's", TTY_BUF_TAIL },
	{ "TTY_BUF lines ended by three characters", TTY_BUF_EOLS },
	{ "TTY_BUF line end past its last byte", TTY_BUF_BIT_PAST },
	{ "TTY with one TTY_BUF", TTY_BUF_MISSING },
	{ "FILE of a pty not defined", TTY_FILE_UNKNOWN },
	{ "FILE of the master twice", TTY_FILE_MASTER_TWICE },
	{ "FILE of the master O_RDONLY", TTY_FILE_MASTER_RDONLY },
	{ "FILE of /dev/console as a pty", TTY_FILE_CONSOLE },
	{ "FILE of the master with a path", TTY_FILE_MASTER_PATH },
	{ "FILE of a slave without a path", TTY_FILE_SLAVE_NO_PATH },
	{ "CTTY of a process that does not lead, with a group",
	  TTY_AT_CTTY | TTY_CTTY_PGRP },
	{ "CTTY of a session leader without a group", TTY_AT_CTTY | TTY_CTTY_NO_PGRP },
	{ "CTTY of a pty not defined", TTY_AT_CTTY | TTY_CTTY_UNKNOWN },
	{ "CTTY with unknown flags", TTY_AT_CTTY | TTY_CTTY_FLAGS },
	{ "TTY before FILES without its CTTY", TTY_AT_CTTY | TTY_THEN_FILES },
};

/* The builder's pty restarts, in init's table, and as its terminal. */
TEST_F_TIMEOUT(img, tty_control, HOSTILE_TIMEOUT)
{
	int err = 0, at;

	if (access("/dev/ptmx", R_OK | W_OK) || access("/dev/pts/ptmx", F_OK))
		SKIP(return, "no /dev/ptmx and devpts at /dev/pts");
	for (at = 0; at < 2; at++) {
		cur_reset(self);
		ASSERT_EQ(0, craft_tty(self, at ? TTY_AT_CTTY : TTY_NONE));
		ASSERT_EQ(1, restart_cur(_metadata, self, &err)) {
			TH_LOG("a pty %s does not restart: %s",
			       at ? "as init's terminal" : "in init's table",
			       strerrorname_np(err));
			show_log(_metadata, self);
		}
	}
}

TEST_F_TIMEOUT(img, tty_crafted, HOSTILE_TIMEOUT)
{
	unsigned int k;

	for (k = 0; k < ARRAY_SIZE(tty_cases); k++) {
		const char *name = tty_cases[k].name;

		cur_reset(self);
		ASSERT_EQ(0, craft_tty(self, tty_cases[k].defect)) {
			TH_LOG("%s: cannot build it", name);
		}
		ASSERT_EQ(0, img_fix_trailer(self->buf, self->cur));
		ASSERT_RESTART_FAILS(self->cur, ERR_MALFORMED, "%s", name);
	}
	TH_LOG("%zu crafted ptys refused", ARRAY_SIZE(tty_cases));
}

/*
 * Files with no name (UNLINKED records, FILE kind CKPT_FILE_UNLINKED).
 *
 * Appended to init's file table: an UNLINKED record for a file of 5000
 * bytes made again with O_TMPFILE in /tmp (its 2 pages in one PAGES
 * record), and two FILE records of it on fds 100 and 101.  unlinked_control
 * shows the builder restarts; each case of unlinked_cases[] breaks one rule
 * and must be refused with its errno, leaving no task behind.
 */
enum unlinked_defect {
	UNL_NONE,
	UNL_ID_AHEAD,		/* UNLINKED id 2 where 1 is next */
	UNL_FLAGS,		/* unknown flags */
	UNL_MODE_DIR,		/* mode S_IFDIR | 0755 */
	UNL_MODE_BITS,		/* mode with bits past 07777 and S_IFMT */
	UNL_NO_PATH,		/* path_len 0 */
	UNL_RELATIVE,		/* "tmp" */
	UNL_PATH_MISSING,	/* a directory that does not exist: ENOENT */
	UNL_PATH_NOT_DIR,	/* "/dev/null": ENOTDIR */
	UNL_SIZE_HUGE,		/* size past MAX_LFS_FILESIZE */
	UNL_OVER_LIMIT,		/* CKPT_UNLINKED_DATA_MAX + a page: EFBIG */
	UNL_PAGES_PAST_SIZE,	/* 2 pages in a file of 4000 bytes */
	UNL_DATA_LONGER,	/* nr_pages 1, the PAGES record has 2 */
	UNL_DATA_SHORTER,	/* nr_pages 3, 2 pages follow */
	UNL_PAGES_BEYOND,	/* the PAGES record at offset 8192 of 5000 */
	UNL_PAGES_TAIL,		/* PAGES of 2 pages, 1 page of data */
	UNL_THEN_FD,		/* UNLINKED followed by an FD, not a FILE */
	UNL_FILE_UNKNOWN,	/* FILE naming UNLINKED 2 */
	UNL_FILE_ZERO,		/* FILE naming UNLINKED 0 */
	UNL_FILE_INODE,		/* FILE with an inode number */
	UNL_FILE_PATH,		/* FILE with a path */
};

static int craft_unlinked(FIXTURE_DATA(img) *self, enum unlinked_defect defect)
{
	static unsigned char data[2 * 4096];
	struct ckpt_unlinked u = { .id = 1, .flags = CKPT_UNLINKED_LINKABLE,
				   .mode = S_IFREG | 0640, .size = 5000,
				   .nr_pages = 2 };
	struct ckpt_pages p = { .addr = 0, .nr_pages = 2 };
	const char *dir = "/tmp", *fpath = NULL;
	uint32_t obj = 1, tail = sizeof(data);
	struct ckpt_file *f;
	struct fbuild fb;

	memset(data, 'u', sizeof(data));
	switch (defect) {
	case UNL_ID_AHEAD:	u.id = 2; obj = 2; break;
	case UNL_FLAGS:		u.flags = 2; break;
	case UNL_MODE_DIR:	u.mode = S_IFDIR | 0755; break;
	case UNL_MODE_BITS:	u.mode = S_IFREG | 010640; break;
	case UNL_RELATIVE:	dir = "tmp"; break;
	case UNL_PATH_MISSING:	dir = "/ckpt-no-such-directory"; break;
	case UNL_PATH_NOT_DIR:	dir = "/dev/null"; break;
	case UNL_SIZE_HUGE:	u.size = 1ULL << 63; break;
	case UNL_OVER_LIMIT:
		u.nr_pages = CKPT_UNLINKED_DATA_MAX / 4096 + 1;
		u.size = u.nr_pages * 4096;
		break;
	case UNL_PAGES_PAST_SIZE: u.size = 4000; break;
	case UNL_DATA_LONGER:	u.nr_pages = 1; break;
	case UNL_DATA_SHORTER:	u.nr_pages = 3; u.size = 3 * 4096; break;
	case UNL_PAGES_BEYOND:	p.addr = 8192; break;
	case UNL_PAGES_TAIL:	tail = 4096; break;
	case UNL_THEN_FD:	u.nr_pages = 0; break;
	case UNL_FILE_UNKNOWN:	obj = 2; break;
	case UNL_FILE_ZERO:	obj = 0; break;
	case UNL_FILE_PATH:	fpath = "/tmp/x"; break;
	default:		break;
	}
	u.path_len = defect == UNL_NO_PATH ? 0 : strlen(dir);
	fb_init(self, &fb);
	fb_rec(&fb, CKPT_REC_UNLINKED, &u, sizeof(u), dir, u.path_len);
	if (defect != UNL_THEN_FD)
		fb_rec(&fb, CKPT_REC_PAGES, &p, sizeof(p), data, tail);
	fb_file(&fb, fb.file, CKPT_FILE_UNLINKED, O_RDWR, obj, fpath);
	f = (void *)(fb.buf + fb.len - sizeof(*f) - (fpath ? strlen(fpath) : 0));
	f->pos = 100;
	if (defect == UNL_FILE_INODE)
		f->ino = 7;
	if (defect == UNL_THEN_FD) {
		/* The FILE record goes after the FD record. */
		fb.len -= sizeof(struct ckpt_rec) + sizeof(*f);
		fb_fd(&fb, fb.fd, fb.file, 0, 0);
		return fb_apply(self, &fb);
	}
	fb_fd(&fb, fb.fd, fb.file, 0, 0);
	fb_file(&fb, fb.file + 1, CKPT_FILE_UNLINKED, O_RDONLY, obj, NULL);
	fb_fd(&fb, fb.fd + 1, fb.file + 1, 0, 0);
	return fb_apply(self, &fb);
}

static const struct unlinked_case {
	const char *name;
	enum unlinked_defect defect;
	int err;
} unlinked_cases[] = {
	{ "UNLINKED id out of order", UNL_ID_AHEAD, ERR_MALFORMED },
	{ "UNLINKED with unknown flags", UNL_FLAGS, ERR_MALFORMED },
	{ "UNLINKED of a directory", UNL_MODE_DIR, ERR_MALFORMED },
	{ "UNLINKED mode past 07777", UNL_MODE_BITS, ERR_MALFORMED },
	{ "UNLINKED without a directory path", UNL_NO_PATH, ERR_MALFORMED },
	{ "UNLINKED relative path", UNL_RELATIVE, ERR_MALFORMED },
	{ "UNLINKED in a directory that does not exist", UNL_PATH_MISSING, ENOENT },
	{ "UNLINKED in /dev/null, not a directory", UNL_PATH_NOT_DIR, ENOTDIR },
	{ "UNLINKED size past MAX_LFS_FILESIZE", UNL_SIZE_HUGE, ERR_MALFORMED },
	{ "UNLINKED over CKPT_UNLINKED_DATA_MAX", UNL_OVER_LIMIT, EFBIG },
	{ "UNLINKED pages past its size", UNL_PAGES_PAST_SIZE, ERR_MALFORMED },
	{ "UNLINKED data longer than announced", UNL_DATA_LONGER, ERR_MALFORMED },
	{ "UNLINKED data shorter than announced", UNL_DATA_SHORTER, ERR_MALFORMED },
	{ "UNLINKED PAGES beyond the size", UNL_PAGES_BEYOND, ERR_MALFORMED },
	{ "UNLINKED PAGES shorter than its count", UNL_PAGES_TAIL, ERR_MALFORMED },
	{ "UNLINKED followed by an FD", UNL_THEN_FD, ERR_MALFORMED },
	{ "FILE of an UNLINKED not defined", UNL_FILE_UNKNOWN, ERR_MALFORMED },
	{ "FILE of UNLINKED 0", UNL_FILE_ZERO, ERR_MALFORMED },
	{ "FILE of an UNLINKED with an inode", UNL_FILE_INODE, ERR_MALFORMED },
	{ "FILE of an UNLINKED with a path", UNL_FILE_PATH, ERR_MALFORMED },
};

/* The builder's file restarts: two open files of one file with no name. */
TEST_F_TIMEOUT(img, unlinked_control, HOSTILE_TIMEOUT)
{
	int err = 0;

	cur_reset(self);
	ASSERT_EQ(0, craft_unlinked(self, UNL_NONE));
	ASSERT_EQ(1, restart_cur(_metadata, self, &err)) {
		TH_LOG("a file with no name in /tmp does not restart: %s",
		       strerrorname_np(err));
		show_log(_metadata, self);
	}
}

TEST_F_TIMEOUT(img, unlinked_crafted, HOSTILE_TIMEOUT)
{
	unsigned int k;

	for (k = 0; k < ARRAY_SIZE(unlinked_cases); k++) {
		const struct unlinked_case *tc = &unlinked_cases[k];

		cur_reset(self);
		ASSERT_EQ(0, craft_unlinked(self, tc->defect)) {
			TH_LOG("%s: cannot build it", tc->name);
		}
		ASSERT_EQ(0, img_fix_trailer(self->buf, self->cur));
		ASSERT_RESTART_FAILS(self->cur, tc->err, "%s", tc->name);
	}
	TH_LOG("%zu crafted files with no name refused",
	       ARRAY_SIZE(unlinked_cases));
}

/*
 * inotify instances (INOTIFY, INOTIFY_WATCH, INOTIFY_EVENT records).
 *
 * The cases append to init's file table an inotify instance (fd 100)
 * watching "/" (wd 1) and "/dev/null" (wd 3), next wd 4, with four
 * events queued: an overflow (the reader read some events since), then
 * IN_CREATE "x" on 1, IN_MODIFY and IN_IGNORED on 2 (a watch removed
 * since); each case with one defect.
 * inotify_control shows the same builder without a defect restarts.  A
 * refused restart must leave nothing behind (restart_buf() checks).
 */
enum inotify_defect {
	INO_NONE,
	INO_FILE_RDWR,		/* the FILE record O_RDWR */
	INO_NEXT_WD_BIG,	/* next wd 2^31 + 1 */
	INO_PAD,		/* INOTIFY padding */
	INO_MORE_WATCHES,	/* nr_watches 3, two follow */
	INO_FEWER_EVENTS,	/* nr_events 2, three follow */
	INO_WD_ZERO,		/* a watch of wd 0 */
	INO_WD_NEGATIVE,	/* a watch of wd -3 */
	INO_WD_REPEATED,	/* two watches of wd 1 */
	INO_WATCH_MASK,		/* IN_MASK_CREATE kept in a watch's mask */
	INO_WATCH_PAD,		/* INOTIFY_WATCH padding */
	INO_WATCH_RELATIVE,	/* a watch path "dev/null" */
	INO_WATCH_NOT_FOUND,	/* a watch path that does not exist */
	INO_WATCH_TWICE,	/* "/" watched as wd 1 and wd 3 */
	INO_WATCH_LEN,		/* path_len not its tail's */
	INO_EVENT_MASK,		/* IN_ONESHOT in an event's mask */
	INO_EVENT_ZERO_MASK,	/* an event of mask 0 */
	INO_EVENT_WD_ZERO,	/* an event of wd 0 */
	INO_EVENT_UNKNOWN_WD,	/* an event of wd 9: no watch, never removed */
	INO_EVENT_NOT_REMOVED,	/* wd 2's IN_IGNORED turned IN_MODIFY */
	INO_EVENT_NAME_LONG,	/* a name of NAME_MAX + 1 bytes */
	INO_EVENT_NAME_NUL,	/* a name with a NUL in it */
	INO_EVENT_NAME_SLASH,	/* a name with a '/' */
	INO_EVENT_NAME_LEN,	/* name_len 1, 2 bytes follow */
	INO_OVERFLOW_WD,	/* the overflow with wd 1 */
	INO_OVERFLOW_NAME,	/* the overflow with a name */
	INO_OVERFLOW_TWICE,	/* two overflows */
};

static void fb_ino_watch(struct fbuild *fb, int32_t wd, uint32_t mask,
			 const char *path, uint32_t pad)
{
	struct ckpt_inotify_watch w = { wd, mask, strlen(path), pad };

	fb_rec(fb, CKPT_REC_INOTIFY_WATCH, &w, sizeof(w), path, w.path_len);
}

static void fb_ino_event(struct fbuild *fb, int32_t wd, uint32_t mask,
			 uint32_t cookie, const char *name, uint32_t len)
{
	struct ckpt_inotify_event e = { wd, mask, cookie, len };

	fb_rec(fb, CKPT_REC_INOTIFY_EVENT, &e, sizeof(e), name, len);
}

static int craft_inotify(FIXTURE_DATA(img) *self, enum inotify_defect defect)
{
	static char long_name[NAME_MAX + 2];
	struct ckpt_inotify in = { 2, 4, 4, 0 };
	enum inotify_defect d = defect;
	int32_t wd2 = 3;
	struct fbuild fb;

	fb_init(self, &fb);
	memset(long_name, 'n', NAME_MAX + 1);
	fb_file(&fb, fb.file, CKPT_FILE_INOTIFY,
		d == INO_FILE_RDWR ? O_RDWR : O_RDONLY | O_NONBLOCK, 0, NULL);
	if (d == INO_NEXT_WD_BIG)
		in.next_wd = (1U << 31) + 1;
	if (d == INO_PAD)
		in.pad = 1;
	if (d == INO_MORE_WATCHES)
		in.nr_watches = 3;
	if (d == INO_FEWER_EVENTS)
		in.nr_events = 2;
	if (d == INO_OVERFLOW_TWICE)
		in.nr_events = 5;
	fb_rec(&fb, CKPT_REC_INOTIFY, &in, sizeof(in), NULL, 0);
	fb_ino_watch(&fb, d == INO_WD_ZERO ? 0 : d == INO_WD_NEGATIVE ? -3 : 1,
		     IN_CREATE | IN_DELETE | (d == INO_WATCH_MASK ? IN_MASK_CREATE : 0),
		     "/", 0);
	if (d == INO_WD_REPEATED)
		wd2 = 1;
	if (d == INO_WATCH_LEN) {
		struct ckpt_inotify_watch w = { wd2, IN_MODIFY, 8, 0 };

		fb_rec(&fb, CKPT_REC_INOTIFY_WATCH, &w, sizeof(w), "/dev/null", 9);
	} else {
		fb_ino_watch(&fb, wd2, IN_MODIFY | IN_ONESHOT,
			     d == INO_WATCH_RELATIVE ? "dev/null" :
			     d == INO_WATCH_NOT_FOUND ? "/ckpt-hostile-no-such-file" :
			     d == INO_WATCH_TWICE ? "/" : "/dev/null",
			     d == INO_WATCH_PAD);
	}
	/* First: the reader read events since it overflowed. */
	if (d != INO_FEWER_EVENTS)
		fb_ino_event(&fb, d == INO_OVERFLOW_WD ? 1 : -1, IN_Q_OVERFLOW, 0,
			     d == INO_OVERFLOW_NAME ? "o" : NULL,
			     d == INO_OVERFLOW_NAME);
	switch (d) {
	case INO_EVENT_NAME_LONG:
		fb_ino_event(&fb, 1, IN_CREATE, 0, long_name, NAME_MAX + 1);
		break;
	case INO_EVENT_NAME_NUL:
		fb_ino_event(&fb, 1, IN_CREATE, 0, "x\0y", 3);
		break;
	case INO_EVENT_NAME_SLASH:
		fb_ino_event(&fb, 1, IN_CREATE, 0, "x/y", 3);
		break;
	case INO_EVENT_NAME_LEN: {
		struct ckpt_inotify_event e = { 1, IN_CREATE, 0, 1 };

		fb_rec(&fb, CKPT_REC_INOTIFY_EVENT, &e, sizeof(e), "xy", 2);
		break;
	}
	default:
		fb_ino_event(&fb, d == INO_EVENT_WD_ZERO ? 0 :
			     d == INO_EVENT_UNKNOWN_WD ? 9 : 1,
			     d == INO_EVENT_MASK ? IN_CREATE | IN_ONESHOT :
			     d == INO_EVENT_ZERO_MASK ? 0 : IN_CREATE, 0, "x", 1);
	}
	fb_ino_event(&fb, 2, IN_MODIFY, 0, NULL, 0);
	fb_ino_event(&fb, 2, d == INO_EVENT_NOT_REMOVED ? IN_MODIFY : IN_IGNORED,
		     0, NULL, 0);
	if (d == INO_OVERFLOW_TWICE)
		fb_ino_event(&fb, -1, IN_Q_OVERFLOW, 0, NULL, 0);
	fb_fd(&fb, fb.fd, fb.file, CKPT_FD_CLOEXEC, 0);
	return fb_apply(self, &fb);
}

static const struct inotify_case {
	const char *name;
	enum inotify_defect defect;
	int err;
} inotify_cases[] = {
	{ "inotify FILE open O_RDWR", INO_FILE_RDWR, ERR_MALFORMED },
	{ "next wd past 2^31", INO_NEXT_WD_BIG, ERR_MALFORMED },
	{ "INOTIFY padding", INO_PAD, ERR_MALFORMED },
	{ "more watches announced than follow", INO_MORE_WATCHES, ERR_MALFORMED },
	{ "fewer events announced than follow", INO_FEWER_EVENTS, ERR_MALFORMED },
	{ "watch of wd 0", INO_WD_ZERO, ERR_MALFORMED },
	{ "watch of a negative wd", INO_WD_NEGATIVE, ERR_MALFORMED },
	{ "two watches of one wd", INO_WD_REPEATED, ERR_MALFORMED },
	{ "IN_MASK_CREATE kept in a watch", INO_WATCH_MASK, ERR_MALFORMED },
	{ "INOTIFY_WATCH padding", INO_WATCH_PAD, ERR_MALFORMED },
	{ "relative watch path", INO_WATCH_RELATIVE, ERR_MALFORMED },
	{ "watch path not found", INO_WATCH_NOT_FOUND, ENOENT },
	{ "one file watched as two wd's", INO_WATCH_TWICE, EEXIST },
	{ "watch path_len not its tail's", INO_WATCH_LEN, ERR_MALFORMED },
	{ "IN_ONESHOT in an event", INO_EVENT_MASK, ERR_MALFORMED },
	{ "event of mask 0", INO_EVENT_ZERO_MASK, ERR_MALFORMED },
	{ "event of wd 0", INO_EVENT_WD_ZERO, ERR_MALFORMED },
	{ "event of a wd that is no watch", INO_EVENT_UNKNOWN_WD, ERR_MALFORMED },
	{ "event of a removed wd, no IN_IGNORED", INO_EVENT_NOT_REMOVED, ERR_MALFORMED },
	{ "event name longer than NAME_MAX", INO_EVENT_NAME_LONG, ERR_MALFORMED },
	{ "event name with a NUL", INO_EVENT_NAME_NUL, ERR_MALFORMED },
	{ "event name with a slash", INO_EVENT_NAME_SLASH, ERR_MALFORMED },
	{ "event name_len not its tail's", INO_EVENT_NAME_LEN, ERR_MALFORMED },
	{ "overflow event with a wd", INO_OVERFLOW_WD, ERR_MALFORMED },
	{ "overflow event with a name", INO_OVERFLOW_NAME, ERR_MALFORMED },
	{ "two overflow events", INO_OVERFLOW_TWICE, ERR_MALFORMED },
};

TEST_F_TIMEOUT(img, inotify_control, HOSTILE_TIMEOUT)
{
	int err = 0;

	cur_reset(self);
	ASSERT_EQ(0, craft_inotify(self, INO_NONE));
	ASSERT_EQ(1, restart_cur(_metadata, self, &err)) {
		TH_LOG("an inotify instance does not restart: %s",
		       strerrorname_np(err));
		show_log(_metadata, self);
	}
}

TEST_F_TIMEOUT(img, inotify_crafted, HOSTILE_TIMEOUT)
{
	unsigned int k;

	for (k = 0; k < ARRAY_SIZE(inotify_cases); k++) {
		const struct inotify_case *c = &inotify_cases[k];

		cur_reset(self);
		ASSERT_EQ(0, craft_inotify(self, c->defect)) {
			TH_LOG("%s: cannot build it", c->name);
		}
		ASSERT_EQ(0, img_fix_trailer(self->buf, self->cur));
		ASSERT_RESTART_FAILS(self->cur, c->err, "%s", c->name);
	}
	TH_LOG("%zu crafted inotify instances refused", ARRAY_SIZE(inotify_cases));
}

/*
 * Mounts (MOUNT and TMPFS_ENTRY records).
 *
 * The intact image's container shares the caller's mount namespace; these
 * cases give it one of its own (CKPT_NS_MNT) with MOUNT records after the
 * TREE records: the root (HOST, the type of the caller's "/"), then a
 * tmpfs on a fresh directory with a directory, a file with data, a hard
 * link and a symbolic link, and a proc on another.  mount_control shows
 * that this restarts; each case of mount_cases[] breaks one rule, must be
 * refused, and must leave the caller's mount table as it was.
 */

enum mount_defect {
	MNT_NONE,
	MNT_NR_ZERO,		/* CKPT_NS_MNT with nr_mounts 0 */
	MNT_NR_MAX,		/* nr_mounts CKPT_MOUNTS_MAX + 1 */
	MNT_NR_WITHOUT_NS,	/* nr_mounts without CKPT_NS_MNT */
	MNT_NR_MORE,		/* one more announced than follow */
	MNT_ROOT_PROC,		/* the first is not HOST */
	MNT_ROOT_PATH,		/* the first is not "/" */
	MNT_ID_SKIPS,		/* ids 1, 3 */
	MNT_PARENT_SELF,	/* parent == id */
	MNT_DOTDOT,		/* "/x/../y" */
	MNT_RELATIVE,		/* "x/y" */
	MNT_TRAILING_SLASH,	/* "/x/" */
	MNT_NUL,		/* a NUL in the mount point */
	MNT_OVER_ROOT,		/* a second mount on "/" */
	MNT_PROC_TYPE,		/* a PROC of type "sysfs" */
	MNT_TYPE_CHARS,		/* a type "Tmp fs" */
	MNT_BIND_RELATIVE,	/* a BIND from "etc" */
	MNT_BIND_NO_SOURCE,	/* a BIND without source */
	MNT_HOST_MISSING,	/* a HOST where the caller has no mount */
	MNT_FLAGS,		/* an unknown flag */
	MNT_HIDEPID,		/* hidepid=3 */
	MNT_TMPFS_NO_ENTRY,	/* a TMPFS with nr_entries 0 */
	MNT_TMPFS_MORE,		/* one entry more announced than follow */
	MNT_ENT_DOTDOT,		/* an entry named ".." */
	MNT_ENT_SLASH,		/* an entry named "a/b" */
	MNT_ENT_PARENT_FILE,	/* an entry in a regular file */
	MNT_ENT_PARENT_LATER,	/* an entry in a later entry */
	MNT_ENT_LINK_DIR,	/* a hard link to a directory */
	MNT_ENT_LINK_MODE,	/* a hard link with another mode */
	MNT_ENT_ROOT_FILE,	/* the first entry is a file */
	MNT_ENT_DEVICE,		/* a character device */
	MNT_ENT_HUGE,		/* a file of CKPT_TMPFS_DATA_MAX + 1 bytes */
	MNT_ENT_SYMLINK_NUL,	/* a NUL in a link's target */
	MNT_ENT_SIZE_TAIL,	/* size and variable part disagree */
	MNT_ENT_DUP_NAME,	/* two entries with one name */
	MNT_ENT_BAD_UID,	/* an owner the caller's namespace lacks */
};

/* The fixed part and strings of a MOUNT record, appended at *@at. */
static int put_mount(FIXTURE_DATA(img) *self, size_t *at,
		     const struct ckpt_mount *m, const char *path,
		     const char *source, const char *fstype)
{
	size_t n = sizeof(*m) + m->path_len + m->source_len + m->fstype_len;
	unsigned char *rec = malloc(n);
	int err;

	if (!rec)
		return -1;
	memcpy(rec, m, sizeof(*m));
	memcpy(rec + sizeof(*m), path, m->path_len);
	if (m->source_len)
		memcpy(rec + sizeof(*m) + m->path_len, source, m->source_len);
	memcpy(rec + sizeof(*m) + m->path_len + m->source_len, fstype,
	       m->fstype_len);
	err = cur_insert_rec(self, *at, CKPT_REC_MOUNT, rec, n);
	free(rec);
	*at += sizeof(struct ckpt_rec) + n;
	return err;
}

static int put_entry(FIXTURE_DATA(img) *self, size_t *at,
		     const struct ckpt_tmpfs_entry *e, const char *name,
		     const void *data, size_t len)
{
	size_t n = sizeof(*e) + e->name_len + len;
	unsigned char *rec = malloc(n);
	int err;

	if (!rec)
		return -1;
	memcpy(rec, e, sizeof(*e));
	memcpy(rec + sizeof(*e), name, e->name_len);
	memcpy(rec + sizeof(*e) + e->name_len, data, len);
	err = cur_insert_rec(self, *at, CKPT_REC_TMPFS_ENTRY, rec, n);
	free(rec);
	*at += sizeof(struct ckpt_rec) + n;
	return err;
}

/* The type of the caller's root, from its mountinfo ("rootfs"...). */
static int root_fstype(char *type, size_t size)
{
	char line[4096], *p;
	FILE *f = fopen("/proc/self/mountinfo", "re");
	int found = -1;

	if (!f)
		return -1;
	while (found && fgets(line, sizeof(line), f)) {
		char *fields[6], *s = line;
		int i;

		for (i = 0; i < 6; i++)
			fields[i] = strsep(&s, " ");
		if (!s || strcmp(fields[4], "/") || strcmp(fields[3], "/"))
			continue;
		/* Optional fields, then "-", the type and the source. */
		p = strncmp(s, "- ", 2) ? strstr(s, " - ") : s - 1;
		if (!p)
			continue;
		p += 3;
		p[strcspn(p, " ")] = '\0';
		snprintf(type, size, "%s", p);
		found = 0;
	}
	fclose(f);
	return found;
}

static char mnt_dir[64];

/* The directories the crafted mounts go on. */
static int mount_dirs(void)
{
	char p[128];

	if (!mnt_dir[0]) {
		snprintf(mnt_dir, sizeof(mnt_dir), "/tmp/hostile-mnt.%d",
			 getpid());
		if (mkdir(mnt_dir, 0700) && errno != EEXIST)
			return -1;
	}
	snprintf(p, sizeof(p), "%s/t", mnt_dir);
	if (mkdir(p, 0700) && errno != EEXIST)
		return -1;
	snprintf(p, sizeof(p), "%s/p", mnt_dir);
	if (mkdir(p, 0700) && errno != EEXIST)
		return -1;
	return 0;
}

static const char ent_data[] = "some data\n";

/* The crafted mount view, with @defect (MNT_NONE: a valid one). */
static int craft_mounts(FIXTURE_DATA(img) *self, enum mount_defect defect)
{
	struct ckpt_container *c = cur_container(self);
	struct ckpt_tmpfs_entry e[5];
	struct ckpt_mount m;
	char root_type[32], tpath[128], ppath[128];
	const char *names[5] = { "", "d", "f", "hard", "sym" };
	const char *target = "d/../f", *type;
	char path[160];
	uint32_t nr_tasks = c->nr_tasks, nr_ent = 5, nr = 3;
	long last = cur_find(self, CKPT_REC_TREE, nr_tasks - 1);
	size_t at;
	int i;

	if (last < 0 || mount_dirs() || root_fstype(root_type, sizeof(root_type)))
		return -1;
	at = last + sizeof(struct ckpt_rec) + sizeof(struct ckpt_tree);
	snprintf(tpath, sizeof(tpath), "%s/t", mnt_dir);
	snprintf(ppath, sizeof(ppath), "%s/p", mnt_dir);

	c->ns_flags |= CKPT_NS_MNT;
	c->nr_mounts = nr;
	if (defect == MNT_NR_ZERO)
		c->nr_mounts = 0;
	if (defect == MNT_NR_MAX)
		c->nr_mounts = CKPT_MOUNTS_MAX + 1;
	if (defect == MNT_NR_WITHOUT_NS)
		c->ns_flags &= ~CKPT_NS_MNT;
	if (defect == MNT_NR_MORE)
		c->nr_mounts = nr + 1;

	/* The root. */
	memset(&m, 0, sizeof(m));
	m.id = 1;
	m.kind = defect == MNT_ROOT_PROC ? CKPT_MOUNT_PROC : CKPT_MOUNT_HOST;
	m.flags = CKPT_MOUNT_RELATIME;
	m.path_len = defect == MNT_ROOT_PATH ? 4 : 1;
	m.fstype_len = strlen(defect == MNT_ROOT_PROC ? "proc" : root_type);
	if (put_mount(self, &at, &m, defect == MNT_ROOT_PATH ? "/tmp" : "/",
		      NULL, defect == MNT_ROOT_PROC ? "proc" : root_type))
		return -1;

	/* A tmpfs. */
	memset(&m, 0, sizeof(m));
	m.id = defect == MNT_ID_SKIPS ? 3 : 2;
	m.parent = defect == MNT_PARENT_SELF ? 2 : 1;
	m.kind = CKPT_MOUNT_TMPFS;
	m.flags = CKPT_MOUNT_NOSUID | CKPT_MOUNT_RELATIME;
	if (defect == MNT_FLAGS)
		m.flags |= 1U << 20;
	m.mode = 0755;
	m.size = 1 << 20;
	m.nr_entries = defect == MNT_TMPFS_NO_ENTRY ? 0 :
		       defect == MNT_TMPFS_MORE ? nr_ent + 1 : nr_ent;
	type = defect == MNT_TYPE_CHARS ? "Tmp fs" : "tmpfs";

	switch (defect) {
	case MNT_DOTDOT:
		snprintf(path, sizeof(path), "%s/p/../t", mnt_dir);
		break;
	case MNT_RELATIVE:
		snprintf(path, sizeof(path), "%s/t", mnt_dir + 1);
		break;
	case MNT_TRAILING_SLASH:
		snprintf(path, sizeof(path), "%s/t/", mnt_dir);
		break;
	case MNT_OVER_ROOT:
		snprintf(path, sizeof(path), "/");
		break;
	default:
		snprintf(path, sizeof(path), "%s", tpath);
	}
	m.path_len = strlen(path);
	if (defect == MNT_NUL)
		path[strlen(mnt_dir)] = '\0';
	m.fstype_len = strlen(type);
	if (put_mount(self, &at, &m, path, NULL, type))
		return -1;

	/* Its entries: /, d/, f, hard (f), sym -> d/../f */
	memset(e, 0, sizeof(e));
	for (i = 0; i < 5; i++) {
		e[i].index = i + 1;
		e[i].parent = i ? 1 : 0;
		e[i].name_len = strlen(names[i]);
		e[i].atime_ns = 1000000000LL * (i + 1);
		e[i].mtime_ns = 2000000000LL * (i + 1);
	}
	e[0].mode = S_IFDIR | 01777;
	e[1].mode = S_IFDIR | 0750;
	e[2].mode = S_IFREG | 0640;
	e[2].size = sizeof(ent_data) - 1;
	e[3].mode = S_IFREG | 0640;
	e[3].link = 3;
	e[4].mode = S_IFLNK | 0777;
	e[4].size = strlen(target);
	switch (defect) {
	case MNT_ENT_DOTDOT:
		names[1] = "..";
		e[1].name_len = 2;
		break;
	case MNT_ENT_SLASH:
		names[1] = "d/x";
		e[1].name_len = 3;
		break;
	case MNT_ENT_PARENT_FILE:
		e[4].parent = 3;
		break;
	case MNT_ENT_PARENT_LATER:
		e[1].parent = 5;
		break;
	case MNT_ENT_LINK_DIR:
		e[3].link = 2;
		e[3].mode = e[1].mode;
		break;
	case MNT_ENT_LINK_MODE:
		e[3].mode = S_IFREG | 0600;
		break;
	case MNT_ENT_ROOT_FILE:
		e[0].mode = S_IFREG | 0644;
		break;
	case MNT_ENT_DEVICE:
		e[1].mode = S_IFCHR | 0644;
		break;
	case MNT_ENT_HUGE:
		e[2].size = CKPT_TMPFS_DATA_MAX + 1ULL;
		break;
	case MNT_ENT_SYMLINK_NUL:
		target = "d/\0/f";
		break;
	case MNT_ENT_SIZE_TAIL:
		e[2].size += 1;
		break;
	case MNT_ENT_DUP_NAME:
		names[3] = "f";
		e[3].name_len = 1;
		break;
	case MNT_ENT_BAD_UID:
		e[2].uid = 0xffffffff;
		break;
	default:
		break;
	}
	for (i = 0; i < 5; i++) {
		const void *data = i == 2 ? ent_data : i == 4 ? target : "";
		size_t len = i == 2 ? sizeof(ent_data) - 1 : i == 4 ? 6 : 0;

		if (i == 4 && defect != MNT_ENT_SYMLINK_NUL)
			len = strlen(target);
		if (put_entry(self, &at, &e[i], names[i], data, len))
			return -1;
	}

	/* A proc, or the case's other kind of mount. */
	memset(&m, 0, sizeof(m));
	m.id = defect == MNT_ID_SKIPS ? 4 : 3;
	m.parent = 1;
	m.kind = CKPT_MOUNT_PROC;
	m.flags = CKPT_MOUNT_NOSUID | CKPT_MOUNT_NODEV | CKPT_MOUNT_NOEXEC |
		  CKPT_MOUNT_RELATIME;
	m.opts = defect == MNT_HIDEPID ? 3 : 2;
	type = defect == MNT_PROC_TYPE ? "sysfs" : "proc";
	snprintf(path, sizeof(path), "%s", ppath);
	if (defect == MNT_BIND_RELATIVE || defect == MNT_BIND_NO_SOURCE) {
		m.kind = CKPT_MOUNT_BIND;
		m.opts = 0;
		type = root_type;
		m.source_len = defect == MNT_BIND_RELATIVE ? 3 : 0;
	}
	if (defect == MNT_HOST_MISSING) {
		m.kind = CKPT_MOUNT_HOST;
		m.opts = 0;
		type = "tmpfs";
	}
	m.path_len = strlen(path);
	m.fstype_len = strlen(type);
	return put_mount(self, &at, &m, path, "etc", type);
}

/* The caller's mount table, to compare after each restart. */
static char *mount_table(void)
{
	int fd = open("/proc/self/mountinfo", O_RDONLY | O_CLOEXEC);
	size_t len;
	char *t;

	if (fd < 0)
		return NULL;
	t = fd_read_all(fd, &len);
	close(fd);
	return t;
}

TEST_F_TIMEOUT(img, mount_control, HOSTILE_TIMEOUT)
{
	char *before, *after, why[256];
	int err = 0;

	before = mount_table();
	ASSERT_NE(NULL, before);
	cur_reset(self);
	ASSERT_EQ(0, craft_mounts(self, MNT_NONE));
	ASSERT_EQ(0, img_fix_trailer(self->buf, self->cur));
	ASSERT_EQ(0, img_check_layout(self->buf, self->cur, why, sizeof(why))) {
		TH_LOG("the crafted mount view is malformed: %s", why);
	}
	ASSERT_EQ(1, restart_cur(_metadata, self, &err)) {
		TH_LOG("a tmpfs and a proc do not restart: %s",
		       strerrorname_np(err));
		show_log(_metadata, self);
	}
	after = mount_table();
	ASSERT_NE(NULL, after);
	ASSERT_STREQ(before, after);
	free(before);
	free(after);
}

static const struct mount_case {
	const char *name;
	enum mount_defect defect;
	int err;		/* the errno, or 0: any */
} mount_cases[] = {
	{ "nr_mounts 0 with CKPT_NS_MNT", MNT_NR_ZERO, EINVAL },
	{ "nr_mounts CKPT_MOUNTS_MAX + 1", MNT_NR_MAX, EINVAL },
	{ "nr_mounts without CKPT_NS_MNT", MNT_NR_WITHOUT_NS, EINVAL },
	{ "one MOUNT more announced", MNT_NR_MORE, EINVAL },
	{ "the first mount is a proc", MNT_ROOT_PROC, EINVAL },
	{ "the first mount is not /", MNT_ROOT_PATH, EINVAL },
	{ "mount ids 1, 3", MNT_ID_SKIPS, EINVAL },
	{ "a mount on itself", MNT_PARENT_SELF, EINVAL },
	{ "a mount point with ..", MNT_DOTDOT, EINVAL },
	{ "a relative mount point", MNT_RELATIVE, EINVAL },
	{ "a mount point with a trailing /", MNT_TRAILING_SLASH, EINVAL },
	{ "a NUL in a mount point", MNT_NUL, EINVAL },
	{ "a tmpfs over the root", MNT_OVER_ROOT, EINVAL },
	{ "a proc of type sysfs", MNT_PROC_TYPE, EINVAL },
	{ "a type with capitals and a space", MNT_TYPE_CHARS, EINVAL },
	{ "a bind of a relative source", MNT_BIND_RELATIVE, EINVAL },
	{ "a bind without a source", MNT_BIND_NO_SOURCE, EINVAL },
	{ "a host mount the caller lacks", MNT_HOST_MISSING, 0 },
	{ "unknown mount flags", MNT_FLAGS, EINVAL },
	{ "hidepid=3", MNT_HIDEPID, EINVAL },
	{ "a tmpfs without entries", MNT_TMPFS_NO_ENTRY, EINVAL },
	{ "one entry more announced", MNT_TMPFS_MORE, EINVAL },
	{ "an entry named ..", MNT_ENT_DOTDOT, EINVAL },
	{ "an entry name with a /", MNT_ENT_SLASH, EINVAL },
	{ "an entry in a regular file", MNT_ENT_PARENT_FILE, EINVAL },
	{ "an entry in a later entry", MNT_ENT_PARENT_LATER, EINVAL },
	{ "a hard link to a directory", MNT_ENT_LINK_DIR, EINVAL },
	{ "a hard link with another mode", MNT_ENT_LINK_MODE, EINVAL },
	{ "a tmpfs whose root is a file", MNT_ENT_ROOT_FILE, EINVAL },
	{ "a device in a tmpfs", MNT_ENT_DEVICE, EINVAL },
	{ "a file past CKPT_TMPFS_DATA_MAX", MNT_ENT_HUGE, EINVAL },
	{ "a NUL in a link's target", MNT_ENT_SYMLINK_NUL, EINVAL },
	{ "file size and record length disagree", MNT_ENT_SIZE_TAIL, EINVAL },
	{ "two entries of one name", MNT_ENT_DUP_NAME, EEXIST },
	{ "an owner without a mapping", MNT_ENT_BAD_UID, EINVAL },
};

TEST_F_TIMEOUT(img, mount_crafted, HOSTILE_TIMEOUT)
{
	char *before = mount_table();
	unsigned int k;

	ASSERT_NE(NULL, before);
	for (k = 0; k < ARRAY_SIZE(mount_cases); k++) {
		const struct mount_case *mc = &mount_cases[k];
		char *after;

		cur_reset(self);
		ASSERT_EQ(0, craft_mounts(self, mc->defect)) {
			TH_LOG("%s: cannot build it", mc->name);
		}
		ASSERT_EQ(0, img_fix_trailer(self->buf, self->cur));
		ASSERT_RESTART_FAILS(self->cur, mc->err, "%s", mc->name);
		after = mount_table();
		ASSERT_NE(NULL, after);
		ASSERT_STREQ(before, after) {
			TH_LOG("%s: the caller's mounts changed", mc->name);
		}
		free(after);
	}
	free(before);
	TH_LOG("%zu crafted mount views refused", ARRAY_SIZE(mount_cases));
}

TEST_HARNESS_MAIN
