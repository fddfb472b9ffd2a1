#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Malformed ADD messages: each is refused with an extack message that says
# what was wrong, the transaction is discarded, and the active policy (one
# device) stays as it was.
source "$CF_TOP/tests/lib.sh"

P='profile p,rule=to/10.0.0.1/-/17/53'
check_eq "initial policy" "begin: ok
profile: ok
device: ok
commit: generation=1 added=1 removed=0 changed=0 unchanged=0 ok" \
	"$(nltest begin "$P" device cam1,02:00:00:00:00:01,p,addr=10.0.0.11 commit)"

bad() { # WHAT EXPECTED-MESSAGE [ERRNO-TEXT]
	local out
	out=$(nltest begin "$P" bad "$1" commit)
	check_eq "bad $1" "begin: ok
profile: ok
bad: error ${3:--22 (Invalid argument)}: $2 (transaction discarded)
commit: error -2 (No such file or directory): no transaction is open (send BEGIN first)" "$out"
}
bad maclen5 "MAC address must be 6 bytes"
bad addrlen5 "address must be 4 (IPv4) or 16 (IPv6) bytes"
bad vlan0 "integer out of range" "-34 (Numerical result out of range)"
bad longname "names must be 1 to 32 characters"
bad readonly "read-only attribute"
bad nonested "NLA_F_NESTED is missing"
bad ports47 "profile q: rule 1: ports need tcp or udp"
bad badmode "integer out of range" "-34 (Numerical result out of range)"
bad reversed "profile q: rule 1: port range 2000-1000 is reversed"

out=$(nltest begin "device bad/name,02:00:00:00:00:05,p" commit)
check_eq "name with a slash" "begin: ok
device: error -22 (Invalid argument): names may only contain A-Z a-z 0-9 . _ - (transaction discarded)
commit: error -2 (No such file or directory): no transaction is open (send BEGIN first)" "$out"
out=$(nltest begin "device ..,02:00:00:00:00:05,p" commit)
check_eq "name .." "begin: ok
device: error -22 (Invalid argument): the names . and .. are reserved (transaction discarded)
commit: error -2 (No such file or directory): no transaction is open (send BEGIN first)" "$out"
out=$(nltest begin "device multi,01:00:5e:00:00:01,p" commit)
check_eq "multicast MAC" "begin: ok
device: error -22 (Invalid argument): device multi: MAC 01:00:5e:00:00:01 is not a unicast address (transaction discarded)
commit: error -2 (No such file or directory): no transaction is open (send BEGIN first)" "$out"
out=$(nltest begin "profile q,rule=to/10.0.0.0/33/17/-" commit)
check_eq "IPv4 prefix over 32" "begin: ok
profile: error -22 (Invalid argument): profile q: rule 1: prefix length 33 is over 32 (transaction discarded)
commit: error -2 (No such file or directory): no transaction is open (send BEGIN first)" "$out"
out=$(nltest begin "profile q,rule=to/any/-/1/80" commit)
check_eq "ports on icmp" "begin: ok
profile: error -22 (Invalid argument): profile q: rule 1: ports need tcp or udp (transaction discarded)
commit: error -2 (No such file or directory): no transaction is open (send BEGIN first)" "$out"
out=$(nltest begin mode 0 commit)
check_eq "global mode default" "begin: ok
mode: error -22 (Invalid argument): the global mode must be enforce or monitor (transaction discarded)
commit: error -2 (No such file or directory): no transaction is open (send BEGIN first)" "$out"
out=$(nltest setmode 3)
check_eq "SET_MODE out of range" "setmode: error -34 (Numerical result out of range): integer out of range" "$out"
out=$(nltest get "")
check_eq "GET_DEVICE with an empty name" "get: error -22 (Invalid argument): names must be 1 to 32 characters" "$out"

# The active policy did not move.
check_eq "generation" 1 "$(sys_read /sys/kernel/camfence/generation)"
check_eq "device_count" 1 "$(sys_read /sys/kernel/camfence/device_count)"
check_eq "mode" enforce "$(sys_read /sys/kernel/camfence/mode)"
check_match "device intact" '^get: generation=1 name=cam1 mac=02:00:00:00:00:01 addr=10.0.0.11 profile=p mode=0 effective_mode=1 ' \
	"$(nltest get cam1)"

# Any IP protocol may be a rule's protocol (GRE, IGMP here); only ports
# need TCP or UDP.
check_eq "GRE and IGMP rules" "begin: ok
profile: ok
device: ok
commit: generation=2 added=0 removed=0 changed=1 unchanged=0 ok" \
	"$(nltest begin "profile p,rule=to/10.0.0.1/-/17/53,rule=to/10.0.0.1/-/47/-,rule=to/224.0.0.22/-/2/-" \
		device cam1,02:00:00:00:00:01,p,addr=10.0.0.11 commit)"

test_done
