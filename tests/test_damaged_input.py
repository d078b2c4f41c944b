"""Damaged input keeps its good text: bad bytes, one endless line, broken HTML, code in pages,
and files that vanish, change or may not be read while the run reads them.

Every case starts from a real article of corpus/samples/ and damages it. Landing-level cases
call `land_inbox` on a small inbox; the long line goes through the real extractor.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from datetime import datetime
from pathlib import Path

import duckdb
import pytest

from flows.extract.store import CURRENT_ARTICLES_SQL
from flows.land import land_inbox
from flows.landing.decode import DAMAGED_UTF8
from flows.paths import PROJECT_ROOT, SAMPLE_CORPUS
from flows.state import connect_state

T0 = datetime(2024, 5, 1, 12, 0, 0)
REAL = sorted(SAMPLE_CORPUS.glob("*.txt"))
ARTICLE = REAL[0].read_text(encoding="utf-8")  # a short real article with curly quotes and dashes
PARAGRAPHS = [p.strip() for p in REAL[1].read_text(encoding="utf-8").splitlines() if len(p.strip()) > 80][:8]


@pytest.fixture
def home(tmp_path: Path) -> Path:
    return tmp_path / "home"


@pytest.fixture
def con(home: Path) -> duckdb.DuckDBPyConnection:
    connection = connect_state(home)
    yield connection
    connection.close()


@pytest.fixture
def inbox(tmp_path: Path) -> Path:
    path = tmp_path / "inbox"
    path.mkdir()
    return path


def current_bodies(con: duckdb.DuckDBPyConnection) -> dict[str, str]:
    return dict(con.execute(f"SELECT source_uri, body FROM ({CURRENT_ARTICLES_SQL})").fetchall())


def damage(data: bytes, every: int, bad: bytes = b"\xff") -> bytes:
    """Overwrite one ASCII letter in every `every` bytes with `bad` (a byte that is never UTF-8)."""
    out = bytearray(data)
    for position in range(every // 2, len(out), every):
        while position < len(out) and not chr(out[position]).isalpha():
            position += 1
        if position < len(out):
            out[position : position + 1] = bad
    return bytes(out)


# ------------------------------------------------------------------------------- bad bytes


def test_utf8_with_a_few_bad_bytes_lands_with_them_replaced_and_counted(con, inbox: Path) -> None:
    damaged = damage(ARTICLE.encode("utf-8"), every=400)
    bad_bytes = damaged.count(b"\xff")
    assert 3 <= bad_bytes <= 10
    (inbox / "damaged.txt").write_bytes(damaged)
    lines = [json.dumps({"text": p, "source": "Steppe Daily"}, ensure_ascii=False) for p in PARAGRAPHS[:3]]
    jsonl = "\n".join(lines).encode("utf-8")
    (inbox / "feed.jsonl").write_bytes(jsonl.replace(b"Kazakhstan", b"Kaz\xc3khstan", 1))

    summary = land_inbox(inbox, con, "run-1", T0)
    assert summary.quarantined == 0
    docs = {
        uri: (encoding, replaced)
        for uri, encoding, replaced in con.execute(
            "SELECT source_uri, encoding, decode_replacements FROM raw.documents"
        ).fetchall()
    }
    assert docs["damaged.txt"] == (DAMAGED_UTF8, bad_bytes)
    body = current_bodies(con)["damaged.txt"]
    assert body.count("\ufffd") == bad_bytes
    assert "Kazakhstan’s largest city" in body, "the valid multi-byte text around the damage is kept"
    damaged_line = [uri for uri, (_, replaced) in docs.items() if uri.startswith("feed.jsonl") and replaced]
    assert len(damaged_line) == 1 and docs[damaged_line[0]] == (DAMAGED_UTF8, 1)
    assert sum(1 for uri in docs if uri.startswith("feed.jsonl")) == 3, "every line lands"


def test_a_file_mostly_undecodable_is_quarantined_with_the_share(con, inbox: Path) -> None:
    text = ARTICLE.encode("utf-8")
    ruined = bytes(b if i % 5 == 0 else 0x81 + (i % 3) * 0x0C for i, b in enumerate(text))
    (inbox / "ruined.txt").write_bytes(ruined)
    (inbox / "good.txt").write_bytes(text)
    summary = land_inbox(inbox, con, "run-1", T0)
    assert summary.quarantined == 1 and summary.documents_new == 1
    [(uri, reason)] = con.execute("SELECT source_uri, reason FROM ops.quarantine").fetchall()
    assert uri == "ruined.txt" and reason.startswith("undecodable") and "bytes are not UTF-8" in reason


def test_status_warns_about_a_document_landed_with_replaced_bytes(
    home: Path, inbox: Path, capsys, monkeypatch
):
    from flows.status import print_status

    (inbox / "damaged.txt").write_bytes(damage(ARTICLE.encode("utf-8"), every=700))
    (inbox / "clean.txt").write_text(ARTICLE, encoding="utf-8")
    con = connect_state(home)
    try:
        land_inbox(inbox, con, "run-1", T0)
        replaced = con.execute(
            "SELECT decode_replacements FROM raw.documents WHERE source_uri = 'damaged.txt'"
        ).fetchone()[0]
    finally:
        con.close()
    monkeypatch.setenv("COLUMNS", "300")
    capsys.readouterr()
    print_status(home)
    warnings = [line for line in capsys.readouterr().out.splitlines() if line.startswith("Warning:")]
    assert warnings == [
        f"Warning: damaged.txt: {replaced} undecodable bytes replaced by U+FFFD (damaged UTF-8); "
        "the rest of its text is landed"
    ]


def test_a_state_database_from_before_gets_the_replacement_column(home: Path) -> None:
    home.mkdir()
    old = duckdb.connect(str(home / "state.duckdb"))
    old.execute("CREATE SCHEMA raw")
    old.execute(
        "CREATE TABLE raw.documents (document_id VARCHAR PRIMARY KEY, source_uri VARCHAR NOT NULL, "
        "content_sha256 VARCHAR NOT NULL, size_bytes BIGINT NOT NULL, encoding VARCHAR, media_type VARCHAR NOT NULL, "
        "language VARCHAR, raw_path VARCHAR, landed_at TIMESTAMP NOT NULL, run_id VARCHAR NOT NULL)"
    )
    old.execute(
        "INSERT INTO raw.documents VALUES ('d', 'a.txt', 's', 1, 'utf-8', 'text/plain', 'en', NULL, now(), 'r')"
    )
    old.close()
    con = connect_state(home)
    try:
        assert con.execute("SELECT decode_replacements FROM raw.documents").fetchall() == [(0,)]
    finally:
        con.close()


# ------------------------------------------------------------------------------- HTML


def page(paragraphs: list[str]) -> str:
    """A real article as a news page, with a tracker script and styles between the paragraphs."""
    body = "".join(
        f"<p>{p}</p><script>track('para-{n}'); document.write('<b>INJECTED</b>');</script>"
        for n, p in enumerate(paragraphs)
    )
    return (
        "<!DOCTYPE html><html><head><title>Rally - Steppe News</title>"
        "<style>body { color: red } .lead::after { content: 'STYLECODE' }</style>"
        "<script>var tracker = 'SCRIPTCODE'; window.onload = function () { alert(1) };</script></head>"
        f"<body><article><h1>Rally</h1>{body}</article><footer>© Steppe News</footer></body></html>"
    )


CODE_MARKS = ("SCRIPTCODE", "STYLECODE", "track(", "INJECTED", "alert(", "color: red", "<script", "<p>")


def test_truncated_html_and_html_with_code_keep_their_text_and_drop_the_code(con, inbox: Path) -> None:
    html = page(PARAGRAPHS)
    middle_of_paragraph = html.index(PARAGRAPHS[2]) + len(PARAGRAPHS[2]) // 2
    inside_a_script = html.index("track('para-3')") + 4
    (inbox / "whole.html").write_text(html, encoding="utf-8")
    (inbox / "cut_in_paragraph.html").write_text(html[:middle_of_paragraph], encoding="utf-8")
    (inbox / "cut_in_script.html").write_text(html[:inside_a_script], encoding="utf-8")
    (inbox / "cut_in_tag.html").write_text(
        html[: html.index("<p>", middle_of_paragraph) + 2], encoding="utf-8"
    )
    summary = land_inbox(inbox, con, "run-1", T0)
    assert summary.quarantined == 0
    bodies = current_bodies(con)
    for name, body in bodies.items():
        assert not [mark for mark in CODE_MARKS if mark in body], name
    assert all(p[:60] in bodies["whole.html"] for p in PARAGRAPHS)
    assert PARAGRAPHS[1][:60] in bodies["cut_in_paragraph.html"]
    assert PARAGRAPHS[2][: len(PARAGRAPHS[2]) // 2 - 5] in bodies["cut_in_paragraph.html"]
    assert PARAGRAPHS[3][:60] not in bodies["cut_in_paragraph.html"]
    assert all(p[:60] in bodies["cut_in_script.html"] for p in PARAGRAPHS[:4])
    assert all(p[:60] in bodies["cut_in_tag.html"] for p in PARAGRAPHS[:3])


def test_json_text_with_script_blocks_keeps_the_words_not_the_code(con, inbox: Path) -> None:
    first, second = PARAGRAPHS[0], PARAGRAPHS[1]
    records = [
        {"text": f"{first} <script>alert('SCRIPTCODE')</script><style>p {{ color: red }}</style> {second}"},
        {"text": f"<div>{first}</div><script>document.write('INJECTED')</script>"},
    ]
    (inbox / "feed.jsonl").write_text("\n".join(json.dumps(r) for r in records), encoding="utf-8")
    land_inbox(inbox, con, "run-1", T0)
    bodies = current_bodies(con)
    assert first[:60] in bodies["feed.jsonl#1"] and second[:60] in bodies["feed.jsonl#1"]
    assert first[:60] in bodies["feed.jsonl#2"]
    for body in bodies.values():
        assert not [mark for mark in CODE_MARKS if mark in body]


# ------------------------------------------------------------------------------- one endless line


def one_line(chars: int) -> str:
    """Every sample article flattened into one line (no newline at all), repeated to `chars`."""
    text = " ".join(" ".join(path.read_text(encoding="utf-8").split()) for path in REAL)
    return ((text + " ") * (chars // len(text) + 1))[:chars].rstrip()


def test_a_line_without_breaks_is_cut_into_sentence_windows_with_body_offsets() -> None:
    from flows.extract.nlp import WINDOW_CHARS, segments
    from flows.extract.windows import PART_CHARS, body_parts

    body = one_line(300_000)
    windows = segments(body)
    assert all(0 < end - start <= WINDOW_CHARS for start, end in windows)
    assert "".join(body[s:e] for s, e in windows).replace(" ", "") == body.replace(" ", "")
    ends = [body[e - 1] for s, e in windows]
    assert sum(ch in '.!?”’"' for ch in ends) / len(ends) > 0.9, "windows end at sentence ends"
    parts = body_parts(body)
    assert all(end - start <= PART_CHARS for start, end in parts) and len(parts) >= 300_000 // PART_CHARS
    assert [start for start, _ in parts] == sorted(start for start, _ in parts)


@pytest.mark.slow
def test_a_line_of_over_a_megabyte_is_extracted_not_quarantined() -> None:
    from flows.extract import extract_articles
    from flows.extract.model import ArticleInput

    body = one_line(1_100_000)  # over spaCy's max_length of 1,000,000, which refused it before
    assert "\n" not in body
    [result] = extract_articles([ArticleInput(content_sha256="one-line", body=body)])
    facts = result.facts
    assert len(result.mentions) > 1000 and facts.detentions and facts.events
    assert all(body[m.char_start : m.char_end] == m.surface_text for m in result.mentions)
    assert all(body[e.char_start : e.char_end] == e.evidence_text for e in facts.events)
    assert all(body[d.char_start : d.char_end] == d.evidence_text for d in facts.detentions)
    for records, key in (
        (result.mentions, "mention_no"),
        (facts.events, "event_no"),
        (facts.detentions, "detention_no"),
        (facts.elections, "election_no"),
    ):
        numbers = [getattr(r, key) for r in records]
        assert len(numbers) == len(set(numbers)), key
    mentions = {m.mention_no for m in result.mentions}
    events = {e.event_no for e in facts.events}
    assert all(p.mention_no in mentions and p.event_no in events for p in facts.event_participants)
    assert all(
        d.detainee_mention_no in mentions for d in facts.detentions if d.detainee_mention_no is not None
    )


# ------------------------------------------------------------------------------- files under the reader


def test_a_file_that_vanishes_after_listing_is_quarantined_and_the_run_goes_on(con, inbox, monkeypatch):
    import flows.land

    listed = flows.land.iter_inbox

    def list_then_delete(root: Path):
        entries = list(listed(root))
        (inbox / "b_gone.txt").unlink()  # removed by someone else between the listing and the read
        yield from entries

    for name in ("a.txt", "b_gone.txt", "c.txt"):
        (inbox / name).write_text(ARTICLE.replace("Almaty", f"Almaty ({name})"), encoding="utf-8")
    monkeypatch.setattr(flows.land, "iter_inbox", list_then_delete)
    summary = land_inbox(inbox, con, "run-1", T0)
    assert summary.documents_new == 2 and summary.quarantined == 1
    [(uri, reason)] = con.execute("SELECT source_uri, reason FROM ops.quarantine").fetchall()
    assert uri == "b_gone.txt" and reason.startswith("vanished")


def test_a_file_that_changes_while_it_is_read_is_quarantined_then_lands_next_run(con, inbox, monkeypatch):
    import flows.land

    growing = inbox / "growing.txt"
    growing.write_text(ARTICLE, encoding="utf-8")
    (inbox / "steady.txt").write_text(REAL[2].read_text(encoding="utf-8"), encoding="utf-8")
    read_all = flows.land._read_all

    def read_while_a_writer_appends(handle) -> bytes:
        head = handle.read(100)
        if handle.name == str(growing):
            with growing.open("a", encoding="utf-8") as writer:  # a feed writer still appending
                writer.write("\n\nUpdate: the activists were released on Tuesday.\n")
        return head + read_all(handle)

    monkeypatch.setattr(flows.land, "_read_all", read_while_a_writer_appends)
    first = land_inbox(inbox, con, "run-1", T0)
    assert first.documents_new == 1 and first.quarantined == 1
    [(uri, reason)] = con.execute("SELECT source_uri, reason FROM ops.quarantine").fetchall()
    assert uri == "growing.txt" and reason.startswith("changed while the run read it")

    monkeypatch.setattr(flows.land, "_read_all", read_all)
    second = land_inbox(inbox, con, "run-2", datetime(2024, 5, 2))
    assert second.documents_new == 1, "the next run reads the finished file"
    assert "released on Tuesday" in current_bodies(con)["growing.txt"]


UNPRIVILEGED_LANDING = """
import sys
from datetime import datetime
from pathlib import Path
from flows.land import land_inbox
from flows.state import connect_state
con = connect_state(Path(sys.argv[2]))
summary = land_inbox(Path(sys.argv[1]), con, "run-1", datetime(2024, 5, 1))
print(summary.documents_new, summary.quarantined)
print(con.execute("SELECT source_uri, reason FROM ops.quarantine").fetchall())
"""


def without_file_permission_override() -> list[str]:
    """A command prefix under which even root obeys file modes (root reads mode 000 files otherwise)."""
    if os.geteuid() != 0:
        return []
    setpriv = shutil.which("setpriv")
    if setpriv is None:
        pytest.skip("running as root without setpriv: cannot make a file unreadable")
    return [setpriv, "--inh-caps=-all", "--bounding-set=-dac_override,-dac_read_search", "--"]


def test_a_file_the_process_may_not_read_is_quarantined_and_the_run_goes_on(tmp_path: Path) -> None:
    inbox, home = tmp_path / "inbox", tmp_path / "home"
    inbox.mkdir()
    (inbox / "secret.txt").write_text(ARTICLE, encoding="utf-8")
    (inbox / "open.txt").write_text(REAL[2].read_text(encoding="utf-8"), encoding="utf-8")
    (inbox / "secret.txt").chmod(0o000)
    try:
        done = subprocess.run(
            [
                *without_file_permission_override(),
                sys.executable,
                "-c",
                UNPRIVILEGED_LANDING,
                str(inbox),
                str(home),
            ],
            cwd=PROJECT_ROOT,
            capture_output=True,
            text=True,
            timeout=300,
        )
    finally:
        (inbox / "secret.txt").chmod(0o644)
    assert done.returncode == 0, done.stderr[-2000:]
    counts, quarantine = done.stdout.strip().splitlines()[-2:]
    assert counts == "1 1"
    assert quarantine == "[('secret.txt', 'unreadable: Permission denied')]"
