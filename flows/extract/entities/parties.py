"""Party names found by patterns (including machine-'spun' synonyms of 'party'), and the
registration status an article gives a party."""

from __future__ import annotations

import re

from flows.extract.entities.candidates import Candidate, Context, looks_like_person
from flows.extract.entities.vocabulary import (
    LEADING_STOPWORDS,
    NAME_WORD,
    NOT_NAME_WORDS,
    ORG_HEADS,
    PARTY_HEADS,
    PARTYISH_WORDS,
    SPUN_PARTY_HEADS,
)
from flows.extract.names import fold, name_key
from flows.extract.reference import Reference

# ---------------------------------------------------------------- party discovery

_HEAD_ALT = "|".join(re.escape(h) for h in sorted(PARTY_HEADS, key=len, reverse=True))
# 'Democratic Party', 'Democratic Occasion', 'People's Trust Movement', 'Party of Kazakhstan' tail
_CAP_HEAD_RX = re.compile(
    rf"(?P<name>(?:{NAME_WORD}[ \t]+){{1,5}}?)(?P<head>Party|Movement|Bloc|Occasion|Celebration|Get[ -][Tt]ogether)"
    rf"(?P<tail>[ \t]+of[ \t]+(?:the[ \t]+)?{NAME_WORD}(?:[ \t]+{NAME_WORD}){{0,2}})?(?![\w-])(?![ \t]+[A-Z])"
)
# 'National Alliance of Tajikistan', 'Democratic Front': a political alliance when its name is political
_ALLIANCE_RX = re.compile(
    rf"(?P<name>(?:{NAME_WORD}[ \t]+){{1,4}}?)(?P<head>Alliance|Front|Coalition|Bloc|Congress)"
    rf"(?P<tail>[ \t]+of[ \t]+(?:the[ \t]+)?{NAME_WORD}(?:[ \t]+{NAME_WORD}){{0,2}})?(?![\w-])(?![ \t]+[A-Z])"
)
# 'Social Democrats, a registered party led by ...', 'Alga Karakalpakstan, an exile movement'
_APPOSED_HEAD_RX = re.compile(
    rf"(?P<name>{NAME_WORD}(?:[ \t]+{NAME_WORD}){{0,3}})[ \t]*,[ \t]+(?:an?|the)[ \t]+"
    rf"(?P<filler>(?:[\w-]+[ \t]+){{0,3}}?)(?P<political>political[ \t]+)?(?P<head>party|movement|bloc)"
    rf"(?![\w’'-])(?![ \t]+(?:member|leader|official|activist|supporter|chief|head|chairman|boss|candidate"
    rf"|functionary|list|ticket|congress|headquarters|office|card|line|faction)s?\b)"
)
# words between the article and the head that mean the name is not the party's ('a member of the party')
_NOT_APPOSED_FILLER = {
    "of",
    "in",
    "for",
    "to",
    "with",
    "from",
    "by",
    "at",
    "on",
    "member",
    "members",
    "leader",
    "head",
    "chief",
    "founder",
    "supporter",
    "activist",
    "official",
    "candidate",
    "deputy",
    "chairman",
    "spokesman",
    "rival",
    "ally",
    "critic",
    "wing",
    "youth",
    "his",
    "her",
    "its",
    "their",
}
# 'the YNTYMAQ political get together', 'Koshe (Street) party', 'People's Trust movement'
_LOW_HEAD_RX = re.compile(
    rf"(?P<name>(?:{NAME_WORD}[ \t]+){{1,4}}?)(?:\((?P<alias>{NAME_WORD}(?:[ \t]+{NAME_WORD}){{0,3}})\)[ \t]+)?"
    rf"(?P<political>political[ \t]+)?(?P<head>{_HEAD_ALT})(?![\w-])",
)
# 'movement – People's Trust', 'party "Nur Otan"', 'the party, Ak Zhol,'
_HEAD_THEN_NAME_RX = re.compile(
    rf"(?P<head>party|movement)[ \t]*(?:[–—-]+|,)?[ \t]*[“\"«]?(?P<name>{NAME_WORD}(?:[ \t]+{NAME_WORD}){{0,3}})[”\"»]?",
)
_QUOTED_BEFORE_HEAD_RX = re.compile(
    r"[“\"«](?P<name>[^”\"»\n]{2,40})[”\"»][ \t]+(?P<political>political[ \t]+)?(?P<head>party|movement)(?![\w-])"
)
CREDIT_RX = re.compile(
    r"(?i)(?:\bphoto(?:graph)?s?\b|\bpicture\b|\bimage\b|\bcredit\b|©|\bcourtesy\b)[^\n]{0,30}$"
    r"|^\s*(?:see also|read also|also read|read more|related|more on this)\b"  # links to other stories
)
_SPUN_SIGNAL_RX = re.compile(
    r"\bpolitical (?:get[ -]together|occasion|celebration|social gathering|bash)", re.I
)


def _party_kind(head: str) -> str:
    return "movement" if head.lower() == "movement" else "party"


def _is_possessive(word: str) -> bool:
    """'Tokayev’s' (an owner), but not 'People’s' (part of many party names) or its spun 'Folks’s'."""
    return (
        bool(re.search(r"[’']s$", word))
        and not _SPUN_PEOPLE_RX.match(word)
        and not re.match(r"(?i)people[’']s$", word)
    )


# Spinners swap 'People's' for 'Folks's' ('Folks's Democratic Get together of Tajikistan').
_SPUN_PEOPLE_RX = re.compile(r"(?i)(?:folks|individuals|persons)(?:[’']s|[’'])(?=\s|$)")


def _unspin(name: str) -> str:
    return _SPUN_PEOPLE_RX.sub("People's", name)


def _trim_name_words(text: str, start: int, ref: Reference) -> tuple[str, int] | None:
    """Drop leading stopwords, possessives and lone demonyms from a capitalised run."""
    words = list(re.finditer(r"\S+", text))
    while words:
        w = words[0].group(0)
        bare = fold(w).strip("“”\"'’,")
        is_demonym = (ref.country_of(w) or ("", ""))[1] in ("demonym", "name") and len(words) > 1
        if bare in LEADING_STOPWORDS or is_demonym or _is_possessive(w):
            words.pop(0)
            continue
        break
    if not words:
        return None
    # a possessive inside the run ('Tokayev’s party') means the name is the owner, not a party
    if any(_is_possessive(w.group(0)) for w in words):
        return None
    return text[words[0].start() : words[-1].end()], start + words[0].start()


def discover_parties(body: str, ref: Reference) -> list[Candidate]:
    """Party names the reference data may not know, found by their 'party'/'movement' heads."""
    spun_article = bool(_SPUN_SIGNAL_RX.search(body))
    found: list[Candidate] = []

    for m in _CAP_HEAD_RX.finditer(body):
        head = m.group("head")
        spun = head.lower().replace("-", " ") in SPUN_PARTY_HEADS
        trimmed = _trim_name_words(m.group("name"), m.start("name"), ref)
        if not trimmed:
            continue
        words, start = trimmed
        if spun and not (spun_article or any(fold(w) in PARTYISH_WORDS for w in words.split())):
            continue
        if any(fold(w) in ORG_HEADS for w in words.split()):
            continue
        canonical_head = "Party" if spun else head
        name = _unspin(f"{words} {canonical_head}" + (m.group("tail") or ""))
        found.append(
            Candidate(
                start, m.end(), "party", "pattern", _normalise_space(name), party_kind=_party_kind(head)
            )
        )

    for m in _LOW_HEAD_RX.finditer(body):
        head = m.group("head")
        if head[0].isupper():
            continue  # the capitalised form is handled above
        spun = head.lower() in SPUN_PARTY_HEADS or head.lower() == "get-together"
        if spun and not m.group("political"):
            continue
        trimmed = _trim_name_words(m.group("name"), m.start("name"), ref)
        if not trimmed:
            continue
        words, start = trimmed
        if any(fold(w) in ORG_HEADS for w in words.split()) or not _plausible_party_name(words, ref):
            continue
        aliases = [m.group("alias")] if m.group("alias") else []
        name = _normalise_space(words)
        end = start + len(words)
        if all(fold(w) in PARTYISH_WORDS for w in name.split()):
            name += " Party"  # 'the Democratic party' names the Democratic Party, not 'Democratic'
            end = m.end("head")
        found.append(
            Candidate(start, end, "party", "pattern", name, party_kind=_party_kind(head), aliases=aliases)
        )

    found += _alliances(body, ref) + _apposed_parties(body, ref) + _spun_with_country(body, ref)
    found += _exclamation_names(body)

    for rx in (_HEAD_THEN_NAME_RX, _QUOTED_BEFORE_HEAD_RX):
        for m in rx.finditer(body):
            name = m.group("name").strip()
            if not _plausible_party_name(name, ref) or any(fold(w) in ORG_HEADS for w in name.split()):
                continue
            if rx is _HEAD_THEN_NAME_RX and not re.search(
                r"[–—-]|[“\"«]",
                body[m.end("head") : m.start("name")] + body[m.start("name") - 1 : m.start("name")],
            ):
                continue  # 'party Nur Otan' without a dash or quotes is too loose
            start = m.start("name")
            found.append(
                Candidate(
                    start,
                    start + len(name),
                    "party",
                    "pattern",
                    name,
                    party_kind=_party_kind(m.group("head")),
                )
            )
    return found


# Slogan names: 'Alga, Kazakhstan!' ('Forward, Kazakhstan!') is one party name, comma and all, when a
# party/movement head or a status word follows it
_EXCLAMATION_NAME_RX = re.compile(
    r"(?<![\w-])(?P<name>[A-Z][\w’'-]+,[ \t]+[A-Z][\w’'-]+!)(?=[ \t]+(?:(?:political[ \t]+)?(?:party|movement"
    r"|bloc)\b|(?:was|is|has|had)\b))"
)


def _exclamation_names(body: str) -> list[Candidate]:
    return [
        Candidate(m.start("name"), m.end("name"), "party", "pattern", m.group("name"), party_kind="party")
        for m in _EXCLAMATION_NAME_RX.finditer(body)
    ]


_SPUN_COUNTRY_TAIL_RX = re.compile(
    rf"(?P<name>(?:{NAME_WORD}[ \t]+){{1,4}}?)(?P<head>get[ -]together|occasion|celebration|social gathering)"
    rf"(?P<tail>[ \t]+of[ \t]+(?:the[ \t]+)?(?P<country>{NAME_WORD}))(?![\w-])"
)


def _spun_with_country(body: str, ref: Reference) -> list[Candidate]:
    """'the Islamic Revival get together of Tajikistan': a spun 'party' with a country after it."""
    found: list[Candidate] = []
    for m in _SPUN_COUNTRY_TAIL_RX.finditer(body):
        country = ref.country_of(m.group("country"))
        if not country or country[1] != "name":
            continue
        trimmed = _trim_name_words(m.group("name"), m.start("name"), ref)
        if not trimmed:
            continue
        words, start = trimmed
        if not any(fold(w) in PARTYISH_WORDS for w in words.split()):
            continue
        name = _unspin(_normalise_space(f"{words} Party{m.group('tail')}"))
        found.append(Candidate(start, m.end(), "party", "pattern", name, party_kind="party"))
    return found


def _alliances(body: str, ref: Reference) -> list[Candidate]:
    found: list[Candidate] = []
    for m in _ALLIANCE_RX.finditer(body):
        trimmed = _trim_name_words(m.group("name"), m.start("name"), ref)
        if not trimmed:
            continue
        words, start = trimmed
        political = any(fold(w) in PARTYISH_WORDS for w in words.split())
        if not political or any(fold(w) in ORG_HEADS for w in words.split()):
            continue
        name = _normalise_space(f"{words} {m.group('head')}{m.group('tail') or ''}")
        found.append(Candidate(start, m.end(), "party", "pattern", name, party_kind="movement"))
    return found


def _apposed_parties(body: str, ref: Reference) -> list[Candidate]:
    found: list[Candidate] = []
    for m in _APPOSED_HEAD_RX.finditer(body):
        if set(fold(m.group("filler")).split()) & _NOT_APPOSED_FILLER:
            continue
        trimmed = _trim_name_words(m.group("name"), m.start("name"), ref)
        if not trimmed:
            continue
        words, start = trimmed
        key = name_key(words)
        if (
            not _plausible_party_name(words, ref)
            or any(fold(w) in ORG_HEADS for w in words.split())
            or key in ref.person_keys
            or looks_like_person(words)
        ):
            continue
        found.append(
            Candidate(
                start,
                start + len(words),
                "party",
                "pattern",
                _normalise_space(words),
                party_kind=_party_kind(m.group("head")),
            )
        )
    return found


def _plausible_party_name(name: str, ref: Reference) -> bool:
    words = name.split()
    if not words or len(words) > 5:
        return False
    if all(fold(w) in LEADING_STOPWORDS or fold(w) in NOT_NAME_WORDS for w in words):
        return False
    if ref.country_of(name):
        return False  # 'Kazakh party' names a country's party, not a party
    return name[0].isupper() or name[0] in '“"«'


def _normalise_space(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


# ---------------------------------------------------------------- party status

_STATUS_CUES: tuple[tuple[str, int, re.Pattern[str]], ...] = tuple(
    (status, window, re.compile(rx, re.I))
    for status, window, rx in (
        (
            "banned",
            110,
            r"\bbanned\b|\bextremists?\b|\boutlawed\b|\bterrorist\b|\bliquidated\b|\bprohibited\b"
            r"|\bderegistered\b|\bregistration\b[^.]{0,20}\brevoked\b|\bstripped of (?:its )?registration\b",
        ),
        (
            "unregistered",
            80,
            r"\bunregistered\b|\b(?:not|never) (?:been |yet |yet been |officially |been officially )?registered\b"
            r"|\b(?:refused|refuses|denied|denies|declined|rejected)\b[^.]{0,30}\bto register\b"
            r"|\bwithout (?:official |legal )?registration\b|\b(?:has|have) yet to be registered\b"
            r"|\b(?:refused|denied|rejected)\b[^.]{0,40}\bregistration\b"
            r"|\bregistration\b[^.]{0,30}\b(?:refused|denied|rejected)\b"
            r"|\b(?:not|never|failed to) (?:achieved?|obtained?|gained?|received?) registration\b"
            r"|\btried to register\b|\b(?:tried and )?failed to register\b|\b(?:seek|seeking|sought|seeks|apply for|applied for) (?:official )?registration\b"
            r"|\b(?:will|would) (?:eventually )?(?:turn|be turned|be transformed|become) "
            r"into a (?:political )?party\b",
        ),
        (
            "registered",
            60,
            r"(?<!un)(?<!not )(?<!never )(?<!not been )(?<!never been )(?<!not yet )(?<!yet to be )\bregistered\b"
            # 'the ruling party', not 'a court ruling from 2018' / 'the ruling of the court'
            r"|\bregistrated\b|(?<!court )(?<!court's )(?<!court’s )\bruling\b"
            r"(?!\s+(?:from|of|on|that|by|in|against|was|is|said|says|which)\b)|\bpro-(?:government|presidential)\b"
            r"|\bpresidential party\b|\b\d+\s+seats\b|\bachieved registration\b|\bparliamentary part"
            r"|\b(?:holds?|held|won|wins?|took|takes)\b[^.]{0,12}\bseats\b|\bfaction\b"
            r"|\bloyal to the (?:authorities|government|president|regime)\b",
        ),
    )
)
STATUS_PRIORITY = {"banned": 3, "unregistered": 2, "registered": 1}


def status_cue(ctx: Context, cand: Candidate, party_spans: list[tuple[int, int]]) -> str | None:
    """The registration status the text gives right around one party mention, if any.

    The mention's own sentence first; else the start of the next sentence when that sentence
    names no other party ('X filed its papers three times. Each time the ministry refused
    registration.').
    """
    s_start, s_end = ctx.sentence_of(cand.start)
    found = _status_in(ctx, cand, party_spans, s_start, s_end)
    if found:
        return found
    n_start, n_end = next(((a, b) for a, b in ctx.sentences if a >= s_end), (len(ctx.body), len(ctx.body)))
    if n_start - s_end <= 3 and not any(n_start <= a < n_end for a, _ in party_spans):
        for status, window, rx in _STATUS_CUES:
            m = rx.search(ctx.body, n_start, min(n_end, n_start + window))
            if m and status != "registered":  # 'registered' alone is too common a word to carry over
                return status
    return None


def _status_in(
    ctx: Context, cand: Candidate, party_spans: list[tuple[int, int]], s_start: int, s_end: int
) -> str | None:
    sentence = ctx.body[s_start:s_end]
    best: tuple[int, int, str] | None = None
    for status, window, rx in _STATUS_CUES:
        for m in rx.finditer(sentence):
            c_start, c_end = s_start + m.start(), s_start + m.end()
            if _modifies_other(ctx.body, c_end, cand, party_spans):
                continue  # 'the ruling Nur Otan': the cue belongs to the party it precedes
            if c_end <= cand.start:
                gap = (c_end, cand.start)
            elif c_start >= cand.end:
                gap = (cand.end, c_start)
            else:
                continue
            # other party names between the mention and the cue do not add distance ('A and B are banned')
            distance = gap[1] - gap[0] - sum(max(0, min(e, gap[1]) - max(s, gap[0])) for s, e in party_spans)
            if distance <= window:
                key = (distance, -STATUS_PRIORITY[status], status)
                if best is None or key < best:
                    best = key
    return best[2] if best else None


def _modifies_other(body: str, cue_end: int, cand: Candidate, party_spans: list[tuple[int, int]]) -> bool:
    for start, end in party_spans:
        if (
            (start, end) != (cand.start, cand.end)
            and 0 <= start - cue_end <= 16
            and re.fullmatch(r"[\s“\"«]*(?:the\s+|[\w-]+\s+)?[\s“\"«]*", body[cue_end:start])
        ):
            return True
    return False
