"""Inter-annotator agreement: span matching, precision/recall/F1, Cohen's kappa and
Krippendorff's nominal alpha on labels, and (in core.unitizing) unitizing alpha.

Pure Python over plain records (`Span`), so the CLI, the window and the tests share it.
Spans are grouped by (article, kind): a span only ever matches a span of the same
kind in the same article. Offsets are code points, end-exclusive.

Matching (per pair of annotators A, B):
- exact: same start and end;
- overlap: spans sharing at least one character, paired one-to-one greedily, exact
  matches first, then by the longest shared stretch.
Precision treats A as the reference (matched / |B|), recall matched / |A|, and
F1 = 2 * matched / (|A| + |B|), which is symmetric in A and B.
"""

from __future__ import annotations

import bisect
import itertools
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from operator import attrgetter, itemgetter
from typing import Any

# Which label fields are compared per kind (what "agree on the label" means).
LABEL_FIELDS: dict[str, tuple[str, ...]] = {
    "actor": ("actor",),
    "date": ("date",),
    "stance": ("polarity", "target", "holder"),
}


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
    """(exact pairs, further pairs by overlap among the spans left)."""
    by_bounds: dict[tuple[int, int], list[Span]] = {}
    for s in b:
        key = (s.start, s.end)
        if key in by_bounds:
            by_bounds[key].append(s)
        else:
            by_bounds[key] = [s]
    pairs: list[tuple[Span, Span]] = []
    left_a: list[Span] = []
    for s in a:
        bucket = by_bounds.get((s.start, s.end))
        if bucket:
            pairs.append((s, bucket.pop(0)))
        else:
            left_a.append(s)
    if not overlap or not left_a or len(pairs) == len(b):
        return pairs, []
    left_b = [s for bucket in by_bounds.values() for s in bucket]
    left_b.sort(key=_by_start)  # stable, as before: equal starts keep bucket order
    starts = [s.start for s in left_b]
    # Candidate pairs with their shared length; a span is short, so each `a` meets few `b`.
    cands: list[tuple[int, int, int]] = []
    for i, s in enumerate(left_a):
        hi = bisect.bisect_left(starts, s.end)
        for j in range(hi - 1, -1, -1):
            t = left_b[j]
            if t.end > s.start:
                cands.append((-(min(s.end, t.end) - max(s.start, t.start)), i, j))
            elif s.start - t.start > _MAX_SPAN:
                break
    cands.sort()
    used_a: set[int] = set()
    used_b: set[int] = set()
    extra: list[tuple[Span, Span]] = []
    for _, i, j in cands:
        if i not in used_a and j not in used_b:
            used_a.add(i)
            used_b.add(j)
            extra.append((left_a[i], left_b[j]))
    return pairs, extra


# Spans are sentences at most; looking further back than this for an overlapping
# earlier span only wastes time. (A longer span still matches when it starts later.)
_MAX_SPAN = 100_000


def _text_order(s: Span) -> tuple[int, int]:
    return (s.start, -s.end)


_by_start, _by_end = attrgetter("start"), attrgetter("end")


def _sort_text_order(spans: list[Span]) -> None:
    """Sort in place by _text_order, stably: two sorts with C-level keys (end descending,
    then start) give the same order without a Python call per span."""
    spans.sort(key=_by_end, reverse=True)  # reverse=True keeps equal items in order
    spans.sort(key=_by_start)


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


# The bucket of a key not seen yet: empty (so never appended to) and told apart by
# identity from None, which marks a bucket that is not wanted.
_UNSEEN: list[Span] = []


def compute_agreement(spans: Iterable[Span], annotators: Sequence[str],
                      lengths: dict[str, int], *, by: str = "corpus",
                      kinds: Sequence[str] = ("actor", "date", "stance")) -> AgreementReport:
    """Every figure for `annotators` (two or more uids) over `spans`.

    lengths: article uid -> text length in code points (the continuum of u-alpha).
    by: "corpus" (one set of figures) or "article" (per article, then the corpus).
    """
    from stancemark.core.unitizing import UnitizingTally

    if len(annotators) < 2:
        raise ValueError("agreement needs two or more annotators")
    wanted = set(annotators)
    wanted_kinds = set(kinds)
    # One lookup per span on (article, kind, annotator); whether the annotator and kind
    # are wanted is decided once per such bucket (None: not wanted), not per span.
    buckets: dict[tuple[str, str, str], list[Span] | None] = {}
    for s in spans:
        k = (s.article, s.kind, s.annotator)
        bucket = buckets.get(k, _UNSEEN)
        if bucket:
            bucket.append(s)
        elif bucket is _UNSEEN:
            buckets[k] = [s] if s.annotator in wanted and s.kind in wanted_kinds else None
    groups: dict[tuple[str, str], dict[str, list[Span]]] = {}
    for (art, kind, ann), bucket in buckets.items():
        if bucket is not None:
            groups.setdefault((art, kind), {})[ann] = bucket
    # Each annotator's spans in text order (longer first at one start), once: matching,
    # clustering and the u-alpha segments then walk them without sorting again.
    for group in groups.values():
        for bucket in group.values():
            _sort_text_order(bucket)
    pairs = list(itertools.combinations(annotators, 2))
    report = AgreementReport(list(annotators))
    corpus_lengths = {a: lengths.get(a, 0) for a in set(lengths) | {a for a, _ in groups}}
    report.figures += _figures("corpus", list(groups), groups, pairs, annotators, kinds,
                               corpus_lengths, UnitizingTally)
    if by == "article":
        per_article: dict[str, list[tuple[str, str]]] = defaultdict(list)
        for key in groups:
            per_article[key[0]].append(key)
        for art in sorted(per_article):
            report.figures += _figures(art, per_article[art], groups, pairs, annotators, kinds,
                                       {art: lengths.get(art, 0)}, UnitizingTally)
    return report


def _figures(scope: str, keys: list[tuple[str, str]], groups: dict, pairs: list[tuple[str, str]],
             annotators: Sequence[str], kinds: Sequence[str], lengths: dict[str, int],
             tally_cls: Any) -> list[Figure]:
    out: list[Figure] = []
    prf_all = {m: {p: PRF() for p in pairs} for m in ("exact", "overlap")}
    tally = tally_cls(annotators, kinds, lengths)
    by_kind: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for key in keys:
        by_kind[key[1]].append(key)
    for kind in kinds:
        names = LABEL_FIELDS[kind]
        prf = {m: {p: PRF() for p in pairs} for m in ("exact", "overlap")}
        # Counts per pair as plain ints in the loop (exact matched, extra matched, |A|, |B|);
        # PRF objects are filled once at the end.
        counts = {p: [0, 0, 0, 0] for p in pairs}
        label_pairs: dict[tuple[str, str], dict[str, list]] = {
            p: {n: [] for n in names} for p in pairs}
        alpha_units: dict[str, list[list[Any]]] = {n: [] for n in names}
        alpha_lists = [alpha_units[n] for n in names]
        single_name = names[0] if len(names) == 1 else None
        for key in by_kind.get(kind, ()):
            by_ann = groups[key]
            for p in pairs:
                a, b = by_ann.get(p[0], ()), by_ann.get(p[1], ())
                c = counts[p]
                c[2] += len(a)
                c[3] += len(b)
                if not (a and b):
                    continue
                exact, extra = _match(a, b, overlap=True)
                c[0] += len(exact)
                c[1] += len(extra)
                matched = exact + extra if extra else exact
                if not matched:
                    continue
                lp = label_pairs[p]
                for n in names:
                    lp[n] += [(x.labels.get(n), y.labels.get(n)) for x, y in matched]
            present = [by_ann[ann] for ann in annotators if ann in by_ann]
            if len(present) == 1:
                # One annotator only: every span is its own value list, in text order as
                # clusters() would give (the bucket is sorted already).
                units = clusters_sorted(present[0])
            else:
                members = [s for bucket in present for s in bucket]
                _sort_text_order(members)
                units = clusters_sorted(members)
            for unit in units:
                if len(unit) == 1:
                    labels = unit[0].labels
                    if single_name is not None:
                        alpha_lists[0].append([labels.get(single_name)])
                    else:
                        for n, lst in zip(names, alpha_lists, strict=True):
                            lst.append([labels.get(n)])
                    continue
                first: dict[str, Span] = {}
                for s in unit:
                    if s.annotator not in first:
                        first[s.annotator] = s
                firsts = [s.labels for s in first.values()]
                if len(firsts) == 2:  # the common case, without a comprehension per name
                    la, lb = firsts
                    for n, lst in zip(names, alpha_lists, strict=True):
                        lst.append([la.get(n), lb.get(n)])
                else:
                    for n, lst in zip(names, alpha_lists, strict=True):
                        lst.append([lab.get(n) for lab in firsts])
            tally.add(key[0], kind, by_ann, presorted=True)
        for p in pairs:
            m_exact, m_extra, n_a, n_b = counts[p]
            prf["exact"][p].add(PRF(m_exact, n_a, n_b))
            prf["overlap"][p].add(PRF(m_exact + m_extra, n_a, n_b))
        for mode in ("exact", "overlap"):
            total = PRF()
            for p in pairs:
                r = prf[mode][p]
                total.add(r)
                prf_all[mode][p].add(r)
                out += _prf_figures(scope, kind, "|".join(p), mode, r)
            out += _prf_figures(scope, kind, "all", mode, total)
        for p in pairs:
            for n in names:
                vals = label_pairs[p][n]
                out.append(Figure(scope, kind, "|".join(p), f"kappa_{n}", cohen_kappa(vals),
                                  len(vals)))
        for n in names:
            units = alpha_units[n]
            out.append(Figure(scope, kind, "all", f"alpha_{n}", nominal_alpha(units),
                              sum(1 for u in units if len(u) >= 2)))
        out.append(Figure(scope, kind, "all", "u_alpha", tally.alpha(kind), tally.units(kind)))
    for mode in ("exact", "overlap"):
        total = PRF()
        for p in pairs:
            total.add(prf_all[mode][p])
            out += _prf_figures(scope, "all", "|".join(p), mode, prf_all[mode][p])
        out += _prf_figures(scope, "all", "all", mode, total)
    out.append(Figure(scope, "all", "all", "u_alpha", tally.alpha(None), tally.units(None)))
    return out


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
    reasons: tuple[str, ...] = ()  # what differs: "span", "actor", "polarity", ...


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
            status = DISAGREE if reasons or len(who) < len(wanted) else AGREE
            if len(who) < len(wanted) and not reasons:
                reasons.append("missing")
            units.append(ReviewUnit(kind, start, end, status, tuple(group), tuple(reasons)))
    units.sort(key=lambda u: (u.start, u.end, u.kind))
    return units
