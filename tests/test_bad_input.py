"""Bad input: every raw file gets a clear answer, and none is ever lost.

Landing-level cases already in tests/test_land.py (empty, binary, NUL, cp1251, UTF-16, HTML,
JSON/JSONL, a 5 MB line, symlinks, odd names, a changed file) are not repeated here; this
file adds what they miss (reverts, mojibake, a 50 MB file, duplicates, the accounting of
a messy inbox) and one full pipeline run over a messy inbox.
"""

from __future__ import annotations

import hashlib
import json
import shutil
from datetime import datetime
from pathlib import Path

import duckdb
import pytest
import yaml

from flows.extract.store import CURRENT_ARTICLES_SQL, pending_articles
from flows.land import CURRENT_DOCUMENTS_SQL, MAX_ARTICLE_CHARS, land_inbox
from flows.landing.decode import MOJIBAKE_REPAIRED
from flows.paths import EXPECTATIONS_DIR, PUBLISHED_NAME, SAMPLE_CORPUS
from flows.state import connect_state

T0 = datetime(2024, 5, 1, 12, 0, 0)
T1 = datetime(2024, 5, 2, 12, 0, 0)
T2 = datetime(2024, 5, 3, 12, 0, 0)

STORY_A = "Court jails activist\n\nA court in Almaty jailed the activist Ivan Petrov for 10 days on Monday.\n"
STORY_B = "Court jails activist\n\nA court in Almaty jailed the activist Ivan Petrov for 15 days on Monday.\n"
RUSSIAN = (
    "Президент Казахстана Касым-Жомарт Токаев подписал указ о проведении досрочных парламентских "
    "выборов. Оппозиционные активисты заявили, что их кандидатов не допустили к регистрации."
)
KAZAKH = (
    "Қазақстан Республикасының Президенті бүгін сайлау туралы жаңа заңға қол қойды. "
    "Белсенділер бұл шешімді сынға алып, наразылық акциясын өткізетінін мәлімдеді."
)
ENGLISH_QUOTES = (
    "Kazakhstan’s president said on Monday that the “snap” parliamentary election — the first since "
    "the January unrest — would be held in March, and that the opposition was welcome to take part."
)


@pytest.fixture
def con(tmp_path: Path) -> duckdb.DuckDBPyConnection:
    connection = connect_state(tmp_path / "home")
    yield connection
    connection.close()


@pytest.fixture
def inbox(tmp_path: Path) -> Path:
    path = tmp_path / "inbox"
    path.mkdir()
    return path


def mojibake(text: str) -> str:
    """UTF-8 bytes read as Windows-1252 (its five undefined bytes kept as Latin-1 controls)."""
    return "".join(
        chr(b) if b in (0x81, 0x8D, 0x8F, 0x90, 0x9D) else bytes([b]).decode("cp1252")
        for b in text.encode("utf-8")
    )


def current_bodies(con: duckdb.DuckDBPyConnection) -> dict[str, str]:
    return dict(con.execute(f"SELECT source_uri, body FROM ({CURRENT_ARTICLES_SQL})").fetchall())


# ------------------------------------------------------------------------------- history: reverts


def test_a_reverted_file_becomes_current_again_and_keeps_its_history(con, inbox: Path) -> None:
    page = inbox / "story.txt"
    page.write_text(STORY_A, encoding="utf-8")
    land_inbox(inbox, con, "run-1", T0)
    page.write_text(STORY_B, encoding="utf-8")
    land_inbox(inbox, con, "run-2", T1)
    page.write_text(STORY_A, encoding="utf-8")
    reverted = land_inbox(inbox, con, "run-3", T2)

    assert reverted.documents_new == 1 and reverted.articles_new == 1
    history = con.execute(
        "SELECT run_id, content_sha256, document_id FROM raw.documents ORDER BY landed_at"
    ).fetchall()
    assert [run for run, _, _ in history] == ["run-1", "run-2", "run-3"]
    assert history[0][1] == history[2][1] != history[1][1], "A, then B, then A again"
    assert len({doc for _, _, doc in history}) == 3, "the revert is a new landing with its own id"
    assert "10 days" in current_bodies(con)["story.txt"]
    # the same content again is unchanged, and so is a second revert round trip
    assert land_inbox(inbox, con, "run-4", T2).documents_unchanged == 1
    page.write_text(STORY_B, encoding="utf-8")
    land_inbox(inbox, con, "run-5", datetime(2024, 5, 4))
    assert "15 days" in current_bodies(con)["story.txt"]
    assert con.execute("SELECT count(*) FROM raw.documents").fetchone()[0] == 4


def test_every_stage_picks_the_same_current_version(con, inbox: Path) -> None:
    for name in ("one.txt", "two.txt"):
        (inbox / name).write_text(STORY_A, encoding="utf-8")
    land_inbox(inbox, con, "run-1", T0)
    (inbox / "one.txt").write_text(STORY_B, encoding="utf-8")
    land_inbox(inbox, con, "run-2", T1)
    (inbox / "one.txt").write_text(STORY_A, encoding="utf-8")
    land_inbox(inbox, con, "run-3", T2)

    from_landing = {d for d, _, _ in con.execute(CURRENT_DOCUMENTS_SQL).fetchall()}
    from_extraction = {
        d for (d,) in con.execute(f"SELECT document_id FROM ({CURRENT_ARTICLES_SQL})").fetchall()
    }
    gate = yaml.safe_load((EXPECTATIONS_DIR / "landing.yml").read_text(encoding="utf-8"))["suites"][0][
        "query"
    ]
    # a full build's landing gate: everything landed since the epoch
    epoch = {"since": datetime(1970, 1, 1)}
    from_gate = {d for (d,) in con.execute(f"SELECT document_id FROM ({gate})", epoch).fetchall()}
    assert from_landing == from_extraction == from_gate and len(from_landing) == 2
    assert {b for b in current_bodies(con).values()} == {STORY_A.split("\n\n", 1)[1].strip()}
    # A's body is already known to the extraction cache: the revert costs no NLP
    assert len(pending_articles(con, "v-test")) == 1


# ------------------------------------------------------------------------------- encodings


def test_mojibake_is_repaired_and_recorded(con, inbox: Path) -> None:
    (inbox / "ru_mojibake.txt").write_text(mojibake(RUSSIAN), encoding="utf-8")
    (inbox / "en_mojibake.txt").write_text(mojibake(ENGLISH_QUOTES), encoding="utf-8")
    (inbox / "en_latin1_mojibake.txt").write_text(
        ENGLISH_QUOTES.encode("utf-8").decode("latin-1"), encoding="utf-8"
    )
    accented = "Le café de Zoë à Almaty, près de la Place de la République, était fermé lundi."
    (inbox / "accents.txt").write_text(accented, encoding="utf-8")
    land_inbox(inbox, con, "run-1", T0)
    docs = dict(con.execute("SELECT source_uri, encoding FROM raw.documents").fetchall())
    assert docs == {
        "ru_mojibake.txt": MOJIBAKE_REPAIRED,
        "en_mojibake.txt": MOJIBAKE_REPAIRED,
        "en_latin1_mojibake.txt": MOJIBAKE_REPAIRED,
        "accents.txt": "utf-8",
    }
    bodies = current_bodies(con)
    assert bodies["ru_mojibake.txt"] == RUSSIAN
    assert bodies["en_mojibake.txt"] == bodies["en_latin1_mojibake.txt"] == ENGLISH_QUOTES
    assert bodies["accents.txt"] == accented, "real accented text is left alone"
    languages = dict(con.execute("SELECT source_uri, language FROM raw.articles").fetchall())
    assert languages["ru_mojibake.txt"] == "ru" and languages["en_mojibake.txt"] == "en"


# ------------------------------------------------------------------------------- size


@pytest.mark.slow
def test_a_fifty_megabyte_article_is_quarantined_and_its_bytes_kept(con, inbox: Path) -> None:
    paragraph = "Police in Almaty detained several activists on Saturday after a rally, their lawyers said. "
    big = inbox / "dump.txt"
    with big.open("w", encoding="utf-8") as handle:
        number = 0
        while handle.tell() < 50_000_000:
            handle.write(f"Paragraph {number}. {paragraph * 4}\n\n")
            number += 1
    (inbox / "small.txt").write_text(STORY_A, encoding="utf-8")
    summary = land_inbox(inbox, con, "run-1", T0)
    assert summary.quarantined == 1 and summary.articles_new == 1
    source, sha, reason, raw_path = con.execute(
        "SELECT source_uri, content_sha256, reason, raw_path FROM ops.quarantine"
    ).fetchone()
    assert source == "dump.txt" and reason.startswith("article too long") and str(MAX_ARTICLE_CHARS) in reason
    digest = hashlib.sha256()
    with open(raw_path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    assert digest.hexdigest() == sha, "the path and sha256 in quarantine find the original bytes"
    assert set(current_bodies(con)) == {"small.txt"}


# ------------------------------------------------------------------------------- duplicates


def test_the_same_article_under_two_names_is_extracted_once(con, inbox: Path) -> None:
    (inbox / "story.txt").write_text(STORY_A, encoding="utf-8")
    (inbox / "copy of story.txt").write_text(STORY_A, encoding="utf-8")
    summary = land_inbox(inbox, con, "run-1", T0)
    assert summary.documents_new == 2 and summary.quarantined == 0
    rows = con.execute("SELECT article_id, content_sha256 FROM raw.articles").fetchall()
    assert len({a for a, _ in rows}) == 2 and len({s for _, s in rows}) == 1
    assert len(pending_articles(con, "v-test")) == 1, "one body, one NLP pass"


def test_the_same_story_from_two_outlets_lands_as_two_articles(con, inbox: Path) -> None:
    records = [
        {
            "source": "Steppe Daily",
            "title": "Activist jailed in Almaty",
            "text": "A court in Almaty on Monday jailed the activist Ivan Petrov for 10 days for joining a rally.",
        },
        {
            "source": "Orda Wire",
            "title": "Almaty court sends activist to jail",
            "text": "Ivan Petrov, an activist, was sentenced to ten days of administrative arrest in Almaty on Monday.",
        },
    ]
    (inbox / "wire.jsonl").write_text("\n".join(json.dumps(r) for r in records) + "\n", encoding="utf-8")
    land_inbox(inbox, con, "run-1", T0)
    rows = con.execute("SELECT source_name, content_sha256 FROM raw.articles ORDER BY source_uri").fetchall()
    assert [name for name, _ in rows] == ["Steppe Daily", "Orda Wire"]
    assert len({sha for _, sha in rows}) == 2 and len(pending_articles(con, "v-test")) == 2


# ------------------------------------------------------------------------------- accounting


def make_messy_inbox(inbox: Path, outside: Path, with_samples: bool = False) -> None:
    """Every kind of bad input beside good files, all made here."""
    if with_samples:
        for path in sorted(SAMPLE_CORPUS.iterdir()):
            shutil.copy2(path, inbox / path.name)
    (inbox / "empty.txt").write_bytes(b"")
    (inbox / "blank.txt").write_bytes(b"  \n\t \r\n")
    (inbox / "image.png").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4)
    (inbox / "scan.pdf").write_bytes(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj << >> endobj")
    (inbox / "bundle.zip").write_bytes(b"PK\x03\x04" + b"\x14\x00" * 40)
    (inbox / "invalid_utf8.txt").write_bytes(bytes([0x81, 0x8D, 0x8F, 0x90, 0x9D, 0x98, 0x20, 0x41]) * 16)
    (inbox / "ru_cp1251.txt").write_bytes(RUSSIAN.encode("cp1251"))
    (inbox / "kk.txt").write_text(KAZAKH, encoding="utf-8")
    (inbox / "en_utf16.txt").write_bytes(ENGLISH_QUOTES.encode("utf-16"))
    (inbox / "en_mojibake.txt").write_text(mojibake(ENGLISH_QUOTES), encoding="utf-8")
    (inbox / "page.html").write_text(
        "<!DOCTYPE html><html><head><title>Bishkek rally - Ala-Too News</title></head><body>"
        "<nav><a href='/'>Home</a></nav><article><h1>Bishkek rally dispersed</h1>"
        "<p>Police in Bishkek dispersed a rally outside the parliament on Wednesday and detained "
        "twelve protesters, the Interior Ministry said in a statement.</p><p>The protesters had "
        "demanded the release of the journalist Kanat Bekov, who was arrested last month.</p>"
        "</article><footer>© Ala-Too News</footer></body></html>",
        encoding="utf-8",
    )
    (inbox / "nav_only.html").write_text(
        "<html><body><nav><a href='/'>Home</a> | <a href='/news'>News</a></nav></body></html>",
        encoding="utf-8",
    )
    names = inbox / "odd names"
    names.mkdir()
    (names / 'it\'s "quoted"; DROP TABLE raw.articles;--.txt').write_text(STORY_A, encoding="utf-8")
    (names / "Жаңалықтар файл.txt").write_text(STORY_B, encoding="utf-8")
    (inbox / "leak.txt").symlink_to(outside)
    (inbox / "feed.jsonl").write_text(
        "\n".join(
            [
                json.dumps(
                    {
                        "text": "Tokayev signed the law on political parties on Monday, his office said.",
                        "source": "Akorda",
                    }
                ),
                '{"text": "unterminated',
                json.dumps({"text": "  "}),
                json.dumps(
                    {"text": "Protesters gathered in Zhanaozen on Tuesday to demand lower fuel prices."}
                ),
            ]
        )
        + "\n",
        encoding="utf-8",
    )


def unaccounted(con: duckdb.DuckDBPyConnection, inbox: Path) -> list[str]:
    """Files (and JSON records) under the inbox that are neither landed as articles nor quarantined."""
    landed = {u for (u,) in con.execute("SELECT DISTINCT source_uri FROM raw.articles").fetchall()}
    quarantined = {u for (u,) in con.execute("SELECT DISTINCT source_uri FROM ops.quarantine").fetchall()}
    known = landed | quarantined
    missing = []
    for path in sorted(inbox.rglob("*")):
        rel = path.relative_to(inbox).as_posix()
        if path.is_dir() and not path.is_symlink():
            continue
        if path.suffix == ".jsonl":
            numbers = [n for n, line in enumerate(path.read_text().split("\n"), 1) if line.strip()]
            missing += [f"{rel}#{n}" for n in numbers if f"{rel}#{n}" not in known]
        elif rel not in known:
            missing.append(rel)
    return missing


def test_every_file_of_a_messy_inbox_is_landed_or_quarantined(con, inbox: Path, tmp_path: Path) -> None:
    outside = tmp_path / "outside.txt"
    outside.write_text("Private notes outside the inbox that must never be landed.", encoding="utf-8")
    make_messy_inbox(inbox, outside)
    summary = land_inbox(inbox, con, "run-1", T0)
    assert unaccounted(con, inbox) == []
    files = [p for p in inbox.rglob("*") if not p.is_dir() or p.is_symlink()]
    assert summary.files_seen == len(files)
    reasons = dict(con.execute("SELECT source_uri, reason FROM ops.quarantine").fetchall())
    assert set(reasons) == {
        "empty.txt",
        "blank.txt",
        "image.png",
        "scan.pdf",
        "bundle.zip",
        "invalid_utf8.txt",
        "nav_only.html",
        "leak.txt",
        "feed.jsonl#2",
        "feed.jsonl#3",
    }
    assert all(reason.strip() for reason in reasons.values())
    landed = dict(con.execute("SELECT source_uri, language FROM raw.articles").fetchall())
    assert landed["ru_cp1251.txt"] == "ru" and landed["kk.txt"] == "kk" and landed["en_utf16.txt"] == "en"
    assert not any("Private notes" in b for b in current_bodies(con).values())
    # a second pass adds nothing and quarantines nothing twice
    again = land_inbox(inbox, con, "run-2", T1)
    assert again.documents_new == 0 and again.quarantined == 0 and unaccounted(con, inbox) == []


LANDED_ROWS = {
    "raw.documents": "SELECT document_id, source_uri, content_sha256, encoding, media_type, language "
    "FROM raw.documents ORDER BY document_id",
    "raw.articles": "SELECT article_id, document_id, title, body, language, published_date, source_name "
    "FROM raw.articles ORDER BY article_id",
    "ops.quarantine": "SELECT source_uri, content_sha256, reason FROM ops.quarantine ORDER BY 1, 2",
}


def landed_rows(con: duckdb.DuckDBPyConnection) -> dict[str, list[tuple]]:
    return {table: con.execute(query).fetchall() for table, query in LANDED_ROWS.items()}


def test_landing_workers_land_what_the_flow_process_lands(inbox: Path, tmp_path: Path, monkeypatch) -> None:
    """A big inbox is cut into articles by worker processes: same rows, same order of history."""
    import flows.land

    outside = tmp_path / "outside.txt"
    outside.write_text("Private notes outside the inbox.", encoding="utf-8")
    make_messy_inbox(inbox, outside, with_samples=True)
    results = {}
    for name, threshold in (("in_process", 10**9), ("workers", 1)):
        monkeypatch.setattr(flows.land, "MIN_FILES_FOR_WORKERS", threshold)
        monkeypatch.setattr(flows.land, "CUT_HERE_FIRST", 0)
        assert (flows.land.landing_workers(25) >= 2) == (name == "workers")
        connection = connect_state(tmp_path / name)
        try:
            land_inbox(inbox, connection, "run-1", T0)
            results[name] = landed_rows(connection)
        finally:
            connection.close()
    assert results["workers"] == results["in_process"]
    assert len(results["workers"]["raw.articles"]) >= 10


def test_a_big_inbox_with_few_new_files_starts_no_landing_worker(
    inbox: Path, tmp_path: Path, monkeypatch
) -> None:
    """Workers are for cutting many files: a rerun over a big landed inbox cuts the few new ones here."""
    import flows.land

    started = []

    class CountingPool(flows.land.ProcessPoolExecutor):
        def __init__(self, *args, **kwargs) -> None:
            started.append(args)
            super().__init__(*args, **kwargs)

    monkeypatch.setattr(flows.land, "ProcessPoolExecutor", CountingPool)
    monkeypatch.setattr(flows.land, "MIN_FILES_FOR_WORKERS", 1)
    monkeypatch.setattr(flows.land, "CUT_HERE_FIRST", 2)
    for n in range(4):
        (inbox / f"story{n}.txt").write_text(f"{STORY_A}\n\nUpdate {n}.", encoding="utf-8")
    connection = connect_state(tmp_path / "state")
    try:
        first = land_inbox(inbox, connection, "run-1", T0)
        assert first.documents_new == 4 and len(started) == 1, "four files to cut: workers start"
        (inbox / "story4.txt").write_text(STORY_B, encoding="utf-8")
        second = land_inbox(inbox, connection, "run-2", T0)
        assert second.documents_new == 1 and second.documents_unchanged == 4
        assert len(started) == 1, "one new file among landed ones: cut here, no worker started"
    finally:
        connection.close()


def test_a_file_the_parser_chokes_on_is_quarantined_not_fatal(con, inbox: Path, monkeypatch) -> None:
    import flows.land

    def choke(rel_path: str, data: bytes, sha: str):
        if rel_path == "bad.txt":
            raise ValueError("parser bug")
        return real(rel_path, data, sha)

    real = flows.land.prepare_file
    monkeypatch.setattr(flows.land, "prepare_file", choke)
    (inbox / "bad.txt").write_text(STORY_A, encoding="utf-8")
    (inbox / "good.txt").write_text(STORY_B, encoding="utf-8")
    summary = land_inbox(inbox, con, "run-1", T0)
    assert summary.documents_new == 1 and summary.quarantined == 1
    [(uri, reason)] = con.execute("SELECT source_uri, reason FROM ops.quarantine").fetchall()
    assert uri == "bad.txt" and reason == "could not be parsed: ValueError: parser bug"


def test_a_file_whose_worker_failed_is_prepared_again_in_the_flow_process(con, inbox: Path) -> None:
    from concurrent.futures import Future

    from flows.land import InboxEntry, _Lander, _Pending

    (inbox / "story.txt").write_text(STORY_A, encoding="utf-8")
    lander = _Lander(con=con, run_id="run-1", landed_at=T0)
    entry = InboxEntry("story.txt", inbox / "story.txt")
    data, sha, is_json = lander.read(entry)
    died: Future = Future()
    died.set_exception(RuntimeError("worker process died"))
    lander.apply(_Pending(entry, data, sha, is_json, died))
    lander.flush()
    assert lander.summary.documents_new == 1 and lander.summary.quarantined == 0
    assert con.execute("SELECT count(*) FROM raw.articles").fetchone()[0] == 1


# ------------------------------------------------------------------------------- the whole pipeline


@pytest.mark.slow
def test_a_full_run_over_a_messy_inbox_publishes_and_accounts_for_everything(
    prefect_server, tmp_path: Path, capsys, monkeypatch
) -> None:
    from flows.pipeline import steppewatch_run
    from flows.status import print_status

    inbox, home = tmp_path / "inbox", tmp_path / "home"
    inbox.mkdir()
    outside = tmp_path / "outside.txt"
    outside.write_text("Private notes outside the inbox that must never be landed.", encoding="utf-8")
    make_messy_inbox(inbox, outside, with_samples=True)
    # Every sample article on one line, no break at all: cut into sentence windows for NLP.
    flat = " ".join(
        " ".join(p.read_text(encoding="utf-8").split()) for p in sorted(SAMPLE_CORPUS.glob("*.txt"))
    )
    (inbox / "one_line.txt").write_text((flat + " ") * (120_000 // len(flat) + 1), encoding="utf-8")

    summary = steppewatch_run(inbox=str(inbox), home=str(home))
    assert summary.status == "published"
    assert summary.documents_quarantined == 10

    state = duckdb.connect(str(home / "state.duckdb"), read_only=True)
    try:
        assert unaccounted(state, inbox) == []
        stages = dict(state.execute("SELECT source_uri, stage FROM ops.quarantine").fetchall())
        assert set(stages.values()) == {"land"} and "one_line.txt" not in stages
        # Kazakh bodies are recorded as extracted (so never re-queued) but yield no mentions; Russian
        # ones go to the Russian path ('Президент Казахстана Касым-Жомарт Токаев': a person, a country).
        foreign = state.execute(
            """SELECT a.language, count(m.mention_no), count(DISTINCT e.content_sha256)
               FROM raw.articles a LEFT JOIN nlp.mentions m USING (content_sha256)
               LEFT JOIN nlp.extractions e USING (content_sha256)
               WHERE a.language IN ('ru', 'kk') GROUP BY a.language ORDER BY a.language"""
        ).fetchall()
        assert foreign == [("kk", 0, 1), ("ru", 2, 1)]
        # Every current body went through NLP or is quarantined at the extract stage with a reason.
        not_extracted = state.execute(
            f"""SELECT source_uri FROM ({CURRENT_ARTICLES_SQL}) a
                WHERE content_sha256 NOT IN (SELECT content_sha256 FROM nlp.extractions)
                AND source_uri NOT IN (SELECT source_uri FROM ops.quarantine WHERE stage = 'extract')"""
        ).fetchall()
        assert not_extracted == []
        one_line_mentions = state.execute(
            """SELECT count(*) FROM nlp.mentions JOIN raw.articles a USING (content_sha256)
               WHERE a.source_uri = 'one_line.txt'"""
        ).fetchone()[0]
        assert one_line_mentions > 100, "the line without breaks went through NLP"
    finally:
        state.close()

    published = duckdb.connect(str(home / PUBLISHED_NAME), read_only=True)
    try:
        articles = dict(published.execute("SELECT source_uri, language FROM marts.dim_article").fetchall())
        assert articles["ru_cp1251.txt"] == "ru" and articles["kk.txt"] == "kk"
        assert 'odd names/it\'s "quoted"; DROP TABLE raw.articles;--.txt' in articles
        assert "odd names/Жаңалықтар файл.txt" in articles and "page.html" in articles
        assert "one_line.txt" in articles
        quarantined = published.execute("SELECT count(*) FROM ops.quarantine").fetchone()[0]
        assert quarantined >= 10
    finally:
        published.close()

    capsys.readouterr()
    monkeypatch.setenv("COLUMNS", "400")  # rich folds long reasons in a narrow console
    assert print_status(home) == 0
    shown = capsys.readouterr().out
    assert "Quarantine" in shown and "binary file (PNG" in shown and "malformed JSON line" in shown


# ------------------------------------------------------------------------------- security

SECRET_PATTERNS = (
    r"-----BEGIN [A-Z ]*PRIVATE KEY-----",
    r"\bAKIA[0-9A-Z]{16}\b",  # AWS access key id
    r"\bgh[pousr]_[A-Za-z0-9]{36,}\b",  # GitHub token
    r"\bsk-[A-Za-z0-9]{32,}\b",  # API secret keys
    r"\bxox[abpr]-[A-Za-z0-9-]{10,}\b",  # Slack token
    r"(?i)\b(password|passwd|secret|api_key|token)\s*[:=]\s*['\"][^'\"\s]{8,}['\"]",
)


def test_no_secret_is_committed() -> None:
    import re
    import subprocess

    from flows.paths import PROJECT_ROOT

    files = subprocess.run(
        ["git", "ls-files", "-co", "--exclude-standard"],
        cwd=PROJECT_ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split("\n")
    patterns = [re.compile(p) for p in SECRET_PATTERNS]
    hits = []
    for name in filter(None, files):
        path = PROJECT_ROOT / name
        if not path.is_file() or path.stat().st_size > 5_000_000:
            continue
        text = path.read_text(encoding="utf-8", errors="replace")
        hits += [f"{name}: {p.pattern}" for p in patterns if p.search(text)]
    assert hits == []
