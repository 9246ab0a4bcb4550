// SPDX-License-Identifier: GPL-2.0
/*
 * tree - a tree of 50 processes, five levels, sessions and process groups.
 *
 * Usage: tree [ROUNDS [PACE_MS [SEED]]]	(defaults: 100 rounds, 100 ms)
 *
 * Node 0 is the init.  Nodes 1-4 are its children, 5-16 theirs (3 each),
 * 17-40 the next level (2 each), 41-49 the last (one under each of 17-25).
 * Every node is a process with its own memory and its own ids:
 *
 *   node 2 and node 12  setpgid(0, 0): leaders of new process groups
 *   node 5              joins node 2's group (a group of a non-parent)
 *   node 3              setsid(): a session leader that stays alive
 *   node 4              a daemon: the init forks an intermediate process
 *                       that calls setsid(), forks node 4 and exits, so
 *                       node 4 is reparented to the init and its session
 *                       and group ids (and its children's) are the pid of
 *                       a process that no longer exists
 *
 * No pipes: the processes coordinate through a MAP_SHARED|MAP_ANONYMOUS
 * area the init maps before forking, through signals and through wait.
 * Nodes are created one at a time (a global ticket in the shared area), so
 * pids are the same in every run.
 *
 * Memory: the init fills a private 256 KiB buffer before forking, so all
 * the nodes start with it shared copy-on-write.  Each node rewrites the
 * first half every round from its own PRNG seed; the second half ("cold")
 * it rewrites only once, at round ROUNDS/2 + node % 8, so at a checkpoint
 * taken earlier those pages are still shared by all 50 processes, and a
 * restart that kept them shared (instead of private copies) would let one
 * node's write show in the others.
 *
 * Every round each node checks that getpid(), getppid(), getpgid(0) and
 * getsid(0) still give what it recorded after its setup; the init also
 * checks that the vanished session leader's pid is still free.  Each node
 * has a SIGUSR2 queued by the init (blocked, with the node's index as its
 * value) that it takes at the end with sigtimedwait().  When all are done,
 * the init sends SIGUSR1 to every node; each reaps its children with
 * waitpid(pid) (exit status 10 + index) and exits; the init reaps its
 * children and the daemon, checks the tree's shape (parents, groups,
 * sessions) from what the nodes recorded, and prints
 * "RESULT OK <hash of all ids and checksums>" (FAIL instead of OK if any
 * check failed).  Progress: "round K pid P" lines from the init.
 */
#define _GNU_SOURCE
#include <signal.h>
#include <stdarg.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>

#include "workload.h"

#define NR_NODES	50
#define DAEMON		4
#define BUF_BYTES	(256 * 1024)
#define BUF_WORDS	(BUF_BYTES / 8)
#define HOT_WORDS	(BUF_WORDS / 2)
#define WAIT_DONE_S	120

struct slot {
	int pid, ppid, pgid, sid;	/* recorded once set up */
	int rounds;			/* rounds done */
	int done;			/* rounds over, waiting for SIGUSR1 */
	int bad;			/* failed checks */
	int reaped;			/* children reaped with the right status */
	int sig_ok;			/* its SIGUSR2 came with the right siginfo */
	int pad;
	uint64_t sum;			/* checksum of its buffer at the end */
};

struct shared {
	int created;			/* the next node to create */
	int daemon_mid;			/* pid of the vanished session leader */
	int go;				/* the tree is complete: start the rounds */
	struct slot s[NR_NODES];
};

static struct shared *S;
static uint64_t *buf;
static long rounds, pace_ms;
static uint64_t seed;
static volatile sig_atomic_t got_usr1;

static int ld(int *p)
{
	return __atomic_load_n(p, __ATOMIC_SEQ_CST);
}

static void st(int *p, int v)
{
	__atomic_store_n(p, v, __ATOMIC_SEQ_CST);
}

static int parent_of(int i)
{
	if (i == 0)
		return -1;
	if (i <= 4)
		return 0;
	if (i <= 16)
		return 1 + (i - 5) / 3;
	if (i <= 40)
		return 5 + (i - 17) / 2;
	return 17 + (i - 41);
}

static inline uint64_t rotl(uint64_t x, unsigned int r)
{
	return (x << r) | (x >> (64 - r));
}

static void __attribute__((format(printf, 2, 3))) fail(int i, const char *fmt, ...)
{
	va_list ap;

	S->s[i].bad++;
	printf("FAIL node %d (pid %d): ", i, getpid());
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
}

static void check_ids(int i)
{
	struct slot *s = &S->s[i];

	if (getpid() != s->pid)
		fail(i, "getpid %d, was %d", getpid(), s->pid);
	if (getppid() != s->ppid)
		fail(i, "getppid %d, was %d", getppid(), s->ppid);
	if (getpgid(0) != s->pgid)
		fail(i, "getpgid %d, was %d", getpgid(0), s->pgid);
	if (getsid(0) != s->sid)
		fail(i, "getsid %d, was %d", getsid(0), s->sid);
}

/* Until node @j is the next to create (all before it exist)... */
static void wait_created(int j)
{
	while (ld(&S->created) != j)
		sleep_ms(2);
}

/* ... or until node @j exists (later ones may too). */
static void wait_exists(int j)
{
	while (ld(&S->created) <= j)
		sleep_ms(2);
}

static void on_usr1(int sig)
{
	(void)sig;
	got_usr1 = 1;
}

static void __attribute__((noreturn)) run_node(int i);

/* Forks node @j, a child of the caller; returns its pid. */
static pid_t fork_node(int i, int j)
{
	pid_t pid, mid;
	int status;

	wait_created(j);
	fflush(stdout);
	if (j != DAEMON) {
		pid = fork();
		if (pid < 0) {
			perror("fork");
			exit(1);
		}
		if (pid == 0)
			run_node(j);
		wait_exists(j);
		return pid;
	}
	/* The daemon: double fork, the middle one a session leader. */
	mid = fork();
	if (mid < 0) {
		perror("fork");
		exit(1);
	}
	if (mid == 0) {
		if (setsid() < 0)
			_exit(3);
		pid = fork();
		if (pid < 0)
			_exit(4);
		if (pid == 0)
			run_node(j);
		_exit(0);
	}
	if (waitpid(mid, &status, 0) != mid || !WIFEXITED(status) ||
	    WEXITSTATUS(status))
		fail(i, "daemonizing process ended with status %#x", status);
	st(&S->daemon_mid, mid);
	wait_exists(j);
	return 0;	/* not our child */
}

static void __attribute__((noreturn)) run_node(int i)
{
	struct slot *s = &S->s[i];
	pid_t kids[NR_NODES];
	int kid_idx[NR_NODES], nr_kids = 0, k, j, sig;
	uint64_t state = (seed + i + 1) * 0x9e3779b97f4a7c15ULL + 1, h;
	sigset_t usr2, none;
	siginfo_t si;
	struct timespec zero = { 0, 0 };
	long r;
	size_t w;

	switch (i) {
	case 2:
	case 12:
		if (setpgid(0, 0))
			fail(i, "setpgid(0, 0): errno %d", errno);
		break;
	case 5:
		if (setpgid(0, S->s[2].pid))
			fail(i, "setpgid(0, %d): errno %d", S->s[2].pid, errno);
		break;
	case 3:
		if (setsid() < 0)
			fail(i, "setsid: errno %d", errno);
		break;
	case DAEMON:
		/* Until the middle process has exited and we are adopted. */
		while (getppid() != 1)
			sleep_ms(1);
		break;
	}
	s->pid = getpid();
	s->ppid = getppid();
	s->pgid = getpgid(0);
	s->sid = getsid(0);
	st(&S->created, i + 1);

	for (j = i + 1; j < NR_NODES; j++) {
		pid_t pid;

		if (parent_of(j) != i)
			continue;
		pid = fork_node(i, j);
		if (pid) {
			kid_idx[nr_kids] = j;
			kids[nr_kids++] = pid;
		}
	}
	if (i == 0) {
		wait_exists(NR_NODES - 1);
		/* A blocked SIGUSR2 with a value pending on every node. */
		for (j = 1; j < NR_NODES; j++) {
			union sigval v = { .sival_int = j };

			if (sigqueue(S->s[j].pid, SIGUSR2, v))
				fail(0, "sigqueue to node %d: errno %d", j, errno);
		}
		for (j = 0; j < NR_NODES; j++)
			printf("node %d pid %d ppid %d pgid %d sid %d\n", j,
			       S->s[j].pid, S->s[j].ppid, S->s[j].pgid,
			       S->s[j].sid);
		printf("daemon session %d pid %d\n", S->daemon_mid, getpid());
		st(&S->go, 1);
	}
	while (!ld(&S->go))
		sleep_ms(5);

	for (r = 1; r <= rounds; r++) {
		uint64_t chain = xorshift64(&state);

		for (w = 0; w < HOT_WORDS; w++) {
			uint64_t v = rotl(buf[w] ^ chain, r % 63 + 1) + w;

			buf[w] = v;
			chain = chain * 0x5851f42d4c957f2dULL + (v >> 7);
		}
		if (r == rounds / 2 + i % 8)
			for (w = HOT_WORDS; w < BUF_WORDS; w++)
				buf[w] ^= xorshift64(&state) + w;
		check_ids(i);
		if (i == 0 && !(kill(S->daemon_mid, 0) && errno == ESRCH))
			fail(0, "the daemon's session leader %d exists",
			     S->daemon_mid);
		st(&s->rounds, r);
		if (i == 0)
			printf("round %ld pid %d\n", r, getpid());
		sleep_ms(pace_ms);
	}
	h = FNV_INIT;
	for (w = 0; w < BUF_WORDS; w++)
		h = (h ^ buf[w]) * 0x100000001b3ULL;
	s->sum = h;

	if (i) {
		/* The SIGUSR2 the init queued long ago. */
		sigemptyset(&usr2);
		sigaddset(&usr2, SIGUSR2);
		sig = sigtimedwait(&usr2, &si, &zero);
		if (sig != SIGUSR2)
			fail(i, "no pending SIGUSR2 (%d, errno %d)", sig, errno);
		else if (si.si_value.sival_int != i || si.si_pid != 1 ||
			 si.si_code != SI_QUEUE)
			fail(i, "SIGUSR2 value %d from pid %d",
			     si.si_value.sival_int, si.si_pid);
		else
			s->sig_ok = 1;
		if (sigtimedwait(&usr2, &si, &zero) >= 0)
			fail(i, "SIGUSR2 pending twice");
		st(&s->done, 1);
		sigemptyset(&none);
		while (!got_usr1)
			sigsuspend(&none);
	} else {
		int64_t deadline = mono_ns() + WAIT_DONE_S * 1000000000LL;

		st(&s->done, 1);
		for (j = 1; j < NR_NODES; j++)
			while (!ld(&S->s[j].done)) {
				if (mono_ns() > deadline) {
					fail(0, "node %d not done after %d s",
					     j, WAIT_DONE_S);
					break;
				}
				sleep_ms(20);
			}
		for (j = NR_NODES - 1; j > 0; j--)
			if (kill(S->s[j].pid, SIGUSR1))
				fail(0, "kill(node %d): errno %d", j, errno);
		/* The daemon was reparented to us. */
		kid_idx[nr_kids] = DAEMON;
		kids[nr_kids++] = S->s[DAEMON].pid;
	}

	for (k = 0; k < nr_kids; k++) {
		int status = 0;
		pid_t p = waitpid(kids[k], &status, 0);

		if (p != kids[k] || !WIFEXITED(status) ||
		    WEXITSTATUS(status) != 10 + kid_idx[k])
			fail(i, "waitpid(%d) (node %d) gave %d, status %#x",
			     kids[k], kid_idx[k], p, status);
		else
			s->reaped++;
	}
	check_ids(i);
	if (i)
		exit(10 + i);

	/* The init: nobody else is left. */
	if (wait(NULL) != -1 || errno != ECHILD)
		fail(0, "a child is left after reaping all (errno %d)", errno);
	for (j = 0; j < NR_NODES; j++) {
		struct slot *n = &S->s[j], *p = j ? &S->s[parent_of(j)] : NULL;
		int want_ppid, want_pgid, want_sid, want_kids = 0;

		for (k = j + 1; k < NR_NODES; k++)
			want_kids += parent_of(k) == j;
		if (j == 0) {
			want_ppid = 0;
			want_pgid = want_sid = 1;
		} else if (j == DAEMON) {
			want_ppid = 1;
			want_pgid = want_sid = S->daemon_mid;
		} else {
			want_ppid = p->pid;
			want_pgid = p->pgid;
			want_sid = p->sid;
			if (j == 2 || j == 12 || j == 3)
				want_pgid = n->pid;
			if (j == 5)
				want_pgid = S->s[2].pid;
			if (j == 3)
				want_sid = n->pid;
		}
		if (n->ppid != want_ppid || n->pgid != want_pgid ||
		    n->sid != want_sid) {
			printf("FAIL node %d: ppid %d pgid %d sid %d, expected %d %d %d\n",
			       j, n->ppid, n->pgid, n->sid, want_ppid,
			       want_pgid, want_sid);
			n->bad++;
		}
		if (n->reaped != want_kids) {
			printf("FAIL node %d reaped %d children, expected %d\n",
			       j, n->reaped, want_kids);
			n->bad++;
		}
		if (j && !n->sig_ok)
			n->bad++;
	}

	h = FNV_INIT;
	h = fnv1a(h, &S->daemon_mid, sizeof(S->daemon_mid));
	k = 0;
	for (j = 0; j < NR_NODES; j++) {
		struct slot *n = &S->s[j];

		printf("sum %d %016llx rounds %d\n", j,
		       (unsigned long long)n->sum, n->rounds);
		h = fnv1a(h, &n->pid, 4 * sizeof(int));
		h = fnv1a(h, &n->sum, sizeof(n->sum));
		h = fnv1a(h, &n->reaped, sizeof(n->reaped));
		k += n->bad;
	}
	printf("RESULT %s %016llx\n", k ? "FAIL" : "OK", (unsigned long long)h);
	exit(k ? 1 : 0);
}

int main(int argc, char **argv)
{
	struct sigaction sa = { .sa_handler = on_usr1 };
	uint64_t state;
	sigset_t block;
	size_t w;

	rounds = arg_long(argc, argv, 1, 100);
	pace_ms = arg_long(argc, argv, 2, 100);
	seed = arg_long(argc, argv, 3, 1);
	workload_init();
	if (getpid() != 1) {
		fprintf(stderr, "tree: must be the init of a pid namespace\n");
		return 2;
	}
	if (rounds < 20) {
		fprintf(stderr, "tree: at least 20 rounds\n");
		return 2;
	}
	S = mmap(NULL, sizeof(*S), PROT_READ | PROT_WRITE,
		 MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	buf = mmap(NULL, BUF_BYTES, PROT_READ | PROT_WRITE,
		   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (S == MAP_FAILED || buf == MAP_FAILED) {
		perror("mmap");
		return 1;
	}
	state = seed * 0x2545f4914f6cdd1dULL + 7;
	for (w = 0; w < BUF_WORDS; w++)
		buf[w] = xorshift64(&state);
	sigaction(SIGUSR1, &sa, NULL);
	sigemptyset(&block);
	sigaddset(&block, SIGUSR1);
	sigaddset(&block, SIGUSR2);
	sigprocmask(SIG_BLOCK, &block, NULL);
	run_node(0);
}
