"""Commands that move data in and out of the store: `import` and `export`."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from stancemark.cli.common import StderrProgress, add_scope_arguments, scope_from_args
from stancemark.core.errors import StancemarkError

if TYPE_CHECKING:
    from stancemark.cli.common import Subparsers
    from stancemark.store.repository import Repository


def register(sub: Subparsers) -> None:
    from stancemark.formats import formats_help

    # The formats listed below the options, one per line (the raw formatter keeps lines).
    s = sub.add_parser("import", help="import articles or annotations from files and folders",
                       epilog=formats_help("import"),
                       formatter_class=argparse.RawDescriptionHelpFormatter)
    s.add_argument("paths", nargs="+", type=Path, metavar="PATH")
    s.add_argument("--format", help="input format, one of those listed below (default: from "
                   "the file extension, or what a folder holds)")
    s.add_argument("--map", metavar="FIELD=COLUMN,...", help="article tables (--format table): "
                   "which column holds each field, e.g. text=body,title=headline")
    s.add_argument("--annotator-name", metavar="NAME", help="doccano, brat, CoNLL, Label Studio: "
                   "the annotator the spans are imported as (default: the current annotator)")
    s.set_defaults(func=cmd_import)

    s = sub.add_parser("export", help="export the store", epilog=formats_help("export"),
                       formatter_class=argparse.RawDescriptionHelpFormatter)
    s.add_argument("--format", default="jsonl", help="output format, one of those listed "
                   "below (default: jsonl)")
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


def cmd_import(args: argparse.Namespace, repo: Repository) -> int:
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


def cmd_export(args: argparse.Namespace, repo: Repository) -> int:
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
