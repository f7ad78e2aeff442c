"""Thresholds tuned on labelled real chats — text-free parameters only — and an honest estimate
of what that tuning buys, by cross-fitting (thresholds chosen on some chats, measured on others)."""
from __future__ import annotations

import copy
import hashlib
from typing import Any, Sequence

import numpy as np

from .evaluate import Evaluation
from .model import choose_thresholds
from .transcript import LABELS, Transcript


def _truth(transcripts: Sequence[Transcript]) -> np.ndarray:
    return np.array([[label in (t.labels.transcript_labels if t.labels else set()) for label in LABELS]
                     for t in transcripts], dtype=int).reshape(-1, len(LABELS))


MIN_POSITIVES = 10


def tuned_thresholds(model: Any, gold: Sequence[Transcript], beta: float = 0.5,
                     max_clean_alarm: float | None = 0.02) -> dict[str, float]:
    """Per-label thresholds that maximise F-beta on ``gold`` with the clean-chat false-alarm cap.

    A label with fewer than ``MIN_POSITIVES`` positive chats in ``gold`` cannot be tuned for F-beta:
    it keeps the model's own threshold, raised only as far as the false-alarm cap requires.
    """
    truth = _truth(gold)
    scores = model.predict_proba(list(gold))
    tuned = choose_thresholds(truth, scores, beta=beta, max_clean_alarm=max_clean_alarm)
    clean = truth.sum(axis=1) == 0
    for k, label in enumerate(LABELS):
        if truth[:, k].sum() >= MIN_POSITIVES:
            continue
        floor = model.thresholds_[label]
        if max_clean_alarm is not None and clean.any():
            ordered = np.sort(scores[clean, k])[::-1]
            allowed = int(np.floor(max_clean_alarm * clean.sum()))
            if allowed < len(ordered):
                floor = max(floor, float(ordered[allowed]) + 1e-6)
        tuned[label] = min(floor, 1.0)
    return tuned


def with_thresholds(model: Any, thresholds: dict[str, float]) -> Any:
    """A shallow copy of ``model`` that uses ``thresholds`` (the fitted pipeline is shared)."""
    other = copy.copy(model)
    other.thresholds_ = dict(thresholds)
    return other


def _fold(transcript_id: str, folds: int) -> int:
    return int(hashlib.sha256(transcript_id.encode("utf-8")).hexdigest(), 16) % folds


def crossfit_evaluation(model: Any, gold: Sequence[Transcript], folds: int = 2, beta: float = 0.5,
                        max_clean_alarm: float | None = 0.02) -> Evaluation:
    """Evaluate tuned thresholds honestly: each fold is scored with thresholds tuned on the others."""
    from .evaluate import evaluate_predictions

    gold = list(gold)
    assignment = [_fold(t.id, folds) for t in gold]
    turn_pred: list[dict[int, list[str]]] = [{} for _ in gold]
    transcript_pred = np.zeros((len(gold), len(LABELS)), dtype=int)
    for k in range(folds):
        tune = [t for t, f in zip(gold, assignment) if f != k]
        held = [i for i, f in enumerate(assignment) if f == k]
        if not tune or not held:
            continue
        fold_model = with_thresholds(model, tuned_thresholds(model, tune, beta, max_clean_alarm))
        for i, analysis in zip(held, fold_model.analyze_many([gold[i] for i in held])):
            turn_pred[i] = analysis.turn_labels
            transcript_pred[i] = [label in analysis.labels for label in LABELS]
    return evaluate_predictions(gold, turn_pred, transcript_pred)


