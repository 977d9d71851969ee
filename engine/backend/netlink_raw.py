"""Netlink dumps over a plain socket, and attributes decoded straight from the reply's bytes.

pyroute2 builds objects per attribute as it decodes (a slot, an NLA instance
with its own dict, a reference cycle) and decodes nested ones again on each
access. A Linux bridge's IFLA_INFO_DATA alone holds ~45 attributes: at 1000
bridges that took the kernel read from ~0.65 s to ~0.9 s (profiled, most of
it in pyroute2's ``decode_nlas``). Here an attribute is what the kernel sends,
a 4-byte header (u16 length, u16 type in host byte order, the type's top two
bits flags) and a payload padded to 4 bytes, so one table of type -> (name,
decoder) per attribute set decodes a message in one pass over it. The tables
use pyroute2's attribute names (and tests check them against its maps), so the
shaping code reads the same keys whichever way a message was decoded.
"""

from __future__ import annotations

import os
import socket
import struct
from collections.abc import Callable
from typing import Any

NETLINK_ROUTE = 0
SOL_NETLINK = 270
NETLINK_GET_STRICT_CHK = 12
NLM_F_REQUEST = 0x1
NLM_F_DUMP = 0x300
NLMSG_ERROR = 2
NLMSG_DONE = 3
NLMSG_HDR = struct.Struct("=IHHII")  # len, type, flags, seq, pid
NLMSG_ERRNO = struct.Struct("=i")  # NLMSG_ERROR's and NLMSG_DONE's first field: 0 or -errno
NLA_HDR = struct.Struct("=HH")  # len, type
NLA_TYPE_MASK = 0x3FFF  # without NLA_F_NESTED and NLA_F_NET_BYTEORDER
MAX_MESSAGES = 100_000  # a bound on a reply, should the kernel ignore a filter
RECV_SIZE = 1 << 16  # the kernel fills at most 32 kB per read of a dump

#: A payload decoder: (buffer, payload offset, payload length) -> value.
Decoder = Callable[[bytes, int, int], Any]
#: An attribute set: type -> (pyroute2's name, decoder).
Table = dict[int, tuple[str, Decoder]]


def _number(fmt: str) -> Decoder:
    unpack = struct.Struct(fmt).unpack_from
    size = struct.calcsize(fmt)

    def decode(buf: bytes, offset: int, length: int) -> Any:
        return unpack(buf, offset)[0] if length >= size else None

    return decode


u8 = _number("=B")
u16 = _number("=H")
u32 = _number("=I")
u64 = _number("=Q")
s32 = _number("=i")
be16 = _number(">H")  # IFLA_BR_VLAN_PROTOCOL, IFLA_VXLAN_PORT: network byte order


def mac(buf: bytes, offset: int, length: int) -> str:
    """A link-layer address as pyroute2 spells one: lower-case hex pairs, colons."""
    return buf[offset : offset + length].hex(":")


def ipv4(buf: bytes, offset: int, length: int) -> str | None:
    return socket.inet_ntop(socket.AF_INET, buf[offset : offset + 4]) if length >= 4 else None


def ipv6(buf: bytes, offset: int, length: int) -> str | None:
    return socket.inet_ntop(socket.AF_INET6, buf[offset : offset + 16]) if length >= 16 else None


def text(buf: bytes, offset: int, length: int) -> str:
    """A NUL-terminated string (an interface name, a link kind)."""
    return buf[offset : offset + length].rstrip(b"\0").decode("utf-8", "replace")


def flag(buf: bytes, offset: int, length: int) -> bool:
    """An attribute whose presence is its value."""
    return True


def struct_of(names: tuple[str, ...], fmt: str) -> Decoder:
    """A fixed C struct (IFLA_STATS64) as a dict of its fields."""
    layout = struct.Struct(fmt)

    def decode(buf: bytes, offset: int, length: int) -> dict[str, Any] | None:
        if length < layout.size:
            return None
        return dict(zip(names, layout.unpack_from(buf, offset), strict=True))

    return decode


def mapped(decoder: Decoder, words: dict[int, str]) -> Decoder:
    """A number shown as a word where pyroute2 has one for it (the number otherwise)."""

    def decode(buf: bytes, offset: int, length: int) -> Any:
        value = decoder(buf, offset, length)
        return words.get(value, value)

    return decode


def spans(buf: bytes, offset: int, end: int) -> dict[int, tuple[int, int]]:
    """type -> (payload offset, payload length) of the attributes in ``buf[offset:end]``.

    The first of a repeated attribute counts, as with pyroute2's ``get``.
    """
    found: dict[int, tuple[int, int]] = {}
    unpack = NLA_HDR.unpack_from
    while offset + 4 <= end:
        length, kind = unpack(buf, offset)
        if length < 4 or offset + length > end:
            break  # malformed: what came before it stands
        kind &= NLA_TYPE_MASK
        if kind not in found:
            found[kind] = (offset + 4, length - 4)
        offset += (length + 3) & ~3
    return found


def decode(buf: bytes, offset: int, end: int, table: Table) -> dict[str, Any]:
    """The attributes of ``table`` found in ``buf[offset:end]``, by name; the others skipped.

    One pass, no per-attribute objects: the point of this module (a link carries ~60).
    """
    out: dict[str, Any] = {}
    unpack = NLA_HDR.unpack_from
    while offset + 4 <= end:
        length, kind = unpack(buf, offset)
        if length < 4 or offset + length > end:
            break  # malformed: what came before it stands
        entry = table.get(kind & NLA_TYPE_MASK)
        if entry is not None and entry[0] not in out:
            value = entry[1](buf, offset + 4, length - 4)
            if value is not None:
                out[entry[0]] = value
        offset += (length + 3) & ~3
    return out


def open_socket(fileno: int | None, strict: bool = False) -> socket.socket:
    """A NETLINK_ROUTE socket: ``fileno`` (opened in the netns to read) or a new one here.

    ``strict``: the kernel checks dump requests and applies their filters (Linux >= 4.20).
    """
    if fileno is None:
        sock = socket.socket(socket.AF_NETLINK, socket.SOCK_RAW, NETLINK_ROUTE)
    else:
        sock = socket.socket(fileno=fileno)
    if strict:
        sock.setsockopt(SOL_NETLINK, NETLINK_GET_STRICT_CHK, 1)
    return sock


def dump(
    sock: socket.socket, seq: int, request: int, body: bytes, reply: int, lenient: bool = False
) -> list[bytes]:
    """Send dump request ``request`` (its header ``body``); the ``reply`` messages answering.

    An error the kernel answers with is raised as OSError (a link read that
    silently came back empty would say every interface is gone); ``lenient``
    ends the dump with what came before it instead, for dumps where nothing is
    the right answer (a filter the kernel refuses).
    """
    head = NLMSG_HDR.pack(NLMSG_HDR.size + len(body), request, NLM_F_REQUEST | NLM_F_DUMP, seq, 0)
    sock.send(head + body)
    found: list[bytes] = []
    while len(found) < MAX_MESSAGES:
        buf = sock.recv(RECV_SIZE)
        offset = 0
        while offset + NLMSG_HDR.size <= len(buf):
            length, kind, _flags, got_seq, _pid = NLMSG_HDR.unpack_from(buf, offset)
            if length < NLMSG_HDR.size:
                return found
            if got_seq == seq:
                if kind in (NLMSG_DONE, NLMSG_ERROR):
                    # both carry the dump's error, if any (a refused dump ends in NLMSG_DONE)
                    error = 0
                    if length >= NLMSG_HDR.size + NLMSG_ERRNO.size:
                        (error,) = NLMSG_ERRNO.unpack_from(buf, offset + NLMSG_HDR.size)
                    if error < 0 and not lenient:
                        raise OSError(-error, f"netlink dump {request}: {os.strerror(-error)}")
                    return found
                if kind == reply:
                    found.append(buf[offset : offset + length])
            offset += (length + 3) & ~3
    return found
