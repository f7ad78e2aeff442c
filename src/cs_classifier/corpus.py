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


def corpus_files(data_dir: str | os.PathLike[str] | None = None, part: str = "corpus") -> list[Path]:
    """The JSON Lines files of ``data/<part>/``: ``corpus`` (trained on) or ``outside`` (chats by
    authors who saw only the guidelines, kept for evaluation and never trained or tuned on)."""
    base = Path(data_dir) if data_dir is not None else default_data_dir()
    return sorted((base / part).glob("*.jsonl"))


def load_corpus(data_dir: str | os.PathLike[str] | None = None, part: str = "corpus") -> list[Transcript]:
    """Every annotated transcript of ``data/<part>/*.jsonl``, validated, in file order."""
    out = []
    for path in corpus_files(data_dir, part):
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


def corpus_stats(transcripts: list[Transcript]) -> dict[str, object]:
    """Counts for the datasheet: transcripts and agent turns, per label, clean, per platform."""
    from collections import Counter

    from .transcript import LABELS

    per_label = Counter(label for t in transcripts for label in (t.labels.transcript_labels if t.labels else ()))
    turn_labels = Counter(label for t in transcripts if t.labels for ls in t.labels.turns.values() for label in ls)
    return {
        "transcripts": len(transcripts),
        "agent_turns": sum(len(t.agent_turns()) for t in transcripts),
        "turns": sum(len(t.turns) for t in transcripts),
        "clean_transcripts": sum(1 for t in transcripts if t.labels and not t.labels.transcript_labels),
        "transcripts_per_label": {label: per_label[label] for label in LABELS},
        "agent_turns_per_label": {label: turn_labels[label] for label in LABELS},
        "commitments": sum(len(t.labels.commitments) for t in transcripts if t.labels),
        "platforms": dict(Counter(str(t.metadata.get("platform", "unknown")) for t in transcripts).most_common()),
    }


def write_split(data_dir: str | os.PathLike[str] | None = None) -> dict[str, object]:
    """Record the fixed test split (ids and fingerprint) in ``data/split.json``; returns what was written."""
    base = Path(data_dir) if data_dir is not None else default_data_dir()
    train, test = split_corpus(load_corpus(base))
    record = {"rule": "sha256(id) % 5 == 0 is test (cs_classifier.corpus.is_test_id)",
              "train_transcripts": len(train), "test_transcripts": len(test),
              "test_sha256": fingerprint(test), "test": sorted(t.id for t in test)}
    (base / "split.json").write_text(json.dumps(record, ensure_ascii=False, indent=1) + "\n", "utf-8")
    update_datasheet(base, train, test, record["test_sha256"])
    return record


_BEGIN, _END = "<!-- stats:begin -->", "<!-- stats:end -->"


def update_datasheet(base: Path, train: list[Transcript], test: list[Transcript], test_sha256: str) -> None:
    """Rewrite the generated counts between the markers of ``data/README.md`` (if it has them)."""
    from .transcript import LABELS

    sheet = base / "README.md"
    if not sheet.is_file():
        return
    text = sheet.read_text("utf-8")
    if _BEGIN not in text or _END not in text:
        return
    parts = {"all": corpus_stats(train + test), "train": corpus_stats(train), "test": corpus_stats(test)}
    rows = ["| | all | train | test |", "|---|---:|---:|---:|"]
    for key, name in (("transcripts", "transcripts"), ("agent_turns", "agent turns"), ("turns", "turns"),
                      ("clean_transcripts", "transcripts with no finding"), ("commitments", "commitments")):
        rows.append(f"| {name} | " + " | ".join(str(parts[p][key]) for p in parts) + " |")
    for label in LABELS:
        rows.append(f"| transcripts with {label} (agent turns) | " + " | ".join(
            f"{parts[p]['transcripts_per_label'][label]} ({parts[p]['agent_turns_per_label'][label]})" for p in parts) + " |")
    platforms = ", ".join(f"{k} {v}" for k, v in parts["all"]["platforms"].items())
    block = "\n".join([_BEGIN, *rows, "", f"Platforms: {platforms}.", "",
                       f"Test split fingerprint (SHA-256 over its canonical JSON): `{test_sha256}`", _END])
    start, end = text.index(_BEGIN), text.index(_END) + len(_END)
    sheet.write_text(text[:start] + block + text[end:], "utf-8")


if __name__ == "__main__":
    import sys

    directory = sys.argv[1] if len(sys.argv) > 1 else None
    split = write_split(directory)
    everything = load_corpus(directory)
    print(json.dumps({"all": corpus_stats(everything),
                      "train": corpus_stats(split_corpus(everything)[0]),
                      "test": corpus_stats(split_corpus(everything)[1]),
                      "test_sha256": split["test_sha256"]}, ensure_ascii=False, indent=1))
