#!/usr/bin/env python3
"""A slow, lossy Ethernet link in user space (this kernel has no netem qdisc).

Runs in a namespace of its own holding the two ends of a link (veth A and B, no addresses,
promiscuous): every frame read on one side is written to the other after DELAY_MS, or dropped
with probability LOSS (real frame loss: TCP retransmits, as on a bad network). The settings
are read again every 100 ms from CONTROL ("<delay ms> <loss 0..1>", e.g. "200 0.05"; "0 0" is
a plain link), so a test changes them while connections stay up. Seeded: SEED. Stops on
SIGTERM or when CONTROL disappears.
usage: slow_link.py IFACE_A IFACE_B CONTROL SEED
"""
import heapq
import os
import random
import select
import socket
import sys
import time

ETH_P_ALL = 0x0003


def main():
    a, b, control, seed = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
    rng = random.Random(seed)
    # One unbound socket sees every frame of this namespace (only A, B and lo live here);
    # a socket bound to an interface received nothing on this kernel.
    s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW, socket.htons(ETH_P_ALL))
    s.setblocking(False)
    peer = {a: b, b: a}
    delay, loss, checked = 0.0, 0.0, 0.0
    queue = []  # (due, sequence, interface, frame)
    sequence = 0
    while True:
        now = time.monotonic()
        if now - checked >= 0.1:
            checked = now
            try:
                with open(control) as f:
                    parts = f.read().split()
                delay, loss = float(parts[0]) / 1000.0, float(parts[1])
            except FileNotFoundError:
                return
            except (ValueError, IndexError):
                pass  # half-written: keep the last settings
        timeout = 0.05
        if queue:
            timeout = max(0.0, min(timeout, queue[0][0] - now))
        select.select([s], [], [], timeout)
        while True:
            try:
                frame, address = s.recvfrom(70000)
            except BlockingIOError:
                break
            if address[2] == socket.PACKET_OUTGOING or address[0] not in peer:
                continue  # our own sends, and lo
            if loss > 0 and rng.random() < loss:
                continue
            sequence += 1
            heapq.heappush(queue, (time.monotonic() + delay, sequence, peer[address[0]], frame))
        now = time.monotonic()
        while queue and queue[0][0] <= now:
            _, _, out, frame = heapq.heappop(queue)
            try:
                s.sendto(frame, (out, 0))
            except OSError as e:
                sys.stderr.write("slow_link: dropped a frame of %d bytes: %s\n" % (len(frame), e))


if __name__ == "__main__":
    main()
