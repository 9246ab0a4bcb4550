// SPDX-License-Identifier: GPL-2.0-only
/*
 * ckpt: checkpoint of a frozen container.
 *
 * Everything that could make the checkpoint fail for a reason other than
 * I/O is checked first, while the container is held frozen; only then is
 * the image written.  Unsupported state therefore never yields a partial
 * image: the caller gets an errno and a reason naming the task and the
 * object, and nothing is written.
 */

#include <linux/cgroup.h>
#include <linux/ipc_namespace.h>
#include <linux/nsproxy.h>
#include <linux/pid_namespace.h>
#include <linux/ptrace.h>
#include <linux/sched/signal.h>
#include <linux/sched/task.h>
#include <linux/time_namespace.h>
#include <linux/timekeeping.h>
#include <linux/utsname.h>
#include <linux/user_namespace.h>

#include "internal.h"

/*
 * The container is the whole of a pid namespace below the caller's, given
 * by its init.
 */
static int ckpt_check_container(struct ckpt_ctx *ctx, struct task_struct *init)
{
	struct pid_namespace *ns = task_active_pid_ns(init);

	if (!ckpt_pidns_below(ns, task_active_pid_ns(current)) ||
	    READ_ONCE(ns->child_reaper) != init)
		return ckpt_err(ctx, -EINVAL,
				"pid %d is not the init of a pid namespace below the caller's",
				task_pid_vnr(init));
	ctx->pidns = get_pid_ns(ns);

	if (!ptrace_may_access(init, PTRACE_MODE_ATTACH_REALCREDS))
		return ckpt_task_err(ctx, init, -EPERM,
				     "the caller may not ptrace this task");
	return 0;
}

/*
 * The monotonic and boot clocks as the container sees them.  Its tasks use
 * either the caller's time namespace or one of the container's own (a
 * restarted container's); a time namespace made for children only (unshare
 * without a fork yet) has offsets the image could not keep.
 */
static int ckpt_save_clocks(struct ckpt_ctx *ctx, struct task_struct *t,
			    struct nsproxy *ns, struct ckpt_container *c)
{
	struct time_namespace *tns = ns->time_ns;

	if (ns->time_ns_for_children != tns)
		return ckpt_task_err(ctx, t, -EOPNOTSUPP,
				     "a time namespace for its children only (unshare(CLONE_NEWTIME)) is not supported");
	ctx->clocks_at = ktime_get();
	c->monotonic_ns = ktime_to_ns(ctx->clocks_at) +
			  timespec64_to_ns(&tns->offsets.monotonic);
	c->boottime_ns = ktime_get_boottime_ns() +
			 timespec64_to_ns(&tns->offsets.boottime);
	return 0;
}

/* Namespaces: which ones the container owns, and refusals. */
static int ckpt_check_namespaces(struct ckpt_ctx *ctx, struct task_struct *t,
				 struct ckpt_container *c)
{
	struct nsproxy *mine = current->nsproxy, *ns;
	int err = 0;

	c->ns_flags = CKPT_NS_PID;
	if (task_cred_xxx(t, user_ns) != current_user_ns())
		return ckpt_task_err(ctx, t, -EOPNOTSUPP,
				     "user namespaces are not supported yet");

	task_lock(t);
	ns = t->nsproxy;
	if (ns)
		get_nsproxy(ns);
	task_unlock(t);
	if (!ns)
		return ckpt_task_err(ctx, t, -EBUSY, "the task is exiting");
	if (ns->net_ns != mine->net_ns)
		err = ckpt_task_err(ctx, t, -EOPNOTSUPP,
				    "network namespaces are not supported yet");
	else if (ns->cgroup_ns != mine->cgroup_ns)
		err = ckpt_task_err(ctx, t, -EOPNOTSUPP,
				    "cgroup namespaces are not supported yet");
	else
		err = ckpt_save_clocks(ctx, t, ns, c);
	if (err)
		goto out;

	if (ns->uts_ns != mine->uts_ns) {
		c->ns_flags |= CKPT_NS_UTS;
		down_read(&uts_sem);
		strscpy_pad(c->nodename, ns->uts_ns->name.nodename);
		strscpy_pad(c->domainname, ns->uts_ns->name.domainname);
		up_read(&uts_sem);
	}
	if (ns->ipc_ns != mine->ipc_ns) {
		struct ipc_namespace *ipc = ns->ipc_ns;

		c->ns_flags |= CKPT_NS_IPC;
#ifdef CONFIG_POSIX_MQUEUE
		if (ipc->mq_queues_count) {
			err = ckpt_task_err(ctx, t, -EOPNOTSUPP,
					    "POSIX message queues are not supported yet");
			goto out;
		}
#endif
		err = ckpt_check_ipc(ctx, t, ipc, &c->nr_ipc);
		if (err)
			goto out;
	}
	if (ns->mnt_ns != mine->mnt_ns)
		c->ns_flags |= CKPT_NS_MNT;
	ctx->ns_flags = c->ns_flags;
out:
	put_nsproxy(ns);
	return err;
}

static int ckpt_hold_frozen(struct ckpt_ctx *ctx, struct task_struct *init)
{
	const char *why = "";
	struct cgroup *cgrp;
	int err;

	rcu_read_lock();
	cgrp = task_dfl_cgroup(init);
	if (!cgroup_tryget(cgrp)) {
		rcu_read_unlock();
		return ckpt_task_err(ctx, init, -ESRCH, "the task is exiting");
	}
	rcu_read_unlock();
	err = ckpt_cgroup_hold(ctx, cgrp, &why);
	cgroup_put(cgrp);
	/* Logged here, not under cgroup_mutex: the log may block. */
	if (err)
		return ckpt_task_err(ctx, init, err, "%s", why);
	return 0;
}

static int ckpt_write_header(struct ckpt_ctx *ctx)
{
	struct ckpt_hdr h = {
		.magic = CKPT_IMAGE_MAGIC,
		.version = CKPT_FORMAT_VERSION,
		.arch = CKPT_ARCH_X86_64,
		.page_size = PAGE_SIZE,
		.xfeatures = ctx->xfeatures,
		.time_ns = ktime_get_real_ns(),
	};

	ckpt_fill_cpu_hdr(&h);
	strscpy_pad(h.release, init_utsname()->release);
	return ckpt_write_rec(ctx, CKPT_REC_HEADER, &h, sizeof(h));
}

static bool ckpt_leader(const struct ckpt_ctask *ct)
{
	return ct->tree.pid == ct->tree.tgid;
}

static int ckpt_write_one_task(struct ckpt_ctx *ctx, struct ckpt_ctask *ct)
{
	struct task_struct *t = ct->task;
	bool leader = ckpt_leader(ct);
	int err;

	err = ckpt_write_task(ctx, t);
	if (!err)
		err = ckpt_write_creds(ctx, t);
	if (!err && leader)
		err = ckpt_write_rlimits(ctx, t);
	if (!err && leader)
		err = ckpt_write_timers(ctx, t);
	if (!err && !(ct->tree.flags & CKPT_TREE_SHARE_FS))
		err = ckpt_write_fs(ctx, t);
	if (!err && leader)
		err = ckpt_write_mm(ctx, t);
	if (!err && leader)
		err = ckpt_write_ctty(ctx, ct);
	if (!err)
		err = ckpt_write_files(ctx, t);
	if (!err)
		err = ckpt_write_signals(ctx, t, leader);
	if (!err && leader)
		err = ckpt_write_sem_undo(ctx, ct);
	if (!err)
		err = ckpt_write_cpu(ctx, t);
	if (!err)
		err = ckpt_write_rec(ctx, CKPT_REC_TASK_END, NULL, 0);
	return err;
}

static int ckpt_check_one_task(struct ckpt_ctx *ctx, struct ckpt_ctask *ct)
{
	struct task_struct *t = ct->task;
	bool leader = ckpt_leader(ct);
	int err;

	err = ckpt_check_task(ctx, t);
	if (!err && leader)
		err = ckpt_check_timers(ctx, t);
	if (!err && !(ct->tree.flags & CKPT_TREE_SHARE_FS))
		err = ckpt_check_fs(ctx, t);
	if (!err && leader)
		err = ckpt_check_mm(ctx, t);
	if (!err)
		err = ckpt_check_files(ctx, t);
	if (!err && leader)
		err = ckpt_check_ctty(ctx, ct);
	if (!err)
		err = ckpt_check_signals(ctx, t);
	if (!err)
		err = ckpt_check_sem_undo(ctx, ct);
	if (!err)
		err = ckpt_check_cpu_state(ctx, t);
	return err;
}

/**
 * ckpt_do_checkpoint - checkpoint the container whose init is @init
 * @ctx: the operation, with its files.
 * @init: the container's init.
 *
 * Return: 0 or a negative errno, see sys_checkpoint().
 */
int ckpt_do_checkpoint(struct ckpt_ctx *ctx, struct task_struct *init)
{
	struct ckpt_container c = { };
	u32 i;
	int err;

	xxh64_reset(&ctx->csum, 0);
	ctx->init = init;

	err = ckpt_check_container(ctx, init);
	if (err)
		goto out;
	err = ckpt_hold_frozen(ctx, init);
	if (err)
		goto out;
	err = ckpt_check_namespaces(ctx, init, &c);
	if (!err && ctx->ns_flags & CKPT_NS_MNT)
		err = ckpt_check_mounts(ctx, &c);
	if (err)
		goto out;
	err = ckpt_check_tree(ctx);
	if (err)
		goto out;
	for (i = 0; !err && i < ctx->nr_tasks; i++)
		if (ctx->tasks[i].tree.state == CKPT_TREE_LIVE)
			err = ckpt_check_one_task(ctx, &ctx->tasks[i]);
	if (!err)
		err = ckpt_check_file_objects(ctx);
	if (err)
		goto out;
	c.nr_tasks = ctx->nr_tasks;
	c.nr_shmem = ctx->nr_shm;

	err = ckpt_write_header(ctx);
	if (!err)
		err = ckpt_write_rec(ctx, CKPT_REC_CONTAINER, &c, sizeof(c));
	if (!err)
		err = ckpt_write_tree(ctx);
	if (!err)
		err = ckpt_write_mounts(ctx);
	if (!err)
		err = ckpt_write_ipc(ctx);
	if (!err)
		err = ckpt_write_shmem(ctx);
	for (i = 0; !err && i < ctx->nr_tasks; i++)
		if (ctx->tasks[i].tree.state == CKPT_TREE_LIVE)
			err = ckpt_write_one_task(ctx, &ctx->tasks[i]);
	if (!err)
		err = ckpt_check_tree_frozen(ctx);
	if (!err)
		err = ckpt_write_trailer(ctx);
	if (err)
		goto out;

	/* Killed while still held frozen: it never runs past the image. */
	if (ctx->flags & CKPT_CHECKPOINT_KILL)
		send_sig_info(SIGKILL, SEND_SIG_PRIV, init);
out:
	ckpt_release_mounts(ctx);
	ckpt_ipc_free(ctx);
	ckpt_obj_release(ctx);
	ckpt_release_shmem(ctx);
	ckpt_release_tree(ctx);
	ckpt_cgroup_release(ctx);
	if (ctx->pidns)
		put_pid_ns(ctx->pidns);
	return err;
}
