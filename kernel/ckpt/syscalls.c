// SPDX-License-Identifier: GPL-2.0-only
/*
 * ckpt: the checkpoint(2) and restart(2) system calls.
 *
 * They only validate their arguments (flags, then the size-versioned
 * struct, then the file descriptors) and call into the core.
 */

#include <linux/build_bug.h>
#include <linux/file.h>
#include <linux/inotify.h>
#include <linux/pid.h>
#include <linux/sched/task.h>
#include <linux/slab.h>
#include <linux/syscalls.h>
#include <linux/uaccess.h>

#include "internal.h"

static void __init build_check_abi(void)
{
	/* The layout of the arguments and of the image is a contract. */
	BUILD_BUG_ON(sizeof(struct ckpt_checkpoint_args) !=
		     CKPT_CHECKPOINT_ARGS_SIZE_VER0);
	BUILD_BUG_ON(sizeof(struct ckpt_restart_args) !=
		     CKPT_RESTART_ARGS_SIZE_VER0);
	BUILD_BUG_ON(sizeof(struct ckpt_rec) != 8);
	BUILD_BUG_ON(sizeof(struct ckpt_hdr) != 128);
	BUILD_BUG_ON(sizeof(struct ckpt_container) != 168);
	BUILD_BUG_ON(sizeof(struct ckpt_tree) != 40);
	BUILD_BUG_ON(sizeof(struct ckpt_shmem) != 32);
	BUILD_BUG_ON(sizeof(struct ckpt_itimers) != 56);
	BUILD_BUG_ON(sizeof(struct ckpt_posix_timer) != 56);
	BUILD_BUG_ON(sizeof(struct ckpt_task) != 80);
	BUILD_BUG_ON(sizeof(struct ckpt_creds) != 80);
	BUILD_BUG_ON(sizeof(struct ckpt_rlimits) != 256);
	BUILD_BUG_ON(sizeof(struct ckpt_fs) != 16);
	BUILD_BUG_ON(sizeof(struct ckpt_mm) != 632);
	BUILD_BUG_ON(sizeof(struct ckpt_vma) != 72);
	BUILD_BUG_ON(sizeof(struct ckpt_pages) != 16);
	BUILD_BUG_ON(sizeof(struct ckpt_file) != 56);
	BUILD_BUG_ON(sizeof(struct ckpt_files) != 8);
	BUILD_BUG_ON(sizeof(struct ckpt_fd) != 16);
	BUILD_BUG_ON(sizeof(struct ckpt_pipe) != 16);
	BUILD_BUG_ON(sizeof(struct ckpt_unlinked) != 56);
	BUILD_BUG_ON(sizeof(struct ckpt_pipe_buf) != 8);
	BUILD_BUG_ON(sizeof(struct ckpt_lock) != 24);
	BUILD_BUG_ON(sizeof(struct ckpt_eventfd) != 16);
	BUILD_BUG_ON(sizeof(struct ckpt_signalfd) != 8);
	BUILD_BUG_ON(sizeof(struct ckpt_timerfd) != 32);
	BUILD_BUG_ON(sizeof(struct ckpt_epoll) != 8);
	BUILD_BUG_ON(sizeof(struct ckpt_epoll_item) != 24);
	BUILD_BUG_ON(sizeof(struct ckpt_inotify) != 16);
	BUILD_BUG_ON(sizeof(struct ckpt_inotify_watch) != 16);
	BUILD_BUG_ON(sizeof(struct ckpt_inotify_event) != 16);
	BUILD_BUG_ON(CKPT_INOTIFY_WATCH_MASK !=
		     (IN_ALL_EVENTS | IN_ONESHOT | IN_EXCL_UNLINK));
	BUILD_BUG_ON(CKPT_INOTIFY_EVENT_MASK !=
		     (IN_ALL_EVENTS | IN_ISDIR | IN_UNMOUNT | IN_IGNORED |
		      IN_Q_OVERFLOW));
	BUILD_BUG_ON(sizeof(struct ckpt_unix) != 88);
	BUILD_BUG_ON(sizeof(struct ckpt_unix_skb) != 24);
	BUILD_BUG_ON(sizeof(struct ckpt_unix_group) != 8);
	BUILD_BUG_ON(sizeof(struct ckpt_sigaction) != 32);
	BUILD_BUG_ON(sizeof(struct ckpt_sighand) != 64 * 32);
	BUILD_BUG_ON(sizeof(struct ckpt_signals) != 32);
	BUILD_BUG_ON(sizeof(struct ckpt_siginfo) != 136);
	BUILD_BUG_ON(sizeof(struct ckpt_cpu) != 248);
	BUILD_BUG_ON(sizeof(struct ckpt_fpu) != 16);
	BUILD_BUG_ON(sizeof(struct ckpt_trailer) != 16);
	BUILD_BUG_ON(sizeof(struct ckpt_ipc_perm) != 32);
	BUILD_BUG_ON(sizeof(struct ckpt_shm) != 88);
	BUILD_BUG_ON(sizeof(struct ckpt_msq) != 80);
	BUILD_BUG_ON(sizeof(struct ckpt_msg) != 16);
	BUILD_BUG_ON(sizeof(struct ckpt_sem_val) != 16);
	BUILD_BUG_ON(sizeof(struct ckpt_sem) != 48);
	BUILD_BUG_ON(sizeof(struct ckpt_sem_undo) != 8);
	BUILD_BUG_ON(sizeof(struct ckpt_termios) != 48);
	BUILD_BUG_ON(sizeof(struct ckpt_tty) != 88);
	BUILD_BUG_ON(sizeof(struct ckpt_tty_buf) != 16);
	BUILD_BUG_ON(sizeof(struct ckpt_ctty) != 16);
	BUILD_BUG_ON(sizeof(struct ckpt_mount) != 64);
	BUILD_BUG_ON(sizeof(struct ckpt_tmpfs_entry) != 56);
	BUILD_BUG_ON(offsetof(struct ckpt_container, nr_mounts) != 148);
	BUILD_BUG_ON(PAGE_SIZE != 4096);
}

static int __init ckpt_init(void)
{
	build_check_abi();
	return 0;
}
late_initcall(ckpt_init);

/* Gets @fd as a file open with @mode; -1 gives NULL when @optional. */
static struct file *ckpt_get_file(int fd, fmode_t mode, bool optional)
{
	struct file *file;

	if (fd == -1 && optional)
		return NULL;
	file = fget(fd);
	if (!file)
		return ERR_PTR(-EBADF);
	if ((file->f_mode & mode) != mode) {
		fput(file);
		return ERR_PTR(-EBADF);
	}
	return file;
}

static void ckpt_put_files(struct ckpt_ctx *ctx)
{
	if (ctx->img) {
		if (ctx->ppos)
			ctx->img->f_pos = ctx->fpos;
		fput(ctx->img);
	}
	if (ctx->log)
		fput(ctx->log);
}

static int ckpt_get_files(struct ckpt_ctx *ctx, int fd, fmode_t mode,
			  int logfd)
{
	struct file *file;

	file = ckpt_get_file(logfd, FMODE_WRITE, true);
	if (IS_ERR(file))
		return PTR_ERR(file);
	ctx->log = file;

	file = ckpt_get_file(fd, mode, false);
	if (IS_ERR(file))
		return PTR_ERR(file);
	ctx->img = file;
	/* The image may be a pipe or a socket: use a position only if any. */
	if (!(file->f_mode & FMODE_STREAM)) {
		ctx->fpos = file->f_pos;
		ctx->ppos = &ctx->fpos;
	}
	return 0;
}

/**
 * sys_checkpoint - save a frozen container to an image
 * @uargs: arguments, see struct ckpt_checkpoint_args.
 * @size: size of *@uargs as the caller knows it.
 * @flags: CKPT_CHECKPOINT_KILL to kill the container after it is saved,
 *	or CKPT_ABI_VERSION alone (with @uargs NULL and @size 0) to ask for
 *	the ABI revision.
 *
 * The container is the pid namespace whose init is the task of
 * @uargs->pidfd; every task in it must be frozen through the cgroup v2
 * freezer.  On success the image has been written to @uargs->fd in full,
 * and the container is left frozen, or killed with CKPT_CHECKPOINT_KILL.
 * On failure nothing more is written to @uargs->fd and a reason is written
 * to @uargs->logfd.
 *
 * Possible returned errors are:
 *
 * - %EINVAL: unknown @flags, @size too small, a reserved field not zero,
 *   or the target is not the init of a pid namespace below the caller's;
 * - %E2BIG: @size larger than known with non-zero bytes past the end;
 * - %EFAULT: @uargs is not readable;
 * - %EBADF: a file descriptor is not open, or not open for writing;
 * - %ESRCH: the target has exited;
 * - %EPERM: the caller may not ptrace a task of the container;
 * - %EBUSY: a task is not frozen, is ptraced, or is exiting; the cgroup is
 *   already being checkpointed;
 * - %EAGAIN: a task ran while it was being saved (thawed, or woken);
 * - %EOPNOTSUPP: the container holds state this version cannot save (the
 *   log names the task, the object and the reason);
 * - %ENOMEM, or an error from writing the image (%EPIPE, %ENOSPC, ...).
 *
 * Return: 0 on success, CKPT_ABI for the version query, or a negative
 * errno.
 */
SYSCALL_DEFINE3(checkpoint, const struct ckpt_checkpoint_args __user *, uargs,
		size_t, size, unsigned int, flags)
{
	struct ckpt_checkpoint_args args;
	struct task_struct *init;
	struct ckpt_ctx *ctx;
	unsigned int pidfd_flags;
	int err;

	if (flags & ~CKPT_CHECKPOINT_FLAGS)
		return -EINVAL;
	if (flags & CKPT_ABI_VERSION) {
		if (uargs || size || flags != CKPT_ABI_VERSION)
			return -EINVAL;
		return CKPT_ABI;
	}

	if (size < CKPT_CHECKPOINT_ARGS_SIZE_VER0)
		return -EINVAL;
	if (size > PAGE_SIZE)
		return -E2BIG;
	err = copy_struct_from_user(&args, sizeof(args), uargs, size);
	if (err)
		return err;
	if (args.reserved)
		return -EINVAL;

	ctx = kzalloc(sizeof(*ctx), GFP_KERNEL);
	if (!ctx)
		return -ENOMEM;
	ctx->flags = flags;

	err = ckpt_get_files(ctx, args.fd, FMODE_WRITE, args.logfd);
	if (err)
		goto out;

	init = pidfd_get_task(args.pidfd, &pidfd_flags);
	if (IS_ERR(init)) {
		err = PTR_ERR(init);
		if (err == -EBADF || err == -EINVAL)
			ckpt_log(ctx, "pidfd %d is not a pidfd", args.pidfd);
		goto out;
	}
	err = ckpt_do_checkpoint(ctx, init);
	put_task_struct(init);
out:
	ckpt_put_files(ctx);
	kfree(ctx);
	return err;
}

/**
 * sys_restart - recreate a container from an image
 * @uargs: arguments, see struct ckpt_restart_args.
 * @size: size of *@uargs as the caller knows it.
 * @flags: CKPT_RESTART_FILES_CHANGED, or
 *	CKPT_ABI_VERSION alone (with @uargs NULL and @size 0) to ask for the
 *	ABI revision.
 *
 * Reads the image from @uargs->fd and recreates its container as a child
 * of the caller: its init in a new pid namespace with the pid it had, and
 * the namespaces it had of its own.  Every piece of state is recreated with
 * the caller's credentials and under the checks a process building it
 * would face; the image grants nothing.  The call returns once the whole
 * image has been read and its checksum verified; on any failure, nothing
 * of the container is left running.
 *
 * Possible returned errors are:
 *
 * - %EINVAL: unknown @flags, @size too small, a reserved field not zero,
 *   or a malformed image (a record or field out of range; the log says
 *   which);
 * - %E2BIG: @size larger than known with non-zero bytes past the end;
 * - %EFAULT: @uargs is not readable;
 * - %EBADF: a file descriptor is not open, or not open for reading, or
 *   @uargs->cgroup_fd is below -1;
 * - %EBADMSG: the image is truncated or its checksum does not match;
 * - %ENOEXEC: not an image, or of a format version, architecture or page
 *   size this kernel does not restart;
 * - %EOPNOTSUPP: the image needs CPU features, a vdso or state this
 *   machine or version cannot provide;
 * - %EPERM: the caller lacks CAP_CHECKPOINT_RESTORE (or CAP_SYS_ADMIN) in
 *   its user namespace, or may not create the namespaces, credentials,
 *   limits or objects the image holds;
 * - %ESTALE: a file changed since the checkpoint (see
 *   CKPT_RESTART_FILES_CHANGED);
 * - %ENOENT, %EACCES...: a file of the image cannot be opened;
 * - %ENOMEM, %EINTR (the caller was killed), or an error from reading.
 *
 * Return: the pid of the container's init in the caller's pid namespace,
 * CKPT_ABI for the version query, or a negative errno.
 */
SYSCALL_DEFINE3(restart, const struct ckpt_restart_args __user *, uargs,
		size_t, size, unsigned int, flags)
{
	struct ckpt_restart_args args;
	struct ckpt_ctx *ctx;
	int err;

	if (flags & ~CKPT_RESTART_FLAGS)
		return -EINVAL;
	if (flags & CKPT_ABI_VERSION) {
		if (uargs || size || flags != CKPT_ABI_VERSION)
			return -EINVAL;
		return CKPT_ABI;
	}

	if (size < CKPT_RESTART_ARGS_SIZE_VER0)
		return -EINVAL;
	if (size > PAGE_SIZE)
		return -E2BIG;
	err = copy_struct_from_user(&args, sizeof(args), uargs, size);
	if (err)
		return err;
	if (args.reserved)
		return -EINVAL;
	if (args.cgroup_fd < -1)
		return -EBADF;

	ctx = kzalloc(sizeof(*ctx), GFP_KERNEL);
	if (!ctx)
		return -ENOMEM;
	ctx->flags = flags;

	err = ckpt_get_files(ctx, args.fd, FMODE_READ, args.logfd);
	if (!err)
		err = ckpt_do_restart(ctx, args.cgroup_fd);
	ckpt_put_files(ctx);
	kfree(ctx);
	return err;
}
