#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# cftest.service: the checks on the running router.
#   boot 1: policy enforced (exact counters), systemctl reload with a broken
#           config, systemctl restart, modprobe -r/modprobe; then reboot.
#   boot 2: policy enforced after the reboot, package upgrade and downgrade
#           (upgrade.sh), the Ansible role (tests/sysboot/ansible/), package
#           removal and purge; then power off.
#
#   netns cam1 10.20.0.11 --cam1--+                     +--wan0-- netns inet 192.0.2.2
#   netns cam2 10.20.0.12 --cam2--+ br0 (VLAN 20) br0.20 10.20.0.1 | 192.0.2.1
#   netns nvr  10.20.0.5  --nvr1--+   (systemd-networkd)
source /usr/local/lib/cftest/lib.sh
source /usr/local/lib/cftest/upgrade.sh
mark "main-boot$BOOT"
export HOME=/root

# ---- the topology: the router's side is the image's systemd-networkd config ----
port_ns() { # NS PORT MAC ADDR/LEN GW
	netns_quiet "$1"
	ip link set "$2" netns "$1"
	ip -n "$1" link set "$2" address "$3"
	ip -n "$1" addr add "$4" dev "$2"
	ip -n "$1" link set "$2" up
	ip -n "$1" route add default via "$5"
}
setup_net() {
	if ! busywait 120000 sh -c 'ip -4 addr show dev br0.20 | grep -q "10.20.0.1/24"'; then
		notok "systemd-networkd configured br0.20" "$(networkctl 2>&1 | tr '\n' ' ')"
		return 1
	fi
	ok "systemd-networkd configured br0.20 10.20.0.1/24"
	for p in cam1 cam2 nvr1; do
		busywait 30000 sh -c "bridge vlan show dev $p | grep -q '20 PVID Egress Untagged'" ||
			notok "networkd: $p in VLAN 20" "$(bridge vlan show 2>&1 | tr '\n' ' ')"
	done
	check_eq "networkd: camera ports in br0 with PVID 20 untagged" 3 \
		"$(bridge vlan show | grep -c '20 PVID Egress Untagged')"
	check_eq "networkd: IPv4 forwarding" 1 "$(cat /proc/sys/net/ipv4/ip_forward)"
	port_ns cam1 cam1p 02:cf:00:00:00:11 10.20.0.11/24 10.20.0.1
	port_ns cam2 cam2p 02:cf:00:00:00:12 10.20.0.12/24 10.20.0.1
	port_ns nvr nvr1p 02:cf:00:00:00:05 10.20.0.5/24 10.20.0.1
	port_ns inet wan0p 02:cf:00:00:01:02 192.0.2.2/24 192.0.2.1
	# what reaches the internet from the camera VLAN, counted there
	ip netns exec inet nft 'add table ip cf; add chain ip cf in { type filter hook input priority 0; }; add rule ip cf in ip saddr 10.20.0.0/24 counter'
}
arrived_inet() {
	ip netns exec inet nft list chain ip cf in | sed -n 's/.*counter packets \([0-9]*\).*/\1/p'
}

# enforced LABEL: the policy of the image's camfence.conf, exact counters
enforced() {
	local l=$1 d a n i
	d=$(dev cam1 dropped_packets); i=$(arrived_inet)
	check_eq "$l: cam1 pings the internet, replies" 0 "$(received cam1 -c 3 -i 0.3 -W 2 192.0.2.2)"
	check_eq "$l: cam1 dropped_packets +3" 3 $(( $(dev cam1 dropped_packets) - d ))
	check_eq "$l: camera packets that reached the internet" 0 $(( $(arrived_inet) - i ))
	d=$(dev cam1 dropped_packets)
	check_eq "$l: cam1 pings cam2, replies" 0 "$(received cam1 -c 3 -i 0.3 -W 2 10.20.0.12)"
	check_eq "$l: cam1 dropped_packets +3 (camera to camera)" 3 $(( $(dev cam1 dropped_packets) - d ))
	a=$(dev cam1 allowed_packets); n=$(dev nvr allowed_packets); d=$(dev cam1 dropped_packets)
	check_eq "$l: cam1 pings its NVR, replies" 3 "$(received cam1 -c 3 -i 0.3 -W 2 10.20.0.5)"
	# allowed_packets counts packets to or from the device: 3 requests + 3 replies
	check_eq "$l: cam1 allowed_packets +6" 6 $(( $(dev cam1 allowed_packets) - a ))
	check_eq "$l: nvr allowed_packets +6" 6 $(( $(dev nvr allowed_packets) - n ))
	check_eq "$l: cam1 dropped_packets +0" 0 $(( $(dev cam1 dropped_packets) - d ))
}
gen() { sysv generation; }
gen_is() { [ "$(gen)" = "$1" ]; }

# modprobe_cycle LABEL: modprobe -r camfence && modprobe camfence while cam1
# pings the internet every 50 ms; LEAK = echo requests that reached it
modprobe_cycle() {
	local l=$1 c t0
	c=$(arrived_inet)
	ip netns exec cam1 ping -n -q -i 0.05 -c 200 -W 1 192.0.2.2 > "$STATE/ping.modprobe" 2>&1 &
	sleep 1
	t0=$(date +%s%3N)
	check_rc "$l: modprobe -r camfence && modprobe camfence" 0 sh -c 'modprobe -r camfence && modprobe camfence'
	info "$l: module reloaded in $(( $(date +%s%3N) - t0 )) ms; sealed=$(sysv sealed) generation=$(gen)"
	busywait 20000 sh -c '[ "$(cat /sys/kernel/camfence/sealed)" = 0 ]'
	info "$l: camfenced re-applied the policy $(( $(date +%s%3N) - t0 )) ms after the reload began"
	check_eq "$l: sealed_vlans again" 20 "$(cat /sys/module/camfence/parameters/sealed_vlans)"
	check_eq "$l: camfenced re-applied the policy (generation of the new module)" 1 "$(gen)"
	check_eq "$l: devices" 3 "$(sysv device_count)"
	wait
	LEAK=$(( $(arrived_inet) - c ))
	check_eq "$l: camfenced still active" active "$(unit_state camfenced)"
}

dmesg_clean() {
	# (the description must not match the console scan of run.sh)
	check_eq "kernel log clean (no warning, bug, oops, call trace)" 0 \
		"$(dmesg | grep -cE 'WARNING: CPU|BUG: |Oops: |general protection|Call Trace')"
}

boot1() {
	local g t0 rc c
	enforced "boot"

	# -- systemctl reload with a broken configuration --
	cp /etc/camfence/camfence.conf "$STATE/good.conf"
	g=$(gen)
	printf 'device broken {\n    mac 02:cf:00:00:00:zz\n}\n' >> /etc/camfence/camfence.conf
	check_rc "systemctl reload camfenced, broken config" 1 systemctl reload camfenced
	busywait 20000 sh -c 'journalctl -b -u camfenced | grep -q "active policy unchanged"'
	# camfenced saw the change itself (inotify) and refused the file
	check_eq "journal: camfenced refused the broken file, policy unchanged" 1 \
		"$(journalctl -b -u camfenced | grep -c '/etc/camfence/camfence.conf: 1 error, active policy unchanged')" ||
		journalctl -b -u camfenced --no-pager | tail -n 15 | sed 's/^/#   /' >&3
	check_eq "broken config: camfenced still active" active "$(unit_state camfenced)"
	check_eq "broken config: generation unchanged" "$g" "$(gen)"
	enforced "broken config"
	# The repaired file equals the active policy: camfenced reloads it and the
	# kernel commits nothing (a reload that changes nothing keeps the
	# generation; camfenced logs "policy unchanged: generation N").
	cp "$STATE/good.conf" /etc/camfence/camfence.conf	# inotify: camfenced reloads it
	busywait 20000 sh -c "journalctl -b -u camfenced | grep -q 'policy unchanged: generation $g'"
	c=$(journalctl -b -u camfenced | grep -c "policy unchanged: generation $g")
	check_match "config repaired: camfenced reloaded it by itself (inotify), nothing to commit" \
		'^[1-9][0-9]*$' "$c"
	check_eq "config repaired: generation unchanged" "$g" "$(gen)"
	check_rc "systemctl reload camfenced, good config" 0 systemctl reload camfenced
	busywait 20000 sh -c "[ \$(journalctl -b -u camfenced | grep -c 'policy unchanged: generation $g') -gt $c ]"
	check_eq "systemctl reload: loaded once, nothing to commit" $((c + 1)) \
		"$(journalctl -b -u camfenced | grep -c "policy unchanged: generation $g")"
	check_eq "systemctl reload: generation unchanged" "$g" "$(gen)"

	# -- systemctl restart, with a camera pinging the internet all along --
	g=$(gen); c=$(arrived_inet)
	ip netns exec cam1 ping -n -q -i 0.1 -c 60 -W 1 192.0.2.2 > "$STATE/ping.restart" 2>&1 &
	sleep 1
	check_rc "systemctl restart camfenced" 0 systemctl restart camfenced
	wait
	info "during restart: $(grep transmitted "$STATE/ping.restart")"
	check_eq "restart: camera packets that reached the internet" 0 $(( $(arrived_inet) - c ))
	check_eq "restart: camfenced active" active "$(unit_state camfenced)"
	check_eq "restart: camfenced loaded at start, nothing to commit (generation)" "$g" "$(gen)"
	enforced "after restart"

	# -- modprobe -r camfence && modprobe camfence, the daemon running --
	# Without any other rule: between the unload and the load no camfence
	# hook exists; what gets through then is measured, not asserted.
	modprobe_cycle "module reload"
	info "module reload, no backstop: $(grep transmitted "$STATE/ping.modprobe"); reached the internet: $LEAK"
	# With the nftables backstop of docs/deploy.md: nothing gets through.
	nft -f /usr/local/lib/cftest/backstop.nft
	modprobe_cycle "module reload + nft backstop"
	info "module reload, nft backstop: $(grep transmitted "$STATE/ping.modprobe"); the backstop dropped $(nft list chain inet cf_backstop forward | sed -n 's/.*packets \([0-9]*\).*/\1/p')"
	check_eq "module reload + nft backstop: camera packets that reached the internet" 0 "$LEAK"
	nft delete table inet cf_backstop
	enforced "after module reload"
	dmesg_clean

	echo 2 > "$STATE/boot"
	sync
	mark "reboot"
	systemctl --no-block reboot
}

boot2() {
	enforced "after reboot"
	dmesg_clean
	upgrade_checks
	dmesg_clean
	if [ -x /usr/local/lib/cftest/ansible.sh ]; then
		/usr/local/lib/cftest/ansible.sh
	fi
	/usr/local/lib/cftest/purge.sh
	dmesg_clean
	echo 3 > "$STATE/boot"
	sync
	mark "end"
	systemctl --no-block poweroff
}

setup_net || { mark "end"; systemctl --no-block poweroff; exit 0; }
case "$BOOT" in
1) boot1 ;;
2) boot2 ;;
*) info "boot $BOOT: nothing to do"; systemctl --no-block poweroff ;;
esac
exit 0
