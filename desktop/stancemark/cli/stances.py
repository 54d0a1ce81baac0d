"""The discourse tables on the command line: `stances` and `mentions`.

    stancemark stances [filters] [--sort COLUMN [--desc]] [--limit N]
                       [--format table|csv|json] [--out FILE]
    stancemark mentions [--actor NAME] [filters] ...

The same filter as the window's stance table (core/stance_filter.py), the same rows.
`table` is for reading (long cells cut); `csv` (RFC 4180, formula cells neutralised)
and `json` (one array) carry every column, including codebook attributes (columns in
formats/stance_table.py).
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO, TYPE_CHECKING

from stancemark.core.errors import StancemarkError
from stancemark.core.stance_filter import MENTION_SORTS, STANCE_SORTS, StanceFilter

if TYPE_CHECKING:
    from stancemark.cli.common import Subparsers
    from stancemark.store.repository import Repository


def add_filter_arguments(s: argparse._ActionsContainer, *, mentions: bool = False,
                         dates: bool = True) -> None:
    """The stance table's filters as options (`stances`, `mentions`, `export`)."""
    if mentions:
        s.add_argument("--actor", dest="holder", metavar="NAME",
                       help="mentions linked to actors whose name or an alias contains NAME")
    else:
        s.add_argument("--holder", metavar="NAME",
                       help="stances of actors whose name or an alias contains NAME")
        s.add_argument("--target", metavar="NAME",
                       help="stances on topics (or actors, by name or alias) containing NAME")
        s.add_argument("--polarity", metavar="P[,P]", help="support, oppose, neutral")
        s.add_argument("--note", metavar="TEXT", help="the stance's note contains TEXT")
        s.add_argument("--attr", action="append", default=[], metavar="NAME=VALUE",
                       help="a codebook attribute has this value (repeatable)")
    if dates and not mentions:
        s.add_argument("--from", dest="date_from", metavar="DATE",
                       help="stances dated on or after DATE (ISO; its own date, else the "
                       "article's)")
        s.add_argument("--to", dest="date_to", metavar="DATE",
                       help="stances dated up to DATE (ISO, inclusive: --to 2021 keeps 2021)")
    s.add_argument("--published-from", metavar="DATE", help="articles dated on or after DATE")
    s.add_argument("--published-to", metavar="DATE", help="articles dated up to DATE")
    s.add_argument("--title", metavar="WORDS", help="articles whose title has these words")
    s.add_argument("--quote", metavar="TEXT", help="the tagged text contains TEXT")


def filter_from_args(args: argparse.Namespace, *, annotators: bool = True) -> StanceFilter:
    def get(name: str) -> str:
        return (getattr(args, name, None) or "").strip()

    attrs = []
    for item in getattr(args, "attr", None) or []:
        name, sep, value = item.partition("=")
        if not sep or not name.strip():
            raise StancemarkError(f"--attr {item!r}: write NAME=VALUE")
        attrs.append((name.strip(), value.strip()))
    who = get("annotators") if annotators else ""
    return StanceFilter(
        holder=get("holder"), target=get("target"),
        polarity=tuple(p.strip() for p in get("polarity").split(",") if p.strip()),
        date_from=get("date_from"), date_to=get("date_to"),
        published_from=get("published_from"), published_to=get("published_to"),
        annotators=tuple(n.strip() for n in who.split(",") if n.strip()),
        search=get("search"), title=get("title"), quote=get("quote"), note=get("note"),
        attributes=tuple(attrs)).check()


def register(sub: Subparsers) -> None:
    for name, mentions in (("stances", False), ("mentions", True)):
        what = "actor mentions (which text is linked to which actor)" if mentions else \
            "stances, filtered and sorted as in the window's stance table"
        s = sub.add_parser(name, help=f"list {what}")
        add_filter_arguments(s, mentions=mentions)
        s.add_argument("--annotators", metavar="NAME[,NAME]", help="only these annotators")
        s.add_argument("--search", metavar="QUERY", help="full-text search of the articles")
        s.add_argument("--sort", choices=MENTION_SORTS if mentions else STANCE_SORTS,
                       help="order of the rows (default: as tagged)")
        s.add_argument("--desc", action="store_true", help="sort descending")
        s.add_argument("--limit", type=int, metavar="N", help="at most N rows")
        s.add_argument("--format", choices=("table", "csv", "json"), default="table")
        s.add_argument("--out", type=Path, help="write to this file (default: standard output)")
        s.set_defaults(func=cmd_mentions if mentions else cmd_stances)


@contextmanager
def _sink(out: Path | None, fmt: str) -> Iterator[IO[str]]:
    if out is None:
        yield sys.stdout
        return
    from stancemark.formats.common import atomic_write

    with atomic_write(out, "w", encoding="utf-8", newline="" if fmt == "csv" else "\n") as fh:
        yield fh


def cmd_stances(args: argparse.Namespace, repo: Repository) -> int:
    return _list(args, repo, "stance")


def cmd_mentions(args: argparse.Namespace, repo: Repository) -> int:
    return _list(args, repo, "actor")


def _list(args: argparse.Namespace, repo: Repository, kind: str) -> int:
    from stancemark.formats.stance_table import write
    from stancemark.store import stance_query as q

    ids = q.ids(repo, filter_from_args(args), kind, args.sort or "", args.desc)
    if args.limit is not None:
        ids = ids[:max(args.limit, 0)]
    with _sink(args.out, args.format) as fh:
        write(repo, ids, fh, "text" if args.format == "table" else args.format, kind)
    if args.format == "table":
        print(f"{len(ids):,} {'stance' if kind == 'stance' else 'mention'}(s)", file=sys.stderr)
    return 0
