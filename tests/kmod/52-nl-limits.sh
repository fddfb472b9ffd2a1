#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# A commit over a limit (module parameters max_devices=2, max_rules=2,
# max_profiles=1, max_zones=1) fails with a clear error and the old policy
# keeps enforcing, with its counters.
source "$CF_TOP/tests/lib.sh"

cf_reload max_devices=2 max_rules=2 max_profiles=1 max_zones=1 || fail "reload with limits"
S=/sys/kernel/camfence
D=$S/devices/lobby-1
# udp_in NS: UDP datagrams delivered to sockets in NS (/proc/net/snmp).
udp_in() { ip netns exec "$1" awk '/^Udp:/ { if (h) { print $2; exit } h = 1 }' /proc/net/snmp; }
# udp_in_wait NS N: wait (up to 20 s) until N datagrams were delivered.
udp_in_wait() { busywait "$(cf_ms 20000)" test "$(udp_in "$1")" -ge "$2"; }

cf_netns cam wan
cf_veth cam eth0 "" cam0
cf_veth wan eth0 "" wan0
for ns in cam wan; do
	ip netns exec $ns sysctl -qw net.ipv6.conf.all.disable_ipv6=1
done
sysctl -qw net.ipv6.conf.cam0.disable_ipv6=1 net.ipv6.conf.wan0.disable_ipv6=1
sysctl -qw net.ipv4.ip_forward=1
ip -n cam link set eth0 address 44:19:b6:00:00:01
ip -n cam addr add 10.20.0.11/24 dev eth0
ip -n cam route add default via 10.20.0.1
ip addr add 10.20.0.1/24 dev cam0
ip addr add 203.0.113.1/24 dev wan0
ip -n wan addr add 203.0.113.7/24 dev eth0
ip -n wan route add default via 203.0.113.1

Z='zone cams,if=cam0'
P='profile ntp-only,rule=to/203.0.113.7/-/17/123'
D1='device lobby-1,44:19:b6:00:00:01,ntp-only,addr=10.20.0.11'
D2='device lobby-2,44:19:b6:00:00:02,ntp-only,addr=10.20.0.12'
D3='device lobby-3,44:19:b6:00:00:03,ntp-only,addr=10.20.0.13'

out=$(nltest begin "$Z" "$P" "$D1" "$D2" commit)
check_eq "two devices (the limit)" "begin: ok
zone: ok
profile: ok
device: ok
device: ok
commit: generation=1 added=2 removed=0 changed=0 unchanged=0 ok" "$out"

ip netns exec wan cftraffic udp-sink -t 600000 203.0.113.7 123 > /dev/null &
ip netns exec wan cftraffic udp-sink -t 600000 203.0.113.7 6800 > /dev/null &
wait_listen wan udp 123 && wait_listen wan udp 6800

traffic() { # WHAT DELIVERED-AFTER DROPPED-AFTER
	ip netns exec cam cftraffic udp-send 203.0.113.7 123 2 100
	ip netns exec cam cftraffic udp-send 203.0.113.7 6800 4 100
	udp_in_wait wan "$2"
	busywait "$(cf_ms 20000)" test "$(sys_read $D/dropped_packets)" -ge "$3"
	check_eq "$1: only allowed datagrams delivered" "$2" "$(udp_in wan)"
	check_eq "$1: dropped_packets" "$3" "$(sys_read $D/dropped_packets)"
}
traffic "first policy" 2 4

out=$(nltest begin "$Z" "$P" "$D1" "$D2" "$D3" commit)
check_eq "a third device is over max_devices" "begin: ok
zone: ok
profile: ok
device: ok
device: ok
device: error -28 (No space left on device): device lobby-3: too many devices (max_devices=2) (transaction discarded)
commit: error -2 (No such file or directory): no transaction is open (send BEGIN first)" "$out"

out=$(nltest begin "$Z" "profile three,rule=to/any/-/6/80,rule=to/any/-/6/443,rule=to/any/-/17/53" commit)
check_eq "three rules are over max_rules" "begin: ok
zone: ok
profile: error -7 (Argument list too long): profile three: 3 rules, over the limit of 2 (max_rules) (transaction discarded)
commit: error -2 (No such file or directory): no transaction is open (send BEGIN first)" "$out"

out=$(nltest begin "$Z" "$P" "profile p2,rule=to/any/-/6/80" commit)
check_eq "a second profile is over max_profiles" "begin: ok
zone: ok
profile: ok
profile: error -28 (No space left on device): profile p2: too many profiles (max_profiles=1) (transaction discarded)
commit: error -2 (No such file or directory): no transaction is open (send BEGIN first)" "$out"

out=$(nltest begin "$Z" "zone wan,if=wan0" commit)
check_eq "a second zone is over max_zones" "begin: ok
zone: ok
zone: error -28 (No space left on device): zone wan: too many zones (max_zones=1) (transaction discarded)
commit: error -2 (No such file or directory): no transaction is open (send BEGIN first)" "$out"

check_eq "generation unchanged" 1 "$(sys_read $S/generation)"
check_eq "device_count unchanged" 2 "$(sys_read $S/device_count)"
check_eq "no lobby-3 directory" "lobby-1 lobby-2" "$(ls $S/devices | paste -sd " ")"
# The old policy still enforces, and its counters were kept.
traffic "old policy after the failed commits" 4 8
check_eq "last_drop" "udp 203.0.113.7:6800" "$(sys_read $D/last_drop)"

test_done
