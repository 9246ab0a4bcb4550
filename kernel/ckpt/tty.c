// SPDX-License-Identifier: GPL-2.0-only
/*
 * ckpt: ptys and controlling terminals.
 *
 * A Unix98 pty pair (a master opened through ptmx, a slave /dev/pts/N) is
 * saved once, before the first record that names it: the FILE record of
 * its master, of a slave or of /dev/tty, or the CTTY record of a process
 * whose controlling terminal it is.  The TTY record has the slave's index,
 * owner and mode, the ptmx path, its termios and window size, the lock
 * (TIOCSPTLCK), packet mode (TIOCPKT) and its status not yet read; two
 * TTY_BUF records follow with the input each end's line discipline holds
 * and no reader took yet: what the slave wrote for the master, what the
 * master wrote for the slave, with the line ends of a canonical-mode
 * slave, so lines read back one by one and the line being edited stays
 * the line being edited.
 *
 * Restart opens ptmx by its path, asking devpts for the same index
 * (ckpt_pty_index(), patch 0011: EBUSY if /dev/pts/N is taken), opens the
 * slave once (a holder, closed when the restart ends), and writes each
 * end's input back through the other end, as a process writing to it
 * would, with the slave set for the time of it to settings under which
 * the line discipline stores the bytes as they are and ends the lines
 * where they ended (every byte that would be special after a literal-next
 * character).  It then checks that each end holds what was saved, and
 * sets the slave's termios (TCSETS), window size (TIOCSWINSZ), packet mode
 * and lock.  A FILE record takes the master, or opens the slave or
 * /dev/tty again by path.
 *
 * A process whose controlling terminal is a pty of the container has a
 * CTTY record before its FILES record.  The session leader makes the pty
 * its session's controlling terminal through the TIOCSCTTY ioctl, then
 * sets the foreground process group with TIOCSPGRP's code
 * (tty_set_pgrp_nr(), patch 0011); the other processes of the session take
 * the terminal as fork() passes it on.  The groups and sessions are made
 * before any task reads its section (tree.c), so the foreground group
 * exists.
 *
 * Refused with a reason: terminals other than Unix98 ptys (virtual
 * consoles, serial lines, BSD ptys; /dev/console is opened again by path
 * as the devices of files.c are), ptys of a devpts other
 * than the container's /dev/pts, a pty whose master is closed, or that a
 * task outside the container holds (EBUSY, unless
 * CKPT_CHECKPOINT_SUBTREE), line disciplines other than N_TTY, stopped
 * output, EXTPROC, locked termios, input the line discipline has not yet
 * taken, a literal-next or erase in progress or echoes not yet written.
 */

#include <linux/ckpt.h>
#include <linux/file.h>
#include <linux/fs_struct.h>
#include <linux/kdev_t.h>
#include <linux/major.h>
#include <linux/mutex.h>
#include <linux/namei.h>
#include <linux/sched/signal.h>
#include <linux/security.h>
#include <linux/slab.h>
#include <linux/tty.h>
#include <linux/tty_driver.h>
#include <linux/tty_flip.h>
#include <linux/tty_ldisc.h>
#include <linux/user_namespace.h>

#include "internal.h"

/**
 * struct ckpt_rtty - restart: a pty made from a TTY record
 * @rec: the TTY record.
 * @master: its master, with a reference.
 * @holder: a slave opened by restart to write the master's input, closed
 *	when the restart ends, or NULL.
 * @tty: the slave, with a reference.
 * @taken: whether a FILE record took the master.
 */
struct ckpt_rtty {
	struct ckpt_tty rec;
	struct file *master;
	struct file *holder;
	struct tty_struct *tty;
	bool taken;
};

/* The index restart asks devpts for, for the ptmx open of one task. */
static DEFINE_MUTEX(ckpt_ptmx_mutex);
static struct task_struct *ckpt_ptmx_opener;
static int ckpt_ptmx_index;

/**
 * ckpt_pty_index - the pty index a restart asks for
 *
 * Called by devpts_new_index() (patch 0011) for each open of ptmx.
 *
 * Return: the index of the pty being restored if the current task is
 * opening ptmx for a restart, else -1 (any index).
 */
int ckpt_pty_index(void)
{
	if (READ_ONCE(ckpt_ptmx_opener) != current)
		return -1;
	return ckpt_ptmx_index;
}

/* Validation */

/**
 * ckpt_check_tty_rec - validate a TTY record
 * @t: the record.
 *
 * Return: 0 or -EINVAL.
 */
int ckpt_check_tty_rec(const struct ckpt_tty *t)
{
	const struct ckpt_termios *tm = &t->termios;

	if (!t->id || t->id == U32_MAX || t->index >= NR_UNIX98_PTY_MAX ||
	    t->flags & ~CKPT_TTY_FLAGS || t->mode & ~07777 ||
	    t->uid == U32_MAX || t->gid == U32_MAX)
		return -EINVAL;
	if (t->pktstatus > 0xff ||
	    (t->pktstatus && !(t->flags & CKPT_TTY_PACKET)))
		return -EINVAL;
	if (!t->path_len || t->path_len >= CKPT_PATH_MAX)
		return -EINVAL;
	/* N_TTY only; EXTPROC is refused at checkpoint. */
	if (tm->line != N_TTY || memchr_inv(tm->pad, 0, sizeof(tm->pad)) ||
	    tm->lflag & EXTPROC)
		return -EINVAL;
	return 0;
}

/**
 * ckpt_check_tty_buf - validate a TTY_BUF record
 * @b: the record.
 * @tail_len: the length of its data and bitmap.
 * @end: the end it must be for: CKPT_TTY_MASTER first, then CKPT_TTY_SLAVE.
 * @t: the TTY record before it, valid.
 *
 * Return: 0 or -EINVAL.
 */
int ckpt_check_tty_buf(const struct ckpt_tty_buf *b, u32 tail_len, u32 end,
		       const struct ckpt_tty *t)
{
	bool canon = b->flags & CKPT_TTY_BUF_CANON;

	if (b->tty != t->id || b->end != end || b->len > CKPT_TTY_BUF_MAX ||
	    b->flags & ~CKPT_TTY_BUF_CANON)
		return -EINVAL;
	/* The master's settings are the driver's: never canonical. */
	if (canon && end != CKPT_TTY_SLAVE)
		return -EINVAL;
	if (end == CKPT_TTY_SLAVE && canon != !!(t->termios.lflag & ICANON))
		return -EINVAL;
	if (tail_len != b->len + (canon ? DIV_ROUND_UP(b->len, 8) : 0))
		return -EINVAL;
	return 0;
}

/**
 * ckpt_check_ctty_rec - validate a CTTY record
 * @c: the record.
 *
 * Return: 0 or -EINVAL.
 */
int ckpt_check_ctty_rec(const struct ckpt_ctty *c)
{
	if (!c->tty || c->flags & ~CKPT_CTTY_FLAGS || c->pad)
		return -EINVAL;
	if (c->flags & CKPT_CTTY_LEADER ? c->pgrp <= 0 : c->pgrp != 0)
		return -EINVAL;
	return 0;
}

/*
 * The characters other than newline and NUL (an EOF) that end lines of
 * @len bytes whose line ends are @eol: at most two, the EOL and EOL2 the
 * input is fed back with.  Return: their number, or -1 if more.
 */
static int ckpt_tty_eol_chars(const u8 *buf, const u8 *eol, u32 len, u8 *out)
{
	int n = 0;
	u32 i;

	out[0] = 0;
	out[1] = 0;
	for (i = 0; i < len; i++) {
		u8 c = buf[i];

		if (!(eol[i / 8] & BIT(i % 8)) || c == '\n' || !c ||
		    c == out[0] || c == out[1])
			continue;
		if (n == 2)
			return -1;
		out[n++] = c;
	}
	return n;
}

/* Checkpoint */

/* The tty of an open file of a tty device (private_data, as tty_io.c). */
static struct tty_struct *ckpt_file_tty(struct file *file)
{
	return ((struct tty_file_private *)file->private_data)->tty;
}

static bool ckpt_pts_slave(struct tty_struct *tty)
{
	return tty->driver->type == TTY_DRIVER_TYPE_PTY &&
	       tty->driver->subtype == PTY_TYPE_SLAVE &&
	       tty->driver->flags & TTY_DRIVER_DEVPTS_MEM;
}

static bool ckpt_pts_master(struct tty_struct *tty)
{
	return tty->driver->type == TTY_DRIVER_TYPE_PTY &&
	       tty->driver->subtype == PTY_TYPE_MASTER &&
	       tty->driver->flags & TTY_DRIVER_DEVPTS_MEM;
}

static bool ckpt_pts_major(unsigned int major)
{
	return major >= UNIX98_PTY_SLAVE_MAJOR &&
	       major < UNIX98_PTY_SLAVE_MAJOR + UNIX98_PTY_MAJOR_COUNT;
}

/**
 * ckpt_tty_file_kind - is @file a terminal, and one that can be saved?
 * @file: an open file.
 * @why: set to a reason if it is a terminal that cannot be saved.
 *
 * Return: CKPT_FILE_TTY for an end of a Unix98 pty or /dev/tty (checked
 * further by ckpt_check_tty()), or 0 (and @why, or NULL if @file is not a
 * terminal this knows of).
 */
u32 ckpt_tty_file_kind(struct file *file, const char **why)
{
	struct inode *inode = file_inode(file);
	unsigned int major = imajor(inode), minor = iminor(inode);

	*why = NULL;
	if (!S_ISCHR(inode->i_mode))
		return 0;
	if (IS_ENABLED(CONFIG_UNIX98_PTYS) &&
	    ((major == TTYAUX_MAJOR && (minor == 0 || minor == 2)) ||
	     ckpt_pts_major(major)))
		return CKPT_FILE_TTY;
	if (major == TTY_MAJOR || major == TTYAUX_MAJOR ||
	    major == PTY_MASTER_MAJOR || major == PTY_SLAVE_MAJOR)
		*why = "a terminal other than a Unix98 pty (virtual console, serial line, BSD pty)";
	return 0;
}

/* The controlling terminal of @t's process, with a reference, or NULL. */
static struct tty_struct *ckpt_task_tty(struct task_struct *t)
{
	struct tty_struct *tty;
	unsigned long flags;

	if (!lock_task_sighand(t, &flags))
		return NULL;
	tty = tty_kref_get(t->signal->tty);
	unlock_task_sighand(t, &flags);
	return tty;
}

/* Is @dentry, a slave's, in the devpts at /dev/pts under @root? */
static bool ckpt_tty_devpts_ok(const struct path *root, struct dentry *dentry)
{
	struct path pts;
	bool ok;

	if (vfs_path_lookup(root->dentry, root->mnt, "dev/pts", LOOKUP_FOLLOW,
			    &pts))
		return false;
	ok = pts.dentry == pts.mnt->mnt_root &&
	     pts.mnt->mnt_sb == dentry->d_sb;
	path_put(&pts);
	return ok;
}

/* Is input in @port's flip buffers that the line discipline did not take? */
static bool ckpt_tty_flip_pending(struct tty_port *port)
{
	struct tty_buffer *b;
	bool pending = false;

	tty_buffer_lock_exclusive(port);
	for (b = port->buf.head; b; b = b->next)
		/* Pairs with the release in tty_flip_buffer_commit(). */
		if (smp_load_acquire(&b->commit) != b->read)
			pending = true;
	tty_buffer_unlock_exclusive(port);
	return pending;
}

/*
 * The input @tty's line discipline holds, once the input queued for it
 * is processed; NULL, or a reason it cannot be saved.
 */
static const char *ckpt_tty_input(struct tty_struct *tty, struct n_tty_ckpt *in)
{
	struct tty_ldisc *ld = tty_ldisc_ref(tty);
	const char *why = NULL;
	u8 eolc[2];

	if (!ld)
		return "its line discipline is being changed";
	if (ld->ops->num != N_TTY) {
		why = "a line discipline other than N_TTY";
		goto out;
	}
	flush_work(&tty->port->buf.work);
	if (ckpt_tty_flip_pending(tty->port)) {
		why = "input its line discipline has not taken (more than its 4095 bytes)";
		goto out;
	}
	if (n_tty_ckpt_input(tty, in)) {
		why = "a literal-next, an ECHOPRT erase or echoes pending in its line discipline";
		goto out;
	}
	if (in->canon) {
		u8 *eol = kzalloc(DIV_ROUND_UP(in->len, 8) + 1, GFP_KERNEL);
		u32 i;

		if (!eol) {
			why = "out of memory";
			goto out;
		}
		for (i = 0; i < in->len; i++)
			if (test_bit(i, in->eol))
				eol[i / 8] |= BIT(i % 8);
		if (ckpt_tty_eol_chars(in->buf, eol, in->len, eolc) < 0)
			why = "input lines ended by more than two characters other than newline";
		kfree(eol);
	}
out:
	tty_ldisc_deref(ld);
	return why;
}

/*
 * The master of @slave and the slave's dentry, each with a reference, or
 * false if the master is closed.  A task outside the container may close
 * it: pty_close() marks the slave TTY_OTHER_CLOSED before the master is
 * released (under tty_mutex) and before the dentry goes (under the
 * master's tty lock).
 */
static bool ckpt_tty_hold(struct tty_struct *slave, struct tty_struct **master,
			  struct dentry **dentry)
{
	*master = NULL;
	*dentry = NULL;
	mutex_lock(&tty_mutex);
	if (!test_bit(TTY_OTHER_CLOSED, &slave->flags))
		*master = tty_kref_get(slave->link);
	mutex_unlock(&tty_mutex);
	if (!*master)
		return false;
	tty_lock(*master);
	/* A slave's driver_data is its dentry in devpts (pty.c). */
	if (!test_bit(TTY_OTHER_CLOSED, &slave->flags))
		*dentry = dget(slave->driver_data);
	tty_unlock(*master);
	if (*dentry)
		return true;
	tty_kref_put(*master);
	*master = NULL;
	return false;
}

/* What of the pair of @slave this version cannot save, or NULL. */
static const char *ckpt_tty_refused(struct ckpt_ctx *ctx,
				    struct tty_struct *slave,
				    struct tty_struct *master,
				    struct dentry *dentry)
{
	const char *why = NULL;
	struct n_tty_ckpt *in;
	struct path root = { };
	bool locked;

	task_lock(ctx->init);
	if (ctx->init->fs)
		get_fs_root(ctx->init->fs, &root);
	task_unlock(ctx->init);
	if (!root.mnt || !ckpt_tty_devpts_ok(&root, dentry))
		why = "a pty of a devpts instance other than the container's /dev/pts";
	if (root.mnt)
		path_put(&root);
	if (why)
		return why;
	if (slave->flow.stopped || master->flow.stopped)
		return "a pty whose output is stopped (^S, TCOOFF)";
	down_read(&slave->termios_rwsem);
	locked = memchr_inv(&slave->termios_locked, 0,
			    sizeof(slave->termios_locked));
	if (L_EXTPROC(slave))
		why = "a pty in EXTPROC mode";
	up_read(&slave->termios_rwsem);
	if (locked)
		return "a pty with locked settings (TIOCSLCKTRMIOS)";
	if (why)
		return why;
	in = kmalloc(sizeof(*in), GFP_KERNEL);
	if (!in)
		return "out of memory";
	why = ckpt_tty_input(master, in) ?: ckpt_tty_input(slave, in);
	kfree(in);
	return why;
}

/* The entry of the pair of @slave: found, or checked and added. */
static struct ckpt_obj *ckpt_tty_obj(struct ckpt_ctx *ctx,
				     struct task_struct *t, int fd,
				     struct tty_struct *slave)
{
	struct ckpt_obj *pobj = ckpt_obj_find(ctx, CKPT_OBJT_TTY, slave);
	struct tty_struct *master;
	struct dentry *dentry;
	const char *why;

	if (pobj)
		return pobj;
	if (ckpt_tty_hold(slave, &master, &dentry))
		why = ckpt_tty_refused(ctx, slave, master, dentry);
	else
		why = "a pty whose master is closed";
	if (why) {
		tty_kref_put(master);
		dput(dentry);
		if (fd < 0)
			return ERR_PTR(ckpt_task_err(ctx, t, -EOPNOTSUPP,
						     "its controlling terminal /dev/pts/%d: %s is not supported yet",
						     slave->index, why));
		return ERR_PTR(ckpt_task_err(ctx, t, -EOPNOTSUPP,
					     "fd %d: /dev/pts/%d: %s is not supported yet",
					     fd, slave->index, why));
	}
	pobj = ckpt_obj_add(ctx, CKPT_OBJT_TTY, slave, NULL);
	if (!pobj) {
		tty_kref_put(master);
		dput(dentry);
		return ERR_PTR(-ENOMEM);
	}
	tty_kref_get(slave);
	pobj->master = master;
	pobj->dentry = dentry;
	pobj->pid = task_pid_nr_ns(t, ctx->pidns);
	pobj->fd = fd;
	return pobj;
}

/**
 * ckpt_tty_obj_release - drop the reference a TTY entry holds
 * @obj: the entry.
 */
void ckpt_tty_obj_release(struct ckpt_obj *obj)
{
	tty_kref_put((struct tty_struct *)obj->ptr);
	tty_kref_put(obj->master);
	dput(obj->dentry);
}

/* Is the session of @t's process in the container? */
static bool ckpt_session_inside(struct ckpt_ctx *ctx, struct task_struct *t)
{
	return task_session_nr_ns(t, ctx->pidns) != 0;
}

/**
 * ckpt_check_tty - check an open file of a pty or of /dev/tty
 * @ctx: the checkpoint.
 * @t: the first task, in TREE order, that has it open (restart opens it
 *	again in that task).
 * @fd: its descriptor there.
 * @fobj: the open file's new entry.
 *
 * Return: 0, -EOPNOTSUPP with a reason, or -ENOMEM.
 */
int ckpt_check_tty(struct ckpt_ctx *ctx, struct task_struct *t,
		   unsigned int fd, struct ckpt_obj *fobj)
{
	struct file *file = fobj->file;
	struct inode *inode = file_inode(file);
	bool devtty = imajor(inode) == TTYAUX_MAJOR && iminor(inode) == 0;
	bool ptmx = imajor(inode) == TTYAUX_MAJOR && iminor(inode) == 2;
	struct tty_struct *tty, *slave, *ctty;
	struct ckpt_obj *pobj;

	if (tty_hung_up_p(file))
		return ckpt_task_err(ctx, t, -EOPNOTSUPP,
				     "fd %u: a hung-up terminal (its pty's master closed, or vhangup()) is not supported",
				     fd);
	tty = ckpt_file_tty(file);
	if (ptmx ? !ckpt_pts_master(tty) : !ckpt_pts_slave(tty))
		return ckpt_task_err(ctx, t, -EOPNOTSUPP,
				     "fd %u: %s of a terminal other than a Unix98 pty is not supported yet",
				     fd, devtty ? "/dev/tty" : "a device");
	if (ptmx && (file->f_mode & (FMODE_READ | FMODE_WRITE)) !=
		    (FMODE_READ | FMODE_WRITE))
		return ckpt_task_err(ctx, t, -EOPNOTSUPP,
				     "fd %u: a pty master not open for reading and writing is not supported",
				     fd);
	slave = ptmx ? tty->link : tty;
	if (devtty) {
		/* Restart opens /dev/tty again in @t: it must lead there. */
		ctty = ckpt_task_tty(t);
		tty_kref_put(ctty);
		if (ctty != slave || !ckpt_session_inside(ctx, t))
			return ckpt_task_err(ctx, t, -EOPNOTSUPP,
					     "fd %u: /dev/tty of a terminal that is no longer the controlling terminal of its first holder is not supported",
					     fd);
	}
	pobj = ckpt_tty_obj(ctx, t, fd, slave);
	if (IS_ERR(pobj))
		return PTR_ERR(pobj);
	fobj->tty = pobj;
	if (ptmx) {
		pobj->ends[0]++;
		if (!pobj->file)
			pobj->file = get_file(file);
	} else {
		pobj->ends[1]++;
	}
	return 0;
}

/**
 * ckpt_check_ctty - check the controlling terminal of a process
 * @ctx: the checkpoint.
 * @ct: a thread group leader.
 *
 * A terminal of a session outside the container is not saved: restart
 * gives the process the caller's, as before.
 *
 * Return: 0, -EOPNOTSUPP or -EAGAIN with a reason, or -ENOMEM.
 */
int ckpt_check_ctty(struct ckpt_ctx *ctx, struct ckpt_ctask *ct)
{
	struct task_struct *t = ct->task;
	struct tty_struct *tty = ckpt_task_tty(t);
	struct ckpt_obj *pobj;
	struct pid *pgrp;
	bool same;
	int err = 0;

	if (!tty || !ct->tree.sid)
		goto out;
	if (!ckpt_pts_slave(tty)) {
		err = ckpt_task_err(ctx, t, -EOPNOTSUPP,
				    "its controlling terminal %s is not a Unix98 pty: not supported yet",
				    tty->name);
		goto out;
	}
	spin_lock_irq(&tty->ctrl.lock);
	same = tty->ctrl.session == task_session(t);
	pgrp = get_pid(tty->ctrl.pgrp);
	spin_unlock_irq(&tty->ctrl.lock);
	if (!same)
		err = ckpt_task_err(ctx, t, -EOPNOTSUPP,
				    "its controlling terminal /dev/pts/%d is another session's",
				    tty->index);
	else if (t->signal->leader &&
		 (!pgrp || !pid_nr_ns(pgrp, ctx->pidns) ||
		  !pid_has_task(pgrp, PIDTYPE_PGID)))
		err = ckpt_task_err(ctx, t, -EAGAIN,
				    "the foreground process group of its terminal /dev/pts/%d has no process in the container (a job just ended?); try again",
				    tty->index);
	put_pid(pgrp);
	if (!err) {
		pobj = ckpt_tty_obj(ctx, t, -1, tty);
		if (IS_ERR(pobj))
			err = PTR_ERR(pobj);
	}
out:
	tty_kref_put(tty);
	return err;
}

/* An open file of @tty that is not one of the container's, or NULL. */
static struct file *ckpt_tty_outside(struct ckpt_ctx *ctx,
				     struct tty_struct *tty)
{
	struct tty_file_private *priv;
	struct file *out = NULL;

	spin_lock(&tty->files_lock);
	list_for_each_entry(priv, &tty->tty_files, list) {
		if (!ckpt_obj_find(ctx, CKPT_OBJT_FILE, priv->file)) {
			out = priv->file;
			break;
		}
	}
	spin_unlock(&tty->files_lock);
	return out;
}

/**
 * ckpt_check_ttys - check that the container holds every open file of its
 * ptys
 * @ctx: the checkpoint, with every open file found.
 *
 * A master or slave open outside the container (or in flight in a unix
 * socket) would be lost.  With CKPT_CHECKPOINT_SUBTREE the pty is saved
 * as the container sees it: a master it does not hold is closed after
 * restart (the slave then hangs up, as when a master is closed).
 *
 * Return: 0, or -EBUSY with a reason.
 */
int ckpt_check_ttys(struct ckpt_ctx *ctx)
{
	struct ckpt_obj *pobj;

	if (!ctx->objs.buckets)
		return 0;
	list_for_each_entry(pobj, &ctx->objs.all, list) {
		struct tty_struct *slave = (void *)pobj->ptr;
		struct tty_file_private *priv;

		if (pobj->type != CKPT_OBJT_TTY)
			continue;
		if (!(ctx->flags & CKPT_CHECKPOINT_SUBTREE) &&
		    (ckpt_tty_outside(ctx, pobj->master) ||
		     ckpt_tty_outside(ctx, slave))) {
			char where[24] = "controlling terminal";

			if ((int)pobj->fd >= 0)
				snprintf(where, sizeof(where), "fd %u", pobj->fd);
			return ckpt_err(ctx, -EBUSY,
					"task %d: %s: its pty /dev/pts/%d is open outside the container or in flight in a unix socket (leak; CKPT_CHECKPOINT_SUBTREE saves it anyway)",
					pobj->pid, where, slave->index);
		}
		if (pobj->file)
			continue;
		/* The ptmx path, from a master the container does not hold. */
		spin_lock(&pobj->master->files_lock);
		priv = list_first_entry_or_null(&pobj->master->tty_files,
						struct tty_file_private, list);
		if (priv)
			pobj->file = get_file(priv->file);
		spin_unlock(&pobj->master->files_lock);
		if (!pobj->file)
			return ckpt_err(ctx, -EBUSY,
					"task %d: the master of its pty /dev/pts/%d is closing",
					pobj->pid, slave->index);
	}
	return 0;
}

static void ckpt_tty_termios_out(const struct ktermios *k, struct ckpt_termios *c)
{
	BUILD_BUG_ON(sizeof(k->c_cc) != sizeof(c->cc));
	*c = (struct ckpt_termios) {
		.iflag = k->c_iflag,
		.oflag = k->c_oflag,
		.cflag = k->c_cflag,
		.lflag = k->c_lflag,
		.ispeed = k->c_ispeed,
		.ospeed = k->c_ospeed,
		.line = k->c_line,
	};
	memcpy(c->cc, k->c_cc, sizeof(c->cc));
}

/* Writes a TTY_BUF record from a copy of an end's input. */
static int ckpt_write_tty_buf(struct ckpt_ctx *ctx, u32 id, u32 end,
			      const struct n_tty_ckpt *in)
{
	struct ckpt_tty_buf rec = { .tty = id, .end = end, .len = in->len };
	u32 i, bits = 0;
	u8 *tail;
	int err;

	if (in->canon) {
		rec.flags = CKPT_TTY_BUF_CANON;
		bits = DIV_ROUND_UP(in->len, 8);
	}
	tail = kzalloc(in->len + bits + 1, GFP_KERNEL);
	if (!tail)
		return -ENOMEM;
	memcpy(tail, in->buf, in->len);
	for (i = 0; bits && i < in->len; i++)
		if (test_bit(i, in->eol))
			tail[in->len + i / 8] |= BIT(i % 8);
	err = ckpt_write_rec_tail(ctx, CKPT_REC_TTY_BUF, &rec, sizeof(rec), tail,
				  in->len + bits);
	kfree(tail);
	return err;
}

/**
 * ckpt_write_tty - write the TTY record of a pty and the input of its ends
 * @ctx: the checkpoint.
 * @pobj: the pty's entry, not yet written.
 *
 * Return: 0 or a negative errno.
 */
int ckpt_write_tty(struct ckpt_ctx *ctx, struct ckpt_obj *pobj)
{
	struct tty_struct *slave = (void *)pobj->ptr, *master = pobj->master;
	struct ckpt_tty rec = { .index = slave->index };
	struct n_tty_ckpt *in[2] = { };
	struct inode *inode;
	const char *why = NULL;
	char *buf, *name;
	int err = -ENOMEM, i;

	buf = kmalloc(PATH_MAX, GFP_KERNEL);
	in[0] = kmalloc(sizeof(*in[0]), GFP_KERNEL);
	in[1] = kmalloc(sizeof(*in[1]), GFP_KERNEL);
	if (!buf || !in[0] || !in[1])
		goto out;
	name = ckpt_path(&pobj->file->f_path, buf, PATH_MAX);
	if (IS_ERR(name)) {
		err = ckpt_err(ctx, PTR_ERR(name),
			       "task %d: the ptmx of its pty /dev/pts/%d cannot be named",
			       pobj->pid, slave->index);
		goto out;
	}
	rec.path_len = strlen(name);
	for (i = 0; !why && i < 2; i++)
		why = ckpt_tty_input(i ? slave : master, in[i]);
	if (why) {
		err = ckpt_err(ctx, -EBUSY,
			       "task %d: its pty /dev/pts/%d changed during the checkpoint: %s",
			       pobj->pid, slave->index, why);
		goto out;
	}
	if (test_bit(TTY_PTY_LOCK, &master->flags))
		rec.flags |= CKPT_TTY_LOCKED;
	if (test_bit(TTY_OTHER_CLOSED, &master->flags))
		rec.flags |= CKPT_TTY_SLAVE_CLOSED;
	spin_lock_irq(&master->ctrl.lock);
	if (master->ctrl.packet)
		rec.flags |= CKPT_TTY_PACKET;
	spin_unlock_irq(&master->ctrl.lock);
	/* The status a packet-mode master reads is kept on the slave. */
	spin_lock_irq(&slave->ctrl.lock);
	if (rec.flags & CKPT_TTY_PACKET)
		rec.pktstatus = slave->ctrl.pktstatus;
	spin_unlock_irq(&slave->ctrl.lock);
	inode = d_inode(pobj->dentry);
	rec.mode = inode->i_mode & 07777;
	rec.uid = from_kuid_munged(current_user_ns(), inode->i_uid);
	rec.gid = from_kgid_munged(current_user_ns(), inode->i_gid);
	mutex_lock(&slave->winsize_mutex);
	rec.rows = slave->winsize.ws_row;
	rec.cols = slave->winsize.ws_col;
	rec.xpixel = slave->winsize.ws_xpixel;
	rec.ypixel = slave->winsize.ws_ypixel;
	mutex_unlock(&slave->winsize_mutex);
	down_read(&slave->termios_rwsem);
	ckpt_tty_termios_out(&slave->termios, &rec.termios);
	up_read(&slave->termios_rwsem);

	rec.id = ckpt_obj_number(ctx, pobj);
	err = ckpt_write_rec_tail(ctx, CKPT_REC_TTY, &rec, sizeof(rec), name,
				  rec.path_len);
	for (i = 0; !err && i < 2; i++)
		err = ckpt_write_tty_buf(ctx, rec.id,
					 i ? CKPT_TTY_SLAVE : CKPT_TTY_MASTER,
					 in[i]);
out:
	kfree(in[0]);
	kfree(in[1]);
	kfree(buf);
	return err;
}

/**
 * ckpt_write_ctty - write the CTTY record of a process, if it has one
 * @ctx: the checkpoint.
 * @ct: a thread group leader, checked by ckpt_check_ctty().
 *
 * Return: 0 or a negative errno.
 */
int ckpt_write_ctty(struct ckpt_ctx *ctx, struct ckpt_ctask *ct)
{
	struct task_struct *t = ct->task;
	struct tty_struct *tty = ckpt_task_tty(t);
	struct ckpt_ctty rec = { };
	struct ckpt_obj *pobj;
	int err = 0;

	if (!tty || !ct->tree.sid)
		goto out;
	pobj = ckpt_obj_find(ctx, CKPT_OBJT_TTY, tty);
	if (!pobj) {
		err = ckpt_task_err(ctx, t, -EBUSY,
				    "its controlling terminal changed during the checkpoint");
		goto out;
	}
	if (!pobj->id)
		err = ckpt_write_tty(ctx, pobj);
	if (err)
		goto out;
	rec.tty = pobj->id;
	if (t->signal->leader) {
		rec.flags = CKPT_CTTY_LEADER;
		spin_lock_irq(&tty->ctrl.lock);
		rec.pgrp = pid_nr_ns(tty->ctrl.pgrp, ctx->pidns);
		spin_unlock_irq(&tty->ctrl.lock);
		if (rec.pgrp <= 0) {
			err = ckpt_task_err(ctx, t, -EBUSY,
					    "the foreground process group of its terminal changed during the checkpoint");
			goto out;
		}
	}
	err = ckpt_write_rec(ctx, CKPT_REC_CTTY, &rec, sizeof(rec));
out:
	tty_kref_put(tty);
	return err;
}

/* Restart */

/**
 * ckpt_tty_release - drop a pty restart made
 * @p: its struct ckpt_rtty.
 *
 * Locks the slave again if it was locked (it was kept unlocked for the FILE
 * records that open it), then closes the holder: if no FILE record opened
 * the slave, the master reads the saved data, then EIO, as before.
 */
void ckpt_tty_release(void *p)
{
	struct ckpt_rtty *rt = p;

	if (rt->master && rt->rec.flags & CKPT_TTY_LOCKED)
		set_bit(TTY_PTY_LOCK, &ckpt_file_tty(rt->master)->flags);
	if (rt->holder)
		fput(rt->holder);
	if (rt->master)
		fput(rt->master);
	tty_kref_put(rt->tty);
	kfree(rt);
}

static void ckpt_tty_termios_in(const struct ckpt_termios *c, struct ktermios *k)
{
	memset(k, 0, sizeof(*k));
	k->c_iflag = c->iflag;
	k->c_oflag = c->oflag;
	k->c_cflag = c->cflag;
	k->c_lflag = c->lflag;
	k->c_line = c->line;
	memcpy(k->c_cc, c->cc, sizeof(c->cc));
	k->c_ispeed = c->ispeed;
	k->c_ospeed = c->ospeed;
}

/**
 * struct ckpt_tty_feed - one end's saved input, and how to write it back
 * @b: its TTY_BUF record.
 * @data: the bytes, then the line-end bitmap (canonical).
 * @out: what is written to the other end: the bytes, a literal-next
 *	character before each byte that would be special, and the EOF
 *	character for an EOF.
 * @len: bytes of @out.
 * @lnext: the literal-next character used.
 * @veof: the EOF character used.
 * @eol: the EOL and EOL2 characters that end lines, 0 if unused.
 */
struct ckpt_tty_feed {
	struct ckpt_tty_buf b;
	u8 *data;
	u8 *out;
	u32 len;
	u8 lnext, veof, eol[2];
};

/* A character that is not one of @used (at most four, 0 for none). */
static u8 ckpt_tty_free_char(const u8 *used, int nr)
{
	u8 c;
	int i;

	for (c = 0x16; ; c++) {	/* ^V, ^W... */
		for (i = 0; i < nr && used[i] != c; i++)
			;
		if (i == nr)
			return c;
	}
}

/*
 * Builds what to write to the other end for the line discipline to hold
 * @f's bytes again.  Return: 0, or -EINVAL if the lines end in too many
 * ways.
 */
static int ckpt_tty_feed_build(struct ckpt_tty_feed *f)
{
	const u8 *buf = f->data, *bits = f->data + f->b.len;
	bool canon = f->b.flags & CKPT_TTY_BUF_CANON;
	u8 used[4];
	u32 i, n = 0;

	f->out = kmalloc(2 * f->b.len + 1, GFP_KERNEL);
	if (!f->out)
		return -ENOMEM;
	if (!canon) {
		memcpy(f->out, buf, f->b.len);
		f->len = f->b.len;
		return 0;
	}
	if (ckpt_tty_eol_chars(buf, bits, f->b.len, f->eol) < 0)
		return -EINVAL;
	used[0] = f->eol[0];
	used[1] = f->eol[1];
	f->lnext = ckpt_tty_free_char(used, 2);
	used[2] = f->lnext;
	f->veof = ckpt_tty_free_char(used, 3);
	for (i = 0; i < f->b.len; i++) {
		u8 c = buf[i];
		bool end = bits[i / 8] & BIT(i % 8);

		if (end && !c) {
			f->out[n++] = f->veof;
			continue;
		}
		if (!end && (c == '\n' || c == f->lnext || c == f->veof ||
			     (c && (c == f->eol[0] || c == f->eol[1]))))
			f->out[n++] = f->lnext;
		f->out[n++] = c;
	}
	/* Bits past the last byte must be clear. */
	for (i = f->b.len; i < round_up(f->b.len, 8); i++)
		if (bits[i / 8] & BIT(i % 8))
			return -EINVAL;
	f->len = n;
	return 0;
}

/* Reads the two TTY_BUF records of a pty. */
static int ckpt_tty_read_bufs(struct ckpt_ctx *ctx, const struct ckpt_tty *t,
			      struct ckpt_tty_feed *f)
{
	u32 i, tail;
	int err;

	for (i = 0; i < 2; i++) {
		err = ckpt_read_rec(ctx, CKPT_REC_TTY_BUF, &f[i].b, sizeof(f[i].b),
				    &tail);
		if (err)
			return err;
		if (ckpt_check_tty_buf(&f[i].b, tail, i, t))
			return ckpt_err(ctx, -EINVAL, "malformed TTY_BUF record (pty %u)",
					t->id);
		f[i].data = kmalloc(tail + 1, GFP_KERNEL);
		if (!f[i].data)
			return -ENOMEM;
		err = ckpt_read_tail(ctx, f[i].data, tail);
		if (err)
			return err;
		err = ckpt_tty_feed_build(&f[i]);
		if (err)
			return err == -EINVAL ?
			       ckpt_err(ctx, err, "malformed TTY_BUF record (pty %u: its line ends)",
					t->id) : err;
	}
	return 0;
}

/* Does @tty's line discipline hold @f's input? */
static bool ckpt_tty_holds(struct tty_struct *tty, const struct ckpt_tty_feed *f,
			   struct n_tty_ckpt *in)
{
	const u8 *bits = f->data + f->b.len;
	bool canon = f->b.flags & CKPT_TTY_BUF_CANON;
	u32 i;

	if (ckpt_tty_input(tty, in) || in->len != f->b.len ||
	    in->canon != canon || memcmp(in->buf, f->data, in->len))
		return false;
	for (i = 0; i < in->len; i++)
		if (test_bit(i, in->eol) != (canon && bits[i / 8] & BIT(i % 8)))
			return false;
	return true;
}

/* Writes @f's input to @file, the other end, and waits until it is taken. */
static int ckpt_tty_feed(struct ckpt_ctx *ctx, struct ckpt_rtty *rt,
			 struct file *file, struct tty_struct *to,
			 const struct ckpt_tty_feed *f, struct n_tty_ckpt *in)
{
	ssize_t n;

	if (f->len) {
		n = kernel_write(file, f->out, f->len, NULL);
		if (n != f->len)
			return ckpt_err(ctx, n < 0 ? n : -EIO,
					"pty %u: cannot write its input back (error %zd)",
					rt->rec.id, n);
	}
	/* Processed by the line discipline in a work item: wait for it. */
	flush_work(&to->port->buf.work);
	if (!ckpt_tty_holds(to, f, in))
		return ckpt_err(ctx, -EIO,
				"pty %u: its %s does not hold the input written back",
				rt->rec.id, f->b.end == CKPT_TTY_SLAVE ? "slave" : "master");
	return 0;
}

/*
 * Gives the slave @name its saved owner and mode, as chown() and chmod()
 * on it would, if the new one has others; through an O_PATH open, which
 * does not open the terminal.
 */
static int ckpt_tty_attrs(struct ckpt_ctx *ctx, struct ckpt_rtty *rt,
			  const char *name)
{
	struct user_namespace *ns = current_user_ns();
	kuid_t uid = make_kuid(ns, rt->rec.uid);
	kgid_t gid = make_kgid(ns, rt->rec.gid);
	struct inode *inode;
	struct file *f;
	int err = 0;

	f = file_open_root(&ctx->ns_root, name, O_PATH, 0);
	if (IS_ERR(f))
		return ckpt_err(ctx, PTR_ERR(f), "pty %u: cannot open %s (error %ld)",
				rt->rec.id, name, PTR_ERR(f));
	inode = file_inode(f);
	if (d_inode(rt->tty->driver_data) != inode)
		err = ckpt_err(ctx, -ESTALE, "pty %u: %s is not its slave",
			       rt->rec.id, name);
	if (!err && (!uid_eq(inode->i_uid, uid) || !gid_eq(inode->i_gid, gid)))
		err = vfs_fchown(f, rt->rec.uid, rt->rec.gid);
	if (!err && (inode->i_mode & 07777) != rt->rec.mode)
		err = vfs_fchmod(f, rt->rec.mode);
	fput(f);
	if (err && err != -ESTALE)
		err = ckpt_err(ctx, err,
			       "pty %u: cannot give %s owner %u:%u and mode %04o (error %d: chown() and chmod() refuse it)",
			       rt->rec.id, name, rt->rec.uid, rt->rec.gid,
			       rt->rec.mode, err);
	return err;
}

/* Makes the pair and opens the holder; unlocked, as ptmx made it. */
static int ckpt_tty_open(struct ckpt_ctx *ctx, struct ckpt_rtty *rt,
			 const char *path, bool holder)
{
	const int flags = O_RDWR | O_NOCTTY | O_NONBLOCK;
	struct tty_struct *master;
	char name[32];
	struct file *f;
	int err;

	mutex_lock(&ckpt_ptmx_mutex);
	ckpt_ptmx_index = rt->rec.index;
	WRITE_ONCE(ckpt_ptmx_opener, current);
	f = file_open_root(&ctx->ns_root, path, flags, 0);
	WRITE_ONCE(ckpt_ptmx_opener, NULL);
	mutex_unlock(&ckpt_ptmx_mutex);
	if (f == ERR_PTR(-ENOSPC))
		return ckpt_err(ctx, -EBUSY,
				"pty %u: cannot make /dev/pts/%u: it is taken (or kernel.pty.max is reached)",
				rt->rec.id, rt->rec.index);
	if (IS_ERR(f))
		return ckpt_err(ctx, PTR_ERR(f), "pty %u: cannot open %s (error %ld)",
				rt->rec.id, path, PTR_ERR(f));
	rt->master = f;
	if (!S_ISCHR(file_inode(f)->i_mode) ||
	    file_inode(f)->i_rdev != MKDEV(TTYAUX_MAJOR, 2) ||
	    !ckpt_pts_master(ckpt_file_tty(f)))
		return ckpt_err(ctx, -ESTALE, "pty %u: %s is not a ptmx", rt->rec.id,
				path);
	master = ckpt_file_tty(f);
	rt->tty = tty_kref_get(master->link);
	if (master->index != rt->rec.index ||
	    !ckpt_tty_devpts_ok(&ctx->ns_root, rt->tty->driver_data))
		return ckpt_err(ctx, -EOPNOTSUPP,
				"pty %u: %s does not make its ptys in the container's /dev/pts",
				rt->rec.id, path);
	/* As TIOCSPTLCK 0: the slave can be opened. */
	clear_bit(TTY_PTY_LOCK, &master->flags);
	snprintf(name, sizeof(name), "/dev/pts/%u", rt->rec.index);
	err = ckpt_tty_attrs(ctx, rt, name);
	if (err || !holder)
		return err;
	f = file_open_root(&ctx->ns_root, name, flags, 0);
	if (IS_ERR(f))
		return ckpt_err(ctx, PTR_ERR(f), "pty %u: cannot open %s (error %ld)",
				rt->rec.id, name, PTR_ERR(f));
	rt->holder = f;
	if (!S_ISCHR(file_inode(f)->i_mode) || !ckpt_pts_major(imajor(file_inode(f))) ||
	    ckpt_file_tty(f) != rt->tty)
		return ckpt_err(ctx, -ESTALE, "pty %u: %s is not its slave",
				rt->rec.id, name);
	return 0;
}

/*
 * Writes the saved input back, then sets the slave's termios, window
 * size and packet mode.
 */
static int ckpt_tty_setup(struct ckpt_ctx *ctx, struct ckpt_rtty *rt,
			  struct ckpt_tty_feed *f)
{
	struct tty_struct *slave = rt->tty, *master = slave->link;
	const struct ckpt_tty *rec = &rt->rec;
	bool canon = f[CKPT_TTY_SLAVE].b.flags & CKPT_TTY_BUF_CANON;
	struct winsize ws = {
		.ws_row = rec->rows, .ws_col = rec->cols,
		.ws_xpixel = rec->xpixel, .ws_ypixel = rec->ypixel,
	};
	struct n_tty_ckpt *in;
	struct ktermios k;
	int err = 0;

	in = kmalloc(sizeof(*in), GFP_KERNEL);
	if (!in)
		return -ENOMEM;
	/*
	 * No input processing, no echo, no output processing: the bytes are
	 * stored as written; in canonical mode only the characters chosen
	 * end lines, and a literal-next character keeps any other byte.
	 */
	ckpt_tty_termios_in(&rec->termios, &k);
	k.c_iflag = 0;
	k.c_oflag = 0;
	k.c_lflag = canon ? ICANON | IEXTEN : 0;
	memset(k.c_cc, 0, sizeof(k.c_cc));
	if (canon) {
		k.c_cc[VLNEXT] = f[CKPT_TTY_SLAVE].lnext;
		k.c_cc[VEOF] = f[CKPT_TTY_SLAVE].veof;
		k.c_cc[VEOL] = f[CKPT_TTY_SLAVE].eol[0];
		k.c_cc[VEOL2] = f[CKPT_TTY_SLAVE].eol[1];
	}
	tty_set_termios(slave, &k);
	err = ckpt_tty_feed(ctx, rt, rt->master, slave, &f[CKPT_TTY_SLAVE], in);
	if (!err && rt->holder)
		err = ckpt_tty_feed(ctx, rt, rt->holder, master,
				    &f[CKPT_TTY_MASTER], in);
	kfree(in);
	if (err)
		return err;
	/* As TCSETS, then TIOCSWINSZ (tiocswinsz()). */
	ckpt_tty_termios_in(&rec->termios, &k);
	tty_set_termios(slave, &k);
	if (ws.ws_row || ws.ws_col || ws.ws_xpixel || ws.ws_ypixel) {
		err = slave->ops->resize ? slave->ops->resize(slave, &ws) :
		      tty_do_resize(slave, &ws);
		if (err)
			return ckpt_err(ctx, err, "pty %u: cannot set its window size",
					rec->id);
	}
	if (rec->flags & CKPT_TTY_PACKET) {
		/* As TIOCPKT 1, then the status it had not read. */
		spin_lock_irq(&master->ctrl.lock);
		master->ctrl.packet = true;
		spin_unlock_irq(&master->ctrl.lock);
		spin_lock_irq(&slave->ctrl.lock);
		slave->ctrl.pktstatus = rec->pktstatus;
		spin_unlock_irq(&slave->ctrl.lock);
	}
	return 0;
}

/**
 * ckpt_restore_tty - make the pty of a TTY record and fill it
 * @ctx: the restart.
 * @hdr: the record's header, already read.
 *
 * Return: 0 or a negative errno.
 */
int ckpt_restore_tty(struct ckpt_ctx *ctx, const struct ckpt_rec *hdr)
{
	struct ckpt_tty_feed f[2] = { };
	struct ckpt_rtty *rt;
	char *path = NULL;
	u32 tail;
	int err, i;

	rt = kzalloc(sizeof(*rt), GFP_KERNEL);
	if (!rt)
		return -ENOMEM;
	err = ckpt_read_rec_body(ctx, hdr, &rt->rec, sizeof(rt->rec), &tail);
	if (!err && (ckpt_check_tty_rec(&rt->rec) || tail != rt->rec.path_len ||
		     rt->rec.id != ctx->robjs[CKPT_OBJT_TTY].nr + 1))
		err = ckpt_err(ctx, -EINVAL, "malformed TTY record (pty %u)",
			       rt->rec.id);
	if (!err)
		err = ckpt_read_string(ctx, rt->rec.path_len, &path);
	if (!err)
		err = ckpt_tty_read_bufs(ctx, &rt->rec, f);
	if (!err && !IS_ENABLED(CONFIG_UNIX98_PTYS))
		err = ckpt_err(ctx, -EOPNOTSUPP, "pty %u: Unix98 ptys are not configured",
			       rt->rec.id);
	/* The slave is opened to write the master's input, or to close it. */
	if (!err)
		err = ckpt_tty_open(ctx, rt, path,
				    f[CKPT_TTY_MASTER].b.len ||
				    rt->rec.flags & CKPT_TTY_SLAVE_CLOSED);
	if (!err)
		err = ckpt_tty_setup(ctx, rt, f);
	if (!err)
		err = ckpt_robj_add(ctx, CKPT_OBJT_TTY, rt->rec.id, rt);
	if (err)
		ckpt_tty_release(rt);
	for (i = 0; i < 2; i++) {
		kfree(f[i].data);
		kfree(f[i].out);
	}
	kfree(path);
	return err;
}

/**
 * ckpt_tty_file - the open file of a FILE record of a pty or /dev/tty
 * @ctx: the restart.
 * @rec: a CKPT_FILE_TTY record, valid.
 * @path: its path (a slave or /dev/tty), or NULL for the master.
 *
 * Return: the file, with a reference for the caller, or an ERR_PTR().
 */
struct file *ckpt_tty_file(struct ckpt_ctx *ctx, const struct ckpt_file *rec,
			   const char *path)
{
	struct ckpt_rtty *rt = ckpt_robj_get(ctx, CKPT_OBJT_TTY, rec->obj);
	struct inode *inode;
	struct file *file;

	if (!rt)
		return ERR_PTR(ckpt_err(ctx, -EINVAL, "file %u: pty %u does not exist",
					rec->id, rec->obj));
	if (rec->rdev == CKPT_TTY_RDEV_PTMX) {
		if (rt->taken || (rec->flags & O_ACCMODE) != O_RDWR)
			return ERR_PTR(ckpt_err(ctx, -EINVAL,
						"file %u: the master of pty %u is taken, or not O_RDWR",
						rec->id, rec->obj));
		rt->taken = true;
		return get_file(rt->master);
	}
	/* The caller's checks of open(); never a new controlling terminal. */
	file = file_open_root(&ctx->ns_root, path, rec->flags | O_NOCTTY, 0);
	if (IS_ERR(file))
		return ERR_PTR(ckpt_err(ctx, PTR_ERR(file),
					"file %u: cannot open %s (error %ld)%s", rec->id,
					path, PTR_ERR(file),
					rec->rdev == CKPT_TTY_RDEV_TTY ?
					": not the controlling terminal?" : ""));
	inode = file_inode(file);
	if (!S_ISCHR(inode->i_mode) ||
	    MAJOR(inode->i_rdev) << 20 != (rec->rdev & ~0xfffffU) ||
	    (rec->rdev == CKPT_TTY_RDEV_TTY && MINOR(inode->i_rdev)) ||
	    ckpt_file_tty(file) != rt->tty) {
		fput(file);
		return ERR_PTR(ckpt_err(ctx, -ESTALE, "file %u: %s is not pty %u",
					rec->id, path, rec->obj));
	}
	return file;
}

/* Gives the current process @tty as controlling terminal, as fork() does. */
static void ckpt_take_ctty(struct tty_struct *tty)
{
	struct sighand_struct *sh = ckpt_sighand();
	struct tty_struct *old;

	spin_lock_irq(&sh->siglock);
	old = current->signal->tty;
	current->signal->tty = tty_kref_get(tty);
	spin_unlock_irq(&sh->siglock);
	tty_kref_put(old);
}

/**
 * ckpt_restore_ctty - restore the controlling terminal of a process
 * @ctx: the restart.
 * @next: the header of the record after the process's file system
 *	context, already read; set to the header of the record after its
 *	CTTY record, if there is one.
 * @rs: the process (a thread group leader).
 *
 * Context: the restarted process, after the coordinator attached it to its
 * group and session.
 * Return: 0 or a negative errno.
 */
int ckpt_restore_ctty(struct ckpt_ctx *ctx, struct ckpt_rec *next,
		      struct ckpt_restart_state *rs)
{
	struct ckpt_rtty *rt;
	struct ckpt_ctty rec;
	struct file *m;
	int err;

	if (next->type == CKPT_REC_TTY) {
		err = ckpt_restore_tty(ctx, next) ?: ckpt_read_rec_type(ctx, next);
		if (!err && next->type != CKPT_REC_CTTY)
			err = ckpt_err(ctx, -EINVAL,
				       "record %u where a CTTY record was expected",
				       next->type);
		if (err)
			return err;
	}
	if (next->type != CKPT_REC_CTTY)
		return 0;
	err = ckpt_read_rec_body(ctx, next, &rec, sizeof(rec), NULL);
	if (err)
		return err;
	rt = ckpt_robj_get(ctx, CKPT_OBJT_TTY, rec.tty);
	if (ckpt_check_ctty_rec(&rec) || !rt || !rs->tree.sid ||
	    (rec.flags & CKPT_CTTY_LEADER &&
	     !(rs->tree.flags & CKPT_TREE_SESSION_LEADER)))
		return ckpt_err(ctx, -EINVAL, "malformed CTTY record (pid %d, pty %u)",
				rs->tree.pid, rec.tty);
	if (!(rec.flags & CKPT_CTTY_LEADER)) {
		ckpt_take_ctty(rt->tty);
		return ckpt_read_rec_type(ctx, next);
	}
	/* The session leader: TIOCSCTTY (not stealing), then TIOCSPGRP. */
	m = rt->master;
	err = security_file_ioctl(m, TIOCSCTTY, 0);
	if (!err)
		err = m->f_op->unlocked_ioctl(m, TIOCSCTTY, 0);
	if (err)
		return ckpt_err(ctx, err,
				"pid %d: cannot make pty %u its controlling terminal (error %d)",
				rs->tree.pid, rec.tty, err);
	/*
	 * TIOCSPGRP's tty_check_change() passes: the leader is in the
	 * foreground group that TIOCSCTTY just gave the terminal.
	 */
	err = tty_set_pgrp_nr(rt->tty, rec.pgrp);
	if (err)
		return ckpt_err(ctx, err,
				"pid %d: cannot make process group %d the foreground group of pty %u (error %d)",
				rs->tree.pid, rec.pgrp, rec.tty, err);
	return ckpt_read_rec_type(ctx, next);
}

/**
 * ckpt_check_cttys - check the restored controlling terminals
 * @ctx: the restart, every task's section read.
 * @r: its tasks.
 *
 * A process that took a pty of the image as its controlling terminal
 * must be in the session whose leader made it that session's.
 *
 * Return: 0 or -EINVAL with a reason.
 */
int ckpt_check_cttys(struct ckpt_ctx *ctx, struct ckpt_restart *r)
{
	struct ckpt_robjs *ttys = &ctx->robjs[CKPT_OBJT_TTY];
	u32 i, j;

	for (i = 0; ttys->nr && i < r->nr_tasks; i++) {
		struct ckpt_restart_state *rs = &r->tasks[i];
		struct task_struct *t = rs->tsk;
		struct tty_struct *tty;
		bool ok = true;

		if (rs->tree.pid != rs->tree.tgid ||
		    rs->tree.state != CKPT_TREE_LIVE)
			continue;
		tty = ckpt_task_tty(t);
		for (j = 0; tty && j < ttys->nr; j++) {
			struct ckpt_rtty *rt = ttys->ptr[j];

			if (rt->tty != tty)
				continue;
			spin_lock_irq(&tty->ctrl.lock);
			ok = tty->ctrl.session == task_session(t);
			spin_unlock_irq(&tty->ctrl.lock);
		}
		tty_kref_put(tty);
		if (!ok)
			return ckpt_err(ctx, -EINVAL,
					"CTTY: pid %d has the controlling terminal of a session it is not in",
					rs->tree.pid);
	}
	return 0;
}

#if IS_ENABLED(CONFIG_CKPT_KUNIT_TEST)
#include "tests/tty-kunit.h"
#endif
