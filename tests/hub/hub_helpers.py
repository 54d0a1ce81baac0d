"""Stores with many tags, for the hub's interruption, concurrency and scenario tests."""

from __future__ import annotations

from stancemark.core.model import Annotation
from stancemark.store import Repository, open_store

CHINA = "1c51781a-419e-5c8f-a236-415354109fd0"


def seeded_store(path, name):
    from stancemark.formats.seed import seed

    repo = Repository(open_store(path), name)
    seed(repo)
    return repo


def tag_words(repo, n, prefix):
    """An article of n words `prefix-i`, each tagged as an actor mention (one transaction).
    Returns the article's uid."""
    words = [f"{prefix}-{i}" for i in range(n)]
    text = " ".join(words)
    article, _ = repo.add_article(text, f"{prefix} ({n} words)")
    with repo.tx():
        pos = 0
        for w in words:
            repo.add_annotation(Annotation("", article.uid, repo.annotator.uid, "actor", pos,
                                           pos + len(w), w, actor_uid=CHINA))
            pos += len(w) + 1
    return article.uid


def annotation_uids(repo, annotator=None):
    rows = repo.conn.execute(
        "SELECT an.uid FROM annotations an JOIN annotators n ON n.id = an.annotator_id "
        "WHERE ? IS NULL OR n.name = ?", [annotator, annotator])
    return {r[0] for r in rows}  # noqa: S608
