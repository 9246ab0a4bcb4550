// SPDX-License-Identifier: GPL-2.0
/*
 * Image helpers for the ckpt tests: walk the records of an image and
 * compute its trailer, so that a test can edit a field and still get past
 * the checksum to the validation it aims at.
 *
 * xxh64 is written here from its published specification so that the tests
 * do not depend on the implementation they check.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ckpt_test.h"

#define P1	0x9e3779b185ebca87ULL
#define P2	0xc2b2ae3d27d4eb4fULL
#define P3	0x165667b19e3779f9ULL
#define P4	0x85ebca77c2b2ae63ULL
#define P5	0x27d4eb2f165667c5ULL

static inline uint64_t rotl64(uint64_t x, int r)
{
	return (x << r) | (x >> (64 - r));
}

/* Little-endian loads that do not care about alignment. */
static inline uint64_t load64(const unsigned char *p)
{
	uint64_t v;

	memcpy(&v, p, sizeof(v));
	return v;
}

static inline uint32_t load32(const unsigned char *p)
{
	uint32_t v;

	memcpy(&v, p, sizeof(v));
	return v;
}

static inline uint64_t xxh64_round(uint64_t acc, uint64_t input)
{
	acc += input * P2;
	acc = rotl64(acc, 31);
	return acc * P1;
}

static inline uint64_t xxh64_merge(uint64_t acc, uint64_t val)
{
	acc ^= xxh64_round(0, val);
	return acc * P1 + P4;
}

uint64_t xxh64(const void *buf, size_t len, uint64_t seed)
{
	const unsigned char *p = buf, *end = p + len;
	uint64_t h;

	if (len >= 32) {
		uint64_t v1 = seed + P1 + P2, v2 = seed + P2;
		uint64_t v3 = seed, v4 = seed - P1;

		for (; end - p >= 32; p += 32) {
			v1 = xxh64_round(v1, load64(p));
			v2 = xxh64_round(v2, load64(p + 8));
			v3 = xxh64_round(v3, load64(p + 16));
			v4 = xxh64_round(v4, load64(p + 24));
		}
		h = rotl64(v1, 1) + rotl64(v2, 7) + rotl64(v3, 12) +
		    rotl64(v4, 18);
		h = xxh64_merge(h, v1);
		h = xxh64_merge(h, v2);
		h = xxh64_merge(h, v3);
		h = xxh64_merge(h, v4);
	} else {
		h = seed + P5;
	}
	h += len;

	for (; end - p >= 8; p += 8) {
		h ^= xxh64_round(0, load64(p));
		h = rotl64(h, 27) * P1 + P4;
	}
	if (end - p >= 4) {
		h ^= (uint64_t)load32(p) * P1;
		h = rotl64(h, 23) * P2 + P3;
		p += 4;
	}
	for (; p < end; p++) {
		h ^= *p * P5;
		h = rotl64(h, 11) * P1;
	}

	h ^= h >> 33;
	h *= P2;
	h ^= h >> 29;
	h *= P3;
	h ^= h >> 32;
	return h;
}

int img_walk(const unsigned char *img, size_t len, struct img_rec *recs,
	     int max)
{
	size_t off = 0;
	int n = 0;

	while (off < len) {
		struct ckpt_rec rec;

		if (len - off < sizeof(rec))
			return -1;
		memcpy(&rec, img + off, sizeof(rec));
		if (rec.len < sizeof(rec) || rec.len > len - off)
			return -1;
		if (n < max) {
			recs[n].off = off;
			recs[n].type = rec.type;
			recs[n].len = rec.len;
		}
		n++;
		off += rec.len;
		if (rec.type == CKPT_REC_TRAILER)
			return off == len ? n : -1;
	}
	return -1;	/* no trailer */
}

/* The trailer is the last record, of a fixed size. */
#define TRAILER_SIZE	(sizeof(struct ckpt_rec) + sizeof(struct ckpt_trailer))

int img_fix_trailer(unsigned char *img, size_t len)
{
	struct ckpt_trailer t;
	size_t body;

	if (len < TRAILER_SIZE)
		return -1;
	body = len - TRAILER_SIZE;
	t.image_len = body;
	t.csum = xxh64(img, body, 0);
	memcpy(img + body + sizeof(struct ckpt_rec), &t, sizeof(t));
	return 0;
}

int img_check_trailer(const unsigned char *img, size_t len)
{
	struct ckpt_trailer t;
	struct ckpt_rec rec;
	size_t body;

	if (len < TRAILER_SIZE)
		return -1;
	body = len - TRAILER_SIZE;
	memcpy(&rec, img + body, sizeof(rec));
	memcpy(&t, img + body + sizeof(rec), sizeof(t));
	if (rec.type != CKPT_REC_TRAILER || rec.len != TRAILER_SIZE)
		return -1;
	if (t.image_len != body || t.csum != xxh64(img, body, 0))
		return -1;
	return 0;
}

/* Copies the payload of record @r, of at least @size bytes, into @out. */
static int rec_payload(const unsigned char *img, const struct img_rec *r,
		       void *out, size_t size)
{
	if (r->len < sizeof(struct ckpt_rec) + size)
		return -1;
	memcpy(out, img + r->off + sizeof(struct ckpt_rec), size);
	return 0;
}

#define BAD(...) do {							\
		snprintf(why, whylen, __VA_ARGS__);			\
		goto bad;						\
	} while (0)

/* Expects record @i to be of @type with a payload of exactly @size bytes. */
#define EXPECT_REC(want_type, want_size) do {				\
		if (i >= n || recs[i].type != (want_type))		\
			BAD("record %d: expected type %d, found %d", i,	\
			    (want_type), i < n ? (int)recs[i].type : -1); \
		if ((want_size) && recs[i].len !=			\
		    sizeof(struct ckpt_rec) + (want_size))		\
			BAD("record %d (type %d): length %u, expected %zu", \
			    i, (want_type), recs[i].len,		\
			    sizeof(struct ckpt_rec) + (size_t)(want_size)); \
	} while (0)

int img_find(const struct img_rec *recs, int n, uint32_t type, int nth)
{
	int i;

	for (i = 0; i < n; i++)
		if (recs[i].type == type && !nth--)
			return i;
	return -1;
}

/* PAGES records from @i on, @nr pages in all inside [@lo, @hi). */
static int check_pages(const unsigned char *img, const struct img_rec *recs,
		       int n, int *i, uint64_t lo, uint64_t hi, uint64_t nr,
		       char *why, size_t whylen)
{
	uint64_t pages = 0;

	while (*i < n && recs[*i].type == CKPT_REC_PAGES) {
		struct ckpt_pages p;

		rec_payload(img, &recs[*i], &p, sizeof(p));
		if (recs[*i].len != sizeof(struct ckpt_rec) + sizeof(p) +
				    (uint64_t)p.nr_pages * 4096) {
			snprintf(why, whylen, "pages at %#llx: record of %u bytes",
				 (unsigned long long)p.addr, recs[*i].len);
			return -1;
		}
		if (p.addr < lo || p.addr + (uint64_t)p.nr_pages * 4096 > hi) {
			snprintf(why, whylen, "pages at %#llx outside %#llx-%#llx",
				 (unsigned long long)p.addr,
				 (unsigned long long)lo, (unsigned long long)hi);
			return -1;
		}
		pages += p.nr_pages;
		(*i)++;
	}
	if (nr != UINT64_MAX && pages != nr) {
		snprintf(why, whylen, "%#llx-%#llx: %llu pages saved, %llu announced",
			 (unsigned long long)lo, (unsigned long long)hi,
			 (unsigned long long)pages, (unsigned long long)nr);
		return -1;
	}
	return 0;
}

#define CHECK_PAGES(lo, hi, nr) do {					\
		if (check_pages(img, recs, n, &i, (lo), (hi), (nr), why, \
				whylen))				\
			goto bad;					\
	} while (0)

int img_check_layout(const unsigned char *img, size_t len, char *why,
		     size_t whylen)
{
	struct img_rec *recs;
	struct ckpt_tree *tree = NULL;
	struct ckpt_hdr hdr;
	struct ckpt_container c;
	struct ckpt_mm mm;
	struct ckpt_signals sigs;
	struct ckpt_fpu fpu;
	struct ckpt_fs fs;
	struct ckpt_creds creds;
	struct ckpt_task task;
	struct ckpt_shmem shm;
	struct ckpt_files files;
	uint32_t nr_tables = 0, nr_files = 0, nr_pipes = 0;
	int n, i = 0;
	uint32_t t, v, k;

	why[0] = '\0';
	n = img_walk(img, len, NULL, 0);
	if (n < 0) {
		snprintf(why, whylen, "records do not chain up to a trailer");
		return -1;
	}
	recs = calloc(n, sizeof(*recs));
	if (!recs)
		return -1;
	img_walk(img, len, recs, n);

	EXPECT_REC(CKPT_REC_HEADER, sizeof(hdr));
	rec_payload(img, &recs[i++], &hdr, sizeof(hdr));
	if (hdr.magic != CKPT_IMAGE_MAGIC || hdr.version != CKPT_FORMAT_VERSION ||
	    hdr.arch != CKPT_ARCH_X86_64 || hdr.page_size != 4096)
		BAD("header: magic %#llx version %u arch %#x page size %u",
		    (unsigned long long)hdr.magic, hdr.version, hdr.arch,
		    hdr.page_size);
	if (hdr.flags || hdr.reserved)
		BAD("header: flags %#x reserved %#x", hdr.flags, hdr.reserved);

	EXPECT_REC(CKPT_REC_CONTAINER, sizeof(c));
	rec_payload(img, &recs[i++], &c, sizeof(c));
	if (!(c.ns_flags & CKPT_NS_PID) || (c.ns_flags & ~CKPT_NS_ALL))
		BAD("container: ns_flags %#x", c.ns_flags);
	if (c.nr_tasks < 1 || c.nr_tasks > CKPT_TASKS_MAX)
		BAD("container: %u tasks", c.nr_tasks);
	if (c.monotonic_ns < 0 || c.monotonic_ns > CKPT_CLOCK_NS_MAX ||
	    c.boottime_ns < 0 || c.boottime_ns > CKPT_CLOCK_NS_MAX)
		BAD("container: clocks monotonic %lld ns, boottime %lld ns",
		    (long long)c.monotonic_ns, (long long)c.boottime_ns);

	tree = calloc(c.nr_tasks, sizeof(*tree));
	if (!tree)
		BAD("out of memory");
	for (t = 0; t < c.nr_tasks; t++) {
		EXPECT_REC(CKPT_REC_TREE, sizeof(struct ckpt_tree));
		rec_payload(img, &recs[i++], &tree[t], sizeof(tree[t]));
	}
	if (tree[0].pid != 1 || tree[0].tgid != 1 ||
	    tree[0].state != CKPT_TREE_LIVE)
		BAD("tree: first entry is pid %d tgid %d state %u", tree[0].pid,
		    tree[0].tgid, tree[0].state);

	/* Mounts: MOUNT, a TMPFS one with its TMPFS_ENTRY records. */
	if ((c.ns_flags & CKPT_NS_MNT) ?
	    c.nr_mounts < 1 || c.nr_mounts > CKPT_MOUNTS_MAX : c.nr_mounts)
		BAD("container: %u mounts, ns_flags %#x", c.nr_mounts,
		    c.ns_flags);
	for (k = 0; k < c.nr_mounts; k++) {
		struct ckpt_mount mnt;

		EXPECT_REC(CKPT_REC_MOUNT, 0);
		if (rec_payload(img, &recs[i++], &mnt, sizeof(mnt)))
			BAD("mount %u: short record", k + 1);
		if (mnt.id != k + 1 || mnt.parent > k ||
		    recs[i - 1].len != sizeof(struct ckpt_rec) + sizeof(mnt) +
		    mnt.path_len + mnt.source_len + mnt.fstype_len)
			BAD("mount %u: id %u parent %u or lengths", k + 1,
			    mnt.id, mnt.parent);
		for (v = 0; v < mnt.nr_entries; v++) {
			struct ckpt_tmpfs_entry e;

			EXPECT_REC(CKPT_REC_TMPFS_ENTRY, 0);
			if (rec_payload(img, &recs[i++], &e, sizeof(e)))
				BAD("mount %u: short entry", k + 1);
			if (e.index != v + 1 || e.parent > v ||
			    recs[i - 1].len != sizeof(struct ckpt_rec) +
			    sizeof(e) + e.name_len + e.size)
				BAD("mount %u: entry %u: index %u parent %u or lengths",
				    k + 1, v + 1, e.index, e.parent);
		}
	}

	/* SysV IPC objects: SHM with its PAGES, MSQ with its MSGs, SEM. */
	if (c.nr_ipc && !(c.ns_flags & CKPT_NS_IPC))
		BAD("container: %u IPC objects, no IPC namespace", c.nr_ipc);
	for (k = 0; k < c.nr_ipc; k++) {
		uint32_t type = i < n ? recs[i].type : 0;
		struct ckpt_shm shmrec;
		struct ckpt_msq msq;
		struct ckpt_sem sem;
		uint64_t m;

		if (type == CKPT_REC_SHM) {
			EXPECT_REC(CKPT_REC_SHM, sizeof(shmrec));
			rec_payload(img, &recs[i++], &shmrec, sizeof(shmrec));
			CHECK_PAGES(0, (shmrec.size + 4095) & ~4095ULL,
				    shmrec.nr_pages);
		} else if (type == CKPT_REC_MSQ) {
			EXPECT_REC(CKPT_REC_MSQ, sizeof(msq));
			rec_payload(img, &recs[i++], &msq, sizeof(msq));
			for (m = 0; m < msq.nr_msgs; m++) {
				struct ckpt_msg msg;

				EXPECT_REC(CKPT_REC_MSG, 0);
				if (rec_payload(img, &recs[i], &msg, sizeof(msg)) ||
				    recs[i].len != sizeof(struct ckpt_rec) +
						   sizeof(msg) + msg.len)
					BAD("msg: record of %u bytes", recs[i].len);
				i++;
			}
		} else if (type == CKPT_REC_SEM) {
			EXPECT_REC(CKPT_REC_SEM, 0);
			if (rec_payload(img, &recs[i], &sem, sizeof(sem)) ||
			    recs[i].len != sizeof(struct ckpt_rec) + sizeof(sem) +
					   sem.nsems * sizeof(struct ckpt_sem_val))
				BAD("sem: record of %u bytes", recs[i].len);
			i++;
		} else {
			BAD("record %d: IPC object %u is of type %u", i, k, type);
		}
	}
	for (k = 0; k < c.nr_shmem; k++) {
		EXPECT_REC(CKPT_REC_SHMEM, 0);
		if (rec_payload(img, &recs[i], &shm, sizeof(shm)) ||
		    recs[i].len != sizeof(struct ckpt_rec) + sizeof(shm) +
				   shm.name_len)
			BAD("shmem %u: record of %u bytes", k, recs[i].len);
		if (shm.id != (int32_t)k)
			BAD("shmem %u: id %d", k, shm.id);
		i++;
		CHECK_PAGES(0, (shm.size + 4095) & ~4095ULL, shm.nr_pages);
	}

	for (t = 0; t < c.nr_tasks; t++) {
		const struct ckpt_tree *e = &tree[t];
		int leader = e->pid == e->tgid;

		if (e->state != CKPT_TREE_LIVE)
			continue;
		EXPECT_REC(CKPT_REC_TASK, sizeof(task));
		rec_payload(img, &recs[i++], &task, sizeof(task));
		if (task.pid != e->pid || task.tgid != e->tgid)
			BAD("task %d/%d where the tree has %d/%d next", task.pid,
			    task.tgid, e->pid, e->tgid);
		EXPECT_REC(CKPT_REC_CREDS, 0);
		if (rec_payload(img, &recs[i], &creds, sizeof(creds)) ||
		    recs[i].len != sizeof(struct ckpt_rec) + sizeof(creds) +
				   creds.ngroups * 4)
			BAD("creds: record of %u bytes", recs[i].len);
		i++;
		if (leader) {
			EXPECT_REC(CKPT_REC_RLIMITS, sizeof(struct ckpt_rlimits));
			i++;
			EXPECT_REC(CKPT_REC_ITIMERS, sizeof(struct ckpt_itimers));
			i++;
			while (i < n && recs[i].type == CKPT_REC_POSIX_TIMER)
				i++;
		}
		if (!(e->flags & CKPT_TREE_SHARE_FS)) {
			EXPECT_REC(CKPT_REC_FS, 0);
			if (rec_payload(img, &recs[i], &fs, sizeof(fs)) ||
			    recs[i].len != sizeof(struct ckpt_rec) + sizeof(fs) +
					   fs.root_len + fs.cwd_len)
				BAD("fs: record of %u bytes", recs[i].len);
			i++;
		}
		if (leader) {
			EXPECT_REC(CKPT_REC_MM, 0);
			if (rec_payload(img, &recs[i], &mm, sizeof(mm)) ||
			    recs[i].len != sizeof(struct ckpt_rec) + sizeof(mm) +
					   mm.exe_len)
				BAD("mm: record of %u bytes", recs[i].len);
			i++;
			for (v = 0; v < mm.nr_vmas; v++) {
				struct ckpt_vma vma;

				EXPECT_REC(CKPT_REC_VMA, 0);
				if (rec_payload(img, &recs[i], &vma, sizeof(vma)) ||
				    recs[i].len != sizeof(struct ckpt_rec) +
						   sizeof(vma) + vma.path_len)
					BAD("vma %u: record of %u bytes", v,
					    recs[i].len);
				if (vma.kind == CKPT_VMA_SHMEM &&
				    (vma.shmem < 0 ||
				     (uint32_t)vma.shmem >= c.nr_shmem))
					BAD("vma %#llx: shmem %d of %u",
					    (unsigned long long)vma.start,
					    vma.shmem, c.nr_shmem);
				i++;
				CHECK_PAGES(vma.start, vma.end, vma.nr_pages);
			}
		}
		/*
		 * FILES; for a new table, per descriptor [PIPE PIPE_BUF...]
		 * [FILE] FD, each object numbered in order of appearance.
		 */
		EXPECT_REC(CKPT_REC_FILES, sizeof(files));
		rec_payload(img, &recs[i++], &files, sizeof(files));
		if (files.id && files.id <= nr_tables) {
			if (files.nr_fds)
				BAD("files %u: saved before, %u fds", files.id,
				    files.nr_fds);
		} else if (files.id != nr_tables + 1) {
			BAD("files %u: expected %u", files.id, nr_tables + 1);
		}
		for (k = 0; files.id == nr_tables + 1 && k < files.nr_fds; k++) {
			struct ckpt_pipe pipe;
			struct ckpt_file file;
			struct ckpt_fd fd;

			if (i < n && recs[i].type == CKPT_REC_PIPE) {
				EXPECT_REC(CKPT_REC_PIPE, sizeof(pipe));
				rec_payload(img, &recs[i++], &pipe, sizeof(pipe));
				if (pipe.id != ++nr_pipes)
					BAD("pipe %u: expected %u", pipe.id, nr_pipes);
				for (v = 0; v < pipe.nr_bufs; v++) {
					struct ckpt_pipe_buf b;

					EXPECT_REC(CKPT_REC_PIPE_BUF, 0);
					if (rec_payload(img, &recs[i], &b, sizeof(b)) ||
					    recs[i].len != sizeof(struct ckpt_rec) +
							   sizeof(b) + b.len)
						BAD("pipe_buf: record of %u bytes",
						    recs[i].len);
					i++;
				}
				EXPECT_REC(CKPT_REC_FILE, 0);
			}
			if (i < n && recs[i].type == CKPT_REC_FILE) {
				if (rec_payload(img, &recs[i], &file, sizeof(file)) ||
				    recs[i].len != sizeof(struct ckpt_rec) +
						   sizeof(file) + file.path_len)
					BAD("file: record of %u bytes", recs[i].len);
				if (file.id != ++nr_files)
					BAD("file %u: expected %u", file.id, nr_files);
				if (file.kind == CKPT_FILE_PIPE &&
				    (!file.obj || file.obj > nr_pipes))
					BAD("file %u: pipe %u of %u", file.id,
					    file.obj, nr_pipes);
				i++;
			}
			EXPECT_REC(CKPT_REC_FD, sizeof(fd));
			rec_payload(img, &recs[i++], &fd, sizeof(fd));
			if (!fd.file || fd.file > nr_files)
				BAD("fd %d: file %u of %u", fd.fd, fd.file,
				    nr_files);
		}
		if (files.id == nr_tables + 1)
			nr_tables++;
		if (leader) {
			EXPECT_REC(CKPT_REC_SIGHAND, sizeof(struct ckpt_sighand));
			i++;
		}
		EXPECT_REC(CKPT_REC_SIGNALS, sizeof(sigs));
		rec_payload(img, &recs[i++], &sigs, sizeof(sigs));
		for (k = 0; k < sigs.nr_pending; k++) {
			EXPECT_REC(CKPT_REC_SIGINFO,
				   sizeof(struct ckpt_siginfo));
			i++;
		}
		if (!leader && e->nr_sem_undo)
			BAD("thread %d: %u SEM_UNDO records", e->pid,
			    e->nr_sem_undo);
		for (k = 0; k < e->nr_sem_undo; k++) {
			struct ckpt_sem_undo u;

			EXPECT_REC(CKPT_REC_SEM_UNDO, 0);
			if (rec_payload(img, &recs[i], &u, sizeof(u)) ||
			    recs[i].len != sizeof(struct ckpt_rec) + sizeof(u) +
					   u.nsems * sizeof(int16_t))
				BAD("sem_undo: record of %u bytes", recs[i].len);
			i++;
		}
		EXPECT_REC(CKPT_REC_CPU, sizeof(struct ckpt_cpu));
		i++;
		EXPECT_REC(CKPT_REC_FPU, 0);
		if (rec_payload(img, &recs[i], &fpu, sizeof(fpu)) ||
		    recs[i].len != sizeof(struct ckpt_rec) + sizeof(fpu) +
				   fpu.size)
			BAD("fpu: record of %u bytes", recs[i].len);
		i++;
		/* TASK_END has no payload: a length of exactly 8. */
		if (i >= n || recs[i].type != CKPT_REC_TASK_END ||
		    recs[i].len != sizeof(struct ckpt_rec))
			BAD("record %d: expected TASK_END", i);
		i++;
	}
	EXPECT_REC(CKPT_REC_TRAILER, sizeof(struct ckpt_trailer));
	i++;
	if (i != n)
		BAD("%d records after the trailer", n - i);
	if (img_check_trailer(img, len))
		BAD("trailer length or checksum mismatch");
	free(tree);
	free(recs);
	return 0;
bad:
	free(tree);
	free(recs);
	return -1;
}
