"""Discourse networks from stances, with the options of the Discourse Network Analyzer.

Pure Python (no Qt, no SQL, no numpy): the window draws what this computes, the exports
write it, and the tests check it against hand-computed examples. The store hands over
the stances as `Statements` (columns of ints, sorted by day); `build_network` counts
them and returns a `Network` of nodes and weighted edges.

Vocabulary. DNA's statement is our stance: variable 1 is the holder (an actor),
variable 2 the target topic, the qualifier the polarity. Stances aimed at an actor
rather than a topic, and unfinished stances, take no part in these networks (they are
counted in `Network.left_out`). Our option names, with DNA's in brackets:

- kind `two-mode` (network type "Two-mode network", qualifier aggregation "combine"):
  actors x topics; an edge per actor and topic with `weight` = the stances (after
  duplicates) and `polarity` support, oppose, "mixed" (both) or neutral (only
  neutral stances); normalisation `activity` divides by the actor's stances,
  `prominence` by the topic's (DNA's two-mode normalisations of the same names).
- kinds `congruence`, `conflict`, `subtract` (network type "One-mode network", qualifier
  aggregation "congruence", "conflict", "subtract"): actors x actors. With a_ict the
  stances of actor i on topic c with polarity q (support or oppose; neutral stances are
  no agreement and stay out), congruence(i, j) = sum over c, q of a_icq * a_jcq;
  conflict(i, j) = sum over c of a_ic+ * a_jc- + a_ic- * a_jc+; subtract = congruence -
  conflict. As in DNA, each term is a product of counts, so with duplicates "all" two
  actors who said the same thing twice each get 4.
- normalisation of one-mode weights (DNA "no", "average activity", "Jaccard", "cosine"):
  `none`; `average` divides by (n_i + n_j) / 2, n the actor's support and oppose stances;
  `jaccard` by m10 + m01 + m11 over the (topic, polarity) cells (m10: i's stances in
  cells where j has none, m01 the reverse, m11 the sum of products where both have
  some), so identical profiles give 1 with binary counts; `cosine` by the Euclidean
  norms of the two actors' (topic, polarity) count vectors, so congruence/cosine is the
  cosine similarity of their profiles (DNA 3 divides by n_i * n_j instead, the product
  of the norms only when every count is 0 or 1). Subtract normalises both terms alike.
- duplicates (DNA "include all duplicates", "ignore per document", "ignore per
  calendar week/month/year"): `all` counts every stance; `article`, `week`, `month`,
  `year` count the same (holder, topic, polarity) once per article or period.
- a date range and moving windows: see core/periods.py; `build_network` takes the
  (first, last) days to count.
"""

from __future__ import annotations

import heapq
from array import array
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from itertools import compress, repeat
from operator import itemgetter

from stancemark.core.errors import StancemarkError
from stancemark.core.periods import bucket_key

SUPPORT, OPPOSE, NEUTRAL = 0, 1, 2
POLARITY_CODE: dict[str, int] = {"support": SUPPORT, "oppose": OPPOSE, "neutral": NEUTRAL}
POLARITY_NAME: tuple[str, ...] = ("support", "oppose", "neutral")

# our name -> DNA's name, for menus, help and the README
KINDS: dict[str, str] = {
    "two-mode": "Two-mode network (qualifier aggregation: combine)",
    "congruence": "One-mode network, qualifier aggregation: congruence",
    "conflict": "One-mode network, qualifier aggregation: conflict",
    "subtract": "One-mode network, qualifier aggregation: subtract",
}
ONE_MODE_NORMALISATIONS: dict[str, str] = {
    "none": "no", "average": "average activity", "jaccard": "Jaccard", "cosine": "cosine"}
TWO_MODE_NORMALISATIONS: dict[str, str] = {
    "none": "no", "activity": "activity", "prominence": "prominence"}
DUPLICATES: dict[str, str] = {
    "all": "include all duplicates", "article": "ignore per document",
    "week": "ignore per calendar week", "month": "ignore per calendar month",
    "year": "ignore per calendar year"}

NodeKey = tuple[str, int]  # ("actor", actor row id) or ("topic", topic row id)
Cell = tuple[int, int, int]  # (holder, topic, polarity)


@dataclass(frozen=True)
class NetworkOptions:
    kind: str = "two-mode"
    normalisation: str = "none"
    duplicates: str = "all"

    def check(self) -> NetworkOptions:
        if self.kind not in KINDS:
            raise StancemarkError(f"unknown network {self.kind!r} (use one of {', '.join(KINDS)})")
        norms = TWO_MODE_NORMALISATIONS if self.kind == "two-mode" else ONE_MODE_NORMALISATIONS
        if self.normalisation not in norms:
            raise StancemarkError(f"normalisation {self.normalisation!r} does not apply to a "
                                  f"{self.kind} network (use one of {', '.join(norms)})")
        if self.duplicates not in DUPLICATES:
            raise StancemarkError(f"unknown duplicates setting {self.duplicates!r} "
                                  f"(use one of {', '.join(DUPLICATES)})")
        return self


class Statements:
    """Stances as parallel columns of ints, in no particular order.

    Row i is (ids[i], holder[i], topic[i] or 0, actor[i] (a target actor) or 0,
    polarity[i] code, day[i] (0: no date), article[i]), all store row ids. Arrays, not
    tuples: 600,000 stances take about 30 MB instead of about 150 MB. A date window is
    a mask over the day column (one pass, ~20 ms at 600,000): cheaper than keeping the
    rows sorted by day, which cost more when loading than every later step saved."""

    COLUMNS = ("ids", "holder", "topic", "actor", "polarity", "day", "article")

    def __init__(self, rows: Iterable[Sequence[int]] = (), *, columns: Sequence[array] = ()):
        if columns:
            (self.ids, self.holder, self.topic, self.actor, self.polarity, self.day,
             self.article) = columns
        else:
            rows = list(rows)
            self.ids, self.holder, self.topic, self.actor, self.day, self.article = (
                array("q", map(itemgetter(i), rows)) for i in (0, 1, 2, 3, 5, 6))
            self.polarity = array("b", map(itemgetter(4), rows))
        self._buckets: dict[str, array] = {}

    def __len__(self) -> int:
        return len(self.ids)

    def mask(self, first_day: int, last_day: int) -> list[bool] | None:
        """Which rows are dated first_day..last_day; None: every row (the range is open
        at both ends, so undated stances count too)."""
        if first_day <= 0 and last_day >= OPEN_END:
            return None
        return [first_day <= d <= last_day for d in self.day]

    def rows_in(self, first_day: int, last_day: int) -> list[int]:
        m = self.mask(first_day, last_day)
        return list(range(len(self))) if m is None else list(compress(range(len(self)), m))

    def first_last(self) -> tuple[int, int]:
        """The first and last dated day (0, 0 without dates)."""
        dated = [d for d in self.day if d > 0]
        return (min(dated), max(dated)) if dated else (0, 0)

    def buckets(self, unit: str) -> array:
        """Each row's period number (core.periods.bucket_key), computed once per unit."""
        if unit not in self._buckets:
            keys = {d: bucket_key(d, unit) for d in set(self.day)}
            self._buckets[unit] = array("q", map(keys.__getitem__, self.day))
        return self._buckets[unit]

    def remove(self, ids: Iterable[int]) -> int:
        """Drop rows by annotation id (an edit or a deletion); returns how many."""
        gone = 0
        for i in ids:
            try:
                at = self.ids.index(i)
            except ValueError:
                continue
            for name in self.COLUMNS:
                del getattr(self, name)[at]
            gone += 1
        if gone:
            self._buckets.clear()
        return gone

    def remove_articles(self, articles: Iterable[int]) -> int:
        """Drop every row of these articles (before reading their stances again)."""
        wanted = set(articles)
        at = [i for i, a in enumerate(self.article) if a in wanted]
        for i in reversed(at):
            for name in self.COLUMNS:
                del getattr(self, name)[i]
        if at:
            self._buckets.clear()
        return len(at)

    def rows(self) -> Iterable[tuple[int, ...]]:
        return zip(*(getattr(self, name) for name in self.COLUMNS), strict=True)

    def add(self, rows: Iterable[Sequence[int]]) -> None:
        """Append rows (a new or edited stance)."""
        for row in rows:
            for name, value in zip(self.COLUMNS, row, strict=True):
                getattr(self, name).append(value)
            self._buckets.clear()


OPEN_END = 10 ** 9  # a last day past any date: the range is open at the end


def count_cells(st: Statements, first_day: int, last_day: int, duplicates: str
                ) -> tuple[Counter[Cell], int]:
    """Stances per (holder, topic, polarity) in the day range, duplicates removed as
    asked; also how many stances in range had no topic (aimed at an actor)."""
    m = st.mask(first_day, last_day)

    def col(c: array) -> Iterable[int]:
        return c if m is None else compress(c, m)

    cols = (col(st.holder), col(st.topic), col(st.polarity))
    if duplicates == "all":
        cells: Counter[Cell] = Counter(zip(*cols, strict=True))
    else:
        key = st.article if duplicates == "article" else st.buckets(duplicates)
        cells = Counter(map(itemgetter(0, 1, 2), set(zip(*cols, col(key), strict=True))))
    left_out = sum(n for (_, t, _), n in cells.items() if not t)
    return Counter({c: n for c, n in cells.items() if c[1]}) if left_out else cells, left_out


@dataclass(frozen=True, slots=True)
class NetEdge:
    source: NodeKey
    target: NodeKey
    weight: float
    polarity: str  # two-mode: support, oppose, mixed, neutral; one-mode: congruence, conflict
    support: int = 0  # two-mode: the stances behind the edge, by polarity
    oppose: int = 0
    neutral: int = 0
    congruence: int = 0  # one-mode: the raw (not normalised) terms the kind needs
    conflict: int = 0


class Edges:
    """A network's edges as columns; NetEdge objects are made only when asked for. A
    one-mode network of 2,000 actors can have over a million edges: as objects they
    would take about 200 MB, as columns about 50 MB.

    Columns: a, b (the endpoints' row ids: actor and topic for two-mode, two actors
    with a < b for one-mode), weight, and three counts (two-mode: support, oppose,
    neutral stances; one-mode: raw congruence, raw conflict, 0)."""

    def __init__(self, kind: str):
        self.kind = kind
        self.a, self.b = array("q"), array("q")
        self.weight = array("d")
        self.n1, self.n2, self.n3 = array("q"), array("q"), array("q")

    def __len__(self) -> int:
        return len(self.a)

    def __getitem__(self, i: int) -> NetEdge:
        w, n1, n2, n3 = self.weight[i], self.n1[i], self.n2[i], self.n3[i]
        if self.kind == "two-mode":
            pol = "mixed" if n1 and n2 else "support" if n1 else "oppose" if n2 else "neutral"
            return NetEdge(("actor", self.a[i]), ("topic", self.b[i]), w, pol, n1, n2, n3)
        pol = "conflict" if self.kind == "conflict" or w < 0 else "congruence"
        return NetEdge(("actor", self.a[i]), ("actor", self.b[i]), w, pol,
                       congruence=n1, conflict=n2)

    def __iter__(self) -> Iterator[NetEdge]:
        return (self[i] for i in range(len(self)))


@dataclass
class Network:
    kind: str
    normalisation: str
    nodes: dict[NodeKey, int]  # node -> its stances in the network (after duplicates)
    edges: Edges
    statements: int  # stances counted (after duplicates)
    left_out: int  # stances in range not in this network (aimed at actors; one-mode: neutral)
    cells: Counter[Cell] = field(default_factory=Counter, repr=False)

    def topics_between(self, a: NodeKey, b: NodeKey) -> list[int]:
        """The topics behind an edge: the topic of a two-mode edge; for one-mode, the
        topics on which the two actors agree (congruence), disagree (conflict) or either."""
        if a[0] == "topic" or b[0] == "topic":
            return [a[1] if a[0] == "topic" else b[1]]
        by: dict[int, list[set[int]]] = defaultdict(lambda: [set(), set()])
        for (h, t, p), n in self.cells.items():
            if n and p != NEUTRAL and h in (a[1], b[1]):
                by[t][0 if h == a[1] else 1].add(p)
        out = []
        for t, (pa, pb) in by.items():
            agree = bool(pa & pb)
            disagree = (SUPPORT in pa and OPPOSE in pb) or (OPPOSE in pa and SUPPORT in pb)
            if (self.kind == "congruence" and agree) or (self.kind == "conflict" and disagree) \
                    or (self.kind == "subtract" and (agree or disagree)):
                out.append(t)
        return sorted(out)


def build_network(st: Statements, options: NetworkOptions, first_day: int = 0,
                  last_day: int = OPEN_END) -> Network:
    """The network of the stances dated first_day..last_day (all when left open)."""
    options.check()
    cells, left_out = count_cells(st, first_day, last_day, options.duplicates)
    if options.kind == "two-mode":
        return two_mode(cells, options.normalisation, left_out)
    from stancemark.core.network_one_mode import one_mode

    return one_mode(cells, options.kind, options.normalisation, left_out)


def two_mode(cells: Counter[Cell], normalisation: str = "none", left_out: int = 0) -> Network:
    pairs: dict[tuple[int, int], list[int]] = defaultdict(lambda: [0, 0, 0])
    for (h, t, p), n in cells.items():
        pairs[(h, t)][p] += n
    actor_total: Counter[int] = Counter()
    topic_total: Counter[int] = Counter()
    for (h, t), c in pairs.items():
        s = c[0] + c[1] + c[2]
        actor_total[h] += s
        topic_total[t] += s
    edges = Edges("two-mode")
    for (h, t), (s, o, n) in sorted(pairs.items()):
        count = s + o + n
        if normalisation == "activity":
            weight = count / actor_total[h]
        elif normalisation == "prominence":
            weight = count / topic_total[t]
        else:
            weight = count
        edges.a.append(h)
        edges.b.append(t)
        edges.weight.append(weight)
        edges.n1.append(s)
        edges.n2.append(o)
        edges.n3.append(n)
    nodes: dict[NodeKey, int] = {("actor", h): c for h, c in sorted(actor_total.items())}
    nodes.update({("topic", t): c for t, c in sorted(topic_total.items())})
    return Network("two-mode", normalisation, nodes, edges, sum(actor_total.values()), left_out,
                   cells)


def degrees(net: Network) -> Counter[NodeKey]:
    e = net.edges
    second = "topic" if net.kind == "two-mode" else "actor"
    out: Counter[NodeKey] = Counter(zip(repeat("actor"), e.a))
    out.update(zip(repeat(second), e.b))
    return out


def strongest(net: Network, limit: int, min_weight: float = 0) -> tuple[list[int], int]:
    """The edges a picture can show, as indexes into net.edges: |weight| >= min_weight,
    at most `limit` of the strongest (ties by position, so the same network always
    shows the same edges); also how many edges passed the weight test."""
    w = net.edges.weight
    n = len(w)
    if min_weight:
        kept = [i for i in range(n) if abs(w[i]) >= min_weight]
    else:
        kept = list(range(n))
    if len(kept) <= limit:
        return kept, len(kept)
    top = heapq.nsmallest(limit, kept, key=lambda i: (-abs(w[i]), i))
    return sorted(top), len(kept)
