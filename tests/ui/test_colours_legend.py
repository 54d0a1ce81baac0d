"""Colours: kinds kept apart (no actor gets the date's colour), actors mentioned close
together get different tints, and a legend (kinds, polarity lines, actors here) that
View ▸ Legend shows and hides, remembered."""

from __future__ import annotations

from PySide6.QtCore import Qt
from window_fixtures import make_window

from stancemark.core.model import new_uid
from stancemark.core.palette import ACTOR_TINTS, KIND_COLOURS, ActorColours, actor_tint


def test_no_actor_gets_the_date_colour():
    assert KIND_COLOURS["date"] not in ACTOR_TINTS
    assert all(actor_tint(new_uid()) != KIND_COLOURS["date"] for _ in range(500))


def test_neighbouring_actors_never_share_a_tint():
    # uids whose stable colours all collide: still distinct within a window of six
    same = [u for u in (new_uid() for _ in range(3000)) if actor_tint(u) == ACTOR_TINTS[0]][:12]
    colours = ActorColours()
    got = [colours.colour(u) for u in same]
    for i in range(len(got) - len(ACTOR_TINTS) + 1):
        window = got[i:i + len(ACTOR_TINTS)]
        assert len(set(window)) == len(window)
    assert colours.colour(same[0]) == got[0]  # stable once given
    chosen = ActorColours({same[1]: "#123456"})
    assert chosen.colour(same[1]) == "#123456"


def test_seed_article_actors_close_together_differ(qtbot, seeded, tmp_path):
    w = make_window(qtbot, seeded, tmp_path)
    from stancemark.ui.pictures.screenshot import add_demo

    add_demo(w)
    for row in seeded.list_articles():
        w.open_article(row.uid)
        mentions = sorted((a for a in w.inspector.model.items if a.kind == "actor"),
                          key=lambda a: a.start)
        colour = w.view.actor_colours.colour
        for a, b in zip(mentions, mentions[1:], strict=False):
            if a.actor_uid != b.actor_uid and b.start - a.end < 60:
                assert colour(a.actor_uid) != colour(b.actor_uid), (a.quote, b.quote)


def test_legend_shows_kinds_lines_and_actors_and_is_remembered(qtbot, seeded, tmp_path):
    from stancemark.ui.pictures.screenshot import add_demo

    w = make_window(qtbot, seeded, tmp_path)
    add_demo(w)
    w.open_article(w.list.model.rows[0].uid)
    assert not w.view.legend.isVisible()
    qtbot.keyClick(w.view.text, Qt.Key.Key_L,
                   Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    assert w.view.legend.isVisible()
    text = w.view.legend.text()
    for word in ("actor", "date", "stance", "support", "oppose", "neutral", "Actors here"):
        assert word in text
    names = [n for n, _c in w.view.legend.shown_actors]
    assert "Donald Trump" in names and "China" in names
    for name, c in w.view.legend.shown_actors:
        assert c in text and c != KIND_COLOURS["date"], name
    w.close()
    again = make_window(qtbot, seeded, tmp_path)
    assert again.view.legend.isVisible() and again.actions_["legend"].isChecked()
    again.actions_["legend"].trigger()
    assert not again.view.legend.isVisible()


def test_automatic_tints_keep_apart_from_a_neighbours_chosen_colour():
    # two actors a few words apart whose automatic tints are the same; the later one's
    # chosen colour is that tint: the first one, on automatic, takes another
    same = [u for u in (new_uid() for _ in range(3000)) if actor_tint(u) == ACTOR_TINTS[0]][:2]
    first, second = same
    colours = ActorColours({second: ACTOR_TINTS[0]})
    colours.assign([(0, 5, first), (20, 25, second)])
    assert colours.colours[second] == ACTOR_TINTS[0]
    assert colours.colours[first] != ACTOR_TINTS[0]
