"""Colour-blind-safe palettes (Okabe–Ito), used by every view and export."""

from __future__ import annotations

from collections.abc import Iterable

from stancemark.core.builtin_kinds import BUILTIN_KINDS

# Okabe & Ito (2008): distinguishable under protanopia, deuteranopia and tritanopia.
OKABE_ITO: tuple[str, ...] = (
    "#E69F00",  # orange
    "#56B4E9",  # sky blue
    "#009E73",  # bluish green
    "#F0E442",  # yellow
    "#0072B2",  # blue
    "#D55E00",  # vermillion
    "#CC79A7",  # reddish purple
    "#999999",  # grey
)

# The built-in kinds' default colours (the codebook holds each store's own: prefer
# Codebook.colour(kind_uid), which custom kinds have too).
KIND_COLOURS: dict[str, str] = {k.uid: k.colour for k in BUILTIN_KINDS}
POLARITY_COLOURS: dict[str, str] = {"support": "#009E73", "oppose": "#D55E00", "neutral": "#999999"}


# Offered first wherever the user picks an actor's colour: the actor tints, then the
# vermillion and grey the automatic tints leave out (any colour may follow from a dialog).
ACTOR_CHOICES: tuple[tuple[str, str], ...] = (
    ("#56B4E9", "sky blue"), ("#009E73", "bluish green"), ("#F0E442", "yellow"),
    ("#0072B2", "blue"), ("#CC79A7", "reddish purple"), ("#D55E00", "vermillion"),
    ("#999999", "grey"))
_HEX = frozenset("0123456789ABCDEF")


def check_colour(value: object) -> str:
    """An actor's chosen colour as stored: "#RRGGBB" in capitals, or "" for automatic.
    Anything else raises ValueError with a one-line reason."""
    if value is None:
        return ""
    if not isinstance(value, str):
        raise ValueError(f"colour {value!r} is not text")
    text = value.strip().upper()
    if text in ("", "AUTO", "AUTOMATIC"):
        return ""
    if len(text) == 7 and text[0] == "#" and set(text[1:]) <= _HEX:
        return text
    raise ValueError(f"colour {value!r} is not #RRGGBB (or auto)")


def annotator_colour(index: int) -> str:
    return OKABE_ITO[index % len(OKABE_ITO)]


def actor_tint(uid: str) -> str:
    """A stable colour per actor, from its uid (never the date's colour)."""
    return ACTOR_TINTS[sum(uid.encode()) % len(ACTOR_TINTS)]

# Actor mentions are backgrounds like dates, so actors never get the date's orange, nor
# the vermillion that turns the same pale salmon once translucent, nor the grey that
# reads as "nothing": five Okabe–Ito colours; dates are italic besides.
ACTOR_TINTS: tuple[str, ...] = tuple(c for c in OKABE_ITO
                                     if c not in (KIND_COLOURS["date"], "#D55E00", "#999999"))


NEAR = 160  # characters between two mentions that the eye takes in together


class ActorColours:
    """The tint of each actor in one article.

    `assign` is given the article's actor mentions: actors whose mentions come within
    NEAR characters of each other are neighbours, and each actor (in order of first
    mention) keeps its stable colour (actor_tint) unless a neighbour has it already, then
    takes a colour no neighbour has, or with more neighbours than colours the one whose
    nearest holder is furthest away, so "Donald Trump and Taiwan" never share a tint.
    An actor first tagged later gets a colour apart from the actors given one just
    before. `chosen` holds colours the user set per actor; they win.
    """

    def __init__(self, chosen: dict[str, str] | None = None):
        self.chosen = dict(chosen or {})
        self.order: list[str] = []
        self.colours: dict[str, str] = {}

    def assign(self, mentions: Iterable[tuple[int, int, str]]) -> None:
        ordered = sorted(m for m in mentions if m[2])
        near: dict[str, dict[str, int]] = {}
        for i, (_start, end, uid) in enumerate(ordered):
            near.setdefault(uid, {})
            for start2, _end2, other in ordered[i + 1:]:
                gap = start2 - end
                if gap > NEAR:
                    break
                if other != uid:
                    for a, b in ((uid, other), (other, uid)):
                        gaps = near.setdefault(a, {})
                        gaps[b] = min(gap, gaps.get(b, gap))
        for _start, _end, uid in ordered:
            if uid not in self.colours:
                self.colour(uid, near[uid])

    def colour(self, actor_uid: str, neighbours: dict[str, int] | None = None) -> str:
        """`neighbours`: actor uid -> characters between the closest mentions."""
        known = self.colours.get(actor_uid)
        if known is not None:
            return known
        if neighbours is None:  # tagged later: apart from the last ones given
            recent = self.order[-(len(ACTOR_TINTS) - 1):]
            neighbours = {u: len(recent) - i for i, u in enumerate(recent)}
        colour = self.chosen.get(actor_uid) or self._free(actor_uid, neighbours)
        self.order.append(actor_uid)
        self.colours[actor_uid] = colour
        return colour

    def _free(self, actor_uid: str, neighbours: dict[str, int]) -> str:
        closest: dict[str, int] = {}  # colour -> gap to its nearest neighbour holding it
        for other, gap in neighbours.items():
            # a neighbour's chosen colour counts before its turn comes: it will have it
            c = self.colours.get(other) or self.chosen.get(other)
            if c is not None:
                closest[c] = min(gap, closest.get(c, gap))
        start = ACTOR_TINTS.index(actor_tint(actor_uid))
        turn = [ACTOR_TINTS[(start + k) % len(ACTOR_TINTS)] for k in range(len(ACTOR_TINTS))]
        # max() keeps the first of equals: the stable colour when nobody near has it
        return max(turn, key=lambda c: closest.get(c, NEAR + 1))
