"""Detentions: who was detained, arrested, jailed, sentenced, fined or released, with outcome and term.

Triggers and their arguments come from the dependency parse (`rules.arguments`, table
`rules.tables.DETENTION_ROWS`): the detainees are the trigger's patients, with conjuncts,
appositions and pronouns resolved, or an unnamed group ('nearly 80 people', 'a 30-year-old
resident'). Terms, outcomes, dates and charges are read lexically from the trigger's own clause.
General statements ('journalists have been arrested before') and negated or hypothetical triggers
yield nothing. Several clauses about the same person merge into one row.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING

from flows.extract.model import Mention
from flows.extract.rules.arguments import NOMINAL, Frame, coordinated, is_negated
from flows.extract.rules.context import ArticleContext, Sentence
from flows.extract.rules.lexicon import AUTHORITIES, GROUP_NOUNS, NUMBER, parse_number
from flows.extract.rules.negation import is_unreal
from flows.extract.rules.tables import DETENTION_TABLE
from flows.extract.rules.terms import (
    SENTENCE_WORDS,
    TERM,
    better_outcome,
    classify_outcome,
    parse_count,
    parse_term_days,
    parse_term_list,
)

if TYPE_CHECKING:
    from spacy.tokens import Token

_AUX = r"(?:was|were|been|being|is|are|be|got|get|gets|getting)"
_ADV = (
    r"(?:(?:also|later|then|subsequently|reportedly|allegedly|briefly|again|eventually|officially|first|recently"
    r"|temporarily|forcibly|immediately|initially|finally|previously|already|even|both|each|all|promptly"
    r"|illegally|arbitrarily|unlawfully|quickly|soon|not|never|actually|formally|summarily|since|each)\s+)*"
)
_BARE_QUANTITY = re.compile(
    r"^\s*(?:(?P<mod>at least|up to|more than|over|about|around|some|nearly|almost|approximately)\s+)?"
    r"(?P<num>\d[\d,]*|dozens|hundreds|scores|thousands)\s*(?:more|others)?\s*$",
    re.I,
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
    voice: str  # passive | active | noun | modifier | relative | inverted | subject
    event_type: str
    frame: Frame
    offset: int  # body offset of the frame's parsed doc


def find_triggers(ctx: ArticleContext, sentence: Sentence) -> list[Trigger]:
    """Detention triggers of a sentence from its parse, left to right."""
    found = [
        Trigger(offset + f.start, offset + f.end, f.trigger.text, f.voice, f.row.event_type, f, offset)
        for offset, f in ctx.frames(sentence, DETENTION_TABLE)
    ]
    found.sort(key=lambda t: t.start)
    return found


@dataclass
class Detainees:
    people: list[Mention]
    is_group: bool = False
    count: int | None = None
    with_group: bool = False  # people named within a group: both get rows
    key: str | None = None  # the draft a group merges into ('them' after 'numerous people were detained')


# Nouns for people that are not names: a patient headed by one is a group (plural) or one unnamed
# person (singular: 'a 30-year-old resident', 'her son')
_PERSON_NOUNS = re.compile(
    r"(?:man|woman|boy|girl|resident|citizen|activist|journalist|reporter|blogger|lawyer|member|supporter"
    r"|student|participant|individual|youth|detainee|believer|relative|worker|dissident|critic|picketer"
    r"|pensioner|mother|father|son|daughter|brother|sister|wife|husband|nephew|niece|cousin|uncle|aunt"
    r"|parent|villager|farmer|opponent|leader|organi[sz]er|defender|protester|protestor|demonstrator"
    r"|politician|figure|defendant|suspect|prisoner|inmate|employee|deputy|official|businessman"
    r"|businesswoman|entrepreneur|teacher|imam|poet|writer|artist|doctor|person|people|men|women"
    r"|children|others|other|one|accused|accuseds|rally-goer|marcher|striker|muslim|worshipper|head|chairman|founder"
    r"|editor|correspondent|commentator|human rights defender)",
    re.I,
)
_QUANTITY_NOUNS = {"dozens", "hundreds", "scores", "thousands", "dozen", "hundred", "thousand"}
_DEFINITE = {"the", "these", "those", "this", "that", "both", "all"}
_POSSESSIVE = {"his", "her", "their", "its", "my", "our", "your"}
_PAIR_NOUNS = {"parents": 2, "spouses": 2}
_PARTITIVE_HEADS = {"most", "some", "many", "several", "half", "few", "rest", "majority", "number", "none"}


def _body_span(trig: Trigger, tok: Token) -> tuple[int, int]:
    return trig.offset + tok.idx, trig.offset + tok.idx + len(tok.text)


def _is_person_noun(tok: Token) -> bool:
    return bool(_PERSON_NOUNS.fullmatch(tok.lower_) or _PERSON_NOUNS.fullmatch(tok.lemma_.lower()))


def _previous_group(ctx: ArticleContext, sentence: Sentence) -> Detainees | None:
    """'Hundreds gathered ... Police detained them': a plural pronoun that names no one points at a group."""
    if sentence.index == 0:
        return None
    prev = ctx.sentences[sentence.index - 1]
    is_group, count = parse_count(prev.text)
    return Detainees([], True, count, key=f"group@{prev.index}") if is_group else None


def _names_of(ctx: ArticleContext, trig: Trigger, tok: Token) -> list[Mention]:
    """People the patient token names: a person mention over it (or a known surname), or a pronoun's referent."""
    start, end = _body_span(trig, tok)
    person = ctx.person_at(start, end)
    if person is not None:
        return [person]
    if tok.lower_ in {"he", "she", "him", "her", "they", "them"}:
        plural = tok.lower_ in {"they", "them"}
        sentence = _sentence_of(ctx, start)
        return ctx.resolve_pronoun(sentence, start, plural) if sentence is not None else []
    return []


def _sentence_of(ctx: ArticleContext, pos: int) -> Sentence | None:
    for s in ctx.sentences:
        if s.start <= pos < s.end:
            return s
    return None


def _partitive(tok: Token) -> bool:
    """'most of whom', 'three of them': a part of an earlier group, not the group itself."""
    if tok.lower_ not in _PARTITIVE_HEADS and tok.pos_ != "NUM":
        return False
    return any(
        c.dep_ == "prep"
        and c.lower_ == "of"
        and any(g.lower_ in {"whom", "them", "those", "these"} for g in c.children)
        for c in tok.children
    )


def _group_of(ctx: ArticleContext, sentence: Sentence, trig: Trigger, tok: Token) -> Detainees | None:
    """An unnamed patient: 'nearly 80 people' (80), 'dozens of protesters' (no count), 'a 30-year-old
    resident' (1), 'several activists' (no count); a bare plural only when the sentence anchors it in time
    or place ('activists were detained' on its own is a general statement)."""
    if _partitive(tok):
        return None
    members = next(
        (
            g
            for c in tok.children
            if c.dep_ == "prep" and c.lower_ == "of"
            for g in c.children
            if g.dep_ == "pobj"
        ),
        None,
    )
    if (
        tok.lower_ in _PARTITIVE_HEADS | {"several", "dozens", "hundreds", "scores", "thousands"}
        and members is not None
    ):
        # 'Several of Mamai's supporters were fined': a part of a group, counted as the head says
        if not _is_person_noun(members):
            return None
        return Detainees([], True, None)
    quantity = tok.lower_ in _QUANTITY_NOUNS
    if not (_is_person_noun(tok) or tok.pos_ == "NUM" or quantity):
        return None
    start = trig.offset + tok.left_edge.idx
    end = trig.offset + tok.idx + len(tok.text)
    text = ctx.body[start:end]
    bare = _BARE_QUANTITY.match(text)
    if bare:
        return Detainees([], True, int(bare["num"].replace(",", "")) if bare["num"][0].isdigit() else None)
    if tok.pos_ == "NUM":
        count = parse_number(tok.text)
        return Detainees([], True, count) if count is not None and count < 1900 else None
    is_group, count = parse_count(text)
    if is_group and count is not None:
        return Detainees([], True, count)
    generic = bool(_GENERIC.search(sentence.text))
    if generic:
        return None
    dets = {c.lower_ for c in tok.children if c.dep_ in {"det", "poss", "predet"}}
    if tok.lower_ in _PAIR_NOUNS and dets:
        return Detainees([], True, _PAIR_NOUNS[tok.lower_])  # 'the parents of a businessman'
    plural = tok.tag_ in {"NNS", "NNPS"} or quantity or tok.lower_ in {"people", "men", "women", "children"}
    if not plural:
        # one unnamed person: 'a 24-year-old resident', 'his younger brother'
        return Detainees([], True, 1) if dets & ({"a", "an", "one", "another"} | _POSSESSIVE) else None
    if trig.voice == "modifier" or (trig.voice == "noun" and trig.event_type == "release"):
        # 'a statement about the detained activists' refers back; 'demands: the release of all political
        # prisoners' asks: an uncounted group named by a participle or a release noun is no detention
        return None
    if is_group or dets & (_DEFINITE | _POSSESSIVE):
        return Detainees([], True, None)
    anchored = bool(ctx.dates_in(sentence)) or ctx.location_in(sentence) is not None or trig.voice == "noun"
    return Detainees([], True, None) if anchored else None


def _apposed_people(ctx: ArticleContext, trig: Trigger, tok: Token) -> list[Mention]:
    """Names in apposition to a common noun or a number ('another activist, Erkin Qaziev'; 'One of the
    detained activists, X'; 'three activists, A, B and C'): the noun only describes them."""
    holders = [tok]
    if tok.dep_ == "pobj" and tok.head.lower_ == "of" and tok.head.head.pos_ in {"NUM", "PRON", "NOUN"}:
        holders.append(tok.head.head)  # 'One of the detained activists, X'
    people: list[Mention] = []
    for holder in holders:
        # 'the chairman of Algha, Qazaqstan, Marat Zhylanbaev': the parser may hang the name on any
        # noun of the phrase
        for child in holder.subtree:
            if child.dep_ == "appos" and child.head.pos_ in NOMINAL and _in_own_phrase(child, holder):
                for t in coordinated(child):
                    people.extend(m for m in _names_of(ctx, trig, t) if m not in people)
    return people


_ANAPHORIC_DETS = {"the", "these", "those", "both", "all"}
_TRIO_WORDS = {"trio": 3, "pair": 2, "duo": 2, "couple": 2, "both": 2}


def _counted_referents(
    ctx: ArticleContext, sentence: Sentence, trig: Trigger, tok: Token, count: int | None
) -> list[Mention]:
    """'The two women were sentenced', 'the three were jailed', 'the trio': a definite counted group
    that takes up people just named is those people: the nearest earlier run of exactly that many."""
    explicit = tok.pos_ == "NUM" or tok.lower_ in _TRIO_WORDS or any(c.dep_ == "nummod" for c in tok.children)
    if not explicit or _RELATIONAL.fullmatch(tok.lower_):
        return []  # 'the parents of a businessman' are two people, not the two just named
    count = count or _TRIO_WORDS.get(tok.lower_)
    dets = {c.lower_ for c in tok.children if c.dep_ in {"det", "predet"}} | (
        {tok.lower_} if tok.lower_ == "both" else set()
    )
    if count is None or not 2 <= count <= 6 or not dets & _ANAPHORIC_DETS:
        return []
    before = ctx.persons_in(sentence.start, trig.offset + tok.left_edge.idx)
    if len(before) == count:
        return before
    for prev in reversed(ctx.sentences[max(0, sentence.index - 3) : sentence.index]):
        people = ctx.persons_in(prev.start, prev.end)
        if len(people) == count:
            return people
        if people:
            break
    return []


# nouns that name someone by their tie to another person: 'the brother of X' is not X
_RELATIONAL = re.compile(
    r"(?:brother|sister|son|daughter|wife|husband|father|mother|parent|relative|nephew|niece|cousin|uncle"
    r"|aunt|lawyer|attorney|supporter|colleague|friend|associate|family|follower|bodyguard|assistant|aide"
    r"|driver|employee|staff|opponent|critic|killer|murderer)s?",
    re.I,
)
# participles that join a role noun to the names it describes ('members representing party P, X and Y')
_NAMING_VERBS = {"represent", "name", "call", "include", "lead", "head", "know", "identify"}


_PHRASE_TAIL = re.compile(r"[\s,)]*(?:(?:to|for|on|in|at|over|after)\b.*)?", re.S)


def _in_own_phrase(tok: Token, top: Token) -> bool:
    """`tok` belongs to `top`'s own noun phrase: reached through nouns and 'of', not through a clause, a
    verb or another preposition ('prisoners jailed under Karimov's predecessor, X' names no prisoner)."""
    node = tok
    while node.i != top.i:
        if (
            node.pos_ in {"VERB", "AUX"}
            or (node.dep_ == "prep" and node.lower_ != "of")
            or _is_inclusion(node)
        ):
            return False
        if node.head.i == node.i:
            return False
        node = node.head
    return True


def _under_inclusion(tok: Token, top: Token) -> bool:
    """Inside an 'including ...' phrase of `top`: named as part of the group, not as its description."""
    node = tok
    while node.i != top.i and node.head.i != node.i:
        if _is_inclusion(node):
            return True
        node = node.head
    return False


def _is_inclusion(tok: Token) -> bool:
    return tok.dep_ == "prep" and tok.lower_ in {"including", "among", "like"}


def _closing_names(ctx: ArticleContext, trig: Trigger, tok: Token) -> list[Mention]:
    """'the chairman of Algha, Qazaqstan, Marat Zhylanbaev', 'parliament members representing the Ata-Zhurt
    party Kachymbek Tashiyev, Sadyr Zhaparov and Talant Mamytov': a role noun whose phrase closes on a run
    of names is those people, whatever the parser made of the phrase inside. Not a relational noun ('the
    brother of X'), and not names inside a clause of their own ('activists who protested against X')."""
    if not _is_person_noun(tok) or _RELATIONAL.fullmatch(tok.lower_):
        return []
    subtree_start = trig.offset + tok.idx + len(tok.text)
    subtree_end = trig.offset + tok.right_edge.idx + len(tok.right_edge.text)
    inside = ctx.persons_in(subtree_start, subtree_end)
    if not inside:
        return []
    person = inside[-1]
    # what follows the last name inside the phrase may only be a prepositional tail ('to 12 to 18 months')
    if not _PHRASE_TAIL.fullmatch(ctx.body[person.char_end : subtree_end]):
        return []
    edge = next((t for t in tok.subtree if trig.offset + t.idx == person.char_end - len(t.text)), None)
    node = edge
    while node is not None and node.i != tok.i:
        if node.dep_ in {"relcl", "advcl", "ccomp", "xcomp"} or _is_inclusion(node):
            return []
        if node.pos_ == "VERB" and node.lemma_.lower() not in _NAMING_VERBS:
            return []
        node = node.head
    start = trig.offset + tok.idx + len(tok.text)
    names = ctx.persons_in(start, person.char_end)
    # the run of names that ends the phrase: walk back while only list glue separates them
    run = [names[-1]] if names else []
    for m in reversed(names[:-1]):
        if _LIST_GLUE.fullmatch(ctx.body[m.char_end : run[0].char_start]):
            run.insert(0, m)
        else:
            break
    return run


def _included_people(ctx: ArticleContext, trig: Trigger, tok: Token) -> list[Mention]:
    """'detained about 20 people, including journalist X': people named inside a group."""
    people: list[Mention] = []
    for child in tok.children:
        if child.dep_ == "prep" and child.lower_ in {"including", "among"}:
            for obj in child.children:
                if obj.dep_ == "pobj":
                    for t in coordinated(obj):
                        people.extend(_names_of(ctx, trig, t))
    return people


_SPEAKS = re.compile(r"\s*(?:said|says|told|tells|added|wrote|writes|noted|stated)\b", re.I)


def _listed_with(ctx: ArticleContext, sentence: Sentence, people: list[Mention]) -> list[Mention]:
    """Names joined to the last patient by list glue ('A and B', 'A, B, and C') that the parse did not
    coordinate ('Bakyt Osmonov and Aziza Nurmatova' read as an interjection and a conjunct)."""
    if not people:
        return []
    extra: list[Mention] = []
    last = max(people, key=lambda m: m.char_end)
    known = {m.name_key or m.canonical_name for m in people}
    for m in ctx.persons_in(last.char_end, sentence.end):
        if not _LIST_GLUE.fullmatch(ctx.body[last.char_end : m.char_start]) or _SPEAKS.match(
            ctx.body, m.char_end
        ):
            break
        if (m.name_key or m.canonical_name) not in known:
            extra.append(m)
            known.add(m.name_key or m.canonical_name)
        last = m
    return extra


def detainees_for(ctx: ArticleContext, sentence: Sentence, trig: Trigger) -> Detainees | None:
    """Who a trigger's frame says was detained: named people (conjuncts and appositions of its patients,
    pronouns resolved) and unnamed groups."""
    people: list[Mention] = []
    group: Detainees | None = None
    described: set[int] = set()  # patients that only describe named people ('another activist, X')
    patients = list(trig.frame.patients)
    if (
        trig.voice == "relative"
        and patients
        and patients[0].dep_ == "pobj"
        and patients[0].head.lower_ == "of"
    ):
        # 'X, Y and Z of the Ata-Zhurt party, who have been arrested': the clause is about the people
        patients = coordinated(patients[0].head.head) + patients
    for tok in patients:
        if tok.i in described:
            continue
        named = _names_of(ctx, trig, tok)
        if named:
            # 'Rustam Khaidarov, a lawyer and the editor of a local newspaper': what a name's apposition
            # says describes that person; it is no group of its own
            # ('Mamadsulton Mavlonazarov, 72,': an age) and is no group of its own
            described.update(
                d.i
                for c in tok.children
                if c.dep_ == "appos" and c.pos_ in {"NOUN", "NUM"}
                for d in coordinated(c)
                if d.pos_ in {"NOUN", "NUM"} and not _names_of(ctx, trig, d)
            )
        if named:
            people.extend(m for m in named if m not in people)
            continue
        if tok.lower_ in {"they", "them"} and not named:
            group = group or _previous_group(ctx, sentence)
            continue
        apposed = _apposed_people(ctx, trig, tok) or _closing_names(ctx, trig, tok)
        if apposed:
            people.extend(m for m in apposed if m not in people)
            described.update(c.i for c in tok.subtree if c.dep_ == "appos")
            continue
        found = _group_of(ctx, sentence, trig, tok)
        if found is None:
            continue
        referents = _counted_referents(ctx, sentence, trig, tok, found.count)
        if referents:
            people.extend(m for m in referents if m not in people)
            continue
        included = _included_people(ctx, trig, tok)
        if included:
            people.extend(m for m in included if m not in people)
            found.with_group = True
        group = group or found
    people += _listed_with(ctx, sentence, people)
    if trig.frame.row.people_only and not people and (group is None or group.count is None):
        return None
    if people:
        # 'A, B and the parents of a businessman': the named people and the group each get a row
        return Detainees(people, with_group=group is not None, count=group.count if group else None)
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


_SENTENCING_VERBS = {"sentenced", "sentences", "fined", "jailed", "jails", "convicted", "condemned"}
# a clause with a new subject ends what a trigger's term and outcome can be read from
_SCOPE_BREAK = re.compile(r";|,?\s+(?:while|whereas|but)\s+|\.\s", re.I)
_RESPECTIVELY = re.compile(r"\brespectively\b", re.I)
_CO_OBJECT_BEFORE = re.compile(r"(?:,|\band)\s*(?:[a-z][\w-]*\s+){0,3}$")
_CO_OBJECT_AFTER = re.compile(r"^(?:,[^,;]{0,80},)?\s+to\b")
# a lede that counts people the article then names ('has jailed two activists') is not another detention
_OTHER_PEOPLE = re.compile(r"\b(?:other|others|more|further|another|additional)\b", re.I)


def _window_end(ctx: ArticleContext, sentence: Sentence, trig: Trigger, next_start: int) -> int:
    """Where the text a trigger's term and outcome are read from ends: the next trigger of the sentence,
    a new clause ('while ...', '; ...') or the sentence end. A comma does not end it: 'sentenced X, a
    lawyer, to 16 years' puts the term after an apposition."""
    end = min(next_start, sentence.end)
    brk = _SCOPE_BREAK.search(ctx.body, trig.end, end)
    return brk.start() if brk else end


_DASH_LED = re.compile(r"[^,;–—]*\b(?:years?|months?|days?)\b[^,;–—]*[–—-]\s*$", re.I)
_LIST_GLUE = re.compile(r"\s*(?:,|,?\s*and|&)\s*")


def _before_dash(segment: str) -> str:
    """The part of a name's trailing text before a dash that opens the next name's term."""
    return re.split(r"\s[–—-]\s|,\s*(?=[^,]*[–—])", segment, maxsplit=1)[0]


def _listed_after(ctx: ArticleContext, who: Detainees, trigger_end: int, window_end: int) -> list[Mention]:
    """'X received 11 years, 10.5 years – Y, 9 years – Z': people listed after the trigger's own patients
    with their terms (a gapped list the parser does not see as one) are patients of the same trigger."""
    if not who.people:
        return []
    extra: list[Mention] = []
    last = max([trigger_end] + [m.char_end for m in who.people])
    known = {m.name_key or m.canonical_name for m in who.people}
    for m in ctx.persons_in(last, window_end):
        gap = ctx.body[last : m.char_start]
        glue = TERM.sub(" ", gap)
        glue = re.sub(
            r"\b(?:in|prison|jail|colony|and|each|of|the|longest|shortest|term|sentence)\b",
            " ",
            glue,
            flags=re.I,
        )
        # a term beside the name, or the next name of a run that shares the term before it
        termed = TERM.search(gap + ctx.body[m.char_end : m.char_end + 30]) or (
            extra and _LIST_GLUE.fullmatch(gap)
        )
        if not re.fullmatch(r"[\s,;–—()\-]*", glue) or not termed:
            break
        key = m.name_key or m.canonical_name
        if key not in known:
            extra.append(m)
            known.add(key)
        last = m.char_end
    return extra


def _pretrial(trig: Trigger, window: str, outcome: str) -> str:
    """'arrested for two months', 'detained for 48 hours': a term an arrest names, with no verdict in its
    clause, is custody pending trial (outcome unknown, the term kept)."""
    if trig.event_type != "detention" or outcome not in {"sentenced", "administrative_arrest"}:
        return outcome
    if _HOURS.search(window) or (outcome == "sentenced" and not SENTENCE_WORDS.search(window)):
        return "unknown"
    return outcome


_HOURS = re.compile(r"\b\d+\s*hours?\b|\b(?:twenty-four|forty-eight|seventy-two)\s+hours\b", re.I)


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
    dash_led: set[int] = set()
    for i, m in enumerate(ordered):
        seg_end = ordered[i + 1].char_start if i + 1 < len(ordered) else window_end
        segment = ctx.body[m.char_end : max(m.char_end, seg_end)]
        # '9 years – Dauranbek Ramanov': a term joined to the name by a dash before it
        lead = ctx.body[ordered[i - 1].char_end if i else m.char_start : m.char_start]
        led = _DASH_LED.search(lead)
        term = parse_term_days(led.group(0)) if led else None
        if term is not None:
            dash_led.add(m.mention_no)
            out[m.mention_no] = (led.group(0), term)
            continue
        term = parse_term_days(_before_dash(segment))
        if term is not None:
            out[m.mention_no] = (segment, term)
    # '8 years – A, B and C': a dash-led term runs on over the names listed after it
    for prev, m in zip(ordered, ordered[1:], strict=False):
        glued = _LIST_GLUE.fullmatch(ctx.body[prev.char_end : m.char_start])
        if glued and m.mention_no not in out and prev.mention_no in dash_led:
            out[m.mention_no] = out[prev.mention_no]
            dash_led.add(m.mention_no)
    # 'Mahmadsharif Nabiev and Abdusamad Ghairatov (14 years)': a term after a pair covers both
    for m, nxt in reversed(list(zip(ordered, ordered[1:], strict=False))):
        pair = re.fullmatch(r"\s*(?:and|&)\s*", ctx.body[m.char_end : nxt.char_start])
        if pair and m.mention_no not in out and nxt.mention_no in out:
            out[m.mention_no] = out[nxt.mention_no]
    return out


def extract_detentions(ctx: ArticleContext) -> list[DetentionDraft]:
    drafts: dict[str, DetentionDraft] = {}
    order: list[str] = []
    for sentence in ctx.sentences:
        triggers = find_triggers(ctx, sentence)
        for index, trig in enumerate(triggers):
            rel = trig.start - sentence.start
            if is_negated(trig.frame.trigger) or is_unreal(sentence.text, rel):
                continue
            who = detainees_for(ctx, sentence, trig)
            if who is None:
                continue
            next_start = triggers[index + 1].start if index + 1 < len(triggers) else sentence.end
            window_end = _window_end(ctx, sentence, trig, next_start)
            window = ctx.body[trig.start : window_end]
            shared_term = parse_term_days(window)
            shared_outcome = _pretrial(trig, window, classify_outcome(window, shared_term))
            shared_term, shared_outcome = _as_commuted(ctx, sentence, window_end, shared_term, shared_outcome)
            final_release = shared_outcome == "released" and bool(_FINAL_RELEASE.search(window))
            if trig.event_type == "sentencing":
                who.people = who.people + _listed_after(ctx, who, trig.end, window_end)
            own_terms = _terms_per_person(ctx, who.people, window, window_end)
            when, precision = ctx.date_for_trigger(sentence, trig.start, trig.end, prefer="past")
            event_type = trig.event_type
            keys: list[tuple[str, Mention | None]] = []
            if not who.people or who.with_group:
                group_key = who.key or (f"group:{who.count}" if who.count else f"group@{sentence.index}")
                keys.append((group_key, None))
            keys += [(f"person:{m.name_key or m.canonical_name}", m) for m in who.people]
            for key, mention in keys:
                term, outcome = shared_term, shared_outcome
                if mention is not None and mention.mention_no in own_terms:
                    segment, term = own_terms[mention.mention_no]
                    outcome = classify_outcome(f"{trig.text} {segment}", term)
                if outcome == "fined":
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
        small = d.count is not None and d.count <= len(named)
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
    is_arrest = trig.event_type == "detention"
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
    draft.triggers.append((sentence, trig.start, trig.end, trig.text, trig.event_type))
