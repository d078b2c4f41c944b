"""Very long article bodies are extracted in parts, each a run of whole sentences or paragraphs.

spaCy refuses a text over `nlp.max_length`, and the rules resolve names and facts across the
whole body they are given, so their cost grows with the square of its length (a 200k-char
body takes a minute, one line of several MB would take hours). A body over MAX_WHOLE_CHARS is
cut (`nlp.segments`: paragraphs, or sentence windows when it has no paragraph breaks) into
parts of at most PART_CHARS, each part is extracted as if it were an article, and the records
are put back together: offsets shifted back to body offsets, numbers renumbered so they stay
unique within the article and every reference between records still points at the same record.

Names are resolved within a part, so a surname-only mention far from the full name in a huge
body may stay unresolved; a news article is far below MAX_WHOLE_CHARS and is never cut.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import replace

from flows.extract.model import ArticleExtraction, ArticleInput

MAX_WHOLE_CHARS = 50_000
PART_CHARS = 20_000


def body_parts(body: str) -> list[tuple[int, int]]:
    """(start, end) body offsets of the parts to extract; one part, the whole body, when it is short."""
    if len(body) <= MAX_WHOLE_CHARS:
        return [(0, len(body))]
    from flows.extract.nlp import segments

    parts: list[tuple[int, int]] = []
    start = end = -1
    for segment_start, segment_end in segments(body):
        if start < 0:
            start, end = segment_start, segment_end
        elif segment_end - start > PART_CHARS:
            parts.append((start, end))
            start, end = segment_start, segment_end
        else:
            end = segment_end
    if start >= 0:
        parts.append((start, end))
    return parts or [(0, len(body))]


def extract_in_parts(
    articles: Iterable[ArticleInput],
    extract: Callable[[list[ArticleInput]], Iterator[ArticleExtraction]],
) -> Iterator[ArticleExtraction]:
    """`extract` over the articles, long ones cut into parts; one ArticleExtraction per article, in order."""
    articles = list(articles)
    inputs: list[ArticleInput] = []
    owners: list[tuple[int, int, bool]] = []  # (article index, body offset of the part, whole body)
    for index, article in enumerate(articles):
        for start, end in body_parts(article.body):
            whole = (start, end) == (0, len(article.body))
            inputs.append(article if whole else replace(article, body=article.body[start:end]))
            owners.append((index, start, whole))
    merged: ArticleExtraction | None = None
    current = -1
    for (index, offset, whole), result in zip(owners, extract(inputs), strict=True):
        if whole:
            yield result
            continue
        if index != current:
            if merged is not None:
                yield merged
            merged, current = ArticleExtraction(content_sha256=articles[index].content_sha256), index
        append_shifted(merged, result, offset)
    if merged is not None:
        yield merged


def _next(numbers: Iterable[int]) -> int:
    return 1 + max(numbers, default=-1)


def _moved(number: int | None, base: int) -> int | None:
    return None if number is None else number + base


def append_shifted(into: ArticleExtraction, part: ArticleExtraction, offset: int) -> None:
    """Add a part's records to `into`: offsets + `offset`, numbers after those already there."""
    facts, new = into.facts, part.facts
    mention = _next(m.mention_no for m in into.mentions)
    event = _next(e.event_no for e in facts.events)
    detention = _next(d.detention_no for d in facts.detentions)
    election = _next(e.election_no for e in facts.elections)
    into.mentions += [
        replace(
            m,
            mention_no=m.mention_no + mention,
            char_start=m.char_start + offset,
            char_end=m.char_end + offset,
        )
        for m in part.mentions
    ]
    facts.events += [
        replace(
            e, event_no=e.event_no + event, char_start=e.char_start + offset, char_end=e.char_end + offset
        )
        for e in new.events
    ]
    facts.event_participants += [
        replace(p, event_no=p.event_no + event, mention_no=p.mention_no + mention)
        for p in new.event_participants
    ]
    facts.detentions += [
        replace(
            d,
            detention_no=d.detention_no + detention,
            event_no=_moved(d.event_no, event),
            detainee_mention_no=_moved(d.detainee_mention_no, mention),
            char_start=d.char_start + offset,
            char_end=d.char_end + offset,
        )
        for d in new.detentions
    ]
    facts.elections += [
        replace(
            e,
            election_no=e.election_no + election,
            char_start=e.char_start + offset,
            char_end=e.char_end + offset,
        )
        for e in new.elections
    ]
    facts.election_results += [
        replace(
            r,
            election_no=r.election_no + election,
            party_mention_no=_moved(r.party_mention_no, mention),
            actor_mention_no=_moved(r.actor_mention_no, mention),
            char_start=r.char_start + offset,
            char_end=r.char_end + offset,
        )
        for r in new.election_results
    ]
