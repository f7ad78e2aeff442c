"""The project's labels for real chats: ids and labels only, never the research-only text."""
import json
import re

import pytest

from cs_classifier import LABELS
from cs_classifier.evaluate import labelled_transcripts, real_data_dir

from conftest import DATA, ROOT

FILES = sorted((DATA / "real-eval").glob("*.labels.jsonl"))
# A second annotator's blind labels of a sample of the chats above (agreement, not more gold).
SECOND = sorted((DATA / "real-eval" / "second-annotator").glob("*.labels.jsonl"))
# The same helpers' earlier labels of the c-sets under a guidelines-only brief (agreement only).
FIRST_BRIEF = sorted((DATA / "real-eval" / "first-brief").glob("*.labels.jsonl"))
CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")


def test_there_are_enough_labels():
    counts: dict[str, int] = {}
    for p in FILES:
        source = p.name.split("-")[0]
        counts[source] = counts.get(source, 0) + sum(1 for line in p.open(encoding="utf-8") if line.strip())
    assert counts.get("jddc", 0) >= 150 and counts.get("stc3", 0) >= 100


@pytest.mark.parametrize("path", FILES + SECOND + FIRST_BRIEF, ids=[p.name for p in FILES + SECOND + FIRST_BRIEF])
def test_label_files_hold_no_chat_text(path):
    raw = path.read_text("utf-8")
    assert not CJK.search(raw), "label files must not contain text from the real chats"
    ids = []
    for line in raw.splitlines():
        record = json.loads(line)
        assert set(record) == {"id", "labels"}
        assert set(record["labels"]) == {"turns", "commitments", "findings"}
        for finding in record["labels"]["findings"]:
            assert finding["label"] in LABELS
        ids.append(record["id"])
    assert len(ids) == len(set(ids))


@pytest.mark.parametrize("path", FILES + SECOND + FIRST_BRIEF, ids=[p.name for p in FILES + SECOND + FIRST_BRIEF])
def test_labels_join_the_real_text_when_present(path):
    if real_data_dir() is None:
        pytest.skip("the research-only real chats are not on this machine")
    gold = labelled_transcripts(path)  # validates every index against the text
    assert gold and all(t.labels is not None for t in gold)


def test_no_chat_is_labelled_twice():
    ids = [json.loads(line)["id"] for p in FILES for line in p.open(encoding="utf-8") if line.strip()]
    assert len(ids) == len(set(ids))


def test_the_second_annotator_labelled_chats_that_are_labelled_already():
    first = {json.loads(line)["id"] for p in FILES for line in p.open(encoding="utf-8") if line.strip()}
    second = [json.loads(line)["id"] for p in SECOND for line in p.open(encoding="utf-8") if line.strip()]
    assert len(second) >= 100 and len(second) == len(set(second)) and set(second) <= first


def test_the_first_brief_labelled_exactly_the_c_sets():
    gold_c = {json.loads(line)["id"] for p in FILES if p.name.endswith("-c.labels.jsonl") for line in p.open(encoding="utf-8") if line.strip()}
    brief = [json.loads(line)["id"] for p in FIRST_BRIEF for line in p.open(encoding="utf-8") if line.strip()]
    assert gold_c and len(brief) == len(set(brief)) and set(brief) == gold_c


def test_the_agreement_benchmark_reports_every_label():
    import subprocess
    import sys

    out = subprocess.run([sys.executable, str(ROOT / "benchmarks" / "label_agreement.py")],
                         capture_output=True, text=True, check=True).stdout
    assert f"first labels by both: {sum(1 for p in SECOND for line in p.open() if line.strip())} chats" in out
    for label in [*LABELS, "any"]:
        assert sum(1 for line in out.splitlines() if line.split()[:1] == [label]) == 4
