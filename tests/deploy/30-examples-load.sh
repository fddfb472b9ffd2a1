#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# cf-timeout: 180
#
# The shipped site examples and the default config are accepted by the real
# module, not only by the parser: each one is committed with camfencectl load
# (replacing the previous one atomically) and sysfs shows its devices. Each
# replaces the previous example's VLANs by its own: without sealed_vlans
# those are left open, so the loads need --force (-y).

source "$CF_TOP/tests/lib.sh"
set -u

E=$CF_TOP/examples
gen=0
# file  device_count  a device  its profile  its effective mode
while read -r file count dev profile mode; do
	rc=0
	camfencectl load -y "$file" >"$PWD/load.out" 2>&1 || rc=$?
	check_eq "load $(basename "$file"): exit code" 0 "$rc" || sed 's/^/#   /' "$PWD/load.out"
	gen=$((gen + 1))
	check_eq "$(basename "$file"): generation" "$gen" "$(sys_read /sys/kernel/camfence/generation)"
	check_eq "$(basename "$file"): device_count" "$count" "$(sys_read /sys/kernel/camfence/device_count)"
	[ "$dev" = - ] && continue
	check_eq "$(basename "$file"): $dev profile" "$profile" "$(sys_read "/sys/kernel/camfence/devices/$dev/profile")"
	check_eq "$(basename "$file"): $dev mode" "$mode" "$(sys_read "/sys/kernel/camfence/devices/$dev/mode")"
done <<LIST
$E/hikvision.conf 6 hik-loading-dock hik-camera monitor
$E/dahua.conf 6 dahua-nvr-1 dahua-nvr enforce
$E/mixed-onvif.conf 7 axis-reception onvif-camera enforce
$CF_TOP/deploy/camfence.conf 0 - - -
LIST
check_eq "default config: global mode" "monitor" "$(sys_read /sys/kernel/camfence/mode)"
check_eq "no device directory left from the examples" "" "$(ls -A /sys/kernel/camfence/devices)"

test_done
