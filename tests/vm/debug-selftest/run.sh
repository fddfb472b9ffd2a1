#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# make check-debug-selftest: proves that the debug lane (make check-debug)
# fails on each kind of kernel bug it is meant to catch.  Builds
# cf_dbg_selftest.ko against the debug kernel (tests/vm/debug-kernel.sh) and
# boots the debug kernel once per case (tests/vm/debug-selftest/vm/NN-BUG.sh
# loads the module with bug=BUG), asserting the TAP lines and the report in
# the saved kernel log:
#   none   passes, kmemleak clean         (the control)
#   leak   kmemleak: unreferenced object  (found by the scan after the tests)
#   uaf    BUG: KASAN: use-after-free
#   oob    UBSAN: array-index-out-of-bounds
#   sleep  BUG: sleeping function called from invalid context
#   abba   WARNING: possible circular locking dependency detected
# Args: the cases to run (default: all).  Takes 1-3 min per case.
cd "$(dirname "$0")/../../.." || exit 1
# shellcheck source=tests/lib.sh
source tests/lib.sh
unset MAKEFLAGS MFLAGS MAKELEVEL

DIR=$(tests/vm/debug-kernel.sh) || { fail "building the debug kernel"; test_done; }
B=$(mktemp -d /tmp/cf-dbgselftest.XXXXXX)
trap 'rc=$?; rm -rf "$B"; (exit $rc); cf_cleanup' EXIT
cp tests/vm/debug-selftest/cf_dbg_selftest.c tests/vm/debug-selftest/Kbuild "$B/"
if ! make -s -C "$DIR/build" M="$B" modules > "$B/build.log" 2>&1; then
	sed 's/^/# /' "$B/build.log"
	fail "building cf_dbg_selftest.ko against $DIR/build"
	test_done
fi

# run_case NAME: one boot running only vm/NN-NAME.sh; sets OUT, RC, LOG.
run_case() {
	local t0
	t0=$(date +%s)
	OUT=$(CF_VM_TEST_DIRS=tests/vm/debug-selftest/vm CF_VM_NO_MODULE=1 \
		CF_VM_KO="$B/cf_dbg_selftest.ko" tests/vm/debug-kernel.sh --run -t "$1" 2>&1)
	RC=$?
	sed 's/^/# | /' <<<"$OUT"
	LOG=$(grep -o 'kernel log: [^ ]*-kernel\.log' <<<"$OUT" | head -n 1)
	LOG=${LOG#kernel log: }
	echo "# case $1: exit $RC in $(($(date +%s) - t0)) s; kernel log: ${LOG:-none}"
}

# expect_report NAME REGEX: the case failed, the guest's failure names a
# kernel report matching REGEX, and the saved kernel log holds it.
expect_report() {
	check_eq "$1: exit status" 1 "$RC"
	check_match "$1: reported as a kernel problem" \
		"guest kernel reported a problem \\(.*$2.*\\); kernel log: " "$OUT"
	if [ -n "$LOG" ] && [ -s "$LOG" ]; then
		check_match "$1: the kernel log has the report" "$2" "$(grep -a -E "$2" "$LOG")"
	else
		fail "$1: no kernel log named"
	fi
}

cases=("$@")
[ ${#cases[@]} -gt 0 ] || cases=(none leak uaf oob sleep abba)
for c in "${cases[@]}"; do
	n=$(basename "$(ls tests/vm/debug-selftest/vm/*-"$c".sh 2>/dev/null)" .sh)
	[ -n "$n" ] || { fail "no case '$c'"; continue; }
	run_case "$n"
	case "$c" in
	none)
		check_eq "none: exit status" 0 "$RC"
		check_eq "none: result lines" "ok 1 $n|ok 2 kmemleak" \
			"$(grep -E '^(not )?ok [0-9]+ ' <<<"$OUT" | paste -sd '|')"
		check_eq "none: summary" "2 passed, 0 failed, 0 skipped" "$(tail -n 1 <<<"$OUT")"
		;;
	leak)
		check_eq "leak: the loading test passed" "ok 1 $n" "$(grep -E '^(not )?ok 1 ' <<<"$OUT")"
		check_eq "leak: kmemleak result" "not ok 2 kmemleak # 1 unreferenced object(s)" \
			"$(grep -E '^(not )?ok 2 ' <<<"$OUT")"
		check_match "leak: the report shows the 0xcf-filled object" \
			'cf cf cf cf cf cf cf cf cf cf cf cf cf cf cf cf' "$OUT"
		check_match "leak: the backtrace names the module" \
			'cf_dbg_leak\+0x[0-9a-f]+/0x[0-9a-f]+ \[cf_dbg_selftest\]' "$OUT"
		expect_report leak 'kmemleak: 1 new suspected memory leaks'
		check_match "leak: the kernel log has the object" 'unreferenced object 0x[0-9a-f]+ \(size 2[0-9][0-9]\)' \
			"$(grep -a 'unreferenced object' "${LOG:-/dev/null}")"
		;;
	uaf) expect_report uaf 'BUG: KASAN: [a-z-]*use-after-free in cf_dbg_selftest_init' ;;
	oob) expect_report oob 'UBSAN: array-index-out-of-bounds in .*cf_dbg_selftest\.c' ;;
	sleep) expect_report sleep 'BUG: sleeping function called from invalid context' ;;
	abba) expect_report abba 'WARNING: possible circular locking dependency detected' ;;
	*) fail "no expectations for case '$c'" ;;
	esac
done
test_done
