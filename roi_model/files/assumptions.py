"""Where each assumption comes from: a published benchmark, a preset, a history, or the user.

Benchmarks and channel defaults live in CSV files (``sample_data/``); these functions read them
when asked (never at import) and derive each figure's origin by comparing values, so the origin
never has to be stored beside the scenario. Figures taken from a history of past campaigns are
the exception: the scenario records them (``Scenario.calibration``), and a figure is the
history's while it still holds the recorded value.
"""

from __future__ import annotations

import math
from dataclasses import fields
from enum import StrEnum
from pathlib import Path
from typing import Any, NamedTuple

import pandas as pd

from roi_model.files.scenario_file import load_scenario
from roi_model.model.spec import ActionValues, Channel, Investment, Scenario

#: The sample data beside the package (the project's ``sample_data/``): channel defaults,
#: published benchmarks, presets and a sample history.
SAMPLE_DATA = Path(__file__).resolve().parents[2] / "sample_data"


class Origin(StrEnum):
    """Where the value of an assumption came from."""

    BENCHMARK = "benchmark"
    DEFAULT = "default"
    PRESET = "preset"
    HISTORY = "history"
    USER = "user"


#: Channel fields that a benchmark can back, and the benchmark metric that backs each.
_BENCHMARKED = {
    "cpm": "cpm",
    "ctr": "ctr",
    "lead_rate": "lead_rate",
    "close_rate": "close_rate",
    "like_rate": "like_rate",
    "comment_rate": "comment_rate",
    "share_rate": "share_rate",
    "video_view_rate": "video_view_rate",
    "organic_impressions_per_hour": "organic_impressions_per_hour",
}
_CHANNEL_INPUTS = tuple(f.name for f in fields(Channel) if f.name not in ("name",))


def load_channel_defaults(path: str | Path) -> pd.DataFrame:
    """The default parameters per channel (one row per channel, indexed by name)."""
    return pd.read_csv(path).set_index("channel")


def load_benchmarks(path: str | Path) -> pd.DataFrame:
    """Published benchmark figures, one row per channel and metric, with source and year."""
    return pd.read_csv(path, dtype={"year": "Int64"})


def load_presets(folder: str | Path) -> dict[str, Scenario]:
    """Every preset scenario in a folder of scenario files, keyed by file stem, sorted."""
    return {path.stem: load_scenario(path) for path in sorted(Path(folder).glob("*.json"))}


def default_channel(name: str, defaults: pd.DataFrame) -> Channel:
    """A new channel with the default parameters of its network and no share yet."""
    if name not in defaults.index:
        return Channel(name)
    row = defaults.loc[name]
    numbers = {
        column: (None if pd.isna(row[column]) else float(row[column]))
        for column in defaults.columns
        if column in _CHANNEL_INPUTS
    }
    return Channel(name, **numbers)


class AssumptionSource(NamedTuple):
    """Where one assumption comes from: a row of :func:`assumption_sources`."""

    path: str
    channel: str
    field: str
    value: Any
    origin: str
    detail: str
    periods: int


def assumption_sources(
    scenario: Scenario,
    preset: Scenario | None,
    defaults: pd.DataFrame,
    benchmarks: pd.DataFrame,
    *,
    channels: bool = True,
) -> pd.DataFrame:
    """One row per assumption: ``path``, ``channel``, ``field``, ``value``, ``origin``, ``detail``
    and ``periods`` (the fields of :class:`AssumptionSource`, see :func:`source_rows`)."""
    rows = source_rows(scenario, preset, defaults, benchmarks, channels=channels)
    return pd.DataFrame(rows, columns=list(AssumptionSource._fields))


def source_rows(
    scenario: Scenario,
    preset: Scenario | None,
    defaults: pd.DataFrame,
    benchmarks: pd.DataFrame,
    *,
    channels: bool = True,
) -> list[AssumptionSource]:
    """Where each assumption comes from, as rows without a frame (the cockpit reads them on
    every press, where a frame of texts costs more to build than the rows).

    A figure that still holds the value a history gave it (``scenario.calibration``) is the
    history's (``detail``: the history's name; ``periods``: the months behind it, else 0). A
    channel figure equal to its network's default is a benchmark (``detail``: source and
    year) when a published figure backs it, else a default; any figure equal to the preset's
    is the preset's; anything else was set by the user. ``channels=False`` leaves out the
    per-channel figures (and the benchmark look-ups they need).
    """
    cited = _cited_benchmarks(benchmarks) if channels else {}
    # Plain dicts: this runs on every rerun of the cockpit, and .loc look-ups are slow.
    default_values: dict[Any, dict[str, Any]] = defaults.to_dict("index") if channels else {}  # type: ignore[assignment]
    preset_values = _flat_inputs(preset, channels) if preset is not None else {}
    calibrated = {item.key: item for item in scenario.calibration}
    rows = []
    for key, value in _flat_inputs(scenario, channels).items():
        path, channel, name = key
        origin, detail = _origin(value, default_values.get(channel, {}), channel, name, cited)
        if origin is Origin.USER and key in preset_values and _same(value, preset_values[key]):
            origin, detail = Origin.PRESET, preset.name if preset is not None else ""
        record = calibrated.get((channel.strip().casefold(), name))
        if record is not None and _same(value, record.value):
            origin, detail = Origin.HISTORY, record.source
        periods = record.periods if origin is Origin.HISTORY and record is not None else 0
        rows.append(AssumptionSource(path, channel, name, value, origin.value, detail, periods))
    return rows


def _cited_benchmarks(benchmarks: pd.DataFrame) -> dict[tuple[str, str], str]:
    """(channel, metric) to "source, year" for every figure that has a published value."""
    published = benchmarks.dropna(subset=["value"])
    years = published["year"].astype(object).where(published["year"].notna(), None)
    return {
        (str(channel), str(metric)): str(source) + ("" if year is None else f", {year!s}")
        for channel, metric, source, year in zip(
            published["channel"], published["metric"], published["source"], years, strict=True
        )
    }


def _flat_inputs(
    scenario: Scenario, channels: bool = True
) -> dict[tuple[str, str, str], float | None]:
    """Every number the user can change, keyed by (path, channel or "", field)."""
    flat: dict[tuple[str, str, str], float | None] = {}
    for group, spec in (("investment", Investment), ("values", ActionValues)):
        for f in fields(spec):
            flat[(f"{group}.{f.name}", "", f.name)] = getattr(getattr(scenario, group), f.name)
    for index, channel in enumerate(scenario.channels if channels else ()):
        for name in _CHANNEL_INPUTS:
            flat[(f"channels[{index}].{name}", channel.name, name)] = getattr(channel, name)
    return flat


def _origin(
    value: float | None,
    channel_defaults: dict[str, Any],
    channel: str,
    name: str,
    cited: dict[tuple[str, str], str],
) -> tuple[Origin, str]:
    if name not in channel_defaults or not _same(value, channel_defaults[name]):
        return Origin.USER, ""
    source = cited.get((channel, _BENCHMARKED.get(name, "")))
    return (Origin.BENCHMARK, source) if source else (Origin.DEFAULT, "")


def _same(value: object, other: object) -> bool:
    """Equal numbers, or both missing (None/NaN), within float noise."""
    missing = [v is None or (isinstance(v, float) and math.isnan(v)) for v in (value, other)]
    if any(missing):
        return all(missing)
    return math.isclose(float(value), float(other), rel_tol=1e-9, abs_tol=1e-12)  # type: ignore[arg-type]
