"""A real `dbt build` of dbt_project/ on a small, realistic state database.

The fixture writes two current articles (plus an outdated version of one, and rows of an
older extractor version that must be ignored) through `flows.state.connect_state`, runs
one `dbt build` (seeds, models, contracts, data tests and unit tests) into a fresh DuckDB
file, and the tests read the published marts.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

import duckdb
import pytest

from flows.state import connect_state

EXTRACTOR_VERSION = "test-1"
TOKAYEV_REF = "kz-kassym-jomart-tokayev"

# The warehouse contract (shared/spec/warehouse-contract.md): the columns each mart must have.
CONTRACT_COLUMNS: dict[str, list[str]] = {
    "dim_country": ["country_id", "iso3", "name", "region"],
    "dim_party": [
        "party_id",
        "name",
        "aliases",
        "country_id",
        "kind",
        "registration_status",
        "first_seen_date",
        "last_seen_date",
        "article_count",
    ],
    "dim_actor": [
        "actor_id",
        "name",
        "aliases",
        "actor_type",
        "country_id",
        "party_id",
        "roles",
        "article_count",
    ],
    "dim_article": [
        "article_id",
        "document_id",
        "source_uri",
        "source_name",
        "title",
        "published_date",
        "published_date_precision",
        "language",
        "body",
        "char_count",
        "content_sha256",
        "ingested_at",
    ],
    "fct_mention": [
        "mention_id",
        "article_id",
        "entity_type",
        "entity_id",
        "surface_text",
        "char_start",
        "char_end",
    ],
    "fct_event": [
        "event_id",
        "article_id",
        "event_type",
        "event_date",
        "event_date_precision",
        "country_id",
        "location",
        "evidence_text",
        "char_start",
        "char_end",
        "confidence",
    ],
    "bridge_event_participant": ["event_id", "entity_type", "entity_id", "role"],
    "fct_detention": [
        "detention_id",
        "event_id",
        "article_id",
        "actor_id",
        "detainee_count",
        "detained_date",
        "detained_date_precision",
        "country_id",
        "location",
        "authority",
        "charge",
        "outcome",
        "term_days",
        "evidence_text",
        "char_start",
        "char_end",
    ],
    "fct_election": [
        "election_id",
        "country_id",
        "election_type",
        "election_date",
        "election_date_precision",
        "is_snap",
        "article_count",
    ],
    "bridge_election_article": ["election_id", "article_id", "evidence_text", "char_start", "char_end"],
    "fct_election_result": ["election_id", "party_id", "actor_id", "vote_share_pct", "seats", "article_id"],
}

ARTICLE_A_OLD = "President Tokayev of Kazakhstan spoke. An early draft that a later landing replaced."
ARTICLE_A = (
    "President Kassym-Jomart Tokayev of Kazakhstan called a snap parliamentary election for "
    "March 19, 2023, ahead of the January 10 referendum. "
    "Opposition activist Zhanbolat Mamai was detained in Almaty on February 1, 2023. "
    "The Democratic Party of Kazakhstan, which Mamai leads, is still unregistered."
)
ARTICLE_B = (
    "Qasym-Zhomart Toqaev welcomed the results of the March 19, 2023 parliamentary election. "
    "Respublica won 8.5 percent of the vote. "
    "Mamai called the vote and the January 10 referendum unfair. "
    "Nearly 80 people were detained after the protest. The Koshe party was banned."
)


def sha256(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def md5(text: str) -> str:
    return hashlib.md5(text.encode("utf-8")).hexdigest()  # noqa: S324 - mirrors the dbt stable_id macro


def span(body: str, text: str, occurrence: int = 0) -> tuple[int, int]:
    """Offsets of the n-th occurrence of `text` in `body` (0-based, end-exclusive)."""
    start = -1
    for _ in range(occurrence + 1):
        start = body.index(text, start + 1)
    return start, start + len(text)


@dataclass(frozen=True)
class Built:
    build_db: Path
    target_dir: Path
    success: bool
    failures: list[str]
    article_ids: dict[str, str]


class StateWriter:
    """Inserts rows that mimic what landing and extraction write."""

    def __init__(self, con: duckdb.DuckDBPyConnection) -> None:
        self.con = con

    def document(self, document_id: str, source_uri: str, body: str, landed_at: datetime) -> None:
        self.con.execute(
            """INSERT INTO raw.documents (document_id, source_uri, content_sha256, size_bytes, encoding,
                   media_type, language, raw_path, landed_at, run_id)
               VALUES (?, ?, ?, ?, 'utf-8', 'text/plain', 'en', NULL, ?, 'run-1')""",
            [document_id, source_uri, sha256(body + document_id), len(body), landed_at],
        )

    def article(
        self,
        article_id: str,
        document_id: str,
        source_uri: str,
        title: str,
        body: str,
        published: date,
        landed_at: datetime,
    ) -> None:
        self.con.execute(
            """INSERT INTO raw.articles VALUES
               (?, ?, 0, ?, 'Test Wire', NULL, ?, ?, 'day', 'en', ?, ?, ?, ?, 'run-1')""",
            [article_id, document_id, source_uri, title, published, body, len(body), sha256(body), landed_at],
        )

    def extraction(self, body: str, version: str = EXTRACTOR_VERSION) -> None:
        self.con.execute(
            "INSERT INTO nlp.extractions VALUES (?, ?, ?)", [sha256(body), version, datetime(2024, 1, 1)]
        )

    def mention(
        self,
        body: str,
        mention_no: int,
        entity_type: str,
        surface: str,
        canonical: str,
        name_key: str,
        *,
        occurrence: int = 0,
        ref_id: str | None = None,
        country_id: str | None = None,
        roles: list[str] | None = None,
        party_name_key: str | None = None,
        party_kind: str | None = None,
        party_status: str | None = None,
        version: str = EXTRACTOR_VERSION,
    ) -> None:
        start, end = span(body, surface, occurrence)
        self.con.execute(
            "INSERT INTO nlp.mentions VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'ner')",
            [
                sha256(body),
                version,
                mention_no,
                entity_type,
                surface,
                start,
                end,
                canonical,
                name_key,
                ref_id,
                country_id,
                roles or [],
                party_name_key,
                party_kind,
                party_status,
            ],
        )

    def event(
        self,
        body: str,
        event_no: int,
        event_type: str,
        evidence: str,
        event_date: date | None,
        precision: str,
        participants: list[tuple[int, str]],
    ) -> None:
        start, end = span(body, evidence)
        self.con.execute(
            "INSERT INTO nlp.events VALUES (?, ?, ?, ?, NULL, ?, ?, 'KZ', NULL, ?, ?, ?, 0.8)",
            [
                sha256(body),
                EXTRACTOR_VERSION,
                event_no,
                event_type,
                event_date,
                precision,
                evidence,
                start,
                end,
            ],
        )
        for mention_no, role in participants:
            self.con.execute(
                "INSERT INTO nlp.event_participants VALUES (?, ?, ?, ?, ?)",
                [sha256(body), EXTRACTOR_VERSION, event_no, mention_no, role],
            )

    def detention(
        self,
        body: str,
        detention_no: int,
        evidence: str,
        *,
        event_no: int | None,
        detainee_mention_no: int | None,
        count: int | None,
        detained: date | None,
        precision: str,
    ) -> None:
        start, end = span(body, evidence)
        self.con.execute(
            """INSERT INTO nlp.detentions VALUES
               (?, ?, ?, ?, ?, ?, ?, ?, 'KZ', 'Almaty', 'police', NULL, 'unknown', NULL, ?, ?, ?, NULL, NULL)""",
            [
                sha256(body),
                EXTRACTOR_VERSION,
                detention_no,
                event_no,
                detainee_mention_no,
                count,
                detained,
                precision,
                evidence,
                start,
                end,
            ],
        )

    def election(
        self,
        body: str,
        election_no: int,
        election_type: str,
        evidence: str,
        election_date: date | None,
        precision: str,
        *,
        day_month: str | None = None,
        is_snap: bool = False,
    ) -> None:
        start, end = span(body, evidence)
        self.con.execute(
            "INSERT INTO nlp.elections VALUES (?, ?, ?, 'KZ', ?, ?, ?, ?, ?, ?, ?, ?)",
            [
                sha256(body),
                EXTRACTOR_VERSION,
                election_no,
                election_type,
                election_date,
                precision,
                day_month,
                is_snap,
                evidence,
                start,
                end,
            ],
        )

    def result(self, body: str, election_no: int, party_mention_no: int, share: float, evidence: str) -> None:
        start, end = span(body, evidence)
        self.con.execute(
            "INSERT INTO nlp.election_results VALUES (?, ?, ?, ?, NULL, ?, NULL, NULL, ?, ?, ?)",
            [sha256(body), EXTRACTOR_VERSION, election_no, party_mention_no, share, evidence, start, end],
        )


def write_state(home: Path) -> dict[str, str]:
    """Two current articles, an outdated version of the first, and a stale extractor version."""
    con = connect_state(home)
    state = StateWriter(con)
    ids = {"a": "a0a0a0a0a0a0a0a0", "b": "b0b0b0b0b0b0b0b0"}
    state.document("doc-a-v1", "inbox/kz_vote.txt", ARTICLE_A_OLD, datetime(2023, 3, 20, 8))
    state.article(
        ids["a"],
        "doc-a-v1",
        "inbox/kz_vote.txt",
        "Draft",
        ARTICLE_A_OLD,
        date(2023, 3, 20),
        datetime(2023, 3, 20, 8),
    )
    state.document("doc-a-v2", "inbox/kz_vote.txt", ARTICLE_A, datetime(2023, 3, 20, 9))
    state.article(
        ids["a"],
        "doc-a-v2",
        "inbox/kz_vote.txt",
        "Tokayev calls snap vote",
        ARTICLE_A,
        date(2023, 3, 20),
        datetime(2023, 3, 20, 9),
    )
    state.document("doc-b", "inbox/wire.jsonl#0", ARTICLE_B, datetime(2023, 3, 21, 9))
    state.article(
        ids["b"],
        "doc-b",
        "inbox/wire.jsonl#0",
        "Results are in",
        ARTICLE_B,
        date(2023, 3, 21),
        datetime(2023, 3, 21, 9),
    )
    for body in (ARTICLE_A_OLD, ARTICLE_A, ARTICLE_B):
        state.extraction(body)

    # The outdated version was extracted too: none of its rows may reach the marts.
    state.mention(ARTICLE_A_OLD, 1, "person", "Tokayev", "Tokayev", "tokayev", ref_id=TOKAYEV_REF)

    a = ARTICLE_A
    state.mention(
        a,
        1,
        "person",
        "Kassym-Jomart Tokayev",
        "Kassym-Jomart Tokayev",
        "kassym jomart tokayev",
        ref_id=TOKAYEV_REF,
        country_id="KZ",
        roles=["president"],
    )
    state.mention(a, 2, "country", "Kazakhstan", "Kazakhstan", "kazakhstan", ref_id="KZ", country_id="KZ")
    state.mention(
        a,
        3,
        "person",
        "Zhanbolat Mamai",
        "Zhanbolat Mamai",
        "zhanbolat mamai",
        country_id="KZ",
        roles=["activist"],
        party_name_key="democratic party of kazakhstan",
    )
    state.mention(
        a,
        4,
        "party",
        "Democratic Party of Kazakhstan",
        "Democratic Party of Kazakhstan",
        "democratic party of kazakhstan",
        ref_id="kz-dpk",
        country_id="KZ",
        party_kind="party",
        party_status="unregistered",
    )
    state.mention(
        a,
        5,
        "person",
        "Mamai",
        "Zhanbolat Mamai",
        "zhanbolat mamai",
        occurrence=1,
        country_id="KZ",
        roles=["party_leader"],
        party_name_key="democratic party of kazakhstan",
    )
    state.event(
        a,
        1,
        "election_called",
        "President Kassym-Jomart Tokayev of Kazakhstan called a snap "
        "parliamentary election for March 19, 2023",
        None,
        "unknown",
        [(1, "subject")],
    )
    state.event(
        a,
        2,
        "detention",
        "Opposition activist Zhanbolat Mamai was detained in Almaty on February 1, 2023.",
        date(2023, 2, 1),
        "day",
        [(3, "target")],
    )
    state.detention(
        a,
        1,
        "Opposition activist Zhanbolat Mamai was detained in Almaty on February 1, 2023.",
        event_no=2,
        detainee_mention_no=3,
        count=None,
        detained=date(2023, 2, 1),
        precision="day",
    )
    state.election(
        a,
        1,
        "parliamentary",
        "called a snap parliamentary election for March 19, 2023",
        date(2023, 3, 19),
        "day",
        is_snap=True,
    )
    state.election(
        a, 2, "referendum", "ahead of the January 10 referendum", None, "unknown", day_month="01-10"
    )

    b = ARTICLE_B
    state.mention(
        b,
        1,
        "person",
        "Qasym-Zhomart Toqaev",
        "Qasym-Zhomart Toqaev",
        "qasym zhomart toqaev",
        ref_id=TOKAYEV_REF,
        country_id="KZ",
    )
    state.mention(
        b, 2, "party", "Respublica", "Respublica", "respublica", ref_id="kz-respublica", country_id="KZ"
    )
    state.mention(b, 3, "person", "Mamai", "Mamai", "mamai")
    state.mention(
        b,
        4,
        "party",
        "Koshe party",
        "Koshe",
        "koshe",
        country_id="KZ",
        party_kind="movement",
        party_status="banned",
    )
    state.event(b, 1, "ban", "The Koshe party was banned.", None, "unknown", [(4, "target")])
    state.detention(
        b,
        1,
        "Nearly 80 people were detained after the protest.",
        event_no=None,
        detainee_mention_no=None,
        count=80,
        detained=None,
        precision="unknown",
    )
    state.election(
        b, 1, "parliamentary", "the March 19, 2023 parliamentary election", date(2023, 3, 19), "day"
    )
    state.election(b, 2, "referendum", "the January 10 referendum", None, "unknown", day_month="01-10")
    # The same result read twice is one fact.
    state.result(b, 1, 2, 8.5, "Respublica won 8.5 percent of the vote.")
    state.result(b, 1, 2, 8.5, "Respublica won 8.5 percent of the vote.")

    # A stale extractor version's rows for a current body: ignored by the marts.
    state.mention(b, 9, "person", "Respublica", "Respublica", "respublica", version="stale-0")
    con.close()
    return ids


def dbt_build(tmp: Path, state_db: Path, build_db: Path) -> tuple[bool, list[str]]:
    """`dbt build`, unit tests included, through the flow's own runner: it also closes the files
    dbt keeps open for the whole command (the profile's keep_open)."""
    from flows.transform import run_dbt

    outcome = run_dbt(["build"], state_db, build_db, tmp, EXTRACTOR_VERSION)
    return outcome.success, outcome.failures


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Built:
    tmp = tmp_path_factory.mktemp("dbt")
    ids = write_state(tmp / "home")
    build_db = tmp / "build.duckdb"
    success, failures = dbt_build(tmp, tmp / "home" / "state.duckdb", build_db)
    return Built(
        build_db=build_db, target_dir=tmp / "target", success=success, failures=failures, article_ids=ids
    )


@pytest.fixture(scope="module")
def marts(built: Built) -> duckdb.DuckDBPyConnection:
    assert built.success, built.failures
    con = duckdb.connect(str(built.build_db), read_only=True)
    yield con
    con.close()


def test_build_succeeds_with_every_test_passing(built: Built) -> None:
    assert built.success, built.failures
    assert built.failures == []


def test_unit_tests_and_data_tests_ran(built: Built) -> None:
    results = json.loads((built.target_dir / "run_results.json").read_text())["results"]
    kinds = {r["unique_id"].split(".")[0] for r in results}
    assert {"seed", "model", "test", "unit_test"} <= kinds


def test_every_model_and_column_is_described(built: Built, marts: duckdb.DuckDBPyConnection) -> None:
    manifest = json.loads((built.target_dir / "manifest.json").read_text())
    undocumented = []
    for node in manifest["nodes"].values():
        if node["resource_type"] != "model":
            continue
        described = {name for name, column in node["columns"].items() if column.get("description")}
        built_columns = marts.execute(
            "SELECT column_name FROM information_schema.columns WHERE table_schema = ? AND table_name = ?",
            [node["schema"], node["name"]],
        ).fetchall()
        undocumented += [f"{node['name']}.{c}" for (c,) in built_columns if c not in described]
        if not node.get("description"):
            undocumented.append(node["name"])
    assert undocumented == []


def test_schemas_are_exactly_the_layer_names(marts: duckdb.DuckDBPyConnection) -> None:
    schemas = {
        r[0] for r in marts.execute("SELECT DISTINCT table_schema FROM information_schema.tables").fetchall()
    }
    assert {"staging", "intermediate", "marts", "reference"} <= schemas
    assert not any(s.startswith("main_") for s in schemas)


@pytest.mark.parametrize("table", sorted(CONTRACT_COLUMNS))
def test_mart_has_contract_columns(marts: duckdb.DuckDBPyConnection, table: str) -> None:
    columns = {
        r[0]
        for r in marts.execute(
            "SELECT column_name FROM information_schema.columns WHERE table_schema = 'marts' AND table_name = ?",
            [table],
        ).fetchall()
    }
    assert set(CONTRACT_COLUMNS[table]) <= columns


def test_array_columns_are_varchar_lists(marts: duckdb.DuckDBPyConnection) -> None:
    types = dict(
        marts.execute(
            """SELECT table_name || '.' || column_name, data_type FROM information_schema.columns
               WHERE table_schema = 'marts' AND column_name IN ('aliases', 'roles')"""
        ).fetchall()
    )
    assert types == {
        "dim_actor.aliases": "VARCHAR[]",
        "dim_actor.roles": "VARCHAR[]",
        "dim_party.aliases": "VARCHAR[]",
    }


def test_only_current_article_versions(marts: duckdb.DuckDBPyConnection, built: Built) -> None:
    rows = marts.execute("SELECT article_id, document_id, body FROM marts.dim_article ORDER BY 1").fetchall()
    assert rows == [
        (built.article_ids["a"], "doc-a-v2", ARTICLE_A),
        (built.article_ids["b"], "doc-b", ARTICLE_B),
    ]
    surfaces = {r[0] for r in marts.execute("SELECT surface_text FROM marts.fct_mention").fetchall()}
    assert "Tokayev" not in surfaces  # only the outdated version said it this way


def test_stale_extractor_version_is_ignored(marts: duckdb.DuckDBPyConnection) -> None:
    assert marts.execute("SELECT count(*) FROM marts.fct_mention").fetchone() == (9,)
    assert marts.execute("SELECT count(*) FROM marts.dim_actor WHERE name = 'Respublica'").fetchone() == (0,)


def test_two_spellings_with_one_ref_id_are_one_actor(marts: duckdb.DuckDBPyConnection) -> None:
    rows = marts.execute(
        """SELECT actor_id, name, aliases, actor_type, country_id, roles, article_count
           FROM marts.dim_actor WHERE list_contains(aliases, 'Qasym-Zhomart Toqaev')"""
    ).fetchall()
    assert rows == [
        (
            md5(f"ref:{TOKAYEV_REF}"),
            "Kassym-Jomart Tokayev",
            ["Kassym-Jomart Tokayev", "Qasym-Zhomart Toqaev"],
            "person",
            "KZ",
            ["president"],
            2,
        )
    ]


def test_lone_surname_joins_the_unique_full_name(marts: duckdb.DuckDBPyConnection) -> None:
    rows = marts.execute(
        """SELECT a.name, a.aliases, a.roles, a.article_count, p.name
           FROM marts.dim_actor a LEFT JOIN marts.dim_party p USING (party_id)
           WHERE list_contains(a.aliases, 'Mamai')"""
    ).fetchall()
    assert rows == [
        (
            "Zhanbolat Mamai",
            ["Mamai", "Zhanbolat Mamai"],
            ["activist", "party_leader"],
            2,
            "Democratic Party of Kazakhstan",
        )
    ]
    assert marts.execute("SELECT count(*) FROM marts.dim_actor").fetchone() == (2,)


def test_mentions_point_at_their_entities(marts: duckdb.DuckDBPyConnection) -> None:
    rows = marts.execute(
        """SELECT entity_type, count(*), count(DISTINCT entity_id) FROM marts.fct_mention
           GROUP BY entity_type ORDER BY entity_type"""
    ).fetchall()
    assert rows == [("actor", 5, 2), ("country", 1, 1), ("party", 3, 3)]
    assert marts.execute(
        "SELECT entity_id FROM marts.fct_mention WHERE entity_type = 'country'"
    ).fetchall() == [("KZ",)]


def test_party_status_follows_the_text_then_the_reference(marts: duckdb.DuckDBPyConnection) -> None:
    rows = marts.execute(
        """SELECT name, kind, registration_status, country_id, first_seen_date, article_count
           FROM marts.dim_party ORDER BY name"""
    ).fetchall()
    assert rows == [
        ("Democratic Party of Kazakhstan", "party", "unregistered", "KZ", date(2023, 3, 20), 1),
        ("Koshe", "movement", "banned", "KZ", date(2023, 3, 21), 1),
        ("Respublica", "party", "registered", "KZ", date(2023, 3, 21), 1),
    ]


def test_one_dated_election_across_two_articles(marts: duckdb.DuckDBPyConnection) -> None:
    rows = marts.execute(
        """SELECT country_id, election_type, election_date, election_date_precision, is_snap, article_count
           FROM marts.fct_election ORDER BY election_type, article_count DESC"""
    ).fetchall()
    assert rows == [
        ("KZ", "parliamentary", date(2023, 3, 19), "day", True, 2),
        # undated: one per article, never merged across articles
        ("KZ", "referendum", None, "unknown", False, 1),
        ("KZ", "referendum", None, "unknown", False, 1),
    ]
    assert marts.execute("SELECT count(*) FROM marts.bridge_election_article").fetchone() == (4,)


def test_election_result_is_attached_once(marts: duckdb.DuckDBPyConnection, built: Built) -> None:
    rows = marts.execute(
        """SELECT e.election_type, p.name, r.actor_id, r.vote_share_pct, r.article_id
           FROM marts.fct_election_result r
           JOIN marts.fct_election e USING (election_id)
           JOIN marts.dim_party p USING (party_id)"""
    ).fetchall()
    assert rows == [("parliamentary", "Respublica", None, 8.5, built.article_ids["b"])]


def test_detentions_link_actor_event_or_group(marts: duckdb.DuckDBPyConnection) -> None:
    rows = marts.execute(
        """SELECT a.name, d.detainee_count, d.detained_date, d.detained_date_precision, e.event_type
           FROM marts.fct_detention d
           LEFT JOIN marts.dim_actor a USING (actor_id)
           LEFT JOIN marts.fct_event e USING (event_id)
           ORDER BY d.detainee_count NULLS FIRST"""
    ).fetchall()
    assert rows == [
        ("Zhanbolat Mamai", None, date(2023, 2, 1), "day", "detention"),
        (None, 80, None, "unknown", None),
    ]


def test_event_participants_resolve_to_entities(marts: duckdb.DuckDBPyConnection) -> None:
    rows = marts.execute(
        """SELECT e.event_type, b.entity_type, coalesce(a.name, p.name), b.role
           FROM marts.bridge_event_participant b
           JOIN marts.fct_event e USING (event_id)
           LEFT JOIN marts.dim_actor a ON b.entity_type = 'actor' AND a.actor_id = b.entity_id
           LEFT JOIN marts.dim_party p ON b.entity_type = 'party' AND p.party_id = b.entity_id
           ORDER BY 1"""
    ).fetchall()
    assert rows == [
        ("ban", "party", "Koshe", "target"),
        ("detention", "actor", "Zhanbolat Mamai", "target"),
        ("election_called", "actor", "Kassym-Jomart Tokayev", "subject"),
    ]


def test_ids_are_derived_from_content(marts: duckdb.DuckDBPyConnection, built: Built) -> None:
    a = built.article_ids["a"]
    start, end = span(ARTICLE_A, "Zhanbolat Mamai")
    assert marts.execute(
        "SELECT mention_id FROM marts.fct_mention WHERE article_id = ? AND char_start = ?", [a, start]
    ).fetchone() == (md5(f"{a}|person|{start}|{end}"),)
    assert marts.execute("SELECT party_id FROM marts.dim_party WHERE name = 'Koshe'").fetchone() == (
        md5("koshe"),
    )
    assert marts.execute(
        "SELECT election_id FROM marts.fct_election WHERE election_type = 'parliamentary'"
    ).fetchone() == (md5("KZ|parliamentary|2023-03-19|day"),)


def test_evidence_offsets_index_the_article_body(marts: duckdb.DuckDBPyConnection) -> None:
    for table, text in (
        ("fct_mention", "surface_text"),
        ("fct_event", "evidence_text"),
        ("fct_detention", "evidence_text"),
        ("bridge_election_article", "evidence_text"),
    ):
        bad = marts.execute(
            f"""SELECT count(*) FROM marts.{table} t JOIN marts.dim_article a USING (article_id)
                WHERE substr(a.body, t.char_start + 1, t.char_end - t.char_start) <> t.{text}"""
        ).fetchone()
        assert bad == (0,), table
