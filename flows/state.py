"""The pipeline's own database: what landing and extraction write, and what dbt reads.

`<home>/state.duckdb` holds every landed document and article (with history), the
extraction cache, the run log and the quarantine. Only the flow process opens it
read-write. dbt attaches it read-only as `state` and builds a new file from it, so
the published warehouse is always rebuilt, never patched.

The DDL below is the contract between the stages: landing writes `raw.*`, extraction
writes `nlp.*` (keyed by the article body's sha256 and the extractor version, so an
unchanged article is never processed twice), and `ops.*` records runs and rejects.
"""

from __future__ import annotations

from pathlib import Path

import duckdb

STATE_FILE = "state.duckdb"

DDL = """
CREATE SCHEMA IF NOT EXISTS raw;
CREATE SCHEMA IF NOT EXISTS nlp;
CREATE SCHEMA IF NOT EXISTS ops;

-- One row per landing of a distinct content of a source file (or JSON record). A changed
-- file adds a row; the old one stays as history. The current version of a source is its
-- latest landed row (ties: greatest document_id). document_id = sha256(source_uri || '|' ||
-- content_sha256)[:16], plus '|' || run_id when an earlier content is landed again (a revert).
CREATE TABLE IF NOT EXISTS raw.documents (
    document_id      VARCHAR PRIMARY KEY,
    source_uri       VARCHAR NOT NULL,   -- path relative to the inbox (posix), '#n' for JSONL record n
    content_sha256   VARCHAR NOT NULL,   -- of the raw bytes
    size_bytes       BIGINT NOT NULL,
    encoding         VARCHAR,            -- how the bytes were decoded
    media_type       VARCHAR NOT NULL,   -- text/plain | text/html | application/json
    language         VARCHAR,            -- ISO 639-1, detected
    raw_path         VARCHAR,            -- absolute path of the file as landed
    landed_at        TIMESTAMP NOT NULL,
    run_id           VARCHAR NOT NULL
);

-- Articles cut from a document (a page can hold several). article_id is stable per
-- (source_uri, ordinal); a new content version of the same article adds a row.
CREATE TABLE IF NOT EXISTS raw.articles (
    article_id               VARCHAR NOT NULL,  -- sha256(source_uri || '#' || ordinal)[:16]
    document_id              VARCHAR NOT NULL,
    ordinal                  INTEGER NOT NULL,  -- 0-based position in the document
    source_uri               VARCHAR NOT NULL,
    source_name              VARCHAR,           -- outlet, when known
    url                      VARCHAR,
    title                    VARCHAR,
    published_date           DATE,
    published_date_precision VARCHAR NOT NULL,  -- day | month | year | unknown
    language                 VARCHAR,
    body                     VARCHAR NOT NULL,  -- cleaned text; every offset indexes this
    char_count               INTEGER NOT NULL,
    content_sha256           VARCHAR NOT NULL,  -- sha256 of body: the extraction cache key
    landed_at                TIMESTAMP NOT NULL,
    run_id                   VARCHAR NOT NULL,
    PRIMARY KEY (article_id, document_id)
);

-- Extraction cache: one row per (body sha256, extractor version) that has been processed.
CREATE TABLE IF NOT EXISTS nlp.extractions (
    content_sha256    VARCHAR NOT NULL,
    extractor_version VARCHAR NOT NULL,
    extracted_at      TIMESTAMP NOT NULL,
    PRIMARY KEY (content_sha256, extractor_version)
);

-- Entity mentions. Offsets index raw.articles.body (0-based, end-exclusive).
CREATE TABLE IF NOT EXISTS nlp.mentions (
    content_sha256    VARCHAR NOT NULL,
    extractor_version VARCHAR NOT NULL,
    mention_no        INTEGER NOT NULL,
    entity_type       VARCHAR NOT NULL,  -- person | organization | party | country
    surface_text      VARCHAR NOT NULL,  -- exactly body[char_start:char_end]
    char_start        INTEGER NOT NULL,
    char_end          INTEGER NOT NULL,
    canonical_name    VARCHAR NOT NULL,  -- resolved within the article, titles stripped
    name_key          VARCHAR NOT NULL,  -- transliteration-folded key of canonical_name
    ref_id            VARCHAR,           -- id in the reference seeds when matched
    country_id        VARCHAR,           -- ISO2: the country itself, or the entity's country
    roles             VARCHAR[],         -- president, activist, journalist, party_leader, ...
    party_name_key    VARCHAR,           -- a person's party (name_key of a party mention)
    party_kind        VARCHAR,           -- party | movement | public_association
    party_status      VARCHAR,           -- registered | unregistered | banned | unknown
    detector          VARCHAR NOT NULL,  -- ruler | ner | pattern | resolved
    PRIMARY KEY (content_sha256, extractor_version, mention_no)
);

-- Event candidates, with their evidence sentence.
CREATE TABLE IF NOT EXISTS nlp.events (
    content_sha256       VARCHAR NOT NULL,
    extractor_version    VARCHAR NOT NULL,
    event_no             INTEGER NOT NULL,
    event_type           VARCHAR NOT NULL,
    trigger_text         VARCHAR,
    event_date           DATE,
    event_date_precision VARCHAR NOT NULL,
    country_id           VARCHAR,
    location             VARCHAR,
    evidence_text        VARCHAR NOT NULL,
    char_start           INTEGER NOT NULL,
    char_end             INTEGER NOT NULL,
    confidence           DOUBLE NOT NULL,
    PRIMARY KEY (content_sha256, extractor_version, event_no)
);

CREATE TABLE IF NOT EXISTS nlp.event_participants (
    content_sha256    VARCHAR NOT NULL,
    extractor_version VARCHAR NOT NULL,
    event_no          INTEGER NOT NULL,
    mention_no        INTEGER NOT NULL,  -- a person/organization/party mention
    role              VARCHAR NOT NULL   -- subject | target | participant
);

CREATE TABLE IF NOT EXISTS nlp.detentions (
    content_sha256          VARCHAR NOT NULL,
    extractor_version       VARCHAR NOT NULL,
    detention_no            INTEGER NOT NULL,
    event_no                INTEGER,           -- the detention/sentencing event it came from
    detainee_mention_no     INTEGER,           -- NULL for an unnamed group
    detainee_count          INTEGER,           -- groups: 'nearly 80 people' -> 80
    detained_date           DATE,
    detained_date_precision VARCHAR NOT NULL,
    country_id              VARCHAR,
    location                VARCHAR,
    authority               VARCHAR,
    charge                  VARCHAR,
    outcome                 VARCHAR NOT NULL,  -- administrative_arrest | sentenced | suspended_sentence | fined | released | unknown
    term_days               INTEGER,
    evidence_text           VARCHAR NOT NULL,
    char_start              INTEGER NOT NULL,
    char_end                INTEGER NOT NULL,
    detained_day_month      VARCHAR,           -- 'MM-DD' of a date given without its year
    reported_date           DATE,              -- the article's publication date, dateline or page date
    PRIMARY KEY (content_sha256, extractor_version, detention_no)
);
-- state databases created before these columns existed gain them
ALTER TABLE nlp.detentions ADD COLUMN IF NOT EXISTS detained_day_month VARCHAR;
ALTER TABLE nlp.detentions ADD COLUMN IF NOT EXISTS reported_date DATE;

CREATE TABLE IF NOT EXISTS nlp.elections (
    content_sha256          VARCHAR NOT NULL,
    extractor_version       VARCHAR NOT NULL,
    election_no             INTEGER NOT NULL,
    country_id              VARCHAR NOT NULL,
    election_type           VARCHAR NOT NULL,  -- presidential | parliamentary | referendum | local
    election_date           DATE,
    election_date_precision VARCHAR NOT NULL,
    day_month               VARCHAR,           -- 'MM-DD' when the text gives a day but no year
    is_snap                 BOOLEAN NOT NULL,
    evidence_text           VARCHAR NOT NULL,
    char_start              INTEGER NOT NULL,
    char_end                INTEGER NOT NULL,
    PRIMARY KEY (content_sha256, extractor_version, election_no)
);

CREATE TABLE IF NOT EXISTS nlp.election_results (
    content_sha256    VARCHAR NOT NULL,
    extractor_version VARCHAR NOT NULL,
    election_no       INTEGER NOT NULL,
    party_mention_no  INTEGER,
    actor_mention_no  INTEGER,
    vote_share_pct    DOUBLE,
    seats             INTEGER,
    vote_count        BIGINT,
    evidence_text     VARCHAR NOT NULL,
    char_start        INTEGER NOT NULL,
    char_end          INTEGER NOT NULL
);

CREATE TABLE IF NOT EXISTS ops.run_log (
    run_id                 VARCHAR PRIMARY KEY,
    started_at             TIMESTAMP NOT NULL,
    finished_at            TIMESTAMP,
    status                 VARCHAR NOT NULL,  -- running | published | unchanged | failed_gate | failed | interrupted | rebuilt_state
    documents_landed       INTEGER,
    documents_quarantined  INTEGER,
    articles               INTEGER,
    articles_extracted     INTEGER,
    gate_summary           VARCHAR,
    message                VARCHAR
);

CREATE TABLE IF NOT EXISTS ops.quarantine (
    source_uri      VARCHAR NOT NULL,
    content_sha256  VARCHAR,
    stage           VARCHAR NOT NULL,  -- land | extract | gate
    reason          VARCHAR NOT NULL,
    raw_path        VARCHAR,           -- where the original bytes are
    quarantined_at  TIMESTAMP NOT NULL,
    run_id          VARCHAR NOT NULL
);

-- Added after the first release: a state database made before gets the column on open.
-- Undecodable bytes replaced by U+FFFD when a damaged UTF-8 file was landed (0: none).
ALTER TABLE raw.documents ADD COLUMN IF NOT EXISTS decode_replacements INTEGER DEFAULT 0;
"""

NLP_TABLES = (
    "mentions",
    "events",
    "event_participants",
    "detentions",
    "elections",
    "election_results",
)


def state_path(home: Path) -> Path:
    return Path(home) / STATE_FILE


class StateDatabaseDamaged(RuntimeError):
    """The state database cannot be opened or read: it is corrupt or truncated."""


# DuckDB's words for a file that is not (or no longer) a whole database.
_DAMAGE_SIGNS = (
    "not a valid duckdb database file",
    "could not read enough bytes",
    "corrupt",
    "checksum",
    "failed to read database header",
    "serialization error",
)


def looks_damaged(error: BaseException) -> bool:
    return any(sign in str(error).lower() for sign in _DAMAGE_SIGNS)


def damaged_message(path: Path, error: BaseException) -> str:
    return (
        f"the state database {path} is damaged (corrupt or truncated) and cannot be read: "
        f"{str(error).splitlines()[0]}. The published warehouse is untouched. "
        f"Run `steppewatch rebuild-state --inbox INBOX --home {path.parent}` to move it aside and land "
        "everything again from the inbox; the next run then publishes the same ids."
    )


def connect_state(home: Path) -> duckdb.DuckDBPyConnection:
    """Open (creating if needed) the state database read-write, with every table present.

    A file DuckDB cannot read as a database raises StateDatabaseDamaged, which names the way out.
    """
    home = Path(home)
    home.mkdir(parents=True, exist_ok=True)
    path = state_path(home)
    try:
        con = duckdb.connect(str(path))
    except duckdb.Error as error:
        if looks_damaged(error):
            raise StateDatabaseDamaged(damaged_message(path, error)) from error
        raise
    try:
        con.execute(DDL)
    except duckdb.Error as error:
        con.close()
        if looks_damaged(error):
            raise StateDatabaseDamaged(damaged_message(path, error)) from error
        raise
    return con
