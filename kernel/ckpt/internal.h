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
struct pid_namespace;

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
 * @nvcsw: checkpoint: context switches of @init when checking it was frozen.
 * @xfeatures: checkpoint: XSAVE features used by the saved tasks.
 * @rst: restart: state handed from the reading task to the coordinator.
 * @child: restart: set while the new task, not the caller, reads.
 * @ns_root: restart: the root of the new mount namespace, which the paths
 *	of the image are looked up from.
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
	unsigned long nvcsw;
	u64 xfeatures;

	struct ckpt_restart_state *rst;
	bool child;
	struct path ns_root;
};

/**
 * struct ckpt_restart_state - a task being restarted
 * @ready: completed by the new task when it has restored what it restores
 *	itself (or failed) and waits for @go.
 * @go: completed by the coordinator to let the task run, or to make it
 *	exit when @abort is set.
 * @error: the new task's result.
 * @abort: set by the coordinator before completing @go on failure.
 * @ns_flags: CKPT_NS_* of the container.
 * @container: the CONTAINER record.
 * @task: the TASK record.
 * @cpu: the CPU record, applied by the coordinator through the regset.
 * @fpu: the XSAVE area, applied by the coordinator through the regset.
 * @fpu_size: size of @fpu.
 * @pending: pending signals, queued once the image is read.
 * @nr_pending: their number.
 * @users: the coordinator and the new task.
 * @ctx: the operation; the new task uses it only until it completes @ready.
 */
struct ckpt_restart_state {
	struct completion ready;
	struct completion go;
	int error;
	bool abort;
	u32 ns_flags;
	struct ckpt_container container;
	struct ckpt_task task;
	struct ckpt_cpu cpu;
	void *fpu;
	u32 fpu_size;
	struct ckpt_siginfo *pending;
	u32 nr_pending;
	refcount_t users;
	struct ckpt_ctx *ctx;
};

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
int ckpt_check_cpu(const struct ckpt_cpu *c);

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

/* mm.c */
int ckpt_check_mm(struct ckpt_ctx *ctx, struct task_struct *t);
int ckpt_write_mm(struct ckpt_ctx *ctx, struct task_struct *t);
int ckpt_restore_mm(struct ckpt_ctx *ctx);

/* files.c */
int ckpt_check_files(struct ckpt_ctx *ctx, struct task_struct *t);
int ckpt_write_files(struct ckpt_ctx *ctx, struct task_struct *t);
int ckpt_restore_files(struct ckpt_ctx *ctx, struct ckpt_rec *next);
bool ckpt_file_changed(struct inode *inode, u64 ino, u64 size, s64 mtime_ns);
s64 ckpt_inode_mtime(struct inode *inode);

/* signal.c */
int ckpt_check_signals(struct ckpt_ctx *ctx, struct task_struct *t);
int ckpt_write_signals(struct ckpt_ctx *ctx, struct task_struct *t);
int ckpt_restore_signals(struct ckpt_ctx *ctx, const struct ckpt_rec *hdr,
			 struct ckpt_restart_state *rst);
int ckpt_queue_signals(struct ckpt_ctx *ctx, struct ckpt_restart_state *rst);

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
