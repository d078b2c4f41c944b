"""Elections: which elections an article reports, of which kind and on which voting day (results: `rules.results`).

An election mention is an election noun ('elections', 'polls', 'vote', 'referendum') with its
modifiers: type words, snap words, a date ('the January 10 parliamentary election', 'parliamentary
elections in March 2023', 'On February 27, 2005, the parliamentary elections were held'). Mentions
that carry a type become elections; within one article they merge when country and type agree and
their dates are compatible. Mentions without a type ('the vote', 'snap elections') refer to the
nearest typed election: they add `is_snap` and give results something to attach to.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace

from flows.extract.dates import DateMention
from flows.extract.model import Mention
from flows.extract.rules.context import FUTURE_CUE, ArticleContext, Sentence
from flows.extract.rules.lexicon import COUNTRY_WORD_PATTERN, COUNTRY_WORDS
from flows.extract.rules.negation import is_unreal

NOUN = re.compile(
    r"\b(?:(?P<re>re-?elected|elected)|by-elections?|elections?|polls?|vote|voting|ballot(?!s)|referend(?:um|ums|a)|plebiscite"
    # 'the presidential race'; spinners write 'political race' for 'election'
    r"|(?<=presidential )races?|(?<=parliamentary )races?|(?<=political )races?|(?<=electoral )races?)\b",
    re.I,
)
_NOT_ELECTION = re.compile(
    r"(?:opinion|exit|straw)\s+$|\bno[- ]confidence\s+$|\bright to\s+$|\b(?:cast|casting) (?:a|their|his|her)\s+$",
    re.I,
)
_NOT_ELECTION_AFTER = re.compile(
    r"^\s+(?:of (?:no )?confidence|stations?|booths?|workers|rights|count|commissions?|committees?|code|law"
    r"|legislation|observ\w+|monitor\w*|officials|authorities|headquarters|on (?:the |a )?(?:bill|law|draft law"
    r"|motion|budget|resolution|amendments? to))\b",
    re.I,
)
_IN_BODY_NAME = re.compile(
    r"\b(?:Commission|Committee|Council|Office|Bureau|Department|Centre|Center|Institute|Law|Code)\s+(?:on|for|of)\s+"
    r"(?:the\s+)?(?:[A-Z]\w*\s+(?:and\s+)?)*$"
)
# 'won a fifth term', 'secured a new seven-year term': an election won, named by its office's term
TERM_WON = re.compile(
    r"\b(?:won|wins|secured|gained|was (?:re-?)?elected (?:to|for)|re-?elected (?:to|for)) (?:a|an|his|her|another)"
    r"\s+(?:(?:new|second|third|fourth|fifth|sixth|seventh|further|consecutive|final|single)\s+)?"
    r"(?:(?:[\w]+-year|presidential|parliamentary)\s+)?(?P<noun>term|mandate)\b",
    re.I,
)
# a date in the text that a later 'when' clause happens at: 'since 1995, when X won a plebiscite'
_WHEN_AFTER_DATE = re.compile(r"^\s*,?\s*when\b", re.I)
_SAME_DAY = re.compile(r"\b(?:on|held on|at) the same day\b|\bsimultaneously\b|\balongside\b", re.I)
# past tense of a sentence that reports an election's outcome: its bare 'January 10' lies in the past
_OUTCOME_PAST = re.compile(
    r"\b(?:won|took|received|gained|garnered|secured|was|were|had|held|took place|voted|annulled|elected"
    r"|followed|follows|last|previous|ago)\b",
    re.I,
)
_FUTURE_AFTER = re.compile(
    r"^[^.;]{0,30}?\b(?:will|shall|is due|are due|due (?:in|on|to|by)|(?:is|are) expected|(?:is|are) (?:set|scheduled|planned)"
    r"|to be held|(?:is|are) to be)\b",
    re.I,
)
# 'would' and 'ahead of' also narrate the past ('he announced that he would step down'); these do not
STRONG_FUTURE = re.compile(
    r"\b(?:will|shall|upcoming|forthcoming|next|to be held|(?:is|are) due|due (?:in|on|to|by)|scheduled for"
    r"|set for|expected to)\b",
    re.I,
)
# a president's title is no cue: presidents are named in parliamentary stories too
PRESIDENTIAL_CUE = re.compile(
    r"\b(?:presidency|presidential|head of state|[\w]+-year term|(?:new|second|third|fourth|fifth|sixth) term"
    r"|candidates?)\b",
    re.I,
)
PARLIAMENTARY_CUE = re.compile(
    r"\b(?:parliament(?:ary)?|seats|lower house|upper house|Ma[jz]h?ilis|Majlis|Jogorku Kenesh|Oliy Majlis"
    r"|deputies|party lists?|lawmakers|legislat\w+)\b",
    re.I,
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
        "political",  # 'the presidential political election' (spun text for 'election')
        "direct",
        "first-ever",
        "historic",
        "landmark",
    }
)
_POST_TYPE = re.compile(
    r"^\s+(?:(?:to|for|of|into)\s+(?:the\s+)?(?:country's\s+|new\s+|next\s+|national\s+|local\s+)?"
    r"|to\s+(?:choose|elect)\s+(?:the\s+|a\s+)?(?:country's\s+)?(?:next\s+|new\s+)?)"
    r"(?P<t>president(?:cy)?|parliament|majilis|mazhilis|majlis|lower house|senate|jogorku kenesh|oliy majlis"
    r"|local councils?|maslikhats?|city councils?|keneshes|deputies|lawmakers|members of parliament|head of state"
    r"|(?:rural |village |district |city |regional )?(?:akims|mayors|heads of (?:villages|districts|towns)))\b",
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
_LOCAL_POST = re.compile(r"akims|mayors|heads of", re.I)
_DATE_GAP_AFTER = re.compile(
    r"^[\s,]*(?:in\s+[A-Z][\w-]+\s+)?(?:(?:was|were|will be|is|are|to be|has been|had been|would be|be|being)\s+)?"
    r"(?:(?:held|scheduled|set|slated|planned|due|called|expected|conducted|organi[sz]ed|announced|took place"
    r"|takes place|will take place)\s+)?"
    r"(?:to take place\s+)?(?:in\s+[A-Z][\w-]+\s+)?(?:(?:in|on|for|of|from|by)\s+)?(?:the\s+)?"
    r"(?:(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday),?\s+)?$"
)
_DECIDED_BEFORE = re.compile(
    r"\b(?:call(?:ed|s)?|announc(?:ed|es)|decided|ordered|decreed|proposed|set|scheduled)\s+(?:for\s+)?$",
    re.I,
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
    noun: str = ""


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


_DEMONSTRATIVES = {"that", "this", "these", "those"}
_DETERMINERS = {"the", "a", "an", "its", "their", "his", "her", "this", "that", "these", "those"}


def _modifier_span(text: str, noun_start: int, dates: list[DateMention], offset: int) -> int:
    """Start (relative to `text`) of the run of modifiers right before an election noun."""
    pos = noun_start
    tokens = list(re.finditer(r"[\w'’-]+|,", text[:noun_start]))
    after: str | None = None  # the modifier word already taken right after this token
    for tok in reversed(tokens):
        word = tok.group(0).lower().replace("’", "'")
        gap = text[tok.end() : pos]
        if gap.strip():
            break
        if word in _DEMONSTRATIVES and after in _DETERMINERS:
            break  # 'announced that the referendum': a conjunction before the noun phrase, not its determiner
        after = word
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


_RESULTS_OF = re.compile(r"\b(?:final|preliminary|official|summed up the)?\s*results of\b", re.I)


def sentence_tense(text: str) -> str | None:
    """'future' when the sentence looks ahead ('will', 'upcoming', 'scheduled'), 'past' when it reports an
    outcome ('won', 'were held'), else None: a bare 'January 10' is then put nearest the anchor."""
    if _RESULTS_OF.search(text):
        return "past"  # 'the final results of the November 28 elections ... six parties will enter'
    if STRONG_FUTURE.search(text):
        return "future"
    if _OUTCOME_PAST.search(text):
        return "past"
    if FUTURE_CUE.search(text):
        return "future"
    return None


_YEAR_LIST = re.compile(
    r"^\s+(?:of|in)\s+(?:19|20)\d\d(?:\s*,\s*(?:19|20)\d\d)*\s*,?\s+and\s+(?:19|20)\d\d\b"
)


def find_mentions(ctx: ArticleContext, sentence: Sentence) -> list[ElectionMention]:
    text = sentence.text
    if not NOUN.search(text) and not TERM_WON.search(text):
        return []  # most sentences: spare the tense and date reading below
    dates = ctx.dates_in(sentence, sentence_tense(text))
    mentions: list[ElectionMention] = []
    for m in NOUN.finditer(text):
        if _NOT_ELECTION.search(text[max(0, m.start() - 25) : m.start()]) or _NOT_ELECTION_AFTER.match(
            text[m.end() :]
        ):
            continue
        noun = m.group(0).lower()
        if _IN_BODY_NAME.search(text[max(0, m.start() - 40) : m.start()]) and m.group(0)[:1].isupper():
            continue  # 'the Central Commission for Elections and Referendums' is an institution
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
            local = _LOCAL_POST.search(t)
            types.append("local" if local else _POST_TYPE_MAP.get(t, "parliamentary"))
            end = m.end() + post.end()
        types = list(dict.fromkeys(types))
        snap = any(w in SNAP_WORDS and not _followed_by_month(w, modifiers) for w in words)
        snap = snap or bool(_SNAP_AFTER.match(text[m.end() :]))
        date = _date_for(ctx, sentence, mod_start, m.start(), end, dates, bool(types))
        country = _country_for(ctx, sentence, modifiers, text[end : end + 40], sentence.start + m.start())
        another = bool(re.search(r"\b(?:another|one other|a second|a third|a repeat)\b", modifiers, re.I))
        if types and _generic(noun, words, date, snap, text):
            continue
        if date is not None and date.value is None and date.explicit_year:
            continue  # an election before 1985 (or years ahead) is history or speculation, not a record
        mention = ElectionMention(
            sentence.start + mod_start,
            sentence.start + end,
            sentence,
            types,
            country,
            date,
            snap,
            past=bool(set(words) & PAST_WORDS) or _past_verb(text[end:]),
            future=bool(set(words) & FUTURE_WORDS) or bool(_FUTURE_AFTER.match(text[end:])),
            another=another,
            noun=noun,
        )
        mentions.append(mention)
        mentions.extend(_listed_years(ctx, sentence, mention, end, dates))
    mentions.extend(_terms_won(ctx, sentence, dates))
    mentions.sort(key=lambda x: x.start)
    _share_sentence_type(mentions)
    return mentions


def _listed_years(
    ctx: ArticleContext, sentence: Sentence, mention: ElectionMention, end: int, dates: list[DateMention]
) -> list[ElectionMention]:
    """'the presidential elections of 2007, 2012 and 2017': one election per listed year (the first is
    `mention` itself, given the first year here)."""
    listed = _YEAR_LIST.match(sentence.text[end:])
    if not listed or not mention.noun.endswith("s"):
        return []
    span_start, span_end = sentence.start + end, sentence.start + end + listed.end()
    years = [d for d in dates if span_start <= d.start and d.end <= span_end and d.kind == "year"]
    if len(years) < 2:
        return []
    mention.date = years[0]
    out = []
    for d in years[1:]:
        out.append(replace(mention, date=d, start=d.start, end=d.end))
    return out


def _terms_won(ctx: ArticleContext, sentence: Sentence, dates: list[DateMention]) -> list[ElectionMention]:
    """'President Rahmon won a fifth term in October 2020': an election, typed by the winner's office."""
    out = []
    for m in TERM_WON.finditer(sentence.text):
        if is_unreal(sentence.text, m.start()):
            continue
        date = _date_for(ctx, sentence, m.start(), m.start(), m.end(), dates, True)
        if date is None:
            continue  # an undated 'won a second term' says nothing about which election
        people = ctx.persons_in(sentence.start, sentence.start + m.start())
        subject = people[-1] if people else None
        types: list[str] = []
        if "parliamentary" in m.group(0).lower():
            types.append("parliamentary")
        elif (
            "presidential" in m.group(0).lower()
            or (subject is not None and "president" in subject.roles)
            or PRESIDENTIAL_CUE.search(sentence.text[: m.start()])
        ):
            types.append("presidential")
        out.append(
            ElectionMention(
                sentence.start + m.start(),
                sentence.start + m.end(),
                sentence,
                types,
                ctx.country_for(sentence, sentence.start + m.start()),
                date,
                past=True,
                needs_type=not types,
                subject=subject,
                noun="term",
            )
        )
    return out


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
    # a weekday with no anchor ('on Sunday, March 26, 2023') says nothing; the explicit date next to it does.
    # An explicit year outside the warehouse's range (value None) is kept: it says which (historical) vote.
    dates = [d for d in dates if d.value is not None or d.day_month is not None or d.explicit_year]
    inside = [d for d in dates if s0 + mod_start <= d.start and d.end <= s0 + noun_start]
    if inside:
        return inside[-1]
    # 'called the early vote in September': the date is the call's; 'called the vote for March 19' is the vote's
    decided = bool(_DECIDED_BEFORE.search(ctx.body[max(s0, s0 + mod_start - 40) : s0 + mod_start]))
    for d in dates:
        gap = ctx.body[s0 + end : d.start]
        if d.start >= s0 + end and _DATE_GAP_AFTER.match(gap):
            if decided and not re.search(r"\bfor\b", gap, re.I):
                break
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
    # 'The referendum was the first since 1995, when Nazarbayev extended his rule by a plebiscite'
    # ('the speech of February 25, when he announced the new election' dates the announcement)
    for d in dates:
        between = ctx.body[d.end : s0 + mod_start]
        if (
            d.end <= s0 + mod_start
            and re.fullmatch(r"\s*,?\s*when\b[^;.]*", between, re.I)
            and not _DECISION.search(between)
        ):
            return d
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
    if not re.search(
        r"\b(?:was|were|is|been|being|got|be)\s+(?:(?:\w+ly|first|again|twice|then|later|also)\s+)*$",
        before,
        re.I,
    ) and not m.group(0).lower().startswith("re"):
        return None
    after = text[m.end() :]
    if _ELECTED_AS_OTHER.match(after):
        return None
    if is_unreal(text, m.start()):
        return None
    types: list[str] = []
    t = _ELECTED_TYPE.match(after)
    span_end = m.end()
    if t:
        word = t["t"].lower()
        types.append("presidential" if word.startswith("presiden") else "parliamentary")
        span_end = m.end() + t.end()
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
    date = _date_for(ctx, sentence, m.start(), m.start(), span_end, dates, True)
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
        noun="elected",
    )


def _share_sentence_type(mentions: list[ElectionMention]) -> None:
    """'The January 10 polls will be first parliamentary elections': one type in a sentence types its other mentions."""
    types = {t for m in mentions for t in m.types}
    if len(types) != 1:
        return
    only = next(iter(types))
    for m in mentions:
        if m.types or m.another:
            continue
        if only == "referendum" and (m.needs_type or m.noun.startswith(("election", "by-election", "poll"))):
            continue  # 'the early election was called after the constitution, adopted in a referendum'
        m.types = [only]
        m.needs_type = False


def cluster_mentions(ctx: ArticleContext, mentions: list[ElectionMention]) -> list[ElectionCluster]:
    clusters: list[ElectionCluster] = []
    _same_day_dates(mentions)
    typed_types = {t for m in mentions for t in m.types}
    for m in mentions:
        if m.needs_type and len(typed_types) == 1:
            m.types = [next(iter(typed_types))]  # 're-elected' in an article about one kind of election
            m.needs_type = False
    _type_untyped(mentions)
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
        if m.snap:
            # 'the early vote' is the snap election of the article, not the nearest one
            candidates = [c for c in candidates if c.snap] or candidates
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


def _same_day_dates(mentions: list[ElectionMention]) -> None:
    """'Elections to maslikhats were held on the same day': an undated mention that says so takes the date
    of the election mentioned just before it."""
    ordered = sorted(mentions, key=lambda m: m.start)
    for i, m in enumerate(ordered):
        if m.date is not None or not _SAME_DAY.search(m.sentence.text):
            continue
        earlier = [x for x in ordered[:i] if x.date is not None and x.date.value is not None]
        if earlier and m.sentence.index - earlier[-1].sentence.index <= 2:
            m.date = earlier[-1].date


_NOUNS_OF_ANY_TYPE = ("election", "by-election", "poll", "vote", "ballot")


def _type_untyped(mentions: list[ElectionMention]) -> None:
    """Give a type to untyped mentions that are elections of their own, not references back:
    - in an article with no typed mention, from the sentence ('President X won a new term with 81% in
      Sunday's snap election' is presidential; 'seats', 'lower house' make it parliamentary);
    - a dated 'the snap poll on March 12' / 'a June 2019 election' takes the type of the nearest typed
      mention, so its date counts (it then joins that election, or starts an earlier one)."""
    typed = [m for m in mentions if m.types]
    for m in mentions:
        if m.types or m.another or not m.noun.startswith(_NOUNS_OF_ANY_TYPE + ("elected", "term")):
            continue
        if m.noun.startswith("vot") and _LEGISLATIVE_VOTE.search(m.sentence.text):
            continue  # 'lawmakers approved the bill in a vote on March 3' is no election
        if not typed:
            cue = _sentence_type_cue(m.sentence.text)
            if cue:
                m.types, m.needs_type = [cue], False
            continue
        if not any(mention_date_fields(m.date)):
            continue
        cue = _sentence_type_cue(m.sentence.text)
        if cue:
            # 'won 64 of the 150 seats in the lower house in Sunday's election' says which kind it is
            m.types, m.needs_type = [cue], False
            continue
        # people are elected in elections, never in a referendum
        same_country = [t for t in typed if t.country_id == m.country_id and t.types != ["referendum"]]
        if not same_country:
            continue
        before = [t for t in same_country if t.start <= m.start]
        ref = before[-1] if before else min(same_country, key=lambda t: t.start)
        if len(ref.types) == 1:
            m.types, m.needs_type = list(ref.types), False
    if not typed:
        # an article that never names the kind: 'the February 28 vote' is the one kind its other
        # sentences cue ('seats in the next parliament'), when they cue only one
        cued = {t for m in mentions for t in m.types}
        if len(cued) == 1:
            for m in mentions:
                own = not m.types and not m.another and m.noun.startswith(_NOUNS_OF_ANY_TYPE)
                if own and any(mention_date_fields(m.date)) and not _LEGISLATIVE_VOTE.search(m.sentence.text):
                    m.types, m.needs_type = list(cued), False


_LEGISLATIVE_VOTE = re.compile(
    r"\b(?:bill|law|draft|amendments?|motion|resolution|budget|ratif\w+|treaty|agreement|no-confidence"
    r"|impeach\w*|adopted|passed)\b",
    re.I,
)


def _sentence_type_cue(text: str) -> str | None:
    presidential = bool(PRESIDENTIAL_CUE.search(text))
    parliamentary = bool(PARLIAMENTARY_CUE.search(text))
    if presidential == parliamentary:
        return None
    return "presidential" if presidential else "parliamentary"


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


_EARLIER_WORDS = {"last", "previous", "former", "earlier", "prior"}


def _an_earlier_election(c: ElectionCluster) -> bool:
    """Every mention of the cluster calls it an earlier election ('the last presidential poll in 2007')."""
    return (
        bool(c.mentions)
        and c.year is not None
        and all(
            set(
                re.findall(
                    r"[a-z]+", x.sentence.text[x.start - x.sentence.start : x.end - x.sentence.start].lower()
                )
            )
            & _EARLIER_WORDS
            for x in c.mentions
        )
    )


def _attach_untyped(mentions: list[ElectionMention], clusters: list[ElectionCluster]) -> None:
    """An untyped mention refers to the nearest typed election before it (else after it); a mention that
    is not itself about the past ('the call for early election') skips elections marked as past."""
    typed = sorted((m for m in mentions if m.cluster is not None), key=lambda m: m.start)
    for m in mentions:
        if m.cluster is not None or not typed:
            continue
        # an election of the mention's own country, when the article has one
        own = [t for t in typed if t.country_id == m.country_id] or typed
        pool = own if m.past else [t for t in own if not clusters[t.cluster or 0].past] or own
        if not m.past and all(_an_earlier_election(clusters[t.cluster or 0]) for t in own):
            # 'Sunday's election' in an article whose only typed election of that country is 'the last
            # presidential poll in 2007': the article's own election, not that one
            current = ElectionCluster(m.country_id or "", clusters[own[-1].cluster or 0].election_type)
            clusters.append(current)
            m.cluster = len(clusters) - 1
            current.mentions.append(m)
            current.snap = m.snap
            typed.append(m)
            typed.sort(key=lambda t: t.start)
            continue
        if m.snap:
            # 'the early vote' is the snap election the article spoke of, whatever its tense
            pool = [t for t in typed if clusters[t.cluster or 0].snap] or pool
        before = [t for t in pool if t.start <= m.start]
        ref = before[-1] if before else pool[0]
        m.cluster = ref.cluster
        if m.snap and ref.cluster is not None:
            clusters[ref.cluster].snap = True
