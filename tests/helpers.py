"""Small helpers shared by tests (import as `from helpers import ...`)."""

from __future__ import annotations


def find(text: str, needle: str, nth: int = 0) -> tuple[int, int]:
    """Code-point span of the nth occurrence of needle in text."""
    start = -1
    for _ in range(nth + 1):
        start = text.index(needle, start + 1)
    return start, start + len(needle)
