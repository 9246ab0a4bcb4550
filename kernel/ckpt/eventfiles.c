// SPDX-License-Identifier: GPL-2.0-only
/*
 * ckpt: event files: eventfd, signalfd, timerfd and epoll (inotify: see
 * inotify.c).
 *
 * Each is an open file (FILE record) followed by a record of its own
 * state: an eventfd's counter and semaphore mode, a signalfd's mask, a
 * timerfd's clock, time left, period and expirations not yet read, and an
 * epoll file's watches (file, descriptor number, events, data).  The files
 * an epoll file watches get their FILE records first, so restart has them
 * when it adds the watches.
 *
 * Their state is private to fs/eventfd.c, signalfd.c, timerfd.c and
 * eventpoll.c.  It is read through small accessors of patch 0010, not by
 * parsing what ->show_fdinfo() prints: that text is for people and for
 * user space, would tie the kernel to its own format, and does not say
 * everything (the expirations of a periodic timerfd not yet rearmed, or
 * which struct file an epoll watch is on: anonymous files share one
 * inode).
 *
 * Restart recreates each in the restarted task, with the caller's
 * credentials, through the functions behind eventfd2(), signalfd4(),
 * timerfd_create(), timerfd_settime(), epoll_create1() and epoll_ctl(), and
 * so with their limits and checks: a descriptor is made, its file taken,
 * the descriptor closed, and the FILE record's id holds the file.
 *
 * Refused with a reason: timerfds on alarm clocks or set with
 * TFD_TIMER_CANCEL_ON_SET, fanotify instances, and epoll
 * watches on files no descriptor of the container holds (closed since).
 */

#include <linux/fs.h>
#include <linux/uaccess.h>	/* before eventpoll.h, which needs both */
#include <linux/eventfd.h>
#include <linux/eventpoll.h>
#include <linux/fdtable.h>
#include <linux/file.h>
#include <linux/magic.h>
#include <linux/signalfd.h>
#include <linux/slab.h>
#include <linux/time_namespace.h>
#include <linux/timerfd.h>

#include "internal.h"

/**
 * ckpt_check_eventfd - validate an EVENTFD record
 * @e: the record.
 *
 * Return: 0 or -EINVAL.
 */
int ckpt_check_eventfd(const struct ckpt_eventfd *e)
{
	if (e->count == ULLONG_MAX || e->flags & ~CKPT_EVENTFD_SEMAPHORE ||
	    e->pad)
		return -EINVAL;
	return 0;
}

/**
 * ckpt_check_signalfd - validate a SIGNALFD record
 * @s: the record.
 *
 * Return: 0 or -EINVAL.
 */
int ckpt_check_signalfd(const struct ckpt_signalfd *s)
{
	u64 never = BIT_ULL(SIGKILL - 1) | BIT_ULL(SIGSTOP - 1);

	return s->mask & never ? -EINVAL : 0;
}

/**
 * ckpt_check_timerfd - validate a TIMERFD record
 * @t: the record.
 *
 * Return: 0 or -EINVAL.
 */
int ckpt_check_timerfd(const struct ckpt_timerfd *t)
{
	if (t->clockid != CLOCK_REALTIME && t->clockid != CLOCK_MONOTONIC &&
	    t->clockid != CLOCK_BOOTTIME)
		return -EINVAL;
	if (t->flags & ~CKPT_TIMERFD_ABSTIME || t->value_ns < 0 ||
	    t->interval_ns < 0)
		return -EINVAL;
	return 0;
}

/**
 * ckpt_check_epoll_item - validate an EPOLL_ITEM record
 * @e: the record.
 * @epoll: the id of the epoll file's FILE record.
 *
 * Return: 0 or -EINVAL.
 */
int ckpt_check_epoll_item(const struct ckpt_epoll_item *e, u32 epoll)
{
	/*
	 * Its target is an earlier FILE record.  Any events: epoll_ctl()
	 * takes any bits, and checks EPOLLEXCLUSIVE's again at restart.
	 */
	if (!e->file || e->file >= epoll || e->fd < 0 || e->pad)
		return -EINVAL;
	return 0;
}

/* Checkpoint */

/*
 * The state of the timerfd @file, or a reason it is not supported.
 * Like timerfd_gettime(), rearms a periodic timer that expired.
 */
static const char *ckpt_timerfd_get(struct file *file, struct timerfd_ckpt *st)
{
	if (!IS_ENABLED(CONFIG_TIMERFD) || timerfd_ckpt_get(file, st))
		return "a file that is no longer a timerfd";
	if (st->clockid != CLOCK_REALTIME && st->clockid != CLOCK_MONOTONIC &&
	    st->clockid != CLOCK_BOOTTIME)
		return "a timerfd on an alarm clock (CLOCK_REALTIME_ALARM, CLOCK_BOOTTIME_ALARM)";
	if (st->flags & TFD_TIMER_CANCEL_ON_SET || st->canceled)
		return "a timerfd set with TFD_TIMER_CANCEL_ON_SET";
	return NULL;
}

/**
 * ckpt_event_file_kind - the kind of an event file
 * @file: an open file.
 * @why: set to a reason if it is an event file that is not supported.
 *
 * Return: CKPT_FILE_EVENTFD, _SIGNALFD, _TIMERFD, _EPOLL or _INOTIFY, or 0 (and
 * @why, or NULL if @file is no event file at all).
 */
u32 ckpt_event_file_kind(struct file *file, const char **why)
{
	const char *name = file->f_path.dentry->d_name.name;
	struct timerfd_ckpt tfd;
	sigset_t mask;
	int flags;
	u64 cnt;

	*why = NULL;
	if (file_inode(file)->i_sb->s_magic != ANON_INODE_FS_MAGIC)
		return 0;
	if (IS_ENABLED(CONFIG_EVENTFD) && !eventfd_ckpt_get(file, &cnt, &flags))
		return CKPT_FILE_EVENTFD;
	if (IS_ENABLED(CONFIG_SIGNALFD) && !signalfd_ckpt_mask(file, &mask))
		return CKPT_FILE_SIGNALFD;
	if (IS_ENABLED(CONFIG_EPOLL) && epoll_ckpt_items(file, NULL, 0) >= 0)
		return CKPT_FILE_EPOLL;
	if (IS_ENABLED(CONFIG_TIMERFD) && !timerfd_ckpt_get(file, &tfd)) {
		*why = ckpt_timerfd_get(file, &tfd);
		return *why ? 0 : CKPT_FILE_TIMERFD;
	}
	if (ckpt_inotify_file(file))
		return CKPT_FILE_INOTIFY;
	/* The name anon_inode_getfile() gave it: for the reason only. */
	if (!strcmp(name, "[fanotify]"))
		*why = "fanotify";
	return 0;
}

/**
 * ckpt_check_event_file - note where an event file was found
 * @ctx: the checkpoint.
 * @t: a task that has it open.
 * @fd: its descriptor there.
 * @fobj: the open file's new entry.
 *
 * The watches of epoll files are checked once every open file is found,
 * by ckpt_check_epolls(), which names this task and descriptor.
 */
void ckpt_check_event_file(struct ckpt_ctx *ctx, struct task_struct *t,
			   unsigned int fd, struct ckpt_obj *fobj)
{
	fobj->pid = task_pid_nr_ns(t, ctx->pidns);
	fobj->fd = fd;
}

static void ckpt_epoll_put_items(struct epoll_ckpt_item *items, int nr)
{
	int i;

	for (i = 0; i < nr; i++)
		if (items[i].file)
			fput(items[i].file);
	kvfree(items);
}

/* The watches of epoll file @file, each with a reference on its file. */
static int ckpt_epoll_snapshot(struct file *file,
			       struct epoll_ckpt_item **out)
{
	struct epoll_ckpt_item *items;
	int n, max;

	if (!IS_ENABLED(CONFIG_EPOLL))
		return -EINVAL;
	n = epoll_ckpt_items(file, NULL, 0);
	for (;;) {
		if (n < 0)
			return n;
		if (n > CKPT_EPOLL_ITEMS_MAX)
			return -E2BIG;
		max = n;
		items = kvcalloc(max ?: 1, sizeof(*items), GFP_KERNEL);
		if (!items)
			return -ENOMEM;
		n = epoll_ckpt_items(file, items, max);
		if (n <= max)
			break;
		/* Watches were added meanwhile (by a task outside). */
		ckpt_epoll_put_items(items, max);
	}
	*out = items;
	return n;
}

/* Checks the watches of one epoll file: each on a file the container has. */
static int ckpt_check_epoll(struct ckpt_ctx *ctx, struct ckpt_obj *fobj)
{
	struct epoll_ckpt_item *items;
	int i, nr, err = 0;

	nr = ckpt_epoll_snapshot(fobj->file, &items);
	if (nr < 0)
		return ckpt_err(ctx, nr == -E2BIG ? -EOPNOTSUPP : nr,
				"task %d: fd %u: cannot read its epoll watches (more than %u?)",
				fobj->pid, fobj->fd, CKPT_EPOLL_ITEMS_MAX);
	for (i = 0; !err && i < nr; i++) {
		if (!items[i].file)
			err = ckpt_err(ctx, -EBUSY,
				       "task %d: fd %u: the file its epoll watch on fd %d is on is being closed; try again",
				       fobj->pid, fobj->fd, items[i].fd);
		else if (!ckpt_obj_find(ctx, CKPT_OBJT_FILE, items[i].file))
			err = ckpt_err(ctx, -EOPNOTSUPP,
				       "task %d: fd %u: an epoll watch (added as fd %d) on a file that no descriptor in the container holds (closed but still watched) is not supported",
				       fobj->pid, fobj->fd, items[i].fd);
	}
	ckpt_epoll_put_items(items, nr);
	return err;
}

/**
 * ckpt_check_epolls - check the watches of every epoll file
 * @ctx: the checkpoint, with every open file found.
 *
 * Return: 0, or a negative errno with a reason.
 */
int ckpt_check_epolls(struct ckpt_ctx *ctx)
{
	struct ckpt_obj *obj;
	int err;

	if (!ctx->objs.buckets)
		return 0;
	list_for_each_entry(obj, &ctx->objs.all, list) {
		if (obj->type != CKPT_OBJT_FILE || obj->kind != CKPT_FILE_EPOLL)
			continue;
		err = ckpt_check_epoll(ctx, obj);
		if (err)
			return err;
	}
	return 0;
}

/**
 * ckpt_write_epoll_targets - write the FILE records an epoll file needs
 * @ctx: the checkpoint.
 * @t: the task whose descriptor is being written, for messages.
 * @fobj: the epoll file's entry, not yet written.
 * @buf: PATH_MAX bytes for paths.
 *
 * The files its watches are on get their FILE records (and their pipes
 * their PIPE records) before the epoll file's own, even those whose first
 * descriptor comes later.
 *
 * Return: 0 or a negative errno.
 */
int ckpt_write_epoll_targets(struct ckpt_ctx *ctx, struct task_struct *t,
			     struct ckpt_obj *fobj, char *buf)
{
	struct epoll_ckpt_item *items;
	struct ckpt_obj *tobj;
	int i, nr, err = 0;

	nr = ckpt_epoll_snapshot(fobj->file, &items);
	if (nr < 0)
		return ckpt_err(ctx, nr, "task %d: fd %u: cannot read its epoll watches",
				fobj->pid, fobj->fd);
	for (i = 0; !err && i < nr; i++) {
		tobj = items[i].file ?
		       ckpt_obj_find(ctx, CKPT_OBJT_FILE, items[i].file) : NULL;
		if (!tobj)
			err = ckpt_err(ctx, -EBUSY,
				       "task %d: fd %u: its epoll watches changed during the checkpoint; try again",
				       fobj->pid, fobj->fd);
		else if (!tobj->id)
			err = ckpt_write_file(ctx, t, items[i].fd, tobj, buf);
	}
	ckpt_epoll_put_items(items, nr);
	return err;
}

static int ckpt_write_epoll(struct ckpt_ctx *ctx, struct ckpt_obj *fobj)
{
	struct epoll_ckpt_item *items;
	struct ckpt_epoll rec = { };
	struct ckpt_obj *tobj;
	int i, nr, err;

	nr = ckpt_epoll_snapshot(fobj->file, &items);
	if (nr < 0)
		return ckpt_err(ctx, nr, "task %d: fd %u: cannot read its epoll watches",
				fobj->pid, fobj->fd);
	rec.nr_items = nr;
	err = ckpt_write_rec(ctx, CKPT_REC_EPOLL, &rec, sizeof(rec));
	for (i = 0; !err && i < nr; i++) {
		struct ckpt_epoll_item it = {
			.fd = items[i].fd,
			.events = (__force u32)items[i].events,
			.data = items[i].data,
		};

		tobj = items[i].file ?
		       ckpt_obj_find(ctx, CKPT_OBJT_FILE, items[i].file) : NULL;
		if (!tobj || !tobj->id) {
			err = ckpt_err(ctx, -EBUSY,
				       "task %d: fd %u: its epoll watches changed during the checkpoint; try again",
				       fobj->pid, fobj->fd);
			break;
		}
		it.file = tobj->id;
		err = ckpt_write_rec(ctx, CKPT_REC_EPOLL_ITEM, &it, sizeof(it));
	}
	ckpt_epoll_put_items(items, nr);
	return err;
}

static int ckpt_write_timerfd(struct ckpt_ctx *ctx, struct ckpt_obj *fobj)
{
	struct ckpt_timerfd rec = { };
	struct timerfd_ckpt st;
	const char *why;

	why = ckpt_timerfd_get(fobj->file, &st);
	if (why)
		return ckpt_err(ctx, -EOPNOTSUPP,
				"task %d: fd %u: %s is not supported yet",
				fobj->pid, fobj->fd, why);
	rec.clockid = st.clockid;
	rec.ticks = st.ticks;
	rec.value_ns = ktime_to_ns(st.value);
	rec.interval_ns = ktime_to_ns(st.interval);
	if (st.flags & TFD_TIMER_ABSTIME) {
		rec.flags |= CKPT_TIMERFD_ABSTIME;
		/* Wall-clock time does not go on across restart: kept as is. */
		if (rec.clockid == CLOCK_REALTIME && rec.value_ns)
			rec.value_ns += ktime_get_real_ns();
	}
	return ckpt_write_rec(ctx, CKPT_REC_TIMERFD, &rec, sizeof(rec));
}

/**
 * ckpt_write_event_file - write the record that follows an event file's FILE
 * @ctx: the checkpoint.
 * @fobj: the open file's entry, just written.
 *
 * Return: 0 (nothing to write for other kinds) or a negative errno.
 */
int ckpt_write_event_file(struct ckpt_ctx *ctx, struct ckpt_obj *fobj)
{
	struct file *file = fobj->file;

	switch (fobj->kind) {
	case CKPT_FILE_EVENTFD: {
		struct ckpt_eventfd rec = { };
		int flags;

		if (!IS_ENABLED(CONFIG_EVENTFD) ||
		    eventfd_ckpt_get(file, &rec.count, &flags))
			return -EINVAL;
		if (flags & EFD_SEMAPHORE)
			rec.flags |= CKPT_EVENTFD_SEMAPHORE;
		return ckpt_write_rec(ctx, CKPT_REC_EVENTFD, &rec, sizeof(rec));
	}
	case CKPT_FILE_SIGNALFD: {
		struct ckpt_signalfd rec;
		sigset_t mask;

		if (!IS_ENABLED(CONFIG_SIGNALFD) || signalfd_ckpt_mask(file, &mask))
			return -EINVAL;
		rec.mask = mask.sig[0];
		return ckpt_write_rec(ctx, CKPT_REC_SIGNALFD, &rec, sizeof(rec));
	}
	case CKPT_FILE_TIMERFD:
		return ckpt_write_timerfd(ctx, fobj);
	case CKPT_FILE_EPOLL:
		return ckpt_write_epoll(ctx, fobj);
	}
	return 0;
}

/* Restart */

/* The file of descriptor @fd, just made by the restarted task; closes @fd. */
static struct file *ckpt_take_fd(struct ckpt_ctx *ctx, const struct ckpt_file *rec,
				 int fd, const char *what)
{
	struct file *file;

	if (fd < 0)
		return ERR_PTR(ckpt_err(ctx, fd, "file %u: cannot make %s (error %d)",
					rec->id, what, fd));
	file = fget(fd);
	close_fd(fd);
	return file ?: ERR_PTR(-EBADF);
}

static struct file *ckpt_restore_eventfd(struct ckpt_ctx *ctx,
					 const struct ckpt_file *rec)
{
	struct ckpt_eventfd e;
	int err;

	err = ckpt_read_rec(ctx, CKPT_REC_EVENTFD, &e, sizeof(e), NULL);
	if (err)
		return ERR_PTR(err);
	if (ckpt_check_eventfd(&e))
		return ERR_PTR(ckpt_err(ctx, -EINVAL,
					"malformed EVENTFD record (file %u)", rec->id));
	if (!IS_ENABLED(CONFIG_EVENTFD))
		return ERR_PTR(ckpt_err(ctx, -EOPNOTSUPP,
					"file %u: eventfd is not configured", rec->id));
	return ckpt_take_fd(ctx, rec,
			    do_eventfd(e.count, e.flags & CKPT_EVENTFD_SEMAPHORE ?
				       EFD_SEMAPHORE : 0), "an eventfd");
}

static struct file *ckpt_restore_signalfd(struct ckpt_ctx *ctx,
					  const struct ckpt_file *rec)
{
	struct ckpt_signalfd s;
	sigset_t mask;
	int err;

	err = ckpt_read_rec(ctx, CKPT_REC_SIGNALFD, &s, sizeof(s), NULL);
	if (err)
		return ERR_PTR(err);
	if (ckpt_check_signalfd(&s))
		return ERR_PTR(ckpt_err(ctx, -EINVAL,
					"malformed SIGNALFD record (file %u)", rec->id));
	if (!IS_ENABLED(CONFIG_SIGNALFD))
		return ERR_PTR(ckpt_err(ctx, -EOPNOTSUPP,
					"file %u: signalfd is not configured", rec->id));
	sigemptyset(&mask);
	mask.sig[0] = s.mask;
	return ckpt_take_fd(ctx, rec, do_signalfd4(-1, &mask, 0), "a signalfd");
}

/* The current time of @clockid as the restarted task sees it. */
static s64 ckpt_timens_now(int clockid)
{
	struct timespec64 ts;

	if (clockid == CLOCK_BOOTTIME) {
		ktime_get_boottime_ts64(&ts);
		timens_add_boottime(&ts);
	} else {
		ktime_get_ts64(&ts);
		timens_add_monotonic(&ts);
	}
	return timespec64_to_ns(&ts);
}

/* Arms the new timerfd at @fd as the TIMERFD record @t says. */
static int ckpt_arm_timerfd(int fd, const struct ckpt_timerfd *t)
{
	struct itimerspec64 new, old;
	s64 value = t->value_ns;
	int flags = 0;

	if (!t->value_ns && !t->interval_ns)
		return 0;
	if (t->flags & CKPT_TIMERFD_ABSTIME) {
		flags = TFD_TIMER_ABSTIME;
		/* The time left, from now on the container's clock. */
		if (t->clockid != CLOCK_REALTIME && value) {
			s64 now = ckpt_timens_now(t->clockid);

			value = value > KTIME_MAX - now ? KTIME_MAX : now + value;
		}
	}
	new.it_value = ns_to_timespec64(value);
	new.it_interval = ns_to_timespec64(t->interval_ns);
	return do_timerfd_settime(fd, flags, &new, &old);
}

static struct file *ckpt_restore_timerfd(struct ckpt_ctx *ctx,
					 const struct ckpt_file *rec)
{
	struct ckpt_timerfd t;
	struct file *file;
	int err, fd;

	err = ckpt_read_rec(ctx, CKPT_REC_TIMERFD, &t, sizeof(t), NULL);
	if (err)
		return ERR_PTR(err);
	if (ckpt_check_timerfd(&t))
		return ERR_PTR(ckpt_err(ctx, -EINVAL,
					"malformed TIMERFD record (file %u)", rec->id));
	if (!IS_ENABLED(CONFIG_TIMERFD))
		return ERR_PTR(ckpt_err(ctx, -EOPNOTSUPP,
					"file %u: timerfd is not configured", rec->id));
	fd = do_timerfd_create(t.clockid, 0);
	err = fd < 0 ? 0 : ckpt_arm_timerfd(fd, &t);
	file = ckpt_take_fd(ctx, rec, fd, "a timerfd");
	if (IS_ERR(file))
		return file;
	if (!err && t.ticks)
		err = timerfd_ckpt_set_ticks(file, t.ticks);
	if (err) {
		fput(file);
		return ERR_PTR(ckpt_err(ctx, err,
					"file %u: cannot set its timerfd (error %d)",
					rec->id, err));
	}
	return file;
}

/*
 * Adds one watch to the epoll file @ep, at descriptor *@epfd, as
 * epoll_ctl(EPOLL_CTL_ADD) would, with its checks: the watched file is put
 * at the descriptor number it was added with for the time of the call,
 * and whatever was there is put back.
 */
static int ckpt_epoll_add(struct ckpt_ctx *ctx, u32 id, struct file *ep,
			  int *epfd, const struct ckpt_epoll_item *it)
{
	struct file *target = ckpt_robj_get(ctx, CKPT_OBJT_FILE, it->file);
	struct epoll_event ev = {
		.events = (__force __poll_t)it->events,
		.data = it->data,
	};
	struct file *old;
	bool cloexec = false;
	int err;

	if (!target)
		return ckpt_err(ctx, -EINVAL, "file %u: watched file %u does not exist",
				id, it->file);
	if (it->fd == *epfd) {
		/* That number is the epoll file's own for now: move it. */
		int fd = get_unused_fd_flags(0);

		if (fd < 0)
			return ckpt_err(ctx, fd, "file %u: no descriptor free (RLIMIT_NOFILE?)",
					id);
		fd_install(fd, get_file(ep));
		close_fd(*epfd);
		*epfd = fd;
	}
	old = fget_raw(it->fd);
	if (old) {
		rcu_read_lock();
		cloexec = close_on_exec(it->fd, current->files);
		rcu_read_unlock();
	}
	err = replace_fd(it->fd, target, 0);
	if (err >= 0)
		err = do_epoll_ctl(*epfd, EPOLL_CTL_ADD, it->fd, &ev, false);
	if (old) {
		int e = replace_fd(it->fd, old, cloexec ? O_CLOEXEC : 0);

		fput(old);
		if (e < 0 && err >= 0)
			err = e;
	} else {
		close_fd(it->fd);
	}
	if (err < 0)
		return ckpt_err(ctx, err,
				"file %u: cannot add its watch of file %u as fd %d (error %d)",
				id, it->file, it->fd, err);
	return 0;
}

static struct file *ckpt_restore_epoll(struct ckpt_ctx *ctx,
				       const struct ckpt_file *rec)
{
	struct ckpt_epoll e;
	struct file *ep;
	int err, epfd;
	u32 i;

	err = ckpt_read_rec(ctx, CKPT_REC_EPOLL, &e, sizeof(e), NULL);
	if (err)
		return ERR_PTR(err);
	if (e.nr_items > CKPT_EPOLL_ITEMS_MAX || e.pad)
		return ERR_PTR(ckpt_err(ctx, -EINVAL,
					"malformed EPOLL record (file %u)", rec->id));
	if (!IS_ENABLED(CONFIG_EPOLL))
		return ERR_PTR(ckpt_err(ctx, -EOPNOTSUPP,
					"file %u: epoll is not configured", rec->id));
	epfd = do_epoll_create(0);
	if (epfd < 0)
		return ERR_PTR(ckpt_err(ctx, epfd, "file %u: cannot make an epoll file (error %d)",
					rec->id, epfd));
	ep = fget(epfd);
	if (!ep) {
		close_fd(epfd);
		return ERR_PTR(-EBADF);
	}
	for (i = 0; !err && i < e.nr_items; i++) {
		struct ckpt_epoll_item it;

		err = ckpt_read_rec(ctx, CKPT_REC_EPOLL_ITEM, &it, sizeof(it), NULL);
		if (err)
			break;
		if (ckpt_check_epoll_item(&it, rec->id))
			err = ckpt_err(ctx, -EINVAL,
				       "malformed EPOLL_ITEM record (file %u)", rec->id);
		else
			err = ckpt_epoll_add(ctx, rec->id, ep, &epfd, &it);
		if (!err && fatal_signal_pending(current))
			err = -EINTR;
	}
	close_fd(epfd);
	if (err) {
		fput(ep);
		return ERR_PTR(err);
	}
	return ep;
}

/**
 * ckpt_restore_event_file - make the event file of a FILE record
 * @ctx: the restart.
 * @rec: a valid FILE record of kind EVENTFD, SIGNALFD, TIMERFD, EPOLL or
 *	INOTIFY;
 *	the record of its state comes next.
 *
 * Context: the restarted task, with its own file table.
 * Return: the file, with a reference for the caller, or an ERR_PTR().
 */
struct file *ckpt_restore_event_file(struct ckpt_ctx *ctx,
				     const struct ckpt_file *rec)
{
	switch (rec->kind) {
	case CKPT_FILE_EVENTFD:
		return ckpt_restore_eventfd(ctx, rec);
	case CKPT_FILE_SIGNALFD:
		return ckpt_restore_signalfd(ctx, rec);
	case CKPT_FILE_TIMERFD:
		return ckpt_restore_timerfd(ctx, rec);
	case CKPT_FILE_EPOLL:
		return ckpt_restore_epoll(ctx, rec);
	case CKPT_FILE_INOTIFY:
		return ckpt_restore_inotify(ctx, rec);
	}
	return ERR_PTR(-EINVAL);
}
