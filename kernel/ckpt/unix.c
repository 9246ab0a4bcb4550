// SPDX-License-Identifier: GPL-2.0-only
/*
 * ckpt: unix sockets.
 *
 * A unix socket is saved once, before the first open file of it (a socket
 * has exactly one), with the options a process can see and set, its
 * shutdown state and the messages queued on it.  The two sockets of a
 * connected pair are saved together, as two UNIX records, and their queues
 * after both: restart makes them again as socketpair() does, then sends
 * each queued message again from the peer, as the peer's owner would, so
 * that the kernel's own accounting (SO_SNDBUF, message boundaries,
 * credentials) holds.  Credentials a message carried are sent again in an
 * SCM_CREDENTIALS message, with the checks that sendmsg() applies to the
 * caller of restart(2): an image cannot make a message claim more than the
 * caller itself could.  The peer of a socket whose other end was closed
 * is made and closed again, so the survivor reads what was queued, then
 * end of file.
 *
 * A listening socket is saved with its name and backlog, followed by the
 * connections made through it: the accepted ones, then those still in its
 * queue in the order accept() would take them.  Restart binds it again
 * (a socket file the checkpointed container left at the path is removed
 * first, as unlink() would), listens, and makes each connection as the
 * client's connect() and the server's accept() do, so that the accepted
 * sockets share the listener's name as they did.  A socket bound to a name
 * of its own is bound again to it.
 *
 * Datagram sockets tied otherwise than in pairs form a group, saved at
 * once: a socket connected one way (a client connect()ed to a server's
 * name), the socket it is connected to, and the sockets that sent the
 * messages queued on them (by sendto(), or through a one-way connection),
 * a socket closed since included.  Restart makes and binds them all,
 * connects each as connect() does, then sends each queued message again
 * from its sender, in the order of each queue.
 *
 * Refused, with a reason: sockets of other families; a path name that is
 * not the socket file's path from the container's root (relative names,
 * renamed or removed files); accepted sockets whose listening socket is
 * not in the container; a datagram socket connected to one that is itself
 * connected, a group with a socket outside the container or in a pair, a
 * queued datagram that could not be sent again as it came (from a closed
 * socket bound to a path; to a socket without name from one not connected
 * to it); out-of-band data (MSG_OOB); descriptors in flight (SCM_RIGHTS);
 * credentials of a process outside the container or gone; a socket
 * filter; and (unless CKPT_CHECKPOINT_SUBTREE) a peer that is open outside
 * the container or in flight.
 */

#include <linux/ctype.h>
#include <linux/file.h>
#include <linux/filter.h>
#include <linux/fs_struct.h>
#include <linux/namei.h>
#include <linux/net.h>
#include <linux/pid.h>
#include <linux/security.h>
#include <linux/skbuff.h>
#include <linux/slab.h>
#include <linux/socket.h>
#include <linux/un.h>
#include <net/af_unix.h>
#include <net/sock.h>

#include "internal.h"

/**
 * struct ckpt_rsock - restart: a unix socket made from a UNIX record
 * @file: its open file, with a reference; NULL for a CLOSED socket.
 * @taken: whether a FILE record took it.
 */
struct ckpt_rsock {
	struct file *file;
	bool taken;
};

/**
 * ckpt_socket_file - is @file a socket that ckpt_check_unix() judges?
 * @file: an open file of a socket inode.
 *
 * Return: true for a socket of any family (the check names the family it
 * refuses), false otherwise.
 */
bool ckpt_socket_file(struct file *file)
{
	struct socket *sock = sock_from_file(file);

	return sock && sock->sk;
}

/* The automatic name unix_autobind() gives: "\0" and five hex digits. */
static bool ckpt_unix_autobound(const struct unix_address *addr)
{
	const char *name = addr->name->sun_path;
	int i;

	if (addr->len != offsetof(struct sockaddr_un, sun_path) + 6 || name[0])
		return false;
	for (i = 1; i < 6; i++)
		if (!isxdigit(name[i]) || isupper(name[i]))
			return false;
	return true;
}

/*
 * Whether @sk holds a name it did not bind itself: the server end of a
 * connection (accepted or pending) has its listener's address but stays
 * in the table of unbound sockets (abstract names hash above
 * UNIX_HASH_MOD) and out of the table of path names.
 */
static bool ckpt_unix_has_lsn_name(struct sock *sk)
{
	return READ_ONCE(unix_sk(sk)->addr) && sk->sk_state != TCP_LISTEN &&
	       READ_ONCE(sk->sk_hash) <= UNIX_HASH_MOD &&
	       hlist_unhashed_lockless(&sk->sk_bind_node);
}

/* The socket's own state this version cannot save, or NULL. */
static const char *ckpt_unix_refused(struct sock *sk)
{
	struct unix_sock *u = unix_sk(sk);
	const char *why = NULL;

	unix_state_lock(sk);
	if (atomic_read(&u->scm_stat.nr_fds))
		why = "descriptors in flight (SCM_RIGHTS) are not supported yet";
	else if (rcu_access_pointer(sk->sk_filter))
		why = "a socket filter (SO_ATTACH_FILTER) is not supported yet";
	else if (READ_ONCE(sk->sk_err) && READ_ONCE(sk->sk_err) != ECONNRESET)
		why = "a pending error other than ECONNRESET is not supported yet";
#if IS_ENABLED(CONFIG_AF_UNIX_OOB)
	else if (READ_ONCE(u->oob_skb))
		why = "out-of-band data (MSG_OOB) is not supported yet";
#endif
	unix_state_unlock(sk);
	return why;
}

/* The entry of @sk: found, or added with a reference on the socket. */
static struct ckpt_obj *ckpt_unix_obj(struct ckpt_ctx *ctx, struct sock *sk)
{
	struct ckpt_obj *sobj = ckpt_obj_find(ctx, CKPT_OBJT_UNIX, sk);

	if (sobj)
		return sobj;
	sobj = ckpt_obj_add(ctx, CKPT_OBJT_UNIX, sk, NULL);
	if (!sobj)
		return NULL;
	/*
	 * The sender of a queued message may be closed and released: the
	 * message keeps it (in sk_wmem_alloc, which sk_free() drops), and
	 * so does its entry, while the caller holds the message.
	 */
	if (!refcount_inc_not_zero(&sk->sk_refcnt)) {
		refcount_inc(&sk->sk_wmem_alloc);
		sobj->kind = CKPT_UNIX_K_GONE;
	}
	return sobj;
}

/**
 * ckpt_unix_obj_release - drop the reference a UNIX entry holds
 * @obj: the entry.
 */
void ckpt_unix_obj_release(struct ckpt_obj *obj)
{
	if (obj->kind == CKPT_UNIX_K_GONE)
		sk_free((struct sock *)obj->ptr);
	else
		sock_put((struct sock *)obj->ptr);
}

/**
 * struct ckpt_unix_queue - the messages queued on a socket, each held
 * @nr: their number.
 * @skbs: the messages, in order.
 * @consumed: per message, the bytes a stream reader already took.
 */
struct ckpt_unix_queue {
	u32 nr;
	struct sk_buff **skbs;
	u32 *consumed;
};

static void ckpt_unix_queue_free(struct ckpt_unix_queue *q)
{
	u32 i;

	for (i = 0; i < q->nr; i++)
		consume_skb(q->skbs[i]);
	kvfree(q->skbs);
	kvfree(q->consumed);
	q->nr = 0;
	q->skbs = NULL;
	q->consumed = NULL;
}

/*
 * Takes a reference on each message of @sk's receive queue.  The reader's
 * lock keeps what a reader consumed still while they are collected; the
 * queue's lock keeps senders off the list.
 */
static int ckpt_unix_queue(struct sock *sk, struct ckpt_unix_queue *q)
{
	struct unix_sock *u = unix_sk(sk);
	struct sk_buff *skb;
	u32 n;
	int err;

	q->nr = 0;
	err = mutex_lock_killable(&u->iolock);
	if (err)
		return err;
	n = skb_queue_len_lockless(&sk->sk_receive_queue);
	q->skbs = kvmalloc_array(n, sizeof(*q->skbs), GFP_KERNEL);
	q->consumed = kvmalloc_array(n, sizeof(*q->consumed), GFP_KERNEL);
	if (n && (!q->skbs || !q->consumed)) {
		mutex_unlock(&u->iolock);
		ckpt_unix_queue_free(q);
		return -ENOMEM;
	}
	spin_lock(&sk->sk_receive_queue.lock);
	skb_queue_walk(&sk->sk_receive_queue, skb) {
		/* Only a sender outside the container can add to it now. */
		if (q->nr == n)
			break;
		q->consumed[q->nr] = UNIXCB(skb).consumed;
		q->skbs[q->nr++] = skb_get(skb);
	}
	spin_unlock(&sk->sk_receive_queue.lock);
	mutex_unlock(&u->iolock);
	return 0;
}

/* A queued message this version cannot save, or NULL; its credentials. */
static const char *ckpt_unix_skb_refused(struct ckpt_ctx *ctx, struct sock *sk,
					 struct sk_buff *skb, u32 consumed,
					 struct ckpt_unix_skb *rec)
{
	struct pid *pid = UNIXCB(skb).pid;
	struct user_namespace *ns = current_user_ns();

	*rec = (struct ckpt_unix_skb) { };
	if (UNIXCB(skb).fp)
		return "descriptors in flight (SCM_RIGHTS) are not supported yet";
	/* A datagram's sender: see ckpt_unix_check_dgram(). */
	if (sk->sk_type != SOCK_DGRAM && skb->sk != unix_peer(sk))
		return "a queued message from a socket other than the peer";
	if (consumed > skb->len || skb->len - consumed > CKPT_UNIX_MSG_MAX)
		return "a queued message of more than 4 MiB is not supported";
	rec->len = skb->len - consumed;
	if (!pid)
		return NULL;
	rec->flags = CKPT_UNIX_SKB_CREDS;
	rec->pid = pid_nr_ns(pid, ctx->pidns);
	rec->uid = from_kuid_munged(ns, UNIXCB(skb).uid);
	rec->gid = from_kgid_munged(ns, UNIXCB(skb).gid);
	if (!rec->pid)
		return "credentials of a process outside the container are not supported";
	if (!pid_has_task(pid, PIDTYPE_PID))
		return "credentials of a process that exited are not supported";
	return NULL;
}

/* Checks the queue of @sobj's socket. */
static int ckpt_unix_check_queue(struct ckpt_ctx *ctx, struct task_struct *t,
				 unsigned int fd, struct sock *sk)
{
	struct ckpt_unix_queue q;
	struct ckpt_unix_skb rec;
	const char *why = NULL;
	u32 i;
	int err;

	err = ckpt_unix_queue(sk, &q);
	if (err)
		return err;
	for (i = 0; !why && i < q.nr; i++)
		why = ckpt_unix_skb_refused(ctx, sk, q.skbs[i], q.consumed[i],
					    &rec);
	ckpt_unix_queue_free(&q);
	if (why)
		return ckpt_task_err(ctx, t, -EOPNOTSUPP,
				     "fd %u: %s", fd, why);
	return 0;
}

/*
 * A socket bound to a path is bound again by the name it was given, from
 * the container's root: that name must be the socket file's path there.
 */
static int ckpt_unix_check_name(struct ckpt_ctx *ctx, struct task_struct *t,
				unsigned int fd, struct sock *sk)
{
	struct unix_sock *u = unix_sk(sk);
	/* As unix_getname(): pairs with the release in unix_bind(). */
	struct unix_address *addr = smp_load_acquire(&u->addr);
	char *buf, *path;
	int err = 0;

	if (!addr || !u->path.dentry || ckpt_unix_has_lsn_name(sk))
		return 0;
	buf = __getname();
	if (!buf)
		return -ENOMEM;
	path = ckpt_path(&u->path, buf, PATH_MAX);
	if (IS_ERR(path))
		err = ckpt_task_err(ctx, t, -EOPNOTSUPP,
				    "fd %u: the file of its unix socket (bound to %.108s) was removed or is out of the container's reach",
				    fd, addr->name->sun_path);
	else if (strncmp(path, addr->name->sun_path, UNIX_PATH_MAX) ||
		 strlen(path) > UNIX_PATH_MAX)
		err = ckpt_task_err(ctx, t, -EOPNOTSUPP,
				    "fd %u: a unix socket bound to %.108s, a name other than its path %s from the container's root (relative name, chroot or renamed file), is not supported yet",
				    fd, addr->name->sun_path, path);
	__putname(buf);
	return err;
}

/*
 * Takes a reference on the server end of each connection waiting in
 * listening socket @sk's queue, in order, at most @max of them, into
 * @conn; sets *@n to how many.  Return: whether the queue holds more.
 */
static bool ckpt_unix_conns(struct sock *sk, struct sock **conn, u32 max,
			    u32 *n)
{
	struct sk_buff *skb;
	bool more = false;

	*n = 0;
	spin_lock(&sk->sk_receive_queue.lock);
	skb_queue_walk(&sk->sk_receive_queue, skb) {
		if (*n == max) {
			more = true;
			break;
		}
		conn[*n] = skb->sk;
		sock_hold(conn[(*n)++]);
	}
	spin_unlock(&sk->sk_receive_queue.lock);
	return more;
}

/*
 * The connections in the queue of a listening socket: their server ends
 * (not yet accepted) and their clients get entries, linked as peers, each
 * server end to the listener.
 */
static int ckpt_unix_check_listener(struct ckpt_ctx *ctx,
				    struct task_struct *t, unsigned int fd,
				    struct ckpt_obj *lobj)
{
	struct sock *sk = (void *)lobj->ptr, **conn;
	struct ckpt_obj *aobj, *eobj, *cobj;
	const char *why;
	u32 i, n, max;
	int err = 0;

	/* The address is only a key: it is not read. */
	aobj = ckpt_obj_add(ctx, CKPT_OBJT_UNIX_ADDR,
			    READ_ONCE(unix_sk(sk)->addr), NULL);
	if (!aobj)
		return -ENOMEM;
	aobj->sock = lobj;
	lobj->kind = CKPT_UNIX_K_LISTEN;

	max = skb_queue_len_lockless(&sk->sk_receive_queue);
	conn = kvmalloc_array(max, sizeof(*conn), GFP_KERNEL);
	if (max && !conn)
		return -ENOMEM;
	/*
	 * Only a client outside the container can add to it now: the write
	 * finds it (EBUSY).
	 */
	ckpt_unix_conns(sk, conn, max, &n);
	lobj->ends[1] = n;

	for (i = 0; !err && i < n; i++) {
		struct sock *peer;

		why = ckpt_unix_refused(conn[i]);
		if (why) {
			err = ckpt_task_err(ctx, t, -EOPNOTSUPP,
					    "fd %u: a connection waiting on its listening socket: %s",
					    fd, why);
			break;
		}
		err = ckpt_unix_check_queue(ctx, t, fd, conn[i]);
		if (err)
			break;
		eobj = ckpt_unix_obj(ctx, conn[i]);
		if (!eobj) {
			err = -ENOMEM;
			break;
		}
		eobj->kind = CKPT_UNIX_K_PENDING;
		eobj->lsn = lobj;
		unix_state_lock(conn[i]);
		peer = unix_peer(conn[i]);
		if (peer)
			sock_hold(peer);
		unix_state_unlock(conn[i]);
		if (!peer)
			continue;
		cobj = ckpt_unix_obj(ctx, peer);
		sock_put(peer);
		if (!cobj) {
			err = -ENOMEM;
			break;
		}
		eobj->sock = cobj;
		cobj->sock = eobj;
	}
	for (i = 0; i < n; i++)
		sock_put(conn[i]);
	kvfree(conn);
	return err;
}

/* Puts the groups of @a and @b together: the smaller one joins. */
static void ckpt_unix_join(struct ckpt_obj *a, struct ckpt_obj *b)
{
	struct ckpt_obj *ga = a->grp, *gb = b->grp, *o, *last = NULL;

	if (!ga) {
		a->grp = a;
		a->gsize = 1;
		ga = a;
	}
	if (!gb) {
		b->grp = b;
		b->gsize = 1;
		gb = b;
	}
	if (ga == gb)
		return;
	if (ga->gsize < gb->gsize)
		swap(ga, gb);
	for (o = gb; o; o = o->gnext) {
		o->grp = ga;
		last = o;
	}
	last->gnext = ga->gnext;
	ga->gnext = gb;
	ga->gsize += gb->gsize;
	gb->gsize = 0;
}

/*
 * The entry of a socket tied to @sobj's in a group (its peer, or the
 * sender of a message): named after @sobj's task and fd for messages
 * until its own open file is found.
 */
static struct ckpt_obj *ckpt_unix_tie(struct ckpt_ctx *ctx,
				      struct ckpt_obj *sobj, struct sock *sk)
{
	struct ckpt_obj *obj = ckpt_unix_obj(ctx, sk);

	if (!obj)
		return NULL;
	if (!obj->ends[0] && !obj->pid) {
		obj->pid = sobj->pid;
		obj->fd = sobj->fd;
	}
	ckpt_unix_join(sobj, obj);
	return obj;
}

/* Whether a datagram from @from to @to can be sent again as it came. */
static const char *ckpt_unix_dgram_route(struct sock *to, struct sock *from)
{
	struct unix_address *addr = READ_ONCE(unix_sk(from)->addr);
	struct sock *peer = READ_ONCE(unix_peer(to));

	if (sock_flag(from, SOCK_DEAD) && addr && addr->name->sun_path[0])
		return "a queued datagram from a closed socket bound to a path is not supported";
	/* Through its connection; or by name, as sendto() may. */
	if (READ_ONCE(unix_peer(from)) == to)
		return NULL;
	if (!READ_ONCE(unix_sk(to)->addr))
		return "a queued datagram from an unconnected sender, and no name to resend it to";
	if (peer && peer != from)
		return "a queued datagram from other than the socket it is now connected to";
	return NULL;
}

/*
 * A datagram socket's ties other than a pair: the socket it is connected
 * to one way (@peer, held, or NULL), and the senders of its messages.
 */
static int ckpt_unix_check_dgram(struct ckpt_ctx *ctx, struct task_struct *t,
				 unsigned int fd, struct ckpt_obj *sobj,
				 struct sock *peer)
{
	struct sock *sk = (void *)sobj->ptr;
	struct ckpt_unix_queue q;
	const char *why = NULL;
	u32 i;
	int err;

	if (peer) {
		if (READ_ONCE(unix_peer(peer)))
			return ckpt_task_err(ctx, t, -EOPNOTSUPP,
					     "fd %u: a datagram socket connected to a socket that is itself connected to another is not supported yet",
					     fd);
		/* Restart connects to it by name. */
		if (!READ_ONCE(unix_sk(peer)->addr))
			return ckpt_task_err(ctx, t, -EOPNOTSUPP,
					     "fd %u: a datagram socket connected to a socket without name (its peer disconnected) is not supported yet",
					     fd);
		sobj->to = ckpt_unix_tie(ctx, sobj, peer);
		if (!sobj->to)
			return -ENOMEM;
		/* Messages from it come by name. */
	}
	err = ckpt_unix_queue(sk, &q);
	if (err)
		return err;
	for (i = 0; !why && !err && i < q.nr; i++) {
		struct sock *from = q.skbs[i]->sk;

		/* A pair's: sent again by the peer. */
		if (from == unix_peer(sk) && !peer)
			continue;
		why = from == sk ?
		      "a queued datagram it sent itself is not supported yet" :
		      ckpt_unix_dgram_route(sk, from);
		if (!why && !ckpt_unix_tie(ctx, sobj, from))
			err = -ENOMEM;
	}
	ckpt_unix_queue_free(&q);
	if (why)
		err = ckpt_task_err(ctx, t, -EOPNOTSUPP, "fd %u: %s", fd, why);
	return err;
}

/**
 * ckpt_check_unix - check an open file of a socket, and find its peer
 * @ctx: the checkpoint.
 * @t: a task that has it open, for messages.
 * @fd: its descriptor there.
 * @fobj: the open file's new entry.
 *
 * Return: 0, -EOPNOTSUPP with a reason, or a negative errno.
 */
int ckpt_check_unix(struct ckpt_ctx *ctx, struct task_struct *t,
		    unsigned int fd, struct ckpt_obj *fobj)
{
	struct sock *sk = sock_from_file(fobj->file)->sk;
	struct ckpt_obj *sobj, *pobj;
	struct sock *peer;
	const char *why;
	int err = 0;

	if (sk->sk_family != AF_UNIX)
		return ckpt_task_err(ctx, t, -EOPNOTSUPP,
				     "fd %u: a socket of family %u is not supported yet",
				     fd, sk->sk_family);
	why = ckpt_unix_refused(sk);
	if (why)
		return ckpt_task_err(ctx, t, -EOPNOTSUPP,
				     "fd %u: %s", fd, why);
	/* A listener's queue holds connections: see below. */
	if (READ_ONCE(sk->sk_state) != TCP_LISTEN)
		err = ckpt_unix_check_queue(ctx, t, fd, sk);
	if (!err)
		err = ckpt_unix_check_name(ctx, t, fd, sk);
	if (err)
		return err;

	sobj = ckpt_unix_obj(ctx, sk);
	if (!sobj)
		return -ENOMEM;
	if (sobj->ends[0]++)
		return ckpt_task_err(ctx, t, -EOPNOTSUPP,
				     "fd %u: a second open file of a unix socket is not supported",
				     fd);
	sobj->pid = task_pid_nr_ns(t, ctx->pidns);
	sobj->fd = fd;
	fobj->sock = sobj;
	if (READ_ONCE(sk->sk_state) == TCP_LISTEN)
		return ckpt_unix_check_listener(ctx, t, fd, sobj);
	if (ckpt_unix_has_lsn_name(sk))
		sobj->kind = CKPT_UNIX_K_ACCEPTED;

	unix_state_lock(sk);
	peer = unix_peer(sk);
	if (peer)
		sock_hold(peer);
	unix_state_unlock(sk);
	if (sk->sk_type == SOCK_DGRAM) {
		/* A peer closed since is a pair's, made and closed again. */
		bool oneway = peer && !sock_flag(peer, SOCK_DEAD) &&
			      READ_ONCE(unix_peer(peer)) != sk;

		err = ckpt_unix_check_dgram(ctx, t, fd, sobj,
					    oneway ? peer : NULL);
		if (err || oneway) {
			if (peer)
				sock_put(peer);
			return err;
		}
	}
	if (!peer)
		return 0;
	pobj = ckpt_unix_obj(ctx, peer);
	sock_put(peer);
	if (!pobj)
		return -ENOMEM;
	sobj->sock = pobj;
	pobj->sock = sobj;
	return 0;
}

/*
 * Every socket of a group is open in the container, or closed (a sender
 * of queued messages), and in no pair.
 */
static int ckpt_check_unix_groups(struct ckpt_ctx *ctx)
{
	struct ckpt_obj *sobj;

	list_for_each_entry(sobj, &ctx->objs.all, list) {
		struct sock *sk = (void *)sobj->ptr;

		if (sobj->type != CKPT_OBJT_UNIX || !sobj->grp)
			continue;
		if (sobj->grp == sobj && sobj->gsize > CKPT_UNIX_GROUP_MAX)
			return ckpt_err(ctx, -EOPNOTSUPP,
					"task %d: fd %u: its datagram socket is tied to %u others: more than %u are not supported",
					sobj->pid, sobj->fd, sobj->gsize - 1,
					CKPT_UNIX_GROUP_MAX - 1);
		if (sobj->sock)
			return ckpt_err(ctx, -EOPNOTSUPP,
					"task %d: fd %u: a datagram socket of a connected pair that is also tied to a third (connected to it, or sent messages queued there) is not supported yet",
					sobj->pid, sobj->fd);
		if (!sobj->ends[0] && !sock_flag(sk, SOCK_DEAD))
			return ckpt_err(ctx, -EBUSY,
					"task %d: fd %u: its datagram socket is connected to a socket open outside the container or in flight, or holds messages from one (leak)",
					sobj->pid, sobj->fd);
	}
	return 0;
}

/**
 * ckpt_check_unix_peers - check that the container holds the peer of
 * every connected socket it holds
 * @ctx: the checkpoint, with every open file found.
 *
 * A peer open outside the container, or in flight, would be lost: the
 * socket would come back connected to a closed end.
 *
 * Return: 0, or -EBUSY with a reason.
 */
int ckpt_check_unix_peers(struct ckpt_ctx *ctx)
{
	struct ckpt_obj *sobj, *aobj;
	int err;

	if (!ctx->objs.buckets)
		return 0;
	/* Each accepted socket to the listening socket it came from. */
	list_for_each_entry(sobj, &ctx->objs.all, list) {
		struct sock *sk = (void *)sobj->ptr;

		if (sobj->type != CKPT_OBJT_UNIX ||
		    sobj->kind != CKPT_UNIX_K_ACCEPTED)
			continue;
		/* Its listener's address, shared: a key, not read. */
		aobj = ckpt_obj_find(ctx, CKPT_OBJT_UNIX_ADDR,
				     READ_ONCE(unix_sk(sk)->addr));
		if (!aobj || !sobj->sock)
			return ckpt_err(ctx, -EOPNOTSUPP,
					"task %d: fd %u: an accepted unix socket whose listening socket is not open in the container is not supported yet",
					sobj->pid, sobj->fd);
		sobj->lsn = aobj->sock;
		sobj->lnext = aobj->sock->lnext;
		aobj->sock->lnext = sobj;
	}
	err = ckpt_check_unix_groups(ctx);
	if (err || ctx->flags & CKPT_CHECKPOINT_SUBTREE)
		return err;
	list_for_each_entry(sobj, &ctx->objs.all, list) {
		struct ckpt_obj *pobj = sobj->sock;

		if (sobj->type != CKPT_OBJT_UNIX || !pobj || pobj->ends[0] ||
		    sock_flag((struct sock *)pobj->ptr, SOCK_DEAD))
			continue;
		if (sobj->kind == CKPT_UNIX_K_PENDING)
			return ckpt_err(ctx, -EBUSY,
					"task %d: fd %u: a connection from a socket open outside the container or in flight waits on its listening socket (leak; CKPT_CHECKPOINT_SUBTREE saves it anyway, closed)",
					sobj->lsn->pid, sobj->lsn->fd);
		if (!sobj->ends[0] || pobj->kind == CKPT_UNIX_K_PENDING)
			continue;
		return ckpt_err(ctx, -EBUSY,
				"task %d: fd %u: the peer of its unix socket is open outside the container, in flight or not yet accepted by a socket of the container (leak; CKPT_CHECKPOINT_SUBTREE saves it anyway, closed)",
				sobj->pid, sobj->fd);
	}
	return 0;
}

static u64 ckpt_unix_timeo(long timeo)
{
	if (timeo == MAX_SCHEDULE_TIMEOUT)
		return 0;
	return jiffies_to_nsecs(timeo);
}

/**
 * struct ckpt_unix_out - checkpoint: a UNIX record and its name
 * @rec: the record.
 * @name: @rec.name_len bytes of name.
 */
struct ckpt_unix_out {
	struct ckpt_unix rec;
	char name[UNIX_PATH_MAX];
};

/* The name @sk bound itself, if any, for its record. */
static void ckpt_unix_fill_name(struct sock *sk, struct unix_address *addr,
				struct ckpt_unix_out *out)
{
	struct unix_sock *u = unix_sk(sk);
	struct ckpt_unix *rec = &out->rec;
	u32 len = addr->len - offsetof(struct sockaddr_un, sun_path);

	if (ckpt_unix_has_lsn_name(sk))
		return;
	if (ckpt_unix_autobound(addr)) {
		rec->flags |= CKPT_UNIX_AUTOBIND;
		return;
	}
	if (u->path.dentry) {
		struct inode *inode = d_inode(u->path.dentry);

		/* A path: the bytes before its NUL (checked at the walk). */
		len = strnlen(addr->name->sun_path, min_t(u32, len, UNIX_PATH_MAX));
		rec->ino = inode->i_ino;
		rec->mode = inode->i_mode & 07777;
	}
	rec->name_len = min_t(u32, len, UNIX_PATH_MAX);
	memcpy(out->name, addr->name->sun_path, rec->name_len);
}

/* The UNIX record of @sobj's socket, without ids. */
static void ckpt_unix_fill(struct sock *sk, struct ckpt_unix_out *out)
{
	struct ckpt_unix *rec = &out->rec;
	struct socket *sock = READ_ONCE(sk->sk_socket);
	struct unix_sock *u = unix_sk(sk);
	struct unix_address *addr;

	*out = (struct ckpt_unix_out) { .rec.type = sk->sk_type };
	rec->shutdown = READ_ONCE(sk->sk_shutdown) &
			(CKPT_UNIX_SHUT_RD | CKPT_UNIX_SHUT_WR);
	/* Checked for an open socket; a closed peer's does not matter. */
	rec->err = READ_ONCE(sk->sk_err) == ECONNRESET ? ECONNRESET : 0;
	rec->sndbuf = READ_ONCE(sk->sk_sndbuf);
	rec->rcvbuf = READ_ONCE(sk->sk_rcvbuf);
	rec->peek_off = READ_ONCE(sk->sk_peek_off);
	if (rec->peek_off < -1)
		rec->peek_off = -1;
	rec->rcvlowat = max(READ_ONCE(sk->sk_rcvlowat), 1);
	rec->rcvtimeo_ns = ckpt_unix_timeo(READ_ONCE(sk->sk_rcvtimeo));
	rec->sndtimeo_ns = ckpt_unix_timeo(READ_ONCE(sk->sk_sndtimeo));
	if (sk->sk_userlocks & SOCK_SNDBUF_LOCK)
		rec->flags |= CKPT_UNIX_SNDBUF;
	if (sk->sk_userlocks & SOCK_RCVBUF_LOCK)
		rec->flags |= CKPT_UNIX_RCVBUF;
	if (sk->sk_state == TCP_LISTEN) {
		rec->flags |= CKPT_UNIX_LISTEN;
		rec->backlog = READ_ONCE(sk->sk_max_ack_backlog);
	}
	if (!sock)	/* closed, or not accepted yet: no name of its own */
		return;
	/* As unix_getname(): pairs with the release in unix_bind(). */
	addr = smp_load_acquire(&u->addr);
	if (addr)
		ckpt_unix_fill_name(sk, addr, out);
	if (test_bit(SOCK_PASSCRED, &sock->flags))
		rec->flags |= CKPT_UNIX_PASSCRED;
	if (test_bit(SOCK_PASSPIDFD, &sock->flags))
		rec->flags |= CKPT_UNIX_PASSPIDFD;
	if (test_bit(SOCK_PASSSEC, &sock->flags))
		rec->flags |= CKPT_UNIX_PASSSEC;
}

/* Writes the UNIX_SKB records of a queue snapshot. */
static int ckpt_unix_write_queue(struct ckpt_ctx *ctx, struct ckpt_obj *sobj,
				 struct ckpt_unix_queue *q)
{
	struct sock *sk = (void *)sobj->ptr;
	void *data = NULL;
	u32 i, size = 0;
	int err = 0;

	for (i = 0; !err && i < q->nr; i++) {
		struct ckpt_unix_skb rec;

		struct ckpt_obj *from = NULL;

		/* In a group, from a socket of the group; else the peer. */
		if (sobj->grp)
			from = ckpt_obj_find(ctx, CKPT_OBJT_UNIX,
					     q->skbs[i]->sk);
		if (ckpt_unix_skb_refused(ctx, sk, q->skbs[i], q->consumed[i],
					  &rec) ||
		    (sobj->grp ? !from || from->grp != sobj->grp ||
				 from == sobj || !from->id :
				 q->skbs[i]->sk != unix_peer(sk))) {
			err = ckpt_err(ctx, -EBUSY,
				       "task %d: fd %u: the queue of its unix socket changed during the checkpoint",
				       sobj->pid, sobj->fd);
			break;
		}
		if (from)
			rec.sender = from->id;
		if (rec.len > size) {
			kvfree(data);
			size = rec.len;
			data = kvmalloc(size, GFP_KERNEL);
			if (!data) {
				err = -ENOMEM;
				break;
			}
		}
		err = skb_copy_bits(q->skbs[i], q->consumed[i], data, rec.len);
		if (!err)
			err = ckpt_write_rec_tail(ctx, CKPT_REC_UNIX_SKB, &rec,
						  sizeof(rec), data, rec.len);
	}
	kvfree(data);
	return err;
}

/*
 * Writes the UNIX records of a socket and its peer, if any, and their
 * queues; @lsn is the id of the listening socket the first came from, or 0.
 * The messages are only held while the records are written: the image is
 * not written under a socket's lock (it may itself be a socket).
 */
static int ckpt_write_unix_pair(struct ckpt_ctx *ctx, struct ckpt_obj *sobj,
				struct ckpt_obj *pobj, u32 lsn)
{
	struct ckpt_obj *obj[2] = { sobj, pobj };
	struct ckpt_unix_queue q[2] = { };
	struct ckpt_unix_out *out;
	int i, n = obj[1] ? 2 : 1;
	int err = 0;

	if (sobj->id || (n == 2 && obj[1]->id))
		return ckpt_err(ctx, -EBUSY,
				"task %d: fd %u: the peer of its unix socket changed during the checkpoint",
				sobj->pid, sobj->fd);
	out = kmalloc_array(2, sizeof(*out), GFP_KERNEL);
	if (!out)
		return -ENOMEM;
	for (i = 0; i < n; i++) {
		ckpt_unix_fill((void *)obj[i]->ptr, &out[i]);
		if (obj[i]->kind == CKPT_UNIX_K_PENDING) {
			out[i].rec.flags |= CKPT_UNIX_PENDING;
		} else if (!obj[i]->ends[0]) {
			out[i].rec.flags |= CKPT_UNIX_CLOSED;
			continue;
		}
		if (n == 2)
			err = ckpt_unix_queue((void *)obj[i]->ptr, &q[i]);
		if (err)
			goto out;
		out[i].rec.nr_skbs = q[i].nr;
	}
	for (i = 0; i < n; i++)
		out[i].rec.id = ckpt_obj_number(ctx, obj[i]);
	out[0].rec.listener = lsn;
	if (n == 2) {
		out[0].rec.peer = out[1].rec.id;
		out[1].rec.peer = out[0].rec.id;
	}
	for (i = 0; !err && i < n; i++)
		err = ckpt_write_rec_tail(ctx, CKPT_REC_UNIX, &out[i].rec,
					  sizeof(out[i].rec), out[i].name,
					  out[i].rec.name_len);
	for (i = 0; !err && i < n; i++)
		err = ckpt_unix_write_queue(ctx, obj[i], &q[i]);
out:
	for (i = 0; i < n; i++)
		ckpt_unix_queue_free(&q[i]);
	kfree(out);
	return err;
}

/*
 * Writes a listening socket's record, then its connections: the accepted
 * ones, then those in its queue, in order.
 */
static int ckpt_write_unix_listener(struct ckpt_ctx *ctx,
				    struct ckpt_obj *lobj)
{
	struct sock *sk = (void *)lobj->ptr, **conn;
	struct ckpt_unix_out *out;
	struct ckpt_obj *sobj;
	u32 i, n = 0, max = lobj->ends[1];
	int err = 0;

	conn = kvmalloc_array(max, sizeof(*conn), GFP_KERNEL);
	out = kmalloc(sizeof(*out), GFP_KERNEL);
	if ((max && !conn) || !out) {
		err = -ENOMEM;
		goto out;
	}
	if (ckpt_unix_conns(sk, conn, max, &n)) {
		err = -EBUSY;
		goto changed;
	}

	ckpt_unix_fill(sk, out);
	out->rec.nr_conns = n;
	for (sobj = lobj->lnext; sobj; sobj = sobj->lnext)
		out->rec.nr_conns++;
	out->rec.id = ckpt_obj_number(ctx, lobj);
	err = ckpt_write_rec_tail(ctx, CKPT_REC_UNIX, &out->rec,
				  sizeof(out->rec), out->name,
				  out->rec.name_len);
	for (sobj = lobj->lnext; !err && sobj; sobj = sobj->lnext)
		err = ckpt_write_unix_pair(ctx, sobj, sobj->sock, lobj->id);
	for (i = 0; !err && i < n; i++) {
		sobj = ckpt_obj_find(ctx, CKPT_OBJT_UNIX, conn[i]);
		if (!sobj || sobj->lsn != lobj || !sobj->sock) {
			err = -EBUSY;
			goto changed;
		}
		err = ckpt_write_unix_pair(ctx, sobj, sobj->sock, lobj->id);
	}
	goto out;
changed:
	err = ckpt_err(ctx, err,
		       "task %d: fd %u: a connection came to its listening unix socket during the checkpoint",
		       lobj->pid, lobj->fd);
out:
	for (i = 0; i < n; i++)
		sock_put(conn[i]);
	kvfree(conn);
	kfree(out);
	return err;
}

/*
 * Writes a group: its record, the records of its sockets, then their
 * queues.  Each socket gets its id first: a record may name a socket
 * after it.
 */
static int ckpt_write_unix_group(struct ckpt_ctx *ctx, struct ckpt_obj *gobj)
{
	struct ckpt_unix_group g = { .nr_socks = gobj->gsize };
	struct ckpt_unix_queue *q;
	struct ckpt_unix_out *out;
	struct ckpt_obj *o;
	u32 i, n = gobj->gsize;
	int err = 0;

	for (o = gobj; o; o = o->gnext)
		if (o->id)
			return ckpt_err(ctx, -EBUSY,
					"task %d: fd %u: its datagram socket's ties changed during the checkpoint",
					o->pid, o->fd);
	q = kvcalloc(n, sizeof(*q), GFP_KERNEL);
	out = kmalloc(sizeof(*out), GFP_KERNEL);
	if (!q || !out) {
		err = -ENOMEM;
		goto out;
	}
	for (o = gobj; o; o = o->gnext)
		ckpt_obj_number(ctx, o);
	err = ckpt_write_rec(ctx, CKPT_REC_UNIX_GROUP, &g, sizeof(g));
	for (i = 0, o = gobj; !err && o; i++, o = o->gnext) {
		struct sock *sk = (void *)o->ptr;

		ckpt_unix_fill(sk, out);
		out->rec.id = o->id;
		if (o->ends[0]) {
			err = ckpt_unix_queue(sk, &q[i]);
			out->rec.nr_skbs = q[i].nr;
		} else {
			/* Closed: its name, as the messages it sent carry. */
			struct unix_address *addr = READ_ONCE(unix_sk(sk)->addr);

			out->rec.flags |= CKPT_UNIX_CLOSED;
			if (addr)
				ckpt_unix_fill_name(sk, addr, out);
		}
		if (o->to) {
			out->rec.flags |= CKPT_UNIX_ONEWAY;
			out->rec.peer = o->to->id;
		}
		if (!err)
			err = ckpt_write_rec_tail(ctx, CKPT_REC_UNIX, &out->rec,
						  sizeof(out->rec), out->name,
						  out->rec.name_len);
	}
	for (i = 0, o = gobj; !err && o; i++, o = o->gnext)
		err = ckpt_unix_write_queue(ctx, o, &q[i]);
out:
	for (i = 0; q && i < n; i++)
		ckpt_unix_queue_free(&q[i]);
	kvfree(q);
	kfree(out);
	return err;
}

/**
 * ckpt_write_unix - write the UNIX records of a socket and of what comes
 * with it
 * @ctx: the checkpoint.
 * @sobj: the socket's entry, not yet written.
 *
 * A connected socket comes with its peer; a listening socket with its
 * connections; the server end of a connection, or its client, with the
 * listening socket and all of its connections; a datagram socket of a
 * group with its group.
 *
 * Return: 0 or a negative errno.
 */
int ckpt_write_unix(struct ckpt_ctx *ctx, struct ckpt_obj *sobj)
{
	struct ckpt_obj *lobj = sobj->lsn;
	int err;

	if (sobj->grp)
		return ckpt_write_unix_group(ctx, sobj->grp);
	if (!lobj && sobj->sock)
		lobj = sobj->sock->lsn;
	if (sobj->kind == CKPT_UNIX_K_LISTEN)
		lobj = sobj;
	if (!lobj)
		return ckpt_write_unix_pair(ctx, sobj, sobj->sock, 0);
	err = lobj->id ? 0 : ckpt_write_unix_listener(ctx, lobj);
	if (!err && !sobj->id)
		err = ckpt_err(ctx, -EBUSY,
			       "task %d: fd %u: its unix connection changed during the checkpoint",
			       sobj->pid, sobj->fd);
	return err;
}

/**
 * ckpt_unix_release - drop a socket restart made
 * @p: its struct ckpt_rsock.
 */
void ckpt_unix_release(void *p)
{
	struct ckpt_rsock *rs = p;

	if (rs->file)
		fput(rs->file);
	kfree(rs);
}

static int ckpt_unix_setopt(struct socket *sock, int name, int val)
{
	return sock_setsockopt(sock, SOL_SOCKET, name, KERNEL_SOCKPTR(&val),
			       sizeof(val));
}

/* SO_SNDBUF or SO_RCVBUF, with the limits of setsockopt(). */
static int ckpt_unix_setbuf(struct socket *sock, bool snd, int val)
{
	int *buf = snd ? &sock->sk->sk_sndbuf : &sock->sk->sk_rcvbuf;
	int err;

	err = ckpt_unix_setopt(sock, snd ? SO_SNDBUF : SO_RCVBUF, val / 2);
	if (!err && READ_ONCE(*buf) != val)
		/* Above net.core.[wr]mem_max: CAP_NET_ADMIN may. */
		err = ckpt_unix_setopt(sock, snd ? SO_SNDBUFFORCE : SO_RCVBUFFORCE,
				       val / 2);
	if (!err && READ_ONCE(*buf) != val)
		err = -EINVAL;
	return err;
}

static int ckpt_unix_settimeo(struct socket *sock, int name, u64 ns)
{
	struct __kernel_sock_timeval tv = {
		.tv_sec = div_u64(ns, NSEC_PER_SEC),
		.tv_usec = div_u64(ns % NSEC_PER_SEC, NSEC_PER_USEC),
	};

	if (!ns)
		return 0;
	return sock_setsockopt(sock, SOL_SOCKET, name, KERNEL_SOCKPTR(&tv),
			       sizeof(tv));
}

/* What must be set before the queues are filled: the send buffers. */
static int ckpt_unix_set_buffers(struct socket *sock,
				 const struct ckpt_unix *rec)
{
	int err = 0;

	if (rec->flags & CKPT_UNIX_SNDBUF)
		err = ckpt_unix_setbuf(sock, true, rec->sndbuf);
	if (!err && rec->flags & CKPT_UNIX_RCVBUF)
		err = ckpt_unix_setbuf(sock, false, rec->rcvbuf);
	return err;
}

/*
 * What is set once the queues are full: options that would change how the
 * messages are sent again (SO_PASSCRED adds credentials), and shutdown.
 */
static int ckpt_unix_set_state(struct socket *sock,
			       const struct ckpt_unix *rec)
{
	int err = 0;

	if (rec->flags & CKPT_UNIX_PASSCRED)
		err = ckpt_unix_setopt(sock, SO_PASSCRED, 1);
	if (!err && rec->flags & CKPT_UNIX_PASSPIDFD)
		err = ckpt_unix_setopt(sock, SO_PASSPIDFD, 1);
	if (!err && rec->flags & CKPT_UNIX_PASSSEC)
		err = ckpt_unix_setopt(sock, SO_PASSSEC, 1);
	if (!err && rec->peek_off >= 0)
		err = ckpt_unix_setopt(sock, SO_PEEK_OFF, rec->peek_off);
	if (!err && rec->rcvlowat != 1)
		err = ckpt_unix_setopt(sock, SO_RCVLOWAT, rec->rcvlowat);
	if (!err)
		err = ckpt_unix_settimeo(sock, SO_RCVTIMEO_NEW, rec->rcvtimeo_ns);
	if (!err)
		err = ckpt_unix_settimeo(sock, SO_SNDTIMEO_NEW, rec->sndtimeo_ns);
	if (!err && rec->shutdown)
		/* SHUT_RD 0, SHUT_WR 1, SHUT_RDWR 2 */
		err = kernel_sock_shutdown(sock, rec->shutdown - 1);
	return err;
}

/*
 * Removes the socket file a checkpointed socket left at @name, as unlink()
 * would: only a socket file of the inode the image names.
 */
static int ckpt_unix_unlink_stale(struct ckpt_ctx *ctx,
				  const struct ckpt_unix *rec, const char *name)
{
	struct path parent;
	struct dentry *d;
	struct inode *dir;
	int err;

	d = kern_path_parent(name, &parent);
	if (IS_ERR(d))
		return PTR_ERR(d) == -ENOENT ? 0 : PTR_ERR(d);
	dir = d_inode(parent.dentry);
	err = 0;
	if (d_is_negative(d))
		goto out;
	if (!S_ISSOCK(d_inode(d)->i_mode) || d_inode(d)->i_ino != rec->ino) {
		err = ckpt_err(ctx, -EADDRINUSE,
			       "unix socket %u: %s exists and is not the socket file it was bound to (inode %llu)",
			       rec->id, name, rec->ino);
		goto out;
	}
	/* As do_unlinkat(): write access to the mount, then the lock. */
	err = mnt_want_write(parent.mnt);
	if (err)
		goto out;
	inode_lock_nested(dir, I_MUTEX_PARENT);
	if (d->d_parent != parent.dentry || d_unhashed(d))
		err = -EBUSY;	/* moved or removed meanwhile */
	if (!err)
		err = security_path_unlink(&parent, d);
	if (!err)
		err = vfs_unlink(mnt_idmap(parent.mnt), dir, d, NULL);
	inode_unlock(dir);
	mnt_drop_write(parent.mnt);
out:
	dput(d);
	path_put(&parent);
	return err;
}

/* Gives the socket file of a path name the permissions it had. */
static int ckpt_unix_chmod(struct socket *sock, umode_t mode)
{
	struct path *path = &unix_sk(sock->sk)->path;
	struct inode *inode = d_inode(path->dentry);
	struct iattr ia = { .ia_valid = ATTR_MODE | ATTR_CTIME };
	int err;

	if ((inode->i_mode & 07777) == mode)
		return 0;
	err = mnt_want_write(path->mnt);
	if (err)
		return err;
	/* As chmod_common(). */
	inode_lock(inode);
	ia.ia_mode = mode | (inode->i_mode & ~07777);
	err = security_path_chmod(path, ia.ia_mode);
	if (!err)
		err = notify_change(mnt_idmap(path->mnt), path->dentry, &ia,
				    NULL);
	inode_unlock(inode);
	mnt_drop_write(path->mnt);
	return err;
}

/*
 * Binds a socket to the name of its record: a new automatic name, an
 * abstract name, or a path from the container's root, which must be the
 * restoring task's root (paths in sun_path are resolved from it).
 */
static int ckpt_unix_bind(struct ckpt_ctx *ctx, struct socket *sock,
			  const struct ckpt_unix *rec, const char *name,
			  bool chmod_later)
{
	struct sockaddr_storage ss = { .ss_family = AF_UNIX };
	struct sockaddr_un *sun = (struct sockaddr_un *)&ss;
	int len = offsetof(struct sockaddr_un, sun_path) + rec->name_len;
	bool path = rec->name_len && name[0];
	struct path root;
	int err;

	if (rec->flags & CKPT_UNIX_AUTOBIND)
		/* An address of the family alone: a new automatic name. */
		return kernel_bind(sock, (struct sockaddr *)sun,
				   sizeof(sun->sun_family));
	if (!rec->name_len)
		return 0;
	memcpy(sun->sun_path, name, rec->name_len);
	if (path) {
		get_fs_root(current->fs, &root);
		err = path_equal(&root, &ctx->ns_root) ? 0 : -EXDEV;
		path_put(&root);
		if (err)
			return ckpt_err(ctx, err,
					"unix socket %u: cannot bind it to %s from a task whose root is not the container's",
					rec->id, sun->sun_path);
		err = ckpt_unix_unlink_stale(ctx, rec, sun->sun_path);
		if (err)
			return err == -EADDRINUSE ? err :
			       ckpt_err(ctx, err,
					"unix socket %u: cannot remove the socket file left at %s",
					rec->id, sun->sun_path);
	}
	err = kernel_bind(sock, (struct sockaddr *)sun, len);
	/* A listener's, a group's, once connections are made to it. */
	if (!err && path && !chmod_later)
		err = ckpt_unix_chmod(sock, rec->mode);
	if (err)
		return ckpt_err(ctx, err,
				"unix socket %u: cannot bind it to %s%*pE (error %d: in use?)",
				rec->id, path ? "" : "abstract name @",
				path ? rec->name_len : rec->name_len - 1,
				path ? name : name + 1, err);
	return 0;
}

/**
 * struct ckpt_unix_msg - restart: a queued message read from the image
 * @b: its UNIX_SKB record.
 * @data: its bytes.
 * @size: the size of @data.
 */
struct ckpt_unix_msg {
	struct ckpt_unix_skb b;
	void *data;
	u32 size;
};

/* Reads the next UNIX_SKB record of socket @rec's queue into @m. */
static int ckpt_unix_read_msg(struct ckpt_ctx *ctx, const struct ckpt_unix *rec,
			      struct ckpt_unix_msg *m)
{
	u32 tail;
	int err;

	err = ckpt_read_rec(ctx, CKPT_REC_UNIX_SKB, &m->b, sizeof(m->b), &tail);
	if (err)
		return err;
	if (ckpt_check_unix_skb(&m->b, tail, rec->type))
		return ckpt_err(ctx, -EINVAL, "malformed UNIX_SKB record (socket %u)",
				rec->id);
	if (m->b.len > m->size) {
		kvfree(m->data);
		m->size = 0;
		m->data = kvmalloc(m->b.len, GFP_KERNEL);
		if (!m->data)
			return -ENOMEM;
		m->size = m->b.len;
	}
	return ckpt_read_tail(ctx, m->data, m->b.len);
}

/*
 * Sends message @m to socket @rec's queue from @from: through its
 * connection (@to NULL), or to name @to of @to_len bytes.
 */
static int ckpt_unix_send_msg(struct ckpt_ctx *ctx, struct socket *from,
			      struct sockaddr_storage *to, int to_len,
			      const struct ckpt_unix *rec,
			      const struct ckpt_unix_msg *m)
{
	union {
		struct cmsghdr hdr;
		char buf[CMSG_SPACE(sizeof(struct ucred))];
	} ctl;
	struct msghdr msg = { .msg_flags = MSG_DONTWAIT | MSG_NOSIGNAL };
	const struct ckpt_unix_skb *b = &m->b;
	struct kvec vec = { .iov_base = m->data, .iov_len = b->len };
	int n;

	if (to) {
		msg.msg_name = to;
		msg.msg_namelen = to_len;
	}
	if (b->flags & CKPT_UNIX_SKB_CREDS) {
		struct ucred uc = { .pid = b->pid, .uid = b->uid, .gid = b->gid };

		memset(&ctl, 0, sizeof(ctl));
		ctl.hdr.cmsg_len = CMSG_LEN(sizeof(uc));
		ctl.hdr.cmsg_level = SOL_SOCKET;
		ctl.hdr.cmsg_type = SCM_CREDENTIALS;
		memcpy(CMSG_DATA(&ctl.hdr), &uc, sizeof(uc));
		msg.msg_control = &ctl;
		msg.msg_controllen = sizeof(ctl.buf);
	}
	n = kernel_sendmsg(from, &msg, &vec, 1, b->len);
	if (n == -EPERM || n == -ESRCH || n == -EINVAL)
		return ckpt_err(ctx, n,
				"unix socket %u: cannot queue a message with the credentials pid %d uid %u gid %u (error %d: not the caller's, and no CAP_SYS_ADMIN, CAP_SETUID, CAP_SETGID?)",
				rec->id, b->pid, b->uid, b->gid, n);
	if (n != b->len)
		return ckpt_err(ctx, n < 0 ? n : -ENOBUFS,
				"unix socket %u: cannot queue %u bytes back (error %d: SO_SNDBUF, net.core.wmem_max, net.unix.max_dgram_qlen?)",
				rec->id, b->len, n);
	return 0;
}

/* Reads the UNIX_SKB records of one queue and sends them from @from. */
static int ckpt_unix_fill_queue(struct ckpt_ctx *ctx, struct socket *from,
				const struct ckpt_unix *rec)
{
	struct ckpt_unix_msg m = { };
	u32 i;
	int err = 0;

	for (i = 0; !err && i < rec->nr_skbs; i++) {
		err = ckpt_unix_read_msg(ctx, rec, &m);
		if (!err && m.b.sender)
			err = ckpt_err(ctx, -EINVAL,
				       "malformed UNIX_SKB record (socket %u: a sender outside a group)",
				       rec->id);
		if (!err)
			err = ckpt_unix_send_msg(ctx, from, NULL, 0, rec, &m);
	}
	kvfree(m.data);
	return err;
}

/*
 * Reads a UNIX record and its name into @name (UNIX_PATH_MAX + 1 bytes,
 * NUL-terminated for a path).
 */
static int ckpt_unix_read_rec(struct ckpt_ctx *ctx, const struct ckpt_rec *hdr,
			      struct ckpt_unix *rec, char *name, u32 id)
{
	u32 tail;
	int err;

	err = ckpt_read_rec_body(ctx, hdr, rec, sizeof(*rec), &tail);
	if (err)
		return err;
	if (ckpt_check_unix_rec(rec) || rec->id != id || tail != rec->name_len)
		return ckpt_err(ctx, -EINVAL, "malformed UNIX record (socket %u)",
				rec->id);
	memset(name, 0, UNIX_PATH_MAX + 1);
	err = ckpt_read_tail(ctx, name, tail);
	if (err)
		return err;
	/* A path: from the root, no NUL; an abstract name: no file. */
	if (tail && (name[0] ? name[0] != '/' || strnlen(name, tail) != tail :
		     rec->ino || rec->mode))
		return ckpt_err(ctx, -EINVAL, "malformed UNIX record (socket %u: name)",
				rec->id);
	if (tail && name[0] && !rec->ino)
		return ckpt_err(ctx, -EINVAL, "malformed UNIX record (socket %u: name)",
				rec->id);
	return 0;
}

/**
 * struct ckpt_unix_in - restart: a UNIX record and its name
 * @rec: the record.
 * @name: its name, NUL-terminated.
 */
struct ckpt_unix_in {
	struct ckpt_unix rec;
	char name[UNIX_PATH_MAX + 1];
};

/*
 * Reads the UNIX record of socket @id and, if it has a peer, the next one:
 * the second socket of the pair.
 */
static int ckpt_unix_read_pair(struct ckpt_ctx *ctx, const struct ckpt_rec *hdr,
			       struct ckpt_unix_in *in, u32 id, int *n)
{
	struct ckpt_unix *rec = &in[0].rec;
	struct ckpt_rec next;
	int err;

	*n = 1;
	err = ckpt_unix_read_rec(ctx, hdr, rec, in[0].name, id);
	if (err)
		return err;
	if (rec->peer && rec->peer == rec->id - 1)
		return ckpt_err(ctx, -EINVAL,
				"malformed UNIX record (socket %u: a second socket of a pair alone)",
				rec->id);
	/* What only a socket of a group can be. */
	if (rec->flags & (CKPT_UNIX_ONEWAY | CKPT_UNIX_CLOSED) ||
	    (!rec->peer && rec->nr_skbs))
		return ckpt_err(ctx, -EINVAL,
				"malformed UNIX record (socket %u: connected one way, closed or with messages, alone)",
				rec->id);
	if (!rec->peer)
		return 0;
	*n = 2;
	err = ckpt_read_rec_type(ctx, &next);
	if (!err && next.type != CKPT_REC_UNIX)
		err = ckpt_err(ctx, -EINVAL,
			       "record %u where the UNIX record of socket %u was expected",
			       next.type, rec->peer);
	if (!err)
		err = ckpt_unix_read_rec(ctx, &next, &in[1].rec, in[1].name,
					 rec->peer);
	if (err)
		return err;
	if (in[1].rec.type != rec->type || in[1].rec.peer != rec->id ||
	    in[1].rec.flags & (CKPT_UNIX_LISTEN | CKPT_UNIX_PENDING |
			       CKPT_UNIX_ONEWAY))
		return ckpt_err(ctx, -EINVAL,
				"malformed UNIX record (sockets %u and %u: not a pair of one type)",
				rec->id, in[1].rec.id);
	return 0;
}

/* Makes the sockets of the records: one, or a connected pair. */
static int ckpt_unix_make(struct ckpt_ctx *ctx, const struct ckpt_unix_in *in,
			  int n, struct socket **sock)
{
	int err, i;

	for (i = 0; i < n; i++) {
		err = sock_create(AF_UNIX, in[0].rec.type, 0, &sock[i]);
		if (err) {
			if (i)
				sock_release(sock[0]);
			sock[0] = NULL;
			sock[1] = NULL;
			return ckpt_err(ctx, err, "unix socket %u: cannot make it",
					in[i].rec.id);
		}
	}
	if (n == 1)
		return 0;
	/* As socketpair(). */
	err = security_socket_socketpair(sock[0], sock[1]);
	if (!err)
		err = READ_ONCE(sock[0]->ops)->socketpair(sock[0], sock[1]);
	if (err) {
		sock_release(sock[1]);
		sock_release(sock[0]);
		sock[0] = NULL;
		sock[1] = NULL;
		return ckpt_err(ctx, err, "unix sockets %u and %u: cannot connect them",
				in[0].rec.id, in[1].rec.id);
	}
	return 0;
}

static int ckpt_unix_buffers(struct ckpt_ctx *ctx, struct socket *sock,
			     const struct ckpt_unix *rec)
{
	int err = ckpt_unix_set_buffers(sock, rec);

	if (err)
		err = ckpt_err(ctx, err,
			       "unix socket %u: cannot set SO_SNDBUF %d, SO_RCVBUF %d (net.core.[wr]mem_max, CAP_NET_ADMIN)",
			       rec->id, rec->sndbuf, rec->rcvbuf);
	return err;
}

/*
 * Sets the buffers (unless @set_buffers is false: done already), fills the
 * queues and sets the state of sockets just made; @sock[0] is NULL for a
 * connection not accepted yet, which has no state of its own.
 */
static int ckpt_unix_setup(struct ckpt_ctx *ctx, const struct ckpt_unix_in *in,
			   int n, struct socket **sock, bool set_buffers)
{
	int err = 0, i;

	for (i = 0; !err && i < n; i++)
		if (sock[i] && set_buffers)
			err = ckpt_unix_buffers(ctx, sock[i], &in[i].rec);
	/* The messages queued on each socket come from the other. */
	for (i = 0; !err && i < n; i++)
		if (sock[n - 1 - i])
			err = ckpt_unix_fill_queue(ctx, sock[n - 1 - i],
						   &in[i].rec);
	for (i = 0; !err && i < n; i++) {
		if (!sock[i] || in[i].rec.flags & CKPT_UNIX_CLOSED)
			continue;
		err = ckpt_unix_bind(ctx, sock[i], &in[i].rec, in[i].name,
				     false);
		if (err)
			break;
		err = ckpt_unix_set_state(sock[i], &in[i].rec);
		if (err)
			err = ckpt_err(ctx, err,
				       "unix socket %u: cannot set its options or shutdown state",
				       in[i].rec.id);
	}
	return err;
}

/*
 * Gives the sockets just made their open files, closes the CLOSED ones,
 * and keeps them for their FILE records; on error, closes them all.
 */
static int ckpt_unix_keep(struct ckpt_ctx *ctx, const struct ckpt_unix_in *in,
			  int n, struct socket **sock, int err)
{
	struct ckpt_rsock *rs[2] = { };
	int i;

	for (i = 0; !err && i < n; i++) {
		rs[i] = kzalloc(sizeof(*rs[i]), GFP_KERNEL);
		if (!rs[i])
			err = -ENOMEM;
	}
	for (i = 0; !err && i < n; i++) {
		if (!sock[i] || in[i].rec.flags & CKPT_UNIX_CLOSED)
			continue;
		rs[i]->file = sock_alloc_file(sock[i], 0, NULL);
		if (IS_ERR(rs[i]->file)) {
			/* sock_alloc_file() released the socket. */
			err = PTR_ERR(rs[i]->file);
			rs[i]->file = NULL;
			sock[i] = NULL;
		}
	}
	for (i = 0; i < n; i++) {
		/* Closed now: a CLOSED end, or all of them on error. */
		if (sock[i] && (!rs[i] || !rs[i]->file))
			sock_release(sock[i]);
	}
	/* Errors a close left pending, once the close is done. */
	for (i = 0; !err && i < n; i++)
		if (rs[i]->file)
			WRITE_ONCE(sock[i]->sk->sk_err, in[i].rec.err);
	for (i = 0; i < n; i++) {
		if (!err) {
			err = ckpt_robj_add(ctx, CKPT_OBJT_UNIX, in[i].rec.id,
					    rs[i]);
			if (!err)
				continue;
		}
		if (rs[i])
			ckpt_unix_release(rs[i]);
	}
	return err;
}

/* Whether the last connection in @lsn's queue is @sk. */
static bool ckpt_unix_queued_last(struct sock *lsn, struct sock *sk)
{
	struct sk_buff *skb;
	bool last;

	spin_lock(&lsn->sk_receive_queue.lock);
	skb = skb_peek_tail(&lsn->sk_receive_queue);
	last = skb && skb->sk == sk;
	spin_unlock(&lsn->sk_receive_queue.lock);
	return last;
}

/*
 * Makes a connection through listening socket @lsn: the client (@in[1])
 * connects as connect() does; an accepted server end (@in[0]) is taken as
 * accept() does, a pending one stays in the queue.
 */
static int ckpt_unix_connect(struct ckpt_ctx *ctx, struct socket *lsn,
			     const struct ckpt_unix_in *in)
{
	struct sockaddr_storage ss;
	struct socket *sock[2] = { };
	bool pending = in[0].rec.flags & CKPT_UNIX_PENDING;
	struct sock *server;
	int err, len;

	err = sock_create(AF_UNIX, in[1].rec.type, 0, &sock[1]);
	if (err)
		return ckpt_err(ctx, err, "unix socket %u: cannot make it",
				in[1].rec.id);
	err = ckpt_unix_buffers(ctx, sock[1], &in[1].rec);
	if (err)
		goto fail;
	len = kernel_getsockname(lsn, (struct sockaddr *)&ss);
	err = len < 0 ? len : kernel_connect(sock[1], (struct sockaddr *)&ss,
					     len, O_NONBLOCK);
	if (err) {
		err = ckpt_err(ctx, err,
			       "unix socket %u: cannot connect it to listening socket %u (error %d)",
			       in[1].rec.id, in[0].rec.listener, err);
		goto fail;
	}
	unix_state_lock(sock[1]->sk);
	server = unix_peer(sock[1]->sk);
	unix_state_unlock(sock[1]->sk);
	/* The name may lead elsewhere by now. */
	if (!server || !ckpt_unix_queued_last(lsn->sk, server)) {
		err = ckpt_err(ctx, -EADDRINUSE,
			       "unix socket %u: connected to another socket than listening socket %u",
			       in[1].rec.id, in[0].rec.listener);
		goto fail;
	}
	if (!pending) {
		err = kernel_accept(lsn, &sock[0], O_NONBLOCK);
		if (!err && sock[0]->sk != server)
			err = -EAGAIN;
		if (err) {
			err = ckpt_err(ctx, err,
				       "unix socket %u: cannot accept its connection on listening socket %u",
				       in[0].rec.id, in[0].rec.listener);
			goto fail;
		}
		err = ckpt_unix_buffers(ctx, sock[0], &in[0].rec);
		if (err)
			goto fail;
	} else if (in[1].rec.nr_skbs) {
		err = ckpt_err(ctx, -EINVAL,
			       "malformed UNIX record (socket %u: messages from a connection not accepted)",
			       in[1].rec.id);
		goto fail;
	}
	err = ckpt_unix_setup(ctx, in, 2, sock, false);
	return ckpt_unix_keep(ctx, in, 2, sock, err);
fail:
	if (sock[0])
		sock_release(sock[0]);
	sock_release(sock[1]);
	return err;
}

/* Makes a listening socket and its connections. */
static int ckpt_restore_unix_listener(struct ckpt_ctx *ctx,
				      struct ckpt_unix_in *in)
{
	struct ckpt_unix lsn_rec = in[0].rec;
	const struct ckpt_unix *rec = &lsn_rec;
	/* @in is reused for the connections. */
	bool path = rec->name_len && in[0].name[0];
	struct ckpt_rsock *rs;
	struct socket *lsn;
	bool pending = false;
	u32 i, id = rec->id, nr = rec->nr_conns;
	int backlog, err;

	err = sock_create(AF_UNIX, rec->type, 0, &lsn);
	if (err)
		return ckpt_err(ctx, err, "unix socket %u: cannot make it",
				rec->id);
	err = ckpt_unix_buffers(ctx, lsn, rec) ?:
	      ckpt_unix_bind(ctx, lsn, rec, in[0].name, true);
	if (err)
		goto fail;
	/* As listen(). */
	backlog = min(rec->backlog,
		      READ_ONCE(sock_net(lsn->sk)->core.sysctl_somaxconn));
	err = security_socket_listen(lsn, backlog) ?:
	      kernel_listen(lsn, backlog);
	if (err) {
		err = ckpt_err(ctx, err, "unix socket %u: cannot listen", id);
		goto fail;
	}
	rs = kzalloc(sizeof(*rs), GFP_KERNEL);
	if (!rs) {
		err = -ENOMEM;
		goto fail;
	}
	rs->file = sock_alloc_file(lsn, 0, NULL);
	if (IS_ERR(rs->file)) {
		err = PTR_ERR(rs->file);
		kfree(rs);
		return err;
	}
	err = ckpt_robj_add(ctx, CKPT_OBJT_UNIX, id, rs);
	if (err) {
		ckpt_unix_release(rs);
		return err;
	}

	for (i = 0; !err && i < nr; i++) {
		struct ckpt_rec next;
		int n;

		err = ckpt_read_rec_type(ctx, &next);
		if (!err && next.type != CKPT_REC_UNIX)
			err = ckpt_err(ctx, -EINVAL,
				       "record %u where a connection of unix socket %u was expected",
				       next.type, id);
		if (!err)
			err = ckpt_unix_read_pair(ctx, &next, in,
						  ctx->robjs[CKPT_OBJT_UNIX].nr + 1,
						  &n);
		if (err)
			break;
		/* The accepted ones first; then those in the queue. */
		if (n != 2 || in[0].rec.listener != id ||
		    (pending && !(in[0].rec.flags & CKPT_UNIX_PENDING)) ||
		    in[0].rec.type != in[1].rec.type || in[1].rec.listener ||
		    in[0].rec.type != rec->type)
			return ckpt_err(ctx, -EINVAL,
					"malformed UNIX record (socket %u: not a connection of listening socket %u)",
					in[0].rec.id, id);
		pending = in[0].rec.flags & CKPT_UNIX_PENDING;
		err = ckpt_unix_connect(ctx, rs->file->private_data, in);
	}
	if (err)
		return err;
	/*
	 * Options accept() would have passed on to the connections; the
	 * permissions of its socket file, which connect() checks.
	 */
	err = ckpt_unix_set_state(rs->file->private_data, rec);
	if (!err && path)
		err = ckpt_unix_chmod(rs->file->private_data, rec->mode);
	if (err)
		err = ckpt_err(ctx, err,
			       "unix socket %u: cannot set its options or the permissions of its file",
			       id);
	return err;
fail:
	sock_release(lsn);
	return err;
}

/**
 * ckpt_restore_unix - make the socket of a UNIX record, the pair of two,
 * or a listening socket and its connections
 * @ctx: the restart.
 * @hdr: the first record's header, already read.
 *
 * Return: 0 or a negative errno.
 */
int ckpt_restore_unix(struct ckpt_ctx *ctx, const struct ckpt_rec *hdr)
{
	struct socket *sock[2] = { };
	struct ckpt_unix_in *in;
	int err, n;

	in = kmalloc_array(2, sizeof(*in), GFP_KERNEL);
	if (!in)
		return -ENOMEM;
	err = ckpt_unix_read_pair(ctx, hdr, in,
				  ctx->robjs[CKPT_OBJT_UNIX].nr + 1, &n);
	if (err)
		goto out;
	if (in[0].rec.flags & CKPT_UNIX_LISTEN) {
		err = ckpt_restore_unix_listener(ctx, in);
		goto out;
	}
	if (in[0].rec.listener) {
		err = ckpt_err(ctx, -EINVAL,
			       "malformed UNIX record (socket %u: a connection apart from its listening socket)",
			       in[0].rec.id);
		goto out;
	}
	err = ckpt_unix_make(ctx, in, n, sock);
	if (!err)
		err = ckpt_unix_setup(ctx, in, n, sock, true);
	err = ckpt_unix_keep(ctx, in, n, sock, err);
out:
	kfree(in);
	return err;
}

/* Whether socket @rec has a name others can send to or connect to. */
static bool ckpt_unix_named(const struct ckpt_unix *rec)
{
	return rec->name_len || rec->flags & CKPT_UNIX_AUTOBIND;
}

/* Checks the @n records of a group, from id @first, together. */
static int ckpt_unix_check_group(struct ckpt_ctx *ctx,
				 const struct ckpt_unix_in *in, u32 n, u32 first)
{
	const struct ckpt_unix *rec, *to;
	u32 i;

	for (i = 0; i < n; i++) {
		rec = &in[i].rec;
		if (rec->type != SOCK_DGRAM || rec->listener ||
		    rec->flags & (CKPT_UNIX_LISTEN | CKPT_UNIX_PENDING) ||
		    (rec->peer && !(rec->flags & CKPT_UNIX_ONEWAY)))
			goto bad;
		/* A closed socket is bound again for a moment: no file. */
		if (rec->flags & CKPT_UNIX_CLOSED && in[i].name[0])
			goto bad;
		if (!(rec->flags & CKPT_UNIX_ONEWAY))
			continue;
		if (rec->peer < first || rec->peer - first >= n)
			goto bad;
		to = &in[rec->peer - first].rec;
		if (to->flags & (CKPT_UNIX_ONEWAY | CKPT_UNIX_CLOSED) ||
		    !ckpt_unix_named(to))
			goto bad;
	}
	return 0;
bad:
	return ckpt_err(ctx, -EINVAL,
			"malformed UNIX record (socket %u: not a datagram socket alone, or connected to none of its group that has a name)",
			in[i].rec.id);
}

/* Connects the sockets of a group connected one way, as connect() does. */
static int ckpt_unix_group_connect(struct ckpt_ctx *ctx,
				   const struct ckpt_unix_in *in,
				   struct socket **sock, u32 n, u32 first)
{
	struct sockaddr_storage ss;
	struct socket *to;
	int err, len;
	u32 i;

	for (i = 0; i < n; i++) {
		if (!(in[i].rec.flags & CKPT_UNIX_ONEWAY))
			continue;
		to = sock[in[i].rec.peer - first];
		len = kernel_getsockname(to, (struct sockaddr *)&ss);
		err = len < 0 ? len : kernel_connect(sock[i], (struct sockaddr *)&ss,
						     len, O_NONBLOCK);
		/* The name may lead elsewhere by now. */
		if (!err && READ_ONCE(unix_peer(sock[i]->sk)) != to->sk)
			err = -EADDRINUSE;
		if (err)
			return ckpt_err(ctx, err,
					"unix socket %u: cannot connect it to unix socket %u (error %d)",
					in[i].rec.id, in[i].rec.peer, err);
	}
	return 0;
}

/*
 * Reads the queues of a group and sends each message from its sender:
 * through its connection, or to the receiver's name.
 */
static int ckpt_unix_group_fill(struct ckpt_ctx *ctx,
				const struct ckpt_unix_in *in,
				struct socket **sock, u32 n, u32 first)
{
	struct ckpt_unix_msg m = { };
	struct sockaddr_storage ss;
	int err = 0, len = 0;
	u32 i, j;

	for (i = 0; !err && i < n; i++) {
		const struct ckpt_unix *rec = &in[i].rec;

		if (rec->nr_skbs && ckpt_unix_named(rec)) {
			len = kernel_getsockname(sock[i], (struct sockaddr *)&ss);
			if (len < 0) {
				err = len;
				break;
			}
		}
		for (j = 0; !err && j < rec->nr_skbs; j++) {
			const struct ckpt_unix *from;
			bool conn;

			err = ckpt_unix_read_msg(ctx, rec, &m);
			if (err)
				break;
			if (m.b.sender < first || m.b.sender - first >= n ||
			    m.b.sender == rec->id)
				goto bad;
			from = &in[m.b.sender - first].rec;
			conn = from->flags & CKPT_UNIX_ONEWAY &&
			       from->peer == rec->id;
			/* By name, to a socket unconnected or connected to it. */
			if (!conn && (!ckpt_unix_named(rec) ||
				      (rec->flags & CKPT_UNIX_ONEWAY &&
				       rec->peer != m.b.sender)))
				goto bad;
			err = ckpt_unix_send_msg(ctx, sock[m.b.sender - first],
						 conn ? NULL : &ss, len, rec, &m);
		}
	}
	kvfree(m.data);
	return err;
bad:
	kvfree(m.data);
	return ckpt_err(ctx, -EINVAL,
			"malformed UNIX_SKB record (socket %u: sender %u cannot send to it)",
			in[i].rec.id, m.b.sender);
}

/**
 * ckpt_restore_unix_group - make the datagram sockets of a group
 * @ctx: the restart.
 * @hdr: the header of its UNIX_GROUP record, already read.
 *
 * Makes and binds each socket, connects those connected one way, sends
 * the queued messages again from their senders, sets the options, then
 * closes the CLOSED sockets and keeps the others for their FILE records.
 *
 * Return: 0 or a negative errno.
 */
int ckpt_restore_unix_group(struct ckpt_ctx *ctx, const struct ckpt_rec *hdr)
{
	u32 first = ctx->robjs[CKPT_OBJT_UNIX].nr + 1, i, n;
	struct ckpt_unix_group g;
	struct ckpt_unix_in *in;
	struct socket **sock;
	int err;

	err = ckpt_read_rec_body(ctx, hdr, &g, sizeof(g), NULL);
	if (err)
		return err;
	if (!g.nr_socks || g.nr_socks > CKPT_UNIX_GROUP_MAX || g.pad)
		return ckpt_err(ctx, -EINVAL, "malformed UNIX_GROUP record (%u sockets)",
				g.nr_socks);
	n = g.nr_socks;
	in = kvmalloc_array(n, sizeof(*in), GFP_KERNEL);
	sock = kvcalloc(n, sizeof(*sock), GFP_KERNEL);
	if (!in || !sock) {
		err = -ENOMEM;
		goto out;
	}
	for (i = 0; !err && i < n; i++) {
		struct ckpt_rec next;

		err = ckpt_read_rec_type(ctx, &next);
		if (!err && next.type != CKPT_REC_UNIX)
			err = ckpt_err(ctx, -EINVAL,
				       "record %u where the UNIX record of socket %u was expected",
				       next.type, first + i);
		if (!err)
			err = ckpt_unix_read_rec(ctx, &next, &in[i].rec,
						 in[i].name, first + i);
	}
	if (!err)
		err = ckpt_unix_check_group(ctx, in, n, first);

	for (i = 0; !err && i < n; i++) {
		err = sock_create(AF_UNIX, SOCK_DGRAM, 0, &sock[i]);
		if (err) {
			err = ckpt_err(ctx, err, "unix socket %u: cannot make it",
				       first + i);
			break;
		}
		err = ckpt_unix_buffers(ctx, sock[i], &in[i].rec) ?:
		      ckpt_unix_bind(ctx, sock[i], &in[i].rec, in[i].name, true);
	}
	if (!err)
		err = ckpt_unix_group_connect(ctx, in, sock, n, first);
	if (!err)
		err = ckpt_unix_group_fill(ctx, in, sock, n, first);
	for (i = 0; !err && i < n; i++) {
		if (in[i].rec.flags & CKPT_UNIX_CLOSED)
			continue;
		err = ckpt_unix_set_state(sock[i], &in[i].rec);
		if (!err && in[i].name[0])
			err = ckpt_unix_chmod(sock[i], in[i].rec.mode);
		if (err)
			err = ckpt_err(ctx, err,
				       "unix socket %u: cannot set its options, shutdown state or the permissions of its file",
				       in[i].rec.id);
	}
	/* Each socket is kept, or closed (all of them on error). */
	for (i = 0; i < n; i++)
		err = ckpt_unix_keep(ctx, &in[i], 1, &sock[i], err);
out:
	kvfree(sock);
	kvfree(in);
	return err;
}

/**
 * ckpt_unix_file - the open file of a socket, for its FILE record
 * @ctx: the restart.
 * @rec: a CKPT_FILE_UNIX record, valid.
 *
 * Return: the file, with a reference for the caller, or an ERR_PTR().
 */
struct file *ckpt_unix_file(struct ckpt_ctx *ctx, const struct ckpt_file *rec)
{
	struct ckpt_rsock *rs = ckpt_robj_get(ctx, CKPT_OBJT_UNIX, rec->obj);

	if (!rs || !rs->file)
		return ERR_PTR(ckpt_err(ctx, -EINVAL,
					"file %u: unix socket %u does not exist or was closed",
					rec->id, rec->obj));
	if (rs->taken)
		return ERR_PTR(ckpt_err(ctx, -EINVAL,
					"file %u: unix socket %u is taken",
					rec->id, rec->obj));
	rs->taken = true;
	return get_file(rs->file);
}
