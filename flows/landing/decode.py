"""Turn raw bytes into text, or say clearly why they are not text.

Order matters: a BOM is trusted first (UTF-16 legitimately contains NUL bytes), then
binary signatures, then strict UTF-8, then UTF-8 with a few damaged bytes (its valid
multi-byte characters outnumber the bad bytes), then legacy 8-bit encodings judged by how
plausible the decoded words look (charset detectors are unreliable on short news
snippets, e.g. they read KOI8-R as Shift-JIS), then charset_normalizer, and last UTF-8 with
its bad bytes replaced, as long as most of the file decodes: a damaged file keeps its good text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from charset_normalizer import from_bytes

_BOMS: tuple[tuple[bytes, str, str], ...] = (
    # (bom, python codec, recorded name); UTF-32 before UTF-16 because FF FE is a prefix of both.
    (b"\xff\xfe\x00\x00", "utf-32-le", "utf-32-le"),
    (b"\x00\x00\xfe\xff", "utf-32-be", "utf-32-be"),
    (b"\xef\xbb\xbf", "utf-8", "utf-8-sig"),
    (b"\xff\xfe", "utf-16-le", "utf-16-le"),
    (b"\xfe\xff", "utf-16-be", "utf-16-be"),
)

_MAGIC: tuple[tuple[bytes, str], ...] = (
    (b"\x89PNG\r\n\x1a\n", "PNG image"),
    (b"%PDF-", "PDF document"),
    (b"PK\x03\x04", "ZIP archive (or docx/xlsx/epub)"),
    (b"PK\x05\x06", "ZIP archive"),
    (b"\xff\xd8\xff", "JPEG image"),
    (b"GIF87a", "GIF image"),
    (b"GIF89a", "GIF image"),
    (b"\x1f\x8b", "gzip archive"),
    (b"BZh", "bzip2 archive"),
    (b"\xfd7zXZ\x00", "xz archive"),
    (b"7z\xbc\xaf\x27\x1c", "7z archive"),
    (b"Rar!\x1a\x07", "RAR archive"),
    (b"\x7fELF", "ELF executable"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "OLE document (doc/xls)"),
    (b"SQLite format 3\x00", "SQLite database"),
    (b"RIFF", "RIFF media (wav/avi/webp)"),
    (b"OggS", "Ogg media"),
    (b"ID3", "MP3 audio"),
)

# Unicode category Cc (C0, DEL and C1) minus the whitespace controls \t \n \v \f \r that text uses.
# A character class, because a per-character category lookup was a tenth of landing's time.
_DISALLOWED_CONTROL = re.compile("[\x00-\x08\x0e-\x1f\x7f-\x9f]")
# A UTF-8 lead byte read as cp1252/latin-1 followed by a continuation byte read the same way.
_MOJIBAKE_MARK = re.compile(
    "[\u00c2-\u00f4][\u0080-\u00bf\u0152\u0153\u0160\u0161\u0178\u017d\u017e"
    "\u0192\u02c6\u02dc\u2013\u2014\u2018-\u201e\u2020-\u2022\u2026\u2030\u2039"
    "\u203a\u20ac\u2122]"
)
MOJIBAKE_REPAIRED = "utf-8 (repaired mojibake)"
DAMAGED_UTF8 = "utf-8 (bad bytes replaced)"
# A file whose undecodable bytes are at least this share of it is quarantined, not repaired.
MAX_BAD_BYTE_SHARE = 0.5
_ESCAPED_BYTE = re.compile("[\udc80-\udcff]")
_WORD = re.compile(r"[^\W\d_]+")
_TYPOGRAPHY = set("«»—–…“”‘’„№©®°€£•·−")


@dataclass(frozen=True)
class Decoded:
    text: str
    encoding: str
    replaced: int = 0  # undecodable bytes replaced by U+FFFD (damaged UTF-8)


@dataclass(frozen=True)
class Undecodable:
    reason: str


def binary_signature(data: bytes) -> str | None:
    """Name the binary format the bytes start with, if any."""
    for magic, name in _MAGIC:
        if data.startswith(magic):
            return name
    return None


def decode_bytes(data: bytes) -> Decoded | Undecodable:
    """Decode raw file bytes; never raises on bad input."""
    for bom, codec, name in _BOMS:
        if data.startswith(bom):
            try:
                return _checked(data[len(bom) :].decode(codec), name)
            except UnicodeDecodeError:
                return Undecodable(
                    f"undecodable: starts with a {name} byte-order mark but is not valid {name}"
                )
    signature = binary_signature(data)
    if signature:
        return Undecodable(f"binary file ({signature} signature)")
    if b"\x00" in data:
        return Undecodable("binary file (contains NUL bytes)")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    else:
        repaired = repair_mojibake(text)
        if repaired is not None:
            return _checked(repaired, MOJIBAKE_REPAIRED)
        return _checked(text, "utf-8")
    damaged = _damaged_utf8(data)
    if damaged is not None and damaged.multibyte > damaged.replaced:
        return _checked(damaged.text, DAMAGED_UTF8, damaged.replaced)
    for codec in ("cp1251", "koi8_r", "cp1252"):
        text = _try_decode(data, codec)
        if text is not None and _plausible(text, codec):
            return _checked(text, codec)
    best = from_bytes(data).best()
    if best is not None and best.chaos <= 0.1:
        text = str(best)
        if _plausible(text, best.encoding):
            return _checked(text, best.encoding)
    if damaged is not None and damaged.replaced < MAX_BAD_BYTE_SHARE * len(data):
        return _checked(damaged.text, DAMAGED_UTF8, damaged.replaced)
    share = f" ({damaged.replaced} of {len(data)} bytes are not UTF-8)" if damaged else ""
    return Undecodable(f"undecodable: not UTF-8/UTF-16 and no legacy encoding gives plausible text{share}")


@dataclass(frozen=True)
class _DamagedUtf8:
    text: str  # each undecodable byte replaced by U+FFFD
    replaced: int  # undecodable bytes
    multibyte: int  # valid non-ASCII characters: evidence the file really is UTF-8


def _damaged_utf8(data: bytes) -> _DamagedUtf8 | None:
    """UTF-8 with its undecodable bytes replaced, one U+FFFD per byte so the count is the bytes'."""
    escaped = data.decode("utf-8", errors="surrogateescape")
    replaced = len(_ESCAPED_BYTE.findall(escaped))
    if not replaced:
        return None
    non_ascii = len(escaped) - len(escaped.encode("ascii", errors="ignore"))
    multibyte = non_ascii - replaced
    return _DamagedUtf8(_ESCAPED_BYTE.sub("\ufffd", escaped), replaced, multibyte)


def repair_mojibake(text: str) -> str | None:
    """UTF-8 text once mis-decoded as cp1252/latin-1 and saved again ("Ð¡Ð°Ð¹Ð»Ð°Ñƒ", "â€™"), restored.

    Only a whole-text round trip counts: every character must map back to one cp1252 or
    latin-1 byte and the bytes must be strict UTF-8 with fewer mojibake marks than before.
    Text with a single real accented word never qualifies, because 'é' alone is not UTF-8.
    """
    marks = len(_MOJIBAKE_MARK.findall(text[:200_000]))
    if marks < 2:
        return None
    raw = bytearray()
    for ch in text:
        if ch.isascii():
            raw.append(ord(ch))
            continue
        try:
            raw += ch.encode("cp1252")
        except UnicodeEncodeError:
            if ord(ch) > 0xFF:
                return None  # a real non-Latin-1 letter: not a double-decoded text
            raw.append(ord(ch))  # cp1252's five undefined bytes survive as latin-1 controls
    try:
        repaired = bytes(raw).decode("utf-8")
    except UnicodeDecodeError:
        return None
    return repaired if len(_MOJIBAKE_MARK.findall(repaired[:200_000])) < marks else None


def _try_decode(data: bytes, codec: str) -> str | None:
    try:
        return data.decode(codec)
    except UnicodeDecodeError:
        return None


def _checked(text: str, encoding: str, replaced: int = 0) -> Decoded | Undecodable:
    # Text full of control characters is a binary format without a known signature.
    sample = text[:200_000]
    controls = len(_DISALLOWED_CONTROL.findall(sample))
    if sample and controls / len(sample) > 0.01:
        return Undecodable(f"binary file (control characters after decoding as {encoding})")
    return Decoded(text=text, encoding=encoding, replaced=replaced)


def _plausible(text: str, codec: str) -> bool:
    """Do the non-ASCII words look like real words of a script, not mojibake?"""
    cyrillic_codec = codec.replace("-", "_").lower() in {"cp1251", "koi8_r", "windows_1251", "mac_cyrillic"}
    good = bad = 0
    for match in _WORD.finditer(text[:200_000]):
        word = match.group()
        if word.isascii():
            continue
        if _well_formed(word, cyrillic_codec):
            good += len(word)
        else:
            bad += len(word)
    odd = sum(
        1
        for ch in text[:200_000]
        if not ch.isascii() and not ch.isalpha() and ch not in _TYPOGRAPHY and not ch.isspace()
    )
    letters = good + bad
    if letters == 0:
        return odd == 0
    return good / letters >= 0.85 and odd <= max(2, letters // 50)


def _well_formed(word: str, cyrillic: bool) -> bool:
    has_cyr = any("\u0400" <= ch <= "\u04ff" for ch in word)
    has_latin = any(ch.isascii() for ch in word)
    if cyrillic:
        if not has_cyr or has_latin:
            return False
    elif has_cyr:
        return False
    elif not cyrillic and sum(1 for ch in word if not ch.isascii()) * 2 > len(word) and len(word) > 3:
        # Western text has a few accented letters per word; whole words of them are mojibake.
        return False
    rest = word[1:]
    # lower, Capitalized, or an all-caps acronym/headline word
    return rest == rest.lower() or word == word.upper()
