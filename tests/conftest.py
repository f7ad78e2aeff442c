from __future__ import annotations

import json
import re
from collections import Counter
from itertools import combinations
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
DATA = Path(__import__("os").environ.get("CS_CLASSIFIER_DATA", ROOT / "data"))
EXAMPLES = ROOT / "examples"


def labelled_turn_contexts(chats, segmenter):
    """The agent-turn contexts of ``chats`` and their 0/1 label matrix (columns in LABELS order)."""
    import numpy as np

    from cs_classifier import LABELS
    from cs_classifier.context import turn_contexts

    contexts = turn_contexts(chats, segmenter)
    Y = np.array([[int(label in c.view.transcript.labels.turns.get(c.index, [])) for label in LABELS]
                  for c in contexts])
    return contexts, Y


def _fivegrams(text):
    text = re.sub(r"\s+", "", text)
    return {text[i:i + 5] for i in range(len(text) - 4)}


def near_duplicates(transcripts, limit=0.6, across=None):
    """Pairs of transcripts sharing more than ``limit`` of the smaller one's character 5-grams; with
    ``across`` (a set of ids), only pairs with exactly one member in it."""
    grams = [(t.id, _fivegrams("".join(turn.text for turn in t.turns))) for t in transcripts]
    # index by 5-gram so only transcripts that share something are compared
    index: dict[str, list[int]] = {}
    for k, (_, g) in enumerate(grams):
        for gram in g:
            index.setdefault(gram, []).append(k)
    shared = Counter()
    for members in index.values():
        if len(members) < 50:
            for a, b in combinations(members, 2):
                shared[(a, b)] += 1
    offenders = []
    for (a, b), n in shared.items():
        if across is not None and (grams[a][0] in across) == (grams[b][0] in across):
            continue
        smaller = min(len(grams[a][1]), len(grams[b][1]))
        if smaller and n / smaller > limit:
            offenders.append((grams[a][0], grams[b][0], round(n / smaller, 2)))
    return offenders


@pytest.fixture(scope="session")
def root() -> Path:
    return ROOT


@pytest.fixture(scope="session")
def corpus():
    from cs_classifier.corpus import load_corpus

    return load_corpus(DATA)


@pytest.fixture(scope="session")
def small_model(corpus):
    """A model fitted on a slice of the corpus's train split: fast, and enough to test behaviour."""
    from cs_classifier import ChatModel
    from cs_classifier.corpus import split_corpus

    train, _ = split_corpus(corpus)
    return ChatModel().fit(train[:160])


@pytest.fixture(scope="session")
def shipped_model():
    from cs_classifier import load_model

    return load_model()


def write_jsonl(path: Path, records) -> Path:
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), "utf-8")
    return path
