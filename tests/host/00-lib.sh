#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Host test of tests/lib.sh itself: each helper is run in a child script and
# its exact output and exit status are asserted (including the failing cases:
# a check that cannot fail is a defect), plus the cleanup of namespaces and
# background jobs on exit.
cd "$(dirname "$0")/../.." || exit 1
source tests/lib.sh

[ "$(id -u)" -eq 0 ] || skip "needs root (network namespaces)"
T=$(mktemp -d /tmp/cf-libtest.XXXXXX)
trap 'rc=$?; rm -rf "$T"; (exit $rc); cf_cleanup' EXIT

# child BODY: run BODY in a fresh bash with lib.sh; sets OUT and RC.
child() {
	printf 'source %q\n%s\n' "$CF_TOP/tests/lib.sh" "$1" > "$T/child.sh"
	OUT=$(bash "$T/child.sh" 2>&1)
	RC=$?
}

child 'check_eq "two" 2 $((1 + 1)); test_done'
check_eq "check_eq pass: exit" 0 "$RC"
check_eq "check_eq pass: output" $'# ok: two\n# all 1 checks passed' "$OUT"

child 'check_eq "three" 3 $((1 + 1)); check_eq "x" a a; test_done'
check_eq "check_eq fail: exit" 1 "$RC"
check_eq "check_eq fail: output" $'# FAIL: three: expected \'3\', got \'2\'\n# ok: x\n# 1 of 2 checks failed' "$OUT"

child 'check_rc "false is 1" 1 false; check_rc "true is 1" 1 true; test_done'
check_eq "check_rc: exit" 1 "$RC"
check_eq "check_rc: output" $'# ok: false is 1\n# FAIL: true is 1: expected exit 1, got 0 (command: true)\n# 1 of 2 checks failed' "$OUT"

child 'check_match "m1" "^a+b$" aaab; check_match "m2" "^a+b$" aaabc; test_done'
check_eq "check_match: exit" 1 "$RC"
check_eq "check_match: output" $'# ok: m1\n# FAIL: m2: \'aaabc\' does not match /^a+b$/\n# 1 of 2 checks failed' "$OUT"

child 'test_done'
check_eq "no check at all fails" 1 "$RC"
check_eq "no check at all: output" "# FAIL: the test made no check" "$OUT"

child 'skip "not here"; check_eq never 1 1; test_done'
check_eq "skip exits ksft_skip (4)" 4 "$RC"
check_eq "skip: output" "# SKIP: not here" "$OUT"

child 'sys_read /nonexistent/cf; echo "rc=$?"; check_eq x 1 1; test_done'
check_eq "sys_read missing: output" $'# sys_read: /nonexistent/cf: no such file\nrc=1\n# ok: x\n# all 1 checks passed' "$OUT"

# busywait: succeeds as soon as the condition holds, else returns the
# command's status after the timeout.
child 'touch '"$T"'/later; busywait 2000 test -e '"$T"'/later; echo "rc=$?"
s=$(date +%s%3N); busywait 300 sh -c "exit 3"; rc=$?; e=$(( $(date +%s%3N) - s ))
echo "rc=$rc"; [ $e -ge 300 ] && [ $e -lt 3000 ] && echo "waited"; check_eq x 1 1; test_done'
check_eq "busywait" $'rc=0\nrc=3\nwaited\n# ok: x\n# all 1 checks passed' "$OUT"

# cleanup: namespaces created by the test are deleted, others are kept,
# background jobs are killed.
keep=cfkeep$$
ip netns add "$keep"
child 'cf_netns cflt'$$'a cflt'$$'b; cf_veth cflt'$$'a x0 cflt'$$'b x1; sleep 1000 & echo $! > '"$T"'/pid
check_eq "veth up in both" "UP UP" "$(ip -n cflt'$$'a -br link show x0 | awk "{print \$2}") $(ip -n cflt'$$'b -br link show x1 | awk "{print \$2}")"
test_done'
check_eq "child with namespaces: exit" 0 "$RC"
check_eq "the test's namespaces are deleted" "" "$(ip netns list | awk '{print $1}' | grep "^cflt$$")"
check_eq "other namespaces are kept" "$keep" "$(ip netns list | awk '{print $1}' | grep "^$keep$")"
ip netns delete "$keep"
check_rc "background job killed" 1 sh -c "kill -0 $(cat "$T/pid") 2>/dev/null"

# the exit status survives the cleanup trap
child 'cf_netns cflt'$$'c; exit 7'
check_eq "exit status kept through the trap" 7 "$RC"
test_done
