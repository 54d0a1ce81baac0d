"""`stancemark codebook show | export | import`: our YAML file, a Label Studio labeling
config and a brat annotation.conf; bad or hostile files refused in one line naming file
and line, with the store unchanged."""

from __future__ import annotations

import hashlib
import textwrap

import pytest

from stancemark.cli import main
from stancemark.store import Repository, open_store

CODEBOOK = """\
# Our team's codebook
stancemark_codebook: 1
kinds:
  - name: frame                  # a custom span kind
    description: How the article frames the issue.
    colour: "#009E73"
    key: F
    attributes:
      - name: frame_type
        type: choice
        required: true
        values: [economic, security, identity, sovereignty]
        default: economic
  - name: stance
    attributes:
      - name: intensity
        type: integer
        min: 1
        max: 5
      - name: justification
        type: choice
        multiple: true
        values:
          - legal
          - name: moral
            description: Appeals to right and wrong.
            key: m
          - economic
  - name: actor
    attributes:
      - name: role
        type: choice
        ordered: true
        values: [speaker, target, mentioned]
article_variables:
  - name: genre
    type: choice
    values: [news, opinion, interview]
  - name: relevant
    type: boolean
    default: true
"""

LABEL_STUDIO = """\
<View>
  <Text name="text" value="$text"/>
  <Labels name="label" toName="text">
    <Label value="frame" background="#009E73" hotkey="f"/>
    <Label value="claim" background="#0072B2"/>
    <Label value="Actor" background="#56B4E9"/>
  </Labels>
  <Choices name="frame_type" toName="text" perRegion="true" whenLabelValue="frame">
    <Choice value="economic"/><Choice value="security"/>
  </Choices>
  <Choices name="topics" toName="text" perRegion="true" choice="multiple"
           whenLabelValue="claim">
    <Choice value="trade"/><Choice value="tech"/>
  </Choices>
  <Number name="intensity" toName="text" perRegion="true" min="1" max="5"/>
  <TextArea name="comment" toName="text" perRegion="true" whenLabelValue="claim"/>
  <Choices name="genre" toName="text" choice="single">
    <Choice value="news"/><Choice value="opinion"/>
  </Choices>
</View>
"""

BRAT = """\
# a brat annotation.conf
[entities]
Person
Organization
!Abstract
\tFrame

[relations]
Member\tArg1:Person, Arg2:Organization

[events]
Attack\tAttacker:Person|Organization, Target?:Person

[attributes]
Negation\tArg:<EVENT>
Confidence\tArg:<EVENT>, Value:Low|Medium|High
Salient\tArg:Person|Frame
"""


def _store(tmp_path):
    return str(tmp_path / "s.sqlite")


def _digest(path) -> str:
    repo = Repository(open_store(path), "check")
    book = repo.codebook()
    repo.close()
    return hashlib.sha256(repr(book).encode()).hexdigest()


def test_import_show_export_round_trip(tmp_path, capsys):
    store = _store(tmp_path)
    src = tmp_path / "codebook.yaml"
    src.write_text(CODEBOOK, encoding="utf-8")
    assert main(["--store", store, "codebook", "import", str(src)]) == 0
    assert "1 span kind(s) added" in capsys.readouterr().out
    repo = Repository(open_store(store), "ana")
    book = repo.codebook()
    frame = book.kind_by_name("frame")
    assert (frame.colour, frame.key, frame.description) == ("#009E73", "F", "How the article frames the issue.")
    ft = book.attribute_by_name(frame.uid, "frame_type")
    assert ft.required and ft.default == ft.value_by_name("economic").uid
    assert [v.name for v in ft.values] == ["economic", "security", "identity", "sovereignty"]
    just = book.attribute_by_name("stance", "justification")
    assert just.multiple and just.value_by_name("moral").key == "m"
    assert book.attribute_by_name("stance", "intensity").maximum == 5
    assert book.attribute_by_name("actor", "role").metric == "ordinal"
    assert [a.name for a in book.article_variables()] == ["genre", "relevant"]
    assert book.article_variables()[1].default is True
    repo.close()

    assert main(["--store", store, "codebook", "show"]) == 0
    shown = capsys.readouterr().out
    assert "frame [F] #009E73" in shown and "intensity integer 1..5" in shown
    out = tmp_path / "out.yaml"
    assert main(["--store", store, "codebook", "export", "--out", str(out)]) == 0
    # Another store imports the export and ends with the same codebook, uids included.
    other = str(tmp_path / "other.sqlite")
    assert main(["--store", other, "codebook", "import", str(out)]) == 0
    assert _digest(other) == _digest(store)
    # Importing the same file again changes nothing.
    capsys.readouterr()
    assert main(["--store", other, "codebook", "import", str(out)]) == 0
    assert "0 span kind(s) added, 0 updated; 0 attribute(s) added, 0 updated" in capsys.readouterr().out


def test_import_updates_what_the_file_changes_and_keeps_the_rest(tmp_path, capsys):
    store = _store(tmp_path)
    src = tmp_path / "codebook.yaml"
    src.write_text(CODEBOOK, encoding="utf-8")
    main(["--store", store, "codebook", "import", str(src)])
    src.write_text(textwrap.dedent("""\
        kinds:
          - name: Frame
            colour: "#D55E00"
            attributes:
              - name: frame_type
                type: choice
                values: [economic, security, identity, sovereignty, morality]
        """), encoding="utf-8")
    assert main(["--store", store, "codebook", "import", str(src)]) == 0
    repo = Repository(open_store(store), "ana")
    frame = repo.codebook().kind_by_name("frame")
    assert frame.colour == "#D55E00" and frame.key == "F"  # the key the file left out stays
    ft = repo.codebook().attribute_by_name(frame.uid, "frame_type")
    assert ft.values[-1].name == "morality" and ft.required  # nothing else lost
    repo.close()


@pytest.mark.parametrize(("text", "line", "words"), [
    ("kinds:\n  - name: a\n  - name: A\n", 3, "two span kinds are named 'A'"),
    ("kinds:\n  - name: f\n    attributes:\n      - name: x\n        type: choice\n"
     "        values: [a, b]\n        default: c\n", 4, "default 'c' is not in its vocabulary"),
    ("kinds:\n  - name: f\n    attributes:\n      - name: x\n        type: integer\n"
     "        min: 5\n        max: 1\n", 4, "minimum 5 is above maximum 1"),
    ("kinds:\n  - name: f\n    attributes:\n      - name: x\n        type: colour\n", 4,
     "unknown type 'colour'"),
    ("kinds:\n  - name: f\n    colour: red\n", 2, "not #RRGGBB"),
    ("kinds:\n  - name: f\n    name: g\n", 3, "key 'name' given twice"),
    ("kinds:\n  - name: f\n    shape: round\n", 2, "unknown key 'shape'"),
    ("kinds: [\n", 2, "not valid YAML"),
    ("a: &x [1, 2]\nb: *x\n", 2, "aliases"),
    ("kinds:\n  - name: f\n    attributes:\n      - name: x\n        type: choice\n"
     "        values: [" + ", ".join(f"v{i}" for i in range(1001)) + "]\n", 4,
     "more than 1000 values"),
    ("stancemark_codebook: 2\n", 1, "codebook format 2 is not 1"),
    ("kinds:\n  - name: f\n    attributes:\n      - name: x\n        type: text\n"
     "      - name: X\n        type: text\n", 6, "two attributes named 'X'"),
])
def test_bad_codebook_files_are_refused_in_one_line(tmp_path, capsys, text, line, words):
    store = _store(tmp_path)
    main(["--store", store, "seed"])
    before = _digest(store)
    src = tmp_path / "bad.yaml"
    src.write_text(text, encoding="utf-8")
    capsys.readouterr()
    assert main(["--store", store, "codebook", "import", str(src)]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1, err
    assert f"{src}:{line}: " in err and words in err, err
    assert _digest(store) == before


def test_huge_file_refused_before_parsing(tmp_path, capsys):
    src = tmp_path / "huge.yaml"
    src.write_bytes(b"# " + b"x" * 5_000_001)
    assert main(["--store", _store(tmp_path), "codebook", "import", str(src)]) == 1
    assert "larger than 5 MB" in capsys.readouterr().err


def test_label_studio_config_imports_as_a_codebook(tmp_path, capsys):
    store = _store(tmp_path)
    src = tmp_path / "config.xml"
    src.write_text(LABEL_STUDIO, encoding="utf-8")
    assert main(["--store", store, "codebook", "import", str(src)]) == 0
    repo = Repository(open_store(store), "ana")
    book = repo.codebook()
    frame, claim = book.kind_by_name("frame"), book.kind_by_name("claim")
    assert frame.colour == "#009E73" and frame.key == "f"
    assert [k.name for k in book.kinds] == ["actor", "date", "stance", "frame", "claim"]
    assert [a.name for a in book.attributes_of(frame.uid)] == ["frame_type", "intensity"]
    assert [a.name for a in book.attributes_of(claim.uid)] == ["topics", "intensity", "comment"]
    assert book.attribute_by_name(claim.uid, "topics").multiple
    assert [a.name for a in book.attributes_of("actor")] == ["intensity"]  # no whenLabelValue
    intensity = book.attribute_by_name(frame.uid, "intensity")
    assert (intensity.type, intensity.minimum, intensity.maximum) == ("integer", 1, 5)
    assert [a.name for a in book.article_variables()] == ["genre"]
    repo.close()


def test_brat_conf_imports_as_a_codebook(tmp_path):
    store = _store(tmp_path)
    src = tmp_path / "annotation.conf"
    src.write_text(BRAT, encoding="utf-8")
    assert main(["--store", store, "codebook", "import", str(src)]) == 0
    repo = Repository(open_store(store), "ana")
    book = repo.codebook()
    assert [k.name for k in book.custom_kinds()] == ["Person", "Organization", "Frame", "Attack"]
    attack = book.kind_by_name("Attack")
    attrs = {a.name: a for a in book.attributes_of(attack.uid)}
    assert attrs["Attacker"].required and not attrs["Target"].required
    assert attrs["Attacker"].description == "argument: Person|Organization"
    assert attrs["Negation"].type == "boolean"
    assert [v.name for v in attrs["Confidence"].values] == ["Low", "Medium", "High"]
    assert [a.name for a in book.attributes_of(book.kind_by_name("Frame").uid)] == ["Salient"]
    repo.close()


def test_our_own_brat_conf_adds_nothing_to_the_builtin_kinds(tmp_path):
    from stancemark.formats.brat import ANNOTATION_CONF

    store = _store(tmp_path)
    src = tmp_path / "annotation.conf"
    src.write_text(ANNOTATION_CONF, encoding="utf-8")
    assert main(["--store", store, "codebook", "import", str(src)]) == 0
    repo = Repository(open_store(store), "ana")
    assert repo.codebook().attributes == () and not repo.codebook().custom_kinds()
    repo.close()


@pytest.mark.parametrize(("name", "text", "line", "words"), [
    ("x.xml", '<?xml version="1.0"?>\n<!DOCTYPE v [<!ENTITY a "aaaa">]>\n<View/>', 2, "refused XML"),
    ("x.xml", "<View>\n<Labels name='l'>\n</View>", 3, "not well-formed"),
    ("x.xml", "<View>\n  <Choices name='c' toName='t'/>\n</View>", 1, "no <Labels>"),
    ("x.xml", "<View><Labels name='l'><Label value='a'/></Labels>\n"
              "<Number name='n' perRegion='true' min='5' max='1'/></View>", 2, "above maximum"),
    ("x.xml", "<View><Labels name='l'><Label value='a'/></Labels>\n"
              "<Choices name='c' perRegion='true' whenLabelValue='zz'/></View>", 2, "'zz' is no label"),
    ("a.conf", "[entities]\nPerson\n[attributes]\nA\tArg:Nobody\n", 4, "'Nobody' is no entity"),
    ("a.conf", "[entities]\nPerson\nperson\n", 3, "two span kinds are named 'person'"),
    ("a.conf", "Person\n", 1, "before any [section]"),
    ("a.conf", "[entities]\nPerson\n[shapes]\n", 3, "unknown section"),
])
def test_bad_peer_schemes_are_refused_in_one_line(tmp_path, capsys, name, text, line, words):
    store = _store(tmp_path)
    main(["--store", store, "seed"])
    before = _digest(store)
    src = tmp_path / name
    src.write_text(text, encoding="utf-8")
    capsys.readouterr()
    assert main(["--store", store, "codebook", "import", str(src)]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and f"{src}:{line}: " in err and words in err, err
    assert _digest(store) == before


def test_billion_laughs_refused(tmp_path, capsys):
    lol = ('<?xml version="1.0"?>\n<!DOCTYPE lolz [\n <!ENTITY lol "lol">\n'
           ' <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">\n]>\n'
           "<View><Labels name='l'><Label value='&lol2;'/></Labels></View>\n")
    src = tmp_path / "lol.xml"
    src.write_text(lol, encoding="utf-8")
    assert main(["--store", _store(tmp_path), "codebook", "import", str(src)]) == 1
    assert "refused XML" in capsys.readouterr().err
