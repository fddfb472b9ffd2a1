#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# tests/vm/int3-repro.sh MODE COUNT: the experiment behind "Oops: int3 at
# br_handle_frame+0x18b" on Debian 13's 6.12 (docs/testing.md, "Kernel
# matrix").  Runs in the guest (tests/vm/vmrun -- tests/vm/int3-repro.sh ...).
#
# Two cameras flood UDP to the NVR across the VLAN-aware bridge br0 (the
# bridged topology of the data plane tests) while the last user of bridge
# connection tracking comes and goes COUNT times.  Each time, the netfilter
# core flips the static key nf_hooks_needed[NFPROTO_BRIDGE][NF_BR_PRE_ROUTING]
# (the jump label inlined in br_handle_frame), i.e. x86 patches that code with
# text_poke_bp while the other vCPU runs it.
#   MODE camfence  load camfence, commit a policy (it takes the bridge
#                  conntrack reference), rmmod (it drops it): the scenario
#                  of tests/kmod/19-rmmod-traffic.sh and 73-module-churn.sh
#   MODE nft       camfence never loaded: an nftables bridge table with a
#                  "ct state" rule is added and deleted instead (nft_ct takes
#                  and drops the same reference)
# Prints the number of flips done; an oops stops the guest (vmrun exit 125).
# shellcheck disable=SC2317  # cleanup runs from the EXIT trap (lib.sh)
source "$CF_TOP/tests/lib.sh"
source "$CF_TOP/tests/kmod/10-dataplane.lib"

MODE=$1
COUNT=$2
cf_bridged_topology || fail "topology"
cat > cf.conf <<'CONF'
zone cameras {
    vlan 20
}
profile cam {
    allow to 10.20.0.5 udp 5000
}
device lobby-1 {
    mac 44:19:b6:00:00:01
    ip 10.20.0.11
    profile cam
}
device garage-2 {
    mac 3c:ef:8c:00:00:02
    ip 10.20.0.12
    profile cam
}
CONF
modprobe -r camfence 2>/dev/null
ip netns exec nvrl cftraffic udp-sink -f stop -t 600000 10.20.0.5 5000 > sink.out &
busywait 10000 udp_bound nvrl 5000 || fail "sink"
ip netns exec cam1 cftraffic udp-send -i 50 -f stop 10.20.0.5 5000 1000000000 > /dev/null 2>&1 &
ip netns exec cam3 cftraffic udp-send -i 50 -f stop 10.20.0.5 5000 1000000000 > /dev/null 2>&1 &
sleep 1
t0=$(date +%s)
for ((i = 1; i <= COUNT; i++)); do
	case "$MODE" in
	camfence)
		modprobe camfence || { fail "modprobe ($i)"; break; }
		camfencectl load cf.conf > /dev/null || { fail "load ($i)"; break; }
		modprobe -r camfence || { fail "rmmod ($i)"; break; }
		;;
	nft)
		nft -f - <<-'NFT' || { fail "nft add ($i)"; break; }
		table bridge cfrepro {
			chain forward_ct {
				type filter hook forward priority 0;
				ct state established counter
			}
		}
		NFT
		nft delete table bridge cfrepro || { fail "nft delete ($i)"; break; }
		;;
	*) fail "mode camfence or nft"; break ;;
	esac
done
touch stop
wait_secs=$(($(date +%s) - t0))
echo "# $MODE: $COUNT flips of the bridge conntrack user under bridged UDP in ${wait_secs} s, no oops"
check_eq "flips" "$COUNT" "$((i - 1))"
test_done
