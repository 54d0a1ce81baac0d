"""Where to draw the nodes of a discourse network: pure Python, deterministic, stable.

networkx's layouts need numpy, which the frozen app leaves out; and a force layout
of a few thousand nodes in pure Python takes seconds. This layout reads the actor x
topic structure instead, which is what a discourse network is about:

1. Topics go on a circle, in an order that keeps topics with shared actors near each
   other (greedy: each next topic is the one sharing the most stances with the last).
2. Each actor goes to the weighted mean of its topics' places, pulled inwards, so
   actors who speak on the same topics sit together; actors on one place are spread on
   a sunflower spiral around it so none hide another.
3. Small networks then get a few rounds of force-directed polish (Fruchterman-Reingold
   with a grid for repulsion), limited by a work budget so large ones stay fast.

One-mode networks use the same places for their actors (the topics are not drawn):
actors who agree on the same topics end up close, and switching between congruence,
conflict and subtract, or stepping through time windows, moves nothing. Positions are
in [-1, 1]; the same input always gives the same picture.
"""

from __future__ import annotations

import math
import zlib
from collections import Counter, defaultdict
from collections.abc import Sequence

Key = tuple[str, int]
GOLDEN = math.pi * (3 - math.sqrt(5))  # the golden angle, for sunflower spirals
POLISH_BUDGET = 400_000  # pair computations allowed for the force polish
POLISH_NODES = 600  # larger networks keep the places read from their structure


def _jitter(key: Key) -> float:
    """A stable number in [0, 1) per node (not Python's hash: that changes per run)."""
    return zlib.crc32(f"{key[0]}:{key[1]}".encode()) / 2 ** 32


def topic_order(weights: dict[tuple[int, int], int]) -> list[int]:
    """Topics ordered so that neighbours share actors; weights: (actor, topic) -> stances."""
    by_actor: dict[int, list[tuple[int, int]]] = defaultdict(list)
    size: Counter[int] = Counter()
    for (a, t), w in weights.items():
        by_actor[a].append((t, w))
        size[t] += w
    if not size:
        return []
    share: dict[int, Counter[int]] = defaultdict(Counter)
    for topics in by_actor.values():
        topics = sorted(topics, key=lambda tw: -tw[1])[:6]  # an actor's main topics
        for t, w in topics:
            for u, v in topics:
                if u != t:
                    share[t][u] += min(w, v)
    left = set(size)
    order = [max(left, key=lambda t: (size[t], -t))]
    left.discard(order[0])
    while left:
        last = share[order[-1]]
        nxt = max(left, key=lambda t: (last.get(t, 0), size[t], -t))
        order.append(nxt)
        left.discard(nxt)
    return order


def layout(weights: dict[tuple[int, int], int], extra_actors: Sequence[int] = (),
           polish: bool = True, gap: float = 0.0) -> dict[Key, tuple[float, float]]:
    """Places for ("topic", id) and ("actor", id) nodes from the actor x topic weights
    (stances per pair); `extra_actors`: actors with no topic (stances at actors only);
    `gap`: the least distance between two nodes' centres (in the [-1, 1] square) that
    small networks are then pushed apart to, so that drawn nodes do not cover each
    other."""
    order = topic_order(weights)
    pos: dict[Key, tuple[float, float]] = {}
    n = len(order)
    for i, t in enumerate(order):
        angle = 2 * math.pi * i / max(n, 1) - math.pi / 2
        pos[("topic", t)] = (math.cos(angle), math.sin(angle)) if n > 1 else (0.0, 0.0)
    sums: dict[int, list[float]] = defaultdict(lambda: [0.0, 0.0, 0.0])
    for (a, t), w in weights.items():
        x, y = pos[("topic", t)]
        s = sums[a]
        s[0] += w * x
        s[1] += w * y
        s[2] += w
    spots: dict[tuple[int, int], list[int]] = defaultdict(list)
    raw: dict[int, tuple[float, float]] = {}
    for a, (sx, sy, sw) in sums.items():
        x, y = sx / sw, sy / sw
        r = math.hypot(x, y)
        if r > 0:  # pull inwards a little, so actors never sit on their topic
            f = min(r, 0.82) / r
            x, y = x * f, y * f
        raw[a] = (x, y)
        spots[(round(x * 40), round(y * 40))].append(a)
    for a in extra_actors:
        if a not in raw:
            raw[a] = (0.0, 0.0)
            spots[(0, 0)].append(a)
    for members in spots.values():
        members.sort()
        for k, a in enumerate(members):
            x, y = raw[a]
            if len(members) > 1:  # a sunflower around the shared spot
                r = 0.018 * math.sqrt(k + 0.5)
                angle = k * GOLDEN + 2 * math.pi * _jitter(("actor", a))
                x, y = x + r * math.cos(angle), y + r * math.sin(angle)
            pos[("actor", a)] = (x, y)
    if polish and 2 < len(pos) <= POLISH_NODES:
        _polish(pos, weights)
    pos = _fit(pos)
    if gap > 0 and len(pos) <= POLISH_NODES:
        _separate(pos, gap)
        pos = _fit(pos)
    return pos


def _separate(pos: dict[Key, tuple[float, float]], gap: float, rounds: int = 40) -> None:
    """Push apart nodes closer than `gap` (half the overlap each way), a few rounds."""
    nodes = sorted(pos)
    for _ in range(rounds):
        moved = False
        grid: dict[tuple[int, int], list[Key]] = defaultdict(list)
        for v in nodes:
            grid[(int(pos[v][0] // gap), int(pos[v][1] // gap))].append(v)
        for (cx, cy), members in grid.items():
            near = [u for dx in (-1, 0, 1) for dy in (-1, 0, 1)
                    for u in grid.get((cx + dx, cy + dy), ())]
            for v in members:
                for u in near:
                    if u <= v:
                        continue
                    (vx, vy), (ux, uy) = pos[v], pos[u]
                    dx, dy = ux - vx, uy - vy
                    dist = math.hypot(dx, dy)
                    if dist >= gap:
                        continue
                    if dist < 1e-9:  # on the same spot: a stable direction per pair
                        angle = 2 * math.pi * _jitter(u)
                        dx, dy, dist = math.cos(angle), math.sin(angle), 1.0
                    push = (gap - dist) / 2 / dist
                    pos[v] = (vx - dx * push, vy - dy * push)
                    pos[u] = (ux + dx * push, uy + dy * push)
                    moved = True
        if not moved:
            break


def _polish(pos: dict[Key, tuple[float, float]], weights: dict[tuple[int, int], int]) -> None:
    """A few Fruchterman-Reingold rounds: edges pull, nearby nodes push (grid cells of
    size k, so each node meets only its neighbours). Topics stay on their circle."""
    nodes = list(pos)
    n = len(nodes)
    rounds = min(60, POLISH_BUDGET // max(1, 9 * n + len(weights)))
    if rounds < 2:
        return
    k = 1.6 / math.sqrt(n)
    temp = 0.08
    edges = [(("actor", a), ("topic", t), w) for (a, t), w in weights.items()]
    heavy = max((w for *_, w in edges), default=1)
    for _ in range(rounds):
        disp = {v: [0.0, 0.0] for v in nodes}
        grid: dict[tuple[int, int], list[Key]] = defaultdict(list)
        for v in nodes:
            x, y = pos[v]
            grid[(int(x // k), int(y // k))].append(v)
        for (cx, cy), members in grid.items():
            near = [u for dx in (-1, 0, 1) for dy in (-1, 0, 1)
                    for u in grid.get((cx + dx, cy + dy), ())]
            for v in members:
                vx, vy = pos[v]
                d = disp[v]
                for u in near:
                    if u is v:
                        continue
                    ux, uy = pos[u]
                    dx, dy = vx - ux, vy - uy
                    dist2 = dx * dx + dy * dy or 1e-9
                    f = k * k / dist2
                    d[0] += dx * f
                    d[1] += dy * f
        for a, t, w in edges:
            (ax, ay), (tx, ty) = pos[a], pos[t]
            dx, dy = ax - tx, ay - ty
            dist = math.hypot(dx, dy) or 1e-9
            f = dist / k * (0.3 + 0.7 * w / heavy)  # |pull| = dist^2 / k, by weight
            disp[a][0] -= dx * f
            disp[a][1] -= dy * f
        for v in nodes:
            if v[0] == "topic":
                continue
            dx, dy = disp[v]
            length = math.hypot(dx, dy)
            if length > 0:
                step = min(length, temp)
                x, y = pos[v]
                pos[v] = (x + dx / length * step, y + dy / length * step)
        temp *= 0.93


def _fit(pos: dict[Key, tuple[float, float]]) -> dict[Key, tuple[float, float]]:
    """Scale into [-1, 1] keeping the aspect."""
    if not pos:
        return pos
    xs = [p[0] for p in pos.values()]
    ys = [p[1] for p in pos.values()]
    cx, cy = (max(xs) + min(xs)) / 2, (max(ys) + min(ys)) / 2
    half = max(max(xs) - min(xs), max(ys) - min(ys)) / 2 or 1.0
    return {k: ((x - cx) / half, (y - cy) / half) for k, (x, y) in pos.items()}


def place_new(pos: dict[Key, tuple[float, float]], key: Key,
              neighbours: list[Key]) -> tuple[float, float]:
    """A place for a node that appeared after the layout (a new tag): the mean of its
    neighbours that have places, nudged so it does not cover one; else near the centre."""
    known = [pos[n] for n in neighbours if n in pos]
    j = _jitter(key)
    if known:
        x = sum(p[0] for p in known) / len(known)
        y = sum(p[1] for p in known) / len(known)
    else:
        x = y = 0.0
    angle = 2 * math.pi * j
    return (x * 0.8 + 0.05 * math.cos(angle), y * 0.8 + 0.05 * math.sin(angle))
