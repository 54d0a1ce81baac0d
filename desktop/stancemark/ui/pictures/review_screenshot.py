"""Make the README screenshot of review mode: two analysts' stores on the sample articles
merged into a reviewer's store, the window in review mode with the Agreement panel.
Run it under a display (Xvfb for CI):

    python -m stancemark.ui.pictures.review_screenshot --dir work/ --out review-mode.png

Ana's tags are the demo first pass of ui.screenshot; Ben's are the same pass with the
kind of differences two coders produce (a mention missed, a boundary one word wider,
another actor or polarity chosen), derived deterministically so the picture is stable.
"""

from __future__ import annotations

import argparse
import random
import sys
from dataclasses import replace
from pathlib import Path
from typing import Any

from stancemark.core.model import POLARITIES, new_uid


def build_pair(folder: Path) -> Path:
    """Ana's and Ben's stores, merged into folder/review.sqlite; returns its path."""
    from stancemark.core.errors import existing
    from stancemark.formats.seed import seed
    from stancemark.store import Repository, open_store
    from stancemark.store.merge import merge_store
    from stancemark.ui.pictures.screenshot import demo_annotations

    folder.mkdir(parents=True, exist_ok=True)
    for who in ("ana", "ben"):
        repo = Repository(open_store(folder / f"{who}.sqlite"), who)
        seed(repo)
        if not repo.stats()["annotations"]:
            rng = random.Random(7)
            actors = [a.uid for a in repo.list_actors()]
            for row in repo.list_articles():
                text = existing(repo.get_article(row.uid), "article", row.uid).text
                for a in demo_annotations(repo, row.uid):
                    if who == "ben":
                        a = _differ(a, text, rng, actors)
                        if a is None:
                            continue
                    repo.add_annotation(replace(a, uid=new_uid()))
        repo.close()
    review = folder / "review.sqlite"
    rev = Repository(open_store(review), "rev")
    for who in ("ana", "ben"):
        merge_store(rev, folder / f"{who}.sqlite", backup=False)
    rev.close()
    return review


def _differ(a: Any, text: str, rng: random.Random, actors: list[str]) -> Any:
    roll = rng.random()
    if roll < 0.12:
        return None  # missed
    if roll < 0.22 and a.kind == "actor":
        return replace(a, actor_uid=rng.choice(actors))
    if roll < 0.32 and a.kind == "stance":
        return replace(a, polarity=rng.choice([p for p in POLARITIES if p != a.polarity]))
    if roll < 0.40 and a.start > 4:
        start = text.rfind(" ", 0, a.start - 1) + 1  # one word wider on the left
        if 0 < start < a.start and "\n" not in text[start:a.start]:
            return replace(a, start=start, quote=text[start:a.end])
    return a


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--dir", type=Path, required=True, help="folder for the demo stores")
    p.add_argument("--out", type=Path, required=True)
    p.add_argument("--size", default="1280x720")
    p.add_argument("--article", default="Republicans", help="open the article whose title "
                   "starts so")
    args = p.parse_args(argv)

    from PySide6.QtCore import QSettings, QTimer

    from stancemark.ui.pictures.screenshot import save_and_quit
    from stancemark.ui.window.app import application, build_window, open_repo

    store = build_pair(args.dir)
    app = application()
    repo = open_repo(store, "rev")
    settings = QSettings(str(args.dir / "window.ini"), QSettings.Format.IniFormat)
    window = build_window(repo, store, settings)
    w, h = (int(x) for x in args.size.split("x"))
    window.resize(w, h)
    target = next((r for r in repo.list_articles() if r.title.startswith(args.article)), None)
    if target:
        window.open_article(target.uid)
    window.show()
    mode = window.review
    mode.set_active(True)
    mode.agreement_dock.show()  # review mode's own layout places and sizes both docks

    def shoot() -> None:
        panel = mode.panel
        panel.step(1)
        panel.accept(panel.annotator_uids[0])  # one decision made, to show its mark
        panel.step(1)
        # a unit where they chose different actors: its versions side by side
        rows = [panel.list.item(i).text() for i in range(panel.list.count())]
        row = next((i for i, t in enumerate(rows) if "differ: actor" in t), None)
        if row is not None:
            panel.list.setCurrentRow(row)
        mode.agreement.refresh()
        save_and_quit(app, window, args.out)

    QTimer.singleShot(800, shoot)
    code = app.exec()
    repo.close()
    return code


if __name__ == "__main__":
    sys.exit(main())
