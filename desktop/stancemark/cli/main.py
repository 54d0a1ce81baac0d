"""The command line's entry: the parser, the store to open, one-line errors.

Errors print one line on stderr and exit non-zero; --debug shows the traceback.
Each group of commands is a module of this package listed in CLI_GROUPS, with
`register(subparsers)` that sets `func(args, repo) -> int` on its parsers.
"""

from __future__ import annotations

import argparse
import importlib
import sys
from typing import NoReturn

from stancemark import __version__
from stancemark.cli.common import open_repo
from stancemark.core.errors import StancemarkError

# The groups of commands, in the order `stancemark --help` lists them.
CLI_GROUPS: tuple[str, ...] = (
    "stancemark.cli.exchange", "stancemark.cli.articles", "stancemark.cli.actors",
    "stancemark.cli.codebook",
    "stancemark.cli.review", "stancemark.cli.settle", "stancemark.cli.reliability",
    "stancemark.cli.hub", "stancemark.cli.stances", "stancemark.cli.suggest")


def _add_options(p: argparse.ArgumentParser) -> argparse.ArgumentParser:
    p.add_argument("--version", action="version", version=f"stancemark {__version__}")
    p.add_argument("--store", metavar="PATH", help="store file (default: $STANCEMARK_STORE or "
                   "the user data folder)")
    p.add_argument("--annotator", metavar="NAME", help="annotator name for this session "
                   "(default: from settings, else the OS user name)")
    p.add_argument("--debug", action="store_true", help="show tracebacks")
    p.add_argument("--smoke-test", action="store_true", help="seed the store, open the window, "
                   "exit after its first paint (checks a build)")
    return p


def build_parser() -> argparse.ArgumentParser:
    p = _add_options(argparse.ArgumentParser(
        prog="stancemark",
        description="Annotate actors, stances and dates in news articles. "
                    "Without a command, opens the window; `stancemark FILE.stancemark` "
                    "opens that store in it."))
    sub = p.add_subparsers(dest="command", metavar="COMMAND")
    for name in CLI_GROUPS:
        importlib.import_module(name).register(sub)
    return p


class _QuietParser(argparse.ArgumentParser):
    """Raises where a parser would print its usage and exit: the full parser then reads
    the same arguments and says what is wrong as it always did."""

    def error(self, message: str) -> NoReturn:
        raise argparse.ArgumentError(None, message)


def window_args(argv: list[str]) -> argparse.Namespace | None:
    """The options of `argv` when it holds the top-level options only (the window opens),
    read without importing the command groups (their modules load the formats and the
    filters they offer as choices: tens of milliseconds of every window start); None for
    anything else (a command, a store file, help, an error), which the full parser reads."""
    lite = _add_options(_QuietParser(prog="stancemark", add_help=False))
    try:
        args, extra = lite.parse_known_args(argv)
    except argparse.ArgumentError:
        return None
    if extra:
        return None
    args.command = None
    return args


def main(argv: list[str] | None = None) -> int:
    from stancemark.cli.desktop import store_file_argv

    argv = sys.argv[1:] if argv is None else argv
    args = window_args(argv)
    if args is None:
        parser = build_parser()
        # `stancemark FILE.stancemark` (a double-click in a file manager) opens that store.
        args = parser.parse_args(store_file_argv(parser, argv))
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
