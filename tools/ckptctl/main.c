// SPDX-License-Identifier: GPL-2.0
/*
 * ckptctl: run, checkpoint, restart and inspect ckpt containers.
 *
 * See ckptctl(8) and Documentation/ckpt/ckptctl.rst.
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>

#include "ckptctl.h"

static const char main_usage[] =
"Usage: ckptctl COMMAND [OPTIONS] [ARGS]\n"
"       ckptctl --version | --help\n"
"\n"
"Commands:\n"
"  run [--name NAME] [--log FILE] [--wait] -- CMD [ARG...]\n"
"                      start CMD as the init of a new container\n"
"  checkpoint [-o FILE|-] [--kill] [--keep-frozen] [--subtree] NAME|PID\n"
"                      save a container to an image\n"
"  restart -i FILE|- [--name NAME] [--accept-changed-files] [--frozen] [--wait]\n"
"                      bring a container back from an image\n"
"  info [--json] FILE|-\n"
"                      decode and validate an image\n"
"  freeze NAME|PID     freeze a container (cgroup.freeze)\n"
"  thaw NAME|PID       thaw it\n"
"  kill NAME|PID       kill a container and remove its cgroup and state\n"
"  ps                  list containers\n"
"\n"
"'ckptctl COMMAND --help' describes each command.\n"
"\n"
"Exit status: 0 success, 1 operation failed, 2 usage error,\n"
"3 invalid image (info); with --wait, the container's exit status\n"
"(128 + signal number if a signal killed it).\n";

static const char run_usage[] =
"Usage: ckptctl run [--name NAME] [--log FILE] [--wait] -- CMD [ARG...]\n"
"\n"
"Start CMD as the init of a new container: new pid, uts, ipc and mount\n"
"namespaces, in a new cgroup CGROOT/ckpt/NAME, hostname NAME, stdin\n"
"/dev/null, stdout and stderr appended to the log file, no other fd open.\n"
"Prints the init's pid.\n"
"\n"
"  -n, --name NAME  container name (default: the first free cN)\n"
"  -l, --log FILE   log file (default: /run/ckpt/NAME.log)\n"
"  -w, --wait       wait for the container and exit with its status\n"
"  -h, --help       this help\n";

static const char checkpoint_usage[] =
"Usage: ckptctl checkpoint [-o FILE|-] [--kill] [--keep-frozen] [--subtree]\n"
"                          NAME|PID\n"
"\n"
"Freeze the container, write its image, and thaw it again (a container\n"
"that was frozen before stays frozen).  The kernel's reasons for a refusal\n"
"are shown prefixed 'ckptctl: kernel:'.  On failure the container is\n"
"thawed and left as it was, and no image file is left behind.\n"
"\n"
"  -o, --output FILE  the image (default: NAME.img in the current\n"
"                     directory); '-' writes it to standard output,\n"
"                     which must not be a terminal\n"
"  -k, --kill         kill the container after a successful checkpoint,\n"
"                     then remove its cgroup and state (the log stays)\n"
"  -f, --keep-frozen  leave the container frozen\n"
"  -s, --subtree      save the container even if it shares objects (memory,\n"
"                     file tables, open files, namespaces, shared memory)\n"
"                     with tasks outside it: no leak detection; each\n"
"                     object is saved as the container sees it and the\n"
"                     restarted container gets private copies, no longer\n"
"                     shared with anything outside (needs ckpt ABI 2)\n"
"  -h, --help         this help\n";

static const char restart_usage[] =
"Usage: ckptctl restart -i FILE|- [--name NAME] [--accept-changed-files]\n"
"                       [--frozen] [--wait]\n"
"\n"
"Restart a container from an image ('-': standard input, e.g. a pipe)\n"
"in a new cgroup CGROOT/ckpt/NAME.  Prints the pid of its init, a child\n"
"of ckptctl until ckptctl exits.\n"
"\n"
"  -i, --input FILE             the image\n"
"  -n, --name NAME              container name (default: the first free cN)\n"
"  -c, --accept-changed-files   accept regular files whose size or mtime\n"
"                               changed since the checkpoint\n"
"  -F, --frozen                 restart it frozen: it runs no instruction\n"
"                               before 'ckptctl thaw NAME'\n"
"  -w, --wait                   wait for it and exit with its status\n"
"  -h, --help                   this help\n";

static const char freeze_usage[] =
"Usage: ckptctl freeze NAME|PID\n"
"       ckptctl thaw NAME|PID\n"
"\n"
"Freeze or thaw the container's cgroup and wait (at most 10 s) until it\n"
"is done.\n";

static const char kill_usage[] =
"Usage: ckptctl kill NAME|PID\n"
"\n"
"SIGKILL the container's init, wait for its cgroup to empty, then remove\n"
"the cgroup and the state in /run/ckpt (the log file stays).  Also cleans\n"
"up after a container that has exited by itself.\n";

static const char ps_usage[] =
"Usage: ckptctl ps\n"
"\n"
"List the containers recorded in /run/ckpt: name, pid of the init,\n"
"status (running, frozen, exited, gone) and cgroup.\n";

static bool want_help(int argc, char **argv, const char *usage)
{
	int i;

	for (i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--"))
			break;
		if (!strcmp(argv[i], "-h") || !strcmp(argv[i], "--help")) {
			fputs(usage, stdout);
			return true;
		}
	}
	return false;
}

/* ---- run ---- */

static int absolute_path(const char *path, char *buf, size_t size)
{
	char cwd[PATH_MAX];

	if (path[0] == '/') {
		if (snprintf(buf, size, "%s", path) >= (int)size)
			goto toolong;
		return 0;
	}
	if (!getcwd(cwd, sizeof(cwd)))
		return -1;
	if (snprintf(buf, size, "%s/%s", cwd, path) >= (int)size)
		goto toolong;
	return 0;
toolong:
	errno = ENAMETOOLONG;
	return -1;
}

static int cmd_run(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "name", required_argument, NULL, 'n' },
		{ "log", required_argument, NULL, 'l' },
		{ "wait", no_argument, NULL, 'w' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *name = NULL, *log = NULL;
	char log_buf[PATH_MAX];
	struct container c;
	bool wait = false;
	pid_t pid;
	int opt;

	while ((opt = getopt_long(argc, argv, "+n:l:wh", opts, NULL)) != -1) {
		switch (opt) {
		case 'n':
			name = optarg;
			break;
		case 'l':
			log = optarg;
			break;
		case 'w':
			wait = true;
			break;
		case 'h':
			fputs(run_usage, stdout);
			return EXIT_OK;
		default:
			return usage_error("run", "bad option '%s'", argv[optind - 1]);
		}
	}
	if (optind >= argc)
		return usage_error("run", "no command to run");
	if (name && !name_valid(name))
		return usage_error("run", "bad name '%s': up to %d letters, digits, '.', '_' or '-', not all digits",
				   name, NAME_MAX_LEN);
	if (log && absolute_path(log, log_buf, sizeof(log_buf))) {
		err_errno(errno, "log file %s", log);
		return EXIT_FAIL;
	}
	if (container_claim(name, &c))
		return EXIT_FAIL;
	if (!log)
		snprintf(log_buf, sizeof(log_buf), "%s/%s.log", run_dir(), c.name);
	if (container_run(&c, log_buf, argv + optind, &pid)) {
		container_release(&c);
		return EXIT_FAIL;
	}
	if (container_save_state(&c, log_buf)) {
		container_kill(&c);
		return EXIT_FAIL;
	}
	printf("%d\n", pid);
	if (fflush(stdout))
		err_errno(errno, "write to standard output");
	if (wait)
		return container_wait(&c, pid);
	return EXIT_OK;
}

/* ---- checkpoint ---- */

struct output {
	int fd;
	const char *path;
	char tmp[PATH_MAX];	/* regular files are written here first */
};

/*
 * A regular file is written under a temporary name and renamed once the
 * image is complete: a failed checkpoint neither leaves half an image nor
 * destroys an older one.  FIFOs, sockets and devices are used as they are.
 */
static int open_output(struct output *o, const char *path)
{
	struct stat st;

	o->path = path;
	o->tmp[0] = '\0';
	if (!strcmp(path, "-")) {
		o->fd = STDOUT_FILENO;
		return 0;
	}
	if (!stat(path, &st) && !S_ISREG(st.st_mode)) {
		o->fd = open(path, O_WRONLY | O_CLOEXEC);
		if (o->fd < 0)
			err_errno(errno, "open %s", path);
		return o->fd < 0 ? -1 : 0;
	}
	if (snprintf(o->tmp, sizeof(o->tmp), "%s.tmp.XXXXXX", path) >=
	    (int)sizeof(o->tmp)) {
		err_errno(ENAMETOOLONG, "%s", path);
		return -1;
	}
	o->fd = mkostemp(o->tmp, O_CLOEXEC);
	if (o->fd < 0) {
		err_errno(errno, "create %s", path);
		o->tmp[0] = '\0';
		return -1;
	}
	return 0;
}

static void discard_output(struct output *o)
{
	if (o->fd > STDERR_FILENO)
		close(o->fd);
	o->fd = -1;
	if (o->tmp[0] && unlink(o->tmp))
		err_errno(errno, "remove %s", o->tmp);
}

static int finish_output(struct output *o)
{
	int ret = 0;

	if (o->tmp[0] && fsync(o->fd)) {
		err_errno(errno, "write %s", o->tmp);
		ret = -1;
	}
	if (o->fd > STDERR_FILENO && close(o->fd) && !ret) {
		err_errno(errno, "write %s", o->path);
		ret = -1;
	}
	o->fd = -1;
	if (!ret && o->tmp[0] && rename(o->tmp, o->path)) {
		err_errno(errno, "rename %s to %s", o->tmp, o->path);
		hint("the image is complete in %s", o->tmp);
		ret = -1;
	}
	return ret;
}

static void checkpoint_hint(int err)
{
	switch (err) {
	case EBUSY:
		hint("is the container frozen / ptraced, or does it share something with a task outside it (--subtree)? see the kernel's reason above");
		break;
	case EOPNOTSUPP:
		hint("the container holds something ckpt cannot save: see the kernel's reason above");
		break;
	case EINVAL:
		hint("is the target the init of a pid namespace, frozen in a cgroup of its own?");
		break;
	case ESRCH:
		hint("the container's init is gone");
		break;
	case EPIPE:
		hint("the reader of the image went away");
		break;
	case EINTR:
		hint("interrupted");
		break;
	default:
		hint_errno(err);
	}
}

static const char *display_name(const struct container *c, const char *arg)
{
	return c->name[0] ? c->name : arg;
}

/* The part of a checkpoint done with the container frozen. */
static int checkpoint_frozen(struct container *c, struct output *o,
			     unsigned int flags, const char *who)
{
	struct ckpt_checkpoint_args args;
	int pidfd, logfd, err;
	long ret;

	pidfd = container_pidfd(c);
	if (pidfd < 0) {
		err_errno(errno, "open the init of %s", who);
		hint_errno(errno);
		return -1;
	}
	logfd = log_fd_create();
	if (logfd < 0) {
		close(pidfd);
		return -1;
	}
	memset(&args, 0, sizeof(args));
	args.pidfd = pidfd;
	args.fd = o->fd;
	args.logfd = logfd;
	ret = sys_checkpoint(&args, sizeof(args), flags);
	err = errno;
	log_fd_dump(logfd);
	close(logfd);
	close(pidfd);
	if (ret < 0) {
		err_errno(err, "checkpoint %s", who);
		checkpoint_hint(err);
		return -1;
	}
	return 0;
}

/* After --kill: wait for the tasks to go, then remove cgroup and state. */
static int checkpoint_cleanup(struct container *c, const char *who)
{
	if (cgroup_wait_empty(c->cgroup, CKPTCTL_TIMEOUT_MS)) {
		err_errno(errno, "wait for %s to exit", who);
		return -1;
	}
	if (!container_owns_cgroup(c))
		return 0;
	return container_release(c);
}

static int cmd_checkpoint(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "output", required_argument, NULL, 'o' },
		{ "kill", no_argument, NULL, 'k' },
		{ "keep-frozen", no_argument, NULL, 'f' },
		{ "subtree", no_argument, NULL, 's' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *path = NULL, *who;
	bool kill_after = false, keep = false;
	unsigned int flags = 0;
	char def_path[NAME_MAX_LEN + 16];
	struct container c;
	struct output o;
	int opt, was_frozen, ret, err;

	while ((opt = getopt_long(argc, argv, "+o:kfsh", opts, NULL)) != -1) {
		switch (opt) {
		case 'o':
			path = optarg;
			break;
		case 'k':
			kill_after = true;
			flags |= CKPT_CHECKPOINT_KILL;
			break;
		case 'f':
			keep = true;
			break;
		case 's':
			flags |= CKPT_CHECKPOINT_SUBTREE;
			break;
		case 'h':
			fputs(checkpoint_usage, stdout);
			return EXIT_OK;
		default:
			return usage_error("checkpoint", "bad option '%s'", argv[optind - 1]);
		}
	}
	if (optind != argc - 1)
		return usage_error("checkpoint", "expected one container name or pid");
	if (path && !strcmp(path, "-") && isatty(STDOUT_FILENO))
		return usage_error("checkpoint", "refusing to write an image to a terminal");
	if (container_resolve(argv[optind], &c))
		return EXIT_FAIL;
	who = display_name(&c, argv[optind]);
	if (!path) {
		snprintf(def_path, sizeof(def_path), "%s.img", who);
		path = def_path;
	}
	if (!c.pid || !container_alive(&c)) {
		err_msg("%s is not running", who);
		hint("'ckptctl kill %s' removes what is left of it", who);
		return EXIT_FAIL;
	}
	/* CKPT_CHECKPOINT_SUBTREE is unknown (EINVAL) before ABI 2. */
	if (flags & CKPT_CHECKPOINT_SUBTREE ?
	    ckpt_require_kernel(false, CKPTCTL_ABI_SUBTREE, "--subtree") :
	    ckpt_require_kernel(false, CKPTCTL_ABI_MIN, NULL))
		return EXIT_FAIL;
	if (cgroup_read_freeze(c.cgroup, &was_frozen)) {
		err = errno;
		err_errno(err, "read %s/cgroup.freeze", c.cgroup);
		hint_errno(err);
		return EXIT_FAIL;
	}
	install_signal_handlers();
	if (open_output(&o, path))
		return EXIT_FAIL;
	if (cgroup_freeze(c.cgroup, true)) {
		err = errno;
		err_errno(err, "freeze %s", who);
		if (err == ETIMEDOUT)
			hint("a task may be stuck in the kernel (D state); try again");
		hint_errno(err);
		ret = -1;
	} else {
		ret = checkpoint_frozen(&c, &o, flags, who);
	}
	if (ret) {
		discard_output(&o);
		if (!keep && !was_frozen && cgroup_freeze(c.cgroup, false))
			err_errno(errno, "thaw %s", who);
		return EXIT_FAIL;
	}
	ret = finish_output(&o);
	if (kill_after) {
		if (checkpoint_cleanup(&c, who))
			ret = -1;
	} else if (!keep && !was_frozen && cgroup_freeze(c.cgroup, false)) {
		err_errno(errno, "thaw %s", who);
		ret = -1;
	}
	return ret ? EXIT_FAIL : EXIT_OK;
}

/* ---- restart ---- */

static void restart_hint(int err)
{
	switch (err) {
	case EINVAL:
	case EBADMSG:
	case ENOEXEC:
	case EPROTO:
		hint("'ckptctl info' validates the image and names the first bad byte");
		break;
	case ESTALE:
		hint("a file changed since the checkpoint: --accept-changed-files restarts anyway");
		break;
	case EOPNOTSUPP:
		hint("the image needs something this kernel or CPU lacks: see the kernel's reason above");
		break;
	default:
		hint_errno(err);
	}
}

static int do_restart(int infd, struct container *c, unsigned int flags,
		      pid_t *pid)
{
	struct ckpt_restart_args args;
	int cgfd, logfd, err;
	long ret;

	cgfd = open(c->cgroup, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (cgfd < 0) {
		err_errno(errno, "open cgroup %s", c->cgroup);
		return -1;
	}
	logfd = log_fd_create();
	if (logfd < 0) {
		close(cgfd);
		return -1;
	}
	memset(&args, 0, sizeof(args));
	args.fd = infd;
	args.logfd = logfd;
	args.cgroup_fd = cgfd;
	install_signal_handlers();
	ret = sys_restart(&args, sizeof(args), flags);
	err = errno;
	restore_signal_handlers();
	log_fd_dump(logfd);
	close(logfd);
	close(cgfd);
	if (ret < 0) {
		err_errno(err, "restart");
		restart_hint(err);
		return -1;
	}
	*pid = ret;
	return 0;
}

static int cmd_restart(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "input", required_argument, NULL, 'i' },
		{ "name", required_argument, NULL, 'n' },
		{ "accept-changed-files", no_argument, NULL, 'c' },
		{ "frozen", no_argument, NULL, 'F' },
		{ "wait", no_argument, NULL, 'w' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *input = NULL, *name = NULL;
	unsigned int flags = 0;
	bool wait = false, frozen = false;
	struct container c;
	int opt, fd;
	pid_t pid;

	while ((opt = getopt_long(argc, argv, "+i:n:cFwh", opts, NULL)) != -1) {
		switch (opt) {
		case 'i':
			input = optarg;
			break;
		case 'n':
			name = optarg;
			break;
		case 'c':
			flags |= CKPT_RESTART_FILES_CHANGED;
			break;
		case 'F':
			frozen = true;
			break;
		case 'w':
			wait = true;
			break;
		case 'h':
			fputs(restart_usage, stdout);
			return EXIT_OK;
		default:
			return usage_error("restart", "bad option '%s'", argv[optind - 1]);
		}
	}
	if (optind != argc)
		return usage_error("restart", "unexpected argument '%s'", argv[optind]);
	if (!input)
		return usage_error("restart", "no image: -i FILE, or -i - for standard input");
	if (name && !name_valid(name))
		return usage_error("restart", "bad name '%s'", name);
	if (!strcmp(input, "-")) {
		if (isatty(STDIN_FILENO))
			return usage_error("restart", "refusing to read an image from a terminal");
		fd = STDIN_FILENO;
	} else {
		fd = open(input, O_RDONLY | O_CLOEXEC);
		if (fd < 0) {
			err_errno(errno, "open %s", input);
			return EXIT_FAIL;
		}
	}
	if (ckpt_require_kernel(true, CKPTCTL_ABI_MIN, NULL) ||
	    container_claim(name, &c))
		return EXIT_FAIL;
	/* In a frozen cgroup, the container freezes before its first instruction. */
	if (frozen && cgroup_freeze(c.cgroup, true)) {
		err_errno(errno, "freeze cgroup %s", c.cgroup);
		container_release(&c);
		return EXIT_FAIL;
	}
	if (do_restart(fd, &c, flags, &pid)) {
		container_release(&c);
		return EXIT_FAIL;
	}
	if (fd != STDIN_FILENO)
		close(fd);
	c.pid = pid;
	if (container_save_state(&c, NULL))
		return EXIT_FAIL;	/* it runs: keep it, kill by name */
	printf("%d\n", pid);
	if (fflush(stdout))
		err_errno(errno, "write to standard output");
	if (wait)
		return container_wait(&c, pid);
	return EXIT_OK;
}

/* ---- small helpers ---- */

static int one_target(int argc, char **argv, const char *cmd,
		      const char *usage, struct container *c, int *status)
{
	if (want_help(argc, argv, usage)) {
		*status = EXIT_OK;
		return -1;
	}
	if (argc != 2 || argv[1][0] == '-') {
		*status = usage_error(cmd, "expected one container name or pid");
		return -1;
	}
	if (container_resolve(argv[1], c)) {
		*status = EXIT_FAIL;
		return -1;
	}
	return 0;
}

static int cmd_freeze_thaw(int argc, char **argv, bool freeze)
{
	const char *cmd = freeze ? "freeze" : "thaw";
	struct container c;
	int status;

	if (one_target(argc, argv, cmd, freeze_usage, &c, &status))
		return status;
	if (cgroup_freeze(c.cgroup, freeze)) {
		int err = errno;

		err_errno(err, "%s %s", cmd, display_name(&c, argv[1]));
		if (err == ETIMEDOUT && freeze)
			hint("a task may be stuck in the kernel (D state)");
		else if (err == EBUSY && !freeze)
			hint("a checkpoint may be in progress");
		hint_errno(err);
		return EXIT_FAIL;
	}
	return EXIT_OK;
}

static int cmd_kill(int argc, char **argv)
{
	struct container c;
	int status;

	if (one_target(argc, argv, "kill", kill_usage, &c, &status))
		return status;
	return container_kill(&c) ? EXIT_FAIL : EXIT_OK;
}

static int cmd_ps(int argc, char **argv)
{
	if (want_help(argc, argv, ps_usage))
		return EXIT_OK;
	if (argc != 1)
		return usage_error("ps", "no arguments expected");
	if (container_list())
		return EXIT_FAIL;
	return fflush(stdout) ? EXIT_FAIL : EXIT_OK;
}

static int cmd_version(void)
{
	long abi;

	printf("ckptctl %s (image format %d, ABI %d)\n", CKPTCTL_VERSION,
	       CKPT_FORMAT_VERSION, CKPT_ABI);
	if (!ckpt_abi_query(false, &abi))
		printf("kernel: ckpt ABI %ld\n", abi);
	else if (errno == ENOSYS)
		printf("kernel has no ckpt support (CONFIG_CKPT)\n");
	else
		printf("kernel does not answer the ckpt ABI query (%s): not a ckpt kernel\n",
		       strerror(errno));
	return fflush(stdout) ? EXIT_FAIL : EXIT_OK;
}

static const struct command {
	const char *name;
	int (*fn)(int argc, char **argv);
} commands[] = {
	{ "run", cmd_run },
	{ "checkpoint", cmd_checkpoint },
	{ "restart", cmd_restart },
	{ "info", cmd_info },
	{ "kill", cmd_kill },
	{ "ps", cmd_ps },
};

int main(int argc, char **argv)
{
	const char *cmd;
	size_t i;

	opterr = 0;	/* usage_error() says it, once */
	if (argc < 2)
		return usage_error(NULL, "no command");
	cmd = argv[1];
	if (!strcmp(cmd, "--version") || !strcmp(cmd, "-V"))
		return cmd_version();
	if (!strcmp(cmd, "--help") || !strcmp(cmd, "-h") ||
	    !strcmp(cmd, "help")) {
		fputs(main_usage, stdout);
		return EXIT_OK;
	}
	/* Each command parses argv as if it were its own program. */
	if (!strcmp(cmd, "freeze"))
		return cmd_freeze_thaw(argc - 1, argv + 1, true);
	if (!strcmp(cmd, "thaw"))
		return cmd_freeze_thaw(argc - 1, argv + 1, false);
	for (i = 0; i < ARRAY_SIZE(commands); i++)
		if (!strcmp(cmd, commands[i].name))
			return commands[i].fn(argc - 1, argv + 1);
	return usage_error(NULL, "unknown command '%s'", cmd);
}
