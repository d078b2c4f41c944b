"""Landing into a real state database: samples, history, formats, encodings and rejects."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
from datetime import UTC, date, datetime
from pathlib import Path

import duckdb
import pytest

from flows.land import MAX_FILE_BYTES, LandingSummary, land_inbox
from flows.paths import SAMPLE_CORPUS
from flows.state import connect_state

T0 = datetime(2024, 5, 1, 12, 0, 0)
T1 = datetime(2024, 5, 2, 12, 0, 0)

SAMPLE_TITLES = {
    "000_e2eec6e96b2da718.txt": [
        "New Civilian Movement Established in Kazakhstan Says It Will Create ‘Real’ Change"
    ],
    "002_a4ef0d515d4d16b2.txt": ["Kazakh Opposition Group Allowed To Hold Rally Challenging Upcoming Polls"],
    "003_720bbb4221f4edbe.txt": ["What Do Protesting Moods in Kazakhstan Tell About?"],
    "004_e60a24f560e8e275.txt": [
        "New run in Kazakhstan?",
        "Chronicles of Revolt in Kyrgyzstan: Implications and Consequences",
        "The State of Human rights in Kyrgyzstan, Kazakhstan and Uzbekistan: Principles vs. Practices",
        "Kazakhstan’s government is determined to enhance engagement with civil society",
    ],
}
SIDEBAR_HEADLINES = [
    "Arthashastra",
    "Goodbye, the ISS",
    "Climate Summit",
    "The US-Iran deal",
    "Teen Driver",
    "Vaccine for All",
    "Russia Increases Its Defense",
]
# No paragraph may be one of these (whole furniture lines on the sample pages) ...
BOILERPLATE_LINES = [
    "Accessibility links",
    "Breaking News",
    "Connect with us",
    "please wait",
    "0:00",
    "See also:",
    "©",
    "Continue Reading",
    "Latest",
    "Trending",
    "Publications",
    "Central Asia",
    "Civil movement",
    "Published",
    "RFE/RL's Kazakh Service",
]
# ... and these phrases appear nowhere in a body.
BOILERPLATE = [
    "Follow us on",
    "No media source currently available",
    "0:02:19",
    "See also:",
    "Photo: RFE/RL",
    "Photo courtesy of",
    "Photo: sputniknews",
    "©",
    "Please make active links",
    "Continue Reading",
    "Spelling error report",
    "Ctrl+Enter",
    "The following text will be sent to our editors",
    "16x9 Image",
    "offers informed and accurate reporting",
    "undesirable organization",
    "click here",
    "mins ago",
    "hours ago",
    "Joe Biden",
    "Kazakh Women Shave Heads",  # the title of an embedded video
    "A Democratic Party supporter holds a single-person protest",  # a photo caption
    "do not reflect the position",
]


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


@pytest.fixture
def samples(tmp_path: Path, con: duckdb.DuckDBPyConnection) -> LandingSummary:
    inbox = tmp_path / "samples"
    shutil.copytree(SAMPLE_CORPUS, inbox)
    return land_inbox(inbox, con, "run-1", T0)


def articles(con: duckdb.DuckDBPyConnection) -> list[dict]:
    cur = con.execute("SELECT * FROM raw.articles ORDER BY source_uri, ordinal, landed_at")
    names = [d[0] for d in cur.description]
    return [dict(zip(names, row, strict=True)) for row in cur.fetchall()]


def quarantine(con: duckdb.DuckDBPyConnection) -> dict[str, str]:
    return dict(con.execute("SELECT source_uri, reason FROM ops.quarantine ORDER BY source_uri").fetchall())


def count(con: duckdb.DuckDBPyConnection, table: str) -> int:
    return con.execute(f"SELECT count(*) FROM {table}").fetchone()[0]


# ------------------------------------------------------------------------------- samples


def test_samples_give_the_eight_gold_articles(
    samples: LandingSummary, con: duckdb.DuckDBPyConnection
) -> None:
    assert samples.files_seen == 5
    assert samples.documents_new == 5
    assert samples.articles_new == 8
    rows = articles(con)
    assert len(rows) == 8
    for file, expected in SAMPLE_TITLES.items():
        titles = [r["title"] or "" for r in rows if r["source_uri"] == file]
        assert len(titles) == len(expected), file
        for gold, title in zip(expected, titles, strict=True):
            assert gold.lower() in title.lower()
    untitled = [r for r in rows if r["source_uri"] == "001_fc72f76237f2f506.txt"]
    assert len(untitled) == 1 and untitled[0]["body"].startswith("Article 23 of the Kazakh")


def test_sidebar_and_section_labels_are_not_articles(samples: LandingSummary, con) -> None:
    titles = [(r["title"] or "").lower() for r in articles(con)]
    for headline in SIDEBAR_HEADLINES:
        assert not any(headline.lower() in t for t in titles)
    assert "civil movement" not in titles and "central asia" not in titles
    assert all(not t.startswith("publications") for t in titles)


def test_boilerplate_is_absent_from_bodies(samples: LandingSummary, con) -> None:
    for row in articles(con):
        for junk in BOILERPLATE + SIDEBAR_HEADLINES:
            assert junk.lower() not in row["body"].lower(), (row["source_uri"], row["ordinal"], junk)
        for paragraph in row["body"].split("\n\n"):
            assert paragraph not in BOILERPLATE_LINES, (row["source_uri"], paragraph)
            assert not paragraph.startswith(("See also", "©", "0:00", "Photo")), (
                row["source_uri"],
                paragraph,
            )


def test_article_rows_honour_the_body_contract(samples: LandingSummary, con) -> None:
    rows = articles(con)
    for row in rows:
        body = row["body"]
        assert body == body.strip() and "\n\n\n" not in body
        assert row["char_count"] == len(body)
        assert row["content_sha256"] == hashlib.sha256(body.encode("utf-8")).hexdigest()
        expected_id = hashlib.sha256(f"{row['source_uri']}#{row['ordinal']}".encode()).hexdigest()[:16]
        assert row["article_id"] == expected_id
        assert row["language"] == "en"
        assert row["title"] is None or row["title"] not in body.split("\n\n")[0]
        assert row["published_date"] is None and row["published_date_precision"] == "unknown"
    first = next(r for r in rows if r["source_uri"].startswith("000_"))
    assert first["body"].startswith("ALMATY, Kazakhstan – A group of activists")
    assert "\n\nThe group, led by former diplomat" in first["body"]
    cabar = next(r for r in rows if r["source_uri"].startswith("003_"))
    assert cabar["source_name"].startswith("CABAR")
    assert "Longing for changes" in cabar["body"]  # a sub-heading is content


def test_documents_rows(samples: LandingSummary, con, tmp_path: Path) -> None:
    docs = con.execute(
        "SELECT document_id, source_uri, content_sha256, size_bytes, encoding, media_type, language, raw_path, "
        "landed_at, run_id FROM raw.documents ORDER BY source_uri"
    ).fetchall()
    assert len(docs) == 5
    for doc_id, uri, sha, size, encoding, media_type, language, raw_path, landed_at, run_id in docs:
        raw = Path(raw_path).read_bytes()
        assert Path(raw_path).is_absolute() and Path(raw_path).name == uri
        assert sha == hashlib.sha256(raw).hexdigest() and size == len(raw)
        assert doc_id == hashlib.sha256(f"{uri}|{sha}".encode()).hexdigest()[:16]
        assert (encoding, media_type, language) == ("utf-8", "text/plain", "en")
        assert landed_at == T0 and run_id == "run-1"


# ------------------------------------------------------------------------------- history


def test_landing_twice_adds_nothing(samples: LandingSummary, con, tmp_path: Path) -> None:
    again = land_inbox(tmp_path / "samples", con, "run-2", T1)
    assert again.documents_new == 0 and again.articles_new == 0 and again.quarantined == 0
    assert again.documents_unchanged == 5
    assert count(con, "raw.documents") == 5 and count(con, "raw.articles") == 8


def test_changed_file_adds_a_version_and_keeps_the_old(con, inbox: Path) -> None:
    page = inbox / "story.txt"
    page.write_text("Court jails activist\n\nA court in Almaty jailed an activist for 10 days on Monday.\n")
    land_inbox(inbox, con, "run-1", T0)
    page.write_text("Court jails activist\n\nA court in Almaty jailed an activist for 15 days on Monday.\n")
    summary = land_inbox(inbox, con, "run-2", T1)
    assert summary.documents_new == 1 and summary.articles_new == 1
    rows = articles(con)
    assert [r["run_id"] for r in rows] == ["run-1", "run-2"]
    assert rows[0]["article_id"] == rows[1]["article_id"]  # stable per (source_uri, ordinal)
    assert rows[0]["document_id"] != rows[1]["document_id"]
    assert "10 days" in rows[0]["body"] and "15 days" in rows[1]["body"]
    assert count(con, "raw.documents") == 2


def test_tz_aware_landed_at_is_stored_as_utc(con, inbox: Path) -> None:
    (inbox / "a.txt").write_text("The president of Kazakhstan signed the decree on Monday.")
    land_inbox(inbox, con, "run-1", datetime(2024, 5, 1, 18, 0, tzinfo=UTC))
    assert con.execute("SELECT landed_at FROM raw.documents").fetchone()[0] == datetime(2024, 5, 1, 18, 0)


# ------------------------------------------------------------------------------- formats


HTML_PAGE = """<!DOCTYPE html>
<html><head><title>Kazakh court jails activist - Steppe Daily</title>
<meta property="og:site_name" content="Steppe Daily">
<meta property="article:published_time" content="2021-04-21T10:00:00+06:00">
</head><body>
<nav><ul><li><a href="/">Home</a></li><li><a href="/politics">Politics</a></li></ul></nav>
<article>
<h1>Kazakh court jails activist</h1>
<p>ALMATY, Kazakhstan – A court in Almaty sentenced an activist to 15 days in jail on Tuesday for taking
part in an unsanctioned rally, his lawyer said.</p>
<p>The activist, who had called for the release of political prisoners, denied wrongdoing and said he
would appeal the ruling, which rights groups called politically motivated.</p>
<p>Follow us on Telegram</p>
</article>
<footer><p>© 2021 Steppe Daily. All rights reserved.</p></footer>
</body></html>
"""


def test_html_page_gives_body_title_date_and_outlet(con, inbox: Path) -> None:
    (inbox / "page.html").write_text(HTML_PAGE, encoding="utf-8")
    land_inbox(inbox, con, "run-1", T0)
    [row] = articles(con)
    assert row["title"] == "Kazakh court jails activist"
    assert row["published_date"] == date(2021, 4, 21) and row["published_date_precision"] == "day"
    assert row["source_name"] == "Steppe Daily"
    assert row["body"].startswith("ALMATY, Kazakhstan – A court in Almaty")
    for junk in ("Home", "Politics\n", "Follow us", "All rights reserved", "Kazakh court jails activist"):
        assert junk not in row["body"]
    media_type = con.execute("SELECT media_type FROM raw.documents").fetchone()[0]
    assert media_type == "text/html"


def test_json_array_lands_one_document_per_record(con, inbox: Path) -> None:
    records = [
        {
            "text": "Police in Bishkek detained three journalists on Friday after a raid on their office.",
            "title": "Journalists detained in Bishkek",
            "url": "https://example.org/a",
            "published": "2022-01-19",
            "source": "Example Wire",
        },
        {"title": "no text"},
        {
            "text": "The Central Election Commission announced the results on Sunday.",
            "published": "March 2023",
        },
    ]
    (inbox / "batch.json").write_text(json.dumps(records), encoding="utf-8")
    summary = land_inbox(inbox, con, "run-1", T0)
    assert summary.documents_new == 2 and summary.quarantined == 1
    rows = articles(con)
    assert [r["source_uri"] for r in rows] == ["batch.json#0", "batch.json#2"]
    first, second = rows
    assert first["title"] == "Journalists detained in Bishkek" and first["url"] == "https://example.org/a"
    assert first["source_name"] == "Example Wire"
    assert (first["published_date"], first["published_date_precision"]) == (date(2022, 1, 19), "day")
    assert (second["published_date"], second["published_date_precision"]) == (date(2023, 3, 1), "month")
    assert quarantine(con) == {"batch.json#1": "JSON record without text"}


def test_jsonl_bad_line_is_quarantined_alone(con, inbox: Path) -> None:
    lines = [
        json.dumps({"text": "Tokayev signed the law on political parties on Monday, his office said."}),
        '{"text": "unterminated',
        "",
        json.dumps({"text": "   "}),
        json.dumps(["not", "an", "object"]),
        json.dumps({"text": "Protesters gathered in Zhanaozen on Tuesday to demand lower fuel prices."}),
    ]
    (inbox / "feed.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    summary = land_inbox(inbox, con, "run-1", T0)
    assert summary.documents_new == 2 and summary.quarantined == 3
    assert [r["source_uri"] for r in articles(con)] == ["feed.jsonl#1", "feed.jsonl#6"]
    rejected = quarantine(con)
    assert rejected["feed.jsonl#2"].startswith("malformed JSON line")
    assert rejected["feed.jsonl#4"] == "JSON record with empty text"
    assert "not an object" in rejected["feed.jsonl#5"]
    # an edited line re-lands only that line
    lines[0] = json.dumps({"text": "Tokayev signed the amended law on political parties on Monday."})
    (inbox / "feed.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    again = land_inbox(inbox, con, "run-2", T1)
    assert again.documents_new == 1 and again.documents_unchanged == 1 and again.quarantined == 0


# ------------------------------------------------------------------------------- encodings


def test_legacy_cyrillic_and_utf16_and_bom(con, inbox: Path) -> None:
    russian = "Президент Казахстана Касым-Жомарт Токаев подписал указ о проведении досрочных выборов."
    kazakh = "Қазақстан Республикасының Президенті бүгін сайлау туралы жаңа заңға қол қойды."
    english = "The president of Kazakhstan signed a decree on early parliamentary elections."
    (inbox / "ru.txt").write_bytes(russian.encode("cp1251"))
    (inbox / "kk.txt").write_bytes(kazakh.encode("utf-8"))
    (inbox / "u16.txt").write_bytes(english.encode("utf-16"))  # with BOM
    (inbox / "bom.txt").write_bytes(b"\xef\xbb\xbf" + english.encode("utf-8"))
    land_inbox(inbox, con, "run-1", T0)
    docs = {
        uri: (encoding, language)
        for uri, encoding, language in con.execute(
            "SELECT source_uri, encoding, language FROM raw.documents"
        ).fetchall()
    }
    assert docs["ru.txt"] == ("cp1251", "ru")
    assert docs["kk.txt"] == ("utf-8", "kk")
    assert docs["u16.txt"][0].startswith("utf-16") and docs["u16.txt"][1] == "en"
    assert docs["bom.txt"] == ("utf-8-sig", "en")
    bodies = {r["source_uri"]: r["body"] for r in articles(con)}
    assert bodies["ru.txt"] == russian and bodies["u16.txt"] == english and bodies["bom.txt"] == english


def test_empty_binary_and_undecodable_files_are_quarantined_once(con, inbox: Path) -> None:
    (inbox / "empty.txt").write_bytes(b"")
    (inbox / "blank.txt").write_bytes(b" \n\t\r\n")
    (inbox / "photo.txt").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)))
    (inbox / "scan.pdf").write_bytes(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj")
    (inbox / "bundle.zip").write_bytes(b"PK\x03\x04" + b"\x14\x00" * 20)
    (inbox / "nul.txt").write_bytes(b"some text\x00more")
    (inbox / "garbage.txt").write_bytes(bytes([0x81, 0x8D, 0x8F, 0x90, 0x9D, 0x98, 0x20, 0x41]) * 16)
    (inbox / "nav_only.txt").write_text("Accessibility links\n\nShare\n\nFollow us on Facebook\n")
    summary = land_inbox(inbox, con, "run-1", T0)
    assert summary.documents_new == 0 and summary.quarantined == 8
    rejected = quarantine(con)
    assert rejected["empty.txt"] == "empty file"
    assert rejected["blank.txt"] == "whitespace-only file"
    assert (
        "PNG" in rejected["photo.txt"] and "PDF" in rejected["scan.pdf"] and "ZIP" in rejected["bundle.zip"]
    )
    assert "NUL" in rejected["nul.txt"]
    assert rejected["garbage.txt"].startswith("undecodable")
    assert "no article text" in rejected["nav_only.txt"]
    raw_paths = con.execute("SELECT raw_path FROM ops.quarantine").fetchall()
    assert all(Path(p).is_absolute() for (p,) in raw_paths)
    again = land_inbox(inbox, con, "run-2", T1)
    assert again.quarantined == 0 and again.quarantine_known == 8
    assert count(con, "ops.quarantine") == 8
    # fixed content lands; the quarantine row stays as history
    (inbox / "empty.txt").write_text("The opposition rally in Almaty was dispersed by police on Saturday.")
    fixed = land_inbox(inbox, con, "run-3", T1)
    assert fixed.documents_new == 1 and count(con, "ops.quarantine") == 8


def test_too_large_file_is_quarantined_without_reading(con, inbox: Path) -> None:
    with (inbox / "huge.txt").open("wb") as handle:
        handle.truncate(MAX_FILE_BYTES + 1)  # sparse: cheap to create
    summary = land_inbox(inbox, con, "run-1", T0)
    assert summary.quarantined == 1
    assert quarantine(con)["huge.txt"].startswith("too large")


def test_a_five_megabyte_line_lands(con, inbox: Path) -> None:
    sentence = "Activists in Almaty said the police detained them near the square. "
    (inbox / "long.txt").write_text(sentence * (5_000_000 // len(sentence)), encoding="utf-8")
    summary = land_inbox(inbox, con, "run-1", T0)
    assert summary.articles_new == 1
    assert articles(con)[0]["char_count"] > 4_900_000


# ------------------------------------------------------------------------------- the file tree


def test_symlink_outside_the_inbox_is_quarantined_not_read(con, inbox: Path, tmp_path: Path) -> None:
    outside = tmp_path / "outside.txt"
    outside.write_text("Secret text from outside the inbox that must never be landed.")
    (inbox / "leak.txt").symlink_to(outside)
    (inbox / "real.txt").write_text("The parliament of Kyrgyzstan approved the new cabinet on Wednesday.")
    (inbox / "alias.txt").symlink_to(inbox / "real.txt")  # inside: read through the link
    (inbox / "dangling.txt").symlink_to(tmp_path / "missing.txt")
    summary = land_inbox(inbox, con, "run-1", T0)
    rejected = quarantine(con)
    assert "outside the inbox" in rejected["leak.txt"] and "symlink" in rejected["dangling.txt"]
    assert con.execute(
        "SELECT content_sha256 FROM ops.quarantine WHERE source_uri = 'leak.txt'"
    ).fetchone() == (None,)
    assert not any("Secret" in r["body"] for r in articles(con))
    assert {r["source_uri"] for r in articles(con)} == {"alias.txt", "real.txt"}
    assert summary.files_seen == 4
    assert land_inbox(inbox, con, "run-2", T1).quarantined == 0


def test_odd_file_names_hidden_files_and_sorted_walk(con, inbox: Path) -> None:
    names = ['it\'s "quoted".txt', "semi;colon; DROP TABLE raw.documents;--.txt", "пробел файл.txt"]
    nested = inbox / "b dir" / "ü"
    nested.mkdir(parents=True)
    for i, name in enumerate(names):
        (nested / name).write_text(
            f"Story {i}: the court in Astana fined the blogger on Monday, his lawyer said."
        )
    (inbox / "a.txt").write_text("The Kazakh senate approved the bill on Thursday, officials said.")
    (inbox / ".DS_Store").write_bytes(b"\x00\x01binary")
    (inbox / ".git").mkdir()
    (inbox / ".git" / "HEAD").write_text("ref: refs/heads/main")
    summary = land_inbox(inbox, con, "run-1", T0)
    assert summary.files_seen == 4 and summary.documents_new == 4 and summary.quarantined == 0
    uris = [u for (u,) in con.execute("SELECT source_uri FROM raw.documents ORDER BY rowid").fetchall()]
    assert uris == ["a.txt", *sorted(f"b dir/ü/{n}" for n in names)]
    assert count(con, "raw.documents") == 4  # the DROP in a file name is just a name


def test_date_line_near_the_top_and_no_invented_year(con, inbox: Path) -> None:
    (inbox / "dated.txt").write_text(
        "Opposition leader detained\n\nPublished on April 21, 2021\n\n"
        "Police in Almaty detained the opposition leader on Tuesday, his party said in a statement.\n"
    )
    (inbox / "undated.txt").write_text(
        "Rally planned\n\nNovember 5\n\nActivists said on Monday they would hold a rally in the capital.\n"
    )
    land_inbox(inbox, con, "run-1", T0)
    rows = {r["source_uri"]: r for r in articles(con)}
    dated = rows["dated.txt"]
    assert (dated["published_date"], dated["published_date_precision"]) == (date(2021, 4, 21), "day")
    assert "Published" not in dated["body"] and dated["title"] == "Opposition leader detained"
    undated = rows["undated.txt"]
    assert undated["published_date"] is None and undated["published_date_precision"] == "unknown"


def test_missing_inbox_raises(con, tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError):
        land_inbox(tmp_path / "nope", con, "run-1", T0)


def test_fifo_is_quarantined_not_read(con, inbox: Path) -> None:
    if not hasattr(os, "mkfifo"):
        pytest.skip("no FIFOs on this platform")
    os.mkfifo(inbox / "pipe.txt")
    summary = land_inbox(inbox, con, "run-1", T0)
    assert summary.quarantined == 1 and "not a regular file" in quarantine(con)["pipe.txt"]
