#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# cf-timeout: 300
# 100,000 devices load in one transaction (ADD messages packed to ~16 KiB),
# dump back completely, and flush. (CF_BIG_DEVICES sets another size: the
# debug kernel's lane runs it with 20,000.)
source "$CF_TOP/tests/lib.sh"

N=${CF_BIG_DEVICES:-100000}
S=/sys/kernel/camfence
LAST=$((N - 1))
LAST_NAME=$(printf 'd%06d' $LAST)
LAST_ADDR=$(printf '10.%d.%d.%d' $((64 + LAST / 65536)) $((LAST / 256 % 256)) $((LAST % 256)))

# sysfs_synced: the sysfs tree shows the active policy (the directories of a
# commit of more than sysfs_sync_max devices follow in the background).
# shellcheck disable=SC2317  # called through busywait
sysfs_synced() {
	local g sg
	read -r g < "$S/generation" && read -r sg < "$S/sysfs_generation" && [ "$g" = "$sg" ]
}
cf_reload max_devices="$N" || fail "cf_reload max_devices=$N"

cf_big_policy "$N"

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

out=$(camfencectl flush)
check_eq "flush" "generation 2: 0 added, $N removed, 0 changed, 0 unchanged" "$out"
# The directories go in the background: wait for them here, so that the
# next test's unload does not inherit the work.
busywait "$(cf_ms 300000)" sysfs_synced || fail "sysfs did not catch up with the flush"
check_eq "no device directory left" 0 "$(find $S/devices -mindepth 1 -maxdepth 1 | wc -l)"
test_done
