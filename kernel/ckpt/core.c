// SPDX-License-Identifier: GPL-2.0-only
/*
 * ckpt: the log of reasons, and the cgroups kept frozen while checkpointed.
 */

#include <linux/cgroup.h>
#include <linux/ckpt.h>
#include <linux/fs.h>
#include <linux/list.h>
#include <linux/slab.h>

#include "internal.h"

/**
 * ckpt_log - write a human-readable reason to the operation's log file
 * @ctx: the operation.
 * @fmt: printf format of one line, without the newline.
 *
 * The log is for the caller, who asked for it: nothing goes to the kernel
 * log, since any user can trigger these messages.  Errors writing the log
 * are ignored; the operation's errno is what counts.
 */
void ckpt_log(struct ckpt_ctx *ctx, const char *fmt, ...)
{
	va_list args;
	char *msg;
	loff_t pos;

	if (!ctx->log)
		return;

	va_start(args, fmt);
	msg = kvasprintf(GFP_KERNEL, fmt, args);
	va_end(args);
	if (!msg)
		return;

	pos = ctx->log->f_pos;
	if (kernel_write(ctx->log, msg, strlen(msg), &pos) > 0 &&
	    kernel_write(ctx->log, "\n", 1, &pos) > 0 &&
	    !(ctx->log->f_mode & FMODE_STREAM))
		ctx->log->f_pos = pos;
	kfree(msg);
}

/*
 * Cgroups with a checkpoint in progress.  Protected by cgroup_mutex, which
 * the thaw path (cgroup_freeze_write()) holds as well: once a checkpoint
 * has registered its cgroup under that mutex and seen it frozen, no thaw
 * can slip in before it unregisters.
 */
struct ckpt_busy_cgroup {
	struct list_head list;
	struct cgroup *cgrp;
};

static LIST_HEAD(ckpt_busy_cgroups);

/**
 * ckpt_cgroup_thaw_blocked - may @cgrp be thawed?
 * @cgrp: the cgroup whose cgroup.freeze is being set to 0.
 *
 * Context: cgroup_mutex held.
 * Return: true if @cgrp or one of its descendants is being checkpointed.
 */
bool ckpt_cgroup_thaw_blocked(struct cgroup *cgrp)
{
	struct ckpt_busy_cgroup *busy;

	lockdep_assert_held(&cgroup_mutex);
	list_for_each_entry(busy, &ckpt_busy_cgroups, list)
		if (cgroup_is_descendant(busy->cgrp, cgrp))
			return true;
	return false;
}

/**
 * ckpt_cgroup_hold - keep a frozen cgroup frozen for a checkpoint
 * @ctx: the checkpoint.
 * @cgrp: the container's cgroup.
 *
 * @why: set to the reason on failure.
 *
 * Return: 0 with @cgrp registered and referenced in @ctx; -EBUSY if it is
 * not frozen or already being checkpointed; -ENOMEM.
 */
int ckpt_cgroup_hold(struct ckpt_ctx *ctx, struct cgroup *cgrp,
		     const char **why)
{
	struct ckpt_busy_cgroup *busy, *b;
	int err = 0;

	busy = kzalloc(sizeof(*busy), GFP_KERNEL);
	if (!busy)
		return -ENOMEM;

	cgroup_lock();
	if (!test_bit(CGRP_FROZEN, &cgrp->flags)) {
		err = -EBUSY;
		*why = "its cgroup is not frozen (see cgroup.freeze)";
		goto out;
	}
	list_for_each_entry(b, &ckpt_busy_cgroups, list) {
		if (b->cgrp == cgrp) {
			err = -EBUSY;
			*why = "the container's cgroup is already being checkpointed";
			goto out;
		}
	}
	cgroup_get(cgrp);
	busy->cgrp = cgrp;
	list_add(&busy->list, &ckpt_busy_cgroups);
	ctx->cgrp = cgrp;
	busy = NULL;
out:
	cgroup_unlock();
	kfree(busy);
	return err;
}

/**
 * ckpt_cgroup_release - let the cgroup held by ckpt_cgroup_hold() thaw
 * @ctx: the checkpoint.
 */
void ckpt_cgroup_release(struct ckpt_ctx *ctx)
{
	struct ckpt_busy_cgroup *busy, *found = NULL;

	if (!ctx->cgrp)
		return;
	cgroup_lock();
	list_for_each_entry(busy, &ckpt_busy_cgroups, list) {
		if (busy->cgrp == ctx->cgrp) {
			found = busy;
			list_del(&busy->list);
			break;
		}
	}
	cgroup_unlock();
	cgroup_put(ctx->cgrp);
	ctx->cgrp = NULL;
	kfree(found);
}
