// SPDX-License-Identifier: GPL-2.0-only
/*
 * ckpt: reading and writing image records, and validating them.
 *
 * The image is a stream: it is written and read strictly in order, with
 * vfs_iter_write()/vfs_iter_read() on whatever file the caller passed, and
 * every byte before the trailer goes through a running xxh64 checksum.
 * Page contents move between the image and the tasks' pages directly,
 * through bio_vecs, without an intermediate copy.
 */

#include <linux/bvec.h>
#include <linux/highmem.h>
#include <linux/log2.h>
#include <linux/mm.h>
#include <linux/net.h>
#include <linux/sched/signal.h>
#include <linux/un.h>
#include <linux/slab.h>
#include <linux/uio.h>

#include "internal.h"

static const char *const ckpt_rec_names[CKPT_REC_MAX + 1] = {
	[CKPT_REC_HEADER]	= "HEADER",
	[CKPT_REC_CONTAINER]	= "CONTAINER",
	[CKPT_REC_TASK]		= "TASK",
	[CKPT_REC_CREDS]	= "CREDS",
	[CKPT_REC_RLIMITS]	= "RLIMITS",
	[CKPT_REC_FS]		= "FS",
	[CKPT_REC_MM]		= "MM",
	[CKPT_REC_VMA]		= "VMA",
	[CKPT_REC_PAGES]	= "PAGES",
	[CKPT_REC_FILE]		= "FILE",
	[CKPT_REC_SIGHAND]	= "SIGHAND",
	[CKPT_REC_SIGNALS]	= "SIGNALS",
	[CKPT_REC_SIGINFO]	= "SIGINFO",
	[CKPT_REC_CPU]		= "CPU",
	[CKPT_REC_FPU]		= "FPU",
	[CKPT_REC_TASK_END]	= "TASK_END",
	[CKPT_REC_TRAILER]	= "TRAILER",
	[CKPT_REC_TREE]		= "TREE",
	[CKPT_REC_ITIMERS]	= "ITIMERS",
	[CKPT_REC_POSIX_TIMER]	= "POSIX_TIMER",
	[CKPT_REC_SHM]		= "SHM",
	[CKPT_REC_MSQ]		= "MSQ",
	[CKPT_REC_MSG]		= "MSG",
	[CKPT_REC_SEM]		= "SEM",
	[CKPT_REC_SEM_UNDO]	= "SEM_UNDO",
	[CKPT_REC_SHMEM]	= "SHMEM",
	[CKPT_REC_FILES]	= "FILES",
	[CKPT_REC_FD]		= "FD",
	[CKPT_REC_PIPE]		= "PIPE",
	[CKPT_REC_PIPE_BUF]	= "PIPE_BUF",
	[CKPT_REC_LOCK]		= "LOCK",
	[CKPT_REC_EVENTFD]	= "EVENTFD",
	[CKPT_REC_SIGNALFD]	= "SIGNALFD",
	[CKPT_REC_TIMERFD]	= "TIMERFD",
	[CKPT_REC_EPOLL]	= "EPOLL",
	[CKPT_REC_EPOLL_ITEM]	= "EPOLL_ITEM",
	[CKPT_REC_UNIX]		= "UNIX",
	[CKPT_REC_UNIX_SKB]	= "UNIX_SKB",
	[CKPT_REC_TTY]		= "TTY",
	[CKPT_REC_TTY_BUF]	= "TTY_BUF",
	[CKPT_REC_CTTY]		= "CTTY",
	[CKPT_REC_MOUNT]	= "MOUNT",
	[CKPT_REC_TMPFS_ENTRY]	= "TMPFS_ENTRY",
	[CKPT_REC_INOTIFY]	= "INOTIFY",
	[CKPT_REC_INOTIFY_WATCH] = "INOTIFY_WATCH",
	[CKPT_REC_INOTIFY_EVENT] = "INOTIFY_EVENT",
	[CKPT_REC_UNLINKED]	= "UNLINKED",
	[CKPT_REC_UNIX_GROUP]	= "UNIX_GROUP",
};

/* The largest variable part each record type may carry. */
static const u32 ckpt_rec_tail_max[CKPT_REC_MAX + 1] = {
	[CKPT_REC_CREDS]	= CKPT_NGROUPS_MAX * sizeof(u32),
	[CKPT_REC_FS]		= 2 * CKPT_PATH_MAX,
	[CKPT_REC_MM]		= CKPT_PATH_MAX,
	[CKPT_REC_VMA]		= CKPT_PATH_MAX,
	[CKPT_REC_PAGES]	= CKPT_PAGES_MAX * PAGE_SIZE,
	[CKPT_REC_FILE]		= CKPT_PATH_MAX,
	[CKPT_REC_FPU]		= CKPT_FPU_MAX,
	[CKPT_REC_SHMEM]	= CKPT_PATH_MAX,
	[CKPT_REC_MSG]		= CKPT_MSG_MAX,
	[CKPT_REC_SEM]		= CKPT_SEM_NSEMS_MAX *
				  sizeof(struct ckpt_sem_val),
	[CKPT_REC_SEM_UNDO]	= CKPT_SEM_NSEMS_MAX * sizeof(__s16),
	[CKPT_REC_PIPE_BUF]	= PAGE_SIZE,
	[CKPT_REC_UNIX]		= UNIX_PATH_MAX,
	[CKPT_REC_UNIX_SKB]	= CKPT_UNIX_MSG_MAX,
	[CKPT_REC_TTY]		= CKPT_PATH_MAX,
	[CKPT_REC_TTY_BUF]	= CKPT_TTY_BUF_MAX + (CKPT_TTY_BUF_MAX + 7) / 8,
	[CKPT_REC_MOUNT]	= 2 * CKPT_PATH_MAX + CKPT_FSTYPE_MAX,
	[CKPT_REC_TMPFS_ENTRY]	= NAME_MAX + CKPT_TMPFS_DATA_MAX,
	[CKPT_REC_INOTIFY_WATCH] = CKPT_PATH_MAX,
	[CKPT_REC_INOTIFY_EVENT] = NAME_MAX,
	[CKPT_REC_UNLINKED]	= CKPT_PATH_MAX,
};

static const char *ckpt_rec_name(u32 type)
{
	if (type && type <= CKPT_REC_MAX && ckpt_rec_names[type])
		return ckpt_rec_names[type];
	return "unknown";
}

/* Moves all of @iter to or from the image. */
static int ckpt_io(struct ckpt_ctx *ctx, struct iov_iter *iter, bool write)
{
	while (iov_iter_count(iter)) {
		ssize_t n;

		if (write)
			n = vfs_iter_write(ctx->img, iter, ctx->ppos, 0);
		else
			n = vfs_iter_read(ctx->img, iter, ctx->ppos, 0);
		if (n == 0)
			return write ? -EIO : -EBADMSG;
		if (n < 0) {
			bool intr = n == -ERESTARTSYS || n == -ERESTARTNOINTR ||
				    n == -ERESTARTNOHAND || n == -EINTR;

			/*
			 * The new task is not running user code yet: a signal
			 * for it (or its cgroup freezing) waits until it does.
			 * Only a fatal signal stops the read.
			 */
			if (intr && ctx->child && !fatal_signal_pending(current)) {
				clear_thread_flag(TIF_SIGPENDING);
				continue;
			}
			/* A partly moved stream cannot be restarted. */
			return intr ? -EINTR : n;
		}
		if (fatal_signal_pending(current))
			return -EINTR;
	}
	return 0;
}

static int ckpt_io_kvec(struct ckpt_ctx *ctx, struct kvec *vec,
			unsigned int nr, bool write)
{
	struct iov_iter iter;
	size_t len = 0;
	unsigned int i;

	for (i = 0; i < nr; i++)
		len += vec[i].iov_len;
	iov_iter_kvec(&iter, write ? ITER_SOURCE : ITER_DEST, vec, nr, len);
	return ckpt_io(ctx, &iter, write);
}

static void ckpt_csum(struct ckpt_ctx *ctx, const void *buf, size_t len)
{
	xxh64_update(&ctx->csum, buf, len);
	ctx->len += len;
}

/**
 * ckpt_write - append bytes to the image
 * @ctx: the checkpoint.
 * @buf: the bytes.
 * @len: their number.
 *
 * Return: 0 or a negative errno from the write.
 */
int ckpt_write(struct ckpt_ctx *ctx, const void *buf, size_t len)
{
	struct kvec vec = { .iov_base = (void *)buf, .iov_len = len };

	ckpt_csum(ctx, buf, len);
	return ckpt_io_kvec(ctx, &vec, 1, true);
}

/**
 * ckpt_write_rec_tail - append a record with a variable part
 * @ctx: the checkpoint.
 * @type: enum ckpt_rec_type.
 * @payload: the record's fixed part.
 * @len: its size.
 * @tail: the variable part, or NULL if the caller writes it next (pages).
 * @tail_len: its size.
 *
 * Return: 0 or a negative errno from the write.
 */
int ckpt_write_rec_tail(struct ckpt_ctx *ctx, u32 type, const void *payload,
			size_t len, const void *tail, size_t tail_len)
{
	struct ckpt_rec rec = {
		.type = type,
		.len = sizeof(rec) + len + tail_len,
	};
	struct kvec vec[3] = {
		{ .iov_base = &rec, .iov_len = sizeof(rec) },
		{ .iov_base = (void *)payload, .iov_len = len },
		{ .iov_base = (void *)tail, .iov_len = tail_len },
	};

	ckpt_csum(ctx, &rec, sizeof(rec));
	ckpt_csum(ctx, payload, len);
	if (tail && tail_len)
		ckpt_csum(ctx, tail, tail_len);
	return ckpt_io_kvec(ctx, vec, tail && tail_len ? 3 : 2, true);
}

/**
 * ckpt_write_rec - append a fixed-size record
 * @ctx: the checkpoint.
 * @type: enum ckpt_rec_type.
 * @payload: the record after its header.
 * @len: its size.
 *
 * Return: 0 or a negative errno from the write.
 */
int ckpt_write_rec(struct ckpt_ctx *ctx, u32 type, const void *payload,
		   size_t len)
{
	return ckpt_write_rec_tail(ctx, type, payload, len, NULL, 0);
}

static void ckpt_csum_pages(struct ckpt_ctx *ctx, struct page **pages,
			    unsigned int nr)
{
	unsigned int i;

	for (i = 0; i < nr; i++) {
		void *addr = kmap_local_page(pages[i]);

		ckpt_csum(ctx, addr, PAGE_SIZE);
		kunmap_local(addr);
	}
}

static int ckpt_io_pages(struct ckpt_ctx *ctx, struct page **pages,
			 unsigned int nr, bool write)
{
	struct bio_vec *bvec;
	struct iov_iter iter;
	unsigned int i;
	int err;

	bvec = kmalloc_array(nr, sizeof(*bvec), GFP_KERNEL);
	if (!bvec)
		return -ENOMEM;
	for (i = 0; i < nr; i++)
		bvec_set_page(&bvec[i], pages[i], PAGE_SIZE, 0);
	iov_iter_bvec(&iter, write ? ITER_SOURCE : ITER_DEST, bvec, nr,
		      (size_t)nr * PAGE_SIZE);
	err = ckpt_io(ctx, &iter, write);
	kfree(bvec);
	return err;
}

/**
 * ckpt_write_pages - append the contents of pages
 * @ctx: the checkpoint.
 * @pages: the pages, which must not change (their task is frozen).
 * @nr: how many, at most CKPT_PAGES_MAX.
 *
 * Return: 0 or a negative errno.
 */
int ckpt_write_pages(struct ckpt_ctx *ctx, struct page **pages,
		     unsigned int nr)
{
	ckpt_csum_pages(ctx, pages, nr);
	return ckpt_io_pages(ctx, pages, nr, true);
}

/**
 * ckpt_write_trailer - end the image with its length and checksum
 * @ctx: the checkpoint.
 *
 * Return: 0 or a negative errno.
 */
int ckpt_write_trailer(struct ckpt_ctx *ctx)
{
	struct {
		struct ckpt_rec rec;
		struct ckpt_trailer trailer;
	} t = {
		.rec = { .type = CKPT_REC_TRAILER, .len = sizeof(t) },
		.trailer = {
			.image_len = ctx->len,
			.csum = xxh64_digest(&ctx->csum),
		},
	};
	struct kvec vec = { .iov_base = &t, .iov_len = sizeof(t) };

	return ckpt_io_kvec(ctx, &vec, 1, true);
}

static int ckpt_read_raw(struct ckpt_ctx *ctx, void *buf, size_t len)
{
	struct kvec vec = { .iov_base = buf, .iov_len = len };
	int err;

	err = ckpt_io_kvec(ctx, &vec, 1, false);
	if (err == -EBADMSG)
		ckpt_log(ctx, "image truncated after %llu bytes", ctx->len);
	return err;
}

/**
 * ckpt_read - read bytes of the image
 * @ctx: the restart.
 * @buf: where to put them.
 * @len: how many.
 *
 * Return: 0, -EBADMSG if the image ends first, or another negative errno.
 */
int ckpt_read(struct ckpt_ctx *ctx, void *buf, size_t len)
{
	int err = ckpt_read_raw(ctx, buf, len);

	if (!err)
		ckpt_csum(ctx, buf, len);
	return err;
}

/**
 * ckpt_check_rec - validate a record header against what is expected
 * @type: the record's type.
 * @len: the record's length, header included.
 * @expect: the type expected here.
 * @size: the size of the expected type's fixed part.
 * @tail_len: set to the length of the variable part.
 *
 * Return: 0, or -EINVAL if the type or the length is wrong.
 */
int ckpt_check_rec(u32 type, u32 len, u32 expect, size_t size,
		   u32 *tail_len)
{
	u32 tail;

	if (type != expect || !type || type > CKPT_REC_MAX)
		return -EINVAL;
	if (len < sizeof(struct ckpt_rec) + size)
		return -EINVAL;
	tail = len - sizeof(struct ckpt_rec) - size;
	if (tail > ckpt_rec_tail_max[type])
		return -EINVAL;
	*tail_len = tail;
	return 0;
}

/**
 * ckpt_read_rec - read the next record, which must be of a given type
 * @ctx: the restart.
 * @type: the expected type.
 * @payload: where to put the fixed part.
 * @size: its size.
 * @tail_len: if not NULL, set to the size of the variable part that the
 *	caller must read next; if NULL, the record may have none.
 *
 * Return: 0, -EINVAL for an unexpected or malformed record, or an error
 * from reading.
 */
int ckpt_read_rec(struct ckpt_ctx *ctx, u32 type, void *payload, size_t size,
		  u32 *tail_len)
{
	struct ckpt_rec rec;
	u32 tail;
	int err;

	err = ckpt_read(ctx, &rec, sizeof(rec));
	if (err)
		return err;
	if (ckpt_check_rec(rec.type, rec.len, type, size, &tail) ||
	    (!tail_len && tail))
		return ckpt_err(ctx, -EINVAL,
				"image offset %llu: expected a %s record of %zu bytes, found type %u (%s) of %u bytes",
				ctx->len - sizeof(rec), ckpt_rec_name(type),
				sizeof(rec) + size, rec.type,
				ckpt_rec_name(rec.type), rec.len);
	err = ckpt_read(ctx, payload, size);
	if (err)
		return err;
	if (tail_len)
		*tail_len = tail;
	return 0;
}

/**
 * ckpt_read_rec_type - read the header of the next record
 * @ctx: the restart.
 * @rec: set to the header.
 *
 * For places where several record types may come next; the caller then
 * reads the rest with ckpt_read_rec_body().
 *
 * Return: 0 or a negative errno.
 */
int ckpt_read_rec_type(struct ckpt_ctx *ctx, struct ckpt_rec *rec)
{
	return ckpt_read(ctx, rec, sizeof(*rec));
}

/**
 * ckpt_read_rec_body - read the rest of a record whose header was read
 * @ctx: the restart.
 * @rec: the header read by ckpt_read_rec_type().
 * @payload: where to put the fixed part.
 * @size: its size.
 * @tail_len: set to the size of the variable part, or NULL if none allowed.
 *
 * Return: 0, -EINVAL for a malformed record, or an error from reading.
 */
int ckpt_read_rec_body(struct ckpt_ctx *ctx, const struct ckpt_rec *rec,
		       void *payload, size_t size, u32 *tail_len)
{
	u32 tail;
	int err;

	if (ckpt_check_rec(rec->type, rec->len, rec->type, size, &tail) ||
	    (!tail_len && tail))
		return ckpt_err(ctx, -EINVAL,
				"image offset %llu: malformed %s record of %u bytes",
				ctx->len - sizeof(*rec),
				ckpt_rec_name(rec->type), rec->len);
	err = ckpt_read(ctx, payload, size);
	if (!err && tail_len)
		*tail_len = tail;
	return err;
}

/**
 * ckpt_read_tail - read the variable part of a record
 * @ctx: the restart.
 * @buf: where to put it.
 * @len: its length.
 *
 * Return: 0 or a negative errno.
 */
int ckpt_read_tail(struct ckpt_ctx *ctx, void *buf, u32 len)
{
	return ckpt_read(ctx, buf, len);
}

/**
 * ckpt_check_path - validate a path of the image
 * @path: the path, not NUL-terminated.
 * @len: its length.
 *
 * Return: 0 if it is absolute, shorter than CKPT_PATH_MAX and has no NUL;
 * -EINVAL otherwise.
 */
int ckpt_check_path(const char *path, u32 len)
{
	if (!len || len >= CKPT_PATH_MAX || path[0] != '/')
		return -EINVAL;
	if (memchr(path, '\0', len))
		return -EINVAL;
	return 0;
}

/**
 * ckpt_read_string - read a path of the image into a new string
 * @ctx: the restart.
 * @len: its length in the image.
 * @out: set to a kmalloc()ed NUL-terminated copy.
 *
 * Return: 0, -EINVAL if it is not a valid path, or a negative errno.
 */
int ckpt_read_string(struct ckpt_ctx *ctx, u32 len, char **out)
{
	char *s;
	int err;

	if (!len || len >= CKPT_PATH_MAX)
		return ckpt_err(ctx, -EINVAL,
				"image offset %llu: path of %u bytes",
				ctx->len, len);
	s = kmalloc(len + 1, GFP_KERNEL);
	if (!s)
		return -ENOMEM;
	err = ckpt_read(ctx, s, len);
	if (err)
		goto fail;
	s[len] = '\0';
	if (ckpt_check_path(s, len)) {
		err = ckpt_err(ctx, -EINVAL,
			       "image offset %llu: not an absolute path",
			       ctx->len - len);
		goto fail;
	}
	*out = s;
	return 0;
fail:
	kfree(s);
	return err;
}

/**
 * ckpt_read_pages - read page contents from the image into pages
 * @ctx: the restart.
 * @pages: the pages.
 * @nr: how many, at most CKPT_PAGES_MAX.
 *
 * Return: 0 or a negative errno.
 */
int ckpt_read_pages(struct ckpt_ctx *ctx, struct page **pages,
		    unsigned int nr)
{
	int err;

	err = ckpt_io_pages(ctx, pages, nr, false);
	if (err == -EBADMSG)
		ckpt_log(ctx, "image truncated in page data after %llu bytes",
			 ctx->len);
	if (!err)
		ckpt_csum_pages(ctx, pages, nr);
	return err;
}

/**
 * ckpt_read_trailer - read the trailer and verify the checksum
 * @ctx: the restart, having read every record before the trailer.
 *
 * Return: 0 if the image is whole and intact, -EBADMSG if not, or another
 * negative errno.
 */
int ckpt_read_trailer(struct ckpt_ctx *ctx)
{
	struct ckpt_trailer trailer;
	struct ckpt_rec rec;
	int err;

	/* The trailer is the one record outside the checksum. */
	err = ckpt_read_raw(ctx, &rec, sizeof(rec));
	if (err)
		return err;
	if (rec.type != CKPT_REC_TRAILER || rec.len != sizeof(rec) +
	    sizeof(trailer))
		return ckpt_err(ctx, -EINVAL,
				"image offset %llu: expected the trailer, found type %u (%s) of %u bytes",
				ctx->len, rec.type, ckpt_rec_name(rec.type),
				rec.len);
	err = ckpt_read_raw(ctx, &trailer, sizeof(trailer));
	if (err)
		return err;
	if (trailer.image_len != ctx->len)
		return ckpt_err(ctx, -EBADMSG,
				"image length %llu does not match the trailer's %llu",
				ctx->len, trailer.image_len);
	if (trailer.csum != xxh64_digest(&ctx->csum))
		return ckpt_err(ctx, -EBADMSG,
				"image checksum mismatch: the image is corrupt");
	return 0;
}

/**
 * ckpt_check_hdr - validate the image header
 * @h: the header.
 *
 * Return: 0; -ENOEXEC if it is not an image, or one of a format version,
 * architecture or page size this kernel cannot restart; -EINVAL if a
 * reserved field is set.
 */
int ckpt_check_hdr(const struct ckpt_hdr *h)
{
	if (h->magic != CKPT_IMAGE_MAGIC)
		return -ENOEXEC;
	if (h->version != CKPT_FORMAT_VERSION)
		return -ENOEXEC;
	if (h->arch != CKPT_ARCH_X86_64 || h->page_size != PAGE_SIZE)
		return -ENOEXEC;
	if (h->flags || h->reserved)
		return -EINVAL;
	if (strnlen(h->release, sizeof(h->release)) == sizeof(h->release))
		return -EINVAL;
	return 0;
}

/**
 * ckpt_check_vma - validate a VMA record
 * @v: the record.
 *
 * Return: 0 or -EINVAL.
 */
int ckpt_check_vma(const struct ckpt_vma *v)
{
	u64 npages;

	if (v->start >= v->end || !PAGE_ALIGNED(v->start) ||
	    !PAGE_ALIGNED(v->end) || v->end > TASK_SIZE_MAX)
		return -EINVAL;
	/* mlock()ed memory is refused at checkpoint: never in an image. */
	if (v->flags & ~CKPT_VMA_FLAGS || v->flags & CKPT_VMA_LOCKED ||
	    (v->shmem && v->kind != CKPT_VMA_SHMEM &&
	     v->kind != CKPT_VMA_SYSVSHM))
		return -EINVAL;
	if (v->flags & CKPT_VMA_MAYWRITE && v->kind != CKPT_VMA_FILE_SHARED)
		return -EINVAL;
	npages = (v->end - v->start) >> PAGE_SHIFT;
	if (v->nr_pages > npages)
		return -EINVAL;
	switch (v->kind) {
	case CKPT_VMA_FILE:
		if (!v->path_len || v->path_len >= CKPT_PATH_MAX)
			return -EINVAL;
		/* The file offset of the end must fit in a loff_t. */
		if (v->pgoff > (LLONG_MAX >> PAGE_SHIFT) - npages)
			return -EINVAL;
		if (v->size > LLONG_MAX)
			return -EINVAL;
		break;
	case CKPT_VMA_FILE_SHARED:
		if (!v->path_len || v->path_len >= CKPT_PATH_MAX ||
		    v->nr_pages || v->size > LLONG_MAX ||
		    v->pgoff > (LLONG_MAX >> PAGE_SHIFT) - npages)
			return -EINVAL;
		break;
	case CKPT_VMA_SHMEM:
		if (v->path_len || v->nr_pages || v->ino || v->size ||
		    v->mtime_ns || v->shmem < 0 ||
		    v->pgoff > (LLONG_MAX >> PAGE_SHIFT) - npages)
			return -EINVAL;
		break;
	case CKPT_VMA_ANON:
	case CKPT_VMA_VDSO:
	case CKPT_VMA_VVAR:
		if (v->path_len || v->pgoff || v->ino || v->size ||
		    v->mtime_ns)
			return -EINVAL;
		if (v->kind != CKPT_VMA_ANON && v->nr_pages)
			return -EINVAL;
		break;
	case CKPT_VMA_SYSVSHM:
		/* A whole segment attached with shmat(): readable. */
		if (v->shmem < 0 || v->path_len || v->pgoff || v->ino ||
		    v->size || v->mtime_ns || v->nr_pages ||
		    !(v->flags & CKPT_VMA_READ) ||
		    v->flags & CKPT_VMA_GROWSDOWN)
			return -EINVAL;
		break;
	default:
		return -EINVAL;
	}
	return 0;
}

/**
 * ckpt_check_pages - validate a PAGES record against its mapping
 * @p: the record.
 * @v: the mapping it belongs to, already validated.
 * @left: pages of @v not yet read, updated.
 *
 * Return: 0 or -EINVAL.
 */
int ckpt_check_pages(const struct ckpt_pages *p, const struct ckpt_vma *v,
		     u64 *left)
{
	u64 len;

	if (!p->nr_pages || p->nr_pages > CKPT_PAGES_MAX || p->pad)
		return -EINVAL;
	if (p->nr_pages > *left)
		return -EINVAL;
	len = (u64)p->nr_pages << PAGE_SHIFT;
	if (!PAGE_ALIGNED(p->addr) || p->addr < v->start ||
	    p->addr > v->end || v->end - p->addr < len)
		return -EINVAL;
	*left -= p->nr_pages;
	return 0;
}

/**
 * ckpt_chrdev_allowed - is a character device one a container may hold?
 * @rdev: its device number, as the image stores it (major << 20 | minor).
 *
 * /dev/null, zero, full, random and urandom, and /dev/console: opened
 * again by path at restart, they hold no state of the container's.
 *
 * Return: true for those.
 */
bool ckpt_chrdev_allowed(u32 rdev)
{
	switch (rdev) {
	case (1 << 20) | 3:	/* null */
	case (1 << 20) | 5:	/* zero */
	case (1 << 20) | 7:	/* full */
	case (1 << 20) | 8:	/* random */
	case (1 << 20) | 9:	/* urandom */
	case (5 << 20) | 1:	/* console */
		return true;
	}
	return false;
}

#define CKPT_FILE_OFLAGS (O_ACCMODE | O_APPEND | O_NONBLOCK | O_NOATIME | \
			  O_DIRECT | O_DSYNC | __O_SYNC | O_LARGEFILE)

/**
 * ckpt_check_file - validate a FILE record
 * @f: the record.
 *
 * Return: 0 or -EINVAL.
 */
int ckpt_check_file(const struct ckpt_file *f)
{
	u32 acc = f->flags & O_ACCMODE;
	bool by_path = f->kind == CKPT_FILE_REG || f->kind == CKPT_FILE_CHR ||
		       f->kind == CKPT_FILE_DIR || f->kind == CKPT_FILE_FIFO;

	if (!f->id || f->pos < 0 || f->flags & ~CKPT_FILE_OFLAGS || acc == 3)
		return -EINVAL;
	if ((f->kind != CKPT_FILE_TTY && by_path != !!f->path_len) ||
	    f->path_len >= CKPT_PATH_MAX)
		return -EINVAL;
	switch (f->kind) {
	case CKPT_FILE_DIR:
		if (acc != O_RDONLY)
			return -EINVAL;
		fallthrough;
	case CKPT_FILE_REG:
		if (f->rdev || f->obj || f->size > LLONG_MAX)
			return -EINVAL;
		break;
	case CKPT_FILE_CHR:
		if (!ckpt_chrdev_allowed(f->rdev) || f->pos || f->ino ||
		    f->size || f->mtime_ns || f->obj)
			return -EINVAL;
		break;
	case CKPT_FILE_PIPE:
		if (!f->obj || acc == O_RDWR || f->pos || f->ino || f->size ||
		    f->mtime_ns || f->rdev)
			return -EINVAL;
		break;
	case CKPT_FILE_FIFO:
		if (!f->obj || f->pos || f->rdev || f->size > LLONG_MAX)
			return -EINVAL;
		break;
	case CKPT_FILE_SHMEM:
		if (f->obj >= CKPT_SHMEM_MAX || f->ino || f->size ||
		    f->mtime_ns || f->rdev)
			return -EINVAL;
		break;
	case CKPT_FILE_UNLINKED:
		if (!f->obj || f->ino || f->size || f->mtime_ns || f->rdev)
			return -EINVAL;
		break;
	case CKPT_FILE_UNIX:
		if (!f->obj || acc != O_RDWR || f->pos || f->ino || f->size ||
		    f->mtime_ns || f->rdev)
			return -EINVAL;
		break;
	case CKPT_FILE_TTY: {
		/* The master has its pty's ptmx path; the others their own. */
		bool master = f->rdev == CKPT_TTY_RDEV_PTMX;

		if (!f->obj || f->pos || f->ino || f->size || f->mtime_ns ||
		    !ckpt_tty_rdev_ok(f->rdev) || master == !!f->path_len)
			return -EINVAL;
		break;
	}
	case CKPT_FILE_EVENTFD:
	case CKPT_FILE_SIGNALFD:
	case CKPT_FILE_TIMERFD:
	case CKPT_FILE_EPOLL:
		/* Anonymous: the record after FILE says what it is. */
		if (acc != O_RDWR || f->pos || f->ino || f->size ||
		    f->mtime_ns || f->rdev || f->obj)
			return -EINVAL;
		break;
	case CKPT_FILE_INOTIFY:
		if (acc != O_RDONLY || f->pos || f->ino || f->size ||
		    f->mtime_ns || f->rdev || f->obj)
			return -EINVAL;
		break;
	default:
		return -EINVAL;
	}
	return 0;
}

/**
 * ckpt_check_pipe_rec - validate a PIPE record
 * @p: the record.
 * @page_size: the page size.
 *
 * Return: 0 or -EINVAL.
 */
int ckpt_check_pipe_rec(const struct ckpt_pipe *p, u32 page_size)
{
	if (!p->id || p->flags & ~CKPT_PIPE_FIFO || p->size < page_size ||
	    p->size > CKPT_PIPE_MAX ||
	    !is_power_of_2(p->size) || p->nr_bufs > p->size / page_size)
		return -EINVAL;
	return 0;
}

/**
 * ckpt_check_unlinked_rec - validate an UNLINKED record
 * @u: the record.
 * @tail_len: bytes after it: the path of its directory.
 * @page_size: the page size.
 *
 * Return: 0, -EFBIG for more data than CKPT_UNLINKED_DATA_MAX, or -EINVAL.
 */
int ckpt_check_unlinked_rec(const struct ckpt_unlinked *u, u32 tail_len,
			    u32 page_size)
{
	if (!u->id || u->flags & ~CKPT_UNLINKED_FLAGS ||
	    (u->mode & S_IFMT) != S_IFREG || u->mode & ~(S_IFMT | 07777) ||
	    !u->path_len || u->path_len >= CKPT_PATH_MAX ||
	    tail_len != u->path_len || u->size > MAX_LFS_FILESIZE ||
	    u->nr_pages > DIV_ROUND_UP_ULL(u->size, page_size))
		return -EINVAL;
	if (u->nr_pages > CKPT_UNLINKED_DATA_MAX / page_size)
		return -EFBIG;
	return 0;
}

/**
 * ckpt_check_lock - validate a LOCK record
 * @l: the record.
 *
 * Return: 0 or -EINVAL.
 */
int ckpt_check_lock(const struct ckpt_lock *l)
{
	if (!l->file || (l->type != F_RDLCK && l->type != F_WRLCK))
		return -EINVAL;
	switch (l->kind) {
	case CKPT_LOCK_FLOCK:
		return l->start || l->end ? -EINVAL : 0;
	case CKPT_LOCK_OFD:
	case CKPT_LOCK_POSIX:
		return l->start < 0 || l->end < l->start ? -EINVAL : 0;
	}
	return -EINVAL;
}

/**
 * ckpt_check_pipe_buf - validate a PIPE_BUF record
 * @b: the record.
 * @tail_len: the length of its data.
 *
 * Return: 0 or -EINVAL.
 */
int ckpt_check_pipe_buf(const struct ckpt_pipe_buf *b, u32 tail_len)
{
	if (!b->len || b->len > PAGE_SIZE || b->len != tail_len ||
	    b->flags & ~CKPT_PIPE_BUF_PACKET)
		return -EINVAL;
	return 0;
}

/**
 * ckpt_check_unix_rec - validate a UNIX record
 * @u: the record.
 *
 * Checks the record alone; where it stands in a pair (@peer is @id - 1 or
 * @id + 1) is checked by the reader, which knows the records around it.
 *
 * Return: 0 or -EINVAL.
 */
int ckpt_check_unix_rec(const struct ckpt_unix *u)
{
	if (!u->id || u->id == U32_MAX || u->flags & ~CKPT_UNIX_FLAGS ||
	    u->shutdown & ~(CKPT_UNIX_SHUT_RD | CKPT_UNIX_SHUT_WR))
		return -EINVAL;
	if (u->type != SOCK_STREAM && u->type != SOCK_DGRAM &&
	    u->type != SOCK_SEQPACKET)
		return -EINVAL;
	/* Connected one way: in a group, to another datagram socket. */
	if (u->flags & CKPT_UNIX_ONEWAY) {
		if (u->type != SOCK_DGRAM || !u->peer || u->peer == u->id ||
		    u->peer == U32_MAX || u->listener ||
		    u->flags & (CKPT_UNIX_CLOSED | CKPT_UNIX_LISTEN |
				CKPT_UNIX_PENDING))
			return -EINVAL;
	} else if (u->peer && u->peer != u->id - 1 && u->peer != u->id + 1) {
		return -EINVAL;
	}
	/*
	 * Only the second of a pair, or a socket of a group (no peer), can
	 * have lost its open file; nothing is queued on it.
	 */
	if (u->flags & CKPT_UNIX_CLOSED &&
	    ((u->peer && u->peer != u->id - 1) || u->nr_skbs))
		return -EINVAL;
	/* A pair's closed end is not bound again: it has no name. */
	if (u->flags & CKPT_UNIX_CLOSED && u->peer &&
	    (u->name_len || u->flags & CKPT_UNIX_AUTOBIND))
		return -EINVAL;
	/*
	 * Messages are sent again by the peer, or in a group by their
	 * senders (the reader checks which applies).
	 */
	if (u->nr_skbs > CKPT_UNIX_SKBS_MAX)
		return -EINVAL;
	if (u->err && u->err != ECONNRESET)
		return -EINVAL;
	if (u->sndbuf < 0 || u->rcvbuf < 0 || u->peek_off < -1 ||
	    u->rcvlowat < 1)
		return -EINVAL;
	if (u->pad || u->name_len > UNIX_PATH_MAX || u->mode & ~07777 ||
	    (u->name_len && u->flags & CKPT_UNIX_AUTOBIND))
		return -EINVAL;
	/*
	 * A name, its inode and mode go together for a path (checked with
	 * the name's first byte by the reader).
	 */
	if (!u->name_len && (u->ino || u->mode))
		return -EINVAL;
	if (u->flags & CKPT_UNIX_LISTEN) {
		/* Named, alone, with its connections after it. */
		if (u->type == SOCK_DGRAM || u->peer || u->nr_skbs || u->err ||
		    u->listener || u->flags & (CKPT_UNIX_CLOSED | CKPT_UNIX_PENDING) ||
		    (!u->name_len && !(u->flags & CKPT_UNIX_AUTOBIND)) ||
		    u->backlog < 0 || u->nr_conns > CKPT_UNIX_CONNS_MAX)
			return -EINVAL;
	} else if (u->backlog || u->nr_conns) {
		return -EINVAL;
	}
	/* The server end of a connection: the first of its pair. */
	if (u->listener && (u->listener >= u->id || u->peer != u->id + 1 ||
			    u->name_len || u->flags & CKPT_UNIX_AUTOBIND ||
			    u->type == SOCK_DGRAM))
		return -EINVAL;
	if (u->flags & CKPT_UNIX_PENDING && !u->listener)
		return -EINVAL;
	return 0;
}

/**
 * ckpt_check_unix_skb - validate a UNIX_SKB record
 * @b: the record.
 * @tail_len: the length of its data.
 * @type: the type of the socket it is queued on.
 *
 * Return: 0 or -EINVAL.
 */
int ckpt_check_unix_skb(const struct ckpt_unix_skb *b, u32 tail_len, u32 type)
{
	/* @sender: by the reader, which knows the group. */
	if (b->len != tail_len || b->len > CKPT_UNIX_MSG_MAX ||
	    b->flags & ~CKPT_UNIX_SKB_CREDS)
		return -EINVAL;
	if (type == SOCK_STREAM && !b->len)
		return -EINVAL;
	if (b->flags & CKPT_UNIX_SKB_CREDS ? b->pid <= 0 :
	    b->pid || b->uid || b->gid)
		return -EINVAL;
	return 0;
}

/**
 * ckpt_check_cpu - validate the fields of a CPU record that are ours
 * @c: the record.
 *
 * The registers themselves are checked when they are set, by the same code
 * that checks PTRACE_SETREGS.
 *
 * Return: 0 or -EINVAL.
 */
int ckpt_check_cpu(const struct ckpt_cpu *c)
{
	if (c->pad)
		return -EINVAL;
	switch (c->restart) {
	case CKPT_SYSCALL_NONE:
		if (c->clockid || c->remaining_ns || c->rmtp || c->rmtp_type)
			return -EINVAL;
		break;
	case CKPT_SYSCALL_NANOSLEEP:
		if (c->clockid != CLOCK_REALTIME &&
		    c->clockid != CLOCK_MONOTONIC &&
		    c->clockid != CLOCK_BOOTTIME && c->clockid != CLOCK_TAI)
			return -EINVAL;
		if (c->remaining_ns < 0 || c->rmtp_type > 1 ||
		    c->rmtp >= TASK_SIZE_MAX)
			return -EINVAL;
		break;
	default:
		return -EINVAL;
	}
	return 0;
}

/**
 * ckpt_check_mount_path - validate a mount point or bind source
 * @path: the path, NUL-terminated.
 * @len: its length.
 *
 * Return: 0 if it is an absolute path shorter than CKPT_PATH_MAX, without
 * NUL, empty, "." or ".." components or a trailing '/' (but "/" itself),
 * as d_absolute_path() makes them; -EINVAL otherwise.
 */
int ckpt_check_mount_path(const char *path, u32 len)
{
	const char *c, *end = path + len;

	if (ckpt_check_path(path, len))
		return -EINVAL;
	if (len == 1)
		return 0;
	for (c = path; c < end; ) {
		const char *next = memchr(c + 1, '/', end - c - 1) ?: end;
		size_t n = next - c - 1;	/* the component after c */

		if (!n || (n == 1 && c[1] == '.') ||
		    (n == 2 && c[1] == '.' && c[2] == '.') || n > NAME_MAX)
			return -EINVAL;
		c = next;
	}
	return 0;
}

/**
 * ckpt_check_file_name - validate a name of a tmpfs entry
 * @name: the name, NUL-terminated.
 * @len: its length.
 *
 * Return: 0 if it is 1 to NAME_MAX bytes without '/' or NUL and not "." or
 * ".."; -EINVAL otherwise.
 */
int ckpt_check_file_name(const char *name, u32 len)
{
	if (!len || len > NAME_MAX || memchr(name, '\0', len) ||
	    memchr(name, '/', len))
		return -EINVAL;
	if ((len == 1 && name[0] == '.') ||
	    (len == 2 && name[0] == '.' && name[1] == '.'))
		return -EINVAL;
	return 0;
}

/**
 * ckpt_check_mount - validate a MOUNT record's fixed part
 * @m: the record.
 * @tail_len: the length of its variable part.
 *
 * Return: 0 or -EINVAL.
 */
int ckpt_check_mount(const struct ckpt_mount *m, u32 tail_len)
{
	bool tmpfs = m->kind == CKPT_MOUNT_TMPFS;
	u32 hidepid = m->opts & CKPT_MOUNT_PROC_HIDEPID;

	if (!m->id || m->id > CKPT_MOUNTS_MAX || m->parent >= m->id ||
	    (m->id == 1 ? m->parent : !m->parent) ||
	    (m->id == 1 && m->kind != CKPT_MOUNT_HOST))
		return -EINVAL;
	if (m->flags & ~CKPT_MOUNT_FLAGS ||
	    (m->flags & CKPT_MOUNT_NOATIME && m->flags & CKPT_MOUNT_RELATIME))
		return -EINVAL;
	if (!m->path_len || m->path_len >= CKPT_PATH_MAX ||
	    m->source_len >= CKPT_PATH_MAX || !m->fstype_len ||
	    m->fstype_len >= CKPT_FSTYPE_MAX ||
	    (u64)m->path_len + m->source_len + m->fstype_len != tail_len)
		return -EINVAL;
	if (m->kind == CKPT_MOUNT_BIND ? !m->source_len : m->source_len)
		return -EINVAL;
	/* Fields of the other kinds are zero. */
	if ((m->kind != CKPT_MOUNT_PROC && m->opts) ||
	    (!tmpfs && (m->uid || m->mode || m->nr_entries || m->size ||
			m->nr_inodes)) ||
	    (!tmpfs && m->kind != CKPT_MOUNT_PROC && m->gid))
		return -EINVAL;
	switch (m->kind) {
	case CKPT_MOUNT_HOST:
	case CKPT_MOUNT_BIND:
		if (m->flags & CKPT_MOUNT_SB_RDONLY)
			return -EINVAL;
		break;
	case CKPT_MOUNT_PROC:
		if (m->opts & ~(CKPT_MOUNT_PROC_HIDEPID |
				CKPT_MOUNT_PROC_SUBSET) ||
		    (hidepid != 0 && hidepid != 1 && hidepid != 2 &&
		     hidepid != 4))
			return -EINVAL;
		break;
	case CKPT_MOUNT_TMPFS:
		if (m->mode & ~07777 || !m->nr_entries ||
		    m->nr_entries > CKPT_TMPFS_ENTRIES_MAX ||
		    m->size > (u64)LONG_MAX || m->nr_inodes > (u64)LONG_MAX)
			return -EINVAL;
		break;
	default:
		return -EINVAL;
	}
	return 0;
}

/**
 * ckpt_check_mount_strings - validate the strings of a MOUNT record
 * @m: the record, already validated.
 * @path: its mount point, NUL-terminated.
 * @source: its source, or NULL.
 * @fstype: its file system type.
 *
 * Return: 0 or -EINVAL.
 */
int ckpt_check_mount_strings(const struct ckpt_mount *m, const char *path,
			     const char *source, const char *fstype)
{
	size_t n = strlen(fstype);

	if (ckpt_check_mount_path(path, m->path_len) ||
	    (source && ckpt_check_mount_path(source, m->source_len)))
		return -EINVAL;
	/* "/" is the root's, and only its: lookups start below a mount on it. */
	if (m->id == 1 ? m->path_len != 1 : m->path_len == 1)
		return -EINVAL;
	if (n != m->fstype_len ||
	    strspn(fstype, "abcdefghijklmnopqrstuvwxyz0123456789._-") != n)
		return -EINVAL;
	if ((m->kind == CKPT_MOUNT_PROC && strcmp(fstype, "proc")) ||
	    (m->kind == CKPT_MOUNT_TMPFS && strcmp(fstype, "tmpfs")))
		return -EINVAL;
	return 0;
}

/**
 * ckpt_check_tmpfs_entry - validate a TMPFS_ENTRY record alone
 * @e: the record.
 * @index: the index it must have.
 * @tail_len: the length of its variable part.
 *
 * Whether its directory and the file it links to are what they must be is
 * checked by the reader, which knows the entries before it.
 *
 * Return: 0 or -EINVAL.
 */
int ckpt_check_tmpfs_entry(const struct ckpt_tmpfs_entry *e, u32 index,
			   u32 tail_len)
{
	u32 type = e->mode & S_IFMT;

	if (e->index != index || e->pad || e->mode & ~(S_IFMT | 07777))
		return -EINVAL;
	if (type != S_IFDIR && type != S_IFREG && type != S_IFLNK)
		return -EINVAL;
	if (index == 1) {
		if (e->parent || e->name_len || e->link || type != S_IFDIR)
			return -EINVAL;
	} else if (!e->parent || e->parent >= index || !e->name_len ||
		   e->name_len > NAME_MAX || e->link >= index) {
		return -EINVAL;
	}
	if (e->link && (type != S_IFREG || e->size))
		return -EINVAL;
	switch (type) {
	case S_IFDIR:
		if (e->size)
			return -EINVAL;
		break;
	case S_IFLNK:
		if (!e->size || e->size >= CKPT_PATH_MAX)
			return -EINVAL;
		break;
	default:
		if (e->size > CKPT_TMPFS_DATA_MAX)
			return -EINVAL;
	}
	if ((u64)e->name_len + e->size != tail_len)
		return -EINVAL;
	return 0;
}

#if IS_ENABLED(CONFIG_CKPT_KUNIT_TEST)
#include "tests/image-kunit.h"
#endif
