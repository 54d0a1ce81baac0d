"""brat standoff: export layout and schema, import, round trip, CRLF, errors."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from stancemark.cli import main
from stancemark.core.errors import InputError
from stancemark.core.palette import KIND_COLOURS
from stancemark.formats import brat


def _ann_lines(path):
    return path.read_text(encoding="utf-8").splitlines()


def test_layout_schema_and_colours(annotated, tmp_path):
    repo, p = annotated
    out = tmp_path / "brat"
    brat.export(repo, out)
    assert sorted(x.name for x in out.iterdir()) == ["ana", "annotation.conf", "ben", "visual.conf"]
    conf = (out / "annotation.conf").read_text(encoding="utf-8")
    assert "Polarity\tArg:Stance, Value:support|oppose|neutral" in conf
    assert KIND_COLOURS["actor"] in (out / "visual.conf").read_text(encoding="utf-8")
    empty = p["articles"]["empty"].uid
    assert (out / "ana" / f"{empty}.ann").read_text() == ""  # empty article: empty .ann
    assert (out / "ben" / f"{empty}.txt").read_text(encoding="utf-8") == p["articles"]["empty"].text


def test_ann_lines_normalise_to_the_register(annotated, tmp_path):
    repo, p = annotated
    out = tmp_path / "brat"
    brat.export(repo, out)
    lines = _ann_lines(out / "ana" / f"{p['articles']['en'].uid}.ann")
    china = p["actors"]["china"].uid
    assert "T1\tActor 0 7\tBeijing" in lines
    assert f"N1\tReference T1 Stancemark:{china}\tChina" in lines
    assert "#1\tAnnotatorNotes T3\tdate=2021-01-09" in lines
    assert "E1\tStance:T4 Holder:T1" in lines and "A1\tPolarity E1 oppose" in lines
    assert f"N10\tReference E1 Topic:{p['topics']['arms'].uid}\tArms sales to Taiwan" in lines
    # emoji and CJK: offsets are code points into the .txt
    zh = p["articles"]["zh"]
    text = (out / "ana" / f"{zh.uid}.txt").read_text(encoding="utf-8")
    for line in _ann_lines(out / "ana" / f"{zh.uid}.ann"):
        if line.startswith("T"):
            _, span, quote = line.split("\t")
            _, s, e = span.split()
            assert text[int(s):int(e)] == quote


def test_crlf_txt_and_plain_brat_files_import(repo, tmp_path):
    raw = "Line one\r\nBeijing 😀 rejects it.\r\n"
    (tmp_path / "doc.txt").write_bytes(raw.encode("utf-8"))
    s = raw.index("Beijing")
    t = raw.index("rejects it")
    (tmp_path / "doc.ann").write_text(
        f"T1\tActor {s} {s + 7}\tBeijing\nT2\tStance {t} {t + 10}\trejects it\r\n"
        "E1\tStance:T2 Holder:T1\nA1\tPolarity E1 oppose\n", encoding="utf-8")
    brat.import_paths(repo, [tmp_path / "doc.ann"], annotator_name="dora")
    art = repo.get_article(repo.article_uids()[0])
    assert art.text == "Line one\nBeijing 😀 rejects it.\n"
    anns = repo.list_annotations(art.uid, [repo.annotator_by_name("dora").uid])
    assert [a.quote for a in anns] == ["Beijing", "rejects it"]
    assert repo.get_actor(anns[0].actor_uid).name == "Beijing"  # no N line: named by its text
    assert anns[1].holder_uid == anns[0].actor_uid and anns[1].polarity == "oppose"


def _stance_doc(folder, lines: str) -> None:
    text = "Beijing said on Friday that China opposes the sale. Taipei and Washington disagree."
    (folder / "doc.txt").write_text(text, encoding="utf-8")
    (folder / "doc.ann").write_text(lines, encoding="utf-8")


def _spans(text: str, *words: str) -> dict[str, tuple[int, int]]:
    return {w: (text.index(w), text.index(w) + len(w)) for w in words}


@pytest.mark.parametrize("n_first", [False, True], ids=["N-after-E", "N-before-E"])
def test_stance_holder_is_the_linked_actor_of_its_mention(seeded, tmp_path, n_first):
    """`T1 Actor ... Beijing` linked to China by its N line, then `E1 Stance:T3 Holder:T1`:
    the holder is China (it was a new actor "Beijing"), wherever the N line stands."""
    repo = seeded
    china = repo.actors_by_alias("China")[0]
    taiwan = repo.actors_by_alias("Taiwan")[0]
    sp = _spans("Beijing said on Friday that China opposes the sale. Taipei and Washington "
                "disagree.", "Beijing", "opposes the sale", "Taipei")
    t = [f"T1\tActor {sp['Beijing'][0]} {sp['Beijing'][1]}\tBeijing",
         f"T2\tActor {sp['Taipei'][0]} {sp['Taipei'][1]}\tTaipei",
         f"T3\tStance {sp['opposes the sale'][0]} {sp['opposes the sale'][1]}\topposes the sale"]
    n = [f"N1\tReference T1 Stancemark:{china.uid}\tChina",
         f"N2\tReference T2 Stancemark:{taiwan.uid}\tTaiwan"]
    e = ["E1\tStance:T3 Holder:T1 Target:T2", "A1\tPolarity E1 oppose"]
    _stance_doc(tmp_path, "\n".join(t + (n + e if n_first else e + n)) + "\n")
    actors_before = len(repo.list_actors())
    brat.import_paths(repo, [tmp_path / "doc.ann"], annotator_name="dora")
    stance = next(a for a in repo.list_annotations(repo.article_uids()[-1]) if a.kind == "stance")
    assert stance.holder_uid == china.uid and stance.target_actor_uid == taiwan.uid
    assert len(repo.list_actors()) == actors_before  # no actor "Beijing" or "Taipei" made


def test_mentions_without_n_lines_resolve_through_the_register_aliases(seeded, tmp_path):
    repo = seeded
    china = repo.actors_by_alias("China")[0]
    taiwan = repo.actors_by_alias("Taiwan")[0]
    sp = _spans("Beijing said on Friday that China opposes the sale. Taipei and Washington "
                "disagree.", "Beijing", "opposes the sale", "Taipei")
    _stance_doc(tmp_path, "\n".join([
        f"T1\tActor {sp['Beijing'][0]} {sp['Beijing'][1]}\tBeijing",
        f"T2\tActor {sp['Taipei'][0]} {sp['Taipei'][1]}\tTaipei",
        f"T3\tStance {sp['opposes the sale'][0]} {sp['opposes the sale'][1]}\topposes the sale",
        "E1\tStance:T3 Holder:T1 Target:T2", "A1\tPolarity E1 oppose"]) + "\n")
    brat.import_paths(repo, [tmp_path / "doc.ann"], annotator_name="dora")
    anns = {a.quote: a for a in repo.list_annotations(repo.article_uids()[-1])}
    assert anns["Beijing"].actor_uid == china.uid and anns["Taipei"].actor_uid == taiwan.uid
    assert anns["opposes the sale"].holder_uid == china.uid
    assert anns["opposes the sale"].target_actor_uid == taiwan.uid


def test_the_events_own_n_line_wins_over_its_argument(seeded, tmp_path):
    repo = seeded
    china = repo.actors_by_alias("China")[0]
    us = repo.actors_by_alias("United States")[0]
    sp = _spans("Beijing said on Friday that China opposes the sale. Taipei and Washington "
                "disagree.", "Beijing", "opposes the sale")
    _stance_doc(tmp_path, "\n".join([
        f"T1\tActor {sp['Beijing'][0]} {sp['Beijing'][1]}\tBeijing",
        f"N1\tReference T1 Stancemark:{china.uid}\tChina",
        f"T3\tStance {sp['opposes the sale'][0]} {sp['opposes the sale'][1]}\topposes the sale",
        "E1\tStance:T3 Holder:T1", "A1\tPolarity E1 oppose",
        f"N2\tReference E1 Holder:{us.uid}\tUnited States"]) + "\n")
    brat.import_paths(repo, [tmp_path / "doc.ann"], annotator_name="dora")
    stance = next(a for a in repo.list_annotations(repo.article_uids()[-1]) if a.kind == "stance")
    assert stance.holder_uid == us.uid


_line = st.one_of(
    st.text(max_size=30),
    st.builds(lambda i, k, s, e, q: f"T{i}\t{k} {s} {e}\t{q}", st.integers(0, 3),
              st.sampled_from(["Actor", "Date", "Stance", "X"]), st.integers(-1, 12),
              st.integers(-1, 12), st.text(max_size=5)),
    st.builds(lambda i, a: f"E{i}\tStance:T{a}", st.integers(0, 3), st.integers(0, 3)),
    st.builds(lambda r, v: f"A1\tPolarity {r} {v}", st.sampled_from(["E1", "T1", "E9"]),
              st.sampled_from(["oppose", "x", ""])),
    st.builds(lambda r, d, n: f"N1\tReference {r} {d}:abc\t{n}", st.sampled_from(["E1", "T1", "T2"]),
              st.sampled_from(["Stancemark", "Holder", "Topic", "X"]), st.text(max_size=5)),
    st.builds(lambda r, n: f"#1\tAnnotatorNotes {r}\t{n}", st.sampled_from(["E1", "T1"]),
              st.text(max_size=20)),
)


@settings(max_examples=300, suppress_health_check=[HealthCheck.function_scoped_fixture], deadline=None)
@given(lines=st.lists(_line, max_size=6), text=st.text(min_size=1, max_size=12))
def test_parser_fuzz_raises_only_input_error(lines, text, tmp_path_factory):
    f = tmp_path_factory.mktemp("fz") / "f.ann"
    f.write_bytes("\n".join(lines).encode("utf-8", "surrogatepass"))
    try:
        brat.parse_ann(f, text, {})
    except InputError:
        pass


def test_cli_guesses_brat_from_ann_files(annotated, store_path, tmp_path, capsys):
    out = tmp_path / "b"
    brat.export(annotated[0], out)
    anns = sorted(str(p) for p in (out / "ana").glob("*.ann"))
    assert main(["--store", str(tmp_path / "o.sqlite"), "import", *anns]) == 0
    assert "3 article(s) added, 18 annotation(s) added" in capsys.readouterr().out
