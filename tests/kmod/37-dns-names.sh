#!/bin/bash
# cf-timeout: 400
# SPDX-License-Identifier: GPL-2.0
# DNS names as evidence (kmod/dns.c): the names a camera asks for in UDP
# queries to port 53, per name and verdict, with counts, in
# "camfencectl -j show NAME"; malformed queries (a compression pointer,
# QDCOUNT 2, a 64-byte label) are counted as invalid, never recorded; the
# table survives a commit; dns_names=0 records nothing.
source "$CF_TOP/tests/lib.sh"
source "$CF_TOP/tests/kmod/10-dataplane.lib"

cf_routed_topology || fail "topology"
# 8.8.8.8 is "the internet" behind inet
ip route add 8.8.8.0/24 via 203.0.113.7 || fail "route to 8.8.8.8"

conf() {
	cat > cf.conf <<CONF
zone cameras {
    vlan 20
}
profile cam {
    allow to 10.20.0.1 udp 53
}
device lobby-1 {
    mac 44:19:b6:00:00:01
    ip 10.20.0.11
    ip fd00:20::11
    profile cam
    mode $1
}
CONF
}

# dnsq.py DST KIND NAME COUNT: COUNT queries (A, IN) for NAME to DST:53.
# KIND: ok, compressed (the name is a pointer to offset 12), qd2 (QDCOUNT
# 2), label64 (NAME's first label made 64 bytes long).
cat > dnsq.py <<'PY'
import socket, struct, sys
dst, kind, name, count = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
def wire(n):
    return b"".join(bytes([len(l)]) + l.encode() for l in n.split(".")) + b"\0"
if kind == "label64":
    name = "a" * 64 + "." + name
qd = 2 if kind == "qd2" else 1
q = wire(name) if kind != "compressed" else b"\xc0\x0c"
fam = socket.AF_INET6 if ":" in dst else socket.AF_INET
s = socket.socket(fam, socket.SOCK_DGRAM)
for i in range(count):
    s.sendto(struct.pack(">HHHHHH", 0x1000 + i, 0x0100, qd, 0, 0, 0) + q + b"\0\1\0\1", (dst, 53))
PY
q() { ip netns exec cam1 python3 dnsq.py "$@" || echo "# dnsq.py $* failed" >&2; }

# names NAME: "name verdict count" lines of "-j show NAME", sorted; then
# "total=N invalid=N replaced=N".
names() {
	camfencectl -j show "$1" | python3 -c '
import json, sys
d = json.load(sys.stdin)["dns"]
for n in sorted(d["names"], key=lambda n: (n["name"], n["verdict"])):
    ok = 0 < n["first_seen"] <= n["last_seen"]
    print(n["name"], n["verdict"], n["count"], "" if ok else "bad-times")
print("total=%d invalid=%d replaced=%d" % (d["total"], d["invalid"], d["replaced"]))'
}

conf enforce
check_rc "load" 0 camfencectl load cf.conf
check_eq "no query yet" "total=0 invalid=0 replaced=0" "$(names lobby-1)"

q 10.20.0.1 ok api.hik-connect.com 3
q 10.20.0.1 ok Time.Example.ORG 1
q fd00:20::1 ok _ntp._udp.example.org 1
q 8.8.8.8 ok api.hik-connect.com 2
q 8.8.8.8 ok p2p.easy4ip.com 1
q 10.20.0.1 compressed x 1
q 8.8.8.8 qd2 cloud.example 1
q 10.20.0.1 label64 example.com 1

# the resolver's queries pass (the router has no resolver: counted only
# as allowed); IPv6 to the router has no rule: dropped
check_eq "allowed_packets" 6 "$(dstat lobby-1 allowed_packets)"
check_eq "dropped_packets" 5 "$(dstat lobby-1 dropped_packets)"
check_eq "names, verdicts, counts" "_ntp._udp.example.org dropped 1 
api.hik-connect.com allowed 3 
api.hik-connect.com dropped 2 
p2p.easy4ip.com dropped 1 
time.example.org allowed 1 
total=5 invalid=3 replaced=0" "$(names lobby-1)"

show=$(camfencectl show lobby-1)
check_match "show: heading" "dns names: 5, 3 invalid queries not recorded:" "$show"
check_match "show: most queried first" \
	"NAME +VERDICT.*
 +api.hik-connect.com +allowed +3 " "$show"

# A commit keeps the table (same MAC); in monitor mode a denied query
# passes and is recorded as monitored.
conf monitor
check_rc "reload (monitor)" 0 camfencectl load cf.conf
q 8.8.8.8 ok p2p.easy4ip.com 2
check_eq "after the commit" "_ntp._udp.example.org dropped 1 
api.hik-connect.com allowed 3 
api.hik-connect.com dropped 2 
p2p.easy4ip.com dropped 1 
p2p.easy4ip.com monitored 2 
time.example.org allowed 1 
total=6 invalid=3 replaced=0" "$(names lobby-1)"

# 64 entries at most: 60 more names replace the least recently queried
for i in $(seq 1 60); do echo "n$i.example"; done > many
ip netns exec cam1 python3 - many <<'PY'
import socket, struct, sys
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
for i, n in enumerate(open(sys.argv[1]).read().split()):
    w = b"".join(bytes([len(l)]) + l.encode() for l in n.split(".")) + b"\0"
    s.sendto(struct.pack(">HHHHHH", i, 0x0100, 1, 0, 0, 0) + w + b"\0\1\0\1", ("10.20.0.1", 53))
PY
out=$(names lobby-1)
check_eq "full: 64 entries, 2 replaced" "total=64 invalid=3 replaced=2" "$(tail -1 <<< "$out")"
check_eq "the two least recently queried went (api allowed, time)" \
	"_ntp._udp.example.org dropped 1 ;api.hik-connect.com dropped 2 ;p2p.easy4ip.com dropped 1 ;p2p.easy4ip.com monitored 2 " \
	"$(grep -v -E '^(n[0-9]+\.example|total=)' <<< "$out" | tr '\n' ';' | sed 's/;$//')"
check_eq "n60 recorded" "n60.example allowed 1 " "$(grep '^n60\.' <<< "$out")"

# dns_names=0: nothing is recorded (no table, no count)
cf_reload dns_names=0 || fail "reload dns_names=0"
check_eq "parameter" N "$(sys_read /sys/module/camfence/parameters/dns_names)"
conf enforce
check_rc "load (dns_names=0)" 0 camfencectl load cf.conf
q 10.20.0.1 ok api.hik-connect.com 2
q 10.20.0.1 compressed x 1
check_eq "allowed_packets (dns_names=0)" 3 "$(dstat lobby-1 allowed_packets)"
check_eq "dns_names=0: no names" "total=0 invalid=0 replaced=0" "$(names lobby-1)"
# turned on at run time
echo 1 > /sys/module/camfence/parameters/dns_names
q 10.20.0.1 ok api.hik-connect.com 1
check_eq "dns_names=1 at run time" "api.hik-connect.com allowed 1 
total=1 invalid=0 replaced=0" "$(names lobby-1)"

test_done
