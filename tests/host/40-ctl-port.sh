#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The configured bridge port of a device (issue 13.3, port security), end
# to end through camfencectl check (exact stderr, empty stdout, exit 1):
# "port IFNAME" once per device block, a valid interface name; the CSV
# "bridge port" column; check --print writes it back and that output
# checks clean and prints the same again.

set -u
cd "$(dirname "$0")/../.." || exit 1
source tests/lib.sh

CTL=userspace-ctl/build/camfencectl
[ -x "$CTL" ] || { fail "$CTL not built (run make)"; test_done; }
T=$(mktemp -d /tmp/cf-port.XXXXXX)
trap 'rc=$?; rm -rf "$T"; (exit $rc); cf_cleanup' EXIT

run() {
	RC=0
	"$CTL" "$@" >"$T/out" 2>"$T/err" || RC=$?
	OUT=$(cat "$T/out")
	ERR=$(cat "$T/err")
}

# conf LINES...: a configuration whose device block ends with LINES
conf() {
	printf 'zone cameras {\n    vlan 20\n}\nprofile nvr {\n    allow to 10.20.0.1 udp 7000\n}\n'
	printf 'device nvr-local {\n    mac 00:11:32:00:00:05\n    profile nvr\n'
	printf '%s\n' "$@"
	printf '}\n'
}

conf "    port pnvr" > "$T/good.conf"
run check "$T/good.conf"
check_eq "good: exit" 0 "$RC"
check_eq "good: no errors" "" "$ERR"
run check --print "$T/good.conf"
check_eq "check --print: exit" 0 "$RC"
check_eq "check --print: the port line" "    port pnvr" "$(grep '^ *port ' "$T/out")"
cp "$T/out" "$T/printed.conf"
run check --print "$T/printed.conf"
check_eq "printed: checks clean" 0 "$RC"
check_eq "printed: prints the same again" "$(cat "$T/printed.conf")" "$OUT"

badname() {
	conf "    port $1" > "$T/bad.conf"
	run check "$T/bad.conf"
	check_eq "port '$1': exit" 1 "$RC"
	check_eq "port '$1': nothing on stdout" "" "$OUT"
	check_eq "port '$1': the error" \
		"$T/bad.conf:10:10: invalid interface name '$1' (expected 1-15 characters, no '/', ':' or spaces)" "$ERR"
}
badname abcdefghijklmnop
badname Gi1/0/3
badname eth0:1
badname ..

conf "    port pnvr" "    port pcam1" > "$T/twice.conf"
run check "$T/twice.conf"
check_eq "port twice: exit" 1 "$RC"
check_eq "port twice: the error" \
	"$T/twice.conf:11:5: duplicate 'port' in device nvr-local (first at line 10)" "$ERR"

conf "    port" > "$T/none.conf"
run check "$T/none.conf"
check_eq "port without a name: exit" 1 "$RC"
check_eq "port without a name: the error" "$T/none.conf:10:5: missing interface name" "$ERR"

conf "    port pnvr pcam1" > "$T/two.conf"
run check "$T/two.conf"
check_eq "two names: the error" "$T/two.conf:10:15: unexpected 'pcam1'" "$ERR"

# CSV: the "bridge port" column (a "port" column is someone else's: ignored)
printf 'zone cameras {\n    vlan 20\n}\nprofile nvr {\n}\ninclude "devices.csv"\n' > "$T/csv.conf"
printf 'name,mac,profile,bridge_port,port\nnvr-local,00:11:32:00:00:05,nvr,pnvr,Gi1/0/1\ncam,44:19:b6:00:00:01,nvr,,Gi1/0/2\n' \
	> "$T/devices.csv"
run check --print "$T/csv.conf"
check_eq "CSV: exit" 0 "$RC"
check_eq "CSV: one port line, nvr-local's" "    port pnvr" "$(grep '^ *port ' "$T/out")"
printf 'name,mac,profile,Bridge Port\nnvr-local,00:11:32:00:00:05,nvr,p/nvr\n' > "$T/devices.csv"
run check "$T/csv.conf"
check_eq "CSV: bad name: exit" 1 "$RC"
check_eq "CSV: bad name: the error, with the include" \
	"$T/devices.csv:2:33: invalid interface name 'p/nvr' (expected 1-15 characters, no '/', ':' or spaces)
$T/csv.conf:6: included here" "$ERR"

test_done
