"""Text bound for a spreadsheet: OWASP's rule against formula injection, cell by cell and over
a whole table."""

from __future__ import annotations

import doctest

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from roi_model.files import spreadsheet_text
from roi_model.files.spreadsheet_text import FORMULA_TRIGGERS, neutralised, neutralised_frame


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ('=HYPERLINK("http://evil.example","clic")', '\'=HYPERLINK("http://evil.example","clic")'),
        ("+1+1", "'+1+1"),
        ("-5", "'-5"),  # typed as text: a spreadsheet would read it as a number or a formula
        ("-2+3+cmd|' /C calc'!A0", "'-2+3+cmd|' /C calc'!A0"),
        ("@SUM(A1:A2)", "'@SUM(A1:A2)"),
        ("\t=1+1", "'\t=1+1"),
        ("\r=1+1", "'\r=1+1"),
        ("=", "'="),
        ("Instagram", "Instagram"),
        ("", ""),
        ("'=already quoted", "'=already quoted"),
        (" =1+1", " =1+1"),  # a leading space is not a trigger of OWASP's list
        ("a=1", "a=1"),
        ("−5", "−5"),  # the typographic minus the reports print is not ASCII's
        ("—", "—"),
        ("<script>alert('x')</script> & Cía", "<script>alert('x')</script> & Cía"),
        ('say "hi"', 'say "hi"'),  # embedded quotes are the csv module's job
    ],
)
def test_neutralised(text: str, expected: str) -> None:
    assert neutralised(text) == expected


@given(st.text())
def test_the_result_never_begins_like_a_formula(text: str) -> None:
    result = neutralised(text)
    assert result.startswith("'") or not result.startswith(FORMULA_TRIGGERS)
    if not text.startswith(FORMULA_TRIGGERS):
        assert result == text
    else:
        assert result == "'" + text


def test_the_docstring_examples_hold() -> None:
    failed, tried = doctest.testmod(spreadsheet_text)
    assert tried > 0
    assert failed == 0


class TestNeutralisedFrame:
    def test_text_cells_are_quoted_and_numbers_untouched(self) -> None:
        frame = pd.DataFrame(
            {
                "channel": ["=cmd()", "Instagram", "-5", None],
                "spend": [-5.0, 3.0, -0.5, np.nan],
                "count": [-1, 2, 3, 4],
                "mixed": ["@x", -3, 2.5, "ok"],
            }
        )
        result = neutralised_frame(frame)
        assert result["channel"].tolist()[:3] == ["'=cmd()", "Instagram", "'-5"]
        assert pd.isna(result["channel"].iloc[3])
        pd.testing.assert_series_equal(result["spend"], frame["spend"])
        pd.testing.assert_series_equal(result["count"], frame["count"])
        assert result["mixed"].tolist() == ["'@x", -3, 2.5, "ok"]

    def test_the_original_is_left_alone(self) -> None:
        frame = pd.DataFrame({"channel": ["=cmd()"]})
        neutralised_frame(frame)
        assert frame["channel"].tolist() == ["=cmd()"]

    def test_dtypes_index_and_names_are_kept(self) -> None:
        frame = pd.DataFrame(
            {
                "=name": pd.array(["+a", pd.NA, "b"], dtype="string"),
                "plain": pd.array(["@a", "b", "c"], dtype=object),
                "value": [1.5, -2.0, 3.0],
            },
            index=[7, 3, 5],
        )
        result = neutralised_frame(frame)
        pd.testing.assert_series_equal(result.dtypes, frame.dtypes)
        assert result.index.tolist() == [7, 3, 5]
        assert result.columns.tolist() == ["=name", "plain", "value"]
        assert result["=name"].tolist()[::2] == ["'+a", "b"]
        assert result["plain"].tolist() == ["'@a", "b", "c"]

    def test_columns_of_the_same_name_are_each_handled_once(self) -> None:
        frame = pd.DataFrame([["=a", "=b"]], columns=["x", "x"])
        assert neutralised_frame(frame).iloc[0].tolist() == ["'=a", "'=b"]

    def test_categorical_text_is_quoted(self) -> None:
        frame = pd.DataFrame({"channel": pd.Categorical(["=a", "b", "=a"])})
        result = neutralised_frame(frame)
        assert isinstance(result["channel"].dtype, pd.CategoricalDtype)
        assert result["channel"].tolist() == ["'=a", "b", "'=a"]

    @given(st.lists(st.one_of(st.text(), st.floats(allow_nan=False), st.integers(), st.none())))
    def test_no_text_cell_begins_like_a_formula(self, values: list[object]) -> None:
        frame = pd.DataFrame({"cell": pd.Series(values, dtype=object)})
        result = neutralised_frame(frame)["cell"].tolist()
        for before, after in zip(values, result, strict=True):
            if isinstance(before, str):
                assert after == neutralised(before)
            else:
                assert after == before and type(after) is type(before)
