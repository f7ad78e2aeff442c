"""The chats by outside authors (data/outside/): an evaluation set, never trained or tuned on."""
import json
import subprocess
import sys

import pytest

from cs_classifier import LABELS
from cs_classifier.corpus import load_corpus
from cs_classifier.evaluate import evaluate_model

from conftest import DATA, near_duplicates


@pytest.fixture(scope="module")
def outside():
    chats = load_corpus(DATA, part="outside")
    if not chats:
        pytest.skip("no data/outside")
    return chats


def test_outside_chats_are_valid_and_not_in_the_corpus(outside, corpus):
    ids = [t.id for t in outside]
    assert len(ids) == len(set(ids))
    assert not set(ids) & {t.id for t in corpus}
    for t in outside:
        t.validate()
        assert t.labels is not None


def test_outside_chats_are_not_near_copies_of_corpus_chats(outside, corpus):
    assert near_duplicates(corpus + outside, across={t.id for t in outside}) == []


def test_outside_chats_cover_every_label_and_clean_chats(outside):
    labels = [t.labels.transcript_labels for t in outside]
    for label in LABELS:
        assert sum(label in ls for ls in labels) >= 20, label
    assert sum(not ls for ls in labels) >= 40


def test_shipped_model_on_outside_chats(outside, shipped_model):
    """A regression guard on chats nobody tuned on: the shipped model scored macro F1 0.83 there
    when the set was written, and flagged none of its clean chats."""
    ev = evaluate_model(shipped_model, outside)
    assert sum(ev.transcript[label].f1 for label in LABELS) / len(LABELS) >= 0.7
    assert ev.false_alarm_rate <= 0.05


def test_cli_evaluates_the_outside_chats(outside):
    out = subprocess.run([sys.executable, "-m", "cs_classifier", "evaluate", "--split", "outside", "--json",
                          "--data", str(DATA)], capture_output=True, text=True, check=True).stdout
    record = json.loads(out.splitlines()[0])
    assert record["name"] == "chats by outside authors"
    assert record["transcripts"] == len(outside)
