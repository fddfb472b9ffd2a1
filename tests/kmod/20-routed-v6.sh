#!/bin/bash
# cf-timeout: 600
# SPDX-License-Identifier: GPL-2.0
# Routed VLAN zone, IPv6: "to"/"from" rules with prefixes, port lists and
# ranges, replies, icmpv6 echo, input towards the router, a v6 last drop.
source "$CF_TOP/tests/lib.sh"
source "$CF_TOP/tests/kmod/10-dataplane.lib"

cf_routed_topology || fail "topology"

cat > cf.conf <<'CONF'
zone cameras {
    vlan 20
}
profile cam6 {
    allow to fd00:99::/64 udp 5000-5002,5005
    allow to fd00:99::5 tcp 7200
    allow from fd00:99::5 tcp 554
    allow from fd00:99::/64 icmpv6
    allow to fd00:20::1 udp 123
}
device lobby-1 {
    mac 44:19:b6:00:00:01
    ip 10.20.0.11
    ip fd00:20::11
    profile cam6
}
CONF
check_rc "load" 0 camfencectl load cf.conf

check_eq "udp6 5002 (range end)" 4 "$(udp_count nvr fd00:99::5 5002 cam1 4)"
check_eq "udp6 5005 (list)" 2 "$(udp_count nvr fd00:99::5 5005 cam1 2)"
check_eq "udp6 5003 (gap)" 0 "$(udp_count nvr fd00:99::5 5003 cam1 3)"
check_eq "allowed" 6 "$(dstat lobby-1 allowed_packets)"
check_eq "allowed_bytes (6 x 40+8+64)" 672 "$(dstat lobby-1 allowed_bytes)"
check_eq "dropped" 3 "$(dstat lobby-1 dropped_packets)"
check_eq "udp6 to the internet" 0 "$(udp_count inet 2001:db8:7::7 6800 cam1 5)"
check_eq "dropped" 8 "$(dstat lobby-1 dropped_packets)"
check_eq "last_drop" "udp [2001:db8:7::7]:6800" "$(dstat lobby-1 last_drop)"
# The IPv4 side of the same device has no rule at all.
check_eq "udp4 5000" 0 "$(udp_count nvr 10.99.0.5 5000 cam1 1)"

check_rc "tcp6 camera -> NVR 7200" 0 tcp_ok nvr fd00:99::5 7200 cam1 30000
check_rc "tcp6 internet -> camera 554" 1 tcp_ok cam1 fd00:20::11 554 inet
check_rc "tcp6 NVR -> camera 554" 0 tcp_ok cam1 fd00:20::11 554 nvr 30000
# tcp_ok leaves no server behind: a leftover listener on port 554 made the
# next tcp_ok's bind fail (EADDRINUSE) and answered in its place.
check_eq "no process left in cam1" "" "$(ip netns pids cam1)"
check_eq "no process left in nvr" "" "$(ip netns pids nvr)"

check_rc "ping6 from the NVR" 0 ip netns exec nvr busybox ping -6 -c 2 -W 1 fd00:20::11
check_rc "ping6 from the internet" 1 ip netns exec inet busybox ping -6 -c 1 -W 1 fd00:20::11
check_eq "last_drop (icmpv6)" "icmpv6 2001:db8:7::7" "$(dstat lobby-1 last_drop)"

check_eq "udp6 123 to the router" 2 "$(udp_count "" fd00:20::1 123 cam1 2)"
check_eq "udp6 124 to the router" 0 "$(udp_count "" fd00:20::1 124 cam1 2)"

test_done
