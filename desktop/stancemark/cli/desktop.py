"""Command-line glue for the desktop integration (packaging, file managers, About).

A file manager opening a store runs `stancemark /path/to/file.stancemark` (the .desktop
entry's `Exec=stancemark %f`, the Windows file association, the macOS document type):
`store_file_argv` turns that positional path into `--store PATH`, so argparse, which
cannot mix an optional positional with sub-commands, never sees it.

`--smoke-test` (used by the frozen-app test) seeds the store, opens the window, waits
for its first paint and exits: proof that a build starts, finds its bundled data and
its Qt plugins, without anyone looking at a screen.
"""

from __future__ import annotations

import argparse
from pathlib import Path

# Extensions a store file may carry; .stancemark is the registered MIME type's glob.
STORE_SUFFIXES = (".stancemark", ".sqlite", ".sqlite3", ".db")


def _commands(parser: argparse.ArgumentParser) -> set[str]:
    names: set[str] = set()
    for action in parser._actions:  # argparse keeps sub-parsers only here
        if isinstance(action, argparse._SubParsersAction):
            names.update(action.choices)
    return names


def _options_with_value(parser: argparse.ArgumentParser) -> set[str]:
    return {opt for action in parser._actions if action.nargs != 0 and action.option_strings
            for opt in action.option_strings}


def looks_like_store(token: str) -> bool:
    path = Path(token).expanduser()
    return path.suffix.lower() in STORE_SUFFIXES or path.is_file()


def store_file_argv(parser: argparse.ArgumentParser, argv: list[str]) -> list[str]:
    """`[options] FILE` -> `[options] --store FILE` when FILE is no sub-command.

    Only the first positional token is considered, and only when it is not a known
    sub-command and names a store (by extension, or an existing file). Anything else
    is left for argparse to accept or reject as usual.
    """
    commands = _commands(parser)
    with_value = _options_with_value(parser)
    i = 0
    while i < len(argv):
        token = argv[i]
        if token == "--":
            return argv
        if token.startswith("-") and token != "-":
            i += 2 if token in with_value else 1
            continue
        if token in commands or not looks_like_store(token):
            return argv
        return argv[:i] + ["--store", token] + argv[i + 1:]
    return argv


def seed_for_smoke_test(store: Path, annotator: str | None) -> None:
    """Seed the store the smoke test opens (idempotent), as `stancemark seed` would."""
    from stancemark.formats.seed import seed
    from stancemark.store import Repository, open_store

    repo = Repository(open_store(store), annotator)
    try:
        seed(repo)
    finally:
        repo.close()
