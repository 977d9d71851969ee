"""Reading a state file's text: bounded, and only from things that end.

A FIFO given as FILE would block forever, ``/dev/zero`` never ends and a
12 MB file costs a minute to parse: the text is read from a regular file
or stdin only, and at most :func:`engine.limits.max_bytes` of it.
"""

from __future__ import annotations

import codecs
import os
import stat
import sys
from pathlib import Path

from engine import limits
from engine.errors import InvalidInput, Problem


def read_text(path: str | Path) -> tuple[str, str]:
    """(text, source name) of ``path``; ``-`` reads standard input. Unreadable → InvalidInput.

    Only a regular file (or stdin) is read, and at most the size limit: a
    FIFO would block forever and ``/dev/zero`` never ends. UTF-8 (with or
    without a BOM) and UTF-16/32 with a BOM are accepted, as YAML allows.
    """
    limit = limits.max_bytes()
    if str(path) == "-":
        source = "<stdin>"
        binary = getattr(sys.stdin, "buffer", None)
        if binary is None:  # a text stream put in place of stdin (tests, embedding)
            text = sys.stdin.read(limit + 1)
            if len(text) > limit:
                raise InvalidInput([limits.size_problem("more characters than that", source)])
            return text, source
        data = binary.read(limit + 1)
    else:
        source = str(path)
        data = _read_regular(source, limit)
    if len(data) > limit:
        raise InvalidInput([limits.size_problem("at least " + _mib(len(data)), source)])
    return _decode(data, source), source


def _mib(n: int) -> str:
    return f"{n / 1024 / 1024:.1f} MiB" if n >= 1024 * 1024 else f"{n} bytes"


def _cannot_read(source: str, reason: str, hint: str) -> InvalidInput:
    return InvalidInput([Problem("", f"cannot read {source}: {reason}", hint, source=source)])


def _read_regular(source: str, limit: int) -> bytes:
    """At most ``limit + 1`` bytes of a regular file; anything else is refused unopened."""
    try:
        # O_NONBLOCK: opening a FIFO for reading would otherwise wait for a writer.
        fd = os.open(source, os.O_RDONLY | os.O_NONBLOCK | os.O_NOCTTY | os.O_CLOEXEC)
    except OSError as exc:
        raise _cannot_read(
            source, exc.strerror or str(exc), "check the file name and its permissions"
        ) from exc
    try:
        mode = os.fstat(fd).st_mode
        if not stat.S_ISREG(mode):
            kind = _KINDS.get(stat.S_IFMT(mode), "not a regular file")
            raise _cannot_read(
                source, kind, "give a regular file, or '-' and pipe the state into stdin"
            )
        if os.fstat(fd).st_size > limit:
            raise InvalidInput([limits.size_problem(_mib(os.fstat(fd).st_size), source)])
        chunks: list[bytes] = []
        left = limit + 1
        while left > 0:
            chunk = os.read(fd, min(left, 1 << 20))
            if not chunk:
                break
            chunks.append(chunk)
            left -= len(chunk)
        return b"".join(chunks)
    except OSError as exc:
        raise _cannot_read(source, exc.strerror or str(exc), "check the file") from exc
    finally:
        os.close(fd)


_KINDS = {
    stat.S_IFDIR: "it is a directory",
    stat.S_IFIFO: "it is a FIFO (named pipe)",
    stat.S_IFCHR: "it is a character device",
    stat.S_IFBLK: "it is a block device",
    stat.S_IFSOCK: "it is a socket",
}

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)


def _decode(data: bytes, source: str) -> str:
    """Text of ``data``: UTF-8, or the UTF-16/32 its byte order mark names."""
    encoding = next((enc for bom, enc in _BOMS if data.startswith(bom)), "utf-8")
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as exc:
        raise _cannot_read(
            source,
            f"not valid {encoding.upper().removesuffix('-SIG')} at byte {exc.start}",
            "save the file as UTF-8 (iconv -t UTF-8)",
        ) from exc
