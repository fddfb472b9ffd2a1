#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Every shipped site example and the default /etc/camfence/camfence.conf pass
# `camfencectl check` (exit 0, no output on stderr), and the checker really
# checks them: a copy with one broken line is rejected with its location.

set -u
cd "$(dirname "$0")/../.." || exit 1
source tests/lib.sh

CTL=userspace-ctl/build/camfencectl
[ -x "$CTL" ] || { fail "$CTL not built (run make)"; test_done; }
T=$(mktemp -d /tmp/cf-examples.XXXXXX)
trap 'rc=$?; rm -rf "$T"; (exit $rc); cf_cleanup' EXIT

# name  file  zones profiles devices (devices include the CSV include)
while read -r name file zones profiles devices; do
	rc=0
	"$CTL" check "$file" >"$T/out" 2>"$T/err" || rc=$?
	check_eq "$name: camfencectl check exit code" 0 "$rc" || sed 's/^/#   /' "$T/out" "$T/err"
	check_eq "$name: no diagnostics" "" "$(cat "$T/err")"
	check_match "$name: $zones zones, $profiles profiles, $devices devices" \
		"(^|[^0-9])$zones zones?, $profiles profiles?, $devices devices?\$" "$(cat "$T/out")"
done <<'LIST'
hikvision examples/hikvision.conf 1 2 6
dahua examples/dahua.conf 2 2 6
mixed-onvif examples/mixed-onvif.conf 1 2 7
default-config deploy/camfence.conf 1 1 0
LIST

# The worked example in docs/deploy.md (the first code block after "The
# policy (") is a valid config too, with the NVR and three cameras.
sed -n '/^The policy (/,$p' docs/deploy.md | awk '/^```/{n++; next} n==1' >"$T/worked.conf"
rc=0
"$CTL" check "$T/worked.conf" >"$T/out" 2>&1 || rc=$?
check_eq "docs/deploy.md worked example: camfencectl check exit code" 0 "$rc" || sed 's/^/#   /' "$T/out"
check_match "docs/deploy.md worked example: 1 zone, 2 profiles, 4 devices" \
	"(^|[^0-9])1 zones?, 2 profiles?, 4 devices?\$" "$(cat "$T/out")"

# Each example's device list is what its comments say: count device names.
count_devices() { # FILE.conf FILE.csv
	echo $(($(grep -c '^device ' "$1") + $(tail -n +2 "$2" | grep -c .)))
}
check_eq "hikvision: NVR + 5 cameras" 6 "$(count_devices examples/hikvision.conf examples/hikvision-devices.csv)"
check_eq "dahua: NVR + 5 cameras" 6 "$(count_devices examples/dahua.conf examples/dahua-devices.csv)"
check_eq "mixed-onvif: 7 cameras" 7 "$(count_devices examples/mixed-onvif.conf examples/mixed-onvif-devices.csv)"

# No example allows anything towards "any" peer or the vendors' cloud/discovery
# ports: the point of these files is that nothing leaves the site.
check_eq "no 'allow to any' in the examples" "" \
	"$(grep -nE '^[[:space:]]*allow to any' examples/hikvision.conf examples/dahua.conf examples/mixed-onvif.conf deploy/camfence.conf)"
check_eq "no cloud/discovery ports allowed (8800 37020 37810 3702 1900)" "" \
	"$(grep -nE '^[[:space:]]*allow .*[ ,](8800|37020|37810|3702|1900)([ ,]|$)' examples/*.conf deploy/camfence.conf | grep -v '^examples/demo' || true)"

# The default /etc/camfence/camfence.conf blocks nothing on first start (the
# guide's "monitor first, then enforce"): global monitor, unknown devices passed.
check_eq "default config: mode monitor" "mode monitor" "$(grep -E '^[[:space:]]*mode ' deploy/camfence.conf | xargs)"
check_eq "default config: unknown monitor" "unknown monitor" "$(grep -E '^[[:space:]]*unknown ' deploy/camfence.conf | xargs)"

# The checker is not a rubber stamp: break one line of a copy.
cp examples/hikvision.conf examples/hikvision-devices.csv "$T/"
sed -i 's|allow from 10.20.0.5 tcp 8000 |allow from 10.20.0.5 tcp 80000|' "$T/hikvision.conf"
line=$(grep -n 'tcp 80000' "$T/hikvision.conf" | cut -d: -f1)
rc=0
"$CTL" check "$T/hikvision.conf" >"$T/out" 2>&1 || rc=$?
check_eq "broken copy: exit code" 1 "$rc"
check_match "broken copy: error names FILE:LINE" "$T/hikvision.conf:$line:[0-9]+: " "$(cat "$T/out")"

cp examples/dahua.conf examples/dahua-devices.csv "$T/"
echo "dh-dup,3c:ef:8c:30:00:21,10.30.0.99,dahua-camera," >>"$T/dahua-devices.csv"
rc=0
"$CTL" check "$T/dahua.conf" >"$T/out" 2>&1 || rc=$?
check_eq "duplicate MAC in the CSV: exit code" 1 "$rc"
check_eq "duplicate MAC in the CSV: reported with the include chain" \
"$T/dahua-devices.csv:7:1: duplicate MAC 3c:ef:8c:30:00:21 (first used by device dh-gate-north at $T/dahua-devices.csv:2)
$T/dahua.conf:$(grep -n '^include' "$T/dahua.conf" | cut -d: -f1): included here" "$(cat "$T/out")"

test_done
