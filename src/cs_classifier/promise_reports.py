"""Does this customer turn report a promise that was not kept?

The guidelines let a broken-promise finding rest on the customer's turns alone: 「你们上周说三天内
退款，现在还没到」. Customers say it in endless ways — a quoted deadline that passed, an installer
who never came, an advert's offer never given — and a hand-written pattern
(``commitments.earlier_promise_reports``) catches only the common ones. This model learns the
reports from the corpus: a logistic regression over tf-idf character n-grams (2–4) of customer
turns, taught on the customer turns that annotators cited as broken-promise evidence against every
other customer turn.

Its vocabulary is the project's own corpus. Fitting needs scikit-learn; scoring does not
(``ReportScorer`` holds plain arrays and uses ``ngrams``), so the compiled model scores with the
very same object. A customer turn whose score reaches ``ReportScorer.bar`` fires the rule
``promise_report_model``; ``ChatModel.fit`` sets the bar and measures the rule's precision out of
fold on the training transcripts.
"""
from __future__ import annotations

from typing import Any, Sequence

import numpy as np

from .ngrams import char_ngrams, tfidf_weights

__all__ = ["RULE_NAME", "PromiseReportModel", "ReportScorer"]

RULE_NAME = "promise_report_model"


class ReportScorer:
    """The fitted ``PromiseReportModel`` as plain arrays; scores with numpy alone."""

    def __init__(self, vocabulary: Sequence[str], idf: np.ndarray, coef: np.ndarray, intercept: float,
                 ngrams: Sequence[int], bar: float = 1.0) -> None:
        self.vocabulary = list(vocabulary)
        self._index = {term: j for j, term in enumerate(self.vocabulary)}
        self.idf = np.asarray(idf, dtype=np.float64)
        self.coef = np.asarray(coef, dtype=np.float64)
        self.intercept = float(intercept)
        self.ngrams = (int(ngrams[0]), int(ngrams[1]))
        self.bar = float(bar)

    def score(self, texts: Sequence[str]) -> np.ndarray:
        """Per customer text (normalised, ``segment.normalize_text``), P(it reports an unkept promise)."""
        out = np.zeros(len(texts))
        for k, text in enumerate(texts):
            weights = tfidf_weights(char_ngrams(text, self.ngrams), self._index, self.idf)
            z = sum(w * self.coef[j] for j, w in weights.items()) + self.intercept
            out[k] = 1.0 / (1.0 + np.exp(-z))
        return out

    def to_header(self) -> dict[str, Any]:
        return {"vocabulary": self.vocabulary, "intercept": self.intercept, "ngrams": list(self.ngrams), "bar": self.bar}

    def weights(self) -> dict[str, np.ndarray]:
        return {"promise_report_idf": self.idf, "promise_report_coef": self.coef}

    @classmethod
    def from_header(cls, header: dict[str, Any], weights: dict[str, np.ndarray]) -> "ReportScorer":
        return cls(header["vocabulary"], weights["promise_report_idf"], weights["promise_report_coef"],
                   header["intercept"], header["ngrams"], header["bar"])


class PromiseReportModel:
    """Learns which customer turns report an unkept promise (see the module docstring). A plain
    object that imports scikit-learn only to fit, like ``ReplyFit``.

    ``fit(texts, y)``: normalised customer texts, 1 where the turn reports an unkept promise.
    """

    def __init__(self, C: float = 4.0, ngrams: tuple[int, int] = (2, 4), min_df: int = 2) -> None:
        self.C = C
        self.ngrams = ngrams
        self.min_df = min_df

    def get_params(self, deep: bool = True) -> dict[str, Any]:
        return {"C": self.C, "ngrams": self.ngrams, "min_df": self.min_df}

    def fit(self, texts: Sequence[str], y: Any) -> "PromiseReportModel":
        from sklearn.feature_extraction.text import TfidfVectorizer
        from sklearn.linear_model import LogisticRegression

        target = np.asarray(y, dtype=int).reshape(len(texts))
        if len(set(target.tolist())) < 2:
            raise ValueError("PromiseReportModel needs customer turns that report an unkept promise and turns that do not")
        vectorizer = TfidfVectorizer(analyzer="char", ngram_range=self.ngrams, min_df=self.min_df,
                                     sublinear_tf=True, lowercase=False)
        try:
            X = vectorizer.fit_transform(texts)
        except ValueError:  # every n-gram below min_df
            vectorizer.set_params(min_df=1)
            X = vectorizer.fit_transform(texts)
        lr = LogisticRegression(C=self.C, class_weight="balanced", max_iter=3000).fit(X, target)
        terms = [t for t, _ in sorted(vectorizer.vocabulary_.items(), key=lambda kv: kv[1])]
        self.scorer_ = ReportScorer(terms, vectorizer.idf_, lr.coef_[0], float(lr.intercept_[0]), self.ngrams)
        return self

    def score(self, texts: Sequence[str]) -> np.ndarray:
        return self.scorer_.score(texts)
