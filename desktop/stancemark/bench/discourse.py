"""A synthetic corpus with a large register, for the discourse-view figures.

The seed register has 20 actors and 8 topics: a whole-corpus network of 28 nodes says
nothing about drawing "a few thousand". This corpus adds generated actors and topics
(names built from the seed articles' words) and chooses them the way a real debate
does: a few actors speak often and most rarely (Zipf weights), each actor mostly on a
handful of its own topics, and each actor leans one way on each topic. So the
networks have a realistic shape (dense core, long tail) instead of a uniform blur.

Article texts and the mix of kinds are those of the base corpus; only the labels
differ, and only when a StoreSpec asks for a register size.
"""

from __future__ import annotations

import random
import uuid
from functools import cache, cached_property
from itertools import accumulate
from pathlib import Path

from stancemark.bench.corpus import _POLARITIES, DEFAULT_SEED, Corpus, Register
from stancemark.core.model import Annotation, Article

_ORG_WORDS = ("Council", "Party", "Ministry", "Institute", "Association", "Union", "Office",
              "Forum", "League", "Committee")
_TOPIC_WORDS = ("policy", "reform", "sanctions", "talks", "security", "trade", "rights",
                "budget", "treaty", "exports")
PREFERRED_TOPICS = 5  # topics an actor mostly speaks about
ON_PREFERRED = 0.85  # share of an actor's stances on its preferred topics
LEANING = 0.7  # share of an actor's stances on a topic with its usual polarity
TARGET_ACTOR = 0.05  # share of stances aimed at another actor


def _uid(seed: str) -> str:
    return str(uuid.UUID(int=random.Random(seed).getrandbits(128), version=4))


class DiscourseCorpus(Corpus):
    """The base corpus with `actors` actors and `topics` topics in its register."""

    def __init__(self, actors: int, topics: int, seed: int | None = None,
                 folder: Path | None = None):
        super().__init__(DEFAULT_SEED if seed is None else seed, folder)
        self.n_actors = actors
        self.n_topics = topics

    @cached_property
    def register(self) -> Register:
        base = super().register.raw
        rng = random.Random(f"{self.seed}:register:{self.n_actors}:{self.n_topics}")
        words = sorted({w for w in self.words if w.isalpha() and len(w) > 3})
        actors = list(base["actors"])
        names = {a["name"] for a in actors}
        while len(actors) < self.n_actors:
            if rng.random() < 0.4:
                name = f"{rng.choice(words).capitalize()} {rng.choice(words).capitalize()}"
                kind = "person"
            else:
                name = f"{rng.choice(words).capitalize()} {rng.choice(_ORG_WORDS)}"
                kind = rng.choice(("organisation", "government", "group"))
            if name in names:
                continue
            names.add(name)
            actors.append({"uid": _uid(f"{self.seed}:actor:{name}"), "name": name, "kind": kind,
                           "aliases": [name.split()[-1] + " " + name.split()[0][:1] + "."]
                           if rng.random() < 0.3 else []})
        topics = list(base["topics"])
        tnames = {t["name"] for t in topics}
        while len(topics) < self.n_topics:
            name = f"{rng.choice(words).capitalize()} {rng.choice(_TOPIC_WORDS)}"
            if name in tnames:
                continue
            tnames.add(name)
            topics.append({"uid": _uid(f"{self.seed}:topic:{name}"), "name": name})
        raw = {**base, "actors": actors[:self.n_actors], "topics": topics[:self.n_topics]}
        return Register(tuple(a["uid"] for a in raw["actors"]),
                        tuple(t["uid"] for t in raw["topics"]), raw)

    @cached_property
    def _weights(self) -> tuple[list[float], list[float]]:
        return (list(accumulate(1 / (i + 1) for i in range(self.n_actors))),
                list(accumulate(1 / (i + 1) for i in range(self.n_topics))))

    @cache  # noqa: B019 - one corpus object per build, few thousand actors
    def _preferred(self, actor: int) -> list[int]:
        rng = random.Random(f"{self.seed}:prefers:{actor}")
        return [rng.randrange(self.n_topics) for _ in range(PREFERRED_TOPICS)]

    @cache  # noqa: B019
    def _leaning(self, actor: int, topic: int) -> str:
        return random.Random(f"{self.seed}:leans:{actor}:{topic}").choice(_POLARITIES[:2])

    def base_annotations(self, n: int, art: Article, count: int, annotator_uid: str
                         ) -> list[Annotation]:
        """The base corpus's spans and kinds, relabelled from the large register."""
        reg = self.register
        acum, tcum = self._weights
        rng = random.Random(f"{self.seed}:discourse:{n}")
        out = []
        for a in super().base_annotations(n, art, count, annotator_uid):
            actor = rng.choices(range(self.n_actors), cum_weights=acum)[0]
            if a.kind == "actor":
                a = a.with_changes(actor_uid=reg.actor_uids[actor])
            elif a.kind == "stance":
                if rng.random() < TARGET_ACTOR:
                    other = rng.choices(range(self.n_actors), cum_weights=acum)[0]
                    a = a.with_changes(holder_uid=reg.actor_uids[actor], target_topic_uid=None,
                                       target_actor_uid=reg.actor_uids[other],
                                       polarity=rng.choice(_POLARITIES))
                else:
                    topic = (rng.choice(self._preferred(actor)) if rng.random() < ON_PREFERRED
                             else rng.choices(range(self.n_topics), cum_weights=tcum)[0])
                    lean = self._leaning(actor, topic)
                    roll = rng.random()
                    polarity = (lean if roll < LEANING else "neutral" if roll < LEANING + 0.1
                                else ("oppose" if lean == "support" else "support"))
                    a = a.with_changes(holder_uid=reg.actor_uids[actor],
                                       target_topic_uid=reg.topic_uids[topic], polarity=polarity)
            out.append(a)
        return out
