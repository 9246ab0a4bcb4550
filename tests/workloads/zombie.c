// SPDX-License-Identifier: GPL-2.0
/*
 * zombie - zombies, orphans, a child subreaper and an exit signal.
 *
 * Usage: zombie [TICKS [TICK_MS]]	(defaults: 100 ticks of 100 ms)
 *
 * The init creates, one at a time (so pids are the same in every run):
 *
 *   Z1..Z5  children that exit 3, 77, are killed by SIGUSR2 (raised),
 *           by SIGKILL (sent by the init) and exit 0
 *   P1      exits 5 after forking O1: O1 is an orphan adopted by the init
 *   S       a child subreaper (PR_SET_CHILD_SUBREAPER); it forks P2, which
 *           forks O2 and exits 6: O2 is adopted by S, and P2 is a zombie
 *           of S; O2 then sets PR_SET_PDEATHSIG to SIGUSR2
 *   E       a child whose exit signal is SIGUSR1 instead of SIGCHLD
 *
 * None of the zombies is reaped before the checkpoint: Z1..Z5 and P1 are
 * zombies of the init, P2 of S.  Each tick the init checks every zombie
 * with waitid(WNOWAIT) (still a zombie, same status, nothing reaped), S
 * does the same for P2, and O1 and O2 check getppid() (the init; S).
 * The init prints "tick K pid P" per tick.
 *
 * After the ticks: the init reaps each zombie with waitpid(pid) and checks
 * its status; S reaps P2 (status 6) and exits 8; O2 gets its parent-death
 * SIGUSR2, is adopted by the init and exits 9; O1 exits 10; E exits 11 and
 * the init must get SIGUSR1 for it, with si_pid E.  The init reaps them
 * all (E with __WALL), checks nothing is left, and prints
 * "reaped PID STATUS" lines and "RESULT OK <hash of pids and statuses>"
 * (FAIL if any check failed).  Coordination is through a MAP_SHARED
 * anonymous area and signals: no pipes.
 */
#define _GNU_SOURCE
#include <signal.h>
#include <stdarg.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>

#include "workload.h"

enum { Z1, Z2, Z3, Z4, Z5, P1, O1, S_, P2, O2, E_, NR };
static const char *const names[NR] = {
	"Z1", "Z2", "Z3", "Z4", "Z5", "P1", "O1", "S", "P2", "O2", "E",
};
/* Expected wait statuses. */
static int want_status[NR];

struct shared {
	int pid[NR];		/* as each saw itself (getpid) */
	int up[NR];		/* set up */
	int phase;		/* 1: reap and exit */
	int bad;
	int s_reaped_p2;	/* S got P2's status right */
	int o2_pdeath;		/* O2 got its parent-death signal */
};
static struct shared *sh;
static long ticks, tick_ms;
static volatile sig_atomic_t usr1_count, usr1_pid, usr1_code, usr1_status;
static volatile sig_atomic_t pdeath;

static int ld(int *p)
{
	return __atomic_load_n(p, __ATOMIC_SEQ_CST);
}

static void st(int *p, int v)
{
	__atomic_store_n(p, v, __ATOMIC_SEQ_CST);
}

static void __attribute__((format(printf, 1, 2))) fail(const char *fmt, ...)
{
	va_list ap;

	__atomic_add_fetch(&sh->bad, 1, __ATOMIC_SEQ_CST);
	printf("FAIL pid %d: ", getpid());
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
}

static void wait_up(int who)
{
	while (!ld(&sh->up[who]))
		sleep_ms(1);
}

static void on_usr1(int sig, siginfo_t *si, void *uc)
{
	(void)sig;
	(void)uc;
	usr1_count++;
	usr1_pid = si->si_pid;
	usr1_code = si->si_code;
	usr1_status = si->si_status;
}

static void on_usr2(int sig)
{
	(void)sig;
	pdeath = 1;
}

/* Is @pid a zombie child with wait status @status?  Does not reap. */
static int zombie_ok(pid_t pid, int status, const char *name)
{
	siginfo_t si;
	int code = WIFEXITED(status) ? CLD_EXITED : CLD_KILLED;
	int val = WIFEXITED(status) ? WEXITSTATUS(status) : WTERMSIG(status);

	memset(&si, 0, sizeof(si));
	if (waitid(P_PID, pid, &si, WEXITED | WNOHANG | WNOWAIT)) {
		fail("waitid(%s %d): errno %d", name, pid, errno);
		return 0;
	}
	if (si.si_pid != pid || si.si_code != code || si.si_status != val) {
		fail("%s %d: waitid gave pid %d code %d status %d, expected %d %d",
		     name, pid, si.si_pid, si.si_code, si.si_status, code, val);
		return 0;
	}
	return 1;
}

static void set_up(int who)
{
	sh->pid[who] = getpid();
	st(&sh->up[who], 1);
}

static pid_t xfork(void)
{
	pid_t p;

	fflush(stdout);
	p = fork();
	if (p < 0) {
		perror("fork");
		exit(1);
	}
	return p;
}

static void __attribute__((noreturn)) orphan(int who, pid_t reaper)
{
	int64_t deadline;

	while (getppid() != reaper)
		sleep_ms(1);
	if (who == O2) {
		signal(SIGUSR2, on_usr2);
		if (prctl(PR_SET_PDEATHSIG, SIGUSR2))
			fail("PR_SET_PDEATHSIG: errno %d", errno);
	}
	set_up(who);
	while (!ld(&sh->phase)) {
		if (getppid() != reaper)
			fail("%s: getppid %d, expected %d", names[who],
			     getppid(), reaper);
		sleep_ms(tick_ms / 2);
	}
	if (who == O1)
		exit(10);
	/* O2: S exits now; we must get SIGUSR2 and the init as parent. */
	deadline = mono_ns() + 60 * 1000000000LL;
	while (!pdeath && mono_ns() < deadline)
		sleep_ms(5);
	if (!pdeath)
		fail("O2: no parent-death signal");
	else
		st(&sh->o2_pdeath, 1);
	while (getppid() != 1 && mono_ns() < deadline)
		sleep_ms(5);
	if (getppid() != 1)
		fail("O2: getppid %d after S exited", getppid());
	exit(9);
}

static void __attribute__((noreturn)) subreaper(void)
{
	pid_t p2, me = getpid();
	int status;

	if (prctl(PR_SET_CHILD_SUBREAPER, 1))
		fail("PR_SET_CHILD_SUBREAPER: errno %d", errno);
	p2 = xfork();
	if (p2 == 0) {
		set_up(P2);
		if (xfork() == 0)
			orphan(O2, me);
		exit(6);
	}
	wait_up(O2);
	/* P2 is a zombie of ours once it has exited. */
	for (;;) {
		siginfo_t si = { 0 };

		waitid(P_PID, p2, &si, WEXITED | WNOHANG | WNOWAIT);
		if (si.si_pid == p2)
			break;
		sleep_ms(1);
	}
	set_up(S_);
	while (!ld(&sh->phase)) {
		zombie_ok(p2, want_status[P2], "P2");
		sleep_ms(tick_ms);
	}
	if (waitpid(p2, &status, 0) != p2 || status != want_status[P2])
		fail("S: waitpid(P2 %d): status %#x", p2, status);
	else
		st(&sh->s_reaped_p2, 1);
	exit(8);
}

int main(int argc, char **argv)
{
	struct sigaction sa = { .sa_sigaction = on_usr1, .sa_flags = SA_SIGINFO | SA_RESTART };
	pid_t pid[NR];
	uint64_t h = FNV_INIT;
	sigset_t none;
	int i, k;
	long t;

	ticks = arg_long(argc, argv, 1, 100);
	tick_ms = arg_long(argc, argv, 2, 100);
	workload_init();
	if (getpid() != 1) {
		fprintf(stderr, "zombie: must be the init of a pid namespace\n");
		return 2;
	}
	sh = mmap(NULL, sizeof(*sh), PROT_READ | PROT_WRITE,
		  MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (sh == MAP_FAILED) {
		perror("mmap");
		return 1;
	}
	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);
	sigaction(SIGUSR1, &sa, NULL);
	want_status[Z1] = 3 << 8;
	want_status[Z2] = 77 << 8;
	want_status[Z3] = SIGUSR2;
	want_status[Z4] = SIGKILL;
	want_status[Z5] = 0;
	want_status[P1] = 5 << 8;
	want_status[O1] = 10 << 8;
	want_status[S_] = 8 << 8;
	want_status[P2] = 6 << 8;
	want_status[O2] = 9 << 8;
	want_status[E_] = 11 << 8;

	/* Z1..Z5, one at a time; each a zombie before the next. */
	for (i = Z1; i <= Z5; i++) {
		pid[i] = xfork();
		if (pid[i] == 0) {
			set_up(i);
			switch (i) {
			case Z3:
				signal(SIGUSR2, SIG_DFL);
				raise(SIGUSR2);
				_exit(100);
			case Z4:
				for (;;)
					pause();
			default:
				_exit(WEXITSTATUS(want_status[i]));
			}
		}
		wait_up(i);
		if (i == Z4)
			kill(pid[i], SIGKILL);
		for (;;) {
			siginfo_t si = { 0 };

			waitid(P_PID, pid[i], &si, WEXITED | WNOHANG | WNOWAIT);
			if (si.si_pid == pid[i])
				break;
			sleep_ms(1);
		}
	}
	/* P1 and the orphan O1. */
	pid[P1] = xfork();
	if (pid[P1] == 0) {
		set_up(P1);
		if (xfork() == 0)
			orphan(O1, 1);
		_exit(5);
	}
	wait_up(O1);
	pid[O1] = sh->pid[O1];
	/* S, P2, O2. */
	pid[S_] = xfork();
	if (pid[S_] == 0)
		subreaper();
	wait_up(S_);
	pid[P2] = sh->pid[P2];
	pid[O2] = sh->pid[O2];
	/* E: exit signal SIGUSR1. */
	fflush(stdout);
	pid[E_] = syscall(SYS_clone, SIGUSR1, 0, NULL, NULL, 0);
	if (pid[E_] < 0) {
		perror("clone");
		return 1;
	}
	if (pid[E_] == 0) {
		set_up(E_);
		while (!ld(&sh->phase))
			sleep_ms(tick_ms);
		exit(11);
	}
	wait_up(E_);
	for (;;) {	/* P1 gone, so O1 is ours */
		siginfo_t si = { 0 };

		waitid(P_PID, pid[P1], &si, WEXITED | WNOHANG | WNOWAIT);
		if (si.si_pid == pid[P1])
			break;
		sleep_ms(1);
	}
	for (i = 0; i < NR; i++) {
		if (sh->pid[i] != pid[i])
			fail("%s: pid %d, its own getpid %d", names[i], pid[i],
			     sh->pid[i]);
		printf("%s pid %d\n", names[i], pid[i]);
	}
	printf("ready pid %d\n", getpid());

	for (t = 1; t <= ticks; t++) {
		for (i = Z1; i <= P1; i++)
			zombie_ok(pid[i], want_status[i], names[i]);
		if (usr1_count)
			fail("SIGUSR1 before E exited");
		printf("tick %ld pid %d\n", t, getpid());
		sleep_ms(tick_ms);
	}

	st(&sh->phase, 1);
	for (i = 0; i < NR; i++) {
		int status = -1;
		pid_t r;

		if (i == P2)
			continue;	/* S's */
		do
			r = waitpid(pid[i], &status, i == E_ ? __WALL : 0);
		while (r < 0 && errno == EINTR);
		if (r != pid[i] || status != want_status[i])
			fail("waitpid(%s %d) gave %d, status %#x, expected %#x",
			     names[i], pid[i], r, status, want_status[i]);
		printf("reaped %s %d status %#x\n", names[i], pid[i], status);
		h = fnv1a(h, &pid[i], sizeof(pid[i]));
		h = fnv1a(h, &status, sizeof(status));
	}
	for (k = 0; k < 100 && !usr1_count; k++)
		sleep_ms(10);
	if (usr1_count != 1 || usr1_pid != pid[E_] || usr1_code != CLD_EXITED ||
	    usr1_status != 11)
		fail("exit signal of E: %d SIGUSR1, pid %d code %d status %d",
		     (int)usr1_count, (int)usr1_pid, (int)usr1_code,
		     (int)usr1_status);
	if (!sh->s_reaped_p2)
		fail("S did not reap P2 with its status");
	if (!sh->o2_pdeath)
		fail("O2 got no parent-death signal");
	if (waitpid(-1, NULL, __WALL | WNOHANG) != -1 || errno != ECHILD)
		fail("a child is left");
	h = fnv1a(h, &pid[P2], sizeof(pid[P2]));
	printf("RESULT %s %016llx\n", sh->bad ? "FAIL" : "OK",
	       (unsigned long long)h);
	return sh->bad ? 1 : 0;
}
