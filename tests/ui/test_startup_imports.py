"""What a window start loads before its first frame and the first turn of its event loop
(what the start-up benchmark times): not the hub client (the last-sync label reads
store/hub_state.py), not NumPy (agreement loads it when it computes), not the Discourse
window (View ▸ Discourse loads it), not dateparser (an undated article's relative dates
need no parser), not sqlite-utils' plugin search (importlib.metadata)."""

from __future__ import annotations

import subprocess
import sys

DEFERRED = ("stancemark.store.hub.sync", "stancemark.store.merge", "numpy", "networkx",
            "dateparser", "stancemark.ui.analysis.window", "stancemark.ui.analysis.network_panel",
            "stancemark.ui.analysis.stance_table", "importlib.metadata",
            "stancemark.formats.common")

PROBE = """
import sys
from PySide6.QtCore import QSettings
from stancemark.ui.window.app import application, build_window, open_repo
app = application([])
repo = open_repo(sys.argv[1], "ana")  # as `stancemark` opens it: seeded when new
window = build_window(repo, None, QSettings(sys.argv[2], QSettings.Format.IniFormat))
window.show()
app.processEvents()
print(window.view.article is not None, window.hub_sync.label.text() == "")
print(sorted(m for m in sys.argv[3].split(",") if m in sys.modules))
"""


def test_window_start_leaves_heavy_modules_for_later(tmp_path):
    from stancemark.formats.seed import seed
    from stancemark.store import Repository, open_store

    repo = Repository(open_store(tmp_path / "s.sqlite"), "ana")
    seed(repo)  # before: seeding a new store (its first run only) reads the formats
    repo.close()
    result = subprocess.run([sys.executable, "-c", PROBE, str(tmp_path / "s.sqlite"),
                             str(tmp_path / "w.ini"), ",".join(DEFERRED)],
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr[-2000:]
    lines = result.stdout.splitlines()
    assert lines[0] == "True True", result.stdout  # an article open, the sync label read
    assert lines[1] == "[]", result.stdout
