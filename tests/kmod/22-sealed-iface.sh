#!/bin/bash
# cf-timeout: 400
# SPDX-License-Identifier: GPL-2.0
# sealed_ifaces: an interface sealed while no zone covers it, from module
# load on and after every commit (here flushes); interfaces not named are
# untouched.
source "$CF_TOP/tests/lib.sh"
source "$CF_TOP/tests/kmod/10-dataplane.lib"

cf_reload sealed_ifaces=rnvr || fail "reload sealed_ifaces=rnvr"
cf_routed_topology || fail "topology"

check_eq "into the sealed interface" 0 "$(udp_count nvr 10.99.0.5 5000 cam1 3)"
check_eq "out of the sealed interface" 0 "$(udp_count cam1 10.20.0.11 5000 nvr 2)"
check_eq "dropped_packets" 5 "$(gstat dropped_packets)"
check_eq "unknown_packets (ingress)" 2 "$(gstat unknown_packets)"
check_eq "other interfaces untouched" 4 "$(udp_count inet 203.0.113.7 6800 cam1 4)"
check_eq "dropped_packets unchanged" 5 "$(gstat dropped_packets)"
# The seal outlives the first commit: a flush (here the first commit)
# leaves rnvr in no zone, so it stays sealed, and nothing opens: no --force.
out=$(camfencectl flush 2>&1); rc=$?
check_eq "flush (the first commit): exit" 0 "$rc"
check_eq "flush: output" "generation 1: 0 added, 0 removed, 0 changed, 0 unchanged" "$out"
check_eq "generation" 1 "$(sys_read $SYS/generation)"
check_eq "sysfs sealed (no commit yet): 0" 0 "$(sys_read $SYS/sealed)"
check_eq "still sealed after the first commit" 0 "$(udp_count nvr 10.99.0.5 5000 cam1 3)"
check_eq "dropped_packets" 8 "$(gstat dropped_packets)"
check_eq "other interfaces still untouched" 2 "$(udp_count inet 203.0.113.7 6800 cam1 2)"
# A zone that covers the interface opens it to its rules.
cat > cf.conf <<'CONF'
zone nvrs {
    interface rnvr
    unknown allow
}
CONF
check_rc "load a zone on rnvr" 0 camfencectl load cf.conf
check_eq "covered by a zone (unknown allow): open" 3 "$(udp_count nvr 10.99.0.5 5000 cam1 3)"
check_eq "dropped_packets unchanged" 8 "$(gstat dropped_packets)"
out=$(camfencectl flush 2>&1); rc=$?
check_eq "flush again: exit" 0 "$rc"
check_eq "flush again: output" "zone nvrs (removed): interface rnvr re-sealed (sealed_ifaces)
generation 3: 0 added, 0 removed, 0 changed, 0 unchanged" "$out"
check_eq "re-sealed by the flush" 0 "$(udp_count nvr 10.99.0.5 5000 cam1 3)"
check_eq "dropped_packets" 11 "$(gstat dropped_packets)"

test_done
