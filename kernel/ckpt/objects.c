// SPDX-License-Identifier: GPL-2.0-only
/*
 * ckpt: objects shared by several tasks or descriptors, saved once.
 *
 * Checkpoint finds each object (a file table, an open file, a pipe) by its
 * address in a hash table, and numbers it the first time it writes it:
 * ids of one type are 1, 2, 3... in the order of the image.  Restart keeps
 * what it recreated in an array per type, indexed by id, and takes the
 * next id only in order, so an image can refer only to objects it made
 * before.  Both keep a reference on each object until the end of the
 * operation.
 */

#include <linux/fdtable.h>
#include <linux/file.h>
#include <linux/hash.h>
#include <linux/slab.h>

#include "internal.h"

#define CKPT_OBJ_MIN_BITS	8
#define CKPT_OBJ_MAX_BITS	20

static struct hlist_head *ckpt_obj_bucket(struct ckpt_objs *objs,
					  const void *ptr)
{
	return &objs->buckets[hash_ptr(ptr, objs->bits)];
}

/* Doubles the table when it is twice as full as it has buckets. */
static void ckpt_obj_grow(struct ckpt_objs *objs)
{
	unsigned int bits = objs->bits + 1, i;
	struct hlist_head *old = objs->buckets;
	struct hlist_head *buckets;
	struct hlist_node *tmp;
	struct ckpt_obj *obj;

	if (objs->nr < 2U << objs->bits || bits > CKPT_OBJ_MAX_BITS)
		return;
	/* Without more buckets, the chains only get longer. */
	buckets = kvcalloc(1U << bits, sizeof(*buckets), GFP_KERNEL);
	if (!buckets)
		return;
	objs->buckets = buckets;
	objs->bits = bits;
	for (i = 0; i < 1U << (bits - 1); i++)
		hlist_for_each_entry_safe(obj, tmp, &old[i], node)
			hlist_add_head(&obj->node, ckpt_obj_bucket(objs, obj->ptr));
	kvfree(old);
}

/**
 * ckpt_obj_find - look an object up
 * @ctx: the checkpoint.
 * @type: enum ckpt_obj_type.
 * @ptr: its address.
 *
 * Return: the entry, or NULL.
 */
struct ckpt_obj *ckpt_obj_find(struct ckpt_ctx *ctx, u32 type, const void *ptr)
{
	struct ckpt_objs *objs = &ctx->objs;
	struct ckpt_obj *obj;

	if (!objs->buckets)
		return NULL;
	hlist_for_each_entry(obj, ckpt_obj_bucket(objs, ptr), node)
		if (obj->ptr == ptr && obj->type == type)
			return obj;
	return NULL;
}

/**
 * ckpt_obj_add - add an object not yet known
 * @ctx: the checkpoint.
 * @type: enum ckpt_obj_type.
 * @ptr: its address.
 * @file: a file to hold a reference on until the end, or NULL.
 *
 * The entry starts with id 0: not yet in the image.
 *
 * Return: the new entry, or NULL if out of memory.
 */
struct ckpt_obj *ckpt_obj_add(struct ckpt_ctx *ctx, u32 type, const void *ptr,
			      struct file *file)
{
	struct ckpt_objs *objs = &ctx->objs;
	struct ckpt_obj *obj;

	if (!objs->buckets) {
		objs->buckets = kvcalloc(1U << CKPT_OBJ_MIN_BITS,
					 sizeof(*objs->buckets), GFP_KERNEL);
		if (!objs->buckets)
			return NULL;
		objs->bits = CKPT_OBJ_MIN_BITS;
		INIT_LIST_HEAD(&objs->all);
	}
	obj = kzalloc(sizeof(*obj), GFP_KERNEL);
	if (!obj)
		return NULL;
	obj->ptr = ptr;
	obj->type = type;
	if (file)
		obj->file = get_file(file);
	hlist_add_head(&obj->node, ckpt_obj_bucket(objs, ptr));
	list_add_tail(&obj->list, &objs->all);
	objs->nr++;
	ckpt_obj_grow(objs);
	return obj;
}

/**
 * ckpt_obj_number - give an object the next id of its type
 * @ctx: the checkpoint.
 * @obj: an entry whose id is 0.
 *
 * Return: the id, which the caller writes in the object's record.
 */
u32 ckpt_obj_number(struct ckpt_ctx *ctx, struct ckpt_obj *obj)
{
	obj->id = ++ctx->objs.last_id[obj->type];
	return obj->id;
}

/**
 * ckpt_obj_release - drop every checkpoint object
 * @ctx: the checkpoint.
 */
void ckpt_obj_release(struct ckpt_ctx *ctx)
{
	struct ckpt_objs *objs = &ctx->objs;
	struct ckpt_obj *obj, *tmp;

	if (!objs->buckets)
		return;
	list_for_each_entry_safe(obj, tmp, &objs->all, list) {
		if (obj->type == CKPT_OBJT_UNIX)
			ckpt_unix_obj_release(obj);
		if (obj->type == CKPT_OBJT_TTY)
			ckpt_tty_obj_release(obj);
		if (obj->file)
			fput(obj->file);
		kfree(obj);
	}
	kvfree(objs->buckets);
	objs->buckets = NULL;
}

/**
 * ckpt_robj_add - record what restart made for the next id of a type
 * @ctx: the restart.
 * @type: enum ckpt_obj_type.
 * @id: the id in the image.
 * @ptr: the object, whose reference the table takes over.
 *
 * Return: 0, -EINVAL if @id is not the next id of @type (the caller keeps
 * its reference then), or -ENOMEM.
 */
int ckpt_robj_add(struct ckpt_ctx *ctx, u32 type, u32 id, void *ptr)
{
	struct ckpt_robjs *r = &ctx->robjs[type];

	if (id != r->nr + 1)
		return -EINVAL;
	if (r->nr == r->cap) {
		u32 cap = r->cap ? 2 * r->cap : 64;
		void **bigger;

		bigger = kvrealloc(r->ptr, cap * sizeof(*bigger), GFP_KERNEL);
		if (!bigger)
			return -ENOMEM;
		r->ptr = bigger;
		r->cap = cap;
	}
	r->ptr[r->nr++] = ptr;
	return 0;
}

/**
 * ckpt_robj_get - what restart made for an id
 * @ctx: the restart.
 * @type: enum ckpt_obj_type.
 * @id: the id in the image.
 *
 * Return: the object (the table keeps its reference), or NULL if the image
 * did not make one with that id before.
 */
void *ckpt_robj_get(struct ckpt_ctx *ctx, u32 type, u32 id)
{
	struct ckpt_robjs *r = &ctx->robjs[type];

	if (!id || id > r->nr)
		return NULL;
	return r->ptr[id - 1];
}

/**
 * ckpt_robj_release - drop every object restart made
 * @ctx: the restart.
 *
 * Called once every task has taken what it uses: what no task took goes
 * (a pipe end no process holds is closed).
 */
void ckpt_robj_release(struct ckpt_ctx *ctx)
{
	u32 type, i;

	for (type = 0; type < CKPT_OBJT_NR; type++) {
		struct ckpt_robjs *r = &ctx->robjs[type];

		for (i = 0; i < r->nr; i++) {
			switch (type) {
			case CKPT_OBJT_FILES:
				put_files_struct(r->ptr[i]);
				break;
			case CKPT_OBJT_FILE:
			case CKPT_OBJT_UNLINKED:
				fput(r->ptr[i]);
				break;
			case CKPT_OBJT_PIPE:
				ckpt_pipe_release(r->ptr[i]);
				break;
			case CKPT_OBJT_UNIX:
				ckpt_unix_release(r->ptr[i]);
				break;
			case CKPT_OBJT_TTY:
				ckpt_tty_release(r->ptr[i]);
				break;
			}
		}
		kvfree(r->ptr);
		r->ptr = NULL;
		r->nr = 0;
		r->cap = 0;
	}
}
