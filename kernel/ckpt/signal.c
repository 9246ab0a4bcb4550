// SPDX-License-Identifier: GPL-2.0-only
/*
 * ckpt: signal dispositions, the blocked mask, the alternate signal stack
 * and pending signals with their siginfo.
 *
 * Restart installs dispositions with do_sigaction(), as rt_sigaction()
 * does, and queues each pending signal to the new task itself, which
 * rt_tgsigqueueinfo() allows with any siginfo.
 */

#include <linux/sched/signal.h>
#include <linux/signal.h>
#include <linux/slab.h>

#include "internal.h"

/* Queued signals of @t's queues, or -1 if it is exiting. */
static int ckpt_count_pending(struct task_struct *t, bool leader)
{
	struct sigqueue *q;
	unsigned long flags;
	int n = 0;

	if (!lock_task_sighand(t, &flags))
		return -1;
	list_for_each_entry(q, &t->pending.list, list)
		n++;
	if (leader)
		list_for_each_entry(q, &t->signal->shared_pending.list, list)
			n++;
	unlock_task_sighand(t, &flags);
	return n;
}

/**
 * ckpt_check_signals - refuse signal state this version cannot save
 * @ctx: the checkpoint.
 * @t: the task.
 *
 * Return: 0 or -EOPNOTSUPP with a reason.
 */
int ckpt_check_signals(struct ckpt_ctx *ctx, struct task_struct *t)
{
	int n = ckpt_count_pending(t, true);

	if (n < 0)
		return ckpt_task_err(ctx, t, -EBUSY, "the task is exiting");
	if (n > CKPT_PENDING_MAX)
		return ckpt_task_err(ctx, t, -EOPNOTSUPP,
				     "too many pending signals (%d)", n);
	return 0;
}

/*
 * Queued signals, then those pending without a queue entry.  A POSIX
 * timer's own preallocated sigqueue is saved with the timer (timers.c).
 */
static int ckpt_collect_pending(struct task_struct *t, struct sigpending *p,
				u32 shared, struct ckpt_siginfo *out, int max)
{
	struct sigqueue *q;
	sigset_t seen;
	int n = 0, sig;

	sigemptyset(&seen);
	list_for_each_entry(q, &p->list, list) {
		if (q->flags & SIGQUEUE_PREALLOC && q->info.si_code == SI_TIMER) {
			sigaddset(&seen, q->info.si_signo);
			continue;
		}
		if (n == max)
			return n;
		out[n].shared = shared;
		copy_siginfo_to_external((siginfo_t *)out[n].info, &q->info);
		sigaddset(&seen, q->info.si_signo);
		n++;
	}
	for (sig = 1; sig <= _NSIG; sig++) {
		struct kernel_siginfo info;

		if (!sigismember(&p->signal, sig) || sigismember(&seen, sig))
			continue;
		if (n == max)
			return n;
		clear_siginfo(&info);
		info.si_signo = sig;
		info.si_code = SI_KERNEL;
		out[n].shared = shared;
		copy_siginfo_to_external((siginfo_t *)out[n].info, &info);
		n++;
	}
	return n;
}

/**
 * ckpt_write_signals - write SIGHAND, SIGNALS and SIGINFO records
 * @ctx: the checkpoint.
 * @t: the task, frozen.
 * @leader: @t leads its thread group: write the handlers and the signals
 *	pending on the process too.
 *
 * Return: 0 or a negative errno.
 */
int ckpt_write_signals(struct ckpt_ctx *ctx, struct task_struct *t,
		       bool leader)
{
	struct ckpt_sighand *sh;
	struct ckpt_signals rec = { };
	struct sighand_struct *sighand;
	struct ckpt_siginfo *pending;
	unsigned long flags;
	int i, n, max, err;

	BUILD_BUG_ON(_NSIG != 64);
	BUILD_BUG_ON(sizeof(siginfo_t) != sizeof(pending->info));
	max = ckpt_count_pending(t, leader);
	if (max < 0)
		return ckpt_task_err(ctx, t, -EBUSY, "the task is exiting");
	if (max > CKPT_PENDING_MAX)
		return ckpt_task_err(ctx, t, -EOPNOTSUPP,
				     "too many pending signals (%d)", max);
	/* Each queue holds at most _NSIG more without a queue entry. */
	max += 2 * _NSIG;
	sh = kzalloc(sizeof(*sh), GFP_KERNEL);
	pending = kvcalloc(max, sizeof(*pending), GFP_KERNEL);
	err = -ENOMEM;
	if (!sh || !pending)
		goto out;

	sighand = lock_task_sighand(t, &flags);
	if (!sighand) {
		err = ckpt_task_err(ctx, t, -EBUSY, "the task is exiting");
		goto out;
	}
	for (i = 0; i < _NSIG; i++) {
		struct k_sigaction *k = &sighand->action[i];

		sh->action[i].handler = (unsigned long)k->sa.sa_handler;
		sh->action[i].flags = k->sa.sa_flags;
		sh->action[i].restorer = (unsigned long)k->sa.sa_restorer;
		sh->action[i].mask = k->sa.sa_mask.sig[0];
	}
	/* In sigsuspend() and friends the real mask is the saved one. */
	rec.blocked = test_tsk_restore_sigmask(t) ? t->saved_sigmask.sig[0] :
						    t->blocked.sig[0];
	rec.ss_sp = t->sas_ss_sp;
	rec.ss_size = t->sas_ss_size;
	rec.ss_flags = t->sas_ss_flags;
	n = ckpt_collect_pending(t, &t->pending, 0, pending, max);
	if (leader)
		n += ckpt_collect_pending(t, &t->signal->shared_pending, 1,
					  pending + n, max - n);
	unlock_task_sighand(t, &flags);
	if (n == max) {
		err = ckpt_task_err(ctx, t, -EAGAIN,
				    "signals arrived during the checkpoint; try again");
		goto out;
	}
	if (n > CKPT_PENDING_MAX) {
		err = ckpt_task_err(ctx, t, -EOPNOTSUPP,
				    "too many pending signals (%d)", n);
		goto out;
	}
	rec.nr_pending = n;

	err = 0;
	if (leader)
		err = ckpt_write_rec(ctx, CKPT_REC_SIGHAND, sh, sizeof(*sh));
	if (!err)
		err = ckpt_write_rec(ctx, CKPT_REC_SIGNALS, &rec, sizeof(rec));
	for (i = 0; !err && i < n; i++)
		err = ckpt_write_rec(ctx, CKPT_REC_SIGINFO, &pending[i],
				     sizeof(pending[i]));
out:
	kvfree(pending);
	kfree(sh);
	return err;
}

static int ckpt_restore_sighand(struct ckpt_ctx *ctx,
				const struct ckpt_sighand *sh)
{
	int i, err;

	for (i = 0; i < _NSIG; i++) {
		const struct ckpt_sigaction *a = &sh->action[i];
		struct k_sigaction k = { };
		int sig = i + 1;

		if (sig_kernel_only(sig)) {
			if (a->handler || a->flags || a->restorer || a->mask)
				return ckpt_err(ctx, -EINVAL,
						"signal %d cannot have a disposition", sig);
			continue;
		}
		if (a->handler >= TASK_SIZE || a->restorer >= TASK_SIZE ||
		    a->flags > UINT_MAX)
			return ckpt_err(ctx, -EINVAL,
					"invalid disposition of signal %d", sig);
		k.sa.sa_handler = (__sighandler_t)(unsigned long)a->handler;
		k.sa.sa_flags = a->flags;
		k.sa.sa_restorer = (__sigrestore_t)(unsigned long)a->restorer;
		k.sa.sa_mask.sig[0] = a->mask;
		err = do_sigaction(sig, &k, NULL);
		if (err)
			return ckpt_err(ctx, err, "signal %d: sigaction failed", sig);
	}
	return 0;
}

static int ckpt_restore_pending(struct ckpt_ctx *ctx,
				const struct ckpt_siginfo *rec, bool leader)
{
	const siginfo_t *uinfo = (const siginfo_t *)rec->info;
	struct kernel_siginfo info;
	int sig, err;

	if (rec->shared > 1 || rec->pad || (rec->shared && !leader))
		return ckpt_err(ctx, -EINVAL, "malformed SIGINFO record");
	/* The part of siginfo_t beyond the kernel's must be zero. */
	if (memchr_inv(rec->info + sizeof(info), 0,
		       sizeof(rec->info) - sizeof(info)))
		return ckpt_err(ctx, -EINVAL, "malformed siginfo");
	memcpy(&info, uinfo, sizeof(info));
	sig = info.si_signo;
	if (sig < 1 || sig > _NSIG || sig == SIGKILL)
		return ckpt_err(ctx, -EINVAL, "invalid pending signal %d", sig);
	/*
	 * An SI_TIMER siginfo here was queued with rt_sigqueueinfo(), not by
	 * a timer (timers.c saves those).  It is queued as the ordinary
	 * signal it was; its kernel-private field is never taken as is.
	 */
	if (info.si_code == SI_TIMER)
		info.si_sys_private = 0;

	/* Queued to the task itself, which may send itself any siginfo. */
	if (rec->shared)
		err = do_send_sig_info(sig, &info, current, PIDTYPE_TGID);
	else
		err = send_sig_info(sig, &info, current);
	if (err)
		return ckpt_err(ctx, err, "cannot queue pending signal %d", sig);
	return 0;
}

/**
 * ckpt_queue_signals - queue the pending signals read from the image
 * @ctx: the restart.
 * @rst: the new task's state, holding them.
 *
 * Done last: a pending signal interrupts the reads of the image.
 *
 * Context: the new task, after its last read of the image.
 * Return: 0 or a negative errno.
 */
int ckpt_queue_signals(struct ckpt_ctx *ctx, struct ckpt_restart_state *rst)
{
	u32 i;
	int err;

	bool leader = rst->tree.pid == rst->tree.tgid;

	for (i = 0; i < rst->nr_pending; i++) {
		err = ckpt_restore_pending(ctx, &rst->pending[i], leader);
		if (err)
			return err;
	}
	return 0;
}

/*
 * Signals that reached the new task while it was being made (a zombie
 * child's exit signal) are not the container's: drop them.
 */
static void ckpt_flush_pending(bool leader)
{
	spin_lock_irq(&ckpt_sighand()->siglock);
	if (!__fatal_signal_pending(current)) {
		flush_sigqueue(&current->pending);
		if (leader)
			flush_sigqueue(&current->signal->shared_pending);
	}
	recalc_sigpending();
	spin_unlock_irq(&ckpt_sighand()->siglock);
}

/**
 * ckpt_restore_signals - restore signal state from SIGHAND onwards
 * @ctx: the restart.
 * @hdr: the header of the next record, already read: SIGHAND for a
 *	thread group leader, SIGNALS for another thread.
 * @rst: the task; its pending signals are kept for ckpt_queue_signals().
 *
 * Context: the new task.
 * Return: 0 or a negative errno.
 */
int ckpt_restore_signals(struct ckpt_ctx *ctx, const struct ckpt_rec *hdr,
			 struct ckpt_restart_state *rst)
{
	bool leader = rst->tree.pid == rst->tree.tgid;
	u32 expect = leader ? CKPT_REC_SIGHAND : CKPT_REC_SIGNALS;
	struct ckpt_signals rec;
	struct ckpt_sighand *sh;
	sigset_t blocked;
	u32 i;
	int err;

	if (hdr->type != expect)
		return ckpt_err(ctx, -EINVAL,
				"expected a record of type %u, found type %u",
				expect, hdr->type);
	if (leader) {
		sh = kmalloc(sizeof(*sh), GFP_KERNEL);
		if (!sh)
			return -ENOMEM;
		err = ckpt_read_rec_body(ctx, hdr, sh, sizeof(*sh), NULL);
		if (!err)
			err = ckpt_restore_sighand(ctx, sh);
		kfree(sh);
		if (!err)
			err = ckpt_read_rec(ctx, CKPT_REC_SIGNALS, &rec,
					    sizeof(rec), NULL);
	} else {
		err = ckpt_read_rec_body(ctx, hdr, &rec, sizeof(rec), NULL);
	}
	if (err)
		return err;
	if (rec.nr_pending > CKPT_PENDING_MAX ||
	    rec.ss_flags & ~(SS_DISABLE | SS_AUTODISARM) ||
	    rec.ss_sp >= TASK_SIZE || rec.ss_size > TASK_SIZE - rec.ss_sp ||
	    (rec.ss_flags & SS_DISABLE ?
	     rec.ss_flags != SS_DISABLE || rec.ss_sp || rec.ss_size :
	     rec.ss_size < MINSIGSTKSZ))
		return ckpt_err(ctx, -EINVAL, "malformed SIGNALS record");

	ckpt_flush_pending(leader);
	blocked.sig[0] = rec.blocked;
	set_current_blocked(&blocked);
	current->sas_ss_sp = rec.ss_sp;
	current->sas_ss_size = rec.ss_size;
	current->sas_ss_flags = rec.ss_flags;

	if (!rec.nr_pending)
		return 0;
	rst->pending = kvcalloc(rec.nr_pending, sizeof(*rst->pending),
				GFP_KERNEL);
	if (!rst->pending)
		return -ENOMEM;
	for (i = 0; i < rec.nr_pending; i++) {
		err = ckpt_read_rec(ctx, CKPT_REC_SIGINFO, &rst->pending[i],
				    sizeof(rst->pending[i]), NULL);
		if (err)
			return err;
		rst->nr_pending++;
	}
	return 0;
}
