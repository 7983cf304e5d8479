"""The CSS that shows, of the parts drawn for every option of a control, the checked one's."""

from __future__ import annotations

from pages._ui.widgets import shown_by_choice


def test_a_part_carries_its_family_and_its_option() -> None:
    assert shown_by_choice.marked("for-base", 2) == "for-base for-base-2"


def test_each_checked_option_hides_the_parts_of_the_others() -> None:
    rules = shown_by_choice.rules("compare_base", "for-base", 3).splitlines()
    assert rules[1:] == [
        '.stMain:has(.st-key-compare_base [role="radio"]:nth-child(1)[aria-checked="true"])'
        " .for-base:not(.for-base-0) { display: none; }",
        '.stMain:has(.st-key-compare_base [role="radio"]:nth-child(2)[aria-checked="true"])'
        " .for-base:not(.for-base-1) { display: none; }",
        '.stMain:has(.st-key-compare_base [role="radio"]:nth-child(3)[aria-checked="true"])'
        " .for-base:not(.for-base-2) { display: none; }",
    ]


def test_while_no_option_is_checked_no_part_shows() -> None:
    """As the page loads, before the control is drawn: never every option's parts at once."""
    first = shown_by_choice.rules("history_group", "for-group", 3).splitlines()[0]
    assert first == (
        '.stMain:not(:has(.st-key-history_group [role="radio"][aria-checked="true"]))'
        " .for-group { display: none; }"
    )
