// SPDX-License-Identifier: GPL-2.0-only
/*
 * ckpt: SysV IPC: shared memory segments, message queues, semaphore sets,
 * SEM_UNDO adjustments and shmat() attachments.
 *
 * IPC is saved only for a container with an IPC namespace of its own.
 * The check phase lists the namespace's objects and refuses what this
 * version cannot save; the write phase writes one record per object (SHM
 * with PAGES for the segment's pages that exist, MSQ with one MSG per
 * message, SEM with its values) after the TREE records, and SEM_UNDO
 * records in each process's section (their number is in its TREE record,
 * counted by the check phase).  The layouts of the objects are private to
 * ipc/: the helpers of patches/0009 copy them to and from struct
 * ckpt_ipc_obj under each object's lock.
 *
 * At restart the container's init, in the new IPC namespace it was
 * created in and that every task of the container shares, creates each
 * object at the start of its turn, with ksys_shmget(), ksys_msgget() or
 * ksys_semget() after setting the
 * namespace's next id (what the sysctls kernel.{shm,msg,sem}_next_id do,
 * which need CAP_CHECKPOINT_RESTORE over the namespace's user namespace,
 * as restart does), so it gets the same id and key.  A segment's pages are
 * read into its page cache; messages are sent with ksys_msgsnd() from a
 * scratch mapping, before the address space is rebuilt, so msgmax and the
 * queue size apply; owners are set as IPC_SET would by the creator, and
 * the creator ids as setresuid()/setresgid() allow.  Each process
 * attaches its segments again with do_shmat() when its own turn rebuilds
 * its address space, so the attach counts come out as they were.  Once
 * every task has had its turn, the coordinator gives each segment the
 * times and pids that attaching changed, and removes the segments that
 * were marked for destruction: they live on while attached.
 */

#include <linux/capability.h>
#include <linux/cred.h>
#include <linux/file.h>
#include <linux/hugetlb.h>
#include <linux/ipc_namespace.h>
#include <linux/mman.h>
#include <linux/msg.h>
#include <linux/nsproxy.h>
#include <linux/pagemap.h>
#include <linux/pid_namespace.h>
#include <linux/sched/task.h>
#include <linux/sem.h>
#include <linux/shm.h>
#include <uapi/linux/shm.h>
#include <linux/shmem_fs.h>
#include <linux/slab.h>
#include <linux/syscalls.h>
#include <linux/uaccess.h>
#include <linux/ckpt.h>

#include "internal.h"

/* The index of each kind in ipc_namespace.ids[] (ipc/util.h's IPC_*_IDS). */
#define CKPT_SEM_IDS	0
#define CKPT_MSG_IDS	1
#define CKPT_SHM_IDS	2

/* SHM_DEST and SHM_LOCKED bits of a segment's mode (ipc/shm.c). */
#define CKPT_SHM_MODE_DEST	01000
#define CKPT_SHM_MODE_LOCKED	02000

/* A segment restored, to finish once every process has attached it. */
struct ckpt_ipc_shm {
	int id;
	struct ckpt_ipc_obj obj;
};

/**
 * struct ckpt_ipc - SysV IPC state of one operation
 * @ns: the container's IPC namespace, referenced.
 * @pidns: restart: the container's pid namespace, referenced.
 * @ids: checkpoint: the objects found by the check, per CKPT_*_IDS.
 * @nsems: checkpoint: the number of semaphores of each set in @ids.
 * @nr: checkpoint: the number of entries of @ids.
 * @shm: restart: the segments restored.
 * @nr_shm: restart: their number.
 * @ubuf: restart: a scratch mapping for ksys_msgsnd(), or 0.
 */
struct ckpt_ipc {
	struct ipc_namespace *ns;
	struct pid_namespace *pidns;
	int *ids[3];
	u32 *nsems;
	u32 nr[3];
	struct ckpt_ipc_shm *shm;
	u32 nr_shm;
	unsigned long ubuf;
};

static const char *const ckpt_ipc_kind[3] = {
	[CKPT_SEM_IDS] = "semaphore set",
	[CKPT_MSG_IDS] = "message queue",
	[CKPT_SHM_IDS] = "shm segment",
};

#define ckpt_ipc_err(ctx, kind, id, key, err, fmt, ...)		\
	ckpt_err(ctx, err, "SysV %s id %d (key %#x): " fmt,		\
		 ckpt_ipc_kind[kind], id, key, ##__VA_ARGS__)

/**
 * ckpt_ipc_free - release the IPC state of an operation
 * @ctx: the checkpoint or restart.
 */
void ckpt_ipc_free(struct ckpt_ctx *ctx)
{
	struct ckpt_ipc *ipc = ctx->ipc;
	int i;

	if (!ipc)
		return;
	if (ipc->ns)
		put_ipc_ns(ipc->ns);
	if (ipc->pidns)
		put_pid_ns(ipc->pidns);
	for (i = 0; i < 3; i++)
		kvfree(ipc->ids[i]);
	kvfree(ipc->nsems);
	kvfree(ipc->shm);
	kfree(ipc);
	ctx->ipc = NULL;
}

/* Limits of a new IPC namespace: the only ones this version restores. */
static const char *ckpt_ipc_limits_changed(struct ipc_namespace *ns)
{
	int i;

	if (ns->shm_ctlmax != SHMMAX || ns->shm_ctlall != SHMALL ||
	    ns->shm_ctlmni != SHMMNI || ns->shm_rmid_forced)
		return "kernel.shmmax, shmall, shmmni or shm_rmid_forced";
	if (ns->msg_ctlmax != MSGMAX || ns->msg_ctlmnb != MSGMNB ||
	    ns->msg_ctlmni != MSGMNI)
		return "kernel.msgmax, msgmnb or msgmni";
	if (ns->sem_ctls[0] != SEMMSL || ns->sem_ctls[1] != SEMMNS ||
	    ns->sem_ctls[2] != SEMOPM || ns->sem_ctls[3] != SEMMNI)
		return "kernel.sem";
	for (i = 0; i < 3; i++)
		if (READ_ONCE(ns->ids[i].next_id) != -1)
			return "kernel.shm_next_id, msg_next_id or sem_next_id";
	return NULL;
}

/* The ids of the objects of one kind. */
static int ckpt_ipc_list(struct ipc_namespace *ns, int kind, int **out,
			 u32 *nr)
{
	struct ipc_ids *ids = &ns->ids[kind];
	struct kern_ipc_perm *perm;
	int *v, n, i = 0, idx;

	down_read(&ids->rwsem);
	n = ids->in_use;
	v = kvmalloc_array(max(n, 1), sizeof(*v), GFP_KERNEL);
	if (!v) {
		up_read(&ids->rwsem);
		return -ENOMEM;
	}
	idr_for_each_entry(&ids->ipcs_idr, perm, idx)
		if (i < n)
			v[i++] = perm->id;
	up_read(&ids->rwsem);
	*out = v;
	*nr = i;
	return 0;
}

/* Drops entry @i of the list of @kind: the object went away meanwhile. */
static void ckpt_ipc_drop(struct ckpt_ipc *ipc, int kind, u32 i)
{
	u32 n = --ipc->nr[kind];

	memmove(&ipc->ids[kind][i], &ipc->ids[kind][i + 1],
		(n - i) * sizeof(int));
	if (kind == CKPT_SEM_IDS)
		memmove(&ipc->nsems[i], &ipc->nsems[i + 1],
			(n - i) * sizeof(u32));
}

static int ckpt_check_shm(struct ckpt_ctx *ctx, struct ckpt_ipc *ipc, u32 i)
{
	int id = ipc->ids[CKPT_SHM_IDS][i];
	struct ckpt_ipc_obj o = { };
	bool huge;
	int err;

	err = shm_ckpt_get(ipc->ns, id, ctx->pidns, &o);
	if (err == -EINVAL || err == -EIDRM) {
		ckpt_ipc_drop(ipc, CKPT_SHM_IDS, i);
		return 1;
	}
	if (err)
		return err;
	huge = is_file_hugepages(o.file);
	fput(o.file);
	if (o.mode & CKPT_SHM_MODE_LOCKED)
		return ckpt_ipc_err(ctx, CKPT_SHM_IDS, id, o.key, -EOPNOTSUPP,
				    "SHM_LOCK is not supported yet");
	if (huge)
		return ckpt_ipc_err(ctx, CKPT_SHM_IDS, id, o.key, -EOPNOTSUPP,
				    "SHM_HUGETLB segments are not supported yet");
	return 0;
}

static int ckpt_check_msq(struct ckpt_ctx *ctx, struct ckpt_ipc *ipc, u32 i)
{
	int id = ipc->ids[CKPT_MSG_IDS][i];
	struct ckpt_ipc_obj o = { };
	int err;

	err = msg_ckpt_get(ipc->ns, id, ctx->pidns, &o, NULL, 0);
	if (err == -EINVAL || err == -EIDRM) {
		ckpt_ipc_drop(ipc, CKPT_MSG_IDS, i);
		return 1;
	}
	if (err)
		return err;
	if (o.max_msg > CKPT_MSG_MAX || o.max_msg > MSGMAX)
		return ckpt_ipc_err(ctx, CKPT_MSG_IDS, id, o.key, -EOPNOTSUPP,
				    "a message of %zu bytes is larger than kernel.msgmax (%d)",
				    o.max_msg, MSGMAX);
	return 0;
}

static int ckpt_check_sem(struct ckpt_ctx *ctx, struct ckpt_ipc *ipc, u32 i)
{
	int id = ipc->ids[CKPT_SEM_IDS][i];
	struct ckpt_ipc_obj o = { };
	int err;

	err = sem_ckpt_get(ipc->ns, id, ctx->pidns, &o, NULL, 0);
	if (err == -EINVAL || err == -EIDRM) {
		ckpt_ipc_drop(ipc, CKPT_SEM_IDS, i);
		return 1;
	}
	if (err)
		return err;
	if (!o.size || o.size > CKPT_SEM_NSEMS_MAX)
		return ckpt_ipc_err(ctx, CKPT_SEM_IDS, id, o.key, -EOPNOTSUPP,
				    "%lu semaphores: more than %d", o.size,
				    CKPT_SEM_NSEMS_MAX);
	ipc->nsems[i] = o.size;
	return 0;
}

/**
 * ckpt_check_ipc - refuse the SysV IPC state this version cannot save
 * @ctx: the checkpoint.
 * @t: the container's init, for the log.
 * @ns: the container's IPC namespace, its own (CKPT_NS_IPC).
 * @nr: set to the number of objects to save (CONTAINER.nr_ipc).
 *
 * Lists the objects of @ns and checks each; the write phase saves those.
 *
 * Return: 0, -EOPNOTSUPP with a reason on the log, or a negative errno.
 */
int ckpt_check_ipc(struct ckpt_ctx *ctx, struct task_struct *t,
		   struct ipc_namespace *ns, u32 *nr)
{
	const char *why = ckpt_ipc_limits_changed(ns);
	struct ckpt_ipc *ipc;
	int kind, err;
	u32 i;

	if (why)
		return ckpt_task_err(ctx, t, -EOPNOTSUPP,
				     "IPC namespace limits changed from their defaults (%s): not supported yet",
				     why);
	ipc = kzalloc(sizeof(*ipc), GFP_KERNEL);
	if (!ipc)
		return -ENOMEM;
	ctx->ipc = ipc;
	ipc->ns = get_ipc_ns(ns);

	for (kind = 0; kind < 3; kind++) {
		err = ckpt_ipc_list(ns, kind, &ipc->ids[kind], &ipc->nr[kind]);
		if (err)
			return err;
	}
	ipc->nsems = kvcalloc(max(ipc->nr[CKPT_SEM_IDS], 1U),
			      sizeof(*ipc->nsems), GFP_KERNEL);
	if (!ipc->nsems)
		return -ENOMEM;

	/* Each check returns 1 when it dropped entry i. */
	for (i = 0; i < ipc->nr[CKPT_SHM_IDS]; i += err ? 0 : 1) {
		err = ckpt_check_shm(ctx, ipc, i);
		if (err < 0)
			return err;
	}
	for (i = 0; i < ipc->nr[CKPT_MSG_IDS]; i += err ? 0 : 1) {
		err = ckpt_check_msq(ctx, ipc, i);
		if (err < 0)
			return err;
	}
	for (i = 0; i < ipc->nr[CKPT_SEM_IDS]; i += err ? 0 : 1) {
		err = ckpt_check_sem(ctx, ipc, i);
		if (err < 0)
			return err;
	}
	*nr = ipc->nr[0] + ipc->nr[1] + ipc->nr[2];
	return 0;
}

/* Does @t have adjustments for a set of @ns, the caller's namespace? */
static int ckpt_sem_undo_elsewhere(struct ipc_namespace *ns,
				   struct task_struct *t)
{
	int *ids = NULL, ret = 0;
	u32 i, n = 0;

	ret = ckpt_ipc_list(ns, CKPT_SEM_IDS, &ids, &n);
	for (i = 0; !ret && i < n; i++) {
		ret = sem_ckpt_get_undo(ns, ids[i], t, NULL, 0);
		if (ret == -EINVAL || ret == -EIDRM)
			ret = 0;
	}
	kvfree(ids);
	return ret;
}

/**
 * ckpt_check_sem_undo - count the SEM_UNDO records of a task
 * @ctx: the checkpoint, with the IPC objects checked.
 * @ct: a live task of the container.
 *
 * Adjustments are saved for the sets of the container's own IPC
 * namespace, in the section of the process (threads share its undo list,
 * which tree.c checked no other process shares): sets @ct's
 * TREE.nr_sem_undo.  A thread with an undo list of its own (a clone()
 * without CLONE_SYSVSEM) is refused, and so are adjustments in an IPC
 * namespace the container does not own.
 *
 * Return: 0, -EOPNOTSUPP with a reason, or a negative errno.
 */
int ckpt_check_sem_undo(struct ckpt_ctx *ctx, struct ckpt_ctask *ct)
{
	const void *ulp = ckpt_sem_undo_list(ct->task);
	struct ckpt_ipc *ipc = ctx->ipc;
	struct task_struct *t = ct->task;
	u32 i, n = 0;
	int ret;

	if (ct->tree.pid != ct->tree.tgid) {
		if (ulp != ckpt_sem_undo_list(ctx->tasks[ct->leader].task))
			return ckpt_task_err(ctx, t, -EOPNOTSUPP,
					     "a thread with a SEM_UNDO list of its own (clone() without CLONE_SYSVSEM): not supported yet");
		return 0;
	}
	if (!ulp)
		return 0;
	if (!ipc) {
		ret = ckpt_sem_undo_elsewhere(current->nsproxy->ipc_ns, t);
		if (ret > 0)
			return ckpt_task_err(ctx, t, -EOPNOTSUPP,
					     "SEM_UNDO adjustments in an IPC namespace the container does not own");
		return ret;
	}
	for (i = 0; i < ipc->nr[CKPT_SEM_IDS]; i++) {
		ret = sem_ckpt_get_undo(ipc->ns, ipc->ids[CKPT_SEM_IDS][i], t,
					NULL, 0);
		if (ret < 0)
			return ckpt_task_err(ctx, t, -EAGAIN,
					     "SysV semaphore set id %d was removed during the checkpoint",
					     ipc->ids[CKPT_SEM_IDS][i]);
		n += ret;
	}
	ct->tree.nr_sem_undo = n;
	return 0;
}

static void ckpt_ipc_perm_out(struct ckpt_ipc_perm *p, int id,
			      const struct ckpt_ipc_obj *o)
{
	struct user_namespace *ns = current_user_ns();

	p->key = o->key;
	p->id = id;
	p->uid = from_kuid_munged(ns, o->uid);
	p->gid = from_kgid_munged(ns, o->gid);
	p->cuid = from_kuid_munged(ns, o->cuid);
	p->cgid = from_kgid_munged(ns, o->cgid);
	p->mode = o->mode & 0777;
}

/* Next page at or after *@index and before @end that exists: 0 or -ENOENT. */
static int ckpt_shm_next(struct address_space *m, pgoff_t *index,
			 pgoff_t end)
{
	unsigned long idx = *index;
	void *entry;

	if (idx >= end)
		return -ENOENT;
	rcu_read_lock();
	entry = xa_find(&m->i_pages, &idx, end - 1, XA_PRESENT);
	rcu_read_unlock();
	if (!entry)
		return -ENOENT;
	/* A large entry may report its first index. */
	*index = max_t(unsigned long, idx, *index);
	return 0;
}

static u64 ckpt_shm_count(struct address_space *m, pgoff_t end)
{
	pgoff_t idx = 0;
	u64 n = 0;

	while (!ckpt_shm_next(m, &idx, end)) {
		n++;
		idx++;
		cond_resched();
	}
	return n;
}

/* Writes the @count pages of a segment that exist as PAGES records. */
static int ckpt_write_shm_pages(struct ckpt_ctx *ctx, struct file *file,
				pgoff_t end, u64 count, struct page **pages)
{
	struct address_space *m = file->f_mapping;
	pgoff_t idx = 0;

	while (count) {
		struct ckpt_pages rec = { };
		unsigned int n = 0, i;
		pgoff_t start;
		int err = 0;

		if (ckpt_shm_next(m, &idx, end))
			return -EAGAIN;
		start = idx;
		while (n < CKPT_PAGES_MAX && n < count) {
			pgoff_t next = idx;

			if (n && (ckpt_shm_next(m, &next, end) || next != idx))
				break;
			pages[n] = shmem_read_mapping_page(m, idx);
			if (IS_ERR(pages[n])) {
				err = PTR_ERR(pages[n]);
				break;
			}
			n++;
			idx++;
		}
		if (!err) {
			rec.addr = (u64)start << PAGE_SHIFT;
			rec.nr_pages = n;
			err = ckpt_write_rec_tail(ctx, CKPT_REC_PAGES, &rec,
						  sizeof(rec), NULL,
						  (size_t)n << PAGE_SHIFT);
		}
		if (!err)
			err = ckpt_write_pages(ctx, pages, n);
		for (i = 0; i < n; i++)
			put_page(pages[i]);
		if (err)
			return err;
		count -= n;
	}
	return 0;
}

static int ckpt_write_shm(struct ckpt_ctx *ctx, int id, struct page **pages)
{
	struct ckpt_ipc_obj o = { };
	struct ckpt_shm rec = { };
	pgoff_t end;
	int err;

	err = shm_ckpt_get(ctx->ipc->ns, id, ctx->pidns, &o);
	if (err)
		return err;
	ckpt_ipc_perm_out(&rec.perm, id, &o);
	rec.size = o.size;
	rec.atime = o.time[0];
	rec.dtime = o.time[1];
	rec.ctime = o.time[2];
	rec.cpid = o.pid[0];
	rec.lpid = o.pid[1];
	if (o.mode & CKPT_SHM_MODE_DEST)
		rec.flags |= CKPT_SHM_DEST;
	end = DIV_ROUND_UP(o.size, PAGE_SIZE);
	rec.nr_pages = ckpt_shm_count(o.file->f_mapping, end);
	err = ckpt_write_rec(ctx, CKPT_REC_SHM, &rec, sizeof(rec));
	if (!err)
		err = ckpt_write_shm_pages(ctx, o.file, end, rec.nr_pages,
					   pages);
	fput(o.file);
	return err;
}

static int ckpt_write_msq(struct ckpt_ctx *ctx, int id)
{
	struct ckpt_ipc_obj o = { };
	struct ckpt_msq rec = { };
	size_t size, off;
	void *buf = NULL;
	int err, tries;

	err = msg_ckpt_get(ctx->ipc->ns, id, ctx->pidns, &o, NULL, 0);
	/* Senders from outside may fill the queue between the two calls. */
	for (tries = 0; !err && tries < 3; tries++) {
		size = o.count * CKPT_IPC_MSG_SIZE(0) + o.bytes + 8 * o.count;
		kvfree(buf);
		buf = kvmalloc(max_t(size_t, size, 1), GFP_KERNEL);
		if (!buf)
			return -ENOMEM;
		err = msg_ckpt_get(ctx->ipc->ns, id, ctx->pidns, &o, buf,
				   size);
		if (err != -ENOSPC)
			break;
		err = 0;
		if (tries == 2)
			err = -EAGAIN;
	}
	if (err)
		goto out;
	ckpt_ipc_perm_out(&rec.perm, id, &o);
	rec.qbytes = o.size;
	rec.nr_msgs = o.count;
	rec.stime = o.time[0];
	rec.rtime = o.time[1];
	rec.ctime = o.time[2];
	rec.lspid = o.pid[0];
	rec.lrpid = o.pid[1];
	err = ckpt_write_rec(ctx, CKPT_REC_MSQ, &rec, sizeof(rec));
	for (off = 0; !err && rec.nr_msgs--; ) {
		struct ckpt_ipc_msg *m = buf + off;
		struct ckpt_msg msg = { .type = m->type, .len = m->len };

		if (m->len > CKPT_MSG_MAX) {
			err = -EAGAIN;
			break;
		}
		err = ckpt_write_rec_tail(ctx, CKPT_REC_MSG, &msg, sizeof(msg),
					  m + 1, m->len);
		off += CKPT_IPC_MSG_SIZE(m->len);
	}
out:
	kvfree(buf);
	return err;
}

static int ckpt_write_sem(struct ckpt_ctx *ctx, int id, u32 nsems)
{
	struct ckpt_ipc_sem *sems;
	struct ckpt_sem_val *vals;
	struct ckpt_ipc_obj o = { };
	struct ckpt_sem rec = { };
	u32 i;
	int err;

	sems = kvcalloc(nsems, sizeof(*sems), GFP_KERNEL);
	vals = kvcalloc(nsems, sizeof(*vals), GFP_KERNEL);
	err = -ENOMEM;
	if (!sems || !vals)
		goto out;
	err = sem_ckpt_get(ctx->ipc->ns, id, ctx->pidns, &o, sems, nsems);
	if (err)
		goto out;
	ckpt_ipc_perm_out(&rec.perm, id, &o);
	rec.ctime = o.time[2];
	rec.nsems = nsems;
	for (i = 0; i < nsems; i++) {
		vals[i].val = sems[i].val;
		vals[i].pid = sems[i].pid;
		vals[i].otime = sems[i].otime;
	}
	err = ckpt_write_rec_tail(ctx, CKPT_REC_SEM, &rec, sizeof(rec), vals,
				  nsems * sizeof(*vals));
out:
	kvfree(vals);
	kvfree(sems);
	return err;
}

/**
 * ckpt_write_ipc - write the SHM, MSQ and SEM records of the objects found
 * by ckpt_check_ipc()
 * @ctx: the checkpoint.
 *
 * Return: 0, -EAGAIN if an object changed or went away meanwhile, or a
 * negative errno.
 */
int ckpt_write_ipc(struct ckpt_ctx *ctx)
{
	struct ckpt_ipc *ipc = ctx->ipc;
	struct page **pages;
	int kind = 0, id = 0, err = 0;
	u32 i;

	if (!ipc)
		return 0;
	pages = kmalloc_array(CKPT_PAGES_MAX, sizeof(*pages), GFP_KERNEL);
	if (!pages)
		return -ENOMEM;
	kind = CKPT_SHM_IDS;
	for (i = 0; !err && i < ipc->nr[kind]; i++) {
		id = ipc->ids[kind][i];
		err = ckpt_write_shm(ctx, id, pages);
	}
	if (!err)
		kind = CKPT_MSG_IDS;
	for (i = 0; !err && i < ipc->nr[kind]; i++) {
		id = ipc->ids[kind][i];
		err = ckpt_write_msq(ctx, id);
	}
	if (!err)
		kind = CKPT_SEM_IDS;
	for (i = 0; !err && i < ipc->nr[kind]; i++) {
		id = ipc->ids[kind][i];
		err = ckpt_write_sem(ctx, id, ipc->nsems[i]);
	}
	kfree(pages);
	if (err == -EINVAL || err == -EIDRM || err == -ENOSPC)
		err = -EAGAIN;
	if (err == -EAGAIN)
		ckpt_err(ctx, err,
			 "SysV %s id %d changed or was removed during the checkpoint",
			 ckpt_ipc_kind[kind], id);
	return err;
}

/**
 * ckpt_write_sem_undo - write the SEM_UNDO records of a process
 * @ctx: the checkpoint.
 * @ct: a live thread group leader, frozen.
 *
 * Return: 0, -EAGAIN if they are not those counted by the check, or a
 * negative errno.
 */
int ckpt_write_sem_undo(struct ckpt_ctx *ctx, struct ckpt_ctask *ct)
{
	struct ckpt_ipc *ipc = ctx->ipc;
	struct task_struct *t = ct->task;
	u32 i, n = 0;
	short *adj;
	int err = 0;

	if (!ct->tree.nr_sem_undo)
		return 0;
	adj = kvmalloc_array(CKPT_SEM_NSEMS_MAX, sizeof(*adj), GFP_KERNEL);
	if (!adj)
		return -ENOMEM;
	for (i = 0; !err && i < ipc->nr[CKPT_SEM_IDS]; i++) {
		struct ckpt_sem_undo rec = {
			.semid = ipc->ids[CKPT_SEM_IDS][i],
			.nsems = ipc->nsems[i],
		};

		err = sem_ckpt_get_undo(ipc->ns, rec.semid, t, adj, rec.nsems);
		if (err < 0 || (err == 1 && n == ct->tree.nr_sem_undo)) {
			err = -EAGAIN;
			break;
		}
		if (err == 1) {
			n++;
			err = ckpt_write_rec_tail(ctx, CKPT_REC_SEM_UNDO, &rec,
						  sizeof(rec), adj,
						  rec.nsems * sizeof(*adj));
		}
	}
	if (!err && n != ct->tree.nr_sem_undo)
		err = -EAGAIN;
	if (err == -EAGAIN)
		ckpt_task_err(ctx, t, err,
			      "its SEM_UNDO adjustments changed during the checkpoint");
	kvfree(adj);
	return err;
}

/* Restart */

/*
 * Owners of an object as the caller may set them: the owner as IPC_SET
 * allows the creator (any valid id); the creator as setresuid() and
 * setresgid() would allow a process to become it and create the object.
 */
static int ckpt_ipc_perm_in(struct ckpt_ctx *ctx, int kind,
			    const struct ckpt_ipc_perm *p,
			    struct ckpt_ipc_obj *o)
{
	const struct cred *cred = current_cred();
	struct user_namespace *ns = current_user_ns();

	if (p->pad || p->id < 0 || p->mode & ~0777)
		return ckpt_ipc_err(ctx, kind, p->id, p->key, -EINVAL,
				    "malformed record");
	o->key = p->key;
	o->uid = make_kuid(ns, p->uid);
	o->gid = make_kgid(ns, p->gid);
	o->cuid = make_kuid(ns, p->cuid);
	o->cgid = make_kgid(ns, p->cgid);
	o->mode = p->mode;
	if (!uid_valid(o->uid) || !gid_valid(o->gid) || !uid_valid(o->cuid) ||
	    !gid_valid(o->cgid))
		return ckpt_ipc_err(ctx, kind, p->id, p->key, -EINVAL,
				    "owner or creator not mapped in the caller's user namespace");
	if (!uid_eq(o->cuid, cred->uid) && !uid_eq(o->cuid, cred->euid) &&
	    !uid_eq(o->cuid, cred->suid) && !ns_capable(ns, CAP_SETUID))
		return ckpt_ipc_err(ctx, kind, p->id, p->key, -EPERM,
				    "creator uid %u: needs CAP_SETUID", p->cuid);
	if (!gid_eq(o->cgid, cred->gid) && !gid_eq(o->cgid, cred->egid) &&
	    !gid_eq(o->cgid, cred->sgid) && !ns_capable(ns, CAP_SETGID))
		return ckpt_ipc_err(ctx, kind, p->id, p->key, -EPERM,
				    "creator gid %u: needs CAP_SETGID", p->cgid);
	return 0;
}

/* Creates an object of @kind with the id and key of @p, mode 0600. */
static int ckpt_ipc_create(struct ckpt_ctx *ctx, int kind,
			   const struct ckpt_ipc_perm *p, unsigned long arg)
{
	struct ipc_ids *ids = &current->nsproxy->ipc_ns->ids[kind];
	int flags = IPC_CREAT | IPC_EXCL | 0600;
	long ret;

	/* What writing kernel.{sem,msg,shm}_next_id does. */
	down_write(&ids->rwsem);
	ids->next_id = p->id;
	up_write(&ids->rwsem);
	if (kind == CKPT_SHM_IDS)
		ret = ksys_shmget(p->key, arg, flags);
	else if (kind == CKPT_MSG_IDS)
		ret = ksys_msgget(p->key, flags);
	else
		ret = ksys_semget(p->key, arg, flags);
	down_write(&ids->rwsem);
	ids->next_id = -1;
	up_write(&ids->rwsem);
	if (ret < 0)
		return ckpt_ipc_err(ctx, kind, p->id, p->key, ret,
				    "cannot create it (error %ld)", ret);
	if (ret != p->id)
		return ckpt_ipc_err(ctx, kind, p->id, p->key, -EINVAL,
				    "the id is used twice in the image");
	return 0;
}

static int ckpt_restore_shm_pages(struct ckpt_ctx *ctx,
				  const struct ckpt_shm *s, struct file *file,
				  struct page **pages)
{
	u64 end = round_up(s->size, PAGE_SIZE), next = 0, left = s->nr_pages;
	struct ckpt_pages rec;
	u32 tail;
	int err;

	while (left) {
		unsigned int i, n = 0;
		u64 len;

		err = ckpt_read_rec(ctx, CKPT_REC_PAGES, &rec, sizeof(rec),
				    &tail);
		if (err)
			return err;
		len = (u64)rec.nr_pages << PAGE_SHIFT;
		if (!rec.nr_pages || rec.nr_pages > CKPT_PAGES_MAX || rec.pad ||
		    rec.nr_pages > left || tail != len ||
		    !PAGE_ALIGNED(rec.addr) || rec.addr < next ||
		    rec.addr > end || end - rec.addr < len)
			return ckpt_ipc_err(ctx, CKPT_SHM_IDS, s->perm.id,
					    s->perm.key, -EINVAL,
					    "PAGES record at offset %#llx (%u pages) outside the segment or out of order",
					    rec.addr, rec.nr_pages);
		for (; n < rec.nr_pages; n++) {
			pgoff_t idx = (rec.addr >> PAGE_SHIFT) + n;

			pages[n] = shmem_read_mapping_page(file->f_mapping, idx);
			if (IS_ERR(pages[n])) {
				err = PTR_ERR(pages[n]);
				break;
			}
		}
		if (!err)
			err = ckpt_read_pages(ctx, pages, n);
		for (i = 0; i < n; i++) {
			if (!err)
				set_page_dirty(pages[i]);
			put_page(pages[i]);
		}
		if (err)
			return err;
		left -= rec.nr_pages;
		next = rec.addr + len;
	}
	return 0;
}

static int ckpt_restore_shm(struct ckpt_ctx *ctx, const struct ckpt_rec *hdr,
			    struct page **pages)
{
	struct ckpt_ipc *ipc = ctx->ipc;
	struct ipc_namespace *ns = current->nsproxy->ipc_ns;
	struct ckpt_ipc_shm *shm = &ipc->shm[ipc->nr_shm];
	struct ckpt_ipc_obj o = { };
	struct ckpt_shm s;
	int err;

	err = ckpt_read_rec_body(ctx, hdr, &s, sizeof(s), NULL);
	if (err)
		return err;
	err = ckpt_ipc_perm_in(ctx, CKPT_SHM_IDS, &s.perm, &shm->obj);
	if (err)
		return err;
	if (s.pad || s.flags & ~CKPT_SHM_FLAGS || !s.size ||
	    s.size > ns->shm_ctlmax ||
	    s.nr_pages > DIV_ROUND_UP(s.size, PAGE_SIZE) ||
	    s.atime < 0 || s.dtime < 0 || s.ctime < 0 || s.cpid < 0 ||
	    s.lpid < 0 || (s.flags & CKPT_SHM_DEST && s.perm.key))
		return ckpt_ipc_err(ctx, CKPT_SHM_IDS, s.perm.id, s.perm.key,
				    -EINVAL, "malformed SHM record");
	err = ckpt_ipc_create(ctx, CKPT_SHM_IDS, &s.perm, s.size);
	if (err)
		return err;
	shm->id = s.perm.id;
	shm->obj.time[0] = s.atime;
	shm->obj.time[1] = s.dtime;
	shm->obj.time[2] = s.ctime;
	shm->obj.pid[0] = s.cpid;
	shm->obj.pid[1] = s.lpid;
	if (s.flags & CKPT_SHM_DEST)
		shm->obj.mode |= CKPT_SHM_MODE_DEST;
	ipc->nr_shm++;

	err = shm_ckpt_get(ns, s.perm.id, task_active_pid_ns(current), &o);
	if (err)
		return err;
	err = ckpt_restore_shm_pages(ctx, &s, o.file, pages);
	fput(o.file);
	return err;
}

/* A scratch mapping in the inherited address space, for ksys_msgsnd(). */
static int ckpt_ipc_ubuf(struct ckpt_ctx *ctx)
{
	unsigned long addr;

	if (ctx->ipc->ubuf)
		return 0;
	addr = vm_mmap(NULL, 0, PAGE_ALIGN(sizeof(long) + CKPT_MSG_MAX),
		       PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, 0);
	if (IS_ERR_VALUE(addr))
		return ckpt_err(ctx, (long)addr,
				"cannot map a buffer to send messages (error %ld)",
				(long)addr);
	ctx->ipc->ubuf = addr;
	return 0;
}

static int ckpt_restore_msg(struct ckpt_ctx *ctx, const struct ckpt_msq *q,
			    void *text)
{
	struct ipc_namespace *ns = current->nsproxy->ipc_ns;
	struct msgbuf __user *ubuf = (void __user *)ctx->ipc->ubuf;
	struct ckpt_msg m;
	u32 tail;
	long ret;
	int err;

	err = ckpt_read_rec(ctx, CKPT_REC_MSG, &m, sizeof(m), &tail);
	if (err)
		return err;
	if (m.type < 1 || m.pad || m.len != tail ||
	    m.len > ns->msg_ctlmax)
		return ckpt_ipc_err(ctx, CKPT_MSG_IDS, q->perm.id, q->perm.key,
				    -EINVAL,
				    "malformed MSG record (type %lld, %u bytes; kernel.msgmax %d)",
				    m.type, m.len, ns->msg_ctlmax);
	err = ckpt_read_tail(ctx, text, m.len);
	if (err)
		return err;
	if (put_user((long)m.type, &ubuf->mtype) ||
	    copy_to_user(ubuf->mtext, text, m.len))
		return -EFAULT;
	ret = ksys_msgsnd(q->perm.id, ubuf, m.len, IPC_NOWAIT);
	if (ret)
		return ckpt_ipc_err(ctx, CKPT_MSG_IDS, q->perm.id, q->perm.key,
				    ret, "cannot queue a message of %u bytes (error %ld)",
				    m.len, ret);
	return 0;
}

static int ckpt_restore_msq(struct ckpt_ctx *ctx, const struct ckpt_rec *hdr)
{
	struct ipc_namespace *ns = current->nsproxy->ipc_ns;
	const struct cred *cred = current_cred();
	struct ckpt_ipc_obj o = { }, tmp;
	struct ckpt_msq q;
	void *text = NULL;
	u64 i;
	int err;

	err = ckpt_read_rec_body(ctx, hdr, &q, sizeof(q), NULL);
	if (err)
		return err;
	err = ckpt_ipc_perm_in(ctx, CKPT_MSG_IDS, &q.perm, &o);
	if (err)
		return err;
	if (q.qbytes > INT_MAX || q.stime < 0 || q.rtime < 0 || q.ctime < 0 ||
	    q.lspid < 0 || q.lrpid < 0 || q.nr_msgs > q.qbytes)
		return ckpt_ipc_err(ctx, CKPT_MSG_IDS, q.perm.id, q.perm.key,
				    -EINVAL, "malformed MSQ record");
	/* The check of msgctl(IPC_SET). */
	if (q.qbytes > ns->msg_ctlmnb && !capable(CAP_SYS_RESOURCE))
		return ckpt_ipc_err(ctx, CKPT_MSG_IDS, q.perm.id, q.perm.key,
				    -EPERM,
				    "a queue size of %llu bytes above kernel.msgmnb needs CAP_SYS_RESOURCE",
				    q.qbytes);
	o.size = q.qbytes;
	o.time[0] = q.stime;
	o.time[1] = q.rtime;
	o.time[2] = q.ctime;
	o.pid[0] = q.lspid;
	o.pid[1] = q.lrpid;
	err = ckpt_ipc_create(ctx, CKPT_MSG_IDS, &q.perm, 0);
	if (err)
		return err;

	/* Owned by the caller while the messages are sent. */
	tmp = o;
	tmp.uid = cred->euid;
	tmp.cuid = cred->euid;
	tmp.gid = cred->egid;
	tmp.cgid = cred->egid;
	tmp.mode = 0600;
	err = msg_ckpt_set(ns, q.perm.id, ctx->ipc->pidns, &tmp);
	if (!err && q.nr_msgs) {
		err = ckpt_ipc_ubuf(ctx);
		text = err ? NULL : kvmalloc(CKPT_MSG_MAX, GFP_KERNEL);
		if (!err && !text)
			err = -ENOMEM;
	}
	for (i = 0; !err && i < q.nr_msgs; i++)
		err = ckpt_restore_msg(ctx, &q, text);
	kvfree(text);
	if (!err)
		err = msg_ckpt_set(ns, q.perm.id, ctx->ipc->pidns, &o);
	return err;
}

static int ckpt_restore_sem(struct ckpt_ctx *ctx, const struct ckpt_rec *hdr)
{
	struct ipc_namespace *ns = current->nsproxy->ipc_ns;
	struct ckpt_ipc_sem *sems = NULL;
	struct ckpt_sem_val *vals = NULL;
	struct ckpt_ipc_obj o = { };
	struct ckpt_sem s;
	u32 tail, i;
	int err;

	err = ckpt_read_rec_body(ctx, hdr, &s, sizeof(s), &tail);
	if (err)
		return err;
	err = ckpt_ipc_perm_in(ctx, CKPT_SEM_IDS, &s.perm, &o);
	if (err)
		return err;
	if (s.pad || !s.nsems || s.nsems > CKPT_SEM_NSEMS_MAX ||
	    tail != s.nsems * sizeof(*vals) || s.ctime < 0)
		return ckpt_ipc_err(ctx, CKPT_SEM_IDS, s.perm.id, s.perm.key,
				    -EINVAL, "malformed SEM record");
	vals = kvmalloc_array(s.nsems, sizeof(*vals), GFP_KERNEL);
	sems = kvmalloc_array(s.nsems, sizeof(*sems), GFP_KERNEL);
	err = -ENOMEM;
	if (!vals || !sems)
		goto out;
	err = ckpt_read_tail(ctx, vals, tail);
	if (err)
		goto out;
	for (i = 0; i < s.nsems; i++) {
		if (vals[i].val < 0 || vals[i].val > SEMVMX ||
		    vals[i].pid < 0 || vals[i].otime < 0) {
			err = ckpt_ipc_err(ctx, CKPT_SEM_IDS, s.perm.id,
					   s.perm.key, -EINVAL,
					   "semaphore %u: value %d out of range",
					   i, vals[i].val);
			goto out;
		}
		sems[i].val = vals[i].val;
		sems[i].pid = vals[i].pid;
		sems[i].otime = vals[i].otime;
	}
	o.time[2] = s.ctime;
	err = ckpt_ipc_create(ctx, CKPT_SEM_IDS, &s.perm, s.nsems);
	if (!err)
		err = sem_ckpt_set(ns, s.perm.id, ctx->ipc->pidns, &o, sems,
				   s.nsems);
out:
	kvfree(sems);
	kvfree(vals);
	return err;
}

/**
 * ckpt_restore_ipc - recreate the SysV IPC objects of the image
 * @ctx: the restart.
 * @nr: CONTAINER.nr_ipc, already validated.
 *
 * Reads @nr SHM, MSQ and SEM records with their PAGES and MSG records.
 *
 * Context: the container's init, in its new IPC namespace, at the start
 * of its turn: every task exists (pids resolve), and its address space is
 * still the inherited one (messages are sent from a scratch mapping in
 * it).
 * Return: 0 or a negative errno.
 */
int ckpt_restore_ipc(struct ckpt_ctx *ctx, u32 nr)
{
	struct page **pages = NULL;
	struct ckpt_ipc *ipc;
	struct ckpt_rec hdr;
	int err = 0;
	u32 i;

	if (!nr)
		return 0;
	ipc = kzalloc(sizeof(*ipc), GFP_KERNEL);
	if (!ipc)
		return -ENOMEM;
	ctx->ipc = ipc;
	ipc->ns = get_ipc_ns(current->nsproxy->ipc_ns);
	ipc->pidns = get_pid_ns(task_active_pid_ns(current));
	ipc->shm = kvcalloc(min_t(u32, nr, SHMMNI), sizeof(*ipc->shm),
			    GFP_KERNEL);
	pages = kmalloc_array(CKPT_PAGES_MAX, sizeof(*pages), GFP_KERNEL);
	if (!ipc->shm || !pages) {
		err = -ENOMEM;
		goto out;
	}
	for (i = 0; !err && i < nr; i++) {
		err = ckpt_read_rec_type(ctx, &hdr);
		if (err)
			break;
		switch (hdr.type) {
		case CKPT_REC_SHM:
			if (ipc->nr_shm == SHMMNI)
				err = ckpt_err(ctx, -EINVAL,
					       "more than %d SysV shm segments",
					       SHMMNI);
			else
				err = ckpt_restore_shm(ctx, &hdr, pages);
			break;
		case CKPT_REC_MSQ:
			err = ckpt_restore_msq(ctx, &hdr);
			break;
		case CKPT_REC_SEM:
			err = ckpt_restore_sem(ctx, &hdr);
			break;
		default:
			err = ckpt_err(ctx, -EINVAL,
				       "image offset %llu: expected a SysV IPC record (%u of %u), found type %u",
				       ctx->len - sizeof(hdr), i + 1, nr,
				       hdr.type);
		}
	}
out:
	kfree(pages);
	if (ipc->ubuf)
		vm_munmap(ipc->ubuf, PAGE_ALIGN(sizeof(long) + CKPT_MSG_MAX));
	ipc->ubuf = 0;
	return err;
}

/**
 * ckpt_restore_ipc_finish - set what attaching segments changed
 * @ctx: the restart.
 *
 * Once every process has rebuilt its address space (do_shmat() sets the
 * attach time and pid, and counts the attachment), gives each segment its
 * saved owners, mode, times and pids, and removes the segments that were
 * marked for destruction, as IPC_RMID does: they live on while attached.
 *
 * Context: the coordinator, after the last turn.
 * Return: 0 or a negative errno.
 */
int ckpt_restore_ipc_finish(struct ckpt_ctx *ctx)
{
	struct ckpt_ipc *ipc = ctx->ipc;
	int err = 0;
	u32 i;

	for (i = 0; ipc && !err && i < ipc->nr_shm; i++)
		err = shm_ckpt_set(ipc->ns, ipc->shm[i].id, ipc->pidns,
				   &ipc->shm[i].obj);
	if (err)
		ckpt_ipc_err(ctx, CKPT_SHM_IDS, ipc->shm[i - 1].id,
			     ipc->shm[i - 1].obj.key, err,
			     "cannot set its owners and times (error %d)", err);
	return err;
}

/**
 * ckpt_restore_sem_undo - read a process's SEM_UNDO records
 * @ctx: the restart.
 * @nr: their number, from its TREE record.
 *
 * Gives each set's adjustments to current's undo list, which its threads
 * share (they were created with CLONE_SYSVSEM).
 *
 * Return: 0 or a negative errno.
 */
int ckpt_restore_sem_undo(struct ckpt_ctx *ctx, u32 nr)
{
	struct ckpt_sem_undo u;
	short *adj = NULL;
	u32 i, tail;
	int err = 0;

	if (!nr)
		return 0;
	adj = kvmalloc_array(CKPT_SEM_NSEMS_MAX, sizeof(*adj), GFP_KERNEL);
	if (!adj)
		return -ENOMEM;
	for (i = 0; !err && i < nr; i++) {
		err = ckpt_read_rec(ctx, CKPT_REC_SEM_UNDO, &u, sizeof(u), &tail);
		if (err)
			break;
		if (!ctx->ipc || !u.nsems || u.nsems > CKPT_SEM_NSEMS_MAX ||
		    tail != u.nsems * sizeof(*adj)) {
			err = ckpt_err(ctx, -EINVAL,
				       "malformed SEM_UNDO record for semaphore set id %d",
				       u.semid);
			break;
		}
		err = ckpt_read_tail(ctx, adj, tail);
		if (err)
			break;
		err = sem_ckpt_set_undo(ctx->ipc->ns, u.semid, adj, u.nsems);
		if (err)
			err = ckpt_err(ctx, -EINVAL,
				       "SEM_UNDO record for semaphore set id %d: no such set of %u semaphores in the image (error %d)",
				       u.semid, u.nsems, err);
	}
	kvfree(adj);
	return err;
}

/**
 * ckpt_sysvshm_kind - classify a SysV shm attachment
 * @vma: a mapping, under the mmap lock.
 * @why: set to what is not supported.
 *
 * Context: under the mmap lock: does not log.
 * Return: CKPT_VMA_SYSVSHM, 0 if @vma is no attachment, or -EOPNOTSUPP.
 */
int ckpt_sysvshm_kind(struct vm_area_struct *vma, const char **why)
{
	struct ipc_namespace *ns;

	if (shm_ckpt_vma(vma, &ns) < 0)
		return 0;
	*why = NULL;
	if (vma->vm_flags & (VM_HUGETLB | VM_LOCKED))
		*why = "an attached SysV shm segment that is mlock()ed or hugetlb";
	else if (vma->vm_pgoff || vma->vm_end - vma->vm_start !=
		 PAGE_ALIGN(i_size_read(file_inode(vma->vm_file))))
		*why = "a partial SysV shm attachment (split by munmap() or mprotect())";
	else if (!(vma->vm_flags & VM_READ) ||
		 !(vma->vm_flags & VM_WRITE) != !(vma->vm_flags & VM_MAYWRITE))
		*why = "a SysV shm attachment whose protection was changed";
	if (*why)
		return -EOPNOTSUPP;
	return CKPT_VMA_SYSVSHM;
}

/**
 * ckpt_sysvshm_id - the shmid of a SysV shm attachment
 * @ctx: the checkpoint.
 * @vma: a CKPT_VMA_SYSVSHM mapping, under the mmap lock.
 *
 * Return: the shmid, or -1 if the segment is not one of the container's
 * own IPC namespace (not saved: the attachment cannot be either).
 */
int ckpt_sysvshm_id(struct ckpt_ctx *ctx, struct vm_area_struct *vma)
{
	struct ipc_namespace *ns = NULL;
	int id = shm_ckpt_vma(vma, &ns);

	if (id < 0 || !ctx->ipc || ns != ctx->ipc->ns)
		return -1;
	return id;
}

/**
 * ckpt_ipc_attach - attach a SysV shm segment as a VMA record says
 * @ctx: the restart.
 * @v: the record, validated by ckpt_check_vma().
 *
 * Uses do_shmat() as shmat() does, with its checks: the caller must have
 * the access the mapping needs.
 *
 * Return: 0 or a negative errno.
 */
int ckpt_ipc_attach(struct ckpt_ctx *ctx, const struct ckpt_vma *v)
{
	int flags = (v->flags & CKPT_VMA_WRITE ? 0 : SHM_RDONLY) |
		    (v->flags & CKPT_VMA_EXEC ? SHM_EXEC : 0);
	struct vm_area_struct *vma;
	unsigned long addr;
	bool whole;
	long err;

	err = do_shmat(v->shmem, (char __user *)(unsigned long)v->start,
		       flags, &addr, SHMLBA);
	if (err)
		return ckpt_err(ctx, err,
				"mapping %#llx-%#llx: cannot attach SysV shm segment id %d (error %ld)",
				v->start, v->end, v->shmem, err);
	mmap_read_lock(current->mm);
	vma = find_vma(current->mm, addr);
	whole = addr == v->start && vma && vma->vm_start == v->start &&
		vma->vm_end == v->end;
	mmap_read_unlock(current->mm);
	if (!whole)
		return ckpt_err(ctx, -EINVAL,
				"mapping %#llx-%#llx: SysV shm segment id %d has another size",
				v->start, v->end, v->shmem);
	return 0;
}
