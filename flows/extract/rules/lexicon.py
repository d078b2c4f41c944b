"""Small general lexicons: numbers, group nouns, authorities, places of the region, country adjectives."""

from __future__ import annotations

import re

UNITS = {
    "zero": 0,
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
    "thirteen": 13,
    "fourteen": 14,
    "fifteen": 15,
    "sixteen": 16,
    "seventeen": 17,
    "eighteen": 18,
    "nineteen": 19,
}
TENS = {
    "twenty": 20,
    "thirty": 30,
    "forty": 40,
    "fifty": 50,
    "sixty": 60,
    "seventy": 70,
    "eighty": 80,
    "ninety": 90,
}
SCALES = {"hundred": 100, "thousand": 1000, "million": 1_000_000}
NUMBER_WORD = (
    r"(?:(?:a|one|two|three|four|five|six|seven|eight|nine)[\s-]+(?:hundred|thousand)"
    r"|(?:twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety)(?:[\s-]+(?:one|two|three|four|five|six|seven|eight|nine))?"
    r"|zero|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen"
    r"|seventeen|eighteen|nineteen|a dozen|a hundred|a thousand)"
)
NUMBER = rf"(?:\d{{1,3}}(?:,\d{{3}})+|\d+|{NUMBER_WORD})"

# Vague quantities: a group, but no count ('dozens' -> NULL)
VAGUE_QUANTITY = r"(?:dozens|scores|hundreds|thousands|several|many|some|numerous|a number|a group|a few|few)"


def parse_number(text: str) -> int | None:
    """'80' -> 80, '1,000' -> 1000, 'seven' -> 7, 'twenty-five' -> 25, 'two hundred' -> 200, 'dozens' -> None."""
    t = text.strip().lower().replace(",", "")
    if t.isdigit():
        return int(t)
    if t in {"a dozen", "dozen"}:
        return 12
    words = re.split(r"[\s-]+", t)
    total, current = 0, 0
    for w in words:
        if w == "a" and current == 0:
            current = 1
        elif w in UNITS:
            current += UNITS[w]
        elif w in TENS:
            current += TENS[w]
        elif w in SCALES:
            current = max(current, 1) * SCALES[w]
            if SCALES[w] >= 1000:
                total, current = total + current, 0
        elif w == "and":
            continue
        else:
            return None
    value = total + current
    return value if value > 0 else None


GROUP_NOUNS = (
    r"(?:people|persons|protesters|protestors|activists|demonstrators|journalists|reporters|bloggers|members"
    r"|supporters|students|participants|individuals|men|women|youths|residents|citizens|detainees|lawyers"
    r"|believers|relatives|workers|miners|dissidents|critics|picketers|pensioners|mothers|villagers|farmers"
    r"|opponents|leaders|organizers|organisers|defenders|rally-goers|marchers|strikers|Muslims|worshippers"
    r"|opposition figures|opposition politicians|human rights defenders|civil society activists|others"
    r"|defendants|accused|suspects|prisoners|inmates|accuseds|employees|staff members|deputies|officials)"
)

# Who detains or sentences; the first group of each pattern is the label stored as `authority`.
AUTHORITIES: list[tuple[str, re.Pattern[str]]] = [
    (
        "KNB",
        re.compile(r"\b(?:KNB|GKNB|National Security Committee|State Committee for National Security)\b"),
    ),
    ("SNB", re.compile(r"\b(?:SNB|State Security Service|SGB)\b")),
    ("prosecutor", re.compile(r"\bprosecutor(?:s|'s office|-general)?\b|\bProsecutor[- ]General", re.I)),
    ("court", re.compile(r"\b(?:court|judge|tribunal)s?\b", re.I)),
    ("police", re.compile(r"\b(?:police|policemen|police officers|riot police|OMON|militsiya)\b", re.I)),
    (
        "interior ministry",
        re.compile(r"\b(?:Interior Ministry|Ministry of (?:Internal Affairs|the Interior))\b", re.I),
    ),
    ("security services", re.compile(r"\bsecurity (?:services|forces|officers|agents)\b", re.I)),
    ("border guards", re.compile(r"\bborder guards?\b", re.I)),
    ("anti-corruption agency", re.compile(r"\banti-corruption (?:agency|service|bureau)\b", re.I)),
]

# Places of the region and their country (general knowledge, used for `location` and as a country hint)
CITIES: dict[str, str] = {
    "Almaty": "KZ",
    "Astana": "KZ",
    "Nur-Sultan": "KZ",
    "Shymkent": "KZ",
    "Karaganda": "KZ",
    "Karagandy": "KZ",
    "Aktobe": "KZ",
    "Aktau": "KZ",
    "Atyrau": "KZ",
    "Uralsk": "KZ",
    "Oral": "KZ",
    "Pavlodar": "KZ",
    "Semey": "KZ",
    "Taraz": "KZ",
    "Kyzylorda": "KZ",
    "Zhanaozen": "KZ",
    "Zhanaozen's": "KZ",
    "Oskemen": "KZ",
    "Ust-Kamenogorsk": "KZ",
    "Kostanay": "KZ",
    "Petropavl": "KZ",
    "Taldykorgan": "KZ",
    "Turkestan": "KZ",
    "Kokshetau": "KZ",
    "Ekibastuz": "KZ",
    "Zhezkazgan": "KZ",
    "Temirtau": "KZ",
    "Bishkek": "KG",
    "Osh": "KG",
    "Jalal-Abad": "KG",
    "Karakol": "KG",
    "Naryn": "KG",
    "Batken": "KG",
    "Talas": "KG",
    "Tokmok": "KG",
    "Uzgen": "KG",
    "Kara-Balta": "KG",
    "Aksy": "KG",
    "Tashkent": "UZ",
    "Samarkand": "UZ",
    "Bukhara": "UZ",
    "Andijan": "UZ",
    "Namangan": "UZ",
    "Fergana": "UZ",
    "Nukus": "UZ",
    "Karakalpakstan": "UZ",
    "Urgench": "UZ",
    "Termez": "UZ",
    "Khiva": "UZ",
    "Qarshi": "UZ",
    "Dushanbe": "TJ",
    "Khujand": "TJ",
    "Khorog": "TJ",
    "Kulob": "TJ",
    "Bokhtar": "TJ",
    "Gorno-Badakhshan": "TJ",
    "Ashgabat": "TM",
    "Turkmenabat": "TM",
    "Dashoguz": "TM",
    "Balkanabat": "TM",
    "Moscow": "RU",
    "Baku": "AZ",
    "Tbilisi": "GE",
    "Minsk": "BY",
    "Kyiv": "UA",
    "Kiev": "UA",
}
CITY_PATTERN = re.compile(r"\b(" + "|".join(sorted(map(re.escape, CITIES), key=len, reverse=True)) + r")\b")

COUNTRY_WORDS: dict[str, str] = {
    "Kazakhstan": "KZ",
    "Kazakh": "KZ",
    "Kazakhstani": "KZ",
    "Qazaqstan": "KZ",
    "Kyrgyzstan": "KG",
    "Kyrgyz": "KG",
    "Kyrgyzstani": "KG",
    "Kirghizia": "KG",
    "Uzbekistan": "UZ",
    "Uzbek": "UZ",
    "Uzbekistani": "UZ",
    "Tajikistan": "TJ",
    "Tajik": "TJ",
    "Tajikistani": "TJ",
    "Turkmenistan": "TM",
    "Turkmen": "TM",
    "Russia": "RU",
    "Russian": "RU",
    "Belarus": "BY",
    "Belarusian": "BY",
    "Azerbaijan": "AZ",
    "Azerbaijani": "AZ",
    "Georgia": "GE",
    "Georgian": "GE",
    "Armenia": "AM",
    "Armenian": "AM",
    "Ukraine": "UA",
    "Ukrainian": "UA",
    "Mongolia": "MN",
    "Mongolian": "MN",
}
COUNTRY_WORD_PATTERN = re.compile(r"\b(" + "|".join(sorted(COUNTRY_WORDS, key=len, reverse=True)) + r")\b")
