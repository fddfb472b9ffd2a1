#!/bin/bash
# cf-timeout: 600
# SPDX-License-Identifier: GPL-2.0
# Module churn (issue 7, item 5): 100 cycles of loading camfence, commit a
# small policy, a little traffic with exact counters, unload.  Every cycle:
# the module's sysfs tree and /sys/module/camfence disappear after the
# unload, and the module's reference count is 0 before it.  At the end no
# slab objects leaked (see slab_measure).  The harness fails the run on any
# kernel warning.
#
#   cam  eth0 44:19:b6:00:00:01 10.20.0.11 ==== cam0 10.20.0.1 (zone cams)
#
# The camera sends to the router itself (input path): UDP 53 is allowed
# (a sink listens there for the whole test), UDP 54 is not.  Everything in a
# cycle uses bash builtins except insmod, nltest and rmmod: under TCG each
# exec costs a lot, and the cycles must fit in about a minute.
source "$CF_TOP/tests/lib.sh"

CYCLES=100
ALLOWED=3		# datagrams to UDP 53 per cycle
DENIED=2		# datagrams to UDP 54 per cycle
S=/sys/kernel/camfence
D=$S/devices/lobby-1

# slab_measure: sets SLAB_K (active objects of all kmalloc-* caches: plain,
# cg (GFP_KERNEL_ACCOUNT: the policy tables), rcl) and SLAB_KN (active
# kernfs_node_cache objects: the sysfs files of the module and its devices).
# The module creates no cache of its own.  /proc/slabinfo counts the free
# objects of per-CPU slabs as active, so a plain read is off by up to a slab
# per CPU and cache (hundreds of objects in kmalloc-8).  Writing to each
# cache's "shrink" flushes the per-CPU slabs to the node lists, where free
# objects are counted exactly.  The shrink files are all opened first (the
# open allocates), kmalloc-8 is shrunk last (each write kmallocs 2 bytes),
# and slabinfo is read with builtins, so nothing but the kernel's own
# background work allocates between the shrink and the read.  Measured in
# the guest: six measurements in a row agree to the object.
slab_measure() {
	local c f fds=() name active rest
	echo 3 > /proc/sys/vm/drop_caches
	for c in /sys/kernel/slab/kmalloc-* /sys/kernel/slab/kernfs_node_cache \
		 /sys/kernel/slab/kmalloc-8; do
		[ "$c" = /sys/kernel/slab/kmalloc-8 ] && [ ${#fds[@]} -lt 5 ] && continue
		exec {f}> "$c/shrink" || return 1
		fds+=("$f")
	done
	for f in "${fds[@]}"; do echo 1 >&"$f"; done
	SLAB_K=0
	SLAB_KN=0
	SLAB_TXT=
	while read -r name active rest; do
		case $name in
		kmalloc-*) SLAB_K=$((SLAB_K + active)) ;;
		kernfs_node_cache) SLAB_KN=$active ;;
		*) continue ;;
		esac
		SLAB_TXT+="$name $active"$'\n'
	done < /proc/slabinfo
	for f in "${fds[@]}"; do exec {f}>&-; done
}

# slab_settle: measure until two measurements in a row agree (RCU-deferred
# frees done), at most 20 times; sets SLAB_K and SLAB_KN.
slab_settle() {
	local i k kn
	slab_measure || return 1
	for ((i = 0; i < 20; i++)); do
		k=$SLAB_K
		kn=$SLAB_KN
		sleep 0.2
		slab_measure
		[ "$k" = "$SLAB_K" ] && [ "$kn" = "$SLAB_KN" ] && return 0
	done
	echo "# slab counts did not settle: $k/$kn then $SLAB_K/$SLAB_KN"
}

# val FILE: the first line of FILE (a builtin read, no fork).
val() {
	VAL=
	read -r VAL < "$1"
}

[ -d /sys/kernel/slab/kmalloc-8 ] || skip "no /sys/kernel/slab (CONFIG_SLUB_SYSFS)"

cf_netns cam || fail "netns"
cf_veth cam eth0 "" cam0 || fail "veth"
ip netns exec cam sysctl -qw net.ipv6.conf.all.disable_ipv6=1
sysctl -qw net.ipv6.conf.cam0.disable_ipv6=1
ip -n cam -b - <<'IP' || fail "cam addresses"
link set eth0 address 44:19:b6:00:00:01
addr add 10.20.0.11/24 dev eth0
IP
ip addr add 10.20.0.1/24 dev cam0 || fail "router address"

# udp_in: UDP datagrams delivered to sockets in this namespace (builtins).
udp_in() {
	local l hdr=
	while read -r -a l; do
		[ "${l[0]}" = Udp: ] || continue
		[ -n "$hdr" ] && { echo "${l[1]}"; return 0; }
		hdr=${l[1]}
	done < /proc/net/snmp
	return 1
}
# The sink only has to be there (no ICMP port unreachable); it blocks in
# poll() without timeouts: a process that wakes up periodically allocates
# and disturbs the slab counts.  The delivered datagrams are counted by the
# namespace's Udp InDatagrams.
cftraffic udp-sink -t 3600000 10.20.0.1 53 > /dev/null &
wait_listen "" udp 53 || fail "sink"
udp0=$(udp_in)

# The camera: a bash in the cam namespace sends datagrams through bash's
# /dev/udp on request ("PORT COUNT [PORT COUNT]..."), answers "sent" when
# done.
# shellcheck disable=SC2016  # expanded by the camera's bash
coproc CAM { ip netns exec cam bash -c '
	while read -r -a req; do
		for ((j = 0; j + 1 < ${#req[@]}; j += 2)); do
			for ((i = 0; i < req[j + 1]; i++)); do
				printf x > /dev/udp/10.20.0.1/${req[j]}
			done
		done
		echo sent
	done'; }
# send PORT COUNT [PORT COUNT]...
send() {
	local ack
	echo "$*" >&"${CAM[1]}"
	read -r ack <&"${CAM[0]}"
	[ "$ack" = sent ]
}

Z='zone cams,if=cam0'
P='profile cam,rule=to/10.20.0.1/-/17/53'
DEV='device lobby-1,44:19:b6:00:00:01,cam,addr=10.20.0.11'
COMMIT='commit: generation=1 added=1 removed=0 changed=0 unchanged=0 ok'
# counts_are ALLOWED DROPPED: the device's counters (polled: the router may
# process the last datagram just after the camera sent it).
counts_are() {
	local a
	val "$D/allowed_packets" && a=$VAL && val "$D/dropped_packets" &&
		[ "$a $VAL" = "$1 $2" ]
}

# wait_counts ALLOWED DROPPED: up to ~10 s for the counters (busywait
# would run date twice per call: two execs per cycle).
wait_counts() {
	local i
	for ((i = 0; i < 200; i++)); do
		counts_are "$@" && return 0
		sleep 0.05
	done
	return 1
}

# bad WHAT: a cycle went wrong (sets ERR, returns 1).
bad() {
	ERR=$*
	return 1
}

# cycle: one load/commit/traffic/unload cycle in this shell (the coprocess'
# descriptors are not usable from a subshell); on failure ERR says why.
cycle() {
	local out
	ERR=
	insmod "$KO" || bad "insmod failed" || return
	[ -d $S/devices ] || bad "no $S/devices after modprobe" || return
	out=$(nltest begin "$Z" "$P" "$DEV" commit)
	[ "${out##*$'\n'}" = "$COMMIT" ] || bad "commit: $out" || return
	send 53 $ALLOWED 54 $DENIED || bad "the camera did not send" || return
	if ! wait_counts $ALLOWED $DENIED; then
		val $D/allowed_packets
		out=$VAL
		val $D/dropped_packets
		bad "allowed/dropped $out/$VAL, expected $ALLOWED/$DENIED"
		return
	fi
	val $D/last_drop
	[ "$VAL" = "udp 10.20.0.1:54" ] || bad "last_drop '$VAL'" || return
	val /sys/module/camfence/refcnt
	[ "$VAL" = 0 ] || bad "refcnt $VAL before rmmod" || return
	rmmod camfence || bad "rmmod failed" || return
	[ ! -e /sys/module/camfence ] || bad "/sys/module/camfence after rmmod" || return
	[ ! -e $S ] || bad "$S after rmmod" || return
}

# The harness loaded the module.  The cycles use insmod of the installed
# camfence.ko (what modprobe resolves; the same finit_module() without
# modprobe's lookups, which cost ~0.1 s a cycle under TCG) and rmmod: only
# camfence churns; its dependencies (nf_conntrack, bridge, ...) stay loaded.  The slab counts are taken
# with camfence AND its dependencies unloaded (modprobe -r): conntrack
# entries of the test's datagrams (30 s UDP timeout) would otherwise still
# hold kmalloc'ed extensions at the end.  A warm-up cycle first: the first
# load, commit and traffic allocate lasting things outside the module (the
# router's neighbour entry, ...).
KO=$(modinfo -n camfence) || fail "modinfo camfence"
unload_all() {
	modprobe camfence && modprobe -r camfence
}
rmmod camfence || fail "rmmod of the harness's camfence"
cycle || fail "warm-up cycle: $ERR"
unload_all || fail "modprobe -r after the warm-up"
slab_settle
k0=$SLAB_K
kn0=$SLAB_KN
txt0=$SLAB_TXT

ok=0
first_bad=
start=$(date +%s%3N)
for ((n = 1; n <= CYCLES; n++)); do
	if cycle; then
		ok=$((ok + 1))
	else
		[ -n "$first_bad" ] || first_bad="cycle $n: $ERR"
		[ -d /sys/module/camfence ] && rmmod camfence
	fi
done
end=$(date +%s%3N)
check_eq "cycles with exact counters and a clean unload" "$CYCLES" "$ok"
[ -z "$first_bad" ] || echo "# first failure: $first_bad"

unload_all || fail "modprobe -r after the cycles"
check_eq "datagrams delivered to the allowed port" $(((CYCLES + 1) * ALLOWED)) $(($(udp_in) - udp0))

slab_settle
k1=$SLAB_K
kn1=$SLAB_KN
# A leak of even one object per cycle would grow a count by >= $CYCLES; the
# measurement itself is exact (see slab_measure), so what remains is the
# kernel's own background allocations: the bound is one object per cycle.
echo "# module-churn: $CYCLES cycles in $(((end - start) / 1000)) s; kmalloc objects" \
	"$k0 -> $k1 (growth $((k1 - k0))), kernfs nodes $kn0 -> $kn1 (growth $((kn1 - kn0)))"
# A large negative growth would mean the start was not settled, and could
# hide a leak: the bound holds both ways.
check_eq "kmalloc growth over $CYCLES cycles within +-$CYCLES objects" yes \
	"$( ((k1 - k0 < CYCLES && k0 - k1 < CYCLES)) && echo yes || echo "no: $((k1 - k0))")"
check_eq "kernfs_node growth over $CYCLES cycles within +-$CYCLES objects" yes \
	"$( ((kn1 - kn0 < CYCLES && kn0 - kn1 < CYCLES)) && echo yes || echo "no: $((kn1 - kn0))")"
# Per cache, on a failure: name, start, end.
[ "$CF_FAILS" -eq 0 ] || paste -d' ' <(echo -n "$txt0") <(echo -n "$SLAB_TXT") |
	awk '$2 != $4 { print "# slab", $1, $2, "->", $4 }'

check_rc "modprobe for the next test" 0 modprobe camfence
test_done
