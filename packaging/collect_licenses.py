"""Collect the licence texts of everything the frozen app bundles into resources/licenses/.

Walks the run-time dependency closure of the installed `stancemark` distribution (with
the extras the frozen app bundles), copies each distribution's licence files, adds what is not a Python
distribution (Python itself, Qt's LGPL/GPL texts), and writes components.json, which
the About dialog lists. Run it with the project's environment after changing
dependencies, and commit the result:  .venv/bin/python packaging/collect_licenses.py
"""

from __future__ import annotations

import json
import re
import sys
import sysconfig
from importlib import metadata
from pathlib import Path

from packaging.requirements import Requirement

OUT = Path(__file__).resolve().parents[1] / "resources" / "licenses"
COMMON_LICENSES = Path("/usr/share/common-licenses")  # Debian's full licence texts

# Distributions whose metadata names the licence badly or not at all.
LICENCE_OVERRIDES = {
    "defusedxml": "PSF-2.0",
    "pyside6-essentials": "LGPL-3.0-only (offered as LGPL-3.0 / GPL-2.0 / GPL-3.0)",
    "shiboken6": "LGPL-3.0-only (offered as LGPL-3.0 / GPL-2.0 / GPL-3.0)",
    "sqlite-fts4": "Apache-2.0",
    "pytz": "MIT",
}
# Extras of stancemark that packaging/stancemark.spec bundles.
BUNDLED_EXTRAS = ("docs",)
# Installer tools some dependencies declare (sqlite-utils' `install` command) but that
# packaging/stancemark.spec excludes from the bundle.
NOT_BUNDLED = {"pip", "setuptools", "wheel"}
# Qt and PySide6: which obligation applies to the one-folder build, in plain words.
LGPL_NOTE = ("Used under the LGPL-3.0. The one-folder build keeps the Qt and PySide6 "
             "libraries as separate files in _internal/ (PySide6/, shiboken6/ and "
             "the libQt6*.so / Qt6*.dll files): you may replace them with your own builds "
             "of the same major version; the source is at https://code.qt.io.")


def _norm(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def runtime_closure(root: str, extras: tuple[str, ...] = BUNDLED_EXTRAS
                    ) -> list[metadata.Distribution]:
    seen: dict[str, metadata.Distribution] = {}
    todo = [root]
    while todo:
        name = todo.pop()
        try:
            dist = metadata.distribution(name)
        except metadata.PackageNotFoundError:
            continue  # a marker-excluded or optional dependency that is not installed
        key = _norm(dist.metadata["Name"])
        if key in seen:
            continue
        seen[key] = dist
        for spec in dist.requires or []:
            req = Requirement(spec)
            wanted = ("",) + (extras if _norm(name) == _norm(root) else ())
            if req.marker is None or any(req.marker.evaluate({"extra": e}) for e in wanted):
                todo.append(req.name)
    seen.pop(_norm(root), None)
    return sorted(seen.values(), key=lambda d: _norm(d.metadata["Name"]))


def licence_of(dist: metadata.Distribution) -> str:
    md = dist.metadata
    key = _norm(md["Name"])
    if key in LICENCE_OVERRIDES:
        return LICENCE_OVERRIDES[key]
    expr = md.get("License-Expression")
    if expr:
        return expr
    lic = (md.get("License") or "").strip()
    if lic and "\n" not in lic and len(lic) < 60:
        return lic
    classifiers = [c.split(" :: ")[-1] for c in md.get_all("Classifier") or []
                   if c.startswith("License :: ")]
    return " / ".join(classifiers) or "see licence file"


def licence_files(dist: metadata.Distribution) -> list[Path]:
    out = []
    for f in dist.files or []:
        name = f.name.lower()
        if (name.startswith(("license", "licence", "copying", "notice"))
                and ".dist-info" in str(f)):
            out.append(Path(dist.locate_file(f)))
    return out


def main() -> int:
    OUT.mkdir(parents=True, exist_ok=True)
    from stancemark import __version__

    components = [{"name": "Stancemark", "version": __version__, "license": "MIT",
                   "files": ["Stancemark-MIT.txt"]}]
    for dist in runtime_closure("stancemark"):
        name, version = dist.metadata["Name"], dist.version
        if _norm(name) in NOT_BUNDLED:
            continue
        texts = [p.read_text(encoding="utf-8", errors="replace") for p in licence_files(dist)]
        entry = {"name": name, "version": version, "license": licence_of(dist), "files": []}
        if texts:
            fname = f"{_norm(name)}.txt"
            (OUT / fname).write_text("\n\n".join(texts), encoding="utf-8")
            entry["files"].append(fname)
        if _norm(name) in ("pyside6-essentials", "shiboken6"):
            entry["files"] += ["LGPL-3.0.txt", "GPL-3.0.txt"]
            entry["note"] = LGPL_NOTE
        components.append(entry)

    # Not Python distributions, but bundled all the same.
    for src, fname in ((COMMON_LICENSES / "LGPL-3", "LGPL-3.0.txt"),
                       (COMMON_LICENSES / "GPL-3", "GPL-3.0.txt"),
                       (Path(sysconfig.get_paths()["stdlib"]) / "LICENSE.txt", "Python.txt")):
        if src.exists():
            (OUT / fname).write_text(src.read_text(encoding="utf-8"), encoding="utf-8")
    components += [
        {"name": "Qt", "version": qt_version(), "license": "LGPL-3.0-only",
         "files": ["LGPL-3.0.txt", "GPL-3.0.txt"], "note": LGPL_NOTE},
        {"name": "Python", "version": sys.version.split()[0], "license": "PSF-2.0",
         "files": ["Python.txt"]},
        {"name": "SQLite", "version": sqlite_version(), "license": "Public domain", "files": []},
        {"name": "System libraries (Linux build)", "version": "",
         "license": "various (LGPL-2.1+, MIT, BSD, FTL ...)", "files": [],
         "note": "Shared libraries copied from the build machine into _internal/ "
                 "(fontconfig, freetype, glib, harfbuzz, ICU, OpenSSL, X11/xcb ...) keep "
                 "their own licences; see the build system's /usr/share/doc/*/copyright."},
    ]
    (OUT / "components.json").write_text(json.dumps(components, indent=1) + "\n",
                                         encoding="utf-8")
    print(f"{len(components)} components, licence texts in {OUT.relative_to(OUT.parents[1])}")
    return 0


def qt_version() -> str:
    try:
        from PySide6.QtCore import qVersion
    except ImportError:
        return ""
    return qVersion()


def sqlite_version() -> str:
    import sqlite3

    return sqlite3.sqlite_version


if __name__ == "__main__":
    raise SystemExit(main())
