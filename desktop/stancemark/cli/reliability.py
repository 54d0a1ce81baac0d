"""Sub-commands that keep work safe: `backup`, `restore` and `trash`.

    stancemark backup            make a backup now
    stancemark backup --list     list the backups, newest first
    stancemark restore NAME      restore a backup (the current state is backed up first)
    stancemark restore --latest  restore the newest backup
    stancemark trash list        what was deleted and can be restored
    stancemark trash restore UID take one item out of the trash
    stancemark trash empty --yes purge the trash for good
"""

from __future__ import annotations

import argparse
import json
from typing import TYPE_CHECKING

from stancemark.core.errors import StancemarkError

if TYPE_CHECKING:
    from stancemark.cli.common import Subparsers
    from stancemark.store.repository import Repository


def register(sub: Subparsers) -> None:
    s = sub.add_parser("backup", help="make a backup of the store now, or list backups")
    s.add_argument("--list", action="store_true", help="list the backups, newest first")
    s.set_defaults(func=cmd_backup)

    s = sub.add_parser("restore", help="restore the store from a backup (the current state "
                       "is backed up first)")
    s.add_argument("name", nargs="?", help="backup name (or its first characters), from "
                   "`stancemark backup --list`")
    s.add_argument("--latest", action="store_true", help="restore the newest backup")
    s.set_defaults(func=cmd_restore)

    s = sub.add_parser("trash", help="list, restore or empty deleted items")
    tsub = s.add_subparsers(dest="trash_command", metavar="ACTION", required=True)
    t = tsub.add_parser("list", help="deleted annotations, articles, actors and topics")
    t.add_argument("--json", action="store_true", help="one JSON object per line")
    t.set_defaults(func=cmd_trash_list)
    t = tsub.add_parser("restore", help="take an item out of the trash")
    t.add_argument("uids", nargs="+", metavar="UID")
    t.set_defaults(func=cmd_trash_restore)
    t = tsub.add_parser("empty", help="purge the trash for good (asks for --yes)")
    t.add_argument("--yes", action="store_true", help="really purge; this cannot be undone "
                   "(except from a backup)")
    t.set_defaults(func=cmd_trash_empty)


def cmd_backup(args: argparse.Namespace, repo: Repository) -> int:
    from stancemark.store import backups

    if args.list:
        found = backups.list_backups(backups.store_file(repo.db))
        if not found:
            print("no backups yet: run `stancemark backup`")
        for b in found:
            print(b.describe())
        return 0
    info = backups.make_backup(repo.db, "manual")
    print(f"backed up to {info.path}")
    return 0


def cmd_restore(args: argparse.Namespace, repo: Repository) -> int:
    from stancemark.store import backups

    if not args.name and not args.latest:
        raise StancemarkError("name a backup (see `stancemark backup --list`) or use --latest")
    if args.name and args.latest:
        raise StancemarkError("give a backup name or --latest, not both")
    chosen, safety = backups.restore(repo.db, None if args.latest else args.name)
    print(f"restored {chosen.name}; the replaced state was backed up as {safety.name}")
    return 0


def cmd_trash_list(args: argparse.Namespace, repo: Repository) -> int:
    from stancemark.store import trash

    items = trash.list_trash(repo)
    if args.json:
        for t in items:
            print(json.dumps(t.__dict__, ensure_ascii=False))
        return 0
    if not items:
        print("the trash is empty")
        return 0
    for t in items:
        label = t.label.replace("\n", " ")
        label = label if len(label) <= 50 else label[:49] + "…"
        print(f"{t.deleted_at[:19]}  {t.entity:<10}  {t.uid}  {label}")
    return 0


def cmd_trash_restore(args: argparse.Namespace, repo: Repository) -> int:
    from stancemark.store import trash

    with repo.tx():  # all or none
        items = [trash.restore(repo, uid) for uid in args.uids]
    for t in items:
        print(f"restored {t.entity} {t.uid}")
    return 0


def cmd_trash_empty(args: argparse.Namespace, repo: Repository) -> int:
    from stancemark.store import backups, trash

    n = trash.count(repo)
    if not n:
        print("the trash is empty")
        return 0
    if not args.yes:
        raise StancemarkError(f"{n} item(s) in the trash; purging cannot be undone: "
                              "run `stancemark trash empty --yes`")
    backups.backup_before(repo.db, "empty-trash")
    print(trash.empty(repo).summary())
    return 0
