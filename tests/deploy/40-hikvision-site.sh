#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# cf-timeout: 420
#
# examples/hikvision.conf, loaded verbatim, on the topology its comments
# describe: the router is the VLAN-aware bridge, cameras and the NVR on access
# ports of VLAN 20, operators on VLAN 30, the internet behind the uplink.
# What the example promises must hold with real packets: the NVR reaches the
# cameras' RTSP/ISAPI/SDK ports, operators the web pages, the cameras their
# NTP on the router; nothing reaches the internet or another camera.
#
#   cam1 (hik-entrance) 44:19:b6:20:00:11 10.20.0.11 --+
#   cam2 (hik-lobby)    44:19:b6:20:00:12 10.20.0.12 --+-- br0 (vlan_filtering, pvid 20) -- br0.20 10.20.0.1
#   nvr  (hik-nvr-1)    44:19:b6:20:00:05 10.20.0.5  --+
#   office 10.30.0.50 ---------------------- (pvid 30) ---------------------- br0.30 10.30.0.1
#   inet 203.0.113.7 ------------------------- up0 203.0.113.1 (routed uplink)

source "$CF_TOP/tests/lib.sh"
set -u

TO=3000		# ms before a blocked TCP connect counts as refused

cf_netns cam1 cam2 nvr office inet
ip link add br0 type bridge vlan_filtering 1 vlan_default_pvid 0
ip link set br0 up
port() { # NS IFNAME MAC ADDR/LEN GW PVID
	cf_veth "" "$2" "$1" eth0
	ip -n "$1" link set eth0 address "$3"
	ip -n "$1" addr add "$4" dev eth0
	ip -n "$1" route add default via "$5"
	ip link set "$2" master br0
	bridge vlan add dev "$2" vid "$6" pvid untagged
}
port cam1 p1 44:19:b6:20:00:11 10.20.0.11/24 10.20.0.1 20
port cam2 p2 44:19:b6:20:00:12 10.20.0.12/24 10.20.0.1 20
port nvr p3 44:19:b6:20:00:05 10.20.0.5/24 10.20.0.1 20
port office p4 02:00:00:30:00:50 10.30.0.50/24 10.30.0.1 30
bridge vlan add dev br0 vid 20 self
bridge vlan add dev br0 vid 30 self
ip link add link br0 name br0.20 type vlan id 20
ip link add link br0 name br0.30 type vlan id 30
ip addr add 10.20.0.1/24 dev br0.20
ip addr add 10.30.0.1/24 dev br0.30
ip link set br0.20 up
ip link set br0.30 up
cf_veth "" up0 inet eth0
ip addr add 203.0.113.1/24 dev up0
ip -n inet addr add 203.0.113.7/24 dev eth0
ip -n inet route add default via 203.0.113.1
sysctl -qw net.ipv4.ip_forward=1

rc=0
camfencectl load "$CF_TOP/examples/hikvision.conf" >"$PWD/load.out" 2>&1 || rc=$?
check_eq "camfencectl load examples/hikvision.conf" 0 "$rc" || sed 's/^/#   /' "$PWD/load.out"
check_eq "devices" 6 "$(sys_read /sys/kernel/camfence/device_count)"

# Servers: the cameras' RTSP, HTTP, SDK ports; the cloud's HTTPS.
for ns in cam1 cam2; do
	a=$(ip -n "$ns" -4 -o addr show dev eth0 | awk '{print $4}' | cut -d/ -f1)
	for p in 554 80 8000; do
		ip netns exec "$ns" cftraffic tcp-listen "$a" "$p" &
	done
done
ip netns exec inet cftraffic tcp-listen 203.0.113.7 443 &
for p in 554 80 8000; do wait_listen cam1 tcp "$p"; wait_listen cam2 tcp "$p"; done
wait_listen inet tcp 443

conn() { # NS ADDR PORT -> exit code of a TCP connect with 16 bytes echoed
	local rc=0
	ip netns exec "$1" cftraffic tcp-connect -t "$TO" "$2" "$3" 16 >/dev/null 2>&1 || rc=$?
	echo "$rc"
}
# allowed (both the NVR's `to` and the camera's `from` rule, on the bridge)
check_eq "NVR -> cam1 RTSP 554" 0 "$(conn nvr 10.20.0.11 554)"
check_eq "NVR -> cam2 ISAPI 80" 0 "$(conn nvr 10.20.0.12 80)"
check_eq "NVR -> cam1 SDK 8000" 0 "$(conn nvr 10.20.0.11 8000)"
# allowed, routed from the office VLAN
check_eq "office -> cam1 web 80" 0 "$(conn office 10.20.0.11 80)"
# denied
check_eq "office -> cam1 SDK 8000 (only the NVR)" 1 "$(conn office 10.20.0.11 8000)"
check_eq "cam1 -> cam2 RTSP 554 (camera to camera, bridged)" 1 "$(conn cam1 10.20.0.12 554)"
check_eq "cam1 -> internet 443 (Hik-Connect)" 1 "$(conn cam1 203.0.113.7 443)"
check_eq "NVR -> internet 443" 1 "$(conn nvr 203.0.113.7 443)"

# UDP, exact counts: the P2P cloud gets nothing.  (NTP to the router is
# counted in 20-sealed-boot.)  The dropped_packets delta is the assertion that
# the datagrams were sent and stopped by camfence, so the sink may stop after
# 3 s of silence after the sender is done (-f: not before, however slow the
# guest is).
udp() { # NS DST PORT N SINK_NS -> datagrams arrived
	local out=$PWD/sink.$RANDOM
	ip netns exec "$5" cftraffic udp-sink -f "$out.done" -t 3000 "$2" "$3" >"$out" &
	local spid=$!
	wait_listen "$5" udp "$3" || return 1
	ip netns exec "$1" cftraffic udp-send "$2" "$3" "$4" >/dev/null
	touch "$out.done"
	wait "$spid"
	cat "$out"
}
d0=$(sys_read /sys/kernel/camfence/devices/hik-lobby/dropped_packets)
check_eq "cam2 -> internet udp 8800 (P2P): 5 datagrams arrived" 0 "$(udp cam2 203.0.113.7 8800 5 inet)"
d1=$(sys_read /sys/kernel/camfence/devices/hik-lobby/dropped_packets)
check_eq "hik-lobby (cam2) dropped_packets grew by exactly 5" 5 "$((d1 - d0))"
check_eq "hik-lobby (cam2) last_drop" "udp 203.0.113.7:8800" "$(sys_read /sys/kernel/camfence/devices/hik-lobby/last_drop)"

test_done
