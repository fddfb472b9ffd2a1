#!/bin/bash
# cf-timeout: 600
# SPDX-License-Identifier: GPL-2.0
# Unknown devices in a routed zone: each "unknown" action (drop, monitor,
# allow), the unknown-device table, unknown_packets; and traffic routed into
# the zone towards an address no device binds.
source "$CF_TOP/tests/lib.sh"
source "$CF_TOP/tests/kmod/10-dataplane.lib"

cf_routed_topology || fail "topology"

conf() {
	cat > cf.conf <<CONF
zone cameras {
    vlan 20
    unknown $1
}
profile cam {
    allow to 10.99.0.5 udp 5000
    allow from 10.99.0.5 udp 5001
}
device lobby-1 {
    mac 44:19:b6:00:00:01
    ip 10.20.0.11
    profile cam
}
CONF
}

conf drop
check_rc "load (unknown drop)" 0 camfencectl load cf.conf
check_eq "unknown -> NVR (drop)" 0 "$(udp_count nvr 10.99.0.5 5000 cam2 4)"
check_eq "unknown_packets" 4 "$(gstat unknown_packets)"
check_eq "dropped_packets" 4 "$(gstat dropped_packets)"
check_eq "monitored_packets" 0 "$(gstat monitored_packets)"
table=$(camfencectl unknown)
check_eq "unknown table row" "cameras 20 rcam2.20 10.21.0.12 4" "$(unknown_row "$CAM2_MAC" "$table")"
check_eq "the known camera is not in the table" "" "$(unknown_row "$CAM1_MAC" "$table")"
# Routed into the zone towards an address no device binds.
check_eq "NVR -> unbound address in the zone" 0 \
	"$(udp_count cam2 10.21.0.12 5001 nvr 2)"
check_eq "dropped_packets" 6 "$(gstat dropped_packets)"
check_eq "unknown_packets (egress not recorded)" 4 "$(gstat unknown_packets)"
# ...while the bound one passes.
check_eq "NVR -> lobby-1 5001" 2 "$(udp_count cam1 10.20.0.11 5001 nvr 2)"

conf monitor
check_rc "load (unknown monitor)" 0 camfencectl load cf.conf
check_eq "unknown -> NVR (monitor)" 3 "$(udp_count nvr 10.99.0.5 5000 cam2 3)"
check_eq "unknown_packets" 7 "$(gstat unknown_packets)"
check_eq "monitored_packets" 3 "$(gstat monitored_packets)"
check_eq "dropped_packets" 6 "$(gstat dropped_packets)"
check_eq "unknown table row (packets kept across commits)" "cameras 20 rcam2.20 10.21.0.12 7" \
	"$(unknown_row "$CAM2_MAC")"

conf allow
check_rc "load (unknown allow)" 0 camfencectl load cf.conf
a=$(gstat allowed_packets)
check_eq "unknown -> NVR (allow)" 2 "$(udp_count nvr 10.99.0.5 5000 cam2 2)"
check_eq "unknown_packets" 9 "$(gstat unknown_packets)"
check_eq "monitored_packets" 3 "$(gstat monitored_packets)"
check_eq "allowed_packets" $((a + 2)) "$(gstat allowed_packets)"
check_eq "NVR -> unbound address (allow)" 2 "$(udp_count cam2 10.21.0.12 5001 nvr 2)"

test_done
