"""Synthetic stores for the benchmark, built once and cached between runs.

A store is named by its spec (sizes, coders, seed), so a different size builds a new
file. A cached store made before a new migration landed is upgraded in place when
next used (and the upgrade's safety copy removed: the cache can always be rebuilt). Files are built beside their final name and renamed into place when complete,
so an interrupted build never leaves a half store in the cache.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path

from stancemark.bench.corpus import DEFAULT_SEED, Corpus
from stancemark.core.codebook import Codebook
from stancemark.core.errors import StoreError
from stancemark.core.model import Annotation, Article
from stancemark.store import Repository, open_store
from stancemark.store.bulk import bulk_load

BUILDER_VERSION = 1
CHUNK = 2_000  # articles per bulk transaction


def default_cache_dir() -> Path:
    env = os.environ.get("STANCEMARK_BENCH_CACHE")
    if env:
        return Path(env)
    import platformdirs

    return Path(platformdirs.user_cache_dir("Stancemark", appauthor=False)) / "bench"


@dataclass(frozen=True)
class StoreSpec:
    label: str
    articles: int
    per_article: int  # annotations per article and coder
    coders: tuple[str, ...] = ("ana",)
    chars: int | None = None  # None: news length
    seed: int = DEFAULT_SEED
    register: tuple[int, int] = (0, 0)  # (actors, topics) of a large register; 0: the seed's
    extra: dict = field(default_factory=dict, compare=False, hash=False)
    codebook: bool = False  # bench.codebook: 10 custom kinds x 10 attributes, all set

    @property
    def annotations(self) -> int:
        return self.articles * self.per_article * len(self.coders)

    def key(self) -> str:
        fields = {**asdict(self), "label": None, "extra": None, "builder": BUILDER_VERSION}
        if fields["register"] == (0, 0):
            del fields["register"]  # the stores made before this field keep their names
        if not self.codebook:  # the stores cached before codebook stores keep their names
            del fields["codebook"]
        blob = json.dumps(fields, sort_keys=True)
        return hashlib.sha256(blob.encode()).hexdigest()[:12]


def store_file(spec: StoreSpec, cache: Path) -> Path:
    return cache / f"{spec.label}-{spec.key()}.sqlite"


def ensure_store(spec: StoreSpec, cache: Path, log: Callable[[str], None] | None = None) -> Path:
    """The cached store for `spec`, building it first if missing."""
    path = store_file(spec, cache)
    if path.exists():
        try:
            open_store(path).close()  # applies any migration newer than the cached file
        except StoreError as e:
            # written by another version of the schema (a branch with a migration this
            # one lacks): the cache is only a cache, so rebuild rather than stop the run
            if log:
                log(f"cached {path.name} unusable ({e}); rebuilding it")
            for stale in (path, Path(f"{path}-wal"), Path(f"{path}-shm")):
                stale.unlink(missing_ok=True)
        for backup in cache.glob(path.name + ".before-*.bak"):
            backup.unlink()
        if path.exists():
            return path
    cache.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".building")
    for leftover in cache.glob(tmp.name + "*"):
        leftover.unlink()
    if log:
        log(f"building {spec.label}: {spec.articles:,} article(s), "
            f"{spec.annotations:,} annotation(s) -> {path.name}")
    build_store(spec, tmp)
    for suffix in ("-wal", "-shm"):
        Path(str(tmp) + suffix).unlink(missing_ok=True)
    os.replace(tmp, path)
    return path


def build_store(spec: StoreSpec, path: Path) -> None:
    corpus: Corpus = Corpus(spec.seed)
    if spec.register != (0, 0):
        from stancemark.bench.discourse import DiscourseCorpus

        corpus = DiscourseCorpus(*spec.register, seed=spec.seed)
    db = open_store(path)
    repo = Repository(db, spec.coders[0])
    try:
        coders = {name: repo.ensure_annotator(name).uid for name in spec.coders}
        reg = corpus.register.raw
        with repo.tx():
            for a in reg["actors"]:
                repo.add_actor(a["name"], a["kind"], country=a.get("country", ""),
                               description=a.get("description", ""),
                               aliases=a.get("aliases", []), uid=a["uid"])
            for t in reg["topics"]:
                repo.add_topic(t["name"], t.get("description", ""), uid=t["uid"])
        if "ana" not in coders:
            coders = {"ana": "", **coders}  # ana's annotations are the base others vary
        book = None
        if spec.codebook:
            from stancemark.bench.codebook import heavy_codebook, install

            book = heavy_codebook(spec.seed)
            install(repo, book)
        for first in range(0, spec.articles, CHUNK):
            count = min(CHUNK, spec.articles - first)
            pairs = list(corpus.iter_corpus(count, spec.per_article, coders, spec.chars, first))
            if book is not None:
                pairs = _with_codebook(book, spec.seed, first, pairs, coders)
            anns = [a for _, group in pairs for a in group if a.annotator_uid]
            bulk_load(repo, [art for art, _ in pairs], anns)
        repo.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        repo.conn.execute("ANALYZE")
    finally:
        repo.close()


def _with_codebook(book: Codebook, seed: int, first: int, pairs: list[tuple[Article, list[Annotation]]],
                   coders: dict[str, str]) -> list[tuple[Article, list[Annotation]]]:
    from stancemark.bench.codebook import with_attributes

    names = {uid: name for name, uid in coders.items()}
    out = []
    for n, (art, anns) in enumerate(pairs, first):
        by_coder: dict[str, list[Annotation]] = {}
        for a in anns:
            by_coder.setdefault(a.annotator_uid, []).append(a)
        out.append((art, [x for uid, group in by_coder.items()
                          for x in with_attributes(book, seed, n, group, names.get(uid, "ana"))]))
    return out


def copy_store(src: Path, dst: Path) -> Path:
    """A private copy of a cached store for a benchmark that writes to it."""
    dst.parent.mkdir(parents=True, exist_ok=True)
    for suffix in ("-wal", "-shm"):
        Path(str(dst) + suffix).unlink(missing_ok=True)
    shutil.copyfile(src, dst)
    return dst
