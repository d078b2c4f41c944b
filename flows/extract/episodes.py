"""Which detention episode of one detainee, within one article, a trigger speaks of.

Articles retell earlier episodes: 'has been detained ... In 2017, Mamai was convicted';
'sentenced to 16 years ... had previously been sentenced to two years on December 9, 2016'.
One row per detainee per article would give the old conviction's year and term to today's
arrest, and merge two real cases downstream. Both language paths keep one draft per episode and
ask `episode_for` where each trigger goes; the cross-article case rules live in dbt
(`int_detention_case_members`), and the window here is theirs.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Protocol, TypeVar

# An episode runs arrest -> sentence -> release; a later stage follows its arrest into the episode.
STAGE = {"detention": 0, "sentencing": 1, "release": 2}
EPISODE_SPAN_DAYS = 730  # the dbt case rules' window for a verdict to follow its arrest


class Episode(Protocol):
    event_type: str  # of the episode's first trigger: the stage the article leads with
    term_days: int | None
    detained_date: date | None
    date_precision: str


E = TypeVar("E", bound=Episode)


def episode_for(
    episodes: list[E],
    when: date | None,
    precision: str,
    event_type: str,
    term: int | None,
    article_date: date | None,
) -> E | None:
    """The episode a trigger belongs to, or None when it opens a new one.

    An undated trigger belongs to the article's lead episode (the first). A dated one joins an
    episode whose date lies within the window, or that it precedes as an earlier stage (the arrest
    before the release the article leads with); a release joins a verdict a term later. Beside an
    undated lead it joins when the article's own date is within the window after it, or the lead
    is a release; with no article date, when it is an earlier stage than the lead: news leads with
    the latest stage of its episode, so a dated later stage, or the same stage with another term,
    is an earlier episode told as background.
    """
    if not episodes:
        return None
    if when is None:
        return episodes[0]
    start, end = date_range(when, precision)
    window = timedelta(days=EPISODE_SPAN_DAYS)
    stage = STAGE.get(event_type, 0)
    for ep in episodes:
        if ep.detained_date is None:
            continue
        ep_start, ep_end = date_range(ep.detained_date, ep.date_precision)
        lead_stage = STAGE.get(ep.event_type, 0)
        if stage < lead_stage and end <= ep_end:
            return ep  # 'released on June 8, 2024 ... arrested on July 13, 2020'
        if start <= ep_end + window and ep_start <= end + window:
            return ep
        served = timedelta(days=EPISODE_SPAN_DAYS + (ep.term_days or 0))
        if stage == STAGE["release"] and start <= ep_end + served:
            return ep  # freed a term after the verdict
    for ep in episodes:
        if ep.detained_date is not None:
            continue
        lead_stage = STAGE.get(ep.event_type, 0)
        if article_date is not None:
            recent = start <= article_date and article_date - end <= window
            if recent or lead_stage == STAGE["release"] > stage:
                return ep
            continue
        other_term = term is not None and ep.term_days is not None and term != ep.term_days
        if stage < lead_stage or (stage == lead_stage and not other_term):
            return ep
    return None


def date_range(when: date, precision: str) -> tuple[date, date]:
    """The days a date of this precision may stand for."""
    if precision == "year":
        return date(when.year, 1, 1), date(when.year, 12, 31)
    if precision == "month":
        following = date(when.year + (when.month == 12), when.month % 12 + 1, 1)
        return when, following - timedelta(days=1)
    return when, when
