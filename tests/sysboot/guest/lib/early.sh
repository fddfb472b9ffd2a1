#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# cftest-early.service: after systemd-modules-load, before camfenced and the
# network.  The module must be loaded with the modprobe.d options and VLAN 20
# sealed; a camera's probe on VLAN 20 is dropped and counted as unknown.
#
#   netns early: e0.20 10.99.20.11 (02:cf:00:00:99:11) -- veth -- cfprobe0.20 10.99.20.1 (router)
source /usr/local/lib/cftest/lib.sh
mark "early-boot$BOOT"
check_eq "modules-load.d loaded camfence before camfenced" yes "$([ -d /sys/module/camfence ] && echo yes || echo no)"
check_eq "sealed_vlans from /etc/modprobe.d" 20 "$(cat /sys/module/camfence/parameters/sealed_vlans 2>/dev/null)"
check_eq "sealed before camfenced" 1 "$(sysv sealed)"
check_eq "generation before camfenced" 0 "$(sysv generation)"
check_eq "camfenced not started yet" inactive "$(unit_state camfenced)"
check_eq "systemd-networkd not started yet" inactive "$(unit_state systemd-networkd)"
check_eq "br0 does not exist yet" no "$(ip link show br0 >/dev/null 2>&1 && echo yes || echo no)"

# the early camera probe, on its own link (the router's network is not up)
sysctl -qw net.ipv6.conf.default.disable_ipv6=1
netns_quiet early
ip link add cfprobe0 type veth peer name e0 netns early
ip -n early link set e0 address 02:cf:00:00:99:11
ip link add link cfprobe0 name cfprobe0.20 type vlan id 20
ip -n early link add link e0 name e0.20 type vlan id 20
ip addr add 10.99.20.1/24 dev cfprobe0.20
ip -n early addr add 10.99.20.11/24 dev e0.20
for l in cfprobe0 cfprobe0.20; do ip link set "$l" up; done
for l in e0 e0.20; do ip -n early link set "$l" up; done
u0=$(sysv stats/unknown_packets)
check_eq "sealed: camera pings the router, replies" 0 "$(received early -c 3 -i 0.5 -W 2 10.99.20.1)"
check_eq "sealed: the 3 echo requests counted as unknown" 3 "$(( $(sysv stats/unknown_packets) - u0 ))"
check_eq "sealed: ARP still resolved the router" yes \
	"$(ip -n early neigh show 10.99.20.1 | grep -q lladdr && echo yes || echo no)"
ip link del cfprobe0
ip netns del early
sysctl -qw net.ipv6.conf.default.disable_ipv6=0
info "early: camfence $(sysv version), sealed_vlans $(cat /sys/module/camfence/parameters/sealed_vlans)"
exit 0
