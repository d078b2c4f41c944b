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
from flows.extract.rules.lexicon import AUTHORITIES, GROUP_NOUNS, NUMBER
from flows.extract.rules.negation import is_unreal
from flows.extract.rules.terms import (
    better_outcome,
    classify_outcome,
    parse_count,
    parse_term_days,
    parse_term_list,
)

_AUX = r"(?:was|were|been|being|is|are|be|got|get|gets|getting)"
_ADV = (
    r"(?:(?:also|later|then|subsequently|reportedly|allegedly|briefly|again|eventually|officially|first|recently"
    r"|temporarily|forcibly|immediately|initially|finally|previously|already|even|both|each|all|promptly"
    r"|illegally|arbitrarily|unlawfully|quickly|soon|not|never|actually|formally|summarily|since|each)\s+)*"
)
_VERBS = (
    r"arrested|detained|jailed|imprisoned|sentenced|convicted|fined|released|freed|apprehended"
    r"|taken into custody|placed under (?:house )?arrest|put under (?:house )?arrest|remanded in custody"
    r"|found guilty|sent to (?:prison|jail)|put behind bars|locked up|rounded up|held in custody"
    r"|kept in custody|held in (?:pre-?trial )?(?:detention|custody)|given|handed|ordered to pay"
    r"|acquitted|condemned|placed in (?:pre-?trial )?(?:detention|custody)|sent to (?:pre-?trial )?detention"
    r"|discharged from (?:jail|prison|custody|detention|the (?:penal )?colony)"
)
PASSIVE = re.compile(rf"\b{_AUX}\s+{_ADV}(?P<trig>{_VERBS})\b", re.I)
COORDINATED = re.compile(rf"\b(?:and|then|before being|after being)\s+{_ADV}(?P<trig>{_VERBS})\b", re.I)
ACTIVE = re.compile(
    r"\b(?P<trig>arrested|detained|jailed|sentenced|fined|convicted|released|freed|imprisoned"
    r"|apprehended|sentences|detains|arrests|jails|acquitted|acquits|condemned)\s+(?!(?:in|on|at(?! least)|for|by|to|from|after"
    r"|during|with|under|until|and|or|as|when|while|because|since|back|later|earlier|of|were|was)\b)",
    re.I,
)
# 'the sentencing today of X', 'the arrest on Monday of X'
NOUN = re.compile(
    r"\b(?P<trig>arrests?|detentions?|jailing|conviction|sentencing|acquittal)"
    r"(?:\s+(?:today|yesterday|on \w+(?: \d{1,2})?|last \w+|in \w+(?: \d{4})?))?\s+of\s+",
    re.I,
)
# 'X received 16 years in prison', 'A and B received five-year probationary sentences': the subject
# comes before, as in a passive
RECEIVED = re.compile(
    r"\b(?P<trig>received|receives|got)\s+(?=(?:an?\s+)?(?:[\w-]+\s+){0,3}?"
    r"(?:sentences?|prison terms?|jail terms?|terms?\b|(?:\d+|[a-z]+)[\s-]+(?:years?|months?|days?)\b))",
    re.I,
)
# 'X must remain in custody until May 13', 'X remains behind bars': still detained, subject before
REMAIN = re.compile(
    r"\b(?P<trig>remain(?:s|ed)?\s+(?:in\s+(?:pre-?trial\s+)?(?:custody|detention|prison|jail)|behind\s+bars))",
    re.I,
)
# 'Among those acquitted were X and Y': the detainees follow
INVERTED = re.compile(
    r"\b(?:among(?:st)?|including)\s+(?:those|the people|the \w+)\s+(?P<trig>acquitted|detained|arrested"
    r"|sentenced|released|freed|jailed|convicted)\s+(?:were|was|are|is)\s+(?:\w+ly\s+)?",
    re.I,
)
# "Mamai's arrest": the possessor is the detainee
POSSESSIVE = re.compile(
    r"['’]s\s+(?:\w+\s+)?(?P<trig>arrest|detention|jailing|conviction|imprisonment)\b", re.I
)
# '11 people detained in raids': a counted group with a participle and no auxiliary
REDUCED = re.compile(
    rf"\b(?:{NUMBER}|dozens|hundreds|scores|thousands)(?:\s+of)?\s+(?:[\w-]+\s+){{0,2}}?{GROUP_NOUNS}"
    rf"\s+(?:who\s+were\s+)?(?P<trig>detained|arrested|jailed|rounded up)\b",
    re.I,
)
_INCLUDING = re.compile(r",?\s*(?:including|among them|among whom)\s+", re.I)

# 'given/handed' are only detentions when a sentence or a term follows
_GIVEN_NEEDS = re.compile(
    r"^[^.;]{0,50}\b(?:sentence|prison term|jail term|term|days?|months?|years?|arrest)\b", re.I
)
_SUBJECT_BOUNDARY = re.compile(
    r"[;:]|\b(?:said|says|told|reported|stated|noted|added|claimed|that|after|when|because|since|where|until"
    r"|before|according to|if|while|whereas|although)\b",
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
    r"\bbefore(?=\s*(?:[.,;]|$))|\b(?:often|frequently|regularly|routinely|repeatedly|usually|always|sometimes"
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
    "acquitted": "release",
    "acquits": "release",
    "acquittal": "release",
    "condemned": "sentencing",
    "received": "sentencing",
    "receives": "sentencing",
    "got": "sentencing",
}
for _place in ("jail", "prison", "custody", "detention", "the colony", "the penal colony"):
    DETENTION_EVENT_TYPE[f"discharged from {_place}"] = "release"

# A release that ends a custodial sentence ('freed under an amnesty', 'released from prison', 'pardoned')
# is the detainee's latest outcome, whatever order the article tells it in. 'Released on bail' or
# 'released pending trial' comes before a verdict and is not one.
_FINAL_RELEASE = re.compile(
    r"\b(?:amnest\w*|pardon\w*|early release|(?:released|freed|discharged) from (?:jail|prison|custody"
    r"|detention|the (?:penal )?colony)|after serving)\b",
    re.I,
)
# '..., but the sentence was replaced with a probationary period of three years': the verdict as changed
_COMMUTED = re.compile(
    r"\b(?:sentence|term|punishment|verdict)\s+(?:was|has been|had been|is)\s+(?:later\s+|then\s+)?"
    r"(?:replaced|commuted|changed|converted|reduced)\s+(?:with|to|into|by)\s+(?P<new>[^.;]{3,120})",
    re.I,
)


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
    date_from_arrest: bool = False  # the date is the arrest's, not the verdict's
    final_release: bool = False  # freed from a custodial sentence (amnesty, pardon, 'released from prison')
    # every trigger that spoke of this detainee: (sentence, start, end, text, event type)
    triggers: list[tuple[Sentence, int, int, str, str]] = field(default_factory=list)


@dataclass
class Trigger:
    start: int  # body offsets
    end: int
    text: str
    voice: str  # passive | active | noun | coordinated | possessive | inverted | reduced


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
    for m in RECEIVED.finditer(sentence.text):
        add(m, "passive")
    for m in REMAIN.finditer(sentence.text):
        add(m, "passive")
    for m in INVERTED.finditer(sentence.text):
        add(m, "inverted")
    for m in REDUCED.finditer(sentence.text):
        add(m, "reduced")
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


def _chain_after(ctx: ArticleContext, sentence: Sentence, start: int) -> list[Mention]:
    """The run of coordinated people ('X, Y and Z') starting right after `start` (titles may precede)."""
    people = ctx.persons_in(start, sentence.end)
    chain: list[Mention] = []
    pos = start
    for m in people:
        gap = ctx.body[pos : m.char_start]
        lead = r"\s*(?:,|,?\s*and|&|,?\s*as well as)\s*" if chain else r"\s*"
        if not re.fullmatch(lead + r"(?:[a-z][\w-]*\s+){0,5}", gap):
            break
        chain.append(m)
        pos = m.char_end
    return chain


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


# 'most of whom', 'five of them': a part of an earlier group, not the group itself
_PARTIAL_SUBJECT = re.compile(
    rf"\b(?:most|some|many|several|half|a few|few|the rest|the majority|a number|none|all but \w+|{NUMBER})"
    r"\s+of\s+(?:whom|them|those|these|the)\b[^,;]*$",
    re.I,
)
_TRAILING_APPOSITION = re.compile(
    r",\s+(?:the|a|an|his|her|its|their|former|an?\s+\w+)\s[^,;]{1,100},?\s*$", re.I
)
_MODAL = r"(?:must|should|will|would|shall|can|could|may|might|to)"
_THING_OBJECT = re.compile(
    r"\s*(?:an?|the|its|their|his|her|new|preliminary|final|official)?\s*(?:\w+\s+)?(?:statements?|reports?|videos?"
    r"|names?|lists?|data|figures|photos?|footage|results|information|documents?|details|funds|assets|money"
    r"|recordings?|images?|findings|textbooks?|decisions?|a?\s*version)\b",
    re.I,
)
_RELATIVE = re.compile(r",?\s*\b(?:who|which)\b", re.I)
_CLAUSE_VERB = re.compile(r"\b(?:were|was|are|is|have|has|had)\s+\w+", re.I)


def _own_clause(region_start: int, region: str) -> tuple[int, str]:
    """'More than 230 people were killed and nearly 10,000 were detained': the subject of the second
    verb is the quantity after the last 'and' / comma, not the first clause's people."""
    parts = list(re.finditer(r",\s+|(?<!\d),|\s+and\s+|;\s*", region))
    if not parts:
        return region_start, region
    cut = parts[-1]
    tail = region[cut.end() :]
    if not tail.strip() or not _CLAUSE_VERB.search(region[: cut.start()]):
        return region_start, region
    if _BARE_QUANTITY.match(tail) or parse_count(tail)[1] is not None:
        return region_start + cut.end(), tail
    return region_start, region


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
    text = sentence.text
    if trig.voice == "coordinated":
        if last is not None:
            return last
        # 'Police used tear gas and detained dozens of protesters': a coordinated verb with its own object
        if ACTIVE.match(text, rel_start):
            found = _object_detainees(ctx, sentence, trig)
            if found is not None:
                return found
    if trig.voice == "reduced":
        found = [m for m in REDUCED.finditer(text) if m.start("trig") == rel_start]
        if not found:
            return None
        group_text = text[found[0].start() : rel_start]
        is_group, count = parse_count(group_text)
        bare = _BARE_QUANTITY.match(group_text.split()[0]) if group_text.split() else None
        return Detainees([], True, count if is_group else None) if is_group or bare else None
    if trig.voice == "possessive":
        owner = [m for m in ctx.persons_in(sentence.start, trig.start) if trig.start - m.char_end <= 25]
        return Detainees(owner[-1:]) if owner else None
    if trig.voice in {"passive", "coordinated"}:
        found = _subject_detainees(ctx, sentence, trig, rel_start)
        if found is None:
            # 'Several activists who fled to Kazakhstan after the unrest were detained': the subject
            # stands before the relative clause
            rel = list(_RELATIVE.finditer(text, 0, rel_start))
            if rel and not _PARTIAL_SUBJECT.search(text[:rel_start]):
                found = _subject_detainees(ctx, sentence, trig, rel[-1].start())
        return found
    # active, noun and inverted forms: the detainee follows the trigger
    if trig.voice == "inverted":
        people = ctx.persons_in(trig.end, ctx.clause_end(sentence, trig.end + 1))
        tail_people = _chain_after(ctx, sentence, trig.end)
        return Detainees(tail_people or people) if (tail_people or people) else None
    return _object_detainees(ctx, sentence, trig)


def _subject_detainees(
    ctx: ArticleContext, sentence: Sentence, trig: Trigger, rel_start: int
) -> Detainees | None:
    """The detainees named as the subject before a passive trigger (or `rel_start`)."""
    text = sentence.text
    region_start = 0
    for m in _SUBJECT_BOUNDARY.finditer(text, 0, rel_start):
        region_start = m.end()
    region = text[region_start:rel_start]
    region = re.sub(rf"(?:\s*\b(?:{_AUX}|{_MODAL})\b)+\s+{_ADV}$", "", region, flags=re.I)
    partial = _PARTIAL_SUBJECT.search(region)
    if partial and not ctx.persons_in(sentence.start + region_start + partial.end(), trig.start):
        return None  # 'most of whom were released' says nothing about each of them
    region_start, region = _own_clause(region_start, region)
    pron = _PRONOUN_TAIL.search(region)
    if pron:
        plural = pron["p"].lower() in {"they", "them"}
        people = ctx.resolve_pronoun(sentence, sentence.start + region_start + pron.start(), plural)
        if people:
            return Detainees(people)
        return _previous_group(ctx, sentence) if plural else None
    abs_start = sentence.start + region_start
    # 'X, the director of the Lawyers Association of Pamir, received 16 years': the subject is X
    apposition = _TRAILING_APPOSITION.search(region)
    if apposition and ctx.persons_in(abs_start, abs_start + apposition.start()):
        region = region[: apposition.start()]
    people = ctx.persons_in(abs_start, sentence.start + len(region) + region_start)
    chain = _chain_before(ctx, people)
    if chain:
        tail = ctx.body[chain[-1].char_end : sentence.start + region_start + len(region)]
        # 'X, the director of the Lawyers Association,' is an apposition, not a group of lawyers
        if not _BARE_GROUP.search(tail) or re.match(r"\s*,", tail):
            return Detainees(chain)
    return _group_in(ctx, sentence, region, trig)


def _object_detainees(ctx: ArticleContext, sentence: Sentence, trig: Trigger) -> Detainees | None:
    """The detainees named as the object after an active or noun trigger ('detained X', 'the arrest of X')."""
    rel_end = trig.end - sentence.start
    text = sentence.text
    if trig.voice == "noun":
        # 'the arrest of at least 11 people': the object starts after 'of', where a count modifier may open it
        noun = NOUN.match(text, trig.start - sentence.start)
        rel_end = noun.end() if noun else rel_end
    obj_end = len(text)
    head = _COUNT_HEAD.match(text, rel_end)
    for m in _OBJECT_BOUNDARY.finditer(text, head.end() if head else rel_end):
        obj_end = m.start()
        break
    obj = text[rel_end:obj_end]
    if _THING_OBJECT.match(obj):
        return None  # 'released a statement', 'released the names of 12 suspects'
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
    apposed = _apposed_names(ctx, sentence, obj, obj_end)
    if apposed:
        return Detainees(apposed)
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


# 'detained the journalist, X, on Monday', 'detained his younger brother, X.': a common-noun object
# (lowercase head) with a name in apposition after a comma
_APPOSED_HEAD = re.compile(r"^\s*(?:[\w'’-]+\s+){0,4}[a-z][\w'’-]*\s*$")
# the apposition closes with a comma or the clause's end; 'X said' makes X the speaker instead
_APPOSITION_CLOSE = re.compile(r"\s*(?:[,.;)]|$)")
_SPEAKER_AFTER = re.compile(
    r"^\s*(?:,[^,;.]{0,100})?,?\s+(?:said|says|told|tells|reported|reports|wrote|writes|added|noted|stated)\b",
    re.I,
)


def _apposed_names(ctx: ArticleContext, sentence: Sentence, obj: str, obj_end: int) -> list[Mention]:
    """People named in apposition to an object with no name ('his younger brother, X,')."""
    text = sentence.text
    if not _APPOSED_HEAD.match(obj) or not text.startswith(",", obj_end):
        return []
    chain = _chain_after(ctx, sentence, sentence.start + obj_end + 1)
    if not chain:
        return []
    rest = ctx.body[chain[-1].char_end : sentence.end]
    if not _APPOSITION_CLOSE.match(rest) or _SPEAKER_AFTER.match(rest):
        return []
    is_group, count = parse_count(obj)
    if is_group and count is not None and count != len(chain):
        return []  # 'detained 20 people, X, ...': the group stays a group
    return chain


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


_SENTENCING_VERBS = {"sentenced", "sentences", "fined", "jailed", "jails", "convicted", "condemned"}
# a clause with a new subject ends what a trigger's term and outcome can be read from
_SCOPE_BREAK = re.compile(r";|,?\s+(?:while|whereas|but)\s+|\.\s", re.I)
_RESPECTIVELY = re.compile(r"\brespectively\b", re.I)
_CO_OBJECT_BEFORE = re.compile(r"(?:,|\band)\s*(?:[a-z][\w-]*\s+){0,3}$")
_CO_OBJECT_AFTER = re.compile(r"^(?:,[^,;]{0,80},)?\s+to\b")
# a lede that counts people the article then names ('has jailed two activists') is not another detention
_LEDE_GROUP_MAX = 5
_OTHER_PEOPLE = re.compile(r"\b(?:other|others|more|further|another|additional)\b", re.I)


def _window_end(ctx: ArticleContext, sentence: Sentence, trig: Trigger, next_start: int) -> int:
    """Where the text a trigger's term and outcome are read from ends: the next trigger of the sentence,
    a new clause ('while ...', '; ...') or the sentence end. A comma does not end it: 'sentenced X, a
    lawyer, to 16 years' puts the term after an apposition."""
    end = min(next_start, sentence.end)
    brk = _SCOPE_BREAK.search(ctx.body, trig.end, end)
    return brk.start() if brk else end


def _co_objects(ctx: ArticleContext, who: Detainees, trig: Trigger, window_end: int) -> list[Mention]:
    """'sentenced A to 15 days and B to 10 days': the people after the first object who take their own
    'to <term>' are objects of the same verb."""
    if trig.voice != "active" or trig.text.lower() not in _SENTENCING_VERBS or not who.people:
        return []
    extra = []
    last_end = who.people[-1].char_end
    known = {m.name_key or m.canonical_name for m in who.people}
    for m in ctx.persons_in(last_end, window_end):
        key = m.name_key or m.canonical_name
        if key in known:
            continue
        before = ctx.body[max(last_end, m.char_start - 40) : m.char_start]
        after = ctx.body[m.char_end : window_end]
        if _CO_OBJECT_BEFORE.search(before) and _CO_OBJECT_AFTER.match(after):
            extra.append(m)
            known.add(key)
    return extra


def _terms_per_person(
    ctx: ArticleContext, people: list[Mention], window: str, window_end: int
) -> dict[int, tuple[str, int | None]]:
    """(outcome text, term) for each of several people of one trigger, when the text gives each their
    own: 'A to 15 days and B to 10 days', or 'A and B were sentenced to ten and seven years respectively'."""
    out: dict[int, tuple[str, int | None]] = {}
    if len(people) < 2:
        return out
    if _RESPECTIVELY.search(window):
        terms = parse_term_list(window)
        if len(terms) == len(people):
            return {m.mention_no: (window, t) for m, t in zip(people, terms, strict=True)}
    ordered = sorted(people, key=lambda m: m.char_start)
    for i, m in enumerate(ordered):
        seg_end = ordered[i + 1].char_start if i + 1 < len(ordered) else window_end
        segment = ctx.body[m.char_end : max(m.char_end, seg_end)]
        term = parse_term_days(segment)
        if term is not None:
            out[m.mention_no] = (segment, term)
    return out


def extract_detentions(ctx: ArticleContext) -> list[DetentionDraft]:
    drafts: dict[str, DetentionDraft] = {}
    order: list[str] = []
    for sentence in ctx.sentences:
        last: Detainees | None = None
        triggers = find_triggers(sentence)
        for index, trig in enumerate(triggers):
            rel = trig.start - sentence.start
            if is_unreal(sentence.text, rel):
                last = None
                continue
            who = detainees_for(ctx, sentence, trig, last)
            last = who
            if who is None:
                continue
            next_start = triggers[index + 1].start if index + 1 < len(triggers) else sentence.end
            window_end = _window_end(ctx, sentence, trig, next_start)
            who.people = who.people + _co_objects(ctx, who, trig, window_end)
            window = ctx.body[trig.start : window_end]
            shared_term = parse_term_days(window)
            shared_outcome = classify_outcome(window, shared_term)
            shared_term, shared_outcome = _as_commuted(ctx, sentence, window_end, shared_term, shared_outcome)
            final_release = shared_outcome == "released" and bool(_FINAL_RELEASE.search(window))
            own_terms = _terms_per_person(ctx, who.people, window, window_end)
            when, precision = ctx.date_for_trigger(sentence, trig.start, trig.end, prefer="past")
            event_type = DETENTION_EVENT_TYPE.get(trig.text.lower(), "detention")
            keys: list[tuple[str, Mention | None]] = []
            if not who.people or who.with_group:
                keys.append((f"group:{who.count}" if who.count else f"group@{sentence.index}", None))
            keys += [(f"person:{m.name_key or m.canonical_name}", m) for m in who.people]
            for key, mention in keys:
                term, outcome = shared_term, shared_outcome
                if mention is not None and mention.mention_no in own_terms:
                    segment, term = own_terms[mention.mention_no]
                    outcome = classify_outcome(f"{trig.text} {segment}", term)
                if outcome in {"fined", "unknown"}:
                    term = None
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
                draft.final_release = draft.final_release or (final_release and outcome == "released")
    for draft in drafts.values():
        if draft.final_release and draft.outcome == "sentenced":
            draft.outcome = "released"
    return _drop_lede_summaries([drafts[k] for k in order])


def _as_commuted(
    ctx: ArticleContext, sentence: Sentence, window_end: int, term: int | None, outcome: str
) -> tuple[int | None, str]:
    """A custodial sentence the same sentence says was replaced ('but the sentence was replaced with a
    probationary period of three years') is read as the replacement."""
    if outcome != "sentenced":
        return term, outcome
    changed = _COMMUTED.search(ctx.body, window_end, sentence.end)
    if changed is None:
        return term, outcome
    new_term = parse_term_days(changed["new"])
    new_outcome = classify_outcome(changed["new"], new_term)
    if new_outcome in {"suspended_sentence", "fined", "released"}:
        return (new_term if new_outcome == "suspended_sentence" else None), new_outcome
    return term, outcome


def _drop_lede_summaries(drafts: list[DetentionDraft]) -> list[DetentionDraft]:
    """'A court has jailed two activists ...' followed by their names: the small counted group of the
    lede is the named people again. Kept when it says 'other'/'more' people, or names are too few."""
    named = [d for d in drafts if d.mention is not None]
    if not named:
        return drafts
    first_named = min(d.sentence.index for d in named)
    out = []
    for d in drafts:
        small = d.count is not None and d.count <= min(len(named), _LEDE_GROUP_MAX)
        lede = d.sentence.index < first_named and not _OTHER_PEOPLE.search(d.sentence.text)
        summary = d.mention is None and (
            (small and lede)
            # a headline ('Court jails relatives of opposition figure') announces the named cases
            or (d.count is None and lede and _is_headline_sentence(d.sentence))
            # 'the two men were arrested': a definite counted group after the names is those people again
            or (small and d.sentence.index > first_named and _ANAPHORIC_GROUP.search(_before_trigger(d)))
        )
        if not summary:
            out.append(d)
    return out


_ANAPHORIC_GROUP = re.compile(
    rf"\b(?:the|these|those|both)\s+(?:{NUMBER}\s+)?(?:[\w-]+\s+)?(?:men|women|brothers|sisters|defendants"
    rf"|suspects|activists|journalists|bloggers|relatives|people)\s*$|\bboth\s*(?:of them\s*)?$",
    re.I,
)


def _before_trigger(d: DetentionDraft) -> str:
    """The sentence text up to the trigger, its auxiliary dropped ('the two men were' -> 'the two men')."""
    head = d.sentence.text[: d.trigger_start - d.sentence.start]
    return re.sub(rf"(?:\s*\b(?:{_AUX})\b)+\s+{_ADV}$", "", head, flags=re.I).rstrip()


def _is_headline_sentence(sentence: Sentence) -> bool:
    """A title line left in the body: no final punctuation, and short."""
    text = sentence.text.strip()
    return bool(text) and text[-1] not in ".!?\"'”’»)" and len(text.split()) <= 20


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
    is_arrest = DETENTION_EVENT_TYPE.get(trig.text.lower(), "detention") == "detention"
    # the detention date is when the person was detained: 'sentenced on January 31 ... detained on
    # July 1, 2022' keeps July 1, 2022, whatever order the article tells it in
    earlier_arrest = (
        is_arrest
        and not draft.date_from_arrest
        and draft.detained_date is not None
        and when is not None
        and when < draft.detained_date
        and precision in {"day", "month"}
    )
    if when is not None and (draft.detained_date is None or earlier_arrest):
        draft.detained_date, draft.date_precision = when, precision
        draft.date_from_arrest = is_arrest
    draft.authority = draft.authority or _authority(sentence, trig.start)
    draft.charge = draft.charge or _charge(ctx.body[trig.start : sentence.end])
    draft.location = draft.location or ctx.location_in(sentence, after=trig.start)
    draft.country_id = draft.country_id or ctx.country_for(sentence, trig.start)
    if sentence.index not in draft.sentences:
        draft.sentences.append(sentence.index)
    event_type = DETENTION_EVENT_TYPE.get(trig.text.lower(), "detention")
    draft.triggers.append((sentence, trig.start, trig.end, trig.text, event_type))
