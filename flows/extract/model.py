"""What extraction produces for one article: plain records that mirror the `nlp.*` tables.

Every record carries char offsets into the article body (0-based, end-exclusive).
`content_sha256` and `extractor_version` are added when the records are written.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

Precision = str  # day | month | year | unknown


@dataclass(frozen=True)
class ArticleInput:
    content_sha256: str
    body: str
    title: str | None = None
    published_date: date | None = None
    published_date_precision: Precision = "unknown"
    language: str | None = "en"


@dataclass
class Mention:
    mention_no: int
    entity_type: str  # person | organization | party | country
    surface_text: str
    char_start: int
    char_end: int
    canonical_name: str
    name_key: str
    ref_id: str | None = None
    country_id: str | None = None
    roles: list[str] = field(default_factory=list)
    party_name_key: str | None = None
    party_kind: str | None = None
    party_status: str | None = None
    detector: str = "ner"


@dataclass
class Event:
    event_no: int
    event_type: str
    evidence_text: str
    char_start: int
    char_end: int
    confidence: float
    trigger_text: str | None = None
    event_date: date | None = None
    event_date_precision: Precision = "unknown"
    country_id: str | None = None
    location: str | None = None


@dataclass
class EventParticipant:
    event_no: int
    mention_no: int
    role: str  # subject | target | participant


@dataclass
class Detention:
    detention_no: int
    evidence_text: str
    char_start: int
    char_end: int
    outcome: str = "unknown"
    event_no: int | None = None
    detainee_mention_no: int | None = None
    detainee_count: int | None = None
    detained_date: date | None = None
    detained_date_precision: Precision = "unknown"
    country_id: str | None = None
    location: str | None = None
    authority: str | None = None
    charge: str | None = None
    term_days: int | None = None
    # 'MM-DD' when the text gives the day and month of the detention but no year ('on 21 February')
    detained_day_month: str | None = None
    # the date the article speaks from: its publication date, dateline or page date, when known
    reported_date: date | None = None


@dataclass
class Election:
    election_no: int
    country_id: str
    election_type: str  # presidential | parliamentary | referendum | local
    evidence_text: str
    char_start: int
    char_end: int
    election_date: date | None = None
    election_date_precision: Precision = "unknown"
    day_month: str | None = None  # 'MM-DD' when a day is given without a year
    is_snap: bool = False


@dataclass
class ElectionResult:
    election_no: int
    evidence_text: str
    char_start: int
    char_end: int
    party_mention_no: int | None = None
    actor_mention_no: int | None = None
    vote_share_pct: float | None = None
    seats: int | None = None
    vote_count: int | None = None


@dataclass
class Facts:
    events: list[Event] = field(default_factory=list)
    event_participants: list[EventParticipant] = field(default_factory=list)
    detentions: list[Detention] = field(default_factory=list)
    elections: list[Election] = field(default_factory=list)
    election_results: list[ElectionResult] = field(default_factory=list)


@dataclass
class ArticleExtraction:
    content_sha256: str
    mentions: list[Mention] = field(default_factory=list)
    facts: Facts = field(default_factory=Facts)
