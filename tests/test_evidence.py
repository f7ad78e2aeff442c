"""Complaint-grade evidence end to end: commitments, contradictions, policy, latency, rules, reports, masking, summary."""
import csv
import io
import json
import os
import shutil
import subprocess
import tempfile

import pytest

from cs_classifier import Transcript
from cs_classifier.cli import main

from conftest import EXAMPLES


def chat(turns, tid="c"):
    return Transcript.from_dict({"id": tid, "turns": [
        {"role": r, "text": x, **({"time": t} if t else {}), **({"speaker": s} if s else {})} for r, x, t, s in turns]})


def finding(record, label):
    return next((f for f in record["findings"] if f["label"] == label), None)


def test_timestamp_only_broken_promise(shipped_model):
    rec = shipped_model.analyze(chat([
        ("customer", "我的退款审核到哪一步了", "2026-05-01T10:00:00+08:00", "买家A"),
        ("agent", "我这边帮您联系财务加急，下午三点前给您回复", "2026-05-01T10:05:00+08:00", "客服-小桃"),
        ("customer", "你好 在吗", "2026-05-01T16:40:00+08:00", "买家A"),
    ])).to_dict()
    assert rec["commitments"] == [{"turn": 1, "text": "我这边帮您联系财务加急，下午三点前给您回复",
                                   "deadline": "2026-05-01T15:00:00+08:00", "status": "broken"}]
    f = finding(rec, "broken_promise")
    assert f is not None and {1, 2} <= set(f["turns"])
    assert "deadline" in f["explanation"]


def test_promise_kept_on_time_gives_no_finding(shipped_model):
    rec = shipped_model.analyze(chat([
        ("customer", "杯盖漏水，能补发一个吗", "2026-05-01T10:00:00+08:00", None),
        ("agent", "可以的，给您免费补发，今天下班前发出", "2026-05-01T10:02:00+08:00", "客服-阿杰"),
        ("customer", "好的谢谢", "2026-05-01T10:03:00+08:00", None),
        ("agent", "亲，杯盖已经发出了，中通单号75312345678", "2026-05-01T16:30:00+08:00", "客服-阿杰"),
        ("customer", "收到了 谢谢", "2026-05-02T18:00:00+08:00", None),
    ])).to_dict()
    assert rec["commitments"][0]["status"] == "kept"
    assert finding(rec, "broken_promise") is None


def test_contradiction_across_agents_quotes_both_turns(shipped_model):
    rec = shipped_model.analyze(chat([
        ("customer", "退款退多少", None, None),
        ("agent", "给您退款120元，原路返回", None, "客服-小美"),
        ("customer", "好的 那什么时候到", None, None),
        ("agent", "亲，您这单退款是80元哦，1-3个工作日到账", None, "客服-大雄"),
    ])).to_dict()
    f = finding(rec, "inaccurate")
    assert f is not None and {1, 3} <= {q["turn"] for q in f["quotes"]}
    assert "turn 1 said" in f["explanation"]


def test_wrong_policy_cites_the_rule_and_correct_policy_does_not(shipped_model):
    wrong = shipped_model.analyze(chat([
        ("customer", "鞋子拆开试了一下不合适，没穿出去，能退吗", None, None),
        ("agent", "亲，拆了包装就不能七天无理由退货了哦", None, None)])).to_dict()
    f = finding(wrong, "inaccurate")
    assert f is not None and f["rule"] == "opened-package-returnable" and "good condition" in f["explanation"]
    right = shipped_model.analyze(chat([
        ("customer", "鞋子拆开试了一下不合适，没穿出去，能退吗", None, None),
        ("agent", "可以的亲，拆开试穿不影响七天无理由，吊牌和鞋盒都在就行，在订单里申请退货就可以", None, None)])).to_dict()
    assert finding(right, "inaccurate") is None


def test_latency_is_reported_with_times(shipped_model):
    rec = shipped_model.analyze(chat([
        ("customer", "在吗", "2026-05-01T10:00:00+08:00", None),
        ("customer", "在吗？？", "2026-05-01T10:20:00+08:00", None),
        ("agent", "在的亲", "2026-05-01T10:47:30+08:00", None),
        ("customer", "好", "2026-05-01T10:48:00+08:00", None),
        ("agent", "请问有什么可以帮您", "2026-05-01T10:48:20+08:00", None),
    ])).to_dict()
    assert rec["delays"] == [{"customer_turn": 0, "agent_turn": 2, "since": "2026-05-01T10:00:00+08:00",
                              "until": "2026-05-01T10:47:30+08:00", "seconds": 2850}]


def test_an_acknowledgement_starts_no_wait(shipped_model):
    rec = shipped_model.analyze(chat([
        ("customer", "盖子是裂的", "2026-12-02T19:00:00+08:00", None),
        ("agent", "给您补发一个新盖子", "2026-12-02T19:03:00+08:00", None),
        ("customer", "行 👌", "2026-12-02T19:04:00+08:00", None),
        ("customer", "盖子收到了 10块钱没看到啊", "2026-12-04T10:30:00+08:00", None),
        ("agent", "亲 这边查一下", "2026-12-04T10:45:00+08:00", None),
    ])).to_dict()
    assert [(d["customer_turn"], d["seconds"]) for d in rec["delays"]] == [(3, 900)]


RULES_TOML = """
[[rule]]
id = "private-contact"
tag = "private-contact"
any = ["加微信", "vx"]
explanation = "asks the customer to move off-platform"

[[rule]]
id = "refuse-invoice"
label = "dismissive"
all = ["发票"]
regex = "不(开|给)"
unless = "专票"

[[rule]]
id = "angry-customer"
tag = "angry"
role = "customer"
any = ["投诉"]

[[whitelist]]
id = "stock-phrase-ok"
labels = ["evasive"]
regex = "以实际为准"
"""


def test_custom_rules_and_whitelists(tmp_path, capsys):
    rules = tmp_path / "rules.toml"
    rules.write_text(RULES_TOML, "utf-8")
    chats = tmp_path / "in.jsonl"
    chats.write_text(json.dumps({"id": "r1", "turns": [
        {"role": "customer", "text": "发票能开吗？不开我就投诉"},
        {"role": "agent", "text": "发票不开的，有问题加微信聊"},
        {"role": "customer", "text": "那退款什么时候到"},
        {"role": "agent", "text": "亲，具体到账时间以实际为准呢，请您耐心等待"}]}, ensure_ascii=False) + "\n", "utf-8")
    assert main(["score", str(chats), "--rules", str(rules), "--quiet"]) == 0
    rec = json.loads(capsys.readouterr().out)
    tags = {t["tag"]: t for t in rec["tags"]}
    assert tags["private-contact"]["turns"] == [1] and tags["private-contact"]["quotes"][0]["text"] == "加微信"
    assert tags["angry"]["turns"] == [0]
    dis = finding(rec, "dismissive")
    assert dis is not None and 1 in dis["turns"] and "custom rule refuse-invoice" in dis["explanation"]
    assert "dismissive" in rec["labels"]
    assert "evasive" not in rec["turns"][3]["labels"]
    assert all(3 not in f["turns"] for f in rec["findings"] if f["label"] == "evasive")


def test_yaml_rules_and_bad_rules_file(tmp_path, capsys):
    yaml_rules = tmp_path / "r.yaml"
    yaml_rules.write_text("rule:\n  - id: y\n    tag: greeting\n    any: [您好]\n", "utf-8")
    assert main(["score", str(EXAMPLES / "shop-chats.jsonl"), "--rules", str(yaml_rules), "--quiet"]) == 0
    recs = [json.loads(x) for x in capsys.readouterr().out.splitlines()]
    assert any(t["tag"] == "greeting" for r in recs for t in r["tags"])
    bad = tmp_path / "bad.toml"
    bad.write_text('[[rule]]\nid = "x"\nlabel = "rude"\nany = ["a"]\n', "utf-8")
    assert main(["score", str(EXAMPLES), "--rules", str(bad)]) == 2
    assert "label must be one of" in capsys.readouterr().err


PRIVATE = {"id": "p1", "turns": [
    {"role": "customer", "text": "我电话13812345678，地址浙江省杭州市西湖区文三路398号，订单230517123456789012，邮箱tom@example.com，身份证110101199003071234",
     "time": "2026-05-01T10:00:00+08:00"},
    {"role": "agent", "text": "亲，特价商品不退不换的哦，有事打13812345678", "time": "2026-05-01T10:01:00+08:00", "speaker": "小店:阿花"}]}
SECRETS = ["13812345678", "文三路398号", "230517123456789012", "tom@example.com", "110101199003071234"]


def test_mask_option_masks_score_output(tmp_path, capsys):
    path = tmp_path / "p.jsonl"
    path.write_text(json.dumps(PRIVATE, ensure_ascii=False) + "\n", "utf-8")
    main(["score", str(path), "--quiet"])
    plain = capsys.readouterr().out
    assert "13812345678" in plain
    main(["score", str(path), "--mask", "--quiet"])
    masked = capsys.readouterr().out
    for secret in SECRETS:
        assert secret not in masked
    rec = json.loads(masked)
    for f in rec["findings"]:
        for q in f["quotes"]:
            assert rec["turns"][q["turn"]]["text"][q["start"]:q["end"]] == q["text"]


def test_markdown_report_is_complaint_ready_and_masked(tmp_path, capsys):
    path = tmp_path / "p.jsonl"
    path.write_text(json.dumps(PRIVATE, ensure_ascii=False) + "\n", "utf-8")
    out = tmp_path / "report.md"
    assert main(["report", str(path), str(EXAMPLES / "shop-chats.jsonl"), "-o", str(out), "--quiet"]) == 0
    text = out.read_text("utf-8")
    for secret in SECRETS:
        assert secret not in text
    assert "客服沟通问题记录：p1" in text and "店铺：小店" in text and "阿花" in text
    assert "信息不准确" in text and "「亲，特价商品不退不换的哦" in text and "2026-05-01 10:01:00" in text
    assert "七天无理由" in text and "12315" in text and "消费者协会" in text
    assert "承诺未兑现" in text and "客服承诺及兑现情况" in text and "未兑现" in text


def _chromium():
    for name in ("chromium", "chromium-browser", "google-chrome"):
        if shutil.which(name):
            return shutil.which(name)
    if os.environ.get("CI"):
        pytest.fail("CI must provide a headless Chromium (.ci/run installs Debian's chromium)")
    pytest.skip("no Chromium on this machine")


def test_html_report_renders_in_a_real_headless_browser(tmp_path, capsys):
    out = tmp_path / "report.html"
    assert main(["report", str(EXAMPLES / "shop-chats.jsonl"), "-o", str(out), "--quiet"]) == 0
    page = out.read_text("utf-8")
    assert "<script" not in page and "http://" not in page and "https://" not in page and "<link" not in page
    browser = _chromium()
    with tempfile.TemporaryDirectory() as profile:
        dom = subprocess.run([browser, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                              "--disable-background-networking", "--disable-component-update", "--disable-sync",
                              f"--user-data-dir={profile}", "--dump-dom", out.as_uri()],
                             capture_output=True, text=True, timeout=120).stdout
    assert '<section id="example-late-refund">' in dom
    assert "承诺未兑现" in dom and "我帮您催一下财务，今天下午5点前给您回复" in dom
    assert "<table>" in dom and "12315" in dom


def test_summary_csv_per_agent_opens_in_excel(tmp_path, capsys):
    out = tmp_path / "agents.csv"
    assert main(["summary", str(EXAMPLES), "-o", str(out), "--quiet"]) == 0
    raw = out.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))
    header, body = rows[0], rows[1:]
    assert header[0].startswith("客服") and "broken_promise 会话数" in header
    agents = {r[0]: r for r in body}
    assert "雪域旗舰店:小满" in agents and agents["雪域旗舰店:小满"][1] == "1"
    assert int(agents["雪域旗舰店:小满"][header.index("broken_promise 会话数")]) == 1
    gbk = tmp_path / "agents-gbk.csv"
    assert main(["summary", str(EXAMPLES), "-o", str(gbk), "--encoding", "gbk", "--quiet"]) == 0
    assert gbk.read_bytes().decode("gbk").splitlines()[0] == ",".join(header)
