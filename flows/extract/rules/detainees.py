"""Who a detention trigger is about: named people and unnamed groups, read from the trigger's frame.

`find_triggers` matches the detention table (`rules.tables.DETENTION_ROWS`) against a sentence's
parse; `detainees_for` turns the frame's patients into people (mentions, with conjuncts,
appositions and pronouns resolved) or a group ('nearly 80 people' counts 80, 'a 30-year-old
resident' is a group of 1, 'several activists' a group of unknown size). A general statement
('activists are often detained') names no group.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from flows.extract.model import Mention
from flows.extract.rules.arguments import NOMINAL, Frame, coordinated
from flows.extract.rules.context import ArticleContext, Sentence
from flows.extract.rules.lexicon import parse_number
from flows.extract.rules.tables import DETENTION_TABLE
from flows.extract.rules.terms import parse_count

if TYPE_CHECKING:
    from spacy.tokens import Token

_BARE_QUANTITY = re.compile(
    r"^\s*(?:(?P<mod>at least|up to|more than|over|about|around|some|nearly|almost|approximately)\s+)?"
    r"(?P<num>\d[\d,]*|dozens|hundreds|scores|thousands)\s*(?:more|others)?\s*$",
    re.I,
)
GENERIC = re.compile(
    r"\bbefore(?=\s*(?:[.,;]|$))|\b(?:often|frequently|regularly|routinely|repeatedly|usually|always|sometimes"
    r"|constantly|systematically|ongoing|remains?|concerns?|practices?|persecution|tend to|common"
    r"|increasingly|every year|each year)\b",
    re.I,
)
LIST_GLUE = re.compile(r"\s*(?:,|,?\s*and|&)\s*")


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
    generic = bool(GENERIC.search(sentence.text))
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
        if LIST_GLUE.fullmatch(ctx.body[m.char_end : run[0].char_start]):
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
        if not LIST_GLUE.fullmatch(ctx.body[last.char_end : m.char_start]) or _SPEAKS.match(
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
        and not _names_of(ctx, trig, patients[0])  # 'supporters of X, Y and Z, who ...' is about X, Y, Z
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
