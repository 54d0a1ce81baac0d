"""Giving the memory of a large dropped view back to the system.

A one-mode network of a whole corpus (2,000 actors, 1.4 million edges) is built from
millions of short-lived big integers and arrays. When the view moves on, Python frees
them, but glibc's allocator keeps most of that memory mapped for later: measured with
the Discourse window, about 50 MB stayed resident after leaving such a network, and
more after each one. `malloc_trim(0)` returns the free pages (~10-50 ms on that heap),
so it is asked for only after dropping something that large. Elsewhere (macOS,
Windows, musl) there is no such call and nothing happens.
"""

from __future__ import annotations

import ctypes
import sys
from collections.abc import Callable

_trim: Callable[[int], int] | None | bool = False  # False: not looked up yet


def give_back_freed_memory() -> bool:
    """Return freed heap pages to the system (glibc); False where it cannot."""
    global _trim
    if _trim is False:
        _trim = None
        if sys.platform.startswith("linux"):
            try:  # the process's own symbols, which include the C library's
                _trim = getattr(ctypes.CDLL(None), "malloc_trim", None)
            except OSError:
                _trim = None
    if not callable(_trim):
        return False
    _trim(0)
    return True
