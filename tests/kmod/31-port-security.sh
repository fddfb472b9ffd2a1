#!/bin/bash
# cf-timeout: 600
# SPDX-License-Identifier: GPL-2.0
# Port security (issue 13.3, identity takeover): a device is bound to the
# bridge port its MAC is first seen on (sticky, like switch port
# security). A camera that copies another device's MAC and address gets
# nothing of its permissions: its frames from the wrong port are dropped at
# bridge ingress and counted as spoofed on the device whose identity it
# used, with evidence (reason port-moved); this also holds for the identity
# of a monitor-mode camera (the impostor's own port belongs to an enforced
# device), towards the segment and towards the router. "camfencectl show"
# says where the device is bound and was last seen. A device whose bound
# port is deleted is learned anew.
source "$CF_TOP/tests/lib.sh"
source "$CF_TOP/tests/kmod/10-dataplane.lib"

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
    allow to 10.20.0.1 icmp
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
device hall-3 {
    mac 02:00:00:00:00:98
    ip 10.20.0.66
    profile cam
    mode monitor
}
device nvr-local {
    mac 00:11:32:00:00:05
    ip 10.20.0.5
    profile nvr
}
CONF
check_rc "load" 0 camfencectl load cf.conf

# No neighbour discovery in the counts: static entries, no IPv6.
for ns in cam1 cam3 rog; do
	nsx $ns sysctl -qw net.ipv6.conf.eth0.disable_ipv6=1
	ip -n $ns neigh replace 10.20.0.5 lladdr $NVRL_MAC dev eth0 nud permanent ||
		fail "neigh $ns"
done
ip -n rog route add default via 10.20.0.1 || fail "rog route"
BRMAC=$(cat /sys/class/net/br0/address)
ip -n rog neigh replace 10.20.0.1 lladdr "$BRMAC" dev eth0 nud permanent || fail "rog gw"

# become MAC ADDR: cam3 takes another identity (a MAC change flushes the
# neighbour table, permanent entries too: set them again, no ARP counted).
become() {
	local old
	old=$(ip -n cam3 -4 -o addr show dev eth0 | awk '{ print $4 }')
	ip -n cam3 link set eth0 address "$1" || return 1
	ip -n cam3 addr del "$old" dev eth0 || return 1
	ip -n cam3 addr add "$2/24" dev eth0 || return 1
	ip -n cam3 neigh replace 10.20.0.5 lladdr $NVRL_MAC dev eth0 nud permanent || return 1
	# br0's address is the lowest of its ports' (none set): it changes
	# when a port is deleted (5.), so read it now
	ip -n cam3 neigh replace 10.20.0.1 lladdr "$(cat /sys/class/net/br0/address)" \
		dev eth0 nud permanent
}

# 1. Each device is learned on its own port.
check_eq "lobby-1 -> NVR" 3 "$(udp_count nvrl 10.20.0.5 5000 cam1 3)"
check_eq "garage-2 -> NVR" 2 "$(udp_count nvrl 10.20.0.5 5000 cam3 2)"
check_eq "hall-3 -> NVR" 1 "$(udp_count nvrl 10.20.0.5 5000 rog 1)"
check_eq "lobby-1 port" "port: pcam1" "$(camfencectl show lobby-1 | grep '^port:')"
check_eq "garage-2 port" "port: pcam3" "$(camfencectl show garage-2 | grep '^port:')"
check_eq "hall-3 port" "port: prog" "$(camfencectl show hall-3 | grep '^port:')"
check_eq "port in JSON" '"pcam1" "pcam1"' \
	"$(camfencectl -j show lobby-1 | python3 -c '
import json, sys
d = json.load(sys.stdin)
print("\"%s\" \"%s\"" % (d["port"], d["seen_port"]))')"

# 2. garage-2 (cam3) takes lobby-1's MAC and address.
become $CAM1_MAC 10.20.0.11 || fail "become lobby-1"
check_eq "impostor of lobby-1 -> NVR" 0 "$(udp_count nvrl 10.20.0.5 5000 cam3 4)"
check_eq "lobby-1 spoofed_packets" 4 "$(dstat lobby-1 spoofed_packets)"
check_eq "lobby-1 dropped_packets" 4 "$(dstat lobby-1 dropped_packets)"
check_eq "lobby-1 allowed_packets" 3 "$(dstat lobby-1 allowed_packets)"
check_eq "lobby-1 port and where it was last seen" "port: pcam1 (last seen on pcam3)" \
	"$(camfencectl show lobby-1 | grep '^port:')"
check_eq "lobby-1 evidence" "10.20.0.5 to udp 5000 port-moved 4" \
	"$(camfencectl show lobby-1 | awk '$1 == "10.20.0.5" { print $1, $2, $3, $4, $5, $6 }')"
check_eq "lobby-1 last_drop" "udp 10.20.0.5:5000" "$(dstat lobby-1 last_drop)"
# the real lobby-1 is not disturbed
check_eq "lobby-1 -> NVR again" 2 "$(udp_count nvrl 10.20.0.5 5000 cam1 2)"
check_eq "lobby-1 allowed_packets after" 5 "$(dstat lobby-1 allowed_packets)"

# 3. ... and the identity of the monitor-mode camera hall-3, towards the
#    router (monitor mode would let anything of hall-3's through).
become $ROG_MAC 10.20.0.66 || fail "become hall-3"
check_eq "impostor of hall-3 -> router udp 7000" 0 \
	"$(SINK_ADDR=0.0.0.0 udp_count "" 10.20.0.1 7000 cam3 3)"
check_eq "hall-3 spoofed_packets" 3 "$(dstat hall-3 spoofed_packets)"
check_eq "hall-3 dropped_packets" 3 "$(dstat hall-3 dropped_packets)"
check_eq "hall-3 monitored_packets" 0 "$(dstat hall-3 monitored_packets)"
# the real hall-3 (monitor mode) still reaches the router
check_eq "hall-3 -> router udp 7000 (monitor)" 2 \
	"$(SINK_ADDR=0.0.0.0 udp_count "" 10.20.0.1 7000 rog 2)"
check_eq "hall-3 monitored_packets after" 2 "$(dstat hall-3 monitored_packets)"
check_eq "global spoofed_packets" 7 "$(gstat spoofed_packets)"

# 4. A reload keeps the binding.
check_rc "reload" 0 camfencectl load cf.conf
become $CAM1_MAC 10.20.0.11 || fail "become lobby-1"
check_eq "impostor of lobby-1 after a reload" 0 "$(udp_count nvrl 10.20.0.5 5000 cam3 2)"
check_eq "lobby-1 spoofed_packets after reload" 6 "$(dstat lobby-1 spoofed_packets)"

# 5. The bound port is deleted (the camera moved): learned anew.
ip link del pcam1 || fail "del pcam1"
echo "# br0's address: $BRMAC before, $(cat /sys/class/net/br0/address) after deleting pcam1"
check_eq "lobby-1 on its new port" 3 "$(udp_count nvrl 10.20.0.5 5000 cam3 3)"
check_eq "lobby-1 port after the move" "port: pcam3" \
	"$(camfencectl show lobby-1 | grep '^port:')"
check_eq "lobby-1 spoofed_packets unchanged" 6 "$(dstat lobby-1 spoofed_packets)"

# 6. Commissioning (global monitor mode): hall-3, monitored, shows up on
#    pcam3, whose owner lobby-1 is monitored too. The frames pass and are
#    reported (spoofed, evidence "port-moved"); each is
#    counted once, by the verdict of the hook that judges it next: allowed
#    to the NVR, monitored to the router (no rule), never both.
check_rc "mode monitor" 0 camfencectl mode monitor
become $ROG_MAC 10.20.0.66 || fail "become hall-3 (monitor)"
s0=$(dstat hall-3 spoofed_packets)
a0=$(dstat hall-3 allowed_packets)
m0=$(dstat hall-3 monitored_packets)
check_eq "moved hall-3 -> NVR (monitor)" 3 "$(udp_count nvrl 10.20.0.5 5000 cam3 3)"
check_eq "moved hall-3: spoofed_packets" $((s0 + 3)) "$(dstat hall-3 spoofed_packets)"
check_eq "moved hall-3: allowed_packets" $((a0 + 3)) "$(dstat hall-3 allowed_packets)"
check_eq "moved hall-3: monitored_packets (NVR)" "$m0" "$(dstat hall-3 monitored_packets)"
check_eq "moved hall-3 -> router udp 7000 (monitor)" 2 \
	"$(SINK_ADDR=0.0.0.0 udp_count "" 10.20.0.1 7000 cam3 2)"
check_eq "moved hall-3: monitored_packets (router)" $((m0 + 2)) "$(dstat hall-3 monitored_packets)"
check_eq "moved hall-3: spoofed_packets (router)" $((s0 + 5)) "$(dstat hall-3 spoofed_packets)"
check_eq "moved hall-3: evidence" "10.20.0.5 to udp 5000 port-moved 3" \
	"$(camfencectl show hall-3 | awk '$1 == "10.20.0.5" && $5 == "port-moved" { print $1, $2, $3, $4, $5, $6 }')"

test_done
