"""Newline normalisation that keeps offsets right.

Stored text has LF line ends only. A file from another tool may carry CRLF (or lone
CR) with offsets counted in that raw text; `NewlineMap` gives the LF text and maps
each raw code-point offset to its offset in the LF text.
"""

from __future__ import annotations

import bisect


class NewlineMap:
    __slots__ = ("_dropped", "raw_length", "text")

    def __init__(self, raw: str):
        self.raw_length = len(raw)
        # Raw indices of the CR characters that normalisation drops (the CR of each CRLF);
        # a lone CR becomes LF in place and shifts nothing.
        self._dropped = [i for i in range(len(raw) - 1) if raw[i] == "\r" and raw[i + 1] == "\n"] \
            if "\r" in raw else []
        self.text = raw.replace("\r\n", "\n").replace("\r", "\n")

    @property
    def changed(self) -> bool:
        return bool(self._dropped)

    def to_normalised(self, raw_offset: int) -> int:
        """Raw offset -> offset in the LF text (an offset between CR and LF maps to the LF)."""
        return raw_offset - bisect.bisect_left(self._dropped, raw_offset)
