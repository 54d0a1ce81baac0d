"""CoNLL / IOB2: tags, sentence and document breaks, round trip, import without comments."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from stancemark.core.errors import InputError
from stancemark.formats import conll, conll_stance


def _docs(path):
    return path.read_text(encoding="utf-8").split("-DOCSTART- -X- -X- O\n")[1:]


def _rows(doc):
    return [line.split(" ") for line in doc.splitlines() if line and not line.startswith("# ")]


def test_iob2_tags_documents_and_sentences(annotated, tmp_path):
    repo, p = annotated
    out = tmp_path / "a.conll"
    report = conll.export(repo, out)
    en, zh, empty = _docs(out)
    assert out.read_text(encoding="utf-8").startswith("-DOCSTART- -X- -X- O\n# doc_id = ")
    rows = _rows(en)
    assert rows[:3] == [["Beijing", "B-ACTOR"], ["warned", "O"], ["Washington", "B-ACTOR"]]
    assert ["January", "B-DATE"] in rows and ["9", "I-DATE"] in rows
    # overlap in one column: the longer "The State Department" wins over "State Department"
    i = rows.index(["The", "B-ACTOR"])
    assert rows[i + 1:i + 3] == [["State", "I-ACTOR"], ["Department", "I-ACTOR"]]
    # only what the file carries: of 20, "State Department" (inside "The State Department"),
    # ben's "Beijing" (same span as ana's) and the 5 stances (no stance column) are left out
    assert report.annotations == 13
    # a blank line ends each sentence
    assert "\n\nThe O\n" not in en and ". O\n\nThe B-ACTOR" in en
    # CJK and emoji: tokens cut at span boundaries, each emoji code point a token
    zrows = _rows(zh)
    assert ["北京", "B-ACTOR"] in zrows and ["👍", "O"] in zrows
    assert all(tag == "O" for _, tag in _rows(empty))


def test_stance_column(annotated, tmp_path):
    repo, _ = annotated
    out = tmp_path / "s.conll"
    conll_stance.export(repo, out)
    rows = _rows(_docs(out)[0])
    i = rows.index(["opposes", "O", "B-OPPOSE"])
    assert rows[i + 2] == ["US", "B-ACTOR", "I-OPPOSE"]  # overlap across columns is kept


def test_stance_names_travel_in_the_spans_comment(annotated, other_repo, tmp_path):
    """conll-stance carries holder and target names in "# spans": an imported stance
    keeps its holder (the byte-identical round trip is in test_format_contracts.py)."""
    repo, _ = annotated
    conll_stance.export(repo, tmp_path / "1.conll")
    conll_stance.import_paths(other_repo, [tmp_path / "1.conll"])
    st_ = [a for uid in other_repo.article_uids() for a in other_repo.list_annotations(uid)
           if a.kind == "stance" and a.polarity == "oppose"][0]
    assert other_repo.get_actor(st_.holder_uid).name == "China"


def test_plain_conll_without_comments_rebuilds_text(seeded, tmp_path):
    repo = seeded
    f = tmp_path / "plain.conll"
    f.write_text("-DOCSTART- -X- -X- O\n\nBeijing B-ACTOR\nwarned O\nthe O\nU.S I-ACTOR\n. O\n\n"
                 "On O\nJanuary B-DATE\n9 I-DATE\n2021 I-DATE\n", encoding="utf-8")
    conll.import_paths(repo, [f])
    art = [a for a in repo.iter_articles() if a.text.startswith("Beijing")][0]
    assert art.text == "Beijing warned the U.S .\nOn January 9 2021"
    anns = repo.list_annotations(art.uid)
    assert [(a.kind, a.quote) for a in anns] == [("actor", "Beijing"), ("actor", "U.S"),
                                                 ("date", "January 9 2021")]
    # an I- tag after O starts a span (IOB1 style); mentions link by alias to the register
    assert repo.get_actor(anns[0].actor_uid).name == "China"
    assert anns[2].date_value == "2021-01-09"


def test_crlf_file_and_crlf_in_text_comment(repo, tmp_path):
    f = tmp_path / "crlf.conll"
    f.write_bytes(b'-DOCSTART- -X- -X- O\r\n# text = "Hi\\r\\nBeijing \xf0\x9f\x98\x80 now"\r\n\r\n'
                  b"Hi O\r\n\r\nBeijing B-ACTOR\r\n\xf0\x9f\x98\x80 O\r\nnow O\r\n")
    conll.import_paths(repo, [f])
    art = repo.get_article(repo.article_uids()[0])
    assert art.text == "Hi\nBeijing 😀 now"
    assert [a.quote for a in repo.list_annotations(art.uid)] == ["Beijing"]


_line = st.one_of(
    st.text(max_size=20),
    st.builds(lambda t, a, b: f"{t} {a} {b}", st.sampled_from(["A", "Beijing", "9", "#"]),
              st.sampled_from(["O", "B-ACTOR", "I-ACTOR", "B-DATE", "I-DATE", "B-X"]),
              st.sampled_from(["O", "B-OPPOSE", "I-SUPPORT", "I-X"])),
    st.builds(lambda t, a: f"{t} {a}", st.sampled_from(["A", "2020", "x"]),
              st.sampled_from(["O", "B-ACTOR", "I-DATE", "B-DATE"])),
    st.sampled_from(["-DOCSTART- -X- -X- O", "", '# text = "A 2020 x"', "# text = 5",
                     '# spans = {"0-1-ACTOR": {"actor": 3}}', "# spans = [", "# doc_id = z"]),
)


@settings(max_examples=300, suppress_health_check=[HealthCheck.function_scoped_fixture], deadline=None)
@given(lines=st.lists(_line, max_size=8))
def test_parser_fuzz_raises_only_input_error(lines, tmp_path_factory):
    f = tmp_path_factory.mktemp("fz") / "f.conll"
    f.write_bytes("\n".join(lines).encode("utf-8", "surrogatepass"))
    try:
        conll.read_file(f)
    except InputError:
        pass


def test_spacy_reads_the_file_once_comment_lines_are_dropped(annotated, tmp_path):
    spacy_conv = pytest.importorskip("spacy.training.converters")
    repo, _ = annotated
    out = tmp_path / "s.conll"
    conll.export(repo, out)
    plain = "\n".join(x for x in out.read_text(encoding="utf-8").split("\n") if not x.startswith("# "))
    docs = list(spacy_conv.conll_ner_to_docs(plain, n_sents=100, no_print=True))
    ents = {(e.text, e.label_) for d in docs for e in d.ents}
    assert {("Beijing", "ACTOR"), ("January 9", "DATE"), ("The State Department", "ACTOR"),
            ("北京", "ACTOR"), ("Tsai Ing-wen", "ACTOR"), ("2020", "DATE")} <= ents
    assert sum(len(d.ents) for d in docs) == 13  # every span the file carries
