"""Commands about the articles in the store: `seed`, `list`, `stats`."""

from __future__ import annotations

import argparse
import json
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from stancemark.cli.common import Subparsers
    from stancemark.store.repository import Repository


def register(sub: Subparsers) -> None:
    s = sub.add_parser("seed", help="add the bundled sample articles and starter register "
                       "(idempotent)")
    s.set_defaults(func=cmd_seed)

    s = sub.add_parser("list", help="list articles with annotation counts and status")
    s.add_argument("--search", metavar="QUERY", help="full-text search")
    s.add_argument("--status", choices=["new", "in progress", "done"])
    s.add_argument("--json", action="store_true", help="one JSON object per line")
    s.set_defaults(func=cmd_list)

    s = sub.add_parser("stats", help="counts of articles, annotations, actors and topics")
    s.add_argument("--json", action="store_true")
    s.set_defaults(func=cmd_stats)


def cmd_seed(args: argparse.Namespace, repo: Repository) -> int:
    from stancemark.formats.seed import seed

    print(seed(repo).summary())
    return 0


def cmd_list(args: argparse.Namespace, repo: Repository) -> int:
    rows = repo.list_articles(query=args.search, status=args.status)
    if args.json:
        for r in rows:
            print(json.dumps({"uid": r.uid, "title": r.title, "published": r.published,
                              "source": r.source, "annotations": r.annotation_count,
                              "status": r.status}, ensure_ascii=False))
        return 0
    if not rows:
        print("no articles" + (" match" if args.search or args.status else
                               " yet: run `stancemark seed` or `stancemark import PATH`"))
        return 0
    print(f"{'date':<10}  {'status':<11}  {'tags':>5}  {'source':<16}  title")
    for r in rows:
        print(f"{r.published:<10}  {r.status:<11}  {r.annotation_count:>5}  "
              f"{r.source[:16]:<16}  {r.title}")
    return 0


def cmd_stats(args: argparse.Namespace, repo: Repository) -> int:
    st = repo.stats()
    if args.json:
        print(json.dumps(st, indent=2))
        return 0
    for key, value in st.items():
        if isinstance(value, dict):
            value = ", ".join(f"{k} {v}" for k, v in value.items())
        print(f"{key:<12} {value}")
    return 0
