#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# camfencectl check knows the kernel's limits and warns (end to end, exact
# stderr and stdout, exit status): max_zones, max_profiles, max_rules and
# max_devices from the module's parameters (a stand-in directory through
# CAMFENCE_PARAMS_DIR, as /sys/module/camfence/parameters) or, without the
# module, the defaults, reported at the object that crosses the limit;
# warnings with exit 0, errors under --strict: devices but no zone, unknown
# allow under mode enforce, allow to/from any in a profile a device uses,
# duplicate rules, overlapping ports, unused profiles, sealed VLANs and
# interfaces no zone covers.

set -u
cd "$(dirname "$0")/../.." || exit 1
source tests/lib.sh

CTL=userspace-ctl/build/camfencectl
[ -x "$CTL" ] || { fail "$CTL not built (run make)"; test_done; }
T=$(mktemp -d /tmp/cf-check-lint.XXXXXX)
trap 'rc=$?; rm -rf "$T"; (exit $rc); cf_cleanup' EXIT

run() {
	RC=0
	"$CTL" "$@" >"$T/out" 2>"$T/err" || RC=$?
	OUT=$(cat "$T/out")
	ERR=$(cat "$T/err")
}

# the module's parameters, as sysfs shows them
P=$T/params
mkdir -p "$P"
params() {	# max_devices max_profiles max_rules max_zones sealed_vlans sealed_ifaces
	echo "$1" > "$P/max_devices"
	echo "$2" > "$P/max_profiles"
	echo "$3" > "$P/max_rules"
	echo "$4" > "$P/max_zones"
	echo "$5" > "$P/sealed_vlans"
	echo "$6" > "$P/sealed_ifaces"
}

cat > "$T/lim.conf" <<'CONF'
zone z1 {
    vlan 10
}
zone z2 {
    vlan 20
}
zone z3 {
    vlan 30
}
profile p1 {
    allow to 10.0.0.1 udp 53
    allow to 10.0.0.2 udp 53
    allow to 10.0.0.3 udp 53
}
profile p2 {
    allow to 10.0.0.1 udp 123
}
device d1 {
    mac 02:00:00:00:00:01
    profile p1
}
device d2 {
    mac 02:00:00:00:00:02
    profile p2
}
device d3 {
    mac 02:00:00:00:00:03
    profile p2
}
CONF

# without the module: the defaults (65536, 1024, 64, 64): clean
export CAMFENCE_PARAMS_DIR=$T/no-module
run check "$T/lim.conf"
check_eq "defaults: exit" 0 "$RC"
check_eq "defaults: ok" "$T/lim.conf: ok: 3 zones, 2 profiles, 3 devices" "$OUT"
check_eq "defaults: no diagnostics" "" "$ERR"

# the loaded module's limits: 2 devices, 1 profile, 2 rules, 2 zones
export CAMFENCE_PARAMS_DIR=$P
params 2 1 2 2 "" ""
run check "$T/lim.conf"
check_eq "limits: exit" 1 "$RC"
check_eq "limits: nothing on stdout" "" "$OUT"
check_eq "limits: at the line that crosses each" "$T/lim.conf:7:1: zone z3 is zone 3: over the kernel's limit of 2 zones (max_zones)
$T/lim.conf:15:1: profile p2 is profile 2: over the kernel's limit of 1 profiles (max_profiles)
$T/lim.conf:13:5: profile p1: rule 3 is over the kernel's limit of 2 rules per profile (max_rules)
$T/lim.conf:26:1: device d3 is device 3: over the kernel's limit of 2 devices (max_devices)" "$ERR"
params 3 2 3 3 "" ""
run check "$T/lim.conf"
check_eq "exactly at the limits: exit" 0 "$RC"
check_eq "exactly at the limits: no diagnostics" "" "$ERR"

# a CSV device over max_devices: FILE:LINE of the CSV line
printf 'name,mac,profile\nd4,02:00:00:00:00:04,p1\n' > "$T/more.csv"
{ cat "$T/lim.conf"; echo 'include "more.csv"'; } > "$T/csv.conf"
run check "$T/csv.conf"
check_eq "CSV device over max_devices, with the include chain" "$T/more.csv:2:1: device d4 is device 4: over the kernel's limit of 3 devices (max_devices)
$T/csv.conf:$(($(wc -l < "$T/lim.conf") + 1)): included here" "$ERR"

# warnings: exit 0 and the count; --strict: exit 1
params 65536 1024 64 64 "20,30,40" "cam0,cam9"
cat > "$T/warn.conf" <<'CONF'
mode enforce
zone cameras {
    vlan 20
    vlan 40
    interface cam0
    unknown allow
}
profile camera {
    allow to 10.20.0.1 udp 53,123
    allow to any tcp 443
    allow to 10.20.0.1 udp 53,123
    allow to 10.20.0.5 tcp 80,8000-8010,8005
}
profile nvr {
    allow from any tcp 554
}
profile spare {
    allow to 10.20.0.1 udp 123
}
device cam-1 {
    mac 44:19:b6:00:00:01
    profile camera
}
device cam-2 {
    mac 44:19:b6:00:00:02
    profile camera
}
device nvr-1 {
    mac 44:19:b6:00:00:05
    profile nvr
}
CONF
want="$T/warn.conf:2:1: warning: zone cameras: unknown allow under mode enforce: a device that no one listed passes unfiltered
$T/warn.conf:10:5: warning: profile camera: 'allow to any' lets its 2 devices (cam-1, ...) reach every address, the internet included
$T/warn.conf:11:5: warning: profile camera: duplicate rule (the same as line 9)
$T/warn.conf:12:5: warning: profile camera: port 8005 overlaps port 8000-8010 of the same rule
$T/warn.conf:15:5: warning: profile nvr: 'allow from any' lets its 1 device (nvr-1) be reached from every address, the internet included
$T/warn.conf:17:1: warning: profile spare is used by no device
$T/warn.conf: warning: sealed VLAN 30 (module parameter sealed_vlans) is in no zone: it stays sealed (everything on it dropped)
$T/warn.conf: warning: sealed interface cam9 (module parameter sealed_ifaces) is in no zone: it stays sealed (everything on it dropped)"
run check "$T/warn.conf"
check_eq "warnings: exit 0" 0 "$RC"
check_eq "warnings: stdout counts them" "$T/warn.conf: ok: 1 zones, 3 profiles, 3 devices, 8 warnings" "$OUT"
check_eq "warnings: each at its line" "$want" "$ERR"
run check --strict "$T/warn.conf"
check_eq "--strict: exit 1" 1 "$RC"
check_eq "--strict: nothing on stdout" "" "$OUT"
check_eq "--strict: the warnings, then the refusal" "$want
camfencectl: $T/warn.conf: 8 warnings, refused by --strict" "$ERR"
run --strict load "$T/warn.conf"
check_eq "--strict on load: exit 2" 2 "$RC"
check_eq "--strict on load: message" "camfencectl: option --strict is only for check
Usage: camfencectl [-j] load [-y|--force] [--dry-run|--confirm SECONDS] FILE" "$ERR"

# unknown allow under mode monitor: no warning; devices but no zone
printf 'mode monitor\nzone z {\n    vlan 20\n    unknown allow\n}\n' > "$T/mon.conf"
params 65536 1024 64 64 "" ""
run check --strict "$T/mon.conf"
check_eq "unknown allow in monitor mode: clean under --strict" "0|$T/mon.conf: ok: 1 zones, 0 profiles, 0 devices|" "$RC|$OUT|$ERR"
printf 'profile p {\n}\ndevice d {\n    mac 02:00:00:00:00:01\n    profile p\n}\n' > "$T/nozone.conf"
run check "$T/nozone.conf"
check_eq "devices but no zone" "0|$T/nozone.conf: ok: 0 zones, 1 profiles, 1 devices, 1 warning|$T/nozone.conf:3:1: warning: 1 device but no zone: no VLAN or interface is fenced, the devices are not filtered anywhere" "$RC|$OUT|$ERR"

# a template without devices: its profiles are not "unused"
run check --strict deploy/camfence.conf
check_eq "the shipped default config: clean under --strict" 0 "$RC"

test_done
