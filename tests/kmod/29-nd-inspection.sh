#!/bin/bash
# cf-timeout: 600
# SPDX-License-Identifier: GPL-2.0
# Neighbour discovery inspection (issue 13.3), bridged zone: a camera's
# unsolicited override NA for the NVR's address, or an NS that claims the
# NVR's address as its source, does not move the router's or another
# camera's neighbour entry for the NVR; both are dropped and counted as
# spoofed. The camera's own NA and NS, and IPv6 to the NVR, keep working.
source "$CF_TOP/tests/lib.sh"
source "$CF_TOP/tests/kmod/10-dataplane.lib"

CRAFT="/usr/bin/python3 $CF_TOP/tests/tools/cfcraft.py"

cf_bridged_topology || fail "topology"
trap 'rc=$?; cf_bridge_gone; (exit $rc); cf_cleanup' EXIT

cat > cf.conf <<'CONF'
zone cameras {
    vlan 20
    unknown drop
}
profile cam {
    allow to fd00:20::5 udp 5000
}
profile nvr {
    allow from fd00:20::/64 udp 5000
}
device lobby-1 {
    mac 44:19:b6:00:00:01
    ip fd00:20::11
    profile cam
}
device garage-2 {
    mac 3c:ef:8c:00:00:02
    ip fd00:20::12
    profile cam
}
device nvr-local {
    mac 00:11:32:00:00:05
    ip fd00:20::5
    profile nvr
}
CONF
check_rc "load" 0 camfencectl load cf.conf
BRMAC=$(cat /sys/class/net/br0/address)

ip -6 neigh replace fd00:20::5 lladdr $NVRL_MAC dev br0.20 nud stale || fail "router neigh"
ip -n cam3 -6 neigh replace fd00:20::5 lladdr $NVRL_MAC dev eth0 nud stale || fail "cam3 neigh"
sleep 1.5	# past the neighbour locktime

# 1. Unsolicited override NA for the NVR's address, to the router and to
#    all nodes (the bridge floods it to garage-2, the NVR and the unknown
#    port, counted once there: issue 16, and delivers it to the router).
check_rc "override NA to the router" 0 nsx cam1 $CRAFT eth0 "$BRMAC" na6 1 \
	src=fd00:20::11 dst=fd00:20::1 target=fd00:20::5 lladdr=$CAM1_MAC
check_rc "override NA to all nodes" 0 nsx cam1 $CRAFT eth0 33:33:00:00:00:01 na6 1 \
	src=fd00:20::11 dst=ff02::1 target=fd00:20::5 lladdr=$CAM1_MAC
check_eq "router's entry for the NVR" "$NVRL_MAC" \
	"$(ip -6 neigh show fd00:20::5 dev br0.20 | awk '{ print $3 }')"
check_eq "garage-2's entry for the NVR" "$NVRL_MAC" \
	"$(ip -n cam3 -6 neigh show fd00:20::5 dev eth0 | awk '{ print $3 }')"
check_eq "lobby-1 spoofed_packets (1 + 2)" 3 "$(dstat lobby-1 spoofed_packets)"

# 2. An NS that claims the NVR's address as its source (the receiver learns
#    the source link-layer address for it).
check_rc "NS from the NVR's address to the router" 0 nsx cam1 $CRAFT eth0 "$BRMAC" ns6 1 \
	src=fd00:20::5 dst=fd00:20::1 lladdr=$CAM1_MAC
check_eq "router's entry for the NVR after the NS" "$NVRL_MAC" \
	"$(ip -6 neigh show fd00:20::5 dev br0.20 | awk '{ print $3 }')"
check_eq "lobby-1 spoofed_packets (NS)" 4 "$(dstat lobby-1 spoofed_packets)"

# 3. lobby-1's own NA (its bound address, its MAC) passes, uncounted.
check_rc "own NA to the router" 0 nsx cam1 $CRAFT eth0 "$BRMAC" na6 1 \
	src=fd00:20::11 dst=fd00:20::1 target=fd00:20::11 lladdr=$CAM1_MAC
check_eq "lobby-1 spoofed_packets unchanged" 4 "$(dstat lobby-1 spoofed_packets)"
check_eq "lobby-1 dropped_packets" 4 "$(dstat lobby-1 dropped_packets)"
check_eq "camera -> NVR udp 5000 (IPv6)" 3 "$(udp_count nvrl fd00:20::5 5000 cam1 3)"
check_eq "lobby-1 allowed_packets" 3 "$(dstat lobby-1 allowed_packets)"

test_done
