"""`stancemark merge`, `stancemark agreement` and `stancemark review-progress`."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from stancemark.core.errors import StancemarkError

if TYPE_CHECKING:
    from stancemark.cli.common import Subparsers
    from stancemark.core.agreement import Figure
    from stancemark.core.model import Annotator
    from stancemark.store.repository import Repository
    from stancemark.store.review import AttributeReader, ReviewStore

MEASURE_ORDER = ("precision_exact", "recall_exact", "f1_exact", "precision_overlap",
                 "recall_overlap", "f1_overlap", "kappa_actor", "kappa_date", "kappa_polarity",
                 "kappa_target", "kappa_holder", "alpha_actor", "alpha_date", "alpha_polarity",
                 "alpha_target", "alpha_holder", "u_alpha")


def register(sub: Subparsers) -> None:
    s = sub.add_parser("merge", help="merge a colleague's store file or native JSONL export "
                       "into this store (idempotent; a backup is taken first)")
    s.add_argument("path", type=Path, metavar="PATH")
    s.set_defaults(func=cmd_merge)

    s = sub.add_parser("agreement", help="inter-annotator agreement: P/R/F1 on spans, Cohen's "
                       "kappa and Krippendorff's alpha on labels, unitizing alpha")
    s.add_argument("--annotators", metavar="A,B[,C]",
                   help="annotator names (default: every annotator with annotations, not gold)")
    s.add_argument("--kind", metavar="KIND", help="only this span kind (a name of the codebook)")
    s.add_argument("--by", choices=["corpus", "article"], default="corpus",
                   help="figures over the corpus (default) or per article as well")
    s.add_argument("--format", choices=["table", "csv", "json"], default="table")
    s.add_argument("--out", type=Path, help="write to this file (default: standard output)")
    s.set_defaults(func=cmd_agreement)

    s = sub.add_parser("review-progress", help="per-article adjudication progress into gold")
    s.add_argument("--annotators", metavar="A,B[,C]", help="annotators under review")
    s.set_defaults(func=cmd_review_progress)


def cmd_merge(args: argparse.Namespace, repo: Repository) -> int:
    from stancemark.formats.merge_input import merge_path

    report = merge_path(repo, args.path)
    print(report.summary())
    if report.backup:
        print(f"backup of the store before the merge: {report.backup}", file=sys.stderr)
    return 0


def chosen_annotators(review: ReviewStore, names: str | None) -> list[Annotator]:
    if names:
        anns = review.annotators_by_names(n for n in names.split(",") if n.strip())
    else:
        anns = review.annotators_with_annotations()
    if len(anns) < 2:
        raise StancemarkError("agreement needs two or more annotators with annotations "
                              "(merge colleagues' stores first, or name them with --annotators)")
    return anns


def cmd_agreement(args: argparse.Namespace, repo: Repository) -> int:
    from stancemark.core.agreement import compute_agreement
    from stancemark.store.review import ReviewStore

    review = ReviewStore(repo)
    anns = chosen_annotators(review, args.annotators)
    book = repo.codebook()
    if args.kind:
        chosen = book.kind_by_name(args.kind)
        if chosen is None:
            raise StancemarkError(f"unknown kind {args.kind!r} (the codebook has "
                                  f"{', '.join(k.name for k in book.kinds)})")
        kinds: tuple[str, ...] = (chosen.uid,)
    else:
        kinds = book.kind_uids()
    uids = [a.uid for a in anns]
    # read (and their figures computed) beside the span figures
    attributes = review.attribute_reader(uids, book, figures=True)
    try:
        spans = review.span_table(uids, kinds)
        lengths = review.lengths(spans.article_uids())
        report = compute_agreement(spans, uids, lengths, by=args.by, kinds=kinds)
        names = {a.uid: a.name for a in anns}
        rows = [figure_row(f, names) for f in report.figures]
        for r in rows:
            r["kind"] = r["kind"] if r["kind"] == "all" else book.name(r["kind"])
        rows += attribute_rows(repo, uids, kinds, args.kind is None, attributes)
    finally:
        attributes.close()
    text = render(rows, args.format)
    if args.out:
        from stancemark.formats.common import atomic_write

        with atomic_write(args.out, newline="" if args.format == "csv" else "\n") as fh:
            fh.write(text)
        print(f"wrote {args.out}: {len(rows)} figure(s)", file=sys.stderr)
    else:
        sys.stdout.write(text)
    return 0


def attribute_rows(repo: Repository, uids: list[str], kinds: tuple[str, ...],
                   variables: bool, reader: AttributeReader | None = None) -> list[dict[str, Any]]:
    """Krippendorff's alpha per attribute (metric from its type), corpus scope: measure
    "alpha_<metric>:<attribute name>", kind the span kind's name ("article" for article
    variables). `reader`: the values' reading begun earlier (ReviewStore.attribute_reader)."""
    from stancemark.core.attribute_agreement import variable_figures
    from stancemark.core.attribute_agreement_columns import span_attribute_figures_columns
    from stancemark.store.review import ReviewStore

    book = repo.codebook()
    every = (reader.figures() if reader is not None else
             span_attribute_figures_columns(book, ReviewStore(repo).attribute_columns(uids, book)))
    figures = [f for f in every if f.kind in kinds]
    if variables:
        figures += variable_figures(book, repo.variable_value_rows(uids), uids)
    return [{"scope": "corpus", "kind": "article" if f.kind == "article" else book.name(f.kind),
             "annotators": "all", "measure": f"alpha_{f.metric}:{f.attribute}",
             "value": None if f.value is None else round(f.value, 4), "n": f.n}
            for f in figures]


def figure_row(f: Figure, names: dict[str, str]) -> dict[str, Any]:
    pair = "all" if f.pair == "all" else " | ".join(names.get(u, u) for u in f.pair.split("|"))
    return {"scope": f.scope, "kind": f.kind, "annotators": pair, "measure": f.measure,
            "value": None if f.value is None else round(f.value, 4), "n": f.n}


def render(rows: list[dict[str, Any]], fmt: str) -> str:
    if fmt == "json":
        return json.dumps(rows, ensure_ascii=False, indent=1) + "\n"
    if fmt == "csv":
        import io

        from stancemark.formats.common import csv_writer, safe_cell

        buf = io.StringIO(newline="")
        w = csv_writer(buf)
        w.writerow(["scope", "kind", "annotators", "measure", "value", "n"])
        for r in rows:
            w.writerow([safe_cell(r[k]) if r[k] is not None else "" for k in
                        ("scope", "kind", "annotators", "measure", "value", "n")])
        return buf.getvalue()
    return table(rows)


SHORT = {"precision": "P", "recall": "R", "f1": "F1", "kappa": "k", "alpha": "a",
         "polarity": "pol", "target": "tgt", "holder": "hld", "actor": "act", "date": "date"}


def short_name(measure: str) -> str:
    """f1_overlap -> F1~, precision_exact -> P=, kappa_polarity -> k.pol, u_alpha -> u-alpha."""
    if measure == "u_alpha":
        return "u-alpha"
    head, _, tail = measure.partition("_")
    if tail in ("exact", "overlap"):
        return SHORT[head] + ("=" if tail == "exact" else "~")
    return f"{SHORT[head]}.{SHORT.get(tail, tail)}"


def table(rows: list[dict[str, Any]]) -> str:
    """One block per scope and kind: a line per annotator pair (and "all"), a column per
    figure that kind has."""
    blocks: dict[tuple[str, str], dict[str, dict[str, Any]]] = {}
    for r in rows:
        blocks.setdefault((r["scope"], r["kind"]), {}).setdefault(r["annotators"], {})[
            r["measure"]] = r
    lines = ["P/R/F1: '=' exact boundaries, '~' overlap; k. Cohen's kappa, a. Krippendorff's "
             "alpha on act(or), date, pol(arity), t(ar)g(e)t, h(o)ld(er); '-' undefined"]
    per_attribute = [r for r in rows if ":" in r["measure"]]
    blocks = {key: by_pair for key, by_pair in blocks.items()
              if any(":" not in m for ms in by_pair.values() for m in ms)}
    for (scope, kind), by_pair in blocks.items():
        measures = [m for m in MEASURE_ORDER if any(m in ms for ms in by_pair.values())]
        width = max(10, *(len(p) for p in by_pair))
        lines.append("")
        lines.append(f"{scope} · {kind}")
        lines.append(f"  {'annotators':<{width}} " + " ".join(f"{short_name(m):>7}" for m in measures)
                     + f" {'spans':>6}")
        for pair, ms in by_pair.items():
            cells = []
            for m in measures:
                v = ms[m]["value"] if m in ms else ""
                cells.append(f"{'-' if v is None else (f'{v:.3f}' if v != '' else ''):>7}")
            n = ms.get("f1_overlap", {}).get("n", "")
            lines.append(f"  {pair:<{width}} " + " ".join(cells) + f" {n:>6}")
    if per_attribute:
        lines += ["", "attributes · Krippendorff's alpha, the metric the attribute's type calls for"]
        width = max(len(f"{r['kind']} · {r['measure'].partition(':')[2]}") for r in per_attribute)
        for r in per_attribute:
            metric, _, name = r["measure"].partition(":")
            v = r["value"]
            lines.append(f"  {r['kind'] + ' · ' + name:<{width}} {metric[6:]:<8} "
                         f"{'-' if v is None else f'{v:.3f}':>7} {r['n']:>6}")
    return "\n".join(lines) + "\n"


def cmd_review_progress(args: argparse.Namespace, repo: Repository) -> int:
    from stancemark.store.review import ReviewStore

    review = ReviewStore(repo)
    anns = chosen_annotators(review, args.annotators)
    progress = review.corpus_progress([a.uid for a in anns])
    titles = {r.uid: r.title for r in repo.list_articles()}
    print(f"{'decided':>7} {'units':>5} {'open':>5}  title")
    for art, (done, total, open_) in sorted(progress.items(), key=lambda kv: titles.get(kv[0], "")):
        print(f"{done:>7} {total:>5} {open_:>5}  {titles.get(art, art)}")
    return 0
