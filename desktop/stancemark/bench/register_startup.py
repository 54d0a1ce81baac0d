"""Start-up with a large register: the start-up figure's launch (bench/window_probe.py,
the real command line to a shown, usable window) on a small store of its own whose
register holds the suggestions' synthetic register (bench/suggest_bench.py: 5,000
actors, 20,000 names at full size).

The window builds its Registers panel and the suggestion engine at start (the
remembered layout may show them), so the register's size must not reach the first
frame: a combo box per actor row once took 2.1 s of a window's building. The store
(the import figures' articles, then the register) is built in a temporary folder
before the clock starts; the cached benchmark stores are not touched.
"""

from __future__ import annotations

import tempfile
from pathlib import Path


def startup_register(params: dict, runs: int) -> dict:
    from stancemark.bench.measures import import_articles
    from stancemark.bench.suggest_probe import _add_register
    from stancemark.bench.window_probe import startup_app
    from stancemark.store import Repository, open_store
    from stancemark.store.bulk import add_articles

    with tempfile.TemporaryDirectory() as tmp:
        store = Path(tmp) / "register.sqlite"
        repo = Repository(open_store(store), "ana")
        add_articles(repo, [{"text": a.text, "title": a.title, "source": a.source,
                             "url": a.url, "published": a.published, "language": a.language,
                             "uid": a.uid, "added_at": a.added_at}
                            for a in import_articles(params["articles"])])
        repo.close()
        actors = _add_register(store, params["actors"], params["aliases"])
        repo = Repository(open_store(store), "ana")
        repo.conn.execute("ANALYZE")  # statistics, as the cached stores have
        repo.close()
        result = startup_app({"store": str(store)}, runs)
    result["info"]["actors"] = actors
    return result
