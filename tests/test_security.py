"""Security basics, checked on the source itself and on files the app creates.

- SQL is only ever parameterised: every execute-like call in store/ gets a plain
  string, or an f-string whose holes are fixed identifiers (table and column names,
  fixed SQL fragments built in the same module), never a value.
- No pickle, marshal, eval, exec (the builtin), os.system or shell=True in desktop/.
- The store and its backups are readable by their owner only.
"""

from __future__ import annotations

import ast
import stat
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "desktop" / "stancemark"
EXECUTE_NAMES = {"execute", "executemany", "executescript", "_one", "_count", "query"}
# Names an f-string in SQL may interpolate: identifiers and SQL fragments the code
# itself builds from fixed lists (never from a caller's value).
FIXED_IDENTIFIERS = {
    "table", "col", "sets", "where", "schema", "name", "diff", "self.table",
    "marks",  # ",".join("?" * n): placeholders
    "column_sql",  # register_edits._in_use: every caller passes a literal
}


def _fixed(expr: ast.expr) -> bool:
    """An interpolation that cannot carry a user's value into the SQL text."""
    if isinstance(expr, ast.Name):
        # listed identifiers, and module constants (ALL_CAPS by convention)
        return expr.id in FIXED_IDENTIFIERS or expr.id.isupper()
    if isinstance(expr, ast.Attribute):
        return ast.unparse(expr) in FIXED_IDENTIFIERS
    if isinstance(expr, ast.Call):
        if isinstance(expr.func, ast.Name) and expr.func.id == "int":
            return True  # a number cannot inject
        # ", ".join(...) of names or "?" marks built right there
        return isinstance(expr.func, ast.Attribute) and expr.func.attr == "join"
    return False


def _python_files(folder: Path) -> list[Path]:
    return sorted(p for p in folder.rglob("*.py") if "__pycache__" not in p.parts)


def _sql_holes(path: Path) -> list[str]:
    """Expressions interpolated into SQL given to an execute-like call."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    bad = []
    for node in ast.walk(tree):
        if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
                and node.func.attr in EXECUTE_NAMES and node.args):
            continue
        sql = node.args[0]
        parts = [sql.left, sql.right] if isinstance(sql, ast.BinOp) and isinstance(sql.op, ast.Add) \
            else [sql]
        for part in parts:
            if isinstance(part, ast.JoinedStr):
                bad += [f"{path.name}:{node.lineno}: {ast.unparse(v.value)}" for v in part.values
                        if isinstance(v, ast.FormattedValue) and not _fixed(v.value)]
            elif isinstance(part, ast.Call) and isinstance(part.func, ast.Attribute) \
                    and part.func.attr == "format":
                bad.append(f"{path.name}:{node.lineno}: str.format() in SQL")
            elif isinstance(part, ast.BinOp) and isinstance(part.op, ast.Mod):
                bad.append(f"{path.name}:{node.lineno}: % formatting in SQL")
    return bad


def test_sql_in_store_is_parameterised():
    bad = [hole for f in _python_files(PACKAGE / "store") for hole in _sql_holes(f)]
    assert not bad, ("values interpolated into SQL (use ? parameters; if it is a fixed "
                     "identifier, check every caller and add its name to FIXED_IDENTIFIERS):\n"
                     + "\n".join(bad))


def test_the_sql_checker_catches_an_interpolated_value(tmp_path):
    sample = tmp_path / "sample.py"
    sample.write_text('def f(conn, title):\n'
                      '    conn.execute(f"SELECT * FROM articles WHERE title = \'{title}\'")\n'
                      '    conn.execute("SELECT %s" % title)\n')
    assert len(_sql_holes(sample)) == 2


def test_no_sql_outside_the_store():
    offenders = []
    for f in _python_files(PACKAGE):
        rel = f.relative_to(PACKAGE)
        if rel.parts[0] in ("store", "bench"):
            continue
        tree = ast.parse(f.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
                    and node.func.attr in ("execute", "executemany", "executescript")):
                offenders.append(f"{rel}:{node.lineno}")
    assert not offenders, offenders


DANGEROUS_MODULES = {"pickle", "cPickle", "marshal", "shelve", "dill"}


def test_no_code_execution_from_data():
    found = []
    for f in _python_files(PACKAGE):
        tree = ast.parse(f.read_text(encoding="utf-8"))
        rel = f.relative_to(PACKAGE)
        for node in ast.walk(tree):
            if isinstance(node, ast.Import | ast.ImportFrom):
                names = [a.name for a in node.names] if isinstance(node, ast.Import) else [node.module or ""]
                found += [f"{rel}:{node.lineno}: import {n}" for n in names
                          if n.split(".")[0] in DANGEROUS_MODULES]
            if isinstance(node, ast.Call):
                fn = node.func
                if isinstance(fn, ast.Name) and fn.id in ("eval", "exec", "compile", "__import__"):
                    static = fn.id == "__import__" and node.args and isinstance(node.args[0], ast.Constant)
                    if not static:  # __import__("a.fixed.module") is only an import
                        found.append(f"{rel}:{node.lineno}: {fn.id}()")
                if isinstance(fn, ast.Attribute) and fn.attr in ("system", "popen") and \
                        isinstance(fn.value, ast.Name) and fn.value.id == "os":
                    found.append(f"{rel}:{node.lineno}: os.{fn.attr}()")
                for kw in node.keywords:
                    if kw.arg == "shell" and not (isinstance(kw.value, ast.Constant)
                                                  and kw.value.value is False):
                        found.append(f"{rel}:{node.lineno}: shell=")
                if isinstance(fn, ast.Attribute) and fn.attr == "load" and \
                        isinstance(fn.value, ast.Name) and fn.value.id == "yaml":
                    found.append(f"{rel}:{node.lineno}: yaml.load")
    assert not found, found


def test_xml_is_parsed_with_defusedxml():
    unsafe = []
    for f in _python_files(PACKAGE):
        text = f.read_text(encoding="utf-8")
        for bad in ("xml.etree.ElementTree import parse", "ElementTree.parse(", "ElementTree.fromstring(",
                    "minidom.parse", "xml.sax.parse", "lxml.etree.parse(", "etree.fromstring("):
            if bad in text and "defusedxml" not in text:
                unsafe.append(f"{f.relative_to(PACKAGE)}: {bad}")
    assert not unsafe, unsafe


@pytest.mark.parametrize("umask", [0o022, 0o000])
def test_store_and_backups_private_whatever_the_umask(tmp_path, umask):
    import os

    from stancemark.store import Repository, backups, open_store

    old = os.umask(umask)
    try:
        path = tmp_path / "private" / "store.sqlite"
        repo = Repository(open_store(path), "ana")
        repo.add_topic("Secrets")
        info = backups.make_backup(repo.db, "manual")
        side = [p for p in path.parent.glob("store.sqlite-*")]  # -wal, -shm while open
        modes = {p.name: stat.S_IMODE(p.stat().st_mode) for p in [path, info.path, *side]}
        repo.close()
    finally:
        os.umask(old)
    assert all(m == 0o600 for m in modes.values()), modes
    assert stat.S_IMODE(backups.backup_dir(path).stat().st_mode) == 0o700
