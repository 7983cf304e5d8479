"""Parts of a page drawn for every option of a control at once, the checked option's shown.

Where each option of a segmented control shows a part of its own (the Compare page's base,
the History page's grouping), redrawing that part on each change made the browser sanitise
and lay out a large table again: most of a change's time. Drawn once for every option instead,
each part marked with its option's classes, the parts follow the control in the browser, by
CSS, the moment an option is pressed; the rerun that follows (the server's own record of the
choice) sends the same HTML, which the browser does not draw again.

The rules read the control's options as a person's browser shows them: radios in the order of
the options, the checked one ``aria-checked``. While none is checked (the control not drawn
yet, as the page loads), no part shows: never every option's at once.
"""

from __future__ import annotations


def marked(family: str, index: int) -> str:
    """The classes of a part of ``family`` shown only while option ``index`` is checked."""
    return f"{family} {family}-{index}"


def chosen(control_key: str, index: int) -> str:
    """A selector of the page while option ``index`` of the control keyed ``control_key`` is
    checked: a rule's start."""
    option = f'[role="radio"]:nth-child({index + 1})[aria-checked="true"]'
    return f".stMain:has(.st-key-{control_key} {option})"


def rules(control_key: str, family: str, count: int) -> str:
    """CSS: while option i of the control (of ``count``) is checked, the parts of ``family``
    marked for another option are hidden; while none is, all are."""
    checked = f'.st-key-{control_key} [role="radio"][aria-checked="true"]'
    return "\n".join(
        (
            f".stMain:not(:has({checked})) .{family} {{ display: none; }}",
            *(
                f"{chosen(control_key, i)} .{family}:not(.{family}-{i}) {{ display: none; }}"
                for i in range(count)
            ),
        )
    )
