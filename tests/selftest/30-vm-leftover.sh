#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# cf-timeout: 600
#
# Harness selftest: the guest runner bounds what it waits for.
# 1. A VM test that leaves processes behind outside its process group
#    (setsid) holding its output (tests/selftest/vm-leftover/): the runner
#    kills them after the test, reports both tests passed and the guest
#    ends (before, it waited for them until the guest's own timeout).
# 2. CF_DEADLINE already reached: the guest does not boot, every test
#    fails naming it, and the run ends at once.
# 3. A test whose process blocks in D state (tests/selftest/dstate_mod/: what
#    a kernel deadlock does), so that neither its timeout nor SIGKILL ends
#    it: it fails saying so, the blocked task's stack is in the kernel log
#    (sysrq w), the next test is not run, the guest ends (before, the task
#    held the output pipe and the guest waited until its own timeout).
# (4, a kernel's subset, and 5, a deadline inside the guest, are under their
# headings below.)
cd "$(dirname "$0")/../.." || exit 1
source tests/lib.sh
source tests/vm/common.sh
unset MAKEFLAGS MFLAGS MAKELEVEL
CF_TMPDIR_SUBSET=$(mktemp /tmp/cf-subset.XXXXXX)

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

# 4. A kernel's subset (CF_SUBSET_<kernel>): only the tests it names run,
#    a name that is no VM test fails.
printf '# a comment\n20-after  # the second\nno-such-test\n' > "$CF_TMPDIR_SUBSET"
out=$(env -u CF_DEADLINE_AT CF_KERNELS=6.1 CF_SUBSET_6_1="$CF_TMPDIR_SUBSET" \
	CF_VM_TEST_DIRS=tests/selftest/vm-leftover CF_VM_NO_MODULE=1 tests/run --vm-only --no-selftest 2>&1)
rc=$?
sed 's/^/# | /' <<<"$out"
check_eq "subset: harness exit status" 1 "$rc"
check_eq "subset: result lines" "not ok 1 no-such-test # named in $CF_TMPDIR_SUBSET but no such VM test
ok 2 20-after" "$(grep -E '^(not )?ok [0-9]+ ' <<<"$out")"
check_eq "subset: summary" "1 passed, 1 failed, 0 skipped" "$(tail -n 1 <<<"$out")"

# 5. A deadline that binds inside the guest (tests/selftest/vm-deadline/):
#    the runner cuts the long test's timeout to what is left before its
#    reserve, does not start the next test, and the guest ends by itself
#    before the deadline (before, the host killed it at the deadline, and
#    on the debug kernel the kmemleak scan after the last test was lost).
start=$(date +%s)
out=$(CF_DEADLINE=150 CF_KERNELS=6.1 CF_VM_TEST_DIRS=tests/selftest/vm-deadline CF_VM_NO_MODULE=1 \
	tests/run --vm-only --no-selftest 2>&1)
rc=$?
secs=$(($(date +%s) - start))
sed 's/^/# | /' <<<"$out"
check_eq "guest deadline: harness exit status" 1 "$rc"
check_eq "guest deadline: result lines" \
	"not ok 1 10-long # cut after Ns by the run's deadline (its timeout: 400s)
not ok 2 20-next # not run: the run's deadline" \
	"$(grep -E '^(not )?ok [0-9]+ ' <<<"$out" | sed -E 's/cut after [0-9]+s/cut after Ns/')"
check_eq "guest deadline: summary" "0 passed, 2 failed, 0 skipped" "$(tail -n 1 <<<"$out")"
check_eq "guest deadline: the host did not have to stop the guest" "" "$(grep -E 'timed out after|vmrun: .*timeout' <<<"$out")"
# (the host's own work after the guest's poweroff, kernel log scan included,
# may end a few seconds after the deadline: 154 s once at load 6)
echo "# the guest deadline run took ${secs}s (CF_DEADLINE=150)"

B=$(mktemp -d /tmp/cf-dstatemod.XXXXXX)
trap 'rc=$?; rm -rf "$B" "$CF_TMPDIR_SUBSET"; (exit $rc); cf_cleanup' EXIT
if ! cf_build_module tests/selftest/dstate_mod "$B"; then
	fail "building tests/selftest/dstate_mod"
	test_done
fi
start=$(date +%s)
out=$(env -u CF_DEADLINE_AT CF_KERNELS=6.1 CF_VM_TEST_DIRS=tests/selftest/vm-dstate CF_VM_NO_MODULE=1 \
	CF_VM_KO="$B/cf_selftest_dstate.ko" tests/run --vm-only --no-selftest 2>&1)
rc=$?
secs=$(($(date +%s) - start))
sed 's/^/# | /' <<<"$out"
check_eq "D state: harness exit status" 1 "$rc"
check_match "D state: the blocked test" \
	'^not ok 1 10-block # timed out after 10s, and left a task that SIGKILL cannot end \(pid [0-9]+; stacks in the kernel log\)$' \
	"$(grep -E '^(not )?ok 1 ' <<<"$out")"
check_eq "D state: the next test" "not ok 2 20-never # not run: the guest cannot go on after 10-block" \
	"$(grep -E '^(not )?ok 2 ' <<<"$out")"
line3=$(grep -E '^(not )?ok 3 ' <<<"$out")
check_match "D state: the kernel log is flagged" \
	'^not ok 3 vm-kernel-log # guest kernel reported a problem \(.*\); kernel log: /.*-kernel\.log$' "$line3"
log=${line3##*kernel log: }
check_match "D state: the blocked write's stack is in it" 'cf_selftest_block_write' "$(grep -a 'cf_selftest_block_write' "$log" | head -n 1)"
check_match "D state: the runner said which test and task" 'camfence-test: 10-block left tasks that SIGKILL cannot end' \
	"$(grep -a 'cannot end' "$log")"
check_eq "D state: summary" "0 passed, 3 failed, 0 skipped" "$(tail -n 1 <<<"$out")"
echo "# the run took ${secs}s (the guest's timeout: $(((10 + 15) + (120 + 15) + 120))s)"
test_done
