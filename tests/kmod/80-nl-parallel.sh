#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# cf-timeout: 600
# The family is parallel (parallel_ops): a commit that takes seconds in one
# network namespace (50,000 devices on 6.1, 200,000 on 6.12, loaded by
# camfencectl in init_net, with
# their sysfs directories, all created before the reply: sysfs_sync_max)
# holds only that namespace's lock. Meanwhile
# camfence requests in another namespace complete: GET_STATS (no lock at
# all) and a BEGIN/COMMIT (that namespace's lock). Under genl_mutex (the
# family not parallel) both waited for the big commit's reply.
# Ordering, not timing: the other namespace's requests are sent once the
# commit is inside the kernel (published, generation 1, but still creating
# the sysfs directories, sysfs_generation 0) and must be answered while it
# is still there.
source "$CF_TOP/tests/lib.sh"

# The commit must still be creating directories when the other namespace's
# client (a process start and two requests in a slow guest) is answered:
# 6.12 creates sysfs directories several times faster than 6.1, so it gets
# more of them (with 50,000 its commit was over before the client ran; on
# 6.1 too once, at host load 4: 100,000 there).
case "$(uname -r)" in
6.1.*) N=100000 ;;
*) N=200000 ;;
esac
cf_reload sysfs_sync_max=$N max_devices=$N || fail "cf_reload sysfs_sync_max=$N max_devices=$N"
cf_netns other
cf_big_policy $N
check_rc "big.conf is valid" 0 camfencectl check big.conf

S=/sys/kernel/camfence
# The other namespace's client is ready before the commit starts and goes
# when told; right after its requests it reads where the commit is (sysfs
# is init_net's in every namespace).
rm -f go load.done
ip netns exec other bash -c "
	while [ ! -e go ]; do sleep 0.01; done
	nltest stats > other.stats
	nltest begin commit > other.commit
	cat $S/generation $S/sysfs_generation > other.after
	date +%s%N > other.done" &
other=$!

( camfencectl load big.conf > load.out 2>&1; echo $? > load.rc
  date +%s%N > load.done ) &
loader=$!

# The commit is in the kernel from the moment generation is 1 (published)
# until sysfs_generation is 1 too: with sysfs_sync_max=N it creates the N
# device directories before it sets sysfs_generation and replies.
published() { [ "$(cat $S/generation)" = 1 ]; }
busywait "$(cf_ms 300000)" published || fail "the commit did not publish"
check_eq "the commit is creating the directories" 0 "$(cat $S/sysfs_generation)"
touch go
wait $other
wait $loader
check_match "GET_STATS in the other namespace" '^stats: mode=1 generation=0 device_count=0 sealed=1 ' "$(cat other.stats)"
check_eq "a commit in the other namespace" "begin: ok
commit: generation=1 added=0 removed=0 changed=0 unchanged=0 ok" "$(cat other.commit)"
echo "# other namespace done at $(cat other.done), camfencectl load at $(cat load.done)"
check_eq "the other namespace was answered while the commit was in the kernel" \
	"1 0" "$(echo $(cat other.after))"
check_eq "camfencectl load's exit status" 0 "$(cat load.rc)"
check_eq "generation in init_net" 1 "$(sys_read $S/generation)"
check_eq "sysfs_generation once the commit replied" 1 "$(sys_read $S/sysfs_generation)"
check_eq "devices in init_net" $N "$(ls $S/devices | wc -l)"

test_done
