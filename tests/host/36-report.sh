#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# cf-timeout: 300
#
# camfencectl report without the module: the page is rendered from a saved
# `camfencectl -j report` (userspace-ctl/tests/data/report/site.json) by
# headless Chromium (Debian's chromium): the rendered text (print to PDF,
# pdftotext) says what the site did, the page references nothing outside
# itself, and a PNG screenshot is kept as a test artifact in
# ${CF_ARTIFACTS:-.cache/artifacts}/36-report/. -j report round-trips the
# data; a device in monitor mode turns the summary red.

set -u
cd "$(dirname "$0")/../.." || exit 1
source tests/lib.sh

CTL=userspace-ctl/build/camfencectl
[ -x "$CTL" ] || { fail "$CTL not built (run make)"; test_done; }
command -v chromium >/dev/null || { fail "chromium is not installed (tests/vm/deps.sh installs it)"; test_done; }
command -v pdftotext >/dev/null || { fail "pdftotext is not installed (poppler-utils)"; test_done; }
T=$(mktemp -d /tmp/cf-report.XXXXXX)
trap 'rc=$?; rm -rf "$T"; (exit $rc); cf_cleanup' EXIT
ART=${CF_ARTIFACTS:-$CF_TOP/.cache/artifacts}/36-report
mkdir -p "$ART"
FIX=userspace-ctl/tests/data/report/site.json
export CAMFENCE_PROFILES=profiles

run() {
	RC=0
	"$@" >"$T/out" 2>"$T/err" || RC=$?
	OUT=$(cat "$T/out")
	ERR=$(cat "$T/err")
}
# chrome ARGS...: headless Chromium, its own profile, no network, no sandbox (root)
chrome() {
	timeout 120 chromium --headless --no-sandbox --disable-gpu --no-first-run \
		--user-data-dir="$T/chrome" --disable-background-networking --disable-component-update \
		--proxy-server=127.0.0.1:9 "$@" >>"$T/chrome.log" 2>&1
}

run "$CTL" report --from $FIX -c examples/vendor-profiles/site.conf -o "$T/site.html" --title "Town hall <cameras> & co"
check_eq "report --from: exit" 0 "$RC"
check_eq "report --from: says where" "report written to $T/site.html (4 devices)" "$OUT"
check_eq "report --from: no warning" "" "$ERR"
check_eq "self-contained: no src=, href= or url()" "" \
	"$(grep -oiE '(src|href)=|url\(|<script|<link|@import' "$T/site.html")"
check_eq "the title is escaped" "<title>Town hall &lt;cameras&gt; &amp; co</title>" "$(grep -o '<title>.*</title>' "$T/site.html")"
check_eq "one inline SVG bar per camera" 4 "$(grep -o '<svg class="bar"' "$T/site.html" | wc -l)"

chrome --print-to-pdf="$T/site.pdf" "file://$T/site.html"
check_eq "chromium printed the page" 1 "$([ -s "$T/site.pdf" ] && echo 1 || echo 0)"
pdftotext -layout "$T/site.pdf" "$T/site.txt"
txt=$(tr -s ' \n' ' ' < "$T/site.txt")
check_match "rendered: the summary" "4 cameras; 2 tried to reach the internet 23,410 times; 0 connections got through\\." "$txt"
check_match "rendered: generation and time" "Generated 2025-12-04 01:00 UTC by camfencectl from policy generation 42 \\(global mode enforce, module 0\\.1\\.0\\)" "$txt"
check_match "rendered: the title" "Town hall <cameras> & co" "$txt"
check_match "rendered: lobby-1's vendor" "Vendor Hikvision \\(camera maker; registered to Hangzhou Hikvision Digital Technology Co\\.,Ltd\\.\\)" "$txt"
check_match "rendered: lobby-1 tried the internet" "tried 21,410 times, 2 destinations: all blocked" "$txt"
check_match "rendered: an IPv6 destination" "to tcp \\[2001:db8:cafe::7\\]:6800 internet 3,410" "$txt"
check_match "rendered: another camera named" "to udp 10\\.20\\.0\\.12:37020 another camera \\(garage-2\\) 40" "$txt"
check_match "rendered: multicast discovery" "to udp 239\\.255\\.255\\.251:37810 multicast \\(the segment\\) 2" "$txt"
check_match "rendered: the rules from -c" "profile hikvision allow from 10\\.20\\.0\\.5 tcp 554 allow from 10\\.20\\.0\\.5 tcp 80,443" "$txt"
check_match "rendered: since when" "Since 2025-12-02 00:00 UTC" "$txt"
check_match "rendered: a quiet camera" "yard-3 .*never tried Since no denied attempt recorded" "$txt"
check_match "rendered: lobby-1's DNS heading" "DNS: 3 names asked for; 2 malformed queries not recorded DNS name it asked for Times First Last Query" "$txt"
check_match "rendered: lobby-1's DNS names, most queried first" "api\\.hik-connect\\.com 480 2025-12-02 00:00 UTC 2025-12-04 00:59 UTC allowed \\(its resolver\\) api\\.hik-connect\\.com 96 2025-12-02 00:00 UTC 2025-12-04 00:43 UTC blocked time\\.example\\.org 12 2025-12-02 00:00 UTC 2025-12-04 00:00 UTC allowed \\(its resolver\\) What it tried" "$txt"
check_eq "DNS: only lobby-1 has a table" 1 "$(grep -c '<p class="dnsnote">' "$T/site.html")"
check_eq "rendered: nothing got through" 0 "$(grep -c 'got through (monitor)' "$T/site.txt")"

chrome --screenshot="$ART/report.png" --window-size=1000,2000 "file://$T/site.html"
check_eq "screenshot saved (PNG)" "PNG image data, 1000 x 2000" "$(file -b "$ART/report.png" | cut -d, -f1,2)"
cp "$T/site.html" "$ART/report.html"
echo "# screenshot: $ART/report.png"

# -j report writes the data the page was made from; reading it back gives the same page
run "$CTL" -j report --from $FIX -c examples/vendor-profiles/site.conf
check_eq "-j report: exit" 0 "$RC"
cp "$T/out" "$T/again.json"
check_eq "-j report: rules included" "allow from 10.20.0.5 tcp 37777" \
	"$(python3 -c 'import json,sys; print([d for d in json.load(sys.stdin)["devices"] if d["name"] == "garage-2"][0]["rules"][0])' < "$T/again.json")"
check_eq "-j report: DNS names kept (in their order), none for garage-2" "3 2 time.example.org,api.hik-connect.com,api.hik-connect.com dropped no-dns" \
	"$(python3 -c 'import json,sys; d={x["name"]: x for x in json.load(sys.stdin)["devices"]}; l=d["lobby-1"]["dns"]; g=d["garage-2"]
print(l["total"], l["invalid"], ",".join(n["name"] for n in l["names"]), l["names"][2]["verdict"], "dns" in g and "dns" or "no-dns")' < "$T/again.json")"
run "$CTL" report --from "$T/again.json" --title "Town hall <cameras> & co"
"$CTL" report --from $FIX -c examples/vendor-profiles/site.conf --title "Town hall <cameras> & co" > "$T/direct.html"
check_eq "report --from (-j report) = the same page" "" "$(diff "$T/direct.html" "$T/out")"

# a camera in monitor mode: what it tried got through, and the summary says so
python3 - "$FIX" "$T/monitor.json" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
for dev in d["devices"]:
    if dev["name"] == "garage-2":
        dev["mode"] = dev["effective_mode"] = "monitor"
json.dump(d, open(sys.argv[2], "w"))
PY
run "$CTL" report --from "$T/monitor.json"
check_match "monitor: the summary" '2 tried to reach the internet 23,410 times; <span class="bad">2,000 of those attempts got through \(monitor mode\)</span>' "$OUT"
check_match "monitor: the device" "tried 2,000 times, 1 destination: got through \\(monitor mode\\)" "$OUT"

# a device that is not from a camera maker (an NVR on a Raspberry Pi) is not called a camera
python3 - "$FIX" "$T/mixed.json" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
for dev in d["devices"]:
    if dev["name"] == "nvr-1":
        dev["mac"] = "b8:27:eb:00:00:fe"
json.dump(d, open(sys.argv[2], "w"))
PY
run "$CTL" report --from "$T/mixed.json"
check_match "mixed: the summary counts devices and cameras" '<p class="summary" id="summary">4 devices \(3 by a camera maker\); 2 tried to reach the internet 23,410 times; ' "$OUT"

# errors
run "$CTL" report --from "$T/nonexistent.json"
check_eq "missing --from file" "1 camfencectl: $T/nonexistent.json: No such file or directory" "$RC $ERR"
echo '{"stats": {}, "devices": [{"name": "a b", "mac": "44:19:b6:00:00:01"}]}' > "$T/bad.json"
run "$CTL" report --from "$T/bad.json"
check_eq "bad device name" "1 camfencectl: $T/bad.json: devices[0]: missing or invalid name or mac" "$RC $ERR"
python3 - "$FIX" "$T/baddns.json" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
[x for x in d["devices"] if x["name"] == "lobby-1"][0]["dns"]["names"][0]["name"] = "evil<script>.com"
json.dump(d, open(sys.argv[2], "w"))
PY
run "$CTL" report --from "$T/baddns.json"
check_eq "a DNS name the kernel cannot record" "1 camfencectl: $T/baddns.json: devices[1] (lobby-1): dns is invalid" "$RC $ERR"
run "$CTL" report --bogus
check_eq "unknown argument: usage" 2 "$RC"
run "$CTL" report
check_eq "live without the module" "1 camfencectl: camfence is not loaded (modprobe camfence; dkms status)" "$RC $ERR"
test_done
