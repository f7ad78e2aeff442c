"""Per-label precision, recall and F1 at turn and transcript level."""
from __future__ import annotations

import json
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterable, Sequence

import numpy as np

from .transcript import LABELS, Transcript


@dataclass
class LabelScores:
    precision: float
    recall: float
    f1: float
    support: int
    predicted: int

    def to_dict(self) -> dict[str, Any]:
        return {"precision": round(self.precision, 4), "recall": round(self.recall, 4), "f1": round(self.f1, 4),
                "support": self.support, "predicted": self.predicted}


def label_scores(truth: np.ndarray, pred: np.ndarray) -> dict[str, LabelScores]:
    """Scores per label column (LABELS order) of 0/1 matrices."""
    out = {}
    for k, label in enumerate(LABELS):
        t, p = truth[:, k].astype(bool), pred[:, k].astype(bool)
        tp, fp, fn = int(np.sum(t & p)), int(np.sum(~t & p)), int(np.sum(t & ~p))
        precision = tp / (tp + fp) if tp + fp else 0.0
        recall = tp / (tp + fn) if tp + fn else 0.0
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        out[label] = LabelScores(precision, recall, f1, int(t.sum()), int(p.sum()))
    return out


@dataclass
class Evaluation:
    """Turn- and transcript-level scores of a model on labelled transcripts."""

    n_transcripts: int
    n_agent_turns: int
    turn: dict[str, LabelScores]
    transcript: dict[str, LabelScores]
    clean_transcripts: int
    false_alarm_rate: float

    @property
    def transcript_macro_f1(self) -> float:
        return float(np.mean([s.f1 for s in self.transcript.values()]))

    @property
    def turn_macro_f1(self) -> float:
        return float(np.mean([s.f1 for s in self.turn.values()]))

    def to_dict(self) -> dict[str, Any]:
        return {"transcripts": self.n_transcripts, "agent_turns": self.n_agent_turns,
                "turn": {k: v.to_dict() for k, v in self.turn.items()},
                "transcript": {k: v.to_dict() for k, v in self.transcript.items()},
                "turn_macro_f1": round(self.turn_macro_f1, 4),
                "transcript_macro_f1": round(self.transcript_macro_f1, 4),
                "clean_transcripts": self.clean_transcripts,
                "false_alarm_rate": round(self.false_alarm_rate, 4)}

    def format(self) -> str:
        lines = [f"{self.n_transcripts} transcripts, {self.n_agent_turns} agent turns"]
        for level, scores in (("turn", self.turn), ("transcript", self.transcript)):
            lines.append(f"\n{level} level      precision  recall     f1  support  predicted")
            for label, s in scores.items():
                lines.append(f"  {label:<16} {s.precision:9.3f} {s.recall:7.3f} {s.f1:6.3f} {s.support:8d} {s.predicted:10d}")
            macro = self.turn_macro_f1 if level == "turn" else self.transcript_macro_f1
            lines.append(f"  {'macro F1':<16} {'':9} {'':7} {macro:6.3f}")
        lines.append(f"\nfalse alarms on {self.clean_transcripts} transcripts with nothing wrong: "
                     f"{self.false_alarm_rate:.1%}")
        return "\n".join(lines)


def evaluate_predictions(transcripts: Sequence[Transcript], turn_pred: Sequence[dict[int, list[str]]],
                         transcript_pred: np.ndarray) -> Evaluation:
    """Compare predictions with the transcripts' gold labels."""
    turn_truth, turn_hat = [], []
    for t, predicted in zip(transcripts, turn_pred):
        gold = t.labels.turns if t.labels else {}
        for i in t.agent_turns():
            turn_truth.append([label in gold.get(i, []) for label in LABELS])
            turn_hat.append([label in predicted.get(i, []) for label in LABELS])
    T = np.array([[label in (t.labels.transcript_labels if t.labels else set()) for label in LABELS]
                  for t in transcripts], dtype=int).reshape(-1, len(LABELS))
    P = np.asarray(transcript_pred, dtype=int).reshape(-1, len(LABELS))
    clean = T.sum(axis=1) == 0
    false_alarms = float(np.mean(P[clean].sum(axis=1) > 0)) if clean.any() else 0.0
    A = np.array(turn_truth, dtype=int).reshape(-1, len(LABELS))
    B = np.array(turn_hat, dtype=int).reshape(-1, len(LABELS))
    return Evaluation(len(transcripts), len(A), label_scores(A, B), label_scores(T, P), int(clean.sum()), false_alarms)


def evaluate_model(model: Any, transcripts: Sequence[Transcript]) -> Evaluation:
    """Evaluate ``model`` (a fitted ChatModel) on labelled transcripts."""
    analyses = list(model.analyze_many(transcripts))
    turn_pred = [a.turn_labels for a in analyses]
    P = np.array([[label in a.labels for label in LABELS] for a in analyses], dtype=int)
    return evaluate_predictions(transcripts, turn_pred, P)


def real_data_dir() -> Path | None:
    """Where the research-only real chats are: $CS_CLASSIFIER_REAL_DATA, else ../shared/data/real of the checkout."""
    explicit = os.environ.get("CS_CLASSIFIER_REAL_DATA")
    if explicit:
        return Path(explicit) if Path(explicit).is_dir() else None
    candidates: list[Path] = []
    here = Path(__file__).resolve()
    candidates += [p / "shared" / "data" / "real" for p in here.parents]
    candidates.append(Path.cwd().parent / "shared" / "data" / "real")
    for c in candidates:
        if c.is_dir():
            return c
    return None


def join_labels(label_file: str | os.PathLike[str], text_dir: str | os.PathLike[str] | None = None) -> list[Transcript]:
    """Attach id-only labels (``{"id", "labels"}`` lines) to the text of transcripts kept elsewhere.

    The text is looked up in every ``*.jsonl`` of ``text_dir`` (default: real_data_dir()).
    Raises FileNotFoundError naming what is missing when the text is not present.
    """
    rows = [json.loads(line) for line in Path(label_file).read_text("utf-8").splitlines() if line.strip()]
    wanted = {r["id"] for r in rows}
    base = Path(text_dir) if text_dir is not None else real_data_dir()
    if base is None or not base.is_dir():
        raise FileNotFoundError(f"{label_file} holds labels only; the transcripts' text is not present "
                                "(set CS_CLASSIFIER_REAL_DATA to the directory of the real chats)")
    texts: dict[str, dict[str, Any]] = {}
    for path in sorted(base.glob("*.jsonl")):
        with open(path, encoding="utf-8") as fh:
            for line in fh:
                if not line.strip():
                    continue
                record = json.loads(line)
                if record.get("id") in wanted:
                    texts[record["id"]] = record
    missing = wanted - set(texts)
    if missing:
        raise FileNotFoundError(f"text of {len(missing)} labelled transcripts not found under {base}")
    out = []
    for r in rows:
        record = dict(texts[r["id"]])
        record["labels"] = r["labels"]
        t = Transcript.from_dict(record)
        out.append(t)
    return out


def is_label_only(path: str | os.PathLike[str]) -> bool:
    """True when a JSON Lines file holds labels without turns (``{"id", "labels"}``)."""
    with open(path, encoding="utf-8") as fh:
        for line in fh:
            if line.strip():
                record = json.loads(line)
                return "turns" not in record and "labels" in record
    return False


def labelled_transcripts(path: str | os.PathLike[str]) -> list[Transcript]:
    """Gold transcripts from an annotated file, or from a label-only file joined with the real chats."""
    if is_label_only(path):
        return join_labels(path)
    out = []
    with open(path, encoding="utf-8") as fh:
        for line in fh:
            if line.strip():
                out.append(Transcript.from_json(line))
    return out


def spearman(x: Iterable[float], y: Iterable[float]) -> float:
    from scipy.stats import spearmanr

    return float(spearmanr(list(x), list(y)).statistic)


