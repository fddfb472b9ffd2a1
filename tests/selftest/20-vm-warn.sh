#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# cf-timeout: 300
#
# Harness selftest: a test that loads a module doing WARN_ON(1) at init
# (tests/selftest/warn_mod/) must fail the run: the guest (panic_on_warn=1)
# dies, the harness reports that test "not ok" naming the saved kernel log,
# which holds the WARNING, reports the remaining test as not run, exits 1.
cd "$(dirname "$0")/../.." || exit 1
source tests/lib.sh
source tests/vm/common.sh
unset MAKEFLAGS MFLAGS MAKELEVEL

B=$(mktemp -d /tmp/cf-warnmod.XXXXXX)
trap 'rc=$?; rm -rf "$B"; (exit $rc); cf_cleanup' EXIT
if ! cf_build_module tests/selftest/warn_mod "$B"; then
	fail "building tests/selftest/warn_mod"
	test_done
fi

out=$(CF_KERNELS=6.1 CF_VM_TEST_DIRS=tests/selftest/vm-warn CF_VM_NO_MODULE=1 CF_VM_KO="$B/cf_selftest_warn.ko" \
	tests/run --vm-only --no-selftest 2>&1)
rc=$?
sed 's/^/# | /' <<<"$out"

check_eq "harness exit status" 1 "$rc"
line1=$(grep -E '^(not )?ok 1 ' <<<"$out")
check_match "the WARN test fails and names the kernel log" \
	'^not ok 1 10-warn # guest kernel reported a problem \(WARNING: .*\); kernel log: /.*/\.cache/vm/logs/[0-9-]+-kernel\.log$' \
	"$line1"
log=${line1##*kernel log: }
check_rc "the kernel log file exists" 0 test -s "$log"
check_match "the log has the WARNING from the module" \
	'WARNING: CPU: [0-9]+ PID: [0-9]+ at .*cf_selftest_warn' "$(grep -a 'WARNING:' "$log")"
check_match "the guest panicked on the warning" 'Kernel panic - not syncing: .*panic_on_warn set' \
	"$(cat -v "$log")"
check_eq "the next test is reported as not run" "not ok 2 20-never # not run: the guest had stopped" \
	"$(grep -E '^(not )?ok 2 ' <<<"$out")"
check_eq "summary is the last line" "0 passed, 2 failed, 0 skipped" "$(tail -n 1 <<<"$out")"
test_done
