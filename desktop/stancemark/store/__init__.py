"""The only package that speaks SQL. Built on sqlite-utils."""

import sys


def _import_sqlite_utils_without_pandas() -> None:
    """sqlite-utils imports pandas and numpy whenever they are installed, only to map
    their scalar types for tables created from Python values; our tables are created
    with SQL. On an analyst's machine with pandas that import cost about 1 s of every
    window start (measured by the benchmark), so hide them while sqlite-utils loads.
    Modules already imported are left alone; later imports of pandas work as usual.

    Why this changes import state for a moment, and no cleaner way exists:
    sqlite_utils.db calls importlib.import_module("pandas") at module level, with no
    switch to skip it, and the import system decides from process-wide state only
    (sys.modules, sys.meta_path, sys.path); there is no per-import or per-module
    setting. The alternatives are worse: importing sqlite-utils later still pays the
    second on the first store opened; patching or re-executing its source binds us to
    its internals. So the two names are hidden only for the one `import sqlite_utils`,
    in the importing thread at package import (before the window starts any thread),
    and only if nothing imported them before; tests/test_store_import.py checks that
    pandas imports normally afterwards and that no trace is left in sys.modules."""
    if "sqlite_utils" in sys.modules:
        return
    hidden = [name for name in ("pandas", "numpy") if name not in sys.modules]
    for name in hidden:
        sys.modules[name] = None  # type: ignore[assignment]  # None makes `import name` fail
    try:
        import sqlite_utils  # noqa: F401
    finally:
        for name in hidden:
            if sys.modules.get(name) is None:
                del sys.modules[name]


_import_sqlite_utils_without_pandas()

from stancemark.store.db import default_store_path, open_store  # noqa: E402
from stancemark.store.repository import Repository  # noqa: E402

__all__ = ["Repository", "default_store_path", "open_store"]
