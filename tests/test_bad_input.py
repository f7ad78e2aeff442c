"""Bad input never loses a transcript: one record each, a specific error, the batch goes on, exit 1."""
import json

import pytest

from cs_classifier import Transcript, read_transcripts
from cs_classifier.cli import main
from cs_classifier.scoring import score_records

GOOD = {"id": "ok-1", "turns": [{"role": "customer", "text": "明天能发货吗"}, {"role": "agent", "text": "可以的亲，明天下午发"}]}


def turns_with(**changes):
    turn = {"role": "agent", "text": "好的"}
    turn.update(changes)
    return {"id": "x", "turns": [{"role": "customer", "text": "在吗"}, turn]}


def line(obj):
    return json.dumps(obj, ensure_ascii=False)


def records_via_cli(paths, capsys):
    code = main(["score", *map(str, paths), "--quiet"])
    out = capsys.readouterr().out
    return code, [json.loads(x) for x in out.splitlines()]


def records_via_api(paths, model):
    return list(score_records(model, read_transcripts([str(p) for p in paths])))


@pytest.fixture(params=["cli", "api"])
def score(request, capsys, shipped_model):
    def run(*paths):
        if request.param == "cli":
            return records_via_cli(paths, capsys)
        records = records_via_api(paths, shipped_model)
        return (1 if any(not r["ok"] for r in records) else 0), records
    return run


def test_malformed_json_lines_among_good_ones(tmp_path, score):
    p = tmp_path / "mixed.jsonl"
    p.write_text("\n".join([line(GOOD), '{"id": "bad", "turns": [', line({**GOOD, "id": "ok-2"}), "[1, 2"]) + "\n", "utf-8")
    code, recs = score(p)
    assert code == 1
    assert [(r["id"], r["ok"]) for r in recs] == [("ok-1", True), ("bad", False), ("ok-2", True), (None, False)]
    assert recs[1]["source"].endswith("mixed.jsonl:2") and "malformed JSON" in recs[1]["error"]


@pytest.mark.parametrize("record, expect", [
    ({"id": "e", "turns": []}, "no turns"),
    ({"id": "e"}, "no 'turns' field"),
    ({"id": "e", "turns": [{"role": "customer", "text": "hi"}, {"role": "system", "text": "会话已转接"}]}, "turn 1: unknown role 'system'"),
    ({"id": "e", "turns": [{"role": "agent", "text": ["a"]}]}, "turn 0: text must be a string"),
    ({"id": "e", "turns": ["hello"]}, "turn 0: expected an object"),
])
def test_unusable_transcripts_give_specific_errors(tmp_path, score, record, expect):
    p = tmp_path / "t.jsonl"
    p.write_text(line(record) + "\n" + line(GOOD) + "\n", "utf-8")
    code, recs = score(p)
    assert code == 1 and len(recs) == 2
    assert recs[0]["ok"] is False and expect in recs[0]["error"] and recs[0]["id"] == "e"
    assert recs[1]["ok"] is True


@pytest.mark.parametrize("turn, warning", [
    ({"text": None}, "turn 1: null text read as empty"),
    ({"text": 12345}, "turn 1: numeric text 12345 read as a string"),
    ({"text": "好的", "role": "seller"}, "turn 1: role 'seller' read as 'agent'"),
    ({"text": "好的", "time": "昨天下午"}, "turn 1: invalid time '昨天下午'; set to null"),
])
def test_mendable_turns_are_kept_with_a_warning(tmp_path, score, turn, warning):
    record = turns_with(**turn)
    p = tmp_path / "t.jsonl"
    p.write_text(line(record) + "\n", "utf-8")
    code, [rec] = score(p)
    assert code == 0 and rec["ok"] and warning in rec["warnings"]
    assert len(rec["turns"]) == 2 and rec["turns"][1]["role"] == "agent"


def test_missing_text_and_buyer_role(tmp_path, score):
    record = {"id": "m", "turns": [{"role": "买家", "text": "在吗"}, {"role": "agent"}]}
    p = tmp_path / "t.jsonl"
    p.write_text(line(record) + "\n", "utf-8")
    _, [rec] = score(p)
    assert rec["ok"] and rec["turns"][0]["role"] == "customer" and rec["turns"][1]["text"] == ""
    assert "turn 1: missing text read as empty" in rec["warnings"]


def test_empty_binary_missing_files_and_a_mixed_directory(tmp_path, score):
    d = tmp_path / "batch"
    d.mkdir()
    (d / "a-empty.jsonl").write_text("", "utf-8")
    (d / "b-binary.txt").write_bytes(bytes(range(256)) * 20)
    (d / "c-good.jsonl").write_text(line(GOOD) + "\n", "utf-8")
    (d / "d-gbk.txt").write_bytes("2026-05-03 14:02:11 小鱼:\n在吗\n2026-05-03 14:02:30 客服-小桃:\n在的\n".encode("gbk"))
    (d / "e-utf16.txt").write_bytes("2026-05-03 14:02:11 小鱼:\n在吗\n2026-05-03 14:02:30 客服-小桃:\n在的\n".encode("utf-16-le"))
    code, recs = score(d, tmp_path / "absent.jsonl")
    assert code == 1
    assert [r["ok"] for r in recs] == [False, False, True, True, True, False]
    assert recs[0]["error"] == "empty file"
    assert "binary" in recs[1]["error"]
    assert recs[3]["turns"][1]["text"] == "在的" and recs[4]["turns"][1]["speaker"] == "客服-小桃"
    assert recs[5]["error"] == "file not found"


def test_huge_message_is_truncated_for_scoring_and_reported(tmp_path, score):
    huge = "亲亲您好" * 1_250_000  # 5,000,000 characters
    p = tmp_path / "huge.jsonl"
    p.write_text(line({"id": "h", "turns": [{"role": "customer", "text": "在吗"}, {"role": "agent", "text": huge}]}) + "\n", "utf-8")
    code, [rec] = score(p)
    assert code == 0 and rec["ok"]
    assert len(rec["turns"][1]["text"]) == len(huge)
    assert any("longer than" in w and "scored on the first" in w for w in rec["warnings"])


def test_control_zero_width_and_emoji(tmp_path, score):
    record = {"id": "z", "turns": [{"role": "customer", "text": "在吗\u200b\u200d😡😡\x07"},
                                   {"role": "agent", "text": "在的亲🌹\u2028有什么可以帮您\ufeff"}]}
    p = tmp_path / "z.jsonl"
    p.write_text(line(record) + "\n", "utf-8")
    code, [rec] = score(p)
    assert code == 0 and rec["turns"][0]["text"] == record["turns"][0]["text"]


def test_duplicate_ids_are_both_kept_in_order(tmp_path, score):
    p = tmp_path / "dup.jsonl"
    p.write_text(line(GOOD) + "\n" + line({**GOOD, "turns": GOOD["turns"][:1]}) + "\n", "utf-8")
    code, recs = score(p)
    assert code == 0 and [r["id"] for r in recs] == ["ok-1", "ok-1"] and len(recs[1]["turns"]) == 1


def test_too_many_turns_are_capped_with_a_warning(shipped_model):
    turns = [{"role": "customer" if k % 2 == 0 else "agent", "text": f"第{k}条"} for k in range(2400)]
    t = Transcript.from_dict({"id": "long", "turns": turns})
    rec = shipped_model.analyze(t).to_dict()
    assert len(rec["turns"]) == 2400 and rec["turns"][-1]["scores"] is None
    assert rec["turns"][999]["scores"] is not None
    assert any("only the first 1000 were scored" in w for w in rec["warnings"])


def test_an_empty_agent_turn_is_not_scored_or_labelled(shipped_model):
    from cs_classifier import Transcript

    chat = Transcript.from_dict({"id": "blank", "turns": [
        {"role": "customer", "text": "你们这流量怎么算的，一半都不见了？？？"},
        {"role": "agent", "text": "   "},
        {"role": "customer", "text": "人呢"}]})
    rec = shipped_model.analyze(chat).to_dict()
    assert rec["turns"][1]["scores"] is None and not rec["turns"][1]["labels"]
    assert "agent turns [1] are empty: not scored" in rec["warnings"]
    assert rec["findings"] == []
