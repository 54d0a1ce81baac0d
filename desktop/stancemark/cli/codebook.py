"""`stancemark codebook show | export --out FILE | import FILE`.

import reads Stancemark's YAML codebook file (formats.codebook_file), a Label Studio
labeling config (.xml) or a brat annotation.conf (formats.codebook_schemes), chosen
by --format or the file name; the whole import is one transaction, audited, after a
backup of the store.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TYPE_CHECKING

from stancemark.core.errors import StancemarkError

if TYPE_CHECKING:
    from stancemark.cli.common import Subparsers
    from stancemark.store.repository import Repository

SCHEME_FORMATS = ("yaml", "labelstudio", "brat")


def register(sub: Subparsers) -> None:
    p = sub.add_parser("codebook", help="show, export or import the codebook (span kinds, "
                       "attributes, article variables)")
    cmds = p.add_subparsers(dest="codebook_command", metavar="ACTION", required=True)
    s = cmds.add_parser("show", help="list the codebook")
    s.set_defaults(func=cmd_show)
    s = cmds.add_parser("export", help="write the codebook as a YAML file")
    s.add_argument("--out", type=Path, required=True, metavar="FILE")
    s.set_defaults(func=cmd_export)
    s = cmds.add_parser("import", help="add kinds and attributes from a codebook file, a Label "
                        "Studio labeling config or a brat annotation.conf (nothing is removed)")
    s.add_argument("path", type=Path, metavar="FILE")
    s.add_argument("--format", choices=SCHEME_FORMATS,
                   help="yaml (Stancemark), labelstudio (labeling config XML) or brat "
                        "(annotation.conf); default: from the file name")
    s.set_defaults(func=cmd_import)


def scheme_format(path: Path) -> str:
    name = path.name.lower()
    if name.endswith((".yaml", ".yml")):
        return "yaml"
    if name.endswith(".xml"):
        return "labelstudio"
    if name.endswith(".conf"):
        return "brat"
    raise StancemarkError(f"{path}: cannot tell the codebook format from the name; use "
                          f"--format ({', '.join(SCHEME_FORMATS)})")


def cmd_show(args: argparse.Namespace, repo: Repository) -> int:
    from stancemark.formats.codebook_file import show_codebook

    print(show_codebook(repo.codebook()))
    return 0


def cmd_export(args: argparse.Namespace, repo: Repository) -> int:
    from stancemark.formats.codebook_file import write_codebook

    write_codebook(repo.codebook(), args.out)
    print(f"codebook written to {args.out}")
    return 0


def cmd_import(args: argparse.Namespace, repo: Repository) -> int:
    from stancemark.formats.codebook_apply import apply_specs
    from stancemark.store.backups import backup_before

    fmt = args.format or scheme_format(args.path)
    if fmt == "yaml":
        from stancemark.formats.codebook_file import read_codebook

        kinds, attributes = read_codebook(args.path)
    else:
        from stancemark.formats import codebook_schemes

        reader = (codebook_schemes.read_labelstudio_config if fmt == "labelstudio"
                  else codebook_schemes.read_brat_conf)
        kinds, attributes = reader(args.path)
    backup_before(repo.db, "codebook-import")
    report = apply_specs(repo, kinds, attributes, str(args.path))
    print(report.summary(str(args.path)))
    return 0
