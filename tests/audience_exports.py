"""Follower exports shaped like the real ones (their headers, their quirks, numbers made up to
be worked out by hand): Facebook's Page data export in English, a Spanish export by channel and
campaign, a Brazilian Instagram export. The tests of the importer, the calibration and the page
read them."""

from __future__ import annotations

from datetime import date, timedelta


def days(first: date, last: date) -> list[date]:
    return [first + timedelta(d) for d in range((last - first).days + 1)]


YEAR_2025 = days(date(2025, 1, 1), date(2025, 4, 30))  # 120 days: January to April


_DESCRIPTIONS = (
    ',"Lifetime: The total number of people who have liked your Page. (Unique Users)"'
    ',"Daily: The number of new people who have liked your Page. (Unique Users)"'
    ',"Daily: The number of Unlikes of your Page (Unique Users)"'
    ',"Daily: The number of people who had any content from your Page or about your Page enter'
    ' their screen. (Unique Users)"'
    ',"Daily: The number of times any content from your Page or about your Page entered a'
    " person's screen. (Total Count)\"\n"
)


def facebook_page_insights_en() -> bytes:
    """Facebook's Page data export as CSV: a line of descriptions under the header, M/D/YYYY
    dates, one row a day. Each day 1,000 impressions, 5 new likes, 2 unlikes: the audience
    grows by 3 a day from 10,000."""
    lines = [
        "Date,Lifetime Total Likes,Daily New Likes,Daily Unlikes,Daily Total Reach,"
        "Daily Total Impressions\n",
        _DESCRIPTIONS,
    ]
    for number, day in enumerate(YEAR_2025, start=1):
        lines.append(f"{day.month}/{day.day}/{day.year},{10_000 + 3 * number},5,2,800,1000\n")
    return "".join(lines).encode()


def spanish_number(number: float, decimals: int = 0) -> str:
    """A number as a Spanish spreadsheet writes it: 1.234,5."""
    text = f"{number:,.{decimals}f}"
    return text.replace(",", "_").replace(".", ",").replace("_", ".")


def page_export_es() -> bytes:
    """A Spanish export by channel and campaign (semicolons, dd/mm/aaaa, 1.234,5), a total row
    first as Meta writes it. Every week of four months, two campaigns a channel, each row
    carrying its page's audience: Facebook from 20.000 and 30 more a week (25 new followers a
    row), Instagram from 9.000 and 50 more a week (40 a row); 5.000 impressions a row."""
    growth = {"Facebook": (20_000, 30, 25), "Instagram": (9_000, 50, 40)}
    rows = []
    for month in range(1, 5):
        for week in range(1, 5):
            when = f"{7 * week:02d}/{month:02d}/2025"
            for channel, (start, weekly, new) in growth.items():
                audience = start + weekly * (4 * (month - 1) + week)
                for campaign in ("Marca", "Ventas"):
                    cells = [
                        when,
                        channel,
                        campaign,
                        "1.234,5",
                        "5.000",
                        str(new),
                        spanish_number(audience),
                    ]
                    rows.append(";".join(cells) + "\n")
    header = "Fecha;Canal;Campaña;Importe gastado (EUR);Impresiones;Nuevos seguidores;Seguidores\n"
    # The total row: sums of the flows; the audience there is the latest one, not a sum.
    sums = [spanish_number(64 * 1_234.5, 1), spanish_number(320_000), "2.080"]
    total = ";".join(["", "", "Total", *sums, spanish_number(20_480 + 9_800)]) + "\n"
    return (header + total + "".join(rows)).encode("utf-8")


def instagram_export_pt() -> bytes:
    """A Brazilian Instagram export (quoted, 1.000 and 12,50, ISO dates), one row a day: 2.000
    impressions, 8 new followers and 3 lost, from 5.000."""
    lines = ['"Data","Valor usado (BRL)","Impressões","Novos seguidores","Seguidores"\n']
    for number, day in enumerate(YEAR_2025, start=1):
        audience = f"{5_000 + 5 * number:,}".replace(",", ".")
        lines.append(f'"{day.isoformat()}","12,50","2.000","8","{audience}"\n')
    return "".join(lines).encode("utf-8")
