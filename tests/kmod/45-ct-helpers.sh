#!/bin/bash
# cf-timeout: 600
# SPDX-License-Identifier: GPL-2.0
# Conntrack helpers (issue 13.5): a connection a helper expects (FTP's data
# connection, announced in the control connection the camera may use) is
# RELATED to it, but it is its own connection for camfence: judged by its
# own tuple against the rules, like a new one. A camera whose profile
# allows FTP control to the NVR (tcp 21) only:
#  1. passive mode: the server's "227" makes the router expect the camera's
#     connection to the NVR's port 10000: the camera's SYN is dropped, with
#     evidence "to tcp 10000 no-rule";
#  2. active mode: the camera's "PORT" announces its port 10001 to the NVR:
#     the NVR's connection to it is dropped, with evidence "from tcp 10001
#     no-rule" (whether or not the router marks it RELATED: it is judged by
#     its own tuple either way; in this topology it was not, so only the
#     passive cases assert the RELATED count);
#  3. the same passive data connection when the profile allows tcp 10000
#     passes (the test can tell the two apart).
# How many SYNs an attempt sends (tcp_syn_retries=1: the minimum) depends
# on the kernel's retransmit timing (2 on 6.1, sometimes 3 on 6.12): the
# router counts them before camfence's hook, and the evidence and drops
# must match those counts exactly.
source "$CF_TOP/tests/lib.sh"
source "$CF_TOP/tests/kmod/10-dataplane.lib"

cf_routed_topology || fail "topology"
modprobe nf_conntrack_ftp || skip "no nf_conntrack_ftp"

conf() {
	cat > cf.conf <<CONF
zone cameras {
    vlan 20
    unknown drop
}
profile cam {
    allow to 10.99.0.5 tcp 21
$1
}
device lobby-1 {
    mac 44:19:b6:00:00:01
    ip 10.20.0.11
    profile cam
}
CONF
}

# The router assigns the FTP helper to the control connections (automatic
# helper assignment is off since Linux 4.7).
nft -f - <<'NFT' || fail "nft helper"
table inet ftph {
	ct helper ftp-std {
		type "ftp" protocol tcp;
	}
	chain pre {
		type filter hook prerouting priority filter;
		tcp dport 21 ct helper set "ftp-std"
	}
	counter expected { }
	counter syn_pasv { }
	counter syn_act { }
	chain forward_probe {
		type filter hook forward priority -20;
		ct state related ip protocol tcp counter name expected
		tcp dport 10000 tcp flags syn counter name syn_pasv
		tcp dport 10001 tcp flags syn counter name syn_act
	}
}
NFT
for ns in cam1 nvr; do
	nsx $ns sysctl -qw net.ipv4.tcp_syn_retries=1 || fail "syn_retries $ns"
done

# A minimal FTP server on the NVR (control on 21, passive data on 10000)
# and client on the camera, in Python: the helper only reads the control
# connection's text. Each prints what happened, one word per line.
cat > ftpd.py <<'PY'
import socket, sys, threading
mode = sys.argv[1]
data = []
stop = threading.Event()
def serve_data():
    d = socket.socket()
    d.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    d.bind(("10.99.0.5", 10000))
    d.listen(4)
    d.settimeout(0.5)
    while not stop.is_set():
        try:
            c, _ = d.accept()
        except socket.timeout:
            continue
        data.append("data-accepted")
        c.close()
        break
s = socket.socket()
s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(("10.99.0.5", 21))
s.listen(1)
open("ftpd.ready", "w").close()
t = threading.Thread(target=serve_data)
t.start()
c, _ = s.accept()
c.sendall(b"220 camfence test\r\n")
cmd = c.recv(256).decode()
if cmd.startswith("PASV"):
    c.sendall(b"227 Entering Passive Mode (10,99,0,5,39,16).\r\n")
elif cmd.startswith("PORT"):
    c.sendall(b"200 PORT command successful.\r\n")
    a = cmd.split()[1].strip().split(",")
    port = int(a[4]) * 256 + int(a[5])
    d = socket.socket()
    d.settimeout(20)
    try:
        d.connect((".".join(a[:4]), port))
        data.append("active-connected")
    except OSError:
        data.append("active-failed")
c.settimeout(60)
c.recv(256)
c.close()
stop.set()
t.join()
print("\n".join(data) if data else "no-data")
PY
cat > ftp.py <<'PY'
import socket, sys
mode = sys.argv[1]
c = socket.create_connection(("10.99.0.5", 21), timeout=30)
f = c.makefile("rb")
print("control-" + f.readline().decode()[:3])
if mode == "pasv":
    c.sendall(b"PASV\r\n")
    print("control-" + f.readline().decode()[:3])
    d = socket.socket()
    d.settimeout(20)
    try:
        d.connect(("10.99.0.5", 10000))
        print("data-connected")
    except OSError:
        print("data-failed")
    c.sendall(b"QUIT\r\n")
else:
    l = socket.socket()
    l.bind(("10.20.0.11", 10001))
    l.listen(1)
    l.settimeout(10)
    c.sendall(b"PORT 10,20,0,11,39,17\r\n")
    print("control-" + f.readline().decode()[:3])
    try:
        a, _ = l.accept()
        print("data-accepted")
        a.close()
    except socket.timeout:
        print("data-none")
    c.sendall(b"QUIT\r\n")
c.close()
PY

# ftp MODE: runs the server and the client once; prints the client's lines
# then the server's.
ftp() {
	local pid out
	rm -f ftpd.ready ftpd.out
	nsx_bg nvr /usr/bin/python3 ftpd.py "$1" > ftpd.out &
	pid=$!
	busywait "$(cf_ms 20000)" test -e ftpd.ready || { kill $pid; echo "no-server"; return 1; }
	out=$(nsx cam1 /usr/bin/python3 ftp.py "$1" 2>&1)
	wait $pid
	echo "$out" "$(cat ftpd.out)"
}

# The packets the router saw as RELATED (the first of an expected
# connection), counted before camfence's hook.
related() {
	nft list counter inet ftph expected | awk '/packets/ { print $2 }'
}
syns() {
	nft list counter inet ftph "$1" | awk '/packets/ { print $2 }'
}

evidence() {
	camfencectl show lobby-1 | awk -v p="$1" -v d="$2" \
		'$1 == "10.99.0.5" && $2 == d && $4 == p { print $1, $2, $3, $4, $5, $6 }'
}

conf ""
check_rc "load" 0 camfencectl load cf.conf

# 1. Passive mode: the camera's data connection to a port it may not use.
check_eq "passive: control works, data refused" \
	"control-220 control-227 data-failed no-data" "$(echo $(ftp pasv))"
# The first SYN matched the helper's expectation (RELATED); dropped, it took
# the expectation with it, so the retransmitted SYN is NEW: both judged by
# the same tuple, both refused.
check_eq "the router expected it (helper: RELATED, the first SYN)" 1 "$(related)"
p1=$(syns syn_pasv)
check_rc "the camera sent SYNs (router: $p1)" 0 test "$p1" -ge 2
check_eq "evidence: to tcp 10000, every SYN" "10.99.0.5 to tcp 10000 no-rule $p1" "$(evidence 10000 to)"

# 2. Active mode: the NVR's data connection to the camera.
check_eq "active: control works, data refused" \
	"control-220 control-200 data-none active-failed" "$(echo $(ftp port))"
a1=$(syns syn_act)
check_rc "the NVR sent SYNs (router: $a1)" 0 test "$a1" -ge 2
check_eq "evidence: from tcp 10001, every SYN" "10.99.0.5 from tcp 10001 no-rule $a1" "$(evidence 10001 from)"
check_eq "lobby-1 dropped_packets (every SYN)" $((p1 + a1)) "$(dstat lobby-1 dropped_packets)"

# 3. The profile allows the passive data port: the same exchange passes.
conf "    allow to 10.99.0.5 tcp 10000"
check_rc "reload" 0 camfencectl load cf.conf
check_eq "passive, allowed: data connects" \
	"control-220 control-227 data-connected data-accepted" "$(echo $(ftp pasv))"
check_eq "it was expected too (helper: RELATED)" 2 "$(related)"
check_eq "lobby-1 dropped_packets unchanged" $((p1 + a1)) "$(dstat lobby-1 dropped_packets)"

test_done
