"""Agreement per attribute: Krippendorff's alpha with the attribute type's metric, worked
by hand and checked against the `krippendorff` package; wired into `stancemark agreement`
with the unitizing alpha of custom kinds."""

from __future__ import annotations

import json
import math

import pytest

from stancemark.cli import main
from stancemark.core.attribute_agreement import krippendorff_alpha
from stancemark.core.codebook_commands import new_attribute, new_kind
from stancemark.core.model import Annotation
from stancemark.store import Repository, open_store

krippendorff = pytest.importorskip("krippendorff")
np = pytest.importorskip("numpy")

# Krippendorff (2011), "Computing Krippendorff's alpha-reliability", the 4 coders x 12
# units example with missing values (None).
K2011 = [
    [1, 2, 3, 3, 2, 1, 4, 1, 2, None, None, None],
    [1, 2, 3, 3, 2, 2, 4, 1, 2, 5, None, 3],
    [None, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, None],
    [1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, None],
]


def _units(matrix):
    return [[row[u] for row in matrix if row[u] is not None] for u in range(len(matrix[0]))]


def test_worked_by_hand_nominal():
    # Units (a,a), (a,b), (b,b): o_aa = o_bb = 2, o_ab = o_ba = 1; n_a = n_b = 3, n = 6.
    # D_o = 2, D_e = (3*3 + 3*3) / 5 = 3.6, alpha = 1 - 2 / 3.6 = 4/9.
    assert krippendorff_alpha([["a", "a"], ["a", "b"], ["b", "b"]], "nominal") == pytest.approx(4 / 9)


def test_worked_by_hand_interval():
    # Units (1,2), (3,3): o_12 = o_21 = 1, o_33 = 2; n_1 = n_2 = 1, n_3 = 2, n = 4.
    # D_o = 1 + 1 = 2; sum n_c n_k (c-k)^2 = 2*(1 + 8 + 2) = 22, D_e = 22 / 3;
    # alpha = 1 - 2 / (22/3) = 8/11.
    assert krippendorff_alpha([[1, 2], [3, 3]], "interval") == pytest.approx(8 / 11)


def test_worked_by_hand_ordinal():
    # Units (low,mid), (high,high), ranks low < mid < high; n_low = n_mid = 1, n_high = 2.
    # d(low,mid) = (1 + 1 - 1)^2 = 1; d(low,high) = (1+1+2 - 1.5)^2 = 6.25;
    # d(mid,high) = (1 + 2 - 1.5)^2 = 2.25. D_o = 2 * 1 = 2;
    # sum n_c n_k d = 2*(1*1*1 + 1*2*6.25 + 1*2*2.25) = 36, D_e = 36/3 = 12; alpha = 5/6.
    units = [["low", "mid"], ["high", "high"]]
    assert krippendorff_alpha(units, "ordinal", ["low", "mid", "high"]) == pytest.approx(5 / 6)


@pytest.mark.parametrize("metric", ["nominal", "ordinal", "interval"])
def test_krippendorff_2011_example_matches_the_package(metric):
    data = np.array([[np.nan if v is None else v for v in row] for row in K2011], dtype=float)
    expected = krippendorff.alpha(reliability_data=data, level_of_measurement=metric)
    assert krippendorff_alpha(_units(K2011), metric) == pytest.approx(expected)
    # The figures the paper gives for this data.
    assert expected == pytest.approx({"nominal": 0.743, "ordinal": 0.815,
                                      "interval": 0.849}[metric], abs=1e-3)


def test_undefined_without_variation_or_pairs():
    assert krippendorff_alpha([["a", "a"], ["a", "a"]], "nominal") is None
    assert krippendorff_alpha([["a"], ["b"]], "nominal") is None


def _tag(repo, art, kind, start, end, **attrs):
    return repo.add_annotation(Annotation("", art.uid, "", kind, start, end,
                                          art.text[start:end], attributes=attrs))


def test_agreement_command_reports_each_attribute_and_custom_unitizing(tmp_path, capsys):
    store = tmp_path / "s.sqlite"
    repo = Repository(open_store(store), "ana")
    frame = repo.add_kind(new_kind("frame"))
    ft = repo.add_attribute(new_attribute("frame_type", "choice", frame.uid,
                                          values=("economic", "security", "identity")))
    strength = repo.add_attribute(new_attribute("strength", "choice", frame.uid, ordered=True,
                                                values=("low", "mid", "high")))
    intensity = repo.add_attribute(new_attribute("intensity", "integer", frame.uid,
                                                 minimum=1, maximum=5))
    genre = repo.add_attribute(new_attribute("genre", "choice", None, values=("news", "opinion")))
    text = " ".join(f"Sentence {i} frames the trade dispute." for i in range(12))
    art, _ = repo.add_article(text, "t")
    v = {n: x.uid for a in (ft, strength, genre) for n, x in ((y.name, y) for y in a.values)}
    spans = [(0, 10), (37, 47), (74, 84), (111, 121)]
    ana = [("economic", "low", 1), ("security", "mid", 2), ("economic", "high", 3),
           ("identity", "high", 4)]
    ben = [("economic", "mid", 1), ("security", "mid", 2), ("security", "high", 3),
           ("identity", "high", 5)]
    for who, codes in (("ana", ana), ("ben", ben)):
        repo.set_annotator(who)
        for (start, end), (f, s, i) in zip(spans, codes, strict=True):
            _tag(repo, art, frame.uid, start, end,
                 **{ft.uid: v[f], strength.uid: v[s], intensity.uid: i})
        repo.set_article_variables(art.uid, {genre.uid: v["news"]})
    repo.close()

    assert main(["--store", str(store), "agreement", "--annotators", "ana,ben",
                 "--format", "json"]) == 0
    rows = {(r["kind"], r["measure"]): r for r in json.loads(capsys.readouterr().out)}
    units = {
        "frame_type": [[a[0], b[0]] for a, b in zip(ana, ben, strict=True)],
        "strength": [[a[1], b[1]] for a, b in zip(ana, ben, strict=True)],
        "intensity": [[a[2], b[2]] for a, b in zip(ana, ben, strict=True)],
    }
    for name, metric in (("frame_type", "nominal"), ("strength", "ordinal"),
                         ("intensity", "interval")):
        row = rows[("frame", f"alpha_{metric}:{name}")]
        values = units[name]
        domain = ["low", "mid", "high"] if metric == "ordinal" else None
        coded = [[(domain.index(x) if domain else x) for x in u] for u in values]
        if metric == "nominal":
            cats = sorted({x for u in values for x in u})
            coded = [[cats.index(x) for x in u] for u in values]
        expected = krippendorff.alpha(reliability_data=np.array(coded, dtype=float).T,
                                      level_of_measurement=metric)
        assert row["value"] == pytest.approx(round(expected, 4)) and row["n"] == 4
    assert rows[("article", "alpha_nominal:genre")]["value"] is None  # no variation
    u_alpha = rows[("frame", "u_alpha")]
    assert u_alpha["value"] is not None and math.isclose(u_alpha["value"], 1.0)
    assert main(["--store", str(store), "agreement", "--annotators", "ana,ben"]) == 0
    table = capsys.readouterr().out
    assert "frame · intensity" in table and "interval" in table
    assert main(["--store", str(store), "agreement", "--kind", "frame",
                 "--annotators", "ana,ben", "--format", "json"]) == 0
    kinds = {r["kind"] for r in json.loads(capsys.readouterr().out)}
    assert kinds == {"frame", "all"}
