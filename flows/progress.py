"""Progress bars for long stages: counts, rate and ETA on stderr, only when stderr is a terminal.

In logs, CI and tests (stderr not a TTY) nothing is drawn: the stage's own log lines
("extract: 640/10000") already say how far it is.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager


@contextmanager
def progress_bar(label: str, total: int) -> Iterator[Callable[[int], None]]:
    """Yield `advance(n)`; draws a rich progress bar for `total` items when stderr is a TTY."""
    if total <= 0 or not sys.stderr.isatty():
        yield lambda n: None
        return
    from rich.console import Console
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        TextColumn,
        TimeElapsedColumn,
        TimeRemainingColumn,
    )

    columns = (
        TextColumn("[bold]{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        TextColumn("ETA"),
        TimeRemainingColumn(),
    )
    with Progress(*columns, console=Console(stderr=True), redirect_stdout=False) as progress:
        bar = progress.add_task(label, total=total)
        yield lambda n: progress.advance(bar, n)
