"""Writes the hand-made hostile corpus under tests/hostile/cases/<format>/ (committed).

    python tests/hostile/make_corpus.py

Each case is a file or a folder; its name says what must happen:
  refuse-*   a one-line error naming the file (refuse-line-*: and its line); store unchanged
  safe-*     imported, with the hostile content kept verbatim as data
  either-*   refused as above or imported; never a crash, never a damaged store
Every case starts from a small valid document (one article, an actor mention, a date
and a stance) and breaks one thing, so the refusal is for that thing.
Big payloads (100 MB text, zip bombs' contents) are not kept here: the tests make
them at run time, or they are compressed.
"""

from __future__ import annotations

import io
import json
import shutil
import uuid
import zipfile
from collections.abc import Callable
from pathlib import Path

OUT = Path(__file__).with_name("cases")
TEXT = "Beijing rejected the tariffs on January 9.\nWashington said it would respond."
ART = "64803619-4073-446c-b794-49fac65428f8"
ANN = "0fd4b5db-5c95-4cbb-a759-f3ccc24599f2"
CHINA = "bb6bdcf6-d2a3-4eaf-b376-84bb60baf533"
TOPIC = "0482f7d6-cf13-4f1e-b771-cbd894707679"
RLO = "\u202e"  # right-to-left override: "txt.exe" shows as "exe.txt"
SQL = "Robert'); DROP TABLE articles;--"
FORMULA = "=HYPERLINK(\"http://example.invalid/x\",\"click\")"
BOMB = ('<?xml version="1.0"?>\n<!DOCTYPE lolz [<!ENTITY lol "lol">'
        + "".join(f'<!ENTITY lol{i} "{("&lol" + (str(i - 1) if i > 1 else "") + ";") * 10}">'
                  for i in range(1, 10))
        + "]>\n")
XXE = '<?xml version="1.0"?>\n<!DOCTYPE p [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>\n'


# The uid the test store's first seed article has (seeding derives uids from file names):
# an import that reuses it for another text must be refused, not crash on UNIQUE.
SEED_UID = str(uuid.uuid5(uuid.UUID("6c1f8a52-5e0b-4b8e-9d1c-3a7e2f4b9c10"),
                          "article:000_a6ed2147f38fc1f8.txt"))


def _entry(name: str) -> zipfile.ZipInfo:
    """A member with a fixed date, so regenerating the corpus gives identical bytes."""
    info = zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0))
    info.compress_type = zipfile.ZIP_DEFLATED
    return info


def deep(n: int = 5_000) -> str:
    return "[" * n + "]" * n


# ------------------------------------------------------------------ native jsonl
def _native(article: dict | None = None, anns: list[dict] | None = None,
            extra: list[str] | None = None) -> str:
    ann_defaults = {"actor_uid": None, "annotator_uid": ANN, "created_at": "", "date_granularity": None,
                    "date_value": None, "deleted_at": None, "holder_uid": None, "meta": {},
                    "note": "", "polarity": None, "stance_date": None, "target_actor_uid": None,
                    "target_topic_uid": None, "updated_at": ""}
    anns = anns if anns is not None else [
        {"uid": "b00a8fdf-6120-4a47-bc8c-6da5505ee263", "kind": "actor", "start": 0, "end": 7,
         "quote": "Beijing", "actor_uid": CHINA},
        {"uid": "40334907-3bba-4009-876b-057da23ec26c", "kind": "stance", "start": 8, "end": 28,
         "quote": "rejected the tariffs", "holder_uid": CHINA, "target_topic_uid": TOPIC,
         "polarity": "oppose"}]
    art = {"type": "article", "uid": ART, "title": "Tariff row", "text": TEXT, "published": "2025-01-10",
           "annotations": [{**ann_defaults, **a} for a in anns], **(article or {})}
    lines = [{"type": "stancemark", "version": 1},
             {"type": "annotator", "uid": ANN, "name": "ana", "colour": "#E69F00", "is_gold": False},
             {"type": "actor", "uid": CHINA, "name": "China", "kind": "state", "aliases": ["Beijing"]},
             {"type": "topic", "uid": TOPIC, "name": "Tariffs"}]
    out = [json.dumps(x, ensure_ascii=False) for x in lines]
    out += extra or []
    out.append(json.dumps(art, ensure_ascii=False))
    return "\n".join(out) + "\n"


def _one_ann(**changes) -> list[dict]:
    base = {"uid": "b00a8fdf-6120-4a47-bc8c-6da5505ee263", "kind": "actor", "start": 0, "end": 7,
            "quote": "Beijing", "actor_uid": CHINA}
    return [{**base, **changes}]


def native_cases() -> dict[str, str | bytes]:
    good = _native()
    return {
        "refuse-line-truncated.jsonl": good[: len(good) - 60],
        "refuse-line-deep-nesting.jsonl": _native(extra=[deep()]),
        "refuse-line-deep-object.jsonl": _native(extra=['{"a":' * 5_000 + "1" + "}" * 5_000]),
        "refuse-line-start-is-text.jsonl": _native(anns=_one_ann(start="0")),
        "refuse-line-start-is-bool.jsonl": _native(anns=_one_ann(start=True)),
        "refuse-line-start-is-nan.jsonl": _native(anns=_one_ann()).replace('"start": 0', '"start": NaN'),
        "refuse-line-negative-offset.jsonl": _native(anns=_one_ann(start=-1, quote="")),
        "refuse-line-reversed-offsets.jsonl": _native(anns=_one_ann(start=7, end=0, quote="")),
        "refuse-line-past-the-end.jsonl": _native(anns=_one_ann(start=70, end=10**20)),
        "refuse-line-quote-mismatch.jsonl": _native(anns=_one_ann(quote="Beijin")),
        "refuse-line-duplicate-uids.jsonl": _native(anns=[*_one_ann(), *_one_ann()]),
        "refuse-line-not-an-object.jsonl": _native(extra=["[1, 2, 3]"]),
        "refuse-line-unknown-type.jsonl": _native(extra=['{"type": "exec", "code": "rm -rf /"}']),
        "refuse-line-text-is-a-list.jsonl": _native(article={"text": ["a", "b"]}),
        "refuse-line-unknown-annotator.jsonl": _native(anns=_one_ann(annotator_uid="nobody")),
        "refuse-line-unknown-actor.jsonl": _native(anns=_one_ann(actor_uid="no-such-actor")),
        "refuse-line-uid-of-another-article.jsonl": _native(article={"uid": SEED_UID}),
        "refuse-newer-version.jsonl": good.replace('"version": 1', '"version": 99', 1),
        "refuse-no-header.jsonl": "\n".join(good.splitlines()[1:]) + "\n",
        "refuse-invalid-utf8.jsonl": good.encode("utf-8").replace(b"Tariff row", b"Tariff \xff\xfe row"),
        "safe-sql-title.jsonl": _native(article={"title": SQL}),
        "safe-rtl-override.jsonl": _native(article={"title": f"report{RLO}txt.exe",
                                                     "text": TEXT + f" {RLO}gnp.exe"}),
        "safe-formula-note.jsonl": _native(anns=_one_ann(note=FORMULA)),
    }


# ----------------------------------------------------------------------- doccano
def _doccano(**changes) -> str:
    rec = {"text": TEXT, "label": [[0, 7, "ACTOR:China"], [8, 28, "STANCE:oppose"], [32, 41, "DATE"]],
           "uid": ART, "title": "Tariff row", "published": "2025-01-10",
           "stancemark": {"32-41-DATE": {"date_value": "2025-01-09", "date_granularity": "day"}}}
    rec.update(changes)
    return json.dumps(rec, ensure_ascii=False) + "\n"


def _rel(**changes) -> str:
    rec = {"text": TEXT, "entities": [{"id": 1, "start_offset": 0, "end_offset": 7, "label": "ACTOR:China"},
                                      {"id": 2, "start_offset": 8, "end_offset": 28, "label": "STANCE:oppose"}],
           "relations": [{"id": 1, "from_id": 1, "to_id": 2, "type": "oppose"}], "uid": ART,
           "title": "Tariff row"}
    rec.update(changes)
    return json.dumps(rec, ensure_ascii=False) + "\n"


def doccano_cases() -> dict[str, str | bytes]:
    return {
        "refuse-line-negative-offset.jsonl": _doccano(label=[[-1, 7, "ACTOR:China"]]),
        "refuse-line-reversed-offsets.jsonl": _doccano(label=[[7, 0, "ACTOR:China"]]),
        "refuse-line-past-the-end.jsonl": _doccano(label=[[70, 900, "DATE"]]),
        "refuse-line-offset-is-text.jsonl": _doccano(label=[["0", "7", "ACTOR:China"]]),
        "refuse-line-label-not-a-list.jsonl": _doccano(label="ACTOR:China"),
        "refuse-line-span-too-short.jsonl": _doccano(label=[[0, 7]]),
        "refuse-line-text-is-a-number.jsonl": _doccano(text=12345),
        "refuse-line-truncated.jsonl": _doccano() + _doccano(uid="x")[:40],
        "refuse-line-deep-nesting.jsonl": _doccano() + deep() + "\n",
        "refuse-line-not-an-object.jsonl": _doccano() + '"just a string"\n',
        "either-duplicate-uids.jsonl": _doccano() + _doccano(),
        "either-unknown-label.jsonl": _doccano(label=[[0, 7, "EVAL:__import__('os')"]]),
        "safe-sql-actor-name.jsonl": _doccano(label=[[0, 7, f"ACTOR:{SQL}"]]),
        "safe-rtl-override.jsonl": _doccano(text=TEXT + f" {RLO}gnp.exe", title=f"a{RLO}b"),
    }


def doccano_rel_cases() -> dict[str, str | bytes]:
    return {
        "refuse-line-relation-to-nowhere.jsonl": _rel(relations=[{"id": 1, "from_id": 1, "to_id": 99,
                                                                  "type": "oppose"}]),
        "refuse-line-entity-offsets-text.jsonl": _rel(entities=[{"id": 1, "start_offset": "0",
                                                                 "end_offset": 7, "label": "ACTOR:China"}]),
        "refuse-line-entity-past-the-end.jsonl": _rel(entities=[{"id": 1, "start_offset": 0,
                                                                 "end_offset": 999, "label": "DATE"}],
                                                      relations=[]),
        "refuse-line-entities-not-a-list.jsonl": _rel(entities={"id": 1}),
    }


# ------------------------------------------------------------------- labelstudio
def _ls(value: dict | None = None, task: dict | None = None, raw: object = None) -> str:
    v = {"start": 0, "end": 7, "text": "Beijing", "labels": ["ACTOR:China"], **(value or {})}
    t = {"data": {"text": TEXT, "uid": ART, "title": "Tariff row"},
         "meta": {"stancemark_annotators": {"1": "ana"}},
         "annotations": [{"completed_by": 1, "result": [
             {"id": "r1", "from_name": "label", "to_name": "text", "type": "labels", "value": v}]}]}
    t.update(task or {})
    return json.dumps(raw if raw is not None else [t], ensure_ascii=False)


def labelstudio_cases() -> dict[str, str | bytes]:
    return {
        "refuse-not-a-list.json": json.dumps({"tasks": "none"}),
        "refuse-truncated.json": _ls()[:-30],
        "refuse-deep-nesting.json": deep(),
        "refuse-negative-offset.json": _ls({"start": -3}),
        "refuse-reversed-offsets.json": _ls({"start": 7, "end": 0}),
        "refuse-past-the-end.json": _ls({"start": 60, "end": 600}),
        "refuse-offsets-are-text.json": _ls({"start": "0"}),
        "refuse-text-is-a-number.json": _ls(task={"data": {"text": 42}}),
        "either-quote-mismatch.json": _ls({"text": "Washington"}),
        "safe-sql-title.json": _ls(task={"data": {"text": TEXT, "uid": ART, "title": SQL}}),
        "safe-rtl-override.json": _ls(task={"data": {"text": TEXT + f" {RLO}gnp.exe", "title": RLO}}),
    }


# ----------------------------------------------------------------------- csv zip
CSV_ARTICLES = ("uid,title,published,source,url,author,language,added_at,sha256,text\r\n"
                f"{ART},Tariff row,2025-01-10,Wire,,,,,,\"{TEXT}\"\r\n")
CSV_ANNOTATORS = f"uid,name,colour,is_gold\r\n{ANN},ana,#E69F00,0\r\n"
CSV_ACTORS = f"uid,name,kind,country,description\r\n{CHINA},China,state,,\r\n"
CSV_ALIASES = f"actor_uid,alias\r\n{CHINA},Beijing\r\n"
CSV_TOPICS = f"uid,name,description\r\n{TOPIC},Tariffs,\r\n"
ANN_HEAD = ("uid,article_uid,annotator_uid,annotator,kind,start,end,quote,actor_uid,actor,date_value,"
            "date_granularity,note,created_at,updated_at\r\n")


def _ann_row(start: object = 0, end: object = 7, quote: str = "Beijing", note: str = "") -> str:
    return (f"b00a8fdf-6120-4a47-bc8c-6da5505ee263,{ART},{ANN},ana,actor,{start},{end},{quote},"
            f"{CHINA},China,,,{note},,\r\n")


def _csv_zip(articles: str = CSV_ARTICLES, annotations: str | None = None,
             extra: dict[str, bytes | str] | None = None) -> bytes:
    files = {"articles.csv": articles, "annotators.csv": CSV_ANNOTATORS, "actors.csv": CSV_ACTORS,
             "actor_aliases.csv": CSV_ALIASES, "topics.csv": CSV_TOPICS,
             "annotations.csv": annotations if annotations is not None else ANN_HEAD + _ann_row(),
             "stances.csv": "annotation_uid,article_uid,annotator_uid,holder_uid,holder,"
                            "target_topic_uid,target_topic,target_actor_uid,target_actor,polarity,"
                            "stance_date\r\n"}
    files.update(extra or {})
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in files.items():
            zf.writestr(_entry(name), data)
    return buf.getvalue()


def _bomb_zip(names: list[str], size: int = 300 * 1024 * 1024) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as zf:
        for name in names:
            with zf.open(_entry(name), "w", force_zip64=True) as fh:
                chunk = b"\0" * (1024 * 1024)
                for _ in range(size // len(chunk)):
                    fh.write(chunk)
    return buf.getvalue()


def _csv_bomb(size: int = 600 * 1024 * 1024) -> bytes:
    """A complete table set whose annotations.csv unpacks to `size` bytes."""
    buf = io.BytesIO()
    src = zipfile.ZipFile(io.BytesIO(_csv_zip()))
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as zf:
        for name in src.namelist():
            if name != "annotations.csv":
                zf.writestr(_entry(name), src.read(name))
        with zf.open(_entry("annotations.csv"), "w", force_zip64=True) as fh:
            fh.write(ANN_HEAD.encode())
            chunk = b"0" * (1024 * 1024)
            for _ in range(size // len(chunk)):
                fh.write(chunk)
    return buf.getvalue()


def csv_cases() -> dict[str, str | bytes]:
    return {
        # entries the importer never reads: harmless unless it extracts them
        "either-zip-slip.zip": _csv_zip(extra={"../../outside.csv": "uid\r\nx\r\n"}),
        "either-absolute-entry.zip": _csv_zip(extra={"/tmp/evil.csv": "uid\r\nx\r\n"}),
        "either-zip-slip-table.zip": _csv_zip(extra={"../articles.csv": CSV_ARTICLES}),
        "refuse-zip-bomb.zip": _csv_bomb(),
        "refuse-not-a-zip.zip": b"PK\x03\x04" + bytes(range(256)) * 8,
        "refuse-negative-offset.zip": _csv_zip(annotations=ANN_HEAD + _ann_row(-1, 7, "")),
        "refuse-reversed-offsets.zip": _csv_zip(annotations=ANN_HEAD + _ann_row(7, 0, "")),
        "refuse-past-the-end.zip": _csv_zip(annotations=ANN_HEAD + _ann_row(70, 700, "x")),
        "refuse-offset-is-text.zip": _csv_zip(annotations=ANN_HEAD + _ann_row("zero", 7)),
        "refuse-quote-mismatch.zip": _csv_zip(annotations=ANN_HEAD + _ann_row(0, 7, "Beijinx")),
        "refuse-unbalanced-quotes.zip": _csv_zip(articles=CSV_ARTICLES.replace(f'"{TEXT}"', f'"{TEXT}')),
        "refuse-duplicate-uids.zip": _csv_zip(annotations=ANN_HEAD + _ann_row() + _ann_row()),
        "safe-formula-payloads.zip": _csv_zip(
            articles=CSV_ARTICLES.replace("Tariff row", "\"=cmd|' /C calc'!A0\""),
            annotations=ANN_HEAD + _ann_row(note="@SUM(1+1)*cmd|' /C calc'!A0")),
        "safe-sql-title.zip": _csv_zip(articles=CSV_ARTICLES.replace("Tariff row", f'"{SQL}"')),
    }


# ---------------------------------------------------------------------- qdpx
QDE = """<?xml version="1.0" encoding="utf-8"?>
<Project xmlns="urn:QDA-XML:project:1.0" name="hostile" origin="hand-made">
  <Users><User guid="{ann}" name="ana"/></Users>
  <Sources>
    <TextSource guid="{art}" name="{title}" plainTextPath="{path}">
      <PlainTextSelection guid="b00a8fdf-6120-4a47-bc8c-6da5505ee263" name="Beijing"
        startPosition="{start}" endPosition="{end}" creatingUser="{ann}"/>
    </TextSource>
  </Sources>
</Project>
"""


def _qde(head: str = "", title: str = "Tariff row", path: str | None = None, start: object = 0,
         end: object = 7) -> str:
    body = QDE.format(ann=ANN, art=ART, title=title, path=path or f"internal://{ART}.txt",
                      start=start, end=end)
    if head:
        body = head + body.split("\n", 1)[1]
    return body


def _qdpx(qde: str, extra: dict[str, str] | None = None, text: str = TEXT) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr(_entry("project.qde"), qde)
        zf.writestr(_entry(f"sources/{ART}.txt"), text)
        for name, data in (extra or {}).items():
            zf.writestr(_entry(name), data)
    return buf.getvalue()


def qdpx_cases() -> dict[str, str | bytes]:
    return {
        "refuse-xml-bomb.qdpx": _qdpx(_qde(BOMB, title="&lol9;")),
        "refuse-external-entity.qdpx": _qdpx(_qde(XXE, title="&xxe;")),
        "refuse-zip-slip.qdpx": _qdpx(_qde(path="internal://../../etc/passwd"),
                                      extra={"../../escape.txt": "x"}),
        "refuse-absolute-source.qdpx": _qdpx(_qde(path="absolute:///etc/passwd")),
        "refuse-relative-source.qdpx": _qdpx(_qde(path="relative://../../../etc/passwd")),
        "refuse-not-a-zip.qdpx": b"<Project/>",
        "refuse-truncated-xml.qdpx": _qdpx(_qde()[:-40]),
        "refuse-deep-description.qdpx": _qdpx(_qde().replace(
            f'creatingUser="{ANN}"/>',
            f'creatingUser="{ANN}"><Description>x\nstancemark: {deep()}</Description></PlainTextSelection>')),
        "refuse-zip-bomb.qdpx": _bomb_zip(["project.qde"], 600 * 1024 * 1024),
        "refuse-uid-of-another-article.qdpx": _qdpx(_qde().replace(f'guid="{ART}"', f'guid="{SEED_UID}"')
                                                    .replace(f"internal://{ART}", f"internal://{SEED_UID}"),
                                                    extra={f"sources/{SEED_UID}.txt": TEXT}),
        "either-positions-past-the-end.qdpx": _qdpx(_qde(start=70, end=700)),
        "either-positions-reversed.qdpx": _qdpx(_qde(start=7, end=0)),
        "either-positions-not-numbers.qdpx": _qdpx(_qde(start="zero")),
        "safe-sql-title.qdpx": _qdpx(_qde(title="Robert&apos;); DROP TABLE articles;--")),
    }


# ----------------------------------------------------------------------- brat
def brat_cases() -> dict[str, dict[str, str | bytes]]:
    ok = "T1\tActor 0 7\tBeijing\nT2\tDate 32 41\tJanuary 9\n"
    return {
        "refuse-line-offsets-past-the-end": {"doc.txt": TEXT, "doc.ann": "T1\tActor 0 700\tBeijing\n"},
        "refuse-line-negative-offsets": {"doc.txt": TEXT, "doc.ann": "T1\tActor -5 7\tBeijing\n"},
        "refuse-line-reversed-offsets": {"doc.txt": TEXT, "doc.ann": "T1\tActor 7 0\tBeijing\n"},
        "refuse-line-quote-mismatch": {"doc.txt": TEXT, "doc.ann": "T1\tActor 0 7\tWashington\n"},
        "refuse-line-duplicate-ids": {"doc.txt": TEXT, "doc.ann": ok + "T1\tDate 32 41\tJanuary 9\n"},
        "refuse-line-garbage-line": {"doc.txt": TEXT, "doc.ann": ok + "this is not standoff\n"},
        "refuse-missing-text": {"doc.ann": ok},
        "refuse-binary-ann": {"doc.txt": TEXT, "doc.ann": b"\x00\x01\x02\xff" * 50},
        "refuse-deep-meta": {"doc.txt": TEXT, "doc.ann": ok, "doc.meta.json": deep()},
        "safe-sql-and-rtl": {"doc.txt": f"{SQL} {RLO}gnp.exe", "doc.ann": "T1\tActor 0 6\tRobert\n"},
    }


# ------------------------------------------------------------------ html, docx
def html_cases() -> dict[str, str | bytes]:
    return {
        "refuse-only-script.html": "<html><body><script>alert(1)</script></body></html>",
        "refuse-binary.html": b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4,
        "safe-external-entity.html": XXE + "<html><body><p>&xxe; Beijing rejected it.</p></body></html>",
        "safe-xml-bomb.html": BOMB + "<html><body><p>&lol9; text stays short</p></body></html>",
        "safe-deep-nesting.html": "<html><body>" + "<div>" * 5_000 + "Deep text." + "</div>" * 5_000
                                  + "</body></html>",
        "safe-sql-title.html": f"<html><head><title>{SQL}</title></head><body><p>{TEXT}</p></body></html>",
        "safe-rtl-override.html": f"<html><head><title>a{RLO}b</title></head><body><p>{TEXT} {RLO}gnp.exe"
                                  "</p></body></html>",
        "either-bad-date.html": '<html><head><meta property="article:published_time" content="not a date">'
                                f"</head><body><p>{TEXT}</p></body></html>",
    }


def _docx(document_xml: str, extra: dict[str, str] | None = None) -> bytes:
    ct = ('<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/'
          '2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-'
          'package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override '
          'PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.'
          'wordprocessingml.document.main+xml"/></Types>')
    rels = ('<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/'
            'package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/'
            'officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>')
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr(_entry("[Content_Types].xml"), ct)
        zf.writestr(_entry("_rels/.rels"), rels)
        zf.writestr(_entry("word/document.xml"), document_xml)
        for name, data in (extra or {}).items():
            zf.writestr(_entry(name), data)
    return buf.getvalue()


DOCX_BODY = ('<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>'
             "<w:p><w:r><w:t>{text}</w:t></w:r></w:p></w:body></w:document>")


def docx_cases() -> dict[str, str | bytes]:
    return {
        "refuse-not-a-zip.docx": b"PK\x05\x06" + b"\0" * 18 + b"not really",
        "refuse-plain-text.docx": TEXT,
        "refuse-xml-bomb.docx": _docx(BOMB + DOCX_BODY.format(text="&lol9;")),
        "refuse-external-entity.docx": _docx(XXE + DOCX_BODY.format(text="&xxe;")),
        "refuse-zip-bomb.docx": _bomb_zip(["word/document.xml"]),
        "either-zip-slip.docx": _docx(DOCX_BODY.format(text=TEXT), extra={"../../escape.xml": "<x/>"}),
        "safe-sql-and-rtl.docx": _docx(DOCX_BODY.format(text=f"{SQL} {RLO}gnp.exe {TEXT}")),
    }


# ------------------------------------------------------------------ article table
def table_cases() -> dict[str, str | bytes]:
    return {
        "safe-formula-cells.csv": 'title,date,text\r\n"=1+1","2025-01-10","@SUM(A1) -2+3 =cmd|\' /C calc\'!A0"\r\n',
        "safe-sql-title.tsv": f"title\ttext\r\n{SQL}\t{TEXT.replace(chr(10), ' ')}\r\n",
        "safe-rtl-override.csv": f"title,text\r\nreport{RLO}txt.exe,{RLO}gnp.exe text\r\n",
        "refuse-line-no-text-column.csv": "title,body\r\nA,B\r\n",
        "refuse-line-empty-text.csv": "title,text\r\nA,Some text\r\nB,\r\n",
        "refuse-line-bad-date.csv": "title,date,text\r\nA,the day after tomorrow-ish 99,Text\r\n",
        "refuse-line-unbalanced-quote.csv": 'title,text\r\nA,"never closed\r\nB,more\r\n',
        "refuse-line-bad-json.ndjson": '{"text": "one"}\n{"text": "two"\n',
        "refuse-line-json-wrong-type.ndjson": '{"text": "one"}\n{"text": ["a"]}\n',
        "refuse-line-json-deep.ndjson": '{"text": "one"}\n' + deep() + "\n",
        "refuse-nul-bytes.csv": b"title,text\r\nA,bad\x00text\r\n",
    }


def text_cases() -> dict[str, str | bytes | dict]:
    return {
        "refuse-png.txt": b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR" + bytes(range(256)) * 8,
        "refuse-nul-bytes.txt": b"Title: x\n\nSome text\x00with a NUL",
        "refuse-invalid-utf16.txt": b"\xff\xfe" + "ok".encode("utf-16-le") + b"\x00\xd8",
        "refuse-only-metadata.txt": "Title: Nothing here\nDate: 2025-01-10\n\n",
        "refuse-bad-sidecar": {"a.txt": TEXT, "a.meta.json": "{not json"},
        "refuse-deep-sidecar": {"a.txt": TEXT, "a.meta.json": deep()},
        "safe-sql-title.txt": f"Title: {SQL}\n\n{TEXT}\n",
        "safe-rtl-override.txt": f"Title: report{RLO}txt.exe\n\n{TEXT} {RLO}gnp.exe\n",
        "safe-formula-title.md": f"# {FORMULA}\n\n{TEXT}\n",
        "safe-utf16-bom.txt": ("\ufeff" + TEXT).encode("utf-16-le"),
    }


# ------------------------------------------------------------------------ conll
def _conll(text_comment: str | None = None, spans: str | None = None, body: str | None = None,
           head: str = "-DOCSTART- -X- -X- O") -> str:
    lines = [head, f"# doc_id = {ART}", "# title = Tariff row", "# published = 2025-01-10"]
    if text_comment is not False:
        lines.append("# text = " + (text_comment or json.dumps(TEXT)))
    lines.append("# spans = " + (spans or json.dumps({"0-7-ACTOR": {"actor": "China"}})))
    lines.append("")
    lines += (body or "Beijing B-ACTOR\nrejected O\nthe O\ntariffs O\non O\nJanuary O\n9 O\n. O\n\n"
              "Washington O\nsaid O\nit O\nwould O\nrespond O\n. O").split("\n")
    return "\n".join(lines) + "\n\n"


def conll_cases() -> dict[str, str | bytes]:
    return {
        "refuse-line-bad-tag.conll": _conll(body="Beijing B-EVIL\nrejected O"),
        "either-inside-without-begin.conll": _conll(body="Beijing I-ACTOR\nrejected O"),
        "refuse-line-text-comment-not-json.conll": _conll(text_comment='"Beijing rejected'),
        "refuse-line-text-comment-deep.conll": _conll(text_comment=deep()),
        "refuse-line-spans-not-json.conll": _conll(spans="{not json"),
        "refuse-line-spans-deep.conll": _conll(spans=deep()),
        # details keyed by a span that no token carries are ignored, not trusted
        "either-span-past-the-end.conll": _conll(spans=json.dumps({"0-700-ACTOR": {"actor": "X"}})),
        "either-span-reversed.conll": _conll(spans=json.dumps({"7-0-ACTOR": {"actor": "X"}})),
        "refuse-line-tokens-disagree-with-text.conll": _conll(body="Moscow B-ACTOR\nrejected O"),
        "refuse-line-too-many-columns.conll": _conll(body="Beijing B-ACTOR O O O O\nrejected O"),
        "either-no-docstart.conll": "Beijing B-ACTOR\nrejected O\n\n",
        "either-no-text-comment.conll": _conll(text_comment=False),
        "safe-sql-actor.conll": _conll(spans=json.dumps({"0-7-ACTOR": {"actor": SQL}})),
        "safe-rtl-override.conll": _conll(text_comment=json.dumps(TEXT + f" {RLO}gnp.exe"),
                                          body="Beijing B-ACTOR\nrejected O\nthe O\ntariffs O\non O\n"
                                               "January O\n9 O\n. O\n\nWashington O\nsaid O\nit O\n"
                                               f"would O\nrespond O\n. O\n{RLO}gnp.exe O"),
    }


def conll_stance_cases() -> dict[str, str | bytes]:
    body3 = ("Beijing B-ACTOR O\nrejected O B-OPPOSE\nthe O I-OPPOSE\ntariffs O I-OPPOSE\non O O\n"
             "January O O\n9 O O\n. O O\n\nWashington O O\nsaid O O\nit O O\nwould O O\nrespond O O\n. O O")
    return {
        "refuse-line-bad-stance-tag.conll": _conll(body=body3.replace("B-OPPOSE", "B-HATE")),
        "either-stance-inside-without-begin.conll": _conll(body=body3.replace("B-OPPOSE", "I-OPPOSE")),
        "refuse-line-two-columns-only.conll": _conll(body=body3.replace("rejected O B-OPPOSE", "rejected O")),
        "safe-sql-holder.conll": _conll(body=body3, spans=json.dumps(
            {"0-7-ACTOR": {"actor": "China"}, "8-28-OPPOSE": {"holder": SQL, "target_topic": SQL}})),
    }


# ------------------------------------------------------------------------ spacy
def spacy_cases() -> dict[str, str | bytes]:
    import zlib

    return {
        "refuse-not-msgpack.spacy": b"\x00\x01 not a DocBin" * 20,
        "refuse-zlib-of-garbage.spacy": zlib.compress(b"\xc1\xc1\xc1 garbage " * 100),
        "refuse-zlib-bomb.spacy": zlib.compress(b"\0" * (600 * 1024 * 1024), 9),
        "refuse-truncated-zlib.spacy": zlib.compress(b"\x80" * 5000)[:-20],
    }


CASES: dict[str, Callable[[], dict]] = {
    "jsonl": native_cases, "doccano": doccano_cases, "doccano-rel": doccano_rel_cases,
    "labelstudio": labelstudio_cases, "csv": csv_cases, "qdpx": qdpx_cases, "brat": brat_cases,
    "html": html_cases, "docx": docx_cases, "table": table_cases, "text": text_cases,
    "conll": conll_cases, "conll-stance": conll_stance_cases, "spacy": spacy_cases,
}


def _write(path: Path, data: str | bytes) -> None:
    path.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)


def main() -> None:
    shutil.rmtree(OUT, ignore_errors=True)
    for fmt, make in CASES.items():
        folder = OUT / fmt
        folder.mkdir(parents=True)
        for name, data in make().items():
            if isinstance(data, dict):  # a folder case (brat)
                (folder / name).mkdir()
                for fname, fdata in data.items():
                    _write(folder / name / fname, fdata)
            else:
                _write(folder / name, data)
    count = sum(len(list((OUT / f).iterdir())) for f in CASES)
    print(f"wrote {count} cases under {OUT.name}/")


if __name__ == "__main__":
    main()
