"""The command line and its output contract (README: "Output contract")."""
import json
import subprocess
import sys


from cs_classifier import LABELS
from cs_classifier.cli import main

from conftest import EXAMPLES, write_jsonl

TURN_KEYS = {"index", "role", "speaker", "time", "text", "labels", "scores"}
RECORD_KEYS = {"id", "ok", "source", "labels", "scores", "turns", "commitments", "findings", "delays", "tags", "warnings"}


def run(args, capsys):
    code = main(args)
    captured = capsys.readouterr()
    return code, [json.loads(line) for line in captured.out.splitlines() if line.strip()], captured.err


def check_record(record):
    assert set(record) == RECORD_KEYS
    assert record["ok"] is True
    assert set(record["scores"]) == set(LABELS)
    assert all(0.0 <= p <= 1.0 for p in record["scores"].values())
    assert set(record["labels"]) <= set(LABELS)
    assert sorted(record["labels"]) == sorted({f["label"] for f in record["findings"]})
    for i, turn in enumerate(record["turns"]):
        assert set(turn) == TURN_KEYS and turn["index"] == i
        if turn["role"] == "agent":
            assert set(turn["scores"]) == set(LABELS)
        else:
            assert turn["scores"] is None and turn["labels"] == []
    for c in record["commitments"]:
        assert set(c) == {"turn", "text", "deadline", "status"} and c["status"] in ("kept", "broken", "open")
    for f in record["findings"]:
        assert {"label", "score", "turns", "quotes", "explanation"} <= set(f)
        assert f["label"] in LABELS and f["explanation"]
        for q in f["quotes"]:
            text = record["turns"][q["turn"]]["text"]
            assert text[q["start"]:q["end"]] == q["text"]


def test_score_examples_to_stdout(capsys):
    code, records, err = run(["score", str(EXAMPLES)], capsys)
    assert code == 0
    assert len(records) == 7
    for r in records:
        check_record(r)
    assert "7 scored, 0 failed" in err


def test_score_keeps_input_order_and_reports_errors(tmp_path, capsys):
    good = {"id": "g1", "turns": [{"role": "customer", "text": "能开发票吗"}, {"role": "agent", "text": "可以的亲，订单详情里申请"}]}
    path = tmp_path / "in.jsonl"
    path.write_text(json.dumps(good, ensure_ascii=False) + "\nnot json\n" +
                    json.dumps({**good, "id": "g2"}, ensure_ascii=False) + "\n", "utf-8")
    out = tmp_path / "out.jsonl"
    code, records, _ = run(["score", str(path), str(tmp_path / "missing.txt"), "-o", str(out), "--quiet"], capsys)
    assert code == 1 and records == []
    lines = [json.loads(x) for x in out.read_text("utf-8").splitlines()]
    assert [r["id"] for r in lines] == ["g1", None, "g2", None]
    assert [r["ok"] for r in lines] == [True, False, True, False]
    assert lines[1] == {"id": None, "ok": False, "source": f"{path}:2", "error": lines[1]["error"]}
    assert "malformed JSON" in lines[1]["error"]
    assert lines[3]["error"] == "file not found"


def test_usage_errors_exit_2(tmp_path, capsys):
    assert main([]) == 2
    assert main(["score"]) == 2
    assert main(["frobnicate"]) == 2
    assert main(["score", str(EXAMPLES), "--model", str(tmp_path / "none.joblib")]) == 2
    assert main(["score", str(EXAMPLES), "--column", "bogus"]) == 2
    capsys.readouterr()


def test_python_dash_m_is_the_same_command(tmp_path):
    out = subprocess.run([sys.executable, "-m", "cs_classifier", "score", str(EXAMPLES / "shop-chats.jsonl"), "--quiet"],
                         capture_output=True, text=True, check=True).stdout
    records = [json.loads(x) for x in out.splitlines()]
    assert [r["id"] for r in records] == ["example-late-refund", "example-good-service", "example-sale-item"]


def test_bad_example_is_flagged_and_good_one_is_clean(capsys):
    _, records, _ = run(["score", str(EXAMPLES / "shop-chats.jsonl")], capsys)
    by_id = {r["id"]: r for r in records}
    assert by_id["example-good-service"]["labels"] == []
    assert "broken_promise" in by_id["example-late-refund"]["labels"]
    bp = next(f for f in by_id["example-late-refund"]["findings"] if f["label"] == "broken_promise")
    assert 5 in bp["turns"] and 6 in bp["turns"]
    sale = by_id["example-sale-item"]
    assert "inaccurate" in sale["labels"]
    good_max = max(t["scores"]["dismissive"] for t in by_id["example-good-service"]["turns"] if t["scores"])
    assert sale["turns"][5]["scores"]["dismissive"] > 2 * good_max  # 「不满意你去投诉好了」 ranks far above decent replies
    inacc = next(f for f in by_id["example-sale-item"]["findings"] if f["label"] == "inaccurate")
    assert "seven days" in inacc["explanation"] and inacc.get("rule")


def test_evaluate_prints_per_label_figures(tmp_path, capsys, corpus):
    path = write_jsonl(tmp_path / "gold.jsonl", [t.to_dict() for t in corpus[:30]])
    code = main(["evaluate", str(path)])
    out = capsys.readouterr().out
    assert code == 0
    for label in LABELS:
        assert label in out
    assert "turn level" in out and "transcript level" in out and "precision" in out


def test_evaluate_label_only_file_says_when_text_absent(tmp_path, capsys, monkeypatch):
    labels = tmp_path / "x.labels.jsonl"
    labels.write_text('{"id": "jddc-nope", "labels": {"turns": {}, "commitments": [], "findings": []}}\n', "utf-8")
    monkeypatch.setenv("CS_CLASSIFIER_REAL_DATA", str(tmp_path / "absent"))
    code = main(["evaluate", str(labels)])
    out = capsys.readouterr().out
    assert code == 1 and "text is not present" in out
