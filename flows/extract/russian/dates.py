"""Russian date expressions, with the precision the text gives (lexical work only).

'29 сентября 2024 года' -> day; 'в июле 2018 года' -> month; 'в 2024 году' -> year;
'9 июня' alone -> a day and month with no year (`day_month`); 'сегодня', 'вчера',
'в прошлом году' count from the article's own date when it has one, and so, for a detention
(which has happened by the time it is reported), do '9 июня' and 'в январе'.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta

from flows.extract.dates import leading_date_field

_MONTH_STEMS = {
    "январ": 1, "феврал": 2, "март": 3, "апрел": 4, "ма": 5, "июн": 6, "июл": 7, "август": 8,
    "сентябр": 9, "октябр": 10, "ноябр": 11, "декабр": 12,
}  # fmt: skip
_MONTH = r"(январ[ья]|феврал[ья]|марта?|апрел[ья]|ма[йя]|июн[ья]|июл[ья]|августа?|сентябр[ья]|октябр[ья]|ноябр[ья]|декабр[ья])"
_MONTH_LOC = r"(январе|феврале|марте|апреле|мае|июне|июле|августе|сентябре|октябре|ноябре|декабре)"
_DAY_RX = re.compile(rf"(?i)\b(\d{{1,2}})\s+{_MONTH}(?:\s+(\d{{4}})\s*(?:года|г\.?)?)?")
_MONTH_RX = re.compile(
    rf"(?i)\bв\s+{_MONTH_LOC}(?:\s+(\d{{4}})\s*(?:года|г\.?)?|\s+(текущего|прошлого|этого)\s+года)?"
)
_YEAR_RX = re.compile(r"(?i)\b(?:в|с|до)\s+(\d{4})\s*(?:году|года|г\.)")
_RELATIVE_RX = re.compile(r"(?i)\b(сегодня|вчера|позавчера|в прошлом году|в этом году|в текущем году)\b")
_WEEKDAY_RX = re.compile(r"(?i)\bв(?:о)?\s+(понедельник|вторник|среду|четверг|пятницу|субботу|воскресенье)\b")
_WEEKDAYS = {
    "понедельник": 0,
    "вторник": 1,
    "среду": 2,
    "четверг": 3,
    "пятницу": 4,
    "субботу": 5,
    "воскресенье": 6,
}


def _month(word: str) -> int:
    low = word.lower()
    for stem, number in sorted(_MONTH_STEMS.items(), key=lambda kv: -len(kv[0])):
        if low.startswith(stem):
            return number
    return 0


@dataclass
class RuDate:
    start: int  # offsets in the text searched
    end: int
    value: date | None
    precision: str  # day | month | year | unknown
    day_month: str | None = None


# 'до 10 мая', 'на 12 марта', 'по 5 июня': a deadline or an appointment, not a past event
_FUTURE_LEAD = re.compile(r"(?i)(?:\bдо|\bпо|\bна)\s*$")


def _past_year(anchor: date, month: int, day: int) -> int:
    """The year of the last such day (or month) up to the article's date."""
    return anchor.year if (month, day) <= (anchor.month, anchor.day) else anchor.year - 1


def find_dates(text: str, anchor: date | None = None, *, past: bool = False) -> list[RuDate]:
    """The date phrases of `text`. With `past` (a detention, which has happened by the time it is
    reported), a day and month or a month given without a year ('с 10 февраля', 'в январе') is the
    last one up to the article's date `anchor`, unless a deadline or appointment ('до 10 мая')."""
    out: list[RuDate] = []
    taken: list[tuple[int, int]] = []

    def free(a: int, b: int) -> bool:
        return all(b <= s or a >= e for s, e in taken)

    for m in _DAY_RX.finditer(text):
        day, month = int(m.group(1)), _month(m.group(2))
        if not (1 <= day <= 31 and month):
            continue
        year = int(m.group(3)) if m.group(3) else None
        if year is None and past and anchor and not _FUTURE_LEAD.search(text[: m.start()]):
            year = _past_year(anchor, month, day)
        try:
            value = date(year, month, day) if year else None
        except ValueError:
            continue
        out.append(RuDate(m.start(), m.end(), value, "day" if value else "unknown", f"{month:02d}-{day:02d}"))
        taken.append((m.start(), m.end()))
    for m in _MONTH_RX.finditer(text):
        if not free(m.start(), m.end()):
            continue
        month = _month(m.group(1))
        year = int(m.group(2)) if m.group(2) else None
        if year is None and m.group(3) and anchor:
            year = anchor.year - (1 if m.group(3).lower() == "прошлого" else 0)
        elif year is None and past and anchor:
            year = _past_year(anchor, month, 1)
        out.append(
            RuDate(m.start(), m.end(), date(year, month, 1) if year else None, "month" if year else "unknown")
        )
        taken.append((m.start(), m.end()))
    for m in _YEAR_RX.finditer(text):
        if free(m.start(), m.end()):
            out.append(RuDate(m.start(), m.end(), date(int(m.group(1)), 1, 1), "year"))
            taken.append((m.start(), m.end()))
    if anchor:
        for m in _RELATIVE_RX.finditer(text):
            if not free(m.start(), m.end()):
                continue
            word = m.group(1).lower()
            if word == "сегодня":
                out.append(RuDate(m.start(), m.end(), anchor, "day"))
            elif word == "вчера":
                out.append(RuDate(m.start(), m.end(), anchor - timedelta(days=1), "day"))
            elif word == "позавчера":
                out.append(RuDate(m.start(), m.end(), anchor - timedelta(days=2), "day"))
            elif "прошлом" in word:
                out.append(RuDate(m.start(), m.end(), date(anchor.year - 1, 1, 1), "year"))
            else:
                out.append(RuDate(m.start(), m.end(), date(anchor.year, 1, 1), "year"))
        for m in _WEEKDAY_RX.finditer(text):  # 'в воскресенье': the last such day up to the article's date
            if free(m.start(), m.end()):
                back = (anchor.weekday() - _WEEKDAYS[m.group(1).lower()]) % 7
                out.append(RuDate(m.start(), m.end(), anchor - timedelta(days=back), "day"))
    out.sort(key=lambda d: d.start)
    return out


def page_date(body: str) -> date | None:
    """A full date in the page's first lines (a site header or dateline): the article's own date
    when landing found none, so that 'вчера' and 'в воскресенье' can be counted from it."""
    field = leading_date_field(body)
    if field is not None:
        return field
    head = body[:300]
    for found in find_dates(head):
        if found.value and found.precision == "day":
            return found.value
    m = re.search(r"\b(20\d\d)-(\d\d)-(\d\d)\b", head)
    if m:
        try:
            return date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
        except ValueError:
            return None
    m = re.search(r"\b(\d\d)\.(\d\d)\.(20\d\d)\b", head)  # '10.07.2023, 12:30'
    if m:
        try:
            return date(int(m.group(3)), int(m.group(2)), int(m.group(1)))
        except ValueError:
            return None
    return None
