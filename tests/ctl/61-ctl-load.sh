#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# cf-timeout: 240
# camfencectl load/show/stats/mode/flush/metrics against the real module:
# exact added/removed/changed lines and generations, a load refused by the
# kernel leaving the policy unchanged, JSON field names = sysfs file names,
# EPERM without CAP_NET_ADMIN.
source "$CF_TOP/tests/lib.sh"

SYS=/sys/kernel/camfence

cat > v1.conf <<'CONF'
mode enforce
zone cameras {
    interface cam0
}
profile nvr-only {
    allow from 10.20.0.5 tcp 554,80,8000
    allow to 10.20.0.1 udp 53,123
}
device lobby-1 {
    mac 44:19:b6:00:00:01
    ip 10.20.0.11
    ip fd00:20::11
    profile nvr-only
}
device garage-2 {
    mac 3c:ef:8c:00:00:02
    ip 10.20.0.12
    profile nvr-only
    mode monitor
}
include "v1.csv"
CONF
cat > v1.csv <<'CSV'
name,mac,ips,profile,mode
yard-3,44:19:b6:00:00:03,10.20.0.13,nvr-only,
CSV

# v2: lobby-1 unchanged, garage-2 changed (mode), yard-3 removed, gate-4 added
sed -e '/mode monitor/d' -e 's/v1.csv/v2.csv/' v1.conf > v2.conf
cat > v2.csv <<'CSV'
name,mac,ips,profile,mode
gate-4,44:19:b6:00:00:04,10.20.0.14,nvr-only,monitor
CSV

# v3 is valid for the parser but over the kernel's max_rules (64)
{
	cat v2.conf
	echo "profile big {"
	for i in $(seq 1 65); do echo "    allow to 10.30.0.$i udp 53"; done
	echo "}"
	echo "device big-5 {"
	echo "    mac 44:19:b6:00:00:05"
	echo "    profile big"
	echo "}"
} > v3.conf

out=$(camfencectl stats -j)
check_eq "stats -j before any load" \
	'{"mode":"enforce","generation":0,"device_count":0,"sealed":true,"version":"'"$(cat "$CF_TOP/VERSION")"'","offload":[],"stats":{"allowed_packets":0,"dropped_packets":0,"unknown_packets":0,"spoofed_packets":0,"monitored_packets":0,"events_suppressed":0,"unknown_not_recorded":0,"evidence_not_recorded":0}}' \
	"$out"

out=$(camfencectl load v1.conf 2>&1); rc=$?
check_eq "load v1: exit" 0 "$rc"
check_eq "load v1: output" "added: garage-2, lobby-1, yard-3
generation 1: 3 added, 0 removed, 0 changed, 0 unchanged" "$out"
check_eq "sysfs generation after v1" 1 "$(sys_read $SYS/generation)"
check_eq "sysfs device_count after v1" 3 "$(sys_read $SYS/device_count)"

out=$(camfencectl show | tr -s ' ')
check_eq "show after v1" "NAME MAC MODE ALLOWED DROPPED MONITORED SPOOFED LAST-DROP VENDOR
garage-2 3c:ef:8c:00:00:02 monitor 0 0 0 0 - Dahua
lobby-1 44:19:b6:00:00:01 enforce 0 0 0 0 - Hikvision
yard-3 44:19:b6:00:00:03 enforce 0 0 0 0 - Hikvision" "$out"

# reloading the same file changes nothing: no commit, same generation
out=$(camfencectl load v1.conf 2>&1)
check_eq "load v1 again" "no change: generation 1 stays (3 devices unchanged)" "$out"
check_eq "load v1 again: sysfs generation" 1 "$(sys_read $SYS/generation)"

out=$(camfencectl load v2.conf 2>&1); rc=$?
check_eq "load v2: exit" 0 "$rc"
check_eq "load v2: output" "added: gate-4
removed: yard-3
changed: garage-2
generation 2: 1 added, 1 removed, 1 changed, 1 unchanged" "$out"

before=$(camfencectl show -j)
out=$(camfencectl load v3.conf 2>&1); rc=$?
check_eq "load over max_rules: exit" 1 "$rc"
check_match "load over max_rules: the kernel's message" \
	"^camfencectl: kernel: profile big: 65 rules" "$out"
check_eq "load over max_rules: one line" 1 "$(printf '%s\n' "$out" | wc -l)"
check_eq "failed load: show unchanged" "$before" "$(camfencectl show -j)"
check_eq "failed load: generation unchanged" 2 "$(sys_read $SYS/generation)"
# the transaction was aborted: another load works at once
out=$(camfencectl load v2.conf 2>&1)
check_eq "load after a failed one" "no change: generation 2 stays (3 devices unchanged)" "$out"

# JSON: field names equal the sysfs file names, values equal (vendor,
# camera_vendor and camera_family come from the IEEE registry, not sysfs)
json=$(camfencectl -j show)
fields=$(python3 -c 'import json,sys; d=json.load(sys.stdin)["devices"]; print(" ".join(sorted(d[0].keys())))' <<< "$json")
check_eq "show -j fields" "addresses allowed_bytes allowed_packets camera_family camera_vendor dropped_bytes dropped_packets effective_mode events_suppressed last_drop last_seen last_seen_time mac mode monitored_packets name profile spoofed_packets vendor" "$fields"
for p in "$SYS"/devices/lobby-1/*; do
	f=${p##*/}
	case "$f" in mode) continue ;; esac  # sysfs mode: effective; JSON has both
	check_eq "sysfs devices/lobby-1/$f has a JSON field" 1 \
		"$(python3 -c 'import json,sys; print(int(sys.argv[1] in json.load(sys.stdin)["devices"][2]))' "$f" <<< "$json")"
done
check_eq "show -j names, sorted" "garage-2 gate-4 lobby-1" \
	"$(python3 -c 'import json,sys; print(" ".join(d["name"] for d in json.load(sys.stdin)["devices"]))' <<< "$json")"
check_eq "show -j lobby-1 addresses" "10.20.0.11 fd00:20::11" \
	"$(python3 -c 'import json,sys; print(" ".join(json.load(sys.stdin)["devices"][2]["addresses"]))' <<< "$json")"
check_eq "sysfs mac = JSON mac" "$(sys_read $SYS/devices/gate-4/mac)" \
	"$(python3 -c 'import json,sys; print(json.load(sys.stdin)["devices"][1]["mac"])' <<< "$json")"
check_eq "sysfs profile = JSON profile" "$(sys_read $SYS/devices/gate-4/profile)" \
	"$(python3 -c 'import json,sys; print(json.load(sys.stdin)["devices"][1]["profile"])' <<< "$json")"

out=$(camfencectl show gate-4)
check_eq "show NAME" "device: gate-4
mac: 44:19:b6:00:00:04
vendor: Hikvision (camera vendor)
addresses: 10.20.0.14
profile: nvr-only
mode: monitor (effective monitor)
allowed_packets: 0
allowed_bytes: 0
dropped_packets: 0
dropped_bytes: 0
monitored_packets: 0
spoofed_packets: 0
events_suppressed: 0
last_seen: never
port: -
last_drop: -
denied destinations: none
dns names: none" "$out"
check_eq "show NAME -j" '{"name":"gate-4","mac":"44:19:b6:00:00:04","vendor":"Hangzhou Hikvision Digital Technology Co.,Ltd.","camera_vendor":true,"camera_family":"Hikvision","addresses":["10.20.0.14"],"profile":"nvr-only","mode":"monitor","effective_mode":"monitor","allowed_packets":0,"allowed_bytes":0,"dropped_packets":0,"dropped_bytes":0,"monitored_packets":0,"spoofed_packets":0,"events_suppressed":0,"last_seen":0,"last_seen_time":null,"last_drop":"","port":"","seen_port":"","evidence":[],"dns":{"total":0,"invalid":0,"replaced":0,"names":[]},"generation":2}' \
	"$(camfencectl show gate-4 -j)"
out=$(camfencectl show nosuch 2>&1); rc=$?
check_eq "show unknown NAME: exit" 1 "$rc"
check_match "show unknown NAME: message" "^camfencectl: .*nosuch" "$out"

out=$(camfencectl stats)
check_eq "stats" "mode: enforce
generation: 2
device_count: 3
sealed: no
version: $(cat "$CF_TOP/VERSION")
allowed_packets: 0
dropped_packets: 0
unknown_packets: 0
spoofed_packets: 0
monitored_packets: 0
events_suppressed: 0
unknown_not_recorded: 0
evidence_not_recorded: 0" "$out"

# mode
check_eq "mode monitor" "mode monitor" "$(camfencectl mode monitor)"
check_eq "sysfs mode after mode monitor" monitor "$(sys_read $SYS/mode)"
check_eq "lobby-1 follows the global mode" monitor \
	"$(camfencectl show -j | python3 -c 'import json,sys; print(json.load(sys.stdin)["devices"][2]["effective_mode"])')"
check_eq "mode enforce" "mode enforce" "$(camfencectl mode enforce)"
check_eq "sysfs mode after mode enforce" enforce "$(sys_read $SYS/mode)"

# metrics
m=$(camfencectl metrics); rc=$?
check_eq "metrics: exit" 0 "$rc"
check_eq "metrics: generation" "camfence_generation 2" "$(grep '^camfence_generation ' <<< "$m")"
check_eq "metrics: devices" "camfence_devices 3" "$(grep '^camfence_devices ' <<< "$m")"
check_eq "metrics: mode" 'camfence_mode{mode="enforce"} 1' "$(grep '^camfence_mode{mode="enforce"}' <<< "$m")"
check_eq "metrics: device dropped" \
	'camfence_device_dropped_packets_total{device="lobby-1",mac="44:19:b6:00:00:01"} 0' \
	"$(grep '^camfence_device_dropped_packets_total{device="lobby-1"' <<< "$m")"
check_eq "metrics: TYPE line" "# TYPE camfence_device_dropped_packets_total counter" \
	"$(grep '^# TYPE camfence_device_dropped_packets_total' <<< "$m")"
check_eq "metrics: every sample has a TYPE" 0 \
	"$(awk '/^# TYPE/{t[$3]=1; next} /^#/{next} {n=$1; sub(/\{.*/,"",n); if(!(n in t)) bad++} END{print bad+0}' <<< "$m")"
check_eq "metrics: global counters" 8 "$(grep -c '^camfence_[a-z_]*_total [0-9]*$' <<< "$m")"

# writes need CAP_NET_ADMIN
if command -v setpriv > /dev/null; then
	out=$(setpriv --reuid=65534 --regid=65534 --clear-groups --inh-caps=-all camfencectl flush -y 2>&1); rc=$?
	check_eq "flush as nobody: exit" 1 "$rc"
	check_eq "flush as nobody: message" "camfencectl: permission denied (need CAP_NET_ADMIN)" "$out"
	# a copy nobody can read (the cwd may not be)
	pub=$(mktemp -d /tmp/cf-nobody.XXXXXX) && chmod 755 "$pub"
	sed '/include/d' v1.conf > "$pub/v1.conf" && chmod 644 "$pub/v1.conf"
	out=$(setpriv --reuid=65534 --regid=65534 --clear-groups --inh-caps=-all camfencectl load "$pub/v1.conf" 2>&1); rc=$?
	rm -rf "$pub"
	check_eq "load as nobody: exit" 1 "$rc"
	check_eq "load as nobody: message" "camfencectl: permission denied (need CAP_NET_ADMIN)" "$out"
	check_eq "refused writes: generation unchanged" 2 "$(sys_read $SYS/generation)"
else
	fail "setpriv (util-linux) missing"
fi

# flush without --force: cam0 is not in sealed_ifaces, the flush would
# leave it open: refused, the zones stay fenced
out=$(camfencectl flush 2>&1); rc=$?
check_eq "flush without --force: exit" 1 "$rc"
check_eq "flush without --force: output and message" \
	"zone cameras (removed): interface cam0 OPEN: not in sealed_vlans/sealed_ifaces
camfencectl: refusing to flush: zone cameras interface cam0 would be OPEN, without any filtering (not in sealed_vlans/sealed_ifaces); run 'camfencectl flush --force' (or -y) to flush anyway" \
	"$out"
check_eq "flush without --force: generation unchanged" 2 "$(sys_read $SYS/generation)"
check_eq "flush without --force: devices kept" 3 "$(sys_read $SYS/device_count)"
out=$(camfencectl show -y 2>&1); rc=$?
check_eq "-y with show: exit" 2 "$rc"
check_eq "-y with show: message" $'camfencectl: option --force (-y) is only for flush and load\nUsage: camfencectl [-j] show [NAME|device NAME|policy]' "$out"

out=$(camfencectl flush -y); rc=$?
check_eq "flush: exit" 0 "$rc"
check_eq "flush: output" "zone cameras (removed): interface cam0 OPEN: not in sealed_vlans/sealed_ifaces
generation 3: 0 added, 3 removed, 0 changed, 0 unchanged" "$out"
check_eq "flush: show is empty" "NAME MAC MODE ALLOWED DROPPED MONITORED SPOOFED LAST-DROP VENDOR" "$(camfencectl show | tr -s ' ')"
check_eq "flush: device_count" 0 "$(sys_read $SYS/device_count)"
check_eq "flush: show -j" '{"devices":[]}' "$(camfencectl show -j)"
test_done
