"""Commands that move data in and out of the store: `import` and `export`."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from stancemark.cli.common import StderrProgress, add_scope_arguments, scope_from_args
from stancemark.cli.stances import add_filter_arguments, filter_from_args
from stancemark.core.errors import StancemarkError
from stancemark.core.network import DUPLICATES
from stancemark.core.periods import UNITS
from stancemark.formats.stance_network import NORMALISATIONS, VIEWS

NETWORK_FORMATS = ("graphml", "gexf", "network-csv")

if TYPE_CHECKING:
    from stancemark.cli.common import Subparsers
    from stancemark.core.stance_filter import StanceFilter
    from stancemark.formats.common import Scope
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
    s.add_argument("--extend-codebook", action="store_true",
                   help="add span kinds, attributes and values the codebook lacks instead of "
                        "refusing them (the report lists what was added)")
    s.set_defaults(func=cmd_import)

    s = sub.add_parser("export", help="export the store", epilog=formats_help("export"),
                       formatter_class=argparse.RawDescriptionHelpFormatter)
    s.add_argument("--format", default="jsonl", help="output format, one of those listed "
                   "below (default: jsonl)")
    s.add_argument("--out", type=Path, help="output file or folder (default: standard output "
                   "for jsonl)")
    add_scope_arguments(s)
    net = s.add_argument_group(
        "network formats (graphml, gexf, network-csv); DNA's names in brackets")
    net.add_argument("--view", choices=list(VIEWS),
                     help="stance: holder -> target (default); two-mode: actor x topic "
                     "[two-mode network]; congruence, conflict, subtract: actor x actor "
                     "[one-mode network, qualifier aggregation of the same name]")
    net.add_argument("--normalisation", choices=list(NORMALISATIONS),
                     help="one-mode: none [no], average [average activity], jaccard "
                     "[Jaccard], cosine [cosine]; two-mode: none, activity, prominence")
    net.add_argument("--duplicates", choices=list(DUPLICATES),
                     help="count the same holder/topic/polarity: all [include all "
                     "duplicates], once per article [ignore per document], week, month or "
                     "year [ignore per calendar week/month/year]")
    net.add_argument("--from", dest="date_from", metavar="DATE",
                     help="only stances dated on or after DATE (ISO)")
    net.add_argument("--to", dest="date_to", metavar="DATE",
                     help="only stances dated up to DATE (ISO, inclusive)")
    net.add_argument("--window", choices=list(UNITS),
                     help="one network per moving window [time window] of --window-size "
                     "periods, one period apart: --out is then a folder")
    net.add_argument("--window-size", type=int, default=1, metavar="N",
                     help="periods per window (default 1)")
    flt = s.add_argument_group("stance filters (as the window's stance table); with a span "
                               "format, only the matching stances are exported")
    add_filter_arguments(flt, dates=False)
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
            if args.extend_codebook:
                options["extend_codebook"] = True
            reports.append(info.load().import_paths(repo, paths, progress, **options))
    for r in reports:
        print(r.summary())
    return 0


def cmd_export(args: argparse.Namespace, repo: Repository) -> int:
    from stancemark.formats import get_format

    info = get_format(args.format)
    if not info.can_export:
        raise StancemarkError(f"format {args.format!r} cannot be exported")
    scope = scope_from_args(args, repo)
    options: dict[str, Any] = {k: v for k, v in (
        ("view", args.view), ("date_from", args.date_from), ("date_to", args.date_to),
        ("normalisation", args.normalisation), ("duplicates", args.duplicates),
        ("window", args.window)) if v}
    if options and args.format not in NETWORK_FORMATS:
        raise StancemarkError("--view, --normalisation, --duplicates, --from, --to and "
                              "--window apply to the network formats "
                              f"({', '.join(NETWORK_FORMATS)})")
    if args.window:
        options["window_size"] = args.window_size
    f = filter_from_args(args, annotators=False)
    if f.with_(search="") != type(f)():
        if args.format in NETWORK_FORMATS:
            options["stance_filter"] = f.with_(search="")
        else:
            from dataclasses import replace

            from stancemark.store.stance_query import filter_uids

            articles, uids = filter_uids(repo, scope_filter_of(repo, scope, f))
            scope = replace(scope, article_uids=articles, annotation_uids=uids,
                            kinds=("stance",), query=None, status=None)
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


def scope_filter_of(repo: Repository, scope: Scope, f: StanceFilter) -> StanceFilter:
    """The export scope's articles and annotators, narrowed by the stance filter."""
    from stancemark.formats.stance_network import scope_filter

    return scope_filter(repo, scope, f.with_(search=""))
