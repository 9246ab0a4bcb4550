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
 *   socket also hold a socket pair (checkpoint must refuse it)
 *   child  also have a child process (checkpoint must refuse it)
 *   spin   busy loop in user space instead of waiting in pause()
 *
 * On SIGUSR1 it checks that its heap and data still hold what it wrote
 * there and exits with 42 if so, 43 if not: a restarted copy proves its
 * memory came back.
 */
#define _GNU_SOURCE
#include <signal.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "lib/ckpt_test.h"

#define HEAP_WORDS	(64 * 1024 / 8)

static uint64_t *heap;
static uint64_t data_words[512] = { 1 };	/* .data, copied on write */
static volatile uint64_t spins;

static uint64_t pattern(uint64_t i)
{
	return (i + 1) * 0x9e3779b97f4a7c15ULL;
}

static void on_usr1(int sig)
{
	uint64_t i;

	(void)sig;
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

	if (!strcmp(mode, "socket")) {
		if (socketpair(AF_UNIX, SOCK_STREAM, 0, fds))
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
