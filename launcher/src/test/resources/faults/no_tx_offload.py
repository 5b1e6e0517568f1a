#!/usr/bin/env python3
"""Turns transmit checksum offload (and with it TSO/GSO) off on an interface, as
`ethtool -K IFACE tx off` would (no ethtool here): frames leave with their checksums computed
and no larger than the MTU, so slow_link.py can copy them as they are.
usage: no_tx_offload.py IFACE
"""
import ctypes
import fcntl
import socket
import struct
import sys

SIOCETHTOOL = 0x8946
ETHTOOL_STXCSUM = 0x00000017

value = ctypes.create_string_buffer(struct.pack("II", ETHTOOL_STXCSUM, 0))
request = struct.pack("16sP", sys.argv[1].encode(), ctypes.addressof(value))
with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
    fcntl.ioctl(s.fileno(), SIOCETHTOOL, request)
