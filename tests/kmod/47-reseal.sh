#!/bin/bash
# cf-timeout: 600
# SPDX-License-Identifier: GPL-2.0
# The seal is an invariant, not a boot state: a VLAN of sealed_vlans or an
# interface of sealed_ifaces that no zone of the active policy covers is
# sealed after every commit (a commit that removes one zone of two, a
# flush), counted as the boot-time seal is; a zone that covers it again
# opens it to its rules. load and flush name what a commit re-seals and
# refuse, without --force, what it would leave open.
#
#   cam1 (lobby-1) eth0.20 10.20.0.11 ==== rcam1.20 10.20.0.1   zone a: vlan 20
#   cam2 (yard-2)  eth0.21 10.21.0.12 ==== rcam2.21 10.21.0.1   zone b: vlan 21
#   nvr  10.99.0.5 == rnvr;  inet 203.0.113.7 == rinet             (interface rcam2.21)
source "$CF_TOP/tests/lib.sh"
source "$CF_TOP/tests/kmod/10-dataplane.lib"

topology() {
	cf_forwarding || return 1
	cf_netns cam1 cam2 nvr inet || return 1
	cf_veth cam1 eth0 "" rcam1 || return 1
	cf_veth cam2 eth0 "" rcam2 || return 1
	cf_veth nvr eth0 "" rnvr || return 1
	cf_veth inet eth0 "" rinet || return 1
	ip link add link rcam1 name rcam1.20 type vlan id 20 || return 1
	ip link add link rcam2 name rcam2.21 type vlan id 21 || return 1
	ip link set rcam1.20 up && ip link set rcam2.21 up || return 1
	ip addr add 10.20.0.1/24 dev rcam1.20 || return 1
	ip addr add fd00:20::1/64 dev rcam1.20 nodad || return 1
	ip addr add 10.21.0.1/24 dev rcam2.21 || return 1
	ip addr add fd00:21::1/64 dev rcam2.21 nodad || return 1
	ip addr add 10.99.0.1/24 dev rnvr || return 1
	ip addr add fd00:99::1/64 dev rnvr nodad || return 1
	ip addr add 203.0.113.1/24 dev rinet || return 1
	ip addr add 2001:db8:7::1/64 dev rinet nodad || return 1
	cf_trunk_host cam1 eth0 $CAM1_MAC 20 10.20.0.11/24 fd00:20::11/64 \
		10.20.0.1 fd00:20::1 || return 1
	cf_trunk_host cam2 eth0 $CAM2_MAC 21 10.21.0.12/24 fd00:21::12/64 \
		10.21.0.1 fd00:21::1 || return 1
	cf_plain_host nvr eth0 10.99.0.5/24 fd00:99::5/64 10.99.0.1 fd00:99::1 || return 1
	cf_plain_host inet eth0 203.0.113.7/24 2001:db8:7::7/64 203.0.113.1 2001:db8:7::1 || return 1
	# static neighbours: the counts below are IP traffic only
	cf_static_neigh cam1 eth0.20 rcam1 10.20.0.11 fd00:20::11 10.20.0.1 fd00:20::1 || return 1
	cf_static_neigh cam2 eth0.21 rcam2 10.21.0.12 fd00:21::12 10.21.0.1 fd00:21::1 || return 1
}

# policy FILE ZONE_B_LINE [ZONES...]: the cameras' policy with the zones named
policy() {
	local f=$1 bline=$2 z
	shift 2
	: > "$f"
	for z in "$@"; do
		case $z in
		a) printf 'zone a {\n    vlan 20\n}\n' >> "$f" ;;
		b) printf 'zone b {\n    %s\n}\n' "$bline" >> "$f" ;;
		esac
	done
	cat >> "$f" <<'CONF'
profile cam {
    allow to 10.99.0.5 udp 5000
    allow to 203.0.113.7 udp 6800
}
device lobby-1 {
    mac 44:19:b6:00:00:01
    ip 10.20.0.11
    profile cam
}
device yard-2 {
    mac 02:00:00:00:00:99
    ip 10.21.0.12
    profile cam
}
CONF
}

# load_out FILE [OPTS...]: camfencectl load; sets $out (stdout), $err
# (stderr), $rc
load_out() {
	local f=$1
	shift
	out=$(camfencectl load "$@" "$f" 2> .err); rc=$?
	err=$(cat .err)
}

# seal_lines TEXT: the lines that say what happens to a VLAN/interface
seal_lines() {
	printf '%s\n' "$1" | grep '^zone '
}

# ================= sealed_vlans=20,21 =================
cf_reload sealed_vlans=20,21 || fail "reload sealed_vlans=20,21"
check_eq "parameter" "20,21" "$(sys_read /sys/module/camfence/parameters/sealed_vlans)"
topology || fail "topology"
policy ab.conf "vlan 21" a b
policy a.conf "vlan 21" a

load_out ab.conf
check_eq "load a+b: exit" 0 "$rc"
check_eq "load a+b: no seal line (nothing leaves the zones)" "" "$(seal_lines "$out")"
check_eq "a+b: camera A -> NVR" 3 "$(udp_count nvr 10.99.0.5 5000 cam1 3)"
check_eq "a+b: camera B -> internet" 2 "$(udp_count inet 203.0.113.7 6800 cam2 2)"
check_eq "a+b: camera B -> NVR" 2 "$(udp_count nvr 10.99.0.5 5000 cam2 2)"
check_eq "a+b: dropped_packets" 0 "$(gstat dropped_packets)"
check_eq "a+b: allowed_packets" 7 "$(gstat allowed_packets)"

# (a) a commit without zone b: VLAN 21 is sealed again
d0=$(gstat dropped_packets)
u0=$(gstat unknown_packets)
y0=$(dstat yard-2 dropped_packets)
a0=$(dstat lobby-1 allowed_packets)
out=$(camfencectl diff a.conf); rc=$?
check_eq "diff a: exit (changes)" 1 "$rc"
check_eq "diff a: seal line" "zone b (removed): VLAN 21 re-sealed (sealed_vlans)" "$(seal_lines "$out")"
j=$(camfencectl -j diff a.conf)
check_eq "diff -j a: seal" '[{"zone": "b", "zone_removed": true, "vlan": 21, "state": "re-sealed", "sealed_by": "sealed_vlans"}] False' \
	"$(printf '%s' "$j" | python3 -c 'import json,sys; d=json.load(sys.stdin); print(json.dumps(d["seal"]), d["would_open"])')"
load_out a.conf
check_eq "load a: exit" 0 "$rc"
check_eq "load a: seal line" "zone b (removed): VLAN 21 re-sealed (sealed_vlans)" "$(seal_lines "$out")"
check_eq "load a: stderr" "" "$err"
check_eq "sysfs sealed (boot seal only)" 0 "$(sys_read $SYS/sealed)"
check_eq "sealed B -> internet" 0 "$(udp_count inet 203.0.113.7 6800 cam2 3)"
check_eq "sealed B -> NVR" 0 "$(udp_count nvr 10.99.0.5 5000 cam2 2)"
check_eq "internet -> sealed B" 0 "$(udp_count cam2 10.21.0.12 5000 inet 2)"
check_eq "sealed B: dropped_packets" $((d0 + 7)) "$(gstat dropped_packets)"
check_eq "sealed B: yard-2 dropped (sender and receiver)" $((y0 + 7)) "$(dstat yard-2 dropped_packets)"
check_eq "sealed B: unknown_packets (yard-2 is a device)" "$u0" "$(gstat unknown_packets)"
check_eq "zone a still works: A -> NVR" 3 "$(udp_count nvr 10.99.0.5 5000 cam1 3)"
check_eq "zone a: lobby-1 allowed" $((a0 + 3)) "$(dstat lobby-1 allowed_packets)"
check_eq "zone a: A -> internet 7000 (no rule)" 0 "$(udp_count inet 203.0.113.7 7000 cam1 1)"
check_eq "dropped_packets" $((d0 + 8)) "$(gstat dropped_packets)"

# (b) flush: both VLANs sealed, as at boot (unknown senders, reason sealed)
d0=$(gstat dropped_packets)
u0=$(gstat unknown_packets)
out=$(camfencectl flush 2> .err); rc=$?
check_eq "flush: exit (nothing opens: no --force needed)" 0 "$rc"
check_eq "flush: seal line" "zone a (removed): VLAN 20 re-sealed (sealed_vlans)" "$(seal_lines "$out")"
check_eq "flush: stderr" "" "$(cat .err)"
check_eq "flushed: A -> NVR" 0 "$(udp_count nvr 10.99.0.5 5000 cam1 3)"
check_eq "flushed: B -> internet" 0 "$(udp_count inet 203.0.113.7 6800 cam2 2)"
check_eq "flushed: NVR -> A" 0 "$(udp_count cam1 10.20.0.11 554 nvr 2)"
check_eq "flushed: dropped_packets" $((d0 + 7)) "$(gstat dropped_packets)"
check_eq "flushed: unknown_packets (ingress only)" $((u0 + 5)) "$(gstat unknown_packets)"
check_eq "flushed: allowed_packets unchanged" 10 "$(gstat allowed_packets)"
check_eq "flushed: unknown table" "$CAM2_MAC sealed 21 2
$CAM1_MAC sealed 20 3" \
	"$(camfencectl unknown | awk '$2 == "sealed" { print $1, $2, $3, $8 }' | sort)"

# (c) the full policy again: both zones pass
load_out ab.conf
check_eq "reload a+b: exit" 0 "$rc"
check_eq "reload a+b: no seal line" "" "$(seal_lines "$out")"
check_eq "reloaded: A -> NVR" 3 "$(udp_count nvr 10.99.0.5 5000 cam1 3)"
check_eq "reloaded: B -> internet" 2 "$(udp_count inet 203.0.113.7 6800 cam2 2)"
check_eq "reloaded: dropped_packets unchanged" $((d0 + 7)) "$(gstat dropped_packets)"

# Another namespace has no seal: removing a zone there opens its VLAN.
ip netns add cfseal || fail "netns cfseal"
check_rc "netns: load a+b" 0 camfencectl -n cfseal load ab.conf
out=$(camfencectl -n cfseal load a.conf 2> .err); rc=$?
check_eq "netns: load a: exit (refused)" 1 "$rc"
check_eq "netns: load a: seal line" "zone b (removed): VLAN 21 OPEN: not in sealed_vlans/sealed_ifaces" "$(seal_lines "$out")"
check_eq "netns: load a: message" \
	"camfencectl: refusing to load: zone b VLAN 21 would be OPEN, without any filtering (not in sealed_vlans/sealed_ifaces); run 'camfencectl load --force a.conf' (or -y) to load anyway" \
	"$(cat .err)"
check_eq "netns: generation unchanged" 1 "$(camfencectl -n cfseal -j stats | python3 -c 'import json,sys; print(json.load(sys.stdin)["generation"])')"
check_rc "netns: flush --force" 0 camfencectl -n cfseal flush --force
ip netns del cfseal

# ================= sealed_ifaces=rcam2.21 (VLAN 20 not sealed) =================
cf_reload sealed_ifaces=rcam2.21 || fail "reload sealed_ifaces=rcam2.21"
policy ab.conf "interface rcam2.21" a b
policy a.conf "interface rcam2.21" a
policy b.conf "interface rcam2.21" b
check_eq "boot: B sealed" 0 "$(udp_count inet 203.0.113.7 6800 cam2 2)"
check_eq "boot: A not sealed (no zone, not in the seal)" 1 "$(udp_count inet 203.0.113.7 7000 cam1 1)"
load_out ab.conf
check_eq "iface: load a+b: exit" 0 "$rc"
check_eq "iface a+b: B -> internet" 2 "$(udp_count inet 203.0.113.7 6800 cam2 2)"
d0=$(gstat dropped_packets)
load_out a.conf
check_eq "iface: load a: exit" 0 "$rc"
check_eq "iface: load a: seal line" "zone b (removed): interface rcam2.21 re-sealed (sealed_ifaces)" "$(seal_lines "$out")"
check_eq "iface: sealed B -> internet" 0 "$(udp_count inet 203.0.113.7 6800 cam2 2)"
check_eq "iface: sealed B: dropped_packets" $((d0 + 2)) "$(gstat dropped_packets)"
check_eq "iface: zone a: A -> NVR" 3 "$(udp_count nvr 10.99.0.5 5000 cam1 3)"

# removing zone a would open VLAN 20: refused, then --force
load_out ab.conf
check_eq "iface: reload a+b: exit" 0 "$rc"
g=$(sys_read $SYS/generation)
load_out b.conf
check_eq "load b: exit (refused)" 1 "$rc"
check_eq "load b: seal line" "zone a (removed): VLAN 20 OPEN: not in sealed_vlans/sealed_ifaces" "$(seal_lines "$out")"
check_eq "load b: message" \
	"camfencectl: refusing to load: zone a VLAN 20 would be OPEN, without any filtering (not in sealed_vlans/sealed_ifaces); run 'camfencectl load --force b.conf' (or -y) to load anyway" \
	"$err"
check_eq "load b refused: generation" "$g" "$(sys_read $SYS/generation)"
check_eq "load b refused: A still filtered" 0 "$(udp_count inet 203.0.113.7 7000 cam1 1)"
out=$(camfencectl load --dry-run b.conf); rc=$?
check_eq "load --dry-run b: exit (changes)" 1 "$rc"
check_eq "load --dry-run b: warning" \
	"warning: a load would leave zone a VLAN 20 OPEN, without any filtering: load refuses it without --force" \
	"$(printf '%s\n' "$out" | grep '^warning: a load')"
j=$(camfencectl -j diff b.conf)
check_eq "diff -j b: seal" '[{"zone": "a", "zone_removed": true, "vlan": 20, "state": "open"}] True' \
	"$(printf '%s' "$j" | python3 -c 'import json,sys; d=json.load(sys.stdin); print(json.dumps(d["seal"]), d["would_open"])')"
out=$(camfencectl flush 2> .err); rc=$?
check_eq "flush: exit (refused)" 1 "$rc"
check_eq "flush: seal lines" "zone a (removed): VLAN 20 OPEN: not in sealed_vlans/sealed_ifaces
zone b (removed): interface rcam2.21 re-sealed (sealed_ifaces)" "$(seal_lines "$out")"
check_eq "flush: message" \
	"camfencectl: refusing to flush: zone a VLAN 20 would be OPEN, without any filtering (not in sealed_vlans/sealed_ifaces); run 'camfencectl flush --force' (or -y) to flush anyway" \
	"$(cat .err)"
check_eq "flush refused: generation" "$g" "$(sys_read $SYS/generation)"
load_out b.conf -y
check_eq "load -y b: exit" 0 "$rc"
check_eq "load -y b: seal line" "zone a (removed): VLAN 20 OPEN: not in sealed_vlans/sealed_ifaces" "$(seal_lines "$out")"
check_eq "load -y b: stderr" "" "$err"
check_eq "forced: A open (no filtering)" 1 "$(udp_count inet 203.0.113.7 7000 cam1 1)"
check_eq "forced: B still filtered (no rule)" 0 "$(udp_count inet 203.0.113.7 7000 cam2 1)"
out=$(camfencectl flush 2> .err); rc=$?
check_eq "flush after b: exit (only the sealed interface leaves)" 0 "$rc"
check_eq "flush after b: seal line" "zone b (removed): interface rcam2.21 re-sealed (sealed_ifaces)" "$(seal_lines "$out")"
check_eq "flushed: B sealed" 0 "$(udp_count inet 203.0.113.7 6800 cam2 2)"

# camfenced is not interactive: it commits what its file says, re-sealed
# lines at notice, OPEN ones at crit and in STATUS=
mkdir -p etc
cp ab.conf etc/camfence.conf
socat -u UNIX-RECV:"$PWD/notify.sock" OPEN:notify.txt,creat,append &
busywait "$(cf_ms 10000)" test -S notify.sock || fail "notify socket"
NOTIFY_SOCKET=$PWD/notify.sock camfenced -f -c "$PWD/etc/camfence.conf" 2> daemon.log &
dpid=$!
busywait "$(cf_ms 20000)" grep -q READY=1 notify.txt || fail "camfenced: no READY=1: $(cat daemon.log)"
g=$(sys_read $SYS/generation)
cp a.conf etc/camfence.conf
busywait "$(cf_ms 20000)" grep -q "policy loaded: generation $((g + 1))" daemon.log || fail "camfenced: a.conf not loaded"
check_eq "camfenced: re-sealed at notice" "<5>zone b (removed): interface rcam2.21 re-sealed (sealed_ifaces)" \
	"$(grep 're-sealed\|OPEN' daemon.log)"
check_eq "camfenced: B sealed" 0 "$(udp_count inet 203.0.113.7 6800 cam2 1)"
cp ab.conf etc/camfence.conf
busywait "$(cf_ms 20000)" grep -q "policy loaded: generation $((g + 2))" daemon.log || fail "camfenced: ab.conf not loaded"
cp b.conf etc/camfence.conf
busywait "$(cf_ms 20000)" grep -q "policy loaded: generation $((g + 3))" daemon.log || fail "camfenced: b.conf not loaded"
check_eq "camfenced: committed b.conf (no --force to ask for)" $((g + 3)) "$(sys_read $SYS/generation)"
check_eq "camfenced: OPEN at crit" "<2>zone a (removed): VLAN 20 OPEN: not in sealed_vlans/sealed_ifaces
<2>generation $((g + 3)) leaves zone a VLAN 20 OPEN, without any filtering (not in sealed_vlans/sealed_ifaces)" \
	"$(grep 'OPEN' daemon.log)"
busywait "$(cf_ms 10000)" grep -q "STATUS=running: generation $((g + 3)); OPEN, without any filtering: zone a VLAN 20 (not in sealed_vlans/sealed_ifaces)" notify.txt ||
	fail "camfenced: STATUS= without the OPEN VLAN: $(tr '\0' '\n' < notify.txt | grep STATUS | tail -2)"
kill -TERM "$dpid"
wait "$dpid"
check_eq "camfenced: exit" 0 "$?"

test_done
