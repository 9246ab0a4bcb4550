// SPDX-License-Identifier: GPL-2.0-only
/*
 * ckpt: file tables and open files.
 *
 * A file table shared by several tasks (threads, or processes made with
 * CLONE_FILES) is saved once, in the section of the first task that has
 * it; the others name it by id and take it at restart.  An open file
 * shared by several descriptors or file tables (dup(), fork()) is saved
 * once too, before the first descriptor of it, so that it keeps one offset
 * and one set of flags.
 *
 * Saved: regular files and directories by path (offset, status flags, and
 * the inode number, size and mtime to check the file is the same one at
 * restart), the harmless character devices (/dev/null, zero, full,
 * random, urandom, console), memfds and deleted tmpfs files (as shared
 * memory objects, shmem.c), deleted files of other file systems and
 * O_TMPFILE files (unlinked.c), pipes (pipe.c), unix sockets (unix.c)
 * and ptys and /dev/tty (tty.c).  Restart
 * opens files again with the caller's credentials and the permission
 * checks of open().
 */

#include <linux/fdtable.h>
#include <linux/file.h>
#include <linux/filelock.h>
#include <linux/kdev_t.h>
#include <linux/magic.h>
#include <linux/namei.h>
#include <linux/pipe_fs_i.h>
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
 * @ctx: the restart.
 * @inode: the file found at restart.
 * @ino: the recorded inode number.
 * @size: the recorded size.
 * @mtime_ns: the recorded modification time.
 *
 * A file of a tmpfs the restart made again (a TMPFS mount) has a new inode
 * number: its size and mtime are compared.
 *
 * Return: true if any of them differs.
 */
bool ckpt_file_changed(const struct ckpt_ctx *ctx, struct inode *inode,
		       u64 ino, u64 size, s64 mtime_ns)
{
	return (inode->i_ino != ino && !ckpt_sb_restored(ctx, inode->i_sb)) ||
	       i_size_read(inode) != size ||
	       ckpt_inode_mtime(inode) != mtime_ns;
}

static u32 ckpt_rdev(dev_t dev)
{
	return MAJOR(dev) << 20 | MINOR(dev);
}

/* Is there a lease or an owner (F_SETOWN) on @file?  (Locks are saved.) */
static const char *ckpt_file_extras(struct file *file)
{
	struct file_lock_context *flctx;
	struct file_lock_core *flc;
	const char *what = NULL;

	/* First: a lease sets an owner too, for its break signal. */
	flctx = locks_inode_context(file_inode(file));
	if (flctx) {
		spin_lock(&flctx->flc_lock);
		list_for_each_entry(flc, &flctx->flc_lease, flc_list)
			if (flc->flc_file == file)
				what = "a lease";
		spin_unlock(&flctx->flc_lock);
	}
	if (!what && file->f_owner && file->f_owner->pid)
		what = "an owner for SIGIO (F_SETOWN)";
	return what;
}

static const char *ckpt_file_type(struct file *file)
{
	umode_t mode = file_inode(file)->i_mode;

	if (S_ISFIFO(mode))
		return "a named pipe (FIFO)";
	if (S_ISSOCK(mode))
		return "a socket";
	if (S_ISCHR(mode))
		return "a character device other than null, zero, full, random, urandom, console";
	if (S_ISBLK(mode))
		return "a block device";
	if (S_ISLNK(mode))
		return "a symbolic link";
	return
	"an anonymous or special file (not eventfd, epoll, signalfd, timerfd or inotify)";
}

static bool ckpt_chrdev_ok(struct inode *inode)
{
	return S_ISCHR(inode->i_mode) &&
	       ckpt_chrdev_allowed(ckpt_rdev(inode->i_rdev));
}

/* The kind of @file: an enum ckpt_file_kind, or 0 and @why. */
static u32 ckpt_file_kind(struct file *file, const char **why)
{
	struct inode *inode = file_inode(file);
	u32 kind;

	*why = NULL;
	if (file->f_mode & FMODE_PATH) {
		*why = "an O_PATH descriptor";
		return 0;
	}
	if (S_ISREG(inode->i_mode) && !(file->f_mode & FMODE_NOACCOUNT)) {
		if (ckpt_shmem_object(file))
			return CKPT_FILE_SHMEM;
		/* No name: none left, or the one it was opened by deleted. */
		if (!inode->i_nlink || d_unlinked(file->f_path.dentry))
			return CKPT_FILE_UNLINKED;
		return CKPT_FILE_REG;
	}
	if (S_ISDIR(inode->i_mode))
		return CKPT_FILE_DIR;
	if (ckpt_chrdev_ok(inode))
		return CKPT_FILE_CHR;
	kind = ckpt_tty_file_kind(file, why);
	if (kind || *why)
		return kind;
	if (S_ISFIFO(inode->i_mode) && get_pipe_info(file, false))
		return inode->i_sb->s_magic == PIPEFS_MAGIC ? CKPT_FILE_PIPE :
							      CKPT_FILE_FIFO;
	if (S_ISSOCK(inode->i_mode) && ckpt_socket_file(file))
		return CKPT_FILE_UNIX;
	kind = ckpt_event_file_kind(file, why);
	if (kind || *why)
		return kind;
	*why = ckpt_file_type(file);
	return 0;
}

static bool ckpt_kind_by_path(u32 kind)
{
	return kind == CKPT_FILE_REG || kind == CKPT_FILE_CHR ||
	       kind == CKPT_FILE_DIR || kind == CKPT_FILE_FIFO;
}

/*
 * The entry of the open file of descriptor @fd of @t: found, or checked
 * and added.  A file whose kind is not supported gets -EOPNOTSUPP and a
 * reason naming the task and descriptor.
 */
static struct ckpt_obj *ckpt_file_obj(struct ckpt_ctx *ctx,
				      struct task_struct *t, unsigned int fd,
				      struct file *file, char *buf)
{
	struct ckpt_obj *fobj;
	const char *why;
	char *name;
	u32 kind;
	int err;

	fobj = ckpt_obj_find(ctx, CKPT_OBJT_FILE, file);
	if (fobj)
		return fobj;
	why = ckpt_file_extras(file);
	if (why)
		return ERR_PTR(ckpt_task_err(ctx, t, -EOPNOTSUPP,
					     "fd %u: %s is not supported yet",
					     fd, why));

	kind = ckpt_file_kind(file, &why);
	if (!kind)
		return ERR_PTR(ckpt_task_err(ctx, t, -EOPNOTSUPP,
					     "fd %u: %s is not supported yet",
					     fd, why));
	if (ckpt_kind_by_path(kind)) {
		name = ckpt_path(&file->f_path, buf, PATH_MAX);
		if (IS_ERR(name))
			return ERR_PTR(ckpt_task_err(ctx, t, PTR_ERR(name),
						     "fd %u: the file is on no mounted file system the container can name: not supported",
						     fd));
	}
	if (kind == CKPT_FILE_SHMEM && ckpt_shmem_id(ctx, file) < 0)
		return ERR_PTR(ckpt_task_err(ctx, t, -EAGAIN,
					     "fd %u: a memfd opened during the checkpoint; try again",
					     fd));

	fobj = ckpt_obj_add(ctx, CKPT_OBJT_FILE, file, file);
	if (!fobj)
		return ERR_PTR(-ENOMEM);
	fobj->kind = kind;
	if (kind == CKPT_FILE_PIPE || kind == CKPT_FILE_FIFO) {
		err = ckpt_check_pipe(ctx, t, fd, fobj);
		if (err)
			return ERR_PTR(err);
	}
	if (kind == CKPT_FILE_UNIX) {
		err = ckpt_check_unix(ctx, t, fd, fobj);
		if (err)
			return ERR_PTR(err);
	}
	if (kind == CKPT_FILE_TTY) {
		err = ckpt_check_tty(ctx, t, fd, fobj);
		if (err)
			return ERR_PTR(err);
	}
	if (kind == CKPT_FILE_UNLINKED) {
		err = ckpt_check_unlinked(ctx, t, fd, fobj, buf);
		if (err)
			return ERR_PTR(err);
	}
	if (kind == CKPT_FILE_INOTIFY) {
		err = ckpt_check_inotify_file(ctx, t, fd, fobj);
		if (err)
			return ERR_PTR(err);
	} else if (ckpt_event_kind(kind)) {
		ckpt_check_event_file(ctx, t, fd, fobj);
	}
	return fobj;
}

/* One descriptor of a table being saved. */
struct ckpt_fdent {
	unsigned int fd;
	bool cloexec;
	struct file *file;
};

static void ckpt_put_fds(struct ckpt_fdent *fds, u32 nr)
{
	u32 i;

	for (i = 0; i < nr; i++)
		fput(fds[i].file);
	kvfree(fds);
}

/*
 * The descriptors of @files, each with a reference: the table may be
 * shared with a task outside (CKPT_CHECKPOINT_SUBTREE), so what is
 * written is one consistent list.
 */
static int ckpt_snapshot_fds(struct files_struct *files,
			     struct ckpt_fdent **out, u32 *nr)
{
	struct ckpt_fdent *fds = NULL;
	u32 n = 0, cap = 0;
	unsigned int fd = 0;
	struct file *file;

	for (;;) {
		struct fdtable *fdt;

		spin_lock(&files->file_lock);
		fdt = files_fdtable(files);
		file = NULL;
		/* Open bits of descriptors reserved but not yet installed too. */
		for (fd = find_next_bit(fdt->open_fds, fdt->max_fds, fd);
		     fd < fdt->max_fds;
		     fd = find_next_bit(fdt->open_fds, fdt->max_fds, fd + 1)) {
			file = files_lookup_fd_locked(files, fd);
			if (file) {
				get_file(file);
				break;
			}
		}
		if (!file) {
			spin_unlock(&files->file_lock);
			break;
		}
		if (n == cap) {
			struct ckpt_fdent *bigger;

			spin_unlock(&files->file_lock);
			cap = cap ? 2 * cap : 16;
			bigger = n >= CKPT_FDS_MAX ? NULL :
				 kvrealloc(fds, cap * sizeof(*fds), GFP_KERNEL);
			if (!bigger) {
				fput(file);
				ckpt_put_fds(fds, n);
				return n >= CKPT_FDS_MAX ? -EMFILE : -ENOMEM;
			}
			fds = bigger;
			spin_lock(&files->file_lock);
		}
		fds[n].fd = fd;
		fds[n].file = file;
		fds[n].cloexec = close_on_exec(fd, files);
		spin_unlock(&files->file_lock);
		n++;
		fd++;
		cond_resched();
	}
	*out = fds;
	*nr = n;
	return 0;
}

static struct files_struct *ckpt_get_task_files(struct task_struct *t)
{
	struct files_struct *files;

	task_lock(t);
	files = t->files;
	if (files)
		atomic_inc(&files->count);
	task_unlock(t);
	return files;
}

/**
 * ckpt_check_files - refuse descriptors this version cannot save
 * @ctx: the checkpoint.
 * @t: the task.
 *
 * Checks each file table and each open file once, and numbers nothing:
 * ids are given as the image is written.
 *
 * Return: 0, -EOPNOTSUPP with a reason, or a negative errno.
 */
int ckpt_check_files(struct ckpt_ctx *ctx, struct task_struct *t)
{
	struct files_struct *files;
	struct ckpt_fdent *fds;
	struct ckpt_obj *obj;
	u32 i, nr;
	char *buf;
	int err;

	files = ckpt_get_task_files(t);
	if (!files)
		return ckpt_task_err(ctx, t, -EBUSY, "the task is exiting");
	err = 0;
	if (ckpt_obj_find(ctx, CKPT_OBJT_FILES, files))
		goto out;
	err = -ENOMEM;
	if (!ckpt_obj_add(ctx, CKPT_OBJT_FILES, files, NULL))
		goto out;
	buf = kmalloc(PATH_MAX, GFP_KERNEL);
	err = buf ? ckpt_snapshot_fds(files, &fds, &nr) : -ENOMEM;
	if (err) {
		kfree(buf);
		if (err == -EMFILE)
			err = ckpt_task_err(ctx, t, -EOPNOTSUPP,
					    "more than %u open descriptors",
					    CKPT_FDS_MAX);
		goto out;
	}
	for (i = 0; !err && i < nr; i++) {
		obj = ckpt_file_obj(ctx, t, fds[i].fd, fds[i].file, buf);
		if (IS_ERR(obj))
			err = PTR_ERR(obj);
	}
	ckpt_put_fds(fds, nr);
	kfree(buf);
out:
	put_files_struct(files);
	return err;
}

/**
 * ckpt_check_file_objects - checks that need every open file found
 * @ctx: the checkpoint, after ckpt_check_files() for every task.
 *
 * Return: 0, or -EBUSY (or -EOPNOTSUPP) with a reason.
 */
int ckpt_check_file_objects(struct ckpt_ctx *ctx)
{
	return ckpt_check_pipes(ctx) ?: ckpt_check_unix_peers(ctx) ?:
	       ckpt_check_epolls(ctx) ?: ckpt_check_ttys(ctx);
}

/**
 * ckpt_write_file - write the FILE record of an open file, and what it needs
 * @ctx: the checkpoint.
 * @t: a task that has it open, for messages.
 * @fd: its descriptor there.
 * @fobj: its entry, not yet written.
 * @buf: PATH_MAX bytes for its path.
 *
 * Return: 0 or a negative errno.
 */
int ckpt_write_file(struct ckpt_ctx *ctx, struct task_struct *t,
		    unsigned int fd, struct ckpt_obj *fobj, char *buf)
{
	struct file *file = fobj->file;
	struct inode *inode = file_inode(file);
	struct ckpt_file rec = { .kind = fobj->kind };
	char *name = NULL;
	int err;

	if (fobj->pipe && !fobj->pipe->id) {
		err = ckpt_write_pipe(ctx, fobj->pipe);
		if (err)
			return err;
	}
	if (fobj->kind == CKPT_FILE_UNIX && !fobj->sock->id) {
		err = ckpt_write_unix(ctx, fobj->sock);
		if (err)
			return err;
	}
	if (fobj->kind == CKPT_FILE_TTY && !fobj->tty->id) {
		err = ckpt_write_tty(ctx, fobj->tty);
		if (err)
			return err;
	}
	if (fobj->kind == CKPT_FILE_UNLINKED && !fobj->unlinked->id) {
		err = ckpt_write_unlinked(ctx, fobj->unlinked, buf);
		if (err)
			return err;
	}
	if (fobj->kind == CKPT_FILE_EPOLL) {
		err = ckpt_write_epoll_targets(ctx, t, fobj, buf);
		if (err)
			return err;
	}
	rec.flags = file->f_flags & (O_ACCMODE | O_APPEND | O_NONBLOCK |
				     O_NOATIME | O_DIRECT | O_DSYNC | __O_SYNC |
				     O_LARGEFILE);
	switch (fobj->kind) {
	case CKPT_FILE_REG:
	case CKPT_FILE_DIR:
		rec.pos = READ_ONCE(file->f_pos);
		fallthrough;
	case CKPT_FILE_FIFO:
		rec.ino = inode->i_ino;
		rec.size = i_size_read(inode);
		rec.mtime_ns = ckpt_inode_mtime(inode);
		rec.obj = fobj->pipe ? fobj->pipe->id : 0;
		break;
	case CKPT_FILE_CHR:
		rec.rdev = ckpt_rdev(inode->i_rdev);
		break;
	case CKPT_FILE_PIPE:
		rec.obj = fobj->pipe->id;
		break;
	case CKPT_FILE_SHMEM:
		rec.pos = READ_ONCE(file->f_pos);
		rec.obj = ckpt_shmem_id(ctx, file);
		break;
	case CKPT_FILE_UNIX:
		rec.obj = fobj->sock->id;
		break;
	case CKPT_FILE_UNLINKED:
		rec.pos = READ_ONCE(file->f_pos);
		rec.obj = fobj->unlinked->id;
		break;
	case CKPT_FILE_TTY:
		rec.rdev = ckpt_rdev(inode->i_rdev);
		rec.obj = fobj->tty->id;
		break;
	}
	if (ckpt_kind_by_path(fobj->kind) ||
	    (fobj->kind == CKPT_FILE_TTY && rec.rdev != CKPT_TTY_RDEV_PTMX)) {
		name = ckpt_path(&file->f_path, buf, PATH_MAX);
		if (IS_ERR(name))
			return ckpt_task_err(ctx, t, PTR_ERR(name),
					     "fd %u: the file was deleted during the checkpoint",
					     fd);
		rec.path_len = strlen(name);
	}
	rec.id = ckpt_obj_number(ctx, fobj);
	err = ckpt_write_rec_tail(ctx, CKPT_REC_FILE, &rec, sizeof(rec), name,
				  rec.path_len);
	if (!err && fobj->kind == CKPT_FILE_INOTIFY)
		err = ckpt_write_inotify(ctx, t, fobj, buf);
	else if (!err)
		err = ckpt_write_event_file(ctx, fobj);
	if (!err)
		err = ckpt_write_file_locks(ctx, file, rec.id);
	return err;
}

/**
 * ckpt_write_files - write the task's FILES record and its descriptors
 * @ctx: the checkpoint.
 * @t: the task.
 *
 * Return: 0 or a negative errno.
 */
int ckpt_write_files(struct ckpt_ctx *ctx, struct task_struct *t)
{
	struct ckpt_files frec = { };
	struct files_struct *files;
	struct ckpt_fdent *fds;
	struct ckpt_obj *tobj;
	struct file **open;
	u32 i, nr, *ids;
	char *buf;
	int err;

	files = ckpt_get_task_files(t);
	if (!files)
		return ckpt_task_err(ctx, t, -EBUSY, "the task is exiting");
	tobj = ckpt_obj_find(ctx, CKPT_OBJT_FILES, files);
	if (!tobj)
		tobj = ckpt_obj_add(ctx, CKPT_OBJT_FILES, files, NULL);
	err = -ENOMEM;
	if (!tobj)
		goto out;
	if (tobj->id) {
		/* Saved with an earlier task. */
		frec.id = tobj->id;
		err = ckpt_write_rec(ctx, CKPT_REC_FILES, &frec, sizeof(frec));
		goto out;
	}
	buf = kmalloc(PATH_MAX, GFP_KERNEL);
	err = buf ? ckpt_snapshot_fds(files, &fds, &nr) : -ENOMEM;
	if (err) {
		kfree(buf);
		goto out;
	}
	open = kvmalloc_array(nr, sizeof(*open), GFP_KERNEL);
	ids = kvmalloc_array(nr, sizeof(*ids), GFP_KERNEL);
	if (nr && (!open || !ids)) {
		err = -ENOMEM;
		goto out_fds;
	}
	frec.id = ckpt_obj_number(ctx, tobj);
	frec.nr_fds = nr;
	err = ckpt_write_rec(ctx, CKPT_REC_FILES, &frec, sizeof(frec));
	for (i = 0; !err && i < nr; i++) {
		struct ckpt_fd rec = {
			.fd = fds[i].fd,
			.flags = fds[i].cloexec ? CKPT_FD_CLOEXEC : 0,
		};
		struct ckpt_obj *fobj;

		fobj = ckpt_file_obj(ctx, t, fds[i].fd, fds[i].file, buf);
		if (IS_ERR(fobj)) {
			err = PTR_ERR(fobj);
			break;
		}
		if (!fobj->id)
			err = ckpt_write_file(ctx, t, fds[i].fd, fobj, buf);
		rec.file = fobj->id;
		open[i] = fds[i].file;
		ids[i] = fobj->id;
		if (!err)
			err = ckpt_write_rec(ctx, CKPT_REC_FD, &rec, sizeof(rec));
		if (!err && fatal_signal_pending(current))
			err = -EINTR;
	}
	if (!err)
		err = ckpt_write_table_locks(ctx, files, open, ids, nr);
out_fds:
	kvfree(open);
	kvfree(ids);
	ckpt_put_fds(fds, nr);
	kfree(buf);
out:
	put_files_struct(files);
	return err;
}

/* Sets the status flags open() does not set: O_NONBLOCK, O_DIRECT... */
static int ckpt_set_fl(struct file *file, u32 flags)
{
	u32 mask = O_APPEND | O_NONBLOCK | O_NOATIME | O_DIRECT;

	if ((file->f_flags & mask) == (flags & mask))
		return 0;
	/* As fcntl(F_SETFL); on a pipe, O_DIRECT is packet mode. */
	if (flags & O_DIRECT && !(file->f_mode & FMODE_CAN_ODIRECT) &&
	    !S_ISFIFO(file_inode(file)->i_mode))
		return -EINVAL;
	spin_lock(&file->f_lock);
	file->f_flags = (file->f_flags & ~mask) | (flags & mask);
	spin_unlock(&file->f_lock);
	return 0;
}

static struct file *ckpt_open_path(struct ckpt_ctx *ctx,
				   const struct ckpt_file *rec, const char *path)
{
	struct inode *inode;
	struct file *file;
	int flags = rec->flags;
	loff_t pos;

	if (rec->kind == CKPT_FILE_DIR)
		flags |= O_DIRECTORY;
	file = file_open_root(&ctx->ns_root, path, flags, 0);
	if (IS_ERR(file)) {
		ckpt_log(ctx, "file %u: cannot open %s (error %ld)", rec->id,
			 path, PTR_ERR(file));
		return file;
	}
	inode = file_inode(file);
	if (rec->kind == CKPT_FILE_CHR) {
		if (!S_ISCHR(inode->i_mode) ||
		    ckpt_rdev(inode->i_rdev) != rec->rdev) {
			ckpt_log(ctx, "file %u: %s is not the device it was",
				 rec->id, path);
			fput(file);
			return ERR_PTR(-ESTALE);
		}
		return file;
	}
	if (rec->kind == CKPT_FILE_REG && !S_ISREG(inode->i_mode)) {
		ckpt_log(ctx, "file %u: %s is no longer a regular file",
			 rec->id, path);
		fput(file);
		return ERR_PTR(-ESTALE);
	}
	if (!(ctx->flags & CKPT_RESTART_FILES_CHANGED) &&
	    ckpt_file_changed(ctx, inode, rec->ino, rec->size, rec->mtime_ns)) {
		ckpt_log(ctx,
			 "file %u: %s changed since the checkpoint (inode, size or mtime); restart with CKPT_RESTART_FILES_CHANGED to accept it",
			 rec->id, path);
		fput(file);
		return ERR_PTR(-ESTALE);
	}
	pos = vfs_llseek(file, rec->pos, SEEK_SET);
	if (pos != rec->pos) {
		ckpt_log(ctx, "file %u: cannot seek %s to %lld", rec->id, path,
			 rec->pos);
		fput(file);
		return ERR_PTR(pos < 0 ? pos : -EINVAL);
	}
	return file;
}

/**
 * ckpt_reopen - open again a file the restart made, for a FILE record
 * @ctx: the restart.
 * @rec: the FILE record, valid.
 * @made: the file the restart made (a memfd, a file with no name), or
 *	NULL if @rec names none.
 * @what: what @rec.obj numbers, for messages.
 *
 * With the checks of opening it by path, as the caller; at its offset.
 *
 * Return: the open file, or an ERR_PTR() with a reason.
 */
struct file *ckpt_reopen(struct ckpt_ctx *ctx, const struct ckpt_file *rec,
			 struct file *made, const char *what)
{
	struct file *file;
	loff_t pos;
	int err;

	if (!made)
		return ERR_PTR(ckpt_err(ctx, -EINVAL,
					"file %u: %s %u does not exist",
					rec->id, what, rec->obj));
	err = inode_permission(file_mnt_idmap(made), file_inode(made),
			       ACC_MODE(rec->flags));
	file = err ? ERR_PTR(err) :
	       dentry_open(&made->f_path, rec->flags, current_cred());
	if (IS_ERR(file))
		return ERR_PTR(ckpt_err(ctx, PTR_ERR(file),
					"file %u: cannot open %s %u", rec->id,
					what, rec->obj));
	pos = vfs_llseek(file, rec->pos, SEEK_SET);
	if (pos != rec->pos) {
		fput(file);
		return ERR_PTR(ckpt_err(ctx, pos < 0 ? pos : -EINVAL,
					"file %u: cannot seek to %lld", rec->id,
					rec->pos));
	}
	return file;
}

/* A memfd or deleted tmpfs file, opened again on its object. */
static struct file *ckpt_open_shmem(struct ckpt_ctx *ctx,
				    const struct ckpt_file *rec)
{
	struct file *shm = ckpt_shmem_file(ctx, rec->obj);
	struct file *file = ckpt_reopen(ctx, rec, shm,
					"shared memory object");

	if (shm)
		fput(shm);
	return file;
}

/* A FILE record: the open file is made and numbered. */
static int ckpt_restore_file(struct ckpt_ctx *ctx, const struct ckpt_rec *hdr)
{
	struct ckpt_file rec;
	struct file *file;
	char *path = NULL;
	u32 tail;
	int err;

	err = ckpt_read_rec_body(ctx, hdr, &rec, sizeof(rec), &tail);
	if (err)
		return err;
	if (ckpt_check_file(&rec) || tail != rec.path_len ||
	    rec.id != ctx->robjs[CKPT_OBJT_FILE].nr + 1)
		return ckpt_err(ctx, -EINVAL, "malformed FILE record (file %u)",
				rec.id);
	switch (rec.kind) {
	case CKPT_FILE_PIPE:
		file = ckpt_pipe_end(ctx, &rec);
		break;
	case CKPT_FILE_FIFO:
		err = ckpt_read_string(ctx, rec.path_len, &path);
		if (err)
			return err;
		file = ckpt_open_fifo(ctx, &rec, path);
		kfree(path);
		break;
	case CKPT_FILE_SHMEM:
		file = ckpt_open_shmem(ctx, &rec);
		break;
	case CKPT_FILE_UNLINKED:
		file = ckpt_unlinked_file(ctx, &rec);
		break;
	case CKPT_FILE_UNIX:
		file = ckpt_unix_file(ctx, &rec);
		break;
	case CKPT_FILE_TTY:
		if (rec.path_len) {
			err = ckpt_read_string(ctx, rec.path_len, &path);
			if (err)
				return err;
		}
		file = ckpt_tty_file(ctx, &rec, path);
		kfree(path);
		break;
	case CKPT_FILE_EVENTFD:
	case CKPT_FILE_SIGNALFD:
	case CKPT_FILE_TIMERFD:
	case CKPT_FILE_EPOLL:
	case CKPT_FILE_INOTIFY:
		file = ckpt_restore_event_file(ctx, &rec);
		break;
	default:
		err = ckpt_read_string(ctx, rec.path_len, &path);
		if (err)
			return err;
		file = ckpt_open_path(ctx, &rec, path);
		kfree(path);
		break;
	}
	if (IS_ERR(file))
		return PTR_ERR(file);
	err = ckpt_set_fl(file, rec.flags);
	if (err) {
		fput(file);
		return ckpt_err(ctx, err, "file %u: cannot set flags %#x",
				rec.id, rec.flags);
	}
	err = ckpt_robj_add(ctx, CKPT_OBJT_FILE, rec.id, file);
	if (err)
		fput(file);
	return err;
}

/* Takes on a file table restored by an earlier task, as CLONE_FILES. */
static void ckpt_share_files(struct files_struct *files)
{
	struct files_struct *old;

	atomic_inc(&files->count);
	task_lock(current);
	old = current->files;
	current->files = files;
	task_unlock(current);
	put_files_struct(old);
}

static int ckpt_restore_fd(struct ckpt_ctx *ctx, const struct ckpt_rec *hdr,
			   int *last_fd)
{
	struct ckpt_fd rec;
	struct file *file;
	int err;

	err = ckpt_read_rec_body(ctx, hdr, &rec, sizeof(rec), NULL);
	if (err)
		return err;
	if (rec.fd <= *last_fd || rec.flags & ~CKPT_FD_CLOEXEC || rec.pad)
		return ckpt_err(ctx, -EINVAL, "malformed FD record (fd %d)",
				rec.fd);
	*last_fd = rec.fd;
	file = ckpt_robj_get(ctx, CKPT_OBJT_FILE, rec.file);
	if (!file)
		return ckpt_err(ctx, -EINVAL, "fd %d: open file %u does not exist",
				rec.fd, rec.file);
	err = replace_fd(rec.fd, file,
			 rec.flags & CKPT_FD_CLOEXEC ? O_CLOEXEC : 0);
	if (err < 0)
		return ckpt_err(ctx, err, "fd %d: cannot install it (RLIMIT_NOFILE?)",
				rec.fd);
	return 0;
}

/* Takes the locks of the LOCK records that follow; reads the next header. */
static int ckpt_restore_locks(struct ckpt_ctx *ctx, struct ckpt_rec *next,
			      u32 file_id)
{
	u32 n = 0;
	int err;

	for (;;) {
		err = ckpt_read_rec_type(ctx, next);
		if (err || next->type != CKPT_REC_LOCK)
			return err;
		if (++n > CKPT_LOCKS_MAX)
			return ckpt_err(ctx, -EINVAL, "more than %u LOCK records",
					CKPT_LOCKS_MAX);
		err = ckpt_restore_lock(ctx, next, file_id);
		if (err)
			return err;
	}
}

/**
 * ckpt_restore_files - read the FILES record and install the descriptors
 * @ctx: the restart.
 * @next: the FILES record's header, already read; set to the header of
 *	the record after the task's file table.
 *
 * Context: the new task, with an empty file table of its own.
 * Return: 0 or a negative errno.
 */
int ckpt_restore_files(struct ckpt_ctx *ctx, struct ckpt_rec *next)
{
	struct ckpt_robjs *tables = &ctx->robjs[CKPT_OBJT_FILES];
	struct files_struct *shared;
	struct ckpt_files frec;
	int last_fd = -1;
	u32 i;
	int err;

	if (next->type != CKPT_REC_FILES)
		return ckpt_err(ctx, -EINVAL,
				"record %u where a FILES record was expected",
				next->type);
	err = ckpt_read_rec_body(ctx, next, &frec, sizeof(frec), NULL);
	if (err)
		return err;
	shared = ckpt_robj_get(ctx, CKPT_OBJT_FILES, frec.id);
	if (shared) {
		if (frec.nr_fds)
			return ckpt_err(ctx, -EINVAL,
					"malformed FILES record (table %u)",
					frec.id);
		ckpt_share_files(shared);
		return ckpt_read_rec_type(ctx, next);
	}
	if (frec.id != tables->nr + 1 || frec.nr_fds > CKPT_FDS_MAX)
		return ckpt_err(ctx, -EINVAL, "malformed FILES record (table %u)",
				frec.id);

	for (i = 0; i < frec.nr_fds; i++) {
		struct ckpt_rec hdr;

		/*
		 * [PIPE PIPE_BUF... | UNIX [UNIX] UNIX_SKB... |
		 *  UNIX_GROUP UNIX... UNIX_SKB... | TTY TTY_BUF TTY_BUF |
		 *  UNLINKED PAGES...] [FILE] FD,
		 * where the FILE records of the files an epoll file watches
		 * (and the PIPE and UNIX records they need) come before its
		 * own.
		 */
		err = ckpt_read_rec_type(ctx, &hdr);
		while (!err && (hdr.type == CKPT_REC_PIPE ||
				hdr.type == CKPT_REC_UNIX ||
				hdr.type == CKPT_REC_UNIX_GROUP ||
				hdr.type == CKPT_REC_TTY ||
				hdr.type == CKPT_REC_UNLINKED ||
				hdr.type == CKPT_REC_FILE)) {
			if (hdr.type != CKPT_REC_FILE) {
				/* A FILE of the pipe, socket, pty or file follows. */
				err = hdr.type == CKPT_REC_PIPE ?
				      ckpt_restore_pipe(ctx, &hdr) :
				      hdr.type == CKPT_REC_UNIX ?
				      ckpt_restore_unix(ctx, &hdr) :
				      hdr.type == CKPT_REC_UNIX_GROUP ?
				      ckpt_restore_unix_group(ctx, &hdr) :
				      hdr.type == CKPT_REC_TTY ?
				      ckpt_restore_tty(ctx, &hdr) :
				      ckpt_restore_unlinked(ctx, &hdr);
				if (!err)
					err = ckpt_read_rec_type(ctx, &hdr);
				if (!err && hdr.type != CKPT_REC_FILE)
					err = ckpt_err(ctx, -EINVAL,
						       "record %u where a FILE record was expected",
						       hdr.type);
				if (err)
					break;
			}
			err = ckpt_restore_file(ctx, &hdr);
			/* The LOCK records of that open file, if any. */
			if (!err)
				err = ckpt_restore_locks(ctx, &hdr,
							 ctx->robjs[CKPT_OBJT_FILE].nr);
		}
		if (!err && hdr.type != CKPT_REC_FD)
			err = ckpt_err(ctx, -EINVAL,
				       "record %u where an FD record was expected",
				       hdr.type);
		if (!err)
			err = ckpt_restore_fd(ctx, &hdr, &last_fd);
		if (err)
			return err;
	}
	atomic_inc(&current->files->count);
	err = ckpt_robj_add(ctx, CKPT_OBJT_FILES, frec.id, current->files);
	if (err) {
		put_files_struct(current->files);
		return err;
	}
	return ckpt_restore_locks(ctx, next, 0);
}
