// SPDX-License-Identifier: GPL-2.0-only
/*
 * ckpt: inotify instances.
 *
 * An inotify instance is an open file (FILE record of kind INOTIFY)
 * followed by an INOTIFY record, one INOTIFY_WATCH record per watch, in
 * increasing watch descriptor order, and one INOTIFY_EVENT record per
 * event queued and not yet read, in reading order.
 *
 * A watch is on an inode; the image names it by a path from the root of
 * the container's mount namespace, found from a name of the inode in the
 * dentry cache and a mount of the container on its file system, and
 * checked by looking it up again.  A watched inode with no name (deleted,
 * still open somewhere) or out of the container's mount view is refused.
 *
 * Programs keep watch descriptors in tables: each watch comes back with
 * its number, and the next inotify_add_watch() goes on from where the
 * instance's cyclic allocation was (patch 0013 reads and sets the cursor).
 * The events are queued again as read() would have given them, an
 * IN_Q_OVERFLOW included, within the new instance's max_queued_events.
 *
 * Restart makes the instance in the restarted task, through the function
 * behind inotify_init1(), and queues its events at once; the watches are
 * added by the coordinator once every task has its files (ckpt_restore_
 * inotify_finish()), with the caller's credentials and inotify_add_watch()'s
 * checks: read permission on the file, the security hook, and
 * max_user_watches.  Adding them last keeps the restart's own opening of
 * files (descriptors, mappings, tmpfs contents) out of the queues.
 */

#include <linux/ckpt.h>
#include <linux/dcache.h>
#include <linux/fdtable.h>
#include <linux/file.h>
#include <linux/fs.h>
#include <linux/inotify.h>
#include <linux/mount.h>
#include <linux/namei.h>
#include <linux/slab.h>
#include <linux/sort.h>
#include <linux/xarray.h>

#include "internal.h"

/**
 * ckpt_check_inotify - validate an INOTIFY record
 * @in: the record.
 *
 * Return: 0 or -EINVAL.
 */
int ckpt_check_inotify(const struct ckpt_inotify *in)
{
	if (in->nr_watches > CKPT_INOTIFY_WATCHES_MAX ||
	    in->nr_events > CKPT_INOTIFY_EVENTS_MAX ||
	    in->next_wd > (u32)INT_MAX + 1 || in->pad)
		return -EINVAL;
	return 0;
}

/**
 * ckpt_check_inotify_watch - validate an INOTIFY_WATCH record
 * @w: the record.
 * @prev_wd: the watch descriptor of the watch before, 0 for the first.
 *
 * Return: 0 or -EINVAL.
 */
int ckpt_check_inotify_watch(const struct ckpt_inotify_watch *w, s32 prev_wd)
{
	if (w->wd < 1 || w->wd <= prev_wd ||
	    w->mask & ~CKPT_INOTIFY_WATCH_MASK || !w->path_len ||
	    w->path_len >= CKPT_PATH_MAX || w->pad)
		return -EINVAL;
	return 0;
}

/**
 * ckpt_check_inotify_event - validate an INOTIFY_EVENT record
 * @e: the record.
 *
 * Return: 0 or -EINVAL.
 */
int ckpt_check_inotify_event(const struct ckpt_inotify_event *e)
{
	if (e->mask & ~CKPT_INOTIFY_EVENT_MASK || e->name_len > NAME_MAX)
		return -EINVAL;
	if (e->mask & IN_Q_OVERFLOW)
		return e->mask != IN_Q_OVERFLOW || e->wd != -1 || e->cookie ||
		       e->name_len ? -EINVAL : 0;
	return e->wd < 1 || !e->mask ? -EINVAL : 0;
}

/**
 * ckpt_check_inotify_name - validate the name of an INOTIFY_EVENT record
 * @name: its @len bytes.
 * @len: 1 to NAME_MAX.
 *
 * Return: 0, or -EINVAL if it holds a '/' or a NUL.
 */
int ckpt_check_inotify_name(const char *name, u32 len)
{
	if (!len || len > NAME_MAX || memchr(name, '/', len) ||
	    memchr(name, '\0', len))
		return -EINVAL;
	return 0;
}

/* Checkpoint */

/**
 * ckpt_inotify_file - is @file an inotify instance?
 * @file: an anonymous file.
 *
 * Return: true if it is.
 */
bool ckpt_inotify_file(struct file *file)
{
	u32 next;

	return IS_ENABLED(CONFIG_INOTIFY_USER) &&
	       inotify_ckpt_watches(file, NULL, 0, &next) >= 0;
}

static void ckpt_inotify_put_watches(struct inotify_ckpt_watch *w, int nr)
{
	int i;

	for (i = 0; i < nr; i++)
		iput(w[i].inode);
	kvfree(w);
}

static int ckpt_inotify_cmp_wd(const void *a, const void *b)
{
	const struct inotify_ckpt_watch *x = a, *y = b;

	return x->wd < y->wd ? -1 : x->wd > y->wd;
}

/* The watches of @file in wd order, each with a reference on its inode. */
static int ckpt_inotify_snapshot(struct file *file,
				 struct inotify_ckpt_watch **out, u32 *next_wd)
{
	struct inotify_ckpt_watch *w;
	int n, max;

	if (!IS_ENABLED(CONFIG_INOTIFY_USER))
		return -EINVAL;
	n = inotify_ckpt_watches(file, NULL, 0, next_wd);
	for (;;) {
		if (n < 0)
			return n;
		if (n > CKPT_INOTIFY_WATCHES_MAX)
			return -E2BIG;
		max = n;
		w = kvcalloc(max ?: 1, sizeof(*w), GFP_KERNEL);
		if (!w)
			return -ENOMEM;
		n = inotify_ckpt_watches(file, w, max, next_wd);
		if (n <= max)
			break;
		/* Watches were added meanwhile (by a task outside). */
		ckpt_inotify_put_watches(w, max);
	}
	sort(w, n, sizeof(*w), ckpt_inotify_cmp_wd, NULL);
	*out = w;
	return n;
}

/* The events queued on @file, in reading order. */
static int ckpt_inotify_events(struct file *file,
			       struct inotify_ckpt_event **out)
{
	struct inotify_ckpt_event *ev;
	int n, max;

	n = inotify_ckpt_events(file, NULL, 0);
	for (;;) {
		if (n < 0)
			return n;
		if (n > CKPT_INOTIFY_EVENTS_MAX)
			return -E2BIG;
		max = n;
		ev = kvcalloc(max ?: 1, sizeof(*ev), GFP_KERNEL);
		if (!ev)
			return -ENOMEM;
		n = inotify_ckpt_events(file, ev, max);
		if (n <= max)
			break;
		kvfree(ev);
	}
	*out = ev;
	return n;
}

/*
 * The path of @inode from the root of the mount namespace whose mounts
 * are @mnts (the root first), in @buf; an ERR_PTR(-ENOENT) if it has no
 * name, -EXDEV if no name of it leads back to it in that mount view.
 */
static char *ckpt_inotify_path(struct ckpt_mnt_info *mnts, int nr,
			       struct inode *inode, char *buf)
{
	char *name = ERR_PTR(-EXDEV);
	struct dentry *alias;
	struct path found;
	int i;

	alias = d_find_alias(inode);
	if (!alias || d_unlinked(alias)) {
		dput(alias);
		return ERR_PTR(-ENOENT);
	}
	/* The deepest mounts come last: try them first. */
	for (i = nr - 1; i >= 0; i--) {
		struct path p = { .mnt = mnts[i].root.mnt, .dentry = alias };
		bool same;

		if (p.mnt->mnt_sb != inode->i_sb ||
		    !is_subdir(alias, mnts[i].root.dentry))
			continue;
		name = ckpt_path(&p, buf, PATH_MAX);
		if (IS_ERR(name))
			continue;
		/* Restart looks it up so: no mount hides it. */
		if (vfs_path_lookup(mnts[0].root.dentry, mnts[0].root.mnt, name,
				    0, &found)) {
			name = ERR_PTR(-EXDEV);
			continue;
		}
		same = d_inode(found.dentry) == inode;
		path_put(&found);
		if (same)
			break;
		name = ERR_PTR(-EXDEV);
	}
	dput(alias);
	return IS_ERR(name) ? ERR_PTR(-EXDEV) : name;
}

/*
 * Checks (@buf NULL) or writes the watches @w of the inotify instance of
 * descriptor @fd of @t; refuses a watch whose file has no path.
 */
static int ckpt_inotify_walk(struct ckpt_ctx *ctx, struct task_struct *t,
			     unsigned int fd, struct inotify_ckpt_watch *w,
			     int nr, char *buf)
{
	struct ckpt_mnt_info *mnts;
	char *name, *tmp = buf;
	int i, n, err = 0;

	n = ckpt_task_mounts(t, &mnts);
	if (n < 0)
		return ckpt_task_err(ctx, t, n, "cannot read its mount namespace");
	if (!buf)
		tmp = kmalloc(PATH_MAX, GFP_KERNEL);
	if (!tmp)
		err = -ENOMEM;
	for (i = 0; !err && i < nr; i++) {
		struct ckpt_inotify_watch rec = {
			.wd = w[i].wd,
			.mask = w[i].mask,
		};

		if (!w[i].inode) {
			err = ckpt_task_err(ctx, t, -EBUSY,
					    "fd %u: the file of inotify watch %d is being freed; try again",
					    fd, w[i].wd);
			break;
		}
		name = n ? ckpt_inotify_path(mnts, n, w[i].inode, tmp) :
		       ERR_PTR(-EXDEV);
		if (IS_ERR(name)) {
			err = ckpt_task_err(ctx, t, -EOPNOTSUPP,
					    "fd %u: inotify watch %d is on a file %s: not supported",
					    fd, w[i].wd,
					    PTR_ERR(name) == -ENOENT ?
					    "that was deleted (it has no name left)" :
					    "out of the container's mount view");
			break;
		}
		if (!buf)
			continue;
		rec.path_len = strlen(name);
		err = ckpt_write_rec_tail(ctx, CKPT_REC_INOTIFY_WATCH, &rec,
					  sizeof(rec), name, rec.path_len);
	}
	if (!buf)
		kfree(tmp);
	ckpt_put_mnt_info(mnts, n);
	return err;
}

/**
 * ckpt_check_inotify_file - check the watches of an inotify instance
 * @ctx: the checkpoint.
 * @t: a task that has it open.
 * @fd: its descriptor there.
 * @fobj: the open file's new entry.
 *
 * Return: 0, or -EOPNOTSUPP (or -EBUSY) with a reason naming @t and @fd.
 */
int ckpt_check_inotify_file(struct ckpt_ctx *ctx, struct task_struct *t,
			    unsigned int fd, struct ckpt_obj *fobj)
{
	struct inotify_ckpt_watch *w;
	u32 next_wd;
	int nr, err;

	fobj->pid = task_pid_nr_ns(t, ctx->pidns);
	fobj->fd = fd;
	nr = ckpt_inotify_snapshot(fobj->file, &w, &next_wd);
	if (nr < 0)
		return ckpt_task_err(ctx, t, nr == -E2BIG ? -EOPNOTSUPP : nr,
				     "fd %u: cannot read its inotify watches (more than %u?)",
				     fd, CKPT_INOTIFY_WATCHES_MAX);
	err = ckpt_inotify_walk(ctx, t, fd, w, nr, NULL);
	ckpt_inotify_put_watches(w, nr);
	return err;
}

/**
 * ckpt_write_inotify - write the records that follow an inotify FILE record
 * @ctx: the checkpoint.
 * @t: a task that has it open: its mount view names the watched files.
 * @fobj: the open file's entry, just written.
 * @buf: PATH_MAX bytes for paths.
 *
 * Return: 0 or a negative errno.
 */
int ckpt_write_inotify(struct ckpt_ctx *ctx, struct task_struct *t,
		       struct ckpt_obj *fobj, char *buf)
{
	struct inotify_ckpt_event *ev = NULL;
	struct inotify_ckpt_watch *w;
	struct ckpt_inotify rec = { };
	int i, nr, nr_ev, err;

	if (!IS_ENABLED(CONFIG_INOTIFY_USER))
		return -EINVAL;
	nr = ckpt_inotify_snapshot(fobj->file, &w, &rec.next_wd);
	if (nr < 0)
		return ckpt_err(ctx, nr, "task %d: fd %u: cannot read its inotify watches",
				fobj->pid, fobj->fd);
	nr_ev = ckpt_inotify_events(fobj->file, &ev);
	if (nr_ev < 0) {
		ckpt_inotify_put_watches(w, nr);
		return ckpt_err(ctx, nr_ev == -E2BIG ? -EOPNOTSUPP : nr_ev,
				"task %d: fd %u: cannot read its inotify events (more than %u?)",
				fobj->pid, fobj->fd, CKPT_INOTIFY_EVENTS_MAX);
	}
	rec.nr_watches = nr;
	rec.nr_events = nr_ev;
	err = ckpt_write_rec(ctx, CKPT_REC_INOTIFY, &rec, sizeof(rec));
	if (!err)
		err = ckpt_inotify_walk(ctx, t, fobj->fd, w, nr, buf);
	for (i = 0; !err && i < nr_ev; i++) {
		struct ckpt_inotify_event e = {
			.wd = ev[i].wd,
			.mask = ev[i].mask,
			.cookie = ev[i].cookie,
			.name_len = ev[i].name_len,
		};

		err = ckpt_write_rec_tail(ctx, CKPT_REC_INOTIFY_EVENT, &e,
					  sizeof(e), ev[i].name, e.name_len);
	}
	kvfree(ev);
	ckpt_inotify_put_watches(w, nr);
	return err;
}

/* Restart */

/**
 * struct ckpt_rinotify - restart: an inotify instance whose watches wait
 * @next: the next one.
 * @file: the instance, with a reference.
 * @id: its FILE record's id, for messages.
 * @next_wd: its INOTIFY record's @next_wd.
 * @nr: number of watches read.
 * @w: the watches, in wd order; grown as they are read, so that a count
 *	in a crafted image allocates nothing by itself.
 */
struct ckpt_rinotify {
	struct ckpt_rinotify *next;
	struct file *file;
	u32 id;
	u32 next_wd;
	u32 nr;
	struct ckpt_rinotify_watch {
		s32 wd;
		u32 mask;
		char *path;
	} *w;
};

static void ckpt_rinotify_free(struct ckpt_rinotify *ri)
{
	u32 i;

	for (i = 0; i < ri->nr; i++)
		kfree(ri->w[i].path);
	kvfree(ri->w);
	if (ri->file)
		fput(ri->file);
	kfree(ri);
}

/* Is @wd the descriptor of one of the @nr watches @w (in wd order)? */
static bool ckpt_rinotify_has(const struct ckpt_rinotify *ri, s32 wd)
{
	u32 lo = 0, hi = ri->nr;

	while (lo < hi) {
		u32 mid = lo + (hi - lo) / 2;

		if (ri->w[mid].wd == wd)
			return true;
		if (ri->w[mid].wd < wd)
			lo = mid + 1;
		else
			hi = mid;
	}
	return false;
}

static int ckpt_read_inotify_watches(struct ckpt_ctx *ctx,
				     struct ckpt_rinotify *ri, u32 nr)
{
	struct ckpt_rinotify_watch *rw;
	u32 tail, cap = 0;
	s32 prev = 0;
	int err;

	for (ri->nr = 0; ri->nr < nr; ri->nr++) {
		struct ckpt_inotify_watch w;

		if (ri->nr == cap) {
			cap = min(nr, max(2 * cap, 16U));
			rw = kvrealloc(ri->w, array_size(cap, sizeof(*rw)),
				       GFP_KERNEL);
			if (!rw)
				return -ENOMEM;
			ri->w = rw;
		}
		rw = &ri->w[ri->nr];
		rw->path = NULL;
		err = ckpt_read_rec(ctx, CKPT_REC_INOTIFY_WATCH, &w, sizeof(w),
				    &tail);
		if (err)
			return err;
		if (ckpt_check_inotify_watch(&w, prev) || tail != w.path_len)
			return ckpt_err(ctx, -EINVAL,
					"malformed INOTIFY_WATCH record (file %u, wd %d)",
					ri->id, w.wd);
		err = ckpt_read_string(ctx, w.path_len, &rw->path);
		if (err)
			return err;
		rw->wd = w.wd;
		rw->mask = w.mask;
		prev = w.wd;
	}
	return 0;
}

/*
 * Queues the @nr events that follow.  An event of a wd that is no watch
 * of the instance must be of one removed since: an IN_IGNORED event of it
 * (or an overflow, which may have taken its place) comes later.
 */
static int ckpt_read_inotify_events(struct ckpt_ctx *ctx,
				    struct ckpt_rinotify *ri, u32 nr)
{
	struct inotify_ckpt_event *ev;
	struct xarray gone;
	bool overflow = false;
	unsigned long wd;
	void *entry;
	u32 i, tail;
	int err = 0;

	ev = kmalloc(sizeof(*ev), GFP_KERNEL);
	if (!ev)
		return -ENOMEM;
	xa_init(&gone);
	for (i = 0; !err && i < nr; i++) {
		struct ckpt_inotify_event e;

		err = ckpt_read_rec(ctx, CKPT_REC_INOTIFY_EVENT, &e, sizeof(e),
				    &tail);
		if (err)
			break;
		if (ckpt_check_inotify_event(&e) || tail != e.name_len ||
		    (e.mask == IN_Q_OVERFLOW && overflow)) {
			err = ckpt_err(ctx, -EINVAL,
				       "malformed INOTIFY_EVENT record (file %u, event %u)",
				       ri->id, i);
			break;
		}
		err = e.name_len ? ckpt_read(ctx, ev->name, e.name_len) : 0;
		if (err)
			break;
		if (e.name_len && ckpt_check_inotify_name(ev->name, e.name_len)) {
			err = ckpt_err(ctx, -EINVAL,
				       "malformed INOTIFY_EVENT record (file %u, event %u): bad name",
				       ri->id, i);
			break;
		}
		ev->wd = e.wd;
		ev->mask = e.mask;
		ev->cookie = e.cookie;
		ev->name_len = e.name_len;
		ev->name[e.name_len] = '\0';
		if (e.mask == IN_Q_OVERFLOW) {
			overflow = true;
			xa_destroy(&gone);
		} else if (e.mask & IN_IGNORED) {
			xa_erase(&gone, e.wd);
		} else if (!ckpt_rinotify_has(ri, e.wd)) {
			err = xa_err(xa_store(&gone, e.wd, xa_mk_value(1),
					      GFP_KERNEL));
			if (err)
				break;
		}
		err = inotify_ckpt_queue_event(ri->file, ev);
		if (err == -ENOSPC)
			err = ckpt_err(ctx, -ENOSPC,
				       "file %u: %u inotify events queued, more than fs.inotify.max_queued_events allows",
				       ri->id, nr);
		else if (err)
			err = ckpt_err(ctx, err,
				       "file %u: cannot queue inotify event %u (error %d)",
				       ri->id, i, err);
		if (!err && fatal_signal_pending(current))
			err = -EINTR;
	}
	xa_for_each(&gone, wd, entry) {
		if (!err)
			err = ckpt_err(ctx, -EINVAL,
				       "file %u: an inotify event of wd %lu, which is no watch and is not removed later",
				       ri->id, wd);
		break;
	}
	xa_destroy(&gone);
	kfree(ev);
	return err;
}

/**
 * ckpt_restore_inotify - make the inotify instance of a FILE record
 * @ctx: the restart.
 * @rec: a valid FILE record of kind INOTIFY; its INOTIFY record comes next.
 *
 * Queues its events; its watches wait for ckpt_restore_inotify_finish().
 *
 * Context: the restarted task, with its own file table.
 * Return: the file, with a reference for the caller, or an ERR_PTR().
 */
struct file *ckpt_restore_inotify(struct ckpt_ctx *ctx,
				  const struct ckpt_file *rec)
{
	struct ckpt_rinotify *ri;
	struct ckpt_inotify in;
	struct file *file;
	int err, fd;

	err = ckpt_read_rec(ctx, CKPT_REC_INOTIFY, &in, sizeof(in), NULL);
	if (err)
		return ERR_PTR(err);
	if (ckpt_check_inotify(&in))
		return ERR_PTR(ckpt_err(ctx, -EINVAL,
					"malformed INOTIFY record (file %u)", rec->id));
	if (!IS_ENABLED(CONFIG_INOTIFY_USER))
		return ERR_PTR(ckpt_err(ctx, -EOPNOTSUPP,
					"file %u: inotify is not configured", rec->id));
	ri = kzalloc(sizeof(*ri), GFP_KERNEL);
	if (!ri)
		return ERR_PTR(-ENOMEM);
	ri->id = rec->id;
	ri->next_wd = in.next_wd;
	fd = inotify_ckpt_init();
	if (fd < 0) {
		kfree(ri);
		return ERR_PTR(ckpt_err(ctx, fd,
					"file %u: cannot make an inotify instance (error %d; fs.inotify.max_user_instances?)",
					rec->id, fd));
	}
	file = fget(fd);
	close_fd(fd);
	if (!file) {
		kfree(ri);
		return ERR_PTR(-EBADF);
	}
	ri->file = get_file(file);
	err = ckpt_read_inotify_watches(ctx, ri, in.nr_watches);
	if (!err)
		err = ckpt_read_inotify_events(ctx, ri, in.nr_events);
	if (err) {
		ckpt_rinotify_free(ri);
		fput(file);
		return ERR_PTR(err);
	}
	ri->next = ctx->rinotify;
	ctx->rinotify = ri;
	return file;
}

static int ckpt_rinotify_add(struct ckpt_ctx *ctx, struct ckpt_rinotify *ri)
{
	struct path p;
	int err;
	u32 i;

	for (i = 0; i < ri->nr; i++) {
		struct ckpt_rinotify_watch *rw = &ri->w[i];

		/* The file itself: a symbolic link is not followed. */
		err = vfs_path_lookup(ctx->ns_root.dentry, ctx->ns_root.mnt,
				      rw->path, 0, &p);
		if (!err) {
			err = inotify_ckpt_add_watch(ri->file, &p, rw->mask,
						     rw->wd);
			path_put(&p);
		}
		if (err)
			return ckpt_err(ctx, err,
					"file %u: cannot add inotify watch %d on %s (error %d%s)",
					ri->id, rw->wd, rw->path, err,
					err == -ENOSPC ? ": fs.inotify.max_user_watches?" :
					err == -EEXIST ? ": the file is watched twice" :
					err == -ENOENT ? ": not found" : "");
		if (fatal_signal_pending(current))
			return -EINTR;
	}
	return inotify_ckpt_set_next_wd(ri->file, ri->next_wd);
}

/**
 * ckpt_restore_inotify_finish - add the watches of every inotify instance
 * @ctx: the restart, every task's files made.
 *
 * Context: the coordinator, with the caller's credentials.
 * Return: 0 or a negative errno, with a reason.
 */
int ckpt_restore_inotify_finish(struct ckpt_ctx *ctx)
{
	struct ckpt_rinotify *ri;
	int err;

	if (!IS_ENABLED(CONFIG_INOTIFY_USER))
		return 0;
	for (ri = ctx->rinotify; ri; ri = ri->next) {
		err = ckpt_rinotify_add(ctx, ri);
		if (err)
			return err;
	}
	return 0;
}

/**
 * ckpt_release_inotify - forget the inotify instances of a restart
 * @ctx: the restart.
 */
void ckpt_release_inotify(struct ckpt_ctx *ctx)
{
	struct ckpt_rinotify *ri;

	while ((ri = ctx->rinotify)) {
		ctx->rinotify = ri->next;
		ckpt_rinotify_free(ri);
	}
}
