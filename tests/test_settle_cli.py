"""`stancemark settle` and `stancemark review-progress` on Ana's and Ben's merged stores:
list the open units, settle them (accept one annotator's version, for a unit, a kind or
all; accept what all agree on; reject; reopen), and the progress's "open" column goes
down with each unit settled. (tests/ui/test_settle_window.py: the same records as the
window's keys, and the window reopening them.)"""

from __future__ import annotations

import sqlite3

import pytest

from review_data import merged_store
from stancemark.cli import main


@pytest.fixture
def store(tmp_path):
    merged_store(tmp_path).close()
    return tmp_path / "rev.sqlite"


def run(store, capsys, *args: str) -> tuple[int, str, str]:
    capsys.readouterr()
    code = main(["--store", str(store), "--annotator", "rev", *args])
    out = capsys.readouterr()
    return code, out.out, out.err


def open_units(store, capsys) -> list[str]:
    code, out, _ = run(store, capsys, "settle", "list")
    assert code == 0
    return [line.split()[0] for line in out.splitlines()]


def progress(store, capsys) -> tuple[int, int, int]:
    """(decided, units, open) summed over the articles of review-progress."""
    code, out, _ = run(store, capsys, "review-progress")
    assert code == 0
    rows = [line.split()[:3] for line in out.splitlines()[1:]]
    return tuple(sum(int(r[i]) for r in rows) for i in range(3))  # type: ignore[return-value]


def decisions(store) -> list[tuple]:
    conn = sqlite3.connect(store)
    try:
        return conn.execute("SELECT kind, start, \"end\", decision FROM review_decisions "
                            "ORDER BY kind, start").fetchall()
    finally:
        conn.close()


def test_open_column_goes_down_as_units_are_settled(store, capsys):
    units = open_units(store, capsys)
    assert len(units) == 4  # Trump (span), Taipei (actor), China (only Ana), the date
    assert progress(store, capsys) == (0, 6, 4)
    for n, unit in enumerate(units, 1):
        assert run(store, capsys, "settle", "reject", unit)[0] == 0
        assert progress(store, capsys) == (n, 6, 4 - n)  # it stayed at 4 before
    assert open_units(store, capsys) == []


def test_accept_a_kind_then_agreed_then_reject(store, capsys):
    code, out, _ = run(store, capsys, "settle", "accept", "ana", "--kind", "actor")
    assert code == 0 and out.startswith("3 unit(s): ana's version accepted")
    code, out, _ = run(store, capsys, "settle", "agreed")
    assert code == 0 and out.startswith("2 agreed unit(s) accepted")
    (date,) = open_units(store, capsys)
    assert ":date:" in date
    assert run(store, capsys, "settle", "reject", date)[0] == 0
    assert sorted(d[3] for d in decisions(store)) == ["accept"] * 5 + ["reject"]
    assert progress(store, capsys) == (6, 6, 0)
    conn = sqlite3.connect(store)
    gold = conn.execute("SELECT a.quote, a.meta FROM annotations a JOIN annotators n ON "
                        "n.id = a.annotator_id WHERE n.name = 'gold' ORDER BY a.start").fetchall()
    conn.close()
    assert len(gold) == 5 and all('"adjudicated_by": "rev"' in meta for _, meta in gold)
    # Reopen takes a decision back; the unit is open again.
    assert run(store, capsys, "settle", "reopen", date)[0] == 0
    assert open_units(store, capsys) == [date]


def test_one_annotators_version_of_named_units(store, capsys):
    units = open_units(store, capsys)
    taipei = next(u for u in units if u.endswith(":72-78"))
    code, out, _ = run(store, capsys, "settle", "accept", "ben", taipei)
    assert code == 0 and out.startswith("1 unit(s): ben's version")
    conn = sqlite3.connect(store)
    (chosen,) = conn.execute("SELECT n.name FROM review_decisions d JOIN annotators n ON "
                             "n.uid = d.chosen_annotator_uid").fetchone()
    conn.close()
    assert chosen == "ben"


@pytest.mark.parametrize("args, words", [
    (("accept", "ben", "{china}"), "ben did not mark"),
    (("reject", "{taipei}", "nowhere:actor:1-2"), "no unit"),
    (("accept", "carl"), "not one of the annotators"),
    (("reopen", "{taipei}"), "is not decided"),
])
def test_refusals_are_one_line_and_decide_nothing(store, capsys, args, words):
    units = open_units(store, capsys)
    names = {"china": next(u for u in units if u.endswith(":157-162")),
             "taipei": next(u for u in units if u.endswith(":72-78"))}
    code, _, err = run(store, capsys, "settle", *(a.format(**names) for a in args))
    assert code == 1 and len(err.strip().splitlines()) == 1 and words in err, err
    assert decisions(store) == []
