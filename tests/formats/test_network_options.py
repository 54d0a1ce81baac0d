"""DNA's network options through the store and the exports: the worked example of
tests/test_network_maths.py tagged in a real store, exported, and read back by networkx
(GraphML, GEXF) and the csv module (edge list); moving windows; the command line."""

from __future__ import annotations

import csv
from math import sqrt

import networkx as nx
import pytest

from stancemark.core.errors import StancemarkError
from stancemark.core.model import Annotation
from stancemark.core.stance_filter import StanceFilter
from stancemark.formats import get_format
from stancemark.formats.common import Scope

# holder, topic (or "@actor"), polarity, article, stance date
EXAMPLE = [
    ("A", "X", "support", 1, "2021-01-04"), ("A", "X", "support", 1, "2021-01-04"),
    ("A", "Y", "oppose", 2, "2021-01-11"), ("B", "X", "support", 2, "2021-01-11"),
    ("B", "Y", "oppose", 3, "2021-02-01"), ("B", "Y", "support", 3, "2021-02-01"),
    ("C", "X", "oppose", 3, "2021-02-01"), ("C", "Y", "oppose", 4, "2022-03-01"),
    ("C", "Y", "neutral", 4, "2022-03-01"), ("A", "@B", "oppose", 5, "2022-03-02"),
]


@pytest.fixture
def example(repo):
    actors = {n: repo.add_actor(f"Actor {n}", "organisation") for n in "ABC"}
    topics = {n: repo.add_topic(f"Topic {n}") for n in "XY"}
    texts = {}
    for i in range(1, 6):
        words = " ".join(f"w{i}x{k}" for k in range(12))
        texts[i] = repo.add_article(f"Article {i}: {words}.", f"Article {i}",
                                    published="2020-12-01")[0]
    used: dict[int, int] = {}
    for holder, target, pol, art, day in EXAMPLE:
        a = texts[art]
        k = used.get(art, 0)
        used[art] = k + 1
        word = f"w{art}x{k}"
        s = a.text.index(word)
        repo.add_annotation(Annotation(
            "", a.uid, repo.annotator.uid, "stance", s, s + len(word), word,
            holder_uid=actors[holder].uid,
            target_topic_uid=None if target.startswith("@") else topics[target].uid,
            target_actor_uid=actors[target[1:]].uid if target.startswith("@") else None,
            polarity=pol, stance_date=day))
    uid = {n: a.uid for n, a in actors.items()}
    return repo, uid, {n: t.uid for n, t in topics.items()}


READ = {"graphml": nx.read_graphml, "gexf": nx.read_gexf}


def _export(repo, tmp_path, fmt, **options):
    out = tmp_path / f"net-{options.get('view', 'stance')}.{fmt}"
    report = get_format(fmt).load().export(repo, out, Scope(), None, **options)
    return out, report


def _weights(g, uid) -> dict:
    name = {v: k for k, v in uid.items()}
    return {tuple(sorted((name[a], name[b]))): float(d["weight"])
            for a, b, d in g.edges(data=True)}


@pytest.mark.parametrize("fmt", ["graphml", "gexf"])
def test_networkx_reads_the_hand_computed_weights(example, tmp_path, fmt):
    repo, uid, _ = example
    cases = {
        ("congruence", "none"): {("A", "B"): 3, ("A", "C"): 1, ("B", "C"): 1},
        ("conflict", "none"): {("A", "B"): 1, ("A", "C"): 2, ("B", "C"): 2},
        ("subtract", "none"): {("A", "B"): 2, ("A", "C"): -1, ("B", "C"): -1},
        ("congruence", "average"): {("A", "B"): 1, ("A", "C"): 0.4, ("B", "C"): 0.4},
        ("congruence", "jaccard"): {("A", "B"): 0.75, ("A", "C"): 0.25, ("B", "C"): 0.25},
        ("conflict", "jaccard"): {("A", "B"): 0.25, ("A", "C"): 0.5, ("B", "C"): 0.5},
        ("congruence", "cosine"): {("A", "B"): 3 / sqrt(15), ("A", "C"): 1 / sqrt(10),
                                   ("B", "C"): 1 / sqrt(6)},
    }
    for (view, norm), want in cases.items():
        out, report = _export(repo, tmp_path, fmt, view=view, normalisation=norm)
        got = _weights(READ[fmt](out), uid)
        assert got == pytest.approx(want), (view, norm)
        assert report.annotations == len(EXAMPLE)
    out, _ = _export(repo, tmp_path, fmt, view="congruence", duplicates="article")
    assert _weights(READ[fmt](out), uid)[("A", "B")] == 2


def test_two_mode_and_edge_list(example, tmp_path):
    repo, uid, topics = example
    out, _ = _export(repo, tmp_path, "network-csv", view="two-mode")
    with out.open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    by = {(r["source_label"], r["target_label"]): r for r in rows}
    assert (by[("Actor B", "Topic Y")]["weight"], by[("Actor B", "Topic Y")]["polarity"]) == (
        "2", "mixed")
    assert by[("Actor A", "Topic X")]["support"] == "2"
    assert {r["source_type"] for r in rows} == {"actor"} and len(rows) == 6
    out, _ = _export(repo, tmp_path, "network-csv", view="conflict", normalisation="jaccard")
    with out.open(encoding="utf-8", newline="") as fh:
        rows = {(r["source_label"], r["target_label"]): r for r in csv.DictReader(fh)}
    assert float(rows[("Actor B", "Actor C")]["weight"]) == 0.5
    assert rows[("Actor B", "Actor C")]["topics"] == "Topic X (oppose/support); " \
        "Topic Y (oppose/support)"


def test_a_stance_filter_narrows_the_network(example, tmp_path):
    repo, uid, _ = example
    out = tmp_path / "f.graphml"
    get_format("graphml").load().export(repo, out, Scope(), None, view="congruence",
                                        stance_filter=StanceFilter(holder="actor a"))
    assert nx.read_graphml(out).number_of_edges() == 0  # one actor left: no pair


def test_moving_windows_write_a_folder(example, tmp_path):
    repo, uid, _ = example
    out = tmp_path / "windows"
    report = get_format("gexf").load().export(repo, out, Scope(), None, view="congruence",
                                              window="month", window_size=2)
    with (out / "windows.csv").open(encoding="utf-8", newline="") as fh:
        index = list(csv.DictReader(fh))
    assert index[0]["file"] == "2021-01-01_2021-02-28.gexf"
    # January-February 2021: the first seven stances; C's Y stances come in 2022
    assert index[0]["stances"] == "7" and index[0]["edges"] == "1"
    first = nx.read_gexf(out / index[0]["file"])
    assert _weights(first, uid) == {("A", "B"): 3}
    assert sorted(first.nodes) == sorted([uid["A"], uid["B"], uid["C"]])
    assert index[-1]["last_day"] >= "2022-03-02"
    assert report.files == len(index) + 1


def test_bad_options_change_nothing(example, tmp_path):
    repo, _, _ = example
    for options in ({"view": "two-mode", "normalisation": "jaccard"},
                    {"view": "stance", "duplicates": "week"},
                    {"view": "congruence", "window": "day"},
                    {"view": "congruence", "window": "month", "window_size": "x"},
                    {"view": "conflict", "date_from": "2021-13"}):
        with pytest.raises(StancemarkError):
            _export(repo, tmp_path, "graphml", **options)
    assert not list(tmp_path.glob("net-*"))


def test_cli_network_options(example, store_path, tmp_path, capsys):
    from stancemark.cli import main

    repo, uid, _ = example
    repo.close()
    out = tmp_path / "s.graphml"
    assert main(["--store", str(store_path), "export", "--format", "graphml", "--out", str(out),
                 "--view", "subtract", "--normalisation", "jaccard", "--duplicates", "all"]) == 0
    assert _weights(nx.read_graphml(out), uid) == pytest.approx(
        {("A", "B"): 0.5, ("A", "C"): -0.25, ("B", "C"): -0.25})
    assert main(["--store", str(store_path), "export", "--format", "network-csv", "--out",
                 str(tmp_path / "w"), "--view", "two-mode", "--window", "year"]) == 0
    assert (tmp_path / "w" / "2021-01-01_2021-12-31.csv").exists()
    assert main(["--store", str(store_path), "export", "--format", "gexf", "--out",
                 str(tmp_path / "h.gexf"), "--view", "congruence", "--holder", "Actor C"]) == 0
    assert nx.read_gexf(tmp_path / "h.gexf").number_of_edges() == 0
    assert main(["--store", str(store_path), "export", "--format", "gexf", "--out",
                 str(tmp_path / "bad.gexf"), "--view", "two-mode", "--normalisation",
                 "cosine"]) == 1
    assert "normalisation 'cosine'" in capsys.readouterr().err
    assert not (tmp_path / "bad.gexf").exists()
