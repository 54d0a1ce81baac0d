"""The discourse tables' queries (store/stance_query.py): every filter, sorting, paging,
and the multi-row edit command (one transaction, one undo, audited)."""

from __future__ import annotations

import pytest

from stancemark.core.commands import UpdateAnnotations
from stancemark.core.errors import StancemarkError
from stancemark.core.model import Annotation
from stancemark.core.stance_filter import StanceFilter
from stancemark.store import stance_query as q


@pytest.fixture
def store(repo):
    """Three articles; stances by the United States (alias "Washington"), China (alias
    "Beijing") and Taiwan, on two topics and one actor; dates of every precision."""
    from stancemark.core.codebook import Attribute, Value

    intensity = repo.add_attribute(Attribute("", "intensity", "choice", "stance", values=(
        Value("", "high"), Value("", "low"))))
    level = {v.name: v.uid for v in intensity.values}
    us = repo.add_actor("United States", "state", aliases=["Washington"])
    cn = repo.add_actor("China", "state", aliases=["Beijing"])
    tw = repo.add_actor("Taiwan", "state", aliases=["Taipei"])
    arms = repo.add_topic("Arms sales")
    talks = repo.add_topic("Trade talks")
    texts = [("Washington backs arms sales while Beijing objects to them. Taipei waits.",
              "Arms row", "2021-03-04"),
             ("Beijing wants trade talks; Washington hesitates. Taipei welcomes talks.",
              "Trade", "2022"),
             ("Beijing warns Taipei again about the weapons.", "Warnings", "2021-11")]
    arts = [repo.add_article(t, title, published=p)[0] for t, title, p in texts]
    plan = [  # article, quote, holder, topic or actor, polarity, own date, note, meta
        (0, "backs arms sales", us, arms, "support", None, "", {}),
        (0, "objects to them", cn, arms, "oppose", None, "firm", {"intensity": "high"}),
        (0, "Taipei waits", tw, arms, "neutral", "2021", "", {}),
        (1, "wants trade talks", cn, talks, "support", None, "", {"intensity": "low"}),
        (1, "hesitates", us, talks, "neutral", "2022-05", "", {}),
        (1, "welcomes talks", tw, talks, "support", None, "", {}),
        (2, "warns Taipei", cn, tw, "oppose", "2021-11-20/2021-11-22", "", {}),
    ]
    made = []
    for i, quote, holder, target, pol, day, note, meta in plan:
        a = arts[i]
        s = a.text.index(quote)
        topic = target if hasattr(target, "description") and not hasattr(target, "kind") \
            else None
        made.append(repo.add_annotation(Annotation(
            "", a.uid, repo.annotator.uid, "stance", s, s + len(quote), quote,
            holder_uid=holder.uid, target_topic_uid=topic.uid if topic else None,
            target_actor_uid=None if topic else target.uid, polarity=pol, stance_date=day,
            note=note,
            attributes={intensity.uid: level[meta["intensity"]]} if meta else {})))
    s = arts[0].text.index("Washington")
    repo.add_annotation(Annotation("", arts[0].uid, repo.annotator.uid, "actor", s, s + 10,
                                   "Washington", actor_uid=us.uid))
    return repo, made, arts


def quotes(repo, f=StanceFilter(), **kw):
    return [r.quote for r in q.stance_rows(repo, q.stance_ids(repo, f, **kw))]


def test_filters(store):
    repo, made, arts = store
    assert len(quotes(repo)) == 7
    assert quotes(repo, StanceFilter(holder="beij")) == [
        "objects to them", "wants trade talks", "warns Taipei"]
    assert quotes(repo, StanceFilter(target="taiwan")) == ["warns Taipei"]  # an actor target
    assert quotes(repo, StanceFilter(target="talks", polarity=("support",))) == [
        "wants trade talks", "welcomes talks"]
    assert quotes(repo, StanceFilter(note="FIRM")) == ["objects to them"]
    assert quotes(repo, StanceFilter(attributes=(("intensity", "low"),))) == [
        "wants trade talks"]
    assert quotes(repo, StanceFilter(attributes=(("Intensity", "HIGH"),))) == [
        "objects to them"]  # names as the codebook matches them
    with pytest.raises(StancemarkError, match="no stance attribute"):
        quotes(repo, StanceFilter(attributes=(("colour", "red"),)))
    with pytest.raises(StancemarkError):
        quotes(repo, StanceFilter(attributes=(("intensity", "medium"),)))
    assert quotes(repo, StanceFilter(quote="talks")) == ["wants trade talks", "welcomes talks"]
    assert quotes(repo, StanceFilter(search="weapons")) == ["warns Taipei"]
    assert quotes(repo, StanceFilter(title="trade")) == [
        "wants trade talks", "hesitates", "welcomes talks"]
    assert quotes(repo, StanceFilter(annotators=("nobody",))) == []
    assert quotes(repo, StanceFilter(article_uids=(arts[2].uid,))) == ["warns Taipei"]
    assert quotes(repo, StanceFilter(holder_uids=(made[0].holder_uid,))) == [
        "backs arms sales", "hesitates"]
    with pytest.raises(StancemarkError, match="polarity"):
        quotes(repo, StanceFilter(polarity=("angry",)))


def test_dates_are_their_own_else_their_articles_first_day(store):
    repo, _, _ = store
    # "Taipei waits" is dated 2021 (its first day); article 1 is dated 2022
    assert quotes(repo, StanceFilter(date_from="2021-03", date_to="2021-03")) == [
        "backs arms sales", "objects to them"]
    assert quotes(repo, StanceFilter(date_from="2021", date_to="2021")) == [
        "backs arms sales", "objects to them", "Taipei waits", "warns Taipei"]
    assert quotes(repo, StanceFilter(date_from="2022-05")) == ["hesitates"]
    assert quotes(repo, StanceFilter(date_to="2021-01")) == ["Taipei waits"]
    assert quotes(repo, StanceFilter(published_from="2022")) == [
        "wants trade talks", "hesitates", "welcomes talks"]
    rows = q.stance_rows(repo, q.stance_ids(repo, StanceFilter(holder="beijing")))
    assert [(r.stance_date, r.date) for r in rows] == [
        ("", "2021-03-04"), ("", "2022"), ("2021-11-20/2021-11-22", "2021-11-20/2021-11-22")]


def test_sorting_paging_and_counting(store):
    repo, _, _ = store
    assert quotes(repo, sort="holder") == [
        "objects to them", "wants trade talks", "warns Taipei", "Taipei waits",
        "welcomes talks", "backs arms sales", "hesitates"]
    # descending: support first, ties newest first
    assert quotes(repo, sort="polarity", descending=True)[:3] == [
        "welcomes talks", "wants trade talks", "backs arms sales"]
    assert quotes(repo, sort="date")[0] == "Taipei waits"
    every = list(q.stance_ids(repo))
    assert [*q.ids(repo, limit=3), *q.ids(repo, offset=3, limit=3), *q.ids(repo, offset=6)] \
        == every
    assert q.count(repo) == 7 and q.count(repo, kind="actor") == 1
    with pytest.raises(StancemarkError, match="sort"):
        q.stance_ids(repo, sort="colour")


def test_statements_are_the_filtered_stances(store):
    repo, made, _ = store
    st = q.statements(repo, StanceFilter(holder="beijing"))
    from stancemark.core.periods import day_of

    assert len(st) == 3
    taiwan = {k[1] for k, v in q.node_names(repo).items() if v[1] == "Taiwan"}
    assert sorted(st.actor)[:2] == [0, 0] and sorted(st.actor)[2] in taiwan
    assert sorted(st.day) == sorted([day_of("2021-03-04"), day_of("2022"), day_of("2021-11-20")])


def test_update_many_is_one_audited_transaction(store):
    repo, made, _ = store
    uids = [a.uid for a in made[:3]]
    cmd = UpdateAnnotations.same(uids, {"polarity": "oppose"})
    change = cmd.apply(repo)
    assert change.uids == tuple(uids) and change.action == "update"
    assert [repo.get_annotation(u).polarity for u in uids] == ["oppose"] * 3
    assert all(repo.history(u)[-1].after["polarity"] == "oppose" for u in uids)
    cmd.revert(repo)
    assert [repo.get_annotation(u).polarity for u in uids] == ["support", "oppose", "neutral"]
    # one bad change: nothing changes
    bad = UpdateAnnotations({uids[0]: {"polarity": "support"}, uids[1]: {"polarity": "loud"}})
    with pytest.raises(StancemarkError):
        bad.apply(repo)
    assert repo.get_annotation(uids[0]).polarity == "support"
