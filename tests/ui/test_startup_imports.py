"""What a window start loads before its first frame: not the hub client (its last-sync
label is filled on the next turn of the event loop) and not NumPy (agreement loads it
when it computes)."""

from __future__ import annotations

import subprocess
import sys

PROBE = """
import sys
from PySide6.QtCore import QSettings
from stancemark.store import Repository, open_store
from stancemark.ui.window.app import application, build_window
app = application([])
repo = Repository(open_store(sys.argv[1]), "ana")
window = build_window(repo, None, QSettings(sys.argv[2], QSettings.Format.IniFormat))
window.show()
print(sorted(m for m in ("stancemark.store.hub", "numpy") if m in sys.modules))
"""


def test_window_start_leaves_the_hub_client_and_numpy_for_later(tmp_path):
    result = subprocess.run([sys.executable, "-c", PROBE, str(tmp_path / "s.sqlite"),
                             str(tmp_path / "w.ini")], capture_output=True, text=True,
                            timeout=120)
    assert result.returncode == 0, result.stderr[-2000:]
    assert result.stdout.splitlines()[0] == "[]", result.stdout
