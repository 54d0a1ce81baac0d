"""Property-based fuzzing of every importer (hypothesis).

Each importer gets a small valid document of its format (our own export of a tiny
store, or a `safe-*` corpus case for import-only formats) mutated by hypothesis:
bytes flipped, cut, inserted (quotes, brackets, huge and negative numbers, NUL,
right-to-left overrides ...), truncated; inside archives the members are mutated, not
the zip. The property: the import either succeeds, leaving a consistent store, or
raises a StancemarkError (a one-line message) and leaves the store as it was.
STANCEMARK_FUZZ=N raises the examples per importer (default 20).
"""

from __future__ import annotations

import io
import os
import shutil
import tempfile
import zipfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from stancemark.core.errors import StancemarkError
from stancemark.formats import FORMATS
from stancemark.formats.common import Scope

CASES = Path(__file__).with_name("cases")
IMPORTERS = sorted(name for name, info in FORMATS.items() if info.can_import)
EXAMPLES = int(os.environ.get("STANCEMARK_FUZZ", "20"))
TOKENS = [b'"', b"{", b"}", b"[", b"]", b",", b":", b"-1", b"99999999999999999999", b"0",
          b"\x00", b"\xff", "\u202e".encode(), b"\n", b"\r\n", b"\t", b"null", b"true", b"NaN",
          b"<", b">", b"&lol;", b"'); DROP TABLE articles;--", b"=cmd|' /C calc'!A0", b"../",
          "北京😀".encode(), b"B-ACTOR", b"I-DATE", b"T1\tActor 0 7\tBeijing"]


@pytest.fixture(scope="module")
def bases(tmp_path_factory) -> dict[str, Path]:
    """A valid input per importer: an export of a tiny store, else a safe corpus case."""
    from helpers import find
    from stancemark.core.model import Annotation
    from stancemark.store import Repository, open_store

    folder = tmp_path_factory.mktemp("bases")
    repo = Repository(open_store(folder / "tiny.sqlite"), "ana")
    text = "Beijing rejected the tariffs on January 9.\nWashington said it would respond."
    art, _ = repo.add_article(text, "Tariff row", published="2025-01-10")
    china = repo.add_actor("China", "state", aliases=["Beijing"])
    topic = repo.add_topic("Tariffs")
    for needle, fields in (("Beijing", {"kind": "actor", "actor_uid": china.uid}),
                           ("January 9", {"kind": "date", "date_value": "2025-01-09",
                                          "date_granularity": "day"}),
                           ("rejected the tariffs", {"kind": "stance", "polarity": "oppose",
                                                     "holder_uid": china.uid,
                                                     "target_topic_uid": topic.uid})):
        s, e = find(text, needle)
        repo.add_annotation(Annotation("", art.uid, "", start=s, end=e, quote=needle, **fields))
    out: dict[str, Path] = {}
    for name in IMPORTERS:
        info = FORMATS[name]
        suffix = info.suffixes[0] if info.suffixes else ""
        if info.can_export:
            target = folder / f"base-{name}{suffix}"
            try:
                info.load().export(repo, target, Scope(), None)
            except ModuleNotFoundError:
                continue
            out[name] = target
        else:
            safe = sorted((CASES / name).glob("safe-*"))
            if safe:
                out[name] = safe[0]
    repo.close()
    return out


@st.composite
def mutations(draw) -> list[tuple[str, float, bytes]]:
    op = st.sampled_from(["flip", "cut", "insert", "truncate", "replace-digit"])
    payload = st.one_of(st.sampled_from(TOKENS), st.binary(min_size=1, max_size=8))
    return draw(st.lists(st.tuples(op, st.floats(0, 1), payload), min_size=1, max_size=4))


def mutate(data: bytes, ops: list[tuple[str, float, bytes]]) -> bytes:
    b = bytearray(data)
    for op, where, payload in ops:
        i = int(where * len(b)) if b else 0
        if op == "flip" and b:
            b[min(i, len(b) - 1)] ^= payload[0] or 1
        elif op == "cut":
            del b[i:i + len(payload) * 3]
        elif op == "insert":
            b[i:i] = payload
        elif op == "truncate":
            del b[i:]
        elif op == "replace-digit":
            j = next((k for k in range(i, len(b)) if chr(b[k]).isdigit()), None)
            if j is not None:
                b[j:j + 1] = payload
    return bytes(b)


def mutated_copy(base: Path, ops: list, target_dir: Path) -> Path:
    """The base input with `ops` applied: to the file, to an archive's members, or to
    the annotation files of a folder."""
    if base.is_dir():
        dest = target_dir / base.name
        shutil.copytree(base, dest)
        files = sorted(p for p in dest.rglob("*") if p.is_file() and p.suffix in (".ann", ".txt"))
        for k, f in enumerate(files):
            if k % 2 == 0 or f.suffix == ".ann":
                f.write_bytes(mutate(f.read_bytes(), ops))
        return dest
    dest = target_dir / base.name
    raw = base.read_bytes()
    if zipfile.is_zipfile(base):
        buf = io.BytesIO()
        with zipfile.ZipFile(base) as src, zipfile.ZipFile(buf, "w") as out:
            names = src.namelist()
            victim = names[int(ops[0][1] * len(names)) % len(names)]
            for name in names:
                content = src.read(name)
                out.writestr(name, mutate(content, ops) if name == victim else content)
        raw = buf.getvalue()
    else:
        raw = mutate(raw, ops)
    dest.write_bytes(raw)
    return dest


def state(repo) -> tuple:
    return repo.conn.execute(
        "SELECT (SELECT count(*) FROM articles), (SELECT count(*) FROM annotations), "
        "(SELECT count(*) FROM actors), (SELECT count(*) FROM topics), "
        "(SELECT count(*) FROM annotators), (SELECT coalesce(max(id), 0) FROM audit_log)"
    ).fetchone()


@pytest.mark.parametrize("fmt", IMPORTERS)
def test_fuzz_importer(fmt, bases, seeded, tmp_path):
    if fmt not in bases:
        pytest.skip(f"no base input for {fmt} (optional dependency missing?)")
    module = FORMATS[fmt].load()
    base = bases[fmt]

    @settings(max_examples=EXAMPLES, deadline=None, database=None, derandomize=True,
              suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
    @given(ops=mutations())
    def run(ops):
        before = state(seeded)
        with tempfile.TemporaryDirectory(dir=tmp_path) as tmp:
            path = mutated_copy(base, ops, Path(tmp))
            try:
                module.import_paths(seeded, [path], None)
            except StancemarkError as exc:
                assert "\n" not in str(exc).strip(), str(exc)
                assert path.name in str(exc), f"the error does not name the file: {exc}"
                assert state(seeded) == before, "a refused import changed the store"
        assert not seeded.conn.in_transaction
        assert seeded.conn.execute("PRAGMA foreign_key_check").fetchall() == []

    run()
    assert seeded.conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
