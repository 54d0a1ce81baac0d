"""Shared fixtures. Every test gets its own temporary store and settings file, so the
real user folders are never touched."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


@pytest.fixture(autouse=True)
def _isolated_user_folders(tmp_path_factory, monkeypatch):
    home = tmp_path_factory.mktemp("user")
    monkeypatch.setenv("STANCEMARK_STORE", str(home / "default-store.sqlite"))
    monkeypatch.setenv("STANCEMARK_CONFIG", str(home / "settings.json"))
    monkeypatch.setenv("XDG_DATA_HOME", str(home / "data"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / "config"))
    yield


@pytest.fixture
def store_path(tmp_path) -> Path:
    return tmp_path / "store.sqlite"


@pytest.fixture
def repo(store_path):
    from stancemark.store import Repository, open_store

    r = Repository(open_store(store_path), "ana")
    yield r
    r.close()


@pytest.fixture
def seeded(repo):
    from stancemark.formats.seed import seed

    seed(repo)
    return repo

