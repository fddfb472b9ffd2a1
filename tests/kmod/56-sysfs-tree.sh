#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# /sys/kernel/camfence: every documented file is present and read-only, and
# holds exact values before any policy and after known routed traffic
# (3 allowed and 5 dropped UDP datagrams of a camera).
source "$CF_TOP/tests/lib.sh"

S=/sys/kernel/camfence
# udp_in NS: UDP datagrams delivered to sockets in NS (/proc/net/snmp).
udp_in() { ip netns exec "$1" awk '/^Udp:/ { if (h) { print $2; exit } h = 1 }' /proc/net/snmp; }
# udp_in_wait NS N: wait (up to 20 s) until N datagrams were delivered.
udp_in_wait() { busywait "$(cf_ms 20000)" test "$(udp_in "$1")" -ge "$2"; }
ABI=$CF_TOP/docs/ABI/testing/sysfs-kernel-camfence

# Files listed in the ABI document, in both directions.
documented=$(sed -n 's|^What:[[:space:]]*/sys/kernel/camfence/||p' "$ABI" | grep -v -e '/$' -e '^$' |
	sed 's|devices/<name>/|DEV/|' | sort)

check_eq "version" "$(cat "$CF_TOP/VERSION")" "$(sys_read $S/version)"
check_eq "mode" enforce "$(sys_read $S/mode)"
check_eq "generation" 0 "$(sys_read $S/generation)"
check_eq "sysfs_generation" 0 "$(sys_read $S/sysfs_generation)"
check_eq "device_count" 0 "$(sys_read $S/device_count)"
check_eq "sealed before the first commit" 1 "$(sys_read $S/sealed)"
for f in allowed_packets dropped_packets unknown_packets spoofed_packets \
	 monitored_packets events_suppressed; do
	check_eq "stats/$f at load" 0 "$(sys_read $S/stats/$f)"
done
check_eq "no device directory" "" "$(ls $S/devices)"

# Topology: camera netns "cam" -- router (this netns) -- "wan".
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

out=$(nltest begin zone cams,if=cam0 \
	"profile ntp-only,rule=to/203.0.113.7/-/17/123" \
	"device lobby-1,44:19:b6:00:00:01,ntp-only,addr=10.20.0.11" commit)
check_eq "policy" "begin: ok
zone: ok
profile: ok
device: ok
commit: generation=1 added=1 removed=0 changed=0 unchanged=0 ok" "$out"

D=$S/devices/lobby-1
check_eq "generation" 1 "$(sys_read $S/generation)"
check_eq "sysfs_generation (a small commit updates devices/ before it replies)" 1 \
	"$(sys_read $S/sysfs_generation)"
check_eq "device_count" 1 "$(sys_read $S/device_count)"
check_eq "sealed after the first commit" 0 "$(sys_read $S/sealed)"
check_eq "devices/" lobby-1 "$(ls $S/devices)"
check_eq "mac" 44:19:b6:00:00:01 "$(sys_read $D/mac)"
check_eq "profile" ntp-only "$(sys_read $D/profile)"
check_eq "device mode" enforce "$(sys_read $D/mode)"
check_eq "last_seen before traffic" 0 "$(sys_read $D/last_seen)"
check_eq "last_drop before traffic" "" "$(sys_read $D/last_drop)"
for f in allowed_packets allowed_bytes dropped_packets dropped_bytes \
	 monitored_packets spoofed_packets events_suppressed; do
	check_eq "$f before traffic" 0 "$(sys_read $D/$f)"
done

# Every file present, documented, regular, mode 0444, and not writable.
present=$( (cd $S && find . -type f | sed 's|^\./||; s|^devices/lobby-1/|DEV/|') | sort)
check_eq "the files are those documented" "$documented" "$present"
bad=$(cd $S && find . -type f ! -perm 0444)
check_eq "every file is 0444" "" "$bad"
for f in mode generation stats/dropped_packets devices/lobby-1/dropped_packets \
	 devices/lobby-1/mac; do
	old=$(cat $S/$f)
	if echo 7 2>/dev/null > $S/$f; then fail "$f accepted a write"; fi
	check_eq "$f unchanged by a write attempt" "$old" "$(cat $S/$f)"
done

# Traffic: 3 datagrams to the allowed NTP server, 5 to a P2P port.
# Sinks on both ports (killed on exit): nothing answers with ICMP, and the
# wan's UDP counters say exactly what was delivered.
ip netns exec wan cftraffic udp-sink -t 600000 203.0.113.7 123 > /dev/null &
ip netns exec wan cftraffic udp-sink -t 600000 203.0.113.7 6800 > /dev/null &
wait_listen wan udp 123 && wait_listen wan udp 6800
t0=$(date +%s)
ip netns exec cam cftraffic udp-send 203.0.113.7 123 3 100
ip netns exec cam cftraffic udp-send 203.0.113.7 6800 5 100
udp_in_wait wan 3
busywait "$(cf_ms 20000)" test "$(sys_read $D/dropped_packets)" -ge 5
t1=$(date +%s)
check_eq "only the 3 allowed datagrams delivered" 3 "$(udp_in wan)"

# 100 bytes of payload: 128-byte IPv4 packets.
check_eq "allowed_packets" 3 "$(sys_read $D/allowed_packets)"
check_eq "allowed_bytes" 384 "$(sys_read $D/allowed_bytes)"
check_eq "dropped_packets" 5 "$(sys_read $D/dropped_packets)"
check_eq "dropped_bytes" 640 "$(sys_read $D/dropped_bytes)"
check_eq "monitored_packets" 0 "$(sys_read $D/monitored_packets)"
check_eq "spoofed_packets" 0 "$(sys_read $D/spoofed_packets)"
check_eq "last_drop" "udp 203.0.113.7:6800" "$(sys_read $D/last_drop)"
seen=$(sys_read $D/last_seen)
if [ "$seen" -ge "$t0" ] && [ "$seen" -le "$t1" ]; then
	check_eq "last_seen within the traffic window" ok ok
else
	fail "last_seen $seen not in [$t0, $t1]"
fi
check_eq "stats/allowed_packets" 3 "$(sys_read $S/stats/allowed_packets)"
check_eq "stats/dropped_packets" 5 "$(sys_read $S/stats/dropped_packets)"
check_eq "stats/unknown_packets" 0 "$(sys_read $S/stats/unknown_packets)"
check_eq "stats/spoofed_packets" 0 "$(sys_read $S/stats/spoofed_packets)"
check_eq "stats/monitored_packets" 0 "$(sys_read $S/stats/monitored_packets)"

# The same numbers over netlink.
out=$(nltest get lobby-1)
check_match "GET_DEVICE counters" \
	' allowed_packets=3 allowed_bytes=384 dropped_packets=5 dropped_bytes=640 monitored_packets=0 spoofed_packets=0 ' "$out"
check_match "GET_DEVICE last drop" \
	' last_drop\.dir=1 last_drop\.peer=203\.0\.113\.7 last_drop\.proto=17 last_drop\.port=6800 last_drop\.reason=1 ' "$out"
check_match "GET_DEVICE evidence: one destination" \
	' ev0\.dir=1 ev0\.peer=203\.0\.113\.7 ev0\.proto=17 ev0\.port=6800 ev0\.reason=1 ev0\.count=5 evidence=1 ok$' "$out"

# Global mode switch shows in mode and in the device's effective mode.
check_eq "SET_MODE monitor" "setmode: ok" "$(nltest setmode 2)"
check_eq "mode after SET_MODE" monitor "$(sys_read $S/mode)"
check_eq "device mode follows" monitor "$(sys_read $D/mode)"

# A commit that drops the device removes its directory.
check_eq "flush" "flush: generation=2 added=0 removed=1 changed=0 unchanged=0 ok" "$(nltest flush)"
check_eq "devices/ after flush" "" "$(ls $S/devices)"
check_eq "device_count after flush" 0 "$(sys_read $S/device_count)"
check_eq "sysfs_generation after flush" 2 "$(sys_read $S/sysfs_generation)"
test_done
