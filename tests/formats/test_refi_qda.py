"""REFI-QDA .qdpx: schema check with lxml, round trip, offsets, unsafe archives."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from stancemark.core.errors import InputError
from stancemark.formats import get_format
from stancemark.formats.common import Scope
from stancemark.formats.refi_qda import NS

XSD = Path(__file__).parent / "data" / "refi_qda_project_subset.xsd"
Q = f"{{{NS}}}"
qdpx = get_format("qdpx").load()


def _qde(path: Path) -> bytes:
    with zipfile.ZipFile(path) as zf:
        return zf.read("project.qde")


def test_project_is_valid_against_the_schema(annotated, tmp_path):
    lxml_etree = pytest.importorskip("lxml.etree", reason="lxml not installed")
    repo, _ = annotated
    out = tmp_path / "p.qdpx"
    qdpx.export(repo, out, Scope(), None)
    schema = lxml_etree.XMLSchema(lxml_etree.parse(str(XSD)))
    doc = lxml_etree.fromstring(_qde(out))
    assert schema.validate(doc), schema.error_log
    # the check has teeth: a selection without positions is rejected
    sel = doc.find(f".//{Q}PlainTextSelection")
    del sel.attrib["startPosition"]
    assert not schema.validate(doc)


def test_structure_users_codes_and_selections(annotated, tmp_path):
    from defusedxml.ElementTree import fromstring

    repo, pieces = annotated
    out = tmp_path / "p.qdpx"
    report = qdpx.export(repo, out, Scope(), None)
    assert report.articles == 3
    root = fromstring(_qde(out))
    users = {u.get("name"): u.get("guid") for u in root.iter(Q + "User")}
    assert users == {"ana": pieces["annotators"]["ana"].uid, "ben": pieces["annotators"]["ben"].uid}
    groups = [c.get("name") for c in root.find(f"{Q}CodeBook/{Q}Codes")]
    assert groups == ["Actors", "Topics", "Kinds", "Polarity"]
    zh = pieces["articles"]["zh"]
    with zipfile.ZipFile(out) as zf:
        names = zf.namelist()
        text = zf.read(f"sources/{zh.uid}.txt").decode("utf-8")
    assert text == zh.text and "project.qde" in names
    for sel in root.iter(Q + "PlainTextSelection"):
        ann = next(a for a in pieces["annotations"] if a.uid == sel.get("guid"))
        assert (int(sel.get("startPosition")), int(sel.get("endPosition"))) == (ann.start, ann.end)
        assert sel.get("creatingUser") == ann.annotator_uid
        refs = {r.get("targetGUID") for r in sel.iter(Q + "CodeRef")}
        if ann.kind == "stance":
            assert ann.holder_uid in refs
    # emoji before a span: positions are code points, not UTF-16 units
    thumbs = next(s for s in root.iter(Q + "PlainTextSelection") if s.get("name").endswith("👍"))
    assert zh.text[int(thumbs.get("startPosition")):int(thumbs.get("endPosition"))] == \
        "welcomed the 2020 deal 👍"


@pytest.fixture
def fresh_repo(tmp_path):
    """An empty store opened by someone who is not a coder of the exported data, so
    annotator uids cannot be matched by name to a different local user."""
    from stancemark.store import Repository, open_store

    r = Repository(open_store(tmp_path / "fresh.sqlite"), "importer")
    yield r
    r.close()


def test_round_trip_is_identical(annotated, fresh_repo, tmp_path):
    repo, pieces = annotated
    other_repo = fresh_repo
    first, second = tmp_path / "1.qdpx", tmp_path / "2.qdpx"
    qdpx.export(repo, first, Scope(), None)
    report = qdpx.import_paths(other_repo, [first])
    assert (report.articles_added, report.annotations_added) == (3, len(pieces["annotations"]))
    qdpx.export(other_repo, second, Scope(), None)
    assert first.read_bytes() == second.read_bytes()
    for a in pieces["annotations"]:
        assert other_repo.get_annotation(a.uid).with_changes(created_at="", updated_at="") == \
            a.with_changes(created_at="", updated_at="")
    again = qdpx.import_paths(other_repo, [first])
    assert again.annotations_added == 0 and again.articles_skipped == 3


def _write_qdpx(path: Path, qde: str, sources: dict[str, bytes] | None = None,
                extra: dict[str, bytes] | None = None) -> Path:
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr("project.qde", qde)
        for name, data in (sources or {}).items():
            zf.writestr(f"sources/{name}", data)
        for name, data in (extra or {}).items():
            zf.writestr(name, data)
    return path


G = "11111111-2222-3333-4444-555555555555"
A = "aaaaaaaa-2222-3333-4444-555555555555"
S = "bbbbbbbb-2222-3333-4444-555555555555"


def _foreign(start: int, end: int, source_text: bytes = "Tsai 😀 met\r\nXi there.".encode()) -> tuple[str, dict]:
    qde = f"""<?xml version="1.0" encoding="utf-8"?>
<Project xmlns="{NS}" name="From another tool">
  <Users><User guid="{G}" name="maria"/></Users>
  <CodeBook><Codes>
    <Code guid="cccccccc-2222-3333-4444-555555555555" name="Actors" isCodable="false">
      <Code guid="{A}" name="Xi Jinping" isCodable="true"/>
    </Code>
    <Code guid="dddddddd-2222-3333-4444-555555555555" name="Themes" isCodable="true"/>
  </Codes></CodeBook>
  <Sources>
    <TextSource guid="{S}" name="Meeting" plainTextPath="internal://{S}.txt">
      <PlainTextSelection guid="eeeeeeee-2222-3333-4444-555555555555" startPosition="{start}"
          endPosition="{end}" creatingUser="{G}">
        <Coding guid="ffffffff-2222-3333-4444-555555555555"><CodeRef targetGUID="{A}"/></Coding>
      </PlainTextSelection>
      <PlainTextSelection guid="eeeeeeee-2222-3333-4444-666666666666" startPosition="0"
          endPosition="4" creatingUser="{G}">
        <Coding guid="ffffffff-2222-3333-4444-666666666666">
          <CodeRef targetGUID="dddddddd-2222-3333-4444-555555555555"/></Coding>
      </PlainTextSelection>
    </TextSource>
  </Sources>
</Project>"""
    return qde, {f"{S}.txt": source_text}


def test_foreign_project_with_crlf_source(repo, tmp_path):
    # "Xi" sits after an emoji and a CRLF: positions 12-14 in the file's own text
    qde, sources = _foreign(12, 14)
    path = _write_qdpx(tmp_path / "f.qdpx", qde, sources)
    report = qdpx.import_paths(repo, [path])
    assert report.annotations_added == 1 and report.notes
    art = repo.get_article(S)
    assert art.text == "Tsai 😀 met\nXi there."
    (ann,) = repo.list_annotations(S)
    assert (ann.quote, ann.kind, ann.actor_uid) == ("Xi", "actor", A)
    assert repo.annotator_by_name("maria").uid == G


@pytest.mark.parametrize("name", ["../evil.txt", "/etc/evil", "sources/../../evil", "a\\..\\b"])
def test_unsafe_zip_paths_are_refused(repo, tmp_path, digest, store_path, name):
    qde, sources = _foreign(12, 14)
    path = _write_qdpx(tmp_path / "bad.qdpx", qde, sources, {name: b"x"})
    before = digest(store_path)
    with pytest.raises(InputError, match="unsafe path"):
        qdpx.import_paths(repo, [path])
    assert digest(store_path) == before
    assert not (tmp_path.parent / "evil.txt").exists()


def test_malformed_project_names_file_and_line(repo, tmp_path, digest, store_path):
    qde, sources = _foreign(12, 14)
    broken = qde.replace('endPosition="4"', 'endPosition="4"<')
    path = _write_qdpx(tmp_path / "m.qdpx", broken, sources)
    before = digest(store_path)
    with pytest.raises(InputError) as err:
        qdpx.import_paths(repo, [path])
    line = broken[:broken.index('"4"<')].count("\n") + 1
    assert f"m.qdpx!project.qde:{line}:" in str(err.value)
    assert "\n" not in str(err.value)
    assert digest(store_path) == before


def test_bad_positions_import_nothing(annotated, tmp_path, digest, store_path):
    repo, _ = annotated
    qde, sources = _foreign(12, 99)
    path = _write_qdpx(tmp_path / "p.qdpx", qde, sources)
    before = digest(store_path)
    with pytest.raises(InputError, match="past the end"):
        qdpx.import_paths(repo, [path])
    assert digest(store_path) == before


def test_entities_are_refused(repo, tmp_path):
    qde, sources = _foreign(12, 14)
    bomb = qde.replace('<?xml version="1.0" encoding="utf-8"?>',
                       '<?xml version="1.0"?><!DOCTYPE p [<!ENTITY a "aaaa">]>')
    path = _write_qdpx(tmp_path / "e.qdpx", bomb, sources)
    with pytest.raises(InputError):
        qdpx.import_paths(repo, [path])


def test_not_a_zip(repo, tmp_path):
    path = tmp_path / "x.qdpx"
    path.write_text("hello")
    with pytest.raises(InputError, match="not a .qdpx"):
        qdpx.import_paths(repo, [path])


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.binary(max_size=400))
def test_fuzz_project_xml_never_crashes(repo, tmp_path, data):
    path = tmp_path / "fuzz.qdpx"
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr("project.qde", b'<?xml version="1.0"?><Project xmlns="' + NS.encode()
                    + b'" name="x">' + data)
    try:
        qdpx.import_paths(repo, [path])
    except InputError:
        pass
