// SPDX-License-Identifier: GPL-2.0
/*
 * mounts: a container that makes mounts of its own and uses them.
 *
 *   mounts run DIR SRC TICKS TICK_MS
 *   mounts hold DIR FSTYPE | big | fifo
 *
 * run: in its own mount namespace (ckptctl run makes one, private), the
 * init mounts under DIR (which has the directories proc, tmp and bind):
 *   DIR/proc  a proc of its pid namespace (nosuid, nodev, noexec),
 *   DIR/tmp   a 1 MiB tmpfs (nosuid, mode 0750) holding directories,
 *             files with several modes and fixed times, a symbolic link,
 *             a hard link and a 100 KiB file,
 *   DIR/bind  a read-only bind mount of SRC (a directory of the caller's
 *             holding a file "data"),
 *   DIR/tmp/a/m  a second tmpfs (64 KiB, mode 0711) inside the first,
 *             with a file,
 *   /proc     a proc of its pid namespace with hidepid=2, over the copy
 *             of the caller's,
 * keeps DIR/tmp/log open and writes a line to it each tick, through its
 * offset, reads the bind mount, and checks that DIR/proc shows itself as
 * pid 1 and writing to DIR/bind is refused (EROFS).  At the end it prints
 * the normalized mount table of DIR (DIR/proc/self/mountinfo: mount
 * point, root, type, options), a listing of the tmpfs (names, types,
 * modes, owners, sizes, mtimes, contents, link targets, hard links) and
 * the pids DIR/proc shows, and RESULT: their FNV-1a hash with the count
 * of failed checks.
 *
 * hold: mounts a new FSTYPE file system on DIR (big: a tmpfs holding a
 * 17 MiB file; fifo: a tmpfs holding a FIFO), prints READY and sleeps
 * (for a checkpoint that must be refused).
 */
#include <dirent.h>
#include <fcntl.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>

#include "workload.h"

static uint64_t result = FNV_INIT;

/* A line of the final report: printed and hashed into the RESULT. */
#define report(...)	workload_report(&result, __VA_ARGS__)

static void put_file(const char *path, mode_t mode, size_t size,
		     uint64_t seed)
{
	char buf[4096];
	size_t done = 0;
	int fd;

	fd = open(path, O_WRONLY | O_CREAT | O_EXCL, 0600);
	if (fd < 0)
		workload_die(path);
	while (done < size) {
		size_t n = size - done < sizeof(buf) ? size - done : sizeof(buf);
		size_t i;

		for (i = 0; i < n; i++)
			buf[i] = 'a' + xorshift64(&seed) % 26;
		if (write(fd, buf, n) != (ssize_t)n)
			workload_die("write");
		done += n;
	}
	if (fchmod(fd, mode))
		workload_die("fchmod");
	close(fd);
}

/* Fixed times, so that the listing is the same in every run. */
static void set_times(const char *path, long sec)
{
	struct timespec ts[2] = { { sec, 0 }, { sec + 1, 123456789 } };

	if (utimensat(AT_FDCWD, path, ts, AT_SYMLINK_NOFOLLOW))
		workload_die(path);
}

static void setup(const char *dir, const char *src)
{
	char p[4096], q[4096];

	snprintf(p, sizeof(p), "%s/proc", dir);
	if (mount("proc", p, "proc", MS_NOSUID | MS_NODEV | MS_NOEXEC, NULL))
		workload_die("mount proc");
	snprintf(p, sizeof(p), "%s/tmp", dir);
	if (mount("tmpfs", p, "tmpfs", MS_NOSUID, "size=1m,mode=0750"))
		workload_die("mount tmpfs");
	snprintf(p, sizeof(p), "%s/bind", dir);
	if (mount(src, p, NULL, MS_BIND, NULL) ||
	    mount(NULL, p, NULL, MS_REMOUNT | MS_BIND | MS_RDONLY | MS_NODEV,
		  NULL))
		workload_die("bind mount");

	snprintf(p, sizeof(p), "%s/tmp/a", dir);
	if (mkdir(p, 0755))
		workload_die("mkdir a");
	snprintf(p, sizeof(p), "%s/tmp/a/b", dir);
	if (mkdir(p, 0700))
		workload_die("mkdir a/b");
	snprintf(p, sizeof(p), "%s/tmp/a/f1", dir);
	put_file(p, 0640, 3000, 1);
	snprintf(q, sizeof(q), "%s/tmp/a/f1-hardlink", dir);
	if (link(p, q))
		workload_die("link");
	snprintf(p, sizeof(p), "%s/tmp/a/b/f2", dir);
	put_file(p, 04711, 100 * 1024 + 17, 2);
	snprintf(p, sizeof(p), "%s/tmp/empty", dir);
	put_file(p, 0444, 0, 3);
	snprintf(p, sizeof(p), "%s/tmp/link", dir);
	if (symlink("a/f1", p))
		workload_die("symlink");
	snprintf(p, sizeof(p), "%s/tmp/dangling", dir);
	if (symlink("/nowhere/at/all", p))
		workload_die("symlink");
	snprintf(p, sizeof(p), "%s/tmp/a/b/f2", dir);
	set_times(p, 1000000000);
	snprintf(p, sizeof(p), "%s/tmp/a/f1", dir);
	set_times(p, 1100000000);
	snprintf(p, sizeof(p), "%s/tmp/empty", dir);
	set_times(p, 1200000000);
	snprintf(p, sizeof(p), "%s/tmp/link", dir);
	set_times(p, 1300000000);
	snprintf(p, sizeof(p), "%s/tmp/dangling", dir);
	set_times(p, 1300000001);
	snprintf(p, sizeof(p), "%s/tmp/a/b", dir);
	set_times(p, 1400000000);

	/* A tmpfs in the tmpfs, made after the first is filled. */
	snprintf(p, sizeof(p), "%s/tmp/a/m", dir);
	if (mkdir(p, 0755) ||
	    mount("tmpfs", p, "tmpfs", MS_NODEV | MS_NOEXEC, "size=64k,mode=0711"))
		workload_die("mount nested tmpfs");
	snprintf(q, sizeof(q), "%s/tmp/a/m/n", dir);
	put_file(q, 0600, 5000, 4);
	set_times(q, 1600000000);
	set_times(p, 1700000000);
	snprintf(p, sizeof(p), "%s/tmp/a", dir);
	set_times(p, 1500000000);

	/* The container's own /proc, over the copy of the caller's. */
	if (mount("proc", "/proc", "proc", MS_NOSUID | MS_NODEV | MS_NOEXEC,
		  "hidepid=2"))
		workload_die("mount /proc");
}

static uint64_t file_hash(const char *path)
{
	char buf[4096];
	uint64_t h = FNV_INIT;
	ssize_t n;
	int fd;

	fd = open(path, O_RDONLY);
	if (fd < 0)
		return 0;
	while ((n = read(fd, buf, sizeof(buf))) > 0)
		h = fnv1a(h, buf, n);
	close(fd);
	return h;
}

/* One tick: the log through its offset, the bind mount, /proc. */
static void tick(const char *dir, int logfd, long n)
{
	char p[4096], line[64];
	struct stat st;
	int fd, len;

	len = snprintf(line, sizeof(line), "tick %ld\n", n);
	if (write(logfd, line, len) != len)
		workload_fail("write log: errno %d", errno);
	snprintf(p, sizeof(p), "%s/proc/self", dir);
	len = readlink(p, line, sizeof(line) - 1);
	if (len != 1 || line[0] != '1')
		workload_fail("%s is not pid 1", p);
	len = readlink("/proc/self", line, sizeof(line) - 1);
	if (len != 1 || line[0] != '1')
		workload_fail("/proc/self is not pid 1");
	snprintf(p, sizeof(p), "%s/bind/data", dir);
	if (stat(p, &st) || file_hash(p) == 0)
		workload_fail("cannot read %s", p);
	snprintf(p, sizeof(p), "%s/bind/new", dir);
	fd = open(p, O_WRONLY | O_CREAT, 0600);
	if (fd >= 0 || errno != EROFS)
		workload_fail("%s: created on a read-only bind", p);
	if (fd >= 0)
		close(fd);
	printf("tick %ld pid %d\n", n, getpid());
}

#define MAX_MOUNTS	256

static struct {
	int id, parent;
	char line[1024];	/* normalized, or "" if not reported */
} mounts[MAX_MOUNTS];
static int nr_mounts;

static void report_mount_tree(int i, int depth)
{
	int k;

	if (depth > MAX_MOUNTS)
		workload_die("mount loop");
	if (mounts[i].line[0])
		report("%s", mounts[i].line);
	for (k = 0; k < nr_mounts; k++)
		if (k != i && mounts[k].parent == mounts[i].id)
			report_mount_tree(k, depth + 1);
}

/*
 * The mounts under @dir and on /proc, from mountinfo without ids and
 * device numbers, in the order of the tree (a mount after the one it is
 * on, siblings in the order they were made): the order of ids, which is
 * the order the mounts were made in, is not kept by a restart, which
 * makes them parents first.
 */
static void report_mounts(const char *dir)
{
	char p[4096], line[8192];
	size_t dl = strlen(dir);
	FILE *f;
	int i, k;

	snprintf(p, sizeof(p), "%s/proc/self/mountinfo", dir);
	f = fopen(p, "re");
	if (!f)
		workload_die("mountinfo");
	while (fgets(line, sizeof(line), f)) {
		char *field[16], *s = line, *sep;
		int n = 0;

		line[strcspn(line, "\n")] = '\0';
		while (n < 16 && (field[n] = strsep(&s, " ")))
			n++;
		/* id parent dev root point opts [optional...] - type src super */
		if (n < 10 || nr_mounts == MAX_MOUNTS)
			workload_die("mountinfo line");
		mounts[nr_mounts].id = atoi(field[0]);
		mounts[nr_mounts].parent = atoi(field[1]);
		mounts[nr_mounts].line[0] = '\0';
		for (sep = NULL, k = 6; k < n; k++)
			if (!strcmp(field[k], "-")) {
				sep = field[k];
				break;
			}
		if (!sep || k + 3 >= n)
			workload_die("mountinfo fields");
		if (!strncmp(field[4], dir, dl) || !strcmp(field[4], "/proc"))
			snprintf(mounts[nr_mounts].line,
				 sizeof(mounts[nr_mounts].line),
				 "mount %s root %s opts %s type %s super %s",
				 strcmp(field[4], "/proc") ? field[4] + dl :
				 field[4], field[3], field[5], field[k + 1],
				 field[k + 3]);
		nr_mounts++;
	}
	fclose(f);
	for (i = 0; i < nr_mounts; i++) {
		for (k = 0; k < nr_mounts; k++)
			if (k != i && mounts[k].id == mounts[i].parent)
				break;
		if (k == nr_mounts)
			report_mount_tree(i, 0);
	}
}

/* The tmpfs, depth first in name order. */
static void report_tree(const char *base, const char *rel)
{
	char p[4096], target[4096];
	struct dirent **names;
	struct stat st;
	int i, n;

	snprintf(p, sizeof(p), "%s%s", base, rel);
	n = scandir(p, &names, NULL, alphasort);
	if (n < 0)
		workload_die(p);
	for (i = 0; i < n; i++) {
		const char *name = names[i]->d_name;
		char r[4096];

		if (!strcmp(name, ".") || !strcmp(name, "..")) {
			free(names[i]);
			continue;
		}
		snprintf(r, sizeof(r), "%s/%s", rel, name);
		snprintf(p, sizeof(p), "%s%s", base, r);
		if (lstat(p, &st))
			workload_die(p);
		if (S_ISLNK(st.st_mode)) {
			ssize_t len = readlink(p, target, sizeof(target) - 1);

			target[len < 0 ? 0 : len] = '\0';
			report("tree %s link -> %s mtime %lld.%09ld", r, target,
			       (long long)st.st_mtim.tv_sec, st.st_mtim.tv_nsec);
		} else if (S_ISDIR(st.st_mode)) {
			report("tree %s dir mode %o uid %u gid %u nlink %lu mtime %lld.%09ld",
			       r, st.st_mode & 07777, st.st_uid, st.st_gid,
			       (unsigned long)st.st_nlink,
			       (long long)st.st_mtim.tv_sec, st.st_mtim.tv_nsec);
			report_tree(base, r);
		} else {
			/* log is written each tick: its mtime is the run's */
			report("tree %s file mode %o uid %u gid %u nlink %lu size %lld hash %016llx mtime %lld.%09ld",
			       r, st.st_mode & 07777, st.st_uid, st.st_gid,
			       (unsigned long)st.st_nlink, (long long)st.st_size,
			       (unsigned long long)file_hash(p),
			       strcmp(r, "/log") ? (long long)st.st_mtim.tv_sec : 0,
			       strcmp(r, "/log") ? st.st_mtim.tv_nsec : 0);
		}
		free(names[i]);
	}
	free(names);
}

static void report_hardlink(const char *dir)
{
	char p[4096], q[4096];
	struct stat a, b;

	snprintf(p, sizeof(p), "%s/tmp/a/f1", dir);
	snprintf(q, sizeof(q), "%s/tmp/a/f1-hardlink", dir);
	if (stat(p, &a) || stat(q, &b))
		workload_die("stat f1");
	report("hardlink %s", a.st_ino == b.st_ino ? "same inode" : "BROKEN");
}

static void report_pids(const char *dir)
{
	char p[4096];
	struct dirent *e;
	DIR *d;

	snprintf(p, sizeof(p), "%s/proc", dir);
	d = opendir(p);
	if (!d)
		workload_die(p);
	while ((e = readdir(d)))
		if (e->d_name[0] >= '0' && e->d_name[0] <= '9')
			report("proc pid %s", e->d_name);
	closedir(d);
}

static int hold(const char *dir, const char *type)
{
	char p[4096];

	if (!strcmp(type, "big") || !strcmp(type, "fifo")) {
		if (mount("tmpfs", dir, "tmpfs", 0, "size=32m"))
			workload_die("mount");
		snprintf(p, sizeof(p), "%s/x", dir);
		if (!strcmp(type, "big"))
			put_file(p, 0644, 17 << 20, 5);
		else if (mkfifo(p, 0600))
			workload_die("mkfifo");
	} else if (mount("none", dir, type, 0, NULL)) {
		workload_die("mount");
	}
	printf("READY\n");
	for (;;)
		pause();
}

int main(int argc, char **argv)
{
	const char *dir, *src;
	long ticks, tick_ms, i;
	char p[4096];
	int logfd;

	workload_init();
	if (argc == 4 && !strcmp(argv[1], "hold"))
		return hold(argv[2], argv[3]);
	if (argc != 6 || strcmp(argv[1], "run")) {
		fprintf(stderr, "usage: %s run DIR SRC TICKS TICK_MS | hold DIR FSTYPE\n",
			argv[0]);
		return 2;
	}
	dir = argv[2];
	src = argv[3];
	ticks = arg_long(argc, argv, 4, 30);
	tick_ms = arg_long(argc, argv, 5, 100);

	setup(dir, src);
	snprintf(p, sizeof(p), "%s/tmp/log", dir);
	logfd = open(p, O_RDWR | O_CREAT | O_EXCL, 0620);
	if (logfd < 0)
		workload_die("open log");
	printf("ready pid %d\n", getpid());
	for (i = 1; i <= ticks; i++) {
		tick(dir, logfd, i);
		sleep_ms(tick_ms);
	}
	report_mounts(dir);
	snprintf(p, sizeof(p), "%s/tmp", dir);
	report_tree(p, "");
	report_hardlink(dir);
	report_pids(dir);
	snprintf(p, sizeof(p), "%s/bind/data", dir);
	report("bind data %016llx", (unsigned long long)file_hash(p));
	report("log offset %lld", (long long)lseek(logfd, 0, SEEK_CUR));
	printf("RESULT %016llx bad %d\n", (unsigned long long)result,
	       workload_bad);
	return workload_bad ? 1 : 0;
}
