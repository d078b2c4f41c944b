"""Extraction: article bodies -> entity mentions and facts (records in `flows.extract.model`).

Importing this package is cheap: spaCy and the model are loaded on the first call of
`extract_articles`, once per process.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from flows.extract.model import ArticleExtraction, ArticleInput, Facts
from flows.extract.nlp import Analysis
from flows.extract.reference import seeds_fingerprint

# Bump CODE_VERSION when extraction logic changes; the seed hash follows reference-data edits.
CODE_VERSION = "2.0.0"
EXTRACTOR_VERSION: str = f"{CODE_VERSION}+{seeds_fingerprint()}"

ENGLISH = ("en",)


def _is_english(article: ArticleInput) -> bool:
    return (article.language or "en").lower() in ENGLISH


# Articles whose trigger sentences are parsed in one `nlp.pipe` stream of the second pass.
PARSE_GROUP = 16


def extract_articles(
    articles: Iterable[ArticleInput], n_process: int = 1, batch_size: int = 64
) -> Iterator[ArticleExtraction]:
    """One ArticleExtraction per article, in input order; non-English articles come back empty."""
    from flows.extract.nlp import analyse

    pending: list[ArticleInput] = []

    def bodies() -> Iterator[str]:
        for article in articles:
            pending.append(article)
            yield article.body if _is_english(article) else ""

    group: list[tuple[ArticleInput, Analysis]] = []
    for index, analysis in enumerate(analyse(bodies(), n_process=n_process, batch_size=batch_size)):
        group.append((pending[index], analysis))
        pending[index] = None  # type: ignore[call-overload]  # free the body as we go
        if len(group) >= PARSE_GROUP:
            yield from _extract_group(group, batch_size)
            group = []
    yield from _extract_group(group, batch_size)


def _extract_group(
    group: list[tuple[ArticleInput, Analysis]], batch_size: int
) -> Iterator[ArticleExtraction]:
    from flows.extract.entities import extract_mentions
    from flows.extract.nlp import attach_parses
    from flows.extract.reference import load_reference

    ref = load_reference()
    attach_parses([(a.body, analysis) for a, analysis in group if _is_english(a)], batch_size=batch_size)
    for article, analysis in group:
        if not _is_english(article):
            yield ArticleExtraction(content_sha256=article.content_sha256)
            continue
        mentions = extract_mentions(article.body, analysis, ref)
        yield ArticleExtraction(
            content_sha256=article.content_sha256,
            mentions=mentions,
            facts=_facts(article, analysis, mentions),
        )


def _facts(article: ArticleInput, analysis: Analysis, mentions: list) -> Facts:
    from flows.extract.facts import extract_facts

    return extract_facts(article.body, analysis.sentences, mentions, article, analysis.parses)


__all__ = ["EXTRACTOR_VERSION", "extract_articles"]
