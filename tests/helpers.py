"""Small helpers shared by tests (import as `from helpers import ...`)."""

from __future__ import annotations


def find(text: str, needle: str, nth: int = 0) -> tuple[int, int]:
    """Code-point span of the nth occurrence of needle in text."""
    start = -1
    for _ in range(nth + 1):
        start = text.index(needle, start + 1)
    return start, start + len(needle)


PR_CAPBSET_DROP = 24
CAPS_IGNORING_PERMISSIONS = (1, 2, 3)  # CAP_DAC_OVERRIDE, CAP_DAC_READ_SEARCH, CAP_FOWNER


def drop_root_powers() -> None:
    """preexec_fn for a subprocess that must obey file permissions even as root (exit
    code 97 when this machine cannot drop them: the caller skips)."""
    import ctypes
    import os

    if os.geteuid() == 0:
        libc = ctypes.CDLL(None, use_errno=True)
        for cap in CAPS_IGNORING_PERMISSIONS:
            if libc.prctl(PR_CAPBSET_DROP, cap, 0, 0, 0) != 0:
                os._exit(97)
