"""store.bulk.add_articles behaves like Repository.add_article called once per item."""

from __future__ import annotations

import pytest

from stancemark.core.errors import IntegrityError
from stancemark.store.bulk import add_articles


def test_added_like_add_article_with_duplicates_in_store_and_batch(repo):
    old, _ = repo.add_article("Already here.\n", "Old")
    items = [
        {"text": "First text.\r\nSecond line.", "title": "  One ", "source": "Reuters",
         "published": "2024-01-02", "meta": {"k": 1}},
        {"text": "Already here.\n", "title": "Dup of stored"},
        {"text": "First text.\nSecond line.", "title": "Dup in batch"},
        {"text": "Third.", "uid": "fixed-uid", "added_at": "2020-01-01T00:00:00+00:00"},
    ]
    results = add_articles(repo, items, batch_size=2)
    assert [added for _, added in results] == [True, False, False, True]
    first, stored, dup, third = (art for art, _ in results)
    assert stored.uid == old.uid and dup.uid == first.uid
    got = repo.get_article(first.uid)
    assert got.text == "First text.\nSecond line." and got.title == "One"
    assert (got.source, got.published, got.meta) == ("Reuters", "2024-01-02", {"k": 1})
    assert repo.get_article("fixed-uid").added_at == "2020-01-01T00:00:00+00:00"
    assert [h.action for h in repo.history(first.uid)] == ["create"]
    assert repo.count_articles() == 3
    assert repo.list_articles(query="third")[0].uid == "fixed-uid"  # full-text indexed


@pytest.mark.parametrize("bad, error", [
    ({"text": "  \n "}, IntegrityError),
    ({"text": "x", "colour": "red"}, TypeError),
])
def test_a_bad_item_writes_nothing(repo, bad, error):
    with pytest.raises(error):
        add_articles(repo, [{"text": "Fine one."}, bad])
    assert repo.count_articles() == 0


def test_uid_clash_with_another_text_writes_nothing(repo):
    art, _ = repo.add_article("Some text.")
    with pytest.raises(IntegrityError, match="UNIQUE"):
        add_articles(repo, [{"text": "New one."}, {"text": "Other text.", "uid": art.uid}])
    assert repo.count_articles() == 1
