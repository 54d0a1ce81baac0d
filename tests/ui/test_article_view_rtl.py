"""Which paragraphs the article view lays out right to left."""

from __future__ import annotations

import pytest

from stancemark.ui.article.article_view import RTL_CHARS


@pytest.mark.parametrize("text", ["שלום", "سلام", "ܫܠܡܐ", "ދިވެހި", "ߒߞߏ", "ﻻ", "ﬠ"])
def test_right_to_left_scripts_and_presentation_forms(text):
    assert RTL_CHARS.search(text)


@pytest.mark.parametrize("text", ["Taipei", "台北", "Ελλάδα", "Москва", "१२३", "😀"])
def test_left_to_right_text(text):
    assert RTL_CHARS.search(text) is None
