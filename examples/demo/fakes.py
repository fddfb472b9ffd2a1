#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""The devices of the camfence demo site, all in one process.

Each device is a thread that first moves itself into the device's network
namespace (built by topology.sh) and then behaves like the real thing:

  cameras   answer RTSP (554), HTTP (80) and their vendor SDK port (8000
            Hikvision, 37777 Dahua) and, every cycle, ask the router for DNS
            and NTP, try public NTP/DNS and their vendor cloud (Hik-Connect
            TCP 443, Dahua P2P UDP 8800), announce themselves (SADP 37020,
            Dahua discovery 37810, SSDP 1900, WS-Discovery 3702) and scan the
            other cameras once at boot (TCP 554 and 80)
  nvr       pulls RTSP and the SDK port from every camera, serves viewers
  router    DNS (no recursion: local names only) and NTP on the router
  internet  the cloud endpoints, each logging every caller
  office-pc opens the cloud (works: the office is not a camera VLAN), the
            NVR's web page, and tries a camera's RTSP
  rogue     plugged in halfway: tries the NVR, a camera, DNS and the cloud
  cam-new   a consumer EZVIZ (Hikvision) camera plugged into a spare port of
            the camera switch at the same time, not in the inventory: asks
            the router's DNS for its cloud, tries Hik-Connect, announces
            itself (SADP)

Everything a device sends or receives is one JSON line in LOGDIR/events.jsonl;
verdict.py judges the site from the receiving side's lines ("what arrived").

usage: fakes.py --logdir DIR [--duration S] [--rogue-at S] [--devices CSV]
                [--linger]
"""

import argparse
import csv
import ctypes
import json
import os
import socket
import struct
import threading
import time

HERE = os.path.dirname(os.path.abspath(__file__))

ROUTER4, ROUTER6 = "10.20.0.1", "fd00:20::1"
HIK_CONNECT, HIK_CONNECT6 = "203.0.113.10", "2001:db8:c10d::10"
DAHUA_P2P = "198.51.100.20"
PUBLIC_NTP, PUBLIC_DNS = "198.51.100.123", "198.51.100.53"
NVR_NAME = "nvr"
# The camera nobody commissioned (topology.sh: NEWCAM_*): not in devices.csv.
NEWCAM_NAME, NEWCAM_MAC = "cam-new", "64:f2:fb:00:00:15"
NEWCAM_IP = "10.20.0.15"
CYCLE = 3.0                      # seconds between two rounds of behaviour

# Discovery protocols: (name, multicast group, port)
SADP = ("sadp", "239.255.255.250", 37020)          # Hikvision
DHDISC = ("dahua-discovery", "239.255.255.251", 37810)
SSDP = ("ssdp", "239.255.255.250", 1900)
WSD = ("ws-discovery", "239.255.255.250", 3702)
DISCOVERY = (SADP, DHDISC, SSDP, WSD)
VENDOR = {
    "hikvision": {"sdk": 8000, "cloud": "dev.hik-connect.com",
                  "announce": (SADP, SSDP, WSD)},
    "dahua": {"sdk": 37777, "cloud": "www.easy4ipcloud.com",
              "announce": (DHDISC, SSDP, WSD)},
}

# ---------------------------------------------------------------- plumbing

_libc = ctypes.CDLL(None, use_errno=True)
CLONE_NEWNET = 0x40000000


def enter_netns(name):
    """Move the calling thread (only it) into network namespace NAME."""
    if name is None:
        return
    fd = os.open("/run/netns/" + name, os.O_RDONLY)
    try:
        if _libc.setns(fd, CLONE_NEWNET) != 0:
            err = ctypes.get_errno()
            raise OSError(err, "setns(%s): %s" % (name, os.strerror(err)))
    finally:
        os.close(fd)


class Log:
    """One JSON object per line: {"t", "who", "ev", ...}."""

    def __init__(self, path):
        self.f = open(path, "a", buffering=1)
        self.lock = threading.Lock()

    def __call__(self, who, ev, **kw):
        rec = {"t": round(time.time(), 3), "who": who, "ev": ev}
        rec.update(kw)
        with self.lock:
            self.f.write(json.dumps(rec) + "\n")


LOG = None
STOP = threading.Event()
SCANNED = None          # barrier: every camera has finished its boot scan


def plain(addr):
    """'::ffff:10.20.0.5' -> '10.20.0.5'"""
    return addr[7:] if addr.startswith("::ffff:") else addr


def spawn(fn, *args):
    t = threading.Thread(target=fn, args=args, daemon=True)
    t.start()
    return t


def in_netns(ns, fn, *args):
    """Run fn(*args) in a new thread inside network namespace ns."""
    def run():
        enter_netns(ns)
        fn(*args)
    return spawn(run)


def tcp_server(who, port, handler):
    """Accept on every address (IPv4 and IPv6) of the current namespace."""
    s = socket.socket(socket.AF_INET6, socket.SOCK_STREAM)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 0)
    s.bind(("::", port))
    s.listen(16)
    while True:
        conn, peer = s.accept()
        LOG(who, "accept", proto="tcp", port=port, src=plain(peer[0]),
            dst=plain(conn.getsockname()[0]))
        spawn(serve_conn, conn, handler)


def serve_conn(conn, handler):
    conn.settimeout(3)
    try:
        handler(conn)
    except OSError:
        pass
    finally:
        conn.close()


def udp_server(who, addr, port, reply_fn, svc):
    """Log each datagram; answer with reply_fn(data) unless it is None."""
    fam = socket.AF_INET6 if ":" in addr else socket.AF_INET
    s = socket.socket(fam, socket.SOCK_DGRAM)
    if fam == socket.AF_INET6 and addr == "::":
        s.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 0)
    s.bind((addr, port))
    while True:
        data, peer = s.recvfrom(2048)
        LOG(who, "rx", proto="udp", svc=svc, port=port, src=plain(peer[0]),
            dst=addr)
        reply = reply_fn(data)
        if reply is not None:
            s.sendto(reply, peer)


def discovery_listener(who, own_ips):
    """Hear the discovery chatter of the VLAN (what other devices announce)."""
    socks = {}
    for name, group, port in DISCOVERY:
        if port in socks:
            continue
        s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        s.bind(("", port))
        for _, g, p in DISCOVERY:
            if p == port:
                mreq = struct.pack("4s4s", socket.inet_aton(g),
                                   socket.inet_aton("0.0.0.0"))
                s.setsockopt(socket.IPPROTO_IP, socket.IP_ADD_MEMBERSHIP,
                             mreq)
        socks[port] = s

    def listen(port, s):
        while True:
            data, peer = s.recvfrom(2048)
            if peer[0] not in own_ips:
                LOG(who, "heard", port=port, src=peer[0],
                    what=data[:64].decode(errors="replace"))
    for port, s in socks.items():
        spawn(listen, port, s)


def udp_ask(dst, port, payload, timeout):
    """Send one datagram, return the reply or None."""
    fam = socket.AF_INET6 if ":" in dst else socket.AF_INET
    with socket.socket(fam, socket.SOCK_DGRAM) as s:
        s.settimeout(timeout)
        s.sendto(payload, (dst, port))
        try:
            return s.recvfrom(2048)[0]
        except OSError:
            return None


def tcp_talk(dst, port, request, timeout):
    """Connect, send request, read until close; return the reply (None if
    nothing came back)."""
    fam = socket.AF_INET6 if ":" in dst else socket.AF_INET
    with socket.socket(fam, socket.SOCK_STREAM) as s:
        s.settimeout(timeout)
        try:
            s.connect((dst, port))
            if request:
                s.sendall(request)
            got = b""
            while True:
                chunk = s.recv(65536)
                if not chunk:
                    break
                got += chunk
            return got or None
        except OSError:
            return None


def tcp_connect(dst, port, timeout):
    """True if a TCP connection to dst:port is established."""
    fam = socket.AF_INET6 if ":" in dst else socket.AF_INET
    with socket.socket(fam, socket.SOCK_STREAM) as s:
        s.settimeout(timeout)
        try:
            s.connect((dst, port))
            return True
        except OSError:
            return False


# ------------------------------------------------------------- protocols

def dns_query(name, qid=0x1234):
    q = b"".join(bytes([len(p)]) + p.encode() for p in name.split("."))
    return struct.pack(">HHHHHH", qid, 0x0100, 1, 0, 0, 0) + q + \
        b"\0" + struct.pack(">HH", 1, 1)


def dns_answer(query, addr):
    """Answer with an A record, or NXDOMAIN when addr is None."""
    qid = query[:2]
    question = query[12:]
    if addr is None:
        return qid + struct.pack(">HHHHH", 0x8183, 1, 0, 0, 0) + question
    return qid + struct.pack(">HHHHH", 0x8180, 1, 1, 0, 0) + question + \
        struct.pack(">HHHIH", 0xc00c, 1, 1, 60, 4) + socket.inet_aton(addr)


def dns_qname(query):
    labels, i = [], 12
    while i < len(query) and query[i]:
        labels.append(query[i + 1:i + 1 + query[i]].decode(errors="replace"))
        i += 1 + query[i]
    return ".".join(labels)


def dns_rcode(reply):
    return None if reply is None or len(reply) < 4 else reply[3] & 0xf


NTP_QUERY = b"\x23" + 47 * b"\0"        # LI 0, version 4, mode 3 (client)


def ntp_reply(query):
    secs = int(time.time()) + 2208988800
    return b"\x24\x02" + 46 * b"\0" + struct.pack(">II", secs, 0)


def rtsp_handler(conn):
    """Enough RTSP for a pull: OPTIONS/DESCRIBE/SETUP/PLAY, then the stream."""
    buf = b""
    while True:
        chunk = conn.recv(4096)
        if not chunk:
            return
        buf += chunk
        while b"\r\n\r\n" in buf:
            req, buf = buf.split(b"\r\n\r\n", 1)
            method = req.split(b" ", 1)[0]
            cseq = b"0"
            for line in req.split(b"\r\n"):
                if line.lower().startswith(b"cseq:"):
                    cseq = line.split(b":", 1)[1].strip()
            conn.sendall(b"RTSP/1.0 200 OK\r\nCSeq: " + cseq + b"\r\n\r\n")
            if method == b"PLAY":
                conn.sendall(b"$\0" + 16384 * b"\x80")   # a few RTP packets
                return


def http_handler(conn):
    conn.recv(4096)
    conn.sendall(b"HTTP/1.0 200 OK\r\nContent-Type: text/html\r\n\r\n"
                 b"<html>web interface</html>\n")


def sdk_handler(conn):
    conn.recv(4096)
    conn.sendall(b"SDK-LOGIN-OK" + 20 * b"\0")


# --------------------------------------------------------------- devices

def camera(dev, cams, deadline):
    me = dev["name"]
    v = VENDOR[dev["vendor"]]
    v6 = [a for a in dev["ips"] if ":" in a]
    for port, h in ((554, rtsp_handler), (80, http_handler),
                    (v["sdk"], sdk_handler)):
        spawn(tcp_server, me, port, h)
    discovery_listener(me, set(dev["ips"]))
    others = [c for c in cams if c["name"] != me]
    time.sleep(0.5)                 # let every listener of the site start
    # At boot, sweep the segment for other cameras (TCP 554 and 80, in
    # parallel, short timeout), as some firmware does for LAN discovery.
    scan(me, others)
    # Start the routine traffic together, after every scan: the scans are
    # then the oldest entries of the evidence tables (least recently seen,
    # replaced first), and the cloud entries keep their full counts.
    try:
        SCANNED.wait(timeout=10)
    except threading.BrokenBarrierError:
        pass
    while time.time() < deadline and not STOP.is_set():
        start = time.time()
        # Local services on the router: allowed by the profile ($router,
        # both address families).
        for r in [ROUTER4] + ([ROUTER6] if v6 else []):
            rc = dns_rcode(udp_ask(r, 53, dns_query(v["cloud"]), 1.0))
            LOG(me, "try", what="dns-router", dst=r, ok=rc is not None,
                rcode=rc)
        for r in [ROUTER4] + ([ROUTER6] if v6 else []):
            ok = udp_ask(r, 123, NTP_QUERY, 1.0) is not None
            LOG(me, "try", what="ntp-router", dst=r, ok=ok)
        # Hard-coded fallbacks, as real firmware does when DNS fails.
        ok = udp_ask(PUBLIC_NTP, 123, NTP_QUERY, 0.3) is not None
        LOG(me, "try", what="ntp-public", dst=PUBLIC_NTP, ok=ok)
        ok = udp_ask(PUBLIC_DNS, 53, dns_query(v["cloud"]), 0.3) is not None
        LOG(me, "try", what="dns-public", dst=PUBLIC_DNS, ok=ok)
        # The vendor cloud.
        if dev["vendor"] == "hikvision":
            for dst in [HIK_CONNECT] + ([HIK_CONNECT6] if v6 else []):
                got = tcp_talk(dst, 443, b"POST /v3/devices/register "
                               b"HTTP/1.1\r\n\r\n", 1.0)
                LOG(me, "try", what="hik-connect", dst=dst, ok=bool(got))
        else:
            with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
                s.settimeout(0.5)
                for i in range(3):
                    s.sendto(b"P2P-REGISTER SN=%s seq=%d" %
                             (me.encode(), i), (DAHUA_P2P, 8800))
                try:
                    ok = bool(s.recvfrom(2048)[0])
                except OSError:
                    ok = False
            LOG(me, "try", what="dahua-p2p", dst=DAHUA_P2P, ok=ok, sent=3)
        # Announce ourselves on the segment.
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
            s.setsockopt(socket.SOL_SOCKET, socket.SO_BROADCAST, 1)
            s.setsockopt(socket.IPPROTO_IP, socket.IP_MULTICAST_LOOP, 0)
            for name, group, port in v["announce"]:
                try:
                    s.sendto(b"%s HELLO %s" % (name.encode(), me.encode()),
                             (group, port))
                except OSError:
                    pass
                LOG(me, "announce", what=name, dst=group, port=port)
        STOP.wait(max(0.0, CYCLE - (time.time() - start)))


def scan(me, others):
    results = {}

    def probe(c, port):
        results[(c["name"], port)] = tcp_connect(c["ip4"], port, 0.7)
    ts = [spawn(probe, c, port) for c in others for port in (554, 80)]
    for t in ts:
        t.join()
    for (name, port), ok in sorted(results.items()):
        LOG(me, "try", what="scan", dst=name, port=port, ok=ok)


def nvr(dev, cams, deadline):
    me = dev["name"]
    for port, h in ((80, http_handler), (554, rtsp_handler)):
        spawn(tcp_server, me, port, h)
    discovery_listener(me, set(dev["ips"]))
    time.sleep(0.5)
    while time.time() < deadline and not STOP.is_set():
        start = time.time()
        for c in cams:
            url = b"rtsp://%s:554/Streaming/Channels/101" % c["ip4"].encode()
            req = b"".join(b"%s %s RTSP/1.0\r\nCSeq: %d\r\n\r\n" % (m, url, i)
                           for i, m in enumerate((b"OPTIONS", b"DESCRIBE",
                                                  b"SETUP", b"PLAY"), 1))
            got = tcp_talk(c["ip4"], 554, req, 2.0)
            ok = got is not None and got.startswith(b"RTSP/1.0 200 OK") \
                and len(got) > 16384
            LOG(me, "pull", what="rtsp", cam=c["name"], ok=ok,
                bytes=len(got or b""))
            sdk = VENDOR[c["vendor"]]["sdk"]
            got = tcp_talk(c["ip4"], sdk, b"SDK-LOGIN admin", 2.0)
            LOG(me, "pull", what="sdk", port=sdk, cam=c["name"],
                ok=bool(got and got.startswith(b"SDK-LOGIN-OK")))
        ok = udp_ask(ROUTER4, 123, NTP_QUERY, 1.0) is not None
        LOG(me, "try", what="ntp-router", dst=ROUTER4, ok=ok)
        STOP.wait(max(0.0, CYCLE - (time.time() - start)))


def router_services():
    """DNS and NTP on the router (the current namespace)."""
    local = {"nvr.site.lan": "10.20.0.5"}

    def dns(q):
        return dns_answer(q, local.get(dns_qname(q)))
    spawn(udp_server, "router", "::", 53, dns, "dns")
    spawn(udp_server, "router", "::", 123, ntp_reply, "ntp")


def internet():
    """The cloud endpoints: each logs every caller."""
    spawn(udp_server, "cloud", DAHUA_P2P, 8800,
          lambda q: b"P2P-OK relay=" + DAHUA_P2P.encode(), "dahua-p2p")
    spawn(udp_server, "cloud", PUBLIC_NTP, 123, ntp_reply, "ntp-public")
    spawn(udp_server, "cloud", PUBLIC_DNS, 53,
          lambda q: dns_answer(q, HIK_CONNECT), "dns-public")
    for addr in (HIK_CONNECT, HIK_CONNECT6):
        fam = socket.AF_INET6 if ":" in addr else socket.AF_INET
        s = socket.socket(fam, socket.SOCK_STREAM)
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        s.bind((addr, 443))
        s.listen(16)
        spawn(cloud_https, s)


def cloud_https(s):
    while True:
        conn, peer = s.accept()
        LOG("cloud", "accept", proto="tcp", svc="hik-connect", port=443,
            src=plain(peer[0]), dst=conn.getsockname()[0])
        spawn(serve_conn, conn, lambda c: (c.recv(4096), c.sendall(
            b"HTTP/1.1 200 OK\r\n\r\n{\"status\":\"registered\"}\n")))


def office_pc(cams, deadline):
    me = "office-pc"
    time.sleep(0.5)
    while time.time() < deadline and not STOP.is_set():
        start = time.time()
        got = tcp_talk(HIK_CONNECT, 443, b"GET / HTTP/1.1\r\n\r\n", 2.0)
        LOG(me, "try", what="internet", dst=HIK_CONNECT, ok=bool(got))
        got = tcp_talk("10.20.0.5", 80, b"GET / HTTP/1.0\r\n\r\n", 2.0)
        LOG(me, "try", what="nvr-web", dst="10.20.0.5", ok=bool(got))
        ok = tcp_connect(cams[0]["ip4"], 554, 1.0)
        LOG(me, "try", what="camera-rtsp", dst=cams[0]["name"], ok=ok)
        STOP.wait(max(0.0, CYCLE - (time.time() - start)))


def rogue(cams, start_at, deadline):
    me = "rogue"
    STOP.wait(max(0.0, start_at - time.time()))
    while time.time() < deadline and not STOP.is_set():
        start = time.time()
        rc = dns_rcode(udp_ask(ROUTER4, 53, dns_query("nvr.site.lan"), 0.5))
        LOG(me, "try", what="dns-router", dst=ROUTER4, ok=rc is not None)
        for what, dst, port in (("nvr-rtsp", "10.20.0.5", 554),
                                ("camera-rtsp", cams[0]["ip4"], 554),
                                ("camera-web", cams[1]["ip4"], 80),
                                ("internet", HIK_CONNECT, 443)):
            ok = tcp_connect(dst, port, 0.7)
            LOG(me, "try", what=what, dst=dst, port=port, ok=ok)
        STOP.wait(max(0.0, CYCLE - (time.time() - start)))


def newcomer(start_at, deadline):
    """The EZVIZ camera someone plugged in: what its firmware does first."""
    me = NEWCAM_NAME
    STOP.wait(max(0.0, start_at - time.time()))
    while time.time() < deadline and not STOP.is_set():
        start = time.time()
        rc = dns_rcode(udp_ask(ROUTER4, 53, dns_query("dev.ezvizlife.com"),
                               0.5))
        LOG(me, "try", what="dns-router", dst=ROUTER4, ok=rc is not None)
        got = tcp_talk(HIK_CONNECT, 443, b"POST /v3/devices/register "
                       b"HTTP/1.1\r\n\r\n", 0.7)
        LOG(me, "try", what="hik-connect", dst=HIK_CONNECT, port=443,
            ok=bool(got))
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
            s.setsockopt(socket.IPPROTO_IP, socket.IP_MULTICAST_LOOP, 0)
            name, group, port = SADP
            try:
                s.sendto(b"%s HELLO %s" % (name.encode(), me.encode()),
                         (group, port))
            except OSError:
                pass
            LOG(me, "announce", what=name, dst=group, port=port)
        STOP.wait(max(0.0, CYCLE - (time.time() - start)))


# ------------------------------------------------------------------ main

def load_devices(path):
    devs = []
    with open(path, newline="") as f:
        for row in csv.DictReader(f):
            ips = [a for a in row["ips"].split(";") if a]
            d = {"name": row["name"], "mac": row["mac"], "ips": ips,
                 "profile": row["profile"], "mode": row["mode"] or "default",
                 "ip4": next(a for a in ips if ":" not in a)}
            # a camera is a device with a vendor profile (profiles/)
            d["vendor"] = row["profile"] if row["profile"] in VENDOR \
                else None
            devs.append(d)
    return devs


def main():
    global LOG, SCANNED
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--logdir", required=True)
    ap.add_argument("--duration", type=float, default=12)
    ap.add_argument("--rogue-at", type=float, default=None,
                    help="seconds after start (default: halfway)")
    ap.add_argument("--devices", default=os.path.join(HERE, "devices.csv"))
    ap.add_argument("--linger", action="store_true",
                    help="when done, create LOGDIR/done and stay (idle) "
                    "until killed, so that closing sockets (IGMP leaves) "
                    "does not disturb the report")
    args = ap.parse_args()

    LOG = Log(os.path.join(args.logdir, "events.jsonl"))
    devs = load_devices(args.devices)
    cams = [d for d in devs if d["vendor"]]
    SCANNED = threading.Barrier(len(cams))
    t0 = time.time()
    deadline = t0 + args.duration
    rogue_at = t0 + (args.rogue_at if args.rogue_at is not None
                     else args.duration / 2)

    router_services()
    in_netns("internet", internet)
    workers = []
    for d in devs:
        fn = camera if d["vendor"] else nvr
        workers.append(in_netns(d["name"], fn, d, cams, deadline))
    workers.append(in_netns("office-pc", office_pc, cams, deadline))
    workers.append(in_netns("rogue", rogue, cams, rogue_at, deadline))
    workers.append(in_netns(NEWCAM_NAME, newcomer, rogue_at, deadline))
    for w in workers:
        w.join(timeout=max(0.0, deadline - time.time()) + 10)
    STOP.set()
    LOG("site", "end", duration=round(time.time() - t0, 1))
    if args.linger:
        open(os.path.join(args.logdir, "done"), "w").close()
        threading.Event().wait()


if __name__ == "__main__":
    main()
