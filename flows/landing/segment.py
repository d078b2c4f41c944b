"""Cut a page's text into clean articles: title, body, publication date.

The text of a scraped page is read as a list of lines. Furniture lines are recognised
one by one (`boilerplate.classify`), then structure decides the rest:

* a page can hold several articles: 'Continue Reading' ends one, and a title line
  followed by a 'Published' line starts one;
* a sidebar heading ('Latest', 'Related') followed by teasers (a time-ago line, a
  headline, a snippet cut with '...') is removed up to the next real paragraph;
* a line repeated twice in a row is an image's alt text and caption;
* a headline-like line right above media-player junk is the clip's title;
* from the end of an article, reader notices, outlet boxes and indented widget text
  are trimmed until a real paragraph is reached;
* the header (lines before the first paragraph) gives the title, the date and the
  byline; a short label above the title is a section kicker, not the title.

Lines are stripped and whitespace-collapsed; paragraphs are joined by a blank line, so
the body is final and every later offset indexes it.
"""

from __future__ import annotations

import re
import statistics
import unicodedata
from dataclasses import dataclass, field
from datetime import date

from flows.landing.boilerplate import (
    Kind,
    classify,
    is_tail_footer,
    outlet_from_about_box,
    outlet_from_copyright,
)
from flows.landing.dates import UNKNOWN, Dated, parse_date_line, parse_dated_meta

_DROPPED = frozenset(
    {
        Kind.NAV,
        Kind.SIDEBAR,
        Kind.TEASER_TIME,
        Kind.MEDIA,
        Kind.CAPTION,
        Kind.SEE_ALSO,
        Kind.COPYRIGHT,
        Kind.FOOTER,
        Kind.SEPARATOR,
        Kind.BYLINE,
    }
)
_INVISIBLE = re.compile("[\u200b\u2060\ufeff\u00ad]")
_SPACES = re.compile(r"[ \t\u00a0\u2000-\u200a\u202f\u205f\u3000]+")
_SENTENCE_END = re.compile(r"[.!…;:][\"'”’»)\]]*$|[.!?][\"'”’»)\]]+$")
_ELLIPSIS_END = re.compile(r"(?:\.\.\.|…)[\"'”’»)\]]*$")
_BULLET = re.compile(r"^(?:[•·▪◦‣*–-]|\d{1,3}[.)]|[a-z][.)])\s")
_TITLE_NORMALISE = re.compile(r"[\W_]+")
_BYLINE_START = re.compile(r"^By\s+\S")

MIN_WORDS_IN_LISTING = 30  # a piece of a multi-article page shorter than this is furniture
HEADER_LINES = 8  # how far from the top the title/date/byline are looked for
LABEL_WORDS = 3  # a section label ('Central Asia', 'Civil movement') is this short


@dataclass
class Line:
    text: str
    indent: int
    kind: Kind


@dataclass(frozen=True)
class PageHints:
    """Metadata the container gave (HTML meta, JSON fields); text structure fills the rest."""

    title: str | None = None
    published: Dated = UNKNOWN
    source_name: str | None = None


@dataclass
class ArticleDraft:
    title: str | None
    body: str
    published_date: date | None = None
    published_date_precision: str = "unknown"
    source_name: str | None = None


@dataclass
class _Segment:
    lines: list[Line] = field(default_factory=list)


def cut_articles(text: str, hints: PageHints | None = None) -> list[ArticleDraft]:
    """All articles in a page's text, in order; [] when nothing but furniture is left."""
    hints = hints or PageHints()
    lines = _read_lines(text)
    source_name = hints.source_name or _outlet_signature(lines)
    _mark_structure(lines)
    segments = _split_segments(lines)
    indented_body = _mostly_indented(lines)
    # A title from metadata names the page's only article; on a listing page it names none.
    known_title = hints.title if len(segments) == 1 else None
    drafts = []
    for segment in segments:
        draft = _draft(segment, indented_body, known_title)
        if draft is not None:
            drafts.append(draft)
    if len(drafts) > 1:
        # Pieces of a listing page that are too short are leftovers of its furniture; if all
        # are short, the longest is still the page's text and lands rather than vanishing.
        drafts = [d for d in drafts if _substantial(d.body)] or [max(drafts, key=lambda d: len(d.body))]
    if len(drafts) == 1:
        _apply_hints(drafts[0], hints)
    for draft in drafts:
        draft.source_name = source_name or draft.source_name
    return drafts


# ---------------------------------------------------------------------------- reading


def _read_lines(text: str) -> list[Line]:
    text = unicodedata.normalize("NFC", text.replace("\r\n", "\n").replace("\r", "\n"))
    text = _INVISIBLE.sub("", text)
    raw = _unwrap_hard_breaks(text.split("\n"))
    lines = []
    for raw_line in raw:
        expanded = raw_line.expandtabs(4)
        stripped = _SPACES.sub(" ", expanded).strip()
        if not stripped:
            continue
        indent = len(expanded) - len(expanded.lstrip(" \u00a0"))
        lines.append(Line(text=stripped, indent=indent, kind=classify(stripped)))
    return lines


def _unwrap_hard_breaks(raw: list[str]) -> list[str]:
    """Join e-mail style hard-wrapped paragraphs (lines of ~70 chars inside blank-line blocks)."""
    blocks: list[list[str]] = [[]]
    for line in raw:
        if line.strip():
            blocks[-1].append(line)
        elif blocks[-1]:
            blocks.append([])
    wrapped = [line for block in blocks if len(block) > 1 for line in block[:-1]]
    if len(wrapped) < 6:
        return raw
    lengths = [len(line.strip()) for line in wrapped]
    if not 45 <= statistics.median(lengths) <= 100 or max(lengths) > 110:
        return raw
    out: list[str] = []
    for block in blocks:
        if not block:
            continue
        current = block[0].strip()
        for line in block[1:]:
            if _BULLET.match(line.strip()):
                out.append(current)
                current = line.strip()
            else:
                current = f"{current} {line.strip()}"
        out.extend([current, ""])
    return out


def _outlet_signature(lines: list[Line]) -> str | None:
    for line in lines:
        if line.kind is Kind.COPYRIGHT:
            name = outlet_from_copyright(line.text)
            if name:
                return name
    return None


# ---------------------------------------------------------------------------- structure


def _is_paragraph(text: str) -> bool:
    words = len(text.split())
    return words >= 25 or (words >= 5 and bool(_SENTENCE_END.search(text)))


def _is_headline(line: Line) -> bool:
    text = line.text
    return (
        line.kind is Kind.CONTENT
        and len(text) <= 300
        and len(text.split()) <= 30
        and not _is_paragraph(text)
        and any(ch.isalpha() for ch in text)
        and parse_date_line(text)[0] is None
    )


def _mark_structure(lines: list[Line]) -> None:
    """Re-label lines whose role shows only next to their neighbours."""
    seen_paragraph = False
    for i, line in enumerate(lines):
        nxt = lines[i + 1] if i + 1 < len(lines) else None
        prev = lines[i - 1] if i > 0 else None
        if (
            line.kind is Kind.CONTENT
            and nxt is not None
            and nxt.kind is Kind.CONTENT
            and nxt.text == line.text
        ):
            # Alt text + caption of one picture; a repeated long paragraph, or a headline
            # repeated above the first paragraph (og:title + h1), keeps one copy.
            line.kind = Kind.CAPTION
            keep_one = len(line.text.split()) > 40 or (not seen_paragraph and _is_headline(nxt))
            if not keep_one:
                nxt.kind = Kind.CAPTION
        if line.kind is Kind.MEDIA and prev is not None and seen_paragraph and _is_headline(prev):
            prev.kind = Kind.MEDIA  # the clip's own title; above the first paragraph it is the page's
        if prev is not None and prev.kind is Kind.PUBLISHED and line.kind is Kind.CONTENT:
            lowered = line.text.lower().strip(" :")
            if lowered in {"on", "by", "at"} or parse_date_line(line.text)[0] is not None:
                line.kind = Kind.PUBLISHED
        if line.kind is Kind.CONTENT and _is_paragraph(line.text):
            seen_paragraph = True
        elif line.kind is Kind.SEPARATOR:
            seen_paragraph = False


def _split_segments(lines: list[Line]) -> list[_Segment]:
    segments = [_Segment()]
    for line in lines:
        if line.kind is Kind.SEPARATOR:
            segments.append(_Segment())
        else:
            segments[-1].lines.append(line)
    out = []
    for segment in segments:
        out.extend(_split_at_published(segment))
    return [s for s in out if s.lines]


def _split_at_published(segment: _Segment) -> list[_Segment]:
    """'<label> <title> Published on ...' inside a segment that already has a paragraph starts a new article."""
    lines = segment.lines
    starts = [0]
    seen_paragraph = False
    i = 0
    while i < len(lines):
        line = lines[i]
        if line.kind is Kind.PUBLISHED and seen_paragraph:
            start = _article_start(lines, i, floor=starts[-1])
            if start is not None:
                starts.append(start)
                seen_paragraph = False
        elif line.kind is Kind.CONTENT and _is_paragraph(line.text):
            seen_paragraph = True
        i += 1
    bounds = [*starts, len(lines)]
    return [_Segment(lines[a:b]) for a, b in zip(bounds, bounds[1:], strict=False) if a < b]


def _article_start(lines: list[Line], published_at: int, floor: int) -> int | None:
    j = published_at - 1
    while j > floor and lines[j].kind in (Kind.BYLINE, Kind.PUBLISHED):
        j -= 1
    if j <= floor or not _is_headline(lines[j]):
        return None
    k = j - 1
    while k > floor and lines[k].kind in _DROPPED:
        k -= 1
    if k > floor and _is_headline(lines[k]) and len(lines[k].text.split()) <= LABEL_WORDS:
        return k
    return j


def _mostly_indented(lines: list[Line]) -> bool:
    content = [line for line in lines if line.kind is Kind.CONTENT]
    return bool(content) and sum(1 for line in content if line.indent >= 2) * 2 > len(content)


# ---------------------------------------------------------------------------- one article


def _draft(segment: _Segment, indented_body: bool, known_title: str | None) -> ArticleDraft | None:
    lines = _cut_sidebars(segment.lines)
    about_outlet = _about_box_outlet(lines)
    lines = _trim_tail(lines, indented_body)
    title, published, body_lines = _read_header(lines, known_title)
    body_lines = [line for line in body_lines if line.kind not in _DROPPED]
    body = "\n\n".join(line.text for line in body_lines).rstrip()
    if not body:
        return None
    return ArticleDraft(
        title=title,
        body=body,
        published_date=published[0],
        published_date_precision=published[1],
        source_name=about_outlet,
    )


def _cut_sidebars(lines: list[Line]) -> list[Line]:
    """Drop teaser blocks: a sidebar heading or time-ago line, then headlines and '...' snippets."""
    out: list[Line] = []
    i = 0
    while i < len(lines):
        line = lines[i]
        if line.kind in (Kind.SIDEBAR, Kind.TEASER_TIME) and _teasers_follow(lines, i):
            i += 1
            while i < len(lines) and _teaser_part(lines[i]):
                i += 1
            continue
        out.append(line)  # a lone 'Latest' or '2 hours ago' is dropped later as a line
        i += 1
    return out


def _teasers_follow(lines: list[Line], at: int) -> bool:
    """Is lines[at] the head of a teaser list rather than a stray label above a real title?"""
    headlines = signals = 0
    for line in lines[at + 1 : at + 13]:
        if not _teaser_part(line):
            break
        if line.kind is Kind.TEASER_TIME or _ELLIPSIS_END.search(line.text):
            signals += 1
        elif line.kind is Kind.CONTENT:
            headlines += 1
    if lines[at].kind is Kind.TEASER_TIME:
        return signals >= 1  # time-ago lines come in lists; a single one is just a timestamp
    return signals >= 1 or headlines >= 2


def _teaser_part(line: Line) -> bool:
    if line.kind is not Kind.CONTENT:
        return line.kind in _DROPPED or line.kind is Kind.PUBLISHED
    return _is_headline(line) or bool(_ELLIPSIS_END.search(line.text))


def _about_box_outlet(lines: list[Line]) -> str | None:
    for line in reversed(lines[-12:]):
        if is_tail_footer(line.text):
            name = outlet_from_about_box(line.text)
            if name:
                return name
    return None


def _trim_tail(lines: list[Line], indented_body: bool) -> list[Line]:
    """From the end, drop outlet notices, about-boxes and widget leftovers."""
    end = len(lines)
    while end > 0:
        line = lines[end - 1]
        if line.kind in _DROPPED or line.kind is Kind.PUBLISHED:
            end -= 1
            continue
        stray_indent = line.indent >= 2 and not indented_body and not _BULLET.match(line.text)
        short_label = _is_headline(line) and len(line.text.split()) <= 6
        if is_tail_footer(line.text) or stray_indent or short_label:
            end -= 1
            continue
        break
    return lines[:end]


def _read_header(lines: list[Line], known_title: str | None) -> tuple[str | None, Dated, list[Line]]:
    """Title, date and the remaining lines, from the lines above the first paragraph."""
    published: Dated = UNKNOWN
    headlines: list[int] = []
    anchor_title: int | None = None
    consumed: set[int] = set()
    first_paragraph = len(lines)
    for i, line in enumerate(lines[:HEADER_LINES]):
        if first_paragraph < i:
            # below the first paragraph only date and byline lines still belong to the header
            dated = parse_date_line(line.text) if line.kind is Kind.CONTENT else UNKNOWN
            if (
                dated[0] is not None
                or line.kind in (Kind.PUBLISHED, Kind.BYLINE)
                or _is_byline_like(line.text)
            ):
                consumed.add(i)
                published = published if published[0] is not None else dated
            continue
        if line.kind in (Kind.PUBLISHED, Kind.BYLINE) or (
            line.kind is Kind.CONTENT and _is_byline_like(line.text)
        ):
            consumed.add(i)
            if published[0] is None:
                published = parse_date_line(line.text)
                if published[0] is None:
                    published = parse_dated_meta(line.text)
            if line.kind is Kind.PUBLISHED and headlines and anchor_title is None:
                anchor_title = headlines[-1]
            continue
        if line.kind in _DROPPED:
            continue
        dated = parse_date_line(line.text)
        if dated[0] is not None:
            consumed.add(i)
            if published[0] is None:
                published = dated
            continue
        if _is_paragraph(line.text) or not _is_headline(line):
            first_paragraph = i
            continue
        headlines.append(i)
    if known_title:
        # Only the line that repeats the metadata title is dropped; other header lines stay.
        title_at = next((i for i in headlines if _same_title(lines[i].text, known_title)), None)
    elif anchor_title is not None:
        title_at = anchor_title
    else:
        title_at = _pick_title(lines, headlines, first_paragraph)
    if title_at is None:
        return None, published, [line for i, line in enumerate(lines) if i not in consumed]
    # Lines above the title are kickers/labels; lines below it (a standfirst) stay in the body.
    body = [line for i, line in enumerate(lines) if i > title_at and i not in consumed]
    return lines[title_at].text, published, body


def _is_byline_like(text: str) -> bool:
    return bool(_BYLINE_START.match(text)) and len(text.split()) <= 8 and not _is_paragraph(text)


def _pick_title(lines: list[Line], headlines: list[int], first_paragraph: int) -> int | None:
    if not headlines or first_paragraph == len(lines) and len(lines) <= len(headlines):
        # Nothing but short lines: no evidence any of them is a headline.
        return None
    if first_paragraph >= HEADER_LINES:
        return None
    # The headline is the last one before the text: what comes above it is site name, breadcrumbs
    # or a section label, which also tend to be shorter.
    long_enough = [
        i for i in headlines if len(lines[i].text.split()) > LABEL_WORDS or lines[i].text[-1] in "?!"
    ]
    return long_enough[-1] if long_enough else headlines[-1]


def _substantial(body: str) -> bool:
    return len(body.split()) >= MIN_WORDS_IN_LISTING and any(_is_paragraph(p) for p in body.split("\n\n"))


def _apply_hints(draft: ArticleDraft, hints: PageHints) -> None:
    if hints.title:
        draft.title = hints.title.strip()
        draft.body = _drop_leading_title(draft.body, draft.title)
    if hints.published[0] is not None and draft.published_date is None:
        draft.published_date, draft.published_date_precision = hints.published


def _same_title(a: str, b: str) -> bool:
    """Equal, or one contains the other (a site suffix, a kicker) and they are of similar length."""
    na, nb = _norm_title(a), _norm_title(b)
    if not na or not nb:
        return False
    short, long_ = sorted((na, nb), key=len)
    return short in long_ and len(short) / len(long_) >= 0.6


def _norm_title(text: str) -> str:
    return _TITLE_NORMALISE.sub(" ", text.casefold()).strip()


def _drop_leading_title(body: str, title: str) -> str:
    """Metadata gave the title; a copy of it as the first paragraph is not body text."""
    first, sep, rest = body.partition("\n\n")
    if sep and _norm_title(first) == _norm_title(title):
        return rest
    return body
