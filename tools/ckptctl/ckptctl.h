/* SPDX-License-Identifier: GPL-2.0 */
/*
 * ckptctl: user-space tool of ckpt, checkpoint/restart of containers.
 *
 * Declarations shared by the tool's few files: main.c (commands),
 * container.c (cgroups, state, run), image.c (image decoder), info.c
 * (text and JSON output of the decoder) and util.c (errors, I/O).
 */
#ifndef CKPTCTL_H
#define CKPTCTL_H

#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/types.h>

#include <linux/ckpt.h>

#define CKPTCTL_VERSION		"0.1"

/*
 * Kernel ABI revisions (what the CKPT_ABI_VERSION query returns) that
 * ckptctl's calls need: the argument structs are those of ABI 1;
 * CKPT_CHECKPOINT_SUBTREE came with ABI 2.  Images are another matter:
 * ckptctl info reads format CKPT_FORMAT_VERSION only.
 */
#define CKPTCTL_ABI_MIN		1
#define CKPTCTL_ABI_SUBTREE	2

#define ARRAY_SIZE(a)		(sizeof(a) / sizeof((a)[0]))
#define __printf(a, b)		__attribute__((format(printf, a, b)))
#define __noreturn		__attribute__((noreturn))

/* Documented exit codes (see ckptctl(8)). */
#define EXIT_OK			0
#define EXIT_FAIL		1
#define EXIT_USAGE		2
#define EXIT_BADIMAGE		3

/* How long freezing, thawing and emptying a cgroup may take. */
#define CKPTCTL_TIMEOUT_MS	120000

#define NAME_MAX_LEN		64

extern const char *prog;
extern volatile sig_atomic_t interrupted;

/* util.c */
void err_msg(const char *fmt, ...) __printf(1, 2);
void err_errno(int errnum, const char *fmt, ...) __printf(2, 3);
void hint(const char *fmt, ...) __printf(1, 2);
void hint_errno(int errnum);
int usage_error(const char *cmd, const char *fmt, ...) __printf(2, 3);
ssize_t read_full(int fd, void *buf, size_t len);
int write_full(int fd, const void *buf, size_t len);
int read_small_file(const char *path, char *buf, size_t size);
int write_small_file(const char *path, const char *s);
int write_small_file_new(const char *path, const char *s);
void chomp(char *s);
int parse_pid(const char *s, pid_t *pid);
int str_copy(char *dst, size_t size, const char *src);
int path_join(char *buf, size_t size, const char *a, const char *b);
long now_ms(void);
void sleep_ms(int ms);
void install_signal_handlers(void);
void restore_signal_handlers(void);
int exit_code_of(int status);

/* Raw system calls: glibc has no wrapper for ours, and may lack others. */
long sys_checkpoint(const struct ckpt_checkpoint_args *args, size_t size,
		    unsigned int flags);
long sys_restart(const struct ckpt_restart_args *args, size_t size,
		 unsigned int flags);
int sys_pidfd_open(pid_t pid, unsigned int flags);
int sys_pidfd_send_signal(int pidfd, int sig);
int sys_close_range(unsigned int first, unsigned int last, unsigned int flags);
int ckpt_abi_query(bool restart, long *abi);
int ckpt_require_kernel(bool restart, long min_abi, const char *why);

int log_fd_create(void);
void log_fd_dump(int fd);

/* xxh64, in image.c */
struct xxh64_state {
	uint64_t v[4];
	uint64_t total_len;
	uint8_t buf[32];
	unsigned int buf_len;
};
void xxh64_init(struct xxh64_state *st, uint64_t seed);
void xxh64_update(struct xxh64_state *st, const void *data, size_t len);
uint64_t xxh64_digest(const struct xxh64_state *st);
uint64_t xxh64(const void *data, size_t len, uint64_t seed);

/*
 * Image decoder (image.c).  It reads an image strictly in order, validates
 * every record and hands each one, already checked, to a set of callbacks.
 * The callbacks print; the decoder keeps no record beyond the current one
 * (but the TREE records, which the task sections are checked against).
 */
struct image_totals {
	uint64_t records;
	uint64_t tasks;		/* TREE records */
	uint64_t threads;	/* of which threads (not group leaders) */
	uint64_t zombies;	/* of which zombies (no section) */
	uint64_t sections;	/* task sections (TASK...TASK_END) */
	uint64_t vmas;
	uint64_t tables;	/* file tables (FILES records of new ids) */
	uint64_t fds;		/* FD records */
	uint64_t files;		/* open files (FILE records) */
	uint64_t locks;		/* LOCK records */
	uint64_t pipes;		/* PIPE records */
	uint64_t pipe_bytes;	/* data buffered in them */
	uint64_t packets;	/* PIPE_BUF records that are packets */
	uint64_t unix_socks;	/* UNIX records */
	uint64_t unix_msgs;	/* UNIX_SKB records */
	uint64_t unix_bytes;	/* data queued in them */
	uint64_t ttys;		/* TTY records */
	uint64_t unlinked;	/* UNLINKED records */
	uint64_t tty_bytes;	/* input held in their TTY_BUF records */
	uint64_t inotify;	/* INOTIFY records */
	uint64_t inotify_watches; /* INOTIFY_WATCH records */
	uint64_t inotify_events; /* INOTIFY_EVENT records */
	uint64_t pages;
	uint64_t page_bytes;
	uint64_t shmem;		/* SHMEM objects */
	uint64_t ipc;		/* SysV IPC objects (SHM, MSQ, SEM) */
	uint64_t mounts;	/* MOUNT records */
	uint64_t tmpfs_entries;	/* TMPFS_ENTRY records */
	uint64_t tmpfs_bytes;	/* data of their files and links */
	uint64_t opaque;	/* records whose layout ckptctl does not know */
	uint64_t image_len;	/* bytes before the trailer */
	uint64_t size;		/* whole image, trailer included */
	uint64_t csum;		/* as recorded in the trailer */
	uint64_t csum_computed;
	bool have_trailer;
};

/*
 * Groups of records, announced by ->begin and ->finish: the callbacks
 * need them to open and close lists (JSON) or to print a heading.
 */
enum image_part {
	PART_TREE,		/* TREE records */
	PART_IPC,		/* SysV IPC objects and their PAGES/MSG */
	PART_SHMEM,		/* SHMEM objects and their PAGES */
	PART_TASKS,		/* the task sections */
	PART_POSIX_TIMERS,	/* POSIX_TIMER records of a leader */
	PART_FILES,		/* the FD records of a new file table, with
				   the PIPE, PIPE_BUF and FILE records
				   defined on the way */
	PART_PENDING,		/* SIGINFO records, after SIGNALS */
	PART_SEM_UNDO,		/* SEM_UNDO records of a leader */
	PART_MOUNTS,		/* MOUNT records, with their TMPFS_ENTRY */
};

struct image_ops {
	void (*header)(void *ctx, const struct ckpt_hdr *h);
	void (*container)(void *ctx, const struct ckpt_container *c);
	void (*begin)(void *ctx, enum image_part part);
	void (*finish)(void *ctx, enum image_part part);
	/* One TREE record, @index in the image's order. */
	void (*tree)(void *ctx, const struct ckpt_tree *t, uint32_t index);
	/* All of them, once checked: they form one tree rooted at [0]. */
	void (*tree_end)(void *ctx, const struct ckpt_tree *all, uint32_t nr);
	void (*shmem)(void *ctx, const struct ckpt_shmem *s, const char *name);
	void (*shmem_end)(void *ctx);
	/*
	 * PAGES records outside a VMA (SHMEM and SHM contents: @p->addr is
	 * an offset in the object).  Those of VMAs are only counted.
	 */
	void (*pages)(void *ctx, const struct ckpt_pages *p);
	/*
	 * A record without a callback of its own (IPC objects, POSIX
	 * timers, SEM_UNDO), checked like the others, or one the decoder
	 * only frames because its layout is not known to ckptctl.  @payload
	 * is NULL when the payload was skipped (checksummed, not kept); @len
	 * includes the header.
	 */
	void (*record)(void *ctx, uint32_t type, uint32_t len,
		       const void *payload);
	void (*task)(void *ctx, const struct ckpt_task *t,
		     const struct ckpt_tree *tree);
	void (*creds)(void *ctx, const struct ckpt_creds *c,
		      const uint32_t *groups);
	void (*rlimits)(void *ctx, const struct ckpt_rlimits *r);
	void (*itimers)(void *ctx, const struct ckpt_itimers *it);
	void (*fs)(void *ctx, const struct ckpt_fs *f, const char *root,
		   const char *cwd);
	void (*mm)(void *ctx, const struct ckpt_mm *m, const char *exe);
	void (*vma)(void *ctx, const struct ckpt_vma *v, const char *path);
	void (*mm_end)(void *ctx);
	/*
	 * A task's FILES record: @saved_before when it names a table an
	 * earlier task saved (no FD records follow then; PART_FILES is not
	 * announced).
	 */
	void (*files)(void *ctx, const struct ckpt_files *f, bool saved_before);
	/* PIPE, then its PIPE_BUF records (@data: @b->len bytes), then end. */
	void (*pipe)(void *ctx, const struct ckpt_pipe *p);
	void (*pipe_buf)(void *ctx, const struct ckpt_pipe_buf *b,
			 const void *data);
	void (*pipe_end)(void *ctx);
	/* An open file seen for the first time; @path is "" if it has none. */
	/* A file with no name, before its first FILE (data: PAGES, skipped). */
	void (*unlinked)(void *ctx, const struct ckpt_unlinked *u,
			 const char *dir);
	void (*file)(void *ctx, const struct ckpt_file *f, const char *path);
	/* One descriptor; @f is the open file it names (defined before). */
	void (*fd)(void *ctx, const struct ckpt_fd *fd);
	/* A file lock, after its FILE (flock, OFD) or its table's FDs (POSIX). */
	void (*lock)(void *ctx, const struct ckpt_lock *l);
	/*
	 * Optional: the state of event file @f, after its FILE record: @rec
	 * is a struct ckpt_eventfd, _signalfd, _timerfd, _epoll or
	 * _epoll_item, by @type (CKPT_REC_*).
	 */
	void (*event_file)(void *ctx, const struct ckpt_file *f, uint32_t type,
			   const void *rec);
	/*
	 * A unix socket (UNIX record; a pair gives two in a row, a listening
	 * socket one, then a pair per connection) with its name (@name:
	 * @u->name_len bytes, not NUL-terminated), then each message queued
	 * on it (UNIX_SKB; the data is not passed).  A group of datagram
	 * sockets (UNIX_GROUP, @first the id of its first socket) comes
	 * before its @g->nr_socks sockets, then the messages queued on
	 * them, each naming its sender (@b->sender).  Optional.
	 */
	void (*unix_group)(void *ctx, const struct ckpt_unix_group *g,
			   uint32_t first);
	void (*unix_sock)(void *ctx, const struct ckpt_unix *u,
			  const char *name);
	void (*unix_skb)(void *ctx, const struct ckpt_unix *u,
			 const struct ckpt_unix_skb *b);
	/*
	 * A pty (TTY record, @ptmx its ptmx path), then the input of each
	 * end (TTY_BUF, @data: @b->len bytes then the line-end bitmap), and
	 * a process's controlling terminal (CTTY).  Optional.
	 */
	void (*tty)(void *ctx, const struct ckpt_tty *t, const char *ptmx);
	void (*tty_buf)(void *ctx, const struct ckpt_tty_buf *b,
			const void *data);
	void (*ctty)(void *ctx, const struct ckpt_ctty *c);
	/*
	 * A mount (MOUNT record; @source is NULL but for a bind), then for
	 * a tmpfs each of its files (TMPFS_ENTRY; @name is "" for its root,
	 * the data is not passed), then mount_end.  Optional.
	 */
	void (*mount)(void *ctx, const struct ckpt_mount *m, const char *path,
		      const char *source, const char *fstype);
	void (*tmpfs_entry)(void *ctx, const struct ckpt_tmpfs_entry *e,
			    const char *name);
	void (*mount_end)(void *ctx);
	void (*sighand)(void *ctx, const struct ckpt_sighand *s);
	void (*signals)(void *ctx, const struct ckpt_signals *s);
	void (*siginfo)(void *ctx, const struct ckpt_siginfo *si);
	void (*cpu)(void *ctx, const struct ckpt_cpu *c);
	void (*fpu)(void *ctx, const struct ckpt_fpu *f);
	void (*task_end)(void *ctx);
	/* Called once at the end; @err is NULL for a valid image. */
	void (*end)(void *ctx, const struct image_totals *t, const char *err,
		    uint64_t err_off);
};

#define IMAGE_OK	0
#define IMAGE_INVALID	1	/* decoding error, reported through ->end */
#define IMAGE_IOERR	2	/* read error, errno set */

/* Name of a record type ("SHM"), or NULL if unknown. */
const char *image_rec_name(uint32_t type);
int image_decode(int fd, const struct image_ops *ops, void *ctx);

/* info.c */
int cmd_info(int argc, char **argv);

/* container.c */
struct container {
	char name[NAME_MAX_LEN + 1];
	bool named;		/* has state in the run directory */
	pid_t pid;		/* init, in our pid namespace; 0 if unknown */
	char cgroup[4096];	/* absolute path of its cgroup directory */
};

const char *cgroup_root(void);
const char *run_dir(void);
int name_valid(const char *name);
int container_resolve(const char *arg, struct container *c);
int container_claim(const char *name, struct container *c);
int container_release(struct container *c);
int container_save_state(const struct container *c, const char *log);
int container_remove_state(const struct container *c);
bool container_alive(const struct container *c);
int cgroup_read_freeze(const char *cg, int *val);
int cgroup_freeze(const char *cg, bool freeze);
int cgroup_wait_empty(const char *cg, int timeout_ms);
int cgroup_kill(const char *cg);
int container_run(struct container *c, const char *log, char **argv,
		  pid_t *pid);
int container_wait(struct container *c, pid_t pid);
int container_pidfd(const struct container *c);
int container_kill(struct container *c);
bool container_owns_cgroup(const struct container *c);
int container_list(void);

#endif /* CKPTCTL_H */
