"""A clean stop on SIGTERM or SIGINT: the run ends as 'interrupted', not as a failed gate.

During a run (`stop_on_signals`) both signals raise RunInterrupted in the flow's main thread.
It is a KeyboardInterrupt, so code that catches `Exception` (one bad file, one failed chunk)
lets it through, and Prefect treats it as a crash, never retrying the task. dbt catches every
exception itself and reports a failed build, so the flow also asks `raise_if_interrupted`
after each stage: a stop during dbt is still reported as a stop.

Inside `signals_deferred` (the publish: the swap and the run log that records it) a signal is
held until the block ends, so a run never stops between replacing the published file and
saying so.
"""

from __future__ import annotations

import signal
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from types import FrameType

STOP_SIGNALS = (signal.SIGTERM, signal.SIGINT)


class RunInterrupted(KeyboardInterrupt):
    """The run was stopped by a signal; `stage` names what it was doing."""

    def __init__(self, signum: int, stage: str = "") -> None:
        super().__init__(signum, stage)
        self.signum = signum
        self.stage = stage

    @property
    def signal_name(self) -> str:
        return signal.Signals(self.signum).name

    def __str__(self) -> str:
        where = f" during {self.stage}" if self.stage else ""
        return f"interrupted by {self.signal_name}{where}"


class _Signals:
    received: int | None = None  # the first stop signal of this run
    deferring: int = 0  # depth of signals_deferred blocks
    raised: bool = False


_state = _Signals()


def _on_signal(signum: int, frame: FrameType | None) -> None:
    if _state.received is None:
        _state.received = signum
    if _state.deferring or _state.raised:
        return  # held until the publish is recorded; a second signal does not cut the cleanup short
    _state.raised = True
    raise RunInterrupted(signum)


@contextmanager
def stop_on_signals() -> Iterator[None]:
    """Turn SIGTERM and SIGINT into RunInterrupted for the duration of a run (main thread only)."""
    if threading.current_thread() is not threading.main_thread():
        yield  # signals are delivered to the main thread only; Prefect's own handling applies
        return
    previous = {signum: signal.getsignal(signum) for signum in STOP_SIGNALS}
    _state.received, _state.deferring, _state.raised = None, 0, False
    for signum in STOP_SIGNALS:
        signal.signal(signum, _on_signal)
    try:
        yield
    finally:
        for signum, handler in previous.items():
            signal.signal(signum, handler)


def stop_signal_received() -> int | None:
    """The stop signal this run received, if any (also when something caught what it raised)."""
    return _state.received


def raise_if_interrupted() -> None:
    """Raise RunInterrupted when a stop signal arrived and something swallowed it (dbt does)."""
    if _state.received is not None:
        _state.raised = True
        raise RunInterrupted(_state.received)


@contextmanager
def signals_deferred() -> Iterator[None]:
    """Hold stop signals until the block ends; the run then completes (the publish is done)."""
    _state.deferring += 1
    try:
        yield
    finally:
        _state.deferring -= 1


def end_with_parent(poll_s: float = 1.0) -> None:
    """Called in a worker process: end it when the process that started it is gone.

    A run killed with SIGKILL cannot stop its worker processes, and they would wait for work
    forever: each holds its own end of the pool's queue, so the queue never reports the run gone.
    """
    import os
    import time

    parent = os.getppid()

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(poll_s)
        os._exit(1)

    threading.Thread(target=watch, name="end-with-parent", daemon=True).start()
