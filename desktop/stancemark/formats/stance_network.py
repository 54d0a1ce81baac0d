"""Stance networks for Gephi, visone and R (igraph), written with networkx as GraphML or GEXF.

Export only (formats "graphml" and "gexf", thin modules over this one). Built from the
stance annotations in scope (`Scope` picks articles, annotators and kinds); counts are per
annotation, so with several coders in scope a stance tagged by two coders counts twice:
export one coder (`--annotators NAME`) or the gold layer for a clean network.

Views (option `view`):
- `stance` (default): a directed graph. Nodes are the actors and topics that take
  part in a stance in scope (ids are their Stancemark uids; attributes `label`, `type`
  "actor"/"topic", `kind`, `country`, `description`). One edge per (holder, target),
  holder -> target (a topic or an actor), with `polarity` (support, oppose or neutral
  when all its stances agree, else "mixed"), `support`, `oppose`, `neutral` counts,
  `net` = support - oppose, `count` (= `weight`), `first_date`, `last_date`, `dates`
  (distinct dates, "; "-joined) and `articles` (how many articles). One edge per pair,
  not one per polarity: Gephi merges parallel edges on import, which would mix them.
- `two-mode`: the actor x topic network of discourse network analysis. Undirected; actors
  have `bipartite` 0, topics 1; one edge per actor-topic pair with `weight` (all stances),
  `support`, `oppose`, `neutral` counts and `net` = support - oppose. Stances aimed at
  actors are left out (they have no topic).
- `congruence`: the one-mode actor congruence network (Discourse Network Analyzer style).
  Two actors are linked when they take the same polarity (support or oppose; neutral is
  not agreement) on the same topic; `weight` = the number of such (topic, polarity)
  pairs they share, `statements` = the stances behind them, `topics` = "; "-joined names.

Dates: a stance's date is its `stance_date`, else its article's published date. The
optional range `date_from` / `date_to` (ISO, any precision: "2021", "2021-03",
"2021-03-15") is inclusive and compares by prefix, so `date_to="2021"` keeps all of 2021;
with a range set, stances without any date are left out.

Offsets: none (networks carry no text positions). Loses: spans, quotes, notes,
annotators, date mentions, actor mentions outside stances, and every actor or topic that
takes part in no stance in scope.
"""

from __future__ import annotations

from collections import defaultdict
from itertools import combinations
from pathlib import Path
from typing import TYPE_CHECKING, Any

from stancemark.core.errors import StancemarkError
from stancemark.formats.common import ExportReport, Progress, Scope, atomic_write

if TYPE_CHECKING:  # networkx itself is imported only when a network is exported
    import networkx as nx

    from stancemark.core.model import Actor, Topic
    from stancemark.store.repository import Repository

VIEWS = ("stance", "two-mode", "congruence")
# The export's keyword options, for a user interface to offer: (name, label, choices);
# no choices means free text (an ISO date here), empty meaning "not set".
EXPORT_OPTIONS: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    ("view", "Network", VIEWS),
    ("date_from", "Stances from (ISO date)", ()),
    ("date_to", "Stances up to (ISO date)", ()),
)


def _in_range(date: str, date_from: str | None, date_to: str | None) -> bool:
    if not date_from and not date_to:
        return True
    if not date:
        return False
    first = date.split("/")[0]
    if date_from and first < date_from:
        return False
    return not (date_to and first[:len(date_to)] > date_to)


def collect_stances(repo: Repository, scope: Scope, progress: Progress | None,
                    date_from: str | None, date_to: str | None) -> tuple[list[dict], int]:
    """Stances in scope and range as plain dicts; also the number of articles read."""
    scope = Scope(query=scope.query, status=scope.status, article_uids=scope.article_uids,
                  annotators=scope.annotators, kinds=("stance",), include_trash=False)
    stances: list[dict] = []
    articles = 0
    for art, anns in scope.iter(repo, progress):
        articles += 1
        for a in anns:
            if a.holder_uid is None or not (a.target_topic_uid or a.target_actor_uid):
                continue  # an unfinished stance names no edge
            date = a.stance_date or art.published or ""
            if _in_range(date, date_from, date_to):
                stances.append({"holder": a.holder_uid, "topic": a.target_topic_uid,
                                "actor": a.target_actor_uid, "polarity": a.polarity or "neutral",
                                "date": date, "article": art.uid})
    return stances, articles


def _add_actor(g: nx.Graph[str], actor: Actor, **extra: Any) -> None:
    g.add_node(actor.uid, label=actor.name, type="actor", kind=actor.kind,
               country=actor.country, description=actor.description, **extra)


def _add_topic(g: nx.Graph[str], topic: Topic, **extra: Any) -> None:
    g.add_node(topic.uid, label=topic.name, type="topic", kind="", country="",
               description=topic.description, **extra)


def build_graph(repo: Repository, stances: list[dict], view: str) -> nx.Graph[str]:
    import networkx as nx

    if view not in VIEWS:
        raise StancemarkError(f"unknown network view {view!r} (use one of {', '.join(VIEWS)})")
    actors = {a.uid: a for a in repo.list_actors(include_deleted=True)}
    topics = {t.uid: t for t in repo.list_topics(include_deleted=True)}
    if view == "stance":
        g: nx.Graph[str] = nx.DiGraph(view=view)
        groups: dict[tuple[str, str], list[dict]] = defaultdict(list)
        for s in stances:
            groups[(s["holder"], s["topic"] or s["actor"])].append(s)
        for holder in sorted({h for h, _ in groups}):
            _add_actor(g, actors[holder])
        for _, target in sorted(groups):
            if target in topics:
                _add_topic(g, topics[target])
            elif target not in g:
                _add_actor(g, actors[target])
        for (holder, target), group in sorted(groups.items()):
            dates = sorted({s["date"] for s in group if s["date"]})
            counts = {p: sum(1 for s in group if s["polarity"] == p)
                      for p in ("support", "oppose", "neutral")}
            polarities = {s["polarity"] for s in group}
            g.add_edge(holder, target, polarity=polarities.pop() if len(polarities) == 1
                       else "mixed", count=len(group), weight=len(group),
                       net=counts["support"] - counts["oppose"], **counts,
                       first_date=dates[0] if dates else "",
                       last_date=dates[-1] if dates else "", dates="; ".join(dates),
                       articles=len({s["article"] for s in group}))
        return g
    on_topics = [s for s in stances if s["topic"]]
    if view == "two-mode":
        g = nx.Graph(view=view)
        pairs: dict[tuple[str, str], dict[str, int]] = defaultdict(
            lambda: {"support": 0, "oppose": 0, "neutral": 0})
        for s in on_topics:
            pairs[(s["holder"], s["topic"])][s["polarity"]] += 1
        for holder in sorted({h for h, _ in pairs}):
            _add_actor(g, actors[holder], bipartite=0)
        for topic in sorted({t for _, t in pairs}):
            _add_topic(g, topics[topic], bipartite=1)
        for (holder, topic), c in sorted(pairs.items()):
            g.add_edge(holder, topic, weight=sum(c.values()), net=c["support"] - c["oppose"], **c)
        return g
    # congruence: who agrees with whom, on what
    g = nx.Graph(view=view)
    holders: dict[tuple[str, str], dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for s in on_topics:
        if s["polarity"] in ("support", "oppose"):
            holders[(s["topic"], s["polarity"])][s["holder"]] += 1
    for actor in sorted({a for hs in holders.values() for a in hs}):
        _add_actor(g, actors[actor])
    links: dict[tuple[str, str], dict[str, Any]] = {}
    for (topic, polarity), hs in sorted(holders.items()):
        for a, b in combinations(sorted(hs), 2):
            link = links.setdefault((a, b), {"weight": 0, "statements": 0, "topics": []})
            link["weight"] += 1
            link["statements"] += hs[a] + hs[b]
            link["topics"].append(f"{topics[topic].name} ({polarity})")
    for (a, b), link in sorted(links.items()):
        g.add_edge(a, b, weight=link["weight"], statements=link["statements"],
                   topics="; ".join(link["topics"]))
    return g


def export_network(repo: Repository, out: Path, scope: Scope | None, progress: Progress | None,
                   fmt: str, view: str = "stance", date_from: str | None = None,
                   date_to: str | None = None) -> ExportReport:
    import networkx as nx

    scope = scope or Scope()
    if view not in VIEWS:
        raise StancemarkError(f"unknown network view {view!r} (use one of {', '.join(VIEWS)})")
    stances, articles = collect_stances(repo, scope, progress, date_from, date_to)
    g = build_graph(repo, stances, view)
    with atomic_write(Path(out), "wb") as fh:
        if fmt == "graphml":
            nx.write_graphml(g, fh, encoding="utf-8", prettyprint=True)
        else:
            nx.write_gexf(g, fh, encoding="utf-8", prettyprint=True)
    return ExportReport(Path(out), articles=articles, annotations=len(stances))
