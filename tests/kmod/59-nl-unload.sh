#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# The family alias autoloads the module; unloading with an open
# transaction, an events listener and device directories is clean, and the
# listener's socket survives it.
source "$CF_TOP/tests/lib.sh"

modprobe -r camfence || fail "unload"
check_eq "module unloaded" no "$([ -d /sys/module/camfence ] && echo yes || echo no)"
# genl_ctrl_resolve("camfence") makes the kernel request
# net-pf-16-proto-16-family-camfence: MODULE_ALIAS_GENL_FAMILY.
out=$(nltest stats)
check_match "GET_STATS autoloads the module" '^stats: mode=1 generation=0 device_count=0 sealed=1 ' "$out"
check_eq "module loaded again" yes "$([ -d /sys/module/camfence ] && echo yes || echo no)"

check_match "policy" 'commit: generation=1 added=2 ' \
	"$(nltest begin "profile p,rule=to/10.0.0.1/-/17/53" devices cam,2,p commit)"
check_eq "directories" "cam-1 cam-2" "$(ls /sys/kernel/camfence/devices | paste -sd " ")"

rm -f began ready go
nltest begin "profile q" touch began wait go 30000 > owner.out &
owner=$!
nltest listen ready events 1 4000 > listener.out &
listener=$!
busywait "$(cf_ms 5000)" test -e began || fail "owner did not begin"
busywait "$(cf_ms 5000)" test -e ready || fail "listener did not start"

check_rc "rmmod with an open transaction and a listener" 0 modprobe -r camfence
check_eq "sysfs tree gone" no "$([ -e /sys/kernel/camfence ] && echo yes || echo no)"
touch go
wait $owner
check_eq "the owner's socket outlived the module" "begin: ok
profile: ok
touch: ok
wait: ok" "$(cat owner.out)"
wait $listener
check_eq "the listener saw no event and exited cleanly" "listen: ok
events:
events: count=0 ok" "$(cat listener.out)"

modprobe camfence || fail "reload"
check_eq "fresh state after reload" "begin: ok
commit: generation=1 added=0 removed=0 changed=0 unchanged=0 ok" "$(nltest begin commit)"
test_done
