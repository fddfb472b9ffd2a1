#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# cf-timeout: 300
# 100,000 devices load in one transaction (ADD messages packed to ~16 KiB),
# dump back completely, and flush.
source "$CF_TOP/tests/lib.sh"

N=100000
cf_reload max_devices=$N || fail "cf_reload max_devices=$N"

cf_big_policy "$N"

start=$(date +%s)
out=$(camfencectl load big.conf 2>&1); rc=$?
echo "# load of $N devices took $(( $(date +%s) - start )) s"
check_eq "load: exit" 0 "$rc"
check_eq "load: added line" "added: d000000, d000001, d000002" "$(head -1 <<< "$out" | cut -d, -f1-3)"
check_match "load: names elided" ", \.\.\. \(\+99950 more\)$" "$(head -1 <<< "$out")"
check_eq "load: summary" "generation 1: $N added, 0 removed, 0 changed, 0 unchanged" "$(tail -1 <<< "$out")"
check_eq "device_count" $N "$(sys_read /sys/kernel/camfence/device_count)"

check_eq "dump returns every device" "$N d099999 10.65.134.159" "$(camfencectl show -j | python3 -c '
import json, sys
d = json.load(sys.stdin)["devices"]
print(len(d), d[-1]["name"], d[-1]["addresses"][0])')"

out=$(camfencectl flush)
check_eq "flush" "generation 2: 0 added, $N removed, 0 changed, 0 unchanged" "$out"
test_done
