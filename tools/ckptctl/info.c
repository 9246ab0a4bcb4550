// SPDX-License-Identifier: GPL-2.0
/*
 * ckptctl info: describe an image for people (text) and scripts (JSON).
 *
 * Both outputs are callbacks of the decoder in image.c, so they only ever
 * see records that passed validation, and stream: nothing but the current
 * record is kept, whatever the image's size.
 *
 * JSON conventions: addresses, masks and checksums are strings "0x...",
 * counts, sizes, ids and times are numbers, names are strings.  Every key
 * of a record is always present; "error" only for an invalid image.
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <linux/capability.h>

#include "ckptctl.h"

#define K_O_LARGEFILE	0100000

static const char *const sig_names[32] = {
	NULL, "HUP", "INT", "QUIT", "ILL", "TRAP", "ABRT", "BUS", "FPE",
	"KILL", "USR1", "SEGV", "USR2", "PIPE", "ALRM", "TERM", "STKFLT",
	"CHLD", "CONT", "STOP", "TSTP", "TTIN", "TTOU", "URG", "XCPU", "XFSZ",
	"VTALRM", "PROF", "WINCH", "IO", "PWR", "SYS",
};

static const char *const rlim_names[CKPT_RLIM_NLIMITS] = {
	"cpu", "fsize", "data", "stack", "core", "rss", "nproc", "nofile",
	"memlock", "as", "locks", "sigpending", "msgqueue", "nice", "rtprio",
	"rttime",
};

static const char *const cap_names[CAP_LAST_CAP + 1] = {
	[CAP_CHOWN] = "chown",
	[CAP_DAC_OVERRIDE] = "dac_override",
	[CAP_DAC_READ_SEARCH] = "dac_read_search",
	[CAP_FOWNER] = "fowner",
	[CAP_FSETID] = "fsetid",
	[CAP_KILL] = "kill",
	[CAP_SETGID] = "setgid",
	[CAP_SETUID] = "setuid",
	[CAP_SETPCAP] = "setpcap",
	[CAP_LINUX_IMMUTABLE] = "linux_immutable",
	[CAP_NET_BIND_SERVICE] = "net_bind_service",
	[CAP_NET_BROADCAST] = "net_broadcast",
	[CAP_NET_ADMIN] = "net_admin",
	[CAP_NET_RAW] = "net_raw",
	[CAP_IPC_LOCK] = "ipc_lock",
	[CAP_IPC_OWNER] = "ipc_owner",
	[CAP_SYS_MODULE] = "sys_module",
	[CAP_SYS_RAWIO] = "sys_rawio",
	[CAP_SYS_CHROOT] = "sys_chroot",
	[CAP_SYS_PTRACE] = "sys_ptrace",
	[CAP_SYS_PACCT] = "sys_pacct",
	[CAP_SYS_ADMIN] = "sys_admin",
	[CAP_SYS_BOOT] = "sys_boot",
	[CAP_SYS_NICE] = "sys_nice",
	[CAP_SYS_RESOURCE] = "sys_resource",
	[CAP_SYS_TIME] = "sys_time",
	[CAP_SYS_TTY_CONFIG] = "sys_tty_config",
	[CAP_MKNOD] = "mknod",
	[CAP_LEASE] = "lease",
	[CAP_AUDIT_WRITE] = "audit_write",
	[CAP_AUDIT_CONTROL] = "audit_control",
	[CAP_SETFCAP] = "setfcap",
	[CAP_MAC_OVERRIDE] = "mac_override",
	[CAP_MAC_ADMIN] = "mac_admin",
	[CAP_SYSLOG] = "syslog",
	[CAP_WAKE_ALARM] = "wake_alarm",
	[CAP_BLOCK_SUSPEND] = "block_suspend",
	[CAP_AUDIT_READ] = "audit_read",
	[CAP_PERFMON] = "perfmon",
	[CAP_BPF] = "bpf",
	[CAP_CHECKPOINT_RESTORE] = "checkpoint_restore",
};

#define CAP_ALL_MASK	((2ULL << CAP_LAST_CAP) - 1)

static const char *const vma_kinds[] = {
	[CKPT_VMA_ANON] = "anon", [CKPT_VMA_FILE] = "file",
	[CKPT_VMA_VDSO] = "vdso", [CKPT_VMA_VVAR] = "vvar",
	[CKPT_VMA_SHMEM] = "shmem", [CKPT_VMA_FILE_SHARED] = "file_shared",
	[CKPT_VMA_SYSVSHM] = "sysvshm",
};

/* CKPT_TREE_* flags, in bit order. */
static const char *const tree_flag_names[] = {
	"share_fs", NULL /* unused */, "subreaper", "session_leader",
};

/* F_SEAL_* bits, in bit order. */
static const char *const seal_names[] = {
	"seal", "shrink", "grow", "write", "future_write", "exec",
};

static const char *const file_kinds[] = {
	[CKPT_FILE_REG] = "reg", [CKPT_FILE_CHR] = "chr", [CKPT_FILE_DIR] = "dir",
	[CKPT_FILE_PIPE] = "pipe", [CKPT_FILE_SHMEM] = "shmem",
	[CKPT_FILE_FIFO] = "fifo",
	[CKPT_FILE_EVENTFD] = "eventfd", [CKPT_FILE_SIGNALFD] = "signalfd",
	[CKPT_FILE_TIMERFD] = "timerfd", [CKPT_FILE_EPOLL] = "epoll",
	[CKPT_FILE_UNIX] = "unix", [CKPT_FILE_TTY] = "tty",
	[CKPT_FILE_INOTIFY] = "inotify",
	[CKPT_FILE_UNLINKED] = "unlinked",
};

/* CKPT_VMA_* bits past read/write/exec, in bit order from bit 3. */
static const char *const vma_flag_names[] = {
	"growsdown", "dontfork", "dontdump", "wipeonfork", "hugepage",
	"nohugepage", "random", "sequential", "locked", "maywrite",
};

/* x86_64 struct user_regs_struct order, as in struct ckpt_cpu. */
enum { R_AX = 10, R_ORIG_AX = 15, R_IP = 16, R_FLAGS = 18, R_SP = 19,
	R_FS_BASE = 21, R_GS_BASE = 22 };

/* ---- a minimal JSON writer ---- */

#define JSON_DEPTH	16

struct json {
	FILE *f;
	int depth;
	char open[JSON_DEPTH];	/* '}' or ']' to close each level */
	bool first[JSON_DEPTH];
	bool flat[JSON_DEPTH];	/* an array of scalars, on one line */
};

static void j_indent(struct json *j)
{
	int i;

	fputc('\n', j->f);
	for (i = 0; i < j->depth; i++)
		fputs("  ", j->f);
}

static void j_key(struct json *j, const char *key)
{
	if (j->depth) {
		bool flat = j->flat[j->depth - 1];

		if (!j->first[j->depth - 1])
			fputs(flat ? ", " : ",", j->f);
		j->first[j->depth - 1] = false;
		if (!flat)
			j_indent(j);
	}
	if (key)
		fprintf(j->f, "\"%s\": ", key);
}

static void j_push(struct json *j, const char *key, char c, bool flat)
{
	j_key(j, key);
	fputc(c, j->f);
	if (j->depth < JSON_DEPTH) {
		j->open[j->depth] = c == '{' ? '}' : ']';
		j->first[j->depth] = true;
		j->flat[j->depth] = flat;
		j->depth++;
	}
}

static void j_open(struct json *j, const char *key, char c)
{
	j_push(j, key, c, false);
}

/* An array of strings or numbers, kept on one line. */
static void j_open_flat(struct json *j, const char *key)
{
	j_push(j, key, '[', true);
}

static void j_close(struct json *j)
{
	bool empty;

	if (!j->depth)
		return;
	j->depth--;
	empty = j->first[j->depth];
	if (!empty && !j->flat[j->depth])
		j_indent(j);
	fputc(j->open[j->depth], j->f);
}

static void j_close_to(struct json *j, int depth)
{
	while (j->depth > depth)
		j_close(j);
}

static void j_strn(struct json *j, const char *key, const char *s, size_t n)
{
	size_t i;

	j_key(j, key);
	fputc('"', j->f);
	for (i = 0; i < n && s[i]; i++) {
		unsigned char c = s[i];

		if (c == '"' || c == '\\')
			fprintf(j->f, "\\%c", c);
		else if (c < 0x20 || c == 0x7f)
			fprintf(j->f, "\\u%04x", c);
		else
			fputc(c, j->f);
	}
	fputc('"', j->f);
}

static void j_str(struct json *j, const char *key, const char *s)
{
	j_strn(j, key, s, strlen(s));
}

static void j_u64(struct json *j, const char *key, uint64_t v)
{
	j_key(j, key);
	fprintf(j->f, "%llu", (unsigned long long)v);
}

static void j_s64(struct json *j, const char *key, int64_t v)
{
	j_key(j, key);
	fprintf(j->f, "%lld", (long long)v);
}

static void j_hex(struct json *j, const char *key, uint64_t v)
{
	j_key(j, key);
	fprintf(j->f, "\"0x%llx\"", (unsigned long long)v);
}

static void j_bool(struct json *j, const char *key, bool v)
{
	j_key(j, key);
	fputs(v ? "true" : "false", j->f);
}

/* ---- shared formatting helpers ---- */

struct info {
	FILE *out;
	bool json;
	struct json j;
	const char *src;
	uint32_t page_size;
	struct ckpt_container container;
	bool fd_open;		/* JSON: an fd's object is open */
	bool in_fds;		/* JSON: in a table's list of fds */
	/* The pipe being described: its buffers so far. */
	struct ckpt_pipe pipe;
	uint64_t pipe_bytes;
	uint32_t pipe_packets;
	/*
	 * JSON: a listening socket's list of sockets is open, for its
	 * connections still to come (pairs, counted by their clients).
	 */
	bool unix_group;
	/* JSON: watches and events of the inotify instance still to come. */
	uint32_t ino_watches;
	uint32_t ino_events;
	uint32_t unix_conns;
	/*
	 * JSON: a group of datagram sockets (UNIX_GROUP) is open: its
	 * sockets still to come, then its messages.
	 */
	uint32_t dgram_socks;
	uint64_t dgram_msgs;
	int nr_handlers;
	char err[400];
	uint64_t err_off;
	bool valid;
};

static const char *sig_name(int sig, char *buf, size_t size)
{
	if (sig > 0 && sig < 32)
		snprintf(buf, size, "SIG%s", sig_names[sig]);
	else
		snprintf(buf, size, "SIG%d", sig);
	return buf;
}

static void fmt_time(uint64_t ns, char *buf, size_t size)
{
	time_t t = ns / 1000000000ULL;
	struct tm tm;

	if (!gmtime_r(&t, &tm) ||
	    !strftime(buf, size, "%Y-%m-%dT%H:%M:%S", &tm)) {
		snprintf(buf, size, "?");
		return;
	}
	snprintf(buf + strlen(buf), size - strlen(buf), ".%09lluZ",
		 (unsigned long long)(ns % 1000000000ULL));
}

static void fmt_rlim(uint64_t v, char *buf, size_t size)
{
	if (v == ~0ULL)
		snprintf(buf, size, "unlimited");
	else
		snprintf(buf, size, "%llu", (unsigned long long)v);
}

/* Print the names of the set bits of @mask, or "none". */
static void print_caps(FILE *f, uint64_t mask)
{
	const char *sep = "";
	int i;

	if (!mask) {
		fputs("none", f);
		return;
	}
	if ((mask & CAP_ALL_MASK) == CAP_ALL_MASK) {
		fputs("all", f);
		mask &= ~CAP_ALL_MASK;
		sep = ",";
	}
	for (i = 0; i < 64; i++) {
		if (!(mask & (1ULL << i)))
			continue;
		if (i <= CAP_LAST_CAP)
			fprintf(f, "%s%s", sep, cap_names[i]);
		else
			fprintf(f, "%s%d", sep, i);
		sep = ",";
	}
}

static void print_sigset(FILE *f, uint64_t mask)
{
	const char *sep = "";
	char buf[16];
	int sig;

	if (!mask) {
		fputs("none", f);
		return;
	}
	for (sig = 1; sig <= 64; sig++) {
		if (mask & (1ULL << (sig - 1))) {
			fprintf(f, "%s%s", sep, sig_name(sig, buf, sizeof(buf)));
			sep = ",";
		}
	}
}

static void j_sigset(struct json *j, const char *key, uint64_t mask)
{
	char buf[16];
	int sig;

	j_open_flat(j, key);
	for (sig = 1; sig <= 64; sig++)
		if (mask & (1ULL << (sig - 1)))
			j_str(j, NULL, sig_name(sig, buf, sizeof(buf)));
	j_close(j);
}

static void fmt_file_flags(uint32_t fl, char *buf, size_t size)
{
	static const struct { uint32_t bit; const char *name; } names[] = {
		{ O_APPEND, "append" }, { O_NONBLOCK, "nonblock" },
		{ O_NOATIME, "noatime" }, { O_DIRECT, "direct" },
		{ K_O_LARGEFILE, "largefile" },
	};
	static const char *const acc[] = { "rdonly", "wronly", "rdwr", "?" };
	size_t i, n;

	n = snprintf(buf, size, "%s", acc[fl & O_ACCMODE]);
	if ((fl & O_SYNC) == O_SYNC)
		n += snprintf(buf + n, size - n, ",sync");
	else if (fl & O_DSYNC)
		n += snprintf(buf + n, size - n, ",dsync");
	for (i = 0; i < ARRAY_SIZE(names) && n < size; i++)
		if (fl & names[i].bit)
			n += snprintf(buf + n, size - n, ",%s", names[i].name);
}

static void fmt_vma_flags(uint32_t fl, char *buf, size_t size)
{
	size_t i, n = 0;

	buf[0] = '\0';
	for (i = 0; i < ARRAY_SIZE(vma_flag_names); i++)
		if ((fl & (CKPT_VMA_GROWSDOWN << i)) && n < size)
			n += snprintf(buf + n, size - n, "%s%s", n ? "," : "",
				      vma_flag_names[i]);
}

static uint64_t vma_pages_bytes(const struct info *in, const struct ckpt_vma *v)
{
	return v->nr_pages * in->page_size;
}

/* Names of the set bits of @fl from @names, comma-separated, or "". */
static void fmt_bits(uint32_t fl, const char *const *names, size_t nr,
		     char *buf, size_t size)
{
	size_t i, n = 0;

	buf[0] = '\0';
	for (i = 0; i < 32 && n < size; i++) {
		if (!(fl & (1U << i)))
			continue;
		if (i < nr)
			n += snprintf(buf + n, size - n, "%s%s", n ? "," : "",
				      names[i]);
		else
			n += snprintf(buf + n, size - n, "%sbit%zu",
				      n ? "," : "", i);
	}
}

/* A zombie's wait() status: "exit 3", "SIGKILL", "SIGSEGV+core". */
static void fmt_exit(int32_t code, char *buf, size_t size)
{
	char sig[16];

	if (!(code & 0x7f))
		snprintf(buf, size, "exit %d", (code >> 8) & 0xff);
	else
		snprintf(buf, size, "%s%s", sig_name(code & 0x7f, sig,
			 sizeof(sig)), code & 0x80 ? "+core" : "");
}

static const char *exit_sig(int32_t sig, char *buf, size_t size)
{
	if (sig <= 0)
		return "-";
	return sig_name(sig, buf, size);
}

static void fmt_ns(uint64_t ns, char *buf, size_t size)
{
	snprintf(buf, size, "%llu.%09llus", (unsigned long long)(ns / 1000000000ULL),
		 (unsigned long long)(ns % 1000000000ULL));
}

/*
 * Records handed over by ->record (type, length and, when the decoder
 * knows the layout, the payload): their printers, by type.  One entry per
 * record type; a type without one is shown by type and length only.
 */
struct rec_printer {
	void (*text)(struct info *in, const void *payload, uint32_t len);
	void (*json)(struct info *in, const void *payload, uint32_t len);
};

static void t_perm(struct info *in, const struct ckpt_ipc_perm *p)
{
	fprintf(in->out, "    id %d key %#x mode 0%o owner %u:%u creator %u:%u\n",
		p->id, (unsigned)p->key, p->mode, p->uid, p->gid, p->cuid,
		p->cgid);
}

static void t_shm(struct info *in, const void *payload, uint32_t len)
{
	const struct ckpt_shm *s = payload;

	(void)len;
	t_perm(in, &s->perm);
	fprintf(in->out, "    size %llu, %llu saved page%s%s; atime %lld dtime %lld ctime %lld; cpid %d lpid %d\n",
		(unsigned long long)s->size, (unsigned long long)s->nr_pages,
		s->nr_pages == 1 ? "" : "s",
		s->flags & CKPT_SHM_DEST ? ", removed (SHM_DEST)" : "",
		(long long)s->atime, (long long)s->dtime, (long long)s->ctime,
		s->cpid, s->lpid);
}

static void t_msq(struct info *in, const void *payload, uint32_t len)
{
	const struct ckpt_msq *q = payload;

	(void)len;
	t_perm(in, &q->perm);
	fprintf(in->out, "    qbytes %llu, %llu message%s; stime %lld rtime %lld ctime %lld; lspid %d lrpid %d\n",
		(unsigned long long)q->qbytes, (unsigned long long)q->nr_msgs,
		q->nr_msgs == 1 ? "" : "s", (long long)q->stime,
		(long long)q->rtime, (long long)q->ctime, q->lspid, q->lrpid);
}

static void t_msg(struct info *in, const void *payload, uint32_t len)
{
	const struct ckpt_msg *m = payload;

	(void)len;
	fprintf(in->out, "      type %lld, %u bytes\n", (long long)m->type,
		m->len);
}

static void t_sem(struct info *in, const void *payload, uint32_t len)
{
	const struct ckpt_sem *s = payload;
	const struct ckpt_sem_val *v = (const void *)(s + 1);
	uint32_t i;

	(void)len;
	t_perm(in, &s->perm);
	fprintf(in->out, "    %u semaphore%s; ctime %lld; values", s->nsems,
		s->nsems == 1 ? "" : "s", (long long)s->ctime);
	for (i = 0; i < s->nsems && i < 16; i++)
		fprintf(in->out, " %d", v[i].val);
	fputs(s->nsems > 16 ? " ...\n" : "\n", in->out);
}

static void t_sem_undo(struct info *in, const void *payload, uint32_t len)
{
	const struct ckpt_sem_undo *u = payload;
	const int16_t *adj = (const void *)(u + 1);
	uint32_t i;

	(void)len;
	fprintf(in->out, "    semaphore set id %d, %u adjustment%s:", u->semid,
		u->nsems, u->nsems == 1 ? "" : "s");
	for (i = 0; i < u->nsems && i < 16; i++)
		fprintf(in->out, " %d", adj[i]);
	fputs(u->nsems > 16 ? " ...\n" : "\n", in->out);
}

static void js_perm(struct json *j, const struct ckpt_ipc_perm *p)
{
	j_s64(j, "id", p->id);
	j_hex(j, "key", (uint32_t)p->key);
	j_u64(j, "mode", p->mode);
	j_u64(j, "uid", p->uid);
	j_u64(j, "gid", p->gid);
	j_u64(j, "cuid", p->cuid);
	j_u64(j, "cgid", p->cgid);
}

static void js_shm(struct info *in, const void *payload, uint32_t len)
{
	const struct ckpt_shm *s = payload;

	(void)len;
	js_perm(&in->j, &s->perm);
	j_u64(&in->j, "size", s->size);
	j_u64(&in->j, "nr_pages", s->nr_pages);
	j_s64(&in->j, "atime", s->atime);
	j_s64(&in->j, "dtime", s->dtime);
	j_s64(&in->j, "ctime", s->ctime);
	j_s64(&in->j, "cpid", s->cpid);
	j_s64(&in->j, "lpid", s->lpid);
	j_bool(&in->j, "removed", s->flags & CKPT_SHM_DEST);
}

static void js_msq(struct info *in, const void *payload, uint32_t len)
{
	const struct ckpt_msq *q = payload;

	(void)len;
	js_perm(&in->j, &q->perm);
	j_u64(&in->j, "qbytes", q->qbytes);
	j_u64(&in->j, "nr_msgs", q->nr_msgs);
	j_s64(&in->j, "stime", q->stime);
	j_s64(&in->j, "rtime", q->rtime);
	j_s64(&in->j, "ctime", q->ctime);
	j_s64(&in->j, "lspid", q->lspid);
	j_s64(&in->j, "lrpid", q->lrpid);
}

static void js_msg(struct info *in, const void *payload, uint32_t len)
{
	const struct ckpt_msg *m = payload;

	(void)len;
	j_s64(&in->j, "msg_type", m->type);
	j_u64(&in->j, "msg_len", m->len);
}

static void js_sem(struct info *in, const void *payload, uint32_t len)
{
	const struct ckpt_sem *s = payload;
	const struct ckpt_sem_val *v = (const void *)(s + 1);
	uint32_t i;

	(void)len;
	js_perm(&in->j, &s->perm);
	j_s64(&in->j, "ctime", s->ctime);
	j_open_flat(&in->j, "values");
	for (i = 0; i < s->nsems; i++)
		j_s64(&in->j, NULL, v[i].val);
	j_close(&in->j);
}

static void js_sem_undo(struct info *in, const void *payload, uint32_t len)
{
	const struct ckpt_sem_undo *u = payload;
	const int16_t *adj = (const void *)(u + 1);
	uint32_t i;

	(void)len;
	j_s64(&in->j, "semid", u->semid);
	j_open_flat(&in->j, "adjustments");
	for (i = 0; i < u->nsems; i++)
		j_s64(&in->j, NULL, adj[i]);
	j_close(&in->j);
}

static const char *timer_clock(int32_t clock)
{
	switch (clock) {
	case CLOCK_REALTIME:
		return "realtime";
	case CLOCK_MONOTONIC:
		return "monotonic";
	case CLOCK_BOOTTIME:
		return "boottime";
	case CLOCK_TAI:
		return "tai";
	}
	return "?";
}

static const char *timer_notify(int32_t notify)
{
	switch (notify) {
	case SIGEV_SIGNAL:
		return "signal";
	case SIGEV_NONE:
		return "none";
	case SIGEV_THREAD:
		return "thread";
	case SIGEV_SIGNAL | SIGEV_THREAD_ID:
		return "thread_id";
	}
	return "?";
}

/*
 * One line: "id 2: clock monotonic, notify thread_id (tid 1) SIG36, sigval
 * 0xd0d; in 0.150000000s, every 0.200000000s; overrun 0, pending with
 * si_overrun 4"; an absolute expiry is "at <UTC time>", no interval
 * "one-shot", a zero value "disarmed".
 */
static void t_posix_timer(struct info *in, const void *payload, uint32_t len)
{
	const struct ckpt_posix_timer *t = payload;
	char sig[16], v[40], i[32];

	(void)len;
	fprintf(in->out, "    id %d: clock %s, notify %s", t->id,
		timer_clock(t->clock), timer_notify(t->notify));
	if (t->notify & SIGEV_THREAD_ID)
		fprintf(in->out, " (tid %d)", t->tid);
	if (t->notify != SIGEV_NONE)
		fprintf(in->out, " %s", sig_name(t->signo, sig, sizeof(sig)));
	fprintf(in->out, ", sigval 0x%llx; ", (unsigned long long)t->sigval);
	if (!t->value_ns) {
		fputs("disarmed", in->out);
	} else {
		if (t->flags & CKPT_TIMER_ABSTIME)
			fmt_time(t->value_ns, v, sizeof(v));
		else
			fmt_ns(t->value_ns, v, sizeof(v));
		fmt_ns(t->interval_ns, i, sizeof(i));
		fprintf(in->out, "%s %s, %s%s",
			t->flags & CKPT_TIMER_ABSTIME ? "at" : "in", v,
			t->interval_ns ? "every " : "one-shot",
			t->interval_ns ? i : "");
	}
	fprintf(in->out, "; overrun %u", t->overrun_last);
	if (t->flags & CKPT_TIMER_PENDING)
		fprintf(in->out, ", pending with si_overrun %u", t->overrun);
	fputc('\n', in->out);
}

static void js_posix_timer(struct info *in, const void *payload, uint32_t len)
{
	const struct ckpt_posix_timer *t = payload;
	struct json *j = &in->j;
	char sig[16];

	(void)len;
	j_s64(j, "id", t->id);
	j_s64(j, "clockid", t->clock);
	j_str(j, "clock", timer_clock(t->clock));
	j_s64(j, "notify", t->notify);
	j_str(j, "notify_name", timer_notify(t->notify));
	j_s64(j, "signal", t->signo);
	j_str(j, "signal_name", t->notify == SIGEV_NONE ? "" :
	      sig_name(t->signo, sig, sizeof(sig)));
	j_s64(j, "tid", t->tid);
	j_hex(j, "flags", t->flags);
	j_bool(j, "pending", t->flags & CKPT_TIMER_PENDING);
	j_bool(j, "abstime", t->flags & CKPT_TIMER_ABSTIME);
	j_hex(j, "sigval", t->sigval);
	j_u64(j, "value_ns", t->value_ns);
	j_u64(j, "interval_ns", t->interval_ns);
	j_u64(j, "overrun_last", t->overrun_last);
	j_u64(j, "overrun", t->overrun);
}

static const struct rec_printer rec_printers[CKPT_REC_MAX + 1] = {
	[CKPT_REC_POSIX_TIMER] = { t_posix_timer, js_posix_timer },
	[CKPT_REC_SHM] = { t_shm, js_shm },
	[CKPT_REC_MSQ] = { t_msq, js_msq },
	[CKPT_REC_MSG] = { t_msg, js_msg },
	[CKPT_REC_SEM] = { t_sem, js_sem },
	[CKPT_REC_SEM_UNDO] = { t_sem_undo, js_sem_undo },
};

static const char *type_name(uint32_t type)
{
	const char *name = image_rec_name(type);

	return name ? name : "?";
}

/* ---- text output ---- */

static void t_header(void *ctx, const struct ckpt_hdr *h)
{
	struct info *in = ctx;
	char when[64];

	in->page_size = h->page_size;
	fmt_time(h->time_ns, when, sizeof(when));
	fprintf(in->out, "image: ckpt format %u, x86_64, page size %u\n",
		h->version, h->page_size);
	fprintf(in->out, "  kernel:    %.64s (informational)\n", h->release);
	fprintf(in->out, "  taken:     %s\n", when);
	fprintf(in->out, "  xfeatures: 0x%llx\n", (unsigned long long)h->xfeatures);
	fprintf(in->out, "  cpuid:     1.ecx 0x%08x 1.edx 0x%08x 7.ebx 0x%08x 7.ecx 0x%08x 7.edx 0x%08x\n",
		h->cpuid_1_ecx, h->cpuid_1_edx, h->cpuid_7_ebx, h->cpuid_7_ecx,
		h->cpuid_7_edx);
}

static void ns_list(uint32_t fl, char *buf, size_t size)
{
	snprintf(buf, size, "%s%s%s%s", fl & CKPT_NS_PID ? "pid," : "",
		 fl & CKPT_NS_UTS ? "uts," : "", fl & CKPT_NS_IPC ? "ipc," : "",
		 fl & CKPT_NS_MNT ? "mnt," : "");
	if (*buf)
		buf[strlen(buf) - 1] = '\0';
}

static void t_container(void *ctx, const struct ckpt_container *c)
{
	struct info *in = ctx;
	char ns[32], mono[32], boot[32];

	in->container = *c;
	ns_list(c->ns_flags, ns, sizeof(ns));
	fprintf(in->out, "container: namespaces %s; hostname \"%s\", domainname \"%s\"; %u task%s, %u IPC object%s, %u shared memory object%s\n",
		ns, c->nodename, c->domainname, c->nr_tasks,
		c->nr_tasks == 1 ? "" : "s", c->nr_ipc,
		c->nr_ipc == 1 ? "" : "s", c->nr_shmem,
		c->nr_shmem == 1 ? "" : "s");
	fmt_ns(c->monotonic_ns, mono, sizeof(mono));
	fmt_ns(c->boottime_ns, boot, sizeof(boot));
	fprintf(in->out, "  clocks:    monotonic %s, boottime %s (the container's, at the checkpoint)\n",
		mono, boot);
}

static void t_begin(void *ctx, enum image_part part)
{
	struct info *in = ctx;

	switch (part) {
	case PART_IPC:
		if (in->container.nr_ipc)
			fputs("\nipc:\n", in->out);
		break;
	case PART_SHMEM:
		if (in->container.nr_shmem)
			fputs("\nshared memory:\n", in->out);
		break;
	case PART_MOUNTS:
		fputs("\nmounts:\n", in->out);
		break;
	default:
		break;
	}
}

static void t_finish(void *ctx, enum image_part part)
{
	(void)ctx;
	(void)part;
}

static void t_tree(void *ctx, const struct ckpt_tree *t, uint32_t index)
{
	(void)ctx;
	(void)t;
	(void)index;
}

struct pid_idx {
	int32_t pid;
	uint32_t idx;
};

static int pid_idx_cmp(const void *a, const void *b)
{
	const struct pid_idx *x = a, *y = b;

	return (x->pid > y->pid) - (x->pid < y->pid);
}

static int32_t find_idx(const struct pid_idx *map, uint32_t nr, int32_t pid)
{
	struct pid_idx key = { pid, 0 }, *hit;

	hit = bsearch(&key, map, nr, sizeof(*map), pid_idx_cmp);
	return hit ? (int32_t)hit->idx : -1;
}

static void t_tree_line(struct info *in, const struct ckpt_tree *t, int depth)
{
	char state[32], flags[96], sig[16];
	int i;

	if (t->state == CKPT_TREE_ZOMBIE) {
		strcpy(state, "zombie: ");
		fmt_exit(t->exit_code, state + 8, sizeof(state) - 8);
	} else {
		strcpy(state, "live");
	}
	fmt_bits(t->flags, tree_flag_names, ARRAY_SIZE(tree_flag_names),
		 flags, sizeof(flags));
	fprintf(in->out, "  %7d %7d %7d %7d %7d  %-18s %-9s %-26s ",
		t->pid, t->tgid, t->ppid, t->pgid, t->sid, state,
		exit_sig(t->exit_signal, sig, sizeof(sig)),
		*flags ? flags : "-");
	for (i = 1; i < depth; i++)
		fputs("    ", in->out);
	if (depth)
		fputs(" \\_ ", in->out);
	if (t->tgid != t->pid)
		fprintf(in->out, "{%d} thread of %d\n", t->pid, t->tgid);
	else
		fprintf(in->out, "%d%s\n", t->pid,
			t->state == CKPT_TREE_ZOMBIE ? " <defunct>" : "");
}

/*
 * The tree as "ps --forest" draws it: each task under the one that
 * creates it at restart (threads under their leader, processes under
 * their parent), children in the image's order.
 */
static void t_tree_end(void *ctx, const struct ckpt_tree *all, uint32_t nr)
{
	struct info *in = ctx;
	struct pid_idx *map = calloc(nr, sizeof(*map));
	int32_t *first = malloc(nr * sizeof(*first));
	int32_t *last = malloc(nr * sizeof(*last));
	int32_t *next = malloc(nr * sizeof(*next));
	uint32_t *stack = malloc(nr * sizeof(*stack));
	int *depth = malloc(nr * sizeof(*depth));
	uint32_t i, threads = 0, zombies = 0, sp = 0;

	for (i = 0; i < nr; i++) {
		threads += all[i].tgid != all[i].pid;
		zombies += all[i].state == CKPT_TREE_ZOMBIE;
	}
	fprintf(in->out, "\ntree: %u task%s: %u process%s, %u thread%s, %u zombie%s\n",
		nr, nr == 1 ? "" : "s", nr - threads,
		nr - threads == 1 ? "" : "es", threads,
		threads == 1 ? "" : "s", zombies, zombies == 1 ? "" : "s");
	fprintf(in->out, "  %7s %7s %7s %7s %7s  %-18s %-9s %-26s %s\n",
		"PID", "TGID", "PPID", "PGID", "SID", "STATE", "EXIT_SIG",
		"FLAGS", "TREE");
	if (!map || !first || !last || !next || !stack || !depth) {
		/* No memory for the forest: the records in order. */
		for (i = 0; i < nr; i++)
			t_tree_line(in, &all[i], 0);
		goto out;
	}
	for (i = 0; i < nr; i++) {
		map[i].pid = all[i].pid;
		map[i].idx = i;
		first[i] = last[i] = next[i] = -1;
	}
	qsort(map, nr, sizeof(*map), pid_idx_cmp);
	for (i = 1; i < nr; i++) {
		int32_t c = find_idx(map, nr, all[i].tgid != all[i].pid ?
				     all[i].tgid : all[i].ppid);

		if (c < 0)
			continue;	/* the decoder checked: cannot be */
		if (last[c] < 0)
			first[c] = i;
		else
			next[last[c]] = i;
		last[c] = i;
	}
	/* Depth first from init; siblings pushed last to first. */
	stack[sp++] = 0;
	depth[0] = 0;
	while (sp) {
		uint32_t k = stack[--sp], n = 0, j = 0;
		int32_t c;

		t_tree_line(in, &all[k], depth[k]);
		for (c = first[k]; c >= 0; c = next[c])
			n++;
		for (c = first[k]; c >= 0; c = next[c], j++) {
			stack[sp + n - 1 - j] = c;
			depth[c] = depth[k] + 1;
		}
		sp += n;
	}
out:
	free(map);
	free(first);
	free(last);
	free(next);
	free(stack);
	free(depth);
}

static void t_shmem(void *ctx, const struct ckpt_shmem *s, const char *name)
{
	struct info *in = ctx;
	char seals[96];

	fmt_bits(s->seals, seal_names, ARRAY_SIZE(seal_names), seals,
		 sizeof(seals));
	fprintf(in->out, "  shmem %d: %s", s->id,
		s->flags & CKPT_SHMEM_MEMFD ? "memfd" : "shared anonymous");
	if (s->flags & CKPT_SHMEM_MEMFD)
		fprintf(in->out, " \"%s\", seals %s", name, *seals ? seals : "none");
	fprintf(in->out, ", %llu bytes, %llu pages saved\n",
		(unsigned long long)s->size, (unsigned long long)s->nr_pages);
}

static void t_shmem_end(void *ctx)
{
	(void)ctx;
}

static void t_pages(void *ctx, const struct ckpt_pages *p)
{
	struct info *in = ctx;

	fprintf(in->out, "    pages at offset 0x%llx: %u (%llu bytes)\n",
		(unsigned long long)p->addr, p->nr_pages,
		(unsigned long long)p->nr_pages * in->page_size);
}

static void t_record(void *ctx, uint32_t type, uint32_t len,
		     const void *payload)
{
	struct info *in = ctx;
	const struct rec_printer *pr = &rec_printers[type];

	fprintf(in->out, "  %s%s record, %u bytes%s\n",
		type == CKPT_REC_MSG ? "  " : "", type_name(type), len,
		payload && pr->text ? ":" : " (layout not known to ckptctl)");
	if (payload && pr->text)
		pr->text(in, payload, len);
}

static void t_task(void *ctx, const struct ckpt_task *t,
		   const struct ckpt_tree *tr)
{
	struct info *in = ctx;
	char b1[16], b2[16];

	fprintf(in->out, "\n%s %d (tgid %d) \"%s\"%s\n",
		t->pid == t->tgid ? "task" : "thread", t->pid, t->tgid, t->comm,
		tr->flags & CKPT_TREE_SHARE_FS ? ", fs of its leader" : "");
	fprintf(in->out, "  task:    exit signal %s, pdeath signal %s, personality 0x%x, flags%s%s%s\n",
		t->exit_signal > 0 ? sig_name(t->exit_signal, b1, sizeof(b1)) :
		"none", t->pdeath_signal ? sig_name(t->pdeath_signal, b2,
		sizeof(b2)) : "none", t->personality,
		t->flags & CKPT_TASK_DUMPABLE ? " dumpable" : "",
		t->flags & CKPT_TASK_NO_NEW_PRIVS ? " no_new_privs" : "",
		t->flags ? "" : " none");
	fprintf(in->out, "  tid:     clear_child_tid 0x%llx, robust list 0x%llx (%llu bytes), rseq 0x%llx (%u bytes, sig 0x%x)\n",
		(unsigned long long)t->clear_child_tid,
		(unsigned long long)t->robust_list,
		(unsigned long long)t->robust_list_len,
		(unsigned long long)t->rseq, t->rseq_len, t->rseq_sig);
	in->nr_handlers = 0;
}

static void t_caps(FILE *f, const char *what, uint64_t mask)
{
	fprintf(f, "    %-4s 0x%016llx ", what, (unsigned long long)mask);
	print_caps(f, mask);
	fputc('\n', f);
}

static void t_creds(void *ctx, const struct ckpt_creds *c,
		    const uint32_t *groups)
{
	struct info *in = ctx;
	uint32_t i;

	fprintf(in->out, "  creds:   uid %u/%u/%u/%u gid %u/%u/%u/%u securebits 0x%x groups",
		c->uid, c->euid, c->suid, c->fsuid, c->gid, c->egid, c->sgid,
		c->fsgid, c->securebits);
	for (i = 0; i < c->ngroups; i++)
		fprintf(in->out, "%s%u", i ? "," : " ", groups[i]);
	fprintf(in->out, "%s\n  caps:\n", c->ngroups ? "" : " none");
	t_caps(in->out, "eff", c->cap_effective);
	t_caps(in->out, "prm", c->cap_permitted);
	t_caps(in->out, "inh", c->cap_inheritable);
	t_caps(in->out, "bnd", c->cap_bset);
	t_caps(in->out, "amb", c->cap_ambient);
}

static void t_rlimits(void *ctx, const struct ckpt_rlimits *r)
{
	struct info *in = ctx;
	char cur[24], max[24];
	int i;

	fputs("  rlimits:", in->out);
	for (i = 0; i < CKPT_RLIM_NLIMITS; i++) {
		fmt_rlim(r->rlim[i].cur, cur, sizeof(cur));
		fmt_rlim(r->rlim[i].max, max, sizeof(max));
		fprintf(in->out, "%s%s %s/%s", i % 4 ? ", " : "\n    ",
			rlim_names[i], cur, max);
	}
	fputc('\n', in->out);
}

static void t_itimers(void *ctx, const struct ckpt_itimers *it)
{
	static const char *const names[3] = { "real", "virtual", "prof" };
	struct info *in = ctx;
	char v[32], i[32];
	int k, n = 0;

	fputs("  itimers:", in->out);
	for (k = 0; k < 3; k++) {
		if (!it->it[k].value_ns && !it->it[k].interval_ns)
			continue;
		fmt_ns(it->it[k].value_ns, v, sizeof(v));
		fmt_ns(it->it[k].interval_ns, i, sizeof(i));
		fprintf(in->out, "%s %s %s interval %s", n++ ? "," : "",
			names[k], v, i);
	}
	fputs(n ? "\n" : " none\n", in->out);
}

static void t_fs(void *ctx, const struct ckpt_fs *f, const char *root,
		 const char *cwd)
{
	struct info *in = ctx;

	fprintf(in->out, "  fs:      root %s, cwd %s, umask %04o\n", root, cwd,
		f->umask);
}

static void t_mm(void *ctx, const struct ckpt_mm *m, const char *exe)
{
	struct info *in = ctx;

	fprintf(in->out, "  mm:      exe %s\n", *exe ? exe : "(none)");
	fprintf(in->out, "    code 0x%llx-0x%llx data 0x%llx-0x%llx brk 0x%llx-0x%llx stack 0x%llx\n",
		(unsigned long long)m->start_code, (unsigned long long)m->end_code,
		(unsigned long long)m->start_data, (unsigned long long)m->end_data,
		(unsigned long long)m->start_brk, (unsigned long long)m->brk,
		(unsigned long long)m->start_stack);
	fprintf(in->out, "    vdso %llu bytes, xxh64 0x%016llx, flags 0x%x; %u vmas:\n",
		(unsigned long long)m->vdso_size,
		(unsigned long long)m->vdso_csum, m->flags, m->nr_vmas);
}

static void t_vma(void *ctx, const struct ckpt_vma *v, const char *path)
{
	struct info *in = ctx;
	char extra[128];

	bool shared = v->kind >= CKPT_VMA_SHMEM;

	fmt_vma_flags(v->flags, extra, sizeof(extra));
	fprintf(in->out, "    %012llx-%012llx %c%c%c%c %-4s %5llu pages %9llu B",
		(unsigned long long)v->start, (unsigned long long)v->end,
		v->flags & CKPT_VMA_READ ? 'r' : '-',
		v->flags & CKPT_VMA_WRITE ? 'w' : '-',
		v->flags & CKPT_VMA_EXEC ? 'x' : '-', shared ? 's' : 'p',
		vma_kinds[v->kind], (unsigned long long)v->nr_pages,
		(unsigned long long)vma_pages_bytes(in, v));
	if (v->kind == CKPT_VMA_SHMEM)
		fprintf(in->out, " shmem %d", v->shmem);
	else if (v->kind == CKPT_VMA_SYSVSHM)
		fprintf(in->out, " shmid %d", v->shmem);
	if (v->kind == CKPT_VMA_FILE || v->kind == CKPT_VMA_FILE_SHARED)
		fprintf(in->out, " %s pgoff %llu ino %llu size %llu", path,
			(unsigned long long)v->pgoff,
			(unsigned long long)v->ino, (unsigned long long)v->size);
	else if (shared && v->pgoff)
		fprintf(in->out, " pgoff %llu", (unsigned long long)v->pgoff);
	if (*extra)
		fprintf(in->out, " [%s]", extra);
	fputc('\n', in->out);
}

static void t_mm_end(void *ctx)
{
	(void)ctx;
}

static void t_files(void *ctx, const struct ckpt_files *f, bool saved_before)
{
	struct info *in = ctx;

	if (saved_before)
		fprintf(in->out, "  files:   table %u, saved before (shared)\n",
			f->id);
	else
		fprintf(in->out, "  files:   table %u, %u descriptor%s\n", f->id,
			f->nr_fds, f->nr_fds == 1 ? "" : "s");
}

static void t_unlinked(void *ctx, const struct ckpt_unlinked *u,
		       const char *dir)
{
	struct info *in = ctx;

	fprintf(in->out, "    unlinked %u in %s: mode %o uid %u gid %u, %llu bytes, %llu pages%s\n",
		u->id, dir, u->mode & 07777, u->uid, u->gid,
		(unsigned long long)u->size, (unsigned long long)u->nr_pages,
		u->flags & CKPT_UNLINKED_LINKABLE ? ", linkable" : "");
}

static void t_pipe(void *ctx, const struct ckpt_pipe *p)
{
	struct info *in = ctx;

	in->pipe = *p;
	in->pipe_bytes = 0;
	in->pipe_packets = 0;
}

static void t_pipe_buf(void *ctx, const struct ckpt_pipe_buf *b,
		       const void *data)
{
	struct info *in = ctx;

	(void)data;
	in->pipe_bytes += b->len;
	in->pipe_packets += !!(b->flags & CKPT_PIPE_BUF_PACKET);
}

static void t_pipe_end(void *ctx)
{
	struct info *in = ctx;

	fprintf(in->out, "    pipe %u: size %u, %llu bytes buffered in %u buffer%s, %u packet%s\n",
		in->pipe.id, in->pipe.size,
		(unsigned long long)in->pipe_bytes, in->pipe.nr_bufs,
		in->pipe.nr_bufs == 1 ? "" : "s", in->pipe_packets,
		in->pipe_packets == 1 ? "" : "s");
}

static const char *sock_type_name(uint32_t type)
{
	switch (type) {
	case 1:
		return "stream";
	case 2:
		return "dgram";
	case 5:
		return "seqpacket";
	}
	return "?";
}

/* CKPT_UNIX_* bits past CLOSED, in bit order from bit 1. */
static const char *const unix_flag_names[] = {
	"passcred", "passpidfd", "passsec", "autobind", "sndbuf_set",
	"rcvbuf_set",
};

/*
 * The name of a socket as text: a path, or "@" and an abstract name;
 * bytes outside printable ASCII, and "\", as "\xNN".
 */
static void fmt_unix_name(const struct ckpt_unix *u, const char *name,
			  char *buf, size_t size)
{
	size_t n = 0;
	uint32_t i = 0;

	if (u->name_len && !name[0]) {
		n += snprintf(buf, size, "@");
		i = 1;
	}
	for (buf[n] = '\0'; i < u->name_len && n + 5 <= size; i++) {
		unsigned char c = name[i];

		if (c < 0x20 || c > 0x7e || c == '\\')
			n += snprintf(buf + n, size - n, "\\x%02x", c);
		else
			n += snprintf(buf + n, size - n, "%c", c);
	}
}

/* At most 4 bytes of text for each byte of a name, and a NUL. */
#define UNIX_NAME_TEXT	(4 * 108 + 1)

static void t_unix_sock(void *ctx, const struct ckpt_unix *u, const char *name)
{
	struct info *in = ctx;
	char text[UNIX_NAME_TEXT];
	unsigned int i;

	fprintf(in->out, "    unix socket %u: %s", u->id,
		sock_type_name(u->type));
	if (u->flags & CKPT_UNIX_ONEWAY)
		fprintf(in->out, ", connected one way to socket %u", u->peer);
	else if (u->peer)
		fprintf(in->out, ", peer %u", u->peer);
	if (u->flags & CKPT_UNIX_CLOSED)
		fprintf(in->out, " (closed)");
	if (u->flags & CKPT_UNIX_LISTEN)
		fprintf(in->out, ", listening, backlog %d, %u connection%s",
			u->backlog, u->nr_conns, u->nr_conns == 1 ? "" : "s");
	if (u->listener)
		fprintf(in->out, ", %s on socket %u",
			u->flags & CKPT_UNIX_PENDING ? "pending" : "accepted",
			u->listener);
	if (u->name_len) {
		fmt_unix_name(u, name, text, sizeof(text));
		fprintf(in->out, ", name %s", text);
		if (name[0])
			fprintf(in->out, " (mode 0%o, ino %llu)", u->mode,
				(unsigned long long)u->ino);
	}
	fprintf(in->out, ", %u message%s queued", u->nr_skbs,
		u->nr_skbs == 1 ? "" : "s");
	if (u->shutdown)
		fprintf(in->out, ", shut down%s%s",
			u->shutdown & CKPT_UNIX_SHUT_RD ? " rd" : "",
			u->shutdown & CKPT_UNIX_SHUT_WR ? " wr" : "");
	if (u->err)
		fprintf(in->out, ", error %d", u->err);
	fprintf(in->out, ", sndbuf %d rcvbuf %d", u->sndbuf, u->rcvbuf);
	for (i = 0; i < sizeof(unix_flag_names) / sizeof(unix_flag_names[0]); i++)
		if (u->flags & (2U << i))
			fprintf(in->out, " %s", unix_flag_names[i]);
	if (u->peek_off >= 0)
		fprintf(in->out, " peek_off %d", u->peek_off);
	if (u->rcvlowat != 1)
		fprintf(in->out, " rcvlowat %d", u->rcvlowat);
	if (u->rcvtimeo_ns || u->sndtimeo_ns)
		fprintf(in->out, " rcvtimeo %lluns sndtimeo %lluns",
			(unsigned long long)u->rcvtimeo_ns,
			(unsigned long long)u->sndtimeo_ns);
	fputc('\n', in->out);
}

static void t_unix_group(void *ctx, const struct ckpt_unix_group *g,
			 uint32_t first)
{
	struct info *in = ctx;

	fprintf(in->out, "    unix group of %u socket%s, %u to %u\n",
		g->nr_socks, g->nr_socks == 1 ? "" : "s", first,
		first + g->nr_socks - 1);
}

/* A message of a group (one sent by a peer has no sender: not shown). */
static void t_unix_skb(void *ctx, const struct ckpt_unix *u,
		       const struct ckpt_unix_skb *b)
{
	struct info *in = ctx;

	if (!b->sender)
		return;
	fprintf(in->out, "      message to socket %u from socket %u: %u byte%s",
		u->id, b->sender, b->len, b->len == 1 ? "" : "s");
	if (b->flags & CKPT_UNIX_SKB_CREDS)
		fprintf(in->out, ", credentials pid %d uid %u gid %u", b->pid,
			b->uid, b->gid);
	fputc('\n', in->out);
}

/* Bytes that end lines in a TTY_BUF's bitmap. */
static uint32_t tty_lines(const struct ckpt_tty_buf *b, const void *data)
{
	const uint8_t *bits = (const uint8_t *)data + b->len;
	uint32_t i, n = 0;

	if (!(b->flags & CKPT_TTY_BUF_CANON))
		return 0;
	for (i = 0; i < b->len; i++)
		n += !!(bits[i / 8] & (1U << (i % 8)));
	return n;
}

static void t_tty(void *ctx, const struct ckpt_tty *t, const char *ptmx)
{
	struct info *in = ctx;

	fprintf(in->out, "    pty %u: /dev/pts/%u (%u:%u %04o) through %s, %ux%u",
		t->id, t->index, t->uid, t->gid, t->mode, ptmx, t->rows, t->cols);
	if (t->flags & CKPT_TTY_LOCKED)
		fprintf(in->out, ", locked");
	if (t->flags & CKPT_TTY_PACKET)
		fprintf(in->out, ", packet mode (status 0x%x)", t->pktstatus);
	if (t->flags & CKPT_TTY_SLAVE_CLOSED)
		fprintf(in->out, ", slave closed");
	fprintf(in->out, ", iflag 0%o oflag 0%o cflag 0%o lflag 0%o\n",
		t->termios.iflag, t->termios.oflag, t->termios.cflag,
		t->termios.lflag);
}

static void t_tty_buf(void *ctx, const struct ckpt_tty_buf *b, const void *data)
{
	struct info *in = ctx;
	uint32_t lines = tty_lines(b, data);

	fprintf(in->out, "      %s input: %u bytes", b->end == CKPT_TTY_SLAVE ?
		"slave" : "master", b->len);
	if (b->flags & CKPT_TTY_BUF_CANON)
		fprintf(in->out, ", canonical, %u line%s and %s", lines,
			lines == 1 ? "" : "s",
			b->len && !(((const uint8_t *)data)[b->len + (b->len - 1) / 8] &
				    (1U << ((b->len - 1) % 8))) ?
			"a line being edited" : "no line being edited");
	fputc('\n', in->out);
}

static void t_ctty(void *ctx, const struct ckpt_ctty *c)
{
	struct info *in = ctx;

	fprintf(in->out, "  controlling terminal: pty %u", c->tty);
	if (c->flags & CKPT_CTTY_LEADER)
		fprintf(in->out, " (session leader, foreground group %d)",
			c->pgrp);
	fputc('\n', in->out);
}

static void t_lock(void *ctx, const struct ckpt_lock *l)
{
	struct info *in = ctx;
	static const char *const kinds[] = {
		[CKPT_LOCK_FLOCK] = "flock", [CKPT_LOCK_OFD] = "OFD",
		[CKPT_LOCK_POSIX] = "POSIX",
	};

	fprintf(in->out, "      %s %s lock of file %u", kinds[l->kind],
		l->type == F_WRLCK ? "write" : "read", l->file);
	if (l->kind != CKPT_LOCK_FLOCK)
		fprintf(in->out, " on bytes %lld..%lld", (long long)l->start,
			(long long)l->end);
	fputc('\n', in->out);
}

static void t_file(void *ctx, const struct ckpt_file *f, const char *path)
{
	struct info *in = ctx;
	char flags[128];

	fmt_file_flags(f->flags, flags, sizeof(flags));
	fprintf(in->out, "    file %u: %s %s", f->id, file_kinds[f->kind],
		flags);
	switch (f->kind) {
	case CKPT_FILE_CHR:
		fprintf(in->out, " %s (dev %u:%u)", path, f->rdev >> 20,
			f->rdev & 0xfffff);
		break;
	case CKPT_FILE_PIPE:
		fprintf(in->out, ", %s end of pipe %u",
			(f->flags & O_ACCMODE) == O_WRONLY ? "write" : "read",
			f->obj);
		break;
	case CKPT_FILE_SHMEM:
		fprintf(in->out, " pos %lld, shmem %u", (long long)f->pos,
			f->obj);
		break;
	case CKPT_FILE_UNIX:
		fprintf(in->out, ", unix socket %u", f->obj);
		break;
	case CKPT_FILE_UNLINKED:
		fprintf(in->out, " pos %lld, unlinked file %u", (long long)f->pos,
			f->obj);
		break;
	case CKPT_FILE_TTY:
		fprintf(in->out, " %s of pty %u", *path ? path : "master", f->obj);
		break;
	default:
		fprintf(in->out, " pos %lld %s (ino %llu size %llu)",
			(long long)f->pos, path, (unsigned long long)f->ino,
			(unsigned long long)f->size);
	}
	fputc('\n', in->out);
}

static void t_fd(void *ctx, const struct ckpt_fd *fd)
{
	struct info *in = ctx;

	fprintf(in->out, "    fd %-3d file %u%s\n", fd->fd, fd->file,
		fd->flags & CKPT_FD_CLOEXEC ? ", cloexec" : "");
}

static void t_sighand(void *ctx, const struct ckpt_sighand *s)
{
	struct info *in = ctx;
	char buf[16];
	int i;

	for (i = 0; i < 64; i++) {
		const struct ckpt_sigaction *a = &s->action[i];

		if (!a->handler)
			continue;
		if (!in->nr_handlers++)
			fputs("  handlers:\n", in->out);
		fprintf(in->out, "    %s: ", sig_name(i + 1, buf, sizeof(buf)));
		if (a->handler == 1)
			fputs("ignored\n", in->out);
		else
			fprintf(in->out, "0x%llx flags 0x%llx restorer 0x%llx mask 0x%llx\n",
				(unsigned long long)a->handler,
				(unsigned long long)a->flags,
				(unsigned long long)a->restorer,
				(unsigned long long)a->mask);
	}
}

static void t_signals(void *ctx, const struct ckpt_signals *s)
{
	struct info *in = ctx;

	fputs("  signals: blocked ", in->out);
	print_sigset(in->out, s->blocked);
	if (s->ss_flags & SS_DISABLE)
		fputs(", no altstack", in->out);
	else
		fprintf(in->out, ", altstack 0x%llx size %llu flags 0x%x",
			(unsigned long long)s->ss_sp,
			(unsigned long long)s->ss_size, s->ss_flags);
	fprintf(in->out, ", %u pending\n", s->nr_pending);
}

static void si_fields(const struct ckpt_siginfo *si, int32_t *signo,
		      int32_t *err, int32_t *code)
{
	memcpy(signo, si->info, 4);
	memcpy(err, si->info + 4, 4);
	memcpy(code, si->info + 8, 4);
}

static void t_siginfo(void *ctx, const struct ckpt_siginfo *si)
{
	struct info *in = ctx;
	int32_t signo, err, code;
	char buf[16];

	si_fields(si, &signo, &err, &code);
	fprintf(in->out, "    pending %s (%s) code %d errno %d\n",
		sig_name(signo, buf, sizeof(buf)),
		si->shared ? "process" : "thread", code, err);
}

static void t_cpu(void *ctx, const struct ckpt_cpu *c)
{
	struct info *in = ctx;

	fprintf(in->out, "  cpu:     ip 0x%llx sp 0x%llx ax 0x%llx orig_ax %lld flags 0x%llx fs_base 0x%llx\n",
		(unsigned long long)c->regs[R_IP],
		(unsigned long long)c->regs[R_SP],
		(unsigned long long)c->regs[R_AX],
		(long long)c->regs[R_ORIG_AX],
		(unsigned long long)c->regs[R_FLAGS],
		(unsigned long long)c->regs[R_FS_BASE]);
	if (c->restart == CKPT_SYSCALL_NANOSLEEP)
		fprintf(in->out, "    restart: nanosleep, clock %d, %lld ns left, rmtp 0x%llx\n",
			c->clockid, (long long)c->remaining_ns,
			(unsigned long long)c->rmtp);
	else
		fputs("    restart: none\n", in->out);
}

static void t_fpu(void *ctx, const struct ckpt_fpu *f)
{
	struct info *in = ctx;

	fprintf(in->out, "  fpu:     %u bytes of XSAVE, xfeatures 0x%llx\n",
		f->size, (unsigned long long)f->xfeatures);
}

static void t_task_end(void *ctx)
{
	(void)ctx;
}

static void t_end(void *ctx, const struct image_totals *t, const char *err,
		  uint64_t off)
{
	struct info *in = ctx;

	fprintf(in->out, "\ntotals:  records %llu, tasks %llu (threads %llu, zombies %llu), vmas %llu, file tables %llu, fds %llu, open files %llu, pipes %llu (%llu bytes buffered, %llu packets), unix sockets %llu (%llu messages, %llu bytes), pages %llu (%llu bytes), shmem %llu, ipc %llu, other records %llu, image %llu bytes%s\n",
		(unsigned long long)t->records, (unsigned long long)t->tasks,
		(unsigned long long)t->threads, (unsigned long long)t->zombies,
		(unsigned long long)t->vmas, (unsigned long long)t->tables,
		(unsigned long long)t->fds, (unsigned long long)t->files,
		(unsigned long long)t->pipes,
		(unsigned long long)t->pipe_bytes,
		(unsigned long long)t->packets,
		(unsigned long long)t->unix_socks,
		(unsigned long long)t->unix_msgs,
		(unsigned long long)t->unix_bytes,
		(unsigned long long)t->pages,
		(unsigned long long)t->page_bytes, (unsigned long long)t->shmem,
		(unsigned long long)t->ipc, (unsigned long long)t->opaque,
		(unsigned long long)t->size, err ? " read so far" : "");
	if (t->ttys)
		fprintf(in->out, "ptys:    %llu (%llu bytes of input held)\n",
			(unsigned long long)t->ttys,
			(unsigned long long)t->tty_bytes);
	if (t->inotify)
		fprintf(in->out, "inotify: %llu (%llu watches, %llu events queued)\n",
			(unsigned long long)t->inotify,
			(unsigned long long)t->inotify_watches,
			(unsigned long long)t->inotify_events);
	if (t->unlinked)
		fprintf(in->out, "unlinked files: %llu\n",
			(unsigned long long)t->unlinked);
	if (t->mounts)
		fprintf(in->out, "mounts:  %llu (tmpfs entries %llu, %llu bytes)\n",
			(unsigned long long)t->mounts,
			(unsigned long long)t->tmpfs_entries,
			(unsigned long long)t->tmpfs_bytes);
	if (!err)
		fprintf(in->out, "checksum: ok, xxh64 0x%016llx\n",
			(unsigned long long)t->csum);
	else if (t->have_trailer && t->csum != t->csum_computed)
		fprintf(in->out, "checksum: MISMATCH (trailer 0x%016llx, data 0x%016llx)\n",
			(unsigned long long)t->csum,
			(unsigned long long)t->csum_computed);
	if (err)
		fprintf(in->out, "INVALID at offset %llu: %s\n",
			(unsigned long long)off, err);
}

/* @n bytes of a name, with bytes other than printable ASCII as \xNN. */
static void print_escaped(FILE *out, const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		unsigned char c = s[i];

		if (c < 0x20 || c >= 0x7f || c == '\\')
			fprintf(out, "\\x%02x", c);
		else
			fputc(c, out);
	}
}

/* The state of an event file, after its "file" line. */
static void t_event_file(void *ctx, const struct ckpt_file *f, uint32_t type,
			 const void *rec)
{
	struct info *in = ctx;

	switch (type) {
	case CKPT_REC_EVENTFD: {
		const struct ckpt_eventfd *e = rec;

		fprintf(in->out, "      eventfd count %llu%s\n",
			(unsigned long long)e->count,
			e->flags & CKPT_EVENTFD_SEMAPHORE ? " semaphore" : "");
		break;
	}
	case CKPT_REC_SIGNALFD: {
		const struct ckpt_signalfd *s = rec;

		fprintf(in->out, "      signalfd mask %#llx\n",
			(unsigned long long)s->mask);
		break;
	}
	case CKPT_REC_TIMERFD: {
		const struct ckpt_timerfd *t = rec;

		fprintf(in->out, "      timerfd clock %d%s value %lld ns interval %lld ns ticks %llu\n",
			t->clockid, t->flags & CKPT_TIMERFD_ABSTIME ? " abstime" : "",
			(long long)t->value_ns, (long long)t->interval_ns,
			(unsigned long long)t->ticks);
		break;
	}
	case CKPT_REC_EPOLL: {
		const struct ckpt_epoll *e = rec;

		fprintf(in->out, "      epoll %u watches\n", e->nr_items);
		break;
	}
	case CKPT_REC_EPOLL_ITEM: {
		const struct ckpt_epoll_item *it = rec;

		fprintf(in->out, "        watch file %u as fd %d events %#x data %#llx\n",
			it->file, it->fd, it->events,
			(unsigned long long)it->data);
		break;
	}
	case CKPT_REC_INOTIFY: {
		const struct ckpt_inotify *n = rec;

		fprintf(in->out, "      inotify %u watches, %u events queued, next wd %u\n",
			n->nr_watches, n->nr_events, n->next_wd);
		break;
	}
	case CKPT_REC_INOTIFY_WATCH: {
		const struct ckpt_inotify_watch *w = rec;

		fprintf(in->out, "        watch wd %d mask %#x %.*s\n", w->wd,
			w->mask, (int)w->path_len, (const char *)(w + 1));
		break;
	}
	case CKPT_REC_INOTIFY_EVENT: {
		const struct ckpt_inotify_event *e = rec;

		fprintf(in->out, "        event wd %d mask %#x cookie %u%s",
			e->wd, e->mask, e->cookie, e->name_len ? " name " : "");
		print_escaped(in->out, (const char *)(e + 1), e->name_len);
		fputc('\n', in->out);
		break;
	}
	}
	(void)f;
}

/* JSON: an inotify instance, as an object in its fd's. */
static void js_event_file(void *ctx, const struct ckpt_file *f, uint32_t type,
			  const void *rec)
{
	struct info *in = ctx;
	struct json *j = &in->j;

	switch (type) {
	case CKPT_REC_INOTIFY: {
		const struct ckpt_inotify *n = rec;

		j_open(j, "inotify", '{');
		j_u64(j, "next_wd", n->next_wd);
		in->ino_watches = n->nr_watches;
		in->ino_events = n->nr_events;
		j_open(j, "watches", '[');
		break;
	}
	case CKPT_REC_INOTIFY_WATCH: {
		const struct ckpt_inotify_watch *w = rec;

		j_open(j, NULL, '{');
		j_s64(j, "wd", w->wd);
		j_hex(j, "mask", w->mask);
		j_strn(j, "path", (const char *)(w + 1), w->path_len);
		j_close(j);
		in->ino_watches--;
		break;
	}
	case CKPT_REC_INOTIFY_EVENT: {
		const struct ckpt_inotify_event *e = rec;

		j_open(j, NULL, '{');
		j_s64(j, "wd", e->wd);
		j_hex(j, "mask", e->mask);
		j_u64(j, "cookie", e->cookie);
		j_strn(j, "name", (const char *)(e + 1), e->name_len);
		j_close(j);
		in->ino_events--;
		break;
	}
	default:
		return;
	}
	if (type != CKPT_REC_INOTIFY_EVENT && !in->ino_watches) {
		/* The watches are done: the events come next. */
		j_close(j);
		j_open(j, "events", '[');
		in->ino_watches = UINT32_MAX;
	}
	if (in->ino_watches == UINT32_MAX && !in->ino_events) {
		j_close(j);	/* events */
		j_close(j);	/* inotify */
		in->ino_watches = 0;
	}
	(void)f;
}

static const char *const mount_kind_names[] = {
	[CKPT_MOUNT_HOST] = "host", [CKPT_MOUNT_BIND] = "bind",
	[CKPT_MOUNT_PROC] = "proc", [CKPT_MOUNT_TMPFS] = "tmpfs",
};

static const char *const mount_flag_names[] = {
	"ro", "nosuid", "nodev", "noexec", "noatime", "nodiratime",
	"relatime", "nosymfollow", "sb_ro",
};

static void t_mount(void *ctx, const struct ckpt_mount *m, const char *path,
		    const char *source, const char *fstype)
{
	struct info *in = ctx;
	unsigned int i;

	fprintf(in->out, "  mount %u on %u: %s %s (%s)", m->id, m->parent,
		path, mount_kind_names[m->kind], fstype);
	if (source)
		fprintf(in->out, " of %s", source);
	for (i = 0; i < ARRAY_SIZE(mount_flag_names); i++)
		if (m->flags & (1U << i))
			fprintf(in->out, " %s", mount_flag_names[i]);
	if (m->kind == CKPT_MOUNT_PROC)
		fprintf(in->out, " hidepid=%u%s gid=%u",
			m->opts & CKPT_MOUNT_PROC_HIDEPID,
			m->opts & CKPT_MOUNT_PROC_SUBSET ? " subset=pid" : "",
			m->gid);
	if (m->kind == CKPT_MOUNT_TMPFS)
		fprintf(in->out, " size=%llu nr_inodes=%llu mode=%o uid=%u gid=%u, %u entries",
			(unsigned long long)m->size,
			(unsigned long long)m->nr_inodes, m->mode, m->uid,
			m->gid, m->nr_entries);
	fputc('\n', in->out);
}

static const char *tmpfs_type(uint32_t mode)
{
	return S_ISDIR(mode) ? "dir" : S_ISLNK(mode) ? "symlink" : "file";
}

static void t_tmpfs_entry(void *ctx, const struct ckpt_tmpfs_entry *e,
			  const char *name)
{
	struct info *in = ctx;

	fprintf(in->out, "    entry %u in %u: %s \"%s\"", e->index, e->parent,
		e->link ? "hard link" : tmpfs_type(e->mode),
		e->parent ? name : "/");
	if (e->link)
		fprintf(in->out, " to entry %u\n", e->link);
	else
		fprintf(in->out, " mode %o uid %u gid %u, %llu bytes\n",
			e->mode & 07777, e->uid, e->gid,
			(unsigned long long)e->size);
}

static const struct image_ops text_ops = {
	.header = t_header, .container = t_container, .begin = t_begin,
	.finish = t_finish, .tree = t_tree, .tree_end = t_tree_end,
	.shmem = t_shmem, .shmem_end = t_shmem_end, .pages = t_pages,
	.record = t_record, .task = t_task, .itimers = t_itimers,
	.creds = t_creds, .rlimits = t_rlimits, .fs = t_fs, .mm = t_mm,
	.vma = t_vma, .mm_end = t_mm_end, .files = t_files, .pipe = t_pipe,
	.pipe_buf = t_pipe_buf, .pipe_end = t_pipe_end, .file = t_file,
	.unlinked = t_unlinked,
	.lock = t_lock, .event_file = t_event_file, .unix_sock = t_unix_sock,
	.unix_group = t_unix_group, .unix_skb = t_unix_skb,
	.tty = t_tty, .tty_buf = t_tty_buf, .ctty = t_ctty,
	.fd = t_fd, .mount = t_mount, .tmpfs_entry = t_tmpfs_entry,
	.sighand = t_sighand, .signals = t_signals, .siginfo = t_siginfo,
	.cpu = t_cpu, .fpu = t_fpu, .task_end = t_task_end, .end = t_end,
};

/* ---- JSON output ---- */

static void js_header(void *ctx, const struct ckpt_hdr *h)
{
	struct info *in = ctx;
	struct json *j = &in->j;
	char when[64];

	in->page_size = h->page_size;
	fmt_time(h->time_ns, when, sizeof(when));
	j_open(j, "header", '{');
	j_hex(j, "magic", h->magic);
	j_u64(j, "version", h->version);
	j_str(j, "arch", "x86_64");
	j_u64(j, "page_size", h->page_size);
	j_hex(j, "flags", h->flags);
	j_strn(j, "release", h->release, sizeof(h->release));
	j_u64(j, "time_ns", h->time_ns);
	j_str(j, "time", when);
	j_hex(j, "xfeatures", h->xfeatures);
	j_open(j, "cpuid", '{');
	j_hex(j, "1.ecx", h->cpuid_1_ecx);
	j_hex(j, "1.edx", h->cpuid_1_edx);
	j_hex(j, "7.ebx", h->cpuid_7_ebx);
	j_hex(j, "7.ecx", h->cpuid_7_ecx);
	j_hex(j, "7.edx", h->cpuid_7_edx);
	j_close(j);
	j_close(j);
}

static void js_container(void *ctx, const struct ckpt_container *c)
{
	struct info *in = ctx;
	struct json *j = &in->j;

	j_open(j, "container", '{');
	j_hex(j, "ns_flags", c->ns_flags);
	j_open_flat(j, "namespaces");
	if (c->ns_flags & CKPT_NS_PID)
		j_str(j, NULL, "pid");
	if (c->ns_flags & CKPT_NS_UTS)
		j_str(j, NULL, "uts");
	if (c->ns_flags & CKPT_NS_IPC)
		j_str(j, NULL, "ipc");
	if (c->ns_flags & CKPT_NS_MNT)
		j_str(j, NULL, "mnt");
	j_close(j);
	j_u64(j, "nr_tasks", c->nr_tasks);
	j_u64(j, "nr_ipc", c->nr_ipc);
	j_u64(j, "nr_shmem", c->nr_shmem);
	j_u64(j, "nr_mounts", c->nr_mounts);
	j_str(j, "hostname", c->nodename);
	j_str(j, "domainname", c->domainname);
	j_s64(j, "monotonic_ns", c->monotonic_ns);
	j_s64(j, "boottime_ns", c->boottime_ns);
	j_close(j);
	in->container = *c;
}

static const char *const part_keys[] = {
	[PART_TREE] = "tree", [PART_IPC] = "ipc", [PART_SHMEM] = "shmem",
	[PART_TASKS] = "tasks", [PART_POSIX_TIMERS] = "posix_timers",
	[PART_FILES] = "fds", [PART_PENDING] = "pending",
	[PART_SEM_UNDO] = "sem_undo", [PART_MOUNTS] = "mounts",
};

static void js_begin(void *ctx, enum image_part part)
{
	struct info *in = ctx;

	j_open(&in->j, part_keys[part], '[');
	in->in_fds = part == PART_FILES;
}

static void js_finish(void *ctx, enum image_part part)
{
	struct info *in = ctx;

	in->in_fds = false;
	j_close(&in->j);
	if (part == PART_PENDING || part == PART_FILES)
		j_close(&in->j);	/* signals, files */
}

static void js_tree(void *ctx, const struct ckpt_tree *t, uint32_t index)
{
	struct info *in = ctx;
	struct json *j = &in->j;
	char buf[32];
	size_t i;

	(void)index;
	j_open(j, NULL, '{');
	j_s64(j, "pid", t->pid);
	j_s64(j, "tgid", t->tgid);
	j_s64(j, "ppid", t->ppid);
	j_s64(j, "pgid", t->pgid);
	j_s64(j, "sid", t->sid);
	j_s64(j, "exit_signal", t->exit_signal);
	j_str(j, "state", t->state == CKPT_TREE_ZOMBIE ? "zombie" : "live");
	j_s64(j, "exit_code", t->exit_code);
	if (t->state == CKPT_TREE_ZOMBIE)
		fmt_exit(t->exit_code, buf, sizeof(buf));
	else
		buf[0] = '\0';
	j_str(j, "exit", buf);
	j_bool(j, "thread", t->tgid != t->pid);
	j_hex(j, "flags", t->flags);
	j_open_flat(j, "flag_names");
	for (i = 0; i < ARRAY_SIZE(tree_flag_names); i++)
		if (t->flags & (1U << i) && tree_flag_names[i])
			j_str(j, NULL, tree_flag_names[i]);
	j_close(j);
	j_close(j);
}

static void js_tree_end(void *ctx, const struct ckpt_tree *all, uint32_t nr)
{
	(void)ctx;
	(void)all;
	(void)nr;
}

static void js_shmem(void *ctx, const struct ckpt_shmem *s, const char *name)
{
	struct info *in = ctx;
	struct json *j = &in->j;
	size_t i;

	j_open(j, NULL, '{');
	j_s64(j, "id", s->id);
	j_hex(j, "flags", s->flags);
	j_bool(j, "memfd", s->flags & CKPT_SHMEM_MEMFD);
	j_str(j, "name", name);
	j_u64(j, "size", s->size);
	j_u64(j, "nr_pages", s->nr_pages);
	j_hex(j, "seals", s->seals);
	j_open_flat(j, "seal_names");
	for (i = 0; i < ARRAY_SIZE(seal_names); i++)
		if (s->seals & (1U << i))
			j_str(j, NULL, seal_names[i]);
	j_close(j);
	j_open(j, "pages", '[');
}

static void js_shmem_end(void *ctx)
{
	struct info *in = ctx;

	j_close(&in->j);	/* pages */
	j_close(&in->j);
}

static void js_pages(void *ctx, const struct ckpt_pages *p)
{
	struct info *in = ctx;
	struct json *j = &in->j;

	j_open(j, NULL, '{');
	j_str(j, "type", "PAGES");
	j_hex(j, "offset", p->addr);
	j_u64(j, "pages", p->nr_pages);
	j_close(j);
}

/* A record ckptctl only frames: its type and length, and what its printer adds. */
static void js_record(void *ctx, uint32_t type, uint32_t len,
		      const void *payload)
{
	struct info *in = ctx;
	struct json *j = &in->j;
	const struct rec_printer *pr = &rec_printers[type];

	j_open(j, NULL, '{');
	j_str(j, "type", type_name(type));
	j_u64(j, "length", len);
	j_bool(j, "decoded", payload && pr->json);
	if (payload && pr->json)
		pr->json(in, payload, len);
	j_close(j);
}

static void js_task(void *ctx, const struct ckpt_task *t,
		    const struct ckpt_tree *tr)
{
	struct info *in = ctx;
	struct json *j = &in->j;

	j_open(j, NULL, '{');
	j_s64(j, "pid", t->pid);
	j_s64(j, "tgid", t->tgid);
	j_bool(j, "thread", t->pid != t->tgid);
	j_bool(j, "share_fs", tr->flags & CKPT_TREE_SHARE_FS);
	j_str(j, "comm", t->comm);
	j_s64(j, "exit_signal", t->exit_signal);
	j_s64(j, "pdeath_signal", t->pdeath_signal);
	j_hex(j, "personality", t->personality);
	j_bool(j, "dumpable", t->flags & CKPT_TASK_DUMPABLE);
	j_bool(j, "no_new_privs", t->flags & CKPT_TASK_NO_NEW_PRIVS);
	j_hex(j, "clear_child_tid", t->clear_child_tid);
	j_hex(j, "robust_list", t->robust_list);
	j_u64(j, "robust_list_len", t->robust_list_len);
	j_hex(j, "rseq", t->rseq);
	j_u64(j, "rseq_len", t->rseq_len);
	j_hex(j, "rseq_sig", t->rseq_sig);
}

static void js_caps(struct json *j, const char *key, uint64_t mask)
{
	int i;

	j_open(j, key, '{');
	j_hex(j, "mask", mask);
	j_open_flat(j, "names");
	for (i = 0; i < 64; i++) {
		char num[8];

		if (!(mask & (1ULL << i)))
			continue;
		snprintf(num, sizeof(num), "%d", i);
		j_str(j, NULL, i <= CAP_LAST_CAP ? cap_names[i] : num);
	}
	j_close(j);
	j_close(j);
}

static void js_creds(void *ctx, const struct ckpt_creds *c,
		     const uint32_t *groups)
{
	struct info *in = ctx;
	struct json *j = &in->j;
	uint32_t i;

	j_open(j, "creds", '{');
	j_u64(j, "uid", c->uid);
	j_u64(j, "euid", c->euid);
	j_u64(j, "suid", c->suid);
	j_u64(j, "fsuid", c->fsuid);
	j_u64(j, "gid", c->gid);
	j_u64(j, "egid", c->egid);
	j_u64(j, "sgid", c->sgid);
	j_u64(j, "fsgid", c->fsgid);
	j_open_flat(j, "groups");
	for (i = 0; i < c->ngroups; i++)
		j_u64(j, NULL, groups[i]);
	j_close(j);
	j_hex(j, "securebits", c->securebits);
	js_caps(j, "cap_effective", c->cap_effective);
	js_caps(j, "cap_permitted", c->cap_permitted);
	js_caps(j, "cap_inheritable", c->cap_inheritable);
	js_caps(j, "cap_bset", c->cap_bset);
	js_caps(j, "cap_ambient", c->cap_ambient);
	j_close(j);
}

static void js_rlim(struct json *j, const char *key, uint64_t v)
{
	if (v == ~0ULL)
		j_str(j, key, "unlimited");
	else
		j_u64(j, key, v);
}

static void js_rlimits(void *ctx, const struct ckpt_rlimits *r)
{
	struct info *in = ctx;
	struct json *j = &in->j;
	int i;

	j_open(j, "rlimits", '{');
	for (i = 0; i < CKPT_RLIM_NLIMITS; i++) {
		j_open(j, rlim_names[i], '{');
		js_rlim(j, "cur", r->rlim[i].cur);
		js_rlim(j, "max", r->rlim[i].max);
		j_close(j);
	}
	j_close(j);
}

static void js_itimers(void *ctx, const struct ckpt_itimers *it)
{
	static const char *const names[3] = { "real", "virtual", "prof" };
	struct info *in = ctx;
	struct json *j = &in->j;
	int k;

	j_open(j, "itimers", '{');
	for (k = 0; k < 3; k++) {
		j_open(j, names[k], '{');
		j_u64(j, "value_ns", it->it[k].value_ns);
		j_u64(j, "interval_ns", it->it[k].interval_ns);
		j_close(j);
	}
	j_close(j);
}

static void js_fs(void *ctx, const struct ckpt_fs *f, const char *root,
		  const char *cwd)
{
	struct info *in = ctx;
	struct json *j = &in->j;
	char umask[8];

	snprintf(umask, sizeof(umask), "%04o", f->umask);
	j_open(j, "fs", '{');
	j_str(j, "umask", umask);
	j_str(j, "root", root);
	j_str(j, "cwd", cwd);
	j_close(j);
}

static void js_mm(void *ctx, const struct ckpt_mm *m, const char *exe)
{
	struct info *in = ctx;
	struct json *j = &in->j;

	j_open(j, "mm", '{');
	j_str(j, "exe", exe);
	j_hex(j, "start_code", m->start_code);
	j_hex(j, "end_code", m->end_code);
	j_hex(j, "start_data", m->start_data);
	j_hex(j, "end_data", m->end_data);
	j_hex(j, "start_brk", m->start_brk);
	j_hex(j, "brk", m->brk);
	j_hex(j, "start_stack", m->start_stack);
	j_hex(j, "arg_start", m->arg_start);
	j_hex(j, "arg_end", m->arg_end);
	j_hex(j, "env_start", m->env_start);
	j_hex(j, "env_end", m->env_end);
	j_u64(j, "vdso_size", m->vdso_size);
	j_hex(j, "vdso_csum", m->vdso_csum);
	j_hex(j, "flags", m->flags);
	j_u64(j, "nr_vmas", m->nr_vmas);
	j_open(j, "vmas", '[');
}

static void js_vma(void *ctx, const struct ckpt_vma *v, const char *path)
{
	struct info *in = ctx;
	struct json *j = &in->j;
	char prot[4] = {
		v->flags & CKPT_VMA_READ ? 'r' : '-',
		v->flags & CKPT_VMA_WRITE ? 'w' : '-',
		v->flags & CKPT_VMA_EXEC ? 'x' : '-', '\0',
	};
	size_t i;

	j_open(j, NULL, '{');
	j_hex(j, "start", v->start);
	j_hex(j, "end", v->end);
	j_str(j, "kind", vma_kinds[v->kind]);
	j_str(j, "prot", prot);
	j_hex(j, "flags", v->flags);
	j_open_flat(j, "flag_names");
	for (i = 0; i < ARRAY_SIZE(vma_flag_names); i++)
		if (v->flags & (CKPT_VMA_GROWSDOWN << i))
			j_str(j, NULL, vma_flag_names[i]);
	j_close(j);
	j_s64(j, "shmem", v->shmem);
	j_u64(j, "pgoff", v->pgoff);
	j_str(j, "path", path);
	j_u64(j, "ino", v->ino);
	j_u64(j, "size", v->size);
	j_s64(j, "mtime_ns", v->mtime_ns);
	j_u64(j, "pages", v->nr_pages);
	j_u64(j, "page_bytes", vma_pages_bytes(in, v));
	j_close(j);
}

static void js_mm_end(void *ctx)
{
	struct info *in = ctx;

	j_close(&in->j);	/* vmas */
	j_close(&in->j);	/* mm */
}

static void js_files(void *ctx, const struct ckpt_files *f, bool saved_before)
{
	struct info *in = ctx;
	struct json *j = &in->j;

	j_open(j, "files", '{');
	j_u64(j, "table", f->id);
	j_u64(j, "nr_fds", f->nr_fds);
	j_bool(j, "saved_before", saved_before);
	if (saved_before)
		j_close(j);	/* else closed after PART_FILES */
	in->fd_open = false;
}

/* The object of the next fd, opened by the first record that describes it. */
static void js_fd_open(struct info *in)
{
	if (!in->fd_open)
		j_open(&in->j, NULL, '{');
	in->fd_open = true;
}

static void js_unlinked(void *ctx, const struct ckpt_unlinked *u,
			const char *dir)
{
	struct info *in = ctx;
	struct json *j = &in->j;

	js_fd_open(in);
	j_open(j, "new_unlinked", '{');
	j_u64(j, "id", u->id);
	j_str(j, "dir", dir);
	j_hex(j, "flags", u->flags);
	j_bool(j, "linkable", u->flags & CKPT_UNLINKED_LINKABLE);
	j_u64(j, "mode", u->mode & 07777);
	j_u64(j, "uid", u->uid);
	j_u64(j, "gid", u->gid);
	j_u64(j, "size", u->size);
	j_u64(j, "nr_pages", u->nr_pages);
	j_s64(j, "atime_ns", u->atime_ns);
	j_s64(j, "mtime_ns", u->mtime_ns);
	j_close(j);
}

static void js_pipe(void *ctx, const struct ckpt_pipe *p)
{
	struct info *in = ctx;
	struct json *j = &in->j;

	js_fd_open(in);
	in->pipe = *p;
	in->pipe_bytes = 0;
	in->pipe_packets = 0;
	j_open(j, "new_pipe", '{');
	j_u64(j, "id", p->id);
	j_u64(j, "size", p->size);
	j_u64(j, "nr_bufs", p->nr_bufs);
	j_open(j, "bufs", '[');
}

static void js_pipe_buf(void *ctx, const struct ckpt_pipe_buf *b,
			const void *data)
{
	struct info *in = ctx;
	struct json *j = &in->j;

	(void)data;
	in->pipe_bytes += b->len;
	in->pipe_packets += !!(b->flags & CKPT_PIPE_BUF_PACKET);
	j_open(j, NULL, '{');
	j_u64(j, "len", b->len);
	j_bool(j, "packet", b->flags & CKPT_PIPE_BUF_PACKET);
	j_close(j);
}

static void js_pipe_end(void *ctx)
{
	struct info *in = ctx;
	struct json *j = &in->j;

	j_close(j);	/* bufs */
	j_u64(j, "bytes", in->pipe_bytes);
	j_u64(j, "packets", in->pipe_packets);
	j_close(j);
}

/* A pty, in the object of the fd it comes before or in the task's. */
static void js_tty(void *ctx, const struct ckpt_tty *t, const char *ptmx)
{
	struct info *in = ctx;
	struct json *j = &in->j;

	if (in->in_fds)
		js_fd_open(in);
	j_open(j, "new_tty", '{');
	j_u64(j, "id", t->id);
	j_u64(j, "index", t->index);
	j_u64(j, "uid", t->uid);
	j_u64(j, "gid", t->gid);
	j_u64(j, "mode", t->mode);
	j_str(j, "ptmx", ptmx);
	j_bool(j, "locked", t->flags & CKPT_TTY_LOCKED);
	j_bool(j, "packet", t->flags & CKPT_TTY_PACKET);
	j_u64(j, "pktstatus", t->pktstatus);
	j_bool(j, "slave_closed", t->flags & CKPT_TTY_SLAVE_CLOSED);
	j_u64(j, "rows", t->rows);
	j_u64(j, "cols", t->cols);
	j_u64(j, "xpixel", t->xpixel);
	j_u64(j, "ypixel", t->ypixel);
	j_hex(j, "iflag", t->termios.iflag);
	j_hex(j, "oflag", t->termios.oflag);
	j_hex(j, "cflag", t->termios.cflag);
	j_hex(j, "lflag", t->termios.lflag);
	j_u64(j, "ispeed", t->termios.ispeed);
	j_u64(j, "ospeed", t->termios.ospeed);
	j_open(j, "input", '[');
}

static void js_tty_buf(void *ctx, const struct ckpt_tty_buf *b,
		       const void *data)
{
	struct info *in = ctx;
	struct json *j = &in->j;

	j_open(j, NULL, '{');
	j_str(j, "end", b->end == CKPT_TTY_SLAVE ? "slave" : "master");
	j_u64(j, "bytes", b->len);
	j_bool(j, "canonical", b->flags & CKPT_TTY_BUF_CANON);
	j_u64(j, "lines", tty_lines(b, data));
	j_close(j);
	if (b->end == CKPT_TTY_SLAVE) {
		j_close(j);	/* input */
		j_close(j);	/* new_tty */
	}
}

static void js_ctty(void *ctx, const struct ckpt_ctty *c)
{
	struct json *j = &((struct info *)ctx)->j;

	j_open(j, "ctty", '{');
	j_u64(j, "tty", c->tty);
	j_bool(j, "session_leader", c->flags & CKPT_CTTY_LEADER);
	j_s64(j, "foreground_pgrp", c->pgrp);
	j_close(j);
}

/* One UNIX record as an object. */
static void js_unix_obj(struct json *j, const struct ckpt_unix *u,
			const char *name)
{
	char text[UNIX_NAME_TEXT];
	unsigned int i;

	fmt_unix_name(u, name, text, sizeof(text));
	j_open(j, NULL, '{');
	j_u64(j, "id", u->id);
	j_str(j, "type", sock_type_name(u->type));
	j_u64(j, "peer", u->peer);
	j_bool(j, "oneway", u->flags & CKPT_UNIX_ONEWAY);
	j_bool(j, "closed", u->flags & CKPT_UNIX_CLOSED);
	j_str(j, "name", text);
	j_bool(j, "abstract", u->name_len && !name[0]);
	j_u64(j, "mode", u->mode);
	j_u64(j, "ino", u->ino);
	j_bool(j, "listening", u->flags & CKPT_UNIX_LISTEN);
	j_s64(j, "backlog", u->backlog);
	j_u64(j, "nr_conns", u->nr_conns);
	j_u64(j, "listener", u->listener);
	j_bool(j, "pending", u->flags & CKPT_UNIX_PENDING);
	j_open_flat(j, "options");
	for (i = 0; i < sizeof(unix_flag_names) / sizeof(unix_flag_names[0]); i++)
		if (u->flags & (2U << i))
			j_str(j, NULL, unix_flag_names[i]);
	j_close(j);
	j_bool(j, "shut_rd", u->shutdown & CKPT_UNIX_SHUT_RD);
	j_bool(j, "shut_wr", u->shutdown & CKPT_UNIX_SHUT_WR);
	j_s64(j, "err", u->err);
	j_s64(j, "sndbuf", u->sndbuf);
	j_s64(j, "rcvbuf", u->rcvbuf);
	j_s64(j, "peek_off", u->peek_off);
	j_s64(j, "rcvlowat", u->rcvlowat);
	j_u64(j, "rcvtimeo_ns", u->rcvtimeo_ns);
	j_u64(j, "sndtimeo_ns", u->sndtimeo_ns);
	j_u64(j, "nr_messages", u->nr_skbs);
	j_close(j);
}

/*
 * A group of datagram sockets, as an object in the object of the fd it
 * comes before: its sockets, then the messages queued on them.
 */
static void js_unix_group(void *ctx, const struct ckpt_unix_group *g,
			  uint32_t first)
{
	struct info *in = ctx;
	struct json *j = &in->j;

	js_fd_open(in);
	j_open(j, "new_unix_group", '{');
	j_u64(j, "first", first);
	j_u64(j, "nr_socks", g->nr_socks);
	j_open(j, "sockets", '[');
	in->dgram_socks = g->nr_socks;
	in->dgram_msgs = 0;
}

/*
 * A socket or a pair, or a listening socket and its connections, as a
 * list in the object of the fd it comes before; or a socket of a group.
 */
static void js_unix_sock(void *ctx, const struct ckpt_unix *u,
			 const char *name)
{
	struct info *in = ctx;
	struct json *j = &in->j;

	if (in->dgram_socks) {
		js_unix_obj(j, u, name);
		in->dgram_msgs += u->nr_skbs;
		if (--in->dgram_socks)
			return;
		j_close(j);	/* sockets */
		if (in->dgram_msgs)
			j_open(j, "messages", '[');
		else
			j_close(j);	/* new_unix_group */
		return;
	}
	if ((!u->peer || u->peer == u->id + 1) && !in->unix_group) {
		js_fd_open(in);
		j_open(j, "new_unix", '[');
	}
	if (u->flags & CKPT_UNIX_LISTEN) {
		in->unix_group = u->nr_conns;
		in->unix_conns = u->nr_conns;
	}
	js_unix_obj(j, u, name);
	/* More to come: the second of a pair, or connections. */
	if (u->peer == u->id + 1 || (u->flags & CKPT_UNIX_LISTEN && u->nr_conns))
		return;
	if (in->unix_group) {
		/* The client of a listening socket's connection. */
		if (--in->unix_conns)
			return;
		in->unix_group = false;
	}
	j_close(j);	/* new_unix */
}

/* A message queued on a socket of a group (those of pairs: not listed). */
static void js_unix_skb(void *ctx, const struct ckpt_unix *u,
			const struct ckpt_unix_skb *b)
{
	struct info *in = ctx;
	struct json *j = &in->j;

	if (!in->dgram_msgs)
		return;
	j_open(j, NULL, '{');
	j_u64(j, "to", u->id);
	j_u64(j, "from", b->sender);
	j_u64(j, "bytes", b->len);
	j_bool(j, "creds", b->flags & CKPT_UNIX_SKB_CREDS);
	j_s64(j, "pid", b->pid);
	j_u64(j, "uid", b->uid);
	j_u64(j, "gid", b->gid);
	j_close(j);
	if (--in->dgram_msgs)
		return;
	j_close(j);	/* messages */
	j_close(j);	/* new_unix_group */
}

static void js_file(void *ctx, const struct ckpt_file *f, const char *path)
{
	struct info *in = ctx;
	struct json *j = &in->j;
	char flags[128], *name, *save = NULL;

	js_fd_open(in);
	fmt_file_flags(f->flags, flags, sizeof(flags));
	j_open(j, "new_file", '{');
	j_u64(j, "id", f->id);
	j_str(j, "kind", file_kinds[f->kind]);
	j_hex(j, "flags", f->flags);
	j_open_flat(j, "flag_names");
	for (name = strtok_r(flags, ",", &save); name;
	     name = strtok_r(NULL, ",", &save))
		j_str(j, NULL, name);
	j_close(j);
	j_s64(j, "pos", f->pos);
	j_str(j, "path", path);
	j_u64(j, "ino", f->ino);
	j_u64(j, "size", f->size);
	j_s64(j, "mtime_ns", f->mtime_ns);
	j_u64(j, "rdev_major", f->rdev >> 20);
	j_u64(j, "rdev_minor", f->rdev & 0xfffff);
	j_u64(j, "obj", f->obj);
	j_close(j);
}

static void js_fd(void *ctx, const struct ckpt_fd *fd)
{
	struct info *in = ctx;
	struct json *j = &in->j;

	js_fd_open(in);
	j_s64(j, "fd", fd->fd);
	j_u64(j, "file", fd->file);
	j_hex(j, "flags", fd->flags);
	j_bool(j, "cloexec", fd->flags & CKPT_FD_CLOEXEC);
	j_close(j);
	in->fd_open = false;
}

static void js_sighand(void *ctx, const struct ckpt_sighand *s)
{
	struct info *in = ctx;
	struct json *j = &in->j;
	char buf[16];
	int i;

	j_open(j, "handlers", '[');
	for (i = 0; i < 64; i++) {
		const struct ckpt_sigaction *a = &s->action[i];

		if (!a->handler)
			continue;
		j_open(j, NULL, '{');
		j_u64(j, "signal", i + 1);
		j_str(j, "name", sig_name(i + 1, buf, sizeof(buf)));
		if (a->handler == 1)
			j_str(j, "handler", "ignore");
		else
			j_hex(j, "handler", a->handler);
		j_hex(j, "flags", a->flags);
		j_hex(j, "restorer", a->restorer);
		j_hex(j, "mask", a->mask);
		j_close(j);
	}
	j_close(j);
}

static void js_signals(void *ctx, const struct ckpt_signals *s)
{
	struct info *in = ctx;
	struct json *j = &in->j;

	j_open(j, "signals", '{');
	j_hex(j, "blocked", s->blocked);
	j_sigset(j, "blocked_names", s->blocked);
	j_hex(j, "altstack_sp", s->ss_sp);
	j_u64(j, "altstack_size", s->ss_size);
	j_hex(j, "altstack_flags", s->ss_flags);
	/* "pending" follows (PART_PENDING), then the object is closed. */
}

static void js_siginfo(void *ctx, const struct ckpt_siginfo *si)
{
	struct info *in = ctx;
	struct json *j = &in->j;
	int32_t signo, err, code;
	char buf[16];

	si_fields(si, &signo, &err, &code);
	j_open(j, NULL, '{');
	j_s64(j, "signal", signo);
	j_str(j, "name", sig_name(signo, buf, sizeof(buf)));
	j_bool(j, "shared", si->shared);
	j_s64(j, "code", code);
	j_s64(j, "errno", err);
	j_close(j);
}

static void js_cpu(void *ctx, const struct ckpt_cpu *c)
{
	struct info *in = ctx;
	struct json *j = &in->j;
	static const char *const names[27] = {
		"r15", "r14", "r13", "r12", "bp", "bx", "r11", "r10", "r9",
		"r8", "ax", "cx", "dx", "si", "di", "orig_ax", "ip", "cs",
		"flags", "sp", "ss", "fs_base", "gs_base", "ds", "es", "fs",
		"gs",
	};
	int i;

	j_open(j, "cpu", '{');
	j_open(j, "regs", '{');
	for (i = 0; i < 27; i++)
		j_hex(j, names[i], c->regs[i]);
	j_close(j);
	j_str(j, "restart", c->restart == CKPT_SYSCALL_NANOSLEEP ?
	      "nanosleep" : "none");
	j_s64(j, "clockid", c->clockid);
	j_s64(j, "remaining_ns", c->remaining_ns);
	j_hex(j, "rmtp", c->rmtp);
	j_u64(j, "rmtp_type", c->rmtp_type);
	j_close(j);
}

static void js_fpu(void *ctx, const struct ckpt_fpu *f)
{
	struct info *in = ctx;
	struct json *j = &in->j;

	j_open(j, "fpu", '{');
	j_u64(j, "size", f->size);
	j_hex(j, "xfeatures", f->xfeatures);
	j_close(j);
}

static void js_task_end(void *ctx)
{
	struct info *in = ctx;

	j_close(&in->j);
}

static void js_end(void *ctx, const struct image_totals *t, const char *err,
		   uint64_t off)
{
	struct info *in = ctx;
	struct json *j = &in->j;

	j_close_to(j, 1);
	j_open(j, "totals", '{');
	j_u64(j, "records", t->records);
	j_u64(j, "tasks", t->tasks);
	j_u64(j, "threads", t->threads);
	j_u64(j, "zombies", t->zombies);
	j_u64(j, "sections", t->sections);
	j_u64(j, "vmas", t->vmas);
	j_u64(j, "file_tables", t->tables);
	j_u64(j, "fds", t->fds);
	j_u64(j, "files", t->files);
	j_u64(j, "locks", t->locks);
	j_u64(j, "pipes", t->pipes);
	j_u64(j, "pipe_bytes", t->pipe_bytes);
	j_u64(j, "packets", t->packets);
	j_u64(j, "unix_sockets", t->unix_socks);
	j_u64(j, "unix_messages", t->unix_msgs);
	j_u64(j, "unix_bytes", t->unix_bytes);
	j_u64(j, "ttys", t->ttys);
	j_u64(j, "tty_bytes", t->tty_bytes);
	j_u64(j, "inotify", t->inotify);
	j_u64(j, "inotify_watches", t->inotify_watches);
	j_u64(j, "inotify_events", t->inotify_events);
	j_u64(j, "pages", t->pages);
	j_u64(j, "page_bytes", t->page_bytes);
	j_u64(j, "shmem", t->shmem);
	j_u64(j, "ipc", t->ipc);
	j_u64(j, "mounts", t->mounts);
	j_u64(j, "tmpfs_entries", t->tmpfs_entries);
	j_u64(j, "tmpfs_bytes", t->tmpfs_bytes);
	j_u64(j, "unlinked", t->unlinked);
	j_u64(j, "other_records", t->opaque);
	j_u64(j, "size", t->size);
	j_close(j);
	if (t->have_trailer) {
		j_open(j, "trailer", '{');
		j_u64(j, "image_len", t->image_len);
		j_hex(j, "csum", t->csum);
		j_hex(j, "csum_computed", t->csum_computed);
		j_close(j);
	}
	j_bool(j, "checksum_ok", t->have_trailer && t->csum == t->csum_computed);
	j_bool(j, "valid", !err);
	if (err) {
		j_open(j, "error", '{');
		j_u64(j, "offset", off);
		j_str(j, "message", err);
		j_close(j);
	}
	j_close_to(j, 0);
	fputc('\n', j->f);
}

static void js_mount(void *ctx, const struct ckpt_mount *m, const char *path,
		     const char *source, const char *fstype)
{
	struct info *in = ctx;
	struct json *j = &in->j;
	unsigned int i;

	j_open(j, NULL, '{');
	j_u64(j, "id", m->id);
	j_u64(j, "parent", m->parent);
	j_str(j, "kind", mount_kind_names[m->kind]);
	j_str(j, "path", path);
	j_str(j, "source", source ? source : "");
	j_str(j, "fstype", fstype);
	j_hex(j, "flags", m->flags);
	j_open_flat(j, "flag_names");
	for (i = 0; i < ARRAY_SIZE(mount_flag_names); i++)
		if (m->flags & (1U << i))
			j_str(j, NULL, mount_flag_names[i]);
	j_close(j);
	if (m->kind == CKPT_MOUNT_PROC) {
		j_u64(j, "hidepid", m->opts & CKPT_MOUNT_PROC_HIDEPID);
		j_bool(j, "subset_pid", m->opts & CKPT_MOUNT_PROC_SUBSET);
		j_u64(j, "gid", m->gid);
	}
	if (m->kind == CKPT_MOUNT_TMPFS) {
		j_u64(j, "size", m->size);
		j_u64(j, "nr_inodes", m->nr_inodes);
		j_u64(j, "mode", m->mode);
		j_u64(j, "uid", m->uid);
		j_u64(j, "gid", m->gid);
		j_u64(j, "nr_entries", m->nr_entries);
	}
	j_open(j, "entries", '[');
}

static void js_tmpfs_entry(void *ctx, const struct ckpt_tmpfs_entry *e,
			   const char *name)
{
	struct info *in = ctx;
	struct json *j = &in->j;

	j_open(j, NULL, '{');
	j_u64(j, "index", e->index);
	j_u64(j, "parent", e->parent);
	j_str(j, "name", name);
	j_str(j, "type", tmpfs_type(e->mode));
	j_u64(j, "link", e->link);
	j_u64(j, "mode", e->mode & 07777);
	j_u64(j, "uid", e->uid);
	j_u64(j, "gid", e->gid);
	j_u64(j, "size", e->size);
	j_s64(j, "atime_ns", e->atime_ns);
	j_s64(j, "mtime_ns", e->mtime_ns);
	j_close(j);
}

static void js_mount_end(void *ctx)
{
	struct info *in = ctx;

	j_close(&in->j);	/* entries */
	j_close(&in->j);
}

static const struct image_ops json_ops = {
	.header = js_header, .container = js_container, .begin = js_begin,
	.finish = js_finish, .tree = js_tree, .tree_end = js_tree_end,
	.shmem = js_shmem, .shmem_end = js_shmem_end, .pages = js_pages,
	.record = js_record, .task = js_task, .itimers = js_itimers,
	.creds = js_creds, .rlimits = js_rlimits, .fs = js_fs, .mm = js_mm,
	.vma = js_vma, .mm_end = js_mm_end, .files = js_files,
	.pipe = js_pipe, .pipe_buf = js_pipe_buf, .pipe_end = js_pipe_end,
	.event_file = js_event_file,
	.unlinked = js_unlinked,
	.file = js_file, .fd = js_fd, .unix_sock = js_unix_sock,
	.unix_group = js_unix_group, .unix_skb = js_unix_skb,
	.tty = js_tty, .tty_buf = js_tty_buf, .ctty = js_ctty,
	.mount = js_mount, .tmpfs_entry = js_tmpfs_entry,
	.mount_end = js_mount_end,
	.sighand = js_sighand, .signals = js_signals, .siginfo = js_siginfo,
	.cpu = js_cpu, .fpu = js_fpu, .task_end = js_task_end, .end = js_end,
};

/* Wrap the chosen ops to remember the verdict for the exit message. */
static const struct image_ops *chosen;

static void end_hook(void *ctx, const struct image_totals *t, const char *err,
		     uint64_t off)
{
	struct info *in = ctx;

	in->valid = !err;
	if (err) {
		str_copy(in->err, sizeof(in->err), err);	/* same size */
		in->err_off = off;
	}
	chosen->end(ctx, t, err, off);
}

#define STR(x)	#x
#define XSTR(x)	STR(x)

static const char info_usage[] =
"Usage: ckptctl info [--json] FILE|-\n"
"\n"
"Decode and validate a checkpoint image of format " XSTR(CKPT_FORMAT_VERSION)
" (\"-\": read it from\n"
"standard input, which may be a pipe) and describe it: header, container,\n"
"process tree (pids, parents, groups, sessions, threads, zombies), SysV\n"
"IPC objects, shared memory objects, and for each live task its creds,\n"
"rlimits, timers, fs, memory map, files, pipes, unix sockets, signals and\n"
"CPU state; then totals and whether the trailer checksum verifies.\n"
"Records whose layout ckptctl does not know are shown by type and length.\n"
"\n"
"  -j, --json   one JSON object instead of text\n"
"  -h, --help   this help\n"
"\n"
"Exit status: 0 valid image, 1 read error, 2 usage error,\n"
"3 invalid image (the first problem is reported with its byte offset).\n";

int cmd_info(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "json", no_argument, NULL, 'j' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct image_ops ops;
	struct info in = { .out = stdout };
	const char *path;
	int c, fd, ret;

	while ((c = getopt_long(argc, argv, "+jh", opts, NULL)) != -1) {
		switch (c) {
		case 'j':
			in.json = true;
			break;
		case 'h':
			fputs(info_usage, stdout);
			return EXIT_OK;
		default:
			return usage_error("info", "bad option '%s'", argv[optind - 1]);
		}
	}
	if (optind != argc - 1)
		return usage_error("info", "expected one image file, or -");
	path = argv[optind];
	if (!strcmp(path, "-")) {
		if (isatty(STDIN_FILENO))
			return usage_error("info", "refusing to read an image from a terminal");
		fd = STDIN_FILENO;
		in.src = "standard input";
	} else {
		fd = open(path, O_RDONLY | O_CLOEXEC);
		if (fd < 0) {
			err_errno(errno, "open %s", path);
			return EXIT_FAIL;
		}
		in.src = path;
	}

	chosen = in.json ? &json_ops : &text_ops;
	ops = *chosen;
	ops.end = end_hook;
	in.j.f = stdout;
	if (in.json) {
		j_open(&in.j, NULL, '{');
		j_str(&in.j, "source", in.src);
	}
	ret = image_decode(fd, &ops, &in);
	if (fd != STDIN_FILENO)
		close(fd);
	if (fflush(stdout) || ferror(stdout)) {
		err_errno(errno, "write to standard output");
		return EXIT_FAIL;
	}
	if (ret == IMAGE_IOERR) {
		err_errno(errno, "read %s", in.src);
		return EXIT_FAIL;
	}
	if (ret == IMAGE_INVALID) {
		err_msg("%s: invalid image at offset %llu: %s", in.src,
			(unsigned long long)in.err_off, in.err);
		return EXIT_BADIMAGE;
	}
	return EXIT_OK;
}
