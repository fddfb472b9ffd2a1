#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""cfcraft - send crafted frames for the camfence attack tests (scapy).

  cfcraft.py IFACE DSTMAC KIND COUNT [key=value ...]

KIND is one of the attacks below; the keys fill in addresses:
  ns6      ICMPv6 neighbour solicitation: src dst [hlim=255] [target=dst]
           [lladdr: a source link-layer option instead of the payload]
           [opt=TYPE: then an option of type TYPE, 16 bytes, the payload
           in it]
  na6      ICMPv6 neighbour advertisement: src dst target [hlim=255] [lladdr]
  ra6      ICMPv6 router advertisement: src [dst=ff02::1] [hlim=255]
  rs6      ICMPv6 router solicitation: src lladdr [dst=ff02::2] [hlim=255]
           (no payload: a host's own solicitation)
  mld2     MLDv2 report: src dst [hlim=1]
  igmp3    IGMPv3 report: src [dst=224.0.0.22] [ttl=1]
  arp      ARP: op (1 request, 2 reply) hwsrc psrc pdst [hwdst] [hlen=6]
           [trail=N: N bytes of data after the ARP body]
  udp4     UDP over IPv4 in a frame to DSTMAC: src dst dport [sport=40000]
           [ttl=64] [opt=lsrr: a loose source route option via dst]
           [frag=tiny: 8-byte fragments] [dup=PORT | overlap=PORT: two
           fragments at offset 0, the second rewriting the destination port
           to PORT, covering exactly the first or more; then the last one]
           [tag=VID: an 802.1Q tag (0: priority tag)] [tag2=VID: an outer
           tag too, outer=8100|88a8] [pppoe=1: in a PPPoE session frame]
           [ethertype=HEX: the IP packet under another ethertype]
  dhcp6sol DHCPv6 Solicit from src (link-local) to ff02::1:2, 546 -> 547
  udp6     UDP over IPv6: src dst dport [sport=40000] [hlim=64]
           [rh0=ADDR: a type 0 routing header via ADDR]
Every frame carries a payload "camfence-exfil" after the message, as a data
channel would. Exit 0 when all COUNT frames were handed to the kernel.
"""
import sys

from scapy.all import (ARP, Ether, IP, IPv6, UDP, Raw, sendp, conf, IPOption_LSRR,  # noqa: E402
                       Dot1Q, PPPoE, PPP, fragment)
from scapy.layers.inet6 import IPv6ExtHdrRouting
from scapy.layers.dhcp6 import (DHCP6_Solicit, DHCP6OptClientId, DHCP6OptElapsedTime,
                                DHCP6OptIA_NA, DUID_LL)
from scapy.layers.inet6 import (ICMPv6ND_NS, ICMPv6ND_NA, ICMPv6ND_RA, ICMPv6ND_RS,
                                ICMPv6NDOptSrcLLAddr, ICMPv6NDOptDstLLAddr,
                                ICMPv6MLReport2, ICMPv6MLDMultAddrRec)
from scapy.contrib.igmpv3 import IGMPv3, IGMPv3mr, IGMPv3gr

conf.verb = 0
PAYLOAD = Raw(b"camfence-exfil")


def main():
    if len(sys.argv) < 5:
        print(__doc__, file=sys.stderr)
        return 2
    iface, dmac, kind, count = sys.argv[1:5]
    kv = dict(a.split("=", 1) for a in sys.argv[5:])
    eth = Ether(dst=dmac)
    if kind == "ns6":
        pkt = eth / IPv6(src=kv["src"], dst=kv["dst"], hlim=int(kv.get("hlim", 255))) / \
            ICMPv6ND_NS(tgt=kv.get("target", kv["dst"]))
        if "lladdr" in kv:
            pkt = pkt / ICMPv6NDOptSrcLLAddr(lladdr=kv["lladdr"])
        else:
            pkt = pkt / PAYLOAD
        if "opt" in kv:
            pkt = pkt / Raw(bytes([int(kv["opt"]), 2]) + bytes(PAYLOAD))
    elif kind == "na6":
        pkt = eth / IPv6(src=kv["src"], dst=kv["dst"], hlim=int(kv.get("hlim", 255))) / \
            ICMPv6ND_NA(tgt=kv["target"], R=0, S=0, O=1)
        if "lladdr" in kv:
            pkt = pkt / ICMPv6NDOptDstLLAddr(lladdr=kv["lladdr"])
    elif kind == "ra6":
        pkt = eth / IPv6(src=kv["src"], dst=kv.get("dst", "ff02::1"),
                         hlim=int(kv.get("hlim", 255))) / \
            ICMPv6ND_RA(routerlifetime=1800) / ICMPv6NDOptSrcLLAddr(lladdr=kv["lladdr"])
    elif kind == "rs6":
        pkt = eth / IPv6(src=kv["src"], dst=kv.get("dst", "ff02::2"),
                         hlim=int(kv.get("hlim", 255))) / \
            ICMPv6ND_RS() / ICMPv6NDOptSrcLLAddr(lladdr=kv["lladdr"])
    elif kind == "mld2":
        pkt = eth / IPv6(src=kv["src"], dst=kv["dst"], hlim=int(kv.get("hlim", 1))) / \
            ICMPv6MLReport2(records=[ICMPv6MLDMultAddrRec(dst="ff0e::1234")]) / PAYLOAD
    elif kind == "igmp3":
        pkt = eth / IP(src=kv["src"], dst=kv.get("dst", "224.0.0.22"), ttl=int(kv.get("ttl", 1)),
                       proto=2) / IGMPv3(type=0x22) / IGMPv3mr(records=[IGMPv3gr(maddr="239.1.2.3")])
    elif kind == "arp":
        pkt = Ether(dst=dmac, src=kv["hwsrc"]) / \
            ARP(op=int(kv["op"]), hwsrc=kv["hwsrc"], psrc=kv["psrc"], pdst=kv["pdst"],
                hwdst=kv.get("hwdst", "00:00:00:00:00:00"), hwlen=int(kv.get("hlen", 6)))
        if "trail" in kv:
            pkt = pkt / Raw(b"X" * int(kv["trail"]))
    elif kind == "udp4":
        opts = []
        if kv.get("opt") == "lsrr":
            opts = [IPOption_LSRR(routers=[kv["dst"]])]
        ip = IP(src=kv["src"], dst=kv["dst"], ttl=int(kv.get("ttl", 64)), options=opts,
                id=int(kv.get("id", 4242)))
        udp = UDP(sport=int(kv.get("sport", 40000)), dport=int(kv["dport"])) / PAYLOAD
        l3 = [ip / udp]
        if kv.get("frag") == "tiny":
            # 8-byte fragments: the first holds only the UDP header
            l3 = fragment(ip / udp / Raw(b"x" * 16), fragsize=8)
        elif "overlap" in kv or "dup" in kv:
            # a fragment at offset 0 whose UDP header says dport, then one
            # at offset 0 saying port PORT: "dup" covers exactly the first
            # fragment's 16 bytes, "overlap" 24 (past it); then the last
            # fragment (bytes 16-24 or 24-32)
            other = int(kv.get("overlap", kv.get("dup")))
            n = 24 if "overlap" in kv else 16
            body1 = bytes(UDP(sport=40000, dport=int(kv["dport"]), len=32, chksum=0)) + b"A" * 24
            body2 = bytes(UDP(sport=40000, dport=other, len=32, chksum=0)) + b"B" * 24
            l3 = [IP(src=kv["src"], dst=kv["dst"], id=int(kv.get("id", 4243)), flags="MF", frag=0, proto=17) /
                  Raw(body1[:16]),
                  IP(src=kv["src"], dst=kv["dst"], id=int(kv.get("id", 4243)), flags="MF", frag=0, proto=17) /
                  Raw(body2[:n]),
                  IP(src=kv["src"], dst=kv["dst"], id=int(kv.get("id", 4243)), frag=n // 8, proto=17) /
                  Raw(body2[n:])]
        pkt = []
        for p in l3:
            if "pppoe" in kv:
                pkt.append(Ether(dst=dmac, type=0x8864) / PPPoE(sessionid=1) / PPP(proto=0x21) / p)
            elif "tag" in kv or "tag2" in kv:
                outer = int(kv.get("outer", "8100"), 16)
                f = Ether(dst=dmac, type=outer)
                if "tag2" in kv:
                    f = f / Dot1Q(vlan=int(kv["tag2"]), type=0x8100)
                pkt.append(f / Dot1Q(vlan=int(kv.get("tag", 0))) / p)
            elif "ethertype" in kv:
                pkt.append(Ether(dst=dmac, type=int(kv["ethertype"], 16)) / Raw(bytes(p)))
            else:
                pkt.append(eth / p)
    elif kind == "dhcp6sol":
        pkt = eth / IPv6(src=kv["src"], dst="ff02::1:2", hlim=1) / UDP(sport=546, dport=547) / \
            DHCP6_Solicit(trid=0x4242) / DHCP6OptClientId(duid=DUID_LL(lladdr=kv["mac"])) / \
            DHCP6OptElapsedTime() / DHCP6OptIA_NA(iaid=1)
    elif kind == "udp6":
        ip6 = IPv6(src=kv["src"], dst=kv["dst"], hlim=int(kv.get("hlim", 64)))
        if "rh0" in kv:
            ip6 = ip6 / IPv6ExtHdrRouting(type=0, addresses=[kv["rh0"]], segleft=1)
        pkt = eth / ip6 / UDP(sport=int(kv.get("sport", 40000)), dport=int(kv["dport"])) / PAYLOAD
    else:
        print("cfcraft: unknown kind %s" % kind, file=sys.stderr)
        return 2
    sendp(pkt, iface=iface, count=int(count))
    return 0


if __name__ == "__main__":
    sys.exit(main())
