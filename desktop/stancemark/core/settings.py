"""User settings kept in a small JSON file in the user config folder.

The window keeps its geometry in QSettings; what the command line also needs
(the annotator's name, backup count) lives here so both agree.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

ENV_CONFIG = "STANCEMARK_CONFIG"
DEFAULTS: dict[str, Any] = {"annotator": None, "backups_kept": 10}


def config_path() -> Path:
    env = os.environ.get(ENV_CONFIG)
    if env:
        return Path(env).expanduser()
    import platformdirs

    return Path(platformdirs.user_config_dir("Stancemark", appauthor=False)) / "settings.json"


def load() -> dict[str, Any]:
    path = config_path()
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        if not isinstance(data, dict):
            data = {}
    except (OSError, ValueError):
        data = {}
    return {**DEFAULTS, **data}


def save(values: dict[str, Any]) -> None:
    path = config_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    tmp.write_text(json.dumps(values, indent=2, ensure_ascii=False), encoding="utf-8")
    os.replace(tmp, path)


def get(key: str) -> Any:
    return load().get(key)


def set_value(key: str, value: Any) -> None:
    values = load()
    values[key] = value
    save(values)
