"""The bundled sample corpus and starter register (actors, topics).

Seeding is idempotent: articles are matched by text hash and register entries by
their fixed uids (uuid5 of their names), so seeding twice, or seeding two stores
on two machines, yields the same uids and merges cleanly.
"""

from __future__ import annotations

import json
import uuid
from pathlib import Path
from typing import TYPE_CHECKING

from stancemark.core.paths import seeds_dir
from stancemark.formats.common import ImportReport, Progress, tick
from stancemark.formats.plain_text import read_article_file

if TYPE_CHECKING:
    from stancemark.store.repository import Repository

SEED_NAMESPACE = uuid.UUID("6c1f8a52-5e0b-4b8e-9d1c-3a7e2f4b9c10")


def seed(repo: Repository, folder: Path | None = None, progress: Progress | None = None) -> ImportReport:
    folder = folder or seeds_dir()
    files = sorted(folder.glob("*.txt"))
    register = json.loads((folder / "register.json").read_text(encoding="utf-8"))
    report = ImportReport(files=len(files))
    articles = [(f, read_article_file(f)) for f in files]
    with repo.tx():
        for a in register["actors"]:
            if repo.get_actor(a["uid"]) is None:
                repo.add_actor(a["name"], a["kind"], country=a.get("country", ""),
                               description=a.get("description", ""), aliases=a.get("aliases", []),
                               uid=a["uid"])
                report.actors_added += 1
        for t in register["topics"]:
            if repo.get_topic(t["uid"]) is None:
                repo.add_topic(t["name"], t.get("description", ""), uid=t["uid"])
                report.topics_added += 1
        for i, (f, fields) in enumerate(articles):
            tick(progress, i, len(articles), f.name)
            fields = {**fields, "uid": str(uuid.uuid5(SEED_NAMESPACE, "article:" + f.name))}
            _, added = repo.add_article(**fields)
            if added:
                report.articles_added += 1
            else:
                report.articles_skipped += 1
    return report
