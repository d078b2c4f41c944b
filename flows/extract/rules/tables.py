"""Trigger tables of the fact families: which words start a fact, of which event type, and what they need.

Each family is a table read by `arguments.find_frames`; adding a family is adding a table here
and a reader of its frames. `PARSE_CUE` is the lexical pre-filter that decides which sentences
are worth parsing at all: a sentence none of whose words is in any table is never parsed.
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

ALL_FORMS = sorted(
    {form for rows in (DETENTION_ROWS, RESULT_ROWS) for r in rows for form in r.forms}, key=len, reverse=True
)
PARSE_CUE = re.compile(r"\b(?:" + "|".join(map(re.escape, ALL_FORMS)) + r")\b", re.I)
