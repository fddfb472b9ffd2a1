// SPDX-License-Identifier: GPL-2.0
/*
 * Offload detection (issue 13.6): frames a switch chip forwards in hardware
 * (switchdev/DSA ports) and connections an nft flowtable has offloaded
 * never reach a camfence hook, so a camera behind such an interface is not
 * fenced by camfence alone. This file finds the zone interfaces where that
 * can happen; the report is read on demand (camfencectl stats and load,
 * the sysfs file "offload"), so a flowtable added after the commit shows.
 *
 *   switchdev: the interface, or a device below it, has a switch parent id
 *     (dev_get_port_parent_id(), as bridge offload uses it);
 *   flowtable: an nft flowtable has its ingress hook on the interface or
 *     on the device below a VLAN interface (the hook functions of
 *     nf_flow_table are named nf_flow_offload_*).
 *
 * A zone interface is one named by an interface zone, a VLAN device whose
 * VID has a zone, or a port or master of a VLAN-aware bridge that is a
 * member of a zone VLAN.
 */
#include <linux/kernel.h>
#include <linux/kallsyms.h>
#include <linux/netdevice.h>
#include <linux/if_vlan.h>
#include <linux/if_bridge.h>
#include <linux/netfilter.h>
#include <linux/netfilter_netdev.h>
#include <linux/rtnetlink.h>
#include "offload.h"
#include "policy.h"

static bool cf_offload_flowtable(const struct net_device *dev)
{
#ifdef CONFIG_NETFILTER_INGRESS
	const struct nf_hook_entries *e;
	char sym[KSYM_SYMBOL_LEN];
	unsigned int i;

	e = rcu_dereference(dev->nf_hooks_ingress);
	for (i = 0; e && i < e->num_hook_entries; i++) {
		sprint_symbol_no_offset(sym, (unsigned long)e->hooks[i].hook);
		if (strstarts(sym, "nf_flow_offload_"))
			return true;
	}
#endif
	return false;
}

static bool cf_offload_switchdev(struct net_device *dev)
{
	struct netdev_phys_item_id ppid;

	return !dev_get_port_parent_id(dev, &ppid, true);
}

static bool cf_offload_in_vlan_zone(const struct cf_policy *p,
				    struct net_device *dev)
{
	struct bridge_vlan_info vi;
	u32 i;

	for (i = 0; i < p->nzone_vids; i++)
		if (!br_vlan_get_info(dev, p->zone_vids[i], &vi))
			return true;
	return false;
}

static bool cf_offload_in_zone(const struct cf_policy *p,
			       struct net_device *dev)
{
	struct net_device *br;

	if (cf_policy_zone_ifname(p, dev->name))
		return true;
	if (is_vlan_dev(dev))
		return cf_policy_zone_vid(p, vlan_dev_vlan_id(dev));
	if (netif_is_bridge_master(dev))
		return br_vlan_enabled(dev) && cf_offload_in_vlan_zone(p, dev);
	if (netif_is_bridge_port(dev)) {
		br = netdev_master_upper_dev_get(dev);
		return br && br_vlan_enabled(br) &&
		       cf_offload_in_vlan_zone(p, dev);
	}
	return false;
}

/*
 * Writes "IFNAME switchdev" and "IFNAME flowtable" lines for the zone
 * interfaces of net's policy into buf (at most len bytes, NUL-terminated);
 * returns the length. Takes the RTNL: process context.
 */
int cf_offload_report(struct net *net, char *buf, size_t len)
{
	const struct cf_policy *p;
	struct net_device *dev, *low;
	int n = 0;

	buf[0] = '\0';
	rtnl_lock();
	rcu_read_lock();
	p = cf_policy_rcu(cf_net(net));
	for_each_netdev(net, dev) {
		if (!p || !p->nzones || !cf_offload_in_zone(p, dev))
			continue;
		low = is_vlan_dev(dev) ? vlan_dev_real_dev(dev) : dev;
		if (cf_offload_switchdev(dev))
			n += scnprintf(buf + n, len - n, "%s switchdev\n",
				       dev->name);
		if (cf_offload_flowtable(dev) || cf_offload_flowtable(low))
			n += scnprintf(buf + n, len - n, "%s flowtable\n",
				       dev->name);
	}
	rcu_read_unlock();
	rtnl_unlock();
	return n;
}
