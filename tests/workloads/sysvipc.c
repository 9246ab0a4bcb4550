// SPDX-License-Identifier: GPL-2.0
/*
 * sysvipc - SysV IPC state that a restart must bring back.
 *
 * Usage: sysvipc GOFILE        the same-result workload
 *        sysvipc --lock GOFILE a segment is SHM_LOCKed (checkpoint refuses)
 *        sysvipc --tree GOFILE two processes share the objects (below)
 *
 * In its container's own IPC namespace it creates:
 * - a shm segment (key SHM_KEY, 5 pages + 123 bytes) attached read-write,
 *   with a pattern in pages 0, 1, 3 and the partial last page (pages 2
 *   and 4 never touched), and a second segment attached, then removed with
 *   IPC_RMID (SHM_DEST: it lives on while attached);
 * - a message queue (key MSQ_KEY, msg_qbytes raised to 20000) holding
 *   messages of several types and sizes, 0 to 8192 bytes;
 * - a set of 4 semaphores (key SEM_KEY) with values, then a semop() with
 *   SEM_UNDO outstanding on two of them.
 * It records what IPC_STAT shows, prints "READY pid P" and waits until
 * GOFILE exists; the test checkpoints and restarts it meanwhile.
 *
 * Then it checks that every id, key, owner, mode, size, time and pid is
 * as recorded, the segments' contents (and the holes) are the same and
 * still shared (a second shmat() sees writes), the messages come out in
 * order with their types and texts, and the semaphore values are the
 * same.  Last it calls unshare(CLONE_SYSVSEM), which applies the SEM_UNDO
 * adjustments exactly as exit does, and checks the values moved back.
 * Prints "RESULT OK <hash>" (the hash covers ids, keys and contents), or
 * FAIL lines and "RESULT FAIL".
 *
 * With --tree, a process and its forked child both attach a segment and
 * a segment removed while attached (nattch 2 each), and each has SEM_UNDO
 * adjustments of its own on one set.  After GO the parent checks both
 * attach counts and times, then opens a gate semaphore; the child checks
 * the contents, writes a byte, detaches and exits (its adjustments apply);
 * the parent reaps it, sees the byte, the counts drop to 1, the child's
 * adjustment undone and its own still there, until unshare(CLONE_SYSVSEM).
 */
#define _GNU_SOURCE
#include <sched.h>
#include <string.h>
#include <sys/wait.h>
#include <sys/ipc.h>
#include <sys/msg.h>
#include <sys/sem.h>
#include <sys/shm.h>
#include <sys/stat.h>

#include "workload.h"

#define SHM_KEY		0x5ca1ab1e
#define MSQ_KEY		0x0ddba11
#define SEM_KEY		0x5eed5
#define PAGE		4096
#define SHM_SIZE	(5 * PAGE + 123)
#define DEST_SIZE	(2 * PAGE)
#define QBYTES		20000
#define NSEMS		4

union semun {
	int val;
	struct semid_ds *buf;
	unsigned short *array;
};

static const struct {
	long type;
	int len;
} msgs[] = {
	{ 5, 100 }, { 1, 0 }, { 3, 8192 }, { 2, 1 }, { 5, 4000 }, { 7, 4097 },
};
#define NR_MSGS	(sizeof(msgs) / sizeof(msgs[0]))

static struct {
	long mtype;
	char mtext[8192];
} mbuf;

static int failures;
static uint64_t hash = FNV_INIT;

#define CHECK(cond, ...) do {						\
		if (!(cond)) {						\
			printf("FAIL " __VA_ARGS__);			\
			printf("\n");					\
			failures++;					\
		}							\
	} while (0)

static void die(const char *what)
{
	printf("FAIL %s: %s\nRESULT FAIL\n", what, strerror(errno));
	exit(1);
}

static unsigned char pattern(int seg, long off)
{
	return (unsigned char)(seg * 131 + off * 7 + (off >> 12) * 13 + 1);
}

static void fill_msg(int i)
{
	int j;

	mbuf.mtype = msgs[i].type;
	for (j = 0; j < msgs[i].len; j++)
		mbuf.mtext[j] = (char)(i * 31 + j);
}

static void hash_int(long v)
{
	hash = fnv1a(hash, &v, sizeof(v));
}

/* Checks a segment against its pattern; pages in @holes must be zero. */
static void check_shm(int seg, const unsigned char *p, long size,
		      unsigned int holes)
{
	long off, bad = -1;

	for (off = 0; off < size; off++) {
		unsigned char want = holes & (1U << (off / PAGE)) ? 0 :
				     pattern(seg, off);

		if (p[off] != want && bad < 0)
			bad = off;
	}
	CHECK(bad < 0, "segment %d: byte %ld is %u", seg, bad,
	      bad < 0 ? 0 : p[bad]);
	hash = fnv1a(hash, p, size);
}

static void check_perm(const char *what, const struct ipc_perm *a,
		       const struct ipc_perm *b)
{
	CHECK(a->__key == b->__key && a->uid == b->uid && a->gid == b->gid &&
	      a->cuid == b->cuid && a->cgid == b->cgid && a->mode == b->mode,
	      "%s: key %#x uid %u gid %u cuid %u cgid %u mode %#o, was key %#x uid %u gid %u cuid %u cgid %u mode %#o",
	      what, a->__key, a->uid, a->gid, a->cuid, a->cgid, a->mode,
	      b->__key, b->uid, b->gid, b->cuid, b->cgid, b->mode);
}

/* The --tree child, after GO: the gate, the contents, a write, exit. */
static int tree_child_go(int semid, unsigned char *shm, unsigned char *dest)
{
	struct sembuf gate = { .sem_num = 3, .sem_op = -1 };
	long off, bad = -1;

	if (semop(semid, &gate, 1))
		return 10;
	for (off = 0; off < SHM_SIZE; off++)
		if (shm[off] != pattern(0, off) && bad < 0)
			bad = off;
	if (bad >= 0)
		return 11;
	for (off = 0; off < DEST_SIZE; off++)
		if (dest[off] != pattern(1, off))
			return 12;
	shm[PAGE + 7] = 0xa5;
	if (shmdt(dest) || shmdt(shm))
		return 13;
	return 0;
}

static int tree_main(const char *gofile)
{
	unsigned short init_vals[NSEMS] = { 3, 10, 7, 0 }, vals[NSEMS];
	struct sembuf mine = { .sem_num = 0, .sem_op = -1, .sem_flg = SEM_UNDO };
	struct sembuf theirs = { .sem_num = 1, .sem_op = 4, .sem_flg = SEM_UNDO };
	struct sembuf open_gate = { .sem_num = 3, .sem_op = 1 };
	struct shmid_ds shm_before, dest_before, shm_after, dest_after;
	int shmid, destid, semid, status, i;
	unsigned char *shm, *dest;
	struct stat st;
	pid_t child;
	long off;

	shmid = shmget(SHM_KEY, SHM_SIZE, IPC_CREAT | IPC_EXCL | 0600);
	destid = shmget(IPC_PRIVATE, DEST_SIZE, IPC_CREAT | 0600);
	semid = semget(SEM_KEY, NSEMS, IPC_CREAT | IPC_EXCL | 0600);
	if (shmid < 0 || destid < 0 || semid < 0)
		die("get");
	shm = shmat(shmid, NULL, 0);
	dest = shmat(destid, NULL, 0);
	if (shm == (void *)-1 || dest == (void *)-1)
		die("shmat");
	for (off = 0; off < SHM_SIZE; off++)
		shm[off] = pattern(0, off);
	for (off = 0; off < DEST_SIZE; off++)
		dest[off] = pattern(1, off);
	if (semctl(semid, 0, SETALL, (union semun){ .array = init_vals }))
		die("SETALL");

	/* The child inherits both attachments (nattch 2) and has its undo. */
	child = fork();
	if (child < 0)
		die("fork");
	if (child == 0) {
		if (semop(semid, &theirs, 1))
			_exit(9);
		while (stat(gofile, &st))
			sleep_ms(50);
		_exit(tree_child_go(semid, shm, dest));
	}
	if (semop(semid, &mine, 1))
		die("semop");
	while (semctl(semid, 1, GETVAL) != init_vals[1] + 4)
		sleep_ms(10);
	if (shmctl(destid, IPC_RMID, NULL))
		die("IPC_RMID");
	if (shmctl(shmid, IPC_STAT, &shm_before) ||
	    shmctl(destid, IPC_STAT, &dest_before))
		die("IPC_STAT");
	printf("ids shm %d dest %d sem %d\n", shmid, destid, semid);
	printf("READY pid %d\n", getpid());

	while (stat(gofile, &st))
		sleep_ms(50);
	printf("GO pid %d\n", getpid());

	CHECK(shmctl(shmid, IPC_STAT, &shm_after) == 0 &&
	      shmctl(destid, IPC_STAT, &dest_after) == 0, "IPC_STAT: %m");
	CHECK(shm_after.shm_nattch == 2 && dest_after.shm_nattch == 2 &&
	      dest_after.shm_perm.mode & SHM_DEST,
	      "nattch %lu and %lu (mode %#o), expected 2 and 2 (SHM_DEST)",
	      (unsigned long)shm_after.shm_nattch,
	      (unsigned long)dest_after.shm_nattch, dest_after.shm_perm.mode);
	CHECK(shm_after.shm_atime == shm_before.shm_atime &&
	      shm_after.shm_cpid == shm_before.shm_cpid &&
	      shm_after.shm_lpid == shm_before.shm_lpid &&
	      dest_after.shm_lpid == dest_before.shm_lpid,
	      "shm: atime %ld pids %d %d, was %ld %d %d",
	      (long)shm_after.shm_atime, shm_after.shm_cpid,
	      shm_after.shm_lpid, (long)shm_before.shm_atime,
	      shm_before.shm_cpid, shm_before.shm_lpid);
	CHECK(semop(semid, &open_gate, 1) == 0, "semop gate: %m");
	CHECK(waitpid(child, &status, 0) == child, "waitpid: %m");
	CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0,
	      "the child failed (status %#x)", status);
	CHECK(shm[PAGE + 7] == 0xa5, "the child's write is not visible");
	CHECK(shmctl(shmid, IPC_STAT, &shm_after) == 0 &&
	      shmctl(destid, IPC_STAT, &dest_after) == 0 &&
	      shm_after.shm_nattch == 1 && dest_after.shm_nattch == 1,
	      "nattch %lu and %lu after the child, expected 1 and 1",
	      (unsigned long)shm_after.shm_nattch,
	      (unsigned long)dest_after.shm_nattch);
	CHECK(semctl(semid, 0, GETALL, (union semun){ .array = vals }) == 0,
	      "GETALL: %m");
	CHECK(vals[0] == init_vals[0] - 1 && vals[1] == init_vals[1],
	      "after the child's exit: %u %u, expected %u %u", vals[0],
	      vals[1], init_vals[0] - 1, init_vals[1]);
	CHECK(unshare(CLONE_SYSVSEM) == 0, "unshare(CLONE_SYSVSEM): %m");
	CHECK(semctl(semid, 0, GETVAL) == init_vals[0],
	      "after the parent's undo: %d, expected %u",
	      semctl(semid, 0, GETVAL), init_vals[0]);
	CHECK(shmdt(dest) == 0 && shmctl(destid, IPC_STAT, &dest_after) < 0,
	      "the removed segment outlived its last detach");
	for (i = 0; i < NSEMS; i++)
		hash_int(semctl(semid, i, GETVAL));
	hash_int(shmid);
	hash_int(destid);
	hash_int(semid);
	hash = fnv1a(hash, shm, SHM_SIZE);
	if (failures) {
		printf("RESULT FAIL\n");
		return 1;
	}
	printf("RESULT OK %016llx\n", (unsigned long long)hash);
	return 0;
}

int main(int argc, char **argv)
{
	struct shmid_ds shm_before, dest_before, shm_after, dest_after;
	struct msqid_ds msq_before, msq_after;
	struct semid_ds sem_before, sem_after;
	unsigned short vals_before[NSEMS], vals[NSEMS];
	unsigned short init_vals[NSEMS] = { 3, 0, 7, 32767 };
	struct sembuf ops[2] = {
		{ .sem_num = 0, .sem_op = -1, .sem_flg = SEM_UNDO },
		{ .sem_num = 2, .sem_op = 5, .sem_flg = SEM_UNDO },
	};
	int shmid, destid, msqid, semid, i, lock = 0;
	unsigned char *shm, *dest, *shm2;
	const char *gofile;
	struct stat st;
	long off;

	workload_init();
	if (argc == 3 && !strcmp(argv[1], "--tree"))
		return tree_main(argv[2]);
	if (argc > 1 && !strcmp(argv[1], "--lock")) {
		lock = 1;
		argv++;
		argc--;
	}
	if (argc != 2) {
		fprintf(stderr, "usage: sysvipc [--lock|--tree] GOFILE\n");
		return 2;
	}
	gofile = argv[1];

	/* Shared memory. */
	shmid = shmget(SHM_KEY, SHM_SIZE, IPC_CREAT | IPC_EXCL | 0640);
	if (shmid < 0)
		die("shmget");
	shm = shmat(shmid, NULL, 0);
	if (shm == (void *)-1)
		die("shmat");
	for (off = 0; off < SHM_SIZE; off++)
		if (off / PAGE != 2 && off / PAGE != 4)
			shm[off] = pattern(0, off);
	destid = shmget(IPC_PRIVATE, DEST_SIZE, IPC_CREAT | 0600);
	if (destid < 0)
		die("shmget private");
	dest = shmat(destid, NULL, SHM_RDONLY);
	shm2 = shmat(destid, NULL, 0);
	if (dest == (void *)-1 || shm2 == (void *)-1)
		die("shmat private");
	for (off = 0; off < DEST_SIZE; off++)
		shm2[off] = pattern(1, off);
	if (shmdt(shm2))
		die("shmdt");
	if (shmctl(destid, IPC_RMID, NULL))
		die("IPC_RMID");
	if (lock && shmctl(shmid, SHM_LOCK, NULL))
		die("SHM_LOCK");

	/* A message queue. */
	msqid = msgget(MSQ_KEY, IPC_CREAT | IPC_EXCL | 0620);
	if (msqid < 0)
		die("msgget");
	if (msgctl(msqid, IPC_STAT, &msq_before))
		die("msgctl IPC_STAT");
	msq_before.msg_qbytes = QBYTES;
	if (msgctl(msqid, IPC_SET, &msq_before))
		die("msgctl IPC_SET");
	for (i = 0; i < (int)NR_MSGS; i++) {
		fill_msg(i);
		if (msgsnd(msqid, &mbuf, msgs[i].len, IPC_NOWAIT))
			die("msgsnd");
	}

	/* A semaphore set, with adjustments outstanding. */
	semid = semget(SEM_KEY, NSEMS, IPC_CREAT | IPC_EXCL | 0604);
	if (semid < 0)
		die("semget");
	if (semctl(semid, 0, SETALL, (union semun){ .array = init_vals }))
		die("SETALL");
	if (semop(semid, ops, 2))
		die("semop");

	/* What IPC_STAT shows now; the times must not move. */
	if (shmctl(shmid, IPC_STAT, &shm_before) ||
	    shmctl(destid, IPC_STAT, &dest_before) ||
	    msgctl(msqid, IPC_STAT, &msq_before) ||
	    semctl(semid, 0, IPC_STAT, (union semun){ .buf = &sem_before }) ||
	    semctl(semid, 0, GETALL, (union semun){ .array = vals_before }))
		die("IPC_STAT");
	printf("ids shm %d dest %d msq %d sem %d\n", shmid, destid, msqid,
	       semid);
	printf("READY pid %d\n", getpid());

	while (stat(gofile, &st))
		sleep_ms(50);
	printf("GO pid %d\n", getpid());

	/* The segments. */
	CHECK(shmctl(shmid, IPC_STAT, &shm_after) == 0, "shm IPC_STAT: %m");
	check_perm("shm", &shm_after.shm_perm, &shm_before.shm_perm);
	CHECK(shm_after.shm_segsz == SHM_SIZE && shm_after.shm_nattch == 1 &&
	      shm_after.shm_atime == shm_before.shm_atime &&
	      shm_after.shm_dtime == shm_before.shm_dtime &&
	      shm_after.shm_ctime == shm_before.shm_ctime &&
	      shm_after.shm_cpid == shm_before.shm_cpid &&
	      shm_after.shm_lpid == shm_before.shm_lpid,
	      "shm: size %zu nattch %lu times %ld %ld %ld pids %d %d, was %ld %ld %ld %d %d",
	      shm_after.shm_segsz, (unsigned long)shm_after.shm_nattch,
	      (long)shm_after.shm_atime, (long)shm_after.shm_dtime,
	      (long)shm_after.shm_ctime, shm_after.shm_cpid,
	      shm_after.shm_lpid, (long)shm_before.shm_atime,
	      (long)shm_before.shm_dtime, (long)shm_before.shm_ctime,
	      shm_before.shm_cpid, shm_before.shm_lpid);
	check_shm(0, shm, SHM_SIZE, 1U << 2 | 1U << 4);
	/* Still shared: a second attachment sees a write through the first. */
	shm2 = shmat(shmid, NULL, 0);
	CHECK(shm2 != (void *)-1, "second shmat: %m");
	if (shm2 != (void *)-1) {
		shm[2 * PAGE + 5] = 0x5a;
		CHECK(shm2[2 * PAGE + 5] == 0x5a, "the segment is not shared");
		shmdt(shm2);
	}

	CHECK(shmctl(destid, IPC_STAT, &dest_after) == 0, "dest IPC_STAT: %m");
	check_perm("dest", &dest_after.shm_perm, &dest_before.shm_perm);
	CHECK(dest_after.shm_perm.mode & SHM_DEST &&
	      dest_after.shm_perm.__key == IPC_PRIVATE &&
	      dest_after.shm_nattch == 1 &&
	      dest_after.shm_atime == dest_before.shm_atime,
	      "dest: mode %#o key %#x nattch %lu",
	      dest_after.shm_perm.mode, dest_after.shm_perm.__key,
	      (unsigned long)dest_after.shm_nattch);
	check_shm(1, dest, DEST_SIZE, 0);
	CHECK(shmdt(dest) == 0, "shmdt dest: %m");
	CHECK(shmctl(destid, IPC_STAT, &dest_after) < 0,
	      "dest still there after its last detach");

	/* The queue. */
	CHECK(msgctl(msqid, IPC_STAT, &msq_after) == 0, "msq IPC_STAT: %m");
	check_perm("msq", &msq_after.msg_perm, &msq_before.msg_perm);
	CHECK(msq_after.msg_qbytes == QBYTES &&
	      msq_after.msg_qnum == NR_MSGS &&
	      msq_after.msg_cbytes == msq_before.msg_cbytes &&
	      msq_after.msg_stime == msq_before.msg_stime &&
	      msq_after.msg_rtime == msq_before.msg_rtime &&
	      msq_after.msg_ctime == msq_before.msg_ctime &&
	      msq_after.msg_lspid == msq_before.msg_lspid,
	      "msq: qbytes %lu qnum %lu cbytes %lu stime %ld lspid %d",
	      (unsigned long)msq_after.msg_qbytes,
	      (unsigned long)msq_after.msg_qnum,
	      (unsigned long)msq_after.__msg_cbytes,
	      (long)msq_after.msg_stime, msq_after.msg_lspid);
	for (i = 0; i < (int)NR_MSGS; i++) {
		static char want[8192];
		ssize_t n;

		fill_msg(i);
		memcpy(want, mbuf.mtext, msgs[i].len);
		memset(&mbuf, 0, sizeof(mbuf));
		n = msgrcv(msqid, &mbuf, sizeof(mbuf.mtext), 0, IPC_NOWAIT);
		CHECK(n == msgs[i].len && mbuf.mtype == msgs[i].type &&
		      !memcmp(mbuf.mtext, want, msgs[i].len),
		      "message %d: type %ld, %zd bytes, expected type %ld, %d bytes",
		      i, mbuf.mtype, n, msgs[i].type, msgs[i].len);
		hash_int(mbuf.mtype);
		hash = fnv1a(hash, mbuf.mtext, n > 0 ? n : 0);
	}
	CHECK(msgrcv(msqid, &mbuf, sizeof(mbuf.mtext), 0, IPC_NOWAIT) < 0 &&
	      errno == ENOMSG, "more messages than were sent");

	/* The semaphores. */
	CHECK(semctl(semid, 0, IPC_STAT, (union semun){ .buf = &sem_after }) == 0,
	      "sem IPC_STAT: %m");
	check_perm("sem", &sem_after.sem_perm, &sem_before.sem_perm);
	CHECK(sem_after.sem_nsems == NSEMS &&
	      sem_after.sem_otime == sem_before.sem_otime &&
	      sem_after.sem_ctime == sem_before.sem_ctime,
	      "sem: nsems %lu otime %ld ctime %ld",
	      (unsigned long)sem_after.sem_nsems, (long)sem_after.sem_otime,
	      (long)sem_after.sem_ctime);
	CHECK(semctl(semid, 0, GETALL, (union semun){ .array = vals }) == 0,
	      "GETALL: %m");
	for (i = 0; i < NSEMS; i++) {
		CHECK(vals[i] == vals_before[i], "semaphore %d is %u, was %u",
		      i, vals[i], vals_before[i]);
		hash_int(vals[i]);
	}
	CHECK(semctl(semid, 0, GETPID) == getpid(), "sempid %d",
	      semctl(semid, 0, GETPID));
	/* Apply the SEM_UNDO adjustments, exactly as exit would. */
	CHECK(unshare(CLONE_SYSVSEM) == 0, "unshare(CLONE_SYSVSEM): %m");
	CHECK(semctl(semid, 0, GETALL, (union semun){ .array = vals }) == 0,
	      "GETALL: %m");
	CHECK(vals[0] == init_vals[0] && vals[1] == init_vals[1] &&
	      vals[2] == init_vals[2] && vals[3] == init_vals[3],
	      "after the undo: %u %u %u %u, expected %u %u %u %u", vals[0],
	      vals[1], vals[2], vals[3], init_vals[0], init_vals[1],
	      init_vals[2], init_vals[3]);

	hash_int(shmid);
	hash_int(destid);
	hash_int(msqid);
	hash_int(semid);
	if (failures) {
		printf("RESULT FAIL\n");
		return 1;
	}
	printf("RESULT OK %016llx\n", (unsigned long long)hash);
	return 0;
}
