"""Chinese word segmentation: jieba with the project's dictionary, placeholders kept whole."""
from __future__ import annotations

import os
import re
import threading
import unicodedata
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

#: Anonymisation placeholders such as ``[订单x]`` or ``[金额x]`` stay single tokens.
PLACEHOLDER = re.compile(r"\[[^\[\]\s]{1,12}[xX]\]")
_SPACE = re.compile(r"\s+")


def normalize_with_offsets(text: str) -> tuple[str, list[int]]:
    """Normalised text and, for each of its characters, the index of the input character it came from.

    Full-width to half-width (NFKC, per character), Latin lower-cased, control and zero-width
    characters removed. The offsets let evidence found in normalised text be quoted from the original.
    """
    out: list[str] = []
    offsets: list[int] = []
    for k, ch in enumerate(text):
        if "\u4e00" <= ch <= "\u9fff":  # Han ideographs are their own normal form (most of any chat)
            out.append(ch)
            offsets.append(k)
            continue
        if ch not in "\n\t" and unicodedata.category(ch) in ("Cc", "Cf"):
            continue
        for piece in unicodedata.normalize("NFKC", ch).lower():
            out.append(piece)
            offsets.append(k)
    return "".join(out), offsets


@lru_cache(maxsize=16384)
def normalize_text(text: str) -> str:
    """The normalised form of ``text`` (see normalize_with_offsets). Cached: the cues, commitment,
    contradiction and policy finders all read the same turns."""
    if text.isascii():
        return "".join(ch for ch in text if ch in "\n\t" or not (ord(ch) < 32 or ord(ch) == 127)).lower()
    return normalize_with_offsets(text)[0]


def original_span(text: str, start: int, end: int) -> tuple[int, int]:
    """Map a span of ``normalize_text(text)`` back to ``text``."""
    _, offsets = normalize_with_offsets(text)
    if not offsets or start >= len(offsets):
        return 0, len(text)
    return offsets[start], (offsets[end - 1] + 1 if end - 1 < len(offsets) else len(text))


def cache_dir() -> Path:
    """Per-user cache directory: $CS_CLASSIFIER_CACHE, else $XDG_CACHE_HOME/cs-classifier, else ~/.cache/cs-classifier."""
    explicit = os.environ.get("CS_CLASSIFIER_CACHE")
    if explicit:
        path = Path(explicit)
    else:
        base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
        path = Path(base) / "cs-classifier"
    path.mkdir(parents=True, exist_ok=True)
    return path


class Segmenter:
    """Segments text into words with jieba, once initialised per process and thread-safe.

    ``user_dict`` is an extra jieba dictionary file (one ``word [freq] [tag]`` per line)
    loaded after the bundled e-commerce dictionary. Pickles without the jieba tokenizer, which is
    rebuilt lazily, so estimators holding a Segmenter can be saved with joblib.
    """

    _shared: dict[Any, Any] = {}
    _lock = threading.Lock()

    def __init__(self, user_dict: str | None = None, hmm: bool = True, backend: str = "jieba") -> None:
        self.user_dict = user_dict
        self.hmm = hmm
        self.backend = backend

    def _tokenizer(self) -> Any:
        key = (self.backend, self.user_dict)
        tok = Segmenter._shared.get(key)
        if tok is not None:
            return tok
        with Segmenter._lock:
            tok = Segmenter._shared.get(key)
            if tok is None:
                if self.backend == "rjieba":
                    tok = _RJieba(self.user_dict)
                elif self.backend == "jieba":
                    tok = _build_tokenizer(self.user_dict)
                else:
                    raise ValueError(f"unknown segmenter backend {self.backend!r} (jieba or rjieba)")
                Segmenter._shared[key] = tok
        return tok

    def cut(self, text: str) -> list[str]:
        """Words of ``text`` after normalisation, without whitespace tokens."""
        text = normalize_text(text)
        tokenizer = self._tokenizer()
        words: list[str] = []
        pos = 0
        for match in PLACEHOLDER.finditer(text):
            words.extend(_cut_plain(tokenizer, text[pos:match.start()], self.hmm))
            words.append(match.group(0))
            pos = match.end()
        words.extend(_cut_plain(tokenizer, text[pos:], self.hmm))
        return words

    __call__ = cut

    def __getstate__(self) -> dict[str, Any]:
        return {"user_dict": self.user_dict, "hmm": self.hmm, "backend": self.backend}

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.__init__(**state)

    def __repr__(self) -> str:
        return f"Segmenter(user_dict={self.user_dict!r}, hmm={self.hmm!r}, backend={self.backend!r})"


def _cut_plain(tokenizer: Any, text: str, hmm: bool) -> list[str]:
    if not text.strip():
        return []
    return [w for w in tokenizer.lcut(text, HMM=hmm) if not w.isspace()]


def _dictionary_entries(user_dict: str | None) -> list[tuple[str, int | None, str | None]]:
    """(word, frequency, tag) of the bundled dictionary, then of the user's."""
    texts = [resources.files("cs_classifier").joinpath("resources/userdict.txt").read_text("utf-8")]
    if user_dict:
        if not os.path.isfile(user_dict):
            raise FileNotFoundError(f"user dictionary not found: {user_dict}")
        with open(user_dict, encoding="utf-8-sig") as fh:
            texts.append(fh.read())
    entries = []
    for text in texts:
        for line in text.splitlines():
            parts = line.strip().split()
            if not parts:
                continue
            freq = int(parts[1]) if len(parts) > 1 and parts[1].isdigit() else None
            tag = parts[-1] if len(parts) > 2 or (len(parts) == 2 and freq is None) else None
            entries.append((parts[0], freq, tag))
    return entries


class _RJieba:
    """rjieba (jieba-rs) behind jieba's ``lcut`` interface, with the same dictionaries."""

    def __init__(self, user_dict: str | None) -> None:
        try:
            import rjieba
        except ImportError:
            raise RuntimeError("the rjieba backend needs rjieba: pip install 'cs-classifier[fast]'") from None
        self._rjieba = rjieba
        for word, freq, tag in _dictionary_entries(user_dict):
            rjieba.add_word(word, freq, tag)

    def lcut(self, text: str, HMM: bool = True) -> list[str]:
        return self._rjieba.cut(text, HMM)


def _load_cached_dictionary(tokenizer: Any) -> None:
    """Read jieba's prefix-dictionary cache in one ``read`` (3x faster than its ``marshal.load`` on the file).

    jieba writes the cache atomically (temporary file, then rename), so a cache being written by
    another process is never read half-done; anything unreadable is left to jieba to rebuild.
    """
    import marshal

    path = os.path.join(tokenizer.tmp_dir, "jieba.cache")
    try:
        with open(path, "rb") as fh:
            tokenizer.FREQ, tokenizer.total = marshal.loads(fh.read())
    except (OSError, ValueError, EOFError, TypeError):
        return
    tokenizer.initialized = True


def _build_tokenizer(user_dict: str | None) -> Any:
    import logging

    import jieba

    jieba.setLogLevel(logging.WARNING)
    tokenizer = jieba.Tokenizer()
    tokenizer.tmp_dir = str(cache_dir())
    _load_cached_dictionary(tokenizer)
    tokenizer.initialize()
    bundled = resources.files("cs_classifier").joinpath("resources/userdict.txt")
    with resources.as_file(bundled) as path:
        tokenizer.load_userdict(str(path))
    if user_dict:
        if not os.path.isfile(user_dict):
            raise FileNotFoundError(f"user dictionary not found: {user_dict}")
        tokenizer.load_userdict(user_dict)
    return tokenizer
