"""Trigger tables of the fact families: which words start a fact, of which event type, and what they need.

Each family is a table read by `arguments.find_frames`; adding a family is adding a table here
and a reader of its frames. `needs_parse` is the lexical pre-filter that decides which sentences
are worth parsing at all: a sentence with no word of any table is never parsed.
"""

from __future__ import annotations

import re

from flows.extract.rules.arguments import TriggerRow, index_table, row

_CUSTODY = "custody|detention|arrest|jail|prison|bars|colony|cell|isolator|remand"

DETENTION_ROWS: list[TriggerRow] = [
    row("detain|detained|detains|detaining", "detention"),
    row("arrest|arrested|arrests|arresting", "detention"),
    row("apprehend|apprehended|apprehends", "detention"),
    row("intercept|intercepted", "detention"),
    row("jail|jailed|jails|jailing", "sentencing"),
    row("imprison|imprisoned|imprisons", "sentencing"),
    row("sentence|sentenced|sentences|sentencing|senteced", "sentencing"),
    row("convict|convicted|convicts", "sentencing"),
    row("condemn|condemned", "sentencing"),
    row("fine|fined|fines", "sentencing"),
    row("release|released|releases|releasing", "release"),
    row("free|freed|frees", "release"),
    row("acquit|acquitted|acquits", "release"),
    row("pardon|pardoned|pardons", "release"),
    row("set|sets", "release", complement="free"),
    row("hold|held|holds|holding", "detention", preps="in|under", prep_objects=_CUSTODY),
    # 'Shamshi had also been held': a person held is detained; 'elections were held' is no detention
    row("hold|held|holds", "detention", people_only=True),
    row("keep|kept|keeps", "detention", preps="in|under|behind", prep_objects=_CUSTODY),
    row(
        "remain|remained|remains",
        "detention",
        preps="in|under|behind",
        prep_objects=_CUSTODY,
        subject_is_patient=True,
    ),
    row("take|taken|took|takes", "detention", preps="into", prep_objects=_CUSTODY),
    # 'About 60 people were taken to police department': to a police station is into custody
    row("take|taken|took|takes", "detention", preps="to", prep_objects="station|department|precinct|police"),
    row("place|placed|places", "detention", preps="in|under|into", prep_objects=_CUSTODY + "|house"),
    row("put|puts", "detention", preps="in|under|behind", prep_objects=_CUSTODY + "|house"),
    row("send|sent|sends", "sentencing", preps="to", prep_objects="prison|jail|colony"),
    row("remand|remanded", "detention"),
    row("round|rounded", "detention", particle="up"),
    row("lock|locked", "detention", particle="up"),
    row("hand|handed|hands|give|given|gave|gives", "sentencing", needs_term=True),
    row("receive|received|receives|get|got|gets", "sentencing", needs_term=True, subject_is_patient=True),
    row("find|found", "sentencing", complement="guilty"),
    row("order|ordered|orders", "sentencing", complement="pay"),
    row(
        "arrest|arrests|detention|detentions|jailing|imprisonment|conviction|sentencing",
        "detention",
        pos="NOUN",
    ),
    row("release|acquittal", "release", pos="NOUN"),
]
DETENTION_TABLE = index_table(DETENTION_ROWS)

# 'X won 81.3%', 'the party took 62 of 150 seats', 'Y received 7.2 percent': the winner is the subject
RESULT_ROWS: list[TriggerRow] = [
    row(
        "win|won|wins|winning|take|took|takes|receive|received|receives|gain|gained|gains|get|got|gets"
        "|secure|secured|secures|garner|garnered|obtain|obtained|collect|collected|score|scored|poll|polled"
        "|bag|bagged|bags|capture|captured|claim|claimed|earn|earned",
        "result",
        subject_is_patient=True,
    ),
    # 'Amanat won 53.9%, followed by Auyl with 10.9%': the agent of the passive
    row("follow|followed", "result"),
    # 'X was re-elected with 87.05 percent': the one elected
    row("elect|elected|re-elected|reelected|re-elect", "result"),
    # '50.4 percent of the ballots supported the ruling party': the object is who the figure is for
    row("support|supported|supports|back|backed|backs", "result"),
]
RESULT_TABLE = index_table(RESULT_ROWS)


def _alternation(words: set[str]) -> str:
    return "|".join(map(re.escape, sorted(words, key=len, reverse=True)))


def _cue(rows: list[TriggerRow]) -> tuple[set[str], list[tuple[set[str], set[str]]]]:
    """Forms that are cues alone, and (forms, co-words) pairs: a form that needs a custody phrase, a
    complement or a term is a cue only in a sentence that also has one of those words."""
    alone: set[str] = set()
    paired: list[tuple[set[str], set[str]]] = []
    for r in rows:
        needs = (
            set(r.prep_objects)
            | ({r.complement} if r.complement else set())
            | ({r.particle} if r.particle else set())
        )
        if r.needs_term:
            needs |= TERM_WORDS
        if r.people_only:
            needs |= {"police", "custody", "detained", "arrested", "court", "security", "hours", "days"}
        (paired.append((set(r.forms), needs)) if needs else alone.update(r.forms))
    return alone, paired


TERM_WORDS = {
    "day",
    "days",
    "week",
    "weeks",
    "month",
    "months",
    "year",
    "years",
    "hours",
    "sentence",
    "term",
    "fine",
}
_DETENTION_ALONE, _DETENTION_PAIRED = _cue(DETENTION_ROWS)
# a result verb matters only in a sentence with a figure
_RESULT_FORMS = {form for r in RESULT_ROWS for form in r.forms}
_FIGURE = re.compile(r"\d\s*(?:%|per\s?cent|percent)|\bseats?\b|\bmandates\b|\bvotes\b", re.I)
_ALONE = re.compile(rf"\b(?:{_alternation(_DETENTION_ALONE)})\b", re.I)
_PAIRED = [
    (re.compile(rf"\b(?:{_alternation(forms)})\b", re.I), re.compile(rf"\b(?:{_alternation(needs)})\b", re.I))
    for forms, needs in _DETENTION_PAIRED
]
_RESULT_VERB = re.compile(rf"\b(?:{_alternation(_RESULT_FORMS)})\b", re.I)


def needs_parse(text: str) -> bool:
    """The lexical pre-filter of the parser pass: a sentence with a trigger word of some family (and, for
    triggers that need one, the word that completes them: 'taken into custody', 'handed 15 days', 'won
    53.9%')."""
    if _ALONE.search(text):
        return True
    if any(form.search(text) and needs.search(text) for form, needs in _PAIRED):
        return True
    return bool(_RESULT_VERB.search(text) and _FIGURE.search(text))
