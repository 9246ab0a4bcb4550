// SPDX-License-Identifier: GPL-2.0
/*
 * ckptctl: streaming decoder and validator of ckpt images, and xxh64.
 *
 * The image is read strictly in order (it may come from a pipe), every
 * record is checked against include/uapi/linux/ckpt.h before it is handed
 * to the caller's callbacks, and the first problem ends decoding with a
 * message naming its byte offset.  Page contents are hashed and skipped,
 * never kept.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <termios.h>
#include <sys/un.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "ckptctl.h"

#if __BYTE_ORDER__ != __ORDER_LITTLE_ENDIAN__
#error "ckptctl decodes little-endian images into host structs"
#endif

/* ---- xxh64, written from the public algorithm description ---- */

#define XXH_P1	0x9E3779B185EBCA87ULL
#define XXH_P2	0xC2B2AE3D27D4EB4FULL
#define XXH_P3	0x165667B19E3779F9ULL
#define XXH_P4	0x85EBCA77C2B2AE63ULL
#define XXH_P5	0x27D4EB2F165667C5ULL

static inline uint64_t rotl64(uint64_t x, int r)
{
	return (x << r) | (x >> (64 - r));
}

static inline uint64_t le64(const uint8_t *p)
{
	uint64_t v = 0;
	int i;

	for (i = 7; i >= 0; i--)
		v = v << 8 | p[i];
	return v;
}

static inline uint32_t le32(const uint8_t *p)
{
	return p[0] | p[1] << 8 | p[2] << 16 | (uint32_t)p[3] << 24;
}

static inline uint64_t xxh_round(uint64_t acc, uint64_t lane)
{
	acc += lane * XXH_P2;
	acc = rotl64(acc, 31);
	return acc * XXH_P1;
}

static inline uint64_t xxh_merge(uint64_t acc, uint64_t v)
{
	acc ^= xxh_round(0, v);
	return acc * XXH_P1 + XXH_P4;
}

static void xxh_stripe(struct xxh64_state *st, const uint8_t *p)
{
	int i;

	for (i = 0; i < 4; i++)
		st->v[i] = xxh_round(st->v[i], le64(p + 8 * i));
}

void xxh64_init(struct xxh64_state *st, uint64_t seed)
{
	memset(st, 0, sizeof(*st));
	st->v[0] = seed + XXH_P1 + XXH_P2;
	st->v[1] = seed + XXH_P2;
	st->v[2] = seed;
	st->v[3] = seed - XXH_P1;
}

void xxh64_update(struct xxh64_state *st, const void *data, size_t len)
{
	const uint8_t *p = data;

	st->total_len += len;
	if (st->buf_len + len < 32) {
		memcpy(st->buf + st->buf_len, p, len);
		st->buf_len += len;
		return;
	}
	if (st->buf_len) {
		size_t fill = 32 - st->buf_len;

		memcpy(st->buf + st->buf_len, p, fill);
		xxh_stripe(st, st->buf);
		p += fill;
		len -= fill;
		st->buf_len = 0;
	}
	for (; len >= 32; p += 32, len -= 32)
		xxh_stripe(st, p);
	memcpy(st->buf, p, len);
	st->buf_len = len;
}

uint64_t xxh64_digest(const struct xxh64_state *st)
{
	const uint8_t *p = st->buf;
	unsigned int n = st->buf_len;
	uint64_t acc;

	if (st->total_len >= 32) {
		acc = rotl64(st->v[0], 1) + rotl64(st->v[1], 7) +
		      rotl64(st->v[2], 12) + rotl64(st->v[3], 18);
		acc = xxh_merge(acc, st->v[0]);
		acc = xxh_merge(acc, st->v[1]);
		acc = xxh_merge(acc, st->v[2]);
		acc = xxh_merge(acc, st->v[3]);
	} else {
		acc = st->v[2] + XXH_P5;	/* v[2] is still the seed */
	}
	acc += st->total_len;
	for (; n >= 8; p += 8, n -= 8) {
		acc ^= xxh_round(0, le64(p));
		acc = rotl64(acc, 27) * XXH_P1 + XXH_P4;
	}
	if (n >= 4) {
		acc ^= (uint64_t)le32(p) * XXH_P1;
		acc = rotl64(acc, 23) * XXH_P2 + XXH_P3;
		p += 4;
		n -= 4;
	}
	for (; n; p++, n--) {
		acc ^= *p * XXH_P5;
		acc = rotl64(acc, 11) * XXH_P1;
	}
	acc ^= acc >> 33;
	acc *= XXH_P2;
	acc ^= acc >> 29;
	acc *= XXH_P3;
	acc ^= acc >> 32;
	return acc;
}

uint64_t xxh64(const void *data, size_t len, uint64_t seed)
{
	struct xxh64_state st;

	xxh64_init(&st, seed);
	xxh64_update(&st, data, len);
	return xxh64_digest(&st);
}

/* ---- buffered, hashing reader ---- */

#define RD_BUF_SIZE	(64 * 1024)

struct reader {
	int fd;
	uint64_t off;		/* bytes handed out so far */
	struct xxh64_state xs;
	uint8_t *buf;
	size_t pos, len;
	bool eof;
};

/* Copy (if @dst) or skip @n bytes; returns how many, short at EOF. */
static ssize_t rd_get(struct reader *r, void *dst, size_t n, bool hash)
{
	size_t done = 0;

	while (done < n) {
		size_t k;

		if (r->pos == r->len) {
			ssize_t got;

			if (r->eof)
				break;
			got = read_full(r->fd, r->buf, RD_BUF_SIZE);
			if (got < 0)
				return -1;
			r->pos = 0;
			r->len = got;
			if ((size_t)got < RD_BUF_SIZE)
				r->eof = true;
			if (!got)
				break;
		}
		k = r->len - r->pos;
		if (k > n - done)
			k = n - done;
		if (hash)
			xxh64_update(&r->xs, r->buf + r->pos, k);
		if (dst)
			memcpy((uint8_t *)dst + done, r->buf + r->pos, k);
		r->pos += k;
		done += k;
	}
	r->off += done;
	return done;
}

/* ---- decoder ---- */

#define PID_LIMIT	(4 * 1024 * 1024)	/* PID_MAX_LIMIT on 64-bit */
#define K_SS_AUTODISARM	(1U << 31)
#define USER_ADDR_MAX	(1ULL << 56)	/* TASK_SIZE_MAX with 5-level paging */
#define ROBUST_LIST_HEAD_SIZE	24	/* struct robust_list_head */
#define RSEQ_ORIG_SIZE	32		/* struct rseq as first registered */
#define KSIGINFO_SIZE	48		/* what the kernel keeps of a siginfo */
#define XSAVE_HDR_OFF	512
#define XSAVE_MIN	(512 + 64)
#define SIG_MAX		64
/* O_LARGEFILE as the kernel sees it: glibc's is 0 on 64-bit. */
#define K_O_LARGEFILE	0100000
#define FILE_FLAGS_OK	(O_ACCMODE | O_APPEND | O_NONBLOCK | O_NOATIME | \
			 O_DIRECT | O_SYNC | O_DSYNC | K_O_LARGEFILE)
#define PAGE_SIZE_MAX	65536	/* the largest page size of a header */
/* F_SEAL_SEAL | SHRINK | GROW | WRITE | FUTURE_WRITE | EXEC */
#define K_F_SEALS	0x3fU
#define OPAQUE_MAX	UINT32_MAX
#define SEM_VALS_MAX	(CKPT_SEM_NSEMS_MAX * sizeof(struct ckpt_sem_val))
#define SEM_ADJ_MAX	(CKPT_SEM_NSEMS_MAX * sizeof(int16_t))
#define SEMVMX		32767
/* The most a clock of a time namespace may read: KTIME_SEC_MAX / 2 s. */
#define CLOCK_NS_MAX	((INT64_MAX / 1000000000LL / 2) * 1000000000LL)

/*
 * What the decoder knows of each record type.  A type whose layout
 * ckptctl does not know yet is "opaque": its records are framed, their
 * payload checksummed and skipped, and handed to ->record() by type and
 * length.  Once its struct is in linux/ckpt.h, giving it its size here
 * (and a printer in info.c's table) is all it takes to show it.
 */
struct rec_shape {
	uint32_t fixed;		/* size of the struct after the header */
	uint32_t var_max;	/* most trailing bytes (PAGES: checked apart) */
	const char *name;
	bool opaque;		/* layout unknown: payload skipped */
};

/* The longest name of a UNIX record: UNIX_PATH_MAX, sun_path's size. */
#define UNIX_NAME_MAX	108
_Static_assert(UNIX_NAME_MAX == sizeof(((struct sockaddr_un *)0)->sun_path),
	       "UNIX_NAME_MAX is the size of sun_path");
#define NAME_MAX_	255	/* bytes of a tmpfs entry's name */

static const struct rec_shape shapes[CKPT_REC_MAX + 1] = {
	[CKPT_REC_HEADER]    = { sizeof(struct ckpt_hdr), 0, "HEADER" },
	[CKPT_REC_CONTAINER] = { sizeof(struct ckpt_container), 0, "CONTAINER" },
	[CKPT_REC_TASK]      = { sizeof(struct ckpt_task), 0, "TASK" },
	[CKPT_REC_CREDS]     = { sizeof(struct ckpt_creds),
				 4 * CKPT_NGROUPS_MAX, "CREDS" },
	[CKPT_REC_RLIMITS]   = { sizeof(struct ckpt_rlimits), 0, "RLIMITS" },
	[CKPT_REC_FS]        = { sizeof(struct ckpt_fs), 2 * CKPT_PATH_MAX, "FS" },
	[CKPT_REC_MM]        = { sizeof(struct ckpt_mm), CKPT_PATH_MAX, "MM" },
	[CKPT_REC_VMA]       = { sizeof(struct ckpt_vma), CKPT_PATH_MAX, "VMA" },
	[CKPT_REC_PAGES]     = { sizeof(struct ckpt_pages), 0, "PAGES" },
	[CKPT_REC_FILE]      = { sizeof(struct ckpt_file), CKPT_PATH_MAX, "FILE" },
	[CKPT_REC_SIGHAND]   = { sizeof(struct ckpt_sighand), 0, "SIGHAND" },
	[CKPT_REC_SIGNALS]   = { sizeof(struct ckpt_signals), 0, "SIGNALS" },
	[CKPT_REC_SIGINFO]   = { sizeof(struct ckpt_siginfo), 0, "SIGINFO" },
	[CKPT_REC_CPU]       = { sizeof(struct ckpt_cpu), 0, "CPU" },
	[CKPT_REC_FPU]       = { sizeof(struct ckpt_fpu), CKPT_FPU_MAX, "FPU" },
	[CKPT_REC_TASK_END]  = { 0, 0, "TASK_END" },
	[CKPT_REC_TRAILER]   = { sizeof(struct ckpt_trailer), 0, "TRAILER" },
	[CKPT_REC_TREE]      = { sizeof(struct ckpt_tree), 0, "TREE" },
	[CKPT_REC_ITIMERS]   = { sizeof(struct ckpt_itimers), 0, "ITIMERS" },
	[CKPT_REC_POSIX_TIMER] = { sizeof(struct ckpt_posix_timer), 0,
				   "POSIX_TIMER" },
	[CKPT_REC_SHM]       = { sizeof(struct ckpt_shm), 0, "SHM" },
	[CKPT_REC_MSQ]       = { sizeof(struct ckpt_msq), 0, "MSQ" },
	[CKPT_REC_MSG]       = { sizeof(struct ckpt_msg), CKPT_MSG_MAX, "MSG" },
	[CKPT_REC_SEM]       = { sizeof(struct ckpt_sem), SEM_VALS_MAX, "SEM" },
	[CKPT_REC_SEM_UNDO]  = { sizeof(struct ckpt_sem_undo), SEM_ADJ_MAX,
				 "SEM_UNDO" },
	[CKPT_REC_SHMEM]     = { sizeof(struct ckpt_shmem), CKPT_PATH_MAX, "SHMEM" },
	[CKPT_REC_FILES]     = { sizeof(struct ckpt_files), 0, "FILES" },
	[CKPT_REC_FD]        = { sizeof(struct ckpt_fd), 0, "FD" },
	[CKPT_REC_LOCK]      = { sizeof(struct ckpt_lock), 0, "LOCK" },
	[CKPT_REC_PIPE]      = { sizeof(struct ckpt_pipe), 0, "PIPE" },
	/* At most a page: checked against the header's page size. */
	[CKPT_REC_PIPE_BUF]  = { sizeof(struct ckpt_pipe_buf), PAGE_SIZE_MAX,
				 "PIPE_BUF" },
	[CKPT_REC_EVENTFD]   = { sizeof(struct ckpt_eventfd), 0, "EVENTFD" },
	[CKPT_REC_SIGNALFD]  = { sizeof(struct ckpt_signalfd), 0, "SIGNALFD" },
	[CKPT_REC_TIMERFD]   = { sizeof(struct ckpt_timerfd), 0, "TIMERFD" },
	[CKPT_REC_EPOLL]     = { sizeof(struct ckpt_epoll), 0, "EPOLL" },
	[CKPT_REC_EPOLL_ITEM] = { sizeof(struct ckpt_epoll_item), 0,
				  "EPOLL_ITEM" },
	[CKPT_REC_UNIX]      = { sizeof(struct ckpt_unix), UNIX_NAME_MAX, "UNIX" },
	/* Its data is skipped, as PAGES data: see read_unix(). */
	[CKPT_REC_UNIX_SKB]  = { sizeof(struct ckpt_unix_skb), CKPT_UNIX_MSG_MAX,
				 "UNIX_SKB" },
	[CKPT_REC_UNIX_GROUP] = { sizeof(struct ckpt_unix_group), 0,
				  "UNIX_GROUP" },
	[CKPT_REC_TTY]       = { sizeof(struct ckpt_tty), CKPT_PATH_MAX, "TTY" },
	[CKPT_REC_TTY_BUF]   = { sizeof(struct ckpt_tty_buf),
				 CKPT_TTY_BUF_MAX + (CKPT_TTY_BUF_MAX + 7) / 8,
				 "TTY_BUF" },
	[CKPT_REC_CTTY]      = { sizeof(struct ckpt_ctty), 0, "CTTY" },
	[CKPT_REC_MOUNT]     = { sizeof(struct ckpt_mount),
				 2 * CKPT_PATH_MAX + CKPT_FSTYPE_MAX, "MOUNT" },
	/* Its data is skipped, as PAGES data: see read_tmpfs(). */
	[CKPT_REC_TMPFS_ENTRY] = { sizeof(struct ckpt_tmpfs_entry),
				   NAME_MAX_ + CKPT_TMPFS_DATA_MAX,
				   "TMPFS_ENTRY" },
	[CKPT_REC_INOTIFY]   = { sizeof(struct ckpt_inotify), 0, "INOTIFY" },
	[CKPT_REC_INOTIFY_WATCH] = { sizeof(struct ckpt_inotify_watch),
				     CKPT_PATH_MAX, "INOTIFY_WATCH" },
	[CKPT_REC_INOTIFY_EVENT] = { sizeof(struct ckpt_inotify_event),
				     NAME_MAX_, "INOTIFY_EVENT" },
	[CKPT_REC_UNLINKED]  = { sizeof(struct ckpt_unlinked), CKPT_PATH_MAX,
				 "UNLINKED" },
};

/* The largest payload: a SEM record with CKPT_SEM_NSEMS_MAX values. */
#define REC_BUF_SIZE	(sizeof(struct ckpt_sem) + SEM_VALS_MAX)
_Static_assert(REC_BUF_SIZE >= sizeof(struct ckpt_creds) + 4 * CKPT_NGROUPS_MAX,
	       "REC_BUF_SIZE holds a CREDS record");
_Static_assert(REC_BUF_SIZE >= sizeof(struct ckpt_pipe_buf) + PAGE_SIZE_MAX,
	       "REC_BUF_SIZE holds a PIPE_BUF record");
_Static_assert(REC_BUF_SIZE >= sizeof(struct ckpt_unix) + UNIX_NAME_MAX,
	       "REC_BUF_SIZE holds a UNIX record");

struct sem_set {
	int32_t id;
	uint32_t nsems;
};

struct decoder {
	struct reader rd;
	const struct image_ops *ops;
	void *ctx;
	struct image_totals tot;
	struct ckpt_rec rec;	/* header of the current record */
	uint64_t rec_off;	/* its offset in the image */
	uint8_t *payload;	/* the current record after its header */
	bool pushed_back;	/* next_rec() gives the current record again */
	uint32_t page_size;
	uint64_t xfeatures;
	struct ckpt_container container;
	struct ckpt_tree *tree;	/* the TREE records */
	struct sem_set *sems;	/* the SEM records, for SEM_UNDO */
	uint32_t nr_sems;
	uint32_t nr_posix_timers;	/* of the current leader's ITIMERS */
	int32_t *timer_ids;	/* its POSIX timers' ids so far */
	uint32_t *pid_index;	/* pid -> 1 + index in tree[], 0: none */
	uint64_t vvar_end;	/* end of this mm's vvar mapping, or 0 */
	/*
	 * Objects are numbered 1, 2, 3... in the order of the image: the
	 * last id of each type is all that is needed to check a reference,
	 * but for the ends of each pipe a FILE record took.
	 */
	uint32_t nr_tables;	/* FILES ids defined so far */
	uint32_t nr_files;	/* FILE ids */
	uint32_t nr_pipes;	/* PIPE ids */
	uint8_t *pipe_ends;	/* per pipe: PIPE_END_READ | PIPE_END_WRITE */
	uint32_t pipe_ends_cap;
	uint32_t nr_ttys;	/* TTY ids */
	uint32_t nr_unlinked;	/* UNLINKED ids */
	uint64_t unlinked_bytes;	/* their data so far */
	uint8_t *tty_taken;	/* per pty: a FILE record took its master */
	uint32_t tty_taken_cap;
	uint32_t nr_socks;	/* UNIX ids */
	uint8_t *sock_state;	/* per socket: SOCK_CLOSED, _TAKEN, _PENDING */
	uint32_t sock_state_cap;
	bool vdso_seen;
	char path[2][CKPT_PATH_MAX + 1];
	char err[320];
	uint64_t err_off;
	bool io_error;
	int io_errno;
};

static int bad(struct decoder *d, uint64_t off, const char *fmt, ...)
	__printf(3, 4);

static int bad(struct decoder *d, uint64_t off, const char *fmt, ...)
{
	va_list ap;

	if (d->err[0])
		return -1;
	va_start(ap, fmt);
	vsnprintf(d->err, sizeof(d->err), fmt, ap);
	va_end(ap);
	d->err_off = off;
	return -1;
}

/* Offset of a field of the current record's struct, for messages. */
#define FOFF(d, type, field) \
	((d)->rec_off + sizeof(struct ckpt_rec) + offsetof(type, field))

const char *image_rec_name(uint32_t type)
{
	if (type && type <= CKPT_REC_MAX)
		return shapes[type].name;	/* NULL for a reserved number */
	return NULL;
}

static const char *rec_name(uint32_t type)
{
	const char *name = image_rec_name(type);

	return name ? name : "unknown";
}

static int io_fail(struct decoder *d)
{
	d->io_error = true;
	d->io_errno = errno;
	return bad(d, d->rd.off, "read error: %s", strerror(errno));
}

static int need(struct decoder *d, void *dst, size_t n, bool hash,
		const char *what)
{
	ssize_t got = rd_get(&d->rd, dst, n, hash);

	if (got < 0)
		return io_fail(d);
	if ((size_t)got < n)
		return bad(d, d->rd.off, "truncated image: end of data inside %s",
			   what);
	return 0;
}

/*
 * Read the next record: its header, then its payload (for PAGES only the
 * struct: the page data is left for read_pages(); for opaque records
 * nothing: it is checksummed and skipped).  The trailer's own bytes are
 * the only ones not covered by the checksum.  After push_back(), the
 * record just read is given again.
 */
static int next_rec(struct decoder *d)
{
	const struct rec_shape *s;
	uint64_t var;
	ssize_t got;

	if (d->pushed_back) {
		d->pushed_back = false;
		return 0;
	}
	d->rec_off = d->rd.off;
	got = rd_get(&d->rd, &d->rec, sizeof(d->rec), false);
	if (got < 0)
		return io_fail(d);
	if (got == 0)
		return bad(d, d->rec_off, "truncated image: no trailer");
	if ((size_t)got < sizeof(d->rec))
		return bad(d, d->rec_off, "truncated image: partial record header");
	if (d->rec.type != CKPT_REC_TRAILER)
		xxh64_update(&d->rd.xs, &d->rec, sizeof(d->rec));
	d->tot.records++;

	if (!d->rec.type || d->rec.type > CKPT_REC_MAX ||
	    !shapes[d->rec.type].name)
		return bad(d, d->rec_off, "unknown record type %u", d->rec.type);
	s = &shapes[d->rec.type];
	if (d->rec.len < sizeof(d->rec) + s->fixed)
		return bad(d, d->rec_off + 4, "%s record too short: len %u < %zu",
			   s->name, d->rec.len, sizeof(d->rec) + s->fixed);
	var = d->rec.len - sizeof(d->rec) - s->fixed;
	if (s->opaque)
		return need(d, NULL, var, true, s->name);
	if (d->rec.type == CKPT_REC_PAGES || d->rec.type == CKPT_REC_UNIX_SKB ||
	    d->rec.type == CKPT_REC_TMPFS_ENTRY)
		var = 0;
	else if (var > s->var_max)
		return bad(d, d->rec_off + 4, "%s record too long: len %u",
			   s->name, d->rec.len);
	return need(d, d->payload, s->fixed + var,
		    d->rec.type != CKPT_REC_TRAILER, s->name);
}

/*
 * Give the current record again at the next next_rec(): for one whose
 * payload was read (or skipped) whole, or a PAGES record whose page data
 * read_pages() has not read yet.
 */
static void push_back(struct decoder *d)
{
	d->pushed_back = true;
}

/* Is the next record of @type?  If not, it stays for the next read. */
static int next_is(struct decoder *d, uint32_t type, bool *yes)
{
	if (next_rec(d))
		return -1;
	*yes = d->rec.type == type;
	if (!*yes)
		push_back(d);
	return 0;
}

static int expect(struct decoder *d, uint32_t type)
{
	if (next_rec(d))
		return -1;
	if (d->rec.type != type)
		return bad(d, d->rec_off, "expected a %s record, found %s (%u)",
			   rec_name(type), rec_name(d->rec.type), d->rec.type);
	return 0;
}

static int check_len(struct decoder *d, uint64_t want)
{
	uint64_t len = sizeof(d->rec) + shapes[d->rec.type].fixed + want;

	if (d->rec.len != len)
		return bad(d, d->rec_off + 4, "%s record length %u, expected %llu",
			   rec_name(d->rec.type), d->rec.len,
			   (unsigned long long)len);
	return 0;
}

/* A NUL-terminated string in a fixed, NUL-padded field. */
static int check_cstr(struct decoder *d, const char *s, size_t size,
		      uint64_t off, const char *what)
{
	if (!memchr(s, '\0', size))
		return bad(d, off, "%s is not NUL-terminated", what);
	return 0;
}

/* Copy a counted path out of the payload, checking it is one. */
static int get_path(struct decoder *d, int slot, const uint8_t *src,
		    uint32_t len, uint64_t off, bool optional, const char *what)
{
	char *dst = d->path[slot];

	if (!len && optional) {
		dst[0] = '\0';
		return 0;
	}
	if (!len || len >= CKPT_PATH_MAX)
		return bad(d, off, "%s: bad path length %u", what, len);
	memcpy(dst, src, len);
	dst[len] = '\0';
	if (strlen(dst) != len)
		return bad(d, off, "%s: path contains a NUL byte", what);
	if (dst[0] != '/')
		return bad(d, off, "%s: path is not absolute", what);
	return 0;
}

static int check_zero(struct decoder *d, const void *p, size_t n, uint64_t off,
		      const char *what)
{
	const uint8_t *b = p;
	size_t i;

	for (i = 0; i < n; i++)
		if (b[i])
			return bad(d, off + i, "%s is not zero", what);
	return 0;
}

static int read_header(struct decoder *d)
{
	const struct ckpt_hdr *h = (const void *)d->payload;
	uint32_t ps;

	if (next_rec(d))
		return -1;
	if (d->rec.type != CKPT_REC_HEADER)
		return bad(d, 0, "not a ckpt image: first record is not a header");
	if (h->magic != CKPT_IMAGE_MAGIC)
		return bad(d, FOFF(d, struct ckpt_hdr, magic),
			   "not a ckpt image: bad magic 0x%016llx",
			   (unsigned long long)h->magic);
	if (check_len(d, 0))
		return -1;
	if (h->version == 1)
		return bad(d, FOFF(d, struct ckpt_hdr, version),
			   "format 1 image (single task, written by a kernel of ckpt ABI 1): ckptctl reads format %u only",
			   CKPT_FORMAT_VERSION);
	if (h->version == 2)
		return bad(d, FOFF(d, struct ckpt_hdr, version),
			   "format 2 image (without the container's clocks): ckptctl reads format %u only, and so do the kernels that write it",
			   CKPT_FORMAT_VERSION);
	if (h->version == 3)
		return bad(d, FOFF(d, struct ckpt_hdr, version),
			   "format 3 image (a descriptor per FILE record, before open files were saved once): ckptctl reads format %u only, and so do the kernels that write it",
			   CKPT_FORMAT_VERSION);
	if (h->version == 4)
		return bad(d, FOFF(d, struct ckpt_hdr, version),
			   "format 4 image (UNIX records of 56 bytes, without names nor listening sockets): ckptctl reads format %u only, and so do the kernels that write it",
			   CKPT_FORMAT_VERSION);
	if (h->version == 5)
		return bad(d, FOFF(d, struct ckpt_hdr, version),
			   "format 5 image (before groups of datagram sockets, UNIX_SKB records without a sender): ckptctl reads format %u only, and so do the kernels that write it",
			   CKPT_FORMAT_VERSION);
	if (h->version != CKPT_FORMAT_VERSION)
		return bad(d, FOFF(d, struct ckpt_hdr, version),
			   "unsupported format version %u (ckptctl knows %u)",
			   h->version, CKPT_FORMAT_VERSION);
	if (h->arch != CKPT_ARCH_X86_64)
		return bad(d, FOFF(d, struct ckpt_hdr, arch),
			   "unknown architecture 0x%08x", h->arch);
	ps = h->page_size;
	if (ps < 4096 || ps > 65536 || (ps & (ps - 1)))
		return bad(d, FOFF(d, struct ckpt_hdr, page_size),
			   "bad page size %u", ps);
	if (h->flags)
		return bad(d, FOFF(d, struct ckpt_hdr, flags),
			   "unknown header flags 0x%x", h->flags);
	if (h->reserved)
		return bad(d, FOFF(d, struct ckpt_hdr, reserved),
			   "reserved field is not zero");
	if (check_cstr(d, h->release, sizeof(h->release),
		       FOFF(d, struct ckpt_hdr, release), "kernel release"))
		return -1;
	d->page_size = ps;
	d->xfeatures = h->xfeatures;
	d->ops->header(d->ctx, h);
	return 0;
}

static int read_container(struct decoder *d)
{
	const struct ckpt_container *c = (const void *)d->payload;

	if (expect(d, CKPT_REC_CONTAINER) || check_len(d, 0))
		return -1;
	if ((c->ns_flags & ~CKPT_NS_ALL) || !(c->ns_flags & CKPT_NS_PID))
		return bad(d, FOFF(d, struct ckpt_container, ns_flags),
			   "bad namespace flags 0x%x", c->ns_flags);
	if (!c->nr_tasks || c->nr_tasks > CKPT_TASKS_MAX)
		return bad(d, FOFF(d, struct ckpt_container, nr_tasks),
			   "bad number of tasks %u (1..%u)", c->nr_tasks,
			   CKPT_TASKS_MAX);
	if (c->nr_ipc > CKPT_IPC_MAX ||
	    (c->nr_ipc && !(c->ns_flags & CKPT_NS_IPC)))
		return bad(d, FOFF(d, struct ckpt_container, nr_ipc),
			   "%u IPC objects%s", c->nr_ipc,
			   c->nr_ipc > CKPT_IPC_MAX ? ": too many" :
			   " without an IPC namespace of its own");
	if ((c->ns_flags & CKPT_NS_MNT) ?
	    !c->nr_mounts || c->nr_mounts > CKPT_MOUNTS_MAX : c->nr_mounts != 0)
		return bad(d, FOFF(d, struct ckpt_container, nr_mounts),
			   "%u mounts %s", c->nr_mounts,
			   (c->ns_flags & CKPT_NS_MNT) ?
			   "with a mount namespace (1..1024)" :
			   "without a mount namespace of its own");
	if (c->nr_shmem > CKPT_SHMEM_MAX)
		return bad(d, FOFF(d, struct ckpt_container, nr_shmem),
			   "bad number of shared memory objects %u (at most %u)",
			   c->nr_shmem, CKPT_SHMEM_MAX);
	if (check_cstr(d, c->nodename, sizeof(c->nodename),
		       FOFF(d, struct ckpt_container, nodename), "hostname") ||
	    check_cstr(d, c->domainname, sizeof(c->domainname),
		       FOFF(d, struct ckpt_container, domainname), "domainname") ||
	    check_zero(d, c->pad, sizeof(c->pad),
		       FOFF(d, struct ckpt_container, pad), "padding"))
		return -1;
	if (c->monotonic_ns < 0 || c->monotonic_ns > CLOCK_NS_MAX)
		return bad(d, FOFF(d, struct ckpt_container, monotonic_ns),
			   "CLOCK_MONOTONIC at %lld ns, out of 0..%lld",
			   (long long)c->monotonic_ns, (long long)CLOCK_NS_MAX);
	if (c->boottime_ns < 0 || c->boottime_ns > CLOCK_NS_MAX)
		return bad(d, FOFF(d, struct ckpt_container, boottime_ns),
			   "CLOCK_BOOTTIME at %lld ns, out of 0..%lld",
			   (long long)c->boottime_ns, (long long)CLOCK_NS_MAX);
	d->container = *c;
	d->ops->container(d->ctx, c);
	return 0;
}

/* ---- the process tree ---- */

/* A zombie's status as wait() reports it: exit(n) or a signal. */
static bool valid_exit_code(int32_t code)
{
	if (!(code & 0x7f))
		return !(code & ~0xff00);
	return !(code & ~0xff) && (code & 0x7f) <= SIG_MAX;
}

static const struct ckpt_tree *tree_of(const struct decoder *d, int32_t pid)
{
	if (pid <= 0 || pid >= PID_LIMIT || !d->pid_index[pid])
		return NULL;
	return &d->tree[d->pid_index[pid] - 1];
}

/* The rules of ckpt_tree (linux/ckpt.h), as restart(2) applies them. */
static int check_tree(struct decoder *d, const struct ckpt_tree *e, uint32_t i)
{
	const struct ckpt_tree *leader, *parent;

	if (e->pid <= 0 || e->pid >= PID_LIMIT)
		return bad(d, FOFF(d, struct ckpt_tree, pid), "bad pid %d", e->pid);
	if (tree_of(d, e->pid))
		return bad(d, FOFF(d, struct ckpt_tree, pid),
			   "pid %d appears twice", e->pid);
	if (e->tgid <= 0 || e->tgid >= PID_LIMIT)
		return bad(d, FOFF(d, struct ckpt_tree, tgid),
			   "pid %d: bad tgid %d", e->pid, e->tgid);
	if (e->ppid < 0 || e->pgid < 0 || e->sid < 0)
		return bad(d, FOFF(d, struct ckpt_tree, ppid),
			   "pid %d: negative ppid %d, pgid %d or sid %d",
			   e->pid, e->ppid, e->pgid, e->sid);
	if (e->state > CKPT_TREE_ZOMBIE)
		return bad(d, FOFF(d, struct ckpt_tree, state),
			   "pid %d: unknown state %u", e->pid, e->state);
	if (e->flags & ~CKPT_TREE_FLAGS)
		return bad(d, FOFF(d, struct ckpt_tree, flags),
			   "pid %d: unknown flags 0x%x", e->pid, e->flags);
	if (e->state == CKPT_TREE_LIVE ? e->exit_code != 0 :
	    !valid_exit_code(e->exit_code))
		return bad(d, FOFF(d, struct ckpt_tree, exit_code),
			   "pid %d: bad exit code 0x%x for a %s task", e->pid,
			   e->exit_code, e->state ? "zombie" : "live");
	if (i == 0) {
		if (e->pid != 1 || e->tgid != 1 || e->ppid ||
		    e->state != CKPT_TREE_LIVE)
			return bad(d, FOFF(d, struct ckpt_tree, pid),
				   "first TREE record is pid %d tgid %d ppid %d%s, not the container's init (pid 1, ppid 0, live)",
				   e->pid, e->tgid, e->ppid,
				   e->state ? " (zombie)" : "");
		if (e->pgid > 1 || e->sid > 1)
			return bad(d, FOFF(d, struct ckpt_tree, pgid),
				   "the container's init in process group %d, session %d: not its own nor outside",
				   e->pgid, e->sid);
	} else if (e->tgid != e->pid) {
		leader = tree_of(d, e->tgid);
		if (!leader || leader->tgid != leader->pid)
			return bad(d, FOFF(d, struct ckpt_tree, tgid),
				   "thread %d: its leader %d does not come before it",
				   e->pid, e->tgid);
		if (leader->state != CKPT_TREE_LIVE || e->state != CKPT_TREE_LIVE)
			return bad(d, FOFF(d, struct ckpt_tree, state),
				   "thread %d: it or its leader %d is a zombie",
				   e->pid, e->tgid);
		if (e->exit_signal != -1)
			return bad(d, FOFF(d, struct ckpt_tree, exit_signal),
				   "thread %d: exit signal %d, not -1", e->pid,
				   e->exit_signal);
		if (e->ppid != leader->ppid || e->pgid != leader->pgid ||
		    e->sid != leader->sid)
			return bad(d, FOFF(d, struct ckpt_tree, ppid),
				   "thread %d: ppid, pgid or sid differ from its leader's",
				   e->pid);
		if (e->flags & ~CKPT_TREE_SHARE_FS)
			return bad(d, FOFF(d, struct ckpt_tree, flags),
				   "thread %d: process flags 0x%x", e->pid,
				   e->flags);
	} else {
		parent = tree_of(d, e->ppid);
		if (!parent || parent->tgid != parent->pid)
			return bad(d, FOFF(d, struct ckpt_tree, ppid),
				   "pid %d: its parent %d does not come before it",
				   e->pid, e->ppid);
		if (parent->state != CKPT_TREE_LIVE)
			return bad(d, FOFF(d, struct ckpt_tree, ppid),
				   "pid %d: its parent %d is a zombie", e->pid,
				   e->ppid);
		if (e->flags & CKPT_TREE_SHARE_FS)
			return bad(d, FOFF(d, struct ckpt_tree, flags),
				   "pid %d: thread flags 0x%x on a process",
				   e->pid, e->flags);
	}
	if (!e->pgid && e->sid)
		return bad(d, FOFF(d, struct ckpt_tree, sid),
			   "pid %d: session %d inside the container, process group outside",
			   e->pid, e->sid);
	if (e->flags & CKPT_TREE_SESSION_LEADER && e->sid != e->pid)
		return bad(d, FOFF(d, struct ckpt_tree, flags),
			   "pid %d: a session leader in session %d", e->pid,
			   e->sid);
	if (e->tgid == e->pid && (e->exit_signal < 0 || e->exit_signal > SIG_MAX))
		return bad(d, FOFF(d, struct ckpt_tree, exit_signal),
			   "pid %d: bad exit signal %d", e->pid, e->exit_signal);
	if (e->nr_sem_undo && (e->tgid != e->pid || e->state != CKPT_TREE_LIVE ||
			       e->nr_sem_undo > d->container.nr_ipc))
		return bad(d, FOFF(d, struct ckpt_tree, nr_sem_undo),
			   "pid %d: %u SEM_UNDO records in a %s (%u IPC objects)",
			   e->pid, e->nr_sem_undo,
			   e->tgid != e->pid ? "thread" :
			   e->state ? "zombie" : "process",
			   d->container.nr_ipc);
	return 0;
}

static int read_tree(struct decoder *d)
{
	uint32_t i, nr = d->container.nr_tasks;

	d->tree = calloc(nr, sizeof(*d->tree));
	if (!d->tree) {
		d->io_error = true;
		d->io_errno = ENOMEM;
		return bad(d, d->rd.off, "out of memory");
	}
	d->ops->begin(d->ctx, PART_TREE);
	for (i = 0; i < nr; i++) {
		struct ckpt_tree *e = &d->tree[i];

		if (expect(d, CKPT_REC_TREE) || check_len(d, 0))
			return -1;
		memcpy(e, d->payload, sizeof(*e));
		if (check_tree(d, e, i))
			return -1;
		d->pid_index[e->pid] = i + 1;
		d->tot.tasks++;
		d->tot.threads += e->tgid != e->pid;
		d->tot.zombies += e->state == CKPT_TREE_ZOMBIE;
		d->ops->tree(d->ctx, e, i);
	}
	d->ops->finish(d->ctx, PART_TREE);
	d->ops->tree_end(d->ctx, d->tree, nr);
	return 0;
}

/* ---- mounts ---- */

static int oom(struct decoder *d);

static const char fstype_chars[] = "abcdefghijklmnopqrstuvwxyz0123456789._-";

/* An absolute path as d_absolute_path() makes them: no "", ".", "..". */
static bool mount_path_ok(const char *p)
{
	const char *c = p;

	if (p[0] != '/')
		return false;
	if (!p[1])
		return true;
	while (*c) {
		const char *next = strchr(c + 1, '/');
		size_t n = next ? (size_t)(next - c - 1) : strlen(c + 1);

		if (!n || n > NAME_MAX_ || (n == 1 && c[1] == '.') ||
		    (n == 2 && c[1] == '.' && c[2] == '.'))
			return false;
		c += n + 1;
	}
	return true;
}

/* The fields of a MOUNT record, as ckpt_check_mount() has them. */
static int check_mount(struct decoder *d, const struct ckpt_mount *m,
		       uint32_t id)
{
	uint32_t hidepid = m->opts & CKPT_MOUNT_PROC_HIDEPID;
	uint64_t tail = d->rec.len - sizeof(d->rec) - sizeof(*m);
	bool tmpfs = m->kind == CKPT_MOUNT_TMPFS;

	if (m->id != id)
		return bad(d, FOFF(d, struct ckpt_mount, id),
			   "MOUNT id %u out of order: the next mount is %u",
			   m->id, id);
	if (m->parent >= m->id || (m->id == 1) != !m->parent)
		return bad(d, FOFF(d, struct ckpt_mount, parent),
			   "mount %u: parent %u is not an earlier mount",
			   m->id, m->parent);
	if (m->kind < CKPT_MOUNT_HOST || m->kind > CKPT_MOUNT_TMPFS ||
	    (m->id == 1 && m->kind != CKPT_MOUNT_HOST))
		return bad(d, FOFF(d, struct ckpt_mount, kind),
			   "mount %u: kind %u", m->id, m->kind);
	if (m->flags & ~CKPT_MOUNT_FLAGS ||
	    (m->flags & CKPT_MOUNT_NOATIME && m->flags & CKPT_MOUNT_RELATIME) ||
	    (m->flags & CKPT_MOUNT_SB_RDONLY &&
	     m->kind != CKPT_MOUNT_PROC && !tmpfs))
		return bad(d, FOFF(d, struct ckpt_mount, flags),
			   "mount %u: flags 0x%x", m->id, m->flags);
	if (!m->path_len || m->path_len >= CKPT_PATH_MAX ||
	    m->source_len >= CKPT_PATH_MAX ||
	    (m->kind == CKPT_MOUNT_BIND) != !!m->source_len ||
	    !m->fstype_len || m->fstype_len >= CKPT_FSTYPE_MAX ||
	    (uint64_t)m->path_len + m->source_len + m->fstype_len != tail)
		return bad(d, FOFF(d, struct ckpt_mount, path_len),
			   "mount %u: string lengths %u, %u, %u in %llu bytes",
			   m->id, m->path_len, m->source_len, m->fstype_len,
			   (unsigned long long)tail);
	if ((m->kind != CKPT_MOUNT_PROC && m->opts) ||
	    (m->kind == CKPT_MOUNT_PROC &&
	     (m->opts & ~(CKPT_MOUNT_PROC_HIDEPID | CKPT_MOUNT_PROC_SUBSET) ||
	      (hidepid != 0 && hidepid != 1 && hidepid != 2 && hidepid != 4))))
		return bad(d, FOFF(d, struct ckpt_mount, opts),
			   "mount %u: options 0x%x", m->id, m->opts);
	if ((!tmpfs && (m->uid || m->mode || m->nr_entries || m->size ||
			m->nr_inodes)) ||
	    (!tmpfs && m->kind != CKPT_MOUNT_PROC && m->gid))
		return bad(d, FOFF(d, struct ckpt_mount, uid),
			   "mount %u: tmpfs fields set on a %s mount", m->id,
			   m->kind == CKPT_MOUNT_PROC ? "proc" : "host or bind");
	if (tmpfs && (m->mode & ~07777 || !m->nr_entries ||
		      m->nr_entries > CKPT_TMPFS_ENTRIES_MAX ||
		      m->size > INT64_MAX || m->nr_inodes > INT64_MAX))
		return bad(d, FOFF(d, struct ckpt_mount, mode),
			   "mount %u: tmpfs mode 0%o, %u entries", m->id,
			   m->mode, m->nr_entries);
	return 0;
}

/* The fields of a TMPFS_ENTRY record, as ckpt_check_tmpfs_entry() has them. */
static int check_tmpfs_entry(struct decoder *d, const struct ckpt_tmpfs_entry *e,
			     uint32_t index, const uint32_t *modes)
{
	uint64_t tail = d->rec.len - sizeof(d->rec) - sizeof(*e);
	uint32_t type = e->mode & S_IFMT;

	if (e->index != index)
		return bad(d, FOFF(d, struct ckpt_tmpfs_entry, index),
			   "tmpfs entry %u out of order: the next is %u",
			   e->index, index);
	if (e->pad || e->mode & ~(S_IFMT | 07777) ||
	    (type != S_IFDIR && type != S_IFREG && type != S_IFLNK))
		return bad(d, FOFF(d, struct ckpt_tmpfs_entry, mode),
			   "tmpfs entry %u: mode 0%o", index, e->mode);
	if (index == 1 ? e->parent || e->name_len || e->link || type != S_IFDIR :
	    !e->parent || e->parent >= index || !S_ISDIR(modes[e->parent - 1]) ||
	    !e->name_len || e->name_len > NAME_MAX_)
		return bad(d, FOFF(d, struct ckpt_tmpfs_entry, parent),
			   "tmpfs entry %u: parent %u, name of %u bytes",
			   index, e->parent, e->name_len);
	if (e->link && (e->link >= index || type != S_IFREG || e->size ||
			modes[e->link - 1] != e->mode))
		return bad(d, FOFF(d, struct ckpt_tmpfs_entry, link),
			   "tmpfs entry %u: hard link to entry %u", index,
			   e->link);
	if ((type == S_IFDIR && e->size) ||
	    (type == S_IFLNK && (!e->size || e->size >= CKPT_PATH_MAX)) ||
	    (type == S_IFREG && e->size > CKPT_TMPFS_DATA_MAX) ||
	    (uint64_t)e->name_len + e->size != tail)
		return bad(d, FOFF(d, struct ckpt_tmpfs_entry, size),
			   "tmpfs entry %u: %llu bytes of contents in a record of %llu",
			   index, (unsigned long long)e->size,
			   (unsigned long long)tail);
	return 0;
}

/* The TMPFS_ENTRY records of a TMPFS mount. */
static int read_tmpfs(struct decoder *d, const struct ckpt_mount *m,
		      const char *path)
{
	const struct ckpt_tmpfs_entry *p = (const void *)d->payload;
	struct ckpt_tmpfs_entry e;
	uint64_t data = 0;
	uint32_t *modes, i;
	char name[NAME_MAX_ + 1];

	modes = calloc(m->nr_entries, sizeof(*modes));
	if (!modes)
		return oom(d);
	for (i = 0; i < m->nr_entries; i++) {
		if (expect(d, CKPT_REC_TMPFS_ENTRY))
			goto fail;
		e = *p;
		if (check_tmpfs_entry(d, &e, i + 1, modes))
			goto fail;
		modes[i] = e.link ? 0 : e.mode;
		data += e.size;
		if (data > CKPT_TMPFS_DATA_MAX) {
			bad(d, FOFF(d, struct ckpt_tmpfs_entry, size),
			    "mount %s: more than %u bytes of tmpfs contents",
			    path, CKPT_TMPFS_DATA_MAX);
			goto fail;
		}
		if (need(d, name, e.name_len, true, "tmpfs entry name"))
			goto fail;
		name[e.name_len] = '\0';
		if (strlen(name) != e.name_len || strchr(name, '/') ||
		    !strcmp(name, ".") || !strcmp(name, "..")) {
			bad(d, d->rd.off - e.name_len,
			    "tmpfs entry %u: bad name", i + 1);
			goto fail;
		}
		d->tot.tmpfs_entries++;
		d->tot.tmpfs_bytes += e.size;
		if (d->ops->tmpfs_entry)
			d->ops->tmpfs_entry(d->ctx, &e, name);
		if (need(d, NULL, e.size, true, "tmpfs entry contents"))
			goto fail;
	}
	free(modes);
	return 0;
fail:
	free(modes);
	return -1;
}

/* CONTAINER.nr_mounts MOUNT records (ckpt_restore_mounts()). */
static int read_mounts(struct decoder *d)
{
	const struct ckpt_mount *p = (const void *)d->payload;
	const char *s = (const char *)(p + 1);
	char path[CKPT_PATH_MAX], source[CKPT_PATH_MAX], fstype[CKPT_FSTYPE_MAX];
	struct ckpt_mount m;
	uint32_t i;

	if (!d->container.nr_mounts)
		return 0;
	d->ops->begin(d->ctx, PART_MOUNTS);
	for (i = 0; i < d->container.nr_mounts; i++) {
		if (expect(d, CKPT_REC_MOUNT))
			return -1;
		m = *p;
		if (check_mount(d, &m, i + 1))
			return -1;
		memcpy(path, s, m.path_len);
		path[m.path_len] = '\0';
		memcpy(source, s + m.path_len, m.source_len);
		source[m.source_len] = '\0';
		memcpy(fstype, s + m.path_len + m.source_len, m.fstype_len);
		fstype[m.fstype_len] = '\0';
		if (!mount_path_ok(path) || strlen(path) != m.path_len ||
		    (i == 0) != !strcmp(path, "/"))
			return bad(d, d->rec_off + sizeof(d->rec) + sizeof(m),
				   "mount %u: bad mount point", i + 1);
		if (m.source_len && (!mount_path_ok(source) ||
				     strlen(source) != m.source_len))
			return bad(d, d->rec_off + sizeof(d->rec) + sizeof(m) +
				   m.path_len, "mount %u: bad source", i + 1);
		if (strspn(fstype, fstype_chars) != m.fstype_len ||
		    (m.kind == CKPT_MOUNT_PROC && strcmp(fstype, "proc")) ||
		    (m.kind == CKPT_MOUNT_TMPFS && strcmp(fstype, "tmpfs")))
			return bad(d, d->rec_off + sizeof(d->rec) + sizeof(m) +
				   m.path_len + m.source_len,
				   "mount %u: bad file system type", i + 1);
		d->tot.mounts++;
		if (d->ops->mount)
			d->ops->mount(d->ctx, &m, path,
				      m.source_len ? source : NULL, fstype);
		if (m.kind == CKPT_MOUNT_TMPFS && read_tmpfs(d, &m, path))
			return -1;
		if (d->ops->mount_end)
			d->ops->mount_end(d->ctx);
	}
	d->ops->finish(d->ctx, PART_MOUNTS);
	return 0;
}

/* ---- memory ---- */

/*
 * PAGES records up to @nr pages in all, ascending inside [@lo, @hi), from
 * *@cursor on (page addresses for a VMA, offsets for an object).
 */
static int read_pages(struct decoder *d, uint64_t lo, uint64_t hi,
		      uint64_t nr, uint64_t *cursor, uint64_t *saved,
		      bool object)
{
	const struct ckpt_pages *p = (const void *)d->payload;
	uint64_t bytes;

	if (expect(d, CKPT_REC_PAGES))
		return -1;
	if (!p->nr_pages || p->nr_pages > CKPT_PAGES_MAX)
		return bad(d, FOFF(d, struct ckpt_pages, nr_pages),
			   "bad page count %u", p->nr_pages);
	bytes = (uint64_t)p->nr_pages * d->page_size;
	if (check_len(d, bytes))
		return -1;
	if (p->pad)
		return bad(d, FOFF(d, struct ckpt_pages, pad),
			   "padding is not zero");
	if (p->addr & (d->page_size - 1))
		return bad(d, FOFF(d, struct ckpt_pages, addr),
			   "page %s 0x%llx is not aligned",
			   object ? "offset" : "address",
			   (unsigned long long)p->addr);
	if (p->addr < *cursor || p->addr < lo || p->addr >= hi ||
	    hi - p->addr < bytes)
		return bad(d, FOFF(d, struct ckpt_pages, addr),
			   "pages 0x%llx+%u out of order or outside their %s",
			   (unsigned long long)p->addr, p->nr_pages,
			   object ? "object" : "vma");
	if (*saved + p->nr_pages > nr)
		return bad(d, FOFF(d, struct ckpt_pages, nr_pages),
			   "more pages than the %s announces (%llu)",
			   object ? "object" : "vma", (unsigned long long)nr);
	if (object)
		d->ops->pages(d->ctx, p);
	*cursor = p->addr + bytes;
	*saved += p->nr_pages;
	d->tot.pages += p->nr_pages;
	d->tot.page_bytes += bytes;
	return need(d, NULL, bytes, true, "page data");
}

/* The key, id and owners that head SHM, MSQ and SEM. */
static int check_perm(struct decoder *d, const struct ckpt_ipc_perm *p)
{
	uint64_t off = d->rec_off + sizeof(d->rec);

	if (p->id < 0)
		return bad(d, off + offsetof(struct ckpt_ipc_perm, id),
			   "bad IPC id %d", p->id);
	if (p->mode & ~0777U)
		return bad(d, off + offsetof(struct ckpt_ipc_perm, mode),
			   "id %d: bad mode 0%o", p->id, p->mode);
	if (p->pad)
		return bad(d, off + offsetof(struct ckpt_ipc_perm, pad),
			   "padding is not zero");
	return 0;
}

static void ipc_record(struct decoder *d)
{
	d->ops->record(d->ctx, d->rec.type, d->rec.len, d->payload);
}

static int read_shm(struct decoder *d)
{
	struct ckpt_shm s;
	uint64_t cursor = 0, saved = 0, end;

	memcpy(&s, d->payload, sizeof(s));
	if (check_len(d, 0) || check_perm(d, &s.perm))
		return -1;
	if (!s.size || s.size > (uint64_t)INT64_MAX)
		return bad(d, FOFF(d, struct ckpt_shm, size), "id %d: bad size %llu",
			   s.perm.id, (unsigned long long)s.size);
	end = (s.size + d->page_size - 1) / d->page_size * d->page_size;
	if (s.nr_pages > end / d->page_size)
		return bad(d, FOFF(d, struct ckpt_shm, nr_pages),
			   "id %d: %llu pages in a segment of %llu bytes",
			   s.perm.id, (unsigned long long)s.nr_pages,
			   (unsigned long long)s.size);
	if (s.flags & ~CKPT_SHM_FLAGS)
		return bad(d, FOFF(d, struct ckpt_shm, flags),
			   "id %d: unknown flags 0x%x", s.perm.id, s.flags);
	if (s.flags & CKPT_SHM_DEST && s.perm.key)
		return bad(d, FOFF(d, struct ckpt_shm, flags),
			   "id %d: removed (SHM_DEST) but still has key %#x",
			   s.perm.id, (unsigned)s.perm.key);
	if (s.atime < 0 || s.dtime < 0 || s.ctime < 0 || s.cpid < 0 ||
	    s.lpid < 0)
		return bad(d, FOFF(d, struct ckpt_shm, atime),
			   "id %d: negative time or pid", s.perm.id);
	if (s.pad)
		return bad(d, FOFF(d, struct ckpt_shm, pad), "padding is not zero");
	ipc_record(d);
	while (saved < s.nr_pages)
		if (read_pages(d, 0, end, s.nr_pages, &cursor, &saved, true))
			return -1;
	return 0;
}

static int read_msq(struct decoder *d)
{
	struct ckpt_msq q;
	uint64_t i;

	memcpy(&q, d->payload, sizeof(q));
	if (check_len(d, 0) || check_perm(d, &q.perm))
		return -1;
	if (q.qbytes > INT32_MAX || q.nr_msgs > q.qbytes)
		return bad(d, FOFF(d, struct ckpt_msq, qbytes),
			   "id %d: %llu messages in a queue of %llu bytes",
			   q.perm.id, (unsigned long long)q.nr_msgs,
			   (unsigned long long)q.qbytes);
	if (q.stime < 0 || q.rtime < 0 || q.ctime < 0 || q.lspid < 0 ||
	    q.lrpid < 0)
		return bad(d, FOFF(d, struct ckpt_msq, stime),
			   "id %d: negative time or pid", q.perm.id);
	ipc_record(d);
	for (i = 0; i < q.nr_msgs; i++) {
		const struct ckpt_msg *m = (const void *)d->payload;

		if (expect(d, CKPT_REC_MSG))
			return -1;
		if (m->len > CKPT_MSG_MAX)
			return bad(d, FOFF(d, struct ckpt_msg, len),
				   "message of %u bytes (at most %u)", m->len,
				   CKPT_MSG_MAX);
		if (check_len(d, m->len))
			return -1;
		if (m->type < 1)
			return bad(d, FOFF(d, struct ckpt_msg, type),
				   "bad message type %lld", (long long)m->type);
		if (m->pad)
			return bad(d, FOFF(d, struct ckpt_msg, pad),
				   "padding is not zero");
		ipc_record(d);
	}
	return 0;
}

static int read_sem(struct decoder *d)
{
	const struct ckpt_sem_val *v;
	struct ckpt_sem s;
	uint32_t i;

	memcpy(&s, d->payload, sizeof(s));
	v = (const void *)(d->payload + sizeof(s));
	if (check_perm(d, &s.perm))
		return -1;
	if (!s.nsems || s.nsems > CKPT_SEM_NSEMS_MAX)
		return bad(d, FOFF(d, struct ckpt_sem, nsems),
			   "id %d: bad number of semaphores %u (1..%u)",
			   s.perm.id, s.nsems, CKPT_SEM_NSEMS_MAX);
	if (check_len(d, (uint64_t)s.nsems * sizeof(*v)))
		return -1;
	if (s.ctime < 0)
		return bad(d, FOFF(d, struct ckpt_sem, ctime),
			   "id %d: negative time", s.perm.id);
	if (s.pad)
		return bad(d, FOFF(d, struct ckpt_sem, pad), "padding is not zero");
	for (i = 0; i < s.nsems; i++)
		if (v[i].val < 0 || v[i].val > SEMVMX || v[i].pid < 0 ||
		    v[i].otime < 0)
			return bad(d, d->rec_off + sizeof(d->rec) + sizeof(s) +
				   i * sizeof(*v),
				   "id %d: semaphore %u: value %d, pid %d out of range",
				   s.perm.id, i, v[i].val, v[i].pid);
	d->sems[d->nr_sems++] = (struct sem_set){ s.perm.id, s.nsems };
	ipc_record(d);
	return 0;
}

static int read_ipc(struct decoder *d)
{
	uint32_t i;

	d->sems = calloc(d->container.nr_ipc ? d->container.nr_ipc : 1,
			 sizeof(*d->sems));
	if (!d->sems) {
		d->io_error = true;
		d->io_errno = ENOMEM;
		return bad(d, d->rd.off, "out of memory");
	}
	d->ops->begin(d->ctx, PART_IPC);
	for (i = 0; i < d->container.nr_ipc; i++) {
		uint32_t type;
		int err;

		if (next_rec(d))
			return -1;
		type = d->rec.type;
		if (type == CKPT_REC_SHM)
			err = read_shm(d);
		else if (type == CKPT_REC_MSQ)
			err = read_msq(d);
		else if (type == CKPT_REC_SEM)
			err = read_sem(d);
		else
			return bad(d, d->rec_off,
				   "IPC object %u of %u: expected a SHM, MSQ or SEM record, found %s (%u)",
				   i + 1, d->container.nr_ipc, rec_name(type), type);
		if (err)
			return -1;
		d->tot.ipc++;
	}
	d->ops->finish(d->ctx, PART_IPC);
	return 0;
}

/* TREE.nr_sem_undo SEM_UNDO records, each for a SEM of the image. */
static int read_sem_undo(struct decoder *d, const struct ckpt_tree *t)
{
	const struct ckpt_sem_undo *u = (const void *)d->payload;
	uint32_t i, j;

	d->ops->begin(d->ctx, PART_SEM_UNDO);
	for (i = 0; i < t->nr_sem_undo; i++) {
		if (expect(d, CKPT_REC_SEM_UNDO))
			return -1;
		for (j = 0; j < d->nr_sems && d->sems[j].id != u->semid; j++)
			;
		if (j == d->nr_sems)
			return bad(d, FOFF(d, struct ckpt_sem_undo, semid),
				   "SEM_UNDO for semaphore set id %d, not in the image",
				   u->semid);
		if (u->nsems != d->sems[j].nsems)
			return bad(d, FOFF(d, struct ckpt_sem_undo, nsems),
				   "SEM_UNDO for %u semaphores of set id %d, which has %u",
				   u->nsems, u->semid, d->sems[j].nsems);
		if (check_len(d, (uint64_t)u->nsems * sizeof(int16_t)))
			return -1;
		d->ops->record(d->ctx, CKPT_REC_SEM_UNDO, d->rec.len, d->payload);
	}
	d->ops->finish(d->ctx, PART_SEM_UNDO);
	return 0;
}

static int read_one_shmem(struct decoder *d, uint32_t id)
{
	const struct ckpt_shmem *s = (const void *)d->payload;
	struct ckpt_shmem sh;
	uint64_t cursor = 0, saved = 0, end;
	char *name = d->path[0];

	if (expect(d, CKPT_REC_SHMEM))
		return -1;
	if (s->name_len > CKPT_PATH_MAX)
		return bad(d, FOFF(d, struct ckpt_shmem, name_len),
			   "bad name length %u", s->name_len);
	if (check_len(d, s->name_len))
		return -1;
	sh = *s;
	if (sh.id < 0 || (uint32_t)sh.id != id)
		return bad(d, FOFF(d, struct ckpt_shmem, id),
			   "shared memory object %u has id %d", id, sh.id);
	if (sh.flags & ~CKPT_SHMEM_FLAGS)
		return bad(d, FOFF(d, struct ckpt_shmem, flags),
			   "unknown shared memory flags 0x%x", sh.flags);
	if (sh.size > (uint64_t)INT64_MAX - d->page_size)
		return bad(d, FOFF(d, struct ckpt_shmem, size),
			   "bad size %llu", (unsigned long long)sh.size);
	end = (sh.size + d->page_size - 1) & ~(uint64_t)(d->page_size - 1);
	if (sh.nr_pages > end / d->page_size)
		return bad(d, FOFF(d, struct ckpt_shmem, nr_pages),
			   "%llu saved pages do not fit in %llu bytes",
			   (unsigned long long)sh.nr_pages,
			   (unsigned long long)sh.size);
	if (!(sh.flags & CKPT_SHMEM_MEMFD) && (sh.seals || sh.name_len))
		return bad(d, FOFF(d, struct ckpt_shmem, seals),
			   "seals or a name for an object that is no memfd");
	if (sh.seals & ~K_F_SEALS)
		return bad(d, FOFF(d, struct ckpt_shmem, seals),
			   "unknown seals 0x%x", sh.seals);
	memcpy(name, s + 1, sh.name_len);
	name[sh.name_len] = '\0';
	if (strlen(name) != sh.name_len)
		return bad(d, d->rec_off + sizeof(d->rec) + sizeof(sh),
			   "memfd name contains a NUL byte");
	d->tot.shmem++;
	d->ops->shmem(d->ctx, &sh, name);
	while (saved < sh.nr_pages)
		if (read_pages(d, 0, end, sh.nr_pages, &cursor, &saved, true))
			return -1;
	d->ops->shmem_end(d->ctx);
	return 0;
}

static int read_shmem(struct decoder *d)
{
	uint32_t i;

	d->ops->begin(d->ctx, PART_SHMEM);
	for (i = 0; i < d->container.nr_shmem; i++)
		if (read_one_shmem(d, i))
			return -1;
	d->ops->finish(d->ctx, PART_SHMEM);
	return 0;
}

/* ---- task sections ---- */

static int read_task(struct decoder *d, const struct ckpt_tree *tr)
{
	const struct ckpt_task *t = (const void *)d->payload;

	if (expect(d, CKPT_REC_TASK) || check_len(d, 0))
		return -1;
	if (t->pid != tr->pid || t->tgid != tr->tgid)
		return bad(d, FOFF(d, struct ckpt_task, pid),
			   "TASK of pid %d tgid %d where the TREE has pid %d tgid %d next",
			   t->pid, t->tgid, tr->pid, tr->tgid);
	if (t->exit_signal != tr->exit_signal)
		return bad(d, FOFF(d, struct ckpt_task, exit_signal),
			   "pid %d: exit signal %d, %d in its TREE record",
			   t->pid, t->exit_signal, tr->exit_signal);
	if (t->pdeath_signal < 0 || t->pdeath_signal > SIG_MAX)
		return bad(d, FOFF(d, struct ckpt_task, pdeath_signal),
			   "bad parent-death signal %d", t->pdeath_signal);
	if (t->flags & ~CKPT_TASK_FLAGS)
		return bad(d, FOFF(d, struct ckpt_task, flags),
			   "unknown task flags 0x%x", t->flags);
	if (check_cstr(d, t->comm, sizeof(t->comm),
		       FOFF(d, struct ckpt_task, comm), "comm"))
		return -1;
	if (t->clear_child_tid >= USER_ADDR_MAX || t->robust_list >= USER_ADDR_MAX ||
	    t->rseq >= USER_ADDR_MAX)
		return bad(d, FOFF(d, struct ckpt_task, clear_child_tid),
			   "tid, robust list or rseq address outside user space");
	if (t->robust_list && t->robust_list_len != ROBUST_LIST_HEAD_SIZE)
		return bad(d, FOFF(d, struct ckpt_task, robust_list_len),
			   "bad robust list length %llu",
			   (unsigned long long)t->robust_list_len);
	if (t->rseq ? t->rseq_len < RSEQ_ORIG_SIZE || t->rseq_len > d->page_size :
	    t->rseq_len != 0)
		return bad(d, FOFF(d, struct ckpt_task, rseq_len),
			   "bad rseq length %u", t->rseq_len);
	d->tot.sections++;
	d->ops->task(d->ctx, t, tr);
	return 0;
}

static int read_creds(struct decoder *d)
{
	const struct ckpt_creds *c = (const void *)d->payload;

	if (expect(d, CKPT_REC_CREDS))
		return -1;
	if (c->ngroups > CKPT_NGROUPS_MAX)
		return bad(d, FOFF(d, struct ckpt_creds, ngroups),
			   "too many groups: %u", c->ngroups);
	if (check_len(d, 4ULL * c->ngroups))
		return -1;
	d->ops->creds(d->ctx, c, (const uint32_t *)(c + 1));
	return 0;
}

static int read_rlimits(struct decoder *d)
{
	const struct ckpt_rlimits *r = (const void *)d->payload;
	int i;

	if (expect(d, CKPT_REC_RLIMITS) || check_len(d, 0))
		return -1;
	for (i = 0; i < CKPT_RLIM_NLIMITS; i++)
		if (r->rlim[i].cur > r->rlim[i].max)
			return bad(d, FOFF(d, struct ckpt_rlimits, rlim[i]),
				   "rlimit %d: soft limit above hard limit", i);
	d->ops->rlimits(d->ctx, r);
	return 0;
}

static int read_itimers(struct decoder *d)
{
	const struct ckpt_itimers *it = (const void *)d->payload;
	int i;

	if (expect(d, CKPT_REC_ITIMERS) || check_len(d, 0))
		return -1;
	for (i = 0; i < 3; i++)
		if (it->it[i].value_ns > (uint64_t)INT64_MAX ||
		    it->it[i].interval_ns > (uint64_t)INT64_MAX)
			return bad(d, FOFF(d, struct ckpt_itimers, it[i]),
				   "interval timer %d: time out of range", i);
	/* setitimer() keeps no interval for a disarmed ITIMER_REAL. */
	if (!it->it[0].value_ns && it->it[0].interval_ns)
		return bad(d, FOFF(d, struct ckpt_itimers, it[0].interval_ns),
			   "ITIMER_REAL: an interval but no value");
	if (it->nr_posix_timers > CKPT_POSIX_TIMERS_MAX)
		return bad(d, FOFF(d, struct ckpt_itimers, nr_posix_timers),
			   "%u POSIX timers (at most %u)", it->nr_posix_timers,
			   CKPT_POSIX_TIMERS_MAX);
	if (it->next_posix_timer_id < 0)
		return bad(d, FOFF(d, struct ckpt_itimers, next_posix_timer_id),
			   "negative next POSIX timer id %d",
			   it->next_posix_timer_id);
	d->nr_posix_timers = it->nr_posix_timers;
	d->ops->itimers(d->ctx, it);
	return 0;
}

/* The notifications restart(2) accepts, as ckpt_check_posix_timer(). */
static bool timer_notify_ok(int32_t notify)
{
	return notify == SIGEV_SIGNAL || notify == SIGEV_NONE ||
	       notify == SIGEV_THREAD ||
	       notify == (SIGEV_SIGNAL | SIGEV_THREAD_ID);
}

/*
 * The rules of ckpt_posix_timer (linux/ckpt.h): ckpt_check_posix_timer()'s,
 * in its order, then those of timer_create() when restart creates the
 * timer: a signal number for a signalling timer, a SIGEV_THREAD_ID target
 * that is a thread of the process, and each id once.
 */
static int check_posix_timer(struct decoder *d, const struct ckpt_posix_timer *t,
			     const struct ckpt_tree *leader, uint32_t n)
{
	const struct ckpt_tree *target;
	uint32_t i;

	if (t->id < 0)
		return bad(d, FOFF(d, struct ckpt_posix_timer, id),
			   "bad POSIX timer id %d", t->id);
	if (t->clock != CLOCK_REALTIME && t->clock != CLOCK_MONOTONIC &&
	    t->clock != CLOCK_BOOTTIME && t->clock != CLOCK_TAI)
		return bad(d, FOFF(d, struct ckpt_posix_timer, clock),
			   "POSIX timer %d: bad clock %d", t->id, t->clock);
	if (!timer_notify_ok(t->notify))
		return bad(d, FOFF(d, struct ckpt_posix_timer, notify),
			   "POSIX timer %d: bad notification %d", t->id,
			   t->notify);
	if (t->flags & ~CKPT_TIMER_FLAGS)
		return bad(d, FOFF(d, struct ckpt_posix_timer, flags),
			   "POSIX timer %d: unknown flags 0x%x", t->id, t->flags);
	if (!(t->notify & SIGEV_THREAD_ID) && t->tid)
		return bad(d, FOFF(d, struct ckpt_posix_timer, tid),
			   "POSIX timer %d: thread %d without SIGEV_THREAD_ID",
			   t->id, t->tid);
	if (t->value_ns > (uint64_t)INT64_MAX ||
	    t->interval_ns > (uint64_t)INT64_MAX)
		return bad(d, FOFF(d, struct ckpt_posix_timer, value_ns),
			   "POSIX timer %d: time out of range", t->id);
	if (!t->value_ns && t->interval_ns)
		return bad(d, FOFF(d, struct ckpt_posix_timer, interval_ns),
			   "POSIX timer %d: an interval but no value", t->id);
	if (t->flags & CKPT_TIMER_ABSTIME &&
	    (t->clock != CLOCK_REALTIME || !t->value_ns))
		return bad(d, FOFF(d, struct ckpt_posix_timer, flags),
			   "POSIX timer %d: absolute expiry %s", t->id,
			   t->value_ns ? "on a clock other than CLOCK_REALTIME" :
			   "but disarmed");
	if (t->overrun_last > INT32_MAX || t->overrun > INT32_MAX)
		return bad(d, FOFF(d, struct ckpt_posix_timer, overrun_last),
			   "POSIX timer %d: overrun count out of range", t->id);
	/* A SIGEV_NONE timer never queues its signal. */
	if (t->flags & CKPT_TIMER_PENDING ? t->notify == SIGEV_NONE :
	    t->overrun != 0)
		return bad(d, FOFF(d, struct ckpt_posix_timer, overrun),
			   "POSIX timer %d: %s", t->id,
			   t->notify == SIGEV_NONE ? "a pending signal with SIGEV_NONE" :
			   "an overrun but no pending signal");
	if (t->notify != SIGEV_NONE && (t->signo <= 0 || t->signo > SIG_MAX))
		return bad(d, FOFF(d, struct ckpt_posix_timer, signo),
			   "POSIX timer %d: bad signal %d", t->id, t->signo);
	if (t->notify & SIGEV_THREAD_ID) {
		target = tree_of(d, t->tid);
		if (!target || target->tgid != leader->pid)
			return bad(d, FOFF(d, struct ckpt_posix_timer, tid),
				   "POSIX timer %d: thread %d is not a thread of process %d",
				   t->id, t->tid, leader->pid);
	}
	for (i = 0; i < n; i++)
		if (d->timer_ids[i] == t->id)
			return bad(d, FOFF(d, struct ckpt_posix_timer, id),
				   "POSIX timer id %d appears twice", t->id);
	return 0;
}

/* ITIMERS.nr_posix_timers POSIX_TIMER records of a thread group leader. */
static int read_posix_timers(struct decoder *d, const struct ckpt_tree *leader)
{
	const struct ckpt_posix_timer *t = (const void *)d->payload;
	uint32_t i;

	if (!d->timer_ids) {
		d->timer_ids = calloc(CKPT_POSIX_TIMERS_MAX,
				      sizeof(*d->timer_ids));
		if (!d->timer_ids) {
			d->io_error = true;
			d->io_errno = ENOMEM;
			return bad(d, d->rd.off, "out of memory");
		}
	}
	d->ops->begin(d->ctx, PART_POSIX_TIMERS);
	for (i = 0; i < d->nr_posix_timers; i++) {
		if (expect(d, CKPT_REC_POSIX_TIMER) || check_len(d, 0) ||
		    check_posix_timer(d, t, leader, i))
			return -1;
		d->timer_ids[i] = t->id;
		d->ops->record(d->ctx, CKPT_REC_POSIX_TIMER, d->rec.len,
			       d->payload);
	}
	d->ops->finish(d->ctx, PART_POSIX_TIMERS);
	return 0;
}

static int read_fs(struct decoder *d)
{
	const struct ckpt_fs *f = (const void *)d->payload;
	const uint8_t *var = (const uint8_t *)(f + 1);
	uint64_t var_off;

	if (expect(d, CKPT_REC_FS))
		return -1;
	var_off = d->rec_off + sizeof(d->rec) + sizeof(*f);
	if (f->root_len > CKPT_PATH_MAX || f->cwd_len > CKPT_PATH_MAX)
		return bad(d, FOFF(d, struct ckpt_fs, root_len),
			   "bad path lengths %u, %u", f->root_len, f->cwd_len);
	if (check_len(d, (uint64_t)f->root_len + f->cwd_len))
		return -1;
	if (f->umask & ~0777U)
		return bad(d, FOFF(d, struct ckpt_fs, umask), "bad umask 0%o",
			   f->umask);
	if (f->pad)
		return bad(d, FOFF(d, struct ckpt_fs, pad), "padding is not zero");
	if (get_path(d, 0, var, f->root_len, var_off, false, "root") ||
	    get_path(d, 1, var + f->root_len, f->cwd_len,
		     var_off + f->root_len, false, "cwd"))
		return -1;
	d->ops->fs(d->ctx, f, d->path[0], d->path[1]);
	return 0;
}

static int check_auxv(struct decoder *d, const struct ckpt_mm *m)
{
	int i;

	for (i = 0; i < 64; i += 2)
		if (m->auxv[i] == 0)	/* AT_NULL */
			return 0;
	return bad(d, FOFF(d, struct ckpt_mm, auxv),
		   "auxiliary vector has no AT_NULL entry");
}

static const char *const vma_kind_names[] = {
	[CKPT_VMA_ANON] = "anon", [CKPT_VMA_FILE] = "file",
	[CKPT_VMA_VDSO] = "vdso", [CKPT_VMA_VVAR] = "vvar",
	[CKPT_VMA_SHMEM] = "shmem", [CKPT_VMA_FILE_SHARED] = "file_shared",
	[CKPT_VMA_SYSVSHM] = "sysvshm",
};

static int check_file_map(struct decoder *d, const struct ckpt_vma *v)
{
	if (!v->path_len)
		return bad(d, FOFF(d, struct ckpt_vma, path_len),
			   "file mapping without a path");
	if (v->pgoff > (INT64_MAX / d->page_size) -
	    (v->end - v->start) / d->page_size)
		return bad(d, FOFF(d, struct ckpt_vma, pgoff),
			   "file offset overflows");
	if (v->size > INT64_MAX)
		return bad(d, FOFF(d, struct ckpt_vma, size),
			   "file size overflows");
	return 0;
}

static int check_vma(struct decoder *d, const struct ckpt_vma *v,
		     uint64_t prev_end)
{
	uint64_t mask = d->page_size - 1;

	if ((v->start | v->end) & mask || v->start >= v->end ||
	    v->end > USER_ADDR_MAX)
		return bad(d, FOFF(d, struct ckpt_vma, start),
			   "bad vma range 0x%llx-0x%llx",
			   (unsigned long long)v->start,
			   (unsigned long long)v->end);
	if (v->start < prev_end)
		return bad(d, FOFF(d, struct ckpt_vma, start),
			   "vma 0x%llx overlaps or precedes the previous one",
			   (unsigned long long)v->start);
	if (v->kind < CKPT_VMA_ANON || v->kind >= ARRAY_SIZE(vma_kind_names))
		return bad(d, FOFF(d, struct ckpt_vma, kind),
			   "unknown vma kind %u", v->kind);
	if (v->flags & ~CKPT_VMA_FLAGS)
		return bad(d, FOFF(d, struct ckpt_vma, flags),
			   "unknown vma flags 0x%x", v->flags);
	if (v->flags & CKPT_VMA_MAYWRITE && v->kind != CKPT_VMA_FILE_SHARED)
		return bad(d, FOFF(d, struct ckpt_vma, flags),
			   "maywrite in a vma of kind %s", vma_kind_names[v->kind]);
	if (v->nr_pages > (v->end - v->start) / d->page_size)
		return bad(d, FOFF(d, struct ckpt_vma, nr_pages),
			   "%llu saved pages do not fit in the vma",
			   (unsigned long long)v->nr_pages);
	switch (v->kind) {
	case CKPT_VMA_SHMEM:
		if (v->shmem < 0 || (uint32_t)v->shmem >= d->container.nr_shmem)
			return bad(d, FOFF(d, struct ckpt_vma, shmem),
				   "shared mapping of object %d, the image has %u",
				   v->shmem, d->container.nr_shmem);
		if (v->path_len || v->ino || v->size || v->mtime_ns)
			return bad(d, FOFF(d, struct ckpt_vma, path_len),
				   "file fields set in a shared memory mapping");
		if (v->pgoff > (INT64_MAX / d->page_size) -
		    (v->end - v->start) / d->page_size)
			return bad(d, FOFF(d, struct ckpt_vma, pgoff),
				   "object offset overflows");
		break;
	case CKPT_VMA_SYSVSHM:
		if (v->shmem < 0)
			return bad(d, FOFF(d, struct ckpt_vma, shmem),
				   "bad SysV shmid %d", v->shmem);
		break;
	default:
		if (v->shmem)
			return bad(d, FOFF(d, struct ckpt_vma, shmem),
				   "shared memory id %d in a vma of kind %s",
				   v->shmem, vma_kind_names[v->kind]);
	}
	switch (v->kind) {
	case CKPT_VMA_FILE:
		return check_file_map(d, v);
	case CKPT_VMA_FILE_SHARED:
		if (check_file_map(d, v))
			return -1;
		/* fall through */
	case CKPT_VMA_SHMEM:
	case CKPT_VMA_SYSVSHM:
		if (v->nr_pages)
			return bad(d, FOFF(d, struct ckpt_vma, nr_pages),
				   "saved pages in a shared mapping (kind %s)",
				   vma_kind_names[v->kind]);
		return 0;
	}
	if (v->path_len || v->pgoff || v->ino || v->size || v->mtime_ns)
		return bad(d, FOFF(d, struct ckpt_vma, pgoff),
			   "file fields set in a vma of kind %s",
			   vma_kind_names[v->kind]);
	if (v->kind != CKPT_VMA_ANON && v->nr_pages)
		return bad(d, FOFF(d, struct ckpt_vma, nr_pages),
			   "saved pages in a vdso/vvar mapping");
	return 0;
}

/* The vdso comes right after its vvar pages, once. */
static int check_vdso_order(struct decoder *d, const struct ckpt_vma *v)
{
	if (v->kind == CKPT_VMA_VVAR) {
		if (d->vvar_end)
			return bad(d, d->rec_off, "two vvar mappings");
		d->vvar_end = v->end;
	} else if (v->kind == CKPT_VMA_VDSO) {
		if (d->vdso_seen || d->vvar_end != v->start)
			return bad(d, d->rec_off,
				   "the vdso does not follow its vvar mapping");
		d->vdso_seen = true;
	}
	return 0;
}

static int read_vma(struct decoder *d, uint64_t *prev_end)
{
	struct ckpt_vma v;
	uint64_t cursor, saved = 0;

	if (expect(d, CKPT_REC_VMA))
		return -1;
	memcpy(&v, d->payload, sizeof(v));
	if (v.path_len > CKPT_PATH_MAX)
		return bad(d, FOFF(d, struct ckpt_vma, path_len),
			   "bad path length %u", v.path_len);
	if (check_len(d, v.path_len) || check_vma(d, &v, *prev_end) ||
	    check_vdso_order(d, &v))
		return -1;
	if (get_path(d, 0, d->payload + sizeof(v), v.path_len,
		     d->rec_off + sizeof(d->rec) + sizeof(v), true, "vma"))
		return -1;
	d->tot.vmas++;
	d->ops->vma(d->ctx, &v, d->path[0]);
	cursor = v.start;
	while (saved < v.nr_pages)
		if (read_pages(d, v.start, v.end, v.nr_pages, &cursor, &saved,
			       false))
			return -1;
	*prev_end = v.end;
	return 0;
}

static int read_mm(struct decoder *d)
{
	const struct ckpt_mm *m = (const void *)d->payload;
	uint64_t prev_end = 0;
	uint32_t i, nr_vmas;

	if (expect(d, CKPT_REC_MM))
		return -1;
	if (m->exe_len > CKPT_PATH_MAX)
		return bad(d, FOFF(d, struct ckpt_mm, exe_len),
			   "bad path length %u", m->exe_len);
	if (check_len(d, m->exe_len))
		return -1;
	if (m->nr_vmas > CKPT_MM_VMAS_MAX)
		return bad(d, FOFF(d, struct ckpt_mm, nr_vmas),
			   "too many vmas: %u", m->nr_vmas);
	if (m->pad)
		return bad(d, FOFF(d, struct ckpt_mm, pad), "padding is not zero");
	if (m->flags)
		return bad(d, FOFF(d, struct ckpt_mm, flags),
			   "unknown mm flags 0x%x", m->flags);
	if (m->end_code > USER_ADDR_MAX || m->end_data > USER_ADDR_MAX ||
	    m->brk > USER_ADDR_MAX || m->start_stack > USER_ADDR_MAX ||
	    m->arg_end > USER_ADDR_MAX || m->env_end > USER_ADDR_MAX)
		return bad(d, FOFF(d, struct ckpt_mm, start_code),
			   "an address lies outside user space");
	if (m->start_code > m->end_code || m->start_data > m->end_data ||
	    m->start_brk > m->brk || m->arg_start > m->arg_end ||
	    m->env_start > m->env_end)
		return bad(d, FOFF(d, struct ckpt_mm, start_code),
			   "a start address lies above its end");
	if (check_auxv(d, m))
		return -1;
	if (get_path(d, 0, (const uint8_t *)(m + 1), m->exe_len,
		     d->rec_off + sizeof(d->rec) + sizeof(*m), true, "exe"))
		return -1;
	nr_vmas = m->nr_vmas;
	d->ops->mm(d->ctx, m, d->path[0]);
	d->vvar_end = 0;
	d->vdso_seen = false;
	for (i = 0; i < nr_vmas; i++)
		if (read_vma(d, &prev_end))
			return -1;
	if (d->vvar_end && !d->vdso_seen)
		return bad(d, d->rd.off, "a vvar mapping without its vdso");
	d->ops->mm_end(d->ctx);
	return 0;
}

/* ---- file tables, open files and pipes ---- */

#define PIPE_END_READ	1
#define PIPE_END_WRITE	2

static int oom(struct decoder *d)
{
	d->io_error = true;
	d->io_errno = ENOMEM;
	return bad(d, d->rec_off, "out of memory");
}

static bool is_power_of_2(uint32_t v)
{
	return v && !(v & (v - 1));
}

/*
 * An UNLINKED record and its PAGES records (ckpt_restore_unlinked(),
 * ckpt_check_unlinked_rec()).
 */
static int read_unlinked(struct decoder *d)
{
	const struct ckpt_unlinked *p = (const void *)d->payload;
	uint64_t cursor = 0, saved = 0, end;
	struct ckpt_unlinked u;

	if (p->path_len >= CKPT_PATH_MAX || !p->path_len)
		return bad(d, FOFF(d, struct ckpt_unlinked, path_len),
			   "bad path length %u", p->path_len);
	if (check_len(d, p->path_len))
		return -1;
	u = *p;
	if (u.id != d->nr_unlinked + 1)
		return bad(d, FOFF(d, struct ckpt_unlinked, id),
			   "UNLINKED id %u out of order: the next is %u", u.id,
			   d->nr_unlinked + 1);
	if (u.flags & ~CKPT_UNLINKED_FLAGS)
		return bad(d, FOFF(d, struct ckpt_unlinked, flags),
			   "unlinked file %u: unknown flags 0x%x", u.id, u.flags);
	if ((u.mode & S_IFMT) != S_IFREG || u.mode & ~(S_IFMT | 07777))
		return bad(d, FOFF(d, struct ckpt_unlinked, mode),
			   "unlinked file %u: mode 0%o is not a regular file's",
			   u.id, u.mode);
	if (u.size > (uint64_t)INT64_MAX - d->page_size)
		return bad(d, FOFF(d, struct ckpt_unlinked, size),
			   "unlinked file %u: bad size %llu", u.id,
			   (unsigned long long)u.size);
	end = (u.size + d->page_size - 1) & ~(uint64_t)(d->page_size - 1);
	if (u.nr_pages > end / d->page_size)
		return bad(d, FOFF(d, struct ckpt_unlinked, nr_pages),
			   "unlinked file %u: %llu saved pages do not fit in %llu bytes",
			   u.id, (unsigned long long)u.nr_pages,
			   (unsigned long long)u.size);
	if (u.nr_pages > CKPT_UNLINKED_DATA_MAX / d->page_size)
		return bad(d, FOFF(d, struct ckpt_unlinked, nr_pages),
			   "unlinked file %u: more than %u bytes of data (CKPT_UNLINKED_DATA_MAX)",
			   u.id, CKPT_UNLINKED_DATA_MAX);
	d->unlinked_bytes += u.nr_pages * d->page_size;
	if (d->unlinked_bytes > CKPT_UNLINKED_TOTAL_MAX)
		return bad(d, FOFF(d, struct ckpt_unlinked, nr_pages),
			   "unlinked file %u: more than %u bytes of data in all (CKPT_UNLINKED_TOTAL_MAX)",
			   u.id, CKPT_UNLINKED_TOTAL_MAX);
	if (get_path(d, 0, d->payload + sizeof(u), u.path_len,
		     d->rec_off + sizeof(d->rec) + sizeof(u), true,
		     "directory"))
		return -1;
	d->nr_unlinked++;
	d->tot.unlinked++;
	d->ops->unlinked(d->ctx, &u, d->path[0]);
	while (saved < u.nr_pages)
		if (read_pages(d, 0, end, u.nr_pages, &cursor, &saved, false))
			return -1;
	return 0;
}

/* A PIPE record and its PIPE_BUF records (ckpt_restore_pipe()). */
static int read_pipe(struct decoder *d)
{
	const struct ckpt_pipe *p = (const void *)d->payload;
	const struct ckpt_pipe_buf *b = (const void *)d->payload;
	struct ckpt_pipe pr;
	uint32_t i;

	if (check_len(d, 0))
		return -1;
	pr = *p;
	if (!pr.id || pr.id != d->nr_pipes + 1)
		return bad(d, FOFF(d, struct ckpt_pipe, id),
			   "PIPE id %u out of order: the next pipe is %u",
			   pr.id, d->nr_pipes + 1);
	if (pr.size < d->page_size || pr.size > CKPT_PIPE_MAX ||
	    !is_power_of_2(pr.size))
		return bad(d, FOFF(d, struct ckpt_pipe, size),
			   "pipe %u: bad size %u (a power of two, %u to %u bytes)",
			   pr.id, pr.size, d->page_size, CKPT_PIPE_MAX);
	if (pr.nr_bufs > pr.size / d->page_size)
		return bad(d, FOFF(d, struct ckpt_pipe, nr_bufs),
			   "pipe %u: %u buffers in a pipe of %u pages", pr.id,
			   pr.nr_bufs, pr.size / d->page_size);
	if (pr.flags & ~CKPT_PIPE_FIFO)
		return bad(d, FOFF(d, struct ckpt_pipe, flags),
			   "pipe %u: unknown flags 0x%x", pr.id, pr.flags);
	if (d->nr_pipes == d->pipe_ends_cap) {
		uint32_t cap = d->pipe_ends_cap ? 2 * d->pipe_ends_cap : 64;
		uint8_t *ends = realloc(d->pipe_ends, cap);

		if (!ends)
			return oom(d);
		d->pipe_ends = ends;
		d->pipe_ends_cap = cap;
	}
	d->pipe_ends[d->nr_pipes++] = 0;
	d->tot.pipes++;
	d->ops->pipe(d->ctx, &pr);
	for (i = 0; i < pr.nr_bufs; i++) {
		if (expect(d, CKPT_REC_PIPE_BUF))
			return -1;
		if (!b->len || b->len > d->page_size)
			return bad(d, FOFF(d, struct ckpt_pipe_buf, len),
				   "pipe %u: buffer of %u bytes (1 to %u)",
				   pr.id, b->len, d->page_size);
		if (check_len(d, b->len))
			return -1;
		if (b->flags & ~CKPT_PIPE_BUF_PACKET)
			return bad(d, FOFF(d, struct ckpt_pipe_buf, flags),
				   "pipe %u: unknown buffer flags 0x%x", pr.id,
				   b->flags);
		d->tot.pipe_bytes += b->len;
		d->tot.packets += !!(b->flags & CKPT_PIPE_BUF_PACKET);
		d->ops->pipe_buf(d->ctx, b, b + 1);
	}
	d->ops->pipe_end(d->ctx);
	return 0;
}

#define SOCK_CLOSED	1
#define SOCK_TAKEN	2
#define SOCK_PENDING	4	/* in a listening socket's queue: no file */

/* A UNIX record, its name, and where it is in the image. */
struct unix_in {
	struct ckpt_unix u;
	char name[UNIX_NAME_MAX];
	uint64_t off;
};

/* Offset of a field of a UNIX record read before the current one. */
#define UOFF(in, field) \
	((in)->off + sizeof(struct ckpt_rec) + offsetof(struct ckpt_unix, field))

/* The fields of a UNIX record, as ckpt_check_unix_rec() has them. */
static int check_unix(struct decoder *d, const struct ckpt_unix *u,
		      uint32_t id)
{
	bool listen = u->flags & CKPT_UNIX_LISTEN;

	if (u->id != id)
		return bad(d, FOFF(d, struct ckpt_unix, id),
			   "UNIX id %u out of order: the next socket is %u",
			   u->id, id);
	if (u->type != SOCK_STREAM && u->type != SOCK_DGRAM &&
	    u->type != SOCK_SEQPACKET)
		return bad(d, FOFF(d, struct ckpt_unix, type),
			   "unix socket %u: socket type %u", u->id, u->type);
	if (u->flags & ~CKPT_UNIX_FLAGS)
		return bad(d, FOFF(d, struct ckpt_unix, flags),
			   "unix socket %u: unknown flags 0x%x", u->id, u->flags);
	if (u->shutdown & ~(CKPT_UNIX_SHUT_RD | CKPT_UNIX_SHUT_WR))
		return bad(d, FOFF(d, struct ckpt_unix, shutdown),
			   "unix socket %u: shutdown bits 0x%x", u->id,
			   u->shutdown);
	/* Connected one way: in a group, to another datagram socket. */
	if (u->flags & CKPT_UNIX_ONEWAY &&
	    (u->type != SOCK_DGRAM || !u->peer || u->peer == u->id ||
	     u->peer == UINT32_MAX || u->listener ||
	     u->flags & (CKPT_UNIX_CLOSED | CKPT_UNIX_LISTEN |
			 CKPT_UNIX_PENDING)))
		return bad(d, FOFF(d, struct ckpt_unix, flags),
			   "unix socket %u: connected one way, yet not a datagram socket, to itself or to no socket (peer %u), closed, listening, pending or a connection",
			   u->id, u->peer);
	/*
	 * Only the second of a pair, or a socket of a group (no peer), can
	 * have lost its open file; nothing is queued on it.  Whether a
	 * socket without peer is in a group, its reader checks.
	 */
	if (u->flags & CKPT_UNIX_CLOSED &&
	    ((u->peer && u->peer != u->id - 1) || u->nr_skbs))
		return bad(d, FOFF(d, struct ckpt_unix, flags),
			   "unix socket %u: closed, yet not the second of a pair or with messages",
			   u->id);
	/* A pair's closed end is not bound again: it has no name. */
	if (u->flags & CKPT_UNIX_CLOSED && u->peer &&
	    (u->name_len || u->flags & CKPT_UNIX_AUTOBIND))
		return bad(d, FOFF(d, struct ckpt_unix, name_len),
			   "unix socket %u: the closed end of a pair, yet named",
			   u->id);
	if (u->nr_skbs > CKPT_UNIX_SKBS_MAX)
		return bad(d, FOFF(d, struct ckpt_unix, nr_skbs),
			   "unix socket %u: %u messages (too many)", u->id,
			   u->nr_skbs);
	if (u->err && u->err != ECONNRESET)
		return bad(d, FOFF(d, struct ckpt_unix, err),
			   "unix socket %u: pending error %d", u->id, u->err);
	if (u->sndbuf < 0 || u->rcvbuf < 0 || u->peek_off < -1 ||
	    u->rcvlowat < 1)
		return bad(d, FOFF(d, struct ckpt_unix, sndbuf),
			   "unix socket %u: bad SO_SNDBUF, SO_RCVBUF, SO_PEEK_OFF or SO_RCVLOWAT",
			   u->id);
	if (u->pad)
		return bad(d, FOFF(d, struct ckpt_unix, pad),
			   "unix socket %u: padding is not zero", u->id);
	if (u->name_len > UNIX_NAME_MAX)
		return bad(d, FOFF(d, struct ckpt_unix, name_len),
			   "unix socket %u: name of %u bytes (at most %u)",
			   u->id, u->name_len, UNIX_NAME_MAX);
	if (u->mode & ~07777)
		return bad(d, FOFF(d, struct ckpt_unix, mode),
			   "unix socket %u: mode 0%o", u->id, u->mode);
	if (u->name_len && u->flags & CKPT_UNIX_AUTOBIND)
		return bad(d, FOFF(d, struct ckpt_unix, name_len),
			   "unix socket %u: a name of %u bytes and autobind",
			   u->id, u->name_len);
	if (!u->name_len && (u->ino || u->mode))
		return bad(d, FOFF(d, struct ckpt_unix, ino),
			   "unix socket %u: an inode number or mode without a name",
			   u->id);
	if (listen && (u->type == SOCK_DGRAM || u->peer || u->nr_skbs ||
		       u->err || u->listener ||
		       u->flags & (CKPT_UNIX_CLOSED | CKPT_UNIX_PENDING)))
		return bad(d, FOFF(d, struct ckpt_unix, flags),
			   "unix socket %u: listening, yet a datagram socket, closed, pending, or with a peer, messages, a pending error or a listener",
			   u->id);
	if (listen && !u->name_len && !(u->flags & CKPT_UNIX_AUTOBIND))
		return bad(d, FOFF(d, struct ckpt_unix, name_len),
			   "unix socket %u: listening without a name", u->id);
	if (listen && (u->backlog < 0 || u->nr_conns > CKPT_UNIX_CONNS_MAX))
		return bad(d, FOFF(d, struct ckpt_unix, nr_conns),
			   "unix socket %u: backlog %d, %u connections (at most %u)",
			   u->id, u->backlog, u->nr_conns, CKPT_UNIX_CONNS_MAX);
	if (!listen && (u->backlog || u->nr_conns))
		return bad(d, FOFF(d, struct ckpt_unix, nr_conns),
			   "unix socket %u: a backlog or connections, yet not listening",
			   u->id);
	if (u->listener && u->listener >= u->id)
		return bad(d, FOFF(d, struct ckpt_unix, listener),
			   "unix socket %u: listener %u does not come before it",
			   u->id, u->listener);
	if (u->listener && (u->peer != u->id + 1 || u->name_len ||
			    u->flags & CKPT_UNIX_AUTOBIND ||
			    u->type == SOCK_DGRAM))
		return bad(d, FOFF(d, struct ckpt_unix, listener),
			   "unix socket %u: a connection of listener %u, yet not the first of a pair, named, or a datagram socket",
			   u->id, u->listener);
	if (u->flags & CKPT_UNIX_PENDING && !u->listener)
		return bad(d, FOFF(d, struct ckpt_unix, flags),
			   "unix socket %u: pending, yet not a connection of a listening socket",
			   u->id);
	return 0;
}

/* The name after a UNIX record, as ckpt_unix_read_rec() checks it. */
static int check_unix_name(struct decoder *d, const struct ckpt_unix *u,
			   const char *name)
{
	uint64_t off = d->rec_off + sizeof(d->rec) + sizeof(*u);
	const char *nul;

	if (!u->name_len)
		return 0;
	if (!name[0]) {
		if (u->ino || u->mode)
			return bad(d, FOFF(d, struct ckpt_unix, ino),
				   "unix socket %u: an abstract name with an inode number or mode",
				   u->id);
		return 0;
	}
	if (name[0] != '/')
		return bad(d, off, "unix socket %u: path name is not absolute",
			   u->id);
	nul = memchr(name, '\0', u->name_len);
	if (nul)
		return bad(d, off + (nul - name),
			   "unix socket %u: path name contains a NUL byte",
			   u->id);
	if (!u->ino)
		return bad(d, FOFF(d, struct ckpt_unix, ino),
			   "unix socket %u: path name without an inode number",
			   u->id);
	return 0;
}

/*
 * The sockets of a group (struct ckpt_unix_group), for the checks of its
 * messages: the first id, how many, and their records.
 */
struct unix_grp {
	uint32_t first;
	uint32_t n;
	struct unix_in *in;
};

static bool unix_named(const struct unix_in *in)
{
	return in->u.name_len || in->u.flags & CKPT_UNIX_AUTOBIND;
}

/*
 * The sender of message @b queued on socket @u: 0 but in a group @g,
 * there a socket of the group other than @u, which sent it through its
 * connection (ONEWAY to @u) or to @u's name, as sendto() does: @u has
 * one, and is not connected to a socket other than the sender.
 */
static int check_unix_sender(struct decoder *d, const struct ckpt_unix *u,
			     const struct ckpt_unix_skb *b,
			     const struct unix_grp *g)
{
	uint64_t off = FOFF(d, struct ckpt_unix_skb, sender);
	const struct unix_in *rcv, *snd;

	if (!g) {
		if (b->sender)
			return bad(d, off,
				   "unix socket %u: message from socket %u, yet not in a group (its peer sent it)",
				   u->id, b->sender);
		return 0;
	}
	if (b->sender < g->first || b->sender - g->first >= g->n)
		return bad(d, off,
			   "unix socket %u: message from socket %u, not of its group (%u to %u)",
			   u->id, b->sender, g->first, g->first + g->n - 1);
	if (b->sender == u->id)
		return bad(d, off, "unix socket %u: message from itself",
			   u->id);
	rcv = &g->in[u->id - g->first];
	snd = &g->in[b->sender - g->first];
	if (snd->u.flags & CKPT_UNIX_ONEWAY && snd->u.peer == u->id)
		return 0;	/* through the connection */
	if (!unix_named(rcv))
		return bad(d, off,
			   "unix socket %u: message from socket %u, not connected to it, yet it has no name to send it to",
			   u->id, b->sender);
	if (rcv->u.flags & CKPT_UNIX_ONEWAY && rcv->u.peer != b->sender)
		return bad(d, off,
			   "unix socket %u: message from socket %u by name, yet it is connected to socket %u (it receives from it only)",
			   u->id, b->sender, rcv->u.peer);
	return 0;
}

/* The UNIX_SKB records of one socket's queue; @g: its group, or NULL. */
static int read_unix_skbs(struct decoder *d, const struct ckpt_unix *u,
			  const struct unix_grp *g)
{
	const struct ckpt_unix_skb *b = (const void *)d->payload;
	uint32_t i;

	for (i = 0; i < u->nr_skbs; i++) {
		uint64_t len;

		if (expect(d, CKPT_REC_UNIX_SKB))
			return -1;
		len = d->rec.len - sizeof(d->rec) - sizeof(*b);
		if (b->len != len || b->len > CKPT_UNIX_MSG_MAX ||
		    (u->type == SOCK_STREAM && !b->len))
			return bad(d, FOFF(d, struct ckpt_unix_skb, len),
				   "unix socket %u: message of %u bytes in a record of %llu",
				   u->id, b->len, (unsigned long long)len);
		if (b->flags & ~CKPT_UNIX_SKB_CREDS)
			return bad(d, FOFF(d, struct ckpt_unix_skb, flags),
				   "unix socket %u: unknown message flags 0x%x",
				   u->id, b->flags);
		if (b->flags & CKPT_UNIX_SKB_CREDS ? b->pid <= 0 :
		    b->pid || b->uid || b->gid)
			return bad(d, FOFF(d, struct ckpt_unix_skb, pid),
				   "unix socket %u: bad credentials", u->id);
		if (check_unix_sender(d, u, b, g))
			return -1;
		d->tot.unix_bytes += b->len;
		d->tot.unix_msgs++;
		if (d->ops->unix_skb)
			d->ops->unix_skb(d->ctx, u, b);
		if (need(d, NULL, b->len, true, "message data"))
			return -1;
	}
	return 0;
}

static int sock_grow(struct decoder *d, uint32_t n)
{
	while (d->nr_socks + n > d->sock_state_cap) {
		uint32_t cap = d->sock_state_cap ? 2 * d->sock_state_cap : 64;
		uint8_t *st = realloc(d->sock_state, cap);

		if (!st)
			return oom(d);
		d->sock_state = st;
		d->sock_state_cap = cap;
	}
	return 0;
}

/* The current record, a UNIX record of socket @id, and its name. */
static int read_unix_rec(struct decoder *d, struct unix_in *in, uint32_t id)
{
	const struct ckpt_unix *p = (const void *)d->payload;

	in->u = *p;
	in->off = d->rec_off;
	if (check_unix(d, &in->u, id) || check_len(d, in->u.name_len))
		return -1;
	memcpy(in->name, d->payload + sizeof(*p), in->u.name_len);
	return check_unix_name(d, &in->u, in->name);
}

/*
 * The current record, a UNIX record of a socket outside any group: not
 * connected one way, closed only as the second of a pair, and with
 * messages only if it has a peer to send them.
 */
static int check_unix_alone(struct decoder *d, const struct ckpt_unix *u)
{
	if (u->flags & CKPT_UNIX_ONEWAY)
		return bad(d, FOFF(d, struct ckpt_unix, flags),
			   "unix socket %u: connected one way to socket %u, outside a group",
			   u->id, u->peer);
	if (u->flags & CKPT_UNIX_CLOSED && (!u->peer || u->peer != u->id - 1))
		return bad(d, FOFF(d, struct ckpt_unix, flags),
			   "unix socket %u: closed, yet not the second of a pair nor in a group",
			   u->id);
	if (u->nr_skbs && !u->peer)
		return bad(d, FOFF(d, struct ckpt_unix, nr_skbs),
			   "unix socket %u: %u messages without a peer to send them",
			   u->id, u->nr_skbs);
	return 0;
}

/*
 * The current record, a UNIX record, and if it has a peer the next one
 * (ckpt_unix_read_pair()): @n is set to 1 or 2.
 */
static int read_unix_pair(struct decoder *d, struct unix_in *in, int *n)
{
	*n = 1;
	if (read_unix_rec(d, &in[0], d->nr_socks + 1) ||
	    check_unix_alone(d, &in[0].u))
		return -1;
	if (in[0].u.peer && in[0].u.peer != in[0].u.id + 1)
		return bad(d, FOFF(d, struct ckpt_unix, peer),
			   "unix socket %u: peer %u, not the next record's",
			   in[0].u.id, in[0].u.peer);
	if (!in[0].u.peer)
		return 0;
	if (expect(d, CKPT_REC_UNIX) ||
	    read_unix_rec(d, &in[1], in[0].u.id + 1) ||
	    check_unix_alone(d, &in[1].u))
		return -1;
	if (in[1].u.peer != in[0].u.id || in[1].u.type != in[0].u.type)
		return bad(d, FOFF(d, struct ckpt_unix, peer),
			   "unix socket %u: peer %u or type %u do not match socket %u's",
			   in[1].u.id, in[1].u.peer, in[1].u.type, in[0].u.id);
	*n = 2;
	return 0;
}

/* Numbers the sockets just read, then reads their UNIX_SKB records. */
static int add_unix(struct decoder *d, const struct unix_in *in, int n)
{
	int i;

	if (sock_grow(d, n))
		return -1;
	for (i = 0; i < n; i++) {
		const struct ckpt_unix *u = &in[i].u;

		d->sock_state[d->nr_socks++] =
			u->flags & CKPT_UNIX_CLOSED ? SOCK_CLOSED :
			u->flags & CKPT_UNIX_PENDING ? SOCK_PENDING : 0;
		d->tot.unix_socks++;
		if (d->ops->unix_sock)
			d->ops->unix_sock(d->ctx, u, in[i].name);
	}
	for (i = 0; i < n; i++)
		if (read_unix_skbs(d, &in[i].u, NULL))
			return -1;
	return 0;
}

/*
 * A UNIX record, its peer's, and their UNIX_SKB records; or a listening
 * socket's record, then its connections, each a pair (server end, then
 * client) with their UNIX_SKB records: the accepted ones first, then the
 * pending ones (ckpt_restore_unix(), ckpt_restore_unix_listener()).
 */
static int read_unix(struct decoder *d)
{
	struct unix_in in[2];
	struct ckpt_unix lsn;
	bool pending = false;
	uint32_t i;
	int n;

	if (read_unix_pair(d, in, &n))
		return -1;
	if (in[0].u.listener)
		return bad(d, UOFF(&in[0], listener),
			   "unix socket %u: a connection of listening socket %u apart from it",
			   in[0].u.id, in[0].u.listener);
	if (!(in[0].u.flags & CKPT_UNIX_LISTEN))
		return add_unix(d, in, n);
	lsn = in[0].u;
	if (add_unix(d, in, 1))
		return -1;
	for (i = 0; i < lsn.nr_conns; i++) {
		if (next_rec(d))
			return -1;
		if (d->rec.type != CKPT_REC_UNIX)
			return bad(d, d->rec_off,
				   "listening unix socket %u: connection %u of %u: expected a UNIX record, found %s (%u)",
				   lsn.id, i + 1, lsn.nr_conns,
				   rec_name(d->rec.type), d->rec.type);
		if (read_unix_pair(d, in, &n))
			return -1;
		if (n != 2 || in[0].u.listener != lsn.id)
			return bad(d, UOFF(&in[0], listener),
				   "unix socket %u: listener %u, not listening socket %u, whose connection %u of %u it is",
				   in[0].u.id, in[0].u.listener, lsn.id, i + 1,
				   lsn.nr_conns);
		if (pending && !(in[0].u.flags & CKPT_UNIX_PENDING))
			return bad(d, UOFF(&in[0], flags),
				   "unix socket %u: an accepted connection after a pending one (listening socket %u)",
				   in[0].u.id, lsn.id);
		if (in[0].u.type != lsn.type)
			return bad(d, UOFF(&in[0], type),
				   "unix socket %u: type %u, listening socket %u's is %u",
				   in[0].u.id, in[0].u.type, lsn.id, lsn.type);
		pending = in[0].u.flags & CKPT_UNIX_PENDING;
		if (pending && in[1].u.nr_skbs)
			return bad(d, UOFF(&in[1], nr_skbs),
				   "unix socket %u: %u messages from a connection not accepted yet",
				   in[1].u.id, in[1].u.nr_skbs);
		if (add_unix(d, in, 2))
			return -1;
	}
	return 0;
}

/*
 * The current record, the UNIX record of socket @in->u.id, in group @g
 * (its members read so far): a datagram socket alone (not listening, not
 * a connection, not one of a pair); if connected one way, to a socket of
 * the group; if closed, without a path name.
 */
static int check_unix_member(struct decoder *d, const struct unix_in *in,
			     const struct unix_grp *g)
{
	const struct ckpt_unix *u = &in->u;

	if (u->flags & (CKPT_UNIX_LISTEN | CKPT_UNIX_PENDING) || u->listener)
		return bad(d, FOFF(d, struct ckpt_unix, flags),
			   "unix socket %u: in a group, yet listening, pending or a connection of a listening socket",
			   u->id);
	if (u->peer && !(u->flags & CKPT_UNIX_ONEWAY))
		return bad(d, FOFF(d, struct ckpt_unix, peer),
			   "unix socket %u: in a group, yet one of a pair (peer %u)",
			   u->id, u->peer);
	if (u->type != SOCK_DGRAM)
		return bad(d, FOFF(d, struct ckpt_unix, type),
			   "unix socket %u: in a group, yet of type %u, not a datagram socket",
			   u->id, u->type);
	if (u->flags & CKPT_UNIX_ONEWAY &&
	    (u->peer < g->first || u->peer - g->first >= g->n))
		return bad(d, FOFF(d, struct ckpt_unix, peer),
			   "unix socket %u: connected one way to socket %u, not of its group (%u to %u)",
			   u->id, u->peer, g->first, g->first + g->n - 1);
	if (u->flags & CKPT_UNIX_CLOSED && u->name_len && in->name[0])
		return bad(d, FOFF(d, struct ckpt_unix, flags),
			   "unix socket %u: closed, yet bound to a path (only an abstract name or none)",
			   u->id);
	return 0;
}

/*
 * A UNIX_GROUP record, the UNIX records of its sockets, then their
 * UNIX_SKB records, each naming its sender (struct ckpt_unix_group).
 */
static int read_unix_group(struct decoder *d)
{
	const struct ckpt_unix_group *p = (const void *)d->payload;
	struct ckpt_unix_group grp = *p;
	struct unix_grp g;
	uint32_t i;
	int ret = -1;

	if (!grp.nr_socks || grp.nr_socks > CKPT_UNIX_GROUP_MAX)
		return bad(d, FOFF(d, struct ckpt_unix_group, nr_socks),
			   "unix group of %u sockets (1 to %u)", grp.nr_socks,
			   CKPT_UNIX_GROUP_MAX);
	if (grp.pad)
		return bad(d, FOFF(d, struct ckpt_unix_group, pad),
			   "unix group: padding is not zero");
	g.first = d->nr_socks + 1;
	g.n = grp.nr_socks;
	g.in = calloc(g.n, sizeof(*g.in));
	if (!g.in)
		return oom(d);
	if (d->ops->unix_group)
		d->ops->unix_group(d->ctx, &grp, g.first);
	for (i = 0; i < g.n; i++) {
		if (next_rec(d))
			goto out;
		if (d->rec.type != CKPT_REC_UNIX) {
			bad(d, d->rec_off,
			    "unix group of %u sockets: socket %u of %u: expected a UNIX record, found %s (%u)",
			    g.n, i + 1, g.n, rec_name(d->rec.type),
			    d->rec.type);
			goto out;
		}
		if (read_unix_rec(d, &g.in[i], g.first + i) ||
		    check_unix_member(d, &g.in[i], &g))
			goto out;
	}
	/* Whom each ONEWAY socket is connected to: a named socket, alone. */
	for (i = 0; i < g.n; i++) {
		const struct unix_in *in = &g.in[i], *t;

		if (!(in->u.flags & CKPT_UNIX_ONEWAY))
			continue;
		t = &g.in[in->u.peer - g.first];
		if (t->u.flags & (CKPT_UNIX_ONEWAY | CKPT_UNIX_CLOSED) ||
		    !unix_named(t)) {
			bad(d, UOFF(in, peer),
			    "unix socket %u: connected one way to socket %u, %s",
			    in->u.id, in->u.peer,
			    t->u.flags & CKPT_UNIX_ONEWAY ?
			    "itself connected one way" :
			    t->u.flags & CKPT_UNIX_CLOSED ? "closed" :
			    "which has no name");
			goto out;
		}
	}
	if (sock_grow(d, g.n))
		goto out;
	for (i = 0; i < g.n; i++) {
		const struct ckpt_unix *u = &g.in[i].u;

		d->sock_state[d->nr_socks++] =
			u->flags & CKPT_UNIX_CLOSED ? SOCK_CLOSED : 0;
		d->tot.unix_socks++;
		if (d->ops->unix_sock)
			d->ops->unix_sock(d->ctx, u, g.in[i].name);
	}
	for (i = 0; i < g.n; i++)
		if (read_unix_skbs(d, &g.in[i].u, &g))
			goto out;
	ret = 0;
out:
	free(g.in);
	return ret;
}

#define TTY_RDEV_PTMX	(5U << 20 | 2)
#define TTY_RDEV_TTY	(5U << 20 | 0)

/* The TTY_BUF records of a pty (ckpt_check_tty_buf()). */
static int read_tty_bufs(struct decoder *d, const struct ckpt_tty *t)
{
	const struct ckpt_tty_buf *b = (const void *)d->payload;
	uint32_t end;

	for (end = CKPT_TTY_MASTER; end <= CKPT_TTY_SLAVE; end++) {
		bool canon;

		if (expect(d, CKPT_REC_TTY_BUF))
			return -1;
		canon = b->flags & CKPT_TTY_BUF_CANON;
		if (b->tty != t->id || b->end != end)
			return bad(d, FOFF(d, struct ckpt_tty_buf, tty),
				   "TTY_BUF of pty %u end %u, expected pty %u end %u",
				   b->tty, b->end, t->id, end);
		if (b->len > CKPT_TTY_BUF_MAX || b->flags & ~CKPT_TTY_BUF_CANON)
			return bad(d, FOFF(d, struct ckpt_tty_buf, len),
				   "pty %u: %u bytes (at most %u) or flags 0x%x",
				   t->id, b->len, CKPT_TTY_BUF_MAX, b->flags);
		if (canon != (end == CKPT_TTY_SLAVE &&
			      (t->termios.lflag & ICANON)))
			return bad(d, FOFF(d, struct ckpt_tty_buf, flags),
				   "pty %u: canonical input %s",
				   t->id, canon ? "for a raw end" :
				   "missing for an ICANON slave");
		if (check_len(d, b->len + (canon ? (b->len + 7) / 8 : 0)))
			return -1;
		if (d->ops->tty_buf)
			d->ops->tty_buf(d->ctx, b, b + 1);
		d->tot.tty_bytes += b->len;
	}
	return 0;
}

/* A TTY record and its TTY_BUF records (ckpt_restore_tty()). */
static int read_tty(struct decoder *d)
{
	const struct ckpt_tty *p = (const void *)d->payload;
	struct ckpt_tty t = *p;

	if (!t.id || t.id != d->nr_ttys + 1)
		return bad(d, FOFF(d, struct ckpt_tty, id),
			   "TTY id %u out of order: the next pty is %u",
			   t.id, d->nr_ttys + 1);
	if (t.index >= 1U << 20 || t.flags & ~CKPT_TTY_FLAGS)
		return bad(d, FOFF(d, struct ckpt_tty, index),
			   "pty %u: bad index %u or flags 0x%x", t.id,
			   t.index, t.flags);
	if (t.mode & ~07777 || t.uid == UINT32_MAX || t.gid == UINT32_MAX)
		return bad(d, FOFF(d, struct ckpt_tty, mode),
			   "pty %u: bad mode 0%o, owner %u or group %u", t.id,
			   t.mode, t.uid, t.gid);
	if (t.pktstatus > 0xff || (t.pktstatus && !(t.flags & CKPT_TTY_PACKET)))
		return bad(d, FOFF(d, struct ckpt_tty, pktstatus),
			   "pty %u: packet status 0x%x without packet mode",
			   t.id, t.pktstatus);
	if (t.termios.line != 0 || t.termios.lflag & EXTPROC)
		return bad(d, FOFF(d, struct ckpt_tty, termios),
			   "pty %u: a line discipline other than N_TTY, or EXTPROC",
			   t.id);
	if (check_zero(d, t.termios.pad, sizeof(t.termios.pad),
		       FOFF(d, struct ckpt_tty, termios.pad), "termios padding"))
		return -1;
	if (!t.path_len)
		return bad(d, FOFF(d, struct ckpt_tty, path_len),
			   "pty %u: no ptmx path", t.id);
	if (check_len(d, t.path_len) ||
	    get_path(d, 0, (const uint8_t *)(p + 1), t.path_len,
		     FOFF(d, struct ckpt_tty, path_len), false, "ptmx path"))
		return -1;
	if (d->nr_ttys == d->tty_taken_cap) {
		uint32_t cap = d->tty_taken_cap ? 2 * d->tty_taken_cap : 16;
		uint8_t *taken = realloc(d->tty_taken, cap);

		if (!taken)
			return oom(d);
		d->tty_taken = taken;
		d->tty_taken_cap = cap;
	}
	d->tty_taken[d->nr_ttys++] = 0;
	d->tot.ttys++;
	if (d->ops->tty)
		d->ops->tty(d->ctx, &t, d->path[0]);
	return read_tty_bufs(d, &t);
}

/* A leader's [TTY TTY_BUF TTY_BUF] CTTY, if it has one (ckpt_restore_ctty()). */
static int read_ctty(struct decoder *d, const struct ckpt_tree *tree)
{
	const struct ckpt_ctty *c = (const void *)d->payload;

	if (next_rec(d))
		return -1;
	if (d->rec.type == CKPT_REC_TTY) {
		if (read_tty(d) || expect(d, CKPT_REC_CTTY))
			return -1;
	} else if (d->rec.type != CKPT_REC_CTTY) {
		d->pushed_back = true;
		return 0;
	}
	if (check_len(d, 0))
		return -1;
	if (!c->tty || c->tty > d->nr_ttys || c->flags & ~CKPT_CTTY_FLAGS ||
	    c->pad || (c->flags & CKPT_CTTY_LEADER ? c->pgrp <= 0 : c->pgrp))
		return bad(d, FOFF(d, struct ckpt_ctty, tty),
			   "CTTY of pid %d: pty %u (%u so far), flags 0x%x, group %d",
			   tree->pid, c->tty, d->nr_ttys, c->flags, c->pgrp);
	if (!tree->sid || (c->flags & CKPT_CTTY_LEADER &&
			   !(tree->flags & CKPT_TREE_SESSION_LEADER)))
		return bad(d, FOFF(d, struct ckpt_ctty, flags),
			   "CTTY of pid %d: not in a session of the container, or not its leader",
			   tree->pid);
	if (d->ops->ctty)
		d->ops->ctty(d->ctx, c);
	return 0;
}

/* The character devices restart opens (ckpt_chrdev_allowed()). */
static bool chrdev_allowed(uint32_t rdev)
{
	switch (rdev) {
	case 1 << 20 | 3:	/* null */
	case 1 << 20 | 5:	/* zero */
	case 1 << 20 | 7:	/* full */
	case 1 << 20 | 8:	/* random */
	case 1 << 20 | 9:	/* urandom */
	case 5 << 20 | 1:	/* console */
		return true;
	}
	return false;
}

/* The fields of a FILE record, as ckpt_check_file() has them. */
static int check_file(struct decoder *d, const struct ckpt_file *f)
{
	uint32_t acc = f->flags & O_ACCMODE;
	bool by_path = f->kind == CKPT_FILE_REG || f->kind == CKPT_FILE_CHR ||
		       f->kind == CKPT_FILE_DIR || f->kind == CKPT_FILE_FIFO;

	if (!f->id || f->id != d->nr_files + 1)
		return bad(d, FOFF(d, struct ckpt_file, id),
			   "FILE id %u out of order: the next open file is %u",
			   f->id, d->nr_files + 1);
	if ((f->flags & ~FILE_FLAGS_OK) || acc == O_ACCMODE)
		return bad(d, FOFF(d, struct ckpt_file, flags),
			   "file %u: bad file flags 0%o", f->id, f->flags);
	if (f->pos < 0)
		return bad(d, FOFF(d, struct ckpt_file, pos),
			   "file %u: negative file offset", f->id);
	switch (f->kind) {
	case CKPT_FILE_REG:
	case CKPT_FILE_CHR:
	case CKPT_FILE_DIR:
	case CKPT_FILE_PIPE:
	case CKPT_FILE_SHMEM:
	case CKPT_FILE_UNIX:
	case CKPT_FILE_FIFO:
	case CKPT_FILE_UNLINKED:
		break;
	case CKPT_FILE_TTY:
		/* A slave and /dev/tty have a path, the master none. */
		by_path = f->rdev != TTY_RDEV_PTMX;
		break;
	case CKPT_FILE_EVENTFD:
	case CKPT_FILE_SIGNALFD:
	case CKPT_FILE_TIMERFD:
	case CKPT_FILE_EPOLL:
		if (acc != O_RDWR || f->pos || f->ino || f->size ||
		    f->mtime_ns || f->rdev || f->obj)
			return bad(d, FOFF(d, struct ckpt_file, flags),
				   "file %u: an event file not O_RDWR, or with an offset, inode, size, mtime, device or object",
				   f->id);
		break;
	case CKPT_FILE_INOTIFY:
		if (acc != O_RDONLY || f->pos || f->ino || f->size ||
		    f->mtime_ns || f->rdev || f->obj)
			return bad(d, FOFF(d, struct ckpt_file, flags),
				   "file %u: an inotify instance not O_RDONLY, or with an offset, inode, size, mtime, device or object",
				   f->id);
		break;
	default:
		return bad(d, FOFF(d, struct ckpt_file, kind),
			   "file %u: unknown file kind %u", f->id, f->kind);
	}
	if (by_path != (f->path_len != 0))
		return bad(d, FOFF(d, struct ckpt_file, path_len),
			   "file %u: %s", f->id, by_path ?
			   "no path for a file opened by path" :
			   "a path for a file of a kind without one");
	switch (f->kind) {
	case CKPT_FILE_DIR:
		if (acc != O_RDONLY)
			return bad(d, FOFF(d, struct ckpt_file, flags),
				   "file %u: a directory open for writing",
				   f->id);
		/* fall through */
	case CKPT_FILE_REG:
		if (f->rdev || f->obj || f->size > INT64_MAX)
			return bad(d, FOFF(d, struct ckpt_file, size),
				   "file %u: bad size, device number or object for a %s",
				   f->id, f->kind == CKPT_FILE_DIR ? "directory" :
				   "regular file");
		break;
	case CKPT_FILE_CHR:
		if (!chrdev_allowed(f->rdev))
			return bad(d, FOFF(d, struct ckpt_file, rdev),
				   "file %u: device %u:%u is not one restart opens",
				   f->id, f->rdev >> 20, f->rdev & 0xfffff);
		if (f->pos || f->ino || f->size || f->mtime_ns || f->obj)
			return bad(d, FOFF(d, struct ckpt_file, pos),
				   "file %u: offset, inode, size, mtime or object set for a device",
				   f->id);
		break;
	case CKPT_FILE_PIPE:
		if (acc == O_RDWR)
			return bad(d, FOFF(d, struct ckpt_file, flags),
				   "file %u: a pipe end open for reading and writing",
				   f->id);
		if (f->pos || f->ino || f->size || f->mtime_ns || f->rdev)
			return bad(d, FOFF(d, struct ckpt_file, pos),
				   "file %u: offset, inode, size, mtime or device set for a pipe end",
				   f->id);
		if (!f->obj || f->obj > d->nr_pipes)
			return bad(d, FOFF(d, struct ckpt_file, obj),
				   "file %u: end of pipe %u, not defined before (%u pipes so far)",
				   f->id, f->obj, d->nr_pipes);
		break;
	case CKPT_FILE_FIFO:
		if (f->pos || f->rdev || f->size > INT64_MAX)
			return bad(d, FOFF(d, struct ckpt_file, pos),
				   "file %u: offset or device set for a FIFO", f->id);
		if (!f->obj || f->obj > d->nr_pipes)
			return bad(d, FOFF(d, struct ckpt_file, obj),
				   "file %u: FIFO of pipe %u, not defined before (%u pipes so far)",
				   f->id, f->obj, d->nr_pipes);
		break;
	case CKPT_FILE_SHMEM:
		if (f->ino || f->size || f->mtime_ns || f->rdev)
			return bad(d, FOFF(d, struct ckpt_file, ino),
				   "file %u: inode, size, mtime or device set for a shared memory object",
				   f->id);
		if (f->obj >= CKPT_SHMEM_MAX || f->obj >= d->container.nr_shmem)
			return bad(d, FOFF(d, struct ckpt_file, obj),
				   "file %u: shared memory object %u, the image has %u",
				   f->id, f->obj, d->container.nr_shmem);
		break;
	case CKPT_FILE_TTY:
		if (f->pos || f->ino || f->size || f->mtime_ns ||
		    (f->rdev != TTY_RDEV_PTMX && f->rdev != TTY_RDEV_TTY &&
		     (f->rdev >> 20 < 136 || f->rdev >> 20 >= 144)))
			return bad(d, FOFF(d, struct ckpt_file, rdev),
				   "file %u: a terminal with an offset, inode, size or mtime, or device %u:%u (ptmx, /dev/tty or a pty slave)",
				   f->id, f->rdev >> 20, f->rdev & 0xfffff);
		if (!f->obj || f->obj > d->nr_ttys)
			return bad(d, FOFF(d, struct ckpt_file, obj),
				   "file %u: pty %u, not defined before", f->id,
				   f->obj);
		if (f->rdev == TTY_RDEV_PTMX) {
			if (acc != O_RDWR || d->tty_taken[f->obj - 1])
				return bad(d, FOFF(d, struct ckpt_file, obj),
					   "file %u: the master of pty %u taken twice, or not O_RDWR",
					   f->id, f->obj);
			d->tty_taken[f->obj - 1] = 1;
		}
		break;
	case CKPT_FILE_UNLINKED:
		if (f->ino || f->size || f->mtime_ns || f->rdev)
			return bad(d, FOFF(d, struct ckpt_file, ino),
				   "file %u: inode, size, mtime or device set for a file with no name",
				   f->id);
		if (!f->obj || f->obj > d->nr_unlinked)
			return bad(d, FOFF(d, struct ckpt_file, obj),
				   "file %u: UNLINKED file %u, not defined before (%u so far)",
				   f->id, f->obj, d->nr_unlinked);
		break;
	case CKPT_FILE_UNIX:
		if (acc != O_RDWR || f->pos || f->ino || f->size ||
		    f->mtime_ns || f->rdev)
			return bad(d, FOFF(d, struct ckpt_file, pos),
				   "file %u: not O_RDWR, or offset, inode, size, mtime or device set for a socket",
				   f->id);
		if (f->obj && f->obj <= d->nr_socks &&
		    d->sock_state[f->obj - 1] & SOCK_PENDING)
			return bad(d, FOFF(d, struct ckpt_file, obj),
				   "file %u: unix socket %u, a connection not accepted yet, has no open file",
				   f->id, f->obj);
		if (!f->obj || f->obj > d->nr_socks ||
		    d->sock_state[f->obj - 1])
			return bad(d, FOFF(d, struct ckpt_file, obj),
				   "file %u: unix socket %u, not defined before, closed or another file's",
				   f->id, f->obj);
		break;
	}
	return 0;
}

/* A FILE record (ckpt_restore_file()): an open file seen the first time. */
static int read_file(struct decoder *d)
{
	const struct ckpt_file *p = (const void *)d->payload;
	struct ckpt_file f = *p;

	if (f.path_len >= CKPT_PATH_MAX)
		return bad(d, FOFF(d, struct ckpt_file, path_len),
			   "bad path length %u", f.path_len);
	if (check_len(d, f.path_len) || check_file(d, &f) ||
	    get_path(d, 0, d->payload + sizeof(f), f.path_len,
		     d->rec_off + sizeof(d->rec) + sizeof(f), true, "file"))
		return -1;
	if (f.kind == CKPT_FILE_PIPE && f.obj) {
		uint8_t end = (f.flags & O_ACCMODE) == O_WRONLY ?
			      PIPE_END_WRITE : PIPE_END_READ;

		if (d->pipe_ends[f.obj - 1] & end)
			return bad(d, FOFF(d, struct ckpt_file, obj),
				   "file %u: the %s end of pipe %u is another open file's",
				   f.id, end == PIPE_END_WRITE ? "write" : "read",
				   f.obj);
		d->pipe_ends[f.obj - 1] |= end;
	}
	if (f.kind == CKPT_FILE_UNIX)
		d->sock_state[f.obj - 1] |= SOCK_TAKEN;
	d->nr_files++;
	d->tot.files++;
	d->ops->file(d->ctx, &f, d->path[0]);
	return 0;
}

/* The EPOLL record after epoll file @f's FILE, and its EPOLL_ITEMs. */
static int read_epoll(struct decoder *d, const struct ckpt_file *f)
{
	const struct ckpt_epoll *p = (const void *)d->payload;
	const struct ckpt_epoll_item *ip = (const void *)d->payload;
	struct ckpt_epoll e;
	uint32_t i;

	if (expect(d, CKPT_REC_EPOLL) || check_len(d, 0))
		return -1;
	e = *p;
	if (e.nr_items > CKPT_EPOLL_ITEMS_MAX || e.pad)
		return bad(d, FOFF(d, struct ckpt_epoll, nr_items),
			   "file %u: %u epoll watches (at most %u), or padding",
			   f->id, e.nr_items, CKPT_EPOLL_ITEMS_MAX);
	if (d->ops->event_file)
		d->ops->event_file(d->ctx, f, CKPT_REC_EPOLL, &e);
	for (i = 0; i < e.nr_items; i++) {
		struct ckpt_epoll_item it;

		if (expect(d, CKPT_REC_EPOLL_ITEM) || check_len(d, 0))
			return -1;
		it = *ip;
		if (!it.file || it.file >= f->id)
			return bad(d, FOFF(d, struct ckpt_epoll_item, file),
				   "file %u: a watch of open file %u, not defined before",
				   f->id, it.file);
		/* Any events: epoll_ctl() takes any bits. */
		if (it.fd < 0 || it.pad)
			return bad(d, FOFF(d, struct ckpt_epoll_item, fd),
				   "file %u: watch of fd %d: bad descriptor or padding",
				   f->id, it.fd);
		if (d->ops->event_file)
			d->ops->event_file(d->ctx, f, CKPT_REC_EPOLL_ITEM, &it);
	}
	return 0;
}

/* Bits of inotify masks (linux/inotify.h). */
#define IN_Q_OVERFLOW_	0x00004000U
#define IN_IGNORED_	0x00008000U

/*
 * The INOTIFY record after inotify instance @f's FILE, its INOTIFY_WATCH
 * and INOTIFY_EVENT records, as kernel/ckpt/inotify.c checks them.  An
 * event of a wd that is no watch must be followed by an IN_IGNORED event
 * of it or an overflow (its watch was removed since).
 */
static int read_inotify(struct decoder *d, const struct ckpt_file *f)
{
	const struct ckpt_inotify *p = (const void *)d->payload;
	const struct ckpt_inotify_watch *wp = (const void *)d->payload;
	const struct ckpt_inotify_event *ep = (const void *)d->payload;
	int32_t *wds = NULL, *gone = NULL;
	uint32_t i, j, nr_gone = 0;
	struct ckpt_inotify in;
	bool overflow = false;
	int err = -1;

	if (expect(d, CKPT_REC_INOTIFY) || check_len(d, 0))
		return -1;
	in = *p;
	if (in.nr_watches > CKPT_INOTIFY_WATCHES_MAX ||
	    in.nr_events > CKPT_INOTIFY_EVENTS_MAX ||
	    in.next_wd > (uint32_t)INT32_MAX + 1 || in.pad)
		return bad(d, FOFF(d, struct ckpt_inotify, nr_watches),
			   "file %u: %u inotify watches (at most %u), %u events (at most %u), next wd %u (at most 2^31), or padding",
			   f->id, in.nr_watches, CKPT_INOTIFY_WATCHES_MAX,
			   in.nr_events, CKPT_INOTIFY_EVENTS_MAX, in.next_wd);
	d->tot.inotify++;
	d->tot.inotify_watches += in.nr_watches;
	d->tot.inotify_events += in.nr_events;
	if (d->ops->event_file)
		d->ops->event_file(d->ctx, f, CKPT_REC_INOTIFY, &in);
	wds = calloc(in.nr_watches + 1, sizeof(*wds));
	gone = calloc(in.nr_events + 1, sizeof(*gone));
	if (!wds || !gone) {
		bad(d, d->rec_off, "out of memory");
		goto out;
	}
	for (i = 0; i < in.nr_watches; i++) {
		struct ckpt_inotify_watch w;

		if (expect(d, CKPT_REC_INOTIFY_WATCH))
			goto out;
		w = *wp;
		if (w.wd < 1 || (i && w.wd <= wds[i - 1])) {
			bad(d, FOFF(d, struct ckpt_inotify_watch, wd),
			    "file %u: inotify watch %d: not above 0 and the wd before",
			    f->id, w.wd);
			goto out;
		}
		if (w.mask & ~CKPT_INOTIFY_WATCH_MASK || w.pad) {
			bad(d, FOFF(d, struct ckpt_inotify_watch, mask),
			    "file %u: inotify watch %d: mask 0x%x has bits other than events, IN_ONESHOT and IN_EXCL_UNLINK, or padding",
			    f->id, w.wd, w.mask);
			goto out;
		}
		if (check_len(d, w.path_len) ||
		    get_path(d, 0, d->payload + sizeof(w), w.path_len,
			     d->rec_off + sizeof(d->rec) + sizeof(w), false,
			     "inotify watch"))
			goto out;
		wds[i] = w.wd;
		if (d->ops->event_file)
			d->ops->event_file(d->ctx, f, CKPT_REC_INOTIFY_WATCH,
					   d->payload);
	}
	for (i = 0; i < in.nr_events; i++) {
		struct ckpt_inotify_event e;
		const char *name = (const char *)d->payload + sizeof(e);
		bool known = false;

		if (expect(d, CKPT_REC_INOTIFY_EVENT))
			goto out;
		e = *ep;
		if (e.mask & ~CKPT_INOTIFY_EVENT_MASK || e.name_len > NAME_MAX_ ||
		    (e.mask & IN_Q_OVERFLOW_ ?
		     e.mask != IN_Q_OVERFLOW_ || e.wd != -1 || e.cookie ||
		     e.name_len || overflow : e.wd < 1 || !e.mask)) {
			bad(d, FOFF(d, struct ckpt_inotify_event, wd),
			    "file %u: inotify event %u: wd %d, mask 0x%x, name of %u bytes: not an event read() gives (or a second overflow)",
			    f->id, i, e.wd, e.mask, e.name_len);
			goto out;
		}
		if (check_len(d, e.name_len))
			goto out;
		if (memchr(name, '/', e.name_len) || memchr(name, 0, e.name_len)) {
			bad(d, d->rec_off + sizeof(d->rec) + sizeof(e),
			    "file %u: inotify event %u: name with a '/' or a NUL",
			    f->id, i);
			goto out;
		}
		if (e.mask == IN_Q_OVERFLOW_) {
			overflow = true;
			nr_gone = 0;
		} else if (e.mask & IN_IGNORED_) {
			for (j = 0; j < nr_gone; j++)
				if (gone[j] == e.wd)
					gone[j] = 0;
		} else {
			for (j = 0; j < in.nr_watches && !known; j++)
				known = wds[j] == e.wd;
			if (!known)
				gone[nr_gone++] = e.wd;
		}
		if (d->ops->event_file)
			d->ops->event_file(d->ctx, f, CKPT_REC_INOTIFY_EVENT,
					   d->payload);
	}
	for (j = 0; j < nr_gone; j++)
		if (gone[j]) {
			bad(d, d->rec_off,
			    "file %u: an inotify event of wd %d, which is no watch and is not removed later",
			    f->id, gone[j]);
			goto out;
		}
	err = 0;
out:
	free(wds);
	free(gone);
	return err;
}

/*
 * The record of an event file's state after its FILE record @f, as
 * kernel/ckpt/eventfiles.c checks it; nothing for other kinds.
 */
static int read_event_file(struct decoder *d, const struct ckpt_file *f)
{
	uint32_t type;

	switch (f->kind) {
	case CKPT_FILE_EVENTFD:
		type = CKPT_REC_EVENTFD;
		break;
	case CKPT_FILE_SIGNALFD:
		type = CKPT_REC_SIGNALFD;
		break;
	case CKPT_FILE_TIMERFD:
		type = CKPT_REC_TIMERFD;
		break;
	case CKPT_FILE_EPOLL:
		return read_epoll(d, f);
	case CKPT_FILE_INOTIFY:
		return read_inotify(d, f);
	default:
		return 0;
	}
	if (expect(d, type) || check_len(d, 0))
		return -1;
	if (type == CKPT_REC_EVENTFD) {
		const struct ckpt_eventfd *e = (const void *)d->payload;

		if (e->count == UINT64_MAX ||
		    e->flags & ~CKPT_EVENTFD_SEMAPHORE || e->pad)
			return bad(d, FOFF(d, struct ckpt_eventfd, count),
				   "file %u: eventfd count 2^64 - 1, or bad flags 0x%x",
				   f->id, e->flags);
	} else if (type == CKPT_REC_SIGNALFD) {
		const struct ckpt_signalfd *s = (const void *)d->payload;

		if (s->mask & (1ULL << (SIGKILL - 1) | 1ULL << (SIGSTOP - 1)))
			return bad(d, FOFF(d, struct ckpt_signalfd, mask),
				   "file %u: signalfd mask with SIGKILL or SIGSTOP",
				   f->id);
	} else {
		const struct ckpt_timerfd *t = (const void *)d->payload;

		if ((t->clockid != CLOCK_REALTIME &&
		     t->clockid != CLOCK_MONOTONIC &&
		     t->clockid != CLOCK_BOOTTIME) ||
		    t->flags & ~CKPT_TIMERFD_ABSTIME || t->value_ns < 0 ||
		    t->interval_ns < 0)
			return bad(d, FOFF(d, struct ckpt_timerfd, clockid),
				   "file %u: timerfd clock %d, flags 0x%x, value or interval negative",
				   f->id, t->clockid, t->flags);
	}
	if (d->ops->event_file)
		d->ops->event_file(d->ctx, f, type, d->payload);
	return 0;
}

/*
 * The LOCK records that follow, as ckpt_restore_lock() checks them: of
 * open file @file (flock, OFD), or with @file 0 of the table (POSIX).
 */
static int read_locks(struct decoder *d, uint32_t file)
{
	const struct ckpt_lock *p = (const void *)d->payload;
	uint32_t n = 0;
	bool yes;

	for (;;) {
		struct ckpt_lock l;

		if (next_is(d, CKPT_REC_LOCK, &yes))
			return -1;
		if (!yes)
			return 0;
		if (check_len(d, 0))
			return -1;
		l = *p;
		if (++n > CKPT_LOCKS_MAX)
			return bad(d, d->rec_off, "more than %u LOCK records",
				   CKPT_LOCKS_MAX);
		if (l.type != F_RDLCK && l.type != F_WRLCK)
			return bad(d, FOFF(d, struct ckpt_lock, type),
				   "lock type %u", l.type);
		if (file ? l.kind != CKPT_LOCK_FLOCK && l.kind != CKPT_LOCK_OFD :
			   l.kind != CKPT_LOCK_POSIX)
			return bad(d, FOFF(d, struct ckpt_lock, kind),
				   "lock kind %u %s", l.kind,
				   file ? "after a FILE record" :
				   "after a file table's descriptors");
		if (file ? l.file != file : !l.file || l.file > d->nr_files)
			return bad(d, FOFF(d, struct ckpt_lock, file),
				   "lock of open file %u, which is not %s",
				   l.file, file ? "the FILE record before" :
				   "defined before");
		if (l.kind == CKPT_LOCK_FLOCK ? l.start || l.end :
		    l.start < 0 || l.end < l.start)
			return bad(d, FOFF(d, struct ckpt_lock, start),
				   "lock range %lld..%lld", (long long)l.start,
				   (long long)l.end);
		d->tot.locks++;
		if (d->ops->lock)
			d->ops->lock(d->ctx, &l);
	}
}

/* A FILE record and the record of its state, if an event file. */
static int read_file_event(struct decoder *d)
{
	struct ckpt_file f = *(const struct ckpt_file *)d->payload;

	return read_file(d) || read_event_file(d, &f);
}

static int check_fd(struct decoder *d, const struct ckpt_fd *fd, int32_t last)
{
	if (check_len(d, 0))
		return -1;
	if (fd->fd <= last)
		return bad(d, FOFF(d, struct ckpt_fd, fd),
			   "fd %d is negative or out of order (after fd %d)",
			   fd->fd, last);
	if (fd->flags & ~CKPT_FD_CLOEXEC)
		return bad(d, FOFF(d, struct ckpt_fd, flags),
			   "fd %d: unknown flags 0x%x", fd->fd, fd->flags);
	if (fd->pad)
		return bad(d, FOFF(d, struct ckpt_fd, pad),
			   "padding is not zero");
	if (!fd->file || fd->file > d->nr_files)
		return bad(d, FOFF(d, struct ckpt_fd, file),
			   "fd %d: open file %u, not defined before (%u so far)",
			   fd->fd, fd->file, d->nr_files);
	return 0;
}

/*
 * The task's FILES record, and for a new table its descriptors, each
 * [PIPE PIPE_BUF...] [FILE] FD (ckpt_restore_files()).
 */
static int read_files(struct decoder *d)
{
	const struct ckpt_files *p = (const void *)d->payload;
	struct ckpt_files fr;
	int32_t last = -1;
	uint32_t i;

	if (expect(d, CKPT_REC_FILES) || check_len(d, 0))
		return -1;
	fr = *p;
	if (fr.id && fr.id <= d->nr_tables) {
		if (fr.nr_fds)
			return bad(d, FOFF(d, struct ckpt_files, nr_fds),
				   "file table %u was saved before, yet %u descriptors follow",
				   fr.id, fr.nr_fds);
		d->ops->files(d->ctx, &fr, true);
		return 0;
	}
	if (fr.id != d->nr_tables + 1)
		return bad(d, FOFF(d, struct ckpt_files, id),
			   "FILES id %u: neither a table saved before nor the next one (%u)",
			   fr.id, d->nr_tables + 1);
	if (fr.nr_fds > CKPT_FDS_MAX)
		return bad(d, FOFF(d, struct ckpt_files, nr_fds),
			   "file table %u: %u descriptors (at most %u)", fr.id,
			   fr.nr_fds, CKPT_FDS_MAX);
	d->tot.tables++;
	d->ops->files(d->ctx, &fr, false);
	d->ops->begin(d->ctx, PART_FILES);
	for (i = 0; i < fr.nr_fds; i++) {
		const struct ckpt_fd *fd = (const void *)d->payload;

		if (next_rec(d))
			return -1;
		/*
		 * Several FILE records: those an epoll file watches first,
		 * each after the PIPE or UNIX records it needs.
		 */
		while (d->rec.type == CKPT_REC_PIPE ||
		       d->rec.type == CKPT_REC_UNIX ||
		       d->rec.type == CKPT_REC_UNIX_GROUP ||
		       d->rec.type == CKPT_REC_TTY ||
		       d->rec.type == CKPT_REC_UNLINKED ||
		       d->rec.type == CKPT_REC_FILE) {
			if (d->rec.type != CKPT_REC_FILE) {
				uint32_t type = d->rec.type;

				if ((type == CKPT_REC_PIPE ? read_pipe(d) :
				     type == CKPT_REC_UNIX ? read_unix(d) :
				     type == CKPT_REC_UNIX_GROUP ?
				     read_unix_group(d) :
				     type == CKPT_REC_TTY ? read_tty(d) :
				     read_unlinked(d)) || next_rec(d))
					return -1;
				if (d->rec.type != CKPT_REC_FILE)
					return bad(d, d->rec_off,
						   "a %s record not followed by a FILE record (found %s)",
						   rec_name(type),
						   rec_name(d->rec.type));
			}
			if (read_file_event(d) || read_locks(d, d->nr_files) ||
			    next_rec(d))
				return -1;
		}
		if (d->rec.type != CKPT_REC_FD)
			return bad(d, d->rec_off,
				   "file table %u: descriptor %u of %u: expected a PIPE, FILE or FD record, found %s (%u)",
				   fr.id, i + 1, fr.nr_fds, rec_name(d->rec.type),
				   d->rec.type);
		if (check_fd(d, fd, last))
			return -1;
		last = fd->fd;
		d->tot.fds++;
		d->ops->fd(d->ctx, fd);
	}
	if (read_locks(d, 0))
		return -1;
	/* As restart, which numbers a table once its descriptors are in. */
	d->nr_tables++;
	d->ops->finish(d->ctx, PART_FILES);
	return 0;
}

static int read_sighand(struct decoder *d)
{
	const struct ckpt_sighand *s = (const void *)d->payload;
	int i;

	if (expect(d, CKPT_REC_SIGHAND) || check_len(d, 0))
		return -1;
	for (i = 0; i < 64; i++) {
		const struct ckpt_sigaction *a = &s->action[i];
		uint64_t off = FOFF(d, struct ckpt_sighand, action[i]);

		if (i + 1 == SIGKILL || i + 1 == SIGSTOP) {
			if (a->handler || a->flags || a->restorer || a->mask)
				return bad(d, off, "signal %d cannot have a disposition",
					   i + 1);
			continue;
		}
		if (a->handler >= USER_ADDR_MAX || a->restorer >= USER_ADDR_MAX ||
		    a->flags > UINT32_MAX)
			return bad(d, off, "bad disposition of signal %d", i + 1);
	}
	d->ops->sighand(d->ctx, s);
	return 0;
}

static int read_siginfo(struct decoder *d, bool leader)
{
	const struct ckpt_siginfo *si = (const void *)d->payload;
	int32_t signo;

	if (expect(d, CKPT_REC_SIGINFO) || check_len(d, 0))
		return -1;
	if (si->shared > 1)
		return bad(d, FOFF(d, struct ckpt_siginfo, shared),
			   "bad shared flag %u", si->shared);
	if (si->shared && !leader)
		return bad(d, FOFF(d, struct ckpt_siginfo, shared),
			   "a signal pending on the process in a thread's section");
	if (si->pad)
		return bad(d, FOFF(d, struct ckpt_siginfo, pad),
			   "padding is not zero");
	memcpy(&signo, si->info, sizeof(signo));
	if (signo < 1 || signo > SIG_MAX || signo == SIGKILL)
		return bad(d, FOFF(d, struct ckpt_siginfo, info),
			   "bad pending signal %d", signo);
	if (check_zero(d, si->info + KSIGINFO_SIZE,
		       sizeof(si->info) - KSIGINFO_SIZE,
		       FOFF(d, struct ckpt_siginfo, info) + KSIGINFO_SIZE,
		       "siginfo beyond the kernel's"))
		return -1;
	d->ops->siginfo(d->ctx, si);
	return 0;
}

static int read_signals(struct decoder *d, bool leader)
{
	const struct ckpt_signals *s = (const void *)d->payload;
	uint32_t i, nr;

	if (expect(d, CKPT_REC_SIGNALS) || check_len(d, 0))
		return -1;
	if (s->ss_flags & ~(SS_DISABLE | K_SS_AUTODISARM) ||
	    s->ss_sp >= USER_ADDR_MAX || s->ss_size > USER_ADDR_MAX - s->ss_sp ||
	    (s->ss_flags & SS_DISABLE ?
	     s->ss_flags != SS_DISABLE || s->ss_sp || s->ss_size : !s->ss_size))
		return bad(d, FOFF(d, struct ckpt_signals, ss_sp),
			   "bad sigaltstack 0x%llx size %llu flags 0x%x",
			   (unsigned long long)s->ss_sp,
			   (unsigned long long)s->ss_size, s->ss_flags);
	if (s->nr_pending > CKPT_PENDING_MAX)
		return bad(d, FOFF(d, struct ckpt_signals, nr_pending),
			   "too many pending signals: %u", s->nr_pending);
	nr = s->nr_pending;
	d->ops->signals(d->ctx, s);
	d->ops->begin(d->ctx, PART_PENDING);
	for (i = 0; i < nr; i++)
		if (read_siginfo(d, leader))
			return -1;
	d->ops->finish(d->ctx, PART_PENDING);
	return 0;
}

static int read_cpu(struct decoder *d)
{
	const struct ckpt_cpu *c = (const void *)d->payload;

	if (expect(d, CKPT_REC_CPU) || check_len(d, 0))
		return -1;
	switch (c->restart) {
	case CKPT_SYSCALL_NONE:
		if (c->clockid || c->remaining_ns || c->rmtp || c->rmtp_type)
			return bad(d, FOFF(d, struct ckpt_cpu, clockid),
				   "sleep fields set without a sleep to restart");
		break;
	case CKPT_SYSCALL_NANOSLEEP:
		if (c->clockid != CLOCK_REALTIME && c->clockid != CLOCK_MONOTONIC &&
		    c->clockid != CLOCK_BOOTTIME && c->clockid != CLOCK_TAI)
			return bad(d, FOFF(d, struct ckpt_cpu, clockid),
				   "bad clock %d", c->clockid);
		if (c->remaining_ns < 0 || c->rmtp_type > 1 ||
		    c->rmtp >= USER_ADDR_MAX)
			return bad(d, FOFF(d, struct ckpt_cpu, remaining_ns),
				   "bad remaining time, rmtp or rmtp type");
		break;
	default:
		return bad(d, FOFF(d, struct ckpt_cpu, restart),
			   "unknown restart kind %u", c->restart);
	}
	if (c->pad)
		return bad(d, FOFF(d, struct ckpt_cpu, pad), "padding is not zero");
	d->ops->cpu(d->ctx, c);
	return 0;
}

static int read_fpu(struct decoder *d)
{
	const struct ckpt_fpu *f = (const void *)d->payload;
	uint64_t bv;

	if (expect(d, CKPT_REC_FPU))
		return -1;
	if (f->size < XSAVE_MIN || f->size > CKPT_FPU_MAX)
		return bad(d, FOFF(d, struct ckpt_fpu, size),
			   "bad XSAVE area size %u", f->size);
	if (check_len(d, f->size))
		return -1;
	if (f->pad)
		return bad(d, FOFF(d, struct ckpt_fpu, pad), "padding is not zero");
	if (f->xfeatures & ~d->xfeatures)
		return bad(d, FOFF(d, struct ckpt_fpu, xfeatures),
			   "xfeatures 0x%llx not announced in the header (0x%llx)",
			   (unsigned long long)f->xfeatures,
			   (unsigned long long)d->xfeatures);
	memcpy(&bv, (const uint8_t *)(f + 1) + XSAVE_HDR_OFF, sizeof(bv));
	if (bv != f->xfeatures)
		return bad(d, d->rec_off + sizeof(d->rec) + sizeof(*f) +
			   XSAVE_HDR_OFF, "XSTATE_BV 0x%llx differs from xfeatures",
			   (unsigned long long)bv);
	d->ops->fpu(d->ctx, f);
	return 0;
}

/*
 * The section of one live task.  Which records it has depends on whether
 * it leads its thread group and on its TREE flags (linux/ckpt.h, DOC:
 * image format).
 */
static int read_section(struct decoder *d, const struct ckpt_tree *t)
{
	bool leader = t->pid == t->tgid;

	if (read_task(d, t) || read_creds(d))
		return -1;
	if (leader && (read_rlimits(d) || read_itimers(d) ||
		       read_posix_timers(d, t)))
		return -1;
	if (!(t->flags & CKPT_TREE_SHARE_FS) && read_fs(d))
		return -1;
	if (leader && read_mm(d))
		return -1;
	if (leader && read_ctty(d, t))
		return -1;
	if (read_files(d))
		return -1;
	if (leader && read_sighand(d))
		return -1;
	if (read_signals(d, leader))
		return -1;
	if (leader && read_sem_undo(d, t))
		return -1;
	if (read_cpu(d) || read_fpu(d))
		return -1;
	if (expect(d, CKPT_REC_TASK_END) || check_len(d, 0))
		return -1;
	d->ops->task_end(d->ctx);
	return 0;
}

static int read_trailer(struct decoder *d)
{
	const struct ckpt_trailer *t = (const void *)d->payload;
	uint64_t image_len = d->rd.off;
	uint8_t extra;
	ssize_t n;

	d->tot.csum_computed = xxh64_digest(&d->rd.xs);
	if (expect(d, CKPT_REC_TRAILER) || check_len(d, 0))
		return -1;
	d->tot.have_trailer = true;
	d->tot.image_len = t->image_len;
	d->tot.csum = t->csum;
	d->tot.size = d->rd.off;
	if (t->image_len != image_len)
		return bad(d, FOFF(d, struct ckpt_trailer, image_len),
			   "trailer says %llu bytes precede it, found %llu",
			   (unsigned long long)t->image_len,
			   (unsigned long long)image_len);
	if (t->csum != d->tot.csum_computed)
		return bad(d, FOFF(d, struct ckpt_trailer, csum),
			   "checksum mismatch: trailer 0x%016llx, data 0x%016llx",
			   (unsigned long long)t->csum,
			   (unsigned long long)d->tot.csum_computed);
	n = rd_get(&d->rd, &extra, 1, false);
	if (n < 0)
		return io_fail(d);
	if (n)
		return bad(d, d->rd.off - 1, "data after the trailer");
	return 0;
}

static int decode(struct decoder *d)
{
	uint32_t i;

	if (read_header(d) || read_container(d) || read_tree(d) ||
	    read_mounts(d) || read_ipc(d) || read_shmem(d))
		return -1;
	d->ops->begin(d->ctx, PART_TASKS);
	for (i = 0; i < d->container.nr_tasks; i++)
		if (d->tree[i].state == CKPT_TREE_LIVE &&
		    read_section(d, &d->tree[i]))
			return -1;
	d->ops->finish(d->ctx, PART_TASKS);
	return read_trailer(d);
}

/**
 * image_decode() - read, validate and describe an image
 * @fd: where the image is read from, in order (a pipe is fine)
 * @ops: callbacks, each given a record that passed validation
 * @ctx: their argument
 *
 * ->end is always called last, with the first problem found if any.
 *
 * Return: IMAGE_OK, IMAGE_INVALID or IMAGE_IOERR (errno set).
 */
int image_decode(int fd, const struct image_ops *ops, void *ctx)
{
	struct decoder *d;
	int ret;

	d = calloc(1, sizeof(*d));
	if (!d)
		return IMAGE_IOERR;
	d->rd.fd = fd;
	d->rd.buf = malloc(RD_BUF_SIZE);
	d->payload = malloc(REC_BUF_SIZE);
	/* 16 MiB of which only the pages of used pids are ever touched. */
	d->pid_index = calloc(PID_LIMIT, sizeof(*d->pid_index));
	d->ops = ops;
	d->ctx = ctx;
	if (!d->rd.buf || !d->payload || !d->pid_index) {
		ret = IMAGE_IOERR;
		errno = ENOMEM;
		goto out;
	}
	xxh64_init(&d->rd.xs, 0);
	ret = decode(d) ? IMAGE_INVALID : IMAGE_OK;
	if (!d->tot.have_trailer)
		d->tot.size = d->rd.off;
	ops->end(ctx, &d->tot, ret ? d->err : NULL, d->err_off);
	if (d->io_error) {
		ret = IMAGE_IOERR;
		errno = d->io_errno;
	}
out:
	free(d->pipe_ends);
	free(d->sock_state);
	free(d->tty_taken);
	free(d->timer_ids);
	free(d->sems);
	free(d->tree);
	free(d->pid_index);
	free(d->payload);
	free(d->rd.buf);
	free(d);
	return ret;
}
