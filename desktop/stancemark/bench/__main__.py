"""python -m stancemark.bench: measure every figure, print the table, update the README.

    python -m stancemark.bench                 full sizes (builds cached stores first)
    python -m stancemark.bench --quick         tiny sizes, a smoke run
    python -m stancemark.bench --only export,search --runs 3
    python -m stancemark.bench --sizes news_articles=10000,import_articles=1000
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import subprocess
import sys
import time
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

from stancemark.bench.figures import FULL_SIZES, QUICK_SIZES, Job, figures, store_specs
from stancemark.bench.launch import child_env
from stancemark.bench.report import Row, load_before, pick, section, table, write_readme
from stancemark.bench.stores import default_cache_dir, ensure_store, store_file
from stancemark.bench.worker import PROFILE_ENV, RESULT_MARK


def parse_sizes(text: str | None, base: dict[str, int]) -> dict[str, int]:
    sizes = dict(base)
    for item in (text or "").split(","):
        if not item.strip():
            continue
        key, _, value = item.partition("=")
        key = key.strip()
        if key not in sizes:
            raise SystemExit(f"unknown size {key!r} (known: {', '.join(sizes)})")
        sizes[key] = int(value.replace("_", ""))
    return sizes


def project_readme() -> Path | None:
    from stancemark.core.paths import seeds_dir

    try:
        readme = seeds_dir().parent / "README.md"
    except FileNotFoundError:
        return None
    return readme if (readme.parent / "pyproject.toml").exists() else None


def log(message: str) -> None:
    print(f"[bench {time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


def run_job(job: Job, runs: int, profile: Path | None = None) -> dict:
    """One job in its own process; its result, or {"error": ...}."""
    spec = json.dumps({"measure": job.measure, "params": job.params,
                       "runs": min(runs, job.runs_cap or runs)})
    env = child_env()
    if profile is not None:
        env[PROFILE_ENV] = str(profile.resolve())
    proc = subprocess.run([sys.executable, "-m", "stancemark.bench.worker", spec],
                          capture_output=True, text=True, env=env)
    for line in reversed(proc.stdout.splitlines()):
        if line.startswith(RESULT_MARK):
            result = json.loads(line[len(RESULT_MARK):])
            if "error" in result:
                log(f"{job.measure} failed: {result['error']}\n{proc.stderr[-1500:]}")
            else:
                times = ", ".join(f"{t * 1000:.1f}" for t in result["times"])
                log(f"  times (ms): {times}; info: {json.dumps(result.get('info', {}))}")
            return result
    log(f"{job.measure} crashed (exit {proc.returncode}):\n{proc.stderr[-2000:]}")
    return {"error": f"crashed (exit {proc.returncode})"}


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="python -m stancemark.bench", description=__doc__,
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--quick", action="store_true", help="tiny sizes (a smoke run)")
    p.add_argument("--only", metavar="FIGURE[,FIGURE]", help="only these figures (see --list)")
    p.add_argument("--runs", type=int, help="runs per figure (default 5, quick 2)")
    p.add_argument("--sizes", metavar="KEY=N[,KEY=N]", help="override sizes (see --list)")
    p.add_argument("--cache", type=Path, help="folder for the synthetic stores "
                   "(default: $STANCEMARK_BENCH_CACHE or the user cache folder)")
    p.add_argument("--readme", type=Path, help="README to update (default: the project's, "
                   "full runs only)")
    p.add_argument("--no-readme", action="store_true", help="print the table only")
    p.add_argument("--list", action="store_true", help="list figures and sizes, then exit")
    p.add_argument("--profile", type=Path, metavar="DIR",
                   help="write a pyinstrument report per measurement into DIR (times are "
                        "then inflated; needs the 'bench' extra)")
    return p


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    load = load_before()  # before this run adds its own (stores, server, figures)
    sizes = parse_sizes(args.sizes, QUICK_SIZES if args.quick else FULL_SIZES)
    runs = args.runs or (2 if args.quick else 5)
    cache = args.cache or default_cache_dir()
    specs = store_specs(sizes)
    paths = {name: store_file(spec, cache) for name, spec in specs.items()}
    figs = figures(sizes, paths, "postgresql://")
    if args.list:
        for f in figs:
            print(f"{f.key:<12} {f.title} ({f.size})")
        print("sizes: " + ", ".join(f"{k}={v}" for k, v in sizes.items()))
        return 0
    if args.only:
        wanted = {w.strip() for w in args.only.split(",") if w.strip()}
        unknown = wanted - {f.key for f in figs}
        if unknown:
            raise SystemExit(f"unknown figure(s): {', '.join(sorted(unknown))}")
        figs = [f for f in figs if f.key in wanted]
    with hub_server(figs) as server:
        keys = {f.key for f in figs}
        if server:
            figs = [f for f in figures(sizes, paths, server) if f.key in keys]
        elif server is None:
            from stancemark.bench.figures import HUB_FIGURES

            log("PostgreSQL is not installed: the hub figures are left out")
            figs = [f for f in figs if f.key not in HUB_FIGURES]
        return _measure(args, figs, runs, cache, load)


@contextlib.contextmanager
def hub_server(figs: list) -> Iterator[str | None]:
    """The PostgreSQL server for the hub figures: $STANCEMARK_BENCH_HUB_URL (a superuser's
    URL; its password in the password file), else a throwaway cluster of our own; "" when
    no hub figure is asked for, None when PostgreSQL is not installed."""
    from stancemark.bench.figures import HUB_FIGURES

    if not any(f.key in HUB_FIGURES for f in figs):
        yield ""
        return
    url = os.environ.get("STANCEMARK_BENCH_HUB_URL")
    if url:
        yield url
        return
    import shutil
    import tempfile

    from stancemark.bench import pg_cluster

    if pg_cluster.bin_dir() is None:
        yield None
        return
    folder = Path(tempfile.mkdtemp(prefix="stancemark-bench-pg-"))
    try:
        env = pg_cluster.start(folder)
        os.environ["PGPASSFILE"] = env["STANCEMARK_TEST_HUB_PASSFILE"]
        log(f"PostgreSQL cluster in {folder}")
        yield env["STANCEMARK_TEST_HUB_URL"]
    finally:
        pg_cluster.stop(folder)
        shutil.rmtree(folder, ignore_errors=True)


def _measure(args: argparse.Namespace, figs: list, runs: int, cache: Path,
             load: float | None = None) -> int:
    needed = {spec for f in figs for spec in f.stores}
    for spec in sorted(needed, key=lambda s: s.annotations):
        ensure_store(spec, cache, log)
    results: dict[str, dict] = {}
    for f in figs:
        for job in (f.subject, f.yardstick):
            if job is not None and job.key() not in results:
                log(f"measuring {job.measure} {json.dumps(job.params)}")
                results[job.key()] = run_job(job, runs, args.profile)
    rows = []
    for f in figs:
        res = results[f.subject.key()]
        row = Row(f, median=pick(res, f), peak_mb=res.get("peak_rss_mb"),
                  error=res.get("error", "")[:120])
        if f.yardstick is not None:
            row.limit = pick(results[f.yardstick.key()], f)
        rows.append(row)
    print(table(rows))
    readme = args.readme or (None if args.quick or args.only or args.profile
                             else project_readme())
    if readme is not None and not args.no_readme:
        when = datetime.now(UTC).strftime("%Y-%m-%d")
        write_readme(readme, section(rows, runs, when, [], load))
        log(f"wrote the table into {readme}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
