"""Followers and new followers in real exports: the headers of page and Instagram/Facebook
insights, X, LinkedIn and TikTok follower exports in English, Spanish and Portuguese, read as a
flow (new followers) and a stock (the audience, never summed)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from roi_model.files.imports import NoteCode, read_history
from roi_model.files.imports.headers import detect_mapping, match_columns, resolve
from roi_model.model.calibrate import estimate_channels
from roi_model.store import ScenarioStore
from tests.audience_exports import facebook_page_insights_en, instagram_export_pt, page_export_es

# --- Headers -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("headers", "expected"),
    [
        (  # Facebook Page insights, the Page data export ("Key metrics")
            [
                "Date",
                "Lifetime Total Likes",
                "Daily New Likes",
                "Daily Unlikes",
                "Daily Page Engaged Users",
                "Daily Total Reach",
                "Daily Total Impressions",
            ],
            {
                "Date": "date",
                "Lifetime Total Likes": "followers",
                "Daily New Likes": "new_followers",
                "Daily Total Reach": "reach",
                "Daily Total Impressions": "impressions",
            },
        ),
        (  # Meta Business Suite, Instagram posts: "Date" says "Lifetime", the post's time wins
            [
                "Post ID",
                "Account username",
                "Publish time",
                "Permalink",
                "Post type",
                "Date",
                "Views",
                "Reach",
                "Likes",
                "Shares",
                "Follows",
                "Comments",
                "Saves",
            ],
            {
                "Publish time": "date",
                "Views": "video_views",
                "Reach": "reach",
                "Likes": "likes",
                "Shares": "shares",
                "Follows": "new_followers",
                "Comments": "comments",
                "Saves": "saves",
            },
        ),
        (  # X account analytics, overview
            ["Date", "Impressions", "Likes", "Engagements", "New follows", "Unfollows", "Replies"],
            {
                "Date": "date",
                "Impressions": "impressions",
                "Likes": "likes",
                "New follows": "new_followers",
                "Replies": "comments",
            },
        ),
        (  # LinkedIn page analytics, followers ("New followers" sheet): the total is the day's
            [
                "Date",
                "Sponsored followers",
                "Organic followers",
                "Auto-invited followers",
                "Total followers",
            ],
            {"Date": "date", "Total followers": "new_followers"},
        ),
        (  # TikTok analytics, follower history: net growth is not new followers
            ["Date", "Followers", "Difference in followers from previous day"],
            {"Date": "date", "Followers": "followers"},
        ),
        (  # Meta Ads Manager: the Page likes an ad won
            [
                "Reporting starts",
                "Campaign name",
                "Amount spent (EUR)",
                "Post reactions",
                "Page likes",
            ],
            {
                "Reporting starts": "date",
                "Campaign name": "campaign",
                "Amount spent (EUR)": "spend",
                "Post reactions": "likes",
                "Page likes": "new_followers",
            },
        ),
        (
            ["Fecha", "Impresiones", "Nuevos seguidores", "Seguidores"],
            {
                "Fecha": "date",
                "Impresiones": "impressions",
                "Nuevos seguidores": "new_followers",
                "Seguidores": "followers",
            },
        ),
        (
            ["Hora de publicación", "Me gusta", "Seguimientos"],
            {"Hora de publicación": "date", "Me gusta": "likes", "Seguimientos": "new_followers"},
        ),
        (
            ["Data", "Impressões", "Novos seguidores", "Seguidores", "Curtidas"],
            {
                "Data": "date",
                "Impressões": "impressions",
                "Novos seguidores": "new_followers",
                "Seguidores": "followers",
                "Curtidas": "likes",
            },
        ),
    ],
)
def test_follower_headers_of_real_exports(headers: list[str], expected: dict[str, str]) -> None:
    assert detect_mapping(headers) == expected


@pytest.mark.parametrize(
    "likes", ["Likes", "Me gusta", "Curtidas", "Total likes", "Post reactions", "Reacciones"]
)
def test_likes_stay_likes(likes: str) -> None:
    """A post's likes are engagement; only a page's likes (its fans) are followers."""
    assert detect_mapping([likes]) == {likes: "likes"}


def test_linkedins_parts_are_named_as_left_for_its_total() -> None:
    headers = [
        "Date",
        "Sponsored followers",
        "Organic followers",
        "Auto-invited followers",
        "Total followers",
    ]
    _, notes = resolve(match_columns(headers))
    (note,) = notes
    assert note.code is NoteCode.TWO_COLUMNS
    assert note.params_dict()["used"] == "Total followers"


# --- Files ---------------------------------------------------------------------------------


def test_a_facebook_page_export_in_english() -> None:
    result = read_history(facebook_page_insights_en(), channel="Facebook")
    assert result.mapping == {
        "Date": "date",
        "Lifetime Total Likes": "followers",
        "Daily New Likes": "new_followers",
        "Daily Total Reach": "reach",
        "Daily Total Impressions": "impressions",
    }
    assert len(result.rows) == 120 and [s.line for s in result.skipped] == [2]  # descriptions
    # New likes summed: 5 a day over 120 days. The audience is the last day's, 10,000 + 3 * 120.
    assert result.totals()["new_followers"] == 600
    assert result.totals()["followers"] == 10_360
    assert "Daily Unlikes" in result.unused_numbers
    estimates = {e.field: e for e in estimate_channels(result.rows)}
    # Month ends: January 10,093, February 10,177, March 10,270, April 10,360. Impressions
    # 31,000 + 28,000 + 31,000 + 30,000; new likes 155 + 140 + 155 + 150.
    assert estimates["follow_rate"].value == pytest.approx(600 / 120_000)
    # Lost: February 10,093 + 140 - 10,177 = 56, March 62, April 60 (the unlikes, 2 a day).
    assert estimates["follower_churn"].value == pytest.approx(178 / (10_093 + 10_177 + 10_270))
    assert estimates["followers"].value == 10_360


def test_a_spanish_export_with_campaign_rows_and_spanish_numbers() -> None:
    result = read_history(page_export_es())
    assert (result.delimiter, result.decimal, result.date_order) == (";", ",", "dmy")
    assert result.mapping["Nuevos seguidores"] == "new_followers"
    assert result.mapping["Seguidores"] == "followers"
    assert len(result.rows) == 64 and [s.line for s in result.skipped] == [2]
    totals = result.totals()
    assert totals["spend"] == pytest.approx(64 * 1_234.5)
    # The audience at the end: Facebook 20,000 + 30 * 16, Instagram 9,000 + 50 * 16.
    assert totals["followers"] == 20_480 + 9_800
    assert not [n for n in result.warnings if n.code is NoteCode.TOTAL_MISMATCH]
    estimates = {(e.channel, e.field): e.value for e in estimate_channels(result.rows)}
    # Facebook: 200 new followers a month (8 rows of 25) on 40,000 impressions; month ends
    # 20,120, 20,240, 20,360, 20,480, so 200 - 120 = 80 lost a month.
    assert estimates[("Facebook", "follow_rate")] == pytest.approx(0.005)
    assert estimates[("Facebook", "follower_churn")] == pytest.approx(240 / 60_720)
    assert estimates[("Facebook", "followers")] == 20_480
    # Instagram: 320 a month; month ends 9,200, 9,400, 9,600, 9,800: 120 lost a month.
    assert estimates[("Instagram", "follow_rate")] == pytest.approx(0.008)
    assert estimates[("Instagram", "follower_churn")] == pytest.approx(360 / 28_200)


def test_a_portuguese_instagram_export() -> None:
    result = read_history(instagram_export_pt(), channel="Instagram")
    assert result.decimal == "," and result.currency == "BRL"
    assert result.mapping["Novos seguidores"] == "new_followers"
    assert result.mapping["Seguidores"] == "followers"
    assert result.totals()["followers"] == 5_600 and result.totals()["spend"] == 1_500
    estimates = {e.field: e.value for e in estimate_channels(result.rows)}
    # 8 a day on 2,000 impressions a day; month ends 5,155, 5,295, 5,450, 5,600 and the month's
    # new followers 248, 224, 248, 240: lost 84, 93, 90.
    assert estimates["follow_rate"] == pytest.approx(0.004)
    assert estimates["follower_churn"] == pytest.approx(267 / (5_155 + 5_295 + 5_450))
    assert estimates["followers"] == 5_600


def test_a_table_wide_by_channel_gives_each_channel_its_audience() -> None:
    data = (
        b"Fecha;Facebook seguidores;Instagram seguidores;"
        b"Facebook impresiones;Instagram impresiones\n"
        b"31/01/2025;1.000;2.000;10.000;20.000\n"
        b"28/02/2025;1.100;2.300;11.000;21.000\n"
    )
    result = read_history(data)
    rows = result.rows.set_index(["channel", "date"])["followers"]
    assert rows.loc["Instagram"].tolist() == [2_000, 2_300]
    assert result.totals()["followers"] == 1_100 + 2_300


def test_an_ads_result_of_page_likes_is_new_followers() -> None:
    data = (
        b"Day,Amount spent (EUR),Results,Result indicator\n"
        b"2025-09-01,10,4,actions:like\n"
        b"2025-09-01,20,3,actions:lead\n"
    )
    result = read_history(data, channel="Facebook")
    assert result.totals()["new_followers"] == 4 and result.totals()["leads"] == 3


def test_instagram_posts_are_dated_by_their_publish_time() -> None:
    """Meta Business Suite's posts export: its "Date" column says "Lifetime"."""
    data = (
        b"Post ID,Account username,Publish time,Permalink,Post type,Date,Views,Reach,Likes,"
        b"Shares,Follows,Comments,Saves\n"
        b"1801,club,03/27/2025 06:08,https://www.instagram.com/p/a/,IG image,Lifetime,"
        b"160,45,5,3,1,2,4\n"
        b"1802,club,04/02/2025 10:00,https://www.instagram.com/p/b/,IG reel,Lifetime,"
        b"260,95,15,5,4,3,8\n"
    )
    result = read_history(data, channel="Instagram")
    assert result.date_range() == (date(2025, 3, 27), date(2025, 4, 2))
    assert result.totals()["new_followers"] == 5


def test_a_kept_history_keeps_a_column_mapped_to_the_audience(tmp_path: Path) -> None:
    data = facebook_page_insights_en()
    mapping = {"Daily Unlikes": "", "Lifetime Total Likes": "followers"}
    with ScenarioStore(tmp_path / "store.db") as store:
        client = store.create_client("Acme")
        kept = store.keep_history(client.id, "page.csv", data, channel="Facebook", mapping=mapping)
        stored = store.load_history(kept.id)
    assert stored.mapping == mapping
    result = read_history(stored.data, channel=stored.channel, mapping=stored.mapping)
    assert result.totals()["followers"] == 10_360
