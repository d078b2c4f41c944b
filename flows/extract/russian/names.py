"""Russian personal names: the nominative of an inflected name, and its Latin canonical form.

Natasha's own span normaliser gets common names right but leaves many Central Asian ones
in an oblique case ('Жанат Казакбая', 'Таалая Дуйшенбиева'). The case and gender that
slovnet read *in context* are more reliable than any dictionary guess for names it has
never seen, so the nominative is rebuilt from them with the regular Russian endings.
"""

from __future__ import annotations

import re
from functools import lru_cache

from flows.extract.russian.nlp import Token

# Kazakh, Kyrgyz, Tajik and Uzbek letters that the Russian schemes do not know.
_EXTRA_LETTERS = str.maketrans(
    {"ә": "а", "ғ": "г", "қ": "к", "ң": "н", "ө": "о", "ұ": "у", "ү": "у", "һ": "х", "і": "и",
     "Ә": "А", "Ғ": "Г", "Қ": "К", "Ң": "Н", "Ө": "О", "Ұ": "У", "Ү": "У", "Һ": "Х", "І": "И",
     "ӣ": "и", "ӯ": "у", "ҷ": "дж", "ҳ": "х", "Ӣ": "И", "Ӯ": "У", "Ҷ": "Дж", "Ҳ": "Х"}
)  # fmt: skip
_CYRILLIC = re.compile("[\u0400-\u04ff]")

# Surname suffixes that decline like possessive adjectives (-ов, -ев, -ин and their feminines).
_SURNAME_RX = re.compile(r"(?i)(ов|ев|ёв|ин|ын)(а|у|ым|е|ой|ою)?$")
_MALE_SURNAME = re.compile(r"(?i)(ов|ев|ёв|ин|ын|ский|цкий|зода|заде|уулу|улы)$")


def has_cyrillic(text: str) -> bool:
    return bool(_CYRILLIC.search(text))


@lru_cache(maxsize=1 << 14)
def latin(name: str) -> str:
    """A Cyrillic name in Latin letters, by Wikipedia's romanisation of Russian (iuliia)."""
    if not has_cyrillic(name):
        return name
    import iuliia

    return iuliia.WIKIPEDIA.translate(name.translate(_EXTRA_LETTERS))


def _restore(word: str, ending: str, replacement: str) -> str:
    return word[: len(word) - len(ending)] + replacement


def nominative_word(word: str, case: str | None, female: bool) -> str:
    """One name word back in the nominative, given its case and the person's gender."""
    if not case or case == "Nom" or len(word) < 3 or not has_cyrillic(word):
        return word
    low = word.lower()
    surname = _SURNAME_RX.search(low)
    if surname:
        stem_end = surname.end(1)
        stem = word[:stem_end]
        if female:
            return stem + "а"
        return stem
    if female:
        # Мира: Миру (acc), Миры (gen), Мире (dat/loc), Мирой (ins); Kazakh consonant names do not decline
        for ending, repl in (
            ("ой", "а"),
            ("ей", "я"),
            ("у", "а"),
            ("ю", "я"),
            ("ы", "а"),
            ("е", "а"),
            ("и", "а"),
        ):
            if low.endswith(ending) and case != "Nom":
                if ending == "и" and case == "Gen":
                    return _restore(word, ending, "я" if low[-2:-1] in "лнь" else "а")
                return _restore(word, ending, repl)
        return word
    # masculine: Нурлана / Нурлану / Нурланом / Нурлане ; Мамая / Мамаю / Мамаем ; Валерия -> Валерий
    if low.endswith("ия") and case in ("Gen", "Acc"):
        return _restore(word, "ия", "ий")
    if low.endswith("ию") and case == "Dat":
        return _restore(word, "ию", "ий")
    if low.endswith("ием") and case == "Ins":
        return _restore(word, "ием", "ий")
    vowel_before = len(low) > 2 and low[-2] in "аеиоуыэюя"
    for ending, cases in (("а", ("Gen", "Acc")), ("у", ("Dat",)), ("ом", ("Ins",)), ("е", ("Loc", "Dat"))):
        if low.endswith(ending) and case in cases and not low.endswith("уулу"):
            return word[: len(word) - len(ending)]
    for ending, cases in (("я", ("Gen", "Acc")), ("ю", ("Dat",)), ("ем", ("Ins",))):
        if low.endswith(ending) and case in cases and vowel_before is False:
            stem = word[: len(word) - len(ending)]
            return stem + "й" if stem and stem[-1].lower() in "аеоуыия" else stem + "ь"
        if low.endswith(ending) and case in cases:
            return word[: len(word) - len(ending)] + "й"
    return word


def is_female(tokens: list[Token]) -> bool:
    """The person's gender: a surname ending settles it where it can, else slovnet's reading."""
    genders = [t.feats.get("Gender") for t in tokens if t.feats.get("Gender")]
    by_slovnet = bool(genders) and genders.count("Fem") > len(genders) / 2
    for t in tokens:
        low = t.text.lower()
        if re.search(r"(ов|ев|ёв|ин|ын)(ой|ою)$", low):
            return True  # only a woman's surname takes -овой
        if re.search(r"(ов|ев|ёв|ин|ын)а$", low):
            return t.case in (None, "Nom")  # 'Исакова' in the genitive is a man's
        if re.search(r"(ов|ев|ёв|ин|ын)у$", low):
            return by_slovnet  # a man's dative or a woman's accusative
        if re.search(r"(ов|ев|ёв|ин|ын|ский|цкий)$", low):
            return False
    return by_slovnet


def nominative(tokens: list[Token]) -> str:
    """The name in the nominative.

    The words of one name share one case. pymorphy lists each word's readings; the case that
    every word can be read in (people first: animate noun readings) is the name's case, with
    slovnet's contextual reading breaking ties. Each word then takes its dictionary form, and a
    woman's surname its feminine ending. When the readings share no case, the regular endings
    are undone from slovnet's case instead.
    """
    readings = [_noun_readings(t.text) for t in tokens]
    if all(t.case in (None, "Nom") for t in tokens) and all(
        not rs or any(r[0] == "Nom" for r in rs) for rs in readings
    ):
        return " ".join(t.text for t in tokens)  # slovnet and the dictionary agree: as printed
    common = set.intersection(*[{r[0] for r in rs} if rs else set(_ALL_CASES) for rs in readings])
    if not common:
        female = is_female(tokens)
        return " ".join(nominative_word(t.text, t.case, female) for t in tokens)
    animate = {c for c in common if all(not rs or any(r[0] == c and r[3] for r in rs) for rs in readings)}
    pool = animate or common
    votes = [t.case for t in tokens if t.case in pool]
    case = max(pool, key=lambda c: (votes.count(c), c == "Nom", -_ALL_CASES.index(c)))
    words = []
    surname_gender = None
    for t, rs in zip(tokens, readings, strict=True):
        options = [r for r in rs if r[0] == case]
        if _SURNAME_END.search(t.text.lower()):
            genders = {r[1] for r in options}
            surname_gender = (
                "Fem" if genders == {"Fem"} else ("Masc" if "Masc" in genders else surname_gender)
            )
    for t, rs in zip(tokens, readings, strict=True):
        options = [r for r in rs if r[0] == case]
        if not options or not has_cyrillic(t.text):
            words.append(t.text)
            continue
        if surname_gender:
            options = [r for r in options if r[1] == surname_gender] or options
        option = max(options, key=lambda r: r[3])
        normal = option[2]
        if option[1] == "Fem" and re.search(r"(ов|ев|ёв|ин|ын)$", normal):
            normal += "а"
        words.append(_like(t.text, normal))
    return " ".join(words)


_ALL_CASES = ("Nom", "Gen", "Acc", "Dat", "Ins", "Loc")
_SURNAME_END = re.compile(r"(ов|ев|ёв|ин|ын)(а|у|ым|е|ой)?$")


@lru_cache(maxsize=1 << 14)
def _noun_readings(word: str) -> list[tuple[str, str, str, bool]]:
    """(case, gender, dictionary form, animate) for each noun reading of a word."""
    from flows.extract.russian.nlp import morph_vocab

    out = []
    for form in morph_vocab().parse(word.lower()):
        if form.pos not in ("NOUN", "PROPN"):
            continue
        feats = form.feats or {}
        case = feats.get("Case")
        if case in _ALL_CASES and feats.get("Number") != "Plur":
            out.append((case, feats.get("Gender", ""), form.normal, feats.get("Animacy") == "Anim"))
    return out


def _like(original: str, word: str) -> str:
    """`word` with the capitalisation of `original` (and its ё where the stem kept it)."""
    if original[:1].isupper():
        word = word[:1].upper() + word[1:]
    if "ё" in original.lower() and "ё" not in word:
        index = original.lower().find("ё")
        if index < len(word) and word[index] == "е":
            word = word[:index] + original[index] + word[index + 1 :]
    return word


def surname_first(words: list[str]) -> bool:
    """'Амренов Канатхан': a surname-shaped first word before a given name that is not one."""
    return (
        len(words) == 2
        and bool(_MALE_SURNAME.search(words[0].lower()) or re.search(r"(ова|ева|ина)$", words[0].lower()))
        and not (_MALE_SURNAME.search(words[1].lower()) or re.search(r"(ова|ева|ина)$", words[1].lower()))
    )
