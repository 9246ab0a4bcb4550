// SPDX-License-Identifier: GPL-2.0-only
/*
 * ckpt: interval timers (setitimer(), alarm()) and POSIX timers
 * (timer_create()) of a process.
 *
 * Checkpoint saves each timer as the time left to its next expiry and its
 * interval: a relative time, measured on the timer's own clock, and for
 * ITIMER_VIRTUAL and ITIMER_PROF in process CPU time.  A CLOCK_REALTIME
 * timer set with TIMER_ABSTIME keeps its absolute expiry instead.  POSIX
 * timers keep their ids, their sigevent, their overrun counts and whether
 * their signal is queued.
 *
 * Restart reads and validates the records while the new task restores
 * itself, and creates the POSIX timers then, disarmed, with the ids they
 * had: the kernel hands out signal_struct::next_posix_timer_id to the
 * next timer_create(), so it is set to the saved id before each one.
 * Nothing is armed before the task is let go (ckpt_start_timers()): a
 * timer firing earlier would signal a task still reading its image.
 *
 * The signal of a POSIX timer is its own preallocated sigqueue.  It is
 * saved here, as CKPT_TIMER_PENDING, not with the other pending signals
 * (signal.c skips it), and restart queues the timer's own sigqueue again,
 * so that a second expiry before delivery counts as an overrun instead of
 * queueing a second signal.  The kernel-private si_sys_private of that
 * siginfo, which tells signal delivery to rearm the timer, is never taken
 * from the image: it is 0, and the timer is armed by restart itself.
 */

#include <linux/hrtimer.h>
#include <linux/pid.h>
#include <linux/pid_namespace.h>
#include <linux/posix-timers.h>
#include <linux/rcupdate.h>
#include <linux/sched/cputime.h>
#include <linux/sched/signal.h>
#include <linux/slab.h>
#include <linux/time64.h>

#include "internal.h"

/**
 * struct ckpt_timers_state - timers read at restart, armed at the start
 * @it: the ITIMERS record.
 * @timer: its @it.nr_posix_timers POSIX_TIMER records.
 */
struct ckpt_timers_state {
	struct ckpt_itimers it;
	struct ckpt_posix_timer timer[];
};

static bool ckpt_timer_clock_ok(clockid_t clock)
{
	return clock == CLOCK_REALTIME || clock == CLOCK_MONOTONIC ||
	       clock == CLOCK_BOOTTIME || clock == CLOCK_TAI;
}

static bool ckpt_timer_notify_ok(int notify)
{
	return notify == SIGEV_SIGNAL || notify == SIGEV_NONE ||
	       notify == SIGEV_THREAD ||
	       notify == (SIGEV_SIGNAL | SIGEV_THREAD_ID);
}

/* Why a POSIX timer cannot be saved, found under a lock, logged after. */
enum ckpt_timer_refusal {
	CKPT_TIMER_OK,
	CKPT_TIMER_TOO_MANY,
	CKPT_TIMER_CPU_CLOCK,
	CKPT_TIMER_ALARM_CLOCK,
	CKPT_TIMER_OTHER_CLOCK,
	CKPT_TIMER_NOTIFY,
	CKPT_TIMER_THREAD,
};

static enum ckpt_timer_refusal ckpt_timer_refusal(struct task_struct *t,
						  struct k_itimer *timr)
{
	struct task_struct *target;

	if (timr->it_clock < 0 || timr->it_clock == CLOCK_PROCESS_CPUTIME_ID ||
	    timr->it_clock == CLOCK_THREAD_CPUTIME_ID)
		return CKPT_TIMER_CPU_CLOCK;
	if (timr->it_clock == CLOCK_REALTIME_ALARM ||
	    timr->it_clock == CLOCK_BOOTTIME_ALARM)
		return CKPT_TIMER_ALARM_CLOCK;
	if (!ckpt_timer_clock_ok(timr->it_clock))
		return CKPT_TIMER_OTHER_CLOCK;
	if (!ckpt_timer_notify_ok(timr->it_sigev_notify))
		return CKPT_TIMER_NOTIFY;
	if (timr->it_sigev_notify & SIGEV_THREAD_ID) {
		target = pid_task(timr->it_pid, PIDTYPE_PID);
		if (!target || !same_thread_group(target, t))
			return CKPT_TIMER_THREAD;
	}
	return CKPT_TIMER_OK;
}

/**
 * ckpt_check_timers - refuse POSIX timers this version cannot save
 * @ctx: the checkpoint.
 * @t: the task, a thread group leader, frozen.
 *
 * Interval timers are always saved.  POSIX timers on CPU-time clocks,
 * alarm clocks or other clocks than CLOCK_REALTIME, CLOCK_MONOTONIC,
 * CLOCK_BOOTTIME and CLOCK_TAI, with an unknown notification, or
 * signalling a thread that is gone or outside the process, are refused.
 *
 * Return: 0, -EBUSY if the task is exiting, or -EOPNOTSUPP with a reason.
 */
int ckpt_check_timers(struct ckpt_ctx *ctx, struct task_struct *t)
{
	enum ckpt_timer_refusal why = CKPT_TIMER_OK;
	struct k_itimer *timr;
	unsigned long flags;
	int n = 0, id = 0, clock = 0, notify = 0;

	rcu_read_lock();
	if (!lock_task_sighand(t, &flags)) {
		rcu_read_unlock();
		return ckpt_task_err(ctx, t, -EBUSY, "the task is exiting");
	}
	hlist_for_each_entry(timr, &t->signal->posix_timers, list) {
		if (++n > CKPT_POSIX_TIMERS_MAX) {
			why = CKPT_TIMER_TOO_MANY;
			break;
		}
		why = ckpt_timer_refusal(t, timr);
		if (why != CKPT_TIMER_OK) {
			id = timr->it_id;
			clock = timr->it_clock;
			notify = timr->it_sigev_notify;
			break;
		}
	}
	unlock_task_sighand(t, &flags);
	rcu_read_unlock();

	/* Logged here: ckpt_log() may sleep. */
	switch (why) {
	case CKPT_TIMER_OK:
		return 0;
	case CKPT_TIMER_TOO_MANY:
		return ckpt_task_err(ctx, t, -EOPNOTSUPP,
				     "more than %d POSIX timers",
				     CKPT_POSIX_TIMERS_MAX);
	case CKPT_TIMER_CPU_CLOCK:
		return ckpt_task_err(ctx, t, -EOPNOTSUPP,
				     "POSIX timer %d: CPU-time clocks (clock %d) are not supported yet",
				     id, clock);
	case CKPT_TIMER_ALARM_CLOCK:
		return ckpt_task_err(ctx, t, -EOPNOTSUPP,
				     "POSIX timer %d: alarm clocks (clock %d) are not supported yet",
				     id, clock);
	case CKPT_TIMER_OTHER_CLOCK:
		return ckpt_task_err(ctx, t, -EOPNOTSUPP,
				     "POSIX timer %d: clock %d is not supported",
				     id, clock);
	case CKPT_TIMER_NOTIFY:
		return ckpt_task_err(ctx, t, -EOPNOTSUPP,
				     "POSIX timer %d: notification %#x is not supported",
				     id, notify);
	case CKPT_TIMER_THREAD:
		return ckpt_task_err(ctx, t, -EOPNOTSUPP,
				     "POSIX timer %d: signals a thread that exited or is outside the process",
				     id);
	}
	return -EOPNOTSUPP;
}

/*
 * Moves @exp past @now by whole intervals as hrtimer_forward() would, and
 * returns how many, without touching the timer.
 */
static s64 ckpt_timer_forward(ktime_t *exp, ktime_t now, ktime_t iv)
{
	s64 n;

	if (now < *exp)
		return 0;
	n = div64_u64(now - *exp, iv) + 1;
	*exp = ktime_add_safe(*exp, n * iv);
	return n;
}

static u32 ckpt_clamp_overrun(s64 v)
{
	return clamp_t(s64, v, 0, INT_MAX);
}

/*
 * The state of one POSIX timer, as timer_gettime() and signal delivery
 * would see it.  Context: under the timer's it_lock, @t's siglock held
 * inside it (the order of posix_timer_queue_signal()).
 */
static void ckpt_save_posix_timer(struct ckpt_ctx *ctx, struct k_itimer *timr,
				  struct ckpt_posix_timer *rec)
{
	struct hrtimer *timer = &timr->it.real.timer;
	bool sig_none = timr->it_sigev_notify == SIGEV_NONE;
	ktime_t iv = timr->it_interval, now = 0, exp, rem = 0;
	struct sigqueue *q = timr->sigq;
	s64 fwd = 0;
	bool rearm;

	rec->id = timr->it_id;
	rec->clock = timr->it_clock;
	rec->notify = timr->it_sigev_notify;
	rec->signo = q->info.si_signo;
	rec->sigval = (unsigned long)q->info.si_value.sival_ptr;
	if (timr->it_sigev_notify & SIGEV_THREAD_ID)
		rec->tid = pid_nr_ns(timr->it_pid, ctx->pidns);
	rec->interval_ns = iv;

	/* As common_timer_get(), minus its side effects. */
	if (iv || timr->it_active || sig_none) {
		now = hrtimer_cb_get_time(timer);
		exp = hrtimer_get_expires(timer);
		if (iv && (timr->it_requeue_pending & REQUEUE_PENDING ||
			   sig_none))
			fwd = ckpt_timer_forward(&exp, now, iv);
		rem = exp - now;
		if (rem <= 0)
			rem = sig_none ? 0 : 1;
	}
	rec->value_ns = rem ? rem + ckpt_since_clocks(ctx) : 0;
	/* Relative CLOCK_REALTIME timers run on CLOCK_MONOTONIC. */
	if (rem && timr->it_clock == CLOCK_REALTIME &&
	    timer->base->clockid == CLOCK_REALTIME) {
		rec->flags |= CKPT_TIMER_ABSTIME;
		rec->value_ns = ktime_add_safe(now, rem);
	}

	rec->overrun_last = ckpt_clamp_overrun(timr->it_overrun_last);
	if (list_empty(&q->list))
		return;
	rec->flags |= CKPT_TIMER_PENDING;
	/* Will dequeueing it rearm the timer?  See posixtimer_rearm(). */
	rearm = iv && q->info.si_sys_private &&
		q->info.si_sys_private == timr->it_requeue_pending;
	if (rearm) {
		s64 last = timr->it_overrun + fwd;

		rec->overrun_last = ckpt_clamp_overrun(last);
		rec->overrun = ckpt_clamp_overrun(last + q->info.si_overrun);
	} else {
		rec->overrun = ckpt_clamp_overrun(q->info.si_overrun);
	}
}

/* ITIMER_REAL, as getitimer() would see it after the next SIGALRM. */
static void ckpt_save_itimer_real(struct signal_struct *sig,
				  struct ckpt_itimer *it)
{
	struct hrtimer *timer = &sig->real_timer;
	ktime_t iv = sig->it_real_incr, rem, exp, now;

	it->interval_ns = iv;
	if (hrtimer_active(timer)) {
		rem = hrtimer_get_remaining(timer);
		it->value_ns = rem > 0 ? rem : 1;
	} else if (iv) {
		/*
		 * Expired with its SIGALRM pending or ignored: dequeueing
		 * the signal rearms it (dequeue_signal()).  Save its next
		 * expiry; restart arms it right away.
		 */
		now = hrtimer_cb_get_time(timer);
		exp = hrtimer_get_expires(timer);
		ckpt_timer_forward(&exp, now, iv);
		it->value_ns = exp - now;
	}
}

/* ITIMER_VIRTUAL or ITIMER_PROF: process CPU time left, as getitimer(). */
static void ckpt_save_itimer_cpu(struct signal_struct *sig, const u64 *samples,
				 unsigned int clock, struct ckpt_itimer *it)
{
	u64 exp = sig->it[clock].expires;

	it->interval_ns = sig->it[clock].incr;
	if (exp)
		it->value_ns = exp > samples[clock] ? exp - samples[clock] :
						      TICK_NSEC;
}

static int ckpt_count_posix_timers(struct task_struct *t, u32 *n)
{
	struct hlist_node *node;
	unsigned long flags;
	u32 count = 0;

	if (!lock_task_sighand(t, &flags))
		return -EBUSY;
	hlist_for_each(node, &t->signal->posix_timers)
		count++;
	unlock_task_sighand(t, &flags);
	*n = count;
	return 0;
}

/* Under @t's siglock: the interval timers and the list of POSIX timers. */
static int ckpt_collect_timers(struct task_struct *t, struct ckpt_itimers *it,
			       struct k_itimer **timers, u32 max)
{
	struct signal_struct *sig = t->signal;
	u64 samples[CPUCLOCK_MAX] = { };
	struct k_itimer *timr;
	u32 n = 0;

	ckpt_save_itimer_real(sig, &it->it[ITIMER_REAL]);
	/* get_cpu_itimer() samples only when one is armed, and so do we. */
	if (sig->it[CPUCLOCK_VIRT].expires || sig->it[CPUCLOCK_PROF].expires)
		thread_group_sample_cputime(t, samples);
	ckpt_save_itimer_cpu(sig, samples, CPUCLOCK_VIRT,
			     &it->it[ITIMER_VIRTUAL]);
	ckpt_save_itimer_cpu(sig, samples, CPUCLOCK_PROF, &it->it[ITIMER_PROF]);
	it->next_posix_timer_id = READ_ONCE(sig->next_posix_timer_id);
	/* Newest first: restart creates them in the opposite order. */
	hlist_for_each_entry(timr, &sig->posix_timers, list) {
		if (n == max || ckpt_timer_refusal(t, timr) != CKPT_TIMER_OK)
			return -EAGAIN;
		timers[n++] = timr;
	}
	return n == max ? 0 : -EAGAIN;
}

/* Under @timr's it_lock: saves it under @t's siglock, if it is @t's. */
static int ckpt_save_locked(struct ckpt_ctx *ctx, struct task_struct *t,
			    struct k_itimer *timr, struct ckpt_posix_timer *rec)
{
	unsigned long flags;

	if (timr->it_signal != t->signal)
		return -EAGAIN;
	if (!lock_task_sighand(t, &flags))
		return -EAGAIN;
	ckpt_save_posix_timer(ctx, timr, rec);
	unlock_task_sighand(t, &flags);
	return 0;
}

/**
 * ckpt_write_timers - write the ITIMERS and POSIX_TIMER records
 * @ctx: the checkpoint.
 * @t: the task, a thread group leader, frozen and checked by
 *	ckpt_check_timers().
 *
 * Return: 0, -EBUSY if the task is exiting, -EAGAIN if its timers changed
 * since they were checked, or a negative errno.
 */
int ckpt_write_timers(struct ckpt_ctx *ctx, struct task_struct *t)
{
	struct ckpt_posix_timer *recs = NULL;
	struct k_itimer **timers = NULL;
	struct ckpt_itimers it = { };
	unsigned long flags;
	u32 i, n;
	int err;

	BUILD_BUG_ON(CPUCLOCK_PROF != 0 || CPUCLOCK_VIRT != 1);
	err = ckpt_count_posix_timers(t, &n);
	if (err)
		return ckpt_task_err(ctx, t, err, "the task is exiting");
	if (n > CKPT_POSIX_TIMERS_MAX)
		return ckpt_task_err(ctx, t, -EAGAIN,
				     "its POSIX timers changed during the checkpoint; try again");
	if (n) {
		timers = kvmalloc_array(n, sizeof(*timers), GFP_KERNEL);
		recs = kvcalloc(n, sizeof(*recs), GFP_KERNEL);
		err = -ENOMEM;
		if (!timers || !recs)
			goto out;
	}

	rcu_read_lock();
	if (!lock_task_sighand(t, &flags)) {
		rcu_read_unlock();
		err = ckpt_task_err(ctx, t, -EBUSY, "the task is exiting");
		goto out;
	}
	err = ckpt_collect_timers(t, &it, timers, n);
	unlock_task_sighand(t, &flags);
	if (it.it[ITIMER_REAL].value_ns)
		it.it[ITIMER_REAL].value_ns += ckpt_since_clocks(ctx);
	/*
	 * RCU keeps the timers' memory; it_signal, cleared under it_lock
	 * before a timer is freed, says whether each is still the task's.
	 */
	for (i = 0; !err && i < n; i++) {
		spin_lock_irqsave(&timers[i]->it_lock, flags);
		err = ckpt_save_locked(ctx, t, timers[i], &recs[i]);
		spin_unlock_irqrestore(&timers[i]->it_lock, flags);
	}
	rcu_read_unlock();
	if (err == -EAGAIN)
		err = ckpt_task_err(ctx, t, err,
				    "its POSIX timers changed during the checkpoint; try again");
	if (err)
		goto out;

	it.nr_posix_timers = n;
	err = ckpt_write_rec(ctx, CKPT_REC_ITIMERS, &it, sizeof(it));
	for (i = 0; !err && i < n; i++)
		err = ckpt_write_rec(ctx, CKPT_REC_POSIX_TIMER, &recs[i],
				     sizeof(recs[i]));
out:
	kvfree(recs);
	kvfree(timers);
	return err;
}

static int ckpt_check_itimers(struct ckpt_ctx *ctx,
			      const struct ckpt_itimers *it)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(it->it); i++)
		if (it->it[i].value_ns > KTIME_MAX ||
		    it->it[i].interval_ns > KTIME_MAX)
			return ckpt_err(ctx, -EINVAL, "interval timer %u: time out of range", i);
	/* setitimer() keeps no interval for a disarmed ITIMER_REAL. */
	if (!it->it[ITIMER_REAL].value_ns && it->it[ITIMER_REAL].interval_ns)
		return ckpt_err(ctx, -EINVAL, "ITIMER_REAL: an interval but no value");
	if (it->nr_posix_timers > CKPT_POSIX_TIMERS_MAX ||
	    it->next_posix_timer_id < 0)
		return ckpt_err(ctx, -EINVAL, "malformed ITIMERS record");
	return 0;
}

/**
 * ckpt_check_posix_timer - validate a POSIX_TIMER record
 * @t: the record.
 *
 * The sigevent itself is checked again by timer_create()'s own code when
 * restart creates the timer.
 *
 * Return: 0 or -EINVAL.
 */
int ckpt_check_posix_timer(const struct ckpt_posix_timer *t)
{
	if (t->id < 0 || !ckpt_timer_clock_ok(t->clock) ||
	    !ckpt_timer_notify_ok(t->notify) || t->flags & ~CKPT_TIMER_FLAGS)
		return -EINVAL;
	if (!(t->notify & SIGEV_THREAD_ID) && t->tid)
		return -EINVAL;
	if (t->value_ns > KTIME_MAX || t->interval_ns > KTIME_MAX ||
	    (!t->value_ns && t->interval_ns))
		return -EINVAL;
	if (t->flags & CKPT_TIMER_ABSTIME &&
	    (t->clock != CLOCK_REALTIME || !t->value_ns))
		return -EINVAL;
	if (t->overrun_last > INT_MAX || t->overrun > INT_MAX)
		return -EINVAL;
	/* A SIGEV_NONE timer never queues its signal. */
	if (t->flags & CKPT_TIMER_PENDING ? t->notify == SIGEV_NONE :
					    t->overrun)
		return -EINVAL;
	return 0;
}

/* Creates one timer, disarmed, with its saved id, as timer_create(). */
static int ckpt_create_posix_timer(struct ckpt_ctx *ctx,
				   const struct ckpt_posix_timer *rec)
{
	struct sigevent ev = {
		.sigev_notify = rec->notify,
		.sigev_signo = rec->signo,
		.sigev_value.sival_ptr = (void __user *)(unsigned long)rec->sigval,
	};
	timer_t id = -1;
	int err;

	if (rec->notify & SIGEV_THREAD_ID)
		ev.sigev_notify_thread_id = rec->tid;
	/* Only this task uses its signal_struct yet. */
	WRITE_ONCE(current->signal->next_posix_timer_id, rec->id);
	err = do_timer_create(rec->clock, &ev, NULL, &id);
	if (err == -EINVAL)
		return ckpt_err(ctx, err,
				"POSIX timer %d: invalid signal %d or thread %d",
				rec->id, rec->signo, rec->tid);
	if (err)
		return ckpt_err(ctx, err, "POSIX timer %d: cannot create it (error %d)",
				rec->id, err);
	/* Taken: the id is twice in the image. */
	if (id != rec->id)
		return ckpt_err(ctx, -EINVAL, "POSIX timer %d: duplicate id",
				rec->id);
	return 0;
}

/**
 * ckpt_restore_timers - read ITIMERS and POSIX_TIMER, create the timers
 * @ctx: the restart.
 * @rst: the new task's state, which keeps what ckpt_start_timers() arms.
 *
 * The POSIX timers are created disarmed, with the ids of the image; on
 * failure those created so far go with the task, which exits.
 *
 * Context: the new task, single-threaded, before it runs in user space.
 * Return: 0, -EINVAL for a malformed record or sigevent, -EAGAIN if the
 * caller's RLIMIT_SIGPENDING is reached, or a negative errno.
 */
int ckpt_restore_timers(struct ckpt_ctx *ctx, struct ckpt_restart_state *rst)
{
	struct ckpt_timers_state *ts;
	struct ckpt_itimers it;
	u32 i;
	int err;

	err = ckpt_read_rec(ctx, CKPT_REC_ITIMERS, &it, sizeof(it), NULL);
	if (err)
		return err;
	err = ckpt_check_itimers(ctx, &it);
	if (err)
		return err;
	ts = kvmalloc(struct_size(ts, timer, it.nr_posix_timers), GFP_KERNEL);
	if (!ts)
		return -ENOMEM;
	ts->it = it;
	rst->timers = ts;

	for (i = 0; i < it.nr_posix_timers; i++) {
		struct ckpt_posix_timer *t = &ts->timer[i];

		err = ckpt_read_rec(ctx, CKPT_REC_POSIX_TIMER, t, sizeof(*t),
				    NULL);
		if (err)
			return err;
		if (ckpt_check_posix_timer(t))
			return ckpt_err(ctx, -EINVAL,
					"malformed POSIX_TIMER record (timer %d)",
					t->id);
	}
	/* Oldest first, so that the list is in the same order again. */
	for (i = it.nr_posix_timers; i-- > 0; ) {
		err = ckpt_create_posix_timer(ctx, &ts->timer[i]);
		if (err)
			return err;
	}
	WRITE_ONCE(current->signal->next_posix_timer_id,
		   it.next_posix_timer_id);
	return 0;
}

/**
 * ckpt_free_timers - free what ckpt_restore_timers() kept
 * @rst: the restart state.
 */
void ckpt_free_timers(struct ckpt_restart_state *rst)
{
	kvfree(rst->timers);
	rst->timers = NULL;
}

static struct k_itimer *ckpt_find_posix_timer(timer_t id)
{
	struct k_itimer *timr, *found = NULL;
	unsigned long flags;

	if (!lock_task_sighand(current, &flags))
		return NULL;
	hlist_for_each_entry(timr, &current->signal->posix_timers, list) {
		if (timr->it_id == id) {
			found = timr;
			break;
		}
	}
	unlock_task_sighand(current, &flags);
	return found;
}

/*
 * Queues the timer's own sigqueue as it was, with an si_sys_private of 0:
 * the timer is armed by ckpt_start_posix_timer(), not by the delivery.
 */
static void ckpt_queue_timer_signal(struct k_itimer *timr,
				    const struct ckpt_posix_timer *rec)
{
	enum pid_type type = rec->notify & SIGEV_THREAD_ID ? PIDTYPE_PID :
							      PIDTYPE_TGID;

	unsigned long flags;

	spin_lock_irq(&timr->it_lock);
	timr->sigq->info.si_sys_private = 0;
	if (!send_sigqueue(timr->sigq, timr->it_pid, type) &&
	    lock_task_sighand(current, &flags)) {
		timr->sigq->info.si_overrun = rec->overrun;
		unlock_task_sighand(current, &flags);
	}
	spin_unlock_irq(&timr->it_lock);
}

static void ckpt_start_posix_timer(const struct ckpt_posix_timer *rec)
{
	struct itimerspec64 spec = {
		.it_value = ns_to_timespec64(rec->value_ns),
		.it_interval = ns_to_timespec64(rec->interval_ns),
	};
	struct k_itimer *timr;

	/* Nothing but this task can delete it, and it runs this. */
	timr = ckpt_find_posix_timer(rec->id);
	if (!timr)
		return;
	if (rec->flags & CKPT_TIMER_PENDING)
		ckpt_queue_timer_signal(timr, rec);
	if (rec->value_ns)
		do_timer_settime(rec->id, rec->flags & CKPT_TIMER_ABSTIME ?
				 TIMER_ABSTIME : 0, &spec, NULL);
	/* timer_settime() cleared it. */
	spin_lock_irq(&timr->it_lock);
	timr->it_overrun_last = rec->overrun_last;
	spin_unlock_irq(&timr->it_lock);
}

/* As setitimer(ITIMER_VIRTUAL or ITIMER_PROF): set_cpu_itimer(). */
static void ckpt_start_itimer_cpu(unsigned int clock,
				  const struct ckpt_itimer *it)
{
	struct cpu_itimer *cit = &current->signal->it[clock];
	u64 val = it->value_ns, old = 0;
	unsigned long flags;

	if (!lock_task_sighand(current, &flags))
		return;
	/* The saved value already has the tick setitimer() adds. */
	if (val)
		set_process_cpu_timer(current, clock, &val, &old);
	cit->expires = val;
	cit->incr = it->interval_ns;
	unlock_task_sighand(current, &flags);
}

/**
 * ckpt_start_timers - arm the timers ckpt_restore_timers() created
 * @rst: the restart state.
 *
 * Everything was validated when it was read: nothing here fails.  Timers
 * restart with the time they had left at the checkpoint.
 *
 * Context: the new task, let go, before it returns to user space.
 */
void ckpt_start_timers(struct ckpt_restart_state *rst)
{
	struct ckpt_timers_state *ts = rst->timers;
	struct signal_struct *sig = current->signal;
	unsigned long flags;
	u32 i;

	if (!ts)
		return;
	if (ts->it.it[ITIMER_REAL].value_ns &&
	    lock_task_sighand(current, &flags)) {
		sig->it_real_incr = ts->it.it[ITIMER_REAL].interval_ns;
		hrtimer_start(&sig->real_timer,
			      ts->it.it[ITIMER_REAL].value_ns,
			      HRTIMER_MODE_REL);
		unlock_task_sighand(current, &flags);
	}
	ckpt_start_itimer_cpu(CPUCLOCK_VIRT, &ts->it.it[ITIMER_VIRTUAL]);
	ckpt_start_itimer_cpu(CPUCLOCK_PROF, &ts->it.it[ITIMER_PROF]);
	for (i = 0; i < ts->it.nr_posix_timers; i++)
		ckpt_start_posix_timer(&ts->timer[i]);
}
