"""The reference seeds as lemma sequences, matched against a parsed Russian sentence.

Russian inflects names: the seed 'Демократический выбор Казахстана' is printed
'Демократического выбора Казахстана', 'Казахстан' is 'Казахстане'. Each alias is stored as
the tuple of its words' dictionary forms and compared with the lemmas slovnet gave the
sentence's tokens (and pymorphy's other readings of each word), so every case matches.
Latin aliases ('Nur Otan') match case-insensitively as they are.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass
from functools import lru_cache

from flows.extract.reference import Reference, load_reference
from flows.extract.russian.nlp import Sentence, Token, morph_vocab

_WORD_RX = re.compile(r"[\w]+(?:[-‐‑][\w]+)*", re.UNICODE)
_CYRILLIC = re.compile("[\u0400-\u04ff]")


@dataclass(frozen=True)
class Entry:
    kind: str  # country | party | person | organization
    ref_id: str  # country_id for countries
    alias_kind: str  # name | capital | city | demonym (countries), alias (others)
    alias: str


@lru_cache(maxsize=1 << 16)
def readings(word: str) -> frozenset[str]:
    """Every dictionary form pymorphy gives a word, lower-cased, ё folded."""
    low = word.lower().replace("ё", "е")
    if not _CYRILLIC.search(low):
        return frozenset({low})
    forms = {low}
    for form in morph_vocab().parse(low):
        forms.add(form.normal.replace("ё", "е"))
    return frozenset(forms)


def token_forms(token: Token) -> frozenset[str]:
    return readings(token.text) | {token.lemma}


def _alias_key(alias: str) -> tuple[str, ...] | None:
    words = _WORD_RX.findall(alias)
    if not words:
        return None
    key = []
    for word in words:
        low = word.lower().replace("ё", "е")
        if _CYRILLIC.search(low):
            parses = morph_vocab().parse(low)
            key.append(parses[0].normal.replace("ё", "е") if parses else low)
        else:
            key.append(low)
    return tuple(key)


@dataclass
class Gazetteer:
    # first word's lemma -> [(key, entry)], longest keys first
    index: dict[str, list[tuple[tuple[str, ...], Entry]]]

    def matches(self, sentence: Sentence) -> list[tuple[int, int, Entry]]:
        """(first token, last token + 1, entry) for the longest alias at each position, left to right."""
        out: list[tuple[int, int, Entry]] = []
        tokens = [t for t in sentence.tokens]
        i = 0
        while i < len(tokens):
            best: tuple[int, Entry] | None = None
            for form in token_forms(tokens[i]):
                for key, entry in self.index.get(form, ()):
                    n = len(key)
                    if i + n > len(tokens) or (best and n <= best[0]):
                        continue
                    if all(key[k] in token_forms(tokens[i + k]) for k in range(1, n)) and _case_fits(
                        tokens[i : i + n], entry
                    ):
                        best = (n, entry)
            if best:
                out.append((i, i + best[0], best[1]))
                i += best[0]
            else:
                i += 1
        return out


def _case_fits(tokens: list[Token], entry: Entry) -> bool:
    # A one-word alias written in lower case in the seeds is a common word there ('ак жол' aside):
    # demonyms must be adjectives in the text, names must be capitalised.
    first = tokens[0]
    if entry.alias_kind == "demonym":
        return first.pos in ("ADJ", "PROPN", "NOUN") and not first.text.isupper()
    if not first.text[:1].isupper() and not first.text[:1].isdigit():
        return entry.alias[:1].islower()
    return True


_BUILT: dict[int, Gazetteer] = {}


def gazetteer(ref: Reference | None = None) -> Gazetteer:
    """The gazetteer of one Reference, built once per process (the reference is cached too)."""
    ref = ref or load_reference()
    if id(ref) not in _BUILT:
        _BUILT.clear()
        _BUILT[id(ref)] = _build(ref)
    return _BUILT[id(ref)]


def _build(ref: Reference) -> Gazetteer:
    index: dict[str, list[tuple[tuple[str, ...], Entry]]] = defaultdict(list)
    seen: set[tuple[tuple[str, ...], str, str]] = set()

    def add(kind: str, ref_id: str, alias_kind: str, alias: str) -> None:
        key = _alias_key(alias)
        if not key or (key, kind, ref_id) in seen:
            return
        if len(key) == 1 and len(key[0]) < 2:
            return
        seen.add((key, kind, ref_id))
        index[key[0]].append((key, Entry(kind, ref_id, alias_kind, alias)))

    for alias, country_id, alias_kind in ref.country_surfaces:
        add("country", country_id, alias_kind, alias)
    for party_id, aliases in ref.party_aliases.items():
        for alias in aliases:
            add("party", party_id, "alias", alias)
    for person_id, aliases in ref.person_aliases.items():
        for alias in aliases:
            if _CYRILLIC.search(alias):
                add("person", person_id, "alias", alias)
    for org_id, aliases in ref.organization_aliases.items():
        for alias in aliases:
            if _CYRILLIC.search(alias):
                add("organization", org_id, "alias", alias)
    for entries in index.values():
        entries.sort(key=lambda e: -len(e[0]))
    return Gazetteer(dict(index))
