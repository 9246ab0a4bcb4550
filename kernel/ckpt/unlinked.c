// SPDX-License-Identifier: GPL-2.0-only
/*
 * ckpt: regular files with no name on file systems other than tmpfs: files
 * deleted while open, and files made with O_TMPFILE.
 *
 * No path reaches them, so their data goes into the image: each file once
 * (an UNLINKED record before the first FILE record of it), however many
 * open files and processes share it, with the path of the directory it was
 * in, its mode, owner and times, and the pages of data its file system
 * reports (SEEK_DATA, SEEK_HOLE): holes stay holes.  The data is limited,
 * CKPT_UNLINKED_DATA_MAX bytes for one file and CKPT_UNLINKED_TOTAL_MAX
 * for all: past that checkpoint refuses with EFBIG and a reason naming the
 * limit.  A file whose directory was deleted too, whose file system
 * cannot make files with O_TMPFILE (9p...), or that was opened by a name
 * since deleted but has other names (hard links), is refused.
 *
 * Restart makes the file again in the same directory with O_TMPFILE, as
 * the caller (write and search permission on the directory, a writable
 * mount), writes its data, sets its times, its owner when the caller may
 * chown (else it keeps the caller's and says so on the log), and its mode;
 * each FILE record then opens it with the checks of open() and seeks.  A
 * file made with O_TMPFILE without O_EXCL can still be given a name with
 * linkat(); any other stays nameless.
 */

#include <linux/file.h>
#include <linux/fs.h>
#include <linux/mm.h>
#include <linux/mount.h>
#include <linux/namei.h>
#include <linux/slab.h>

#include "internal.h"

/*
 * The next run of data of @f at or after *@pos (page-aligned), before
 * @size: [*@start, *@start + n pages), at most CKPT_PAGES_MAX pages; *@pos
 * moves past it.  Returns n, 0 when there is no more, or a negative errno.
 * @f is the checkpoint's own open file: seeking it moves no offset of the
 * container's.
 */
static long ckpt_unlinked_run(struct file *f, loff_t size, loff_t *pos,
			      loff_t *start)
{
	loff_t end = round_up(size, PAGE_SIZE), data, hole;

	if (*pos >= size)
		return 0;
	data = vfs_llseek(f, *pos, SEEK_DATA);
	if (data == -ENXIO)
		return 0;
	if (data < 0)
		return data;
	if (data >= size)
		return 0;
	hole = vfs_llseek(f, data, SEEK_HOLE);
	if (hole < 0)
		return hole;
	if (hole <= data)
		hole = data + 1;
	data = max(round_down(data, PAGE_SIZE), *pos);
	hole = min(round_up(hole, PAGE_SIZE), end);
	hole = min(hole, data + ((loff_t)CKPT_PAGES_MAX << PAGE_SHIFT));
	*start = data;
	*pos = hole;
	return (hole - data) >> PAGE_SHIFT;
}

/* The pages of data of @f up to @size, as ckpt_unlinked_run() finds them. */
static long long ckpt_unlinked_pages(struct file *f, loff_t size)
{
	loff_t pos = 0, start;
	long long total = 0;
	long n;

	while ((n = ckpt_unlinked_run(f, size, &pos, &start)) > 0) {
		total += n;
		if (total > CKPT_UNLINKED_DATA_MAX >> PAGE_SHIFT)
			break;
		cond_resched();
	}
	return n < 0 ? n : total;
}

static char *ckpt_unlinked_dir(struct file *file, char *buf)
{
	struct path dir = { .mnt = file->f_path.mnt };
	char *name;

	dir.dentry = dget_parent(file->f_path.dentry);
	name = ckpt_path(&dir, buf, PATH_MAX);
	dput(dir.dentry);
	return name;
}

/**
 * ckpt_check_unlinked - check an open file of a file with no name
 * @ctx: the checkpoint.
 * @t: a task that has it open, for messages.
 * @fd: its descriptor there.
 * @fobj: the open file's new entry (CKPT_FILE_UNLINKED).
 * @buf: PATH_MAX bytes.
 *
 * The first open file of a file finds its directory and counts its data.
 *
 * Return: 0, -EOPNOTSUPP or -EFBIG with a reason, or a negative errno.
 */
int ckpt_check_unlinked(struct ckpt_ctx *ctx, struct task_struct *t,
			unsigned int fd, struct ckpt_obj *fobj, char *buf)
{
	struct file *file = fobj->file, *reader;
	struct inode *inode = file_inode(file);
	struct ckpt_obj *uobj;
	struct dentry *dir;
	long long pages;
	char *name;
	bool tmpfile;

	uobj = ckpt_obj_find(ctx, CKPT_OBJT_UNLINKED, inode);
	if (uobj) {
		fobj->unlinked = uobj;
		return 0;
	}
	if (file->f_path.mnt->mnt_flags & MNT_INTERNAL)
		return ckpt_task_err(ctx, t, -EOPNOTSUPP,
				     "fd %u: a file of an internal mount is not supported",
				     fd);
	name = ckpt_unlinked_dir(file, buf);
	if (IS_ERR(name))
		return ckpt_task_err(ctx, t, -EOPNOTSUPP,
				     "fd %u: a deleted file whose directory is deleted too or is on no mounted file system is not supported",
				     fd);
	dir = dget_parent(file->f_path.dentry);
	tmpfile = !!d_inode(dir)->i_op->tmpfile;
	dput(dir);
	if (!tmpfile)
		return ckpt_task_err(ctx, t, -EOPNOTSUPP,
				     "fd %u: a deleted file on %s, a file system without O_TMPFILE, is not supported",
				     fd, inode->i_sb->s_type->name);
	/* Saving its data would part it from its other names. */
	if (inode->i_nlink)
		return ckpt_task_err(ctx, t, -EOPNOTSUPP,
				     "fd %u: a file opened by a name since deleted, that has other names (hard links), is not supported",
				     fd);

	/* Its own open file: seeking it moves no offset of the container's. */
	reader = dentry_open(&file->f_path, O_RDONLY | O_LARGEFILE | O_NOATIME,
			     current_cred());
	if (IS_ERR(reader))
		return ckpt_task_err(ctx, t, PTR_ERR(reader),
				     "fd %u: cannot read the deleted file", fd);
	pages = ckpt_unlinked_pages(reader, i_size_read(inode));
	if (pages < 0) {
		fput(reader);
		return ckpt_task_err(ctx, t, pages,
				     "fd %u: cannot find the data of the deleted file",
				     fd);
	}
	if (pages > CKPT_UNLINKED_DATA_MAX >> PAGE_SHIFT) {
		fput(reader);
		return ckpt_task_err(ctx, t, -EFBIG,
				     "fd %u: a deleted file with more than %u bytes of data (CKPT_UNLINKED_DATA_MAX) is not supported",
				     fd, CKPT_UNLINKED_DATA_MAX);
	}
	ctx->unlinked_data += pages << PAGE_SHIFT;
	if (ctx->unlinked_data > CKPT_UNLINKED_TOTAL_MAX) {
		fput(reader);
		return ckpt_task_err(ctx, t, -EFBIG,
				     "fd %u: deleted files with more than %u bytes of data in all (CKPT_UNLINKED_TOTAL_MAX) are not supported",
				     fd, CKPT_UNLINKED_TOTAL_MAX);
	}
	uobj = ckpt_obj_add(ctx, CKPT_OBJT_UNLINKED, inode, reader);
	fput(reader);
	if (!uobj)
		return -ENOMEM;
	uobj->pid = task_pid_nr_ns(t, ctx->pidns);
	uobj->fd = fd;
	fobj->unlinked = uobj;
	return 0;
}

/**
 * ckpt_write_unlinked - write the UNLINKED record of a file and its data
 * @ctx: the checkpoint.
 * @uobj: its entry, not yet written; its file is the checkpoint's own.
 * @buf: PATH_MAX bytes for the path of its directory.
 *
 * Return: 0 or a negative errno (-EAGAIN if the file changed meanwhile).
 */
int ckpt_write_unlinked(struct ckpt_ctx *ctx, struct ckpt_obj *uobj,
			char *buf)
{
	struct file *f = uobj->file;
	struct inode *inode = file_inode(f);
	struct timespec64 ts;
	struct ckpt_unlinked rec = { };
	loff_t pos = 0, start;
	long long pages;
	void *data;
	char *name;
	long n;
	int err = 0;

	name = ckpt_unlinked_dir(f, buf);
	if (IS_ERR(name))
		return ckpt_err(ctx, -EAGAIN,
				"task %d: fd %u: the directory of the deleted file was deleted during the checkpoint",
				uobj->pid, uobj->fd);
	rec.path_len = strlen(name);
	rec.mode = inode->i_mode;
	rec.uid = from_kuid_munged(current_user_ns(), inode->i_uid);
	rec.gid = from_kgid_munged(current_user_ns(), inode->i_gid);
	rec.size = i_size_read(inode);
	ts = inode_get_atime(inode);
	rec.atime_ns = timespec64_to_ns(&ts);
	rec.mtime_ns = ckpt_inode_mtime(inode);
	spin_lock(&inode->i_lock);
	if (inode->i_state & I_LINKABLE)
		rec.flags |= CKPT_UNLINKED_LINKABLE;
	spin_unlock(&inode->i_lock);
	/* Counted again: the record says how many pages follow. */
	pages = ckpt_unlinked_pages(f, rec.size);
	if (pages < 0)
		return pages;
	if (pages > CKPT_UNLINKED_DATA_MAX >> PAGE_SHIFT)
		return ckpt_err(ctx, -EAGAIN,
				"task %d: fd %u: the deleted file grew during the checkpoint",
				uobj->pid, uobj->fd);
	rec.nr_pages = pages;
	rec.id = ckpt_obj_number(ctx, uobj);
	err = ckpt_write_rec_tail(ctx, CKPT_REC_UNLINKED, &rec, sizeof(rec),
				  name, rec.path_len);
	if (err || !pages)
		return err;

	data = kvmalloc((size_t)CKPT_PAGES_MAX << PAGE_SHIFT, GFP_KERNEL);
	if (!data)
		return -ENOMEM;
	while (pages && (n = ckpt_unlinked_run(f, rec.size, &pos, &start)) > 0) {
		struct ckpt_pages p = { .addr = start, .nr_pages = n };
		size_t len = (size_t)n << PAGE_SHIFT;
		loff_t at = start;
		ssize_t got;

		if (n > pages)
			break;
		got = kernel_read(f, data, len, &at);
		if (got < 0) {
			err = got;
			break;
		}
		/* Past the end of the file: zeros, which restart leaves out. */
		memset(data + got, 0, len - got);
		err = ckpt_write_rec_tail(ctx, CKPT_REC_PAGES, &p, sizeof(p),
					  data, len);
		if (err)
			break;
		pages -= n;
	}
	kvfree(data);
	if (!err && pages)
		err = ckpt_err(ctx, -EAGAIN,
			       "task %d: fd %u: the deleted file changed during the checkpoint",
			       uobj->pid, uobj->fd);
	return err;
}

/* Reads the PAGES records of @rec into @file. */
static int ckpt_fill_unlinked(struct ckpt_ctx *ctx,
			      const struct ckpt_unlinked *rec, struct file *file)
{
	void *buf;
	int err;

	if (!rec->nr_pages)
		return 0;
	buf = kvmalloc((size_t)CKPT_PAGES_MAX << PAGE_SHIFT, GFP_KERNEL);
	if (!buf)
		return -ENOMEM;
	err = ckpt_fill_file(ctx, file, rec->nr_pages, rec->size, buf,
			     "UNLINKED record", rec->id);
	kvfree(buf);
	return err;
}

/* Times, then owner (if the caller may chown), then mode, as the caller. */
static int ckpt_unlinked_attrs(struct ckpt_ctx *ctx,
			       const struct ckpt_unlinked *rec,
			       struct file *file)
{
	struct dentry *d = file->f_path.dentry;
	struct inode *inode = d_inode(d);
	struct iattr attr = { };
	kuid_t uid = make_kuid(current_user_ns(), rec->uid);
	kgid_t gid = make_kgid(current_user_ns(), rec->gid);
	int err;

	err = mnt_want_write(file->f_path.mnt);
	if (err)
		return err;
	inode_lock(inode);
	attr.ia_valid = ATTR_ATIME | ATTR_MTIME | ATTR_ATIME_SET |
			ATTR_MTIME_SET;
	attr.ia_atime = ns_to_timespec64(rec->atime_ns);
	attr.ia_mtime = ns_to_timespec64(rec->mtime_ns);
	err = notify_change(file_mnt_idmap(file), d, &attr, NULL);
	if (!err && (!uid_eq(uid, inode->i_uid) || !gid_eq(gid, inode->i_gid))) {
		int e = -EINVAL;

		attr.ia_valid = ATTR_UID | ATTR_GID;
		attr.ia_vfsuid = VFSUIDT_INIT(uid);
		attr.ia_vfsgid = VFSGIDT_INIT(gid);
		if (uid_valid(uid) && gid_valid(gid))
			e = notify_change(file_mnt_idmap(file), d, &attr, NULL);
		if (e)
			ckpt_log(ctx,
				 "UNLINKED record %u: owner %u:%u not restored (error %d): the file keeps the caller's",
				 rec->id, rec->uid, rec->gid, e);
	}
	/* After the owner: chown() clears the set-id bits. */
	if (!err) {
		attr.ia_valid = ATTR_MODE;
		attr.ia_mode = rec->mode;
		err = notify_change(file_mnt_idmap(file), d, &attr, NULL);
	}
	inode_unlock(inode);
	mnt_drop_write(file->f_path.mnt);
	return err;
}

/**
 * ckpt_restore_unlinked - make the file with no name of an UNLINKED record
 * @ctx: the restart.
 * @hdr: the record's header, already read.
 *
 * Context: a new task, as the caller, in the container's mount namespace.
 * Return: 0 or a negative errno.
 */
int ckpt_restore_unlinked(struct ckpt_ctx *ctx, const struct ckpt_rec *hdr)
{
	struct ckpt_unlinked rec;
	struct path dir;
	struct file *file;
	char *path;
	u32 tail;
	int err;

	err = ckpt_read_rec_body(ctx, hdr, &rec, sizeof(rec), &tail);
	if (err)
		return err;
	err = ckpt_check_unlinked_rec(&rec, tail, PAGE_SIZE);
	if (err == -EFBIG)
		return ckpt_err(ctx, err,
				"UNLINKED record %u: more than %u bytes of data (CKPT_UNLINKED_DATA_MAX)",
				rec.id, CKPT_UNLINKED_DATA_MAX);
	if (err || rec.id != ctx->robjs[CKPT_OBJT_UNLINKED].nr + 1)
		return ckpt_err(ctx, -EINVAL, "malformed UNLINKED record (%u)",
				rec.id);
	ctx->unlinked_data += rec.nr_pages << PAGE_SHIFT;
	if (ctx->unlinked_data > CKPT_UNLINKED_TOTAL_MAX)
		return ckpt_err(ctx, -EFBIG,
				"UNLINKED record %u: more than %u bytes of data in all (CKPT_UNLINKED_TOTAL_MAX)",
				rec.id, CKPT_UNLINKED_TOTAL_MAX);
	err = ckpt_read_string(ctx, rec.path_len, &path);
	if (err)
		return err;
	err = vfs_path_lookup(ctx->ns_root.dentry, ctx->ns_root.mnt, path,
			      LOOKUP_FOLLOW | LOOKUP_DIRECTORY, &dir);
	if (err) {
		err = ckpt_err(ctx, err,
			       "UNLINKED record %u: no directory %s (error %d)",
			       rec.id, path, err);
		kfree(path);
		return err;
	}
	/* As open(O_TMPFILE): a writable mount, a writable directory. */
	err = mnt_want_write(dir.mnt);
	file = err ? ERR_PTR(err) :
	       kernel_tmpfile_open(mnt_idmap(dir.mnt), &dir, S_IFREG | 0600,
				   O_RDWR | O_LARGEFILE |
				   (rec.flags & CKPT_UNLINKED_LINKABLE ?
				    0 : O_EXCL), current_cred());
	if (!err)
		mnt_drop_write(dir.mnt);
	path_put(&dir);
	if (IS_ERR(file)) {
		err = ckpt_err(ctx, PTR_ERR(file),
			       "UNLINKED record %u: cannot make a file with O_TMPFILE in %s (error %ld)",
			       rec.id, path, PTR_ERR(file));
		kfree(path);
		return err;
	}
	kfree(path);
	err = vfs_truncate(&file->f_path, rec.size);
	if (err)
		err = ckpt_err(ctx, err, "UNLINKED record %u: cannot make it %llu bytes",
			       rec.id, rec.size);
	if (!err)
		err = ckpt_fill_unlinked(ctx, &rec, file);
	if (!err) {
		err = ckpt_unlinked_attrs(ctx, &rec, file);
		if (err)
			err = ckpt_err(ctx, err,
				       "UNLINKED record %u: cannot set its mode or times",
				       rec.id);
	}
	if (!err)
		err = ckpt_robj_add(ctx, CKPT_OBJT_UNLINKED, rec.id, file);
	if (err)
		fput(file);
	return err;
}

/**
 * ckpt_unlinked_file - open a file with no name again, for a FILE record
 * @ctx: the restart.
 * @rec: a CKPT_FILE_UNLINKED record, valid.
 *
 * Return: the open file, at its offset, or an ERR_PTR() with a reason.
 */
struct file *ckpt_unlinked_file(struct ckpt_ctx *ctx,
				const struct ckpt_file *rec)
{
	return ckpt_reopen(ctx, rec,
			   ckpt_robj_get(ctx, CKPT_OBJT_UNLINKED, rec->obj),
			   "file with no name of UNLINKED record");
}
