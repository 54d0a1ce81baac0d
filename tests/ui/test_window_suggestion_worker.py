"""A long article's suggestions in the window come from the suggestion worker (a process
of its own, asked as the article opens) and are exactly those the window would compute;
when the worker's answer cannot be used (a store change since it was asked, the worker
gone) the window computes them itself."""

from __future__ import annotations

import os
import signal

import pytest
from window_fixtures import make_window

from helpers import store_suggestions as _store_suggestions
from stancemark.core.model import Annotation
from stancemark.ui.window import suggestion_worker


@pytest.fixture
def long_win(qtbot, seeded, tmp_path, store_path, monkeypatch):
    """A window on the store file, a long article (past the worker's threshold, lowered
    for the test) opened once: the worker is started and sent the register."""
    monkeypatch.setattr(suggestion_worker, "WORKER_FROM", 20_000)
    pompeo = next(a for a in seeded.iter_articles() if a.title.startswith("Pompeo"))
    text = (pompeo.text.rstrip("\n") + "\n") * 8
    art, _ = seeded.add_article(text, "Long Pompeo", published=pompeo.published)
    china = next(a.uid for a in seeded.list_actors() if a.name == "China")
    at = 0
    while (at := text.find("China", at + 1)) >= 0:
        if at % 3:
            seeded.add_annotation(Annotation("", art.uid, seeded.annotator.uid, "actor", at,
                                             at + 5, "China", actor_uid=china))
    win = make_window(qtbot, seeded, tmp_path, store_path)
    sug = win.suggestions
    win.open_article(art.uid)
    assert sug.remote.link.worker is None  # started after the opening, not during it
    qtbot.waitUntil(lambda: sug.article_uid == art.uid, timeout=5000)
    assert sug.remote.link.worker is None
    qtbot.waitUntil(lambda: sug.remote.link.ready(sug.remote.stamp), timeout=30_000)
    taken: list[str] = []
    original = sug.take_remote
    sug.take_remote = lambda uid, sha, proposed: (taken.append(uid), original(uid, sha, proposed))
    win.taken = taken
    win.long_uid = art.uid
    yield win
    win.close()


def _reopen(win):
    other = next(r.uid for r in win.repo.list_articles() if r.title.startswith("Pompeo"))
    win.open_article(other)
    win.open_article(win.long_uid)


def test_the_long_articles_suggestions_come_from_the_worker(qtbot, long_win, seeded):
    sug = long_win.suggestions
    _reopen(long_win)
    assert sug.remote.waiting_for(long_win.long_uid)
    qtbot.waitUntil(lambda: sug.article_uid == long_win.long_uid, timeout=10_000)
    assert long_win.taken == [long_win.long_uid]
    art = long_win.view.article
    assert sug.items == _store_suggestions(seeded, art) and len(sug.items) > 50
    assert len(long_win.view.text.marks.spans) == len(sug.items)
    assert sug.remote.pending is None


def test_an_answer_read_before_a_store_change_is_not_used(qtbot, long_win, seeded):
    sug = long_win.suggestions
    _reopen(long_win)
    assert sug.remote.waiting_for(long_win.long_uid)
    s = _store_suggestions(seeded, long_win.view.article)[0]
    # a tag by hand through the window's session, before the worker's answer is read
    long_win.session.repo.add_annotation(Annotation(
        "", long_win.long_uid, seeded.annotator.uid, s.kind, s.start, s.end, s.quote,
        actor_uid=s.actor_uid, date_value=s.date_value))
    sug.store_changed(type("C", (), {"action": "add", "entity": "annotation",
                                     "article_uids": (long_win.long_uid,),
                                     "annotations": ()})())
    qtbot.waitUntil(lambda: sug.article_uid == long_win.long_uid, timeout=10_000)
    assert long_win.taken == []  # computed in the window instead
    assert sug.items == _store_suggestions(seeded, long_win.view.article)
    assert s not in sug.items


def test_a_worker_that_died_is_not_restarted_and_the_window_computes(qtbot, long_win, seeded):
    sug = long_win.suggestions
    pid = sug.remote.link.worker.pid
    os.kill(pid, signal.SIGKILL)
    qtbot.waitUntil(lambda: sug.remote.link.down, timeout=10_000)  # its pipe closed
    _reopen(long_win)
    assert not sug.remote.waiting_for(long_win.long_uid)
    qtbot.waitUntil(lambda: sug.article_uid == long_win.long_uid, timeout=10_000)
    assert sug.items == _store_suggestions(seeded, long_win.view.article)
    assert sug.remote.link.get() is None and long_win.taken == []


def test_a_worker_killed_while_asked_leaves_the_window_to_compute(qtbot, long_win, seeded):
    sug = long_win.suggestions
    _reopen(long_win)
    assert sug.remote.waiting_for(long_win.long_uid)
    os.kill(sug.remote.link.worker.pid, signal.SIGKILL)
    qtbot.waitUntil(lambda: sug.article_uid == long_win.long_uid, timeout=10_000)
    assert sug.items == _store_suggestions(seeded, long_win.view.article)
    assert long_win.taken == [] or sug.remote.link.down


def test_a_register_change_is_sent_before_the_next_request(qtbot, long_win, seeded):
    sug = long_win.suggestions
    stamp = sug.remote.stamp
    china = next(a for a in long_win.session.repo.list_actors() if a.name == "China")
    long_win.session.repo.update_actor(china.uid, aliases=[*china.aliases, "Secretary of State"])
    long_win.session.reload()  # the register cache and the matcher follow
    assert sug.remote.stamp > stamp
    _reopen(long_win)  # sends the register; the worker builds it: computed in the window
    qtbot.waitUntil(lambda: sug.article_uid == long_win.long_uid, timeout=10_000)
    assert sug.items == _store_suggestions(seeded, long_win.view.article)
    assert any(s.quote == "Secretary of State" for s in sug.items)
    qtbot.waitUntil(lambda: sug.remote.link.ready(sug.remote.stamp), timeout=30_000)
    _reopen(long_win)
    assert sug.remote.waiting_for(long_win.long_uid)
    qtbot.waitUntil(lambda: sug.article_uid == long_win.long_uid, timeout=10_000)
    assert long_win.taken == [long_win.long_uid]
    assert any(s.quote == "Secretary of State" for s in sug.items)


def test_closing_the_window_ends_the_worker(qtbot, long_win):
    process = long_win.suggestions.remote.link.worker._process
    assert process.is_alive()
    long_win.close()
    assert not process.is_alive()


def test_an_in_memory_store_has_no_worker(qtbot, seeded, tmp_path, monkeypatch):
    monkeypatch.setattr(suggestion_worker, "WORKER_FROM", 1)
    win = make_window(qtbot, seeded, tmp_path)  # no store file given
    art = next(a for a in seeded.iter_articles() if a.title.startswith("Pompeo"))
    win.open_article(art.uid)
    qtbot.waitUntil(lambda: win.suggestions.article_uid == art.uid, timeout=5000)
    assert win.suggestions.remote.link.worker is None
