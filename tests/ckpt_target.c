// SPDX-License-Identifier: GPL-2.0
/*
 * ckpt_target - the program a test container of the C tests runs.
 *
 * Usage: ckpt_target MODE, with fd 3 the write end of a pipe: it writes
 * "R" there once it is set up, closes it, and waits.  The test waits for
 * the "R" and then for end of file, so that the pipe is gone from the
 * container before it is checkpointed.
 *
 *   idle   hold only what checkpoint supports
 *   socket also hold an inet socket (checkpoint must refuse it; unix
 *          socket pairs are saved since issue 4)
 *   files  also hold open files that format 4 saves (see files_setup())
 *   child  also have a child process (checkpoint must refuse it)
 *   spin   busy loop in user space instead of waiting in pause()
 *
 * On SIGUSR1 it checks that its heap and data still hold what it wrote
 * there and exits with 42 if so, 43 if not: a restarted copy proves its
 * memory came back.  In mode files it first checks its open files, and
 * exits with 50 + the number of the first check that fails.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <netinet/in.h>
#include <unistd.h>

#include "lib/ckpt_test.h"

#define HEAP_WORDS	(64 * 1024 / 8)

static uint64_t *heap;
static uint64_t data_words[512] = { 1 };	/* .data, copied on write */
static volatile uint64_t spins;
static bool files_mode;
/* Mode files: a packet pipe, a pipe, a dup of its read end, a memfd. */
static int pkt[2], str[2], str_dup, mfd;

/*
 * A packet pipe (O_DIRECT) holding the packets "abc" and "defgh"; a pipe
 * of 8 KiB holding "hello", its read end dup()ed, its write end
 * close-on-exec; a memfd holding "0123456789" at offset 3.  Read ends are
 * O_NONBLOCK: what is missing after a restart fails instead of blocking.
 */
static int files_setup(void)
{
	if (pipe2(pkt, O_DIRECT) || pipe(str) ||
	    fcntl(str[1], F_SETPIPE_SZ, 8192) != 8192 ||
	    write(pkt[1], "abc", 3) != 3 || write(pkt[1], "defgh", 5) != 5 ||
	    write(str[1], "hello", 5) != 5 ||
	    fcntl(pkt[0], F_SETFL, O_NONBLOCK) ||
	    fcntl(str[0], F_SETFL, O_NONBLOCK) ||
	    fcntl(str[1], F_SETFD, FD_CLOEXEC))
		return -1;
	str_dup = dup(str[0]);
	mfd = memfd_create("ckpt-target", 0);
	if (str_dup < 0 || mfd < 0 || write(mfd, "0123456789", 10) != 10 ||
	    lseek(mfd, 3, SEEK_SET) != 3)
		return -1;
	return 0;
}

/* 0, or the number of the first check that fails. */
static int files_check(void)
{
	char buf[16];

	if (read(pkt[0], buf, sizeof(buf)) != 3 || memcmp(buf, "abc", 3))
		return 1;	/* packet boundaries and contents */
	if (read(pkt[0], buf, sizeof(buf)) != 5 || memcmp(buf, "defgh", 5))
		return 2;
	if (read(pkt[0], buf, sizeof(buf)) != -1 || errno != EAGAIN)
		return 3;	/* nothing more, and O_NONBLOCK kept */
	if (!(fcntl(pkt[1], F_GETFL) & O_DIRECT))
		return 4;
	if (fcntl(str[0], F_GETPIPE_SZ) != 8192)
		return 5;
	if (read(str_dup, buf, sizeof(buf)) != 5 || memcmp(buf, "hello", 5))
		return 6;	/* read through the dup */
	if (read(str[0], buf, sizeof(buf)) != -1 || errno != EAGAIN)
		return 7;	/* the dup shares the open file */
	if (write(str[1], "x", 1) != 1 || read(str[0], buf, 1) != 1 ||
	    buf[0] != 'x')
		return 8;	/* the ends are one pipe */
	if (lseek(mfd, 0, SEEK_CUR) != 3 || read(mfd, buf, 3) != 3 ||
	    memcmp(buf, "345", 3))
		return 9;
	if (fcntl(str[1], F_GETFD) != FD_CLOEXEC)
		return 10;	/* close-on-exec kept */
	if (fcntl(str[0], F_GETFD))
		return 11;	/* ... and not given */
	return 0;
}

static uint64_t pattern(uint64_t i)
{
	return (i + 1) * 0x9e3779b97f4a7c15ULL;
}

static void on_usr1(int sig)
{
	uint64_t i;

	(void)sig;
	if (files_mode) {
		int bad = files_check();

		if (bad)
			_exit(50 + bad);
	}
	for (i = 0; i < HEAP_WORDS; i++)
		if (heap[i] != pattern(i))
			_exit(CKPT_TARGET_BAD);
	for (i = 0; i < 512; i++)
		if (data_words[i] != ~pattern(i))
			_exit(CKPT_TARGET_BAD);
	_exit(CKPT_TARGET_OK);
}

int main(int argc, char **argv)
{
	struct sigaction sa = { .sa_handler = on_usr1 };
	const char *mode = argc > 1 ? argv[1] : "idle";
	int fds[2];
	uint64_t i;

	heap = malloc(HEAP_WORDS * sizeof(*heap));
	if (!heap)
		return 2;
	for (i = 0; i < HEAP_WORDS; i++)
		heap[i] = pattern(i);
	for (i = 0; i < 512; i++)
		data_words[i] = ~pattern(i);
	if (sigaction(SIGUSR1, &sa, NULL))
		return 2;

	if (!strcmp(mode, "files")) {
		files_mode = true;
		if (files_setup())
			return 2;
	} else if (!strcmp(mode, "socket")) {
		fds[0] = socket(AF_INET, SOCK_DGRAM, 0);
		if (fds[0] < 0)
			return 2;
	} else if (!strcmp(mode, "child")) {
		pid_t pid = fork();

		if (pid < 0)
			return 2;
		if (pid == 0) {
			close(3);	/* the parent waits for EOF on it */
			for (;;)
				pause();
		}
	} else if (strcmp(mode, "idle") && strcmp(mode, "spin")) {
		return 2;
	}

	if (write(3, "R", 1) != 1)
		return 2;
	close(3);

	if (!strcmp(mode, "spin")) {
		for (;;)
			spins++;
	}
	for (;;)
		pause();
}
