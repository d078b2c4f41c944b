"""Detentions: who was detained, arrested, jailed, sentenced, fined or released, with outcome and term.

A trigger is a passive ('X was detained'), an active ('police detained X') or a noun ('the arrest
of X') form. Its detainee is a named person (or a pronoun resolved to the people of the previous
sentences), or a group ('nearly 80 people', 'the activists'). General statements ('journalists
have been arrested before', 'the imprisonment of activists remains a concern') and negated or
hypothetical triggers yield nothing. Several clauses about the same person merge into one row.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date

from flows.extract.model import Mention
from flows.extract.rules.context import ArticleContext, Sentence
from flows.extract.rules.lexicon import AUTHORITIES, GROUP_NOUNS
from flows.extract.rules.negation import is_unreal
from flows.extract.rules.terms import better_outcome, classify_outcome, parse_count, parse_term_days

_AUX = r"(?:was|were|been|being|is|are|be|got|get|gets|getting)"
_ADV = (
    r"(?:(?:also|later|then|subsequently|reportedly|allegedly|briefly|again|eventually|officially|first|recently"
    r"|temporarily|forcibly|immediately|initially|finally|previously|already|even|both|each|all|promptly"
    r"|illegally|arbitrarily|unlawfully|quickly|soon|not|never)\s+)*"
)
_VERBS = (
    r"arrested|detained|jailed|imprisoned|sentenced|convicted|fined|released|freed|apprehended"
    r"|taken into custody|placed under (?:house )?arrest|put under (?:house )?arrest|remanded in custody"
    r"|found guilty|sent to (?:prison|jail)|put behind bars|locked up|rounded up|held in custody"
    r"|kept in custody|held in (?:pre-?trial )?(?:detention|custody)|given|handed|ordered to pay"
)
PASSIVE = re.compile(rf"\b{_AUX}\s+{_ADV}(?P<trig>{_VERBS})\b", re.I)
COORDINATED = re.compile(rf"\b(?:and|then|before being|after being)\s+{_ADV}(?P<trig>{_VERBS})\b", re.I)
ACTIVE = re.compile(
    r"\b(?P<trig>arrested|detained|jailed|sentenced|fined|convicted|released|freed|imprisoned"
    r"|apprehended|sentences|detains|arrests|jails)\s+(?!(?:in|on|at(?! least)|for|by|to|from|after"
    r"|during|with|under|until|and|or|as|when|while|because|since|back|later|earlier)\b)",
    re.I,
)
NOUN = re.compile(r"\b(?P<trig>arrests?|detentions?|jailing|conviction|sentencing)\s+of\s+", re.I)
# "Mamai's arrest": the possessor is the detainee
POSSESSIVE = re.compile(
    r"['’]s\s+(?:\w+\s+)?(?P<trig>arrest|detention|jailing|conviction|imprisonment)\b", re.I
)
_INCLUDING = re.compile(r",?\s*(?:including|among them|among whom)\s+", re.I)

# 'given/handed' are only detentions when a sentence or a term follows
_GIVEN_NEEDS = re.compile(
    r"^[^.;]{0,50}\b(?:sentence|prison term|jail term|term|days?|months?|years?|arrest)\b", re.I
)
_SUBJECT_BOUNDARY = re.compile(
    r"[;:]|\b(?:said|says|told|reported|stated|noted|added|claimed|that|after|when|because|since|where|until"
    r"|before|according to|if)\b",
    re.I,
)
_OBJECT_BOUNDARY = re.compile(
    r"\b(?:to|for|on|in|at|after|during|over|because|with|under|until|without|by|who|which|following|as)\b"
    r"|[,.;:()\[\]–—\"“”]",
    re.I,
)
# a count modifier at the head of an object ('detained at least 50 people') is not a boundary
_COUNT_HEAD = re.compile(
    r"\s*(?:at least|up to|more than|over|about|around|some|nearly|almost|approximately"
    r"|as many as|close to)\s+",
    re.I,
)
# 'Dozens were detained', 'at least 20 were detained': a bare quantity is a group too
_BARE_QUANTITY = re.compile(
    r"^\s*(?:(?P<mod>at least|up to|more than|over|about|around|some|nearly|almost|approximately)\s+)?"
    r"(?P<num>\d[\d,]*|dozens|hundreds|scores|thousands)\s*(?:more|others)?\s*$",
    re.I,
)
_PRONOUN_TAIL = re.compile(r"\b(?P<p>he|she|they|him|her|them)\s*$", re.I)
_PRONOUN_HEAD = re.compile(r"^\s*(?P<p>he|she|they|him|her|them)\b", re.I)
_DEFINITE_GROUP = re.compile(
    rf"\b(?:the|these|those|its|their|his|her|other|fellow)\s+(?:[\w-]+\s+){{0,2}}?{GROUP_NOUNS}\b", re.I
)
_BARE_GROUP = re.compile(rf"\b{GROUP_NOUNS}\b", re.I)
_GENERIC = re.compile(
    r"\b(?:before|often|frequently|regularly|routinely|repeatedly|usually|always|sometimes"
    r"|constantly|systematically|ongoing|remains?|concerns?|practices?|persecution|tend to|common"
    r"|increasingly|every year|each year)\b",
    re.I,
)
_CHARGE = [
    re.compile(r"\bon (?:criminal )?charges? (?:of|that)\s+(?P<c>[^.;,()]{3,90})", re.I),
    re.compile(
        r"\bon (?P<c>[\w\s-]{3,40}?)[- ]related charges\b|\bon (?P<c2>[\w\s-]{3,40}?) charges\b", re.I
    ),
    re.compile(
        r"\b(?:charged with|convicted of|guilty of|accused of|suspected of|on suspicion of)\s+(?P<c>[^.;,()]{3,90})",
        re.I,
    ),
    re.compile(
        r"\bfor (?P<c>(?:allegedly |illegally )?(?:organi[sz]|violat|participat|insult|spread|disseminat|incit"
        r"|call|hold|stag|financ|extort|abus|insult|resist|disobey|disrupt|publish|post|shar|involv|support"
        r"|creat|lead|leading|join|attempt)\w*\b[^.;,()]{0,80})",
        re.I,
    ),
]
_CHARGE_STOP = re.compile(
    r"\s+(?:and (?:was |were )?(?:later )?(?:sentenced|released|fined|jailed)|but|however)\b.*$", re.I
)

DETENTION_EVENT_TYPE = {
    "sentenced": "sentencing",
    "convicted": "sentencing",
    "fined": "sentencing",
    "found guilty": "sentencing",
    "given": "sentencing",
    "handed": "sentencing",
    "sentences": "sentencing",
    "conviction": "sentencing",
    "sentencing": "sentencing",
    "ordered to pay": "sentencing",
    "jailed": "sentencing",
    "jails": "sentencing",
    "released": "release",
    "freed": "release",
}


@dataclass
class DetentionDraft:
    key: str
    sentence: Sentence
    trigger_start: int
    trigger_end: int
    trigger_text: str
    event_type: str
    mention: Mention | None = None
    count: int | None = None
    outcome: str = "unknown"
    term_days: int | None = None
    detained_date: date | None = None
    date_precision: str = "unknown"
    authority: str | None = None
    charge: str | None = None
    location: str | None = None
    country_id: str | None = None
    sentences: list[int] = field(default_factory=list)
    # every trigger that spoke of this detainee: (sentence, start, end, text, event type)
    triggers: list[tuple[Sentence, int, int, str, str]] = field(default_factory=list)


@dataclass
class Trigger:
    start: int  # body offsets
    end: int
    text: str
    voice: str  # passive | active | noun | coordinated


def find_triggers(sentence: Sentence) -> list[Trigger]:
    """Detention triggers in a sentence, left to right, one per span."""
    found: list[Trigger] = []
    taken: list[tuple[int, int]] = []

    def add(m: re.Match[str], voice: str) -> None:
        s, e = m.span("trig")
        if any(s < te and ts < e for ts, te in taken):
            return
        word = m.group("trig").lower()
        if word in {"given", "handed"} and not _GIVEN_NEEDS.match(sentence.text[e:]):
            return
        taken.append((s, e))
        found.append(Trigger(sentence.start + s, sentence.start + e, m.group("trig"), voice))

    for m in PASSIVE.finditer(sentence.text):
        add(m, "passive")
    for m in COORDINATED.finditer(sentence.text):
        add(m, "coordinated")
    for m in NOUN.finditer(sentence.text):
        add(m, "noun")
    for m in ACTIVE.finditer(sentence.text):
        add(m, "active")
    for m in POSSESSIVE.finditer(sentence.text):
        add(m, "possessive")
    found.sort(key=lambda t: t.start)
    return found


def _chain_before(ctx: ArticleContext, people: list[Mention]) -> list[Mention]:
    """The last run of coordinated people ('A, B and C') among mentions in a region."""
    if not people:
        return []
    chain = [people[-1]]
    for prev in reversed(people[:-1]):
        gap = ctx.body[prev.char_end : chain[0].char_start]
        if re.fullmatch(r"\s*(?:,|,?\s*and|&)\s*", gap):
            chain.insert(0, prev)
        else:
            break
    return chain


@dataclass
class Detainees:
    people: list[Mention]
    is_group: bool = False
    count: int | None = None
    with_group: bool = False  # people named within a group: both get rows


def _group_in(ctx: ArticleContext, sentence: Sentence, text: str, trig: Trigger) -> Detainees | None:
    bare = _BARE_QUANTITY.match(text)
    if bare:
        return Detainees([], True, int(bare["num"].replace(",", "")) if bare["num"][0].isdigit() else None)
    is_group, count = parse_count(text)
    if is_group and count is not None:
        return Detainees([], True, count)
    clause = ctx.body[ctx.clause_start(sentence, trig.start) : ctx.clause_end(sentence, trig.end)]
    generic = bool(_GENERIC.search(sentence.text))
    if is_group or _DEFINITE_GROUP.search(text):
        return None if generic else Detainees([], True, None)
    if _BARE_GROUP.search(text):
        # a bare plural ('activists were detained') is generic unless the clause anchors it in time or place
        anchored = (
            bool(ctx.dates_in(sentence)) or ctx.location_in(sentence) is not None or trig.voice == "noun"
        )
        if anchored and not generic and clause:
            return Detainees([], True, None)
    return None


def _previous_group(ctx: ArticleContext, sentence: Sentence) -> Detainees | None:
    """'Hundreds gathered ... Police detained them': a plural pronoun that names no one points at a group."""
    if sentence.index == 0:
        return None
    prev = ctx.sentences[sentence.index - 1]
    is_group, count = parse_count(prev.text)
    return Detainees([], True, count) if is_group else None


def detainees_for(
    ctx: ArticleContext, sentence: Sentence, trig: Trigger, last: Detainees | None
) -> Detainees | None:
    rel_start = trig.start - sentence.start
    rel_end = trig.end - sentence.start
    text = sentence.text
    if trig.voice == "coordinated" and last is not None:
        return last
    if trig.voice == "possessive":
        owner = [m for m in ctx.persons_in(sentence.start, trig.start) if trig.start - m.char_end <= 25]
        return Detainees(owner[-1:]) if owner else None
    if trig.voice in {"passive", "coordinated"}:
        region_start = 0
        for m in _SUBJECT_BOUNDARY.finditer(text, 0, rel_start):
            region_start = m.end()
        region = text[region_start:rel_start]
        region = re.sub(rf"\s*\b{_AUX}\s+{_ADV}$", "", region, flags=re.I)
        pron = _PRONOUN_TAIL.search(region)
        if pron:
            plural = pron["p"].lower() in {"they", "them"}
            people = ctx.resolve_pronoun(sentence, sentence.start + region_start + pron.start(), plural)
            if people:
                return Detainees(people)
            return _previous_group(ctx, sentence) if plural else None
        abs_start = sentence.start + region_start
        people = ctx.persons_in(abs_start, sentence.start + len(region) + region_start)
        chain = _chain_before(ctx, people)
        if chain:
            tail = ctx.body[chain[-1].char_end : sentence.start + region_start + len(region)]
            if not _BARE_GROUP.search(tail):
                return Detainees(chain)
        return _group_in(ctx, sentence, region, trig)
    # active and noun forms: the detainee follows the trigger
    obj_end = len(text)
    head = _COUNT_HEAD.match(text, rel_end)
    for m in _OBJECT_BOUNDARY.finditer(text, head.end() if head else rel_end):
        obj_end = m.start()
        break
    obj = text[rel_end:obj_end]
    pron = _PRONOUN_HEAD.match(obj)
    if pron:
        plural = pron["p"].lower() in {"they", "them"}
        people = ctx.resolve_pronoun(sentence, trig.start, plural)
        if people:
            return Detainees(people)
        return _previous_group(ctx, sentence) if plural else None
    people = ctx.persons_in(sentence.start + rel_end, sentence.start + obj_end)
    if people:
        return Detainees(people)
    group = _group_in(ctx, sentence, obj, trig)
    including = _INCLUDING.match(text, obj_end)
    if group is not None and including:
        # 'detained about 20 people, including journalist X': the group, and X by name
        named = ctx.persons_in(
            sentence.start + including.end(), ctx.clause_end(sentence, sentence.start + including.end())
        )
        group.people = named
        group.with_group = bool(named)
    return group


def _authority(sentence: Sentence, trigger_start: int) -> str | None:
    """Who detained or sentenced: the authority named nearest before the trigger (its subject), else after it.
    A source ('according to the Prosecutor-General's Office') is not the actor."""
    rel = trigger_start - sentence.start
    hits: list[tuple[int, str]] = []
    for label, pattern in AUTHORITIES:
        for m in pattern.finditer(sentence.text):
            if re.search(r"\baccording to (?:the\s+)?(?:[\w'-]+\s+){0,2}$", sentence.text[: m.start()], re.I):
                continue
            hits.append((m.start(), label))
    before = [h for h in hits if h[0] < rel]
    if before:
        return max(before)[1]
    after = [h for h in hits if h[0] >= rel]
    return min(after)[1] if after else None


def _charge(text: str) -> str | None:
    for pattern in _CHARGE:
        m = pattern.search(text)
        if m:
            found = m.groupdict().get("c") or m.groupdict().get("c2") or ""
            charge = _CHARGE_STOP.sub("", found).strip(" ,“”\"'")
            return charge or None
    return None


def extract_detentions(ctx: ArticleContext) -> list[DetentionDraft]:
    drafts: dict[str, DetentionDraft] = {}
    order: list[str] = []
    for sentence in ctx.sentences:
        last: Detainees | None = None
        for trig in find_triggers(sentence):
            rel = trig.start - sentence.start
            if is_unreal(sentence.text, rel):
                last = None
                continue
            who = detainees_for(ctx, sentence, trig, last)
            last = who
            if who is None:
                continue
            window_end = ctx.clause_end(sentence, trig.end)
            # a comma right after the trigger ('sentenced, in absentia, to...') should not cut the window short
            window = ctx.body[trig.start : max(window_end, min(sentence.end, trig.end + 60))]
            term = parse_term_days(window)
            outcome = classify_outcome(window, term)
            if outcome in {"fined", "released", "unknown"}:
                term = term if outcome == "released" else None
            when, precision = ctx.date_for_trigger(sentence, trig.start, trig.end)
            event_type = DETENTION_EVENT_TYPE.get(trig.text.lower(), "detention")
            keys: list[tuple[str, Mention | None]] = []
            if not who.people or who.with_group:
                keys.append((f"group:{who.count}" if who.count else f"group@{sentence.index}", None))
            keys += [(f"person:{m.name_key or m.canonical_name}", m) for m in who.people]
            for key, mention in keys:
                draft = drafts.get(key)
                if draft is None:
                    draft = DetentionDraft(
                        key,
                        sentence,
                        trig.start,
                        trig.end,
                        trig.text,
                        event_type,
                        mention=mention,
                        count=who.count,
                    )
                    drafts[key] = draft
                    order.append(key)
                _update(ctx, draft, sentence, trig, outcome, term, when, precision)
    return [drafts[k] for k in order]


def _update(
    ctx: ArticleContext,
    draft: DetentionDraft,
    sentence: Sentence,
    trig: Trigger,
    outcome: str,
    term: int | None,
    when: date | None,
    precision: str,
) -> None:
    merged = better_outcome(draft.outcome, outcome)
    if merged != draft.outcome or (merged == outcome and draft.term_days is None):
        draft.term_days = term if term is not None else draft.term_days
    draft.outcome = merged
    if draft.detained_date is None and when is not None:
        draft.detained_date, draft.date_precision = when, precision
    draft.authority = draft.authority or _authority(sentence, trig.start)
    draft.charge = draft.charge or _charge(ctx.body[trig.start : sentence.end])
    draft.location = draft.location or ctx.location_in(sentence, after=trig.start)
    draft.country_id = draft.country_id or ctx.country_for(sentence, trig.start)
    if sentence.index not in draft.sentences:
        draft.sentences.append(sentence.index)
    event_type = DETENTION_EVENT_TYPE.get(trig.text.lower(), "detention")
    draft.triggers.append((sentence, trig.start, trig.end, trig.text, event_type))
