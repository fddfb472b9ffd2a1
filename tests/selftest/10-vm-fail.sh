#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# cf-timeout: 300
#
# Harness selftest: a VM run with a passing, a deliberately failing and a
# skipping test (tests/selftest/vm-fail/) must print exactly those TAP lines,
# the summary "1 passed, 1 failed, 1 skipped" as its last line, and exit 1.
cd "$(dirname "$0")/../.." || exit 1
source tests/lib.sh

out=$(CF_KERNELS=6.1 CF_VM_TEST_DIRS=tests/selftest/vm-fail CF_VM_NO_MODULE=1 \
	tests/run --vm-only --no-selftest 2>&1)
rc=$?
sed 's/^/# | /' <<<"$out"

check_eq "harness exit status" 1 "$rc"
check_eq "TAP header" "TAP version 13" "$(head -n 1 <<<"$out")"
check_eq "passing test line" "ok 1 10-pass" "$(grep -E '^(not )?ok 1 ' <<<"$out")"
check_eq "failing test line" "not ok 2 20-fail # exit status 1" \
	"$(grep -E '^(not )?ok 2 ' <<<"$out" | sed 's/ ([0-9]*s)$//')"
check_eq "skipped test line" "ok 3 30-skip # SKIP" "$(grep -E '^(not )?ok 3 ' <<<"$out")"
check_eq "no other result lines" 3 "$(grep -c -E '^(not )?ok [0-9]+ ' <<<"$out")"
check_match "the failed check is shown" "# FAIL: deliberate failure: expected '3', got '2'" "$out"
check_eq "plan" "1..3" "$(grep -E '^1\.\.' <<<"$out")"
check_eq "summary is the last line" "1 passed, 1 failed, 1 skipped" "$(tail -n 1 <<<"$out")"
check_eq "exactly one summary line" 1 \
	"$(grep -c -E '^[0-9]+ passed, [0-9]+ failed, [0-9]+ skipped$' <<<"$out")"

# -t with an unknown name: reported as a failure, no boot.
out=$(tests/run -t no-such-test-xyz 2>&1)
rc=$?
check_eq "unknown -t name: exit status" 1 "$rc"
check_eq "unknown -t name: result line" "not ok 1 no-such-test-xyz # no such test" \
	"$(grep -E '^(not )?ok ' <<<"$out")"
check_eq "unknown -t name: summary" "0 passed, 1 failed, 0 skipped" "$(tail -n 1 <<<"$out")"
test_done
