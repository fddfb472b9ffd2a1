#!/bin/bash
# cf-timeout: 300
# SPDX-License-Identifier: GPL-2.0
# A network namespace that never commits a policy with zones costs camfence
# a few KiB: the events ring (35 KiB, a 64 KiB kmalloc) and the unknown-device
# table (28 KiB) come with the namespace's first policy with zones. On a host
# with hundreds of containers that is what camfence costs where it is unused.
#
# Measured with insmod, which initialises every existing namespace: the free
# memory a load takes with N more namespaces, less what it takes without
# them, divided by N. The dependencies (nf_conntrack, bridge) stay loaded
# (rmmod, not modprobe -r), page cache is dropped before each reading, and
# free memory counts the per-CPU page lists too (/proc/zoneinfo), which
# MemFree leaves out.
source "$CF_TOP/tests/lib.sh"

N=32
MAX_KIB=24
KO=$(modinfo -n camfence) || skip "camfence.ko not found"

free_kib() {
	sync
	echo 3 > /proc/sys/vm/drop_caches
	awk '$1 == "nr_free_pages" || $1 == "count:" { f += $2 } END { print f * 4 }' /proc/zoneinfo
}

# load_cost: KiB that loading the module takes now.
load_cost() {
	local before after
	rmmod camfence || return 1
	before=$(free_kib)
	insmod "$KO" || return 1
	after=$(free_kib)
	echo $((before - after))
}

base=$(load_cost) || fail "module load"
for i in $(seq $N); do
	ip netns add "cfidle$i" || fail "netns cfidle$i"
done
with=$(load_cost) || fail "module load with $N namespaces"
per=$(((with - base) / N))
echo "# netns-idle-cost: a load takes $base KiB, $with KiB with $N more namespaces: $per KiB a namespace"
check_eq "a namespace without a policy costs at most $MAX_KIB KiB" "" \
	"$([ "$per" -le "$MAX_KIB" ] || echo "$per KiB")"

# The namespaces work: one commits a policy with zones, which allocates its
# table and ring, and records an unknown sender. The sender sends exactly one
# frame: no IPv6 (its link-up chatter, MLD reports and DAD, would be counted
# too, as many frames as the kernel's timing lets through before the check:
# 3 on the debug kernel), no ARP either way (permanent neighbours).
for ns in cfidle1 cfidle2; do
	ip netns exec $ns sysctl -qw net.ipv6.conf.default.disable_ipv6=1 \
		net.ipv6.conf.all.disable_ipv6=1 || fail "no IPv6 in $ns"
done
cf_veth cfidle1 eth0 cfidle2 eth0
ip -n cfidle1 addr add 10.20.0.1/24 dev eth0
ip -n cfidle2 addr add 10.20.0.11/24 dev eth0
ip -n cfidle2 neigh replace 10.20.0.1 dev eth0 nud permanent \
	lladdr "$(ip netns exec cfidle1 cat /sys/class/net/eth0/address)" ||
	fail "neighbour in cfidle2"
ip -n cfidle1 neigh replace 10.20.0.11 dev eth0 nud permanent \
	lladdr "$(ip netns exec cfidle2 cat /sys/class/net/eth0/address)" ||
	fail "neighbour in cfidle1"
check_match "commit with a zone in a namespace" 'commit: generation=1 ' \
	"$(ip netns exec cfidle1 nltest begin zone cams,if=eth0 commit)"
ip netns exec cfidle2 cftraffic udp-send 10.20.0.1 9 1 100 > /dev/null
check_match "its unknown table has the sender" 'unknown: .*zone=cams .*packets=1' \
	"$(ip netns exec cfidle1 nltest unknown)"

test_done
