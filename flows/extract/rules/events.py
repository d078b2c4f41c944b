"""Event triggers by type: one candidate per (sentence, type), negated and hypothetical ones dropped.

Detention, sentencing and release events come from the detention rules (they need a detainee);
this module covers the other types of the contract's list.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from flows.extract.rules.context import Sentence
from flows.extract.rules.negation import is_unreal

_ELECTION = r"(?:elections?|polls?|vote|referendum|plebiscite)"


@dataclass(frozen=True)
class TriggerRule:
    event_type: str
    pattern: re.Pattern[str]
    confidence: float
    check_modality: bool = True  # 'would hold snap elections' is still a call for elections
    needs: re.Pattern[str] | None = None  # the sentence must also say this


def _p(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern, re.I)


RULES: list[TriggerRule] = [
    TriggerRule(
        "appeal_rejected",
        _p(
            r"\b(?:rejected|refused to (?:hear|consider)|dismissed|denied|turned down|threw out)\b[^.;]{0,40}\bappeals?\b"
            r"|\bappeals?\b[^.;]{0,30}\b(?:was|were|has been|had been)\s+(?:rejected|dismissed|denied|turned down)"
            r"|\bupheld (?:the|his|her|their) (?:verdict|sentence|conviction|ruling)"
        ),
        0.8,
    ),
    TriggerRule(
        "registration_refused",
        _p(
            r"\b(?:refused|denied|rejected|declined)\s+(?:\w+\s+){0,4}?registration\b"
            r"|\bregistration\b[^.;]{0,30}\b(?:rejected|refused|denied|turned down)"
            r"|\brefusals? to register\b|\bfailed to (?:register|obtain registration|achieve registration)"
            r"|\b(?:been|was|were)\s+(?:\w+\s+)?(?:refused|rejected|denied)\b"
            r"|\b(?:met with|received)\s+(?:\d+|\w+)\s+refusals\b"
        ),
        0.7,
        needs=_p(r"\bregist|\brefusals\b"),
    ),
    TriggerRule(
        "registration_granted",
        _p(
            r"\b(?:was|were|been|had been|got|get|has been|have been)\s+(?:\w+ly\s+)?(?:registered|registrated)\b"
            r"|\b(?:received|obtained|achieved|granted|gained|won|secured)\s+(?:official\s+|state\s+)?registration\b"
        ),
        0.75,
    ),
    TriggerRule(
        "ban",
        _p(
            r"\b(?:banned|outlawed|prohibited|liquidated|shut down"
            r"|label+ed (?:as )?(?:an? )?extremists?|declared (?:an? )?(?:extremist|terrorist)"
            r"|recogni[sz]ed as (?:an? )?(?:extremist|terrorist))\b"
        ),
        0.7,
        needs=_p(
            r"\b(?:party|parties|movement|organi[sz]ations?|group|association|NGOs?|media|outlet|website"
            r"|newspaper|channel|extremis\w*)\b"
        ),
    ),
    TriggerRule(
        "organization_founded",
        _p(
            r"\b(?:founded|established|set up|created|launched|formed|creating|establishing|registered)\b"
            r"|\bcreation\b[^.;]{0,40}\bannounced\b|\bfounding congress\b"
        ),
        0.6,
        needs=_p(
            r"\b(?:party|movement|organi[sz]ation|association|group|union|coalition|bloc|NGO|foundation)\b"
        ),
    ),
    TriggerRule(
        "election_called",
        _p(
            rf"\b(?:call(?:ed|s)? for|announc(?:ed|es|ement)|decision to hold|decided to hold|would hold|will hold"
            rf"|to hold|set the date|scheduled|called)\b(?:(?!\b(?:rally|rallies|protest|meeting|congress)\b)[^.;]){{0,50}}"
            rf"\b(?:snap |early |advanced? |new |pre-term )?{_ELECTION}\b"
        ),
        0.7,
        check_modality=False,
    ),
    TriggerRule(
        "election_held",
        _p(
            rf"\b{_ELECTION}\b[^.;]{{0,30}}\b(?:were|was)\s+held\b|\b(?:was|were)\s+re-?elected\b"
            rf"|\bwon the (?:\w+ )?{_ELECTION}|\b{_ELECTION} took place\b|\bwent to the polls\b"
        ),
        0.75,
    ),
    TriggerRule(
        "resignation",
        _p(r"\b(?:resign(?:ed|s|ation)?|stepped down|steps down|step down|left office)\b"),
        0.75,
    ),
    TriggerRule(
        "appointment",
        _p(
            r"\b(?:was|were|been|is)\s+(?:\w+ly\s+)?(?:appointed|named|nominated)\b|\bappointed\s+(?:\w+\s+){0,3}as\b"
            r"|\b(?:appoints|appointed)\b"
        ),
        0.6,
    ),
    TriggerRule(
        "conscription",
        _p(
            r"\b(?:drafted into (?:the )?(?:army|military)|conscripted|conscription|enlistment notice|call-up papers"
            r"|called up for (?:military )?service|sent to the army)\b"
        ),
        0.8,
    ),
    TriggerRule(
        "violence",
        _p(
            r"\b(?:killed|shot dead|shot down|shot|clashes|clashed|beaten|beat up|attacked|assassinat\w+"
            r"|attempt (?:was made )?to (?:blast|kill|assassinate|bomb)|casualties|wounded|injured|died in custody"
            r"|tortured|(?:ethnic|inter-ethnic) (?:conflict|clashes|violence)|massacre|bloodshed|pogroms?)\b"
        ),
        0.6,
    ),
    TriggerRule(
        "trial",
        _p(
            r"\b(?:brought to trial|went on trial|goes on trial|stood trial|put on trial|trial (?:of|against)"
            r"|charged with|indicted|prosecuted|criminal case (?:was |has been )?(?:opened|launched|filed)"
            r"|court hearings?)\b"
        ),
        0.7,
    ),
    TriggerRule(
        "protest",
        _p(
            r"\b(?:protest(?:ed|s)?|protesters|protestors|rall(?:y|ies|ied)|demonstrations?|demonstrators|pickets?"
            r"|picketed|took to the streets|hunger strike|strikes?|marched|gathered)\b"
        ),
        0.55,
    ),
    TriggerRule("other", _p(r"\b(?:fled|signed a decree|charges?[^.;]{0,40}\bdropped|suspension of)\b"), 0.4),
]

# Words that look like triggers but describe a mood, not an event
_PROTEST_NOISE = re.compile(r"\bprotest(?:ing)? (?:moods?|mobili[sz]ation|sentiment|potential|vote)\b", re.I)


@dataclass
class EventCandidate:
    event_type: str
    sentence: Sentence
    trigger_start: int  # body offsets
    trigger_end: int
    trigger_text: str
    confidence: float


def find_events(sentence: Sentence) -> list[EventCandidate]:
    out: list[EventCandidate] = []
    for rule in RULES:
        if rule.needs is not None and not rule.needs.search(sentence.text):
            continue
        for m in rule.pattern.finditer(sentence.text):
            if rule.event_type == "protest" and _PROTEST_NOISE.match(sentence.text, m.start()):
                continue
            if is_unreal(sentence.text, m.start(), check_modality=rule.check_modality):
                continue
            out.append(
                EventCandidate(
                    rule.event_type,
                    sentence,
                    sentence.start + m.start(),
                    sentence.start + m.end(),
                    m.group(0),
                    rule.confidence,
                )
            )
            break
    return out
