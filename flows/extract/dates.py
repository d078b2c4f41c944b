"""Date expressions in news text: find them, and normalise them to (date, precision).

Precision is day | month | year | unknown. A date stored with month precision is the
first of that month ('in March 2016' -> 2016-03-01), with year precision the 1st of
January. The one hard rule: never invent a year. A day or month without a year is
settled only by an explicit year in its own context (the same paragraph, stated
before it) or by the article's publication date (the anchor); otherwise the value
is None with precision 'unknown', and `day_month` keeps what the text did say.

Durations ('a decade', 'three decades', 'in the last 2 years') are not dates and
are never matched.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date, timedelta

from flows.extract.rules.lexicon import UNITS

MONTHS: dict[str, int] = {
    "january": 1,
    "jan": 1,
    "february": 2,
    "feb": 2,
    "march": 3,
    "mar": 3,
    "april": 4,
    "apr": 4,
    "may": 5,
    "june": 6,
    "jun": 6,
    "july": 7,
    "jul": 7,
    "august": 8,
    "aug": 8,
    "september": 9,
    "sept": 9,
    "sep": 9,
    "october": 10,
    "oct": 10,
    "november": 11,
    "nov": 11,
    "december": 12,
    "dec": 12,
}
WEEKDAYS = {"monday": 0, "tuesday": 1, "wednesday": 2, "thursday": 3, "friday": 4, "saturday": 5, "sunday": 6}
# "two months after", "a year later": the article and the small numbers the number lexicon has.
NUMBER_WORDS = {"a": 1, "an": 1, **{word: value for word, value in UNITS.items() if 1 <= value <= 12}}

# Full month names are matched case-insensitively; 'May' and 'March' double as a modal
# verb and a verb, so a bare lowercase 'may'/'march' is only a month next to a day or year.
# 'Might' + year is the spun-text ("article spinner") rendering of 'May' + year.
_MONTH_NAMES = (
    r"January|February|March|April|May|June|July|August|September|October|November|December"
    r"|Jan\.?|Feb\.?|Mar\.?|Apr\.?|Jun\.?|Jul\.?|Aug\.?|Sept?\.?|Oct\.?|Nov\.?|Dec\.?"
)
M = rf"(?P<month>{_MONTH_NAMES})"
M2 = rf"(?P<month2>{_MONTH_NAMES})"
D = r"(?P<day>[0-3]?\d)(?:st|nd|rd|th)?"
D2 = r"(?P<day2>[0-3]?\d)(?:st|nd|rd|th)?"
Y = r"(?P<year>(?:19|20)\d\d)(?![\d,.]*\d)(?!\s*%)"
_NOT_NUM_BEFORE = r"(?<![\d$€£.,\-/])"

# Ordered: longer and more explicit forms first; a span taken by one form is not re-matched.
_PATTERNS: list[tuple[str, re.Pattern[str]]] = [
    ("iso", re.compile(rf"{_NOT_NUM_BEFORE}{Y}-(?P<mnum>[01]\d)-(?P<dnum>[0-3]\d)\b")),
    ("dotted", re.compile(rf"{_NOT_NUM_BEFORE}(?P<dnum>[0-3]?\d)\.(?P<mnum>[01]?\d)\.{Y}")),
    # December 16th and 17th of 2011 / June 8-10, 2020 / April 9, 2005 / April the 16th, 2010
    (
        "mdy",
        re.compile(
            rf"\b{M}\s*,?\s+(?:the\s+)?{D}(?:\s*(?:-|–|and|to)\s*{D2})?(?:\s*,\s*|\s+of\s+|\s+){Y}", re.I
        ),
    ),
    # 16 and 17 December 2011 / 27 February 2005 / 16th of December, 2011
    (
        "dmy",
        re.compile(rf"{_NOT_NUM_BEFORE}\b{D}(?:\s*(?:-|–|and|to)\s*{D2})?\s+(?:of\s+)?{M}\s*,?\s*{Y}", re.I),
    ),
    # early/mid/late January 2022, March 2016, May2019
    (
        "my",
        re.compile(
            rf"\b(?P<part>early|mid|late|end of|beginning of|the end of)?-?\s*{M}\s*,?\s*(?:of\s+)?{Y}", re.I
        ),
    ),
    ("spun_my", re.compile(rf"\b(?P<month>Might)\s+{Y}")),
    # March last year / this February / last December
    (
        "rel_month",
        re.compile(
            rf"\b(?:(?P<which>this|last|next|past)\s+{M}|{M2}\s+(?P<which2>last|this|next)\s+year)\b", re.I
        ),
    ),
    # June 8-10 / January 10 / April the 16th / march 9th
    (
        "md",
        re.compile(
            rf"\b{M}\s+(?:the\s+)?{D}(?:\s*(?:-|–|and|to)\s*{D2})?\b(?!\s*(?:%|per|percent|million|billion))",
            re.I,
        ),
    ),
    # 3 February / 16th of December
    ("dm", re.compile(rf"{_NOT_NUM_BEFORE}\b{D}(?:\s*(?:-|–|and|to)\s*{D2})?\s+(?:of\s+)?{M}\b", re.I)),
    (
        "rel_year",
        re.compile(r"\b(?P<which>this|last|next|past)\s+year\b|\b(?P<ago>[\w-]+)\s+years?\s+ago\b", re.I),
    ),
    (
        "rel_day",
        re.compile(
            r"\b(?:(?:on|last|this|next)\s+)(?P<weekday>Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)\b"
            # wire style: "Sunday's election", "Monday's verdict"
            r"|\b(?P<weekday2>Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)['’]s\b"
            # wire style with no preposition: 'Police said Saturday they have detained 67'
            r"|(?<!\bevery )(?<!\beach )(?-i:\b(?P<weekday3>Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)\b)"
            r"(?!\s*(?:,\s*)?(?:\d|January|February|March|April|May|June|July|August|September|October|November|December))"
            r"|\b(?P<deictic>yesterday|today)\b",
            re.I,
        ),
    ),
    # last month / earlier this month / next month (a month relative to the publication date)
    ("rel_unit", re.compile(r"\b(?P<which>last|this|next|past)\s+month\b", re.I)),
    # early January / in March / during the January unrest / a January referendum (a month with no
    # year); needs a preposition, modifier or article before it
    (
        "m",
        re.compile(
            rf"\b(?P<part>early|mid|late|end of|beginning of|the end of|in|since|until|by|from|during|of|after"
            rf"|before|the|a|an)(?:\s+the)?-?\s+{M}\b(?!\s*\d)",
            re.I,
        ),
    ),
    (
        "year",
        re.compile(rf"{_NOT_NUM_BEFORE}\b(?P<part>early|mid|late|the end of)?\s*{Y}\b(?!['’]?s\b)(?!-\d)"),
    ),
]

# What each form cannot match without, checked once per text: most sentences have no date, and a
# single cheap search spares the case-insensitive scans of a dozen patterns.
_HINTS: dict[str, re.Pattern[str]] = {
    "digit": re.compile(r"\d"),
    "month": re.compile(r"jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec", re.I),  # every M alternative
    "year": re.compile(r"year", re.I),
    "month_word": re.compile(r"month", re.I),
    "day": re.compile(r"day", re.I),  # weekdays, 'yesterday', 'today'
}
_REQUIRED_HINT: dict[str, str] = {
    "iso": "digit",
    "dotted": "digit",
    "mdy": "digit",
    "dmy": "digit",
    "my": "digit",
    "spun_my": "digit",
    "rel_month": "month",
    "md": "digit",
    "dm": "digit",
    "rel_year": "year",
    "rel_day": "day",
    "rel_unit": "month_word",
    "m": "month",
    "year": "digit",
}

_AMBIGUOUS_MONTHS = {
    "may",
    "march",
    "mar",
    "jan",
    "jun",
    "jul",
    "aug",
    "sep",
    "sept",
    "oct",
    "nov",
    "dec",
    "feb",
    "apr",
}


@dataclass(frozen=True)
class DateMention:
    """A date expression found in text; start/end are offsets in the searched text (+ offset)."""

    start: int
    end: int
    text: str
    value: date | None
    precision: str
    day_month: str | None = None  # 'MM-DD' when the text gives a day and month but no settled year
    explicit_year: bool = False
    kind: str = ""


def _month_no(name: str | None) -> int | None:
    if not name:
        return None
    key = name.lower().rstrip(".")
    if key == "might":
        return 5
    return MONTHS.get(key)


def _safe_date(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


def _count_word(word: str) -> int | None:
    word = word.lower()
    if word.isdigit():
        return int(word)
    return NUMBER_WORDS.get(word)


def _year_for_month(month: int, day: int | None, anchor: date, prefer: str | None) -> int:
    """The year that puts month/day nearest the anchor (or before/after it when `prefer` says so)."""
    candidates = []
    for year in (anchor.year - 1, anchor.year, anchor.year + 1):
        d = _safe_date(year, month, day or 1)
        if d is not None:
            candidates.append(d)
    if prefer == "past":
        past = [d for d in candidates if d <= anchor]
        if past:
            return max(past).year
    elif prefer == "future":
        future = [d for d in candidates if d >= anchor]
        if future:
            return min(future).year
    return min(candidates, key=lambda d: abs((d - anchor).days)).year


def _anchor_usable(anchor: date | None, anchor_precision: str, need: str) -> bool:
    order = {"unknown": 0, "year": 1, "month": 2, "day": 3}
    return anchor is not None and order.get(anchor_precision, 0) >= order[need]


def _interpret(
    kind: str,
    m: re.Match[str],
    anchor: date | None,
    anchor_precision: str,
    context_year: int | None,
    prefer: str | None,
) -> tuple[date | None, str, str | None, bool] | None:
    """(value, precision, day_month, explicit_year) for one match, or None when it is not a date."""
    g = m.groupdict()
    month = _month_no(g.get("month")) if g.get("month") else None
    if g.get("mnum"):
        month = int(g["mnum"])
    day = int(g["day"]) if g.get("day") else (int(g["dnum"]) if g.get("dnum") else None)
    year = int(g["year"]) if g.get("year") else None
    raw_month = (g.get("month") or "").lower().rstrip(".")

    if kind in {"iso", "dotted", "mdy", "dmy"}:
        if month is None or day is None or year is None:
            return None
        value = _safe_date(year, month, day)
        return (value, "day", None, True) if value else None
    if kind in {"my", "spun_my"}:
        return date(year, month, 1), "month", None, True
    if kind == "year":
        return date(year, 1, 1), "year", None, True
    if kind == "rel_month":
        month = month or _month_no(g.get("month2"))
        which = (g.get("which") or g.get("which2") or "").lower()
        if month is None or not _anchor_usable(anchor, anchor_precision, "year"):
            return None, "unknown", None, False
        assert anchor is not None
        if g.get("which2"):  # 'March last year'
            offset = {"last": -1, "this": 0, "next": 1}[which]
            return date(anchor.year + offset, month, 1), "month", None, False
        if which == "this":
            return date(anchor.year, month, 1), "month", None, False
        if not _anchor_usable(anchor, anchor_precision, "month"):
            return None, "unknown", None, False
        if which in {"last", "past"}:
            year = anchor.year if month < anchor.month else anchor.year - 1
        else:
            year = anchor.year if month > anchor.month else anchor.year + 1
        return date(year, month, 1), "month", None, False
    if kind == "rel_year":
        if not _anchor_usable(anchor, anchor_precision, "year"):
            return None, "unknown", None, False
        assert anchor is not None
        if g.get("ago"):
            n = _count_word(g["ago"])
            if n is None:
                return None
            return date(anchor.year - n, 1, 1), "year", None, False
        offset = {"this": 0, "last": -1, "past": -1, "next": 1}[g["which"].lower()]
        return date(anchor.year + offset, 1, 1), "year", None, False
    if kind == "rel_unit":
        if not _anchor_usable(anchor, anchor_precision, "month"):
            return None, "unknown", None, False
        assert anchor is not None
        offset = {"this": 0, "last": -1, "past": -1, "next": 1}[g["which"].lower()]
        total = anchor.year * 12 + anchor.month - 1 + offset
        return date(total // 12, total % 12 + 1, 1), "month", None, False
    if kind == "rel_day":
        if not _anchor_usable(anchor, anchor_precision, "day"):
            return None, "unknown", None, False
        assert anchor is not None
        if g.get("deictic"):
            delta = 1 if g["deictic"].lower() == "yesterday" else 0
            return anchor - timedelta(days=delta), "day", None, False
        target = WEEKDAYS[(g.get("weekday") or g.get("weekday2") or g["weekday3"]).lower()]
        back = (anchor.weekday() - target) % 7  # news reports past days: the most recent such weekday
        if m.group(0).lower().startswith("next"):
            back = -((target - anchor.weekday()) % 7 or 7)
        return anchor - timedelta(days=back), "day", None, False
    if kind in {"md", "dm", "m"}:
        if month is None:
            return None
        if raw_month in _AMBIGUOUS_MONTHS and kind == "m" and not (g.get("month") or "")[:1].isupper():
            return None  # 'in may' is not a month
        if day is not None and not 1 <= day <= 31:
            return None
        day_month = f"{month:02d}-{day:02d}" if day is not None else None
        if context_year is not None:
            value = _safe_date(context_year, month, day or 1)
            if value is not None:
                return value, "day" if day else "month", None, False
        need = "day" if day else "month"
        if anchor is not None and _anchor_usable(anchor, anchor_precision, "month"):
            year = _year_for_month(month, day, anchor, prefer)
            value = _safe_date(year, month, day or 1)
            if value is not None:
                return value, need, None, False
        return None, "unknown", day_month, False
    return None


def _article_before_lowercase_month(kind: str, m: re.Match[str]) -> bool:
    """'the march', 'a may' are not months: after an article only a capitalised month name counts."""
    part = (m.groupdict().get("part") or "").lower()
    return kind == "m" and part in {"the", "a", "an"} and not (m.group("month") or "")[:1].isupper()


def _strip_may_modal(kind: str, m: re.Match[str], text: str) -> bool:
    """True when a lowercase 'may' (a modal verb) or a bare lowercase 'march' is not a month."""
    raw = m.groupdict().get("month") or ""
    if raw[:1].isupper() or raw.lower() not in {"may", "march"}:
        return False
    # 'On march 9th' is a month; 'you may 5' and 'they march in' are not
    return raw.lower() == "may" or kind == "m"


def find_dates(
    text: str,
    anchor: date | None = None,
    anchor_precision: str = "unknown",
    *,
    offset: int = 0,
    context_text: str = "",
    prefer: str | None = None,
) -> list[DateMention]:
    """Every date expression in `text`, left to right, with its normalised value.

    `context_text` is the text of the paragraph before `text`: its last explicit year
    (and explicit years earlier in `text` itself) settle bare 'April 3' / 'early January'.
    `offset` is added to the returned start/end so they can index the article body.
    """
    taken: list[tuple[int, int]] = []
    found: list[tuple[int, int, str, re.Match[str]]] = []
    hints: dict[str, bool] = {}
    for kind, pattern in _PATTERNS:
        hint = _REQUIRED_HINT[kind]
        if hint not in hints:
            hints[hint] = _HINTS[hint].search(text) is not None
        if not hints[hint]:
            continue
        for m in pattern.finditer(text):
            s, e = m.span()
            # leading whitespace / prepositions are part of the match for some forms; trim them
            lead = re.match(
                r"(?i)(?:(?:in|since|until|by|from|during|of|after|before)\s+)?(?:(?:the|a|an)\s+)?",
                text[s:e],
            )
            if lead and kind == "m":
                s += lead.end()
            while s < e and text[s].isspace():
                s += 1
            if any(s < te and ts < e for ts, te in taken):
                continue
            if _strip_may_modal(kind, m, text) or _article_before_lowercase_month(kind, m):
                continue
            taken.append((s, e))
            found.append((s, e, kind, m))
    found.sort(key=lambda item: item[0])

    results: list[DateMention] = []
    for s, e, kind, m in found:
        ctx_year = _context_year(context_text + text[:s]) if kind in {"md", "dm", "m"} else None
        interpreted = _interpret(kind, m, anchor, anchor_precision, ctx_year, prefer)
        if interpreted is None:
            continue
        value, precision, day_month, explicit = interpreted
        if value is not None and not plausible_date(value):
            # 'first arrested in 1979', 'by 2050': a real expression, but outside what the warehouse
            # records (1985 to a year ahead); it stays a date mention so nothing else claims its span
            value, precision = None, "unknown"
        results.append(
            DateMention(s + offset, e + offset, text[s:e], value, precision, day_month, explicit, kind)
        )
    return results


EARLIEST_YEAR = 1985  # the warehouse covers post-Soviet politics; older dates are history, not facts


def plausible_date(value: date, today: date | None = None) -> bool:
    """True for dates the warehouse may hold: from 1985 to one year after today."""
    today = today or date.today()
    return value.year >= EARLIEST_YEAR and value <= today + timedelta(days=365)


_CONTEXT_YEAR = re.compile(rf"{_NOT_NUM_BEFORE}\b(?:19|20)\d\d\b(?!['’]?s\b)(?![\d,.]*\d)(?!\s*%)(?!-\d)")


def _context_year(preceding: str) -> int | None:
    """The last explicit year stated before a bare day/month, in the same paragraph."""
    years = _CONTEXT_YEAR.findall(preceding)
    return int(years[-1]) if years else None


_OFFSET_EXPR = re.compile(
    r"^\s*(?P<n>[\w-]+)\s+(?P<unit>days?|weeks?|months?|years?)\s+(?P<dir>after|before|later|earlier)\s*(?P<rest>.*)$",
    re.I | re.S,
)


def _shift(value: date, n: int, unit: str) -> date:
    unit = unit.lower().rstrip("s")
    if unit == "day":
        return value + timedelta(days=n)
    if unit == "week":
        return value + timedelta(weeks=n)
    months = n * (12 if unit == "year" else 1)
    total = value.year * 12 + value.month - 1 + months
    year, month = divmod(total, 12)
    day = min(value.day, calendar.monthrange(year, month + 1)[1])
    return date(year, month + 1, day)


def resolve_date(
    text: str,
    anchor: date | None = None,
    anchor_precision: str = "unknown",
    *,
    context_year: int | None = None,
    prefer: str | None = None,
) -> tuple[date | None, str]:
    """Normalise one date expression to (date, precision).

    'in March 2016' -> (2016-03-01, 'month'); 'February 27, 2005' -> day; 'in 2021' -> year;
    'March last year' / 'on Monday' / 'early January' use the anchor (publication date);
    'two months after March 2022' -> (2022-05-01, 'month'). Without a year in the text, in
    `context_year`, or in the anchor, the result is (None, 'unknown'). Durations -> (None, 'unknown').
    """
    shifted = _OFFSET_EXPR.match(text)
    if shifted:
        n = _count_word(shifted["n"])
        base_text = shifted["rest"]
        if n is None:
            return None, "unknown"
        sign = 1 if shifted["dir"].lower() in {"after", "later"} else -1
        if base_text.strip():
            base, precision = resolve_date(
                base_text, anchor, anchor_precision, context_year=context_year, prefer=prefer
            )
        else:  # 'two months later' counts from the anchor
            base, precision = (anchor, anchor_precision) if anchor else (None, "unknown")
        if base is None or precision == "unknown":
            return None, "unknown"
        unit = shifted["unit"].lower().rstrip("s")
        coarse = {"day": 3, "week": 3, "month": 2, "year": 1}[unit]
        order = {"year": 1, "month": 2, "day": 3}
        new_precision = precision if order[precision] <= coarse else {1: "year", 2: "month", 3: "day"}[coarse]
        value = _shift(base, sign * n, unit)
        if new_precision == "month":
            value = value.replace(day=1)
        elif new_precision == "year":
            value = value.replace(month=1, day=1)
        if not plausible_date(value):
            return None, "unknown"
        return value, new_precision

    context = f"{context_year} " if context_year is not None else ""
    mentions = find_dates(text, anchor, anchor_precision, context_text=context, prefer=prefer)
    if not mentions:
        return None, "unknown"
    best = mentions[0]
    return best.value, best.precision if best.value is not None else "unknown"


# A dateline's lead-in: '(Berlin, ', 'DUSHANBE, ', 'BISHKEK, 24.kg news agency. ', 'Almaty, Kazakhstan — '
_DATELINE_LEAD = re.compile(r"[\s(\[]*(?:[A-Z][^\n]{0,60}?[,.:;—–-])?\s*")
_SLASHED = re.compile(r"(?<![\d/])(?P<d>[0-3]?\d)/(?P<m>[01]?\d)/(?P<y>(?:19|20)\d\d)\b")
_DATELINE_HEAD_CHARS = 200


def dateline_date(text: str) -> tuple[date | None, str]:
    """The date of a dateline opening `text` ('(Berlin, February 1, 2023) –', 'DUSHANBE, December 9,
    2022, Asia-Plus', 'BISHKEK, 24.kg news agency. 14/09/2023 15:20'), or (None, 'unknown').

    Only a date with its year, in the first line, after nothing but a place or outlet lead-in, counts:
    'On January 31, 2023, the court ...' opens a story, it is not a dateline.
    """
    head = text.lstrip()[:_DATELINE_HEAD_CHARS].split("\n", 1)[0]
    slashed = _SLASHED.search(head)
    if slashed and _DATELINE_LEAD.fullmatch(head[: slashed.start()]):
        # Central Asian outlets write day/month/year
        value = _safe_date(int(slashed["y"]), int(slashed["m"]), int(slashed["d"]))
        if value is not None and plausible_date(value):
            return value, "day"
    for found in find_dates(head):
        if found.value is None or not found.explicit_year or found.precision not in {"day", "month"}:
            break
        if _DATELINE_LEAD.fullmatch(head[: found.start]):
            return found.value, found.precision
        break
    return None, "unknown"


_DATE_LINE_MAX_CHARS = 90
_DATE_LINE_MAX_OTHER_WORDS = 8
_PROSE_WORDS = 20


_LEADING_DATE_FIELD = re.compile(r"\A\s*date\s+(?P<y>(?:19|20)\d\d)-(?P<m>[01]\d)-(?P<d>[0-3]\d)\b")


def leading_date_field(text: str) -> date | None:
    """A page that opens with its date field run into the text ('date 2020-03-03 About 60 people
    were ...'), as stored pages sometimes do: the date the page gives itself."""
    m = _LEADING_DATE_FIELD.match(text)
    return _safe_date(int(m["y"]), int(m["m"]), int(m["d"])) if m else None


def page_date_line(text: str) -> tuple[date | None, str]:
    """The date of the date line above an article ('April 03, 2022', 'Just Earth News | 10 Jul 2023,
    10:41 pm Print'): a short line at the top of the page, before the first line of prose, that holds a
    full date with its year and little else. Where a page shows several (a site's display date, then
    the article's), the one nearest the prose is the article's."""
    found: tuple[date | None, str] = (None, "unknown")
    for line in text.split("\n")[:15]:
        stripped = line.strip()
        if len(stripped.split()) >= _PROSE_WORDS:
            break
        if not stripped or len(stripped) > _DATE_LINE_MAX_CHARS:
            continue
        for d in find_dates(stripped):
            if d.value is None or not d.explicit_year or d.precision != "day":
                continue
            other = re.sub(r"[^A-Za-z]+", " ", stripped[: d.start] + " " + stripped[d.end :]).split()
            if len(other) <= _DATE_LINE_MAX_OTHER_WORDS:
                found = (d.value, "day")
            break
    return found


def date_precision_rank(precision: str) -> int:
    return {"unknown": 0, "year": 1, "month": 2, "day": 3}.get(precision, 0)
