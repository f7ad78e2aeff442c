"""Rebuild the shipped model from ``data/``: fit on the train split, measure on the test split, write the card."""
from __future__ import annotations

import json
import platform

import numpy as np
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Collection

from .corpus import fingerprint, load_corpus, split_corpus, write_split
from .evaluate import Evaluation, evaluate_model
from .model import ChatModel
from .modelio import MODEL_FILENAME, save_model
from .transcript import LABELS
from .tuning import REAL_TUNING, crossfit_evaluation, tuned_on_real


def default_model() -> ChatModel:
    """The design the project ships (models/DESIGN.md says why): jieba words and the text-free
    question-answer cues, the cues weighted up, with one cue learned from the corpus — how badly
    the reply fits its question — the design that found most evasive real chats; and a reader of
    customer turns that report unkept promises, learned from the corpus too. A rule decides a
    finding by itself when three in four of the training chats it fires on carry its label."""
    from .features import TurnFeaturizer

    return ChatModel(featurizer=TurnFeaturizer(words=True, chars=False, cues=True, cue_weight=3.0, reply_fit=True),
                     promise_reports=True, rule_bar=0.75)


def real_label_files(data_dir: str | None) -> list[Path]:
    from .corpus import default_data_dir

    base = Path(data_dir) if data_dir else default_data_dir()
    return sorted((base / "real-eval").glob("*.labels.jsonl"))


def stc3_spearman(model: ChatModel, exclude: Collection[str] = ()) -> tuple[float, int] | None:
    """Spearman's rho between transcript badness 1 - prod(1 - p) and the mean satisfaction score S
    of the STC-3 dev dialogues (a measurement only: nothing is tuned on S), leaving out ``exclude``
    (the dialogues whose labels tuned the model)."""
    import json as _json

    from .evaluate import real_data_dir, spearman
    from .readers import transcript_from_record

    base = real_data_dir()
    path = base / "stc3-dev.jsonl" if base else None
    if path is None or not path.is_file():
        return None
    transcripts, satisfaction = [], []
    with open(path, encoding="utf-8") as fh:
        for k, line in enumerate(fh):
            record = _json.loads(line)
            t = transcript_from_record(record, f"{path}:{k + 1}")
            if hasattr(t, "turns") and "quality" in record and t.id not in exclude:
                transcripts.append(t)
                satisfaction.append(float(record["quality"]["S"]))
    P = model.predict_proba(transcripts)
    badness = 1.0 - np.prod(1.0 - P, axis=1)
    return spearman(badness, satisfaction), len(transcripts)


def versions() -> dict[str, str]:
    import jieba
    import joblib
    import numpy
    import sklearn

    from . import __version__

    return {"cs_classifier": __version__, "python": platform.python_version(), "scikit-learn": sklearn.__version__,
            "numpy": numpy.__version__, "joblib": joblib.__version__, "jieba": jieba.__version__}


def train_and_write(data_dir: str | None, out_dir: str, model: ChatModel | None = None,
                    tune_on_real: bool = True) -> tuple[ChatModel, Evaluation, dict[str, Any]]:
    """Fit on the corpus's train split, evaluate on its test split, save model + manifest + card.

    When the project's real-data labels and the real chats' text are present (and
    ``tune_on_real``), the thresholds are then re-chosen on the real labels — text-free
    parameters only — and the card reports real-data figures by cross-fitting, so that no figure
    is measured on the chats its thresholds were chosen on.
    """
    corpus = load_corpus(data_dir)
    if not corpus:
        raise FileNotFoundError(f"no annotated transcripts under {data_dir or 'data'}/corpus")
    train, test = split_corpus(corpus)
    write_split(data_dir)
    model = model if model is not None else default_model()
    model.fit(train)
    corpus_thresholds = dict(model.thresholds_)
    real_text = real_report = None
    gold = _real_gold(data_dir)
    if gold:
        tuning = REAL_TUNING

        lines = [f"{len(gold)} real transcripts labelled by the project ({', '.join(p.name for p in real_label_files(data_dir))})", ""]
        lines += ["With the thresholds chosen on the corpus (out-of-fold):", evaluate_model(model, gold).format(), ""]
        if tune_on_real:
            crossfit = crossfit_evaluation(model, gold, folds=REAL_FOLDS, tuning=tuning)
            lines += [f"Tuned on real labels (cue recalibration, anchored by the corpus's out-of-fold turns at "
                      f"weight {tuning.corpus_weight}; thresholds for F{tuning.beta} flagging at most "
                      f"{tuning.max_total_alarm:.1%} of the clean chats for anything, rules included, and "
                      f"{tuning.untuned_alarm:.1%} per label with too few real positives), cross-fitted: each of "
                      f"{REAL_FOLDS} folds scored by a model tuned on the other folds only:",
                      crossfit.format()]
            model = tuned_on_real(model, gold, tuning)
        real_text = "\n".join(lines)
        rho = stc3_spearman(model, exclude={t.id for t in gold})
        if rho is not None:
            real_text += (f"\n\nSpearman's rho, badness vs mean satisfaction S, the {rho[1]} STC-3 dev dialogues "
                          f"not among the labelled ones: {rho[0]:.3f}")
        real_report = real_text
    evaluation = evaluate_model(model, test)
    outside = load_corpus(data_dir, part="outside")
    info = {
        "trained": datetime.now(timezone.utc).replace(microsecond=0).isoformat(),
        "train_transcripts": len(train), "train_sha256": fingerprint(train),
        "test_transcripts": len(test), "test_sha256": fingerprint(test),
        "thresholds": model.thresholds_, "corpus_thresholds": corpus_thresholds,
        "threshold_source": "real-data labels" if gold and tune_on_real else "corpus out-of-fold predictions",
        "versions": versions(), "test_metrics": evaluation.to_dict(), "real_metrics": real_report,
        "outside_metrics": evaluate_model(model, outside).format() if outside else None,
        "outside_transcripts": len(outside),
    }
    out = Path(out_dir)
    save_model(model, out / MODEL_FILENAME, metadata={"train_sha256": info["train_sha256"]}, compiled=True)
    (out / "training.json").write_text(json.dumps(info, ensure_ascii=False, indent=2) + "\n", "utf-8")
    write_model_card(out / "MODEL_CARD.md", info, evaluation)
    return model, evaluation, info


REAL_FOLDS = 4


def _real_gold(data_dir: str | None) -> list:
    from .evaluate import labelled_transcripts

    gold = []
    for path in real_label_files(data_dir):
        try:
            gold.extend(labelled_transcripts(path))
        except FileNotFoundError:
            return []
    return gold


def write_model_card(path: Path, info: dict[str, Any], evaluation: Evaluation) -> None:
    """The generated part of the card; the hand-written design notes live in models/DESIGN.md."""
    v = info["versions"]
    lines = [
        "# Model card: cs-classifier default model",
        "",
        "Generated by `cs-classifier train`; the design and its reasons are in [DESIGN.md](DESIGN.md).",
        "",
        "## What it does",
        "Scores every agent turn of a Chinese customer-service chat for the four behaviours of",
        "`annotation-guidelines.md` (evasive, dismissive, inaccurate, broken_promise) and derives",
        "transcript findings. Calibrated probabilities; per-label thresholds chosen on out-of-fold",
        "predictions over the training transcripts. When the project's real-data labels are present,",
        "a text-free cue recalibration (weights of named cues and of the text scores, no words) is",
        "fitted on them, anchored by the model's own out-of-fold corpus turns, and the thresholds are",
        "re-chosen there under one false-alarm budget (see Thresholds and DESIGN.md).",
        "",
        "## Training data",
        f"- train split: {info['train_transcripts']} transcripts, SHA-256 `{info['train_sha256']}`",
        f"- test split: {info['test_transcripts']} transcripts, SHA-256 `{info['test_sha256']}`",
        "- source: the project's hand-written corpus in `data/corpus/` (see `data/README.md`).",
        "  No text, word or n-gram from the research-only real chats is in the model.",
        "",
        "## Versions",
        *(f"- {k}: {val}" for k, val in v.items()),
        f"- trained: {info['trained']}",
        "",
        "## Thresholds",
        f"Chosen on: {info['threshold_source']}.",
        "",
        *(f"- {k}: {info['thresholds'][k]:.3f} (corpus out-of-fold choice: {info['corpus_thresholds'][k]:.3f})" for k in LABELS),
        "",
        "## Metrics on the corpus test split (never used for training or tuning)",
        "```",
        evaluation.format(),
        "```",
        "",
        "Reproduce: `cs-classifier train` then `cs-classifier evaluate --split test`.",
        "",
    ]
    if info.get("outside_metrics"):
        lines += ["## Metrics on chats by outside authors (never used for training or tuning)",
                  f"{info['outside_transcripts']} chats in `data/outside/`, written by authors who read only the guidelines "
                  "(see `data/README.md`): the nearest thing here to shop chats written by other people.",
                  "```", info["outside_metrics"], "```", "",
                  "Reproduce: `cs-classifier evaluate --split outside`.", ""]
    real = info.get("real_metrics")
    if real:
        lines += ["## Metrics on real chats (labelled by the project; text not shipped)", "```", real, "```", ""]
    path.write_text("\n".join(lines), "utf-8")
