#!/bin/bash
# cf-timeout: 900
# SPDX-License-Identifier: GPL-2.0
# More third-party attack tools from a camera port of a bridged zone (issue
# 13.7; fake_router6 and fake_advertise6 are in 30-thc-ipv6):
#   thc-ipv6 parasite6 (plain, -H, -F): answers garage-2's neighbour
#     solicitations for the NVR with lobby-1's MAC; garage-2 keeps the NVR;
#   thc-ipv6 fake_dhcps6: a rogue DHCPv6 server on garage-2; lobby-1's
#     Solicit never reaches it (issue 16), and a DHCPv6 reply from
#     garage-2 is judged like any packet: none reaches lobby-1
#     (DHCPv6-Shield);
#   dsniff arpspoof: lobby-1 tells garage-2 that the NVR's address is at
#     lobby-1; garage-2 keeps the NVR.
# Every forged frame the tool put on the wire is counted, exactly.
source "$CF_TOP/tests/lib.sh"
source "$CF_TOP/tests/kmod/10-dataplane.lib"

CRAFT="/usr/bin/python3 $CF_TOP/tests/tools/cfcraft.py"

cf_bridged_topology || fail "topology"
trap 'rc=$?; nft delete table bridge probe 2>/dev/null; cf_bridge_gone; (exit $rc); cf_cleanup' EXIT

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

# What the tools put on the wire, counted where it enters the bridge after
# reassembly (bridge conntrack defragments at priority -200).
nft -f - <<'NFT' || fail "nft bridge"
table bridge probe {
	counter c_na { }
	counter c_adv { }
	counter c_arp { }
	chain pre {
		type filter hook prerouting priority -100;
		iifname "pcam1" icmpv6 type nd-neighbor-advert counter name c_na
		iifname "pcam3" udp dport 546 counter name c_adv
		iifname "pcam1" arp operation reply arp saddr ip 10.20.0.5 counter name c_arp
	}
}
NFT
nsx cam1 nft -f - <<'NFT' || fail "nft cam1"
table inet probe {
	counter c_adv { }
	chain in {
		type filter hook input priority 0;
		udp dport 546 counter name c_adv
	}
}
NFT
bcount() { nft list counter bridge probe "$1" | awk '/packets/ { print $2 }'; }

# The NVR is known everywhere (address resolution between devices works).
check_eq "garage-2 -> NVR udp6" 1 "$(udp_count nvrl fd00:20::5 5000 cam3 1)"
check_eq "garage-2 -> NVR udp" 1 "$(udp_count nvrl 10.20.0.5 5000 cam3 1)"
check_eq "lobby-1 -> NVR udp" 1 "$(udp_count nvrl 10.20.0.5 5000 cam1 1)"

# The tools start slowly in a loaded guest: the trigger is repeated until
# the tool has answered (counted at the bridge), at most 10 times.

# 1. parasite6 on lobby-1; garage-2 solicits the NVR.
s0=$(dstat lobby-1 spoofed_packets)
for opt in "" -H -F; do
	n0=$(bcount c_na)
	nsx_bg cam1 timeout 60 atk6-parasite6 $opt eth0 > /dev/null 2>&1 &
	pid=$!
	for i in $(seq 10); do
		sleep 2
		ip -n cam3 -6 neigh flush dev eth0
		udp_count nvrl fd00:20::5 5000 cam3 1 > /dev/null
		[ "$(bcount c_na)" -gt "$n0" ] && break
	done
	kill $pid 2>/dev/null
	wait $pid
	check_match "parasite6 $opt answered" '^[1-9][0-9]*$' "$(( $(bcount c_na) - n0 ))"
done
nas=$(bcount c_na)
echo "# parasite6 (plain, -H, -F): $nas neighbour advertisements"
check_eq "garage-2's entry for the NVR" "$NVRL_MAC" \
	"$(ip -n cam3 -6 neigh show fd00:20::5 dev eth0 | awk '{ print $3 }')"
check_eq "lobby-1 spoofed (one per forged NA)" $((s0 + nas)) "$(dstat lobby-1 spoofed_packets)"

# 2. fake_dhcps6 on garage-2; lobby-1 solicits (x3, from 2 s after the
#    tool started). The Solicit is for the router: no copy reaches
#    garage-2's port (issue 16), so the rogue server hears nothing to
#    answer (before, it answered each). A DHCPv6 reply from garage-2 all
#    the same (crafted, 547 -> 546 to lobby-1's link-local, x2) is judged
#    like any packet: dropped (and spoofed: its link-local source is not
#    one of garage-2's addresses).
nsx cam3 nft -f - <<NFT || fail "nft cam3"
table netdev probe {
	counter c_sol { }
	chain in {
		type filter hook ingress device "eth0" priority 0;
		ether saddr $CAM1_MAC udp dport 547 counter name c_sol
	}
}
NFT
g0=$(dstat garage-2 dropped_packets)
LL1=$(ip -n cam1 -6 -o addr show dev eth0 scope link | awk '{ sub("/.*", "", $4); print $4 }')
LL3=$(ip -n cam3 -6 -o addr show dev eth0 scope link | awk '{ sub("/.*", "", $4); print $4 }')
nsx_bg cam3 timeout 60 atk6-fake_dhcps6 eth0 2001:db8:bad::/64 2001:db8:bad::53 > /dev/null 2>&1 &
pid=$!
sleep 2
nsx cam1 $CRAFT eth0 33:33:00:01:00:02 dhcp6sol 3 src="$LL1" mac=$CAM1_MAC || fail "Solicit from lobby-1"
sleep 2
kill $pid 2>/dev/null
wait $pid
check_eq "lobby-1's Solicits at garage-2" 0 \
	"$(nsx cam3 nft list counter netdev probe c_sol | awk '/packets/ { print $2 }')"
check_eq "fake_dhcps6 answered" 0 "$(bcount c_adv)"
check_rc "a DHCPv6 reply from garage-2 to lobby-1 (x2)" 0 nsx cam3 $CRAFT eth0 $CAM1_MAC udp6 2 \
	src="$LL3" dst="$LL1" sport=547 dport=546
check_eq "replies sent" 2 "$(bcount c_adv)"
check_eq "replies at lobby-1" 0 \
	"$(nsx cam1 nft list counter inet probe c_adv | awk '/packets/ { print $2 }')"
check_eq "garage-2 dropped (one per reply)" $((g0 + 2)) "$(dstat garage-2 dropped_packets)"

# 3. arpspoof on lobby-1 against garage-2.
ip -n cam3 neigh replace 10.20.0.5 lladdr $NVRL_MAC dev eth0 nud stale || fail "cam3 neigh"
sleep 1.5	# past the neighbour locktime
s0=$(dstat lobby-1 spoofed_packets)
d0=$(dstat lobby-1 dropped_packets)
nsx cam1 timeout -s INT 7 arpspoof -i eth0 -t 10.20.0.12 10.20.0.5 > arpspoof.out 2>&1
arps=$(bcount c_arp)
# forged: "10.20.0.5 is-at <lobby-1>"; on exit arpspoof "re-arps" the NVR's
# MAC in ARP bodies sent from its own MAC (sender hardware address is not
# the frame's source: malformed, dropped, not spoofed)
forged=$(grep -c 'arp reply 10.20.0.5 is-at 44:19:b6:0:0:1$' arpspoof.out)
cleanup=$(grep -c 'arp reply 10.20.0.5 is-at 0:11:32:0:0:5$' arpspoof.out)
echo "# arpspoof: $forged forged replies, $cleanup clean-up replies printed, $arps counted at the bridge"
check_match "arpspoof sent forged replies" '^[1-9][0-9]*$' "$forged"
check_eq "every reply arpspoof printed reached the bridge" $((forged + cleanup)) "$arps"
check_eq "garage-2's entry for the NVR" "$NVRL_MAC" \
	"$(ip -n cam3 neigh show 10.20.0.5 dev eth0 | awk '{ print $3 }')"
check_eq "lobby-1 spoofed (one per forged reply)" $((s0 + forged)) "$(dstat lobby-1 spoofed_packets)"
# + 1: to learn garage-2's MAC, arpspoof sends it a UDP datagram to port 67
# (dsniff's arp_find()); lobby-1's profile refuses it
check_eq "lobby-1 dropped (every reply + arpspoof's UDP probe)" $((d0 + forged + cleanup + 1)) \
	"$(dstat lobby-1 dropped_packets)"

check_eq "lobby-1 -> NVR still" 2 "$(udp_count nvrl 10.20.0.5 5000 cam1 2)"

test_done
