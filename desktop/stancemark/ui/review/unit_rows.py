"""What a row of the review list says: the unit's state as a symbol and a colour (never
colour alone), each annotator's version inline (`ana: United States | ben: Trump
administration`), the filters by kind of disagreement, and a progress line that adds up.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from stancemark.core.agreement import AGREE, DISAGREE, SINGLE, ReviewUnit
from stancemark.core.palette import POLARITY_COLOURS

if TYPE_CHECKING:
    from stancemark.core.model import Annotation
    from stancemark.store.repository import Repository


@dataclass(frozen=True)
class State:
    symbol: str
    colour: str  # Okabe-Ito: told apart by the colour-blind too, and the symbol says it
    word: str


STATES = {DISAGREE: State("≠", POLARITY_COLOURS["oppose"], "disagree"),
          SINGLE: State("½", "#0072B2", "only one"),
          AGREE: State("=", "#009E73", "agreed")}
DECIDED = {"accept": "✓", "edit": "✎", "reject": "✗"}

# Filter key -> label; `keeps` tests a unit. The default shows the work, the others narrow it.
FILTERS: dict[str, str] = {
    "review": "To settle (disagree + only one)", "all": "All units",
    "disagree": "≠ Disagree", "single": "½ Only one", "agree": "= Agreed",
    "open": "Open (not decided)"}


def keeps(name: str, unit: ReviewUnit, decided: bool) -> bool:
    if name == "review":
        return unit.status != AGREE or decided  # agreed ones once decided, to reopen them
    if name == "open":
        return not decided
    return name == "all" or unit.status == name


def version_text(repo: Repository, a: Annotation | None, show_span: bool) -> str:
    """One annotator's version in a few words: the actor, the date, or the stance's
    polarity, target and holder; the quote first when the spans differ."""
    if a is None:
        return "—"

    def actor(uid: str | None) -> str:
        found = repo.get_actor(uid) if uid else None
        return found.name if found else "?"

    if a.kind == "actor":
        what = actor(a.actor_uid)
    elif a.kind == "date":
        what = a.date_value or "?"
    elif a.kind == "stance":
        topic = repo.get_topic(a.target_topic_uid) if a.target_topic_uid else None
        target = topic.name if topic else actor(a.target_actor_uid)
        sign = {"support": "+", "oppose": "−", "neutral": "0"}.get(a.polarity or "", "?")
        what = f"{sign} {target}" + (f" by {actor(a.holder_uid)}" if a.holder_uid else "")
    else:
        what = a.kind
    if show_span:
        quote = " ".join(a.quote.split())
        quote = quote if len(quote) <= 30 else quote[:29] + "…"
        return f"“{quote}” {what}"
    return what


def row_text(unit: ReviewUnit, quote: str, versions: list[tuple[str, str]],
             done: str | None) -> str:
    """"≠ actor “Taipei”  ana: Taiwan | ben: China  (actor)"; a decided unit starts with
    its decision's mark instead of the state's."""
    state = STATES[unit.status]
    mark = DECIDED.get(done or "", state.symbol)
    quote = " ".join(quote.split())
    quote = quote if len(quote) <= 40 else quote[:39] + "…"
    inline = " | ".join(f"{name}: {v}" for name, v in versions)
    only = ", ".join(name for name, v in versions if v != "—")
    why = {DISAGREE: f"differ: {', '.join(unit.reasons)}", SINGLE: f"only {only}",
           AGREE: "agreed"}[unit.status]
    return f"{mark} {unit.kind}  “{quote}”   {inline}   ({why})"


def progress_text(units: list[ReviewUnit], decided: list[bool]) -> str:
    """"77 units: 40 agreed, 36 to review (1 decided, 35 open), 1 only one (0 decided,
    1 open)": every count a part of the first."""
    def count(status: str) -> tuple[int, int]:
        rows = [d for u, d in zip(units, decided, strict=True) if u.status == status]
        return len(rows), sum(rows)

    agreed, _ = count(AGREE)
    dis, dis_done = count(DISAGREE)
    one, one_done = count(SINGLE)
    return (f"<b>{len(units)}</b> unit(s): {agreed} agreed, "
            f"<b>{dis}</b> to review ({dis_done} decided, {dis - dis_done} open), "
            f"{one} only one ({one_done} decided, {one - one_done} open)")
