"""`stancemark hub ...` (set up a team's PostgreSQL hub) and `stancemark sync`.

    stancemark hub init URL [--registers analysts|reviewers]
                                    create (or upgrade) the hub schema, as the database owner
    stancemark hub add-analyst NAME --hub URL   a login for an analyst; prints what to hand them
    stancemark hub add-reviewer NAME --hub URL  the same for a reviewer (writes the gold layer)
    stancemark hub password URL     keep your hub password in PostgreSQL's password file
    stancemark sync [URL]           push this store's changes, pull the others'

URL is a PostgreSQL connection URL (postgresql://user@host:5432/dbname?sslmode=verify-full)
or a libpq service (`service=NAME`). Passwords are never kept by Stancemark: they live in
PostgreSQL's own password file (~/.pgpass) or service file.
"""

from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING

from stancemark.core.errors import StancemarkError

if TYPE_CHECKING:
    from stancemark.cli.common import Subparsers
    from stancemark.store.repository import Repository

ENV_HUB = "STANCEMARK_HUB"


def register(sub: Subparsers) -> None:
    s = sub.add_parser("hub", help="set up a team's PostgreSQL hub (init, add-analyst, "
                       "add-reviewer, password)")
    hsub = s.add_subparsers(dest="hub_command", metavar="ACTION", required=True)
    h = hsub.add_parser("init", help="create or upgrade the hub schema in an empty database "
                        "(connect as its owner)")
    h.add_argument("url", metavar="URL")
    h.add_argument("--registers", choices=["analysts", "reviewers"], default="analysts",
                   help="who may change the registers' existing entries by default "
                        "(everyone may add): every analyst (default) or reviewers only")
    h.set_defaults(func=cmd_init, needs_store=False)
    for action, reviewer in (("add-analyst", False), ("add-reviewer", True)):
        h = hsub.add_parser(action, help=f"a login for {'a reviewer' if reviewer else 'an analyst'}"
                            " (a PostgreSQL role with its grants); prints what to hand them")
        h.add_argument("name", metavar="NAME", help="login name (lower-case letters, digits, _)")
        h.add_argument("--hub", metavar="URL", help=f"the hub, as its owner (default: ${ENV_HUB})")
        h.add_argument("--annotator", metavar="NAME",
                       help="their annotator name in their store (default: NAME)")
        h.add_argument("--registers", action=argparse.BooleanOptionalAction, default=None,
                       help="may change others' register entries (default: the hub's choice "
                            "at init; reviewers may)")
        h.add_argument("--new-password", action="store_true",
                       help="give an existing login a new password")
        h.set_defaults(func=cmd_add_member, reviewer=reviewer, needs_store=False)
    h = hsub.add_parser("password", help="save your hub password in PostgreSQL's password file "
                        "(read from the terminal, or one line of standard input)")
    h.add_argument("url", metavar="URL")
    h.set_defaults(func=cmd_password, needs_store=False)

    s = sub.add_parser("sync", help="sync this store with the team's hub: push my changes, "
                       "pull the others'")
    s.add_argument("url", nargs="?", metavar="URL",
                   help=f"the hub (default: the one this store last synced with, else ${ENV_HUB})")
    s.set_defaults(func=cmd_sync)


def _hub_url(given: str | None) -> str:
    import os

    url = given or os.environ.get(ENV_HUB)
    if not url:
        raise StancemarkError(f"which hub? give --hub URL (or set {ENV_HUB})")
    return url


def cmd_init(args: argparse.Namespace, repo: Repository) -> int:
    from stancemark.store.hub import init_hub

    print(init_hub(args.url, registers=args.registers))
    return 0


def cmd_add_member(args: argparse.Namespace, repo: Repository) -> int:
    from stancemark.store.hub import add_member

    new = add_member(_hub_url(args.hub), args.name, reviewer=args.reviewer,
                     registers=args.registers, annotator=args.annotator,
                     new_password=args.new_password)
    print(new.handout())
    return 0


def cmd_password(args: argparse.Namespace, repo: Repository) -> int:
    from stancemark.store.hub import safe_url, save_password

    if sys.stdin.isatty():
        import getpass

        password = getpass.getpass(f"password for {safe_url(args.url)}: ")
    else:
        password = sys.stdin.readline().rstrip("\r\n")
    if not password:
        raise StancemarkError("no password given; nothing was saved")
    path = save_password(args.url, password)
    print(f"saved in {path} (readable by you only)")
    return 0


def default_sync_url(repo: Repository) -> str | None:
    """The hub this store last synced with, else $STANCEMARK_HUB."""
    import os

    from stancemark.store.hub import last_sync

    last = last_sync(repo)
    return last[0] if last else os.environ.get(ENV_HUB)


def cmd_sync(args: argparse.Namespace, repo: Repository) -> int:
    from stancemark.store.hub import has_password, sync

    url = args.url or default_sync_url(repo)
    if not url:
        raise StancemarkError(f"which hub? give its URL (or set {ENV_HUB})")
    if has_password(url):
        print("stancemark: warning: the password in the URL is used for this sync but not kept; "
              "save it with `stancemark hub password URL`", file=sys.stderr)
    report = sync(repo, url, progress=_progress)
    print(report.summary())
    return 0


def _progress(step: int, total: int, message: str) -> bool:
    if sys.stderr.isatty():
        print(f"\r[{step}/{total}] {message}…\033[K", end="", file=sys.stderr, flush=True)
        if step == total:
            print(file=sys.stderr)
    return True
