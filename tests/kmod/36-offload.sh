#!/bin/bash
# cf-timeout: 400
# SPDX-License-Identifier: GPL-2.0
# Offload, stated and detected (issue 13.6): zone interfaces whose traffic
# never reaches a camfence hook are reported at every load (a warning on
# stderr), by "camfencectl stats" (text and JSON) and in sysfs "offload":
# a switchdev port (netdevsim, which has a switch id like a real switch
# chip's port) in an interface zone, and a VLAN zone whose lower device is
# in an nft flowtable. Reports follow the live state: the flowtable's
# removal and a policy without that zone clear them.
source "$CF_TOP/tests/lib.sh"

SYS=/sys/kernel/camfence
modprobe netdevsim || skip "no netdevsim"
echo "7 1" > /sys/bus/netdevsim/new_device || fail "netdevsim device"
busywait 5000 test -d /sys/bus/netdevsim/devices/netdevsim7/net || fail "netdevsim port"
NSIM=$(ls /sys/bus/netdevsim/devices/netdevsim7/net | head -n 1)
ip link add cfv type veth peer name cfv-p || fail "veth"
ip link add link cfv name cfv.30 type vlan id 30 || fail "vlan"
ip link set cfv up && ip link set cfv-p up && ip link set cfv.30 up || fail "up"
trap 'rc=$?; nft delete table inet cfft 2>/dev/null; ip link del cfv 2>/dev/null;
	echo 7 > /sys/bus/netdevsim/del_device; (exit $rc); cf_cleanup' EXIT

cat > cf.conf <<CONF
zone lab {
    interface $NSIM
}
zone cams30 {
    vlan 30
}
profile cam {
    allow to 10.99.0.5 udp 5000
}
device lobby-1 {
    mac 44:19:b6:00:00:01
    profile cam
}
CONF

# 1. No flowtable yet: the switchdev port only.
out=$(camfencectl load cf.conf 2>&1 >/dev/null); rc=$?
check_eq "load: exit" 0 "$rc"
check_eq "load: switchdev warning" "camfencectl: warning: $NSIM: switchdev port: frames switched in hardware bypass camfence (use \"bridge link set dev PORT isolated on\" or keep the zone off the switch chip; docs/deploy.md)" "$out"
check_eq "stats: offload" "offload: $NSIM switchdev" "$(camfencectl stats | grep '^offload:')"
check_eq "sysfs offload" "$NSIM switchdev" "$(cat $SYS/offload)"

# 2. A flowtable on the VLAN zone's lower device.
nft -f - <<'NFT' || fail "flowtable"
table inet cfft {
	flowtable f {
		hook ingress priority 0; devices = { cfv };
	}
}
NFT
check_eq "stats: both" "offload: $NSIM switchdev
offload: cfv.30 flowtable" "$(camfencectl stats | grep '^offload:')"
check_eq "stats -j: offload" "[\"$NSIM switchdev\", \"cfv.30 flowtable\"]" \
	"$(camfencectl -j stats | python3 -c 'import json, sys; print(json.dumps(json.load(sys.stdin)["offload"]))')"
check_eq "sysfs offload: both" "$NSIM switchdev
cfv.30 flowtable" "$(cat $SYS/offload)"
out=$(camfencectl load cf.conf 2>&1 >/dev/null)
check_eq "a reload warns again (2 lines)" 2 "$(printf '%s\n' "$out" | grep -c '^camfencectl: warning:')"
check_match "flowtable warning" "^camfencectl: warning: cfv.30: member of an nft flowtable: offloaded connections bypass camfence" \
	"$(printf '%s\n' "$out" | tail -n 1)"

# 3. The flowtable goes, then the lab zone.
nft delete table inet cfft || fail "delete flowtable"
check_eq "sysfs offload: switchdev only" "$NSIM switchdev" "$(cat $SYS/offload)"
sed -i '/^zone lab {/,/^}/d' cf.conf
out=$(camfencectl load cf.conf 2>&1 >/dev/null); rc=$?
check_eq "load without the lab zone: exit" 0 "$rc"
check_eq "load without the lab zone: no warning" "" "$out"
check_eq "stats: no offload line" "" "$(camfencectl stats | grep '^offload:')"
check_eq "stats -j: empty" "[]" \
	"$(camfencectl -j stats | python3 -c 'import json, sys; print(json.dumps(json.load(sys.stdin)["offload"]))')"
check_eq "sysfs offload: empty" "" "$(cat $SYS/offload)"

test_done
