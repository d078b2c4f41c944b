"""Publication dates from metadata strings and from date lines near the top of a text.

A date keeps the precision the source gives (day | month | year); a day and month
without a year is not a date (the year is never guessed).
"""

from __future__ import annotations

import re
from datetime import date

Dated = tuple[date | None, str]
UNKNOWN: Dated = (None, "unknown")

_MONTHS = {
    "january": 1, "february": 2, "march": 3, "april": 4, "may": 5, "june": 6, "july": 7,
    "august": 8, "september": 9, "october": 10, "november": 11, "december": 12,
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "jun": 6, "jul": 7, "aug": 8, "sep": 9, "sept": 9,
    "oct": 10, "nov": 11, "dec": 12,
    # Russian, nominative and genitive
    "январь": 1, "января": 1, "февраль": 2, "февраля": 2, "март": 3, "марта": 3, "апрель": 4,
    "апреля": 4, "май": 5, "мая": 5, "июнь": 6, "июня": 6, "июль": 7, "июля": 7, "август": 8,
    "августа": 8, "сентябрь": 9, "сентября": 9, "октябрь": 10, "октября": 10, "ноябрь": 11,
    "ноября": 11, "декабрь": 12, "декабря": 12,
}  # fmt: skip
_MONTH = r"(?P<month>[^\W\d_]{3,9})\.?"
_YEAR = r"(?P<year>(?:19|20)\d\d)"
_DAY = r"(?P<day>[0-3]?\d)(?:st|nd|rd|th)?"
_TIME = r"(?:[,\s]+(?:at\s+|в\s+)?\d{1,2}[:.]\d\d(?::\d\d)?\s*(?:am|pm|a\.m\.|p\.m\.)?(?:\s*\(?[A-Z]{2,5}(?:[+-]\d{1,2})?\)?)?)?"
_WEEKDAY = r"(?:(?:mon|tues|wednes|thurs|fri|satur|sun)day,?\s+)?"

_PATTERNS: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(p, re.IGNORECASE), precision)
    for p, precision in (
        (
            rf"{_YEAR}-(?P<mnum>[01]\d)-(?P<day>[0-3]\d)(?:[T\s]\d\d:\d\d(?::\d\d(?:\.\d+)?)?(?:Z|[+-]\d\d:?\d\d)?)?",
            "day",
        ),
        (rf"{_WEEKDAY}{_MONTH}\s+{_DAY},?\s+{_YEAR}{_TIME}", "day"),
        (rf"{_WEEKDAY}{_DAY}(?:\s+of)?\s+{_MONTH},?\s+{_YEAR}(?:\s*(?:г\.|года))?{_TIME}", "day"),
        (rf"(?P<day>[0-3]?\d)\.(?P<mnum>[01]?\d)\.{_YEAR}{_TIME}", "day"),
        (rf"{_YEAR}/(?P<mnum>[01]?\d)/(?P<day>[0-3]?\d)", "day"),
        (rf"{_MONTH},?\s+{_YEAR}(?:\s*(?:г\.|года))?", "month"),
        (rf"{_YEAR}-(?P<mnum>[01]\d)", "month"),
        (rf"{_YEAR}", "year"),
    )
)
_LINE_PREFIX = re.compile(
    r"^(?:(?:first\s+)?(?:published|posted|updated|last\s+updated|modified|date|dated|опубликовано|дата)"
    r"(?:\s+on)?\s*:?\s*)?",
    re.IGNORECASE,
)
_LEADING_TIME = re.compile(r"^\d{1,2}:\d\d\s*(?:[/|,·•-]\s*)?")  # '12:34 / 21.04.2021'
_MAX_LINE = 90


def parse_date(value: str | None) -> Dated:
    """A metadata value ('2021-04-21', '2021-04-21T10:00:00Z', 'April 2021', '2021') -> date."""
    if not value:
        return UNKNOWN
    return _match_whole(value.strip()[:_MAX_LINE])


def parse_date_line(line: str) -> Dated:
    """A line that is only a date, maybe with 'Published on' / a weekday / a time around it, or a
    meta line of such parts ('Published: 25th March 2017 08:35 PM | Last Updated: ...'), whose
    first dated part counts."""
    text = line.strip()
    if "|" in text and _LINE_PREFIX.match(text).group():
        for part in text.split("|"):
            if _LINE_PREFIX.match(part.strip()).group():
                dated = parse_date_line(part)
                if dated[0] is not None:
                    return dated
        return UNKNOWN
    if not text or len(text) > _MAX_LINE:
        return UNKNOWN
    rest = _LINE_PREFIX.sub("", text, count=1).strip(" |·•-–—")
    rest = _LEADING_TIME.sub("", rest, count=1)
    parsed = _match_whole(rest)
    # A lone number is a page number or a count, not a publication year.
    if parsed[1] == "year" and not _LINE_PREFIX.match(text).group():
        return UNKNOWN
    return parsed


def _match_whole(text: str) -> Dated:
    for pattern, precision in _PATTERNS:
        match = pattern.fullmatch(text)
        if match:
            built = _build(match, precision)
            if built[0] is not None:
                return built
    return UNKNOWN


def _build(match: re.Match[str], precision: str) -> Dated:
    groups = match.groupdict()
    year = int(groups["year"])
    if groups.get("mnum"):
        month: int | None = int(groups["mnum"])
    elif groups.get("month"):
        month = _MONTHS.get(groups["month"].lower().rstrip("."))
        if month is None:
            return UNKNOWN
    else:
        month = None
    day = int(groups["day"]) if groups.get("day") else None
    try:
        if precision == "day" and month and day:
            return date(year, month, day), "day"
        if precision == "month" and month:
            return date(year, month, 1), "month"
        if precision == "year":
            return date(year, 1, 1), "year"
    except ValueError:
        return UNKNOWN
    return UNKNOWN


# 'Bishkek – 24.kg news agency, Jane Roe': the place / outlet / author tail of a dated meta line
_META_TAIL = re.compile(r"^[\s,|·•/–—-]+(?P<tail>(?:[^!?;:\"“”.]|\.(?=\S))*[^!?;:\"“”.\s])$")
_META_TAIL_WORDS = 10
_META_TAIL_SHORT = 3  # a longer tail needs a separator ('Bishkek – Agency'), or it may be a headline
_META_SEPARATOR = re.compile(r"[|·•–—,]|\s-\s")


def parse_dated_meta(line: str) -> Dated:
    """A meta line that opens with a full date (maybe after a time) and goes on with a short place,
    outlet or author tail: '16:05, 22 May 2025 Bishkek – 24.kg news agency'. Only a day-precision
    date counts, so a headline that merely starts with a month or year is not taken for one."""
    text = line.strip()
    if not text or len(text) > _MAX_LINE:
        return UNKNOWN
    rest = _LINE_PREFIX.sub("", text, count=1).strip(" |·•-–—")
    rest = _LEADING_TIME.sub("", rest, count=1)
    for pattern, precision in _PATTERNS:
        if precision != "day":
            continue
        match = pattern.match(rest)
        if match is None or match.end() == len(rest):
            continue
        tail = _META_TAIL.match(rest[match.end() :])
        if tail is None or len(tail["tail"].split()) > _META_TAIL_WORDS:
            continue
        if len(tail["tail"].split()) > _META_TAIL_SHORT and not _META_SEPARATOR.search(tail["tail"]):
            continue
        built = _build(match, precision)
        if built[0] is not None:
            return built
    return UNKNOWN
