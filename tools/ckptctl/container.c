// SPDX-License-Identifier: GPL-2.0
/*
 * ckptctl: containers as ckptctl sees them.
 *
 * A container is a cgroup v2 directory CGROOT/ckpt/NAME holding the tasks
 * of one pid namespace, plus a state directory RUNDIR/NAME (pid, cgroup,
 * log).  CGROOT is where cgroup2 is mounted (/sys/fs/cgroup, or
 * $CKPT_CGROUP_ROOT), RUNDIR is /run/ckpt (or $CKPT_RUN_DIR).
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>

#include <linux/sched.h>

#include "ckptctl.h"

#define CGROUP_SUBDIR	"ckpt"
#define AUTO_NAMES_MAX	100000

static char cg_root_buf[4096];

/* Undo the octal escapes of /proc/self/mountinfo ("\040" for a space). */
static void unescape_mount_path(char *s)
{
	char *d = s;

	while (*s) {
		if (s[0] == '\\' && s[1] >= '0' && s[1] <= '3' &&
		    s[2] >= '0' && s[2] <= '7' && s[3] >= '0' && s[3] <= '7') {
			*d++ = (s[1] - '0') << 6 | (s[2] - '0') << 3 | (s[3] - '0');
			s += 4;
		} else {
			*d++ = *s++;
		}
	}
	*d = '\0';
}

/* The mount point of a cgroup2 mountinfo line, or NULL. */
static char *cgroup2_mount_point(char *line)
{
	char *sep, *f[5], *save = NULL, *p = line;
	int i;

	sep = strstr(line, " - ");
	if (!sep || strncmp(sep + 3, "cgroup2 ", 8))
		return NULL;
	*sep = '\0';
	for (i = 0; i < 5; i++, p = NULL) {
		f[i] = strtok_r(p, " ", &save);
		if (!f[i])
			return NULL;
	}
	unescape_mount_path(f[4]);
	return f[4];
}

/**
 * cgroup_mount() - where the cgroup v2 hierarchy is mounted
 *
 * /sys/fs/cgroup if it is a cgroup2 mount, else the first cgroup2 mount
 * (hybrid hosts have /sys/fs/cgroup/unified).  The paths of
 * /proc/PID/cgroup are relative to it.
 *
 * Return: the path, or NULL (errno ENOENT) when there is none.
 */
static const char *cgroup_mount(void)
{
	char line[8192];
	bool found = false;
	FILE *f;

	if (cg_root_buf[0])
		return cg_root_buf;
	f = fopen("/proc/self/mountinfo", "re");
	if (!f)
		return NULL;
	while (fgets(line, sizeof(line), f)) {
		char *mp = cgroup2_mount_point(line);

		if (!mp || strlen(mp) >= sizeof(cg_root_buf))
			continue;
		if (!found || !strcmp(mp, "/sys/fs/cgroup"))
			str_copy(cg_root_buf, sizeof(cg_root_buf), mp);
		found = true;
	}
	fclose(f);
	if (!found) {
		errno = ENOENT;
		return NULL;
	}
	return cg_root_buf;
}

/**
 * cgroup_root() - the cgroup under which ckptctl makes ckpt/NAME
 *
 * Return: $CKPT_CGROUP_ROOT if set (a directory of the cgroup2
 * hierarchy), else the cgroup2 mount point; NULL if there is none.
 */
const char *cgroup_root(void)
{
	const char *env = getenv("CKPT_CGROUP_ROOT");

	if (env && *env)
		return env;
	return cgroup_mount();
}

static const char *need_cgroup_root(void)
{
	const char *root = cgroup_root();

	if (!root) {
		err_msg("no cgroup v2 hierarchy is mounted");
		hint("mount -t cgroup2 none /sys/fs/cgroup");
	}
	return root;
}

const char *run_dir(void)
{
	const char *env = getenv("CKPT_RUN_DIR");

	return env && *env ? env : "/run/ckpt";
}

/* Names become paths and the hostname: keep them tame. */
int name_valid(const char *name)
{
	size_t i, n = strlen(name);
	bool digits = true;

	if (!n || n > NAME_MAX_LEN)
		return 0;
	for (i = 0; i < n; i++) {
		char c = name[i];
		bool alnum = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
			     (c >= '0' && c <= '9');

		if (!alnum && (!i || (c != '-' && c != '_' && c != '.')))
			return 0;
		if (c < '0' || c > '9')
			digits = false;
	}
	return !digits;		/* all digits would read as a pid */
}

static int state_path(const struct container *c, const char *file,
		      char *buf, size_t size)
{
	int n;

	if (file)
		n = snprintf(buf, size, "%s/%s/%s", run_dir(), c->name, file);
	else
		n = snprintf(buf, size, "%s/%s", run_dir(), c->name);
	if (n < 0 || (size_t)n >= size) {
		errno = ENAMETOOLONG;
		return -1;
	}
	return 0;
}

static int cg_file(const char *cg, const char *file, char *buf, size_t size)
{
	return path_join(buf, size, cg, file);
}

/* Read "populated" and "frozen" from cgroup.events. */
static int cgroup_events(const char *cg, int *populated, int *frozen)
{
	char path[4200], buf[256], *p;

	if (cg_file(cg, "cgroup.events", path, sizeof(path)) ||
	    read_small_file(path, buf, sizeof(buf)))
		return -1;
	*populated = *frozen = -1;
	p = strstr(buf, "populated ");
	if (p)
		*populated = atoi(p + 10);
	p = strstr(buf, "frozen ");
	if (p)
		*frozen = atoi(p + 7);
	if (*populated < 0 || *frozen < 0) {
		errno = EPROTO;
		return -1;
	}
	return 0;
}

int cgroup_read_freeze(const char *cg, int *val)
{
	char path[4200], buf[16];

	if (cg_file(cg, "cgroup.freeze", path, sizeof(path)) ||
	    read_small_file(path, buf, sizeof(buf)))
		return -1;
	*val = atoi(buf);
	return 0;
}

/* Wait for cgroup.events to show @key (0 frozen, 1 populated) at @want. */
static int cgroup_wait(const char *cg, bool populated_key, int want,
		       int timeout_ms)
{
	long deadline = now_ms() + timeout_ms;
	char path[4200];
	int fd;

	if (cg_file(cg, "cgroup.events", path, sizeof(path)))
		return -1;
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	for (;;) {
		struct pollfd pfd = { .fd = fd, .events = POLLPRI };
		int populated, frozen;
		long left;

		if (cgroup_events(cg, &populated, &frozen))
			break;
		if ((populated_key ? populated : frozen) == want) {
			close(fd);
			return 0;
		}
		left = deadline - now_ms();
		if (left <= 0) {
			errno = ETIMEDOUT;
			break;
		}
		/* Only freezing may be cut short: thawing is how we clean up. */
		if (interrupted && !populated_key && want == 1) {
			errno = EINTR;
			break;
		}
		/* cgroup.events wakes pollers on change; poll briefly anyway. */
		if (poll(&pfd, 1, left < 50 ? left : 50) < 0 && errno != EINTR)
			break;
	}
	close(fd);
	return -1;
}

/**
 * cgroup_freeze() - set cgroup.freeze and wait until the state is reached
 * @cg: the cgroup directory
 * @freeze: true to freeze, false to thaw
 *
 * Return: 0, or -1 with errno (ETIMEDOUT after CKPTCTL_TIMEOUT_MS).
 */
int cgroup_freeze(const char *cg, bool freeze)
{
	char path[4200];

	if (cg_file(cg, "cgroup.freeze", path, sizeof(path)) ||
	    write_small_file(path, freeze ? "1" : "0"))
		return -1;
	return cgroup_wait(cg, false, freeze, CKPTCTL_TIMEOUT_MS);
}

int cgroup_wait_empty(const char *cg, int timeout_ms)
{
	return cgroup_wait(cg, true, 0, timeout_ms);
}

/* SIGKILL every task of the cgroup: cgroup.kill, or one by one before 5.14. */
int cgroup_kill(const char *cg)
{
	char path[4200], buf[65536], *p, *save = NULL;

	if (cg_file(cg, "cgroup.kill", path, sizeof(path)))
		return -1;
	if (!write_small_file(path, "1"))
		return 0;
	if (errno != ENOENT)
		return -1;
	if (cg_file(cg, "cgroup.procs", path, sizeof(path)) ||
	    read_small_file(path, buf, sizeof(buf)))
		return -1;
	for (p = strtok_r(buf, "\n", &save); p; p = strtok_r(NULL, "\n", &save)) {
		pid_t pid;

		if (!parse_pid(p, &pid))
			kill(pid, SIGKILL);
	}
	return 0;
}

/* The cgroup of @pid, from the "0::/path" line of /proc/PID/cgroup. */
static int pid_cgroup(pid_t pid, char *buf, size_t size)
{
	const char *root = cgroup_mount();
	char path[64], data[8192], *line, *save = NULL;

	if (!root) {
		errno = ENODATA;
		return -1;
	}
	snprintf(path, sizeof(path), "/proc/%d/cgroup", pid);
	if (read_small_file(path, data, sizeof(data)))
		return -1;
	for (line = strtok_r(data, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save)) {
		char *del;

		if (strncmp(line, "0::", 3))
			continue;
		del = strstr(line, " (deleted)");
		if (del)
			*del = '\0';
		if (!strcmp(line + 3, "/")) {
			errno = EINVAL;
			return -1;
		}
		if (snprintf(buf, size, "%s%s", root, line + 3) >= (int)size) {
			errno = ENAMETOOLONG;
			return -1;
		}
		return 0;
	}
	errno = ENODATA;	/* no cgroup v2 line: v1-only host */
	return -1;
}

/* The innermost pid of @pid (last field of NSpid:), or -1. */
static long ns_pid(pid_t pid)
{
	char path[64], buf[4096], *p, *last;

	snprintf(path, sizeof(path), "/proc/%d/status", pid);
	if (read_small_file(path, buf, sizeof(buf)))
		return -1;
	p = strstr(buf, "\nNSpid:");
	if (!p)
		return -1;
	p += 7;
	last = p;
	while (*p && *p != '\n') {
		if ((*p == ' ' || *p == '\t') && p[1] != ' ' && p[1] != '\t')
			last = p + 1;
		p++;
	}
	return strtol(last, NULL, 10);
}

/* The init of the pid namespace whose tasks fill @cg. */
static pid_t find_init(const char *cg)
{
	char path[4200], buf[65536], *p, *save = NULL;

	if (cg_file(cg, "cgroup.procs", path, sizeof(path)) ||
	    read_small_file(path, buf, sizeof(buf)))
		return 0;
	for (p = strtok_r(buf, "\n", &save); p; p = strtok_r(NULL, "\n", &save)) {
		pid_t pid;

		if (!parse_pid(p, &pid) && ns_pid(pid) == 1)
			return pid;
	}
	return 0;
}

static int read_state(struct container *c)
{
	char path[4200], buf[4200];

	if (state_path(c, "cgroup", path, sizeof(path)) ||
	    read_small_file(path, buf, sizeof(buf)))
		return -1;
	chomp(buf);
	if (str_copy(c->cgroup, sizeof(c->cgroup), buf))
		return -1;
	c->pid = 0;
	if (!state_path(c, "pid", path, sizeof(path)) &&
	    !read_small_file(path, buf, sizeof(buf))) {
		chomp(buf);
		if (parse_pid(buf, &c->pid))
			c->pid = 0;
	}
	return 0;
}

static int resolve_pid(pid_t pid, struct container *c)
{
	const char *root;
	char want[4200];
	struct container s;

	memset(c, 0, sizeof(*c));
	c->pid = pid;
	if (pid_cgroup(pid, c->cgroup, sizeof(c->cgroup))) {
		if (errno == ENOENT)
			err_msg("no process %d", pid);
		else if (errno == EINVAL)
			err_msg("process %d is in the root cgroup, not in a container of its own",
				pid);
		else
			err_errno(errno, "cannot find the cgroup of process %d",
				  pid);
		return -1;
	}
	/* Started by ckptctl?  Then it has a name and state to update. */
	root = cgroup_root();
	snprintf(want, sizeof(want), "%s/%s/", root, CGROUP_SUBDIR);
	if (strncmp(c->cgroup, want, strlen(want)))
		return 0;
	memset(&s, 0, sizeof(s));
	if (str_copy(s.name, sizeof(s.name), c->cgroup + strlen(want)))
		return 0;
	if (!name_valid(s.name))
		return 0;
	memcpy(c->name, s.name, sizeof(c->name));
	c->named = !read_state(&s) && s.pid == pid &&
		   !strcmp(s.cgroup, c->cgroup);
	return 0;
}

static int resolve_name(const char *name, struct container *c)
{
	char state[4200];
	const char *root;
	struct stat st;
	bool has_cgroup;

	memset(c, 0, sizeof(*c));
	str_copy(c->name, sizeof(c->name), name);	/* name_valid() checked it */
	if (!read_state(c)) {
		c->named = true;
		return 0;
	}
	/*
	 * No usable state: a cgroup of that name will do (lost /run), and
	 * a state directory alone is what a crash left, for kill to remove.
	 */
	root = need_cgroup_root();
	if (!root)
		return -1;
	snprintf(c->cgroup, sizeof(c->cgroup), "%s/%s/%s", root, CGROUP_SUBDIR,
		 name);
	has_cgroup = !stat(c->cgroup, &st) && S_ISDIR(st.st_mode);
	c->named = !state_path(c, NULL, state, sizeof(state)) &&
		   !stat(state, &st) && S_ISDIR(st.st_mode);
	if (!has_cgroup && !c->named) {
		err_msg("no container named %s", name);
		hint("'ckptctl ps' lists the containers");
		return -1;
	}
	if (has_cgroup)
		c->pid = find_init(c->cgroup);
	return 0;
}

/**
 * container_resolve() - find a container from a command-line argument
 * @arg: a pid, or a name
 * @c: filled in
 *
 * Return: 0, or -1 after printing why.
 */
int container_resolve(const char *arg, struct container *c)
{
	pid_t pid;

	if (!parse_pid(arg, &pid))
		return resolve_pid(pid, c);
	if (!name_valid(arg)) {
		err_msg("'%s' is neither a pid nor a container name", arg);
		return -1;
	}
	return resolve_name(arg, c);
}

static int mkdir_exist_ok(const char *path, mode_t mode)
{
	if (mkdir(path, mode) && errno != EEXIST)
		return -1;
	return 0;
}

/* Claim @name: its cgroup and its state directory must both be new. */
static int try_claim(const char *base, const char *name, struct container *c)
{
	char state[4200];
	struct stat st;

	if (str_copy(c->name, sizeof(c->name), name) ||
	    state_path(c, NULL, state, sizeof(state)))
		return -1;
	if (!lstat(state, &st)) {
		errno = EEXIST;
		return -1;
	}
	if (snprintf(c->cgroup, sizeof(c->cgroup), "%s/%s", base, name) >=
	    (int)sizeof(c->cgroup)) {
		errno = ENAMETOOLONG;
		return -1;
	}
	if (mkdir(c->cgroup, 0755))
		return -1;
	if (mkdir(state, 0755)) {
		int saved = errno;

		rmdir(c->cgroup);
		errno = saved;
		return -1;
	}
	c->named = true;
	return 0;
}

/**
 * container_claim() - create the cgroup and state directory of a container
 * @name: the name wanted, or NULL for the first free "cN"
 * @c: filled in
 *
 * Return: 0, or -1 after printing why.
 */
int container_claim(const char *name, struct container *c)
{
	const char *root = need_cgroup_root();
	char base[4200], auto_name[16];
	int i;

	memset(c, 0, sizeof(*c));
	if (!root)
		return -1;
	if (path_join(base, sizeof(base), root, CGROUP_SUBDIR) ||
	    mkdir_exist_ok(base, 0755)) {
		err_errno(errno, "create cgroup %s", base);
		hint_errno(errno);
		return -1;
	}
	if (mkdir_exist_ok(run_dir(), 0755)) {
		err_errno(errno, "create %s", run_dir());
		hint_errno(errno);
		return -1;
	}
	if (name) {
		if (!try_claim(base, name, c))
			return 0;
		if (errno == EEXIST) {
			err_msg("container name %s is in use", name);
			hint("pick another --name, or remove the old one with 'ckptctl kill %s'",
			     name);
		} else {
			err_errno(errno, "create container %s", name);
			hint_errno(errno);
		}
		return -1;
	}
	for (i = 1; i <= AUTO_NAMES_MAX; i++) {
		snprintf(auto_name, sizeof(auto_name), "c%d", i);
		if (!try_claim(base, auto_name, c))
			return 0;
		if (errno != EEXIST) {
			err_errno(errno, "create container %s", auto_name);
			hint_errno(errno);
			return -1;
		}
	}
	err_msg("no free container name c1..c%d", AUTO_NAMES_MAX);
	return -1;
}

int container_remove_state(const struct container *c)
{
	static const char *const files[] = { "pid", "cgroup", "log" };
	char path[4200];
	size_t i;

	if (!c->named)
		return 0;
	for (i = 0; i < ARRAY_SIZE(files); i++)
		if (!state_path(c, files[i], path, sizeof(path)) &&
		    unlink(path) && errno != ENOENT)
			return -1;
	if (state_path(c, NULL, path, sizeof(path)) ||
	    (rmdir(path) && errno != ENOENT))
		return -1;
	return 0;
}

/* Remove what container_claim() made; the log file stays. */
int container_release(struct container *c)
{
	int ret = 0;

	if (c->cgroup[0] && rmdir(c->cgroup) && errno != ENOENT) {
		err_errno(errno, "remove cgroup %s", c->cgroup);
		ret = -1;
	}
	if (container_remove_state(c)) {
		err_errno(errno, "remove state of %s", c->name);
		ret = -1;
	}
	return ret;
}

int container_save_state(const struct container *c, const char *log)
{
	char path[4200], buf[4200];

	snprintf(buf, sizeof(buf), "%d\n", c->pid);
	if (state_path(c, "pid", path, sizeof(path)) ||
	    write_small_file_new(path, buf))
		goto fail;
	snprintf(buf, sizeof(buf), "%s\n", c->cgroup);
	if (state_path(c, "cgroup", path, sizeof(path)) ||
	    write_small_file_new(path, buf))
		goto fail;
	if (log) {
		snprintf(buf, sizeof(buf), "%s\n", log);
		if (state_path(c, "log", path, sizeof(path)) ||
		    write_small_file_new(path, buf))
			goto fail;
	}
	return 0;
fail:
	err_errno(errno, "write state of %s to %s", c->name, run_dir());
	return -1;
}

bool container_alive(const struct container *c)
{
	int populated, frozen;

	return !cgroup_events(c->cgroup, &populated, &frozen) && populated == 1;
}

/* ---- run ---- */

enum run_stage { STAGE_SETSID, STAGE_HOSTNAME, STAGE_FDS, STAGE_EXEC };

static const char *const stage_names[] = {
	[STAGE_SETSID] = "setsid", [STAGE_HOSTNAME] = "sethostname",
	[STAGE_FDS] = "set up fds", [STAGE_EXEC] = "exec",
};

struct run_fds {
	int null;
	int log;
	int err;	/* write end of the exec-error pipe */
};

static void __noreturn child_fail(int errfd, int stage)
{
	int msg[2] = { stage, errno };

	if (write(errfd, msg, sizeof(msg)) < 0)
		_exit(127);
	_exit(127);
}

static void close_other_fds(int errfd)
{
	DIR *d;
	struct dirent *e;

	if (!sys_close_range(4, ~0U, 0))
		return;
	/* Before 5.9: walk /proc/self/fd. */
	d = opendir("/proc/self/fd");
	if (!d)
		return;
	while ((e = readdir(d))) {
		int fd = atoi(e->d_name);

		if (fd > 3 && fd != dirfd(d) && fd != errfd)
			close(fd);
	}
	closedir(d);
}

/*
 * The container's init, before exec: its own session, the hostname, and
 * nothing open but /dev/null and the log, which the kernel can checkpoint.
 */
static void __noreturn run_child(const char *name,
						struct run_fds *fds,
						char **argv)
{
	static const int sigs[] = { SIGINT, SIGTERM, SIGHUP, SIGPIPE, SIGCHLD };
	sigset_t none;
	size_t i;

	for (i = 0; i < ARRAY_SIZE(sigs); i++)
		signal(sigs[i], SIG_DFL);
	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);
	if (setsid() < 0)
		child_fail(fds->err, STAGE_SETSID);
	if (sethostname(name, strlen(name)))
		child_fail(fds->err, STAGE_HOSTNAME);
	/* Keep the container's mounts its own; not fatal where / is no mount. */
	mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL);
	if (dup2(fds->null, 0) < 0 || dup2(fds->log, 1) < 0 ||
	    dup2(fds->log, 2) < 0 || dup3(fds->err, 3, O_CLOEXEC) < 0)
		child_fail(fds->err, STAGE_FDS);
	fds->err = 3;
	close_other_fds(fds->err);
	execvp(argv[0], argv);
	child_fail(fds->err, STAGE_EXEC);
}

static int open_high(const char *path, int flags, mode_t mode)
{
	int fd = open(path, flags | O_CLOEXEC, mode), hi;

	if (fd < 0)
		return -1;
	hi = fcntl(fd, F_DUPFD_CLOEXEC, 10);
	close(fd);
	return hi;
}

static pid_t clone_container(int cgfd)
{
	struct clone_args ca;

	memset(&ca, 0, sizeof(ca));
	ca.flags = CLONE_NEWPID | CLONE_NEWUTS | CLONE_NEWIPC | CLONE_NEWNS |
		   CLONE_INTO_CGROUP;
	ca.exit_signal = SIGCHLD;
	ca.cgroup = cgfd;
	fflush(NULL);
	return syscall(__NR_clone3, &ca, sizeof(ca));
}

/* 0 if the child exec'd, else -1 with its error reported. */
static int check_exec(pid_t pid, int rfd, const char *cmd)
{
	int msg[2];
	ssize_t n = read_full(rfd, msg, sizeof(msg));

	if (n == 0)
		return 0;
	if (n == sizeof(msg) && msg[0] >= 0 && msg[0] <= STAGE_EXEC) {
		if (msg[0] == STAGE_EXEC)
			err_errno(msg[1], "exec %s", cmd);
		else
			err_errno(msg[1], "container init: %s",
				  stage_names[msg[0]]);
	} else {
		err_msg("container init failed before exec");
	}
	while (waitpid(pid, NULL, 0) < 0 && errno == EINTR)
		;
	return -1;
}

/**
 * container_run() - start @argv as the init of a new container
 * @c: a claimed container (name, cgroup)
 * @log: file for its stdout and stderr (appended to)
 * @argv: the command
 * @pid: set to its pid
 *
 * Return: 0, or -1 after printing why (the caller releases @c).
 */
int container_run(struct container *c, const char *log, char **argv, pid_t *pid)
{
	struct run_fds fds = { -1, -1, -1 };
	int pfd[2] = { -1, -1 }, cgfd = -1, ret = -1;
	pid_t child;

	fds.null = open_high("/dev/null", O_RDONLY, 0);
	if (fds.null < 0) {
		err_errno(errno, "open /dev/null");
		goto out;
	}
	fds.log = open_high(log, O_WRONLY | O_CREAT | O_APPEND | O_NOCTTY, 0644);
	if (fds.log < 0) {
		err_errno(errno, "open log file %s", log);
		goto out;
	}
	cgfd = open(c->cgroup, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (cgfd < 0) {
		err_errno(errno, "open cgroup %s", c->cgroup);
		goto out;
	}
	if (pipe2(pfd, O_CLOEXEC)) {
		err_errno(errno, "pipe");
		goto out;
	}
	fds.err = fcntl(pfd[1], F_DUPFD_CLOEXEC, 10);
	if (fds.err < 0) {
		err_errno(errno, "dup");
		goto out;
	}
	child = clone_container(cgfd);
	if (child < 0) {
		err_errno(errno, "clone3 into cgroup %s", c->cgroup);
		hint_errno(errno);
		goto out;
	}
	if (child == 0)
		run_child(c->name, &fds, argv);
	close(fds.err);
	fds.err = -1;
	close(pfd[1]);
	pfd[1] = -1;
	if (check_exec(child, pfd[0], argv[0]))
		goto out;
	c->pid = child;
	*pid = child;
	ret = 0;
out:
	if (fds.null >= 0)
		close(fds.null);
	if (fds.log >= 0)
		close(fds.log);
	if (fds.err >= 0)
		close(fds.err);
	if (cgfd >= 0)
		close(cgfd);
	if (pfd[0] >= 0)
		close(pfd[0]);
	if (pfd[1] >= 0)
		close(pfd[1]);
	return ret;
}

/*
 * Clean up after a container that ended, unless someone else already did
 * and maybe reused the name (checkpoint --kill, then restart).
 */
static void cleanup_after_exit(struct container *c, pid_t pid)
{
	struct container now;

	memset(&now, 0, sizeof(now));
	memcpy(now.name, c->name, sizeof(now.name));
	if (read_state(&now) || now.pid != pid)
		return;
	if (cgroup_wait_empty(c->cgroup, CKPTCTL_TIMEOUT_MS))
		return;
	container_release(c);
}

/**
 * container_wait() - wait for a container's init, a child of ours
 * @c: the container
 * @pid: its init
 *
 * Return: the exit code ckptctl passes on: the init's exit status, or
 * 128 + the signal that killed it.
 */
int container_wait(struct container *c, pid_t pid)
{
	int status;

	while (waitpid(pid, &status, 0) < 0) {
		if (errno != EINTR) {
			err_errno(errno, "wait for %d", pid);
			return EXIT_FAIL;
		}
	}
	cleanup_after_exit(c, pid);
	return exit_code_of(status);
}

/**
 * container_pidfd() - a pidfd of the container's init
 * @c: the container
 *
 * The pidfd pins the task; checking its cgroup after opening it makes
 * sure @c->pid was not reused by some other process.
 *
 * Return: the pidfd, or -1 with errno (ESRCH: not the container's).
 */
int container_pidfd(const struct container *c)
{
	char cg[4096];
	int pidfd;

	if (c->pid <= 0) {
		errno = ESRCH;
		return -1;
	}
	pidfd = sys_pidfd_open(c->pid, 0);
	if (pidfd < 0)
		return -1;
	if (pid_cgroup(c->pid, cg, sizeof(cg)) || strcmp(cg, c->cgroup)) {
		close(pidfd);
		errno = ESRCH;
		return -1;
	}
	return pidfd;
}

/**
 * container_kill() - SIGKILL a container, wait for it to go, clean up
 * @c: the container
 *
 * A container that has already exited only gets cleaned up.
 *
 * Return: 0, or -1 after printing why.
 */
int container_kill(struct container *c)
{
	int pidfd = container_pidfd(c);

	if (pidfd >= 0) {
		if (sys_pidfd_send_signal(pidfd, SIGKILL) && errno != ESRCH) {
			err_errno(errno, "kill %d", c->pid);
			hint_errno(errno);
			close(pidfd);
			return -1;
		}
		close(pidfd);
	} else if (container_alive(c) && cgroup_kill(c->cgroup)) {
		err_errno(errno, "kill the tasks of %s", c->cgroup);
		hint_errno(errno);
		return -1;
	}
	if (cgroup_wait_empty(c->cgroup, CKPTCTL_TIMEOUT_MS) && errno != ENOENT) {
		/* Something outlived its init: kill it all. */
		if (cgroup_kill(c->cgroup) ||
		    cgroup_wait_empty(c->cgroup, CKPTCTL_TIMEOUT_MS)) {
			err_errno(errno, "wait for %s to empty", c->cgroup);
			return -1;
		}
	}
	return container_release(c);
}

static const char *container_status(const char *cg)
{
	int populated, frozen;

	if (cgroup_events(cg, &populated, &frozen))
		return errno == ENOENT ? "gone" : "unknown";
	if (!populated)
		return "exited";
	return frozen ? "frozen" : "running";
}

/* `ckptctl ps`: one line per container with state in the run directory. */
int container_list(void)
{
	struct dirent **names;
	int i, n;

	n = scandir(run_dir(), &names, NULL, alphasort);
	if (n < 0) {
		if (errno == ENOENT) {
			printf("%-16s %8s %-8s %s\n", "NAME", "PID", "STATUS",
			       "CGROUP");
			return 0;
		}
		err_errno(errno, "read %s", run_dir());
		return -1;
	}
	printf("%-16s %8s %-8s %s\n", "NAME", "PID", "STATUS", "CGROUP");
	for (i = 0; i < n; i++) {
		struct container c;

		memset(&c, 0, sizeof(c));
		if (!str_copy(c.name, sizeof(c.name), names[i]->d_name) &&
		    name_valid(c.name) && !read_state(&c))
			printf("%-16s %8d %-8s %s\n", c.name, c.pid,
			       container_status(c.cgroup), c.cgroup);
		free(names[i]);
	}
	free(names);
	return 0;
}

/* Is the cgroup one that ckptctl made (CGROOT/ckpt/NAME)? */
bool container_owns_cgroup(const struct container *c)
{
	const char *root = cgroup_root();
	char want[4200];

	if (!root || !c->name[0])
		return false;
	snprintf(want, sizeof(want), "%s/%s/%s", root, CGROUP_SUBDIR, c->name);
	return !strcmp(want, c->cgroup);
}
