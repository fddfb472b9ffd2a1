#!/bin/bash
# cf-timeout: 400
# SPDX-License-Identifier: GPL-2.0
# camfencectl show policy: the committed policy read back from the kernel
# (GET_POLICY) in the configuration language and as JSON; what it prints
# loads back as a no-op. A reload that changes nothing is not committed: the
# generation stays (exact numbers), also for a reordered file; a change of
# the mode or of one rule is committed. A profile too big for one netlink
# message comes back whole.
source "$CF_TOP/tests/lib.sh"

SYS=/sys/kernel/camfence

out=$(camfencectl show policy); rc=$?
check_eq "before the first commit: exit" 0 "$rc"
check_eq "before the first commit" "# camfence: no policy committed yet (generation 0)" "$out"

cat > site.conf <<'CONF'
mode monitor
zone cameras {
    vlan 30
    vlan 20
    interface cam1
    interface cam0
    unknown monitor
}
zone lab {
    vlan 40
}
profile nvr-only {
    allow from 10.20.0.5 tcp 554,80,8000-8010
    allow to 10.20.0.1 udp 53,123
    allow to fd00:20::/64 icmpv6
    allow to 224.0.0.22 igmp
    allow to any gre
    allow from 10.99.0.0/24
}
profile empty {
}
device lobby-1 {
    mac 44:19:b6:00:00:01
    ip 10.20.0.11
    ip fd00:20::11
    profile nvr-only
}
device garage-2 {
    mac 3c:ef:8c:00:00:02
    ip 10.20.0.12
    profile nvr-only
    mode enforce
}
device nvr {
    mac 00:11:32:00:00:05
    profile empty
}
CONF

out=$(camfencectl load site.conf 2>&1)
check_eq "first load" "added: garage-2, lobby-1, nvr
generation 1: 3 added, 0 removed, 0 changed, 0 unchanged" "$out"

# VLANs ascending and interfaces sorted (the kernel keeps them so),
# everything else in the order of the file
expected='# camfence policy, generation 1 (camfencectl show policy)
mode monitor

zone cameras {
    vlan 20
    vlan 30
    interface cam0
    interface cam1
    unknown monitor
}

zone lab {
    vlan 40
    unknown drop
}

profile nvr-only {
    allow from 10.20.0.5 tcp 554,80,8000-8010
    allow to 10.20.0.1 udp 53,123
    allow to fd00:20::/64 icmpv6
    allow to 224.0.0.22 igmp
    allow to any gre
    allow from 10.99.0.0/24
}

profile empty {
}

device lobby-1 {
    mac 44:19:b6:00:00:01
    ip 10.20.0.11
    ip fd00:20::11
    profile nvr-only
}

device garage-2 {
    mac 3c:ef:8c:00:00:02
    ip 10.20.0.12
    profile nvr-only
    mode enforce
}

device nvr {
    mac 00:11:32:00:00:05
    profile empty
}'
camfencectl show policy > x.conf; rc=$?
check_eq "show policy: exit" 0 "$rc"
check_eq "show policy" "$expected" "$(cat x.conf)"
check_eq "show policy is a valid file (allow to any gre: a warning)" "x.conf: ok: 2 zones, 2 profiles, 3 devices, 1 warning" \
	"$(camfencectl check x.conf)"

# show policy > x.conf && load x.conf: a no-op
out=$(camfencectl load x.conf 2>&1); rc=$?
check_eq "load of show policy: exit" 0 "$rc"
check_eq "load of show policy: no change" "no change: generation 1 stays (3 devices unchanged)" "$out"
check_eq "load of show policy: sysfs generation" 1 "$(sys_read $SYS/generation)"
check_eq "load of show policy: stats generation" 1 \
	"$(camfencectl stats -j | python3 -c 'import json,sys; print(json.load(sys.stdin)["generation"])')"
out=$(camfencectl load site.conf 2>&1)
check_eq "the same file again: no change" "no change: generation 1 stays (3 devices unchanged)" "$out"
out=$(camfencectl diff x.conf); rc=$?
check_eq "diff of show policy: exit" 0 "$rc"
check_eq "diff of show policy: no output" "" "$out"

# a reordered file (devices, profiles, zones, VLANs, addresses) is the same
cat > reordered.conf <<'CONF'
device nvr {
    profile empty
    mac 00:11:32:00:00:05
}
device garage-2 {
    mode enforce
    mac 3c:ef:8c:00:00:02
    ip 10.20.0.12
    profile nvr-only
}
device lobby-1 {
    mac 44:19:b6:00:00:01
    ip fd00:20::11
    ip 10.20.0.11
    profile nvr-only
}
profile empty {
}
profile nvr-only {
    allow from 10.20.0.5 tcp 554,80,8000-8010
    allow to 10.20.0.1 udp 53,123
    allow to fd00:20::/64 icmpv6
    allow to 224.0.0.22 igmp
    allow to any gre
    allow from 10.99.0.0/24
}
zone lab {
    vlan 40
    unknown drop
}
zone cameras {
    interface cam0
    vlan 20
    unknown monitor
    interface cam1
    vlan 30
}
mode monitor
CONF
out=$(camfencectl load reordered.conf 2>&1)
check_eq "reordered file: no change" "no change: generation 1 stays (3 devices unchanged)" "$out"
# a file without a mode keeps the kernel's: still no change
grep -v '^mode' x.conf > nomode.conf
check_eq "no mode statement: no change" "no change: generation 1 stays (3 devices unchanged)" \
	"$(camfencectl load nomode.conf 2>&1)"

# JSON
check_eq "show policy -j" '{"generation":1,"sealed":false,"mode":"monitor","zones":[{"name":"cameras","vlans":[20,30],"interfaces":["cam0","cam1"],"unknown":"monitor"},{"name":"lab","vlans":[40],"interfaces":[],"unknown":"drop"}],"profiles":[{"name":"nvr-only","rules":[{"direction":"from","peer":"10.20.0.5","protocol":"tcp","ports":["554","80","8000-8010"],"rule":"allow from 10.20.0.5 tcp 554,80,8000-8010"},{"direction":"to","peer":"10.20.0.1","protocol":"udp","ports":["53","123"],"rule":"allow to 10.20.0.1 udp 53,123"},{"direction":"to","peer":"fd00:20::/64","protocol":"icmpv6","ports":[],"rule":"allow to fd00:20::/64 icmpv6"},{"direction":"to","peer":"224.0.0.22","protocol":"igmp","ports":[],"rule":"allow to 224.0.0.22 igmp"},{"direction":"to","peer":"any","protocol":"gre","ports":[],"rule":"allow to any gre"},{"direction":"from","peer":"10.99.0.0/24","protocol":"any","ports":[],"rule":"allow from 10.99.0.0/24"}]},{"name":"empty","rules":[]}],"devices":[{"name":"lobby-1","mac":"44:19:b6:00:00:01","ips":["10.20.0.11","fd00:20::11"],"profile":"nvr-only","mode":"default"},{"name":"garage-2","mac":"3c:ef:8c:00:00:02","ips":["10.20.0.12"],"profile":"nvr-only","mode":"enforce"},{"name":"nvr","mac":"00:11:32:00:00:05","ips":[],"profile":"empty","mode":"default"}]}' \
	"$(camfencectl show policy -j)"

# the mode alone is a change: committed
sed 's/^mode monitor$/mode enforce/' x.conf > enforce.conf
out=$(camfencectl load enforce.conf 2>&1)
check_eq "mode change: committed" "generation 2: 0 added, 0 removed, 0 changed, 3 unchanged" "$out"
check_eq "mode change: sysfs mode" enforce "$(sys_read $SYS/mode)"
check_eq "mode change: show policy" "# camfence policy, generation 2 (camfencectl show policy)
mode enforce" "$(camfencectl show policy | head -2)"
# SET_MODE (no commit) then the same file: the mode differs, committed
camfencectl mode monitor > /dev/null
out=$(camfencectl load enforce.conf 2>&1)
check_eq "mode set by 'mode', file says enforce: committed" \
	"generation 3: 0 added, 0 removed, 0 changed, 3 unchanged" "$out"

# one port of one rule: committed, both devices of the profile changed
sed 's/udp 53,123/udp 53/' enforce.conf > rule.conf
out=$(camfencectl load rule.conf 2>&1)
check_eq "rule change: committed" "changed: 2 device(s) whose profile rules changed
generation 4: 0 added, 0 removed, 2 changed, 1 unchanged" "$out"
check_eq "rule change: read back" "    allow to 10.20.0.1 udp 53" \
	"$(camfencectl show policy | grep 'allow to 10.20.0.1')"
check_eq "rule change: again, no change" "no change: generation 4 stays (3 devices unchanged)" \
	"$(camfencectl load rule.conf 2>&1)"

# reading the policy needs CAP_NET_ADMIN, like the device inventory
out=$(setpriv --reuid=65534 --regid=65534 --clear-groups --inh-caps=-all camfencectl show policy 2>&1); rc=$?
check_eq "show policy as nobody: exit" 1 "$rc"
check_eq "show policy as nobody: message" "camfencectl: permission denied (need CAP_NET_ADMIN)" "$out"

# a profile bigger than one dump message (200 rules of 32 port ranges,
# about 60 KB) is split by the kernel and joined by camfencectl
cf_reload max_rules=256 || fail "cf_reload max_rules=256"
ports=$(seq -s, 1000 1031)
{
	echo "mode enforce"
	echo ""
	echo "zone cameras {"
	echo "    vlan 20"
	echo "    unknown drop"
	echo "}"
	echo ""
	echo "profile big {"
	for i in $(seq 1 200); do
		echo "    allow to 10.$((i / 100)).$((i % 100)).0/24 tcp $ports"
	done
	echo "}"
	echo ""
	echo "device cam-1 {"
	echo "    mac 44:19:b6:00:01:01"
	echo "    profile big"
	echo "}"
} > big.conf
out=$(camfencectl load big.conf 2>&1)
check_eq "big profile: load" "added: cam-1
generation 1: 1 added, 0 removed, 0 changed, 0 unchanged" "$out"
camfencectl show policy > big-back.conf
check_eq "big profile: read back whole" "$(printf '# camfence policy, generation 1 (camfencectl show policy)\n'; cat big.conf)" \
	"$(cat big-back.conf)"
check_eq "big profile: reload of the read-back policy" "no change: generation 1 stays (1 devices unchanged)" \
	"$(camfencectl load big-back.conf 2>&1)"

test_done
