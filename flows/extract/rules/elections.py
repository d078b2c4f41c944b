"""Elections and their results.

An election mention is an election noun ('elections', 'polls', 'vote', 'referendum') with its
modifiers: type words, snap words, a date ('the January 10 parliamentary election', 'parliamentary
elections in March 2023', 'On February 27, 2005, the parliamentary elections were held'). Mentions
that carry a type become elections; within one article they merge when country and type agree and
their dates are compatible. Mentions without a type ('the vote', 'snap elections') refer to the
nearest typed election: they add `is_snap` and give results something to attach to.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from flows.extract.dates import DateMention
from flows.extract.model import Mention
from flows.extract.rules.context import ArticleContext, Sentence
from flows.extract.rules.lexicon import COUNTRY_WORD_PATTERN, COUNTRY_WORDS, parse_number
from flows.extract.rules.negation import is_unreal

NOUN = re.compile(
    r"\b(?:(?P<re>re-?elected|elected)|by-elections?|elections?|polls?|vote|voting|referend(?:um|ums|a)|plebiscite)\b",
    re.I,
)
_NOT_ELECTION = re.compile(
    r"(?:opinion|exit|straw)\s+$|\bno[- ]confidence\s+$|\bright to\s+$|\b(?:cast|casting) (?:a|their|his|her)\s+$",
    re.I,
)
_NOT_ELECTION_AFTER = re.compile(
    r"^\s+(?:of (?:no )?confidence|stations?|booths?|workers|rights|count)\b", re.I
)

TYPE_WORDS = {
    "presidential": "presidential",
    "parliamentary": "parliamentary",
    "legislative": "parliamentary",
    "majilis": "parliamentary",
    "mazhilis": "parliamentary",
    "majlis": "parliamentary",
    "senate": "parliamentary",
    "kenesh": "parliamentary",
    "local": "local",
    "municipal": "local",
    "maslikhat": "local",
    "regional": "local",
    "council": "local",
    "constitutional": "referendum",
    "referendum": "referendum",
    "referendums": "referendum",
    "referenda": "referendum",
    "plebiscite": "referendum",
}
SNAP_WORDS = {"snap", "early", "advanced", "advance", "pre-term", "preterm", "extraordinary", "pre-schedule"}
PAST_WORDS = {"last", "previous", "past", "former", "earlier", "recent", "prior"}
FUTURE_WORDS = {"upcoming", "forthcoming", "next", "coming", "scheduled", "planned", "future"}
MODIFIER_WORDS = (
    set(TYPE_WORDS)
    | SNAP_WORDS
    | PAST_WORDS
    | FUTURE_WORDS
    | {
        "the",
        "a",
        "an",
        "this",
        "that",
        "these",
        "those",
        "new",
        "another",
        "other",
        "one",
        "its",
        "their",
        "his",
        "her",
        "general",
        "national",
        "nationwide",
        "repeat",
        "runoff",
        "round",
        "first",
        "second",
        "and",
        ",",
        "so-called",
        "long-awaited",
        "free",
        "fair",
        "democratic",
        "rigged",
        "flawed",
        "disputed",
        "contested",
        "of",
        "jogorku",
        "oliy",
        "kurultai",
        "country's",
        "nation's",
        "much-anticipated",
        "joint",
        "simultaneous",
        "parliament",
        "lower",
        "house",
        "mid-term",
        "midterm",
        "presidential-",
        "all-national",
    }
)
_POST_TYPE = re.compile(
    r"^\s+(?:(?:to|for|of|into)\s+(?:the\s+)?(?:country's\s+|new\s+|next\s+|national\s+|local\s+)?"
    r"|to\s+(?:choose|elect)\s+(?:the\s+|a\s+)?(?:country's\s+)?(?:next\s+|new\s+)?)"
    r"(?P<t>president(?:cy)?|parliament|majilis|mazhilis|majlis|lower house|senate|jogorku kenesh|oliy majlis"
    r"|local councils?|maslikhats?|city councils?|keneshes|deputies|lawmakers|members of parliament|head of state)\b",
    re.I,
)
_POST_TYPE_MAP = {
    "president": "presidential",
    "presidency": "presidential",
    "head of state": "presidential",
    "local council": "local",
    "local councils": "local",
    "maslikhat": "local",
    "maslikhats": "local",
    "city council": "local",
    "city councils": "local",
    "keneshes": "local",
}
_DATE_GAP_AFTER = re.compile(
    r"^[\s,]*(?:(?:was|were|will be|is|are|to be|has been|had been|would be|be|being)\s+)?"
    r"(?:(?:held|scheduled|set|slated|planned|due|called|expected|conducted|organi[sz]ed|announced|took place"
    r"|takes place|will take place)\s+)?"
    r"(?:to take place\s+)?(?:in\s+[A-Z][\w-]+\s+)?(?:(?:in|on|for|of|from|by)\s+)?(?:the\s+)?"
    r"(?:(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday),?\s+)?$"
)
_OTHER_CLAUSE = re.compile(
    r"[,;:()–—]|\b(?:since|after|before|when|who|which|while|until|because|that|where|following|than)\b", re.I
)
_DECISION = re.compile(
    r"\b(?:decid\w*|decision|announc\w*|call\w*|propos\w*|order\w*|decree\w*|schedul\w*|said|says)\b", re.I
)
_ELECTED_AS_OTHER = re.compile(
    r"^\s+(?:as\s+)?(?:the\s+)?(?:chair\w*|head of the (?:party|board|union)|leader of the|speaker|secretary|rector"
    r"|deputy chair|member of the board|party leader|mayor|akim)",
    re.I,
)
_ELECTED_TYPE = re.compile(
    r"^[^.;]{0,30}?\b(?P<t>president|presidency|parliament|majilis|mazhilis|deputy|mp)\b", re.I
)
_SNAP_AFTER = re.compile(
    r"^[^.;]{0,25}\b(?:ahead of schedule|early|before the end of (?:his|the) term)\b", re.I
)


@dataclass
class ElectionMention:
    start: int
    end: int
    sentence: Sentence
    types: list[str]
    country_id: str | None
    date: DateMention | None = None
    snap: bool = False
    past: bool = False
    future: bool = False
    another: bool = False
    needs_type: bool = False  # 're-elected' with no office named
    subject: Mention | None = None
    cluster: int | None = None


@dataclass
class ElectionCluster:
    country_id: str
    election_type: str
    mentions: list[ElectionMention] = field(default_factory=list)
    year: int | None = None
    month: int | None = None
    day: int | None = None
    past: bool = False
    future: bool = False
    snap: bool = False

    def date_fields(self) -> tuple[int | None, int | None, int | None]:
        return self.year, self.month, self.day


def mention_date_fields(d: DateMention | None) -> tuple[int | None, int | None, int | None]:
    if d is None:
        return None, None, None
    if d.value is not None:
        v = d.value
        return (
            v.year,
            v.month if d.precision in {"month", "day"} else None,
            v.day if d.precision == "day" else None,
        )
    if d.day_month:
        month, day = d.day_month.split("-")
        return None, int(month), int(day)
    return None, None, None


def _compatible(a: tuple[int | None, ...], b: tuple[int | None, ...]) -> bool:
    """Dates agree when every field both know is equal and they share at least one known field."""
    shared = [(x, y) for x, y in zip(a, b, strict=True) if x is not None and y is not None]
    return bool(shared) and all(x == y for x, y in shared)


def _modifier_span(text: str, noun_start: int, dates: list[DateMention], offset: int) -> int:
    """Start (relative to `text`) of the run of modifiers right before an election noun."""
    pos = noun_start
    tokens = list(re.finditer(r"[\w'’-]+|,", text[:noun_start]))
    for tok in reversed(tokens):
        word = tok.group(0).lower().replace("’", "'")
        gap = text[tok.end() : pos]
        if gap.strip():
            break
        abs_start, abs_end = offset + tok.start(), offset + tok.end()
        in_date = any(d.start <= abs_start and abs_end <= d.end for d in dates)
        is_country = word.endswith("'s") and word[:-2].capitalize() in COUNTRY_WORDS
        if in_date or word in MODIFIER_WORDS or COUNTRY_WORD_PATTERN.fullmatch(tok.group(0)) or is_country:
            pos = tok.start()
            continue
        break
    # never start on a conjunction or comma
    while True:
        m = re.match(r"(?:and|,)\s*", text[pos:noun_start])
        if not m or not m.group(0):
            break
        pos += m.end()
    return pos


def find_mentions(ctx: ArticleContext, sentence: Sentence) -> list[ElectionMention]:
    text = sentence.text
    dates = ctx.dates_in(sentence)
    mentions: list[ElectionMention] = []
    for m in NOUN.finditer(text):
        if _NOT_ELECTION.search(text[max(0, m.start() - 25) : m.start()]) or _NOT_ELECTION_AFTER.match(
            text[m.end() :]
        ):
            continue
        noun = m.group(0).lower()
        if m["re"]:
            mention = _elected_mention(ctx, sentence, m, dates)
            if mention:
                mentions.append(mention)
            continue
        mod_start = _modifier_span(text, m.start(), dates, sentence.start)
        modifiers = text[mod_start : m.start()]
        words = [w.lower().replace("’", "'") for w in re.findall(r"[\w'’-]+", modifiers)]
        types = [TYPE_WORDS[w] for w in words if w in TYPE_WORDS]
        if noun in TYPE_WORDS:
            types.append(TYPE_WORDS[noun])
        if "parliament" in words and not types:
            types.append("parliamentary")
        end = m.end()
        post = _POST_TYPE.match(text[m.end() :])
        if post and not types:
            t = post["t"].lower()
            types.append(_POST_TYPE_MAP.get(t, "parliamentary"))
            end = m.end() + post.end()
        types = list(dict.fromkeys(types))
        snap = any(w in SNAP_WORDS and not _followed_by_month(w, modifiers) for w in words)
        snap = snap or bool(_SNAP_AFTER.match(text[m.end() :]))
        date = _date_for(ctx, sentence, mod_start, m.start(), end, dates, bool(types))
        country = _country_for(ctx, sentence, modifiers, text[end : end + 40], sentence.start + m.start())
        another = bool(re.search(r"\b(?:another|one other|a second|a third|a repeat)\b", modifiers, re.I))
        if types and _generic(noun, words, date, snap, text):
            continue
        mentions.append(
            ElectionMention(
                sentence.start + mod_start,
                sentence.start + end,
                sentence,
                types,
                country,
                date,
                snap,
                past=bool(set(words) & PAST_WORDS) or _past_verb(text[end:]),
                future=bool(set(words) & FUTURE_WORDS) or bool(re.search(r"\bwill\b", text[end : end + 30])),
                another=another,
            )
        )
    _share_sentence_type(mentions)
    return mentions


_SPECIFIC_WORDS = (
    {"the", "this", "these", "those", "its", "their", "another", "one"} | PAST_WORDS | FUTURE_WORDS
)
_HAPPENS = re.compile(
    r"\b(?:hold|holds|held|holding|took place|take place|called|scheduled|announced|won|contest\w*"
    r"|boycott\w*|ahead of|before|after|during|since|until|in the run-up to)\b",
    re.I,
)


def _generic(noun: str, words: list[str], date: DateMention | None, snap: bool, sentence_text: str) -> bool:
    """'Parliamentary elections in Kazakhstan have never been free': a bare plural with no determiner,
    date or snap word, in a sentence where nothing is held, called or won, is about elections in general."""
    if date is not None or snap or not noun.endswith("s") or set(words) & _SPECIFIC_WORDS:
        return False
    return not _HAPPENS.search(sentence_text)


def _followed_by_month(word: str, modifiers: str) -> bool:
    return bool(
        re.search(
            rf"\b{re.escape(word)}\s+(?:January|February|March|April|May|June|July|August|September"
            rf"|October|November|December)\b",
            modifiers,
            re.I,
        )
    )


def _past_verb(after: str) -> bool:
    return bool(re.match(r"^[^.;]{0,20}\b(?:were|was) (?:held|conducted)|^\s+took place", after, re.I))


def _date_for(
    ctx: ArticleContext,
    sentence: Sentence,
    mod_start: int,
    noun_start: int,
    end: int,
    dates: list[DateMention],
    typed: bool,
) -> DateMention | None:
    s0 = sentence.start
    # a weekday with no anchor ('on Sunday, March 26, 2023') says nothing; the explicit date next to it does
    dates = [d for d in dates if d.value is not None or d.day_month is not None]
    inside = [d for d in dates if s0 + mod_start <= d.start and d.end <= s0 + noun_start]
    if inside:
        return inside[-1]
    for d in dates:
        if d.start >= s0 + end and _DATE_GAP_AFTER.match(ctx.body[s0 + end : d.start]):
            return d
    # 'a referendum on building a nuclear power plant on October 6': the only date shortly after, with no
    # other clause, decision or time reference in between
    later = [d for d in dates if s0 + end <= d.start <= s0 + end + 80]
    if typed and len(later) == 1:
        between = ctx.body[s0 + end : later[0].start]
        if not _DECISION.search(between) and not _OTHER_CLAUSE.search(between):
            return later[0]
    # 'On February 27, 2005, the parliamentary elections were held' / 'On April 26 Kazakhstan will vote'
    if typed and dates:
        first = dates[0]
        lead = ctx.body[s0 : first.start]
        between = ctx.body[first.end : s0 + noun_start]
        if (
            re.fullmatch(r"\s*(?:On|In|By)?\s*", lead)
            and first.end <= s0 + noun_start
            and not _DECISION.search(between)
        ):
            return first
    return None


def _country_for(ctx: ArticleContext, sentence: Sentence, modifiers: str, after: str, pos: int) -> str | None:
    for m in COUNTRY_WORD_PATTERN.finditer(modifiers):
        return COUNTRY_WORDS[m.group(1)]
    for m in re.finditer(r"^\s+in\s+(?P<c>[A-Z][\w-]+)", after):
        if m["c"] in COUNTRY_WORDS:
            return COUNTRY_WORDS[m["c"]]
    return ctx.country_for(sentence, pos)


def _elected_mention(
    ctx: ArticleContext, sentence: Sentence, m: re.Match[str], dates: list[DateMention]
) -> ElectionMention | None:
    text = sentence.text
    before = text[: m.start()]
    if not re.search(r"\b(?:was|were|is|been|being|got|be)\s+$", before, re.I) and not m.group(
        0
    ).lower().startswith("re"):
        return None
    after = text[m.end() :]
    if _ELECTED_AS_OTHER.match(after):
        return None
    if is_unreal(text, m.start()):
        return None
    types: list[str] = []
    t = _ELECTED_TYPE.match(after)
    if t:
        word = t["t"].lower()
        types.append("presidential" if word.startswith("presiden") else "parliamentary")
    subject = None
    pron = re.search(r"\b(?P<p>he|she)\s+(?:was|has been|had been|got)\s+(?:\w+\s+)?$", before, re.I)
    if pron:
        people = ctx.resolve_pronoun(sentence, sentence.start + pron.start(), plural=False)
        subject = people[0] if people else None
    else:
        people = ctx.persons_in(sentence.start, sentence.start + m.start())
        subject = people[-1] if people else None
    if not types and subject is not None and "president" in (subject.roles or []):
        types.append("presidential")
    date = _date_for(ctx, sentence, m.start(), m.start(), m.end(), dates, True)
    if date is None:
        return None  # an undated 're-elected' says nothing about which election
    return ElectionMention(
        sentence.start + m.start(),
        sentence.start + m.end(),
        sentence,
        types,
        ctx.country_for(sentence, sentence.start + m.start()),
        date,
        past=True,
        needs_type=not types,
        subject=subject,
    )


def _share_sentence_type(mentions: list[ElectionMention]) -> None:
    """'The January 10 polls will be first parliamentary elections': one type in a sentence types its other mentions."""
    types = {t for m in mentions for t in m.types}
    if len(types) != 1:
        return
    only = next(iter(types))
    for m in mentions:
        if not m.types and not m.another and not m.needs_type:
            m.types = [only]


def cluster_mentions(ctx: ArticleContext, mentions: list[ElectionMention]) -> list[ElectionCluster]:
    clusters: list[ElectionCluster] = []
    typed_types = {t for m in mentions for t in m.types}
    for m in mentions:
        if m.needs_type and len(typed_types) == 1:
            m.types = [next(iter(typed_types))]  # 're-elected' in an article about one kind of election
    expanded = [(m, t) for m in mentions for t in m.types if m.country_id]
    dated = [(m, t) for m, t in expanded if any(mention_date_fields(m.date))]
    undated = [(m, t) for m, t in expanded if not any(mention_date_fields(m.date))]
    for m, t in dated:
        fields = mention_date_fields(m.date)
        target = None
        if not m.another:
            for c in clusters:
                if (
                    (c.country_id, c.election_type) == (m.country_id, t)
                    and _compatible(c.date_fields(), fields)
                    and not _conflicting(c, m)
                ):
                    target = c
                    break
        if target is None:
            target = ElectionCluster(m.country_id or "", t)
            clusters.append(target)
        _absorb(target, m, fields)
    for m, t in undated:
        candidates = [
            c
            for c in clusters
            if (c.country_id, c.election_type) == (m.country_id, t) and not _conflicting(c, m)
        ]
        if m.another or not candidates:
            target = ElectionCluster(m.country_id or "", t)
            clusters.append(target)
        else:
            target = min(candidates, key=lambda c: min(abs(x.start - m.start) for x in c.mentions))
        _absorb(target, m, (None, None, None))
    for idx, c in enumerate(clusters):
        for m in c.mentions:
            m.cluster = idx
    _attach_untyped(mentions, clusters)
    return clusters


def _conflicting(c: ElectionCluster, m: ElectionMention) -> bool:
    return (c.past and m.future) or (c.future and m.past)


def _absorb(
    c: ElectionCluster, m: ElectionMention, fields: tuple[int | None, int | None, int | None]
) -> None:
    c.mentions.append(m)
    c.year = c.year or fields[0]
    c.month = c.month or fields[1]
    c.day = c.day or fields[2]
    c.past = c.past or m.past
    c.future = c.future or m.future
    c.snap = c.snap or m.snap


def _attach_untyped(mentions: list[ElectionMention], clusters: list[ElectionCluster]) -> None:
    """An untyped mention refers to the nearest typed election before it (else after it); a mention that
    is not itself about the past ('the call for early election') skips elections marked as past."""
    typed = sorted((m for m in mentions if m.cluster is not None), key=lambda m: m.start)
    for m in mentions:
        if m.cluster is not None or not typed:
            continue
        pool = typed if m.past else [t for t in typed if not clusters[t.cluster or 0].past] or typed
        before = [t for t in pool if t.start <= m.start]
        ref = before[-1] if before else pool[0]
        m.cluster = ref.cluster
        if m.snap and ref.cluster is not None:
            clusters[ref.cluster].snap = True


# ---------------------------------------------------------------------------------------------- results

_PCT = re.compile(
    r"(?<![\d.])(?P<v>\d{1,2}(?:[.,]\d{1,2})?)\s*(?:%|percent\b|per\s?cent\b|p\.\s?c\b\.?|pc\b)", re.I
)
_SEATS = re.compile(
    r"(?<![\w-])(?P<v>\d{1,3}|[a-z]+(?:-[a-z]+)?)\s+(?:of the\s+\d+\s+)?(?:parliamentary\s+)?"
    r"(?:seats|deputies|mandates|MPs|deputy mandates|members of parliament)\b",
    re.I,
)
_VOTES = re.compile(
    r"(?<![\d.,])(?P<v>\d{1,3}(?:[,\s]\d{3})+|\d+(?:\.\d+)?\s*(?:million|thousand)|\d{3,})\s+votes\b", re.I
)
_VOTE_CONTEXT = re.compile(
    r"\b(?:votes?|ballots|won|win|wins|winning|gain(?:ed|ing|s)?|receiv(?:ed|ing|es)|garner"
    r"(?:ed|ing)|secur(?:ed|ing)|obtain(?:ed|ing)|took|support(?:ed)? by|scor(?:ed|ing)"
    r"|result|came (?:first|second|third)|finished)\b",
    re.I,
)
_NOT_SHARE = re.compile(
    r"\b(?:turnout|threshold|barrier|inflation|growth|gdp|devaluation|rate|approval|poll(?:s|ed)?"
    r"|survey)\b",
    re.I,
)
_HOLDING = re.compile(r"\b(?:has|have|holds?|currently|occup(?:y|ies)|controls?|dominated)\b", re.I)


@dataclass
class ResultDraft:
    cluster: int
    sentence: Sentence
    party: Mention | None = None
    actor: Mention | None = None
    vote_share_pct: float | None = None
    seats: int | None = None
    vote_count: int | None = None


def _number(text: str) -> int | None:
    t = text.lower().replace(",", "").replace(" ", "")
    m = re.fullmatch(r"(\d+(?:\.\d+)?)(million|thousand)?", t)
    if m:
        scale = {"million": 1_000_000, "thousand": 1000}.get(m.group(2) or "", 1)
        return int(float(m.group(1)) * scale)
    return parse_number(text)


def _holders(ctx: ArticleContext, sentence: Sentence, pos: int, end: int) -> list[Mention]:
    """The party (or candidate) a number belongs to: the nearest one before it in the sentence
    (all of a coordinated 'A and B each have ...'), else the nearest one after it."""
    sides = ctx.mentions_in(sentence.start, sentence.end, ("party", "person"))
    before = [m for m in sides if m.char_end <= pos]
    between_each = (
        re.search(r"\beach\b", ctx.body[before[-1].char_end if before else pos : pos]) if before else None
    )
    if before and pos - before[-1].char_end < 90:
        if between_each:
            chain = [before[-1]]
            for prev in reversed(before[:-1]):
                if re.fullmatch(
                    r"\s*(?:,|,?\s*and)\s*(?:the\s+)?", ctx.body[prev.char_end : chain[0].char_start]
                ):
                    chain.insert(0, prev)
                else:
                    break
            return chain
        return [before[-1]]
    after = [m for m in sides if m.char_start >= end]
    if not after and sentence.end - end <= 2 and sentence.index + 1 < len(ctx.sentences):
        # '8.5 p.c. of the votes, Respublica ...' may be cut after the abbreviation's full stop
        nxt = ctx.sentences[sentence.index + 1]
        after = ctx.mentions_in(nxt.start, nxt.end, ("party", "person"))
        end = nxt.start
    if after and after[0].char_start - end < 60:
        return [after[0]]
    return []


def extract_results(
    ctx: ArticleContext, mentions: list[ElectionMention], clusters: list[ElectionCluster]
) -> list[ResultDraft]:
    if not clusters:
        return []
    ordered = sorted((m for m in mentions if m.cluster is not None), key=lambda m: m.start)
    results: list[ResultDraft] = []
    for sentence in ctx.sentences:
        found: list[tuple[int, int, str, float | int]] = []
        for m in _PCT.finditer(sentence.text):
            window = sentence.text[max(0, m.start() - 60) : m.end() + 40]
            if _VOTE_CONTEXT.search(window) and not _NOT_SHARE.search(
                sentence.text[max(0, m.start() - 40) : m.end() + 15]
            ):
                found.append((m.start(), m.end(), "share", float(m["v"].replace(",", "."))))
        for m in _SEATS.finditer(sentence.text):
            n = _number(m["v"])
            if n is not None and not re.search(
                r"\b(?:remaining|other|total|all)\s+$", sentence.text[: m.start()], re.I
            ):
                found.append((m.start(), m.end(), "seats", n))
        for m in _VOTES.finditer(sentence.text):
            n = _number(m["v"])
            if n is not None:
                found.append((m.start(), m.end(), "votes", n))
        if not found:
            continue
        cluster = _cluster_for(ctx, sentence, ordered, clusters)
        if cluster is None:
            continue
        by_holder: dict[int, ResultDraft] = {}
        for start, end, kind, value in sorted(found):
            for holder in _holders(ctx, sentence, sentence.start + start, sentence.start + end):
                draft = by_holder.get(holder.mention_no)
                if draft is None:
                    draft = ResultDraft(cluster, sentence)
                    if holder.entity_type == "party":
                        draft.party = holder
                    else:
                        draft.actor = holder
                    by_holder[holder.mention_no] = draft
                    results.append(draft)
                if kind == "share" and draft.vote_share_pct is None:
                    draft.vote_share_pct = float(value)
                elif kind == "seats" and draft.seats is None:
                    draft.seats = int(value)
                elif kind == "votes" and draft.vote_count is None:
                    draft.vote_count = int(value)
    return results


def _cluster_for(
    ctx: ArticleContext, sentence: Sentence, ordered: list[ElectionMention], clusters: list[ElectionCluster]
) -> int | None:
    """The election a result sentence speaks of: seats a party 'has' now come from the last past election
    of that kind; otherwise the nearest election mentioned before (or in) the sentence."""
    if _HOLDING.search(sentence.text) and not _VOTE_CONTEXT.search(sentence.text):
        past = [i for i, c in enumerate(clusters) if c.past and c.election_type == "parliamentary"]
        if past:
            return max(past, key=lambda i: clusters[i].date_fields()[0] or 0)
    before = [m for m in ordered if m.start < sentence.end]
    if before:
        return before[-1].cluster
    return ordered[0].cluster if ordered else None
