#!/bin/bash
# cf-timeout: 900
# SPDX-License-Identifier: GPL-2.0
# Third-party attack tools (issue 13.7): Debian's thc-ipv6 from camera
# ports of a bridged zone. fake_router6 (plain, with a hop-by-hop header,
# with a fragment header: the RA guard evasions of RFC 7113) must not give
# another camera a prefix or a default router; fake_advertise6 (plain and
# with a hop-by-hop header) must not move the router's or a camera's entry
# for the NVR. Every frame the attacker put on the wire is counted.
# fake_router6 also answers the solicitations it captures, each with a
# unicast RA to the solicitor: lobby-1 solicits while it runs, and its RS
# must not reach garage-2's port.
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
    allow to fd00:20::5 udp 5000
}
profile nvr {
    allow from fd00:20::/64 udp 5000
}
device lobby-1 {
    mac 44:19:b6:00:00:01
    ip fd00:20::11
    profile cam
}
device garage-2 {
    mac 3c:ef:8c:00:00:02
    ip fd00:20::12
    profile cam
}
device nvr-local {
    mac 00:11:32:00:00:05
    ip fd00:20::5
    profile nvr
}
CONF
check_rc "load" 0 camfencectl load cf.conf
# lobby-1 takes router advertisements like a camera does.
ip netns exec cam1 sysctl -qw net.ipv6.conf.eth0.accept_ra=2

# What the attackers put on the wire, counted where it enters the bridge.
nft -f - <<'NFT' || fail "nft bridge"
table bridge probe {
	counter c_ra { }
	counter c_ra_uc { }
	counter c_ra_l1 { }
	counter c_na { }
	chain pre {
		type filter hook prerouting priority -300;
		iifname "pcam3" icmpv6 type nd-router-advert ip6 daddr ff02::1 counter name c_ra
		iifname "pcam3" icmpv6 type nd-router-advert ip6 daddr != ff02::1 ether daddr != 3c:ef:8c:00:00:02 counter name c_ra_uc
		iifname "pcam3" icmpv6 type nd-router-advert ether daddr 44:19:b6:00:00:01 counter name c_ra_l1
		iifname "pcam1" icmpv6 type nd-neighbor-advert ip6 saddr fd00:20::5 counter name c_na
	}
}
NFT
nsx cam1 nft -f - <<'NFT' || fail "nft cam1"
table inet probe {
	counter c_ra { }
	chain in {
		type filter hook input priority 0;
		icmpv6 type nd-router-advert counter name c_ra
	}
}
NFT
bcount() { nft list counter bridge probe "$1" | awk '/packets/ { print $2 }'; }

g0=$(dstat garage-2 dropped_packets)
for opt in "" -H -F; do
	nsx cam3 timeout 4 atk6-fake_router6 $opt eth0 2001:db8:bad::/64 > /dev/null 2>&1
done
ras=$(bcount c_ra)
echo "# fake_router6 (plain, -H, -F): $ras router advertisements sent"
check_match "fake_router6 sent router advertisements" '^[1-9][0-9]*$' "$ras"

# Solicited: fake_router6 sends an RA, sleeps 5 s, sends the next and then
# answers every RS it captured meanwhile, with an RA unicast to the
# solicitor. lobby-1 solicits twice in a sleep. Its RS is for the
# router: the bridge floods it, but no copy reaches garage-2's port (issue
# 16), so garage-2 has nothing to answer. (Before, it answered both.)
ra_is() { [ "$(bcount "$1")" = "$2" ]; }
nsx_bg cam3 atk6-fake_router6 eth0 2001:db8:bad::/64 > /dev/null 2>&1 &
frpid=$!
busywait "$(cf_ms 10000)" ra_is c_ra $((ras + 1)) || fail "fake_router6 did not start"
l1ll=$(ip -n cam1 -6 addr show dev eth0 scope link | awk '/inet6/ { sub("/.*", "", $2); print $2 }')
nsx cam1 $CRAFT eth0 33:33:00:00:00:02 rs6 2 src="$l1ll" lladdr=$CAM1_MAC ||
	fail "lobby-1's solicitations"
# its next RA after them, then the answers it would send right after it
ra_sent=$(bcount c_ra)
busywait "$(cf_ms 15000)" ra_is c_ra $((ra_sent + 1)) || fail "fake_router6's next RA"
sleep 1
kill "$frpid"
wait "$frpid" 2>/dev/null
check_eq "fake_router6 never heard lobby-1's solicitations" 0 "$(bcount c_ra_l1)"

mc=$(bcount c_ra)
echo "# router advertisements to ff02::1 in all: $mc"
# No other host's RS reaches garage-2's port, so it answers none: in CI it
# once answered one (4 RAs, 7 drops where 8 were asserted), the NVR's or
# lobby-1's RS flooded to it. (fake_router6 also answers garage-2's own RS,
# which it captures on the way out: that answer goes to garage-2's own MAC
# and never leaves its port, and is not counted here.)
check_eq "unicast RAs (answers) from garage-2 to other hosts" 0 "$(bcount c_ra_uc)"
check_eq "RAs arriving at lobby-1" 0 \
	"$(nsx cam1 nft list counter inet probe c_ra | awk '/packets/ { print $2 }')"
check_eq "lobby-1 addresses in the attacker's prefix" 0 \
	"$(ip -n cam1 -6 addr show | grep -c 2001:db8:bad)"
check_eq "lobby-1 default routes" 0 "$(ip -n cam1 -6 route show default | grep -c fe80)"
# Each RA: once on the bridge (flooded to the three other ports, counted
# once: issue 16) and once at the router's input (spoofed: a link-local
# source is not one of garage-2's addresses).
# The bridge counter above is read from another vCPU while the softirq may
# still be taking the last RA to the router's input: wait for it, the value
# stays exact.
g2_dropped_is() { [ "$(dstat garage-2 dropped_packets)" = "$1" ]; }
busywait "$(cf_ms 3000)" g2_dropped_is $((g0 + 2 * mc))
check_eq "garage-2 dropped (2 per RA)" $((g0 + 2 * mc)) "$(dstat garage-2 dropped_packets)"

ip neigh replace fd00:20::5 lladdr $NVRL_MAC dev br0.20 nud stale || fail "router neigh"
ip -n cam3 -6 neigh replace fd00:20::5 lladdr $NVRL_MAC dev eth0 nud stale || fail "cam3 neigh"
sleep 1.5
s0=$(dstat lobby-1 spoofed_packets)
nsx cam1 atk6-fake_advertise6 -n 2 -w 1 eth0 fd00:20::5 > /dev/null 2>&1
nsx cam1 atk6-fake_advertise6 -H -n 2 -w 1 eth0 fd00:20::5 > /dev/null 2>&1
nas=$(bcount c_na)
echo "# fake_advertise6 (plain, -H): $nas neighbour advertisements sent"
check_eq "fake_advertise6 sent 4 advertisements" 4 "$nas"
check_eq "router's entry for the NVR" "$NVRL_MAC" \
	"$(ip -6 neigh show fd00:20::5 dev br0.20 | awk '{ print $3 }')"
check_eq "garage-2's entry for the NVR" "$NVRL_MAC" \
	"$(ip -n cam3 -6 neigh show fd00:20::5 dev eth0 | awk '{ print $3 }')"
check_eq "lobby-1 spoofed (2 per NA: bridge once, router once)" $((s0 + 8)) "$(dstat lobby-1 spoofed_packets)"

check_eq "camera -> NVR udp 5000 (IPv6)" 3 "$(udp_count nvrl fd00:20::5 5000 cam1 3)"

test_done
