"""The suggestion worker (store/suggest_worker.py): a process that reads an article, its
tags and rejections from the store and answers with what core.suggest proposes; the
answer made into suggestions is exactly what `suggest` gives in the asking process."""

from __future__ import annotations

import pytest

from helpers import store_suggestions
from stancemark.core.model import Annotation
from stancemark.core.suggest import AliasMatcher, made, suggest
from stancemark.core.suggest import matcher as matcher_module
from stancemark.core.suggestion_decisions import REJECT, SuggestionDecision
from stancemark.store.suggest_worker import SuggestWorker

KINDS = ["actor", "date"]


def _names(repo):
    return [(a.uid, n) for a in repo.list_actors() for n in (a.name, *a.aliases)]


def _long(seeded):
    """A seed article over and over (past the matcher's array path), some names tagged,
    one suggestion rejected."""
    pompeo = next(a for a in seeded.iter_articles() if a.title.startswith("Pompeo"))
    text = (pompeo.text.rstrip("\n") + "\n") * 7
    assert len(text) >= matcher_module.ARRAY_SCAN_FROM
    art, _ = seeded.add_article(text, "Long Pompeo", published=pompeo.published)
    china = next(a.uid for a in seeded.list_actors() if a.name == "China")
    me = seeded.annotator.uid
    at = 0
    while (at := text.find("China", at + 1)) >= 0:
        if at % 3:
            seeded.add_annotation(Annotation("", art.uid, me, "actor", at, at + 5, "China",
                                             actor_uid=china))
    first = suggest(text, AliasMatcher(_names(seeded)), art.published, existing=[])[3]
    seeded.record_suggestion_decision(SuggestionDecision.of(first, art.uid, me, REJECT))
    return art


def _answer(worker, timeout=30.0):
    assert worker.wait(timeout), "the worker did not answer"
    msg = worker.receive()
    assert msg is not None
    return msg


@pytest.fixture
def worker():
    w = SuggestWorker()
    yield w
    w.close()


def test_the_workers_answer_is_what_suggest_gives(seeded, store_path, worker):
    art = _long(seeded)
    worker.send_register(1, _names(seeded), ())
    assert _answer(worker) == ("ready", 1) and worker.ready_stamp == 1
    worker.request(7, store_path, art.uid, seeded.annotator.uid, KINDS)
    kind, request, sha, proposed = _answer(worker)
    assert (kind, request, sha) == ("result", 7, art.sha256)
    assert proposed.hits is not None  # a long text's actors come as arrays
    expected = store_suggestions(seeded, art)
    assert made(art.text, proposed) == expected
    assert len(expected) > 50 and {s.kind for s in expected} == {"actor", "date"}
    rejected = seeded.rejected_suggestion_keys(art.uid)
    assert rejected and not rejected & {s.key for s in made(art.text, proposed)}


def test_a_tag_made_since_is_read_by_the_next_request(seeded, store_path, worker):
    art = _long(seeded)
    worker.send_register("r", _names(seeded), ())
    _answer(worker)
    worker.request(1, store_path, art.uid, seeded.annotator.uid, KINDS)
    before = made(art.text, _answer(worker)[3])
    s = before[0]
    seeded.add_annotation(Annotation("", art.uid, seeded.annotator.uid, s.kind, s.start, s.end,
                                     s.quote, actor_uid=s.actor_uid, date_value=s.date_value))
    worker.request(2, store_path, art.uid, seeded.annotator.uid, KINDS)
    after = made(art.text, _answer(worker)[3])
    assert after == before[1:] == store_suggestions(seeded, art)


def test_a_bad_request_fails_in_one_line_and_the_worker_stays_up(seeded, store_path, worker):
    art = _long(seeded)
    worker.request(1, store_path, art.uid, seeded.annotator.uid, KINDS)  # no register yet
    kind, request, line = _answer(worker)
    assert (kind, request) == ("failed", 1) and "register" in line and "\n" not in line
    worker.send_register(1, _names(seeded), ())
    _answer(worker)
    worker.request(2, store_path, "no-such-article", seeded.annotator.uid, KINDS)
    kind, request, line = _answer(worker)
    assert (kind, request) == ("failed", 2) and "no-such-article" in line
    worker.request(3, store_path.with_name("missing.sqlite"), art.uid, seeded.annotator.uid, KINDS)
    assert _answer(worker)[:2] == ("failed", 3)
    worker.request(4, store_path, art.uid, seeded.annotator.uid, KINDS)
    assert _answer(worker)[:2] == ("result", 4)


def test_muted_aliases_are_not_proposed_by_the_worker(seeded, store_path, worker):
    art = _long(seeded)
    worker.send_register(1, _names(seeded), ["Beijing"])
    _answer(worker)
    worker.request(1, store_path, art.uid, seeded.annotator.uid, KINDS)
    found = made(art.text, _answer(worker)[3])
    assert found and not [s for s in found if s.quote == "Beijing"]
    assert "Beijing" in art.text


def test_the_worker_ends_with_its_window(worker):
    assert worker.alive()
    worker.close()
    assert not worker.alive() and not worker._process.is_alive()
    with pytest.raises(ConnectionError):
        worker.request(1, "x", "a", "b", KINDS)


def test_the_worker_ends_when_the_window_dies():
    """The window's end of the pipe closing (its process killed) ends the worker."""
    w = SuggestWorker()
    try:
        w._conn.close()  # what the window's death does to its end
        w._process.join(30)
        assert not w._process.is_alive()
    finally:
        w.closed = True
