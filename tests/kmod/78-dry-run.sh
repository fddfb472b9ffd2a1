#!/bin/bash
# cf-timeout: 300
# SPDX-License-Identifier: GPL-2.0
# camfencectl diff FILE and load --dry-run FILE: what loading FILE would
# change against the policy read back from the kernel (mode, zones, rule
# lines of profiles, devices with the changed fields, added and removed
# objects), exit status as diff(1) (0 same, 1 differs, 2 trouble), and
# nothing committed: generation and policy unchanged. The counts agree with
# what the kernel then reports for the real load.
source "$CF_TOP/tests/lib.sh"

SYS=/sys/kernel/camfence

cat > v1.conf <<'CONF'
mode enforce
zone cameras {
    vlan 20
}
profile nvr-only {
    allow from 10.20.0.5 tcp 554
    allow to 10.20.0.1 udp 53,123
}
profile old {
    allow to 10.20.0.1 udp 123
}
device lobby-1 {
    mac 44:19:b6:00:00:01
    ip 10.20.0.11
    profile nvr-only
}
device garage-2 {
    mac 3c:ef:8c:00:00:02
    ip 10.20.0.12
    profile nvr-only
}
device yard-3 {
    mac 44:19:b6:00:00:03
    profile old
}
CONF
cat > v2.conf <<'CONF'
mode monitor
zone cameras {
    vlan 20
    vlan 30
    unknown monitor
}
profile nvr-only {
    allow from 10.20.0.5 tcp 554,80
    allow to 10.20.0.1 udp 53,123
}
device lobby-1 {
    mac 44:19:b6:00:00:01
    ip 10.20.0.21
    profile nvr-only
    mode enforce
}
device garage-2 {
    mac 3c:ef:8c:00:00:02
    ip 10.20.0.12
    profile nvr-only
}
device gate-4 {
    mac 44:19:b6:00:00:04
    profile nvr-only
}
CONF

# before the first commit: everything would be added, the load commits
out=$(camfencectl load --dry-run v1.conf); rc=$?
check_eq "dry run at generation 0: exit" 1 "$rc"
check_eq "dry run at generation 0: first line" "+mode enforce" "$(head -1 <<< "$out")"
check_eq "dry run at generation 0: last lines" "note: no policy committed yet (generation 0): a load commits (the sealed VLANs and interfaces its zones do not cover stay sealed)
devices: 3 added, 0 removed, 0 changed, 0 unchanged; profiles: 2 added, 0 removed, 0 changed; zones: 1 added, 0 removed, 0 changed; mode changed
dry run: nothing committed (generation 0)" "$(tail -3 <<< "$out")"
check_eq "dry run at generation 0: nothing committed" 0 "$(sys_read $SYS/generation)"

check_eq "load v1" "added: garage-2, lobby-1, yard-3
generation 1: 3 added, 0 removed, 0 changed, 0 unchanged" "$(camfencectl load v1.conf 2>&1)"
camfencectl show policy > before.txt

expected='-mode enforce
+mode monitor
[edit zone cameras]
-    unknown drop
+    vlan 30
+    unknown monitor
[edit profile nvr-only]
     # used by lobby-1, garage-2, gate-4
-    allow from 10.20.0.5 tcp 554
+    allow from 10.20.0.5 tcp 554,80
-profile old {
-    allow to 10.20.0.1 udp 123
-}
[edit device lobby-1]
-    ip 10.20.0.11
+    ip 10.20.0.21
+    mode enforce
+device gate-4 {
+    mac 44:19:b6:00:00:04
+    profile nvr-only
+}
-device yard-3 {
-    mac 44:19:b6:00:00:03
-    profile old
-}
devices: 1 added, 1 removed, 2 changed (1 by their profile'"'"'s rules), 0 unchanged; profiles: 0 added, 1 removed, 1 changed; zones: 0 added, 0 removed, 1 changed; mode changed'

out=$(camfencectl diff v2.conf); rc=$?
check_eq "diff v2: exit" 1 "$rc"
check_eq "diff v2: output" "$expected" "$out"
out=$(camfencectl load --dry-run v2.conf); rc=$?
check_eq "load --dry-run v2: exit" 1 "$rc"
check_eq "load --dry-run v2: output" "$expected
dry run: nothing committed (generation 1)" "$out"
check_eq "dry run: generation unchanged" 1 "$(sys_read $SYS/generation)"
check_eq "dry run: mode unchanged" enforce "$(sys_read $SYS/mode)"
check_eq "dry run: policy unchanged" "$(cat before.txt)" "$(camfencectl show policy)"
check_eq "dry run: sysfs devices unchanged" "garage-2 lobby-1 yard-3" "$(ls $SYS/devices | paste -sd ' ')"

# the same file: exit 0, no output; the dry run says no commit
out=$(camfencectl diff v1.conf); rc=$?
check_eq "diff v1: exit" 0 "$rc"
check_eq "diff v1: no output" "" "$out"
out=$(camfencectl load --dry-run v1.conf); rc=$?
check_eq "load --dry-run v1: exit" 0 "$rc"
check_eq "load --dry-run v1: output" "no change: load would not commit (generation stays 1)" "$out"

# trouble: exit 2
printf 'zone z {\n    vlan 5000\n}\n' > bad.conf
out=$(camfencectl diff bad.conf 2>&1); rc=$?
check_eq "diff of a bad file: exit" 2 "$rc"
check_match "diff of a bad file: the parser's message" "^bad.conf:2:10: " "$out"
out=$(camfencectl diff missing.conf 2>&1); rc=$?
check_eq "diff of a missing file: exit" 2 "$rc"
out=$(camfencectl -j diff v1.conf 2>&1); rc=$?
check_eq "diff -j of the active file: exit" 0 "$rc"
check_eq "diff -j of the active file: nothing differs" "False False 3" \
	"$(python3 -c 'import json,sys; d=json.load(sys.stdin); print(d["differs"], d["would_commit"], d["summary"]["devices"]["unchanged"])' <<< "$out")"
out=$(camfencectl diff --dry-run v1.conf 2>&1); rc=$?
check_eq "--dry-run on diff: exit" 2 "$rc"
check_eq "--dry-run on diff: message" "camfencectl: options --dry-run and --confirm are only for load
Usage: camfencectl [-j] diff FILE" "$out"
pub=$(mktemp -d /tmp/cf-nobody.XXXXXX) && chmod 755 "$pub" && cp v1.conf "$pub/" && chmod 644 "$pub/v1.conf"
out=$(setpriv --reuid=65534 --regid=65534 --clear-groups --inh-caps=-all camfencectl diff "$pub/v1.conf" 2>&1); rc=$?
rm -rf "$pub"
check_eq "diff as nobody: exit" 2 "$rc"
check_eq "diff as nobody: message" "camfencectl: permission denied (need CAP_NET_ADMIN)" "$out"

# the real load reports what the dry run announced
out=$(camfencectl load v2.conf 2>&1)
check_eq "load v2 after the dry run" "added: gate-4
removed: yard-3
changed: lobby-1
changed: 1 device(s) whose profile rules changed
generation 2: 1 added, 1 removed, 2 changed, 0 unchanged" "$out"
out=$(camfencectl diff v2.conf); rc=$?
check_eq "diff v2 once loaded: exit" 0 "$rc"
check_eq "diff v2 once loaded: no output" "" "$out"

test_done
