"""N-grams, tf-idf weights and a tf-idf logistic regression, computed as scikit-learn's
``TfidfVectorizer`` (sublinear tf, l2 norm) and ``LogisticRegression`` compute them, with numpy
alone: what the compiled scorer and the learned readers of customer text score with, so that
scoring never imports scikit-learn."""
from __future__ import annotations

import math
import re
from collections import Counter
from typing import Any, Mapping, Sequence

import numpy as np

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


class TextScorer:
    """A logistic regression over tf-idf character n-grams, as plain arrays: what the learned
    readers of customer text (``promise_reports``, ``reactions``) score with, numpy alone."""

    def __init__(self, vocabulary: Sequence[str], idf: Any, coef: Any, intercept: float,
                 ngrams: Sequence[int]) -> None:
        self.vocabulary = list(vocabulary)
        self._index = {term: j for j, term in enumerate(self.vocabulary)}
        self.idf = np.asarray(idf, dtype=np.float64)
        self.coef = np.asarray(coef, dtype=np.float64)
        self.intercept = float(intercept)
        self.ngrams = (int(ngrams[0]), int(ngrams[1]))

    def score(self, texts: Sequence[str]) -> Any:
        """Per normalised text (``segment.normalize_text``), the model's probability."""
        out = np.zeros(len(texts))
        for k, text in enumerate(texts):
            weights = tfidf_weights(char_ngrams(text, self.ngrams), self._index, self.idf)
            z = sum(w * self.coef[j] for j, w in weights.items()) + self.intercept
            out[k] = 1.0 / (1.0 + math.exp(-z))
        return out

    def to_header(self) -> dict[str, Any]:
        return {"vocabulary": self.vocabulary, "intercept": self.intercept, "ngrams": list(self.ngrams)}

    def weights(self, prefix: str) -> dict[str, Any]:
        return {f"{prefix}_idf": self.idf, f"{prefix}_coef": self.coef}

    @classmethod
    def from_header(cls, header: dict[str, Any], weights: Mapping[str, Any], prefix: str) -> "TextScorer":
        return cls(header["vocabulary"], weights[f"{prefix}_idf"], weights[f"{prefix}_coef"],
                   header["intercept"], header["ngrams"])


def fit_text_scorer(texts: Sequence[str], y: Any, C: float = 4.0, ngrams: tuple[int, int] = (2, 4),
                    min_df: int = 2) -> TextScorer:
    """Fit a class-balanced logistic regression on tf-idf character n-grams (scikit-learn is
    imported here only) and return it as a ``TextScorer``."""
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression

    target = np.asarray(y, dtype=int).reshape(len(texts))
    if len(set(target.tolist())) < 2:
        raise ValueError("a text scorer needs examples of both classes")
    vectorizer = TfidfVectorizer(analyzer="char", ngram_range=ngrams, min_df=min_df, sublinear_tf=True,
                                 lowercase=False)
    try:
        X = vectorizer.fit_transform(texts)
    except ValueError:  # every n-gram below min_df
        vectorizer.set_params(min_df=1)
        X = vectorizer.fit_transform(texts)
    lr = LogisticRegression(C=C, class_weight="balanced", max_iter=3000).fit(X, target)
    terms = [t for t, _ in sorted(vectorizer.vocabulary_.items(), key=lambda kv: kv[1])]
    return TextScorer(terms, vectorizer.idf_, lr.coef_[0], float(lr.intercept_[0]), ngrams)
