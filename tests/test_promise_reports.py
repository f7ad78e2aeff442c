"""The learned reader of customer reports of unkept promises (``promise_reports``)."""
import numpy as np
import pytest

from cs_classifier.promise_reports import PromiseReportModel, ReportScorer
from cs_classifier.segment import normalize_text

REPORTS = [
    "你们上周说三天内给我退款，现在还没到",
    "说好的昨天上门安装，等了一天没人来",
    "客服答应给我补发，到现在也没发",
    "上次电话里讲24小时内回复我，一直没人联系",
    "营业厅的人说下个月就免月租，结果照样扣了",
    "师傅说周二带配件过来，今天周四了人影都没有",
    "之前的客服讲会给我打电话，一直没打过来",
    "不是说好今天送到吗？到现在还没送",
]
OTHERS = [
    "我想问下这个有没有黑色的",
    "什么时候发货呀",
    "信号太差了，你们怎么搞的",
    "好的谢谢",
    "退款已经收到了，谢谢你们",
    "这个尺码偏大还是偏小",
    "发票可以开公司抬头吗",
    "我再考虑一下吧",
    "那我明天再来问",
    "这个能用在苹果手机上吗",
]


@pytest.fixture(scope="module")
def fitted():
    texts = [normalize_text(t) for t in REPORTS + OTHERS]
    return PromiseReportModel().fit(texts, [1] * len(REPORTS) + [0] * len(OTHERS))


def test_reports_of_unkept_promises_score_above_other_customer_turns(fitted):
    reports = fitted.score([normalize_text("客服说好两天内给我回电话，到现在也没人打来")])
    others = fitted.score([normalize_text(t) for t in ("这个颜色还有货吗", "好的，谢谢亲")])
    assert reports.min() > others.max()


def test_the_scorer_round_trips_through_header_and_weights(fitted):
    scorer = fitted.scorer_
    scorer.bar = 0.7
    again = ReportScorer.from_header(scorer.to_header(), scorer.weights())
    texts = [normalize_text(t) for t in REPORTS + OTHERS + ["", "   "]]
    np.testing.assert_allclose(again.score(texts), scorer.score(texts), atol=1e-12)
    assert again.bar == 0.7


def test_a_text_with_no_known_ngram_scores_the_intercept(fitted):
    assert fitted.score([""])[0] == pytest.approx(1 / (1 + np.exp(-fitted.scorer_.intercept)))


def test_fitting_needs_both_kinds_of_turn():
    with pytest.raises(ValueError, match="report an unkept promise"):
        PromiseReportModel().fit(["说好的今天到", "还没到"], [1, 1])


def test_a_chat_model_learns_the_reports_and_they_become_findings(corpus):
    from cs_classifier import ChatModel, Transcript
    from cs_classifier.corpus import split_corpus
    from cs_classifier.promise_reports import RULE_NAME

    train, _ = split_corpus(corpus)
    model = ChatModel(promise_reports=True).fit(train[:200])
    scorer = model.promise_report_scorer_
    assert scorer is not None and 0 < scorer.bar < 1
    assert model.rule_precision_[RULE_NAME] >= model.report_precision
    # Whatever the reader fires on becomes broken-promise evidence resting on the customer's turn.
    scored = [(t, model._views([t])[0].modelled_promise_reports) for t in train[:200]]
    transcript, reports = next((t, r) for t, r in scored if r)
    analysis = model.analyze(transcript)
    finding = next(f for f in analysis.findings if f.label == "broken_promise")
    assert set(reports) <= set(finding.turns)
    assert "report model" in finding.explanation
    assert all(transcript.turns[i].role == "customer" for i in reports)
    # Without the option nothing is learned and the rule never fires.
    plain = ChatModel().fit(train[:60])
    assert plain.promise_report_scorer_ is None
    assert not plain._views([transcript])[0].modelled_promise_reports
    del Transcript


def _complaint(text):
    from cs_classifier import Transcript

    return Transcript.from_dict({"id": "report", "turns": [
        {"role": "customer", "text": text, "time": "2026-06-02T09:00:00+08:00", "speaker": "顾客"},
        {"role": "agent", "text": "您好，非常抱歉给您带来不便，请私信您的联系方式，我们为您核实处理。",
         "time": "2026-06-02T09:05:00+08:00", "speaker": "客服小林"}]})


@pytest.mark.parametrize("fast", [False, True])
def test_the_shipped_model_reads_a_report_the_pattern_misses(fast):
    from cs_classifier import load_model
    from cs_classifier.promise_reports import RULE_NAME

    model = load_model(fast=fast)
    chat = _complaint("上周打你们客服电话，说周末之前安排人上门换表，今天都周二了，一个人影都没见着")
    assert set(model._views([chat])[0].rule_evidence) == {RULE_NAME}  # the hand-written pattern is silent
    finding = next(f for f in model.analyze(chat).findings if f.label == "broken_promise")
    assert 0 in finding.turns and finding.quotes[0].turn == 0
    assert "customer reports a promise" in finding.explanation and "report model" in finding.explanation
    from cs_classifier.report import explain_zh  # the Chinese complaint says it in Chinese

    assert explain_zh(finding.explanation).startswith("第0条: 顾客反映承诺未兑现（模型识别，评分")


@pytest.mark.parametrize("text", [
    "上次说三天内退款，今天已经到账了，谢谢你们",                  # a promise kept
    "页面上写预计周五送达，今天周六了还没到，什么情况",            # a system estimate, not a commitment
    "你们这网速也太慢了吧，晚上根本打不开网页，交这么多钱就这服务？",  # angry, but nothing was promised
])
def test_the_shipped_model_does_not_read_other_complaints_as_reports(shipped_model, text):
    analysis = shipped_model.analyze(_complaint(text))
    assert "broken_promise" not in analysis.labels


def test_the_bar_is_the_lowest_that_reaches_the_precision():
    from cs_classifier.model import report_bar

    scores = np.array([0.95, 0.9, 0.8, 0.7, 0.6, 0.3, 0.2])
    truth = np.array([1, 1, 1, 1, 0, 0, 0])
    bar, precision = report_bar(scores, truth, 0.85, prior=(0.0, 0.0))
    assert bar == pytest.approx(0.625) and precision == 1.0  # the grid step above 0.6, which lets a clean chat in
    # the prior pulls a few hits towards 4 in 5: one sure hit is not enough for 0.85
    assert report_bar(np.array([0.99, 0.1]), np.array([1, 0]), 0.85, prior=(4.0, 1.0)) is None
    assert report_bar(np.zeros(5), np.zeros(5, dtype=int), 0.5) is None
