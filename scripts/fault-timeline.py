#!/usr/bin/env python3
"""Lines up one fault-tier run's process logs into a timeline of a fault.

Usage: scripts/fault-timeline.py launcher/target/faults/<run> [fault-number] [--all]

The fault tests (FaultsIT, NetworkFaultsIT) write marks.log ("epoch-ms cut X" / "heal X") beside
each process's log; this prints, from 2 s before the cut to 25 s after the heal, what matters for
the heal time: who suspected whom, mastership claims, merges (Hazelcast's cluster log needs
-Dfaults.jvmOptions=-Dlogback.configurationFile=src/test/resources/logback-cluster-debug.xml),
cluster views, shard claims, re-subscriptions and job ends, each as seconds from the cut. Bursts
of one event in one process within 0.3 s print once with a count. --all keeps every process line.
"""
import datetime
import glob
import os
import re
import sys

STAMP = re.compile(r"^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3})Z ")
ADDRESS = re.compile(r"\[(\d+\.\d+\.\d+\.\d+)\]:(\d+)")
EVENT = re.compile(r"event=([a-z_.]+)")

# (pattern, label): the first that matches a line names it; None drops the line.
HAZELCAST = [
    ("is suspected to be dead", "suspects {addr0}"),
    ("Starting mastership claim", "STARTS MASTERSHIP CLAIM"),
    ("with suspected members", "claim asks {addrs}"),
    ("Mastership is claimed with", "MASTERSHIP CLAIMED"),
    ("Mastership of", "accepts {addr0} as master"),
    ("is excluded because", "claim excludes {addr0}: {tail}"),
    ("Removing Member", "removes {addr0}"),
    ("should merge to us", "merge check: {addr0} should merge to us"),
    ("Should merge to", "merge check: should merge to {addr0}"),
    ("cannot lock cluster state", "MERGE LOCK REFUSED: pending migrations"),
    ("Rolling back cluster state", "merge lock rolled back"),
    ("is merging to", "MERGING to {addr1}"),
    ("Finished merge tasks", "MERGED (merge tasks finished)"),
    ("Members {size:", "member list {size}"),
    ("Sending SplitBrainJoinMessage", None),
]
APP = {
    "cluster.view": "view {kv:members} {kv:relays}",
    "cluster.member_left": "member left {kv:member}",
    "cluster.member_joined": None,
    "shards.rebalanced": "shards rebalanced {kv:relays} {kv:owned}",
    "shards.moved": "shards moved",
    "redis.shard_claimed": "shard claimed",
    "redis.shard_released": "shard released",
    "redis.shard_held": "shard claim refused (held)",
    "relay.liveness": "liveness {kv:sparedRelays}",
    "job.redispatch": "job re-dispatched ({reason})",
    "job.ended": "job ended",
    "job.fenced": "job fenced",
    "job.dispatch_failed": "job dispatch failed",
    "append.fenced": "append fenced",
    "resubscribe.start": "resubscribe",
    "gateway.node_left": "gateway: node left",
    "readiness.shard_coverage": "coverage {kv:covered}",
    "delivery.resend": "delivery resend",
    "subscribe.superseded": "subscribe superseded",
    "session.closed_unreachable": "SESSION CLOSED unreachable",
}


def stamp_ms(line):
    m = STAMP.match(line)
    if not m:
        return None
    t = datetime.datetime.strptime(m.group(1), "%Y-%m-%dT%H:%M:%S.%f")
    return int(t.replace(tzinfo=datetime.timezone.utc).timestamp() * 1000)


def kv(line, key):
    m = re.search(r"\b" + re.escape(key) + r"=(\[[^\]]*\]|\S+)", line)
    return f"{key}={m.group(1)}" if m else ""


def label(line, names, keep_all):
    event = EVENT.search(line)
    if event:
        fmt = APP.get(event.group(1), event.group(1) if keep_all else None)
        if fmt is None:
            return None, None
        reason = re.search(r'reason="([^"]*)"', line)
        text = re.sub(r"\{kv:(\w+)\}", lambda k: kv(line, k.group(1)), fmt)
        return event.group(1), text.replace("{reason}", reason.group(1) if reason else "")
    if " c.h." not in line:
        return None, None
    addrs = [names.get(a.group(0), a.group(0)) for a in ADDRESS.finditer(line)][1:]
    for pattern, fmt in HAZELCAST:
        if pattern in line:
            if fmt is None:
                return None, None
            size = re.search(r"\{size:(\d+), ver:(\d+)\}", line)
            return pattern, fmt.format(
                addr0=addrs[0] if addrs else "?", addr1=addrs[1] if len(addrs) > 1 else "?",
                addrs=",".join(sorted(set(addrs[1:]))),
                size=f"size={size.group(1)} ver={size.group(2)}" if size else "",
                tail=line.rsplit("because", 1)[-1].strip()[:60])
    return ("hz", line.split(" c.h.", 1)[1][:160]) if keep_all else (None, None)


def main():
    run = sys.argv[1]
    which = int(sys.argv[2]) if len(sys.argv) > 2 and sys.argv[2].isdigit() else 1
    keep_all = "--all" in sys.argv
    marks = [l.split(" ", 1) for l in open(os.path.join(run, "marks.log")).read().splitlines()]
    cuts = [(int(t), w) for t, w in marks if w.startswith("cut ")]
    heals = [(int(t), w) for t, w in marks if w.startswith("heal ")]
    cut, what = cuts[which - 1]
    heal = heals[which - 1][0]
    logs = sorted(glob.glob(os.path.join(run, "*.log")))
    names = {}  # cluster address -> process name, from each process's own Hazelcast lines
    for path in logs:
        for line in open(path, errors="replace"):
            m = ADDRESS.search(line.split(" c.h.", 1)[1]) if " c.h." in line else None
            if m:
                names[m.group(0)] = os.path.basename(path).split(".")[0]
                break
    rows = [(cut, "test", "CUT " + what[4:]), (heal, "test", "HEAL")]
    for path in logs:
        name = os.path.basename(path).split(".")[0]
        if name in ("marks", "redis"):
            continue
        last = {}
        for line in open(path, errors="replace"):
            t = stamp_ms(line)
            if t is None or t < cut - 2000 or t > heal + 25000:
                continue
            key, text = label(line, names, keep_all)
            if key is None:
                continue
            prev = last.get((key, text))
            if prev is not None and t - rows[prev][0] <= 300:
                r = rows[prev]
                count = int(r[3]) + 1 if len(r) > 3 else 2
                rows[prev] = (r[0], r[1], r[2], count)
                continue
            last[(key, text)] = len(rows)
            rows.append((t, name, text))
    rows.sort(key=lambda r: r[0])
    print(f"fault {which}: {what}; times in s from the cut; heal at {(heal - cut) / 1000:.2f}")
    for r in rows:
        count = f" x{r[3]}" if len(r) > 3 else ""
        print(f"{(r[0] - cut) / 1000:7.2f}  {(r[0] - heal) / 1000:+7.2f}h  {r[1]:<10} {r[2]}{count}")


if __name__ == "__main__":
    main()
