"""A store for the discourse view tests: the sample articles, the demo pass of stances,
and China (tagged where the text says "Beijing") opposing reunification... a stance
the tests then correct."""

from __future__ import annotations

import re

from stancemark.core.model import Annotation

HOLDER, TOPIC = "China", "Reunification"


def discourse_store(repo) -> dict:
    from stancemark.formats.seed import seed
    from stancemark.ui.pictures.discourse_screenshot import add_demo_stances

    seed(repo)
    add_demo_stances(repo)
    china = next(a for a in repo.list_actors() if a.name == HOLDER)
    topic = next(t for t in repo.list_topics() if t.name == TOPIC)
    added = []
    for row in repo.list_articles():
        art = repo.get_article(row.uid)
        for m in re.finditer(r"\bBeijing\b", art.text):
            added.append(repo.add_annotation(Annotation(
                "", art.uid, repo.annotator.uid, "stance", m.start(), m.end(), m.group(0),
                holder_uid=china.uid, target_topic_uid=topic.uid, polarity="oppose")))
    return {"china": china, "topic": topic, "added": added}


def stances_of(repo, holder_uid: str, topic_uid: str) -> list[Annotation]:
    """Every live stance of this holder on this topic, read straight from the store."""
    out = []
    for row in repo.list_articles():
        out += [a for a in repo.list_annotations(row.uid, kinds=["stance"])
                if a.holder_uid == holder_uid and a.target_topic_uid == topic_uid]
    return out
