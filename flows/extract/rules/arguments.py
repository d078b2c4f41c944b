"""Who did what to whom, read from the dependency parse: one argument finder for every fact family.

A fact family is a table of `TriggerRow`s: the word forms that trigger it, the event type each
gives, and what the trigger needs (a custody phrase for 'take', a term for 'hand'). `find_frames`
matches the table against a parsed sentence and returns, per trigger, a `Frame` with

- `patients`: the heads of whoever the act was done to, with conjuncts and appositions expanded:
  the passive subject ('X was detained'), the object ('police detained X'), the possessor or the
  'of' object of a noun trigger ("X's arrest", 'the arrest of X'), the noun a participle modifies
  ('the detained activists'), the antecedent of a relative clause ('X, who was detained'), the
  subject of a verb that takes the trigger ('X received 15 days'), and the inverted copula
  ('Among those detained was X', 'The others sentenced were A, B and C');
- `agent`: who did it ('by police', 'the court sentenced ...');
- `voice`, for the families that care.

Everything here is syntax; the lexical jobs (terms, counts, dates) stay with their own modules.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # spaCy is imported lazily by the parser; the types are only for reading
    from spacy.tokens import Doc, Token

NOMINAL = {"NOUN", "PROPN", "PRON", "NUM"}
SUBJECTS = {"nsubj", "nsubjpass"}


@dataclass(frozen=True)
class TriggerRow:
    """One row of a family's trigger table."""

    forms: frozenset[str]  # lower-case word forms (the lemmatizer misreads some: 'fined' -> 'fin')
    event_type: str
    pos: str = "VERB"  # VERB or NOUN
    # multiword triggers: 'take into custody', 'place under arrest', 'put behind bars'
    preps: frozenset[str] = frozenset()
    prep_objects: frozenset[str] = frozenset()
    # 'hand', 'give', 'receive': a trigger only with a term or sentence as object ('handed 15 days')
    needs_term: bool = False
    # 'X received 15 days': the subject of the active verb is who it was done to
    subject_is_patient: bool = False
    # 'find guilty': an adjective complement the trigger needs
    complement: str | None = None
    # particle ('round up', 'lock up')
    particle: str | None = None
    # a trigger only when its patients are people ('X was held'; not 'elections were held')
    people_only: bool = False


def row(forms: str, event_type: str, **kwargs: object) -> TriggerRow:
    """A table row from 'a|b|c' strings: `row("detain|detained", "detention", preps="in|under")`."""
    sets = {
        k: frozenset(v.split("|")) if isinstance(v, str) and k in {"preps", "prep_objects"} else v
        for k, v in kwargs.items()
    }
    return TriggerRow(frozenset(forms.split("|")), event_type, **sets)  # type: ignore[arg-type]


@dataclass
class Frame:
    trigger: Token
    row: TriggerRow
    voice: str  # passive | active | noun | modifier | relative | inverted | subject
    patients: list[Token]
    agent: Token | None = None

    @property
    def start(self) -> int:
        return self.trigger.idx

    @property
    def end(self) -> int:
        return self.trigger.idx + len(self.trigger.text)


def index_table(rows: Iterable[TriggerRow]) -> dict[str, list[TriggerRow]]:
    table: dict[str, list[TriggerRow]] = {}
    for r in rows:
        for form in r.forms:
            table.setdefault(form, []).append(r)
    return table


def _matching_row(tok: Token, table: dict[str, list[TriggerRow]]) -> TriggerRow | None:
    for r in table.get(tok.lower_, ()):
        if r.pos == "NOUN" and tok.pos_ not in {"NOUN", "PROPN"}:
            continue
        if r.pos == "VERB" and tok.pos_ not in {"VERB", "AUX", "ADJ"}:
            continue
        if r.particle and not any(c.dep_ == "prt" and c.lower_ == r.particle for c in tok.children):
            continue
        if r.preps and not _has_prep_object(tok, r):
            continue
        if r.complement and not any(c.lower_ == r.complement for c in tok.children):
            continue
        return r
    return None


def _has_prep_object(tok: Token, r: TriggerRow) -> bool:
    for child in tok.children:
        if (
            child.dep_ in {"prep", "agent", "dative"}
            and child.lower_ in r.preps
            and any(g.lemma_.lower() in r.prep_objects or g.lower_ in r.prep_objects for g in child.children)
        ):
            return True
    return False


def _has_term_object(tok: Token) -> bool:
    """'handed 15 days', 'given a suspended sentence', 'received seven years in prison'."""
    for child in tok.children:
        if (
            child.dep_ in {"dobj", "dative", "attr", "oprd", "npadvmod"}
            and child.lemma_.lower() in TERM_NOUNS
        ):
            return True
        if (
            child.dep_ == "dobj"
            and any(g.dep_ == "prep" and g.lower_ in {"of", "in"} for g in child.children)
            and any(w.lemma_.lower() in TERM_NOUNS for w in child.subtree)
        ):
            return True
    return False


TERM_NOUNS = {
    "day",
    "week",
    "month",
    "year",
    "hour",
    "sentence",
    "term",
    "fine",
    "arrest",
    "imprisonment",
    "probation",
    "detention",
    "jail",
    "prison",
    "life",
}


def coordinated(tok: Token) -> list[Token]:
    """`tok` and the nominals coordinated or apposed with it ('A, B, C and D'; 'X, a lawyer'), in order."""
    out = [tok]
    stack = [tok]
    while stack:
        current = stack.pop()
        for child in current.children:
            if child.dep_ in {"conj", "appos"} and child.pos_ in NOMINAL and child not in out:
                out.append(child)
                stack.append(child)
    return sorted(out, key=lambda t: t.i)


def _nominal_conjuncts_of_verb(verb: Token) -> list[Token]:
    """'sentenced A, B, and C to 20 days': the parser may hang the last name on the verb."""
    return [c for c in verb.children if c.dep_ == "conj" and c.pos_ in {"PROPN", "NOUN"}]


def _is_passive(verb: Token) -> bool:
    """'was detained', 'detained by police', and 'was detained and (was) sentenced': a past participle
    coordinated with a passive verb shares its auxiliary."""
    if any(c.dep_ in {"auxpass", "nsubjpass"} for c in verb.children):
        return True
    if verb.tag_ != "VBN":
        return False
    if any(c.dep_ == "agent" or (c.dep_ == "prep" and c.lower_ == "by") for c in verb.children):
        return True
    return verb.dep_ == "conj" and verb.head.i != verb.i and _is_passive(verb.head)


def _child(tok: Token, *deps: str) -> Token | None:
    """The child with one of `deps`; of several subjects the one nearest the verb ('Nur-Sultan:
    President X has won': the parser makes both subjects; the dateline's place is not the winner)."""
    found = [c for c in tok.children if c.dep_ in deps]
    if not found:
        return None
    before = [c for c in found if c.i < tok.i and c.dep_ in SUBJECTS]
    return before[-1] if before else found[0]


RELATIVE_PRONOUNS = {"who", "that", "whom", "which"}


def antecedent(relative: Token) -> Token:
    """'X, who was detained (and later jailed)': the noun a relative pronoun stands for."""
    current = relative.head
    for _ in range(4):
        if current.dep_ == "relcl":
            return current.head
        if current.dep_ != "conj":
            break
        current = current.head
    return relative


def _subject_of_auxiliary(verb: Token) -> Token | None:
    """'X was re-elected': the parser split 're-elected' and hung the subject on 'was'."""
    for aux in verb.children:
        if aux.dep_ in {"aux", "auxpass"}:
            subject = _child(aux, "nsubj", "nsubjpass")
            if subject is not None:
                return subject
    return None


def _inherited_subject(verb: Token) -> Token | None:
    """'X was detained and later sentenced', 'sentenced after being detained': the subject of the verb
    this one is coordinated with or subordinate to."""
    current = verb
    for _ in range(3):
        if current.dep_ not in {"conj", "advcl", "xcomp"} or current.head.i == current.i:
            return None
        current = current.head
        subject = _child(current, "nsubjpass", "nsubj")
        if subject is not None:
            if (
                subject.dep_ == "nsubj"
                and verb.dep_ == "conj"
                and _is_passive(verb)
                and not _is_passive(current)
            ):
                return None  # 'police beat X and he was detained' is not about the police
            return subject
    return None


def _copula_argument(head: Token) -> list[Token]:
    """'The others sentenced were A, B', 'Among those detained was X': the copula's other argument."""
    verb = head.head
    if head.dep_ == "pobj" and verb.dep_ == "prep" and verb.lower_ in {"among", "amongst", "including"}:
        verb = verb.head
    elif head.dep_ not in {"nsubj", "attr"}:
        return []
    if verb.lemma_ != "be":
        return []
    return [c for c in verb.children if c.dep_ in {"nsubj", "attr"} and c.i != head.i and c.pos_ in NOMINAL]


def _plural_antecedent(relative_verb: Token) -> Token:
    """'A, B, and C of the party, who have been indicted': a plural relative clause on the last of
    coordinated names is about all of them (the first conjunct, which expands to the rest)."""
    head = relative_verb.head
    plural = any(
        c.dep_ in {"aux", "auxpass"} and c.lower_ in {"have", "were", "are"} for c in relative_verb.children
    )
    while plural and head.dep_ == "conj" and head.head.i != head.i and head.head.pos_ in NOMINAL:
        head = head.head
    return head


def _misattached_participle_partner(verb: Token) -> Token | None:
    """'X, who have been indicted for an attempt to seize power and arrested for two months': the
    parser coordinates 'arrested' with 'seize'. A past participle conjoined to a verb of another
    form belongs with the nearest passive participle above it, whose arguments it shares."""
    if verb.tag_ != "VBN" or verb.dep_ != "conj" or verb.head.tag_ == "VBN" or verb.head.pos_ != "VERB":
        return None
    current = verb.head
    for _ in range(4):
        if current.head.i == current.i:
            return None
        current = current.head
        if current.tag_ == "VBN" and current.pos_ == "VERB":
            return current if _is_passive(current) else None
    return None


def _patients_of_verb(verb: Token, r: TriggerRow) -> tuple[str, list[Token]]:
    partner = _misattached_participle_partner(verb)
    if partner is not None:
        return _patients_of_verb(partner, r)
    passive = _is_passive(verb)
    if verb.dep_ in {"acl", "amod"} and verb.head.pos_ in NOMINAL:
        # 'Among those detained was X'; but 'X were among 14 people detained' counts the 14
        counted = any(c.dep_ == "nummod" for c in verb.head.children)
        inverted = [] if counted else _copula_argument(verb.head)
        if inverted:
            return "inverted", inverted
        return "modifier", [verb.head]
    if verb.dep_ == "relcl" and verb.head.pos_ in NOMINAL:
        subject = _child(verb, "nsubjpass", "nsubj")
        if (passive or r.subject_is_patient) and (
            subject is None or subject.lower_ in {"who", "that", "whom"}
        ):
            return "relative", [_plural_antecedent(verb)]
    if passive or r.subject_is_patient:
        subject = _child(verb, "nsubjpass") if passive else _child(verb, "nsubj")
        subject = subject or _inherited_subject(verb) or _subject_of_auxiliary(verb)
        if subject is not None and subject.lower_ in RELATIVE_PRONOUNS:
            subject = antecedent(subject)
            if subject.lower_ in RELATIVE_PRONOUNS:
                subject = None
        if subject is not None:
            return ("passive" if passive else "subject"), [subject]
        return ("passive" if passive else "subject"), []
    objects = [c for c in verb.children if c.dep_ == "dobj"]  # 'sentenced A to 15 days and B to 10 days'
    obj = objects[0] if objects else _child(verb, "dative")
    if r.complement and obj is None:
        # 'found X and Y guilty': the parser makes X the subject of the complement
        complement = next((c for c in verb.children if c.lower_ == r.complement), None)
        obj = _child(complement, "nsubj") if complement is not None else None
    if r.needs_term:
        # 'the court handed X a 15-day sentence': the recipient is the dative (or the first object)
        recipients = [c for c in verb.children if c.dep_ == "dative" and c.pos_ in NOMINAL]
        obj = recipients[0] if recipients else None
    if obj is None or obj.lemma_.lower() in TERM_NOUNS:
        return "active", []
    more = [c for c in objects[1:] + _nominal_conjuncts_of_verb(verb) if c.i > obj.i]
    return "active", [obj, *more]


def _patients_of_noun(noun: Token) -> list[Token]:
    owner = _child(noun, "poss")
    if owner is not None and owner.lower_ not in {"his", "her", "their", "its"}:
        return [owner]
    for prep in noun.children:
        if prep.dep_ == "prep" and prep.lower_ == "of":
            obj = _child(prep, "pobj")
            if obj is not None:
                return [obj]
    if owner is not None:
        return [owner]  # 'his arrest': the pronoun, resolved by the family
    return []


def _agent(trigger: Token) -> Token | None:
    agent = _child(trigger, "agent")
    if agent is None and trigger.tag_ == "VBN":
        # the parser sometimes attaches a participle's 'by X' as a plain preposition
        agent = next((c for c in trigger.children if c.dep_ == "prep" and c.lower_ == "by"), None)
    if agent is not None:
        return _child(agent, "pobj")
    if trigger.pos_ != "NOUN" and not _is_passive(trigger):
        return _child(trigger, "nsubj")
    return None


def expand_patients(heads: list[Token]) -> list[Token]:
    out: list[Token] = []
    for head in heads:
        for tok in coordinated(head):
            if tok not in out:
                out.append(tok)
    return out


def find_frames(doc: Doc, table: dict[str, list[TriggerRow]]) -> list[Frame]:
    """Frames of every trigger of `table` in `doc`, in text order. Offsets are the doc's own."""
    frames: list[Frame] = []
    for tok in doc:
        r = _matching_row(tok, table)
        if r is None:
            continue
        if r.needs_term and not _has_term_object(tok):
            continue
        if r.pos == "NOUN":
            voice, heads = "noun", _patients_of_noun(tok)
        else:
            voice, heads = _patients_of_verb(tok, r)
        frames.append(Frame(tok, r, voice, expand_patients(heads), _agent(tok)))
    return frames


# 'wanted X to be sentenced', 'demanded their release', 'threatened to arrest': verbs whose complement
# has not happened
IRREALIS_HEADS = {
    "want",
    "demand",
    "ask",
    "seek",
    "urge",
    "call",
    "plan",
    "intend",
    "threaten",
    "face",
    "risk",
    "try",
    "attempt",
    "expect",
    "propose",
    "request",
    "hope",
    "fear",
    "warn",
    "avoid",
    "escape",
    "refuse",
    "vow",
    "promise",
    "order",
    "push",
    "press",
    "petition",
    "appeal",
}


def is_negated(trigger: Token) -> bool:
    """'was not detained', 'never arrested', 'the prosecution wanted X to be sentenced', 'demanded the
    release of X': negated, or the complement of a verb of wanting, demanding or threatening."""
    if any(c.dep_ == "neg" for c in trigger.children):
        return True
    current = trigger
    for _ in range(3):
        if (
            current.dep_ in {"xcomp", "ccomp", "dobj", "pobj", "prep", "pcomp"}
            and current.head.i != current.i
        ):
            current = current.head
            if current.lemma_.lower() in IRREALIS_HEADS:
                return True
            if any(c.dep_ == "neg" for c in current.children) and trigger.dep_ == "xcomp":
                return True
        else:
            break
    return False
