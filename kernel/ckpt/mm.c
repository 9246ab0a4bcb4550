// SPDX-License-Identifier: GPL-2.0-only
/*
 * ckpt: address spaces.
 *
 * Each mapping is saved as what user space can observe of it: its range,
 * protection, madvise() state, the file and offset it maps, and the pages
 * that exist in it.  A page exists if it is anonymous (in an anonymous
 * mapping, or written to and so copied in a private file mapping), present
 * or swapped out; holes and pages still backed by their file are not saved.
 *
 * At restart the new task empties the address space it inherited from the
 * caller, maps each mapping again with mmap(), and reads the saved pages
 * straight into place through get_user_pages(FOLL_FORCE), the access
 * ptrace's PTRACE_POKEDATA has to the task's own memory.
 */

#include <linux/binfmts.h>
#include <linux/file.h>
#include <linux/highmem.h>
#include <linux/huge_mm.h>
#include <linux/mman.h>
#include <linux/mm.h>
#include <linux/namei.h>
#include <linux/pagewalk.h>
#include <linux/mount.h>
#include <linux/sched/mm.h>
#include <linux/shmem_fs.h>
#include <linux/slab.h>
#include <linux/swap.h>
#include <linux/swapops.h>
#include <linux/userfaultfd_k.h>
#include <linux/pkeys.h>
#include <asm/vdso.h>

#include "internal.h"

static const char *ckpt_vma_name(struct vm_area_struct *vma)
{
	if (vma->vm_ops && vma->vm_ops->name)
		return vma->vm_ops->name(vma);
	return NULL;
}

/**
 * ckpt_vma_kind - classify a mapping
 * @vma: the mapping.
 * @why: set to what is not supported, if it is not.
 *
 * Context: under the mmap lock: it must not log.
 * Return: an enum ckpt_vma_kind, or -EOPNOTSUPP.
 */
int ckpt_vma_kind(struct vm_area_struct *vma, const char **why)
{
	const char *name = ckpt_vma_name(vma);
	vm_flags_t f = vma->vm_flags;
	int kind;

	kind = ckpt_sysvshm_kind(vma, why);
	if (kind)
		return kind;
	if (name && !strcmp(name, "[vdso]") &&
	    vma->vm_start == (unsigned long)vma->vm_mm->context.vdso)
		return CKPT_VMA_VDSO;
	if (name && !strcmp(name, "[vvar]"))
		return CKPT_VMA_VVAR;
	*why = NULL;
	if (name)
		*why = "a special mapping";
	else if (f & (VM_HUGETLB | VM_IO | VM_PFNMAP | VM_MIXEDMAP))
		*why = "hugetlb or device memory";
	else if (f & VM_LOCKED)
		*why = "mlock()ed memory";
	else if (userfaultfd_armed(vma))
		*why = "a userfaultfd-registered mapping";
	else if (f & (VM_SHADOW_STACK | VM_SEALED))
		*why = "a shadow stack or sealed mapping";
#ifdef CONFIG_ARCH_HAS_PKEYS
	else if (vma_pkey(vma))
		*why = "a mapping with a protection key";
#endif
	else if (vma->vm_file && !S_ISREG(file_inode(vma->vm_file)->i_mode))
		*why = "a mapping of a file that is not a regular file";
	else if (!vma->vm_file && !vma_is_anonymous(vma))
		*why = "a mapping of an unknown kind";
	else if (f & VM_MAYSHARE && !vma->vm_file)
		*why = "a shared mapping of an unknown kind";
	if (*why)
		return -EOPNOTSUPP;
	if (f & VM_MAYSHARE) {
		if (vma_is_shmem(vma) && ckpt_shmem_object(vma->vm_file))
			return CKPT_VMA_SHMEM;
		if (vma->vm_file->f_path.mnt->mnt_flags & MNT_INTERNAL) {
			*why = "a kernel-internal shared mapping";
			return -EOPNOTSUPP;
		}
		/* Its contents stay in the file: mapped again by path. */
		return CKPT_VMA_FILE_SHARED;
	}
	return vma->vm_file ? CKPT_VMA_FILE : CKPT_VMA_ANON;
}

static u32 ckpt_vma_flags(struct vm_area_struct *vma)
{
	vm_flags_t f = vma->vm_flags;
	u32 flags = 0;

	if (f & VM_READ)
		flags |= CKPT_VMA_READ;
	if (f & VM_WRITE)
		flags |= CKPT_VMA_WRITE;
	if (f & VM_EXEC)
		flags |= CKPT_VMA_EXEC;
	if (f & VM_GROWSDOWN)
		flags |= CKPT_VMA_GROWSDOWN;
	if (f & VM_DONTCOPY)
		flags |= CKPT_VMA_DONTFORK;
	if (f & VM_DONTDUMP)
		flags |= CKPT_VMA_DONTDUMP;
	if (f & VM_WIPEONFORK)
		flags |= CKPT_VMA_WIPEONFORK;
	if (f & VM_HUGEPAGE)
		flags |= CKPT_VMA_HUGEPAGE;
	if (f & VM_NOHUGEPAGE)
		flags |= CKPT_VMA_NOHUGEPAGE;
	if (f & VM_RAND_READ)
		flags |= CKPT_VMA_RANDOM;
	if (f & VM_SEQ_READ)
		flags |= CKPT_VMA_SEQUENTIAL;
	if (f & VM_MAYSHARE && f & VM_MAYWRITE && vma->vm_file &&
	    !ckpt_shmem_object(vma->vm_file))
		flags |= CKPT_VMA_MAYWRITE;
	return flags;
}

struct ckpt_vma_info {
	unsigned long start, end, pgoff;
	u32 kind, flags;
	int shmid;
	struct file *file;
};

/* Snapshot of the mappings, so that no lock is held while writing. */
static struct ckpt_vma_info *ckpt_collect_vmas(struct ckpt_ctx *ctx,
					       struct task_struct *t,
					       struct mm_struct *mm, int *nr)
{
	struct ckpt_vma_info *v;
	struct vm_area_struct *vma;
	int i = 0, n;

	VMA_ITERATOR(vmi, mm, 0);
	if (mmap_read_lock_killable(mm))
		return ERR_PTR(-EINTR);
	n = mm->map_count;
	v = kvcalloc(max(n, 1), sizeof(*v), GFP_KERNEL);
	if (!v) {
		mmap_read_unlock(mm);
		return ERR_PTR(-ENOMEM);
	}
	for_each_vma(vmi, vma) {
		const char *why;
		int kind = ckpt_vma_kind(vma, &why);
		int shmid = 0;

		if (kind == CKPT_VMA_SYSVSHM)
			shmid = ckpt_sysvshm_id(ctx, vma);
		if (kind < 0 || shmid < 0 || i == n) {
			for (n = 0; n < i; n++)
				if (v[n].file)
					fput(v[n].file);
			mmap_read_unlock(mm);
			kvfree(v);
			/* Checked before: the address space changed. */
			return ERR_PTR(ckpt_task_err(ctx, t, -EAGAIN,
					"the address space changed during the checkpoint"));
		}
		v[i] = (struct ckpt_vma_info) {
			.start = vma->vm_start,
			.end = vma->vm_end,
			.pgoff = vma->vm_pgoff,
			.kind = kind,
			.flags = ckpt_vma_flags(vma),
			.shmid = shmid,
		};
		if (vma->vm_file && kind != CKPT_VMA_VDSO && kind != CKPT_VMA_VVAR)
			v[i].file = get_file(vma->vm_file);
		i++;
	}
	mmap_read_unlock(mm);
	*nr = i;
	return v;
}

/* The executable and every mapped file must be reachable by path. */
static int ckpt_check_mm_paths(struct ckpt_ctx *ctx, struct task_struct *t,
			       struct mm_struct *mm)
{
	struct ckpt_vma_info *vmas;
	struct file *exe;
	int i, nr = 0, err = 0;
	char *buf, *name;

	buf = kmalloc(PATH_MAX, GFP_KERNEL);
	if (!buf)
		return -ENOMEM;
	exe = get_mm_exe_file(mm);
	if (exe) {
		name = ckpt_path(&exe->f_path, buf, PATH_MAX);
		fput(exe);
		if (IS_ERR(name))
			err = ckpt_task_err(ctx, t, PTR_ERR(name),
					    "the executable was deleted or is on no mounted filesystem (not supported yet)");
	}
	vmas = err ? NULL : ckpt_collect_vmas(ctx, t, mm, &nr);
	if (IS_ERR(vmas)) {
		err = PTR_ERR(vmas);
		vmas = NULL;
	}
	for (i = 0; vmas && i < nr; i++) {
		if (!err && vmas[i].file && vmas[i].kind != CKPT_VMA_SHMEM &&
		    vmas[i].kind != CKPT_VMA_SYSVSHM) {
			name = ckpt_path(&vmas[i].file->f_path, buf, PATH_MAX);
			if (IS_ERR(name))
				err = ckpt_task_err(ctx, t, PTR_ERR(name),
						    "mapping %#lx-%#lx: the mapped file was deleted or is on no mounted filesystem (not supported yet)",
						    vmas[i].start, vmas[i].end);
		}
		if (vmas[i].file)
			fput(vmas[i].file);
	}
	kvfree(vmas);
	kfree(buf);
	return err;
}

/**
 * ckpt_check_mm - refuse address spaces this version cannot save
 * @ctx: the checkpoint.
 * @t: the task.
 *
 * Return: 0, -EOPNOTSUPP with a reason, or a negative errno.
 */
int ckpt_check_mm(struct ckpt_ctx *ctx, struct task_struct *t)
{
	unsigned long bad_start = 0, bad_end = 0;
	const char *why = NULL;
	struct vm_area_struct *vma;
	struct mm_struct *mm;
	int nr = 0, err = 0;

	if (test_tsk_thread_flag(t, TIF_ADDR32))
		return ckpt_task_err(ctx, t, -EOPNOTSUPP,
				     "32-bit tasks are not supported");
	mm = get_task_mm(t);
	if (!mm)
		return ckpt_task_err(ctx, t, -EBUSY, "the task has no memory");
#ifdef CONFIG_MODIFY_LDT_SYSCALL
	if (mm->context.ldt) {
		err = ckpt_task_err(ctx, t, -EOPNOTSUPP,
				    "a local descriptor table (modify_ldt) is not supported");
		goto out;
	}
#endif
	if (test_bit(MMF_DISABLE_THP, &mm->flags) ||
	    test_bit(MMF_HAS_MDWE, &mm->flags)) {
		err = ckpt_task_err(ctx, t, -EOPNOTSUPP,
				    "prctl THP_DISABLE or MDWE is not supported yet");
		goto out;
	}

	if (mmap_read_lock_killable(mm)) {
		err = -EINTR;
		goto out;
	}
	{
		VMA_ITERATOR(vmi, mm, 0);

		for_each_vma(vmi, vma) {
			int kind = ckpt_vma_kind(vma, &why);

			if (kind == CKPT_VMA_SYSVSHM &&
			    ckpt_sysvshm_id(ctx, vma) < 0) {
				kind = -EOPNOTSUPP;
				why = "a SysV shm segment of another IPC namespace";
			}
			if (kind < 0) {
				err = kind;
				bad_start = vma->vm_start;
				bad_end = vma->vm_end;
				break;
			}
			nr++;
		}
	}
	mmap_read_unlock(mm);
	if (err)
		ckpt_task_err(ctx, t, err,
			      "mapping %#lx-%#lx: %s is not supported yet",
			      bad_start, bad_end, why);
	if (!err)
		err = ckpt_check_mm_paths(ctx, t, mm);
	if (!err && nr > CKPT_MM_VMAS_MAX)
		err = ckpt_task_err(ctx, t, -EOPNOTSUPP, "too many mappings (%d)", nr);
out:
	mmput(mm);
	return err;
}

/*
 * Finding the pages to save.  In counting mode the walk counts every saved
 * page of a range; in run mode it stops at the end of the first run of
 * consecutive saved pages, or when the run reaches CKPT_PAGES_MAX.
 */
struct ckpt_walk {
	bool anon_only;		/* a file mapping: save the copied pages */
	bool counting;
	u64 count;
	unsigned long start;	/* run mode: the run found */
	unsigned int len;
};

static bool ckpt_page_saved(struct ckpt_walk *w, struct page *page)
{
	return page && (!w->anon_only || PageAnon(page));
}

/* Adds the page at @addr; returns 1 to stop the walk. */
static int ckpt_walk_add(struct ckpt_walk *w, unsigned long addr, bool saved)
{
	if (w->counting) {
		w->count += saved;
		return 0;
	}
	if (!saved)
		return w->len ? 1 : 0;
	if (w->len && addr != w->start + ((unsigned long)w->len << PAGE_SHIFT))
		return 1;
	if (!w->len)
		w->start = addr;
	w->len++;
	return w->len == CKPT_PAGES_MAX ? 1 : 0;
}

static int ckpt_walk_pte(pte_t *pte, unsigned long addr, unsigned long next,
			 struct mm_walk *walk)
{
	struct ckpt_walk *w = walk->private;
	pte_t ptent = ptep_get(pte);
	bool saved = false;

	if (pte_present(ptent)) {
		struct page *page = vm_normal_page(walk->vma, addr, ptent);

		saved = ckpt_page_saved(w, page);
	} else if (is_swap_pte(ptent)) {
		swp_entry_t entry = pte_to_swp_entry(ptent);

		if (!non_swap_entry(entry))
			saved = true;	/* anonymous, swapped out */
		else if (is_migration_entry(entry))
			saved = ckpt_page_saved(w, pfn_swap_entry_to_page(entry));
	}
	return ckpt_walk_add(w, addr, saved);
}

static int ckpt_walk_pmd(pmd_t *pmd, unsigned long addr, unsigned long next,
			 struct mm_walk *walk)
{
	struct ckpt_walk *w = walk->private;
	spinlock_t *ptl;	/* the page table lock of @pmd */
	bool saved;
	int ret = 0;

	ptl = pmd_trans_huge_lock(pmd, walk->vma);
	if (!ptl)
		return 0;	/* descend to the ptes */

	if (pmd_present(*pmd))
		saved = !is_huge_zero_pmd(*pmd) &&
			ckpt_page_saved(w, pmd_page(*pmd));
	else if (is_pmd_migration_entry(*pmd))	/* being migrated */
		saved = ckpt_page_saved(w, pfn_swap_entry_to_page(pmd_to_swp_entry(*pmd)));
	else
		saved = false;
	for (; addr < next && !ret; addr += PAGE_SIZE)
		ret = ckpt_walk_add(w, addr, saved);
	spin_unlock(ptl);
	walk->action = ACTION_CONTINUE;
	return ret;
}

static const struct mm_walk_ops ckpt_walk_ops = {
	.pmd_entry = ckpt_walk_pmd,
	.pte_entry = ckpt_walk_pte,
	.walk_lock = PGWALK_RDLOCK,
};

/* Writes the pages of [addr, end), @count of them, as PAGES records. */
static int ckpt_write_vma_pages(struct ckpt_ctx *ctx, struct mm_struct *mm,
				unsigned long addr, unsigned long end,
				bool anon_only, u64 count, struct page **pages)
{
	while (count) {
		struct ckpt_walk w = { .anon_only = anon_only };
		struct ckpt_pages rec = { };
		unsigned int i;
		long got;
		int err;

		if (mmap_read_lock_killable(mm))
			return -EINTR;
		walk_page_range(mm, addr, end, &ckpt_walk_ops, &w);
		if (!w.len || w.len > count) {
			mmap_read_unlock(mm);
			return -EAGAIN;	/* the memory changed under us */
		}
		got = get_user_pages_remote(mm, w.start, w.len, FOLL_FORCE,
					    pages, NULL);
		mmap_read_unlock(mm);
		if (got != w.len) {
			for (i = 0; got > 0 && i < got; i++)
				put_page(pages[i]);
			return got < 0 ? got : -EFAULT;
		}

		rec.addr = w.start;
		rec.nr_pages = w.len;
		/* The record's length covers the pages that follow it. */
		err = ckpt_write_rec_tail(ctx, CKPT_REC_PAGES, &rec,
					  sizeof(rec), NULL,
					  (size_t)w.len << PAGE_SHIFT);
		if (!err)
			err = ckpt_write_pages(ctx, pages, w.len);
		for (i = 0; i < w.len; i++)
			put_page(pages[i]);
		if (err)
			return err;
		count -= w.len;
		addr = w.start + ((unsigned long)w.len << PAGE_SHIFT);
	}
	return 0;
}

static int ckpt_write_one_vma(struct ckpt_ctx *ctx, struct task_struct *t,
			      struct mm_struct *mm, struct ckpt_vma_info *v,
			      char *buf, struct page **pages)
{
	struct ckpt_vma rec = {
		.start = v->start,
		.end = v->end,
		.kind = v->kind,
		.flags = v->flags,
	};
	struct ckpt_walk w = { .counting = true };
	char *name = NULL;
	int err;

	if (v->kind == CKPT_VMA_SHMEM) {
		rec.pgoff = v->pgoff;
		rec.shmem = ckpt_shmem_id(ctx, v->file);
		if (rec.shmem < 0)
			return ckpt_task_err(ctx, t, -EAGAIN,
					     "mapping %#lx-%#lx: the address space changed during the checkpoint",
					     v->start, v->end);
	}
	/* Its pages are in the SHM record of the segment. */
	if (v->kind == CKPT_VMA_SYSVSHM)
		rec.shmem = v->shmid;
	if (v->kind == CKPT_VMA_FILE || v->kind == CKPT_VMA_FILE_SHARED) {
		struct inode *inode = file_inode(v->file);

		name = ckpt_path(&v->file->f_path, buf, PATH_MAX);
		if (IS_ERR(name))
			return ckpt_task_err(ctx, t, PTR_ERR(name),
					     "mapping %#lx-%#lx: the mapped file was deleted or is on no mounted filesystem",
					     v->start, v->end);
		rec.path_len = strlen(name);
		rec.pgoff = v->pgoff;
		rec.ino = inode->i_ino;
		rec.size = i_size_read(inode);
		rec.mtime_ns = ckpt_inode_mtime(inode);
		w.anon_only = true;
	}
	if (v->kind == CKPT_VMA_ANON || v->kind == CKPT_VMA_FILE) {
		if (mmap_read_lock_killable(mm))
			return -EINTR;
		walk_page_range(mm, v->start, v->end, &ckpt_walk_ops, &w);
		mmap_read_unlock(mm);
	}
	rec.nr_pages = w.count;

	err = ckpt_write_rec_tail(ctx, CKPT_REC_VMA, &rec, sizeof(rec), name,
				  rec.path_len);
	if (!err)
		err = ckpt_write_vma_pages(ctx, mm, v->start, v->end,
					   w.anon_only, w.count, pages);
	if (err == -EAGAIN)
		ckpt_task_err(ctx, t, err,
			      "mapping %#lx-%#lx: its pages changed during the checkpoint",
			      v->start, v->end);
	return err;
}

static void ckpt_fill_mm(struct ckpt_mm *rec, struct mm_struct *mm)
{
	const struct vdso_image *image = mm->context.vdso_image;
	int i;

	BUILD_BUG_ON(ARRAY_SIZE(rec->auxv) < AT_VECTOR_SIZE);
	spin_lock(&mm->arg_lock);
	rec->start_code = mm->start_code;
	rec->end_code = mm->end_code;
	rec->start_data = mm->start_data;
	rec->end_data = mm->end_data;
	rec->start_brk = mm->start_brk;
	rec->brk = mm->brk;
	rec->start_stack = mm->start_stack;
	rec->arg_start = mm->arg_start;
	rec->arg_end = mm->arg_end;
	rec->env_start = mm->env_start;
	rec->env_end = mm->env_end;
	spin_unlock(&mm->arg_lock);
	for (i = 0; i < AT_VECTOR_SIZE; i++)
		rec->auxv[i] = mm->saved_auxv[i];
	if (image && mm->context.vdso) {
		rec->vdso_size = image->size;
		rec->vdso_csum = xxh64(image->data, image->size, 0);
	}
}

/**
 * ckpt_write_mm - write the MM record, and each mapping with its pages
 * @ctx: the checkpoint.
 * @t: the task, frozen.
 *
 * Return: 0 or a negative errno.
 */
int ckpt_write_mm(struct ckpt_ctx *ctx, struct task_struct *t)
{
	struct ckpt_vma_info *vmas = NULL;
	struct ckpt_mm rec = { };
	struct page **pages = NULL;
	struct file *exe = NULL;
	char *buf, *exe_name = NULL;
	struct mm_struct *mm;
	int i, nr = 0, err;

	mm = get_task_mm(t);
	if (!mm)
		return ckpt_task_err(ctx, t, -EBUSY, "the task has no memory");
	buf = kmalloc(PATH_MAX, GFP_KERNEL);
	pages = kmalloc_array(CKPT_PAGES_MAX, sizeof(*pages), GFP_KERNEL);
	err = -ENOMEM;
	if (!buf || !pages)
		goto out;

	vmas = ckpt_collect_vmas(ctx, t, mm, &nr);
	if (IS_ERR(vmas)) {
		err = PTR_ERR(vmas);
		vmas = NULL;
		goto out;
	}

	ckpt_fill_mm(&rec, mm);
	rec.nr_vmas = nr;
	exe = get_mm_exe_file(mm);
	if (exe) {
		exe_name = ckpt_path(&exe->f_path, buf, PATH_MAX);
		if (IS_ERR(exe_name)) {
			err = ckpt_task_err(ctx, t, PTR_ERR(exe_name),
					    "the executable was deleted or is on no mounted filesystem");
			goto out;
		}
		rec.exe_len = strlen(exe_name);
	}
	err = ckpt_write_rec_tail(ctx, CKPT_REC_MM, &rec, sizeof(rec), exe_name,
				  rec.exe_len);
	for (i = 0; !err && i < nr; i++)
		err = ckpt_write_one_vma(ctx, t, mm, &vmas[i], buf, pages);
out:
	if (exe)
		fput(exe);
	for (i = 0; vmas && i < nr; i++)
		if (vmas[i].file)
			fput(vmas[i].file);
	kvfree(vmas);
	kfree(pages);
	kfree(buf);
	mmput(mm);
	return err;
}

/* Restart */

static int ckpt_check_mm_rec(const struct ckpt_mm *m)
{
	bool auxv_end = false;
	int i;

	if (m->flags || m->pad || m->nr_vmas > CKPT_MM_VMAS_MAX)
		return -EINVAL;
	if (m->start_code > m->end_code || m->start_data > m->end_data ||
	    m->start_brk > m->brk || m->arg_start > m->arg_end ||
	    m->env_start > m->env_end)
		return -EINVAL;
	if (m->end_code > TASK_SIZE || m->end_data > TASK_SIZE ||
	    m->brk > TASK_SIZE || m->start_stack > TASK_SIZE ||
	    m->arg_end > TASK_SIZE || m->env_end > TASK_SIZE)
		return -EINVAL;
	for (i = 0; i < AT_VECTOR_SIZE; i += 2)
		if (m->auxv[i] == AT_NULL) {
			auxv_end = true;
			break;
		}
	if (!auxv_end)
		return -EINVAL;
	for (i = AT_VECTOR_SIZE; i < ARRAY_SIZE(m->auxv); i++)
		if (m->auxv[i])
			return -EINVAL;
	return 0;
}

static unsigned long ckpt_prot(u32 flags)
{
	return (flags & CKPT_VMA_READ ? PROT_READ : 0) |
	       (flags & CKPT_VMA_WRITE ? PROT_WRITE : 0) |
	       (flags & CKPT_VMA_EXEC ? PROT_EXEC : 0);
}

static int ckpt_madvise(struct ckpt_vma *v)
{
	static const struct {
		u32 flag;
		int advice;
	} advices[] = {
		{ CKPT_VMA_DONTFORK, MADV_DONTFORK },
		{ CKPT_VMA_DONTDUMP, MADV_DONTDUMP },
		{ CKPT_VMA_WIPEONFORK, MADV_WIPEONFORK },
		{ CKPT_VMA_HUGEPAGE, MADV_HUGEPAGE },
		{ CKPT_VMA_NOHUGEPAGE, MADV_NOHUGEPAGE },
		{ CKPT_VMA_RANDOM, MADV_RANDOM },
		{ CKPT_VMA_SEQUENTIAL, MADV_SEQUENTIAL },
	};
	int i, err;

	for (i = 0; i < ARRAY_SIZE(advices); i++) {
		if (!(v->flags & advices[i].flag))
			continue;
		err = do_madvise(current->mm, v->start, v->end - v->start,
				 advices[i].advice);
		if (err)
			return err;
	}
	return 0;
}

static struct file *ckpt_open_mapped(struct ckpt_ctx *ctx,
				     const struct ckpt_vma *v, const char *path)
{
	int mode = v->flags & CKPT_VMA_MAYWRITE ? O_RDWR : O_RDONLY;
	struct file *file;

	/* Opened as the caller: a shared writable mapping needs write access. */
	file = file_open_root(&ctx->ns_root, path, mode | O_LARGEFILE, 0);
	if (IS_ERR(file)) {
		ckpt_log(ctx, "mapped file %s: cannot open it (error %ld)",
			 path, PTR_ERR(file));
		return file;
	}
	if (!S_ISREG(file_inode(file)->i_mode)) {
		fput(file);
		ckpt_log(ctx, "mapped file %s: not a regular file", path);
		return ERR_PTR(-EINVAL);
	}
	if (!(ctx->flags & CKPT_RESTART_FILES_CHANGED) &&
	    ckpt_file_changed(ctx, file_inode(file), v->ino, v->size, v->mtime_ns)) {
		fput(file);
		ckpt_log(ctx, "mapped file %s changed since the checkpoint (inode, size or mtime)",
			 path);
		return ERR_PTR(-ESTALE);
	}
	return file;
}

static int ckpt_map_vma(struct ckpt_ctx *ctx, const struct ckpt_vma *v,
			const char *path)
{
	unsigned long flags = MAP_PRIVATE | MAP_FIXED_NOREPLACE;
	unsigned long len = v->end - v->start, addr;
	struct file *file = NULL;

	if (v->flags & CKPT_VMA_GROWSDOWN)
		flags |= MAP_GROWSDOWN;
	switch (v->kind) {
	case CKPT_VMA_FILE_SHARED:
		flags ^= MAP_PRIVATE | MAP_SHARED;
		fallthrough;
	case CKPT_VMA_FILE:
		file = ckpt_open_mapped(ctx, v, path);
		if (IS_ERR(file))
			return PTR_ERR(file);
		break;
	case CKPT_VMA_SHMEM:
		flags ^= MAP_PRIVATE | MAP_SHARED;
		file = ckpt_shmem_file(ctx, v->shmem);
		if (!file)
			return ckpt_err(ctx, -EINVAL,
					"mapping %#llx-%#llx: no shared memory object %d",
					v->start, v->end, v->shmem);
		break;
	default:
		flags |= MAP_ANONYMOUS;
	}
	addr = vm_mmap(file, v->start, len, ckpt_prot(v->flags), flags,
		       v->pgoff << PAGE_SHIFT);
	if (file)
		fput(file);
	if (IS_ERR_VALUE(addr) || addr != v->start) {
		if (!IS_ERR_VALUE(addr))
			vm_munmap(addr, len);
		return ckpt_err(ctx, IS_ERR_VALUE(addr) ? (long)addr : -EINVAL,
				"mapping %#llx-%#llx: mmap failed (%ld)",
				v->start, v->end, (long)addr);
	}
	return ckpt_madvise((struct ckpt_vma *)v);
}

static int ckpt_map_vdso(struct ckpt_ctx *ctx, const struct ckpt_mm *m,
			 const struct ckpt_vma *vvar)
{
	const struct vdso_image *image = &vdso_image_64;
	unsigned long vvar_size = -image->sym_vvar_start;
	int err;

	if (m->vdso_size != image->size ||
	    m->vdso_csum != xxh64(image->data, image->size, 0) ||
	    vvar->end - vvar->start != vvar_size)
		return ckpt_err(ctx, -EOPNOTSUPP,
				"the image's vdso differs from this kernel's: restart on a kernel with the same vdso");
	err = map_vdso_once(image, vvar->start);
	if (err)
		return ckpt_err(ctx, err, "cannot map the vdso at %#llx",
				vvar->start);
	if ((unsigned long)current->mm->context.vdso != vvar->start + vvar_size)
		return ckpt_err(ctx, -EINVAL, "the vdso landed at %p, not %#llx",
				current->mm->context.vdso,
				vvar->start + vvar_size);
	return 0;
}

/* Reads the PAGES records of @v into its pages. */
static int ckpt_restore_vma_pages(struct ckpt_ctx *ctx,
				  const struct ckpt_vma *v,
				  struct page **pages)
{
	u64 left = v->nr_pages;
	u64 next = v->start;
	u32 tail;

	while (left) {
		struct ckpt_pages rec;
		unsigned int i;
		long got;
		int err;

		err = ckpt_read_rec(ctx, CKPT_REC_PAGES, &rec, sizeof(rec),
				    &tail);
		if (err)
			return err;
		if (ckpt_check_pages(&rec, v, &left) || rec.addr < next ||
		    tail != (u64)rec.nr_pages << PAGE_SHIFT)
			return ckpt_err(ctx, -EINVAL,
					"PAGES record at %#llx (%u pages) outside its mapping %#llx-%#llx or out of order",
					rec.addr, rec.nr_pages, v->start, v->end);
		next = rec.addr + ((u64)rec.nr_pages << PAGE_SHIFT);

		got = get_user_pages_unlocked(rec.addr, rec.nr_pages, pages,
					      FOLL_WRITE | FOLL_FORCE);
		if (got != rec.nr_pages) {
			for (i = 0; got > 0 && i < got; i++)
				put_page(pages[i]);
			return ckpt_err(ctx, got < 0 ? got : -EFAULT,
					"cannot fill pages at %#llx", rec.addr);
		}
		err = ckpt_read_pages(ctx, pages, rec.nr_pages);
		for (i = 0; i < rec.nr_pages; i++)
			put_page(pages[i]);
		if (err)
			return err;
	}
	return 0;
}

/* The checks of prctl(PR_SET_MM_EXE_FILE), then the switch. */
static int ckpt_set_exe(struct ckpt_ctx *ctx, const char *path)
{
	struct file *exe;
	int err;

	exe = file_open_root(&ctx->ns_root, path, O_RDONLY | O_LARGEFILE, 0);
	if (IS_ERR(exe))
		return ckpt_err(ctx, PTR_ERR(exe), "executable %s: cannot open it",
				path);
	err = -EACCES;
	if (S_ISREG(file_inode(exe)->i_mode) && !path_noexec(&exe->f_path))
		err = file_permission(exe, MAY_EXEC);
	if (!err)
		err = replace_mm_exe_file(current->mm, exe);
	fput(exe);
	if (err)
		return ckpt_err(ctx, err, "executable %s: cannot set it", path);
	return 0;
}

/* State of the caller that the new task inherited and cannot drop. */
static int ckpt_check_inherited(struct ckpt_ctx *ctx)
{
#ifdef CONFIG_MODIFY_LDT_SYSCALL
	if (current->mm->context.ldt)
		return ckpt_err(ctx, -EOPNOTSUPP,
				"the caller has a local descriptor table: restart from a process without one");
#endif
#ifdef CONFIG_X86_USER_SHADOW_STACK
	if (current->thread.features)
		return ckpt_err(ctx, -EOPNOTSUPP,
				"the caller uses shadow stacks: restart from a process without them");
#endif
	return 0;
}

static int ckpt_set_mm_fields(struct ckpt_ctx *ctx, const struct ckpt_mm *m)
{
	struct mm_struct *mm = current->mm;
	int i;

	mmap_write_lock(mm);
	spin_lock(&mm->arg_lock);
	mm->start_code = m->start_code;
	mm->end_code = m->end_code;
	mm->start_data = m->start_data;
	mm->end_data = m->end_data;
	mm->start_brk = m->start_brk;
	mm->brk = m->brk;
	mm->start_stack = m->start_stack;
	mm->arg_start = m->arg_start;
	mm->arg_end = m->arg_end;
	mm->env_start = m->env_start;
	mm->env_end = m->env_end;
	spin_unlock(&mm->arg_lock);
	for (i = 0; i < AT_VECTOR_SIZE; i++)
		mm->saved_auxv[i] = m->auxv[i];
	mmap_write_unlock(mm);
	return 0;
}

/**
 * ckpt_restore_mm - rebuild the address space from MM, VMA and PAGES
 * @ctx: the restart.
 *
 * Context: the new task, which owns its own copy of the caller's mm.
 * Return: 0 or a negative errno.
 */
int ckpt_restore_mm(struct ckpt_ctx *ctx)
{
	struct ckpt_vma vma, vvar = { };
	struct page **pages;
	char *exe = NULL;
	struct ckpt_mm *m;
	u64 prev_end = 0;
	u32 tail, i;
	int err;

	m = kmalloc(sizeof(*m), GFP_KERNEL);
	pages = kmalloc_array(CKPT_PAGES_MAX, sizeof(*pages), GFP_KERNEL);
	err = -ENOMEM;
	if (!m || !pages)
		goto out;

	err = ckpt_read_rec(ctx, CKPT_REC_MM, m, sizeof(*m), &tail);
	if (err)
		goto out;
	/* Every process has an executable: it was exec()ed. */
	if (ckpt_check_mm_rec(m) || tail != m->exe_len || !m->exe_len) {
		err = ckpt_err(ctx, -EINVAL, "malformed MM record");
		goto out;
	}
	if (m->exe_len) {
		err = ckpt_read_string(ctx, m->exe_len, &exe);
		if (err)
			goto out;
	}

	err = ckpt_check_inherited(ctx);
	if (err)
		goto out;
	/* Drop everything inherited from the caller. */
	err = vm_munmap(0, TASK_SIZE);
	if (err)
		goto out;
	current->mm->context.vdso = NULL;
	current->mm->context.vdso_image = NULL;
	clear_bit(MMF_DISABLE_THP, &current->mm->flags);
	if (exe) {
		err = ckpt_set_exe(ctx, exe);
		if (err)
			goto out;
	}

	for (i = 0; i < m->nr_vmas; i++) {
		char *path = NULL;

		err = ckpt_read_rec(ctx, CKPT_REC_VMA, &vma, sizeof(vma), &tail);
		if (err)
			goto out;
		if (ckpt_check_vma(&vma) || tail != vma.path_len ||
		    vma.start < prev_end) {
			err = ckpt_err(ctx, -EINVAL,
				       "malformed VMA record %u (%#llx-%#llx)",
				       i, vma.start, vma.end);
			goto out;
		}
		prev_end = vma.end;
		if (vma.path_len) {
			err = ckpt_read_string(ctx, vma.path_len, &path);
			if (err)
				goto out;
		}
		switch (vma.kind) {
		case CKPT_VMA_VVAR:
			if (vvar.end) {
				err = ckpt_err(ctx, -EINVAL, "two vvar mappings");
				break;
			}
			vvar = vma;
			break;
		case CKPT_VMA_VDSO:
			if (!vvar.end || vvar.end != vma.start) {
				err = ckpt_err(ctx, -EINVAL,
					       "the vdso does not follow its vvar mapping");
				break;
			}
			err = ckpt_map_vdso(ctx, m, &vvar);
			break;
		case CKPT_VMA_SYSVSHM:
			err = ckpt_ipc_attach(ctx, &vma);
			if (!err)
				err = ckpt_madvise(&vma);
			break;
		default:
			err = ckpt_map_vma(ctx, &vma, path);
			if (!err)
				err = ckpt_restore_vma_pages(ctx, &vma, pages);
		}
		kfree(path);
		if (err)
			goto out;
	}
	if (vvar.end && (unsigned long)current->mm->context.vdso !=
	    vvar.end) {
		err = ckpt_err(ctx, -EINVAL, "a vvar mapping without its vdso");
		goto out;
	}
	err = ckpt_set_mm_fields(ctx, m);
out:
	kfree(exe);
	kfree(pages);
	kfree(m);
	return err;
}
