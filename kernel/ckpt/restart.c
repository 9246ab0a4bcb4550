// SPDX-License-Identifier: GPL-2.0-only
/*
 * ckpt: restart of a container from an image.
 *
 * The caller of restart(2) is the coordinator.  It reads the header and
 * the process tree, and creates the container's init with kernel_clone(),
 * in the namespaces the container had and in the cgroup the caller chose.
 *
 * Every new task starts in the kernel, in ckpt_restart_task().  First it
 * creates its own threads and children, with their pids (set_tid, as
 * clone3() does), so that the whole tree exists with the right parents
 * before anything is restored; zombies are made by children that exit at
 * once with their status.  Then each task waits for its turn: the image is
 * one stream, so the tasks read their sections one after the other, in
 * TREE order, each rebuilding its own state with the caller's credentials
 * and the checks of the system calls that would build it, and park.  The
 * container's init goes first and also recreates what the whole container
 * shares: its SysV IPC objects, in the IPC namespace every task shares,
 * and its shared memory objects.
 *
 * The coordinator hands out the turns, recreates process groups and
 * sessions, finishes the SysV shm segments once every process has
 * attached them again (times, pids, IPC_RMID), reads the trailer,
 * verifies the checksum of the whole image, sets every task's registers
 * through the ptrace regsets, and lets them all go at once: each commits
 * its credentials and returns to user space where it was frozen.  On any
 * failure every task exits without having run a single user instruction:
 * the coordinator kills the container's init, which takes the whole pid
 * namespace with it, and reaps it.
 */

#include <linux/capability.h>
#include <linux/cgroup.h>
#include <linux/cred.h>
#include <linux/fdtable.h>
#include <linux/fs_struct.h>
#include <linux/pid.h>
#include <linux/nsproxy.h>
#include <linux/pid_namespace.h>
#include <linux/refcount.h>
#include <linux/rwsem.h>
#include <linux/sched/mm.h>
#include <linux/sched/signal.h>
#include <linux/sched/task.h>
#include <linux/slab.h>
#include <linux/time_namespace.h>
#include <linux/utsname.h>
#include <linux/wait_bit.h>
#include <uapi/linux/wait.h>

#include "internal.h"

static void ckpt_restart_put(struct ckpt_restart *r)
{
	u32 i;

	if (!refcount_dec_and_test(&r->users))
		return;
	for (i = 0; r->tasks && i < r->nr_tasks; i++) {
		struct ckpt_restart_state *rs = &r->tasks[i];

		kvfree(rs->fpu);
		kvfree(rs->pending);
		ckpt_free_timers(rs);
		if (rs->tsk)
			put_task_struct(rs->tsk);
	}
	kvfree(r->tasks);
	put_pid(r->init_pid);
	if (r->pidns)
		put_pid_ns(r->pidns);
	kfree(r);
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

static bool ckpt_is_init(const struct ckpt_restart_state *rs)
{
	return rs == &rs->r->tasks[0];
}

static int ckpt_read_task(struct ckpt_ctx *ctx, struct ckpt_restart_state *rs)
{
	struct ckpt_task *t = &rs->task;
	int err;

	err = ckpt_read_rec(ctx, CKPT_REC_TASK, t, sizeof(*t), NULL);
	if (err)
		return err;
	if (t->pid != rs->tree.pid || t->tgid != rs->tree.tgid ||
	    t->exit_signal != rs->tree.exit_signal)
		return ckpt_err(ctx, -EINVAL,
				"TASK record of pid %d where pid %d was expected",
				t->pid, rs->tree.pid);
	return ckpt_restore_task(ctx, t);
}

/* Rebuilds the task from its section of the image; see the file comment. */
static int ckpt_restore_self(struct ckpt_ctx *ctx,
			     struct ckpt_restart_state *rs)
{
	bool leader = rs->tree.pid == rs->tree.tgid;
	struct ckpt_rec next;
	int err = 0;

	if (ckpt_is_init(rs)) {
		/* Before the container's own root replaces it. */
		get_fs_root(current->fs, &ctx->ns_root);
		/* Before anything of the image is opened by path. */
		err = ckpt_restore_mounts(ctx, &rs->r->container);
		if (!err)
			err = ckpt_restore_uts(ctx, &rs->r->container);
		if (!err)
			err = ckpt_restore_ipc(ctx, rs->r->container.nr_ipc);
		if (!err)
			err = ckpt_read_shmem(ctx, rs->r->container.nr_shmem);
	}
	if (!err)
		err = ckpt_read_task(ctx, rs);
	if (!err)
		err = ckpt_read_creds(ctx, &rs->cred);
	if (!err && leader)
		err = ckpt_restore_rlimits(ctx);
	if (!err && leader)
		err = ckpt_restore_timers(ctx, rs);
	if (!err && !(rs->tree.flags & CKPT_TREE_SHARE_FS))
		err = ckpt_restore_fs(ctx);
	if (!err && leader)
		err = ckpt_restore_mm(ctx);
	if (!err)
		err = ckpt_read_rec_type(ctx, &next);
	/* A process's controlling terminal: before its /dev/tty is opened. */
	if (!err && leader)
		err = ckpt_restore_ctty(ctx, &next, rs);
	if (!err)
		err = ckpt_restore_files(ctx, &next);
	if (!err)
		err = ckpt_restore_signals(ctx, &next, rs);
	if (!err && leader)
		err = ckpt_restore_sem_undo(ctx, rs->tree.nr_sem_undo);
	if (!err)
		err = ckpt_read_cpu(ctx, rs);
	if (!err)
		err = ckpt_read_rec(ctx, CKPT_REC_TASK_END, NULL, 0, NULL);
	/* Last: pending signals and task work interrupt reads. */
	if (!err)
		err = ckpt_queue_signals(ctx, rs);
	if (!err)
		err = ckpt_restore_syscall(rs);
	return err;
}

static int ckpt_restart_task(void *arg);

/* The task made all it had to make, or could not. */
static void ckpt_created(struct ckpt_restart *r, int err)
{
	if (err)
		cmpxchg(&r->create_error, 0, err);
	if (atomic_dec_and_test(&r->nr_uncreated) || err)
		wake_up_var(&r->nr_uncreated);
}

/* A zombie: it exits at once with its status, for its parent to reap. */
static int ckpt_zombie_task(void *arg)
{
	struct ckpt_restart_state *rs = arg;
	struct ckpt_restart *r = rs->r;
	int code = rs->tree.exit_code;

	rs->tsk = get_task_struct(current);
	ckpt_created(r, 0);
	ckpt_restart_put(r);
	do_exit(code);
}

/* Creates the threads and children of the current task, with their pids. */
static int ckpt_create_children(struct ckpt_restart_state *rs)
{
	struct ckpt_restart *r = rs->r;
	int i;

	for (i = rs->first_child; i >= 0; i = r->tasks[i].next_sibling) {
		struct ckpt_restart_state *c = &r->tasks[i];
		bool thread = c->tree.pid != c->tree.tgid;
		pid_t tid = c->tree.pid;
		struct kernel_clone_args args = {
			.flags = CLONE_UNTRACED,
			/*
			 * A zombie sends no signal when it exits here: its
			 * parent already had it, if it was pending it is in
			 * the parent's section.  Its exit signal is set once
			 * it is a zombie, see ckpt_fix_zombies().
			 */
			.exit_signal = thread || c->tree.state == CKPT_TREE_ZOMBIE ?
				       0 : c->tree.exit_signal,
			.fn = c->tree.state == CKPT_TREE_ZOMBIE ?
			      ckpt_zombie_task : ckpt_restart_task,
			.fn_arg = c,
			.set_tid = &tid,
			.set_tid_size = 1,
		};
		pid_t pid;

		if (thread) {
			args.flags |= CLONE_VM | CLONE_THREAD | CLONE_SIGHAND |
				      CLONE_SYSVSEM;
			if (c->tree.flags & CKPT_TREE_SHARE_FS)
				args.flags |= CLONE_FS;
		}
		refcount_inc(&r->users);	/* the new task's */
		pid = kernel_clone(&args);
		if (pid < 0) {
			refcount_dec(&r->users);
			return pid;
		}
	}
	return 0;
}

/*
 * Before it creates anything: the task holds every signal back until its
 * own mask is restored (a zombie child's exit signal must not kill it),
 * and leaves a frozen cgroup's trap aside until it is let go (a pending
 * trap makes fork fail).  The container's init also drops what it
 * inherited from the caller: open files and signal handlers.
 */
static int ckpt_begin_task(struct ckpt_restart_state *rs)
{
	sigset_t all;

	sigfillset(&all);
	set_current_blocked(&all);
	spin_lock_irq(&ckpt_sighand()->siglock);
	current->jobctl &= ~JOBCTL_TRAP_FREEZE;
	recalc_sigpending();
	spin_unlock_irq(&ckpt_sighand()->siglock);

	if (ckpt_is_init(rs)) {
		int err = __close_range(0, ~0U, 0);

		if (err)
			return err;
		flush_signal_handlers(current, 1);
	}
	if (rs->tree.flags & CKPT_TREE_SUBREAPER) {
		/* As prctl(PR_SET_CHILD_SUBREAPER), before any child exists. */
		current->signal->is_child_subreaper = 1;
		current->signal->has_child_subreaper = 1;
	}
	return 0;
}

/* Back into a frozen cgroup's trap, if the cgroup is frozen. */
static void ckpt_end_task(void)
{
	spin_lock_irq(&ckpt_sighand()->siglock);
	rcu_read_lock();
	if (test_bit(CGRP_FREEZE, &task_dfl_cgroup(current)->flags)) {
		current->jobctl |= JOBCTL_TRAP_FREEZE;
		set_thread_flag(TIF_SIGPENDING);
	}
	rcu_read_unlock();
	spin_unlock_irq(&ckpt_sighand()->siglock);
}

/*
 * The container's init, before it makes any child: a new time namespace
 * whose offsets make CLOCK_MONOTONIC and CLOCK_BOOTTIME read what the
 * container read when it was checkpointed.  The offsets are set before any
 * task is in it, as unshare(CLONE_NEWTIME) and /proc/PID/timens_offsets
 * would, and no one else can reach the namespace until then.  The children
 * inherit it; no vDSO data page of the restored memory has been mapped yet.
 */
static int ckpt_enter_time_ns(const struct ckpt_container *c)
{
	struct time_namespace *tns;
	struct timespec64 now;
	struct nsproxy *nsp;
	int err;

	err = unshare_nsproxy_namespaces(CLONE_NEWTIME, &nsp, NULL, NULL);
	if (err)
		return err;
	tns = nsp->time_ns_for_children;
	ktime_get_ts64(&now);
	tns->offsets.monotonic = timespec64_sub(ns_to_timespec64(c->monotonic_ns),
						now);
	ktime_get_boottime_ts64(&now);
	tns->offsets.boottime = timespec64_sub(ns_to_timespec64(c->boottime_ns),
					       now);
	timens_on_fork(nsp, current);
	switch_task_namespaces(current, nsp);
	return 0;
}

/* Every new task's first code: see the file comment. */
static int ckpt_restart_task(void *arg)
{
	struct ckpt_restart_state *rs = arg;
	struct ckpt_restart *r = rs->r;
	unsigned long flags;
	struct cred *cred;
	bool dumpable;
	int err, pdeath;

	rs->tsk = get_task_struct(current);
	if (ckpt_is_init(rs)) {
		r->init_pid = get_pid(task_pid(current));
		r->pidns = get_pid_ns(task_active_pid_ns(current));
		complete(&r->init_started);
	}
	err = ckpt_begin_task(rs);
	if (!err && ckpt_is_init(rs))
		err = ckpt_enter_time_ns(&r->container);
	if (!err)
		err = ckpt_create_children(rs);
	ckpt_created(r, err);

	if (wait_for_completion_killable(&rs->turn))
		err = -EINTR;
	else if (READ_ONCE(r->abort))
		err = -ECANCELED;
	if (!err) {
		r->ctx->child = true;
		err = ckpt_restore_self(r->ctx, rs);
		r->ctx->child = false;
		/* Signals held back while reading are pending again. */
		if (lock_task_sighand(current, &flags)) {
			recalc_sigpending();
			unlock_task_sighand(current, &flags);
		}
	}
	rs->error = err;
	/* From here on the coordinator owns the image and the context. */
	complete(&rs->ready);
	if (!err) {
		if (wait_for_completion_killable(&r->go))
			err = -EINTR;
		else if (READ_ONCE(r->abort))
			err = -ECANCELED;
		/* Armed only now: they would signal a task still reading. */
		if (!err)
			ckpt_start_timers(rs);
	}
	cred = rs->cred;
	rs->cred = NULL;
	dumpable = rs->task.flags & CKPT_TASK_DUMPABLE;
	pdeath = rs->task.pdeath_signal;
	ckpt_restart_put(r);

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
	ckpt_end_task();
	return 0;
}

static int ckpt_read_container(struct ckpt_ctx *ctx, struct ckpt_restart *r)
{
	struct ckpt_container *c = &r->container;
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
	    !c->nr_tasks || c->nr_tasks > CKPT_TASKS_MAX ||
	    c->nr_ipc > CKPT_IPC_MAX ||
	    (c->nr_ipc && !(c->ns_flags & CKPT_NS_IPC)) ||
	    c->nr_shmem > CKPT_SHMEM_MAX ||
	    (c->ns_flags & CKPT_NS_MNT ?
	     !c->nr_mounts || c->nr_mounts > CKPT_MOUNTS_MAX : c->nr_mounts) ||
	    memchr_inv(c->pad, 0, sizeof(c->pad)) ||
	    strnlen(c->nodename, sizeof(c->nodename)) == sizeof(c->nodename) ||
	    strnlen(c->domainname, sizeof(c->domainname)) ==
	    sizeof(c->domainname) ||
	    c->monotonic_ns < 0 || c->boottime_ns < 0 ||
	    c->monotonic_ns > (KTIME_SEC_MAX / 2) * NSEC_PER_SEC ||
	    c->boottime_ns > (KTIME_SEC_MAX / 2) * NSEC_PER_SEC)
		return ckpt_err(ctx, -EINVAL, "malformed CONTAINER record");
	/* The check of writing /proc/PID/timens_offsets. */
	if (!ns_capable(current_user_ns(), CAP_SYS_TIME))
		return ckpt_err(ctx, -EPERM,
				"setting the container's clocks (a time namespace's offsets) needs CAP_SYS_TIME");
	return 0;
}

static pid_t ckpt_clone(struct ckpt_ctx *ctx, struct ckpt_restart *r,
			int cgroup_fd)
{
	struct kernel_clone_args args = {
		.flags = CLONE_NEWPID | CLONE_UNTRACED,
		.exit_signal = r->tasks[0].tree.exit_signal,
		.fn = ckpt_restart_task,
		.fn_arg = &r->tasks[0],
	};
	u32 ns = r->container.ns_flags;
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
	refcount_inc(&r->users);	/* the new task's */
	pid = kernel_clone(&args);
	if (pid < 0) {
		refcount_dec(&r->users);
		ckpt_log(ctx, "cannot create the container's init (error %d)%s",
			 pid, pid == -EPERM ?
			 ": creating namespaces needs CAP_SYS_ADMIN" : "");
	}
	return pid;
}

/* Reads the header and the tree; sets up one state per task. */
static int ckpt_read_head(struct ckpt_ctx *ctx, struct ckpt_restart *r)
{
	u32 i;
	int err;

	err = ckpt_read_container(ctx, r);
	if (err)
		return err;
	r->tasks = kvcalloc(r->container.nr_tasks, sizeof(*r->tasks),
			    GFP_KERNEL);
	if (!r->tasks)
		return -ENOMEM;
	r->nr_tasks = r->container.nr_tasks;
	for (i = 0; i < r->nr_tasks; i++) {
		r->tasks[i].r = r;
		init_completion(&r->tasks[i].turn);
		init_completion(&r->tasks[i].ready);
	}
	atomic_set(&r->nr_uncreated, r->nr_tasks);
	err = ckpt_read_tree(ctx, r->tasks, r->nr_tasks);
	for (i = 0; !err && i < r->nr_tasks; i++)
		if (r->tasks[i].tree.nr_sem_undo > r->container.nr_ipc)
			err = ckpt_err(ctx, -EINVAL,
				       "pid %d: %u SEM_UNDO records, more than the %u IPC objects",
				       r->tasks[i].tree.pid,
				       r->tasks[i].tree.nr_sem_undo,
				       r->container.nr_ipc);
	return err;
}

/* Gives each live task its turn to read its section, in TREE order. */
static int ckpt_run_turns(struct ckpt_ctx *ctx, struct ckpt_restart *r)
{
	u32 i;

	for (i = 0; i < r->nr_tasks; i++) {
		struct ckpt_restart_state *rs = &r->tasks[i];

		if (rs->tree.state == CKPT_TREE_ZOMBIE)
			continue;
		complete(&rs->turn);
		if (wait_for_completion_killable(&rs->ready)) {
			/* It stops reading at once; wait until it has let go. */
			kill_pid(r->init_pid, SIGKILL, 1);
			wait_for_completion(&rs->ready);
			return -EINTR;
		}
		if (rs->error)
			return rs->error;
	}
	return 0;
}

/*
 * A zombie exits with no exit signal; once it is a zombie it gets its
 * own, which wait() looks at (__WCLONE).  It exits at once, never waits.
 */
static int ckpt_fix_zombies(struct ckpt_restart *r)
{
	u32 i;

	for (i = 0; i < r->nr_tasks; i++) {
		struct ckpt_restart_state *rs = &r->tasks[i];
		struct task_struct *t = rs->tsk;

		if (rs->tree.state != CKPT_TREE_ZOMBIE)
			continue;
		while (!READ_ONCE(t->exit_state)) {
			if (fatal_signal_pending(current))
				return -EINTR;
			schedule_timeout_killable(1);
		}
		write_lock_irq(&tasklist_lock);
		if (t->exit_state == EXIT_ZOMBIE)
			t->exit_signal = rs->tree.exit_signal;
		write_unlock_irq(&tasklist_lock);
	}
	return 0;
}

/* Reaps the new init, once everything in its pid namespace is gone. */
static void ckpt_reap(struct ckpt_restart *r, pid_t pid)
{
	long ret;

	kill_pid(r->init_pid, SIGKILL, 1);
	do {
		ret = kernel_wait4(pid, NULL, __WALL, NULL);
	} while (ret == -ERESTARTSYS && !fatal_signal_pending(current));
}

static bool ckpt_is_restart_errno(int err)
{
	return err <= -ERESTARTSYS && err >= -ERESTART_RESTARTBLOCK;
}

/**
 * ckpt_do_restart - restart the container of an image
 * @ctx: the operation, with its files.
 * @cgroup_fd: cgroup to create the container in, or -1.
 *
 * Signals other than SIGKILL wait until it returns: a restart that has
 * consumed part of its image cannot be restarted.
 *
 * Return: the pid of the container's init, or a negative errno; see
 * sys_restart().
 */
int ckpt_do_restart(struct ckpt_ctx *ctx, int cgroup_fd)
{
	sigset_t all, saved = current->blocked;
	struct ckpt_restart *r;
	pid_t pid = 0;
	u32 i;
	int err;

	/* Setting the executable link needs what prctl(PR_SET_MM) needs. */
	if (!checkpoint_restore_ns_capable(current_user_ns()))
		return ckpt_err(ctx, -EPERM,
				"restart needs CAP_CHECKPOINT_RESTORE or CAP_SYS_ADMIN");

	r = kzalloc(sizeof(*r), GFP_KERNEL);
	if (!r)
		return -ENOMEM;
	refcount_set(&r->users, 1);
	init_completion(&r->go);
	init_completion(&r->init_started);
	r->ctx = ctx;
	xxh64_reset(&ctx->csum, 0);
	sigfillset(&all);
	set_current_blocked(&all);

	err = ckpt_read_head(ctx, r);
	if (err)
		goto out;
	pid = ckpt_clone(ctx, r, cgroup_fd);
	if (pid < 0) {
		err = pid;
		goto out;
	}
	/* It always starts: ckpt_restart_task() is its first code. */
	wait_for_completion(&r->init_started);

	/* The whole tree exists, or a task could not make its children. */
	err = wait_var_event_killable(&r->nr_uncreated,
				      !atomic_read(&r->nr_uncreated) ||
				      READ_ONCE(r->create_error));
	if (err) {
		err = -EINTR;
		goto abort;
	}
	err = READ_ONCE(r->create_error);
	if (err) {
		if (ckpt_is_restart_errno(err))
			err = -EINTR;
		ckpt_log(ctx, "cannot create the container's tasks (error %d)%s",
			 err, err == -EEXIST ? ": a pid is taken" :
			 err == -EAGAIN ? ": a pids cgroup or RLIMIT_NPROC limit?" :
			 err == -EINTR ? ": interrupted (cgroup frozen or tasks stopped?)" :
			 "");
		goto abort;
	}
	err = ckpt_fix_zombies(r);
	if (!err)
		err = ckpt_restore_groups(ctx, r);
	if (!err)
		err = ckpt_run_turns(ctx, r);
	if (!err)
		err = ckpt_check_cttys(ctx, r);
	/* Every process has attached its SysV shm segments again. */
	if (!err)
		err = ckpt_restore_ipc_finish(ctx);
	/* Last: the restart opened what it needed; nothing else is queued. */
	if (!err)
		err = ckpt_restore_inotify_finish(ctx);
	if (!err)
		err = ckpt_read_trailer(ctx);
	for (i = 0; !err && i < r->nr_tasks; i++)
		if (r->tasks[i].tree.state == CKPT_TREE_LIVE)
			err = ckpt_apply_cpu(ctx, r->tasks[i].tsk, &r->tasks[i]);
	if (err)
		goto abort;

	/* What no task took goes now: a pipe end no one holds is closed. */
	ckpt_robj_release(ctx);
	complete_all(&r->go);
	goto out;

abort:
	/* Every task exits without running in user space; reap them all. */
	WRITE_ONCE(r->abort, true);
	complete_all(&r->go);
	for (i = 0; i < r->nr_tasks; i++)
		complete(&r->tasks[i].turn);
	ckpt_reap(r, pid);
out:
	ckpt_ipc_free(ctx);
	ckpt_release_inotify(ctx);
	ckpt_robj_release(ctx);
	ckpt_release_shmem(ctx);
	if (ctx->ns_root.mnt)
		path_put(&ctx->ns_root);
	kfree(ctx->rsbs);
	ckpt_restart_put(r);
	set_current_blocked(&saved);
	if (ckpt_is_restart_errno(err))
		err = -EINTR;
	return err ? err : pid;
}
