"""`stancemark settle`: settle review units into the gold layer from the command line.

The same units as review mode (core.agreement.review_units of the chosen annotators)
and the same commands (core.adjudication): each decision is the record, gold
annotation and audit entries the window's keys would write, with the current annotator
as reviewer, so review mode shows it as decided and can take it back (its Reopen
button, key O, itself undoable with Ctrl+Z), as `settle reopen` does. A unit is named ARTICLE:KIND:START-END, ARTICLE being the
article's uid or a unique start of it (the list prints 8 characters).
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING

from stancemark.core.errors import StancemarkError

if TYPE_CHECKING:
    from stancemark.cli.common import Subparsers
    from stancemark.core.adjudication import Decision
    from stancemark.core.agreement import ReviewUnit
    from stancemark.store.repository import Repository
    from stancemark.store.review import ReviewStore

ACTIONS = ("list", "accept", "agreed", "reject", "reopen")


def register(sub: Subparsers) -> None:
    s = sub.add_parser(
        "settle", help="settle review units into gold from the command line (as review mode)",
        description="List the review units of the chosen annotators and settle them into the "
                    "gold layer as review mode does: accept one annotator's version, accept "
                    "every unit all agree on, reject, or reopen a decided unit.",
        epilog="examples:\n"
               "  stancemark settle list                       the open units (--all: every unit)\n"
               "  stancemark settle agreed                     accept every unit all agree on\n"
               "  stancemark settle accept ana --kind actor    Ana's version of every open actor unit\n"
               "  stancemark settle accept ben 3f2a9c1e:stance:120-164\n"
               "  stancemark settle reject 3f2a9c1e:date:30-39\n"
               "  stancemark settle reopen 3f2a9c1e:date:30-39 take a decision back",
        formatter_class=argparse.RawDescriptionHelpFormatter)
    s.add_argument("action", choices=ACTIONS)
    s.add_argument("words", nargs="*", metavar="NAME|UNIT",
                   help="accept: the annotator whose version goes to gold, then units (none: "
                        "every open unit they marked); reject, reopen: units")
    s.add_argument("--annotators", metavar="A,B[,C]",
                   help="annotators under review (default: every one with annotations, as "
                        "review mode ticks them)")
    s.add_argument("--kind", metavar="KIND", help="only units of this span kind (a name or uid "
                   "of the codebook: actor, date, stance or a custom kind)")
    s.add_argument("--article", metavar="UID", help="only this article (uid or a start of it)")
    s.add_argument("--all", action="store_true", help="list: every unit, decided and agreed too")
    s.set_defaults(func=cmd_settle)


@dataclass
class Unit:
    article_uid: str
    unit: ReviewUnit
    decision: Decision | None

    @property
    def name(self) -> str:
        return f"{self.article_uid[:8]}:{self.unit.kind}:{self.unit.start}-{self.unit.end}"

    @property
    def open(self) -> bool:
        return self.decision is None and self.unit.status != "agree"


def cmd_settle(args: argparse.Namespace, repo: Repository) -> int:
    from stancemark.cli.review import chosen_annotators
    from stancemark.store.review import ReviewStore

    review = ReviewStore(repo)
    anns = chosen_annotators(review, args.annotators)
    names = {a.uid: a.name for a in anns}
    article = _article(repo, args.article) if args.article else None
    kind = None
    if args.kind:  # the codebook's kinds, custom ones included
        book = repo.codebook()
        found = book.kind_by_name(args.kind) or book.kind(args.kind)
        if found is None:
            raise StancemarkError(f"no span kind called {args.kind!r} in the codebook")
        kind = found.uid
    units = list(_units(repo, review, [a.uid for a in anns], article, kind))
    if args.action == "list":
        return _list(repo, units, names, args.all)
    words = list(args.words)
    with repo.tx():  # every decision of one command, or none
        if args.action == "agreed":
            agreed = [u for u in units if u.unit.status == "agree" and u.decision is None]
            for u in agreed:  # the first annotator's version, as "Accept all agreed"
                _decide(repo, review, u, "accept", u.unit.spans[0].uid)
            print(f"{len(agreed)} agreed unit(s) accepted into gold")
        elif args.action == "accept":
            if not words:
                raise StancemarkError("accept needs the annotator whose version goes to gold")
            who = next((uid for uid, n in names.items() if n == words[0]), None)
            if who is None:
                raise StancemarkError(f"{words[0]!r} is not one of the annotators under review "
                                      f"({', '.join(names.values())})")
            chosen = _named(units, words[1:]) if words[1:] else [u for u in units if u.open]
            done, skipped = 0, 0
            for u in chosen:
                source = next((s.uid for s in u.unit.spans if s.annotator == who), None)
                if source is None:
                    if words[1:]:
                        raise StancemarkError(f"{words[0]} did not mark {u.name}")
                    skipped += 1
                    continue
                _decide(repo, review, u, "accept", source)
                done += 1
            print(f"{done} unit(s): {words[0]}'s version accepted into gold"
                  + (f"; {skipped} open unit(s) {words[0]} did not mark left open" if skipped
                     else ""))
        elif args.action == "reject":
            chosen = _named(units, words)
            for u in chosen:
                _decide(repo, review, u, "reject", None)
            print(f"{len(chosen)} unit(s) rejected (nothing goes into gold)")
        else:  # reopen
            from stancemark.core.adjudication import Reopen

            chosen = _named(units, words)
            for u in chosen:
                if u.decision is None:
                    raise StancemarkError(f"{u.name} is not decided")
                Reopen(review, u.decision).apply(repo)
            print(f"{len(chosen)} unit(s) reopened")
    return 0


def _article(repo: Repository, prefix: str) -> str:
    uids = [u for u in repo.article_uids() if u.startswith(prefix)]
    if len(uids) != 1:
        raise StancemarkError(f"{prefix!r} names {'no' if not uids else len(uids)} article(s)")
    return uids[0]


def _units(repo: Repository, review: ReviewStore, annotators: list[str], article: str | None,
           kind: str | None) -> Iterator[Unit]:
    from collections import defaultdict

    from stancemark.core.agreement import review_units

    by_article: dict[str, list] = defaultdict(list)
    for s in review.spans(annotators, (kind,) if kind else None, article_uid=article):
        by_article[s.article].append(s)
    order = {uid: i for i, uid in enumerate(repo.article_uids())}
    for art in sorted(by_article, key=lambda a: order.get(a, len(order))):
        decisions = review.decisions(art)
        for unit in review_units(by_article[art], annotators):
            sources = {s.uid for s in unit.spans}
            decision = next((d for d in decisions if sources & set(d.source_uids)), None)
            yield Unit(art, unit, decision)


def _named(units: list[Unit], words: list[str]) -> list[Unit]:
    if not words:
        raise StancemarkError("name the unit(s): ARTICLE:KIND:START-END (see `settle list`)")
    out = []
    for word in words:
        art, _, rest = word.partition(":")
        found = [u for u in units if u.article_uid.startswith(art)
                 and f"{u.unit.kind}:{u.unit.start}-{u.unit.end}" == rest]
        if len(found) != 1:
            raise StancemarkError(f"{word}: {'no' if not found else 'more than one'} unit of the "
                                  "annotators under review (see `settle list`)")
        out.append(found[0])
    return out


def _decide(repo: Repository, review: ReviewStore, u: Unit, decision: str,
            source_uid: str | None) -> None:
    """The window's own command (ReviewPanel._run), applied here."""
    from stancemark.core.adjudication import adjudicate

    source = repo.get_annotation(source_uid) if source_uid else None
    gold = review.gold_annotator()
    me = repo.annotator
    adjudicate(review, u.unit, decision, source, gold_annotator_uid=gold.uid,
               reviewer_uid=me.uid, reviewer_name=me.name).apply(repo)


def _list(repo: Repository, units: list[Unit], names: dict[str, str], every: bool) -> int:
    from stancemark.core.agreement import readable_reasons

    texts: dict[str, str] = {}
    book = repo.codebook()
    shown = [u for u in units if every or u.open]
    for u in shown:
        if u.article_uid not in texts:
            texts.clear()  # one article's text at a time
            art = repo.get_article(u.article_uid)
            texts[u.article_uid] = art.text if art else ""
        unit = u.unit
        quote = " ".join(texts[u.article_uid][unit.start:unit.end].split())
        quote = quote if len(quote) <= 40 else quote[:39] + "…"
        who = ", ".join(sorted({names.get(s.annotator, "?") for s in unit.spans}))
        why = ("only " + who if unit.status == "single" else
               "differ: " + ", ".join(readable_reasons(unit.reasons, book)) if unit.reasons
               else "agree: " + who)
        state = u.decision.decision if u.decision else ("open" if u.open else "agree")
        print(f"{u.name:<28} {state:<7} “{quote}”  {why}")
    open_units = sum(1 for u in units if u.open)
    # On stderr: standard output stays one line per unit, for scripts.
    print(f"{open_units} open unit(s) of {len(units)}; {sum(1 for u in units if u.decision)} "
          "decided", file=sys.stderr)
    return 0
