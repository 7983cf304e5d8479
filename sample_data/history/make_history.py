"""Generate the sample history of an online shop: a year of daily rows per channel and campaign.

Run from the repository root: ``python sample_data/history/make_history.py``. The output is
the same on every run (seeded). The monthly figures come from ROI Explorer's own model
(:func:`roi_model.model.evaluate.channel_table`) with the parameters of :data:`CHANNELS`,
close to the
online shop preset, so that calibrating on the files must give these parameters back (within
the noise). The model's monthly totals are spread over days and campaigns, then counts are
drawn around them: impressions with a little multiplicative noise, actions as Poisson and
binomial draws down the funnel (clicks from impressions, leads from clicks, sales from leads).

Impressions are **paid only**: no organic impressions are added, so that ``1000 * spend /
impressions`` is the effective CPM the calibration reads. ``staff_hours`` is recorded but buys
nothing here.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import numpy as np
import pandas as pd

from roi_model import ActionValues, Channel, Investment, Scenario
from roi_model.model.evaluate import channel_table

SEED = 2024
YEAR = 2024
ORDER_VALUE = 120.0
#: Staff hours per month and channel (the preset's 80 hours, by its hours shares).
HOURS = {"Facebook": 20.0, "Instagram": 28.0, "TikTok": 20.0, "Pinterest": 12.0}
#: Each channel's mean monthly spend (the preset's 5,000 EUR, by its budget shares).
MEAN_SPEND = {"Facebook": 1750.0, "Instagram": 1500.0, "TikTok": 1000.0, "Pinterest": 750.0}
#: The true parameters (fit 1): the online shop preset, with its own close rates per channel.
CHANNELS = (
    Channel(
        "Facebook",
        cpm=8.8,
        saturation_spend=6000.0,
        like_rate=0.01268,
        comment_rate=0.001268,
        share_rate=0.000634,
        ctr=0.009,
        lead_rate=0.0921,
        close_rate=0.3,
    ),
    Channel(
        "Instagram",
        cpm=6.35,
        saturation_spend=6000.0,
        like_rate=0.0029,
        comment_rate=0.00029,
        share_rate=0.000145,
        ctr=0.006,
        lead_rate=0.03,
        close_rate=0.3,
    ),
    Channel(
        "TikTok",
        cpm=6.84,
        saturation_spend=None,
        like_rate=0.01215,
        comment_rate=0.001215,
        share_rate=0.0006075,
        ctr=0.0073,
        lead_rate=0.03,
        close_rate=0.25,
    ),
    Channel(
        "Pinterest",
        cpm=4.6,
        saturation_spend=3000.0,
        like_rate=0.005,
        comment_rate=0.0005,
        share_rate=0.00025,
        ctr=0.004,
        lead_rate=0.03,
        close_rate=0.2,
    ),
)
#: Month (1-12) -> spend factor: January sales, a summer dip, Black Friday and Christmas.
SEASON = {1: 1.3, 2: 0.8, 3: 0.9, 4: 1.0, 5: 1.1, 6: 0.9, 7: 0.6, 8: 0.5, 9: 1.0, 10: 1.1}
SEASON |= {11: 2.0, 12: 1.8}
#: Campaigns and the months they run; "Always on" runs all year beside them.
CAMPAIGNS = {
    "Rebajas de enero": (1, 2),
    "Primavera": (3, 4, 5),
    "Verano": (6, 7, 8),
    "Vuelta al cole": (9, 10),
    "Black Friday": (11,),
    "Navidad": (12,),
}
ALWAYS_ON = "Always on (retargeting)"
#: Share of a month's spend that goes to the seasonal campaign (the rest is always on).
SEASONAL_SHARE = 0.65
IMPRESSION_NOISE = 0.05  # sd of the log of a row's impressions around the model's
ORDER_NOISE = 0.35  # sd of the log of one order's value (mean one)

SPANISH_HEADERS = {
    "date": "fecha",
    "channel": "canal",
    "campaign": "campaña",
    "spend": "gasto",
    "staff_hours": "horas",
    "impressions": "impresiones",
    "clicks": "clics",
    "likes": "me gusta",
    "comments": "comentarios",
    "shares": "compartidos",
    "leads": "leads",
    "sales": "ventas",
    "revenue": "ingresos",
}


def monthly_spend(rng: np.random.Generator) -> pd.DataFrame:
    """Spend per month (rows 1-12) and channel: mean x season x a random factor in [0.6, 1.5]."""
    factors = rng.uniform(0.6, 1.5, size=(12, len(CHANNELS)))
    means = np.array([MEAN_SPEND[c.name] for c in CHANNELS])
    season = np.array([SEASON[m] for m in range(1, 13)])[:, None]
    spend = np.round(means * season * factors, 2)
    return pd.DataFrame(spend, index=range(1, 13), columns=[c.name for c in CHANNELS])


def model_month(spend: pd.Series) -> pd.DataFrame:
    """The model's channel table for one month's spend per channel."""
    channels = tuple(replace(c, budget_share=float(spend[c.name])) for c in CHANNELS)
    scenario = Scenario(
        investment=Investment(ad_budget=float(spend.sum())),
        values=ActionValues(order_value=ORDER_VALUE),
        channels=channels,
    )
    return channel_table(scenario)


def day_weights(rng: np.random.Generator, days: int) -> np.ndarray:
    """How a month's budget is spread over its days: unevenly (gamma weights, mean one)."""
    weights = rng.gamma(8.0, size=days)
    return weights / weights.sum()


def campaign_split(month: int) -> dict[str, float]:
    """Each running campaign's share of a month's spend."""
    seasonal = [name for name, months in CAMPAIGNS.items() if month in months]
    split = {ALWAYS_ON: 1.0 - SEASONAL_SHARE * bool(seasonal)}
    return split | {name: SEASONAL_SHARE for name in seasonal}


def funnel_draws(rng: np.random.Generator, channel: Channel, impressions: int) -> dict[str, float]:
    """A row's actions drawn around the model's rates (fit 1)."""
    clicks = rng.poisson(impressions * channel.ctr)
    leads = rng.binomial(clicks, channel.lead_rate)
    sales = rng.binomial(leads, channel.close_rate)
    order_factor = np.exp(rng.normal(-(ORDER_NOISE**2) / 2, ORDER_NOISE, size=sales))
    return {
        "impressions": impressions,
        "clicks": clicks,
        "likes": rng.poisson(impressions * channel.like_rate),
        "comments": rng.poisson(impressions * channel.comment_rate),
        "shares": rng.poisson(impressions * channel.share_rate),
        "leads": leads,
        "sales": sales,
        "revenue": round(float(ORDER_VALUE * order_factor.sum()), 2),
    }


def month_rows(
    rng: np.random.Generator, month: int, spend: pd.Series, table: pd.DataFrame
) -> list[dict[str, object]]:
    """One row per day, channel and running campaign of a month."""
    days = pd.date_range(pd.Timestamp(YEAR, month, 1), periods=1, freq="MS")[0]
    dates = pd.date_range(days, days + pd.offsets.MonthEnd(0), freq="D")
    rows: list[dict[str, object]] = []
    for channel in CHANNELS:
        paid = float(table.loc[channel.name, "impressions"])
        for campaign, share in campaign_split(month).items():
            for date, weight in zip(dates, day_weights(rng, len(dates)), strict=True):
                part = share * weight
                noise = np.exp(rng.normal(-(IMPRESSION_NOISE**2) / 2, IMPRESSION_NOISE))
                impressions = round(float(paid * part * noise))
                hours = HOURS[channel.name] * part
                rows.append(
                    {
                        "date": date.date().isoformat(),
                        "channel": channel.name,
                        "campaign": campaign,
                        "spend": round(float(spend[channel.name]) * part, 2),
                        "staff_hours": round(hours * 4) / 4,
                        **funnel_draws(rng, channel, impressions),
                    }
                )
    return rows


def make_history(seed: int = SEED) -> pd.DataFrame:
    """The year's history in the generic export's columns (see ``SPANISH_HEADERS``)."""
    rng = np.random.default_rng(seed)
    spend = monthly_spend(rng)
    rows: list[dict[str, object]] = []
    for month in range(1, 13):
        rows.extend(month_rows(rng, month, spend.loc[month], model_month(spend.loc[month])))
    return pd.DataFrame(rows, columns=list(SPANISH_HEADERS))


def spanish(history: pd.DataFrame) -> pd.DataFrame:
    """The same rows as a Spanish Excel export: dd/mm/yyyy dates, Spanish headers."""
    dates = pd.to_datetime(history["date"]).dt.strftime("%d/%m/%Y")
    return history.assign(date=dates).rename(columns=SPANISH_HEADERS)


def main() -> None:
    folder = Path(__file__).parent
    history = make_history()
    history.to_csv(folder / "shop_history.csv", index=False, encoding="utf-8")
    spanish(history).to_csv(
        folder / "shop_history_es.csv", index=False, sep=";", decimal=",", encoding="utf-8-sig"
    )


if __name__ == "__main__":
    main()
