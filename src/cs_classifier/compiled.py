"""A fitted ChatModel exported to plain arrays and scored with numpy alone.

Scoring does not import scikit-learn (about 1.4 s per process) and the file format holds no
pickle: a JSON header (vocabularies, thresholds, settings) and a ``.npz`` of weights. The shipped
model is saved in both forms; ``tests/test_compiled.py`` checks that they give the same scores.
"""
from __future__ import annotations

import json
import math
import os
from pathlib import Path
from typing import Any, Sequence

import numpy as np

from .context import TranscriptView, TurnContext, cue_features, qa_pair_tokens
from .evidence import EvidenceMixin
from .latency import DEFAULT_MAX_WAIT
from .ngrams import TextScorer, char_ngrams, tfidf_weights, word_ngrams
from .promise_reports import ReportScorer
from .reactions import CUE_NAME as REACTION_CUE
from .reactions import PREFIX as REACTION_PREFIX
from .reactions import react_scores, reaction_text
from .recalibration import CueRecalibrator
from .reply_fit import CUE_NAME as REPLY_FIT_CUE
from .reply_fit import PairScorer, question_and_reply
from .segment import Segmenter
from .transcript import LABELS

FORMAT = "cs-classifier-compiled/1"


class CompiledModel(EvidenceMixin):
    """The same scores and evidence as the ChatModel it was exported from, without scikit-learn."""

    def __init__(self, header: dict[str, Any], weights: dict[str, np.ndarray]) -> None:
        self.header = header
        self.thresholds_ = dict(header["thresholds"])
        self.rule_precision_ = dict(header["rule_precision"])
        self.rule_thresholds_ = dict(header.get("rule_thresholds") or {})
        self.max_chars = int(header["max_chars"])
        self.max_turns = int(header["max_turns"])
        self.max_wait = float(header.get("max_wait", DEFAULT_MAX_WAIT))
        self.segmenter = Segmenter(**header["segmenter"])
        self._blocks = header["blocks"]  # [{"name", "kind", "ngrams", "offset", "vocabulary"}]
        self._vocab = [{term: i for i, term in enumerate(b["vocabulary"])} for b in self._blocks]
        self._idf = [weights[f"idf_{b['name']}"] for b in self._blocks]
        self._cue_names: list[str] = header["cue_names"]
        self._cue_offset = int(header["cue_offset"])
        self._cue_weight = float(header["cue_weight"])
        self._coef = weights["coef"]            # (labels, features)
        self._intercept = weights["intercept"]  # (labels,)
        self._labels = header["labels"]         # per label: {"kind": "const"|"linear", "value", "a", "b"}
        self._names: list[str] | None = None
        fit = header.get("reply_fit")
        self._reply_fit = PairScorer.from_header(fit, weights["reply_fit_coef"]) if fit else None
        reaction = header.get("reaction_fit")
        self._reaction_fit = TextScorer.from_header(reaction, weights, REACTION_PREFIX) if reaction else None
        reports = header.get("promise_reports")
        self.promise_report_scorer_ = ReportScorer.from_header(reports, weights) if reports else None
        recal = header.get("recalibrator")
        self.recalibrator_ = CueRecalibrator.from_dict(recal) if recal else None

    # --------------------------------------------------------------- settings
    def set_params(self, **params: Any) -> "CompiledModel":
        for key, value in params.items():
            if key not in ("segmenter", "max_wait", "max_chars", "max_turns"):
                raise ValueError(f"CompiledModel has no settable parameter {key!r}")
            setattr(self, key, value)
        return self

    def get_params(self, deep: bool = True) -> dict[str, Any]:
        return {"segmenter": self.segmenter, "max_wait": self.max_wait, "max_chars": self.max_chars,
                "max_turns": self.max_turns}

    def _segmenter(self) -> Segmenter:
        return self.segmenter

    # ---------------------------------------------------------------- scoring
    def _row(self, view: TranscriptView, i: int) -> dict[int, float]:
        row: dict[int, float] = {}
        for b, block in enumerate(self._blocks):
            if block["kind"] == "w":
                terms = word_ngrams(view.words[i], block["ngrams"])
            elif block["kind"] == "q":
                terms = word_ngrams(view.question_before(i)[1], (1, 1))
            elif block["kind"] == "p":
                terms = word_ngrams(qa_pair_tokens(TurnContext(view, i)), (1, 1))
            else:
                terms = char_ngrams(view.texts[i], block["ngrams"])
            offset = block["offset"]
            for j, w in tfidf_weights(terms, self._vocab[b], self._idf[b]).items():
                row[offset + j] = w
        if self._cue_names:
            feats = cue_features_of(view, i)
            if self._reply_fit is not None:
                feats[REPLY_FIT_CUE] = float(self._reply_fit.misfit([question_and_reply(TurnContext(view, i))])[0])
            if self._reaction_fit is not None:
                feats[REACTION_CUE] = float(react_scores(self._reaction_fit, [reaction_text(TurnContext(view, i))])[0])
            for j, name in enumerate(self._cue_names):
                value = feats[name] * self._cue_weight
                if value:
                    row[self._cue_offset + j] = value
        return row

    def _score_views(self, views: Sequence[TranscriptView]) -> list[tuple[np.ndarray, Any]]:
        out = []
        for v in views:
            rows = [self._row(v, i) for i in v.scored_turns]
            P = np.zeros((len(rows), len(LABELS)))
            for r, row in enumerate(rows):
                if row:
                    idx = np.fromiter(row.keys(), dtype=np.int64, count=len(row))
                    val = np.fromiter(row.values(), dtype=np.float64, count=len(row))
                    decision = self._coef[:, idx] @ val + self._intercept
                else:
                    decision = self._intercept.copy()
                for k, spec in enumerate(self._labels):
                    P[r, k] = _probability(spec, decision[k])
            if self.recalibrator_ is not None:
                P = self.recalibrator_.predict_proba(self._cue_matrix(rows), P)
            out.append((P, rows))
        return out

    def _cue_matrix(self, rows: Sequence[dict[int, float]]) -> np.ndarray:
        out = np.zeros((len(rows), len(self._cue_names)))
        for r, row in enumerate(rows):
            for j, value in row.items():
                if j >= self._cue_offset:
                    out[r, j - self._cue_offset] = value / self._cue_weight
        return out

    def _contributions(self, k: int, row: Any) -> list[tuple[str, float]] | None:
        spec = self._labels[k]
        pairs = None
        if spec["kind"] == "linear":
            names = self._feature_names()
            pairs = sorted(((names[j], value * float(self._coef[k, j])) for j, value in row.items()),
                           key=lambda p: (-round(p[1], 12), p[0]))
        if self.recalibrator_ is not None:
            slope = -float(spec["a"]) if spec.get("a") is not None else 1.0
            pairs = self.recalibrator_.contributions(LABELS[k], self._cue_matrix([row])[0], pairs, slope)
        return pairs

    def _feature_names(self) -> list[str]:
        if self._names is None:
            names: list[str] = []
            for block in self._blocks:
                names.extend(f"{block['name']}:{t}" for t in block["vocabulary"])
            names.extend(f"cue:{n}" for n in self._cue_names)
            self._names = names
        return self._names

    def __getstate__(self) -> dict[str, Any]:
        return {"header": self.header, "weights": {"coef": self._coef, "intercept": self._intercept,
                **{f"idf_{b['name']}": idf for b, idf in zip(self._blocks, self._idf)},
                **({"reply_fit_coef": self._reply_fit.coef} if self._reply_fit is not None else {}),
                **(self.promise_report_scorer_.weights() if self.promise_report_scorer_ is not None else {}),
                **(self._reaction_fit.weights(REACTION_PREFIX) if self._reaction_fit is not None else {})},
                "overrides": {"segmenter": self.segmenter, "max_wait": self.max_wait}}

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.__init__(state["header"], state["weights"])
        for key, value in state.get("overrides", {}).items():
            setattr(self, key, value)


def cue_features_of(view: TranscriptView, i: int) -> dict[str, float]:
    from .context import TurnContext

    return cue_features(TurnContext(view, i))


def _probability(spec: dict[str, Any], decision: float) -> float:
    if spec["kind"] == "const":
        return float(spec["value"])
    if spec.get("a") is not None:
        return float(1.0 / (1.0 + math.exp(spec["a"] * decision + spec["b"])))
    return float(1.0 / (1.0 + math.exp(-decision)))


def compile_model(model: Any) -> CompiledModel:
    """Export a fitted ChatModel whose classifiers are linear (or constant) to a CompiledModel."""
    from sklearn.calibration import CalibratedClassifierCV

    features = model.pipeline_.named_steps["features"]
    classifier = model.pipeline_.named_steps["classifier"]
    blocks, weights, offset = [], {}, 0
    for name, vec in features.vectorizers_.items():
        terms = [t for t, _ in sorted(vec.vocabulary_.items(), key=lambda kv: kv[1])]
        blocks.append({"name": name, "kind": name, "offset": offset, "vocabulary": terms,
                       "ngrams": list(vec.ngram_range)})
        weights[f"idf_{name}"] = np.asarray(vec.idf_, dtype=np.float64)
        offset += len(terms)
    cue_names = list(features.cue_names_)
    n_features = offset + len(cue_names)
    coef = np.zeros((len(LABELS), n_features))
    intercept = np.zeros(len(LABELS))
    labels = []
    for k, est in enumerate(classifier.estimators_):
        if isinstance(est, float):
            labels.append({"kind": "const", "value": est})
            continue
        spec: dict[str, Any] = {"kind": "linear", "a": None, "b": None}
        if isinstance(est, CalibratedClassifierCV):
            calibrated = est.calibrated_classifiers_[0]
            if calibrated.method != "sigmoid":
                raise ValueError("only sigmoid calibration can be compiled")
            spec["a"], spec["b"] = float(calibrated.calibrators[0].a_), float(calibrated.calibrators[0].b_)
            est = calibrated.estimator
        if not hasattr(est, "coef_"):
            raise ValueError("only linear classifiers can be compiled")
        coef[k] = est.coef_[0]
        intercept[k] = est.intercept_[0]
        labels.append(spec)
    weights["coef"], weights["intercept"] = coef, intercept
    reply_fit = features.learned_.get(REPLY_FIT_CUE)
    if reply_fit is not None:
        weights["reply_fit_coef"] = reply_fit.scorer_.coef
    reaction = features.learned_.get(REACTION_CUE)
    if reaction is not None:
        weights.update(reaction.scorer_.weights(REACTION_PREFIX))
    reports = getattr(model, "promise_report_scorer_", None)
    if reports is not None:
        weights.update(reports.weights())
    seg = model._segmenter()
    header = {"format": FORMAT, "labels": labels, "blocks": blocks, "cue_names": cue_names, "cue_offset": offset,
              "cue_weight": float(features.cue_weight) if features.cues else 0.0,
              "thresholds": dict(model.thresholds_), "rule_precision": dict(model.rule_precision_),
              "rule_thresholds": dict(model.rule_thresholds_),
              "recalibrator": model.recalibrator_.to_dict() if model.recalibrator_ is not None else None,
              "reply_fit": reply_fit.scorer_.to_header() if reply_fit is not None else None,
              "promise_reports": reports.to_header() if reports is not None else None,
              "reaction_fit": reaction.scorer_.to_header() if reaction is not None else None,
              "max_chars": model.max_chars, "max_turns": model.max_turns, "max_wait": model.max_wait,
              "segmenter": {"user_dict": seg.user_dict, "hmm": seg.hmm, "backend": seg.backend}}
    return CompiledModel(header, weights)


def save_compiled(compiled: CompiledModel, path: str | os.PathLike[str]) -> tuple[Path, Path]:
    """Write ``PATH.json`` (header) and ``PATH.npz`` (weights)."""
    base = Path(path)
    header_path, weights_path = base.with_suffix(".json"), base.with_suffix(".npz")
    header_path.write_text(json.dumps(compiled.header, ensure_ascii=False), "utf-8")
    state = compiled.__getstate__()["weights"]
    with open(weights_path, "wb") as fh:
        np.savez_compressed(fh, **state)
    return header_path, weights_path


def load_compiled(header_path: str | os.PathLike[str]) -> CompiledModel:
    """Read a compiled model (no pickle is involved: ``allow_pickle=False``)."""
    header_path = Path(header_path)
    header = json.loads(header_path.read_text("utf-8"))
    if header.get("format") != FORMAT:
        raise ValueError(f"{header_path} is not a {FORMAT} model")
    with np.load(header_path.with_suffix(".npz"), allow_pickle=False) as data:
        weights = {k: data[k] for k in data.files}
    return CompiledModel(header, weights)
