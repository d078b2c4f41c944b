"""The extraction cache: keyed by article body and extractor version, written in atomic chunks."""

from __future__ import annotations

from datetime import date, datetime

import polars as pl

from flows.extract.model import ArticleExtraction, ArticleInput, Detention, Facts, Mention
from flows.extract.store import pending_articles, write_chunk
from flows.state import connect_state


def land_one(con, body: str, source_uri: str = "a.txt", landed_at: datetime | None = None) -> str:
    import hashlib

    sha = hashlib.sha256(body.encode()).hexdigest()
    landed_at = landed_at or datetime(2024, 1, 1)
    doc = hashlib.sha256(f"{source_uri}|{sha}".encode()).hexdigest()[:16]
    con.execute(
        "INSERT INTO raw.documents (document_id, source_uri, content_sha256, size_bytes, encoding, media_type, "
        "language, raw_path, landed_at, run_id) VALUES (?, ?, ?, ?, 'utf-8', 'text/plain', 'en', NULL, ?, 'r1')",
        [doc, source_uri, sha, len(body), landed_at],
    )
    con.register(
        "new_article",
        pl.DataFrame(
            {
                "article_id": ["art1"],
                "document_id": [doc],
                "ordinal": [0],
                "source_uri": [source_uri],
                "source_name": [None],
                "url": [None],
                "title": ["T"],
                "published_date": [date(2021, 1, 1)],
                "published_date_precision": ["day"],
                "language": ["en"],
                "body": [body],
                "char_count": [len(body)],
                "content_sha256": [sha],
                "landed_at": [landed_at],
                "run_id": ["r1"],
            }
        ),
    )
    con.execute("INSERT INTO raw.articles SELECT * FROM new_article")
    con.unregister("new_article")
    return sha


def extraction_for(article: ArticleInput) -> ArticleExtraction:
    start = article.body.index("Ivan")
    mention = Mention(
        0, "person", "Ivan Petrov", start, start + 11, "Ivan Petrov", "ivan petrov", roles=["activist"]
    )
    detention = Detention(
        0,
        article.body,
        0,
        len(article.body),
        outcome="administrative_arrest",
        detainee_mention_no=0,
        term_days=15,
    )
    return ArticleExtraction(article.content_sha256, [mention], Facts(detentions=[detention]))


def test_cache_skips_done_bodies_and_a_new_version_redoes_them(tmp_path):
    con = connect_state(tmp_path)
    land_one(con, "Police detained activist Ivan Petrov for 15 days.")
    pending = pending_articles(con, "v1")
    assert [a.published_date for a in pending] == [date(2021, 1, 1)]

    write_chunk(con, "v1", [extraction_for(a) for a in pending], datetime(2024, 1, 2))
    assert pending_articles(con, "v1") == []
    assert len(pending_articles(con, "v2")) == 1, "bumping the extractor version re-extracts"
    row = con.execute("SELECT surface_text, roles FROM nlp.mentions").fetchone()
    assert row == ("Ivan Petrov", ["activist"])
    assert con.execute("SELECT term_days, outcome FROM nlp.detentions").fetchone() == (
        15,
        "administrative_arrest",
    )


def test_writing_a_chunk_twice_replaces_it(tmp_path):
    con = connect_state(tmp_path)
    land_one(con, "Police detained activist Ivan Petrov for 15 days.")
    pending = pending_articles(con, "v1")
    results = [extraction_for(a) for a in pending]
    write_chunk(con, "v1", results, datetime(2024, 1, 2))
    write_chunk(con, "v1", results, datetime(2024, 1, 3))
    assert con.execute("SELECT count(*) FROM nlp.mentions").fetchone()[0] == 1
    assert con.execute("SELECT count(*) FROM nlp.extractions").fetchone()[0] == 1


def test_a_changed_file_makes_only_its_new_body_pending(tmp_path):
    con = connect_state(tmp_path)
    land_one(con, "Police detained activist Ivan Petrov.", landed_at=datetime(2024, 1, 1))
    write_chunk(con, "v1", [extraction_for(a) for a in pending_articles(con, "v1")], datetime(2024, 1, 2))
    land_one(con, "Police released activist Ivan Petrov.", landed_at=datetime(2024, 2, 1))
    pending = pending_articles(con, "v1")
    assert [a.body for a in pending] == ["Police released activist Ivan Petrov."]
