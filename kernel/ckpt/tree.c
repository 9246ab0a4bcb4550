// SPDX-License-Identifier: GPL-2.0-only
/*
 * ckpt: the process tree of a container.
 *
 * Checkpoint collects every task of the container's pid namespace,
 * breadth first from its init: a parent always comes before its
 * children and a thread after its leader.  It then checks how the tasks
 * share their memory, file tables, fs and signal handlers: threads of
 * one process may share them, different processes may not (yet).  Last
 * it looks at every task outside the container, once, for objects the
 * container holds that they hold too: such a leak makes the checkpoint
 * fail, unless the caller asked for CKPT_CHECKPOINT_SUBTREE.
 *
 * Everything is linear in the number of tasks (and, for leak detection,
 * in the tasks and open files of the whole system): lookups go through
 * sorted arrays, never through nested walks.
 *
 * Restart reads the TREE records, checks that they form a tree, and
 * recreates the process groups and sessions once every task exists.
 */

#include <linux/bsearch.h>
#include <linux/cgroup.h>
#include <linux/fdtable.h>
#include <linux/file.h>
#include <linux/fs_struct.h>
#include <linux/ipc_namespace.h>
#include <linux/mnt_namespace.h>
#include <linux/nsproxy.h>
#include <linux/pid_namespace.h>
#include <linux/ptrace.h>
#include <linux/sched/signal.h>
#include <linux/sched/task.h>
#include <linux/slab.h>
#include <linux/sort.h>
#include <linux/tty.h>
#include <linux/utsname.h>
#include <linux/xarray.h>

#include "internal.h"

/* One object held by the container and the task holding it. */
struct ckpt_ref {
	const void *obj;
	struct ckpt_ctask *ct;
	u32 what;
	int fd;
};

enum {
	CKPT_OBJ_MM,
	CKPT_OBJ_FILES,
	CKPT_OBJ_FS,
	CKPT_OBJ_SIGHAND,
	CKPT_OBJ_SYSVSEM,
	CKPT_OBJ_FILE,
	CKPT_OBJ_NS,
	CKPT_OBJ_SHM,
	CKPT_OBJ_PIPE,
};

static const char *const ckpt_obj_names[] = {
	[CKPT_OBJ_MM]		= "its memory",
	[CKPT_OBJ_FILES]	= "its file table",
	[CKPT_OBJ_FS]		= "its root and working directory",
	[CKPT_OBJ_SIGHAND]	= "its signal handlers",
	[CKPT_OBJ_SYSVSEM]	= "its SEM_UNDO list",
	[CKPT_OBJ_FILE]		= "an open file",
	[CKPT_OBJ_NS]		= "a namespace",
	[CKPT_OBJ_SHM]		= "shared memory it maps",
	[CKPT_OBJ_PIPE]		= "a pipe",
};

static int ckpt_ref_cmp(const void *a, const void *b)
{
	const struct ckpt_ref *x = a, *y = b;

	if (x->obj != y->obj)
		return x->obj < y->obj ? -1 : 1;
	return 0;
}

/* Sorts equal objects in task order too. */
static int ckpt_ref_sort_cmp(const void *a, const void *b)
{
	const struct ckpt_ref *x = a, *y = b;
	int ret = ckpt_ref_cmp(a, b);

	if (ret || x->ct == y->ct)
		return ret;
	return x->ct < y->ct ? -1 : 1;
}

static struct ckpt_ref *ckpt_ref_find(struct ckpt_ref *refs, size_t n,
				      const void *obj)
{
	struct ckpt_ref key = { .obj = obj };

	if (!obj)
		return NULL;
	return bsearch(&key, refs, n, sizeof(*refs), ckpt_ref_cmp);
}

static bool ckpt_is_leader(const struct ckpt_ctask *ct)
{
	return ct->tree.pid == ct->tree.tgid;
}

/**
 * ckpt_pidns_below - is a pid namespace strictly below another?
 * @ns: the namespace, or NULL.
 * @ancestor: the other.
 *
 * Return: true if @ns is a descendant of @ancestor other than itself.
 */
bool ckpt_pidns_below(struct pid_namespace *ns, struct pid_namespace *ancestor)
{
	if (!ns || ns->level <= ancestor->level)
		return false;
	while (ns->level > ancestor->level)
		ns = ns->parent;
	return ns == ancestor;
}

/*
 * Breadth first from @init, under tasklist_lock: threads after their
 * leader, children after their parent.  Returns the number of tasks, or
 * -E2BIG if there are more than CKPT_TASKS_MAX.
 */
static int ckpt_walk_tree(struct task_struct *init, struct ckpt_ctask *tasks)
{
	struct task_struct *t, *th, *c;
	int i, n = 0;

	tasks[n++].task = get_task_struct(init);
	for (i = 0; i < n; i++) {
		t = tasks[i].task;
		if (!thread_group_leader(t))
			continue;
		for_each_thread(t, th) {
			if (th == t)
				continue;
			if (n == CKPT_TASKS_MAX)
				return -E2BIG;
			tasks[n].leader = i;
			tasks[n++].task = get_task_struct(th);
		}
		for_each_thread(t, th) {
			list_for_each_entry(c, &th->children, sibling) {
				if (n == CKPT_TASKS_MAX)
					return -E2BIG;
				tasks[n++].task = get_task_struct(c);
			}
		}
	}
	return n;
}

static int ckpt_pid_cmp(const void *a, const void *b)
{
	const struct ckpt_ctask *x = a, *y = b;

	return x->tree.pid - y->tree.pid;
}

/* Fills the TREE record of each task; tasklist_lock is held. */
static void ckpt_fill_tree(struct ckpt_ctx *ctx, struct ckpt_ctask *ct)
{
	struct pid_namespace *ns = ctx->pidns;
	struct task_struct *t = ct->task;
	struct ckpt_tree *e = &ct->tree;
	struct signal_struct *sig = t->signal;

	e->pid = task_pid_nr_ns(t, ns);
	e->tgid = task_tgid_nr_ns(t, ns);
	e->ppid = t == ctx->init ? 0 :
		  task_tgid_nr_ns(rcu_dereference_protected(t->real_parent, 1), ns);
	e->pgid = pid_nr_ns(task_pgrp(t), ns);
	e->sid = pid_nr_ns(task_session(t), ns);
	e->exit_signal = t->exit_signal;
	if (t->exit_state) {
		e->state = CKPT_TREE_ZOMBIE;
		/* What wait() would report. */
		e->exit_code = sig->flags & SIGNAL_GROUP_EXIT ?
			       sig->group_exit_code : t->exit_code;
	}
	if (thread_group_leader(t)) {
		if (sig->is_child_subreaper)
			e->flags |= CKPT_TREE_SUBREAPER;
		if (sig->leader)
			e->flags |= CKPT_TREE_SESSION_LEADER;
	}
}

/*
 * Which tasks are in the container, and is anything in it that cannot be
 * saved as a tree?  Fills ctx->tasks.
 */
static int ckpt_collect_tasks(struct ckpt_ctx *ctx)
{
	struct pid_namespace *ns = ctx->pidns;
	struct ckpt_ctask *tasks, key;
	struct task_struct *p, *bad = NULL;
	const char *why = NULL;
	int i, n, nr_procs = 0, inside = 0;

	tasks = kvcalloc(CKPT_TASKS_MAX, sizeof(*tasks), GFP_KERNEL);
	if (!tasks)
		return -ENOMEM;
	ctx->tasks = tasks;

	read_lock(&tasklist_lock);
	n = ckpt_walk_tree(ctx->init, tasks);
	ctx->nr_tasks = n < 0 ? CKPT_TASKS_MAX : n;
	if (n < 0) {
		read_unlock(&tasklist_lock);
		return ckpt_task_err(ctx, ctx->init, -EOPNOTSUPP,
				     "the container has more than %d tasks",
				     CKPT_TASKS_MAX);
	}
	for (i = 0; i < n; i++) {
		ckpt_fill_tree(ctx, &tasks[i]);
		if (ckpt_is_leader(&tasks[i]))
			nr_procs++;
	}

	/* Every process of the namespace must be in the tree. */
	for_each_process(p) {
		struct pid_namespace *pns = task_active_pid_ns(p);

		if (pns == ns) {
			inside++;
		} else if (ckpt_pidns_below(pns, ns)) {
			bad = p;
			why = "is in a nested pid namespace (not supported yet)";
			break;
		}
	}
	if (!bad && inside != nr_procs) {
		/* Rare: find the one that is not a descendant of init. */
		sort(tasks, n, sizeof(*tasks), ckpt_pid_cmp, NULL);
		for_each_process(p) {
			struct ckpt_ctask *f;

			if (task_active_pid_ns(p) != ns)
				continue;
			key.tree.pid = task_pid_nr_ns(p, ns);
			f = bsearch(&key, tasks, n, sizeof(*tasks), ckpt_pid_cmp);
			if (!f || f->task != p) {
				bad = p;
				why = "is not a descendant of the container's init (setns)";
				break;
			}
		}
		if (!bad) {
			bad = ctx->init;
			why = "has a process tree that changed during the checkpoint";
		}
	}
	if (bad)
		get_task_struct(bad);
	read_unlock(&tasklist_lock);

	if (bad) {
		ckpt_log(ctx, "task %d (%s) %s", task_pid_vnr(bad), bad->comm, why);
		put_task_struct(bad);
		return -EOPNOTSUPP;
	}
	return 0;
}

static bool ckpt_same_time_ns(struct nsproxy *a, struct nsproxy *b)
{
	return a->time_ns == b->time_ns &&
	       a->time_ns_for_children == b->time_ns_for_children;
}

/* Does @t use the namespaces of the container's init? */
static bool ckpt_same_namespaces(struct task_struct *t, struct task_struct *init)
{
	struct nsproxy *a, *b;
	bool same;

	if (task_cred_xxx(t, user_ns) != task_cred_xxx(init, user_ns))
		return false;
	task_lock(t);
	a = t->nsproxy;
	if (a)
		get_nsproxy(a);
	task_unlock(t);
	task_lock(init);
	b = init->nsproxy;
	if (b)
		get_nsproxy(b);
	task_unlock(init);
	same = a && b &&
	       (a == b ||
		(a->uts_ns == b->uts_ns && a->ipc_ns == b->ipc_ns &&
		 a->mnt_ns == b->mnt_ns && a->net_ns == b->net_ns &&
		 a->cgroup_ns == b->cgroup_ns &&
		 a->pid_ns_for_children == b->pid_ns_for_children &&
		 ckpt_same_time_ns(a, b)));
	if (a)
		put_nsproxy(a);
	if (b)
		put_nsproxy(b);
	return same;
}

/* Per-task states that cannot be saved as part of a tree. */
static int ckpt_check_tree_task(struct ckpt_ctx *ctx, struct ckpt_ctask *ct)
{
	struct task_struct *t = ct->task;
	bool other_cgroup;

	if (ct->tree.state == CKPT_TREE_ZOMBIE) {
		if (t->exit_state != EXIT_ZOMBIE || !thread_group_leader(t))
			return ckpt_task_err(ctx, t, -EAGAIN,
					     "the task is being reaped; try again");
		if (!thread_group_empty(t))
			return ckpt_task_err(ctx, t, -EOPNOTSUPP,
					     "the thread group leader exited while its threads run");
		return 0;
	}
	if (ct->tree.pid <= 0 || ct->tree.tgid <= 0)
		return ckpt_task_err(ctx, t, -EBUSY, "the task is exiting");
	rcu_read_lock();
	other_cgroup = task_dfl_cgroup(t) != ctx->cgrp;
	rcu_read_unlock();
	if (other_cgroup)
		return ckpt_task_err(ctx, t, -EOPNOTSUPP,
				     "the task is in another cgroup than the container's init (sub-cgroups are not supported)");
	if (!cgroup_task_frozen(t))
		return ckpt_task_err(ctx, t, -EBUSY,
				     "the task is not frozen yet: wait for \"frozen 1\" in cgroup.events");
	if (!ptrace_may_access(t, PTRACE_MODE_ATTACH_REALCREDS))
		return ckpt_task_err(ctx, t, -EPERM,
				     "the caller may not ptrace this task");
	if (t != ctx->init && !ckpt_same_namespaces(t, ctx->init))
		return ckpt_task_err(ctx, t, -EOPNOTSUPP,
				     "the task has namespaces of its own (unshare or setns): not supported yet");
	/*
	 * An init in another process group or session of its namespace
	 * holds that pid: its exit would wait for the pid to go, forever
	 * (zap_pid_ns_processes()).
	 */
	if (t == ctx->init && (ct->tree.pgid > 1 || ct->tree.sid > 1))
		return ckpt_task_err(ctx, t, -EOPNOTSUPP,
				     "the container's init is in process group %d, session %d of the container, not its own: not supported",
				     ct->tree.pgid, ct->tree.sid);
	return 0;
}

/*
 * The objects each live task uses, sorted by address: a process's
 * memory, fs, signal handlers and SEM_UNDO list may be shared by its
 * threads only; file tables by any tasks (they are saved once, see
 * files.c).  Sets the CKPT_TREE_SHARE_FS flag of threads, and marks the
 * tasks whose file table an earlier task has.
 */
static int ckpt_check_sharing(struct ckpt_ctx *ctx, struct ckpt_ref *refs,
			      size_t *nr)
{
	size_t n = 0, i;
	u32 what;

	for (i = 0; i < ctx->nr_tasks; i++) {
		struct ckpt_ctask *ct = &ctx->tasks[i];
		struct task_struct *t = ct->task;
		const void *obj[5];

		if (ct->tree.state == CKPT_TREE_ZOMBIE)
			continue;
		task_lock(t);
		obj[CKPT_OBJ_MM] = t->mm;
		obj[CKPT_OBJ_FILES] = t->files;
		obj[CKPT_OBJ_FS] = t->fs;
		obj[CKPT_OBJ_SIGHAND] = rcu_access_pointer(t->sighand);
		obj[CKPT_OBJ_SYSVSEM] = ckpt_sem_undo_list(t);
		task_unlock(t);
		if (!obj[CKPT_OBJ_MM] || !obj[CKPT_OBJ_FILES] || !obj[CKPT_OBJ_FS])
			return ckpt_task_err(ctx, t, -EBUSY, "the task is exiting");
		if (!ckpt_is_leader(ct)) {
			struct ckpt_ctask *leader = &ctx->tasks[ct->leader];

			if (obj[CKPT_OBJ_FS] == leader->fs)
				ct->tree.flags |= CKPT_TREE_SHARE_FS;
		} else {
			ct->fs = obj[CKPT_OBJ_FS];
		}
		for (what = CKPT_OBJ_MM; what <= CKPT_OBJ_SYSVSEM; what++)
			if (obj[what])
				refs[n++] = (struct ckpt_ref) {
					.obj = obj[what], .ct = ct,
					.what = what, .fd = -1,
				};
	}
	sort(refs, n, sizeof(*refs), ckpt_ref_sort_cmp, NULL);

	/* Equal objects are adjacent: they must belong to one process. */
	for (i = 1; i < n; i++) {
		struct ckpt_ref *a = &refs[i - 1], *b = &refs[i];
		static const char *const how[] = {
			[CKPT_OBJ_MM] = "CLONE_VM or vfork",
			[CKPT_OBJ_FS] = "CLONE_FS",
			[CKPT_OBJ_SIGHAND] = "CLONE_SIGHAND",
			[CKPT_OBJ_SYSVSEM] = "CLONE_SYSVSEM",
		};

		const struct ckpt_ctask *l;
		const void *lobj;

		if (a->obj != b->obj)
			continue;
		if (b->what == CKPT_OBJ_FILES) {
			/* In task order: @a is an earlier task. */
			b->ct->files_seen = true;
			continue;
		}
		if (a->ct->tree.tgid == b->ct->tree.tgid) {
			/* Threads share what their leader has, or nothing. */
			l = ckpt_is_leader(b->ct) ? b->ct : &ctx->tasks[b->ct->leader];
			lobj = b->what == CKPT_OBJ_FS ? l->fs : b->obj;
			if (b->obj == lobj)
				continue;
			return ckpt_task_err(ctx, b->ct->task, -EOPNOTSUPP,
					     "threads share %s, which is not their leader's (unshare in the leader): not supported yet",
					     ckpt_obj_names[b->what]);
		}
		return ckpt_task_err(ctx, b->ct->task, -EOPNOTSUPP,
				     "shares %s with process %d (%s without CLONE_THREAD): not supported yet",
				     ckpt_obj_names[b->what], a->ct->tree.tgid,
				     how[b->what]);
	}
	*nr = n;
	return 0;
}

static int ckpt_ref_push(struct ckpt_ref **refsp, size_t *nr, size_t *cap,
			 struct ckpt_ref ref)
{
	if (*nr == *cap) {
		struct ckpt_ref *bigger;

		bigger = kvrealloc(*refsp, 2 * *cap * sizeof(**refsp), GFP_KERNEL);
		if (!bigger)
			return -ENOMEM;
		*refsp = bigger;
		*cap *= 2;
	}
	(*refsp)[(*nr)++] = ref;
	return 0;
}

/*
 * The open files of the container's file tables, each table once, each
 * with a reference, until ckpt_put_files(); for a pipe, also its inode
 * (what its other end shares).  Leak detection looks for them outside,
 * and memfds and deleted tmpfs files among them are saved as shared
 * memory objects.
 */
static int ckpt_collect_files(struct ckpt_ctx *ctx, struct ckpt_ref **refsp,
			      size_t *nr, size_t *cap)
{
	size_t i;
	int err = 0;

	for (i = 0; !err && i < ctx->nr_tasks; i++) {
		struct ckpt_ctask *ct = &ctx->tasks[i];
		unsigned int fd;
		struct file *f;

		if (ct->tree.state == CKPT_TREE_ZOMBIE || ct->files_seen)
			continue;
		for (fd = 0; !err; fd++) {
			rcu_read_lock();
			f = task_lookup_next_fdget_rcu(ct->task, &fd);
			rcu_read_unlock();
			if (!f)
				break;
			/* Devices like /dev/null hold no state to share or leak. */
			if (S_ISCHR(file_inode(f)->i_mode)) {
				fput(f);
				continue;
			}
			err = ckpt_ref_push(refsp, nr, cap, (struct ckpt_ref) {
				.obj = f, .ct = ct, .what = CKPT_OBJ_FILE, .fd = fd,
			});
			if (err) {
				fput(f);
				break;
			}
			if (S_ISFIFO(file_inode(f)->i_mode))
				err = ckpt_ref_push(refsp, nr, cap, (struct ckpt_ref) {
					.obj = file_inode(f), .ct = ct,
					.what = CKPT_OBJ_PIPE, .fd = fd,
				});
			cond_resched();
		}
	}
	return err;
}

/* Shared memory objects: mapped, or memfds and deleted tmpfs files open. */
static int ckpt_collect_open_shmem(struct ckpt_ctx *ctx,
				   const struct ckpt_ref *files, size_t nr)
{
	struct file **open;
	size_t i, n = 0;
	int err;

	open = kvmalloc_array(nr, sizeof(*open), GFP_KERNEL);
	if (!open && nr)
		return -ENOMEM;
	for (i = 0; i < nr; i++) {
		struct file *f = (struct file *)files[i].obj;

		if (files[i].what == CKPT_OBJ_FILE && ckpt_shmem_object(f))
			open[n++] = f;
	}
	err = ckpt_collect_shmem(ctx, open, n);
	kvfree(open);
	return err;
}

static void ckpt_put_files(struct ckpt_ref *files, size_t nr)
{
	size_t i;

	for (i = 0; i < nr; i++)
		if (files[i].what == CKPT_OBJ_FILE)
			fput((struct file *)files[i].obj);
	kvfree(files);
}

/*
 * Adds what leak detection looks for besides tasks' objects: the inodes of
 * the shared memory objects (a memfd may be open outside) and the open
 * files.
 */
static int ckpt_add_files(struct ckpt_ctx *ctx, struct ckpt_ref **refsp,
			  size_t *nr, size_t *cap, const struct ckpt_ref *files,
			  size_t nr_files)
{
	size_t i;
	int err = 0;

	for (i = 0; !err && i < ctx->nr_shm; i++)
		err = ckpt_ref_push(refsp, nr, cap, (struct ckpt_ref) {
			.obj = ctx->shm[i].inode, .ct = &ctx->tasks[0],
			.what = CKPT_OBJ_SHM, .fd = -1,
		});
	for (i = 0; !err && i < nr_files; i++)
		err = ckpt_ref_push(refsp, nr, cap, files[i]);
	return err;
}

struct ckpt_leak {
	struct task_struct *outside;
	struct ckpt_ref ref;
};

/* Does task @p, outside the container, hold one of @refs?  Under RCU. */
/*
 * Does task @p, outside the container, hold one of @refs?  Under RCU.
 * What a thread shares with its leader was looked at with the leader.
 */
static bool ckpt_task_leaks(struct task_struct *p, struct ckpt_ref *refs,
			    size_t n, struct ckpt_leak *leak)
{
	struct task_struct *leader = p->group_leader;
	const void *lfiles = NULL, *lfs = NULL, *lnsp = NULL;
	struct ckpt_ref *r = NULL;
	struct files_struct *files;
	struct nsproxy *nsp;
	unsigned int fd;

	if (leader != p) {
		task_lock(leader);
		lfiles = leader->files;
		lfs = leader->fs;
		lnsp = leader->nsproxy;
		task_unlock(leader);
	}
	task_lock(p);
	if (leader == p)
		r = ckpt_ref_find(refs, n, p->mm);
	if (!r && p->files != lfiles)
		r = ckpt_ref_find(refs, n, p->files);
	if (!r && p->fs != lfs)
		r = ckpt_ref_find(refs, n, p->fs);
	nsp = p->nsproxy;
	if (!r && nsp && nsp != lnsp) {
		r = ckpt_ref_find(refs, n, nsp->ipc_ns);
		if (!r)
			r = ckpt_ref_find(refs, n, nsp->uts_ns);
		if (!r)
			r = ckpt_ref_find(refs, n, nsp->mnt_ns);
		if (!r)
			r = ckpt_ref_find(refs, n, nsp->pid_ns_for_children);
	}
	files = p->files;
	if (!r && files && files != lfiles) {
		struct fdtable *fdt = files_fdtable(files);

		for (fd = find_first_bit(fdt->open_fds, fdt->max_fds);
		     !r && fd < fdt->max_fds;
		     fd = find_next_bit(fdt->open_fds, fdt->max_fds, fd + 1)) {
			struct file *f = rcu_dereference_raw(fdt->fd[fd]);

			r = ckpt_ref_find(refs, n, f);
			if (!r && f)
				r = ckpt_ref_find(refs, n, READ_ONCE(f->f_inode));
		}
	}
	task_unlock(p);
	if (!r)
		return false;
	leak->ref = *r;
	leak->outside = get_task_struct(p);
	return true;
}

/* Lets others run in a long walk; false if @g or @t went away meanwhile. */
static bool ckpt_rcu_break(struct task_struct *g, struct task_struct *t)
{
	bool alive;

	get_task_struct(g);
	get_task_struct(t);
	rcu_read_unlock();
	cond_resched();
	rcu_read_lock();
	alive = pid_alive(g) && pid_alive(t);
	put_task_struct(t);
	put_task_struct(g);
	return alive;
}

static void ckpt_log_leak(struct ckpt_ctx *ctx, struct ckpt_leak *leak)
{
	struct task_struct *t = leak->ref.ct->task, *p = leak->outside;
	char *buf = NULL, *name = NULL;

	if (leak->ref.what == CKPT_OBJ_FILE || leak->ref.what == CKPT_OBJ_PIPE) {
		/* Named through the container's task, which holds it. */
		struct file *f = fget_task(t, leak->ref.fd);

		buf = kmalloc(PATH_MAX, GFP_KERNEL);
		if (buf && f)
			name = d_path(&f->f_path, buf, PATH_MAX);
		if (f)
			fput(f);
		if (IS_ERR_OR_NULL(name))
			name = "?";
		ckpt_task_err(ctx, t, 0,
			      "fd %d (%s) is %s open in task %d (%s) outside the container (leak; CKPT_CHECKPOINT_SUBTREE saves it anyway)",
			      leak->ref.fd, name,
			      leak->ref.what == CKPT_OBJ_PIPE ?
			      "a pipe whose other end is" : "also",
			      task_pid_vnr(p), p->comm);
	} else {
		ckpt_task_err(ctx, t, 0,
			      "%s is shared with task %d (%s) outside the container (leak; CKPT_CHECKPOINT_SUBTREE saves it anyway)",
			      ckpt_obj_names[leak->ref.what], task_pid_vnr(p),
			      p->comm);
	}
	kfree(buf);
}

/*
 * Leak detection: one walk of every task outside the container, looking
 * up what it holds among what the container holds.
 */
static int ckpt_check_leaks(struct ckpt_ctx *ctx, struct ckpt_ref **refsp,
			    size_t nr, size_t cap, const struct ckpt_ref *files,
			    size_t nr_files)
{
	struct ckpt_leak leak = { };
	struct task_struct *p, *t;
	unsigned long seen = 0;
	struct nsproxy *nsp;
	bool found = false;
	int err;

	/* The container's own namespaces. */
	task_lock(ctx->init);
	nsp = ctx->init->nsproxy;
	if (nsp) {
		const void *ns[] = {
			ctx->ns_flags & CKPT_NS_IPC ? nsp->ipc_ns : NULL,
			ctx->ns_flags & CKPT_NS_UTS ? nsp->uts_ns : NULL,
			ctx->ns_flags & CKPT_NS_MNT ? nsp->mnt_ns : NULL,
			ctx->pidns,
		};
		int i;

		for (i = 0; i < ARRAY_SIZE(ns) && nr + ARRAY_SIZE(ns) <= cap; i++)
			if (ns[i])
				(*refsp)[nr++] = (struct ckpt_ref) {
					.obj = ns[i], .ct = &ctx->tasks[0],
					.what = CKPT_OBJ_NS, .fd = -1,
				};
	}
	task_unlock(ctx->init);

	err = ckpt_add_files(ctx, refsp, &nr, &cap, files, nr_files);
	if (err)
		return err;
	sort(*refsp, nr, sizeof(**refsp), ckpt_ref_cmp, NULL);

	rcu_read_lock();
	for_each_process_thread(p, t) {
		if (!(++seen % 256) && !ckpt_rcu_break(p, t)) {
			err = -EAGAIN;
			break;
		}
		if (t->flags & PF_KTHREAD)
			continue;
		if (task_active_pid_ns(t) == ctx->pidns)
			continue;
		if (ckpt_task_leaks(t, *refsp, nr, &leak)) {
			found = true;
			break;
		}
	}
	rcu_read_unlock();
	if (err)
		return ckpt_err(ctx, err,
				"tasks came and went during leak detection; try again");
	if (!found)
		return 0;
	ckpt_log_leak(ctx, &leak);
	put_task_struct(leak.outside);
	return -EBUSY;
}

/**
 * ckpt_check_tree - collect the container's tasks and check the tree
 * @ctx: the checkpoint, with @ctx->init, @ctx->pidns and @ctx->cgrp set.
 *
 * Collects every task of the container into @ctx->tasks with its TREE
 * record, checks that each is frozen, that what they share is shared
 * the way threads share it, and (without CKPT_CHECKPOINT_SUBTREE) that
 * no task outside the container holds any of it.
 *
 * Return: 0, -EOPNOTSUPP, -EBUSY (not frozen, exiting, or a leak),
 * -EAGAIN, or another negative errno; a reason is logged.
 */
int ckpt_check_tree(struct ckpt_ctx *ctx)
{
	size_t nr = 0, cap, nr_files = 0, files_cap = 64;
	struct ckpt_ref *refs, *files;
	u32 i;
	int err;

	err = ckpt_collect_tasks(ctx);
	if (err)
		return err;
	for (i = 0; i < ctx->nr_tasks; i++) {
		err = ckpt_check_tree_task(ctx, &ctx->tasks[i]);
		if (err)
			return err;
		if (ctx->tasks[i].tree.state != CKPT_TREE_ZOMBIE)
			ctx->nr_live++;
	}

	cap = 5 * ctx->nr_tasks + 64;
	refs = kvmalloc_array(cap, sizeof(*refs), GFP_KERNEL);
	files = kvmalloc_array(files_cap, sizeof(*files), GFP_KERNEL);
	err = -ENOMEM;
	if (refs && files)
		err = ckpt_check_sharing(ctx, refs, &nr);
	if (!err)
		err = ckpt_collect_files(ctx, &files, &nr_files, &files_cap);
	if (!err)
		err = ckpt_collect_open_shmem(ctx, files, nr_files);
	if (!err && !(ctx->flags & CKPT_CHECKPOINT_SUBTREE))
		err = ckpt_check_leaks(ctx, &refs, nr, cap, files, nr_files);
	if (files)
		ckpt_put_files(files, nr_files);
	kvfree(refs);
	return err;
}

/**
 * ckpt_check_tree_frozen - check that no task ran since it was checked
 * @ctx: the checkpoint.
 *
 * Return: 0, or -EAGAIN with a reason.
 */
int ckpt_check_tree_frozen(struct ckpt_ctx *ctx)
{
	u32 i, procs = 0, inside = 0;
	struct task_struct *p;

	/* No process entered the namespace since it was walked (setns). */
	for (i = 0; i < ctx->nr_tasks; i++)
		procs += ckpt_is_leader(&ctx->tasks[i]);
	rcu_read_lock();
	for_each_process(p)
		inside += task_active_pid_ns(p) == ctx->pidns;
	rcu_read_unlock();
	if (inside != procs)
		return ckpt_err(ctx, -EAGAIN,
				"a process entered the container during the checkpoint; try again");

	for (i = 0; i < ctx->nr_tasks; i++) {
		struct ckpt_ctask *ct = &ctx->tasks[i];
		struct task_struct *t = ct->task;
		bool moved;

		if (ct->tree.state == CKPT_TREE_ZOMBIE)
			continue;
		/*
		 * A signal wakes a frozen task, which goes back to sleep in
		 * the freezer's trap without leaving the frozen state or
		 * running a user instruction: only leaving it matters.  Such
		 * a signal may or may not be in the image, as one sent just
		 * after the checkpoint would not be.
		 */
		rcu_read_lock();
		moved = task_dfl_cgroup(t) != ctx->cgrp;
		rcu_read_unlock();
		if (!cgroup_task_frozen(t) || t->ptrace || moved ||
		    t->flags & PF_EXITING || fatal_signal_pending(t))
			return ckpt_task_err(ctx, t, -EAGAIN,
					     "the task left the frozen state during the checkpoint (killed, traced or thawed); try again");
	}
	return 0;
}

/**
 * ckpt_release_tree - drop the tasks collected by ckpt_check_tree()
 * @ctx: the checkpoint.
 */
void ckpt_release_tree(struct ckpt_ctx *ctx)
{
	u32 i;

	if (!ctx->tasks)
		return;
	for (i = 0; i < ctx->nr_tasks; i++)
		if (ctx->tasks[i].task)
			put_task_struct(ctx->tasks[i].task);
	kvfree(ctx->tasks);
	ctx->tasks = NULL;
}

/**
 * ckpt_write_tree - write the TREE records
 * @ctx: the checkpoint.
 *
 * Return: 0 or a negative errno.
 */
int ckpt_write_tree(struct ckpt_ctx *ctx)
{
	u32 i;
	int err = 0;

	for (i = 0; !err && i < ctx->nr_tasks; i++)
		err = ckpt_write_rec(ctx, CKPT_REC_TREE, &ctx->tasks[i].tree,
				     sizeof(ctx->tasks[i].tree));
	return err;
}

/* Restart. */

static bool ckpt_valid_exit_code(s32 code)
{
	/* exit(n): n << 8; killed by signal s: s, | 0x80 if it dumped core. */
	if (!(code & 0x7f))
		return !(code & ~0xff00);
	return !(code & ~0xff) && (code & 0x7f) <= _NSIG;
}

static int ckpt_check_tree_entry(struct ckpt_ctx *ctx, struct xarray *pids,
				 struct ckpt_restart_state *tasks, u32 i)
{
	const struct ckpt_tree *e = &tasks[i].tree;
	struct ckpt_restart_state *leader = NULL, *parent = NULL;
	void *p;

	if (e->pid <= 0 || e->pid >= PID_MAX_LIMIT || e->tgid <= 0 ||
	    e->ppid < 0 || e->pgid < 0 || e->sid < 0 ||
	    e->flags & ~CKPT_TREE_FLAGS || e->state > CKPT_TREE_ZOMBIE)
		return -EINVAL;
	/* SEM_UNDO records: in a live process's section only. */
	if (e->nr_sem_undo && (e->tgid != e->pid ||
			       e->state != CKPT_TREE_LIVE ||
			       e->nr_sem_undo > CKPT_IPC_MAX))
		return -EINVAL;
	if (e->state == CKPT_TREE_LIVE && e->exit_code)
		return -EINVAL;
	if (e->state == CKPT_TREE_ZOMBIE && !ckpt_valid_exit_code(e->exit_code))
		return -EINVAL;
	/* A group outside the container has its session outside too. */
	if (!e->pgid && e->sid)
		return -EINVAL;
	if (e->flags & CKPT_TREE_SESSION_LEADER && e->sid != e->pid)
		return -EINVAL;

	p = xa_load(pids, e->tgid);
	if (p)
		leader = &tasks[xa_to_value(p)];
	p = xa_load(pids, e->ppid);
	if (p)
		parent = &tasks[xa_to_value(p)];

	if (i == 0) {
		/* Init in another group or session would never finish exiting. */
		if (e->pid != 1 || e->tgid != 1 || e->ppid ||
		    e->state != CKPT_TREE_LIVE || e->pgid > 1 || e->sid > 1)
			return -EINVAL;
	} else if (e->tgid != e->pid) {
		/* A thread: after its live leader, with its leader's ids. */
		if (!leader || leader->tree.tgid != leader->tree.pid ||
		    leader->tree.state != CKPT_TREE_LIVE ||
		    e->state != CKPT_TREE_LIVE || e->exit_signal != -1 ||
		    e->ppid != leader->tree.ppid ||
		    e->pgid != leader->tree.pgid || e->sid != leader->tree.sid ||
		    e->flags & ~CKPT_TREE_SHARE_FS)
			return -EINVAL;
	} else {
		/* A process: after its live parent. */
		if (!parent || parent->tree.tgid != parent->tree.pid ||
		    parent->tree.state != CKPT_TREE_LIVE ||
		    e->flags & CKPT_TREE_SHARE_FS)
			return -EINVAL;
	}
	if (e->tgid == e->pid &&
	    (e->exit_signal < 0 || !valid_signal(e->exit_signal)))
		return -EINVAL;
	return 0;
}

/*
 * Process groups and sessions name processes, not threads, and a group
 * lies within one session.
 */
static int ckpt_check_groups(struct ckpt_ctx *ctx, struct xarray *pids,
			     struct ckpt_restart_state *tasks, u32 nr)
{
	struct xarray groups;
	int err = 0;
	u32 i;

	xa_init(&groups);
	for (i = 0; !err && i < nr; i++) {
		const struct ckpt_tree *e = &tasks[i].tree;
		pid_t ids[] = { e->pgid, e->sid };
		void *old;
		int k;

		if (e->tgid != e->pid)
			continue;
		for (k = 0; k < ARRAY_SIZE(ids); k++) {
			void *p = ids[k] ? xa_load(pids, ids[k]) : NULL;

			if (p && tasks[xa_to_value(p)].tree.tgid != ids[k])
				err = -EINVAL;
		}
		if (err || !e->pgid)
			continue;
		old = xa_load(&groups, e->pgid);
		if (!old)
			err = xa_insert(&groups, e->pgid, xa_mk_value(e->sid),
					GFP_KERNEL);
		else if (xa_to_value(old) != e->sid)
			err = -EINVAL;
	}
	xa_destroy(&groups);
	if (err == -EINVAL)
		ckpt_log(ctx, "TREE: a group or session of a thread, or a group in two sessions");
	return err;
}

/**
 * ckpt_read_tree - read and check the TREE records
 * @ctx: the restart.
 * @tasks: nr_tasks entries to fill.
 * @nr: their number, from the CONTAINER record.
 *
 * Checks that the records form one tree rooted at pid 1: unique pids,
 * parents before children, threads after their leader and sharing its
 * parent, group and session.  Links each task to the one that creates it.
 *
 * Return: 0 or -EINVAL with a reason.
 */
int ckpt_read_tree(struct ckpt_ctx *ctx, struct ckpt_restart_state *tasks,
		   u32 nr)
{
	struct xarray pids;
	int err = 0;
	u32 i;

	xa_init(&pids);
	for (i = 0; i < nr; i++) {
		struct ckpt_restart_state *rs = &tasks[i];

		err = ckpt_read_rec(ctx, CKPT_REC_TREE, &rs->tree,
				    sizeof(rs->tree), NULL);
		if (err)
			break;
		rs->first_child = -1;
		rs->next_sibling = -1;
		err = ckpt_check_tree_entry(ctx, &pids, tasks, i);
		if (!err)
			err = xa_insert(&pids, rs->tree.pid, xa_mk_value(i),
					GFP_KERNEL);
		if (err) {
			err = ckpt_err(ctx, err == -ENOMEM ? err : -EINVAL,
				       "TREE record %u (pid %d): %s", i,
				       rs->tree.pid, err == -EBUSY ?
				       "a pid used twice" : "malformed");
			break;
		}
	}
	if (!err)
		err = ckpt_check_groups(ctx, &pids, tasks, nr);
	/*
	 * Threads are created by their leader, processes by their parent,
	 * in TREE order: the lists are built backwards.
	 */
	for (i = nr - 1; !err && i > 0; i--) {
		struct ckpt_restart_state *rs = &tasks[i], *creator;
		void *p;

		p = xa_load(&pids, rs->tree.tgid != rs->tree.pid ?
			    rs->tree.tgid : rs->tree.ppid);
		creator = &tasks[xa_to_value(p)];
		rs->next_sibling = creator->first_child;
		creator->first_child = i;
	}
	xa_destroy(&pids);
	return err;
}

/*
 * The pid @nr of @ns for a process group or session, under tasklist_lock:
 * one that tasks use, or @fresh, allocated for it beforehand.  NULL if a
 * pid of that number exists without tasks: it is going away.
 */
static struct pid *ckpt_group_pid(struct pid_namespace *ns, pid_t nr,
				  struct pid *outside, struct pid *fresh)
{
	struct pid *pid;

	if (!nr)
		return outside;
	pid = find_pid_ns(nr, ns);
	if (!pid || pid == fresh)
		return fresh;
	if (!pid_has_task(pid, PIDTYPE_PID) && !pid_has_task(pid, PIDTYPE_PGID) &&
	    !pid_has_task(pid, PIDTYPE_SID))
		return NULL;
	return pid;
}

/* A pid for @nr if none exists yet: a group whose leader has exited. */
static struct pid *ckpt_alloc_group_pid(struct ckpt_ctx *ctx,
					struct pid_namespace *ns, pid_t nr)
{
	struct pid *pid;
	bool exists;

	if (!nr)
		return NULL;
	rcu_read_lock();
	exists = find_pid_ns(nr, ns);
	rcu_read_unlock();
	if (exists)
		return NULL;
	pid = alloc_pid(ns, &nr, 1);
	if (IS_ERR(pid))
		ckpt_log(ctx, "cannot recreate process group or session %d (error %ld)",
			 nr, PTR_ERR(pid));
	return pid;
}

/* Attach @t to @pid as @type, as setpgid() and setsid() do. */
static void ckpt_attach(struct task_struct *t, enum pid_type type,
			struct pid *pid)
{
	if (task_pid_type(t, type) != pid)
		change_pid(t, type, pid);
}

/**
 * ckpt_restore_groups - give every process its process group and session
 * @ctx: the restart.
 * @r: the restart's tasks, all created.
 *
 * Groups and sessions inside the container get their ids back; those
 * whose leader exited are recreated without it, as they were.  Groups
 * outside the container become the caller's.  A task killed meanwhile
 * fails the restart.
 *
 * Context: the coordinator, once every task exists.
 * Return: 0 or a negative errno.
 */
int ckpt_restore_groups(struct ckpt_ctx *ctx, struct ckpt_restart *r)
{
	struct pid_namespace *ns = r->pidns;
	struct pid *outside_pgrp, *outside_sid;
	int err = 0;
	u32 i;

	rcu_read_lock();
	outside_pgrp = get_pid(task_pgrp(current));
	outside_sid = get_pid(task_session(current));
	rcu_read_unlock();

	for (i = 0; !err && i < r->nr_tasks; i++) {
		struct ckpt_restart_state *rs = &r->tasks[i];
		struct pid *new_sid, *new_pgrp, *sid, *pgrp;
		struct task_struct *t = rs->tsk;
		struct tty_struct *tty = NULL;

		if (rs->tree.tgid != rs->tree.pid)
			continue;
		new_sid = ckpt_alloc_group_pid(ctx, ns, rs->tree.sid);
		new_pgrp = rs->tree.pgid == rs->tree.sid ? NULL :
			   ckpt_alloc_group_pid(ctx, ns, rs->tree.pgid);
		if (IS_ERR(new_sid) || IS_ERR(new_pgrp)) {
			err = IS_ERR(new_sid) ? PTR_ERR(new_sid) : PTR_ERR(new_pgrp);
			if (!IS_ERR_OR_NULL(new_sid))
				free_pid(new_sid);
			if (!IS_ERR_OR_NULL(new_pgrp))
				free_pid(new_pgrp);
			break;
		}

		write_lock_irq(&tasklist_lock);
		sid = ckpt_group_pid(ns, rs->tree.sid, outside_sid, new_sid);
		pgrp = ckpt_group_pid(ns, rs->tree.pgid, outside_pgrp,
				      rs->tree.pgid == rs->tree.sid ? sid : new_pgrp);
		if (!pid_alive(t) || !sid || !pgrp) {
			err = -ESRCH;
		} else {
			ckpt_attach(t, PIDTYPE_SID, sid);
			ckpt_attach(t, PIDTYPE_PGID, pgrp);
			t->signal->leader =
				!!(rs->tree.flags & CKPT_TREE_SESSION_LEADER);
			if (rs->tree.sid) {
				struct sighand_struct *sh;

				/* A session of its own has no terminal yet. */
				sh = rcu_dereference_protected(t->sighand,
						lockdep_is_held(&tasklist_lock));
				spin_lock(&sh->siglock);
				tty = t->signal->tty;
				t->signal->tty = NULL;
				spin_unlock(&sh->siglock);
			}
		}
		/* A pid allocated for nobody goes back. */
		if (new_sid && !pid_has_task(new_sid, PIDTYPE_SID) &&
		    !pid_has_task(new_sid, PIDTYPE_PGID))
			free_pid(new_sid);
		if (new_pgrp && !pid_has_task(new_pgrp, PIDTYPE_PGID))
			free_pid(new_pgrp);
		write_unlock_irq(&tasklist_lock);
		tty_kref_put(tty);
		if (err)
			ckpt_log(ctx, "task %d exited during the restart",
				 rs->tree.pid);
	}
	put_pid(outside_pgrp);
	put_pid(outside_sid);
	return err;
}
