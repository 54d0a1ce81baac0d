"""One-mode (actor x actor) networks: congruence, conflict, subtract (formulas and DNA's
names in core/network.py), computed with big integers as vectors.

The weights are sums over (topic, polarity) cells of products of two actors' counts.
Pair by pair in Python, a corpus of 2,000 actors took over 30 s (5 million pair
updates: the most active actors speak on every topic). Here each cell's counts over
all actors are one Python integer with a 64-bit field per actor (actor k's count at
bits 64k..64k+63), so "add n times this cell to actor a's row" is one C-level multiply
and add of a 16 kB number; a row is then read back as an array of 64-bit ints and
its non-zero fields become edges, with C-level maps doing the normalising. No field
can carry into the next: a field's total is at most n_a * n_b, far below 2**64.

Rows: for actor a, C_a = sum over a's cells (t, q) of a_tq * V_tq (V the cell's count
vector) holds congruence(a, b) in field b; X_a = sum over a's cells of a_tq * V_t,-q
holds conflict(a, b). For Jaccard, O_a = sum of a_tq * B_tq (B the cell's 0/1 vector)
gives the stances of a in cells b shares, and D_a = sum of V_tq those of b in cells a
shares: m10 = n_a - O_a[b], m01 = n_b - D_a[b], m11 = C_a[b].
"""

from __future__ import annotations

import sys
from array import array
from collections import Counter, defaultdict
from itertools import compress, repeat
from math import sqrt
from operator import add, mul, sub, truediv

from stancemark.core.network import NEUTRAL, Cell, Edges, Network, NodeKey


def one_mode(cells: Counter[Cell], kind: str = "congruence", normalisation: str = "none",
             left_out: int = 0) -> Network:
    groups: dict[tuple[int, int], list[tuple[int, int]]] = defaultdict(list)
    total: Counter[int] = Counter()  # n_a: support and oppose stances
    squares: Counter[int] = Counter()  # sums of squared cell counts (cosine)
    for (h, t, p), n in cells.items():
        if p == NEUTRAL:
            left_out += n
            continue
        groups[(t, p)].append((h, n))
        total[h] += n
        squares[h] += n * n
    actors = sorted(total)
    edges = Edges(kind)
    nodes: dict[NodeKey, int] = {("actor", h): total[h] for h in actors}
    if len(actors) > 1:
        _pairs(groups, actors, total, squares, kind, normalisation, edges)
    return Network(kind, normalisation, nodes, edges, sum(total.values()), left_out, cells)


def _pairs(groups: dict[tuple[int, int], list[tuple[int, int]]], actors: list[int],
           total: Counter[int], squares: Counter[int], kind: str, normalisation: str,
           edges: Edges) -> None:
    size = len(actors)
    width = 8 * size
    index = {a: i for i, a in enumerate(actors)}
    order = sys.byteorder  # array("Q") is in the machine's byte order

    def vector(members: list[tuple[int, int]], binary: bool = False) -> int:
        fields = array("Q", bytes(width))
        for a, n in members:
            fields[index[a]] = 1 if binary else n
        return int.from_bytes(fields.tobytes(), order)

    need_cong = kind in ("congruence", "subtract") or normalisation == "jaccard"
    need_conf = kind in ("conflict", "subtract")
    jaccard = normalisation == "jaccard"
    counts = {g: vector(m) for g, m in groups.items()}
    ones = {g: vector(m, binary=True) for g, m in groups.items()} if jaccard else {}
    cells_of: dict[int, list[tuple[tuple[int, int], int]]] = defaultdict(list)
    for g, members in groups.items():
        for a, n in members:
            cells_of[a].append((g, n))
    n_of = array("q", (total[a] for a in actors))
    norm_of = array("d", (sqrt(squares[a]) for a in actors))
    ids = array("q", actors)

    def read(row: int, start: int) -> array:
        fields = array("Q")
        fields.frombytes(row.to_bytes(width, order))
        return array("q", fields[start:])

    zeros = array("q")
    for i, a in enumerate(actors):
        cong = conf = over = dual = 0
        for g, n in cells_of[a]:
            v = counts[g]
            if need_cong:
                cong += v if n == 1 else n * v
            if need_conf:
                w = counts.get((g[0], 1 - g[1]))
                if w:
                    conf += w if n == 1 else n * w
            if jaccard:
                over += n * ones[g]
                dual += v
        start = i + 1
        c = read(cong, start) if need_cong else zeros
        x = read(conf, start) if need_conf else zeros
        raw = c if kind == "congruence" else x if kind == "conflict" else \
            array("q", map(sub, c, x))
        ks = list(compress(range(len(raw)), raw))
        if not ks:
            continue
        js = list(map(add, ks, repeat(start)))
        values = list(map(raw.__getitem__, ks))
        if normalisation == "average":
            denom = map(truediv, map(add, repeat(n_of[i]), map(n_of.__getitem__, js)), repeat(2))
        elif normalisation == "cosine":
            denom = map(mul, repeat(norm_of[i]), map(norm_of.__getitem__, js))
        elif jaccard:
            o, d = read(over, start), read(dual, start)
            # (n_a - O[b]) + (n_b - D[b]) + C[b]
            denom = map(add, map(add, map(sub, repeat(n_of[i]), map(o.__getitem__, ks)),
                                 map(sub, map(n_of.__getitem__, js), map(d.__getitem__, ks))),
                        map(c.__getitem__, ks))
        else:
            denom = None
        edges.a.extend(repeat(a, len(ks)))
        edges.b.extend(map(ids.__getitem__, js))
        # every denominator is positive: each actor here has stances (n_a > 0)
        edges.weight.extend(values if denom is None else map(truediv, values, denom))
        edges.n1.extend(map(c.__getitem__, ks) if need_cong else repeat(0, len(ks)))
        edges.n2.extend(map(x.__getitem__, ks) if need_conf else repeat(0, len(ks)))
