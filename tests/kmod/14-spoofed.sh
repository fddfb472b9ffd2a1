#!/bin/bash
# cf-timeout: 400
# SPDX-License-Identifier: GPL-2.0
# Anti-spoofing: a device with bound addresses that sends from another
# address is dropped and counted as spoofed, in enforce and in monitor mode.
source "$CF_TOP/tests/lib.sh"
source "$CF_TOP/tests/kmod/10-dataplane.lib"

cf_routed_topology || fail "topology"
ip -n cam1 addr add 10.20.0.99/32 dev eth0.20 || fail "spoof address"

conf() {
	cat > cf.conf <<CONF
mode $1
zone cameras {
    vlan 20
}
profile cam {
    allow to 10.99.0.5 udp 5000
    allow to fd00:99::5 udp 5000
}
device lobby-1 {
    mac 44:19:b6:00:00:01
    ip 10.20.0.11
    profile cam
}
CONF
}

conf enforce
check_rc "load" 0 camfencectl load cf.conf
check_eq "bound source passes" 2 "$(udp_count nvr 10.99.0.5 5000 cam1 2 -s 10.20.0.11)"
check_eq "spoofed source" 0 "$(udp_count nvr 10.99.0.5 5000 cam1 3 -s 10.20.0.99)"
check_eq "spoofed_packets" 3 "$(dstat lobby-1 spoofed_packets)"
check_eq "dropped_packets (spoofed included)" 3 "$(dstat lobby-1 dropped_packets)"
check_eq "global spoofed_packets" 3 "$(gstat spoofed_packets)"
check_eq "global dropped_packets" 3 "$(gstat dropped_packets)"
# Only IPv4 is bound: any IPv6 source is not the device's.
check_eq "unbound IPv6 source" 0 "$(udp_count nvr fd00:99::5 5000 cam1 1)"
check_eq "spoofed_packets (v6)" 4 "$(dstat lobby-1 spoofed_packets)"

conf monitor
check_rc "load (monitor)" 0 camfencectl load cf.conf
check_eq "effective mode" "monitor" "$(dstat lobby-1 mode)"
check_eq "spoofed in monitor mode" 0 "$(udp_count nvr 10.99.0.5 5000 cam1 2 -s 10.20.0.99)"
check_eq "spoofed_packets" 6 "$(dstat lobby-1 spoofed_packets)"
check_eq "monitored_packets" 0 "$(dstat lobby-1 monitored_packets)"
check_eq "bound source still passes" 2 "$(udp_count nvr 10.99.0.5 5000 cam1 2 -s 10.20.0.11)"

test_done
