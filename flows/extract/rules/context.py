"""What every rule family needs to know about one article: sentences, paragraphs, mentions, dates."""

from __future__ import annotations

import re
from bisect import bisect_right
from collections import Counter
from dataclasses import dataclass, field, replace
from datetime import date
from functools import cached_property
from typing import TYPE_CHECKING, Any

from flows.extract.dates import (
    DateMention,
    date_precision_rank,
    dateline_date,
    find_dates,
    leading_date_field,
    page_date_line,
)
from flows.extract.model import ArticleInput, Mention
from flows.extract.rules.arguments import Frame, TriggerRow, find_frames
from flows.extract.rules.lexicon import CITIES, CITY_PATTERN, COUNTRY_WORD_PATTERN, COUNTRY_WORDS
from flows.extract.rules.when import date_belongs_to

if TYPE_CHECKING:
    from spacy.tokens import Token

# A clause ends at punctuation or at a contrastive conjunction: modality and negation rarely cross it.
CLAUSE_BREAK = re.compile(r"[,;:()\[\]–—]|\s-{1,2}\s|\b(?:but|however|while|whereas|although|though)\b", re.I)
FUTURE_CUE = re.compile(
    r"\b(?:will|would|shall|upcoming|forthcoming|next|scheduled|planned|to be held|ahead of)\b", re.I
)
PAST_CUE = re.compile(r"\b(?:was|were|had|last|previous|past|ago|held|took place)\b", re.I)
_PLURAL_PRONOUN = re.compile(r"\b(?:they|them)\b", re.I)
_SINGULAR_PRONOUN = re.compile(r"\b(?:he|she|him|her)\b", re.I)


@dataclass
class Sentence:
    index: int
    start: int
    end: int
    text: str
    paragraph: int


@dataclass
class ArticleContext:
    body: str
    sentences: list[Sentence]
    mentions: list[Mention]
    article: ArticleInput
    paragraphs: list[tuple[int, int]] = field(default_factory=list)
    # what relative dates count from: the publication date, else a dateline at the top of the text
    anchor: date | None = None
    anchor_precision: str = "unknown"
    # parsed trigger sentences: (body offset, spaCy Doc), from the extraction's second pass
    parses: list[tuple[int, Any]] = field(default_factory=list)

    @classmethod
    def build(
        cls,
        body: str,
        spans: list[tuple[int, int]],
        mentions: list[Mention],
        article: ArticleInput,
        parses: list[tuple[int, Any]] | None = None,
    ) -> ArticleContext:
        paragraphs = [(m.start(), m.end()) for m in re.finditer(r"[^\n]+", body)]
        para_starts = [p[0] for p in paragraphs]
        sentences: list[Sentence] = []
        for start, end in _rejoin_lowercase_starts(body, sorted(spans)):
            if end <= start or start < 0 or end > len(body):
                continue
            # trim so evidence never starts or ends with whitespace
            while start < end and body[start].isspace():
                start += 1
            while end > start and body[end - 1].isspace():
                end -= 1
            if end <= start:
                continue
            para = max(0, bisect_right(para_starts, start) - 1)
            sentences.append(Sentence(len(sentences), start, end, body[start:end], para))
        anchor, anchor_precision = article_anchor(article)
        return cls(
            body,
            sentences,
            sorted(mentions, key=lambda m: m.char_start),
            article,
            paragraphs,
            anchor,
            anchor_precision,
            sorted(parses or [], key=lambda p: p[0]),
        )

    # ------------------------------------------------------------------ syntax

    def frames(self, sentence: Sentence, table: dict[str, list[TriggerRow]]) -> list[tuple[int, Frame]]:
        """(body offset of its doc, frame) for every trigger of `table` in the sentence's parses."""
        cache = self.__dict__.setdefault("_frame_cache", {})
        out: list[tuple[int, Frame]] = []
        # parses are sorted by offset: only those from the one before the sentence's start can overlap it
        first = max(0, bisect_right(self._parse_starts, sentence.start) - 1)
        for index in range(first, len(self.parses)):
            offset, doc = self.parses[index]
            if offset >= sentence.end:
                break
            if offset + len(doc.text) > sentence.start:
                key = (id(table), index)
                if key not in cache:
                    cache[key] = find_frames(doc, table)  # once per doc and table, however often asked
                out.extend((offset, f) for f in cache[key])
        return out

    @cached_property
    def _parse_starts(self) -> list[int]:
        return [offset for offset, _ in self.parses]

    def mention_at(self, start: int, end: int, types: tuple[str, ...] = ("person",)) -> Mention | None:
        """The mention of one of `types` that covers the body span [start, end)."""
        for m in self.mentions:
            if m.entity_type in types and m.char_start <= start and end <= m.char_end:
                return m
        return None

    def person_at(self, start: int, end: int) -> Mention | None:
        """The person a token stands for: a mention covering it, or a surname of a person named in the
        article ('Izbasarov' after 'Alimzhan Izbasarov')."""
        found = self.mention_at(start, end)
        if found is not None:
            return found
        word = self.body[start:end]
        if word[:1].isupper():
            known = self._surnames.get(word.lower())
            if known is not None:
                return replace(known, surface_text=word, char_start=start, char_end=end, detector="resolved")
        return None

    # ------------------------------------------------------------------ mentions

    def mentions_in(self, start: int, end: int, types: tuple[str, ...] = ("person",)) -> list[Mention]:
        return [
            m for m in self.mentions if m.entity_type in types and m.char_start >= start and m.char_end <= end
        ]

    def persons_in(self, start: int, end: int) -> list[Mention]:
        """Person mentions in a span, one per distinct person (first mention kept), in text order.

        A bare surname the entity stage left untagged ('Izbasarov was detained' after 'Alimzhan
        Izbasarov') is matched to the person of this article with that surname: it comes back as a
        copy of that person's mention (same mention_no) placed at the surname's offsets.
        """
        found = list(self.mentions_in(start, end, ("person",)))
        for m in re.finditer(r"\b[A-Z][\w’'-]{2,}\b", self.body[start:end]):
            s, e = start + m.start(), start + m.end()
            if any(x.char_start <= s < x.char_end for x in self.mentions):
                continue
            known = self._surnames.get(m.group(0).lower())
            if known is not None:
                found.append(
                    replace(known, surface_text=m.group(0), char_start=s, char_end=e, detector="resolved")
                )
        found.sort(key=lambda x: x.char_start)
        seen: set[str] = set()
        out = []
        for m in found:
            key = m.name_key or m.canonical_name
            if key not in seen:
                seen.add(key)
                out.append(m)
        return out

    @cached_property
    def _surnames(self) -> dict[str, Mention]:
        """Last name -> the person mention, for surnames that belong to exactly one person of the article."""
        index: dict[str, Mention] = {}
        ambiguous: set[str] = set()
        for m in self.mentions:
            if m.entity_type != "person" or len(m.canonical_name.split()) < 2:
                continue
            surname = m.canonical_name.split()[-1].lower()
            other = index.get(surname)
            if other is not None and (other.name_key or other.canonical_name) != (
                m.name_key or m.canonical_name
            ):
                ambiguous.add(surname)
            index.setdefault(surname, m)
        return {k: v for k, v in index.items() if k not in ambiguous}

    @cached_property
    def dominant_country(self) -> str | None:
        counts: Counter[str] = Counter(
            m.country_id for m in self.mentions if m.entity_type == "country" and m.country_id
        )
        if not counts:
            counts.update(COUNTRY_WORDS[w] for w in COUNTRY_WORD_PATTERN.findall(self.body))
        if not counts:
            counts.update(m.country_id for m in self.mentions if m.country_id)
        return counts.most_common(1)[0][0] if counts else None

    def countries_near(self, sentence: Sentence, pos: int) -> list[str]:
        """Country ids named in a sentence, nearest to `pos` first (mentions, then country words, then cities)."""
        found: list[tuple[int, str]] = []
        for m in self.mentions_in(sentence.start, sentence.end, ("country",)):
            if m.country_id:
                found.append((abs(m.char_start - pos), m.country_id))
        if not found:
            for m in COUNTRY_WORD_PATTERN.finditer(sentence.text):
                found.append((abs(sentence.start + m.start() - pos), COUNTRY_WORDS[m.group(1)]))
        if not found:
            for m in CITY_PATTERN.finditer(sentence.text):
                found.append((abs(sentence.start + m.start() - pos), CITIES[m.group(1)]))
        found.sort()
        out: list[str] = []
        for _, cid in found:
            if cid not in out:
                out.append(cid)
        return out

    def country_for(self, sentence: Sentence, pos: int) -> str | None:
        """The country a fact in this sentence is about: one named in the sentence (the article's own
        country first), else the country of the people and parties it names, else the previous sentence's
        country in the same paragraph, else the article's dominant country."""
        dominant = self.dominant_country
        near = self.countries_near(sentence, pos)
        if not near:
            actors = self.mentions_in(sentence.start, sentence.end, ("person", "party"))
            near = list(dict.fromkeys(m.country_id for m in actors if m.country_id))
        if not near and sentence.index > 0:
            prev = self.sentences[sentence.index - 1]
            if prev.paragraph == sentence.paragraph:
                near = self.countries_near(prev, prev.end)
        if dominant in near:
            return dominant
        return near[0] if near else dominant

    def location_in(self, sentence: Sentence, after: int = 0) -> str | None:
        hits = list(CITY_PATTERN.finditer(sentence.text))
        if not hits:
            return None
        later = [m for m in hits if sentence.start + m.start() >= after]
        return (later or hits)[0].group(1)

    # ------------------------------------------------------------------ dates

    def paragraph_text_before(self, sentence: Sentence) -> str:
        p_start = self.paragraphs[sentence.paragraph][0] if self.paragraphs else 0
        return self.body[p_start : sentence.start]

    def dates_in(self, sentence: Sentence, prefer: str | None = None) -> list[DateMention]:
        """Date mentions of a sentence with body offsets, bare days settled by the paragraph's year."""
        key = (sentence.index, prefer)
        cache = self.__dict__.setdefault("_date_cache", {})
        if key not in cache:
            cache[key] = find_dates(
                sentence.text,
                self.anchor,
                self.anchor_precision,
                offset=sentence.start,
                context_text=self.paragraph_text_before(sentence) + " ",
                prefer=prefer,
            )
        return cache[key]

    def date_for_trigger(
        self,
        sentence: Sentence,
        trig_start: int,
        trig_end: int,
        *,
        paragraph_fallback: bool = True,
        prefer: str | None = None,
        trigger: Token | None = None,
        doc_offset: int = 0,
    ) -> tuple[date | None, str]:
        """The date an event happened: a date right after the trigger in its clause ('arrested in
        February 2022', 'detained by officers of the security service in March 2023'), else the nearest
        date before it in the sentence ('On April 3, 2010, police ...'), else (optionally) the year of
        the latest settled date earlier in the same paragraph.

        A bare 'February 26' is put in the past unless the trigger's own clause speaks of the future
        ('will hold a rally on May 1'): a future word elsewhere in the sentence ('ahead of the upcoming
        elections') says nothing about when the trigger's event happened.

        With the trigger's parsed token, dates the parse gives to another event are passed over
        ('arrested in connection with unrest dating back to 2013': see `rules.when`)."""
        chosen = self.trigger_date_mention(sentence, trig_start, trig_end, prefer, trigger, doc_offset)
        if chosen is not None:
            return chosen.value, chosen.precision if chosen.value else "unknown"
        # a sentence whose dates all belong to other events tells background ('jailed on kidnapping
        # charges in 2018 and serving a sentence shortened by a court last year'): the paragraph's
        # year is not its date
        if not paragraph_fallback or (trigger is not None and self.dates_in(sentence)):
            return None, "unknown"
        for prev in reversed(self.sentences[: sentence.index]):
            if prev.paragraph != sentence.paragraph:
                break
            settled = [
                d for d in self.dates_in(prev) if d.value is not None and date_precision_rank(d.precision)
            ]
            if settled:
                return date(settled[-1].value.year, 1, 1), "year"  # type: ignore[union-attr]
        return None, "unknown"

    def trigger_date_mention(
        self,
        sentence: Sentence,
        trig_start: int,
        trig_end: int,
        prefer: str | None = None,
        trigger: Token | None = None,
        doc_offset: int = 0,
    ) -> DateMention | None:
        """The date phrase of the sentence that dates the trigger (see `date_for_trigger`); its
        `day_month` keeps a day and month the text gives without a year."""
        if prefer is None:
            clause = self.body[self.clause_start(sentence, trig_start) : self.clause_end(sentence, trig_end)]
            prefer = "future" if FUTURE_CUE.search(clause) else "past"
        dates = self.dates_in(sentence, prefer)
        if trigger is not None:
            dates = [d for d in dates if date_belongs_to(trigger, doc_offset, d.start, d.end, d.kind)]
        clause_end = self.clause_end(sentence, trig_end)
        after = [
            d
            for d in dates
            if trig_end <= d.start
            and (d.start < clause_end + 40 and d.start - trig_end < 60 or d.end <= clause_end)
            and d.start - trig_end < 110
        ]
        before = [d for d in dates if d.end <= trig_start]
        return after[0] if after else (before[-1] if before else None)

    # ------------------------------------------------------------------ clauses

    def clause_start(self, sentence: Sentence, pos: int) -> int:
        start = sentence.start
        for m in CLAUSE_BREAK.finditer(sentence.text):
            if sentence.start + m.end() <= pos:
                start = sentence.start + m.end()
        return start

    def clause_end(self, sentence: Sentence, pos: int) -> int:
        for m in CLAUSE_BREAK.finditer(sentence.text):
            if sentence.start + m.start() >= pos:
                return sentence.start + m.start()
        return sentence.end

    # ------------------------------------------------------------------ pronouns

    def resolve_pronoun(
        self, sentence: Sentence, pos: int, plural: bool, *, lookback: int = 3
    ) -> list[Mention]:
        """People a 'he'/'she' or 'they'/'them' at `pos` most likely refers to.

        Cheap salience: the same sentence before the pronoun, else the nearest earlier sentence
        of the paragraph that names people; a singular pronoun takes that sentence's first person
        (usually the subject), a plural one all of them (only when there are at least two).
        """
        same = self.persons_in(sentence.start, pos)
        if same and (not plural or len(same) >= 2):
            return same if plural else [same[0]]
        for prev in reversed(self.sentences[max(0, sentence.index - lookback) : sentence.index]):
            if prev.paragraph != sentence.paragraph and prev.index < sentence.index - 1:
                break
            people = self.persons_in(prev.start, prev.end)
            if not people:
                continue
            if plural:
                return people if len(people) >= 2 else []
            return [people[0]]
        return []


def _rejoin_lowercase_starts(body: str, spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Undo sentence splits inside a sentence: a '!' or an abbreviation's full stop in a name ('the Alga,
    Kazakhstan! party, to seven years') leaves a 'sentence' that starts in lowercase on the same line."""
    out: list[tuple[int, int]] = []
    for start, end in spans:
        text = body[start:end].lstrip()
        if out and text[:1].islower() and "\n" not in body[out[-1][1] : start] and start >= out[-1][1]:
            out[-1] = (out[-1][0], end)
        else:
            out.append((start, end))
    return out


def article_anchor(article: ArticleInput) -> tuple[date | None, str]:
    """The date relative expressions count from: the publication date, unless a dateline at the top of
    the title or body ('(Berlin, February 1, 2023) –', 'DUSHANBE, December 9, 2022, Asia-Plus') or a
    date line above the article ('April 03, 2022') says more precisely when the piece was filed."""
    anchor, precision = article.published_date, article.published_date_precision or "unknown"
    if anchor is None:
        precision = "unknown"
    if date_precision_rank(precision) >= date_precision_rank("day"):
        return anchor, precision
    title, body = article.title or "", article.body
    page_field = leading_date_field(body) or leading_date_field(title)
    if page_field is not None and (anchor is None or page_field.year == anchor.year):
        return page_field, "day"
    # a page's date line may have been taken for its title ('Just Earth News | 10 Jul 2023, 10:41 pm')
    candidates = [dateline_date(title), dateline_date(body), page_date_line(title), page_date_line(body)]
    for found, found_precision in candidates:
        if found is None or date_precision_rank(found_precision) <= date_precision_rank(precision):
            continue
        if anchor is not None and found.year != anchor.year:
            continue  # a dateline that contradicts the metadata is not trusted
        return found, found_precision
    return anchor, precision


def is_plural_pronoun(word: str) -> bool:
    return bool(_PLURAL_PRONOUN.fullmatch(word.strip()))


def is_singular_pronoun(word: str) -> bool:
    return bool(_SINGULAR_PRONOUN.fullmatch(word.strip()))
