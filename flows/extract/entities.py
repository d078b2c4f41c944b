"""Entity mentions (person, organization, party, country) from spaCy entities plus rules.

The statistical model is small and mislabels Central Asian names, so its entities are only
candidates: every candidate is re-typed against the reference data and a few shape rules, party
names are discovered by patterns (including machine-'spun' synonyms of 'party'), titles are
stripped off people, and names are resolved within the article (surname-only mentions, variant
spellings) and against the reference people and parties.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from flows.extract.model import Mention
from flows.extract.names import fold, name_key, same_person, same_surname, split_glued_name
from flows.extract.nlp import Analysis
from flows.extract.reference import Reference
from flows.extract.rules.tables import DETENTION_TABLE

CENTRAL_ASIA = ("KZ", "KG", "UZ", "TJ", "TM")
# Generic state bodies ('Supreme Court', 'Interior Ministry') exist in every country: they link to
# a reference body only when the article is about that body's country.
NATIONAL_BODY_KINDS = {
    "court",
    "ministry",
    "election_commission",
    "parliament",
    "security_service",
    "prosecutor",
    "agency",
    "advisory_body",
}

# ---------------------------------------------------------------- vocabulary

# Machine-'spun' text swaps 'party' for these; they count as a party head only where the
# context makes the political sense plain (see _party_discovery).
SPUN_PARTY_HEADS = ("get together", "get-together", "occasion", "celebration", "social gathering", "bash")
PARTY_HEADS = ("party", "movement", "bloc") + SPUN_PARTY_HEADS
PARTYISH_WORDS = {
    "democratic",
    "social",
    "socialist",
    "communist",
    "republican",
    "liberal",
    "green",
    "greens",
    "people's",
    "peoples",
    "national",
    "nationalist",
    "agrarian",
    "labour",
    "labor",
    "conservative",
    "progressive",
    "patriotic",
    "islamic",
    "civil",
    "civic",
    "opposition",
    "revival",
    "renaissance",
    "unity",
    "justice",
    "freedom",
    "reform",
    "reforms",
    "motherland",
    "fatherland",
}
# Words that end a capitalised run instead of being part of an organisation or party name.
LEADING_STOPWORDS = {
    "a",
    "an",
    "the",
    "this",
    "that",
    "these",
    "those",
    "its",
    "his",
    "her",
    "their",
    "our",
    "my",
    "your",
    "each",
    "every",
    "both",
    "any",
    "some",
    "no",
    "all",
    "other",
    "another",
    "one",
    "two",
    "three",
    "four",
    "five",
    "six",
    "seven",
    "ruling",
    "opposition",
    "new",
    "former",
    "unregistered",
    "registered",
    "banned",
    "pro-government",
    "pro-presidential",
    "presidential",
    "main",
    "major",
    "small",
    "largest",
    "only",
    "and",
    "or",
    "but",
    "if",
    "when",
    "while",
    "in",
    "on",
    "at",
    "by",
    "for",
    "of",
    "from",
    "with",
    "as",
    "since",
    "after",
    "before",
    "during",
    "under",
    "against",
    "actual",
    "real",
    "official",
    "so-called",
    "such",
    "then",
    "also",
    "however",
    "meanwhile",
    "according",
    "said",
    "says",
    "political",
    "chief",
    "leader",
    "head",
    "chairman",
    "member",
    "members",
    "supporter",
    "supporters",
    "activist",
    "activists",
    "de",
    "facto",
    "first",
    "last",
    "next",
    "islamist",
    "extremist",
    "centrist",
    "will",
    "would",
    "can",
    "could",
    "should",
    "shall",
    "may",
    "might",
    "must",
    "did",
    "does",
    "do",
    "has",
    "have",
    "had",
    "is",
    "was",
    "are",
    "were",
    "what",
    "why",
    "how",
    "who",
    "where",
    "whom",
    "whose",
    "which",
    "not",
    "yes",
    "dear",
    "here",
    "there",
    "now",
    "today",
    "yesterday",
    "tomorrow",
    "independent",
    "governing",
    "leading",
    "rival",
    "loyal",
    "minor",
    "third",
    "big",
    "biggest",
    "smaller",
    "several",
    "many",
}
ORG_HEADS = {
    "commission",
    "court",
    "ministry",
    "committee",
    "council",
    "union",
    "unions",
    "agency",
    "bank",
    "university",
    "institute",
    "service",
    "forum",
    "foundation",
    "fund",
    "centre",
    "center",
    "office",
    "assembly",
    "association",
    "organization",
    "organisation",
    "news",
    "media",
    "radio",
    "tv",
    "press",
    "company",
    "corporation",
    "parliament",
    "government",
    "department",
    "bureau",
    "platform",
    "program",
    "programme",
    "project",
    "congress",
    "army",
    "police",
    "embassy",
    "mission",
    "federation",
    "society",
    "club",
    "network",
    "international",
    "watch",
    "times",
    "post",
    "journal",
    "commonwealth",
    "group",
    "inc",
    "ltd",
    "llp",
    "jsc",
    "school",
    "academy",
    "hospital",
    "prosecutor",
    "prosecutor's",
    "senate",
    "majlis",
    "mazhilis",
    "duma",
    "kenesh",
    "administration",
    "chamber",
    "board",
    "authority",
    "alliance",
    "coalition",
    "initiative",
    "campaign",
    "channel",
    "house",
    "airlines",
    "airport",
    "secretariat",
    "cabinet",
    "treaty",
    "convention",
    "summit",
    "marathon",
    "facebook",
    "twitter",
}
NAME_PARTICLES = {
    "de",
    "van",
    "von",
    "der",
    "bin",
    "ibn",
    "al",
    "ul",
    "uly",
    "kyzy",
    "uulu",
    "la",
    "le",
    "da",
}
NOT_NAME_WORDS = {
    "photo",
    "photos",
    "see",
    "also",
    "follow",
    "us",
    "according",
    "read",
    "more",
    "click",
    "here",
    "share",
    "continue",
    "reading",
    "published",
    "latest",
    "trending",
    "breaking",
    "news",
    "video",
    "getty",
    "images",
    "reuters",
    "afp",
    "ap",
    "courtesy",
    "source",
    "credit",
    "update",
    "updated",
    "editor",
    "comment",
    "president",
    "minister",
    "prime",
    "mr",
    "mrs",
    "ms",
    "dr",
    "prof",
    "sir",
    "article",
    "chapter",
    "table",
    "figure",
    "part",
    "section",
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
    "monday",
    "tuesday",
    "wednesday",
    "thursday",
    "friday",
    "saturday",
    "sunday",
    "over",
    "under",
    "after",
    "before",
    "amid",
    "against",
    "about",
    "into",
    "with",
    "without",
    "from",
    "upon",
    "new",
    "old",
    "jails",
    "jailed",
    "detained",
    "arrested",
    "god",
    "allah",
    "covid",
    "internet",
    "soviet",
    "union",
    "republic",
    "state",
    "government",
    "parliament",
    "central",
    "asia",
    "asian",
    "west",
    "western",
    "east",
    "eastern",
    "north",
    "south",
    "northern",
    "southern",
    "revolution",
    "human",
    "rights",
    "civil",
    "society",
    "elbasy",
    "ctrl",
    "enter",
    "linkedin",
    "facebook",
    "twitter",
    "telegram",
    "instagram",
    "youtube",
    "whatsapp",
    "tiktok",
}
PERSON_SURNAME_ENDINGS = (
    "ov",
    "ev",
    "ova",
    "eva",
    "in",
    "ina",
    "yn",
    "uly",
    "kyzy",
    "uulu",
    "bek",
    "bekov",
    "baev",
    "bayev",
    "enko",
    "sky",
    "skiy",
    "ski",
    "dze",
    "shvili",
    "yan",
    "zoda",
    "zade",
    "iy",
    "ai",
    "yi",
    "beg",
    "ali",
)
HONORIFICS = ("mr", "mrs", "ms", "dr", "prof", "sir", "madam", "mister")
# Patronymic words that end Kyrgyz, Kazakh and Uzbek names ('Almazbek Turgunbek uulu', 'Aida kyzy').
PATRONYMICS = {
    "uulu",
    "kyzy",
    "uly",
    "ulu",
    "qyzy",
    "kyzi",
    "qizi",
    "ogli",
    "o'g'li",
    "o‘g‘li",
    "oglu",
    "ugli",
}
_PATRONYMIC_AFTER_RX = re.compile(
    r"[ \t]+(?:"
    + "|".join(re.escape(w) for w in sorted(PATRONYMICS, key=len, reverse=True))
    + r")(?![\w’'-])"
)

_NAME_WORD = r"[A-ZÀ-ÝĀ-Ž][\w’'!&-]*"  # a capitalised word (or an acronym), accents allowed
_WORD_RX = re.compile(r"[\w’'.-]+")
_EDGE_CHARS = " \t\n.,;:–—-\"“”‘’'()"


# ---------------------------------------------------------------- candidates


@dataclass
class Candidate:
    start: int
    end: int
    kind: str  # person | organization | party | country
    detector: str  # ruler | ner | pattern | syntax | resolved
    name: str  # cleaned name (titles stripped, glued words split, spun heads mapped)
    ref_id: str | None = None
    country_id: str | None = None
    roles: list[str] = field(default_factory=list)
    party_kind: str | None = None
    party_status: str | None = None
    party_name_key: str | None = None
    aliases: list[str] = field(default_factory=list)  # e.g. 'Street' for 'Koshe (Street)'

    @property
    def length(self) -> int:
        return self.end - self.start


_DETECTOR_RANK = {"ruler": 3, "pattern": 2, "syntax": 2, "ner": 1, "resolved": 0}
_KIND_RANK = {"party": 3, "person": 2, "country": 2, "organization": 1}


def _overlaps(a: Candidate, b: Candidate) -> bool:
    return a.start < b.end and b.start < a.end


def _select(cands: list[Candidate]) -> list[Candidate]:
    """Keep one candidate per span: longer, then more specific detector and kind, wins."""
    parties = [c for c in cands if c.kind == "party" and c.detector in ("ruler", "pattern")]
    # the model's ORG span around a party name ('YNTYMAQ political get together') gives way to the party
    people = [c for c in cands if c.kind == "person" and c.detector in ("ruler", "pattern")]
    cands = [
        c
        for c in cands
        if not (c.kind == "organization" and c.detector == "ner" and any(_overlaps(c, p) for p in parties))
        # '... School Education Dilnoza Ergasheva' (ORG): the title's tail, then a person
        and not (
            c.kind == "organization"
            and c.detector == "ner"
            and any(p.end == c.end and p.start > c.start for p in people)
        )
    ]
    ordered = sorted(
        cands, key=lambda c: (-c.length, -_DETECTOR_RANK[c.detector], -_KIND_RANK[c.kind], c.start)
    )
    chosen: list[Candidate] = []
    for cand in ordered:
        if not any(_overlaps(cand, kept) for kept in chosen):
            chosen.append(cand)
    return sorted(chosen, key=lambda c: c.start)


# ---------------------------------------------------------------- context helpers


class Context:
    """The article body with its sentences, for windowed look-ups around a mention."""

    def __init__(self, body: str, sentences: list[tuple[int, int]]):
        self.body = body
        self.sentences = sorted(sentences) or [(0, len(body))]
        self.furniture: list[tuple[int, int]] = []

    def in_furniture(self, pos: int) -> bool:
        return any(start <= pos < end for start, end in self.furniture)

    def sentence_of(self, pos: int) -> tuple[int, int]:
        for start, end in self.sentences:
            if start <= pos < end:
                return start, end
        return max(0, pos - 200), min(len(self.body), pos + 200)

    def is_headline(self, pos: int) -> bool:
        """A Title Case line without closing punctuation: a headline or section label, not prose."""
        start = self.body.rfind("\n", 0, pos) + 1
        end = self.body.find("\n", pos)
        line = self.body[start : end if end >= 0 else len(self.body)].strip()
        words = re.findall(r"[A-Za-z][\w’'-]*", line)
        long_words = [w for w in words if len(w) >= 4]
        return (
            0 < len(words) <= 16
            and len(long_words) >= 2
            and all(w[0].isupper() for w in long_words)
            and not line.endswith((".", "”", '"', ",", ";"))
        )

    def before(self, pos: int, chars: int = 80) -> str:
        start, _ = self.sentence_of(pos)
        return self.body[max(start, pos - chars) : pos]

    def after(self, pos: int, chars: int = 80) -> str:
        _, end = self.sentence_of(max(0, pos - 1))
        return self.body[pos : min(end, pos + chars)]


def _words(text: str) -> list[str]:
    return _WORD_RX.findall(text)


def _strip_possessive(text: str) -> str:
    return re.sub(r"[’']s?$", "", text)


# ---------------------------------------------------------------- titles and roles


def longest_first_alternation(phrases: Iterable[str]) -> str:
    """A regex matching any of `phrases`, the longest first where one extends another: the same matches
    as `a|b|...` sorted longest first, but written as a prefix tree.

    A flat alternation of a hundred-odd phrases is tried phrase by phrase at every word; the tree
    reads each character once, which made the title patterns several times faster.
    """
    trie: dict[str, dict] = {}
    for phrase in phrases:
        node = trie
        for ch in phrase:
            node = node.setdefault(ch, {})
        node[""] = {}  # a phrase ends here

    def build(node: dict[str, dict]) -> str:
        branches = [re.escape(ch) + build(child) for ch, child in sorted(node.items()) if ch]
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
        # greedy optional: the longer phrase is tried first, the one ending here on backtracking
        return f"(?:{body})?" if "" in node else body

    return build(trie)


class Titles:
    """Title phrases from ref_titles, matched as whole words, longest first."""

    def __init__(self, ref: Reference):
        self.roles = dict(ref.titles)
        self.rx = re.compile(r"(?<![\w-])(" + longest_first_alternation(self.roles) + r")(?![\w-])", re.I)

    def strip_leading(self, text: str, ref: Reference) -> tuple[str, int, list[str]]:
        """Remove leading titles, honorifics and demonyms: ('Kazakh President X Y') -> ('X Y', cut, roles)."""
        cut = 0
        roles: list[str] = []
        while True:
            rest = text[cut:]
            m = re.match(r"(\S+)(\s+)", rest)
            if not m:
                break
            word = m.group(1)
            bare = fold(word).strip(".,")
            title = self.rx.match(rest)
            if title and rest[title.end() : title.end() + 1].isspace():
                roles.append(self.roles[title.group(1).lower()])
                cut += title.end()
                cut += len(rest[title.end() :]) - len(rest[title.end() :].lstrip())
                continue
            if (
                bare in HONORIFICS
                or bare in LEADING_STOPWORDS
                or (ref.country_of(word) and ref.country_of(word)[1] == "demonym")
            ):
                cut += m.end()
                continue
            break
        return text[cut:], cut, roles

    def roles_near(self, ctx: Context, start: int, end: int) -> list[str]:
        """Roles from a title right before the name or an apposition right after it."""
        roles: list[str] = []
        before = ctx.before(start, 90)
        # The clause before the name: cut at the last sentence-internal break.
        clause = re.split(r"[;:()\[\]“”\"]|\s[–—-]\s|\band\b|\bor\b", before)[-1]
        for m in self.rx.finditer(clause):
            tail = clause[m.end() :]
            if re.match(r"[’']s\b", tail):
                continue  # 'the president's daughter' is not a president
            # the title must lead up to the name: only a comma, a few words or nothing between
            if len(_words(tail)) <= 4 and not re.search(r"[.!?]", tail) and not _TAIL_BREAK_RX.search(tail):
                roles.append(self.roles[m.group(1).lower()])
        after = ctx.after(end, 90)
        app = re.match(r"\s*,\s*((?:a|an|the)\s[^,.;()]{0,70})", after) or re.match(
            r"\s*\(([^()]{1,60})\)", after
        )
        if app:
            # 'X, a co-author of the letter to the president': the title after 'to' is someone else's
            phrase = re.split(r"\b(?:to|for|with|by|from|who|which|that|whose)\b", app.group(1))[0]
            phrase = re.split(r"[A-Z][a-z]+\s+[A-Z][a-z]+", phrase)[0]  # another person's title
            for m in self.rx.finditer(phrase):
                if re.match(r"[’']s\b", phrase[m.end() :]):
                    continue
                roles.append(self.roles[m.group(1).lower()])
        return list(dict.fromkeys(roles))


# ---------------------------------------------------------------- person names


def _is_name_word(word: str) -> bool:
    bare = word.strip(".,’'")
    if not bare:
        return False
    if bare.lower() in NAME_PARTICLES:
        return True
    return bare[0].isupper() and any(c.islower() for c in bare) and not any(c.isdigit() for c in bare)


def clean_person_name(text: str) -> str | None:
    """A plausible personal name from an entity's text, or None for page furniture and acronyms."""
    text = _strip_possessive(text.strip(_EDGE_CHARS))
    words = text.split()
    if not words or len(words) > 4:
        return None
    if any(w.lower().strip(".,") in NOT_NAME_WORDS for w in words):
        return None
    if not all(_is_name_word(w) for w in words):
        return None
    if words[0].lower() in NAME_PARTICLES or (
        words[-1].lower() in NAME_PARTICLES and not (words[-1].lower() in PATRONYMICS and len(words) >= 2)
    ):
        return None
    if len(words) == 1 and (len(text) < 3 or text.isupper()):
        return None
    return " ".join(split_glued_name(w) for w in words)


# one word of a name: capitalised letters, with inner hyphens or apostrophes ('Al-Serke', "O'Neil")
_NAME_WORD_RX = re.compile(r"[A-Z][a-z]+(?:[-'’][A-Za-z][a-z]+)*")


_RESULT_NAME_RX = re.compile(
    r"(?<![\w’'-])(?P<name>[A-Z][a-z]+[ \t]+[A-Z][a-z]+(?:-[A-Z]?[a-z]+)?)(?![\w’'-])"
    r"(?=(?:[ \t]+of[ \t]+the[ \t]+[^.;%]{3,60}?)?[ \t]*(?:[-–—:]|with|(?:bagged|got|received|won|secured|took)\b)?"
    r"[ \t]*\d{1,2}(?:[.,]\d{1,2})?[ \t]*(?:%|per[ \t]?cent|percent))"
)


def looks_like_person(name: str) -> bool:
    """Shape test for names the model typed as ORG/GPE: two or three words, a surname-like ending."""
    words = name.split()
    if not 2 <= len(words) <= 3:
        return False
    if any(w.lower() in ORG_HEADS or w.lower() in PARTYISH_WORDS for w in words):
        return False
    return fold(words[-1]).endswith(PERSON_SURNAME_ENDINGS)


# ---------------------------------------------------------------- page furniture

# A line that opens a list of links to other stories; what follows it on the line, and the
# headline-like lines after it, name other stories' people and places, not this article's.
_LINK_LIST_RX = re.compile(
    r"(?im)^[ \t]*(?:read (?:also|more)|see also|also read|more reading|more on (?:this|the) (?:topic|story)"
    r"|related(?: stories| articles| content| news| coverage| links)?|most (?:read|popular|viewed|shared)"
    r"|latest(?: news| stories)?|trending(?: now)?|recommended(?: stories)?|editor[’']?s picks"
    r"|you may also like|top stories|popular now|more stories|more news)\b[ \t]*:?(?P<rest>[^\n]*)$"
)
_PROSE_LINE_RX = re.compile(r"[.!?…][”\"’')\]]*\s*$")


def furniture_spans(body: str) -> list[tuple[int, int]]:
    """Body spans of link lists ('Related', 'Read also:', 'Most read' and the headlines under them).

    A label alone on its line opens a list that runs over the following short, headline-like lines
    (blank lines included) and stops at the first line of prose: a long line ending like a sentence.
    """
    spans: list[tuple[int, int]] = []
    for m in _LINK_LIST_RX.finditer(body):
        if spans and m.start() < spans[-1][1]:
            continue
        rest = m.group("rest").strip()
        if rest and len(rest.split()) > 14 and _PROSE_LINE_RX.search(rest):
            continue  # 'Related: the court said on Monday that ...' is prose that starts with a label
        end = m.end()
        pos = m.end()
        while not rest and pos < len(body):  # 'Read also: <one headline>' is a list of one line
            nl = body.find("\n", pos + 1)
            line_end = nl if nl >= 0 else len(body)
            line = body[pos:line_end].strip()
            if line and (len(line.split()) > 16 or (len(line.split()) > 8 and _PROSE_LINE_RX.search(line))):
                break
            if line:
                end = line_end
            pos = line_end
        spans.append((m.start(), end))
    return spans


# ---------------------------------------------------------------- party discovery

_HEAD_ALT = "|".join(re.escape(h) for h in sorted(PARTY_HEADS, key=len, reverse=True))
# 'Democratic Party', 'Democratic Occasion', 'People's Trust Movement', 'Party of Kazakhstan' tail
_CAP_HEAD_RX = re.compile(
    rf"(?P<name>(?:{_NAME_WORD}[ \t]+){{1,5}}?)(?P<head>Party|Movement|Bloc|Occasion|Celebration|Get[ -][Tt]ogether)"
    rf"(?P<tail>[ \t]+of[ \t]+(?:the[ \t]+)?{_NAME_WORD}(?:[ \t]+{_NAME_WORD}){{0,2}})?(?![\w-])(?![ \t]+[A-Z])"
)
# 'National Alliance of Tajikistan', 'Democratic Front': a political alliance when its name is political
_ALLIANCE_RX = re.compile(
    rf"(?P<name>(?:{_NAME_WORD}[ \t]+){{1,4}}?)(?P<head>Alliance|Front|Coalition|Bloc|Congress)"
    rf"(?P<tail>[ \t]+of[ \t]+(?:the[ \t]+)?{_NAME_WORD}(?:[ \t]+{_NAME_WORD}){{0,2}})?(?![\w-])(?![ \t]+[A-Z])"
)
# 'Social Democrats, a registered party led by ...', 'Alga Karakalpakstan, an exile movement'
_APPOSED_HEAD_RX = re.compile(
    rf"(?P<name>{_NAME_WORD}(?:[ \t]+{_NAME_WORD}){{0,3}})[ \t]*,[ \t]+(?:an?|the)[ \t]+"
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
    rf"(?P<name>(?:{_NAME_WORD}[ \t]+){{1,4}}?)(?:\((?P<alias>{_NAME_WORD}(?:[ \t]+{_NAME_WORD}){{0,3}})\)[ \t]+)?"
    rf"(?P<political>political[ \t]+)?(?P<head>{_HEAD_ALT})(?![\w-])",
)
# 'movement – People's Trust', 'party "Nur Otan"', 'the party, Ak Zhol,'
_HEAD_THEN_NAME_RX = re.compile(
    rf"(?P<head>party|movement)[ \t]*(?:[–—-]+|,)?[ \t]*[“\"«]?(?P<name>{_NAME_WORD}(?:[ \t]+{_NAME_WORD}){{0,3}})[”\"»]?",
)
_QUOTED_BEFORE_HEAD_RX = re.compile(
    r"[“\"«](?P<name>[^”\"»\n]{2,40})[”\"»][ \t]+(?P<political>political[ \t]+)?(?P<head>party|movement)(?![\w-])"
)
# between a title and a name: a verb of saying or another name means the title is someone else's
_TAIL_BREAK_RX = re.compile(
    r"\b(?:said|says|told|wrote|added|noted|asked|according)\b|[A-Z][a-z]+\s+[A-Z][a-z]+"
)
_CREDIT_RX = re.compile(
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
    rf"(?P<name>(?:{_NAME_WORD}[ \t]+){{1,4}}?)(?P<head>get[ -]together|occasion|celebration|social gathering)"
    rf"(?P<tail>[ \t]+of[ \t]+(?:the[ \t]+)?(?P<country>{_NAME_WORD}))(?![\w-])"
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
_STATUS_PRIORITY = {"banned": 3, "unregistered": 2, "registered": 1}


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
                key = (distance, -_STATUS_PRIORITY[status], status)
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


# ---------------------------------------------------------------- the extractor


_FUZZY_CACHE_SIZE = 50_000
# Outlets are often named after their founder: 'Temirov Live', 'Kloop Media'. A "name" ending in
# one of these words is an organisation, whatever the model said.
OUTLET_TAILS = frozenset(
    {"Live", "TV", "Media", "News", "Times", "Post", "Today", "Press", "Online", "Radio"}
)


def _retype_outlets(chosen: list[Candidate]) -> None:
    for cand in chosen:
        words = cand.name.split()
        if (
            cand.kind == "person"
            and cand.detector != "ruler"
            and len(words) >= 2
            and words[-1] in OUTLET_TAILS
        ):
            cand.kind = "organization"
            cand.roles = []


class EntityExtractor:
    """Turns one article's spaCy analysis into resolved Mention records."""

    def __init__(self, ref: Reference):
        self.ref = ref
        self.titles = Titles(ref)
        self._body = ""  # the article being extracted
        self._countries: set[str | None] = set()  # and the countries it mentions
        self.ref_surnames: dict[str, list[str]] = defaultdict(list)
        self.ref_given_names: dict[str, list[str]] = defaultdict(list)
        # name -> its fuzzy reference match: a scan of every reference name per call, and the same
        # names recur across articles. Cleared when full, so a long-lived worker stays bounded.
        self._fuzzy_cache: dict[str, str | None] = {}
        for pid, person in ref.people.items():
            self.ref_surnames[name_key(person.name).split()[-1]].append(pid)
            if len(person.name.split()) >= 2:
                self.ref_given_names[name_key(person.name).split()[0]].append(pid)

    # ------------------------------------------------------------ public

    def extract(self, body: str, analysis: Analysis) -> list[Mention]:
        self._body = body
        ctx = Context(body, analysis.sentences)
        cands = self._from_entities(body, analysis, ctx)
        cands += discover_parties(body, self.ref)
        cands += self._person_patterns(body, ctx)
        cands += self._coordinated_people(body, analysis, ctx)
        cands += self._key_variants(body)
        furniture = furniture_spans(body)
        cands = [c for c in cands if not any(s <= c.start < e for s, e in furniture)]
        ctx.furniture = furniture
        chosen = _select(cands)
        chosen = self._retype_party_like_orgs(chosen, ctx)
        chosen += self._countries_inside_names(chosen, body)
        main_country = self._main_country(chosen)
        article_countries = {c.country_id for c in chosen if c.kind == "country"}
        self._countries = article_countries
        chosen = [self._retype_foreign_party_alias(c, article_countries, ctx) for c in chosen]
        chosen = [c for c in chosen if c is not None]
        self._retype_surname_orgs(chosen)
        _retype_outlets(chosen)
        persons = [c for c in chosen if c.kind == "person"]
        persons = self._resolve_people(persons, ctx)
        persons += self._repeated_surnames(persons, chosen, ctx)
        countries = [c for c in chosen if c.kind == "country"]
        parties = self._resolve_parties(
            [c for c in chosen if c.kind == "party"], ctx, main_country, article_countries, countries
        )
        orgs = [
            self._resolve_org(c, main_country, article_countries) for c in chosen if c.kind == "organization"
        ]
        self._link_people_to_parties(persons, parties, ctx)
        everything = sorted(persons + parties + orgs + countries, key=lambda c: (c.start, c.end))
        return [self._to_mention(i, c, body) for i, c in enumerate(everything, start=1)]

    def _surface(self, cand: Candidate) -> str:
        return self._body[cand.start : cand.end] or cand.name

    # ------------------------------------------------------------ candidates from spaCy

    def _from_entities(self, body: str, analysis: Analysis, ctx: Context) -> list[Candidate]:
        out: list[Candidate] = []
        for ent in analysis.entities:
            cand = self._candidate(ent.start, ent.end, ent.label, ent.from_ruler, body, ctx)
            if cand:
                out.append(cand)
        return out

    def _candidate(
        self, start: int, end: int, label: str, from_ruler: bool, body: str, ctx: Context
    ) -> Candidate | None:
        text = body[start:end]
        detector = "ruler" if from_ruler else "ner"
        bare = _strip_possessive(re.sub(r"^(?:the|The)\s+", "", text))
        if label == "PARTY":
            return Candidate(start, end, "party", detector, text)
        country = self.ref.country_of(bare)
        if label in ("GPE", "NORP", "LOC") or (country and label in ("ORG", "PERSON")):
            if not country or not self._country_usable(bare, country, ctx, start):
                return None
            return Candidate(start, end, "country", detector, bare, country_id=country[0])
        if label == "PERSON":
            if not from_ruler and _names_an_organization(body, start, bare):
                return Candidate(start, start + len(text.rstrip()), "organization", detector, bare.strip())
            if " " not in text.strip():
                start = self._given_name_before(body, start)
            return self._person_candidate(start, end, detector, body, ctx)
        if label == "ORG":
            bare = re.sub(r"(?:\s+(?:of|or|and|the|for|in|on|at)|[\s-]+)+$", "", bare)
            if "\n" in bare or not bare:
                return None
            end = start + text.find(bare) + len(bare) if bare in text else end
            start = end - len(bare)
            key = name_key(bare)
            if key in self.ref.party_keys:
                return Candidate(start, end, "party", detector, bare)
            if from_ruler or key in self.ref.organization_keys:
                return Candidate(start, end, "organization", detector, bare)
            person = self._person_candidate(
                start, end, detector, body, ctx, strict=not self._title_before(body, start)
            )
            if person and not _names_an_organization(body, start, bare):
                return person
            if _plausible_org(bare):
                return Candidate(start, end, "organization", detector, bare)
        return None

    def _coordinated_people(self, body: str, analysis: Analysis, ctx: Context) -> list[Candidate]:
        """Names the model missed or cut short, found by their place in the parse: a proper-noun phrase
        coordinated or apposed with a person ('A, B, C and D' where only A, C and D were tagged), in the
        detainee slot of a detention trigger ('sentenced Marat Duisembiev'), or a PERSON entity whose
        given name the parse puts in the same phrase ('Oralbai' + 'Dosnazarov'), is a person when its
        words look like a name (two or three capitalised words, no organisation or party head word).
        Names found this way count as people for the lists after them (a second pass)."""
        people = [(e.start, e.end) for e in analysis.entities if e.label == "PERSON"]
        # the model's own ORG or GPE reading of a listed name gives way; a reference name does not
        taken = [(e.start, e.end) for e in analysis.entities if e.from_ruler or e.label == "PERSON"]
        out: list[Candidate] = []
        for _ in range(2):
            found = [
                c
                for offset, doc in analysis.parses
                for c in self._names_in_parse(body, offset, doc, people, taken, ctx)
            ]
            found = [c for c in found if not any(c.start == o.start for o in out)]
            if not found:
                break
            out += found
            people += [(c.start, c.end) for c in found]
        return out

    def _names_in_parse(
        self,
        body: str,
        offset: int,
        doc,
        people: list[tuple[int, int]],
        taken: list[tuple[int, int]],
        ctx: Context,
    ) -> list[Candidate]:
        def covering(tok) -> tuple[int, int] | None:
            pos = offset + tok.idx
            return next(((s, e) for s, e in people if s <= pos < e), None)

        out: list[Candidate] = []
        for tok in doc:
            if tok.pos_ != "PROPN":
                continue
            first = tok
            while first.i > 0 and doc[first.i - 1].dep_ == "compound" and doc[first.i - 1].head.i == tok.i:
                first = doc[first.i - 1]
            start, end = offset + first.idx, offset + tok.idx + len(tok.text)
            own = covering(tok)
            if own is not None:
                # a person entity that leaves out a given name the parse joins to it
                if not (own[0] > start and own[1] == end):
                    continue
                blocking = [(s, e) for s, e in taken if (s, e) != own]
            else:
                siblings = [tok.head, *(c for c in tok.children if c.dep_ in {"conj", "appos"})]
                listed = tok.dep_ in {"conj", "appos", "attr", "nsubj", "dobj"} and any(
                    covering(t) is not None for t in siblings if t.pos_ == "PROPN" and t.i != tok.i
                )
                # 'sentenced Marat Duisembiev to ...': the detainee slot of a detention trigger
                detainee = tok.dep_ in {"dobj", "nsubjpass"} and tok.head.lower_ in DETENTION_TABLE
                if not (listed or detainee):
                    continue
                blocking = taken
            if any(s < end and start < e for s, e in blocking) or not 2 <= len(body[start:end].split()) <= 3:
                continue
            words = body[start:end].split()
            if not all(_NAME_WORD_RX.fullmatch(w) for w in words) or any(
                w.lower() in ORG_HEADS or w.lower() in PARTYISH_WORDS for w in words
            ):
                continue
            cand = self._person_candidate(start, end, "syntax", body, ctx)
            if cand:
                out.append(cand)
        return out

    def _title_before(self, body: str, start: int) -> bool:
        """A title or kinship word leads straight up to the span ('nephew Kairat Satybaldy')."""
        before = body[max(0, start - 60) : start]
        m = re.search(r"([A-Za-z][\w’'-]*(?:[ \t]+[\w’'-]+){0,3})[ \t]*,?[ \t]+$", before)
        if not m:
            return False
        words = m.group(1).split()
        return any(" ".join(words[i:]).lower().strip(",") in self.titles.roles for i in range(len(words)))

    def _given_name_before(self, body: str, start: int) -> int:
        """'Aydar Akayev' where the ruler only knew the surname 'Akayev': take the given name in too."""
        m = re.search(r"(?<![\w.!?])([A-Z][a-z]{2,})[ \t]+$", body[max(0, start - 30) : start])
        if not m:
            return start
        word = m.group(1)
        begin = start - len(m.group(0))
        before = body[:begin].rstrip()
        # '."' or ':' ends a sentence, an opening quote starts one; ',"' only closes a quotation
        sentence_start = (
            not before
            or before[-1] in ".!?:“"
            or (before[-1] in '"”' and (len(before) < 2 or before[-2] != ","))
        )
        low = word.lower()
        if (
            sentence_start
            or low in LEADING_STOPWORDS
            or low in NOT_NAME_WORDS
            or low in self.titles.roles
            or self.ref.country_of(word)
            or low in ORG_HEADS
            or low in PARTYISH_WORDS
        ):
            return start
        return begin

    def _country_usable(self, surface: str, country: tuple[str, str], ctx: Context, start: int) -> bool:
        # lower-case 'american' or 'turkish' in running text is not a reference to the country
        return surface[:1].isupper()

    def _person_candidate(
        self, start: int, end: int, detector: str, body: str, ctx: Context, strict: bool = False
    ) -> Candidate | None:
        patronymic = _PATRONYMIC_AFTER_RX.match(body, end)
        if patronymic:
            end = patronymic.end()  # 'Almazbek Turgunbek' + ' uulu': the patronymic is part of the name
        text = body[start:end]
        line_start = body.rfind("\n", 0, start) + 1
        if _CREDIT_RX.search(body[line_start:start]):
            return None  # a photo credit names a photographer, not an actor of the story
        if detector != "ruler" and ctx.is_headline(start):
            return None  # headline words in Title Case look like names to the model
        stripped, cut, roles = self.titles.strip_leading(text, self.ref)
        name = clean_person_name(stripped)
        if not name:
            return None
        # the span shrinks to the name itself: titles, possessives and punctuation left out
        core = _strip_possessive(stripped.strip(_EDGE_CHARS))
        surface_start = start + cut + (len(stripped) - len(stripped.lstrip(_EDGE_CHARS)))
        surface_end = surface_start + len(core)
        key = name_key(name)
        if key in self.ref.party_keys or key in self.ref.organization_keys or self.ref.country_of(name):
            return None
        if strict and not (looks_like_person(name) or key in self.ref.person_keys or roles):
            return None
        if strict and not roles:
            roles = []
        return Candidate(surface_start, surface_end, "person", detector, name, roles=roles)

    # ------------------------------------------------------------ person patterns

    def _person_patterns(self, body: str, ctx: Context) -> list[Candidate]:
        """People the model misses: after a title ('activist X Y'), or 'X Y, a 22-year-old student'."""
        out: list[Candidate] = []
        name = rf"(?P<name>{_NAME_WORD}(?:[ \t]+{_NAME_WORD}){{1,2}})"
        title_rx = self.titles.rx.pattern
        # exactly a given name and a surname, at the end of a capitalised run
        last_two = rf"(?P<name>{_NAME_WORD}[ \t]+{_NAME_WORD})(?![\w’'-])(?![ \t]+[A-Z])"
        rxs = (
            re.compile(rf"(?i:{title_rx})[ \t]*,?[ \t]+{name}"),
            # 'Deputy Minister of Preschool and School Education Dilnoza Ergasheva'
            re.compile(
                rf"(?i:{title_rx})[ \t]+(?:of|for)[ \t]+(?:the[ \t]+)?"
                rf"(?:(?:{_NAME_WORD}|and|of|the|for)[ \t]+){{1,6}}?{last_two}"
            ),
            # 'A deputy of the Jogorku Kenesh, Dastan Bekeshev, was fined': the name in apposition to the post
            re.compile(
                rf"(?i:{title_rx})[ \t]+(?:of|for)[ \t]+(?:the[ \t]+)?"
                rf"(?:(?:{_NAME_WORD}|and|of|the|for)[ \t]+){{0,5}}{_NAME_WORD},[ \t]+{last_two}(?=[ \t]*,)"
            ),
            re.compile(rf"{name}[ \t]*,[ \t]+(?:an?|the)[ \t]+(?:[\w-]+[ \t]+){{0,3}}(?i:{title_rx})\b"),
            # 'Akmal Nuriddinov, director of the Anti-Corruption Agency'
            re.compile(rf"{name}[ \t]*,[ \t]+(?i:{title_rx})[ \t]+(?:of|at|for)\b"),
            re.compile(rf"\b(?:says|said|according to|wrote)[ \t]+{name}"),
        )
        # a candidate in a list of results: 'Adakhan Madumarov 6.46 percent', 'Ulugbek Inoyatov - 4.02
        # percent', 'Daniya Yespayeva of the Ak Zhol Democratic Party bagged 5.2 per cent'
        for m in _RESULT_NAME_RX.finditer(body):
            if looks_like_person(m.group("name")):
                cand = self._person_candidate(
                    m.start("name"), m.end("name"), "pattern", body, ctx, strict=True
                )
                if cand:
                    out.append(cand)
        for rx in rxs:
            for m in rx.finditer(body):
                cand = self._person_candidate(m.start("name"), m.end("name"), "pattern", body, ctx)
                if cand and len(cand.name.split()) >= 2:
                    out.append(cand)
        # a glued name the model tagged as something else: 'says JohanEngvall (CACI Analyst)'
        for m in re.finditer(
            r"\b(?P<name>[A-Z][a-z]{2,}[A-Z][a-z]{2,})\b(?=[ \t]*\((?i:[^()]*?" + title_rx + r"))", body
        ):
            cand = self._person_candidate(m.start("name"), m.end("name"), "pattern", body, ctx)
            if cand:
                out.append(cand)
        return out

    # ------------------------------------------------------------ reference names in other spellings

    _RUN_RX = re.compile(rf"{_NAME_WORD}(?:(?:[ \t]+|[ \t]+(?:of|and|va|the)[ \t]+){_NAME_WORD}){{1,6}}")

    def _key_variants(self, body: str) -> list[Candidate]:
        """Party and organisation names of the reference written in another romanisation ('Aq Jol' for
        'Aq Zhol'): capitalised runs of two words or more whose name key is a reference key."""
        out: list[Candidate] = []
        for run in self._RUN_RX.finditer(body):
            words = list(re.finditer(r"\S+", run.group(0)))
            for i in range(len(words)):
                for j in range(min(len(words), i + 7), i, -1):
                    start, end = run.start() + words[i].start(), run.start() + words[j - 1].end()
                    text = body[start:end]
                    if not words[i].group(0)[0].isupper() or not words[j - 1].group(0)[0].isupper():
                        continue
                    key = name_key(text)
                    if len(key.split()) < 2:
                        continue
                    if key in self.ref.party_keys:
                        out.append(Candidate(start, end, "party", "ruler", text))
                        break
                    if key in self.ref.organization_keys:
                        out.append(Candidate(start, end, "organization", "ruler", text))
                        break
        return out

    def _countries_inside_names(self, chosen: list[Candidate], body: str) -> list[Candidate]:
        """'Social Democratic Party of Kyrgyzstan' names Kyrgyzstan too: a country mention inside it."""
        out: list[Candidate] = []
        for cand in chosen:
            if cand.kind not in ("party", "organization"):
                continue
            for m in re.finditer(
                r"\bof[ \t]+(?:the[ \t]+)?([A-Z][\w’'-]+(?:[ \t]+[A-Z][\w’'-]+)?)",
                body[cand.start : cand.end],
            ):
                country = self.ref.country_of(m.group(1))
                if country and country[1] == "name":
                    start = cand.start + m.start(1)
                    out.append(
                        Candidate(
                            start,
                            start + len(m.group(1)),
                            "country",
                            "pattern",
                            m.group(1),
                            country_id=country[0],
                        )
                    )
        return out

    def _retype_foreign_party_alias(
        self, cand: Candidate, article_countries: set[str | None], ctx: Context
    ) -> Candidate | None:
        """A reference party name of another Central Asian country, not called a party here, is not that
        party: in a Kazakh story 'Atameken' is the chamber of entrepreneurs, not Kyrgyzstan's Ata-Meken.
        It becomes the organisation of that name when there is one, else nothing."""
        if cand.kind != "party" or cand.detector != "ruler":
            return cand
        local = {c for c in article_countries if c in CENTRAL_ASIA}
        ids = self.ref.party_keys.get(name_key(cand.name), [])
        if not local or not ids or any(self.ref.parties[i].country_id in local for i in ids):
            return cand
        near = ctx.body[max(0, cand.start - 25) : cand.end + 25]
        if re.search(r"(?i)\b(?:party|parties|movement|bloc|faction)\b", near):
            return cand
        if name_key(cand.name) in self.ref.organization_keys:
            cand.kind = "organization"
            return cand
        return None

    # ------------------------------------------------------------ re-typing

    def _retype_party_like_orgs(self, chosen: list[Candidate], ctx: Context) -> list[Candidate]:
        out = []
        for cand in chosen:
            if cand.kind == "party" and self._followed_by_org_head(cand, ctx):
                cand.kind = "organization"
            out.append(cand)
        return out

    def _followed_by_org_head(self, cand: Candidate, ctx: Context) -> bool:
        """'the “Amanat” Commonwealth of Trade Unions': a party-like name inside an organisation's name."""
        if cand.detector == "pattern":
            return False
        after = ctx.body[cand.end : cand.end + 40]
        m = re.match(r"[”\"»’']?\s*((?:[A-Z][\w-]*\s+){0,2}[A-Z][\w-]*)", after)
        return bool(m and any(fold(w) in ORG_HEADS for w in m.group(1).split()))

    def _retype_surname_orgs(self, chosen: list[Candidate]) -> None:
        """An ORG of the model's that is the surname, or the whole name, of a person named in the
        article ('Following the tragic events, Zhanbolat Mamay organized ...')."""
        people = {name_key(c.name) for c in chosen if c.kind == "person" and " " in c.name}
        surnames = {key.split()[-1] for key in people}
        for cand in chosen:
            if cand.kind != "organization" or cand.detector != "ner":
                continue
            key = name_key(cand.name)
            if key in people or (" " not in cand.name.strip() and key in surnames):
                cand.kind = "person"

    def _main_country(self, chosen: list[Candidate]) -> str | None:
        counts = Counter(c.country_id for c in chosen if c.kind == "country" and c.country_id in CENTRAL_ASIA)
        return counts.most_common(1)[0][0] if counts else None

    # ------------------------------------------------------------ people

    def _resolve_people(self, persons: list[Candidate], ctx: Context) -> list[Candidate]:
        for cand in persons:
            cand.roles = list(dict.fromkeys(cand.roles + self.titles.roles_near(ctx, cand.start, cand.end)))
            country = self._demonym_before(ctx, cand.start)
            if country:
                cand.country_id = country
        full = [c for c in persons if len(c.name.split()) >= 2]
        clusters = _cluster(full)
        canonical: dict[int, tuple[str, str | None]] = {}
        for members in clusters:
            name, ref_id = self._cluster_identity(members)
            for c in members:
                canonical[id(c)] = (name, ref_id)
        kept: list[Candidate] = []
        for cand in persons:
            if id(cand) in canonical:
                cand.name, cand.ref_id = canonical[id(cand)]
                kept.append(cand)
                continue
            resolved = self._resolve_single(cand, clusters, canonical)
            if resolved:
                kept.append(resolved)
        for cand in kept:
            if cand.ref_id and not cand.country_id:
                cand.country_id = self.ref.people[cand.ref_id].country_id
        return kept

    def _repeated_surnames(
        self, persons: list[Candidate], chosen: list[Candidate], ctx: Context
    ) -> list[Candidate]:
        """Bare-surname mentions the model did not tag ('Zhakei did not say...'), spelling variants included."""
        taken = [(c.start, c.end) for c in chosen] + [(c.start, c.end) for c in persons]
        by_key: dict[str, dict[str, Candidate]] = defaultdict(dict)
        for cand in persons:
            surface = ctx.body[cand.start : cand.end].split()
            if len(surface) >= 2 and len(surface[-1]) >= 4:
                by_key[name_key(_strip_possessive(surface[-1]))].setdefault(cand.name, cand)
        # a surname shared by two people in the article is resolved only where just one of them has
        # been named in full so far ('Aynabat Orazova ... Orazova, 38, was detained ... her mother,
        # Maral Orazova'); after both are introduced it stays unresolved
        first_named = {c.name: min(p.start for p in persons if p.name == c.name) for c in persons}
        keyed = {k: next(iter(v.values())) for k, v in by_key.items() if len(v) == 1}
        shared = {k: list(v.values()) for k, v in by_key.items() if len(v) > 1}
        extra: list[Candidate] = []
        for m in re.finditer(r"(?<![\w-])[A-Z][\w’'-]{3,}(?![\w-])", ctx.body):
            word = _strip_possessive(m.group(0))
            key = name_key(word)
            person = keyed.get(key) or next(
                (p for k, p in keyed.items() if len(key) >= 6 and same_surname(key, k)), None
            )
            if person is None and key in shared:
                introduced = [p for p in shared[key] if first_named[p.name] < m.start()]
                person = introduced[0] if len(introduced) == 1 else None
            end = m.start() + len(word)
            if person is None or any(s < end and m.start() < e for s, e in taken):
                continue
            next_word = re.match(r"[ \t]+([A-Za-z][\w-]*)", ctx.body[end : end + 30])
            if (
                (next_word and fold(next_word.group(1)) in ORG_HEADS)
                or _CREDIT_RX.search(ctx.body[ctx.body.rfind("\n", 0, m.start()) + 1 : m.start()])
                or ctx.is_headline(m.start())
                or ctx.in_furniture(m.start())
            ):
                continue
            extra.append(
                Candidate(
                    m.start(),
                    end,
                    "person",
                    "resolved",
                    person.name,
                    ref_id=person.ref_id,
                    country_id=person.country_id,
                )
            )
            taken.append((m.start(), end))
        return extra

    def _cluster_identity(self, members: list[Candidate]) -> tuple[str, str | None]:
        for cand in members:
            ref_id = self._ref_person_exact(cand.name)
            if ref_id:
                return self.ref.people[ref_id].name, ref_id
        for cand in members:
            ref_id = self._ref_person_fuzzy(cand.name)
            if ref_id:
                return self.ref.people[ref_id].name, ref_id
        counts = Counter(c.name for c in members)
        best = max(counts, key=lambda n: (counts[n], len(n), -min(c.start for c in members if c.name == n)))
        return best, None

    def _ref_person_exact(self, name: str) -> str | None:
        ids = self.ref.person_keys.get(name_key(name), [])
        return ids[0] if len(ids) == 1 else None

    def _ref_person_fuzzy(self, name: str) -> str | None:
        if name in self._fuzzy_cache:
            return self._fuzzy_cache[name]
        if len(self._fuzzy_cache) >= _FUZZY_CACHE_SIZE:
            self._fuzzy_cache.clear()
        ref_id = self._fuzzy_cache[name] = self._scan_ref_person_fuzzy(name)
        return ref_id

    def _scan_ref_person_fuzzy(self, name: str) -> str | None:
        hits = [
            pid
            for pid, person in self.ref.people.items()
            if len(person.name.split()) >= 2 and same_person(name, person.name)
        ]
        hits += [
            pid
            for pid, aliases in self.ref.person_aliases.items()
            if pid not in hits and any(len(a.split()) >= 2 and same_person(name, a) for a in aliases)
        ]
        return hits[0] if len(hits) == 1 else None

    def _resolve_single(
        self, cand: Candidate, clusters: list[list[Candidate]], canonical: dict[int, tuple[str, str | None]]
    ) -> Candidate | None:
        """A surname-only mention: the article's full name with that surname, else the reference."""
        key = name_key(cand.name)
        matches = [
            members for members in clusters if same_surname(key, name_key(members[0].name).split()[-1])
        ]
        if len(matches) > 1:
            # 'Berdimuhamedow' next to 'Serdar Berdymukhammedov' and 'Gurbanguly Berdimuhamedow': the
            # one spelt exactly so
            spelt = fold(cand.name)
            exact = [
                m
                for m in matches
                if any(fold(_strip_possessive(self._surface(c).split()[-1])) == spelt for c in m)
            ]
            matches = exact if len(exact) == 1 else matches
        if len(matches) > 1:
            # 'Akayev' with Askar and Aydar Akayev in the text: the reference figure, else the most named
            with_ref = [m for m in matches if canonical[id(m[0])][1]]
            matches = with_ref if len(with_ref) == 1 else sorted(matches, key=len, reverse=True)[:1]
        if matches:
            cand.name, cand.ref_id = canonical[id(matches[0][0])]
            cand.detector = "resolved" if cand.detector == "ner" else cand.detector
            return cand
        ids = self.ref.person_keys.get(key, [])
        if len(ids) != 1:
            ids = [pid for pid in self.ref_surnames.get(key, [])] or [
                pid
                for sur, pids in self.ref_surnames.items()
                for pid in pids
                if len(key) >= 6 and same_surname(key, sur)
            ]
        if len(ids) == 1 and self._plausible_reference(cand, ids[0]):
            cand.name, cand.ref_id = self.ref.people[ids[0]].name, ids[0]
            return cand
        # 'Serdar Berdimuhamedov and his father, Gurbanguly': a reference person's given name, with the
        # family name already in the article
        surnames = [name_key(m[0].name).split()[-1] for m in clusters]
        given = [
            pid
            for pid in self.ref_given_names.get(key, [])
            if any(same_surname(name_key(self.ref.people[pid].name).split()[-1], sur) for sur in surnames)
        ]
        if len(given) == 1:
            cand.name, cand.ref_id = self.ref.people[given[0]].name, given[0]
            return cand
        if cand.roles and " " not in cand.name and cand.name[0].isupper():
            return cand  # 'President Smith', 'activist Kim': a named person even without a first name
        return None

    def _plausible_reference(self, cand: Candidate, person_ref_id: str) -> bool:
        """A bare surname names a reference person only in a story about that person's country, and not
        when an initial says otherwise ('A. Sultanov' in Almaty is not Uzbekistan's Utkir Sultanov)."""
        person = self.ref.people[person_ref_id]
        initial = re.search(r"\b([A-Z])\.[ \t]*$", self._body[max(0, cand.start - 4) : cand.start])
        if initial and fold(person.name)[0] != fold(initial.group(1)):
            return False
        known = {c for c in self._countries if c}
        return not known or person.country_id in known

    def _demonym_before(self, ctx: Context, start: int) -> str | None:
        m = re.search(r"([A-Z][\w-]+)\s+(?:[\w-]+\s+){0,3}$", ctx.body[max(0, start - 60) : start])
        if m:
            country = self.ref.country_of(m.group(1))
            if country and country[1] == "demonym":
                return country[0]
        return None

    # ------------------------------------------------------------ parties

    def _resolve_parties(
        self,
        parties: list[Candidate],
        ctx: Context,
        main_country: str | None,
        article_countries: set[str | None],
        countries: list[Candidate],
    ) -> list[Candidate]:
        spans = [(c.start, c.end) for c in parties]
        for cand in parties:
            near = self._nearest_country(cand, ctx, countries)
            ref_id = self._ref_party(cand, near or main_country, article_countries)
            if ref_id:
                party = self.ref.parties[ref_id]
                cand.ref_id, cand.country_id = ref_id, party.country_id
                cand.party_kind = party.kind
            else:
                cand.country_id = self._nearest_country(cand, ctx, countries) or main_country
                cand.party_kind = cand.party_kind or "party"
            cand.party_status = status_cue(ctx, cand, spans)
        # one status per party in the article: what most cues say, the stronger cue on a tie
        by_party: dict[str, list[Candidate]] = defaultdict(list)
        for cand in parties:
            by_party[cand.ref_id or name_key(cand.name)].append(cand)
        for members in by_party.values():
            cues = Counter(c.party_status for c in members if c.party_status)
            if cues:
                status = max(cues, key=lambda s: (cues[s], _STATUS_PRIORITY[s]))
            elif members[0].ref_id:
                status = self.ref.parties[members[0].ref_id].registration_status
            else:
                status = "unknown"
            names = Counter(c.name for c in members)
            name = (
                self.ref.parties[members[0].ref_id].name
                if members[0].ref_id
                else max(names, key=lambda n: (names[n], len(n)))
            )
            for c in members:
                c.party_status = status
                c.name = name
        return parties

    def _nearest_country(self, cand: Candidate, ctx: Context, countries: list[Candidate]) -> str | None:
        s_start, s_end = ctx.sentence_of(cand.start)
        near = [c for c in countries if s_start <= c.start < s_end and c.country_id in CENTRAL_ASIA]
        if not near:
            return None
        return min(near, key=lambda c: abs(c.start - cand.start)).country_id

    def _ref_party(
        self, cand: Candidate, main_country: str | None, article_countries: set[str | None]
    ) -> str | None:
        """The reference party a mention names, among parties of the countries the article is about."""
        keys = [name_key(_strip_possessive(cand.name))]
        bare = re.sub(r"\s+(?:party|movement|Party|Movement)$", "", cand.name)
        keys.append(name_key(bare))
        local = {c for c in article_countries if c in CENTRAL_ASIA}
        # 'the People's Democratic Party' in a Tajik story: '... of Tajikistan'; the country named
        # nearest (else the article's main country) first, then the article's other countries
        for country_id in [main_country, *sorted(local - {main_country})]:
            country = self.ref.countries.get(country_id or "")
            if country:
                keys.append(name_key(f"{cand.name} of {country.name}"))
        keys += [name_key(a) for a in cand.aliases]
        for key in keys:
            ids = self.ref.party_keys.get(key, [])
            if local:
                # Kyrgyzstan's Yntymak is not a Kazakh party that happens to share its name
                ids = [i for i in ids if self.ref.parties[i].country_id in local]
            if len(ids) > 1 and main_country:
                ids = [i for i in ids if self.ref.parties[i].country_id == main_country] or ids
            if ids:
                return ids[0]
        return None

    # ------------------------------------------------------------ organisations

    def _resolve_org(
        self, cand: Candidate, main_country: str | None, article_countries: set[str | None]
    ) -> Candidate:
        ids = self.ref.organization_keys.get(name_key(cand.name), [])
        # a national body ('Supreme Court') belongs to a country the article is about, else it stays unlinked
        ids = [
            i
            for i in ids
            if self.ref.organizations[i].kind not in NATIONAL_BODY_KINDS
            or self.ref.organizations[i].country_id in article_countries
        ]
        if len(ids) > 1:
            local = [i for i in ids if self.ref.organizations[i].country_id == main_country]
            ids = local if len(local) == 1 else []
        if len(ids) == 1:
            org = self.ref.organizations[ids[0]]
            cand.ref_id, cand.name, cand.country_id = org.org_ref_id, org.name, org.country_id
        return cand

    # ------------------------------------------------------------ person-party ties

    def _link_people_to_parties(
        self, persons: list[Candidate], parties: list[Candidate], ctx: Context
    ) -> None:
        leader = r"(?:leader|chief|chairman|chairwoman|head|founder|co-founder|member|activist|supporter)"
        for person in persons:
            for party in parties:
                between_before = ctx.body[party.end : person.start]
                between_after = ctx.body[person.end : party.start]
                m_before = party.end <= person.start and re.fullmatch(
                    rf"[”\"’']?\s*(?:party\s+|movement\s+)?(?P<t>{leader})\s+", between_before, re.I
                )
                m_after = (
                    person.end <= party.start
                    and len(between_after) <= 90
                    and not re.search(r"[.!?]\s", between_after)
                    and re.search(
                        rf"(?P<t>{leader})\s+of\s+(?:the\s+)?(?:[\w-]+[;:,]?\s+){{0,3}}[“\"«]?$",
                        between_after,
                        re.I,
                    )
                )
                m = m_before or m_after
                if not m:
                    continue
                person.party_name_key = name_key(party.name)
                title = m.group("t").lower()
                if title in ("leader", "chief", "chairman", "chairwoman", "head", "founder", "co-founder"):
                    person.roles = [r for r in person.roles if r not in ("leader",)] + ["party_leader"]
                elif title in ("member", "activist", "supporter"):
                    person.roles.append("party_member" if title == "member" else title)
                person.roles = list(dict.fromkeys(person.roles))
                break

    # ------------------------------------------------------------ output

    def _to_mention(self, number: int, cand: Candidate, body: str) -> Mention:
        canonical = cand.name
        if cand.kind == "country":
            canonical = (
                self.ref.countries[cand.country_id].name
                if cand.country_id in self.ref.countries
                else canonical
            )
        return Mention(
            mention_no=number,
            entity_type=cand.kind,
            surface_text=body[cand.start : cand.end],
            char_start=cand.start,
            char_end=cand.end,
            canonical_name=canonical,
            name_key=name_key(canonical),
            ref_id=cand.ref_id if cand.kind != "country" else cand.country_id,
            country_id=cand.country_id,
            roles=list(cand.roles) if cand.kind == "person" else [],
            party_name_key=cand.party_name_key,
            party_kind=cand.party_kind if cand.kind == "party" else None,
            party_status=cand.party_status if cand.kind == "party" else None,
            detector=cand.detector,
        )


# Nouns that introduce an organisation's name: 'the outlet Ayan Media', 'the group Atajurt Eriktileri'.
ORG_INTRODUCERS = (
    "group",
    "organization",
    "organisation",
    "ngo",
    "association",
    "outlet",
    "newspaper",
    "website",
    "site",
    "channel",
    "agency",
    "company",
    "firm",
    "foundation",
    "fund",
    "network",
    "station",
    "magazine",
    "portal",
    "publication",
    "broadcaster",
    "bank",
    "initiative",
    "platform",
    "daily",
    "weekly",
    "tv",
    "charity",
    "watchdog",
    "union",
    "club",
    "center",
    "centre",
    "institute",
    "think tank",
    "publisher",
    "brand",
)
_ORG_INTRODUCER_RX = re.compile(
    r"\b(?:" + "|".join(re.escape(w) for w in ORG_INTRODUCERS) + r")[ \t]+[“\"«]?$", re.I
)


def _names_an_organization(body: str, start: int, text: str) -> bool:
    """A name-shaped span that is an organisation: it ends in an organisation word ('Ayan Media') or an
    organisation noun introduces it ('the human rights group Atajurt Eriktileri')."""
    words = text.split()
    if words and fold(words[-1]).strip(".,’'") in ORG_HEADS:
        return True
    return bool(_ORG_INTRODUCER_RX.search(body[max(0, start - 40) : start]))


def _plausible_org(text: str) -> bool:
    words = text.split()
    if not words or len(words) > 8 or not text[0].isupper():
        return False
    if len(words) == 1 and not (text.isupper() and len(text) >= 2 or re.search(r"[.\d]|[a-z][A-Z]", text)):
        return False  # a lone capitalised word ('Collapse', 'Committee') is rarely an organisation
    return not re.search(r"\d{2,}|[@#]|https?:", text)


def _cluster(full: list[Candidate]) -> list[list[Candidate]]:
    """Group full-name mentions that are spellings of one person (union-find over same_person)."""
    parent = list(range(len(full)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for i in range(len(full)):
        for j in range(i + 1, len(full)):
            if find(i) != find(j) and same_person(full[i].name, full[j].name):
                parent[find(i)] = find(j)
    groups: dict[int, list[Candidate]] = defaultdict(list)
    for i, cand in enumerate(full):
        groups[find(i)].append(cand)
    return list(groups.values())


_EXTRACTORS: dict[int, EntityExtractor] = {}


def extract_mentions(body: str, analysis: Analysis, ref: Reference) -> list[Mention]:
    """Resolved mentions of one article (mention_no from 1, ordered by offset)."""
    extractor = _EXTRACTORS.get(id(ref))
    if extractor is None or extractor.ref is not ref:
        extractor = _EXTRACTORS[id(ref)] = EntityExtractor(ref)
    return extractor.extract(body, analysis)
