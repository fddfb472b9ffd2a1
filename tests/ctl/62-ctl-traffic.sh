#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# cf-timeout: 180
# camfencectl against real traffic, in a router namespace with its own
# policy: show counters and evidence, learn, unknown, stats, monitor.
#
#   c1 (lobby-1, 44:19:b6:00:00:01)     rtr                    inet
#   10.20.0.11 eth0 ------------ cam0 10.20.0.1
#                                       wan0 203.0.113.1 ---- eth0 203.0.113.7
#   rg (rogue, 02:00:00:00:00:99)                                   203.0.113.8
#   10.21.0.99 eth0 ------------ cam1 10.21.0.1
#
# zone cameras = interfaces cam0, cam1; lobby-1 may only reach 10.20.0.1
# udp 53,123. IPv6 is off and neighbours are static so that only the
# datagrams sent here cross the hooks.
source "$CF_TOP/tests/lib.sh"

R="ip netns exec rtr"
cf_netns rtr c1 rg inet || fail "netns"
for ns in rtr c1 rg inet; do
	ip netns exec $ns sysctl -qw net.ipv6.conf.all.disable_ipv6=1 net.ipv6.conf.default.disable_ipv6=1
done
if ! { cf_veth c1 eth0 rtr cam0 && cf_veth rg eth0 rtr cam1 && cf_veth inet eth0 rtr wan0; }; then
	fail "veth"
fi
ip -n c1 link set eth0 address 44:19:b6:00:00:01
ip -n rg link set eth0 address 02:00:00:00:00:99
ip -n c1 addr add 10.20.0.11/24 dev eth0
ip -n rg addr add 10.21.0.99/24 dev eth0
ip -n rtr addr add 10.20.0.1/24 dev cam0
ip -n rtr addr add 10.21.0.1/24 dev cam1
ip -n rtr addr add 203.0.113.1/24 dev wan0
ip -n inet addr add 203.0.113.7/24 dev eth0
ip -n inet addr add 203.0.113.8/24 dev eth0
ip -n c1 route add default via 10.20.0.1
ip -n rg route add default via 10.21.0.1
ip -n inet route add default via 203.0.113.1
$R sysctl -qw net.ipv4.ip_forward=1
ip -n c1 neigh replace 10.20.0.1 lladdr "$(ip -n rtr -br link show cam0 | awk '{print $3}')" dev eth0 nud permanent
ip -n rg neigh replace 10.21.0.1 lladdr "$(ip -n rtr -br link show cam1 | awk '{print $3}')" dev eth0 nud permanent
ip -n rtr neigh replace 10.20.0.11 lladdr 44:19:b6:00:00:01 dev cam0 nud permanent
ip -n rtr neigh replace 10.21.0.99 lladdr 02:00:00:00:00:99 dev cam1 nud permanent
ip -n rtr neigh replace 203.0.113.7 lladdr "$(ip -n inet -br link show eth0 | awk '{print $3}')" dev wan0 nud permanent
ip -n rtr neigh replace 203.0.113.8 lladdr "$(ip -n inet -br link show eth0 | awk '{print $3}')" dev wan0 nud permanent

cat > site.conf <<'CONF'
mode enforce
zone cameras {
    interface cam0
    interface cam1
    unknown drop
}
profile cam {
    allow to 10.20.0.1 udp 53,123
}
device lobby-1 {
    mac 44:19:b6:00:00:01
    ip 10.20.0.11
    profile cam
}
CONF
out=$($R camfencectl load site.conf)
check_eq "load in the router netns" "added: lobby-1
generation 1: 1 added, 0 removed, 0 changed, 0 unchanged" "$out"
check_eq "init_net untouched" 0 "$(sys_read /sys/kernel/camfence/generation)"

# camfenced in the same namespace: loads the same file, logs the events
$R camfenced -f -c "$PWD/site.conf" 2> daemon.log &
dpid=$!
busywait "$(cf_ms 20000)" grep -q "policy unchanged: generation 1 (1 devices)" daemon.log ||
	fail "camfenced did not load the policy: $(cat daemon.log)"

$R camfencectl monitor > monitor.txt 2> monitor.err &
mon=$!
$R camfencectl -j monitor > monitor.json 2>&1 &
monj=$!
sleep 1	# let both subscribe

# allowed first: the sinks stop after a few seconds of silence
$R cftraffic udp-sink -f done53 -t 5000 10.20.0.1 53 > sink53.txt &
sink53=$!
wait_listen rtr udp 53 10000 || fail "sink on 10.20.0.1:53"
ip netns exec c1 cftraffic udp-send -p 40003 10.20.0.1 53 4
touch done53
wait $sink53

ip netns exec inet cftraffic udp-sink -f done6800 -t 8000 203.0.113.7 6800 > sink6800.txt &
sink6800=$!
wait_listen inet udp 6800 10000 || fail "sink on 203.0.113.7:6800"
ip netns exec c1 cftraffic udp-send -p 40000 203.0.113.7 6800 5
ip netns exec c1 cftraffic udp-send -p 40001 203.0.113.7 53 2
ip netns exec c1 cftraffic udp-send -p 40002 203.0.113.8 8800 3
ip netns exec rg cftraffic udp-send -p 41000 203.0.113.7 6800 3
touch done6800
wait $sink6800
check_eq "nothing reached the internet" 0 "$(cat sink6800.txt)"
check_eq "allowed DNS datagrams arrived" 4 "$(cat sink53.txt)"

out=$($R camfencectl show | tr -s ' ')
check_eq "show (counters kept across camfenced's commit)" "NAME MAC MODE ALLOWED DROPPED MONITORED SPOOFED LAST-DROP VENDOR
lobby-1 44:19:b6:00:00:01 enforce 4 10 0 0 udp 203.0.113.8:8800 Hikvision" "$out"

j=$($R camfencectl show lobby-1 -j)
ev=$(python3 -c '
import json, sys
d = json.load(sys.stdin)
for e in sorted(d["evidence"], key=lambda e: (e["peer"], e["port"])):
    print(e["dir"], e["peer"], e["proto"], e["port"], e["reason"], e["count"], int(e["last_seen"] > 0))
' <<< "$j")
check_eq "evidence table" "to 203.0.113.7 udp 53 no-rule 2 1
to 203.0.113.7 udp 6800 no-rule 5 1
to 203.0.113.8 udp 8800 no-rule 3 1" "$ev"
check_eq "show -j last_drop" "udp 203.0.113.8:8800" \
	"$(python3 -c 'import json,sys; print(json.load(sys.stdin)["last_drop"])' <<< "$j")"
out=$($R camfencectl show lobby-1 | sed -n '/^denied destinations:/,$p' | awk 'NR>1 && /^  /{print $1,$2,$3,$4,$5,$6}')
check_eq "show NAME denied-destination table" "PEER DIR PROTO PORT REASON COUNT
203.0.113.7 to udp 6800 no-rule 5
203.0.113.7 to udp 53 no-rule 2
203.0.113.8 to udp 8800 no-rule 3" "$(head -1 <<< "$out"; tail -n +2 <<< "$out" | sort -k1,1 -k4,4r)"

# the site report from the kernel's data (live, not --from)
out=$($R camfencectl report -o report.html); rc=$?
check_eq "report: exit" 0 "$rc"
check_eq "report: where" "report written to report.html (1 device)" "$out"
check_eq "report: summary" "1 camera; 1 tried to reach the internet 10 times; 0 connections got through." \
	"$(sed -n 's/.*<p class="summary"[^>]*>\(.*\)<\/p>.*/\1/p' report.html | sed 's/<[^>]*>//g')"
check_eq "report -j: the evidence of the dump" "lobby-1 3 10" "$($R camfencectl -j report | python3 -c '
import json, sys
d = json.load(sys.stdin)["devices"][0]
print(d["name"], len(d["evidence"]), sum(e["count"] for e in d["evidence"]))')"

out=$($R camfencectl learn lobby-1); rc=$?
check_eq "learn: exit" 0 "$rc"
check_eq "learn: rules" "allow to 203.0.113.7 udp 53,6800
allow to 203.0.113.8 udp 8800" "$out"
printf 'profile learned {\n%s\n}\n' "$out" > learned.conf
check_rc "learned rules parse" 0 camfencectl check learned.conf
check_eq "learn -j" '{"device":"lobby-1","rules":["allow to 203.0.113.7 udp 53,6800","allow to 203.0.113.8 udp 8800"],"peer_rules":[]}' \
	"$($R camfencectl learn lobby-1 -j)"
out=$($R camfencectl learn lobby-1 --profile lobby-learned); rc=$?
check_eq "learn --profile: exit" 0 "$rc"
check_eq "learn --profile: the device's profile and the learned rules" "# camfencectl learn lobby-1 --profile lobby-learned (generation 1): the rules of
# profile cam, which lobby-1 uses, then what lobby-1 was denied.
profile lobby-learned {
    allow to 10.20.0.1 udp 53,123
    # learned from lobby-1's denied destinations
    allow to 203.0.113.7 udp 53,6800
    allow to 203.0.113.8 udp 8800
}" "$out"
echo "$out" > lobby-learned.conf
check_eq "learn --profile: it checks" "lobby-learned.conf: ok: 0 zones, 1 profiles, 0 devices" "$(camfencectl check lobby-learned.conf 2>&1)"
out=$($R camfencectl learn lobby-1 --profile 'bad name' 2>&1); rc=$?
check_eq "learn --profile with a bad name" "2 camfencectl: --profile: invalid name 'bad name' (1 to 32 of A-Z a-z 0-9 . _ -)" "$rc $out"
# a peer that is a device: its profile needs the other direction (the
# evidence stays across commits: devices are matched by MAC)
cp site.conf site2.conf
printf 'device far-8 {\n    mac 02:00:00:00:00:08\n    ip 203.0.113.8\n    profile cam\n}\n' >> site2.conf
$R camfencectl load site2.conf > /dev/null || fail "load site2.conf"
check_eq "learn: the peer device's rule proposed" "allow to 203.0.113.7 udp 53,6800
allow to 203.0.113.8 udp 8800
# device far-8 (profile cam) needs: allow from 10.20.0.11 udp 8800" "$($R camfencectl learn lobby-1)"
check_eq "learn -j: peer_rules" '{"device":"lobby-1","rules":["allow to 203.0.113.7 udp 53,6800","allow to 203.0.113.8 udp 8800"],"peer_rules":[{"device":"far-8","profile":"cam","rule":"allow from 10.20.0.11 udp 8800"}]}' \
	"$($R camfencectl learn lobby-1 -j)"
$R camfencectl load site.conf > /dev/null || fail "load site.conf again"

out=$($R camfencectl unknown | awk '{print $1,$2,$3,$4,$5,$8,$9}')
check_eq "unknown" "MAC ZONE VLAN IFNAME ADDRESS PACKETS VENDOR
02:00:00:00:00:99 cameras - cam1 10.21.0.99 3 randomised" "$out"
check_eq "unknown --csv (the draft of the unknown box)" "name,mac,ips,profile,mode,vendor,zone
# 02:00:00:00:00:99: randomised is not a known camera maker: review the profile
local-000099,02:00:00:00:00:99,10.21.0.99,generic-onvif,monitor,randomised,cameras" \
	"$($R camfencectl unknown --csv | grep -v '^# camfence\|^# from')"
check_eq "unknown -j" "02:00:00:00:00:99 cameras 0 cam1 10.21.0.99 3 1" \
	"$($R camfencectl unknown -j | python3 -c '
import json, sys
for u in json.load(sys.stdin)["unknown"]:
    print(u["mac"], u["zone"], u["vlan"], u["ifname"], u["address"], u["packets"], int(u["first_seen"] > 0 and u["last_seen"] >= u["first_seen"]))')"
check_eq "unknown -j vendor" "randomised False" \
	"$($R camfencectl unknown -j | python3 -c 'import json, sys; u = json.load(sys.stdin)["unknown"][0]; print(u["vendor"], u["camera_vendor"])')"

st=$($R camfencectl stats -j)
check_eq "stats counters" "4 13 3 0" "$(python3 -c '
import json, sys
s = json.load(sys.stdin)["stats"]
print(s["allowed_packets"], s["dropped_packets"], s["unknown_packets"], s["spoofed_packets"])' <<< "$st")"

m=$($R camfencectl metrics)
check_eq "metrics: device dropped" 'camfence_device_dropped_packets_total{device="lobby-1",mac="44:19:b6:00:00:01"} 10' \
	"$(grep '^camfence_device_dropped_packets_total' <<< "$m")"
check_eq "metrics: device allowed" 'camfence_device_allowed_packets_total{device="lobby-1",mac="44:19:b6:00:00:01"} 4' \
	"$(grep '^camfence_device_allowed_packets_total' <<< "$m")"
check_eq "metrics: unknown" "camfence_unknown_packets_total 3" "$(grep '^camfence_unknown_packets_total' <<< "$m")"

sleep 0.5	# events are sent from a work item
kill -INT $mon $monj
wait $mon; rc=$?
check_eq "monitor exits 0 on SIGINT" 0 "$rc"
wait $monj
check_eq "monitor: no error output" "" "$(cat monitor.err)"
first=$(grep -m1 ' lobby-1 ' monitor.txt)
check_match "monitor: event line" \
	'^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}\.[0-9]{3}Z dropped lobby-1 44:19:b6:00:00:01 to udp 10\.20\.0\.11:40000 -> 203\.0\.113\.7:6800 reason no-rule zone cameras$' \
	"$first"
check_eq "monitor: an event per destination of lobby-1" 3 \
	"$(grep ' lobby-1 ' monitor.txt | awk '{print $9}' | sort -u | wc -l)"
check_match "monitor: the rogue device" \
	' dropped unknown 02:00:00:00:00:99 to udp 10\.21\.0\.99:41000 -> 203\.0\.113\.7:6800 reason unknown-device' \
	"$(cat monitor.txt)"
check_eq "monitor -j: valid JSON lines, lobby-1 events" 1 "$(python3 -c '
import json, sys
ev = [json.loads(l) for l in open("monitor.json")]
print(int(any(e["device"] == "lobby-1" and e["dport"] == 6800 and e["verdict"] == "dropped" for e in ev)))')"
check_eq "monitor -j: time is RFC 3339 (UTC, ns), timestamp its integer seconds" "ok" "$(python3 -c '
import json, re, calendar
bad = []
for l in open("monitor.json"):
    e = json.loads(l)
    m = re.fullmatch(r"(\d{4})-(\d\d)-(\d\d)T(\d\d):(\d\d):(\d\d)\.(\d{9})Z", e["time"])
    if not m or e["timestamp"] != e["timestamp_ns"] // 10**9 or \
       calendar.timegm(tuple(int(x) for x in m.groups()[:6])) != e["timestamp"] or \
       int(m.group(7)) != e["timestamp_ns"] % 10**9:
        bad.append(e["time"])
print("ok" if not bad else bad)')"
check_match "camfenced logs the denied connection" \
	'<5>[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9:.]+Z dropped lobby-1 44:19:b6:00:00:01 to udp 10\.20\.0\.11:40000 -> 203\.0\.113\.7:6800 reason no-rule zone cameras' \
	"$(cat daemon.log)"
check_match "camfenced logs the rogue device" ' dropped unknown 02:00:00:00:00:99 to udp ' "$(cat daemon.log)"
kill -TERM $dpid
wait $dpid; rc=$?
check_eq "camfenced: SIGTERM exit" 0 "$rc"
check_eq "policy stays after camfenced exits" 1 "$($R camfencectl stats -j | python3 -c 'import json,sys; print(json.load(sys.stdin)["device_count"])')"
test_done
