"""spaCy DocBin export, read back with spaCy itself."""

from __future__ import annotations

import pytest

spacy = pytest.importorskip("spacy", reason="spaCy not installed (pip install 'stancemark[spacy]')")

from stancemark.formats import get_format  # noqa: E402
from stancemark.formats.common import Scope  # noqa: E402


def _load(path):
    from spacy.tokens import DocBin

    nlp = spacy.blank("xx")
    return list(DocBin().from_disk(path).get_docs(nlp.vocab))


def test_every_annotation_keeps_its_code_point_offsets(annotated, tmp_path):
    repo, pieces = annotated
    out = tmp_path / "corpus.spacy"
    report = get_format("spacy").load().export(repo, out, Scope(), None)
    docs = _load(out)
    assert report.articles == len(docs) == 3
    assert report.annotations == len(pieces["annotations"])
    by_uid = {d.user_data["stancemark"]["article"]["uid"]: d for d in docs}
    for a in pieces["annotations"]:
        doc = by_uid[a.article_uid]
        span = next(s for s in doc.spans["sc"] if s.id_ == a.uid)
        assert (span.start_char, span.end_char, span.text) == (a.start, a.end, a.quote)
        assert span.label_ == a.kind.upper()
    for art in pieces["articles"].values():
        assert by_uid[art.uid].text == art.text


def test_emoji_and_cjk_offsets(annotated, tmp_path):
    repo, pieces = annotated
    out = tmp_path / "zh.spacy"
    zh = pieces["articles"]["zh"]
    get_format("spacy").load().export(repo, out, Scope(article_uids=(zh.uid,)), None)
    (doc,) = _load(out)
    stance = next(s for s in doc.spans["sc"] if s.text.endswith("👍"))
    assert stance.text == "welcomed the 2020 deal 👍"
    assert zh.text[stance.start_char:stance.end_char] == stance.text
    beijing = next(s for s in doc.ents if s.text == "北京")
    assert beijing.kb_id_ == pieces["actors"]["china"].uid


def test_entities_do_not_overlap_and_keep_the_longest(annotated, tmp_path):
    repo, pieces = annotated
    out = tmp_path / "en.spacy"
    en = pieces["articles"]["en"]
    get_format("spacy").load().export(repo, out, Scope(article_uids=(en.uid,)), None)
    (doc,) = _load(out)
    ents = [(e.start_char, e.end_char) for e in doc.ents]
    assert all(a[1] <= b[0] for a, b in zip(ents, ents[1:], strict=False))
    texts = [e.text for e in doc.ents]
    assert "The State Department" in texts and "State Department" not in texts
    assert all(e.label_ in ("ACTOR", "DATE") for e in doc.ents)
    # the overlapping spans are all still in the span group
    assert sum(1 for s in doc.spans["sc"] if s.text == "Beijing") == 2


def test_stance_attributes_travel_in_user_data(annotated, tmp_path):
    repo, pieces = annotated
    out = tmp_path / "all.spacy"
    get_format("spacy").load().export(repo, out, Scope(), None)
    data = [d.user_data["stancemark"] for d in _load(out)]
    rows = {a["uid"]: a for d in data for a in d["annotations"]}
    for a in pieces["annotations"]:
        row = rows[a.uid]
        assert (row["polarity"], row["holder"], row["target_topic"], row["target_actor"],
                row["stance_date"], row["annotator"]) == (
            a.polarity, a.holder_uid, a.target_topic_uid, a.target_actor_uid, a.stance_date,
            a.annotator_uid)
    en = next(d for d in data if d["article"]["uid"] == pieces["articles"]["en"].uid)
    assert en["actors"][pieces["actors"]["china"].uid] == "China"
    assert set(en["annotators"].values()) == {"ana", "ben"}


def test_empty_article_and_kind_scope(annotated, tmp_path):
    repo, pieces = annotated
    out = tmp_path / "dates.spacy"
    report = get_format("spacy").load().export(repo, out, Scope(kinds=("date",)), None)
    docs = _load(out)
    assert report.annotations == 3
    empty = next(d for d in docs if d.user_data["stancemark"]["article"]["uid"]
                 == pieces["articles"]["empty"].uid)
    assert len(empty.spans["sc"]) == 0 and len(empty.ents) == 0
    assert {s.label_ for d in docs for s in d.spans["sc"]} == {"DATE"}


def test_cli_export(annotated, store_path, tmp_path):
    from stancemark.cli import main

    repo, _ = annotated
    repo.close()
    out = tmp_path / "cli.spacy"
    assert main(["--store", str(store_path), "export", "--format", "spacy", "--out", str(out)]) == 0
    assert len(_load(out)) == 3


@pytest.fixture
def fresh_repo(tmp_path):
    from stancemark.store import Repository, open_store

    r = Repository(open_store(tmp_path / "fresh.sqlite"), "importer")
    yield r
    r.close()


def test_round_trip_export_import_export(annotated, fresh_repo, tmp_path):
    repo, pieces = annotated
    fmt = get_format("spacy").load()
    first, second = tmp_path / "1.spacy", tmp_path / "2.spacy"
    fmt.export(repo, first, Scope(), None)
    report = fmt.import_paths(fresh_repo, [first])
    assert (report.articles_added, report.annotations_added) == (3, len(pieces["annotations"]))
    fmt.export(fresh_repo, second, Scope(), None)
    assert first.read_bytes() == second.read_bytes()
    for a in pieces["annotations"]:
        got = fresh_repo.get_annotation(a.uid)
        assert got.with_changes(created_at="", updated_at="") == \
            a.with_changes(created_at="", updated_at="")
    # actor kinds are not carried: documented loss
    assert fresh_repo.get_actor(pieces["actors"]["china"].uid).kind == "other"


def test_foreign_docbin_imports_texts_only(repo, tmp_path):
    from spacy.tokens import DocBin

    nlp = spacy.blank("en")
    doc = nlp("Angela Merkel met 😀 Xi.")
    doc.ents = [doc.char_span(0, 13, label="PERSON")]
    path = tmp_path / "foreign.spacy"
    DocBin(docs=[doc]).to_disk(path)
    report = get_format("spacy").load().import_paths(repo, [path])
    assert report.articles_added == 1 and report.annotations_added == 0 and report.notes


def test_malformed_docbin_changes_nothing(annotated, tmp_path, digest, store_path):
    from stancemark.core.errors import InputError

    repo, _ = annotated
    path = tmp_path / "bad.spacy"
    path.write_bytes(b"\x00not msgpack at all")
    before = digest(store_path)
    with pytest.raises(InputError, match="not a spaCy DocBin") as err:
        get_format("spacy").load().import_paths(repo, [path])
    assert str(err.value).startswith(f"{path}: ")
    assert digest(store_path) == before


def test_bad_offsets_name_the_document(annotated, tmp_path, digest, store_path):
    from spacy.tokens import DocBin

    from stancemark.core.errors import InputError

    repo, _ = annotated
    good, bad = spacy.blank("xx")("First text."), spacy.blank("xx")("Second text.")
    bad.user_data["stancemark"] = {"version": 1, "annotations": [
        {"uid": "x", "kind": "actor", "start": 3, "end": 99, "quote": "cond"}]}
    path = tmp_path / "offsets.spacy"
    DocBin(docs=[good, bad], store_user_data=True).to_disk(path)
    before = digest(store_path)
    with pytest.raises(InputError, match=f"{path}:2: annotation x: end 99 is past the end"):
        get_format("spacy").load().import_paths(repo, [path])
    assert digest(store_path) == before


@pytest.mark.parametrize("start, end", [(0, 3), (2, 6), (2, 3)])
def test_a_span_at_a_tokens_trailing_space(repo, tmp_path, start, end):
    """spaCy puts a token's trailing space in no token: a span ending just after it
    ("99 ") or starting on it (" bot") had no token range; the space becomes a token."""
    from stancemark.core.model import Annotation

    art, _ = repo.add_article("99 bottles", "t")
    china = repo.add_actor("China", "state")
    quote = art.text[start:end]
    a = repo.add_annotation(Annotation("", art.uid, "", "actor", start, end, quote,
                                       actor_uid=china.uid))
    out = tmp_path / "s.spacy"
    get_format("spacy").load().export(repo, out, Scope(), None)
    (doc,) = _load(out)
    span = next(s for s in doc.spans["sc"] if s.id_ == a.uid)
    assert (span.start_char, span.end_char, span.text, doc.text) == (start, end, quote, "99 bottles")
