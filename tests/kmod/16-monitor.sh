#!/bin/bash
# cf-timeout: 400
# SPDX-License-Identifier: GPL-2.0
# Monitor vs enforce: the global mode, a device's own mode, monitored_packets.
source "$CF_TOP/tests/lib.sh"
source "$CF_TOP/tests/kmod/10-dataplane.lib"

cf_routed_topology || fail "topology"
ip -n cam2 link set eth0 address 44:19:b6:00:00:02
cf_static_neigh cam2 eth0.20 rcam2 10.21.0.12 fd00:21::12 10.21.0.1 fd00:21::1 || fail "neigh"

conf() {
	cat > cf.conf <<CONF
mode $1
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
device lobby-2 {
    mac 44:19:b6:00:00:02
    ip 10.21.0.12
    profile cam
    mode $2
}
CONF
}

conf monitor enforce
check_rc "load (global monitor, lobby-2 enforce)" 0 camfencectl load cf.conf
check_eq "global mode" monitor "$(sys_read $SYS/mode)"
check_eq "lobby-1 (default) passes" 4 "$(udp_count inet 203.0.113.7 6800 cam1 4)"
check_eq "lobby-1 monitored" 4 "$(dstat lobby-1 monitored_packets)"
check_eq "lobby-1 dropped" 0 "$(dstat lobby-1 dropped_packets)"
check_eq "lobby-1 last_drop (would-be)" "udp 203.0.113.7:6800" "$(dstat lobby-1 last_drop)"
check_eq "lobby-2 (enforce) dropped" 0 "$(udp_count inet 203.0.113.7 6801 cam2 3)"
check_eq "lobby-2 dropped" 3 "$(dstat lobby-2 dropped_packets)"
check_eq "lobby-2 monitored" 0 "$(dstat lobby-2 monitored_packets)"
check_eq "global monitored" 4 "$(gstat monitored_packets)"
check_eq "global dropped" 3 "$(gstat dropped_packets)"

check_rc "mode enforce" 0 camfencectl mode enforce
check_eq "lobby-1 now dropped" 0 "$(udp_count inet 203.0.113.7 6800 cam1 2)"
check_eq "lobby-1 dropped" 2 "$(dstat lobby-1 dropped_packets)"
check_eq "lobby-1 monitored unchanged" 4 "$(dstat lobby-1 monitored_packets)"
check_eq "allowed traffic unaffected" 2 "$(udp_count nvr 10.99.0.5 5000 cam1 2)"

conf enforce monitor
check_rc "load (global enforce, lobby-2 monitor)" 0 camfencectl load cf.conf
check_eq "lobby-2 (monitor) passes" 5 "$(udp_count inet 203.0.113.7 6801 cam2 5)"
check_eq "lobby-2 monitored" 5 "$(dstat lobby-2 monitored_packets)"
check_eq "lobby-2 dropped unchanged" 3 "$(dstat lobby-2 dropped_packets)"
check_eq "lobby-1 still dropped" 0 "$(udp_count inet 203.0.113.7 6800 cam1 1)"
check_eq "global monitored" 9 "$(gstat monitored_packets)"

test_done
