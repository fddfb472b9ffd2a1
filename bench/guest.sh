#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# bench/guest.sh BUILD_DIR -- runs inside the test guest (tests/vm/vmrun),
# started by bench/bench.sh.  BUILD_DIR holds what bench.sh generated on the
# host from one camfence config per size: cfN/camfence.conf (+devices.csv),
# cfN/ruleset.nft, cfN/rules.ipt, cfN/pktgen.env.
#
# One "lane" per configuration, all built once and alive together, so the runs
# can alternate (A B A B ...) without reloading anything:
#
#   src<k> netns              rt<k> netns (the router)             snk<k> netns
#   iperf3 -> s ==veth== r -> r.20 (VLAN 20, camera zone) -> o ==veth== k (NVR 10.30.0.5)
#                        ^ pktgen (netif_receive)   filter under test    rx counted here
#
# pktgen sends 64-byte UDP frames (VLAN-tagged) from PG_FLOWS (min(N, 1000))
# distinct source MACs and addresses in lockstep, whatever N (the same number
# of conntrack entries at every size), each pair a listed device whose profile
# allows the stream, injected at the router's ingress r as if received from the camera
# VLAN; the forwarded rate is read from the sink's rx counter.
#
# Phase A (camfence.ko not loaded): ROUNDS rounds over the lanes base, ct,
# nft-N, ipt-N, the order reversed every other round.  Phase B: camfence.ko
# loaded, every camfence lane's policy committed once (timed, per netns), then
# ROUNDS rounds over base ("empty": hook with an empty policy), ct (the
# conntrack-only router: camfence's ratios against it come from the same
# phase), cf-N and one nft lane; TCP lanes per phase from TCP_LANES_A/B; then
# the random-MAC flood lane (flood_lane below) and the DNS lane (dns_lane).  Before the lanes: camfence's
# own memory (a commit in a netns), commit timing and kernel memory in
# init_net.
# Output: one "BENCH ..." line per measurement, parsed by bench/report.py.
set -uo pipefail
B=${1:?usage: guest.sh BUILD_DIR}
# shellcheck disable=SC1091
source "$B/params.env"	# SIZES CF_SIZES NFT_SIZES IPT_SIZES COMMIT_SIZES MEM_SIZE ROUNDS WIN WARM ...
RPS=${BENCH_RPS:-1}
# Work on a tmpfs copy: no 9p I/O (host-speed dependent) inside timed parts.
mkdir -p /tmp/bench && cp -r "$B"/cf* "$B"/params.env /tmp/bench/ || { echo "bench: copy failed" >&2; exit 1; }
B=/tmp/bench
PIDS=()
LANES=()

say() { echo "BENCH $*"; }
log() { echo "# $*"; }
die() { echo "bench: error: $*" >&2; exit 1; }
now() { echo "$EPOCHREALTIME"; }

cleanup() {
	for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null; done
	ip -all netns delete 2>/dev/null
}
trap cleanup EXIT

# ---------------------------------------------------------------- topology
# lane NAME KIND N: creates src/rt/snk netns number ${#LANES[@]}.
lane() {
	local name=$1 kind=$2 n=$3 k=${#LANES[@]} d="$B/cf$3"
	local s="src$k" r="rt$k" t="snk$k"
	# shellcheck disable=SC1091
	source "$d/pktgen.env"
	ip netns add "$s" && ip netns add "$r" && ip netns add "$t" || die "netns"
	ip -n "$s" link add s type veth peer name r netns "$r"
	ip -n "$r" link add o type veth peer name k netns "$t"
	ip -n "$s" link set s address "$PG_DEV0_MAC"
	ip -n "$r" link add link r name r.20 type vlan id "$PG_VLAN"
	ip -n "$s" link add link s name s.20 type vlan id "$PG_VLAN"
	for x in "$s s" "$s s.20" "$s lo" "$r r" "$r r.20" "$r o" "$r lo" "$t k" "$t lo"; do
		set -- $x
		ip -n "$1" link set "$2" up
	done
	ip -n "$r" addr add "$ROUTER_CAM_IP/$CAM_PREFIXLEN" dev r.20
	ip -n "$r" addr add 10.30.0.1/24 dev o
	ip -n "$s" addr add "$PG_DEV0_IP/$CAM_PREFIXLEN" dev s.20
	ip -n "$s" route add 10.30.0.0/24 via "$ROUTER_CAM_IP"
	ip -n "$t" addr add "$PG_DST/24" dev k
	ip -n "$t" route add default via 10.30.0.1
	ip netns exec "$r" sysctl -qw net.ipv4.ip_forward=1 net.ipv4.conf.all.rp_filter=0 \
		net.ipv4.conf.default.rp_filter=0
	local kmac
	kmac=$(ip netns exec "$t" cat /sys/class/net/k/address)
	ip -n "$r" neigh replace "$PG_DST" lladdr "$kmac" nud permanent dev o
	if [ "$RPS" = 1 ]; then
		ip netns exec "$r" sh -c 'echo 2 > /sys/class/net/r/queues/rx-0/rps_cpus' ||
			die "rps"
	fi
	# The NVR drops the UDP stream at ingress (no ICMP errors back); TCP passes.
	ip netns exec "$t" tc qdisc add dev k clsact
	# (pref 10: the flood lane puts a counter for the camera's stream before it)
	ip netns exec "$t" tc filter add dev k ingress protocol ip pref 10 flower \
		ip_proto udp action drop || die "tc flower"
	# A process in the sink netns: its /proc/PID/net/dev is the rx counter.
	ip netns exec "$t" sleep 100000 &
	PIDS+=($!)
	eval "LPID_$k=$!"
	# pktgen injects into the router's ingress r (xmit_mode netif_receive):
	# 64-byte frames (60 + FCS), tag 20, lockstep MAC/IP.  Each packet is
	# forwarded synchronously in pktgen's own call (no backlog between the
	# generator and the router), so the rate is set by the per-packet cost
	# of the router path alone, not by how the scheduler splits one CPU
	# between a generator and softirq processing.
	local rmac
	rmac=$(ip netns exec "$r" cat /sys/class/net/r/address)
	ip netns exec "$r" sh -c "
		set -e
		echo rem_device_all > /proc/net/pktgen/kpktgend_0
		echo add_device r > /proc/net/pktgen/kpktgend_0
		pg() { echo \"\$1\" > /proc/net/pktgen/r; }
		pg 'xmit_mode netif_receive'
		pg 'count 0'; pg 'burst 1'; pg 'delay 0'
		pg 'pkt_size 60'; pg 'vlan_id $PG_VLAN'
		pg 'dst $PG_DST'; pg 'dst_mac $rmac'
		pg 'src_mac $PG_SRC_MAC'; pg 'src_mac_count $PG_SRC_MAC_COUNT'
		pg 'src_min $PG_SRC_MIN'; pg 'src_max $PG_SRC_MAX'
		pg 'udp_src_min 40000'; pg 'udp_src_max 40000'
		pg 'udp_dst_min $PG_UDP_DST'; pg 'udp_dst_max $PG_UDP_DST'
	" || die "pktgen setup of $name"
	case $kind in
	nft)
		ip netns exec "$r" nft -f "$d/ruleset.nft" || die "nft -f for $name" ;;
	ct|cffloor)	# conntrack on, one rule: what every stateful filter pays
		# first (cffloor: camfence's floor policy follows in phase B)
		printf '%s\n' 'table inet ctonly {' \
			'chain forward { type filter hook forward priority filter; policy accept; ct state invalid drop; }' \
			'}' | ip netns exec "$r" nft -f - || die "nft -f for $name" ;;
	ipt)
		ip netns exec "$r" iptables-legacy-restore < "$d/rules.ipt" ||
			die "iptables-restore for $name" ;;
	esac
	LANES+=("$name")
	eval "LKIND_$k=$kind LN_$k=$n LF_$k=$PG_FLOWS"
}

rx() {	# rx packets of k in lane $1's sink
	local p
	eval "p=\$LPID_$1"
	awk '$1 == "k:" { print $3 }' "/proc/$p/net/dev"
}

lane_idx() {
	local i
	for i in "${!LANES[@]}"; do
		[ "${LANES[$i]}" = "$1" ] && { echo "$i"; return; }
	done
	die "no lane $1"
}

# udp LANE PHASE ROUND: one timed window of pktgen traffic.
udp() {
	local name=$1 k t0 t1 r0 r1 pps
	k=$(lane_idx "$name")
	ip netns exec "rt$k" sh -c 'echo start > /proc/net/pktgen/pgctrl' &
	local pg=$!
	sleep "$WARM"
	r0=$(rx "$k"); t0=$(now)
	sleep "$WIN"
	r1=$(rx "$k"); t1=$(now)
	ip netns exec "rt$k" sh -c 'echo stop > /proc/net/pktgen/pgctrl'
	wait "$pg"
	pps=$(awk -v a="$r0" -v b="$r1" -v s="$t0" -v e="$t1" 'BEGIN { printf "%.0f", (b - a) / (e - s) }')
	say "udp lane=$name phase=$2 round=$3 pps=$pps"
}

# warm LANE: every flow once (conntrack entries exist before timing).
warm() {
	local k n
	k=$(lane_idx "$1")
	eval "n=\$LF_$k"
	ip netns exec "rt$k" sh -c "echo 'count $((n * 2))' > /proc/net/pktgen/r;
		echo start > /proc/net/pktgen/pgctrl; echo 'count 0' > /proc/net/pktgen/r"
}

tcp() {
	local name=$1 k bps
	k=$(lane_idx "$name")
	# the receiver's rate (iperf3 -f k: Kbits/sec; no python3 start-up per run)
	bps=$(ip netns exec "src$k" iperf3 -c "$PG_DST" -p "$TCP_PORT" -t "$TCP_SEC" -f k 2>/dev/null |
		awk '/receiver/ { for (i = 2; i <= NF; i++) if ($i == "Kbits/sec") v = $(i - 1) } END { print v + 0 }')
	say "tcp lane=$name phase=$2 round=$3 mbps=$(awk -v b="${bps:-0}" 'BEGIN { printf "%.1f", b / 1e3 }')"
}

# ---------------------------------------------------------------- flood lane
# The random-MAC flood (issue 16): in lane $FLOOD_LANE (camfence, zone
# "unknown drop"), camera 0 (a listed device) streams UDP to the NVR from its
# own address through the camera VLAN (tests/tools/cfstream: FLOOD_STREAM_PPS
# datagrams of FLOOD_STREAM_SIZE bytes per second on an absolute schedule, a
# video stream of ~8 Mbit/s), and pktgen in
# the camera-side namespace floods the same port r at full rate with 64-byte
# frames (60 + FCS, tag 20) from random source MACs (02:aa:xx:xx:xx:xx, none
# listed) and random source addresses in the camera subnet, UDP to the NVR.
# The stream and the flood share the port, the backlog and the one vCPU, as a
# flooding camera and a streaming one share a switch uplink and a router CPU.
# Per round: a window without the flood, then one with it (the order reversed
# every other round).  Measured per window: the camera's packets at the NVR (a
# tc flower counter on its source address), the frames the router's port
# took in (r rx_packets, the flood plus the stream), the stream's datagrams
# sent.
FLOOD_STREAM_PPS=${FLOOD_STREAM_PPS:-1000}
FLOOD_STREAM_SIZE=${FLOOD_STREAM_SIZE:-1000}

flood_setup() {	# lane
	local k rmac
	k=$(lane_idx "$1")
	ip netns exec "snk$k" tc filter add dev k ingress protocol ip pref 5 flower \
		src_ip "$PG_DEV0_IP" ip_proto udp action drop || die "tc flower (flood counter)"
	rmac=$(ip netns exec "rt$k" cat /sys/class/net/r/address)
	ip netns exec "src$k" sh -c "
		set -e
		echo rem_device_all > /proc/net/pktgen/kpktgend_0
		echo add_device s > /proc/net/pktgen/kpktgend_0
		pg() { echo \"\$1\" > /proc/net/pktgen/s; }
		pg 'count 0'; pg 'burst 1'; pg 'delay 0'; pg 'clone_skb 0'
		pg 'pkt_size 60'; pg 'vlan_id $PG_VLAN'
		pg 'dst $PG_DST'; pg 'dst_mac $rmac'
		pg 'src_mac 02:aa:00:00:00:00'; pg 'src_mac_count 16777216'
		pg 'flag MACSRC_RND'
		pg 'src_min 10.66.0.1'; pg 'src_max 10.66.255.254'; pg 'flag IPSRC_RND'
		pg 'udp_src_min 40000'; pg 'udp_src_max 40000'
		pg 'udp_dst_min $PG_UDP_DST'; pg 'udp_dst_max $PG_UDP_DST'
	" || die "pktgen setup of the flood"
}

flood_counters() {	# lane index -> "stream_at_nvr r_rx"
	local k=$1 a b
	a=$(ip netns exec "snk$k" tc -s filter show dev k ingress pref 5 |
		awk '$1 == "Sent" { print $4; exit }')
	b=$(ip netns exec "rt$k" cat /sys/class/net/r/statistics/rx_packets)
	echo "${a:-0} $b"
}

flood_window() {	# lane-index on|off round
	local k=$1 c0 c1 t0 t1 pg=''
	if [ "$2" = on ]; then
		ip netns exec "src$k" sh -c 'echo start > /proc/net/pktgen/pgctrl' &
		pg=$!
	fi
	sleep "$WARM"
	c0=$(flood_counters "$k"); t0=$(now)
	sleep "$WIN"
	c1=$(flood_counters "$k"); t1=$(now)
	if [ -n "$pg" ]; then
		ip netns exec "src$k" sh -c 'echo stop > /proc/net/pktgen/pgctrl'
		wait "$pg"
	fi
	say "flood lane=${LANES[$k]} flood=$2 round=$3 $(awk -v a="$c0" -v b="$c1" -v s="$t0" -v e="$t1" 'BEGIN {
		split(a, x, " "); split(b, y, " "); d = e - s
		st = y[1] - x[1]; rx = y[2] - x[2]
		printf "stream_pps=%.0f flood_pps=%.0f sec=%.3f", st / d, (rx - st) / d, d }')"
}

flood_lane() {	# lane
	local k round out
	k=$(lane_idx "$1")
	flood_setup "$1"
	rm -f /tmp/flood.stop
	ip netns exec "src$k" cfstream -s "$PG_DEV0_IP" -f /tmp/flood.stop \
		"$PG_DST" "$PG_UDP_DST" "$FLOOD_STREAM_PPS" "$FLOOD_STREAM_SIZE" \
		> /tmp/flood.sent 2> /tmp/flood.err &
	local sender=$!
	for round in $(seq 1 "$ROUNDS"); do
		if [ $((round % 2)) = 1 ]; then
			flood_window "$k" off "$round"; flood_window "$k" on "$round"
		else
			flood_window "$k" on "$round"; flood_window "$k" off "$round"
		fi
	done
	touch /tmp/flood.stop
	wait "$sender" || { cat /tmp/flood.err >&2; die "the camera's stream (cfstream) failed"; }
	say "floodinfo lane=$1 stream_sent=$(cat /tmp/flood.sent) stream_pps=$FLOOD_STREAM_PPS stream_bytes=$FLOOD_STREAM_SIZE flood_pktgen_sent=$(ip netns exec "src$k" awk '/pkts-sofar/ { print $2; exit }' /proc/net/pktgen/s)"
	say "cfstats lane=$1-flood $(ip netns exec "rt$k" camfencectl stats 2>&1 | tr -s ' \n' ' ' | cut -c1-300)"
}

# ---------------------------------------------------------------- DNS lane
# The per-packet cost of DNS names as evidence (kmod/dns.c, issue 17): in
# lane $DNS_LANE (camfence), camera 0 (a listed device whose profile allows
# udp 53 to the router) sends DNS queries to the router's address on the
# camera VLAN at full rate (tests/tools/cfstream -n: valid queries, one
# question, names drawn from DNS_NAMES > the table's 64, so the table sees
# hits and, with replacement, misses).  Each query passes camfence's
# LOCAL_IN hook (allowed, parsed and recorded when dns_names is on) and is
# counted and dropped by an nftables input chain after it (no socket, no
# ICMP error).  Per round: a window with dns_names=1 and one with
# dns_names=0 (the runtime-writable module parameter; order reversed every
# other round), the queries counted per second.
DNS_NAMES=${DNS_NAMES:-80}
DNS_PARAM=/sys/module/camfence/parameters/dns_names

dns_count() {	# lane index -> queries counted by the router's input chain
	ip netns exec "rt$1" nft list counter inet cfdns q |
		awk '$1 == "packets" { print $2; exit }'
}

dns_window() {	# lane-index 1|0 round
	local k=$1 c0 c1 t0 t1
	echo "$2" > "$DNS_PARAM" || die "cannot write $DNS_PARAM"
	sleep "$WARM"
	c0=$(dns_count "$k"); t0=$(now)
	sleep "$WIN"
	c1=$(dns_count "$k"); t1=$(now)
	say "dns lane=${LANES[$k]} dns_names=$2 round=$3 pps=$(awk -v a="$c0" -v b="$c1" -v s="$t0" -v e="$t1" 'BEGIN { printf "%.0f", (b - a) / (e - s) }')"
}

dns_lane() {	# lane
	local k round dev
	k=$(lane_idx "$1")
	[ -w "$DNS_PARAM" ] || die "no $DNS_PARAM (camfence.ko without DNS names)"
	printf '%s\n' 'table inet cfdns {' 'counter q { }' \
		'chain input { type filter hook input priority filter; policy accept; udp dport 53 counter name q drop; }' \
		'}' | ip netns exec "rt$k" nft -f - || die "nft -f (DNS lane counter)"
	rm -f /tmp/dns.stop
	ip netns exec "src$k" cfstream -n "$DNS_NAMES" -s "$PG_DEV0_IP" -f /tmp/dns.stop \
		"$ROUTER_CAM_IP" 53 1000000 0 > /tmp/dns.sent 2> /tmp/dns.err &
	local sender=$!
	for round in $(seq 1 "$ROUNDS"); do
		if [ $((round % 2)) = 1 ]; then
			dns_window "$k" 1 "$round"; dns_window "$k" 0 "$round"
		else
			dns_window "$k" 0 "$round"; dns_window "$k" 1 "$round"
		fi
	done
	touch /tmp/dns.stop
	wait "$sender" || { cat /tmp/dns.err >&2; die "the DNS sender (cfstream -n) failed"; }
	echo 1 > "$DNS_PARAM"
	# the device's table: names held, replaced (misses on a full table)
	dev=$(awk -F, -v m="$PG_DEV0_MAC" '$2 == m { print $1; exit }' "$B/cf${1#cf-}/devices.csv")
	say "dnsinfo lane=$1 device=$dev names=$DNS_NAMES sent=$(cat /tmp/dns.sent) $(ip netns exec "rt$k" camfencectl -j show "$dev" 2>&1 |
		tr -d ' \n' | sed -n 's/.*"dns":{"total":\([0-9]*\),"invalid":\([0-9]*\),"replaced":\([0-9]*\).*/table=\1 invalid=\2 replaced=\3/p')"
	ip netns exec "rt$k" nft delete table inet cfdns
}

cf_load_lanes() {	# round
	local name k n t0 t1 out conf kind
	for name in "${LANES[@]}"; do
		k=$(lane_idx "$name")
		eval "n=\$LN_$k kind=\$LKIND_$k"
		case $kind in
		cf) conf=$B/cf$n/camfence.conf ;;
		cffloor) conf=$B/cf$n/floor.conf ;;
		*) continue ;;
		esac
		t0=$(now)
		out=$(ip netns exec "rt$k" camfencectl load "$conf" 2>&1) ||
			die "camfencectl load in lane $name: $out"
		t1=$(now)
		[ "$kind" = cf ] || continue	# the floor's commit is not a size's
		say "commit tool=camfencectl-netns n=$n round=$1 sec=$(awk -v s="$t0" -v e="$t1" 'BEGIN { printf "%.3f", e - s }')"
	done
}

meminfo() {	# prints "slab percpu vmalloc memfree" in bytes
	awk '/^Slab:/ { s = $2 } /^Percpu:/ { p = $2 } /^VmallocUsed:/ { v = $2 }
	     /^MemFree:/ { f = $2 } END { printf "%.0f %.0f %.0f %.0f\n", s * 1024, p * 1024, v * 1024, f * 1024 }' /proc/meminfo
}

settle() { sync; echo 3 > /proc/sys/vm/drop_caches; sleep 2; }

# sysfs_wait: until /sys/kernel/camfence/devices shows the active policy (a
# commit of more than sysfs_sync_max directories replies before its sysfs
# tree is complete; see docs/ABI/testing/sysfs-kernel-camfence).
# Polls with bash builtins only (read, and read -t on a fifo that never has
# data as the sleep): a fork per poll would take the single vCPU from the
# work item that builds the tree.
mkfifo /tmp/bench.nap && exec 9<> /tmp/bench.nap
sysfs_wait() {
	local s=/sys/kernel/camfence g=0 sg=1
	[ -f $s/sysfs_generation ] || return 0
	while :; do
		read -r g < $s/generation
		read -r sg < $s/sysfs_generation
		[ "$g" = "$sg" ] && return 0
		read -r -t 0.02 -u 9 || :
	done
}

timed() {	# timed LABEL CMD...: prints seconds
	local t0 t1
	t0=$(now)
	"${@:2}" > /tmp/timed.out 2>&1 || { cat /tmp/timed.out >&2; die "$1 failed"; }
	t1=$(now)
	awk -v s="$t0" -v e="$t1" 'BEGIN { printf "%.3f", e - s }'
}

# ---------------------------------------------------------------- main
say "info kernel=$(uname -r) icount=${BENCH_ICOUNT:-off} cpus=$(nproc) mem_kb=$(awk '/MemTotal/ { print $2 }' /proc/meminfo) rps=$RPS rounds=$ROUNDS win=$WIN quick=$QUICK"
for m in pktgen 8021q veth nf_conntrack sch_ingress cls_flower act_gact nfnetlink nf_tables \
	nft_ct ip_tables iptable_filter x_tables xt_mac xt_conntrack xt_multiport xt_tcpudp; do
	modprobe "$m" || die "modprobe $m"
done
# 100k flows per lane: room in conntrack, and unreplied UDP entries that live
# across the whole run (every measured packet is a lookup, none a creation).
sysctl -qw net.netfilter.nf_conntrack_max=1048576 net.netfilter.nf_conntrack_udp_timeout=3600
echo 262144 > /sys/module/nf_conntrack/parameters/hashsize
sysctl -qw net.core.netdev_max_backlog=10000

CF_MOD=1
modinfo camfence >/dev/null 2>&1 || CF_MOD=0
MODPARAMS=${BENCH_MODPARAMS:-}
if [ "$CF_MOD" = 1 ] && [ -z "$MODPARAMS" ] &&
	modinfo -p camfence 2>/dev/null | grep -q '^max_devices:'; then
	MODPARAMS="max_devices=131072"
fi
command -v camfencectl >/dev/null || CF_MOD=0
say "info camfence=$CF_MOD modparams=$MODPARAMS version=$(modinfo -F version camfence 2>/dev/null)"

# ---- commit time and memory, init_net (sysfs included), no traffic yet ----
if [ "$CF_MOD" = 1 ]; then
	modprobe camfence $MODPARAMS || die "modprobe camfence"
	# camfence's own memory per device (issue 16, target 5): a commit in
	# a network namespace, which has no sysfs tree.  A 10-device
	# policy first, so the namespace's own state (conntrack reference,
	# hooks, unknown table, events) exists before the measurement; then
	# the MEM_SIZE policy replaces it: the delta is MEM_SIZE - 10 devices.
	# First thing after loading the module: the per-CPU allocator keeps
	# freed chunks populated, so a later measurement would not see the
	# per-CPU counters (Percpu in /proc/meminfo counts populated pages).
	[ "$MEM_SIZE" -gt "${SIZES%% *}" ] || die "the memory lane needs a size above ${SIZES%% *}"
	ip netns add memns || die "netns memns"
	ip netns exec memns camfencectl load "$B/cf${SIZES%% *}/camfence.conf" > /dev/null ||
		die "camfencectl load in memns"
	settle; m0=$(meminfo); cat /proc/slabinfo > /tmp/slab0
	ip netns exec memns camfencectl load "$B/cf$MEM_SIZE/camfence.conf" > /dev/null ||
		die "camfencectl load $MEM_SIZE in memns"
	settle; m1=$(meminfo); cat /proc/slabinfo > /tmp/slab1
	say "mem scope=netns n=$MEM_SIZE from=${SIZES%% *} before=${m0// /,} after=${m1// /,}"
	awk -v n="$((MEM_SIZE - ${SIZES%% *}))" 'FNR == 1 { f++ } f == 1 && NR > 2 { b[$1] = $3 * $4 }
		f == 2 && FNR > 2 { d = $3 * $4 - b[$1]; if (d > 65536) printf "%s %.0f\n", $1, d / n }' \
		/tmp/slab0 /tmp/slab1 | sort -k2 -nr | head -n 10 |
		while read -r c b; do say "slab scope=netns cache=$c bytes_per_device=$b"; done
	ip netns exec memns camfencectl flush -y > /dev/null || die "camfencectl flush in memns"
	ip netns delete memns
	settle
	# warm the page cache: the binaries come from the host over 9p
	camfencectl check "$B/cf${COMMIT_SIZES%% *}/camfence.conf" > /dev/null
	nft -c -f "$B/cf${COMMIT_SIZES%% *}/ruleset.nft" > /dev/null
	for rep in $(seq 1 "$COMMIT_REPS"); do
		for n in $COMMIT_SIZES; do
			[ "$rep" -gt 1 ] && [ "$n" -ge 100000 ] && continue
			t0=$(now)
			sec=$(timed "camfencectl load $n" camfencectl load "$B/cf$n/camfence.conf")
			say "commit tool=camfencectl n=$n round=$rep sec=$sec"
			# until the sysfs tree is complete too
			sysfs_wait
			say "commit tool=camfencectl-sysfs n=$n round=$rep sec=$(awk -v s="$t0" -v e="$(now)" 'BEGIN { printf "%.3f", e - s }')"
			camfencectl flush -y > /dev/null || die "camfencectl flush"
			sysfs_wait
			sec=$(timed "nft -f $n" nft -f "$B/cf$n/ruleset.nft")
			say "commit tool=nft n=$n round=$rep sec=$sec"
			nft delete table inet camfence_bench
		done
	done
	# kernel memory of MEM_SIZE devices: meminfo and the slab caches that grew
	settle; m0=$(meminfo); cat /proc/slabinfo > /tmp/slab0
	camfencectl load "$B/cf$MEM_SIZE/camfence.conf" > /dev/null || die "camfencectl load $MEM_SIZE"
	sysfs_wait
	settle; m1=$(meminfo); cat /proc/slabinfo > /tmp/slab1
	say "mem n=$MEM_SIZE before=${m0// /,} after=${m1// /,} sysfs_dirs=$(ls /sys/kernel/camfence/devices 2>/dev/null | wc -l)"
	awk -v n="$MEM_SIZE" 'FNR == 1 { f++ } f == 1 && NR > 2 { b[$1] = $3 * $4 }
		f == 2 && FNR > 2 { d = $3 * $4 - b[$1]; if (d > 65536) printf "%s %.0f\n", $1, d / n }' \
		/tmp/slab0 /tmp/slab1 | sort -k2 -nr | head -n 10 |
		while read -r c b; do say "slab cache=$c bytes_per_device=$b"; done
	camfencectl flush -y > /dev/null || die "camfencectl flush"
	sysfs_wait
	rmmod camfence || die "rmmod camfence"
else
	log "camfence.ko or camfencectl not available: measuring baseline, nftables and iptables only"
fi

# ---- lanes ----
lane base base "${SIZES%% *}"
lane ct ct "${SIZES##* }"
for n in $NFT_SIZES; do lane "nft-$n" nft "$n"; done
for n in $IPT_SIZES; do lane "ipt-$n" ipt "$n"; done
if [ "$CF_MOD" = 1 ]; then
	for n in $CF_SIZES; do lane "cf-$n" cf "$n"; done
	# camfence's hook with nothing to judge (bench.sh's floor.conf: a zone
	# on another VLAN): what camfence costs before any lookup of its own
	lane cffloor cffloor "${SIZES%% *}"
fi
log "lanes: ${LANES[*]}"
iperf3 -v >/dev/null 2>&1 && HAVE_IPERF=1 || HAVE_IPERF=0
if [ "$HAVE_IPERF" = 1 ]; then
	for k in "${!LANES[@]}"; do
		ip netns exec "snk$k" iperf3 -s -D -B "$PG_DST" -p "$TCP_PORT" || die "iperf3 -s"
	done
fi
for name in "${LANES[@]}"; do
	case $name in cf-*|cffloor|base) ;; *) warm "$name" ;; esac
done

phase_a=(base ct)
for n in $NFT_SIZES; do phase_a+=("nft-$n"); done
for n in $IPT_SIZES; do phase_a+=("ipt-$n"); done
# the conntrack-only lane in phase B too: camfence's ratios against it come
# from the same phase (camfence.ko loaded; no policy, so no hooks, in its netns)
phase_b=(base ct)
for n in $CF_SIZES; do phase_b+=("cf-$n"); done
[ "$CF_MOD" = 1 ] && phase_b+=(cffloor)
for n in $NFT_B_SIZES; do phase_b+=("nft-$n"); done

# rounds PHASE LANES...: ROUNDS rounds over the lanes, order reversed every
# other round (A B C, C B A, ...).
rounds() {
	local ph=$1 round name order
	shift
	for round in $(seq 1 "$ROUNDS"); do
		order=("$@")
		[ $((round % 2)) = 0 ] && order=($(printf "%s\n" "$@" | tac))
		for name in "${order[@]}"; do udp "$name" "$ph" "$round"; done
		if [ "$HAVE_IPERF" = 1 ]; then
			for name in $(eval echo "\$TCP_LANES_$ph"); do tcp "$name" "$ph" "$round"; done
		fi
	done
}

# Phase A: camfence.ko not loaded (baseline, nftables, iptables).
rounds A "${phase_a[@]}"
# Phase B: camfence.ko loaded, every camfence lane's policy committed once;
# the base lane is now "module loaded, empty policy"; nftables again, with
# camfence's hook (empty policy) in its netns.
if [ "$CF_MOD" = 1 ]; then
	modprobe camfence $MODPARAMS || die "modprobe camfence"
	cf_load_lanes 1
	for n in $CF_SIZES; do warm "cf-$n"; done
	warm cffloor
	rounds B "${phase_b[@]}"
	flood_lane "$FLOOD_LANE"
	dns_lane "$DNS_LANE"
	# camfence's own count of what it let through (the allowed path was timed)
	for n in $CF_SIZES; do
		k=$(lane_idx "cf-$n")
		say "cfstats lane=cf-$n $(ip netns exec "rt$k" camfencectl stats 2>&1 | tr -s ' \n' ' ' | cut -c1-300)"
	done
	rmmod camfence || die "rmmod camfence"
fi
say "done"
