#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# cf-timeout: 400
#
# Harness selftest: the guest runner bounds what it waits for.
# 1. A VM test that leaves processes behind outside its process group
#    (setsid) holding its output (tests/selftest/vm-leftover/): the runner
#    kills them after the test, reports both tests passed and the guest
#    ends (before, it waited for them until the guest's own timeout).
# 2. CF_DEADLINE already reached: the guest does not boot, every test
#    fails naming it, and the run ends at once.
cd "$(dirname "$0")/../.." || exit 1
source tests/lib.sh

start=$(date +%s)
out=$(env -u CF_DEADLINE_AT CF_KERNELS=6.1 CF_VM_TEST_DIRS=tests/selftest/vm-leftover CF_VM_NO_MODULE=1 \
	tests/run --vm-only --no-selftest 2>&1)
rc=$?
secs=$(($(date +%s) - start))
sed 's/^/# | /' <<<"$out"
check_eq "leftovers: harness exit status" 0 "$rc"
check_eq "leftovers: the escaping test" "ok 1 10-escape" "$(grep -E '^(not )?ok 1 ' <<<"$out")"
check_eq "leftovers: the next test found none of them" "ok 2 20-after" "$(grep -E '^(not )?ok 2 ' <<<"$out")"
check_eq "leftovers: summary" "2 passed, 0 failed, 0 skipped" "$(tail -n 1 <<<"$out")"
echo "# the run took ${secs}s (the guest's timeout: $(((30 + 15) * 2 + 120))s)"

start=$(date +%s)
out=$(CF_DEADLINE=1 CF_KERNELS=6.1 CF_VM_TEST_DIRS=tests/selftest/vm-leftover CF_VM_NO_MODULE=1 \
	tests/run --vm-only --no-selftest 2>&1)
rc=$?
secs=$(($(date +%s) - start))
sed 's/^/# | /' <<<"$out"
check_eq "deadline: harness exit status" 1 "$rc"
check_eq "deadline: result lines" "not ok 1 vm-boot # CF_DEADLINE (1 s after the start) reached before this guest booted
not ok 2 10-escape # not run: the guest had stopped
not ok 3 20-after # not run: the guest had stopped" "$(grep -E '^(not )?ok [0-9]+ ' <<<"$out")"
check_eq "deadline: summary" "0 passed, 3 failed, 0 skipped" "$(tail -n 1 <<<"$out")"
check_rc "deadline: no guest booted (${secs}s)" 0 test "$secs" -lt 30
test_done
