#!/bin/bash
# cf-timeout: 300
# SPDX-License-Identifier: GPL-2.0
# The bridged topology of 12-bridged with br_netfilter loaded (Docker and
# Kubernetes hosts load it; the debug kernel has it built in) and
# bridge-nf-call-iptables/ip6tables on. br_netfilter passes bridged frames
# through the inet hooks as well, and gives every frame that enters the
# bridge nf_bridge info, including a camera's packets that the router then
# routes out of br0.20. Regression test: camfence's FORWARD hook used to
# skip every packet with nf_bridge info, so routed camera traffic reached
# the internet unjudged whenever br_netfilter was loaded. Asserted here:
#   - routed camera -> internet (IPv4 and IPv6, UDP and TCP) is dropped and
#     counted, with evidence;
#   - a bridged packet is judged exactly once (counters are not doubled by
#     br_netfilter's second trip through NF_INET_FORWARD);
#   - bridged camera -> camera is still dropped, the router's DNS still
#     answers.
source "$CF_TOP/tests/lib.sh"
source "$CF_TOP/tests/kmod/10-dataplane.lib"

BRNF_WAS_LOADED=0
[ -d /sys/module/br_netfilter ] && BRNF_WAS_LOADED=1

# Leave the guest as this test found it: later tests run without it.
# shellcheck disable=SC2317  # called from the EXIT trap
brnf_restore() {
	cf_bridge_gone
	nft delete table ip cfbrnf 2>/dev/null
	# (built in on the debug kernel: nothing to unload there)
	[ "$BRNF_WAS_LOADED" = 0 ] && modprobe -r br_netfilter 2>/dev/null
	return 0
}
trap 'rc=$?; brnf_restore; (exit $rc); cf_cleanup' EXIT

check_rc "modprobe br_netfilter" 0 modprobe br_netfilter
sysctl -qw net.bridge.bridge-nf-call-iptables=1 net.bridge.bridge-nf-call-ip6tables=1
check_eq "bridge-nf-call-iptables" 1 "$(cat /proc/sys/net/bridge/bridge-nf-call-iptables)"

cf_bridged_topology || fail "topology"
cf_netns inet || fail "netns inet"
cf_veth inet eth0 "" rinet || fail "veth inet"
ip addr add 203.0.113.1/24 dev rinet || fail "rinet address"
ip addr add 2001:db8:7::1/64 dev rinet nodad || fail "rinet address v6"
cf_plain_host inet eth0 203.0.113.7/24 2001:db8:7::7/64 203.0.113.1 2001:db8:7::1 ||
	fail "inet host"

# Proof that br_netfilter is in the path: an inet PRE_ROUTING counter sees
# bridged camera -> NVR frames only through br_netfilter.
nft -f - <<'NFT' || fail "nft counter"
table ip cfbrnf {
	chain pre {
		type filter hook prerouting priority 0; policy accept;
		ip saddr 10.20.0.11 ip daddr 10.20.0.5 udp dport 5000 counter
	}
}
NFT

cat > cf.conf <<'CONF'
zone cameras {
    vlan 20
}
profile cam {
    allow to 10.20.0.5 udp 5000
    allow from 10.20.0.5 tcp 554
    allow to 10.20.0.1 udp 53
}
profile nvr {
    allow to any
    allow from 10.20.0.0/24 udp 5000
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

# Bridged, allowed: counted once per packet on each device.
check_eq "camera -> NVR udp 5000 (bridged)" 5 "$(udp_count nvrl 10.20.0.5 5000 cam1 5)"
check_eq "br_netfilter saw the bridged frames (inet prerouting counter)" 5 \
	"$(nft -j list table ip cfbrnf | python3 -c '
import json, sys
for o in json.load(sys.stdin)["nftables"]:
    for e in o.get("rule", {}).get("expr", []):
        if "counter" in e:
            print(e["counter"]["packets"])')"
check_eq "lobby-1 allowed_packets (once per packet)" 5 "$(dstat lobby-1 allowed_packets)"
check_eq "nvr-local allowed_packets (once per packet)" 5 "$(dstat nvr-local allowed_packets)"
check_eq "global allowed_packets" 5 "$(gstat allowed_packets)"

# Routed through br0.20 to the internet: denied, counted, in the evidence.
check_eq "camera -> internet udp 6800 (routed)" 0 "$(udp_count inet 203.0.113.7 6800 cam1 4)"
check_eq "lobby-1 dropped_packets" 4 "$(dstat lobby-1 dropped_packets)"
check_eq "lobby-1 last_drop" "udp 203.0.113.7:6800" "$(dstat lobby-1 last_drop)"
check_eq "evidence: 203.0.113.7 udp 6800 count" 4 \
	"$(camfencectl show lobby-1 | awk '$1 == "203.0.113.7" && $4 == "6800" { print $6 }')"
check_rc "camera -> internet tcp 443 (routed)" 1 tcp_ok inet 203.0.113.7 443 cam1
check_eq "lobby-1 last_drop (tcp)" "tcp 203.0.113.7:443" "$(dstat lobby-1 last_drop)"
check_eq "camera -> internet udp6 6800 (routed)" 0 "$(udp_count inet 2001:db8:7::7 6800 cam1 3)"
check_eq "lobby-1 last_drop (v6)" "udp [2001:db8:7::7]:6800" "$(dstat lobby-1 last_drop)"

# Bridged camera -> camera: dropped once, counted on both.
before=$(dstat lobby-1 dropped_packets)
check_eq "camera -> camera udp 5000 (bridged)" 0 "$(udp_count cam3 10.20.0.12 5000 cam1 3)"
check_eq "lobby-1 dropped_packets +3" $((before + 3)) "$(dstat lobby-1 dropped_packets)"
check_eq "garage-2 dropped_packets" 3 "$(dstat garage-2 dropped_packets)"

# The router itself (input) on br0.20.
check_eq "udp 53 to the router" 2 "$(udp_count "" 10.20.0.1 53 cam1 2)"

test_done
