"""Extraction: article bodies -> entity mentions and facts (records in `flows.extract.model`).

Importing this package is cheap: spaCy and the model are loaded on the first call of
`extract_articles`, once per process.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from flows.extract.model import ArticleExtraction, ArticleInput, Facts
from flows.extract.reference import seeds_fingerprint

# Bump CODE_VERSION when extraction logic changes; the seed hash follows reference-data edits.
CODE_VERSION = "1.3.4"
EXTRACTOR_VERSION: str = f"{CODE_VERSION}+{seeds_fingerprint()}"

ENGLISH = ("en",)


def _is_english(article: ArticleInput) -> bool:
    return (article.language or "en").lower() in ENGLISH


def extract_articles(
    articles: Iterable[ArticleInput], n_process: int = 1, batch_size: int = 64
) -> Iterator[ArticleExtraction]:
    """One ArticleExtraction per article, in input order; non-English articles come back empty."""
    from flows.extract.entities import extract_mentions
    from flows.extract.nlp import analyse
    from flows.extract.reference import load_reference

    ref = load_reference()
    pending: list[ArticleInput] = []

    def bodies() -> Iterator[str]:
        for article in articles:
            pending.append(article)
            yield article.body if _is_english(article) else ""

    for index, analysis in enumerate(analyse(bodies(), n_process=n_process, batch_size=batch_size)):
        article = pending[index]
        pending[index] = None  # type: ignore[call-overload]  # free the body as we go
        if not _is_english(article):
            yield ArticleExtraction(content_sha256=article.content_sha256)
            continue
        mentions = extract_mentions(article.body, analysis, ref)
        yield ArticleExtraction(
            content_sha256=article.content_sha256,
            mentions=mentions,
            facts=_facts(article, analysis.sentences, mentions),
        )


def _facts(article: ArticleInput, sentences: list[tuple[int, int]], mentions: list) -> Facts:
    from flows.extract.facts import extract_facts

    return extract_facts(article.body, sentences, mentions, article)


__all__ = ["EXTRACTOR_VERSION", "extract_articles"]
