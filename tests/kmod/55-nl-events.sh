#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Events on the "events" multicast group: one per denied datagram of a
# camera, with the exact fields; MONITORED in monitor mode; the per-device
# rate limit suppresses and counts the excess, reported in the next event.
source "$CF_TOP/tests/lib.sh"

S=/sys/kernel/camfence
D=$S/devices/lobby-1
# udp_in NS: UDP datagrams delivered to sockets in NS (/proc/net/snmp).
udp_in() { ip netns exec "$1" awk '/^Udp:/ { if (h) { print $2; exit } h = 1 }' /proc/net/snmp; }
# udp_in_wait NS N: wait (up to 20 s) until N datagrams were delivered.
udp_in_wait() { busywait "$(cf_ms 20000)" test "$(udp_in "$1")" -ge "$2"; }

setup() {
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
}

load() { # DEVICE-MODE
	nltest begin zone cams,if=cam0 \
		"profile ntp-only,rule=to/203.0.113.7/-/17/123" \
		"device lobby-1,44:19:b6:00:00:01,ntp-only,addr=10.20.0.11,mode=$1" commit
}

# listen N TIMEOUT_MS: a background listener writing ev.out; returns when
# it has joined the group.
listen() {
	rm -f ready ev.out
	nltest listen ready events "$1" "$2" > ev.out &
	listener=$!
	busywait "$(cf_ms 5000)" test -e ready || fail "listener did not start"
}

setup
check_match "enforce policy" 'commit: generation=1 added=1 ' "$(load 0)"

# 1. Three denied datagrams from three source ports: three events.
listen 3 20000
for p in 40001 40002 40003; do
	ip netns exec cam cftraffic udp-send -p $p 203.0.113.7 6800 1 100
done
wait $listener
ev='event: ts=set device=lobby-1 mac=44:19:b6:00:00:01 zone=cams dir=1 saddr=10.20.0.11 daddr=203.0.113.7 proto=17 sport=set dport=6800 reason=1 verdict=1 suppressed=0'
check_eq "three DROPPED events" "listen: ok
events:
$ev
$ev
$ev
events: count=3 ok" "$(cat ev.out)"
# Exactly three: each denial was queued, none suppressed.
check_eq "dropped_packets" 3 "$(sys_read $D/dropped_packets)"
check_eq "events_suppressed" 0 "$(sys_read $D/events_suppressed)"

# 2. An allowed datagram: no event.
listen 1 3000
ip netns exec cam cftraffic udp-send 203.0.113.7 123 1 100
wait $listener
check_eq "no event for allowed traffic" "listen: ok
events:
events: count=0 ok" "$(cat ev.out)"

# 3. The device in monitor mode: the datagram passes, verdict MONITORED.
check_match "monitor policy" 'commit: generation=2 added=0 removed=0 changed=1 ' "$(load 2)"
ip netns exec wan cftraffic udp-sink -t 600000 203.0.113.7 6800 > /dev/null &
sink=$!
wait_listen wan udp 6800
before=$(udp_in wan)
listen 1 20000
ip netns exec cam cftraffic udp-send -p 40004 203.0.113.7 6800 1 100
wait $listener
udp_in_wait wan $((before + 1))
check_eq "monitored datagram delivered" $((before + 1)) "$(udp_in wan)"
kill $sink; wait $sink 2>/dev/null
check_eq "one MONITORED event" "listen: ok
events:
${ev/verdict=1/verdict=2}
events: count=1 ok" "$(cat ev.out)"
check_eq "monitored_packets" 1 "$(sys_read $D/monitored_packets)"
check_eq "dropped_packets kept across commits" 3 "$(sys_read $D/dropped_packets)"

# 4. Rate limit: burst 2, 1 per second. Six denied datagrams at once: two
# events, four suppressed (counted); the next event reports them.
cf_reload event_rate=1 event_burst=2
setup 2>/dev/null
check_match "policy after reload" 'commit: generation=1 added=1 ' "$(load 0)"
listen 2 20000
ip netns exec cam cftraffic udp-send 203.0.113.7 6800 6 100
wait $listener
check_eq "two events of six" "listen: ok
events:
$ev
$ev
events: count=2 ok" "$(cat ev.out)"
check_eq "device events_suppressed" 4 "$(sys_read $D/events_suppressed)"
check_eq "stats/events_suppressed" 4 "$(sys_read $S/stats/events_suppressed)"
check_eq "dropped_packets counts all six" 6 "$(sys_read $D/dropped_packets)"
sleep 2
listen 1 20000
ip netns exec cam cftraffic udp-send 203.0.113.7 6800 1 100
wait $listener
check_eq "next event carries SUPPRESSED" "listen: ok
events:
${ev/suppressed=0/suppressed=4}
events: count=1 ok" "$(cat ev.out)"

test_done
