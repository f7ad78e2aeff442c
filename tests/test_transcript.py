import json

import pytest

from cs_classifier import Labels, Transcript, TranscriptError, Turn

GOOD = {
    "id": "t-0001", "source": "written", "platform": "tmall",
    "turns": [
        {"role": "customer", "text": "我的快递三天没动了", "time": "2026-05-01T10:02:11+08:00", "speaker": "buyer01"},
        {"role": "agent", "text": "快递的事您问快递哦", "time": "2026-05-01T10:05:40+08:00", "speaker": "小美", "channel": "app"},
    ],
    "labels": {"turns": {"1": ["evasive"]}, "commitments": [],
               "findings": [{"label": "evasive", "evidence": [1], "note": "shifts to the courier"}]},
}


def test_round_trip_is_identity_including_extra_keys():
    t = Transcript.from_dict(GOOD)
    assert json.loads(t.to_json()) == GOOD
    assert t.turns[1].extra == {"channel": "app"}
    assert t.metadata == {"platform": "tmall"}
    assert t.labels.transcript_labels == {"evasive"}
    assert t.turns[0].datetime.utcoffset().total_seconds() == 8 * 3600


def test_turn_defaults():
    turn = Turn(role="agent", text="有的亲")
    assert turn.to_dict() == {"role": "agent", "text": "有的亲"}
    assert turn.datetime is None


@pytest.mark.parametrize("mutate, message", [
    (lambda d: d["turns"][0].update(role="seller?"), "turn 0: role must be"),
    (lambda d: d["turns"][1].update(text=None), "turn 1: text must be a string"),
    (lambda d: d.update(turns=[]), "has no turns"),
    (lambda d: d.update(turns="x"), "'turns' must be a list"),
    (lambda d: d["labels"]["turns"].update({"0": ["evasive"]}), "labels a customer turn"),
    (lambda d: d["labels"]["turns"].update({"7": ["evasive"]}), "index 7 out of range"),
    (lambda d: d["labels"]["turns"].update({"1": ["rude"]}), "labels.turns[1]"),
    (lambda d: d["labels"].update(findings=[]), "used on turns but in no finding"),
    (lambda d: d["labels"]["findings"][0].update(evidence=[9]), "evidence [9] out of range"),
    (lambda d: d.pop("id"), "has no 'id'"),
])
def test_validation_names_what_is_wrong(mutate, message):
    data = json.loads(json.dumps(GOOD))
    mutate(data)
    with pytest.raises(TranscriptError, match=message.replace("[", r"\[").replace("]", r"\]")):
        Transcript.from_dict(data)


def test_labels_serialise_with_string_keys():
    labels = Labels(turns={3: ["dismissive"]}, commitments=[1])
    assert labels.to_dict()["turns"] == {"3": ["dismissive"]}
