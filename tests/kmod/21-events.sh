#!/bin/bash
# cf-timeout: 400
# SPDX-License-Identifier: GPL-2.0
# Events from the data plane on the "events" multicast group: one per denied
# packet of a new connection, with device, addresses, ports and reason;
# rate-limited per device (event_rate/event_burst), suppressed ones counted.
source "$CF_TOP/tests/lib.sh"
source "$CF_TOP/tests/kmod/10-dataplane.lib"

cf_reload event_rate=1 event_burst=2 || fail "reload"
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
    profile cam
}
CONF
check_rc "load" 0 camfencectl load cf.conf

camfencectl monitor > ev.out &
sleep 1
ip netns exec cam1 cftraffic udp-send -p 40000 203.0.113.7 6800 10 > /dev/null
busywait "$(cf_ms 5000)" sh -c '[ $(wc -l < ev.out) -ge 2 ]'
sleep 0.5
check_eq "2 events (burst)" 2 "$(wc -l < ev.out)"
check_match "event line" \
	"^[0-9T:.-]+Z dropped lobby-1 44:19:b6:00:00:01 to udp 10.20.0.11:40000 -> 203.0.113.7:6800 reason no-rule zone cameras$" \
	"$(head -n 1 ev.out)"
check_eq "device events_suppressed" 8 "$(camfencectl show lobby-1 | awk '$1 == "events_suppressed:" { print $2 }')"
check_eq "global events_suppressed" 8 "$(gstat events_suppressed)"
check_eq "all 10 dropped" 10 "$(dstat lobby-1 dropped_packets)"

sleep 1.2
ip netns exec cam1 cftraffic udp-send -p 40001 203.0.113.7 6801 1 > /dev/null
busywait "$(cf_ms 5000)" sh -c '[ $(wc -l < ev.out) -ge 3 ]'
check_match "next event carries the suppressed count" \
	"dropped lobby-1 .* -> 203.0.113.7:6801 reason no-rule zone cameras suppressed 8$" \
	"$(sed -n 3p ev.out)"

# Allowed traffic makes no events; an unknown device does.
check_eq "allowed" 2 "$(udp_count nvr 10.99.0.5 5000 cam1 2)"
ip netns exec cam2 cftraffic udp-send 10.99.0.5 5000 1 > /dev/null
busywait "$(cf_ms 5000)" sh -c '[ $(wc -l < ev.out) -ge 4 ]'
check_eq "4 events" 4 "$(wc -l < ev.out)"
check_match "unknown device event" \
	"dropped unknown 02:00:00:00:00:99 to udp 10.21.0.12:[0-9]+ -> 10.99.0.5:5000 reason unknown-device zone cameras" \
	"$(sed -n 4p ev.out)"

test_done
