#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# The family is parallel (parallel_ops): a commit that takes seconds in one
# network namespace (20,000 devices loaded by camfencectl in init_net, with
# their sysfs directories) holds only that namespace's lock. Meanwhile
# camfence requests in another namespace complete: GET_STATS (no lock at
# all) and a BEGIN/COMMIT (that namespace's lock). Under genl_mutex (the
# family not parallel) both waited for the big commit's reply.
# Ordering, not timing: the other namespace's requests are sent once the
# commit is inside the kernel (its kernel stack shows cf_nl_commit) and
# must be answered before the commit's reply arrives; both ends stamp with
# the same clock (date +%s%N).
source "$CF_TOP/tests/lib.sh"

N=20000
cf_netns other
cf_big_policy $N
check_rc "big.conf is valid" 0 camfencectl check big.conf

rm -f load.done
( camfencectl load big.conf > load.out 2>&1; echo $? > load.rc
  date +%s%N > load.done ) &
loader=$!

# The loader's camfencectl is in the COMMIT handler (after BEGIN and the
# ADD messages): its kernel stack names it.
in_commit() {
	local p
	for p in $(pgrep -P $loader -x camfencectl); do
		grep -q cf_nl_commit /proc/$p/stack 2>/dev/null && return 0
	done
	return 1
}
busywait "$(cf_ms 120000)" in_commit || fail "the commit never showed in the loader's kernel stack"
check_eq "the commit has not replied yet" "" "$(cat load.done 2>/dev/null)"

out=$(ip netns exec other nltest stats)
check_match "GET_STATS in the other namespace" '^stats: mode=1 generation=0 device_count=0 sealed=1 ' "$out"
out=$(ip netns exec other nltest begin commit)
check_eq "a commit in the other namespace" "begin: ok
commit: generation=1 added=0 removed=0 changed=0 unchanged=0 ok" "$out"
other_done=$(date +%s%N)
still=no
in_commit && still=yes

wait $loader
check_eq "camfencectl load's exit status" 0 "$(cat load.rc)"
load_done=$(cat load.done)
echo "# other namespace done at $other_done, commit replied at $load_done ($(( (load_done - other_done) / 1000000 )) ms later); loader still in commit: $still"
check_eq "the other namespace was answered before the commit replied" 1 \
	"$(( other_done < load_done ))"
check_eq "generation in init_net" 1 "$(sys_read /sys/kernel/camfence/generation)"
busywait "$(cf_ms 300000)" cf_sysfs_synced || fail "sysfs did not catch up"
check_eq "devices in init_net" $N "$(ls /sys/kernel/camfence/devices | wc -l)"

test_done
