"""A cheap script-and-function-word language guess (ISO 639-1, or 'und').

Only 'en' articles go to the English extractor, so the point is to be reliably right
about English and about Cyrillic Central Asian languages, not to identify everything.
"""

from __future__ import annotations

import re

_LATIN_WORD = re.compile(r"[A-Za-z]+(?:['’][A-Za-z]+)?")
# Letters that occur in Kazakh but not in Russian (і is shared with Ukrainian, hence the
# Ukrainian-only letters are checked separately).
# Counted with compiled character classes, not per-character Python loops: landing calls this
# on every article, and a generator over 20k characters was half of landing's time.
_KK_LETTERS = re.compile("[әғқұһіӘҒҚҰҺІ]")
_KY_LETTERS = re.compile("[ңөүҢӨҮ]")  # Kyrgyz (also Kazakh, which has the letters above as well)
_TG_LETTERS = re.compile("[ҷӯӣҳҶӮӢҲ]")
_UK_LETTERS = re.compile("[їєґЇЄҐ]")
_CYRILLIC = re.compile("[\u0400-\u04ff]")
_ASCII_LETTER = re.compile("[A-Za-z]")
_EN_FUNCTION_WORDS = frozenset(
    {
        "the", "of", "and", "to", "in", "is", "that", "for", "on", "with", "as", "was", "by", "are",
        "it", "from", "has", "have", "be", "at", "an", "this", "which", "were", "said", "not", "but",
        "their", "its", "they", "he", "she", "his", "her", "who", "will", "would", "been",
    }
)  # fmt: skip


def detect_language(text: str, sample_chars: int = 20_000) -> str:
    sample = text[:sample_chars]
    cyrillic = len(_CYRILLIC.findall(sample))
    latin = len(_ASCII_LETTER.findall(sample))
    if cyrillic == 0 and latin == 0:
        return "und"
    if cyrillic > latin:
        return _cyrillic_language(sample, cyrillic)
    return _latin_language(sample)


def _cyrillic_language(sample: str, cyrillic: int) -> str:
    def share(letters: re.Pattern[str]) -> float:
        return len(letters.findall(sample)) / cyrillic

    # A single quoted Kazakh name must not turn a Russian text into Kazakh: use shares.
    if share(_TG_LETTERS) >= 0.02:
        return "tg"
    if share(_KK_LETTERS) >= 0.05:  # running Kazakh text has well over 10%
        return "kk"
    if share(_UK_LETTERS) >= 0.01:
        return "uk"
    if share(_KY_LETTERS) >= 0.03:
        return "ky"
    return "ru"


def _latin_language(sample: str) -> str:
    words = [w.lower() for w in _LATIN_WORD.findall(sample)]
    if not words:
        return "und"
    hits = sum(1 for w in words if w in _EN_FUNCTION_WORDS)
    if (hits >= 2 and hits / len(words) >= 0.12) or (hits >= 1 and len(words) <= 6):
        return "en"
    return "und"
