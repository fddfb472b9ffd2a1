#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# last_drop formats (IPv6 with port, ICMP without) and the evidence table
# over netlink, for a dual-stack camera.
source "$CF_TOP/tests/lib.sh"

command -v busybox >/dev/null || skip "busybox (for ping) missing"

S=/sys/kernel/camfence
D=$S/devices/lobby-1

cf_netns cam wan
cf_veth cam eth0 "" cam0
cf_veth wan eth0 "" wan0
sysctl -qw net.ipv4.ip_forward=1 net.ipv6.conf.all.forwarding=1
ip -n cam link set eth0 address 44:19:b6:00:00:01
ip -n cam addr add 10.20.0.11/24 dev eth0
ip -n cam addr add fd00:20::11/64 dev eth0 nodad
ip -n cam route add default via 10.20.0.1
ip -n cam -6 route add default via fd00:20::1
ip addr add 10.20.0.1/24 dev cam0
ip addr add fd00:20::1/64 dev cam0 nodad
ip addr add 203.0.113.1/24 dev wan0
ip addr add 2001:db8::1/64 dev wan0 nodad
ip -n wan addr add 203.0.113.7/24 dev eth0
ip -n wan addr add 2001:db8::7/64 dev eth0 nodad
ip -n wan route add default via 203.0.113.1
ip -n wan -6 route add default via 2001:db8::1

# Before any policy (nothing sealed), the wan answers: the topology works.
check_rc "ping before the policy" 0 ip netns exec cam busybox ping -q -c 1 -W 5 203.0.113.7

out=$(nltest begin zone cams,if=cam0 "profile ntp-only,rule=to/203.0.113.7/-/17/123" \
	"device lobby-1,44:19:b6:00:00:01,ntp-only,addr=10.20.0.11,addr=fd00:20::11" commit)
check_match "policy" 'commit: generation=1 added=1 ' "$out"
check_eq "no drop yet" "" "$(sys_read $D/last_drop)"

ip netns exec wan cftraffic tcp-listen 2001:db8::7 443 > /dev/null &
wait_listen wan tcp 443
check_rc "TCP to [2001:db8::7]:443 is blocked" 1 \
	ip netns exec cam cftraffic tcp-connect -t 1500 2001:db8::7 443
check_eq "last_drop IPv6 tcp" "tcp [2001:db8::7]:443" "$(sys_read $D/last_drop)"

check_rc "ping 203.0.113.7 is blocked" 1 ip netns exec cam busybox ping -q -c 2 -i 0.3 -W 2 203.0.113.7
check_eq "last_drop icmp" "icmp 203.0.113.7" "$(sys_read $D/last_drop)"

out=$(nltest get lobby-1)
check_match "evidence: the TCP destination first" \
	' ev0\.dir=1 ev0\.peer=2001:db8::7 ev0\.proto=6 ev0\.port=443 ev0\.reason=1 ev0\.count=[1-9][0-9]* ' "$out"
check_match "evidence: then the ICMP one, two echo requests" \
	' ev1\.dir=1 ev1\.peer=203\.0\.113\.7 ev1\.proto=1 ev1\.port=0 ev1\.reason=1 ev1\.count=2 evidence=2 ok$' "$out"
check_match "GET_DEVICE last drop" \
	' last_drop\.dir=1 last_drop\.peer=203\.0\.113\.7 last_drop\.proto=1 last_drop\.port=0 last_drop\.reason=1 ' "$out"
test_done
