#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# camfencectl mud import / export (RFC 8520) without the module, on the
# RFC's own example (DNS names only: refused, naming each ACE), a MUD file
# from a public repository (Cisco's MUD-Manager luminaire: two ACEs mapped,
# two refused) and a camera file that maps completely; round trips both
# ways (import -> export -> import gives the same profile, export -> import
# -> export the same MUD file), the export of a shipped vendor profile, the
# export read back by Python's json as a valid document with the RFC 8520
# structure, and the profile checked and instantiated for a site.

set -u
cd "$(dirname "$0")/../.." || exit 1
source tests/lib.sh

CTL=userspace-ctl/build/camfencectl
[ -x "$CTL" ] || { fail "$CTL not built (run make)"; test_done; }
T=$(mktemp -d /tmp/cf-mud.XXXXXX)
trap 'rc=$?; rm -rf "$T"; (exit $rc); cf_cleanup' EXIT
D=userspace-ctl/tests/data/mud
export SOURCE_DATE_EPOCH=1764806400

run() {
	RC=0
	"$@" >"$T/out" 2>"$T/err" || RC=$?
	OUT=$(cat "$T/out")
	ERR=$(cat "$T/err")
}
rules() { grep -v '^#' "$1" | grep -v '^$'; }

# --- RFC 8520 section 9: every ACE uses a DNS name
run "$CTL" mud import $D/rfc8520-lightbulb2000.json
check_eq "RFC 8520 example: exit" 1 "$RC"
check_eq "RFC 8520 example: nothing on stdout" "" "$OUT"
check_eq "RFC 8520 example: each ACE named" "camfencectl: $D/rfc8520-lightbulb2000.json: not mapped: ACE 'cl0-todev' (ACL 'mud-76100-v6to'): DNS name 'test.example.com' (ietf-acldns:src-dnsname): camfence rules take addresses; write the service's address, or leave it denied
camfencectl: $D/rfc8520-lightbulb2000.json: not mapped: ACE 'cl0-frdev' (ACL 'mud-76100-v6fr'): DNS name 'test.example.com' (ietf-acldns:dst-dnsname): camfence rules take addresses; write the service's address, or leave it denied
camfencectl: $D/rfc8520-lightbulb2000.json: no ACE could be mapped: no profile written" "$ERR"

# --- MUD-Manager's luminaire: my-controller and local-networks map, DNS names do not
run "$CTL" mud import $D/Luminaire_150.json
check_eq "luminaire: exit without --partial" 1 "$RC"
check_eq "luminaire: the refusal" "camfencectl: $D/Luminaire_150.json: 2 ACEs not mapped (they stay denied); --partial accepts that" \
	"$(tail -n 1 "$T/err")"
check_match "luminaire: the ACE named" "not mapped: ACE 'cl0-frdev' \\(ACL 'mud-21966-v4fr'\\): DNS name 'fw-update.luminaire.example.com'" "$ERR"
run "$CTL" mud import $D/Luminaire_150.json --partial
check_eq "luminaire --partial: exit" 0 "$RC"
check_eq "luminaire: profile (the vendor profiles' parameters)" "profile Luminaire_150 {
    allow to \$operators udp 5683
    allow to \$nvr udp 5684
}" "$(rules "$T/out")"
check_match "luminaire: the refused ACEs are in the profile's comments" \
	"# not mapped \\(denied\\): ACE 'cl0-todev'" "$OUT"
cp "$T/out" "$T/lum.conf"
printf 'define nvr = 10.20.0.5\ndefine operators = 10.30.0.0/24\ninclude "lum.conf"\n' > "$T/lum-site.conf"
run "$CTL" check "$T/lum-site.conf"
check_eq "luminaire profile with the parameters defined: check" "0 $T/lum-site.conf: ok: 0 zones, 1 profiles, 0 devices" "$RC $OUT"

# --- a camera that maps completely
run "$CTL" mud import $D/camera.json --name cam
check_eq "camera: exit" 0 "$RC"
check_eq "camera: no message" "" "$ERR"
check_eq "camera: profile" "profile cam {
    allow to 10.20.0.5 tcp 7200-7299
    allow to \$router udp 53,123
    allow to fd00:20::1 udp 123
    allow from 10.99.0.0/24 icmp
    allow from \$operators tcp 443
    allow from \$nvr tcp 80,554
}" "$(rules "$T/out")"
cp "$T/out" "$T/cam1.conf"
run "$CTL" profile "$T/cam1.conf" --nvr 10.20.0.5 --router 10.20.0.1 --operators 10.30.0.0/24
check_eq "camera: instantiated for a site" "0 profile cam {
    allow to 10.20.0.5 tcp 7200-7299
    allow to 10.20.0.1 udp 53,123
    allow to fd00:20::1 udp 123
    allow from 10.99.0.0/24 icmp
    allow from 10.30.0.0/24 tcp 443
    allow from 10.20.0.5 tcp 80,554
}" "$RC $(rules "$T/out")"

# --- round trips
run "$CTL" mud export cam -c "$T/cam1.conf" --url https://mud.example.com/camfence/cam
check_eq "export: exit" 0 "$RC"
cp "$T/out" "$T/cam1.json"
check_eq "export: RFC 8520 structure" "1 https://mud.example.com/camfence/cam 2025-12-04T00:00:00Z cam-v4fr,cam-v6fr cam-v4to,cam-v6to 4 25" \
	"$(python3 -c '
import json, sys
d = json.load(open(sys.argv[1]))
m = d["ietf-mud:mud"]
acls = d["ietf-access-control-list:acls"]["acl"]
print(m["mud-version"], m["mud-url"], m["last-update"],
      ",".join(a["name"] for a in m["from-device-policy"]["access-lists"]["access-list"]),
      ",".join(a["name"] for a in m["to-device-policy"]["access-lists"]["access-list"]),
      len(acls), sum(len(a["aces"]["ace"]) for a in acls))' "$T/cam1.json")"
run "$CTL" mud import "$T/cam1.json" --name cam
check_eq "import(export(P)) = P" "$(rules "$T/cam1.conf")" "$(rules "$T/out")"
cp "$T/out" "$T/cam2.conf"
run "$CTL" mud export cam -c "$T/cam2.conf" --url https://mud.example.com/camfence/cam
check_eq "export(import(M)) = M" "" "$(diff "$T/cam1.json" "$T/out")"

# a shipped vendor profile (its parameters undefined: export defines them
# as the placeholders): the router's DNS/NTP become the well-known
# controller classes, the NVR my-controller, the operators local-networks
run "$CTL" mud export hikvision -c profiles/hikvision.conf
check_eq "export hikvision: exit" 0 "$RC"
check_eq "export hikvision: MUD classes" "controller=urn:ietf:params:mud:dns controller=urn:ietf:params:mud:ntp local-networks my-controller" \
	"$(python3 -c '
import json, sys
d = json.load(sys.stdin)
s = set()
for a in d["ietf-access-control-list:acls"]["acl"]:
    for e in a["aces"]["ace"]:
        for k, v in e["matches"].get("ietf-mud:mud", {}).items():
            s.add(k + ("=" + v if isinstance(v, str) else ""))
print(" ".join(sorted(s)))' < "$T/out")"
cp "$T/out" "$T/hik.json"
run "$CTL" mud import "$T/hik.json" --name hikvision
check_eq "import(export(hikvision)): the same rules, merged" "profile hikvision {
    allow to \$router udp 53,123
    allow from \$operators tcp 80,443
    allow from \$nvr icmp
    allow from \$nvr tcp 80,443,554,8000
}" "$(rules "$T/out")"

# what export cannot say
printf 'profile p {\n    allow to 192.0.2.1 tcp 22\n    allow to 10.0.0.1 udp 514\n}\n' > "$T/p.conf"
run "$CTL" mud export p -c "$T/p.conf"
check_eq "export: the router as SSH: exit" 1 "$RC"
check_eq "export: the router as SSH: message" "rule 1 (allow to 192.0.2.1 tcp 22): the router has a MUD class for DNS (53) and NTP (123) only: left out
camfencectl: 1 rule of profile p not exported (see above)" "$ERR"

# errors
run "$CTL" mud import "$T/nonexistent.json"
check_eq "import: missing file" "1 camfencectl: $T/nonexistent.json: No such file or directory" "$RC $ERR"
echo '{"ietf-mud:mud": {"mud-version": 2}}' > "$T/v2.json"
run "$CTL" mud import "$T/v2.json"
check_eq "import: mud-version 2" "1 camfencectl: $T/v2.json: unsupported or missing mud-version (1 expected)" "$RC $ERR"
echo '{"ietf-mud:mud": ' > "$T/trunc.json"
run "$CTL" mud import "$T/trunc.json"
check_match "import: truncated JSON" "^camfencectl: $T/trunc.json: invalid JSON at byte" "$ERR"
run "$CTL" mud export nosuch -c "$T/cam1.conf"
check_eq "export: unknown profile" "1 camfencectl: $T/cam1.conf: no profile 'nosuch'" "$RC $ERR"
run "$CTL" mud export cam
check_eq "export without -c: usage" 2 "$RC"
run "$CTL" mud frobnicate
check_eq "mud frobnicate: usage" 2 "$RC"
# a newline smuggled in through an ACE name stays inside its comment
python3 - "$T/evil.json" <<'PY'
import json, sys
d = {"ietf-mud:mud": {"mud-version": 1, "mud-url": "https://x.example/evil\nmode monitor",
     "from-device-policy": {"access-lists": {"access-list": [{"name": "a"}]}}},
     "ietf-access-control-list:acls": {"acl": [{"name": "a", "type": "ipv4-acl-type", "aces": {"ace": [
     {"name": "x\nmode monitor", "matches": {"ipv4": {"ietf-acldns:dst-dnsname": "e.example"}}, "actions": {"forwarding": "accept"}},
     {"name": "ok", "matches": {"ipv4": {"protocol": 17, "destination-ipv4-network": "10.0.0.1/32"}, "udp": {"destination-port": {"operator": "eq", "port": 53}}}, "actions": {"forwarding": "accept"}}]}}]}}
json.dump(d, open(sys.argv[1], "w"))
PY
run "$CTL" mud import "$T/evil.json" --partial
check_eq "newline in an ACE name: no mode statement" "" "$(grep '^mode' "$T/out")"
cp "$T/out" "$T/evil.conf"
run "$CTL" check "$T/evil.conf"
check_eq "newline in an ACE name: the profile checks" 0 "$RC"
test_done
