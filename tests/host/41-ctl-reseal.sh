#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The seal in camfencectl, where a host without the module can tell (the
# commits themselves: tests/kmod/47-reseal): --force (-y) is for load and
# flush, and a load or flush with it still needs the module (it never
# commits blind); the seal is read from the module's parameters
# (CAMFENCE_PARAMS_DIR stands for /sys/module/camfence/parameters) in the
# initial network namespace only: in another one (CAMFENCE_SEAL_NETNS=other,
# what -n NETNS selects) nothing is sealed, so check has no sealed VLAN to
# warn about. (The comparison and its lines: the unit test test_seal.)

set -u
cd "$(dirname "$0")/../.." || exit 1
source tests/lib.sh

CTL=userspace-ctl/build/camfencectl
[ -x "$CTL" ] || { fail "$CTL not built (run make)"; test_done; }
[ -d /sys/module/camfence ] && skip "the camfence module is loaded on this host"
T=$(mktemp -d /tmp/cf-reseal.XXXXXX)
trap 'rc=$?; rm -rf "$T"; (exit $rc); cf_cleanup' EXIT
NOTLOADED="camfencectl: camfence is not loaded (modprobe camfence; dkms status)"

run() {
	RC=0
	"$CTL" "$@" >"$T/out" 2>"$T/err" || RC=$?
	OUT=$(cat "$T/out")
	ERR=$(cat "$T/err")
}

cat > "$T/a.conf" <<'CONF'
zone a {
    vlan 20
}
CONF

# --force: load and flush only
for args in "load -y $T/a.conf" "load --force $T/a.conf" "-y load $T/a.conf" \
	    "flush -y" "flush --force"; do
	# shellcheck disable=SC2086
	run $args
	check_eq "$args: exit (not loaded)" 1 "$RC"
	check_eq "$args: message" "$NOTLOADED" "$ERR"
	check_eq "$args: nothing on stdout" "" "$OUT"
done
run load -y --dry-run "$T/a.conf"
check_eq "load -y --dry-run: exit (diff's trouble)" 2 "$RC"
check_eq "load -y --dry-run: message" "$NOTLOADED" "$ERR"
for args in "show -y" "diff -y $T/a.conf" "check --force $T/a.conf"; do
	# shellcheck disable=SC2086
	run $args
	check_eq "$args: exit (usage)" 2 "$RC"
	check_eq "$args: message" "camfencectl: option --force (-y) is only for flush and load" "$(head -1 <<< "$ERR")"
done
run help load
check_eq "help load: the option" \
"  -y, --force              also when a VLAN or interface leaving the zones would
                           be open (not in sealed_vlans/sealed_ifaces)" \
	"$(grep -A1 -e '-y, --force' <<< "$OUT")"

# the seal read from the parameters, in the initial namespace only
P=$T/params
mkdir -p "$P"
echo "20,30" > "$P/sealed_vlans"
echo "cam9" > "$P/sealed_ifaces"
export CAMFENCE_PARAMS_DIR=$P
CAMFENCE_SEAL_NETNS=init run check "$T/a.conf"
check_eq "init namespace: exit" 0 "$RC"
check_eq "init namespace: the uncovered sealed VLAN and interface stay sealed" \
"$T/a.conf: warning: sealed VLAN 30 (module parameter sealed_vlans) is in no zone: it stays sealed (everything on it dropped)
$T/a.conf: warning: sealed interface cam9 (module parameter sealed_ifaces) is in no zone: it stays sealed (everything on it dropped)" "$ERR"
CAMFENCE_SEAL_NETNS=other run check "$T/a.conf"
check_eq "another namespace: exit" 0 "$RC"
check_eq "another namespace: no seal, no warning" "" "$ERR"
check_eq "another namespace: summary" "$T/a.conf: ok: 1 zones, 0 profiles, 0 devices" "$OUT"
# empty parameters (sysfs prints an empty line): no seal
: > "$P/sealed_vlans"
: > "$P/sealed_ifaces"
CAMFENCE_SEAL_NETNS=init run check "$T/a.conf"
check_eq "no seal: no warning" "" "$ERR"

test_done
