"""The frozen one-folder app (packaging/build.sh -> dist/stancemark/) starts, finds its
bundled data, libraries and Qt plugins, and shows its window headless.

Slow (a PyInstaller build): run in CI by `.ci/run` with `-m slow`. A build newer than
every source file is reused, so re-running after a failure does not rebuild.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from stancemark import __version__

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not sys.platform.startswith("linux"), reason="Linux build layout"),
]

ROOT = Path(__file__).resolve().parents[2]
DIST = ROOT / "dist" / "stancemark"
EXE = DIST / "stancemark"
INTERNAL = DIST / "_internal"
BUILD_TIMEOUT_S = 1200


def _newest_source_mtime() -> float:
    paths = [ROOT / "pyproject.toml", ROOT / "packaging" / "stancemark.spec",
             ROOT / "packaging" / "build.sh"]
    for folder in ("desktop/stancemark", "resources", "seeds"):
        paths += [p for p in (ROOT / folder).rglob("*")
                  if p.is_file() and "__pycache__" not in p.parts]
    return max(p.stat().st_mtime for p in paths)


@pytest.fixture(scope="module")
def frozen_app() -> Path:
    if not EXE.exists() or EXE.stat().st_mtime < _newest_source_mtime():
        result = subprocess.run(["bash", str(ROOT / "packaging" / "build.sh")], cwd=ROOT,
                                capture_output=True, text=True, timeout=BUILD_TIMEOUT_S)
        assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    assert EXE.exists()
    return EXE


def _run(exe: Path, *args: str, cwd: Path) -> subprocess.CompletedProcess:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    # The frozen app must not fall back on this checkout or the virtual environment.
    env.pop("PYTHONPATH", None)
    env.pop("VIRTUAL_ENV", None)
    return subprocess.run([str(exe), *args], capture_output=True, text=True, timeout=300,
                          env=env, cwd=cwd)


def test_version(frozen_app, tmp_path):
    result = _run(frozen_app, "--version", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == f"stancemark {__version__}"


def test_window_opens_seeds_and_paints_headless(frozen_app, tmp_path):
    """What a double-click on a store does (`stancemark FILE`), with --smoke-test."""
    store = tmp_path / "smoke.stancemark"
    result = _run(frozen_app, "--annotator", "ana", "--smoke-test", str(store), cwd=tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "smoke test: first paint" in result.stdout
    assert "icon sizes 7" in result.stdout  # resources/ found inside the bundle
    assert "licences 0," not in result.stdout
    listing = _run(frozen_app, "--store", str(store), "list", "--json", cwd=tmp_path)
    assert listing.returncode == 0, listing.stderr
    rows = [json.loads(line) for line in listing.stdout.splitlines()]
    seeds = list((ROOT / "seeds").glob("*.txt"))
    assert len(rows) == len(seeds) > 0


def test_command_line_uses_the_bundled_libraries(frozen_app, tmp_path):
    """Import (charset detection, dateparser, DOCX), seed data, and exports (networkx)."""
    store = str(tmp_path / "cli.stancemark")
    article = tmp_path / "frozen.txt"
    article.write_bytes("Title: Frozen café\nDate: Sat, 09 Jan 2021 14:00:00 GMT\n\n"
                        "Le ministère a réagi à la visite.\n".encode("cp1252"))
    docx = pytest.importorskip("docx", reason="python-docx (docs extra) writes the test file")
    document = docx.Document()
    document.add_paragraph("The spokesperson rejected the plan.")
    document.save(tmp_path / "frozen-docx.docx")
    for args in (["seed"], ["import", str(article)], ["import", str(tmp_path / "frozen-docx.docx")],
                 ["export", "--format", "graphml", "--out", str(tmp_path / "net.graphml")],
                 ["export", "--format", "jsonl", "--out", str(tmp_path / "all.jsonl")]):
        result = _run(frozen_app, "--store", store, "--annotator", "ana", *args, cwd=tmp_path)
        assert result.returncode == 0, f"{args}: {result.stderr}"
    rows = [json.loads(line) for line in
            _run(frozen_app, "--store", store, "list", "--json", cwd=tmp_path).stdout.splitlines()]
    # Titled after the file name: python-docx and lxml are bundled.
    assert [r["title"] for r in rows].count("frozen-docx") == 1
    mine = [r for r in rows if r["title"] == "Frozen café"]
    assert len(mine) == 1
    assert mine[0]["published"] == "2021-01-09"  # parsed by dateparser, not the fast path
    assert (tmp_path / "net.graphml").read_text(encoding="utf-8").startswith("<?xml")
    assert (tmp_path / "all.jsonl").stat().st_size > 0


def test_bundle_holds_plugins_and_data_but_no_dev_files(frozen_app):
    plugins = INTERNAL / "PySide6" / "Qt" / "plugins"
    for plugin in ("platforms/libqxcb.so", "platforms/libqoffscreen.so",
                   "platforms/libqwayland.so", "imageformats/libqsvg.so"):
        assert (plugins / plugin).exists(), plugin
    assert (INTERNAL / "resources" / "icons" / "stancemark-256.png").is_file()
    assert (INTERNAL / "resources" / "licenses" / "components.json").is_file()
    assert sorted(p.name for p in (INTERNAL / "seeds").iterdir()) == sorted(
        p.name for p in (ROOT / "seeds").iterdir())
    names = {p.name for p in INTERNAL.iterdir()}
    for unwanted in ("tests", "pytest", "_pytest", "hypothesis", "pandas", "spacy"):
        assert unwanted not in names, unwanted
    assert "numpy" in names, "agreement computes with numpy: the app needs it"
    assert not (INTERNAL / "resources" / "screenshots").exists()
    assert not list(INTERNAL.rglob("QtTest*")), "Qt's test module is a developer tool"
