"""Runs one measurement in its own process and prints its result as one JSON line.

A separate process per measurement gives each figure its own peak resident memory
(ru_maxrss) and keeps one figure's caches and heap from colouring the next.

    python -m stancemark.bench.worker '{"measure": "...", "params": {...}, "runs": 5}'

A measure is a function (params, runs) -> dict with "times" (seconds, one per run)
and optionally "info" (counts, memory readings) found in MEASURES below.
"""

from __future__ import annotations

import importlib
import json
import os
import resource
import sys
import traceback
from collections.abc import Callable
from pathlib import Path
from typing import Any

RESULT_MARK = "BENCH-RESULT "
PROFILE_ENV = "STANCEMARK_BENCH_PROFILE"  # a folder: write a pyinstrument report per measure

# measure name -> "module:function"; modules are imported only when asked for, so the
# SQL-only measures never load Qt.
MEASURES: dict[str, str] = {
    "import_repo": "stancemark.bench.measures:import_repo",
    "import_bulk": "stancemark.bench.measures:import_bulk",
    "import_text": "stancemark.bench.measures:import_text",
    "import_raw": "stancemark.bench.yardsticks:import_raw",
    "export_native": "stancemark.bench.measures:export_native",
    "export_raw": "stancemark.bench.yardsticks:export_raw",
    "search": "stancemark.bench.measures:search",
    "merge": "stancemark.bench.measures:merge",
    "agreement": "stancemark.bench.measures:agreement",
    "startup_app": "stancemark.bench.window_probe:startup_app",
    "startup_register": "stancemark.bench.register_startup:startup_register",
    "startup_bare": "stancemark.bench.yardsticks:startup_bare",
    "paint_app": "stancemark.bench.window_probe:paint_app",
    "paint_extrasel": "stancemark.bench.yardsticks:paint_extrasel",
    "tag_app": "stancemark.bench.window_probe:tag_app",
    "discourse_table": "stancemark.bench.discourse_probe:table_app",
    "discourse_filter": "stancemark.bench.discourse_probe:filter_app",
    "discourse_network": "stancemark.bench.discourse_probe:network_app",
    "discourse_step": "stancemark.bench.discourse_probe:step_app",
    "discourse_table_raw": "stancemark.bench.discourse_yardsticks:table_raw",
    "discourse_filter_raw": "stancemark.bench.discourse_yardsticks:filter_raw",
    "discourse_network_nx": "stancemark.bench.discourse_yardsticks:network_nx",
    "discourse_step_nx": "stancemark.bench.discourse_yardsticks:step_nx",
    "discourse_window_rss": "stancemark.bench.discourse_yardsticks:window_rss",
    "hub_push": "stancemark.bench.hub_bench:hub_push",
    "hub_pull": "stancemark.bench.hub_bench:hub_pull",
    "hub_copy_in": "stancemark.bench.hub_bench:copy_in",
    "hub_copy_out": "stancemark.bench.hub_bench:copy_out_sqlite_in",
    "suggest_long": "stancemark.bench.suggest_bench:suggest_long",
    "suggest_long_bare": "stancemark.bench.suggest_bench:suggest_long_bare",
    "suggest_match": "stancemark.bench.suggest_bench:suggest_match",
    "suggest_match_bare": "stancemark.bench.suggest_bench:suggest_match_bare",
    "suggest_store": "stancemark.bench.suggest_bench:suggest_store",
    "suggest_store_raw": "stancemark.bench.suggest_bench:suggest_store_raw",
    "suggest_window": "stancemark.bench.suggest_probe:suggest_window",
}


def load(name: str) -> Callable[[dict, int], dict]:
    module, func = MEASURES[name].split(":")
    return getattr(importlib.import_module(module), func)


def peak_rss_mb() -> float:
    """Peak resident memory of this process and of any child it waited for, in MB."""
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    kids = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return max(own, kids) / 1024  # Linux reports KiB


def main(argv: list[str]) -> int:
    job: dict[str, Any] = json.loads(argv[0])
    profile_dir = os.environ.get(PROFILE_ENV)
    profiler = None
    if profile_dir:
        from pyinstrument import Profiler  # the "bench" extra

        profiler = Profiler(interval=0.001)
        profiler.start()
    try:
        result = load(job["measure"])(job.get("params", {}), int(job.get("runs", 3)))
    except Exception as exc:  # reported to the parent, which shows the row as failed
        traceback.print_exc()
        result = {"error": f"{type(exc).__name__}: {exc}"}
    if profiler is not None and profile_dir:
        profiler.stop()
        out = Path(profile_dir) / f"{job['measure']}.txt"
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(profiler.output_text(unicode=True, color=False), encoding="utf-8")
    result.setdefault("peak_rss_mb", peak_rss_mb())
    sys.stdout.flush()
    print(RESULT_MARK + json.dumps(result), flush=True)
    return 0


if __name__ == "__main__":
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    sys.exit(main(sys.argv[1:]))
