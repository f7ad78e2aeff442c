"""The project's annotated corpus: loading, the fixed train/test split, and its fingerprint."""
from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path

from .transcript import Transcript


def default_data_dir() -> Path:
    """``data/`` of the source checkout (the corpus is not shipped inside the wheel)."""
    return Path(os.environ.get("CS_CLASSIFIER_DATA", Path(__file__).resolve().parents[2] / "data"))


def corpus_files(data_dir: str | os.PathLike[str] | None = None) -> list[Path]:
    base = Path(data_dir) if data_dir is not None else default_data_dir()
    return sorted((base / "corpus").glob("*.jsonl"))


def load_corpus(data_dir: str | os.PathLike[str] | None = None) -> list[Transcript]:
    """Every annotated transcript of ``data/corpus/*.jsonl``, validated, in file order."""
    out = []
    for path in corpus_files(data_dir):
        with open(path, encoding="utf-8") as fh:
            for lineno, line in enumerate(fh, start=1):
                if line.strip():
                    try:
                        out.append(Transcript.from_json(line))
                    except ValueError as exc:
                        raise ValueError(f"{path}:{lineno}: {exc}") from None
    return out


def is_test_id(transcript_id: str) -> bool:
    """The fixed test split: a fifth of the ids, chosen by a hash of the id so it never moves."""
    return int(hashlib.sha256(transcript_id.encode("utf-8")).hexdigest(), 16) % 5 == 0


def split_corpus(transcripts: list[Transcript]) -> tuple[list[Transcript], list[Transcript]]:
    """``(train, test)`` by the fixed split."""
    train = [t for t in transcripts if not is_test_id(t.id)]
    test = [t for t in transcripts if is_test_id(t.id)]
    return train, test


def fingerprint(transcripts: list[Transcript]) -> str:
    """SHA-256 over the canonical JSON of the transcripts, in order: names exactly what a model saw."""
    digest = hashlib.sha256()
    for t in transcripts:
        digest.update(json.dumps(t.to_dict(), ensure_ascii=False, sort_keys=True).encode("utf-8"))
        digest.update(b"\n")
    return digest.hexdigest()
