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
 * Refused, with a reason: sockets of other families; sockets bound to a
 * name (path or abstract) or holding one (accepted sockets); listening
 * sockets; datagram sockets connected one way; out-of-band data
 * (MSG_OOB); descriptors in flight (SCM_RIGHTS); a queued datagram from a
 * socket other than the peer; credentials of a process outside the
 * container or gone; a socket filter; and (unless CKPT_CHECKPOINT_SUBTREE)
 * a peer that is open outside the container or in flight.
 */

#include <linux/ctype.h>
#include <linux/file.h>
#include <linux/filter.h>
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

/* The socket's own state this version cannot save, or NULL. */
static const char *ckpt_unix_refused(struct sock *sk)
{
	struct unix_sock *u = unix_sk(sk);
	const char *why = NULL;

	unix_state_lock(sk);
	if (sk->sk_state == TCP_LISTEN)
		why = "a listening unix socket is not supported yet";
	else if (u->path.dentry)
		why = "a unix socket bound to a path, or accepted, is not supported yet";
	else if (u->addr && !ckpt_unix_autobound(u->addr))
		why = "a unix socket bound to an abstract name, or accepted, is not supported yet";
	else if (unix_peer(sk) && sk->sk_type == SOCK_DGRAM &&
		 READ_ONCE(unix_peer(unix_peer(sk))) != sk &&
		 !sock_flag(unix_peer(sk), SOCK_DEAD))
		why = "a datagram socket connected one way is not supported yet";
#if IS_ENABLED(CONFIG_AF_UNIX_OOB)
	else if (READ_ONCE(u->oob_skb))
		why = "out-of-band data (MSG_OOB) is not supported yet";
#endif
	else if (atomic_read(&u->scm_stat.nr_fds))
		why = "descriptors in flight (SCM_RIGHTS) are not supported yet";
	else if (rcu_access_pointer(sk->sk_filter))
		why = "a socket filter (SO_ATTACH_FILTER) is not supported yet";
	else if (READ_ONCE(sk->sk_err) && READ_ONCE(sk->sk_err) != ECONNRESET)
		why = "a pending error other than ECONNRESET is not supported yet";
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
	if (sobj)
		sock_hold(sk);
	return sobj;
}

/**
 * ckpt_unix_obj_release - drop the reference a UNIX entry holds
 * @obj: the entry.
 */
void ckpt_unix_obj_release(struct ckpt_obj *obj)
{
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
	if (skb->sk != unix_peer(sk))
		return "a queued message from a socket other than the peer is not supported yet";
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
	int err;

	if (sk->sk_family != AF_UNIX)
		return ckpt_task_err(ctx, t, -EOPNOTSUPP,
				     "fd %u: a socket of family %u is not supported yet",
				     fd, sk->sk_family);
	why = ckpt_unix_refused(sk);
	if (why)
		return ckpt_task_err(ctx, t, -EOPNOTSUPP,
				     "fd %u: %s", fd, why);
	err = ckpt_unix_check_queue(ctx, t, fd, sk);
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

	unix_state_lock(sk);
	peer = unix_peer(sk);
	if (peer)
		sock_hold(peer);
	unix_state_unlock(sk);
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
	struct ckpt_obj *sobj;

	if (ctx->flags & CKPT_CHECKPOINT_SUBTREE || !ctx->objs.buckets)
		return 0;
	list_for_each_entry(sobj, &ctx->objs.all, list) {
		struct ckpt_obj *pobj = sobj->sock;

		if (sobj->type != CKPT_OBJT_UNIX || !sobj->ends[0] || !pobj ||
		    pobj->ends[0] || sock_flag((struct sock *)pobj->ptr, SOCK_DEAD))
			continue;
		return ckpt_err(ctx, -EBUSY,
				"task %d: fd %u: the peer of its unix socket is open outside the container, in flight or not yet accepted (leak; CKPT_CHECKPOINT_SUBTREE saves it anyway, closed)",
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

/* The UNIX record of @sobj's socket, without ids. */
static void ckpt_unix_fill(struct sock *sk, struct ckpt_unix *rec)
{
	struct socket *sock = READ_ONCE(sk->sk_socket);
	struct unix_sock *u = unix_sk(sk);
	struct unix_address *addr;

	*rec = (struct ckpt_unix) { .type = sk->sk_type };
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
	/* As unix_getname(): pairs with the release in unix_bind(). */
	addr = smp_load_acquire(&u->addr);
	/* Any other name is refused (or is a closed peer's). */
	if (addr && ckpt_unix_autobound(addr))
		rec->flags |= CKPT_UNIX_AUTOBIND;
	if (!sock)	/* closed: sk_socket is gone */
		return;
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

		if (ckpt_unix_skb_refused(ctx, sk, q->skbs[i], q->consumed[i],
					  &rec)) {
			err = ckpt_err(ctx, -EBUSY,
				       "task %d: fd %u: the queue of its unix socket changed during the checkpoint",
				       sobj->pid, sobj->fd);
			break;
		}
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

/**
 * ckpt_write_unix - write the UNIX record of a socket, its peer's, and
 * their queues
 * @ctx: the checkpoint.
 * @sobj: the socket's entry, not yet written.
 *
 * The messages are only held while the records are written: the image is
 * not written under a socket's lock (it may itself be a socket).
 *
 * Return: 0 or a negative errno.
 */
int ckpt_write_unix(struct ckpt_ctx *ctx, struct ckpt_obj *sobj)
{
	struct ckpt_obj *obj[2] = { sobj, sobj->sock };
	struct ckpt_unix_queue q[2] = { };
	struct ckpt_unix rec[2];
	int i, n = obj[1] ? 2 : 1;
	int err = 0;

	if (n == 2 && obj[1]->id)
		return ckpt_err(ctx, -EBUSY,
				"task %d: fd %u: the peer of its unix socket changed during the checkpoint",
				sobj->pid, sobj->fd);
	for (i = 0; i < n; i++) {
		ckpt_unix_fill((void *)obj[i]->ptr, &rec[i]);
		if (!obj[i]->ends[0]) {
			rec[i].flags |= CKPT_UNIX_CLOSED;
			continue;
		}
		if (n == 2)
			err = ckpt_unix_queue((void *)obj[i]->ptr, &q[i]);
		if (err)
			goto out;
		rec[i].nr_skbs = q[i].nr;
	}
	for (i = 0; i < n; i++)
		rec[i].id = ckpt_obj_number(ctx, obj[i]);
	if (n == 2) {
		rec[0].peer = rec[1].id;
		rec[1].peer = rec[0].id;
	}
	for (i = 0; !err && i < n; i++)
		err = ckpt_write_rec(ctx, CKPT_REC_UNIX, &rec[i], sizeof(rec[i]));
	for (i = 0; !err && i < n; i++)
		err = ckpt_unix_write_queue(ctx, obj[i], &q[i]);
out:
	for (i = 0; i < n; i++)
		ckpt_unix_queue_free(&q[i]);
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
 * messages are sent again (SO_PASSCRED adds credentials), the name, and
 * shutdown.
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
	if (!err && rec->flags & CKPT_UNIX_AUTOBIND) {
		struct sockaddr_un sun = { .sun_family = AF_UNIX };

		/* An address of the family alone: a new automatic name. */
		err = kernel_bind(sock, (struct sockaddr *)&sun,
				  sizeof(sun.sun_family));
	}
	if (!err && rec->shutdown)
		/* SHUT_RD 0, SHUT_WR 1, SHUT_RDWR 2 */
		err = kernel_sock_shutdown(sock, rec->shutdown - 1);
	return err;
}

/* Reads the UNIX_SKB records of one queue and sends them from @from. */
static int ckpt_unix_fill_queue(struct ckpt_ctx *ctx, struct socket *from,
				const struct ckpt_unix *rec)
{
	union {
		struct cmsghdr hdr;
		char buf[CMSG_SPACE(sizeof(struct ucred))];
	} ctl;
	void *data = NULL;
	u32 i, tail, size = 0;
	int err = 0;

	for (i = 0; !err && i < rec->nr_skbs; i++) {
		struct msghdr msg = { .msg_flags = MSG_DONTWAIT | MSG_NOSIGNAL };
		struct ckpt_unix_skb b;
		struct kvec vec;
		int n;

		err = ckpt_read_rec(ctx, CKPT_REC_UNIX_SKB, &b, sizeof(b), &tail);
		if (err)
			break;
		if (ckpt_check_unix_skb(&b, tail, rec->type)) {
			err = ckpt_err(ctx, -EINVAL, "malformed UNIX_SKB record (socket %u)",
				       rec->id);
			break;
		}
		if (b.len > size) {
			kvfree(data);
			size = b.len;
			data = kvmalloc(size, GFP_KERNEL);
			if (!data) {
				err = -ENOMEM;
				break;
			}
		}
		err = ckpt_read_tail(ctx, data, b.len);
		if (err)
			break;
		if (b.flags & CKPT_UNIX_SKB_CREDS) {
			struct ucred uc = { .pid = b.pid, .uid = b.uid,
					    .gid = b.gid };

			memset(&ctl, 0, sizeof(ctl));
			ctl.hdr.cmsg_len = CMSG_LEN(sizeof(uc));
			ctl.hdr.cmsg_level = SOL_SOCKET;
			ctl.hdr.cmsg_type = SCM_CREDENTIALS;
			memcpy(CMSG_DATA(&ctl.hdr), &uc, sizeof(uc));
			msg.msg_control = &ctl;
			msg.msg_controllen = sizeof(ctl.buf);
		}
		vec.iov_base = data;
		vec.iov_len = b.len;
		n = kernel_sendmsg(from, &msg, &vec, 1, b.len);
		if (n == -EPERM || n == -ESRCH || n == -EINVAL)
			err = ckpt_err(ctx, n,
				       "unix socket %u: cannot queue a message with the credentials pid %d uid %u gid %u (error %d: not the caller's, and no CAP_SYS_ADMIN, CAP_SETUID, CAP_SETGID?)",
				       rec->id, b.pid, b.uid, b.gid, n);
		else if (n != b.len)
			err = ckpt_err(ctx, n < 0 ? n : -ENOBUFS,
				       "unix socket %u: cannot queue %u bytes back (error %d: SO_SNDBUF, net.core.wmem_max?)",
				       rec->id, b.len, n);
	}
	kvfree(data);
	return err;
}

static int ckpt_unix_read_rec(struct ckpt_ctx *ctx, const struct ckpt_rec *hdr,
			      struct ckpt_unix *rec, u32 id)
{
	int err;

	err = ckpt_read_rec_body(ctx, hdr, rec, sizeof(*rec), NULL);
	if (err)
		return err;
	if (ckpt_check_unix_rec(rec) || rec->id != id)
		return ckpt_err(ctx, -EINVAL, "malformed UNIX record (socket %u)",
				rec->id);
	return 0;
}

/* Makes the sockets of the records: one, or a connected pair. */
static int ckpt_unix_make(struct ckpt_ctx *ctx, const struct ckpt_unix *rec,
			  int n, struct socket **sock)
{
	int err, i;

	for (i = 0; i < n; i++) {
		err = sock_create(AF_UNIX, rec[0].type, 0, &sock[i]);
		if (err) {
			if (i)
				sock_release(sock[0]);
			sock[0] = NULL;
			sock[1] = NULL;
			return ckpt_err(ctx, err, "unix socket %u: cannot make it",
					rec[i].id);
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
				rec[0].id, rec[1].id);
	}
	return 0;
}

/* Fills the queues and sets the state of sockets just made. */
static int ckpt_unix_setup(struct ckpt_ctx *ctx, const struct ckpt_unix *rec,
			   int n, struct socket **sock)
{
	int err = 0, i;

	for (i = 0; !err && i < n; i++) {
		err = ckpt_unix_set_buffers(sock[i], &rec[i]);
		if (err)
			err = ckpt_err(ctx, err,
				       "unix socket %u: cannot set SO_SNDBUF %d, SO_RCVBUF %d (net.core.[wr]mem_max, CAP_NET_ADMIN)",
				       rec[i].id, rec[i].sndbuf, rec[i].rcvbuf);
	}
	/* The messages queued on each socket come from the other. */
	for (i = 0; !err && i < n; i++)
		err = ckpt_unix_fill_queue(ctx, sock[n - 1 - i], &rec[i]);
	for (i = 0; !err && i < n; i++) {
		if (rec[i].flags & CKPT_UNIX_CLOSED)
			continue;
		err = ckpt_unix_set_state(sock[i], &rec[i]);
		if (err)
			err = ckpt_err(ctx, err,
				       "unix socket %u: cannot set its options, name or shutdown state",
				       rec[i].id);
	}
	return err;
}

/**
 * ckpt_restore_unix - make the socket of a UNIX record, or the pair of two
 * @ctx: the restart.
 * @hdr: the first record's header, already read.
 *
 * Return: 0 or a negative errno.
 */
int ckpt_restore_unix(struct ckpt_ctx *ctx, const struct ckpt_rec *hdr)
{
	struct ckpt_rsock *rs[2] = { };
	struct socket *sock[2] = { };
	struct ckpt_unix rec[2];
	struct ckpt_rec next;
	int err, i, n = 1;

	err = ckpt_unix_read_rec(ctx, hdr, &rec[0],
				 ctx->robjs[CKPT_OBJT_UNIX].nr + 1);
	if (err)
		return err;
	if (rec[0].peer == rec[0].id - 1)
		return ckpt_err(ctx, -EINVAL,
				"malformed UNIX record (socket %u: a second socket of a pair alone)",
				rec[0].id);
	if (rec[0].peer) {
		n = 2;
		err = ckpt_read_rec_type(ctx, &next);
		if (!err && next.type != CKPT_REC_UNIX)
			err = ckpt_err(ctx, -EINVAL,
				       "record %u where the UNIX record of socket %u was expected",
				       next.type, rec[0].peer);
		if (!err)
			err = ckpt_unix_read_rec(ctx, &next, &rec[1], rec[0].peer);
		if (err)
			return err;
		if (rec[1].type != rec[0].type || rec[1].peer != rec[0].id)
			return ckpt_err(ctx, -EINVAL,
					"malformed UNIX record (sockets %u and %u: not a pair of one type)",
					rec[0].id, rec[1].id);
	}
	for (i = 0; i < n; i++) {
		rs[i] = kzalloc(sizeof(*rs[i]), GFP_KERNEL);
		if (!rs[i]) {
			kfree(rs[0]);
			return -ENOMEM;
		}
	}
	err = ckpt_unix_make(ctx, rec, n, sock);
	if (!err)
		err = ckpt_unix_setup(ctx, rec, n, sock);
	for (i = 0; !err && i < n; i++) {
		if (rec[i].flags & CKPT_UNIX_CLOSED)
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
		if (sock[i] && !rs[i]->file)
			sock_release(sock[i]);
	}
	/* Errors a close left pending, once the close is done. */
	for (i = 0; !err && i < n; i++)
		if (rs[i]->file)
			WRITE_ONCE(sock[i]->sk->sk_err, rec[i].err);
	for (i = 0; i < n; i++) {
		if (!err) {
			err = ckpt_robj_add(ctx, CKPT_OBJT_UNIX, rec[i].id, rs[i]);
			if (!err)
				continue;
		}
		ckpt_unix_release(rs[i]);
	}
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
