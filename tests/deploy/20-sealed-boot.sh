#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# cf-timeout: 300
#
# The boot story of docs/deploy.md, with the shipped files:
#   modprobe reads deploy/modprobe.d/camfence.conf (options camfence
#   sealed_vlans=20) -> VLAN 20 is sealed: a camera's NTP query to the
#   router does not arrive, ARP still works -> camfenced commits the policy
#   -> the seal lifts and exactly what the profile allows arrives.
#
#   netns cam                         init_net (the router)
#   c0.20 10.20.0.11  ---- veth ----  r0.20 10.20.0.1   (VLAN 20)
#   mac 44:19:b6:00:00:11             udp 123 sink

source "$CF_TOP/tests/lib.sh"
set -u

MODCONF=$CF_TOP/deploy/modprobe.d/camfence.conf
check_eq "modules-load.d entry names the module" "camfence" \
	"$(grep -v '^#' "$CF_TOP/deploy/modules-load.d/camfence.conf" | xargs)"

# Load the module the way systemd-modules-load does, with our modprobe.d file.
modprobe -r camfence 2>/dev/null
check_rc "modprobe -C deploy/modprobe.d/camfence.conf camfence" 0 modprobe -C "$MODCONF" camfence
if [ -r /sys/module/camfence/parameters/sealed_vlans ]; then
	check_eq "sealed_vlans parameter" "20" "$(cat /sys/module/camfence/parameters/sealed_vlans)"
fi
check_eq "sealed after load" 1 "$(sys_read /sys/kernel/camfence/sealed)"
check_eq "generation after load" 0 "$(sys_read /sys/kernel/camfence/generation)"

cf_netns cam
cf_veth "" r0 cam c0
ip -n cam link set c0 address 44:19:b6:00:00:11
ip link add link r0 name r0.20 type vlan id 20
ip -n cam link add link c0 name c0.20 type vlan id 20
ip addr add 10.20.0.1/24 dev r0.20
ip -n cam addr add 10.20.0.11/24 dev c0.20
ip link set r0.20 up
ip -n cam link set c0.20 up

# sink_count N: send N datagrams from the camera to the router's NTP port,
# print how many arrived.  The sink stops after 10 s of silence: generous,
# because the guest is emulated (TCG) on a shared machine and a slow start of
# the sender must not look like "nothing arrived".
sink_count() { # N [SILENCE_MS]
	local out=$PWD/sink.$RANDOM
	cftraffic udp-sink -t "${2:-10000}" 10.20.0.1 123 >"$out" &
	local spid=$!
	wait_listen "" udp 123 || return 1
	ip netns exec cam cftraffic udp-send 10.20.0.1 123 "$1" >/dev/null
	wait "$spid"
	cat "$out"
}
ip -n cam neigh flush dev c0.20
# (the unknown_packets count below proves they were sent: 3 s of silence do)
check_eq "sealed: 5 NTP datagrams from the camera, arrived" 0 "$(sink_count 5 3000)"
check_eq "sealed: the 5 datagrams counted as unknown" 5 "$(sys_read /sys/kernel/camfence/stats/unknown_packets)"
# ARP is infrastructure: the camera resolved the router while sealed.
check_match "sealed: ARP for the router resolved" "lladdr $(cat /sys/class/net/r0/address) (REACHABLE|STALE|DELAY|PROBE)" \
	"$(ip -n cam neigh show 10.20.0.1 dev c0.20)"

cat >"$PWD/camfence.conf" <<'EOF'
mode enforce
zone cameras {
    vlan 20
    unknown drop
}
profile cam {
    allow to 10.20.0.1 udp 123
}
device cam-1 {
    mac 44:19:b6:00:00:11
    ip 10.20.0.11
    profile cam
}
EOF
camfenced -f -c "$PWD/camfence.conf" >"$PWD/daemon.out" 2>&1 &
DPID=$!
busywait 20000 grep -qx 1 /sys/kernel/camfence/device_count ||
	sed 's/^/#   daemon: /' "$PWD/daemon.out"
check_eq "seal lifted by the first commit" 0 "$(sys_read /sys/kernel/camfence/sealed)"
check_eq "policy: 5 NTP datagrams from the camera, arrived" 5 "$(sink_count 5)"
check_eq "cam-1 allowed_packets" 5 "$(sys_read /sys/kernel/camfence/devices/cam-1/allowed_packets)"
kill -TERM "$DPID"
rc=0
wait "$DPID" || rc=$?
check_eq "camfenced exit code" 0 "$rc"

test_done
