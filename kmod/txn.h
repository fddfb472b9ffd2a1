/* SPDX-License-Identifier: GPL-2.0 */
/*
 * camfence transactions (txn.c): a policy being built from netlink, validated
 * object by object. Process context, cn->lock held.
 */
#ifndef _CF_TXN_H
#define _CF_TXN_H

#include <linux/if_vlan.h>
#include "camfence.h"
#include "policy.h"

#define CF_TXN_HBITS	12
#define CF_TXN_HSIZE	BIT(CF_TXN_HBITS)

struct cf_txn_profile {
	char name[CAMFENCE_NAME_MAX + 1];
	u32 nrules;
	struct cf_rule *rules;
	u32 name_next;
};

struct cf_txn_dev {
	struct cf_device_spec spec;
	u32 profile;
	u32 addr_first;
	u32 name_next, mac_next;
};

struct cf_txn_addr {
	struct cf_addr addr;
	u32 dev;
	u32 next;
};

struct cf_txn {
	struct cf_net *cn;
	bool mode_set;
	u8 mode;
	u32 seed;
	u32 nzones, zcap;
	struct cf_zone_spec *zones;	/* the seal last, if seal */
	bool seal;			/* cf_txn_add_seal() added a zone */
	u32 nprofiles, pcap;
	struct cf_txn_profile *profiles;
	u32 ndevs, dcap;
	struct cf_txn_dev *devs;
	u32 naddrs, acap;
	struct cf_txn_addr *addrs;
	u32 *prof_head, *name_head, *mac_head, *addr_head;
	u16 vlan_zone[VLAN_N_VID];
};

struct cf_txn *cf_txn_new(struct cf_net *cn);
void cf_txn_free(struct cf_txn *txn);
void cf_txn_set_mode(struct cf_txn *txn, u8 mode);
/* Each returns 0 or a negative errno and sets an extack message that names
 * the object ("device lobby-1: MAC 44:19:b6:00:00:01 already used by ...").
 */
int cf_txn_add_zone(struct cf_txn *txn, const struct cf_zone_spec *spec,
		    struct netlink_ext_ack *extack);
/*
 * The seal (commit time, after the last cf_txn_add_zone()): the VLANs and
 * interfaces of spec (sealed_vlans, sealed_ifaces) that no zone of the
 * transaction covers become one more zone, named as spec, in which the
 * hooks drop every packet but the infrastructure. Nothing when spec is
 * NULL or every one of them is covered. 0 or -ENOMEM.
 */
int cf_txn_add_seal(struct cf_txn *txn, const struct cf_zone_spec *spec);
int cf_txn_add_profile(struct cf_txn *txn, const struct cf_profile_spec *spec,
		       struct netlink_ext_ack *extack);
int cf_txn_add_device(struct cf_txn *txn, const struct cf_device_spec *spec,
		      struct netlink_ext_ack *extack);

/*
 * cn->lock held: true when committing t would change nothing (same zones,
 * profiles with the same rules in the same order, devices by MAC with the
 * same name, mode, profile and addresses, same global mode), after a
 * first commit.
 */
bool cf_txn_unchanged(struct cf_net *cn, const struct cf_txn *t);
/* Grows an array of esz-byte elements to hold need (see txn.c). */
int cf_grow(void **arr, u32 *cap, u32 used, u32 need, size_t esz);

#endif /* _CF_TXN_H */
