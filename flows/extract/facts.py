"""Facts extraction: events, detentions, elections and election results from plain text + mentions.

`extract_facts` is called once per article by the extraction stage, after entity mentions are
known. Every record it returns carries char offsets into `body` and its evidence text is exactly
`body[char_start:char_end]` (the evidence sentence). The rule families live in `rules/`.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from flows.extract.model import (
    ArticleInput,
    Detention,
    Election,
    ElectionResult,
    Event,
    EventParticipant,
    Facts,
    Mention,
)
from flows.extract.rules.context import ArticleContext, Sentence
from flows.extract.rules.detentions import DetentionDraft, extract_detentions
from flows.extract.rules.elections import (
    ElectionCluster,
    cluster_mentions,
    find_mentions,
    mention_date_fields,
)
from flows.extract.rules.events import find_events
from flows.extract.rules.results import extract_results

MAX_PARTICIPANTS = 6


class _EventLog:
    """Numbers events, one per (sentence, type), and records their participants."""

    def __init__(self, ctx: ArticleContext):
        self.ctx = ctx
        self.events: list[Event] = []
        self.participants: list[EventParticipant] = []
        self._by_key: dict[tuple[int, str], int] = {}

    def add(
        self,
        event_type: str,
        sentence: Sentence,
        trig_start: int,
        trig_end: int,
        trigger_text: str,
        confidence: float,
    ) -> tuple[int, bool]:
        """(event_no, created) for the event of this type in this sentence."""
        key = (sentence.index, event_type)
        if key in self._by_key:
            return self._by_key[key], False
        when, precision = self.ctx.date_for_trigger(sentence, trig_start, trig_end)
        event_no = len(self.events) + 1
        self.events.append(
            Event(
                event_no=event_no,
                event_type=event_type,
                evidence_text=sentence.text,
                char_start=sentence.start,
                char_end=sentence.end,
                confidence=round(confidence, 2),
                trigger_text=trigger_text,
                event_date=when,
                event_date_precision=precision if when else "unknown",
                country_id=self.ctx.country_for(sentence, trig_start),
                location=self.ctx.location_in(sentence),
            )
        )
        self._by_key[key] = event_no
        return event_no, True

    def participate(self, event_no: int, mention: Mention, role: str) -> None:
        if any(p.event_no == event_no and p.mention_no == mention.mention_no for p in self.participants):
            return
        self.participants.append(EventParticipant(event_no, mention.mention_no, role))

    def add_sentence_participants(
        self, event_no: int, sentence: Sentence, trig_start: int, event_type: str
    ) -> None:
        actors = self.ctx.mentions_in(sentence.start, sentence.end, ("person", "organization", "party"))
        for mention in actors[:MAX_PARTICIPANTS]:
            if event_type in {"protest", "conscription", "violence"}:
                role = "participant"
            else:
                role = "subject" if mention.char_end <= trig_start else "target"
            self.participate(event_no, mention, role)


def _detention_rows(ctx: ArticleContext, drafts: list[DetentionDraft], log: _EventLog) -> list[Detention]:
    rows: list[Detention] = []
    for draft in drafts:
        first_event: int | None = None
        for sentence, start, end, text, event_type in draft.triggers:
            confidence = 0.85 if draft.mention is not None else 0.7
            event_no, created = log.add(event_type, sentence, start, end, text, confidence)
            first_event = first_event or event_no
            if draft.mention is not None:
                log.participate(event_no, draft.mention, "target")
            if created:
                for org in ctx.mentions_in(sentence.start, sentence.end, ("organization",)):
                    if org.char_end <= start:
                        log.participate(event_no, org, "subject")
        s = draft.sentence
        rows.append(
            Detention(
                detention_no=len(rows) + 1,
                evidence_text=s.text,
                char_start=s.start,
                char_end=s.end,
                outcome=draft.outcome,
                event_no=first_event,
                detainee_mention_no=draft.mention.mention_no if draft.mention else None,
                detainee_count=draft.count if draft.mention is None else None,
                detained_date=draft.detained_date,
                detained_date_precision=draft.date_precision if draft.detained_date else "unknown",
                country_id=draft.country_id,
                location=draft.location,
                authority=draft.authority,
                charge=draft.charge,
                term_days=draft.term_days,
                detained_day_month=draft.day_month if draft.detained_date is None else None,
                reported_date=ctx.anchor if ctx.anchor_precision == "day" else None,
            )
        )
    return rows


def _cluster_date(c: ElectionCluster) -> tuple[date | None, str, str | None]:
    if c.year is None:
        day_month = f"{c.month:02d}-{c.day:02d}" if c.month and c.day else None
        return None, "unknown", day_month
    if c.month and c.day:
        try:
            return date(c.year, c.month, c.day), "day", None
        except ValueError:
            return date(c.year, c.month, 1), "month", None
    if c.month:
        return date(c.year, c.month, 1), "month", None
    return date(c.year, 1, 1), "year", None


def _election_rows(ctx: ArticleContext, log: _EventLog) -> tuple[list[Election], list[ElectionResult]]:
    mentions = [m for s in ctx.sentences for m in find_mentions(ctx, s)]
    clusters = cluster_mentions(ctx, mentions)
    elections: list[Election] = []
    number_of: dict[int, int] = {}
    for idx, c in enumerate(clusters):
        if not c.country_id:
            continue
        # the evidence is the sentence that says the most about the election's date
        best = max(
            c.mentions, key=lambda m: (sum(x is not None for x in mention_date_fields(m.date)), -m.start)
        )
        when, precision, day_month = _cluster_date(c)
        number_of[idx] = len(elections) + 1
        s = best.sentence
        elections.append(
            Election(
                election_no=number_of[idx],
                country_id=c.country_id,
                election_type=c.election_type,
                evidence_text=s.text,
                char_start=s.start,
                char_end=s.end,
                election_date=when,
                election_date_precision=precision,
                day_month=day_month,
                is_snap=c.snap,
            )
        )
    results = []
    for r in extract_results(ctx, mentions, clusters):
        if r.cluster not in number_of:
            continue
        s = r.sentence
        results.append(
            ElectionResult(
                election_no=number_of[r.cluster],
                evidence_text=s.text,
                char_start=s.start,
                char_end=s.end,
                party_mention_no=r.party.mention_no if r.party else None,
                actor_mention_no=r.actor.mention_no if r.actor else None,
                vote_share_pct=r.vote_share_pct,
                seats=r.seats,
                vote_count=r.vote_count,
            )
        )
    return elections, results


def extract_facts(
    body: str,
    sentences: list[tuple[int, int]],
    mentions: list[Mention],
    article: ArticleInput,
    parses: list[tuple[int, Any]] | None = None,
) -> Facts:
    """Events (with participants), detentions, elections and election results of one article.
    `parses` are the parsed trigger sentences ((body offset, Doc)); without them no detention is read."""
    ctx = ArticleContext.build(body, sentences, mentions, article, parses)
    log = _EventLog(ctx)
    detentions = _detention_rows(ctx, extract_detentions(ctx), log)
    for sentence in ctx.sentences:
        for cand in find_events(sentence):
            event_no, created = log.add(
                cand.event_type,
                sentence,
                cand.trigger_start,
                cand.trigger_end,
                cand.trigger_text,
                cand.confidence,
            )
            if created:
                log.add_sentence_participants(event_no, sentence, cand.trigger_start, cand.event_type)
    elections, results = _election_rows(ctx, log)
    return Facts(
        events=log.events,
        event_participants=log.participants,
        detentions=detentions,
        elections=elections,
        election_results=results,
    )
