/* SPDX-License-Identifier: GPL-2.0 */
/*
 * ckpt: definitions shared by the files of kernel/ckpt/.
 */
#ifndef _KERNEL_CKPT_INTERNAL_H
#define _KERNEL_CKPT_INTERNAL_H

#include <linux/completion.h>
#include <linux/fs.h>
#include <linux/path.h>
#include <linux/refcount.h>
#include <linux/sched.h>
#include <linux/signal_types.h>
#include <linux/task_work.h>
#include <linux/types.h>
#include <linux/xxhash.h>
#include <uapi/linux/ckpt.h>

struct cgroup;
struct dentry;
struct files_struct;
struct ckpt_ipc;
struct ckpt_timers_state;
struct ipc_namespace;
struct pid_namespace;
struct ckpt_restart;
struct tty_struct;
struct ckpt_cmount;
struct ckpt_rinotify;
struct super_block;
struct vm_area_struct;

/**
 * struct ckpt_shmem_obj - a shared memory object (SHMEM record)
 * @file: a file of it, with a reference.
 * @inode: its inode (checkpoint: what identifies it).
 * @id: its id in the image.
 */
struct ckpt_shmem_obj {
	struct file *file;
	const void *inode;
	s32 id;
};

/* Objects saved once however many tasks or descriptors share them. */
enum ckpt_obj_type {
	CKPT_OBJT_FILES,	/* a file table (struct files_struct) */
	CKPT_OBJT_FILE,		/* an open file (struct file) */
	CKPT_OBJT_PIPE,		/* a pipe; restart: struct ckpt_rpipe */
	CKPT_OBJT_UNIX,		/* a unix socket; restart: ckpt_rsock */
	CKPT_OBJT_UNIX_ADDR,	/* the name of a listening unix socket */
	CKPT_OBJT_TTY,		/* a pty pair (its slave); restart: ckpt_rtty */
	CKPT_OBJT_UNLINKED,	/* a file with no name; restart: a file of it */
	CKPT_OBJT_NR
};

/**
 * struct ckpt_obj - checkpoint: an object found in the container
 * @node: in its &ckpt_objs.buckets chain.
 * @list: in &ckpt_objs.all.
 * @ptr: its address, what identifies it.
 * @file: a file the entry holds a reference on (an open file's own, or
 *	for a pipe one of its ends), or NULL.
 * @type: enum ckpt_obj_type.
 * @id: its id in the image once written, else 0.
 * @kind: FILE: enum ckpt_file_kind; PIPE: 1 for the pipe of a FIFO;
 *	UNIX: enum ckpt_unix_kind.
 * @ends: PIPE: open files found in the container for its read and write
 *	ends; UNIX: [0] open files of it found in the container, [1] for a
 *	listening socket the connections in its queue; TTY: open files of
 *	its master and of its slave (and /dev/tty) found.
 * @pipe: FILE of a pipe: the pipe's entry.
 * @sock: FILE of a unix socket: the socket's entry; UNIX: its peer's
 *	entry, or NULL; UNIX_ADDR: the listening socket's entry.
 * @lsn: UNIX: the server end of a connection made through a listening
 *	socket of the container: the listening socket's entry; else NULL.
 * @lnext: UNIX: the next accepted socket of the same listening socket;
 *	a listening socket: its first accepted socket.
 * @to: UNIX: a datagram socket connected one way: its peer's entry.
 * @grp: UNIX: the first socket of its group (struct ckpt_unix_group), or
 *	NULL.
 * @gnext: UNIX: the next socket of its group.
 * @gsize: UNIX: the first socket of a group: the number of sockets in it.
 * @tty: FILE of a pty or of /dev/tty: the pty's entry.
 * @unlinked: FILE of a file with no name: its UNLINKED entry.
 * @master: TTY: the pty's master, with a reference.
 * @dentry: TTY: its slave's dentry in devpts, with a reference.
 * @pid: PIPE, UNIX, TTY, FILE of an event file: a task that has it open,
 *	for messages.
 * @fd: PIPE, UNIX, TTY, FILE of an event file: its descriptor there (TTY:
 *	-1 for a controlling terminal).
 */
struct ckpt_obj {
	struct hlist_node node;
	struct list_head list;
	const void *ptr;
	struct file *file;
	u32 type;
	u32 id;
	u32 kind;
	u32 ends[2];
	struct ckpt_obj *pipe;
	struct ckpt_obj *sock;
	struct ckpt_obj *lsn;
	struct ckpt_obj *lnext;
	struct ckpt_obj *to;
	struct ckpt_obj *grp;
	struct ckpt_obj *gnext;
	u32 gsize;
	struct ckpt_obj *tty;
	struct ckpt_obj *unlinked;
	struct tty_struct *master;
	struct dentry *dentry;
	pid_t pid;
	unsigned int fd;
};

/**
 * struct ckpt_objs - checkpoint: the objects found, by address
 * @buckets: hash table, 1 << @bits chains.
 * @bits: log2 of its size.
 * @nr: number of entries.
 * @all: every entry, in the order they were found.
 * @last_id: per type, the last id given.
 */
struct ckpt_objs {
	struct hlist_head *buckets;
	unsigned int bits;
	u32 nr;
	struct list_head all;
	u32 last_id[CKPT_OBJT_NR];
};

/**
 * struct ckpt_robjs - restart: the objects of one type made so far
 * @ptr: the object of id i at index i - 1, each with a reference.
 * @nr: number of objects, the last id.
 * @cap: size of @ptr.
 */
struct ckpt_robjs {
	void **ptr;
	u32 nr;
	u32 cap;
};

/**
 * struct ckpt_ctask - a task being checkpointed
 * @task: the task, with a reference.
 * @tree: its TREE record.
 * @leader: a thread: index of its leader in &ckpt_ctx.tasks.
 * @fs: a leader: its fs_struct (compared, never dereferenced).
 * @files_seen: its file table is also an earlier task's.
 */
struct ckpt_ctask {
	struct task_struct *task;
	struct ckpt_tree tree;
	u32 leader;
	const void *fs;
	bool files_seen;
};

/**
 * struct ckpt_ctx - state of one checkpoint or restart operation
 * @img: the image file.
 * @log: the log file, or NULL.
 * @ppos: file position used for @img (NULL for stream files).
 * @fpos: storage for @ppos.
 * @len: bytes of image written or read so far, trailer excluded.
 * @csum: running xxh64 of those bytes.
 * @flags: the syscall's flags.
 * @cgrp: checkpoint: the frozen cgroup of the container, registered as busy.
 * @init: checkpoint: the container's init task.
 * @pidns: checkpoint: the container's pid namespace.
 * @ns_flags: checkpoint: CKPT_NS_* namespaces the container owns.
 * @tasks: checkpoint: the container's tasks, in TREE order.
 * @nr_tasks: checkpoint: their number.
 * @nr_live: checkpoint: how many of them are not zombies.
 * @xfeatures: checkpoint: XSAVE features used by the saved tasks.
 * @shm: shared memory objects, in id order (checkpoint: also inode order).
 * @nr_shm: their number.
 * @ipc: SysV IPC state (ipc.c), or NULL: checkpoint: the objects of the
 *	container's own IPC namespace; restart: the objects the container's
 *	init recreated, to be finished by the coordinator.
 * @clocks_at: checkpoint: CLOCK_MONOTONIC when the container's clocks were
 *	read for the CONTAINER record; times left to timers and sleeps are
 *	saved as from then (ckpt_since_clocks()), the time restart resumes
 *	the clocks from.
 * @unlinked_data: bytes of data of the files with no name saved
 *	(checkpoint: counted; restart: read), up to CKPT_UNLINKED_TOTAL_MAX.
 * @objs: checkpoint: shared objects found so far (objects.c).
 * @robjs: restart: shared objects made so far, per type.
 * @child: restart: set while a new task, not the caller, reads.
 * @ns_root: restart: the root of the new mount namespace, which the paths
 *	of the image are looked up from.
 * @mounts: checkpoint: the container's mounts (mount.c).
 * @nr_mounts: checkpoint: their number.
 * @rsbs: restart: the file systems the restart made (TMPFS mounts).
 * @nr_rsbs: restart: their number.
 * @rinotify: restart: the inotify instances whose watches are added last
 *	(inotify.c).
 */
struct ckpt_ctx {
	struct file *img;
	struct file *log;
	loff_t *ppos;
	loff_t fpos;
	u64 len;
	struct xxh64_state csum;
	unsigned int flags;

	struct cgroup *cgrp;
	struct task_struct *init;
	struct pid_namespace *pidns;
	u32 ns_flags;
	struct ckpt_ctask *tasks;
	u32 nr_tasks;
	u32 nr_live;
	u64 xfeatures;
	struct ckpt_shmem_obj *shm;
	u32 nr_shm;
	struct ckpt_ipc *ipc;
	ktime_t clocks_at;
	u64 unlinked_data;
	struct ckpt_objs objs;
	struct ckpt_robjs robjs[CKPT_OBJT_NR];

	bool child;
	struct path ns_root;
	struct ckpt_cmount *mounts;
	u32 nr_mounts;
	struct super_block **rsbs;
	u32 nr_rsbs;
	struct ckpt_rinotify *rinotify;
};

/**
 * struct ckpt_restart_state - a task being restarted
 * @r: the restart it belongs to.
 * @tree: its TREE record.
 * @first_child: index of the first task it creates, or -1.
 * @next_sibling: index of the next task its creator creates, or -1.
 * @tsk: the task once it exists, with a reference.
 * @turn: completed by the coordinator when the task is to read its
 *	section of the image (or to exit, if &ckpt_restart.abort is set).
 * @ready: completed by the task when it has read its section (or failed).
 * @error: the task's result.
 * @task: the TASK record.
 * @cred: the credentials it takes on when it is let go.
 * @cpu: the CPU record, applied by the coordinator through the regset.
 * @fpu: the XSAVE area, applied by the coordinator through the regset.
 * @fpu_size: size of @fpu.
 * @pending: pending signals, queued once its section is read.
 * @nr_pending: their number.
 * @timers: interval and POSIX timers, armed when the task is let go.
 */
struct ckpt_restart_state {
	struct ckpt_restart *r;
	struct ckpt_tree tree;
	int first_child;
	int next_sibling;
	struct task_struct *tsk;
	struct completion turn;
	struct completion ready;
	int error;
	struct ckpt_task task;
	struct cred *cred;
	struct ckpt_cpu cpu;
	void *fpu;
	u32 fpu_size;
	struct ckpt_siginfo *pending;
	u32 nr_pending;
	struct ckpt_timers_state *timers;
};

/**
 * struct ckpt_restart - a restart, shared by the coordinator and the tasks
 * @users: the coordinator and every task created.
 * @ctx: the operation; tasks use it only during their turn.
 * @container: the CONTAINER record.
 * @tasks: one per TREE record.
 * @nr_tasks: their number.
 * @nr_uncreated: tasks that have not yet created their own children.
 * @create_error: first error while creating tasks.
 * @go: completed (all) by the coordinator to let every task run, or exit
 *	when @abort is set.
 * @abort: the restart failed: every task exits.
 * @init_started: completed by the new init once @init_pid is set.
 * @init_pid: the new init's pid.
 * @pidns: the container's new pid namespace.
 */
struct ckpt_restart {
	refcount_t users;
	struct ckpt_ctx *ctx;
	struct ckpt_container container;
	struct ckpt_restart_state *tasks;
	u32 nr_tasks;
	atomic_t nr_uncreated;
	int create_error;
	struct completion go;
	bool abort;
	struct completion init_started;
	struct pid *init_pid;
	struct pid_namespace *pidns;
};

/*
 * Nanoseconds since the container's clocks were saved: added to the time a
 * timer or sleep has left, so that it expires at the same reading of the
 * container's clocks after restart, however long the checkpoint took to
 * reach its task.
 */
static inline s64 ckpt_since_clocks(const struct ckpt_ctx *ctx)
{
	return ktime_to_ns(ktime_sub(ktime_get(), ctx->clocks_at));
}

/*
 * The current task's signal handlers.  Only the task itself replaces them
 * (exec), so it reads the pointer without RCU.
 */
static inline struct sighand_struct *ckpt_sighand(void)
{
	return rcu_dereference_protected(current->sighand, 1);
}

/* core.c */
__printf(2, 3) void ckpt_log(struct ckpt_ctx *ctx, const char *fmt, ...);
#define ckpt_err(ctx, err, fmt, ...) \
	({ ckpt_log(ctx, fmt, ##__VA_ARGS__); (err); })
#define ckpt_task_err(ctx, t, err, fmt, ...)				\
	ckpt_err(ctx, err, "task %d (%s): " fmt,			\
		 task_pid_nr_ns(t, (ctx)->pidns), (t)->comm, ##__VA_ARGS__)

int ckpt_cgroup_hold(struct ckpt_ctx *ctx, struct cgroup *cgrp,
		     const char **why);
void ckpt_cgroup_release(struct ckpt_ctx *ctx);

/* image.c: writing */
int ckpt_write(struct ckpt_ctx *ctx, const void *buf, size_t len);
int ckpt_write_rec(struct ckpt_ctx *ctx, u32 type, const void *payload,
		   size_t len);
int ckpt_write_rec_tail(struct ckpt_ctx *ctx, u32 type, const void *payload,
			size_t len, const void *tail, size_t tail_len);
int ckpt_write_pages(struct ckpt_ctx *ctx, struct page **pages,
		     unsigned int nr);
int ckpt_write_trailer(struct ckpt_ctx *ctx);

/* image.c: reading */
int ckpt_read(struct ckpt_ctx *ctx, void *buf, size_t len);
int ckpt_read_rec(struct ckpt_ctx *ctx, u32 type, void *payload, size_t size,
		  u32 *tail_len);
int ckpt_read_rec_type(struct ckpt_ctx *ctx, struct ckpt_rec *rec);
int ckpt_read_rec_body(struct ckpt_ctx *ctx, const struct ckpt_rec *rec,
		       void *payload, size_t size, u32 *tail_len);
int ckpt_read_tail(struct ckpt_ctx *ctx, void *buf, u32 len);
int ckpt_read_string(struct ckpt_ctx *ctx, u32 len, char **out);
int ckpt_read_pages(struct ckpt_ctx *ctx, struct page **pages,
		    unsigned int nr);
int ckpt_read_trailer(struct ckpt_ctx *ctx);

/* image.c: validation, pure functions (KUnit-tested) */
int ckpt_check_rec(u32 type, u32 len, u32 expect, size_t size,
		   u32 *tail_len);
int ckpt_check_hdr(const struct ckpt_hdr *h);
int ckpt_check_path(const char *path, u32 len);
int ckpt_check_vma(const struct ckpt_vma *v);
int ckpt_check_pages(const struct ckpt_pages *p, const struct ckpt_vma *v,
		     u64 *left);
int ckpt_check_file(const struct ckpt_file *f);
int ckpt_check_pipe_rec(const struct ckpt_pipe *p, u32 page_size);
int ckpt_check_pipe_buf(const struct ckpt_pipe_buf *b, u32 tail_len);
int ckpt_check_unlinked_rec(const struct ckpt_unlinked *u, u32 tail_len,
			    u32 page_size);
int ckpt_check_lock(const struct ckpt_lock *l);
int ckpt_check_eventfd(const struct ckpt_eventfd *e);
int ckpt_check_signalfd(const struct ckpt_signalfd *s);
int ckpt_check_timerfd(const struct ckpt_timerfd *t);
int ckpt_check_epoll_item(const struct ckpt_epoll_item *e, u32 epoll);
bool ckpt_chrdev_allowed(u32 rdev);
int ckpt_check_inotify(const struct ckpt_inotify *in);
int ckpt_check_inotify_watch(const struct ckpt_inotify_watch *w, s32 prev_wd);
int ckpt_check_inotify_event(const struct ckpt_inotify_event *e);
int ckpt_check_inotify_name(const char *name, u32 len);
int ckpt_check_unix_rec(const struct ckpt_unix *u);
int ckpt_check_unix_skb(const struct ckpt_unix_skb *b, u32 tail_len, u32 type);
int ckpt_check_tty_rec(const struct ckpt_tty *t);
int ckpt_check_tty_buf(const struct ckpt_tty_buf *b, u32 tail_len, u32 end,
		       const struct ckpt_tty *t);
int ckpt_check_ctty_rec(const struct ckpt_ctty *c);
int ckpt_check_cpu(const struct ckpt_cpu *c);
int ckpt_check_posix_timer(const struct ckpt_posix_timer *t);
int ckpt_check_mount_path(const char *path, u32 len);
int ckpt_check_file_name(const char *name, u32 len);
int ckpt_check_mount(const struct ckpt_mount *m, u32 tail_len);
int ckpt_check_mount_strings(const struct ckpt_mount *m, const char *path,
			     const char *source, const char *fstype);
int ckpt_check_tmpfs_entry(const struct ckpt_tmpfs_entry *e, u32 index,
			   u32 tail_len);

/* mount.c */
int ckpt_check_mounts(struct ckpt_ctx *ctx, struct ckpt_container *c);
int ckpt_write_mounts(struct ckpt_ctx *ctx);
void ckpt_release_mounts(struct ckpt_ctx *ctx);
int ckpt_restore_mounts(struct ckpt_ctx *ctx, const struct ckpt_container *c);
bool ckpt_sb_restored(const struct ckpt_ctx *ctx, const struct super_block *sb);
struct ckpt_mnt_info;
void ckpt_put_mnt_info(struct ckpt_mnt_info *info, int nr);

/* tree.c */
bool ckpt_pidns_below(struct pid_namespace *ns, struct pid_namespace *ancestor);
int ckpt_check_tree(struct ckpt_ctx *ctx);
int ckpt_check_tree_frozen(struct ckpt_ctx *ctx);
void ckpt_release_tree(struct ckpt_ctx *ctx);
int ckpt_write_tree(struct ckpt_ctx *ctx);
int ckpt_read_tree(struct ckpt_ctx *ctx, struct ckpt_restart_state *tasks,
		   u32 nr);
int ckpt_restore_groups(struct ckpt_ctx *ctx, struct ckpt_restart *r);

/* checkpoint.c */
int ckpt_do_checkpoint(struct ckpt_ctx *ctx, struct task_struct *init);

/* restart.c */
int ckpt_do_restart(struct ckpt_ctx *ctx, int cgroup_fd);

/* task.c */
int ckpt_check_task(struct ckpt_ctx *ctx, struct task_struct *t);
int ckpt_write_task(struct ckpt_ctx *ctx, struct task_struct *t);
int ckpt_write_creds(struct ckpt_ctx *ctx, struct task_struct *t);
int ckpt_write_rlimits(struct ckpt_ctx *ctx, struct task_struct *t);
int ckpt_write_fs(struct ckpt_ctx *ctx, struct task_struct *t);
int ckpt_check_fs(struct ckpt_ctx *ctx, struct task_struct *t);
int ckpt_restore_task(struct ckpt_ctx *ctx, const struct ckpt_task *rec);
int ckpt_read_creds(struct ckpt_ctx *ctx, struct cred **out);
int ckpt_restore_rlimits(struct ckpt_ctx *ctx);
int ckpt_restore_fs(struct ckpt_ctx *ctx);
char *ckpt_path(const struct path *path, char *buf, int buflen);

/* shmem.c */
int ckpt_fill_file(struct ckpt_ctx *ctx, struct file *file, u64 nr_pages,
		   u64 size, void *buf, const char *what, u32 id);
bool ckpt_shmem_object(struct file *file);
int ckpt_collect_shmem(struct ckpt_ctx *ctx, struct file **open,
		       size_t nr_open);
int ckpt_shmem_id(struct ckpt_ctx *ctx, struct file *file);
int ckpt_write_shmem(struct ckpt_ctx *ctx);
int ckpt_read_shmem(struct ckpt_ctx *ctx, u32 nr);
struct file *ckpt_shmem_file(struct ckpt_ctx *ctx, s32 id);
void ckpt_release_shmem(struct ckpt_ctx *ctx);

/* ipc.c */
int ckpt_check_ipc(struct ckpt_ctx *ctx, struct task_struct *t,
		   struct ipc_namespace *ns, u32 *nr);
int ckpt_check_sem_undo(struct ckpt_ctx *ctx, struct ckpt_ctask *ct);
int ckpt_write_ipc(struct ckpt_ctx *ctx);
int ckpt_write_sem_undo(struct ckpt_ctx *ctx, struct ckpt_ctask *ct);
int ckpt_sysvshm_kind(struct vm_area_struct *vma, const char **why);
int ckpt_sysvshm_id(struct ckpt_ctx *ctx, struct vm_area_struct *vma);
int ckpt_restore_ipc(struct ckpt_ctx *ctx, u32 nr);
int ckpt_restore_ipc_finish(struct ckpt_ctx *ctx);
int ckpt_restore_sem_undo(struct ckpt_ctx *ctx, u32 nr);
int ckpt_ipc_attach(struct ckpt_ctx *ctx, const struct ckpt_vma *v);
void ckpt_ipc_free(struct ckpt_ctx *ctx);

/* The SEM_UNDO list of @t: compared, never dereferenced. */
static inline const void *ckpt_sem_undo_list(struct task_struct *t)
{
	return READ_ONCE(t->sysvsem.undo_list);
}

/* mm.c */
int ckpt_vma_kind(struct vm_area_struct *vma, const char **why);
int ckpt_check_mm(struct ckpt_ctx *ctx, struct task_struct *t);
int ckpt_write_mm(struct ckpt_ctx *ctx, struct task_struct *t);
int ckpt_restore_mm(struct ckpt_ctx *ctx);

/* objects.c */
struct ckpt_obj *ckpt_obj_find(struct ckpt_ctx *ctx, u32 type, const void *ptr);
struct ckpt_obj *ckpt_obj_add(struct ckpt_ctx *ctx, u32 type, const void *ptr,
			      struct file *file);
u32 ckpt_obj_number(struct ckpt_ctx *ctx, struct ckpt_obj *obj);
void ckpt_obj_release(struct ckpt_ctx *ctx);
int ckpt_robj_add(struct ckpt_ctx *ctx, u32 type, u32 id, void *ptr);
void *ckpt_robj_get(struct ckpt_ctx *ctx, u32 type, u32 id);
void ckpt_robj_release(struct ckpt_ctx *ctx);

/* files.c */
struct file *ckpt_reopen(struct ckpt_ctx *ctx, const struct ckpt_file *rec,
			 struct file *made, const char *what);
int ckpt_check_files(struct ckpt_ctx *ctx, struct task_struct *t);
int ckpt_check_file_objects(struct ckpt_ctx *ctx);
int ckpt_write_files(struct ckpt_ctx *ctx, struct task_struct *t);
int ckpt_restore_files(struct ckpt_ctx *ctx, struct ckpt_rec *next);

/* locks.c */
int ckpt_write_file_locks(struct ckpt_ctx *ctx, struct file *file, u32 id);
int ckpt_write_table_locks(struct ckpt_ctx *ctx, struct files_struct *files,
			   struct file **open, const u32 *ids, u32 nr);
int ckpt_restore_lock(struct ckpt_ctx *ctx, const struct ckpt_rec *hdr,
		      u32 file_id);
bool ckpt_file_changed(const struct ckpt_ctx *ctx, struct inode *inode,
		       u64 ino, u64 size, s64 mtime_ns);
int ckpt_write_file(struct ckpt_ctx *ctx, struct task_struct *t,
		    unsigned int fd, struct ckpt_obj *fobj, char *buf);
s64 ckpt_inode_mtime(struct inode *inode);

/* pipe.c */
int ckpt_check_pipe(struct ckpt_ctx *ctx, struct task_struct *t,
		    unsigned int fd, struct ckpt_obj *fobj);
int ckpt_check_pipes(struct ckpt_ctx *ctx);
int ckpt_write_pipe(struct ckpt_ctx *ctx, struct ckpt_obj *pobj);
int ckpt_restore_pipe(struct ckpt_ctx *ctx, const struct ckpt_rec *hdr);
struct file *ckpt_pipe_end(struct ckpt_ctx *ctx, const struct ckpt_file *rec);
struct file *ckpt_open_fifo(struct ckpt_ctx *ctx, const struct ckpt_file *rec,
			    const char *path);
void ckpt_pipe_release(void *rpipe);

/* unlinked.c */
int ckpt_check_unlinked(struct ckpt_ctx *ctx, struct task_struct *t,
			unsigned int fd, struct ckpt_obj *fobj, char *buf);
int ckpt_write_unlinked(struct ckpt_ctx *ctx, struct ckpt_obj *uobj,
			char *buf);
int ckpt_restore_unlinked(struct ckpt_ctx *ctx, const struct ckpt_rec *hdr);
struct file *ckpt_unlinked_file(struct ckpt_ctx *ctx,
				const struct ckpt_file *rec);

/* eventfiles.c */
static inline bool ckpt_event_kind(u32 kind)
{
	return (kind >= CKPT_FILE_EVENTFD && kind <= CKPT_FILE_EPOLL) ||
	       kind == CKPT_FILE_INOTIFY;
}

u32 ckpt_event_file_kind(struct file *file, const char **why);
void ckpt_check_event_file(struct ckpt_ctx *ctx, struct task_struct *t,
			   unsigned int fd, struct ckpt_obj *fobj);
int ckpt_check_epolls(struct ckpt_ctx *ctx);
int ckpt_write_epoll_targets(struct ckpt_ctx *ctx, struct task_struct *t,
			     struct ckpt_obj *fobj, char *buf);
int ckpt_write_event_file(struct ckpt_ctx *ctx, struct ckpt_obj *fobj);
struct file *ckpt_restore_event_file(struct ckpt_ctx *ctx,
				     const struct ckpt_file *rec);

/* inotify.c */
bool ckpt_inotify_file(struct file *file);
int ckpt_check_inotify_file(struct ckpt_ctx *ctx, struct task_struct *t,
			    unsigned int fd, struct ckpt_obj *fobj);
int ckpt_write_inotify(struct ckpt_ctx *ctx, struct task_struct *t,
		       struct ckpt_obj *fobj, char *buf);
struct file *ckpt_restore_inotify(struct ckpt_ctx *ctx,
				  const struct ckpt_file *rec);
int ckpt_restore_inotify_finish(struct ckpt_ctx *ctx);
void ckpt_release_inotify(struct ckpt_ctx *ctx);

/* unix.c */
/* What a unix socket of the container is, for its entry's @kind. */
enum ckpt_unix_kind {
	CKPT_UNIX_K_PLAIN,	/* unbound, autobound, or bound by itself */
	CKPT_UNIX_K_LISTEN,	/* listening */
	CKPT_UNIX_K_ACCEPTED,	/* returned by accept() */
	CKPT_UNIX_K_PENDING,	/* in the queue of a listening socket */
	CKPT_UNIX_K_GONE,	/* closed, held through its queued messages */
};

bool ckpt_socket_file(struct file *file);
int ckpt_check_unix(struct ckpt_ctx *ctx, struct task_struct *t,
		    unsigned int fd, struct ckpt_obj *fobj);
int ckpt_check_unix_peers(struct ckpt_ctx *ctx);
int ckpt_write_unix(struct ckpt_ctx *ctx, struct ckpt_obj *sobj);
void ckpt_unix_obj_release(struct ckpt_obj *obj);
int ckpt_restore_unix(struct ckpt_ctx *ctx, const struct ckpt_rec *hdr);
int ckpt_restore_unix_group(struct ckpt_ctx *ctx, const struct ckpt_rec *hdr);
struct file *ckpt_unix_file(struct ckpt_ctx *ctx, const struct ckpt_file *rec);
void ckpt_unix_release(void *rsock);

/* tty.c */
/* FILE.rdev of a pty's master (ptmx), of /dev/tty, and the slaves' majors. */
#define CKPT_TTY_RDEV_PTMX	((5 << 20) | 2)
#define CKPT_TTY_RDEV_TTY	((5 << 20) | 0)

static inline bool ckpt_tty_rdev_ok(u32 rdev)
{
	u32 major = rdev >> 20;

	/* UNIX98_PTY_SLAVE_MAJOR: 136 and the next 7 majors. */
	return rdev == CKPT_TTY_RDEV_PTMX || rdev == CKPT_TTY_RDEV_TTY ||
	       (major >= 136 && major < 144);
}

u32 ckpt_tty_file_kind(struct file *file, const char **why);
int ckpt_check_tty(struct ckpt_ctx *ctx, struct task_struct *t,
		   unsigned int fd, struct ckpt_obj *fobj);
int ckpt_check_ctty(struct ckpt_ctx *ctx, struct ckpt_ctask *ct);
int ckpt_check_ttys(struct ckpt_ctx *ctx);
int ckpt_write_tty(struct ckpt_ctx *ctx, struct ckpt_obj *pobj);
int ckpt_write_ctty(struct ckpt_ctx *ctx, struct ckpt_ctask *ct);
void ckpt_tty_obj_release(struct ckpt_obj *obj);
int ckpt_restore_tty(struct ckpt_ctx *ctx, const struct ckpt_rec *hdr);
int ckpt_restore_ctty(struct ckpt_ctx *ctx, struct ckpt_rec *next,
		      struct ckpt_restart_state *rs);
int ckpt_check_cttys(struct ckpt_ctx *ctx, struct ckpt_restart *r);
struct file *ckpt_tty_file(struct ckpt_ctx *ctx, const struct ckpt_file *rec,
			   const char *path);
void ckpt_tty_release(void *rtty);

/* signal.c */
int ckpt_check_signals(struct ckpt_ctx *ctx, struct task_struct *t);
int ckpt_write_signals(struct ckpt_ctx *ctx, struct task_struct *t,
		       bool leader);
int ckpt_restore_signals(struct ckpt_ctx *ctx, const struct ckpt_rec *hdr,
			 struct ckpt_restart_state *rst);
int ckpt_queue_signals(struct ckpt_ctx *ctx, struct ckpt_restart_state *rst);

/* timers.c */
int ckpt_check_timers(struct ckpt_ctx *ctx, struct task_struct *t);
int ckpt_write_timers(struct ckpt_ctx *ctx, struct task_struct *t);
int ckpt_restore_timers(struct ckpt_ctx *ctx, struct ckpt_restart_state *rst);
void ckpt_start_timers(struct ckpt_restart_state *rst);
void ckpt_free_timers(struct ckpt_restart_state *rst);

/* cpu.c */
int ckpt_check_cpu_state(struct ckpt_ctx *ctx, struct task_struct *t);
int ckpt_write_cpu(struct ckpt_ctx *ctx, struct task_struct *t);
int ckpt_read_cpu(struct ckpt_ctx *ctx, struct ckpt_restart_state *rst);
int ckpt_apply_cpu(struct ckpt_ctx *ctx, struct task_struct *child,
		   struct ckpt_restart_state *rst);
int ckpt_restore_syscall(struct ckpt_restart_state *rst);
void ckpt_fill_cpu_hdr(struct ckpt_hdr *h);
int ckpt_check_cpu_hdr(struct ckpt_ctx *ctx, const struct ckpt_hdr *h);

#endif /* _KERNEL_CKPT_INTERNAL_H */
