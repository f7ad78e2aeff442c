"""The annotated corpus: size and label balance, validity, no near-duplicates, a fixed test split."""
import json
import re
from collections import Counter

from cs_classifier import LABELS
from cs_classifier.corpus import is_test_id, split_corpus

from conftest import DATA, near_duplicates


def test_every_transcript_is_valid_and_ids_are_unique(corpus):
    ids = [t.id for t in corpus]
    assert len(ids) == len(set(ids))
    for t in corpus:
        assert t.labels is not None, t.id
        t.validate()
        assert t.metadata.get("source", t.source) in ("written", None) or t.source == "written"


def test_every_time_is_readable_and_never_runs_backwards_by_days(corpus):
    """A time the rules cannot read hides a missed deadline; the first session's conversion had
    put day offsets into the time field (「2026-02-19T+000008d+08:00」)."""
    for t in corpus:
        times = [(i, turn.datetime) for i, turn in enumerate(t.turns) if turn.time]
        assert all(when is not None for _, when in times), (t.id, [t.turns[i].time for i, w in times if w is None])
        for (_, a), (i, b) in zip(times, times[1:]):
            assert (a - b).days < 1, (t.id, i)


def test_size_and_label_balance(corpus):
    counts = Counter(label for t in corpus for label in t.labels.transcript_labels)
    clean = sum(1 for t in corpus if not t.labels.transcript_labels)
    assert len(corpus) >= 200
    for label in LABELS:
        assert counts[label] >= 40, (label, counts)
    assert clean >= 60


def test_no_near_duplicate_transcripts(corpus):
    offenders = near_duplicates(corpus)
    assert not offenders, offenders[:10]


_GREETING = re.compile(r"^(亲+|亲亲|亲爱的?[哒滴]?|您好|你好|在的|在呢|好的|嗯+|收到|稍等|请稍等|不客气|谢谢|感谢|再见|客气了)")


def _sentences(text):
    return [s.strip() for s in re.split(r"[。！!？?~～\n]+", text) if len(s.strip()) >= 6]


def test_no_agent_sentence_recurs_more_than_three_times(corpus):
    counts = Counter()
    for t in corpus:
        for turn in t.turns:
            if turn.role == "agent":
                for s in set(_sentences(turn.text)):
                    counts[s] += 1
    closing = re.compile(r"还有(其他|什么)|祝您|生活愉快|感谢您的|欢迎|很高兴为您|有什么(问题)?(可以|我可以)|请问有什么|评价")
    repeated = {s: n for s, n in counts.items() if n > 3 and not _GREETING.match(s) and not closing.search(s)}
    assert not repeated, sorted(repeated.items(), key=lambda kv: -kv[1])[:10]


def test_split_is_fixed_and_recorded(corpus):
    train, test = split_corpus(corpus)
    assert len(test) >= 0.15 * len(corpus)
    assert {t.id for t in test}.isdisjoint({t.id for t in train})
    recorded = json.loads((DATA / "split.json").read_text("utf-8"))
    assert sorted(recorded["test"]) == sorted(t.id for t in test)
    assert all(is_test_id(i) for i in recorded["test"])
