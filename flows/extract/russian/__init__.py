"""The Russian extraction path: natasha/slovnet analysis -> mentions -> facts.

It writes the same records (`flows.extract.model`) as the English path, so the warehouse
needs no language branch. Importing this package is cheap; natasha loads on first use.
"""

from __future__ import annotations

from flows.extract.model import ArticleExtraction, ArticleInput


def extract_russian(article: ArticleInput) -> ArticleExtraction:
    from flows.extract.reference import load_reference
    from flows.extract.russian.entities import RussianEntities
    from flows.extract.russian.facts import extract_russian_facts
    from flows.extract.russian.nlp import analyse

    analysis = analyse(article.body)
    mentions = RussianEntities(article.body, analysis, load_reference()).run()
    facts = extract_russian_facts(article.body, analysis, mentions, article)
    return ArticleExtraction(content_sha256=article.content_sha256, mentions=mentions, facts=facts)


__all__ = ["extract_russian"]
