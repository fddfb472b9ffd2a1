#!/bin/bash
# cf-timeout: 600
# SPDX-License-Identifier: GPL-2.0
# Infrastructure exemptions on the bridge are link-scoped and nobody on a
# camera port may act as infrastructure (issue 13.2/13.3, RA guard and DHCP
# guard): a DHCP client message is exempt only as a broadcast, DHCP server
# messages and router advertisements from a camera port are judged like any
# packet (an unknown box is no longer trusted to be a DHCP server).
source "$CF_TOP/tests/lib.sh"
source "$CF_TOP/tests/kmod/10-dataplane.lib"

PY=/usr/bin/python3
CRAFT="$PY $CF_TOP/tests/tools/cfcraft.py"

cf_bridged_topology || fail "topology"
trap 'rc=$?; cf_bridge_gone; (exit $rc); cf_cleanup' EXIT

cat > cf.conf <<'CONF'
zone cameras {
    vlan 20
    unknown drop
}
profile cam {
    allow to 10.20.0.5 udp 5000
    allow to fd00:20::5 udp 5000
}
profile nvr {
    allow from 10.20.0.0/24 udp 5000
    allow from fd00:20::/64 udp 5000
}
device lobby-1 {
    mac 44:19:b6:00:00:01
    ip 10.20.0.11
    ip fd00:20::11
    profile cam
}
device garage-2 {
    mac 3c:ef:8c:00:00:02
    ip 10.20.0.12
    ip fd00:20::12
    profile cam
}
device nvr-local {
    mac 00:11:32:00:00:05
    ip 10.20.0.5
    ip fd00:20::5
    profile nvr
}
CONF
check_rc "load" 0 camfencectl load cf.conf

# DHCP client port to DHCP server port, unicast to another camera: a UDP
# channel between cameras, not DHCP.
check_eq "udp 68 -> 67 camera to camera" 0 "$(udp_count cam3 10.20.0.12 67 cam1 3 -p 68)"
check_eq "lobby-1 dropped" 3 "$(dstat lobby-1 dropped_packets)"
check_eq "garage-2 dropped" 3 "$(dstat garage-2 dropped_packets)"

# DHCP server messages from an unknown box (a rogue DHCP server). It knows
# lobby-1's MAC statically: its ARP would be dropped as well (unknown drop).
ip -n rog neigh add 10.20.0.11 lladdr $CAM1_MAC dev eth0 || fail "neigh rog"
u0=$(gstat unknown_packets)
check_eq "udp 67 -> 68 unknown box to camera" 0 "$(udp_count cam1 10.20.0.11 68 rog 2 -p 67)"
check_eq "unknown_packets" $((u0 + 2)) "$(gstat unknown_packets)"
check_eq "lobby-1 dropped (rogue server)" 5 "$(dstat lobby-1 dropped_packets)"

# DHCP server messages from a camera.
check_eq "udp 67 -> 68 camera to camera" 0 "$(udp_count cam1 10.20.0.11 68 cam3 2 -p 67)"
check_eq "garage-2 dropped (server role)" 5 "$(dstat garage-2 dropped_packets)"
check_eq "lobby-1 dropped (server role)" 7 "$(dstat lobby-1 dropped_packets)"

# Router advertisements from a camera (RA guard): nothing reaches lobby-1.
nsx cam1 nft -f - <<'NFT' || fail "nft cam1"
table inet probe {
	counter c_ra { }
	chain in {
		type filter hook input priority 0;
		icmpv6 type nd-router-advert counter name c_ra
	}
}
NFT
g0=$(dstat garage-2 dropped_packets)
check_rc "RA from garage-2 to ff02::1 (x2)" 0 nsx cam3 $CRAFT eth0 33:33:00:00:00:01 ra6 2 \
	src=fe80::3eef:8cff:fe00:2 lladdr=3c:ef:8c:00:00:02
check_rc "RA from garage-2 unicast to lobby-1 (x1)" 0 nsx cam3 $CRAFT eth0 44:19:b6:00:00:01 ra6 1 \
	src=fe80::3eef:8cff:fe00:2 dst=fe80::4619:b6ff:fe00:1 lladdr=3c:ef:8c:00:00:02
check_eq "RAs arriving at lobby-1" 0 \
	"$(nsx cam1 nft list counter inet probe c_ra | awk '/packets/ { print $2 }')"
# The unicast RA is dropped once (spoofed: its source is not bound to
# garage-2); each multicast RA once on the bridge (flooded to pcam1, pnvr and
# prog, counted once: issue 16) and once at the router's input (br0.20).
check_eq "garage-2 dropped (RAs)" $((g0 + 5)) "$(dstat garage-2 dropped_packets)"

# Neighbour discovery and the allowed flows still work.
check_eq "camera -> NVR udp 5000 (IPv4)" 3 "$(udp_count nvrl 10.20.0.5 5000 cam1 3)"
check_eq "camera -> NVR udp 5000 (IPv6)" 2 "$(udp_count nvrl fd00:20::5 5000 cam1 2)"
check_eq "lobby-1 allowed" 5 "$(dstat lobby-1 allowed_packets)"

test_done
