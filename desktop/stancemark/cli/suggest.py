"""`stancemark suggest`: register names and dates proposed over many articles.

Without --apply it prints a summary; with --apply it stores the suggestions as
annotations of a separate annotator ("suggestions" unless --annotator-name says
otherwise, never a person's layer), so a team reviews them like a colleague's work;
running it again adds nothing twice. --evaluate --against NAME scores the suggestions
against NAME's tags: precision, recall and F1, exact and overlapping, per kind, and for
dates the share of matched spans whose value agrees.
"""

from __future__ import annotations

import argparse
import sys
from collections import Counter
from collections.abc import Iterator
from typing import TYPE_CHECKING

from stancemark.core.errors import StancemarkError

if TYPE_CHECKING:
    from stancemark.cli.common import StderrProgress, Subparsers
    from stancemark.core.model import Annotation
    from stancemark.core.suggest import AliasMatcher
    from stancemark.store.repository import Repository
    from stancemark.store.suggest_apply import ScopeArticle

SUGGESTABLE = ("actor", "date")


def register(sub: Subparsers) -> None:
    s = sub.add_parser("suggest", help="propose actor mentions (register names and aliases) and "
                       "dates in many articles; --apply stores them as a separate annotator's")
    s.add_argument("--kinds", default="actor,date", metavar="KINDS",
                   help="comma-separated: actor, date (default both)")
    s.add_argument("--search", metavar="QUERY", help="only articles matching this full-text query")
    s.add_argument("--status", choices=["new", "in progress", "done"],
                   help="only articles with this status (for the current annotator)")
    s.add_argument("--apply", action="store_true",
                   help="store the suggestions as annotations of --annotator-name")
    s.add_argument("--annotator-name", default="suggestions", metavar="NAME",
                   help="the annotator --apply stores under (default: suggestions); never "
                        "one holding a person's annotations")
    s.add_argument("--evaluate", action="store_true",
                   help="score the suggestions against the tags of --against NAME")
    s.add_argument("--against", metavar="NAME", help="the annotator --evaluate compares with")
    s.set_defaults(func=cmd_suggest)


def _kinds(text: str) -> tuple[str, ...]:
    kinds = tuple(dict.fromkeys(k.strip().lower() for k in text.split(",") if k.strip()))
    bad = [k for k in kinds if k not in SUGGESTABLE]
    if bad or not kinds:
        raise StancemarkError(f"--kinds: suggestions are of kinds actor and date, not "
                              f"{', '.join(bad) or 'none'}")
    return kinds


def build_matcher(repo: Repository) -> AliasMatcher:
    """The live register's names and aliases, less those the team's decisions muted."""
    from stancemark.core.suggest import AliasMatcher, muted_aliases

    names = [(a.uid, n) for a in repo.list_actors() for n in (a.name, *a.aliases)]
    counts = getattr(repo, "suggestion_alias_counts", None)  # the window's decisions
    muted = muted_aliases(counts()) if callable(counts) else set()
    return AliasMatcher(names, muted)


def cmd_suggest(args: argparse.Namespace, repo: Repository) -> int:
    kinds = _kinds(args.kinds)
    if args.evaluate and args.apply:
        raise StancemarkError("--evaluate and --apply do not go together: evaluate first")
    if args.evaluate:
        if not args.against:
            raise StancemarkError("--evaluate needs --against NAME (whose tags to compare with)")
        return _evaluate(args, repo, kinds)
    if args.against:
        raise StancemarkError("--against goes with --evaluate")
    if args.apply:
        return _apply(args, repo, kinds)
    return _summary(args, repo, kinds)


def _articles(args: argparse.Namespace, repo: Repository) -> tuple[int, Iterator[ScopeArticle]]:
    from stancemark.store.suggest_apply import articles_in_scope

    total = repo.count_articles(args.search, args.status)
    return total, articles_in_scope(repo, args.search, args.status)


def _summary(args: argparse.Namespace, repo: Repository, kinds: tuple[str, ...]) -> int:
    from stancemark.cli.common import StderrProgress
    from stancemark.core.suggest import suggest

    matcher = build_matcher(repo)
    total, articles = _articles(args, repo)
    per_kind: Counter[str] = Counter()
    valueless = with_any = 0
    with StderrProgress("suggest") as progress:
        for i, art in enumerate(articles):
            progress(i, total)
            found = suggest(art.text, matcher, art.published or None, kinds=kinds)
            with_any += bool(found)
            per_kind.update(s.kind for s in found)
            valueless += sum(1 for s in found if s.kind == "date" and s.date_value is None)
    print(f"articles: {total} ({with_any} with suggestions)")
    for kind in kinds:
        extra = (f" ({valueless} without a value, which --apply leaves out)"
                 if kind == "date" and valueless else "")
        print(f"{kind}: {per_kind[kind]} suggestion(s){extra}")
    return 0


def _apply(args: argparse.Namespace, repo: Repository, kinds: tuple[str, ...]) -> int:
    from stancemark.cli.common import StderrProgress
    from stancemark.store.suggest_apply import holds_own_work, store_suggestions

    name = args.annotator_name.strip()
    if not name:
        raise StancemarkError("--annotator-name is empty")
    if name == repo.annotator.name:
        raise StancemarkError(f"--annotator-name {name!r} is this session's own annotator: "
                              "suggestions go to a separate layer (e.g. the default, suggestions)")
    known = repo.annotator_by_name(name)
    if known is not None and (known.is_gold or holds_own_work(repo, known.uid)):
        raise StancemarkError(f"annotator {name!r} holds a person's annotations: pick another "
                              "--annotator-name for the suggestions")
    annotator = repo.ensure_annotator(name)
    matcher = build_matcher(repo)
    total, articles = _articles(args, repo)
    counts: Counter[str] = Counter()
    with StderrProgress("suggest --apply") as progress:
        stored = store_suggestions(repo, _new_annotations(
            repo, articles, total, matcher, kinds, annotator.uid, counts, progress))
    left = counts["no value"]
    print(f"stored {stored} suggestion(s) as annotations of {name!r} "
          f"({', '.join(f'{k} {counts[k]}' for k in kinds)}) in {counts['articles']} of "
          f"{total} article(s)" + (f"; {left} date(s) without a value left out" if left else ""))
    return 0


def _new_annotations(repo: Repository, articles: Iterator[ScopeArticle], total: int,
                     matcher: AliasMatcher, kinds: tuple[str, ...], annotator_uid: str,
                     counts: Counter[str], progress: StderrProgress) -> Iterator[Annotation]:
    from stancemark.core.model import now_iso
    from stancemark.core.suggest import suggest
    from stancemark.store.suggest_apply import (
        articles_with_spans,
        spans_of,
        suggested_annotation,
        suggestion_uid,
    )

    seen = articles_with_spans(repo, annotator_uid)
    for i, art in enumerate(articles):
        progress(i, total)
        existing, uids = spans_of(repo, art.uid, annotator_uid) if art.uid in seen else ([], set())
        found = suggest(art.text, matcher, art.published or None, kinds=kinds, existing=existing)
        stamp = now_iso()  # one per article: its suggestions are made together
        added = False
        for s in found:
            if s.kind == "date" and s.date_value is None:
                counts["no value"] += 1
                continue
            uid = suggestion_uid(art.uid, annotator_uid, s.key)
            if uid in uids:
                continue  # stored by an earlier run and trashed since: not again
            fields = ({"actor_uid": s.actor_uid} if s.kind == "actor" else
                      {"date_value": s.date_value, "date_granularity": s.date_granularity})
            counts[s.kind] += 1
            added = True
            yield suggested_annotation(uid, art.uid, annotator_uid, s.kind, s.start, s.end,
                                       s.quote, fields, s.alias or s.quote, stamp)
        counts["articles"] += added


def _evaluate(args: argparse.Namespace, repo: Repository, kinds: tuple[str, ...]) -> int:
    from stancemark.cli.common import StderrProgress
    from stancemark.core.suggest import suggest
    from stancemark.core.suggest.evaluate import Scores, score

    against = repo.annotator_by_name(args.against)
    if against is None:
        names = ", ".join(a.name for a in repo.list_annotators()) or "none"
        raise StancemarkError(f"--against: no annotator {args.against!r} (the store has {names})")
    matcher = build_matcher(repo)
    total, articles = _articles(args, repo)
    scores: dict[str, Scores] = {k: Scores() for k in kinds}
    with StderrProgress("suggest --evaluate") as progress:
        for i, art in enumerate(articles):
            progress(i, total)
            tags = repo.list_annotations(art.uid, [against.uid], kinds=kinds)
            found = suggest(art.text, matcher, art.published or None, kinds=kinds)
            score([(s.kind, s.start, s.end, s.actor_uid, s.date_value) for s in found],
                  [(t.kind, t.start, t.end, t.actor_uid, t.date_value) for t in tags], scores)
    if not any(s.tagged for s in scores.values()):
        raise StancemarkError(f"annotator {args.against!r} has no {' or '.join(kinds)} tags "
                              "in these articles: nothing to evaluate against")
    print(f"suggestions against {args.against!r} over {total} article(s)")
    print(f"{'kind':<6} {'tags':>6} {'sugg.':>6}  {'P exact':>7} {'R exact':>7} {'F1 exact':>8}"
          f"  {'P overl.':>8} {'R overl.':>8} {'F1 overl.':>9}  values agree")
    for kind in kinds:
        s = scores[kind]
        agree = f"{s.value_agreement:.3f} of {s.values_compared}" if kind == "date" else "—"
        print(f"{kind:<6} {s.tagged:>6} {s.suggested:>6}  {s.precision(True):>7.3f} "
              f"{s.recall(True):>7.3f} {s.f1(True):>8.3f}  {s.precision(False):>8.3f} "
              f"{s.recall(False):>8.3f} {s.f1(False):>9.3f}  {agree}")
    sys.stdout.flush()
    return 0
