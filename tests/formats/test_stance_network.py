"""Stance networks (GraphML, GEXF), read back with networkx."""

from __future__ import annotations

import networkx as nx
import pytest

from helpers import find
from stancemark.core.model import Annotation
from stancemark.formats import get_format
from stancemark.formats.common import Scope

READ = {"graphml": nx.read_graphml, "gexf": nx.read_gexf}


def _export(repo, tmp_path, fmt, scope=None, **options):
    out = tmp_path / f"net.{fmt}"
    report = get_format(fmt).load().export(repo, out, scope or Scope(), None, **options)
    return READ[fmt](out), report


def _edges(g, u, v) -> list[dict]:
    """Edge attribute dicts between u and v, whether networkx read a multigraph or not."""
    data = g.get_edge_data(u, v) or {}
    return list(data.values()) if g.is_multigraph() else [data] if data else []


def _agreeing(repo, pieces):
    """One more article where the United States and Taiwan take stances on the arms topic."""
    text = "Washington backs arms sales to Taiwan, and so does Taipei; Beijing rejects them."
    art, _ = repo.add_article(text, "More", published="2022-03-04")
    a = pieces["actors"]
    arms = pieces["topics"]["arms"].uid
    for needle, holder, pol in (("backs arms sales", a["us"], "support"),
                                ("so does Taipei", a["taiwan"], "support"),
                                ("rejects them", a["china"], "oppose")):
        s, e = find(text, needle)
        repo.add_annotation(Annotation("", art.uid, repo.annotator.uid, "stance", s, e, needle,
                                       holder_uid=holder.uid, target_topic_uid=arms,
                                       polarity=pol, stance_date="2022-03-04"))
    return art


@pytest.mark.parametrize("fmt", ["graphml", "gexf"])
def test_stance_view(annotated, tmp_path, fmt):
    repo, pieces = annotated
    g, report = _export(repo, tmp_path, fmt, Scope(annotators=("ana",)))
    a, t = pieces["actors"], pieces["topics"]
    assert report.annotations == 4
    assert g.is_directed()
    assert g.nodes[a["china"].uid]["label"] == "China"
    assert g.nodes[a["china"].uid]["type"] == "actor"
    assert g.nodes[t["arms"].uid]["type"] == "topic"
    # China opposes arms sales in two articles: one edge, count 2
    (edge,) = _edges(g, a["china"].uid, t["arms"].uid)
    assert (edge["polarity"], int(edge["count"]), int(edge["articles"])) == ("oppose", 2, 2)
    assert edge["first_date"] == "2020-06-01" and edge["last_date"] == "2021-01-09"
    # a stance aimed at an actor is an actor -> actor edge
    (edge,) = _edges(g, a["us"].uid, a["taiwan"].uid)
    assert edge["polarity"] == "support"
    # actors that take no stance are not nodes
    assert a["dept"].uid not in g


@pytest.mark.parametrize("fmt", ["graphml", "gexf"])
def test_disagreeing_coders_give_one_mixed_edge(annotated, tmp_path, fmt):
    repo, pieces = annotated
    g, _ = _export(repo, tmp_path, fmt)
    assert not g.is_multigraph()  # Gephi would merge parallel edges on import
    (edge,) = _edges(g, pieces["actors"]["china"].uid, pieces["topics"]["arms"].uid)
    assert edge["polarity"] == "mixed"
    assert (int(edge["oppose"]), int(edge["neutral"]), int(edge["support"])) == (2, 1, 0)
    assert (int(edge["count"]), int(edge["net"])) == (3, -2)


@pytest.mark.parametrize("fmt", ["graphml", "gexf"])
def test_two_mode_view(annotated, tmp_path, fmt):
    repo, pieces = annotated
    _agreeing(repo, pieces)
    g, _ = _export(repo, tmp_path, fmt, Scope(annotators="me"), view="two-mode")
    a, t = pieces["actors"], pieces["topics"]
    assert not g.is_directed()
    assert int(g.nodes[a["china"].uid]["bipartite"]) == 0
    assert int(g.nodes[t["arms"].uid]["bipartite"]) == 1
    e = g.edges[a["china"].uid, t["arms"].uid]
    assert (int(e["weight"]), int(e["oppose"]), int(e["net"])) == (3, 3, -3)
    # stances at actors are not part of the actor x topic network
    assert not g.has_edge(a["us"].uid, a["taiwan"].uid)
    assert all(g.nodes[v]["type"] == "topic" for u in g if g.nodes[u]["type"] == "actor"
               for v in g[u])


@pytest.mark.parametrize("fmt", ["graphml", "gexf"])
def test_congruence_view_links_agreeing_actors(annotated, tmp_path, fmt):
    repo, pieces = annotated
    _agreeing(repo, pieces)
    g, _ = _export(repo, tmp_path, fmt, Scope(annotators="me"), view="congruence")
    a = pieces["actors"]
    assert g.has_edge(a["us"].uid, a["taiwan"].uid)
    e = g.edges[a["us"].uid, a["taiwan"].uid]
    assert int(e["weight"]) == 1 and e["topics"] == "Arms sales to Taiwan (support)"
    # China opposes and they support: no agreement, no edge
    assert not g.has_edge(a["china"].uid, a["us"].uid)
    assert all(g.nodes[n]["type"] == "actor" for n in g)


def test_date_range(annotated, tmp_path):
    repo, pieces = annotated
    _agreeing(repo, pieces)
    a, t = pieces["actors"], pieces["topics"]
    g, report = _export(repo, tmp_path, "graphml", Scope(annotators="me"),
                        date_from="2021", date_to="2021")
    # only the English article's two stances are dated 2021
    assert report.annotations == 2
    (edge,) = _edges(g, a["china"].uid, t["arms"].uid)
    assert int(edge["count"]) == 1
    assert a["tsai"].uid not in g
    g, report = _export(repo, tmp_path, "graphml", Scope(annotators="me"), date_from="2022-03")
    assert report.annotations == 3


def test_empty_scope_gives_an_empty_graph(annotated, tmp_path):
    repo, pieces = annotated
    g, report = _export(repo, tmp_path, "gexf",
                        Scope(article_uids=(pieces["articles"]["empty"].uid,)))
    assert report.articles == 1 and g.number_of_nodes() == 0


def test_unknown_view_is_refused_and_nothing_written(annotated, tmp_path):
    from stancemark.core.errors import StancemarkError

    repo, _ = annotated
    with pytest.raises(StancemarkError, match="view"):
        _export(repo, tmp_path, "gexf", view="triangles")
    assert not (tmp_path / "net.gexf").exists()


def test_cli_options(annotated, store_path, tmp_path, capsys):
    from stancemark.cli import main

    repo, pieces = annotated
    _agreeing(repo, pieces)
    repo.close()
    out = tmp_path / "c.gexf"
    assert main(["--store", str(store_path), "export", "--format", "gexf", "--out", str(out),
                 "--view", "congruence", "--from", "2022-01-01", "--to", "2022-12-31"]) == 0
    g = nx.read_gexf(out)
    assert g.number_of_edges() == 1
    assert main(["--store", str(store_path), "export", "--format", "jsonl", "--view",
                 "stance", "--out", str(tmp_path / "x.jsonl")]) == 1
    assert "network formats" in capsys.readouterr().err


@pytest.mark.parametrize("fmt", ["graphml", "gexf"])
def test_declared_options_are_the_export_keywords(annotated, tmp_path, fmt):
    repo, _ = annotated
    module = get_format(fmt).load()
    names = [name for name, _, _ in module.EXPORT_OPTIONS]
    assert names == ["view", "normalisation", "duplicates", "date_from", "date_to"]
    choices = dict((n, c) for n, _, c in module.EXPORT_OPTIONS)
    for view in choices["view"]:
        _export(repo, tmp_path, fmt, **{"view": view, "date_from": "2020", "date_to": "2021"})
    for norm in ("average", "jaccard", "cosine"):
        _export(repo, tmp_path, fmt, view="congruence", normalisation=norm)
    for norm in ("activity", "prominence"):
        _export(repo, tmp_path, fmt, view="two-mode", normalisation=norm)
    for dup in choices["duplicates"]:
        _export(repo, tmp_path, fmt, view="conflict", duplicates=dup)
