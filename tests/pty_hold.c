// SPDX-License-Identifier: GPL-2.0
/*
 * pty_hold - set up a pty that checkpoint refuses as fd 3 (and the master
 * as fd 4 when the container holds both), then exec a command (which
 * keeps them): the helper of pty_refused.sh.
 *
 * Usage: pty_hold MODE -- COMMAND [ARGS...]
 *   serve      (no fd 3) open a pty, print "SERVING /dev/pts/N" and pause:
 *              a master outside the container, whose slave it opens
 *   stopped    a pair whose output is stopped (tcflow(TCOOFF) on the slave)
 *   lnext      a pair whose slave's line discipline waits for the character
 *              after a literal-next (^V)
 *   full       a pair whose slave has more input than its line discipline
 *              takes (raw mode, 8 KiB written to the master)
 *   hungup     a slave whose master was closed
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

static void die(const char *what)
{
	fprintf(stderr, "pty_hold: %s: %s\n", what, strerror(errno));
	exit(1);
}

/* A pty: the master at @mfd, its slave at @sfd. */
static void pair(int mfd, int sfd)
{
	char name[64];
	int m, s, hm, hs;

	m = posix_openpt(O_RDWR | O_NOCTTY);
	if (m < 0 || grantpt(m) || unlockpt(m) ||
	    ptsname_r(m, name, sizeof(name)))
		die("posix_openpt");
	s = open(name, O_RDWR | O_NOCTTY);
	if (s < 0)
		die(name);
	/* Out of the way of @mfd and @sfd first. */
	hm = fcntl(m, F_DUPFD, 10);
	hs = fcntl(s, F_DUPFD, 10);
	close(m);
	close(s);
	if (hm < 0 || hs < 0 || dup2(hm, mfd) < 0 || dup2(hs, sfd) < 0)
		die("dup2");
	close(hm);
	close(hs);
}

int main(int argc, char **argv)
{
	struct termios t;
	char buf[8192];
	int i;

	if (argc < 2)
		goto usage;
	if (!strcmp(argv[1], "serve")) {
		int m = posix_openpt(O_RDWR | O_NOCTTY);

		if (m < 0 || grantpt(m) || unlockpt(m))
			die("posix_openpt");
		printf("SERVING %s\n", ptsname(m));
		fflush(stdout);
		pause();
		return 0;
	}
	for (i = 2; i < argc && strcmp(argv[i], "--"); i++)
		;
	if (i + 1 >= argc)
		goto usage;
	pair(4, 3);
	if (!strcmp(argv[1], "stopped")) {
		if (tcflow(3, TCOOFF))
			die("tcflow");
	} else if (!strcmp(argv[1], "lnext")) {
		if (write(4, "ab\026", 3) != 3)
			die("write");
	} else if (!strcmp(argv[1], "full")) {
		if (tcgetattr(3, &t))
			die("tcgetattr");
		cfmakeraw(&t);
		if (tcsetattr(3, TCSANOW, &t))
			die("tcsetattr");
		memset(buf, 'x', sizeof(buf));
		if (write(4, buf, sizeof(buf)) != sizeof(buf))
			die("write");
	} else if (!strcmp(argv[1], "hungup")) {
		close(4);
	} else {
		goto usage;
	}
	/* The line discipline takes the input in a work item: let it. */
	usleep(200000);
	execvp(argv[i + 1], argv + i + 1);
	die(argv[i + 1]);
usage:
	fprintf(stderr, "usage: pty_hold serve | MODE -- COMMAND [ARGS...]\n");
	return 2;
}
