"""The actor register from the command line:

    stancemark actors [--json]                     list the actors (kind, country, colour)
    stancemark actor set NAME --colour '#0072B2'   the colour of its mentions ("auto" clears)
    stancemark actor set NAME --kind state --country TW

NAME is an actor's name or alias (any case) or its uid (or its first characters). Each
edit is one transaction with its audit entry, the command the window's Registers panel
runs.
"""

from __future__ import annotations

import argparse
import json
from typing import TYPE_CHECKING

from stancemark.core.errors import StancemarkError
from stancemark.core.model import ACTOR_KINDS, Actor

if TYPE_CHECKING:
    from stancemark.cli.common import Subparsers
    from stancemark.store.repository import Repository


def register(sub: Subparsers) -> None:
    s = sub.add_parser("actors", help="list the actor register (kind, country, colour)")
    s.add_argument("--json", action="store_true", help="one JSON object per line")
    s.set_defaults(func=cmd_actors)

    s = sub.add_parser("actor", help="edit an actor of the register: colour, kind, country")
    asub = s.add_subparsers(dest="actor_command", metavar="ACTION", required=True)
    a = asub.add_parser("set", help="set fields of an actor")
    a.add_argument("name", metavar="NAME", help="name, alias, uid or its first characters")
    a.add_argument("--colour", "--color", dest="colour", metavar="COLOUR",
                   help="#RRGGBB for its mentions, or auto for the automatic tint")
    a.add_argument("--kind", choices=ACTOR_KINDS)
    a.add_argument("--country", metavar="COUNTRY")
    a.set_defaults(func=cmd_actor_set)


def find_actor(repo: Repository, text: str) -> Actor:
    found = repo.actors_by_alias(text)
    if len(found) == 1:
        return found[0]
    if len(found) > 1:
        raise StancemarkError(f"{len(found)} actors answer to “{text}”: give a uid ("
                              + ", ".join(f"{a.uid[:8]} {a.name}" for a in found) + ")")
    by_uid = [a for a in repo.list_actors() if a.uid.startswith(text.strip())] if text else []
    if len(by_uid) == 1:
        return by_uid[0]
    raise StancemarkError(f"no actor called “{text}” (stancemark actors lists them)")


def cmd_actors(args: argparse.Namespace, repo: Repository) -> int:
    actors = repo.list_actors()
    if args.json:
        for a in actors:
            print(json.dumps({"uid": a.uid, "name": a.name, "kind": a.kind,
                              "country": a.country, "colour": a.colour,
                              "aliases": list(a.aliases)}, ensure_ascii=False))
        return 0
    print(f"{'id':<8}  {'kind':<12}  {'colour':<7}  {'country':<8}  name")
    for a in actors:
        print(f"{a.uid[:8]}  {a.kind:<12}  {a.colour or 'auto':<7}  {a.country[:8]:<8}  {a.name}")
    return 0


def cmd_actor_set(args: argparse.Namespace, repo: Repository) -> int:
    from stancemark.core.palette import check_colour
    from stancemark.core.register_commands import UpdateActor

    actor = find_actor(repo, args.name)
    changes: dict[str, str] = {}
    if args.colour is not None:
        try:
            changes["colour"] = check_colour(args.colour)
        except ValueError as exc:
            raise StancemarkError(str(exc)) from None
    if args.kind is not None:
        changes["kind"] = args.kind
    if args.country is not None:
        changes["country"] = args.country.strip()
    if not changes:
        raise StancemarkError("nothing to set: give --colour, --kind or --country")
    UpdateActor(actor.uid, changes).apply(repo)
    after = repo.get_actor(actor.uid)
    for name, value in changes.items():
        was = getattr(actor, name)
        shown = (lambda v: v or "auto") if name == "colour" else repr
        print(f"actor {actor.name}: {name} {shown(getattr(after, name, value))} "
              f"(was {shown(was)})")
    return 0
