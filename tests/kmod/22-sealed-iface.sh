#!/bin/bash
# cf-timeout: 400
# SPDX-License-Identifier: GPL-2.0
# sealed_ifaces: an interface zone sealed until the first commit (here a
# flush); interfaces not named are untouched.
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
out=$(camfencectl flush 2>&1); rc=$?
check_eq "flush without --force: exit" 1 "$rc"
check_eq "flush without --force: message" \
	"camfencectl: refusing to flush: a flush is the first commit: it lifts the seal of the sealed VLANs and interfaces and leaves them open, without any filtering; run 'camfencectl flush --force' (or -y) to flush anyway" \
	"$out"
check_eq "flush without --force: still sealed" 1 "$(sys_read $SYS/sealed)"
check_eq "flush without --force: still closed" 0 "$(udp_count nvr 10.99.0.5 5000 cam1 3)"
check_eq "dropped_packets" 8 "$(gstat dropped_packets)"
check_rc "flush --force (the first commit)" 0 camfencectl flush --force
check_eq "generation" 1 "$(sys_read $SYS/generation)"
check_eq "open after the first commit" 3 "$(udp_count nvr 10.99.0.5 5000 cam1 3)"
check_eq "dropped_packets unchanged" 8 "$(gstat dropped_packets)"

test_done
