"""The analysts' site: `steppewatch report` turns the published warehouse into static HTML pages.

data.py reads the warehouse into Polars frames, charts.py builds the Plotly figures,
highlight.py escapes article bodies around their evidence spans, render.py fills the Jinja2
templates (templates/), and site.py builds into a fresh folder and swaps it in. static/ holds
the site's own CSS and JavaScript; plotly.min.js is copied from the locked plotly wheel.
"""

from flows.report.data import ReportError
from flows.report.site import SiteOutcome, build_site, default_site_dir

__all__ = ["ReportError", "SiteOutcome", "build_site", "default_site_dir"]
