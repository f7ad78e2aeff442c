"""How precise each rule for a fault the guidelines name outright is, wherever there are labels.

    python benchmarks/named_faults.py

For each rule (``named_faults.py``, and the correction and denial readers of ``contradictions.py``):
on how many chats it fires and how many of those carry its label, on the corpus's training split
(the precision the model trusts it by), on the project's labelled real chats (where it must stay
silent on clean ones: they share the false-alarm budget) and on each round of the read chats by
outside authors (``data/outside-dev``: d1-d4 found the rules, each later round first checked them and
was then read for more).
The held-out chats of ``data/outside`` are left out on purpose.
"""
from __future__ import annotations

import glob
from pathlib import Path

from cs_classifier.context import NAMED_FAULT_LABELS, NAMED_FAULTS
from cs_classifier.corpus import load_corpus, split_corpus
from cs_classifier.evaluate import labelled_transcripts, real_data_dir
from cs_classifier.named_faults import stalling_runs
from cs_classifier.train import _real_gold

ROOT = Path(__file__).resolve().parents[1]

# The rules as the model runs them (context.NAMED_FAULTS), and the stalling runs beside them.
RULES = [("stalling", stalling_runs, NAMED_FAULT_LABELS["stalling"])] + [(name, find, label)
                                                                       for name, label, find, *_ in NAMED_FAULTS]
ROUNDS = {"outside-dev d1-d4": range(1, 5), "outside-dev d5-d8": range(5, 9), "outside-dev d9-d12": range(9, 13),
          "outside-dev d13-d14": range(13, 15), "outside-dev d15-d18": range(15, 19),
          "outside-dev d19-d22": range(19, 23), "outside-dev d23-d26": range(23, 27),
          "outside-dev d27-d30": range(27, 31), "outside-dev d31-d34": range(31, 35)}


def _round(numbers: range) -> list:
    chats = []
    for n in numbers:
        for path in glob.glob(str(ROOT / "data" / "outside-dev" / f"d{n}.jsonl")):
            chats += labelled_transcripts(path)
    return chats


def main() -> None:
    train, _ = split_corpus(load_corpus(ROOT / "data"))
    sets = {"training split": train}
    if real_data_dir() is not None:
        sets["real labelled chats"] = _real_gold(str(ROOT / "data"))
    sets.update({name: chats for name, numbers in ROUNDS.items() if (chats := _round(numbers))})
    print("| rule | label | " + " | ".join(f"{name}: fired / with the label" for name in sets) + " |")
    print("|---|---|" + "---|" * len(sets))
    for rule, find, label in RULES:
        cells = []
        for chats in sets.values():
            fired = [t for t in chats if find(t)]
            cells.append(f"{len(fired)} / {sum(label in t.labels.transcript_labels for t in fired)}")
        print(f"| `{rule}` | {label} | " + " | ".join(cells) + " |")


if __name__ == "__main__":
    main()
