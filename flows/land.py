"""Landing: every file of the inbox -> `raw.documents`, `raw.articles`, `ops.quarantine`.

Landing is idempotent and keeps history. A document is one landing of a content of a file
(or of a JSON record): a file whose content is still its current version adds nothing, a
changed one adds a new document and new article rows while the old ones stay.

The current version of a source is the document with the latest `landed_at` (ties: the
greatest document_id), see CURRENT_DOCUMENTS_SQL. A file reverted to an older content
(A -> B -> A) therefore lands A again as a new document, keyed by the run
(`document_id(uri, sha, run_id)`), so it becomes current while A's first landing and B stay
as history. Its article bodies are unchanged, so extraction's cache still holds them. Nothing is dropped silently:
what cannot become an article (binary, empty, undecodable, malformed JSON, a symlink
leaving the inbox, a page that is all furniture) goes to `ops.quarantine` with a reason,
once per content.

Rows are collected in memory and written in batches as Arrow frames with one
`INSERT ... SELECT` per table, inside one transaction per batch.
"""

from __future__ import annotations

import hashlib
import logging
import multiprocessing
import os
from collections import deque
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import duckdb
import polars as pl

from flows.diskfull import write_fault_point
from flows.interrupt import end_with_parent
from flows.landing.formats import Record, Rejected, media_type_for, read_records, sha256_hex
from flows.landing.prepare import PreparedRecord, prepare_file, prepare_record
from flows.landing.segment import ArticleDraft
from flows.progress import progress_bar

log = logging.getLogger(__name__)

MAX_FILE_BYTES = 64 * 1024 * 1024
# An article body longer than this is not a news article (a dump, a log, a book): it is
# quarantined instead of being sent through NLP for many minutes. A big file of many
# articles (a JSONL export, a multi-article page) still lands article by article.
MAX_ARTICLE_CHARS = 8_000_000
STAGE = "land"
BATCH_DOCUMENTS = 500
BATCH_BODY_CHARS = 32 * 1024 * 1024
# Worker processes cut articles when an inbox has this many files; the flow process keeps every
# write and applies results in inbox order. At most _WINDOW_FILES files (and _WINDOW_BYTES of
# them) are read ahead, so a folder of big exports does not fill memory.
MIN_FILES_FOR_WORKERS = 400
CUT_HERE_FIRST = 32  # files cut in the flow process before workers are worth starting
MAX_LANDING_WORKERS = 4
_WINDOW_FILES = 256
_WINDOW_BYTES = 256 * 1024 * 1024
LOG_EVERY_FILES = 1000  # a "landing: n/total" log line, for logs where no progress bar is drawn

_DOCUMENT_SCHEMA: dict[str, Any] = {
    "document_id": pl.String,
    "source_uri": pl.String,
    "content_sha256": pl.String,
    "size_bytes": pl.Int64,
    "encoding": pl.String,
    "media_type": pl.String,
    "language": pl.String,
    "raw_path": pl.String,
    "landed_at": pl.Datetime("us"),
    "run_id": pl.String,
    "decode_replacements": pl.Int32,
}
_ARTICLE_SCHEMA: dict[str, Any] = {
    "article_id": pl.String,
    "document_id": pl.String,
    "ordinal": pl.Int32,
    "source_uri": pl.String,
    "source_name": pl.String,
    "url": pl.String,
    "title": pl.String,
    "published_date": pl.Date,
    "published_date_precision": pl.String,
    "language": pl.String,
    "body": pl.String,
    "char_count": pl.Int32,
    "content_sha256": pl.String,
    "landed_at": pl.Datetime("us"),
    "run_id": pl.String,
}
_QUARANTINE_SCHEMA: dict[str, Any] = {
    "source_uri": pl.String,
    "content_sha256": pl.String,
    "stage": pl.String,
    "reason": pl.String,
    "raw_path": pl.String,
    "quarantined_at": pl.Datetime("us"),
    "run_id": pl.String,
}
# Fixed, trusted table names and column lists; the data itself only travels as frames.
_TARGETS = (
    ("raw.documents", "landing_documents", _DOCUMENT_SCHEMA),
    ("raw.articles", "landing_articles", _ARTICLE_SCHEMA),
    ("ops.quarantine", "landing_quarantine", _QUARANTINE_SCHEMA),
)


@dataclass
class LandingSummary:
    files_seen: int = 0
    records_seen: int = 0  # documents found: one per file, or per JSON/JSONL record
    documents_new: int = 0
    documents_unchanged: int = 0
    quarantined: int = 0  # new quarantine rows written by this run
    quarantine_known: int = 0  # rejects already quarantined with the same content
    articles_new: int = 0


@dataclass(frozen=True)
class InboxEntry:
    rel_path: str  # posix, relative to the inbox: the source_uri of the file
    path: Path  # absolute path inside the inbox (a symlink stays a symlink here)
    problem: str | None = None  # set when the entry must not be read


# The rule every stage uses to pick the current version of a source (also
# flows/extract/store.py CURRENT_ARTICLES_SQL, expectations/landing.yml, dbt stg_articles).
CURRENT_DOCUMENTS_SQL = """
    SELECT document_id, source_uri, content_sha256 FROM raw.documents
    QUALIFY row_number() OVER (PARTITION BY source_uri ORDER BY landed_at DESC, document_id DESC) = 1
"""


def document_id(source_uri: str, content_sha256: str, relanded_by: str | None = None) -> str:
    """sha256(uri|sha)[:16]; a content landed again after a revert adds `|run_id`."""
    key = f"{source_uri}|{content_sha256}" + (f"|{relanded_by}" if relanded_by else "")
    return hashlib.sha256(key.encode()).hexdigest()[:16]


def article_id(source_uri: str, ordinal: int) -> str:
    return hashlib.sha256(f"{source_uri}#{ordinal}".encode()).hexdigest()[:16]


def land_inbox(
    inbox: Path, con: duckdb.DuckDBPyConnection, run_id: str, landed_at: datetime
) -> LandingSummary:
    """Land every file under `inbox` into the state database behind `con`."""
    root = Path(inbox).resolve(strict=True)
    if not root.is_dir():
        raise NotADirectoryError(f"inbox is not a directory: {root}")
    lander = _Lander(con=con, run_id=run_id, landed_at=_naive_utc(landed_at))
    entries = list(iter_inbox(root))
    workers = landing_workers(len(entries))
    with progress_bar("land", total=len(entries)) as advance, _preparer(workers) as prepare:
        window: deque[_Pending] = deque()
        window_bytes = 0
        for done, entry in enumerate(entries, start=1):
            read = lander.read(entry)
            if read is not None:
                window.append(_Pending(entry, *read, prepare(entry.rel_path, *read[:2])))
                window_bytes += len(read[0])
            while len(window) > _WINDOW_FILES or (window and window_bytes > _WINDOW_BYTES):
                applied = window.popleft()
                window_bytes -= len(applied.data)
                lander.apply(applied)
            advance(1)
            if done % LOG_EVERY_FILES == 0:
                log.info("landing: %d/%d files", done, len(entries))
        while window:
            lander.apply(window.popleft())
    lander.flush()
    log.info("landing %s: %s", run_id, lander.summary)
    return lander.summary


def landing_workers(files: int) -> int:
    """Worker processes for cutting articles: none for a small inbox (spawning costs ~1 s)."""
    if files < MIN_FILES_FOR_WORKERS:
        return 0
    return max(0, min(os.cpu_count() or 1, MAX_LANDING_WORKERS))


@dataclass
class _Pending:
    """A file read and hashed, its records being prepared (in a worker or later, here)."""

    entry: InboxEntry
    data: bytes
    file_sha: str
    is_json: bool
    prepared: Future | None


@contextmanager
def _preparer(workers: int) -> Iterator[Callable[[str, bytes, str], Future | None]]:
    """Yield `prepare(rel_path, data, sha)`: a Future of `prepare_file` on a worker, or None (do it here).

    Only single-record files go to workers: a JSON file's records are prepared one by one here,
    after the check that skips the ones already landed. The workers start only once more than
    CUT_HERE_FIRST files need cutting: a nightly run over a big inbox reads thousands of files
    it has already landed and cuts a few new ones, which spawning workers would cost more than.
    """
    if workers < 2:
        yield lambda rel_path, data, sha: None
        return
    # spawn, not fork: the flow process has Prefect's threads and an open DuckDB file.
    context = multiprocessing.get_context("spawn")
    pool: ProcessPoolExecutor | None = None
    to_cut = 0

    def prepare(rel_path: str, data: bytes, sha: str) -> Future | None:
        nonlocal pool, to_cut
        if media_type_for(rel_path) == "application/json":
            return None
        to_cut += 1
        if pool is None:
            if to_cut <= CUT_HERE_FIRST:
                return None
            pool = ProcessPoolExecutor(workers, mp_context=context, initializer=end_with_parent)
        return pool.submit(prepare_file, rel_path, data, sha)

    try:
        yield prepare
    except BaseException:
        from flows.extract.runner import stop_pool_now

        if pool is not None:
            stop_pool_now(pool)  # stopped (a signal, a full disk): do not cut the queued files first
        raise
    finally:
        if pool is not None:
            pool.shutdown(wait=True)


def iter_inbox(root: Path) -> Iterator[InboxEntry]:
    """Every non-hidden file under root, sorted by relative path; symlinks are checked, not followed out."""
    entries: list[InboxEntry] = []
    pending = [str(root)]
    prefix = len(os.path.join(str(root), ""))  # the root and its separator, cut from each path
    while pending:
        directory = pending.pop()
        with os.scandir(directory) as scan:
            children = list(scan)
        for child in children:
            if child.name.startswith("."):
                continue  # dot-files and dot-directories (.git, .DS_Store) are not content
            path = Path(child.path)
            # a slice, not Path.relative_to: a nightly run lists every file of a big inbox
            rel = child.path[prefix:].replace(os.sep, "/")
            if child.is_symlink():
                entry = _symlink_entry(root, path, rel)
                if entry is not None:
                    entries.append(entry)
            elif child.is_dir(follow_symlinks=False):
                pending.append(child.path)
            elif child.is_file(follow_symlinks=False):
                entries.append(InboxEntry(rel, path))
            else:
                entries.append(InboxEntry(rel, path, "not a regular file (fifo, socket or device); not read"))
    yield from sorted(entries, key=lambda e: e.rel_path)


def _symlink_entry(root: Path, path: Path, rel: str) -> InboxEntry | None:
    try:
        target = path.resolve(strict=True)
    except (OSError, RuntimeError):
        return InboxEntry(rel, path, "broken or looping symlink; not read")
    if not target.is_relative_to(root):
        return InboxEntry(rel, path, "symlink resolves outside the inbox; not read")
    if target.is_dir():
        return None  # its files are landed where they really are, inside the inbox
    if not target.is_file():
        return InboxEntry(rel, path, "symlink to something that is not a regular file; not read")
    return InboxEntry(rel, path)


def _naive_utc(moment: datetime) -> datetime:
    # TIMESTAMP columns hold naive UTC
    if moment.tzinfo is None:
        return moment
    return moment.astimezone(UTC).replace(tzinfo=None)


@dataclass
class _Lander:
    con: duckdb.DuckDBPyConnection
    run_id: str
    landed_at: datetime
    summary: LandingSummary = field(default_factory=LandingSummary)
    documents: list[dict[str, Any]] = field(default_factory=list)
    articles: list[dict[str, Any]] = field(default_factory=list)
    rejects: list[dict[str, Any]] = field(default_factory=list)
    pending_chars: int = 0
    known_documents: set[tuple[str, str]] = field(init=False)  # every (uri, sha) ever landed
    current_sha: dict[str, str] = field(init=False)  # uri -> sha of its current version
    known_rejects: set[tuple[str, str | None]] = field(init=False)

    def __post_init__(self) -> None:
        self.known_documents = set(
            self.con.execute("SELECT source_uri, content_sha256 FROM raw.documents").fetchall()
        )
        self.current_sha = {uri: sha for _, uri, sha in self.con.execute(CURRENT_DOCUMENTS_SQL).fetchall()}
        self.known_rejects = set(
            self.con.execute(
                "SELECT source_uri, content_sha256 FROM ops.quarantine WHERE stage = ?", [STAGE]
            ).fetchall()
        )

    # ------------------------------------------------------------------ one file

    def read(self, entry: InboxEntry) -> tuple[bytes, str, bool] | None:
        """(bytes, sha256, is_json) of a file still to land; None when it is quarantined or unchanged."""
        self.summary.files_seen += 1
        raw_path = str(entry.path)
        if entry.problem:
            self.reject(entry.rel_path, None, entry.problem, raw_path)
            return None
        try:
            size = entry.path.stat().st_size
            if size > MAX_FILE_BYTES:
                limit = MAX_FILE_BYTES // (1024 * 1024)
                self.reject(
                    entry.rel_path, _hash_file(entry.path), f"too large: {size} bytes > {limit} MiB", raw_path
                )
                return None
            data = read_stable(entry.path)
        except FileChanged as exc:
            # No content hash: the bytes read are no version of the file, and the finished file
            # (which may hash the same) must not count as already quarantined next run.
            self.reject(entry.rel_path, None, str(exc), raw_path)
            return None
        except FileNotFoundError:
            self.reject(
                entry.rel_path, None, "vanished: removed after the inbox was listed; not read", raw_path
            )
            return None
        except OSError as exc:
            self.reject(entry.rel_path, None, f"unreadable: {exc.strerror or exc}", raw_path)
            return None
        file_sha = sha256_hex(data)
        is_json = media_type_for(entry.rel_path) == "application/json"
        if not is_json and self._already_handled(entry.rel_path, file_sha):
            return None
        return data, file_sha, is_json

    def apply(self, pending: _Pending) -> None:
        """Land the records of a file read by `read`, in inbox order."""
        entry, raw_path = pending.entry, str(pending.entry.path)
        try:
            items = self._prepared_items(pending)
        except Exception as exc:  # a parser bug on one odd file must not sink the run
            log.exception("landing %s failed", entry.rel_path)
            self.reject(
                entry.rel_path,
                pending.file_sha,
                f"could not be parsed: {type(exc).__name__}: {exc}",
                raw_path,
            )
            return
        for record, prepared in items:
            if isinstance(record, Rejected):
                self.summary.records_seen += 1
                self.reject(record.source_uri, record.content_sha256, record.reason, raw_path)
            elif pending.is_json and self._already_handled(record.source_uri, record.content_sha256):
                continue
            else:
                self.summary.records_seen += 1
                self.land_record(record, raw_path, prepared or prepare_record(record))
        if len(self.documents) >= BATCH_DOCUMENTS or self.pending_chars >= BATCH_BODY_CHARS:
            self.flush()

    @staticmethod
    def _prepared_items(pending: _Pending) -> list[tuple[Record | Rejected, PreparedRecord | None]]:
        if pending.prepared is not None:
            try:
                return pending.prepared.result()
            except Exception:
                # a worker died (killed, out of memory) or raised: prepare it here; if it raises
                # again, the file is quarantined by the caller
                log.warning(
                    "landing worker failed on %s; preparing it in the flow process", pending.entry.rel_path
                )
        if pending.is_json:  # prepared record by record in `apply`, after the skip check
            return [
                (record, None)
                for record in read_records(pending.entry.rel_path, pending.data, pending.file_sha)
            ]
        return prepare_file(pending.entry.rel_path, pending.data, pending.file_sha)

    def _already_handled(self, source_uri: str, sha: str) -> bool:
        if self.current_sha.get(source_uri) == sha:
            self.summary.records_seen += 1
            self.summary.documents_unchanged += 1
            return True
        if (source_uri, sha) in self.known_rejects:
            self.summary.records_seen += 1
            self.summary.quarantine_known += 1
            return True
        return False

    def land_record(self, record: Record, raw_path: str, prepared: PreparedRecord) -> None:
        drafts = prepared.drafts
        if not drafts:
            self.reject(
                record.source_uri,
                record.content_sha256,
                "no article text left after removing page furniture",
                raw_path,
            )
            return
        oversize = [(n, len(d.body)) for n, d in enumerate(drafts) if len(d.body) > MAX_ARTICLE_CHARS]
        if oversize:
            self.reject(
                record.source_uri,
                record.content_sha256,
                "article too long to be a news article: "
                + ", ".join(f"#{n} has {chars} chars" for n, chars in oversize)
                + f" > {MAX_ARTICLE_CHARS}",
                raw_path,
            )
            if len(oversize) == len(drafts):
                return
        key = (record.source_uri, record.content_sha256)
        doc_id = document_id(*key, relanded_by=self.run_id if key in self.known_documents else None)
        self.known_documents.add(key)
        self.current_sha[record.source_uri] = record.content_sha256
        self.documents.append(
            {
                "document_id": doc_id,
                "source_uri": record.source_uri,
                "content_sha256": record.content_sha256,
                "size_bytes": record.size_bytes,
                "encoding": record.encoding,
                "media_type": record.media_type,
                "language": prepared.document_language,
                "raw_path": raw_path,
                "landed_at": self.landed_at,
                "run_id": self.run_id,
                "decode_replacements": record.replaced,
            }
        )
        if record.replaced:
            log.warning(
                "%s: %d undecodable bytes replaced by U+FFFD; the rest of its text is landed",
                record.source_uri,
                record.replaced,
            )
        kept = 0
        for ordinal, draft in enumerate(drafts):
            if len(draft.body) > MAX_ARTICLE_CHARS:
                continue  # quarantined above; the others keep their ordinals, so their ids
            self.articles.append(
                self._article_row(record, doc_id, ordinal, draft, prepared.languages[ordinal])
            )
            self.pending_chars += len(draft.body)
            kept += 1
        self.summary.documents_new += 1
        self.summary.articles_new += kept

    def _article_row(
        self, record: Record, doc_id: str, ordinal: int, draft: ArticleDraft, language: str
    ) -> dict[str, Any]:
        return {
            "article_id": article_id(record.source_uri, ordinal),
            "document_id": doc_id,
            "ordinal": ordinal,
            "source_uri": record.source_uri,
            "source_name": draft.source_name,
            "url": record.url,
            "title": draft.title,
            "published_date": draft.published_date,
            "published_date_precision": draft.published_date_precision,
            "language": language,
            "body": draft.body,
            "char_count": len(draft.body),
            "content_sha256": sha256_hex(draft.body.encode("utf-8")),
            "landed_at": self.landed_at,
            "run_id": self.run_id,
        }

    def reject(self, source_uri: str, sha: str | None, reason: str, raw_path: str | None) -> None:
        if (source_uri, sha) in self.known_rejects:
            self.summary.quarantine_known += 1
            return
        self.known_rejects.add((source_uri, sha))
        self.rejects.append(
            {
                "source_uri": source_uri,
                "content_sha256": sha,
                "stage": STAGE,
                "reason": reason,
                "raw_path": raw_path,
                "quarantined_at": self.landed_at,
                "run_id": self.run_id,
            }
        )
        self.summary.quarantined += 1
        log.warning("quarantined %s: %s", source_uri, reason)

    # ------------------------------------------------------------------ writing

    def flush(self) -> None:
        batches = (self.documents, self.articles, self.rejects)
        if not any(batches):
            return
        self.con.begin()
        try:
            write_fault_point(STAGE)
            for (table, view, schema), rows in zip(_TARGETS, batches, strict=True):
                if rows:
                    _insert_frame(self.con, table, view, pl.DataFrame(rows, schema=schema, orient="row"))
            self.con.commit()
        except Exception:
            self.con.rollback()
            raise
        self.documents, self.articles, self.rejects = [], [], []
        self.pending_chars = 0


def _insert_frame(con: duckdb.DuckDBPyConnection, table: str, view: str, frame: pl.DataFrame) -> None:
    columns = ", ".join(frame.columns)
    con.register(view, frame.to_arrow())
    try:
        # table, view and columns are module constants, never input
        con.execute(f"INSERT INTO {table} ({columns}) SELECT {columns} FROM {view}")  # noqa: S608
    finally:
        con.unregister(view)


class FileChanged(Exception):
    """The file changed, was replaced or vanished while it was read: its bytes are no one version of it."""


def read_stable(path: Path) -> bytes:
    """The bytes of a file that stayed the same while it was read, else FileChanged.

    A writer still appending, a rewrite, an atomic replace or a delete under the reader would
    give bytes of no real version: such a file is quarantined and the next run reads it again.
    """
    with path.open("rb") as handle:
        before = os.fstat(handle.fileno())
        data = _read_all(handle)
        after = os.fstat(handle.fileno())
    if _version(before) != _version(after) or len(data) != after.st_size:
        raise FileChanged("changed while the run read it (size or modification time moved); not landed")
    try:
        now = os.stat(path)
    except FileNotFoundError:
        raise FileChanged("vanished while the run read it; not landed") from None
    if now.st_ino != before.st_ino or _version(now) != _version(before):
        raise FileChanged("replaced while the run read it; not landed")
    return data


def _read_all(handle) -> bytes:  # a seam for tests that change a file in the middle of a read
    return handle.read()


def _version(stat: os.stat_result) -> tuple[int, int, int]:
    return stat.st_ino, stat.st_size, stat.st_mtime_ns


def _hash_file(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()
