"""Native JSONL: lossless round trip and validation of every record."""

from __future__ import annotations

import json

import pytest

from helpers import find
from stancemark.core.errors import InputError
from stancemark.core.model import Annotation
from stancemark.formats import native_jsonl
from stancemark.store import Repository, open_store


def annotate(repo):
    """A few annotations of each kind, an overlap, a trashed one, an emoji article."""
    art = next(a for a in repo.iter_articles() if a.published == "2021-01-10")
    pompeo = repo.actors_by_alias("Pompeo")[0]
    china = repo.actors_by_alias("China")[0]
    topic = repo.topic_by_name("Official US–Taiwan contacts")
    add = repo.add_annotation
    s, e = find(art.text, "Mike Pompeo")
    add(Annotation("", art.uid, "", "actor", s, e, "Mike Pompeo", actor_uid=pompeo.uid))
    s, e = find(art.text, "China")
    add(Annotation("", art.uid, "", "actor", s, e, "China", actor_uid=china.uid))
    s, e = find(art.text, "January 9")
    add(Annotation("", art.uid, "", "date", s, e, "January 9", date_value="2021-01-09",
                   date_granularity="day"))
    s, e = find(art.text, "Mike Pompeo announced on January 9 that he will lift restrictions")
    add(Annotation("", art.uid, "", "stance", s, e, art.text[s:e], holder_uid=pompeo.uid,
                   target_topic_uid=topic.uid, polarity="support", stance_date="2021-01-09",
                   note="overlaps the actor and date mentions"))
    s, e = find(art.text, "Beijing")
    gone = add(Annotation("", art.uid, "", "actor", s, e, "Beijing", actor_uid=china.uid))
    repo.delete_annotation(gone.uid)
    repo.set_status(art.uid, "in progress")
    emoji, _ = repo.add_article("Taipei 😀 said 台湾 שלום to Beijing.\r\nEnd.", "Emoji")
    s, e = find(emoji.text, "Beijing")
    add(Annotation("", emoji.uid, "", "actor", s, e, "Beijing", actor_uid=china.uid))
    return art


def test_round_trip_is_identical(seeded, tmp_path):
    annotate(seeded)
    first = tmp_path / "one.jsonl"
    native_jsonl.export(seeded, first)
    other = Repository(open_store(tmp_path / "empty.sqlite"), "someone-else")
    report = native_jsonl.import_paths(other, [first])
    assert report.annotations_added == 6 and report.articles_added == 4
    second = tmp_path / "two.jsonl"
    native_jsonl.export(other, second)
    assert first.read_bytes() == second.read_bytes()
    again = native_jsonl.import_paths(other, [first])
    assert (again.articles_added, again.annotations_added) == (0, 0)
    assert again.annotations_skipped == 6
    emoji = json.loads(first.read_text().splitlines()[-1])
    ann = emoji["annotations"][0]
    assert emoji["text"][ann["start"]:ann["end"]] == "Beijing" == ann["quote"]


def _lines(tmp_path, seeded):
    annotate(seeded)
    path = tmp_path / "x.jsonl"
    native_jsonl.export(seeded, path)
    return path, path.read_text().splitlines()


def _mutate_annotation(lines, **changes):
    for i, line in enumerate(lines):
        rec = json.loads(line)
        if rec.get("annotations"):
            rec["annotations"][0].update(changes)
            lines[i] = json.dumps(rec, ensure_ascii=False)
            return i + 1
    raise AssertionError


@pytest.mark.parametrize("changes, message", [
    ({"start": -3}, "negative"),
    ({"end": 10**7}, "past the end"),
    ({"start": 50, "end": 40}, "not after"),
    ({"quote": "nope"}, "does not match"),
    ({"start": "12"}, "wrong type"),
    ({"colour": "red"}, "unknown field"),
    # a list or an object where a uid or a value goes was a TypeError, not a clear error
    ({"annotator_uid": ["x"]}, "'annotator_uid' has the wrong type"),
    ({"actor_uid": {"a": 1}}, "'actor_uid' has the wrong type"),
    ({"polarity": 3}, "'polarity' has the wrong type"),
    ({"meta": []}, "'meta' has the wrong type"),
])
def test_bad_annotation_names_line_and_imports_nothing(seeded, tmp_path, changes, message):
    path, lines = _lines(tmp_path, seeded)
    n = _mutate_annotation(lines, **changes)
    path.write_text("\n".join(lines) + "\n")
    other = Repository(open_store(tmp_path / "empty.sqlite"), "x")
    with pytest.raises(InputError, match=message) as err:
        native_jsonl.import_paths(other, [path])
    assert f"{path}:{n}:" in str(err.value)
    assert other.stats()["articles"] == 0 and other.stats()["actors"] == 0


@pytest.mark.parametrize("content, message", [
    ("", "no records"),
    ('{"type": "article"}\n', "first line must be the header"),
    ('{"type": "stancemark", "version": 99}\n', "newer"),
    ('{"type": "stancemark", "version": 1}\n{"type": "article", "uid": "u", "text": "x"\n', "not valid JSON"),
    ('{"type": "stancemark", "version": 1}\n[1, 2]\n', "JSON object"),
    ('{"type": "stancemark", "version": 1}\n{"type": "robot"}\n', "unknown record type"),
    ('{"type": "stancemark", "version": 1}\n' + "[" * 100000 + "]" * 100000 + "\n", "not valid JSON"),
])
def test_malformed_files(repo, tmp_path, content, message):
    path = tmp_path / "bad.jsonl"
    path.write_text(content)
    with pytest.raises(InputError, match=message):
        native_jsonl.import_paths(repo, [path])
    assert repo.stats()["articles"] == 0


def test_duplicate_annotation_uids_are_refused(seeded, tmp_path):
    path, lines = _lines(tmp_path, seeded)
    recs = [json.loads(x) for x in lines]
    arts = [r for r in recs if r["type"] == "article" and r["annotations"]]
    arts[1]["annotations"][0]["uid"] = arts[0]["annotations"][0]["uid"]
    path.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in recs) + "\n")
    with pytest.raises(InputError, match="duplicate annotation uid"):
        native_jsonl.import_paths(Repository(open_store(tmp_path / "e.sqlite"), "x"), [path])
