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
 * Refused: named pipes (FIFOs), notification pipes, an end open twice (a
 * pipe reopened through /proc/PID/fd), and (unless
 * CKPT_CHECKPOINT_SUBTREE) an end open outside the container or in flight
 * in a unix socket.
 */

#include <linux/file.h>
#include <linux/fs.h>
#include <linux/highmem.h>
#include <linux/pipe_fs_i.h>
#include <linux/slab.h>

#include "internal.h"

/**
 * struct ckpt_rpipe - restart: a pipe made from a PIPE record
 * @end: its read and write ends, each with a reference.
 * @taken: whether a FILE record took each end.
 */
struct ckpt_rpipe {
	struct file *end[2];
	bool taken[2];
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
	struct ckpt_obj *pobj;

	if (end < 0)
		return ckpt_task_err(ctx, t, -EOPNOTSUPP,
				     "fd %u: a pipe open for reading and writing is not supported",
				     fd);
#ifdef CONFIG_WATCH_QUEUE
	if (pipe->watch_queue)
		return ckpt_task_err(ctx, t, -EOPNOTSUPP,
				     "fd %u: a notification pipe (O_NOTIFICATION_PIPE) is not supported",
				     fd);
#endif
	pobj = ckpt_obj_find(ctx, CKPT_OBJT_PIPE, pipe);
	if (!pobj) {
		pobj = ckpt_obj_add(ctx, CKPT_OBJT_PIPE, pipe, NULL);
		if (!pobj)
			return -ENOMEM;
		pobj->fd = fd;
		pobj->pid = task_pid_nr_ns(t, ctx->pidns);
	}
	if (pobj->ends[end]++)
		return ckpt_task_err(ctx, t, -EOPNOTSUPP,
				     "fd %u: a second open file of the %s end of pipe:[%lu] (reopened through /proc?) is not supported yet",
				     fd, end ? "write" : "read",
				     file_inode(fobj->file)->i_ino);
	fobj->pipe = pobj;
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
	err = ckpt_write_rec(ctx, CKPT_REC_PIPE, &rec, sizeof(rec));
	for (i = 0; !err && i < c.nr; i++)
		err = ckpt_write_rec_tail(ctx, CKPT_REC_PIPE_BUF, &c.bufs[i],
					  sizeof(c.bufs[i]),
					  page_address(c.pages[i]), c.bufs[i].len);
	ckpt_pipe_copy_free(&c);
	return err;
}

void ckpt_pipe_release(void *p)
{
	struct ckpt_rpipe *rp = p;

	fput(rp->end[0]);
	fput(rp->end[1]);
	kfree(rp);
}

/* Writes the saved buffers back, in order, one write each. */
static int ckpt_fill_pipe(struct ckpt_ctx *ctx, struct ckpt_rpipe *rp,
			  const struct ckpt_pipe *rec)
{
	struct file *w = rp->end[1];
	u32 i, tail;
	void *data;
	int err = 0;

	data = kmalloc(PAGE_SIZE, GFP_KERNEL);
	if (!data)
		return -ENOMEM;
	for (i = 0; !err && i < rec->nr_bufs; i++) {
		struct ckpt_pipe_buf b;
		ssize_t n;

		err = ckpt_read_rec(ctx, CKPT_REC_PIPE_BUF, &b, sizeof(b), &tail);
		if (err)
			break;
		if (ckpt_check_pipe_buf(&b, tail)) {
			err = ckpt_err(ctx, -EINVAL, "malformed PIPE_BUF record");
			break;
		}
		err = ckpt_read_tail(ctx, data, tail);
		if (err)
			break;
		/* A packet is one write to an O_DIRECT end; never blocks. */
		spin_lock(&w->f_lock);
		w->f_flags = (w->f_flags & ~O_DIRECT) | O_NONBLOCK |
			     (b.flags & CKPT_PIPE_BUF_PACKET ? O_DIRECT : 0);
		spin_unlock(&w->f_lock);
		n = kernel_write(w, data, b.len, NULL);
		if (n != b.len)
			err = ckpt_err(ctx, n < 0 ? n : -EIO,
				       "pipe %u: cannot write its data back", rec->id);
	}
	kfree(data);
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
	struct ckpt_pipe rec;
	long size;
	int err;

	err = ckpt_read_rec_body(ctx, hdr, &rec, sizeof(rec), NULL);
	if (err)
		return err;
	if (ckpt_check_pipe_rec(&rec, PAGE_SIZE) ||
	    rec.id != ctx->robjs[CKPT_OBJT_PIPE].nr + 1)
		return ckpt_err(ctx, -EINVAL, "malformed PIPE record (pipe %u)",
				rec.id);
	rp = kzalloc(sizeof(*rp), GFP_KERNEL);
	if (!rp)
		return -ENOMEM;
	err = create_pipe_files(rp->end, 0);
	if (err) {
		kfree(rp);
		return ckpt_err(ctx, err, "pipe %u: cannot make it", rec.id);
	}
	size = pipe_fcntl(rp->end[1], F_GETPIPE_SZ, 0);
	if (size != rec.size) {
		/* With the limits and checks of fcntl(F_SETPIPE_SZ). */
		size = pipe_fcntl(rp->end[1], F_SETPIPE_SZ, rec.size);
		if (size < 0 || size != rec.size)
			err = ckpt_err(ctx, size < 0 ? size : -EINVAL,
				       "pipe %u: cannot make it %u bytes (fs.pipe-max-size, fs.pipe-user-pages-*, CAP_SYS_RESOURCE)",
				       rec.id, rec.size);
	}
	if (!err)
		err = ckpt_fill_pipe(ctx, rp, &rec);
	if (!err)
		err = ckpt_robj_add(ctx, CKPT_OBJT_PIPE, rec.id, rp);
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

	if (!rp)
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
