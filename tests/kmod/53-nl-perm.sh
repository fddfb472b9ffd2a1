#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Every write (and the inventory reads, the policy dump) needs CAP_NET_ADMIN in the user
# namespace that owns the network namespace; GET_STATS is open to everyone.
# Joining the events multicast group needs the same capability. The sysfs
# tree is read-only for everyone, root included.  After all the refused
# attempts the policy is exactly as committed.
source "$CF_TOP/tests/lib.sh"

command -v setpriv >/dev/null || skip "setpriv missing"
command -v unshare >/dev/null || skip "unshare missing"

nobody() { setpriv --reuid=65534 --regid=65534 --clear-groups "$@"; }

# in_userns [-n] CMD...: run CMD as root of a new user namespace (and, with
# -n, in a new network namespace it owns). A chrooted process may not create
# a user namespace, so in a chrooted guest step out to PID 1's root for the
# unshare and chroot back in inside the new namespace.
in_userns() {
	local opts=()
	[ "$1" = -n ] && { opts=(-n); shift; }
	if unshare -U -r true 2>/dev/null; then
		unshare -U -r "${opts[@]}" "$@"
		return
	fi
	local d root=
	for d in /proc/1/root/*/; do
		[ -e "$d$CF_TOP/tests/lib.sh" ] && root=/${d#/proc/1/root/}
	done
	[ -n "$root" ] || { echo "# in_userns: cannot find the guest root" >&2; return 1; }
	nsenter -t 1 -m -r /bin/busybox unshare -U -r "${opts[@]}" \
		/bin/busybox chroot "$root" /usr/bin/env PATH="$PATH" "$@"
}
EPERM='error -1 \(Operation not permitted\)'
P='profile p,rule=to/10.0.0.1/-/17/53'

# A committed policy that must survive every refused attempt.
check_eq "root loads a policy" "begin: ok
profile: ok
device: ok
commit: generation=1 added=1 removed=0 changed=0 unchanged=0 ok" \
	"$(nltest begin "$P" device cam1,02:00:00:00:00:01,p,addr=10.0.0.11 commit)"

for args in begin commit abort flush "setmode 2" "$P" "device d,02:00:00:00:00:02,p" \
	    "get cam1" dump unknown policy; do
	# shellcheck disable=SC2086
	out=$(nobody nltest $args)
	check_match "nobody: $args" "^[a-z]+: $EPERM" "$out"
done

out=$(nobody nltest stats)
check_match "nobody may read the global stats" \
	'^stats: mode=1 generation=1 device_count=1 sealed=0 version=[0-9.]+ .* ok$' "$out"

# Root of a new user namespace, in a network namespace owned by the
# initial user namespace: refused, writes and inventory reads alike.
for args in begin commit abort flush "setmode 2" "$P" "device d,02:00:00:00:00:02,p" \
	    "get cam1" dump unknown policy; do
	# shellcheck disable=SC2086
	out=$(in_userns nltest $args)
	check_match "userns root in init_net: $args" "^[a-z]+: $EPERM" "$out"
done
cf_netns t1
out=$(ip netns exec t1 bash -c "$(declare -f in_userns); in_userns nltest begin")
check_match "userns root in a netns the parent owns" "^begin: $EPERM" "$out"

# Root of a new user namespace in its own new network namespace: allowed
# there, and it does not touch init_net's policy.
out=$(in_userns -n nltest begin "$P" commit stats)
check_match "userns root in its own netns may commit" \
	'^begin: ok
profile: ok
commit: generation=1 added=0 removed=0 changed=0 unchanged=0 ok
stats: mode=1 generation=1 device_count=0 ' "$out"

# sysfs is read-only: no file has a w bit, and a write fails for root
# (kernfs refuses to open a file without a store method for writing, even
# with CAP_DAC_OVERRIDE) and for nobody.
S=/sys/kernel/camfence
nfiles=$(find $S -type f | wc -l)
check_match "sysfs files (global, stats, the device's)" '^[1-9][0-9]+$' "$nfiles"
check_eq "sysfs files with a w bit" "" "$(find $S -type f -perm /222)"
# try_writes FILE...: try "echo 1 > FILE" for each, print the error lines.
# shellcheck disable=SC2016
try_writes() { sh -c 'for f in "$@"; do echo 1 > "$f"; done' sh "$@" 2>&1; }
files=$(find $S -type f)
# shellcheck disable=SC2086
check_eq "root: writes to sysfs refused with EACCES" "$nfiles" \
	"$(try_writes $files | grep -c ': Permission denied$')"
# shellcheck disable=SC2086
check_eq "nobody: writes to sysfs refused with EACCES" "$nfiles" \
	"$(nobody bash -c "$(declare -f try_writes); try_writes \"\$@\"" bash $files |
		grep -c ': Permission denied$')"
check_eq "a sysfs value is unchanged" "02:00:00:00:00:01" "$(sys_read $S/devices/cam1/mac)"

check_eq "init_net generation untouched" 1 "$(sys_read /sys/kernel/camfence/generation)"
check_eq "init_net device untouched" 1 "$(sys_read /sys/kernel/camfence/device_count)"
check_eq "device still there" "02:00:00:00:00:01" "$(sys_read /sys/kernel/camfence/devices/cam1/mac)"
out=$(nltest get cam1)
check_match "root reads the device" '^get: generation=1 name=cam1 mac=02:00:00:00:00:01 addr=10.0.0.11 profile=p mode=0 effective_mode=1 ' "$out"

# The events group: an event names the camera, its addresses and where it
# tried to go, so joining the group needs CAP_NET_ADMIN in the user
# namespace that owns the network namespace, like the inventory reads. The
# kernel refuses the NETLINK_ADD_MEMBERSHIP itself with EPERM.
check_match "nobody may not join the events group" "^subscribe: $EPERM" \
	"$(nobody nltest subscribe)"
check_match "userns root may not join init_net's events group" "^subscribe: $EPERM" \
	"$(in_userns nltest subscribe)"
check_eq "userns root may join the events group of its own netns" "subscribe: ok" \
	"$(in_userns -n nltest subscribe)"
check_eq "root may join the events group" "subscribe: ok" "$(nltest subscribe)"

# ... and a privileged subscriber still receives the events: a datagram
# from cam1 to the router that its profile does not allow.
cf_netns cam
cf_veth cam eth0 "" cam0
ip netns exec cam sysctl -qw net.ipv6.conf.all.disable_ipv6=1
sysctl -qw net.ipv6.conf.cam0.disable_ipv6=1
ip -n cam link set eth0 address 02:00:00:00:00:01
ip -n cam addr add 10.20.0.11/24 dev eth0
ip addr add 10.20.0.1/24 dev cam0
check_match "root commits a zone" '^begin: ok
zone: ok
profile: ok
device: ok
commit: generation=2 added=0 removed=0 changed=1 unchanged=0 ok$' \
	"$(nltest begin zone cams,if=cam0 "$P" device cam1,02:00:00:00:00:01,p,addr=10.20.0.11 commit)"
rm -f ready
nltest listen ready events 1 20000 > ev.out &
listener=$!
busywait "$(cf_ms 5000)" test -e ready || fail "the root listener did not start"
ip netns exec cam cftraffic udp-send -p 40001 10.20.0.1 9 1 100 > /dev/null
wait $listener
check_match "root receives the event" '^listen: ok
events:
event: ts=set device=cam1 mac=02:00:00:00:00:01 zone=cams dir=1 saddr=10.20.0.11 daddr=10.20.0.1 proto=17 sport=set dport=9 reason=[0-9]+ verdict=1 suppressed=0
events: count=1 ok$' "$(cat ev.out)"

test_done
