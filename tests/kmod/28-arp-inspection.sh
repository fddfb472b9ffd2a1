#!/bin/bash
# cf-timeout: 600
# SPDX-License-Identifier: GPL-2.0
# ARP inspection (issue 13.3), bridged zone: a camera cannot poison the
# router's or another camera's neighbour cache for the NVR's address
# (forged ARP replies are dropped and counted as spoofed, on the bridge and
# at NF_ARP_IN), ARP is not a data channel (trailing data, malformed
# headers: dropped), the copy for a device's bridge port is about that
# device (its target address is the device's), ARP from an unknown MAC gets
# the zone's unknown action, and address resolution between devices keeps
# working.
source "$CF_TOP/tests/lib.sh"
source "$CF_TOP/tests/kmod/10-dataplane.lib"

CRAFT="/usr/bin/python3 $CF_TOP/tests/tools/cfcraft.py"

cf_bridged_topology || fail "topology"
trap 'rc=$?; cf_bridge_gone; (exit $rc); cf_cleanup' EXIT

cat > cf.conf <<'CONF'
zone cameras {
    vlan 20
    unknown drop
}
profile cam {
    allow to 10.20.0.5 udp 5000
}
profile nvr {
    allow from 10.20.0.0/24 udp 5000
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

# What reaches garage-2 (cam3): ARP frames counted by target address.
nsx cam3 nft -f - <<'NFT' || fail "nft cam3"
table arp probe {
	counter c_trail { }
	counter c_bad { }
	counter c_ok { }
	counter c_rog { }
	counter c_own { }
	counter c_garp { }
	counter c_uni { }
	counter c_mon { }
	chain in {
		type filter hook input priority 0;
		arp daddr ip 10.20.0.99 counter name c_trail
		arp daddr ip 10.20.0.98 counter name c_bad
		arp daddr ip 10.20.0.97 counter name c_ok
		arp saddr ip 10.20.0.66 counter name c_rog
		arp saddr ip 10.20.0.11 arp daddr ip 10.20.0.12 counter name c_own
		arp saddr ip 10.20.0.11 arp daddr ip 10.20.0.11 counter name c_garp
		arp daddr ip 10.20.0.96 counter name c_uni
		arp daddr ip 10.20.0.95 counter name c_mon
	}
}
NFT
counter() {
	nsx cam3 nft list counter arp probe "$1" | awk '/packets/ { print $2 }'
}

# 1. The router knows the NVR; lobby-1 claims the NVR's address to it.
ip neigh replace 10.20.0.5 lladdr $NVRL_MAC dev br0.20 nud stale || fail "router neigh"
ip -n cam3 neigh replace 10.20.0.5 lladdr $NVRL_MAC dev eth0 nud stale || fail "cam3 neigh"
sleep 1.5	# past the neighbour locktime (1 s): an override would be taken
check_rc "forged ARP reply to the router (x2)" 0 nsx cam1 $CRAFT eth0 "$BRMAC" arp 2 \
	op=2 hwsrc=$CAM1_MAC psrc=10.20.0.5 pdst=10.20.0.1 hwdst="$BRMAC"
check_eq "router's entry for the NVR" "$NVRL_MAC" \
	"$(ip neigh show 10.20.0.5 dev br0.20 | awk '{ print $3 }')"
check_eq "lobby-1 spoofed_packets (router)" 2 "$(dstat lobby-1 spoofed_packets)"

# 2. ... and to garage-2.
check_rc "forged ARP reply to garage-2 (x2)" 0 nsx cam1 $CRAFT eth0 $CAM3_MAC arp 2 \
	op=2 hwsrc=$CAM1_MAC psrc=10.20.0.5 pdst=10.20.0.12 hwdst=$CAM3_MAC
check_eq "garage-2's entry for the NVR" "$NVRL_MAC" \
	"$(ip -n cam3 neigh show 10.20.0.5 dev eth0 | awk '{ print $3 }')"
check_eq "lobby-1 spoofed_packets (router + garage-2)" 4 "$(dstat lobby-1 spoofed_packets)"
check_eq "lobby-1 dropped_packets" 4 "$(dstat lobby-1 dropped_packets)"

# 3. ARP as a data channel, and malformed ARP: broadcast requests, each
#    judged at the three other bridge ports (counted once there: issue 16)
#    and at the router's input.
check_rc "ARP request with 200 bytes of data" 0 nsx cam1 $CRAFT eth0 ff:ff:ff:ff:ff:ff arp 1 \
	op=1 hwsrc=$CAM1_MAC psrc=10.20.0.11 pdst=10.20.0.99 trail=200
check_rc "ARP request with hardware length 8" 0 nsx cam1 $CRAFT eth0 ff:ff:ff:ff:ff:ff arp 1 \
	op=1 hwsrc=$CAM1_MAC psrc=10.20.0.11 pdst=10.20.0.98 hlen=8
check_rc "well-formed ARP request" 0 nsx cam1 $CRAFT eth0 ff:ff:ff:ff:ff:ff arp 1 \
	op=1 hwsrc=$CAM1_MAC psrc=10.20.0.11 pdst=10.20.0.97
check_eq "data-carrying ARP at garage-2" 0 "$(counter c_trail)"
check_eq "malformed ARP at garage-2" 0 "$(counter c_bad)"
# well-formed, but about 10.20.0.97, which no device behind garage-2's
# port has: held there (3b)
check_eq "well-formed ARP for another address at garage-2" 0 "$(counter c_ok)"
# 4 + 2 + 1: the malformed frame never reaches the router's NF_ARP_IN
# (arp_rcv() drops a hardware length that is not the device's first).
check_eq "lobby-1 dropped_packets (4 forged + 2 + 1)" 7 "$(dstat lobby-1 dropped_packets)"
check_eq "lobby-1 spoofed_packets unchanged" 4 "$(dstat lobby-1 spoofed_packets)"

# 3b. The copy for a device's port must be about that device (its target
#     is one of the device's addresses); otherwise a camera would send a
#     target address and target MAC of its choosing to every camera. Held:
#     uncounted when flooded (as 10.20.0.97 above), the sender's drop when
#     addressed to that port's MAC. Monitor mode passes it (commissioning).
check_rc "ARP announcement of lobby-1's own address" 0 nsx cam1 $CRAFT eth0 ff:ff:ff:ff:ff:ff arp 1 \
	op=1 hwsrc=$CAM1_MAC psrc=10.20.0.11 pdst=10.20.0.11
check_rc "ARP request for garage-2's address" 0 nsx cam1 $CRAFT eth0 ff:ff:ff:ff:ff:ff arp 1 \
	op=1 hwsrc=$CAM1_MAC psrc=10.20.0.11 pdst=10.20.0.12
check_rc "ARP request for 10.20.0.96 to garage-2's MAC (x2)" 0 nsx cam1 $CRAFT eth0 $CAM3_MAC arp 2 \
	op=1 hwsrc=$CAM1_MAC psrc=10.20.0.11 pdst=10.20.0.96
check_eq "announcement at garage-2" 0 "$(counter c_garp)"
check_eq "request for garage-2's address at garage-2" 1 "$(counter c_own)"
check_eq "unicast request for another address at garage-2" 0 "$(counter c_uni)"
check_eq "lobby-1 dropped_packets (7 + 2 unicast)" 9 "$(dstat lobby-1 dropped_packets)"
check_eq "lobby-1 spoofed_packets still" 4 "$(dstat lobby-1 spoofed_packets)"
check_rc "mode monitor" 0 camfencectl mode monitor
check_rc "ARP request for 10.20.0.95 (monitor mode)" 0 nsx cam1 $CRAFT eth0 ff:ff:ff:ff:ff:ff arp 1 \
	op=1 hwsrc=$CAM1_MAC psrc=10.20.0.11 pdst=10.20.0.95
check_eq "request for another address at garage-2 (monitor mode)" 1 "$(counter c_mon)"
check_rc "mode enforce" 0 camfencectl mode enforce

# 4. ARP from a MAC no device claims: unknown drop.
u0=$(gstat unknown_packets)
check_rc "ARP request from the unknown box" 0 nsx rog $CRAFT eth0 ff:ff:ff:ff:ff:ff arp 1 \
	op=1 hwsrc=$ROG_MAC psrc=10.20.0.66 pdst=10.20.0.12
check_eq "unknown ARP at garage-2" 0 "$(counter c_rog)"
check_eq "unknown_packets (1 frame: once on the bridge, once at the router)" $((u0 + 2)) "$(gstat unknown_packets)"

# 5. Resolution between devices and the allowed flow still work.
ip -n cam1 neigh flush dev eth0
check_eq "camera -> NVR udp 5000" 3 "$(udp_count nvrl 10.20.0.5 5000 cam1 3)"
check_eq "lobby-1 allowed_packets" 3 "$(dstat lobby-1 allowed_packets)"
check_eq "lobby-1 dropped_packets at the end" 9 "$(dstat lobby-1 dropped_packets)"

test_done
