"""An agent contradicting an earlier agent statement, and the look-alikes that are not contradictions."""
import pytest

from cs_classifier import Transcript
from cs_classifier.contradictions import find_contradictions


def _chat(*agent_lines: str) -> Transcript:
    turns = []
    for line in agent_lines:
        turns += [{"role": "customer", "text": "然后呢"}, {"role": "agent", "text": line}]
    return Transcript.from_dict({"id": "c", "turns": turns})


@pytest.mark.parametrize("earlier, later, topic", [
    ("这单给您补偿80元", "您这单补偿的是30元", "compensate"),
    ("这件支持七天无理由退货", "这件不支持退货的", "returnable"),
    ("这款有现货，下单就发", "这款没货了，要等半个月", "stock"),
])
def test_a_changed_statement_is_found(earlier, later, topic):
    found = find_contradictions(_chat(earlier, later))
    assert [(c.turn, c.earlier, c.topic) for c in found] == [(3, 1, topic)]


@pytest.mark.parametrize("earlier, later", [
    ("我现在给您转10元", "已经打款成功了，记录里显示打款10.00元"),          # the same sum, written twice
    ("超时赔付6.4元红包已经到账", "我额外再给您申请一张10元无门槛红包作为补偿"),  # a further item
    ("收到，28元差价也提交了", "我再给您申请一张50元旅行券作为补偿"),
    ("审核后返还运费，一般不超过20元", "按实际金额23元返还运费"),             # a bound, then the sum
    ("我先查一下黑色XXL还有没有库存", "查到了，黑色XXL仓库还有货"),            # a question, then the answer
    ("土鸡蛋这单缺货没发", "土鸡蛋现在显示有货，不过库存会变"),               # stock changes by the hour
    ("可以的，没有磕碰的话也可以退", "退货签收后运费险会赔付"),               # a condition in the negative
    ("没开封的那瓶可以七天无理由退，用过的那瓶不能退了哦", "可以退的，申请时选没开封那瓶就行"),  # two items, one of each
])
def test_look_alikes_are_not_contradictions(earlier, later):
    assert find_contradictions(_chat(earlier, later)) == []


def _dated(*turns):
    from cs_classifier import Transcript, Turn
    return Transcript(id="w", turns=[Turn(role=r, text=x, time=t) for r, x, t in turns])


@pytest.mark.parametrize("said, received, day, hit", [
    ("亲 您3号签收的，到今天已经超过七天了呢，不支持无理由退货了哈", "饮水机5月3号签收的 想七天无理由退", "2026-05-09", True),
    ("亲 您这单签收已经超过7天了 不能退了哦", "我是25号签收的 今天才29号", "2026-03-29", True),
    ("亲 您这单6月5号就签收了，已经超过七天无理由期限了哦", "6月5号是下单！签收是6月10号", "2026-06-15", True),
    ("亲 已经超过七天了 不支持无理由退货", "前天才收到的", "2026-05-09", True),
    ("亲 您这单签收已经超过7天了 不能退了哦", "我是25号签收的", "2026-05-05", False),  # April 25th: ten days, right
    ("亲 您4月25号签收的，已经超过七天了，不支持无理由退货", "4月25号签收的", "2026-05-09", False),
    ("签收后超过七天的话就不能无理由退了哦，您这单还可以", "5月3号签收的", "2026-05-09", False),  # no claim
    ("仓库签收后一般24小时内处理，退款最迟不超过7天", "5月3号签收的", "2026-05-09", False),
])
def test_a_seven_day_window_counted_against_the_chat_s_dates(said, received, day, hit):
    from cs_classifier.contradictions import window_miscounts

    t = _dated(("customer", received, f"{day}T20:10:00+08:00"), ("agent", said, f"{day}T20:14:00+08:00"))
    assert window_miscounts(t) == ([1] if hit else [])


def test_no_times_no_window_finding():
    from cs_classifier import Transcript, Turn
    from cs_classifier.contradictions import window_miscounts

    t = Transcript(id="n", turns=[Turn(role="customer", text="5月3号签收的"), Turn(role="agent", text="已经超过七天了 不能退")])
    assert window_miscounts(t) == []
