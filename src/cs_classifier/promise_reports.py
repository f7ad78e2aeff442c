"""Does this customer turn report a promise that was not kept?

The guidelines let a broken-promise finding rest on the customer's turns alone: 「你们上周说三天内
退款，现在还没到」. Customers say it in endless ways — a quoted deadline that passed, an installer
who never came, an advert's offer never given — and a hand-written pattern
(``commitments.earlier_promise_reports``) catches only the common ones. This model learns the
reports from the corpus: a logistic regression over tf-idf character n-grams (2–4) of customer
turns, taught on the customer turns that annotators cited as broken-promise evidence against every
other customer turn.

Its vocabulary is the project's own corpus. Fitting needs scikit-learn; scoring does not
(``ReportScorer`` is an ``ngrams.TextScorer``), so the compiled model scores with the very same
object. A customer turn whose score reaches ``ReportScorer.bar`` fires the rule
``promise_report_model``; ``ChatModel.fit`` sets the bar and measures the rule's precision out of
fold on the training transcripts.
"""
from __future__ import annotations

from typing import Any, Sequence

import numpy as np

from .ngrams import TextScorer, fit_text_scorer

__all__ = ["RULE_NAME", "PromiseReportModel", "ReportScorer"]

RULE_NAME = "promise_report_model"
_PREFIX = "promise_report"


class ReportScorer(TextScorer):
    """The fitted ``PromiseReportModel``: a ``TextScorer`` and the bar its rule fires at."""

    def __init__(self, vocabulary: Sequence[str], idf: Any, coef: Any, intercept: float,
                 ngrams: Sequence[int], bar: float = 1.0) -> None:
        super().__init__(vocabulary, idf, coef, intercept, ngrams)
        self.bar = float(bar)

    def to_header(self) -> dict[str, Any]:
        return {**super().to_header(), "bar": self.bar}

    def weights(self, prefix: str = _PREFIX) -> dict[str, np.ndarray]:
        return super().weights(prefix)

    @classmethod
    def from_header(cls, header: dict[str, Any], weights: Any, prefix: str = _PREFIX) -> "ReportScorer":
        scorer = super().from_header(header, weights, prefix)
        scorer.bar = float(header["bar"])
        return scorer


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
        if len(set(np.asarray(y, dtype=int).ravel().tolist())) < 2:
            raise ValueError("PromiseReportModel needs customer turns that report an unkept promise "
                             "and turns that do not")
        fitted = fit_text_scorer(texts, y, self.C, self.ngrams, self.min_df)
        self.scorer_ = ReportScorer(fitted.vocabulary, fitted.idf, fitted.coef, fitted.intercept, self.ngrams)
        return self

    def score(self, texts: Sequence[str]) -> np.ndarray:
        return self.scorer_.score(texts)
