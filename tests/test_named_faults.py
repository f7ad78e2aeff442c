"""Faults the guidelines name outright, found by rule wherever they stand."""
import pytest

from cs_classifier import Transcript, Turn
from cs_classifier.contradictions import corrections
from cs_classifier.named_faults import blame_turns, closing_turns, dont_know_turns, rude_turns, sends_elsewhere_turns, stalling_runs, vague_answer_turns


def chat(*pairs):
    return Transcript(id="c", turns=[Turn(role=r, text=x) for r, x in pairs])


@pytest.mark.parametrize("text", ["不满意你去投诉好了", "说了多少遍了 自己看详情页", "爱买不买", "你烦不烦啊", "那你想怎样？",
                                  "要退就退一半，不要拉倒", "随便", "都是正品 问那么多", "不放心可以不用 我们又没逼您买",
                                  "已经送到了您还想怎样", "深色衣服要分开洗这都不知道吗", "催也没用 财务统一处理 等着吧",
                                  "直播间讲过很多遍了哦亲", "亲亲急什么，售后件多，排队呢", "那是正常情况，现在忙，等着就行",
                                  "那您爱退不退吧 反正特价的不给退", "您自己没接电话怪谁呢", "看不懂字吗", "急就别买 要不你退了吧",
                                  "您随意", "这个药我也说不好 您自己看着用吧", "说明书上都写了"])
def test_rude_lines(text):
    assert rude_turns(chat(("customer", "怎么还没发货"), ("agent", text))) == [1]


@pytest.mark.parametrize("text", ["如有不满意，您可以通过平台投诉入口反馈", "我也没办法决定退款金额，帮您转主管，10分钟内回复",
                                  "您说的我记下了，这就给您处理", "您着急什么时候用？我给您备注加急",
                                  "这不怪谁，是我们的失误，马上补发", "我们爱心助农款也支持七天无理由",
                                  "说明书上写了每次两粒，一天三次，饭后吃"])
def test_firm_or_helpful_lines_are_not_rude(text):
    assert rude_turns(chat(("customer", "我要投诉"), ("agent", text))) == []


def test_rude_words_from_the_customer_are_not_the_agent_s():
    assert rude_turns(chat(("customer", "说了多少遍了！"), ("agent", "抱歉，我马上查"))) == []


def test_three_stalls_in_a_row_are_a_run():
    t = chat(("customer", "刀呢？少了一把"), ("agent", "亲亲稍等哦～"), ("customer", "？"), ("agent", "亲亲稍等哦～正在为您查询"),
             ("customer", "半小时了"), ("agent", "稍等"), ("customer", "人呢"))
    assert stalling_runs(t) == [[1, 3, 5]]


def test_stalls_in_other_words_and_acknowledgements():
    t = chat(("customer", "还没发货"), ("agent", "亲亲稍等哦～"), ("customer", "？"), ("agent", "亲亲稍等哦～正在为您查询"),
             ("customer", "查到了吗"), ("agent", "亲亲请再稍等一下哦～正在为您查询中～💕"), ("customer", "40分钟了"), ("agent", "好的亲"))
    assert stalling_runs(t) == [[1, 3, 5]]
    acks = chat(("customer", "地址是A"), ("agent", "好的"), ("customer", "电话是B"), ("agent", "收到"),
                ("customer", "名字是C"), ("agent", "好的亲"))
    assert stalling_runs(acks) == []


def test_two_stalls_then_an_answer_are_not():
    t = chat(("customer", "到哪了"), ("agent", "稍等哦"), ("customer", "好"), ("agent", "正在查询"),
             ("customer", "嗯"), ("agent", "查到了，今天下午派送，快递员电话已发您"))
    assert stalling_runs(t) == []


def test_a_stall_with_an_answer_in_it_breaks_the_run():
    t = chat(("customer", "到哪了"), ("agent", "稍等"), ("customer", "好"), ("agent", "稍等，显示已到杭州转运中心，明天派送"),
             ("customer", "嗯"), ("agent", "稍等"), ("customer", "?"), ("agent", "稍等哦"))
    assert stalling_runs(t) == []


@pytest.mark.parametrize("text, hit", [("不清楚", True), ("我也不知道呢", True), ("亲，这边也不太清楚哦", True),
                                       ("不清楚的话我帮您问下仓库，5分钟回复您", False), ("您不清楚型号的话可以拍照给我", False)])
def test_dont_know(text, hit):
    assert dont_know_turns(chat(("customer", "为什么取消了我的单"), ("agent", text))) == ([1] if hit else [])


def test_an_agent_correcting_an_earlier_statement():
    t = chat(("customer", "抹茶款有坚果吗 我过敏"), ("agent", "没有任何坚果的，放心"), ("customer", "确定？"),
             ("agent", "不好意思 刚才说错了，抹茶款的底是杏仁粉，有坚果"))
    assert corrections(t) == [3]


@pytest.mark.parametrize("text", ["抱歉亲，之前客服介绍有误。这种情况给您办理退货退款", "可能是同事表述有误，以退款周期为准哦",
                                  "不好意思，可能是同事看错了，我这边只能以系统为准"])
def test_corrections_in_other_words(text):
    t = chat(("customer", "你们客服说的是头层牛皮"), ("agent", "是的亲，头层牛皮"), ("customer", "?"), ("agent", text))
    assert corrections(t) == [3]


def test_correction_needs_an_earlier_agent_statement_and_the_word():
    assert corrections(chat(("customer", "你们上次说错了"), ("agent", "抱歉，我这就核实"))) == []
    assert corrections(chat(("customer", "屏幕总是误触"), ("agent", "您先关掉误触模式试试"),
                            ("customer", "还是有误差"), ("agent", "手表测量有一点误差是正常的"))) == []


@pytest.mark.parametrize("turns, label", [
    ([("customer", "少发了一把刀"), ("agent", "亲亲稍等哦～"), ("customer", "？"), ("agent", "亲亲稍等哦～"), ("customer", "人呢"),
      ("agent", "亲亲稍等哦～"), ("customer", "算了")], "dismissive"),
    ([("customer", "清仓款质量这么差能退吗"), ("agent", "清仓款不退不换 拍之前自己就应该看清楚"), ("customer", "那我投诉"),
      ("agent", "不满意你去投诉好了")], "dismissive"),
    ([("customer", "抹茶蛋糕有坚果吗 我过敏"), ("agent", "没有坚果的，放心吃"), ("customer", "真的？"),
      ("agent", "抱歉 之前同事说的不对，抹茶款含杏仁粉")], "inaccurate"),
    ([("customer", "我六点下的单 等了半小时 为什么商家取消了"), ("agent", "不清楚"), ("customer", "？？")], "evasive"),
    ([("customer", "收到就是坏的"), ("agent", "这个是快递运输造成的，您找快递理赔吧"), ("customer", "？？")], "evasive"),
    ([("customer", "6月10号前能到吗 婚礼要用"), ("agent", "亲亲，预售商品发货时间具体以实际为准哦～"), ("customer", "？")], "evasive"),
    ([("customer", "明天能发吗"), ("agent", "可以的 明天给您发出"), ("customer", "今天怎么还没发"),
      ("agent", "亲 我们没说过明天发哦 按页面时间发货")], "inaccurate"),
    ([("customer", "这双鞋能退吗"), ("agent", "这款支持七天无理由退货的"), ("customer", "好 那我申请了"),
      ("agent", "这款不支持退货的亲")], "inaccurate"),  # a contradiction, whatever the refit's thresholds
    ([("customer", "你们客服上周说三天内给我退款 现在还没到账"), ("agent", "亲 我帮您查一下")], "broken_promise"),
])
def test_shipped_model_reports_them_with_evidence(shipped_model, turns, label):
    t = Transcript(id="x", turns=[Turn(role=r, text=x) for r, x in turns])
    analysis = shipped_model.analyze(t)
    assert label in analysis.labels
    finding = next(f for f in analysis.findings if f.label == label)
    assert finding.turns and finding.quotes and finding.explanation


def test_an_agent_denying_what_was_said():
    from cs_classifier.contradictions import denials

    t = chat(("customer", "什么时候发"), ("agent", "明天一定发出"), ("customer", "今天还没发？"),
             ("agent", "亲 我们从没说过明天发哦 预售按页面时间"))
    assert denials(t) == [3]
    gift = chat(("customer", "说好的送胶带呢"), ("agent", "赠品活动已经结束了呢"), ("customer", "我下单时还在活动"),
                ("agent", "亲，我们店没有做过送胶带的活动哦"))
    assert denials(gift) == [3]
    # the first agent turn has nothing earlier to deny; a plain "didn't say which colour" is no denial
    assert denials(chat(("customer", "你们说好昨天发"), ("agent", "我们没有承诺过时间哦"))) == []
    assert denials(chat(("customer", "颜色"), ("agent", "您要哪个"), ("customer", "没说"), ("agent", "您没说颜色，我先备注黑色"))) == []


@pytest.mark.parametrize("text, hit", [
    ("这个是快递的问题，您自己联系快递吧", True),
    ("我们这边管不了，您找厂家", True),
    ("饮料是骑手拿走的 我们这边都打包好了 您找骑手吧", True),
    ("表的问题找物业", True),
    ("货是仓库发的，跟我们没关系，你去找仓库", True),
    ("您自己发短信到10086查下详单就知道了", True),
    ("这个是仓库那边的，我们客服看不到哦", True),
    ("我帮您联系快递，10分钟内回复您", False),
    ("快递电话95338，您也可以直接联系快递", False),
    ("已经帮您登记了，厂家售后会在24小时内联系您", False),
    ("如需检测可联系售后处理", False),
    ("亲 这款是厂家直发的哦，质量问题您直接找厂家售后哈，我们这边只是代卖的", True),
    ("您可以联系快递，快递员电话13800001234", False),
    ("您好，增值业务是由合作方提供的，建议您联系业务提供方处理", True),
    ("这个需要其他部门处理哦", True),
    ("我帮您转到相关部门处理，工单号已经发您了", False),
    ("包裹发出了 我们改不了 您可以自己联系快递改一下", True),
    ("到时候配送员来电 您直接跟他约周六就行", True),  # left to settle with the courier
    ("这个需要您和安装师傅协商哦", True),
    ("可以的，您跟配送员说一声，他会把旧纸箱带走", False),  # answered first
    ("我已经在订单上备注了周六送，您也可以跟配送员再确认一下", False),  # acted
    ("在订单详情里把送货日期改成周六，或者等配送员来电时跟他约", False),  # the page's own way to change it
])
def test_sending_the_customer_elsewhere(text, hit):
    assert sends_elsewhere_turns(chat(("customer", "东西坏了"), ("agent", text))) == ([1] if hit else [])


@pytest.mark.parametrize("text, hit", [
    ("那就是您家里设备的问题", True),
    ("你自己拍错了吧", True),
    ("是你贴的时候没对准吧", True),
    ("亲，配送员显示联系不上您，是您这边没接电话导致配送失败的哦", True),
    ("是不是您下单的时候选错了呢", True),
    ("可能是您手机的原因，您可以换个手机试试", True),
    ("是骑手送错了，不是您的问题，马上给您重新配送", False),  # clears the customer
    ("如果查出来是您家设备的问题会收上门费", False),  # a condition, not a blame
    ("您自己填的地址没问题，是我们录错了", False),
    ("自己不接电话还怪别人？退回去了就退款呗", True),
    ("装不上是你不会装 别人都装得好好的", True),
    ("详情页按车型选尺寸 自己选错了还来问", True),
    ("师傅自己装错了 我们让他明天重新上门", False),  # the installer's fault, owned
])
def test_blaming_the_customer(text, hit):
    assert blame_turns(chat(("customer", "用了两天就坏了"), ("agent", text))) == ([1] if hit else [])


@pytest.mark.parametrize("question, reply, hit", [
    ("所以不能取消？", "请问还有其他可以帮您的吗？", True),
    ("那到底什么时候有消息", "亲 感谢您的耐心等待 祝您生活愉快～", True),
    ("好的 谢谢", "请问还有其他可以帮您的吗？", False),  # nothing left open
    ("所以不能取消？", "可以取消的，在订单里点取消就行。请问还有其他可以帮您的吗？", False),  # answered first
    ("所以不能取消？", "您好，请问有什么可以帮您", False),  # an opening line, not a closing one
    ("那到底哪天发？", "请问还有什么可以帮您的吗", True),  # 「还有什么可以帮您」 closes, it does not open
    ("有电话吗？", "请问还有什么可以帮您呢? 怠慢之处请您谅解呢", True),  # the apology adds nothing
    ("所以不能取消？", "请问还有什么可以帮您的吗？怠慢之处请谅解，订单已经给您取消了", False),
])
def test_a_closing_line_for_an_answer(question, reply, hit):
    t = chat(("customer", "会员能取消吗"), ("agent", "您好，会员可以在设置里管理"), ("customer", question), ("agent", reply))
    assert closing_turns(t) == ([3] if hit else [])
    # the chat's first agent turn greets, it closes nothing
    assert closing_turns(chat(("customer", question), ("agent", reply))) == []


@pytest.mark.parametrize("question, answer, hit", [
    ("6月10号前能到吗", "亲亲，预售商品发货时间具体以实际为准哦～", True),
    ("我头围58戴得下吗", "应该可以吧亲", True),
    ("空调能送到村里吗", "亲亲，以页面显示为准哦", True),
    ("什么时候发", "这个不好说呢", True),
    ("那到底哪天能发", "尽快的亲", True),
    ("下周哪天能来装", "下周具体哪天要等师傅排好再说呢", True),
    ("退款什么时候到", "亲 会尽快处理的", True),
    ("那到底哪天能发", "尽快给您发出，明天下午前", False),  # a time is an answer
    ("我拍了照片 破损这么明显 怎么说", "亲，一切以仓库验货结果为准哦", True),
    ("大家电退货要多久", "是的亲，大家电退货流程比较长，以30个工作日为准", False),  # a time is an answer
    ("谢谢 我看看", "好的，具体以实际为准哦", False),  # no question asked
    ("不是从签收开始算吗", "我们店是以下单时间为准的", False),  # a (wrong) rule said plainly, not a hedge
    ("什么时候到", "预计明天送达，具体时间以物流显示为准，快递员会提前打电话，单号SF1234567890您也可以自己查", False),  # answered
])
def test_vague_answers(question, answer, hit):
    assert vague_answer_turns(chat(("customer", question), ("agent", answer))) == ([1] if hit else [])
