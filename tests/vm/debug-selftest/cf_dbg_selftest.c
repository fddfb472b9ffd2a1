// SPDX-License-Identifier: GPL-2.0
/*
 * Debug lane selftest (make check-debug-selftest): a module with deliberate
 * bugs, one per value of the "bug" parameter, each of which the sanitizer
 * kernel must report:
 *   bug=leak   kmalloc(200) whose only pointer is dropped   -> kmemleak
 *   bug=uaf    reads a byte of a freed kmalloc(64)           -> KASAN
 *   bug=oob    indexes a 4-element array with 4              -> UBSAN
 *   bug=sleep  kmalloc(GFP_KERNEL) under a spinlock          -> DEBUG_ATOMIC_SLEEP
 *   bug=abba   takes lock A then B, later B then A           -> lockdep
 *   bug=none   nothing (the control run must pass)
 * The module stays loaded (init returns 0) so that the bug is the only
 * event; it never builds against the stock kernel.
 */
#include <linux/module.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include <linux/string.h>

static char *bug = "none";
module_param(bug, charp, 0444);
MODULE_PARM_DESC(bug, "none, leak, uaf, oob, sleep or abba");

static void *cf_dbg_ptr;
static int cf_dbg_idx = 4;
module_param_named(idx, cf_dbg_idx, int, 0444);
static DEFINE_SPINLOCK(cf_dbg_lock);
static DEFINE_SPINLOCK(cf_dbg_lock_b);

/* not __init: the report's backtrace names it (init text is freed) */
static noinline int cf_dbg_leak(void)
{
	char *p = kmalloc(200, GFP_KERNEL);

	if (!p)
		return -ENOMEM;
	memset(p, 0xcf, 200);
	WRITE_ONCE(cf_dbg_ptr, p);
	WRITE_ONCE(cf_dbg_ptr, NULL);
	pr_info("cf_dbg_selftest: leaked 200 bytes\n");
	return 0;
}

static int __init cf_dbg_selftest_init(void)
{
	int arr[4] = { 1, 2, 3, 4 };
	char *p;

	if (!strcmp(bug, "leak")) {
		return cf_dbg_leak();
	} else if (!strcmp(bug, "uaf")) {
		p = kmalloc(64, GFP_KERNEL);
		if (!p)
			return -ENOMEM;
		WRITE_ONCE(cf_dbg_ptr, p);
		kfree(p);
		p = READ_ONCE(cf_dbg_ptr);
		pr_info("cf_dbg_selftest: read after free: %d\n", READ_ONCE(p[8]));
		WRITE_ONCE(cf_dbg_ptr, NULL);
	} else if (!strcmp(bug, "oob")) {
		pr_info("cf_dbg_selftest: arr[%d] = %d\n", cf_dbg_idx,
			arr[cf_dbg_idx]);
	} else if (!strcmp(bug, "sleep")) {
		spin_lock(&cf_dbg_lock);
		p = kmalloc(32, GFP_KERNEL);	/* may sleep */
		spin_unlock(&cf_dbg_lock);
		kfree(p);
	} else if (!strcmp(bug, "abba")) {
		spin_lock(&cf_dbg_lock);
		spin_lock(&cf_dbg_lock_b);
		spin_unlock(&cf_dbg_lock_b);
		spin_unlock(&cf_dbg_lock);
		spin_lock(&cf_dbg_lock_b);
		spin_lock(&cf_dbg_lock);
		spin_unlock(&cf_dbg_lock);
		spin_unlock(&cf_dbg_lock_b);
	} else if (strcmp(bug, "none")) {
		return -EINVAL;
	}
	return 0;
}

static void __exit cf_dbg_selftest_exit(void)
{
}

module_init(cf_dbg_selftest_init);
module_exit(cf_dbg_selftest_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("camfence debug lane selftest: deliberate leak, use-after-free, out-of-bounds, sleep in atomic, ABBA locking");
