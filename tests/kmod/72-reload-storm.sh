#!/bin/bash
# cf-timeout: 300
# SPDX-License-Identifier: GPL-2.0
# Reload storm (issue 7, item 4): 1,000 commits alternating two policies A
# and B while three flows run from a camera through the router (init_net)
# to a server: a long paced TCP transfer (echoed byte-exact) and a paced UDP
# flow, allowed by both policies, and a paced UDP flow to another port,
# denied by both.  A and B really differ (profile name, an extra rule, an
# extra device), so every commit swaps the policy and bumps the generation.
# Asserted exactly: the generation advanced by 1,000; the TCP transfer
# completed byte-exact; the allowed UDP flow lost no more datagrams than a
# baseline run without reloads; not one datagram of the denied flow arrived
# and the camera's dropped_packets equals the number sent; all three flows
# were running before the first commit and still delivered after the last.
#
#   cam  eth0 44:19:b6:00:00:01 10.20.0.11 ==== cam0 10.20.0.1 (zone cams)
#   srv  eth0 10.99.0.5 ======================= srv0 10.99.0.1
source "$CF_TOP/tests/lib.sh"

S=/sys/kernel/camfence
D=$S/devices/lobby-1
N=1000			# commits in the storm (even: the storm ends on A)
# The flows, and the baseline, at 1 / CF_SCALE of the rate on the debug
# kernel: there the three flows at full rate saturated the guest (1,000
# datagrams at 1 ms took 80-90 s) and the storm starved (commits over 3.5 s;
# 75 ms each without traffic, a probe showed).
TCP_MIN=$((20000000 / CF_SCALE))	# bytes at least in the TCP transfer
TCP_RATE=$((2048 / CF_SCALE))	# KiB/s: TCP_MIN takes >= 9.8 s (longer if the storm does)
UDP_GAP=$((1000 * CF_SCALE))	# us between datagrams of each UDP flow
BASE_N=$((1000 / CF_SCALE))	# datagrams of the baseline UDP run

# snmp PID PROTO FIELD: a counter of /proc/net/snmp in the network namespace
# of process PID (Udp InDatagrams: datagrams delivered to sockets; Tcp
# InSegs: segments received).  Bash builtins only: under TCG every exec
# costs a lot.
snmp() {
	local l hdr=() i
	while read -r -a l; do
		[ "${l[0]}" = "$2:" ] || continue
		if [ ${#hdr[@]} -eq 0 ]; then
			hdr=("${l[@]}")
			continue
		fi
		for ((i = 1; i < ${#l[@]}; i++)); do
			[ "${hdr[i]}" = "$3" ] && echo "${l[i]}" && return 0
		done
	done < "/proc/$1/net/snmp"
	return 1
}
# above PID PROTO FIELD MIN: the counter is above MIN.
# shellcheck disable=SC2317  # called through busywait
above() {
	local v
	v=$(snmp "$1" "$2" "$3") && [ "$v" -gt "$4" ]
}
dropped() {
	local v
	read -r v < $D/dropped_packets && echo "$v"
}
# shellcheck disable=SC2317
dropped_above() { [ "$(dropped)" -gt "$1" ]; }
# shellcheck disable=SC2317
dropped_is() { [ "$(dropped)" -eq "$1" ]; }

T0=$(date +%s%3N)
# stamp WHAT: progress, with the time since the start (where the time goes).
stamp() {
	local t
	t=$(date +%s%3N)
	echo "# t+$(((t - T0) / 1000)).$(((t - T0) % 1000 / 100)) s: $*"
}

cf_netns cam srv || fail "netns"
cf_veth cam eth0 "" cam0 || fail "veth cam"
cf_veth srv eth0 "" srv0 || fail "veth srv"
for ns in cam srv; do
	ip netns exec $ns sysctl -qw net.ipv6.conf.all.disable_ipv6=1
done
sysctl -qw net.ipv6.conf.cam0.disable_ipv6=1 net.ipv6.conf.srv0.disable_ipv6=1
sysctl -qw net.ipv4.ip_forward=1
# ip -batch: one process per namespace (each exec is expensive under TCG).
ip -n cam -b - <<'IP' || fail "cam addresses"
link set eth0 address 44:19:b6:00:00:01
addr add 10.20.0.11/24 dev eth0
route add default via 10.20.0.1
IP
ip -b - <<'IP' || fail "router addresses"
addr add 10.20.0.1/24 dev cam0
addr add 10.99.0.1/24 dev srv0
IP
ip -n srv -b - <<'IP' || fail "srv addresses"
addr add 10.99.0.5/24 dev eth0
route add default via 10.99.0.1
IP

Z='zone cams,if=cam0'
# A: profile "cam" allows TCP 7200 and UDP 5000 to the server, one device.
A=(begin "$Z" 'profile cam,rule=to/10.99.0.5/-/6/7200,rule=to/10.99.0.5/-/17/5000'
   'device lobby-1,44:19:b6:00:00:01,cam,addr=10.20.0.11' commit)
# B: the same flows allowed by a profile of another name with one more rule,
# and a second device.  Neither allows UDP 5001 (the denied flow).
B=(begin "$Z" 'profile cam-b,rule=to/10.99.0.5/-/17/5000,rule=to/10.99.0.5/-/6/7200,rule=to/10.99.0.5/-/6/9000'
   'device lobby-1,44:19:b6:00:00:01,cam-b,addr=10.20.0.11'
   'device lobby-2,44:19:b6:00:00:02,cam-b' commit)

check_eq "policy A committed" "commit: generation=1 added=1 removed=0 changed=0 unchanged=0 ok" \
	"$(nltest "${A[@]}" | tail -1)"

# ---- baseline: the allowed UDP flow without reloads -----------------------
rm -f .stop
ip netns exec srv cftraffic udp-sink -t 200 -f .stop 10.99.0.5 5000 > base.out &
pid=$!
wait_listen srv udp 5000 || fail "baseline sink"
ip netns exec cam cftraffic udp-send -i $UDP_GAP 10.99.0.5 5000 $BASE_N || fail "baseline send"
stamp "baseline done"
touch .stop
wait $pid
base_loss=$((BASE_N - $(cat base.out)))
check_eq "generation after the baseline" 1 "$(sys_read $S/generation)"

# ---- the three flows -------------------------------------------------------
rm -f .stop
ip netns exec srv cftraffic tcp-listen 10.99.0.5 7200 > /dev/null &
ip netns exec srv cftraffic udp-sink -t 200 -f .stop 10.99.0.5 5000 > udp.out &
udp_sink=$!
ip netns exec srv cftraffic udp-sink -t 200 -f .stop 10.99.0.5 5001 > den.out &
den_sink=$!
for p in "tcp 7200" "udp 5000" "udp 5001"; do
	# shellcheck disable=SC2086
	wait_listen srv $p || fail "server $p"
done
udp0=$(snmp $udp_sink Udp InDatagrams)
tcp0=$(snmp $udp_sink Tcp InSegs)
ip netns exec cam cftraffic tcp-connect -t "$(cf_ms 300000)" -r $TCP_RATE -f .stop \
	10.99.0.5 7200 $TCP_MIN > tcp.out 2> tcp.err &
tcp_pid=$!
ip netns exec cam cftraffic udp-send -i $UDP_GAP -f .stop 10.99.0.5 5000 100000000 > udp.sent &
udp_pid=$!
ip netns exec cam cftraffic udp-send -i $UDP_GAP -f .stop 10.99.0.5 5001 100000000 > den.sent &
den_pid=$!

# All three flows are running before the first commit.
busywait "$(cf_ms 30000)" above $udp_sink Udp InDatagrams $((udp0 + 50)) || fail "allowed UDP flow not running"
busywait "$(cf_ms 30000)" above $udp_sink Tcp InSegs $((tcp0 + 50)) || fail "TCP flow not running"
busywait "$(cf_ms 30000)" dropped_above 50 || fail "denied flow not running"
read -r gen0 < $S/generation
stamp "three flows running"

# ---- the storm: one nltest process, one socket, N transactions -------------
args=()
for ((i = 0; i < N / 2; i++)); do
	args+=("${B[@]}" "${A[@]}")
done
t_start=$(date +%s%3N)
nltest "${args[@]}" > storm.out
rc=$?
t_end=$(date +%s%3N)
udp1=$(snmp $udp_sink Udp InDatagrams)
tcp1=$(snmp $udp_sink Tcp InSegs)
den1=$(dropped)
read -r gen1 < $S/generation
# All three flows still deliver (or are dropped) after the last commit.
busywait "$(cf_ms 30000)" above $udp_sink Udp InDatagrams "$udp1" ||
	fail "no allowed UDP datagram after the last commit"
busywait "$(cf_ms 30000)" above $udp_sink Tcp InSegs "$tcp1" || fail "no TCP segment after the last commit"
busywait "$(cf_ms 30000)" dropped_above "$den1" || fail "no denied datagram after the last commit"
check_match "allowed UDP delivered during the storm" "^[1-9][0-9]*$" "$((udp1 - udp0))"

stamp "storm done, flows still running: stop them"
touch .stop
wait $udp_pid || fail "udp-send (allowed) failed"
wait $den_pid || fail "udp-send (denied) failed"
tcp_rc=0
wait $tcp_pid || tcp_rc=$?
wait $udp_sink $den_sink
udp_sent=$(cat udp.sent)
den_sent=$(cat den.sent)
tcp_bytes=$(cat tcp.out)
udp_loss=$((udp_sent - $(cat udp.out)))
stamp "flows done"

check_eq "nltest exit status" 0 "$rc"
check_eq "generation advanced by $N" $((gen0 + N)) "$gen1"
check_eq "commits that applied B" $((N / 2)) \
	"$(grep -c '^commit: generation=[0-9]* added=1 removed=0 changed=1 unchanged=0 ok$' storm.out)"
check_eq "commits that applied A" $((N / 2)) \
	"$(grep -c '^commit: generation=[0-9]* added=0 removed=1 changed=1 unchanged=0 ok$' storm.out)"
check_eq "commit generations are consecutive" "$((gen0 + 1)) $((gen0 + N)) $N" \
	"$(awk -F'[ =]' '/^commit:/ { if (!f) f = $3; if ($3 != f + n) bad = 1; n++; l = $3 }
		END { print (bad ? "gap" : f), l, n }' storm.out)"
check_eq "no command of the storm failed" "$((N * 11 / 2)) 0" \
	"$(wc -l < storm.out) $(grep -c error storm.out)"
check_eq "policy A in force at the end" "1 cam" "$(sys_read $S/device_count) $(sys_read $D/profile)"

check_eq "TCP transfer completed byte-exact (exit status)" 0 "$tcp_rc"
[ "$tcp_rc" -eq 0 ] || cat tcp.err
check_match "TCP bytes sent and echoed" "^[0-9]+$" "$tcp_bytes"
check_eq "TCP transfer of at least $TCP_MIN bytes" yes \
	"$([ "${tcp_bytes:-0}" -ge $TCP_MIN ] && echo yes || echo "no: $tcp_bytes")"
check_eq "allowed UDP loss with reloads <= baseline" yes \
	"$([ "$udp_loss" -le "$base_loss" ] && echo yes ||
		echo "no: $udp_loss of $udp_sent lost, baseline $base_loss of $BASE_N")"
check_eq "denied flow: datagrams at the server" 0 "$(cat den.out)"
busywait "$(cf_ms 10000)" dropped_is "$den_sent"
check_eq "denied flow: dropped_packets equals datagrams sent" "$den_sent" "$(dropped)"
check_eq "generation unchanged since the storm" "$gen1" "$(sys_read $S/generation)"

secs=$(awk -v ms=$((t_end - t_start)) 'BEGIN { printf "%.1f", ms / 1000 }')
echo "# reload-storm: $N commits in $secs s, tcp $tcp_bytes bytes ok, udp loss $udp_loss of $udp_sent" \
	"(baseline $base_loss of $BASE_N), denied leaked $(cat den.out) of $den_sent"
test_done
