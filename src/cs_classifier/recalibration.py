"""Re-weighting the text-free evidence on labelled real chats.

The corpus teaches the model its words; only real chats can say how much each text-free cue (the
question's type against what the reply supplies, overlap, position, timing, what the customer did
next) and the text model's own score are worth on real traffic. ``CueRecalibrator`` is a logistic
regression over exactly those numbers — the cue vector and the logits of the four turn scores — fitted on
turns of labelled real chats. It stores cue names and weights, never a word, so real chats whose
text may not be shipped can shape it.

It is a plain numpy object at scoring time (the compiled model uses it without scikit-learn).
"""
from __future__ import annotations

from typing import Any, Sequence

import numpy as np

from .transcript import LABELS

__all__ = ["CueRecalibrator", "logits"]

_EPS = 1e-4


def logits(P: np.ndarray) -> np.ndarray:
    P = np.clip(np.asarray(P, dtype=np.float64), _EPS, 1 - _EPS)
    return np.log(P / (1 - P))


def _sigmoid(z: Any) -> Any:
    return 1.0 / (1.0 + np.exp(-z))


def _shift_to_rate(P: np.ndarray, rate: float) -> float:
    """The logit shift b with mean(sigmoid(logit(P) + b)) == rate (bisection; monotone in b)."""
    z = logits(P)
    lo, hi = -30.0, 30.0
    for _ in range(80):
        mid = (lo + hi) / 2
        if np.mean(_sigmoid(z + mid)) > rate:
            hi = mid
        else:
            lo = mid
    return (lo + hi) / 2


class CueRecalibrator:
    """Per label, P(label | cues, text scores) learned on real turns. A label with fewer than
    ``min_positives`` labelled positive turns cannot be re-weighted; its text-model probability is
    only shifted (in logit) so that its mean on the real turns matches their smoothed rate of the
    label — calibration in the large, which leaves every ranking and decision as it was but stops
    a label the corpus over-predicts from dominating the transcript's badness.

    Fitted on real turns alone, the weights learn the register of those chats and forget what
    the text model knows about other registers: explicit evasions in a shop chat
    written by someone else scored low. ``fit`` therefore takes an ``anchor``: the text model's own
    out-of-fold turns on its corpus (cues, scores, labels), weighing ``corpus_weight`` times as
    much as the real turns in all. The anchor holds numbers, not text. Counts of real positives
    and the calibration shifts use the real turns only.

    ``fit(cues, P, Y)``: ``cues`` (n_turns x n_cues) in ``cue_names`` order, ``P`` the text model's
    turn probabilities (n_turns x 4), ``Y`` the real turn labels (n_turns x 4).
    """

    def __init__(self, cue_names: Sequence[str] = (), C: float = 0.1, min_positives: int = 10,
                 corpus_weight: float = 0.0) -> None:
        self.cue_names = list(cue_names)
        self.C = C
        self.min_positives = min_positives
        self.corpus_weight = corpus_weight

    def get_params(self, deep: bool = True) -> dict[str, Any]:
        return {"cue_names": self.cue_names, "C": self.C, "min_positives": self.min_positives,
                "corpus_weight": self.corpus_weight}

    def _inputs(self, cues: np.ndarray, P: np.ndarray) -> np.ndarray:
        cues = np.asarray(cues, dtype=np.float64).reshape(len(P), len(self.cue_names))
        return np.hstack([cues, logits(P)])

    def fit(self, cues: np.ndarray, P: np.ndarray, Y: np.ndarray,
            anchor: tuple[np.ndarray, np.ndarray, np.ndarray] | None = None) -> "CueRecalibrator":
        from sklearn.linear_model import LogisticRegression

        Z = self._inputs(cues, P)
        Y = np.asarray(Y, dtype=int).reshape(len(Z), len(LABELS))
        Z_fit, Y_fit, weight = Z, Y, np.ones(len(Z))
        if anchor is not None and self.corpus_weight > 0 and len(anchor[1]) and len(Z):
            Z_corpus = self._inputs(anchor[0], anchor[1])
            Y_corpus = np.asarray(anchor[2], dtype=int).reshape(len(Z_corpus), len(LABELS))
            Z_fit, Y_fit = np.vstack([Z, Z_corpus]), np.vstack([Y, Y_corpus])
            weight = np.concatenate([weight, np.full(len(Z_corpus), self.corpus_weight * len(Z) / len(Z_corpus))])
        self.coef_: dict[str, np.ndarray] = {}
        self.intercept_: dict[str, float] = {}
        self.shift_: dict[str, float] = {}
        for k, label in enumerate(LABELS):
            positives = int(Y[:, k].sum())
            if positives < self.min_positives or positives == len(Y):
                if len(Y):
                    self.shift_[label] = _shift_to_rate(np.asarray(P)[:, k], (positives + 1) / (len(Y) + 2))
                continue
            lr = LogisticRegression(C=self.C, max_iter=5000).fit(Z_fit, Y_fit[:, k], sample_weight=weight)
            self.coef_[label] = lr.coef_[0].copy()
            self.intercept_[label] = float(lr.intercept_[0])
        self.n_turns_ = len(Z)
        return self

    @property
    def labels_(self) -> list[str]:
        return [label for label in LABELS if label in self.coef_]

    def predict_proba(self, cues: np.ndarray, P: np.ndarray) -> np.ndarray:
        """``P`` with the recalibrated labels' columns replaced."""
        P = np.asarray(P, dtype=np.float64)
        out = P.copy()
        if not len(P):
            return out
        Z = self._inputs(cues, P)
        for label in self.labels_:
            out[:, LABELS.index(label)] = _sigmoid(Z @ self.coef_[label] + self.intercept_[label])
        for label in self.shift_:
            k = LABELS.index(label)
            out[:, k] = self.shifted(label, P[:, k])
        return out

    def shifted(self, label: str, p: Any) -> Any:
        """A text-model probability (or threshold) of a shifted label on the recalibrated scale."""
        b = self.shift_.get(label)
        if b is None:
            return p
        return _sigmoid(logits(p) + b)

    def contributions(self, label: str, cues: np.ndarray, text_pairs: list[tuple[str, float]] | None,
                      text_slope: float) -> list[tuple[str, float]] | None:
        """What pushed one turn's recalibrated score: each cue (value x weight) and the text model's
        own contributions — words and cues — scaled by the weight of its logit (``text_slope``:
        d logit / d decision); a cue that counts both ways gets the sum."""
        if label not in self.coef_:
            return text_pairs
        w = self.coef_[label]
        n = len(self.cue_names)
        own = w[n + LABELS.index(label)] * text_slope
        total = {f"cue:{name}": float(v * w[j]) for j, (name, v) in enumerate(zip(self.cue_names, cues)) if v}
        for name, value in text_pairs or []:
            total[name] = total.get(name, 0.0) + float(value) * own
        return sorted(total.items(), key=lambda p: (-round(p[1], 12), p[0]))

    # ----------------------------------------------------------- serialisation
    def to_dict(self) -> dict[str, Any]:
        return {"cue_names": self.cue_names, "C": self.C, "min_positives": self.min_positives,
                "corpus_weight": self.corpus_weight, "n_turns": self.n_turns_,
                "labels": {label: {"coef": self.coef_[label].tolist(), "intercept": self.intercept_[label]}
                           for label in self.labels_},
                "shifts": dict(self.shift_)}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> "CueRecalibrator":
        out = cls(data["cue_names"], data.get("C", 0.1), data.get("min_positives", 10), data.get("corpus_weight", 0.0))
        out.coef_ = {label: np.asarray(v["coef"], dtype=np.float64) for label, v in data["labels"].items()}
        out.intercept_ = {label: float(v["intercept"]) for label, v in data["labels"].items()}
        out.shift_ = {label: float(b) for label, b in data.get("shifts", {}).items()}
        out.n_turns_ = int(data.get("n_turns", 0))
        return out
