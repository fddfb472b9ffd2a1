#!/bin/bash
# cf-timeout: 400
# SPDX-License-Identifier: GPL-2.0
# Offload, stated and detected (issue 13.6): zone interfaces whose traffic
# never reaches a camfence hook are reported at every load (a warning on
# stderr), by "camfencectl stats" (text and JSON) and in sysfs "offload".
#  1. a VLAN zone whose lower device is in an nft flowtable: reported, and
#     no longer once the flowtable is gone;
#  2. a switchdev port in an interface zone: reported. Debian's kernel
#     builds no virtual switchdev driver (netdevsim, rocker and dsa_loop are
#     all off), so this part runs only on a kernel that has netdevsim
#     (netdevsim ports have a switch id like a real switch chip's).
source "$CF_TOP/tests/lib.sh"

SYS=/sys/kernel/camfence
ip link add cfv type veth peer name cfv-p || fail "veth"
ip link add link cfv name cfv.30 type vlan id 30 || fail "vlan"
ip link set cfv up && ip link set cfv-p up && ip link set cfv.30 up || fail "up"
trap 'rc=$?; nft delete table inet cfft 2>/dev/null; ip link del cfv 2>/dev/null;
	[ -d /sys/bus/netdevsim/devices/netdevsim7 ] && echo 7 > /sys/bus/netdevsim/del_device;
	(exit $rc); cf_cleanup' EXIT

cat > cf.conf <<'CONF'
zone cams30 {
    vlan 30
}
zone plain {
    interface cfv-p
}
profile cam {
    allow to 10.99.0.5 udp 5000
}
device lobby-1 {
    mac 44:19:b6:00:00:01
    profile cam
}
CONF
offload_json() {
	camfencectl -j stats | python3 -c 'import json, sys; print(json.dumps(json.load(sys.stdin)["offload"]))'
}

# 0. Plain interfaces: nothing to report.
out=$(camfencectl load cf.conf 2>&1 >/dev/null); rc=$?
check_eq "load: exit" 0 "$rc"
check_eq "load: no warning" "" "$out"
check_eq "stats: no offload line" "" "$(camfencectl stats | grep '^offload:')"
check_eq "stats -j: offload empty" "[]" "$(offload_json)"
check_eq "sysfs offload: empty" "" "$(cat $SYS/offload)"

# 1. A flowtable on the VLAN zone's lower device.
nft -f - <<'NFT' || fail "flowtable"
table inet cfft {
	flowtable f {
		hook ingress priority 0; devices = { cfv };
	}
}
NFT
check_eq "stats: flowtable" "offload: cfv.30 flowtable" "$(camfencectl stats | grep '^offload:')"
check_eq "stats -j: flowtable" '["cfv.30 flowtable"]' "$(offload_json)"
check_eq "sysfs offload: flowtable" "cfv.30 flowtable" "$(cat $SYS/offload)"
out=$(camfencectl load cf.conf 2>&1 >/dev/null); rc=$?
check_eq "reload: exit" 0 "$rc"
check_eq "reload: flowtable warning" "camfencectl: warning: cfv.30: member of an nft flowtable: offloaded connections bypass camfence (keep camera zones out of flowtables; docs/deploy.md)" "$out"
nft delete table inet cfft || fail "delete flowtable"
check_eq "sysfs offload: empty again" "" "$(cat $SYS/offload)"

# 2. A switchdev port.
if ! modprobe netdevsim 2>/dev/null; then
	echo "# switchdev part not run: this kernel has no netdevsim (Debian's has no virtual switchdev driver)"
	test_done
fi
echo "7 1" > /sys/bus/netdevsim/new_device || fail "netdevsim device"
busywait "$(cf_ms 5000)" test -d /sys/bus/netdevsim/devices/netdevsim7/net || fail "netdevsim port"
NSIM=$(ls /sys/bus/netdevsim/devices/netdevsim7/net | head -n 1)
printf 'zone lab {\n    interface %s\n}\n' "$NSIM" >> cf.conf
out=$(camfencectl load cf.conf 2>&1 >/dev/null)
check_eq "load: switchdev warning" "camfencectl: warning: $NSIM: switchdev port: frames switched in hardware bypass camfence (use \"bridge link set dev PORT isolated on\" or keep the zone off the switch chip; docs/deploy.md)" "$out"
check_eq "sysfs offload: switchdev" "$NSIM switchdev" "$(cat $SYS/offload)"

test_done
