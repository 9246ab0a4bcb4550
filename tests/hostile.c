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
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include "lib/ckpt_test.h"

/* Expected errnos (kernel-doc of sys_restart()), in one place. */
#define ERR_TRUNCATED		EBADMSG	/* the image ends early */
#define ERR_CSUM		EBADMSG	/* trailer length or checksum wrong */
/* Magic, version, arch, page size, or a first record that is no header. */
#define ERR_NOT_IMAGE		ENOEXEC
#define ERR_MALFORMED		EINVAL	/* bad record type, length or field */

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
	self->buf = malloc(self->len);
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
		0, CKPT_FORMAT_VERSION + 1, 0xffffffff,
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

TEST_HARNESS_MAIN
