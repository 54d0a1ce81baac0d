"""The command line. `stancemark` with no sub-command opens the window.

Errors print one line on stderr and exit non-zero; --debug shows the traceback.
Sub-commands from other features register through CLI_EXTENSIONS, each a module
with `register(subparsers)` that sets `func(args, repo) -> int` on its parsers.
"""

from __future__ import annotations

import argparse
import importlib
import json
import sys
import time
from pathlib import Path
from typing import Any

from stancemark import __version__
from stancemark.core.errors import StancemarkError

# Modules adding sub-commands (each defines register(subparsers)).
CLI_EXTENSIONS: tuple[str, ...] = ("stancemark.cli_reliability", "stancemark.cli_review")


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

    s = sub.add_parser("import", help="import articles or annotations from files and folders")
    s.add_argument("paths", nargs="+", type=Path, metavar="PATH")
    s.add_argument("--format", help="input format (default: from the file extension)")
    s.add_argument("--map", metavar="FIELD=COLUMN,...", help="article tables (--format table): "
                   "which column holds each field, e.g. text=body,title=headline")
    s.add_argument("--annotator-name", metavar="NAME", help="doccano, brat, CoNLL, Label Studio: "
                   "the annotator the spans are imported as (default: the current annotator)")
    s.set_defaults(func=cmd_import)

    s = sub.add_parser("export", help="export the store")
    s.add_argument("--format", default="jsonl", help="output format (default: jsonl)")
    s.add_argument("--out", type=Path, help="output file or folder (default: standard output "
                   "for jsonl)")
    add_scope_arguments(s)
    s.add_argument("--view", choices=["stance", "two-mode", "congruence"],
                   help="network formats (graphml, gexf): which network (default: stance)")
    s.add_argument("--from", dest="date_from", metavar="DATE",
                   help="network formats: only stances dated on or after DATE (ISO)")
    s.add_argument("--to", dest="date_to", metavar="DATE",
                   help="network formats: only stances dated up to DATE (ISO, inclusive)")
    s.set_defaults(func=cmd_export)

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

    for name in CLI_EXTENSIONS:
        importlib.import_module(name).register(sub)
    return p


def add_scope_arguments(s: argparse.ArgumentParser) -> None:
    s.add_argument("--search", metavar="QUERY", help="only articles matching this full-text query")
    s.add_argument("--status", choices=["new", "in progress", "done"],
                   help="only articles with this status (for the current annotator)")
    s.add_argument("--annotators", default="all", metavar="WHO",
                   help="'all' (default), 'me', 'gold', or comma-separated annotator names")
    s.add_argument("--kinds", default="actor,date,stance", help="comma-separated annotation kinds")


def scope_from_args(args: argparse.Namespace) -> Any:
    from stancemark.formats.common import Scope

    who = args.annotators
    annotators: str | tuple[str, ...] = who if who in ("all", "me", "gold") else tuple(
        n.strip() for n in who.split(",") if n.strip())
    kinds = tuple(k.strip() for k in args.kinds.split(",") if k.strip())
    bad = set(kinds) - {"actor", "date", "stance"}
    if bad:
        raise StancemarkError(f"unknown kind(s): {', '.join(sorted(bad))}")
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


def open_repo(args: argparse.Namespace) -> Any:
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


def cmd_import(args: argparse.Namespace, repo: Any) -> int:
    from stancemark.formats import get_format, guess_path_format

    groups: dict[str, list[Path]] = {}
    for path in args.paths:
        fmt = args.format
        if fmt is None:
            fmt = guess_path_format(path)  # a folder: from what it holds
            if fmt is None:
                raise StancemarkError(f"{path}: cannot tell the format from the extension; "
                                      "use --format")
        groups.setdefault(fmt, []).append(path)
    reports = []
    from stancemark.store.backups import backup_before

    backup_before(repo.db, "import")
    with StderrProgress("importing") as progress, repo.tx():
        # One transaction across every format: any bad file means nothing is imported.
        for fmt, paths in groups.items():
            info = get_format(fmt)
            if not info.can_import:
                raise StancemarkError(f"format {fmt!r} cannot be imported")
            options = {"column_map": args.map} if args.map else {}
            if args.annotator_name:
                options["annotator_name"] = args.annotator_name
            reports.append(info.load().import_paths(repo, paths, progress, **options))
    for r in reports:
        print(r.summary())
    return 0


def cmd_export(args: argparse.Namespace, repo: Any) -> int:
    from stancemark.formats import get_format

    info = get_format(args.format)
    if not info.can_export:
        raise StancemarkError(f"format {args.format!r} cannot be exported")
    scope = scope_from_args(args)
    options = {k: v for k, v in (("view", args.view), ("date_from", args.date_from),
                                 ("date_to", args.date_to)) if v}
    if options and args.format not in ("graphml", "gexf"):
        raise StancemarkError("--view, --from and --to apply to the network formats "
                              "(graphml, gexf)")
    out = args.out
    if out is None:
        if args.format != "jsonl":
            raise StancemarkError("--out is required for this format")
        import tempfile

        with tempfile.TemporaryDirectory() as tmp:
            target = Path(tmp) / "export.jsonl"
            info.load().export(repo, target, scope, None)
            sys.stdout.write(target.read_text(encoding="utf-8"))
        return 0
    with StderrProgress("exporting") as progress:
        report = info.load().export(repo, out, scope, progress, **options)
    print(report.summary(), file=sys.stderr)
    return 0


def cmd_seed(args: argparse.Namespace, repo: Any) -> int:
    from stancemark.formats.seed import seed

    print(seed(repo).summary())
    return 0


def cmd_list(args: argparse.Namespace, repo: Any) -> int:
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


def cmd_stats(args: argparse.Namespace, repo: Any) -> int:
    st = repo.stats()
    if args.json:
        print(json.dumps(st, indent=2))
        return 0
    for key, value in st.items():
        if isinstance(value, dict):
            value = ", ".join(f"{k} {v}" for k, v in value.items())
        print(f"{key:<12} {value}")
    return 0


def open_window(args: argparse.Namespace) -> int:
    try:
        app = importlib.import_module("stancemark.ui.app")
    except ModuleNotFoundError as exc:
        if exc.name and exc.name.startswith("stancemark.ui"):
            raise StancemarkError("the annotation window is not part of this build yet; "
                                  "use the sub-commands (stancemark --help)") from None
        raise
    extra = {}
    if args.smoke_test:
        from stancemark.cli_desktop import seed_for_smoke_test

        seed_for_smoke_test(store_path(args), annotator_name(args))
        extra["smoke"] = True
    return app.run(store_path(args), annotator_name(args), explicit_store=bool(args.store),
                   **extra)


def main(argv: list[str] | None = None) -> int:
    from stancemark.cli_desktop import store_file_argv

    parser = build_parser()
    # `stancemark FILE.stancemark` (a double-click in a file manager) opens that store.
    args = parser.parse_args(store_file_argv(parser, sys.argv[1:] if argv is None else argv))
    try:
        if args.command is None:
            return open_window(args)
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
