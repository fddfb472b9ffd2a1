#!/bin/bash
# cf-timeout: 400
# SPDX-License-Identifier: GPL-2.0
# Netlink fuzzing while traffic flows (issue 7, item 2): with a real policy
# (a zone, two profiles, three devices) loaded and two UDP flows of a camera
# running (one allowed towards the NVR, one denied towards the internet),
# nlfuzz sends 100,000 malformed and random messages to the camfence family.
# Afterwards the policy (sysfs tree, GET_STATS, GET_DEVICE without counters)
# is exactly as before, the sinks got exactly what the rules allow, the
# counters are exactly what the traffic explains, the module's reference
# count is back and the module unloads. The harness fails the run on any
# kernel WARNING/BUG/oops.
# CF_NLFUZZ_SEED / CF_NLFUZZ_COUNT override the seed (1) and the count.
source "$CF_TOP/tests/lib.sh"

S=/sys/kernel/camfence
SEED=${CF_NLFUZZ_SEED:-1}
COUNT=${CF_NLFUZZ_COUNT:-100000}
T_START=$(date +%s%3N)

# counter_ge FILE N: the sysfs counter FILE is at least N (for busywait).
# shellcheck disable=SC2317  # called through busywait
counter_ge() { [ "$(sys_read "$1")" -ge "$2" ]; }
refcnt() { awk '$1 == "camfence" { print $3 }' /proc/modules; }
ref0=$(refcnt)

# Topology, IPv4 only (no router solicitations or MLD to count):
#   cam  eth0 44:19:b6:00:00:01 10.20.0.11/24 == cam0 10.20.0.1/24 (zone)
#   nvr  eth0 10.99.0.5/24                    == nvr0 10.99.0.1/24
#   wan  eth0 203.0.113.7/24                  == wan0 203.0.113.1/24
cf_netns cam nvr wan || fail "netns"
cf_veth cam eth0 "" cam0 || fail "veth cam"
cf_veth nvr eth0 "" nvr0 || fail "veth nvr"
cf_veth wan eth0 "" wan0 || fail "veth wan"
for ns in cam nvr wan; do
	ip netns exec $ns sysctl -qw net.ipv6.conf.all.disable_ipv6=1
done
sysctl -qw net.ipv6.conf.cam0.disable_ipv6=1 net.ipv6.conf.nvr0.disable_ipv6=1 \
	net.ipv6.conf.wan0.disable_ipv6=1 net.ipv4.ip_forward=1
ip -n cam link set eth0 address 44:19:b6:00:00:01
ip -n cam addr add 10.20.0.11/24 dev eth0
ip -n cam route add default via 10.20.0.1
ip addr add 10.20.0.1/24 dev cam0
ip addr add 10.99.0.1/24 dev nvr0
ip addr add 203.0.113.1/24 dev wan0
ip -n nvr addr add 10.99.0.5/24 dev eth0
ip -n nvr route add default via 10.99.0.1
ip -n wan addr add 203.0.113.7/24 dev eth0
ip -n wan route add default via 203.0.113.1

cat > cf.conf <<'CONF'
mode enforce
zone cameras {
    interface cam0
    unknown drop
}
profile camera {
    allow to 10.99.0.5 udp 5000-5010,6000
    allow from 10.99.0.5 tcp 554,80
    allow to 10.20.0.1 udp 123
}
profile doorbell {
    allow to 10.99.0.5 tcp 8000
    allow from 10.99.0.0/24 icmp
}
device lobby-1 {
    mac 44:19:b6:00:00:01
    ip 10.20.0.11
    profile camera
}
device garage-2 {
    mac 3c:ef:8c:00:00:02
    ip 10.20.0.12
    profile camera
    mode monitor
}
device door-3 {
    mac 00:11:32:00:00:03
    ip 10.20.0.13
    profile doorbell
}
CONF
check_rc "load the policy" 0 camfencectl load cf.conf

# The policy without the counters: the sysfs tree (names), the global
# files, each device's configuration (sysfs and GET_DEVICE), GET_STATS.
snapshot() {
	(cd $S && find . | sort &&
	 grep -H "" mode generation sysfs_generation device_count sealed version \
		devices/*/mac devices/*/profile devices/*/mode)
	nltest get door-3 get garage-2 get lobby-1 stats | sed 's/ allowed_packets=.*//'
}
# counters DEV: the device's counters, one "file:value" per line.
counters() {
	(cd "$S/devices/$1" && grep -H "" allowed_packets allowed_bytes dropped_packets \
		dropped_bytes monitored_packets spoofed_packets)
}
T_SETUP=$(date +%s%3N)
before=$(snapshot)
check_match "snapshot has the 3 devices" \
	'get: generation=1 name=door-3 mac=00:11:32:00:00:03 addr=10\.20\.0\.13 profile=doorbell mode=0 effective_mode=1' \
	"$before"
gen0=$(sys_read $S/generation)
check_eq "generation before" 1 "$gen0"

# Two flows from the camera, running until fuzz.done exists: the allowed
# one to the NVR (udp 5000), the denied one to the internet (udp 6800).
ip netns exec nvr cftraffic udp-sink -t 200 -f sink.stop 10.99.0.5 5000 > allowed.got &
sink1=$!
ip netns exec wan cftraffic udp-sink -t 200 -f sink.stop 203.0.113.7 6800 > denied.got &
sink2=$!
{ wait_listen nvr udp 5000 && wait_listen wan udp 6800; } || fail "sinks"
ip netns exec cam cftraffic udp-send -i 2000 -f fuzz.done 10.99.0.5 5000 10000000 100 > allowed.sent &
send1=$!
ip netns exec cam cftraffic udp-send -i 2000 -f fuzz.done 203.0.113.7 6800 10000000 100 > denied.sent &
send2=$!
busywait "$(cf_ms 30000)" counter_ge $S/devices/lobby-1/allowed_packets 1 ||
	fail "the allowed flow does not start"
busywait "$(cf_ms 30000)" counter_ge $S/devices/lobby-1/dropped_packets 1 ||
	fail "the denied flow does not start"

a0=$(sys_read $S/devices/lobby-1/allowed_packets)
d0=$(sys_read $S/devices/lobby-1/dropped_packets)
t0=$(date +%s%3N)
rc=0
nlfuzz -n "$COUNT" -s "$SEED" > fuzz.out 2> fuzz.err || rc=$?
t1=$(date +%s%3N)
a1=$(sys_read $S/devices/lobby-1/allowed_packets)
d1=$(sys_read $S/devices/lobby-1/dropped_packets)
# Both senders were still running when the fuzzer ended.
kill -0 $send1 2>/dev/null && kill -0 $send2 2>/dev/null
check_eq "the flows ran during the whole fuzzing" 0 $?
touch fuzz.done
wait $send1 $send2
touch sink.stop
wait $sink1 $sink2
cat fuzz.out
sed 's/^/# /' fuzz.err
check_eq "nlfuzz exit status" 0 "$rc"
n=$(sed -n "s/^# nlfuzz: \([0-9]*\) messages, seed $SEED, .*/\1/p" fuzz.out)
if [ -n "$n" ] && [ "$n" -ge "$COUNT" ]; then
	check_eq "nlfuzz sent at least $COUNT messages ($n)" ok ok
else
	fail "nlfuzz did not report $COUNT messages (got '$n')"
fi
check_match "nlfuzz: no lost reply, no mismatch, no unexpected success" \
	'lost 0, mismatches 0, unexpected successes 0$' "$(grep '^# nlfuzz: replies' fuzz.out)"
if [ "$a1" -gt "$a0" ] && [ "$d1" -gt "$d0" ]; then
	check_eq "packets counted while fuzzing" ok ok
else
	fail "no traffic counted while fuzzing (allowed $a0 -> $a1, dropped $d0 -> $d1)"
fi

# The policy did not move.
after=$(snapshot)
check_eq "policy snapshot after the fuzzing" "$before" "$after"
check_eq "generation after" "$gen0" "$(sys_read $S/generation)"

# The traffic: exact deliveries and exact counters (128-byte packets).
na=$(cat allowed.sent)
nd=$(cat denied.sent)
check_match "allowed datagrams sent" '^[1-9][0-9]*$' "$na"
check_match "denied datagrams sent" '^[1-9][0-9]*$' "$nd"
check_eq "allowed flow delivered" "$na" "$(cat allowed.got)"
check_eq "denied flow delivered" 0 "$(cat denied.got)"
D=$S/devices/lobby-1
check_eq "lobby-1 counters" "allowed_packets:$na
allowed_bytes:$((na * 128))
dropped_packets:$nd
dropped_bytes:$((nd * 128))
monitored_packets:0
spoofed_packets:0" "$(counters lobby-1)"
check_eq "lobby-1 last_drop" "udp 203.0.113.7:6800" "$(sys_read $D/last_drop)"
for d in garage-2 door-3; do
	check_eq "$d: no traffic counted" "allowed_packets:0
allowed_bytes:0
dropped_packets:0
dropped_bytes:0
monitored_packets:0
spoofed_packets:0" "$(counters $d)"
done
check_eq "global stats" "allowed_packets:$na
dropped_packets:$nd
unknown_packets:0
spoofed_packets:0
monitored_packets:0" "$(cd $S/stats && grep -H "" allowed_packets dropped_packets unknown_packets spoofed_packets monitored_packets)"
check_match "GET_DEVICE counters" \
	" allowed_packets=$na allowed_bytes=$((na * 128)) dropped_packets=$nd dropped_bytes=$((nd * 128)) monitored_packets=0 spoofed_packets=0 " \
	"$(nltest get lobby-1)"

# The rules still act: the end of the port range passes, the next port not.
rm -f sink.stop
ip netns exec nvr cftraffic udp-sink -t 200 -f sink.stop 10.99.0.5 5010 > p5010.got &
sink1=$!
ip netns exec nvr cftraffic udp-sink -t 200 -f sink.stop 10.99.0.5 5011 > p5011.got &
sink2=$!
{ wait_listen nvr udp 5010 && wait_listen nvr udp 5011; } || fail "sinks 5010/5011"
ip netns exec cam cftraffic udp-send 10.99.0.5 5010 3 100 > /dev/null
ip netns exec cam cftraffic udp-send 10.99.0.5 5011 2 100 > /dev/null
busywait "$(cf_ms 20000)" counter_ge $D/dropped_packets $((nd + 2))
touch sink.stop
wait $sink1 $sink2
check_eq "udp 5010 (range end) still allowed" 3 "$(cat p5010.got)"
check_eq "udp 5011 still denied" 0 "$(cat p5011.got)"
check_eq "counters after the probe" "$((na + 3)) $((nd + 2))" \
	"$(sys_read $D/allowed_packets) $(sys_read $D/dropped_packets)"

# The fuzzer notices a commit made behind its back (so it can fail): a
# second client commits an empty policy after nlfuzz's fuzzing and before
# its final GET_STATS (-w: nlfuzz has closed its sockets, so no transaction
# of its own is left, and waits for go.flag). Not raced against the
# fuzzing's own transactions, which once outlasted the commit's retries.
rm -f go.flag
nlfuzz -n 5000 -s "$SEED" -w go.flag > fuzz2.out 2> fuzz2.err &
fz=$!
busywait "$(cf_ms 300000)" grep -q '^# nlfuzz: fuzzing done, waiting for go.flag' fuzz2.out ||
	fail "nlfuzz did not finish its fuzzing: $(tail -n 3 fuzz2.out fuzz2.err)"
check_rc "foreign commit while nlfuzz waits" 0 nltest begin commit
touch go.flag
rc=0
wait $fz || rc=$?
check_eq "nlfuzz exit status after a foreign commit" 1 "$rc"
check_match "nlfuzz reports the change" 'GET_STATS changed: generation 1 -> 2' "$(cat fuzz2.err)"

# No reference left behind; the module unloads.
check_eq "module reference count" "$ref0" "$(refcnt)"
check_rc "modprobe -r camfence" 0 modprobe -r camfence
check_eq "module gone" "" "$(refcnt)"

T_END=$(date +%s%3N)
echo "# nlfuzz test: setup $(((T_SETUP - T_START) / 1000)) s, until the fuzzing $(((t0 - T_SETUP) / 1000)) s, after it $(((T_END - t1) / 1000)) s"
echo "# nlfuzz test: fuzzing $(((t1 - t0) / 1000)).$(((t1 - t0) % 1000 / 100)) s, whole test $(((T_END - T_START) / 1000)) s;" \
	"traffic during the fuzzing: $((a1 - a0)) allowed, $((d1 - d0)) dropped packets"
test_done
