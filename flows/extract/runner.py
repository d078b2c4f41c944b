"""Where extraction chunks run: in the flow process, in local worker processes, or on a cluster.

Every runner takes chunks of `ArticleInput` and gives back, per chunk, either its
`ArticleExtraction` records or the exception that stopped it. Workers only compute: the
flow process writes every result to the state database, so DuckDB keeps a single writer.

* `LocalRunner(1)`, or fewer than 8 bodies: in the flow process.
* `LocalRunner(n)`: n spawned worker processes, each loading the model once and running the
  whole extraction (spaCy *and* the rule code) on a chunk, so both cores do all the work
  and only small records cross the process boundary (spaCy's own `n_process` would ship
  every Doc back to a single process that then runs the rules alone). When this process
  holds the model already and the input is small, it extracts at once, on a thread, and
  n - 1 helper processes join in as soon as they have loaded theirs (`HelpedRunner`).
  A run starts its workers before it lands its inbox (`EarlyWorkers`), so they load the
  model while it lands.
* `TaskRunnerRunner`: an existing Dask (`dask://host:port`, through prefect-dask) or Ray
  (`ray://host:port`, through prefect-ray) cluster; each chunk is a Prefect
  task run on a cluster worker. Workers need this project installed (same environment).

At most `in_flight` chunks are outstanding at a time, so memory stays bounded whatever the
backlog; results come back as chunks finish, in any order (each chunk is written alone).
"""

from __future__ import annotations

import math
import multiprocessing
import os
import sys
import time
from collections.abc import Iterable, Iterator
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, ThreadPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from typing import Protocol
from urllib.parse import urlparse

from flows.extract.model import ArticleExtraction, ArticleInput

Chunk = list[ArticleInput]
# (the chunk, its records or None, the error that stopped it or None)
ChunkOutcome = tuple[Chunk, list[ArticleExtraction] | None, BaseException | None]

# When this process holds the model already, it starts at once and helper processes join it
# once they have loaded theirs (1.3 s here): below this many bodies they would hardly be ready
# before the work is done ...
MIN_BODIES_FOR_HELPERS = 8
# ... and from this many on, the load is a small part of a worker's share: worker processes do
# it all, and this process, which writes every result, keeps its memory and its core for that.
# (100 bodies: 8.1-8.8 s helped, 9.0-9.9 s on two workers, 16 s here alone.)
MIN_BODIES_FOR_WORKERS = 256
# Below this many bodies when it does not hold the model: loading it here (importing spaCy and
# building the pipeline: 1.3 s) costs as much as starting the workers, which then share the work
# (8 bodies: 2.2 s on two workers against 2.3 s here; 20 bodies: 3.0 s against 4.3 s).
MIN_BODIES_FOR_WORKERS_COLD = 8
# Chunks per worker process for a small input, so that the workers finish together.
CHUNKS_PER_WORKER = 4
MAX_AUTO_PROCESSES = 4  # each worker holds a model (~300 MB); more rarely pays on one machine


class Runner(Protocol):
    def run(self, chunks: Iterable[Chunk]) -> Iterator[ChunkOutcome]: ...


def extract_chunk(chunk: Chunk) -> list[ArticleExtraction]:
    """The whole extraction of one chunk, in whatever process runs it."""
    from flows.extract import extract_articles

    return list(extract_articles(chunk, n_process=1))


def auto_processes() -> int:
    return max(1, min(os.cpu_count() or 1, MAX_AUTO_PROCESSES))


class InProcessRunner:
    """Chunks one after another in the flow process."""

    def run(self, chunks: Iterable[Chunk]) -> Iterator[ChunkOutcome]:
        for chunk in chunks:
            try:
                yield chunk, extract_chunk(chunk), None
            except Exception as error:  # the caller retries the chunk article by article
                yield chunk, None, error


# What a worker extracts once before its first chunk: a process's first extraction pays for
# set-up done on first use (about 0.15 s, of which a short text recovers 0.13 s), and a worker
# started ahead of its work (EarlyWorkers) pays it while it waits. A warm-up, not test data.
WARM_UP_TEXT = (
    "The opposition politician was detained in the capital on 5 May 2022 and sentenced to "
    "15 days of administrative arrest, his party said."
)


def _warm_worker() -> None:
    # Load spaCy, the model and the reference data once per worker, before the first chunk.
    from flows.extract.nlp import get_model
    from flows.interrupt import end_with_parent

    end_with_parent()
    get_model()
    # A worker that cannot extract fails on its first chunk, which the flow then retries itself.
    with suppress(Exception):
        extract_chunk([ArticleInput(content_sha256="warm-up", body=WARM_UP_TEXT)])


def _worker_pool(processes: int) -> ProcessPoolExecutor:
    """Spawned extraction workers, each loading the model before its first chunk. Spawn, not
    fork: the flow process has Prefect's threads and an open DuckDB file."""
    return ProcessPoolExecutor(
        processes, mp_context=multiprocessing.get_context("spawn"), initializer=_warm_worker
    )


class EarlyWorkers:
    """Extraction workers started when a run starts, before it knows what it will extract
    (a run that follows a publish: see flows/pipeline.py).

    They load the model while the run lands its inbox (0.3 s at N = 2,000, about 1 s at 10,000
    on an incremental run; longer on a first run), where they used to start only once the bodies
    were known. A process that holds the model already starts one worker fewer: it extracts
    too (`HelpedRunner`). `LocalRunner` hands the workers to the runner that uses them and stops
    them when it chooses a runner that does not (nothing to extract, or a few bodies in a
    process that holds the model).
    """

    def __init__(self, processes: int) -> None:
        from flows.extract.nlp import model_loaded

        self._pool: ProcessPoolExecutor | None = _worker_pool(processes)
        # A pool spawns a process for each task that finds no idle one: these start them now.
        starting = processes - 1 if model_loaded() else processes
        self.warm = [self._pool.submit(os.getpid) for _ in range(max(1, starting))][0]

    def take(self) -> ProcessPoolExecutor:
        """The pool, for the runner that will use (and end) it."""
        if self._pool is None:
            raise RuntimeError("these early workers were taken or stopped already")
        pool, self._pool = self._pool, None
        return pool

    def stop(self) -> None:
        """End the workers unless a runner has taken them (it ends them itself)."""
        if self._pool is not None:
            stop_pool_now(self._pool)
            self._pool = None


@contextmanager
def early_workers(spec: str | None, processes: int, wanted: bool = True) -> Iterator[EarlyWorkers | None]:
    """Workers started now for a run's local extraction (None when not `wanted`, for one process
    or for a cluster), stopped when the block ends unless a runner has taken them."""
    if not wanted or processes <= 1 or (spec and spec != "local"):
        yield None
        return
    early = EarlyWorkers(processes)
    try:
        yield early
    finally:
        early.stop()


@dataclass
class ProcessPoolRunner:
    """Chunks on `processes` spawned worker processes of this machine (`early`: started already)."""

    processes: int
    early: EarlyWorkers | None = field(default=None, compare=False, repr=False)

    def run(self, chunks: Iterable[Chunk]) -> Iterator[ChunkOutcome]:
        started = self.early.take() if self.early is not None else _worker_pool(self.processes)
        with started as pool:
            try:
                yield from _bounded(
                    chunks, lambda chunk: pool.submit(extract_chunk, chunk), 2 * self.processes
                )
            except BaseException:
                stop_pool_now(pool)  # a stopped run must not wait for chunks nobody will write
                raise


@dataclass
class HelpedRunner:
    """Chunks in this process, which holds the model already, from the first moment, and on
    `helpers` spawned worker processes from the moment one of them has loaded its model.

    This process extracts on a thread, so that the thread that yields (and the caller, which
    writes each result) hands the helpers their next chunk as soon as they finish one. In an
    incremental run of 20 new articles at N = 2,000, extraction took 2.8 s (median of 5)
    against 3.2 s in this process alone.
    """

    helpers: int
    early: EarlyWorkers | None = field(default=None, compare=False, repr=False)

    def run(self, chunks: Iterable[Chunk]) -> Iterator[ChunkOutcome]:
        source = iter(chunks)
        here = ThreadPoolExecutor(1, thread_name_prefix="extract")
        if self.early is not None:
            warming: Future | None = self.early.warm
            pool = self.early.take()
        else:
            pool = _worker_pool(self.helpers)
            warming = pool.submit(os.getpid)  # done once a helper has run _warm_worker
        helpers_open = True
        on_here: dict[Future, Chunk] = {}
        on_pool: dict[Future, Chunk] = {}
        for_here: list[Chunk] = []  # chunks the helpers could not take
        try:
            while True:
                if warming is not None and warming.done():
                    helpers_open, warming = warming.exception() is None, None
                while helpers_open and warming is None and len(on_pool) < self.helpers:
                    chunk = next(source, None)
                    if chunk is None:
                        break
                    try:
                        on_pool[pool.submit(extract_chunk, chunk)] = chunk
                    except Exception:  # a broken pool (a helper was killed): this process does the rest
                        helpers_open = False
                        for_here.append(chunk)
                if not on_here:
                    chunk = for_here.pop() if for_here else next(source, None)
                    if chunk is not None:
                        on_here[here.submit(extract_chunk, chunk)] = chunk
                if not on_here and not on_pool:
                    return  # a helper still loading its model is ended below
                waiting = set(on_here) | set(on_pool) | ({warming} if warming is not None else set())
                done, _ = wait(waiting, return_when=FIRST_COMPLETED)
                finished = [_outcome(future, on_here, on_pool) for future in done if future is not warming]
                if any(error is not None for _, _, error in finished):
                    # The caller retries a failed chunk in this process: the thread finishes first,
                    # so that two threads never run the model at once.
                    wait(on_here)
                    finished += [_outcome(future, on_here, on_pool) for future in list(on_here)]
                    helpers_open = helpers_open and not any(
                        isinstance(error, BrokenProcessPool) for _, _, error in finished
                    )
                yield from finished
        finally:
            # A stopped run does not wait for the helpers' chunks, which nobody will write; the
            # thread's chunk ends first (it cannot be stopped, and must not run beside a retry).
            stop_pool_now(pool)
            here.shutdown(wait=True, cancel_futures=True)


def _outcome(future: Future, *lanes: dict[Future, Chunk]) -> ChunkOutcome:
    chunk = next(lane.pop(future) for lane in lanes if future in lane)
    error = future.exception()
    return chunk, None if error else future.result(), error


def stop_pool_now(pool: ProcessPoolExecutor) -> None:
    """Drop queued work and end the workers, instead of `shutdown(wait=True)` finishing it all."""
    pool.shutdown(wait=False, cancel_futures=True)
    for process in list((getattr(pool, "_processes", None) or {}).values()):  # no public API for this
        process.terminate()


def _bounded(chunks: Iterable[Chunk], submit, in_flight: int) -> Iterator[ChunkOutcome]:
    """Keep at most `in_flight` chunks submitted; yield each as it finishes."""
    pending: dict[Future, Chunk] = {}
    source = iter(chunks)
    exhausted = False
    while True:
        while not exhausted and len(pending) < in_flight:
            chunk = next(source, None)
            if chunk is None:
                exhausted = True
                continue
            try:
                pending[submit(chunk)] = chunk
            except Exception as error:  # a broken pool (a worker was killed): the caller retries here
                yield chunk, None, error
        if not pending:
            return
        done, _ = wait(pending, return_when=FIRST_COMPLETED)
        for future in done:
            chunk = pending.pop(future)
            error = future.exception()
            yield chunk, (None if error else future.result()), error


def LocalRunner(  # noqa: N802  (a factory that reads as a type)
    processes: int, bodies: int, early: EarlyWorkers | None = None
) -> Runner:
    """In-process for one process or a few bodies; this process and helpers for a small input
    when this process holds the model; else a pool of worker processes. `early`: workers this
    run started already, which the runner takes, or which are stopped here if it needs none."""
    from flows.extract.nlp import model_loaded

    chosen: Runner
    if processes <= 1:
        chosen = InProcessRunner()
    elif model_loaded():
        if bodies < MIN_BODIES_FOR_HELPERS:
            chosen = InProcessRunner()
        elif bodies < MIN_BODIES_FOR_WORKERS:
            chosen = HelpedRunner(processes - 1, early)
        else:
            chosen = ProcessPoolRunner(processes, early)
    elif early is not None and bodies > 0:
        # Loading the model here would take as long as a worker that started loading it before
        # the run landed its inbox still needs: however few the bodies, they go to the workers.
        chosen = ProcessPoolRunner(processes, early)
    elif bodies < MIN_BODIES_FOR_WORKERS_COLD:
        chosen = InProcessRunner()
    else:
        chosen = ProcessPoolRunner(processes)
    if early is not None and getattr(chosen, "early", None) is not early:
        early.stop()
    return chosen


def chunk_size(runner: Runner, bodies: int, largest: int) -> int:
    """Bodies per chunk: `largest` (the flow writes each chunk in one transaction), but small enough
    on worker processes that each gets several chunks and they finish together (with one size for
    all, 20 new bodies were one chunk for one of two workers, 100 were chunks of 64 and 36)."""
    if isinstance(runner, ProcessPoolRunner):
        return max(1, min(largest, math.ceil(bodies / (CHUNKS_PER_WORKER * runner.processes))))
    if isinstance(runner, HelpedRunner):
        return max(1, min(largest, math.ceil(bodies / (CHUNKS_PER_WORKER * (runner.helpers + 1)))))
    return largest


# ---------------------------------------------------------------------------- clusters


def _extract_chunk_task():
    """The Prefect task a cluster worker runs (built lazily: importing Prefect is not free)."""
    from prefect import task
    from prefect.cache_policies import NO_CACHE

    # No cache key: hashing every body of a chunk would cost time for nothing (a body is
    # extracted once anyway, the state database is the cache).
    return task(extract_chunk, name="extract_chunk", cache_policy=NO_CACHE, persist_result=False)


def cluster_task_runner(url: str):
    """A Prefect task runner connected to the cluster at `url` (dask://, tcp:// or ray://)."""
    scheme = urlparse(url).scheme
    if scheme in {"dask", "tcp", "tls"}:
        from prefect_dask import DaskTaskRunner

        address = "tcp://" + url.split("://", 1)[1] if scheme == "dask" else url
        return DaskTaskRunner(address=address)
    if scheme == "ray":
        try:
            from prefect_ray import RayTaskRunner
        except ImportError as error:
            raise RuntimeError(
                "--runner ray://... needs the prefect-ray package (and ray), which is not installed"
            ) from error
        return RayTaskRunner(address=url)
    raise ValueError(f"unknown runner {url!r}: use local, dask://HOST:PORT or ray://HOST:PORT")


CONNECT_ATTEMPTS = 3


@contextmanager
def _connected(url: str) -> Iterator:
    """The cluster's task runner, entered; a refused or aborted connection is retried.

    Ray's client server starts one server process per client and, on a busy head, that start
    sometimes fails at once ("Starting Ray client server failed"); a new connection gets a new one.
    """
    for attempt in range(1, CONNECT_ATTEMPTS + 1):
        task_runner = cluster_task_runner(url)
        try:
            task_runner.__enter__()
        except ConnectionError:
            if attempt == CONNECT_ATTEMPTS:
                raise
            time.sleep(2 * attempt)
            continue
        break
    try:
        yield task_runner
    except BaseException:
        if not task_runner.__exit__(*sys.exc_info()):
            raise
    else:
        task_runner.__exit__(None, None, None)


@dataclass
class TaskRunnerRunner:
    """Chunks as Prefect tasks on a cluster, through its Prefect task runner."""

    url: str
    in_flight: int = 8

    def run(self, chunks: Iterable[Chunk]) -> Iterator[ChunkOutcome]:
        from prefect.futures import as_completed

        chunk_task = _extract_chunk_task()
        with _connected(self.url) as task_runner:
            pending: dict = {}
            source = iter(chunks)
            exhausted = False
            while True:
                while not exhausted and len(pending) < self.in_flight:
                    chunk = next(source, None)
                    if chunk is None:
                        exhausted = True
                    else:
                        pending[task_runner.submit(chunk_task, {"chunk": chunk})] = chunk
                if not pending:
                    return
                future = next(as_completed(list(pending)))
                chunk = pending.pop(future)
                try:
                    yield chunk, future.result(), None
                except Exception as error:
                    yield chunk, None, error


def make_runner(spec: str | None, processes: int, bodies: int, early: EarlyWorkers | None = None) -> Runner:
    """`None`/'local' -> LocalRunner(processes); 'dask://...' / 'ray://...' -> the cluster."""
    if not spec or spec == "local":
        return LocalRunner(processes, bodies, early)
    cluster_task_runner(spec)  # fail fast on an unknown scheme or a missing package
    return TaskRunnerRunner(spec)
