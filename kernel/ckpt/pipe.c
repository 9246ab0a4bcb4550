// SPDX-License-Identifier: GPL-2.0-only
/*
 * ckpt: pipes.
 *
 * A pipe is saved once, before the first open file of it: its capacity and
 * the data not yet read, buffer by buffer (a buffer of a packet pipe,
 * O_DIRECT, is one packet).  Each end is one open file, which the FILE
 * records of the ends name; descriptors and processes share them as they
 * share any open file.  Restart makes a pipe with both ends, sets its
 * capacity with the checks of F_SETPIPE_SZ, writes the data back in the
 * same buffers, and hands each end to its FILE record.  An end no process
 * had open is closed when the restart ends, so readers see end of file and
 * writers EPIPE as before.
 *
 * A named pipe (FIFO) is a pipe too, whose open files are opened by path:
 * its PIPE record is flagged CKPT_PIPE_FIFO, and restart keeps its data
 * until its first FILE record opens the FIFO, first for reading and
 * writing without blocking (a holder, closed when the restart ends), checks
 * that no one else has it open, sizes and fills it, and then opens each
 * FILE as it was, which never waits for a partner since the holder is one.
 *
 * Refused: notification pipes, an end of an anonymous pipe open twice (a
 * pipe reopened through /proc/PID/fd), and (unless CKPT_CHECKPOINT_SUBTREE)
 * an end open outside the container or in flight in a unix socket.
 */

#include <linux/file.h>
#include <linux/fs.h>
#include <linux/highmem.h>
#include <linux/pipe_fs_i.h>
#include <linux/slab.h>

#include "internal.h"

/**
 * struct ckpt_rpipe - restart: a pipe made from a PIPE record
 * @end: its read and write ends, each with a reference (a FIFO: the holder,
 *	open for both, in both).
 * @taken: whether a FILE record took each end (anonymous pipes).
 * @rec: the PIPE record.
 * @pages: a FIFO not opened yet: its data, one page per buffer.
 * @bufs: the PIPE_BUF records of @pages.
 */
struct ckpt_rpipe {
	struct file *end[2];
	bool taken[2];
	struct ckpt_pipe rec;
	struct page **pages;
	struct ckpt_pipe_buf *bufs;
};

static int ckpt_pipe_end_index(struct file *file)
{
	switch (file->f_mode & (FMODE_READ | FMODE_WRITE)) {
	case FMODE_READ:
		return 0;
	case FMODE_WRITE:
		return 1;
	}
	return -1;
}

/**
 * ckpt_check_pipe - check an open file of a pipe, and count it
 * @ctx: the checkpoint.
 * @t: a task that has it open, for messages.
 * @fd: its descriptor there.
 * @fobj: the open file's new entry.
 *
 * Return: 0, -EOPNOTSUPP with a reason, or -ENOMEM.
 */
int ckpt_check_pipe(struct ckpt_ctx *ctx, struct task_struct *t,
		    unsigned int fd, struct ckpt_obj *fobj)
{
	struct pipe_inode_info *pipe = get_pipe_info(fobj->file, false);
	int end = ckpt_pipe_end_index(fobj->file);
	bool fifo = fobj->kind == CKPT_FILE_FIFO;
	struct ckpt_obj *pobj;

	if (end < 0 && !fifo)
		return ckpt_task_err(ctx, t, -EOPNOTSUPP,
				     "fd %u: a pipe open for reading and writing is not supported",
				     fd);
#ifdef CONFIG_WATCH_QUEUE
	if (pipe->watch_queue)
		return ckpt_task_err(ctx, t, -EOPNOTSUPP,
				     "fd %u: a notification pipe (O_NOTIFICATION_PIPE) is not supported",
				     fd);
#endif
	if ((u64)pipe->max_usage * PAGE_SIZE > CKPT_PIPE_MAX)
		return ckpt_task_err(ctx, t, -EOPNOTSUPP,
				     "fd %u: a pipe of more than %u bytes (F_SETPIPE_SZ) is not supported",
				     fd, CKPT_PIPE_MAX);
	pobj = ckpt_obj_find(ctx, CKPT_OBJT_PIPE, pipe);
	if (!pobj) {
		pobj = ckpt_obj_add(ctx, CKPT_OBJT_PIPE, pipe, NULL);
		if (!pobj)
			return -ENOMEM;
		pobj->fd = fd;
		pobj->pid = task_pid_nr_ns(t, ctx->pidns);
		pobj->kind = fifo;
	}
	fobj->pipe = pobj;
	if (fifo) {
		/* Any number of opens, each counted as the pipe counts them. */
		pobj->ends[0] += !!(fobj->file->f_mode & FMODE_READ);
		pobj->ends[1] += !!(fobj->file->f_mode & FMODE_WRITE);
		return 0;
	}
	if (pobj->ends[end]++)
		return ckpt_task_err(ctx, t, -EOPNOTSUPP,
				     "fd %u: a second open file of the %s end of pipe:[%lu] (reopened through /proc?) is not supported yet",
				     fd, end ? "write" : "read",
				     file_inode(fobj->file)->i_ino);
	return 0;
}

/**
 * ckpt_check_pipes - check that the container holds every end it found
 * @ctx: the checkpoint, with every open file found.
 *
 * An end open outside the container, or in flight in a unix socket, would
 * be lost: the pipe would come back with fewer readers or writers.
 *
 * Return: 0, or -EBUSY with a reason.
 */
int ckpt_check_pipes(struct ckpt_ctx *ctx)
{
	struct ckpt_obj *pobj;

	if (ctx->flags & CKPT_CHECKPOINT_SUBTREE || !ctx->objs.buckets)
		return 0;
	list_for_each_entry(pobj, &ctx->objs.all, list) {
		struct pipe_inode_info *pipe = (void *)pobj->ptr;
		unsigned int readers, writers;

		if (pobj->type != CKPT_OBJT_PIPE)
			continue;
		pipe_lock(pipe);
		readers = pipe->readers;
		writers = pipe->writers;
		pipe_unlock(pipe);
		if (readers > pobj->ends[0] || writers > pobj->ends[1])
			return ckpt_err(ctx, -EBUSY,
					"task %d: fd %u: an end of its pipe is open outside the container or in flight in a unix socket (leak; CKPT_CHECKPOINT_SUBTREE saves it anyway)",
					pobj->pid, pobj->fd);
	}
	return 0;
}

/* The data of @pipe, copied out buffer by buffer under its lock. */
struct ckpt_pipe_copy {
	u32 nr;
	struct page **pages;
	struct ckpt_pipe_buf *bufs;
};

static void ckpt_pipe_copy_free(struct ckpt_pipe_copy *c)
{
	u32 i;

	for (i = 0; i < c->nr; i++)
		__free_page(c->pages[i]);
	kvfree(c->pages);
	kvfree(c->bufs);
}

static int ckpt_pipe_copy(struct pipe_inode_info *pipe, struct ckpt_pipe_copy *c,
			  u32 *size)
{
	unsigned int head, tail, mask, n;
	int err = 0;

	pipe_lock(pipe);
	head = pipe->head;
	tail = pipe->tail;
	mask = pipe->ring_size - 1;
	n = pipe_occupancy(head, tail);
	*size = pipe->max_usage * PAGE_SIZE;
	c->nr = 0;
	c->pages = kvmalloc_array(n, sizeof(*c->pages), GFP_KERNEL);
	c->bufs = kvmalloc_array(n, sizeof(*c->bufs), GFP_KERNEL);
	if (n && (!c->pages || !c->bufs))
		err = -ENOMEM;
	for (; !err && tail != head; tail++) {
		struct pipe_buffer *buf = &pipe->bufs[tail & mask];
		struct page *page;

		if (!buf->len)
			continue;
		err = pipe_buf_confirm(pipe, buf);
		if (err)
			break;
		page = alloc_page(GFP_KERNEL);
		if (!page) {
			err = -ENOMEM;
			break;
		}
		memcpy_from_page(page_address(page), buf->page, buf->offset,
				 buf->len);
		c->pages[c->nr] = page;
		c->bufs[c->nr] = (struct ckpt_pipe_buf) {
			.len = buf->len,
			.flags = buf->flags & PIPE_BUF_FLAG_PACKET ?
				 CKPT_PIPE_BUF_PACKET : 0,
		};
		c->nr++;
	}
	pipe_unlock(pipe);
	return err;
}

/**
 * ckpt_write_pipe - write the PIPE record of a pipe and its data
 * @ctx: the checkpoint.
 * @pobj: the pipe's entry, not yet written.
 *
 * The data is copied out first: the image is not written under the pipe's
 * lock (the image itself may be a pipe).
 *
 * Return: 0 or a negative errno.
 */
int ckpt_write_pipe(struct ckpt_ctx *ctx, struct ckpt_obj *pobj)
{
	struct ckpt_pipe_copy c = { };
	struct ckpt_pipe rec = { };
	u32 i;
	int err;

	err = ckpt_pipe_copy((void *)pobj->ptr, &c, &rec.size);
	if (err) {
		ckpt_pipe_copy_free(&c);
		return ckpt_err(ctx, err,
				"task %d: fd %u: cannot read its pipe (error %d)",
				pobj->pid, pobj->fd, err);
	}
	rec.id = ckpt_obj_number(ctx, pobj);
	rec.nr_bufs = c.nr;
	rec.flags = pobj->kind ? CKPT_PIPE_FIFO : 0;
	err = ckpt_write_rec(ctx, CKPT_REC_PIPE, &rec, sizeof(rec));
	for (i = 0; !err && i < c.nr; i++)
		err = ckpt_write_rec_tail(ctx, CKPT_REC_PIPE_BUF, &c.bufs[i],
					  sizeof(c.bufs[i]),
					  page_address(c.pages[i]), c.bufs[i].len);
	ckpt_pipe_copy_free(&c);
	return err;
}

static void ckpt_rpipe_free_data(struct ckpt_rpipe *rp)
{
	u32 i;

	for (i = 0; rp->pages && i < rp->rec.nr_bufs; i++)
		if (rp->pages[i])
			__free_page(rp->pages[i]);
	kvfree(rp->pages);
	kvfree(rp->bufs);
	rp->pages = NULL;
	rp->bufs = NULL;
}

void ckpt_pipe_release(void *p)
{
	struct ckpt_rpipe *rp = p;

	if (rp->end[0])
		fput(rp->end[0]);
	if (rp->end[1])
		fput(rp->end[1]);
	ckpt_rpipe_free_data(rp);
	kfree(rp);
}

/* Reads the PIPE_BUF records of a pipe into one page each. */
static int ckpt_read_pipe_bufs(struct ckpt_ctx *ctx, struct ckpt_rpipe *rp)
{
	u32 i, tail, nr = rp->rec.nr_bufs;
	int err = 0;

	rp->pages = kvcalloc(nr, sizeof(*rp->pages), GFP_KERNEL);
	rp->bufs = kvcalloc(nr, sizeof(*rp->bufs), GFP_KERNEL);
	if (nr && (!rp->pages || !rp->bufs))
		return -ENOMEM;
	for (i = 0; !err && i < nr; i++) {
		struct ckpt_pipe_buf *b = &rp->bufs[i];

		err = ckpt_read_rec(ctx, CKPT_REC_PIPE_BUF, b, sizeof(*b), &tail);
		if (err)
			break;
		if (ckpt_check_pipe_buf(b, tail)) {
			err = ckpt_err(ctx, -EINVAL, "malformed PIPE_BUF record");
			break;
		}
		rp->pages[i] = alloc_page(GFP_KERNEL);
		if (!rp->pages[i]) {
			err = -ENOMEM;
			break;
		}
		err = ckpt_read_tail(ctx, page_address(rp->pages[i]), tail);
	}
	return err;
}

/*
 * Sizes the pipe with the checks of fcntl(F_SETPIPE_SZ) and writes the
 * saved buffers back through @w, in order, one write each.
 */
static int ckpt_fill_pipe(struct ckpt_ctx *ctx, struct ckpt_rpipe *rp,
			  struct file *w)
{
	const struct ckpt_pipe *rec = &rp->rec;
	unsigned int saved = w->f_flags;
	long size;
	u32 i;
	int err = 0;

	size = pipe_fcntl(w, F_GETPIPE_SZ, 0);
	if (size != rec->size) {
		size = pipe_fcntl(w, F_SETPIPE_SZ, rec->size);
		if (size < 0 || size != rec->size)
			return ckpt_err(ctx, size < 0 ? size : -EINVAL,
					"pipe %u: cannot make it %u bytes (fs.pipe-max-size, fs.pipe-user-pages-*, CAP_SYS_RESOURCE)",
					rec->id, rec->size);
	}
	for (i = 0; !err && i < rec->nr_bufs; i++) {
		const struct ckpt_pipe_buf *b = &rp->bufs[i];
		ssize_t n;

		/* A packet is one write to an O_DIRECT end; never blocks. */
		spin_lock(&w->f_lock);
		w->f_flags = (w->f_flags & ~O_DIRECT) | O_NONBLOCK |
			     (b->flags & CKPT_PIPE_BUF_PACKET ? O_DIRECT : 0);
		spin_unlock(&w->f_lock);
		n = kernel_write(w, page_address(rp->pages[i]), b->len, NULL);
		if (n != b->len)
			err = ckpt_err(ctx, n < 0 ? n : -EIO,
				       "pipe %u: cannot write its data back", rec->id);
	}
	spin_lock(&w->f_lock);
	w->f_flags = saved;
	spin_unlock(&w->f_lock);
	ckpt_rpipe_free_data(rp);
	return err;
}

/**
 * ckpt_restore_pipe - make the pipe of a PIPE record
 * @ctx: the restart.
 * @hdr: the record's header, already read.
 *
 * Return: 0 or a negative errno.
 */
int ckpt_restore_pipe(struct ckpt_ctx *ctx, const struct ckpt_rec *hdr)
{
	struct ckpt_rpipe *rp;
	int err;

	rp = kzalloc(sizeof(*rp), GFP_KERNEL);
	if (!rp)
		return -ENOMEM;
	err = ckpt_read_rec_body(ctx, hdr, &rp->rec, sizeof(rp->rec), NULL);
	if (!err && (ckpt_check_pipe_rec(&rp->rec, PAGE_SIZE) ||
		     rp->rec.id != ctx->robjs[CKPT_OBJT_PIPE].nr + 1))
		err = ckpt_err(ctx, -EINVAL, "malformed PIPE record (pipe %u)",
			       rp->rec.id);
	if (!err)
		err = ckpt_read_pipe_bufs(ctx, rp);
	/* A FIFO's pipe is made when the FIFO is opened. */
	if (!err && !(rp->rec.flags & CKPT_PIPE_FIFO)) {
		err = create_pipe_files(rp->end, 0);
		if (err)
			err = ckpt_err(ctx, err, "pipe %u: cannot make it",
				       rp->rec.id);
		else
			err = ckpt_fill_pipe(ctx, rp, rp->end[1]);
	}
	if (!err)
		err = ckpt_robj_add(ctx, CKPT_OBJT_PIPE, rp->rec.id, rp);
	if (err)
		ckpt_pipe_release(rp);
	return err;
}

/**
 * ckpt_pipe_end - the open file of a pipe's end, for its FILE record
 * @ctx: the restart.
 * @rec: a CKPT_FILE_PIPE record, valid.
 *
 * Return: the file, with a reference for the caller, or an ERR_PTR().
 */
struct file *ckpt_pipe_end(struct ckpt_ctx *ctx, const struct ckpt_file *rec)
{
	struct ckpt_rpipe *rp = ckpt_robj_get(ctx, CKPT_OBJT_PIPE, rec->obj);
	int end = (rec->flags & O_ACCMODE) == O_WRONLY;

	if (!rp || rp->rec.flags & CKPT_PIPE_FIFO)
		return ERR_PTR(ckpt_err(ctx, -EINVAL,
					"file %u: pipe %u does not exist", rec->id,
					rec->obj));
	if (rp->taken[end])
		return ERR_PTR(ckpt_err(ctx, -EINVAL,
					"file %u: the %s end of pipe %u is taken",
					rec->id, end ? "write" : "read", rec->obj));
	rp->taken[end] = true;
	return get_file(rp->end[end]);
}

/* The FIFO's holder: opened first, for both ends, and checked. */
static int ckpt_fifo_holder(struct ckpt_ctx *ctx, struct ckpt_rpipe *rp,
			    const struct ckpt_file *rec, const char *path)
{
	struct pipe_inode_info *pipe;
	struct file *h;
	bool alone;
	int err;

	h = file_open_root(&ctx->ns_root, path, O_RDWR | O_NONBLOCK, 0);
	if (IS_ERR(h))
		return ckpt_err(ctx, PTR_ERR(h), "file %u: cannot open FIFO %s (error %ld)",
				rec->id, path, PTR_ERR(h));
	pipe = get_pipe_info(h, false);
	if (!S_ISFIFO(file_inode(h)->i_mode) || !pipe) {
		fput(h);
		return ckpt_err(ctx, -ESTALE, "file %u: %s is no longer a FIFO",
				rec->id, path);
	}
	if (!(ctx->flags & CKPT_RESTART_FILES_CHANGED) &&
	    ckpt_file_changed(ctx, file_inode(h), rec->ino, rec->size, rec->mtime_ns)) {
		fput(h);
		return ckpt_err(ctx, -ESTALE,
				"file %u: FIFO %s changed since the checkpoint (inode, size or mtime); restart with CKPT_RESTART_FILES_CHANGED to accept it",
				rec->id, path);
	}
	pipe_lock(pipe);
	alone = pipe->readers == 1 && pipe->writers == 1 &&
		pipe_empty(pipe->head, pipe->tail);
	pipe_unlock(pipe);
	if (!alone) {
		fput(h);
		return ckpt_err(ctx, -EBUSY,
				"file %u: FIFO %s is open outside the container", rec->id,
				path);
	}
	err = ckpt_fill_pipe(ctx, rp, h);
	if (err) {
		fput(h);
		return err;
	}
	rp->end[0] = h;
	rp->end[1] = get_file(h);
	return 0;
}

/**
 * ckpt_open_fifo - open a named pipe again, for its FILE record
 * @ctx: the restart.
 * @rec: a CKPT_FILE_FIFO record, valid.
 * @path: its path.
 *
 * Return: the file, with a reference for the caller, or an ERR_PTR().
 */
struct file *ckpt_open_fifo(struct ckpt_ctx *ctx, const struct ckpt_file *rec,
			    const char *path)
{
	struct ckpt_rpipe *rp = ckpt_robj_get(ctx, CKPT_OBJT_PIPE, rec->obj);
	struct file *file;
	int err;

	if (!rp || !(rp->rec.flags & CKPT_PIPE_FIFO))
		return ERR_PTR(ckpt_err(ctx, -EINVAL,
					"file %u: FIFO pipe %u does not exist",
					rec->id, rec->obj));
	if (!rp->end[0]) {
		err = ckpt_fifo_holder(ctx, rp, rec, path);
		if (err)
			return ERR_PTR(err);
	}
	/* The holder reads and writes: this open never waits. */
	file = file_open_root(&ctx->ns_root, path, rec->flags | O_NONBLOCK, 0);
	if (IS_ERR(file))
		return ERR_PTR(ckpt_err(ctx, PTR_ERR(file),
					"file %u: cannot open FIFO %s (error %ld)",
					rec->id, path, PTR_ERR(file)));
	if (file_inode(file) != file_inode(rp->end[0])) {
		fput(file);
		return ERR_PTR(ckpt_err(ctx, -ESTALE,
					"file %u: %s is not the FIFO of pipe %u",
					rec->id, path, rec->obj));
	}
	return file;
}
