#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""Parse the BENCH lines of bench/guest.sh, print the results table and the
summary line; with --doc, write docs/performance.md (the method and analysis
text come from bench/performance-notes.md, every number from the run)."""
import argparse
import datetime
import os
import re
import statistics
import sys


def parse(path):
    recs = []
    with open(path, errors="replace") as f:
        for line in f:
            line = line.strip()
            if not line.startswith("BENCH "):
                continue
            words = line.split()
            kind = words[1]
            kv = {}
            for w in words[2:]:
                if "=" in w:
                    k, v = w.split("=", 1)
                    kv[k] = v
            recs.append((kind, kv, line))
    return recs


def med(xs):
    return statistics.median(xs) if xs else None


def fmt(x, nd=0):
    if x is None:
        return "n/a"
    return f"{x:,.{nd}f}"


def ratio(a, b):
    return a / b if a is not None and b else None


def rfmt(r):
    return "NA" if r is None else f"{r:.2f}"


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--raw", required=True)
    ap.add_argument("--cmd", default="make bench")
    ap.add_argument("--ten-k", type=int, default=10000)
    ap.add_argument("--doc")
    a = ap.parse_args()
    recs = parse(a.raw)
    info = {}
    udp, tcp, commit, cfstats = {}, {}, {}, []
    mem = None
    slabs = []
    done = False
    for kind, kv, line in recs:
        if kind == "info":
            info.update(kv)
        elif kind == "udp":
            udp.setdefault((kv["lane"], kv["phase"]), []).append(float(kv["pps"]))
        elif kind == "tcp":
            tcp.setdefault((kv["lane"], kv["phase"]), []).append(float(kv["mbps"]))
        elif kind == "commit":
            commit.setdefault((kv["tool"], int(kv["n"])), []).append(float(kv["sec"]))
        elif kind == "mem":
            mem = kv
        elif kind == "slab":
            if kv["cache"] not in [c for c, _ in slabs]:
                slabs.append((kv["cache"], int(kv["bytes_per_device"])))
        elif kind == "cfstats":
            cfstats.append(line)
        elif kind == "done":
            done = True

    base = med(udp.get(("base", "A"), []))
    empty = med(udp.get(("base", "B"), []))
    sizes = sorted({int(l.split("-")[1]) for (l, _) in udp if "-" in l})

    out = []
    out.append(f"Kernel {info.get('kernel', '?')}, {info.get('cpus', '?')} vCPUs (QEMU TCG), "
               f"{int(info.get('mem_kb', 0)) // 1024} MiB, camfence {info.get('version') or 'not loaded'}"
               f" ({info.get('modparams') or 'default parameters'}), RPS={info.get('rps', '?')}, "
               f"{info.get('rounds', '?')} rounds x {info.get('win', '?')} s windows, "
               f"clock: {'QEMU -icount shift=' + info['icount'] + ' (guest instructions, see Clock)' if info.get('icount', 'off') != 'off' else 'wall clock'}"
               + ("" if done else " -- INCOMPLETE RUN (the guest stopped early)"))
    out.append("")
    out.append("64-byte UDP, forwarded packets per second at the sink (median of the rounds):")
    out.append("")
    out.append("| configuration | devices | median pps | runs (min-max) | vs baseline | vs nftables |")
    out.append("|---|---:|---:|---|---:|---:|")

    def row(label, n, xs, vsnft=None):
        m = med(xs)
        rng = f"{len(xs)} ({fmt(min(xs))}-{fmt(max(xs))})" if xs else "0"
        out.append(f"| {label} | {n} | {fmt(m)} | {rng} | {rfmt(ratio(m, base))} | "
                   f"{rfmt(vsnft) if vsnft is not None else ''} |")

    row("no filter (baseline, module not loaded)", "-", udp.get(("base", "A"), []))
    if ("ct", "A") in udp:
        row("no filter, conntrack on (nft: one `ct state invalid drop` rule)", "-", udp[("ct", "A")])
    if ("base", "B") in udp:
        row("camfence loaded, empty policy (hook cost)", "0", udp[("base", "B")])
    cf_vs_nft = {}
    for n in sizes:
        c = udp.get((f"cf-{n}", "B"))
        f = udp.get((f"nft-{n}", "A"))
        if c:
            cf_vs_nft[n] = ratio(med(c), med(f)) if f else None
            row("camfence", f"{n:,}", c, cf_vs_nft[n])
    for n in sizes:
        if (f"nft-{n}", "A") in udp:
            row("nftables (ct first, verdict maps)", f"{n:,}", udp[(f"nft-{n}", "A")])
    for n in sizes:
        if (f"nft-{n}", "B") in udp:
            row("nftables, camfence.ko loaded (empty policy in its netns)", f"{n:,}", udp[(f"nft-{n}", "B")])
    for n in sizes:
        if (f"ipt-{n}", "A") in udp:
            row("iptables-legacy (rule per device and flow)", f"{n:,}", udp[(f"ipt-{n}", "A")])
    if tcp:
        out.append("")
        out.append("TCP stream (iperf3, one connection from a listed camera to the NVR, median Mbit/s):")
        out.append("")
        out.append("| configuration | median Mbit/s | runs (min-max) |")
        out.append("|---|---:|---|")
        names = {"base:A": "no filter (baseline)", "base:B": "camfence loaded, empty policy"}
        for (lane, ph) in tcp:
            if lane.startswith("nft-") and ph == "B":
                names[f"{lane}:B"] = lane.replace("nft-", "nftables ") + ", camfence.ko loaded"
        for (lane, ph), xs in sorted(tcp.items(), key=lambda t: (t[0][1], t[0][0])):
            label = names.get(f"{lane}:{ph}", lane.replace("cf-", "camfence ").replace("nft-", "nftables "))
            out.append(f"| {label} | {fmt(med(xs), 1)} | {len(xs)} ({fmt(min(xs), 1)}-{fmt(max(xs), 1)}) |")
    if commit:
        out.append("")
        out.append("Commit time from an empty policy, init_net, median seconds (`camfencectl load` returns "
                   "once the policy is enforced; the next column includes the sysfs tree, which follows "
                   "in the background for commits of more than `sysfs_sync_max` = 1,024 directories):")
        out.append("")
        out.append("| devices | camfencectl load | nft -f (same policy) | camfence / nft | "
                   "load + sysfs tree complete | camfencectl load in a netns (no sysfs) |")
        out.append("|---:|---:|---:|---:|---:|---:|")
        for n in sorted({n for (_, n) in commit}):
            c = med(commit.get(("camfencectl", n), []))
            f = med(commit.get(("nft", n), []))
            cs = med(commit.get(("camfencectl-sysfs", n), []))
            ns = med(commit.get(("camfencectl-netns", n), []))
            out.append(f"| {n:,} | {fmt(c, 3)} | {fmt(f, 3)} | {rfmt(ratio(c, f))} | {fmt(cs, 3)} | "
                       f"{fmt(ns, 3)} |")
    bpd = None
    if mem:
        b = [int(x) for x in mem["before"].split(",")]
        e = [int(x) for x in mem["after"].split(",")]
        n = int(mem["n"])
        d = [e[i] - b[i] for i in range(3)]
        bpd = sum(d) / n
        out.append("")
        out.append(f"Kernel memory for {n:,} devices (init_net, {mem.get('sysfs_dirs', '?')} sysfs device "
                   f"directories): Slab {d[0]:+,} B, Percpu {d[1]:+,} B, VmallocUsed {d[2]:+,} B; "
                   f"total {sum(d):,} B = **{bpd:,.0f} bytes per device** "
                   f"(MemFree delta {(b[3] - e[3]) / n:,.0f} B per device).")
        if slabs:
            out.append("")
            out.append("Slab caches that grew, bytes per device: " +
                       ", ".join(f"`{c}` {v:,}" for c, v in slabs) + ".")

    c10 = med(udp.get(("cf-10", "B"), []))
    clast = med(udp.get((f"cf-{sizes[-1]}", "B"), [])) if sizes else None
    scaling = (clast / c10 - 1) if c10 and clast and sizes[-1] != 10 else None
    vs_nft_min = min((r for r in cf_vs_nft.values() if r is not None), default=None)
    c10k = med(commit.get(("camfencectl", a.ten_k), []))
    n10k = med(commit.get(("nft", a.ten_k), []))
    cf10k = med(udp.get((f"cf-{a.ten_k}", "B"), []))
    checks = [
        (f"camfence with {a.ten_k:,} devices >= 97% of baseline pps", ratio(cf10k, base), lambda r: r >= 0.97),
        ("camfence >= nftables at every size (smallest ratio)", vs_nft_min, lambda r: r >= 1.0),
        (f"throughput change 10 -> {sizes[-1] if sizes else '?':,} devices < 3%", scaling,
         lambda r: abs(r) < 0.03),
        (f"commit {a.ten_k:,} devices < half of nft -f", ratio(c10k, n10k), lambda r: r < 0.5),
        ("kernel memory <= 1 KiB per device", bpd, lambda r: r <= 1024),
    ]
    out.append("")
    out.append("| target (issue 6) | measured | met |")
    out.append("|---|---:|---|")
    for text, val, ok in checks:
        v = "n/a" if val is None else (f"{val:,.0f} B" if "memory" in text else f"{val:.2f}")
        out.append(f"| {text} | {v} | {'n/a' if val is None else ('yes' if ok(val) else '**no**')} |")
    if empty is not None and base:
        out.append("")
        out.append(f"Hook cost with an empty policy: {rfmt(ratio(empty, base))} of the baseline.")
    ctb = med(udp.get(("ct", "A"), []))
    if ctb and cf10k:
        out.append(f"camfence with {a.ten_k:,} devices against the conntrack-only router: "
                   f"{rfmt(ratio(cf10k, ctb))}; conntrack alone: {rfmt(ratio(ctb, base))} of the baseline.")
    summary = (f"summary: camfence_10k_vs_baseline={rfmt(ratio(cf10k, base))} "
               f"camfence_vs_nft_min={rfmt(vs_nft_min)} scaling_change={rfmt(scaling)} "
               f"commit_10k_vs_nft={rfmt(ratio(c10k, n10k))} "
               f"bytes_per_device={'NA' if bpd is None else int(round(bpd))}")
    table = "\n".join(out)
    print(table)
    for l in cfstats[-2:]:
        print("# " + l)
    if a.doc:
        notes = os.path.join(os.path.dirname(os.path.abspath(__file__)), "performance-notes.md")
        with open(notes) as f:
            text = f.read()
        stamp = datetime.datetime.fromtimestamp(os.path.getmtime(a.raw),
                                                datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
        results = (f"Produced by `{a.cmd}` on {stamp} ({'complete' if done else 'INCOMPLETE'} run; raw output "
                   f"`bench/build/{os.path.basename(a.raw)}`, kept on the machine that ran it).\n\n{table}\n\n```\n{summary}\n```\n")
        text = text.replace("@RESULTS@", results)
        with open(a.doc, "w") as f:
            f.write(text)
        print(f"# wrote {a.doc}", file=sys.stderr)
    print(summary)


if __name__ == "__main__":
    main()
