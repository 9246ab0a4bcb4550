// SPDX-License-Identifier: GPL-2.0-only
/*
 * ckpt: shared memory objects: MAP_SHARED|MAP_ANONYMOUS memory, memfds and
 * deleted tmpfs files that the container maps shared.
 *
 * No path reaches them, so their contents go into the image: each object
 * once, however many mappings and processes share it, with the pages that
 * exist.  Restart creates each object (shmem_kernel_file_setup() as
 * mmap(MAP_SHARED|MAP_ANONYMOUS) does, shmem_file_setup() as
 * memfd_create() does), writes its pages, and every mapping of it maps
 * the same object again: what one process writes, the others see.
 */

#include <linux/bsearch.h>
#include <linux/fcntl.h>
#include <linux/file.h>
#include <linux/fs.h>
#include <linux/memfd.h>
#include <linux/mm.h>
#include <linux/pagemap.h>
#include <linux/sched/mm.h>
#include <linux/shmem_fs.h>
#include <linux/slab.h>
#include <linux/sort.h>

#include "internal.h"

#define CKPT_MEMFD_PREFIX	"memfd:"
#define CKPT_SHMEM_NAME_MAX	255

static int ckpt_shm_cmp(const void *a, const void *b)
{
	const struct ckpt_shmem_obj *x = a, *y = b;

	if (x->inode != y->inode)
		return x->inode < y->inode ? -1 : 1;
	return 0;
}

static int ckpt_ptr_cmp(const void *a, const void *b)
{
	const void *const *x = a, *const *y = b;

	if (*x != *y)
		return *x < *y ? -1 : 1;
	return 0;
}

/* Sorts the objects by inode and drops duplicates; numbers them. */
static void ckpt_dedup_shm(struct ckpt_ctx *ctx)
{
	u32 i, n;

	sort(ctx->shm, ctx->nr_shm, sizeof(*ctx->shm), ckpt_shm_cmp, NULL);
	for (i = 0, n = 0; i < ctx->nr_shm; i++) {
		if (n && ctx->shm[n - 1].inode == ctx->shm[i].inode) {
			fput(ctx->shm[i].file);
			continue;
		}
		ctx->shm[n] = ctx->shm[i];
		ctx->shm[n].id = n;
		n++;
	}
	ctx->nr_shm = n;
}

/* Appends every shared memory object mapped by @mm. */
static int ckpt_add_shm(struct ckpt_ctx *ctx, struct mm_struct *mm, u32 *cap)
{
	struct vm_area_struct *vma;
	const char *why;
	int err = 0;

	VMA_ITERATOR(vmi, mm, 0);
	if (mmap_read_lock_killable(mm))
		return -EINTR;
	for_each_vma(vmi, vma) {
		if (ckpt_vma_kind(vma, &why) != CKPT_VMA_SHMEM)
			continue;
		if (ctx->nr_shm == *cap)
			ckpt_dedup_shm(ctx);
		/* Unique objects only: the limit is on those. */
		if (ctx->nr_shm > CKPT_SHMEM_MAX) {
			err = -E2BIG;
			break;
		}
		if (ctx->nr_shm > *cap / 2 && ctx->nr_shm + 1 > *cap - *cap / 4) {
			struct ckpt_shmem_obj *bigger;

			bigger = kvrealloc(ctx->shm, 2 * *cap * sizeof(*bigger),
					   GFP_KERNEL);
			if (!bigger) {
				err = -ENOMEM;
				break;
			}
			ctx->shm = bigger;
			*cap *= 2;
		}
		ctx->shm[ctx->nr_shm++] = (struct ckpt_shmem_obj) {
			.file = get_file(vma->vm_file),
			.inode = file_inode(vma->vm_file),
		};
	}
	mmap_read_unlock(mm);
	return err;
}

static bool ckpt_is_memfd(struct file *file)
{
	return file->f_path.mnt->mnt_flags & MNT_INTERNAL &&
	       !strncmp(file->f_path.dentry->d_name.name, CKPT_MEMFD_PREFIX,
			strlen(CKPT_MEMFD_PREFIX));
}

/* Is the object mapped by an address space outside @mms? */
static bool ckpt_shm_leaks(struct ckpt_shmem_obj *s, const void **mms, u32 nr)
{
	struct address_space *mapping = s->file->f_mapping;
	struct vm_area_struct *vma;
	bool leak = false;

	i_mmap_lock_read(mapping);
	vma_interval_tree_foreach(vma, &mapping->i_mmap, 0, ULONG_MAX) {
		const void *mm = vma->vm_mm;

		if (!bsearch(&mm, mms, nr, sizeof(*mms), ckpt_ptr_cmp)) {
			leak = true;
			break;
		}
	}
	i_mmap_unlock_read(mapping);
	return leak;
}

/**
 * ckpt_shmem_object - is @file one of the objects saved by contents?
 * @file: a mapped or open file.
 *
 * Return: true for MAP_SHARED|MAP_ANONYMOUS memory, a memfd, or a deleted
 * tmpfs file.
 */
bool ckpt_shmem_object(struct file *file)
{
	return shmem_file(file) &&
	       (file->f_path.mnt->mnt_flags & MNT_INTERNAL ||
		!file_inode(file)->i_nlink);
}

/* Appends the open files that are objects, which a mapping may not map. */
static int ckpt_add_open_shm(struct ckpt_ctx *ctx, struct file **open,
			     size_t nr, u32 *cap)
{
	size_t i;

	for (i = 0; i < nr; i++) {
		if (ctx->nr_shm == *cap)
			ckpt_dedup_shm(ctx);
		if (ctx->nr_shm > CKPT_SHMEM_MAX)
			return -E2BIG;
		if (ctx->nr_shm == *cap) {
			struct ckpt_shmem_obj *bigger;

			bigger = kvrealloc(ctx->shm, 2 * *cap * sizeof(*bigger),
					   GFP_KERNEL);
			if (!bigger)
				return -ENOMEM;
			ctx->shm = bigger;
			*cap *= 2;
		}
		ctx->shm[ctx->nr_shm++] = (struct ckpt_shmem_obj) {
			.file = get_file(open[i]),
			.inode = file_inode(open[i]),
		};
	}
	return 0;
}

/**
 * ckpt_collect_shmem - find the shared memory objects the container uses
 * @ctx: the checkpoint, with its tasks collected.
 * @open: the memfds and deleted tmpfs files open in the container.
 * @nr_open: their number.
 *
 * Numbers each object once, checks it can be saved, and (without
 * CKPT_CHECKPOINT_SUBTREE) that no address space outside the container
 * maps it.
 *
 * Return: 0, -EOPNOTSUPP or -EBUSY with a reason, or a negative errno.
 */
int ckpt_collect_shmem(struct ckpt_ctx *ctx, struct file **open,
		       size_t nr_open)
{
	const void **mms;
	u32 i, nr_mms = 0, cap = 16;
	int err = 0;

	ctx->shm = kvmalloc_array(cap, sizeof(*ctx->shm), GFP_KERNEL);
	mms = kvmalloc_array(ctx->nr_tasks, sizeof(*mms), GFP_KERNEL);
	if (!ctx->shm || !mms) {
		kvfree(mms);
		return -ENOMEM;
	}
	for (i = 0; !err && i < ctx->nr_tasks; i++) {
		struct ckpt_ctask *ct = &ctx->tasks[i];
		struct mm_struct *mm;

		if (ct->tree.state != CKPT_TREE_LIVE ||
		    ct->tree.pid != ct->tree.tgid)
			continue;
		mm = get_task_mm(ct->task);
		if (!mm) {
			err = ckpt_task_err(ctx, ct->task, -EBUSY,
					    "the task has no memory");
			break;
		}
		mms[nr_mms++] = mm;
		err = ckpt_add_shm(ctx, mm, &cap);
		mmput(mm);
	}
	if (!err)
		err = ckpt_add_open_shm(ctx, open, nr_open, &cap);
	if (err && err != -E2BIG)
		goto out;

	/* One entry per object, in address order, numbered in that order. */
	ckpt_dedup_shm(ctx);
	if (ctx->nr_shm > CKPT_SHMEM_MAX)
		err = -E2BIG;
	if (err == -E2BIG) {
		err = ckpt_err(ctx, -EOPNOTSUPP,
			       "more than %d shared memory objects",
			       CKPT_SHMEM_MAX);
		goto out;
	}

	sort(mms, nr_mms, sizeof(*mms), ckpt_ptr_cmp, NULL);
	for (i = 0; i < ctx->nr_shm; i++) {
		struct ckpt_shmem_obj *s = &ctx->shm[i];

		if (ckpt_is_memfd(s->file)) {
			long seals = memfd_fcntl(s->file, F_GET_SEALS, 0);

			if (seals < 0 || seals & ~F_SEAL_SEAL) {
				err = ckpt_err(ctx, -EOPNOTSUPP,
					       "memfd %s: seals %#lx are not supported yet",
					       s->file->f_path.dentry->d_name.name,
					       seals);
				break;
			}
		}
		if (!(ctx->flags & CKPT_CHECKPOINT_SUBTREE) &&
		    ckpt_shm_leaks(s, mms, nr_mms)) {
			err = ckpt_err(ctx, -EBUSY,
				       "shared memory %s is also mapped outside the container (leak; CKPT_CHECKPOINT_SUBTREE saves it anyway)",
				       s->file->f_path.dentry->d_name.name);
			break;
		}
	}
out:
	kvfree(mms);
	return err;
}

/**
 * ckpt_shmem_id - the id of the shared memory object of a mapped file
 * @ctx: the checkpoint.
 * @file: the file a CKPT_VMA_SHMEM mapping maps.
 *
 * Return: its id, or -ENOENT if it was not collected.
 */
int ckpt_shmem_id(struct ckpt_ctx *ctx, struct file *file)
{
	struct ckpt_shmem_obj key = { .inode = file_inode(file) }, *s;

	s = bsearch(&key, ctx->shm, ctx->nr_shm, sizeof(key), ckpt_shm_cmp);
	return s ? s->id : -ENOENT;
}

/**
 * ckpt_release_shmem - drop the shared memory objects of the operation
 * @ctx: the checkpoint or restart.
 */
void ckpt_release_shmem(struct ckpt_ctx *ctx)
{
	u32 i;

	for (i = 0; ctx->shm && i < ctx->nr_shm; i++)
		if (ctx->shm[i].file)
			fput(ctx->shm[i].file);
	kvfree(ctx->shm);
	ctx->shm = NULL;
	ctx->nr_shm = 0;
}

/*
 * Up to CKPT_PAGES_MAX consecutive pages of @s that exist, from *@index
 * on, each with a reference; *@start is the first one's index and *@index
 * moves past the last.  Returns how many, 0 when there are no more.
 */
static int ckpt_shm_run(struct ckpt_shmem_obj *s, pgoff_t *index, pgoff_t end,
			pgoff_t *start, struct page **pages)
{
	struct address_space *mapping = s->file->f_mapping;
	unsigned long i = *index;
	int n = 0;

	while (n < CKPT_PAGES_MAX && i < end) {
		unsigned long found = i;
		struct folio *folio;

		if (!xa_find(&mapping->i_pages, &found, end - 1, XA_PRESENT))
			break;
		/* A large folio that holds @i reports its first index. */
		if (found < i)
			found = i;
		if (n && found != i)
			break;
		if (!n)
			*start = found;
		folio = shmem_read_folio(mapping, found);
		if (IS_ERR(folio)) {
			while (n)
				put_page(pages[--n]);
			return PTR_ERR(folio);
		}
		for (i = found; i < folio_next_index(folio) && i < end &&
		     n < CKPT_PAGES_MAX; i++) {
			pages[n] = folio_file_page(folio, i);
			get_page(pages[n++]);
		}
		folio_put(folio);
	}
	*index = i;
	return n;
}

static int ckpt_write_one_shm(struct ckpt_ctx *ctx, struct ckpt_shmem_obj *s,
			      struct page **pages)
{
	struct inode *inode = file_inode(s->file);
	const char *name = s->file->f_path.dentry->d_name.name;
	loff_t size = i_size_read(inode);
	pgoff_t end = DIV_ROUND_UP(size, PAGE_SIZE), index, start = 0;
	struct ckpt_shmem rec = {
		.id = s->id,
		.size = size,
	};
	int n, i, err;

	if (SHMEM_I(inode)->flags & VM_NORESERVE)
		rec.flags |= CKPT_SHMEM_NORESERVE;
	if (ckpt_is_memfd(s->file)) {
		rec.flags |= CKPT_SHMEM_MEMFD;
		rec.seals = memfd_fcntl(s->file, F_GET_SEALS, 0);
		rec.name_len = min(strlen(name), CKPT_SHMEM_NAME_MAX);
	}
	/* Counted first: the record says how many pages follow. */
	for (index = 0; (n = ckpt_shm_run(s, &index, end, &start, pages)) > 0;) {
		rec.nr_pages += n;
		for (i = 0; i < n; i++)
			put_page(pages[i]);
	}
	if (n < 0)
		return n;
	err = ckpt_write_rec_tail(ctx, CKPT_REC_SHMEM, &rec, sizeof(rec), name,
				  rec.name_len);
	for (index = 0; !err && rec.nr_pages;) {
		struct ckpt_pages p = { };

		n = ckpt_shm_run(s, &index, end, &start, pages);
		if (n <= 0 || n > rec.nr_pages) {
			for (i = 0; i < n; i++)
				put_page(pages[i]);
			err = n < 0 ? n : -EAGAIN;
			break;
		}
		p.addr = (u64)start << PAGE_SHIFT;
		p.nr_pages = n;
		err = ckpt_write_rec_tail(ctx, CKPT_REC_PAGES, &p, sizeof(p),
					  NULL, (size_t)n << PAGE_SHIFT);
		if (!err)
			err = ckpt_write_pages(ctx, pages, n);
		for (i = 0; i < n; i++)
			put_page(pages[i]);
		rec.nr_pages -= n;
	}
	if (err == -EAGAIN)
		ckpt_log(ctx, "shared memory %s changed during the checkpoint", name);
	return err;
}

/**
 * ckpt_write_shmem - write a SHMEM record and the pages of each object
 * @ctx: the checkpoint.
 *
 * Return: 0 or a negative errno.
 */
int ckpt_write_shmem(struct ckpt_ctx *ctx)
{
	struct page **pages;
	u32 i;
	int err = 0;

	if (!ctx->nr_shm)
		return 0;
	pages = kmalloc_array(CKPT_PAGES_MAX, sizeof(*pages), GFP_KERNEL);
	if (!pages)
		return -ENOMEM;
	for (i = 0; !err && i < ctx->nr_shm; i++)
		err = ckpt_write_one_shm(ctx, &ctx->shm[i], pages);
	kfree(pages);
	return err;
}

static struct file *ckpt_create_shm(struct ckpt_ctx *ctx,
				    const struct ckpt_shmem *rec, char *name)
{
	struct file *file;

	if (rec->flags & CKPT_SHMEM_MEMFD) {
		/* As memfd_create(): a shmem file with the user's name. */
		if (strncmp(name, CKPT_MEMFD_PREFIX, strlen(CKPT_MEMFD_PREFIX)))
			return ERR_PTR(-EINVAL);
		file = shmem_file_setup(name, rec->size, VM_NORESERVE);
		if (!IS_ERR(file))
			SHMEM_I(file_inode(file))->seals = rec->seals;
	} else {
		/* As mmap(MAP_SHARED|MAP_ANONYMOUS): shmem_zero_setup(). */
		file = shmem_kernel_file_setup("dev/zero", rec->size,
					       rec->flags & CKPT_SHMEM_NORESERVE ?
					       VM_NORESERVE : 0);
	}
	return file;
}

/**
 * ckpt_fill_file - write the PAGES records that follow into a file
 * @ctx: the restart.
 * @file: the file the restart made, @size bytes long.
 * @nr_pages: the pages the records carry in all.
 * @size: the file's size: the pages lie below it, and are written up to
 *	it (the last page of a file that is not a whole number of pages
 *	does not make it longer).
 * @buf: room for CKPT_PAGES_MAX pages.
 * @what: what the file is, for messages.
 * @id: its id, for messages.
 *
 * The records come in increasing offset order (PAGES.addr is the offset
 * in the file), without overlap.
 *
 * Return: 0, -EINVAL for a malformed record, or a negative errno.
 */
int ckpt_fill_file(struct ckpt_ctx *ctx, struct file *file, u64 nr_pages,
		   u64 size, void *buf, const char *what, u32 id)
{
	u64 left = nr_pages, next = 0;
	u64 limit = DIV_ROUND_UP_ULL(size, PAGE_SIZE);

	while (left) {
		struct ckpt_pages p;
		loff_t pos;
		ssize_t n;
		size_t len;
		u32 tail;
		int err;

		err = ckpt_read_rec(ctx, CKPT_REC_PAGES, &p, sizeof(p), &tail);
		if (err)
			return err;
		if (!p.nr_pages || p.nr_pages > CKPT_PAGES_MAX || p.pad ||
		    p.nr_pages > left || !PAGE_ALIGNED(p.addr) ||
		    p.addr < next || (p.addr >> PAGE_SHIFT) + p.nr_pages > limit ||
		    tail != (u64)p.nr_pages << PAGE_SHIFT)
			return ckpt_err(ctx, -EINVAL,
					"%s %u: malformed PAGES record", what, id);
		err = ckpt_read(ctx, buf, tail);
		if (err)
			return err;
		len = min_t(u64, tail, size - p.addr);
		pos = p.addr;
		n = kernel_write(file, buf, len, &pos);
		if (n != len)
			return ckpt_err(ctx, n < 0 ? n : -EIO,
					"%s %u: cannot write its pages", what,
					id);
		next = p.addr + tail;
		left -= p.nr_pages;
	}
	return 0;
}

/**
 * ckpt_read_shmem - read the SHMEM records and recreate the objects
 * @ctx: the restart.
 * @nr: the number of records, from the CONTAINER record.
 *
 * Context: the container's init, in its turn, as the caller.
 * Return: 0 or a negative errno.
 */
int ckpt_read_shmem(struct ckpt_ctx *ctx, u32 nr)
{
	void *buf = NULL;
	int err = 0;
	u32 i;

	if (!nr)
		return 0;
	ctx->shm = kvcalloc(nr, sizeof(*ctx->shm), GFP_KERNEL);
	buf = kvmalloc(CKPT_PAGES_MAX * PAGE_SIZE, GFP_KERNEL);
	if (!ctx->shm || !buf) {
		err = -ENOMEM;
		goto out;
	}
	for (i = 0; i < nr; i++) {
		struct ckpt_shmem rec;
		struct file *file;
		char *name = NULL;
		u32 tail;

		err = ckpt_read_rec(ctx, CKPT_REC_SHMEM, &rec, sizeof(rec), &tail);
		if (err)
			break;
		if (rec.id != i || rec.flags & ~CKPT_SHMEM_FLAGS ||
		    rec.size > MAX_LFS_FILESIZE || tail != rec.name_len ||
		    rec.name_len > CKPT_SHMEM_NAME_MAX ||
		    rec.nr_pages > DIV_ROUND_UP(rec.size, PAGE_SIZE) ||
		    rec.seals & ~F_SEAL_SEAL ||
		    (!(rec.flags & CKPT_SHMEM_MEMFD) &&
		     (rec.seals || rec.name_len))) {
			err = ckpt_err(ctx, -EINVAL, "malformed SHMEM record %u", i);
			break;
		}
		if (!!rec.name_len != !!(rec.flags & CKPT_SHMEM_MEMFD)) {
			err = ckpt_err(ctx, -EINVAL, "malformed SHMEM record %u", i);
			break;
		}
		if (rec.name_len) {
			name = kzalloc(rec.name_len + 1, GFP_KERNEL);
			err = name ? ckpt_read_tail(ctx, name, rec.name_len) :
				     -ENOMEM;
			if (!err && strlen(name) != rec.name_len)
				err = ckpt_err(ctx, -EINVAL,
					       "SHMEM record %u: a NUL in the name", i);
			if (err) {
				kfree(name);
				break;
			}
		}
		file = ckpt_create_shm(ctx, &rec, name);
		kfree(name);
		if (IS_ERR(file)) {
			err = ckpt_err(ctx, PTR_ERR(file),
				       "cannot create shared memory object %u", i);
			break;
		}
		ctx->shm[i].file = file;
		ctx->nr_shm = i + 1;
		err = ckpt_fill_file(ctx, file, rec.nr_pages, rec.size, buf,
				     "shared memory object", rec.id);
		if (err)
			break;
	}
out:
	kvfree(buf);
	return err;
}

/**
 * ckpt_shmem_file - the object a CKPT_VMA_SHMEM mapping maps
 * @ctx: the restart.
 * @id: the id in the VMA record.
 *
 * Return: the object's file with a reference, or NULL for a bad id.
 */
struct file *ckpt_shmem_file(struct ckpt_ctx *ctx, s32 id)
{
	if (id < 0 || id >= ctx->nr_shm)
		return NULL;
	return get_file(ctx->shm[id].file);
}
