"""Scale: the synthetic bench corpus, extraction runners (local processes, Dask, Ray), the no-op skip, Parquet.

Nothing here measures time: the targets are checked by `steppewatch bench`, not by tests.
"""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

import duckdb
import pytest
from helpers import warehouse_rows

from flows.audit import CONTRACT_TABLES
from flows.paths import PUBLISHED_NAME
from flows.state import connect_state


def sha256_file(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


# ---------------------------------------------------------------------------- the bench corpus


@pytest.fixture(scope="module")
def shape():
    from flows.bench import sample_shape

    return sample_shape()


def test_synthetic_articles_are_deterministic_and_distinct(shape):
    from flows.bench import synthetic_article

    assert synthetic_article(shape, 7) == synthetic_article(shape, 7), "article i depends only on (seed, i)"
    texts = {synthetic_article(shape, i) for i in range(30)}
    assert len(texts) == 30, "every article has its own body (else the extraction cache would merge them)"


def test_synthetic_articles_look_like_the_samples(shape, tmp_path: Path):
    from flows.bench import landed_bodies, write_corpus

    paths = write_corpus(tmp_path, shape, 0, 20)
    bodies = landed_bodies(paths, tmp_path)
    assert len(bodies) == 20, "each file lands as exactly one article"
    words = [len(b.split()) for b in bodies]
    assert min(words) >= 0.7 * min(shape.article_words)
    assert max(words) <= 1.3 * max(shape.article_words) + 100
    assert all("{" not in b for b in bodies), "every slot is filled"
    assert len(shape.templates) > 100 and any("{PERSON}" in t for t in shape.templates)


def test_bench_runs_the_pipeline_four_times_and_writes_its_figures(prefect_server, tmp_path: Path):
    """The bench end to end on a tiny corpus: the figures' shape, not their values (no timing here)."""
    import json

    from flows.bench import run_bench

    out = tmp_path / "bench.json"
    result = run_bench(6, json_path=out, n_process=1, work_dir=tmp_path / "work", fixed_incremental=2)
    figures = json.loads(out.read_text(encoding="utf-8"))
    assert figures["articles"] == 6 and figures["words"] > 6 * 300
    for key in ("prefect_startup_s", "first_run_s", "reference_s", "ratio", "peak_rss_mb", "noop_rerun_s"):
        assert figures[key] > 0, key
    assert set(figures["stage_s"]) >= {
        "land",
        "extract",
        "gate_landing",
        "transform",
        "gate_marts",
        "publish",
    }
    assert figures["noop_message"].startswith("unchanged since run")
    assert "transform" not in figures["noop_stage_s"], "the no-op rerun builds nothing"
    assert figures["incremental_articles"] == 1 and "transform" in figures["incremental_stage_s"]
    assert figures["incremental_message"].startswith("incremental build from run")
    assert figures["fixed_incremental_articles"] == 2 and "transform" in figures["fixed_incremental_stage_s"]
    assert set(figures["targets"]) == {
        "incremental<=5%",
        "ratio>=0.85",
        "e2e>=0.5*ner_only",
        "peak_rss_mb<=2048",
        "noop<=10%",
        "incremental<=10%",
    }
    assert result.first_run_s == figures["first_run_s"]


def test_rss_sampler_sees_this_process():
    from flows.bench import TreeRssSampler

    with TreeRssSampler(interval_s=0.05) as sampler:
        pass
    assert sampler.peak_mb > 10


def test_cpu_seconds_count_work():
    from flows.bench import cpu_seconds

    before = cpu_seconds()
    sum(i * i for i in range(300_000))
    assert cpu_seconds() > before


# ---------------------------------------------------------------------------- runners


def test_runner_choice():
    from flows.extract.runner import InProcessRunner, ProcessPoolRunner, TaskRunnerRunner, make_runner

    assert isinstance(make_runner(None, 1, 10_000), InProcessRunner)
    assert isinstance(make_runner("local", 2, 5), InProcessRunner), (
        "a few bodies are not worth worker processes"
    )
    assert isinstance(make_runner(None, 2, 10_000), ProcessPoolRunner)
    assert isinstance(make_runner("dask://127.0.0.1:8786", 1, 10), TaskRunnerRunner)
    with pytest.raises(ValueError, match="unknown runner"):
        make_runner("spark://host:7077", 1, 10)
    assert isinstance(make_runner("ray://127.0.0.1:10001", 1, 10), TaskRunnerRunner)  # prefect-ray is locked


def test_the_runner_follows_the_input_and_whether_this_process_holds_the_model(monkeypatch):
    """Without the model here, workers pay from a handful of bodies on (loading it here costs about
    what starting them does). With it, this process starts at once and helpers join it; a large
    input goes to worker processes alone."""
    import flows.extract.nlp
    from flows.extract.runner import (
        MIN_BODIES_FOR_HELPERS,
        MIN_BODIES_FOR_WORKERS,
        MIN_BODIES_FOR_WORKERS_COLD,
        HelpedRunner,
        InProcessRunner,
        ProcessPoolRunner,
        chunk_size,
        make_runner,
    )

    monkeypatch.setattr(flows.extract.nlp, "model_loaded", lambda: False)
    assert isinstance(make_runner(None, 2, MIN_BODIES_FOR_WORKERS_COLD - 1), InProcessRunner)
    assert isinstance(make_runner(None, 2, MIN_BODIES_FOR_WORKERS_COLD), ProcessPoolRunner)
    assert isinstance(make_runner(None, 1, 10_000), InProcessRunner)
    monkeypatch.setattr(flows.extract.nlp, "model_loaded", lambda: True)
    assert isinstance(make_runner(None, 2, MIN_BODIES_FOR_HELPERS - 1), InProcessRunner)
    assert make_runner(None, 2, MIN_BODIES_FOR_HELPERS) == HelpedRunner(1)
    assert make_runner(None, 4, MIN_BODIES_FOR_WORKERS - 1) == HelpedRunner(3)
    assert isinstance(make_runner(None, 2, MIN_BODIES_FOR_WORKERS), ProcessPoolRunner)
    assert isinstance(make_runner(None, 1, 10_000), InProcessRunner)
    assert chunk_size(ProcessPoolRunner(2), 20, 64) == 3, "20 bodies: several chunks for each of two workers"
    assert chunk_size(ProcessPoolRunner(2), 100_000, 64) == 64
    assert chunk_size(HelpedRunner(1), 20, 64) == 3, "this process and its helper: several chunks each"
    assert chunk_size(InProcessRunner(), 20, 64) == 64, "here, a chunk is one write"


def test_a_refused_cluster_connection_is_retried(monkeypatch):
    import flows.extract.runner as runner

    attempts = []
    failures_before_success = runner.CONNECT_ATTEMPTS - 1

    class FlakyTaskRunner:
        def __enter__(self):
            attempts.append(1)
            if len(attempts) <= failures_before_success:
                raise ConnectionAbortedError("Starting Ray client server failed")
            return self

        def __exit__(self, *exc):
            return False

    monkeypatch.setattr(runner, "cluster_task_runner", lambda url: FlakyTaskRunner())
    monkeypatch.setattr(runner.time, "sleep", lambda s: None)
    with runner._connected("ray://127.0.0.1:10001") as connected:
        assert isinstance(connected, FlakyTaskRunner)
    assert len(attempts) == runner.CONNECT_ATTEMPTS

    attempts.clear()
    failures_before_success = runner.CONNECT_ATTEMPTS  # never connects: the last error is raised
    with pytest.raises(ConnectionAbortedError), runner._connected("ray://127.0.0.1:10001"):
        pass
    assert len(attempts) == runner.CONNECT_ATTEMPTS


def test_worker_processes_give_what_the_flow_process_gives(shape):
    from flows.bench import synthetic_article
    from flows.extract.model import ArticleInput
    from flows.extract.runner import HelpedRunner, InProcessRunner, ProcessPoolRunner

    articles = [
        ArticleInput(hashlib.sha256(text.encode()).hexdigest(), text)
        for text in (synthetic_article(shape, i)[:3000] for i in range(4))
    ]
    chunks = [articles[:2], articles[2:]]
    local = {r.content_sha256: r for _, results, _ in InProcessRunner().run(chunks) for r in results}
    for runner in (ProcessPoolRunner(2), HelpedRunner(1)):
        outcomes = list(runner.run(chunks))
        assert all(error is None for _, _, error in outcomes)
        assert sorted(len(chunk) for chunk, _, _ in outcomes) == [2, 2], "each chunk once"
        pooled = {r.content_sha256: r for _, results, _ in outcomes for r in results}
        assert pooled == local, runner


def test_a_helped_run_gives_back_a_failed_chunk_with_its_error_and_every_other_chunk(shape):
    """A chunk that fails comes back with its error (the flow retries it article by article in
    this process); every other chunk comes back once, done."""
    from flows.bench import synthetic_article
    from flows.extract.model import ArticleInput
    from flows.extract.runner import HelpedRunner

    texts = [synthetic_article(shape, i)[:1500] for i in range(10, 22)]
    chunks = [[ArticleInput(hashlib.sha256(t.encode()).hexdigest(), t)] for t in texts]
    chunks[7] = [ArticleInput("f" * 64, None)]  # type: ignore[arg-type]  # no body: extraction raises
    outcomes = list(HelpedRunner(1).run(chunks))
    assert sorted(chunk[0].content_sha256 for chunk, _, _ in outcomes) == sorted(
        chunk[0].content_sha256 for chunk in chunks
    ), "each chunk comes back once"
    failed = [(chunk, error) for chunk, results, error in outcomes if error is not None]
    assert [chunk[0].content_sha256 for chunk, _ in failed] == ["f" * 64]
    assert all(len(results) == 1 for _, results, error in outcomes if error is None)


def test_a_helped_run_does_not_wait_for_a_helper_still_loading_its_model(shape):
    """One small chunk is done here long before a spawned helper has loaded spaCy: the run ends
    with it, and the helper is ended, not left behind; so are the helpers of a run stopped early."""
    import psutil

    from flows.bench import synthetic_article
    from flows.extract.model import ArticleInput
    from flows.extract.runner import HelpedRunner

    text = synthetic_article(shape, 7)[:400]
    chunk = [ArticleInput(hashlib.sha256(text.encode()).hexdigest(), text)]
    before = {p.pid for p in psutil.Process().children(recursive=True)}
    outcomes = list(HelpedRunner(1).run([chunk]))
    assert [(len(c), len(r), e) for c, r, e in outcomes] == [(1, 1, None)]
    stopped = HelpedRunner(1).run([chunk] * 6)
    next(stopped)
    stopped.close()  # a run stopped after its first chunk (the flow's generator is closed)
    alive = _spawned_still_alive(before)
    assert not alive, f"helpers outlived the run: {alive}"


def _spawned_still_alive(before: set[int], timeout_s: float = 30) -> list:
    """The processes started since `before` (a set of pids) that have not ended within `timeout_s`."""
    import psutil

    def spawned(process: psutil.Process) -> bool:
        try:  # multiprocessing's resource tracker lives as long as this process, by design
            return process.pid not in before and "resource_tracker" not in " ".join(process.cmdline())
        except psutil.NoSuchProcess:
            return False

    _, alive = psutil.wait_procs(
        [p for p in psutil.Process().children(recursive=True) if spawned(p)], timeout=timeout_s
    )
    return alive


def test_early_workers_go_to_the_runner_that_uses_them_and_end_otherwise(shape, monkeypatch):
    """A run starts its workers before it knows its bodies. Without the model here, even a few
    bodies go to them (they have a head start on a load here); with it, a few bodies stay here
    and a small input goes to this process and the early helper. Workers no runner takes end."""
    import psutil

    import flows.extract.nlp
    from flows.bench import synthetic_article
    from flows.extract.model import ArticleInput
    from flows.extract.runner import (
        MIN_BODIES_FOR_HELPERS,
        EarlyWorkers,
        HelpedRunner,
        InProcessRunner,
        ProcessPoolRunner,
        early_workers,
        make_runner,
    )

    before = {p.pid for p in psutil.Process().children(recursive=True)}
    with (
        early_workers("dask://127.0.0.1:8786", 2) as on_cluster,
        early_workers(None, 1) as single,
        early_workers(None, 2, wanted=False) as unwanted,
    ):
        assert on_cluster is None and single is None and unwanted is None

    texts = [synthetic_article(shape, i)[:1200] for i in range(30, 33)]
    chunk = [ArticleInput(hashlib.sha256(t.encode()).hexdigest(), t) for t in texts]
    monkeypatch.setattr(flows.extract.nlp, "model_loaded", lambda: False)
    with early_workers(None, 2) as early:
        runner = make_runner(None, 2, len(chunk), early)
        assert isinstance(runner, ProcessPoolRunner) and runner.early is early
        pooled = {
            r.content_sha256: r for _, results, _ in runner.run([chunk[:2], chunk[2:]]) for r in results
        }
    local = {r.content_sha256: r for _, results, _ in InProcessRunner().run([chunk]) for r in results}
    assert pooled == local
    with early_workers(None, 2) as early:
        assert isinstance(make_runner(None, 2, 0, early), InProcessRunner), "nothing to extract"

    monkeypatch.setattr(flows.extract.nlp, "model_loaded", lambda: True)
    early = EarlyWorkers(2)
    assert isinstance(make_runner(None, 2, MIN_BODIES_FOR_HELPERS - 1, early), InProcessRunner)
    with pytest.raises(RuntimeError, match="taken or stopped"):
        early.take()  # stopped when the runner was chosen, not at the end of the run
    early = EarlyWorkers(2)
    helped = make_runner(None, 2, MIN_BODIES_FOR_HELPERS, early)
    assert helped == HelpedRunner(1) and helped.early is early
    early.stop()  # a run that ended before extracting (its block's exit does this)

    alive = _spawned_still_alive(before)
    assert not alive, f"early workers outlived their run: {alive}"


# ---------------------------------------------------------------------------- Dask, skip, Parquet


@pytest.fixture(scope="module")
def dask_cluster():
    distributed = pytest.importorskip("distributed")
    cluster = distributed.LocalCluster(
        n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None, silence_logs=40
    )
    client = distributed.Client(cluster)
    try:
        yield cluster, client
    finally:
        client.close()
        cluster.close()


def test_dask_run_equals_local_run_then_rerun_is_a_no_op(
    prefect_server, sample_run, sample_inbox, dask_cluster, tmp_path: Path, monkeypatch
):
    import flows.tasks
    from flows.pipeline import steppewatch_run

    cluster, client = dask_cluster
    local_home, _ = sample_run
    monkeypatch.setattr(flows.tasks, "EXTRACT_CHUNK", 3)  # several chunks, so both workers get some
    home = tmp_path / "home"
    address = cluster.scheduler_address.replace("tcp://", "dask://")

    summary = steppewatch_run(inbox=str(sample_inbox), home=str(home), runner=address)

    assert summary.status == "published" and summary.articles_extracted == 8
    worked = client.run(lambda: __import__("sys").modules.get("flows.extract.nlp") is not None)
    assert any(worked.values()), "extraction ran on the cluster's workers"
    published = home / PUBLISHED_NAME
    assert warehouse_rows(published) == warehouse_rows(local_home / PUBLISHED_NAME)

    # Parquet: one file per contract table, the same rows as the published DuckDB file.
    con = duckdb.connect(str(published), read_only=True)
    try:
        for table in CONTRACT_TABLES:
            parquet = home / "parquet" / f"{table}.parquet"
            assert parquet.exists(), table
            expected = con.execute(f"SELECT count(*) FROM marts.{table}").fetchone()[0]
            assert (
                con.execute("SELECT count(*) FROM read_parquet(?)", [str(parquet)]).fetchone()[0] == expected
            )
    finally:
        con.close()
    assert not list(home.glob(".parquet.*")), "no staging folder left behind"

    # The same inbox again: nothing to build, the published files stay byte-identical.
    digest = sha256_file(published)
    again = steppewatch_run(inbox=str(sample_inbox), home=str(home))
    assert again.status == "unchanged" and again.articles_extracted == 0
    assert again.message.startswith("unchanged since run " + summary.run_id)
    assert "transform" not in again.stage_s and "skip_unchanged" in again.stage_s
    assert again.table_rows == summary.table_rows
    assert sha256_file(published) == digest
    con = connect_state(home)
    try:
        runs = con.execute("SELECT status, message FROM ops.run_log ORDER BY started_at").fetchall()
    finally:
        con.close()
    assert [status for status, _ in runs] == ["published", "unchanged"]
    assert runs[-1][1].startswith("unchanged since run")


@pytest.fixture(scope="module")
def ray_cluster(tmp_path_factory):
    """A local Ray head (two CPUs) with its client server, as an existing cluster would be."""
    import socket
    import subprocess
    import sys

    pytest.importorskip("prefect_ray")
    ray = str(Path(sys.executable).parent / "ray")

    def free_port() -> int:
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            return probe.getsockname()[1]

    client_port = free_port()
    env = {**__import__("os").environ, "RAY_USAGE_STATS_ENABLED": "0"}
    # 127.0.0.1: on a host whose interface address is not routable to itself, Ray's client
    # server cannot reach its per-client servers.
    subprocess.run(
        [ray, "start", "--head", "--node-ip-address=127.0.0.1", "--num-cpus=2", f"--port={free_port()}",
         f"--ray-client-server-port={client_port}", "--include-dashboard=false", "--disable-usage-stats",
         f"--temp-dir={tmp_path_factory.mktemp('ray')}"],
        check=True, capture_output=True, env=env, timeout=180,
    )  # fmt: skip
    try:
        yield f"ray://127.0.0.1:{client_port}"
    finally:
        subprocess.run([ray, "stop", "--force"], capture_output=True, env=env, timeout=120)


def test_ray_run_equals_local_run(
    prefect_server, sample_run, sample_inbox, ray_cluster, tmp_path: Path, monkeypatch
):
    import flows.tasks
    from flows.pipeline import steppewatch_run

    local_home, _ = sample_run
    monkeypatch.setattr(flows.tasks, "EXTRACT_CHUNK", 3)
    home = tmp_path / "home"

    summary = steppewatch_run(inbox=str(sample_inbox), home=str(home), runner=ray_cluster)

    assert summary.status == "published" and summary.articles_extracted == 8
    assert warehouse_rows(home / PUBLISHED_NAME) == warehouse_rows(local_home / PUBLISHED_NAME)


# ---------------------------------------------------------------------------- freshness


def _published_home(tmp_path: Path) -> tuple[Path, Path, dict[str, str]]:
    from flows.freshness import build_inputs, record_publish

    home = tmp_path / "home"
    con = connect_state(home)
    con.execute(
        "INSERT INTO raw.documents (document_id, source_uri, content_sha256, size_bytes, encoding, media_type, "
        "language, raw_path, landed_at, run_id) VALUES ('d1', 'a.txt', 'sha', 3, 'utf-8', 'text/plain', 'en', NULL, "
        "TIMESTAMP '2024-01-01 00:00:00', 'r1')"
    )
    inputs = build_inputs(con, "v1")
    con.close()
    published = home / PUBLISHED_NAME
    published.write_bytes(b"warehouse")
    parquet = [home / "parquet" / f"{t}.parquet" for t in CONTRACT_TABLES]
    parquet[0].parent.mkdir()
    for path in parquet:
        path.write_bytes(b"PAR1")
    record_publish(home, published, inputs, "r1", parquet)
    return home, published, inputs


def test_unchanged_inputs_are_recognised(tmp_path: Path):
    from flows.freshness import build_inputs, unchanged_since_publish

    home, published, _ = _published_home(tmp_path)
    con = connect_state(home)
    try:
        assert unchanged_since_publish(home, published, build_inputs(con, "v1")) == ("r1", "unchanged")
        previous, why = unchanged_since_publish(home, published, build_inputs(con, "v2"))
        assert previous is None and "extractor_version" in why
        con.execute("UPDATE raw.documents SET language = 'ru'")  # even a hand edit of the state counts
        previous, why = unchanged_since_publish(home, published, build_inputs(con, "v1"))
        assert previous is None and why.endswith("raw.documents")
    finally:
        con.close()


def test_a_replaced_published_file_or_missing_parquet_forces_a_build(tmp_path: Path):
    from flows.freshness import unchanged_since_publish

    home, published, inputs = _published_home(tmp_path)
    (home / "parquet" / f"{CONTRACT_TABLES[-1]}.parquet").unlink()
    assert unchanged_since_publish(home, published, inputs)[0] is None
    home, published, inputs = _published_home(tmp_path / "second")
    replacement = published.with_name("other")
    replacement.write_bytes(b"a different warehouse")
    shutil.move(replacement, published)
    assert unchanged_since_publish(home, published, inputs)[0] is None
