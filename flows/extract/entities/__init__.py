"""Entity mentions (person, organization, party, country) from spaCy entities plus rules.

The statistical model is small and mislabels Central Asian names, so its entities are only
candidates: every candidate is re-typed against the reference data and a few shape rules, party
names are discovered by patterns (including machine-'spun' synonyms of 'party'), titles are
stripped off people, and names are resolved within the article (surname-only mentions, variant
spellings) and against the reference people and parties.

Modules, in the order an article goes through them: `vocabulary` (the words the rules read),
`candidates` (one candidate per span, titles, name shapes, page furniture), `parties` (party
names and statuses found by patterns), `extractor` (the candidates of one article, chosen and
re-typed) and `resolution` (resolved within the article and against the reference).
"""

from flows.extract.entities.extractor import extract_mentions

__all__ = ["extract_mentions"]
