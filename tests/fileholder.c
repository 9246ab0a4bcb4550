// SPDX-License-Identifier: GPL-2.0
/*
 * fileholder - a container's init that holds, as fd 3, an open file that
 * checkpoint refuses, then waits (files_refused.sh).
 *
 * Usage: fileholder MODE PATH
 *   lease   PATH opened read-only with a read lease (F_SETLEASE)
 *   setown  PATH opened with an owner for SIGIO (F_SETOWN)
 *   opath   PATH opened with O_PATH
 *   inet    a UDP socket (PATH unused)
 *
 * It prints "READY" once fd 3 is set up, then waits in pause().
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	int fd = -1;

	if (argc != 3) {
		fprintf(stderr, "usage: fileholder lease|setown|opath|inet PATH\n");
		return 2;
	}
	if (!strcmp(argv[1], "lease")) {
		fd = open(argv[2], O_RDONLY);
		if (fd >= 0 && fcntl(fd, F_SETLEASE, F_RDLCK))
			fd = -1;
	} else if (!strcmp(argv[1], "setown")) {
		fd = open(argv[2], O_RDONLY);
		if (fd >= 0 && fcntl(fd, F_SETOWN, getpid()))
			fd = -1;
	} else if (!strcmp(argv[1], "opath")) {
		fd = open(argv[2], O_PATH);
	} else if (!strcmp(argv[1], "inet")) {
		fd = socket(AF_INET, SOCK_DGRAM, 0);
	}
	if (fd < 0 || dup2(fd, 3) != 3) {
		perror(argv[1]);
		return 1;
	}
	printf("READY\n");
	fflush(stdout);
	for (;;)
		pause();
}
