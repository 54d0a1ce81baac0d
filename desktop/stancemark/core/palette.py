"""Colour-blind-safe palettes (Okabe–Ito), used by every view and export."""

from __future__ import annotations

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

KIND_COLOURS: dict[str, str] = {"actor": "#56B4E9", "date": "#E69F00", "stance": "#CC79A7"}
POLARITY_COLOURS: dict[str, str] = {"support": "#009E73", "oppose": "#D55E00", "neutral": "#999999"}


def annotator_colour(index: int) -> str:
    return OKABE_ITO[index % len(OKABE_ITO)]


def actor_tint(uid: str) -> str:
    """A stable colour per actor, from its uid."""
    return OKABE_ITO[sum(uid.encode()) % (len(OKABE_ITO) - 1)]
