"""SIGKILL a writer at random moments; nothing reported saved may be lost, no store
may fail its integrity check, no interrupted import may be half done.

A few trials run in the normal suite; STANCEMARK_SOAK=N runs N (see soak.py).
"""

from __future__ import annotations

import os

import pytest
from crash_harness import (
    Figures,
    annotate_trial,
    check_promises,
    import_trial,
    make_import_folder,
    make_template,
    migration_trial,
    restore_trial,
    run,
    window_trial,
)


@pytest.fixture(scope="module")
def template(tmp_path_factory):
    return make_template(tmp_path_factory.mktemp("template"))


@pytest.mark.parametrize("seed", [1, 2, 3, 4])
def test_killed_annotation_writer_loses_nothing_reported(template, tmp_path, seed):
    import random

    figures = Figures()
    annotate_trial(template, tmp_path, random.Random(seed), figures)
    assert figures.ok(), figures.problems
    assert figures.trials == 1


@pytest.mark.parametrize("seed", [1, 2])
def test_killed_cli_import_leaves_all_or_nothing(template, tmp_path, seed):
    import random

    figures = Figures()
    folder = make_import_folder(tmp_path / "in")
    work = tmp_path / "w"
    work.mkdir()
    import_trial(template, work, folder, random.Random(seed), figures)
    assert figures.ok(), figures.problems


@pytest.mark.parametrize("seed", [1, 2])
def test_killed_window_session_loses_nothing_reported(template, tmp_path, seed):
    import random

    figures = Figures()
    window_trial(template, tmp_path, random.Random(seed), figures)
    assert figures.ok(), figures.problems


@pytest.mark.parametrize("seed", [1, 2])
def test_killed_restore_leaves_one_state_or_the_other(template, tmp_path, seed):
    import random

    figures = Figures()
    restore_trial(template, tmp_path, random.Random(seed), figures)
    assert figures.ok(), figures.problems


@pytest.mark.parametrize("seed", [1, 2])
def test_killed_schema_upgrade_is_finished_by_the_next_open(tmp_path, seed):
    import random

    figures = Figures()
    migration_trial(tmp_path, random.Random(seed), figures)
    assert figures.ok(), figures.problems


def test_harness_notices_a_broken_promise(template, tmp_path):
    """The checker must count a reported uid that is not in the store as lost."""
    import random
    import shutil

    figures = Figures()
    annotate_trial(template, tmp_path, random.Random(99), figures)
    assert figures.ok()
    store = tmp_path / "forged.sqlite"
    shutil.copyfile(template, store)
    check_promises(store, ["add 00000000-0000-0000-0000-000000000000\n"], figures)
    assert figures.lost == 1 and not figures.ok()


@pytest.mark.slow
@pytest.mark.skipif(not os.environ.get("STANCEMARK_SOAK"), reason="set STANCEMARK_SOAK=N")
def test_soak(tmp_path):
    figures = run(int(os.environ["STANCEMARK_SOAK"]), tmp_path, seed=7, progress=True)
    print(figures.line())
    assert figures.ok(), figures.problems[:10]
