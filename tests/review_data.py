"""Two annotators' stores on the seed articles, shared by the merge, agreement and review
tests (import as `from review_data import ...`).

Ana and Ben tag the same seed articles independently:

  article "Republicans in Congress ..." (ART1), actor mentions
    "Beijing" (1st)        Ana: China            Ben: China             agree
    "Donald Trump" (1st)   Ana: "Donald Trump"   Ben: "Trump" inside it disagree (span)
    "Taipei" (1st)         Ana: Taiwan           Ben: China             disagree (actor)
    "China" (1st)          Ana: China            Ben: -                 only Ana
  article "Xi to press Trump ..." (ART2), a stance on "opposing Taiwan’s independence"
                           both: holder China, oppose, topic Taiwan independence   agree
  article "Pompeo lifts restrictions ..." (ART3), the date "January 9"
                           Ana: 2021-01-09       Ben: 2020-01-09        disagree (date)
Ben also adds an actor of his own, "Beijing government" (alias "Beijing"), that he
does not use: merging proposes it as the same as China.
"""

from __future__ import annotations

from pathlib import Path

from helpers import find
from stancemark.core.model import Annotation

ART1 = "dca24397-fe20-550b-ab01-e9ee93cc4c6f"
ART2 = "45f52c3e-6300-5823-8c74-6e705119f964"
ART3 = "32ca2f3d-7033-52d6-b245-67485001db7b"
CHINA = "1c51781a-419e-5c8f-a236-415354109fd0"


def uid_of(repo, name: str, topics: bool = False) -> str:
    items = repo.list_topics() if topics else repo.list_actors()
    return next(x.uid for x in items if x.name == name)


def tag(repo, article: str, needle: str, kind: str = "actor", nth: int = 0, **fields
        ) -> Annotation:
    text = repo.get_article(article).text
    start, end = find(text, needle, nth)
    return repo.add_annotation(Annotation("", article, repo.annotator.uid, kind, start, end,
                                          needle, **fields))


def build_store(path: Path, who: str):
    """A seeded store at `path` with `who`'s ("ana" or "ben") annotations; returns the repo."""
    from stancemark.formats.seed import seed
    from stancemark.store import Repository, open_store

    repo = Repository(open_store(path), who)
    seed(repo)
    taiwan = uid_of(repo, "Taiwan")
    trump = uid_of(repo, "Donald Trump")
    independence = uid_of(repo, "Taiwan independence", topics=True)
    tag(repo, ART1, "Beijing", actor_uid=CHINA)
    if who == "ana":
        tag(repo, ART1, "Donald Trump", actor_uid=trump)
        tag(repo, ART1, "Taipei", actor_uid=taiwan)
        tag(repo, ART1, "China", actor_uid=CHINA)
        date = "2021-01-09"
    else:
        tag(repo, ART1, "Trump", actor_uid=trump)  # inside "Donald Trump"
        tag(repo, ART1, "Taipei", actor_uid=CHINA)
        repo.add_actor("Beijing government", "government", aliases=["Beijing"])
        date = "2020-01-09"
    tag(repo, ART2, "opposing Taiwan’s independence", "stance", holder_uid=CHINA,
        polarity="oppose", target_topic_uid=independence)
    tag(repo, ART3, "January 9", "date", date_value=date, date_granularity="day")
    return repo


def merged_store(folder: Path):
    """The reviewer's store ("rev") in `folder` with Ana's and Ben's stores merged in."""
    from stancemark.store import Repository, open_store
    from stancemark.store.merge import merge_store

    for who in ("ana", "ben"):
        build_store(folder / f"{who}.sqlite", who).close()
    repo = Repository(open_store(folder / "rev.sqlite"), "rev")
    for who in ("ana", "ben"):
        merge_store(repo, folder / f"{who}.sqlite")
    return repo


ATTRIBUTE_TEXT = "Beijing warned Washington on Monday about the economic cost of tariffs."


def attribute_store(path: Path):
    """A store where Ana and Ben tag one stance (same polarity, target and holder;
    intensity 4 vs 2) and one frame (same frame_type, tones in a different order)."""
    from stancemark.core.codebook_commands import AddAttribute, AddKind, new_attribute, new_kind
    from stancemark.store import Repository, open_store

    repo = Repository(open_store(path), "ana")
    frame = AddKind(new_kind("frame", key="F"))
    frame.apply(repo)
    ft = AddAttribute(new_attribute("frame_type", "choice", frame.kind.uid,
                                    values=("economic", "security")))
    ft.apply(repo)
    tone = AddAttribute(new_attribute("tone", "choice", frame.kind.uid, multiple=True,
                                      values=("calm", "alarmed", "ironic")))
    tone.apply(repo)
    AddAttribute(new_attribute("intensity", "integer", "stance", minimum=1, maximum=5)).apply(repo)
    book = repo.codebook()
    intensity = book.attribute_by_name("stance", "intensity")
    ft_, tone_ = book.attribute(ft.attribute.uid), book.attribute(tone.attribute.uid)
    art, _ = repo.add_article(ATTRIBUTE_TEXT, "t")
    beijing = repo.add_actor("Beijing", "state")
    tariffs = repo.add_topic("tariffs")
    economic = ft_.value_by_name("economic").uid
    calm, alarmed = tone_.value_by_name("calm").uid, tone_.value_by_name("alarmed").uid
    for who, level, tones in (("ana", 4, [calm, alarmed]), ("ben", 2, [alarmed, calm])):
        repo.set_annotator(who)
        repo.add_annotation(Annotation("", art.uid, "", "stance", 8, 14, "warned",
                                       polarity="oppose", holder_uid=beijing.uid,
                                       target_topic_uid=tariffs.uid,
                                       attributes={intensity.uid: level}))
        repo.add_annotation(Annotation("", art.uid, "", frame.kind.uid, 46, 59, "economic cost",
                                       attributes={ft_.uid: economic, tone_.uid: tones}))
    return repo, art, intensity, frame.kind
