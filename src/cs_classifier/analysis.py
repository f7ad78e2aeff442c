"""The result of analysing one transcript: per-turn scores, commitments and quotable findings."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from .transcript import LABELS, Transcript


@dataclass
class Quote:
    """The exact words of a turn that evidence a finding; ``start``/``end`` index the turn's text."""

    turn: int
    text: str
    start: int
    end: int

    def to_dict(self) -> dict[str, Any]:
        return {"turn": self.turn, "text": self.text, "start": self.start, "end": self.end}


@dataclass
class FindingResult:
    """A behaviour found in the transcript, the turns that evidence it and why."""

    label: str
    score: float
    turns: list[int]
    quotes: list[Quote]
    explanation: str
    rule: str | None = None

    def to_dict(self) -> dict[str, Any]:
        out = {"label": self.label, "score": round(self.score, 4), "turns": list(self.turns),
               "quotes": [q.to_dict() for q in self.quotes], "explanation": self.explanation}
        if self.rule:
            out["rule"] = self.rule
        return out


@dataclass
class Analysis:
    """Everything the model says about one transcript; ``to_dict()`` is the output contract."""

    transcript: Transcript
    turn_scores: dict[int, dict[str, float]]
    turn_labels: dict[int, list[str]]
    scores: dict[str, float]
    commitments: list[dict[str, Any]]
    findings: list[FindingResult]
    warnings: list[str] = field(default_factory=list)
    delays: list[dict[str, Any]] = field(default_factory=list)
    tags: list[dict[str, Any]] = field(default_factory=list)

    @property
    def id(self) -> str:
        return self.transcript.id

    @property
    def labels(self) -> list[str]:
        """Behaviours found: exactly the labels of the findings, in the canonical order."""
        found = {f.label for f in self.findings}
        return [label for label in LABELS if label in found]

    def to_dict(self) -> dict[str, Any]:
        turns = []
        for i, t in enumerate(self.transcript.turns):
            turns.append({
                "index": i, "role": t.role, "speaker": t.speaker, "time": t.time, "text": t.text,
                "labels": list(self.turn_labels.get(i, [])),
                "scores": {k: round(v, 4) for k, v in self.turn_scores[i].items()} if i in self.turn_scores else None,
            })
        return {
            "id": self.transcript.id,
            "ok": True,
            "source": self.transcript.location or self.transcript.source,
            "labels": self.labels,
            "scores": {k: round(self.scores[k], 4) for k in LABELS},
            "turns": turns,
            "commitments": self.commitments,
            "findings": [f.to_dict() for f in self.findings],
            "delays": list(self.delays),
            "tags": list(self.tags),
            "warnings": list(self.warnings),
        }
