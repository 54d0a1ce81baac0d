"""Fixtures shared by the exchange-format tests.

`annotated` is a store with annotations of every kind by two annotators: overlapping
spans (an actor mention inside a stance span, two actor mentions sharing words), an
article with emoji, a flag and CJK before and inside the spans, a stance targeting an
actor and one targeting a topic, and an article without any annotation.
`other_repo` is a second, empty store for round trips (export -> import -> export).
"""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from helpers import find
from stancemark.core.model import Annotation

ENGLISH = ("Beijing warned Washington on January 9 that it opposes any US arms sales to Taiwan.\n"
           "The State Department said on Friday that the United States backs Taipei.")
CJK = "台湾 😀 新闻：北京反对美国对台军售。\n🇹🇼 Tsai Ing-wen welcomed the 2020 deal 👍."
EMPTY = "An article nobody has annotated yet, with = signs, \"quotes\" and a comma, here."


def _ann(art, annotator, kind, needle, nth=0, **fields) -> Annotation:
    s, e = find(art.text, needle, nth)
    return Annotation("", art.uid, annotator.uid, kind, s, e, art.text[s:e], **fields)


def build_annotated(repo) -> dict:
    """Fill `repo` (whose current annotator is the first coder) and return its pieces."""
    china = repo.add_actor("China", "state", country="CN", aliases=["Beijing", "北京"])
    us = repo.add_actor("United States", "state", country="US",
                        aliases=["US", "Washington", "美国"])
    taiwan = repo.add_actor("Taiwan", "state", country="TW", aliases=["Taipei", "台湾"])
    dept = repo.add_actor("State Department", "government", country="US")
    tsai = repo.add_actor("Tsai Ing-wen", "person", country="TW")
    arms = repo.add_topic("Arms sales to Taiwan", "US weapons for Taiwan")
    deal = repo.add_topic("Trade deal")
    en, _ = repo.add_article(ENGLISH, "Beijing warns Washington", source="Wire", url="https://example.org/a?x=1",
                             published="2021-01-10", language="en")
    zh, _ = repo.add_article(CJK, "台湾新闻 😀", source="=HYPERLINK(\"x\")", published="2020-06-01",
                             language="zh")
    empty, _ = repo.add_article(EMPTY, "Nothing here", published="2021-02-01")
    ana = repo.annotator
    ben = repo.ensure_annotator("ben")
    anns = [
        _ann(en, ana, "actor", "Beijing", actor_uid=china.uid),
        _ann(en, ana, "actor", "Washington", actor_uid=us.uid),
        _ann(en, ana, "date", "January 9", date_value="2021-01-09", date_granularity="day"),
        _ann(en, ana, "stance", "opposes any US arms sales to Taiwan", holder_uid=china.uid,
             target_topic_uid=arms.uid, polarity="oppose", stance_date="2021-01-09",
             note="warning, not = a formula"),
        # overlaps the stance span above
        _ann(en, ana, "actor", "US", actor_uid=us.uid),
        _ann(en, ana, "actor", "Taiwan", actor_uid=taiwan.uid),
        _ann(en, ana, "actor", "The State Department", actor_uid=dept.uid),
        # two actor mentions sharing words: "State Department" inside the one above
        _ann(en, ana, "actor", "State Department", actor_uid=dept.uid),
        _ann(en, ana, "date", "Friday", date_value="2021-01-08", date_granularity="day"),
        _ann(en, ana, "actor", "the United States", actor_uid=us.uid),
        _ann(en, ana, "stance", "backs Taipei", holder_uid=us.uid, target_actor_uid=taiwan.uid,
             polarity="support"),
        _ann(en, ana, "actor", "Taipei", actor_uid=taiwan.uid),
        _ann(zh, ana, "actor", "北京", actor_uid=china.uid),
        _ann(zh, ana, "actor", "美国", actor_uid=us.uid),
        _ann(zh, ana, "stance", "反对美国对台军售", holder_uid=china.uid, target_topic_uid=arms.uid,
             polarity="oppose"),
        _ann(zh, ana, "actor", "Tsai Ing-wen", actor_uid=tsai.uid),
        _ann(zh, ana, "date", "2020", date_value="2020", date_granularity="year"),
        _ann(zh, ana, "stance", "welcomed the 2020 deal 👍", holder_uid=tsai.uid,
             target_topic_uid=deal.uid, polarity="support"),
        # the second coder disagrees on one stance and tags one actor
        _ann(en, ben, "actor", "Beijing", actor_uid=china.uid),
        _ann(en, ben, "stance", "opposes any US arms sales", holder_uid=china.uid,
             target_topic_uid=arms.uid, polarity="neutral"),
    ]
    added = [repo.add_annotation(a) for a in anns]
    return {"articles": {"en": en, "zh": zh, "empty": empty},
            "actors": {"china": china, "us": us, "taiwan": taiwan, "dept": dept, "tsai": tsai},
            "topics": {"arms": arms, "deal": deal},
            "annotators": {"ana": ana, "ben": ben},
            "annotations": added}


@pytest.fixture
def annotated(repo):
    """(repo, pieces): a store holding the data built by build_annotated."""
    return repo, build_annotated(repo)


@pytest.fixture
def other_repo(tmp_path):
    """A second, empty store, for round trips."""
    from stancemark.store import Repository, open_store

    r = Repository(open_store(tmp_path / "other.sqlite"), "ana")
    yield r
    r.close()


def store_digest(path: Path) -> str:
    """Hash of a store's file bytes (database and write-ahead log; the -shm index
    changes on reads): an import that fails must leave these unchanged."""
    h = hashlib.sha256()
    for p in sorted(path.parent.glob(path.name + "*")):
        if p.name.endswith("-shm"):
            continue
        h.update(p.name.encode())
        h.update(p.read_bytes())
    return h.hexdigest()


def _tree_bytes(path: Path) -> dict[str, bytes]:
    """A file, or every file under a folder, as {relative name: bytes}."""
    path = Path(path)
    if path.is_file():
        return {path.name: path.read_bytes()}
    return {str(p.relative_to(path)): p.read_bytes() for p in sorted(path.rglob("*")) if p.is_file()}


@pytest.fixture
def digest():
    """digest(store_path) -> hash of the store's bytes (see store_digest)."""
    return store_digest


@pytest.fixture
def tree_bytes():
    """tree_bytes(path) -> {relative name: bytes} of a file or a folder export."""
    return _tree_bytes
