#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# cf-timeout: 600
# The family is parallel (parallel_ops): a commit that takes seconds in one
# network namespace (a big policy loaded by camfencectl in init_net, with
# all its sysfs directories created before the reply: sysfs_sync_max) holds
# only that namespace's lock. Meanwhile camfence requests in another
# namespace complete: GET_STATS (no lock at all) and a BEGIN/COMMIT (that
# namespace's lock). Under genl_mutex (the family not parallel) they waited
# for the big commit's reply.
# Ordering, not timing: the other namespace's client (nltest inside, one
# process and one socket, already running before the commit starts) sends
# its three requests again and again while the commit is in the kernel
# (published, generation 1, still creating the sysfs directories,
# sysfs_generation 0), reading both before and after each round. A round
# whose requests were all answered with the commit in the kernel before and
# after them is "inside"; under genl_mutex no round can be (a request sent
# during the commit is answered only after its reply, sysfs_generation 1).
# A round takes a few hundred milliseconds in the guest; 20,000 devices on
# 6.1 held 3 to 12 rounds in local CI runs, 40,000 on 6.12 (it creates
# sysfs directories faster) 2 to 9. CI once saw 1 on 6.1 (none inside):
# hence the attempts below.
source "$CF_TOP/tests/lib.sh"

case "$(uname -r)" in
6.1.*) N=20000 ;;
*) N=40000 ;;
esac
cf_reload sysfs_sync_max=$N max_devices=$N || fail "cf_reload sysfs_sync_max=$N max_devices=$N"
cf_netns other
cf_big_policy $N
check_rc "big.conf is valid" 0 camfencectl check big.conf

S=/sys/kernel/camfence
# attempt: one run of the experiment, on a freshly loaded module (generation
# 0). The window (published, sysfs directories still being created) lasts a
# few rounds, but a loaded host can shrink it to one round, the last, which
# the commit's end always cuts: rounds=1 inside=0, which is also all that
# genl_mutex allows. One inside round is proof (under genl_mutex there is
# never one), so an attempt without one is run again, at most 3 times; under
# genl_mutex all 3 fail.
attempt() {
	ip netns exec other nltest inside $S "$(cf_ms 300000)" > other.out 2>&1 &
	other=$!
	# the client reads before it asks: it is polling generation 0 now
	sleep 0.5
	( camfencectl load big.conf > load.out 2>&1; echo $? > load.rc ) &
	loader=$!
	wait $loader
	wait $other
	echo "# other namespace, attempt $1: $(cat other.out)"
	check_match "attempt $1: the other namespace's client saw the commit and every request succeeded" \
		'^inside: rounds=[1-9][0-9]* inside=[0-9]+ failed=0 ok$' "$(cat other.out)"
	inside=$(sed -n 's/.* inside=\([0-9]*\) .*/\1/p' other.out)
}
for n in 1 2 3; do
	attempt $n
	[ "${inside:-0}" -ge 1 ] && break
	[ $n = 3 ] && break
	cf_reload sysfs_sync_max=$N max_devices=$N || fail "cf_reload, attempt $((n + 1))"
done
check_rc "rounds answered while the commit was in the kernel: ${inside:-none} (at least 1, in 3 attempts)" \
	0 test "${inside:-0}" -ge 1
check_eq "camfencectl load's exit status" 0 "$(cat load.rc)"
check_eq "generation in init_net" 1 "$(sys_read $S/generation)"
check_eq "sysfs_generation once the commit replied" 1 "$(sys_read $S/sysfs_generation)"
check_eq "devices in init_net" $N "$(ls $S/devices | wc -l)"
check_match "the other namespace's own commits" "^stats: mode=1 generation=[0-9]+ device_count=0 " \
	"$(ip netns exec other nltest stats)"

test_done
