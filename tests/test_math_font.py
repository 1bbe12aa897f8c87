"""The math font's subset: the name table set aside gives fontTools' own bytes."""

from __future__ import annotations

import io

from fontTools.ttLib import TTFont

from gradsite.assets import _BASE_CHARS, subset_math_font


def test_setting_the_name_table_aside_changes_no_byte() -> None:
    chars = set(_BASE_CHARS) | set("ℝ∇∂∑∫≤≥→∈⟨⟩‖√") | {"\U0001d465", "\U0001d466"}
    made = subset_math_font(chars)
    assert made == subset_math_font(chars, names_aside=False)
    with TTFont(io.BytesIO(made)) as font:
        names = font["name"]
        # The copyright and the licence (its text and its address) are still there.
        assert "Open Font License" in str(names.getDebugName(13))
        assert names.getDebugName(0) and names.getDebugName(14)
