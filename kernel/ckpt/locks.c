// SPDX-License-Identifier: GPL-2.0-only
/*
 * ckpt: file locks.
 *
 * flock() locks and open file description locks (F_OFD_SETLK) belong to
 * an open file: their LOCK records follow the open file's FILE record.
 * POSIX record locks (F_SETLK) belong to a file table: their LOCK records
 * follow the table's FD records, each naming an open file of the table on
 * the locked inode.  Restart takes each lock again, without waiting, with
 * the checks of flock() and fcntl(): a lock held by someone else at restart
 * makes the restart fail rather than wait.
 *
 * Leases and F_SETOWN owners are refused (files.c).  A POSIX lock comes back
 * with the pid of the task that restores its file table (the owner is the
 * table, as before; F_GETLK reports that pid).
 */

#include <linux/fdtable.h>
#include <linux/file.h>
#include <linux/filelock.h>
#include <linux/security.h>
#include <linux/slab.h>
#include <linux/sort.h>

#include "internal.h"

static u16 ckpt_lock_type(struct file_lock_core *flc)
{
	return flc->flc_type == F_WRLCK ? F_WRLCK : F_RDLCK;
}

/* Writes the LOCK records of @flc entries matching @kind and @owner. */
static int ckpt_write_locks_of(struct ckpt_ctx *ctx, struct inode *inode,
			       u16 kind, const void *owner, u32 file_id)
{
	struct file_lock_context *flctx = locks_inode_context(inode);
	struct ckpt_lock *recs = NULL;
	struct file_lock_core *flc;
	u32 n, nr = 0, cap = 0;
	int err = 0;

again:
	if (!flctx)
		return 0;
	n = 0;
	spin_lock(&flctx->flc_lock);
	list_for_each_entry(flc, kind == CKPT_LOCK_FLOCK ? &flctx->flc_flock :
				 &flctx->flc_posix, flc_list) {
		struct file_lock *fl = container_of(flc, struct file_lock, c);
		bool ofd = flc->flc_flags & FL_OFDLCK;

		if (flc->flc_owner != owner ||
		    (kind == CKPT_LOCK_OFD) != ofd)
			continue;
		if (n < cap)
			recs[n] = (struct ckpt_lock) {
				.file = file_id, .kind = kind,
				.type = ckpt_lock_type(flc),
				.start = kind == CKPT_LOCK_FLOCK ? 0 : fl->fl_start,
				.end = kind == CKPT_LOCK_FLOCK ? 0 : fl->fl_end,
			};
		n++;
	}
	spin_unlock(&flctx->flc_lock);
	if (n > cap) {
		/* Locks can't be written under the spinlock: count, then copy. */
		kvfree(recs);
		cap = n + 8;
		recs = kvmalloc_array(cap, sizeof(*recs), GFP_KERNEL);
		if (!recs)
			return -ENOMEM;
		goto again;
	}
	nr = n;
	if (nr > CKPT_LOCKS_MAX)
		err = ckpt_err(ctx, -EOPNOTSUPP,
			       "file %u: more than %u locks of one kind", file_id,
			       CKPT_LOCKS_MAX);
	for (n = 0; !err && n < nr; n++)
		err = ckpt_write_rec(ctx, CKPT_REC_LOCK, &recs[n], sizeof(recs[n]));
	kvfree(recs);
	return err;
}

/**
 * ckpt_write_file_locks - the LOCK records of an open file
 * @ctx: the checkpoint.
 * @file: the open file, whose FILE record was just written.
 * @id: its id.
 *
 * Return: 0 or a negative errno.
 */
int ckpt_write_file_locks(struct ckpt_ctx *ctx, struct file *file, u32 id)
{
	struct inode *inode = file_inode(file);
	int err;

	err = ckpt_write_locks_of(ctx, inode, CKPT_LOCK_FLOCK, file, id);
	if (!err)
		err = ckpt_write_locks_of(ctx, inode, CKPT_LOCK_OFD, file, id);
	return err;
}

struct ckpt_lock_inode {
	struct inode *inode;
	u32 file;
};

static int ckpt_lock_inode_cmp(const void *a, const void *b)
{
	const struct ckpt_lock_inode *x = a, *y = b;

	if (x->inode != y->inode)
		return x->inode < y->inode ? -1 : 1;
	return x->file < y->file ? -1 : x->file > y->file;
}

/**
 * ckpt_write_table_locks - the LOCK records of a file table's POSIX locks
 * @ctx: the checkpoint.
 * @files: the table, whose FD records were just written.
 * @open: the files of its descriptors, each with its id (@nr of them).
 * @ids: their ids.
 * @nr: their number.
 *
 * Return: 0 or a negative errno.
 */
int ckpt_write_table_locks(struct ckpt_ctx *ctx, struct files_struct *files,
			   struct file **open, const u32 *ids, u32 nr)
{
	struct ckpt_lock_inode *li;
	u32 i, n = 0;
	int err = 0;

	li = kvmalloc_array(nr, sizeof(*li), GFP_KERNEL);
	if (!li && nr)
		return -ENOMEM;
	for (i = 0; i < nr; i++) {
		struct inode *inode = file_inode(open[i]);
		struct file_lock_context *flctx = locks_inode_context(inode);

		if (flctx && !list_empty_careful(&flctx->flc_posix))
			li[n++] = (struct ckpt_lock_inode) { inode, ids[i] };
	}
	/* Each inode once, named by its lowest file id. */
	sort(li, n, sizeof(*li), ckpt_lock_inode_cmp, NULL);
	for (i = 0; !err && i < n; i++)
		if (!i || li[i].inode != li[i - 1].inode)
			err = ckpt_write_locks_of(ctx, li[i].inode,
						  CKPT_LOCK_POSIX, files,
						  li[i].file);
	kvfree(li);
	return err;
}

/**
 * ckpt_restore_lock - take the lock of a LOCK record again
 * @ctx: the restart.
 * @hdr: the record's header, read.
 * @file_id: the FILE record it follows (FLOCK, OFD), or 0 after a file
 *	table's descriptors (POSIX).
 *
 * Context: the restarted task whose file table owns POSIX locks.
 * Return: 0 or a negative errno.
 */
int ckpt_restore_lock(struct ckpt_ctx *ctx, const struct ckpt_rec *hdr,
		      u32 file_id)
{
	struct file_lock *fl;
	struct ckpt_lock rec;
	struct file *file;
	int err;

	err = ckpt_read_rec_body(ctx, hdr, &rec, sizeof(rec), NULL);
	if (err)
		return err;
	if (ckpt_check_lock(&rec) ||
	    (file_id && (rec.kind == CKPT_LOCK_POSIX || rec.file != file_id)) ||
	    (!file_id && rec.kind != CKPT_LOCK_POSIX))
		return ckpt_err(ctx, -EINVAL, "malformed LOCK record (file %u)",
				rec.file);
	file = ckpt_robj_get(ctx, CKPT_OBJT_FILE, rec.file);
	if (!file)
		return ckpt_err(ctx, -EINVAL, "lock: open file %u does not exist",
				rec.file);
	/* As fcntl(F_SETLK): the lock's type needs the open mode. */
	if (rec.kind != CKPT_LOCK_FLOCK &&
	    !(file->f_mode & (rec.type == F_WRLCK ? FMODE_WRITE : FMODE_READ)))
		return ckpt_err(ctx, -EBADF,
				"lock: file %u is not open for a %s lock", rec.file,
				rec.type == F_WRLCK ? "write" : "read");

	fl = kzalloc(sizeof(*fl), GFP_KERNEL);
	if (!fl)
		return -ENOMEM;
	locks_init_lock(fl);
	fl->c.flc_file = file;
	fl->c.flc_type = rec.type;
	fl->c.flc_pid = current->tgid;
	switch (rec.kind) {
	case CKPT_LOCK_FLOCK:
		fl->c.flc_flags = FL_FLOCK;
		fl->c.flc_owner = file;
		fl->fl_end = OFFSET_MAX;
		break;
	case CKPT_LOCK_OFD:
		fl->c.flc_flags = FL_POSIX | FL_OFDLCK;
		fl->c.flc_owner = file;
		fl->c.flc_pid = -1;
		break;
	default:
		fl->c.flc_flags = FL_POSIX;
		fl->c.flc_owner = current->files;
		break;
	}
	if (rec.kind != CKPT_LOCK_FLOCK) {
		fl->fl_start = rec.start;
		fl->fl_end = rec.end;
	}
	/* As flock(2) and fcntl(F_SETLK), without waiting. */
	err = security_file_lock(file, rec.type);
	if (!err && rec.kind == CKPT_LOCK_FLOCK)
		err = file->f_op->flock ? file->f_op->flock(file, F_SETLK, fl) :
		      locks_lock_file_wait(file, fl);
	else if (!err)
		err = vfs_lock_file(file, F_SETLK, fl, NULL);
	kfree(fl);
	if (err)
		return ckpt_err(ctx, err,
				"lock: cannot take it again on file %u (error %d%s)",
				rec.file, err,
				err == -EAGAIN ? ": held by another process" : "");
	return 0;
}
