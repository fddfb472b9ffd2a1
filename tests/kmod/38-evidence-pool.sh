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
if [ -w $CPU1 ]; then
	echo 0 > $CPU1 || fail "offline cpu1"
fi

# rows DEV: the "to" rows of the device's evidence (peer dir proto port
# reason count).
rows() {
	camfencectl show "$1" |
		awk '$2 == "to" { print $1, $2, $3, $4, $5, $6 }' | sort
}

# ---- the burst: one frame per device, released at once -----------------
ip netns exec cam2 tc qdisc add dev eth0 root netem slot 6s 6s packets $N ||
	fail "netem slot"
t0=$(date +%s%N)
ip netns exec cam2 $FLOOD eth0 "$RMAC" $N vlan=20 src=10.21.0.12 \
	dst=10.99.0.5 dport=6000 macs=ev.macs || fail "send"
t1=$(date +%s%N)
echo "# $N frames queued in $(((t1 - t0) / 1000000)) ms (the slot opens after 6 s)"
check_eq "queued before the slot opened" 1 $(((t1 - t0) < 5000000000))
busywait 20000 test "$(gstat dropped_packets)" -ge $N
online_cpu1
ip netns exec cam2 tc qdisc del dev eth0 root
check_eq "dropped_packets" $N "$(gstat dropped_packets)"
check_eq "evidence_not_recorded: the 32 past the pool" 32 \
	"$(gstat evidence_not_recorded)"
bad=0
for i in $(seq -w 0 $((N - 1))); do
	d=ev-$i
	[ "$(dstat $d dropped_packets)" = 1 ] || { echo "# $d: dropped $(dstat $d dropped_packets)"; bad=$((bad + 1)); }
	[ "$(dstat $d last_drop)" = "udp 10.99.0.5:6000" ] || { echo "# $d: last_drop $(dstat $d last_drop)"; bad=$((bad + 1)); }
	r=$(rows $d)
	[ "$r" = "10.99.0.5 to udp 6000 no-rule 1" ] || { echo "# $d: evidence $r"; bad=$((bad + 1)); }
done
check_eq "every device: 1 drop, last_drop, one evidence entry" 0 $bad

# ---- a second denial, one device at a time: every device gets a table ---
# (the pool was refilled to 32 after the burst: the 32 devices without one
# take them; no denial goes without a table)
ip netns exec cam2 $FLOOD eth0 "$RMAC" $N vlan=20 src=10.21.0.12 \
	dst=10.99.0.5 dport=6001 macs=ev.macs || fail "send"
busywait 20000 test "$(gstat dropped_packets)" -ge $((2 * N))
check_eq "dropped_packets" $((2 * N)) "$(gstat dropped_packets)"
check_eq "evidence_not_recorded unchanged" 32 "$(gstat evidence_not_recorded)"
bad=0
for i in $(seq -w 0 $((N - 1))); do
	d=ev-$i
	[ "$(dstat $d last_drop)" = "udp 10.99.0.5:6001" ] || { echo "# $d: last_drop $(dstat $d last_drop)"; bad=$((bad + 1)); }
	r=$(rows $d | tr '\n' ';')
	[ "$r" = "10.99.0.5 to udp 6000 no-rule 1;10.99.0.5 to udp 6001 no-rule 1;" ] ||
		{ echo "# $d: evidence $r"; bad=$((bad + 1)); }
done
check_eq "every device: both denials in its table" 0 $bad

test_done
