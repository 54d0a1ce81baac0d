"""What every group of commands shares: the store to open, the scope of an export,
progress on stderr."""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING

from stancemark.core.errors import StancemarkError

if TYPE_CHECKING:  # the store and formats are imported when a command needs them
    from stancemark.formats.common import Scope
    from stancemark.store.repository import Repository

    # What each group's register(sub) adds its parsers to.
    Subparsers = argparse._SubParsersAction[argparse.ArgumentParser]


def add_scope_arguments(s: argparse.ArgumentParser) -> None:
    s.add_argument("--search", metavar="QUERY", help="only articles matching this full-text query")
    s.add_argument("--status", choices=["new", "in progress", "done"],
                   help="only articles with this status (for the current annotator)")
    s.add_argument("--annotators", default="all", metavar="WHO",
                   help="'all' (default), 'me', 'gold', or comma-separated annotator names")
    s.add_argument("--kinds", metavar="KINDS", help="comma-separated span kinds, names or uids "
                   "(default: every kind of the codebook for the formats that carry custom kinds, "
                   "the built-in kinds for the others)")


def scope_from_args(args: argparse.Namespace, repo: Repository) -> Scope:
    from stancemark.formats import default_kinds
    from stancemark.formats.common import Scope

    who = args.annotators
    annotators: str | tuple[str, ...] = who if who in ("all", "me", "gold") else tuple(
        n.strip() for n in who.split(",") if n.strip())
    kinds = default_kinds(args.format)
    if args.kinds:
        book = repo.codebook()
        named = [(k.strip(), book.kind_by_name(k.strip())) for k in args.kinds.split(",") if k.strip()]
        bad = [name for name, kind in named if kind is None]
        if bad:
            raise StancemarkError(f"unknown kind(s): {', '.join(sorted(bad))} (the codebook has "
                                  f"{', '.join(k.name for k in book.kinds)})")
        kinds = tuple(kind.uid for _, kind in named if kind is not None)
    return Scope(query=args.search, status=args.status, annotators=annotators, kinds=kinds,
                 include_trash=args.format == "jsonl" and who == "all")


def store_path(args: argparse.Namespace) -> Path:
    from stancemark.store import default_store_path

    return Path(args.store).expanduser() if args.store else default_store_path()


def annotator_name(args: argparse.Namespace) -> str | None:
    if args.annotator:
        return args.annotator
    from stancemark.core import settings

    return settings.get("annotator")


def open_repo(args: argparse.Namespace) -> Repository:
    from stancemark.store import Repository, open_store
    from stancemark.store.backups import backup_on_open

    repo = Repository(open_store(store_path(args)), annotator_name(args))
    warning = backup_on_open(repo.db)  # a rolling backup when changed since the last one
    if warning:
        print(f"stancemark: warning: {warning}", file=sys.stderr)
    return repo


class StderrProgress:
    """Progress on stderr for long operations: at most a few lines a second."""

    def __init__(self, label: str):
        self.label = label
        self.last = 0.0
        self.shown = False

    def __call__(self, done: int, total: int, message: str = "") -> bool:
        now = time.monotonic()
        if total and now - self.last > 0.5 and (self.shown or now - self.started > 1.0):
            pct = 100 * done // max(total, 1)
            print(f"\r{self.label}: {done}/{total} ({pct}%) {message[:40]:<40}", end="",
                  file=sys.stderr, flush=True)
            self.last = now
            self.shown = True
        return True

    def __enter__(self) -> StderrProgress:
        self.started = time.monotonic()
        return self

    def __exit__(self, *exc: object) -> None:
        if self.shown:
            print(file=sys.stderr)
