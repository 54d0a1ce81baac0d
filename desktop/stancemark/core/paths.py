"""Where bundled data (seed articles, resources) lives in each kind of install.

Checked in order: a frozen app's bundle folder, the source tree (editable
install or a checkout), then the wheel's data folder under sys.prefix.
"""

from __future__ import annotations

import sys
from pathlib import Path

_SRC_ROOT = Path(__file__).resolve().parents[3]  # desktop/stancemark/core -> project root


def _candidates(name: str) -> list[Path]:
    out = []
    bundle = getattr(sys, "_MEIPASS", None)
    if bundle:
        out.append(Path(bundle) / name)
    out.append(_SRC_ROOT / name)
    out.append(Path(sys.prefix) / "share" / "stancemark" / name)
    return out


def data_dir(name: str) -> Path:
    """The first existing folder called `name` (e.g. "seeds", "resources")."""
    for path in _candidates(name):
        if path.is_dir():
            return path
    raise FileNotFoundError(f"bundled folder {name!r} not found (looked in "
                            f"{', '.join(str(p) for p in _candidates(name))})")


def seeds_dir() -> Path:
    return data_dir("seeds")


def resources_dir() -> Path:
    return data_dir("resources")
