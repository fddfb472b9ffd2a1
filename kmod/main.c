// SPDX-License-Identifier: GPL-2.0
/*
 * camfence: per-device isolation of IP cameras behind a Linux router.
 *
 * Module init/exit, module parameters and the per network namespace state.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/module.h>
#include <linux/moduleparam.h>
#include <linux/slab.h>
#include <linux/rcupdate.h>
#include <net/net_namespace.h>
#include <net/netns/generic.h>
#include "camfence.h"
#include "policy.h"
#include "devstate.h"
#include "unknown.h"
#include "events.h"
#include "sysfs.h"
#include "hooks.h"
#include "netlink.h"

struct cf_limits cf_limits = {
	.max_devices = 65536,
	.max_profiles = 1024,
	.max_rules = 64,
	.max_zones = 64,
	.unknown_table_size = 256,
	.unknown_new_rate = 100,
	.unknown_new_burst = 200,
	.event_rate = 10,
	.event_burst = 20,
	.sysfs_sync_max = 1024,
};

module_param_named(max_devices, cf_limits.max_devices, uint, 0444);
MODULE_PARM_DESC(max_devices, "Maximum number of devices in a policy (default 65536)");
module_param_named(max_profiles, cf_limits.max_profiles, uint, 0444);
MODULE_PARM_DESC(max_profiles, "Maximum number of profiles in a policy (default 1024)");
module_param_named(max_rules, cf_limits.max_rules, uint, 0444);
MODULE_PARM_DESC(max_rules, "Maximum number of rules per profile (default 64)");
module_param_named(max_zones, cf_limits.max_zones, uint, 0444);
MODULE_PARM_DESC(max_zones, "Maximum number of zones in a policy (default 64)");
module_param_named(unknown_table_size, cf_limits.unknown_table_size, uint, 0444);
MODULE_PARM_DESC(unknown_table_size, "Entries of the unknown-device table (default 256)");
module_param_named(unknown_new_rate, cf_limits.unknown_new_rate, uint, 0444);
MODULE_PARM_DESC(unknown_new_rate, "New entries of the unknown-device table per second per CPU; above it an unknown frame is only counted (default 100)");
module_param_named(unknown_new_burst, cf_limits.unknown_new_burst, uint, 0444);
MODULE_PARM_DESC(unknown_new_burst, "Burst of new unknown-device entries per CPU (default 200)");
module_param_named(event_rate, cf_limits.event_rate, uint, 0444);
MODULE_PARM_DESC(event_rate, "Events per second per device (default 10)");
module_param_named(event_burst, cf_limits.event_burst, uint, 0444);
MODULE_PARM_DESC(event_burst, "Event burst per device (default 20)");
module_param_named(sysfs_sync_max, cf_limits.sysfs_sync_max, uint, 0444);
MODULE_PARM_DESC(sysfs_sync_max, "Largest number of device directories a commit creates, renames or removes before it replies; larger changes follow in the background, see sysfs_generation (default 1024)");

static unsigned short sealed_vlans[CF_MAX_ZONE_VLANS];
static unsigned int n_sealed_vlans;
module_param_array(sealed_vlans, ushort, &n_sealed_vlans, 0444);
MODULE_PARM_DESC(sealed_vlans, "VLAN IDs sealed whenever no zone of the policy covers them, from module load on (init_net)");

static char *sealed_ifaces[CF_MAX_ZONE_IFS];
static unsigned int n_sealed_ifaces;
module_param_array(sealed_ifaces, charp, &n_sealed_ifaces, 0444);
MODULE_PARM_DESC(sealed_ifaces, "Interfaces sealed whenever no zone of the policy covers them, from module load on (init_net)");

static unsigned int cf_net_id __read_mostly;
static struct cf_zone_spec *cf_sealed_zone;

struct cf_net *cf_net(const struct net *net)
{
	return net_generic(net, cf_net_id);
}

const struct cf_zone_spec *cf_sealed_spec(const struct cf_net *cn)
{
	return net_eq(cn->net, &init_net) ? cf_sealed_zone : NULL;
}

static int __net_init cf_net_init(struct net *net)
{
	struct cf_net *cn = net_generic(net, cf_net_id);
	const struct cf_zone_spec *sealed;
	int err;

	cn->net = net;
	mutex_init(&cn->lock);
	cn->mode = CAMFENCE_MODE_ENFORCE;
	cn->sealed = true;

	sealed = cf_sealed_spec(cn);
	err = cf_devstate_net_init(cn);
	if (err)
		return err;
	err = cf_unknown_net_init(cn);
	if (err)
		goto err_devstate;
	err = cf_policy_net_init(cn, sealed);
	if (err)
		goto err_unknown;
	/* Other namespaces get the events ring at their first commit with
	 * zones; the sealed zones are enforced from the start.
	 */
	if (sealed) {
		err = cf_events_enable(cn);
		if (err)
			goto err_policy;
	}
	err = cf_sysfs_net_init(cn);
	if (err)
		goto err_events;
	err = cf_hooks_net_init(net);
	if (err)
		goto err_sysfs;
	return 0;

err_sysfs:
	cf_sysfs_net_exit(cn);
err_events:
	cf_events_net_exit(cn);
err_policy:
	cf_policy_net_exit(cn);
err_unknown:
	cf_unknown_net_exit(cn);
err_devstate:
	cf_devstate_net_exit(cn);
	return err;
}

static void __net_exit cf_net_exit(struct net *net)
{
	struct cf_net *cn = net_generic(net, cf_net_id);

	cf_hooks_net_exit(net);
	cf_sysfs_net_unpublish(cn);
	cf_sysfs_net_exit(cn);
	cf_events_net_exit(cn);
	cf_policy_net_exit(cn);
	cf_unknown_net_exit(cn);
	cf_devstate_net_exit(cn);
}

static struct pernet_operations cf_net_ops = {
	.init = cf_net_init,
	.exit = cf_net_exit,
	.id = &cf_net_id,
	.size = sizeof(struct cf_net),
};

/*
 * Stops what uses the generic netlink family from a namespace: the hooks
 * (they queue events) and the events work item (it multicasts them).
 * Registered after cf_net_ops, so a namespace that goes away runs this
 * before cf_net_exit(); at module unload cf_exit() runs it for every
 * namespace before it unregisters the family. A commit in between may
 * register the hooks again, but the events stay stopped and cf_net_exit()
 * unregisters the hooks.
 */
static void __net_exit cf_net_quiesce(struct net *net)
{
	cf_hooks_net_exit(net);
	cf_events_net_stop(cf_net(net));
}

static struct pernet_operations cf_quiesce_ops = {
	.exit = cf_net_quiesce,
};

static int __init cf_check_params(void)
{
	struct cf_zone_spec *z;
	unsigned int i;

	if (!cf_limits.max_devices || !cf_limits.max_profiles ||
	    !cf_limits.max_rules || !cf_limits.max_zones ||
	    cf_limits.max_zones > 4094 || cf_limits.max_rules > 65536 ||
	    cf_limits.max_devices > (1U << 24) ||
	    cf_limits.max_profiles > (1U << 20)) {
		pr_err("a limit parameter is out of range\n");
		return -EINVAL;
	}
	if (!cf_limits.unknown_table_size ||
	    cf_limits.unknown_table_size > CF_UNKNOWN_MAX) {
		pr_err("unknown_table_size must be 1..%u\n", CF_UNKNOWN_MAX);
		return -EINVAL;
	}
	if (cf_limits.event_rate > 1000000 || cf_limits.event_burst > 1000000) {
		pr_err("event_rate and event_burst must be at most 1000000\n");
		return -EINVAL;
	}
	if (cf_limits.unknown_new_rate > 1000000 ||
	    cf_limits.unknown_new_burst > 1000000) {
		pr_err("unknown_new_rate and unknown_new_burst must be at most 1000000\n");
		return -EINVAL;
	}
	if (!n_sealed_vlans && !n_sealed_ifaces)
		return 0;

	z = kzalloc(sizeof(*z), GFP_KERNEL);
	if (!z)
		return -ENOMEM;
	strscpy(z->name, "sealed", sizeof(z->name));
	z->unknown = CAMFENCE_ACTION_DROP;
	for (i = 0; i < n_sealed_vlans; i++) {
		if (sealed_vlans[i] < 1 || sealed_vlans[i] > 4094) {
			pr_err("sealed_vlans: %u is not a VLAN ID 1..4094\n",
			       sealed_vlans[i]);
			goto err;
		}
		z->vlans[z->nvlans++] = sealed_vlans[i];
	}
	for (i = 0; i < n_sealed_ifaces; i++) {
		const char *n = sealed_ifaces[i];

		if (!n || !*n || strlen(n) >= IFNAMSIZ || !dev_valid_name(n)) {
			pr_err("sealed_ifaces: invalid interface name\n");
			goto err;
		}
		strscpy(z->ifnames[z->nifs++], n, IFNAMSIZ);
	}
	cf_sealed_zone = z;
	return 0;

err:
	kfree(z);
	return -EINVAL;
}

static int __init cf_init(void)
{
	int err;

	err = cf_check_params();
	if (err)
		return err;
	err = cf_devstate_module_init();
	if (err)
		goto err_params;
	err = cf_policy_module_init();
	if (err)
		goto err_devstate;
	err = register_pernet_subsys(&cf_net_ops);
	if (err)
		goto err_caches;
	err = register_pernet_subsys(&cf_quiesce_ops);
	if (err)
		goto err_pernet;
	err = cf_genl_init();
	if (err)
		goto err_quiesce;
	pr_info("version %s loaded%s\n", CAMFENCE_VERSION_STR,
		cf_sealed_zone ? ", seal: VLANs/interfaces in no zone dropped" : "");
	return 0;

err_quiesce:
	unregister_pernet_subsys(&cf_quiesce_ops);
err_pernet:
	unregister_pernet_subsys(&cf_net_ops);
	rcu_barrier();
err_caches:
	cf_policy_module_exit();
err_devstate:
	cf_devstate_module_exit();
err_params:
	kfree(cf_sealed_zone);
	cf_sealed_zone = NULL;
	return err;
}

/*
 * Drain before unregistering. The hooks queue events and the events work
 * multicasts them on the family: a multicast racing genl_unregister_family()
 * would use a group number that another family may already have been
 * given. So: no event is sent any more (namespaces created meanwhile
 * included), every namespace's hooks and events work are stopped, then the
 * family (and the NETLINK_URELEASE notifier) goes. The namespaces' state is
 * freed last: until the family is unregistered a request may still reach it.
 */
static void __exit cf_exit(void)
{
	cf_genl_events_off();
	unregister_pernet_subsys(&cf_quiesce_ops);
	cf_genl_exit();
	unregister_pernet_subsys(&cf_net_ops);
	/* the last policies wait for a grace period, then for their free
	 * work, which cf_policy_module_exit() drains; that frees the last
	 * device state, then its caches can go
	 */
	rcu_barrier();
	cf_policy_module_exit();
	cf_devstate_module_exit();
	kfree(cf_sealed_zone);
	pr_info("unloaded\n");
}

module_init(cf_init);
module_exit(cf_exit);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("camfence: per-device isolation of IP cameras");
MODULE_VERSION(CAMFENCE_VERSION);
