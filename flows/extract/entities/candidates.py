"""Entity candidates and the helpers that shape them: one candidate per span (`select_candidates`), the
article context, titles and roles, the shape of a person's name, and page furniture."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from flows.extract.entities.vocabulary import (
    EDGE_CHARS,
    HONORIFICS,
    LEADING_STOPWORDS,
    NAME_PARTICLES,
    NOT_NAME_WORDS,
    ORG_HEADS,
    PARTYISH_WORDS,
    PATRONYMICS,
    PERSON_SURNAME_ENDINGS,
    WORD_RX,
)
from flows.extract.names import fold, split_glued_name
from flows.extract.reference import Reference

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


def select_candidates(cands: list[Candidate]) -> list[Candidate]:
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
    return WORD_RX.findall(text)


def strip_possessive(text: str) -> str:
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


# between a title and a name: a verb of saying or another name means the title is someone else's
_TAIL_BREAK_RX = re.compile(
    r"\b(?:said|says|told|wrote|added|noted|asked|according)\b|[A-Z][a-z]+\s+[A-Z][a-z]+"
)


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
    text = strip_possessive(text.strip(EDGE_CHARS))
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
NAME_WORD_RX = re.compile(r"[A-Z][a-z]+(?:[-'’][A-Za-z][a-z]+)*")


RESULT_NAME_RX = re.compile(
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
