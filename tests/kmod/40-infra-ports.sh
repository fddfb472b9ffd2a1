#!/bin/bash
# cf-timeout: 600
# SPDX-License-Identifier: GPL-2.0
# Infrastructure messages on the bridge go towards the router, not to the
# other cameras (issue 16; RA guard and DHCP snooping: router ports only).
# The bridge floods a camera's RS, MLD and IGMP reports, DHCP and DHCPv6
# client messages to every port: those copies are held unless the device
# behind the port may answer them (here the NVR serves DHCP). A copy in a
# frame addressed to another camera is dropped and counted. Address
# resolution crosses ports as ARP does, but is no data channel: an NS with
# data after it, or with an option an NS does not carry, is dropped and
# counted. What arrives at each port is counted in its namespace.
source "$CF_TOP/tests/lib.sh"
source "$CF_TOP/tests/kmod/10-dataplane.lib"

CRAFT="/usr/bin/python3 $CF_TOP/tests/tools/cfcraft.py"
LL1=fe80::4619:b6ff:fe00:1

cf_bridged_topology || fail "topology"
trap 'rc=$?; nft delete table inet cfprobe 2>/dev/null; cf_bridge_gone; (exit $rc); cf_cleanup' EXIT

cat > cf.conf <<'CONF'
zone cameras {
    vlan 20
    unknown drop
}
profile cam {
    allow to 10.20.0.5 udp 5000
    allow to fd00:20::5 udp 5000
}
profile nvr {
    allow from 10.20.0.0/24 udp 5000
    allow from fd00:20::/64 udp 5000
    allow to 255.255.255.255 udp 68
}
device lobby-1 {
    mac 44:19:b6:00:00:01
    ip 10.20.0.11
    ip fd00:20::11
    profile cam
}
device garage-2 {
    mac 3c:ef:8c:00:00:02
    ip 10.20.0.12
    ip fd00:20::12
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

# lobby-1's kernel stops soliciting: the RSs counted are the test's.
nsx cam1 sysctl -qw net.ipv6.conf.eth0.router_solicitations=0
# What arrives from lobby-1 (not ARP) at each other port, by message.
for ns in cam3 nvrl rog; do
	nsx $ns nft -f - <<NFT || fail "nft $ns"
table netdev probe {
	counter c_rs { }
	counter c_mld { }
	counter c_igmp { }
	counter c_dhcp4 { }
	counter c_dhcp6 { }
	counter c_ns { }
	counter c_all { }
	counter c_rogns { }
	chain in {
		type filter hook ingress device "eth0" priority 0;
		ether saddr $CAM1_MAC ether type != arp counter name c_all
		ether saddr $CAM1_MAC icmpv6 type nd-router-solicit counter name c_rs
		ether saddr $CAM1_MAC icmpv6 type mld2-listener-report counter name c_mld
		ether saddr $CAM1_MAC ip protocol igmp counter name c_igmp
		ether saddr $CAM1_MAC udp dport 67 counter name c_dhcp4
		ether saddr $CAM1_MAC udp dport 547 counter name c_dhcp6
		ether saddr $CAM1_MAC icmpv6 type nd-neighbor-solicit counter name c_ns
		ether saddr $ROG_MAC icmpv6 type nd-neighbor-solicit counter name c_rogns
	}
}
NFT
done
# The router's own copies (LOCAL_IN).
nft -f - <<'NFT' || fail "nft router"
table inet cfprobe {
	counter c_rs { }
	chain in {
		type filter hook input priority -10;
		iifname "br0.20" ip6 saddr fe80::4619:b6ff:fe00:1 icmpv6 type nd-router-solicit counter name c_rs
	}
}
NFT
# at NS NAME: packets of counter NAME in NS's probe table.
at() {
	nsx "$1" nft list counter netdev probe "$2" | awk '/packets/ { print $2 }'
}
sleep 2	# lobby-1's own last RS and reports, if any, are out

# 1. Flooded: the router's messages, each x2.
check_rc "RS to ff02::2" 0 nsx cam1 $CRAFT eth0 33:33:00:00:00:02 rs6 2 src=$LL1 lladdr=$CAM1_MAC
check_rc "MLDv2 report" 0 nsx cam1 $CRAFT eth0 33:33:00:00:00:16 mld2 2 src=$LL1 dst=ff02::16
check_rc "IGMPv3 report" 0 nsx cam1 $CRAFT eth0 01:00:5e:00:00:16 igmp3 2 src=10.20.0.11
check_rc "DHCP client broadcast" 0 nsx cam1 $CRAFT eth0 ff:ff:ff:ff:ff:ff udp4 2 \
	src=0.0.0.0 dst=255.255.255.255 sport=68 dport=67
check_rc "DHCPv6 Solicit" 0 nsx cam1 $CRAFT eth0 33:33:00:01:00:02 dhcp6sol 2 src=$LL1 mac=$CAM1_MAC
# 2. Address resolution, flooded: a well-formed NS (x2), one with data
#    after it (x2), one with an experimental option (x2). For an address
#    nobody holds: no answer, and no resolution of the answer, adds frames
#    to the counts.
check_rc "NS for fd00:20::99" 0 nsx cam1 $CRAFT eth0 33:33:ff:00:00:99 ns6 2 \
	src=fd00:20::11 dst=ff02::1:ff00:99 target=fd00:20::99 lladdr=$CAM1_MAC
check_rc "NS with data" 0 nsx cam1 $CRAFT eth0 33:33:ff:00:00:99 ns6 2 \
	src=fd00:20::11 dst=ff02::1:ff00:99 target=fd00:20::99
check_rc "NS with option 253" 0 nsx cam1 $CRAFT eth0 33:33:ff:00:00:99 ns6 2 \
	src=fd00:20::11 dst=ff02::1:ff00:99 target=fd00:20::99 lladdr=$CAM1_MAC opt=253
# 3. Addressed to garage-2: an RS (x2) and a DHCP client message (x1).
check_rc "RS to garage-2's MAC" 0 nsx cam1 $CRAFT eth0 $CAM3_MAC rs6 2 src=$LL1 lladdr=$CAM1_MAC
check_rc "DHCP client message to garage-2's MAC" 0 nsx cam1 $CRAFT eth0 $CAM3_MAC udp4 1 \
	src=0.0.0.0 dst=255.255.255.255 sport=68 dport=67
sleep 0.5

for ns in cam3 rog; do
	check_eq "$ns: RS" 0 "$(at $ns c_rs)"
	check_eq "$ns: MLD" 0 "$(at $ns c_mld)"
	check_eq "$ns: IGMP" 0 "$(at $ns c_igmp)"
	check_eq "$ns: DHCP" 0 "$(at $ns c_dhcp4)"
	check_eq "$ns: DHCPv6" 0 "$(at $ns c_dhcp6)"
	check_eq "$ns: NS (the well-formed ones)" 2 "$(at $ns c_ns)"
	check_eq "$ns: all from lobby-1" 2 "$(at $ns c_all)"
done
check_eq "nvrl: RS" 0 "$(at nvrl c_rs)"
check_eq "nvrl: MLD" 0 "$(at nvrl c_mld)"
check_eq "nvrl: IGMP" 0 "$(at nvrl c_igmp)"
check_eq "nvrl: DHCP (it may answer)" 2 "$(at nvrl c_dhcp4)"
check_eq "nvrl: DHCPv6" 0 "$(at nvrl c_dhcp6)"
check_eq "nvrl: NS" 2 "$(at nvrl c_ns)"
check_eq "nvrl: all from lobby-1" 4 "$(at nvrl c_all)"
check_eq "router: RS at its input" 2 \
	"$(nft list counter inet cfprobe c_rs | awk '/packets/ { print $2 }')"
# NS with data 2 + option 2 (once each: flooded, issue 16), RS 2 + DHCP 1
# addressed to garage-2.
check_eq "lobby-1 dropped_packets" 7 "$(dstat lobby-1 dropped_packets)"
check_eq "lobby-1 spoofed_packets" 0 "$(dstat lobby-1 spoofed_packets)"
check_eq "garage-2 dropped_packets" 0 "$(dstat garage-2 dropped_packets)"
show=$(camfencectl show lobby-1)
check_eq "lobby-1 evidence: the RSs to garage-2" "ff02::2 to icmpv6 - no-rule 2" \
	"$(awk '$1 == "ff02::2" { print $1, $2, $3, $4, $5, $6 }' <<< "$show")"
check_eq "lobby-1 evidence: the DHCP message to garage-2" "255.255.255.255 to udp 67 no-rule 1" \
	"$(awk '$1 == "255.255.255.255" { print $1, $2, $3, $4, $5, $6 }' <<< "$show")"

# 4. The unknown box (unknown drop) resolves: its NS (x2) reaches no port.
check_rc "NS from the unknown box" 0 nsx rog $CRAFT eth0 33:33:ff:00:00:99 ns6 2 \
	src=fe80::ff:fe00:98 dst=ff02::1:ff00:99 target=fd00:20::99 lladdr=$ROG_MAC
sleep 0.5
check_eq "cam3: NS from the unknown box" 0 "$(at cam3 c_rogns)"
check_eq "nvrl: NS from the unknown box" 0 "$(at nvrl c_rogns)"

# 5. garage-2 in monitor mode: lobby-1's RSs (x2) reach it again, uncounted
#    (monitor passes what enforce holds); still none at the unknown box.
sed '/^device garage-2/,/^}/ s/^    profile cam$/    profile cam\n    mode monitor/' cf.conf > cf-mon.conf
check_rc "load: garage-2 monitored" 0 camfencectl load cf-mon.conf
check_rc "RS to ff02::2 again" 0 nsx cam1 $CRAFT eth0 33:33:00:00:00:02 rs6 2 src=$LL1 lladdr=$CAM1_MAC
sleep 0.5
check_eq "cam3: RS (monitored)" 2 "$(at cam3 c_rs)"
check_eq "rog: RS" 0 "$(at rog c_rs)"
check_eq "lobby-1 dropped_packets unchanged" 7 "$(dstat lobby-1 dropped_packets)"
check_eq "garage-2 monitored_packets" 0 "$(dstat garage-2 monitored_packets)"

# Address resolution between the camera and the NVR still works, both ways
# (the caches flushed: resolved through the bridge again).
ip -n cam1 neigh flush dev eth0
ip -n nvrl neigh flush dev eth0
check_eq "camera -> NVR udp 5000 (IPv6)" 3 "$(udp_count nvrl fd00:20::5 5000 cam1 3)"
check_eq "camera -> NVR udp 5000 (IPv4)" 3 "$(udp_count nvrl 10.20.0.5 5000 cam1 3)"
check_eq "lobby-1 allowed_packets" 6 "$(dstat lobby-1 allowed_packets)"

test_done
