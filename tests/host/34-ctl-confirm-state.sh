#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# camfencectl confirm and load --confirm without the module (the host's
# kernel has none): the pending-state protocol of RUNDIR/confirm-pending
# (CAMFENCE_RUN_DIR, relative paths made absolute), exact messages and exit
# statuses. The rollback itself needs the module: tests/kmod/79-confirm.sh.

set -u
cd "$(dirname "$0")/../.." || exit 1
source tests/lib.sh

CTL=$PWD/userspace-ctl/build/camfencectl
[ -x "$CTL" ] || { fail "$CTL not built (run make)"; test_done; }
T=$(mktemp -d /tmp/cf-confirm.XXXXXX)
trap 'rc=$?; rm -rf "$T"; (exit $rc); cf_cleanup' EXIT
cd "$T" || exit 1

run() {
	RC=0
	"$CTL" "$@" >"$T/out" 2>"$T/err" || RC=$?
	OUT=$(cat "$T/out")
	ERR=$(cat "$T/err")
}
export CAMFENCE_RUN_DIR=run	# relative: taken from the current directory

run confirm
check_eq "nothing pending" "1||camfencectl: no commit is waiting for confirmation" "$RC|$OUT|$ERR"
run confirm extra
check_eq "confirm takes no argument" "2|Usage: camfencectl [-j] confirm " "$RC|$ERR"

# a pending confirmation whose rollback process is this shell's child that
# is not camfencectl: confirm takes the file, signals nothing, cleans up
mkdir -p run
sleep 300 &
sp=$!
printf 'pid %s\ngeneration 7\nprevious 6\ndeadline 4102444800\nfile site.conf\n' "$sp" > run/confirm-pending
echo "# previous policy" > run/rollback.conf
run confirm
check_eq "confirm: exit" 0 "$RC"
check_eq "confirm: message" "confirmed: generation 7 stays (rollback to the policy of generation 6 cancelled)" "$OUT"
check_eq "confirm: state removed; the mark for camfenced --enforce-config" "confirmed" "$(ls run)"
check_eq "confirm: the confirmed generation" "generation 7" "$(cat run/confirmed)"
rm run/confirmed
check_rc "confirm: a pid that is not camfencectl gets no signal" 0 kill -0 "$sp"
kill "$sp"
run confirm
check_eq "confirm twice" "1|camfencectl: no commit is waiting for confirmation" "$RC|$ERR"

# a malformed state file is no pending confirmation
printf 'generation 7\n' > run/confirm-pending
run confirm
check_eq "state without pid" "1|camfencectl: no commit is waiting for confirmation" "$RC|$ERR"
rm -f run/confirm-pending

# load --confirm: SECONDS checked first, then the file, then the module
printf 'zone z {\n    vlan 20\n}\n' > ok.conf
for s in 0 86401 12x ""; do
	run load --confirm "$s" ok.conf
	check_eq "--confirm '$s'" "2|camfencectl: --confirm needs a number of seconds from 1 to 86400, not '$s'" "$RC|$ERR"
done
run load --confirm 30 --dry-run ok.conf
check_eq "--confirm with --dry-run" "2|camfencectl: --dry-run and --confirm exclude each other" "$RC|$(head -1 <<< "$ERR")"
run --confirm 30 check ok.conf
check_eq "--confirm on check" "2|camfencectl: options --dry-run and --confirm are only for load" "$RC|$(head -1 <<< "$ERR")"
printf 'zone z {\n    vlan 0\n}\n' > bad.conf
run load --confirm 30 bad.conf
check_eq "--confirm of a bad file" "1|bad.conf:2:10: invalid VLAN ID '0' (expected 1-4094)" "$RC|$ERR"
check_eq "--confirm of a bad file: no state" "" "$(ls run)"

# a live rollback process (a fake one: this shell's child) blocks a second
sleep 300 &
sp=$!
printf 'pid %s\ngeneration 9\nprevious 8\ndeadline 4102444800\nfile a.conf\n' "$sp" > run/confirm-pending
run load --confirm 30 ok.conf
check_eq "a second --confirm while one waits" "1|camfencectl: generation 9 is waiting for confirmation (rollback process $sp): run 'camfencectl confirm' first, or let it roll back" "$RC|$ERR"
kill "$sp"
wait "$sp" 2>/dev/null
# ... and a dead one is stale state: removed, then the load goes on (and
# fails here: no module)
run load --confirm 30 ok.conf
check_eq "stale state: removed, then no module" "1|camfencectl: removing the state of a rollback process that is gone (pid $sp, generation 9)
camfencectl: camfence is not loaded (modprobe camfence; dkms status)" "$RC|$ERR"
check_eq "stale state: gone" "" "$(ls run)"

test_done
