from datetime import datetime, timedelta, timezone

import pytest

from cs_classifier import Transcript, Turn, track_commitments
from cs_classifier.commitments import commitment_clause
from cs_classifier.deadlines import resolve_deadline

CST = timezone(timedelta(hours=8))
SENT = datetime(2026, 5, 1, 10, 5, tzinfo=CST)  # a Friday


@pytest.mark.parametrize("text, due", [
    ("今天下班前给您回复", datetime(2026, 5, 1, 18, 0, tzinfo=CST)),
    ("24小时内给您回电", datetime(2026, 5, 2, 10, 5, tzinfo=CST)),
    ("明天上午发出", datetime(2026, 5, 2, 12, 0, tzinfo=CST)),
    ("3个工作日内到账", datetime(2026, 5, 6, 23, 59, 59, tzinfo=CST)),
    ("下周一前处理好", datetime(2026, 5, 4, 0, 0, tzinfo=CST)),
    ("48h内处理", datetime(2026, 5, 3, 10, 5, tzinfo=CST)),
    ("下午三点前回复您", datetime(2026, 5, 1, 15, 0, tzinfo=CST)),
    ("尽快给您处理", None),
    ("今晚12点前给您送到", datetime(2026, 5, 1, 23, 59, tzinfo=CST)),
    ("收到当天就检测，当天下午5点前把检测单发给您", None),  # counts from a delivery still to come
    ("师傅会在上门前一天晚上8点前给您打电话确认", None),
    ("明天9:00-18:00快递员上门取件", datetime(2026, 5, 2, 18, 0, tzinfo=CST)),  # a range ends on its start's day
    ("今天下午4点到6点有师傅上门", datetime(2026, 5, 1, 18, 0, tzinfo=CST)),
])
def test_deadlines(text, due):
    assert resolve_deadline(text, SENT) == due


def chat(*turns):
    return Transcript(id="c", turns=[Turn(role=r, text=x, time=t) for r, x, t in turns])


def test_timestamp_only_broken_promise():
    t = chat(("customer", "退款进度帮我看看", "2026-05-01T10:00:00+08:00"),
             ("agent", "我这边帮您催财务，下午三点前给您回复", "2026-05-01T10:05:00+08:00"),
             ("customer", "你好 在吗", "2026-05-01T16:40:00+08:00"))
    [c] = track_commitments(t)
    assert c.turn == 1 and c.status == "broken" and c.evidence == [2]
    assert c.deadline == datetime(2026, 5, 1, 15, 0, tzinfo=CST)


def test_promise_kept_on_time():
    t = chat(("customer", "能补发吗", "2026-05-01T10:00:00+08:00"),
             ("agent", "可以的，今天下班前给您补发", "2026-05-01T10:05:00+08:00"),
             ("agent", "亲，已经给您补发了，单号是SF123456", "2026-05-01T15:20:00+08:00"))
    [c] = track_commitments(t)
    assert c.status == "kept"


def test_promise_withdrawn_by_later_agent():
    t = chat(("agent", "给您补偿10元红包，明天到账", None),
             ("customer", "好的", None),
             ("agent", "亲，补偿是不可能的，活动规则没有这项", None))
    [c] = track_commitments(t)
    assert c.status == "broken" and c.evidence == [2]


def test_open_when_nothing_follows():
    t = chat(("agent", "我们明天一定给您发出", "2026-05-01T10:05:00+08:00"))
    assert track_commitments(t)[0].status == "open"


def test_estimates_and_let_me_check_are_not_commitments():
    t = chat(("agent", "预计明天送达哦", None), ("agent", "您稍等，我帮您查一下", None),
             ("agent", "商家收到退货后7天内退款", None))
    assert track_commitments(t) == []


def test_membership_terms_are_not_a_commitment():
    # 「会员」 is not 「会」 ("will"): stating what PLUS members get promises nothing.
    found = track_commitments(chat(
        ("customer", "plus会员不是免运费吗", None),
        ("agent", "PLUS会员享受自营商品售后服务免运费和免费上门取件服务", None),
    ))
    assert found == []


def test_an_unrelated_question_does_not_break_a_promise():
    found = track_commitments(chat(
        ("customer", "能上门取件吗", None),
        ("agent", "可以的，明天我们会安排快递上门取件", None),
        ("customer", "好的", None),
        ("agent", "还有别的问题吗", None),
        ("customer", "那运费多少呢？", None),
    ))
    assert [c.status for c in found] == ["open"]


def test_asking_after_the_promised_action_breaks_it():
    found = track_commitments(chat(
        ("customer", "什么时候退款", None),
        ("agent", "我这边今天给您退款", None),
        ("customer", "好", None),
        ("agent", "请问还有其他问题吗", None),
        ("customer", "退款呢？", None),
    ))
    assert [c.status for c in found] == ["broken"]


def test_a_voucher_code_is_not_a_promised_exchange():
    from cs_classifier.commitments import earlier_promise_reports

    t = chat(("customer", "活动给的兑换码无效，客服说兑换码只有2h有效期，页面也没有任何提示", None),
             ("agent", "抱歉，我帮您查一下", None))
    assert earlier_promise_reports(t) == []
    t = chat(("customer", "客服说给我换新的，到现在也没有消息", None), ("agent", "我查一下", None))
    assert earlier_promise_reports(t) == [0]


def test_what_is_reported_done_does_not_hide_the_promise_beside_it():
    t = chat(("customer", "外卖超时半小时了", "2026-05-01T20:30:00+08:00"),
             ("agent", "非常抱歉，我已经联系骑手了，10分钟内一定给您送到", "2026-05-01T20:31:00+08:00"),
             ("customer", "说十分钟 现在过去35分钟了 还没到", "2026-05-01T21:06:00+08:00"))
    [c] = track_commitments(t)
    assert c.turn == 1 and c.status == "broken" and c.evidence == [2]


def test_a_step_towards_the_promise_is_not_keeping_it():
    t = chat(("customer", "周五前能修好寄回吗", "2026-08-17T11:06:00+08:00"),
             ("agent", "我们保证周三下午6点前修好并顺丰寄出", "2026-08-17T11:07:00+08:00"),
             ("customer", "好 已付款", "2026-08-17T11:07:50+08:00"),
             ("agent", "收到付款，已经安排工程师维修", "2026-08-17T11:08:30+08:00"),
             ("customer", "今天都周四晚上了 没收到任何单号", "2026-08-20T20:30:00+08:00"))
    [c, *_] = track_commitments(t)
    assert c.turn == 1 and c.status == "broken" and c.evidence == [4]


@pytest.mark.parametrize("reply, status", [
    ("书到了 挺快", "kept"),                    # the customer confirms it, even after the deadline
    ("新的到啦 尺码刚好", "kept"),
    ("等退款到了再重新拍", "broken"),           # a plan, not a confirmation
])
def test_what_counts_as_the_customer_confirming(reply, status):
    t = chat(("customer", "什么时候发", "2026-09-01T10:00:00+08:00"),
             ("agent", "今天下午给您发中通", "2026-09-01T10:01:00+08:00"),
             ("customer", reply, "2026-09-03T19:00:00+08:00"))
    assert track_commitments(t)[0].status == status


def test_a_complaint_about_something_else_does_not_break_a_promise():
    t = chat(("customer", "什么时候安装", "2026-06-20T18:00:00+08:00"),
             ("agent", "我们会安排师傅明天上门安装", "2026-06-20T18:01:00+08:00"),
             ("customer", "好", "2026-06-20T18:02:00+08:00"),
             ("customer", "你这等于啥也没说", "2026-06-20T18:40:00+08:00"))
    assert track_commitments(t)[0].status != "broken"


@pytest.mark.parametrize("text", [
    "人呢？？？？说好今天上午9到12点上门 现在都一点半了 电话都没一个",
    "昨天说今天之内到账 我看还是没到",
    "快递员说上午来取件 下午三点了还没来",
])
def test_customer_reports_of_unkept_promises(text):
    from cs_classifier.commitments import earlier_promise_reports

    assert earlier_promise_reports(chat(("customer", text, None))) == [0]


@pytest.mark.parametrize("text", [
    "可以的，我两个小时内把电子发票发您邮箱",
    "今晚十点前退款到账",
    "亲 给您补5块",
    "收到 今天发",
    "安装师傅明天上午10点前到您家",
])
def test_undertakings_in_other_words_are_commitments(text):
    t = chat(("customer", "怎么处理", "2026-05-01T10:00:00+08:00"), ("agent", text, "2026-05-01T10:05:00+08:00"))
    assert [c.turn for c in track_commitments(t)] == [1]


@pytest.mark.parametrize("text", [
    "下午4点前下单的当天发，走顺丰",
    "下单后24小时内发货",
    "两件货今天上午11点到的营业部，现在在等安排送货",
    "预计明天送达",
])
def test_standing_rules_and_states_are_not_commitments(text):
    t = chat(("customer", "什么时候发", "2026-05-01T10:00:00+08:00"), ("agent", text, "2026-05-01T10:05:00+08:00"))
    assert track_commitments(t) == []


def test_standing_shipping_rule_is_not_broken_by_a_later_day():
    t = chat(("customer", "什么时候发", "2026-05-01T10:00:00+08:00"),
             ("agent", "下午5点前的订单当天就发，您这单赶得上", "2026-05-01T10:05:00+08:00"),
             ("customer", "收到了 但是颜色不对", "2026-05-03T12:00:00+08:00"))
    assert [c for c in track_commitments(t) if c.status == "broken"] == []


def test_promise_with_no_later_word_but_a_late_message_is_broken():
    t = chat(("customer", "发票能开吗", "2026-05-01T10:00:00+08:00"),
             ("agent", "可以的，我两个小时内把电子发票发您邮箱", "2026-05-01T10:05:00+08:00"),
             ("customer", "在吗", "2026-05-01T14:30:00+08:00"))
    [c] = track_commitments(t)
    assert c.status == "broken" and c.evidence == [2]


def test_promise_after_finding_the_order_is_a_commitment_and_its_denial_is_not():
    t = chat(("customer", "什么时候来人安装", "2026-05-03T10:12:00+08:00"),
             ("agent", "您好，查到您的订单了，安装服务已经帮您预约好，今天下午会有安装师傅打电话给您", "2026-05-03T10:20:00+08:00"),
             ("customer", "一下午都没人打电话，怎么回事", "2026-05-03T20:30:00+08:00"),
             ("agent", "您好，我们这边也没有说过会安排师傅给您打电话", "2026-05-03T20:41:00+08:00"))
    found = {c.turn: c.status for c in track_commitments(t)}
    assert found == {1: "broken"}


def test_report_of_a_host_s_promised_gift_that_did_not_come():
    from cs_classifier.commitments import earlier_promise_reports

    t = chat(("customer", "昨晚直播间买的坚果礼盒 主播说下单就送一罐芒果干 我收到只有坚果 没有芒果干", "2026-01-16T10:05:00+08:00"),
             ("agent", "亲亲 赠品以实际发货为准哦", "2026-01-16T10:11:00+08:00"))
    assert earlier_promise_reports(t) == [0]


def test_a_customer_confirming_one_part_and_reporting_another_does_not_keep_the_promise():
    t = chat(("customer", "发错尺寸了", "2026-09-15T19:20:00+08:00"),
             ("agent", "抱歉 我给您补发大号的，再补偿您5元红包", "2026-09-15T19:42:00+08:00"),
             ("customer", "大号的收到了 红包呢 说好补5块的", "2026-09-18T20:01:00+08:00"))
    assert [c.status for c in track_commitments(t)] == ["broken"]


def test_an_offer_put_as_a_question_is_made_when_the_customer_accepts():
    offer = "看到了 这样 给您补发一个新盖子 另外再补偿您10元 明天到账 可以吗"
    accepted = chat(("customer", "盖子是裂的", "2026-12-02T19:00:00+08:00"), ("agent", offer, "2026-12-02T19:03:00+08:00"),
                    ("customer", "行", "2026-12-02T19:04:00+08:00"),
                    ("customer", "盖子收到了 10块钱没看到啊", "2026-12-04T10:30:00+08:00"))
    assert [(c.turn, c.status) for c in track_commitments(accepted)] == [(1, "broken")]
    asked_back = chat(("customer", "盖子是裂的", "2026-12-02T19:00:00+08:00"), ("agent", offer, "2026-12-02T19:03:00+08:00"),
                      ("customer", "行吗？我想直接退货", "2026-12-02T19:04:00+08:00"))
    assert track_commitments(asked_back) == []


@pytest.mark.parametrize("text", ["好的，明天之内打到您抖音钱包哈", "亲 仓库收到后全额退您89元哦"])
def test_what_is_done_to_the_customer_is_the_agent_s_undertaking(text):
    assert commitment_clause(text)


def test_a_report_that_says_it_was_done_in_time_keeps_the_promise():
    t = chat(("customer", "发错版本了", "2026-03-02T14:30:00+08:00"),
             ("agent", "精装版我明天上午先给您发出，不用等平装寄回来", "2026-03-02T14:38:00+08:00"),
             ("customer", "平装已经寄了 顺丰", "2026-03-03T16:12:00+08:00"),
             ("agent", "收到～精装版今天上午已经发出了，中通，预计后天到。", "2026-03-03T16:15:00+08:00"))
    [c] = track_commitments(t)
    assert c.status == "kept" and c.evidence == [3]
    # said done only after the deadline, with no time: still late
    late = chat(("customer", "发错版本了", "2026-03-02T14:30:00+08:00"),
                ("agent", "精装版我明天上午先给您发出", "2026-03-02T14:38:00+08:00"),
                ("customer", "平装已经寄了", "2026-03-03T16:12:00+08:00"),
                ("agent", "精装版已经发出了", "2026-03-03T16:15:00+08:00"))
    assert track_commitments(late)[0].status == "broken"


def test_a_time_already_past_dates_a_fact_not_a_deadline():
    t = chat(("customer", "会员自动续费了", "2026-02-09T08:00:00+08:00"),
             ("agent", "查到了，今天06:02扣款25元，可以给您退这一期", "2026-02-09T08:05:00+08:00"),
             ("customer", "好的", "2026-02-09T09:51:00+08:00"))
    [c] = track_commitments(t)
    assert c.deadline is None and c.status != "broken"


@pytest.mark.parametrize("report", ["退款到了 怎么只有79？", "到账了，但是只退了79", "收到货了 只有正装 没有小样"])
def test_less_than_promised_is_not_kept(report):
    t = chat(("customer", "能退多少", "2026-01-14T16:00:00+08:00"),
             ("agent", "仓库收到后全额退您89元，小样会跟正装一起发出", "2026-01-14T16:02:00+08:00"),
             ("customer", "好", "2026-01-14T16:03:00+08:00"),
             ("customer", report, "2026-01-17T10:22:00+08:00"))
    assert track_commitments(t)[0].status == "broken"


def test_a_hedge_about_something_else_does_not_cancel_the_promise():
    t = chat(("customer", "家里没网了", "2026-04-14T09:00:00+08:00"),
             ("agent", "查了附近没有故障，应该是您家线路的问题，今天下午5点前师傅会打电话联系您约时间",
              "2026-04-14T09:05:00+08:00"),
             ("customer", "都快8点了 电话呢", "2026-04-14T19:50:00+08:00"))
    [c] = track_commitments(t)
    assert c.status == "broken" and c.deadline == datetime(2026, 4, 14, 17, 0, tzinfo=CST)
    # a hedge on the undertaking itself still keeps it from being one
    assert commitment_clause("师傅应该会在今天下午5点前联系您") is None


def test_a_time_counted_from_an_event_still_to_come_sets_no_deadline():
    t = chat(("customer", "换货多久能收到", "2026-03-14T10:23:00+08:00"),
             ("agent", "仓库收到您寄回的衣服后24小时内给您发出新的", "2026-03-14T10:25:00+08:00"),
             ("customer", "好 今天寄", "2026-03-14T10:26:00+08:00"),
             ("customer", "新的到啦 谢谢", "2026-03-18T19:40:00+08:00"))
    [c] = track_commitments(t)
    assert c.deadline is None and c.status == "kept"
