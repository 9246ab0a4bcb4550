// SPDX-License-Identifier: GPL-2.0-only
/*
 * ckpt: the container's mount namespace.
 *
 * Checkpoint records every mount of the container's mount namespace,
 * parents first, as one of four kinds:
 *
 * - HOST: the caller has the same mount (same file system and root) at
 *   the same point, on a mount that is HOST too: the container got it
 *   with its copy of the namespace, and restart finds it in the copy of
 *   its own caller's;
 * - BIND: a bind mount whose source the caller can name by a path: a
 *   directory or file of a mount of the caller's, as it is at checkpoint;
 * - PROC: a proc file system of the container's pid namespace;
 * - TMPFS: a tmpfs of the container's own, with its contents, when they
 *   are small (CKPT_TMPFS_ENTRIES_MAX, CKPT_TMPFS_DATA_MAX).
 *
 * Anything else (a new instance of another file system, a shared or slave
 * mount, a tmpfs with special files or extended attributes...) is refused
 * with a reason naming the mount point and the type, before the image is
 * written.
 *
 * Restart runs in the container's init, in its new mount namespace, a
 * copy of the caller's, before any file or mapping of the image is opened:
 * it makes every mount of the copy private, so that nothing it mounts
 * propagates to the caller's namespace, then recreates each mount in order
 * with path_mount(), the code of mount(2), with the caller's credentials
 * and mount(2)'s checks.  proc is mounted by the init, so it shows the
 * container's new pid namespace.  The copy's other mounts stay.
 */

#include <linux/ckpt.h>
#include <linux/fs_struct.h>
#include <linux/magic.h>
#include <linux/mount.h>
#include <uapi/linux/mount.h>
#include <linux/namei.h>
#include <linux/pid_namespace.h>
#include <linux/proc_fs.h>
#include <linux/quotaops.h>
#include <linux/shmem_fs.h>
#include <linux/slab.h>
#include <linux/xattr.h>

#include "internal.h"

/**
 * struct ckpt_tentry - checkpoint: a file of a tmpfs being saved
 * @dentry: the file, with a reference.
 * @rec: its TMPFS_ENTRY record.
 * @name: its name in its directory (kmalloc()ed, @rec.name_len bytes).
 */
struct ckpt_tentry {
	struct dentry *dentry;
	struct ckpt_tmpfs_entry rec;
	char *name;
};

/**
 * struct ckpt_cmount - checkpoint: a mount of the container
 * @rec: its MOUNT record.
 * @root: the mount and its root, with references.
 * @path: its mount point, from the root of the container's namespace.
 * @source: BIND: its source in the caller's namespace; else NULL.
 * @fstype: its file system type's name.
 * @entries: TMPFS: its files, @rec.nr_entries of them.
 * @data: TMPFS: bytes of data in its files and links.
 */
struct ckpt_cmount {
	struct ckpt_mount rec;
	struct path root;
	char *path;
	char *source;
	const char *fstype;
	struct ckpt_tentry *entries;
	u64 data;
};

static u32 ckpt_mount_flags(const struct vfsmount *mnt)
{
	static const struct { int mnt; u32 ckpt; } map[] = {
		{ MNT_READONLY, CKPT_MOUNT_RDONLY },
		{ MNT_NOSUID, CKPT_MOUNT_NOSUID },
		{ MNT_NODEV, CKPT_MOUNT_NODEV },
		{ MNT_NOEXEC, CKPT_MOUNT_NOEXEC },
		{ MNT_NOATIME, CKPT_MOUNT_NOATIME },
		{ MNT_NODIRATIME, CKPT_MOUNT_NODIRATIME },
		{ MNT_RELATIME, CKPT_MOUNT_RELATIME },
		{ MNT_NOSYMFOLLOW, CKPT_MOUNT_NOSYMFOLLOW },
	};
	int mf = READ_ONCE(mnt->mnt_flags);
	u32 flags = 0;
	int i;

	for (i = 0; i < ARRAY_SIZE(map); i++)
		if (mf & map[i].mnt)
			flags |= map[i].ckpt;
	return flags;
}

/* The mount(2) flags that give a mount the CKPT_MOUNT_* @flags. */
static unsigned long ckpt_ms_flags(u32 flags)
{
	unsigned long ms = 0;

	if (flags & CKPT_MOUNT_RDONLY)
		ms |= MS_RDONLY;
	if (flags & CKPT_MOUNT_NOSUID)
		ms |= MS_NOSUID;
	if (flags & CKPT_MOUNT_NODEV)
		ms |= MS_NODEV;
	if (flags & CKPT_MOUNT_NOEXEC)
		ms |= MS_NOEXEC;
	if (flags & CKPT_MOUNT_NODIRATIME)
		ms |= MS_NODIRATIME;
	if (flags & CKPT_MOUNT_NOSYMFOLLOW)
		ms |= MS_NOSYMFOLLOW;
	if (flags & CKPT_MOUNT_NOATIME)
		ms |= MS_NOATIME;
	else if (flags & CKPT_MOUNT_RELATIME)
		ms |= MS_RELATIME;
	else
		ms |= MS_STRICTATIME;
	return ms;
}

static const char *const ckpt_mount_kinds[] = {
	[CKPT_MOUNT_HOST] = "host", [CKPT_MOUNT_BIND] = "bind",
	[CKPT_MOUNT_PROC] = "proc", [CKPT_MOUNT_TMPFS] = "tmpfs",
};

#define ckpt_mount_err(ctx, err, path, type, fmt, ...)			\
	ckpt_err(ctx, err, "mount %s (%s): " fmt, path, type, ##__VA_ARGS__)

/**
 * ckpt_put_mnt_info - drop what ckpt_task_mounts() gave
 * @info: its array, or NULL.
 * @nr: its number of entries.
 */
void ckpt_put_mnt_info(struct ckpt_mnt_info *info, int nr)
{
	while (info && nr-- > 0) {
		path_put(&info[nr].root);
		path_put(&info[nr].mountpoint);
	}
	kvfree(info);
}

/* Is @prefix a leading run of whole components of @path? */
static bool ckpt_path_under(const char *prefix, const char *path)
{
	size_t n = strlen(prefix);

	if (n == 1)
		return true;	/* "/" */
	return !strncmp(prefix, path, n) && (path[n] == '/' || !path[n]);
}

/*
 * Looks @name up from the caller's root, without following symbolic
 * links: a mount point or source named by d_absolute_path() has none.
 */
static int ckpt_caller_lookup(const struct path *root, const char *name,
			      struct path *out)
{
	return vfs_path_lookup(root->dentry, root->mnt, name,
			       LOOKUP_NO_SYMLINKS, out);
}

/* Does the caller have the same mount at the same point? */
static bool ckpt_host_mount(const struct path *croot,
			    const struct ckpt_mnt_info *e, const char *path)
{
	struct path p;
	bool same;

	if (ckpt_caller_lookup(croot, path, &p))
		return false;
	same = p.dentry == p.mnt->mnt_root &&
	       p.mnt->mnt_sb == e->root.mnt->mnt_sb &&
	       p.mnt->mnt_root == e->root.dentry;
	path_put(&p);
	return same;
}

/*
 * The source of a bind mount: the path, in the caller's namespace, of the
 * mount's root through a mount of the caller's on the same file system,
 * which must lead back to it and must not be under one of the container's
 * own mounts made before it at restart.  Returns a kmalloc()ed name, NULL
 * if there is none, or an ERR_PTR().
 */
static char *ckpt_bind_source(struct ckpt_ctx *ctx, const struct path *croot,
			      const struct ckpt_mnt_info *host, int nr_host,
			      const struct ckpt_mnt_info *e, char *buf, u32 nr)
{
	struct dentry *d = e->root.dentry;
	int i;
	u32 j;

	if (d_unlinked(d))
		return NULL;
	for (i = 0; i < nr_host; i++) {
		const struct ckpt_mnt_info *h = &host[i];
		struct path src = { .mnt = h->root.mnt, .dentry = d };
		struct path p;
		char *name;
		bool ok;

		if (h->root.mnt->mnt_sb != d->d_sb ||
		    !is_subdir(d, h->root.dentry))
			continue;
		name = d_absolute_path(&src, buf, PATH_MAX);
		if (IS_ERR(name))
			continue;
		if (ckpt_caller_lookup(croot, name, &p))
			continue;
		ok = p.mnt->mnt_sb == d->d_sb && p.dentry == d;
		path_put(&p);
		for (j = 0; ok && j < nr; j++)
			if (ctx->mounts[j].rec.kind != CKPT_MOUNT_HOST &&
			    ckpt_path_under(ctx->mounts[j].path, name))
				ok = false;
		if (ok)
			return kstrdup(name, GFP_KERNEL) ?: ERR_PTR(-ENOMEM);
	}
	return NULL;
}

/*
 * Mount @i can be the caller's own copy only if it is on one, and if no
 * earlier mount at the same point was taken for that copy: a second one
 * there is the container's (mount --bind /tmp /tmp), made again as a bind.
 */
static bool ckpt_host_candidate(struct ckpt_ctx *ctx, u32 i)
{
	const struct ckpt_cmount *m = &ctx->mounts[i];
	u32 j;

	if (ctx->mounts[m->rec.parent - 1].rec.kind != CKPT_MOUNT_HOST)
		return false;
	for (j = 0; j < i; j++)
		if (ctx->mounts[j].rec.kind == CKPT_MOUNT_HOST &&
		    !strcmp(ctx->mounts[j].path, m->path))
			return false;
	return true;
}

static int ckpt_check_proc(struct ckpt_ctx *ctx, struct ckpt_cmount *m)
{
	struct super_block *sb = m->root.mnt->mnt_sb;
	struct proc_fs_info *fs_info = proc_sb_info(sb);

	if (m->root.dentry != sb->s_root)
		return ckpt_mount_err(ctx, -EOPNOTSUPP, m->path, m->fstype,
				      "a bind mount of a part of a proc file system is not supported");
	if (fs_info->pid_ns != ctx->pidns)
		return ckpt_mount_err(ctx, -EOPNOTSUPP, m->path, m->fstype,
				      "proc of another pid namespace than the container's is not supported");
	switch (fs_info->hide_pid) {
	case HIDEPID_OFF:
	case HIDEPID_NO_ACCESS:
	case HIDEPID_INVISIBLE:
	case HIDEPID_NOT_PTRACEABLE:
		break;
	default:
		return ckpt_mount_err(ctx, -EOPNOTSUPP, m->path, m->fstype,
				      "unknown hidepid=%d", fs_info->hide_pid);
	}
	if (fs_info->pidonly != PROC_PIDONLY_OFF &&
	    fs_info->pidonly != PROC_PIDONLY_ON)
		return ckpt_mount_err(ctx, -EOPNOTSUPP, m->path, m->fstype,
				      "unknown subset= option");
	m->rec.opts = fs_info->hide_pid;
	if (fs_info->pidonly == PROC_PIDONLY_ON)
		m->rec.opts |= CKPT_MOUNT_PROC_SUBSET;
	m->rec.gid = from_kgid_munged(current_user_ns(), fs_info->pid_gid);
	if (sb_rdonly(sb))
		m->rec.flags |= CKPT_MOUNT_SB_RDONLY;
	return 0;
}

/* tmpfs contents: the names of a directory, read as getdents() does. */
struct ckpt_dir_names {
	struct dir_context dctx;
	char *buf;
	size_t len;
	size_t cap;
	int err;
};

static bool ckpt_dir_actor(struct dir_context *dctx, const char *name,
			   int namelen, loff_t offset, u64 ino,
			   unsigned int d_type)
{
	struct ckpt_dir_names *dn = container_of(dctx, struct ckpt_dir_names,
						 dctx);

	if ((namelen == 1 && name[0] == '.') ||
	    (namelen == 2 && name[0] == '.' && name[1] == '.'))
		return true;
	if (dn->len + namelen + 1 > dn->cap) {
		size_t cap = max(2 * dn->cap, dn->len + namelen + 1);
		char *buf;

		/* Bounded by the entry limit the caller checks. */
		if (cap > CKPT_TMPFS_ENTRIES_MAX * (NAME_MAX + 1)) {
			dn->err = -E2BIG;
			return false;
		}
		buf = krealloc(dn->buf, cap, GFP_KERNEL);
		if (!buf) {
			dn->err = -ENOMEM;
			return false;
		}
		dn->buf = buf;
		dn->cap = cap;
	}
	memcpy(dn->buf + dn->len, name, namelen);
	dn->len += namelen;
	dn->buf[dn->len++] = '\0';
	return true;
}

static int ckpt_read_dir_names(const struct path *dir,
			       struct ckpt_dir_names *dn)
{
	struct file *f;
	int err;

	/* Unseen by inotify: the container's watches get no event of ours. */
	f = dentry_open(dir, O_RDONLY | O_DIRECTORY | O_NOATIME |
			__FMODE_NONOTIFY, current_cred());
	if (IS_ERR(f))
		return PTR_ERR(f);
	dn->dctx.actor = ckpt_dir_actor;
	dn->dctx.pos = 0;
	err = iterate_dir(f, &dn->dctx);
	fput(f);
	return err ?: dn->err;
}

static struct ckpt_tentry *ckpt_tmpfs_inode_seen(struct ckpt_cmount *m,
						 struct inode *inode)
{
	u32 i;

	for (i = 0; i < m->rec.nr_entries; i++)
		if (d_inode(m->entries[i].dentry) == inode &&
		    !m->entries[i].rec.link)
			return &m->entries[i];
	return NULL;
}

/* Adds @d, named @name in directory entry @parent, to the saved files. */
static int ckpt_tmpfs_add(struct ckpt_ctx *ctx, struct ckpt_cmount *m,
			  struct dentry *d, u32 parent, const char *name)
{
	struct inode *inode = d_inode(d);
	struct ckpt_tentry *t, *first;
	struct delayed_call done;
	const char *target;
	ssize_t nx;

	if (m->rec.nr_entries == CKPT_TMPFS_ENTRIES_MAX)
		return ckpt_mount_err(ctx, -EOPNOTSUPP, m->path, m->fstype,
				      "more than %u files to save",
				      CKPT_TMPFS_ENTRIES_MAX);
	if (!S_ISDIR(inode->i_mode) && !S_ISREG(inode->i_mode) &&
	    !S_ISLNK(inode->i_mode))
		return ckpt_mount_err(ctx, -EOPNOTSUPP, m->path, m->fstype,
				      "%s is a device, FIFO or socket: not supported",
				      name ?: "its root");
	nx = vfs_listxattr(d, NULL, 0);
	if (nx > 0)
		return ckpt_mount_err(ctx, -EOPNOTSUPP, m->path, m->fstype,
				      "%s has extended attributes or ACLs: not supported",
				      name ?: "its root");
	t = &m->entries[m->rec.nr_entries];
	t->rec.index = m->rec.nr_entries + 1;
	t->rec.parent = parent;
	t->rec.mode = inode->i_mode & (S_IFMT | 07777);
	t->rec.uid = from_kuid_munged(current_user_ns(), inode->i_uid);
	t->rec.gid = from_kgid_munged(current_user_ns(), inode->i_gid);
	t->rec.atime_ns = timespec64_to_ns(&(struct timespec64) {
		inode_get_atime_sec(inode), inode_get_atime_nsec(inode) });
	t->rec.mtime_ns = timespec64_to_ns(&(struct timespec64) {
		inode_get_mtime_sec(inode), inode_get_mtime_nsec(inode) });
	if (name) {
		t->rec.name_len = strlen(name);
		t->name = kstrdup(name, GFP_KERNEL);
		if (!t->name)
			return -ENOMEM;
	}
	t->dentry = dget(d);
	m->rec.nr_entries++;

	first = S_ISREG(inode->i_mode) && inode->i_nlink > 1 ?
		ckpt_tmpfs_inode_seen(m, inode) : NULL;
	if (first && first != t) {
		t->rec.link = first->rec.index;
		return 0;
	}
	if (S_ISREG(inode->i_mode)) {
		t->rec.size = i_size_read(inode);
	} else if (S_ISLNK(inode->i_mode)) {
		target = vfs_get_link(d, &done);
		if (IS_ERR(target))
			return PTR_ERR(target);
		t->rec.size = strnlen(target, PATH_MAX);
		do_delayed_call(&done);
		if (!t->rec.size || t->rec.size >= PATH_MAX)
			return ckpt_mount_err(ctx, -EOPNOTSUPP, m->path,
					      m->fstype,
					      "symbolic link %s: target of %llu bytes",
					      name, t->rec.size);
	}
	m->data += t->rec.size;
	if (m->data > CKPT_TMPFS_DATA_MAX)
		return ckpt_mount_err(ctx, -EOPNOTSUPP, m->path, m->fstype,
				      "holds more than %u bytes: too big to save",
				      CKPT_TMPFS_DATA_MAX);
	return 0;
}

/*
 * The files of a tmpfs, breadth first from its root, so that a directory
 * comes before what is in it.  The container is frozen; a change made from
 * outside before the image is written shows as an EAGAIN then.
 */
static int ckpt_scan_tmpfs(struct ckpt_ctx *ctx, struct ckpt_cmount *m)
{
	struct ckpt_dir_names dn = { };
	u32 i;
	int err;

	m->entries = kvcalloc(CKPT_TMPFS_ENTRIES_MAX, sizeof(*m->entries),
			      GFP_KERNEL);
	if (!m->entries)
		return -ENOMEM;
	err = ckpt_tmpfs_add(ctx, m, m->root.dentry, 0, NULL);
	for (i = 0; !err && i < m->rec.nr_entries; i++) {
		struct ckpt_tentry *t = &m->entries[i];
		struct path dir = { .mnt = m->root.mnt, .dentry = t->dentry };
		const char *name;

		if (!S_ISDIR(t->rec.mode))
			continue;
		dn.len = 0;
		dn.err = 0;
		err = ckpt_read_dir_names(&dir, &dn);
		if (err == -E2BIG)
			err = ckpt_mount_err(ctx, -EOPNOTSUPP, m->path,
					     m->fstype, "more than %u files to save",
					     CKPT_TMPFS_ENTRIES_MAX);
		for (name = dn.buf; !err && name < dn.buf + dn.len;
		     name += strlen(name) + 1) {
			struct dentry *d;

			d = lookup_one_len_unlocked(name, t->dentry,
						    strlen(name));
			if (IS_ERR(d)) {
				err = PTR_ERR(d);
				break;
			}
			if (d_really_is_positive(d))
				err = ckpt_tmpfs_add(ctx, m, d, t->rec.index,
						     name);
			dput(d);
		}
	}
	kfree(dn.buf);
	return err;
}

static int ckpt_check_tmpfs(struct ckpt_ctx *ctx, struct ckpt_cmount *m)
{
	struct super_block *sb = m->root.mnt->mnt_sb;
	struct shmem_sb_info *sbinfo = sb->s_fs_info;

	if (!IS_ENABLED(CONFIG_SHMEM) || sb->s_magic != TMPFS_MAGIC)
		return ckpt_mount_err(ctx, -EOPNOTSUPP, m->path, m->fstype,
				      "not a shmem tmpfs: not supported");
	if (m->root.dentry != sb->s_root)
		return ckpt_mount_err(ctx, -EOPNOTSUPP, m->path, m->fstype,
				      "a bind mount of a part of a tmpfs of the container's own is not supported");
	if (sbinfo->huge || sbinfo->noswap || sbinfo->mpol ||
	    sb_any_quota_loaded(sb))
		return ckpt_mount_err(ctx, -EOPNOTSUPP, m->path, m->fstype,
				      "the options huge=, noswap, mpol= and quota are not supported");
	m->rec.size = (u64)sbinfo->max_blocks << PAGE_SHIFT;
	m->rec.nr_inodes = sbinfo->max_inodes;
	m->rec.mode = sbinfo->mode & 07777;
	m->rec.uid = from_kuid_munged(current_user_ns(), sbinfo->uid);
	m->rec.gid = from_kgid_munged(current_user_ns(), sbinfo->gid);
	if (sb_rdonly(sb))
		m->rec.flags |= CKPT_MOUNT_SB_RDONLY;
	return ckpt_scan_tmpfs(ctx, m);
}

static bool ckpt_fstype_ok(const char *s)
{
	size_t n = strlen(s);

	return n && n < CKPT_FSTYPE_MAX &&
	       strspn(s, "abcdefghijklmnopqrstuvwxyz0123456789._-") == n;
}

/* Classifies mount @i (see the file comment). */
static int ckpt_check_one_mount(struct ckpt_ctx *ctx, const struct path *croot,
				const struct ckpt_mnt_info *mine, u32 i,
				const struct ckpt_mnt_info *host, int nr_host,
				char *buf)
{
	const struct ckpt_mnt_info *e = &mine[i];
	struct ckpt_cmount *m = &ctx->mounts[i];
	struct super_block *sb = e->root.mnt->mnt_sb;
	char *name;
	u32 j;

	m->root = e->root;
	path_get(&m->root);
	m->fstype = sb->s_type->name;
	if (i && (e->parent < 0 || e->parent >= i))
		return ckpt_err(ctx, -EAGAIN,
				"the container's mounts changed while they were listed; try again");
	if (i == 0) {
		name = "/";
	} else {
		name = d_absolute_path(&e->mountpoint, buf, PATH_MAX);
		if (IS_ERR(name))
			return ckpt_err(ctx, PTR_ERR(name) == -ENAMETOOLONG ?
					-ENAMETOOLONG : -EOPNOTSUPP,
					"a mount point (%s) of the container cannot be named",
					m->fstype);
	}
	m->path = kstrdup(name, GFP_KERNEL);
	if (!m->path)
		return -ENOMEM;
	m->rec.id = i + 1;
	m->rec.parent = e->parent + 1;
	m->rec.flags = ckpt_mount_flags(e->root.mnt);
	m->rec.path_len = strlen(m->path);
	m->rec.fstype_len = strlen(m->fstype);
	if (!ckpt_fstype_ok(m->fstype))
		return ckpt_mount_err(ctx, -EOPNOTSUPP, m->path, m->fstype,
				      "a file system type name the image cannot hold");
	if (e->shared || e->slave || e->unbindable)
		return ckpt_mount_err(ctx, -EOPNOTSUPP, m->path, m->fstype,
				      "%s: only private mounts are supported (mount --make-rprivate)",
				      e->shared ? "shared" : e->slave ? "a slave" :
				      "unbindable");

	if (i && !strcmp(m->path, "/"))
		return ckpt_mount_err(ctx, -EOPNOTSUPP, m->path, m->fstype,
				      "a mount over the root of the namespace is not supported");
	if (i == 0) {
		if (sb != croot->mnt->mnt_sb ||
		    e->root.dentry != croot->mnt->mnt_root)
			return ckpt_mount_err(ctx, -EOPNOTSUPP, m->path,
					      m->fstype,
					      "the root of the container's mount namespace is not the caller's root mount (pivot_root): not supported");
		m->rec.kind = CKPT_MOUNT_HOST;
		return 0;
	}
	if (ckpt_host_candidate(ctx, i) && ckpt_host_mount(croot, e, m->path)) {
		m->rec.kind = CKPT_MOUNT_HOST;
		return 0;
	}
	m->source = ckpt_bind_source(ctx, croot, host, nr_host, e, buf, i);
	if (IS_ERR(m->source)) {
		int err = PTR_ERR(m->source);

		m->source = NULL;
		return err;
	}
	if (m->source) {
		m->rec.kind = CKPT_MOUNT_BIND;
		m->rec.source_len = strlen(m->source);
		return 0;
	}
	for (j = 0; j < i; j++)
		if (ctx->mounts[j].root.mnt->mnt_sb == sb)
			return ckpt_mount_err(ctx, -EOPNOTSUPP, m->path,
					      m->fstype,
					      "another mount of the file system mounted at %s: binds of the container's own file systems are not supported",
					      ctx->mounts[j].path);
	if (!strcmp(m->fstype, "proc")) {
		m->rec.kind = CKPT_MOUNT_PROC;
		return ckpt_check_proc(ctx, m);
	}
	if (!strcmp(m->fstype, "tmpfs")) {
		m->rec.kind = CKPT_MOUNT_TMPFS;
		return ckpt_check_tmpfs(ctx, m);
	}
	return ckpt_mount_err(ctx, -EOPNOTSUPP, m->path, m->fstype,
			      "a file system of this type that the caller cannot reach by a path is not supported");
}

/**
 * ckpt_check_mounts - record the container's mounts, or refuse them
 * @ctx: the checkpoint; the container has a mount namespace of its own.
 * @c: the CONTAINER record, whose @nr_mounts is set.
 *
 * Return: 0, -EOPNOTSUPP (or -ENAMETOOLONG) with a reason naming the mount
 * point and its type, or a negative errno.
 */
int ckpt_check_mounts(struct ckpt_ctx *ctx, struct ckpt_container *c)
{
	struct ckpt_mnt_info *mine = NULL, *host = NULL;
	int nr, nr_host, err;
	struct path croot;
	char *buf;
	u32 i;

	nr = ckpt_task_mounts(ctx->init, &mine);
	if (nr < 0)
		return ckpt_task_err(ctx, ctx->init, nr,
				     "cannot read its mount namespace");
	if (nr > CKPT_MOUNTS_MAX) {
		ckpt_put_mnt_info(mine, nr);
		return ckpt_task_err(ctx, ctx->init, -EOPNOTSUPP,
				     "its mount namespace has %d mounts, more than %u",
				     nr, CKPT_MOUNTS_MAX);
	}
	nr_host = ckpt_task_mounts(current, &host);
	if (nr_host < 0) {
		ckpt_put_mnt_info(mine, nr);
		return nr_host;
	}
	buf = kmalloc(PATH_MAX, GFP_KERNEL);
	ctx->mounts = kvcalloc(nr, sizeof(*ctx->mounts), GFP_KERNEL);
	err = buf && ctx->mounts ? 0 : -ENOMEM;
	get_fs_root(current->fs, &croot);
	for (i = 0; !err && i < nr; i++) {
		ctx->nr_mounts = i + 1;
		err = ckpt_check_one_mount(ctx, &croot, mine, i, host, nr_host,
					   buf);
	}
	path_put(&croot);
	kfree(buf);
	ckpt_put_mnt_info(host, nr_host);
	ckpt_put_mnt_info(mine, nr);
	c->nr_mounts = nr;
	return err;
}

static int ckpt_write_tmpfs_data(struct ckpt_ctx *ctx, struct ckpt_cmount *m,
				 struct ckpt_tentry *t, char *buf)
{
	struct path p = { .mnt = m->root.mnt, .dentry = t->dentry };
	struct delayed_call done;
	const char *target;
	struct file *f;
	loff_t pos = 0;
	int err = 0;

	if (S_ISLNK(t->rec.mode)) {
		target = vfs_get_link(t->dentry, &done);
		if (IS_ERR(target))
			return PTR_ERR(target);
		if (strnlen(target, PATH_MAX) != t->rec.size)
			err = -EAGAIN;
		else
			err = ckpt_write(ctx, target, t->rec.size);
		do_delayed_call(&done);
		goto out;
	}
	f = dentry_open(&p, O_RDONLY | O_NOATIME | O_LARGEFILE |
			__FMODE_NONOTIFY, current_cred());
	if (IS_ERR(f))
		return PTR_ERR(f);
	while (!err && pos < t->rec.size) {
		size_t n = min_t(u64, PAGE_SIZE, t->rec.size - pos);
		ssize_t got = kernel_read(f, buf, n, &pos);

		if (got < 0)
			err = got;
		else if (got != n)
			err = -EAGAIN;
		else
			err = ckpt_write(ctx, buf, n);
	}
	if (!err && i_size_read(file_inode(f)) != t->rec.size)
		err = -EAGAIN;
	fput(f);
out:
	if (err == -EAGAIN)
		ckpt_mount_err(ctx, err, m->path, m->fstype,
			       "%s changed during the checkpoint", t->name);
	return err;
}

static int ckpt_write_tmpfs(struct ckpt_ctx *ctx, struct ckpt_cmount *m)
{
	char *buf;
	u32 i;
	int err = 0;

	buf = kmalloc(PAGE_SIZE, GFP_KERNEL);
	if (!buf)
		return -ENOMEM;
	for (i = 0; !err && i < m->rec.nr_entries; i++) {
		struct ckpt_tentry *t = &m->entries[i];
		bool data = S_ISREG(t->rec.mode) || S_ISLNK(t->rec.mode);

		err = ckpt_write_rec_tail(ctx, CKPT_REC_TMPFS_ENTRY, &t->rec,
					  sizeof(t->rec), NULL,
					  t->rec.name_len + t->rec.size);
		if (!err && t->rec.name_len)
			err = ckpt_write(ctx, t->name, t->rec.name_len);
		if (!err && data && t->rec.size)
			err = ckpt_write_tmpfs_data(ctx, m, t, buf);
	}
	kfree(buf);
	return err;
}

/**
 * ckpt_write_mounts - write the MOUNT records found by ckpt_check_mounts()
 * @ctx: the checkpoint.
 *
 * Return: 0, -EAGAIN if a tmpfs changed since it was checked, or a
 * negative errno.
 */
int ckpt_write_mounts(struct ckpt_ctx *ctx)
{
	u32 i;
	int err = 0;

	for (i = 0; !err && i < ctx->nr_mounts; i++) {
		struct ckpt_cmount *m = &ctx->mounts[i];

		err = ckpt_write_rec_tail(ctx, CKPT_REC_MOUNT, &m->rec,
					  sizeof(m->rec), NULL,
					  m->rec.path_len + m->rec.source_len +
					  m->rec.fstype_len);
		if (!err)
			err = ckpt_write(ctx, m->path, m->rec.path_len);
		if (!err && m->source)
			err = ckpt_write(ctx, m->source, m->rec.source_len);
		if (!err)
			err = ckpt_write(ctx, m->fstype, m->rec.fstype_len);
		if (!err && m->rec.kind == CKPT_MOUNT_TMPFS)
			err = ckpt_write_tmpfs(ctx, m);
	}
	return err;
}

/**
 * ckpt_release_mounts - drop what ckpt_check_mounts() holds
 * @ctx: the checkpoint.
 */
void ckpt_release_mounts(struct ckpt_ctx *ctx)
{
	u32 i, j;

	for (i = 0; ctx->mounts && i < ctx->nr_mounts; i++) {
		struct ckpt_cmount *m = &ctx->mounts[i];

		for (j = 0; m->entries && j < m->rec.nr_entries; j++) {
			dput(m->entries[j].dentry);
			kfree(m->entries[j].name);
		}
		kvfree(m->entries);
		path_put(&m->root);
		kfree(m->path);
		kfree(m->source);
	}
	kvfree(ctx->mounts);
	ctx->mounts = NULL;
	ctx->nr_mounts = 0;
}

/* ---- restart ---- */

/**
 * struct ckpt_rentry - restart: a file of a tmpfs being refilled
 * @dentry: the file made, with a reference.
 * @rec: its record.
 */
struct ckpt_rentry {
	struct dentry *dentry;
	struct ckpt_tmpfs_entry rec;
};

/* Looks a mount point of the image up in the new namespace. */
static int ckpt_mount_lookup(struct ckpt_ctx *ctx, const char *name,
			     struct path *out)
{
	return vfs_path_lookup(ctx->ns_root.dentry, ctx->ns_root.mnt, name,
			       LOOKUP_FOLLOW | LOOKUP_NO_MAGICLINKS, out);
}

/* Gives the mount at @p the flags of the image, as mount -o remount,bind. */
static int ckpt_set_mount_flags(struct path *p, u32 flags)
{
	flags &= ~CKPT_MOUNT_SB_RDONLY;
	if (ckpt_mount_flags(p->mnt) == flags)
		return 0;
	return path_mount(NULL, p, NULL,
			  MS_REMOUNT | MS_BIND | ckpt_ms_flags(flags), NULL);
}

/* What ckpt_tmpfs_attrs() sets. */
#define CKPT_ATTR_OWNER	1	/* as chown() */
#define CKPT_ATTR_MODE	2	/* as chmod(), after the owner */
#define CKPT_ATTR_TIMES	4	/* as utimensat() */

static int ckpt_tmpfs_attrs(struct vfsmount *mnt, struct dentry *d,
			    const struct ckpt_tmpfs_entry *e, int what)
{
	struct inode *inode = d_inode(d);
	struct iattr attr = { };
	int err;

	if (S_ISLNK(e->mode))
		what &= ~CKPT_ATTR_MODE;
	err = mnt_want_write(mnt);
	if (err)
		return err;
	inode_lock(inode);
	if (what & CKPT_ATTR_OWNER) {
		attr.ia_valid = ATTR_UID | ATTR_GID;
		attr.ia_vfsuid = VFSUIDT_INIT(make_kuid(current_user_ns(),
							e->uid));
		attr.ia_vfsgid = VFSGIDT_INIT(make_kgid(current_user_ns(),
							e->gid));
		if (!vfsuid_valid(attr.ia_vfsuid) ||
		    !vfsgid_valid(attr.ia_vfsgid))
			err = -EINVAL;
		else
			err = notify_change(&nop_mnt_idmap, d, &attr, NULL);
	}
	/* After the owner: chown() clears the set-id bits. */
	if (!err && what & CKPT_ATTR_MODE) {
		attr.ia_valid = ATTR_MODE;
		attr.ia_mode = e->mode;
		err = notify_change(&nop_mnt_idmap, d, &attr, NULL);
	}
	if (!err && what & CKPT_ATTR_TIMES) {
		attr.ia_valid = ATTR_ATIME | ATTR_MTIME | ATTR_ATIME_SET |
				ATTR_MTIME_SET;
		attr.ia_atime = ns_to_timespec64(e->atime_ns);
		attr.ia_mtime = ns_to_timespec64(e->mtime_ns);
		err = notify_change(&nop_mnt_idmap, d, &attr, NULL);
	}
	inode_unlock(inode);
	mnt_drop_write(mnt);
	return err;
}

static int ckpt_tmpfs_fill(struct ckpt_ctx *ctx, struct vfsmount *mnt,
			   struct dentry *d, u64 size, char *buf)
{
	struct path p = { .mnt = mnt, .dentry = d };
	struct file *f;
	loff_t pos = 0;
	int err = 0;

	/*
	 * Unseen by inotify: its close may come after the container's
	 * watches are back (a deferred fput()).
	 */
	f = dentry_open(&p, O_WRONLY | O_LARGEFILE | __FMODE_NONOTIFY,
			current_cred());
	if (IS_ERR(f))
		return PTR_ERR(f);
	while (!err && pos < size) {
		size_t n = min_t(u64, PAGE_SIZE, size - pos);
		ssize_t done;

		err = ckpt_read(ctx, buf, n);
		if (err)
			break;
		done = kernel_write(f, buf, n, &pos);
		if (done < 0)
			err = done;
		else if (done != n)
			err = -ENOSPC;
	}
	fput(f);
	return err;
}

/* Makes entry @e (its name in @name) in its directory. */
static int ckpt_tmpfs_make(struct ckpt_ctx *ctx, struct vfsmount *mnt,
			   struct ckpt_rentry *ents,
			   const struct ckpt_tmpfs_entry *e, const char *name,
			   char *buf)
{
	struct dentry *dir = ents[e->parent - 1].dentry, *d;
	struct inode *dinode = d_inode(dir);
	int err;

	/* A link's target is the variable part, after the name. */
	if (S_ISLNK(e->mode)) {
		err = ckpt_read(ctx, buf, e->size);
		if (err)
			return err;
		buf[e->size] = '\0';
		if (strlen(buf) != e->size)
			return -EINVAL;
	}
	err = mnt_want_write(mnt);
	if (err)
		return err;
	inode_lock_nested(dinode, I_MUTEX_PARENT);
	d = lookup_one_len(name, dir, e->name_len);
	if (IS_ERR(d)) {
		inode_unlock(dinode);
		mnt_drop_write(mnt);
		return PTR_ERR(d);
	}
	if (d_really_is_positive(d)) {
		err = -EEXIST;
	} else if (e->link) {
		err = vfs_link(ents[e->link - 1].dentry, &nop_mnt_idmap,
			       dinode, d, NULL);
	} else if (S_ISDIR(e->mode)) {
		err = vfs_mkdir(&nop_mnt_idmap, dinode, d, 0700);
	} else if (S_ISREG(e->mode)) {
		err = vfs_create(&nop_mnt_idmap, dinode, d, 0600, true);
	} else {
		err = vfs_symlink(&nop_mnt_idmap, dinode, d, buf);
	}
	inode_unlock(dinode);
	mnt_drop_write(mnt);
	if (!err && d_really_is_negative(d))
		err = -ENOENT;	/* a file system that drops new dentries */
	if (err) {
		dput(d);
		return err;
	}
	ents[e->index - 1].dentry = d;
	if (S_ISREG(e->mode) && !e->link && e->size)
		err = ckpt_tmpfs_fill(ctx, mnt, d, e->size, buf);
	/* A directory's mode comes last: it might not let us make its files. */
	if (!err && !e->link)
		err = ckpt_tmpfs_attrs(mnt, d, e, S_ISDIR(e->mode) ?
				       CKPT_ATTR_OWNER :
				       CKPT_ATTR_OWNER | CKPT_ATTR_MODE);
	return err;
}

/*
 * Entry @e against those before it: its directory is a directory, a hard
 * link names a regular file's first entry, and the data so far (@data) is
 * within the limit.
 */
static bool ckpt_tmpfs_entry_fits(const struct ckpt_rentry *ents,
				  const struct ckpt_tmpfs_entry *e, u64 *data)
{
	const struct ckpt_tmpfs_entry *l;

	*data += e->size;
	if (*data > CKPT_TMPFS_DATA_MAX)
		return false;
	if (e->parent && !S_ISDIR(ents[e->parent - 1].rec.mode))
		return false;
	if (!e->link)
		return true;
	l = &ents[e->link - 1].rec;
	return !l->link && S_ISREG(l->mode) && l->mode == e->mode;
}

static int ckpt_restore_tmpfs(struct ckpt_ctx *ctx,
			      const struct ckpt_mount *m, const char *path,
			      struct path *root)
{
	struct ckpt_rentry *ents;
	char name[NAME_MAX + 1];
	u64 data = 0;
	char *buf;
	u32 i, tail;
	int err;

	ents = kvcalloc(m->nr_entries, sizeof(*ents), GFP_KERNEL);
	buf = kmalloc(PATH_MAX, GFP_KERNEL);
	err = ents && buf ? 0 : -ENOMEM;
	for (i = 0; !err && i < m->nr_entries; i++) {
		struct ckpt_tmpfs_entry *e = &ents[i].rec;

		err = ckpt_read_rec(ctx, CKPT_REC_TMPFS_ENTRY, e, sizeof(*e),
				    &tail);
		if (err)
			break;
		if (ckpt_check_tmpfs_entry(e, i + 1, tail) ||
		    !ckpt_tmpfs_entry_fits(ents, e, &data)) {
			err = ckpt_err(ctx, -EINVAL,
				       "mount %s: malformed TMPFS_ENTRY record %u",
				       path, i + 1);
			break;
		}
		if (!e->parent) {
			ents[0].dentry = dget(root->dentry);
			err = ckpt_tmpfs_attrs(root->mnt, ents[0].dentry, e,
					       CKPT_ATTR_OWNER);
		} else {
			err = ckpt_read(ctx, name, e->name_len);
			name[e->name_len] = '\0';
			if (!err && ckpt_check_file_name(name, e->name_len))
				err = ckpt_err(ctx, -EINVAL,
					       "mount %s: entry %u: malformed name",
					       path, i + 1);
			else if (!err)
				err = ckpt_tmpfs_make(ctx, root->mnt, ents, e,
						      name, buf);
		}
		if (err && err != -EINTR)
			ckpt_log(ctx, "mount %s: cannot make entry %u (error %d)",
				 path, i + 1, err);
	}
	/* Last: making a file changes its directory's times. */
	for (i = 0; !err && i < m->nr_entries; i++)
		if (!ents[i].rec.link)
			err = ckpt_tmpfs_attrs(root->mnt, ents[i].dentry,
					       &ents[i].rec,
					       S_ISDIR(ents[i].rec.mode) ?
					       CKPT_ATTR_MODE | CKPT_ATTR_TIMES :
					       CKPT_ATTR_TIMES);
	for (i = 0; ents && i < m->nr_entries; i++)
		dput(ents[i].dentry);
	kvfree(ents);
	kfree(buf);
	return err;
}

/* Remembers a file system this restart made: its inode numbers are new. */
static int ckpt_add_rsb(struct ckpt_ctx *ctx, struct super_block *sb)
{
	struct super_block **sbs;

	sbs = krealloc_array(ctx->rsbs, ctx->nr_rsbs + 1, sizeof(*sbs),
			     GFP_KERNEL);
	if (!sbs)
		return -ENOMEM;
	sbs[ctx->nr_rsbs++] = sb;
	ctx->rsbs = sbs;
	return 0;
}

/**
 * ckpt_sb_restored - was @sb made by this restart (a TMPFS mount)?
 * @ctx: the restart.
 * @sb: a file system.
 *
 * Its files were made again, so their inode numbers are new: the identity
 * check of files opened by path compares their size and times only.
 *
 * Return: true if it was.
 */
bool ckpt_sb_restored(const struct ckpt_ctx *ctx, const struct super_block *sb)
{
	u32 i;

	for (i = 0; i < ctx->nr_rsbs; i++)
		if (ctx->rsbs[i] == sb)
			return true;
	return false;
}

/* Mounts a new proc or tmpfs at @mp, with mount(2)'s code and checks. */
static int ckpt_mount_new(struct ckpt_ctx *ctx, const struct ckpt_mount *m,
			  struct path *mp, char *page)
{
	unsigned long ms = ckpt_ms_flags(m->flags) & ~MS_RDONLY;
	const char *type;

	if (m->kind == CKPT_MOUNT_PROC) {
		type = "proc";
		snprintf(page, PAGE_SIZE, "hidepid=%u%s,gid=%u",
			 m->opts & CKPT_MOUNT_PROC_HIDEPID,
			 m->opts & CKPT_MOUNT_PROC_SUBSET ? ",subset=pid" : "",
			 m->gid);
		if (m->flags & CKPT_MOUNT_SB_RDONLY)
			ms |= MS_RDONLY;
	} else {
		/* Read-only only once it is filled. */
		type = "tmpfs";
		snprintf(page, PAGE_SIZE,
			 "size=%llu,nr_inodes=%llu,mode=%o,uid=%u,gid=%u",
			 m->size, m->nr_inodes, m->mode, m->uid, m->gid);
	}
	return path_mount(type, mp, type, ms, page);
}

static int ckpt_restore_one_mount(struct ckpt_ctx *ctx,
				  const struct ckpt_mount *m, const char *path,
				  const char *source, const char *fstype,
				  char *page)
{
	struct path mp, top;
	int err;

	err = ckpt_mount_lookup(ctx, path, &mp);
	if (err)
		return ckpt_err(ctx, err, "mount %s (%s): no such mount point (error %d)",
				path, fstype, err);
	switch (m->kind) {
	case CKPT_MOUNT_HOST:
		break;
	case CKPT_MOUNT_BIND:
		err = path_mount(source, &mp, NULL, MS_BIND, NULL);
		break;
	default:
		err = ckpt_mount_new(ctx, m, &mp, page);
		break;
	}
	path_put(&mp);
	if (err)
		return ckpt_err(ctx, err, "mount %s (%s, %s%s%s): error %d",
				path, fstype, ckpt_mount_kinds[m->kind],
				source ? " of " : "", source ?: "", err);

	/* The mount now on top of that point must be the one wanted. */
	err = ckpt_mount_lookup(ctx, path, &top);
	if (err)
		return ckpt_err(ctx, err, "mount %s: cannot find it again", path);
	if (top.dentry != top.mnt->mnt_root ||
	    strcmp(top.mnt->mnt_sb->s_type->name, fstype)) {
		err = ckpt_err(ctx, m->kind == CKPT_MOUNT_HOST ? -ENOENT : -EINVAL,
			       "mount %s: expected a %s mount (%s), found %s%s",
			       path, fstype, ckpt_mount_kinds[m->kind],
			       top.dentry == top.mnt->mnt_root ? "" :
			       "no mount but a directory of ",
			       top.mnt->mnt_sb->s_type->name);
		goto out;
	}
	if (m->kind == CKPT_MOUNT_TMPFS) {
		err = ckpt_add_rsb(ctx, top.mnt->mnt_sb);
		if (!err)
			err = ckpt_restore_tmpfs(ctx, m, path, &top);
		if (err)
			goto out;
		if (m->flags & CKPT_MOUNT_SB_RDONLY) {
			err = path_mount(NULL, &top, NULL,
					 MS_REMOUNT | MS_RDONLY, NULL);
			if (err) {
				ckpt_log(ctx, "mount %s: cannot make it read-only (error %d)",
					 path, err);
				goto out;
			}
		}
	}
	err = ckpt_set_mount_flags(&top, m->flags);
	if (err)
		ckpt_log(ctx, "mount %s: cannot set its flags %#x (error %d)",
			 path, m->flags, err);
out:
	path_put(&top);
	return err;
}

/* The most bytes of the variable part of a MOUNT record. */
#define CKPT_MOUNT_TAIL_MAX	(2 * CKPT_PATH_MAX + CKPT_FSTYPE_MAX)

/*
 * Reads MOUNT record @id; its three strings go, each NUL-terminated, to
 * @strs (CKPT_MOUNT_TAIL_MAX + 3 bytes), through @raw (CKPT_MOUNT_TAIL_MAX).
 */
static int ckpt_read_mount(struct ckpt_ctx *ctx, u32 id, struct ckpt_mount *m,
			   char *raw, char *strs, char **path, char **source,
			   char **fstype)
{
	char *s = strs;
	u32 tail;
	int err;

	err = ckpt_read_rec(ctx, CKPT_REC_MOUNT, m, sizeof(*m), &tail);
	if (err)
		return err;
	if (m->id != id || ckpt_check_mount(m, tail))
		return ckpt_err(ctx, -EINVAL, "malformed MOUNT record %u", id);
	err = ckpt_read(ctx, raw, tail);
	if (err)
		return err;
	*path = s;
	memcpy(s, raw, m->path_len);
	s[m->path_len] = '\0';
	s += m->path_len + 1;
	*source = NULL;
	if (m->source_len) {
		*source = s;
		memcpy(s, raw + m->path_len, m->source_len);
		s[m->source_len] = '\0';
		s += m->source_len + 1;
	}
	*fstype = s;
	memcpy(s, raw + m->path_len + m->source_len, m->fstype_len);
	s[m->fstype_len] = '\0';
	if (ckpt_check_mount_strings(m, *path, *source, *fstype))
		return ckpt_err(ctx, -EINVAL,
				"MOUNT record %u: malformed mount point, source or type",
				id);
	return 0;
}

/**
 * ckpt_restore_mounts - recreate the container's mounts
 * @ctx: the restart.
 * @c: the CONTAINER record.
 *
 * Context: the container's init, in its new mount and pid namespaces,
 * with the caller's credentials, before anything of the image is opened;
 * @ctx->ns_root is the root of the new mount namespace.
 * Return: 0 or a negative errno; the mounts made so far go with the
 * namespace when the init exits.
 */
int ckpt_restore_mounts(struct ckpt_ctx *ctx, const struct ckpt_container *c)
{
	struct path top = {
		.mnt = ctx->ns_root.mnt,
		.dentry = ctx->ns_root.mnt->mnt_root,
	};
	char *raw, *strs, *page, *path, *source, *fstype;
	struct ckpt_mount m;
	u32 i;
	int err;

	if (!(c->ns_flags & CKPT_NS_MNT))
		return 0;
	/* Nothing made below propagates to the caller's namespace. */
	err = path_mount(NULL, &top, NULL, MS_REC | MS_PRIVATE, NULL);
	if (err)
		return ckpt_err(ctx, err,
				"cannot make the new mount namespace private (error %d)",
				err);
	raw = kvmalloc(CKPT_MOUNT_TAIL_MAX, GFP_KERNEL);
	strs = kvmalloc(CKPT_MOUNT_TAIL_MAX + 3, GFP_KERNEL);
	page = (char *)get_zeroed_page(GFP_KERNEL);
	err = raw && strs && page ? 0 : -ENOMEM;
	for (i = 1; !err && i <= c->nr_mounts; i++) {
		err = ckpt_read_mount(ctx, i, &m, raw, strs, &path, &source,
				      &fstype);
		if (!err)
			err = ckpt_restore_one_mount(ctx, &m, path, source,
						     fstype, page);
	}
	free_page((unsigned long)page);
	kvfree(strs);
	kvfree(raw);
	return err;
}
