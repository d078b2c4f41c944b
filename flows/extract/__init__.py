"""Extraction: article bodies -> entity mentions and facts (records in `flows.extract.model`).

Two language paths sit side by side behind `extract_articles`: English (spaCy, `nlp` and
`rules/`) and Russian (natasha/slovnet, `russian/`). Both write the same records. Articles in
other languages (Kazakh, Kyrgyz, Uzbek, Tajik, ...) are landed and marked with their language,
and come back empty. Importing this package is cheap: the models load on first use, once per
process.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from flows.extract.model import ArticleExtraction, ArticleInput, Facts
from flows.extract.nlp import Analysis
from flows.extract.reference import seeds_fingerprint

# Bump CODE_VERSION when extraction logic changes; the seed hash follows reference-data edits.
CODE_VERSION = "2.3.0"
EXTRACTOR_VERSION: str = f"{CODE_VERSION}+{seeds_fingerprint()}"

ENGLISH = ("en",)
RUSSIAN = ("ru",)
EXTRACTED_LANGUAGES = ENGLISH + RUSSIAN


def _is_english(article: ArticleInput) -> bool:
    return (article.language or "en").lower() in ENGLISH


def _is_russian(article: ArticleInput) -> bool:
    return (article.language or "").lower() in RUSSIAN


# Articles whose trigger sentences are parsed in one `nlp.pipe` stream of the second pass.
PARSE_GROUP = 16


def extract_articles(
    articles: Iterable[ArticleInput], n_process: int = 1, batch_size: int = 64
) -> Iterator[ArticleExtraction]:
    """One ArticleExtraction per article, in input order; articles in other languages come back empty.

    A very long body is extracted in parts and put back together (flows.extract.windows).
    """
    from flows.extract.windows import extract_in_parts

    yield from extract_in_parts(articles, lambda items: _extract_bodies(items, n_process, batch_size))


def _extract_bodies(
    articles: Iterable[ArticleInput], n_process: int = 1, batch_size: int = 64
) -> Iterator[ArticleExtraction]:
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
        if _is_russian(article):
            from flows.extract.russian import extract_russian

            yield extract_russian(article)
            continue
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


__all__ = ["EXTRACTED_LANGUAGES", "EXTRACTOR_VERSION", "extract_articles"]
