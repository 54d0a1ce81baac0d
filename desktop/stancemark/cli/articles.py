"""Commands about the articles in the store: `seed`, `list`, `stats`, and `article`:

    stancemark article set ID --title T --date YYYY-MM-DD --source S --url U --language L
    stancemark article delete ID      move it to the trash (`article restore ID` takes it back)
    stancemark article status ID STATUS   new, "in progress" or done, for the current annotator

ID is an article's uid or its first characters (the `id` column of `stancemark list`).
Each edit is one transaction with its audit entry, the same commands the window runs.
"""

from __future__ import annotations

import argparse
import json
from typing import TYPE_CHECKING

from stancemark.core.errors import StancemarkError

if TYPE_CHECKING:
    from stancemark.cli.common import Subparsers
    from stancemark.store.repository import Repository


# --flag -> Article field
ARTICLE_FLAGS = {"title": "title", "date": "published", "source": "source", "url": "url",
                 "author": "author", "language": "language"}


def register(sub: Subparsers) -> None:
    s = sub.add_parser("seed", help="add the bundled sample articles and starter register "
                       "(idempotent)")
    s.set_defaults(func=cmd_seed)

    s = sub.add_parser("list", help="list articles with annotation counts and status")
    s.add_argument("--search", metavar="QUERY", help="full-text search")
    s.add_argument("--status", choices=["new", "in progress", "done"])
    s.add_argument("--json", action="store_true", help="one JSON object per line")
    s.set_defaults(func=cmd_list)

    s = sub.add_parser("article", help="edit an article: set title/date/source/URL/language, "
                       "delete, restore, status")
    asub = s.add_subparsers(dest="article_command", metavar="ACTION", required=True)
    a = asub.add_parser("set", help="set fields of an article (an empty value clears one)")
    a.add_argument("id", metavar="ID", help="uid or its first characters")
    for flag, name in ARTICLE_FLAGS.items():
        a.add_argument(f"--{flag}", dest=name, metavar=flag.upper())
    a.set_defaults(func=cmd_article_set)
    a = asub.add_parser("delete", help="move an article to the trash")
    a.add_argument("id", metavar="ID")
    a.set_defaults(func=cmd_article_delete)
    a = asub.add_parser("restore", help="take an article out of the trash")
    a.add_argument("id", metavar="ID")
    a.set_defaults(func=cmd_article_restore)
    a = asub.add_parser("status", help="set your status of an article")
    a.add_argument("id", metavar="ID")
    a.add_argument("status", choices=["new", "in progress", "done"])
    a.set_defaults(func=cmd_article_status)

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
    print(f"{'id':<8}  {'date':<10}  {'status':<11}  {'tags':>5}  {'source':<16}  title")
    for r in rows:
        print(f"{r.uid[:8]}  {r.published:<10}  {r.status:<11}  {r.annotation_count:>5}  "
              f"{r.source[:16]:<16}  {r.title}")
    return 0


def cmd_article_set(args: argparse.Namespace, repo: Repository) -> int:
    from stancemark.core.article_commands import UpdateArticle

    art = repo.find_article(args.id)
    changes = {name: getattr(args, name) for name in ARTICLE_FLAGS.values()
               if getattr(args, name) is not None}
    if not changes:
        raise StancemarkError("nothing to set: give --title, --date, --source, --url, "
                              "--author or --language")
    command = UpdateArticle(art.uid, changes)
    command.apply(repo)
    after = repo.get_article(art.uid)
    for name in command.changes:
        flag = next(f for f, n in ARTICLE_FLAGS.items() if n == name)
        print(f"article {art.uid}: {flag} {getattr(after, name)!r} (was {getattr(art, name)!r})")
    return 0


def cmd_article_delete(args: argparse.Namespace, repo: Repository) -> int:
    from stancemark.core.article_commands import DeleteArticle

    art = repo.find_article(args.id)
    if art.deleted_at:
        raise StancemarkError(f"article {art.uid} is already in the trash")
    DeleteArticle(art.uid, art.title).apply(repo)
    print(f"moved article {art.uid} “{art.title}” to the trash "
          f"(stancemark article restore {art.uid[:8]} takes it back)")
    return 0


def cmd_article_restore(args: argparse.Namespace, repo: Repository) -> int:
    from stancemark.core.article_commands import RestoreArticle

    art = repo.find_article(args.id)
    if not art.deleted_at:
        raise StancemarkError(f"article {art.uid} is not in the trash")
    RestoreArticle(art.uid).apply(repo)
    print(f"restored article {art.uid} “{art.title}”")
    return 0


def cmd_article_status(args: argparse.Namespace, repo: Repository) -> int:
    from stancemark.core.article_commands import SetStatus

    art = repo.find_article(args.id)
    before = repo.get_status(art.uid)
    SetStatus(art.uid, args.status).apply(repo)
    print(f"article {art.uid}: status {args.status!r} for {repo.annotator.name} "
          f"(was {before!r})")
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
