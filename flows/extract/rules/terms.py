"""Counts of people, custodial terms and detention outcomes, read from short phrases."""

from __future__ import annotations

import re

from flows.extract.rules.lexicon import GROUP_NOUNS, NUMBER, NUMBER_WORD, VAGUE_QUANTITY, parse_number

DAYS_PER_UNIT = {"hour": 1 / 24, "day": 1, "week": 7, "month": 30, "year": 365}
ADMIN_ARREST_MAX_DAYS = (
    30  # Central Asian administrative arrest is at most 15-30 days (up to 60 in rare cases)
)

_TERM_NUM = rf"(?:{NUMBER}|\d+(?:\.\d+)?|a|an)"
_TERM_UNIT = r"(?:hours?|days?|weeks?|months?|years?)"
# the unit ends at a word boundary: '100 monthly calculation indices' is a fine, not 100 months
_TERM_PART = (
    rf"(?P<nI>{_TERM_NUM})(?P<halfI>[\s-]+and[\s-]+a[\s-]+half|\s*(?:1/2|½))?[\s-]+(?P<uI>{_TERM_UNIT})\b"
)
TERM = re.compile(
    r"\b"
    + _TERM_PART.replace("I>", "1>")
    + r"(?:\s*(?:,|and)\s*"
    + _TERM_PART.replace("I>", "2>")
    + r")?"
    + r"(?:[\s-]+(?:of|in|behind|suspended|prison|jail|administrative|sentence|term|detention|arrest|imprisonment"
    + r"|penal|colony|probation|restricted|freedom|custody|bars|the|a|an|strict|regime|general|maximum|security)\b)*",
    re.I,
)
_RANGE_OR_CAP = re.compile(
    rf"\b(?:up to|between|maximum of|max(?:imum)?|as (?:much|long) as)\s*$|(?<!\d)\d{{1,2}}\s*(?:-|–|to|or|and)\s*$"
    rf"|\bbetween\s+{_TERM_NUM}\s+and\s*$|\b{NUMBER_WORD}\s+(?:to|or)\s*$",
    re.I,
)
_LIFE = re.compile(r"\blife (?:sentence|imprisonment|in prison)|\bto life\b", re.I)


_NOT_CUSTODY_NOUN = re.compile(
    r"[\s-]*(?:trial|hearings?|session|hunger strike|strike|protest|rally|visit|trip|investigation|inquiry"
    r"|campaign|break|delay|deadline|ban|moratorium|course|programme|program|contract|mandate|tenure|old)\b",
    re.I,
)


def _unit_days(unit: str) -> int:
    return DAYS_PER_UNIT[unit.lower().rstrip("s")]


def _amount(num: str, half: str | None) -> float | None:
    num = num.strip().lower()
    if num in {"a", "an"}:
        value: float | None = 1
    elif re.fullmatch(r"\d+(?:\.\d+)?", num):
        value = float(num)
    else:
        value = parse_number(num)
    if value is None:
        return None
    return value + (0.5 if half else 0)


def _days(amount: float, unit: str) -> float:
    """Days in an amount of a unit; half a year is 180 days ('10.5 years' -> 3830), as courts count
    six months, not 182.5 days."""
    whole, frac = divmod(amount, 1)
    per_unit = _unit_days(unit)
    if per_unit == 365 and frac == 0.5:
        return whole * 365 + 180
    return amount * per_unit


def parse_term_days(text: str) -> int | None:
    """The custodial term in `text`, in days: '15 days' -> 15, 'two months' -> 60, 'six-year' -> 2190,
    'one and a half years' -> 547, '10 years and six months' -> 3830. None for life, ranges, caps."""
    if _LIFE.search(text):
        return None
    for m in TERM.finditer(text):
        if _RANGE_OR_CAP.search(text[: m.start()]):
            continue
        after = text[m.end() : m.end() + 12]
        if re.match(r"\s*(?:-|–|to|or)\s*\d", after):
            continue  # '5-7 years', '5 to 7 years'
        if re.match(r"[\s-]*(?:ago|later|earlier|after|before|old|since)\b", after, re.I):
            continue  # 'two years ago', '22-year-old' are not terms
        if re.search(r"-old\b|\bold\b", m.group(0), re.I):
            continue
        if _NOT_CUSTODY_NOUN.match(after):
            continue  # 'a one-day trial', 'a 10-day hunger strike', 'a two-year investigation'

        first = _amount(m["n1"], m["half1"])
        if first is None:
            continue
        days = _days(first, m["u1"])
        if m["n2"]:
            second = _amount(m["n2"], m["half2"])
            if second is not None:
                days += _days(second, m["u2"])
        if days < 1:
            continue  # 'held for about four hours' is no custodial term
        return int(days)
    return None


_SUSPENDED = re.compile(
    r"\b(?:suspended|probation(?:ary)?|conditional (?:sentence|term)|restricted freedom"
    r"|restriction of (?:liberty|freedom)|freedom[- ]limitation|limitation of (?:liberty|freedom)"
    r"|parole-like)\b",
    re.I,
)
_TERM_LIST = re.compile(
    rf"\b(?P<nums>{_TERM_NUM}(?:\s+and\s+a\s+half)?(?:\s*(?:,\s*(?:and\s+)?|\s+and\s+){_TERM_NUM}"
    rf"(?:\s+and\s+a\s+half)?)+)[\s-]+(?P<unit>{_TERM_UNIT})\b",
    re.I,
)


def parse_term_list(text: str) -> list[int]:
    """Terms listed with one shared unit, in order: 'ten and seven and a half years' -> [3650, 2737],
    '5, 7 and 9 years' -> [1825, 2555, 3285]; [] when the text lists no such terms. For 'respectively'."""
    m = _TERM_LIST.search(text)
    if not m:
        return []
    terms = []
    for part in re.split(r"\s*,\s*(?:and\s+)?|\s+and\s+(?!a\s+half)", m["nums"]):
        half = re.search(r"\s+and\s+a\s+half$", part)
        amount = _amount(part[: half.start()] if half else part, half.group(0) if half else None)
        if amount is None:
            return []
        terms.append(int(_days(amount, m["unit"])))
    return terms


_FINED = re.compile(
    r"\bfined\b|\b(?:a|the) fine of\b|\bordered\b[^.;]{0,40}?\bto pay\b|\bfine(?:d)? (?:of )?\d", re.I
)
_RELEASED = re.compile(
    r"\b(?:released|freed|set free|pardoned|amnestied|acquitted|acquittal|cleared of (?:all )?charges"
    r"|exonerated|discharged from (?:jail|prison|custody|detention|the (?:penal )?colony))\b",
    re.I,
)
SENTENCE_WORDS = _SENTENCED = re.compile(
    r"\b(?:sentenced|convicted|found guilty|sentences?|prison term|jail term|jailed|imprisoned"
    r"|behind bars|penal colony|condemned|life imprisonment)\b",
    re.I,
)
# 'detained 30 people, most of whom were released': what happened to part of a group is not its outcome
PARTIAL_CLAUSE = re.compile(
    r"(?:,\s*|\s+and\s+|\s+(?:but|while|although)\s+|^)(?:\w+\s+)?(?:most|some|many|several|half|a few|few|the rest"
    r"|the majority|a number|dozens|hundreds|none|one|two|three|four|five|six|seven|eight|nine|ten|\d+)"
    r"\s+of\s+(?:whom|them|those|these|the)\b.*$",
    re.I | re.S,
)
_ADMIN = re.compile(r"\badministrative (?:arrest|detention)\b", re.I)
# measures before any verdict: a term here is not a sentence
_PRETRIAL = re.compile(
    r"\b(?:house arrest|pre-?trial|remanded|in custody|detention cent(?:er|re)|pending (?:trial|investigation))\b",
    re.I,
)

OUTCOME_RANK = {
    "unknown": 0,
    "released": 1,
    "sentenced": 2,
    "fined": 3,
    "administrative_arrest": 4,
    "suspended_sentence": 4,
}


def classify_outcome(text: str, term_days: int | None) -> str:
    """The outcome a trigger's clause reports: administrative_arrest (short jail terms such as
    '15 days'), suspended_sentence, sentenced, fined, released, or unknown (detained, arrested)."""
    text = PARTIAL_CLAUSE.sub("", text)
    if _SUSPENDED.search(text):
        return "suspended_sentence"
    if _ADMIN.search(text):
        return "administrative_arrest"
    if _PRETRIAL.search(text) and not re.search(r"\b(?:sentenced|convicted|found guilty)\b", text, re.I):
        return "unknown"
    if term_days is not None and term_days <= ADMIN_ARREST_MAX_DAYS:
        return "administrative_arrest"
    if term_days is not None or _SENTENCED.search(text):
        return "sentenced"
    if _FINED.search(text):
        return "fined"
    if _RELEASED.search(text):
        return "released"
    return "unknown"


def better_outcome(current: str, new: str) -> str:
    """Keep the most informative outcome when several clauses speak of the same detainee."""
    return new if OUTCOME_RANK.get(new, 0) > OUTCOME_RANK.get(current, 0) else current


_COUNT = re.compile(
    rf"(?P<mod>\b(?:nearly|almost|about|around|approximately|some|over|more than|at least|up to|roughly|an estimated"
    rf"|as many as|fewer than|less than|close to|at most|a total of|a further|another)\s+)?"
    rf"(?P<num>\b{NUMBER})(?:\s*\+)?\s+(?:(?:of\s+(?:the\s+)?)?[\w'’-]+\s+){{0,2}}?{GROUP_NOUNS}\b",
    re.I,
)
_VAGUE = re.compile(rf"\b{VAGUE_QUANTITY}(?:\s+of)?\s+(?:[\w'’-]+\s+){{0,2}}?{GROUP_NOUNS}\b", re.I)


def parse_count(text: str) -> tuple[bool, int | None]:
    """(is a group of people, how many): 'nearly 80 people' -> (True, 80), 'more than 100 protesters'
    -> (True, 100), 'dozens of activists' -> (True, None), 'the court' -> (False, None)."""
    m = _COUNT.search(text)
    if m:
        n = parse_number(m["num"])
        if n is not None and n >= 1 and not (1900 <= n <= 2100 and m["num"].isdigit()):
            return True, n
    if _VAGUE.search(text):
        return True, None
    return False, None


# the words of a verdict, for the rule families that must tell a verdict from custody pending trial
SENTENCE_WORDS = _SENTENCED
