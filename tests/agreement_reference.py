"""A plain, per-span computation of every agreement figure, the way the definitions in
core.agreement read: the yardstick the array version (core.agreement_columns) is
checked against. Built from the per-span building blocks (match_spans, clusters,
cohen_kappa, nominal_alpha, UnitizingTally), each tested against worked examples."""

from __future__ import annotations

import itertools
from collections import defaultdict

from stancemark.core.agreement import (
    LABEL_FIELDS,
    PRF,
    Figure,
    Span,
    clusters,
    cohen_kappa,
    match_spans,
    nominal_alpha,
)
from stancemark.core.unitizing import UnitizingTally


def reference_figures(spans: list[Span], annotators: list[str], lengths: dict[str, int],
                      by: str, kinds: tuple[str, ...]) -> list[Figure]:
    groups: dict[tuple[str, str], dict[str, list[Span]]] = {}
    for s in spans:
        if s.annotator in annotators and s.kind in kinds:
            groups.setdefault((s.article, s.kind), {}).setdefault(s.annotator, []).append(s)
    for group in groups.values():
        for bucket in group.values():
            bucket.sort(key=lambda s: (s.start, -s.end))  # stable: input order at ties
    corpus = {a: lengths.get(a, 0) for a in set(lengths) | {a for a, _ in groups}}
    out = _scope("corpus", list(groups), groups, annotators, kinds, corpus)
    if by == "article":
        for art in sorted({a for a, _ in groups}):
            keys = [k for k in groups if k[0] == art]
            out += _scope(art, keys, groups, annotators, kinds, {art: lengths.get(art, 0)})
    return out


def _prf(scope: str, kind: str, pair: str, mode: str, r: PRF) -> list[Figure]:
    return [Figure(scope, kind, pair, f"precision_{mode}", r.precision, r.n_b),
            Figure(scope, kind, pair, f"recall_{mode}", r.recall, r.n_a),
            Figure(scope, kind, pair, f"f1_{mode}", r.f1, r.n_a + r.n_b)]


def _scope(scope: str, keys: list, groups: dict, annotators: list[str], kinds: tuple[str, ...],
           lengths: dict[str, int]) -> list[Figure]:
    pairs = list(itertools.combinations(annotators, 2))
    tally = UnitizingTally(annotators, kinds, lengths)
    prf_all = {(m, p): PRF() for m in ("exact", "overlap") for p in pairs}
    out: list[Figure] = []
    for kind in kinds:
        names = LABEL_FIELDS[kind]
        prf = {(m, p): PRF() for m in ("exact", "overlap") for p in pairs}
        labels: dict[tuple, list] = defaultdict(list)
        units: dict[str, list[list]] = {n: [] for n in names}
        for key in [k for k in keys if k[1] == kind]:
            by_ann = groups[key]
            for p in pairs:
                a, b = by_ann.get(p[0], []), by_ann.get(p[1], [])
                exact = match_spans(a, b, "exact")
                overlap = match_spans(a, b, "overlap")
                prf["exact", p].add(PRF(len(exact), len(a), len(b)))
                prf["overlap", p].add(PRF(len(overlap), len(a), len(b)))
                for n in names:
                    labels[p, n] += [(x.label(n), y.label(n)) for x, y in overlap]
            members = [s for ann in annotators for s in by_ann.get(ann, [])]
            for unit in clusters(members):
                first: dict[str, Span] = {}
                for s in unit:
                    first.setdefault(s.annotator, s)
                for n in names:
                    units[n].append([s.label(n) for s in first.values()])
            tally.add(key[0], kind, by_ann)
        for mode in ("exact", "overlap"):
            total = PRF()
            for p in pairs:
                total.add(prf[mode, p])
                prf_all[mode, p].add(prf[mode, p])
                out += _prf(scope, kind, "|".join(p), mode, prf[mode, p])
            out += _prf(scope, kind, "all", mode, total)
        for p in pairs:
            for n in names:
                out.append(Figure(scope, kind, "|".join(p), f"kappa_{n}",
                                  cohen_kappa(labels[p, n]), len(labels[p, n])))
        for n in names:
            out.append(Figure(scope, kind, "all", f"alpha_{n}", nominal_alpha(units[n]),
                              sum(1 for u in units[n] if len(u) >= 2)))
        out.append(Figure(scope, kind, "all", "u_alpha", tally.alpha(kind), tally.units(kind)))
    for mode in ("exact", "overlap"):
        total = PRF()
        for p in pairs:
            total.add(prf_all[mode, p])
            out += _prf(scope, "all", "|".join(p), mode, prf_all[mode, p])
        out += _prf(scope, "all", "all", mode, total)
    out.append(Figure(scope, "all", "all", "u_alpha", tally.alpha(None), tally.units(None)))
    return out
