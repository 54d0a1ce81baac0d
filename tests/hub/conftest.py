"""A real PostgreSQL server for the hub tests: one cluster per test session (the one
`.ci/run` started, named by $STANCEMARK_TEST_HUB_URL, or one started here), a fresh
database per test. Skips, saying why, only when PostgreSQL or psycopg is not installed."""

from __future__ import annotations

import contextlib
import os
import secrets
from dataclasses import dataclass
from pathlib import Path

import pytest

from stancemark.bench import pg_cluster


@dataclass
class Server:
    url: str  # the superuser's URL (database postgres)
    passfile: str


@pytest.fixture(scope="session")
def pg_server():
    try:
        import psycopg  # noqa: F401
    except ImportError:
        pytest.skip("psycopg is not installed (pip install 'stancemark[hub]')")
    url = os.environ.get("STANCEMARK_TEST_HUB_URL")
    if url:
        yield Server(url, os.environ.get("STANCEMARK_TEST_HUB_PASSFILE", ""))
        return
    if pg_cluster.bin_dir() is None:
        pytest.skip("PostgreSQL is not installed (.ci/run installs Debian's postgresql)")
    import shutil
    import tempfile

    # Not under pytest's own temporary folder: as root, the server runs as the postgres
    # user, who cannot enter that (owner-only) folder.
    folder = Path(tempfile.mkdtemp(prefix="stancemark-pg-"))
    try:
        env = pg_cluster.start(folder)  # installed but not starting is a failure, not a skip
    except BaseException:
        pg_cluster.stop(folder)
        shutil.rmtree(folder, ignore_errors=True)
        raise
    try:
        yield Server(env["STANCEMARK_TEST_HUB_URL"], env["STANCEMARK_TEST_HUB_PASSFILE"])
    finally:
        pg_cluster.stop(folder)
        shutil.rmtree(folder, ignore_errors=True)


def _with_db(url: str, dbname: str) -> str:
    head, _, query = url.partition("?")
    base = head.rsplit("/", 1)[0]
    return f"{base}/{dbname}" + (f"?{query}" if query else "")


@dataclass
class Hub:
    """One test's hub database: the owner's URL, and members made on request."""

    admin_url: str
    server: Server
    suffix: str

    def member(self, annotator: str, *, reviewer: bool = False,
               registers: bool | None = None) -> str:
        """Add a member whose store annotator is `annotator`; returns their URL (their
        password goes to the password file, as `stancemark hub password` does)."""
        from stancemark.store.hub import add_member, save_password

        role = f"{annotator}_{self.suffix}"
        new = add_member(self.admin_url, role, reviewer=reviewer, registers=registers,
                         annotator=annotator)
        if new.password:
            save_password(new.url, new.password)
        return new.url


@pytest.fixture
def pg_passfile(pg_server, tmp_path, monkeypatch):
    """A password file of this test's own, holding the superuser's line."""
    path = tmp_path / "pgpass"
    lines = Path(pg_server.passfile).read_text() if pg_server.passfile else ""
    path.write_text(lines)
    path.chmod(0o600)
    monkeypatch.setenv("PGPASSFILE", str(path))
    return path


@pytest.fixture
def empty_db(pg_server, pg_passfile):
    """A fresh, empty database on the test server (dropped afterwards); its URL."""
    import psycopg
    from psycopg import sql

    name = "hub_" + secrets.token_hex(6)
    with psycopg.connect(pg_server.url, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    url = _with_db(pg_server.url, name)
    yield url
    # The members' login roles belong to the server, not to the database: dropped with
    # it, so a server that runs the tests again (or many times) is not left with them.
    roles: list[str] = []
    with contextlib.suppress(psycopg.Error), psycopg.connect(url, autocommit=True) as conn:
        roles = [r[0] for r in conn.execute("SELECT role FROM stancemark_hub.members")]
    with psycopg.connect(pg_server.url, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        for role in roles:
            conn.execute(sql.SQL("DROP ROLE IF EXISTS {}").format(sql.Identifier(role)))


@pytest.fixture
def hub(empty_db, pg_server):
    from stancemark.store.hub import init_hub

    init_hub(empty_db)
    return Hub(empty_db, pg_server, secrets.token_hex(3))
