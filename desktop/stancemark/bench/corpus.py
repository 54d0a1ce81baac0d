"""Deterministic synthetic articles and annotations built from the seed articles' words.

Every article is a function of (corpus seed, article number) only, so the same
article number has the same uid, text and base annotations in every store built
from the same seed: the two sides of the merge benchmark share their articles the
way two coders' stores share the texts they were given.

Article text: paragraphs of sentences whose words are drawn with the seed corpus's
own word frequencies. Annotations: one to three whole words each, half actor
mentions, a quarter dates, a quarter stances, pointing at the bundled register.
A second coder's annotations are the first coder's with some spans moved and some
labels changed, so agreement has something to measure.
"""

from __future__ import annotations

import json
import random
import re
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

from stancemark.core.model import Annotation, Article
from stancemark.core.paths import seeds_dir
from stancemark.core.text import text_sha256

DEFAULT_SEED = 20260101
NEWS_CHARS = (1_500, 5_000)  # news length: a few thousand characters
_WORD = re.compile(r"(?<![\w’'-])\w[\w’'-]*")  # whole words only
_SOURCES = ("Reuters", "Xinhua", "Associated Press", "South China Morning Post", "Taipei Times",
            "The Guardian", "Newsmax", "Nikkei Asia")
_POLARITIES = ("support", "oppose", "neutral")


def _uid(rng: random.Random) -> str:
    return str(uuid.UUID(int=rng.getrandbits(128), version=4))


def _stamp(n: int) -> str:
    """A fixed, sortable timestamp per article number (2026-01-01 + n seconds)."""
    days, secs = divmod(n, 86_400)
    year, day = 2026 + days // 365, days % 365
    month, mday = 1 + day // 28 % 12, 1 + day % 28
    h, rem = divmod(secs, 3600)
    return f"{year:04d}-{month:02d}-{mday:02d}T{h:02d}:{rem // 60:02d}:{rem % 60:02d}.000000+00:00"


@dataclass(frozen=True)
class Register:
    actor_uids: tuple[str, ...]
    topic_uids: tuple[str, ...]
    raw: dict


class Corpus:
    """Synthetic articles and annotations for one seed."""

    def __init__(self, seed: int = DEFAULT_SEED, folder: Path | None = None):
        self.seed = seed
        self.folder = folder or seeds_dir()

    @cached_property
    def words(self) -> list[str]:
        text = " ".join(p.read_text(encoding="utf-8") for p in sorted(self.folder.glob("*.txt")))
        return _WORD.findall(text)

    @cached_property
    def register(self) -> Register:
        raw = json.loads((self.folder / "register.json").read_text(encoding="utf-8"))
        return Register(tuple(a["uid"] for a in raw["actors"]),
                        tuple(t["uid"] for t in raw["topics"]), raw)

    # ---------------------------------------------------------------- articles
    def _text(self, rng: random.Random, chars: int) -> str:
        words, paragraphs, size = self.words, [], 0
        while size < chars:
            sentences = []
            for _ in range(rng.randint(3, 6)):
                ws = rng.choices(words, k=rng.randint(8, 28))
                ws[0] = ws[0][:1].upper() + ws[0][1:]
                sentences.append(" ".join(ws) + ".")
            para = " ".join(sentences)
            paragraphs.append(para)
            size += len(para) + 2
        return "\n\n".join(paragraphs)

    def article(self, n: int, chars: int | None = None) -> Article:
        """Article number n: news length unless `chars` asks for a long one."""
        rng = random.Random(f"{self.seed}:article:{n}")
        uid = _uid(rng)
        size = chars or rng.randint(*NEWS_CHARS)
        title = " ".join(rng.choices(self.words, k=rng.randint(5, 10))).capitalize()
        text = self._text(rng, size)
        published = f"{rng.randint(2015, 2025)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
        return Article(uid, title, text, text_sha256(text), source=rng.choice(_SOURCES),
                       url=f"https://news.example/{uid[:8]}", author="", published=published,
                       language="en", added_at=_stamp(n), meta={"synthetic": n})

    # ------------------------------------------------------------- annotations
    def base_annotations(self, n: int, art: Article, count: int, annotator_uid: str
                         ) -> list[Annotation]:
        """The first coder's annotations of article n, in text order."""
        rng = random.Random(f"{self.seed}:annotations:{n}")
        reg, text = self.register, art.text
        out = []
        for i in range(count):
            # spread evenly with jitter so long articles are covered end to end
            pos = (i * len(text)) // count + rng.randrange(max(1, len(text) // count))
            first = _WORD.search(text, min(pos, len(text) - 1)) or _WORD.search(text)
            assert first is not None  # the generated articles are made of words
            end = first.end()
            for _ in range(rng.choice((0, 0, 1, 2))):
                nxt = _WORD.search(text, end)
                if nxt is None or nxt.start() - end > 1:
                    break
                end = nxt.end()
            start = first.start()
            roll = rng.random()
            fields: dict = {}
            if roll < 0.5:
                kind, fields["actor_uid"] = "actor", rng.choice(reg.actor_uids)
            elif roll < 0.75:
                kind = "date"
                fields["date_value"] = f"{rng.randint(2015, 2025)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
                fields["date_granularity"] = "day"
            else:
                kind = "stance"
                fields.update(holder_uid=rng.choice(reg.actor_uids),
                              target_topic_uid=rng.choice(reg.topic_uids),
                              polarity=rng.choice(_POLARITIES))
            out.append(Annotation(_uid(rng), art.uid, annotator_uid, kind, start, end,
                                  text[start:end], created_at=art.added_at,
                                  updated_at=art.added_at, **fields))
        return out

    def coder_annotations(self, n: int, art: Article, base: list[Annotation], name: str,
                          annotator_uid: str) -> list[Annotation]:
        """Another coder's take on the same article: 70% identical, 15% span moved to a
        neighbouring word, 15% a different label; new uids."""
        rng = random.Random(f"{self.seed}:coder:{name}:{n}")
        reg, text = self.register, art.text
        out = []
        for a in base:
            roll = rng.random()
            changes: dict = {"uid": _uid(rng), "annotator_uid": annotator_uid}
            if 0.7 <= roll < 0.85:
                nxt = _WORD.search(text, a.end)
                if nxt is not None:
                    changes.update(start=nxt.start(), end=nxt.end(), quote=nxt.group())
            elif roll >= 0.85:
                if a.kind == "actor":
                    changes["actor_uid"] = rng.choice(reg.actor_uids)
                elif a.kind == "stance":
                    changes["polarity"] = rng.choice(_POLARITIES)
                else:
                    changes["date_value"] = f"{rng.randint(2015, 2025)}-01-01"
            out.append(a.with_changes(**changes))
        return out

    def iter_corpus(self, articles: int, per_article: int, annotators: dict[str, str],
                    chars: int | None = None, first: int = 0
                    ) -> Iterator[tuple[Article, list[Annotation]]]:
        """(article, annotations) for article numbers first .. first+articles-1.

        `annotators` maps coder name -> annotator uid; "ana" is the base coder, any other
        name is a perturbation of ana's annotations (ana's are generated either way)."""
        for n in range(first, first + articles):
            art = self.article(n, chars)
            base = self.base_annotations(n, art, per_article, annotators.get("ana", ""))
            anns: list[Annotation] = []
            for name, uid in annotators.items():
                anns += base if name == "ana" else self.coder_annotations(n, art, base, name, uid)
            yield art, anns
