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
from bisect import bisect_left, bisect_right
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from itertools import compress, repeat
from operator import add, and_, itemgetter, rshift, truediv

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


# A stance's (holder, topic, polarity) as one int: holder << 26 | topic << 2 | polarity.
# Counting 600,000 ints is several times faster than counting as many tuples, and the
# store computes the key in its query (one column instead of three).
TOPIC_BITS, POLARITY_BITS = 24, 2
TOPIC_MASK = (1 << TOPIC_BITS) - 1
HOLDER_SHIFT = TOPIC_BITS + POLARITY_BITS


def encode(holder: int, topic: int, polarity: int) -> int:
    if not 0 <= topic <= TOPIC_MASK:
        raise StancemarkError(f"topic row id {topic} is beyond what the network can count")
    return holder << HOLDER_SHIFT | topic << POLARITY_BITS | polarity


def decode(key: int) -> Cell:
    return key >> HOLDER_SHIFT, (key >> POLARITY_BITS) & TOPIC_MASK, key & 3


class Statements:
    """Stances as parallel columns of ints, in no particular order.

    Row i is (ids[i], key[i] = encode(holder, topic or 0, polarity code), actor[i] (a
    target actor) or 0, day[i] (0: no date), article[i]), store row ids all. Arrays, not
    tuples: 600,000 stances take about 25 MB instead of about 150 MB. A date window is
    a mask over the day column (C-level maps, ~20 ms at 600,000): cheaper than keeping
    the rows sorted by day, which cost more when loading than every later step saved.
    `holder`, `topic` and `polarity` are derived from the keys when asked for."""

    COLUMNS = ("ids", "key", "actor", "day", "article")

    def __init__(self, rows: Iterable[Sequence[int]] = (), *, columns: Sequence[array] = ()):
        """rows: (id, holder, topic, actor, polarity, day, article); or the columns."""
        if columns:
            self.ids, self.key, self.actor, self.day, self.article = columns
        else:
            rows = list(rows)
            self.ids, self.actor, self.day, self.article = (
                array("q", map(itemgetter(i), rows)) for i in (0, 3, 5, 6))
            self.key = array("q", (encode(r[1], r[2], r[4]) for r in rows))
        self._derived: dict[str, array] = {}

    def __len__(self) -> int:
        return len(self.ids)

    def _derive(self, name: str) -> array:
        got = self._derived.get(name)
        if got is None:
            if name == "holder":
                got = array("q", map(rshift, self.key, repeat(HOLDER_SHIFT)))
            elif name == "topic":
                got = array("q", map(and_, map(rshift, self.key, repeat(POLARITY_BITS)),
                                     repeat(TOPIC_MASK)))
            elif name == "polarity":
                got = array("b", map(and_, self.key, repeat(3)))
            else:  # "bucket:<unit>": each row's period number (core.periods.bucket_key)
                unit = name.split(":", 1)[1]
                keys = {d: bucket_key(d, unit) for d in set(self.day)}
                got = array("q", map(keys.__getitem__, self.day))
            self._derived[name] = got
        return got

    @property
    def holder(self) -> array:
        return self._derive("holder")

    @property
    def topic(self) -> array:
        return self._derive("topic")

    @property
    def polarity(self) -> array:
        return self._derive("polarity")

    def buckets(self, unit: str) -> array:
        return self._derive(f"bucket:{unit}")

    def rows_between(self, first_day: int, last_day: int) -> list[int] | None:
        """The rows dated first_day..last_day, by day (None: every row). The rows sorted
        by day are worked out once, at the first window: a step through windows then
        costs its own rows, not a pass over all of them."""
        if first_day <= 0 and last_day >= OPEN_END:
            return None
        order = self._derived.get("order")
        if order is None:
            order = self._derived["order"] = array("q", sorted(range(len(self.day)),
                                                            key=self.day.__getitem__))
            self._derived["days"] = array("q", map(self.day.__getitem__, order))
        days = self._derived["days"]
        return list(order[bisect_left(days, first_day):bisect_right(days, last_day)])

    def mask(self, first_day: int, last_day: int) -> list[bool] | None:
        """Which rows are dated first_day..last_day; None: every row (the range is open
        at both ends, so undated stances count too)."""
        if first_day <= 0 and last_day >= OPEN_END:
            return None
        return list(map(and_, map(first_day.__le__, self.day), map(last_day.__ge__, self.day)))

    def rows_in(self, first_day: int, last_day: int) -> list[int]:
        m = self.mask(first_day, last_day)
        return list(range(len(self))) if m is None else list(compress(range(len(self)), m))

    def first_last(self) -> tuple[int, int]:
        """The first and last dated day (0, 0 without dates)."""
        dated = [d for d in self.day if d > 0]
        return (min(dated), max(dated)) if dated else (0, 0)

    def remove(self, ids: Iterable[int]) -> int:
        """Drop rows by annotation id; returns how many."""
        return self._drop(sorted({self.ids.index(i) for i in ids if i in self.ids}))

    def remove_articles(self, articles: Iterable[int]) -> int:
        """Drop every row of these articles (before reading their stances again)."""
        wanted = set(articles)
        return self._drop([i for i, a in enumerate(self.article) if a in wanted])

    def _drop(self, at: list[int]) -> int:
        for i in reversed(at):
            for name in self.COLUMNS:
                del getattr(self, name)[i]
        if at:
            self._derived.clear()
        return len(at)

    def rows(self) -> Iterable[tuple[int, ...]]:
        """(id, holder, topic, actor, polarity, day, article) of every row."""
        return zip(self.ids, self.holder, self.topic, self.actor, self.polarity, self.day,
                   self.article, strict=True)

    def add(self, rows: Iterable[Sequence[int]]) -> None:
        """Append rows (id, holder, topic, actor, polarity, day, article)."""
        for r in rows:
            self.ids.append(r[0])
            self.key.append(encode(r[1], r[2], r[4]))
            self.actor.append(r[3])
            self.day.append(r[5])
            self.article.append(r[6])
        self._derived.clear()


OPEN_END = 10 ** 9  # a last day past any date: the range is open at the end


def count_keys(st: Statements, first_day: int, last_day: int, duplicates: str
               ) -> Counter[int]:
    """Stances per key (holder, topic, polarity: see encode) in the day range, with
    duplicates removed as asked."""
    rows = st.rows_between(first_day, last_day)

    def col(c: array) -> Iterable[int]:
        return c if rows is None else map(c.__getitem__, rows)

    if duplicates == "all":
        return Counter(col(st.key))
    other = st.article if duplicates == "article" else st.buckets(duplicates)
    return Counter(map(itemgetter(0), set(zip(col(st.key), col(other), strict=True))))


def count_cells(st: Statements, first_day: int, last_day: int, duplicates: str
                ) -> tuple[Counter[Cell], int]:
    """Stances per (holder, topic, polarity) in the day range, duplicates removed as
    asked; also how many stances in range had no topic (aimed at an actor)."""
    cells: Counter[Cell] = Counter()
    left_out = 0
    for key, n in count_keys(st, first_day, last_day, duplicates).items():
        cell = decode(key)
        if cell[1]:
            cells[cell] = n
        else:
            left_out += n
    return cells, left_out


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
        w, n1, n2 = self.weight[i], self.n1[i], self.n2[i]
        if self.kind == "two-mode":
            n3 = self.n3[i]
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
    if options.kind == "two-mode":
        return two_mode_keys(count_keys(st, first_day, last_day, options.duplicates),
                             options.normalisation)
    from stancemark.core.network_one_mode import one_mode

    cells, left_out = count_cells(st, first_day, last_day, options.duplicates)
    return one_mode(cells, options.kind, options.normalisation, left_out)


def two_mode(cells: Counter[Cell], normalisation: str = "none", left_out: int = 0) -> Network:
    counts = Counter({encode(*c): n for c, n in cells.items()})
    counts[0] += left_out  # (holder 0, no topic): counted as left out below
    return two_mode_keys(counts, normalisation)


def two_mode_keys(counts: Counter[int], normalisation: str = "none") -> Network:
    """The actor x topic network from stances counted per key (count_keys). Works on
    the keys as ints, a pair being key >> 2: 60,000 cells in a few C-level passes."""
    by_polarity: list[dict[int, int]] = [{}, {}, {}]
    left_out = 0
    for key, n in counts.items():
        if (key >> POLARITY_BITS) & TOPIC_MASK:
            by_polarity[key & 3][key >> POLARITY_BITS] = n
        else:
            left_out += n
    s_, o_, n_ = by_polarity
    pairs = sorted(s_.keys() | o_.keys() | n_.keys())
    support = list(map(s_.get, pairs, repeat(0)))
    oppose = list(map(o_.get, pairs, repeat(0)))
    neutral = list(map(n_.get, pairs, repeat(0)))
    weight = list(map(add, map(add, support, oppose), neutral))
    actors = list(map(rshift, pairs, repeat(TOPIC_BITS)))
    topics = list(map(and_, pairs, repeat(TOPIC_MASK)))
    actor_total: Counter[int] = Counter()
    topic_total: Counter[int] = Counter()
    for a, t, w in zip(actors, topics, weight, strict=True):
        actor_total[a] += w
        topic_total[t] += w
    edges = Edges("two-mode")
    edges.a.extend(actors)
    edges.b.extend(topics)
    if normalisation == "activity":
        edges.weight.extend(map(truediv, weight, map(actor_total.__getitem__, actors)))
    elif normalisation == "prominence":
        edges.weight.extend(map(truediv, weight, map(topic_total.__getitem__, topics)))
    else:
        edges.weight.extend(weight)
    edges.n1.extend(support)
    edges.n2.extend(oppose)
    edges.n3.extend(neutral)
    nodes: dict[NodeKey, int] = {("actor", h): c for h, c in sorted(actor_total.items())}
    nodes.update({("topic", t): c for t, c in sorted(topic_total.items())})
    return Network("two-mode", normalisation, nodes, edges, sum(actor_total.values()), left_out)


def degrees(net: Network) -> Counter[NodeKey]:
    e = net.edges
    second = "topic" if net.kind == "two-mode" else "actor"
    out: Counter[NodeKey] = Counter(zip(repeat("actor"), e.a))
    out.update(zip(repeat(second), e.b))
    return out


def strongest(net: Network, limit: int, min_weight: float = 0) -> tuple[list[int], int]:
    """The edges a picture can show, as indexes into net.edges: |weight| >= min_weight,
    at most `limit` of the strongest (ties by position, so the same network always
    shows the same edges); also how many edges passed the weight test. The indexes are
    never all listed: a million edges as a Python list would take some 50 MB."""
    w = net.edges.weight
    n = len(w)
    if min_weight:
        passed = sum(1 for x in w if abs(x) >= min_weight)
        candidates: Iterable[int] = (i for i in range(n) if abs(w[i]) >= min_weight)
    else:
        passed, candidates = n, range(n)
    if passed <= limit:
        return list(candidates), passed
    top = heapq.nsmallest(limit, candidates, key=lambda i: (-abs(w[i]), i))
    return sorted(top), passed
