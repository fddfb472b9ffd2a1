#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Host test of tests/tools/build/cftraffic (no camfence involved): exact
# datagram counts over IPv4 and IPv6 between two namespaces, the stop-file
# sink, TCP echo byte-exact, refused and timed-out connects, tcp-sink byte
# counts and usage errors.
cd "$(dirname "$0")/../.." || exit 1
source tests/lib.sh

[ "$(id -u)" -eq 0 ] || skip "needs root (network namespaces)"
[ -x tests/tools/build/cftraffic ] || { fail "tests/tools/build/cftraffic not built (make tools)"; test_done; }
T=$(mktemp -d /tmp/cf-cftraffic.XXXXXX)
trap 'rc=$?; rm -rf "$T"; (exit $rc); cf_cleanup' EXIT
cd "$T" || exit 1

A=cfta$$ B=cftb$$
cf_netns $A $B && cf_veth $A e0 $B e1 || { fail "topology"; test_done; }
ip -n $A addr add 10.99.0.1/24 dev e0
ip -n $B addr add 10.99.0.2/24 dev e1
ip -n $A addr add fd99::1/64 dev e0 nodad
ip -n $B addr add fd99::2/64 dev e1 nodad

# udp: exact counts, v4 with a fixed source address and port, v6 with size
ip netns exec $B cftraffic udp-sink -t 500 10.99.0.2 7000 > u4 &
wait_listen $B udp 7000
check_rc "udp-send v4 with -s/-p" 0 ip netns exec $A cftraffic udp-send -s 10.99.0.1 -p 7100 10.99.0.2 7000 1000 100
wait %%
check_eq "udp v4: 1000 datagrams counted" 1000 "$(cat u4)"

ip netns exec $A cftraffic udp-sink -t 500 fd99::1 7001 > u6 &
wait_listen $A udp 7001
check_rc "udp-send v6" 0 ip netns exec $B cftraffic udp-send fd99::1 7001 77 1400
wait %%
check_eq "udp v6: 77 datagrams counted" 77 "$(cat u6)"

# stop file: a sender starting 1 s late is still counted (silence 100 ms)
ip netns exec $B cftraffic udp-sink -t 100 -f "$T/stop" 10.99.0.2 7002 > uf &
wait_listen $B udp 7002
sleep 1
ip netns exec $A cftraffic udp-send 10.99.0.2 7002 5
touch "$T/stop"
wait %%
check_eq "udp-sink -f: late sender counted" 5 "$(cat uf)"

# nothing sent: 0, after the silence timeout
check_eq "udp-sink with no traffic prints 0" 0 "$(ip netns exec $B cftraffic udp-sink -t 200 10.99.0.2 7003)"
# sending to a closed port still succeeds (ICMP errors are ignored)
check_rc "udp-send to a closed port exits 0" 0 ip netns exec $A cftraffic udp-send 10.99.0.2 7004 20

# tcp
ip netns exec $B cftraffic tcp-listen fd99::2 8000 &
wait_listen $B tcp 8000
check_rc "tcp-connect 300000 bytes echoed byte-exact (v6)" 0 \
	ip netns exec $A cftraffic tcp-connect fd99::2 8000 300000
check_rc "tcp-connect, no data" 0 ip netns exec $A cftraffic tcp-connect fd99::2 8000
check_eq "tcp-connect refused: exit 1 and message" "1 cftraffic: connect 10.99.0.2: Connection refused" \
	"$(out=$(ip netns exec $A cftraffic tcp-connect 10.99.0.2 8001 2>&1); echo "$? $out")"
ip netns exec $B iptables -A INPUT -p tcp --dport 8002 -j DROP 2>/dev/null ||
	ip netns exec $B nft add table inet t \; add chain inet t c '{ type filter hook input priority 0; }' \; add rule inet t c tcp dport 8002 drop
check_eq "tcp-connect timeout: exit 1 and message" "1 cftraffic: connect 10.99.0.2: timed out after 300 ms" \
	"$(out=$(ip netns exec $A cftraffic tcp-connect -t 300 10.99.0.2 8002 2>&1); echo "$? $out")"

ip netns exec $B cftraffic tcp-sink 10.99.0.2 8003 > ts &
wait_listen $B tcp 8003
check_rc "tcp-connect -n 12345 bytes to tcp-sink" 0 ip netns exec $A cftraffic tcp-connect -n 10.99.0.2 8003 12345
check_rc "tcp-connect -n 7 bytes to tcp-sink" 0 ip netns exec $A cftraffic tcp-connect -n 10.99.0.2 8003 7
check_eq "tcp-sink prints bytes per connection" $'12345\n7' "$(cat ts)"

# usage errors: exit 2
check_rc "unknown command: exit 2" 2 sh -c 'cftraffic bogus 2>/dev/null'
check_rc "bad port: exit 2" 2 sh -c 'cftraffic udp-send 10.99.0.2 70000 1 2>/dev/null'
check_rc "bad address: exit 2" 2 sh -c 'cftraffic udp-send 10.99.0.x 7000 1 2>/dev/null'
test_done
