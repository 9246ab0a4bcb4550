/* SPDX-License-Identifier: GPL-2.0 */
/*
 * ckpt: the hooks the rest of the kernel calls.
 */
#ifndef _LINUX_CKPT_H
#define _LINUX_CKPT_H

#include <linux/types.h>

struct cgroup;

#ifdef CONFIG_CKPT
bool ckpt_cgroup_thaw_blocked(struct cgroup *cgrp);
#else
static inline bool ckpt_cgroup_thaw_blocked(struct cgroup *cgrp)
{
	return false;
}
#endif

#endif /* _LINUX_CKPT_H */
