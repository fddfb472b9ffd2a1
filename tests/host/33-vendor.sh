#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Vendor recognition without the module: camfencectl vendor against a small
# fixture registry (CAMFENCE_IEEE_DATA) and against Debian's installed
# ieee-data (a known Hikvision and a known Dahua block), the camera-maker
# list, the U/L bit; unknown --from a saved `unknown -j` (VENDOR column,
# JSON vendor/camera_vendor) and unknown --csv, whose draft device list a
# configuration including it passes `camfencectl check` with.

set -u
cd "$(dirname "$0")/../.." || exit 1
source tests/lib.sh

CTL=userspace-ctl/build/camfencectl
[ -x "$CTL" ] || { fail "$CTL not built (run make)"; test_done; }
T=$(mktemp -d /tmp/cf-vendor.XXXXXX)
trap 'rc=$?; rm -rf "$T"; (exit $rc); cf_cleanup' EXIT
FIX=userspace-ctl/tests/data/ieee
export CAMFENCE_PROFILES=profiles

run() {
	RC=0
	"$@" >"$T/out" 2>"$T/err" || RC=$?
	OUT=$(cat "$T/out")
	ERR=$(cat "$T/err")
}

# --- the fixture registry: longest assignment first, U/L bit
run env CAMFENCE_IEEE_DATA=$FIX "$CTL" vendor 44:19:b6:00:00:01 70:b3:d5:f2:f0:01 70-B3-D5-F3-00-01 \
	70b3.d500.0001 02:00:00:00:00:99 0a:00:00:00:00:01 00:11:22:33:44:55
check_eq "vendor (fixture): exit" 0 "$RC"
check_eq "vendor (fixture): stderr" "" "$ERR"
check_eq "vendor (fixture): table" "MAC                VENDOR                                          REGISTRY        CAMERA
44:19:b6:00:00:01  Hangzhou Hikvision Digital Technology Co.,Ltd.  MA-L 4419B6     Hikvision
70:b3:d5:f2:f0:01  TELEPLATFORMS                                   MA-S 70B3D5F2F  -
70:b3:d5:f3:00:01  Some \"Quoted\" MA-M Org                          MA-M 70B3D5F    -
70:b3:d5:00:00:01  IEEE Registration Authority                     MA-L 70B3D5     -
02:00:00:00:00:99  randomised                                      -               -
0a:00:00:00:00:01  locally administered                            -               -
00:11:22:33:44:55  unregistered                                    -               -" "$OUT"

run env CAMFENCE_IEEE_DATA=$FIX "$CTL" -j vendor 44:19:b6:00:00:01 00:11:22:33:44:55
check_eq "vendor -j (fixture)" '{"vendors":[{"mac":"44:19:b6:00:00:01","vendor":"Hangzhou Hikvision Digital Technology Co.,Ltd.","camera_vendor":true,"camera_family":"Hikvision","registry":"MA-L","assignment":"4419B6","suggested_profile":"hikvision"},{"mac":"00:11:22:33:44:55","vendor":null,"camera_vendor":false,"registry":null,"assignment":null}]}' "$OUT"

run env CAMFENCE_IEEE_DATA=$FIX "$CTL" vendor 44:19:b6:00:00:0g 01:00:5e:00:00:01 00:00:00:00:00:00
check_eq "vendor: bad MACs: exit" 1 "$RC"
check_eq "vendor: bad MACs: messages" "camfencectl: invalid MAC '44:19:b6:00:00:0g' (expected aa:bb:cc:dd:ee:ff, aabb.ccdd.eeff or aabbccddeeff)
camfencectl: '01:00:5e:00:00:01' is a multicast MAC (no device has it)
camfencectl: '00:00:00:00:00:00' is the zero MAC (no device has it)" "$ERR"
run "$CTL" vendor
check_eq "vendor without MAC: usage" 2 "$RC"
run env CAMFENCE_IEEE_DATA="$T/none" "$CTL" vendor 44:19:b6:00:00:01
check_eq "vendor without a registry: exit" 1 "$RC"
check_eq "vendor without a registry: message" "camfencectl: $T/none: no IEEE registry (oui.csv; apt-get install ieee-data)" "$ERR"
printf 'Hikvision | Hikvision\n' > "$T/bad.list"
mkdir -p "$T/prof" && cp "$T/bad.list" "$T/prof/camera-vendors.list"
run env CAMFENCE_IEEE_DATA=$FIX CAMFENCE_PROFILES="$T/prof" "$CTL" vendor 44:19:b6:00:00:01
check_eq "malformed camera list: still answers" 0 "$RC"
check_eq "malformed camera list: warning" "camfencectl: warning: $T/prof/camera-vendors.list:1: expected 4 fields 'MATCH | FAMILY | PROFILE | SOURCE', got 2" "$ERR"
check_match "malformed camera list: no camera mark" "MA-L 4419B6  -\$" "$OUT"

# --- Debian's ieee-data, as installed (tests/vm/deps.sh installs it)
if [ -f /usr/share/ieee-data/oui.csv ]; then
	run "$CTL" vendor c0:56:e3:11:22:33 3c:ef:8c:00:00:02 ac:cc:8e:00:00:03 64:f2:fb:00:00:04
	check_eq "installed ieee-data: exit" 0 "$RC"
	check_eq "installed ieee-data: Hikvision, Dahua, Axis, EZVIZ" \
		"c0:56:e3:11:22:33 Hangzhou Hikvision Digital Technology Co.,Ltd. MA-L C056E3 Hikvision
3c:ef:8c:00:00:02 Zhejiang Dahua Technology Co., Ltd. MA-L 3CEF8C Dahua
ac:cc:8e:00:00:03 Axis Communications AB MA-L ACCC8E Axis
64:f2:fb:00:00:04 Hangzhou Ezviz Software Co.,Ltd. MA-L 64F2FB EZVIZ (Hikvision)" \
		"$(tail -n +2 "$T/out" | sed -E 's/  +/ /g')"
	# every matcher of the shipped list matches at least one registered organisation
	while IFS='|' read -r m _; do
		m=$(echo "$m" | sed 's/^ *//; s/ *$//')
		n=$(cat /usr/share/ieee-data/{oui,mam,oui36}.csv | grep -ic -- "$m" || true)
		[ "$n" -gt 0 ] || fail "camera-vendors.list: '$m' matches no organisation of ieee-data"
	done < <(grep -v '^#' profiles/camera-vendors.list | grep .)
	check_eq "camera-vendors.list: 18 makers, each found in ieee-data" 18 \
		"$(grep -v '^#' profiles/camera-vendors.list | grep -c .)"
else
	fail "ieee-data is not installed (tests/vm/deps.sh installs it)"
fi

# --- unknown --from a saved "camfencectl -j unknown", the VENDOR column, the draft
cat > "$T/unknown.json" <<'JSON'
{"unknown":[{"mac":"44:19:b6:12:34:56","zone":"cameras","vlan":20,"ifname":"br0","address":"10.20.0.21","first_seen":1764806400,"last_seen":1764810000,"packets":311},
{"mac":"02:00:00:00:00:99","zone":"cameras","vlan":20,"ifname":"br0","address":"fd00:20::99","first_seen":1764806400,"last_seen":1764810000,"packets":2},
{"mac":"3c:ef:8c:ab:cd:ef","zone":"cameras","vlan":20,"ifname":"br0","address":null,"first_seen":1764806460,"last_seen":1764810000,"packets":87}]}
JSON
run env CAMFENCE_IEEE_DATA=$FIX "$CTL" unknown --from "$T/unknown.json"
check_eq "unknown --from: exit" 0 "$RC"
check_eq "unknown --from: table" "MAC                ZONE     VLAN  IFNAME  ADDRESS      FIRST-SEEN            LAST-SEEN             PACKETS  VENDOR
02:00:00:00:00:99  cameras  20    br0     fd00:20::99  2025-12-04T00:00:00Z  2025-12-04T01:00:00Z  2        randomised
3c:ef:8c:ab:cd:ef  cameras  20    br0     -            2025-12-04T00:01:00Z  2025-12-04T01:00:00Z  87       Dahua
44:19:b6:12:34:56  cameras  20    br0     10.20.0.21   2025-12-04T00:00:00Z  2025-12-04T01:00:00Z  311      Hikvision" "$OUT"
run env CAMFENCE_IEEE_DATA=$FIX "$CTL" -j unknown --from "$T/unknown.json"
check_eq "unknown -j --from: vendor, camera_vendor" "02:00:00:00:00:99 randomised False
3c:ef:8c:ab:cd:ef Zhejiang Dahua Technology Co., Ltd. True
44:19:b6:12:34:56 Hangzhou Hikvision Digital Technology Co.,Ltd. True" \
	"$(python3 -c 'import json,sys
for u in json.load(sys.stdin)["unknown"]: print(u["mac"], u["vendor"], u["camera_vendor"])' < "$T/out")"

run env CAMFENCE_IEEE_DATA=$FIX "$CTL" unknown --csv --from "$T/unknown.json"
check_eq "unknown --csv: exit" 0 "$RC"
check_eq "unknown --csv: the draft" '# camfence draft device list: review every line, then include it
# from camfence.conf (include "FILE.csv") and run camfencectl check.
name,mac,ips,profile,mode,vendor,zone
# 02:00:00:00:00:99: randomised is not a known camera maker: review the profile
local-000099,02:00:00:00:00:99,fd00:20::99,generic-onvif,monitor,randomised,cameras
# 3c:ef:8c:ab:cd:ef: no address seen yet: add ips before enforcing
dahua-abcdef,3c:ef:8c:ab:cd:ef,,dahua,monitor,"Zhejiang Dahua Technology Co., Ltd.",cameras
hikvision-123456,44:19:b6:12:34:56,10.20.0.21,hikvision,monitor,"Hangzhou Hikvision Digital Technology Co.,Ltd.",cameras' "$OUT"
cp "$T/out" "$T/draft.csv"
# the draft is accepted by check, with the profiles it names instantiated for the site
for p in hikvision dahua generic-onvif; do
	"$CTL" profile $p --nvr 10.20.0.5 --router 10.20.0.1 > "$T/$p.conf" || fail "profile $p"
done
cat > "$T/site.conf" <<'CONF'
zone cameras {
    vlan 20
}
include "hikvision.conf"
include "dahua.conf"
include "generic-onvif.conf"
include "draft.csv"
CONF
run "$CTL" check "$T/site.conf"
check_eq "check with the draft: exit" 0 "$RC"
check_eq "check with the draft: output" "$T/site.conf: ok: 1 zones, 3 profiles, 3 devices" "$OUT"
check_eq "check with the draft: no diagnostics" "" "$ERR"
# ...and the draft really is checked: without the profiles it names, check fails
printf 'zone cameras {\n    vlan 20\n}\ninclude "draft.csv"\n' > "$T/noprof.conf"
run "$CTL" check "$T/noprof.conf"
check_eq "draft without its profiles: exit" 1 "$RC"
check_match "draft without its profiles: names the profile" "draft.csv:5:.*unknown profile generic-onvif" "$ERR"

run "$CTL" unknown --csv -j --from "$T/unknown.json"
check_eq "unknown --csv -j: usage" 2 "$RC"
run "$CTL" unknown --bogus
check_eq "unknown --bogus: usage" 2 "$RC"
check_eq "unknown --bogus: message" "camfencectl: unknown option '--bogus'
Usage: camfencectl [-j] unknown [--csv] [--from FILE]" "$ERR"
echo '{"unknown":[{"mac":"44:19:b6:00:00:01","vlan":9999}]}' > "$T/bad.json"
run "$CTL" unknown --from "$T/bad.json"
check_eq "unknown --from a bad file: exit" 1 "$RC"
check_eq "unknown --from a bad file: message" "camfencectl: $T/bad.json: unknown[0]: a number is invalid" "$ERR"
run "$CTL" unknown --from "$T/missing.json"
check_eq "unknown --from a missing file" "camfencectl: $T/missing.json: No such file or directory" "$ERR"
test_done
