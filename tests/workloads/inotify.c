// SPDX-License-Identifier: GPL-2.0
/*
 * inotify - a process that watches files and directories of a tmpfs.
 *
 *   inotify run DIR TICKS TICK_MS
 *   inotify deleted DIR	(a watch on a deleted file; prints READY)
 *
 * run: in its own mount namespace (ckptctl run makes one) the init mounts
 * a 1 MiB tmpfs on DIR holding directories a, b and t and files f and g,
 * and makes two inotify instances:
 *   I (IN_NONBLOCK | IN_CLOEXEC), with watches
 *     DIR     IN_CREATE | IN_MASK_CREATE, then IN_DELETE | IN_MASK_ADD
 *             (the same wd, both events)
 *     DIR/a   creations, deletions, moves, writes, IN_CLOSE_WRITE, IN_ATTRIB
 *     DIR/b   IN_CREATE, IN_OPEN, IN_ACCESS, IN_CLOSE_NOWRITE,
 *             IN_EXCL_UNLINK, added with IN_ONLYDIR
 *     DIR/g   all events (so a checkpoint that read it would show)
 *     DIR/t   removed at once (inotify_rm_watch): a hole in the wd's
 *   J (IN_NONBLOCK), watching DIR/a for creations, deletions and moves,
 *     read only at ticks 35 and the end, so its queue (the test sets
 *     fs.inotify.max_queued_events to 64) overflows early.
 * Each tick k it first reads every event I has (those of tick k - 1),
 * then changes things: a file a/n<k> made and written; at even ticks
 * a/n<k-1> renamed a/m<k-1> (a cookie pair), removed at ticks 4j; g
 * chmod'ed every 5th tick and read every 3rd; a directory b/d<k> every
 * 7th tick; DIR/top<k> made every 9th tick and removed at the next.
 * Tick 25 adds a one-shot watch on DIR/f (IN_MODIFY | IN_ONESHOT), which
 * f's writes at ticks 33 and 36 fire once; tick 27 removes I's watch of
 * DIR/g; tick 40 adds a watch on b/d35, whose wd must follow the others.  Then "tick K pid P" and a
 * sleep: a checkpoint taken then holds tick K's events unread.
 *
 * Each event read is printed "ev TICK I|J wd mask cookie name", its cookie
 * replaced by its order of appearance (cookies come from a counter of the
 * whole kernel), after checking that each IN_MOVED_TO has the cookie of
 * the IN_MOVED_FROM just before; each wd inotify_add_watch() returns,
 * "wd NAME N".  RESULT: their FNV-1a hash and the number of failed checks.
 *
 * deleted: a tmpfs on DIR; a file opened, watched, then unlinked (still
 * open and watched); prints READY and sleeps.
 */
#include <fcntl.h>
#include <string.h>
#include <sys/inotify.h>
#include <sys/mount.h>
#include <sys/stat.h>

#include "workload.h"

static uint64_t result = FNV_INIT;
static const char *dir;
static uint32_t cookies[4096];
static unsigned int nr_cookies;

/* A line of the final report: printed and hashed into the RESULT. */
#define report(...)	workload_report(&result, __VA_ARGS__)

static const char *at(const char *fmt, ...)
{
	static char path[4][512];
	static int i;
	char rel[256];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(rel, sizeof(rel), fmt, ap);
	va_end(ap);
	i = (i + 1) % 4;
	snprintf(path[i], sizeof(path[i]), "%s/%s", dir, rel);
	return path[i];
}

static int add(int fd, const char *name, const char *path, uint32_t mask)
{
	int wd = inotify_add_watch(fd, path, mask);

	if (wd < 0)
		workload_die(name);
	report("wd %s %d", name, wd);
	return wd;
}

static unsigned int cookie_index(uint32_t c)
{
	unsigned int i;

	if (!c)
		return 0;
	for (i = 0; i < nr_cookies; i++)
		if (cookies[i] == c)
			return i + 1;
	if (nr_cookies < sizeof(cookies) / sizeof(cookies[0]))
		cookies[nr_cookies++] = c;
	return nr_cookies;
}

/* Reads up to @max events of @fd (all if 0); prints each. */
static void drain(int fd, const char *tag, long k, int max)
{
	static uint32_t from[2];
	uint32_t *last_from = &from[*tag == 'J'];
	char buf[4096] __attribute__((aligned(__alignof__(struct inotify_event))));
	int n = 0;

	for (;;) {
		ssize_t len = read(fd, buf, max ? sizeof(struct inotify_event) + 256 :
				   sizeof(buf));
		char *p;

		if (len < 0 && errno == EAGAIN)
			return;
		if (len <= 0)
			workload_die("read inotify");
		for (p = buf; p < buf + len;) {
			struct inotify_event *e = (void *)p;

			if (e->mask & IN_MOVED_FROM)
				*last_from = e->cookie;
			if (e->mask & IN_MOVED_TO &&
			    (!e->cookie || e->cookie != *last_from))
				workload_fail("tick %ld: %s: IN_MOVED_TO with cookie %u after IN_MOVED_FROM's %u",
					      k, tag, e->cookie, *last_from);
			report("ev %ld %s %d %#x %u %s", k, tag, e->wd, e->mask,
			       cookie_index(e->cookie), e->len ? e->name : "-");
			p += sizeof(*e) + e->len;
			n++;
		}
		if (max && n >= max)
			return;
	}
}

static void put(const char *path, const char *data)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_APPEND, 0644);

	if (fd < 0 || write(fd, data, strlen(data)) < 0 || close(fd))
		workload_die(path);
}

static void get(const char *path)
{
	char buf[64];
	int fd = open(path, O_RDONLY);

	if (fd < 0 || read(fd, buf, sizeof(buf)) < 0 || close(fd))
		workload_die(path);
}

static void setup(void)
{
	if (mount("none", dir, "tmpfs", MS_NOSUID, "size=1m,mode=755"))
		workload_die("mount tmpfs");
	if (mkdir(at("a"), 0755) || mkdir(at("b"), 0755) || mkdir(at("t"), 0755))
		workload_die("mkdir");
	put(at("f"), "f");
	put(at("g"), "g");
}

static int run(long ticks, long tick_ms)
{
	int in, jn, wd_root, wd_g = 0;
	char num[32];
	long k;

	setup();
	in = inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
	jn = inotify_init1(IN_NONBLOCK);
	if (in < 0 || jn < 0)
		workload_die("inotify_init1");
	wd_root = add(in, "root", dir, IN_CREATE | IN_MASK_CREATE);
	if (add(in, "root+", dir, IN_DELETE | IN_MASK_ADD) != wd_root)
		workload_fail("IN_MASK_ADD gave another wd");
	add(in, "a", at("a"), IN_CREATE | IN_DELETE | IN_MOVED_FROM | IN_MOVED_TO |
	    IN_MODIFY | IN_CLOSE_WRITE | IN_ATTRIB);
	add(in, "b", at("b"), IN_CREATE | IN_OPEN | IN_ACCESS | IN_CLOSE_NOWRITE |
	    IN_EXCL_UNLINK | IN_ONLYDIR);
	wd_g = add(in, "g", at("g"), IN_ALL_EVENTS);
	if (inotify_rm_watch(in, add(in, "t", at("t"), IN_CREATE)))
		workload_die("inotify_rm_watch");
	add(jn, "ja", at("a"), IN_CREATE | IN_DELETE | IN_MOVED_FROM | IN_MOVED_TO);
	printf("ready pid %d\n", getpid());

	for (k = 1; k <= ticks; k++) {
		drain(in, "I", k, 0);
		snprintf(num, sizeof(num), "%ld\n", k);
		put(at("a/n%ld", k), num);
		if (k % 2 == 0 && rename(at("a/n%ld", k - 1), at("a/m%ld", k - 1)))
			workload_die("rename");
		if (k % 4 == 0 && unlink(at("a/m%ld", k - 1)))
			workload_die("unlink");
		if (k % 5 == 0 && chmod(at("g"), k % 10 ? 0600 : 0644))
			workload_die("chmod");
		if (k % 3 == 0)
			get(at("g"));
		if (k % 7 == 0 && mkdir(at("b/d%ld", k), 0755))
			workload_die("mkdir b");
		if (k % 9 == 0 && mkdir(at("top%ld", k), 0755))
			workload_die("mkdir top");
		if (k % 9 == 1 && k > 9 && rmdir(at("top%ld", k - 1)))
			workload_die("rmdir top");
		if (k == 25)
			add(in, "f", at("f"), IN_MODIFY | IN_ONESHOT);
		if (k == 27 && inotify_rm_watch(in, wd_g))
			workload_die("inotify_rm_watch g");
		if (k == 33 || k == 36)
			put(at("f"), num);
		if (k == 35)
			drain(jn, "J", k, 10);
		if (k == 40)
			add(in, "d35", at("b/d35"), IN_CREATE | IN_DELETE);
		printf("tick %ld pid %d\n", k, getpid());
		sleep_ms(tick_ms);
	}
	drain(in, "I", k, 0);
	drain(jn, "J", k, 0);
	printf("RESULT %016llx bad %d\n", (unsigned long long)result,
	       workload_bad);
	return workload_bad ? 1 : 0;
}

static int deleted(void)
{
	int in, fd;

	if (mount("none", dir, "tmpfs", 0, "size=64k"))
		workload_die("mount tmpfs");
	put(at("gone"), "x");
	fd = open(at("gone"), O_RDONLY);
	in = inotify_init1(0);
	if (fd < 0 || in < 0 || inotify_add_watch(in, at("gone"), IN_MODIFY) < 0 ||
	    unlink(at("gone")))
		workload_die("deleted setup");
	printf("READY\n");
	for (;;)
		pause();
}

int main(int argc, char **argv)
{
	workload_init();
	if (argc < 3) {
		fprintf(stderr, "usage: inotify run DIR TICKS TICK_MS | deleted DIR\n");
		return 2;
	}
	dir = argv[2];
	if (!strcmp(argv[1], "deleted"))
		return deleted();
	return run(arg_long(argc, argv, 3, 50), arg_long(argc, argv, 4, 100));
}
