"""Soak the crash harness: hundreds of SIGKILLed writers, then the figures.

    python tests/reliability/soak.py [TRIALS] [SEED]

(or STANCEMARK_SOAK=300 pytest tests/reliability). Exits non-zero if anything
reported committed was lost, an interrupted import was half done, or a store
failed its integrity check.
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from crash_harness import run  # noqa: E402


def main(argv: list[str]) -> int:
    trials = int(argv[0]) if argv else int(os.environ.get("STANCEMARK_SOAK", "300"))
    seed = int(argv[1]) if len(argv) > 1 else 1
    with tempfile.TemporaryDirectory(prefix="stancemark-soak-") as tmp:
        os.environ["STANCEMARK_CONFIG"] = str(Path(tmp) / "settings.json")
        os.environ["STANCEMARK_STORE"] = str(Path(tmp) / "unused.sqlite")
        started = time.monotonic()
        figures = run(trials, Path(tmp), seed=seed, progress=True)
        took = time.monotonic() - started
    print(f"soak: {figures.line()} ({took:.0f} s, seed {seed})")
    for p in figures.problems[:20]:
        print("  problem:", p)
    for line in figures.partial_samples[:5]:
        print("  cut line:", repr(line))
    return 0 if figures.ok() else 1


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
