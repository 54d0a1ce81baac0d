"""The one-way arrow ui -> formats -> store -> core: Qt only in ui, SQL only in store."""

from __future__ import annotations

import ast
import re
import subprocess
import sys
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1] / "desktop" / "stancemark"
SQL = re.compile(r"\b(SELECT\s+.+\s+FROM|INSERT\s+INTO|UPDATE\s+\w+\s+SET|DELETE\s+FROM|"
                 r"CREATE\s+(TABLE|INDEX|TRIGGER|VIRTUAL)|PRAGMA\s+\w+|ATTACH\s+DATABASE)\b",
                 re.IGNORECASE | re.DOTALL)
# Yardsticks of the benchmark compare against raw sqlite3 and ExtraSelections on purpose.
EXEMPT = {"bench"}


def _modules(exclude_top: str):
    for path in PACKAGE.rglob("*.py"):
        rel = path.relative_to(PACKAGE)
        if rel.parts[0] in (exclude_top, *EXEMPT):
            continue
        yield rel, ast.parse(path.read_text(encoding="utf-8"))


def _imports(tree: ast.AST):
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            yield from (a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            yield node.module


def test_qt_only_in_ui():
    offenders = [str(rel) for rel, tree in _modules("ui")
                 if any(m.split(".")[0] in ("PySide6", "shiboken6", "PyQt5", "PyQt6")
                        for m in _imports(tree))]
    assert offenders == []


def test_sql_only_in_store():
    offenders = []
    for rel, tree in _modules("store"):
        for node in ast.walk(tree):
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and \
                    node.func.attr in ("execute", "executemany", "executescript"):
                offenders.append(f"{rel}:{node.lineno} calls .{node.func.attr}()")
            if isinstance(node, ast.Constant) and isinstance(node.value, str) and \
                    SQL.search(node.value):
                offenders.append(f"{rel}:{node.lineno} holds SQL text")
            if any(m.split(".")[0] in ("sqlite3", "sqlite_utils") for m in _imports(node)
                   ) if isinstance(node, ast.Import | ast.ImportFrom) else False:
                offenders.append(f"{rel}:{node.lineno} imports an SQLite module")
    assert offenders == []


def test_core_imports_nothing_above_it():
    offenders = [str(rel) for rel, tree in _modules("")
                 if rel.parts[0] == "core" and any(
                     m.startswith(("stancemark.store", "stancemark.formats", "stancemark.ui"))
                     for m in _imports(tree))]
    assert offenders == []


def test_import_linter_contract():
    exe = Path(sys.executable).with_name("lint-imports")
    result = subprocess.run([str(exe)], capture_output=True, text=True,
                            cwd=PACKAGE.parents[1], timeout=300)
    assert result.returncode == 0, result.stdout[-2000:]


def test_no_module_reaches_into_the_repository():
    """The store's inside stays inside: other modules use the Repository's public methods
    (repo.audit, not repo._audit), and the annotation columns come from store.columns."""
    offenders = []
    for path in PACKAGE.rglob("*.py"):
        rel = path.relative_to(PACKAGE)
        if rel.parts[0] in EXEMPT or rel.name in ("repository.py", "registers.py"):
            continue  # the Repository and its mixin use their own plumbing
        text = path.read_text(encoding="utf-8")
        offenders += [f"{rel}: repo.{m}" for m in re.findall(r"\brepo\._(\w+)", text)]
        if rel.name != "columns.py" and re.search(r"target_topic_id,\s*target_actor_id", text):
            offenders.append(f"{rel}: spells out the annotation column list")
    assert offenders == []
