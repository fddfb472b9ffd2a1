#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# cf-timeout: 300
# 100,000 devices load in one transaction (ADD messages packed to ~16 KiB),
# dump back completely, and flush. (CF_BIG_DEVICES sets another size: the
# debug kernel's lane runs it with 20,000.)
source "$CF_TOP/tests/lib.sh"

N=${CF_BIG_DEVICES:-100000}
S=/sys/kernel/camfence
cf_reload max_devices="$N" || fail "cf_reload max_devices=$N"

cf_big_policy "$N"
# the last line of the device list: name,mac,ips,profile,mode
IFS=, read -r LAST_NAME _ LAST_ADDR _ <<< "$(tail -1 big.csv)"

start=$(date +%s)
out=$(camfencectl load big.conf 2>&1); rc=$?
echo "# load of $N devices took $(( $(date +%s) - start )) s"
check_eq "load: exit" 0 "$rc"
check_eq "load: added line" "added: d000000, d000001, d000002" "$(head -1 <<< "$out" | cut -d, -f1-3)"
check_match "load: names elided" ", \.\.\. \(\+$((N - 50)) more\)$" "$(head -1 <<< "$out")"
check_eq "load: summary" "generation 1: $N added, 0 removed, 0 changed, 0 unchanged" "$(tail -1 <<< "$out")"
check_eq "device_count" "$N" "$(sys_read /sys/kernel/camfence/device_count)"

check_eq "dump returns every device" "$N $LAST_NAME $LAST_ADDR" "$(camfencectl show -j | python3 -c '
import json, sys
d = json.load(sys.stdin)["devices"]
print(len(d), d[-1]["name"], d[-1]["addresses"][0])')"

out=$(camfencectl flush --force)
check_eq "flush" "zone cameras (removed): VLAN 20 OPEN: not in sealed_vlans/sealed_ifaces
generation 2: 0 added, $N removed, 0 changed, 0 unchanged" "$out"
# The directories go in the background: wait for them here, so that the
# next test's unload does not inherit the work.
busywait "$(cf_ms 300000)" cf_sysfs_synced || fail "sysfs did not catch up with the flush"
check_eq "no device directory left" 0 "$(find $S/devices -mindepth 1 -maxdepth 1 | wc -l)"
test_done
