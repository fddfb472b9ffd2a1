#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Per network namespace control plane: a router in its own netns has its
# own policy, generation and events; init_net (and sysfs) see none of it.
source "$CF_TOP/tests/lib.sh"

S=/sys/kernel/camfence
cf_netns rt cam wan
cf_veth cam eth0 rt cam0
cf_veth wan eth0 rt wan0
for ns in rt cam wan; do
	ip netns exec $ns sysctl -qw net.ipv6.conf.all.disable_ipv6=1
done
ip netns exec rt sysctl -qw net.ipv4.ip_forward=1
ip -n cam link set eth0 address 44:19:b6:00:00:01
ip -n cam addr add 10.20.0.11/24 dev eth0
ip -n cam route add default via 10.20.0.1
ip -n rt addr add 10.20.0.1/24 dev cam0
ip -n rt addr add 203.0.113.1/24 dev wan0
ip -n wan addr add 203.0.113.7/24 dev eth0
ip -n wan route add default via 203.0.113.1

out=$(ip netns exec rt nltest begin zone cams,if=cam0 "profile ntp-only,rule=to/203.0.113.7/-/17/123" \
	"device lobby-1,44:19:b6:00:00:01,ntp-only,addr=10.20.0.11" commit)
check_match "policy in rt" 'commit: generation=1 added=1 ' "$out"
check_eq "init_net generation" 0 "$(sys_read $S/generation)"
check_eq "init_net has no device directory" "" "$(ls $S/devices)"
check_match "init_net GET_STATS" '^stats: mode=1 generation=0 device_count=0 sealed=1 ' "$(nltest stats)"
check_eq "init_net does not know lobby-1" \
	"get: error -2 (No such file or directory): no device named lobby-1" "$(nltest get lobby-1)"

# Transactions are per namespace: both may be open at once.
rm -f began
ip netns exec rt nltest begin touch began sleep 3000 > /dev/null &
owner=$!
busywait "$(cf_ms 5000)" test -e began || fail "rt owner did not begin"
check_eq "a transaction in init_net meanwhile" "begin: ok
abort: ok" "$(nltest begin abort)"
wait $owner

rm -f ready1 ready2
ip netns exec rt nltest listen ready1 events 1 20000 > rt.out &
l1=$!
nltest listen ready2 events 1 3000 > init.out &
l2=$!
busywait "$(cf_ms 5000)" test -e ready1 || fail "rt listener"
busywait "$(cf_ms 5000)" test -e ready2 || fail "init listener"
ip netns exec cam cftraffic udp-send 203.0.113.7 6800 1 100
wait $l1 $l2
check_eq "the event reaches rt's listener" "listen: ok
events:
event: ts=set device=lobby-1 mac=44:19:b6:00:00:01 zone=cams dir=1 saddr=10.20.0.11 daddr=203.0.113.7 proto=17 sport=set dport=6800 reason=1 verdict=1 suppressed=0
events: count=1 ok" "$(cat rt.out)"
check_eq "and not init_net's" "listen: ok
events:
events: count=0 ok" "$(cat init.out)"
check_match "rt's counters" ' dropped_packets=1 ' "$(ip netns exec rt nltest get lobby-1)"
check_eq "init_net stats untouched" 0 "$(sys_read $S/stats/dropped_packets)"

# Deleting the netns with a policy loaded is clean (pernet exit).
ip netns delete rt
check_eq "init_net still fine" "begin: ok
commit: generation=1 added=0 removed=0 changed=0 unchanged=0 ok" "$(nltest begin commit)"
test_done
