"""Decoding of exported chat files whose encoding nobody states."""
from __future__ import annotations

import codecs


class DecodeError(ValueError):
    """The bytes are not text in any encoding the readers accept."""


def decode_bytes(data: bytes, encoding: str | None = None) -> tuple[str, str]:
    """Return ``(text, encoding)``: UTF-8 (BOM or not), UTF-16 (BOM or not) or GB18030/GBK.

    Line endings are normalised to ``\\n``. Raises DecodeError for binary data.
    """
    if encoding:
        try:
            return _newlines(data.decode(encoding)), encoding
        except (UnicodeDecodeError, LookupError) as exc:
            raise DecodeError(f"cannot decode as {encoding}: {exc}") from None
    if data.startswith(codecs.BOM_UTF8):
        return _strict(data[3:], "utf-8"), "utf-8-sig"
    if data.startswith(codecs.BOM_UTF16_LE) or data.startswith(codecs.BOM_UTF16_BE):
        return _strict(data, "utf-16"), "utf-16"
    guess = _utf16_without_bom(data)
    if guess:
        return _strict(data, guess), guess
    if b"\x00" in data:
        raise DecodeError("binary file (contains NUL bytes), not a text export")
    for candidate in ("utf-8", "gb18030"):
        try:
            text = data.decode(candidate)
        except UnicodeDecodeError:
            continue
        if _looks_binary(text):
            break
        return _newlines(text), candidate
    raise DecodeError("binary file or unknown encoding (tried UTF-8, UTF-16 and GB18030)")


def _strict(data: bytes, encoding: str) -> str:
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError as exc:
        raise DecodeError(f"invalid {encoding} at byte {exc.start}") from None
    return _newlines(text.lstrip("\ufeff"))


def _newlines(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _utf16_without_bom(data: bytes) -> str | None:
    """UTF-16 text has NUL in one byte of most ASCII characters' pairs."""
    sample = data[:4096]
    if len(sample) < 4:
        return None
    even = sample[0::2].count(0)
    odd = sample[1::2].count(0)
    half = len(sample) // 2
    if odd > 0.3 * half and even < 0.05 * half:
        return "utf-16-le"
    if even > 0.3 * half and odd < 0.05 * half:
        return "utf-16-be"
    return None


def _looks_binary(text: str) -> bool:
    if not text:
        return False
    sample = text[:4096]
    bad = sum(1 for ch in sample if (ord(ch) < 32 and ch not in "\n\r\t\f\v\x1b") or 0xE000 <= ord(ch) <= 0xF8FF)
    return bad > 0.1 * len(sample)
