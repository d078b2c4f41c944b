"""Which date phrases of a sentence say when the trigger's event happened, read from the parse.

A sentence often carries dates of other events: 'arrested in connection with unrest dating back
to 2013', 'after fleeing the country in 2013', 'sentenced for the 2013 Karakol rally'. Taking the
nearest date gives such an arrest the wrong year, and the wrong year splits or merges detention
cases. A date belongs to the trigger when, walking up the parse from the date phrase, the first
predicate met is the trigger itself or one that governs it ('On Friday police said they had
detained X': the date is on 'said', which governs 'detained'); a date first met by another verb,
or by a noun it modifies directly ('the 2013 rally', 'the January protests'), is that other
event's date. A time clause ('arrested as he crossed the border Saturday') dates the trigger too.

Everything here is syntax; finding and reading date phrases stays with `flows.extract.dates`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from spacy.tokens import Token

# nouns that only place a date inside an event's own time ('in the early hours of 21 February')
TIME_NOUNS = frozenset(
    {
        "hour", "night", "morning", "evening", "afternoon", "eve", "day", "week", "weekend", "end",
        "beginning", "start", "middle", "late", "early", "dawn", "midnight", "noon", "course", "time",
        "month", "year",
    }
)  # fmt: skip
# a date that modifies a noun directly names that noun's time: 'the 2013 rally', 'January protests'
NOUN_MODIFIERS = frozenset({"compound", "amod", "nummod", "nmod", "poss", "npadvmod", "appos"})
# adverbial clauses that date the event of the clause they hang on
TIME_MARKERS = frozenset({"as", "when", "while", "upon", "once"})
VERBAL = frozenset({"VERB", "AUX"})


def date_belongs_to(trigger: Token, offset: int, start: int, end: int, kind: str = "") -> bool:
    """Whether the date phrase at body span [start, end) dates `trigger`'s event.

    `offset` is the body offset of the trigger's parsed doc. A date outside that doc, or whose
    tokens the parse does not cover, is left to the caller's position rules (True)."""
    doc = trigger.doc
    tokens = [t for t in doc if start <= offset + t.idx < end]
    # 'yesterday', 'on Monday': news dates only its own present events this way, whatever the
    # parse hangs them on ('arrested ... in connection with unrest dating back to 2013 on Saturday')
    if not tokens or kind == "rel_day":
        return True
    inside = {t.i for t in tokens}
    root = next((t for t in tokens if t.head.i not in inside or t.head.i == t.i), tokens[0])
    governing = {t.i for t in trigger.ancestors}
    child, node = root, root.head
    while node.i != child.i:  # up to the sentence root
        if node.i == trigger.i:
            return True
        if node.pos_ in VERBAL and node.dep_ not in {"aux", "auxpass"}:
            if node.i in governing:
                return True
            if not _is_time_clause(node):
                return False  # the first predicate above the date is another event's
        elif (
            node.pos_ in {"NOUN", "PROPN"}
            and child.i == root.i
            and root.dep_ in NOUN_MODIFIERS
            and node.lemma_.lower() not in TIME_NOUNS
        ):
            return False
        child, node = node, node.head
    return True


def _is_time_clause(verb: Token) -> bool:
    return verb.dep_ == "advcl" and any(
        m.dep_ in {"mark", "advmod"} and m.lower_ in TIME_MARKERS for m in verb.children
    )
