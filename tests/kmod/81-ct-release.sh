#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# A namespace takes conntrack (and defragmentation) at its first commit with
# zones and gives it back when a commit without zones (a flush) removed its
# hooks: a flushed namespace pays nothing for camfence, not even conntrack.
# Observed through nf_conntrack_count: with conntrack's hooks in the
# namespace a new UDP flow over lo adds an entry, without them it does not.
source "$CF_TOP/tests/lib.sh"

cf_netns x
ip -n x link set lo up
count() { ip netns exec x cat /proc/sys/net/netfilter/nf_conntrack_count; }
# udp_flow PORT: one datagram over lo, a new conntrack tuple per port
udp_flow() { ip netns exec x bash -c "echo x > /dev/udp/127.0.0.1/$1" 2>/dev/null; }

# Entries must not expire during the test (the unreplied UDP timeout is
# 30 s; on the debug kernel the steps below took longer, and an entry that
# expired between two counts made "conntrack on again" count 1, not 2).
ip netns exec x sysctl -qw net.netfilter.nf_conntrack_udp_timeout=3600 ||
	fail "nf_conntrack_udp_timeout"
check_eq "nothing tracked before camfence" 0 "$(count)"
udp_flow 40001
check_eq "no conntrack in a namespace without a policy" 0 "$(count)"

out=$(ip netns exec x nltest begin zone cams,vlan=20 commit)
check_match "commit with a zone" '^commit: generation=1 ' "$(tail -1 <<< "$out")"
udp_flow 40002
check_eq "conntrack on after the commit with zones" 1 "$(count)"

out=$(ip netns exec x nltest flush)
check_match "flush" '^flush: generation=2 ' "$out"
before=$(count)
udp_flow 40003
udp_flow 40004
check_eq "no new entry after the flush (conntrack released)" "$before" "$(count)"

# A commit with zones takes it again.
out=$(ip netns exec x nltest begin zone cams,vlan=20 commit)
check_match "commit with a zone again" '^commit: generation=3 ' "$(tail -1 <<< "$out")"
before=$(count)
udp_flow 40005
check_eq "conntrack on again" $((before + 1)) "$(count)"

test_done
