/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Helpers shared by the C tests of ckpt: raw system call wrappers, a test
 * container (a pid namespace in a cgroup of its own, running ckpt_target),
 * and image handling (record walk, xxh64).
 *
 * Compile with -isystem <headers_install>/include so that linux/ckpt.h and
 * asm/unistd_64.h come from the patched tree.
 */
#ifndef CKPT_TEST_H
#define CKPT_TEST_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>
#include <unistd.h>

#include <asm/unistd_64.h>
#include <linux/ckpt.h>

#ifndef __NR_checkpoint
#error "asm/unistd_64.h has no __NR_checkpoint: build with -isystem $(HDR)"
#endif

/* The name of the program a test container runs (next to the tests). */
#define CKPT_TARGET_NAME	"ckpt_target"
/* Its comm, as the kernel's log names it ("task 1 (ckpt_target)"). */
#define CKPT_TARGET_COMM	"ckpt_target"
/* Exit status of ckpt_target on SIGUSR1 when its memory is intact. */
#define CKPT_TARGET_OK		42
/* ... and when it is not. */
#define CKPT_TARGET_BAD		43

static inline long sys_checkpoint(const void *args, size_t size,
				  unsigned int flags)
{
	return syscall(__NR_checkpoint, args, size, flags);
}

static inline long sys_restart(const void *args, size_t size,
			       unsigned int flags)
{
	return syscall(__NR_restart, args, size, flags);
}

/*
 * A test container: ckpt_target as the init of a new pid namespace, in a
 * cgroup of its own, a child of the caller.
 */
struct ct {
	pid_t pid;		/* pid of the init, in our pid namespace */
	int pidfd;		/* its pidfd */
	int cgfd;		/* O_DIRECTORY fd of the cgroup */
	char cgpath[256];	/* path of the cgroup */
};

/* Modes of ckpt_target (its argv[1]). */
#define CT_IDLE		"idle"	/* waits in pause() */
#define CT_SOCKET	"socket"	/* holds an inet socket: unsupported */
#define CT_FILES	"files"	/* holds pipes, a dup, a memfd (format 4) */
#define CT_CHILD	"child"	/* has a child process (pid 2) */
#define CT_SPIN		"spin"	/* busy loop in user space */

int ct_cgroup_create(struct ct *ct, const char *tag);
int ct_cgroup_destroy(struct ct *ct);
int ct_cgroup_nr_procs(const struct ct *ct);
int ct_start(struct ct *ct, const char *tag, const char *mode);
int ct_freeze(struct ct *ct);
int ct_thaw(struct ct *ct);
int ct_reap(pid_t pid, int *status, int timeout_ms);
void ct_destroy(struct ct *ct);
const char *ct_target_path(void);

int memfd(const char *name);
char *fd_read_all(int fd, size_t *len);
int fd_write_all(int fd, const void *buf, size_t len);
off_t fd_size(int fd);

/* Drop to uid/gid 65534 with no capabilities at all. */
int drop_privileges(void);

/* Checkpoint the frozen container @ct to a new memfd; returns it or -1. */
int ct_checkpoint_memfd(struct ct *ct, unsigned int flags, int logfd);

/* Image handling (image.c). */
uint64_t xxh64(const void *buf, size_t len, uint64_t seed);

struct img_rec {
	size_t off;	/* offset of the record header */
	uint32_t type;
	uint32_t len;
};

/*
 * Walks the records of @img; fills up to @max entries of @recs and returns
 * the number of records, or -1 if the image is not well formed.
 */
int img_walk(const unsigned char *img, size_t len, struct img_rec *recs,
	     int max);
/* Index in @recs of the @nth (from 0) record of @type, or -1. */
int img_find(const struct img_rec *recs, int n, uint32_t type, int nth);
/* Recomputes the trailer of a well-formed image after an edit. */
int img_fix_trailer(unsigned char *img, size_t len);
/* Checks the trailer's length and checksum; 0 if they match. */
int img_check_trailer(const unsigned char *img, size_t len);
/*
 * Checks that the records come in the documented order (format 4: the
 * TREE, IPC objects, SHMEM objects, then a section per live task whose
 * records depend on its TREE flags and leader-ness; FILES and its
 * descriptors with the PIPE and FILE records they define) with consistent
 * lengths, counts and object ids, and the container's clocks in range; 0
 * if so, else -1 with the first problem in @why.
 * Records whose layout is not declared (IPC, POSIX_TIMER, SEM_UNDO) are
 * only placed, not checked.
 */
int img_check_layout(const unsigned char *img, size_t len, char *why,
		     size_t whylen);

/* The most CONTAINER.monotonic_ns or boottime_ns may be: KTIME_SEC_MAX / 2 s. */
#define CKPT_CLOCK_NS_MAX	((INT64_MAX / 1000000000LL / 2) * 1000000000LL)

/* Checks that the caller has no child left (a restart leaked nothing). */
int no_children_left(int grace_ms);

#endif /* CKPT_TEST_H */
