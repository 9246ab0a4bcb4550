// SPDX-License-Identifier: GPL-2.0-only
/*
 * ckpt: the task itself: identity, credentials, resource limits, root,
 * working directory and umask.
 *
 * Restart applies these in the new task, which starts with the caller's
 * credentials.  Nothing is taken on trust from the image: the new
 * credentials must be ones the caller could give itself through
 * setresuid(), setgroups(), capset() and prctl(), and raising a limit
 * needs what setrlimit() needs.
 */

#include <linux/capability.h>
#include <linux/cred.h>
#include <linux/fs_struct.h>
#include <linux/namei.h>
#include <linux/nospec.h>
#include <linux/posix-timers.h>
#include <linux/ptrace.h>
#include <linux/resource.h>
#include <linux/rseq.h>
#include <linux/sched/mm.h>
#include <linux/sched/signal.h>
#include <linux/sched/user.h>
#include <linux/security.h>
#include <linux/seccomp.h>
#include <linux/slab.h>
#include <linux/user_namespace.h>
#include <linux/futex.h>
#include <uapi/linux/securebits.h>

#include "internal.h"

/* The size of struct rseq before it grew: sys_rseq() accepts it too. */
#define CKPT_ORIG_RSEQ_SIZE	32

/**
 * ckpt_path - the name of a file from the root of its mount namespace
 * @path: what to name.
 * @buf: a buffer for the name.
 * @buflen: its size.
 *
 * Files are named from the root of the mount namespace they are reached
 * through, and opened at restart from the root of the new one, a copy of
 * the caller's.  A file opened before the container got its own copy of
 * the namespace gets the same name as one opened after.
 *
 * Return: the name inside @buf; ERR_PTR(-EOPNOTSUPP) if @path was deleted
 * or is on no mounted filesystem, ERR_PTR(-ENAMETOOLONG).
 */
char *ckpt_path(const struct path *path, char *buf, int buflen)
{
	char *name;

	if (d_unlinked(path->dentry))
		return ERR_PTR(-EOPNOTSUPP);
	name = d_absolute_path(path, buf, buflen);
	if (IS_ERR(name) && PTR_ERR(name) == -EINVAL)
		return ERR_PTR(-EOPNOTSUPP);
	return name;
}

/**
 * ckpt_check_task - refuse tasks in states this version does not save
 * @ctx: the checkpoint.
 * @t: the task.
 *
 * Return: 0, -EBUSY (ptraced, exiting, in exec) or -EOPNOTSUPP.
 */
int ckpt_check_task(struct ckpt_ctx *ctx, struct task_struct *t)
{
	if (t->ptrace)
		return ckpt_task_err(ctx, t, -EBUSY, "the task is ptraced");
	if ((t->flags & PF_EXITING) || fatal_signal_pending(t))
		return ckpt_task_err(ctx, t, -EBUSY, "the task is exiting");
	if (t->in_execve)
		return ckpt_task_err(ctx, t, -EBUSY, "the task is in execve()");
	if (task_is_stopped_or_traced(t) || (t->jobctl & JOBCTL_STOP_PENDING))
		return ckpt_task_err(ctx, t, -EOPNOTSUPP,
				     "job control stop (SIGSTOP) is not supported yet");
#ifdef CONFIG_SECCOMP
	if (t->seccomp.mode != SECCOMP_MODE_DISABLED)
		return ckpt_task_err(ctx, t, -EOPNOTSUPP,
				     "seccomp filters are not supported yet");
#endif
#ifdef CONFIG_IO_URING
	if (t->io_uring)
		return ckpt_task_err(ctx, t, -EOPNOTSUPP,
				     "io_uring is not supported");
#endif
	if (t->policy != SCHED_NORMAL || t->static_prio != DEFAULT_PRIO)
		return ckpt_task_err(ctx, t, -EOPNOTSUPP,
				     "a scheduling policy or nice value other than the default is not supported yet");
	if (t->flags & PF_KTHREAD)
		return ckpt_task_err(ctx, t, -EOPNOTSUPP, "a kernel thread");
	return 0;
}

/**
 * ckpt_write_task - write the TASK record
 * @ctx: the checkpoint.
 * @t: the task.
 *
 * Return: 0 or a negative errno.
 */
int ckpt_write_task(struct ckpt_ctx *ctx, struct task_struct *t)
{
	struct ckpt_task rec = {
		.pid = task_pid_nr_ns(t, ctx->pidns),
		.tgid = task_tgid_nr_ns(t, ctx->pidns),
		.exit_signal = t->exit_signal,
		.pdeath_signal = t->pdeath_signal,
		.personality = t->personality,
		.clear_child_tid = (unsigned long)t->clear_child_tid,
	};

	get_task_comm(rec.comm, t);
	if (task_no_new_privs(t))
		rec.flags |= CKPT_TASK_NO_NEW_PRIVS;
	if (t->mm && get_dumpable(t->mm) == SUID_DUMP_USER)
		rec.flags |= CKPT_TASK_DUMPABLE;
#ifdef CONFIG_FUTEX
	rec.robust_list = (unsigned long)t->robust_list;
	if (t->robust_list)
		rec.robust_list_len = sizeof(*t->robust_list);
#endif
#ifdef CONFIG_RSEQ
	rec.rseq = (unsigned long)t->rseq;
	rec.rseq_len = t->rseq_len;
	rec.rseq_sig = t->rseq_sig;
#endif
	return ckpt_write_rec(ctx, CKPT_REC_TASK, &rec, sizeof(rec));
}

/**
 * ckpt_restore_task - apply the TASK record to the new task
 * @ctx: the restart.
 * @rec: the record.
 *
 * Context: the new task, before it first runs in user space.
 * Return: 0, or -EINVAL for invalid values.
 */
int ckpt_restore_task(struct ckpt_ctx *ctx, const struct ckpt_task *rec)
{
	struct task_struct *t = current;

	if (rec->flags & ~CKPT_TASK_FLAGS)
		return ckpt_err(ctx, -EINVAL, "unknown task flags %#x", rec->flags);
	if (!valid_signal(rec->pdeath_signal) || rec->pdeath_signal < 0)
		return ckpt_err(ctx, -EINVAL, "invalid parent death signal %d",
				rec->pdeath_signal);
	if (rec->clear_child_tid >= TASK_SIZE || rec->robust_list >= TASK_SIZE)
		return ckpt_err(ctx, -EINVAL, "invalid tid or robust list address");

	if (!memchr(rec->comm, '\0', sizeof(rec->comm)))
		return ckpt_err(ctx, -EINVAL, "task name not terminated");
	set_task_comm(t, rec->comm);
	t->pdeath_signal = rec->pdeath_signal;
	t->personality = rec->personality;
	t->clear_child_tid = (int __user *)(unsigned long)rec->clear_child_tid;
#ifdef CONFIG_FUTEX
	if (rec->robust_list && rec->robust_list_len != sizeof(*t->robust_list))
		return ckpt_err(ctx, -EINVAL, "invalid robust list length");
	t->robust_list = (void __user *)(unsigned long)rec->robust_list;
#else
	if (rec->robust_list)
		return ckpt_err(ctx, -EOPNOTSUPP, "this kernel has no futexes");
#endif
#ifdef CONFIG_RSEQ
	/* Not the caller's registration, which fork copied. */
	t->rseq = NULL;
	t->rseq_len = 0;
	t->rseq_sig = 0;
#endif
	if (rec->rseq) {
#ifdef CONFIG_RSEQ
		/* The checks of sys_rseq() at registration. */
		if (rec->rseq >= TASK_SIZE || rec->rseq_len < CKPT_ORIG_RSEQ_SIZE ||
		    rec->rseq_len > PAGE_SIZE ||
		    (rec->rseq_len == CKPT_ORIG_RSEQ_SIZE &&
		     !IS_ALIGNED(rec->rseq, CKPT_ORIG_RSEQ_SIZE)) ||
		    (rec->rseq_len != CKPT_ORIG_RSEQ_SIZE &&
		     (!IS_ALIGNED(rec->rseq, __alignof__(struct rseq)) ||
		      rec->rseq_len < offsetof(struct rseq, end))))
			return ckpt_err(ctx, -EINVAL, "invalid rseq registration");
		t->rseq = (struct rseq __user *)(unsigned long)rec->rseq;
		t->rseq_len = rec->rseq_len;
		t->rseq_sig = rec->rseq_sig;
		rseq_set_notify_resume(t);
#else
		return ckpt_err(ctx, -EOPNOTSUPP, "this kernel has no rseq");
#endif
	}
	if (rec->flags & CKPT_TASK_NO_NEW_PRIVS)
		task_set_no_new_privs(t);
	return 0;
}

static u64 ckpt_cap_to_u64(kernel_cap_t c)
{
	return c.val;
}

/**
 * ckpt_write_creds - write the CREDS record
 * @ctx: the checkpoint.
 * @t: the task.
 *
 * Return: 0 or a negative errno.
 */
int ckpt_write_creds(struct ckpt_ctx *ctx, struct task_struct *t)
{
	struct user_namespace *ns = current_user_ns();
	const struct cred *cred;
	struct ckpt_creds rec;
	u32 *groups;
	int i, err;

	cred = get_task_cred(t);
	rec = (struct ckpt_creds) {
		.uid = from_kuid_munged(ns, cred->uid),
		.euid = from_kuid_munged(ns, cred->euid),
		.suid = from_kuid_munged(ns, cred->suid),
		.fsuid = from_kuid_munged(ns, cred->fsuid),
		.gid = from_kgid_munged(ns, cred->gid),
		.egid = from_kgid_munged(ns, cred->egid),
		.sgid = from_kgid_munged(ns, cred->sgid),
		.fsgid = from_kgid_munged(ns, cred->fsgid),
		.securebits = cred->securebits,
		.ngroups = cred->group_info->ngroups,
		.cap_inheritable = ckpt_cap_to_u64(cred->cap_inheritable),
		.cap_permitted = ckpt_cap_to_u64(cred->cap_permitted),
		.cap_effective = ckpt_cap_to_u64(cred->cap_effective),
		.cap_bset = ckpt_cap_to_u64(cred->cap_bset),
		.cap_ambient = ckpt_cap_to_u64(cred->cap_ambient),
	};
	groups = kvmalloc_array(rec.ngroups, sizeof(u32), GFP_KERNEL);
	if (!groups) {
		put_cred(cred);
		return -ENOMEM;
	}
	for (i = 0; i < rec.ngroups; i++)
		groups[i] = from_kgid_munged(ns, cred->group_info->gid[i]);
	put_cred(cred);

	err = ckpt_write_rec_tail(ctx, CKPT_REC_CREDS, &rec, sizeof(rec),
				  groups, rec.ngroups * sizeof(u32));
	kvfree(groups);
	return err;
}

/* May the caller, with @old credentials, take on @id as a uid? */
static bool ckpt_uid_ok(const struct cred *old, kuid_t id, bool capable)
{
	if (!uid_valid(id))
		return false;
	return capable || uid_eq(id, old->uid) || uid_eq(id, old->euid) ||
	       uid_eq(id, old->suid);
}

static bool ckpt_gid_ok(const struct cred *old, kgid_t id, bool capable)
{
	if (!gid_valid(id))
		return false;
	return capable || gid_eq(id, old->gid) || gid_eq(id, old->egid) ||
	       gid_eq(id, old->sgid);
}

static int ckpt_set_ids(struct ckpt_ctx *ctx, struct cred *new,
			const struct cred *old, const struct ckpt_creds *rec)
{
	struct user_namespace *ns = current_user_ns();
	bool setuid = ns_capable(ns, CAP_SETUID);
	bool setgid = ns_capable(ns, CAP_SETGID);

	new->uid = make_kuid(ns, rec->uid);
	new->euid = make_kuid(ns, rec->euid);
	new->suid = make_kuid(ns, rec->suid);
	new->fsuid = make_kuid(ns, rec->fsuid);
	new->gid = make_kgid(ns, rec->gid);
	new->egid = make_kgid(ns, rec->egid);
	new->sgid = make_kgid(ns, rec->sgid);
	new->fsgid = make_kgid(ns, rec->fsgid);

	if (!ckpt_uid_ok(old, new->uid, setuid) ||
	    !ckpt_uid_ok(old, new->euid, setuid) ||
	    !ckpt_uid_ok(old, new->suid, setuid) ||
	    !(ckpt_uid_ok(old, new->fsuid, setuid) ||
	      uid_eq(new->fsuid, old->fsuid)))
		return ckpt_err(ctx, -EPERM,
				"the caller may not take on uids %u/%u/%u/%u of the image",
				rec->uid, rec->euid, rec->suid, rec->fsuid);
	if (!ckpt_gid_ok(old, new->gid, setgid) ||
	    !ckpt_gid_ok(old, new->egid, setgid) ||
	    !ckpt_gid_ok(old, new->sgid, setgid) ||
	    !(ckpt_gid_ok(old, new->fsgid, setgid) ||
	      gid_eq(new->fsgid, old->fsgid)))
		return ckpt_err(ctx, -EPERM,
				"the caller may not take on gids %u/%u/%u/%u of the image",
				rec->gid, rec->egid, rec->sgid, rec->fsgid);
	return 0;
}

static int ckpt_set_groups(struct ckpt_ctx *ctx, struct cred *new,
			   const struct cred *old, const u32 *gids, u32 n)
{
	struct user_namespace *ns = current_user_ns();
	struct group_info *gi;
	u32 i;

	gi = groups_alloc(n);
	if (!gi)
		return -ENOMEM;
	for (i = 0; i < n; i++) {
		gi->gid[i] = make_kgid(ns, gids[i]);
		if (!gid_valid(gi->gid[i])) {
			put_group_info(gi);
			return ckpt_err(ctx, -EINVAL,
					"supplementary group %u has no mapping", gids[i]);
		}
	}
	groups_sort(gi);

	/* setgroups() needs CAP_SETGID, unless nothing changes. */
	if (!ns_capable(ns, CAP_SETGID)) {
		bool same = gi->ngroups == old->group_info->ngroups;

		for (i = 0; same && i < gi->ngroups; i++)
			same = gid_eq(gi->gid[i], old->group_info->gid[i]);
		if (!same) {
			put_group_info(gi);
			return ckpt_err(ctx, -EPERM,
					"the caller may not set the image's supplementary groups");
		}
	}
	set_groups(new, gi);
	put_group_info(gi);
	return 0;
}

static int ckpt_set_caps(struct ckpt_ctx *ctx, struct cred *new,
			 const struct cred *old, const struct ckpt_creds *rec)
{
	kernel_cap_t eff = { .val = rec->cap_effective };
	kernel_cap_t inh = { .val = rec->cap_inheritable };
	kernel_cap_t perm = { .val = rec->cap_permitted };
	kernel_cap_t bset = { .val = rec->cap_bset };
	kernel_cap_t amb = { .val = rec->cap_ambient };
	u64 valid = CAP_VALID_MASK;
	int err;

	if ((rec->cap_effective | rec->cap_inheritable | rec->cap_permitted |
	     rec->cap_bset | rec->cap_ambient) & ~valid)
		return ckpt_err(ctx, -EINVAL, "unknown capability bits");

	/* The checks of capset(): no capability the caller does not have. */
	err = security_capset(new, old, &eff, &inh, &perm);
	if (err)
		return ckpt_err(ctx, err,
				"the caller may not grant the image's capabilities");

	/* Bounding set: only ever lowered, and lowering needs CAP_SETPCAP. */
	if (!cap_issubset(bset, old->cap_bset) ||
	    (!cap_issubset(old->cap_bset, bset) &&
	     !ns_capable(current_user_ns(), CAP_SETPCAP)))
		return ckpt_err(ctx, -EPERM,
				"the caller may not set the image's capability bounding set");
	new->cap_bset = bset;

	if (!cap_issubset(amb, cap_intersect(new->cap_permitted,
					     new->cap_inheritable)))
		return ckpt_err(ctx, -EPERM,
				"ambient capabilities outside permitted and inheritable");
	new->cap_ambient = amb;

	if (old->securebits & issecure_mask(SECURE_NO_CAP_AMBIENT_RAISE) &&
	    !cap_issubset(amb, old->cap_ambient))
		return ckpt_err(ctx, -EPERM,
				"the caller's securebits forbid raising ambient capabilities");

	/* The checks of prctl(PR_SET_SECUREBITS). */
	if (rec->securebits & ~(SECURE_ALL_BITS | SECURE_ALL_LOCKS))
		return ckpt_err(ctx, -EINVAL, "unknown securebits %#x",
				rec->securebits);
	if (rec->securebits != old->securebits &&
	    ((((old->securebits & SECURE_ALL_LOCKS) >> 1) &
	      (old->securebits ^ rec->securebits)) ||
	     (old->securebits & SECURE_ALL_LOCKS & ~rec->securebits) ||
	     !ns_capable(current_user_ns(), CAP_SETPCAP)))
		return ckpt_err(ctx, -EPERM,
				"the caller may not set the image's securebits");
	new->securebits = rec->securebits;
	return 0;
}

/**
 * ckpt_read_creds - read the CREDS record into new credentials
 * @ctx: the restart.
 * @out: set to the credentials, to be committed when the task is ready.
 *
 * Context: the new task, still with the caller's credentials.
 * Return: 0, -EPERM if the caller may not have these credentials,
 * -EINVAL, or another negative errno.
 */
int ckpt_read_creds(struct ckpt_ctx *ctx, struct cred **out)
{
	const struct cred *old = current_cred();
	struct ckpt_creds rec;
	u32 *gids = NULL;
	struct cred *new;
	u32 tail;
	int err;

	err = ckpt_read_rec(ctx, CKPT_REC_CREDS, &rec, sizeof(rec), &tail);
	if (err)
		return err;
	if (rec.ngroups > CKPT_NGROUPS_MAX || tail != rec.ngroups * sizeof(u32))
		return ckpt_err(ctx, -EINVAL, "CREDS record: %u groups in %u bytes",
				rec.ngroups, tail);
	if (tail) {
		gids = kvmalloc(tail, GFP_KERNEL);
		if (!gids)
			return -ENOMEM;
		err = ckpt_read_tail(ctx, gids, tail);
		if (err)
			goto out_gids;
	}

	new = prepare_creds();
	err = -ENOMEM;
	if (!new)
		goto out_gids;
	err = ckpt_set_ids(ctx, new, old, &rec);
	/* What setresuid(), setresgid() and setgroups() ask the LSMs. */
	if (!err)
		err = security_task_fix_setuid(new, old, LSM_SETID_RES);
	if (!err)
		err = security_task_fix_setgid(new, old, LSM_SETID_RES);
	if (!err)
		err = ckpt_set_groups(ctx, new, old, gids, rec.ngroups);
	if (!err)
		err = security_task_fix_setgroups(new, old);
	if (!err)
		err = ckpt_set_caps(ctx, new, old, &rec);
	if (!err && !uid_eq(new->uid, old->uid)) {
		struct user_struct *user = alloc_uid(new->uid);

		err = -EAGAIN;
		if (user) {
			free_uid(new->user);
			new->user = user;
			err = set_cred_ucounts(new);
		}
	}
	if (err) {
		abort_creds(new);
		goto out_gids;
	}
	*out = new;
out_gids:
	kvfree(gids);
	return err;
}

/**
 * ckpt_write_rlimits - write the RLIMITS record
 * @ctx: the checkpoint.
 * @t: the task.
 *
 * Return: 0 or a negative errno.
 */
int ckpt_write_rlimits(struct ckpt_ctx *ctx, struct task_struct *t)
{
	struct ckpt_rlimits rec;
	int i;

	BUILD_BUG_ON(RLIM_NLIMITS != CKPT_RLIM_NLIMITS);
	task_lock(t->group_leader);
	for (i = 0; i < RLIM_NLIMITS; i++) {
		rec.rlim[i].cur = t->signal->rlim[i].rlim_cur;
		rec.rlim[i].max = t->signal->rlim[i].rlim_max;
	}
	task_unlock(t->group_leader);
	return ckpt_write_rec(ctx, CKPT_REC_RLIMITS, &rec, sizeof(rec));
}

/**
 * ckpt_restore_rlimits - read RLIMITS and apply it as setrlimit() would
 * @ctx: the restart.
 *
 * Context: the new task.
 * Return: 0, -EINVAL, -EPERM if a hard limit would rise without
 * CAP_SYS_RESOURCE, or a negative errno.
 */
int ckpt_restore_rlimits(struct ckpt_ctx *ctx)
{
	struct task_struct *t = current;
	struct ckpt_rlimits rec;
	int i, err;

	err = ckpt_read_rec(ctx, CKPT_REC_RLIMITS, &rec, sizeof(rec), NULL);
	if (err)
		return err;

	for (i = 0; i < RLIM_NLIMITS; i++) {
		struct rlimit new = {
			.rlim_cur = rec.rlim[i].cur,
			.rlim_max = rec.rlim[i].max,
		};
		struct rlimit *old = t->signal->rlim + i;

		if (new.rlim_cur > new.rlim_max)
			return ckpt_err(ctx, -EINVAL,
					"resource limit %d: soft above hard", i);
		if (i == RLIMIT_NOFILE && new.rlim_max > sysctl_nr_open)
			return ckpt_err(ctx, -EPERM,
					"RLIMIT_NOFILE above fs.nr_open");
		task_lock(t->group_leader);
		if (new.rlim_max > old->rlim_max && !capable(CAP_SYS_RESOURCE))
			err = -EPERM;
		if (!err)
			err = security_task_setrlimit(t, i, &new);
		if (!err)
			*old = new;
		task_unlock(t->group_leader);
		if (err)
			return ckpt_err(ctx, err,
					"resource limit %d: the caller may not raise the hard limit to %llu",
					i, rec.rlim[i].max);
		if (i == RLIMIT_CPU && new.rlim_cur != RLIM_INFINITY &&
		    IS_ENABLED(CONFIG_POSIX_TIMERS))
			update_rlimit_cpu(t, new.rlim_cur);
	}
	return 0;
}

static int ckpt_do_fs(struct ckpt_ctx *ctx, struct task_struct *t, bool write);

/**
 * ckpt_write_fs - write the FS record: umask, root and working directory
 * @ctx: the checkpoint.
 * @t: the task.
 *
 * Return: 0, -EOPNOTSUPP if the root is not reachable from the caller's
 * root or a directory was deleted, or a negative errno.
 */
int ckpt_write_fs(struct ckpt_ctx *ctx, struct task_struct *t)
{
	return ckpt_do_fs(ctx, t, true);
}

/**
 * ckpt_check_fs - refuse a root or working directory that cannot be named
 * @ctx: the checkpoint.
 * @t: the task.
 *
 * Return: 0, -EOPNOTSUPP with a reason, or a negative errno.
 */
int ckpt_check_fs(struct ckpt_ctx *ctx, struct task_struct *t)
{
	return ckpt_do_fs(ctx, t, false);
}

static int ckpt_do_fs(struct ckpt_ctx *ctx, struct task_struct *t, bool write)
{
	struct path root, pwd;
	struct ckpt_fs rec = { };
	char *buf, *rname, *cname;
	int err = 0;

	buf = kmalloc(2 * PATH_MAX, GFP_KERNEL);
	if (!buf)
		return -ENOMEM;

	task_lock(t);
	if (!t->fs) {
		task_unlock(t);
		kfree(buf);
		return ckpt_task_err(ctx, t, -EBUSY, "the task is exiting");
	}
	get_fs_root(t->fs, &root);
	get_fs_pwd(t->fs, &pwd);
	rec.umask = t->fs->umask;
	task_unlock(t);

	/*
	 * The root is named from the root of its mount namespace, and
	 * looked up at restart from the root of the new one, a copy of the
	 * caller's.
	 */
	rname = ckpt_path(&root, buf, PATH_MAX);
	cname = d_unlinked(pwd.dentry) ? NULL :
		__d_path(&pwd, &root, buf + PATH_MAX, PATH_MAX);
	if (!cname)
		cname = ERR_PTR(-EOPNOTSUPP);
	if (IS_ERR(rname)) {
		err = ckpt_task_err(ctx, t, PTR_ERR(rname),
				    "the root directory was deleted or is not in a mount namespace");
	} else if (IS_ERR(cname)) {
		err = ckpt_task_err(ctx, t, PTR_ERR(cname),
				    "the working directory was deleted or is outside the root");
	} else if (write) {
		rec.root_len = strlen(rname);
		rec.cwd_len = strlen(cname);
		/* The two names are contiguous tails of their halves. */
		memmove(buf, rname, rec.root_len);
		memmove(buf + rec.root_len, cname, rec.cwd_len);
		err = ckpt_write_rec_tail(ctx, CKPT_REC_FS, &rec, sizeof(rec),
					  buf, rec.root_len + rec.cwd_len);
	}
	path_put(&pwd);
	path_put(&root);
	kfree(buf);
	return err;
}

/**
 * ckpt_restore_fs - read FS and set umask, root and working directory
 * @ctx: the restart.
 *
 * The root is looked up from the caller's root and changing to it needs
 * what chroot() needs; the working directory is looked up from the new
 * root and needs search permission, as chdir().
 *
 * Context: the new task, with its own fs_struct.
 * Return: 0 or a negative errno.
 */
int ckpt_restore_fs(struct ckpt_ctx *ctx)
{
	struct path root, pwd;
	char *rname = NULL, *cname = NULL;
	struct ckpt_fs rec;
	u32 tail;
	int err;

	err = ckpt_read_rec(ctx, CKPT_REC_FS, &rec, sizeof(rec), &tail);
	if (err)
		return err;
	if (rec.pad || rec.umask & ~0777 || (u64)rec.root_len + rec.cwd_len != tail)
		return ckpt_err(ctx, -EINVAL, "malformed FS record");
	err = ckpt_read_string(ctx, rec.root_len, &rname);
	if (!err)
		err = ckpt_read_string(ctx, rec.cwd_len, &cname);
	if (err)
		goto out;

	err = vfs_path_lookup(ctx->ns_root.dentry, ctx->ns_root.mnt, rname,
			      LOOKUP_FOLLOW | LOOKUP_DIRECTORY, &root);
	if (err) {
		ckpt_log(ctx, "root directory %s: error %d", rname, err);
		goto out;
	}
	if (!path_equal(&root, &current->fs->root)) {
		err = path_permission(&root, MAY_EXEC | MAY_CHDIR);
		if (!err && !ns_capable(current_user_ns(), CAP_SYS_CHROOT))
			err = -EPERM;
		if (!err)
			err = security_path_chroot(&root);
		if (err) {
			ckpt_log(ctx, "the caller may not chroot to %s", rname);
			path_put(&root);
			goto out;
		}
		set_fs_root(current->fs, &root);
	}
	err = vfs_path_lookup(root.dentry, root.mnt, cname,
			      LOOKUP_FOLLOW | LOOKUP_DIRECTORY, &pwd);
	path_put(&root);
	if (err) {
		ckpt_log(ctx, "working directory %s: error %d", cname, err);
		goto out;
	}
	err = path_permission(&pwd, MAY_EXEC | MAY_CHDIR);
	if (err)
		ckpt_log(ctx, "working directory %s: no search permission", cname);
	else
		set_fs_pwd(current->fs, &pwd);
	path_put(&pwd);
	current->fs->umask = rec.umask;
out:
	kfree(rname);
	kfree(cname);
	return err;
}
