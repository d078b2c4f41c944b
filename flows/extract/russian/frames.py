"""Who a Russian trigger is about, read from slovnet's UD parse.

A frame is a trigger token and its patients: the passive subject ('были задержаны активисты
X и Y'), the object ('задержали X'), the dative ('Журналисту дали пять лет'), the subject of
'получить', the noun a participle modifies ('активистов, задержанных ...'), the antecedent of
'который', conjunct chains, and a dash-appended list ('Пятерых арестовали на два месяца -
Нурлана ..., Жаната ...'). A conjunct with an elided verb ('и на 6 суток — Нуржан
Сембаев') is a frame of its own with the term it carries.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from flows.extract.russian.nlp import Sentence, Token
from flows.extract.russian.tables import TRIGGERS_BY_LEMMA, RuTrigger

COLLECTIVE_NUMERALS = {
    "двое",
    "трое",
    "четверо",
    "пятеро",
    "шестеро",
    "семеро",
    "восьмеро",
    "девятеро",
    "десятеро",
}

_PATIENT_RELS_ACTIVE = ("obj", "iobj")
_PATIENT_RELS_PASSIVE = ("nsubj:pass", "nsubj")
_LIST_OPENERS = {"-", "–", "—", ":"}
_LIST_RELS = ("conj", "flat:name", "flat", "appos")
_NEGATIONS = {"не", "ни"}


@dataclass
class Frame:
    trigger: RuTrigger
    token: Token
    sentence: Sentence
    patients: list[Token] = field(default_factory=list)  # heads of the patient phrases
    term_tokens: list[Token] = field(default_factory=list)  # the trigger's arguments: the penalty
    window_tokens: list[Token] = field(default_factory=list)  # the words after it, up to the next trigger
    orphan: bool = False


def _is_passive(token: Token) -> bool:
    return (
        token.feats.get("Voice") == "Pass"
        or token.feats.get("VerbForm") == "Part"
        and token.text.endswith(
            (
                "н",
                "на",
                "ны",
                "но",
                "ен",
                "ена",
                "ены",
                "ан",
                "ана",
                "аны",
                "ят",
                "ята",
                "яты",
                "ит",
                "ита",
                "иты",
            )
        )
    )


def _argument_lemmas(sentence: Sentence, token: Token) -> set[str]:
    lemmas: set[str] = set()
    for child in sentence.children(token.index):
        if child.rel in ("nsubj",) and token.pos == "VERB":
            continue
        lemmas.update(t.lemma for t in sentence.subtree(child.index)[:8])
    return lemmas


def find_frames(sentence: Sentence) -> list[Frame]:
    frames: list[Frame] = []
    for token in sentence.tokens:
        for trigger in TRIGGERS_BY_LEMMA.get(token.lemma, ()):
            if trigger.pos == "VERB" and token.pos not in ("VERB", "AUX"):
                continue
            if trigger.pos == "NOUN" and token.pos != "NOUN":
                continue
            if any(c.lemma in _NEGATIONS and c.rel == "advmod" for c in sentence.children(token.index)):
                continue
            if trigger.needs and not (trigger.needs & _argument_lemmas(sentence, token)):
                continue
            frame = Frame(trigger, token, sentence)
            _fill(frame)
            frames.append(frame)
            frames.extend(_orphans(frame))
            break
    return frames


def _fill(frame: Frame) -> None:
    sentence, token, trigger = frame.sentence, frame.token, frame.trigger
    children = sentence.children(token.index)
    heads: list[Token] = []
    if trigger.patient_rels:
        heads = [c for c in children if c.rel in trigger.patient_rels and c.pos == "PROPN"]
    elif trigger.pos == "NOUN":
        heads = [c for c in children if c.rel == "nmod"]
    elif trigger.subject_is_patient:
        heads = [c for c in children if c.rel in ("nsubj", "nsubj:pass")]
    elif _is_passive(token):
        heads = [c for c in children if c.rel in _PATIENT_RELS_PASSIVE]
        if not heads and token.rel in ("acl", "amod", "acl:relcl") and token.head >= 0:
            heads = [sentence.tokens[token.head]]
    else:
        heads = [c for c in children if c.rel in _PATIENT_RELS_ACTIVE]
        # 'Семерых из них отпустили': a collective numeral the parser hung as nummod
        heads += [c for c in children if c.rel.startswith("nummod") and c.lemma in COLLECTIVE_NUMERALS]
        # 'признать виновным X': the object may hang on the conjoined verb
        if not heads and token.rel == "conj" and token.head >= 0:
            heads = [c for c in sentence.children(token.head) if c.rel in _PATIENT_RELS_ACTIVE]
    if not heads and token.rel == "conj" and token.head >= 0:
        # 'был задержан и арестован': the subject hangs on the first verb
        first = sentence.tokens[token.head]
        rels = _PATIENT_RELS_PASSIVE if _is_passive(first) else _PATIENT_RELS_ACTIVE
        heads = [c for c in sentence.children(first.index) if c.rel in rels]
    frame.patients = _expand(sentence, heads)
    # a dash-appended list hangs as parataxis or appos on the term or the object
    for child in children:
        if child.rel in ("obl", "obj", "iobj") or child in heads:
            for t in sentence.subtree(child.index):
                if (
                    t.rel in ("parataxis", "appos")
                    and t.pos == "PROPN"
                    and t not in frame.patients
                    and t.index > 0
                    and sentence.tokens[t.index - 1].text in _LIST_OPENERS
                ):
                    frame.patients.extend(_expand(sentence, [t]))
    frame.term_tokens = [
        t
        for c in children
        if c.rel in ("obl", "obj", "iobj", "nmod", "xcomp", "advmod", "nsubj") and c not in heads
        for t in sentence.subtree(c.index)
        if abs(t.index - c.index) <= 8
    ]
    # and the words that follow the trigger up to the next trigger ('назначил ему пробационный
    # надзор на три года и отпустил': the parser hung 'надзор' on the second verb)
    for t in sentence.tokens[token.index + 1 : token.index + 11]:
        if t.lemma in TRIGGERS_BY_LEMMA or t.text in ".;":
            break
        if t not in frame.term_tokens and t not in frame.patients:
            frame.window_tokens.append(t)
    if trigger.pos == "NOUN":
        frame.term_tokens += [sentence.tokens[token.head]] if token.head >= 0 else []


def _expand(sentence: Sentence, heads: list[Token]) -> list[Token]:
    """The heads and their conjuncts, names and appositions (not their relative clauses)."""
    out: list[Token] = []
    queue = list(heads)
    while queue:
        head = queue.pop(0)
        if head in out:
            continue
        out.append(head)
        for child in sentence.children(head.index):
            if child.rel in _LIST_RELS or (child.rel == "nmod" and child.pos == "PROPN"):
                queue.append(child)
    return out


def _orphans(frame: Frame) -> list[Frame]:
    """'… и на 6 суток — Нуржан Сембаев': a conjunct with its own term and an elided verb."""
    sentence = frame.sentence
    out = []
    for child in sentence.children(frame.token.index, "conj"):
        terms = sentence.children(child.index, "orphan")
        if child.pos in ("PROPN", "NOUN") and terms:
            orphan = Frame(frame.trigger, frame.token, sentence, orphan=True)
            orphan.patients = _expand(sentence, [child, *terms])
            orphan.term_tokens = [t for o in terms for t in sentence.subtree(o.index)]
            frame.patients = [p for p in frame.patients if p not in orphan.patients]
            out.append(orphan)
    return out


# nouns that only place a date inside an event's own time ('в ночь на 5 мая', 'накануне')
# 'Почти год назад, 29 сентября 2024 года были задержаны': the date hangs on 'год'
_TIME_NOUNS = frozenset(
    {
        "ночь",
        "утро",
        "вечер",
        "день",
        "неделя",
        "месяц",
        "год",
        "конец",
        "начало",
        "середина",
        "канун",
        "время",
    }
)
_TIME_MARKERS = frozenset({"когда", "пока"})


def date_belongs_to(sentence: Sentence, trigger: Token, start: int, end: int) -> bool:
    """Whether the date phrase at body span [start, end) dates the trigger's event (see
    `flows.extract.rules.when` for the English twin): walking up the UD parse from the date, the
    first predicate met must be the trigger or one governing it, and a date that modifies another
    noun directly ('митинга 2013 года', 'беспорядков в январе') is that noun's date."""
    tokens = [t for t in sentence.tokens if start <= t.start < end]
    if not tokens:
        return True
    inside = {t.index for t in tokens}
    root = next((t for t in tokens if t.head not in inside), tokens[0])
    governing: set[int] = set()
    up = trigger.head
    while up >= 0 and up not in governing:
        governing.add(up)
        up = sentence.tokens[up].head
    child = root
    while child.head >= 0:
        node = sentence.tokens[child.head]
        if node.index == trigger.index:
            return True
        if node.pos == "VERB":
            if node.index in governing:
                return True
            markers = {t.lemma for t in sentence.children(node.index, "mark", "advmod")}
            if not (node.rel == "advcl" and markers & _TIME_MARKERS):
                return False
        elif (
            node.pos in {"NOUN", "PROPN"}
            and child is root
            and root.rel == "nmod"
            and node.lemma not in _TIME_NOUNS
        ):
            return False
        child = node
    return True
