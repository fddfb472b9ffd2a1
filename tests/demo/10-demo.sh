#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# cf-timeout: 300
#
# The demo (examples/demo/run.sh, what `make demo` runs) as a test: the site is
# built, site.conf loaded, the devices run, and the verdict must be PASS. On
# top of run.sh's own verdict, this asserts key numbers independently, from
# the devices' logs and the kernel's counters:
#   - the cloud endpoints received 0 packets/connections from enforced cameras
#   - the NVR pulled RTSP and SDK from all 4 cameras
#   - no camera accepted a connection from another camera
#   - cam-gate's evidence table counts exactly the P2P datagrams it sent
#   - the cameras' profiles are the shipped vendor profiles, expanded with
#     the site's defines exactly as the profile files say (both families)
#   - the rogue MAC is in the unknown table; sysfs shows 5 devices, 1 commit
#   - the EZVIZ camera plugged in halfway reached nothing, is recognised as
#     a Hikvision-family camera and drafted with the hikvision profile
source "$CF_TOP/tests/lib.sh"

DEMO=$CF_TOP/examples/demo
LOG=$PWD/log
PY=$(command -v /usr/bin/python3 || command -v python3)

[ -x "$DEMO/run.sh" ] || fail "examples/demo/run.sh missing"

rc=0
# The site runs 12 s, x CF_SCALE on the debug kernel: there, at host load 6,
# the cameras' scans outlasted 12 s, so their routine traffic (DNS, NTP,
# cloud), which starts after every scan, never ran (fakes.py, camera()).
CF_DEMO_LOGDIR=$LOG CF_DEMO_DURATION=${CF_DEMO_DURATION:-$((12 * CF_SCALE))} \
	"$DEMO/run.sh" > out.txt 2>&1 || rc=$?
sed 's/^/# /' out.txt
out=$(cat out.txt)

check_eq "run.sh exit status" 0 "$rc"
check_match "verdict line" $'(^|\n)VERDICT: PASS — no camera in enforce mode reached the internet or another camera' "$out"
check_eq "one VERDICT line" 1 "$(grep -c '^VERDICT:' out.txt)"

# count EXPR [KEY]: number of events in the devices' log matching a python expression
count() {
	"$PY" - "$LOG/events.jsonl" "$DEMO/devices.csv" "$@" <<'EOF'
import csv, json, os, sys
# a camera: a device whose profile is a shipped vendor profile (profiles/)
vendor = lambda d: os.path.exists(os.path.join(os.environ["CF_TOP"], "profiles",
                                               d["profile"] + ".conf"))
devs = list(csv.DictReader(open(sys.argv[2])))
cams = {ip: d["name"] for d in devs if vendor(d) for ip in d["ips"].split(";")}
enforced = {d["name"] for d in devs if vendor(d) and d["mode"] != "monitor"}
ev = [json.loads(l) for l in open(sys.argv[1])]
sel = [e for e in ev if eval(sys.argv[3])]
print(len({eval(sys.argv[4]) for e in sel}) if len(sys.argv) > 4 else len(sel))
EOF
}

# count_set EXPR KEY: number of distinct KEY values among matching events
count_set() { count "$1" "$2"; }

check_eq "cloud: arrivals from enforced cameras" 0 \
	"$(count 'e["who"] == "cloud" and cams.get(e["src"]) in enforced')"
check_eq "cameras the NVR pulled RTSP from" 4 \
	"$(count_set 'e["ev"] == "pull" and e["what"] == "rtsp" and e["ok"]' 'e["cam"]')"
check_eq "cameras the NVR reached on the SDK port" 4 \
	"$(count_set 'e["ev"] == "pull" and e["what"] == "sdk" and e["ok"]' 'e["cam"]')"
check_eq "cameras in devices.csv (vendor profiles)" "cam-lobby cam-garage cam-gate cam-yard" \
	"$("$PY" -c '
import csv, os, sys
print(" ".join(d["name"] for d in csv.DictReader(open(sys.argv[1]))
               if os.path.exists(os.path.join(sys.argv[2], "profiles", d["profile"] + ".conf"))))' \
	"$DEMO/devices.csv" "$CF_TOP")"
for r in 10.20.0.1 fd00:20::1; do
	check_eq "cameras whose DNS query the router answered on $r" 4 \
		"$(count_set 'e["ev"] == "try" and e["what"] == "dns-router" and e["ok"] and e["who"] in cams.values() and e["dst"] == "'$r'"' 'e["who"]')"
done
check_eq "camera-to-camera connections accepted" 0 \
	"$(count 'e["ev"] == "accept" and e["who"] in cams.values() and e["src"] in cams')"
scans=$(count 'e["ev"] == "try" and e.get("what") == "scan"')
check_match "camera scans were attempted" '^[1-9][0-9]*$' "$scans"
check_eq "rogue attempts that succeeded" 0 \
	"$(count 'e["who"] == "rogue" and e["ev"] == "try" and e["ok"]')"

# Exact: every P2P datagram cam-gate (enforce) sent is one denied packet in
# its evidence entry for 198.51.100.20 udp/8800.
sent=$(($(count 'e["who"] == "cam-gate" and e.get("what") == "dahua-p2p"') * 3))
check_match "cam-gate sent P2P datagrams" '^[1-9][0-9]*$' "$sent"
camfencectl -j show cam-gate > gate.json
denied=$("$PY" -c '
import json, sys
d = json.load(open(sys.argv[1]))
ev = d["evidence"]
print(sum(e["count"] for e in ev if e["peer"] == "198.51.100.20"
          and e["proto"] == "udp" and e["port"] == 8800))' gate.json)
check_eq "cam-gate evidence count for 198.51.100.20 udp/8800" "$sent" "$denied"

# DNS names as evidence: cam-gate asked the router (allowed by its profile's
# $router rules, both families) and the public resolver (denied) for its P2P
# cloud; each query is counted once under its verdict.
check_eq "cam-gate dns names: www.easy4ipcloud.com allowed, dropped" \
	"$(count 'e["who"] == "cam-gate" and e.get("what") == "dns-router"') $(count 'e["who"] == "cam-gate" and e.get("what") == "dns-public"')" \
	"$("$PY" -c '
import json, sys
n = {e["verdict"]: e["count"] for e in json.load(open(sys.argv[1]))["dns"]["names"]
     if e["name"] == "www.easy4ipcloud.com"}
print(n.get("allowed"), n.get("dropped"))' gate.json)"

# Each enforced camera's evidence names the cloud it tried.
for cam in cam-lobby cam-garage; do
	camfencectl -j show $cam > $cam.json
	check_eq "$cam evidence: Hik-Connect 203.0.113.10 tcp/443 denied" 1 \
		"$("$PY" -c '
import json, sys
ev = json.load(open(sys.argv[1]))["evidence"]
print(sum(1 for e in ev if e["peer"] == "203.0.113.10" and e["proto"] == "tcp"
          and e["port"] == 443 and e["dir"] == "to" and e["count"] > 0))' $cam.json)"
done

check_match "camfencectl unknown lists the rogue" 'b8:27:eb:66:66:66' \
	"$(tr 'A-F' 'a-f' < "$LOG/unknown.txt")"
check_eq "sysfs device_count" 5 "$(sys_read /sys/kernel/camfence/device_count)"
check_eq "sysfs generation (one load)" 1 "$(sys_read /sys/kernel/camfence/generation)"
check_eq "cam-yard mode" monitor "$(sys_read /sys/kernel/camfence/devices/cam-yard/mode)"
check_match "cam-yard monitored_packets > 0" '^[1-9][0-9]*$' \
	"$(sys_read /sys/kernel/camfence/devices/cam-yard/monitored_packets)"

# The policy is the shipped vendor profiles with the site's defines: the
# expected rules are computed from profiles/NAME.conf and site.conf's define
# lines (one rule per address of a parameter, icmp -> icmpv6 for IPv6) and
# must be exactly what camfencectl reads from site.conf.
expand() {
	"$PY" - "$CF_TOP/profiles/$1.conf" "$DEMO/site.conf" <<'EOF'
import re, sys
defs = {}
for l in open(sys.argv[2]):
    m = re.match(r"define (\w+) = ([^#]*)", l)
    if m:
        defs[m[1]] = [a.strip() for a in m[2].split(",")]
body = open(sys.argv[1]).read().split("{", 1)[1].split("}", 1)[0]
for l in body.splitlines():
    l = l.split("#")[0].split()
    if not l:
        continue
    for a in defs[l[2][1:]]:
        r = l[:2] + [a] + l[3:]
        if ":" in a and r[3] == "icmp":
            r[3] = "icmpv6"
        print("    " + " ".join(r))
EOF
}
camfencectl check --print "$DEMO/site.conf" > print.txt 2>&1
for p in hikvision dahua; do
	check_eq "profile $p: the shipped file with the site's defines" \
		"$(printf 'profile %s {\n%s\n}' "$p" "$(expand $p)")" \
		"$(sed -n "/^profile $p {/,/^}/p" print.txt)"
done
check_eq "hikvision: rules after expansion (7 lines x 2 families, operators IPv4 only)" 13 \
	"$(sed -n '/^profile hikvision {/,/^}/p' print.txt | grep -c '^    allow')"
check_eq "site.conf includes the shipped profiles from the tree" \
'include "../../profiles/hikvision.conf"
include "../../profiles/dahua.conf"
include "devices.csv"' "$(grep '^include' "$DEMO/site.conf")"
for d in cam-lobby:hikvision cam-garage:hikvision cam-gate:dahua cam-yard:dahua; do
	check_eq "sysfs ${d%%:*}/profile" "${d#*:}" "$(sys_read /sys/kernel/camfence/devices/${d%%:*}/profile)"
done

# The EZVIZ camera plugged in halfway (not in devices.csv): it reached
# nothing, and camfencectl recognises it and drafts its line.
check_match "cam-new tried" '^[1-9][0-9]*$' "$(count 'e["who"] == "cam-new" and e["ev"] == "try"')"
check_eq "cam-new attempts that succeeded" 0 \
	"$(count 'e["who"] == "cam-new" and e["ev"] == "try" and e["ok"]')"
check_eq "arrivals anywhere from cam-new (10.20.0.15)" 0 \
	"$(count 'e.get("src") == "10.20.0.15" and e["ev"] in ("rx", "accept", "heard")')"
check_match "camfencectl unknown: cam-new with its vendor" \
	'(^|'$'\n'')64:f2:fb:00:00:15 +cameras +20 +br0(\.20)? +10\.20\.0\.15 .* EZVIZ \(Hikvision\)($|'$'\n'')' \
	"$(cat "$LOG/unknown.txt")"
check_eq "unknown --csv: the drafted line of the new camera" \
	'ezviz-000015,64:f2:fb:00:00:15,10.20.0.15,hikvision,monitor,"Hangzhou Ezviz Software Co.,Ltd.",cameras' \
	"$(grep '^ezviz-' "$LOG/draft.csv")"
check_eq "unknown --csv: the rogue is no camera maker" \
	'# b8:27:eb:66:66:66: Raspberry Pi Foundation is not a known camera maker: review the profile
raspberry-666666,b8:27:eb:66:66:66,10.20.0.66,generic-onvif,monitor,"Raspberry Pi Foundation",cameras' \
	"$(grep -i 'raspberry' "$LOG/draft.csv")"

# The verdict can fail: the same logs with one datagram from cam-lobby at
# the Dahua P2P server and one camera-to-camera connection must give FAIL.
cp "$LOG/events.jsonl" bad.jsonl
{
	echo '{"t": 0, "who": "cloud", "ev": "rx", "proto": "udp", "svc": "dahua-p2p", "port": 8800, "src": "10.20.0.11", "dst": "198.51.100.20"}'
	echo '{"t": 0, "who": "cam-gate", "ev": "accept", "proto": "tcp", "port": 554, "src": "10.20.0.12", "dst": "10.20.0.13"}'
} >> bad.jsonl
mkdir -p bad && mv bad.jsonl bad/events.jsonl
rc=0
"$PY" "$DEMO/verdict.py" bad --unknown "$LOG/unknown.txt" > bad.txt || rc=$?
check_eq "verdict on doctored logs: exit status" 1 "$rc"
check_match "verdict on doctored logs: the cloud leak" \
	'FAIL  cloud endpoints received 1 connections/datagrams from enforced cameras' "$(cat bad.txt)"
check_match "verdict on doctored logs: the camera-to-camera leak" \
	'FAIL  camera-to-camera connections accepted: 1 .*cam-garage -> cam-gate:554' "$(cat bad.txt)"
check_match "verdict on doctored logs: FAIL line" \
	$'(^|\n)VERDICT: FAIL — 2 check\(s\) failed' "$(cat bad.txt)"

# The site was torn down: no namespace and no bridge left behind.
check_eq "site namespaces left" "" \
	"$(ip netns list | grep -E '^(nvr|cam-[a-z]+|internet|floor-sw|office-pc|rogue)( |$)')"
check_eq "br0 removed" "" "$(ip -br link show dev br0 2>/dev/null)"

test_done
