#!/bin/bash
# cf-timeout: 600
# SPDX-License-Identifier: GPL-2.0
# Bridged VLAN zone (VLAN-aware bridge, access ports untagged PVID 20):
# camera to NVR on the same segment (both are devices, both must allow),
# camera to camera blocked, replies through bridge conntrack, IPv4 and
# IPv6, the router on br0.20, an unknown MAC on the segment.
source "$CF_TOP/tests/lib.sh"
source "$CF_TOP/tests/kmod/10-dataplane.lib"

cf_bridged_topology || fail "topology"

cat > cf.conf <<'CONF'
zone cameras {
    vlan 20
}
profile cam {
    allow to 10.20.0.5 udp 5000
    allow to 10.20.0.5 tcp 7200-7299
    allow from 10.20.0.5 tcp 554
    allow to fd00:20::5 udp 5000
    allow from fd00:20::5 tcp 554
    allow to 10.20.0.1 udp 53
}
profile nvr {
    allow to any
    allow from 10.20.0.0/24 udp 5000
    allow from 10.20.0.0/24 tcp 7200-7210
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

# Camera to the NVR: both allow.
check_eq "camera -> NVR udp 5000" 5 "$(udp_count nvrl 10.20.0.5 5000 cam1 5)"
check_eq "lobby-1 allowed" 5 "$(dstat lobby-1 allowed_packets)"
check_eq "nvr-local allowed" 5 "$(dstat nvr-local allowed_packets)"
check_eq "lobby-1 allowed_bytes" 460 "$(dstat lobby-1 allowed_bytes)"

# Camera to camera: blocked, counted on both, evidence on both.
check_eq "camera -> camera udp 5000" 0 "$(udp_count cam3 10.20.0.12 5000 cam1 4)"
check_eq "lobby-1 dropped" 4 "$(dstat lobby-1 dropped_packets)"
check_eq "garage-2 dropped" 4 "$(dstat garage-2 dropped_packets)"
check_eq "lobby-1 last_drop" "udp 10.20.0.12:5000" "$(dstat lobby-1 last_drop)"
check_eq "garage-2 last_drop" "udp 10.20.0.11:5000" "$(dstat garage-2 last_drop)"
check_eq "global dropped" 4 "$(gstat dropped_packets)"

# IPv6 on the bridge.
check_eq "camera -> NVR udp6 5000" 3 "$(udp_count nvrl fd00:20::5 5000 cam1 3)"
check_eq "camera -> camera udp6" 0 "$(udp_count cam3 fd00:20::12 5000 cam1 2)"
check_eq "lobby-1 last_drop v6" "udp [fd00:20::12]:5000" "$(dstat lobby-1 last_drop)"
check_eq "lobby-1 dropped" 6 "$(dstat lobby-1 dropped_packets)"

# The NVR's own profile must allow too: its "from" rule stops at 7210.
check_rc "tcp camera -> NVR 7205" 0 tcp_ok nvrl 10.20.0.5 7205 cam1 20000
check_rc "tcp camera -> NVR 7250 (NVR profile refuses)" 1 tcp_ok nvrl 10.20.0.5 7250 cam1
check_eq "nvr-local last_drop" "tcp 10.20.0.11:7250" "$(dstat nvr-local last_drop)"
# The NVR pulls RTSP from the camera: replies pass (bridge conntrack).
check_rc "tcp NVR -> camera 554" 0 tcp_ok cam1 10.20.0.11 554 nvrl 50000
check_rc "tcp6 NVR -> camera 554" 0 tcp_ok cam1 fd00:20::11 554 nvrl 50000
check_rc "tcp NVR -> camera 80 (camera profile refuses)" 1 tcp_ok cam1 10.20.0.11 80 nvrl
check_rc "tcp camera -> camera 554" 1 tcp_ok cam3 10.20.0.12 554 cam1
# tcp_ok leaves no server behind: a listener left on 10.20.0.11:554 made
# wait_listen (port only) pass before the IPv6 one listened, and its SYN
# could meet no listener (CI, 6.12: "tcp6 NVR -> camera 554" failed).
check_eq "no process left in cam1" "" "$(ip netns pids cam1)"
check_eq "no process left in cam3" "" "$(ip netns pids cam3)"
check_eq "no process left in nvrl" "" "$(ip netns pids nvrl)"

# The router on br0.20 (input).
check_eq "udp 53 to the router" 2 "$(udp_count "" 10.20.0.1 53 cam1 2)"
check_eq "udp 54 to the router" 0 "$(udp_count "" 10.20.0.1 54 cam1 2)"
check_eq "lobby-1 last_drop (input)" "udp 10.20.0.1:54" "$(dstat lobby-1 last_drop)"

# An unknown MAC on the segment: zone default is "unknown drop" (its ARP
# too: it knows the NVR's MAC statically, so exactly its 3 datagrams count).
ip -n rog neigh add 10.20.0.5 lladdr $NVRL_MAC dev eth0 || fail "neigh rog"
check_eq "unknown -> NVR" 0 "$(udp_count nvrl 10.20.0.5 5000 rog 3)"
check_eq "unknown_packets" 3 "$(gstat unknown_packets)"
check_eq "unknown table row" "cameras 20 prog 10.20.0.66 3" "$(unknown_row "$ROG_MAC")"

cf_bridge_gone
test_done
