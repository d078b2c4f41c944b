"""Landing under load: peak memory and time for a huge inbox of small files, and for very large files.

    .venv/bin/python -m flows.bench_load --case small --files 100000 --work-dir /tmp/bench
    .venv/bin/python -m flows.bench_load --case large --total-mb 1024 --work-dir /tmp/bench

`small` writes N small files (real sample articles, each with its own first line so every body
differs); `large` writes a few very large files totalling about `--total-mb`: JSONL exports just
under the landing size limit, made of the sample articles, plus one text file over the limit
(hashed as a stream and quarantined, never read whole). Both are landed into a fresh state
database by `land_inbox`, as a run does. Peak RSS is sampled every 0.1 s over the flow process
and its landing workers (summed), beside the flow process's own peak (ru_maxrss). Not a test:
run by hand, the figures go in the round's note.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import resource
import shutil
import threading
import time
from datetime import datetime
from pathlib import Path

from flows.land import MAX_FILE_BYTES, land_inbox
from flows.paths import SAMPLE_CORPUS
from flows.state import connect_state


def _articles() -> list[str]:
    return [p.read_text(encoding="utf-8") for p in sorted(SAMPLE_CORPUS.glob("*.txt"))]


def write_small(inbox: Path, files: int) -> int:
    articles = [a[:3000] for a in _articles()]
    total = 0
    for n in range(files):
        folder = inbox / f"{n // 1000:03d}"
        if n % 1000 == 0:
            folder.mkdir(parents=True, exist_ok=True)
        data = f"Bulletin {n}\n\n{articles[n % len(articles)]}".encode()
        (folder / f"story_{n:06d}.txt").write_bytes(data)
        total += len(data)
    return total


def write_large(inbox: Path, total_mb: int) -> int:
    inbox.mkdir(parents=True, exist_ok=True)
    articles = _articles()
    budget = total_mb * 1024 * 1024
    oversize = min(budget // 4, MAX_FILE_BYTES * 3)  # one file over the limit: streamed, quarantined
    per_export = MAX_FILE_BYTES - 2 * 1024 * 1024  # just under the limit: read whole and landed
    written = 0
    with (inbox / "archive_dump.txt").open("w", encoding="utf-8") as handle:
        n = 0
        while handle.tell() < oversize:
            handle.write(articles[n % len(articles)] + "\n\n")
            n += 1
        written += handle.tell()
    export = 0
    while written < budget:
        with (inbox / f"export_{export:02d}.jsonl").open("w", encoding="utf-8") as handle:
            n = 0
            while handle.tell() < min(per_export, budget - written):
                record = {"title": f"Export {export} item {n}", "text": articles[n % len(articles)]}
                handle.write(json.dumps(record, ensure_ascii=False) + "\n")
                n += 1
            written += handle.tell()
        export += 1
    return written


class PeakRss:
    """Sample the summed RSS of this process and its children every `interval` seconds."""

    def __init__(self, interval: float = 0.1) -> None:
        import psutil

        self._process = psutil.Process()
        self.interval = interval
        self.peak_tree = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _sample(self) -> int:
        import psutil

        total = 0
        for process in [self._process, *self._process.children(recursive=True)]:
            with contextlib.suppress(psutil.Error):  # a worker that just ended
                total += process.memory_info().rss
        return total

    def _run(self) -> None:
        while not self._stop.is_set():
            self.peak_tree = max(self.peak_tree, self._sample())
            time.sleep(self.interval)

    def __enter__(self) -> PeakRss:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()


def run(case: str, work_dir: Path, files: int, total_mb: int) -> dict[str, object]:
    inbox, home = work_dir / f"inbox-{case}", work_dir / f"home-{case}"
    shutil.rmtree(home, ignore_errors=True)
    if not inbox.exists():
        written = write_small(inbox, files) if case == "small" else write_large(inbox, total_mb)
    else:
        written = sum(p.stat().st_size for p in inbox.rglob("*") if p.is_file())
    input_files = sum(1 for p in inbox.rglob("*") if p.is_file())
    con = connect_state(home)
    started = time.perf_counter()
    with PeakRss() as sampler:
        summary = land_inbox(inbox, con, f"bench-{case}", datetime.now())
    seconds = time.perf_counter() - started
    articles = con.execute("SELECT count(*) FROM raw.articles").fetchone()[0]
    con.close()
    return {
        "case": case,
        "input_files": input_files,
        "input_mb": round(written / 1024 / 1024, 1),
        "seconds": round(seconds, 1),
        "files_per_s": round(input_files / seconds, 1),
        "mb_per_s": round(written / 1024 / 1024 / seconds, 2),
        "peak_rss_tree_mb": round(sampler.peak_tree / 1024 / 1024),
        "peak_rss_flow_process_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
        "peak_rss_one_worker_mb": round(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024),
        "documents_new": summary.documents_new,
        "articles": articles,
        "quarantined": summary.quarantined,
        "state_db_mb": round((home / "state.duckdb").stat().st_size / 1024 / 1024, 1),
        "cpus": os.cpu_count(),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m flows.bench_load", description=__doc__.split("\n")[0])
    parser.add_argument("--case", choices=("small", "large"), required=True)
    parser.add_argument("--files", type=int, default=100_000, help="small: how many files")
    parser.add_argument("--total-mb", type=int, default=1024, help="large: about how many MB in all")
    parser.add_argument("--work-dir", type=Path, required=True, help="inbox and home go here (kept)")
    parser.add_argument("--json", type=Path, default=None, help="also write the figures here")
    args = parser.parse_args(argv)
    args.work_dir.mkdir(parents=True, exist_ok=True)
    figures = run(args.case, args.work_dir, args.files, args.total_mb)
    text = json.dumps(figures, indent=2)
    print(text)
    if args.json:
        args.json.write_text(text + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
