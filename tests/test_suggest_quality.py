"""Suggestion quality on the bundled seed articles against a hand annotation
(tests/data/suggest_gold, see its README): the issue's thresholds, not a timing."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from stancemark.core.paths import seeds_dir
from stancemark.core.suggest import AliasMatcher, suggest
from stancemark.core.suggest.evaluate import Scores, score
from stancemark.formats.plain_text import read_article_file

GOLD = Path(__file__).parent / "data" / "suggest_gold"


def gold_scores() -> dict[str, Scores]:
    folder = seeds_dir()
    register = json.loads((folder / "register.json").read_text(encoding="utf-8"))
    matcher = AliasMatcher((a["uid"], n) for a in register["actors"]
                           for n in (a["name"], *a.get("aliases", [])))
    scores: dict[str, Scores] = {}
    articles = sorted(folder.glob("*.txt"))
    assert len(articles) == 3 and len(list(GOLD.glob("*.jsonl"))) == 3
    for path in articles:
        fields = read_article_file(path)  # as seeding stores it (a leading date marker goes)
        text = fields["text"]
        gold = [json.loads(line) for line in (GOLD / f"{path.stem}.jsonl").read_text(
            encoding="utf-8").splitlines() if line.strip()]
        for g in gold:
            assert text[g["start"]:g["end"]] == g["quote"], g
        found = suggest(text, matcher, fields["published"] or None)
        score([(s.kind, s.start, s.end, s.actor_uid, s.date_value) for s in found],
              [(g["kind"], g["start"], g["end"], g.get("actor_uid"), g.get("value"))
               for g in gold], scores)
    return scores


@pytest.fixture(scope="module")
def scores() -> dict[str, Scores]:
    return gold_scores()


def test_actor_mentions(scores):
    actors = scores["actor"]
    assert actors.tagged >= 150  # the annotation covers every mention, not a sample
    assert actors.recall(exact=False) >= 0.90
    assert actors.precision(exact=False) >= 0.90
    assert actors.recall(exact=True) >= 0.90
    assert actors.precision(exact=True) >= 0.90


def test_dates(scores):
    dates = scores["date"]
    assert dates.tagged >= 15
    assert dates.recall(exact=False) >= 0.85
    assert dates.value_agreement >= 0.90


if __name__ == "__main__":  # the figures for the README
    for kind, s in gold_scores().items():
        print(f"{kind}: {s.tagged} tagged, {s.suggested} suggested; exact P {s.precision(True):.3f} "
              f"R {s.recall(True):.3f} F1 {s.f1(True):.3f}; overlap P {s.precision(False):.3f} "
              f"R {s.recall(False):.3f} F1 {s.f1(False):.3f}; values {s.value_agreement:.3f}")
        for m in s.misses:
            print("  missed", m)
        for e in s.extras:
            print("  extra", e)
