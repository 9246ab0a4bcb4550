// SPDX-License-Identifier: GPL-2.0-only
/*
 * ckpt: restart of a container from an image.
 *
 * The caller of restart(2) is the coordinator.  It reads the header and
 * creates the container's init with kernel_clone(), in the namespaces the
 * container had and in the cgroup the caller chose.  The new task starts
 * in the kernel, in ckpt_restart_task(): it empties what it inherited from
 * the caller and reads its own part of the image, rebuilding its state
 * with the caller's credentials and the checks of the system calls that
 * would build it.  Then it parks.  The coordinator reads the trailer,
 * verifies the checksum of the whole image, sets the parked task's
 * registers through the ptrace regsets, and lets it go: it commits its
 * credentials and returns to user space where it was frozen.  On any
 * failure the task exits without having run a single user instruction and
 * the coordinator reaps it.
 */

#include <linux/capability.h>
#include <linux/cred.h>
#include <linux/fdtable.h>
#include <linux/fs_struct.h>
#include <linux/pid.h>
#include <linux/refcount.h>
#include <linux/rwsem.h>
#include <linux/sched/mm.h>
#include <linux/sched/signal.h>
#include <linux/sched/task.h>
#include <linux/slab.h>
#include <linux/utsname.h>
#include <uapi/linux/wait.h>

#include "internal.h"

static void ckpt_rst_put(struct ckpt_restart_state *rst)
{
	if (refcount_dec_and_test(&rst->users)) {
		kvfree(rst->fpu);
		kvfree(rst->pending);
		kfree(rst);
	}
}

static int ckpt_restore_uts(struct ckpt_ctx *ctx,
			    const struct ckpt_container *c)
{
	struct uts_namespace *ns = current->nsproxy->uts_ns;
	struct new_utsname *u;

	if (!(c->ns_flags & CKPT_NS_UTS))
		return 0;
	/* The checks of sethostname() and setdomainname(). */
	if (!ns_capable(ns->user_ns, CAP_SYS_ADMIN))
		return ckpt_err(ctx, -EPERM, "the caller may not set the host name");
	down_write(&uts_sem);
	u = utsname();
	memcpy(u->nodename, c->nodename, sizeof(u->nodename));
	memcpy(u->domainname, c->domainname, sizeof(u->domainname));
	up_write(&uts_sem);
	return 0;
}

/* Rebuilds the task from its part of the image; see the file comment. */
static int ckpt_restore_self(struct ckpt_ctx *ctx,
			     struct ckpt_restart_state *rst,
			     struct cred **cred)
{
	struct ckpt_rec next;
	int err;

	/* Nothing of the caller's open files stays with the container. */
	err = __close_range(0, ~0U, 0);
	if (err)
		return err;
	/* Before the container's own root replaces it. */
	get_fs_root(current->fs, &ctx->ns_root);

	err = ckpt_restore_task(ctx, &rst->task);
	if (!err)
		err = ckpt_restore_uts(ctx, &rst->container);
	if (!err)
		err = ckpt_read_creds(ctx, cred);
	if (!err)
		err = ckpt_restore_rlimits(ctx);
	if (!err)
		err = ckpt_restore_fs(ctx);
	if (!err)
		err = ckpt_restore_mm(ctx);
	if (!err)
		err = ckpt_restore_files(ctx, &next);
	if (!err)
		err = ckpt_restore_signals(ctx, &next, rst);
	if (!err)
		err = ckpt_read_cpu(ctx, rst);
	if (!err)
		err = ckpt_read_rec(ctx, CKPT_REC_TASK_END, NULL, 0, NULL);
	/* Last: pending signals and task work interrupt reads. */
	if (!err)
		err = ckpt_queue_signals(ctx, rst);
	if (!err)
		err = ckpt_restore_syscall(rst);
	return err;
}

/* The new task's first code: see the file comment. */
static int ckpt_restart_task(void *arg)
{
	struct ckpt_restart_state *rst = arg;
	struct cred *cred = NULL;
	unsigned long flags;
	bool dumpable;
	int err, pdeath;

	rst->ctx->child = true;
	err = ckpt_restore_self(rst->ctx, rst, &cred);
	rst->ctx->child = false;
	if (rst->ctx->ns_root.mnt)
		path_put(&rst->ctx->ns_root);
	/* Signals held back while reading are pending again. */
	if (lock_task_sighand(current, &flags)) {
		recalc_sigpending();
		unlock_task_sighand(current, &flags);
	}
	rst->error = err;
	/* From here on the coordinator owns the image and the context. */
	complete(&rst->ready);
	if (!err) {
		err = wait_for_completion_killable(&rst->go);
		if (!err && READ_ONCE(rst->abort))
			err = -ECANCELED;
	}
	dumpable = rst->task.flags & CKPT_TASK_DUMPABLE;
	pdeath = rst->task.pdeath_signal;
	ckpt_rst_put(rst);

	if (err) {
		if (cred)
			abort_creds(cred);
		do_exit(SIGKILL);
	}
	commit_creds(cred);
	/* commit_creds() resets these when the credentials change. */
	set_dumpable(current->mm, dumpable ? SUID_DUMP_USER :
					     SUID_DUMP_DISABLE);
	current->pdeath_signal = pdeath;
	return 0;
}

static int ckpt_read_container(struct ckpt_ctx *ctx,
			       struct ckpt_restart_state *rst)
{
	struct ckpt_container *c = &rst->container;
	struct ckpt_hdr h;
	int err;

	err = ckpt_read_rec(ctx, CKPT_REC_HEADER, &h, sizeof(h), NULL);
	if (err == -EINVAL)
		err = -ENOEXEC;
	if (err)
		return err;
	err = ckpt_check_hdr(&h);
	if (err)
		return ckpt_err(ctx, err,
				"not an image this kernel restarts (magic %#llx, format %u, arch %#x, page size %u)",
				h.magic, h.version, h.arch, h.page_size);
	err = ckpt_check_cpu_hdr(ctx, &h);
	if (err)
		return err;

	err = ckpt_read_rec(ctx, CKPT_REC_CONTAINER, c, sizeof(*c), NULL);
	if (err)
		return err;
	if (!(c->ns_flags & CKPT_NS_PID) || c->ns_flags & ~CKPT_NS_ALL ||
	    c->nr_tasks != 1 || c->nr_ipc || c->nr_shmem || memchr_inv(c->pad, 0, sizeof(c->pad)) ||
	    strnlen(c->nodename, sizeof(c->nodename)) == sizeof(c->nodename) ||
	    strnlen(c->domainname, sizeof(c->domainname)) ==
	    sizeof(c->domainname))
		return ckpt_err(ctx, -EINVAL, "malformed CONTAINER record");

	err = ckpt_read_rec(ctx, CKPT_REC_TASK, &rst->task, sizeof(rst->task),
			    NULL);
	if (err)
		return err;
	if (rst->task.exit_signal < 0 || !valid_signal(rst->task.exit_signal))
		return ckpt_err(ctx, -EINVAL, "invalid exit signal %d",
				rst->task.exit_signal);
	return 0;
}

static pid_t ckpt_clone(struct ckpt_ctx *ctx, struct ckpt_restart_state *rst,
			int cgroup_fd)
{
	struct kernel_clone_args args = {
		.flags = CLONE_NEWPID | CLONE_UNTRACED,
		.exit_signal = rst->task.exit_signal,
		.fn = ckpt_restart_task,
		.fn_arg = rst,
	};
	u32 ns = rst->container.ns_flags;
	pid_t pid;

	if (ns & CKPT_NS_UTS)
		args.flags |= CLONE_NEWUTS;
	if (ns & CKPT_NS_IPC)
		args.flags |= CLONE_NEWIPC;
	if (ns & CKPT_NS_MNT)
		args.flags |= CLONE_NEWNS;
	if (cgroup_fd >= 0) {
		args.flags |= CLONE_INTO_CGROUP;
		args.cgroup = cgroup_fd;
	}
	pid = kernel_clone(&args);
	if (pid < 0)
		ckpt_log(ctx, "cannot create the container's init (error %d)%s",
			 pid, pid == -EPERM ?
			 ": creating namespaces needs CAP_SYS_ADMIN" : "");
	return pid;
}

/**
 * ckpt_do_restart - restart the container of an image
 * @ctx: the operation, with its files.
 * @cgroup_fd: cgroup to create the container in, or -1.
 *
 * Return: the pid of the container's init, or a negative errno; see
 * sys_restart().
 */
int ckpt_do_restart(struct ckpt_ctx *ctx, int cgroup_fd)
{
	struct ckpt_restart_state *rst;
	struct task_struct *child;
	pid_t pid;
	int err;

	/* Setting the executable link needs what prctl(PR_SET_MM) needs. */
	if (!checkpoint_restore_ns_capable(current_user_ns()))
		return ckpt_err(ctx, -EPERM,
				"restart needs CAP_CHECKPOINT_RESTORE or CAP_SYS_ADMIN");

	rst = kzalloc(sizeof(*rst), GFP_KERNEL);
	if (!rst)
		return -ENOMEM;
	init_completion(&rst->ready);
	init_completion(&rst->go);
	refcount_set(&rst->users, 1);
	rst->ctx = ctx;
	xxh64_reset(&ctx->csum, 0);

	err = ckpt_read_container(ctx, rst);
	if (err)
		goto out;

	refcount_inc(&rst->users);	/* the new task's */
	pid = ckpt_clone(ctx, rst, cgroup_fd);
	if (pid < 0) {
		refcount_dec(&rst->users);
		err = pid;
		goto out;
	}
	child = find_get_task_by_vpid(pid);

	if (wait_for_completion_killable(&rst->ready)) {
		/* It stops reading at once; wait until it has let go. */
		if (child)
			send_sig(SIGKILL, child, 1);
		wait_for_completion(&rst->ready);
		err = -EINTR;
		goto abort;
	}
	err = rst->error;
	if (err)
		goto reap;
	err = ckpt_read_trailer(ctx);
	if (!err && !child)
		err = -ESRCH;
	if (!err)
		err = ckpt_apply_cpu(ctx, child, rst);
	if (err)
		goto abort;

	complete(&rst->go);
	put_task_struct(child);
	ckpt_rst_put(rst);
	return pid;

abort:
	WRITE_ONCE(rst->abort, true);
	complete(&rst->go);
reap:
	/* The task exits without running in user space; reap it. */
	if (child)
		put_task_struct(child);
	kernel_wait4(pid, NULL, __WALL, NULL);
out:
	ckpt_rst_put(rst);
	return err;
}
