// SPDX-License-Identifier: GPL-2.0
/*
 * unix_hold - set up a socket that checkpoint refuses as fd 3, then exec a
 * command (which keeps it): the helper of unix_refused.sh.
 *
 * Usage: unix_hold MODE [ARG] -- COMMAND [ARGS...]
 *   inet            an AF_INET datagram socket
 *   rights          a socketpair (fds 3, 4) with fd 0 in flight to fd 3
 *   oob             a stream socketpair (fds 3, 4), a byte of MSG_OOB to 3
 *   listen NAME     a stream socket listening on abstract name NAME
 *   unlinked PATH   a datagram socket bound to PATH, whose file was removed
 *   orphan NAME     a stream socket accepted (fd 3) from a listener on
 *                   abstract name NAME, closed since; its client is fd 4
 *   connect NAME    a stream socket connected to abstract name NAME
 *   serve NAME      (no fd 3) listen on abstract name NAME and pause:
 *                   a listener outside the container for "connect"
 *   dial NAME       (no fd 3) connect to abstract name NAME and pause: a
 *                   client outside the container for "listen"
 *   dgconnect NAME  a datagram socket connected to abstract name NAME
 *   dgserve NAME    (no fd 3) a datagram socket bound to abstract name
 *                   NAME, and pause: a server outside for "dgconnect"
 *   chain NAME      datagram sockets 3 -> 4 -> 5 connected one way, 4 and 5
 *                   bound to abstract names NAME.4 and NAME.5
 *   halfpair        a datagram socketpair (3, 4): 4 sent a datagram to 3
 *                   and disconnected (connect AF_UNSPEC)
 *   pathsent PATH   a datagram socket bound to an abstract name, holding
 *                   a datagram from a socket bound to PATH, closed since
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <netinet/in.h>
#include <unistd.h>

static void die(const char *what)
{
	fprintf(stderr, "unix_hold: %s: %s\n", what, strerror(errno));
	exit(1);
}

static socklen_t addr(struct sockaddr_un *sun, const char *name, int abstract)
{
	size_t len = strlen(name);

	memset(sun, 0, sizeof(*sun));
	sun->sun_family = AF_UNIX;
	if (len + 2 > sizeof(sun->sun_path)) {
		errno = ENAMETOOLONG;
		die(name);
	}
	memcpy(sun->sun_path + !!abstract, name, len);
	return offsetof(struct sockaddr_un, sun_path) + !!abstract + len +
	       !abstract;
}

static void at(int fd, int want)
{
	if (fd != want && (dup2(fd, want) < 0 || close(fd)))
		die("dup2");
}

int main(int argc, char **argv)
{
	struct sockaddr_un sun;
	int i = 2, fd, sv[2];
	socklen_t len;

	if (argc < 2)
		return 2;
	if (!strcmp(argv[1], "inet")) {
		fd = socket(AF_INET, SOCK_DGRAM, 0);
		if (fd < 0)
			die("socket");
		at(fd, 3);
	} else if (!strcmp(argv[1], "rights") || !strcmp(argv[1], "oob")) {
		if (socketpair(AF_UNIX, SOCK_STREAM, 0, sv))
			die("socketpair");
		at(sv[0], 10);
		at(sv[1], 11);
		at(10, 3);
		at(11, 4);
		if (!strcmp(argv[1], "oob")) {
			if (send(4, "!", 1, MSG_OOB) != 1)
				die("send MSG_OOB");
		} else {
			union {
				struct cmsghdr h;
				char b[CMSG_SPACE(sizeof(int))];
			} ctl = { };
			struct iovec iov = { "x", 1 };
			struct msghdr mh = {
				.msg_iov = &iov, .msg_iovlen = 1,
				.msg_control = &ctl, .msg_controllen = sizeof(ctl),
			};
			int zero = 0;

			ctl.h.cmsg_len = CMSG_LEN(sizeof(int));
			ctl.h.cmsg_level = SOL_SOCKET;
			ctl.h.cmsg_type = SCM_RIGHTS;
			memcpy(CMSG_DATA(&ctl.h), &zero, sizeof(zero));
			if (sendmsg(4, &mh, 0) != 1)
				die("sendmsg SCM_RIGHTS");
		}
	} else if (argc > 2 && (!strcmp(argv[1], "listen") ||
				!strcmp(argv[1], "serve") ||
				!strcmp(argv[1], "connect"))) {
		i = 3;
		fd = socket(AF_UNIX, SOCK_STREAM, 0);
		if (fd < 0)
			die("socket");
		len = addr(&sun, argv[2], 1);
		if (!strcmp(argv[1], "connect")) {
			if (connect(fd, (struct sockaddr *)&sun, len))
				die("connect");
		} else if (bind(fd, (struct sockaddr *)&sun, len) ||
			   listen(fd, 8)) {
			die("bind, listen");
		}
		if (!strcmp(argv[1], "serve")) {
			printf("SERVING\n");
			fflush(stdout);
			for (;;)
				pause();
		}
		at(fd, 3);
	} else if (argc > 2 && !strcmp(argv[1], "dial")) {
		fd = socket(AF_UNIX, SOCK_STREAM, 0);
		if (fd < 0)
			die("socket");
		len = addr(&sun, argv[2], 1);
		if (connect(fd, (struct sockaddr *)&sun, len))
			die("connect");
		printf("DIALED\n");
		fflush(stdout);
		for (;;)
			pause();
	} else if (argc > 2 && !strcmp(argv[1], "orphan")) {
		int lfd = socket(AF_UNIX, SOCK_STREAM, 0);

		i = 3;
		fd = socket(AF_UNIX, SOCK_STREAM, 0);
		if (lfd < 0 || fd < 0)
			die("socket");
		len = addr(&sun, argv[2], 1);
		if (bind(lfd, (struct sockaddr *)&sun, len) || listen(lfd, 8) ||
		    connect(fd, (struct sockaddr *)&sun, len))
			die("bind, listen, connect");
		at(fd, 4);
		fd = accept(lfd, NULL, NULL);
		if (fd < 0)
			die("accept");
		close(lfd);
		at(fd, 3);
	} else if (argc > 2 && (!strcmp(argv[1], "bound") ||
				!strcmp(argv[1], "unlinked"))) {
		i = 3;
		fd = socket(AF_UNIX, SOCK_DGRAM, 0);
		if (fd < 0)
			die("socket");
		len = addr(&sun, argv[2], 0);
		if (bind(fd, (struct sockaddr *)&sun, len))
			die("bind");
		if (!strcmp(argv[1], "unlinked") && unlink(argv[2]))
			die("unlink");
		at(fd, 3);
	} else if (argc > 2 && (!strcmp(argv[1], "dgconnect") ||
				!strcmp(argv[1], "dgserve"))) {
		i = 3;
		fd = socket(AF_UNIX, SOCK_DGRAM, 0);
		if (fd < 0)
			die("socket");
		len = addr(&sun, argv[2], 1);
		if (!strcmp(argv[1], "dgconnect")) {
			if (connect(fd, (struct sockaddr *)&sun, len))
				die("connect");
		} else {
			if (bind(fd, (struct sockaddr *)&sun, len))
				die("bind");
			printf("SERVING\n");
			fflush(stdout);
			for (;;)
				pause();
		}
		at(fd, 3);
	} else if (argc > 2 && !strcmp(argv[1], "chain")) {
		char name[100];
		int s[3], k;

		i = 3;
		for (k = 0; k < 3; k++) {
			s[k] = socket(AF_UNIX, SOCK_DGRAM, 0);
			if (s[k] < 0)
				die("socket");
			at(s[k], 10 + k);
			s[k] = 10 + k;
		}
		for (k = 1; k < 3; k++) {
			snprintf(name, sizeof(name), "%s.%d", argv[2], 3 + k);
			len = addr(&sun, name, 1);
			if (bind(s[k], (struct sockaddr *)&sun, len))
				die("bind");
		}
		/* 3 -> 4 first: 4 may not be connected to another yet. */
		for (k = 0; k < 2; k++) {
			snprintf(name, sizeof(name), "%s.%d", argv[2], 4 + k);
			len = addr(&sun, name, 1);
			if (connect(s[k], (struct sockaddr *)&sun, len))
				die("connect");
		}
		for (k = 0; k < 3; k++)
			at(s[k], 3 + k);
	} else if (!strcmp(argv[1], "halfpair")) {
		struct sockaddr sa = { .sa_family = AF_UNSPEC };

		if (socketpair(AF_UNIX, SOCK_DGRAM, 0, sv))
			die("socketpair");
		at(sv[0], 10);
		at(sv[1], 11);
		at(10, 3);
		at(11, 4);
		if (send(4, "x", 1, 0) != 1 || connect(4, &sa, sizeof(sa)))
			die("send, disconnect");
	} else if (argc > 2 && !strcmp(argv[1], "pathsent")) {
		struct sockaddr_un to;
		socklen_t to_len;
		int s2;

		i = 3;
		fd = socket(AF_UNIX, SOCK_DGRAM, 0);
		s2 = socket(AF_UNIX, SOCK_DGRAM, 0);
		if (fd < 0 || s2 < 0)
			die("socket");
		to_len = addr(&to, "ckpt-pathsent", 1);
		len = addr(&sun, argv[2], 0);
		if (bind(fd, (struct sockaddr *)&to, to_len) ||
		    bind(s2, (struct sockaddr *)&sun, len))
			die("bind");
		if (sendto(s2, "x", 1, 0, (struct sockaddr *)&to, to_len) != 1)
			die("sendto");
		close(s2);
		at(fd, 3);
	} else {
		fprintf(stderr, "unix_hold: unknown mode %s\n", argv[1]);
		return 2;
	}
	if (i >= argc || strcmp(argv[i], "--") || i + 1 >= argc)
		return 2;
	execvp(argv[i + 1], argv + i + 1);
	die(argv[i + 1]);
	return 1;
}
