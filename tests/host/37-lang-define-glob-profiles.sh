#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The language items of issue 14, end to end through camfencectl check
# (exact stdout, stderr and exit status): glob includes (sorted, no match
# is an error, the include chain in errors), define NAME = PEER, ... used as
# $NAME (expansion in check --print, undefined with did-you-mean,
# redefinition, empty list), several profiles per device in a block and in
# a CSV list (the combined profile, its length limit, unknown members).

set -u
cd "$(dirname "$0")/../.." || exit 1
source tests/lib.sh

CTL=$PWD/userspace-ctl/build/camfencectl
[ -x "$CTL" ] || { fail "$CTL not built (run make)"; test_done; }
T=$(mktemp -d /tmp/cf-lang.XXXXXX)
trap 'rc=$?; rm -rf "$T"; (exit $rc); cf_cleanup' EXIT

# run ARGS...: camfencectl in $T; exit status, stdout, stderr in RC, OUT, ERR
run() {
	RC=0
	(cd "$T" && "$CTL" "$@") >"$T/out" 2>"$T/err" || RC=$?
	OUT=$(cat "$T/out")
	ERR=$(cat "$T/err")
}

# ---- a site with all three: defines, a glob include, combined profiles ----
mkdir -p "$T/devices.d"
cat > "$T/site.conf" <<'CONF'
mode enforce
define nvr = 10.20.0.5, fd00:20::5
define infra = $nvr,10.20.0.1
zone cams {
    vlan 20
}
profile cam {
    allow to 10.20.0.1 udp 53,123
}
profile nvr-pull {
    allow from $nvr tcp 554
    allow to 10.20.0.1 udp 53,123   # also in cam: once in the union
}
profile mgmt {
    allow from $infra tcp 443
}
device lobby {
    mac 44:19:b6:00:00:01
    profile cam, nvr-pull
}
include "devices.d/*.csv"
CONF
# b before a in creation order; read a, b, c (sorted by name)
printf 'name,mac,profile\ncam-b,44:19:b6:00:00:0b,cam+nvr-pull\n' > "$T/devices.d/b.csv"
printf 'name;mac;profile\ncam-a;44:19:b6:00:00:0a;cam+nvr-pull+mgmt\n' > "$T/devices.d/a.csv"
printf 'name,mac,profile\ncam-c,44:19:b6:00:00:0c,cam\n' > "$T/devices.d/c.csv"
printf 'not a device list\n' > "$T/devices.d/notes.txt"

run check site.conf
check_eq "site: exit 0" 0 "$RC"
check_eq "site: summary" "site.conf: ok: 1 zones, 5 profiles, 4 devices" "$OUT"
check_eq "site: no warnings (members of combinations are used)" "" "$ERR"

run check --print site.conf
check_eq "check --print: exit 0" 0 "$RC"
check_eq "check --print: defines expanded, combined profiles, glob order a, b, c" "mode enforce

zone cams {
    vlan 20
    unknown drop
}

profile cam {
    allow to 10.20.0.1 udp 53,123
}

profile nvr-pull {
    allow from 10.20.0.5 tcp 554
    allow from fd00:20::5 tcp 554
    allow to 10.20.0.1 udp 53,123
}

profile mgmt {
    allow from 10.20.0.5 tcp 443
    allow from fd00:20::5 tcp 443
    allow from 10.20.0.1 tcp 443
}

profile cam.nvr-pull {
    allow to 10.20.0.1 udp 53,123
    allow from 10.20.0.5 tcp 554
    allow from fd00:20::5 tcp 554
}

profile cam.nvr-pull.mgmt {
    allow to 10.20.0.1 udp 53,123
    allow from 10.20.0.5 tcp 554
    allow from fd00:20::5 tcp 554
    allow from 10.20.0.5 tcp 443
    allow from fd00:20::5 tcp 443
    allow from 10.20.0.1 tcp 443
}

device lobby {
    mac 44:19:b6:00:00:01
    profile cam.nvr-pull
}

device cam-a {
    mac 44:19:b6:00:00:0a
    profile cam.nvr-pull.mgmt
}

device cam-b {
    mac 44:19:b6:00:00:0b
    profile cam.nvr-pull
}

device cam-c {
    mac 44:19:b6:00:00:0c
    profile cam
}" "$OUT"

# the printed policy is a configuration that prints the same (show policy
# round trip: combined profiles are ordinary profiles there)
cp "$T/out" "$T/printed.conf"
run check --print printed.conf
check_eq "check --print of its own output: exit 0" 0 "$RC"
check_eq "check --print of its own output: the same text" "$(cat "$T/printed.conf")" "$OUT"

run --print load site.conf
check_eq "--print on load: exit 2" 2 "$RC"
check_eq "--print on load: message" "camfencectl: option --print is only for check
Usage: camfencectl [-j] load [-y|--force] [--dry-run|--confirm SECONDS] FILE" "$ERR"

# ---- glob errors --------------------------------------------------------
printf 'name,mac,profile\ncam-d,44:19:b6:00:00:0d,nvr-pul\n' > "$T/devices.d/d.csv"
run check site.conf
check_eq "error in a globbed file: exit 1" 1 "$RC"
check_eq "error in a globbed file: did you mean, the include chain" "devices.d/d.csv:2:1: device cam-d uses unknown profile nvr-pul (did you mean nvr-pull?)
site.conf:21: included here" "$ERR"
rm "$T/devices.d/d.csv"

cat > "$T/glob-none.conf" <<'CONF'
include "devices.d/*.cvs"
include "nothere/*.csv"
include "devices.d/[ab].csv"
CONF
run check glob-none.conf
check_eq "no match: exit 1" 1 "$RC"
check_eq "no match: an error at the pattern, also for a missing directory; [ab] matches" "glob-none.conf:1:9: include pattern 'devices.d/*.cvs' matches no file
glob-none.conf:2:9: include pattern 'nothere/*.csv' matches no file
devices.d/a.csv:2:1: device cam-a uses unknown profile cam
glob-none.conf:3: included here
devices.d/a.csv:2:1: device cam-a uses unknown profile nvr-pull
glob-none.conf:3: included here
devices.d/a.csv:2:1: device cam-a uses unknown profile mgmt
glob-none.conf:3: included here
devices.d/b.csv:2:1: device cam-b uses unknown profile cam
glob-none.conf:3: included here
devices.d/b.csv:2:1: device cam-b uses unknown profile nvr-pull
glob-none.conf:3: included here" "$ERR"

mkdir "$T/devices.d/sub.csv"
run check site.conf
check_eq "a directory that matches: exit 1" 1 "$RC"
check_eq "a directory that matches: not a regular file" "site.conf:21:1: cannot read 'devices.d/sub.csv': not a regular file" "$ERR"
rmdir "$T/devices.d/sub.csv"

# camfenced watches the pattern: a file that appears in the directory is
# read (no module needed: a broken configuration is only parsed and logged)
mkdir "$T/w" "$T/w/devices.d"
printf 'include "devices.d/*.csv"\n' > "$T/w/site.conf"
"$PWD/userspace-ctl/build/camfenced" -f -c "$T/w/site.conf" 2>"$T/daemon.log" &
dpid=$!
busywait 20000 grep -q "active policy unchanged" "$T/daemon.log" ||
	fail "camfenced: no first parse: $(cat "$T/daemon.log")"
check_match "camfenced: no match logged" "site.conf:1:9: include pattern 'devices.d/\*.csv' matches no file" "$(cat "$T/daemon.log")"
printf 'name,mac,profile\nnew-cam,44:19:b6:00:00:99,nope\n' > "$T/w/devices.d/new.csv"
busywait 20000 grep -q "new.csv:2:1: device new-cam uses unknown profile nope" "$T/daemon.log"
check_eq "camfenced: a new file matching the pattern is read (reload)" 1 \
	"$(grep -c "new.csv:2:1: device new-cam uses unknown profile nope" "$T/daemon.log")"
printf 'x\n' > "$T/w/devices.d/notes.txt"
sleep 1
check_eq "camfenced: a file that does not match triggers nothing" 1 \
	"$(grep -c "new.csv:2:1: device new-cam uses unknown profile nope" "$T/daemon.log")"
kill -TERM "$dpid"
wait "$dpid"

# ---- define errors ------------------------------------------------------
cat > "$T/def.conf" <<'CONF'
define nvr = 10.20.0.5, fd00:20::5
define nvr = 10.0.0.1
define empty =
define gap = 10.0.0.1,,10.0.0.2
define nocomma = 10.0.0.1 10.0.0.2
define trailing = 10.0.0.1,
define badpeer = 10.0.0.300
define hostbits = 10.0.0.1/24
define bad$name = 10.0.0.1
define noeq 10.0.0.1
profile p {
    allow to $nrv udp 53
    allow to $zzz
    allow to $nvr icmpv6
    define q = 1.2.3.4
}
CONF
run check def.conf
check_eq "define errors: exit 1" 1 "$RC"
check_eq "define errors: every one at its line:col" "def.conf:2:8: \$nvr is already defined (first at def.conf:1)
def.conf:3:14: empty list in define empty (expected addresses or prefixes after '=')
def.conf:4:23: missing value before ','
def.conf:5:27: missing ',' before '10.0.0.2'
def.conf:6:27: missing value after ','
def.conf:7:18: invalid peer '10.0.0.300' (expected an address, a prefix or any)
def.conf:8:19: prefix 10.0.0.1/24 has host bits set (did you mean 10.0.0.0/24?)
def.conf:9:8: invalid define name 'bad\$name' (expected 1-32 characters of A-Z a-z 0-9 . _ -)
def.conf:10:13: expected '=' after define noeq
def.conf:12:14: undefined name '\$nrv' (did you mean \$nvr?)
def.conf:13:14: undefined name '\$zzz' (define it first: define zzz = ADDRESS, ...)
def.conf:14:19: icmpv6 does not match IPv4 peer 10.20.0.5 of \$nvr (use icmp)
def.conf:15:5: define is only allowed at the top level" "$ERR"

# with a define, icmp is the ICMP of each value's family (the vendor
# profiles' "allow from $nvr icmp" for an NVR with both addresses)
printf 'define nvr = 10.20.0.5, fd00:20::5\nprofile p {\n    allow from $nvr icmp\n}\n' > "$T/icmp.conf"
run check --print icmp.conf
check_eq "define with icmp: one rule per family's ICMP" "0 
profile p {
    allow from 10.20.0.5 icmp
    allow from fd00:20::5 icmpv6
}" "$RC $OUT"

# use before define; 14 words fit, more words ask for the compact form
cat > "$T/def2.conf" <<'CONF'
profile p {
    allow to $late
}
define late = 10.0.0.1
define many = 10.0.0.1 , 10.0.0.2 , 10.0.0.3 , 10.0.0.4 , 10.0.0.5 , 10.0.0.6 , 10.0.0.7 , 10.0.0.8
CONF
run check def2.conf
check_eq "use before define, too many words: exit 1" 1 "$RC"
check_eq "use before define, too many words: messages" "def2.conf:2:14: undefined name '\$late' (no define precedes this line)
def2.conf:5:90: too many words (max 16; write the list without spaces: a,b,c)" "$ERR"

# ---- several profiles: errors ------------------------------------------
cat > "$T/multi.conf" <<'CONF'
profile cam {
    allow to 10.20.0.1 udp 53
}
profile nvr {
}
profile cam.nvr {
}
device a {
    mac 44:19:b6:00:00:01
    profile cam, nvr-pul
}
device b {
    mac 44:19:b6:00:00:02
    profile cam nvr
}
device c {
    mac 44:19:b6:00:00:03
    profile cam,
}
device d {
    mac 44:19:b6:00:00:04
    profile cam, cam
}
device e {
    mac 44:19:b6:00:00:05
    profile cam, nvr
}
device f {
    mac 44:19:b6:00:00:06
    profile abcdefghijabcdefghij, abcdefghijkl
}
device g {
    mac 44:19:b6:00:00:07
    profile ,cam
}
CONF
run check multi.conf
check_eq "several profiles, errors: exit 1" 1 "$RC"
check_eq "several profiles, errors: messages" "multi.conf:14:17: missing ',' before 'nvr'
multi.conf:18:16: missing profile name after ','
multi.conf:22:18: profile cam is listed twice
multi.conf:30:35: too many profiles: the combined profile abcdefghijabcdefghij.abcdefghijkl would have a name of 33 characters, the kernel's limit is 32 (shorten the profile names)
multi.conf:34:13: missing profile name before ','
multi.conf:8:1: device a uses unknown profile nvr-pul
multi.conf:24:1: device e: profiles cam+nvr combine into the profile cam.nvr, but profile cam.nvr is defined at multi.conf:6 (rename it)" "$ERR"

# 32 characters exactly fit
cat > "$T/fit.conf" <<'CONF'
profile abcdefghijabcdefghij {
}
profile abcdefghijk {
}
device f {
    mac 44:19:b6:00:00:06
    profile abcdefghijabcdefghij+abcdefghijk
}
CONF
run check --print fit.conf
check_eq "32 characters: exit 0" 0 "$RC"
check_match "32 characters: the combined profile" "profile abcdefghijabcdefghij.abcdefghijk \\{" "$OUT"

# CSV: '+' only (',' and ';' separate fields)
printf 'name,mac,profile\nx,44:19:b6:00:00:10,cam+\ny,44:19:b6:00:00:11,+cam\nz,44:19:b6:00:00:12,cam+cam\nw,44:19:b6:00:00:13,cam+nvr-pul\n' > "$T/multi.csv"
printf 'profile cam {\n}\nprofile nvr-pull {\n}\ninclude "multi.csv"\n' > "$T/csv.conf"
run check csv.conf
check_eq "CSV several profiles, errors: exit 1" 1 "$RC"
check_eq "CSV several profiles, errors: messages" "multi.csv:2:24: missing profile name after '+'
csv.conf:5: included here
multi.csv:3:21: missing profile name before '+'
csv.conf:5: included here
multi.csv:4:25: profile cam is listed twice
csv.conf:5: included here
multi.csv:5:1: device w uses unknown profile nvr-pul (did you mean nvr-pull?)
csv.conf:5: included here" "$ERR"

test_done
