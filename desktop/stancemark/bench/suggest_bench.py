"""Suggestions (core/suggest) in the benchmark: the 1 MB article with a register of
5,000 actors and 20,000 aliases, and `suggest --apply` over the news store.

- suggest_long: `suggest()` on the long store's article, its 20,000 annotations as the
  existing tags, the per-process caches of date values emptied before each run;
  yardstick suggest_long_bare: a bare Aho-Corasick pass (pyahocorasick)
  over the lower-cased text with the same names (no word rules, no dates, no objects).
  A compiled `re` alternation of the 20,000 names, the other candidate, takes about a
  minute per MB (README, Suggestions): too slow to be a yardstick run three times.
- suggest_match: matching only, as `suggest --apply` does, over the news store's
  articles (read in store order); yardstick suggest_match_bare: the same articles read
  with sqlite3 and put through the bare pass.
- suggest_store: storing the suggestions of `articles` news articles through the bulk
  path (`stancemark suggest --apply`'s writer); yardstick suggest_store_raw: sqlite3
  executemany of the same rows, references resolved beforehand.
"""

from __future__ import annotations

import random
import sqlite3
import tempfile
import time
from pathlib import Path
from typing import Any

from stancemark.bench.corpus import Corpus
from stancemark.core.model import Annotation
from stancemark.store import Repository, open_store

_SYLLABLES = ("ka", "li", "mo", "ren", "sun", "tai", "wei", "zhang", "ber", "gor", "vin", "da",
              "el", "tor", "ash", "min", "quo", "pel", "rak", "sor", "nu", "fen", "ost", "ila")


def register_names(actors: int, aliases: int, seed: int = 7) -> list[tuple[str, str]]:
    """(actor uid, name) for a synthetic register: the bundled register's actors, then
    person- and organisation-like names; `aliases` names in all (names and aliases)."""
    rng = random.Random(seed)
    corpus = Corpus()
    names = [(a["uid"], n) for a in corpus.register.raw["actors"]
             for n in (a["name"], *a.get("aliases", []))]

    def word() -> str:
        return "".join(rng.choice(_SYLLABLES) for _ in range(rng.randint(2, 3))).capitalize()

    per_actor = max(1, aliases // actors)
    for i in range(actors - len(corpus.register.raw["actors"])):
        first, last = word(), word()
        uid = f"00000000-0000-4000-8000-{i:012d}"
        names.append((uid, f"{first} {last}"))
        for _ in range(per_actor - 1):
            names.append((uid, rng.choice((last, f"Minister {last}", f"{first} {word()} {last}",
                                           f"the {last} Group", f"{last} {word()}"))))
    return names[:aliases] if len(names) > aliases else names


def _long_article(store: str) -> tuple[str, str | None, list[tuple[str, int, int, str | None]]]:
    repo = Repository(open_store(store), "ana")
    art = next(repo.iter_articles())
    existing = [(a.kind, a.start, a.end, a.actor_uid) for a in repo.list_annotations(art.uid)]
    repo.close()
    return art.text, art.published or None, existing


def suggest_long(params: dict, runs: int) -> dict:
    from stancemark.core.suggest import AliasMatcher, suggest
    from stancemark.core.suggest.date_values import resolve, value_at

    text, published, existing = _long_article(params["store"])
    names = register_names(params["actors"], params["aliases"])
    t0 = time.perf_counter()
    matcher = AliasMatcher(names)
    build = time.perf_counter() - t0
    big = register_names(params["actors"] * 5, params["aliases"] * 5, seed=8)
    t0 = time.perf_counter()
    AliasMatcher(big)
    build_big = time.perf_counter() - t0
    times = []
    for _ in range(runs):
        # Every run as the first article of a session: no date normalised yet (the
        # values are cached per process, so a second run on the same text measured less).
        value_at.cache_clear()
        resolve.cache_clear()
        t0 = time.perf_counter()
        found = suggest(text, matcher, published, existing=existing)
        times.append(time.perf_counter() - t0)
    kinds: dict[str, int] = {}
    for s in found:
        kinds[s.kind] = kinds.get(s.kind, 0) + 1
    return {"times": times, "info": {
        "chars": len(text), "names": len(names), "existing": len(existing), "suggestions": kinds,
        "build_ms": round(build * 1000, 1), "build_ms_5x": round(build_big * 1000, 1),
        "names_5x": len(big)}}


def _bare(names: list[tuple[str, str]]) -> Any:
    import ahocorasick

    automaton = ahocorasick.Automaton()
    for uid, name in names:
        automaton.add_word(name.lower(), (len(name), uid))
    automaton.make_automaton()
    return automaton


def suggest_long_bare(params: dict, runs: int) -> dict:
    text, _, _ = _long_article(params["store"])
    automaton = _bare(register_names(params["actors"], params["aliases"]))
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        hits = list(automaton.iter(text.lower()))
        times.append(time.perf_counter() - t0)
    return {"times": times, "info": {"hits": len(hits)}}


def suggest_match(params: dict, runs: int) -> dict:
    from stancemark.core.suggest import AliasMatcher, suggest
    from stancemark.store.suggest_apply import articles_in_scope

    matcher = AliasMatcher(register_names(params["actors"], params["aliases"]))
    repo = Repository(open_store(params["store"]), "ana")
    limit = params["articles"]
    times, count, found = [], 0, 0
    for _ in range(runs):
        count = found = 0
        t0 = time.perf_counter()
        for art in articles_in_scope(repo, None, None):
            found += len(suggest(art.text, matcher, art.published or None))
            count += 1
            if count >= limit:
                break
        times.append(time.perf_counter() - t0)
    repo.close()
    return {"times": times, "info": {"articles": count, "suggestions": found,
                                     "articles_per_s": round(count / min(times))}}


def suggest_match_bare(params: dict, runs: int) -> dict:
    automaton = _bare(register_names(params["actors"], params["aliases"]))
    conn = sqlite3.connect(params["store"])
    times, count = [], 0
    for _ in range(runs):
        count = 0
        t0 = time.perf_counter()
        for (text,) in conn.execute("SELECT text FROM articles WHERE deleted_at IS NULL "
                                    "ORDER BY id LIMIT ?", [params["articles"]]):
            for _hit in automaton.iter(text.lower()):
                pass
            count += 1
        times.append(time.perf_counter() - t0)
    conn.close()
    return {"times": times, "info": {"articles": count}}


def _suggestion_store(folder: Path, name: str, params: dict) -> tuple[Repository, list[Annotation]]:
    """A fresh store with the first news articles and the synthetic register; the
    annotations `suggest --apply` would store in it (made outside the clock)."""
    from stancemark.cli.suggest import build_matcher
    from stancemark.core.suggest import suggest
    from stancemark.store.bulk import bulk_load
    from stancemark.store.suggest_apply import articles_in_scope, as_annotation

    corpus = Corpus()
    repo = Repository(open_store(folder / f"{name}.sqlite"), "ana")
    bulk_load(repo, articles=[corpus.article(i) for i in range(params["articles"])])
    by_actor: dict[str, list[str]] = {}
    for uid, alias in register_names(params["actors"], params["aliases"]):
        by_actor.setdefault(uid, []).append(alias)
    with repo.tx():
        for uid, (first, *rest) in by_actor.items():
            repo.add_actor(first, "other", aliases=rest, uid=uid)
    annotator = repo.ensure_annotator("suggestions").uid
    matcher = build_matcher(repo)
    out = []
    for art in articles_in_scope(repo, None, None):
        for s in suggest(art.text, matcher, art.published or None):
            if s.kind == "date" and s.date_value is None:
                continue
            fields = ({"actor_uid": s.actor_uid} if s.kind == "actor" else
                      {"date_value": s.date_value, "date_granularity": s.date_granularity})
            out.append(as_annotation(art, annotator, s.kind, s.start, s.end, s.quote, s.key,
                                     fields, s.alias or s.quote))
    return repo, out


def suggest_store(params: dict, runs: int) -> dict:
    from stancemark.store.suggest_apply import store_suggestions

    times, stored = [], 0
    with tempfile.TemporaryDirectory() as tmp:
        for run in range(runs):
            repo, anns = _suggestion_store(Path(tmp), f"run{run}", params)
            t0 = time.perf_counter()
            stored = store_suggestions(repo, anns)
            times.append(time.perf_counter() - t0)
            repo.close()
    return {"times": times, "info": {"annotations": stored}}


def suggest_store_raw(params: dict, runs: int) -> dict:
    from stancemark.store.columns import ANNOTATION_INSERT

    times, stored = [], 0
    with tempfile.TemporaryDirectory() as tmp:
        for run in range(runs):
            repo, anns = _suggestion_store(Path(tmp), f"run{run}", params)
            repo.close()
            conn = sqlite3.connect(Path(tmp) / f"run{run}.sqlite", isolation_level=None)
            ids = {t: dict(conn.execute(f"SELECT uid, id FROM {t}"))  # noqa: S608 - fixed names
                   for t in ("articles", "actors", "annotators")}
            rows = [(a.uid, ids["articles"][a.article_uid], ids["annotators"][a.annotator_uid],
                     a.kind, a.start, a.end, a.quote, ids["actors"].get(a.actor_uid or ""),
                     a.date_value, a.date_granularity, None, None, None, None, None, "",
                     '{"suggested": "x"}', a.created_at, a.updated_at, None, "{}")
                    for a in anns]
            conn.execute("DROP TRIGGER IF EXISTS annotations_span_insert")  # as bulk_load
            t0 = time.perf_counter()
            conn.execute("BEGIN")
            conn.executemany(ANNOTATION_INSERT, rows)
            conn.execute("COMMIT")
            times.append(time.perf_counter() - t0)
            stored = conn.execute("SELECT count(*) FROM annotations").fetchone()[0]
            conn.close()
    return {"times": times, "info": {"annotations": stored}}
