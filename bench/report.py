#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""Parse the BENCH lines of a bench/guest.sh run (plus the host's lookup
microbenchmark and host info that bench/bench.sh appends), print the results
table and the summary line; with --doc, write docs/performance.md (the method
and analysis text come from bench/performance-notes.md, every number from the
runs named there: --raw-61 for the figures, --raw-612 for the comparison with
Debian 13's kernel)."""
import argparse
import datetime
import os
import re
import statistics
import sys


class Run:
    def __init__(self, path):
        self.path = path
        self.info, self.host, self.floodinfo, self.dnsinfo = {}, {}, {}, {}
        self.dns = {}            # dns_names "1"/"0" -> {round: pps}
        self.udp, self.tcp, self.commit = {}, {}, {}
        self.mem = {}            # scope -> kv
        self.slabs = {}          # scope -> [(cache, bytes)]
        self.flood = {}          # "on"/"off" -> {"stream": [], "flood": []}
        self.lookup = {}         # n -> {"ns_all": [...], ...}
        self.cfstats = []
        self.done = False
        with open(path, errors="replace") as f:
            for line in f:
                line = line.strip()
                if not line.startswith("BENCH "):
                    continue
                words = line.split()
                kind = words[1]
                kv = dict(w.split("=", 1) for w in words[2:] if "=" in w)
                self.add(kind, kv, line)

    def add(self, kind, kv, line):
        if kind == "info":
            self.info.update(kv)
        elif kind == "hostinfo" or kind == "lookupinfo":
            self.host.update(kv)
        elif kind == "udp":
            self.udp.setdefault((kv["lane"], kv["phase"]), []).append(float(kv["pps"]))
        elif kind == "tcp":
            self.tcp.setdefault((kv["lane"], kv["phase"]), []).append(float(kv["mbps"]))
        elif kind == "commit":
            self.commit.setdefault((kv["tool"], int(kv["n"])), []).append(float(kv["sec"]))
        elif kind == "mem":
            self.mem[kv.get("scope", "init_net")] = kv
        elif kind == "slab":
            lst = self.slabs.setdefault(kv.get("scope", "init_net"), [])
            if kv["cache"] not in [c for c, _ in lst]:
                lst.append((kv["cache"], int(kv["bytes_per_device"])))
        elif kind == "flood":
            d = self.flood.setdefault(kv["flood"], {"stream": [], "flood": []})
            d["stream"].append(float(kv["stream_pps"]))
            d["flood"].append(float(kv["flood_pps"]))
        elif kind == "floodinfo":
            self.floodinfo.update(kv)
        elif kind == "dns":
            self.dns.setdefault(kv["dns_names"], {})[int(kv["round"])] = float(kv["pps"])
        elif kind == "dnsinfo":
            self.dnsinfo.update(kv)
        elif kind == "lookup":
            d = self.lookup.setdefault(int(kv["n"]), {})
            for k, v in kv.items():
                if k.startswith("ns_"):
                    d.setdefault(k, []).append(float(v))
        elif kind == "cfstats":
            self.cfstats.append(line)
        elif kind == "done":
            self.done = True

    @property
    def quick(self):
        return self.info.get("quick") == "1"

    @property
    def cmd(self):
        c = "make bench"
        if self.host.get("kernel_arg", "6.1") != "6.1":
            c += " KERNEL=" + self.host["kernel_arg"]
        return ("BENCH_QUICK=1 " if self.quick else "") + c


def med(xs):
    return statistics.median(xs) if xs else None


def fmt(x, nd=0):
    return "n/a" if x is None else f"{x:,.{nd}f}"


def ratio(a, b):
    return a / b if a is not None and b else None


def rfmt(r):
    return "NA" if r is None else f"{r:.2f}"


def mem_delta(kv):
    b = [int(x) for x in kv["before"].split(",")]
    e = [int(x) for x in kv["after"].split(",")]
    return [e[i] - b[i] for i in range(3)], (b[3] - e[3])


def analyze(r, ten_k=None):
    """(figures dict, table lines) of one run."""
    udp, tcp, commit = r.udp, r.tcp, r.commit
    sizes = sorted({int(l.split("-")[1]) for (l, _) in udp if l.startswith(("cf-", "nft-", "ipt-"))})
    if ten_k is None:
        ten_k = 10000 if 10000 in sizes else (sizes[-1] if sizes else 10000)
    base = med(udp.get(("base", "A"), []))
    empty = med(udp.get(("base", "B"), []))

    def phase_b_or_a(d, lane):
        return med(d.get((lane, "B"), [])) or med(d.get((lane, "A"), []))

    out = []
    info = r.info
    load = r.host.get("load_samples", "")
    loads = [float(x) for x in load.split(",") if x]
    out.append(f"Kernel {info.get('kernel', '?')}, {info.get('cpus', '?')} vCPU (QEMU TCG), "
               f"{int(info.get('mem_kb', 0)) // 1024} MiB, camfence {info.get('version') or 'not loaded'}"
               f" ({info.get('modparams') or 'default parameters'}), "
               f"{info.get('rounds', '?')} rounds x {info.get('win', '?')} s windows, "
               f"clock: {'QEMU -icount shift=' + info['icount'] + ' (guest instructions, see Clock)' if info.get('icount', 'off') != 'off' else 'wall clock'}"
               f"; host load average during the run {min(loads) if loads else '?'}-{max(loads) if loads else '?'}"
               f", run took {r.host.get('elapsed_sec', '?')} s"
               + ("" if r.done else " -- INCOMPLETE RUN (the guest stopped early)"))
    out.append("")
    out.append("64-byte UDP, forwarded packets per second at the sink (median of the rounds; phase A: "
               "camfence.ko not loaded, phase B: loaded):")
    out.append("")
    out.append("| configuration | devices | phase | median pps | runs (min-max) | vs baseline | vs conntrack (same phase) |")
    out.append("|---|---:|---|---:|---|---:|---:|")
    ct = {ph: med(udp.get(("ct", ph), [])) for ph in "AB"}

    def row(label, n, lane, ph):
        xs = udp.get((lane, ph))
        if not xs:
            return
        m = med(xs)
        rng = f"{len(xs)} ({fmt(min(xs))}-{fmt(max(xs))})"
        out.append(f"| {label} | {n} | {ph} | {fmt(m)} | {rng} | {rfmt(ratio(m, base))} | "
                   f"{rfmt(ratio(m, ct[ph]))} |")

    row("no filter (baseline)", "-", "base", "A")
    row("conntrack on, no filter (nft: one `ct state invalid drop` rule)", "-", "ct", "A")
    row("conntrack on, no filter", "-", "ct", "B")
    row("camfence loaded, empty policy (hook cost)", "0", "base", "B")
    row("conntrack on + camfence's hook, every packet outside every zone (the floor)", "10", "cffloor", "B")
    cf_vs_nft = {}
    for n in sizes:
        c = med(udp.get((f"cf-{n}", "B"), []))
        f = med(udp.get((f"nft-{n}", "A"), []))
        if c:
            cf_vs_nft[n] = ratio(c, f)
        row("camfence", f"{n:,}", f"cf-{n}", "B")
    for n in sizes:
        row("nftables (ct first, verdict maps)", f"{n:,}", f"nft-{n}", "A")
    for n in sizes:
        row("nftables, camfence.ko loaded (no camfence policy in its netns)", f"{n:,}", f"nft-{n}", "B")
    for n in sizes:
        row("iptables-legacy (rule per device and flow)", f"{n:,}", f"ipt-{n}", "A")
    if cf_vs_nft:
        out.append("")
        out.append("camfence (phase B) / nftables (phase A) per size: " +
                   ", ".join(f"{n:,}: {rfmt(v)}" for n, v in sorted(cf_vs_nft.items())) + ".")
    if tcp:
        out.append("")
        out.append("TCP stream (iperf3, one connection from a listed camera to the NVR, median Mbit/s):")
        out.append("")
        out.append("| configuration | phase | median Mbit/s | runs (min-max) |")
        out.append("|---|---|---:|---|")
        names = {"base": "no filter (baseline)", "ct": "conntrack on, no filter"}
        for (lane, ph), xs in sorted(tcp.items(), key=lambda t: (t[0][1], t[0][0])):
            label = names.get(lane, lane.replace("cf-", "camfence ").replace("nft-", "nftables "))
            if lane == "base" and ph == "B":
                label = "camfence loaded, empty policy"
            out.append(f"| {label} | {ph} | {fmt(med(xs), 1)} | {len(xs)} ({fmt(min(xs), 1)}-{fmt(max(xs), 1)}) |")
    if commit:
        out.append("")
        out.append("Commit time from an empty policy, init_net, median seconds (`camfencectl load` returns "
                   "once the policy is enforced; \"+ sysfs\" until the sysfs tree is complete too, which "
                   "follows in the background for commits of more than `sysfs_sync_max` = 1,024 directories):")
        out.append("")
        out.append("| devices | camfencectl load | + sysfs tree | nft -f (same policy) | camfence / nft | "
                   "camfence + sysfs / nft | camfencectl load in a netns (no sysfs) |")
        out.append("|---:|---:|---:|---:|---:|---:|---:|")
        for n in sorted({n for (_, n) in commit}):
            c = med(commit.get(("camfencectl", n), []))
            f = med(commit.get(("nft", n), []))
            cs = med(commit.get(("camfencectl-sysfs", n), []))
            ns = med(commit.get(("camfencectl-netns", n), []))
            out.append(f"| {n:,} | {fmt(c, 3)} | {fmt(cs, 3)} | {fmt(f, 3)} | {rfmt(ratio(c, f))} | "
                       f"{rfmt(ratio(cs, f))} | {fmt(ns, 3)} |")
    own = total = None
    if "init_net" in r.mem:
        kv = r.mem["init_net"]
        n = int(kv["n"])
        d, free = mem_delta(kv)
        total = sum(d) / n
        out.append("")
        out.append(f"Kernel memory, init_net, {n:,} devices with their sysfs directories "
                   f"({kv.get('sysfs_dirs', '?')}): Slab {d[0]:+,} B, Percpu {d[1]:+,} B, VmallocUsed "
                   f"{d[2]:+,} B; **{total:,.0f} bytes per device** (MemFree delta {free / n:,.0f} B).")
        if r.slabs.get("init_net"):
            out.append("Slab caches that grew, bytes per device: " +
                       ", ".join(f"`{c}` {v:,}" for c, v in r.slabs["init_net"]) + ".")
    if "netns" in r.mem:
        kv = r.mem["netns"]
        n = int(kv["n"]) - int(kv.get("from", 0))
        d, free = mem_delta(kv)
        own = sum(d) / n
        out.append("")
        out.append(f"camfence's own kernel memory (a network namespace: no sysfs tree; the policy of "
                   f"{int(kv['n']):,} devices replacing one of {kv.get('from', '0')}, so {n:,} devices): "
                   f"Slab {d[0]:+,} B, Percpu {d[1]:+,} B ({info.get('cpus', '?')} CPU), VmallocUsed "
                   f"{d[2]:+,} B; **{own:,.0f} bytes per device** (MemFree delta {free / n:,.0f} B).")
        if r.slabs.get("netns"):
            out.append("Slab caches that grew, bytes per device: " +
                       ", ".join(f"`{c}` {v:,}" for c, v in r.slabs["netns"]) + ".")
        if "init_net" in r.mem:
            di, _ = mem_delta(r.mem["init_net"])
            sysfs = di[0] / int(r.mem["init_net"]["n"]) - d[0] / n
            out.append(f"The sysfs directory per device, the difference of the Slab deltas: about "
                       f"{sysfs:,.0f} bytes (the netns measurement runs first, so the per-CPU counters "
                       f"show in it and not in the init_net one).")
    flood_ratio = flood_pps = None
    if r.flood:
        on, off = r.flood.get("on"), r.flood.get("off")
        s_on, s_off = med(on["stream"]) if on else None, med(off["stream"]) if off else None
        flood_ratio = ratio(s_on, s_off)
        flood_pps = med(on["flood"]) if on else None
        fi = r.floodinfo
        out.append("")
        out.append(f"Random-MAC flood (lane `{fi.get('lane', '?')}`): a listed camera streams "
                   f"{fi.get('stream_pps', '?')} UDP datagrams of {fi.get('stream_bytes', '?')} bytes per second to "
                   f"the NVR while pktgen floods the same port with 64-byte frames from random source MACs "
                   f"(median of {len(on['stream']) if on else 0} windows each):")
        out.append("")
        out.append("| | camera stream at the NVR, pps | runs (min-max) | flood frames taken in by the router, per s |")
        out.append("|---|---:|---|---:|")
        for k, label in (("off", "without the flood"), ("on", "with the flood")):
            x = r.flood.get(k)
            if x:
                out.append(f"| {label} | {fmt(med(x['stream']))} | {len(x['stream'])} "
                           f"({fmt(min(x['stream']))}-{fmt(max(x['stream']))}) | {fmt(med(x['flood']))} |")
        out.append("")
        out.append(f"Stream with the flood / without: **{rfmt(flood_ratio)}**; flood frames handled: "
                   f"**{fmt(flood_pps)} per second** (of {fi.get('flood_pktgen_sent', '?')} pktgen sent "
                   f"over the lane's windows; the camera's sender sent {fi.get('stream_sent', '?')} datagrams "
                   f"in all).")
    dns_ratio = None
    if r.dns:
        on, off = r.dns.get("1", {}), r.dns.get("0", {})
        # paired by round (the two windows run back to back)
        per_round = [on[k] / off[k] for k in sorted(on) if k in off and off[k]]
        dns_ratio = med(per_round)
        di = r.dnsinfo
        out.append("")
        out.append(f"DNS names as evidence (lane `{di.get('lane', '?')}`): a listed camera sends valid DNS "
                   f"queries to the router's port 53 at full rate (tests/tools/cfstream -n, "
                   f"{di.get('names', '?')} names for a 64-name table), allowed by its profile and counted "
                   f"after camfence's hook; module parameter `dns_names` switched at run time, queries per "
                   f"second (median of {len(per_round)} paired windows):")
        out.append("")
        out.append("| dns_names | queries per s | runs (min-max) |")
        out.append("|---|---:|---|")
        for k, label in (("1", "1 (recorded)"), ("0", "0 (off)")):
            xs = list(r.dns.get(k, {}).values())
            if xs:
                out.append(f"| {label} | {fmt(med(xs))} | {len(xs)} ({fmt(min(xs))}-{fmt(max(xs))}) |")
        out.append("")
        out.append("On / off, per round: " + ", ".join(f"{x:.3f}" for x in per_round) +
                   f"; median **{rfmt(dns_ratio)}** (the summary's `dns_vs_off`). The device's table "
                   f"afterwards: {di.get('table', '?')} names, {di.get('replaced', '?')} replaced, "
                   f"{di.get('invalid', '?')} invalid (the sender sent {di.get('sent', '?')} queries).")
    lk = None
    if r.lookup:
        out.append("")
        out.append(f"Host lookup microbenchmark (bench/lookup: camfence's lookup code compiled in userspace; "
                   f"CPU {r.host.get('cpu', '?').replace('_', ' ')}, host load {r.host.get('load', '?')} "
                   f"when it ran), ns per lookup, median of the rounds:")
        out.append("")
        out.append("| devices | MAC hash | address hash | rule match | all three (one packet) | runs (min-max of all three) |")
        out.append("|---:|---:|---:|---:|---:|---|")
        for n in sorted(r.lookup):
            d = r.lookup[n]
            a = d.get("ns_all", [])
            out.append(f"| {n:,} | {fmt(med(d.get('ns_mac')), 1)} | {fmt(med(d.get('ns_addr')), 1)} | "
                       f"{fmt(med(d.get('ns_rule')), 1)} | {fmt(med(a), 1)} | {len(a)} "
                       f"({fmt(min(a), 1)}-{fmt(max(a), 1)}) |")
        ns = sorted(r.lookup)
        if len(ns) >= 2:
            # paired by round (the two sizes run back to back): the host's
            # load moves between rounds more than within one
            lo, hi = r.lookup[ns[0]]["ns_all"], r.lookup[ns[-1]]["ns_all"]
            per_round = [b / a for a, b in zip(lo, hi) if a]
            lk = med(per_round)
            out.append("")
            out.append(f"{ns[-1]:,} / {ns[0]:,} devices, per round: " +
                       ", ".join(f"{x:.2f}" for x in per_round) + f"; median **{rfmt(lk)}** (the summary's "
                       f"figure); the fastest round of each size: {rfmt(ratio(min(hi), min(lo)))}.")

    c10 = med(udp.get(("cf-10", "B"), []))
    clast = med(udp.get((f"cf-{sizes[-1]}", "B"), [])) if sizes else None
    cf10k = med(udp.get((f"cf-{ten_k}", "B"), []))
    f = {
        "camfence_10k_vs_conntrack": ratio(cf10k, ct["B"] or ct["A"]),
        "camfence_10k_vs_baseline": ratio(cf10k, base),
        "tcp_vs_conntrack": ratio(med(tcp.get((f"cf-{ten_k}", "B"), [])), phase_b_or_a(tcp, "ct")),
        "tcp_vs_nft": ratio(med(tcp.get((f"cf-{ten_k}", "B"), [])), phase_b_or_a(tcp, f"nft-{ten_k}")),
        "camfence_vs_nft_min": min((v for v in cf_vs_nft.values() if v is not None), default=None),
        "scaling_change": (clast / c10 - 1) if c10 and clast and sizes[-1] != 10 else None,
        "commit_10k_sysfs_vs_nft": ratio(med(commit.get(("camfencectl-sysfs", ten_k), [])),
                                         med(commit.get(("nft", ten_k), []))),
        "own_bytes_per_device": own,
        "flood_stream_ratio": flood_ratio,
        "lookup_100k_vs_10": lk,
        "dns_vs_off": dns_ratio,
        "floor_vs_conntrack": ratio(med(udp.get(("cffloor", "B"), [])), ct["B"]),
    }
    checks = [
        (f"1. 64-byte UDP, {ten_k:,} devices, vs the conntrack-only router", "camfence_10k_vs_conntrack",
         ">= 0.99", lambda v: v >= 0.99),
        ("2. TCP stream vs the conntrack-only router", "tcp_vs_conntrack", ">= 0.99", lambda v: v >= 0.99),
        ("2. TCP stream vs nftables", "tcp_vs_nft", ">= 1.00", lambda v: v >= 1.0),
        ("3. camfence vs nftables, smallest ratio over the sizes", "camfence_vs_nft_min", ">= 1.20",
         lambda v: v >= 1.2),
        (f"3. throughput change 10 -> {sizes[-1] if sizes else 0:,} devices", "scaling_change",
         "within 1%", lambda v: abs(v) <= 0.01),
        (f"4. commit {ten_k:,} devices incl. the sysfs tree / nft -f", "commit_10k_sysfs_vs_nft", "<= 0.50",
         lambda v: v <= 0.5),
        ("5. camfence's own kernel memory per device (no sysfs)", "own_bytes_per_device", "<= 512 B",
         lambda v: v <= 512),
        ("6. random-MAC flood: camera stream with / without", "flood_stream_ratio", ">= 0.90",
         lambda v: v >= 0.9),
        ("7. host lookup ns, 100,000 / 10 devices", "lookup_100k_vs_10", "<= 1.50", lambda v: v <= 1.5),
    ]
    out.append("")
    out.append("| target (issue 16) | goal | measured | met |")
    out.append("|---|---|---:|---|")
    for text, key, goal, ok in checks:
        v = f[key]
        vs = "n/a" if v is None else (f"{v:,.0f} B" if key == "own_bytes_per_device" else
                                      (f"{v:+.3f}" if key == "scaling_change" else f"{v:.3f}"))
        out.append(f"| {text} | {goal} | {vs} | {'n/a' if v is None else ('yes' if ok(v) else '**no**')} |")
    floor = med(udp.get(("cffloor", "B"), []))
    if info.get("icount", "off") != "off" and floor and ct["B"] and cf10k:
        # under -icount shift=S a guest second is 10^9 / 2^S instructions
        ips = 1e9 / 2 ** int(info["icount"])
        i_ct, i_floor, i_cf = ips / ct["B"], ips / floor, ips / cf10k
        out.append("")
        out.append(f"Guest instructions per forwarded packet (the instruction clock: "
                   f"{ips / 1e6:,.0f} million per guest second): conntrack-only router {i_ct:,.0f}; "
                   f"with camfence's hook and nothing to judge (the floor) {i_floor:,.0f} "
                   f"(+{i_floor - i_ct:,.0f}); camfence with {ten_k:,} devices {i_cf:,.0f} "
                   f"(+{i_cf - i_ct:,.0f}). Target 1 (>= 0.99) leaves camfence "
                   f"{i_ct / 0.99 - i_ct:,.0f} instructions per packet; the floor alone uses "
                   f"{(i_floor - i_ct) / (i_ct / 0.99 - i_ct):.0%} of that.")
    if empty is not None and base:
        out.append("")
        out.append(f"Hook cost with an empty policy: {rfmt(ratio(empty, base))} of the baseline; conntrack "
                   f"alone: {rfmt(ratio(ct['A'], base))} of the baseline (phase A).")
    return f, out


def summary(f):
    def v(k):
        x = f[k]
        if k == "own_bytes_per_device":
            return "NA" if x is None else str(int(round(x)))
        return rfmt(x)
    keys = ["camfence_10k_vs_conntrack", "camfence_10k_vs_baseline", "tcp_vs_conntrack", "tcp_vs_nft",
            "camfence_vs_nft_min", "scaling_change", "commit_10k_sysfs_vs_nft", "own_bytes_per_device",
            "flood_stream_ratio", "lookup_100k_vs_10", "dns_vs_off", "floor_vs_conntrack"]
    return "summary: " + " ".join(f"{k}={v(k)}" for k in keys)


def stamp(path):
    """When the run started: bench.sh names the raw file raw-KERNEL-YYYYmmdd-HHMMSS.txt (UTC)."""
    m = re.search(r"-(\d{8}-\d{6})\.txt$", path)
    if m:
        t = datetime.datetime.strptime(m.group(1), "%Y%m%d-%H%M%S")
        return t.strftime("%Y-%m-%d %H:%M UTC (start)")
    return datetime.datetime.fromtimestamp(os.path.getmtime(path),
                                           datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")


def code(r):
    c = r.host.get("commit")
    return f"commit `{c}` (kmod/ at `{r.host.get('kmod', '?')}`)" if c else "commit not recorded"


def loadrange(r):
    xs = [float(x) for x in r.host.get("load_samples", "").split(",") if x]
    return f"{min(xs)}-{max(xs)}" if xs else "?"


def write_doc(doc, main, r61, r612):
    notes = os.path.join(os.path.dirname(os.path.abspath(__file__)), "performance-notes.md")
    with open(notes) as fh:
        text = fh.read()
    main = main or r61 or r612
    f, table = analyze(main)
    results = (f"Produced by `{main.cmd}` on {stamp(main.path)}, {code(main)} "
               f"({'complete' if main.done else 'INCOMPLETE'} run; raw output "
               f"`bench/build/{os.path.basename(main.path)}`, kept on the machine that ran it).\n\n"
               + "\n".join(table) + f"\n\n```\n{summary(f)}\n```\n")
    cmp = "No run on the other kernel yet (`make bench KERNEL=6.12 BENCH_QUICK=1`)."
    if r61 and r612:
        f61, f612 = analyze(r61)[0], analyze(r612)[0]
        rows = ["| figure | " + f"6.1 (`{r61.cmd}`, {stamp(r61.path)}) | "
                f"6.12 (`{r612.cmd}`, {stamp(r612.path)}) | 6.12 / 6.1 |", "|---|---:|---:|---:|"]
        for k in f61:
            a, b = f61[k], f612[k]
            fm = (lambda x: "NA" if x is None else f"{x:,.0f}") if k == "own_bytes_per_device" else rfmt
            q = "" if k == "scaling_change" else rfmt(ratio(b, a))
            label = k + (" (the host's CPU, not the guest kernel: the host's load decides)"
                         if k == "lookup_100k_vs_10" else "")
            rows.append(f"| {label} | {fm(a)} | {fm(b)} | {q} |")
        absolute = [(("udp", "base", "A"), "64-byte UDP, baseline, pps"),
                    (("udp", "ct", "B"), "64-byte UDP, conntrack-only, pps"),
                    (("udp", "cf-10000", "B"), "64-byte UDP, camfence 10,000, pps"),
                    (("udp", "nft-10000", "A"), "64-byte UDP, nftables 10,000, pps"),
                    (("tcp", "ct", "B"), "TCP, conntrack-only, Mbit/s"),
                    (("tcp", "cf-10000", "B"), "TCP, camfence 10,000, Mbit/s"),
                    (("commit", "camfencectl", 10000), "commit 10,000, s"),
                    (("commit", "camfencectl-sysfs", 10000), "commit 10,000 + sysfs, s"),
                    (("commit", "nft", 10000), "nft -f 10,000, s")]
        for (kind, lane, ph), label in absolute:
            a, b = (med(getattr(x, kind).get((lane, ph), [])) for x in (r61, r612))
            rows.append(f"| {label} | {fmt(a, 3 if kind == 'commit' else 0)} | "
                        f"{fmt(b, 3 if kind == 'commit' else 0)} | {rfmt(ratio(b, a))} |")
        cmp = ""
        for r in (r61, r612):
            cmp += (f"- `{r.cmd}` on {stamp(r.path)}, {code(r)} ({'complete' if r.done else 'INCOMPLETE'}; raw "
                    f"`bench/build/{os.path.basename(r.path)}`), kernel {r.info.get('kernel', '?')}, host load "
                    f"{loadrange(r)}, {r.host.get('elapsed_sec', '?')} s\n")
        cmp += "\n" + "\n".join(rows) + "\n"
        for r, name in ((r61, "6.1"), (r612, "6.12")):
            if os.path.abspath(r.path) == os.path.abspath(main.path):
                continue
            cmp += (f"\n<details><summary>The {name} run's tables</summary>\n\n" + "\n".join(analyze(r)[1]) +
                    f"\n\n```\n{summary(analyze(r)[0])}\n```\n\n</details>\n")
    text = text.replace("@RESULTS@", results).replace("@KERNELS@", cmp)
    with open(doc, "w") as fh:
        fh.write(text)
    print(f"# wrote {doc}", file=sys.stderr)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--raw", required=True)
    ap.add_argument("--cmd", default=None)
    ap.add_argument("--ten-k", type=int, default=10000)
    ap.add_argument("--doc")
    ap.add_argument("--main", help="the run whose tables the doc shows (default: --raw-61)")
    ap.add_argument("--raw-61", help="the 6.1 run of the kernel comparison")
    ap.add_argument("--raw-612", help="the 6.12 run of the kernel comparison")
    a = ap.parse_args()
    r = Run(a.raw)
    f, table = analyze(r, a.ten_k)
    print("\n".join(table))
    for line in r.cfstats[-3:]:
        print("# " + line)
    if a.doc:
        write_doc(a.doc, Run(a.main or a.raw_61 or a.raw), Run(a.raw_61) if a.raw_61 else None,
                  Run(a.raw_612) if a.raw_612 else None)
    print(summary(f))


if __name__ == "__main__":
    main()
