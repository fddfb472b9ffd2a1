#!/bin/bash
# cf-timeout: 400
# SPDX-License-Identifier: GPL-2.0
# sealed_vlans=20: from module load until the first commit only the
# infrastructure (ARP, neighbour discovery, DHCP towards the router) passes.
source "$CF_TOP/tests/lib.sh"
source "$CF_TOP/tests/kmod/10-dataplane.lib"

cf_reload sealed_vlans=20 || fail "reload sealed_vlans=20"
check_eq "parameter" "20" "$(sys_read /sys/module/camfence/parameters/sealed_vlans)"
cf_routed_topology || fail "topology"

check_eq "generation" 0 "$(sys_read $SYS/generation)"
check_eq "camera -> NVR while sealed" 0 "$(udp_count nvr 10.99.0.5 5000 cam1 3)"
check_eq "camera -> router udp 53 while sealed" 0 "$(udp_count "" 10.20.0.1 53 cam1 2)"
check_eq "NVR -> camera while sealed" 0 "$(udp_count cam1 10.20.0.11 554 nvr 2)"
check_eq "dropped_packets" 7 "$(gstat dropped_packets)"
check_eq "unknown_packets (ingress only)" 5 "$(gstat unknown_packets)"
check_eq "unknown table" "sealed 20 rcam1.20 10.20.0.11 5" "$(unknown_row "$CAM1_MAC")"

# Infrastructure: DHCP client -> server towards the router, IPv6 ND.
check_eq "DHCP to the router" 2 "$(SINK_ADDR=0.0.0.0 udp_count "" 10.20.0.1 67 cam1 2 -p 68)"
ip -n cam1 -6 neigh flush dev eth0.20
ip neigh flush dev rcam1.20
ip -n cam1 -6 route get fd00:99::5 > /dev/null
ip netns exec cam1 cftraffic udp-send fd00:99::5 5000 1 > /dev/null
busywait "$(cf_ms 3000)" sh -c "ip -6 neigh show dev rcam1.20 | grep -q 'fd00:20::11 lladdr $CAM1_MAC'"
check_match "router learnt the camera by ND (NS passed)" "fd00:20::11 lladdr $CAM1_MAC" \
	"$(ip -6 neigh show dev rcam1.20)"
check_eq "nothing else passed" 0 "$(gstat allowed_packets)"

cat > cf.conf <<'CONF'
zone cameras {
    vlan 20
}
profile cam {
    allow to 10.99.0.5 udp 5000
}
device lobby-1 {
    mac 44:19:b6:00:00:01
    ip 10.20.0.11
    profile cam
}
CONF
check_rc "first commit" 0 camfencectl load cf.conf
check_eq "generation" 1 "$(sys_read $SYS/generation)"
check_eq "camera -> NVR after the commit" 3 "$(udp_count nvr 10.99.0.5 5000 cam1 3)"
check_eq "lobby-1 allowed" 3 "$(dstat lobby-1 allowed_packets)"
check_eq "camera -> router 53 (no rule)" 0 "$(udp_count "" 10.20.0.1 53 cam1 1)"
check_eq "lobby-1 dropped" 1 "$(dstat lobby-1 dropped_packets)"

test_done
