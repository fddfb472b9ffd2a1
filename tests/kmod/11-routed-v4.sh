#!/bin/bash
# cf-timeout: 600
# SPDX-License-Identifier: GPL-2.0
# Routed VLAN zone, IPv4: "to" and "from" rules with port lists and ranges,
# replies of allowed connections, traffic to the router itself (input),
# exact per-device and global counters, the last drop.
source "$CF_TOP/tests/lib.sh"
source "$CF_TOP/tests/kmod/10-dataplane.lib"

cf_routed_topology || fail "topology"

cat > cf.conf <<'CONF'
mode enforce
zone cameras {
    vlan 20
    unknown drop
}
profile cam {
    allow to 10.99.0.5 udp 5000-5010,6000
    allow to 10.99.0.5 tcp 7200-7299
    allow from 10.99.0.5 tcp 554,80
    allow to 10.20.0.1 udp 53,123
    allow from 10.99.0.0/24 icmp
}
device lobby-1 {
    mac 44:19:b6:00:00:01
    ip 10.20.0.11
    profile cam
}
CONF
check_rc "load" 0 camfencectl load cf.conf

# Camera to the internet: nothing arrives, exactly 5 dropped.
check_eq "udp to the internet arrives" 0 "$(udp_count inet 203.0.113.7 6800 cam1 5)"
check_eq "dropped_packets" 5 "$(dstat lobby-1 dropped_packets)"
check_eq "dropped_bytes (5 x 28+64)" 460 "$(dstat lobby-1 dropped_bytes)"
check_eq "last_drop" "udp 203.0.113.7:6800" "$(dstat lobby-1 last_drop)"
check_eq "global dropped_packets" 5 "$(gstat dropped_packets)"
check_eq "allowed_packets before" 0 "$(dstat lobby-1 allowed_packets)"

# Port range and list towards the NVR.
check_eq "udp 5000 (range start)" 3 "$(udp_count nvr 10.99.0.5 5000 cam1 3)"
check_eq "udp 5010 (range end)" 4 "$(udp_count nvr 10.99.0.5 5010 cam1 4)"
check_eq "udp 6000 (list)" 2 "$(udp_count nvr 10.99.0.5 6000 cam1 2)"
check_eq "allowed_packets" 9 "$(dstat lobby-1 allowed_packets)"
check_eq "global allowed_packets" 9 "$(gstat allowed_packets)"
check_eq "udp 5011 (past the range)" 0 "$(udp_count nvr 10.99.0.5 5011 cam1 6)"
check_eq "udp 4999 (before the range)" 0 "$(udp_count nvr 10.99.0.5 4999 cam1 1)"
check_eq "dropped_packets" 12 "$(dstat lobby-1 dropped_packets)"
check_eq "last_drop" "udp 10.99.0.5:4999" "$(dstat lobby-1 last_drop)"
# The NVR is not allowed to send UDP to the camera (no "from" rule).
check_eq "udp from the NVR" 0 "$(udp_count cam1 10.20.0.11 5000 nvr 4)"
check_eq "dropped_packets (incoming counted)" 16 "$(dstat lobby-1 dropped_packets)"

# TCP with replies (echo, byte-exact) in both directions.
check_rc "tcp camera -> NVR 7250" 0 tcp_ok nvr 10.99.0.5 7250 cam1 20000
check_rc "tcp camera -> NVR 7300 refused" 1 tcp_ok nvr 10.99.0.5 7300 cam1
check_rc "tcp internet -> camera 554 refused" 1 tcp_ok cam1 10.20.0.11 554 inet
check_eq "last_drop (incoming)" "tcp 203.0.113.7:554" "$(dstat lobby-1 last_drop)"
check_rc "tcp NVR -> camera 554" 0 tcp_ok cam1 10.20.0.11 554 nvr 20000
check_rc "tcp NVR -> camera 80" 0 tcp_ok cam1 10.20.0.11 80 nvr
check_rc "tcp NVR -> camera 8000 refused" 1 tcp_ok cam1 10.20.0.11 8000 nvr

# ICMP: the NVR's subnet may ping, the internet may not.
check_rc "ping from the NVR" 0 ip netns exec nvr busybox ping -c 2 -W 1 10.20.0.11
check_rc "ping from the internet" 1 ip netns exec inet busybox ping -c 1 -W 1 10.20.0.11
check_rc "ping from the camera (no rule)" 1 ip netns exec cam1 busybox ping -c 1 -W 1 10.99.0.5

# Towards the router itself (input): DNS allowed, other ports not.
before=$(dstat lobby-1 dropped_packets)
check_eq "udp 53 to the router" 3 "$(udp_count "" 10.20.0.1 53 cam1 3)"
check_eq "udp 54 to the router" 0 "$(udp_count "" 10.20.0.1 54 cam1 3)"
check_eq "input drops counted" $((before + 3)) "$(dstat lobby-1 dropped_packets)"
check_eq "last_drop (input)" "udp 10.20.0.1:54" "$(dstat lobby-1 last_drop)"

# Traffic that touches no zone is not counted.
g=$(gstat allowed_packets)
d=$(gstat dropped_packets)
check_eq "NVR -> internet passes" 5 "$(udp_count inet 203.0.113.7 9000 nvr 5)"
check_eq "not counted (allowed)" "$g" "$(gstat allowed_packets)"
check_eq "not counted (dropped)" "$d" "$(gstat dropped_packets)"
check_eq "no spoofed" 0 "$(dstat lobby-1 spoofed_packets)"
check_eq "no monitored" 0 "$(dstat lobby-1 monitored_packets)"
check_match "last_seen is set" '^[1-9][0-9]+$' "$(dstat lobby-1 last_seen)"

test_done
