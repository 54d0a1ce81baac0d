"""The benchmark keeps working: its quick mode runs end to end on tiny stores in a
temporary cache and prints a table with every figure. No time is asserted here; only
the benchmark itself reports times."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from stancemark.bench.figures import QUICK_SIZES, figures, store_specs
from stancemark.bench.report import END, START, write_readme
from stancemark.bench.stores import ensure_store, store_file

TINY = "import_articles=8,news_articles=12,news_per_article=4,export_annotations=24," \
       "long_chars=3000,long_annotations=40,merge_articles=4,merge_per_article=3," \
       "agree_articles=4,agree_per_article=3,hub_push_annotations=5,hub_pull_annotations=40"


def _titles() -> list[str]:
    from pathlib import Path

    from stancemark.bench import pg_cluster
    from stancemark.bench.figures import HUB_FIGURES

    specs = store_specs(QUICK_SIZES)
    # The hub figures need PostgreSQL (the bench starts a cluster of its own); without
    # it installed, the bench leaves them out.
    hub = bool(os.environ.get("STANCEMARK_BENCH_HUB_URL")) or pg_cluster.bin_dir() is not None
    return [f.title for f in figures(QUICK_SIZES, {k: Path(k) for k in specs})
            if hub or f.key not in HUB_FIGURES]


@pytest.mark.slow  # a performance run (it builds stores and times every figure), not a check
def test_quick_run_prints_every_figure(tmp_path):
    readme = tmp_path / "README.md"
    readme.write_text("# Project\n\n## Performance\n\nOld words.\n\n## Licence\n\nMIT\n",
                      encoding="utf-8")
    result = subprocess.run(
        [sys.executable, "-m", "stancemark.bench", "--quick", "--runs", "1", "--sizes", TINY,
         "--cache", str(tmp_path / "cache"), "--readme", str(readme)],
        capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stderr[-3000:]
    rows = [line for line in result.stdout.splitlines()
            if line.startswith("| ") and not line.startswith(("| Figure |", "| --- |"))]
    assert len(rows) == len(_titles())  # one row per figure
    for title in _titles():
        row = next(r for r in rows if r.startswith(f"| {title} |"))
        assert "n/a" not in row, (row, result.stderr[-3000:])
    text = readme.read_text(encoding="utf-8")
    assert text.count(START) == 1 and text.count(END) == 1
    assert "## Licence\n\nMIT" in text and "cores" in text


def test_readme_section_is_replaced_not_repeated(tmp_path):
    readme = tmp_path / "README.md"
    readme.write_text("# P\n\n## Usage\n\nkeep me\n", encoding="utf-8")
    write_readme(readme, "first table")
    write_readme(readme, "second table")
    text = readme.read_text(encoding="utf-8")
    assert "second table" in text and "first table" not in text
    assert text.count("## Performance") == 1 and "keep me" in text


def test_cached_store_is_deterministic_and_reused(tmp_path):
    from stancemark.bench.stores import StoreSpec
    from stancemark.store import Repository, open_store

    spec = StoreSpec("news", 5, 4, ("ana", "bo"))
    a = ensure_store(spec, tmp_path / "one")
    b = ensure_store(spec, tmp_path / "two")
    assert a == store_file(spec, tmp_path / "one")
    mtime = a.stat().st_mtime_ns
    assert ensure_store(spec, tmp_path / "one") == a and a.stat().st_mtime_ns == mtime

    def content(path):
        repo = Repository(open_store(path), "ana")
        try:
            out = []
            for art in repo.iter_articles():
                anns = repo.list_annotations(art.uid)
                assert all(art.text[x.start:x.end] == x.quote for x in anns)
                out.append((art.uid, art.sha256, [(x.uid, x.start, x.end, x.kind) for x in anns]))
            return out
        finally:
            repo.close()

    first, second = content(a), content(b)
    assert first == second
    assert len(first) == 5 and all(len(anns) == 8 for _, _, anns in first)


def test_cached_store_of_another_schema_is_rebuilt(tmp_path):
    """A cached store written by a branch with a migration this one lacks is rebuilt, not
    a reason to stop the benchmark (the cache is only a cache)."""
    import sqlite3

    from stancemark.bench.stores import StoreSpec
    from stancemark.store import open_store

    spec = StoreSpec("news", 3, 2, ("ana",))
    path = ensure_store(spec, tmp_path)
    conn = sqlite3.connect(path)
    with conn:
        conn.execute("INSERT INTO _sqlite_migrations (migration_set, name, applied_at) "
                     "SELECT migration_set, 'm999_from_another_branch', applied_at "
                     "FROM _sqlite_migrations LIMIT 1")
    conn.close()
    messages: list[str] = []
    assert ensure_store(spec, tmp_path, messages.append) == path
    assert any("unusable" in m for m in messages) and any("building" in m for m in messages)
    open_store(path).close()  # this version opens the rebuilt store


def test_bulk_load_refuses_a_bad_span_and_writes_nothing(repo):
    from stancemark.bench.corpus import Corpus
    from stancemark.core.errors import IntegrityError
    from stancemark.store.bulk import bulk_load

    corpus = Corpus()
    art = corpus.article(1)
    good = corpus.base_annotations(1, art, 3, repo.annotator.uid)
    for a in corpus.register.raw["actors"]:
        repo.add_actor(a["name"], a["kind"], uid=a["uid"])
    for t in corpus.register.raw["topics"]:
        repo.add_topic(t["name"], uid=t["uid"])
    bad = good[0].with_changes(uid="bad", quote=good[0].quote + "x")
    with pytest.raises(IntegrityError, match="bad"):
        bulk_load(repo, [art], [*good, bad])
    assert repo.stats()["articles"] == 0 and repo.stats()["annotations"] == 0
    report = bulk_load(repo, [art], good)
    assert (report.articles, report.annotations) == (1, 3)
    triggers = repo.db.triggers_dict
    assert "annotations_span_insert" in triggers  # recreated after the load


def test_the_table_heading_says_the_load_it_was_measured_at():
    from stancemark.bench.report import section

    idle = section([], 5, "2026-11-30", [], 0.05)
    busy = section([], 5, "2026-11-30", [], 6.5)
    assert "otherwise idle" in idle and "load average 0.05" in idle
    assert "shared with other work (load average 6.50" in busy and "idle" not in busy


def test_the_table_gives_each_figure_its_share_of_budget_in_bold_without_a_quarter_to_spare():
    from stancemark.bench.figures import Budget, Figure, Job
    from stancemark.bench.report import Row

    def row(budget: Budget, median: float, limit: float | None = None) -> Row:
        figure = Figure("x", "X", "1", Job("x", {}), None, budget)
        return Row(figure, median=median, limit=limit)

    assert row(Budget("seconds", 1.0), 0.6).share_text() == "0.60"
    assert row(Budget("seconds", 1.0), 0.82).share_text() == "**0.82**"
    assert row(Budget("seconds", 1.0), 0.82).within() == "yes"
    assert row(Budget("ratio", 1.5), 3.3, 2.5).share_text() == "**0.88**"  # 1.32x of 1.5x
    assert row(Budget("ratio", 2.0), 2.5, 2.0).share_text() == "0.62"
    assert row(Budget("mb", 400), 420).within() == "**no**"
    assert row(Budget("", 0), 5.0).share_text() == "—"
    assert "| 0.60 |" in row(Budget("seconds", 1.0), 0.6).line()
