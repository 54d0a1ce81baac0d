"""Make the README screenshot: the real window on a store with the sample articles and
several annotations of each kind. Run it under a display (Xvfb for CI):

    python -m stancemark.ui.pictures.screenshot --store demo.sqlite --out main-window.png

Demo annotations are derived from the register (names and aliases found in the text),
date expressions and a few stance verbs, the way a quick first pass by an analyst
would look. Nothing is added to a store whose articles already carry tags by this
annotator.
"""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from stancemark.core.commands import AddAnnotation
from stancemark.core.dates import normalise_date
from stancemark.core.errors import existing
from stancemark.core.model import Annotation, new_uid
from stancemark.core.text import sentence_bounds

if TYPE_CHECKING:
    from PySide6.QtCore import QCoreApplication
    from PySide6.QtWidgets import QWidget

    from stancemark.store.repository import Repository
    from stancemark.ui.window.main_window import MainWindow

DATE_RE = re.compile(r"\b(?:(?:on|in|since|last)\s+)?(?:January|February|March|April|May|June|July|"
                     r"August|September|October|November|December)(?:\s+\d{1,2})?(?:,\s+\d{4})?\b"
                     r"|\blast year\b|\bin \d{4}\b")
STANCE_VERBS = {"urge": "support", "support": "support", "recogni": "support", "seeks": "support",
                "lift": "support", "warn": "oppose", "oppos": "oppose", "anger": "oppose",
                "infuriat": "oppose", "threat": "oppose", "pressur": "neutral"}


def demo_annotations(repo: Repository, article_uid: str) -> list[Annotation]:
    """Actor mentions, dates and stances for one article (no overlapping actor mentions)."""
    art = existing(repo.get_article(article_uid), "article", article_uid)
    text = art.text
    me = repo.annotator.uid
    names: list[tuple[str, str]] = []
    for actor in repo.list_actors():
        for name in (actor.name, *actor.aliases):
            if len(name) > 2:
                names.append((name, actor.uid))
    names.sort(key=lambda n: -len(n[0]))
    taken = [False] * len(text)
    out: list[Annotation] = []
    for name, uid in names:
        for m in re.finditer(r"(?<!\w)" + re.escape(name) + r"(?!\w)", text):
            if any(taken[m.start():m.end()]):
                continue
            for i in range(m.start(), m.end()):
                taken[i] = True
            out.append(Annotation(new_uid(), art.uid, me, "actor", m.start(), m.end(),
                                  m.group(0), actor_uid=uid))
    for m in DATE_RE.finditer(text):
        norm = normalise_date(m.group(0), art.published or None)
        if norm:
            out.append(Annotation(new_uid(), art.uid, me, "date", m.start(), m.end(), m.group(0),
                                  date_value=norm[0], date_granularity=norm[1]))
    topics = {t.name: t.uid for t in repo.list_topics()}
    target = topics.get("Official US–Taiwan contacts") or next(iter(topics.values()), None)
    for verb, polarity in STANCE_VERBS.items():
        for m in re.finditer(r"\b" + verb + r"\w*", text):
            s0, s1 = sentence_bounds(text, m.start())
            holders = [a for a in out if a.kind == "actor" and s0 <= a.start < m.start()]
            if not holders:
                continue
            end = m.end()
            clause = re.search(r"[,.;]", text[end:s1])
            end = min(end + (clause.start() if clause else s1 - end), m.start() + 70)
            while end > m.end() and not text[end - 1].isalnum():
                end -= 1
            out.append(Annotation(new_uid(), art.uid, me, "stance", m.start(), end,
                                  text[m.start():end], holder_uid=holders[-1].actor_uid,
                                  target_topic_uid=target, polarity=polarity,
                                  stance_date=art.published or None))
    return out


def add_demo(window: MainWindow) -> None:
    """Tag every article of the window's store through the window's own commands."""
    repo = window.repo
    for row in repo.list_articles():
        if row.annotation_count:
            continue
        window.open_article(row.uid)
        for a in demo_annotations(repo, row.uid):
            window.run_command(AddAnnotation(a))


def save_and_quit(app: QCoreApplication, window: QWidget, out: Path) -> None:
    """Save the window's picture to `out`, close it and end the event loop (exit code 1
    when the file could not be written)."""
    from PySide6.QtWidgets import QApplication

    QApplication.processEvents()
    out.parent.mkdir(parents=True, exist_ok=True)
    ok = window.grab().save(str(out))
    print(f"wrote {out}" if ok else "could not save the screenshot")
    window.close()
    app.exit(0 if ok else 1)


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--store", type=Path, required=True)
    p.add_argument("--out", type=Path, required=True)
    p.add_argument("--size", default="1480x900")
    p.add_argument("--article", default="Pompeo", help="open the article whose title starts so")
    args = p.parse_args(argv)

    from PySide6.QtCore import QSettings, Qt, QTimer

    from stancemark.ui.window.app import application, build_window, open_repo

    app = application()
    repo = open_repo(args.store, "ana")
    settings = QSettings(str(args.out.with_suffix(".ini")), QSettings.Format.IniFormat)
    window = build_window(repo, args.store, settings)
    w, h = (int(x) for x in args.size.split("x"))
    window.resize(w, h)
    add_demo(window)
    target = next((r for r in repo.list_articles() if r.title.startswith(args.article)), None)
    if target:
        window.open_article(target.uid)
    window.registers_dock.show()
    window.actions_["legend"].setChecked(True)  # what the colours and lines mean
    window.resizeDocks([window.registers_dock], [170], Qt.Orientation.Vertical)
    window.show()
    stance = next((a for a in window.inspector.model.items if a.kind == "stance"), None)

    def shoot() -> None:
        window.view.finish_highlighting()
        if stance:
            window.inspector.select(stance.uid)
            window.view.text.centerCursor()
            window.view._end_flash()  # the resting look, not the flash
        save_and_quit(app, window, args.out)

    QTimer.singleShot(600, shoot)
    code = app.exec()
    repo.close()
    args.out.with_suffix(".ini").unlink(missing_ok=True)
    return code


if __name__ == "__main__":
    sys.exit(main())
