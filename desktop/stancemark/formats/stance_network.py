"""Stance networks for Gephi, visone and R (igraph): GraphML, GEXF (written by networkx)
and an edge-list CSV.

Export only (formats "graphml", "gexf", "network-csv", thin modules over this one).
Built from the stances in scope (`Scope` picks articles and annotators; a
`StanceFilter` may narrow further, as the window's stance table does); counts are per
annotation, so with several coders in scope a stance tagged by two coders counts
twice: export one coder (`--annotators NAME`) or the gold layer for a clean network.
The network maths (DNA's options, their names, the formulas) are in core/network.py.

Views (option `view`):
- `stance` (default): a directed graph. Nodes are the actors and topics that take
  part in a stance in scope (ids are their Stancemark uids; attributes `label`, `type`
  "actor"/"topic", `kind`, `country`, `description`). One edge per (holder, target),
  holder -> target (a topic or an actor), with `polarity` (support, oppose or neutral
  when all its stances agree, else "mixed"), `support`, `oppose`, `neutral` counts,
  `net` = support - oppose, `count` (= `weight`), `first_date`, `last_date`, `dates`
  (distinct days, "; "-joined) and `articles` (how many articles). One edge per pair,
  not one per polarity: Gephi merges parallel edges on import, which would mix them.
- `two-mode` (DNA two-mode network): actors x topics, undirected; actors have
  `bipartite` 0, topics 1; one edge per actor-topic pair with `weight`, `polarity`
  (support, oppose, mixed, neutral), `support`, `oppose`, `neutral` counts and `net`.
- `congruence`, `conflict`, `subtract` (DNA one-mode networks): actors only; `weight`
  (normalised as asked), `congruence` and `conflict` (the raw terms), `polarity`
  ("congruence" or "conflict", by the sign of the weight) and `topics` (the topics
  behind the edge with the polarities involved, "; "-joined).
Stances aimed at actors take part in the `stance` view only.

Options: `normalisation` (none, and for one-mode average, jaccard, cosine; for
two-mode activity, prominence), `duplicates` (all, article, week, month, year),
`date_from` / `date_to` (ISO, any precision, inclusive by prefix: `date_to="2021"`
keeps all of 2021; with a range set, stances without any date are left out), and
`window` (week, month, year) with `window_size` N: the output is then a folder with
one network per moving window of N periods, one period apart (`<first>_<last>.<ext>`),
and `windows.csv` listing them.

Dates: a stance's date is its `stance_date`, else its article's published date, as a
day (a month-only date counts as the month's first day).

The edge-list CSV (`network-csv`): one row per edge, `source`, `target` (uids),
`source_label`, `target_label`, `source_type`, `target_type`, then the edge's
attributes as above; RFC 4180, UTF-8, CRLF, formula cells neutralised.

Offsets: none (networks carry no text positions). Loses: spans, quotes, notes,
annotators, date mentions, actor mentions outside stances, and every actor or topic that
takes part in no stance in scope.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from stancemark.core.errors import StancemarkError
from stancemark.core.network import (
    DUPLICATES,
    KINDS,
    OPEN_END,
    POLARITY_NAME,
    NetEdge,
    Network,
    NetworkOptions,
    Statements,
    build_network,
)
from stancemark.core.periods import check_unit, day_range, iso, windows
from stancemark.core.stance_filter import StanceFilter
from stancemark.formats.common import (
    ExportReport,
    Progress,
    Scope,
    atomic_dir,
    atomic_write,
    csv_writer,
    safe_cell,
    tick,
)

if TYPE_CHECKING:  # networkx itself is imported only when a network is written
    import networkx as nx

    from stancemark.store.repository import Repository

VIEWS = ("stance", *KINDS)
NORMALISATIONS = ("none", "average", "jaccard", "cosine", "activity", "prominence")
# The export's keyword options, for a user interface to offer: (name, label, choices);
# no choices means free text (an ISO date here), empty meaning "not set".
EXPORT_OPTIONS: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    ("view", "Network", VIEWS),
    ("normalisation", "Normalisation", NORMALISATIONS),
    ("duplicates", "Count the same stance", tuple(DUPLICATES)),
    ("date_from", "Stances from (ISO date)", ()),
    ("date_to", "Stances up to (ISO date)", ()),
)
SUFFIX = {"graphml": ".graphml", "gexf": ".gexf", "network-csv": ".csv"}
NodeInfo = tuple[str, str, str, str, str]  # uid, name, kind, country, description


def scope_filter(repo: Repository, scope: Scope, base: StanceFilter | None = None) -> StanceFilter:
    """The stances a Scope covers, as a stance filter (narrowed by `base`, if given)."""
    f = base or StanceFilter()
    if scope.article_uids is not None or scope.query or scope.status:
        f = f.with_(article_uids=tuple(scope.articles(repo)))
    uids = scope.annotator_uids(repo)
    if uids is not None:
        names = {a.uid: a.name for a in repo.list_annotators()}
        f = f.with_(annotators=tuple(names[u] for u in uids))
    return f


def node_info(repo: Repository) -> dict[tuple[str, int], NodeInfo]:
    from stancemark.store.stance_query import node_names

    return node_names(repo)


def _node_attrs(info: NodeInfo, key: tuple[str, int]) -> dict[str, Any]:
    uid, name, kind, country, description = info
    return {"label": name, "type": key[0], "kind": kind if key[0] == "actor" else "",
            "country": country, "description": description}


def network_graph(net: Network, names: dict[tuple[str, int], NodeInfo],
                  edges: Iterable[NetEdge] | None = None, nodes: Iterable[Any] | None = None
                  ) -> Any:
    """A networkx graph of a computed network (or of the `edges` and `nodes` of it that
    a picture shows); node ids are uids."""
    import networkx as nx

    g: nx.Graph[str] = nx.Graph(view=net.kind, normalisation=net.normalisation)
    keep = list(net.nodes if nodes is None else nodes)
    for key in sorted(keep):
        attrs = _node_attrs(names[key], key)
        if net.kind == "two-mode":
            attrs["bipartite"] = 0 if key[0] == "actor" else 1
        g.add_node(names[key][0], **attrs, statements=net.nodes.get(key, 0))
    topic_name = {k[1]: v[1] for k, v in names.items() if k[0] == "topic"}
    counts = net.normalisation == "none"  # weights are whole numbers: write them so
    for e in net.edges if edges is None else edges:
        a, b = names[e.source][0], names[e.target][0]
        weight = int(e.weight) if counts else e.weight
        if net.kind == "two-mode":
            g.add_edge(a, b, weight=weight, polarity=e.polarity, support=e.support,
                       oppose=e.oppose, neutral=e.neutral, net=e.support - e.oppose)
        else:
            topics = net.topics_between(e.source, e.target)
            g.add_edge(a, b, weight=weight, polarity=e.polarity, congruence=e.congruence,
                       conflict=e.conflict, topics="; ".join(
                           _topic_label(net, e, t, topic_name) for t in topics))
    return g


def _topic_label(net: Network, e: NetEdge, topic: int, names: dict[int, str]) -> str:
    pols = sorted({POLARITY_NAME[p] for (h, t, p), n in net.cells.items()
                   if n and t == topic and p != 2 and h in (e.source[1], e.target[1])})
    return f"{names.get(topic, topic)} ({'/'.join(pols)})"


def stance_graph(st: Statements, names: dict[tuple[str, int], NodeInfo],
                 first_day: int = 0, last_day: int = OPEN_END) -> Any:
    """The directed holder -> target view (see the module docstring)."""
    import networkx as nx

    g: nx.DiGraph[str] = nx.DiGraph(view="stance")
    groups: dict[tuple[tuple[str, int], tuple[str, int]], list[int]] = defaultdict(list)
    for r in st.rows_in(first_day, last_day):
        target = ("topic", st.topic[r]) if st.topic[r] else ("actor", st.actor[r])
        groups[(("actor", st.holder[r]), target)].append(r)
    for holder in sorted({h for h, _ in groups}):
        g.add_node(names[holder][0], **_node_attrs(names[holder], holder))
    for _, target in sorted(groups):
        if names[target][0] not in g:
            g.add_node(names[target][0], **_node_attrs(names[target], target))
    for (holder, target), rows in sorted(groups.items()):
        days = sorted({st.day[r] for r in rows if st.day[r]})
        counts = [0, 0, 0]
        for r in rows:
            counts[st.polarity[r]] += 1
        used = {st.polarity[r] for r in rows}
        g.add_edge(names[holder][0], names[target][0],
                   polarity=POLARITY_NAME[used.pop()] if len(used) == 1 else "mixed",
                   count=len(rows), weight=len(rows), net=counts[0] - counts[1],
                   support=counts[0], oppose=counts[1], neutral=counts[2],
                   first_date=iso(days[0]) if days else "",
                   last_date=iso(days[-1]) if days else "",
                   dates="; ".join(iso(d) for d in days),
                   articles=len({st.article[r] for r in rows}))
    return g


def write_graph(g: Any, out: Path, fmt: str) -> None:
    """Write a graph atomically as GraphML, GEXF or an edge-list CSV."""
    import networkx as nx

    if fmt == "network-csv":
        with atomic_write(Path(out), "w", encoding="utf-8", newline="") as fh:
            w = csv_writer(fh)
            keys = sorted({k for _, _, d in g.edges(data=True) for k in d} - {"weight"})
            w.writerow(["source", "target", "source_label", "target_label", "source_type",
                        "target_type", "weight", *keys])
            for a, b, d in g.edges(data=True):
                na, nb = g.nodes[a], g.nodes[b]
                w.writerow([safe_cell(v) for v in (
                    a, b, na.get("label", ""), nb.get("label", ""), na.get("type", ""),
                    nb.get("type", ""), d.get("weight", ""), *(d.get(k, "") for k in keys))])
        return
    with atomic_write(Path(out), "wb") as fh:
        if fmt == "graphml":
            nx.write_graphml(g, fh, encoding="utf-8", prettyprint=True)
        else:
            nx.write_gexf(g, fh, encoding="utf-8", prettyprint=True)


def options_for(view: str, normalisation: str | None, duplicates: str | None) -> NetworkOptions:
    if view not in VIEWS:
        raise StancemarkError(f"unknown network view {view!r} (use one of {', '.join(VIEWS)})")
    if view == "stance":
        if normalisation not in (None, "", "none") or duplicates not in (None, "", "all"):
            raise StancemarkError("the stance view counts every stance; normalisation and "
                                  "duplicates apply to the two-mode and one-mode views")
        return NetworkOptions()
    return NetworkOptions(view, normalisation or "none", duplicates or "all").check()


def export_network(repo: Repository, out: Path, scope: Scope | None, progress: Progress | None,
                   fmt: str, view: str = "stance", date_from: str | None = None,
                   date_to: str | None = None, *, normalisation: str | None = None,
                   duplicates: str | None = None, window: str | None = None,
                   window_size: int | str | None = None,
                   stance_filter: StanceFilter | None = None) -> ExportReport:
    from stancemark.store.stance_query import statements

    scope = scope or Scope()
    options = options_for(view, normalisation, duplicates)
    first, last = day_range(date_from or "", date_to or "")
    tick(progress, 0, 2, "reading stances")
    f = scope_filter(repo, scope, stance_filter)
    articles = len(scope.articles(repo))
    st = statements(repo, f)
    names = node_info(repo)
    tick(progress, 1, 2, "writing")

    def graph(lo: int, hi: int) -> Any:
        if view == "stance":
            return stance_graph(st, names, lo, hi)
        return network_graph(build_network(st, options, lo, hi), names)

    in_range = len(st.rows_in(first, last))
    if not window:
        write_graph(graph(first, last), out, fmt)
        tick(progress, 2, 2, "done")
        return ExportReport(Path(out), articles=articles, annotations=in_range)
    check_unit(window)
    try:
        size = int(window_size or 1)
    except ValueError:
        raise StancemarkError(f"window size {window_size!r} is not a whole number") from None
    lo, hi = st.first_last() if in_range else (0, 0)
    lo, hi = max(lo, first), min(hi, last)
    spans = windows(lo, hi, window, size) if lo else []
    with atomic_dir(Path(out)) as folder:
        rows: list[tuple[object, ...]] = [
            ("file", "first_day", "last_day", "stances", "nodes", "edges")]
        for k, (a, b) in enumerate(spans):
            tick(progress, k, len(spans), "writing windows")
            g = graph(a, b)
            name = f"{iso(a)}_{iso(b)}{SUFFIX[fmt]}"
            write_graph(g, folder / name, fmt)
            rows.append((name, iso(a), iso(b), len(st.rows_in(a, b)), g.number_of_nodes(),
                         g.number_of_edges()))
        with (folder / "windows.csv").open("w", encoding="utf-8", newline="") as fh:
            csv_writer(fh).writerows(rows)
    return ExportReport(Path(out), articles=articles, annotations=in_range,
                        files=len(spans) + 1)


def export_format(fmt: str) -> Any:
    """The `export` function of one network format module."""

    def export(repo: Repository, out: Path, scope: Scope | None = None,
               progress: Progress | None = None, *, view: str = "stance",
               date_from: str | None = None, date_to: str | None = None,
               normalisation: str | None = None, duplicates: str | None = None,
               window: str | None = None, window_size: int | str | None = None,
               stance_filter: StanceFilter | None = None) -> ExportReport:
        return export_network(repo, out, scope, progress, fmt, view, date_from, date_to,
                              normalisation=normalisation, duplicates=duplicates,
                              window=window, window_size=window_size,
                              stance_filter=stance_filter)

    return export
