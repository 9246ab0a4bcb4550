// SPDX-License-Identifier: GPL-2.0
/*
 * ckpt contract tests: the checkpoint(2) and restart(2) system calls as
 * include/uapi/linux/ckpt.h and their kernel-doc describe them.
 *
 * The ABI part (flags, size-versioned arguments, fds) runs once per system
 * call through a fixture variant.  The container part builds its own
 * containers (lib/container.c) rather than calling ckptctl, so that it
 * tests the kernel alone.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/ptrace.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include "lib/ckpt_test.h"

/*
 * The errnos this suite expects, in one place (from the kernel-doc of
 * sys_checkpoint() and sys_restart()).
 */
#define ERR_UNKNOWN_FLAGS	EINVAL	/* flag bits the kernel does not know */
#define ERR_ABI_QUERY_ARGS	EINVAL	/* ABI query with args, size or flags */
#define ERR_SIZE_SMALL		EINVAL	/* size < CKPT_*_ARGS_SIZE_VER0 */
#define ERR_SIZE_TAIL		E2BIG	/* non-zero bytes past the struct */
#define ERR_SIZE_PAGE		E2BIG	/* size > PAGE_SIZE */
#define ERR_FAULT		EFAULT	/* unreadable args */
#define ERR_RESERVED		EINVAL	/* reserved field not zero */
#define ERR_BADF		EBADF	/* fd not open, or in the wrong mode */
#define ERR_NOT_INIT		EINVAL	/* target not the init of a child pidns */
#define ERR_NOT_FROZEN		EBUSY
#define ERR_PTRACED		EBUSY
#define ERR_UNPRIV		EPERM	/* checkpoint: EACCES accepted too */
#define ERR_UNSUPPORTED		EOPNOTSUPP
#define ERR_RESTART_UNPRIV	EPERM

/* Slow guests: QEMU TCG with KASAN and lockdep. */
#define CT_TIMEOUT		300

#define ASSERT_FAILS_WITH(expr, err) do {				\
		long __ret = (expr);					\
		int __err = errno;					\
		ASSERT_EQ(-1, __ret) {					\
			TH_LOG("%s succeeded, expected %s", #expr,	\
			       strerrorname_np(err));			\
		}							\
		ASSERT_EQ(err, __err) {					\
			TH_LOG("%s: expected %s, got %s", #expr,	\
			       strerrorname_np(err),			\
			       strerrorname_np(__err));			\
		}							\
	} while (0)

static int pidfd_open(pid_t pid)
{
	return syscall(__NR_pidfd_open, pid, 0);
}

/* Opens a second, read-only or write-only, description of @fd. */
static int reopen(int fd, int flags)
{
	char path[64];

	snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
	return open(path, flags | O_CLOEXEC);
}

TEST(abi_query)
{
	long ret = sys_checkpoint(NULL, 0, CKPT_ABI_VERSION);

	if (ret < 0 && errno == ENOSYS)
		TH_LOG("checkpoint(2) is not in this kernel (CONFIG_CKPT?)");
	ASSERT_EQ(CKPT_ABI, ret);
	ASSERT_EQ(CKPT_ABI, sys_restart(NULL, 0, CKPT_ABI_VERSION));
	/* ABI 2: CKPT_CHECKPOINT_SUBTREE; these tests know image format 6. */
	ASSERT_LE(2, ret);
	ASSERT_EQ(6, CKPT_FORMAT_VERSION);
}

/*
 * CKPT_CHECKPOINT_SUBTREE (ABI 2) is a checkpoint flag: accepted there
 * (the call gets as far as the fds), unknown to restart (EINVAL).
 */
TEST(subtree_flag)
{
	struct ckpt_checkpoint_args cargs = { -1, -1, -1, 0 };
	struct ckpt_restart_args rargs = { -1, -1, -1, 0 };

	ASSERT_NE(0, CKPT_CHECKPOINT_FLAGS & CKPT_CHECKPOINT_SUBTREE);
	ASSERT_EQ(0, CKPT_RESTART_FLAGS & CKPT_CHECKPOINT_SUBTREE);
	ASSERT_FAILS_WITH(sys_checkpoint(&cargs, sizeof(cargs),
					 CKPT_CHECKPOINT_SUBTREE), ERR_BADF);
	ASSERT_FAILS_WITH(sys_checkpoint(&cargs, sizeof(cargs),
					 CKPT_CHECKPOINT_SUBTREE |
					 CKPT_CHECKPOINT_KILL), ERR_BADF);
	ASSERT_FAILS_WITH(sys_restart(&rargs, sizeof(rargs),
				      CKPT_CHECKPOINT_SUBTREE),
			  ERR_UNKNOWN_FLAGS);
	ASSERT_FAILS_WITH(sys_restart(&rargs, sizeof(rargs),
				      CKPT_CHECKPOINT_SUBTREE |
				      CKPT_RESTART_FILES_CHANGED),
			  ERR_UNKNOWN_FLAGS);
	/* Nor does the ABI query take it. */
	ASSERT_FAILS_WITH(sys_checkpoint(NULL, 0, CKPT_ABI_VERSION |
					 CKPT_CHECKPOINT_SUBTREE),
			  ERR_ABI_QUERY_ARGS);
	ASSERT_EQ(0, no_children_left(0));
}

/* The ABI part, once for each system call. */
FIXTURE(abi) {
	unsigned char *buf;	/* two pages, the second PROT_NONE */
	long page;
};

FIXTURE_VARIANT(abi) {
	long nr;
	unsigned int known_flags;
};

FIXTURE_VARIANT_ADD(abi, checkpoint) {
	.nr = __NR_checkpoint,
	.known_flags = CKPT_CHECKPOINT_FLAGS,
};

FIXTURE_VARIANT_ADD(abi, restart) {
	.nr = __NR_restart,
	.known_flags = CKPT_RESTART_FLAGS,
};

/*
 * Both argument structs are 16 bytes: three fds then a reserved word.  All
 * fds at -1 is invalid for both calls (EBADF) but gets past every check
 * before the fds, which shows a size or flags was accepted.
 */
struct any_args {
	__s32 a, b, c;
	__u32 reserved;
};

static struct any_args *args_at(FIXTURE_DATA(abi) *self, size_t size)
{
	/* Place the struct so that it ends exactly at the PROT_NONE page. */
	struct any_args *args = (void *)(self->buf + self->page - size);

	memset(args, 0, size);
	args->a = -1;
	args->b = -1;
	args->c = -1;
	return args;
}

FIXTURE_SETUP(abi)
{
	_Static_assert(sizeof(struct ckpt_checkpoint_args) ==
		       sizeof(struct any_args), "checkpoint args size");
	_Static_assert(sizeof(struct ckpt_restart_args) ==
		       sizeof(struct any_args), "restart args size");
	_Static_assert(offsetof(struct ckpt_checkpoint_args, reserved) ==
		       offsetof(struct any_args, reserved), "reserved");
	_Static_assert(offsetof(struct ckpt_restart_args, reserved) ==
		       offsetof(struct any_args, reserved), "reserved");

	self->page = sysconf(_SC_PAGESIZE);
	self->buf = mmap(NULL, 2 * self->page, PROT_READ | PROT_WRITE,
			 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(MAP_FAILED, self->buf);
	ASSERT_EQ(0, mprotect(self->buf + self->page, self->page, PROT_NONE));
}

FIXTURE_TEARDOWN(abi)
{
	munmap(self->buf, 2 * self->page);
}

static long call(const FIXTURE_VARIANT(abi) *variant, const void *args,
		 size_t size, unsigned int flags)
{
	return syscall(variant->nr, args, size, flags);
}

TEST_F(abi, abi_query_exact)
{
	struct any_args *args = args_at(self, sizeof(*args));
	unsigned int bit;

	ASSERT_EQ(CKPT_ABI, call(variant, NULL, 0, CKPT_ABI_VERSION));
	/* The query takes nothing else. */
	ASSERT_FAILS_WITH(call(variant, args, 0, CKPT_ABI_VERSION),
			  ERR_ABI_QUERY_ARGS);
	ASSERT_FAILS_WITH(call(variant, NULL, sizeof(*args), CKPT_ABI_VERSION),
			  ERR_ABI_QUERY_ARGS);
	for (bit = 1; bit < 32; bit++) {
		if (!(variant->known_flags & (1U << bit)))
			continue;
		ASSERT_FAILS_WITH(call(variant, NULL, 0,
				       CKPT_ABI_VERSION | (1U << bit)),
				  ERR_ABI_QUERY_ARGS);
	}
}

TEST_F(abi, unknown_flags)
{
	struct any_args *args = args_at(self, sizeof(*args));
	unsigned int bit;
	int tested = 0;

	/* Sanity: the same call with no flag gets as far as the fds. */
	ASSERT_FAILS_WITH(call(variant, args, sizeof(*args), 0), ERR_BADF);
	for (bit = 0; bit < 32; bit++) {
		if (variant->known_flags & (1U << bit))
			continue;
		ASSERT_FAILS_WITH(call(variant, args, sizeof(*args), 1U << bit),
				  ERR_UNKNOWN_FLAGS);
		/* With a known flag beside it, too. */
		ASSERT_FAILS_WITH(call(variant, args, sizeof(*args),
				       (1U << bit) | (1U << 1)),
				  ERR_UNKNOWN_FLAGS);
		tested++;
	}
	ASSERT_LT(26, tested);
}

TEST_F(abi, bad_pointer)
{
	struct any_args *args = args_at(self, sizeof(*args));

	ASSERT_FAILS_WITH(call(variant, NULL, sizeof(*args), 0), ERR_FAULT);
	ASSERT_FAILS_WITH(call(variant, (void *)1, sizeof(*args), 0),
			  ERR_FAULT);
	/* Straddling into the PROT_NONE page. */
	ASSERT_FAILS_WITH(call(variant, (char *)args + 8, sizeof(*args), 0),
			  ERR_FAULT);
	/* The struct readable, the extension past it not. */
	ASSERT_FAILS_WITH(call(variant, args, sizeof(*args) + 8, 0), ERR_FAULT);
}

TEST_F(abi, size_too_small)
{
	static const size_t sizes[] = { 0, 1, 7, 8, 15 };
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(sizes); i++) {
		struct any_args *args = args_at(self, sizeof(*args));

		long ret = call(variant, args, sizes[i], 0);
		int err = errno;

		ASSERT_EQ(-1, ret) {
			TH_LOG("size %zu accepted", sizes[i]);
		}
		ASSERT_EQ(ERR_SIZE_SMALL, err) {
			TH_LOG("size %zu: %s", sizes[i], strerrorname_np(err));
		}
	}
}

TEST_F(abi, size_larger)
{
	unsigned char *big;
	struct any_args *args;
	size_t size;

	/* Zeroes past the struct are accepted: the call gets to the fds. */
	for (size = sizeof(*args); size <= 64; size += 4) {
		args = args_at(self, size);
		ASSERT_FAILS_WITH(call(variant, args, size, 0), ERR_BADF);
	}
	/* Any non-zero byte past it is refused. */
	for (size = sizeof(*args) + 1; size <= 64; size++) {
		args = args_at(self, size);
		((unsigned char *)args)[size - 1] = 0x01;
		ASSERT_FAILS_WITH(call(variant, args, size, 0), ERR_SIZE_TAIL);
	}
	args = args_at(self, 24);
	((unsigned char *)args)[16] = 0x80;
	ASSERT_FAILS_WITH(call(variant, args, 24, 0), ERR_SIZE_TAIL);

	/* A whole page of zeroes past the fields is still fine. */
	big = self->buf;
	args = args_at(self, self->page);
	ASSERT_EQ((void *)big, (void *)args);
	ASSERT_FAILS_WITH(call(variant, args, self->page, 0), ERR_BADF);
	big[self->page - 2] = '.';
	ASSERT_FAILS_WITH(call(variant, args, self->page, 0), ERR_SIZE_TAIL);
	/* More than a page: refused whatever it holds. */
	big = malloc(2 * self->page);
	ASSERT_NE(NULL, big);
	memset(big, 0, 2 * self->page);
	memcpy(big, args_at(self, sizeof(*args)), sizeof(*args));
	ASSERT_FAILS_WITH(call(variant, big, self->page + 1, 0), ERR_SIZE_PAGE);
	free(big);
}

TEST_F(abi, reserved)
{
	unsigned int bit;

	for (bit = 0; bit < 32; bit++) {
		struct any_args *args = args_at(self, sizeof(*args));

		args->reserved = 1U << bit;
		ASSERT_FAILS_WITH(call(variant, args, sizeof(*args), 0),
				  ERR_RESERVED);
	}
}

/* Every fd of the args, one by one: not open, or open in the wrong mode. */
TEST(checkpoint_bad_fds)
{
	int img = memfd("img"), log = memfd("log");
	int ro = reopen(img, O_RDONLY), rolog = reopen(log, O_RDONLY);
	int self_pidfd = pidfd_open(getpid());
	struct ckpt_checkpoint_args args;

	ASSERT_LE(0, img);
	ASSERT_LE(0, log);
	ASSERT_LE(0, ro);
	ASSERT_LE(0, rolog);
	ASSERT_LE(0, self_pidfd);

	args = (struct ckpt_checkpoint_args){ self_pidfd, -1, log, 0 };
	ASSERT_FAILS_WITH(sys_checkpoint(&args, sizeof(args), 0), ERR_BADF);
	args = (struct ckpt_checkpoint_args){ self_pidfd, 1000, log, 0 };
	ASSERT_FAILS_WITH(sys_checkpoint(&args, sizeof(args), 0), ERR_BADF);
	args = (struct ckpt_checkpoint_args){ self_pidfd, ro, log, 0 };
	ASSERT_FAILS_WITH(sys_checkpoint(&args, sizeof(args), 0), ERR_BADF);
	args = (struct ckpt_checkpoint_args){ self_pidfd, img, rolog, 0 };
	ASSERT_FAILS_WITH(sys_checkpoint(&args, sizeof(args), 0), ERR_BADF);
	args = (struct ckpt_checkpoint_args){ self_pidfd, img, 1000, 0 };
	ASSERT_FAILS_WITH(sys_checkpoint(&args, sizeof(args), 0), ERR_BADF);
	args = (struct ckpt_checkpoint_args){ -1, img, log, 0 };
	ASSERT_FAILS_WITH(sys_checkpoint(&args, sizeof(args), 0), ERR_BADF);
	args = (struct ckpt_checkpoint_args){ 1000, img, log, 0 };
	ASSERT_FAILS_WITH(sys_checkpoint(&args, sizeof(args), 0), ERR_BADF);
	/* An open fd that is not a pidfd. */
	args = (struct ckpt_checkpoint_args){ log, img, -1, 0 };
	ASSERT_FAILS_WITH(sys_checkpoint(&args, sizeof(args), 0), ERR_BADF);
	/* Nothing was ever written to the image. */
	ASSERT_EQ(0, fd_size(img));
}

TEST(restart_bad_fds)
{
	int img = memfd("img"), log = memfd("log");
	int wo = reopen(img, O_WRONLY), rolog = reopen(log, O_RDONLY);
	struct ckpt_restart_args args;

	ASSERT_LE(0, img);
	ASSERT_LE(0, log);
	ASSERT_LE(0, wo);
	ASSERT_LE(0, rolog);

	args = (struct ckpt_restart_args){ -1, log, -1, 0 };
	ASSERT_FAILS_WITH(sys_restart(&args, sizeof(args), 0), ERR_BADF);
	args = (struct ckpt_restart_args){ 1000, log, -1, 0 };
	ASSERT_FAILS_WITH(sys_restart(&args, sizeof(args), 0), ERR_BADF);
	args = (struct ckpt_restart_args){ wo, log, -1, 0 };
	ASSERT_FAILS_WITH(sys_restart(&args, sizeof(args), 0), ERR_BADF);
	args = (struct ckpt_restart_args){ img, rolog, -1, 0 };
	ASSERT_FAILS_WITH(sys_restart(&args, sizeof(args), 0), ERR_BADF);
	args = (struct ckpt_restart_args){ img, 1000, -1, 0 };
	ASSERT_FAILS_WITH(sys_restart(&args, sizeof(args), 0), ERR_BADF);
	ASSERT_EQ(0, no_children_left(0));
}

/*
 * The container part: each test starts the containers it needs; the
 * teardown kills whatever is left.
 */
FIXTURE(ct) {
	struct ct ct;		/* the container checkpointed */
	struct ct rst;		/* the cgroup a restart goes into */
	int img;		/* image memfd */
	int log;		/* log memfd */
};

FIXTURE_SETUP(ct)
{
	memset(&self->ct, 0, sizeof(self->ct));
	memset(&self->rst, 0, sizeof(self->rst));
	self->ct.pid = self->rst.pid = -1;
	self->ct.pidfd = self->rst.pidfd = -1;
	self->ct.cgfd = self->rst.cgfd = -1;
	self->img = memfd("img");
	self->log = memfd("log");
	ASSERT_LE(0, self->img);
	ASSERT_LE(0, self->log);
}

FIXTURE_TEARDOWN(ct)
{
	ct_destroy(&self->ct);
	ct_destroy(&self->rst);
	close(self->img);
	close(self->log);
}

static void start(struct __test_metadata *_metadata, FIXTURE_DATA(ct) *self,
		  const char *mode, bool freeze)
{
	int ret = ct_start(&self->ct, "contract", mode), err = errno;

	ASSERT_EQ(0, ret) {
		TH_LOG("cannot start ckpt_target %s: %s", mode,
		       strerrorname_np(err));
	}
	if (freeze) {
		ret = ct_freeze(&self->ct);
		err = errno;
		ASSERT_EQ(0, ret) {
			TH_LOG("cannot freeze the container: %s",
			       strerrorname_np(err));
		}
	}
}

static long do_checkpoint(FIXTURE_DATA(ct) *self, unsigned int flags)
{
	struct ckpt_checkpoint_args args = {
		.pidfd = self->ct.pidfd,
		.fd = self->img,
		.logfd = self->log,
	};

	return sys_checkpoint(&args, sizeof(args), flags);
}

/* The log of the last operation, NUL-terminated (freed by the caller). */
static char *log_text(FIXTURE_DATA(ct) *self)
{
	size_t len;

	return fd_read_all(self->log, &len);
}

#define ASSERT_LOG_HAS(needle) do {					\
		char *__log = log_text(self);				\
		ASSERT_NE(NULL, __log);					\
		ASSERT_NE(NULL, strstr(__log, needle)) {		\
			TH_LOG("log lacks \"%s\": \"%s\"", needle, __log); \
		}							\
		free(__log);						\
	} while (0)

/* The container is still there, neither killed nor reaped. */
static bool still_running(pid_t pid)
{
	int status;

	return waitpid(pid, &status, WNOHANG) == 0;
}

TEST_F_TIMEOUT(ct, not_frozen, CT_TIMEOUT)
{
	start(_metadata, self, CT_IDLE, false);
	ASSERT_FAILS_WITH(do_checkpoint(self, 0), ERR_NOT_FROZEN);
	ASSERT_LOG_HAS("frozen");
	ASSERT_EQ(0, fd_size(self->img));
	ASSERT_TRUE(still_running(self->ct.pid));

	/* A frozen then thawed container is not frozen either. */
	ASSERT_EQ(0, ct_freeze(&self->ct));
	ASSERT_EQ(0, ct_thaw(&self->ct));
	ASSERT_FAILS_WITH(do_checkpoint(self, CKPT_CHECKPOINT_KILL),
			  ERR_NOT_FROZEN);
	ASSERT_EQ(0, fd_size(self->img));
	ASSERT_TRUE(still_running(self->ct.pid));
}

TEST_F_TIMEOUT(ct, not_init, CT_TIMEOUT)
{
	struct ckpt_checkpoint_args args = { .fd = self->img,
					     .logfd = self->log };

	/* Ourselves: not the init of a pid namespace below ours. */
	args.pidfd = pidfd_open(getpid());
	ASSERT_LE(0, args.pidfd);
	ASSERT_FAILS_WITH(sys_checkpoint(&args, sizeof(args), 0),
			  ERR_NOT_INIT);
	close(args.pidfd);
	/* The host's init. */
	args.pidfd = pidfd_open(1);
	ASSERT_LE(0, args.pidfd);
	ASSERT_FAILS_WITH(sys_checkpoint(&args, sizeof(args), 0),
			  ERR_NOT_INIT);
	close(args.pidfd);
	ASSERT_EQ(0, fd_size(self->img));
}

TEST_F_TIMEOUT(ct, ptraced, CT_TIMEOUT)
{
	start(_metadata, self, CT_IDLE, false);
	ASSERT_EQ(0, ptrace(PTRACE_SEIZE, self->ct.pid, 0, 0));
	ASSERT_EQ(0, ct_freeze(&self->ct));
	ASSERT_FAILS_WITH(do_checkpoint(self, CKPT_CHECKPOINT_KILL),
			  ERR_PTRACED);
	ASSERT_LOG_HAS("task 1 (" CKPT_TARGET_COMM ")");
	ASSERT_EQ(0, fd_size(self->img));
	ASSERT_TRUE(still_running(self->ct.pid));
}

TEST_F_TIMEOUT(ct, unprivileged, CT_TIMEOUT)
{
	int status;
	pid_t pid;

	start(_metadata, self, CT_IDLE, true);
	pid = fork();
	ASSERT_LE(0, pid);
	if (pid == 0) {
		long ret;

		if (drop_privileges()) {
			fprintf(stderr, "# cannot drop privileges: %m\n");
			_exit(2);
		}
		ret = do_checkpoint(self, CKPT_CHECKPOINT_KILL);
		if (ret == -1 && (errno == ERR_UNPRIV || errno == EACCES))
			_exit(0);
		fprintf(stderr, "# unprivileged checkpoint: %ld, %s\n", ret,
			strerrorname_np(errno));
		_exit(1);
	}
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	ASSERT_EQ(0, status);
	ASSERT_EQ(0, fd_size(self->img));
	ASSERT_TRUE(still_running(self->ct.pid));
}

/* Pipes are saved since format 4: a socket is what is refused now. */
TEST_F_TIMEOUT(ct, unsupported_socket, CT_TIMEOUT)
{
	start(_metadata, self, CT_SOCKET, true);
	ASSERT_FAILS_WITH(do_checkpoint(self, CKPT_CHECKPOINT_KILL),
			  ERR_UNSUPPORTED);
	ASSERT_LOG_HAS("task 1 (" CKPT_TARGET_COMM ")");
	ASSERT_LOG_HAS("socket");
	ASSERT_EQ(0, fd_size(self->img));
	ASSERT_TRUE(still_running(self->ct.pid));
}

/* Reads the image memfd and checks its layout. */
static unsigned char *read_image(struct __test_metadata *_metadata, int fd,
				 size_t *len)
{
	unsigned char *img = (unsigned char *)fd_read_all(fd, len);
	char why[256];

	if (!img)
		return NULL;
	if (img_check_layout(img, *len, why, sizeof(why))) {
		TH_LOG("malformed image of %zu bytes: %s", *len, why);
		free(img);
		return NULL;
	}
	return img;
}

/* Payload of the @nth record of @type, copied to @out; -1 if none. */
static int rec_get(const unsigned char *img, size_t len, uint32_t type,
		   int nth, void *out, size_t size)
{
	int n = img_walk(img, len, NULL, 0), i;
	struct img_rec *recs;

	if (n < 0)
		return -1;
	recs = calloc(n, sizeof(*recs));
	if (!recs)
		return -1;
	img_walk(img, len, recs, n);
	i = img_find(recs, n, type, nth);
	if (i >= 0 && recs[i].len >= sizeof(struct ckpt_rec) + size)
		memcpy(out, img + recs[i].off + sizeof(struct ckpt_rec), size);
	else
		i = -1;
	free(recs);
	return i < 0 ? -1 : 0;
}

TEST_F_TIMEOUT(ct, checkpoint_frozen, CT_TIMEOUT)
{
	struct ckpt_container c;
	struct ckpt_tree tree;
	struct ckpt_task task;
	unsigned char *img;
	size_t len;
	char *log;
	long ret;
	int err;

	start(_metadata, self, CT_IDLE, true);
	ret = do_checkpoint(self, 0);
	err = errno;
	ASSERT_EQ(0, ret) {
		log = log_text(self);
		TH_LOG("checkpoint: %s; log: %s", strerrorname_np(err), log);
		free(log);
	}
	img = read_image(_metadata, self->img, &len);
	ASSERT_NE(NULL, img);

	ASSERT_EQ(0, rec_get(img, len, CKPT_REC_CONTAINER, 0, &c, sizeof(c)));
	ASSERT_EQ(0, rec_get(img, len, CKPT_REC_TREE, 0, &tree, sizeof(tree)));
	ASSERT_EQ(0, rec_get(img, len, CKPT_REC_TASK, 0, &task, sizeof(task)));
	EXPECT_EQ(1, c.nr_tasks);
	EXPECT_EQ(0, c.nr_shmem);
	EXPECT_EQ(1, tree.pid);
	EXPECT_EQ(1, tree.tgid);
	EXPECT_EQ(0, tree.ppid);
	EXPECT_EQ(CKPT_TREE_LIVE, tree.state);
	EXPECT_EQ(1, task.pid);
	EXPECT_EQ(1, task.tgid);
	EXPECT_EQ(0, strncmp(task.comm, CKPT_TARGET_COMM, sizeof(task.comm)));
	free(img);

	/* Not killed, still frozen, and it may thaw now. */
	ASSERT_TRUE(still_running(self->ct.pid));
	ASSERT_EQ(0, ct_thaw(&self->ct));
	ASSERT_TRUE(still_running(self->ct.pid));
}

/*
 * A container with a child process (format 2): two TREE records, init
 * then its child, pid 2, each with its section.
 */
TEST_F_TIMEOUT(ct, tree_child, CT_TIMEOUT)
{
	struct ckpt_container c;
	struct ckpt_tree t0, t1;
	struct ckpt_task k1;
	unsigned char *img;
	size_t len;
	long ret;
	int err;

	start(_metadata, self, CT_CHILD, true);
	ret = do_checkpoint(self, 0);
	err = errno;
	ASSERT_EQ(0, ret) {
		char *log = log_text(self);

		TH_LOG("checkpoint of a container with a child: %s; log: %s",
		       strerrorname_np(err), log);
		free(log);
	}
	img = read_image(_metadata, self->img, &len);
	ASSERT_NE(NULL, img);
	ASSERT_EQ(0, rec_get(img, len, CKPT_REC_CONTAINER, 0, &c, sizeof(c)));
	ASSERT_EQ(0, rec_get(img, len, CKPT_REC_TREE, 0, &t0, sizeof(t0)));
	ASSERT_EQ(0, rec_get(img, len, CKPT_REC_TREE, 1, &t1, sizeof(t1)));
	ASSERT_EQ(0, rec_get(img, len, CKPT_REC_TASK, 1, &k1, sizeof(k1)));
	EXPECT_EQ(2, c.nr_tasks);
	EXPECT_EQ(1, t0.pid);
	EXPECT_EQ(2, t1.pid);
	EXPECT_EQ(2, t1.tgid);
	EXPECT_EQ(1, t1.ppid);
	EXPECT_EQ(SIGCHLD, t1.exit_signal);
	EXPECT_EQ(CKPT_TREE_LIVE, t1.state);
	EXPECT_EQ(2, k1.pid);
	free(img);
	ASSERT_TRUE(still_running(self->ct.pid));
	ASSERT_EQ(0, ct_thaw(&self->ct));
}

/*
 * CKPT_CHECKPOINT_SUBTREE on a container that shares nothing with the
 * outside: the same image as without it, and it restarts.
 */
TEST_F_TIMEOUT(ct, checkpoint_subtree, CT_TIMEOUT)
{
	struct ckpt_restart_args args;
	unsigned char *img;
	size_t len;
	int status, err;
	long ret, pid;

	start(_metadata, self, CT_IDLE, true);
	ret = do_checkpoint(self, CKPT_CHECKPOINT_SUBTREE | CKPT_CHECKPOINT_KILL);
	err = errno;
	ASSERT_EQ(0, ret) {
		char *log = log_text(self);

		TH_LOG("checkpoint --subtree: %s; log: %s",
		       strerrorname_np(err), log);
		free(log);
	}
	img = read_image(_metadata, self->img, &len);
	ASSERT_NE(NULL, img);
	free(img);
	ASSERT_EQ(0, ct_reap(self->ct.pid, &status, 30000));
	self->ct.pid = -1;

	ASSERT_EQ(0, ct_cgroup_create(&self->rst, "contract-rst"));
	ASSERT_EQ(0, lseek(self->img, 0, SEEK_SET));
	args = (struct ckpt_restart_args){
		.fd = self->img,
		.logfd = self->log,
		.cgroup_fd = self->rst.cgfd,
	};
	/* Restart knows no such flag. */
	ASSERT_FAILS_WITH(sys_restart(&args, sizeof(args),
				      CKPT_CHECKPOINT_SUBTREE),
			  ERR_UNKNOWN_FLAGS);
	ASSERT_EQ(0, lseek(self->img, 0, SEEK_SET));
	pid = sys_restart(&args, sizeof(args), 0);
	err = errno;
	ASSERT_LT(0, pid) {
		char *log = log_text(self);

		TH_LOG("restart: %s; log: %s", strerrorname_np(err), log);
		free(log);
	}
	self->rst.pid = pid;
	ASSERT_EQ(0, kill(pid, SIGUSR1));
	ASSERT_EQ(0, ct_reap(pid, &status, 60000));
	self->rst.pid = -1;
	ASSERT_TRUE(WIFEXITED(status));
	ASSERT_EQ(CKPT_TARGET_OK, WEXITSTATUS(status));
}

TEST_F_TIMEOUT(ct, checkpoint_kill, CT_TIMEOUT)
{
	struct ckpt_checkpoint_args args = {
		.pidfd = -1, .fd = -1, .logfd = -1,
	};
	unsigned char *img;
	size_t len;
	int status;

	start(_metadata, self, CT_IDLE, true);
	/* No log fd this time. */
	args.pidfd = self->ct.pidfd;
	args.fd = self->img;
	ASSERT_EQ(0, sys_checkpoint(&args, sizeof(args), CKPT_CHECKPOINT_KILL));
	img = read_image(_metadata, self->img, &len);
	ASSERT_NE(NULL, img);
	free(img);

	/* It dies of SIGKILL, frozen cgroup or not. */
	ASSERT_EQ(0, ct_reap(self->ct.pid, &status, 30000));
	self->ct.pid = -1;
	ASSERT_TRUE(WIFSIGNALED(status));
	ASSERT_EQ(SIGKILL, WTERMSIG(status));
	ASSERT_EQ(0, ct_cgroup_nr_procs(&self->ct));
}

TEST_F_TIMEOUT(ct, checkpoint_to_pipe, CT_TIMEOUT)
{
	int fds[2], status;
	unsigned char *img;
	size_t len;
	pid_t reader;

	start(_metadata, self, CT_IDLE, true);
	ASSERT_EQ(0, pipe(fds));
	/* A reader drains the pipe into the image memfd. */
	reader = fork();
	ASSERT_LE(0, reader);
	if (reader == 0) {
		char buf[65536];
		ssize_t n;

		close(fds[1]);
		while ((n = read(fds[0], buf, sizeof(buf))) > 0)
			if (fd_write_all(self->img, buf, n))
				_exit(1);
		_exit(n < 0);
	}
	close(fds[0]);
	{
		struct ckpt_checkpoint_args args = {
			.pidfd = self->ct.pidfd,
			.fd = fds[1],
			.logfd = self->log,
		};

		ASSERT_EQ(0, sys_checkpoint(&args, sizeof(args), 0));
	}
	close(fds[1]);
	ASSERT_EQ(reader, waitpid(reader, &status, 0));
	ASSERT_EQ(0, status);
	img = read_image(_metadata, self->img, &len);
	ASSERT_NE(NULL, img);
	free(img);
}

/* Checkpoints a container with CKPT_CHECKPOINT_KILL and reaps it. */
static void make_image_of(struct __test_metadata *_metadata,
			  FIXTURE_DATA(ct) *self, const char *mode)
{
	int status;

	long ret;
	int err;

	start(_metadata, self, mode, true);
	ret = do_checkpoint(self, CKPT_CHECKPOINT_KILL);
	err = errno;
	ASSERT_EQ(0, ret) {
		char *log = log_text(self);

		TH_LOG("checkpoint: %s; log: %s", strerrorname_np(err), log);
		free(log);
	}
	ASSERT_EQ(0, ct_reap(self->ct.pid, &status, 30000));
	self->ct.pid = -1;
	ASSERT_EQ(0, lseek(self->img, 0, SEEK_SET));
	ASSERT_EQ(0, ct_cgroup_create(&self->rst, "contract-rst"));
}

/* ... an idle one. */
static void make_image(struct __test_metadata *_metadata,
		       FIXTURE_DATA(ct) *self)
{
	make_image_of(_metadata, self, CT_IDLE);
}

/* Reads "NSpid:" of /proc/PID/status: the pid in the innermost namespace. */
static int inner_pid(pid_t pid)
{
	char path[64], line[256];
	int inner = -1;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%d/status", pid);
	f = fopen(path, "r");
	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f)) {
		char *last;

		if (strncmp(line, "NSpid:", 6))
			continue;
		last = strrchr(line, '\t');
		if (last)
			inner = atoi(last + 1);
	}
	fclose(f);
	return inner;
}

TEST_F_TIMEOUT(ct, restart_roundtrip, CT_TIMEOUT)
{
	struct ckpt_restart_args args;
	int status, err;
	long pid;
	char *log;

	make_image(_metadata, self);
	args = (struct ckpt_restart_args){
		.fd = self->img,
		.logfd = self->log,
		.cgroup_fd = self->rst.cgfd,
	};
	pid = sys_restart(&args, sizeof(args), 0);
	err = errno;
	ASSERT_LT(0, pid) {
		log = log_text(self);
		TH_LOG("restart: %s; log: %s", strerrorname_np(err), log);
		free(log);
	}
	self->rst.pid = pid;
	/* Init of its own pid namespace, in the cgroup we gave. */
	ASSERT_EQ(1, inner_pid(pid));
	ASSERT_EQ(1, ct_cgroup_nr_procs(&self->rst));
	/* Its memory came back: it exits with CKPT_TARGET_OK on SIGUSR1. */
	ASSERT_EQ(0, kill(pid, SIGUSR1));
	ASSERT_EQ(0, ct_reap(pid, &status, 60000));
	self->rst.pid = -1;
	ASSERT_TRUE(WIFEXITED(status)) {
		TH_LOG("restarted target: status %#x", status);
	}
	ASSERT_EQ(CKPT_TARGET_OK, WEXITSTATUS(status));
	ASSERT_EQ(0, no_children_left(0));
}

/*
 * Format 4: a packet pipe and a pipe with data, a dup()ed read end, a
 * close-on-exec write end, a pipe size, a memfd with its offset come back
 * as they were: the restarted target checks them itself (ckpt_target.c,
 * files_check()) and exits with 50 + the failed check's number if not.
 * (Check 10, close-on-exec, fails with the kernel of 4d06e2a: its
 * ckpt_restore_fd() hands CKPT_FD_CLOEXEC to replace_fd(), which wants
 * O_CLOEXEC.)
 */
TEST_F_TIMEOUT(ct, restart_files, CT_TIMEOUT)
{
	struct ckpt_restart_args args;
	struct ckpt_pipe pipe;
	struct ckpt_files files;
	struct ckpt_fd fd;
	unsigned char *img;
	int status, err, k, cloexec = 0;
	size_t len;
	long pid;
	char *log;

	make_image_of(_metadata, self, CT_FILES);
	img = read_image(_metadata, self->img, &len);
	ASSERT_NE(NULL, img);
	ASSERT_EQ(0, rec_get(img, len, CKPT_REC_FILES, 0, &files, sizeof(files)));
	ASSERT_EQ(1, files.id);
	ASSERT_EQ(0, rec_get(img, len, CKPT_REC_PIPE, 1, &pipe, sizeof(pipe)));
	ASSERT_NE(0, rec_get(img, len, CKPT_REC_PIPE, 2, &pipe, sizeof(pipe)));
	/* One descriptor is close-on-exec: the pipe's write end. */
	for (k = 0; !rec_get(img, len, CKPT_REC_FD, k, &fd, sizeof(fd)); k++)
		cloexec += !!(fd.flags & CKPT_FD_CLOEXEC);
	ASSERT_EQ(1, cloexec);
	free(img);
	ASSERT_EQ(0, lseek(self->img, 0, SEEK_SET));

	args = (struct ckpt_restart_args){
		.fd = self->img,
		.logfd = self->log,
		.cgroup_fd = self->rst.cgfd,
	};
	pid = sys_restart(&args, sizeof(args), 0);
	err = errno;
	ASSERT_LT(0, pid) {
		log = log_text(self);
		TH_LOG("restart: %s; log: %s", strerrorname_np(err), log);
		free(log);
	}
	self->rst.pid = pid;
	ASSERT_EQ(0, kill(pid, SIGUSR1));
	ASSERT_EQ(0, ct_reap(pid, &status, 60000));
	self->rst.pid = -1;
	ASSERT_TRUE(WIFEXITED(status)) {
		TH_LOG("restarted target: status %#x", status);
	}
	ASSERT_EQ(CKPT_TARGET_OK, WEXITSTATUS(status)) {
		TH_LOG("files_check() %d failed", WEXITSTATUS(status) - 50);
	}
	ASSERT_EQ(0, no_children_left(0));
}

TEST_F_TIMEOUT(ct, restart_unprivileged, CT_TIMEOUT)
{
	int status;
	pid_t pid;

	make_image(_metadata, self);
	pid = fork();
	ASSERT_LE(0, pid);
	if (pid == 0) {
		struct ckpt_restart_args args = {
			.fd = self->img,
			.logfd = self->log,
			.cgroup_fd = -1,
		};
		long ret;

		if (drop_privileges()) {
			fprintf(stderr, "# cannot drop privileges: %m\n");
			_exit(2);
		}
		ret = sys_restart(&args, sizeof(args), 0);
		if (ret == -1 && errno == ERR_RESTART_UNPRIV)
			_exit(no_children_left(2000) ? 3 : 0);
		fprintf(stderr, "# unprivileged restart: %ld, %s\n", ret,
			strerrorname_np(errno));
		_exit(1);
	}
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	ASSERT_EQ(0, status);
	ASSERT_EQ(0, no_children_left(0));
}

TEST_F_TIMEOUT(ct, restart_bad_cgroup, CT_TIMEOUT)
{
	struct ckpt_restart_args args;

	make_image(_metadata, self);
	/* Not a cgroup directory: any error, and nothing left behind. */
	args = (struct ckpt_restart_args){
		.fd = self->img,
		.logfd = self->log,
		.cgroup_fd = self->log,
	};
	ASSERT_EQ(-1, sys_restart(&args, sizeof(args), 0));
	ASSERT_EQ(0, no_children_left(2000));
	args.cgroup_fd = 1000;
	ASSERT_EQ(0, lseek(self->img, 0, SEEK_SET));
	ASSERT_EQ(-1, sys_restart(&args, sizeof(args), 0));
	ASSERT_EQ(0, no_children_left(2000));
}

TEST_HARNESS_MAIN
