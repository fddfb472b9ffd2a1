#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# cf-timeout: 240
# devices/<name>/ follows the commits: a renamed device (same MAC) keeps its
# directory contents and counters, removed devices disappear, two devices
# can swap names; the unknown-device table over GET_UNKNOWN.
source "$CF_TOP/tests/lib.sh"

S=/sys/kernel/camfence

cf_netns cam wan rogue
cf_veth cam eth0 "" cam0
cf_veth rogue eth0 "" rog0
cf_veth wan eth0 "" wan0
for ns in cam wan rogue; do
	ip netns exec $ns sysctl -qw net.ipv6.conf.all.disable_ipv6=1
done
sysctl -qw net.ipv6.conf.cam0.disable_ipv6=1 net.ipv6.conf.wan0.disable_ipv6=1 \
	net.ipv6.conf.rog0.disable_ipv6=1
sysctl -qw net.ipv4.ip_forward=1
ip -n cam link set eth0 address 44:19:b6:00:00:01
ip -n cam addr add 10.20.0.11/24 dev eth0
ip -n cam route add default via 10.20.0.1
ip -n rogue link set eth0 address 66:66:66:00:00:99
ip -n rogue addr add 10.21.0.99/24 dev eth0
ip -n rogue route add default via 10.21.0.1
ip addr add 10.20.0.1/24 dev cam0
ip addr add 10.21.0.1/24 dev rog0
ip addr add 203.0.113.1/24 dev wan0
ip -n wan addr add 203.0.113.7/24 dev eth0
ip -n wan route add default via 203.0.113.1

Z='zone cams,if=cam0,if=rog0'
P='profile ntp-only,rule=to/203.0.113.7/-/17/123'
out=$(nltest begin "$Z" "$P" \
	"device cam1,44:19:b6:00:00:01,ntp-only,addr=10.20.0.11" \
	"device cam2,44:19:b6:00:00:02,ntp-only,addr=10.20.0.12" commit)
check_match "first policy" 'commit: generation=1 added=2 removed=0 changed=0 unchanged=0 ok$' "$out"
check_eq "directories" "cam1 cam2" "$(ls $S/devices | paste -sd " ")"

ip netns exec cam cftraffic udp-send 203.0.113.7 6800 2 100
busywait "$(cf_ms 20000)" test "$(cat $S/devices/cam1/dropped_packets)" -ge 2
check_eq "cam1 dropped_packets" 2 "$(sys_read $S/devices/cam1/dropped_packets)"

# Rename cam1 to gate-1 (same MAC), remove cam2, add cam3.
out=$(nltest begin "$Z" "$P" \
	"device gate-1,44:19:b6:00:00:01,ntp-only,addr=10.20.0.11" \
	"device cam3,44:19:b6:00:00:03,ntp-only,addr=10.20.0.13" commit)
check_match "second policy" 'commit: generation=2 added=1 removed=1 changed=1 unchanged=0 ok$' "$out"
check_eq "directories after rename" "cam3 gate-1" "$(ls $S/devices | paste -sd " ")"
check_eq "renamed: mac" 44:19:b6:00:00:01 "$(sys_read $S/devices/gate-1/mac)"
check_eq "renamed: counters kept" 2 "$(sys_read $S/devices/gate-1/dropped_packets)"
check_eq "renamed: last_drop kept" "udp 203.0.113.7:6800" "$(sys_read $S/devices/gate-1/last_drop)"
check_eq "new device: counters zero" 0 "$(sys_read $S/devices/cam3/dropped_packets)"

# Swap the names of the two devices.
out=$(nltest begin "$Z" "$P" \
	"device cam3,44:19:b6:00:00:01,ntp-only,addr=10.20.0.11" \
	"device gate-1,44:19:b6:00:00:03,ntp-only,addr=10.20.0.13" commit)
check_match "names swapped" 'commit: generation=3 added=0 removed=0 changed=2 unchanged=0 ok$' "$out"
check_eq "directories after the swap" "cam3 gate-1" "$(ls $S/devices | paste -sd " ")"
check_eq "cam3 is now MAC :01" 44:19:b6:00:00:01 "$(sys_read $S/devices/cam3/mac)"
check_eq "cam3 carries :01's counters" 2 "$(sys_read $S/devices/cam3/dropped_packets)"
check_eq "gate-1 is now MAC :03" 44:19:b6:00:00:03 "$(sys_read $S/devices/gate-1/mac)"
check_eq "gate-1 counters" 0 "$(sys_read $S/devices/gate-1/dropped_packets)"

# The same policy again: nothing changes, nothing is committed.
out=$(nltest begin "$Z" "$P" \
	"device cam3,44:19:b6:00:00:01,ntp-only,addr=10.20.0.11" \
	"device gate-1,44:19:b6:00:00:03,ntp-only,addr=10.20.0.13" commit)
check_match "same policy" 'commit: generation=3 added=0 removed=0 changed=0 unchanged=2 noop ok$' "$out"
check_eq "sysfs_generation: small commits update devices/ before replying" 3 \
	"$(sys_read $S/sysfs_generation)"

# A MAC that no device claims, in the zone: unknown table.
check_eq "unknown table empty" "unknown:
unknown: count=0 ok" "$(nltest unknown)"
ip netns exec rogue cftraffic udp-send 203.0.113.7 6800 3 100
busywait "$(cf_ms 20000)" test "$(cat $S/stats/unknown_packets)" -ge 3
check_eq "stats/unknown_packets" 3 "$(sys_read $S/stats/unknown_packets)"
check_eq "unknown table" "unknown:
unknown: mac=66:66:66:00:00:99 zone=cams vlan=0 if=rog0 packets=3 addr=10.21.0.99
unknown: count=1 ok" "$(nltest unknown)"

# sysfs_sync_max=0: every change of devices/ is left to the work item; the
# same sequence (create, rename + remove + add, swap, flush) ends in the
# same directories once sysfs_generation reaches generation.
cf_reload sysfs_sync_max=0 || fail "cf_reload sysfs_sync_max=0"
# sysfs_wait GEN: devices/ shows generation GEN (up to 30 s).
sysfs_wait() {
	busywait "$(cf_ms 30000)" test "$(cat $S/sysfs_generation)" = "$1"
	check_eq "sysfs_generation reaches $1" "$1" "$(sys_read $S/sysfs_generation)"
}
out=$(nltest begin "$Z" "$P" \
	"device cam1,44:19:b6:00:00:01,ntp-only,addr=10.20.0.11" \
	"device cam2,44:19:b6:00:00:02,ntp-only,addr=10.20.0.12" commit)
check_match "deferred: first policy" 'commit: generation=1 added=2 removed=0 changed=0 unchanged=0 ok$' "$out"
sysfs_wait 1
check_eq "deferred: directories" "cam1 cam2" "$(ls $S/devices | paste -sd " ")"
ip netns exec cam cftraffic udp-send 203.0.113.7 6800 2 100
busywait "$(cf_ms 20000)" test "$(cat $S/devices/cam1/dropped_packets)" -ge 2
check_eq "deferred: cam1 dropped_packets" 2 "$(sys_read $S/devices/cam1/dropped_packets)"
out=$(nltest begin "$Z" "$P" \
	"device gate-1,44:19:b6:00:00:01,ntp-only,addr=10.20.0.11" \
	"device cam3,44:19:b6:00:00:03,ntp-only,addr=10.20.0.13" commit)
check_match "deferred: second policy" 'commit: generation=2 added=1 removed=1 changed=1 unchanged=0 ok$' "$out"
sysfs_wait 2
check_eq "deferred: directories after rename" "cam3 gate-1" "$(ls $S/devices | paste -sd " ")"
check_eq "deferred: renamed, counters kept" 2 "$(sys_read $S/devices/gate-1/dropped_packets)"
out=$(nltest begin "$Z" "$P" \
	"device cam3,44:19:b6:00:00:01,ntp-only,addr=10.20.0.11" \
	"device gate-1,44:19:b6:00:00:03,ntp-only,addr=10.20.0.13" commit)
check_match "deferred: names swapped" 'commit: generation=3 added=0 removed=0 changed=2 unchanged=0 ok$' "$out"
sysfs_wait 3
check_eq "deferred: directories after the swap" "cam3 gate-1" "$(ls $S/devices | paste -sd " ")"
check_eq "deferred: cam3 is MAC :01" 44:19:b6:00:00:01 "$(sys_read $S/devices/cam3/mac)"
check_eq "deferred: cam3 carries :01's counters" 2 "$(sys_read $S/devices/cam3/dropped_packets)"
check_eq "deferred: gate-1 is MAC :03" 44:19:b6:00:00:03 "$(sys_read $S/devices/gate-1/mac)"
check_match "deferred: flush" 'flush: generation=4 added=0 removed=2 changed=0 unchanged=0 ok$' "$(nltest flush)"
sysfs_wait 4
check_eq "deferred: no directory after flush" "" "$(ls $S/devices)"

test_done
