"""Typed transcripts that round-trip the annotated JSON Lines format of the guidelines."""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Iterable, Mapping

LABELS: tuple[str, ...] = ("evasive", "dismissive", "inaccurate", "broken_promise")
ROLES: tuple[str, ...] = ("customer", "agent")


class TranscriptError(ValueError):
    """A transcript (or one of its turns) does not follow the annotated format."""


def parse_time(value: str) -> datetime:
    """Parse an ISO 8601 time; raises ValueError with the offending value."""
    text = value.strip().replace(" ", "T", 1) if "T" not in value else value.strip()
    if text.endswith("Z"):
        text = text[:-1] + "+00:00"
    try:
        return datetime.fromisoformat(text)
    except ValueError:
        raise ValueError(f"invalid time {value!r}: expected ISO 8601 such as 2026-05-01T10:02:11+08:00") from None


@dataclass
class Turn:
    """One side's message(s) sent in a row."""

    role: str
    text: str
    time: str | None = None
    speaker: str | None = None
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def is_agent(self) -> bool:
        return self.role == "agent"

    @property
    def datetime(self) -> datetime | None:
        """The turn's time as a datetime, or None when absent or unreadable."""
        if not self.time:
            return None
        try:
            return parse_time(self.time)
        except ValueError:
            return None

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"role": self.role, "text": self.text}
        if self.time is not None:
            out["time"] = self.time
        if self.speaker is not None:
            out["speaker"] = self.speaker
        out.update(self.extra)
        return out

    @classmethod
    def from_dict(cls, data: Mapping[str, Any], index: int = 0) -> "Turn":
        if not isinstance(data, Mapping):
            raise TranscriptError(f"turn {index}: expected an object, got {type(data).__name__}")
        role = data.get("role")
        if role not in ROLES:
            raise TranscriptError(f"turn {index}: role must be 'customer' or 'agent', got {role!r}")
        text = data.get("text")
        if not isinstance(text, str):
            raise TranscriptError(f"turn {index}: text must be a string, got {type(text).__name__}")
        time = data.get("time")
        if time is not None and not isinstance(time, str):
            raise TranscriptError(f"turn {index}: time must be a string, got {type(time).__name__}")
        speaker = data.get("speaker")
        if speaker is not None and not isinstance(speaker, str):
            speaker = str(speaker)
        extra = {k: v for k, v in data.items() if k not in ("role", "text", "time", "speaker")}
        return cls(role=role, text=text, time=time, speaker=speaker, extra=extra)


@dataclass
class Finding:
    """A transcript-level annotation: a behaviour and the turns that evidence it."""

    label: str
    evidence: list[int]
    note: str = ""

    def to_dict(self) -> dict[str, Any]:
        return {"label": self.label, "evidence": list(self.evidence), "note": self.note}


@dataclass
class Labels:
    """Gold annotation of a transcript, as in the guidelines' ``labels`` object."""

    turns: dict[int, list[str]] = field(default_factory=dict)
    commitments: list[int] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)

    @property
    def transcript_labels(self) -> set[str]:
        """A transcript has a behaviour when some finding carries it."""
        return {f.label for f in self.findings}

    def to_dict(self) -> dict[str, Any]:
        return {
            "turns": {str(i): list(v) for i, v in sorted(self.turns.items())},
            "commitments": list(self.commitments),
            "findings": [f.to_dict() for f in self.findings],
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> "Labels":
        if not isinstance(data, Mapping):
            raise TranscriptError("labels: expected an object")
        turns: dict[int, list[str]] = {}
        for key, value in (data.get("turns") or {}).items():
            try:
                index = int(key)
            except (TypeError, ValueError):
                raise TranscriptError(f"labels.turns: key {key!r} is not a turn index") from None
            if not isinstance(value, list) or any(v not in LABELS for v in value):
                raise TranscriptError(f"labels.turns[{key}]: labels must be a list drawn from {LABELS}")
            turns[index] = list(value)
        findings = []
        for k, f in enumerate(data.get("findings") or []):
            if not isinstance(f, Mapping) or f.get("label") not in LABELS:
                raise TranscriptError(f"labels.findings[{k}]: label must be one of {LABELS}")
            evidence = f.get("evidence") or []
            if not all(isinstance(e, int) for e in evidence):
                raise TranscriptError(f"labels.findings[{k}]: evidence must be turn indices")
            findings.append(Finding(f["label"], list(evidence), str(f.get("note", ""))))
        commitments = data.get("commitments") or []
        if not all(isinstance(c, int) for c in commitments):
            raise TranscriptError("labels.commitments: must be turn indices")
        return cls(turns=turns, commitments=list(commitments), findings=findings)


@dataclass
class Transcript:
    """One conversation between one customer and one shop or platform."""

    id: str
    turns: list[Turn]
    source: str | None = None
    labels: Labels | None = None
    metadata: dict[str, Any] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)
    #: Where the transcript was read from (``file`` or ``file:line``); not part of the annotated format.
    location: str | None = field(default=None, compare=False)

    def agent_turns(self) -> list[int]:
        return [i for i, t in enumerate(self.turns) if t.role == "agent"]

    def validate(self) -> None:
        """Check the cross-references that a single turn cannot check alone."""
        if not self.turns:
            raise TranscriptError(f"transcript {self.id!r}: has no turns")
        if self.labels is None:
            return
        n = len(self.turns)
        for index, labels in self.labels.turns.items():
            if not 0 <= index < n:
                raise TranscriptError(f"transcript {self.id!r}: labels.turns index {index} out of range (0..{n - 1})")
            if self.turns[index].role != "agent" and labels:
                raise TranscriptError(f"transcript {self.id!r}: labels.turns[{index}] labels a customer turn")
        for index in self.labels.commitments:
            if not 0 <= index < n:
                raise TranscriptError(f"transcript {self.id!r}: commitment index {index} out of range")
        for finding in self.labels.findings:
            bad = [e for e in finding.evidence if not 0 <= e < n]
            if bad:
                raise TranscriptError(f"transcript {self.id!r}: finding {finding.label} evidence {bad} out of range")
        used = {label for values in self.labels.turns.values() for label in values}
        missing = used - self.labels.transcript_labels
        if missing:
            raise TranscriptError(f"transcript {self.id!r}: labels {sorted(missing)} used on turns but in no finding")

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"id": self.id}
        if self.source is not None:
            out["source"] = self.source
        out.update(self.metadata)
        out["turns"] = [t.to_dict() for t in self.turns]
        if self.labels is not None:
            out["labels"] = self.labels.to_dict()
        return out

    def to_json(self) -> str:
        return json.dumps(self.to_dict(), ensure_ascii=False)

    @classmethod
    def from_dict(cls, data: Mapping[str, Any], default_id: str | None = None) -> "Transcript":
        if not isinstance(data, Mapping):
            raise TranscriptError(f"expected a transcript object, got {type(data).__name__}")
        tid = data.get("id", default_id)
        if tid is None or isinstance(tid, (dict, list)):
            raise TranscriptError("transcript has no 'id'")
        raw_turns = data.get("turns")
        if not isinstance(raw_turns, list):
            raise TranscriptError(f"transcript {tid!r}: 'turns' must be a list")
        turns = [Turn.from_dict(t, i) for i, t in enumerate(raw_turns)]
        labels = Labels.from_dict(data["labels"]) if data.get("labels") is not None else None
        source = data.get("source")
        metadata = {k: v for k, v in data.items() if k not in ("id", "turns", "labels", "source")}
        transcript = cls(id=str(tid), turns=turns, source=None if source is None else str(source),
                         labels=labels, metadata=metadata)
        transcript.validate()
        return transcript

    @classmethod
    def from_json(cls, line: str) -> "Transcript":
        return cls.from_dict(json.loads(line))


def write_jsonl(transcripts: Iterable[Transcript], path: str) -> None:
    """Write transcripts in the annotated JSON Lines format."""
    with open(path, "w", encoding="utf-8", newline="\n") as fh:
        for t in transcripts:
            fh.write(t.to_json() + "\n")


