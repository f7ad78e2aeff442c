"""ChatModel: scores agent turns for the four behaviours and derives transcript findings."""
from __future__ import annotations

from typing import Any, Sequence

import numpy as np
from sklearn.base import BaseEstimator, clone
from sklearn.model_selection import KFold
from sklearn.pipeline import Pipeline

from .classifier import MultiLabelClassifier
from .context import TranscriptView
from .evidence import CUE_PHRASES, CUE_PHRASES_ZH, RULE_LABELS, EvidenceMixin
from .features import TurnFeaturizer
from .latency import DEFAULT_MAX_WAIT
from .promise_reports import RULE_NAME as REPORT_RULE
from .promise_reports import PromiseReportModel
from .segment import Segmenter
from .transcript import LABELS, Transcript

__all__ = ["CUE_PHRASES", "CUE_PHRASES_ZH", "RULE_LABELS", "ChatModel", "choose_thresholds", "report_bar"]

def _transcript_labels(t: Transcript) -> np.ndarray:
    found = t.labels.transcript_labels if t.labels else set()
    return np.array([label in found for label in LABELS], dtype=int)


def _turn_label_matrix(views: Sequence[TranscriptView]) -> tuple[np.ndarray, np.ndarray]:
    rows, groups = [], []
    for g, v in enumerate(views):
        labelled = v.transcript.labels.turns if v.transcript.labels else {}
        for i in v.scored_turns:
            rows.append([label in labelled.get(i, []) for label in LABELS])
            groups.append(g)
    return np.array(rows, dtype=int).reshape(-1, len(LABELS)), np.array(groups)


def _customer_turns(views: Sequence[TranscriptView]) -> tuple[list[str], np.ndarray, np.ndarray]:
    """The scored customer turns of annotated views: normalised texts, 1 where a broken-promise
    finding cites the turn, and the index of the view each comes from."""
    texts: list[str] = []
    cited: list[int] = []
    groups: list[int] = []
    for g, v in enumerate(views):
        labels = v.transcript.labels
        evidence = {i for f in (labels.findings if labels else []) if f.label == "broken_promise" for i in f.evidence}
        for i in v.customer_turns:
            texts.append(v.texts[i])
            cited.append(int(i in evidence))
            groups.append(g)
    return texts, np.array(cited, dtype=int), np.array(groups, dtype=int)


class ChatModel(EvidenceMixin, BaseEstimator):
    """The shipped estimator: ``fit`` on annotated transcripts, ``predict_proba`` per transcript,
    ``analyze`` for the full evidence record.

    A Pipeline of a TurnFeaturizer and a calibrated MultiLabelClassifier scores every agent turn;
    per-label thresholds are chosen on out-of-fold predictions (``threshold_folds`` folds by
    transcript: each transcript scored by a model that did not see it), maximising
    F-``threshold_beta`` at transcript level (averaged over ``threshold_smoothing`` grid steps on each
    side); then the pipeline is refit on all training transcripts.
    Customer reports of unkept promises add broken_promise evidence with the rule's precision
    measured on the training transcripts. With ``promise_reports``, a model learns those reports
    from the customer turns the annotators cited (``promise_reports.PromiseReportModel``); it fires
    at the lowest score whose out-of-fold precision on the training transcripts reaches
    ``report_precision``. A hand-written rule decides a finding by itself when its precision on the
    training transcripts reaches ``rule_bar`` (None: the label's corpus threshold, which moves by
    tenths between refits of the same corpus where the F-beta curve is flat).
    """

    def __init__(self, featurizer: TurnFeaturizer | None = None, classifier: MultiLabelClassifier | None = None,
                 segmenter: Segmenter | None = None, threshold_folds: int = 4, threshold_beta: float = 0.5,
                 max_clean_alarm: float | None = 0.02,
                 random_state: int = 0, max_chars: int = 2000, max_turns: int = 1000,
                 max_wait: float = DEFAULT_MAX_WAIT, rule_prior: tuple[float, float] = (4.0, 1.0),
                 promise_reports: bool = False, report_precision: float = 0.85,
                 rule_bar: float | None = None, threshold_smoothing: int = 1) -> None:
        self.featurizer = featurizer
        self.classifier = classifier
        self.segmenter = segmenter
        self.threshold_folds = threshold_folds
        self.max_clean_alarm = max_clean_alarm
        self.threshold_beta = threshold_beta
        self.random_state = random_state
        self.max_chars = max_chars
        self.max_turns = max_turns
        self.max_wait = max_wait
        self.rule_prior = rule_prior
        self.promise_reports = promise_reports
        self.report_precision = report_precision
        self.rule_bar = rule_bar
        self.threshold_smoothing = threshold_smoothing

    # ----------------------------------------------------------------- fitting
    def _segmenter(self) -> Segmenter:
        return self.segmenter if self.segmenter is not None else Segmenter()

    def _new_pipeline(self) -> Pipeline:
        return Pipeline([
            ("features", clone(self.featurizer) if self.featurizer is not None else TurnFeaturizer()),
            ("classifier", clone(self.classifier) if self.classifier is not None else MultiLabelClassifier()),
        ])

    def fit(self, X: Sequence[Transcript], y: Any = None) -> "ChatModel":
        """Fit on annotated transcripts (their ``labels``); ``y`` is ignored."""
        transcripts = list(X)
        if not transcripts:
            raise ValueError("no transcripts to fit on")
        # Real-data tuning (tuning.tuned_on_real) sets these three; a refit starts without it, also
        # while the out-of-fold scores below are computed.
        self.recalibrator_ = None
        self.rule_thresholds_: dict[str, float] = {}
        self.base_thresholds_: dict[str, float] | None = None  # the thresholds before real-data tuning
        self.promise_report_scorer_ = None  # fitted below; the training views score without it
        views = self._views(transcripts)
        contexts = self._contexts(views)
        Y, groups = _turn_label_matrix(views)
        T = np.array([_transcript_labels(t) for t in transcripts])
        self.rule_precision_ = self._rule_precision(views, T)
        # Thresholds from out-of-fold predictions: every training transcript is scored once by a
        # model that did not see it (folds by transcript), then the pipeline is refit on all of them.
        oof = np.zeros((len(transcripts), len(LABELS)))
        turn_scores = np.zeros((len(contexts), len(LABELS)), dtype=np.float32)
        turn_cues: np.ndarray | None = None
        reports = _customer_turns(views) if self.promise_reports else None
        report_oof = np.zeros(len(transcripts))
        folds = KFold(n_splits=max(2, min(self.threshold_folds, len(transcripts))), shuffle=True,
                      random_state=self.random_state)
        for fit_t, val_t in folds.split(np.arange(len(transcripts))):
            if reports is not None:
                report_oof[val_t] = self._report_scores_out_of_fold(reports, fit_t, val_t)
            fit_rows = np.flatnonzero(np.isin(groups, fit_t))
            pipeline = self._new_pipeline()
            pipeline.fit([contexts[k] for k in fit_rows], Y[fit_rows], classifier__groups=groups[fit_rows])
            self.pipeline_ = pipeline
            val_views = [views[g] for g in val_t]
            scored = self._score_views(val_views)
            oof[val_t] = [self._aggregate(v, P)[0] for v, (P, _) in zip(val_views, scored)]
            val_rows = np.flatnonzero(np.isin(groups, val_t))  # the val views' turns, in order
            P, cues = self.stacked_scores_and_cues(scored)
            if turn_cues is None:
                turn_cues = np.zeros((len(contexts), cues.shape[1]), dtype=np.float32)
            turn_scores[val_rows], turn_cues[val_rows] = P, cues
        if reports is not None and reports[1].any() and not reports[1].all():
            self._fit_promise_reports(reports, report_oof, T)
        self.thresholds_ = choose_thresholds(T, oof, beta=self.threshold_beta, max_clean_alarm=self.max_clean_alarm,
                                             smooth=self.threshold_smoothing)
        if self.rule_bar is not None:
            self.rule_thresholds_ = {label: float(self.rule_bar) for label in LABELS}
        # Every training turn scored out of fold, with its cues and labels: what real-data
        # recalibration (tuning.py) keeps the text model's knowledge of this corpus with.
        self.corpus_turns_ = {"cues": turn_cues, "scores": turn_scores, "labels": Y.astype(np.uint8)}
        self.validation_ = {"transcripts": len(transcripts), "scores": oof, "truth": T}
        self.pipeline_ = self._new_pipeline().fit(contexts, Y, classifier__groups=groups)
        self.n_training_transcripts_ = len(transcripts)
        self.n_training_turns_ = len(contexts)
        return self

    def _report_scores_out_of_fold(self, reports: tuple[list[str], np.ndarray, np.ndarray], fit_t: np.ndarray,
                                   val_t: np.ndarray) -> np.ndarray:
        """Each held-out transcript's highest customer-turn report score, from a report model
        fitted on the other transcripts (0 where it cannot be fitted or has no customer turn)."""
        texts, cited, groups = reports
        fit_rows = np.flatnonzero(np.isin(groups, fit_t))
        out = np.zeros(len(val_t))
        if len(set(cited[fit_rows].tolist())) < 2:
            return out
        model = PromiseReportModel().fit([texts[k] for k in fit_rows], cited[fit_rows])
        position = {g: r for r, g in enumerate(val_t)}
        val_rows = np.flatnonzero(np.isin(groups, val_t))
        for k, score in zip(val_rows, model.score([texts[k] for k in val_rows])):
            out[position[groups[k]]] = max(out[position[groups[k]]], score)
        return out

    def _fit_promise_reports(self, reports: tuple[list[str], np.ndarray, np.ndarray], report_oof: np.ndarray,
                             T: np.ndarray) -> None:
        """Set the report model's bar (the lowest whose out-of-fold precision, smoothed like the
        rules', reaches ``report_precision``) and its rule precision, and fit it on all training
        transcripts. No bar reaches it: no rule.

        It does not enter the out-of-fold scores the thresholds are chosen on. A rule is trusted
        when its precision reaches the label's threshold; counted there, the report model (which
        finds most of the corpus's reports) raised the broken-promise threshold above the
        hand-written rules' precision and switched them off, and on real chats those rules find
        what the model misses."""
        chosen = report_bar(report_oof, T[:, LABELS.index("broken_promise")], self.report_precision, self.rule_prior)
        if chosen is None:
            return
        bar, precision = chosen
        self.rule_precision_[REPORT_RULE] = precision
        texts, cited, _ = reports
        scorer = PromiseReportModel().fit(texts, cited).scorer_
        scorer.bar = float(bar)
        self.promise_report_scorer_ = scorer

    def _rule_precision(self, views: Sequence[TranscriptView], T: np.ndarray) -> dict[str, float]:
        """Per rule, how often a training transcript where it fired has its label.

        Smoothed with a prior of ``rule_prior`` (hits, misses): the rules encode the guidelines'
        own definitions, so with no data they are trusted at 4 in 5, and the corpus moves that.
        """
        hits_prior, misses_prior = self.rule_prior
        out: dict[str, float] = {}
        for rule in RULE_LABELS:
            fired = [k for k, v in enumerate(views) if rule in v.rule_evidence]
            hits = sum(T[k, LABELS.index(RULE_LABELS[rule])] for k in fired)
            out[rule] = float((hits + hits_prior) / (len(fired) + hits_prior + misses_prior))
        return out

    # --------------------------------------------------------------- scoring
    def _score_views(self, views: Sequence[TranscriptView]) -> list[tuple[np.ndarray, Any]]:
        """Per view, the turn probabilities and the feature rows they came from (one batch transform)."""
        contexts = self._contexts(views)
        if contexts:
            X = self.pipeline_.named_steps["features"].transform(contexts)
            P = self.pipeline_.named_steps["classifier"].predict_proba(X)
            if self.recalibrator_ is not None:
                P = self.recalibrator_.predict_proba(self.cue_matrix(X), P)
        else:
            X, P = None, np.zeros((0, len(LABELS)))
        out, k = [], 0
        for v in views:
            n = len(v.scored_turns)
            out.append((P[k:k + n], X[k:k + n] if X is not None else None))
            k += n
        return out

    def stacked_scores_and_cues(self, scored: Sequence[tuple[np.ndarray, Any]]) -> tuple[np.ndarray, np.ndarray]:
        """All turns of ``_score_views`` output in one array each: probabilities and cue columns."""
        n_cues = len(self.pipeline_.named_steps["features"].cue_names_)
        P = np.vstack([p for p, _ in scored]) if scored else np.zeros((0, len(LABELS)))
        cues = [self.cue_matrix(X) for _, X in scored if X is not None and X.shape[0]]
        return P, np.vstack(cues) if cues else np.zeros((0, n_cues))

    def cue_matrix(self, X: Any) -> np.ndarray:
        """The text-free cue columns of feature rows ``X``, unscaled (n_rows x n_cues)."""
        features = self.pipeline_.named_steps["features"]
        n = len(features.cue_names_)
        if not n:
            return np.zeros((X.shape[0], 0))
        return np.asarray(X[:, X.shape[1] - n:].toarray()) / features.cue_weight

    def _contributions(self, k: int, row: Any) -> list[tuple[str, float]] | None:
        classifier = self.pipeline_.named_steps["classifier"]
        linear = classifier.linear_model(k)
        pairs = None
        if linear is not None:
            contrib = row.multiply(linear.coef_[0]).tocsr()
            names = self._feature_names()
            pairs = sorted(((str(names[j]), float(v)) for j, v in zip(contrib.indices, contrib.data)),
                           key=lambda p: (-round(p[1], 12), p[0]))
        if self.recalibrator_ is not None:
            pairs = self.recalibrator_.contributions(LABELS[k], self.cue_matrix(row)[0], pairs, classifier.decision_slope(k))
        return pairs

    def _feature_names(self) -> np.ndarray:
        names = getattr(self, "_names_cache", None)
        if names is None:
            names = self.pipeline_.named_steps["features"].get_feature_names_out()
            self._names_cache = names
        return names

    def __getstate__(self) -> dict[str, Any]:
        state = dict(self.__dict__)
        state.pop("_names_cache", None)
        state.pop("validation_", None)
        return state

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.__dict__.update(state)
        self.__dict__.setdefault("recalibrator_", None)
        self.__dict__.setdefault("rule_thresholds_", {})
        self.__dict__.setdefault("base_thresholds_", None)
        self.__dict__.setdefault("corpus_turns_", None)
        self.__dict__.setdefault("promise_report_scorer_", None)


def report_bar(scores: np.ndarray, truth: np.ndarray, precision: float,
               prior: tuple[float, float] = (4.0, 1.0)) -> tuple[float, float] | None:
    """The lowest threshold on ``scores`` (per transcript) whose precision against ``truth``,
    smoothed with ``prior`` (hits, misses) like the rules', reaches ``precision``; with that
    smoothed precision. None when no threshold of the grid reaches it."""
    hits_prior, misses_prior = prior
    for bar in THRESHOLD_GRID:
        fired = scores >= bar
        reached = float((truth[fired].sum() + hits_prior) / (fired.sum() + hits_prior + misses_prior))
        if fired.any() and reached >= precision:
            return float(bar), reached
    return None


# Fine steps near 1: a text model trained on one register scores another register's ordinary
# replies high, so the thresholds that keep false alarms rare sit above 0.95.
THRESHOLD_GRID = np.round(np.concatenate([np.arange(0.1, 0.951, 0.025), [0.96, 0.97, 0.98, 0.99, 0.995]]), 3)


def choose_thresholds(truth: np.ndarray, scores: np.ndarray, beta: float = 1.0,
                      grid: Sequence[float] | None = None, max_clean_alarm: float | None = None,
                      smooth: int = 0) -> dict[str, float]:
    """Per label, the threshold maximising F-beta of transcript decisions (ties: the higher threshold).

    With ``max_clean_alarm``, only thresholds that flag at most that fraction of the transcripts
    with nothing wrong are considered: false alarms on decent chats are what users cannot forgive.
    ``smooth``: see ``best_threshold``.
    """
    clean = truth.sum(axis=1) == 0
    return {label: best_threshold(truth[:, k], scores[:, k], clean, beta, grid, max_clean_alarm, smooth=smooth)
            for k, label in enumerate(LABELS)}


def best_threshold(truth: np.ndarray, scores: np.ndarray, clean: np.ndarray, beta: float = 1.0,
                   grid: Sequence[float] | None = None, max_clean_alarm: float | None = None,
                   flagged: np.ndarray | None = None, prefer: float | None = None, smooth: int = 0) -> float:
    """One label's threshold maximising F-beta, among those whose decisions, together with the
    chats already ``flagged`` for other reasons, flag at most ``max_clean_alarm`` of the ``clean``
    chats. Ties go to the higher threshold, or, with ``prefer`` (which joins the grid), to the one
    nearest it: where these chats cannot tell thresholds apart, a prior choice should stand.

    ``smooth``: F-beta is averaged over that many grid steps on each side (a threshold the cap rules
    out, or one past the grid's ends, counts 0; ties then go to the higher F-beta of the threshold
    itself) before the best is taken. Where F-beta is flat, the unsmoothed best is decided by a chat
    or two and moves by tenths between refits of the same corpus; the average picks the middle of
    a broad optimum, away from a cliff."""
    grid = np.asarray(grid if grid is not None else THRESHOLD_GRID, dtype=float)
    if prefer is not None:
        grid = np.union1d(grid, [prefer])
    truth = np.asarray(truth) == 1
    already = np.zeros(len(truth), dtype=bool) if flagged is None else np.asarray(flagged, dtype=bool)
    b2 = beta * beta
    f_beta = np.zeros(len(grid))
    allowed = np.ones(len(grid), dtype=bool)
    for i, t in enumerate(grid):
        pred = scores >= t
        if max_clean_alarm is not None and clean.any() and (pred | already)[clean].mean() > max_clean_alarm:
            allowed[i] = False
            continue
        tp = float(np.sum(pred & truth))
        fp = float(np.sum(pred & ~truth))
        fn = float(np.sum(~pred & truth))
        f_beta[i] = (1 + b2) * tp / ((1 + b2) * tp + b2 * fn + fp) if tp else 0.0
    padded = np.concatenate([np.zeros(smooth), f_beta, np.zeros(smooth)])
    ranked = np.convolve(padded, np.full(2 * smooth + 1, 1.0 / (2 * smooth + 1)), mode="valid") if smooth > 0 else f_beta
    best, best_t = (-1.0, -1.0), float(grid[-1])
    for i, t in enumerate(grid):
        if not allowed[i]:
            continue
        f = (float(ranked[i]), float(f_beta[i]))
        if f > best or (f == best and (prefer is None or abs(t - prefer) < abs(best_t - prefer))):
            best, best_t = f, float(t)
    return best_t
