"""The meeting mode's channel mix, as one control: today's mix, the best mix at today's ad
budget (for the full-value return), or today's mix without one channel."""

from __future__ import annotations

from dataclasses import replace

from roi_model.model.errors import ScenarioError
from roi_model.model.optimize import InfeasibleBudget, optimize_mix
from roi_model.model.spec import Scenario

TODAY = "today"
BEST = "best"
WITHOUT = "without:"


def mix_choices(scenario: Scenario) -> tuple[str, ...]:
    """``today``, ``best`` and ``without:<channel>`` for each channel that can be left out:
    one that takes a share of the budget or the hours while another channel can carry them.

    Examples
    --------
    >>> from roi_model.model.spec import Channel
    >>> s = Scenario(channels=(Channel("A", budget_share=1.0), Channel("B", budget_share=1.0)))
    >>> mix_choices(s)
    ('today', 'best', 'without:A', 'without:B')
    """
    return (TODAY, BEST, *(f"{WITHOUT}{name}" for name in _removable(scenario)))


def with_mix(scenario: Scenario, choice: str) -> Scenario:
    """The scenario with the chosen mix; a choice it cannot take (a channel it does not have,
    or one that cannot be left out) is today's mix.

    The best mix splits today's ad budget to maximise the full-value return (hours stay as
    they are); leaving a channel out gives its budget and hours to the others, in their
    proportions.
    """
    if choice == BEST:
        try:
            return optimize_mix(scenario, "full").after
        except (InfeasibleBudget, ValueError):
            return scenario
    name = choice.removeprefix(WITHOUT)
    if not choice.startswith(WITHOUT) or name not in _removable(scenario):
        return scenario
    channels = tuple(
        replace(c, budget_share=0.0, hours_share=0.0) if c.name == name else c
        for c in scenario.channels
    )
    try:
        return replace(scenario, channels=channels)
    except ScenarioError:  # e.g. the only channel with a CPM for the budget
        return scenario


def _removable(scenario: Scenario) -> list[str]:
    """Channels whose budget and hours the others can take (each other share > 0 where the
    scenario spends money or hours)."""
    inv = scenario.investment
    names = []
    for channel in scenario.channels:
        if channel.budget_share == 0 and channel.hours_share == 0:
            continue
        others = [c for c in scenario.channels if c.name != channel.name]
        budget_ok = inv.ad_budget == 0 or any(c.budget_share > 0 for c in others)
        hours_ok = inv.staff_hours == 0 or any(c.hours_share > 0 for c in others)
        if budget_ok and hours_ok:
            names.append(channel.name)
    return names
