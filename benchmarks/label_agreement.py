"""How far two annotators agree on the real chats: the ceiling for any model judged on one of them.

    python benchmarks/label_agreement.py

A second annotator labelled 120 of the project's labelled real chats blind (30 from each of
``jddc-a``, ``stc3-a``, ``jddc-b``, ``stc3-b``; seed 20261202), reading each one whole, without
seeing the first labels. This prints, per label at transcript level, how many chats each gave the
label, Cohen's kappa, and the F1 the second annotator would score if the first were the truth.
Needs only the label files (ids and labels), not the research-only text; when the STC-3 dev file
is present it also prints how far the human labels themselves track its satisfaction scores.

The 313 chats of ``jddc-c`` and ``stc3-c`` were labelled twice by helper sessions: first with the
guidelines alone (``first-brief/``), then, blind to those labels, with the project's conventions
spelled out (the gold). It prints how far the two agree: how much the brief, not the guidelines,
decides what counts as evasive.
"""
from __future__ import annotations

import json
from pathlib import Path

import numpy as np
from sklearn.metrics import cohen_kappa_score, f1_score

from cs_classifier import LABELS

ROOT = Path(__file__).resolve().parents[1]
REAL_EVAL = ROOT / "data" / "real-eval"


def _labels(path: Path) -> dict[str, set[str]]:
    out = {}
    for line in path.read_text("utf-8").splitlines():
        if line.strip():
            record = json.loads(line)
            labels = record["labels"]
            found = {f["label"] for f in labels["findings"]} | {x for xs in labels["turns"].values() for x in xs}
            out[record["id"]] = found
    return out


def main() -> None:
    first: dict[str, tuple[str, set[str]]] = {}
    for path in sorted(REAL_EVAL.glob("*.labels.jsonl")):
        who = "lead" if path.name.endswith("-a.labels.jsonl") else "helpers"
        first.update({i: (who, labels) for i, labels in _labels(path).items()})
    second: dict[str, set[str]] = {}
    for path in sorted((REAL_EVAL / "second-annotator").glob("*.labels.jsonl")):
        second.update(_labels(path))
    for who in ("lead", "helpers", "both"):
        ids = [i for i in second if who == "both" or first[i][0] == who]
        print(f"first labels by {who}: {len(ids)} chats")
        _agreement([first[i][1] for i in ids], [second[i] for i in ids])
    # The c-sets were first labelled by helpers given the guidelines alone, then relabelled blind by
    # other helpers given the project's conventions as well; the second labels are the gold.
    brief: dict[str, set[str]] = {}
    for path in sorted((REAL_EVAL / "first-brief").glob("*.labels.jsonl")):
        brief.update(_labels(path))
    if brief:
        ids = sorted(brief)
        print(f"guidelines-only brief vs the gold labels of the same chats: {len(ids)} chats")
        _agreement([first[i][1] for i in ids], [brief[i] for i in ids])
    _satisfaction_ceiling({i: labels for i, (_, labels) in first.items()})


def _agreement(first: list[set[str]], second: list[set[str]]) -> None:
    """Per label: chats each gave it, both, Cohen's kappa, and the F1 of ``second`` against ``first``."""
    print(f"  {'label':15s} {'first':>5s} {'second':>6s} {'both':>4s} {'kappa':>6s} {'F1':>5s}")
    for label in [*LABELS, "any"]:
        a = np.array([bool(x) if label == "any" else label in x for x in first])
        b = np.array([bool(x) if label == "any" else label in x for x in second])
        kappa = cohen_kappa_score(a, b) if a.any() or b.any() else float("nan")
        f1 = f1_score(a, b, zero_division=np.nan)
        print(f"  {label:15s} {a.sum():5d} {b.sum():6d} {np.sum(a & b):4d} {kappa:6.2f} {f1:5.2f}")
    print()


def _satisfaction_ceiling(labels: dict[str, set[str]]) -> None:
    """How far human labels alone track STC-3 satisfaction: the ceiling of the badness-vs-S target."""
    from cs_classifier.evaluate import real_data_dir, spearman

    base = real_data_dir()
    path = base / "stc3-dev.jsonl" if base else None
    if path is None or not path.is_file():
        print("STC-3 satisfaction: the research-only real chats are not on this machine")
        return
    pairs = []
    with open(path, encoding="utf-8") as fh:
        for line in fh:
            record = json.loads(line)
            if record.get("id") in labels and "quality" in record:
                pairs.append((float(bool(labels[record["id"]])), float(record["quality"]["S"])))
    rho = spearman([a for a, _ in pairs], [b for _, b in pairs])
    print(f"Spearman's rho, human label (any finding) vs mean satisfaction S, {len(pairs)} labelled STC-3 "
          f"dialogues: {rho:.3f}")


if __name__ == "__main__":
    main()
