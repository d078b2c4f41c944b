"""The CPU work of landing one record: cut it into articles and guess each one's language.

Pure functions of the bytes, with no state database: landing runs them in worker processes
when the inbox is big (see `flows.land`), and the flow process keeps every write.
"""

from __future__ import annotations

from dataclasses import dataclass

from flows.landing.formats import Record, Rejected, read_records
from flows.landing.language import detect_language
from flows.landing.segment import ArticleDraft, cut_articles


@dataclass(frozen=True)
class PreparedRecord:
    drafts: list[ArticleDraft]
    languages: list[str]  # one per draft
    document_language: str | None  # of all drafts together; None when there is no draft


def prepare_record(record: Record) -> PreparedRecord:
    drafts = cut_articles(record.text, record.hints)
    languages = [detect_language(draft.body) for draft in drafts]
    if len(drafts) == 1:
        document_language: str | None = languages[0]  # the same text as the joined one
    elif drafts:
        document_language = detect_language("\n\n".join(draft.body for draft in drafts))
    else:
        document_language = None
    return PreparedRecord(drafts, languages, document_language)


def prepare_file(
    rel_path: str, data: bytes, file_sha256: str
) -> list[tuple[Record | Rejected, PreparedRecord | None]]:
    """Every record of a file, each with its articles (None for a rejected record)."""
    return [
        (record, None if isinstance(record, Rejected) else prepare_record(record))
        for record in read_records(rel_path, data, file_sha256)
    ]
