"""Russian trigger tables: which lemmas start a fact, of which event type, and where their patients are.

The same idea as `rules.tables` for English, read by `russian.frames.find_frames`. Adding a
fact family is adding a table here and a reader of its frames.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class RuTrigger:
    lemma: str
    event_type: str  # detention | sentencing | release
    outcome: str = "unknown"  # the outcome the verb alone gives
    needs: frozenset[str] = frozenset()  # lemmas one of which must be among the verb's arguments
    subject_is_patient: bool = False  # 'получили 15 суток X': the subject is the one punished
    patient_rels: tuple[str, ...] = ()  # where the patient is, when not where the voice puts it
    needs_penalty: bool = False  # a fact only when a penalty is stated ('составили протокол ... штраф')
    pos: str = "VERB"


def _row(lemma: str, event_type: str, outcome: str = "unknown", needs: str = "", **kw) -> RuTrigger:
    return RuTrigger(lemma, event_type, outcome, frozenset(needs.split("|")) - {""}, **kw)


_PENALTY = "наказание|срок|лишение|ограничение|надзор|штраф|арест|сутки|год|месяц|колония|тюрьма"

DETENTION_TRIGGERS: list[RuTrigger] = [
    _row("задержать", "detention"),
    _row("арестовать", "detention"),
    _row("водворить", "detention"),
    _row("поместить", "detention", needs="сизо|ивс|изолятор|стража|спецприемник|колония|арест"),
    _row("заключить", "detention", needs="стража"),
    _row("взять", "detention", needs="стража"),
    # 'содержится под арестом с февраля', 'находится под стражей': held, the subject is the detainee
    _row("содержаться", "detention", needs="арест|стража|сизо|изолятор|заключение", subject_is_patient=True),
    _row("находиться", "detention", needs="арест|стража|сизо|изолятор|заключение", subject_is_patient=True),
    _row("приговорить", "sentencing", "sentenced"),
    _row("осудить", "sentencing", "sentenced"),
    _row("признать", "sentencing", "sentenced", needs="виновный"),
    _row("назначить", "sentencing", "sentenced", needs=_PENALTY),
    _row("дать", "sentencing", "sentenced", needs="год|сутки|месяц|срок"),
    _row(
        "получить",
        "sentencing",
        "sentenced",
        needs="год|сутки|месяц|срок|штраф|арест",
        subject_is_patient=True,
    ),
    _row("оштрафовать", "sentencing", "fined"),
    # 'Айжан Акишевой и Матаеву Алмазу составили протокол ..., штраф 50 мрп': the dative is fined
    _row(
        "составить", "sentencing", needs="протокол", needs_penalty=True, patient_rels=("iobj", "nsubj", "obl")
    ),
    _row("освободить", "release", "released"),
    _row("отпустить", "release", "released"),
    _row("выпустить", "release", "released"),
    _row("выйти", "release", "released", needs="свобода|колония|тюрьма|сизо", subject_is_patient=True),
    _row("помиловать", "release", "released"),
    _row("оправдать", "release", "released"),
    _row("задержание", "detention", pos="NOUN"),
    _row("арест", "detention", pos="NOUN", needs="сутки|месяц"),
]

TRIGGERS_BY_LEMMA: dict[str, list[RuTrigger]] = {}
for _trigger in DETENTION_TRIGGERS:
    TRIGGERS_BY_LEMMA.setdefault(_trigger.lemma, []).append(_trigger)

# Outcome ranks: one row per person keeps the final outcome the text reports.
OUTCOME_RANK = {
    "suspended_sentence": 6,
    "sentenced": 5,
    "fined": 4,
    "administrative_arrest": 3,
    "released": 2,
    "unknown": 1,
}
