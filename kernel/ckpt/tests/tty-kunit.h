/* SPDX-License-Identifier: GPL-2.0 */
/*
 * KUnit tests of the pty validators and of how restart writes a pty's
 * input back (tty.c), included at its end so that its static helpers are
 * reachable.
 */

#include <kunit/test.h>

static void ckpt_test_tty_rec(struct kunit *test)
{
	struct ckpt_tty t = {
		.id = 1, .index = 3, .path_len = 9,
		.termios = { .lflag = ICANON | ECHO },
	};
	struct ckpt_file f = {
		.id = 2, .kind = CKPT_FILE_TTY, .flags = O_RDWR,
		.rdev = CKPT_TTY_RDEV_PTMX, .obj = 1,
	};

	KUNIT_EXPECT_EQ(test, ckpt_check_tty_rec(&t), 0);
	t.index = NR_UNIX98_PTY_MAX;
	KUNIT_EXPECT_EQ(test, ckpt_check_tty_rec(&t), -EINVAL);
	t.index = 3;
	t.pktstatus = 1;	/* status without packet mode */
	KUNIT_EXPECT_EQ(test, ckpt_check_tty_rec(&t), -EINVAL);
	t.flags = CKPT_TTY_PACKET;
	KUNIT_EXPECT_EQ(test, ckpt_check_tty_rec(&t), 0);
	t.pktstatus = 0x100;
	KUNIT_EXPECT_EQ(test, ckpt_check_tty_rec(&t), -EINVAL);
	t.pktstatus = 0;
	t.flags = 0x8;
	KUNIT_EXPECT_EQ(test, ckpt_check_tty_rec(&t), -EINVAL);
	t.flags = CKPT_TTY_FLAGS;
	KUNIT_EXPECT_EQ(test, ckpt_check_tty_rec(&t), 0);
	t.path_len = 0;
	KUNIT_EXPECT_EQ(test, ckpt_check_tty_rec(&t), -EINVAL);
	t.path_len = CKPT_PATH_MAX;
	KUNIT_EXPECT_EQ(test, ckpt_check_tty_rec(&t), -EINVAL);
	t.path_len = 9;
	t.termios.line = 1;	/* another line discipline */
	KUNIT_EXPECT_EQ(test, ckpt_check_tty_rec(&t), -EINVAL);
	t.termios.line = 0;
	t.termios.lflag |= EXTPROC;
	KUNIT_EXPECT_EQ(test, ckpt_check_tty_rec(&t), -EINVAL);
	t.termios.lflag &= ~EXTPROC;
	t.termios.pad[3] = 1;
	KUNIT_EXPECT_EQ(test, ckpt_check_tty_rec(&t), -EINVAL);
	t.termios.pad[3] = 0;
	t.mode = 0620;
	KUNIT_EXPECT_EQ(test, ckpt_check_tty_rec(&t), 0);
	t.mode = 010000;
	KUNIT_EXPECT_EQ(test, ckpt_check_tty_rec(&t), -EINVAL);
	t.mode = 0620;
	t.gid = U32_MAX;	/* chown()'s "unchanged" */
	KUNIT_EXPECT_EQ(test, ckpt_check_tty_rec(&t), -EINVAL);
	t.gid = 5;
	t.id = 0;
	KUNIT_EXPECT_EQ(test, ckpt_check_tty_rec(&t), -EINVAL);

	/* FILE: the master has no path, a slave and /dev/tty have one. */
	KUNIT_EXPECT_EQ(test, ckpt_check_file(&f), 0);
	f.path_len = 9;
	KUNIT_EXPECT_EQ(test, ckpt_check_file(&f), -EINVAL);
	f.rdev = 136 << 20 | 3;
	KUNIT_EXPECT_EQ(test, ckpt_check_file(&f), 0);
	f.rdev = CKPT_TTY_RDEV_TTY;
	KUNIT_EXPECT_EQ(test, ckpt_check_file(&f), 0);
	f.rdev = 5 << 20 | 1;	/* /dev/console */
	KUNIT_EXPECT_EQ(test, ckpt_check_file(&f), -EINVAL);
	f.rdev = 144 << 20;
	KUNIT_EXPECT_EQ(test, ckpt_check_file(&f), -EINVAL);
	f.rdev = 143 << 20 | 0xfffff;
	KUNIT_EXPECT_EQ(test, ckpt_check_file(&f), 0);
	f.path_len = 0;
	KUNIT_EXPECT_EQ(test, ckpt_check_file(&f), -EINVAL);
	f.rdev = CKPT_TTY_RDEV_PTMX;
	f.obj = 0;
	KUNIT_EXPECT_EQ(test, ckpt_check_file(&f), -EINVAL);
	f.obj = 1;
	f.pos = 1;
	KUNIT_EXPECT_EQ(test, ckpt_check_file(&f), -EINVAL);
}

static void ckpt_test_tty_buf(struct kunit *test)
{
	struct ckpt_tty t = { .id = 2, .termios = { .lflag = ICANON } };
	struct ckpt_tty_buf b = { .tty = 2, .end = CKPT_TTY_MASTER, .len = 10 };

	KUNIT_EXPECT_EQ(test, ckpt_check_tty_buf(&b, 10, CKPT_TTY_MASTER, &t), 0);
	KUNIT_EXPECT_EQ(test, ckpt_check_tty_buf(&b, 11, CKPT_TTY_MASTER, &t),
			-EINVAL);
	/* The master reads raw, always. */
	b.flags = CKPT_TTY_BUF_CANON;
	KUNIT_EXPECT_EQ(test, ckpt_check_tty_buf(&b, 12, CKPT_TTY_MASTER, &t),
			-EINVAL);
	b.end = CKPT_TTY_SLAVE;
	KUNIT_EXPECT_EQ(test, ckpt_check_tty_buf(&b, 12, CKPT_TTY_MASTER, &t),
			-EINVAL);
	KUNIT_EXPECT_EQ(test, ckpt_check_tty_buf(&b, 12, CKPT_TTY_SLAVE, &t), 0);
	KUNIT_EXPECT_EQ(test, ckpt_check_tty_buf(&b, 11, CKPT_TTY_SLAVE, &t),
			-EINVAL);
	/* Canonical input of a slave that is not canonical. */
	t.termios.lflag = 0;
	KUNIT_EXPECT_EQ(test, ckpt_check_tty_buf(&b, 12, CKPT_TTY_SLAVE, &t),
			-EINVAL);
	b.flags = 0;
	KUNIT_EXPECT_EQ(test, ckpt_check_tty_buf(&b, 10, CKPT_TTY_SLAVE, &t), 0);
	b.len = CKPT_TTY_BUF_MAX + 1;
	KUNIT_EXPECT_EQ(test, ckpt_check_tty_buf(&b, b.len, CKPT_TTY_SLAVE, &t),
			-EINVAL);
	b.len = 10;
	b.tty = 1;
	KUNIT_EXPECT_EQ(test, ckpt_check_tty_buf(&b, 10, CKPT_TTY_SLAVE, &t),
			-EINVAL);
	b.tty = 2;
	b.flags = 2;
	KUNIT_EXPECT_EQ(test, ckpt_check_tty_buf(&b, 10, CKPT_TTY_SLAVE, &t),
			-EINVAL);
}

static void ckpt_test_ctty(struct kunit *test)
{
	struct ckpt_ctty c = { .tty = 1, .flags = CKPT_CTTY_LEADER, .pgrp = 4 };

	KUNIT_EXPECT_EQ(test, ckpt_check_ctty_rec(&c), 0);
	c.pgrp = 0;
	KUNIT_EXPECT_EQ(test, ckpt_check_ctty_rec(&c), -EINVAL);
	c.flags = 0;
	KUNIT_EXPECT_EQ(test, ckpt_check_ctty_rec(&c), 0);
	c.pgrp = 4;		/* a group for a process that is no leader */
	KUNIT_EXPECT_EQ(test, ckpt_check_ctty_rec(&c), -EINVAL);
	c.pgrp = 0;
	c.tty = 0;
	KUNIT_EXPECT_EQ(test, ckpt_check_ctty_rec(&c), -EINVAL);
	c.tty = 1;
	c.flags = 2;
	KUNIT_EXPECT_EQ(test, ckpt_check_ctty_rec(&c), -EINVAL);
	c.flags = 0;
	c.pad = 1;
	KUNIT_EXPECT_EQ(test, ckpt_check_ctty_rec(&c), -EINVAL);
}

/* What restart writes to the master for canonical input. */
static void ckpt_test_tty_feed(struct kunit *test)
{
	/* "ab\n" "c" EOF, "d^V" ended by EOL 0x02, "e" being edited */
	u8 data[] = { 'a', 'b', '\n', 'c', 0, 'd', 0x16, 0x02, 'e',
		      /* line ends: bytes 2, 4, 7 */
		      BIT(2) | BIT(4) | BIT(7), 0 };
	struct ckpt_tty_feed f = {
		.b = { .len = 9, .flags = CKPT_TTY_BUF_CANON },
		.data = data,
	};
	/* LNEXT ^V (the data's ^V escaped), EOF ^W for the NUL. */
	static const u8 want[] = { 'a', 'b', '\n', 'c', 0x17, 'd', 0x16, 0x16,
				   0x02, 'e' };

	KUNIT_ASSERT_EQ(test, ckpt_tty_feed_build(&f), 0);
	KUNIT_EXPECT_EQ(test, f.eol[0], 0x02);
	KUNIT_EXPECT_EQ(test, f.lnext, 0x16);
	KUNIT_EXPECT_EQ(test, f.veof, 0x17);
	KUNIT_ASSERT_EQ(test, f.len, (u32)sizeof(want));
	KUNIT_EXPECT_EQ(test, memcmp(f.out, want, sizeof(want)), 0);
	kfree(f.out);

	/* An EOL of ^V: the literal-next character moves on. */
	data[6] = 'x';
	data[7] = 0x16;
	f.out = NULL;
	KUNIT_ASSERT_EQ(test, ckpt_tty_feed_build(&f), 0);
	KUNIT_EXPECT_EQ(test, f.lnext, 0x17);
	KUNIT_EXPECT_EQ(test, f.veof, 0x18);
	KUNIT_EXPECT_EQ(test, f.len, 9U);
	kfree(f.out);

	/* A newline inside a line is escaped; a bit past the end is bad. */
	data[6] = '\n';
	data[7] = 0x02;
	f.out = NULL;
	KUNIT_ASSERT_EQ(test, ckpt_tty_feed_build(&f), 0);
	KUNIT_EXPECT_EQ(test, f.len, 10U);
	KUNIT_EXPECT_EQ(test, f.out[6], f.lnext);
	KUNIT_EXPECT_EQ(test, f.out[7], '\n');
	kfree(f.out);
	data[10] |= BIT(6);	/* byte 14 of 9 */
	f.out = NULL;
	KUNIT_EXPECT_EQ(test, ckpt_tty_feed_build(&f), -EINVAL);
	kfree(f.out);
	data[10] &= ~BIT(6);

	/* Three characters other than newline ending lines: too many. */
	data[2] = 0x03;
	data[4] = 0x04;
	f.out = NULL;
	KUNIT_EXPECT_EQ(test, ckpt_tty_feed_build(&f), -EINVAL);
	kfree(f.out);
}

static struct kunit_case ckpt_tty_cases[] = {
	KUNIT_CASE(ckpt_test_tty_rec),
	KUNIT_CASE(ckpt_test_tty_buf),
	KUNIT_CASE(ckpt_test_ctty),
	KUNIT_CASE(ckpt_test_tty_feed),
	{}
};

static struct kunit_suite ckpt_tty_suite = {
	.name = "ckpt_tty",
	.test_cases = ckpt_tty_cases,
};

kunit_test_suite(ckpt_tty_suite);
