"""Negated, threatened and hypothetical triggers: 'threatened with arrest', 'could face up to 10 years',
'demanded the release', 'impossible to detain', 'was not detained' are not events that happened."""

from __future__ import annotations

import re

# Cues that reach across commas: a threat or a warning colours the whole sentence before the trigger.
SENTENCE_CUES = re.compile(r"\b(?:threat(?:en(?:ed|s|ing)?)?|warn(?:ed|s|ing)?|intimidat\w*)\b", re.I)

# Cues that only matter inside the trigger's own clause, before it.
CLAUSE_CUES = re.compile(
    r"\b(?:not|never|no|nor|none|nobody|no one|neither|without|cannot|can't|couldn't|wouldn't|won't|didn't"
    r"|doesn't|don't|hasn't|haven't"
    r"|wasn't|weren't|isn't|aren't|could|may|might|would|should|will|shall|can|must|if|unless|whether"
    r"|impossible|avoid(?:ed|s|ing)?|escap(?:e|ed|es|ing)|evad(?:e|ed|es|ing)|risk(?:s|ed|ing)?"
    r"|fac(?:e|es|ed|ing)|potential(?:ly)?|possib(?:le|ly)|punishable|up to|demand(?:ed|s|ing)?"
    r"|call(?:ed|s|ing)? for|urg(?:e|ed|es|ing)|ask(?:ed|s|ing)?|appeal(?:ed|s|ing)? for|refus(?:e|ed|es|ing) to"
    r"|declin(?:e|ed|es|ing) to|fear(?:s|ed|ing)?|plan(?:s|ned|ning)? to|intend(?:s|ed|ing)? to"
    r"|want(?:s|ed|ing)? to|tr(?:y|ied|ies|ying) to|(?<!\ban )attempt(?:s|ed|ing)? to|seek(?:s|ing)? to|sought to"
    r"|order(?:ed|s)? to|allow(?:ed|s)? to|hop(?:e|ed|es|ing)|expect(?:ed|s|ing)?|rumou?rs?|called on)\b",
    re.I,
)

_CLAUSE_BREAK = re.compile(
    r"[,;:()\[\]–—]|\s-{1,2}\s|\b(?:but|however|while|whereas|although|though)\b", re.I
)


# 'on May 3', 'in May 2022', 'May 1 protest': the month, not the modal verb
_MONTH_MAY = re.compile(
    r"\b(?:(?:in|on|since|by|until|from|of|early|mid|late|last|this|next|during|before|after)\s+May\b"
    r"|May\s+\d)",
)


_COURT_ORDER = re.compile(r"\b(?:ruled|ordered|decided|decreed|sentenced)\b[^.;]*\bthat\b", re.I)


def clause_before(sentence_text: str, trigger_start: int) -> str:
    """The part of the trigger's clause that precedes it (offsets relative to the sentence)."""
    start = 0
    for m in _CLAUSE_BREAK.finditer(sentence_text, 0, trigger_start):
        start = m.end()
    return sentence_text[start:trigger_start]


def is_unreal(sentence_text: str, trigger_start: int, *, check_modality: bool = True) -> bool:
    """True when the trigger at `trigger_start` (relative to the sentence) is negated, threatened,
    demanded or hypothetical rather than reported as having happened."""
    if SENTENCE_CUES.search(sentence_text[:trigger_start]):
        return True
    if not check_modality:
        return False
    clause = _MONTH_MAY.sub(" ", clause_before(sentence_text, trigger_start))
    if _COURT_ORDER.search(sentence_text[:trigger_start]):
        # 'the court ruled that X must remain in custody': an order carried out, not a possibility
        clause = re.sub(r"\b(?:must|should|shall|is to|are to)\b", " ", clause, flags=re.I)
    return bool(CLAUSE_CUES.search(clause))
