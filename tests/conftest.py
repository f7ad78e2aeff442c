from __future__ import annotations

import json
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
DATA = Path(__import__("os").environ.get("CS_CLASSIFIER_DATA", ROOT / "data"))
EXAMPLES = ROOT / "examples"


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
