#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# camfence demo: a camera site in a box (see README.md). Run as root in a
# machine (or VM) where camfence.ko can be loaded; `make demo` boots a VM and
# runs this. It builds the site, loads site.conf, lets the site live for a
# few seconds, shows what camfence saw and ends with a verdict computed from
# what really arrived. Exit 0 on "VERDICT: PASS", 1 on FAIL, 2 on a setup error.
#
# Environment:
#   CF_DEMO_DURATION=12   seconds the site runs (the rogue comes at half time)
#   CF_DEMO_NO_POLICY=1   do not load the policy (debug the site wide open)
#   CF_DEMO_LOGDIR=DIR    keep the device logs there (default: a temp dir)

set -u

HERE=$(cd "$(dirname "$0")" && pwd)
CF_TOP=${CF_TOP:-$(cd "$HERE/../.." && pwd)}
PATH=$CF_TOP/userspace-ctl/build:$PATH
DURATION=${CF_DEMO_DURATION:-12}
SYSFS=/sys/kernel/camfence
# Debian's python3 (not a pyenv shim from a host's PATH).
PYTHON=${PYTHON:-$(command -v /usr/bin/python3 || command -v python3)}

if [ -n "${CF_DEMO_LOGDIR:-}" ]; then
	LOGDIR=$CF_DEMO_LOGDIR
	mkdir -p "$LOGDIR" && rm -f "$LOGDIR/events.jsonl" "$LOGDIR/done"
else
	LOGDIR=$(mktemp -d /tmp/camfence-demo.XXXXXX)
fi

T0=${EPOCHREALTIME/./}
elapsed() {
	local us=$((${EPOCHREALTIME/./} - T0))
	printf '%d.%d s' $((us / 1000000)) $((us / 100000 % 10))
}
step() { printf '\n=== %s\n' "$*"; }

FAKES_PID=
MON_PID=
OLD_FWD4=$(sysctl -n net.ipv4.ip_forward)
OLD_FWD6=$(sysctl -n net.ipv6.conf.all.forwarding)
# shellcheck disable=SC2317  # invoked by the EXIT trap
cleanup() {
	[ -n "$FAKES_PID" ] && kill "$FAKES_PID" 2>/dev/null
	[ -n "$MON_PID" ] && kill "$MON_PID" 2>/dev/null
	wait 2>/dev/null
	bash "$HERE/topology.sh" down
	sysctl -qw net.ipv4.ip_forward="$OLD_FWD4"
	sysctl -qw net.ipv6.conf.all.forwarding="$OLD_FWD6"
	[ -n "${CF_DEMO_LOGDIR:-}" ] || rm -rf "$LOGDIR"
}
trap cleanup EXIT

die() { echo "demo: $*" >&2; echo "VERDICT: FAIL — $*"; exit 2; }

cat <<'EOF'
camfence demo: a camera site in a box
  router = camera switch: this namespace holds the VLAN-aware bridge br0 with the
  cameras and the NVR on access ports (VLAN 20), the router's br0.20 (cameras,
  10.20.0.1) and br0.30 (office, 10.30.0.1), an 802.1Q trunk to the office floor
  switch and the uplink to the "internet". camfence runs here, so it sees both
  routed (camera -> internet) and bridged (camera -> camera, NVR -> camera) traffic.
EOF

for t in camfencectl "$PYTHON" ip bridge; do
	command -v "$t" >/dev/null || die "$t not found (run make first)"
done

step "1. the site: 4 cameras, an NVR, an office PC, the internet (topology.sh up)"
echo "  the cameras' profiles are the shipped vendor profiles ($CF_TOP/profiles/NAME.conf)"
[ -d "$SYSFS" ] || modprobe camfence 2>/dev/null || true
bash "$HERE/topology.sh" down
bash "$HERE/topology.sh" up || die "building the site failed"
while IFS=, read -r name mac ips profile mode; do
	[ "$name" = name ] && continue
	printf '  %-11s %s  %-28s %-17s %s\n' "$name" "$mac" "${ips//;/ }" \
		"$profile" "${mode:-(global mode)}"
done < "$HERE/devices.csv"
echo "  office-pc   VLAN 30, 10.30.0.10, behind the trunk; rogue b8:27:eb:66:66:66 waits on a spare VLAN 20 port"
echo "  cam-new     an EZVIZ camera nobody commissioned (64:f2:fb:00:00:15, 10.20.0.15, not in devices.csv)"
echo "              waits on a spare access port of the camera switch"
echo "  internet    Hik-Connect-like 203.0.113.10 tcp/443, Dahua-like P2P 198.51.100.20 udp/8800,"
echo "              public NTP 198.51.100.123, public DNS 198.51.100.53  [$(elapsed)]"

step "2. the policy: camfencectl load site.conf (the vendor profiles with the site's defines)"
grep -E '^(define|include)' "$HERE/site.conf" | sed 's/ *#.*//; s/^/  /'
if [ -n "${CF_DEMO_NO_POLICY:-}" ]; then
	echo "  CF_DEMO_NO_POLICY set: no policy, everything reaches everything"
	camfencectl flush --force 2>/dev/null || true
else
	camfencectl load "$HERE/site.conf" || die "camfencectl load failed"
fi

step "3. the site runs for ${DURATION} s; the rogue and a new camera are plugged in at $((DURATION / 2)) s"
# The denied connections, as they happen, from the events multicast group.
camfencectl monitor > "$LOGDIR/monitor.txt" 2>&1 &
MON_PID=$!
"$PYTHON" "$HERE/fakes.py" --logdir "$LOGDIR" --duration "$DURATION" \
	--rogue-at $((DURATION / 2)) --linger &
FAKES_PID=$!
sleep $((DURATION / 2))
bash "$HERE/topology.sh" plug-rogue
echo "  rogue plugged in (b8:27:eb:66:66:66, 10.20.0.66), new camera plugged in (64:f2:fb:00:00:15, 10.20.0.15)  [$(elapsed)]"
# The devices stay up (idle) until the end: no IGMP leaves in the report.
while [ ! -e "$LOGDIR/done" ]; do
	kill -0 "$FAKES_PID" 2>/dev/null || die "the devices (fakes.py) died"
	sleep 0.3
done
echo "  done: $(wc -l < "$LOGDIR/events.jsonl") events logged by the devices  [$(elapsed)]"

kill "$MON_PID" 2>/dev/null
wait "$MON_PID" 2>/dev/null
MON_PID=
echo "  camfencectl monitor reported $(grep -c . "$LOGDIR/monitor.txt") denied connections (rate-limited per device);"
echo "  the first 6 towards the internet:"
grep -E -e '-> \[?(203\.0\.113|198\.51\.100|2001:db8)' "$LOGDIR/monitor.txt" |
	head -n 6 | sed 's/^/    /'

step "4. the device table: camfencectl show"
camfencectl show

step "5. what each camera tried and was denied, and the DNS names it asked for: camfencectl show NAME"
while IFS=, read -r name mac ips profile mode; do
	# a camera is a device whose profile is a shipped vendor profile
	[ -f "$CF_TOP/profiles/$profile.conf" ] || continue
	echo "--- $name (${mode:-enforce})"
	# the device's denied-destination table (the counters are in 4. and 8.)
	camfencectl show "$name" | sed -n '/^denied destinations:/,$p' | tail -n +2
done < "$HERE/devices.csv"

step "6. the unknown devices: camfencectl unknown (VENDOR from the IEEE registry)"
camfencectl unknown | tee "$LOGDIR/unknown.txt"
echo "--- camfencectl unknown --csv: a draft device list to review (monitor mode)"
camfencectl unknown --csv | tee "$LOGDIR/draft.csv"
echo "    (the EZVIZ camera is recognised as a Hikvision-family camera and drafted with the"
echo "    hikvision profile that site.conf already includes; the Raspberry Pi is no camera"
echo "    maker: its line says so and waits for a human)"
echo "--- the vendors of the site's devices (camfencectl vendor)"
camfencectl vendor $(cut -d, -f2 "$HERE/devices.csv" | tail -n +2)

step "7. what camfencectl learn proposes for the monitor-mode camera"
while IFS=, read -r name mac ips profile mode; do
	[ "$mode" = monitor ] || continue
	echo "--- camfencectl learn $name"
	camfencectl learn "$name"
	echo "    (learn proposes everything $name was seen doing; the engineer keeps what it"
	echo "    needs: here nothing beyond its profile, since the cloud, public NTP/DNS and"
	echo "    the scans are exactly what camfence is there to stop)"
done < "$HERE/devices.csv"

step "8. the sysfs tree: $SYSFS"
if [ -d "$SYSFS" ]; then
	line=
	for f in mode generation device_count; do
		read -r v < "$SYSFS/$f" && line+=" $f=$v"
	done
	echo "$SYSFS/:$line"
	line=
	for f in "$SYSFS"/stats/*; do
		read -r v < "$f" && line+=" ${f##*/}=$v"
	done
	echo "  stats/:$line"
	for d in "$SYSFS"/devices/*/; do
		line=
		for f in "$d"*; do
			[ -f "$f" ] || continue
			v=
			read -r v < "$f"
			line+=" ${f##*/}=${v:-\"\"}"
		done
		echo "  devices/$(basename "$d")/:$line"
	done
else
	echo "  (no $SYSFS: camfence is not loaded)"
fi

step "9. the site report: camfencectl report"
camfencectl report -c "$HERE/site.conf" --title "camfence demo site" -o "$LOGDIR/report.html"
sed -n 's/.*<p class="summary"[^>]*>\(.*\)<\/p>.*/\1/p' "$LOGDIR/report.html" | sed 's/<[^>]*>//g; s/^/  /'
# The guest's disk is gone after the demo: its data goes to the console
# (base64, line-safe), where make demo renders it again on the host.
echo "--- BEGIN camfence-report-json (base64)"
camfencectl -j report -c "$HERE/site.conf" | base64 -w 76
echo "--- END camfence-report-json"

step "10. verdict (from what the endpoints received and the kernel counted)"
"$PYTHON" "$HERE/verdict.py" "$LOGDIR" --unknown "$LOGDIR/unknown.txt"
rc=$?
echo "  [$(elapsed)]"
exit $rc
