"""Custom kinds, attribute values and article variables in every span format: export
then import into a fresh store with the same codebook gives the same annotations and
values; a kind, attribute or value the codebook lacks is refused naming file and line
(store unchanged) unless the import extends the codebook, and the report says so."""

from __future__ import annotations

import importlib
import json
from pathlib import Path

import pytest

from helpers import find
from stancemark.cli import main
from stancemark.core.codebook_commands import new_attribute, new_kind
from stancemark.core.errors import InputError
from stancemark.core.model import Annotation
from stancemark.store import Repository, open_store

TEXT = ("Beijing warned Washington on Monday about the economic cost of tariffs; "
        "security hawks 😀 in 台湾 called it a question of sovereignty.")
SECOND = "A second article, with a frame about identity and nothing else."

# (module, output name): output "" is a folder
FORMATS = [("doccano", "out.jsonl"), ("doccano_rel", "out.jsonl")]


def coded(path: Path) -> tuple[Repository, dict]:
    """A store whose codebook has a custom kind `frame` (choice frame_type, multiple
    choice tags, free text comment, yes/no explicit), a stance `intensity` (1-5) and
    article variables (a choice and a yes/no), with annotations using all of them."""
    repo = Repository(open_store(path), "ana")
    frame = repo.add_kind(new_kind("frame", colour="#009E73", key="F"))
    ft = repo.add_attribute(new_attribute("frame_type", "choice", frame.uid,
                                          values=("economic", "security", "identity", "sovereignty")))
    tags = repo.add_attribute(new_attribute("tags", "choice", frame.uid, multiple=True,
                                            values=("cost", "threat", "nation; state")))
    comment = repo.add_attribute(new_attribute("comment", "text", frame.uid))
    explicit = repo.add_attribute(new_attribute("explicit", "boolean", frame.uid))
    intensity = repo.add_attribute(new_attribute("intensity", "integer", "stance",
                                                 minimum=1, maximum=5))
    genre = repo.add_attribute(new_attribute("genre", "choice", None,
                                             values=("news", "opinion", "interview")))
    relevant = repo.add_attribute(new_attribute("relevant", "boolean", None))
    art, _ = repo.add_article(TEXT, "Tariffs", published="2021-01-10", language="en")
    second, _ = repo.add_article(SECOND, "Identity")
    china = repo.add_actor("China", "state")
    us = repo.add_actor("United States", "state")

    def ann(article, kind, needle, **fields):
        s, e = find(article.text, needle)
        return repo.add_annotation(Annotation("", article.uid, "", kind, s, e, article.text[s:e],
                                              **fields))

    v = {a.name: {x.name: x.uid for x in a.values} for a in (ft, tags, genre)}
    ann(art, frame.uid, "economic cost",
        attributes={ft.uid: v["frame_type"]["economic"], tags.uid: [v["tags"]["cost"],
                                                                    v["tags"]["nation; state"]],
                    comment.uid: "cost, not = a formula;\nsecond line \"quoted\"",
                    explicit.uid: True})
    ann(art, frame.uid, "security hawks 😀",
        attributes={ft.uid: v["frame_type"]["security"], explicit.uid: False})
    ann(art, frame.uid, "sovereignty", attributes={ft.uid: v["frame_type"]["sovereignty"]})
    # a frame overlapping another one
    ann(art, frame.uid, "economic", attributes={tags.uid: [v["tags"]["threat"]]})
    ann(art, "actor", "Beijing", actor_uid=china.uid)
    ann(art, "actor", "Washington", actor_uid=us.uid)
    ann(art, "stance", "warned Washington", polarity="oppose", holder_uid=china.uid,
        target_actor_uid=us.uid, attributes={intensity.uid: 4})
    ann(second, frame.uid, "identity", attributes={ft.uid: v["frame_type"]["identity"],
                                                   comment.uid: "台湾 ok"})
    repo.set_article_variables(art.uid, {genre.uid: v["genre"]["opinion"], relevant.uid: True})
    repo.set_article_variables(second.uid, {relevant.uid: False})
    return repo, {"frame": frame, "ft": ft, "tags": tags, "intensity": intensity, "art": art}


def fresh(path: Path, book) -> Repository:
    repo = Repository(open_store(path), "ana")
    repo.merge_codebook(book)
    return repo


def content(repo: Repository) -> list[tuple]:
    """Every live annotation as (article title, kind name, start, end, quote, {attribute
    name: readable value}, actor name), annotators left out (some formats lose them)."""
    book = repo.codebook()
    actors = {a.uid: a.name for a in repo.list_actors()}
    out = []
    for uid in repo.article_uids():
        art = repo.get_article(uid)
        for a in repo.list_annotations(uid):
            out.append((art.title, book.name(a.kind), a.start, a.end, a.quote,
                        sorted(book.readable(a.attributes).items()), actors.get(a.actor_uid or ""),
                        a.polarity))
    return sorted(out, key=repr)


def variables(repo: Repository) -> dict:
    book = repo.codebook()
    out = {}
    for art, ann, values, _at in repo.iter_article_variables():
        out[(repo.get_article(art).title, ann)] = book.readable(values)
    return {(t, next(a.name for a in repo.list_annotators() if a.uid == ann)): v
            for (t, ann), v in out.items()}


def _export(module: str, repo: Repository, out: Path) -> None:
    from stancemark.formats.common import Scope

    importlib.import_module(f"stancemark.formats.{module}").export(repo, out, Scope(kinds=None))


def _import(module: str, repo: Repository, path: Path, **options):
    return importlib.import_module(f"stancemark.formats.{module}").import_paths(repo, [path],
                                                                                 **options)


@pytest.mark.parametrize("module, name", FORMATS)
def test_round_trip_keeps_custom_kinds_attributes_and_variables(module, name, tmp_path):
    repo, _ = coded(tmp_path / "a.sqlite")
    out = tmp_path / (name or "out")
    _export(module, repo, out)
    other = fresh(tmp_path / "b.sqlite", repo.codebook())
    report = _import(module, other, out)
    assert "codebook extended" not in report.summary()
    assert content(other) == content(repo)
    assert variables(other) == variables(repo)
    assert other.codebook() == repo.codebook()
    repo.close()
    other.close()


@pytest.mark.parametrize("module, name", FORMATS)
def test_unknown_kind_refused_then_extended(module, name, tmp_path):
    repo, _ = coded(tmp_path / "a.sqlite")
    out = tmp_path / (name or "out")
    _export(module, repo, out)
    bare = Repository(open_store(tmp_path / "b.sqlite"), "ana")
    before = bare.stats()
    with pytest.raises(InputError) as err:
        _import(module, bare, out)
    message = str(err.value)
    assert str(out) in message and "--extend-codebook" in message and "\n" not in message
    assert "'frame'" in message or "'intensity'" in message or "'genre'" in message
    assert bare.stats() == before and bare.codebook().custom_kinds() == ()
    report = _import(module, bare, out, extend_codebook=True)
    assert "codebook extended: span kind 'frame' added" in report.summary()
    assert "codebook extended: attribute 'intensity' of kind 'stance' added" in report.summary()
    assert [(t, k, s, e, q) for t, k, s, e, q, *_ in content(bare)] == \
        [(t, k, s, e, q) for t, k, s, e, q, *_ in content(repo)]
    repo.close()
    bare.close()


@pytest.mark.parametrize("module, name", FORMATS)
def test_unknown_value_refused_naming_it(module, name, tmp_path):
    repo, ids = coded(tmp_path / "a.sqlite")
    out = tmp_path / (name or "out")
    _export(module, repo, out)
    book = repo.codebook()
    # the same codebook without the value "sovereignty"
    other = fresh(tmp_path / "b.sqlite", book)
    sov = ids["ft"].value_by_name("sovereignty")
    other.remove_value(sov.uid)
    before = other.stats()
    with pytest.raises(InputError) as err:
        _import(module, other, out)
    assert "'sovereignty'" in str(err.value) and str(out) in str(err.value)
    assert other.stats() == before
    report = _import(module, other, out, extend_codebook=True)
    assert "codebook extended: value 'sovereignty' of 'frame_type' added" in report.summary()
    repo.close()
    other.close()


def test_doccano_line_shape(tmp_path):
    repo, _ = coded(tmp_path / "a.sqlite")
    out = tmp_path / "d.jsonl"
    _export("doccano", repo, out)
    first = json.loads(out.read_text(encoding="utf-8").splitlines()[0])
    labels = {lb for *_, lb in first["label"]}
    assert {"frame", "ACTOR:China", "STANCE:oppose"} <= labels
    details = first["stancemark"]
    key = next(k for k in details if k.endswith("-frame") and "economic" in
               str(details[k].get("attributes")))
    assert details[key]["attributes"]["tags"] == ["cost", "nation; state"]
    assert first["variables"] == {"ana": {"genre": "opinion", "relevant": True}}
    repo.close()


def test_cli_export_carries_custom_kinds_and_extend_option(tmp_path, capsys):
    repo, _ = coded(tmp_path / "a.sqlite")
    repo.close()
    out = tmp_path / "cli.jsonl"
    assert main(["--store", str(tmp_path / "a.sqlite"), "export", "--format", "doccano",
                 "--out", str(out)]) == 0
    assert '"frame"' in out.read_text(encoding="utf-8")
    capsys.readouterr()
    store = str(tmp_path / "c.sqlite")
    assert main(["--store", store, "import", "--format", "doccano", str(out)]) == 1
    err = capsys.readouterr().err
    assert f"{out}:" in err and "--extend-codebook" in err and err.count("\n") == 1
    assert main(["--store", store, "import", "--format", "doccano", "--extend-codebook",
                 str(out)]) == 0
    assert "codebook extended: span kind 'frame' added" in capsys.readouterr().out
