"""`steppewatch docs` output, loaded in a real headless Chromium from a localhost server.

dbt docs is an AngularJS app that fetches manifest.json and catalog.json, so what it shows
only exists after its scripts ran: the tests read the DOM Chromium dumps after a virtual
time budget, and read the lineage graph (drawn on a canvas by cytoscape) through the
DevTools protocol.
"""

from __future__ import annotations

import contextlib
import io
import json
import re
import shutil
import subprocess
import tempfile
import threading
import time
import urllib.request
from collections.abc import Iterator
from functools import partial
from html.parser import HTMLParser
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
import yaml
from test_pipeline import CONTRACT

from flows.audit import CONTRACT_TABLES
from flows.cli import main
from flows.docs import data_docs_index, dbt_docs_dir
from flows.paths import EXPECTATIONS_DIR

pytestmark = pytest.mark.slow

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
CHROMIUM_FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--window-size=1400,900",
)
VIRTUAL_TIME_MS = 10000
CDP_POLLS = 120  # bounded waits of CDP_POLL_S for Chromium to come up and for the graph to lay out
CDP_POLL_S = 0.5
MODEL = "model.steppewatch.{}"

needs_chromium = pytest.mark.skipif(
    CHROMIUM is None, reason="Chromium is absent: `apt-get install chromium` (.ci/run installs it)"
)


# --- building and serving the docs ---------------------------------------------------------------


@pytest.fixture(scope="module")
def docs_built(sample_run) -> tuple[Path, str]:
    """`steppewatch docs --home <sample home>`: (home, what it printed)."""
    home, _ = sample_run
    printed = io.StringIO()
    with contextlib.redirect_stdout(printed):
        code = main(["docs", "--home", str(home)])
    assert code == 0, printed.getvalue()
    return home, printed.getvalue()


class QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format, *args):  # noqa: A002 - the base class's signature
        pass


@pytest.fixture(scope="module")
def server(docs_built) -> Iterator[str]:
    """The home folder over HTTP on 127.0.0.1 and a free port, in a thread; yields the base URL."""
    home, _ = docs_built
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), partial(QuietHandler, directory=str(home)))
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}"
    finally:
        httpd.shutdown()
        httpd.server_close()
        thread.join()


def model_url(base: str, model: str, query: str = "") -> str:
    return f"{base}/docs/dbt/index.html#!/model/{MODEL.format(model)}{query}"


# --- driving Chromium ----------------------------------------------------------------------------


def dump_dom(url: str) -> str:
    """The DOM after the page's scripts had VIRTUAL_TIME_MS of virtual time."""
    with tempfile.TemporaryDirectory(prefix="chromium-", ignore_cleanup_errors=True) as profile:
        done = subprocess.run(
            [
                CHROMIUM,
                *CHROMIUM_FLAGS,
                f"--user-data-dir={profile}",
                f"--virtual-time-budget={VIRTUAL_TIME_MS}",
                "--dump-dom",
                url,
            ],
            capture_output=True,
            text=True,
            timeout=180,
        )
    assert done.returncode == 0, done.stderr[-2000:]
    return done.stdout


def _cdp_call(socket, call_id: int, method: str, params: dict) -> dict:
    socket.send(json.dumps({"id": call_id, "method": method, "params": params}))
    while True:
        message = json.loads(socket.recv())
        if message.get("id") == call_id:
            return message


def evaluate_when_ready(url: str, expression: str):
    """Open `url` in Chromium and poll a JS expression over the DevTools protocol until it is truthy."""
    from websockets.sync.client import connect

    with tempfile.TemporaryDirectory(prefix="chromium-", ignore_cleanup_errors=True) as profile:
        browser = subprocess.Popen(
            [CHROMIUM, *CHROMIUM_FLAGS, f"--user-data-dir={profile}", "--remote-debugging-port=0", url],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        try:
            port_file = Path(profile) / "DevToolsActivePort"
            for _ in range(CDP_POLLS):
                if port_file.exists() and port_file.read_text().strip():
                    break
                time.sleep(CDP_POLL_S)
            assert port_file.exists(), f"Chromium exited with {browser.poll()} before opening DevTools"
            port = port_file.read_text().split()[0]
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/json/list", timeout=30) as response:
                pages = [t for t in json.load(response) if t["type"] == "page"]
            with connect(pages[0]["webSocketDebuggerUrl"], max_size=None) as socket:
                for call_id in range(CDP_POLLS):
                    reply = _cdp_call(
                        socket, call_id, "Runtime.evaluate", {"expression": expression, "returnByValue": True}
                    )
                    value = reply.get("result", {}).get("result", {}).get("value")
                    if value:
                        return value
                    time.sleep(CDP_POLL_S)
            return None
        finally:
            browser.terminate()
            browser.wait(timeout=60)


class ColumnRows(HTMLParser):
    """The text cells of every `tr.column-row` of a dbt docs model page: [name, type, description, ...]."""

    def __init__(self) -> None:
        super().__init__()
        self.rows: list[list[str]] = []
        self._in_row = False

    def handle_starttag(self, tag, attrs):
        if tag == "tr" and "column-row" in (dict(attrs).get("class") or ""):
            self._in_row = True
            self.rows.append([])

    def handle_endtag(self, tag):
        if tag == "tr":
            self._in_row = False

    def handle_data(self, data):
        if self._in_row and data.strip():
            self.rows[-1].append(data.strip())


def column_rows(dom: str) -> dict[str, list[str]]:
    parser = ColumnRows()
    parser.feed(dom)
    return {row[0]: row[1:] for row in parser.rows if row}


def sections(dom: str, section_id: str) -> list[str]:
    """Every `<section>` body after an element with this id (the page also holds unused templates)."""
    starts = [m.start() for m in re.finditer(f'id="{section_id}"', dom)]
    return [dom[start : dom.index("</section>", start)] for start in starts]


# --- the tests -----------------------------------------------------------------------------------


def test_docs_command_builds_both_sites_and_prints_where(docs_built):
    home, printed = docs_built
    site = dbt_docs_dir(home)
    for name in ("index.html", "static_index.html", "manifest.json", "catalog.json"):
        assert (site / name).is_file(), name
    assert str(site / "index.html") in printed
    assert str(data_docs_index(home)) in printed and data_docs_index(home).is_file()


def test_every_contract_table_and_column_is_described(docs_built):
    home, _ = docs_built
    manifest = json.loads((dbt_docs_dir(home) / "manifest.json").read_text())
    catalog = json.loads((dbt_docs_dir(home) / "catalog.json").read_text())
    undocumented = []
    for table in CONTRACT_TABLES:
        node = manifest["nodes"][MODEL.format(table)]
        if not node["description"].strip():
            undocumented.append(table)
        for column in CONTRACT[table]:
            if not (node["columns"].get(column) or {}).get("description", "").strip():
                undocumented.append(f"{table}.{column}")
        published = catalog["nodes"][MODEL.format(table)]
        assert published["metadata"]["schema"] == "marts"
        assert set(CONTRACT[table]) <= set(published["columns"]), f"catalog of {table}: the published columns"
    assert not undocumented, f"describe these in dbt_project/models/marts/*.yml: {undocumented}"


@needs_chromium
def test_model_page_renders_columns_and_parents(server):
    dom = dump_dom(model_url(server, "fct_detention"))
    columns = column_rows(dom)
    missing = set(CONTRACT["fct_detention"]) - set(columns)
    assert not missing, f"columns not rendered: {sorted(missing)}"
    assert columns["term_days"][0] == "INTEGER", "the type comes from the catalog of the published file"
    assert columns["detention_id"][0] == "VARCHAR"
    assert any("custodial" in cell.lower() or "days" in cell.lower() for cell in columns["term_days"][1:])
    parent_link = 'href="#!/model/model.steppewatch.int_detentions_resolved"'
    assert any(parent_link in body for body in sections(dom, "depends_on")), "Depends On lists the parent"


@needs_chromium
def test_lineage_graph_of_fct_detention_renders(server):
    # g_v=1 opens the lineage graph, g_i=+fct_detention+ selects the model with its ancestors.
    url = model_url(server, "fct_detention", "?g_v=1&g_i=%2Bfct_detention%2B")
    expression = """(() => {
        const box = document.querySelector('.__________cytoscape_container');
        const cy = box && box._cyreg && box._cyreg.cy;
        if (!cy || cy.nodes(':visible').length === 0) return null;
        return {nodes: cy.nodes(':visible').map(n => n.id()),
                edges: cy.edges(':visible').map(e => [e.source().id(), e.target().id()]),
                width: box.clientWidth, height: box.clientHeight};
    })()"""
    graph = evaluate_when_ready(url, expression)
    assert graph, "the lineage graph never drew a node"
    nodes = set(graph["nodes"])
    assert MODEL.format("fct_detention") in nodes
    assert [MODEL.format("int_detentions_resolved"), MODEL.format("fct_detention")] in graph["edges"]
    assert any(node.startswith("source.steppewatch.") for node in nodes), (
        "the lineage reaches the raw sources"
    )
    assert MODEL.format("fct_election_result") not in nodes, "only fct_detention's own lineage is drawn"
    assert graph["width"] > 0 and graph["height"] > 0


@needs_chromium
def test_static_page_renders_a_table_offline(docs_built):
    home, _ = docs_built
    static = (dbt_docs_dir(home) / "static_index.html").resolve()
    dom = dump_dom(f"{static.as_uri()}#!/model/{MODEL.format('dim_actor')}")
    columns = column_rows(dom)
    assert set(CONTRACT["dim_actor"]) <= set(columns)
    assert columns["aliases"][0] == "VARCHAR[]"


@needs_chromium
def test_data_docs_render_the_gate_suites(server, docs_built):
    home, _ = docs_built
    relative = data_docs_index(home).relative_to(home).as_posix()
    text = re.sub(r"<[^>]+>", " ", dump_dom(f"{server}/{relative}"))
    for gate in ("landing", "marts"):
        with open(EXPECTATIONS_DIR / f"{gate}.yml", encoding="utf-8") as handle:
            suites = [suite["name"] for suite in yaml.safe_load(handle)["suites"]]
        assert any(name in text for name in suites), f"no {gate} suite ({suites}) on the Data Docs index"


def test_docs_command_explains_an_empty_home(tmp_path, capsys):
    assert main(["docs", "--home", str(tmp_path)]) == 1
    assert "run `steppewatch run` first" in capsys.readouterr().err
    assert not dbt_docs_dir(tmp_path).exists()
