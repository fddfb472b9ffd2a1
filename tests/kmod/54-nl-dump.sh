#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# GET_DEVICE: doit by name, dump of every device over many skbs, and a dump
# that races a commit flagged NLM_F_DUMP_INTR; a device with the maximum of
# 16 addresses fits in a message; 17 are refused.
source "$CF_TOP/tests/lib.sh"

P='profile p,rule=to/10.0.0.1/-/17/53'

out=$(nltest dump)
check_eq "dump of the empty policy" "dump: count=0 intr=0 ok" "$out"
out=$(nltest get nope)
check_eq "GET of a missing device" "get: error -2 (No such file or directory): no device named nope" "$out"

out=$(nltest begin "$P" devices cam,300,p commit)
check_eq "300 devices" "begin: ok
profile: ok
devices: ok
commit: generation=1 added=300 removed=0 changed=0 unchanged=0 ok" "$out"
check_eq "device_count" 300 "$(sys_read /sys/kernel/camfence/device_count)"
check_eq "sysfs directories" 300 "$(ls /sys/kernel/camfence/devices | wc -l)"

out=$(nltest dump)
check_eq "dump returns every device, consistent" "dump: count=300 intr=0 ok" "$out"
out=$(nltest get cam-258)
check_match "GET cam-258" '^get: generation=1 name=cam-258 mac=02:00:00:00:01:02 profile=p mode=0 effective_mode=1 allowed_packets=0 ' "$out"

# A FLUSH (a commit) between two parts of a dump: the dump is flagged.
out=$(nltest dump-race)
check_match "dump racing a commit is interrupted" '^dump-race: count=[0-9]+ intr=[1-9][0-9]* ok$' "$out"
count=$(sed -n 's/.*count=\([0-9]*\).*/\1/p' <<< "$out")
if [ "${count:-0}" -gt 0 ] && [ "${count:-0}" -lt 300 ]; then
	check_eq "the first part was partial" ok ok
else
	fail "first part of the dump had $count devices (expected 1..299)"
fi
check_eq "the FLUSH happened" 2 "$(sys_read /sys/kernel/camfence/generation)"
check_eq "dump after the flush" "dump: count=0 intr=0 ok" "$(nltest dump)"

# 16 addresses (8 IPv4, 8 IPv6): accepted and all returned.
addrs=""
for i in 1 2 3 4 5 6 7 8; do addrs+=",addr=10.0.1.$i,addr=fd00::$i"; done
out=$(nltest begin "$P" "device big,02:00:00:00:10:01,p$addrs" commit)
check_match "device with 16 addresses" 'commit: generation=3 added=1 ' "$out"
out=$(nltest get big)
n=$(grep -o ' addr=' <<< "$out" | wc -l)
check_eq "16 addresses returned" 16 "$n"
check_match "addresses in order" 'addr=10\.0\.1\.1 addr=fd00::1 addr=10\.0\.1\.2 .* addr=10\.0\.1\.8 addr=fd00::8 profile=p ' "$out"
out=$(nltest begin "$P" "device big,02:00:00:00:10:01,p$addrs,addr=10.0.2.1" commit)
check_eq "17 addresses refused" "begin: ok
profile: ok
device: error -7 (Argument list too long): device big: more than 16 addresses (transaction discarded)
commit: error -2 (No such file or directory): no transaction is open (send BEGIN first)" "$out"
check_eq "generation unchanged" 3 "$(sys_read /sys/kernel/camfence/generation)"

test_done
