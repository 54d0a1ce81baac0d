"""Small helpers shared by tests (import as `from helpers import ...`)."""

from __future__ import annotations


def find(text: str, needle: str, nth: int = 0) -> tuple[int, int]:
    """Code-point span of the nth occurrence of needle in text."""
    start = -1
    for _ in range(nth + 1):
        start = text.index(needle, start + 1)
    return start, start + len(needle)


def store_suggestions(repo, article):
    """What is still to suggest in `article` to the repository's annotator, computed from
    the store alone (its register, tags and rejections) in this process."""
    from stancemark.core.suggest import AliasMatcher, suggest

    names = [(a.uid, n) for a in repo.list_actors() for n in (a.name, *a.aliases)]
    me = repo.annotator.uid
    existing = [(a.kind, a.start, a.end, a.actor_uid)
                for a in repo.list_annotations(article.uid, [me])]
    return suggest(article.text, AliasMatcher(names), article.published or None,
                   existing=existing, rejected=repo.rejected_suggestion_keys(article.uid, me))


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
