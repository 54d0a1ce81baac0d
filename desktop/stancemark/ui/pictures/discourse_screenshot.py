"""Make the README pictures of the Discourse window: the stance table, the network and
the timeline, on the sample articles with a first pass of stances. Run under a display
(Xvfb for CI):

    python -m stancemark.ui.pictures.discourse_screenshot --store demo.sqlite --out DIR

The demo pass reads each sentence of the sample articles the way a quick first pass by
an analyst would: an actor named in the sentence (register names and aliases) holds a
stance on the topic its words point to, with a polarity from its verbs and the date of
a date expression in the sentence (else the article's). Nothing is added to a store
that already has stances.
"""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from stancemark.core.dates import normalise_date
from stancemark.core.errors import existing
from stancemark.core.model import Annotation, new_uid
from stancemark.core.text import sentence_bounds

if TYPE_CHECKING:
    from stancemark.store.repository import Repository

TOPIC_WORDS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("Taiwan independence", ("independen", "sovereign", "pro-Taiwan", "separatis")),
    ("US Navy port calls in Taiwan", ("port", "Navy", "dock", "ships")),
    ("US arms sales to Taiwan", ("arms", "weapon", "defense", "defence", "military")),
    ("Reunification", ("reunif", "invad", "invasion", "unification")),
    ("One China policy", ("One China", "one-China", "One-China", "one China")),
    ("Taiwan's UN membership", ("United Nations", "General Assembly")),
    ("US–China trade deal", ("trade", "tariff", "deal")),
    ("Official US–Taiwan contacts", ("contact", "officials", "visit", "phone call",
                                     "restriction", "counterpart", "congratulat")),
)
SUPPORT_WORDS = ("support", "urge", "back", "seek", "lift", "recogni", "welcom", "protect",
                 "stand up", "stand firm", "press", "push", "step up", "commit")
OPPOSE_WORDS = ("oppos", "warn", "threat", "anger", "infuriat", "enrage", "condemn", "reject",
                "against", "bully", "intimidat", "invad", "strain", "tension")
DATE_RE = re.compile(r"\b(?:(?:on|in|since|last)\s+)?(?:January|February|March|April|May|June|"
                     r"July|August|September|October|November|December)(?:\s+\d{1,2})?"
                     r"(?:,\s+\d{4})?\b|\blast year\b|\bin \d{4}\b")


def _has(sentence: str, word: str) -> bool:
    """`word` starts a word of the sentence (any case): "port" is not in "support"."""
    return re.search(r"(?<![\w-])" + re.escape(word), sentence, re.IGNORECASE) is not None


def _first(sentence: str, words: tuple[str, ...]) -> int:
    hits = [m.start() for w in words
            for m in [re.search(r"(?<![\w-])" + re.escape(w), sentence, re.IGNORECASE)] if m]
    return min(hits, default=-1)


def _polarity(sentence: str) -> str:
    s, o = _first(sentence, SUPPORT_WORDS), _first(sentence, OPPOSE_WORDS)
    if s < 0 and o < 0:
        return "neutral"
    if o < 0 or (0 <= s < o):
        return "support"
    return "oppose"


def demo_stances(repo: Repository, article_uid: str) -> list[Annotation]:
    """Stances for one article: per sentence, up to two actors on its topic."""
    art = existing(repo.get_article(article_uid), "article", article_uid)
    text = art.text
    topics = {t.name: t.uid for t in repo.list_topics()}
    names = sorted(((n, a.uid) for a in repo.list_actors() for n in (a.name, *a.aliases)
                    if len(n) > 2), key=lambda n: -len(n[0]))
    out: list[Annotation] = []
    pos = 0
    while pos < len(text):
        s0, s1 = sentence_bounds(text, pos)
        s1 = max(s1, s0 + 1)
        sentence = text[s0:s1]
        pos = s1 + 1
        topic = next((topics[name] for name, words in TOPIC_WORDS
                      if name in topics and any(_has(sentence, w) for w in words)), None)
        if topic is None:
            continue
        found: list[tuple[int, int, str]] = []
        for name, uid in names:
            for m in re.finditer(r"(?<!\w)" + re.escape(name) + r"(?!\w)", sentence):
                if not any(a <= m.start() < b for a, b, _ in found):
                    found.append((m.start(), m.end(), uid))
        found.sort()
        holders: list[str] = []
        for start, end, uid in found:
            if uid in holders or len(holders) == 2:
                continue
            holders.append(uid)
            clause_end = min(len(sentence), end + 90)
            stop = re.search(r"[,.;:]", sentence[end:clause_end])
            clause_end = end + stop.start() if stop and stop.start() > 8 else clause_end
            span = (s0 + start, s0 + clause_end)
            while span[1] > span[0] and not text[span[1] - 1].isalnum():
                span = (span[0], span[1] - 1)
            when = DATE_RE.search(sentence)
            norm = normalise_date(when.group(0), art.published or None) if when else None
            out.append(Annotation(new_uid(), art.uid, repo.annotator.uid, "stance", span[0],
                                  span[1], text[span[0]:span[1]], holder_uid=uid,
                                  target_topic_uid=topic, polarity=_polarity(sentence),
                                  stance_date=norm[0] if norm else None))
    return out


def add_demo_stances(repo: Repository) -> int:
    """A first pass of stances over every article (none if the store has stances)."""
    from stancemark.store.stance_query import count

    if count(repo):
        return 0
    n = 0
    with repo.tx():
        for row in repo.list_articles():
            for a in demo_stances(repo, row.uid):
                repo.add_annotation(a)
                n += 1
    return n


def shoot(discourse: Any, out: Path, size: tuple[int, int]) -> list[Path]:
    """Three pictures: the whole window (table, network, timeline), then the network and
    the timeline each on their own at the window's width."""
    from PySide6.QtWidgets import QApplication

    out.mkdir(parents=True, exist_ok=True)
    written = []

    def save(widget: Any, name: str) -> None:
        QApplication.processEvents()
        path = out / name
        if widget.grab().save(str(path)):
            written.append(path)

    w, h = size
    discourse.resize(w, h)
    save(discourse, "discourse-window.png")
    for dock, name, height in ((discourse.network_dock, "discourse-network.png", h),
                               (discourse.timeline_dock, "discourse-timeline.png", h // 2)):
        dock.setFloating(True)
        dock.resize(w, height)
        dock.widget().resize(w, height)
        QApplication.processEvents()
        if dock is discourse.network_dock:
            discourse.network.canvas.fit()
        save(dock.widget(), name)
        dock.setFloating(False)
    return written


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--store", type=Path, required=True)
    p.add_argument("--out", type=Path, required=True, help="folder for the PNG files")
    p.add_argument("--size", default="1280x720")
    args = p.parse_args(argv)

    from PySide6.QtCore import QSettings, QTimer

    from stancemark.formats.seed import seed
    from stancemark.ui.analysis.install import open_discourse
    from stancemark.ui.window.app import application, build_window, open_repo

    app = application()
    repo = open_repo(args.store, "ana")
    seed(repo)
    add_demo_stances(repo)
    settings = QSettings(str(args.out / "discourse.ini"), QSettings.Format.IniFormat)
    window = build_window(repo, args.store, settings)
    window.show()
    discourse = open_discourse(window)
    w, h = (int(x) for x in args.size.split("x"))
    discourse.resize(w, h)
    code = {"rc": 1}

    def pictures() -> None:
        written = shoot(discourse, args.out, (w, h))
        for path in written:
            print(f"wrote {path}")
        code["rc"] = 0 if len(written) == 3 else 1
        discourse.close()
        window.close()
        app.exit(code["rc"])

    QTimer.singleShot(800, pictures)
    app.exec()
    repo.close()
    (args.out / "discourse.ini").unlink(missing_ok=True)
    return code["rc"]


if __name__ == "__main__":
    sys.exit(main())
