// SPDX-License-Identifier: GPL-2.0
/*
 * /sys/kernel/camfence: global state and counters, and one directory per
 * device under devices/. Only the initial network namespace is shown; every
 * function here is a no-op for the others. See
 * docs/ABI/testing/sysfs-kernel-camfence.
 *
 * The show() callbacks never take cn->lock: the device directories are
 * created and removed by policy.c with cn->lock held (at commit or later
 * from its sysfs work item, see sysfs_generation), each directory holds a
 * reference on its device's state, and kernfs waits for running show()
 * calls when a directory is removed.
 */

#include <linux/kernel.h>
#include <linux/err.h>
#include <linux/slab.h>
#include <linux/kobject.h>
#include <linux/sysfs.h>
#include <linux/rcupdate.h>
#include <net/net_namespace.h>

#include "sysfs.h"
#include "policy.h"
#include "devstate.h"
#include "txn.h"
#include "offload.h"

struct cf_sysfs {
	struct cf_net *cn;
	struct kobject *root;		/* /sys/kernel/camfence */
	struct kobject *devices;	/* /sys/kernel/camfence/devices */
	/* directories of removed devices not deleted yet, and the work item
	 * that catches up after large commits (cn->lock)
	 */
	struct kobject **del;
	u32 ndel, delcap;
	bool queued;
	struct work_struct work;
};

/* A device directory: points to the devstate that outlives it. */
struct cf_sysfs_dev {
	struct kobject kobj;
	struct cf_devstate *ds;
};

static const char *cf_mode_name(u8 mode)
{
	switch (mode) {
	case CAMFENCE_MODE_ENFORCE:
		return "enforce";
	case CAMFENCE_MODE_MONITOR:
		return "monitor";
	default:
		return "default";
	}
}

/* ---- global files ---- */

static struct cf_net *cf_sysfs_cn(void)
{
	return cf_net(&init_net);
}

static ssize_t mode_show(struct kobject *kobj, struct kobj_attribute *attr,
			 char *buf)
{
	return sysfs_emit(buf, "%s\n",
			  cf_mode_name(READ_ONCE(cf_sysfs_cn()->mode)));
}

static ssize_t generation_show(struct kobject *kobj,
			       struct kobj_attribute *attr, char *buf)
{
	return sysfs_emit(buf, "%llu\n", cf_generation(cf_sysfs_cn()));
}

static ssize_t sysfs_generation_show(struct kobject *kobj,
				     struct kobj_attribute *attr, char *buf)
{
	return sysfs_emit(buf, "%llu\n",
			  (u64)atomic64_read(&cf_sysfs_cn()->sysfs_generation));
}

static ssize_t device_count_show(struct kobject *kobj,
				 struct kobj_attribute *attr, char *buf)
{
	u32 n;

	rcu_read_lock();
	n = cf_policy_device_count(cf_policy_rcu(cf_sysfs_cn()));
	rcu_read_unlock();
	return sysfs_emit(buf, "%u\n", n);
}

static ssize_t sealed_show(struct kobject *kobj, struct kobj_attribute *attr,
			   char *buf)
{
	return sysfs_emit(buf, "%d\n", READ_ONCE(cf_sysfs_cn()->sealed) ? 1 : 0);
}

static ssize_t version_show(struct kobject *kobj, struct kobj_attribute *attr,
			    char *buf)
{
	return sysfs_emit(buf, "%s\n", CAMFENCE_VERSION_STR);
}

/* Zone interfaces whose traffic can bypass the hooks (offload.c). */
static ssize_t offload_show(struct kobject *kobj, struct kobj_attribute *attr,
			    char *buf)
{
	return cf_offload_report(&init_net, buf, PAGE_SIZE);
}

static struct kobj_attribute cf_attr_mode = __ATTR_RO(mode);
static struct kobj_attribute cf_attr_generation = __ATTR_RO(generation);
static struct kobj_attribute cf_attr_sysfs_generation =
	__ATTR_RO(sysfs_generation);
static struct kobj_attribute cf_attr_device_count = __ATTR_RO(device_count);
static struct kobj_attribute cf_attr_sealed = __ATTR_RO(sealed);
static struct kobj_attribute cf_attr_version = __ATTR_RO(version);
static struct kobj_attribute cf_attr_offload = __ATTR_RO(offload);

static struct attribute *cf_global_attrs[] = {
	&cf_attr_mode.attr,
	&cf_attr_generation.attr,
	&cf_attr_sysfs_generation.attr,
	&cf_attr_device_count.attr,
	&cf_attr_sealed.attr,
	&cf_attr_version.attr,
	&cf_attr_offload.attr,
	NULL,
};

static const struct attribute_group cf_global_group = {
	.attrs = cf_global_attrs,
};

/* The files of stats/: one show() reading a field of cf_stats_info. */
struct cf_stat_attribute {
	struct kobj_attribute ka;
	size_t off;
};

static ssize_t cf_stat_show(struct kobject *kobj, struct kobj_attribute *attr,
			    char *buf)
{
	const struct cf_stat_attribute *sa =
		container_of(attr, struct cf_stat_attribute, ka);
	struct cf_stats_info s;
	u64 v;

	cf_stats_read(cf_sysfs_cn(), &s);
	memcpy(&v, (const char *)&s + sa->off, sizeof(v));
	return sysfs_emit(buf, "%llu\n", v);
}

static struct cf_stat_attribute cf_stat_allowed = {
	__ATTR(allowed_packets, 0444, cf_stat_show, NULL),
	offsetof(struct cf_stats_info, allowed_packets),
};

static struct cf_stat_attribute cf_stat_dropped = {
	__ATTR(dropped_packets, 0444, cf_stat_show, NULL),
	offsetof(struct cf_stats_info, dropped_packets),
};

static struct cf_stat_attribute cf_stat_unknown = {
	__ATTR(unknown_packets, 0444, cf_stat_show, NULL),
	offsetof(struct cf_stats_info, unknown_packets),
};

static struct cf_stat_attribute cf_stat_spoofed = {
	__ATTR(spoofed_packets, 0444, cf_stat_show, NULL),
	offsetof(struct cf_stats_info, spoofed_packets),
};

static struct cf_stat_attribute cf_stat_monitored = {
	__ATTR(monitored_packets, 0444, cf_stat_show, NULL),
	offsetof(struct cf_stats_info, monitored_packets),
};

static struct cf_stat_attribute cf_stat_suppressed = {
	__ATTR(events_suppressed, 0444, cf_stat_show, NULL),
	offsetof(struct cf_stats_info, events_suppressed),
};

static struct cf_stat_attribute cf_stat_unk_not_rec = {
	__ATTR(unknown_not_recorded, 0444, cf_stat_show, NULL),
	offsetof(struct cf_stats_info, unknown_not_recorded),
};

static struct cf_stat_attribute cf_stat_ev_not_rec = {
	__ATTR(evidence_not_recorded, 0444, cf_stat_show, NULL),
	offsetof(struct cf_stats_info, evidence_not_recorded),
};

static struct attribute *cf_stats_attrs[] = {
	&cf_stat_allowed.ka.attr,
	&cf_stat_dropped.ka.attr,
	&cf_stat_unknown.ka.attr,
	&cf_stat_spoofed.ka.attr,
	&cf_stat_monitored.ka.attr,
	&cf_stat_suppressed.ka.attr,
	&cf_stat_unk_not_rec.ka.attr,
	&cf_stat_ev_not_rec.ka.attr,
	NULL,
};

static const struct attribute_group cf_stats_group = {
	.name = "stats",
	.attrs = cf_stats_attrs,
};

static const struct attribute_group *cf_global_groups[] = {
	&cf_global_group,
	&cf_stats_group,
	NULL,
};

/* ---- device directories ---- */

static const char *cf_proto_name(u8 proto)
{
	switch (proto) {
	case IPPROTO_ICMP:
		return "icmp";
	case IPPROTO_TCP:
		return "tcp";
	case IPPROTO_UDP:
		return "udp";
	case IPPROTO_ICMPV6:
		return "icmpv6";
	default:
		return NULL;
	}
}

/* "udp 203.0.113.7:6800", "tcp [2001:db8::7]:443", "icmp 8.8.8.8" */
static ssize_t cf_emit_last_drop(char *buf, const struct cf_evidence_info *e)
{
	const char *pname = cf_proto_name(e->proto);
	bool ports = e->proto == IPPROTO_TCP || e->proto == IPPROTO_UDP;
	char proto[16];

	if (pname)
		strscpy(proto, pname, sizeof(proto));
	else
		snprintf(proto, sizeof(proto), "proto-%u", e->proto);

	if (e->family == AF_INET6) {
		if (ports)
			return sysfs_emit(buf, "%s [%pI6c]:%u\n", proto,
					  &e->peer.in6, e->port);
		return sysfs_emit(buf, "%s %pI6c\n", proto, &e->peer.in6);
	}
	if (ports)
		return sysfs_emit(buf, "%s %pI4:%u\n", proto, &e->peer.ip,
				  e->port);
	return sysfs_emit(buf, "%s %pI4\n", proto, &e->peer.ip);
}

enum cf_dev_field {
	CF_DEV_MAC,
	CF_DEV_PROFILE,
	CF_DEV_MODE,
	CF_DEV_ALLOWED_PACKETS,
	CF_DEV_ALLOWED_BYTES,
	CF_DEV_DROPPED_PACKETS,
	CF_DEV_DROPPED_BYTES,
	CF_DEV_MONITORED_PACKETS,
	CF_DEV_SPOOFED_PACKETS,
	CF_DEV_EVENTS_SUPPRESSED,
	CF_DEV_LAST_SEEN,
	CF_DEV_LAST_DROP,
};

struct cf_dev_attribute {
	struct attribute attr;
	enum cf_dev_field field;
};

static ssize_t cf_dev_show(struct kobject *kobj, struct attribute *attr,
			   char *buf)
{
	struct cf_sysfs_dev *sd = container_of(kobj, struct cf_sysfs_dev, kobj);
	const struct cf_dev_attribute *da =
		container_of(attr, struct cf_dev_attribute, attr);
	struct cf_device_info *d;
	ssize_t ret;

	d = kmalloc(sizeof(*d), GFP_KERNEL);
	if (!d)
		return -ENOMEM;
	cf_devstate_fill_info(sd->ds, d);

	switch (da->field) {
	case CF_DEV_MAC:
		ret = sysfs_emit(buf, "%pM\n", d->mac);
		break;
	case CF_DEV_PROFILE:
		ret = sysfs_emit(buf, "%s\n", d->profile);
		break;
	case CF_DEV_MODE:
		ret = sysfs_emit(buf, "%s\n", cf_mode_name(d->effective_mode));
		break;
	case CF_DEV_ALLOWED_PACKETS:
		ret = sysfs_emit(buf, "%llu\n", d->stats.allowed_packets);
		break;
	case CF_DEV_ALLOWED_BYTES:
		ret = sysfs_emit(buf, "%llu\n", d->stats.allowed_bytes);
		break;
	case CF_DEV_DROPPED_PACKETS:
		ret = sysfs_emit(buf, "%llu\n", d->stats.dropped_packets);
		break;
	case CF_DEV_DROPPED_BYTES:
		ret = sysfs_emit(buf, "%llu\n", d->stats.dropped_bytes);
		break;
	case CF_DEV_MONITORED_PACKETS:
		ret = sysfs_emit(buf, "%llu\n", d->stats.monitored_packets);
		break;
	case CF_DEV_SPOOFED_PACKETS:
		ret = sysfs_emit(buf, "%llu\n", d->stats.spoofed_packets);
		break;
	case CF_DEV_EVENTS_SUPPRESSED:
		ret = sysfs_emit(buf, "%llu\n", d->stats.events_suppressed);
		break;
	case CF_DEV_LAST_SEEN:
		ret = sysfs_emit(buf, "%llu\n", d->last_seen);
		break;
	case CF_DEV_LAST_DROP:
		if (d->has_last_drop)
			ret = cf_emit_last_drop(buf, &d->last_drop);
		else
			ret = sysfs_emit(buf, "\n");
		break;
	default:
		ret = -EIO;
		break;
	}
	kfree(d);
	return ret;
}

static const struct sysfs_ops cf_dev_sysfs_ops = {
	.show = cf_dev_show,
};

#define CF_DEV_ATTR(_name, _field)					\
static struct cf_dev_attribute cf_dev_attr_##_name = {			\
	.attr = { .name = __stringify(_name), .mode = 0444 },		\
	.field = _field,						\
}

CF_DEV_ATTR(mac, CF_DEV_MAC);
CF_DEV_ATTR(profile, CF_DEV_PROFILE);
CF_DEV_ATTR(mode, CF_DEV_MODE);
CF_DEV_ATTR(allowed_packets, CF_DEV_ALLOWED_PACKETS);
CF_DEV_ATTR(allowed_bytes, CF_DEV_ALLOWED_BYTES);
CF_DEV_ATTR(dropped_packets, CF_DEV_DROPPED_PACKETS);
CF_DEV_ATTR(dropped_bytes, CF_DEV_DROPPED_BYTES);
CF_DEV_ATTR(monitored_packets, CF_DEV_MONITORED_PACKETS);
CF_DEV_ATTR(spoofed_packets, CF_DEV_SPOOFED_PACKETS);
CF_DEV_ATTR(events_suppressed, CF_DEV_EVENTS_SUPPRESSED);
CF_DEV_ATTR(last_seen, CF_DEV_LAST_SEEN);
CF_DEV_ATTR(last_drop, CF_DEV_LAST_DROP);

static struct attribute *cf_dev_attrs[] = {
	&cf_dev_attr_mac.attr,
	&cf_dev_attr_profile.attr,
	&cf_dev_attr_mode.attr,
	&cf_dev_attr_allowed_packets.attr,
	&cf_dev_attr_allowed_bytes.attr,
	&cf_dev_attr_dropped_packets.attr,
	&cf_dev_attr_dropped_bytes.attr,
	&cf_dev_attr_monitored_packets.attr,
	&cf_dev_attr_spoofed_packets.attr,
	&cf_dev_attr_events_suppressed.attr,
	&cf_dev_attr_last_seen.attr,
	&cf_dev_attr_last_drop.attr,
	NULL,
};
ATTRIBUTE_GROUPS(cf_dev);

static void cf_dev_release(struct kobject *kobj)
{
	struct cf_sysfs_dev *sd = container_of(kobj, struct cf_sysfs_dev, kobj);

	cf_devstate_put(sd->ds);
	kfree(sd);
}

static struct kobj_type cf_dev_ktype = {
	.release = cf_dev_release,
	.sysfs_ops = &cf_dev_sysfs_ops,
	.default_groups = cf_dev_groups,
};

static struct kobject *cf_sysfs_device_add(struct cf_net *cn,
					   struct cf_devstate *ds,
					   const char *name)
{
	struct cf_sysfs *s = cn->sysfs;
	struct cf_sysfs_dev *sd;
	int err;

	if (!s)
		return NULL;
	sd = kzalloc(sizeof(*sd), GFP_KERNEL);
	if (!sd)
		return ERR_PTR(-ENOMEM);
	/* the directory may outlive the policy that had the device */
	cf_devstate_get(ds);
	sd->ds = ds;
	err = kobject_init_and_add(&sd->kobj, &cf_dev_ktype, s->devices,
				   "%s", name);
	if (err) {
		kobject_put(&sd->kobj);
		return ERR_PTR(err);
	}
	return &sd->kobj;
}

static int cf_sysfs_device_rename(struct kobject *kobj, const char *name)
{
	if (!kobj)
		return 0;
	return kobject_rename(kobj, name);
}

static void cf_sysfs_device_del(struct kobject *kobj)
{
	if (!kobj)
		return;
	kobject_del(kobj);
	kobject_put(kobj);
}

/* ---- reconciliation with the active policy ---- */

static void cf_sysfs_add(struct cf_net *cn, struct cf_devstate *ds,
			 const char *name)
{
	struct kobject *kobj = cf_sysfs_device_add(cn, ds, name);

	if (IS_ERR(kobj)) {
		pr_warn_ratelimited("device %s: no sysfs directory (%ld)\n",
				    name, PTR_ERR(kobj));
		kobj = NULL;
	}
	ds->kobj = kobj;
}

/* A directory of a removed device: deleted by the next cf_sysfs_sync(). */
static void cf_sysfs_del_later(struct cf_sysfs *s, struct kobject *kobj)
{
	if (cf_grow((void **)&s->del, &s->delcap, s->ndel, s->ndel + 1,
		    sizeof(*s->del)))
		cf_sysfs_device_del(kobj);	/* no memory: now */
	else
		s->del[s->ndel++] = kobj;
}

/* Directories handled by the sysfs work between two unlocks. */
#define CF_SYSFS_BATCH	256

/*
 * Brings /sys/kernel/camfence/devices to the active policy: deletes the
 * directories of removed devices, renames, creates the missing ones, then
 * sets sysfs_generation. cn->lock held; from the work item (@work), the
 * lock is dropped between batches of directories so that commits and
 * netlink requests are not held up, and the walk starts over if a commit
 * came in between (what is done already is skipped).
 */
static void cf_sysfs_sync(struct cf_net *cn, bool work)
{
	struct cf_sysfs *s = cn->sysfs;
	char tmp[CAMFENCE_NAME_MAX + 1];
	struct cf_policy *p;
	struct cf_device *d;
	u64 gen;
	u32 i, n = 0;

	lockdep_assert_held(&cn->lock);
restart:
	gen = cf_generation(cn);
	while (s->ndel) {
		cf_sysfs_device_del(s->del[--s->ndel]);
		if (work && ++n % CF_SYSFS_BATCH == 0) {
			mutex_unlock(&cn->lock);
			cond_resched();
			mutex_lock(&cn->lock);
		}
	}
	if (work && gen != cf_generation(cn))
		goto restart;

	/* Renames go through a temporary name that no device can have
	 * ('~' is not allowed in names), so swapping names works. No unlock
	 * between the two passes.
	 */
	p = rcu_dereference_protected(cn->policy, lockdep_is_held(&cn->lock));
	for (i = 0; i < p->ndevices; i++) {
		d = &p->devices[i];
		if (!d->ds->kobj || !strcmp(kobject_name(d->ds->kobj), d->name))
			continue;
		snprintf(tmp, sizeof(tmp), "~%u", i);
		if (cf_sysfs_device_rename(d->ds->kobj, tmp)) {
			cf_sysfs_device_del(d->ds->kobj);
			d->ds->kobj = NULL;
		}
	}
	for (i = 0; i < p->ndevices; i++) {
		d = &p->devices[i];
		if (!d->ds->kobj || !strcmp(kobject_name(d->ds->kobj), d->name))
			continue;
		if (cf_sysfs_device_rename(d->ds->kobj, d->name)) {
			cf_sysfs_device_del(d->ds->kobj);
			d->ds->kobj = NULL;
		}
	}

	for (i = 0; i < p->ndevices; i++) {
		d = &p->devices[i];
		if (d->ds->kobj)
			continue;
		cf_sysfs_add(cn, d->ds, d->name);
		if (work && ++n % CF_SYSFS_BATCH == 0) {
			mutex_unlock(&cn->lock);
			cond_resched();
			mutex_lock(&cn->lock);
			if (gen != cf_generation(cn))
				goto restart;
		}
	}
	atomic64_set(&cn->sysfs_generation, gen);
}

static void cf_sysfs_work(struct work_struct *work)
{
	struct cf_sysfs *s = container_of(work, struct cf_sysfs, work);
	struct cf_net *cn = s->cn;

	mutex_lock(&cn->lock);
	cf_sysfs_sync(cn, true);
	s->queued = false;
	mutex_unlock(&cn->lock);
}

/*
 * After a commit published its policy (cn->lock held), with the policy it
 * replaced: the directories of the devices it removed go, the others are
 * created or renamed. Up to sysfs_sync_max of them are handled before the
 * commit replies; a larger change, or one while the work item is still
 * catching up, is left to the work item. sysfs_generation says which
 * generation the tree shows.
 */
void cf_sysfs_commit(struct cf_net *cn, const struct cf_policy *old)
{
	struct cf_sysfs *s = cn->sysfs;
	const struct cf_policy *p;
	const struct cf_device *d;
	u32 i, n = 0;

	lockdep_assert_held(&cn->lock);
	if (!s) {
		atomic64_set(&cn->sysfs_generation, cf_generation(cn));
		return;
	}
	p = rcu_dereference_protected(cn->policy, lockdep_is_held(&cn->lock));
	for (i = 0; i < old->ndevices; i++) {
		d = &old->devices[i];
		if (!d->ds->kobj || cf_policy_dev_by_mac(p, d->mac))
			continue;
		cf_sysfs_del_later(s, d->ds->kobj);
		d->ds->kobj = NULL;
		n++;
	}
	for (i = 0; i < p->ndevices; i++) {
		d = &p->devices[i];
		if (!d->ds->kobj || strcmp(kobject_name(d->ds->kobj), d->name))
			n++;
	}
	if (s->queued || n > cf_limits.sysfs_sync_max) {
		s->queued = true;
		queue_work(system_unbound_wq, &s->work);
		return;
	}
	cf_sysfs_sync(cn, false);
}

/* Namespace exit, before the policy goes: every device directory. */
void cf_sysfs_net_unpublish(struct cf_net *cn)
{
	struct cf_sysfs *s = cn->sysfs;
	struct cf_policy *p;
	u32 i;

	if (!s)
		return;
	/* no commit can queue it again: the namespace is going away */
	cancel_work_sync(&s->work);
	mutex_lock(&cn->lock);
	s->queued = false;
	while (s->ndel)
		cf_sysfs_device_del(s->del[--s->ndel]);
	p = rcu_dereference_protected(cn->policy, lockdep_is_held(&cn->lock));
	for (i = 0; p && i < p->ndevices; i++) {
		struct cf_devstate *ds = p->devices[i].ds;

		cf_sysfs_device_del(ds->kobj);
		ds->kobj = NULL;
	}
	mutex_unlock(&cn->lock);
}

/* ---- setup ---- */

int cf_sysfs_net_init(struct cf_net *cn)
{
	struct cf_sysfs *s;
	int err = -ENOMEM;

	if (cn->net != &init_net)
		return 0;
	s = kzalloc(sizeof(*s), GFP_KERNEL);
	if (!s)
		return -ENOMEM;
	s->root = kobject_create_and_add("camfence", kernel_kobj);
	if (!s->root)
		goto err_free;
	err = sysfs_create_groups(s->root, cf_global_groups);
	if (err)
		goto err_root;
	s->devices = kobject_create_and_add("devices", s->root);
	if (!s->devices) {
		err = -ENOMEM;
		goto err_groups;
	}
	s->cn = cn;
	INIT_WORK(&s->work, cf_sysfs_work);
	cn->sysfs = s;
	return 0;

err_groups:
	sysfs_remove_groups(s->root, cf_global_groups);
err_root:
	kobject_put(s->root);
err_free:
	kfree(s);
	return err;
}

/* After cf_sysfs_net_unpublish(). */
void cf_sysfs_net_exit(struct cf_net *cn)
{
	struct cf_sysfs *s = cn->sysfs;

	if (!s)
		return;
	cn->sysfs = NULL;
	kvfree(s->del);
	kobject_put(s->devices);
	sysfs_remove_groups(s->root, cf_global_groups);
	kobject_put(s->root);
	kfree(s);
}
