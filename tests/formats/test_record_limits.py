"""JSONL and CoNLL are read one record at a time with a documented limit per record
(formats.lines.MAX_RECORD_BYTES): a longer line or document is refused in one line
naming the file and the line, without being read whole, and memory never depends on a
file's total size. Peak memory is measured in a fresh process (its maximum resident
size over its size before the import)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from stancemark.cli import main
from stancemark.core.errors import InputError
from stancemark.formats import lines
from stancemark.formats.lines import MAX_RECORD_BYTES, MB, iter_lines

DESKTOP = Path(__file__).resolve().parents[2] / "desktop"
WORDS = "Beijing warned Washington on January 9 that it opposes any arms sales. "


def _text(size: int) -> str:
    return (WORDS * (size // len(WORDS) + 1))[:size]


def test_lines_across_chunks_ends_bom_and_limits(tmp_path, monkeypatch):
    monkeypatch.setattr(lines, "CHUNK", 7)  # every line crosses chunk borders
    path = tmp_path / "f.jsonl"
    body = ["first line", "", "a much longer second line ü😀", "third\r", "last"]
    path.write_bytes(b"\xef\xbb\xbf" + "\n".join(body).encode())
    assert list(iter_lines(path)) == [(1, "first line"), (2, ""), (3, body[2]), (4, "third"),
                                      (5, "last")]
    with pytest.raises(InputError, match=r"f\.jsonl:3: a line longer than 0 MB"):
        list(iter_lines(path, limit=20))
    path.write_bytes(b"ok\nbad \xff byte\n")
    with pytest.raises(InputError, match=r"f\.jsonl:2: not UTF-8 text"):
        list(iter_lines(path))


def test_lone_surrogate_escapes_are_refused(repo, tmp_path, capsys):
    path = tmp_path / "s.jsonl"
    path.write_text('{"text": "fine"}\n{"text": "Some \\ud800 text", "label": []}\n')
    assert main(["--store", str(tmp_path / "s.sqlite"), "import", "--format", "doccano",
                 str(path)]) == 1
    assert "s.jsonl:2: a lone surrogate escape" in capsys.readouterr().err
    assert lines.loads('{"t": "\\ud83d\\ude00"}', "x", 1) == {"t": "😀"}  # a pair is fine


@pytest.mark.parametrize("fmt", ["doccano", "table", "conll"])
def test_nul_escape_in_a_text_is_refused_like_a_nul_byte(tmp_path, capsys, fmt):
    path = tmp_path / ("n.conll" if fmt == "conll" else "n.jsonl")
    if fmt == "conll":
        path.write_text('# text = "A \\u0000 B"\nA O\nB O\n')
    else:
        path.write_text(json.dumps({"text": "Some text \x00 here", "label": []}) + "\n")
    assert main(["--store", str(tmp_path / "n.sqlite"), "import", "--format", fmt,
                 str(path)]) == 1
    assert "n." in capsys.readouterr().err


def _measure(store: Path, fmt: str, path: Path) -> dict:
    """Import in a fresh process; its code, stderr and peak memory growth in MB."""
    script = r"""
import json, os, sys
from stancemark.cli import main
import stancemark.formats.doccano, stancemark.formats.conll, stancemark.formats.native_jsonl
from stancemark.store import Repository, open_store
Repository(open_store(sys.argv[1]), "ana").close()
def kb(field):  # VmHWM, not ru_maxrss: that one keeps the parent's peak across exec
    with open("/proc/self/status") as f:
        return next(int(l.split()[1]) for l in f if l.startswith(field + ":"))
base = kb("VmRSS")
code = main(["--store", sys.argv[1], "--annotator", "ana", "import", "--format", sys.argv[2],
             sys.argv[3]])
print(json.dumps({"code": code, "growth": (kb("VmHWM") - base) / 1024}))
"""
    proc = subprocess.run([sys.executable, "-c", script, str(store), fmt, str(path)],
                          capture_output=True, text=True, timeout=300,
                          env=dict(os.environ, PYTHONPATH=str(DESKTOP)))
    out = json.loads(proc.stdout.strip().splitlines()[-1])
    out["err"] = proc.stderr
    return out


needs_proc = pytest.mark.skipif(not Path("/proc/self/status").exists(), reason="needs /proc")


@needs_proc
@pytest.mark.parametrize("fmt", ["doccano", "jsonl", "conll"])
def test_a_60_mb_line_is_refused_in_bounded_memory(tmp_path, fmt):
    path = tmp_path / ("big.conll" if fmt == "conll" else "big.jsonl")
    text = _text(60 * MB)
    if fmt == "doccano":
        path.write_text(json.dumps({"text": text, "label": []}) + "\n")
    elif fmt == "jsonl":
        path.write_text('{"type": "stancemark", "version": 1}\n'
                        + json.dumps({"type": "article", "uid": "a", "text": text}) + "\n")
    else:
        path.write_text("-DOCSTART- -X- -X- O\n# text = " + json.dumps(text) + "\nA O\n")
    line = 1 if fmt == "doccano" else 2
    got = _measure(tmp_path / "s.sqlite", fmt, path)
    assert got["code"] == 1
    assert f"big.{path.suffix[1:]}:{line}: a line longer than {MAX_RECORD_BYTES // MB} MB" \
        in got["err"], got["err"]
    assert len(got["err"].strip().splitlines()) == 1
    assert got["growth"] < 2 * 60, got  # read no further than the limit (about 35 MB)


@needs_proc
def test_a_conll_document_over_the_limit_is_refused(tmp_path, monkeypatch, capsys):
    monkeypatch.setattr(lines, "MAX_RECORD_BYTES", 1000)
    path = tmp_path / "long.conll"
    path.write_text("-DOCSTART- -X- -X- O\n" + "word O\n" * 200 + "-DOCSTART- -X- -X- O\nA O\n")
    assert main(["--store", str(tmp_path / "s.sqlite"), "import", "--format", "conll",
                 str(path)]) == 1
    assert "long.conll:144: a document longer than 0 MB" in capsys.readouterr().err


@needs_proc
def test_memory_does_not_grow_with_the_file(tmp_path):
    """30 records of 2 MB (a 60 MB file): peak growth well under the file's size, about
    what one record costs; reading the whole file first took 3 to 6 times the file."""
    path = tmp_path / "many.jsonl"
    text = _text(2 * MB)
    with open(path, "w", encoding="utf-8") as fh:
        for i in range(30):
            fh.write(json.dumps({"text": f"{i} {text}", "label": [[0, 1, "ACTOR:China"]]}) + "\n")
    got = _measure(tmp_path / "s.sqlite", "doccano", path)
    assert got["code"] == 0, got["err"]
    assert got["growth"] < 30, got  # MB; the file is 60 MB
