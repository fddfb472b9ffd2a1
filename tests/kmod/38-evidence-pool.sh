#!/bin/bash
# cf-timeout: 900
# SPDX-License-Identifier: GPL-2.0
# Evidence pool exhaustion (issue 16): the deny path takes evidence tables
# from a pool of 32 that a work item refills. 64 devices denied for the first
# time in one softirq empty it: the first 32 get a table, the other 32 keep
# their denial in last_drop only, each counted in evidence_not_recorded.
# What every device shows is exact either way (last_drop, and one evidence
# entry: its table's or last_drop itself), and a second denial later gives
# every device a table holding both.
#
# "In one softirq": the 64 frames are held by a netem slot on the sending
# veth and released together (one qdisc run, 64 = dev_tx_weight), so the
# receiving CPU's backlog holds all 64 before one process_backlog() call
# (weight 64) judges them; with the second CPU offline the refill work cannot
# run before that call returns.
source "$CF_TOP/tests/lib.sh"
source "$CF_TOP/tests/kmod/10-dataplane.lib"

FLOOD="/usr/bin/python3 $CF_TOP/tests/tools/cfflood.py"
N=64
CPU1=/sys/devices/system/cpu/cpu1/online

cf_routed_topology || fail "topology"
ip netns exec cam2 sysctl -qw net.ipv6.conf.all.disable_ipv6=1 \
	net.ipv6.conf.default.disable_ipv6=1 || fail "cam2: disable IPv6"
RMAC=$(cat /sys/class/net/rcam2/address)
modprobe sch_netem || fail "modprobe sch_netem"

{
	printf 'zone cameras {\n    vlan 20\n}\n'
	printf 'profile cam {\n    allow to 10.99.0.5 udp 5000\n}\n'
	for i in $(seq 0 $((N - 1))); do
		printf 'device ev-%02d {\n    mac 0a:00:00:00:00:%02x\n    profile cam\n}\n' "$i" "$i"
		printf '0a:00:00:00:00:%02x\n' "$i" >> ev.macs
	done
} > cf.conf
cf_reload || fail "cf_reload"
check_rc "load $N devices" 0 camfencectl load cf.conf

online_cpu1() {
	[ -w $CPU1 ] && echo 1 > $CPU1
}
trap 'rc=$?; online_cpu1; (exit $rc); cf_cleanup' EXIT

# evidence: per device (GET_DEVICE of all 64 in one nltest run; camfencectl
# show would load the vendor registries 64 times), its drops, last drop and
# evidence entries as sorted "key=value" words.
evidence() {
	local args=() i
	for i in $(seq -w 0 $((N - 1))); do
		args+=(get "ev-$i")
	done
	nltest "${args[@]}" | while read -r line; do
		name=$(grep -o ' name=ev-[0-9]*' <<< "$line") || continue
		echo "${name# name=}: $(grep -o ' \(dropped_packets\|last_drop\.\(peer\|port\|count\)\|ev[0-9]*\.\(peer\|port\|count\)\|evidence\)=[^ ]*' <<< "$line" |
			LC_ALL=C sort | tr -d '\n')"
	done
}

# expect WORDS...: what every device must show
expect() {
	local i
	for i in $(seq -w 0 $((N - 1))); do
		echo "ev-$i: $*"
	done
}

# ---- the burst: one frame per device, released at once -----------------
# The frames wait in the netem slot (20 s after the qdisc is set up); the
# second CPU goes offline before the slot opens.
SLOT=20
ip netns exec cam2 tc qdisc add dev eth0 root netem slot ${SLOT}s ${SLOT}s packets $N ||
	fail "netem slot"
t0=$(date +%s%N)
ip netns exec cam2 $FLOOD eth0 "$RMAC" $N vlan=20 src=10.21.0.12 \
	dst=10.99.0.5 dport=6000 macs=ev.macs || fail "send"
if [ -w $CPU1 ]; then
	echo 0 > $CPU1 || fail "offline cpu1"
fi
t1=$(date +%s%N)
echo "# $N frames queued, cpu1 offline after $(((t1 - t0) / 1000000)) ms (the slot opens after ${SLOT} s)"
check_eq "queued before the slot opened" 1 $(((t1 - t0) < (SLOT - 2) * 1000000000))
check_eq "none judged before the slot" 0 "$(gstat dropped_packets)"
busywait "$(cf_ms 40000)" test "$(gstat dropped_packets)" -ge $N
online_cpu1
ip netns exec cam2 tc qdisc del dev eth0 root
check_eq "dropped_packets" $N "$(gstat dropped_packets)"
check_eq "evidence_not_recorded: the 32 past the pool" 32 \
	"$(gstat evidence_not_recorded)"
check_eq "every device: 1 drop, last_drop, one evidence entry" \
	"$(expect " dropped_packets=1 ev0.count=1 ev0.peer=10.99.0.5 ev0.port=6000 evidence=1 last_drop.count=1 last_drop.peer=10.99.0.5 last_drop.port=6000")" \
	"$(evidence)"
check_eq "sysfs last_drop (ev-00, ev-63)" "udp 10.99.0.5:6000 udp 10.99.0.5:6000" \
	"$(dstat ev-00 last_drop) $(dstat ev-63 last_drop)"

# ---- a second denial, one device at a time: every device gets a table ---
# (the pool was refilled to 32 after the burst: the 32 devices without one
# take them; no denial goes without a table)
ip netns exec cam2 $FLOOD eth0 "$RMAC" $N vlan=20 src=10.21.0.12 \
	dst=10.99.0.5 dport=6001 macs=ev.macs || fail "send"
busywait "$(cf_ms 20000)" test "$(gstat dropped_packets)" -ge $((2 * N))
check_eq "dropped_packets" $((2 * N)) "$(gstat dropped_packets)"
check_eq "evidence_not_recorded unchanged" 32 "$(gstat evidence_not_recorded)"
check_eq "every device: both denials in its table" \
	"$(expect " dropped_packets=2 ev0.count=1 ev0.peer=10.99.0.5 ev0.port=6000 ev1.count=1 ev1.peer=10.99.0.5 ev1.port=6001 evidence=2 last_drop.count=1 last_drop.peer=10.99.0.5 last_drop.port=6001")" \
	"$(evidence)"

test_done
