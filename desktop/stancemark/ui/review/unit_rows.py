"""What a row of the review list says: the unit's state as a symbol and a colour (never
colour alone), each annotator's version inline (`ana: United States | ben: Trump
administration`), each attribute they differ on with what each chose (`intensity: ana 4 |
ben 2`), the filters by kind of disagreement, and a progress line that adds up.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from stancemark.core.agreement import (
    AGREE,
    ATTRIBUTE_LABEL,
    DISAGREE,
    SINGLE,
    ReviewUnit,
    readable_reasons,
)
from stancemark.core.palette import POLARITY_COLOURS

if TYPE_CHECKING:
    from stancemark.core.codebook import Codebook
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
    else:  # a custom kind: its name and what its attributes say
        book = repo.codebook()
        readable = "; ".join(f"{k}: {v}" for k, v in book.readable(a.attributes).items())
        what = readable or book.name(a.kind)
    if show_span:
        quote = " ".join(a.quote.split())
        quote = quote if len(quote) <= 30 else quote[:29] + "…"
        return f"“{quote}” {what}"
    return what


def attribute_differences(book: Codebook, unit: ReviewUnit,
                          annotators: list[tuple[str, str]]) -> list[str]:
    """For each attribute the unit differs on, what each annotator chose: "intensity:
    ana 4 | ben 2" (`annotators`: (uid, name) in the list's order; "—" unset or absent)."""
    first: dict[str, dict[str, object]] = {}
    for s in unit.spans:  # an annotator's first span in text order, as agreement takes it
        first.setdefault(s.annotator, s.labels)
    out = []
    for reason in unit.reasons:
        attr = book.attribute(reason[1:]) if reason.startswith(ATTRIBUTE_LABEL) else None
        if attr is None:
            continue
        chose = []
        for uid, name in annotators:
            value = first.get(uid, {}).get(reason)
            if isinstance(value, frozenset):
                value = sorted(value)
            chose.append(f"{name} {attr.show(value) if value is not None else '—'}")
        out.append(f"{attr.name}: " + " | ".join(chose))
    return out


def row_text(unit: ReviewUnit, quote: str, versions: list[tuple[str, str]],
             done: str | None, book: Codebook | None = None,
             differences: list[str] | None = None) -> str:
    """"≠ actor “Taipei”  ana: Taiwan | ben: China  (actor)"; a decided unit starts with
    its decision's mark instead of the state's; the attributes it differs on follow the
    versions ("intensity: ana 4 | ben 2"), named from the codebook (`book`)."""
    state = STATES[unit.status]
    mark = DECIDED.get(done or "", state.symbol)
    quote = " ".join(quote.split())
    quote = quote if len(quote) <= 40 else quote[:39] + "…"
    inline = " | ".join(f"{name}: {v}" for name, v in versions)
    if differences and len({v for _name, v in versions}) == 1:
        # they differ on attributes only: the version once, after what differs
        inline = f"{'both' if len(versions) == 2 else 'all'}: {versions[0][1]}"
    only = ", ".join(name for name, v in versions if v != "—")
    why = {DISAGREE: f"differ: {', '.join(readable_reasons(unit.reasons, book))}",
           SINGLE: f"only {only}", AGREE: "agreed"}[unit.status]
    kind = book.name(unit.kind) if book is not None else unit.kind
    # what they differ on first: a long version would push it out of sight
    attrs = "".join(f"{d}   " for d in differences or ())
    return f"{mark} {kind}  “{quote}”   {attrs}{inline}   ({why})"


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
