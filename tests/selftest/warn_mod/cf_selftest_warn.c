// SPDX-License-Identifier: GPL-2.0
/* Harness selftest: a module that triggers a kernel WARNING at load. */
#include <linux/bug.h>
#include <linux/module.h>

static int __init cf_selftest_warn_init(void)
{
	WARN_ON(1);
	return 0;
}

static void __exit cf_selftest_warn_exit(void)
{
}

module_init(cf_selftest_warn_init);
module_exit(cf_selftest_warn_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("camfence harness selftest: WARN_ON(1) at load");
