"""The codebook, end to end (the issue's "done when"): a span kind `frame` (a choice
`frame_type`), a stance attribute `intensity` (1-5) and an article variable `genre` are
defined ONLY through `stancemark codebook import FILE`; nothing in the code names them.

Then, as a team would: Ana and Ben each code the Pompeo article in the window (the kind's
key, its popup, the stance popup, the inspector, the Article variables dock); Ana's store
goes out as native JSONL and back into a fresh store; a reviewer merges both colleagues'
stores, the review list names the unit they differ on by intensity and what each chose,
accepting Ben's version keeps his intensity in gold, and `stancemark agreement` measures
each attribute with the metric its type calls for."""

from __future__ import annotations

import json
from pathlib import Path

import krippendorff
import numpy as np
import pytest
from PySide6.QtCore import Qt
from window_fixtures import make_window, select_cp

from helpers import find
from stancemark.cli import main
from stancemark.store import Repository, open_store

CODEBOOK = (Path(__file__).parent.parent / "data" / "codebook_frame.yaml").read_text(encoding="utf-8")
FRAME_COLOUR = "#0072B2"  # as the codebook file says

# What each coder does in the window: frames (passage, the key picking frame_type),
# stances (passage, intensity; the first set in the stance popup, the second in the
# inspector) and the article's genre (the key picking it).
PLANS = {
    "ana": {"frames": [("Taiwanese counterparts", Qt.Key.Key_S), ("communist regime", Qt.Key.Key_I)],
            "stances": [("lift restrictions", 4), ("will no longer rule", 3)],
            "genre": Qt.Key.Key_O},
    "ben": {"frames": [("Taiwanese counterparts", Qt.Key.Key_S), ("communist regime", Qt.Key.Key_I)],
            "stances": [("lift restrictions", 2), ("will no longer rule", 3)],
            "genre": Qt.Key.Key_N},
}


def cli(capsys, *args: str) -> str:
    code = main(list(args))
    out, err = capsys.readouterr()
    assert code == 0, err
    return out


def type_into(qtbot, widget, text: str) -> None:
    widget.setFocus()
    widget.selectAll()
    qtbot.keyClicks(widget, text)
    qtbot.keyClick(widget, Qt.Key.Key_Return)


def code_in_window(qtbot, folder, store, who: str) -> None:
    """`who` codes the Pompeo article by keyboard, as PLANS says."""
    plan = PLANS[who]
    folder.mkdir()
    repo = Repository(open_store(store), who)
    win = make_window(qtbot, repo, folder, store)
    art = next(r for r in repo.list_articles() if r.title.startswith("Pompeo"))
    win.open_article(art.uid)
    text = win.view.article.text
    for needle, key in plan["frames"]:
        select_cp(win, *find(text, needle))
        qtbot.keyClick(win.view.text, Qt.Key.Key_G)  # the key the codebook file gave frame
        popup = win.tagger.popup
        assert popup.windowTitle() == "Tag frame"
        field = popup.attrs.field("frame_type").widget
        qtbot.keyClick(field, Qt.Key.Key_Return)  # required: refused while unset
        assert popup.error.text() == "Required: frame_type." and win.tagger.popup is popup
        qtbot.keyClick(field, key)
        qtbot.keyClick(field, Qt.Key.Key_Return)
        assert win.tagger.popup is None
    for i, (needle, intensity) in enumerate(plan["stances"]):
        select_cp(win, *find(text, needle))
        qtbot.keyClick(win.view.text, Qt.Key.Key_S)
        popup = win.tagger.popup
        qtbot.keyClick(popup.polarity, Qt.Key.Key_Plus)
        popup.target.setText("Official US–Taiwan contacts")
        popup.holder.setText("Mike Pompeo")
        if i == 0:  # in the stance popup, at tagging time
            spin = popup.attrs.field("intensity").widget
            spin.setFocus()
            spin.selectAll()
            qtbot.keyClicks(spin, str(intensity))
        qtbot.keyClick(popup.target, Qt.Key.Key_Return)
        assert win.tagger.popup is None, popup.error.text()
        if i == 1:  # afterwards, in the inspector's attribute panel
            mine = [a for a in repo.list_annotations(art.uid, [repo.annotator.uid])
                    if a.kind == "stance" and a.quote.startswith(needle[:8])]
            win.inspector.select(mine[0].uid)
            type_into(qtbot, win.codebook.attributes.form.field("intensity").widget,
                      str(intensity))
    genre = win.codebook.variables.form.field("genre").widget
    genre.setFocus()
    qtbot.keyClick(genre, plan["genre"])
    # every step is undoable: the last (the genre) goes and comes back
    book = repo.codebook()
    assert repo.article_variables(art.uid) != {}
    win.undo_stack.undo()
    assert repo.article_variables(art.uid) == {}
    win.undo_stack.redo()
    assert repo.article_variables(art.uid) != {}
    # drawn as a layer in the codebook's colour, named in the legend and the inspector
    frame = book.kind_by_name("frame")
    start, _end = find(text, "communist regime")
    [uid] = win.view.index.keys_at(start)
    assert win.view.index.span(uid)[2] == (frame.uid, FRAME_COLOUR)
    assert ("frame", FRAME_COLOUR) in win.view.legend.kinds
    win.close()
    repo.close()


def test_a_codebook_defined_by_file_is_tagged_exported_merged_reviewed_and_measured(
        qtbot, tmp_path, capsys):
    ana, ben, rev = tmp_path / "ana.sqlite", tmp_path / "ben.sqlite", tmp_path / "rev.sqlite"
    source = tmp_path / "codebook.yaml"
    source.write_text(CODEBOOK, encoding="utf-8")

    # 1. The codebook, from a file only; Ben imports the file Ana's store exports (the
    #    team's one codebook, its uids and all), so the two stores' kinds are the same.
    cli(capsys, "--store", str(ana), "--annotator", "ana", "seed")
    cli(capsys, "--store", str(ana), "codebook", "import", str(source))
    shared = tmp_path / "team-codebook.yaml"
    cli(capsys, "--store", str(ana), "codebook", "export", "--out", str(shared))
    cli(capsys, "--store", str(ben), "--annotator", "ben", "seed")
    cli(capsys, "--store", str(ben), "codebook", "import", str(shared))
    shown = cli(capsys, "--store", str(ben), "codebook", "show")
    assert "frame" in shown and "intensity" in shown and "genre" in shown

    # 2. Each codes the article in the window.
    code_in_window(qtbot, tmp_path / "ana-window", ana, "ana")
    code_in_window(qtbot, tmp_path / "ben-window", ben, "ben")

    # 3. Native JSONL out and into a fresh store: the codebook, the attributes and the
    #    article variable come back, and exporting again gives the same bytes.
    out = tmp_path / "ana.jsonl"
    cli(capsys, "--store", str(ana), "export", "--format", "jsonl", "--out", str(out))
    fresh = tmp_path / "fresh.sqlite"
    cli(capsys, "--store", str(fresh), "import", str(out))
    again = tmp_path / "again.jsonl"
    cli(capsys, "--store", str(fresh), "export", "--format", "jsonl", "--out", str(again))
    assert again.read_bytes() == out.read_bytes()
    repo = Repository(open_store(fresh), "ana")
    book = repo.codebook()
    frame, intensity = book.kind_by_name("frame"), book.attribute_by_name("stance", "intensity")
    frame_type = book.attribute_by_name(frame.uid, "frame_type")
    genre = book.article_variables()[0]
    art = next(r for r in repo.list_articles() if r.title.startswith("Pompeo"))
    tags = repo.list_annotations(art.uid)
    assert sorted(book.readable(a.attributes)["frame_type"] for a in tags if a.kind == frame.uid
                  ) == ["identity", "security"]
    assert sorted(a.attributes[intensity.uid] for a in tags if a.kind == "stance") == [3, 4]
    assert genre.show(repo.article_variables(art.uid)[genre.uid]) == "opinion"
    assert frame_type.type == "choice"
    repo.close()

    # 4. The reviewer merges both colleagues' stores, codebooks included.
    cli(capsys, "--store", str(rev), "--annotator", "rev", "merge", str(ana))
    cli(capsys, "--store", str(rev), "--annotator", "rev", "merge", str(ben))
    repo = Repository(open_store(rev), "rev")
    assert repo.codebook().kind_by_name("frame").uid == frame.uid

    # 5. Review: the unit they differ on by intensity says so, and what each chose.
    (tmp_path / "rev-window").mkdir()
    win = make_window(qtbot, repo, tmp_path / "rev-window", rev)
    win.open_article(art.uid)
    win.review.toggle.trigger()
    qtbot.waitUntil(win.review.dock.isVisible, timeout=3000)
    panel = win.review.panel
    rows = [panel.list.item(i).text() for i in range(panel.list.count())]
    [row] = [r for r in rows if "intensity" in r]
    assert "intensity: ana 4 | ben 2" in row and "(differ: intensity)" in row
    assert row.startswith("≠ stance")
    panel.list.setCurrentRow(rows.index(row))
    ben_uid = repo.annotator_by_name("ben").uid
    assert panel.accept(ben_uid)
    gold = repo.annotator_by_name("gold")
    [kept] = [a for a in repo.list_annotations(art.uid, [gold.uid]) if a.kind == "stance"]
    assert kept.attributes == {intensity.uid: 2}  # Ben's version, attributes and all
    win.close()
    repo.close()

    # 6. Agreement per attribute, each with its type's metric, and unitizing alpha for
    #    the custom kind.
    report = cli(capsys, "--store", str(rev), "agreement", "--annotators", "ana,ben",
                 "--format", "json")
    figures = {(r["kind"], r["measure"]): r for r in json.loads(report)}
    expected = krippendorff.alpha(reliability_data=np.array([[4, 3], [2, 3]], dtype=float),
                                  level_of_measurement="interval")
    assert figures[("stance", "alpha_interval:intensity")]["value"] == pytest.approx(
        round(expected, 4))
    assert figures[("stance", "alpha_interval:intensity")]["n"] == 2
    assert figures[("frame", "alpha_nominal:frame_type")]["value"] == pytest.approx(1.0)
    assert figures[("article", "alpha_nominal:genre")]["n"] == 1  # opinion vs news
    assert figures[("frame", "u_alpha")]["value"] == pytest.approx(1.0)
