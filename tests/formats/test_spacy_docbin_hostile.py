"""spaCy DocBin import of crafted files: a user data of the wrong shape or a file that
is no DocBin is refused in one line naming the file and the document, and the store is
left as it was; never another exception. Explicit cases for each shape problem, then
hypothesis mutating a valid export's user data (STANCEMARK_FUZZ=N examples, default 40)."""

from __future__ import annotations

import copy
import os
import shutil
import zlib
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

spacy = pytest.importorskip("spacy", reason="spaCy not installed (pip install 'stancemark[spacy]')")

from helpers import find  # noqa: E402
from stancemark.core.errors import InputError  # noqa: E402
from stancemark.formats.common import Scope  # noqa: E402
from stancemark.store import Repository, open_store  # noqa: E402

EXAMPLES = int(os.environ.get("STANCEMARK_FUZZ", "40"))  # examples of the mutation test
TEXT = "Beijing rejected the tariffs on January 9; hawks 😀 called it economic."
SECOND = "Washington said it would respond in 台湾 terms."


def _build(path: Path, annotate: bool) -> Repository:
    """A store with a custom kind `frame` (a choice, a multiple choice, a number, a
    yes/no) and article variables; `annotate`: with articles and annotations using
    all of them and the built-in kinds."""
    from stancemark.core.codebook_commands import new_attribute, new_kind
    from stancemark.core.model import Annotation

    repo = Repository(open_store(path), "ana")
    frame = repo.add_kind(new_kind("frame", colour="#009E73", key="F"))
    ft = repo.add_attribute(new_attribute("frame_type", "choice", frame.uid,
                                          values=("economic", "security")))
    tags = repo.add_attribute(new_attribute("tags", "choice", frame.uid, multiple=True,
                                            values=("cost", "threat")))
    weight = repo.add_attribute(new_attribute("weight", "integer", frame.uid, minimum=1,
                                              maximum=5))
    explicit = repo.add_attribute(new_attribute("explicit", "boolean", frame.uid))
    genre = repo.add_attribute(new_attribute("genre", "choice", None, values=("news", "opinion")))
    if not annotate:
        return repo
    art, _ = repo.add_article(TEXT, "Tariffs", published="2025-01-10", language="en")
    second, _ = repo.add_article(SECOND, "Reply")
    china = repo.add_actor("China", "state")
    us = repo.add_actor("United States", "state")
    topic = repo.add_topic("Tariffs")

    def ann(article, kind, needle, **fields):
        s, e = find(article.text, needle)
        repo.add_annotation(Annotation("", article.uid, "", kind, s, e, needle, **fields))

    v = {a.name: {x.name: x.uid for x in a.values} for a in (ft, tags, genre)}
    ann(art, "actor", "Beijing", actor_uid=china.uid)
    ann(art, "date", "January 9", date_value="2025-01-09", date_granularity="day")
    ann(art, "stance", "rejected the tariffs", polarity="oppose", holder_uid=china.uid,
        target_topic_uid=topic.uid, stance_date="2025-01-09", note="firm")
    ann(art, frame.uid, "economic", attributes={
        ft.uid: v["frame_type"]["economic"], tags.uid: [v["tags"]["cost"], v["tags"]["threat"]],
        weight.uid: 3, explicit.uid: True})
    ann(second, "actor", "Washington", actor_uid=us.uid)
    ann(second, "stance", "would respond", polarity="neutral", holder_uid=us.uid,
        target_actor_uid=china.uid)
    repo.set_article_variables(art.uid, {genre.uid: v["genre"]["news"]}, repo.annotator.uid)
    return repo


@pytest.fixture(scope="module")
def world(tmp_path_factory) -> dict[str, Any]:
    """Built once (spaCy is slow to load): the blank pipeline, a valid export's docs,
    and an empty store with the same codebook to copy for every import."""
    from spacy.tokens import DocBin

    folder = tmp_path_factory.mktemp("docbin")
    source = _build(folder / "source.sqlite", annotate=True)
    out = folder / "valid.spacy"
    from stancemark.formats import spacy_docbin

    spacy_docbin.export(source, out, Scope(), None)
    source.close()
    empty = _build(folder / "empty.sqlite", annotate=False)
    empty.close()
    nlp = spacy.blank("xx")
    docs = list(DocBin().from_disk(out).get_docs(nlp.vocab))
    assert len(docs) == 2 and all("stancemark" in d.user_data for d in docs)
    return {"nlp": nlp, "docs": docs, "template": folder / "empty.sqlite", "valid": out}


def _plain(value: Any) -> Any:
    """The user data with lists for msgpack's tuples, safe to change in place."""
    if isinstance(value, tuple | list):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    return value


def _user_data(world) -> list[dict[str, Any]]:
    return [_plain(d.user_data["stancemark"]) for d in world["docs"]]


def _write(world, path: Path, datas: list[Any], order: tuple[int, ...] = (0, 1)) -> Path:
    """A DocBin of the valid export's docs with these user data (a value MISSING: the
    key left out), the docs in `order`."""
    from spacy.tokens import DocBin

    docs = []
    for i in order:
        doc, data = world["docs"][i].copy(), datas[i]
        doc.user_data.pop("stancemark", None)
        if data is not MISSING:
            doc.user_data["stancemark"] = data
        docs.append(doc)
    DocBin(docs=docs, store_user_data=True).to_disk(path)
    return path


class _Missing:
    def __repr__(self) -> str:
        return "MISSING"


MISSING = _Missing()  # a key left out


def _store_copy(world, folder: Path) -> Path:
    path = folder / "store.sqlite"
    for p in folder.glob("store.sqlite*"):
        p.unlink()
    shutil.copyfile(world["template"], path)
    return path


def _refused(world, folder: Path, path: Path, store_digest) -> InputError:
    """Import `path` into a copy of the empty store: it must be refused with a one-line
    InputError and leave the store's bytes as they were."""
    from stancemark.formats import spacy_docbin

    store = _store_copy(world, folder)
    repo = Repository(open_store(store), "importer")
    try:
        before = store_digest(store)
        with pytest.raises(InputError) as err:
            spacy_docbin.import_paths(repo, [path])
        assert store_digest(store) == before
    finally:
        repo.close()
    assert "\n" not in str(err.value) and err.value.path == str(path)
    return err.value


def _set(data: dict, dotted: str, value: Any) -> None:
    """Set (value MISSING: delete) the item at a dotted path ("annotations.@actor.uid")."""
    *parents, last = dotted.split(".")
    node: Any = data
    for key in parents:
        node = node[int(key)] if isinstance(node, list) else node[key]
    key: Any = int(last) if isinstance(node, list) else last
    if value is MISSING:
        del node[key]
    else:
        node[key] = value


def _at(data: dict, where: str) -> str:
    """`where` with "@kind" replaced by the index of that kind's first annotation."""
    for kind in ("actor", "date", "stance", "frame"):
        i = next(i for i, a in enumerate(data["annotations"]) if a["kind"] == kind)
        where = where.replace(f"@{kind}", str(i))
    return where


# (where, value, what the message says): where is a dotted path into the first
# document's user data; "@kind" stands for the index of that kind's annotation.
SHAPES = [
    ("version", MISSING, "without a 'version'"),
    ("version", "1", "version must be a number, not text"),
    ("version", True, "version must be a number, not yes/no"),
    ("version", 2, "version 2 is newer than this Stancemark reads"),
    ("version", 0, "unknown stancemark user data version 0"),
    ("article", ["uid", "x"], "article must be a mapping, not a list"),
    ("article.title", 42, "article: field 'title' must be text, not a number"),
    ("article.uid", 7, "article: field 'uid' must be text, not a number"),
    ("article.language", b"en", "field 'language' must be text, not binary data"),
    ("annotations", {"0": {}}, "annotations must be a list, not a mapping"),
    ("annotations", 3, "annotations must be a list, not a number"),
    ("annotations.@actor", ["uid", "kind"], "annotation 1 must be a mapping, not a list"),
    ("annotations.@actor.uid", MISSING, "annotation 1: missing field 'uid'"),
    ("annotations.@actor.uid", 12, "annotation 1: field 'uid' must be text, not a number"),
    ("annotations.@actor.uid", " ", "annotation 1: empty uid"),
    ("annotations.@actor.kind", MISSING, "missing field 'kind'"),
    ("annotations.@actor.kind", ["actor"], "field 'kind' must be text, not a list"),
    ("annotations.@actor.start", "0", "offsets must be integers"),
    ("annotations.@actor.start", 0.0, "offsets must be integers"),
    ("annotations.@actor.start", False, "offsets must be integers"),
    ("annotations.@actor.start", MISSING, "offsets must be integers"),
    ("annotations.@actor.start", -1, "start -1 is negative"),
    ("annotations.@actor.end", 10_000, "end 10000 is past the end of the text"),
    ("annotations.@actor.end", 0, "end 0 is not after start 0"),
    ("annotations.@actor.quote", MISSING, "missing field 'quote'"),
    ("annotations.@actor.quote", 7, "field 'quote' must be text, not a number"),
    ("annotations.@actor.quote", "Peking", "quote 'Peking' does not match the text"),
    ("annotations.@actor.actor", ["a"], "field 'actor' must be text, not a list"),
    ("annotations.@actor.actor", "no-such-actor", "unknown actor no-such-actor"),
    ("annotations.@actor.annotator", {"x": 1}, "field 'annotator' must be text, not a mapping"),
    ("annotations.@actor.note", 5, "field 'note' must be text, not a number"),
    ("annotations.@actor.surprise", 1, "unknown field(s) surprise"),
    ("annotations.@stance.polarity", 1, "field 'polarity' must be text, not a number"),
    ("annotations.@stance.polarity", "maybe", "unknown polarity 'maybe'"),
    ("annotations.@stance.target_topic", 1.5, "field 'target_topic' must be text, not a number"),
    ("annotations.@date.date_value", [2025, 1, 9], "field 'date_value' must be text, not a list"),
    ("annotations.@frame.attributes", ["frame_type"], "attributes must be a mapping, not a list"),
    ("annotations.@frame.attributes.frame_type", {"name": "economic"},
     "attribute 'frame_type' must be text, a number, yes/no or a list of them, not a mapping"),
    ("annotations.@frame.attributes.tags", ["cost", ["threat"]],
     "attribute 'tags' holds a list of other than text, numbers or yes/no"),
    ("annotations.@frame.attributes.weight", "heavy", "weight"),
    ("annotations.@frame.attributes.weight", 9, "weight"),
    ("annotations.@frame.attributes.frame_type", "cultural", "value 'cultural' of 'frame_type'"),
    ("actors", ["China"], "actors must be a mapping, not a list"),
    ("topics", "Tariffs", "topics must be a mapping, not text"),
    ("annotators", 1, "annotators must be a mapping, not a number"),
    ("variables", ["ana"], "variables must be a mapping, not a list"),
    ("variables.ana", ["news"], "variables of ana must be a mapping, not a list"),
    ("variables.ana.genre", {"v": 1}, "attribute 'genre' must be text, a number"),
    ("variables.ana.genre", "gossip", "value 'gossip' of 'genre'"),
    ("surprise", {}, "unknown field(s) surprise"),
]


@pytest.mark.parametrize("where, value, says", SHAPES, ids=[f"{w}={v!r}"[:60] for w, v, _ in SHAPES])
def test_a_user_data_of_the_wrong_shape_is_refused_naming_the_document(
        world, tmp_path, digest, where, value, says):
    datas = _user_data(world)
    _set(datas[0], _at(datas[0], where), value)
    # the bad document second: the good one before it is written, then taken back
    path = _write(world, tmp_path / "bad.spacy", datas, order=(1, 0))
    err = _refused(world, tmp_path, path, digest)
    assert err.line == 2
    assert says in str(err)
    assert str(err).startswith(f"{path}:2: ")


@pytest.mark.parametrize("where, value, says", [
    ("actors", {12: "China"}, "actors: a uid must be non-empty text, not 12"),
    ("topics", {"": "Tariffs"}, "topics: a uid must be non-empty text, not ''"),
    ("annotators", {"u": 5}, "annotators: the name of u must be text, not a number"),
    ("variables", {3: {}}, "variables: an annotator name must be non-empty text, not 3"),
    ("annotations.@frame.attributes", {1: "economic"},
     "attributes: an attribute name must be text, not 1"),
])
def test_keys_of_the_wrong_type_are_refused(world, tmp_path, digest, where, value, says):
    datas = _user_data(world)
    where = _at(datas[0], where)
    if where == "actors":  # keep the annotations' actors resolvable: only the key is wrong
        value = {**datas[0]["actors"], **value}
    _set(datas[0], where, value)
    err = _refused(world, tmp_path, _write(world, tmp_path / "keys.spacy", datas), digest)
    assert err.line == 1 and says in str(err)


@pytest.mark.parametrize("data, says", [
    (["version", 1], "stancemark user data must be a mapping, not a list"),
    ("stancemark", "stancemark user data must be a mapping, not text"),
    (0, "stancemark user data must be a mapping, not a number"),
    ({}, "without a 'version'"),
])
def test_a_user_data_that_is_no_mapping_is_refused(world, tmp_path, digest, data, says):
    datas = _user_data(world)
    err = _refused(world, tmp_path, _write(world, tmp_path / "ud.spacy", [datas[0], data]),
                   digest)
    assert err.line == 2 and says in str(err)


def test_numpy_arrays_from_msgpack_are_refused_not_a_value_error(world, tmp_path, digest):
    """srsly's msgpack turns its numpy maps back into arrays, whose truth value raises."""
    import numpy

    datas = _user_data(world)
    err = _refused(world, tmp_path, _write(world, tmp_path / "np.spacy",
                                           [numpy.arange(3), datas[1]]), digest)
    assert err.line == 1 and "not ndarray" in str(err)
    datas[1]["annotations"] = numpy.arange(3)
    err = _refused(world, tmp_path, _write(world, tmp_path / "np2.spacy", datas), digest)
    assert err.line == 2 and "annotations must be a list, not ndarray" in str(err)


def test_an_annotation_uid_twice_in_a_file_is_refused(world, tmp_path, digest):
    datas = _user_data(world)
    datas[1]["annotations"][0]["uid"] = datas[0]["annotations"][0]["uid"]
    err = _refused(world, tmp_path, _write(world, tmp_path / "twice.spacy", datas), digest)
    assert err.line == 2 and "(also in document 1)" in str(err)


def test_the_valid_export_and_a_foreign_docbin_import(world, tmp_path):
    """The yardstick of the cases above: unchanged, the file imports whole; without
    user data (None or the key absent), texts only."""
    from stancemark.formats import spacy_docbin

    datas = _user_data(world)
    repo = Repository(open_store(_store_copy(world, tmp_path)), "importer")
    try:
        report = spacy_docbin.import_paths(repo, [_write(world, tmp_path / "ok.spacy", datas)])
        assert (report.articles_added, report.annotations_added) == (2, 6)
        frame = datas[0]["annotations"][int(_at(datas[0], "@frame"))]
        assert len(repo.get_annotation(frame["uid"]).attributes) == 4
        ana = repo.annotator_by_name("ana")
        assert repo.article_variables(datas[0]["article"]["uid"], ana.uid)
    finally:
        repo.close()
    repo = Repository(open_store(_store_copy(world, tmp_path)), "importer")
    try:
        report = spacy_docbin.import_paths(repo, [_write(world, tmp_path / "bare.spacy",
                                                         [None, MISSING])])
        assert (report.articles_added, report.annotations_added) == (2, 0) and report.notes
    finally:
        repo.close()


# ------------------------------------------------------------------ not a DocBin

def _docbin_msg(world) -> dict[str, Any]:
    import srsly

    return srsly.msgpack_loads(zlib.decompress(world["valid"].read_bytes()))


def _packed(msg: Any) -> bytes:
    import srsly

    return zlib.compress(srsly.msgpack_dumps(msg))


NOT_DOCBIN = {
    "empty": lambda w: b"",
    "random bytes": lambda w: bytes(range(256)) * 3,
    "truncated": lambda w: w["valid"].read_bytes()[:-7],
    "half": lambda w: w["valid"].read_bytes()[: len(w["valid"].read_bytes()) // 2],
    "msgpack list": lambda w: _packed([1, 2, 3]),
    "msgpack number": lambda w: _packed(5),
    "no tokens": lambda w: _packed({k: v for k, v in _docbin_msg(w).items() if k != "tokens"}),
    "attrs as text": lambda w: _packed({**_docbin_msg(w), "attrs": "ORTH"}),
    "user data as a list": lambda w: _packed({**_docbin_msg(w), "user_data": [b"\x91\x01"] * 2}),
    "not compressed": lambda w: zlib.decompress(w["valid"].read_bytes()),
}


@pytest.mark.parametrize("case", sorted(NOT_DOCBIN))
def test_a_file_that_is_no_docbin_is_refused_in_one_line(world, tmp_path, digest, case):
    path = tmp_path / "broken.spacy"
    path.write_bytes(NOT_DOCBIN[case](world))
    err = _refused(world, tmp_path, path, digest)
    assert err.line is None and str(err).startswith(f"{path}: not a spaCy DocBin")


def test_cli_prints_one_line_and_exits_non_zero(world, tmp_path, capsys):
    from stancemark.cli import main

    def files(store: Path) -> dict[str, bytes]:
        # the store and its log (the import's backup folder beside it may grow)
        return {p.name: p.read_bytes() for p in sorted(store.parent.glob(store.name + "*"))
                if p.is_file() and not p.name.endswith("-shm")}

    datas = _user_data(world)
    datas[0]["annotations"][0]["start"] = "0"
    path = _write(world, tmp_path / "cli.spacy", datas)
    store = _store_copy(world, tmp_path)
    before = files(store)
    code = main(["--store", str(store), "--annotator", "ana", "import", "--format", "spacy",
                 str(path)])
    err = capsys.readouterr().err
    assert code == 1
    assert err == f"stancemark: error: {path}:1: annotation {datas[0]['annotations'][0]['uid']}: " \
        "offsets must be integers\n"
    assert files(store) == before


# ------------------------------------------------------------------ hypothesis

def _paths(value: Any, prefix: tuple = ()) -> list[tuple]:
    """Every item's path in the user data (keys and list indexes)."""
    out = []
    items = value.items() if isinstance(value, dict) else enumerate(value) \
        if isinstance(value, list) else ()
    for k, v in items:
        out.append((*prefix, k))
        out.extend(_paths(v, (*prefix, k)))
    return out


def _other_values() -> st.SearchStrategy:
    import numpy

    scalars = st.one_of(st.none(), st.booleans(), st.integers(-(2 ** 63), 2 ** 63 - 1),
                        st.sampled_from([0, -1, 1, 2, 10 ** 6]), st.floats(),
                        st.text(max_size=6), st.sampled_from(["", " ", "actor", "frame",
                                                              "economic", "2025-01-09"]),
                        st.binary(max_size=4))
    return st.one_of(scalars, st.lists(scalars, max_size=3),
                     st.dictionaries(st.one_of(st.text(max_size=4), st.integers(-3, 3)),
                                     scalars, max_size=2),
                     st.just(numpy.arange(2)))


@st.composite
def mutated(draw, datas: list[dict[str, Any]]) -> tuple[int, list[Any]]:
    """(document number, user data of both documents) with 1-3 items of one document
    replaced by values of other types or deleted."""
    datas = copy.deepcopy(datas)
    n = draw(st.sampled_from([0, 1]))
    for _ in range(draw(st.integers(1, 3))):
        paths = _paths(datas[n])
        if not paths:
            break
        path = draw(st.sampled_from(paths))
        node = datas[n]
        for key in path[:-1]:
            node = node[key]
        if draw(st.booleans()):
            del node[path[-1]]
        else:
            node[path[-1]] = draw(_other_values())
    return n + 1, datas


def test_mutated_user_data_imports_or_is_refused_in_one_line(world, tmp_path_factory, digest):
    from stancemark.formats import spacy_docbin

    folder = tmp_path_factory.mktemp("mutations")
    valid = _user_data(world)

    @settings(max_examples=EXAMPLES, deadline=None, database=None, derandomize=True,
              suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
    @given(mutated(valid), st.booleans())
    def check(case, extend):
        n, datas = case
        path = _write(world, folder / "mutated.spacy", datas)
        store = _store_copy(world, folder)
        repo = Repository(open_store(store), "importer")
        try:
            before = digest(store)
            try:
                report = spacy_docbin.import_paths(repo, [path], extend_codebook=extend)
            except InputError as exc:
                assert "\n" not in str(exc) and exc.path == str(path) and exc.line == n
                assert digest(store) == before
                event("refused")
                return
            event("imported")
            # imported: every annotation of the file, as the file has it
            anns = [a for d in datas for a in d.get("annotations") or ()]
            assert report.annotations_added == len(anns)
            for a in anns:
                got = repo.get_annotation(a["uid"])
                assert (got.start, got.end, got.quote) == (a["start"], a["end"], a["quote"])
        finally:
            repo.close()

    check()
