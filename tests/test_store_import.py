"""Importing the store keeps sqlite-utils from loading pandas, and leaves no trace."""

from __future__ import annotations

import subprocess
import sys

import pytest

pytest.importorskip("pandas")


def test_the_store_loads_without_pandas_and_pandas_still_imports_afterwards():
    code = (
        "import sys\n"
        "import stancemark.store, sqlite_utils.db as db\n"
        "assert 'pandas' not in sys.modules, 'sqlite-utils loaded pandas'\n"
        "assert db.pd is None\n"
        "assert all(m is not None for m in sys.modules.values()), 'a hidden name stayed'\n"
        "import pandas\n"
        "assert pandas.DataFrame({'a': [1]}).shape == (1, 1)\n")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            timeout=120)
    assert result.returncode == 0, result.stderr[-2000:]


def test_pandas_imported_first_is_left_alone():
    code = ("import pandas, stancemark.store, sqlite_utils.db as db\n"
            "assert db.pd is pandas\n")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            timeout=120)
    assert result.returncode == 0, result.stderr[-2000:]
