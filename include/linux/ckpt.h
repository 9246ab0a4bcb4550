/* SPDX-License-Identifier: GPL-2.0 */
/*
 * ckpt: the hooks the rest of the kernel calls, and the helpers of other
 * subsystems that ckpt calls.
 */
#ifndef _LINUX_CKPT_H
#define _LINUX_CKPT_H

#include <linux/align.h>
#include <linux/bitops.h>
#include <linux/time64.h>
#include <linux/types.h>
#include <linux/uidgid.h>

struct cgroup;
struct task_struct;

#ifdef CONFIG_CKPT
bool ckpt_cgroup_thaw_blocked(struct cgroup *cgrp);
#else
static inline bool ckpt_cgroup_thaw_blocked(struct cgroup *cgrp)
{
	return false;
}
#endif

struct tty_struct;

/*
 * TIOCSPGRP once the group's number is read (drivers/tty/tty_jobctrl.c,
 * patch 0011): also how restart gives a terminal its foreground group.
 */
int tty_set_pgrp_nr(struct tty_struct *real_tty, pid_t pgrp_nr);

#ifdef CONFIG_CKPT
#define N_TTY_CKPT_BUF_SIZE	4096	/* N_TTY_BUF_SIZE */

/**
 * struct n_tty_ckpt - the input an N_TTY line discipline holds
 * @buf: the bytes not yet read, in reading order.
 * @eol: bit i is set if @buf[i] ends a line (canonical mode).
 * @len: the number of bytes, below N_TTY_CKPT_BUF_SIZE.
 * @canon: the line discipline reads in canonical mode (ICANON).
 */
struct n_tty_ckpt {
	u8 buf[N_TTY_CKPT_BUF_SIZE];
	DECLARE_BITMAP(eol, N_TTY_CKPT_BUF_SIZE);
	unsigned int len;
	bool canon;
};

/* drivers/tty/n_tty.c (patch 0011) */
int n_tty_ckpt_input(struct tty_struct *tty, struct n_tty_ckpt *in);
/* kernel/ckpt/tty.c: the pty index a restart asks devpts for, or -1. */
int ckpt_pty_index(void);
#else
static inline int ckpt_pty_index(void)
{
	return -1;
}
#endif

#if defined(CONFIG_CKPT) && defined(CONFIG_SYSVIPC)
struct file;
struct ipc_namespace;
struct pid_namespace;
struct task_struct;
struct vm_area_struct;

/**
 * struct ckpt_ipc_obj - a SysV IPC object as checkpoint/restart sees it
 * @key: its key.
 * @uid: owner.
 * @gid: owner's group.
 * @cuid: creator.
 * @cgid: creator's group.
 * @mode: permission bits, and SHM_DEST and SHM_LOCKED for a segment.
 * @time: shm: attach, detach and change times; msg: send, receive and
 *	change times; sem: -, -, change time.  In seconds.
 * @pid: shm: creator and last shmat()/shmdt(); msg: last msgsnd() and
 *	msgrcv(); numbers in the pid namespace given to the helper (0: none).
 * @size: shm: size in bytes; msg: maximum bytes in the queue; sem: number
 *	of semaphores.
 * @count: shm: number of attachments; msg: number of messages.
 * @bytes: msg: bytes of text in the queue.
 * @max_msg: msg: the size of the largest message.
 * @file: shm get helper: the segment's shmem file, with a reference.
 *
 * The helpers below are implemented in ipc/ (see patches/), where the
 * objects' layouts are private: they copy to or from this struct under the
 * object's own lock.  They return 0, -EINVAL or -EIDRM if @id names no
 * object, or -ENOSPC if the caller's buffer is too small.
 */
struct ckpt_ipc_obj {
	key_t key;
	kuid_t uid, cuid;
	kgid_t gid, cgid;
	umode_t mode;
	time64_t time[3];
	pid_t pid[2];
	unsigned long size;
	unsigned long count;
	unsigned long bytes;
	size_t max_msg;
	struct file *file;
};

/* One message in the buffer of msg_ckpt_get(), padded to 8 bytes. */
struct ckpt_ipc_msg {
	long type;
	size_t len;
	/* len bytes of text follow */
};

#define CKPT_IPC_MSG_SIZE(len) \
	(sizeof(struct ckpt_ipc_msg) + ALIGN((len), 8))

/* One semaphore for sem_ckpt_get() and sem_ckpt_set(). */
struct ckpt_ipc_sem {
	int val;
	pid_t pid;
	time64_t otime;
};

int shm_ckpt_get(struct ipc_namespace *ns, int id,
		 struct pid_namespace *pidns, struct ckpt_ipc_obj *o);
int shm_ckpt_set(struct ipc_namespace *ns, int id,
		 struct pid_namespace *pidns, const struct ckpt_ipc_obj *o);
int shm_ckpt_vma(struct vm_area_struct *vma, struct ipc_namespace **ns);
int msg_ckpt_get(struct ipc_namespace *ns, int id,
		 struct pid_namespace *pidns, struct ckpt_ipc_obj *o,
		 void *buf, size_t size);
int msg_ckpt_set(struct ipc_namespace *ns, int id,
		 struct pid_namespace *pidns, const struct ckpt_ipc_obj *o);
int sem_ckpt_get(struct ipc_namespace *ns, int id,
		 struct pid_namespace *pidns, struct ckpt_ipc_obj *o,
		 struct ckpt_ipc_sem *sems, int nsems);
int sem_ckpt_set(struct ipc_namespace *ns, int id,
		 struct pid_namespace *pidns, const struct ckpt_ipc_obj *o,
		 const struct ckpt_ipc_sem *sems, int nsems);
int sem_ckpt_get_undo(struct ipc_namespace *ns, int id,
		      struct task_struct *t, short *adj, int nsems);
int sem_ckpt_set_undo(struct ipc_namespace *ns, int id, const short *adj,
		      int nsems);
#endif

#ifdef CONFIG_CKPT
#include <linux/path.h>

/**
 * struct ckpt_mnt_info - one mount of a mount namespace, for checkpoint
 * @root: the mount and its root dentry, with references.
 * @mountpoint: the mount it is on and the dentry it is mounted on, with
 *	references; both NULL for the root of the namespace.
 * @parent: index of the mount it is on in the array, -1 for the root.
 * @shared: it is in a peer group (MS_SHARED).
 * @slave: it receives propagation from a master (MS_SLAVE).
 * @unbindable: MS_UNBINDABLE.
 *
 * ckpt_task_mounts() in fs/namespace.c (see patches/) fills an array of
 * these, in preorder from the namespace's root: a mount comes after the
 * mount it is on.
 */
struct ckpt_mnt_info {
	struct path root;
	struct path mountpoint;
	int parent;
	bool shared;
	bool slave;
	bool unbindable;
};

int ckpt_task_mounts(struct task_struct *t, struct ckpt_mnt_info **out);

/* fs/internal.h: what mount(2) runs, with kernel strings. */
int path_mount(const char *dev_name, struct path *path,
	       const char *type_page, unsigned long flags, void *data_page);
#endif

#endif /* _LINUX_CKPT_H */
