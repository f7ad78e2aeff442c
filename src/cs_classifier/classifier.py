"""A calibrated one-classifier-per-label estimator over sparse turn features."""
from __future__ import annotations

from typing import Any

import numpy as np
from sklearn.base import BaseEstimator, ClassifierMixin, clone
from sklearn.calibration import CalibratedClassifierCV
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import GroupKFold, StratifiedKFold


class MultiLabelClassifier(ClassifierMixin, BaseEstimator):
    """Fits ``estimator`` once per label column of ``Y`` and calibrates its probabilities.

    Calibration uses cross-validated predictions (grouped by transcript when ``groups`` is given,
    so that turns of one chat never sit on both sides of a fold); the final estimator is refit on
    all data (``ensemble=False``), so a linear model's coefficients stay available to explain scores.
    """

    def __init__(self, estimator: Any = None, calibration: str | None = "sigmoid", cv: int = 3) -> None:
        self.estimator = estimator
        self.calibration = calibration
        self.cv = cv

    def _base(self) -> Any:
        if self.estimator is not None:
            return clone(self.estimator)
        return LogisticRegression(C=1.0, class_weight="balanced", max_iter=3000)

    def fit(self, X: Any, Y: np.ndarray, groups: np.ndarray | None = None) -> "MultiLabelClassifier":
        Y = np.asarray(Y)
        if Y.ndim == 1:
            Y = Y[:, None]
        self.n_labels_ = Y.shape[1]
        self.estimators_: list[Any] = []
        for k in range(self.n_labels_):
            y = Y[:, k].astype(int)
            positives = int(y.sum())
            if positives == 0 or positives == len(y):
                self.estimators_.append(float(positives > 0))
                continue
            if self.calibration and min(positives, len(y) - positives) >= 2 * self.cv:
                if groups is not None and len(set(groups)) >= self.cv:
                    splits = list(GroupKFold(n_splits=self.cv).split(X, y, groups))
                    if any(len(set(y[test])) < 2 or len(set(y[train])) < 2 for train, test in splits):
                        splits = list(StratifiedKFold(self.cv, shuffle=True, random_state=0).split(X, y))
                else:
                    splits = list(StratifiedKFold(self.cv, shuffle=True, random_state=0).split(X, y))
                model = CalibratedClassifierCV(self._base(), method=self.calibration, cv=splits, ensemble=False)
            else:
                model = self._base()
            self.estimators_.append(model.fit(X, y))
        return self

    def predict_proba(self, X: Any) -> np.ndarray:
        n = X.shape[0]
        out = np.zeros((n, self.n_labels_))
        for k, model in enumerate(self.estimators_):
            out[:, k] = model if isinstance(model, float) else model.predict_proba(X)[:, 1]
        return out

    def predict(self, X: Any) -> np.ndarray:
        return (self.predict_proba(X) >= 0.5).astype(int)

    def linear_model(self, k: int) -> Any | None:
        """The fitted linear model of label ``k`` (for explanations), or None when it is not linear."""
        model = self.estimators_[k]
        if isinstance(model, CalibratedClassifierCV):
            model = model.calibrated_classifiers_[0].estimator
        return model if hasattr(model, "coef_") else None

    def decision_slope(self, k: int) -> float:
        """d logit(p) / d decision of label ``k``: the calibration's slope (1 when uncalibrated)."""
        model = self.estimators_[k]
        if isinstance(model, CalibratedClassifierCV):
            return float(-model.calibrated_classifiers_[0].calibrators[0].a_)
        return 1.0
