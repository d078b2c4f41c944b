"""Date expressions: normalisation, precision, anchors, paragraph years, and never inventing a year."""

from __future__ import annotations

from datetime import date

import pytest

from flows.extract.dates import dateline_date, find_dates, plausible_date, resolve_date

ANCHOR = date(2020, 11, 6)  # a Friday


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("in March 2016", (date(2016, 3, 1), "month")),
        ("February 27, 2005", (date(2005, 2, 27), "day")),
        ("27 February 2005", (date(2005, 2, 27), "day")),
        ("in 2021", (date(2021, 1, 1), "year")),
        ("on 2019-06-09", (date(2019, 6, 9), "day")),
        ("on 09.06.2019", (date(2019, 6, 9), "day")),
        ("December 16th and 17th of 2011", (date(2011, 12, 16), "day")),
        ("in May2019", (date(2019, 5, 1), "month")),
        ("April, 18, 2021", (date(2021, 4, 18), "day")),
        ("By December 2024", (date(2024, 12, 1), "month")),
        ("two months after March 2022", (date(2022, 5, 1), "month")),
        ("three years before 2010", (date(2007, 1, 1), "year")),
    ],
)
def test_explicit_dates_need_no_anchor(text: str, expected: tuple[date, str]) -> None:
    assert resolve_date(text, None, "unknown") == expected


@pytest.mark.parametrize(
    "text",
    [
        "On April 26 Kazakhstan will vote",
        "June 8-10",
        "March last year",
        "early January",
        "on Monday",
        "this February",
        "two years ago",
        "April the 16th",
    ],
)
def test_never_invent_a_year_without_anchor(text: str) -> None:
    assert resolve_date(text, None, "unknown") == (None, "unknown")


def test_day_month_is_kept_when_the_year_is_unknown() -> None:
    [m] = find_dates("the January 10 parliamentary election")
    assert (m.value, m.precision, m.day_month) == (None, "unknown", "01-10")
    [m] = find_dates("leave the city on June 8-10")
    assert m.day_month == "06-08"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("March last year", (date(2019, 3, 1), "month")),
        ("on Monday", (date(2020, 11, 2), "day")),
        ("this February", (date(2020, 2, 1), "month")),
        ("last year", (date(2019, 1, 1), "year")),
        ("two years ago", (date(2018, 1, 1), "year")),
        ("January 10", (date(2021, 1, 10), "day")),  # nearest to the anchor
        ("June 8-10", (date(2020, 6, 8), "day")),
        ("yesterday", (date(2020, 11, 5), "day")),
    ],
)
def test_relative_dates_use_the_publication_date(text: str, expected: tuple[date, str]) -> None:
    assert resolve_date(text, ANCHOR, "day") == expected


def test_tense_hint_picks_past_or_future_occurrence() -> None:
    assert resolve_date("early January", ANCHOR, "day", prefer="past") == (date(2020, 1, 1), "month")
    assert resolve_date("early January", ANCHOR, "day", prefer="future") == (date(2021, 1, 1), "month")


def test_weekday_needs_a_day_precise_anchor() -> None:
    assert resolve_date("on Monday", date(2020, 11, 1), "month") == (None, "unknown")


@pytest.mark.parametrize(
    "text",
    [
        "a decade",
        "three decades in power",
        "in the last 2 years",
        "1,000 Kazakh citizens",
        "from 20,000 to 5,000",
        "1.8 billion tenge",
        "the 107-seat Majlis",
        "in the 1990s",
        "a 22-year-old student",
        "you may 5 times",
    ],
)
def test_durations_and_numbers_are_not_dates(text: str) -> None:
    assert find_dates(text) == []


def test_paragraph_year_settles_a_bare_day() -> None:
    paragraph = "On February 27, 2005, the parliamentary elections were held. "
    [m] = find_dates("On march 9th, protestors gathered in Osh.", context_text=paragraph)
    assert (m.value, m.precision) == (date(2005, 3, 9), "day")
    # a year stated earlier in the same sentence settles it too
    dates = find_dates("She left on April 15, 2010, and resigned the very next day, April the 16th.")
    assert [d.value for d in dates] == [date(2010, 4, 15), date(2010, 4, 16)]
    # ... but a year stated *after* a bare day does not travel backwards
    dates = find_dates("On April 26 the country will vote. For 2015 growth will be slow.")
    assert dates[0].value is None and dates[0].day_month == "04-26"


def test_spun_month_and_lowercase_month() -> None:
    assert resolve_date("within the Might 2022 referendum") == (date(2022, 5, 1), "month")
    assert find_dates("the protesters march on") == []


def test_offsets_index_the_searched_text() -> None:
    text = "He was arrested in February 2022 and convicted in April 2023."
    for m in find_dates(text, offset=100):
        assert text[m.start - 100 : m.end - 100] == m.text


# ------------------------------------------------------------------ rules added for unseen text


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("in Sunday's snap election", (date(2020, 11, 1), "day")),  # wire style: the most recent Sunday
        ("Monday's verdict", (date(2020, 11, 2), "day")),
        ("were detained last month", (date(2020, 10, 1), "month")),
        ("earlier this month", (date(2020, 11, 1), "month")),
        ("during the January unrest", (date(2020, 1, 1), "month")),
        ("a January referendum", (date(2020, 1, 1), "month")),
    ],
)
def test_more_relative_dates(text: str, expected: tuple[date, str]) -> None:
    assert resolve_date(text, ANCHOR, "day", prefer="past") == expected


@pytest.mark.parametrize("text", ["last month", "Sunday's vote", "the January unrest"])
def test_relative_dates_still_need_an_anchor(text: str) -> None:
    assert resolve_date(text, None, "unknown") == (None, "unknown")


@pytest.mark.parametrize(
    "text",
    ["first arrested in 1979", "the 1937 purges", "planned for 2049", "two years after 1980"],
)
def test_dates_outside_the_warehouse_range_are_dropped(text: str) -> None:
    # the warehouse holds 1985 .. one year ahead; older or far-future dates become NULL / unknown
    assert resolve_date(text) == (None, "unknown")


def test_plausible_date_bounds() -> None:
    today = date(2026, 11, 22)
    assert plausible_date(date(1985, 1, 1), today) and plausible_date(date(2027, 11, 1), today)
    assert not plausible_date(date(1984, 12, 31), today) and not plausible_date(date(2028, 1, 1), today)


def test_articles_before_a_lowercase_month_are_not_months() -> None:
    assert find_dates("the march on the capital") == []
    assert find_dates("a may day") == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("(Berlin, February 1, 2023) – An Uzbek court has sentenced", (date(2023, 2, 1), "day")),
        ("DUSHANBE, December 9, 2022, Asia-Plus", (date(2022, 12, 9), "day")),
        ("BISHKEK, 24.kg news agency. 14/09/2023 15:20", (date(2023, 9, 14), "day")),
        ("March 2, 2023\n\nALMATY -- A court", (date(2023, 3, 2), "day")),
        ("On January 31, 2023, the court sentenced him.", (None, "unknown")),  # a lede, not a dateline
        ("ALMATY, Nov 21 (Reuters) - Kazakh President", (None, "unknown")),  # no year
        ("The 2021 election was rigged.", (None, "unknown")),
    ],
)
def test_dateline(text: str, expected: tuple[date | None, str]) -> None:
    assert dateline_date(text) == expected
