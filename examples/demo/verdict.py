#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Judge the demo site from what really happened.

The evidence is what the *receiving* ends logged (fakes.py: a cloud endpoint
that accepted a connection, a camera that accepted one, a device that heard an
announcement) and the kernel's own counters under /sys/kernel/camfence.

usage: verdict.py LOGDIR [--devices CSV] [--sysfs DIR] [--unknown FILE]
exit 0 and "VERDICT: PASS ..." when the site behaved, else 1 and "VERDICT: FAIL".
"""

import argparse
import json
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
from fakes import (load_devices, NVR_NAME, ROUTER6,  # noqa: E402
                   NEWCAM_NAME, NEWCAM_MAC, NEWCAM_IP)

ROGUE_MAC = "b8:27:eb:66:66:66"
ROGUE_IP = "10.20.0.66"


def sysfs_read(root, *path):
    try:
        with open(os.path.join(root, *path)) as f:
            return f.read().strip()
    except OSError:
        return None


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("logdir")
    ap.add_argument("--devices", default=os.path.join(HERE, "devices.csv"))
    ap.add_argument("--sysfs", default="/sys/kernel/camfence")
    ap.add_argument("--unknown", default=None,
                    help="output of camfencectl unknown")
    args = ap.parse_args()

    devs = load_devices(args.devices)
    cams = [d for d in devs if d["vendor"]]
    cam_ips = {ip: d for d in cams for ip in d["ips"]}
    cam_names = {d["name"] for d in cams}
    # The effective mode, as the kernel sees it (fall back to the CSV).
    for d in devs:
        m = sysfs_read(args.sysfs, "devices", d["name"], "mode")
        d["eff"] = m or ("monitor" if d["mode"] == "monitor" else "enforce")
    enforced = {d["name"] for d in cams if d["eff"] == "enforce"}
    monitored = [d["name"] for d in cams if d["eff"] == "monitor"]

    ev = []
    with open(os.path.join(args.logdir, "events.jsonl")) as f:
        for line in f:
            ev.append(json.loads(line))

    sections = {"crossed": [], "blocked": [], "counted": []}
    notes = []
    failed = 0
    section = "crossed"

    def must(cond, text):
        nonlocal failed
        sections[section].append(("ok  " if cond else "FAIL") + "  " + text)
        failed += not cond

    # ---- what must cross ------------------------------------------------
    pulls = {}
    for e in ev:
        if e["who"] == NVR_NAME and e["ev"] == "pull":
            k = (e["cam"], e["what"])
            ok, n = pulls.get(k, (0, 0))
            pulls[k] = (ok + bool(e["ok"]), n + 1)
    for what, label in (("rtsp", "RTSP 554"), ("sdk", "SDK 8000/37777")):
        parts = ["%s %d/%d" % (c["name"], *pulls.get((c["name"], what),
                                                      (0, 0)))
                 for c in cams]
        n_ok = sum(1 for c in cams if pulls.get((c["name"], what), (0,))[0])
        must(n_ok == len(cams), "NVR pulled %s from %d of %d cameras (%s)"
             % (label, n_ok, len(cams), ", ".join(parts)))

    for svc, label in (("dns", "DNS"), ("ntp", "NTP")):
        asked = {cam_ips[e["src"]]["name"] for e in ev
                 if e["who"] == "router" and e["ev"] == "rx"
                 and e["svc"] == svc and e["src"] in cam_ips}
        answered = {e["who"] for e in ev if e["ev"] == "try"
                    and e["what"] == svc + "-router" and e["ok"]
                    and e["who"] in cam_names}
        n = len(asked & answered)
        must(n == len(cams), "router %s answered %d of %d cameras"
             % (label, n, len(cams)))
    want6 = {c["name"] for c in cams if any(":" in a for a in c["ips"])}
    for svc, label in (("dns", "DNS"), ("ntp", "NTP")):
        v6 = {e["who"] for e in ev if e["ev"] == "try" and e["what"] ==
              svc + "-router" and e["dst"] == ROUTER6 and e["ok"]}
        must(v6 == want6, "router %s over IPv6 (%s) answered %d of %d "
             "cameras" % (label, ROUTER6, len(v6 & want6), len(want6)))

    def tries(who, what):
        t = [e for e in ev if e["who"] == who and e["ev"] == "try"
             and e["what"] == what]
        return sum(1 for e in t if e["ok"]), len(t)

    ok, n = tries("office-pc", "internet")
    must(ok > 0, "office PC (VLAN 30, not a camera zone) reached "
         "the internet %d/%d times: the uplink works" % (ok, n))
    ok, n = tries("office-pc", "nvr-web")
    must(ok > 0, "office PC opened the NVR web page %d/%d times"
         % (ok, n))

    # ---- what must not cross ---------------------------------------------
    section = "blocked"
    cloud = [e for e in ev if e["who"] == "cloud" and e["src"] in cam_ips]
    per = {}
    for e in cloud:
        name = cam_ips[e["src"]]["name"]
        per.setdefault(name, {}).setdefault(e["svc"], 0)
        per[name][e["svc"]] += 1
    leaked = {n: v for n, v in per.items() if n in enforced}
    sent = sum(1 for e in ev if e["who"] in enforced and e["ev"] == "try"
               and e["what"] in ("hik-connect", "dahua-p2p", "ntp-public",
                                 "dns-public"))
    must(not leaked, "cloud endpoints received %d connections/datagrams "
         "from enforced cameras (%d attempts)%s"
         % (sum(sum(v.values()) for v in leaked.values()), sent,
            "" if not leaked else ": " + json.dumps(leaked)))
    for name in monitored:
        got = per.get(name, {})
        notes.append("%s is in monitor mode: its cloud traffic was let "
                     "through on purpose and counted (%s arrived: %s)"
                     % (name, sum(got.values()), ", ".join(
                         "%s %d" % kv for kv in sorted(got.items()))
                        or "nothing"))

    c2c = [e for e in ev if e["ev"] == "accept" and e["who"] in cam_names
           and e["src"] in cam_ips]
    leaks = [e for e in c2c if not (cam_ips[e["src"]]["eff"] == "monitor"
                                    and byname(devs, e["who"])["eff"]
                                    == "monitor")]
    scans = sum(1 for e in ev if e["ev"] == "try" and e["what"] == "scan")
    must(not leaks, "camera-to-camera connections accepted: %d (%d scan "
         "attempts on TCP 554/80)%s" % (len(leaks), scans, "".join(
             "; %s -> %s:%d" % (cam_ips[e["src"]]["name"], e["who"],
                                e["port"]) for e in leaks[:4])))

    heard = [e for e in ev if e["ev"] == "heard" and e["src"] in cam_ips]
    heard_enf = [e for e in heard if cam_ips[e["src"]]["name"] in enforced]
    ann = sum(1 for e in ev if e["ev"] == "announce"
              and e["who"] in enforced)
    must(not heard_enf, "discovery announcements (SADP, Dahua, SSDP, "
         "WS-Discovery) of enforced cameras heard by anyone: %d of %d sent"
         % (len(heard_enf), ann))

    ok, n = tries("office-pc", "camera-rtsp")
    must(n and ok == 0, "office PC reached a camera's RTSP port %d/%d times"
         % (ok, n))

    rogue_tries = [e for e in ev if e["who"] == "rogue" and e["ev"] == "try"]
    rogue_ok = [e["what"] for e in rogue_tries if e["ok"]]
    rogue_rx = [e for e in ev if e.get("src") == ROGUE_IP
                and e["ev"] in ("rx", "accept")]
    must(rogue_tries and not rogue_ok and not rogue_rx,
         "rogue device %s (plugged in halfway) reached nothing: %d of %d "
         "attempts succeeded, %d arrived anywhere"
         % (ROGUE_MAC, len(rogue_ok), len(rogue_tries), len(rogue_rx)))
    new_tries = [e for e in ev if e["who"] == NEWCAM_NAME
                 and e["ev"] == "try"]
    new_ok = [e["what"] for e in new_tries if e["ok"]]
    new_rx = [e for e in ev if e.get("src") == NEWCAM_IP
              and e["ev"] in ("rx", "accept", "heard")]
    must(new_tries and not new_ok and not new_rx,
         "new camera %s (EZVIZ, plugged in halfway, not in the inventory) "
         "reached nothing: %d of %d attempts succeeded, %d arrived anywhere"
         % (NEWCAM_MAC, len(new_ok), len(new_tries), len(new_rx)))
    if args.unknown is not None:
        try:
            with open(args.unknown) as f:
                text = f.read().lower()
        except OSError:
            text = ""
        must(ROGUE_MAC in text, "camfencectl unknown lists the rogue MAC %s"
             % ROGUE_MAC)
        must(NEWCAM_MAC in text, "camfencectl unknown lists the new camera "
             "%s" % NEWCAM_MAC)

    # ---- the kernel's counters -------------------------------------------
    section = "counted"
    if os.path.isdir(os.path.join(args.sysfs, "devices")):
        for d in devs:
            r = {k: sysfs_read(args.sysfs, "devices", d["name"], k)
                 for k in ("allowed_packets", "dropped_packets",
                           "monitored_packets")}
            if None in r.values():
                must(False, "sysfs: device %s missing" % d["name"])
                continue
            r = {k: int(v) for k, v in r.items()}
            if d["name"] in enforced:
                must(r["dropped_packets"] > 0 and r["allowed_packets"] > 0,
                     "%s (enforce): allowed_packets=%d dropped_packets=%d"
                     % (d["name"], r["allowed_packets"],
                        r["dropped_packets"]))
            elif d["name"] in monitored:
                # Its own would-be denials pass (monitored); what it still
                # loses is denied by the enforced camera at the other end.
                must(r["monitored_packets"] > 0 and r["allowed_packets"] > 0,
                     "%s (monitor): monitored_packets=%d (let through), "
                     "dropped_packets=%d (denied by enforced peers)"
                     % (d["name"], r["monitored_packets"],
                        r["dropped_packets"]))
        unk = sysfs_read(args.sysfs, "stats", "unknown_packets")
        must(unk is not None and int(unk) > 0,
             "stats/unknown_packets=%s (the rogue's and the new camera's "
             "packets)" % unk)
    else:
        must(False, "no %s/devices: camfence is not loaded" % args.sysfs)

    titles = {"crossed": "what crossed (must):",
              "blocked": "what did not cross (must not):",
              "counted": "what the kernel counted (sysfs):"}
    for k, lines in sections.items():
        print(titles[k])
        for t in lines:
            print("  " + t)
    for t in notes:
        print("  note  " + t)
    if failed:
        print("VERDICT: FAIL — %d check(s) failed (see FAIL above)" % failed)
        return 1
    tail = ""
    if monitored:
        tail = " (%s in monitor mode: observed and let through, as "\
            "configured)" % ", ".join(monitored)
    print("VERDICT: PASS — no camera in enforce mode reached the internet "
          "or another camera%s" % tail)
    return 0


def byname(devs, name):
    return next(d for d in devs if d["name"] == name)


if __name__ == "__main__":
    sys.exit(main())
