#!/bin/bash
# cf-timeout: 400
# SPDX-License-Identifier: GPL-2.0
# The evidence table: distinct denied destinations with counts, 16 slots
# with least-recently-used replacement, shown by "camfencectl show NAME".
source "$CF_TOP/tests/lib.sh"
source "$CF_TOP/tests/kmod/10-dataplane.lib"

cf_routed_topology || fail "topology"
cat > cf.conf <<'CONF'
zone cameras {
    vlan 20
}
profile cam {
    allow to 10.99.0.5 udp 5000
}
device lobby-1 {
    mac 44:19:b6:00:00:01
    ip 10.20.0.11
    ip fd00:20::11
    profile cam
}
CONF
check_rc "load" 0 camfencectl load cf.conf

# 16 distinct destinations, then 7001 again (3 more), then a 17th.
for p in $(seq 7001 7016); do
	ip netns exec cam1 cftraffic udp-send 203.0.113.7 "$p" 1 > /dev/null
done
ip netns exec cam1 cftraffic udp-send 203.0.113.7 7001 3 > /dev/null
ip netns exec cam1 cftraffic udp-send 2001:db8:7::7 7017 2 > /dev/null
check_eq "dropped_packets" 21 "$(dstat lobby-1 dropped_packets)"
check_eq "last_drop" "udp [2001:db8:7::7]:7017" "$(dstat lobby-1 last_drop)"

show=$(camfencectl show lobby-1)
rows() { awk '$2 == "to" && $3 == "udp"' <<< "$show"; }
check_eq "16 entries" 16 "$(rows | wc -l)"
check_eq "7001 kept, counted 4" "203.0.113.7 to udp 7001 no-rule 4" \
	"$(rows | awk '$4 == 7001 { print $1, $2, $3, $4, $5, $6 }')"
check_eq "7002 evicted (least recently used)" "" "$(rows | awk '$4 == 7002')"
check_eq "7003 kept" "203.0.113.7 to udp 7003 no-rule 1" \
	"$(rows | awk '$4 == 7003 { print $1, $2, $3, $4, $5, $6 }')"
check_eq "7017 (IPv6) added" "2001:db8:7::7 to udp 7017 no-rule 2" \
	"$(rows | awk '$4 == 7017 { print $1, $2, $3, $4, $5, $6 }')"
check_match "show names the last drop" "last_drop: udp \[2001:db8:7::7\]:7017" "$show"

# An incoming denial is recorded with direction "from" and the source.
check_rc "tcp from the internet refused" 1 tcp_ok cam1 10.20.0.11 23 inet
show=$(camfencectl show lobby-1)
check_match "incoming entry" "203.0.113.7 +from +tcp +23 +no-rule" "$show"
check_eq "last_drop (incoming)" "tcp 203.0.113.7:23" "$(dstat lobby-1 last_drop)"

test_done
