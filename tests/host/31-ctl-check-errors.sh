#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# camfencectl check on broken configurations, end to end (exact stderr,
# empty stdout, exit 1): at most 50 errors then "N more errors", "did you
# mean" for keywords and profile names, the include chain of an error in
# an included file, and a real spreadsheet export (';', BOM, CR line ends,
# Cisco MACs, columns in another order) that checks clean.

set -u
cd "$(dirname "$0")/../.." || exit 1
source tests/lib.sh

CTL=userspace-ctl/build/camfencectl
[ -x "$CTL" ] || { fail "$CTL not built (run make)"; test_done; }
T=$(mktemp -d /tmp/cf-check-errors.XXXXXX)
trap 'rc=$?; rm -rf "$T"; (exit $rc); cf_cleanup' EXIT

# run ARGS...: exit status, stdout and stderr of camfencectl in RC, OUT, ERR
run() {
	RC=0
	"$CTL" "$@" >"$T/out" 2>"$T/err" || RC=$?
	OUT=$(cat "$T/out")
	ERR=$(cat "$T/err")
}

# 60 errors: 50 shown, then the count of the others
{
	echo "profile p {"
	for i in $(seq 1 60); do echo " allow to any tcp $((70000 + i))"; done
	echo "}"
} > "$T/many.conf"
run check "$T/many.conf"
check_eq "60 errors: exit" 1 "$RC"
check_eq "60 errors: nothing on stdout" "" "$OUT"
want=$(for i in $(seq 1 50); do
	echo "$T/many.conf:$((i + 1)):19: invalid port '$((70000 + i))' (expected 1-65535 or a range a-b)"
done; echo "camfencectl: 10 more errors")
check_eq "60 errors: the first 50, then '10 more errors'" "$want" "$ERR"
check_eq "60 errors: 51 lines" 51 "$(wc -l < "$T/err")"

# camfenced logs the same: 50 errors, the count of the others, the total
userspace-ctl/build/camfenced -f -c "$T/many.conf" 2>"$T/daemon.log" &
dpid=$!
busywait 20000 grep -q "active policy unchanged" "$T/daemon.log" || fail "camfenced: no error summary: $(cat "$T/daemon.log")"
kill -TERM "$dpid"
wait "$dpid"
check_eq "camfenced: 50 error lines" 50 "$(grep -c "many.conf:[0-9]*:19: invalid port" "$T/daemon.log")"
check_match "camfenced: then the count" "10 more errors" "$(grep -A1 "many.conf:51:19:" "$T/daemon.log" | tail -n 1)"
check_match "camfenced: and the total" "many.conf: 60 errors, active policy unchanged" "$(cat "$T/daemon.log")"

# 51 errors: "1 more error"
head -n 52 "$T/many.conf" > "$T/51.conf"; echo "}" >> "$T/51.conf"
run check "$T/51.conf"
check_eq "51 errors: last line" "camfencectl: 1 more error" "$(tail -n 1 "$T/err")"
# 50 errors: all shown, no count
head -n 51 "$T/many.conf" > "$T/50.conf"; echo "}" >> "$T/50.conf"
run check "$T/50.conf"
check_eq "50 errors: all shown, no count line" 50 "$(wc -l < "$T/err")"
check_match "50 errors: the last is an error" "50\\.conf:51:19: invalid port '70050'" "$(tail -n 1 "$T/err")"

# did you mean: keywords and profile names
cat > "$T/typos.conf" <<'CONF'
mode enforce
zone cameras {
    valn 20
    unknown dorp
}
profile nvr-only {
    alow from 10.20.0.5 tcp 554
    allow to 10.20.0.1 udp 53
    allow to 10.20.0.1 tpc 80
}
devcie lobby-1 {
}
device lobby-2 {
    mac 4419.b600.0002
    profile nvr-onyl
}
CONF
run check "$T/typos.conf"
check_eq "typos: exit" 1 "$RC"
check_eq "typos: every error with its suggestion" \
"$T/typos.conf:3:5: unknown zone statement 'valn' (did you mean vlan?)
$T/typos.conf:4:13: invalid action 'dorp' (did you mean drop?)
$T/typos.conf:7:5: unknown profile statement 'alow' (did you mean allow?)
$T/typos.conf:9:24: invalid protocol 'tpc' (did you mean tcp?)
$T/typos.conf:11:1: unknown statement 'devcie' (did you mean device?)
$T/typos.conf:12:1: unexpected '}' (no block is open)
$T/typos.conf:13:1: device lobby-2 uses unknown profile nvr-onyl (did you mean nvr-only?)" "$ERR"

# an error in an included CSV names the include chain
mkdir -p "$T/site/cams"
cat > "$T/site/site.conf" <<'CONF'
zone cameras {
    vlan 20
}
profile nvr-only {
    allow from 10.20.0.5 tcp 554
}
include "cams/lobby.conf"
CONF
printf 'include "lobby.csv"\n' > "$T/site/cams/lobby.conf"
printf 'name,mac,profile\nlobby-1,4419.b600.00zz,nvr-only\n' > "$T/site/cams/lobby.csv"
run check "$T/site/site.conf"
check_eq "include chain: exit" 1 "$RC"
check_eq "include chain: the error, then each include statement" \
"$T/site/cams/lobby.csv:2:9: invalid MAC '4419.b600.00zz' (expected aa:bb:cc:dd:ee:ff, aabb.ccdd.eeff or aabbccddeeff)
$T/site/cams/lobby.conf:1: included here
$T/site/site.conf:7: included here" "$ERR"

# a real export: ';', BOM, CR line ends, other column names and order
printf '\xef\xbb\xbfLocation;MAC Address;Device Name;Model;IP Address;Profile\r' > "$T/site/cams/lobby.csv"
printf 'Lobby;4419.B600.0001;lobby-1;DS-2CD2143;10.20.0.11, fd00:20::11;nvr-only\r' >> "$T/site/cams/lobby.csv"
printf ';;;;;\r' >> "$T/site/cams/lobby.csv"
printf 'Lobby;4419b6000002;lobby-2;DS-2CD2143;10.20.0.12;nvr-only\r' >> "$T/site/cams/lobby.csv"
run check "$T/site/site.conf"
check_eq "real export: exit" 0 "$RC"
check_eq "real export: output" "$T/site/site.conf: ok: 1 zones, 1 profiles, 2 devices" "$OUT"
check_eq "real export: no diagnostics" "" "$ERR"
test_done
