"""Nothing leaks: no listener beyond loopback, no article text run as markup, no URL fetched,
no secret written anywhere a run writes.

One real run over the samples plus damaged and hostile input (a page cut short with scripts, a
JSON record whose title is a script and whose URL and embedded media point at a local server
that counts requests), with secrets in the environment; then its docs. Data Docs get a failing
check whose unexpected values are markup. `serve` runs for real and its sockets are listed.
"""

from __future__ import annotations

import json
import os
import secrets
import shutil
import signal
import subprocess
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import duckdb
import pytest
from helpers import as_full_build

from flows.cli import main
from flows.paths import PROJECT_ROOT, PUBLISHED_NAME, SAMPLE_CORPUS

SCRIPT_TITLE = '<script>alert("steppewatch-xss-title")</script>'
IMG_IN_TEXT = '<img src=x onerror=alert("steppewatch-xss-body")>'
REAL = sorted(SAMPLE_CORPUS.glob("*.txt"))
LOOPBACK = {"127.0.0.1", "::1"}


class Watcher(BaseHTTPRequestHandler):
    hits: list[str] = []

    def do_GET(self) -> None:  # noqa: N802 - the base class's name
        Watcher.hits.append(self.path)
        self.send_response(200)
        self.end_headers()

    do_HEAD = do_POST = do_GET  # noqa: N815

    def log_message(self, format, *args):  # noqa: A002
        pass


@pytest.fixture
def watcher() -> Iterator[str]:
    """A local HTTP server that records every request; yields its base URL."""
    Watcher.hits = []
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Watcher)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}"
    finally:
        httpd.shutdown()
        httpd.server_close()
        thread.join()


def hostile_inbox(inbox: Path, base: str) -> None:
    for path in REAL:
        shutil.copy2(path, inbox / path.name)
    paragraphs = [p.strip() for p in REAL[3].read_text(encoding="utf-8").splitlines() if len(p.strip()) > 80]
    page = (
        f'<!DOCTYPE html><html><head><title>Rally</title><link rel="stylesheet" href="{base}/style.css">'
        f'<meta http-equiv="refresh" content="0; url={base}/refresh"><script src="{base}/app.js"></script>'
        f"<script>fetch('{base}/beacon')</script></head><body><article>"
        + "".join(f'<p>{p}</p><img src="{base}/pixel-{n}.gif">' for n, p in enumerate(paragraphs))
        + f'<iframe src="{base}/frame"></iframe>'
    )
    (inbox / "cut_page.html").write_text(page[: len(page) - 200], encoding="utf-8")  # cut short, mid-page
    record = {
        "title": SCRIPT_TITLE,
        "url": f"{base}/article/1",
        "source": "Steppe Wire",
        "published": "2024-05-01",
        "text": REAL[2]
        .read_text(encoding="utf-8")
        .replace("Authorities in", f"Authorities (posters: {IMG_IN_TEXT}) in", 1),
    }
    (inbox / "wire.json").write_text(json.dumps(record), encoding="utf-8")


def files_under(*roots: Path) -> Iterator[Path]:
    for root in roots:
        yield from (p for p in root.rglob("*") if p.is_file())


def test_data_docs_show_unexpected_values_as_text_never_as_markup(sample_run, tmp_path: Path) -> None:
    from flows.audit import run_gate

    home, _ = sample_run
    build = tmp_path / "build.duckdb"
    shutil.copy2(home / PUBLISHED_NAME, build)
    con = duckdb.connect(str(build))
    try:  # two values that fail a check, so the gate lists them in the Data Docs
        as_full_build(con)
        con.execute(
            "UPDATE marts.dim_actor SET actor_type = ? WHERE actor_id = (SELECT min(actor_id) FROM marts.dim_actor)",
            [SCRIPT_TITLE],
        )
        con.execute(
            "UPDATE marts.dim_party SET kind = ? WHERE party_id = (SELECT min(party_id) FROM marts.dim_party)",
            [IMG_IN_TEXT],
        )
    finally:
        con.close()
    gate = run_gate("marts", build, tmp_path / "gx-home", {}, published=None)
    assert not gate.success
    pages = {
        p: p.read_text(encoding="utf-8", errors="replace") for p in gate.data_docs.parent.rglob("*.html")
    }
    shown = [p for p, text in pages.items() if "steppewatch-xss-title" in text]
    assert shown, "the failing value is in the Data Docs"
    assert not [p for p, text in pages.items() if SCRIPT_TITLE in text or IMG_IN_TEXT in text]
    assert any("&lt;script&gt;alert(" in pages[p] for p in shown), "shown escaped, as text"


@pytest.mark.slow
def test_a_run_over_hostile_input_fetches_nothing_runs_no_markup_and_writes_no_secret(
    prefect_server, tmp_path: Path, watcher: str, capsys, monkeypatch
) -> None:
    from flows.pipeline import steppewatch_run

    inbox, home = tmp_path / "inbox", tmp_path / "home"
    inbox.mkdir()
    hostile_inbox(inbox, watcher)
    planted = {
        "PREFECT_API_KEY": "pnu_" + secrets.token_hex(18),
        "AWS_SECRET_ACCESS_KEY": secrets.token_urlsafe(30),
        "GITHUB_TOKEN": "ghp_" + secrets.token_hex(18),
        "DBT_ENV_SECRET_WAREHOUSE_PASSWORD": secrets.token_urlsafe(24),
        "STEPPEWATCH_SMTP_PASSWORD": secrets.token_urlsafe(24),
    }
    for name, value in planted.items():
        monkeypatch.setenv(name, value)

    summary = steppewatch_run(inbox=str(inbox), home=str(home))
    assert summary.status == "published"
    capsys.readouterr()
    assert main(["docs", "--home", str(home)]) == 0
    printed = capsys.readouterr().out
    assert "http.server -b 127.0.0.1" in printed

    # A URL is stored, never fetched: not the record's, not the page's media, scripts or refresh.
    assert Watcher.hits == []
    published = duckdb.connect(str(home / PUBLISHED_NAME), read_only=True)
    try:
        title, url, body = published.execute(
            "SELECT title, url, body FROM marts.dim_article WHERE source_uri = 'wire.json'"
        ).fetchone()
        cut_body = published.execute(
            "SELECT body FROM marts.dim_article WHERE source_uri = 'cut_page.html'"
        ).fetchone()[0]
    finally:
        published.close()
    assert url == f"{watcher}/article/1" and title == SCRIPT_TITLE and IMG_IN_TEXT in body
    assert watcher not in cut_body and "fetch(" not in cut_body and len(cut_body) > 500

    # Article text is data in every page we generate: never raw markup in dbt docs or Data Docs.
    pages = list(files_under(home / "docs", home / "gx" / "uncommitted" / "data_docs"))
    assert any(p.suffix == ".html" for p in pages)
    raw = [
        p for p in pages if SCRIPT_TITLE.encode() in p.read_bytes() or IMG_IN_TEXT.encode() in p.read_bytes()
    ]
    assert raw == []

    # No secret from the environment in the warehouse, the state, the logs, the docs or prefect.yaml.
    written = [*files_under(home), PROJECT_ROOT / "prefect.yaml"]
    leaked = [
        (name, str(path))
        for path in written
        for name, value in planted.items()
        if value.encode() in path.read_bytes()
    ]
    assert leaked == []
    assert not [name for name, value in planted.items() if value in printed]


def listening(pid: int) -> set[tuple[str, int]]:
    """(address, port) of every listening TCP socket of a process and its descendants."""
    import psutil

    try:
        parent = psutil.Process(pid)
        processes = [parent, *parent.children(recursive=True)]
    except psutil.NoSuchProcess:
        return set()
    found = set()
    for process in processes:
        try:
            connections = process.net_connections(kind="inet")
        except (psutil.NoSuchProcess, psutil.AccessDenied):
            continue
        found |= {(c.laddr.ip, c.laddr.port) for c in connections if c.status == psutil.CONN_LISTEN}
    return found


@pytest.mark.slow
def test_serve_listens_on_loopback_only(tmp_path: Path) -> None:
    """`steppewatch serve` with no Prefect server configured starts its own: on 127.0.0.1."""
    environment = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("PREFECT_API_URL", "PREFECT_SERVER_API_HOST"))
    }
    environment |= {"PREFECT_HOME": str(tmp_path / "prefect"), "PREFECT_RUNNER_SERVER_ENABLE": "true"}
    serve = subprocess.Popen(
        [str(PROJECT_ROOT / ".venv" / "bin" / "steppewatch"), "serve", "--home", str(tmp_path / "home")],
        env=environment,
        stdout=(tmp_path / "serve.log").open("w"),
        stderr=subprocess.STDOUT,
        start_new_session=True,  # its own process group, so the server it starts is stopped with it
    )
    try:
        deadline = time.monotonic() + 180
        sockets: set[tuple[str, int]] = set()
        while time.monotonic() < deadline and len(sockets) < 2:
            assert serve.poll() is None, (tmp_path / "serve.log").read_text()[-3000:]
            sockets = listening(serve.pid)
            time.sleep(1)
        assert sockets, "serve started no listener: " + (tmp_path / "serve.log").read_text()[-2000:]
        time.sleep(3)  # anything else it opens, it opens by now
        sockets = listening(serve.pid)
        assert {address for address, _ in sockets} <= LOOPBACK, sockets
    finally:
        os.killpg(serve.pid, signal.SIGTERM)
        try:
            serve.wait(timeout=60)
        except subprocess.TimeoutExpired:
            os.killpg(serve.pid, signal.SIGKILL)
            serve.wait(timeout=30)
