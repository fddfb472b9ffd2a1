#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# camfencectl without a policy: check (good and bad file, exact error lines),
# usage errors (exit 2), --version, "camfence is not loaded" (exit 1) without
# loading it (only load loads it), flush of a fresh module.
source "$CF_TOP/tests/lib.sh"

cat > good.conf <<'CONF'
mode enforce

zone cameras {
    vlan 20
    interface eth2
    unknown drop
}

profile nvr-only {
    allow from 10.20.0.5 tcp 554,80,8000
    allow to 10.20.0.5 tcp 7200-7299
    allow to 10.20.0.1 udp 53,123
    allow to fd00:20::1 udp 123
    allow from 10.99.0.0/24 icmp
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

include "devices.csv"
CONF
cat > devices.csv <<'CSV'
name,mac,ips,profile,mode
yard-3,44:19:b6:00:00:03,10.20.0.13;fd00:20::13,nvr-only,
CSV
cat > bad.conf <<'CONF'
mode enforce
profile p {
    allow to 10.0.0.1/33 udp 53
    allow to 10.0.0.1 tcp 70000
}
device a {
    mac 44:19:b6:00:00:01
    profile nope
}
device b {
    mac 44:19:b6:00:00:01
    profile p
}
CONF

out=$(camfencectl check good.conf 2>&1); rc=$?
check_eq "check good: exit" 0 "$rc"
check_eq "check good: output" "good.conf: ok: 1 zones, 1 profiles, 3 devices" "$out"

out=$(camfencectl check bad.conf 2>&1); rc=$?
check_eq "check bad: exit" 1 "$rc"
check_eq "check bad: every error, in file order" \
"bad.conf:3:23: invalid prefix length '33' (expected 0-32)
bad.conf:4:27: invalid port '70000' (expected 1-65535 or a range a-b)
bad.conf:6:1: device a uses unknown profile nope
bad.conf:10:1: duplicate MAC 44:19:b6:00:00:01 (first used by device a at bad.conf:6)" "$out"
out=$(camfencectl check bad.conf 2>/dev/null)
check_eq "check bad: nothing on stdout" "" "$out"

# usage errors: exit 2 with the usage text
out=$(camfencectl frobnicate 2>&1); rc=$?
check_eq "unknown subcommand: exit" 2 "$rc"
check_match "unknown subcommand: message" "^camfencectl: unknown command 'frobnicate'" "$out"
check_match "unknown subcommand: usage" "Usage: camfencectl" "$out"
out=$(camfencectl --bogus show 2>&1); rc=$?
check_eq "unknown option: exit" 2 "$rc"
check_match "unknown option: message" "^camfencectl: unknown option '--bogus'" "$out"
check_rc "no subcommand: exit 2" 2 camfencectl
check_rc "check without FILE: exit 2" 2 camfencectl check
check_rc "load with two files: exit 2" 2 camfencectl load a b
check_rc "mode with a bad value: exit 2" 2 camfencectl mode off
check_rc "learn without NAME: exit 2" 2 camfencectl learn
check_rc "--help: exit 0" 0 camfencectl --help
check_eq "--version" "camfencectl $(cat "$CF_TOP/VERSION")" "$(camfencectl --version)"
check_eq "camfenced --version" "camfenced $(cat "$CF_TOP/VERSION")" "$(camfenced --version)"
check_rc "camfenced bad option: exit 2" 2 camfenced --bogus

# a missing file is bad input (exit 1), not usage
camfencectl check nonexistent.conf > /dev/null 2>&1; rc=$?
check_eq "check missing file: exit" 1 "$rc"

# without the module: exit 1 and the cause. Only load may load the module
# (resolving the family by name makes the kernel load it through its alias):
# the other commands find the family in a dump of the registered families,
# so with the modprobe helper in place they must leave it unloaded.
modprobe -r camfence || fail "modprobe -r camfence"
NOTLOADED="camfencectl: camfence is not loaded (modprobe camfence; dkms status)"
for cmd in "show" "show lobby-1" "-j show" "stats" "unknown" "monitor" "flush" "flush -y" "mode enforce" "learn lobby-1"; do
	# shellcheck disable=SC2086
	out=$(camfencectl $cmd 2>&1); rc=$?
	check_eq "no module: $cmd: exit" 1 "$rc"
	check_eq "no module: $cmd: message" "$NOTLOADED" "$out"
	check_rc "no module: $cmd: module still not loaded" 1 test -d /sys/module/camfence
done
out=$(camfencectl metrics 2>err); rc=$?
check_eq "no module: metrics: exit" 1 "$rc"
check_eq "no module: metrics: camfence_up 0 on stdout" \
"# HELP camfence_up 1 when the camfence module is loaded and answered, 0 when it is not loaded.
# TYPE camfence_up gauge
camfence_up 0
# HELP camfence_build_info Always 1; the version of the camfence tools that wrote these metrics.
# TYPE camfence_build_info gauge
camfence_build_info{version=\"$(cat "$CF_TOP/VERSION")\"} 1" "$out"
check_eq "no module: metrics: message on stderr" "$NOTLOADED" "$(cat err)"
check_rc "no module: metrics: module still not loaded" 1 test -d /sys/module/camfence
# check needs no kernel
check_rc "no module: check still works" 0 camfencectl check good.conf

# load: without the modprobe helper, the cause; with it, the module is loaded
old_helper=$(cat /proc/sys/kernel/modprobe)
restore_helper() { echo "$old_helper" > /proc/sys/kernel/modprobe; }
trap 'rc=$?; restore_helper; (exit $rc); cf_cleanup' EXIT
echo /bin/false > /proc/sys/kernel/modprobe
out=$(camfencectl load good.conf 2>&1); rc=$?
check_eq "no module, no modprobe helper: load: exit" 1 "$rc"
check_eq "no module, no modprobe helper: load: message" "$NOTLOADED" "$out"
restore_helper
out=$(camfencectl load good.conf 2>&1); rc=$?
check_eq "no module: load loads it: exit" 0 "$rc"
check_eq "no module: load loads it: output" "added: garage-2, lobby-1, yard-3
generation 1: 3 added, 0 removed, 0 changed, 0 unchanged" "$out"
check_rc "no module: load loaded the module" 0 test -d /sys/module/camfence
modprobe -r camfence || fail "modprobe -r camfence"
modprobe camfence || fail "modprobe camfence"

# flush before the first commit, without sealed_vlans/sealed_ifaces: nothing
# opens, no --force needed; after it, a committed policy needs --force
out=$(camfencectl flush 2>&1); rc=$?
check_eq "flush of a fresh module: exit" 0 "$rc"
check_eq "flush of a fresh module: output" "generation 1: 0 added, 0 removed, 0 changed, 0 unchanged" "$out"
# the active policy (read back) has no zone: a flush opens nothing
out=$(camfencectl flush 2>&1); rc=$?
check_eq "second flush of a policy without zones, without --force: exit" 0 "$rc"
check_eq "second flush of a policy without zones: output" "generation 2: 0 added, 0 removed, 0 changed, 0 unchanged" "$out"
out=$(camfencectl --force flush 2>&1); rc=$?
check_eq "third flush with --force before the command: exit" 0 "$rc"
check_eq "third flush with --force: output" "generation 3: 0 added, 0 removed, 0 changed, 0 unchanged" "$out"
test_done
