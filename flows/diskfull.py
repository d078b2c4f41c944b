"""Disk full (ENOSPC) at any stage: recognised wherever it surfaces, and injectable for tests.

A full disk shows up as an OSError from Python, as a DuckDB IO error ("No space left on
device") from the state database or the candidate, or inside dbt's failure messages for the
build. The flow turns each into DiskFull naming the stage; what every stage writes is either
transactional (the state database) or a temporary file that is removed (build, candidate,
Parquet staging), so the published file and the state database stay as they were.

`write_fault_point(stage)` sits at the write call of each stage. It is a no-op unless
STEPPEWATCH_INJECT_ENOSPC names the stage (land, extract, transform, publish); then it raises
the same OSError a full disk gives there.
"""

from __future__ import annotations

import errno
import os

INJECT_ENV = "STEPPEWATCH_INJECT_ENOSPC"
_DISK_FULL_ERRNOS = {errno.ENOSPC, errno.EDQUOT}
_DISK_FULL_TEXT = ("no space left on device", "disk quota exceeded", "disk is full")


class DiskFull(RuntimeError):
    """The disk filled up during a stage; nothing was published."""

    def __init__(self, stage: str, message: str) -> None:
        super().__init__(message)
        self.stage = stage


def write_fault_point(stage: str) -> None:
    """Test hook at a stage's write call: raise ENOSPC when STEPPEWATCH_INJECT_ENOSPC names `stage`."""
    if os.environ.get(INJECT_ENV) == stage:
        raise OSError(errno.ENOSPC, f"{os.strerror(errno.ENOSPC)} (injected at the {stage} write)")


def mentions_disk_full(text: str) -> bool:
    lowered = text.lower()
    return any(words in lowered for words in _DISK_FULL_TEXT)


def is_disk_full(error: BaseException | None) -> bool:
    """Is this error, or any error it was raised from, a full disk?"""
    seen: set[int] = set()
    while error is not None and id(error) not in seen:
        seen.add(id(error))
        if isinstance(error, OSError) and error.errno in _DISK_FULL_ERRNOS:
            return True
        if mentions_disk_full(str(error)):
            return True
        error = error.__cause__ or error.__context__
    return False


def retry_unless_disk_full(task, task_run, state) -> bool:
    """Prefect `retry_condition_fn`: a retry cannot free the disk, so do not wait for one."""
    return not is_disk_full(state.data if isinstance(state.data, BaseException) else None)
