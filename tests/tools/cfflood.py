#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""cfflood - send minimum-size IPv4/UDP frames from many source MACs.

  cfflood.py IFACE DSTMAC COUNT [key=value ...]

Frames go out of IFACE through an AF_PACKET socket (no scapy: fast enough
for thousands of frames in a TCG guest), one per source MAC:
  src=IP dst=IP dport=N   the IPv4/UDP packet (sport 40000, TTL 64)
  vlan=VID                an 802.1Q tag
  seed=N                  COUNT distinct random source MACs (locally
                          administered unicast, first octet 06), seeded
  macs=FILE               the source MACs from FILE instead, one a line,
                          COUNT frames cycling through them
  out=FILE                write the source MACs used, in order, one a line
Exit 0 when all COUNT frames were handed to the kernel.
"""
import random
import socket
import struct
import sys


def csum(b):
    if len(b) % 2:
        b += b"\0"
    s = sum(struct.unpack("!%dH" % (len(b) // 2), b))
    while s >> 16:
        s = (s & 0xffff) + (s >> 16)
    return ~s & 0xffff


def mac(s):
    return bytes(int(x, 16) for x in s.split(":"))


def main():
    if len(sys.argv) < 4:
        print(__doc__, file=sys.stderr)
        return 2
    iface, dmac, count = sys.argv[1], mac(sys.argv[2]), int(sys.argv[3])
    kv = dict(a.split("=", 1) for a in sys.argv[4:])
    if "macs" in kv:
        with open(kv["macs"]) as f:
            pool = [mac(line.strip()) for line in f if line.strip()]
        macs = [pool[i % len(pool)] for i in range(count)]
    else:
        rnd = random.Random(int(kv.get("seed", 1)))
        seen, macs = set(), []
        while len(macs) < count:
            m = bytes([0x06]) + bytes(rnd.getrandbits(8) for _ in range(5))
            if m not in seen:
                seen.add(m)
                macs.append(m)
    payload = b"camfence-flood"
    udp = struct.pack("!HHHH", 40000, int(kv.get("dport", 9)), 8 + len(payload), 0) + payload
    ip = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 20 + len(udp), 0, 0, 64, 17, 0,
                     socket.inet_aton(kv["src"]), socket.inet_aton(kv["dst"]))
    ip = ip[:10] + struct.pack("!H", csum(ip)) + ip[12:]
    l3 = struct.pack("!H", 0x0800) + ip + udp
    if "vlan" in kv:
        l3 = struct.pack("!HH", 0x8100, int(kv["vlan"])) + l3
    s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW)
    s.bind((iface, 0))
    for m in macs:
        frame = dmac + m + l3
        if len(frame) < 60:
            frame += b"\0" * (60 - len(frame))
        s.send(frame)
    if "out" in kv:
        with open(kv["out"], "w") as f:
            for m in macs:
                f.write(":".join("%02x" % b for b in m) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
