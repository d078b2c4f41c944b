"""`steppewatch report`: build the static site of a home's published warehouse, then swap it in.

The site is written into a fresh folder beside its destination and only then moved into
place, like publish, so a failed or half-finished build never replaces a good site. The
old site is renamed aside first and removed after, so the destination is missing for the
time of two renames at most, and never holds a mix of two builds.
"""

from __future__ import annotations

import os
import shutil
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import plotly

from flows.docs import data_docs_index, dbt_docs_dir
from flows.paths import PUBLISHED_NAME
from flows.report.data import ReportError, load_site_data
from flows.report.render import SiteRenderer

STATIC_DIR = Path(__file__).parent / "static"
# The plotly.js bundle the plotly wheel carries for offline HTML (locked by hash in requirements.lock).
PLOTLY_JS = Path(plotly.__file__).parent / "package_data" / "plotly.min.js"
ASSETS = "assets"

__all__ = ["ReportError", "SiteOutcome", "build_site", "default_site_dir"]


@dataclass
class SiteOutcome:
    index: Path
    pages: int
    size_bytes: int
    seconds: float


def default_site_dir(home: Path) -> Path:
    return home / "site"


def _copy_assets(site: Path) -> None:
    assets = site / ASSETS
    shutil.copytree(STATIC_DIR, assets)
    if not PLOTLY_JS.is_file():
        raise ReportError(f"plotly.min.js is missing from the installed plotly package ({PLOTLY_JS})")
    shutil.copyfile(PLOTLY_JS, assets / "plotly.min.js")


def _local_links(home: Path, out: Path) -> dict[str, str]:
    """The home's other local sites, relative to the site so the links work from any copy of both."""
    links = {}
    for label, target in (
        ("Great Expectations Data Docs (every check of every run)", data_docs_index(home)),
        ("dbt docs (every table and column)", dbt_docs_dir(home) / "static_index.html"),
    ):
        if target.is_file():
            links[label] = Path(os.path.relpath(target.resolve(), out.resolve())).as_posix()
    return links


def _swap_in(fresh: Path, out: Path) -> None:
    old = None
    if out.exists():
        old = out.with_name(f".{out.name}-old-{os.getpid()}-{time.monotonic_ns()}")
        os.replace(out, old)
    os.replace(fresh, out)
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)


def _size(folder: Path) -> int:
    return sum(path.stat().st_size for path in folder.rglob("*") if path.is_file())


def build_site(home: Path, out: Path | None = None) -> SiteOutcome:
    """Build the site of `home`'s published warehouse into `out` (default `<home>/site`)."""
    started = time.perf_counter()
    out = out or default_site_dir(home)
    data = load_site_data(home / PUBLISHED_NAME)
    out.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix=f".{out.name}-new-", dir=out.parent) as scratch:
        fresh = Path(scratch) / "site"
        fresh.mkdir()
        _copy_assets(fresh)
        pages = SiteRenderer(data, fresh, _local_links(home, out)).render_all()
        size = _size(fresh)
        _swap_in(fresh, out)
    return SiteOutcome(
        index=out / "index.html", pages=pages, size_bytes=size, seconds=time.perf_counter() - started
    )
