"""An article body as HTML with the evidence spans of its facts highlighted, the text always escaped.

The body is cut at every span boundary (char_start/char_end index the body as Python and DuckDB
both count characters), and each piece is escaped on its own before tags are put around it,
so nothing in an article, however it is written, becomes markup. Spans nest and overlap
(a mention inside a detention's evidence sentence, two facts read from one sentence), so
each piece is wrapped by every span that covers it.
"""

from __future__ import annotations

from dataclasses import dataclass

from markupsafe import Markup, escape

FACT_KINDS = ("detention", "event", "election", "result")


@dataclass(frozen=True)
class Span:
    kind: str  # detention | event | election | result | mention_actor | mention_party | mention_country
    fact_id: str
    label: str
    char_start: int
    char_end: int


def _open_tags(covering: list[Span], root: str) -> tuple[Markup, Markup]:
    """The tags around one piece of text: a link for a person mentioned, a mark for facts."""
    opening, closing = Markup(""), Markup("")
    facts = [span for span in covering if span.kind in FACT_KINDS]
    if facts:
        kinds = " ".join(sorted({f"fact-{span.kind}" for span in facts}))
        title = "; ".join(sorted({span.label.replace("_", " ") for span in facts}))
        opening += Markup('<mark class="fact {}" title="{}">').format(kinds, title)
        closing = Markup("</mark>") + closing
    actors = [span for span in covering if span.kind == "mention_actor"]
    if actors:
        opening += Markup('<a class="mention" href="{}people/{}.html">').format(root, actors[0].fact_id)
        closing = Markup("</a>") + closing
    elif any(span.kind == "mention_party" for span in covering):
        opening += Markup('<span class="mention mention-party">')
        closing = Markup("</span>") + closing
    return opening, closing


def highlight_body(body: str, spans: list[Span], root: str = "../") -> Markup:
    """`body` as escaped HTML; fact evidence in <mark>, people linked, an anchor f-<id> at each fact."""
    length = len(body)
    valid = [s for s in spans if 0 <= s.char_start < s.char_end <= length]
    starts: dict[int, list[Span]] = {}
    ends: dict[int, list[Span]] = {}
    for span in valid:
        starts.setdefault(span.char_start, []).append(span)
        ends.setdefault(span.char_end, []).append(span)
    boundaries = sorted({0, length, *starts, *ends})
    active: dict[int, Span] = {}
    pieces: list[Markup] = []
    # Neighbouring pieces under the same tags are joined, so a sentence is one <mark>, not one per word run.
    run_tags: tuple[Markup, Markup] | None = None
    run_text: list[str] = []

    def close_run() -> None:
        if run_tags is not None:
            pieces.append(run_tags[0] + escape("".join(run_text)) + run_tags[1])
        run_text.clear()

    for position, following in zip(boundaries, boundaries[1:], strict=False):
        for span in ends.get(position, ()):
            active.pop(id(span), None)
        for span in starts.get(position, ()):
            active[id(span)] = span
            if span.kind in FACT_KINDS:
                close_run()
                run_tags = None
                # An anchor per fact, so tables can link to the very sentence (articles/X.html#f-<id>).
                pieces.append(Markup('<span class="anchor" id="f-{}"></span>').format(span.fact_id))
        tags = _open_tags(list(active.values()), root)
        if tags != run_tags:
            close_run()
            run_tags = tags
        run_text.append(body[position:following])
    close_run()
    return Markup("").join(pieces)
