"""Detentions: who was detained, arrested, jailed, sentenced, fined or released, with outcome and term.

Triggers and their detainees come from the dependency parse (`rules.detainees`, on the shared
argument finder `rules.arguments` and the table `rules.tables.DETENTION_ROWS`). This module reads
terms, outcomes, dates and charges lexically from each trigger's own clause and merges what the
article says of one detainee into one row. Negated and hypothetical triggers ('was not detained',
'the prosecution wanted X to be sentenced') yield nothing.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from datetime import date
from typing import TYPE_CHECKING

from flows.extract.episodes import episode_for
from flows.extract.model import Mention
from flows.extract.rules.arguments import is_negated
from flows.extract.rules.context import ArticleContext, Sentence
from flows.extract.rules.detainees import LIST_GLUE, Detainees, Trigger, detainees_for, find_triggers
from flows.extract.rules.lexicon import AUTHORITIES, NUMBER
from flows.extract.rules.negation import is_unreal
from flows.extract.rules.terms import (
    ADMIN_ARREST_MAX_DAYS,
    SENTENCE_WORDS,
    TERM,
    better_outcome,
    classify_outcome,
    parse_term_days,
    parse_term_list,
)

if TYPE_CHECKING:
    pass

_AUX = r"(?:was|were|been|being|is|are|be|got|get|gets|getting)"
_ADV = (
    r"(?:(?:also|later|then|subsequently|reportedly|allegedly|briefly|again|eventually|officially|first|recently"
    r"|temporarily|forcibly|immediately|initially|finally|previously|already|even|both|each|all|promptly"
    r"|illegally|arbitrarily|unlawfully|quickly|soon|not|never|actually|formally|summarily|since|each)\s+)*"
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
    day_month: str | None = None  # 'MM-DD' of a date the text gives without its year
    # every trigger that spoke of this detainee: (sentence, start, end, text, event type)
    triggers: list[tuple[Sentence, int, int, str, str]] = field(default_factory=list)


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


# a clause with a new subject ends what a trigger's term and outcome can be read from
_SCOPE_BREAK = re.compile(r";|,?\s+(?:while|whereas|but)\s+|\.\s", re.I)
_RESPECTIVELY = re.compile(r"\brespectively\b", re.I)
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
            extra and LIST_GLUE.fullmatch(gap)
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
        glued = LIST_GLUE.fullmatch(ctx.body[prev.char_end : m.char_start])
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
    by_detainee: dict[str, list[DetentionDraft]] = {}  # a detainee's episodes in this article
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
            when, precision = ctx.date_for_trigger(
                sentence,
                trig.start,
                trig.end,
                prefer="past",
                trigger=trig.frame.trigger,
                doc_offset=trig.offset,
            )
            phrase = ctx.trigger_date_mention(
                sentence, trig.start, trig.end, "past", trig.frame.trigger, trig.offset
            )
            day_month = phrase.day_month if phrase is not None and phrase.value is None else None
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
                    outcome = _pretrial(trig, segment, classify_outcome(f"{trig.text} {segment}", term))
                if outcome == "fined":
                    term = None
                episodes = by_detainee.setdefault(key, [])
                draft = episode_for(episodes, when, precision, event_type, term, _article_date(ctx))
                if draft is None:
                    draft_key = key if not episodes else f"{key}#{len(episodes) + 1}"
                    draft = DetentionDraft(
                        draft_key,
                        sentence,
                        trig.start,
                        trig.end,
                        trig.text,
                        event_type,
                        mention=mention,
                        count=who.count,
                    )
                    drafts[draft_key] = draft
                    episodes.append(draft)
                    order.append(draft_key)
                # 'sentenced to two years on December 9, 2016, but was released on March 17, 2017':
                # a dated release after the dated verdict ends the custody
                released_later = (
                    outcome == "released"
                    and draft.outcome == "sentenced"
                    and when is not None
                    and draft.detained_date is not None
                    and when > draft.detained_date
                )
                _update(ctx, draft, sentence, trig, outcome, term, when, precision)
                draft.day_month = draft.day_month or day_month
                draft.final_release = (
                    draft.final_release or (final_release and outcome == "released") or released_later
                )
    for draft in drafts.values():
        if draft.final_release and draft.outcome == "sentenced":
            draft.outcome = "released"
    for key, episodes in by_detainee.items():
        if len(episodes) == 1 and episodes[0].mention is not None and key.startswith("person:"):
            _term_named_elsewhere(ctx, episodes[0])
            _charge_named_elsewhere(ctx, episodes[0])
    return _drop_lede_summaries(_name_counted_groups(ctx, [drafts[k] for k in order]))


# 'a 16-year prison term', 'his seven-year sentence', 'a 10-year jail term'
_TERM_NOUN_PHRASE = re.compile(
    rf"\b(?:{NUMBER}|\d+(?:\.\d+)?)[- ](?:and[- ]a[- ]half[- ])?year[- ](?:(?:prison|jail|custodial|colony)[- ])?"
    r"(?:term|sentence)\b",
    re.I,
)


def _term_named_elsewhere(ctx: ArticleContext, draft: DetentionDraft) -> None:
    """A verdict the article tells without its term ('In January, he was found guilty of ...') takes
    the one prison term the article gives that person in a sentence naming them and no one else
    ('the Supreme Court has rejected an appeal by X against a 16-year prison term'). Only for a
    person with one episode in the article: with two, a term could be either's."""
    if draft.outcome != "sentenced" or draft.term_days is not None or draft.mention is None:
        return
    person = draft.mention.name_key or draft.mention.canonical_name
    terms: set[int] = set()
    for sentence in ctx.sentences:
        people = ctx.persons_in(sentence.start, sentence.end)
        if len(people) != 1 or (people[0].name_key or people[0].canonical_name) != person:
            continue
        for m in _TERM_NOUN_PHRASE.finditer(sentence.text):
            term = parse_term_days(m.group(0))
            if term is not None:
                terms.add(term)
    if len(terms) == 1:
        draft.term_days = terms.pop()


_LEADING_PRONOUN = re.compile(r"\s*(?:he|she)\b", re.I)


def _charge_named_elsewhere(ctx: ArticleContext, draft: DetentionDraft) -> None:
    """An arrest the article tells without its charge ('Mamai was arrested in late February.') takes the
    charge the article states of that person elsewhere ('He faces up to 10 years in prison on charges of
    organizing mass riots'): the first one in a sentence that names that person and no one else, or
    opens with a 'he'/'she' that refers to them, and is not dated to another year. Only explicit charge phrases ('on charges of',
    'charged with', 'convicted of', 'accused of') count, and only for a person with one episode in the
    article: with two, a charge could be either's."""
    if draft.charge is not None or draft.mention is None:
        return
    person = draft.mention.name_key or draft.mention.canonical_name
    year = draft.detained_date.year if draft.detained_date is not None else None
    for sentence in ctx.sentences:
        # a sentence dated to another year tells another episode ('In 2015 he was accused of fraud')
        if any(d.value is not None and d.value.year != year for d in ctx.dates_in(sentence)):
            continue
        people = ctx.persons_in(sentence.start, sentence.end)
        if not people and _LEADING_PRONOUN.match(sentence.text):
            people = ctx.resolve_pronoun(sentence, sentence.start, False)
        if len(people) != 1 or (people[0].name_key or people[0].canonical_name) != person:
            continue
        for pattern in _CHARGE[:3]:
            m = pattern.search(sentence.text)
            if m:
                found = m.groupdict().get("c") or m.groupdict().get("c2") or ""
                charge = _CHARGE_STOP.sub("", found).strip(" ,“”\"'")
                if charge:
                    draft.charge = charge
                    return


def _article_date(ctx: ArticleContext) -> date | None:
    return ctx.anchor if ctx.anchor_precision in {"day", "month"} else None


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


def _name_counted_groups(ctx: ArticleContext, drafts: list[DetentionDraft]) -> list[DetentionDraft]:
    """'A court sentenced three opposition members of Parliament to up to 18 months ... Prosecutors had
    sought jail terms for nationalist MPs A, B and C': when no one in the article is named detained, a
    counted group whose count is the number of people the next sentence that names people lists together
    (and names no one else) is those people, one row each. The reverse of `_drop_lede_summaries`."""
    if any(d.mention is not None for d in drafts):
        return drafts
    out: list[DetentionDraft] = []
    named: set[str] = set()
    for d in drafts:
        listed = _next_listed_people(ctx, d.sentence) if d.count is not None and 2 <= d.count <= 9 else None
        keys = [f"person:{m.name_key or m.canonical_name}" for m in listed or []]
        if listed is None or len(listed) != d.count or named & set(keys):
            out.append(d)
            continue
        named.update(keys)
        for key, m in zip(keys, listed, strict=True):
            out.append(
                replace(
                    d, key=key, mention=m, count=None, sentences=list(d.sentences), triggers=list(d.triggers)
                )
            )
    return out


# the listing sentence speaks of the case ('Prosecutors had sought jail terms for A, B and C'), not of
# people who commented on it
_CUSTODY_CONTEXT = re.compile(
    r"\b(?:jail|prison|sentenc|convict|charg|detain|detention|arrest|custody|court|judge|prosecut|trial"
    r"|defendant|accused|guilty|verdict)\w*",
    re.I,
)


def _next_listed_people(ctx: ArticleContext, sentence: Sentence) -> list[Mention] | None:
    """The people the first sentence after `sentence` that names anyone lists together ('A, B and C'),
    if it names no one else and speaks of the case; None otherwise. Only within the next two sentences."""
    for nxt in ctx.sentences[sentence.index + 1 : sentence.index + 3]:
        people = ctx.persons_in(nxt.start, nxt.end)
        if not people:
            continue
        glued = all(
            LIST_GLUE.fullmatch(ctx.body[a.char_end : b.char_start])
            for a, b in zip(people, people[1:], strict=False)
        )
        return people if len(people) >= 2 and glued and _CUSTODY_CONTEXT.search(nxt.text) else None
    return None


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
    # a fine on top of a prison term ('sentenced to 10 years ... the court also ordered him to pay a
    # fine') leaves the prison term the outcome
    prison_term = (
        draft.term_days if draft.outcome == "sentenced" else term if outcome == "sentenced" else None
    )
    if {draft.outcome, outcome} == {"sentenced", "fined"} and (prison_term or 0) > ADMIN_ARREST_MAX_DAYS:
        merged = "sentenced"
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
