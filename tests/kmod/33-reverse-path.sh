#!/bin/bash
# cf-timeout: 600
# SPDX-License-Identifier: GPL-2.0
# Reverse path into camera zones (issue 13.5): a host on the internet that
# forges the address of the camera's NVR gets nothing through, neither as
# a new connection the camera's "from" rule would accept nor as a reply
# riding the conntrack entry of the camera's own flow to the NVR; IPv4 (on
# a router with rp_filter off) and IPv6 (which has no rp_filter). Dropped,
# counted as spoofed, evidence on the camera.
source "$CF_TOP/tests/lib.sh"
source "$CF_TOP/tests/kmod/10-dataplane.lib"

CRAFT="/usr/bin/python3 $CF_TOP/tests/tools/cfcraft.py"

cf_routed_topology || fail "topology"
sysctl -qw net.ipv4.conf.all.rp_filter=0 net.ipv4.conf.default.rp_filter=0
for i in rinet rnvr rcam1 rcam1.20; do
	echo 0 > "/proc/sys/net/ipv4/conf/$i/rp_filter"
done
check_eq "rp_filter off" 0 "$(sysctl -n net.ipv4.conf.rinet.rp_filter)"

cat > cf.conf <<'CONF'
zone cameras {
    vlan 20
}
profile cam {
    allow to 10.99.0.5 udp 5000
    allow from 10.99.0.5 udp 6000
    allow from fd00:99::5 udp 6000
}
device lobby-1 {
    mac 44:19:b6:00:00:01
    ip 10.20.0.11
    ip fd00:20::11
    profile cam
}
CONF
check_rc "load" 0 camfencectl load cf.conf
RMAC=$(cat /sys/class/net/rinet/address)

# 1. The NVR itself may open flows to the camera.
check_eq "NVR -> camera udp 6000" 3 "$(udp_count cam1 10.20.0.11 6000 nvr 3)"
check_eq "lobby-1 allowed_packets" 3 "$(dstat lobby-1 allowed_packets)"

# 2. The internet forging the NVR's address.
spoof() {	# spoof SINK_PORT COUNT craft-args...
	local port=$1 n=$2 pid
	shift 2
	rm -f .sink.stop
	ip netns exec cam1 cftraffic udp-sink -t 200 -f .sink.stop 0.0.0.0 "$port" > .sink.out &
	pid=$!
	busywait "$(cf_ms 20000)" udp_bound cam1 "$port" || { kill $pid; echo no-sink; return; }
	ip netns exec inet $CRAFT eth0 "$RMAC" "$@" > /dev/null || echo "craft failed"
	sleep 0.3
	touch .sink.stop
	wait $pid
	cat .sink.out
}
check_eq "forged NVR -> camera udp 6000" 0 \
	"$(spoof 6000 4 udp4 4 src=10.99.0.5 dst=10.20.0.11 dport=6000)"
check_eq "lobby-1 dropped_packets" 4 "$(dstat lobby-1 dropped_packets)"
check_eq "global spoofed_packets" 4 "$(gstat spoofed_packets)"
check_eq "lobby-1 evidence" "10.99.0.5 from udp 6000 spoofed 4" \
	"$(camfencectl show lobby-1 | awk '$1 == "10.99.0.5" && $2 == "from" { print $1, $2, $3, $4, $5, $6 }')"

# 3. ... riding the conntrack entry of the camera's flow to the NVR.
check_rc "camera -> NVR udp 5000 from port 41000" 0 \
	ip netns exec cam1 cftraffic udp-send -p 41000 10.99.0.5 5000 1
# + the NVR's ICMP port unreachable (RELATED: judged as the flow)
check_eq "lobby-1 allowed_packets (3 + 1 + 1 ICMP error)" 5 "$(dstat lobby-1 allowed_packets)"
check_eq "forged replies from the NVR's 5000" 0 \
	"$(spoof 41000 3 udp4 3 src=10.99.0.5 dst=10.20.0.11 sport=5000 dport=41000)"
check_eq "lobby-1 dropped_packets (4 + 3)" 7 "$(dstat lobby-1 dropped_packets)"

# 4. IPv6.
spoof6() {
	local pid
	rm -f .sink.stop
	ip netns exec cam1 cftraffic udp-sink -t 200 -f .sink.stop :: 6000 > .sink.out &
	pid=$!
	busywait "$(cf_ms 20000)" udp_bound cam1 6000 || { kill $pid; echo no-sink; return; }
	ip netns exec inet $CRAFT eth0 "$RMAC" udp6 2 src=fd00:99::5 dst=fd00:20::11 dport=6000 \
		> /dev/null || echo "craft failed"
	sleep 0.3
	touch .sink.stop
	wait $pid
	cat .sink.out
}
check_eq "forged NVR -> camera udp6 6000" 0 "$(spoof6)"
check_eq "lobby-1 dropped_packets (7 + 2)" 9 "$(dstat lobby-1 dropped_packets)"
check_eq "global spoofed_packets (4 + 3 + 2)" 9 "$(gstat spoofed_packets)"
# the real NVR over IPv6 still passes
check_eq "NVR -> camera udp6 6000" 2 "$(udp_count cam1 fd00:20::11 6000 nvr 2)"

test_done
