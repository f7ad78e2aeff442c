"""What labelled real chats may tune — text-free parameters only: the weights of the cue
recalibration and the per-label thresholds — and an honest estimate of what that tuning buys, by
cross-fitting (tuned on some chats, measured on others)."""
from __future__ import annotations

import copy
import hashlib
from dataclasses import dataclass
from typing import Any, Sequence

import numpy as np

from .evaluate import Evaluation
from .evidence import RULE_LABELS
from .context import TranscriptView
from .model import _turn_label_matrix, best_threshold
from .transcript import LABELS, Transcript


def _truth(transcripts: Sequence[Transcript]) -> np.ndarray:
    return np.array([[label in (t.labels.transcript_labels if t.labels else set()) for label in LABELS]
                     for t in transcripts], dtype=int).reshape(-1, len(LABELS))


@dataclass(frozen=True)
class RealTuning:
    """How labelled real chats tune a model.

    Thresholds maximise F-``beta`` among those flagging at most ``max_clean_alarm`` of the clean
    chats; a label with fewer than ``min_positives`` positive chats cannot be tuned for F-beta and
    gets the stricter cap ``untuned_alarm`` (its precision on real chats is unknown, its false
    alarms are not). ``recalibrate`` fits the cue recalibration (L2 strength ``C``) on the real
    turns and, weighing ``corpus_weight`` times as much as they do in all, the model's own
    out-of-fold corpus turns (see ``CueRecalibrator``).
    ``max_total_alarm`` caps the clean chats flagged for anything at all, rules included: the
    figure a QA team sees.
    """

    beta: float = 0.5
    max_clean_alarm: float | None = 0.04
    untuned_alarm: float | None = 0.0025
    recalibrate: bool = True
    C: float = 0.1
    corpus_weight: float = 0.1
    max_total_alarm: float | None = 0.04
    min_positives: int = 30


# What the shipped model uses (models/DESIGN.md says why), and so what ``recalibrated`` and
# ``out_of_fold_scores`` do when not told otherwise.
REAL_TUNING = RealTuning()


def _untuned(truth: np.ndarray, min_positives: int) -> list[str]:
    return [label for k, label in enumerate(LABELS) if truth[:, k].sum() < min_positives]


def _turn_max(model: Any, views: Sequence[TranscriptView]) -> np.ndarray:
    """Each chat's highest agent-turn probability per label: the part of its score thresholds govern."""
    return np.array([P.max(axis=0) if len(P) else np.zeros(len(LABELS)) for P in model._turn_proba(views)]
                    ).reshape(-1, len(LABELS))


def _ruled(model: Any, views: Sequence[TranscriptView]) -> np.ndarray:
    """Per chat and label, whether one of the label's rules fires and is trusted at its corpus bar."""
    judge = copy.copy(model)
    judge.rule_thresholds_ = _rule_bars(model)
    out = np.zeros((len(views), len(LABELS)), dtype=bool)
    for r, view in enumerate(views):
        for rule in judge._trusted(judge._fired(view)):
            out[r, LABELS.index(RULE_LABELS[rule])] = True
    return out


def tuned_thresholds(model: Any, gold: Sequence[Transcript], tuning: RealTuning = REAL_TUNING,
                     scores: np.ndarray | None = None) -> dict[str, float]:
    """Per-label thresholds on the turn scores, chosen on ``gold`` as ``tuning`` says.

    ``scores``: each chat's highest agent-turn probability per label (e.g. out of fold); default
    the model's own. Rules are not re-tuned: a chat where a rule of the label fires counts as
    flagged whatever the threshold, so the false-alarm caps and F-beta see the real decisions.
    A label with too few positives keeps the model's own threshold, raised only as far as its
    false-alarm cap requires. With ``max_total_alarm`` the labels that can be tuned are then chosen
    one after another, each counting the clean chats already flagged for anything else.
    """
    gold = list(gold)
    truth = _truth(gold)
    views = model._views(gold)
    top = _turn_max(model, views) if scores is None else np.asarray(scores)
    ruled = _ruled(model, views)
    decisive = np.where(ruled, 2.0, top)
    clean = truth.sum(axis=1) == 0
    untuned = _untuned(truth, tuning.min_positives)
    thresholds = {label: _untuned_threshold(model, label, top[:, LABELS.index(label)], clean, tuning)
                  for label in untuned}
    cap = min((c for c in (tuning.max_clean_alarm, tuning.max_total_alarm) if c is not None), default=None)
    flagged = None  # with a total budget: the clean chats already flagged for anything
    if tuning.max_total_alarm is not None:
        flagged = ruled.any(axis=1)
        for label, t in thresholds.items():
            flagged |= top[:, LABELS.index(label)] >= t
    for k, label in enumerate(LABELS):
        if label not in thresholds:
            thresholds[label] = best_threshold(truth[:, k], decisive[:, k], clean, tuning.beta,
                                               max_clean_alarm=cap, flagged=flagged,
                                               prefer=_corpus_threshold(model, label))
            if flagged is not None:
                flagged |= decisive[:, k] >= thresholds[label]
    return {label: thresholds[label] for label in LABELS}


def _untuned_threshold(model: Any, label: str, top: np.ndarray, clean: np.ndarray, tuning: RealTuning) -> float:
    """A label too rare among the real labels to tune: its corpus threshold (on the recalibrated
    scale), raised only as far as the label's cap on flagged clean chats requires."""
    cap = tuning.untuned_alarm if tuning.untuned_alarm is not None else tuning.max_clean_alarm
    floor = _corpus_threshold(model, label)
    if cap is not None and clean.any():
        ordered = np.sort(top[clean])[::-1]
        allowed = int(np.floor(cap * clean.sum()))
        if allowed < len(ordered):
            floor = max(floor, float(ordered[allowed]) + 1e-6)
    return min(floor, 1.0)


def _corpus_threshold(model: Any, label: str) -> float:
    """The label's threshold before any real-data tuning, on the scale of the model's scores for a
    label the recalibration only shifts; for a label it re-weights there is no such mapping, and
    the raw corpus threshold is returned (``tuned_thresholds`` uses it only to break ties)."""
    threshold = _corpus_thresholds(model)[label]
    if model.recalibrator_ is not None:
        threshold = float(model.recalibrator_.shifted(label, threshold))
    return threshold


def _corpus_thresholds(model: Any) -> dict[str, float]:
    """The thresholds the model had before any real-data tuning."""
    return model.base_thresholds_ or model.thresholds_


def _rule_bars(model: Any) -> dict[str, float]:
    """The bar each label's rules must reach: the one they had on the corpus. Real labels tune the
    text model's thresholds, not the rules: those are the guidelines' own definitions, every
    finding they make is checkable by a reader, and real chats rarely carry the timestamps that
    several of them need."""
    base = _corpus_thresholds(model)
    return {label: model.rule_thresholds_.get(label, base[label]) for label in sorted(set(RULE_LABELS.values()))}


def with_thresholds(model: Any, thresholds: dict[str, float]) -> Any:
    """A shallow copy of ``model`` that uses ``thresholds`` (the fitted pipeline is shared)."""
    other = copy.copy(model)
    other.thresholds_ = dict(thresholds)
    return other


def _fold(transcript_id: str, folds: int, salt: str = "") -> int:
    return int(hashlib.sha256((transcript_id + salt).encode("utf-8")).hexdigest(), 16) % folds


def recalibrated(model: Any, gold: Sequence[Transcript], C: float = REAL_TUNING.C, min_positives: int = REAL_TUNING.min_positives,
                 corpus_weight: float = REAL_TUNING.corpus_weight) -> Any:
    """A shallow copy of ``model`` whose turn scores are recalibrated on the turns of ``gold``
    (``CueRecalibrator``: weights of text-free cues and of the text scores, no text)."""
    from .recalibration import CueRecalibrator

    base = copy.copy(model)
    base.recalibrator_ = None
    views = base._views(list(gold))
    rows = base._score_views(views)
    P, cues = base.stacked_scores_and_cues(rows)
    Y, _ = _turn_label_matrix(views)
    features = base.pipeline_.named_steps["features"]
    other = copy.copy(model)
    other.base_thresholds_ = dict(_corpus_thresholds(model))
    other.recalibrator_ = CueRecalibrator(features.cue_names_, C=C, min_positives=min_positives,
                                          corpus_weight=corpus_weight).fit(cues, P, Y, anchor=_anchor(model, corpus_weight))
    return other


def _anchor(model: Any, corpus_weight: float) -> tuple[np.ndarray, np.ndarray, np.ndarray] | None:
    """The fitted model's out-of-fold corpus turns (cues, text scores, labels), if it kept them."""
    turns = getattr(model, "corpus_turns_", None)
    if not corpus_weight or not turns:
        return None
    return turns["cues"], turns["scores"], turns["labels"]


def out_of_fold_scores(model: Any, gold: Sequence[Transcript], folds: int = 5, C: float = REAL_TUNING.C,
                       turn_max: bool = False, corpus_weight: float = REAL_TUNING.corpus_weight,
                       min_positives: int = REAL_TUNING.min_positives) -> np.ndarray:
    """Transcript scores of ``gold`` (or, with ``turn_max``, their highest turn scores), each fold
    scored by a recalibration fitted on the other folds."""
    gold = list(gold)
    assignment = [_fold(t.id + "/oof", folds) for t in gold]
    scores = np.zeros((len(gold), len(LABELS)))
    for k in range(folds):
        held = [i for i, f in enumerate(assignment) if f == k]
        rest = [t for t, f in zip(gold, assignment) if f != k]
        if held and rest:
            fold_model = recalibrated(model, rest, C, min_positives, corpus_weight)
            chats = [gold[i] for i in held]
            scores[held] = _turn_max(fold_model, fold_model._views(chats)) if turn_max else fold_model.predict_proba(chats)
    return scores


def tuned_on_real(model: Any, gold: Sequence[Transcript], tuning: RealTuning = REAL_TUNING) -> Any:
    """``model`` tuned on labelled real chats: cue recalibration fitted on all of ``gold``, thresholds
    chosen on out-of-fold scores (each chat scored by a recalibration that did not see it)."""
    if not tuning.recalibrate:
        tuned = with_thresholds(model, tuned_thresholds(model, gold, tuning))
        tuned.base_thresholds_ = dict(_corpus_thresholds(model))
    else:
        tuned = recalibrated(model, gold, tuning.C, tuning.min_positives, tuning.corpus_weight)
        oof = out_of_fold_scores(model, gold, C=tuning.C, turn_max=True, corpus_weight=tuning.corpus_weight,
                                 min_positives=tuning.min_positives)
        tuned.thresholds_ = tuned_thresholds(tuned, gold, tuning, scores=oof)
    tuned.rule_thresholds_ = _rule_bars(model)
    return tuned


def crossfit_evaluation(model: Any, gold: Sequence[Transcript], folds: int = 4,
                        tuning: RealTuning = REAL_TUNING, salt: str = "") -> Evaluation:
    """Evaluate real-data tuning honestly: each fold is scored by a model tuned (thresholds, and
    the cue recalibration) on the other folds only. Folds are fixed by a hash of each chat's id;
    another ``salt`` draws other folds, to see how much a figure owes to one split."""
    from .evaluate import evaluate_predictions

    gold = list(gold)
    assignment = [_fold(t.id, folds, salt) for t in gold]
    turn_pred: list[dict[int, list[str]]] = [{} for _ in gold]
    transcript_pred = np.zeros((len(gold), len(LABELS)), dtype=int)
    for k in range(folds):
        tune = [t for t, f in zip(gold, assignment) if f != k]
        held = [i for i, f in enumerate(assignment) if f == k]
        if not tune or not held:
            continue
        fold_model = tuned_on_real(model, tune, tuning)
        for i, analysis in zip(held, fold_model.analyze_many([gold[i] for i in held])):
            turn_pred[i] = analysis.turn_labels
            transcript_pred[i] = [label in analysis.labels for label in LABELS]
    return evaluate_predictions(gold, turn_pred, transcript_pred)


