// SPDX-License-Identifier: GPL-2.0-only
/*
 * ckpt: x86_64 CPU state: general registers, FPU/XSAVE state, fs/gs base,
 * and system calls interrupted by the freeze.
 *
 * Registers are read and written through the regsets ptrace uses
 * (NT_PRSTATUS and NT_X86_XSTATE), so a restarted task gets only register
 * values PTRACE_SETREGSET would accept: segment selectors, flags, bases
 * and the XSAVE header are all checked there.
 *
 * A frozen task sits in get_signal(), on its way back to user space.  If
 * it was in a system call, its registers say so (orig_ax is the call,
 * ax is -ERESTART*), and the call is restarted once the task runs again.
 * The restarted task resumes at exactly that point: its saved ax is
 * restored by task work run from get_signal(), just before the syscall
 * restart logic looks at it.  A relative nanosleep() is the one call whose
 * restart needs more than registers: its remaining time is saved and the
 * sleep goes on for that long.  Other calls restarted through a restart
 * block (poll(), futex waits with a timeout...) return -EINTR, as if a
 * signal handler had run.
 */

#include <linux/elf.h>
#include <linux/hrtimer.h>
#include <linux/ptrace.h>
#include <linux/regset.h>
#include <linux/sched/task_stack.h>
#include <linux/sched/task.h>
#include <linux/slab.h>
#include <linux/task_work.h>
#include <linux/time_namespace.h>
#include <linux/timekeeping.h>
#include <asm/cpufeature.h>
#include <asm/fpu/types.h>
#include <asm/ptrace.h>
#include <asm/unistd.h>
#include <asm/user.h>

#include "internal.h"

static const struct user_regset *ckpt_regset(struct task_struct *t,
					     unsigned int note)
{
	const struct user_regset_view *view = task_user_regset_view(t);
	int i;

	for (i = 0; i < view->n; i++)
		if (view->regsets[i].core_note_type == note)
			return &view->regsets[i];
	return NULL;
}

/**
 * ckpt_fill_cpu_hdr - record the CPU features of the checkpointing CPU
 * @h: the image header.
 */
void ckpt_fill_cpu_hdr(struct ckpt_hdr *h)
{
	u32 eax, ebx, ecx, edx;

	cpuid(1, &eax, &ebx, &h->cpuid_1_ecx, &h->cpuid_1_edx);
	cpuid_count(7, 0, &eax, &h->cpuid_7_ebx, &h->cpuid_7_ecx,
		    &h->cpuid_7_edx);
	/* Bits that differ between CPUs of one kind and mean nothing here. */
	h->cpuid_1_ecx &= ~(BIT(27));	/* OSXSAVE follows the kernel */
	(void)ebx;
	(void)ecx;
	(void)edx;
}

/**
 * ckpt_check_cpu_hdr - may tasks of this image run on this CPU?
 * @ctx: the restart.
 * @h: the image header.
 *
 * Programs pick code paths from CPUID once, at start: every feature the
 * checkpointing CPU reported must be here too, and so must every XSAVE
 * feature the saved states use.
 *
 * Return: 0 or -EOPNOTSUPP with a reason.
 */
int ckpt_check_cpu_hdr(struct ckpt_ctx *ctx, const struct ckpt_hdr *h)
{
	struct ckpt_hdr here = { };
	u64 missing;

	ckpt_fill_cpu_hdr(&here);
	if ((h->cpuid_1_ecx & ~here.cpuid_1_ecx) ||
	    (h->cpuid_1_edx & ~here.cpuid_1_edx) ||
	    (h->cpuid_7_ebx & ~here.cpuid_7_ebx) ||
	    (h->cpuid_7_ecx & ~here.cpuid_7_ecx) ||
	    (h->cpuid_7_edx & ~here.cpuid_7_edx))
		return ckpt_err(ctx, -EOPNOTSUPP,
				"this CPU lacks features the checkpointed CPU had (CPUID 1: ecx %#x edx %#x, 7: ebx %#x ecx %#x edx %#x missing)",
				h->cpuid_1_ecx & ~here.cpuid_1_ecx,
				h->cpuid_1_edx & ~here.cpuid_1_edx,
				h->cpuid_7_ebx & ~here.cpuid_7_ebx,
				h->cpuid_7_ecx & ~here.cpuid_7_ecx,
				h->cpuid_7_edx & ~here.cpuid_7_edx);
	if (!cpu_feature_enabled(X86_FEATURE_XSAVE))
		return ckpt_err(ctx, -EOPNOTSUPP, "this CPU has no XSAVE");
	missing = h->xfeatures & ~fpu_user_cfg.max_features;
	if (missing)
		return ckpt_err(ctx, -EOPNOTSUPP,
				"this CPU lacks XSAVE features %#llx the image uses",
				missing);
	return 0;
}

/* The XSAVE area of @t in the standard format, and its size. */
static void *ckpt_get_xstate(struct task_struct *t, int *size)
{
	const struct user_regset *rs = ckpt_regset(t, NT_X86_XSTATE);
	void *buf = NULL;

	if (!rs) {
		*size = -EOPNOTSUPP;
		return NULL;
	}
	*size = regset_get_alloc(t, rs, rs->n * rs->size, &buf);
	if (*size < 0)
		return NULL;
	return buf;
}

static u64 ckpt_xstate_features(const void *xsave, int size)
{
	const struct xstate_header *hdr = xsave + 512;

	if (size < 512 + (int)sizeof(*hdr))
		return 0;
	return hdr->xfeatures;
}

/**
 * ckpt_check_cpu_state - refuse CPU state this version cannot save
 * @ctx: the checkpoint; the XSAVE features used are added to it.
 * @t: the task.
 *
 * Return: 0, -EOPNOTSUPP with a reason, or a negative errno.
 */
int ckpt_check_cpu_state(struct ckpt_ctx *ctx, struct task_struct *t)
{
	void *xsave;
	int size;

	if (!user_64bit_mode(task_pt_regs(t)))
		return ckpt_task_err(ctx, t, -EOPNOTSUPP,
				     "32-bit code is not supported");
	if (!cpu_feature_enabled(X86_FEATURE_XSAVE))
		return ckpt_task_err(ctx, t, -EOPNOTSUPP,
				     "CPUs without XSAVE are not supported");
	if (test_tsk_thread_flag(t, TIF_NOCPUID))
		return ckpt_task_err(ctx, t, -EOPNOTSUPP,
				     "CPUID faulting (ARCH_SET_CPUID) is not supported");
	if (t->thread.io_bitmap || t->thread.iopl_emul)
		return ckpt_task_err(ctx, t, -EOPNOTSUPP,
				     "I/O port access (ioperm, iopl) is not supported");
#ifdef CONFIG_X86_USER_SHADOW_STACK
	if (t->thread.features)
		return ckpt_task_err(ctx, t, -EOPNOTSUPP,
				     "shadow stacks are not supported");
#endif
	xsave = ckpt_get_xstate(t, &size);
	if (!xsave)
		return ckpt_task_err(ctx, t, size, "cannot read the FPU state");
	ctx->xfeatures |= ckpt_xstate_features(xsave, size);
	kfree(xsave);
	if (ctx->xfeatures & XFEATURE_MASK_XTILE)
		return ckpt_task_err(ctx, t, -EOPNOTSUPP,
				     "AMX tile state is not supported yet");
	return 0;
}

static ktime_t ckpt_clock_now(clockid_t clock)
{
	switch (clock) {
	case CLOCK_REALTIME:
		return ktime_get_real();
	case CLOCK_BOOTTIME:
		return ktime_get_boottime();
	case CLOCK_TAI:
		return ktime_get_clocktai();
	default:
		return ktime_get();
	}
}

static long ckpt_nanosleep_restart(struct restart_block *rb)
{
	ktime_t left = ktime_sub(ns_to_ktime(rb->nanosleep.expires),
				 ckpt_clock_now(rb->nanosleep.clockid));

	if (ktime_to_ns(left) <= 0)
		return 0;
	/* From here on it is the kernel's own relative sleep. */
	return hrtimer_nanosleep(left, HRTIMER_MODE_REL, rb->nanosleep.clockid);
}

/* Fills the restart fields of @rec for a task frozen in a system call. */
static void ckpt_save_syscall(struct task_struct *t, struct ckpt_cpu *rec)
{
	struct pt_regs *regs = task_pt_regs(t);
	struct restart_block *rb = &t->restart_block;
	s64 left;

	/*
	 * In nanosleep(), clock_nanosleep(), or restart_syscall() going on
	 * with one of them after an earlier freeze or restart.
	 */
	if ((long)regs->orig_ax < 0 || regs->ax != -ERESTART_RESTARTBLOCK)
		return;
	if (rb->fn != hrtimer_nanosleep_restart &&
	    rb->fn != ckpt_nanosleep_restart)
		return;
	/* Relative sleeps on the clocks hrtimers serve; not CPU clocks. */
	switch (rb->nanosleep.clockid) {
	case CLOCK_REALTIME:
	case CLOCK_MONOTONIC:
	case CLOCK_BOOTTIME:
	case CLOCK_TAI:
		break;
	default:
		return;
	}
	if (rb->nanosleep.type == TT_COMPAT)
		return;
	left = (s64)rb->nanosleep.expires -
	       ktime_to_ns(ckpt_clock_now(rb->nanosleep.clockid));
	rec->restart = CKPT_SYSCALL_NANOSLEEP;
	rec->clockid = rb->nanosleep.clockid;
	rec->remaining_ns = max_t(s64, left, 0);
	rec->rmtp_type = rb->nanosleep.type == TT_NATIVE;
	if (rec->rmtp_type)
		rec->rmtp = (unsigned long)rb->nanosleep.rmtp;
}

/**
 * ckpt_write_cpu - write the CPU and FPU records
 * @ctx: the checkpoint.
 * @t: the task, frozen.
 *
 * Return: 0 or a negative errno.
 */
int ckpt_write_cpu(struct ckpt_ctx *ctx, struct task_struct *t)
{
	const struct user_regset *rs = ckpt_regset(t, NT_PRSTATUS);
	struct user_regs_struct regs;
	struct ckpt_cpu rec = { };
	struct ckpt_fpu fpu = { };
	void *xsave;
	int size, err;

	BUILD_BUG_ON(sizeof(regs) != sizeof(rec.regs));
	if (!rs)
		return -EOPNOTSUPP;
	err = regset_get(t, rs, sizeof(regs), &regs);
	if (err < 0)
		return ckpt_task_err(ctx, t, err, "cannot read the registers");
	memcpy(rec.regs, &regs, sizeof(regs));
	ckpt_save_syscall(t, &rec);
	if (rec.restart == CKPT_SYSCALL_NANOSLEEP)
		rec.remaining_ns += ckpt_since_clocks(ctx);
	err = ckpt_write_rec(ctx, CKPT_REC_CPU, &rec, sizeof(rec));
	if (err)
		return err;

	xsave = ckpt_get_xstate(t, &size);
	if (!xsave)
		return ckpt_task_err(ctx, t, size, "cannot read the FPU state");
	fpu.size = size;
	fpu.xfeatures = ckpt_xstate_features(xsave, size);
	err = ckpt_write_rec_tail(ctx, CKPT_REC_FPU, &fpu, sizeof(fpu), xsave,
				  size);
	kfree(xsave);
	return err;
}

/**
 * ckpt_read_cpu - read the CPU and FPU records for the coordinator
 * @ctx: the restart.
 * @rst: where to keep them until they are applied.
 *
 * Return: 0 or a negative errno.
 */
int ckpt_read_cpu(struct ckpt_ctx *ctx, struct ckpt_restart_state *rst)
{
	struct ckpt_fpu fpu;
	u32 tail;
	int err;

	err = ckpt_read_rec(ctx, CKPT_REC_CPU, &rst->cpu, sizeof(rst->cpu),
			    NULL);
	if (err)
		return err;
	if (ckpt_check_cpu(&rst->cpu))
		return ckpt_err(ctx, -EINVAL, "malformed CPU record");

	err = ckpt_read_rec(ctx, CKPT_REC_FPU, &fpu, sizeof(fpu), &tail);
	if (err)
		return err;
	if (fpu.pad || fpu.size != tail || fpu.size < 512 + 64)
		return ckpt_err(ctx, -EINVAL, "malformed FPU record");
	rst->fpu = kvmalloc(fpu.size, GFP_KERNEL);
	if (!rst->fpu)
		return -ENOMEM;
	rst->fpu_size = fpu.size;
	err = ckpt_read_tail(ctx, rst->fpu, fpu.size);
	if (err)
		return err;
	if (ckpt_xstate_features(rst->fpu, fpu.size) != fpu.xfeatures)
		return ckpt_err(ctx, -EINVAL, "FPU record: inconsistent features");
	if (fpu.xfeatures & ~fpu_user_cfg.max_features)
		return ckpt_err(ctx, -EOPNOTSUPP,
				"this CPU lacks XSAVE features %#llx of the saved state",
				fpu.xfeatures & ~fpu_user_cfg.max_features);
	/*
	 * Standard-format offsets beyond the SSE area are the CPU's own;
	 * an area of another size comes from a CPU with another layout.
	 */
	if (fpu.size != fpu_user_cfg.max_size &&
	    (fpu.xfeatures & ~(u64)(XFEATURE_MASK_FP | XFEATURE_MASK_SSE)))
		return ckpt_err(ctx, -EOPNOTSUPP,
				"the saved XSAVE area (%u bytes) has another layout than this CPU's (%u bytes)",
				fpu.size, fpu_user_cfg.max_size);
	return 0;
}

struct ckpt_ax_fixup {
	struct callback_head work;
	unsigned long ax;
};

/* Task work, run from get_signal() before the syscall restart logic. */
static void ckpt_fixup_ax(struct callback_head *work)
{
	struct ckpt_ax_fixup *fix = container_of(work, struct ckpt_ax_fixup,
						 work);

	if (!(current->flags & PF_EXITING))
		current_pt_regs()->ax = fix->ax;
	kfree(fix);
}

/**
 * ckpt_restore_syscall - prepare the new task's return to user space
 * @rst: the restored CPU state.
 *
 * Context: the new task, before it parks.
 * Return: 0 or -ENOMEM.
 */
int ckpt_restore_syscall(struct ckpt_restart_state *rst)
{
	struct restart_block *rb = &current->restart_block;
	const struct ckpt_cpu *c = &rst->cpu;
	struct ckpt_ax_fixup *fix;
	int err;

	fix = kmalloc(sizeof(*fix), GFP_KERNEL);
	if (!fix)
		return -ENOMEM;
	fix->ax = c->regs[offsetof(struct user_regs_struct, ax) /
			  sizeof(c->regs[0])];
	init_task_work(&fix->work, ckpt_fixup_ax);
	err = task_work_add(current, &fix->work, TWA_SIGNAL);
	if (err) {
		kfree(fix);
		return err;
	}

	if (c->restart == CKPT_SYSCALL_NANOSLEEP) {
		rb->nanosleep.clockid = c->clockid;
		ktime_t now = ckpt_clock_now(c->clockid);

		rb->nanosleep.expires =
			ktime_to_ns(ktime_add_ns(now, c->remaining_ns));
		rb->nanosleep.type = c->rmtp_type ? TT_NATIVE : TT_NONE;
		rb->nanosleep.rmtp = (void __user *)(unsigned long)c->rmtp;
		set_restart_fn(rb, ckpt_nanosleep_restart);
	} else {
		set_restart_fn(rb, do_no_restart_syscall);
	}
	return 0;
}

/**
 * ckpt_apply_cpu - set the new task's registers and FPU state
 * @ctx: the restart.
 * @child: the new task, parked.
 * @rst: the saved state.
 *
 * Context: the coordinator, while @child is parked in the kernel.
 * Return: 0, -EINVAL for register values ptrace would refuse, or a
 * negative errno.
 */
int ckpt_apply_cpu(struct ckpt_ctx *ctx, struct task_struct *child,
		   struct ckpt_restart_state *rst)
{
	const struct user_regset *gp = ckpt_regset(child, NT_PRSTATUS);
	const struct user_regset *xs = ckpt_regset(child, NT_X86_XSTATE);
	struct user_regs_struct regs;
	unsigned int size;
	void *xsave;
	int err;

	if (!gp || !xs)
		return -EOPNOTSUPP;
	/* Parked and off the CPU, so that its FPU registers are in memory. */
	while (!wait_task_inactive(child, TASK_KILLABLE)) {
		if (fatal_signal_pending(current))
			return -EINTR;
		if (child->exit_state || (child->flags & PF_EXITING))
			return -ESRCH;
		schedule_timeout_uninterruptible(1);
	}

	memcpy(&regs, rst->cpu.regs, sizeof(regs));
	err = gp->set(child, gp, 0, sizeof(regs), &regs, NULL);
	if (err)
		return ckpt_err(ctx, -EINVAL,
				"CPU record: registers ptrace would refuse (error %d)", err);

	size = fpu_user_cfg.max_size;
	xsave = kvzalloc(size, GFP_KERNEL);
	if (!xsave)
		return -ENOMEM;
	memcpy(xsave, rst->fpu, min(size, rst->fpu_size));
	err = xs->set(child, xs, 0, size, xsave, NULL);
	kvfree(xsave);
	if (err)
		return ckpt_err(ctx, -EINVAL,
				"FPU record: an XSAVE area ptrace would refuse (error %d)", err);
	return 0;
}
