#!/bin/bash
# cf-timeout: 600
# SPDX-License-Identifier: GPL-2.0
# Flooded and misaddressed frames on the bridge (issue 13.3): a frame is
# judged for each egress port against the device behind that port, not
# only against its IP destination.
#  1. a packet for the NVR in a broadcast frame: dropped (spoofed), no copy
#     reaches another camera or the NVR;
#  2. a packet for the NVR in a frame to another camera's MAC: dropped;
#  3. unknown unicast (the bridge forgot where the NVR is and floods): only
#     the NVR's port gets the copy;
#  4. multicast (SSDP) the camera may send: the NVR (whose profile allows it)
#     and a port with no device get it, the other camera (whose profile
#     does not) does not; counted on both cameras, with evidence.
# Every copy is judged at its egress port, but a flooded frame is counted
# for its sender once (issue 16): the figures below count frames; a copy
# the device behind a port refuses is counted on that device.
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
    allow to 239.255.255.250 udp 1900
}
profile nvr {
    allow from 10.20.0.0/24 udp 5000
    allow from 10.20.0.0/24 udp 1900
    allow to 10.20.0.1 udp 9
}
device lobby-1 {
    mac 44:19:b6:00:00:01
    ip 10.20.0.11
    profile cam
}
device garage-2 {
    mac 3c:ef:8c:00:00:02
    ip 10.20.0.12
    profile cam
}
device nvr-local {
    mac 00:11:32:00:00:05
    ip 10.20.0.5
    profile nvr
}
CONF
check_rc "load" 0 camfencectl load cf.conf
BRMAC=$(cat /sys/class/net/br0/address)

# No neighbour discovery in the counts: static entries, no IPv6.
for ns in cam1 cam3 nvrl rog; do
	nsx $ns sysctl -qw net.ipv6.conf.eth0.disable_ipv6=1
	ip -n $ns neigh replace 10.20.0.1 lladdr "$BRMAC" dev eth0 nud permanent || fail "gw $ns"
	nsx $ns nft -f - <<'NFT' || fail "nft $ns"
table netdev probe {
	counter u5000 { }
	counter u1900 { }
	chain in {
		type filter hook ingress device eth0 priority 0;
		udp dport 5000 counter name u5000
		udp dport 1900 counter name u1900
	}
}
NFT
done
for ns in cam1 cam3; do
	ip -n $ns neigh replace 10.20.0.5 lladdr $NVRL_MAC dev eth0 nud permanent || fail "neigh $ns"
done
seen() {
	nsx "$1" nft list counter netdev probe "$2" | awk '/packets/ { print $2 }'
}

# 0. The devices are seen (and bound to their ports).
check_rc "NVR -> router udp 9" 0 ip netns exec nvrl cftraffic udp-send 10.20.0.1 9 1
check_eq "lobby-1 -> NVR" 1 "$(udp_count nvrl 10.20.0.5 5000 cam1 1)"
check_eq "garage-2 -> NVR" 1 "$(udp_count nvrl 10.20.0.5 5000 cam3 1)"
check_eq "lobby-1 allowed_packets" 1 "$(dstat lobby-1 allowed_packets)"

# 1. For the NVR, in a broadcast frame (3 frames, flooded to 3 ports).
check_rc "udp to the NVR in broadcast frames" 0 nsx cam1 $CRAFT eth0 ff:ff:ff:ff:ff:ff udp4 3 \
	src=10.20.0.11 dst=10.20.0.5 dport=5000
check_eq "broadcast copies at garage-2" 0 "$(seen cam3 u5000)"
check_eq "broadcast copies at the unknown box" 0 "$(seen rog u5000)"
check_eq "broadcast copies at the NVR (the 2 of step 0)" 2 "$(seen nvrl u5000)"
check_eq "lobby-1 spoofed_packets (once per frame)" 3 "$(dstat lobby-1 spoofed_packets)"
check_eq "lobby-1 dropped_packets (once per frame)" 3 "$(dstat lobby-1 dropped_packets)"
check_eq "lobby-1 evidence (once per frame)" "10.20.0.5 to udp 5000 spoofed 3" \
	"$(camfencectl show lobby-1 | awk '$1 == "10.20.0.5" && $5 == "spoofed" { print $1, $2, $3, $4, $5, $6 }')"

# 2. For the NVR, in frames to garage-2's MAC.
check_rc "udp to the NVR in frames to garage-2" 0 nsx cam1 $CRAFT eth0 $CAM3_MAC udp4 2 \
	src=10.20.0.11 dst=10.20.0.5 dport=5000
check_eq "misaddressed copies at garage-2" 0 "$(seen cam3 u5000)"
check_eq "lobby-1 spoofed_packets (3 + 2)" 5 "$(dstat lobby-1 spoofed_packets)"

# 3. Unknown unicast: the bridge floods the NVR's frames (4 frames to 3
#    ports): the NVR's port gets them, the copies to the other ports are
#    not delivered, and the frames count once, as allowed.
bridge fdb del $NVRL_MAC dev pnvr vlan 20 master || fail "fdb del"
check_eq "lobby-1 -> NVR while flooded" 4 "$(udp_count nvrl 10.20.0.5 5000 cam1 4)"
check_eq "flooded copies at garage-2" 0 "$(seen cam3 u5000)"
check_eq "flooded copies at the unknown box" 0 "$(seen rog u5000)"
check_eq "lobby-1 allowed_packets (1 + 4)" 5 "$(dstat lobby-1 allowed_packets)"
check_eq "lobby-1 dropped_packets unchanged (3 + 2)" 5 "$(dstat lobby-1 dropped_packets)"
check_eq "lobby-1 spoofed_packets unchanged" 5 "$(dstat lobby-1 spoofed_packets)"

# 4. SSDP multicast (3 datagrams, 3 egress ports): allowed for lobby-1
#    once each; garage-2's profile refuses its copies, counted on garage-2.
check_rc "SSDP from lobby-1" 0 ip netns exec cam1 cftraffic udp-send 239.255.255.250 1900 3
check_eq "SSDP at the NVR" 3 "$(seen nvrl u1900)"
check_eq "SSDP at the unknown box" 3 "$(seen rog u1900)"
check_eq "SSDP at garage-2" 0 "$(seen cam3 u1900)"
check_eq "lobby-1 allowed_packets (5 + 3)" 8 "$(dstat lobby-1 allowed_packets)"
check_eq "lobby-1 dropped_packets unchanged" 5 "$(dstat lobby-1 dropped_packets)"
check_eq "garage-2 dropped_packets" 3 "$(dstat garage-2 dropped_packets)"
check_eq "garage-2 evidence" "10.20.0.11 from udp 1900 no-rule 3" \
	"$(camfencectl show garage-2 | awk '$1 == "10.20.0.11" { print $1, $2, $3, $4, $5, $6 }')"

test_done
