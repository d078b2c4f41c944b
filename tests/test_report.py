"""`steppewatch report`: the analysts' static site, built from a real pipeline run and opened in a
headless Chromium whose network is blocked.

The host resolver maps every name to NOTFOUND, so nothing can leave the machine; the browser's
net log then says whether the page *tried*: a request the page makes carries the page's
initiator, while Chromium's own background traffic (component updates, sign-in probes) is
logged as initiated by 'not an origin' and is left out. test_the_request_check_sees_a_leak
proves the check is not blind. Charts are drawn by plotly.js after load, so the DOM is read
after a virtual time budget, as in test_docs_browser.
"""

from __future__ import annotations

import contextlib
import io
import json
import re
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

import duckdb
import plotly
import pytest
from test_docs_browser import CHROMIUM, CHROMIUM_FLAGS, evaluate_when_ready, needs_chromium

from flows.cli import main
from flows.paths import PUBLISHED_NAME, SAMPLE_CORPUS
from flows.report import ReportError, build_site, site
from flows.report.charts import spec_json
from flows.report.highlight import Span, highlight_body
from flows.report.render import PAGES

# A woman detained in the samples (003_720bbb4221f4edbe.txt), and the sentence that reports her arrest.
DETAINEE = "Asiya Tulesova"
EVIDENCE = "The court sentenced them to 15 days in prison for violating the peaceful assembly rule."
OFFLINE_FLAGS = ("--host-resolver-rules=MAP * ~NOTFOUND",)
VIRTUAL_TIME_MS = 8000
BROWSER_ORIGIN = "not an origin"  # the net log's initiator of Chromium's own requests
slow = pytest.mark.slow  # the tests on a pipeline run; the escaping tests below are quick

# An article written to attack the page: every piece would run or load if it were not escaped.
HOSTILE_ARTICLE = """\
Activist detained in Almaty <script>document.body.setAttribute('data-pwned', 'title')</script>

ALMATY, Kazakhstan – Police in Almaty detained the activist Aigerim Nurlanova on 5 March 2024 \
after she posted "<img src=x onerror=document.body.setAttribute('data-pwned','img')>" on Facebook.

Her lawyer said the post read <b onmouseover="alert(2)">free speech</b> and nothing more.

Supporters wrote </script><script>document.body.setAttribute('data-pwned', 'body')</script> on banners.
"""


# --- building ------------------------------------------------------------------------------------


def _report(home: Path) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(["report", "--home", str(home)])
    return code, out.getvalue(), err.getvalue()


@pytest.fixture(scope="module")
def sample_site(sample_run) -> tuple[Path, Path, str]:
    """`steppewatch report --home <sample home>`: (home, site folder, what it printed on stdout)."""
    home, _ = sample_run
    code, printed, err = _report(home)
    assert code == 0, err
    return home, home / "site", printed


@pytest.fixture(scope="module")
def hostile_site(prefect_server, tmp_path_factory) -> tuple[Path, Path]:
    """A real run on an inbox of one hostile article and one empty file (quarantined), then its site."""
    from flows.pipeline import steppewatch_run

    inbox = tmp_path_factory.mktemp("hostile-inbox")
    (inbox / "hostile.txt").write_text(HOSTILE_ARTICLE, encoding="utf-8")
    (inbox / "empty.txt").write_bytes(b"")
    home = tmp_path_factory.mktemp("hostile-home")
    steppewatch_run(inbox=str(inbox), home=str(home))
    code, _, err = _report(home)
    assert code == 0, err
    return home, home / "site"


def _actor_id(home: Path, name: str) -> str:
    con = duckdb.connect(str(home / PUBLISHED_NAME), read_only=True)
    try:
        rows = con.execute("select actor_id from marts.dim_actor where name = ?", [name]).fetchall()
    finally:
        con.close()
    assert len(rows) == 1, f"{name} is not one actor in the sample warehouse"
    return rows[0][0]


def _article_of(home: Path, evidence: str, detainee: str | None = None) -> tuple[str, str]:
    """The article and report of a sentence; of `detainee`'s own report when the sentence names several."""
    con = duckdb.connect(str(home / PUBLISHED_NAME), read_only=True)
    try:
        rows = con.execute(
            """select d.article_id, d.detention_id from marts.fct_detention d
               left join marts.dim_actor a using (actor_id)
               where d.evidence_text = ? and (a.name = ? or ? is null) order by d.detention_id""",
            [evidence, detainee, detainee],
        ).fetchall()
    finally:
        con.close()
    assert rows, f"no detention report with the evidence {evidence!r}"
    return rows[0]


# --- the browser, offline ------------------------------------------------------------------------


@dataclass
class Visit:
    dom: str
    page_requests: set[str]  # every URL the page asked the network stack for (file:// loads are not)


def open_offline(url: str) -> Visit:
    """Load `url` in headless Chromium with DNS blocked; the DOM after its scripts ran, and its requests."""
    with tempfile.TemporaryDirectory(prefix="chromium-", ignore_cleanup_errors=True) as profile:
        net_log = Path(profile) / "net-log.json"
        done = subprocess.run(
            [
                CHROMIUM,
                *CHROMIUM_FLAGS,
                *OFFLINE_FLAGS,
                f"--user-data-dir={profile}",
                f"--log-net-log={net_log}",
                f"--virtual-time-budget={VIRTUAL_TIME_MS}",
                "--dump-dom",
                url,
            ],
            capture_output=True,
            text=True,
            timeout=180,
        )
        assert done.returncode == 0, done.stderr[-2000:]
        events = json.loads(net_log.read_text(encoding="utf-8"))["events"]
    requests = {
        params["url"]
        for params in (event.get("params") or {} for event in events)
        if "url" in params and params.get("initiator", BROWSER_ORIGIN) != BROWSER_ORIGIN
    }
    return Visit(dom=done.stdout, page_requests=requests)


def _text(html: str) -> str:
    """Visible text, tags dropped and entities for quotes and brackets read back."""
    text = re.sub(r"<[^>]+>", "", html)
    for entity, char in (("&lt;", "<"), ("&gt;", ">"), ("&#34;", '"'), ("&quot;", '"'), ("&#39;", "'")):
        text = text.replace(entity, char)
    return text.replace("&amp;", "&")


def _row_with(dom: str, needle: str) -> str:
    rows = [row for row in re.findall(r"<tr[ >].*?</tr>", dom, flags=re.S) if needle in _text(row)]
    assert rows, f"no table row shows {needle!r}"
    return rows[0]


# --- the command and the files -------------------------------------------------------------------


@slow
def test_report_builds_every_page_and_prints_the_index(sample_site):
    home, site_dir, printed = sample_site
    assert printed.strip() == str(site_dir / "index.html")
    for page in PAGES:
        assert (site_dir / page).is_file(), page
    con = duckdb.connect(str(home / PUBLISHED_NAME), read_only=True)
    try:
        actors = {row[0] for row in con.execute("select actor_id from marts.dim_actor").fetchall()}
        articles = {row[0] for row in con.execute("select article_id from marts.dim_article").fetchall()}
    finally:
        con.close()
    assert {path.stem for path in (site_dir / "people").glob("*.html")} == actors
    assert {path.stem for path in (site_dir / "articles").glob("*.html")} == articles
    bundled = Path(plotly.__file__).parent / "package_data" / "plotly.min.js"
    assert (site_dir / "assets" / "plotly.min.js").read_bytes() == bundled.read_bytes()
    assert not [path.name for path in home.iterdir() if path.name.startswith(".site-")], "scratch left behind"


@slow
def test_pages_reference_only_local_files_and_forbid_others(sample_site):
    _, site_dir, _ = sample_site
    for page in site_dir.rglob("*.html"):
        html = page.read_text(encoding="utf-8")
        assert '<meta charset="utf-8">' in html, page
        assert "default-src 'none'; script-src 'self';" in html, f"{page}: no Content-Security-Policy"
        remote = re.findall(r"""(?:src|href)\s*=\s*["']?(?:[a-z]+:)?//""", html, flags=re.I)
        assert not remote, f"{page} points outside the site: {remote}"
        assert not re.search(r"<script>(?!\s*</script>)", html), f"{page} has an inline script"


def test_report_on_an_empty_home_says_what_to_do(tmp_path):
    code, printed, err = _report(tmp_path)
    assert code == 1 and not printed
    assert "run `steppewatch run` first" in err
    assert not (tmp_path / "site").exists()


@slow
def test_a_failed_build_keeps_the_previous_site(sample_site, monkeypatch, tmp_path):
    home, _, _ = sample_site
    out = tmp_path / "site"
    build_site(home, out)
    good = (out / "index.html").read_text(encoding="utf-8")

    def broken(self) -> int:
        raise RuntimeError("disk full half-way")

    monkeypatch.setattr(site.SiteRenderer, "render_all", broken)
    with pytest.raises(RuntimeError, match="half-way"):
        build_site(home, out)
    assert (out / "index.html").read_text(encoding="utf-8") == good
    assert sorted(path.name for path in tmp_path.iterdir()) == ["site"], "no scratch folder left"
    with pytest.raises(ReportError):
        build_site(tmp_path / "nothing-here", out)


# --- escaping, without a browser -----------------------------------------------------------------


def test_chart_json_cannot_end_its_script_element():
    import plotly.graph_objects as go

    hostile = "</script><script>alert(1)</script><!--"
    spec = str(spec_json(go.Figure(go.Bar(x=[hostile], y=[1]))))
    assert "<" not in spec and ">" not in spec
    assert json.loads(spec)["data"][0]["x"] == [hostile], "the JSON still reads back the same text"


def test_highlighting_escapes_every_piece_and_nests_spans():
    body = 'Police detained <b>Ann</b> "A&B" <script>x()</script>.'
    ann = body.index("Ann")
    spans = [
        Span("detention", "d1", "administrative_arrest", 0, body.index(" <script>")),
        Span("mention_actor", "a1", "Ann", ann, ann + 3),
    ]
    html = str(highlight_body(body, spans))
    assert "<b>" not in html and "<script>" not in html
    assert "&lt;b&gt;" in html and "&lt;script&gt;x()&lt;/script&gt;" in html and "&amp;B" in html
    assert '<span class="anchor" id="f-d1"></span><mark class="fact fact-detention"' in html
    assert '<a class="mention" href="../people/a1.html">Ann</a>' in html
    assert _text(html) == body, "the text reads back exactly"


# --- in the browser, with the network blocked ----------------------------------------------------


@needs_chromium
def test_the_request_check_sees_a_leak(tmp_path):
    leaky = tmp_path / "leak.html"
    leaky.write_text(
        '<!doctype html><meta charset="utf-8"><img src="https://example.invalid/pixel.png">', encoding="utf-8"
    )
    assert "https://example.invalid/pixel.png" in open_offline(leaky.as_uri()).page_requests


@slow
@needs_chromium
@pytest.mark.parametrize("page", [*PAGES, "person", "article"])
def test_every_page_renders_offline_without_a_request(sample_site, page):
    home, site_dir, _ = sample_site
    if page == "person":
        path = site_dir / "people" / f"{_actor_id(home, DETAINEE)}.html"
    elif page == "article":
        path = site_dir / "articles" / f"{_article_of(home, EVIDENCE)[0]}.html"
    else:
        path = site_dir / page
    visit = open_offline(path.resolve().as_uri())
    assert not visit.page_requests, f"{page} asked the network for {sorted(visit.page_requests)}"
    assert "</main>" in visit.dom and "<footer>" in visit.dom
    charts = len(re.findall(r'<div class="chart[ "]', visit.dom))  # plotly.js adds its own classes
    if page in ("detentions.html", "parties.html", "elections.html", "person"):
        assert charts >= 1, f"{page} has no chart"
    assert len(re.findall(r'data-rendered="true"', visit.dom)) == charts, "every chart was drawn"
    assert visit.dom.count('class="main-svg"') >= charts, "plotly.js drew an SVG for every chart"
    if page in ("detentions.html", "people.html", "articles.html", "parties.html", "elections.html"):
        assert re.search(r'<span class="filter-count">\d+ of \d+ rows</span>', visit.dom), "tables.js ran"


@slow
@needs_chromium
def test_detainee_and_her_evidence_on_the_detentions_page_and_her_page(sample_site):
    home, site_dir, _ = sample_site
    actor_id = _actor_id(home, DETAINEE)
    article_id, detention_id = _article_of(home, EVIDENCE, DETAINEE)

    detentions = open_offline((site_dir / "detentions.html").resolve().as_uri()).dom
    row = _row_with(detentions, DETAINEE)
    assert EVIDENCE in _text(row), "her row carries the evidence sentence"
    assert f'href="people/{actor_id}.html"' in row
    assert f'href="articles/{article_id}.html#f-{detention_id}"' in row, "linked to the sentence"

    person = open_offline((site_dir / "people" / f"{actor_id}.html").resolve().as_uri()).dom
    assert f"<h1>{DETAINEE}</h1>" in person
    assert EVIDENCE in _text(_row_with(person, "administrative arrest"))
    assert "Tulesova" in _text(person), "her other spelling is listed"

    article = open_offline((site_dir / "articles" / f"{article_id}.html").resolve().as_uri()).dom
    marked = article[article.index(f'<span class="anchor" id="f-{detention_id}"') :]
    assert _text(marked).lstrip().startswith(EVIDENCE), (
        "the article page highlights the sentence at its anchor"
    )


@slow
@needs_chromium
def test_table_filter_and_sort_run_locally(sample_site):
    _, site_dir, _ = sample_site
    expression = """(() => {
        const input = document.querySelector('input.table-filter[data-table="cases-table"]');
        if (!input || !document.querySelector('.filter-count')) return null;
        input.value = 'tulesova';
        input.dispatchEvent(new Event('input'));
        const visible = [...document.querySelectorAll('#cases-table tbody tr')].filter(r => !r.hidden);
        const term = [...document.querySelectorAll('#cases-table th')].find(th => th.textContent === 'term');
        input.value = '';
        input.dispatchEvent(new Event('input'));
        term.click(); term.click();  // descending
        const terms = [...document.querySelectorAll('#cases-table tbody tr')]
            .map(r => Number(r.cells[2].getAttribute('data-sort')));
        return {visible: visible.map(r => r.cells[0].textContent.trim()), terms: terms};
    })()"""
    result = evaluate_when_ready((site_dir / "detentions.html").resolve().as_uri(), expression)
    assert result, "tables.js never set up the filter"
    assert result["visible"] == [DETAINEE]
    assert result["terms"] == sorted(result["terms"], reverse=True) and result["terms"][0] > 0


@slow
@needs_chromium
def test_article_html_and_script_stay_text(hostile_site):
    home, site_dir = hostile_site
    con = duckdb.connect(str(home / PUBLISHED_NAME), read_only=True)
    try:
        article_id = con.execute("select article_id from marts.dim_article").fetchall()[0][0]
        assert con.execute("select count(*) from marts.fct_detention").fetchall()[0][0] >= 1
    finally:
        con.close()
    article_page = site_dir / "articles" / f"{article_id}.html"
    html = article_page.read_text(encoding="utf-8")
    assert "&lt;script&gt;document.body.setAttribute" in html
    assert "&lt;img src=x onerror=" in html and "<img" not in html
    assert "&lt;b onmouseover=" in html and "<b " not in html

    for page in (
        article_page,
        site_dir / "detentions.html",
        site_dir / "articles.html",
        site_dir / "index.html",
    ):
        visit = open_offline(page.resolve().as_uri())
        assert not re.search(r"<body[^>]*data-pwned", visit.dom), f"article script ran on {page.name}"
        assert not re.search(r"<img[^>]*src=\"x\"", visit.dom), (
            f"article markup became an element on {page.name}"
        )
        assert not visit.page_requests, visit.page_requests
    article = open_offline(article_page.resolve().as_uri()).dom
    assert "<script>document.body.setAttribute('data-pwned', 'title')</script>" in _text(article), (
        "the title is shown as the text it is"
    )
    detentions = open_offline((site_dir / "detentions.html").resolve().as_uri()).dom
    assert "<img src=x onerror=" in _text(_row_with(detentions, "Aigerim Nurlanova"))

    quality = open_offline((site_dir / "quality.html").resolve().as_uri()).dom
    assert "empty.txt" in _text(_row_with(quality, "empty file")), "the quarantine is listed"


def test_samples_hold_the_known_detainee():
    # The browser tests look for her; if the samples change, pick another woman detainee above.
    text = "\n".join(path.read_text(encoding="utf-8") for path in SAMPLE_CORPUS.glob("*.txt"))
    assert DETAINEE in text and EVIDENCE in text
