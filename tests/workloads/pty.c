// SPDX-License-Identifier: GPL-2.0
/*
 * pty: an interactive busybox shell on a pty, driven through the master.
 *
 *   pty DIR [WINDOW_MS]
 *
 * The container's init opens a pty and runs "sh -i" on its slave as the
 * leader of a new session whose controlling terminal it is (the shell
 * opens /dev/tty and does job control).  It then types commands through
 * the master: a setting (stty -iexten), a background job appending a
 * counter to DIR/job.out, and "(sleep S); echo slept" in the foreground,
 * S being the window (below) and 4 seconds more.
 * While that runs, it types ahead a whole line and half of another, which
 * the slave's line discipline holds in canonical mode while the terminal
 * echoes them to the master, and leaves all that unread: it prints
 * "ckpt-window" and sleeps WINDOW_MS (6000), the time for a checkpoint, with
 * input held in both directions and the foreground group the sleeping
 * subshell's.  Then it checks the foreground group, types the end of the
 * half line, "stty -a", "jobs" and "tty", waits for the job to finish,
 * and exits the shell.
 *
 * RESULT: the FNV-1a hash and length of everything read from the
 * master (prompts, echoes, outputs), the job's count and whether its lines
 * are 1..N in order, the foreground group seen in the window and at the
 * end, whether the slave kept its name, its owner and mode (chown'ed to
 * 1234:5, 0620 at the start, as a login does), and the shell's exit status.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <poll.h>
#include <stdbool.h>
#include <signal.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <termios.h>

#include "workload.h"

#define JOB_LINES 60

static int master = -1;
static char script[65536];
static size_t script_len;
static size_t mark;

static void msleep(long ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };

	while (nanosleep(&ts, &ts) && errno == EINTR)
		;
}

/* Reads what the master has, for up to @ms; false at end of file (EIO). */
static bool pump(int ms)
{
	struct pollfd p = { .fd = master, .events = POLLIN };
	ssize_t n;

	if (poll(&p, 1, ms) <= 0)
		return true;
	if (script_len == sizeof(script))
		workload_die("transcript full");
	n = read(master, script + script_len, sizeof(script) - script_len);
	if (n <= 0)
		return false;
	script_len += n;
	return true;
}

/* Reads until @s shows after the mark, then moves the mark past it. */
static void expect(const char *s, int secs)
{
	int i;

	for (i = 0; i < secs * 10; i++) {
		char *hit = memmem(script + mark, script_len - mark, s, strlen(s));

		if (hit) {
			mark = hit - script + strlen(s);
			return;
		}
		if (!pump(100))
			break;
	}
	workload_fail("no '%s' from the shell", s);
	printf("RESULT FAIL\n");
	exit(1);
}

static void type(const char *s)
{
	if (write(master, s, strlen(s)) != (ssize_t)strlen(s))
		workload_die("write to the master");
}

/* Waits until the slave is in canonical mode with echo: a command runs. */
static bool cooked(int secs)
{
	struct termios t;
	int i;

	for (i = 0; i < secs * 10; i++) {
		if (tcgetattr(master, &t))
			workload_die("tcgetattr");
		if ((t.c_lflag & (ICANON | ECHO)) == (ICANON | ECHO))
			return true;
		msleep(100);
	}
	return false;
}

/* The foreground group, as the shell's session sees it. */
static const char *fg_name(pid_t shell)
{
	pid_t fg = tcgetpgrp(master);

	if (fg < 0)
		return "none";
	if (fg == shell)
		return "shell";
	if (getsid(fg) == shell && kill(-fg, 0) == 0)
		return "job";
	return "other";
}

static int job_lines(bool *in_order)
{
	char line[64];
	FILE *f = fopen("job.out", "r");
	int n = 0;

	*in_order = true;
	if (!f)
		return 0;
	while (fgets(line, sizeof(line), f))
		if (atoi(line) != ++n)
			*in_order = false;
	fclose(f);
	return n;
}

static void child(const char *slave)
{
	int fd;

	if (setsid() < 0)
		_exit(126);
	fd = open(slave, O_RDWR);	/* the session's controlling terminal */
	if (fd < 0)
		_exit(126);
	dup2(fd, 0);
	dup2(fd, 1);
	dup2(fd, 2);
	if (fd > 2)
		close(fd);
	close(master);
	setenv("PS1", "$ ", 1);
	setenv("TERM", "dumb", 1);
	unsetenv("ENV");
	/* PTY_SH: another shell binary, to try the workload outside a guest. */
	execl(getenv("PTY_SH") ?: "/bin/sh", "sh", "-i", (char *)NULL);
	_exit(127);
}

int main(int argc, char **argv)
{
	struct winsize ws = { .ws_row = 33, .ws_col = 101 };
	const char *fg_window, *fg_end;
	char slave[64], again[64], fg_cmd[64];
	long window;
	uint64_t hash = 0xcbf29ce484222325ULL;
	bool in_order;
	struct stat st;
	int status, lines, i;
	pid_t shell;
	size_t k;

	workload_init();
	if (argc < 2 || argc > 3) {
		fprintf(stderr, "usage: pty DIR [WINDOW_MS]\n");
		return 2;
	}
	window = arg_long(argc, argv, 2, 6000);
	snprintf(fg_cmd, sizeof(fg_cmd), "(sleep %ld); echo slept\n",
		 window / 1000 + 4);
	mkdir(argv[1], 0755);
	if (chdir(argv[1]))
		workload_die("chdir");
	master = posix_openpt(O_RDWR | O_NOCTTY);
	if (master < 0 || grantpt(master) || unlockpt(master) ||
	    ptsname_r(master, slave, sizeof(slave)))
		workload_die("posix_openpt");
	if (ioctl(master, TIOCSWINSZ, &ws))
		workload_die("TIOCSWINSZ");
	/* As a login would: the slave belongs to its user, group tty. */
	if (chown(slave, 1234, 5) || chmod(slave, 0620))
		workload_die("chown");
	shell = fork();
	if (shell < 0)
		workload_die("fork");
	if (!shell)
		child(slave);
	printf("ready pid %d shell %d\n", getpid(), shell);

	expect("$ ", 60);
	type("stty -iexten\n");
	expect("$ ", 60);
	type("(i=0; while [ $i -lt 60 ]; do i=$((i+1)); echo $i >> job.out; sleep 0.3; done) &\n");
	expect("$ ", 60);
	type(fg_cmd);
	if (!cooked(10))
		workload_fail("the foreground command did not start");
	msleep(300);
	/* A line and half of one, held by the slave, echoed to the master. */
	type("echo $((6*7))\n");
	type("echo $((3*");
	printf("ckpt-window pid %d\n", getpid());
	msleep(window);

	fg_window = fg_name(shell);
	if (ptsname_r(master, again, sizeof(again)) || strcmp(again, slave))
		workload_fail("the slave was %s, is %s", slave, again);
	printf("after pid %d fg %s\n", getpid(), fg_window);
	if (!cooked(1))
		workload_fail("the foreground command ended too early");
	type("11))\n");
	expect("slept", 60);
	expect("\n42\r", 60);
	expect("\n33\r", 60);
	expect("$ ", 60);
	type("stty -a\n");
	expect("$ ", 60);
	type("jobs\n");
	expect("$ ", 60);
	type("[ -t 0 ] && tty >/dev/null && echo tty-ok\n");
	expect("tty-ok\r", 60);
	expect("$ ", 60);
	for (i = 0; i < 600 && job_lines(&in_order) < JOB_LINES; i++)
		msleep(100);
	msleep(1500);
	fg_end = fg_name(shell);
	type("echo end\n");
	expect("end\r", 60);
	expect("$ ", 60);
	type("exit\n");
	while (pump(1000))
		;
	if (waitpid(shell, &status, 0) != shell)
		workload_die("waitpid");
	lines = job_lines(&in_order);
	if (stat(slave, &st))
		memset(&st, 0, sizeof(st));

	for (k = 0; k < script_len; k++) {
		hash ^= (unsigned char)script[k];
		hash *= 0x100000001b3ULL;
	}
	/* The transcript, for people: control characters escaped. */
	printf("transcript:");
	for (k = 0; k < script_len; k++) {
		unsigned char c = script[k];

		if (c == '\n')
			printf("\\n\ntranscript:");
		else if (c < 32 || c > 126 || c == '\\')
			printf("\\x%02x", c);
		else
			putchar(c);
	}
	printf("\n");
	printf("RESULT %s transcript %016llx/%zu job %d %s fg %s/%s pts %s %u:%u %04o shell %d\n",
	       workload_bad ? "FAIL" : "OK", (unsigned long long)hash,
	       script_len, lines, in_order ? "in-order" : "BROKEN",
	       fg_window, fg_end, strcmp(again, slave) ? "changed" : "same",
	       st.st_uid, st.st_gid, st.st_mode & 07777,
	       WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status));
	return workload_bad ? 1 : 0;
}
