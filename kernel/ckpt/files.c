// SPDX-License-Identifier: GPL-2.0-only
/*
 * ckpt: open file descriptors.
 *
 * This version saves descriptors of regular files (path, offset, open
 * flags, close-on-exec, and the inode number, size and mtime to check the
 * file is the same one at restart) and of the harmless character devices
 * (/dev/null, zero, full, random, urandom).  Restart opens them again by
 * path, with the caller's credentials and the permission checks of open().
 */

#include <linux/fdtable.h>
#include <linux/file.h>
#include <linux/filelock.h>
#include <linux/kdev_t.h>
#include <linux/namei.h>
#include <linux/slab.h>

#include "internal.h"

/**
 * ckpt_inode_mtime - an inode's modification time in nanoseconds
 * @inode: the inode.
 *
 * Return: the mtime.
 */
s64 ckpt_inode_mtime(struct inode *inode)
{
	struct timespec64 ts = inode_get_mtime(inode);

	return timespec64_to_ns(&ts);
}

/**
 * ckpt_file_changed - is @inode not the file recorded in the image?
 * @inode: the file found at restart.
 * @ino: the recorded inode number.
 * @size: the recorded size.
 * @mtime_ns: the recorded modification time.
 *
 * Return: true if any of them differs.
 */
bool ckpt_file_changed(struct inode *inode, u64 ino, u64 size, s64 mtime_ns)
{
	return inode->i_ino != ino || i_size_read(inode) != size ||
	       ckpt_inode_mtime(inode) != mtime_ns;
}

static u32 ckpt_rdev(dev_t dev)
{
	return MAJOR(dev) << 20 | MINOR(dev);
}

/* Does the task hold locks, a lease or an owner (F_SETOWN) on @file? */
static const char *ckpt_file_extras(struct task_struct *t, struct file *file)
{
	struct file_lock_context *flctx;
	struct file_lock_core *flc;
	const char *what = NULL;

	if (file->f_owner && file->f_owner->pid)
		return "an owner for SIGIO (F_SETOWN)";
	flctx = locks_inode_context(file_inode(file));
	if (!flctx)
		return NULL;
	spin_lock(&flctx->flc_lock);
	list_for_each_entry(flc, &flctx->flc_flock, flc_list)
		if (flc->flc_file == file)
			what = "a flock() lock";
	list_for_each_entry(flc, &flctx->flc_posix, flc_list)
		if (flc->flc_owner == t->files)
			what = "a POSIX record lock";
	list_for_each_entry(flc, &flctx->flc_lease, flc_list)
		if (flc->flc_file == file)
			what = "a lease";
	spin_unlock(&flctx->flc_lock);
	return what;
}

static const char *ckpt_file_type(struct file *file)
{
	umode_t mode = file_inode(file)->i_mode;

	if (S_ISFIFO(mode))
		return "a pipe or FIFO";
	if (S_ISSOCK(mode))
		return "a socket";
	if (S_ISDIR(mode))
		return "a directory";
	if (S_ISCHR(mode))
		return "a character device other than null, zero, full, random and urandom";
	if (S_ISBLK(mode))
		return "a block device";
	if (S_ISLNK(mode))
		return "a symbolic link";
	return
	"an anonymous or special file (eventfd, epoll, signalfd, timerfd, inotify...)";
}

/* Returns the kind of @file, or a negative errno with a reason. */
static int ckpt_check_one_file(struct ckpt_ctx *ctx, struct task_struct *t,
			       unsigned int fd, struct file *file)
{
	struct inode *inode = file_inode(file);
	const char *extra;
	int kind = 0;

	if (file->f_mode & FMODE_PATH)
		return ckpt_task_err(ctx, t, -EOPNOTSUPP,
				     "fd %u: O_PATH descriptors are not supported yet", fd);
	if (S_ISREG(inode->i_mode) && !(file->f_mode & FMODE_NOACCOUNT))
		kind = CKPT_FILE_REG;
	else if (S_ISCHR(inode->i_mode) && MAJOR(inode->i_rdev) == 1 &&
		 (MINOR(inode->i_rdev) == 3 || MINOR(inode->i_rdev) == 5 ||
		  MINOR(inode->i_rdev) == 7 || MINOR(inode->i_rdev) == 8 ||
		  MINOR(inode->i_rdev) == 9))
		kind = CKPT_FILE_CHR;
	if (!kind)
		return ckpt_task_err(ctx, t, -EOPNOTSUPP,
				     "fd %u: %s is not supported yet", fd,
				     ckpt_file_type(file));
	extra = ckpt_file_extras(t, file);
	if (extra)
		return ckpt_task_err(ctx, t, -EOPNOTSUPP,
				     "fd %u: %s is not supported yet", fd, extra);
	return kind;
}

/**
 * ckpt_check_files - refuse descriptors this version cannot save
 * @ctx: the checkpoint.
 * @t: the task.
 *
 * Return: 0, -EOPNOTSUPP with a reason, or a negative errno.
 */
int ckpt_check_files(struct ckpt_ctx *ctx, struct task_struct *t)
{
	unsigned int fd;
	struct file *file;
	char *buf, *name;
	int err = 0;

	buf = kmalloc(PATH_MAX, GFP_KERNEL);
	if (!buf)
		err = -ENOMEM;

	for (fd = 0; !err; fd++) {
		rcu_read_lock();
		file = task_lookup_next_fdget_rcu(t, &fd);
		rcu_read_unlock();
		if (!file)
			break;
		err = ckpt_check_one_file(ctx, t, fd, file);
		if (err > 0) {
			err = 0;
			name = ckpt_path(&file->f_path, buf, PATH_MAX);
			if (IS_ERR(name))
				err = ckpt_task_err(ctx, t, PTR_ERR(name),
						    "fd %u: the file was deleted or is on no mounted filesystem (not supported yet)",
						    fd);
		}
		fput(file);
	}
	kfree(buf);
	return err;
}

static bool ckpt_cloexec(struct task_struct *t, unsigned int fd)
{
	bool ret = false;

	task_lock(t);
	if (t->files) {
		rcu_read_lock();
		ret = close_on_exec(fd, t->files);
		rcu_read_unlock();
	}
	task_unlock(t);
	return ret;
}

/* The lowest descriptor below @fd that refers to @file, or -1. */
static int ckpt_dup_of(struct task_struct *t, unsigned int fd,
		       struct file *file)
{
	unsigned int i;
	struct file *f;

	for (i = 0; i < fd; i++) {
		rcu_read_lock();
		f = task_lookup_next_fdget_rcu(t, &i);
		rcu_read_unlock();
		if (!f || i >= fd) {
			if (f)
				fput(f);
			break;
		}
		fput(f);
		if (f == file)
			return i;
	}
	return -1;
}

static int ckpt_write_one_file(struct ckpt_ctx *ctx, struct task_struct *t,
			       unsigned int fd, struct file *file, char *buf)
{
	struct inode *inode = file_inode(file);
	struct ckpt_file rec = { .fd = fd, .dup_of = -1 };
	char *name;
	int kind;

	rec.dup_of = ckpt_dup_of(t, fd, file);
	if (rec.dup_of >= 0) {
		rec.kind = CKPT_FILE_DUP;
		if (ckpt_cloexec(t, fd))
			rec.flags = O_CLOEXEC;
		return ckpt_write_rec(ctx, CKPT_REC_FILE, &rec, sizeof(rec));
	}
	kind = ckpt_check_one_file(ctx, t, fd, file);
	if (kind < 0)
		return kind;
	name = ckpt_path(&file->f_path, buf, PATH_MAX);
	if (IS_ERR(name))
		return ckpt_task_err(ctx, t, PTR_ERR(name),
				     "fd %u: the file was deleted or is on no mounted filesystem (not supported yet)",
				     fd);
	rec.kind = kind;
	rec.flags = file->f_flags & (O_ACCMODE | O_APPEND | O_NONBLOCK |
				     O_NOATIME | O_DIRECT | O_DSYNC | __O_SYNC |
				     O_LARGEFILE);
	if (ckpt_cloexec(t, fd))
		rec.flags |= O_CLOEXEC;
	rec.path_len = strlen(name);
	if (kind == CKPT_FILE_REG) {
		rec.pos = READ_ONCE(file->f_pos);
		rec.ino = inode->i_ino;
		rec.size = i_size_read(inode);
		rec.mtime_ns = ckpt_inode_mtime(inode);
	} else {
		rec.rdev = ckpt_rdev(inode->i_rdev);
	}
	return ckpt_write_rec_tail(ctx, CKPT_REC_FILE, &rec, sizeof(rec), name,
				   rec.path_len);
}

/**
 * ckpt_write_files - write a FILE record for each open descriptor
 * @ctx: the checkpoint.
 * @t: the task.
 *
 * Return: 0 or a negative errno.
 */
int ckpt_write_files(struct ckpt_ctx *ctx, struct task_struct *t)
{
	struct file *file;
	unsigned int fd;
	char *buf;
	int err = 0;

	buf = kmalloc(PATH_MAX, GFP_KERNEL);
	if (!buf)
		return -ENOMEM;

	for (fd = 0; !err; fd++) {
		rcu_read_lock();
		file = task_lookup_next_fdget_rcu(t, &fd);
		rcu_read_unlock();
		if (!file)
			break;
		err = ckpt_write_one_file(ctx, t, fd, file, buf);
		fput(file);
		if (!err && fatal_signal_pending(current))
			err = -EINTR;
	}
	kfree(buf);
	return err;
}

static struct file *ckpt_open_file(struct ckpt_ctx *ctx,
				   const struct ckpt_file *rec, const char *path)
{
	struct inode *inode;
	struct file *file;
	loff_t pos;

	file = file_open_root(&ctx->ns_root, path, rec->flags & ~O_CLOEXEC, 0);
	if (IS_ERR(file)) {
		ckpt_log(ctx, "fd %d: cannot open %s (error %ld)", rec->fd,
			 path, PTR_ERR(file));
		return file;
	}
	inode = file_inode(file);
	if (rec->kind == CKPT_FILE_CHR) {
		if (!S_ISCHR(inode->i_mode) ||
		    ckpt_rdev(inode->i_rdev) != rec->rdev) {
			ckpt_log(ctx, "fd %d: %s is not the device it was", rec->fd,
				 path);
			fput(file);
			return ERR_PTR(-ESTALE);
		}
		return file;
	}
	if (!S_ISREG(inode->i_mode)) {
		ckpt_log(ctx, "fd %d: %s is no longer a regular file", rec->fd,
			 path);
		fput(file);
		return ERR_PTR(-ESTALE);
	}
	if (!(ctx->flags & CKPT_RESTART_FILES_CHANGED) &&
	    ckpt_file_changed(inode, rec->ino, rec->size, rec->mtime_ns)) {
		ckpt_log(ctx,
			 "fd %d: %s changed since the checkpoint (inode, size or mtime); restart with CKPT_RESTART_FILES_CHANGED to accept it",
			 rec->fd, path);
		fput(file);
		return ERR_PTR(-ESTALE);
	}
	pos = vfs_llseek(file, rec->pos, SEEK_SET);
	if (pos != rec->pos) {
		ckpt_log(ctx, "fd %d: cannot seek %s to %lld", rec->fd, path,
			 rec->pos);
		fput(file);
		return ERR_PTR(pos < 0 ? pos : -EINVAL);
	}
	return file;
}

/**
 * ckpt_restore_files - read the FILE records and install the descriptors
 * @ctx: the restart.
 * @next: set to the header of the record after the last FILE record.
 *
 * Context: the new task, with an empty file table of its own.
 * Return: 0 or a negative errno.
 */
int ckpt_restore_files(struct ckpt_ctx *ctx, struct ckpt_rec *next)
{
	int last_fd = -1;
	int err;

	for (;;) {
		struct ckpt_file rec;
		struct file *file;
		char *path;
		u32 tail;

		err = ckpt_read_rec_type(ctx, next);
		if (err || next->type != CKPT_REC_FILE)
			return err;
		err = ckpt_read_rec_body(ctx, next, &rec, sizeof(rec), &tail);
		if (err)
			return err;
		if (ckpt_check_file(&rec) || tail != rec.path_len ||
		    rec.fd <= last_fd)
			return ckpt_err(ctx, -EINVAL, "malformed FILE record (fd %d)",
					rec.fd);
		last_fd = rec.fd;
		if (rec.kind == CKPT_FILE_DUP) {
			file = fget(rec.dup_of);
			if (!file)
				return ckpt_err(ctx, -EINVAL,
						"fd %d: a duplicate of fd %d, which is not open",
						rec.fd, rec.dup_of);
		} else {
			err = ckpt_read_string(ctx, rec.path_len, &path);
			if (err)
				return err;
			file = ckpt_open_file(ctx, &rec, path);
			kfree(path);
			if (IS_ERR(file))
				return PTR_ERR(file);
		}
		err = replace_fd(rec.fd, file, rec.flags & O_CLOEXEC);
		fput(file);
		if (err < 0)
			return ckpt_err(ctx, err, "fd %d: cannot install it (RLIMIT_NOFILE?)",
					rec.fd);
	}
}
