"""Reading line-based files (JSONL, CoNLL) one record at a time, in bounded memory.

A file is read in chunks of 1 MB and handed out line by line, so memory depends on the
longest line, never on the file's size. No record (a JSONL line, a CoNLL document) may
be longer than MAX_RECORD_BYTES, 32 MB: room for a 1 MB article with 20,000
annotations (about 13 MB in the native JSONL) twice over. A longer one is refused in
one line naming the file and the line as soon as that many bytes are read, without
reading the rest of it (a 60 MB or a 100 MB line costs about 35 MB of memory). Storing
a record costs about six times its size at the peak (parsing keeps the line and its
value, SQLite copies the text and builds its full-text index), so the limit also
bounds the memory of an import, whatever the file's size.

JSON text is checked for lone surrogate escapes ("\\ud800" without its pair), which
JSON allows but no UTF-8 text (SQLite, the terminal) can hold.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from stancemark.core.errors import InputError

MB = 1024 * 1024
MAX_RECORD_BYTES = 32 * MB
CHUNK = MB
_BOM = b"\xef\xbb\xbf"
_SURROGATE_ESCAPE = re.compile(r"\\u[dD][89a-fA-F]")


def iter_lines(path: Path, limit: int = MAX_RECORD_BYTES) -> Iterator[tuple[int, str]]:
    """(line number, line without its end) for each line of a UTF-8 file (BOM allowed;
    LF or CRLF ends). InputError naming file and line for invalid UTF-8 or a line of
    more than `limit` bytes."""
    where = str(path)
    try:
        fh = open(path, "rb")  # noqa: SIM115 - closed by the with below, also on errors
    except OSError as exc:
        raise InputError(f"cannot read: {exc.strerror}", where) from None
    with fh:
        n = 0
        pending = bytearray()  # the start of a line that runs past the chunk
        first = True
        while True:
            try:
                chunk = fh.read(CHUNK)
            except OSError as exc:
                raise InputError(f"cannot read: {exc.strerror}", where) from None
            if not chunk:
                break
            view = memoryview(chunk)
            start = 0
            if first:
                first = False
                if chunk.startswith(_BOM):
                    start = len(_BOM)
            while True:
                end = chunk.find(b"\n", start)
                if end < 0:
                    if len(pending) + len(chunk) - start > limit:
                        raise InputError(_too_long(limit), where, n + 1)
                    pending += view[start:]
                    break
                n += 1
                if pending:
                    if len(pending) + end - start > limit:
                        raise InputError(_too_long(limit), where, n)
                    pending += view[start:end]
                    # No local name keeps the text: once the caller lets go of it, the
                    # line's memory is free (one copy of a long line at a time).
                    yield n, _decode(pending, where, n)
                    pending = bytearray()
                else:
                    if end - start > limit:
                        raise InputError(_too_long(limit), where, n)
                    yield n, _decode(view[start:end], where, n)
                start = end + 1
            del view
        if pending:
            yield n + 1, _decode(pending, where, n + 1)


def json_lines(path: Path, where: str | None = None,
               objects: bool = False) -> Iterator[tuple[int, Any]]:
    """(line number, parsed value) for each non-blank line of a JSON Lines file, one line
    in memory at a time: the one JSONL reader of every format. `objects`: each value
    must be a JSON object. InputError naming file and line otherwise, on bad JSON or
    UTF-8, or a line over the record limit."""
    where = where or str(path)
    for n, line in iter_lines(path):
        if not line or line.isspace():
            continue
        value = loads(line, where, n)
        del line  # a long line's text is not kept twice while its value is checked
        if objects and not isinstance(value, dict):
            raise InputError("each line must be a JSON object", where, n)
        yield n, value


def _too_long(limit: int) -> str:
    return (f"a line longer than {limit // MB} MB (the limit for one record: split the "
            "article, or import its text as a plain-text file)")


def _decode(raw: Any, where: str, n: int) -> str:
    if raw[-1:] == b"\r":
        raw = raw[:-1]
    try:
        return str(raw, "utf-8")
    except UnicodeDecodeError as exc:
        raise InputError(f"not UTF-8 text (byte {exc.start} of the line)", where, n) from None


def loads(line: str, where: str, n: int) -> Any:
    """json.loads with the errors every JSON reader gives: one line naming file and line."""
    try:
        value = json.loads(line)
    except (ValueError, RecursionError) as exc:  # RecursionError: hostile deep nesting
        raise InputError(f"not valid JSON ({str(exc)[:80]})", where, n) from None
    if _SURROGATE_ESCAPE.search(line):
        lone = _lone_surrogate(value)
        if lone:
            raise InputError(f"a lone surrogate escape in {lone[:40]!r} (not valid Unicode "
                             "text)", where, n)
    return value


def _lone_surrogate(value: Any) -> str | None:
    """The first string (key or value) holding a surrogate that is not part of a pair."""
    stack = [value]
    while stack:
        v = stack.pop()
        if isinstance(v, str):
            try:
                v.encode("utf-8")
            except UnicodeEncodeError:
                return v
        elif isinstance(v, dict):
            stack += v.keys()
            stack += v.values()
        elif isinstance(v, list):
            stack += v
    return None
