#!/bin/bash
# cf-timeout: 600
# SPDX-License-Identifier: GPL-2.0
# Infrastructure exemptions are link-scoped (issue 13.2), routed zone:
# neighbour discovery and MLD are never exempt on FORWARD (Linux forwards an
# NS or an MLD report to a global destination: a data channel to the
# internet), and IGMP towards the router works like MLD: link-local scope
# (TTL 1), not counted; an IGMP message that is not link-scoped is judged.
source "$CF_TOP/tests/lib.sh"
source "$CF_TOP/tests/kmod/10-dataplane.lib"

PY=/usr/bin/python3
CRAFT="$PY $CF_TOP/tests/tools/cfcraft.py"

cf_routed_topology || fail "topology"
trap 'rc=$?; nft delete table inet cfprobe 2>/dev/null; (exit $rc); cf_cleanup' EXIT

cat > cf.conf <<'CONF'
mode enforce
zone cameras {
    vlan 20
    unknown drop
}
profile cam {
    allow to fd00:99::5 udp 5000
    allow to 10.99.0.5 udp 5000
}
device lobby-1 {
    mac 44:19:b6:00:00:01
    ip 10.20.0.11
    ip fd00:20::11
    profile cam
}
CONF
check_rc "load" 0 camfencectl load cf.conf

# What arrives at the "internet" host, and what the router's own input
# accepts after camfence (an nft chain at priority 0 runs after its hook).
nsx inet nft -f - <<'NFT' || fail "nft inet"
table inet probe {
	chain in {
		type filter hook input priority 0;
		ip6 saddr fd00:20::11 icmpv6 type nd-neighbor-solicit counter name c_ns
		ip6 saddr { fd00:20::11, fe80::4619:b6ff:fe00:1 } icmpv6 type mld2-listener-report counter name c_mld
	}
	counter c_ns { }
	counter c_mld { }
}
NFT
nft -f - <<'NFT' || fail "nft router"
table inet cfprobe {
	counter c_igmp { }
	chain in {
		type filter hook input priority 0;
		iifname "rcam1.20" ip saddr 10.20.0.11 ip protocol igmp counter name c_igmp
	}
}
NFT
# counter NS NAME: packets of a named nft counter in NS.
counter() {
	nsx "$1" nft list counter inet "$2" "$3" | awk '/packets/ { print $2 }'
}
RMAC=$(cat /sys/class/net/rcam1/address)
# The router listens to 224.0.0.22 on the camera VLAN, as a multicast
# router (igmpproxy, pimd) does: IGMPv3 reports are delivered to it.
socat -u UDP4-RECV:9999,ip-add-membership=224.0.0.22:rcam1.20 /dev/null &
busywait "$(cf_ms 10000)" sh -c "awk '/rcam1.20/,0' /proc/net/igmp | grep -q -e 160000E0 -e E0000016" || fail "join 224.0.0.22"

# The NS and MLD messages are for a global destination: they are routed.
check_rc "NS to the internet, hop limit 255 (x3)" 0 nsx cam1 $CRAFT eth0.20 "$RMAC" ns6 3 \
	src=fd00:20::11 dst=2001:db8:7::7 hlim=255
check_rc "MLDv2 report to the internet, hop limit 64 (x2)" 0 nsx cam1 $CRAFT eth0.20 "$RMAC" mld2 2 \
	src=fd00:20::11 dst=2001:db8:7::7 hlim=64
check_rc "MLDv2 report from a link-local source to the internet (x1)" 0 nsx cam1 $CRAFT eth0.20 \
	"$RMAC" mld2 1 src=fe80::4619:b6ff:fe00:1 dst=2001:db8:7::7 hlim=64
check_eq "NS forwarded to the internet" 0 "$(counter inet probe c_ns)"
check_eq "MLD forwarded to the internet" 0 "$(counter inet probe c_mld)"
check_eq "lobby-1 dropped_packets (NS 3 + MLD 2; the link-local source is not routed)" 5 \
	"$(dstat lobby-1 dropped_packets)"
check_eq "lobby-1 last_drop" "icmpv6 2001:db8:7::7" "$(dstat lobby-1 last_drop)"

# IGMP towards the router: link-local (TTL 1) passes, uncounted; TTL 64 is
# judged like any packet (the profile has no IGMP rule: dropped).
check_rc "IGMPv3 report, TTL 1 (x2)" 0 nsx cam1 $CRAFT eth0.20 01:00:5e:00:00:16 igmp3 2 src=10.20.0.11 ttl=1
check_eq "router input: IGMP with TTL 1" 2 "$(counter "" cfprobe c_igmp)"
check_eq "lobby-1 dropped_packets after IGMP TTL 1" 5 "$(dstat lobby-1 dropped_packets)"
check_rc "IGMPv3 report, TTL 64 (x1)" 0 nsx cam1 $CRAFT eth0.20 01:00:5e:00:00:16 igmp3 1 src=10.20.0.11 ttl=64
check_eq "router input: IGMP with TTL 64" 2 "$(counter "" cfprobe c_igmp)"
check_eq "lobby-1 dropped_packets after IGMP TTL 64" 6 "$(dstat lobby-1 dropped_packets)"

# Neighbour discovery on the camera's own link still works: IPv6 to the NVR.
check_eq "IPv6 udp to the NVR" 3 "$(udp_count nvr fd00:99::5 5000 cam1 3)"
check_eq "lobby-1 allowed_packets" 3 "$(dstat lobby-1 allowed_packets)"
check_eq "lobby-1 dropped_packets at the end" 6 "$(dstat lobby-1 dropped_packets)"

test_done
