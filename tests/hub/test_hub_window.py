"""File ▸ Sync in the window: a background job with progress, the status bar's last
sync time and what came in, the optional sync every N minutes."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

pytest.importorskip("PySide6")
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "ui"))

from hub_helpers import annotation_uids, seeded_store, tag_words  # noqa: E402

from stancemark.store.hub import sync  # noqa: E402


def test_file_sync_pulls_in_the_background_and_shows_what_came_in(qtbot, tmp_path, hub):
    from window_fixtures import make_window

    ana_path = tmp_path / "ana.sqlite"
    ana, ben = seeded_store(ana_path, "ana"), seeded_store(tmp_path / "ben.sqlite", "ben")
    ana_url, ben_url = hub.member("ana"), hub.member("ben")
    tag_words(ben, 12, "ben")
    sync(ben, ben_url)
    win = make_window(qtbot, ana, tmp_path, ana_path)
    win.hub_sync.quiet = win.review.quiet = True
    hub_sync = win.hub_sync
    assert hub_sync.label.text() == ""  # never synced
    assert win.actions_["sync"].shortcut().toString() == "F9"
    assert "Sync with the hub" in [a.text().replace("&", "") for a in
                                   win.menus["file"].actions()]
    runner = hub_sync.sync(ana_url)
    assert runner is not None and hub_sync.sync(ana_url) is None  # one at a time
    qtbot.waitUntil(lambda: hub_sync.runner is None, timeout=60_000)
    assert hub_sync.last_error == ""
    text = hub_sync.label.text()
    assert text.startswith("⇅ synced ")
    assert "12 annotation(s), 1 article(s)" in text and "from ben" in text
    assert annotation_uids(win.repo, "ben") == annotation_uids(ben, "ben")
    # The article list shows Ben's new article without a restart.
    titles = [win.list.model.data(win.list.model.index(i, 0)) for i in
              range(win.list.model.rowCount())]
    assert any(t and t.startswith("ben (12 words)") for t in titles)
    # A timed sync: no dialog; the hub is remembered.
    tag_words(ben, 3, "again")
    sync(ben, ben_url)
    hub_sync.set_every(5)
    assert hub_sync.timer.isActive() and hub_sync.timer.interval() == 5 * 60_000
    hub_sync.sync(timed=True)
    qtbot.waitUntil(lambda: hub_sync.runner is None, timeout=60_000)
    assert "3 annotation(s)" in hub_sync.label.text()


def test_an_unreachable_hub_shows_in_the_status_bar(qtbot, tmp_path, hub):
    from window_fixtures import make_window

    ana_path = tmp_path / "ana.sqlite"
    ana = seeded_store(ana_path, "ana")
    win = make_window(qtbot, ana, tmp_path, ana_path)
    hub_sync = win.hub_sync
    hub_sync.sync(f"postgresql://ana@/nohub?host={tmp_path}/nowhere", timed=True)
    qtbot.waitUntil(lambda: hub_sync.runner is None, timeout=60_000)
    assert hub_sync.label.text() == "⇅ sync failed"
    assert "cannot connect" in hub_sync.label.toolTip()
    assert win.repo.stats()["annotations"] == 0
