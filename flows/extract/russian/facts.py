"""Russian facts: detentions (from frames), elections and their results, party status.

Reads the parse through `russian.frames`, terms through `russian.terms`, dates through
`russian.dates`, and writes the same records (`flows.extract.model`) as the English path.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from datetime import date

from flows.extract.episodes import episode_for
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
from flows.extract.russian.dates import RuDate, find_dates, page_date
from flows.extract.russian.frames import Frame, date_belongs_to, find_frames
from flows.extract.russian.nlp import RuAnalysis, Sentence, Token
from flows.extract.russian.tables import OUTCOME_RANK
from flows.extract.russian.terms import number, read_penalty

_LIST_GLUE_RX = re.compile(r"\s*(?:\([^()\n]{1,30}\)\s*)?(?:,|\bи\b)\s*#?\s*|\s*,\s*#?")
_SINGULAR_PRONOUNS = {"он", "она", "его", "ее", "её", "него", "нее", "неё", "ему", "ей", "ним", "ней"}
_PLURAL_PRONOUNS = {"они", "их", "них", "им", "всех", "все", "каждый", "каждому"}
# people named by their role: 'журналиста арестовали' after 'журналист X' is X
_ROLE_NOUNS = {"журналист", "активист", "блогер", "оппозиционер", "политик", "лидер", "обвиняемый",
               "подсудимый", "правозащитник", "редактор", "экс-депутат", "депутат", "главред"}  # fmt: skip
_GROUP_NOUNS = {"активист", "человек", "сторонник", "участник", "житель", "гражданин", "протестующий",
                "журналист", "член", "блогер", "задержанный", "пикетчик", "демонстрант", "оппозиционер",
                "студент", "женщина", "мужчина", "верующий", "сотрудник", "родственник"}  # fmt: skip


@dataclass
class _Row:
    outcome: str
    term_days: int | None
    event_type: str
    sentence: Sentence
    trigger: Token
    when: RuDate | None
    mention: Mention | None = None
    count: int | None = None
    description: str | None = None


@dataclass
class _Episode:
    event_type: str
    term_days: int | None
    detained_date: date | None = None
    date_precision: str = "unknown"
    rows: list[_Row] = field(default_factory=list)


@dataclass
class RussianFacts:
    body: str
    analysis: RuAnalysis
    mentions: list[Mention]
    article: ArticleInput
    events: list[Event] = field(default_factory=list)
    participants: list[EventParticipant] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.anchor = self.article.published_date or page_date(self.body)
        self.people = [m for m in self.mentions if m.entity_type == "person"]
        self.furniture_end = len(self.body)
        countries = Counter(
            m.country_id for m in self.mentions if m.entity_type == "country" and m.country_id
        )
        self.main_country = countries.most_common(1)[0][0] if countries else None

    # ------------------------------------------------------------------ helpers
    def _mentions_in(self, tokens: list[Token], kind: str = "person") -> list[Mention]:
        out = []
        for m in self.mentions:
            touches = any(m.char_start < t.end and t.start < m.char_end for t in tokens)
            if m.entity_type == kind and touches and m not in out:
                out.append(m)
        return out

    def _case_at(self, offset: int) -> str | None:
        for sentence in self.analysis.sentences:
            if sentence.start <= offset < sentence.end:
                return next((t.case for t in sentence.tokens if t.start <= offset < t.end), None)
        return None

    def _country_in(self, sentence: Sentence) -> str | None:
        for m in self.mentions:
            if m.entity_type == "country" and sentence.start <= m.char_start < sentence.end:
                return m.country_id
        return self.main_country

    def _trigger_date(self, sentence: Sentence, frame: Frame) -> RuDate | None:
        """The first date of the sentence the parse gives to the trigger's event."""
        for d in find_dates(sentence.text, self.anchor, past=True):
            if date_belongs_to(sentence, frame.token, sentence.start + d.start, sentence.start + d.end):
                return d
        return None

    def _date_in(self, sentence: Sentence) -> RuDate | None:
        dates = find_dates(sentence.text, self.anchor)
        return dates[0] if dates else None

    def _event(self, event_type: str, sentence: Sentence, trigger: Token, when: RuDate | None) -> int:
        for event in self.events:
            if event.char_start == sentence.start and event.event_type == event_type:
                return event.event_no
        self.events.append(
            Event(
                event_no=len(self.events) + 1,
                event_type=event_type,
                evidence_text=self.body[sentence.start : sentence.end],
                char_start=sentence.start,
                char_end=sentence.end,
                confidence=0.7,
                trigger_text=trigger.text,
                event_date=when.value if when and when.value else None,
                event_date_precision=when.precision if when and when.value else "unknown",
                country_id=self._country_in(sentence),
            )
        )
        return len(self.events)

    # ------------------------------------------------------------------ detentions
    def detentions(self) -> list[Detention]:
        rows: list[_Row] = []
        last_named: list[Mention] = []
        all_named: list[Mention] = []
        paragraph_date: tuple[int, RuDate] | None = None
        for sentence in self.analysis.sentences:
            paragraph = self.body.rfind("\n", 0, sentence.start)
            if paragraph_date and paragraph_date[0] != paragraph:
                paragraph_date = None
            frames = find_frames(sentence)
            frames_taken = {m.mention_no for f in frames for m in self._mentions_in(f.patients)}
            for frame in frames:
                when = self._trigger_date(sentence, frame)
                if when and when.value:
                    paragraph_date = (paragraph, when)
                elif paragraph_date:
                    when = paragraph_date[1]
                outcome, term = self._outcome(frame)
                if frame.trigger.needs_penalty and outcome == "unknown":
                    continue
                named = self._listed_with(self._patient_names(frame), sentence, frames_taken)
                if not named:
                    named = self._pronoun_referents(frame, last_named, all_named)
                if named:
                    last_named = named
                    all_named.extend(m for m in named if m not in all_named)
                    for mention in named:
                        rows.append(
                            _Row(
                                outcome, term, frame.trigger.event_type, sentence, frame.token, when, mention
                            )
                        )
                    continue
                count, description = self._group(frame)
                if count:
                    rows.append(
                        _Row(
                            outcome,
                            term,
                            frame.trigger.event_type,
                            sentence,
                            frame.token,
                            when,
                            count=count,
                            description=description,
                        )  # fmt: skip
                    )
        return self._merge(rows)

    def _listed_with(self, named: list[Mention], sentence: Sentence, taken: set[int]) -> list[Mention]:
        """Named patients and the people listed with them ('Аскара #Сембай, Айжан #Акишева, ...'),
        when only commas, 'и', hashtags or a bracketed place separate them and no other frame
        of the sentence claims them."""
        if not named:
            return named
        people = [m for m in self.people if sentence.start <= m.char_start < sentence.end]
        out = list(named)
        grew = True
        while grew:
            grew = False
            for m in people:
                if m in out or m.mention_no in taken:
                    continue
                for n in out:
                    gap = self.body[n.char_end : m.char_start] if n.char_end <= m.char_start else self.body[
                        m.char_end : n.char_start]  # fmt: skip
                    if _LIST_GLUE_RX.fullmatch(gap):
                        out.append(m)
                        grew = True
                        break
        return sorted(out, key=lambda m: m.char_start)

    def _outcome(self, frame: Frame) -> tuple[str, int | None]:
        penalty = read_penalty(frame.term_tokens)
        window = read_penalty(frame.window_tokens)
        if not penalty.days:
            penalty.days, penalty.unit = window.days, window.unit
        penalty.fine |= window.fine
        penalty.suspended |= window.suspended
        penalty.at_liberty |= window.at_liberty
        outcome = frame.trigger.outcome
        if penalty.fine and not penalty.days:
            return "fined", None
        if penalty.suspended:
            return "suspended_sentence", None
        if penalty.at_liberty:
            return "sentenced", None
        if penalty.hours:
            return outcome, None
        if penalty.days:
            if penalty.unit == "сутки" and frame.trigger.event_type in ("detention", "sentencing"):
                return "administrative_arrest", penalty.days
            if frame.trigger.event_type == "detention":
                return "unknown", penalty.days  # pre-trial custody: no verdict yet
            return "sentenced", penalty.days
        return outcome, None

    def _patient_names(self, frame: Frame) -> list[Mention]:
        """People the patients name: a name over the patient, or the name a role noun carries
        ('Главный обвиняемый по делу Давлетмурат Таджимуратов', parsed with the name under it)."""
        out = self._mentions_in(frame.patients)
        for head in frame.patients:
            if head.pos != "NOUN" or self._mentions_in([head]):
                continue
            phrase = frame.sentence.children(head.index, "nmod", "appos", "flat:name", "flat")
            # 'обвиняемый по делу X' is parsed with X under 'делу': one noun further down
            phrase += [t for c in phrase if c.pos == "NOUN" for t in frame.sentence.children(c.index, "nmod")]
            names = [t for t in phrase if t.pos == "PROPN"]
            for name in names[:1]:
                out += [m for m in self._mentions_in(frame.sentence.subtree(name.index)) if m not in out]
        return out

    def _role_referent(self, token: Token, all_named: list[Mention]) -> list[Mention]:
        """'журналиста арестовали': a singular role noun without a name is the person the article
        has already reported detained, or named with that role ('Журналист ... Думан
        Мухаммедкарим'), nearest before it."""
        if token.pos != "NOUN" or token.feats.get("Number") != "Sing" or token.lemma not in _ROLE_NOUNS:
            return []
        for m in reversed([m for m in self.people if m.char_end <= token.start]):
            window = self.body[max(0, m.char_start - 60) : m.char_start].lower()
            if m in all_named or token.lemma[:6] in window:
                return [m]
        return []

    def _pronoun_referents(
        self, frame: Frame, last_named: list[Mention], all_named: list[Mention]
    ) -> list[Mention]:
        for token in frame.patients:
            role = self._role_referent(token, all_named)
            if role:
                return role
            if token.text.lower() in ("всех", "все"):
                return list(all_named)  # 'всех отпустили': everyone held so far
            if token.lemma in _PLURAL_PRONOUNS or token.text.lower() in _PLURAL_PRONOUNS:
                return list(last_named)
            if token.text.lower() in _SINGULAR_PRONOUNS:
                before = [m for m in self.people if m.char_end <= token.start]
                return before[-1:] if before else []
        return []

    def _group(self, frame: Frame) -> tuple[int | None, str | None]:
        for head in frame.patients:
            if head.pos == "NUM":
                value = number(head)
                if value and value == int(value):
                    return int(value), head.text
            if head.lemma in _GROUP_NOUNS:
                for child in frame.sentence.children(head.index):
                    if child.rel in ("nummod", "nummod:gov") or child.pos == "NUM":
                        value = number(child)
                        if value and value == int(value):
                            return int(value), f"{child.text} {head.text}"
                if head.head >= 0:  # '12 активистов' parsed with the noun under the number
                    parent = frame.sentence.tokens[head.head]
                    value = number(parent) if parent.pos == "NUM" else None
                    if value and value == int(value):
                        return int(value), f"{parent.text} {head.text}"
        return None, None

    def _merge(self, rows: list[_Row]) -> list[Detention]:
        """One row per person and episode: the highest-ranked outcome, the earliest dated detention."""
        by_person: dict[str, list[_Row]] = {}
        groups: list[_Row] = []
        for row in rows:
            if row.mention is None:
                groups.append(row)
            else:
                by_person.setdefault(row.mention.name_key, []).append(row)
        out: list[Detention] = []
        for person_rows in by_person.values():
            for episode in self._episodes(person_rows):
                best = max(episode, key=lambda r: (OUTCOME_RANK[r.outcome], r.term_days or 0))
                dated = [r.when for r in episode if r.when and r.when.value]
                when = min(dated, key=lambda d: d.value) if dated else None
                if when is None:  # '21 февраля' with no year still tells which arrest it was
                    when = next((r.when for r in episode if r.when and r.when.day_month), None)
                out.append(self._record(best, when, episode[0].mention))
        seen: set[tuple[int | None, str, int]] = set()
        named_count = len(by_person)
        for row in groups:
            if row.count == named_count:
                continue  # 'пяти активистов' when five are named: the same people, already rows
            key = (row.count, row.outcome, row.sentence.start)
            if key in seen:
                continue
            seen.add(key)
            out.append(self._record(row, row.when, None))
        for number_, detention in enumerate(sorted(out, key=lambda d: d.char_start), start=1):
            detention.detention_no = number_
        return sorted(out, key=lambda d: d.detention_no)

    def _episodes(self, person_rows: list[_Row]) -> list[list[_Row]]:
        """A person's rows in text order, split into the detention episodes they speak of."""
        episodes: list[_Episode] = []
        for row in person_rows:
            value = row.when.value if row.when else None
            precision = row.when.precision if row.when and value else "unknown"
            episode = episode_for(episodes, value, precision, row.event_type, row.term_days, self.anchor)
            if episode is None:
                episode = _Episode(row.event_type, row.term_days)
                episodes.append(episode)
            episode.rows.append(row)
            if value is not None and (episode.detained_date is None or value < episode.detained_date):
                episode.detained_date, episode.date_precision = value, precision
            episode.term_days = episode.term_days or row.term_days
        return [e.rows for e in episodes]

    def _participate(self, event_no: int, mention: Mention, role: str) -> None:
        if not any(p.event_no == event_no and p.mention_no == mention.mention_no for p in self.participants):
            self.participants.append(EventParticipant(event_no, mention.mention_no, role))

    def _record(self, row: _Row, when: RuDate | None, mention: Mention | None) -> Detention:
        event_no = self._event(row.event_type, row.sentence, row.trigger, when)
        if mention is not None:
            self._participate(event_no, mention, "target")
        return Detention(
            detention_no=0,
            evidence_text=self.body[row.sentence.start : row.sentence.end],
            char_start=row.sentence.start,
            char_end=row.sentence.end,
            outcome=row.outcome,
            event_no=event_no,
            detainee_mention_no=mention.mention_no if mention else None,
            detainee_count=None if mention else row.count,
            detained_date=when.value if when and when.value else None,
            detained_date_precision=when.precision if when and when.value else "unknown",
            country_id=self._country_in(row.sentence),
            term_days=row.term_days,
            detained_day_month=when.day_month if when and not when.value else None,
            reported_date=self.anchor,
        )

    # ------------------------------------------------------------------ party status
    def status_events(self) -> None:
        """A refusal or a ban stated about a party is an event too, with the party taking part."""
        for m in self.mentions:
            if m.entity_type != "party" or m.party_status not in ("unregistered", "banned"):
                continue
            sentence = next((s for s in self.analysis.sentences if s.start <= m.char_start < s.end), None)
            if sentence is None:
                continue
            text = self.body[sentence.start : sentence.end].lower()
            if m.party_status == "banned" and re.search(r"запрет|экстремистск|террористическ|ликвидир", text):
                event_type = "ban"
            elif m.party_status == "unregistered" and re.search(r"отказ|не да\w* зарегистрир", text):
                event_type = "registration_refused"
            else:
                continue
            cue = next(
                (t for t in sentence.tokens if t.lemma.startswith(("запрет", "экстрем", "отказ"))), None
            )
            event_no = self._event(event_type, sentence, cue or sentence.tokens[0], self._date_in(sentence))
            self._participate(event_no, m, "target")

    # ------------------------------------------------------------------ elections
    def elections(self) -> tuple[list[Election], list[ElectionResult]]:
        elections: list[Election] = []
        for sentence in self.analysis.sentences:
            for token in sentence.tokens:
                kinds = _election_kinds(sentence, token)
                for kind in kinds:
                    country = self._country_in(sentence)
                    if not country:
                        continue
                    when = self._election_date(sentence, token)
                    existing = next(
                        (e for e in elections if e.election_type == kind and e.country_id == country), None
                    )
                    if existing:
                        if existing.day_month is None and existing.election_date is None and when:
                            existing.election_date, existing.election_date_precision = (
                                when.value,
                                (when.precision if when.value else "unknown"),
                            )
                            existing.day_month = when.day_month
                        continue
                    snap = any(t.lemma in ("досрочный", "внеочередной") for t in sentence.tokens)
                    elections.append(self._election(len(elections) + 1, kind, country, sentence, when, snap))
        if not elections:
            elections = self._untyped_election()
        results = self._results(elections) if elections else []
        if elections:
            self._listed_participants()
        if results and self.anchor:
            # an election whose results the article reports has happened by the article's date:
            # without a date of its own it is dated to that year
            for election in elections:
                if election.election_date is None and election.election_no == results[0].election_no:
                    election.election_date = date(self.anchor.year, 1, 1)
                    election.election_date_precision = "year"
        return elections, results

    def _seat_figures(self) -> list[re.Match[str]]:
        """'62 мандата', and the bare figures of a list whose header is about seats
        ('мандаты распределятся следующим образом:' then '- «Ишеним» — 12;')."""
        figures = list(_SEATS_RX.finditer(self.body))
        for header in _SEATS_HEADER_RX.finditer(self.body):
            position = header.end()
            # items one per line, or one per paragraph as landing writes a list
            while (
                item := _LIST_LINE_RX.match(self.body, _after_blank_lines(self.body, position))
            ) is not None:
                figure = _BARE_FIGURE_RX.search(self.body, item.start(), item.end())
                if figure and not any(f.start() <= figure.start(1) < f.end() for f in figures):
                    figures.append(figure)
                position = item.end() + 1  # the next line
        return sorted(figures, key=lambda f: f.start())

    def _untyped_election(self) -> list[Election]:
        """'в день выборов' with no word for the kind of election: the kind the results tell (a list
        of parties is a parliamentary vote, of people a presidential one), when there are results."""
        word = next(
            (
                (s, t)
                for s in self.analysis.sentences
                for t in s.tokens
                if (t.lemma == "выборы" or (t.lemma == "выбор" and t.feats.get("Number") == "Plur"))
                and not _names_a_body(s, t)
            ),
            None,
        )
        if word is None or not (_SHARE_RX.search(self.body) or _SEATS_RX.search(self.body)):
            return []
        sentence, token = word
        country = self._country_in(sentence) or _party_country(self.mentions)
        if not country:
            return []
        listed = [
            m
            for m in self.mentions
            if m.entity_type in ("party", "person") and self._on_list_line(m.char_start)
        ]
        parties = sum(m.entity_type == "party" for m in listed)
        kind = "parliamentary" if parties >= len(listed) - parties else "presidential"
        return [self._election(1, kind, country, sentence, self._election_date(sentence, token))]

    def _election(
        self,
        number: int,
        kind: str,
        country: str,
        sentence: Sentence,
        when: RuDate | None,
        snap: bool = False,
    ) -> Election:
        return Election(
            election_no=number,
            country_id=country,
            election_type=kind,
            evidence_text=self.body[sentence.start : sentence.end],
            char_start=sentence.start,
            char_end=sentence.end,
            election_date=when.value if when else None,
            election_date_precision=when.precision if when and when.value else "unknown",
            day_month=when.day_month if when else None,
            is_snap=snap,
        )

    def _on_list_line(self, offset: int) -> bool:
        """The offset is on a list item's line ('- «Ишеним» — 12;', '• Adal – 3,57%')."""
        return bool(re.match(r"[ \t]*[-–—•]", self.body[self.body.rfind("\n", 0, offset) + 1 : offset]))

    def _listed_participants(self) -> None:
        """Parties listed under 'приняла участие 21 партия:' (or any list item) in an article
        about an election took part in it, so they were registered."""
        for m in self.mentions:
            if m.entity_type != "party" or m.party_status is not None:
                continue
            if self._on_list_line(m.char_start):
                m.party_status = "registered"

    def _election_date(self, sentence: Sentence, token: Token) -> RuDate | None:
        dates = find_dates(sentence.text, self.anchor)
        if not dates:
            return None
        # the date nearest the election word
        offset = token.start - sentence.start
        return min(dates, key=lambda d: abs(d.start - offset))

    def _results(self, elections: list[Election]) -> list[ElectionResult]:
        main = next(
            (e for e in elections if e.election_type in ("presidential", "parliamentary")), elections[0]
        )
        results: list[ElectionResult] = []
        holders = [m for m in self.mentions if m.entity_type in ("party", "person")]
        boundary = 0
        for m in _SHARE_RX.finditer(self.body):
            start = m.start()
            segment_start = max(
                boundary, self.body.rfind("\n", 0, start) + 1, _clause_start(self.body, start)
            )
            boundary = m.end()
            segment = self.body[segment_start:start]
            if _NOT_A_SHARE_RX.search(segment) or _in_spans(self.mentions, start):
                continue
            inside = [h for h in holders if segment_start <= h.char_start and h.char_end <= start]
            if not inside:
                continue
            # 'Сын ... Гурбангулы Бердымухамедова — Сердар Бердымухамедов набрал 72,9%': the one
            # in the nominative (the subject) holds the figure, not the one it is said of
            nominative = [h for h in inside if self._case_at(h.char_start) == "Nom"]
            holder = nominative[0] if len(inside) > 1 and nominative else inside[0]
            share = float(m.group(1).replace(",", ".").replace(" ", ""))
            if share > 100 or any(
                r.vote_share_pct is not None
                and (r.party_mention_no == holder.mention_no or r.actor_mention_no == holder.mention_no)
                for r in results
            ):
                continue
            line_end = self.body.find("\n", start)
            results.append(
                ElectionResult(
                    election_no=main.election_no,
                    evidence_text=self.body[segment_start : line_end if line_end > 0 else len(self.body)],
                    char_start=segment_start,
                    char_end=line_end if line_end > 0 else len(self.body),
                    party_mention_no=holder.mention_no if holder.entity_type == "party" else None,
                    actor_mention_no=holder.mention_no if holder.entity_type == "person" else None,
                    vote_share_pct=share,
                )
            )
            for other in self.mentions:  # a party on a result's line took part: it is registered
                inside_line = segment_start <= other.char_start < results[-1].char_end
                if other.entity_type == "party" and other.party_status is None and inside_line:
                    other.party_status = "registered"
        for m in self._seat_figures():
            line_start = self.body.rfind("\n", 0, m.start()) + 1
            inside = [
                h for h in holders if h.entity_type == "party" and line_start <= h.char_start < m.start()
            ]
            if not inside:
                continue
            holder = inside[-1]
            seats = int(m.group(1))
            existing = next((r for r in results if r.party_mention_no is not None and _same_party(
                self.mentions, r.party_mention_no, holder)), None)  # fmt: skip
            if existing:
                existing.seats = existing.seats or seats
                continue
            results.append(
                ElectionResult(
                    election_no=main.election_no,
                    evidence_text=self.body[line_start : m.end()],
                    char_start=line_start,
                    char_end=m.end(),
                    party_mention_no=holder.mention_no,
                    seats=seats,
                )
            )
        return results


_SHARE_RX = re.compile(r"(\d{1,2}(?:[.,]\d{1,2})?)\s*(?:%|процент\w*)")
_SEATS_RX = re.compile(r"\b(\d{1,3})\s+(?:мандат\w*|мест[ао]?\b|депутатских мест)")
_SEATS_HEADER_RX = re.compile(r"(?im)^[^\n]*(?:мандат|мест)[^\n]*:[ \t]*\n")
_LIST_LINE_RX = re.compile(r"(?m)^[ \t]*[-–—•][^\n]*")
_BARE_FIGURE_RX = re.compile(r"[–—-][ \t]*(\d{1,3})(?![\d,%])(?![.,]\d)(?![ \t]*(?:процент|%))")
_NOT_A_SHARE_RX = re.compile(r"(?i)явк|приняли участие|обработан|барьер|опрос|рейтинг|населени")


def _clause_start(body: str, offset: int) -> int:
    cut = max(body.rfind(". ", 0, offset), body.rfind(";", 0, offset), body.rfind("\n", 0, offset))
    return cut + 1 if cut >= 0 else 0


def _in_spans(mentions: list[Mention], offset: int) -> bool:
    return any(m.char_start <= offset < m.char_end for m in mentions)


def _same_party(mentions: list[Mention], mention_no: int, other: Mention) -> bool:
    first = next((m for m in mentions if m.mention_no == mention_no), None)
    return first is not None and (
        first.ref_id and first.ref_id == other.ref_id or first.name_key == other.name_key
    )


_PRESIDENTIAL = {"президент", "президентский", "глава"}
_PARLIAMENTARY = {"парламент", "парламентский", "мажилис", "маджлис", "меджлис", "жогорку", "олий",
                  "законодательный", "намояндагон"}  # fmt: skip
_DEPUTIES = {"депутат", "кенеш", "созыв"}
_LOCAL = {"маслихат", "местный", "кенгаш", "муниципальный", "акимов", "городской", "районный", "областной"}


def _after_blank_lines(body: str, position: int) -> int:
    while position < len(body) and body[position] in "\n\r":
        position += 1
    return position


def _party_country(mentions: list[Mention]) -> str | None:
    countries = Counter(m.country_id for m in mentions if m.entity_type == "party" and m.country_id)
    return countries.most_common(1)[0][0] if countries else None


def _names_a_body(sentence: Sentence, token: Token) -> bool:
    """'Центральной комиссии по выборам и референдумам': the word is part of an institution's name."""
    index, hops = token.index, 0
    while index >= 0 and hops < 3:
        index = sentence.tokens[index].head
        hops += 1
        if index >= 0 and sentence.tokens[index].lemma in ("комиссия", "комитет", "закон", "кодекс", "штаб"):
            return True
    return False


def _election_kinds(sentence: Sentence, token: Token) -> list[str]:
    if _names_a_body(sentence, token):
        return []
    if token.lemma == "референдум":
        return ["referendum"]
    if token.lemma != "выборы" and not (token.lemma == "выбор" and token.feats.get("Number") == "Plur"):
        return []
    near = sentence.tokens[max(0, token.index - 2) : token.index + 8]
    lemmas = {t.lemma for t in near}

    def says(words: set[str]) -> bool:  # by stem: slovnet lemmatises rare nouns loosely ('маслихата')
        return any(lemma.startswith(word) for lemma in lemmas for word in words)

    kinds = []
    if says(_PRESIDENTIAL):
        kinds.append("presidential")
    # 'депутатов городских кенешей' are local deputies; 'депутатов мажилиса' are not
    if says(_PARLIAMENTARY) or (says(_DEPUTIES) and not says(_LOCAL)):
        kinds.append("parliamentary")
    if says(_LOCAL):
        kinds.append("local")
    return kinds


def extract_russian_facts(
    body: str, analysis: RuAnalysis, mentions: list[Mention], article: ArticleInput
) -> Facts:
    facts = RussianFacts(body, analysis, mentions, article)
    detentions = facts.detentions()
    elections, results = facts.elections()
    facts.status_events()
    for election in elections:
        sentence = next(s for s in analysis.sentences if s.start <= election.char_start < s.end)
        when = RuDate(0, 0, election.election_date, election.election_date_precision)
        facts._event("election_held", sentence, sentence.tokens[0], when)
    for election in elections:
        if election.election_date is None:
            election.election_date_precision = "unknown"
    return Facts(
        events=facts.events,
        event_participants=facts.participants,
        detentions=detentions,
        elections=elections,
        election_results=results,
    )


__all__ = ["extract_russian_facts"]
