"""The command line's entry: the parser, the store to open, one-line errors.

Errors print one line on stderr and exit non-zero; --debug shows the traceback.
Each group of commands is a module of this package listed in CLI_GROUPS, with
`register(subparsers)` that sets `func(args, repo) -> int` on its parsers.
"""

from __future__ import annotations

import argparse
import importlib
import sys

from stancemark import __version__
from stancemark.cli.common import open_repo
from stancemark.core.errors import StancemarkError

# The groups of commands, in the order `stancemark --help` lists them.
CLI_GROUPS: tuple[str, ...] = (
    "stancemark.cli.exchange", "stancemark.cli.articles", "stancemark.cli.actors",
    "stancemark.cli.codebook",
    "stancemark.cli.review", "stancemark.cli.settle", "stancemark.cli.reliability",
    "stancemark.cli.hub", "stancemark.cli.stances", "stancemark.cli.suggest")


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="stancemark",
        description="Annotate actors, stances and dates in news articles. "
                    "Without a command, opens the window; `stancemark FILE.stancemark` "
                    "opens that store in it.")
    p.add_argument("--version", action="version", version=f"stancemark {__version__}")
    p.add_argument("--store", metavar="PATH", help="store file (default: $STANCEMARK_STORE or "
                   "the user data folder)")
    p.add_argument("--annotator", metavar="NAME", help="annotator name for this session "
                   "(default: from settings, else the OS user name)")
    p.add_argument("--debug", action="store_true", help="show tracebacks")
    p.add_argument("--smoke-test", action="store_true", help="seed the store, open the window, "
                   "exit after its first paint (checks a build)")
    sub = p.add_subparsers(dest="command", metavar="COMMAND")
    for name in CLI_GROUPS:
        importlib.import_module(name).register(sub)
    return p


def main(argv: list[str] | None = None) -> int:
    from stancemark.cli.desktop import store_file_argv

    parser = build_parser()
    # `stancemark FILE.stancemark` (a double-click in a file manager) opens that store.
    args = parser.parse_args(store_file_argv(parser, sys.argv[1:] if argv is None else argv))
    try:
        if args.command is None:
            from stancemark.cli.window import open_window

            return open_window(args)
        if not getattr(args, "needs_store", True):  # hub set-up: no store involved
            return args.func(args, None)
        repo = open_repo(args)
        try:
            return args.func(args, repo)
        finally:
            repo.close()
    except StancemarkError as exc:
        if args.debug:
            raise
        message = " ".join(str(exc).splitlines())  # one line, whatever the cause quoted
        print(f"stancemark: error: {message}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("stancemark: interrupted; nothing was changed by the unfinished command",
              file=sys.stderr)
        return 130
    except OSError as exc:
        if args.debug:
            raise
        where = f"{exc.filename}: " if getattr(exc, "filename", None) else ""
        print(f"stancemark: error: {where}{exc.strerror or exc}", file=sys.stderr)
        return 1


def main_gui() -> int:
    return main(sys.argv[1:])  # file associations pass the store to open
