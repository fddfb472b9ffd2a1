#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The demo site's network, built with network namespaces (see README.md).
#
#   topology.sh up           build the site (the router is the current netns)
#   topology.sh plug-rogue   plug the rogue device into the spare VLAN 20 port of
#                            the office, and a new camera into a spare port of
#                            the camera switch
#   topology.sh down         remove everything "up" created
#
# The router is also the camera access switch: one network namespace (the
# current one, init_net in the VM) holds the VLAN-aware bridge br0 with the
# cameras and the NVR on access ports (VLAN 20, untagged), the router's VLAN
# interfaces br0.20 and br0.30, an 802.1Q trunk towards the floor switch of
# the office, and the uplink to the internet. camfence is per network
# namespace, so this is where it sees both routed traffic (camera -> internet)
# and bridged traffic (camera -> camera, NVR -> camera).
#
# Devices on the camera VLAN (MAC, addresses) come from devices.csv, the same
# inventory file that site.conf includes.

set -eu

HERE=$(cd "$(dirname "$0")" && pwd)
DEVICES=${CF_DEMO_DEVICES:-$HERE/devices.csv}

# Everything outside the camera VLAN, on documentation addresses.
UPLINK_R=192.0.2.1			# router side of the uplink
UPLINK_I=192.0.2.2			# the "internet" side
UPLINK6_R=2001:db8:1::1
UPLINK6_I=2001:db8:1::2
CLOUD_ADDRS="203.0.113.10 198.51.100.20 198.51.100.123 198.51.100.53"
CLOUD6_ADDRS="2001:db8:c10d::10"
OFFICE_PC=10.30.0.10
OFFICE_MAC=00:1b:21:30:00:10
ROGUE_MAC=b8:27:eb:66:66:66		# a Raspberry Pi someone plugged in
ROGUE_IP=10.20.0.66
# A consumer EZVIZ (Hikvision) camera someone plugs into a spare access port
# of the camera switch; not in devices.csv (fakes.py: NEWCAM_*).
NEWCAM=cam-new
NEWCAM_MAC=64:f2:fb:00:00:15
NEWCAM_IP=10.20.0.15

# The namespaces this script creates (the router is the current one).
site_netns() {
	echo internet floor-sw office-pc rogue $NEWCAM
	tail -n +2 "$DEVICES" | cut -d, -f1
}

# Under QEMU's TCG every exec of ip(8) costs ~0.2 s, so each namespace is
# configured by ONE "ip -batch" (and the bridges by one "bridge -batch"):
# ns_batch NS <<EOF ... EOF   (NS "." = the router, the current namespace)
ns_batch() {
	if [ "$1" = . ]; then
		ip -batch -
	else
		ip -n "$1" -batch -
	fi
}

# The configuration of an end host: $1 netns, $2 gateway v4, $3 gateway v6
# (or "-"), then its addresses with prefix length.
host_batch() {
	local ns=$1 gw4=$2 gw6=$3 a
	shift 3
	{
		echo "link set lo up"
		echo "link set eth0 up"
		for a in "$@"; do
			case $a in
			*:*) echo "addr add $a dev eth0 nodad" ;;
			*) echo "addr add $a dev eth0" ;;
			esac
		done
		echo "route add default via $gw4"
		[ "$gw6" = - ] || echo "route add ::/0 via $gw6"
	} | ns_batch "$ns"
}

up() {
	local name mac ips ip
	local -a devs=()

	sysctl -qw net.ipv4.ip_forward=1
	sysctl -qw net.ipv6.conf.all.forwarding=1

	while IFS=, read -r name mac ips _; do
		[ "$name" = name ] && continue		# the CSV header
		devs+=("$name,$mac,$ips")
	done < "$DEVICES"

	# The router/switch: a VLAN-aware bridge. br0 itself is a tagged member
	# of VLANs 20 and 30: that is the router's leg on each VLAN (br0.20,
	# br0.30). The cameras and the NVR each get a namespace and an access
	# port (VLAN 20 untagged); the trunk goes to the floor switch; the
	# uplink to the internet.
	{
		for ns in $(site_netns); do
			echo "netns add $ns"
		done
		echo "link add br0 type bridge vlan_filtering 1 vlan_default_pvid 0 mcast_snooping 0"
		echo "link set br0 up"
		echo "link add link br0 name br0.20 type vlan id 20"
		echo "link add link br0 name br0.30 type vlan id 30"
		echo "addr add 10.20.0.1/24 dev br0.20"
		echo "addr add fd00:20::1/64 dev br0.20 nodad"
		echo "addr add 10.30.0.1/24 dev br0.30"
		echo "link set br0.20 up"
		echo "link set br0.30 up"
		for d in "${devs[@]}"; do
			IFS=, read -r name mac ips <<< "$d"
			echo "link add p-$name type veth peer name eth0 netns $name address $mac"
			echo "link set p-$name master br0 up"
		done
		# the spare access port: cabled, down until plug-rogue
		echo "link add p-spare type veth peer name eth0 netns $NEWCAM address $NEWCAM_MAC"
		echo "link set p-spare master br0"
		echo "link add trunk0 type veth peer name trunk0 netns floor-sw"
		echo "link set trunk0 master br0 up"
		echo "link add uplink type veth peer name eth0 netns internet"
		echo "addr add $UPLINK_R/24 dev uplink"
		echo "addr add $UPLINK6_R/64 dev uplink nodad"
		echo "link set uplink up"
		for ip in $CLOUD_ADDRS; do
			echo "route add $ip/32 via $UPLINK_I"
		done
		for ip in $CLOUD6_ADDRS; do
			echo "route add $ip/128 via $UPLINK6_I"
		done
	} | ns_batch .
	{
		echo "vlan add dev br0 vid 20 self"
		echo "vlan add dev br0 vid 30 self"
		for d in "${devs[@]}"; do
			echo "vlan add dev p-${d%%,*} vid 20 pvid untagged"
		done
		echo "vlan add dev p-spare vid 20 pvid untagged"
		echo "vlan add dev trunk0 vid 20"
		echo "vlan add dev trunk0 vid 30"
	} | bridge -batch -

	for d in "${devs[@]}"; do
		IFS=, read -r name mac ips <<< "$d"
		local -a addrs=()
		for ip in ${ips//;/ }; do
			case $ip in
			*:*) addrs+=("$ip/64") ;;
			*) addrs+=("$ip/24") ;;
			esac
		done
		host_batch "$name" 10.20.0.1 fd00:20::1 "${addrs[@]}"
	done

	# The office floor switch: the other end of the 802.1Q trunk (VLANs 20
	# and 30 tagged), the office PC on VLAN 30 and a spare VLAN 20 port in
	# a meeting room, where the rogue device is cabled but not yet up.
	ns_batch floor-sw <<-EOF
		link add br0 type bridge vlan_filtering 1 vlan_default_pvid 0 mcast_snooping 0
		link set trunk0 master br0 up
		link add p-office type veth peer name eth0 netns office-pc address $OFFICE_MAC
		link add p-rogue type veth peer name eth0 netns rogue address $ROGUE_MAC
		link set p-office master br0 up
		link set p-rogue master br0
		link set br0 up
	EOF
	bridge -n floor-sw -batch - <<-EOF
		vlan add dev trunk0 vid 20
		vlan add dev trunk0 vid 30
		vlan add dev p-office vid 30 pvid untagged
		vlan add dev p-rogue vid 20 pvid untagged
	EOF
	host_batch office-pc 10.30.0.1 - $OFFICE_PC/24
	host_batch rogue 10.20.0.1 - $ROGUE_IP/24
	host_batch $NEWCAM 10.20.0.1 - $NEWCAM_IP/24

	# The internet: the cloud endpoints on documentation addresses. No NAT,
	# so the endpoints see who really called them.
	{
		echo "link set lo up"
		echo "link set eth0 up"
		echo "addr add $UPLINK_I/24 dev eth0"
		echo "addr add $UPLINK6_I/64 dev eth0 nodad"
		echo "route add default via $UPLINK_R"
		echo "route add ::/0 via $UPLINK6_R"
		for ip in $CLOUD_ADDRS; do
			echo "addr add $ip/32 dev lo"
		done
		for ip in $CLOUD6_ADDRS; do
			echo "addr add $ip/128 dev lo"
		done
	} | ns_batch internet
}

plug_rogue() {
	ip link set p-spare up
	ip -n floor-sw link set p-rogue up
}

down() {
	{
		for ns in $(site_netns); do
			echo "netns delete $ns"
		done
		echo "link delete br0"
		echo "link delete uplink"
	} | ip -force -batch - 2>/dev/null || true
}

case ${1:-} in
up) up ;;
plug-rogue) plug_rogue ;;
down) down ;;
netns) site_netns ;;
*) echo "usage: $0 up|plug-rogue|down|netns" >&2; exit 2 ;;
esac
