#!/bin/bash
# cf-timeout: 400
# SPDX-License-Identifier: GPL-2.0
# Commits: counters survive for every device whose MAC persists (also across
# a rename and a profile change); a removed device's state goes; a failed
# commit (over a limit) leaves the old policy working.
source "$CF_TOP/tests/lib.sh"
source "$CF_TOP/tests/kmod/10-dataplane.lib"

cf_reload max_devices=2 max_rules=3 || fail "reload"
cf_routed_topology || fail "topology"

conf() {	# NAME PORT EXTRA_RULE
	cat > cf.conf <<CONF
zone cameras {
    vlan 20
}
profile cam {
    allow to 10.99.0.5 udp $2
    $3
}
device $1 {
    mac 44:19:b6:00:00:01
    ip 10.20.0.11
    profile cam
}
CONF
}

conf lobby-1 5000 ""
check_rc "load" 0 camfencectl load cf.conf
check_eq "allowed" 3 "$(udp_count nvr 10.99.0.5 5000 cam1 3)"
check_eq "dropped" 0 "$(udp_count nvr 10.99.0.5 5001 cam1 2)"

# The same policy again: not committed (same generation), counters kept.
out=$(camfencectl load cf.conf)
check_eq "reload unchanged" "no change: generation 1 stays (1 devices unchanged)" "$out"
check_eq "reload unchanged: generation" 1 "$(sys_read $SYS/generation)"
check_eq "allowed kept" 3 "$(dstat lobby-1 allowed_packets)"

# Rename and change the rules: same MAC, counters survive.
conf lobby-one 5001 ""
out=$(camfencectl load cf.conf)
check_match "rename counted as changed" "1 added, 1 removed|0 added, 0 removed, 1 changed" "$out"
check_rc "old name gone from sysfs" 1 test -e $SYS/devices/lobby-1
check_eq "allowed survives the rename" 3 "$(dstat lobby-one allowed_packets)"
check_eq "dropped survives the rename" 2 "$(dstat lobby-one dropped_packets)"
check_eq "last_drop survives" "udp 10.99.0.5:5001" "$(dstat lobby-one last_drop)"
check_eq "new rule applies" 2 "$(udp_count nvr 10.99.0.5 5001 cam1 2)"
check_eq "old rule gone" 0 "$(udp_count nvr 10.99.0.5 5000 cam1 1)"
check_eq "allowed" 5 "$(dstat lobby-one allowed_packets)"
check_eq "dropped" 3 "$(dstat lobby-one dropped_packets)"
gen=$(sys_read $SYS/generation)

# Over max_devices=2: the kernel refuses, the old policy stays.
cat >> cf.conf <<'CONF'
device d2 {
    mac 44:19:b6:00:00:12
    profile cam
}
device d3 {
    mac 44:19:b6:00:00:13
    profile cam
}
CONF
out=$(camfencectl load cf.conf 2>&1)
check_eq "load over max_devices exit status" 1 $?
check_match "error names the limit" "device d3: too many devices \(max_devices=2\)" "$out"
check_eq "generation unchanged" "$gen" "$(sys_read $SYS/generation)"
check_eq "device_count unchanged" 1 "$(sys_read $SYS/device_count)"
check_eq "old policy still allows" 1 "$(udp_count nvr 10.99.0.5 5001 cam1 1)"
check_eq "old policy still drops" 0 "$(udp_count nvr 10.99.0.5 5000 cam1 1)"
check_eq "counters kept" "6 4" "$(dstat lobby-one allowed_packets) $(dstat lobby-one dropped_packets)"

# Over max_rules=3.
conf lobby-one 5001 "allow to 10.99.0.6 udp 1
    allow to 10.99.0.7 udp 1
    allow to 10.99.0.8 udp 1"
out=$(camfencectl load cf.conf 2>&1)
check_eq "load over max_rules exit status" 1 $?
check_match "error names the profile" "profile cam: 4 rules.*max_rules" "$out"
check_eq "old policy still allows (2)" 1 "$(udp_count nvr 10.99.0.5 5001 cam1 1)"

# Removing the device drops its state; adding it again starts from zero.
cat > empty.conf <<'CONF'
zone cameras {
    vlan 20
}
CONF
out=$(camfencectl load empty.conf)
check_match "removed" "0 added, 1 removed" "$out"
check_rc "sysfs directory gone" 1 test -e $SYS/devices/lobby-one
conf lobby-one 5001 ""
check_rc "load again" 0 camfencectl load cf.conf
check_eq "fresh counters" "0 0" "$(dstat lobby-one allowed_packets) $(dstat lobby-one dropped_packets)"
check_eq "fresh last_drop" "" "$(dstat lobby-one last_drop)"

test_done
