#!/bin/bash
# cf-timeout: 600
# SPDX-License-Identifier: GPL-2.0
# Port security with a CONFIGURED port (issue 13.3, identity takeover):
# "port pnvr" in the NVR's device block. The NVR passes only from pnvr and
# is bound to it at commit, before it ever spoke: a camera that takes the
# NVR's MAC and address first gets nothing (the first-sighting race of the
# learned binding, tests/kmod/31-port-security.sh, is closed). Changing the
# configured port by a reload rebinds at once; removing it clears the
# binding, and the device is learned anew at its next frame.
source "$CF_TOP/tests/lib.sh"
source "$CF_TOP/tests/kmod/10-dataplane.lib"

cf_bridged_topology || fail "topology"
trap 'rc=$?; cf_bridge_gone; (exit $rc); cf_cleanup' EXIT

# No neighbour discovery or MLD in the counts: IPv4 only, static entries.
BRMAC=$(cat /sys/class/net/br0/address)
for ns in cam1 cam3 nvrl rog; do
	nsx $ns sysctl -qw net.ipv6.conf.eth0.disable_ipv6=1
	ip -n $ns neigh replace 10.20.0.1 lladdr "$BRMAC" dev eth0 nud permanent ||
		fail "neigh $ns"
done

# conf PORT: the configuration with nvr-local's port PORT ("" = none).
conf() {
	cat <<CONF
zone cameras {
    vlan 20
    unknown drop
}
profile nvr {
    allow to 10.20.0.1 udp 7000
}
device nvr-local {
    mac 00:11:32:00:00:05
    ip 10.20.0.5
    profile nvr
${1:+    port $1}
}
CONF
}

# become NS MAC ADDR: the box in NS takes another identity (a MAC change
# flushes the neighbour table, permanent entries too: set it again).
become() {
	local old
	old=$(ip -n "$1" -4 -o addr show dev eth0 | awk '{ print $4 }')
	ip -n "$1" link set eth0 address "$2" || return 1
	ip -n "$1" addr del "$old" dev eth0 || return 1
	ip -n "$1" addr add "$3/24" dev eth0 || return 1
	ip -n "$1" neigh replace 10.20.0.1 lladdr "$BRMAC" dev eth0 nud permanent
}

# to_router NS COUNT: datagrams to the router's UDP 7000 (allowed to the
# NVR), how many arrived.
to_router() {
	SINK_ADDR=0.0.0.0 udp_count "" 10.20.0.1 7000 "$1" "$2"
}

portline() {
	camfencectl show nvr-local | grep '^port:'
}

conf pnvr > cf.conf
check_rc "load (port pnvr)" 0 camfencectl load cf.conf
check_eq "show policy prints the port" "    port pnvr" \
	"$(camfencectl show policy | grep '^ *port ')"
check_eq "JSON policy has the port" "pnvr" \
	"$(camfencectl -j show policy | python3 -c '
import json, sys
print(json.load(sys.stdin)["devices"][0]["port"])')"
# bound at commit: the interface pnvr exists and is a bridge port
check_eq "nvr-local bound to pnvr before it spoke" "port: pnvr" "$(portline)"
check_rc "same file again: a no-op commit" 0 \
	sh -c 'camfencectl load cf.conf | grep -q "^no change: "'

# 1. Before the NVR ever spoke, cam3 (on pcam3) takes its MAC and address.
#    With the learned binding only (no "port"), this first frame would bind
#    nvr-local to pcam3: the 4 datagrams would arrive, "port: pcam3", and
#    the real NVR would then be the one dropped as port-moved. Configured,
#    the frame is dropped at bridge ingress and counted.
become cam3 $NVRL_MAC 10.20.0.5 || fail "become nvr-local"
check_eq "impostor of nvr-local -> router" 0 "$(to_router cam3 4)"
check_eq "nvr-local spoofed_packets" 4 "$(dstat nvr-local spoofed_packets)"
check_eq "nvr-local dropped_packets" 4 "$(dstat nvr-local dropped_packets)"
check_eq "nvr-local allowed_packets" 0 "$(dstat nvr-local allowed_packets)"
check_eq "still bound to pnvr, seen on pcam3" "port: pnvr (last seen on pcam3)" \
	"$(portline)"
check_eq "nvr-local evidence" "10.20.0.1 to udp 7000 port-moved 4" \
	"$(camfencectl show nvr-local | awk '$1 == "10.20.0.1" { print $1, $2, $3, $4, $5, $6 }')"
check_eq "global spoofed_packets" 4 "$(gstat spoofed_packets)"

# 2. The NVR on its port passes.
check_eq "nvr-local -> router" 3 "$(to_router nvrl 3)"
check_eq "nvr-local allowed_packets" 3 "$(dstat nvr-local allowed_packets)"
check_eq "nvr-local port" "port: pnvr" "$(portline)"
check_eq "impostor of nvr-local again" 0 "$(to_router cam3 2)"
check_eq "nvr-local spoofed_packets after" 6 "$(dstat nvr-local spoofed_packets)"

# 3. The NVR moves to prog: the configured port changed by a reload
#    rebinds at once (before a frame from prog); pnvr is now the wrong port.
become rog $NVRL_MAC 10.20.0.5 || fail "rog becomes nvr-local"
conf prog > cf.conf
check_rc "reload (port prog)" 0 sh -c 'camfencectl load cf.conf > load.out'
# the device whose port changed is named (before: "changed: 1 device(s)
# whose profile rules changed": the diff did not compare ports)
check_eq "reload (port prog): what changed" "changed: nvr-local" "$(grep '^changed' load.out)"
check_eq "rebound to prog by the reload" "port: prog (last seen on pcam3)" "$(portline)"
check_eq "nvr-local from pnvr after the move" 0 "$(to_router nvrl 2)"
check_eq "nvr-local spoofed_packets, pnvr refused" 8 "$(dstat nvr-local spoofed_packets)"
check_eq "nvr-local from prog" 3 "$(to_router rog 3)"
check_eq "nvr-local allowed_packets, prog" 6 "$(dstat nvr-local allowed_packets)"
check_eq "nvr-local port prog" "port: prog" "$(portline)"

# 4. "port" removed: the binding to prog is forgotten (the way an operator
#    clears a binding), the next frame binds: from pnvr this time. Kept,
#    the binding to prog would refuse pnvr as in 3.
conf "" > cf.conf
check_rc "reload (no port)" 0 sh -c 'camfencectl load cf.conf > load.out'
check_eq "reload (no port): what changed" "changed: nvr-local" "$(grep '^changed' load.out)"
check_eq "no port in the policy" "" "$(camfencectl show policy | grep '^ *port ')"
check_eq "binding cleared" "port: - (last seen on prog)" "$(portline)"
check_eq "nvr-local from pnvr, learned anew" 2 "$(to_router nvrl 2)"
check_eq "learned on pnvr" "port: pnvr" "$(portline)"
check_eq "nvr-local allowed_packets, relearned" 8 "$(dstat nvr-local allowed_packets)"
check_eq "nvr-local from prog now refused" 0 "$(to_router rog 2)"
check_eq "nvr-local spoofed_packets, prog refused" 10 "$(dstat nvr-local spoofed_packets)"
check_eq "nvr-local dropped_packets total" 10 "$(dstat nvr-local dropped_packets)"

test_done
