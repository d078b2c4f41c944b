"""From one file's bytes to landing records (one per document) or rejections.

A plain-text or HTML file is one record. A JSON file is one record per object
(`relpath#<index>` for an array), a JSONL file one per line (`relpath#<line number>`,
1-based, blank lines skipped). A record's content_sha256 is the sha256 of its raw bytes:
the file's bytes, or the UTF-8 bytes of the JSONL line / the canonical JSON of the
array element, so one edited line only re-lands that line.
"""

from __future__ import annotations

import hashlib
import json
import logging
import re
from dataclasses import dataclass
from pathlib import PurePosixPath
from typing import Any

import trafilatura

from flows.landing.dates import UNKNOWN, parse_date
from flows.landing.decode import Decoded, decode_bytes
from flows.landing.segment import PageHints

log = logging.getLogger(__name__)

TEXT_PLAIN = "text/plain"
TEXT_HTML = "text/html"
APPLICATION_JSON = "application/json"

_HTML_SUFFIXES = {".html", ".htm", ".xhtml", ".shtml"}
_JSON_SUFFIXES = {".json"}
_JSONL_SUFFIXES = {".jsonl", ".ndjson", ".jsonlines"}
_HTML_START = re.compile(r"^\s*(?:<!doctype\s+html|<html\b|<\?xml[^>]*>\s*<html\b)", re.IGNORECASE)
_HTML_IN_TEXT = re.compile(
    r"<(?:p|div|html|body|article|br|script|style|noscript|iframe)\b[^>]{0,200}>", re.IGNORECASE
)
# Elements whose content is code or embedded media, never article text.
_CODE_ELEMENTS = ("script", "style", "noscript", "template", "iframe", "object", "embed", "svg", "math")
_BLOCK_ELEMENTS = ("p", "div", "br", "li", "h1", "h2", "h3", "h4", "h5", "h6", "tr", "blockquote", "article")
# Keys under which JSON exports commonly nest their list of records.
_RECORD_LIST_KEYS = ("articles", "items", "records", "data", "results", "documents", "posts")


@dataclass(frozen=True)
class Record:
    source_uri: str
    content_sha256: str
    size_bytes: int
    media_type: str
    encoding: str
    text: str
    hints: PageHints
    url: str | None = None
    replaced: int = 0  # undecodable bytes replaced by U+FFFD when decoding (damaged UTF-8)


@dataclass(frozen=True)
class Rejected:
    source_uri: str
    content_sha256: str | None
    reason: str


def sha256_hex(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def media_type_for(rel_path: str) -> str:
    suffix = PurePosixPath(rel_path).suffix.lower()
    if suffix in _HTML_SUFFIXES:
        return TEXT_HTML
    if suffix in _JSON_SUFFIXES or suffix in _JSONL_SUFFIXES:
        return APPLICATION_JSON
    return TEXT_PLAIN


def read_records(rel_path: str, data: bytes, file_sha256: str) -> list[Record | Rejected]:
    """Every record in a file; a bad record is rejected alone, the good ones still land."""
    if not data.strip():
        return [Rejected(rel_path, file_sha256, "empty file" if not data else "whitespace-only file")]
    decoded = decode_bytes(data)
    if not isinstance(decoded, Decoded):
        return [Rejected(rel_path, file_sha256, decoded.reason)]
    if not decoded.text.strip():
        return [Rejected(rel_path, file_sha256, f"whitespace-only file (decoded as {decoded.encoding})")]
    suffix = PurePosixPath(rel_path).suffix.lower()
    if suffix in _JSONL_SUFFIXES:
        return _jsonl_records(rel_path, decoded)
    if suffix in _JSON_SUFFIXES:
        return _json_records(rel_path, decoded, file_sha256, len(data))
    if suffix in _HTML_SUFFIXES or _HTML_START.match(decoded.text[:2000]):
        record = _html_record(rel_path, decoded.text, decoded.encoding, file_sha256, len(data), TEXT_HTML)
        return [_with_replaced(record, decoded.replaced)]
    return [
        Record(
            source_uri=rel_path,
            content_sha256=file_sha256,
            size_bytes=len(data),
            media_type=TEXT_PLAIN,
            encoding=decoded.encoding,
            text=decoded.text,
            hints=PageHints(),
            replaced=decoded.replaced,
        )
    ]


def _with_replaced(record: Record | Rejected, replaced: int) -> Record | Rejected:
    if not replaced or isinstance(record, Rejected):
        return record
    return Record(**{**record.__dict__, "replaced": replaced})


def _replaced_in(text: str, decoded: Decoded) -> int:
    """Replacement characters in one record of a damaged file (0 when the file decoded cleanly)."""
    return text.count("\ufffd") if decoded.replaced else 0


# ---------------------------------------------------------------------------- HTML


def html_to_text(html: str) -> tuple[str, PageHints, str | None] | None:
    """Main text and metadata of an HTML page, offline (trafilatura never fetches here)."""
    try:
        doc = trafilatura.bare_extraction(
            html,
            with_metadata=True,
            include_comments=False,
            include_tables=True,
            date_extraction_params={"extensive_search": False, "original_date": True},
        )
    except Exception as exc:  # trafilatura/lxml raise many kinds on broken markup
        log.warning("trafilatura failed: %s", exc)
        return None
    meta = {} if doc is None else (doc.as_dict() if hasattr(doc, "as_dict") else dict(doc))
    text = meta.get("text") or ""
    if not text.strip():
        # trafilatura finds no main text in a fragment (a JSON text with a script block and no
        # paragraph tags) or a page cut short early: keep the markup's text, without its code.
        text = markup_text(html)
        if not text.strip():
            return None
    site = _clean_str(meta.get("sitename"))
    title = _strip_site_suffix(_clean_str(meta.get("title")), site)
    hints = PageHints(title=title, published=parse_date(_clean_str(meta.get("date"))), source_name=site)
    return text, hints, _clean_str(meta.get("url"))


def markup_text(html: str) -> str:
    """The text of any markup, broken or truncated, with script, style and other code removed."""
    import lxml.etree
    import lxml.html

    try:
        root = lxml.html.fromstring(html)
    except (lxml.etree.ParserError, ValueError):  # empty or only a comment/processing instruction
        return ""
    for element in list(root.iter(*_CODE_ELEMENTS)):
        element.drop_tree()
    for element in root.iter(*_BLOCK_ELEMENTS):
        element.tail = "\n" + (element.tail or "")
    lines = (" ".join(line.split()) for line in root.text_content().split("\n"))
    return "\n\n".join(line for line in lines if line)


def _html_record(
    uri: str, html: str, encoding: str, sha: str, size: int, media_type: str, base: PageHints | None = None
) -> Record | Rejected:
    extracted = html_to_text(html)
    if extracted is None:
        return Rejected(uri, sha, "HTML without extractable article text")
    text, hints, url = extracted
    if base is not None:  # JSON fields win over what the embedded HTML says
        hints = PageHints(
            title=base.title or hints.title,
            published=base.published if base.published[0] else hints.published,
            source_name=base.source_name or hints.source_name,
        )
    return Record(uri, sha, size, media_type, encoding, text, hints, url)


def _strip_site_suffix(title: str | None, site: str | None) -> str | None:
    if not title or not site:
        return title
    for sep in (" | ", " - ", " – ", " — ", " :: "):
        head, found, tail = title.rpartition(sep)
        if found and head and tail.strip().casefold() == site.casefold():
            return head.strip()
    return title


# ---------------------------------------------------------------------------- JSON


def _jsonl_records(rel_path: str, decoded: Decoded) -> list[Record | Rejected]:
    out: list[Record | Rejected] = []
    for number, line in enumerate(decoded.text.split("\n"), start=1):
        line = line.rstrip("\r")
        if not line.strip():
            continue
        raw = line.encode("utf-8")
        uri, sha = f"{rel_path}#{number}", sha256_hex(raw)
        try:
            value = json.loads(line)
        except json.JSONDecodeError as exc:
            out.append(Rejected(uri, sha, f"malformed JSON line: {exc.msg} at column {exc.colno}"))
            continue
        out.append(
            _with_replaced(
                _json_record(uri, sha, len(raw), value, decoded.encoding), _replaced_in(line, decoded)
            )
        )
    if not out:
        out.append(Rejected(rel_path, sha256_hex(decoded.text.encode("utf-8")), "JSONL file without records"))
    return out


def _json_records(rel_path: str, decoded: Decoded, sha: str, size: int) -> list[Record | Rejected]:
    try:
        value = json.loads(decoded.text)
    except json.JSONDecodeError as exc:
        return [Rejected(rel_path, sha, f"malformed JSON: {exc.msg} at line {exc.lineno} column {exc.colno}")]
    if isinstance(value, dict) and "text" not in value:
        nested = next((value[k] for k in _RECORD_LIST_KEYS if isinstance(value.get(k), list)), None)
        if nested is not None:
            value = nested
    if isinstance(value, list):
        if not value:
            return [Rejected(rel_path, sha, "JSON array without records")]
        out: list[Record | Rejected] = []
        for index, item in enumerate(value):
            raw = json.dumps(item, ensure_ascii=False, sort_keys=True).encode("utf-8")
            record = _json_record(f"{rel_path}#{index}", sha256_hex(raw), len(raw), item, decoded.encoding)
            out.append(_with_replaced(record, _replaced_in(raw.decode("utf-8"), decoded)))
        return out
    return [_with_replaced(_json_record(rel_path, sha, size, value, decoded.encoding), decoded.replaced)]


def _json_record(uri: str, sha: str, size: int, value: Any, encoding: str) -> Record | Rejected:
    if not isinstance(value, dict):
        return Rejected(uri, sha, f"JSON record is a {type(value).__name__}, not an object")
    text = value.get("text")
    if not isinstance(text, str) or not text.strip():
        return Rejected(
            uri, sha, "JSON record without text" if text is None else "JSON record with empty text"
        )
    hints = PageHints(
        title=_clean_str(value.get("title")),
        published=parse_date(_clean_str(value.get("published"))) if value.get("published") else UNKNOWN,
        source_name=_clean_str(value.get("source")),
    )
    url = _clean_str(value.get("url"))
    if _HTML_IN_TEXT.search(text[:5000]):
        record = _html_record(uri, text, encoding, sha, size, APPLICATION_JSON, base=hints)
        if isinstance(record, Record) and url:
            record = Record(**{**record.__dict__, "url": url})
        return record
    return Record(uri, sha, size, APPLICATION_JSON, encoding, text, hints, url)


def _clean_str(value: Any) -> str | None:
    if value is None or isinstance(value, (dict, list)):
        return None
    text = " ".join(str(value).split())
    return text or None
