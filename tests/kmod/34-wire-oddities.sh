#!/bin/bash
# cf-timeout: 700
# SPDX-License-Identifier: GPL-2.0
# Everything else a camera can put on the wire (issue 13.5), on the bridge
# from lobby-1 to the NVR, whose port 5000 lobby-1 may use and port 22 not:
#   IPv4 loose source route option, IPv6 type 0 routing header: dropped
#   (not classified), even to the allowed port;
#   tiny IPv4 fragments: reassembled by bridge connection tracking and
#   judged whole (to 22: dropped once; to 5000: one datagram arrives);
#   overlapping fragments rewriting the port: nothing arrives (the
#   reassembly drops them before any hook);
#   802.1Q priority tag (VID 0): the port's VLAN, judged like untagged;
#   802.1Q and 802.1ad double tags, PPPoE, another ethertype: dropped.
source "$CF_TOP/tests/lib.sh"
source "$CF_TOP/tests/kmod/10-dataplane.lib"

CRAFT="/usr/bin/python3 $CF_TOP/tests/tools/cfcraft.py"

cf_bridged_topology || fail "topology"
trap 'rc=$?; cf_bridge_gone; (exit $rc); cf_cleanup' EXIT

cat > cf.conf <<'CONF'
zone cameras {
    vlan 20
}
profile cam {
    allow to 10.20.0.5 udp 5000
    allow to fd00:20::5 udp 5000
}
profile nvr {
    allow from 10.20.0.0/24 udp 5000
    allow from fd00:20::/64 udp 5000
    allow to 10.20.0.1 udp 9
}
device lobby-1 {
    mac 44:19:b6:00:00:01
    ip 10.20.0.11
    ip fd00:20::11
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

ip -n cam1 neigh replace 10.20.0.5 lladdr $NVRL_MAC dev eth0 nud permanent || fail "neigh"
ip -n cam1 neigh replace fd00:20::5 lladdr $NVRL_MAC dev eth0 nud permanent || fail "neigh6"
# What reaches the NVR from lobby-1's MAC: IPv4 and non-IP frames but ARP (A), and
# IPv6 packets to the NVR's address (B; not neighbour discovery).
nsx nvrl nft -f - <<NFT || fail "nft nvrl"
table netdev probe {
	counter a { }
	counter b { }
	counter c_arp { }
	chain in {
		type filter hook ingress device eth0 priority 0;
		ether saddr $CAM1_MAC ether type arp counter name c_arp
		ether saddr $CAM1_MAC ether type != { ip6, arp } counter name a
		ether saddr $CAM1_MAC ip6 daddr fd00:20::5 meta l4proto != icmpv6 counter name b
	}
}
NFT
seen() {
	nsx nvrl nft list counter netdev probe "$1" | awk '/packets/ { print $2 }'
}
craft() {
	nsx cam1 $CRAFT eth0 $NVRL_MAC "$@"
}
dropped() {
	dstat lobby-1 dropped_packets
}

check_rc "NVR -> router udp 9" 0 ip netns exec nvrl cftraffic udp-send 10.20.0.1 9 1
check_eq "lobby-1 -> NVR udp 5000" 2 "$(udp_count nvrl 10.20.0.5 5000 cam1 2)"
check_eq "frames from lobby-1 at the NVR" 2 "$(seen a)"

# Source routes.
check_rc "IPv4 LSRR to 5000 (x2)" 0 craft udp4 2 src=10.20.0.11 dst=10.20.0.5 dport=5000 opt=lsrr
check_eq "LSRR at the NVR" 2 "$(seen a)"
check_eq "lobby-1 dropped (2)" 2 "$(dropped)"
check_rc "IPv6 RH0 to 5000 (x2)" 0 nsx cam1 $CRAFT eth0 $NVRL_MAC udp6 2 \
	src=fd00:20::11 dst=fd00:20::5 dport=5000 rh0=fd00:20::12
check_eq "RH0 at the NVR" 0 "$(seen b)"
check_eq "lobby-1 dropped (2 + 2)" 4 "$(dropped)"

# Fragments.
check_rc "tiny fragments to 22" 0 craft udp4 1 src=10.20.0.11 dst=10.20.0.5 dport=22 frag=tiny
check_eq "tiny fragments to 22 at the NVR" 2 "$(seen a)"
check_eq "lobby-1 dropped (4 + 1 datagram)" 5 "$(dropped)"
a0=$(dstat lobby-1 allowed_packets)
rm -f .sink.stop
nsx_bg nvrl cftraffic udp-sink -t 200 -f .sink.stop 10.20.0.5 5000 > .sink.out &
pid=$!
busywait "$(cf_ms 20000)" udp_bound nvrl 5000 || fail "sink"
check_rc "tiny fragments to 5000" 0 craft udp4 1 src=10.20.0.11 dst=10.20.0.5 dport=5000 frag=tiny
sleep 0.3
touch .sink.stop
wait $pid
check_eq "tiny fragments to 5000: datagrams at the NVR" 1 "$(cat .sink.out)"
check_eq "lobby-1 allowed: one datagram, judged whole" $((a0 + 1)) "$(dstat lobby-1 allowed_packets)"
# overlapping fragments (RFC 5722): a partial overlap kills the whole
# reassembly, nothing reaches a hook or the NVR
a1=$(seen a)
check_rc "overlapping fragments 5000 -> 22" 0 craft udp4 1 src=10.20.0.11 dst=10.20.0.5 \
	dport=5000 overlap=22
check_eq "overlapping fragments at the NVR" "$a1" "$(seen a)"
check_eq "lobby-1 dropped unchanged (never reassembled)" 5 "$(dropped)"
check_eq "lobby-1 allowed unchanged" $((a0 + 1)) "$(dstat lobby-1 allowed_packets)"
# an exact duplicate is discarded and the first fragment kept: the datagram
# judged (to 5000) is the one delivered, never the port-22 rewrite
rm -f .sink.stop .sink22.stop
nsx_bg nvrl cftraffic udp-sink -t 200 -f .sink.stop 10.20.0.5 5000 > .sink.out &
pid=$!
nsx_bg nvrl cftraffic udp-sink -t 200 -f .sink22.stop 10.20.0.5 22 > .sink22.out &
pid22=$!
busywait "$(cf_ms 20000)" udp_bound nvrl 5000 && busywait "$(cf_ms 20000)" udp_bound nvrl 22 || fail "sinks"
check_rc "duplicate fragment 5000 -> 22" 0 craft udp4 1 src=10.20.0.11 dst=10.20.0.5 \
	dport=5000 dup=22 id=4244
sleep 0.3
touch .sink.stop .sink22.stop
wait $pid $pid22
check_eq "duplicate fragment: datagrams at the NVR's 5000" 1 "$(cat .sink.out)"
check_eq "duplicate fragment: datagrams at the NVR's 22" 0 "$(cat .sink22.out)"
check_eq "lobby-1 allowed: the judged datagram" $((a0 + 2)) "$(dstat lobby-1 allowed_packets)"
check_eq "lobby-1 dropped still 5" 5 "$(dropped)"
a1=$(seen a)

# Tags.
check_rc "priority tag (VID 0) to 5000 (x2)" 0 craft udp4 2 src=10.20.0.11 dst=10.20.0.5 \
	dport=5000 tag=0
check_eq "priority-tagged to 5000 at the NVR" $((a1 + 2)) "$(seen a)"
check_rc "priority tag (VID 0) to 22 (x2)" 0 craft udp4 2 src=10.20.0.11 dst=10.20.0.5 \
	dport=22 tag=0
check_eq "priority-tagged to 22 at the NVR" $((a1 + 2)) "$(seen a)"
check_eq "lobby-1 dropped (5 + 2)" 7 "$(dropped)"
check_rc "802.1Q in 802.1Q (x2)" 0 craft udp4 2 src=10.20.0.11 dst=10.20.0.5 dport=5000 \
	tag2=20 tag=30
check_rc "802.1Q in 802.1ad (x2)" 0 craft udp4 2 src=10.20.0.11 dst=10.20.0.5 dport=5000 \
	tag2=20 tag=30 outer=88a8
check_eq "double-tagged at the NVR" $((a1 + 2)) "$(seen a)"
check_eq "lobby-1 dropped (7 + 4)" 11 "$(dropped)"

# Other encapsulations.
check_rc "PPPoE session (x2)" 0 craft udp4 2 src=10.20.0.11 dst=10.20.0.5 dport=5000 pppoe=1
check_rc "ethertype 88b5 (x2)" 0 craft udp4 2 src=10.20.0.11 dst=10.20.0.5 dport=5000 \
	ethertype=88b5
check_eq "PPPoE and 88b5 at the NVR" $((a1 + 2)) "$(seen a)"
check_eq "lobby-1 dropped (11 + 4)" 15 "$(dropped)"

test_done
