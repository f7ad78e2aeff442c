"""N-grams and tf-idf weights computed as scikit-learn's ``TfidfVectorizer`` computes them
(sublinear tf, l2 norm), with the standard library alone: what the compiled scorer and the
promise-report model score with, so that scoring never imports scikit-learn."""
from __future__ import annotations

import math
import re
from collections import Counter
from typing import Mapping, Sequence

_WHITE_SPACES = re.compile(r"\s\s+")


def word_ngrams(tokens: Sequence[str], ngrams: Sequence[int]) -> list[str]:
    """Word n-grams as the ``analyzer="word", token_pattern=r"\\S+"`` vectorizer builds them."""
    low, high = ngrams
    words = " ".join(tokens).split()
    out: list[str] = []
    for n in range(low, high + 1):
        out.extend(" ".join(words[k:k + n]) for k in range(len(words) - n + 1))
    return out


def char_ngrams(text: str, ngrams: Sequence[int]) -> list[str]:
    """Character n-grams as the ``analyzer="char"`` vectorizer builds them (runs of white space
    count as one space)."""
    text = _WHITE_SPACES.sub(" ", text)
    low, high = ngrams
    out: list[str] = []
    for n in range(low, min(high + 1, len(text) + 1)):
        out.extend(text[k:k + n] for k in range(len(text) - n + 1))
    return out


def tfidf_weights(terms: Sequence[str], vocabulary: Mapping[str, int], idf: Sequence[float]) -> dict[int, float]:
    """Column -> weight of one document: (1 + ln count) x idf, l2-normalised; unknown terms dropped."""
    counts = Counter(t for t in terms if t in vocabulary)
    weights = {vocabulary[t]: (1.0 + math.log(n)) * float(idf[vocabulary[t]]) for t, n in counts.items()}
    norm = math.sqrt(sum(w * w for w in weights.values())) or 1.0
    return {j: w / norm for j, w in weights.items()}
