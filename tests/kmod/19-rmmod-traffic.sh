#!/bin/bash
# cf-timeout: 400
# SPDX-License-Identifier: GPL-2.0
# Unloading the module while traffic flows, with policies loaded in two
# network namespaces, is clean (the harness fails the run on any WARNING,
# BUG or lockdep report in the kernel log); so is deleting a namespace.
source "$CF_TOP/tests/lib.sh"
source "$CF_TOP/tests/kmod/10-dataplane.lib"

cf_routed_topology || fail "topology"
cat > cf.conf <<'CONF'
zone cameras {
    vlan 20
}
profile cam {
    allow to 10.99.0.5 udp 5000
    allow to 10.99.0.5 tcp 7200
}
device lobby-1 {
    mac 44:19:b6:00:00:01
    ip 10.20.0.11
    profile cam
}
CONF
check_rc "load" 0 camfencectl load cf.conf
check_rc "load in another netns" 0 ip netns exec nvr camfencectl load cf.conf
cf_netns extra
check_rc "load in a third netns" 0 ip netns exec extra camfencectl load cf.conf
check_rc "delete that netns with a policy" 0 ip netns delete extra

ip netns exec nvr cftraffic udp-sink -t 60000 10.99.0.5 5000 > /dev/null &
ip netns exec nvr cftraffic tcp-listen 10.99.0.5 7200 > /dev/null &
busywait "$(cf_ms 10000)" udp_bound nvr 5000 || fail "sink"
wait_listen nvr tcp 7200 || fail "listener"
ip netns exec cam1 cftraffic udp-send -i 200 10.99.0.5 5000 200000 > /dev/null 2>&1 &
ip netns exec cam1 cftraffic udp-send -i 200 203.0.113.7 6800 200000 > /dev/null 2>&1 &
(for i in $(seq 1 50); do
	ip netns exec cam1 cftraffic tcp-connect -t 1000 10.99.0.5 7200 100000 > /dev/null 2>&1
done) &
busywait "$(cf_ms 10000)" sh -c "[ \$(cat $SYS/stats/dropped_packets) -gt 20 ]" || fail "traffic flows"
check_match "allowed traffic flows" '^[1-9][0-9]*$' "$(gstat allowed_packets)"
check_rc "rmmod with traffic flowing" 0 modprobe -r camfence
check_rc "module gone" 1 test -d /sys/module/camfence
sleep 1
check_rc "modprobe again" 0 modprobe camfence
check_rc "load again" 0 camfencectl load cf.conf
busywait "$(cf_ms 5000)" sh -c "[ \$(cat $SYS/devices/lobby-1/dropped_packets) -gt 5 ]" ||
	fail "enforcing again"
check_rc "rmmod again" 0 modprobe -r camfence
check_rc "modprobe for the next test" 0 modprobe camfence

test_done
