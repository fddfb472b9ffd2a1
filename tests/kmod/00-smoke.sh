#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Smoke test: the module is loaded by the harness, its sysfs tree exists, and
# with an empty policy a router (init_net, where camfence's hooks run) forwards
# exactly what two hosts send each other: N UDP datagrams over IPv4 and IPv6,
# and a TCP stream echoed byte-exact.  Nothing is counted as dropped.
#
#   h1 (10.0.1.2, fd01::2) -- veth -- init_net router -- veth -- h2 (10.0.2.2, fd02::2)
source "$CF_TOP/tests/lib.sh"

N=250

check_rc "camfence module is loaded" 0 test -d /sys/module/camfence
check_rc "/sys/kernel/camfence exists" 0 test -d /sys/kernel/camfence

cf_netns h1 h2 || { fail "creating namespaces"; test_done; }
cf_veth h1 eth0 "" r1 && cf_veth h2 eth0 "" r2 || { fail "creating veth pairs"; test_done; }
ip addr add 10.0.1.1/24 dev r1
ip addr add 10.0.2.1/24 dev r2
ip addr add fd01::1/64 dev r1 nodad
ip addr add fd02::1/64 dev r2 nodad
ip -n h1 addr add 10.0.1.2/24 dev eth0
ip -n h2 addr add 10.0.2.2/24 dev eth0
ip -n h1 addr add fd01::2/64 dev eth0 nodad
ip -n h2 addr add fd02::2/64 dev eth0 nodad
ip -n h1 route add default via 10.0.1.1
ip -n h2 route add default via 10.0.2.1
ip -n h1 -6 route add default via fd01::1
ip -n h2 -6 route add default via fd02::1
sysctl -qw net.ipv4.ip_forward=1 net.ipv6.conf.all.forwarding=1

dropped_before=$(sys_read /sys/kernel/camfence/stats/dropped_packets)

# Paths work both ways (and neighbours are resolved before the bursts): a
# connection to a closed port is refused by the far host (not timed out,
# not unreachable).
check_eq "IPv4 path h1 -> h2 (refused by h2)" "cftraffic: connect 10.0.2.2: Connection refused" \
	"$(ip netns exec h1 cftraffic tcp-connect -t 20000 10.0.2.2 9 2>&1)"
check_eq "IPv6 path h2 -> h1 (refused by h1)" "cftraffic: connect fd01::2: Connection refused" \
	"$(ip netns exec h2 cftraffic tcp-connect -t 20000 fd01::2 9 2>&1)"

# IPv4: N datagrams h1 -> h2 across the router
ip netns exec h2 cftraffic udp-sink -f stop4 -t 1500 10.0.2.2 5000 > udp4.out &
sink=$!
wait_listen h2 udp 5000 || fail "IPv4 sink ready"
check_rc "udp-send $N datagrams over IPv4" 0 ip netns exec h1 cftraffic udp-send 10.0.2.2 5000 $N 200
touch stop4	# the sink's silence timeout starts now, not at its start
wait $sink
check_eq "IPv4 datagrams arriving at h2" $N "$(cat udp4.out)"

# IPv6: N datagrams h2 -> h1 (the other direction)
ip netns exec h1 cftraffic udp-sink -f stop6 -t 1500 fd01::2 5001 > udp6.out &
sink=$!
wait_listen h1 udp 5001 || fail "IPv6 sink ready"
check_rc "udp-send $N datagrams over IPv6" 0 ip netns exec h2 cftraffic udp-send fd01::2 5001 $N 1200
touch stop6
wait $sink
check_eq "IPv6 datagrams arriving at h1" $N "$(cat udp6.out)"

# TCP: 100000 bytes h1 -> h2, echoed back byte-exact
ip netns exec h2 cftraffic tcp-listen 10.0.2.2 6000 &
wait_listen h2 tcp 6000 || fail "TCP listener ready"
check_rc "TCP stream echoed byte-exact across the router" 0 \
	ip netns exec h1 cftraffic tcp-connect -t 10000 10.0.2.2 6000 100000

check_eq "dropped_packets unchanged with an empty policy" "$dropped_before" \
	"$(sys_read /sys/kernel/camfence/stats/dropped_packets)"
test_done
