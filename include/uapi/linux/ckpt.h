/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */
/*
 * ckpt: checkpoint/restart of Linux containers.
 *
 * This header is the whole user-space contract: the arguments of the
 * checkpoint(2) and restart(2) system calls and the layout of the image
 * they write and read.
 */
#ifndef _UAPI_LINUX_CKPT_H
#define _UAPI_LINUX_CKPT_H

#include <linux/types.h>

/**
 * DOC: system calls
 *
 * ::
 *
 *   long checkpoint(const struct ckpt_checkpoint_args *args, size_t size,
 *                   unsigned int flags);
 *   long restart(const struct ckpt_restart_args *args, size_t size,
 *                unsigned int flags);
 *
 * On x86_64 they are system calls 463 and 464 of the 6.12 table (see
 * asm/unistd_64.h; mainline has since given those numbers to other calls,
 * so never call them by number on a kernel that does not answer the ABI
 * query below).
 *
 * @size is ``sizeof(*args)`` as the caller knows it: a smaller, older struct is
 * zero-extended, a larger one must have zeroes past what the kernel knows
 * (else E2BIG).  Unknown @flags bits give EINVAL.
 *
 * checkpoint(NULL, 0, CKPT_ABI_VERSION) and restart(NULL, 0,
 * CKPT_ABI_VERSION) return CKPT_ABI.
 */

/*
 * ABI revision returned by the CKPT_ABI_VERSION query.  2: process trees,
 * CKPT_CHECKPOINT_SUBTREE.  3: restart puts the container in a time
 * namespace of its own (and needs CAP_SYS_TIME); image format 4.
 */
#define CKPT_ABI			3

/* Flags common to both calls. */
#define CKPT_ABI_VERSION		(1U << 0)

/* checkpoint() flags */
/* Kill the container after a successful checkpoint, before it can thaw. */
#define CKPT_CHECKPOINT_KILL		(1U << 1)
/*
 * Save the tree even if objects it holds (memory, file tables, open files,
 * namespaces) are also held by tasks outside the container.  Without it
 * such a leak makes checkpoint fail with EBUSY; with it each object is
 * saved as the container sees it and a restart gives the container its own
 * copy, no longer shared with anything outside.
 */
#define CKPT_CHECKPOINT_SUBTREE		(1U << 2)
#define CKPT_CHECKPOINT_FLAGS		(CKPT_ABI_VERSION | \
					 CKPT_CHECKPOINT_KILL | \
					 CKPT_CHECKPOINT_SUBTREE)

/* restart() flags */
/* Accept regular files whose inode, size or mtime changed since checkpoint. */
#define CKPT_RESTART_FILES_CHANGED	(1U << 1)
#define CKPT_RESTART_FLAGS		(CKPT_ABI_VERSION | \
					 CKPT_RESTART_FILES_CHANGED)

/**
 * struct ckpt_checkpoint_args - arguments of checkpoint(2)
 * @pidfd: pidfd of the container's init: the first task of a pid namespace,
 *	all of whose tasks are frozen in a cgroup v2 with cgroup.freeze set.
 * @fd: where the image is written, in order: a file, pipe or socket.
 * @logfd: where human-readable reasons for a failure are written, or -1.
 * @reserved: must be zero.
 */
struct ckpt_checkpoint_args {
	__s32 pidfd;
	__s32 fd;
	__s32 logfd;
	__u32 reserved;
};
#define CKPT_CHECKPOINT_ARGS_SIZE_VER0	16

/**
 * struct ckpt_restart_args - arguments of restart(2)
 * @fd: the image, read strictly in order: a file, pipe or socket.
 * @logfd: where human-readable reasons for a failure are written, or -1.
 * @cgroup_fd: an O_PATH or O_DIRECTORY fd of a cgroup v2 directory that the
 *	restarted container is created in (as clone3's CLONE_INTO_CGROUP), or
 *	-1 to stay in the caller's cgroup.  If that cgroup is frozen, the
 *	container freezes before it runs a single instruction.
 * @reserved: must be zero.
 *
 * On success restart returns the pid, in the caller's pid namespace, of the
 * restarted container's init, a child of the caller.
 */
struct ckpt_restart_args {
	__s32 fd;
	__s32 logfd;
	__s32 cgroup_fd;
	__u32 reserved;
};
#define CKPT_RESTART_ARGS_SIZE_VER0	16

/**
 * DOC: image format
 *
 * The image is a sequence of records, each a struct ckpt_rec followed by
 * (len - sizeof(struct ckpt_rec)) bytes of payload.  All integers are
 * little-endian and fixed width; every struct below has its size pinned at
 * build time and no implicit padding.  The stream is written and read
 * strictly in order, so it can live in a pipe or a socket.
 *
 * The layout is a contract.  Any change to it bumps CKPT_FORMAT_VERSION; a
 * restart refuses a version it does not know.  The kernel release recorded
 * in the header is informational only: what gates a restart is the format
 * version, the architecture, the page size and the CPU features the saved
 * tasks may use.
 *
 * Order of records::
 *
 *   HEADER
 *   CONTAINER
 *   TREE... (one per task, zombies included: the process tree)
 *   MOUNT... (CONTAINER.nr_mounts mounts of the container's mount
 *     namespace, parents first; a TMPFS mount is followed by its
 *     TMPFS_ENTRY records)
 *   IPC objects (CONTAINER.nr_ipc records: SHM with its PAGES, MSQ with
 *     its MSG records, SEM)
 *   SHMEM... (CONTAINER.nr_shmem shared memory objects, each with its
 *     PAGES)
 *   for each TREE entry that is not a zombie, in the same order:
 *     TASK, CREDS,
 *     RLIMITS, ITIMERS, POSIX_TIMER...   (thread group leaders only)
 *     FS                                 (unless CKPT_TREE_SHARE_FS)
 *     MM, then for each mapping: VMA followed by its PAGES records
 *                                        (thread group leaders only)
 *     [TTY, TTY_BUF, TTY_BUF] CTTY        (a process whose controlling
 *                                         terminal is a pty of the
 *                                         container; TTY if the pty is
 *                                         seen for the first time)
 *     FILES, then for each open descriptor, in increasing order:
 *       [PIPE, PIPE_BUF...]  (a pipe seen for the first time)
 *       [UNIX, [UNIX], UNIX_SKB...]
 *       [UNIX_GROUP, UNIX..., UNIX_SKB...]
 *       [TTY, TTY_BUF, TTY_BUF]
 *                            (a pty seen for the first time: see
 *                             struct ckpt_tty)
 *                            (a unix socket seen for the first time, and
 *                             its peer: see struct ckpt_unix; or its
 *                             group: struct ckpt_unix_group)
 *       [UNLINKED, PAGES...] (a deleted or O_TMPFILE file, not on
 *                             tmpfs, seen for the first time)
 *       [FILE, LOCK...]      (an open file seen for the first time, with
 *                             its flock() and OFD locks)
 *       FD
 *       An EVENTFD, SIGNALFD or TIMERFD record follows the FILE record of
 *       its kind, an EPOLL record and its EPOLL_ITEM records that of an
 *       epoll file (before its LOCK records).  The FILE records of the
 *       files an epoll file watches (and the PIPE and UNIX records of
 *       their pipes and sockets) come before its own, even those of
 *       descriptors further on: several FILE records may precede one FD
 *       record.
 *     then LOCK... (the POSIX record locks the file table owns)
 *       (no descriptors or locks when the task shares a file table saved
 *       before)
 *     SIGHAND                            (thread group leaders only)
 *     SIGNALS, SIGINFO... (one per pending signal; the signals pending on
 *       the whole process are in the leader's section)
 *     SEM_UNDO... (TREE.nr_sem_undo of them: one per semaphore set the
 *       process has adjustments for; thread group leaders only)
 *     CPU, FPU,
 *     TASK_END
 *   TRAILER
 *
 * The trailer carries the number of bytes before it and their xxh64
 * checksum (seed 0), so truncation and corruption are always detected.
 * Strings are stored with their length and without a terminating NUL.
 */
#define CKPT_IMAGE_MAGIC	0x54504b43584e4c7fULL	/* "\x7fLNXCKPT" */
#define CKPT_FORMAT_VERSION	6

enum ckpt_rec_type {
	CKPT_REC_HEADER		= 1,
	CKPT_REC_CONTAINER	= 2,
	CKPT_REC_TASK		= 3,
	CKPT_REC_CREDS		= 4,
	CKPT_REC_RLIMITS	= 5,
	CKPT_REC_FS		= 6,
	CKPT_REC_MM		= 7,
	CKPT_REC_VMA		= 8,
	CKPT_REC_PAGES		= 9,
	CKPT_REC_FILE		= 10,
	CKPT_REC_SIGHAND	= 11,
	CKPT_REC_SIGNALS	= 12,
	CKPT_REC_SIGINFO	= 13,
	CKPT_REC_CPU		= 14,
	CKPT_REC_FPU		= 15,
	CKPT_REC_TASK_END	= 16,
	CKPT_REC_TRAILER	= 17,
	CKPT_REC_TREE		= 18,
	CKPT_REC_ITIMERS	= 19,
	CKPT_REC_POSIX_TIMER	= 20,
	CKPT_REC_SHM		= 21,
	CKPT_REC_MSQ		= 22,
	CKPT_REC_MSG		= 23,
	CKPT_REC_SEM		= 24,
	CKPT_REC_SEM_UNDO	= 25,
	CKPT_REC_SHMEM		= 26,
	CKPT_REC_FILES		= 27,
	CKPT_REC_FD		= 28,
	CKPT_REC_PIPE		= 29,
	CKPT_REC_PIPE_BUF	= 30,
	CKPT_REC_LOCK		= 31,
	CKPT_REC_EVENTFD	= 32,
	CKPT_REC_SIGNALFD	= 33,
	CKPT_REC_TIMERFD	= 34,
	CKPT_REC_EPOLL		= 35,
	CKPT_REC_EPOLL_ITEM	= 36,
	CKPT_REC_UNIX		= 37,
	CKPT_REC_UNIX_SKB	= 38,
	CKPT_REC_TTY		= 39,
	CKPT_REC_TTY_BUF	= 40,
	CKPT_REC_CTTY		= 41,
	CKPT_REC_MOUNT		= 42,
	CKPT_REC_TMPFS_ENTRY	= 43,
	CKPT_REC_INOTIFY	= 44,
	CKPT_REC_INOTIFY_WATCH	= 45,
	CKPT_REC_INOTIFY_EVENT	= 46,
	CKPT_REC_UNLINKED	= 47,
	CKPT_REC_UNIX_GROUP	= 48,
	CKPT_REC_MAX		= CKPT_REC_UNIX_GROUP,
};

/**
 * struct ckpt_rec - header of every record
 * @type: one of enum ckpt_rec_type.
 * @len: length of the record in bytes, this header included.
 */
struct ckpt_rec {
	__u32 type;
	__u32 len;
};

/* Largest record: a PAGES record of CKPT_PAGES_MAX 4 KiB pages. */
#define CKPT_PAGES_MAX		256
#define CKPT_PATH_MAX		4096

#define CKPT_ARCH_X86_64	0xc000003eU	/* AUDIT_ARCH_X86_64 */

/**
 * struct ckpt_hdr - CKPT_REC_HEADER, the first record
 * @magic: CKPT_IMAGE_MAGIC.
 * @version: CKPT_FORMAT_VERSION.
 * @arch: CKPT_ARCH_X86_64.
 * @page_size: the page size of the saved tasks.
 * @flags: zero.
 * @xfeatures: XSAVE features the saved FPU states use; the restarting CPU
 *	must support all of them.
 * @cpuid_1_ecx: CPUID.1:ECX of the checkpointing CPU.
 * @cpuid_1_edx: CPUID.1:EDX.
 * @cpuid_7_ebx: CPUID.(7,0):EBX.
 * @cpuid_7_ecx: CPUID.(7,0):ECX.
 * @cpuid_7_edx: CPUID.(7,0):EDX.
 * @reserved: zero.
 * @time_ns: CLOCK_REALTIME when the checkpoint was taken.
 * @release: utsname release of the checkpointing kernel (informational).
 */
struct ckpt_hdr {
	__u64 magic;
	__u32 version;
	__u32 arch;
	__u32 page_size;
	__u32 flags;
	__u64 xfeatures;
	__u32 cpuid_1_ecx;
	__u32 cpuid_1_edx;
	__u32 cpuid_7_ebx;
	__u32 cpuid_7_ecx;
	__u32 cpuid_7_edx;
	__u32 reserved;
	__u64 time_ns;
	char release[64];
};

/* Namespaces the container had of its own (clone flags). */
#define CKPT_NS_PID	0x20000000	/* CLONE_NEWPID, always set */
#define CKPT_NS_UTS	0x04000000	/* CLONE_NEWUTS */
#define CKPT_NS_IPC	0x08000000	/* CLONE_NEWIPC */
#define CKPT_NS_MNT	0x00020000	/* CLONE_NEWNS */
#define CKPT_NS_ALL	(CKPT_NS_PID | CKPT_NS_UTS | CKPT_NS_IPC | CKPT_NS_MNT)

/**
 * struct ckpt_container - CKPT_REC_CONTAINER
 * @ns_flags: CKPT_NS_* namespaces the container owns.
 * @nr_tasks: number of TREE records that follow, 1..CKPT_TASKS_MAX.
 * @nr_ipc: number of SysV IPC object records (SHM, MSQ, SEM) after them.
 * @nr_shmem: number of SHMEM records after those.
 * @nodename: hostname of the container's uts namespace (NUL padded).
 * @domainname: NIS domain name (NUL padded).
 * @nr_mounts: number of MOUNT records after the TREE records: 1 to
 *	CKPT_MOUNTS_MAX with CKPT_NS_MNT, else 0.
 * @pad: zero.
 * @monotonic_ns: CLOCK_MONOTONIC as the container saw it when it was
 *	checkpointed, 0 to KTIME_SEC_MAX / 2 seconds.
 * @boottime_ns: CLOCK_BOOTTIME as the container saw it, in the same range.
 *	Restart puts the container in a new time namespace whose offsets make
 *	both clocks go on from these values, on this boot or another: they do
 *	not count the time between checkpoint and restart, and never go back.
 */
struct ckpt_container {
	__u32 ns_flags;
	__u32 nr_tasks;
	__u32 nr_ipc;
	__u32 nr_shmem;
	char nodename[65];
	char domainname[65];
	__u8 pad[2];
	__u32 nr_mounts;
	__s64 monotonic_ns;
	__s64 boottime_ns;
};

#define CKPT_TASKS_MAX		32768

/*
 * Kinds of mount.  HOST: the caller's mount at the same point, which the
 * container got with its copy of the namespace.  BIND: a bind of a path of
 * the caller's.  PROC: a proc of the container's pid namespace.  TMPFS: a
 * tmpfs of the container's, with its contents (TMPFS_ENTRY records).
 */
enum ckpt_mount_kind {
	CKPT_MOUNT_HOST		= 1,
	CKPT_MOUNT_BIND		= 2,
	CKPT_MOUNT_PROC		= 3,
	CKPT_MOUNT_TMPFS	= 4,
};

/*
 * MOUNT flags: those of the mount, as mount(2) sets them.  With neither
 * NOATIME nor RELATIME the mount is MS_STRICTATIME.  SB_RDONLY (PROC and
 * TMPFS only): the file system itself is read-only.
 */
#define CKPT_MOUNT_RDONLY	(1U << 0)	/* MS_RDONLY (the mount) */
#define CKPT_MOUNT_NOSUID	(1U << 1)	/* MS_NOSUID */
#define CKPT_MOUNT_NODEV	(1U << 2)	/* MS_NODEV */
#define CKPT_MOUNT_NOEXEC	(1U << 3)	/* MS_NOEXEC */
#define CKPT_MOUNT_NOATIME	(1U << 4)	/* MS_NOATIME */
#define CKPT_MOUNT_NODIRATIME	(1U << 5)	/* MS_NODIRATIME */
#define CKPT_MOUNT_RELATIME	(1U << 6)	/* MS_RELATIME */
#define CKPT_MOUNT_NOSYMFOLLOW	(1U << 7)	/* MS_NOSYMFOLLOW */
#define CKPT_MOUNT_SB_RDONLY	(1U << 8)	/* the super block: MS_RDONLY */
#define CKPT_MOUNT_FLAGS	0x1ffU

/*
 * MOUNT opts of a PROC mount: hidepid= in the low byte (0, 1 noaccess,
 * 2 invisible or 4 ptraceable), and subset=pid.
 */
#define CKPT_MOUNT_PROC_HIDEPID	0xffU
#define CKPT_MOUNT_PROC_SUBSET	(1U << 8)	/* subset=pid */

#define CKPT_MOUNTS_MAX		1024
#define CKPT_FSTYPE_MAX		32	/* bytes of a file system type name */

/**
 * struct ckpt_mount - CKPT_REC_MOUNT, a mount of the container's mount
 * namespace, followed by @path_len bytes of mount point, @source_len bytes
 * of source path and @fstype_len bytes of file system type name
 * @id: 1 for the first MOUNT record, then one more for each.  The first is
 *	the root of the namespace: kind HOST, mount point "/", @parent 0.
 * @parent: id of the mount it is mounted on, lower than @id; 0 for the
 *	root.
 * @kind: enum ckpt_mount_kind.
 * @flags: CKPT_MOUNT_* flags.
 * @path_len: length of the mount point, an absolute path from the root of
 *	the container's mount namespace (the convention of FILE paths).
 * @source_len: BIND: length of the source, the bound directory or file
 *	named from the root of the caller's mount namespace at checkpoint;
 *	0 for the other kinds.
 * @fstype_len: length of the file system type's name ("proc", "tmpfs",
 *	or for HOST and BIND the type found there: "ext4"...), 1 to
 *	CKPT_FSTYPE_MAX - 1 bytes of [a-z0-9._-].
 * @opts: PROC: CKPT_MOUNT_PROC_* options; 0 for the other kinds.
 * @uid: TMPFS: the uid= option (owner of its root directory when it was
 *	mounted), as seen from the checkpointer's user namespace; else 0.
 * @gid: TMPFS: the gid= option; PROC: the gid= option; else 0.
 * @mode: TMPFS: the mode= option, at most 07777; else 0.
 * @nr_entries: TMPFS: number of TMPFS_ENTRY records that follow, 1 (the
 *	root directory) to CKPT_TMPFS_ENTRIES_MAX; else 0.
 * @size: TMPFS: the size= option in bytes, 0 for no limit; else 0.
 * @nr_inodes: TMPFS: the nr_inodes= option, 0 for no limit; else 0.
 *
 * Restart gives the container a new mount namespace, a copy of the
 * caller's, makes every mount in it private, then for each record in
 * order: HOST checks that the copy has a mount of @fstype at @path (and
 * sets @flags on it if they differ); BIND bind-mounts @source, looked up
 * in the new namespace as it is then, on @path; PROC and TMPFS mount a new
 * instance there.  Each through mount(2)'s own code, with its checks.
 */
struct ckpt_mount {
	__u32 id;
	__u32 parent;
	__u32 kind;
	__u32 flags;
	__u32 path_len;
	__u32 source_len;
	__u32 fstype_len;
	__u32 opts;
	__u32 uid;
	__u32 gid;
	__u32 mode;
	__u32 nr_entries;
	__u64 size;
	__u64 nr_inodes;
};

/* Limits of the contents of one tmpfs. */
#define CKPT_TMPFS_ENTRIES_MAX	4096
#define CKPT_TMPFS_DATA_MAX	(16U << 20)	/* bytes of files and links */

/**
 * struct ckpt_tmpfs_entry - CKPT_REC_TMPFS_ENTRY, a file, directory or
 * symbolic link of a TMPFS mount, followed by @name_len bytes of name and
 * @size bytes of contents (a regular file's data, a link's target)
 * @index: 1 for the first entry of the mount, then one more for each.  The
 *	first is the root directory of the tmpfs, with no name.
 * @parent: index of the directory it is in, an earlier DIR entry; 0 for
 *	the root.
 * @mode: S_IFDIR, S_IFREG or S_IFLNK, and the permission bits (07777).
 * @uid: owner, as seen from the checkpointer's user namespace.
 * @gid: group.
 * @name_len: length of its name in @parent: 1 to 255 bytes, no '/' or NUL,
 *	not "." or ".."; 0 for the root.
 * @link: 0, or for another name of a regular file (a hard link) the index
 *	of its first entry; such an entry has @size 0 and the first entry's
 *	attributes.
 * @pad: zero.
 * @size: REG: bytes of data; LNK: length of the target (1 to 4095); else 0.
 * @atime_ns: last access time.
 * @mtime_ns: last modification time (the change time is not restored).
 */
struct ckpt_tmpfs_entry {
	__u32 index;
	__u32 parent;
	__u32 mode;
	__u32 uid;
	__u32 gid;
	__u32 name_len;
	__u32 link;
	__u32 pad;
	__u64 size;
	__s64 atime_ns;
	__s64 mtime_ns;
};

/* enum ckpt_tree_state: what a task was doing */
#define CKPT_TREE_LIVE		0	/* frozen, with a TASK section */
#define CKPT_TREE_ZOMBIE	1	/* exited, not yet reaped */

/* TREE flags */
/* A thread that shares its leader's root, cwd and umask (CLONE_FS). */
#define CKPT_TREE_SHARE_FS	(1U << 0)
/* (1U << 1) is unused: file tables are shared through FILES ids. */
/* A process that is a child subreaper (PR_SET_CHILD_SUBREAPER). */
#define CKPT_TREE_SUBREAPER	(1U << 2)
/* A process that is its session's leader (it called setsid()). */
#define CKPT_TREE_SESSION_LEADER (1U << 3)
#define CKPT_TREE_FLAGS		0xdU

/**
 * struct ckpt_tree - CKPT_REC_TREE, one task of the process tree
 * @pid: pid (thread id) in the container's pid namespace; the first TREE
 *	record is the container's init, pid 1.
 * @tgid: pid of its thread group leader; equal to @pid for a leader.  A
 *	thread comes after its leader.
 * @ppid: tgid of its parent, which comes before it; 0 for init.  Threads
 *	have their leader's.
 * @pgid: process group id, or 0 if the group is outside the container.
 *	Groups and sessions whose leader has exited are recreated without it.
 * @sid: session id, or 0 if the session is outside the container.
 * @exit_signal: signal sent to the parent at exit (-1 for threads).
 * @state: CKPT_TREE_LIVE or CKPT_TREE_ZOMBIE.
 * @exit_code: a zombie's exit status as wait() reports it.
 * @flags: CKPT_TREE_* flags.
 * @nr_sem_undo: number of SEM_UNDO records in its section: a live thread
 *	group leader's, at most CONTAINER.nr_ipc; zero for threads and zombies.
 */
struct ckpt_tree {
	__s32 pid;
	__s32 tgid;
	__s32 ppid;
	__s32 pgid;
	__s32 sid;
	__s32 exit_signal;
	__u32 state;
	__s32 exit_code;
	__u32 flags;
	__u32 nr_sem_undo;
};

/**
 * struct ckpt_task - CKPT_REC_TASK, first record of a task's section
 * @pid: pid in the container's pid namespace, as in its TREE record.
 * @tgid: thread group id in that namespace, as in its TREE record.
 * @exit_signal: signal sent to the parent at exit, as in its TREE record.
 * @pdeath_signal: signal received at the parent's death, or 0.
 * @personality: personality(2) value.
 * @flags: CKPT_TASK_* flags.
 * @comm: the task's command name (NUL padded).
 * @clear_child_tid: set_tid_address() pointer.
 * @robust_list: set_robust_list() head.
 * @robust_list_len: its length.
 * @rseq: registered struct rseq, or 0.
 * @rseq_len: its length.
 * @rseq_sig: its signature.
 */
struct ckpt_task {
	__s32 pid;
	__s32 tgid;
	__s32 exit_signal;
	__s32 pdeath_signal;
	__u32 personality;
	__u32 flags;
	char comm[16];
	__u64 clear_child_tid;
	__u64 robust_list;
	__u64 robust_list_len;
	__u64 rseq;
	__u32 rseq_len;
	__u32 rseq_sig;
};
#define CKPT_TASK_NO_NEW_PRIVS	(1U << 0)
#define CKPT_TASK_DUMPABLE	(1U << 1)
#define CKPT_TASK_FLAGS		(CKPT_TASK_NO_NEW_PRIVS | CKPT_TASK_DUMPABLE)

/**
 * struct ckpt_creds - CKPT_REC_CREDS, followed by @ngroups __u32 gids
 * @uid: real uid, as seen from the checkpointer's user namespace.
 * @euid: effective uid.
 * @suid: saved uid.
 * @fsuid: filesystem uid.
 * @gid: real gid.
 * @egid: effective gid.
 * @sgid: saved gid.
 * @fsgid: filesystem gid.
 * @securebits: SECBIT_* flags.
 * @ngroups: number of supplementary groups that follow.
 * @cap_inheritable: inheritable capability set (bit n is capability n).
 * @cap_permitted: permitted set.
 * @cap_effective: effective set.
 * @cap_bset: bounding set.
 * @cap_ambient: ambient set.
 */
struct ckpt_creds {
	__u32 uid, euid, suid, fsuid;
	__u32 gid, egid, sgid, fsgid;
	__u32 securebits;
	__u32 ngroups;
	__u64 cap_inheritable;
	__u64 cap_permitted;
	__u64 cap_effective;
	__u64 cap_bset;
	__u64 cap_ambient;
};
#define CKPT_NGROUPS_MAX	65536

#define CKPT_RLIM_NLIMITS	16

/**
 * struct ckpt_rlimits - CKPT_REC_RLIMITS
 * @rlim: soft and hard limit of each of the 16 resources (RLIMIT_CPU..
 *	RLIMIT_RTTIME), ~0 for RLIM_INFINITY.
 */
struct ckpt_rlimits {
	struct {
		__u64 cur;
		__u64 max;
	} rlim[CKPT_RLIM_NLIMITS];
};

/**
 * struct ckpt_fs - CKPT_REC_FS, followed by @root_len bytes of root path and
 * @cwd_len bytes of working directory path
 * @umask: file mode creation mask.
 * @root_len: length of the root directory's path, from the root of its
 *	mount namespace.
 * @cwd_len: length of the working directory's path, as seen from the
 *	task's root.
 * @pad: zero.
 */
struct ckpt_fs {
	__u32 umask;
	__u32 root_len;
	__u32 cwd_len;
	__u32 pad;
};

/**
 * struct ckpt_mm - CKPT_REC_MM, followed by @exe_len bytes of the
 * executable's path
 * @start_code: start of the text segment.
 * @end_code: end of the text segment.
 * @start_data: start of the data segment.
 * @end_data: end of the data segment.
 * @start_brk: start of the heap.
 * @brk: current program break.
 * @start_stack: top of the main stack at exec.
 * @arg_start: start of argv strings.
 * @arg_end: end of argv strings.
 * @env_start: start of environment strings.
 * @env_end: end of environment strings.
 * @auxv: the auxiliary vector (pairs of type and value, ending with AT_NULL).
 * @nr_vmas: number of VMA records that follow.
 * @exe_len: length of the executable's path (0: none).
 * @vdso_size: size in bytes of the vdso text.
 * @vdso_csum: xxh64 of the vdso text; restart requires the same vdso.
 * @flags: CKPT_MM_* flags.
 * @pad: zero.
 */
struct ckpt_mm {
	__u64 start_code, end_code, start_data, end_data;
	__u64 start_brk, brk, start_stack;
	__u64 arg_start, arg_end, env_start, env_end;
	__u64 auxv[64];
	__u32 nr_vmas;
	__u32 exe_len;
	__u64 vdso_size;
	__u64 vdso_csum;
	__u32 flags;
	__u32 pad;
};
#define CKPT_MM_VMAS_MAX	65530

/* Kinds of mapping. */
enum ckpt_vma_kind {
	CKPT_VMA_ANON		= 1,	/* private anonymous (heap, stack...) */
	CKPT_VMA_FILE		= 2,	/* private file mapping */
	CKPT_VMA_VDSO		= 3,	/* the vdso text */
	CKPT_VMA_VVAR		= 4,	/* the vdso data pages */
	CKPT_VMA_SHMEM		= 5,	/* shared memory: MAP_SHARED|MAP_ANONYMOUS
					 * or a memfd; @shmem names the SHMEM
					 * record with the contents */
	CKPT_VMA_FILE_SHARED	= 6,	/* a shared mapping of a regular file:
					 * its contents stay in the file */
	CKPT_VMA_SYSVSHM	= 7,	/* an attached SysV shared memory
					 * segment; @shmem is its shmid */
};

/* vma flags (not the kernel's VM_* bits: stable values of our own) */
#define CKPT_VMA_READ		(1U << 0)
#define CKPT_VMA_WRITE		(1U << 1)
#define CKPT_VMA_EXEC		(1U << 2)
#define CKPT_VMA_GROWSDOWN	(1U << 3)
#define CKPT_VMA_DONTFORK	(1U << 4)	/* MADV_DONTFORK */
#define CKPT_VMA_DONTDUMP	(1U << 5)	/* MADV_DONTDUMP */
#define CKPT_VMA_WIPEONFORK	(1U << 6)	/* MADV_WIPEONFORK */
#define CKPT_VMA_HUGEPAGE	(1U << 7)	/* MADV_HUGEPAGE */
#define CKPT_VMA_NOHUGEPAGE	(1U << 8)	/* MADV_NOHUGEPAGE */
#define CKPT_VMA_RANDOM		(1U << 9)	/* MADV_RANDOM */
#define CKPT_VMA_SEQUENTIAL	(1U << 10)	/* MADV_SEQUENTIAL */
#define CKPT_VMA_LOCKED		(1U << 11)	/* mlock() */
#define CKPT_VMA_MAYWRITE	(1U << 12)	/* shared file mapping of a file
						 * open for writing */
#define CKPT_VMA_FLAGS		0x1fffU

/**
 * struct ckpt_vma - CKPT_REC_VMA, followed by @path_len bytes of path for a
 * file mapping
 * @start: first address, page aligned.
 * @end: address after the last byte, page aligned.
 * @pgoff: offset in the file, in pages (file mappings).
 * @kind: enum ckpt_vma_kind.
 * @flags: CKPT_VMA_* flags.
 * @nr_pages: number of saved pages, in the PAGES records that follow
 *	(zero for SHMEM, FILE_SHARED and SYSVSHM mappings).
 * @path_len: length of the mapped file's path.
 * @shmem: CKPT_VMA_SHMEM: id of the SHMEM record; CKPT_VMA_SYSVSHM: shmid.
 * @ino: inode number of the mapped file.
 * @size: its size in bytes.
 * @mtime_ns: its modification time.
 */
struct ckpt_vma {
	__u64 start;
	__u64 end;
	__u64 pgoff;
	__u32 kind;
	__u32 flags;
	__u64 nr_pages;
	__u32 path_len;
	__s32 shmem;
	__u64 ino;
	__u64 size;
	__s64 mtime_ns;
};

/**
 * struct ckpt_shmem - CKPT_REC_SHMEM, a shared memory object, followed by
 * PAGES records with its contents (@addr is the offset in the object)
 * @id: 0..nr_shmem-1, in order; VMA records refer to it.
 * @flags: CKPT_SHMEM_* flags.
 * @size: size in bytes.
 * @nr_pages: number of saved pages.
 * @seals: F_SEAL_* seals (memfd).
 * @name_len: memfd name length, the name follows (memfd).
 */
struct ckpt_shmem {
	__s32 id;
	__u32 flags;
	__u64 size;
	__u64 nr_pages;
	__u32 seals;
	__u32 name_len;
};
#define CKPT_SHMEM_MAX		65536
#define CKPT_SHMEM_MEMFD	(1U << 0)	/* a memfd, not MAP_ANONYMOUS */
#define CKPT_SHMEM_NORESERVE	(1U << 1)	/* not charged to the commit
						 * limit (MAP_NORESERVE) */
#define CKPT_SHMEM_FLAGS	(CKPT_SHMEM_MEMFD | CKPT_SHMEM_NORESERVE)

/**
 * struct ckpt_pages - CKPT_REC_PAGES, followed by @nr_pages pages of data
 * @addr: page-aligned address of the first page, inside the previous VMA.
 * @nr_pages: 1..CKPT_PAGES_MAX consecutive pages.
 * @pad: zero.
 *
 * Only pages that exist are saved: anonymous pages, and in file mappings the
 * pages that were written to (copied on write).  Everything else reads back
 * as zero or from the file.
 */
struct ckpt_pages {
	__u64 addr;
	__u32 nr_pages;
	__u32 pad;
};

/**
 * struct ckpt_files - CKPT_REC_FILES, a task's file table
 * @id: 1 for the first table of the image, then one more for each table
 *	not seen before; a table shared by several tasks (threads, or
 *	processes made with CLONE_FILES) has one id.
 * @nr_fds: number of FD records that follow: those of a new table, 0 for
 *	a table saved before (at most CKPT_FDS_MAX).
 */
struct ckpt_files {
	__u32 id;
	__u32 nr_fds;
};

#define CKPT_FDS_MAX		(1U << 20)

/* FD flags */
#define CKPT_FD_CLOEXEC		(1U << 0)

/**
 * struct ckpt_fd - CKPT_REC_FD, one descriptor of a file table
 * @fd: descriptor number, higher than the previous FD record's.
 * @file: id of the open file (FILE record) it refers to.
 * @flags: CKPT_FD_* flags.
 * @pad: zero.
 */
struct ckpt_fd {
	__s32 fd;
	__u32 file;
	__u32 flags;
	__u32 pad;
};

/* Kinds of open file. */
enum ckpt_file_kind {
	CKPT_FILE_REG		= 1,	/* regular file, by path */
	CKPT_FILE_CHR		= 2,	/* character device (null, zero...) */
	CKPT_FILE_DIR		= 3,	/* directory, by path */
	CKPT_FILE_PIPE		= 4,	/* an end of a pipe (PIPE record) */
	CKPT_FILE_SHMEM		= 5,	/* a memfd or deleted tmpfs file (SHMEM) */
	CKPT_FILE_FIFO		= 6,	/* a named pipe, by path (PIPE record) */
	CKPT_FILE_EVENTFD	= 7,	/* eventfd (EVENTFD record) */
	CKPT_FILE_SIGNALFD	= 8,	/* signalfd (SIGNALFD record) */
	CKPT_FILE_TIMERFD	= 9,	/* timerfd (TIMERFD record) */
	CKPT_FILE_EPOLL		= 10,	/* epoll file (EPOLL, EPOLL_ITEM...) */
	CKPT_FILE_UNIX		= 11,	/* a unix socket (UNIX record) */
	CKPT_FILE_TTY		= 12,	/* an end of a pty, or /dev/tty (TTY) */
	CKPT_FILE_INOTIFY	= 13,	/* inotify instance (INOTIFY...) */
	CKPT_FILE_UNLINKED	= 14,	/* no name, not tmpfs (UNLINKED) */
};

/**
 * struct ckpt_file - CKPT_REC_FILE, followed by @path_len bytes of path
 * @id: 1 for the first open file of the image, then one more for each
 *	open file not seen before.  An open file (struct file) shared by
 *	several descriptors or processes is saved once and keeps one offset.
 * @kind: enum ckpt_file_kind.
 * @flags: status flags (O_ACCMODE, O_APPEND, O_NONBLOCK, O_NOATIME,
 *	O_DIRECT, O_SYNC, O_DSYNC, O_LARGEFILE); O_RDWR for EVENTFD,
 *	SIGNALFD, TIMERFD and EPOLL, O_RDONLY for INOTIFY, whose other
 *	fields are 0.
 * @path_len: length of the path, from the root of its mount namespace (REG,
 *	CHR, DIR, FIFO; TTY: a slave or /dev/tty); 0 for the other kinds.
 * @pos: file offset (REG, DIR, SHMEM, UNLINKED).
 * @ino: inode number (REG, DIR, FIFO).
 * @size: size in bytes (REG, DIR, FIFO).
 * @mtime_ns: modification time (REG, DIR, FIFO).
 * @rdev: device number, as major << 20 | minor (CHR; TTY: 5:2 for the
 *	master, a ptmx; 5:0 for /dev/tty; the slave's for a slave).
 * @obj: PIPE: the pipe's id (the read end is O_RDONLY, the write end
 *	O_WRONLY); FIFO: the id of its pipe (any access mode; several FILE
 *	records may name it); SHMEM: the SHMEM record's id; UNIX: the UNIX
 *	record's id (the file is O_RDWR); TTY: the TTY record's id (one
 *	FILE record at most takes the master; a slave and /dev/tty are
 *	opened again by path, /dev/tty by a process whose controlling
 *	terminal the pty is); UNLINKED: the UNLINKED record's id (any
 *	number of FILE records may name it); 0 for the other kinds.
 */
struct ckpt_file {
	__u32 id;
	__u32 kind;
	__u32 flags;
	__u32 path_len;
	__s64 pos;
	__u64 ino;
	__u64 size;
	__s64 mtime_ns;
	__u32 rdev;
	__u32 obj;
};

/* UNLINKED flags */
/* Made by O_TMPFILE without O_EXCL: linkat() may give it a name. */
#define CKPT_UNLINKED_LINKABLE	(1U << 0)
#define CKPT_UNLINKED_FLAGS	CKPT_UNLINKED_LINKABLE

/*
 * Limits of the data saved for files with no name: past them checkpoint
 * refuses (EFBIG), and so does restart reading such an image.
 */
#define CKPT_UNLINKED_DATA_MAX	(64U << 20)	/* bytes of one file */
#define CKPT_UNLINKED_TOTAL_MAX	(256U << 20)	/* of all of them */

/**
 * struct ckpt_unlinked - CKPT_REC_UNLINKED, a regular file that has no
 * name (deleted while open, or made with O_TMPFILE) on a file system other
 * than tmpfs, before the first FILE record of it; followed by @path_len
 * bytes of the path of its directory, then by PAGES records with its data
 * (@addr is the offset in the file, page-aligned, increasing)
 * @id: 1 for the first of the image, then one more for each.
 * @flags: CKPT_UNLINKED_* flags.
 * @mode: S_IFREG and the permission bits (07777).
 * @uid: owner, as seen from the checkpointer's user namespace.
 * @gid: group.
 * @path_len: length of the path of the directory it was in, from the root
 *	of the container's mount namespace (1 to CKPT_PATH_MAX - 1).
 *	Restart makes the file there with O_TMPFILE.
 * @size: size in bytes.
 * @nr_pages: number of pages of data in the PAGES records, at most
 *	CKPT_UNLINKED_DATA_MAX bytes and the pages of @size; the pages not
 *	saved (holes) read as zeros.
 * @atime_ns: last access time.
 * @mtime_ns: last modification time (the change time is not restored).
 */
struct ckpt_unlinked {
	__u32 id;
	__u32 flags;
	__u32 mode;
	__u32 uid;
	__u32 gid;
	__u32 path_len;
	__u64 size;
	__u64 nr_pages;
	__s64 atime_ns;
	__s64 mtime_ns;
};

/* PIPE flags */
#define CKPT_PIPE_FIFO		(1U << 0)	/* the pipe of a named pipe */

/* PIPE_BUF flags */
#define CKPT_PIPE_BUF_PACKET	(1U << 0)	/* a packet (O_DIRECT pipe) */

/**
 * struct ckpt_pipe - CKPT_REC_PIPE, a pipe, before the first FILE of it
 * @id: 1 for the first pipe of the image, then one more for each.
 * @size: its capacity in bytes (F_GETPIPE_SZ): a power of two number of
 *	pages, up to CKPT_PIPE_MAX.
 * @nr_bufs: number of PIPE_BUF records that follow, in reading order, at
 *	most @size / page size.
 * @flags: CKPT_PIPE_* flags.  The pipe of a named pipe (FIFO) is made
 *	when its first FILE record opens the FIFO by path.
 */
struct ckpt_pipe {
	__u32 id;
	__u32 size;
	__u32 nr_bufs;
	__u32 flags;
};

#define CKPT_PIPE_MAX		(1U << 28)

/* LOCK kinds */
#define CKPT_LOCK_FLOCK		1	/* flock(), owned by the open file */
#define CKPT_LOCK_OFD		2	/* F_OFD_SETLK, owned by the open file */
#define CKPT_LOCK_POSIX		3	/* F_SETLK, owned by the file table */
/* At most this many LOCK records in a row. */
#define CKPT_LOCKS_MAX		(1U << 20)

/**
 * struct ckpt_lock - CKPT_REC_LOCK, a file lock
 * @file: FLOCK and OFD: the id of the FILE record just before; POSIX: the
 *	id of an open file of the table on the locked file.
 * @kind: CKPT_LOCK_*.
 * @type: F_RDLCK (shared) or F_WRLCK (exclusive).
 * @start: OFD and POSIX: the first byte locked; FLOCK: 0.
 * @end: OFD and POSIX: the last byte, LLONG_MAX for "to the end of the
 *	file and beyond"; FLOCK: 0.
 */
struct ckpt_lock {
	__u32 file;
	__u16 kind;
	__u16 type;
	__s64 start;
	__s64 end;
};

/**
 * struct ckpt_pipe_buf - CKPT_REC_PIPE_BUF, followed by @len bytes of data
 * @len: 1 to page size bytes not yet read.
 * @flags: CKPT_PIPE_BUF_* flags.
 */
struct ckpt_pipe_buf {
	__u32 len;
	__u32 flags;
};

/* EVENTFD flags */
#define CKPT_EVENTFD_SEMAPHORE	(1U << 0)	/* EFD_SEMAPHORE */

/**
 * struct ckpt_eventfd - CKPT_REC_EVENTFD, after the FILE record of an eventfd
 * @count: its counter, 0 to 2^64 - 2.
 * @flags: CKPT_EVENTFD_* flags.
 * @pad: zero.
 */
struct ckpt_eventfd {
	__u64 count;
	__u32 flags;
	__u32 pad;
};

/**
 * struct ckpt_signalfd - CKPT_REC_SIGNALFD, after the FILE record of a
 *	signalfd
 * @mask: the signals it reads, as signalfd() took them (bit n-1 is signal
 *	n); never SIGKILL or SIGSTOP.  The signals themselves are pending on
 *	the tasks (SIGNALS, SIGINFO records).
 */
struct ckpt_signalfd {
	__u64 mask;
};

/* TIMERFD flags */
#define CKPT_TIMERFD_ABSTIME	(1U << 0)	/* set with TFD_TIMER_ABSTIME */

/**
 * struct ckpt_timerfd - CKPT_REC_TIMERFD, after the FILE record of a timerfd
 * @clockid: CLOCK_REALTIME, CLOCK_MONOTONIC or CLOCK_BOOTTIME (alarm
 *	clocks and TFD_TIMER_CANCEL_ON_SET are refused at checkpoint).
 * @flags: CKPT_TIMERFD_* flags.
 * @value_ns: time to the next expiry, 0 if disarmed; for CLOCK_REALTIME
 *	with CKPT_TIMERFD_ABSTIME, the CLOCK_REALTIME time of the expiry
 *	instead, which restart keeps (wall-clock time that passed while the
 *	container was not running counts, as after a suspend).  The
 *	monotonic and boot clocks go on across restart (CONTAINER), so the
 *	time left is kept: a timer set with TFD_TIMER_ABSTIME on them expires
 *	at the same time of the container's clock (up to the time restart
 *	itself takes), and is set again with TFD_TIMER_ABSTIME.
 * @interval_ns: period, 0 for a one-shot timer; 0 or more.
 * @ticks: expirations not yet read: what the next read() returns (plus
 *	those to come until then).
 */
struct ckpt_timerfd {
	__s32 clockid;
	__u32 flags;
	__s64 value_ns;
	__s64 interval_ns;
	__u64 ticks;
};

/**
 * struct ckpt_epoll - CKPT_REC_EPOLL, after the FILE record of an epoll
 *	file, followed by @nr_items EPOLL_ITEM records
 * @nr_items: number of watches, at most CKPT_EPOLL_ITEMS_MAX.
 * @pad: zero.
 */
struct ckpt_epoll {
	__u32 nr_items;
	__u32 pad;
};

#define CKPT_EPOLL_ITEMS_MAX	(1U << 20)

/**
 * struct ckpt_epoll_item - CKPT_REC_EPOLL_ITEM, one watch of an epoll file
 * @file: id of the open file watched (an earlier FILE record); a watched
 *	file no descriptor of the container holds is refused at checkpoint.
 * @fd: the descriptor number it was added with (EPOLL_CTL_ADD), 0 or
 *	more; a watch is the pair (file, fd).
 * @events: its events and flags (EPOLLET, EPOLLONESHOT, EPOLLEXCLUSIVE,
 *	EPOLLWAKEUP) as epoll_ctl() took them, with EPOLLERR and EPOLLHUP
 *	(any bits: restart adds the watch with epoll_ctl()'s checks); a
 *	one-shot watch that fired has no event bits left, and comes back
 *	with EPOLLERR and EPOLLHUP, which epoll_ctl() always adds.
 * @pad: zero.
 * @data: its user data.
 */
struct ckpt_epoll_item {
	__u32 file;
	__s32 fd;
	__u32 events;
	__u32 pad;
	__u64 data;
};

/**
 * struct ckpt_inotify - CKPT_REC_INOTIFY, after the FILE record of an
 *	inotify instance, followed by @nr_watches INOTIFY_WATCH records in
 *	increasing wd order, then @nr_events INOTIFY_EVENT records in
 *	reading order
 * @nr_watches: number of watches, at most CKPT_INOTIFY_WATCHES_MAX
 *	(restart counts them against fs.inotify.max_user_watches).
 * @nr_events: number of events queued and not yet read, at most
 *	CKPT_INOTIFY_EVENTS_MAX (restart: at most the new instance's
 *	fs.inotify.max_queued_events, plus one IN_Q_OVERFLOW).
 * @next_wd: the watch descriptor the next inotify_add_watch() tries
 *	first (it takes the first free one from there, cyclically), 0 to
 *	2^31.
 * @pad: zero.
 */
struct ckpt_inotify {
	__u32 nr_watches;
	__u32 nr_events;
	__u32 next_wd;
	__u32 pad;
};

#define CKPT_INOTIFY_WATCHES_MAX	(1U << 20)
#define CKPT_INOTIFY_EVENTS_MAX		(1U << 20)
/* Bits of a watch's mask: its events and two flags. */
#define CKPT_INOTIFY_WATCH_MASK		0x84000fffU
/* Bits of an event's mask. */
#define CKPT_INOTIFY_EVENT_MASK		0x4000efffU

/**
 * struct ckpt_inotify_watch - CKPT_REC_INOTIFY_WATCH, one watch of an
 *	inotify instance, followed by @path_len bytes of path
 * @wd: its watch descriptor, 1 to 2^31 - 1; the same after restart.
 * @mask: events (IN_ACCESS..IN_MOVE_SELF), IN_ONESHOT and IN_EXCL_UNLINK,
 *	as inotify_add_watch() keeps them (IN_MASK_ADD, IN_MASK_CREATE,
 *	IN_ONLYDIR and IN_DONT_FOLLOW act when a watch is added and are not
 *	kept); may be 0.
 * @path_len: 1 to CKPT_PATH_MAX - 1: the path of the watched file, from
 *	the root of the container's mount namespace, as for a FILE record;
 *	a symbolic link is the link itself.  A watched file with no name
 *	(deleted) or out of the container's mount view is refused at
 *	checkpoint.
 * @pad: zero.
 */
struct ckpt_inotify_watch {
	__s32 wd;
	__u32 mask;
	__u32 path_len;
	__u32 pad;
};

/**
 * struct ckpt_inotify_event - CKPT_REC_INOTIFY_EVENT, an event not yet
 *	read, followed by @name_len bytes of name (no NUL)
 * @wd: the watch descriptor: 1 to 2^31 - 1, a watch of the instance or
 *	one removed since (an IN_IGNORED or IN_Q_OVERFLOW event of it comes
 *	later); -1 for IN_Q_OVERFLOW.
 * @mask: as read() gives it: CKPT_INOTIFY_EVENT_MASK bits; exactly
 *	IN_Q_OVERFLOW (0x4000) for the overflow event (at most one).
 * @cookie: ties IN_MOVED_FROM to IN_MOVED_TO.
 * @name_len: 0 to NAME_MAX (255): the name of a directory's entry the
 *	event is about; no '/' or NUL in it.  0 for the overflow event.
 */
struct ckpt_inotify_event {
	__s32 wd;
	__u32 mask;
	__u32 cookie;
	__u32 name_len;
};

/*
 * UNIX flags.  CLOSED: the socket has no open file: the peer closed its
 * end (or, with CKPT_CHECKPOINT_SUBTREE, held it outside the container).
 * AUTOBIND: bound to an automatic abstract name ("\0" and 5 hex digits,
 * autobind); restart binds it to a new automatic name.  SNDBUF, RCVBUF:
 * the process set SO_SNDBUF, SO_RCVBUF.  LISTEN: a listening socket.
 * PENDING: a connection in the queue of a listening socket, not yet
 * accepted; it has no open file.  ONEWAY: a datagram socket connected to
 * a socket of its group (@peer) that is not connected to it; see struct
 * ckpt_unix_group.
 */
#define CKPT_UNIX_CLOSED	(1U << 0)
#define CKPT_UNIX_PASSCRED	(1U << 1)	/* SO_PASSCRED */
#define CKPT_UNIX_PASSPIDFD	(1U << 2)	/* SO_PASSPIDFD */
#define CKPT_UNIX_PASSSEC	(1U << 3)	/* SO_PASSSEC */
#define CKPT_UNIX_AUTOBIND	(1U << 4)
#define CKPT_UNIX_SNDBUF	(1U << 5)
#define CKPT_UNIX_RCVBUF	(1U << 6)
#define CKPT_UNIX_LISTEN	(1U << 7)
#define CKPT_UNIX_PENDING	(1U << 8)
#define CKPT_UNIX_ONEWAY	(1U << 9)
#define CKPT_UNIX_FLAGS		0x3ffU

/* UNIX shutdown bits */
#define CKPT_UNIX_SHUT_RD	(1U << 0)	/* no more receptions */
#define CKPT_UNIX_SHUT_WR	(1U << 1)	/* no more transmissions */

/**
 * struct ckpt_unix - CKPT_REC_UNIX, a unix socket, before the first FILE of
 * it
 * @id: 1 for the first unix socket of the image, then one more for each.
 * @type: SOCK_STREAM (1), SOCK_DGRAM (2) or SOCK_SEQPACKET (5).
 * @shutdown: CKPT_UNIX_SHUT_* bits, as shutdown() and the peer's close()
 *	left them.
 * @peer: 0 for a socket connected to nothing; else the id of its peer.
 *	The two sockets of a connected pair (stream and seqpacket sockets,
 *	or datagram sockets connected to each other) are saved together: the
 *	first record names @id + 1 and the second @id - 1.  They are made
 *	again as by socketpair().  With CKPT_UNIX_ONEWAY, the socket of its
 *	group it is connected to.
 * @flags: CKPT_UNIX_* flags.  Only the second socket of a pair and a
 *	member of a group may be CKPT_UNIX_CLOSED; no FILE record names such
 *	a socket.
 * @nr_skbs: number of UNIX_SKB records of its receive queue.  They follow
 *	the record of the second socket of a pair: first those of the first
 *	socket's queue, then those of the second's; or the records of a
 *	group.  0 for a CLOSED socket, and for a socket neither in a pair nor
 *	in a group.
 * @err: pending error (SO_ERROR): 0 or ECONNRESET.
 * @sndbuf: SO_SNDBUF as getsockopt() reports it; applied with
 *	CKPT_UNIX_SNDBUF, with the limits of setsockopt() (net.core.wmem_max,
 *	or CAP_NET_ADMIN for SO_SNDBUFFORCE).
 * @rcvbuf: SO_RCVBUF likewise, with CKPT_UNIX_RCVBUF.
 * @peek_off: SO_PEEK_OFF, -1 when not set.
 * @rcvlowat: SO_RCVLOWAT, at least 1.
 * @rcvtimeo_ns: SO_RCVTIMEO, 0 for none.
 * @sndtimeo_ns: SO_SNDTIMEO, 0 for none.
 * @listener: for the server end of a connection made through a listening
 *	socket (accepted, or CKPT_UNIX_PENDING), the id of that socket,
 *	saved before; 0 otherwise.  Such a socket has the listener's name.
 * @nr_conns: CKPT_UNIX_LISTEN: the connections made through it that
 *	follow its record, as pairs of UNIX records (server end first, its
 *	client second) with their UNIX_SKB records: first the accepted ones,
 *	then the pending ones in the order accept() takes them.  0 otherwise.
 * @backlog: CKPT_UNIX_LISTEN: the backlog of listen(); 0 otherwise.
 * @name_len: length of the name that follows the record (the bytes of
 *	sun_path that bind() was given: a path from the container's root
 *	starting with '/', or an abstract name starting with '\0'); 0 for
 *	none, for CKPT_UNIX_AUTOBIND and for the server end of a connection.
 * @mode: a path name: the permission bits of the socket file; 0 otherwise.
 * @pad: zero.
 * @ino: a path name: the inode number of the socket file; 0 otherwise.
 *	Restart removes a socket file with that inode number left at the
 *	path (by the checkpointed container), as unlink() would, then binds;
 *	a file of another inode there makes it fail (EADDRINUSE).
 *
 * Restart makes a connected pair as socketpair() does, a connection
 * through a listening socket as connect() and accept() do, and a datagram
 * socket connected one way as connect() does (struct ckpt_unix_group).
 * SO_PEERCRED of a restored connection names the task that restored it,
 * with the credentials of the caller of restart(2).
 */
struct ckpt_unix {
	__u32 id;
	__u16 type;
	__u16 shutdown;
	__u32 peer;
	__u32 flags;
	__u32 nr_skbs;
	__s32 err;
	__s32 sndbuf;
	__s32 rcvbuf;
	__s32 peek_off;
	__s32 rcvlowat;
	__u64 rcvtimeo_ns;
	__u64 sndtimeo_ns;
	__u32 listener;
	__u32 nr_conns;
	__s32 backlog;
	__u32 name_len;
	__u32 mode;
	__u32 pad;
	__u64 ino;
};

/* At most this many UNIX_SKB records for one socket. */
#define CKPT_UNIX_SKBS_MAX	(1U << 20)
/* The largest queued message. */
#define CKPT_UNIX_MSG_MAX	(1U << 22)
/* At most this many connections follow a listening socket's record. */
#define CKPT_UNIX_CONNS_MAX	(1U << 20)

/* UNIX_SKB flags */
#define CKPT_UNIX_SKB_CREDS	(1U << 0)	/* carries credentials */

/**
 * struct ckpt_unix_skb - CKPT_REC_UNIX_SKB, a message (datagram, seqpacket)
 * or a run of bytes sent at once (stream) not yet received, followed by
 * @len bytes of data
 * @len: 0 to CKPT_UNIX_MSG_MAX bytes; at least 1 for a stream socket.
 * @flags: CKPT_UNIX_SKB_* flags.
 * @pid: CKPT_UNIX_SKB_CREDS: the sender's pid in the container (what
 *	SCM_CREDENTIALS reports); 0 otherwise.
 * @uid: CKPT_UNIX_SKB_CREDS: the sender's uid, as seen from the
 *	checkpointer's user namespace; 0 otherwise.
 * @gid: CKPT_UNIX_SKB_CREDS: its gid; 0 otherwise.
 * @sender: in a group, the id of the socket of the group that sent it;
 *	0 otherwise (the peer sent it).
 *
 * Restart sends each message again from its sender, with these credentials
 * in an SCM_CREDENTIALS message: the caller of restart(2) must be allowed
 * to send them (CAP_SYS_ADMIN over the container's pid namespace for
 * another process's pid, CAP_SETUID and CAP_SETGID for other ids).
 */
struct ckpt_unix_skb {
	__u32 len;
	__u32 flags;
	__s32 pid;
	__u32 uid;
	__u32 gid;
	__u32 sender;
};

/* At most this many sockets in a group. */
#define CKPT_UNIX_GROUP_MAX	(1U << 16)

/**
 * struct ckpt_unix_group - CKPT_REC_UNIX_GROUP, datagram sockets tied
 * otherwise than in pairs, before the first FILE of any of them
 * @nr_socks: the number of UNIX records that follow, 1 to
 *	CKPT_UNIX_GROUP_MAX, with consecutive ids; then the UNIX_SKB records
 *	of their queues, in the order of the sockets.
 * @pad: zero.
 *
 * A group holds the datagram sockets connected one way (CKPT_UNIX_ONEWAY)
 * and those they are connected to, and the sockets that sent the messages
 * queued on them other than through a pair: each socket of the group is
 * alone (no pair, no listening socket), and each UNIX_SKB names its
 * sender, a socket of the group.  A CLOSED socket of a group was closed
 * after it sent messages still queued; it has no name or an abstract one.
 * Restart makes and binds every socket, connects each CKPT_UNIX_ONEWAY
 * socket as connect() does, to the name its peer was just bound to, and
 * sends each queued message from its sender as send() does: through the
 * connection if the sender is connected to the receiver, else to the
 * receiver's name, as sendto() does (the receiver is not connected).
 * Then it closes the CLOSED sockets.
 */
struct ckpt_unix_group {
	__u32 nr_socks;
	__u32 pad;
};

/* TTY flags */
#define CKPT_TTY_LOCKED		(1U << 0)	/* TIOCSPTLCK: the slave is locked */
#define CKPT_TTY_PACKET		(1U << 1)	/* TIOCPKT: packet mode */
/* The slave was open, and every open file of it is closed. */
#define CKPT_TTY_SLAVE_CLOSED	(1U << 2)
#define CKPT_TTY_FLAGS		0x7U

/* The largest input a pty end's line discipline holds (N_TTY_BUF_SIZE - 1). */
#define CKPT_TTY_BUF_MAX	4095

/**
 * struct ckpt_termios - terminal settings, as TCGETS2 reports them
 * @iflag: c_iflag.
 * @oflag: c_oflag.
 * @cflag: c_cflag.
 * @lflag: c_lflag.
 * @ispeed: c_ispeed.
 * @ospeed: c_ospeed.
 * @line: the line discipline: N_TTY (0), the only one saved.
 * @cc: c_cc, the control characters (NCCS = 19 on x86_64).
 * @pad: zero.
 */
struct ckpt_termios {
	__u32 iflag;
	__u32 oflag;
	__u32 cflag;
	__u32 lflag;
	__u32 ispeed;
	__u32 ospeed;
	__u8 line;
	__u8 cc[19];
	__u8 pad[4];
};

/**
 * struct ckpt_tty - CKPT_REC_TTY, a Unix98 pty pair, before the first
 * FILE or CTTY record that names it, followed by @path_len bytes of the
 * path of the ptmx its master was opened through, then by two TTY_BUF
 * records: the master's input, then the slave's
 * @id: 1 for the first pty of the image, then one more for each.
 * @index: N of its slave, /dev/pts/N; restart gets the same N (EBUSY if
 *	it is taken), in the devpts instance of the container's /dev/pts.
 * @flags: CKPT_TTY_* flags.
 * @pktstatus: packet mode: the TIOCPKT_* status bits not yet read.
 * @path_len: length of the ptmx path, from the root of its mount
 *	namespace, 1..CKPT_PATH_MAX.
 * @mode: the slave's permission bits (07777), as chmod() sets them.
 * @uid: the slave's owner, as seen from the checkpointer's user namespace.
 * @gid: the slave's group.
 * @rows: TIOCGWINSZ ws_row.
 * @cols: ws_col.
 * @xpixel: ws_xpixel.
 * @ypixel: ws_ypixel.
 * @termios: the slave's settings (the master's are the driver's own and
 *	cannot be changed; TCSETS on the master sets the slave's).
 *
 * Restart opens ptmx, gives the slave its owner and mode as chown() and
 * chmod() do (with their checks) if the new one has others, sets the
 * lock, packet mode, window size and termios with the code of
 * TIOCSPTLCK, TIOCPKT, TIOCSWINSZ and TCSETS, and writes each end's input
 * back through the other end.
 */
struct ckpt_tty {
	__u32 id;
	__u32 index;
	__u32 flags;
	__u32 pktstatus;
	__u32 path_len;
	__u32 mode;
	__u32 uid;
	__u32 gid;
	__u16 rows;
	__u16 cols;
	__u16 xpixel;
	__u16 ypixel;
	struct ckpt_termios termios;
};

/* TTY_BUF ends */
#define CKPT_TTY_MASTER		0	/* what the master reads */
#define CKPT_TTY_SLAVE		1	/* what the slave reads */

/* TTY_BUF flags */
/* Read in canonical mode (ICANON): a bitmap of the line ends follows. */
#define CKPT_TTY_BUF_CANON	(1U << 0)

/**
 * struct ckpt_tty_buf - CKPT_REC_TTY_BUF, the input one end of a pty holds
 * and no reader took yet, followed by @len bytes, then, with
 * CKPT_TTY_BUF_CANON, (@len + 7) / 8 bytes of bitmap: bit i (byte i / 8,
 * bit i % 8) set if byte i ends a line
 * @tty: the id of the TTY record just before.
 * @end: CKPT_TTY_MASTER (the first TTY_BUF) or CKPT_TTY_SLAVE (the second).
 * @len: 0..CKPT_TTY_BUF_MAX bytes.
 * @flags: CKPT_TTY_BUF_* flags; only the slave reads in canonical mode.
 *
 * The bytes are those the reader would get, after input processing: in
 * canonical mode a line ends with its newline, EOL or EOL2 character, or
 * with a NUL for an EOF (which read() does not return); the bytes after
 * the last line end are the line being edited.  The bytes the line
 * discipline has not processed yet are not saved (checkpoint refuses a
 * pty whose line discipline is full).
 */
struct ckpt_tty_buf {
	__u32 tty;
	__u32 end;
	__u32 len;
	__u32 flags;
};

/* CTTY flags */
/* The session leader: the session's controlling terminal is the pty. */
#define CKPT_CTTY_LEADER	(1U << 0)
#define CKPT_CTTY_FLAGS		CKPT_CTTY_LEADER

/**
 * struct ckpt_ctty - CKPT_REC_CTTY, the controlling terminal of a process
 * (thread group leaders only), a pty of the container, in the process's
 * section before its FILES record
 * @tty: the id of an earlier TTY record.
 * @flags: CKPT_CTTY_* flags.  A session's leader makes the pty the
 *	controlling terminal as TIOCSCTTY does (it must not be another
 *	session's), then sets the foreground group; the other processes of
 *	the session take it as fork() passes it on.
 * @pgrp: CKPT_CTTY_LEADER: the foreground process group (TIOCGPGRP), a
 *	group of the session in the container; 0 otherwise.
 * @pad: zero.
 */
struct ckpt_ctty {
	__u32 tty;
	__u32 flags;
	__s32 pgrp;
	__u32 pad;
};

/**
 * struct ckpt_sigaction - disposition of one signal
 * @handler: SIG_DFL (0), SIG_IGN (1) or the handler's address.
 * @flags: SA_* flags.
 * @restorer: sa_restorer.
 * @mask: signals blocked while the handler runs (bit n-1 is signal n).
 */
struct ckpt_sigaction {
	__u64 handler;
	__u64 flags;
	__u64 restorer;
	__u64 mask;
};

/**
 * struct ckpt_sighand - CKPT_REC_SIGHAND
 * @action: dispositions of signals 1..64.
 */
struct ckpt_sighand {
	struct ckpt_sigaction action[64];
};

/**
 * struct ckpt_signals - CKPT_REC_SIGNALS
 * @blocked: blocked signals (bit n-1 is signal n).
 * @ss_sp: sigaltstack base.
 * @ss_size: sigaltstack size.
 * @ss_flags: SS_DISABLE, SS_AUTODISARM.
 * @nr_pending: number of SIGINFO records that follow.
 */
struct ckpt_signals {
	__u64 blocked;
	__u64 ss_sp;
	__u64 ss_size;
	__u32 ss_flags;
	__u32 nr_pending;
};
#define CKPT_PENDING_MAX	65536

/**
 * struct ckpt_siginfo - CKPT_REC_SIGINFO, one pending signal
 * @shared: 1 if pending on the process, 0 if on the thread.
 * @pad: zero.
 * @info: the siginfo_t as user space sees it (128 bytes).
 */
struct ckpt_siginfo {
	__u32 shared;
	__u32 pad;
	__u8 info[128];
};

/* How an interrupted system call goes on after restart. */
enum ckpt_restart_kind {
	CKPT_SYSCALL_NONE	= 0,	/* plain registers */
	CKPT_SYSCALL_NANOSLEEP	= 1,	/* a relative nanosleep: sleep on */
};

/**
 * struct ckpt_cpu - CKPT_REC_CPU: x86_64 general registers
 * @regs: r15, r14, r13, r12, bp, bx, r11, r10, r9, r8, ax, cx, dx, si, di,
 *	orig_ax, ip, cs, flags, sp, ss, fs_base, gs_base, ds, es, fs, gs: the
 *	order of struct user_regs_struct.
 * @restart: enum ckpt_restart_kind.
 * @clockid: CKPT_SYSCALL_NANOSLEEP: the clock.
 * @remaining_ns: CKPT_SYSCALL_NANOSLEEP: time left to sleep.
 * @rmtp: CKPT_SYSCALL_NANOSLEEP: where the remaining time is reported.
 * @rmtp_type: CKPT_SYSCALL_NANOSLEEP: 0 none, 1 native timespec.
 * @pad: zero.
 */
struct ckpt_cpu {
	__u64 regs[27];
	__u32 restart;
	__s32 clockid;
	__s64 remaining_ns;
	__u64 rmtp;
	__u32 rmtp_type;
	__u32 pad;
};

/**
 * struct ckpt_fpu - CKPT_REC_FPU, followed by @size bytes of XSAVE area in
 * the standard (non-compacted) format, as PTRACE_GETREGSET NT_X86_XSTATE
 * returns it
 * @size: size of the XSAVE area.
 * @pad: zero.
 * @xfeatures: XSTATE_BV of the area.
 */
struct ckpt_fpu {
	__u32 size;
	__u32 pad;
	__u64 xfeatures;
};
#define CKPT_FPU_MAX		(64 * 1024)

/**
 * struct ckpt_itimer - one interval timer
 * @value_ns: time left to the next expiry; 0 if disarmed.
 * @interval_ns: reload value.
 */
struct ckpt_itimer {
	__u64 value_ns;
	__u64 interval_ns;
};

/**
 * struct ckpt_itimers - CKPT_REC_ITIMERS, the process's setitimer() and
 * alarm() timers, followed by @nr_posix_timers POSIX_TIMER records
 * @it: ITIMER_REAL, ITIMER_VIRTUAL and ITIMER_PROF.  The value of
 *	ITIMER_VIRTUAL and ITIMER_PROF is process CPU time left.
 * @nr_posix_timers: number of POSIX_TIMER records after this one, at most
 *	CKPT_POSIX_TIMERS_MAX.
 * @next_posix_timer_id: the id the kernel tries first for the process's
 *	next timer_create(), 0..INT_MAX.
 */
struct ckpt_itimers {
	struct ckpt_itimer it[3];
	__u32 nr_posix_timers;
	__s32 next_posix_timer_id;
};
#define CKPT_POSIX_TIMERS_MAX	4096

/* ckpt_posix_timer.flags */
#define CKPT_TIMER_PENDING	0x1	/* its signal is queued, not delivered */
#define CKPT_TIMER_ABSTIME	0x2	/* CLOCK_REALTIME set with TIMER_ABSTIME */
#define CKPT_TIMER_FLAGS	0x3

/**
 * struct ckpt_posix_timer - CKPT_REC_POSIX_TIMER, one timer_create() timer
 * @id: the timer id that timer_create() returned, 0..INT_MAX; unique.
 * @clock: CLOCK_REALTIME, CLOCK_MONOTONIC, CLOCK_BOOTTIME or CLOCK_TAI.
 * @notify: SIGEV_SIGNAL, SIGEV_NONE, SIGEV_THREAD, or SIGEV_SIGNAL |
 *	SIGEV_THREAD_ID.
 * @signo: the signal sent on expiry (sigev_signo; kept as is for
 *	SIGEV_NONE, which sends nothing).
 * @tid: SIGEV_THREAD_ID: the thread signalled, in the container's pid
 *	namespace; otherwise 0.
 * @flags: CKPT_TIMER_*.
 * @sigval: sigev_value, as sival_ptr (sival_int is its low 32 bits).
 * @value_ns: time left to the next expiry, 0 if disarmed; with
 *	CKPT_TIMER_ABSTIME the CLOCK_REALTIME time of the expiry instead.
 * @interval_ns: reload value, 0 for a one-shot timer.
 * @overrun_last: what timer_getoverrun() returns once the pending signal,
 *	if any, has been delivered; 0..INT_MAX.
 * @overrun: CKPT_TIMER_PENDING: the si_overrun the pending signal
 *	delivers, 0..INT_MAX; otherwise 0.
 */
struct ckpt_posix_timer {
	__s32 id;
	__s32 clock;
	__s32 notify;
	__s32 signo;
	__s32 tid;
	__u32 flags;
	__u64 sigval;
	__u64 value_ns;
	__u64 interval_ns;
	__u32 overrun_last;
	__u32 overrun;
};

/**
 * struct ckpt_ipc_perm - identity and owners of a SysV IPC object
 * @key: its key; 0 (IPC_PRIVATE) for private objects and for segments
 *	marked for destruction.
 * @id: its identifier (shmid, msqid or semid), the same after restart.
 * @uid: owner, as seen from the checkpointer's user namespace.
 * @gid: owner's group.
 * @cuid: creator.
 * @cgid: creator's group.
 * @mode: permission bits (0777).
 * @pad: zero.
 */
struct ckpt_ipc_perm {
	__s32 key;
	__s32 id;
	__u32 uid;
	__u32 gid;
	__u32 cuid;
	__u32 cgid;
	__u32 mode;
	__u32 pad;
};

/* SHM flags */
#define CKPT_SHM_DEST		(1U << 0)	/* IPC_RMID done, still attached */
#define CKPT_SHM_FLAGS		CKPT_SHM_DEST

/**
 * struct ckpt_shm - CKPT_REC_SHM, a SysV shared memory segment, followed by
 * @nr_pages pages in PAGES records whose @addr is the byte offset in the
 * segment
 * @perm: key, id and owners.
 * @size: size in bytes (shm_segsz).
 * @nr_pages: number of saved pages: those that exist (resident or swapped);
 *	the others read as zero.
 * @atime: last shmat() (seconds since the epoch).
 * @dtime: last shmdt().
 * @ctime: creation or last IPC_SET.
 * @cpid: creator's pid in the container, or 0 if it is not in it.
 * @lpid: pid of the last shmat() or shmdt(), or 0.
 * @flags: CKPT_SHM_* flags.
 * @pad: zero.
 */
struct ckpt_shm {
	struct ckpt_ipc_perm perm;
	__u64 size;
	__u64 nr_pages;
	__s64 atime;
	__s64 dtime;
	__s64 ctime;
	__s32 cpid;
	__s32 lpid;
	__u32 flags;
	__u32 pad;
};

/**
 * struct ckpt_msq - CKPT_REC_MSQ, a SysV message queue, followed by
 * @nr_msgs MSG records, first message first
 * @perm: key, id and owners.
 * @qbytes: maximum number of bytes in the queue (msg_qbytes).
 * @nr_msgs: number of messages.
 * @stime: last msgsnd() (seconds since the epoch).
 * @rtime: last msgrcv().
 * @ctime: creation or last IPC_SET.
 * @lspid: pid of the last msgsnd() in the container, or 0.
 * @lrpid: pid of the last msgrcv(), or 0.
 */
struct ckpt_msq {
	struct ckpt_ipc_perm perm;
	__u64 qbytes;
	__u64 nr_msgs;
	__s64 stime;
	__s64 rtime;
	__s64 ctime;
	__s32 lspid;
	__s32 lrpid;
};

/**
 * struct ckpt_msg - CKPT_REC_MSG, one message, followed by @len bytes of
 * text
 * @type: its type, at least 1.
 * @len: its size, at most CKPT_MSG_MAX.
 * @pad: zero.
 */
struct ckpt_msg {
	__s64 type;
	__u32 len;
	__u32 pad;
};

#define CKPT_MSG_MAX		65536

/**
 * struct ckpt_sem_val - one semaphore of a SEM record
 * @val: its value, 0..32767 (SEMVMX).
 * @pid: pid of the last operation in the container, or 0.
 * @otime: last semop() on it (seconds since the epoch), or 0.
 */
struct ckpt_sem_val {
	__s32 val;
	__s32 pid;
	__s64 otime;
};

/**
 * struct ckpt_sem - CKPT_REC_SEM, a SysV semaphore set, followed by @nsems
 * struct ckpt_sem_val
 * @perm: key, id and owners.
 * @ctime: creation or last change by semctl() (seconds since the epoch).
 * @nsems: number of semaphores, 1..CKPT_SEM_NSEMS_MAX.
 * @pad: zero.
 */
struct ckpt_sem {
	struct ckpt_ipc_perm perm;
	__s64 ctime;
	__u32 nsems;
	__u32 pad;
};

#define CKPT_SEM_NSEMS_MAX	32000	/* SEMMSL */

/**
 * struct ckpt_sem_undo - CKPT_REC_SEM_UNDO, the adjustments a process
 * applies to one semaphore set when it exits (SEM_UNDO), followed by
 * @nsems __s16 adjustments
 * @semid: the set, one of the SEM records of the image.
 * @nsems: its number of semaphores.
 */
struct ckpt_sem_undo {
	__s32 semid;
	__u32 nsems;
};

/* At most this many SHM, MSQ and SEM records (3 * IPCMNI). */
#define CKPT_IPC_MAX		(3 * 32768)

/**
 * struct ckpt_trailer - CKPT_REC_TRAILER, the last record
 * @image_len: number of bytes before this record.
 * @csum: xxh64 (seed 0) of those bytes.
 */
struct ckpt_trailer {
	__u64 image_len;
	__u64 csum;
};

#endif /* _UAPI_LINUX_CKPT_H */
