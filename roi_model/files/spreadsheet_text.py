"""Text bound for a spreadsheet, made inert: OWASP's rule against CSV (formula) injection.

A spreadsheet opening a CSV file, or a cell of a workbook, may run a text that begins with
``=``, ``+``, ``-`` or ``@`` as a formula (``=HYPERLINK(...)`` sends the reader's data away);
a leading tab or carriage return hides such a text from a naive check. OWASP's advice,
followed here, is to prepend a single quote to every such cell, so that it is read as text.
Embedded double quotes, OWASP's other point, are escaped by the :mod:`csv` module's quoting.

See https://owasp.org/www-community/attacks/CSV_Injection.
"""

from __future__ import annotations

from typing import Any, Final

import numpy as np
import pandas as pd

#: The first characters that make a spreadsheet read a cell as a formula.
FORMULA_TRIGGERS: Final[tuple[str, ...]] = ("=", "+", "-", "@", "\t", "\r")


def neutralised(text: str) -> str:
    """``text`` made inert for a spreadsheet: quoted when it begins like a formula.

    >>> neutralised('=HYPERLINK("http://evil.example","clic")')
    '\\'=HYPERLINK("http://evil.example","clic")'
    >>> neutralised("-5")
    "'-5"
    >>> neutralised("\\t=1+1")
    "'\\t=1+1"
    >>> neutralised("Instagram")
    'Instagram'
    >>> neutralised("")
    ''
    """
    return f"'{text}" if text.startswith(FORMULA_TRIGGERS) else text


def _neutralised_cell(value: Any) -> Any:
    # Only what the user typed as text: a negative number stays a number.
    return neutralised(value) if isinstance(value, str) else value


def _is_text_dtype(dtype: Any) -> bool:
    return pd.api.types.is_object_dtype(dtype) or isinstance(dtype, pd.StringDtype)


def _neutralised_cells(values: pd.Series[Any]) -> np.ndarray[Any, np.dtype[np.object_]]:
    """The column's cells with each text neutralised; the rest (numbers, None) as they are."""
    cells = values.to_numpy(dtype=object, copy=True)
    for row, value in enumerate(cells):
        cells[row] = _neutralised_cell(value)
    return cells


def neutralised_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy of ``frame`` whose text cells (in object, string or categorical columns) are
    :func:`neutralised`; numbers are untouched, and so are the column names.

    >>> frame = pd.DataFrame({"name": ["=1+1", "X"], "spend": [-5.0, 3.0]})
    >>> neutralised_frame(frame).to_dict("list")
    {'name': ["'=1+1", 'X'], 'spend': [-5.0, 3.0]}
    """
    result = frame.copy()
    # By position, so that each of two columns of the same name is handled once.
    for position in range(frame.shape[1]):
        values = frame.iloc[:, position]
        if isinstance(values.dtype, pd.CategoricalDtype):
            if _is_text_dtype(values.dtype.categories.dtype):
                # By category: it stays categorical unless two categories become one.
                result.isetitem(position, values.map(_neutralised_cell).array)
        elif isinstance(values.dtype, pd.StringDtype):
            result.isetitem(position, pd.array(_neutralised_cells(values), dtype=values.dtype))
        elif pd.api.types.is_object_dtype(values.dtype):
            # Set into the column, which stays an object column: a new column would have its
            # dtype inferred (texts alone would make a string column).
            result.iloc[:, position] = _neutralised_cells(values)
    return result
