"""Inter-annotator agreement: span matching, precision/recall/F1, Cohen's kappa and
Krippendorff's nominal alpha on labels, and (in core.unitizing) unitizing alpha.

Spans come as plain records (`Span`) or, from the store in bulk, as columns
(`core.span_table.SpanTable`); the figures are computed on columns with NumPy
(core.agreement_columns), so the CLI, the window and the tests share one computation.
Spans are grouped by (article, kind): a span only ever matches a span of the same
kind in the same article. Offsets are code points, end-exclusive.

Matching (per pair of annotators A, B):
- exact: same start and end;
- overlap: spans sharing at least one character, paired one-to-one greedily, exact
  matches first, then by the longest shared stretch.
Precision treats A as the reference (matched / |B|), recall matched / |A|, and
F1 = 2 * matched / (|A| + |B|), which is symmetric in A and B.

Nominal alpha takes its values per review unit (overlapping spans of one kind): one
value per annotator, and when one annotator has two or more spans in one unit, the
label of their first in text order (earliest start, then the longer) counts.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from operator import attrgetter, itemgetter
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from stancemark.core.codebook import Codebook
    from stancemark.core.span_table import SpanTable

# Which label fields are compared per kind (what "agree on the label" means).
# Custom span kinds have no such labels (their attributes: core.attribute_agreement).
LABEL_FIELDS: dict[str, tuple[str, ...]] = {
    "actor": ("actor",),
    "date": ("date",),
    "stance": ("polarity", "target", "holder"),
}


# A codebook attribute's value travels in Span.labels under "@" + its uid, so a review
# unit can differ on any attribute (the reason names it the same way; readable_reasons
# turns it into the attribute's name).
ATTRIBUTE_LABEL = "@"


def attribute_label(attribute_uid: str) -> str:
    return ATTRIBUTE_LABEL + attribute_uid


def readable_reasons(reasons: Iterable[str], book: Codebook | None) -> list[str]:
    """What differs, in words: an attribute's reason as the attribute's name."""
    out = []
    for r in reasons:
        attr = book.attribute(r[1:]) if book is not None and r.startswith(ATTRIBUTE_LABEL) else None
        out.append(attr.name if attr is not None else r.removeprefix(ATTRIBUTE_LABEL))
    return out


@dataclass(slots=True, eq=False)
class Span:
    """One annotation as agreement sees it. (Not frozen: a frozen dataclass's __init__
    costs several times more, and 200,000 of these are built per report.)"""

    article: str
    annotator: str
    kind: str
    start: int
    end: int
    # What is compared per kind (LABEL_FIELDS): uids, row ids or values; equality only.
    labels: dict[str, Any] = field(default_factory=dict, compare=False)
    uid: str = ""

    def label(self, name: str) -> Any:
        return self.labels.get(name)


# ------------------------------------------------------------------ matching

def match_spans(a: Sequence[Span], b: Sequence[Span], mode: str = "exact"
                ) -> list[tuple[Span, Span]]:
    """One-to-one pairs of spans from `a` and `b` (same article and kind assumed)."""
    if mode not in ("exact", "overlap"):
        raise ValueError(f"unknown matching mode {mode!r}")
    exact, extra = _match(a, b, overlap=mode == "overlap")
    return exact + extra


def _match(a: Sequence[Span], b: Sequence[Span], overlap: bool
           ) -> tuple[list[tuple[Span, Span]], list[tuple[Span, Span]]]:
    """(exact pairs, further pairs by overlap among the spans left), for spans in text
    order. The plain definition, for a few spans: compute_agreement pairs whole corpora
    the same way with array operations (core.agreement_columns)."""
    by_bounds: dict[tuple[int, int], list[Span]] = {}
    for s in b:
        by_bounds.setdefault((s.start, s.end), []).append(s)
    pairs: list[tuple[Span, Span]] = []
    left_a: list[Span] = []
    for s in a:
        bucket = by_bounds.get((s.start, s.end))
        if bucket:
            pairs.append((s, bucket.pop(0)))
        else:
            left_a.append(s)
    if not overlap:
        return pairs, []
    left_b = sorted((s for bucket in by_bounds.values() for s in bucket), key=_by_start)
    # Every overlapping pair with its shared length; longest first, then text order.
    cands = sorted((-(min(s.end, t.end) - max(s.start, t.start)), i, j)
                   for i, s in enumerate(left_a) for j, t in enumerate(left_b)
                   if t.start < s.end and t.end > s.start)
    used_a: set[int] = set()
    used_b: set[int] = set()
    extra: list[tuple[Span, Span]] = []
    for _, i, j in cands:
        if i not in used_a and j not in used_b:
            used_a.add(i)
            used_b.add(j)
            extra.append((left_a[i], left_b[j]))
    return pairs, extra


def _text_order(s: Span) -> tuple[int, int]:
    return (s.start, -s.end)


_by_start = attrgetter("start")


def clusters(spans: Iterable[Span]) -> list[list[Span]]:
    """Connected groups of overlapping spans (one article and kind): review "units"."""
    return clusters_sorted(sorted(spans, key=_text_order))


def clusters_sorted(ordered: Sequence[Span]) -> list[list[Span]]:
    """clusters() of spans already in text order (start, then longer first)."""
    out: list[list[Span]] = []
    reach = -1
    for s in ordered:
        if out and s.start < reach:
            out[-1].append(s)
            reach = max(reach, s.end)
        else:
            out.append([s])
            reach = s.end
    return out


# ------------------------------------------------------------------ figures

@dataclass
class PRF:
    matched: int = 0
    n_a: int = 0
    n_b: int = 0

    def add(self, other: PRF) -> None:
        self.matched += other.matched
        self.n_a += other.n_a
        self.n_b += other.n_b

    @property
    def precision(self) -> float | None:
        return self.matched / self.n_b if self.n_b else None

    @property
    def recall(self) -> float | None:
        return self.matched / self.n_a if self.n_a else None

    @property
    def f1(self) -> float | None:
        total = self.n_a + self.n_b
        return 2 * self.matched / total if total else None


def cohen_kappa(pairs: Sequence[tuple[Any, Any]]) -> float | None:
    """Cohen's kappa over (value of A, value of B) pairs; None when undefined
    (no pairs, or both annotators always used one and the same value)."""
    n = len(pairs)
    if not n:
        return None
    observed = sum(1 for x, y in pairs if x == y) / n
    ca = Counter(map(itemgetter(0), pairs))
    cb = Counter(map(itemgetter(1), pairs))
    expected = sum(ca[v] * cb.get(v, 0) for v in ca) / (n * n)
    if expected == 1:
        return None
    return (observed - expected) / (1 - expected)


def nominal_alpha(units: Iterable[Sequence[Any]]) -> float | None:
    """Krippendorff's alpha, nominal metric. Each unit is the list of values the
    annotators gave it (missing values left out). Units with fewer than two
    values are not pairable and drop out. None when undefined (one value only)."""
    # Counts stay ints (exact) until a unit of three or more values adds a fraction.
    coincidence: defaultdict[tuple[Any, Any], float] = defaultdict(int)
    for values in units:
        m = len(values)
        if m < 2:
            continue
        if m == 2:  # the common case, without building a Counter
            x, y = values
            if x == y:
                coincidence[(x, x)] += 2
            else:
                coincidence[(x, y)] += 1
                coincidence[(y, x)] += 1
            continue
        counts = Counter(values)
        for c, nc in counts.items():
            for k, nk in counts.items():
                pairs = nc * (nc - 1) if c == k else nc * nk
                if pairs:
                    coincidence[(c, k)] += pairs / (m - 1)
    totals: defaultdict[Any, float] = defaultdict(int)
    for (c, _), v in coincidence.items():
        totals[c] += v
    n = sum(totals.values())
    if n <= 1:
        return None
    disagree_o = sum(v for (c, k), v in coincidence.items() if c != k)
    disagree_e = (n * n - sum(v * v for v in totals.values())) / (n - 1)
    if disagree_e == 0:
        return None
    return 1 - disagree_o / disagree_e


# ------------------------------------------------------------------ report

@dataclass(frozen=True, slots=True)
class Figure:
    """One figure of an agreement report (one row of the table/CSV/JSON)."""

    scope: str  # "corpus" or an article uid
    kind: str  # "actor" | "date" | "stance" | "all"
    pair: str  # "A|B" (annotator uids) or "all"
    measure: str  # e.g. "f1_overlap", "kappa_polarity", "alpha_actor", "u_alpha"
    value: float | None
    n: int  # units the figure rests on


@dataclass
class AgreementReport:
    annotators: list[str]
    figures: list[Figure] = field(default_factory=list)

    def get(self, measure: str, kind: str = "all", pair: str = "all",
            scope: str = "corpus") -> Figure | None:
        for f in self.figures:
            if (f.measure, f.kind, f.pair, f.scope) == (measure, kind, pair, scope):
                return f
        return None


def compute_agreement(spans: Iterable[Span] | SpanTable, annotators: Sequence[str],
                      lengths: dict[str, int], *, by: str = "corpus",
                      kinds: Sequence[str] = ("actor", "date", "stance")) -> AgreementReport:
    """Every figure for `annotators` (two or more uids) over `spans` (Span records, or
    a SpanTable as store.review reads them in bulk).

    lengths: article uid -> text length in code points (the continuum of u-alpha).
    by: "corpus" (one set of figures) or "article" (per article, then the corpus).
    Computed on columns (core.agreement_columns): one sort and a few array passes
    instead of a Python step per span.
    """
    import numpy as np

    from stancemark.core import agreement_columns as columns
    from stancemark.core.span_table import SpanTable

    if len(annotators) < 2:
        raise ValueError("agreement needs two or more annotators")
    table = spans if isinstance(spans, SpanTable) else SpanTable.from_spans(spans)
    names = {n for k in kinds for n in LABEL_FIELDS.get(k, ())}
    prep = columns.prepare(table, annotators, kinds, lengths, names)
    pairs = columns.pairs_of(len(annotators))
    matches = [columns.match_pair(prep, a, b) for a, b in pairs]
    units = columns.units(prep)
    report = AgreementReport(list(annotators))
    codes = {uid: i for i, uid in enumerate(table.articles)}
    # The corpus continuum: every article asked about or holding a span.
    corpus: dict[int, int] = {}
    for uid in dict.fromkeys([*lengths, *(table.articles[a] for a in
                                         np.unique(prep.g_article).tolist())]):
        corpus[codes.setdefault(uid, len(codes))] = lengths.get(uid, 0)
    one = _Scoping(["corpus"], np.zeros(len(prep.g_kind), dtype=np.int64), [corpus])
    report.figures += _figures(prep, matches, units, one, annotators, kinds)
    if by == "article":
        arts = np.unique(prep.g_article).tolist()
        continua: list[dict[int, int]] = [{} for _ in table.articles]
        for a in arts:
            continua[a] = {a: lengths.get(table.articles[a], 0)}
        each = _Scoping(table.articles, prep.g_article, continua,
                        sorted(arts, key=table.articles.__getitem__))
        report.figures += _figures(prep, matches, units, each, annotators, kinds)
    return report


@dataclass
class _Scoping:
    """Scopes figures are reported for: names, each group's scope, each scope's
    continuum (article code -> length), and which scopes to report, in order."""

    names: Sequence[str]
    of_group: Any  # numpy array: scope per (article, kind) group
    continua: list[dict[int, int]]
    shown: Sequence[int] = (0,)


def _figures(prep: Any, matches: list, units: Any, scoping: _Scoping,
             annotators: Sequence[str], kinds: Sequence[str]) -> list[Figure]:
    import numpy as np

    from stancemark.core import agreement_columns as columns
    from stancemark.core.unitizing_columns import tally

    n_scopes, n_kinds = len(scoping.names), len(kinds)
    size = n_scopes * n_kinds
    of_group = scoping.of_group
    row_key = of_group[prep.group] * n_kinds + prep.g_kind[prep.group]
    pairs = columns.pairs_of(len(annotators))
    pair_names = ["|".join((annotators[a], annotators[b])) for a, b in pairs]
    # Per pair, per (scope, kind): spans of each side, exact and further matches.
    counts = []
    for (a, b), m in zip(pairs, matches, strict=True):
        n_a = np.bincount(row_key[prep.rater == a], minlength=size).tolist()
        n_b = np.bincount(row_key[prep.rater == b], minlength=size).tolist()
        exact = np.bincount(row_key[m.exact_a], minlength=size).tolist()
        extra = np.bincount(row_key[m.extra_a], minlength=size).tolist()
        counts.append((exact, extra, n_a, n_b))
    kappas: dict[tuple[int, int, str], tuple[list[int], list[int], list[int]]] = {}
    alphas: dict[tuple[int, str], tuple] = {}
    for k, kind in enumerate(kinds):
        for pi, m in enumerate(matches):
            a, b = m.a, m.b
            mine = prep.g_kind[prep.group[a]] == k
            a, b = a[mine], b[mine]
            for name in LABEL_FIELDS.get(kind, ()):
                kappas[pi, k, name] = columns.kappa_terms(
                    prep, a, b, name, of_group[prep.group[a]], n_scopes)
        for name in LABEL_FIELDS.get(kind, ()):
            alphas[k, name] = columns.alpha_terms(prep, units, name, k, of_group, n_scopes)
    d_o, d_e, n_units = tally(prep, of_group, n_scopes, scoping.continua)
    out: list[Figure] = []
    for sc in scoping.shown:
        scope = scoping.names[sc]
        prf_all = {mode: [PRF() for _ in pairs] for mode in ("exact", "overlap")}
        for k, kind in enumerate(kinds):
            key = sc * n_kinds + k
            for mode in ("exact", "overlap"):
                total = PRF()
                for pi, (exact, extra, n_a, n_b) in enumerate(counts):
                    matched = exact[key] + (extra[key] if mode == "overlap" else 0)
                    r = PRF(matched, n_a[key], n_b[key])
                    total.add(r)
                    prf_all[mode][pi].add(r)
                    out += _prf_figures(scope, kind, pair_names[pi], mode, r)
                out += _prf_figures(scope, kind, "all", mode, total)
            for pi in range(len(pairs)):
                for name in LABEL_FIELDS.get(kind, ()):
                    n, agree, chance = (t[sc] for t in kappas[pi, k, name])
                    out.append(Figure(scope, kind, pair_names[pi], f"kappa_{name}",
                                      columns.kappa_from(n, agree, chance), n))
            for name in LABEL_FIELDS.get(kind, ()):
                n_pairable, observed, n, totals_sq = (t[sc] for t in alphas[k, name])
                out.append(Figure(scope, kind, "all", f"alpha_{name}",
                                  columns.nominal_alpha_from(observed, n, totals_sq),
                                  n_pairable))
            out.append(Figure(scope, kind, "all", "u_alpha",
                              _u_alpha([d_o[sc][k]], [d_e[sc][k]]), n_units[sc][k]))
        for mode in ("exact", "overlap"):
            total = PRF()
            for pi in range(len(pairs)):
                total.add(prf_all[mode][pi])
                out += _prf_figures(scope, "all", pair_names[pi], mode, prf_all[mode][pi])
            out += _prf_figures(scope, "all", "all", mode, total)
        out.append(Figure(scope, "all", "all", "u_alpha", _u_alpha(d_o[sc], d_e[sc]),
                          sum(n_units[sc])))
    return out


def _u_alpha(d_o: Sequence[float], d_e: Sequence[float]) -> float | None:
    """u-alpha from each category's (D_o, D_e), as UnitizingTally.alpha sums them."""
    o = e = 0.0
    for x, y in zip(d_o, d_e, strict=True):
        o += x
        e += y
    return None if e == 0 else 1 - o / e


def _prf_figures(scope: str, kind: str, pair: str, mode: str, r: PRF) -> list[Figure]:
    n = r.n_a + r.n_b
    return [Figure(scope, kind, pair, f"precision_{mode}", r.precision, r.n_b),
            Figure(scope, kind, pair, f"recall_{mode}", r.recall, r.n_a),
            Figure(scope, kind, pair, f"f1_{mode}", r.f1, n)]


# ------------------------------------------------------------------ review units

AGREE, DISAGREE, SINGLE = "agree", "disagree", "single"


@dataclass(frozen=True, slots=True)
class ReviewUnit:
    """A span, or overlapping spans of one kind, as the reviewer walks them."""

    kind: str
    start: int
    end: int
    status: str  # agree | disagree | single
    spans: tuple[Span, ...]
    # what differs: "span", "actor", "polarity", ..., "@<attribute uid>" (readable_reasons)
    reasons: tuple[str, ...] = ()


def review_units(spans: Iterable[Span], annotators: Sequence[str]) -> list[ReviewUnit]:
    """Units of one article for the chosen annotators, in text order."""
    wanted = set(annotators)
    by_kind: dict[str, list[Span]] = defaultdict(list)
    for s in spans:
        if s.annotator in wanted:
            by_kind[s.kind].append(s)
    units: list[ReviewUnit] = []
    for kind, kind_spans in by_kind.items():
        for group in clusters(kind_spans):
            who = {s.annotator for s in group}
            start = min(s.start for s in group)
            end = max(s.end for s in group)
            if len(who) < 2:
                units.append(ReviewUnit(kind, start, end, SINGLE, tuple(group)))
                continue
            reasons = []
            if len({(s.start, s.end) for s in group}) > 1 or len(group) != len(who):
                reasons.append("span")
            for name in LABEL_FIELDS.get(kind, ()):
                if len({s.label(name) for s in group}) > 1:
                    reasons.append(name)
            # any attribute one of them set (unset on another counts as a difference)
            attrs = dict.fromkeys(n for s in group for n in s.labels
                                  if n.startswith(ATTRIBUTE_LABEL))
            for name in attrs:
                if len({s.label(name) for s in group}) > 1:
                    reasons.append(name)
            status = DISAGREE if reasons or len(who) < len(wanted) else AGREE
            if len(who) < len(wanted) and not reasons:
                reasons.append("missing")
            units.append(ReviewUnit(kind, start, end, status, tuple(group), tuple(reasons)))
    units.sort(key=lambda u: (u.start, u.end, u.kind))
    return units
