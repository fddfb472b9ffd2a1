// SPDX-License-Identifier: GPL-2.0
/*
 * Harness selftest: a module whose /proc/cf_selftest_block blocks a writer
 * in D state (uninterruptible: SIGKILL cannot end it) until something is
 * written to /proc/cf_selftest_release: what a kernel deadlock does to a
 * test's process.
 */
#include <linux/module.h>
#include <linux/proc_fs.h>
#include <linux/wait.h>

static DECLARE_WAIT_QUEUE_HEAD(cf_selftest_wq);
static bool cf_selftest_released;

static ssize_t cf_selftest_block_write(struct file *f, const char __user *buf,
				       size_t n, loff_t *pos)
{
	wait_event(cf_selftest_wq, READ_ONCE(cf_selftest_released));
	return n;
}

static ssize_t cf_selftest_release_write(struct file *f,
					 const char __user *buf, size_t n,
					 loff_t *pos)
{
	WRITE_ONCE(cf_selftest_released, true);
	wake_up_all(&cf_selftest_wq);
	return n;
}

static const struct proc_ops cf_selftest_block_ops = {
	.proc_write = cf_selftest_block_write,
};

static const struct proc_ops cf_selftest_release_ops = {
	.proc_write = cf_selftest_release_write,
};

static int __init cf_selftest_dstate_init(void)
{
	if (!proc_create("cf_selftest_block", 0200, NULL,
			 &cf_selftest_block_ops))
		return -ENOMEM;
	if (!proc_create("cf_selftest_release", 0200, NULL,
			 &cf_selftest_release_ops)) {
		remove_proc_entry("cf_selftest_block", NULL);
		return -ENOMEM;
	}
	return 0;
}

static void __exit cf_selftest_dstate_exit(void)
{
	remove_proc_entry("cf_selftest_release", NULL);
	remove_proc_entry("cf_selftest_block", NULL);
}

module_init(cf_selftest_dstate_init);
module_exit(cf_selftest_dstate_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("camfence harness selftest: a writer blocked in D state");
