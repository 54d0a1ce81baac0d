"""The results table, the machine's description, and the README's Performance section."""

from __future__ import annotations

import os
import platform
import re
import sqlite3
import statistics
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path

from stancemark.bench.figures import Figure, format_seconds

START, END = "<!-- bench:start -->", "<!-- bench:end -->"
HEADER = ("| Figure | Size | Median | Limit (yardstick) | Ratio | Budget | Within budget? "
          "| Share of budget | Peak RSS |\n| --- | --- | ---: | ---: | ---: | --- | --- | ---: "
          "| ---: |")
# Machines of the same kind differ by up to 1.6x between sessions, so a figure is only
# safely within its budget with a quarter of it to spare; the table marks those without.
HEADROOM = 0.75


@dataclass
class Row:
    figure: Figure
    median: float | None = None
    limit: float | None = None
    peak_mb: float | None = None
    error: str = ""

    @property
    def ratio(self) -> float | None:
        if self.median is None or not self.limit:
            return None
        return self.median / self.limit

    def share(self) -> float | None:
        """The figure as a share of its budget (the ratio over the ratio limit, or the
        median over the absolute budget); None where there is no budget to share."""
        b = self.figure.budget
        if self.error or self.median is None or not b.limit:
            return None
        if b.kind == "ratio":
            return None if self.ratio is None else self.ratio / b.limit
        if b.kind in ("seconds", "mb"):
            return self.median / b.limit
        return None

    def within(self) -> str:
        if self.error or self.median is None:
            return "not measured"
        share = self.share()
        return "—" if share is None else ("yes" if share <= 1 else "**no**")

    def share_text(self) -> str:
        share = self.share()
        if share is None:
            return "—"
        text = f"{share:.2f}"
        return text if share <= HEADROOM else f"**{text}**"

    def value(self, v: float | None) -> str:
        if v is None:
            return "—"
        return f"{v:.0f} MB" if self.figure.memory else format_seconds(v)

    def line(self) -> str:
        f = self.figure
        median = self.value(self.median) if not self.error else f"n/a: {self.error}"
        ratio = f"{self.ratio:.2f}×" if self.ratio is not None else "—"
        peak = f"{self.peak_mb:.0f} MB" if self.peak_mb else "—"
        return (f"| {f.title} | {f.size} | {median} | {self.value(self.limit)} | {ratio} "
                f"| {f.budget.text()} | {self.within()} | {self.share_text()} | {peak} |")


def pick(result: dict, figure: Figure) -> float | None:
    """The median a figure reports from one job's result."""
    if "error" in result:
        return None
    if figure.memory:
        info = result.get("info", {})
        values = info.get("rss_full_mb") or info.get("rss_mb") or []
    else:
        values = result["times"] if figure.series == "times" else result["series"][figure.series]
    return statistics.median(values) if values else None


def table(rows: list[Row]) -> str:
    return "\n".join([HEADER, *(r.line() for r in rows)])


def machine() -> str:
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    ram = ""
    try:
        found = re.search(r"MemTotal:\s+(\d+)", Path("/proc/meminfo").read_text())
        if found:
            ram = f", {int(found.group(1)) / 1024 / 1024:.0f} GB RAM"
    except OSError:
        pass
    try:
        qt = "PySide6 " + metadata.version("PySide6-Essentials")
    except metadata.PackageNotFoundError:
        qt = "PySide6 not installed"
    return (f"{cpu}, {os.cpu_count()} cores{ram}; {platform.system()} {platform.release()}; "
            f"Python {platform.python_version()}, SQLite {sqlite3.sqlite_version}, {qt}")


def load_before() -> float | None:
    """The machine's 1-minute load average as a run starts (None where the system has
    none): the table says whether its figures come from an idle machine."""
    try:
        return os.getloadavg()[0]
    except (AttributeError, OSError):
        return None


def _where(load: float | None) -> str:
    cores = os.cpu_count()
    if load is not None and load < 1:
        return (f"Figures come from an otherwise idle {cores}-core machine (load average "
                f"{load:.2f} as the run started); the ratios to the yardsticks, measured in "
                "the same run, are what carries over to other machines. ")
    seen = f" (load average {load:.2f} as the run started)" if load is not None else ""
    return (f"Figures come from a {cores}-core machine shared with other work{seen}, so "
            "absolute times are noisy; the ratios to the yardsticks, measured in the same "
            "run, are steadier. ")


def section(rows: list[Row], runs: int, when: str, notes: list[str],
            load: float | None = None) -> str:
    body = [
        f"Measured {when} on: {machine()}.",
        "",
        _where(load) +
        f"Each figure is the median of {runs} run(s) (the ExtraSelections yardstick: at "
        "most 3; search: every query of every run); "
        "peak RSS is the measuring process's maximum resident memory. The share of budget "
        "is the median over its budget (or the ratio over its ratio limit); it is in bold "
        f"where above {HEADROOM:g}, as machines of this kind differ by up to 1.6x between "
        "sessions and a figure needs a quarter of its budget to spare.",
        "",
        table(rows),
    ]
    if notes:
        body += ["", *notes]
    return "\n".join(body)


def write_readme(path: Path, text: str) -> None:
    """Replace what is between the bench markers (adding a Performance section with
    them if the README has none), leaving every other section as it was."""
    readme = path.read_text(encoding="utf-8") if path.exists() else ""
    block = f"{START}\n{text}\n{END}"
    if START in readme and END in readme:
        head, rest = readme.split(START, 1)
        _, tail = rest.split(END, 1)
        readme = head + block + tail
    else:
        m = re.search(r"^## Performance[^\n]*\n", readme, flags=re.MULTILINE)
        if m:
            readme = readme[:m.end()] + "\n" + block + "\n" + readme[m.end():]
        else:
            readme = readme.rstrip("\n") + ("\n\n" if readme else "") + \
                "## Performance\n\n" + block + "\n"
    tmp = path.with_name(f".{path.name}.bench.tmp")
    tmp.write_text(readme, encoding="utf-8")
    os.replace(tmp, path)
