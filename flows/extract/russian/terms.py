"""Russian terms and penalties, read off the tokens of a sentence (lexical work only).

'15 суток' -> 15 days, 'пять лет' -> 1825, '3 годам и 1 месяцу' -> 1125, 'два месяца' -> 60.
'ограничение свободы' is served at liberty and 'пробационный надзор' / 'условно' are
suspended: they carry no custodial term.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from flows.extract.russian.nlp import Token

NUMBER_WORDS = {
    "один": 1, "два": 2, "три": 3, "четыре": 4, "пять": 5, "шесть": 6, "семь": 7, "восемь": 8,
    "девять": 9, "десять": 10, "одиннадцать": 11, "двенадцать": 12, "тринадцать": 13,
    "четырнадцать": 14, "пятнадцать": 15, "шестнадцать": 16, "семнадцать": 17, "восемнадцать": 18,
    "девятнадцать": 19, "двадцать": 20, "тридцать": 30, "сорок": 40, "пятьдесят": 50, "сто": 100,
    "двое": 2, "трое": 3, "четверо": 4, "пятеро": 5, "шестеро": 6, "семеро": 7, "восьмеро": 8,
    "девятеро": 9, "десятеро": 10, "оба": 2, "полтора": 1.5,
}  # fmt: skip
UNIT_DAYS = {"сутки": 1, "день": 1, "неделя": 7, "месяц": 30, "год": 365, "лето": 365}
_DIGITS = re.compile(r"^\d{1,3}(?:[.,]5)?$")


def number(token: Token) -> float | None:
    if _DIGITS.match(token.text):
        return float(token.text.replace(",", "."))
    return NUMBER_WORDS.get(token.lemma)


@dataclass
class Penalty:
    days: int | None = None
    unit: str | None = None  # the largest unit read: сутки | месяц | год
    fine: bool = False
    suspended: bool = False  # probation or a suspended sentence
    at_liberty: bool = False  # restriction of liberty: a sentence with no custody
    hours: bool = False


def read_penalty(tokens: list[Token]) -> Penalty:
    """The penalty the tokens state, summing 'N лет и M месяцев'."""
    penalty = Penalty()
    lemmas = [t.lemma for t in tokens]
    total = 0.0
    last_unit_at = -1
    for i, t in enumerate(tokens):
        value = number(t)
        if value is None:
            continue
        if total and not (i - last_unit_at <= 3 and any(x.lemma == "и" for x in tokens[last_unit_at:i])):
            break  # one term: 'N лет и M месяцев' sums, a second term elsewhere does not
        for j in range(i + 1, min(i + 3, len(tokens))):
            unit = tokens[j].lemma
            if unit in UNIT_DAYS and not (unit == "лето" and tokens[j].text.lower() != "лет"):
                days = value * UNIT_DAYS[unit]
                if unit == "год" and value != int(value):
                    days = int(value) * 365 + 180  # half a year is 180 days
                total += days
                last_unit_at = j
                if penalty.unit is None or UNIT_DAYS[unit] > UNIT_DAYS.get(penalty.unit, 0):
                    penalty.unit = "год" if unit == "лето" else unit
                break
            if unit == "час":
                penalty.hours = True
                break
    if total:
        penalty.days = int(round(total))
    text = " ".join(lemmas)
    if "штраф" in lemmas or "мрп" in lemmas:
        penalty.fine = True
    if re.search(r"ограничение свобода|ограничение свободы", text):
        penalty.at_liberty = True
    if re.search(r"пробационный|условно|условный|испытательный", text):
        penalty.suspended = True
    return penalty
