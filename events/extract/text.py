"""Bytes to text: UTF-8 first, then a documented single-byte fallback."""

from __future__ import annotations

import re

_CONTROL_RE = re.compile(r"[\x00-\x08\x0e-\x1f\x7f-\x9f]")


class ArticleError(ValueError):
    """An input that is not a readable article; the message is one line, prefixed by the file name."""


FALLBACKS = ("cp1252", "latin-1")
MAX_BYTES = 5 * 1024 * 1024  # an article is a few KB; a file this large is not one, and reading it costs memory


def too_large(size: int) -> str | None:
    """The reason a file of `size` bytes is refused, or None."""
    if size <= MAX_BYTES:
        return None
    return f"{size / 1024 / 1024:.1f} MB, over the {MAX_BYTES // 1024 // 1024} MB limit for one article"


def decode(raw: bytes, file: str) -> tuple[str, str, tuple[str, ...]]:
    """(text, encoding, warnings). Binary or empty input raises ArticleError."""
    reason = too_large(len(raw))
    if reason:
        raise ArticleError(f"{file}: {reason}")
    if not raw or not raw.strip():
        raise ArticleError(f"{file}: empty file")
    if b"\x00" in raw:
        raise ArticleError(f"{file}: binary content (NUL bytes), not a text article")
    warnings: list[str] = []
    try:
        text = raw.decode("utf-8")
        encoding = "utf-8"
        if text.startswith("\ufeff"):
            text = text[1:]
            encoding = "utf-8-sig"
    except UnicodeDecodeError:
        text, encoding = "", ""
        for enc in FALLBACKS:
            try:
                text = raw.decode(enc)
                encoding = enc
                break
            except UnicodeDecodeError:
                continue
        warnings.append(f"{file}: not valid UTF-8; decoded as {encoding}")
    controls = len(_CONTROL_RE.findall(text))
    if controls > max(8, len(text) // 20):
        raise ArticleError(f"{file}: binary content ({controls} control characters), not a text article")
    if not text.strip():
        raise ArticleError(f"{file}: empty file (whitespace only)")
    return text, encoding, tuple(warnings)
